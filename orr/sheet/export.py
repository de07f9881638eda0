"""`orr xlsx export`: a checklist, or a review with its findings, as a workbook for stakeholders.

A checklist workbook: README, Checklist (one row per question and choice), Pillars, Lens (the
lens fields, and beside them the roles and the tiers), and a hidden ``_sources`` sheet; together
they hold everything the TOML files say, so `orr xlsx import` turns the workbook back into the
same checklist.

A review workbook opens on the Summary (the launch gate, counts, per-pillar table and chart),
then Findings (one row per finding, most severe first: the gap, the plan, what is needed next),
Mitigations (the rows stakeholders edit), Risk Acceptances, Sign-offs, the answers and computed
risk in the Checklist, the audit trail and the README; the checklist's own sheets are hidden,
with a hidden ``_orr`` sheet recording what the review said at export so that `orr xlsx merge`
can tell a stakeholder's edit from a change made in the review file since.

Every state the workbook shows (a risk, a finding's status, a sign-off, what blocks the launch)
comes from `orr.review.state` and `orr.review.gate`; every word goes through `orr.i18n`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from orr.checklist.load import load_checklist
from orr.checklist.model import (
    Checklist,
    ChecklistQuestion,
    Choice,
    EvidenceRules,
    Resource,
)
from orr.checklist.rules import Risk
from orr.i18n import N_, _
from orr.review.gate import FINDING_KINDS, Gate, evaluate_gate, scope
from orr.review.kinds import (
    BlockerKind,
    ConditionKind,
    Decision,
    GateKind,
    MitigationStatus,
    NaReason,
    environment_label,
)
from orr.review.model import Mitigation, Review, now_utc
from orr.review.state import (
    AnswerState,
    Finding,
    FindingStatus,
    LaunchEffect,
    QuestionState,
    SignoffStatus,
    acceptance_valid,
    days_overdue,
    is_overdue,
    question_state,
)
from orr.review.store import parse_review
from orr.sheet import layout as L
from orr.sheet.cells import (
    MUTED_FILL,
    OVERDUE_FILL,
    RISK_FILLS,
    Book,
    SheetWriter,
    Styled,
    clean_text,
    header_text,
)
from orr.tomlfile import display_path, parse_toml, read_text
from orr.tomlfile import loads as toml_loads

# --- the source files, as the workbook records them ----------------------------------------------


@dataclass
class SourceInfo:
    """A source file's own fields (what the composed checklist does not keep)."""

    file: str  # relative to the manifest's folder, with /
    kind: str
    description: str = ""
    include: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)  # pillar ids in the file's order
    named: list[str] = field(default_factory=list)  # pillar ids this file gives a name
    evidence: dict[str, object] = field(default_factory=dict)  # its evidence rules (cells)


def evidence_cells(rules: EvidenceRules) -> dict[str, object]:
    """The evidence rules a question, a source file or the checklist sets (blank: not set)."""
    return {
        L.EVIDENCE_REQUIRED: None
        if rules.evidence_required is None
        else L.yes_no(rules.evidence_required),
        L.EVIDENCE_MAX_AGE: rules.evidence_max_age_days,
        L.EVIDENCE_BLOCKS: None
        if rules.evidence_blocks is None
        else L.yes_no(rules.evidence_blocks),
    }


def source_infos(
    checklist: Checklist, *, details: bool = True
) -> tuple[list[SourceInfo], dict[str, str]]:
    """The source files in composition order, and each file's name as the checklist shows it
    (``ChecklistQuestion.source``) -> its path relative to the manifest.

    With ``details`` each file is read again for what the composed checklist does not keep
    (its description, includes, pillar order and names) so that an import gives back the same
    files; a review workbook does without (reading them would double its export time)."""
    base = Path(checklist.path).resolve().parent
    infos: list[SourceInfo] = []
    names: dict[str, str] = {}
    taken: set[str] = set()
    for shown in checklist.files[1:]:
        real = Path(shown).resolve()
        try:
            rel = PurePosixPath(real.relative_to(base).as_posix()).as_posix()
        except ValueError:  # outside the manifest's folder: written next to the manifest
            rel = real.name
        stem, n = rel, 1
        while rel in taken:
            n += 1
            rel = f"{PurePosixPath(stem).with_suffix('')}_{n}.toml"
        taken.add(rel)
        names[shown] = rel
        info = SourceInfo(file=rel, kind=checklist.kinds.get(shown, "operations"))
        infos.append(info)
        if not details:
            continue
        try:
            data = toml_loads(read_text(real))
        except Exception:  # the file loaded a moment ago; if it cannot be read now, keep the basics
            data = {}
        info.description = str(data.get("description") or "")
        try:
            info.evidence = evidence_cells(
                EvidenceRules.model_validate(
                    {k: data[k] for k in EvidenceRules.model_fields if k in data}
                )
            )
        except ValueError:
            info.evidence = {}
        info.include = [str(i) for i in data.get("include", []) if isinstance(i, str)]
        for pillar in data.get("pillars", []):
            if isinstance(pillar, dict) and isinstance(pillar.get("id"), str):
                info.pillars.append(pillar["id"])
                if pillar.get("name"):
                    info.named.append(pillar["id"])
    return infos, names


# --- words ---------------------------------------------------------------------------------------

