"""The Markdown readout of a review (`orr report`): the narrative a launch meeting reads.

Verdict, what blocks the launch, conditions, every finding with its answer, mitigations and
acceptances, sign-offs, open questions, questions marked not applicable, and progress by pillar.
User text is escaped so that it reads as typed and cannot inject markup or terminal escapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from orr.checklist.model import Checklist
from orr.i18n import N_, _, ngettext
from orr.review.gate import Gate, GateItem, evaluate_gate
from orr.review.kinds import BlockerKind, MitigationStatus, Verdict, environment_label
from orr.review.model import Review
from orr.review.portfolio import Attention
from orr.review.state import AnswerState, SignoffStatus, acceptance_valid, is_overdue
from orr.textsafe import terminal_safe

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def md(text: str) -> str:
    """User text for one line of Markdown: controls visible, breaks folded, markup escaped (an
    ``&`` too, so that ``&lt;b&gt;`` reads as typed rather than as ``<b>``)."""
    flat = " ".join(terminal_safe(text).split()).replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def link(url: str) -> str:
    """A URL as a CommonMark autolink. Backslashes are not escapes inside ``<…>``, so nothing is
    escaped; the few characters an autolink cannot hold are percent-encoded instead."""
    safe_url = terminal_safe(url)
    for ch, code in (("<", "%3C"), (">", "%3E"), (" ", "%20"), ("\\", "%5C")):
        safe_url = safe_url.replace(ch, code)
    return f"<{safe_url}>"


def code(text: str) -> str:
    """An id as inline code."""
    flat = " ".join(terminal_safe(text).split()).replace("`", "'")
    return f"`{flat}`" if flat else ""


def _cell(text: str) -> str:
    return md(text) or "—"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


_VERDICT_LINE = {
    Verdict.READY: N_("**READY** — nothing stands between the team and the launch."),
    Verdict.READY_WITH_CONDITIONS: N_(
        "**READY WITH CONDITIONS** — not blocked; the conditions below remain."
    ),
    Verdict.NOT_READY: N_(
        "**NOT READY** — the blockers below stand between the team and the launch."
    ),
}

# An environment in words (the file keeps the code).

# A mitigation's status in words (the file and `orr status --json` keep the code).
_MITIGATION_STATUS = {
    MitigationStatus.OPEN: N_("open"),
    MitigationStatus.IN_PROGRESS: N_("in progress"),
    MitigationStatus.DONE: N_("done"),
    MitigationStatus.WITHDRAWN: N_("withdrawn"),
}

_SIGNOFF_STATE = {
    SignoffStatus.MISSING: N_("missing"),
    SignoffStatus.REJECTED: N_("rejected"),
    SignoffStatus.STALE: N_("approved, **stale** (answers changed since)"),
    SignoffStatus.CURRENT: N_("approved"),
}


def _items(items: list[GateItem], label: str) -> list[str]:
    rows = [
        [
            code(i.kind),
            code(i.question) if i.question else "—",
            _cell(i.role or ""),
            _cell(i.owner),
            i.due.isoformat() if i.due else "—",
            md(i.message),
        ]
        for i in items
    ]
    return _table([_("Kind"), _("Question"), _("Role"), _("Owner"), _("Due"), label], rows)


def render_report(review: Review, checklist: Checklist, today: date, source: str = "") -> str:
    """The Markdown report of a review as of ``today``."""
    gate: Gate = evaluate_gate(review, checklist, today)
    w = review.workload
    roles = checklist.manifest.roles
    questions = checklist.question_index()
    out: list[str] = [
        "# " + _("Operational readiness review: {workload}").format(workload=md(w.name)),
        "",
    ]
    if review.checklist.tier:
        checklist_fact = _("{name} {version}, tier {tier}").format(
            name=md(checklist.manifest.name),
            version=md(review.checklist.version),
            tier=code(review.checklist.tier),
        )
    else:
        checklist_fact = f"{md(checklist.manifest.name)} {md(review.checklist.version)}"
    facts = [
        (_("Verdict"), gate.verdict.label),
        (_("Launch date"), f"{w.launch_date.isoformat()} ({_days(gate.days_left)})"),
        (_("Environment"), environment_label(w.environment)),
        (_("Owner"), md(w.owner) or "—"),
        (_("Checklist"), checklist_fact),
        (_("As of"), today.isoformat()),
    ]
    if w.description:
        facts.insert(1, (_("Workload"), md(w.description)))
    if w.regions:
        facts.append((_("Regions"), ", ".join(md(r) for r in w.regions)))
    if source:
        facts.append((_("Review file"), code(source)))
    out += [_fact(k, v) for k, v in facts]
    if review.stakeholders:
        people = ", ".join(
            f"{md(s.name)} ({md(roles[s.role].name if s.role in roles else s.role)})"
            for s in review.stakeholders
        )
        out.append(_fact(_("Stakeholders"), people))
    c = gate.counts
    out += [
        "",
        "## " + _("Verdict"),
        "",
        _(_VERDICT_LINE[gate.verdict]),
        "",
        _(
            "{answered} of {questions} questions answered ({not_applicable} not applicable); "
            "{high} high and {medium} medium findings; {mitigations_open} open mitigation(s), "
            "{mitigations_overdue} overdue; {acceptances} valid risk acceptance(s); "
            "{signoffs_valid} of {signoffs_required} required sign-offs valid."
        ).format(**{k: c[k] for k in _COUNTS}),
    ]
    if gate.behind_checklist:
        out += [
            "",
            "> "
            + _(
                "The checklist changed since this review started (version {old} -> {new}): "
                "rebase the review before the launch meeting."
            ).format(old=md(review.checklist.version), new=md(checklist.manifest.version)),
        ]
    if gate.blockers:
        out += ["", "## " + _("Blockers") + f" ({len(gate.blockers)})", ""]
        out += _items(list(gate.blockers), _("What to do"))
    if gate.conditions:
        out += ["", "## " + _("Conditions") + f" ({len(gate.conditions)})", ""]
        out += _items(list(gate.conditions), _("Condition"))

    out += ["", "## " + _("Findings") + f" ({len(gate.findings)})", ""]
    if not gate.findings:
        out.append(_("No findings: every answered question is at no risk."))
    for f in gate.findings:
        state = gate.questions[f.question_id]
        answer = state.answer
        assert answer is not None
        risk = _("HIGH") if f.risk.rank == 2 else _("MEDIUM")
        out += [f"### {code(f.question_id)} — {md(f.title)} ({risk})", ""]
        pillar = checklist.pillar_of(f.question_id)
        out.append(
            _("- **Pillar:** {pillar}; **owner role:** {role}").format(
                pillar=md(pillar.name) if pillar else code(f.pillar_id),
                role=md(roles[f.owner_role].name)
                if f.owner_role in roles
                else md(f.owner_role or "—"),
            )
        )
        chosen = [ch.title for ch in state.question.choices if ch.id in state.selected]
        out.append(_fact(_("In place"), "; ".join(md(t) for t in chosen) or "—"))
        for cid in state.na_practices:
            choice = state.question.choice(cid)
            waived = state.practice_na(cid)
            if choice is None or waived is None:
                continue
            note = f": {md(waived.note)}" if waived.note else ""
            out.append(_fact(_("Not applicable"), f"{md(choice.title)} ({waived.reason}){note}"))
        if state.missing:
            out.append(_fact(_("Missing"), "; ".join(md(c.title) for c in state.missing)))
        if answer.notes:
            out.append(_fact(_("Notes"), md(answer.notes)))
        for e in answer.evidence:
            shown = f"{link(e.url)} {md(e.description)}"
            if e.verified_on:
                shown += " " + _("(verified {date})").format(date=e.verified_on.isoformat())
            out.append(_fact(_("Evidence"), shown).rstrip())
        for m in f.mitigations:
            flags = [_(_MITIGATION_STATUS[m.status])]
            if m.blocking:
                flags.append(_("blocking"))
            if is_overdue(m, today):
                flags.append(_("**OVERDUE**"))
            due = _("due {date}").format(date=m.due.isoformat()) if m.due else _("due no due date")
            ticket = ", " + _("ticket {link}").format(link=link(m.ticket)) if m.ticket else ""
            out.append(
                _("- **Mitigation {id}:** {title} — {owner}, {due}, {flags}{ticket}").format(
                    id=m.id,
                    title=md(m.title),
                    owner=md(m.owner) or _("no owner"),
                    due=due,
                    flags=", ".join(flags),
                    ticket=ticket,
                )
            )
            if m.notes:
                out.append(f"  - {md(m.notes)}")
        for a in f.acceptances:
            if acceptance_valid(a, today):
                valid = _("valid")
            else:
                valid = _("**EXPIRED** (counts as absent)")
            out.append(
                _(
                    "- **Risk acceptance {id}:** {approver} ({role}) until {expires}, {valid}: "
                    "{rationale}"
                ).format(
                    id=a.id,
                    approver=md(a.approver),
                    role=md(a.role),
                    expires=a.expires.isoformat(),
                    valid=valid,
                    rationale=md(a.rationale),
                )
            )
            if a.compensating_controls:
                out.append(
                    "  - "
                    + _("Compensating controls: {controls}").format(
                        controls=md(a.compensating_controls)
                    )
                )
        if not f.mitigations and not f.acceptances:
            out.append("- " + _("No mitigation and no risk acceptance recorded."))
        out.append("")
    if out[-1] != "":
        out.append("")

    out += ["## " + _("Sign-offs"), ""]
    rows: list[list[str]] = []
    for so in gate.signoffs:
        s = so.signoff
        rows.append(
            [
                md(so.role_name),
                _("yes") if so.required else _("no"),
                md(s.name) if s else "—",
                _(_SIGNOFF_STATE[so.status]),
                s.at.date().isoformat() if s else "—",
            ]
        )
    if rows:
        out += _table([_("Role"), _("Required"), _("Name"), _("Decision"), _("Date")], rows)
    else:
        out.append(_("No sign-offs required or recorded."))

    unanswered = [b for b in gate.blockers if b.kind is BlockerKind.UNANSWERED and b.question]
    out += ["", "## " + _("Open questions") + f" ({len(unanswered)})", ""]
    if unanswered:
        for b in unanswered:
            q = questions.get(b.question or "")
            title = md(q.title) if q else ""
            who = f" — {md(roles[b.role].name) if b.role in roles else md(b.role or '')}"
            who += f" ({md(b.owner)})" if b.owner else ""
            out.append(f"- {code(b.question or '')} {title}{who if b.role else ''}")
    else:
        out.append(_("Every question in scope is answered."))

    na = [s for s in gate.questions.values() if s.state is AnswerState.NOT_APPLICABLE]
    if na:
        out += ["", "## " + _("Not applicable") + f" ({len(na)})", ""]
        for st in na:
            reason = str(st.na_reason) if st.na_reason else _("**no reason given**")
            note = st.answer.na_note if st.answer is not None and not st.answer.applicable else ""
            if st.answer is not None and st.answer.applicable:
                note = _("every practice is not applicable")
            out.append(f"- {code(st.qid)} — {reason}{': ' + md(note) if note else ''}")

    out += ["", "## " + _("Progress by pillar"), ""]
    out += _table(
        [
            _("Pillar"),
            _("Questions"),
            _("Answered"),
            _("High"),
            _("Medium"),
            _("No risk"),
            _("N/A"),
        ],
        [
            [md(p.name), *(str(n) for n in (p.total, p.answered, p.high, p.medium, p.none, p.na))]
            for p in gate.pillars
        ],
    )
    return "\n".join(out) + "\n"


def render_portfolio(items: Sequence[Attention], today: date, source: str = "") -> str:
    """A Markdown page for a weekly operations meeting: every workload of a portfolio, what
    needs attention first (overdue actions, expiring acceptances, stale or missing evidence,
    reviews due), then the rest."""
    due = [a for a in items if a.due]
    rest = [a for a in items if not a.due]
    out = [
        "# " + _("Operational readiness: portfolio") + (f" ({code(source)})" if source else ""),
        "",
        _fact(_("As of"), today.isoformat()),
        _fact(
            _("Workloads"),
            f"{len(items)}; " + _("{count} need attention").format(count=len(due)),
        ),
        "",
    ]

    def rows(group: Sequence[Attention]) -> list[list[str]]:
        table: list[list[str]] = []
        for a in group:
            if a.error:
                table.append([md(a.workload), "—", "—", "—", "—", "—", md(a.error or "")])
                continue
            late = (
                ", ".join(
                    _("{mitigation} {days}d").format(mitigation=code(m), days=d)
                    for m, d in a.overdue
                )
                or "—"
            )
            expiring = ", ".join(f"{code(x)} {e.isoformat()}" for x, e in a.expiring) or "—"
            evidence = []
            if a.evidence_stale:
                evidence.append(_("{count} stale").format(count=a.evidence_stale))
            if a.evidence_missing:
                evidence.append(_("{count} missing").format(count=a.evidence_missing))
            table.append(
                [
                    md(a.workload),
                    a.verdict.label,
                    f"{a.launch_date.isoformat()} ({_days(a.days_left)})",
                    late,
                    expiring,
                    ", ".join(evidence) or "—",
                    _("since {date}").format(date=a.review_due.isoformat())
                    if a.review_due
                    else "—",
                ]
            )
        return table

    header = [
        _("Workload"),
        _("Verdict"),
        _("Launch"),
        _("Overdue actions"),
        _("Acceptances expiring"),
        _("Evidence"),
        _("Review due"),
    ]
    out += ["## " + _("Needs attention") + f" ({len(due)})", ""]
    out += _table(header, rows(due)) if due else [_("Nothing is overdue, expiring or due.")]
    if rest:
        out += ["", "## " + _("The rest") + f" ({len(rest)})", ""]
        out += _table(header, rows(rest))
    return "\n".join(out) + "\n"


def _fact(label: str, value: str) -> str:
    """One line of facts: ``- **Label:** value`` (the label in the language in use)."""
    return _("- **{label}:** {value}").format(label=label, value=value)


# The counts of the gate the verdict's summary sentence names.
_COUNTS = (
    "answered",
    "questions",
    "not_applicable",
    "high",
    "medium",
    "mitigations_open",
    "mitigations_overdue",
    "acceptances",
    "signoffs_valid",
    "signoffs_required",
)


def _days(n: int) -> str:
    if n > 0:
        return ngettext("in {count} day", "in {count} days", n).format(count=n)
    if n == 0:
        return _("today")
    return ngettext("{count} day ago", "{count} days ago", -n).format(count=-n)
