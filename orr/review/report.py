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
from orr.i18n import _
from orr.review.gate import BlockerKind, Gate, GateItem, Verdict, evaluate_gate
from orr.review.lifecycle import Attention
from orr.review.model import Review
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
    Verdict.READY: "**READY** — nothing stands between the team and the launch.",
    Verdict.READY_WITH_CONDITIONS: "**READY WITH CONDITIONS** — not blocked; the conditions "
    "below remain.",
    Verdict.NOT_READY: "**NOT READY** — the blockers below stand between the team and the launch.",
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
    return _table(["Kind", "Question", "Role", "Owner", "Due", label], rows)


def render_report(review: Review, checklist: Checklist, today: date, source: str = "") -> str:
    """The Markdown report of a review as of ``today``."""
    gate: Gate = evaluate_gate(review, checklist, today)
    w = review.workload
    roles = checklist.manifest.roles
    questions = checklist.question_index()
    out: list[str] = [f"# Operational readiness review: {md(w.name)}", ""]
    facts = [
        ("Verdict", gate.verdict.label),
        ("Launch date", f"{w.launch_date.isoformat()} ({_days(gate.days_left)})"),
        ("Environment", str(w.environment)),
        ("Owner", md(w.owner) or "—"),
        (
            "Checklist",
            f"{md(checklist.manifest.name)} {md(review.checklist.version)}"
            + (f", tier {code(review.checklist.tier)}" if review.checklist.tier else ""),
        ),
        ("As of", today.isoformat()),
    ]
    if w.description:
        facts.insert(1, ("Workload", md(w.description)))
    if w.regions:
        facts.append(("Regions", ", ".join(md(r) for r in w.regions)))
    if source:
        facts.append(("Review file", code(source)))
    out += [f"- **{k}:** {v}" for k, v in facts]
    if review.stakeholders:
        people = ", ".join(
            f"{md(s.name)} ({md(roles[s.role].name if s.role in roles else s.role)})"
            for s in review.stakeholders
        )
        out.append(f"- **Stakeholders:** {people}")
    c = gate.counts
    out += [
        "",
        "## Verdict",
        "",
        _VERDICT_LINE[gate.verdict],
        "",
        f"{c['answered']} of {c['questions']} questions answered ({c['not_applicable']} not "
        f"applicable); {c['high']} high and {c['medium']} medium findings; "
        f"{c['mitigations_open']} open mitigation(s), {c['mitigations_overdue']} overdue; "
        f"{c['acceptances']} valid risk acceptance(s); {c['signoffs_valid']} of "
        f"{c['signoffs_required']} required sign-offs valid.",
    ]
    if gate.behind_checklist:
        out += [
            "",
            f"> The checklist changed since this review started (version "
            f"{md(review.checklist.version)} -> {md(checklist.manifest.version)}): rebase the "
            "review before the launch meeting.",
        ]
    if gate.blockers:
        out += ["", f"## Blockers ({len(gate.blockers)})", ""]
        out += _items(list(gate.blockers), "What to do")
    if gate.conditions:
        out += ["", f"## Conditions ({len(gate.conditions)})", ""]
        out += _items(list(gate.conditions), "Condition")

    out += ["", f"## Findings ({len(gate.findings)})", ""]
    if not gate.findings:
        out.append("No findings: every answered question is at no risk.")
    for f in gate.findings:
        state = gate.questions[f.question_id]
        answer = state.answer
        assert answer is not None
        risk = "HIGH" if f.risk.rank == 2 else "MEDIUM"
        out += [f"### {code(f.question_id)} — {md(f.title)} ({risk})", ""]
        pillar = checklist.pillar_of(f.question_id)
        out.append(
            f"- **Pillar:** {md(pillar.name) if pillar else code(f.pillar_id)}; **owner role:** "
            f"{md(roles[f.owner_role].name) if f.owner_role in roles else md(f.owner_role or '—')}"
        )
        chosen = [ch.title for ch in state.question.choices if ch.id in state.selected]
        out.append(f"- **In place:** {'; '.join(md(t) for t in chosen) or '—'}")
        for cid in state.na_practices:
            choice = state.question.choice(cid)
            waived = state.practice_na(cid)
            if choice is None or waived is None:
                continue
            note = f": {md(waived.note)}" if waived.note else ""
            out.append(f"- **Not applicable:** {md(choice.title)} ({waived.reason}){note}")
        if state.missing:
            out.append(f"- **Missing:** {'; '.join(md(c.title) for c in state.missing)}")
        if answer.notes:
            out.append(f"- **Notes:** {md(answer.notes)}")
        for e in answer.evidence:
            verified = f" (verified {e.verified_on.isoformat()})" if e.verified_on else ""
            out.append(f"- **Evidence:** {link(e.url)} {md(e.description)}{verified}".rstrip())
        for m in f.mitigations:
            flags = [str(m.status).replace("_", " ")]
            if m.blocking:
                flags.append("blocking")
            if is_overdue(m, today):
                flags.append("**OVERDUE**")
            due = m.due.isoformat() if m.due else "no due date"
            ticket = f", ticket {link(m.ticket)}" if m.ticket else ""
            out.append(
                f"- **Mitigation {m.id}:** {md(m.title)} — {md(m.owner) or 'no owner'}, "
                f"due {due}, {', '.join(flags)}{ticket}"
            )
            if m.notes:
                out.append(f"  - {md(m.notes)}")
        for a in f.acceptances:
            valid = "valid" if acceptance_valid(a, today) else "**EXPIRED** (counts as absent)"
            out.append(
                f"- **Risk acceptance {a.id}:** {md(a.approver)} ({md(a.role)}) until "
                f"{a.expires.isoformat()}, {valid}: {md(a.rationale)}"
            )
            if a.compensating_controls:
                out.append(f"  - Compensating controls: {md(a.compensating_controls)}")
        if not f.mitigations and not f.acceptances:
            out.append("- No mitigation and no risk acceptance recorded.")
        out.append("")
    if out[-1] != "":
        out.append("")

    out += ["## Sign-offs", ""]
    state_text = {
        SignoffStatus.MISSING: "missing",
        SignoffStatus.REJECTED: "rejected",
        SignoffStatus.STALE: "approved, **stale** (answers changed since)",
        SignoffStatus.CURRENT: "approved",
    }
    rows: list[list[str]] = []
    for so in gate.signoffs:
        s = so.signoff
        rows.append(
            [
                md(so.role_name),
                "yes" if so.required else "no",
                md(s.name) if s else "—",
                state_text[so.status],
                s.at.date().isoformat() if s else "—",
            ]
        )
    if rows:
        out += _table(["Role", "Required", "Name", "Decision", "Date"], rows)
    else:
        out.append("No sign-offs required or recorded.")

    unanswered = [b for b in gate.blockers if b.kind is BlockerKind.UNANSWERED and b.question]
    out += ["", f"## Open questions ({len(unanswered)})", ""]
    if unanswered:
        for b in unanswered:
            q = questions.get(b.question or "")
            title = md(q.title) if q else ""
            who = f" — {md(roles[b.role].name) if b.role in roles else md(b.role or '')}"
            who += f" ({md(b.owner)})" if b.owner else ""
            out.append(f"- {code(b.question or '')} {title}{who if b.role else ''}")
    else:
        out.append("Every question in scope is answered.")

    na = [s for s in gate.questions.values() if s.state is AnswerState.NOT_APPLICABLE]
    if na:
        out += ["", f"## Not applicable ({len(na)})", ""]
        for st in na:
            reason = str(st.na_reason) if st.na_reason else "**no reason given**"
            note = st.answer.na_note if st.answer is not None and not st.answer.applicable else ""
            if st.answer is not None and st.answer.applicable:
                note = "every practice is not applicable"
            out.append(f"- {code(st.qid)} — {reason}{': ' + md(note) if note else ''}")

    out += ["", "## Progress by pillar", ""]
    out += _table(
        ["Pillar", "Questions", "Answered", "High", "Medium", "No risk", "N/A"],
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
        f"# {_('Operational readiness: portfolio')}" + (f" ({code(source)})" if source else ""),
        "",
        "- **" + _("As of") + f":** {today.isoformat()}",
        "- **"
        + _("Workloads")
        + f":** {len(items)}; "
        + _("{count} need attention").format(count=len(due)),
        "",
    ]

    def rows(group: Sequence[Attention]) -> list[list[str]]:
        table: list[list[str]] = []
        for a in group:
            gate = a.gate
            if a.error or gate is None or a.review is None:
                table.append([md(a.workload), "—", "—", "—", "—", "—", md(a.error or "")])
                continue
            late = ", ".join(f"{code(m)} {d}d" for m, d in a.overdue) or "—"
            expiring = ", ".join(f"{code(x)} {e.isoformat()}" for x, e in a.expiring) or "—"
            evidence = []
            if a.evidence_stale:
                evidence.append(_("{count} stale").format(count=a.evidence_stale))
            if a.evidence_missing:
                evidence.append(_("{count} missing").format(count=a.evidence_missing))
            table.append(
                [
                    md(a.workload),
                    gate.verdict.label,
                    f"{a.review.workload.launch_date.isoformat()} ({_days(gate.days_left)})",
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


def _days(n: int) -> str:
    if n > 0:
        return f"in {n} day{'s' if n != 1 else ''}"
    if n == 0:
        return "today"
    return f"{-n} day{'s' if n != -1 else ''} ago"