UNANSWERED = N_("unanswered")
NOT_APPLICABLE = N_("not applicable")
NA_MARK = N_("n/a")
SEVERITY_WORDS = {"high": N_("high"), "medium": N_("medium")}
STATUS_WORDS = {
    MitigationStatus.OPEN: N_("open"),
    MitigationStatus.IN_PROGRESS: N_("in_progress"),
    MitigationStatus.DONE: N_("done"),
    MitigationStatus.WITHDRAWN: N_("withdrawn"),
}
NA_REASONS = {
    NaReason.OUT_OF_SCOPE: N_("out of scope"),
    NaReason.BUSINESS_PRIORITIES: N_("business priorities"),
    NaReason.ARCHITECTURE_CONSTRAINTS: N_("architecture constraints"),
    NaReason.OTHER: N_("other"),
}
FINDING_STATUS = {
    FindingStatus.NO_PLAN: N_("no plan yet"),
    FindingStatus.PLANNED: N_("mitigation under way"),
    FindingStatus.ACCEPTED: N_("risk accepted"),
    FindingStatus.MITIGATED: N_("mitigated"),
}
EFFECTS = {
    LaunchEffect.BLOCKS: N_("blocks the launch"),
    LaunchEffect.CONDITION: N_("a condition of the launch"),
    LaunchEffect.HANDLED: N_("handled"),
}
GATE_KINDS: dict[GateKind, str] = {
    BlockerKind.UNANSWERED: N_("unanswered"),
    BlockerKind.NA_WITHOUT_REASON: N_("not applicable without a reason"),
    BlockerKind.HIGH_FINDING: N_("HIGH finding"),
    BlockerKind.BLOCKING_MITIGATION: N_("blocking mitigation"),
    BlockerKind.MITIGATION_AFTER_LAUNCH: N_("mitigation due after the launch"),
    BlockerKind.SIGNOFF_MISSING: N_("sign-off missing"),
    BlockerKind.SIGNOFF_STALE: N_("sign-off stale"),
    BlockerKind.SIGNOFF_REJECTED: N_("sign-off rejected"),
    BlockerKind.CHECKLIST_CHANGED: N_("checklist changed"),
    BlockerKind.EVIDENCE_MISSING: N_("evidence missing"),
    BlockerKind.EVIDENCE_STALE: N_("evidence out of date"),
    ConditionKind.MEDIUM_FINDING: N_("MEDIUM finding"),
    ConditionKind.OPEN_MITIGATION: N_("open mitigation"),
    ConditionKind.RISK_ACCEPTANCE: N_("risk acceptance"),
    ConditionKind.ACCEPTANCE_EXPIRING: N_("acceptance expiring"),
    ConditionKind.EVIDENCE_MISSING: N_("evidence missing"),
    ConditionKind.EVIDENCE_STALE: N_("evidence out of date"),
}
DECISION_WORDS = {Decision.APPROVE: N_("approve"), Decision.REJECT: N_("reject")}
SIGNOFF_WORDS = {
    SignoffStatus.MISSING: (N_("missing"), N_("no sign-off yet")),
    SignoffStatus.REJECTED: (N_("rejected"), N_("resolve their concerns and sign again")),
    SignoffStatus.STALE: (N_("stale"), N_("answers changed since: sign again")),
    SignoffStatus.CURRENT: (N_("valid"), N_("covers the current answers")),
}


def risk_text(state: QuestionState) -> str:
    if state.risk is not None:
        return str(state.risk)
    return _(NOT_APPLICABLE) if state.state is AnswerState.NOT_APPLICABLE else _(UNANSWERED)


def _na_reason(reason: NaReason | None) -> str:
    return _(NA_REASONS[reason]) if reason is not None else _("no reason given")


# --- the sheets both workbooks have --------------------------------------------------------------


def _resource_text(resource: Resource | None) -> tuple[str | None, str | None]:
    if resource is None:
        return None, None
    return resource.text, resource.url


def question_rows(
    question: ChecklistQuestion, file_of: dict[str, str], index: dict[str, int]
) -> Iterator[tuple[Choice, list[object]]]:
    """The rows of one question, as cell values in the columns ``index`` gives (header ->
    0-based column): the question's fields on its first row, the choice's on each."""
    spec = question.spec
    res_text, res_url = _resource_text(spec.helpful_resource)
    fields: dict[str, object] = {
        L.PILLAR: question.pillar_id,
        L.QUESTION_ID: spec.id,
        L.QUESTION: spec.title,
        L.SEVERITY: _(SEVERITY_WORDS[str(spec.severity)]),
        L.OWNER_ROLE: spec.owner_role,
        L.SOURCE: question.kind,
        L.TIER: L.join_lines(spec.tiers),
        L.DESCRIPTION: spec.description,
        L.EVIDENCE: L.join_lines(spec.evidence),
        L.REFERENCES: L.join_lines(spec.references),
        L.RULES: L.join_lines([L.rule_line(r) for r in spec.rules])
        if spec.rules is not None
        else None,
        L.INCIDENTS: L.join_lines(spec.incidents),
        L.TAGS: L.join_lines(spec.tags),
        L.RESOURCE: res_text,
        L.RESOURCE_URL: res_url,
        L.NONE_CHOICE: L.yes_no(spec.none_choice),
        L.SOURCE_FILE: file_of.get(question.source, question.source),
        L.ALL_OR_NOTHING: L.yes_no(True) if spec.all_or_nothing else None,
        **evidence_cells(spec),
    }
    first: list[object] = [None] * len(index)
    key: list[object] = [None] * len(index)
    for name, value in fields.items():
        first[index[name]] = value
        if name in L.QUESTION_KEY_FIELDS:
            key[index[name]] = value
    at = [index[h] for h in L.CHOICE_FIELDS]
    for i, choice in enumerate(question.choices):
        row = first.copy() if i == 0 else key.copy()
        helpful, helpful_url = _resource_text(choice.helpful)
        improvement, improvement_url = _resource_text(choice.improvement)
        values = (
            choice.id,
            choice.title,
            helpful,
            helpful_url,
            improvement,
            improvement_url,
            L.join_lines([L.resource_line(r) for r in choice.more_helpful]),
            L.join_lines([L.resource_line(r) for r in choice.more_improvement]),
            L.join_lines(choice.more_order) if choice.more_order else None,
            None if choice.waivable else L.yes_no(False),
        )
        for column, value in zip(at, values, strict=True):
            row[column] = value
        yield choice, row


def _risk_fills() -> dict[str, str]:
    return {**RISK_FILLS, _(UNANSWERED): MUTED_FILL, _(NOT_APPLICABLE): MUTED_FILL}


