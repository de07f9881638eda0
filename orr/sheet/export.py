"""`orr xlsx export`: a checklist, or a review with its findings, as a workbook for stakeholders.

A checklist workbook: README, Checklist (one row per question and choice), Pillars, Lens, Roles,
Tiers, and a hidden ``_sources`` sheet; together they hold everything the TOML files say, so
`orr xlsx import` turns the workbook back into the same checklist.

A review workbook adds the Summary (the launch gate, counts, per-pillar table and chart), the
answers and computed risk in the Checklist, Findings & Mitigations, Risk Acceptances, Sign-offs
and the audit trail, and a hidden ``_orr`` sheet recording what the review said at export so
that `orr xlsx merge` can tell a stakeholder's edit from a change made in the review file since.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from orr.checklist.load import load_checklist
from orr.checklist.model import (
    Checklist,
    ChecklistQuestion,
    Choice,
    Resource,
)
from orr.review.gate import Gate, evaluate_gate, scope
from orr.review.model import Mitigation, MitigationStatus, Review, now_utc
from orr.review.state import (
    AnswerState,
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
        info.include = [str(i) for i in data.get("include", []) if isinstance(i, str)]
        for pillar in data.get("pillars", []):
            if isinstance(pillar, dict) and isinstance(pillar.get("id"), str):
                info.pillars.append(pillar["id"])
                if pillar.get("name"):
                    info.named.append(pillar["id"])
    return infos, names


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
        L.SEVERITY: str(spec.severity),
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
        L.NONE_CHOICE: "yes" if spec.none_choice else "no",
        L.SOURCE_FILE: file_of.get(question.source, question.source),
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
        )
        for column, value in zip(at, values, strict=True):
            row[column] = value
        yield choice, row


RISK_TEXT_FILLS = {**RISK_FILLS, "unanswered": MUTED_FILL, "not applicable": MUTED_FILL}


def _checklist_sheet(
    book: Book,
    checklist: Checklist,
    file_of: dict[str, str],
    review: Review | None = None,
    gate: Gate | None = None,
) -> SheetWriter:
    # Plain values only: colours, the rule above each question and its bold title come from
    # conditional formatting, so the sheet costs little more than its values (issue 5 figures).
    columns = L.review_checklist_columns() if review is not None else L.CHECKLIST_COLUMNS
    headers = [c.header for c in columns]
    index = {h: i for i, h in enumerate(headers)}
    sheet = book.sheet(L.CHECKLIST, columns, freeze="D2")
    for question in checklist.questions:
        state = None
        if review is not None:
            state = (gate.state(question.id) if gate is not None else None) or question_state(
                question, review.answers.get(question.id)
            )
        for i, (choice, row) in enumerate(question_rows(question, file_of, index)):
            if state is not None:
                if choice.id in state.selected:
                    row[index[L.SELECTED]] = "yes"
                elif choice.id in state.na_practices:
                    row[index[L.SELECTED]] = "n/a"
                row[index[L.RISK]] = _risk_text(state)
                if i == 0:
                    for name, value in _answer_cells(state).items():
                        row[index[name]] = value
            sheet.append(row)
    checklist_drop_downs(sheet, headers)
    if review is not None:
        sheet.highlight(headers.index(L.RISK) + 1, RISK_TEXT_FILLS)
        sheet.highlight(headers.index(L.SELECTED) + 1, {"yes": RISK_FILLS["NO_RISK"]})
    return sheet


def checklist_drop_downs(sheet: SheetWriter, headers: list[str]) -> None:
    """Drop-downs on pillar, severity, owner role, tiers and "none of these"; a rule above the
    first row of each question, whose title is bold."""
    sheet.drop_down(headers.index(L.PILLAR) + 1, f"'{L.PILLARS}'!$A$2:$A$200", strict=False)
    sheet.drop_down(
        headers.index(L.SEVERITY) + 1,
        ["high", "medium"],
        prompt="high: launch-blocking when unmet; medium: needs a plan",
    )
    sheet.drop_down(headers.index(L.OWNER_ROLE) + 1, f"'{L.ROLES}'!$A$2:$A$200")
    sheet.drop_down(headers.index(L.TIER) + 1, f"'{L.TIERS}'!$A$2:$A$200", strict=False)
    sheet.drop_down(headers.index(L.NONE_CHOICE) + 1, ["yes", "no"])
    sheet.separate(headers.index(L.QUESTION) + 1, bold_column=headers.index(L.QUESTION) + 1)


def _risk_text(state: QuestionState) -> str:
    if state.risk is not None:
        return str(state.risk)
    return "not applicable" if state.state is AnswerState.NOT_APPLICABLE else "unanswered"


def _answer_cells(state: QuestionState) -> dict[str, object]:
    answer = state.answer
    question = state.question
    if answer is None:
        return {L.ANSWER: "unanswered"}
    if state.unknown:
        text = "unanswered: names " + ", ".join(state.unknown) + ", not in the question"
    elif state.state is AnswerState.NOT_APPLICABLE:
        reason = str(state.na_reason) if state.na_reason else "no reason given"
        note = answer.na_note if not answer.applicable else "every practice"
        text = f"not applicable ({reason})" + (f": {note}" if note else "")
    elif not state.answered:
        text = "unanswered (notes only)"
    elif list(state.selected) == [question.none_choice_id]:
        text = "None of these"
    else:
        practices = question.practice_ids
        text = f"{sum(1 for c in state.selected if c in practices)} of {len(practices)} practices"
        if state.na_practices:
            text += f", {len(state.na_practices)} not applicable"
    if answer.reconfirm:
        text += "; re-confirm: the question changed since"
    notes = answer.notes
    links = [
        f"evidence: {e.url}"
        + (f" ({e.description})" if e.description else "")
        + (f", verified {e.verified_on.isoformat()}" if e.verified_on else "")
        for e in answer.evidence
    ]
    if links:
        notes = "\n".join([notes, *links]) if notes else "\n".join(links)
    return {
        L.ANSWER: text,
        L.NOTES: notes,
        L.ANSWERED_BY: answer.answered_by,
        L.ANSWERED_AT: answer.answered_at,
    }


def _pillars_sheet(book: Book, checklist: Checklist, gate: Gate | None) -> None:
    columns = [*L.PILLAR_COLUMNS, *L.PILLAR_STATS]
    if gate is not None:
        columns += L.PILLAR_REVIEW_STATS
    sheet = book.sheet(L.PILLARS, columns)
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


def _lens_sheets(book: Book, checklist: Checklist, infos: list[SourceInfo]) -> None:
    m = checklist.manifest
    lens = book.sheet(L.LENS, L.LENS_COLUMNS)
    values: dict[str, str] = {
        L.LENS_ID: m.id,
        L.LENS_NAME: m.name,
        L.LENS_DESCRIPTION: m.description,
        L.LENS_VERSION: m.version,
        L.LENS_SIGNOFFS: L.join_lines(m.required_signoffs),
        L.LENS_INCLUDE: L.join_lines(m.include),
        L.LENS_INCIDENTS: m.incidents,
    }
    for name, about in L.LENS_FIELDS:
        lens.append([Styled(name, "label"), values.get(name), Styled(about, "muted")])
    roles = book.sheet(L.ROLES, L.ROLE_COLUMNS)
    for rid, role in m.roles.items():
        roles.append([rid, role.name, role.description])
    tiers = book.sheet(L.TIERS, L.TIER_COLUMNS)
    for tid, tier in m.tiers.items():
        tiers.append([tid, tier.description])
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
            ]
        )


def _readme(book: Book, lines: list[tuple[str, object]]) -> None:
    sheet = book.sheet(L.README, freeze=None, header=False)
    sheet.widths([28, 100])
    for label, value in lines:
        if label == "#":
            sheet.append([Styled(value, "title")])
        elif label == "":
            sheet.append([None, value])
        else:
            sheet.append([Styled(label, "label"), value])


CHECKLIST_HELP = [
    (
        "Checklist",
        "One row per question and choice. The question's columns (description, "
        "evidence, references, risk rules, ...) are on its first row; pillar, question id, title, "
        "severity, owner role, source and tiers are repeated on every row so that a filter keeps "
        "whole questions together.",
    ),
    ("Severity", "high: launch-blocking when unmet; medium: must have a plan."),
    (
        "Risk rules",
        "Optional, one per line: `condition -> RISK` with choice ids, !, &&, ||, "
        "parentheses, and `default -> RISK` last; risks NO_RISK, MEDIUM_RISK, HIGH_RISK. Blank: "
        "generated from the severity (every practice -> NO_RISK, anything else -> the severity).",
    ),
    (
        "None of these",
        'orr adds the choice <question id>_no, "None of these", unless the '
        'question\'s "none of these" column says no; its row comes last.',
    ),
    (
        "Lists",
        "evidence one per line; references, incidents, tags and tiers one per line or "
        "separated by commas; more helpful / more improvement one link per line as `text | url`.",
    ),
    (
        "Editing",
        "Change the workbook and run `orr xlsx import BOOK.xlsx -o DIR` to turn it back "
        "into checklist TOML files; every problem is reported with its sheet and cell.",
    ),
]


# --- the checklist workbook ----------------------------------------------------------------------


def checklist_book(checklist: Checklist) -> Book:
    """The workbook of a checklist (not yet written)."""
    book = Book()
    infos, file_of = source_infos(checklist)
    m = checklist.manifest
    _readme(
        book,
        [
            ("#", f"{m.name}: the checklist"),
            (
                "What this is",
                "The operational readiness review (ORR) checklist, exported by orr "
                "from its TOML files, for stakeholders to read, comment on and edit.",
            ),
            ("Lens", f"{m.name} (id {m.id})"),
            ("Version", m.version),
            ("Description", m.description),
            ("Questions", f"{len(checklist.questions)} in {len(checklist.pillars)} pillars"),
            ("Exported", now_utc().replace(tzinfo=None)),
            *CHECKLIST_HELP,
        ],
    )
    _checklist_sheet(book, checklist, file_of)
    _pillars_sheet(book, checklist, None)
    _lens_sheets(book, checklist, infos)
    return book


# --- the review workbook -------------------------------------------------------------------------


def review_sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


COUNT_LABELS = [
    ("questions", "Questions in scope"),
    ("answered", "Answered (not applicable included)"),
    ("unanswered", "Unanswered"),
    ("not_applicable", "Not applicable"),
    ("findings", "Findings"),
    ("high", "HIGH risk findings"),
    ("medium", "MEDIUM risk findings"),
    ("mitigations", "Mitigations"),
    ("mitigations_open", "Mitigations not done"),
    ("mitigations_overdue", "Mitigations overdue"),
    ("acceptances", "Valid risk acceptances"),
    ("acceptances_expired", "Expired risk acceptances"),
    ("signoffs_required", "Sign-offs required"),
    ("signoffs_valid", "Valid sign-offs"),
    ("blockers", "Blockers"),
    ("conditions", "Conditions"),
]


def _summary(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    sheet = book.sheet(L.SUMMARY, freeze=None, header=False)
    sheet.widths([30, 44, 13, 13, 13, 13, 13, 13, 13])
    w = review.workload
    sheet.append([Styled(f"Operational readiness review: {w.name}", "title")])
    sheet.blank()
    tier = f", tier {review.checklist.tier}" if review.checklist.tier else ""
    days = gate.days_left
    facts: list[tuple[str, object]] = [
        ("Workload", w.name),
        ("Description", w.description),
        ("Environment", w.environment),
        ("Owner", w.owner),
        ("Regions", ", ".join(w.regions)),
        ("Launch date", Styled(w.launch_date, "date")),
        ("As of", Styled(gate.today, "date")),
        ("Days left", days if days >= 0 else Styled(days, "overdue")),
        ("Verdict", Styled(gate.verdict.label, "verdict")),
        ("Checklist", f"{checklist.manifest.name} {checklist.manifest.version}{tier}"),
    ]
    if gate.behind_checklist:
        facts.append(("Checklist changed", "yes: the review must be rebased onto it"))
    for label, value in facts:
        sheet.append([Styled(label, "label"), value])
    sheet.blank()
    sheet.append([Styled("Count", "header"), Styled("", "header")])
    for key, label in COUNT_LABELS:
        sheet.append([label, gate.counts.get(key, 0)])
    sheet.blank()

    headers = ["pillar", "name", "questions", "HIGH", "MEDIUM", "no risk", "N/A", "unanswered"]
    top = sheet.append([Styled(h, "header") for h in headers])
    for p in gate.pillars:
        sheet.append([p.id, p.name, p.total, p.high, p.medium, p.none, p.na, p.total - p.answered])
    bottom = sheet.rows
    if gate.pillars:
        _chart(sheet, top, bottom)
    sheet.blank()

    for title, items in (("Blockers", gate.blockers), ("Conditions", gate.conditions)):
        header = [f"{title} ({len(items)})", "what to do", "question", "role", "owner", "due"]
        sheet.append([Styled(h, "header") for h in header])
        if not items:
            sheet.append([Styled("none", "muted")])
        for item in items:
            late = item.due is not None and item.due < gate.today
            sheet.append(
                [
                    item.kind.replace("_", " "),
                    item.message,
                    item.question,
                    item.role,
                    item.owner,
                    Styled(item.due, "overdue_date" if late else "date"),
                ]
            )
        sheet.blank()


def _chart(sheet: SheetWriter, top: int, bottom: int) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Questions per pillar"
    chart.y_axis.title = "questions"
    # Without an explicit "not deleted", recent Excel versions hide the axes of openpyxl charts.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height = max(7.5, 1.0 + 0.8 * (bottom - top))
    chart.width = 18
    data = Reference(sheet.ws, min_col=4, max_col=8, min_row=top, max_row=bottom)
    cats = Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=bottom)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, rgb in zip(
        chart.series, ("E06666", "F6B26B", "93C47D", "B7B7B7", "D9D9D9"), strict=False
    ):
        series.graphicalProperties.solidFill = rgb
        series.graphicalProperties.line.solidFill = rgb
    sheet.ws.add_chart(chart, "K2")


def _mitigations(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    columns = L.MITIGATION_COLUMNS
    headers = [c.header for c in columns]
    sheet = book.sheet(L.MITIGATIONS, columns, freeze="B2")
    questions = checklist.question_index()
    finding_of = {f.question_id: f for f in gate.findings}
    by_question: dict[str, list[Mitigation]] = {}
    for m in review.mitigations:
        by_question.setdefault(m.question, []).append(m)
    order = [f.question_id for f in gate.findings]
    order += [q for q in by_question if q not in finding_of]
    for qid in order:
        question = questions.get(qid)
        finding = finding_of.get(qid)
        base: dict[str, object] = {
            L.M_QUESTION: qid,
            L.M_PILLAR: question.pillar_id if question else None,
            L.M_FINDING: question.title if question else "(no longer in the checklist)",
            L.M_RISK: str(finding.risk) if finding else "no finding",
        }
        mitigations = by_question.get(qid, [])
        if not mitigations:
            row = dict(base)
            row[L.M_TITLE] = "no mitigation yet (add one with orr review mitigate)"
            sheet.append([row.get(h) for h in headers])
            continue
        for m in mitigations:
            late = is_overdue(m, gate.today)
            row = dict(base)
            row.update(
                {
                    L.MITIGATION_ID: m.id,
                    L.M_TITLE: m.title,
                    L.M_OWNER: m.owner,
                    L.M_DUE: Styled(m.due, "overdue_date") if late else m.due,
                    L.M_STATUS: m.status,
                    L.M_BLOCKING: m.blocking,
                    L.M_TICKET: m.ticket,
                    L.M_NOTES: m.notes,
                    L.M_OVERDUE: days_overdue(m, gate.today) if late else None,
                    L.M_UPDATED_AT: m.updated_at,
                    L.M_UPDATED_BY: m.updated_by,
                }
            )
            sheet.append([row.get(h) for h in headers])
    sheet.drop_down(
        headers.index(L.M_STATUS) + 1,
        [s.value for s in MitigationStatus],
        prompt="open, in_progress or done",
    )
    sheet.drop_down(headers.index(L.M_BLOCKING) + 1, ["yes", "no"])
    sheet.highlight(headers.index(L.M_RISK) + 1, {**RISK_FILLS, "no finding": MUTED_FILL})
    sheet.highlight(
        headers.index(L.M_STATUS) + 1,
        {"done": RISK_FILLS["NO_RISK"], "in_progress": RISK_FILLS["MEDIUM_RISK"]},
    )


def _acceptances(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    sheet = book.sheet(L.ACCEPTANCES, L.ACCEPTANCE_COLUMNS, freeze="B2")
    questions = checklist.question_index()
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
                a.expires if valid else Styled(a.expires, "overdue_date"),
                "yes" if valid else "expired",
                a.created_at,
                a.created_by,
            ]
        )
    sheet.drop_down(5, f"'{L.ROLES}'!$A$2:$A$200")
    sheet.highlight(9, {"yes": RISK_FILLS["NO_RISK"], "expired": OVERDUE_FILL})


def _signoffs(book: Book, review: Review, checklist: Checklist, gate: Gate) -> None:
    sheet = book.sheet(L.SIGNOFFS, L.SIGNOFF_COLUMNS)
    text = {
        SignoffStatus.MISSING: ("missing", "no sign-off yet"),
        SignoffStatus.REJECTED: ("rejected", "resolve their concerns and sign again"),
        SignoffStatus.STALE: ("stale", "answers changed since: sign again"),
        SignoffStatus.CURRENT: ("valid", "covers the current answers"),
    }
    for state in gate.signoffs:
        s = state.signoff
        status, note = text[state.status]
        if s is None:
            who = ", ".join(review.stakeholders_with(state.role))
            note += f" (stakeholders: {who})" if who else ""
        elif s.recorded_by:
            note += f"; entered by {s.recorded_by} on their behalf"
        sheet.append(
            [
                state.role,
                state.role_name,
                "yes" if state.required else "no",
                s.name if s else None,
                s.decision if s else None,
                s.at if s else None,
                status,
                note,
            ]
        )
    sheet.drop_down(1, f"'{L.ROLES}'!$A$2:$A$200")
    sheet.drop_down(5, ["approve", "reject"])
    sheet.highlight(
        7,
        {
            "valid": RISK_FILLS["NO_RISK"],
            "missing": OVERDUE_FILL,
            "stale": OVERDUE_FILL,
            "rejected": OVERDUE_FILL,
        },
    )


def _audit(book: Book, review: Review) -> None:
    sheet = book.sheet(L.AUDIT, L.AUDIT_COLUMNS)
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
    recorded (as a hash) so that a merge can tell what changed in the file since."""
    gate = evaluate_gate(review, checklist, today)
    in_scope = scope(review, checklist)
    infos, file_of = source_infos(checklist, details=False)
    exported = now_utc()
    book = Book()
    w = review.workload
    m = checklist.manifest
    _readme(
        book,
        [
            ("#", f"Operational readiness review: {w.name}"),
            (
                "What this is",
                "The readiness review of a workload before launch, exported by orr "
                "from its review file: the launch gate, the answers, the findings and their "
                "mitigations, risk acceptances, sign-offs and the audit trail.",
            ),
            ("Workload", w.name),
            ("Launch date", Styled(w.launch_date, "date")),
            ("Verdict", Styled(gate.verdict.label, "verdict")),
            ("Lens", f"{m.name} (id {m.id})"),
            ("Version", m.version),
            ("Exported", exported.replace(tzinfo=None)),
            ("As of", Styled(today, "date")),
            (
                "Updating mitigations",
                "In Findings & Mitigations, change the status, owner, due "
                "date and notes (the columns with a yellow header). `orr xlsx merge BOOK.xlsx "
                "REVIEW.toml` brings those edits back into the review; an edit to something that "
                "also changed in the review file since this export is reported, not applied.",
            ),
            (
                "Risk",
                "HIGH_RISK, MEDIUM_RISK or NO_RISK: the risk of the question's answer, "
                "computed from its risk rules.",
            ),
            *CHECKLIST_HELP,
        ],
    )
    _summary(book, review, checklist, gate)
    _checklist_sheet(book, in_scope, file_of, review, gate)
    _mitigations(book, review, checklist, gate)
    _acceptances(book, review, checklist, gate)
    _signoffs(book, review, checklist, gate)
    _audit(book, review)
    _pillars_sheet(book, in_scope, gate)
    _lens_sheets(book, checklist, infos)
    _meta(book, review, review_file, review_sha256(review_bytes), exported)
    return book


# --- commands ------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    kind: str  # "checklist" or "review"
    summary: str


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
        f"{len(checklist.questions)} questions, "
        f"{sum(len(q.choices) for q in checklist.questions)} choice rows",
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
        review_file=os.path.abspath(review_path),
        review_bytes=raw,
        today=today,
    )
    book.save(target)
    gate = evaluate_gate(review, checklist, today)
    return ExportResult(
        target,
        "review",
        f"review of {clean_text(review.workload.name)}: {gate.verdict.label}, "
        f"{len(gate.findings)} findings, {len(review.mitigations)} mitigations",
    )
