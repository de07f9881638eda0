"""What changed between two versions of a review (`orr diff OLD NEW`).

Answers (choices, applicability, reasons, notes, evidence), the risk of each question going up or
down, findings opened and closed, mitigations added / changed / done / removed, acceptances
added / removed / changed / expired, sign-offs, workload fields, the checklist, and the verdict.
Pure: the checklists and the dates are passed in.

Each side is judged "as of" a date: the old file as of its last audit entry, the new one as of
``today``. An acceptance *expired* between them when it held on the old date and no longer does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from orr.checklist.model import Checklist
from orr.i18n import N_, _
from orr.review.gate import Gate, evaluate_gate
from orr.review.kinds import MitigationStatus, Verdict
from orr.review.model import Answer, Review
from orr.review.state import AnswerState, acceptance_valid, review_question_state
from orr.textsafe import one_line


@dataclass
class AnswerChange:
    question: str
    change: str  # added, removed, changed
    choices_added: list[str] = field(default_factory=list)
    choices_removed: list[str] = field(default_factory=list)
    applicable: tuple[bool, bool] | None = None
    na_reason: tuple[str | None, str | None] | None = None
    na_note_changed: bool = False
    notes_changed: bool = False
    evidence_added: list[str] = field(default_factory=list)
    evidence_removed: list[str] = field(default_factory=list)
    reconfirm: tuple[bool, bool] | None = None
    practices_na: dict[str, str] = field(default_factory=dict)  # choice id -> reason, newly N/A
    practices_applicable: list[str] = field(default_factory=list)  # no longer N/A


@dataclass
class RiskChange:
    question: str
    old: str | None  # a Risk value, or None when unanswered / not applicable
    new: str | None
    direction: str  # up, down
    old_state: str = ""  # the answer's state: unanswered, not_applicable, no_risk, medium, high
    new_state: str = ""


@dataclass
class EntryChange:
    id: str
    changes: dict[str, tuple[Any, Any]]


@dataclass
class SignOffChange:
    role: str
    old: dict[str, str] | None
    new: dict[str, str] | None


@dataclass
class ReviewDiff:
    old_as_of: date
    new_as_of: date
    verdict: tuple[str, str]
    workload: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    review: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # kind, follows
    checklist: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    stakeholders_added: list[str] = field(default_factory=list)
    stakeholders_removed: list[str] = field(default_factory=list)
    answers: list[AnswerChange] = field(default_factory=list)
    risks: list[RiskChange] = field(default_factory=list)
    findings_opened: list[dict[str, str]] = field(default_factory=list)
    findings_closed: list[dict[str, str]] = field(default_factory=list)
    mitigations_added: list[dict[str, Any]] = field(default_factory=list)
    mitigations_changed: list[EntryChange] = field(default_factory=list)
    mitigations_done: list[str] = field(default_factory=list)
    mitigations_removed: list[str] = field(default_factory=list)
    acceptances_added: list[dict[str, Any]] = field(default_factory=list)
    acceptances_changed: list[EntryChange] = field(default_factory=list)
    acceptances_removed: list[str] = field(default_factory=list)
    acceptances_expired: list[str] = field(default_factory=list)
    signoffs: list[SignOffChange] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.workload,
                self.review,
                self.checklist,
                self.stakeholders_added,
                self.stakeholders_removed,
                self.answers,
                self.mitigations_added,
                self.mitigations_changed,
                self.mitigations_removed,
                self.acceptances_added,
                self.acceptances_changed,
                self.acceptances_removed,
                self.acceptances_expired,
                self.signoffs,
                self.archived,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        data = _jsonable(asdict(self))
        assert isinstance(data, dict)
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


def as_of(review: Review, default: date) -> date:
    """The date of a review's last recorded change (its audit trail), or ``default``."""
    return max((e.at.date() for e in review.audit), default=default)


_RANK = {
    AnswerState.UNANSWERED: -1,
    AnswerState.NOT_APPLICABLE: -1,
    AnswerState.NO_RISK: 0,
    AnswerState.MEDIUM: 1,
    AnswerState.HIGH: 2,
}


def _state(gate: Gate, review: Review, checklist: Checklist, qid: str) -> AnswerState:
    """The state of a question's answer on one side: from the gate when the review covers the
    question, else (out of scope, removed from the checklist) worked out the same way."""
    state = gate.state(qid) or review_question_state(review, checklist, qid)
    return state.state if state is not None else AnswerState.UNANSWERED


def _risk_of(gate: Gate, review: Review, checklist: Checklist, qid: str) -> str | None:
    state = gate.state(qid) or review_question_state(review, checklist, qid)
    return str(state.risk) if state is not None and state.risk is not None else None