def _checklist_sheet(
    book: Book,
    checklist: Checklist,
    file_of: dict[str, str],
    review: Review | None = None,
    gate: Gate | None = None,
) -> SheetWriter:
    # Plain values only: colours, the rule above each question and its bold title come from
    # conditional formatting, so the sheet costs little more than its values (issue 5 figures).
    columns = L.review_checklist_columns() if review is not None else L.checklist_columns()
    headers = [c.header for c in columns]
    index = {h: i for i, h in enumerate(headers)}
    sheet = book.sheet(L.sheet_title(L.CHECKLIST), columns, freeze="C2")
    printed = L.REVIEW_CHECKLIST_PRINTED if review is not None else L.CHECKLIST_PRINTED
    sheet.print.last_column = index[printed] + 1
    sheet.print.landscape = review is None  # a review's answers print portrait: more rows a page
    selected_word, na_word = L.yes_no(True), _(NA_MARK)
    for question in checklist.questions:
        state = None
        if review is not None:
            state = (gate.state(question.id) if gate is not None else None) or question_state(
                question, review.answers.get(question.id)
            )
        for i, (choice, row) in enumerate(question_rows(question, file_of, index)):
            if state is not None:
                if choice.id in state.selected:
                    row[index[L.SELECTED]] = selected_word
                elif choice.id in state.na_practices:
                    row[index[L.SELECTED]] = na_word
                row[index[L.RISK]] = risk_text(state)
                if i == 0:
                    for name, value in _answer_cells(state).items():
                        row[index[name]] = value
                else:
                    row[index[L.ANSWER]] = _practice_na_text(state, choice.id)
                    # The title once per question: the rows below it print on one line each.
                    row[index[L.QUESTION]] = None
                if _default_none(question, choice) and choice.id not in state.selected:
                    continue  # the "None of these" orr adds, not selected: nothing to show
            sheet.append(row)
    checklist_drop_downs(sheet, headers)
    if review is not None:
        sheet.highlight(headers.index(L.RISK) + 1, _risk_fills())
        sheet.highlight(headers.index(L.SELECTED) + 1, {selected_word: RISK_FILLS["NO_RISK"]})
    return sheet


def _default_none(question: ChecklistQuestion, choice: Choice) -> bool:
    """The "None of these" choice as orr adds it (the import adds it back when it is left
    out)."""
    return (
        choice.id == question.none_choice_id
        and question.spec.none_choice
        and L.is_none_title(choice.title)
        and choice.helpful is None
        and choice.improvement is None
        and not choice.more_helpful
        and not choice.more_improvement
        and choice.more_order is None
    )


def _practice_na_text(state: QuestionState, choice_id: str) -> str | None:
    na = state.practice_na(choice_id)
    if na is None:
        return None
    text = _("not applicable ({reason})").format(reason=_na_reason(na.reason))
    return text + (f": {na.note}" if na.note else "")


def checklist_drop_downs(sheet: SheetWriter, headers: list[str]) -> None:
    """Drop-downs on pillar, severity, owner role, tiers and the yes/no columns; a rule above
    the first row of each question, whose title is bold."""
    pillars = L.sheet_ref(L.PILLARS)
    lens = L.sheet_ref(L.LENS)
    role_col = _letter(L.lens_table_column(L.ROLE_ID))
    tier_col = _letter(L.lens_table_column(L.TIER_ID))
    sheet.drop_down(headers.index(L.PILLAR) + 1, f"{pillars}!$A$2:$A$200", strict=False)
    sheet.drop_down(
        headers.index(L.SEVERITY) + 1,
        [_(SEVERITY_WORDS["high"]), _(SEVERITY_WORDS["medium"])],
        prompt=_("high: launch-blocking when unmet; medium: needs a plan"),
    )
    sheet.drop_down(headers.index(L.OWNER_ROLE) + 1, f"{lens}!${role_col}$2:${role_col}$200")
    sheet.drop_down(
        headers.index(L.TIER) + 1, f"{lens}!${tier_col}$2:${tier_col}$200", strict=False
    )
    yes_no = [L.yes_no(True), L.yes_no(False)]
    for name in (
        L.NONE_CHOICE,
        L.WAIVABLE,
        L.ALL_OR_NOTHING,
        L.EVIDENCE_REQUIRED,
        L.EVIDENCE_BLOCKS,
    ):
        if name in headers:
            sheet.drop_down(headers.index(name) + 1, yes_no)
    sheet.separate(headers.index(L.QUESTION) + 1, bold_column=headers.index(L.QUESTION) + 1)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _evidence_lines(state: QuestionState) -> list[str]:
    answer = state.answer
    if answer is None:
        return []
    out: list[str] = []
    for e in answer.evidence:
        line = _("evidence: {url}").format(url=e.url)
        if e.description:
            line += f" ({e.description})"
        if e.verified_on:
            line += ", " + _("verified {date}").format(date=e.verified_on.isoformat())
        out.append(line)
    return out


def _answer_cells(state: QuestionState) -> dict[str, object]:
    answer = state.answer
    question = state.question
    if answer is None:
        return {L.ANSWER: _(UNANSWERED)}
    if state.unknown:
        text = _("unanswered: names {choices}, not in the question").format(
            choices=", ".join(state.unknown)
        )
    elif state.state is AnswerState.NOT_APPLICABLE:
        reason = _na_reason(state.na_reason)
        note = answer.na_note if not answer.applicable else _("every practice")
        text = _("not applicable ({reason})").format(reason=reason) + (f": {note}" if note else "")
    elif not state.answered:
        text = _("unanswered (notes only)")
    elif list(state.selected) == [question.none_choice_id]:
        text = _("None of these")
    else:
        practices = question.practice_ids
        text = _("{count} of {total} practices").format(
            count=sum(1 for c in state.selected if c in practices), total=len(practices)
        )
        if state.na_practices:
            text += ", " + _("{count} not applicable").format(count=len(state.na_practices))
        na = _practice_na_text(state, question.choices[0].id)
        if na:
            text += "; " + _("this practice: {text}").format(text=na)
    if state.reconfirm:
        text += "; " + _("re-confirm: the question changed since")
    lines = [answer.notes] if answer.notes else []
    lines += _evidence_lines(state)
    return {
        L.ANSWER: text,
        L.NOTES: "\n".join(lines),
        L.ANSWERED_BY: answer.answered_by,
        L.ANSWERED_AT: answer.answered_at,
    }


