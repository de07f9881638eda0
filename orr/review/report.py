"""The Markdown readout of a review (`orr report`): the narrative a launch meeting reads.

Verdict, what blocks the launch, conditions, every finding with its answer, mitigations and
acceptances, sign-offs, open questions, questions marked not applicable, and progress by pillar.
User text is escaped so that it reads as typed and cannot inject markup or terminal escapes.
"""

from __future__ import annotations

import re
from datetime import date

from orr.checklist.model import Checklist
from orr.review.gate import (
    Gate,
    GateItem,
    Verdict,
    acceptance_valid,
    answers_hash,
    evaluate_gate,
    scope,
)
from orr.review.model import Decision, MitigationStatus, Review
from orr.textsafe import terminal_safe

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """User text for one line of Markdown: controls visible, breaks folded, markup escaped."""
    flat = " ".join(terminal_safe(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


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
        q = questions.get(f.question_id)
        answer = review.answers[f.question_id]
        risk = "HIGH" if f.risk.rank == 2 else "MEDIUM"
        out += [f"### {code(f.question_id)} — {md(f.title)} ({risk})", ""]
        pillar = checklist.pillar_of(f.question_id)
        out.append(
            f"- **Pillar:** {md(pillar.name) if pillar else code(f.pillar_id)}; **owner role:** "
            f"{md(roles[f.owner_role].name) if f.owner_role in roles else md(f.owner_role or '—')}"
        )
        if q is not None:
            chosen = [ch.title for ch in q.choices if ch.id in answer.choices]
            missing = [ch.title for ch in q.choices if ch.id in q.practice_ids]
            missing = [t for t in missing if t not in chosen]
            out.append(f"- **In place:** {'; '.join(md(t) for t in chosen) or '—'}")
            if missing:
                out.append(f"- **Missing:** {'; '.join(md(t) for t in missing)}")
        if answer.notes:
            out.append(f"- **Notes:** {md(answer.notes)}")
        for e in answer.evidence:
            verified = f" (verified {e.verified_on.isoformat()})" if e.verified_on else ""
            out.append(f"- **Evidence:** <{md(e.url)}> {md(e.description)}{verified}".rstrip())
        mits = [m for m in review.mitigations if m.question == f.question_id]
        for m in mits:
            late = m.status is not MitigationStatus.DONE and m.due is not None and m.due < today
            flags = [str(m.status).replace("_", " ")]
            if m.blocking:
                flags.append("blocking")
            if late:
                flags.append("**OVERDUE**")
            due = m.due.isoformat() if m.due else "no due date"
            ticket = f", ticket <{md(m.ticket)}>" if m.ticket else ""
            out.append(
                f"- **Mitigation {m.id}:** {md(m.title)} — {md(m.owner) or 'no owner'}, "
                f"due {due}, {', '.join(flags)}{ticket}"
            )
            if m.notes:
                out.append(f"  - {md(m.notes)}")
        accs = [a for a in review.acceptances if a.question == f.question_id]
        for a in accs:
            state = "valid" if acceptance_valid(a, today) else "**EXPIRED** (counts as absent)"
            out.append(
                f"- **Risk acceptance {a.id}:** {md(a.approver)} ({md(a.role)}) until "
                f"{a.expires.isoformat()}, {state}: {md(a.rationale)}"
            )
            if a.compensating_controls:
                out.append(f"  - Compensating controls: {md(a.compensating_controls)}")
        if not mits and not accs:
            out.append("- No mitigation and no risk acceptance recorded.")
        out.append("")
    if out[-1] != "":
        out.append("")

    out += ["## Sign-offs", ""]
    current = answers_hash(review)
    sign_roles = list(
        dict.fromkeys([*checklist.manifest.required_signoffs, *(s.role for s in review.signoffs)])
    )
    rows: list[list[str]] = []
    for role in sign_roles:
        s = review.signoff(role)
        required = "yes" if role in checklist.manifest.required_signoffs else "no"
        name = md(roles[role].name) if role in roles else md(role)
        if s is None:
            rows.append([name, required, "—", "missing", "—"])
            continue
        if s.decision is Decision.REJECT:
            state = "rejected"
        elif s.answers_hash != current:
            state = "approved, **stale** (answers changed since)"
        else:
            state = "approved"
        rows.append([name, required, md(s.name), state, s.at.date().isoformat()])
    if rows:
        out += _table(["Role", "Required", "Name", "Decision", "Date"], rows)
    else:
        out.append("No sign-offs required or recorded.")

    unanswered = [b for b in gate.blockers if b.kind == "unanswered" and b.question]
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

    in_scope = {q.id for q in scope(review, checklist).questions}
    na = [(qid, a) for qid, a in review.answers.items() if not a.applicable and qid in in_scope]
    if na:
        out += ["", f"## Not applicable ({len(na)})", ""]
        for qid, na_answer in na:
            reason = str(na_answer.na_reason) if na_answer.na_reason else "**no reason given**"
            note = f": {md(na_answer.na_note)}" if na_answer.na_note else ""
            out.append(f"- {code(qid)} — {reason}{note}")

    out += ["", "## Progress by pillar", ""]
    out += _table(
        ["Pillar", "Questions", "Answered", "High", "Medium", "No risk", "N/A"],
        [
            [md(p.name), *(str(n) for n in (p.total, p.answered, p.high, p.medium, p.none, p.na))]
            for p in gate.pillars
        ],
    )
    return "\n".join(out) + "\n"


def _days(n: int) -> str:
    if n > 0:
        return f"in {n} day{'s' if n != 1 else ''}"
    if n == 0:
        return "today"
    return f"{-n} day{'s' if n != -1 else ''} ago"
