"""The launch gate (PRODUCT.md section 3), computed in one place for the CLI, the TUI, the
spreadsheet and the WA sync. Pure functions: "today" is passed in.

- NOT READY when any of: an applicable question in scope is unanswered; a not-applicable answer
  has no reason; a HIGH finding has neither a ``done`` mitigation nor a valid risk acceptance; a
  mitigation marked ``blocking`` is not ``done``; a required sign-off is missing, stale or a
  rejection; the checklist changed since the review started (or an answer awaits
  re-confirmation after a rebase).
- READY WITH CONDITIONS when not blocked but conditions remain: MEDIUM findings that have
  neither a ``done`` mitigation nor a valid acceptance, open non-blocking mitigations, and valid
  risk acceptances of current findings.
- READY otherwise.

A finding is *handled* by a ``done`` mitigation (the measure is in place) or by a valid risk
acceptance; a handled finding blocks nothing, and only the acceptance remains as a condition.
An acceptance is valid before its ``expires`` date and counts as absent from that date on.
An approval is stale when the answers' hash differs from the one it covered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import StrEnum

from orr.checklist.load import select_tier
from orr.checklist.model import Checklist, ChecklistPillar, ChecklistQuestion, Severity
from orr.checklist.rules import Risk
from orr.review.model import (
    Decision,
    Mitigation,
    MitigationStatus,
    Review,
    RiskAcceptance,
)

EXPIRING_DAYS = 14


class Verdict(StrEnum):
    """The launch verdict."""

    READY = "READY"
    READY_WITH_CONDITIONS = "READY_WITH_CONDITIONS"
    NOT_READY = "NOT_READY"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class BlockerKind(StrEnum):
    """What stands between the team and READY."""

    UNANSWERED = "unanswered"
    NA_WITHOUT_REASON = "na_without_reason"
    HIGH_FINDING = "high_finding"
    BLOCKING_MITIGATION = "blocking_mitigation"
    SIGNOFF_MISSING = "signoff_missing"
    SIGNOFF_STALE = "signoff_stale"
    SIGNOFF_REJECTED = "signoff_rejected"
    CHECKLIST_CHANGED = "checklist_changed"


class ConditionKind(StrEnum):
    """What makes a launch READY WITH CONDITIONS rather than READY."""

    MEDIUM_FINDING = "medium_finding"
    OPEN_MITIGATION = "open_mitigation"
    RISK_ACCEPTANCE = "risk_acceptance"


@dataclass(frozen=True)
class Finding:
    """An applicable answered question whose risk is HIGH or MEDIUM (derived, never stored)."""

    question_id: str
    pillar_id: str
    risk: Risk
    severity: Severity
    owner_role: str | None
    title: str


@dataclass(frozen=True)
class GateItem:
    """One line of the gate: what, which question, whose role, who, by when, what to do."""

    kind: str
    question: str | None
    role: str | None
    owner: str
    due: date | None
    message: str

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        return data


@dataclass(frozen=True)
class Blocker(GateItem):
    """Something that makes the launch NOT READY (kind: a BlockerKind value)."""


@dataclass(frozen=True)
class Condition(GateItem):
    """Something that makes the launch READY WITH CONDITIONS (kind: a ConditionKind value)."""


@dataclass
class PillarStats:
    """Progress and risk counts of one pillar (questions in scope)."""

    id: str
    name: str
    total: int = 0
    answered: int = 0
    high: int = 0
    medium: int = 0
    none: int = 0
    na: int = 0


@dataclass
class Gate:
    """The launch gate of one review on one day."""

    verdict: Verdict
    today: date
    launch_date: date
    days_left: int
    blockers: list[Blocker]
    conditions: list[Condition]
    findings: list[Finding]
    overdue: list[Mitigation]
    expiring: list[RiskAcceptance]
    expired: list[RiskAcceptance]
    pillars: list[PillarStats]
    counts: dict[str, int] = field(default_factory=dict)
    behind_checklist: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": str(self.verdict),
            "today": self.today.isoformat(),
            "launch_date": self.launch_date.isoformat(),
            "days_left": self.days_left,
            "blockers": [b.as_dict() for b in self.blockers],
            "conditions": [c.as_dict() for c in self.conditions],
            "findings": [
                {
                    "question": f.question_id,
                    "pillar": f.pillar_id,
                    "risk": str(f.risk),
                    "severity": str(f.severity),
                    "role": f.owner_role,
                    "title": f.title,
                }
                for f in self.findings
            ],
            "overdue": [m.id for m in self.overdue],
            "expiring": [a.id for a in self.expiring],
            "expired": [a.id for a in self.expired],
            "pillars": [asdict(p) for p in self.pillars],
            "counts": dict(self.counts),
            "behind_checklist": self.behind_checklist,
        }


# --- hashes --------------------------------------------------------------------------------------


def answers_hash(review: Review) -> str:
    """A hash of every answer and of the question each answers (what a sign-off covers).

    Who answered and when do not count; what was answered (choices, applicability, reason,
    notes, evidence links) and the question's own hash do, so a rebase onto a changed question
    makes earlier approvals stale too.
    """
    payload: dict[str, list[object]] = {}
    for qid, a in sorted(review.answers.items()):
        item: list[object] = [
            sorted(a.choices),
            a.applicable,
            str(a.na_reason) if a.na_reason else None,
            a.na_note,
            a.notes,
            [e.url for e in a.evidence],
            review.checklist.question_hashes.get(qid, ""),
        ]
        if a.na_choices:  # only when present: hashes of reviews without them stay the same
            item.append(sorted((c, str(n.reason), n.note) for c, n in a.na_choices.items()))
        payload[qid] = item
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


# --- derived -------------------------------------------------------------------------------------


def scope(review: Review, checklist: Checklist) -> Checklist:
    """The questions the review covers: its tier, or the whole checklist.

    When the checklist no longer has the review's tier, the questions the review recorded (the
    review is behind its checklist, which blocks it until it is rebased)."""
    tier = review.checklist.tier
    if tier is not None and tier not in checklist.manifest.tiers:
        recorded = review.checklist.question_hashes
        pillars = [
            ChecklistPillar(p.id, p.name, [q for q in p.questions if q.id in recorded])
            for p in checklist.pillars
        ]
        return replace(checklist, pillars=[p for p in pillars if p.questions])
    return select_tier(checklist, tier)


def findings(review: Review, checklist: Checklist) -> list[Finding]:
    """Applicable answered questions in scope whose risk is HIGH or MEDIUM, in checklist order."""
    out: list[Finding] = []
    for question in scope(review, checklist).questions:
        answer = review.answers.get(question.id)
        if answer is None or not answer.applicable or not answer.choices:
            continue
        if any(question.choice(c) is None for c in answer.choices):
            continue  # not scored: the gate asks for the answer again
        risk = question.risk_for(set(answer.choices))
        if risk is not Risk.NO_RISK:
            out.append(_finding(question, risk))
    return out


def _finding(question: ChecklistQuestion, risk: Risk) -> Finding:
    return Finding(
        question_id=question.id,
        pillar_id=question.pillar_id,
        risk=risk,
        severity=question.severity,
        owner_role=question.spec.owner_role,
        title=question.title,
    )


def acceptance_valid(acceptance: RiskAcceptance, today: date) -> bool:
    """An acceptance holds before its expiry date; from that date on it counts as absent."""
    return today < acceptance.expires


def behind_checklist(review: Review, checklist: Checklist) -> bool:
    """True when the checklist changed since the review was started or last rebased (or no
    longer has the review's tier)."""
    tier = review.checklist.tier
    return review.checklist.content_hash != checklist.content_hash or (
        tier is not None and tier not in checklist.manifest.tiers
    )


# --- the gate ------------------------------------------------------------------------------------


def evaluate_gate(review: Review, checklist: Checklist, today: date) -> Gate:
    """The verdict, with every blocker and condition, per-pillar stats and counts."""
    in_scope = scope(review, checklist)
    roles = checklist.manifest.roles

    def owner_of(role: str | None) -> str:
        return ", ".join(review.stakeholders_with(role)) if role else ""

    def role_name(role: str) -> str:
        spec = roles.get(role)
        return spec.name if spec else role

    blockers: list[Blocker] = []
    conditions: list[Condition] = []
    found: list[Finding] = []
    pillar_stats: list[PillarStats] = []

    mitigations_of: dict[str, list[Mitigation]] = {}
    for m in review.mitigations:
        mitigations_of.setdefault(m.question, []).append(m)
    valid_acceptances: dict[str, list[RiskAcceptance]] = {}
    expired: list[RiskAcceptance] = []
    for a in review.acceptances:
        if acceptance_valid(a, today):
            valid_acceptances.setdefault(a.question, []).append(a)
        else:
            expired.append(a)

    behind = behind_checklist(review, checklist)
    if behind:
        old = review.checklist.version or "?"
        new = checklist.manifest.version or "?"
        blockers.append(
            Blocker(
                kind=BlockerKind.CHECKLIST_CHANGED,
                question=None,
                role=None,
                owner=review.workload.owner,
                due=None,
                message=f"the checklist changed since this review started (version {old} -> "
                f"{new}): rebase the review onto it (orr review rebase)"
                + (
                    f"; it no longer has tier {review.checklist.tier!r}"
                    if review.checklist.tier is not None
                    and review.checklist.tier not in checklist.manifest.tiers
                    else ""
                ),
            )
        )

    def on_question(
        kind: str, question: ChecklistQuestion, message: str, due: date | None = None
    ) -> Blocker:
        role = question.spec.owner_role
        return Blocker(
            kind=kind,
            question=question.id,
            role=role,
            owner=owner_of(role),
            due=due,
            message=message,
        )

    answered = na = 0
    for pillar in in_scope.pillars:
        stats = PillarStats(id=pillar.id, name=pillar.name)
        for question in pillar.questions:
            stats.total += 1
            qid = question.id
            role = question.spec.owner_role
            answer = review.answers.get(qid)
            if answer is None or not answer.answered:
                blockers.append(
                    on_question(
                        BlockerKind.UNANSWERED,
                        question,
                        "not answered: select the practices in place, None of these, "
                        "or mark it not applicable with a reason",
                    )
                )
                continue
            unknown = [c for c in answer.choices if question.choice(c) is None]
            if unknown:
                # A hand-edited file (or a typo) names choices the question does not have: the
                # answer cannot be scored, so it counts as not answered until it is redone.
                blockers.append(
                    on_question(
                        BlockerKind.UNANSWERED,
                        question,
                        f"the answer selects {', '.join(repr(c) for c in unknown)}, "
                        "which the question does not have: answer it again",
                    )
                )
                continue
            stats.answered += 1
            answered += 1
            if answer.reconfirm:
                blockers.append(
                    on_question(
                        BlockerKind.CHECKLIST_CHANGED,
                        question,
                        "the question changed since it was answered: confirm or change the answer",
                    )
                )
            if not answer.applicable:
                stats.na += 1
                na += 1
                if answer.na_reason is None:
                    blockers.append(
                        on_question(
                            BlockerKind.NA_WITHOUT_REASON,
                            question,
                            "marked not applicable without a reason: give one "
                            "(OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER)",
                        )
                    )
                continue
            risk = question.risk_for(set(answer.choices))
            if risk is Risk.NO_RISK:
                stats.none += 1
                continue
            finding = _finding(question, risk)
            found.append(finding)
            mits = mitigations_of.get(qid, [])
            done = [m for m in mits if m.status is MitigationStatus.DONE]
            accepted = valid_acceptances.get(qid, [])
            if risk is Risk.HIGH_RISK:
                stats.high += 1
            else:
                stats.medium += 1
            if done or accepted:
                continue
            pending = [m for m in mits if m.status is not MitigationStatus.DONE]
            due = min((m.due for m in pending if m.due), default=None)
            if pending:
                plan = "mitigation " + ", ".join(m.id for m in pending) + " not done yet"
            else:
                plan = "no mitigation"
            lapsed = [a for a in review.acceptances if a.question == qid and a not in accepted]
            if lapsed:
                plan += "; acceptance " + ", ".join(
                    f"{a.id} expired on {a.expires.isoformat()}" for a in lapsed
                )
            if risk is Risk.HIGH_RISK:
                blockers.append(
                    on_question(
                        BlockerKind.HIGH_FINDING,
                        question,
                        f"HIGH risk with neither a done mitigation nor a valid risk "
                        f"acceptance ({plan}): finish a mitigation or record an acceptance",
                        due,
                    )
                )
            else:
                conditions.append(
                    Condition(
                        kind=ConditionKind.MEDIUM_FINDING,
                        question=qid,
                        role=role,
                        owner=owner_of(role),
                        due=due,
                        message=f"MEDIUM risk ({plan}): plan and track a mitigation",
                    )
                )
        pillar_stats.append(stats)

    finding_ids = {f.question_id for f in found}
    overdue: list[Mitigation] = []
    questions = checklist.question_index()
    for m in review.mitigations:
        if m.status is MitigationStatus.DONE:
            continue
        late = m.due is not None and m.due < today
        if late:
            overdue.append(m)
        q = questions.get(m.question)
        role = q.spec.owner_role if q else None
        when = f", due {m.due.isoformat()}" if m.due else ", no due date"
        flag = f", OVERDUE by {(today - m.due).days} day(s)" if late and m.due else ""
        status = str(m.status).replace("_", " ")
        if m.blocking:
            blockers.append(
                Blocker(
                    kind=BlockerKind.BLOCKING_MITIGATION,
                    question=m.question,
                    role=role,
                    owner=m.owner,
                    due=m.due,
                    message=f"{m.id} {m.title!r} is blocking and {status}{when}{flag}: "
                    "finish it before launch",
                )
            )
        else:
            conditions.append(
                Condition(
                    kind=ConditionKind.OPEN_MITIGATION,
                    question=m.question,
                    role=role,
                    owner=m.owner,
                    due=m.due,
                    message=f"{m.id} {m.title!r} is {status}{when}{flag}",
                )
            )

    expiring: list[RiskAcceptance] = []
    for qid_, accepted_list in valid_acceptances.items():
        for a in accepted_list:
            if (a.expires - today).days <= EXPIRING_DAYS:
                expiring.append(a)
            if qid_ not in finding_ids:
                continue  # the finding is closed: the acceptance no longer matters
            conditions.append(
                Condition(
                    kind=ConditionKind.RISK_ACCEPTANCE,
                    question=a.question,
                    role=a.role,
                    owner=a.approver,
                    due=a.expires,
                    message=f"{a.id}: risk accepted by {a.approver} until {a.expires.isoformat()}",
                )
            )
    expiring.sort(key=lambda a: (a.expires, a.id))

    current_hash = answers_hash(review)
    signed_ok = 0
    for role in checklist.manifest.required_signoffs:
        signoff = review.signoff(role)
        if signoff is None:
            blockers.append(
                Blocker(
                    kind=BlockerKind.SIGNOFF_MISSING,
                    question=None,
                    role=role,
                    owner=owner_of(role),
                    due=None,
                    message=f"no sign-off from the {role_name(role)} yet",
                )
            )
        elif signoff.decision is Decision.REJECT:
            blockers.append(
                Blocker(
                    kind=BlockerKind.SIGNOFF_REJECTED,
                    question=None,
                    role=role,
                    owner=signoff.name,
                    due=None,
                    message=f"{signoff.name} ({role_name(role)}) rejected the launch on "
                    f"{signoff.at.date().isoformat()}: resolve their concerns and sign again",
                )
            )
        elif signoff.answers_hash != current_hash:
            blockers.append(
                Blocker(
                    kind=BlockerKind.SIGNOFF_STALE,
                    question=None,
                    role=role,
                    owner=signoff.name,
                    due=None,
                    message=f"{signoff.name} ({role_name(role)}) approved on "
                    f"{signoff.at.date().isoformat()} but answers changed since: sign again",
                )
            )
        else:
            signed_ok += 1

    if blockers:
        verdict = Verdict.NOT_READY
    elif conditions:
        verdict = Verdict.READY_WITH_CONDITIONS
    else:
        verdict = Verdict.READY

    total = sum(p.total for p in pillar_stats)
    counts = {
        "questions": total,
        "answered": answered,
        "unanswered": total - answered,
        "not_applicable": na,
        "findings": len(found),
        "high": sum(1 for f in found if f.risk is Risk.HIGH_RISK),
        "medium": sum(1 for f in found if f.risk is Risk.MEDIUM_RISK),
        "mitigations": len(review.mitigations),
        "mitigations_open": sum(
            1 for m in review.mitigations if m.status is not MitigationStatus.DONE
        ),
        "mitigations_overdue": len(overdue),
        "acceptances": sum(len(v) for v in valid_acceptances.values()),
        "acceptances_expired": len(expired),
        "acceptances_expiring": len(expiring),
        "signoffs_required": len(checklist.manifest.required_signoffs),
        "signoffs_valid": signed_ok,
        "blockers": len(blockers),
        "conditions": len(conditions),
    }
    return Gate(
        verdict=verdict,
        today=today,
        launch_date=review.workload.launch_date,
        days_left=(review.workload.launch_date - today).days,
        blockers=blockers,
        conditions=conditions,
        findings=found,
        overdue=overdue,
        expiring=expiring,
        expired=expired,
        pillars=pillar_stats,
        counts=counts,
        behind_checklist=behind,
    )