def _pillars_sheet(book: Book, checklist: Checklist, gate: Gate | None, hidden: bool) -> None:
    columns = [*L.PILLAR_COLUMNS, *L.PILLAR_STATS]
    if gate is not None:
        columns += L.PILLAR_REVIEW_STATS
    sheet = book.sheet(L.sheet_title(L.PILLARS), columns, hidden=hidden)
    sheet.print.landscape = False
    stats = {p.id: p for p in gate.pillars} if gate is not None else {}
    for pillar in checklist.pillars:
        row: list[object] = [
            pillar.id,
            pillar.name,
            len(pillar.questions),
            sum(1 for q in pillar.questions if q.severity == "high"),
            sum(1 for q in pillar.questions if q.severity == "medium"),
        ]
        s = stats.get(pillar.id)
        if s is not None:
            row += [s.answered - s.na, s.na, s.high, s.medium, s.none, s.total - s.answered]
        sheet.append(row)


def lens_sheet(
    book: Book,
    fields: dict[str, str | None],
    roles: list[tuple[str, str, str | None]],
    tiers: list[tuple[str, str | None]],
    *,
    hidden: bool = False,
    min_rows: int = 0,
) -> SheetWriter:
    """The Lens sheet: the lens fields, and beside them the roles and the tiers tables (what
    the manifest says, on one page)."""
    sheet = book.sheet(L.sheet_title(L.LENS), L.lens_sheet_columns(), hidden=hidden)
    sheet.filter = False
    sheet.min_rows = min_rows
    sheet.print.landscape = True
    lens_rows = [
        [Styled(_(name), "label"), fields.get(name), Styled(_(about), "muted")]
        for name, about in L.LENS_FIELDS
    ]
    for i in range(max(len(lens_rows), len(roles), len(tiers))):
        row: list[object] = [*(lens_rows[i] if i < len(lens_rows) else [None] * 3), None]
        row += [*roles[i], None] if i < len(roles) else [None] * 4
        row += list(tiers[i]) if i < len(tiers) else []
        sheet.append(row)
    return sheet


def _lens_sheets(
    book: Book, checklist: Checklist, infos: list[SourceInfo], hidden: bool = False
) -> None:
    m = checklist.manifest
    values: dict[str, str | None] = {
        L.LENS_ID: m.id,
        L.LENS_NAME: m.name,
        L.LENS_DESCRIPTION: m.description,
        L.LENS_VERSION: m.version,
        L.LENS_SIGNOFFS: L.join_lines(m.required_signoffs),
        L.LENS_INCLUDE: L.join_lines(m.include),
        L.LENS_INCIDENTS: m.incidents,
        L.LENS_REVIEW_EVERY: str(m.review_every_days) if m.review_every_days else None,
        **{k: None if v is None else str(v) for k, v in evidence_cells(m).items()},
    }
    lens_sheet(
        book,
        values,
        [(rid, role.name, role.description) for rid, role in m.roles.items()],
        [(tid, tier.description) for tid, tier in m.tiers.items()],
        hidden=hidden,
    )
    sources = book.sheet(L.SOURCES, L.SOURCE_COLUMNS, hidden=True)
    for info in infos:
        sources.append(
            [
                info.file,
                info.kind,
                info.description,
                L.join_lines(info.include),
                L.join_lines(info.pillars),
                L.join_lines(info.named),
                *(info.evidence.get(k) for k in L.EVIDENCE_RULES),
            ]
        )


def readme_sheet(
    book: Book, lines: list[tuple[str, object]], bold: frozenset[str] = frozenset()
) -> None:
    """The README: a title, then label / text lines (``#`` a title, ``""`` a blank label)."""
    sheet = book.sheet(L.sheet_title(L.README), freeze=None, header=False)
    sheet.widths([26, 96])
    for label, value in lines:
        if label == "#":
            sheet.append([Styled(value, "title")])
        elif label == "":
            sheet.append([None, value])
        else:
            sheet.append([Styled(label, "bold" if label in bold else "label"), value])


def checklist_help(review: bool = False) -> list[tuple[str, object]]:
    if review:
        return [
            (
                _("Checklist"),
                # Translators: Summary, Findings, Mitigations, Checklist, Pillars and Lens are
                # sheet names: use their translations.
                _(
                    "One row per question and practice: the practice, whether it is in place "
                    "(selected: yes, or n/a when it does not apply), the risk of the answer, the "
                    "answer and its notes; the question's title on its first row, \"None of "
                    "these\" when it was the answer. The checklist's own columns follow (they "
                    "do not print)."
                ),
            ),
            (_("Severity"), _("high: launch-blocking when unmet; medium: must have a plan.")),
        ]
    return [
        (
            _("Checklist"),
            _(
                "One row per question and choice. The question's columns (description, "
                "evidence, references, risk rules, ...) are on its first row; pillar, question "
                "id, title, severity, owner role, source and tiers are repeated on every row so "
                "that a filter keeps whole questions together."
            ),
        ),
        (_("Severity"), _("high: launch-blocking when unmet; medium: must have a plan.")),
        (
            _("Risk rules"),
            _(
                "Optional, one per line: `condition -> RISK` with choice ids, !, &&, ||, "
                "parentheses, and `default -> RISK` last; risks NO_RISK, MEDIUM_RISK, HIGH_RISK. "
                "Blank: generated from the severity (every practice -> NO_RISK, anything else "
                "-> the severity)."
            ),
        ),
        (
            _("None of these"),
            _(
                'orr adds the choice <question id>_no, "None of these", unless the question\'s '
                '"none of these" column says no; its row comes last.'
            ),
        ),
        (
            _("Waivable"),
            _(
                '"no" on a practice: a review may never mark it not applicable. "All or '
                'nothing" yes on a question: every practice is meant to block the launch.'
            ),
        ),
        (
            _("Lists"),
            _(
                "evidence one per line; references, incidents, tags and tiers one per line or "
                "separated by commas; more helpful / more improvement one link per line as "
                "`text | url`."
            ),
        ),
        (
            _("Editing"),
            _(
                "Change the workbook and run `orr xlsx import BOOK.xlsx -o DIR` to turn it back "
                "into checklist TOML files; every problem is reported with its sheet and cell."
            ),
        ),
    ]