def _answer_change(qid: str, old: Answer | None, new: Answer | None) -> AnswerChange | None:
    if old is None and new is None:
        return None
    if old is None:
        assert new is not None
        return AnswerChange(
            qid,
            "added",
            choices_added=list(new.choices),
            applicable=None if new.applicable else (True, False),
            na_reason=(None, str(new.na_reason)) if new.na_reason else None,
            notes_changed=bool(new.notes),
            evidence_added=[e.url for e in new.evidence],
            practices_na={c: str(n.reason) for c, n in new.na_choices.items()},
        )
    if new is None:
        return AnswerChange(qid, "removed", choices_removed=list(old.choices))
    change = AnswerChange(
        qid,
        "changed",
        choices_added=[c for c in new.choices if c not in old.choices],
        choices_removed=[c for c in old.choices if c not in new.choices],
        applicable=(old.applicable, new.applicable) if old.applicable != new.applicable else None,
        na_reason=(
            (
                str(old.na_reason) if old.na_reason else None,
                str(new.na_reason) if new.na_reason else None,
            )
            if old.na_reason != new.na_reason
            else None
        ),
        na_note_changed=old.na_note != new.na_note,
        notes_changed=old.notes != new.notes,
        evidence_added=[e.url for e in new.evidence if e not in old.evidence],
        evidence_removed=[e.url for e in old.evidence if e not in new.evidence],
        reconfirm=(old.reconfirm, new.reconfirm) if old.reconfirm != new.reconfirm else None,
        practices_na={
            c: str(n.reason) for c, n in new.na_choices.items() if old.na_choices.get(c) != n
        },
        practices_applicable=[c for c in old.na_choices if c not in new.na_choices],
    )
    if not any(
        (
            change.choices_added,
            change.choices_removed,
            change.applicable,
            change.na_reason,
            change.na_note_changed,
            change.notes_changed,
            change.evidence_added,
            change.evidence_removed,
            change.reconfirm,
            change.practices_na,
            change.practices_applicable,
        )
    ):
        return None
    return change


def _fields(old: Any, new: Any, names: list[str]) -> dict[str, tuple[Any, Any]]:
    out: dict[str, tuple[Any, Any]] = {}
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out[name] = (_plain(a), _plain(b))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return str(value)
    return value


def diff_reviews(
    old: Review,
    new: Review,
    old_checklist: Checklist,
    new_checklist: Checklist,
    today: date,
) -> ReviewDiff:
    """Everything that changed from ``old`` to ``new``."""
    old_day = as_of(old, today)
    new_day = max(today, as_of(new, today))
    old_gate = evaluate_gate(old, old_checklist, old_day)
    new_gate = evaluate_gate(new, new_checklist, new_day)
    out = ReviewDiff(
        old_as_of=old_day,
        new_as_of=new_day,
        verdict=(str(old_gate.verdict), str(new_gate.verdict)),
    )
    out.workload = _fields(old.workload, new.workload, list(type(new.workload).model_fields))
    out.review = _fields(old, new, ["kind", "follows"])
    out.checklist = _fields(
        old.checklist, new.checklist, ["manifest", "version", "content_hash", "tier"]
    )
    old_people = {(s.name, s.role) for s in old.stakeholders}
    new_people = {(s.name, s.role) for s in new.stakeholders}
    out.stakeholders_added = [f"{n} ({r})" for n, r in sorted(new_people - old_people)]
    out.stakeholders_removed = [f"{n} ({r})" for n, r in sorted(old_people - new_people)]

    order = [q.id for q in new_checklist.questions]
    order += [q.id for q in old_checklist.questions if q.id not in set(order)]
    rest = sorted((set(old.answers) | set(new.answers)) - set(order))
    for qid in order + rest:
        change = _answer_change(qid, old.answers.get(qid), new.answers.get(qid))
        if change is not None:
            out.answers.append(change)
        state_before = _state(old_gate, old, old_checklist, qid)
        state_after = _state(new_gate, new, new_checklist, qid)
        if state_before != state_after:
            out.risks.append(
                RiskChange(
                    qid,
                    _risk_of(old_gate, old, old_checklist, qid),
                    _risk_of(new_gate, new, new_checklist, qid),
                    "up" if _RANK[state_after] > _RANK[state_before] else "down",
                    str(state_before),
                    str(state_after),
                )
            )
    out.archived = [q for q in new.archived if q not in old.archived]

    old_f = {f.question_id: f for f in old_gate.findings}
    new_f = {f.question_id: f for f in new_gate.findings}
    out.findings_opened = [
        {"question": q, "risk": str(f.risk)} for q, f in new_f.items() if q not in old_f
    ]
    out.findings_closed = [
        {"question": q, "risk": str(f.risk)} for q, f in old_f.items() if q not in new_f
    ]

    mit_fields = ["question", "title", "owner", "due", "status", "blocking", "ticket", "notes"]
    old_m = {m.id: m for m in old.mitigations}
    for m in new.mitigations:
        before_m = old_m.get(m.id)
        if before_m is None:
            out.mitigations_added.append(
                {
                    "id": m.id,
                    "question": m.question,
                    "title": m.title,
                    "owner": m.owner,
                    "due": m.due,
                    "status": str(m.status),
                    "blocking": m.blocking,
                }
            )
            if m.status is MitigationStatus.DONE:
                out.mitigations_done.append(m.id)
            continue
        changes = _fields(before_m, m, mit_fields)
        if changes:
            out.mitigations_changed.append(EntryChange(m.id, changes))
            if m.status is MitigationStatus.DONE and before_m.status is not MitigationStatus.DONE:
                out.mitigations_done.append(m.id)
    new_m_ids = {m.id for m in new.mitigations}
    out.mitigations_removed = [i for i in old_m if i not in new_m_ids]

    acc_fields = ["question", "approver", "role", "rationale", "compensating_controls", "expires"]
    old_a = {a.id: a for a in old.acceptances}
    for a in new.acceptances:
        before_a = old_a.get(a.id)
        if before_a is None:
            out.acceptances_added.append(
                {
                    "id": a.id,
                    "question": a.question,
                    "approver": a.approver,
                    "role": a.role,
                    "expires": a.expires,
                }
            )
        else:
            changes = _fields(before_a, a, acc_fields)
            if changes:
                out.acceptances_changed.append(EntryChange(a.id, changes))
        held = before_a is not None and acceptance_valid(before_a, old_day)
        if held and not acceptance_valid(a, new_day):
            out.acceptances_expired.append(a.id)
    new_a_ids = {a.id for a in new.acceptances}
    out.acceptances_removed = [i for i in old_a if i not in new_a_ids]

    roles = list(dict.fromkeys([*(s.role for s in old.signoffs), *(s.role for s in new.signoffs)]))
    for role in roles:
        before_s, after_s = old.signoff(role), new.signoff(role)
        if before_s == after_s:
            continue
        out.signoffs.append(
            SignOffChange(
                role,
                _signoff_dict(before_s) if before_s else None,
                _signoff_dict(after_s) if after_s else None,
            )
        )
    return out