# --- the checklist workbook ----------------------------------------------------------------------


def checklist_book(checklist: Checklist) -> Book:
    """The workbook of a checklist (not yet written)."""
    book = Book()
    infos, file_of = source_infos(checklist)
    m = checklist.manifest
    exported = now_utc().replace(tzinfo=None)
    book.page.left = header_text(f"{m.name} {m.version}")
    book.page.footer_left = header_text(
        _("exported {date}").format(date=exported.date().isoformat())
    )
    readme_sheet(
        book,
        [
            ("#", _("{name}: the checklist").format(name=m.name)),
            (
                _("What this is"),
                _(
                    "The operational readiness review (ORR) checklist, exported by orr from its "
                    "TOML files, for stakeholders to read, comment on and edit."
                ),
            ),
            (_("Lens"), _("{name} (id {id})").format(name=m.name, id=m.id)),
            (_("Version"), m.version),
            (_("Description"), m.description),
            (
                _("Questions"),
                _("{questions} in {pillars} pillars").format(
                    questions=len(checklist.questions), pillars=len(checklist.pillars)
                ),
            ),
            (_("Exported"), exported),
            *checklist_help(),
        ],
    )
    _checklist_sheet(book, checklist, file_of)
    _pillars_sheet(book, checklist, None, hidden=False)
    _lens_sheets(book, checklist, infos)
    return book


# --- the review workbook -------------------------------------------------------------------------


def review_sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


COUNT_LABELS = [
    ("questions", N_("Questions in scope")),
    ("answered", N_("Answered (not applicable included)")),
    ("unanswered", N_("Unanswered")),
    ("not_applicable", N_("Not applicable")),
    ("findings", N_("Findings")),
    ("high", N_("HIGH risk findings")),
    ("medium", N_("MEDIUM risk findings")),
    ("mitigations", N_("Mitigations")),
    ("mitigations_open", N_("Mitigations not done")),
    ("mitigations_overdue", N_("Mitigations overdue")),
    ("acceptances", N_("Valid risk acceptances")),
    ("acceptances_expired", N_("Expired risk acceptances")),
    ("signoffs_required", N_("Sign-offs required")),
    ("signoffs_valid", N_("Valid sign-offs")),
    ("blockers", N_("Blockers")),
    ("conditions", N_("Conditions")),
]
SUMMARY_WIDTHS = [26.0, 50.0, 20.0, 13.0, 14.0, 11.0, 9.0, 12.0]
SUMMARY_LIST_LIMIT = 25  # blockers or conditions listed on the one-page Summary


def _summary(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    sheet = book.sheet(L.sheet_title(L.SUMMARY), freeze=None, header=False)
    sheet.widths(SUMMARY_WIDTHS)
    sheet.print.one_page = True
    sheet.print.title_row = False
    w = review.workload
    sheet.append([Styled(_("Operational readiness review: {name}").format(name=w.name), "title")])
    sheet.blank()
    tier = (
        ", " + _("tier {tier}").format(tier=review.checklist.tier) if review.checklist.tier else ""
    )
    days = gate.days_left
    facts: list[tuple[str, object]] = [
        (_("Workload"), w.name),
        (_("Description"), w.description),
        (_("Environment"), environment_label(w.environment)),
        (_("Owner"), w.owner),
        (_("Regions"), ", ".join(w.regions)),
        (_("Launch date"), Styled(w.launch_date, "date")),
        (_("As of"), Styled(gate.today, "date")),
        (_("Days left"), Styled(days, "text" if days >= 0 else "overdue")),
        (_("Verdict"), Styled(gate.verdict.label, "verdict")),
        (_("Checklist"), f"{checklist.manifest.name} {checklist.manifest.version}{tier}"),
    ]
    if gate.behind_checklist:
        facts.append((_("Checklist changed"), _("yes: the review must be rebased onto it")))
    chart_top = sheet.rows + 1
    for label, value in facts:
        sheet.append([Styled(label, "label"), value])
    sheet.blank()
    sheet.append([Styled(_("Count"), "header"), Styled(None, "header")])
    for key, label in COUNT_LABELS:
        sheet.append([_(label), Styled(gate.counts.get(key, 0), "text")])
    sheet.blank()

    headers = [
        _("pillar"),
        _("name"),
        _("questions"),
        _("HIGH"),
        _("MEDIUM"),
        _("no risk"),
        _("N/A"),
        _("unanswered"),
    ]
    top = sheet.append([Styled(h, "header") for h in headers])
    for p in gate.pillars:
        sheet.append([p.id, p.name, p.total, p.high, p.medium, p.none, p.na, p.total - p.answered])
    bottom = sheet.rows
    if gate.pillars:
        _chart(sheet, top, bottom, anchor=f"D{chart_top}", rows=top - chart_top - 1)
    sheet.blank()

    for title, items in ((_("Blockers"), gate.blockers), (_("Conditions"), gate.conditions)):
        header = [
            f"{title} ({len(items)})",
            _("what to do"),
            _("question"),
            _("role"),
            _("owner"),
            _("due"),
        ]
        sheet.append([Styled(h, "header") for h in header])
        if not items:
            sheet.append([Styled(_("none"), "muted")])
        for item in items[:SUMMARY_LIST_LIMIT]:
            late = item.due is not None and item.due < gate.today
            sheet.append(
                [
                    _(GATE_KINDS.get(item.kind, str(item.kind))),
                    item.message,
                    item.question,
                    item.role,
                    item.owner,
                    Styled(item.due, "overdue_date" if late else "date"),
                ]
            )
        if len(items) > SUMMARY_LIST_LIMIT:
            more = len(items) - SUMMARY_LIST_LIMIT
            sheet.append(
                [
                    None,
                    Styled(
                        _("… and {count} more: see Findings and the Checklist").format(count=more),
                        "muted",
                    ),
                ]
            )
        sheet.blank()


def _chart(sheet: SheetWriter, top: int, bottom: int, *, anchor: str, rows: int) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = _("Questions per pillar")
    chart.y_axis.title = _("questions")
    # Without an explicit "not deleted", recent Excel versions hide the axes of openpyxl charts.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Beside the facts and counts, within the printed page (widths of columns D to H).
    chart.width = round(sum(SUMMARY_WIDTHS[3:]) * 0.19)
    chart.height = max(6.0, min(0.53 * rows, 13.0))
    data = Reference(sheet.ws, min_col=4, max_col=8, min_row=top, max_row=bottom)
    cats = Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=bottom)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, rgb in zip(
        chart.series, ("E06666", "F6B26B", "93C47D", "B7B7B7", "D9D9D9"), strict=False
    ):
        series.graphicalProperties.solidFill = rgb
        series.graphicalProperties.line.solidFill = rgb
    sheet.ws.add_chart(chart, anchor)


def _severity_order(finding: Finding) -> tuple[int, date, int]:
    rank = 0 if finding.risk is Risk.HIGH_RISK else 1
    return rank, finding.due or date.max, 0


def ordered_findings(gate: Gate) -> list[Finding]:
    """The findings most severe first (HIGH, then MEDIUM), then by due date (none last), then
    in checklist order."""
    position = {f.question_id: i for i, f in enumerate(gate.findings)}
    return sorted(
        gate.findings,
        key=lambda f: (*_severity_order(f)[:2], position[f.question_id]),
    )


def _mitigation_line(m: Mitigation, today: date) -> str:
    if m.status is MitigationStatus.WITHDRAWN:
        return _("{id} {title}: withdrawn").format(id=m.id, title=m.title)
    parts = [m.owner or _("no owner")]
    parts.append(_("due {date}").format(date=m.due.isoformat()) if m.due else _("no due date"))
    parts.append(_(STATUS_WORDS[m.status]))
    if is_overdue(m, today):
        parts.append(_("{days} days overdue").format(days=days_overdue(m, today)))
    if m.blocking and m.status is not MitigationStatus.DONE:
        parts.append(_("blocking"))
    if m.ticket:
        parts.append(m.ticket)
    return f"{m.id} {m.title}: " + ", ".join(parts)


def _plan_text(finding: Finding, today: date) -> str:
    lines: list[str] = []
    for a in finding.acceptances:
        if acceptance_valid(a, today):
            line = _("{id} risk accepted by {approver} ({role}) until {date}: {rationale}").format(
                id=a.id,
                approver=a.approver,
                role=a.role,
                date=a.expires.isoformat(),
                rationale=a.rationale,
            )
            if a.compensating_controls:
                line += " " + _("Compensating controls: {controls}").format(
                    controls=a.compensating_controls
                )
        else:
            line = _("{id} acceptance by {approver} expired on {date}").format(
                id=a.id, approver=a.approver, date=a.expires.isoformat()
            )
        lines.append(line)
    lines += [_mitigation_line(m, today) for m in finding.mitigations]
    return "\n".join(lines) if lines else _("no mitigation and no acceptance yet")


def _gap_text(state: QuestionState) -> str:
    lines: list[str] = []
    for choice in state.missing:
        line = "• " + choice.title
        if choice.improvement is not None:
            line += ": " + choice.improvement.text
            if choice.improvement.url:
                line += f" ({choice.improvement.url})"
        lines.append(line)
    return "\n".join(lines)


def _na_text(state: QuestionState) -> str:
    lines: list[str] = []
    for cid in state.na_practices:
        choice = state.question.choice(cid)
        text = _practice_na_text(state, cid)
        if choice is not None and text:
            lines.append(f"• {choice.title}: {text}")
    return "\n".join(lines)