def _signoff_dict(s: Any) -> dict[str, str]:
    return {"name": s.name, "decision": str(s.decision), "at": s.at.isoformat()}


# --- human text ----------------------------------------------------------------------------------

# Words of the text for a terminal (the dataclasses and `as_dict` keep the codes).
_CHANGE = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed")}
_DIRECTION = {"up": N_("up"), "down": N_("down")}


def _v(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, list):
        return ", ".join(one_line(str(v)) for v in value) or "-"
    return one_line(str(value), 80)


def _state_text(risk: str | None, state: str) -> str:
    if risk is not None:
        return risk
    if state == "unanswered":
        return _("unanswered")
    if state == "not_applicable":
        return _("not applicable")
    return _("none")


def _word(table: dict[str, str], code: str) -> str:
    """A code's word from ``table`` in the language in use (the code itself when unknown)."""
    word = table.get(code)
    return _(word) if word is not None else code


def _verdict(code: str) -> str:
    try:
        return Verdict(code).label
    except ValueError:
        return code.replace("_", " ")


def _signed(decision: str, name: str) -> str:
    return _("{decision} by {name}").format(decision=decision, name=one_line(name))


def format_diff(d: ReviewDiff, old_name: str, new_name: str) -> str:
    """The diff as text for a terminal (user text made safe)."""
    as_of = _("{name} (as of {date})")
    lines = ["--- " + as_of.format(name=one_line(old_name), date=d.old_as_of.isoformat())]
    lines.append("+++ " + as_of.format(name=one_line(new_name), date=d.new_as_of.isoformat()))
    old_v, new_v = d.verdict
    if old_v != new_v:
        lines.append(_("verdict: {old} -> {new}").format(old=_verdict(old_v), new=_verdict(new_v)))
    else:
        lines.append(_("verdict: {verdict} (unchanged)").format(verdict=_verdict(new_v)))
    if d.empty:
        lines.append(_("no changes"))
        return "\n".join(lines) + "\n"

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append("")
            lines.append(title)
            lines.extend(f"  {item}" for item in items)

    section(_("review:"), [f"{k}: {_v(a)} -> {_v(b)}" for k, (a, b) in d.review.items()])
    section(_("workload:"), [f"{k}: {_v(a)} -> {_v(b)}" for k, (a, b) in d.workload.items()])
    section(_("checklist:"), [f"{k}: {_v(a)} -> {_v(b)}" for k, (a, b) in d.checklist.items()])
    section(
        _("stakeholders:"),
        [f"+ {one_line(s)}" for s in d.stakeholders_added]
        + [f"- {one_line(s)}" for s in d.stakeholders_removed],
    )
    answer_lines: list[str] = []
    for a in d.answers:
        parts: list[str] = []
        if a.choices_added:
            parts.append("+" + ", +".join(a.choices_added))
        if a.choices_removed:
            parts.append("-" + ", -".join(a.choices_removed))
        if a.applicable:
            parts.append(_("not applicable") if not a.applicable[1] else _("applicable again"))
        if a.na_reason:
            parts.append(
                _("reason {old} -> {new}").format(old=_v(a.na_reason[0]), new=_v(a.na_reason[1]))
            )
        if a.na_note_changed:
            parts.append(_("N/A note changed"))
        if a.notes_changed:
            parts.append(_("notes changed"))
        if a.evidence_added:
            parts.append(
                _("evidence {links}").format(
                    links="+" + ", +".join(one_line(u) for u in a.evidence_added)
                )
            )
        if a.evidence_removed:
            parts.append(
                _("evidence {links}").format(
                    links="-" + ", -".join(one_line(u) for u in a.evidence_removed)
                )
            )
        if a.reconfirm:
            parts.append(_("to re-confirm") if a.reconfirm[1] else _("re-confirmed"))
        if a.practices_na:
            parts.append(
                _("not applicable: {practices}").format(
                    practices=", ".join(f"{c} ({r})" for c, r in a.practices_na.items())
                )
            )
        if a.practices_applicable:
            parts.append(
                _("applies again: {practices}").format(practices=", ".join(a.practices_applicable))
            )
        answer_lines.append(f"{a.question} ({_word(_CHANGE, a.change)}): {'; '.join(parts) or '-'}")
    section(_("answers:"), answer_lines)
    section(
        _("risk:"),
        [
            f"{r.question}: {_state_text(r.old, r.old_state)} -> "
            f"{_state_text(r.new, r.new_state)} ({_word(_DIRECTION, r.direction)})"
            for r in d.risks
        ],
    )
    section(
        _("findings:"),
        [
            _("opened {question} ({risk})").format(question=f["question"], risk=f["risk"])
            for f in d.findings_opened
        ]
        + [
            _("closed {question} (was {risk})").format(question=f["question"], risk=f["risk"])
            for f in d.findings_closed
        ],
    )
    mit: list[str] = []
    for m in d.mitigations_added:
        if m["blocking"]:
            added = _("{id} on {question}: {title} (owner {owner}, due {due}, {status}, blocking)")
        else:
            added = _("{id} on {question}: {title} (owner {owner}, due {due}, {status})")
        mit.append(
            "+ "
            + added.format(
                id=m["id"],
                question=m["question"],
                title=one_line(m["title"], 60),
                owner=_v(m["owner"]),
                due=_v(m["due"]),
                status=m["status"],
            )
        )
    for c in d.mitigations_changed:
        mit.append(
            f"~ {c.id}: " + "; ".join(f"{k} {_v(a)} -> {_v(b)}" for k, (a, b) in c.changes.items())
        )
    mit += [_("done {id}").format(id=i) for i in d.mitigations_done]
    mit += [f"- {i}" for i in d.mitigations_removed]
    section(_("mitigations:"), mit)
    acc: list[str] = []
    for a_ in d.acceptances_added:
        acc.append(
            "+ "
            + _("{id} on {question}: accepted by {approver} ({role}) until {expires}").format(
                id=a_["id"],
                question=a_["question"],
                approver=one_line(a_["approver"]),
                role=one_line(a_["role"]),
                expires=_v(a_["expires"]),
            )
        )
    for c in d.acceptances_changed:
        acc.append(
            f"~ {c.id}: " + "; ".join(f"{k} {_v(a)} -> {_v(b)}" for k, (a, b) in c.changes.items())
        )
    acc += [_("expired {id}").format(id=i) for i in d.acceptances_expired]
    acc += [f"- {i}" for i in d.acceptances_removed]
    section(_("acceptances:"), acc)
    sig: list[str] = []
    for s in d.signoffs:
        if s.old is None and s.new is not None:
            sig.append(f"+ {one_line(s.role)}: {_signed(s.new['decision'], s.new['name'])}")
        elif s.new is None and s.old is not None:
            sig.append(f"- {one_line(s.role)}: {_signed(s.old['decision'], s.old['name'])}")
        elif s.old is not None and s.new is not None:
            sig.append(
                f"~ {one_line(s.role)}: {_signed(s.old['decision'], s.old['name'])} -> "
                f"{_signed(s.new['decision'], s.new['name'])}"
            )
    section(_("sign-offs:"), sig)
    section(_("archived (question removed from the checklist):"), list(d.archived))
    return "\n".join(lines) + "\n"