def _findings(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    columns = L.FINDING_COLUMNS
    headers = [c.header for c in columns]
    sheet = book.sheet(L.sheet_title(L.FINDINGS), columns, freeze="B2")
    sheet.print.last_column = headers.index(L.FINDINGS_PRINTED) + 1
    sheet.print.landscape = True
    pillar_names = {p.id: p.name for p in checklist.pillars}
    today = gate.today
    for finding in ordered_findings(gate):
        qid = finding.question_id
        state = gate.state(qid)
        items = [i for i in gate.items_of(qid) if i.kind in FINDING_KINDS]
        needed = "\n".join(i.message for i in items)
        if not needed and finding.status is FindingStatus.MITIGATED:
            needed = _("nothing before the launch: {ids} done").format(
                ids=", ".join(m.id for m in finding.done)
            )
        owners = list(dict.fromkeys(i.owner for i in items if i.owner))
        late = max((days_overdue(m, today) for m in finding.pending), default=0)
        notes = ""
        if state is not None and state.answer is not None:
            notes = "\n".join(
                [*([state.answer.notes] if state.answer.notes else []), *_evidence_lines(state)]
            )
        row: dict[str, object] = {
            L.F_FINDING: finding.title,
            L.F_RISK: str(finding.risk),
            L.F_STATUS: _(FINDING_STATUS[finding.status]) + "\n" + _(EFFECTS[finding.effect]),
            L.F_GAP: _gap_text(state) if state is not None else None,
            L.F_NA: _na_text(state) if state is not None else None,
            L.F_NOTES: notes,
            L.F_PLAN: _plan_text(finding, today),
            L.F_NEXT: needed,
            L.F_OWNER: ", ".join(owners),
            L.F_DUE: Styled(finding.due, "overdue_date" if finding.overdue else "date"),
            L.F_OVERDUE: Styled(late, "overdue") if late else None,
            L.F_QUESTION_ID: qid,
            L.F_PILLAR: pillar_names.get(finding.pillar_id, finding.pillar_id),
        }
        sheet.append([row.get(h) for h in headers])
    sheet.highlight(headers.index(L.F_RISK) + 1, dict(RISK_FILLS))


def stakeholder_names(review: Review) -> list[str]:
    """Whom the owner drop-down offers: the review's stakeholders, then other owners."""
    return list(
        dict.fromkeys(
            [s.name for s in review.stakeholders] + [m.owner for m in review.mitigations if m.owner]
        )
    )


def _lists(book: Book, names: list[str]) -> None:
    """A hidden sheet of the lists drop-downs offer (a list in a cell cannot hold commas)."""
    sheet = book.sheet(L.LISTS, L.LIST_COLUMNS, hidden=True)
    sheet.filter = False
    for name in names:
        sheet.append([name])


def _mitigations(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    columns = L.MITIGATION_COLUMNS
    headers = [c.header for c in columns]
    sheet = book.sheet(L.sheet_title(L.MITIGATIONS), columns, freeze="B2")
    sheet.print.last_column = headers.index(L.MITIGATIONS_PRINTED) + 1
    sheet.print.landscape = True
    sheet.min_rows = len(review.mitigations) + 1
    questions = checklist.question_index()
    finding_of = {f.question_id: f for f in gate.findings}
    by_question: dict[str, list[Mitigation]] = {}
    for m in review.mitigations:
        by_question.setdefault(m.question, []).append(m)
    order = [f.question_id for f in ordered_findings(gate) if f.question_id in by_question]
    order += [q for q in by_question if q not in finding_of]
    for qid in order:
        question = questions.get(qid)
        finding = finding_of.get(qid)
        for m in by_question[qid]:
            late = is_overdue(m, gate.today)
            row: dict[str, object] = {
                L.MITIGATION_ID: m.id,
                L.M_QUESTION: qid,
                L.M_PILLAR: question.pillar_id if question else None,
                L.M_FINDING: question.title if question else _("(no longer in the checklist)"),
                L.M_RISK: str(finding.risk) if finding else _("no finding"),
                L.M_TITLE: m.title,
                L.M_OWNER: m.owner,
                L.M_DUE: Styled(m.due, "overdue_date" if late else "date"),
                L.M_STATUS: _(STATUS_WORDS[m.status]),
                L.M_BLOCKING: L.yes_no(m.blocking),
                L.M_TICKET: m.ticket,
                L.M_NOTES: m.notes,
                L.M_OVERDUE: Styled(days_overdue(m, gate.today), "overdue") if late else None,
                L.M_UPDATED_AT: m.updated_at,
                L.M_UPDATED_BY: m.updated_by,
            }
            sheet.append([row.get(h) for h in headers])
    statuses = [_(STATUS_WORDS[s]) for s in MitigationStatus]
    sheet.drop_down(
        headers.index(L.M_STATUS) + 1,
        statuses,
        prompt=_("open, in_progress, done or withdrawn"),
    )
    names = stakeholder_names(review)
    if names:
        sheet.drop_down(
            headers.index(L.M_OWNER) + 1,
            f"{L.LISTS}!$A$2:$A${len(names) + 1}",
            strict=False,
            prompt=_("a stakeholder of the review, or another name"),
        )
    sheet.dates_only(headers.index(L.M_DUE) + 1, prompt=_("a date: YYYY-MM-DD"))
    sheet.drop_down(headers.index(L.M_BLOCKING) + 1, [L.yes_no(True), L.yes_no(False)])
    sheet.highlight(headers.index(L.M_RISK) + 1, {**RISK_FILLS, _("no finding"): MUTED_FILL})
    sheet.highlight(
        headers.index(L.M_STATUS) + 1,
        {
            _(STATUS_WORDS[MitigationStatus.DONE]): RISK_FILLS["NO_RISK"],
            _(STATUS_WORDS[MitigationStatus.IN_PROGRESS]): RISK_FILLS["MEDIUM_RISK"],
            _(STATUS_WORDS[MitigationStatus.WITHDRAWN]): MUTED_FILL,
        },
    )


def _acceptances(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    sheet = book.sheet(L.sheet_title(L.ACCEPTANCES), L.ACCEPTANCE_COLUMNS, freeze="B2")
    sheet.print.landscape = True
    questions = checklist.question_index()
    valid_word, expired_word = L.yes_no(True), _("expired")
    for a in review.acceptances:
        valid = acceptance_valid(a, gate.today)
        q = questions.get(a.question)
        sheet.append(
            [
                a.id,
                a.question,
                q.title if q else None,
                a.approver,
                a.role,
                a.rationale,
                a.compensating_controls,
                Styled(a.expires, "date" if valid else "overdue_date"),
                valid_word if valid else expired_word,
                a.created_at,
                a.created_by,
            ]
        )
    role_col = _letter(L.lens_table_column(L.ROLE_ID))
    sheet.drop_down(5, f"{L.sheet_ref(L.LENS)}!${role_col}$2:${role_col}$200")
    sheet.highlight(9, {valid_word: RISK_FILLS["NO_RISK"], expired_word: OVERDUE_FILL})


def _signoffs(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    sheet = book.sheet(L.sheet_title(L.SIGNOFFS), L.SIGNOFF_COLUMNS)
    sheet.print.landscape = True
    for state in gate.signoffs:
        s = state.signoff
        status_word, note_word = SIGNOFF_WORDS[state.status]
        status, note = _(status_word), _(note_word)
        if s is None:
            who = ", ".join(review.stakeholders_with(state.role))
            note += " (" + _("stakeholders: {names}").format(names=who) + ")" if who else ""
        elif s.recorded_by:
            note += "; " + _("entered by {name} on their behalf").format(name=s.recorded_by)
        sheet.append(
            [
                state.role,
                state.role_name,
                L.yes_no(state.required),
                s.name if s else None,
                _(DECISION_WORDS[s.decision]) if s else None,
                s.at if s else None,
                status,
                note,
            ]
        )
    role_col = _letter(L.lens_table_column(L.ROLE_ID))
    sheet.drop_down(1, f"{L.sheet_ref(L.LENS)}!${role_col}$2:${role_col}$200")
    sheet.drop_down(5, [_(word) for word in DECISION_WORDS.values()])
    bad = OVERDUE_FILL
    sheet.highlight(
        7,
        {
            _(SIGNOFF_WORDS[SignoffStatus.CURRENT][0]): RISK_FILLS["NO_RISK"],
            _(SIGNOFF_WORDS[SignoffStatus.MISSING][0]): bad,
            _(SIGNOFF_WORDS[SignoffStatus.STALE][0]): bad,
            _(SIGNOFF_WORDS[SignoffStatus.REJECTED][0]): bad,
        },
    )


def _audit(book: Book, review: Review) -> None:
    sheet = book.sheet(L.sheet_title(L.AUDIT), L.AUDIT_COLUMNS)
    sheet.print.landscape = False
    for entry in review.audit:
        sheet.append([entry.at, entry.who, entry.action, entry.detail])


def _meta(book: Book, review: Review, review_file: str, digest: str, exported: datetime) -> None:
    sheet = book.sheet(L.META, L.META_COLUMNS, hidden=True)
    sheet.filter = False
    for key, value in (
        ("format", L.REVIEW_BOOK_FORMAT),
        ("version", str(L.BOOK_VERSION)),
        ("review file", review_file),
        ("review sha256", digest),
        ("workload", review.workload.name),
        ("exported at", exported.isoformat()),
    ):
        sheet.append([key, value])
    sheet.blank()
    sheet.append(list(L.META_MITIGATION_HEADER))
    for m in review.mitigations:
        sheet.append([m.id, m.status, m.owner, m.due.isoformat() if m.due else "", m.notes])


def review_book(
    review: Review,
    checklist: Checklist,
    *,
    review_file: str,
    review_bytes: bytes,
    today: date,
) -> Book:
    """The workbook of a review (not yet written). ``review_bytes`` is the review file as read,
    recorded (as a hash) so that a merge can tell what changed in the file since;
    ``review_file`` is recorded as its name alone (never the exporter's folders)."""
    gate = evaluate_gate(review, checklist, today)
    in_scope = scope(review, checklist)
    infos, file_of = source_infos(checklist, details=False)
    exported = now_utc()
    book = Book()
    w = review.workload
    m = checklist.manifest
    book.page.left = header_text(w.name)
    book.page.right = header_text(gate.verdict.label)
    book.page.footer_left = header_text(
        _("as of {date}; launch {launch}").format(
            date=today.isoformat(), launch=w.launch_date.isoformat()
        )
    )
    _summary(book, review, checklist, gate)
    _findings(book, review, checklist, gate)
    _mitigations(book, review, checklist, gate)
    _acceptances(book, review, checklist, gate)
    _signoffs(book, review, checklist, gate)
    _checklist_sheet(book, in_scope, file_of, review, gate)
    _audit(book, review)
    readme_sheet(
        book,
        [
            ("#", _("Operational readiness review: {name}").format(name=w.name)),
            (
                _("What this is"),
                # Translators: Summary, Findings, Mitigations, Checklist, Pillars and Lens are
                # sheet names: use their translations.
                _(
                    "The readiness review of a workload before launch, exported by orr from its "
                    "review file: the launch gate (Summary), the findings and what each needs "
                    "next, the mitigations, risk acceptances, sign-offs, the answers (Checklist) "
                    "and the audit trail."
                ),
            ),
            (_("Workload"), w.name),
            (_("Launch date"), Styled(w.launch_date, "date")),
            (_("Verdict"), Styled(gate.verdict.label, "verdict")),
            (_("Lens"), _("{name} (id {id})").format(name=m.name, id=m.id)),
            (_("Version"), m.version),
            (_("Exported"), exported.replace(tzinfo=None)),
            (_("As of"), Styled(today, "date")),
            (
                _("Updating mitigations"),
                # Translators: Summary, Findings, Mitigations, Checklist, Pillars and Lens are
                # sheet names: use their translations.
                _(
                    "In Mitigations, change the status, owner, due date and notes (the columns "
                    "with a yellow header) and give the workbook back to the review's "
                    "facilitator, who merges the edits into the review; an edit to something "
                    "that also changed in the review since this export is reported, not applied."
                ),
            ),
            (
                _("Risk"),
                _(
                    "HIGH_RISK, MEDIUM_RISK or NO_RISK: the risk of the question's answer, "
                    "computed from its risk rules."
                ),
            ),
            (
                _("Hidden sheets"),
                # Translators: Summary, Findings, Mitigations, Checklist, Pillars and Lens are
                # sheet names: use their translations.
                _(
                    "Pillars and Lens hold the checklist's own settings (unhide them to read "
                    "them); _orr and _lists are for orr."
                ),
            ),
            *checklist_help(review=True),
        ],
    )
    _lists(book, stakeholder_names(review))
    _pillars_sheet(book, in_scope, gate, hidden=True)
    _lens_sheets(book, checklist, infos, hidden=True)
    _meta(book, review, review_file, review_sha256(review_bytes), exported)
    book.active = L.sheet_title(L.SUMMARY)
    return book


# --- commands ------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    kind: str  # "checklist" or "review"
    summary: str  # in the language in use


def is_review_file(path: Path) -> bool:
    """A review file has a [workload] table; a manifest does not."""
    data = parse_toml(read_text(path), display_path(path)) if path.suffix == ".toml" else {}
    return isinstance(data.get("workload"), dict)


def default_output(source: Path, checklist_id: str | None) -> Path:
    if checklist_id is not None:
        return Path(f"{checklist_id}.xlsx")
    return source.with_suffix(".xlsx")


def export_checklist(manifest: Path, out: Path | None) -> ExportResult:
    checklist = load_checklist(manifest)
    target = out or default_output(manifest, checklist.manifest.id)
    checklist_book(checklist).save(target)
    return ExportResult(
        target,
        "checklist",
        _("{questions} questions, {choices} choice rows").format(
            questions=len(checklist.questions),
            choices=sum(len(q.choices) for q in checklist.questions),
        ),
    )


def export_review(review_path: Path, out: Path | None, today: date) -> ExportResult:
    from orr.review.checklists import load_review_checklist

    # One read: the hash recorded for the merge is of exactly the text exported.
    text = read_text(review_path)
    raw = text.encode("utf-8")
    review = parse_review(text, display_path(review_path))
    checklist = load_review_checklist(review, review_path)
    target = out or default_output(review_path, None)
    book = review_book(
        review,
        checklist,
        review_file=review_path.name,
        review_bytes=raw,
        today=today,
    )
    book.save(target)
    gate = evaluate_gate(review, checklist, today)
    return ExportResult(
        target,
        "review",
        _("review of {workload}: {verdict}, {findings} findings, {mitigations} mitigations").format(
            workload=clean_text(review.workload.name),
            verdict=gate.verdict.label,
            findings=len(gate.findings),
            mitigations=len(review.mitigations),
        ),
    )
