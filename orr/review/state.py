"""The derived state of every part of a review, worked out once: each answer, each finding, each
mitigation and acceptance, each sign-off.

The gate (`orr.review.gate`) is built from these, and every front end and export (the terminal
app, the CLI, the Markdown readout, the workbook, `orr diff`, the WA sync) reads them rather than
working a state out again. Pure functions: "today" and the launch date are passed in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from orr.checklist.model import Checklist, ChecklistQuestion, Choice, Severity
from orr.checklist.rules import Risk
from orr.review.kinds import Decision, MitigationStatus, NaReason
from orr.review.model import (
    Answer,
    Evidence,
    Mitigation,
    PracticeNa,
    Review,
    RiskAcceptance,
    SignOff,
)

# An acceptance this close to its expiry (or expiring before the launch) is a condition.
EXPIRING_DAYS = 30


# --- answers -------------------------------------------------------------------------------------


class AnswerState(StrEnum):
    """Where a question's answer stands."""

    UNANSWERED = "unanswered"
    NOT_APPLICABLE = "not_applicable"
    NO_RISK = "no_risk"
    MEDIUM = "medium"
    HIGH = "high"


_STATE_OF_RISK = {
    Risk.NO_RISK: AnswerState.NO_RISK,
    Risk.MEDIUM_RISK: AnswerState.MEDIUM,
    Risk.HIGH_RISK: AnswerState.HIGH,
}


@dataclass(frozen=True)
class QuestionState:
    """A question and the state of its answer.

    ``unknown`` lists choices the answer names that the question does not have (a hand edit, a
    typo, a checklist changed under the review): such an answer cannot be scored and counts as
    unanswered until it is redone. Practices marked not applicable count as in place; when every
    practice is not applicable the question is not applicable."""

    question: ChecklistQuestion
    answer: Answer | None
    state: AnswerState
    risk: Risk | None  # None when unanswered or not applicable
    unknown: tuple[str, ...] = ()
    na_practices: tuple[str, ...] = ()  # practices marked not applicable (and allowed to be)

    @property
    def qid(self) -> str:
        return self.question.id

    @property
    def answered(self) -> bool:
        return self.state is not AnswerState.UNANSWERED

    @property
    def applicable(self) -> bool:
        return self.state is not AnswerState.NOT_APPLICABLE

    @property
    def reconfirm(self) -> bool:
        """The question changed since it was answered: the answer waits for a confirmation."""
        return self.answer is not None and self.answer.reconfirm and self.answered

    @property
    def is_finding(self) -> bool:
        return self.risk in (Risk.HIGH_RISK, Risk.MEDIUM_RISK)

    @property
    def na_reason(self) -> NaReason | None:
        """Why the question does not apply (every practice not applicable: their one reason, or
        OTHER when they differ)."""
        if self.state is not AnswerState.NOT_APPLICABLE or self.answer is None:
            return None
        if not self.answer.applicable:
            return self.answer.na_reason
        reasons = {self.answer.na_choices[c].reason for c in self.na_practices}
        return reasons.pop() if len(reasons) == 1 else NaReason.OTHER

    @property
    def na_without_reason(self) -> bool:
        return self.state is AnswerState.NOT_APPLICABLE and self.na_reason is None

    @property
    def selected(self) -> tuple[str, ...]:
        """The choices selected (not those marked not applicable)."""
        if self.answer is None or not self.answer.applicable:
            return ()
        return tuple(self.answer.choices)

    @property
    def missing(self) -> list[Choice]:
        """The practices neither in place nor marked not applicable (of an answered question)."""
        if not self.answered or not self.applicable:
            return []
        have = {*self.selected, *self.na_practices}
        none_id = self.question.none_choice_id
        return [c for c in self.question.choices if c.id != none_id and c.id not in have]

    def practice_na(self, choice_id: str) -> PracticeNa | None:
        if self.answer is None or choice_id not in self.na_practices:
            return None
        return self.answer.na_choices.get(choice_id)


def question_state(question: ChecklistQuestion, answer: Answer | None) -> QuestionState:
    """The state of one question's answer."""
    if answer is None:
        return QuestionState(question, None, AnswerState.UNANSWERED, None)
    if not answer.applicable:
        return QuestionState(question, answer, AnswerState.NOT_APPLICABLE, None)
    known = question.choice_ids
    unknown = tuple(c for c in [*answer.choices, *answer.na_choices] if c not in known)
    if unknown:
        return QuestionState(question, answer, AnswerState.UNANSWERED, None, unknown)
    practices = question.practice_ids
    na = tuple(
        c
        for c in practices
        if c in answer.na_choices and (choice := question.choice(c)) is not None and choice.waivable
    )
    if practices and len(na) == len(practices):
        return QuestionState(question, answer, AnswerState.NOT_APPLICABLE, None, (), na)
    if not answer.choices:
        return QuestionState(question, answer, AnswerState.UNANSWERED, None, (), na)
    risk = question.risk_for(frozenset(answer.choices).union(na))
    return QuestionState(question, answer, _STATE_OF_RISK[risk], risk, (), na)


def review_question_state(review: Review, checklist: Checklist, qid: str) -> QuestionState | None:
    """The state of one question of a review (None when the checklist has no such question)."""
    question = checklist.question(qid)
    if question is None:
        return None
    return question_state(question, review.answers.get(qid))


def answer_risk(review: Review, checklist: Checklist, qid: str) -> Risk | None:
    """The risk of a question's current answer (None when unanswered or not applicable)."""
    state = review_question_state(review, checklist, qid)
    return state.risk if state is not None else None


# --- evidence ------------------------------------------------------------------------------------


class EvidenceState(StrEnum):
    """Whether a question's evidence is what its checklist asks for."""

    NOT_NEEDED = "not_needed"  # unanswered, not applicable, or no rule asks for it
    CURRENT = "current"
    MISSING = "missing"  # the checklist asks for evidence and there is no link
    STALE = "stale"  # every link was verified longer ago than the checklist allows


@dataclass(frozen=True)
class EvidenceCheck:
    """A question's evidence judged on a day: its state, the links past their age, the date
    of the newest verification, and whether a problem blocks the launch."""

    state: EvidenceState
    stale: tuple[Evidence, ...] = ()
    newest: date | None = None
    max_age_days: int | None = None
    blocks: bool = False

    @property
    def problem(self) -> bool:
        return self.state in (EvidenceState.MISSING, EvidenceState.STALE)


def evidence_check(state: QuestionState, today: date) -> EvidenceCheck:
    """Missing evidence the checklist requires, or evidence older than it allows (a link never
    verified counts as old). Stale only when no link is current."""
    policy = state.question.evidence
    answer = state.answer
    if answer is None or not state.answered or not state.applicable:
        return EvidenceCheck(EvidenceState.NOT_NEEDED)
    blocks = policy.blocks and state.question.severity is Severity.HIGH
    links = answer.evidence
    if not links:
        if policy.required:
            return EvidenceCheck(EvidenceState.MISSING, blocks=blocks)
        return EvidenceCheck(EvidenceState.NOT_NEEDED)
    dates = [e.verified_on for e in links if e.verified_on is not None]
    newest = max(dates, default=None)
    age = policy.max_age_days
    if age is None:
        return EvidenceCheck(EvidenceState.CURRENT, newest=newest)
    stale = tuple(e for e in links if e.verified_on is None or (today - e.verified_on).days > age)
    if len(stale) == len(links):
        return EvidenceCheck(EvidenceState.STALE, stale, newest, age, blocks)
    return EvidenceCheck(EvidenceState.CURRENT, stale, newest, age)


# --- mitigations and acceptances -----------------------------------------------------------------


def is_done(mitigation: Mitigation) -> bool:
    return mitigation.status is MitigationStatus.DONE


def is_open(mitigation: Mitigation) -> bool:
    """Under way: open or in progress (not done, not withdrawn)."""
    return mitigation.status in (MitigationStatus.OPEN, MitigationStatus.IN_PROGRESS)


def is_overdue(mitigation: Mitigation, today: date) -> bool:
    """Under way and past its due date."""
    return is_open(mitigation) and mitigation.due is not None and mitigation.due < today


def days_overdue(mitigation: Mitigation, today: date) -> int:
    """How many days past its due date an open mitigation is (0 when it is not overdue)."""
    if not is_overdue(mitigation, today):
        return 0
    assert mitigation.due is not None
    return (today - mitigation.due).days


def due_after_launch(mitigation: Mitigation, launch: date) -> bool:
    """A blocking mitigation, not done, due after the launch date: the plan misses the launch."""
    return (
        mitigation.blocking
        and is_open(mitigation)
        and mitigation.due is not None
        and mitigation.due > launch
    )


def acceptance_valid(acceptance: RiskAcceptance, today: date) -> bool:
    """An acceptance holds before its expiry date; from that date on it counts as absent."""
    return today < acceptance.expires


def acceptance_expiring(acceptance: RiskAcceptance, today: date, launch: date) -> bool:
    """A valid acceptance that expires before the launch or within `EXPIRING_DAYS` of today."""
    if not acceptance_valid(acceptance, today):
        return False
    return acceptance.expires < launch or (acceptance.expires - today).days <= EXPIRING_DAYS


# --- findings ------------------------------------------------------------------------------------


class FindingStatus(StrEnum):
    """Where a finding stands."""

    NO_PLAN = "no_plan"  # neither a mitigation nor a valid acceptance
    PLANNED = "planned"  # mitigations under way, none done
    ACCEPTED = "accepted"  # a valid risk acceptance (no done mitigation)
    MITIGATED = "mitigated"  # a done mitigation: the measure is in place


class LaunchEffect(StrEnum):
    """What a finding does to the launch."""

    BLOCKS = "blocks"
    CONDITION = "condition"
    HANDLED = "handled"


@dataclass(frozen=True)
class Finding:
    """An applicable answered question whose risk is HIGH or MEDIUM (derived, never stored), with
    its mitigations and acceptances and what it does to the launch."""

    question_id: str
    pillar_id: str
    risk: Risk
    severity: Severity
    owner_role: str | None
    title: str
    mitigations: tuple[Mitigation, ...] = ()
    acceptances: tuple[RiskAcceptance, ...] = ()
    status: FindingStatus = FindingStatus.NO_PLAN
    effect: LaunchEffect = LaunchEffect.BLOCKS
    due: date | None = None  # the earliest due date of its open mitigations
    overdue: bool = False  # an open mitigation is past its due date

    @property
    def handled(self) -> bool:
        return self.status in (FindingStatus.MITIGATED, FindingStatus.ACCEPTED)

    @property
    def pending(self) -> list[Mitigation]:
        """The mitigations under way (open or in progress)."""
        return [m for m in self.mitigations if is_open(m)]

    @property
    def done(self) -> list[Mitigation]:
        return [m for m in self.mitigations if is_done(m)]


def finding_of(
    state: QuestionState,
    mitigations: list[Mitigation],
    acceptances: list[RiskAcceptance],
    today: date,
) -> Finding | None:
    """The finding of a question (None when its answer is not a finding)."""
    if state.risk is None or not state.is_finding:
        return None
    question = state.question
    pending = [m for m in mitigations if is_open(m)]
    valid = [a for a in acceptances if acceptance_valid(a, today)]
    if any(is_done(m) for m in mitigations):
        status = FindingStatus.MITIGATED
    elif valid:
        status = FindingStatus.ACCEPTED
    elif pending:
        status = FindingStatus.PLANNED
    else:
        status = FindingStatus.NO_PLAN
    handled = status in (FindingStatus.MITIGATED, FindingStatus.ACCEPTED)
    blocking_open = any(m.blocking for m in pending)
    # A valid acceptance stays a condition of the launch as long as its finding is current.
    if (state.risk is Risk.HIGH_RISK and not handled) or blocking_open:
        effect = LaunchEffect.BLOCKS
    elif not handled or pending or valid:
        effect = LaunchEffect.CONDITION
    else:
        effect = LaunchEffect.HANDLED
    return Finding(
        question_id=question.id,
        pillar_id=question.pillar_id,
        risk=state.risk,
        severity=question.severity,
        owner_role=question.spec.owner_role,
        title=question.title,
        mitigations=tuple(mitigations),
        acceptances=tuple(acceptances),
        status=status,
        effect=effect,
        due=min((m.due for m in pending if m.due), default=None),
        overdue=any(is_overdue(m, today) for m in pending),
    )


# --- sign-offs -----------------------------------------------------------------------------------


class SignoffStatus(StrEnum):
    """Where a role's sign-off stands."""

    MISSING = "missing"
    REJECTED = "rejected"
    STALE = "stale"  # approved, but answers changed since
    CURRENT = "current"


@dataclass(frozen=True)
class SignoffState:
    """A role's sign-off and its state (required roles, and any other role that signed)."""

    role: str
    role_name: str
    required: bool
    signoff: SignOff | None
    status: SignoffStatus

    @property
    def valid(self) -> bool:
        return self.status is SignoffStatus.CURRENT


def answers_hash(review: Review) -> str:
    """A hash of every answer and of the question each answers (what a sign-off covers).

    Who answered and when do not count; what was answered (choices, applicability, reason,
    notes, evidence links, practices not applicable) and the question's own hash do, so a rebase
    onto a changed question makes earlier approvals stale too.
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


def approvals_hash(review: Review) -> str | None:
    """The answers' hash when a change could make an approval stale (some role approved),
    else None: what to take before a change, for ``ops.newly_stale`` after it."""
    if any(s.decision is Decision.APPROVE for s in review.signoffs):
        return answers_hash(review)
    return None


def signoff_states(review: Review, checklist: Checklist) -> list[SignoffState]:
    """Every required sign-off, then any other role that signed, each with its state."""
    roles = checklist.manifest.roles
    required = list(checklist.manifest.required_signoffs)
    order = list(dict.fromkeys([*required, *(s.role for s in review.signoffs)]))
    # The answers' hash only when a sign-off is there to compare with it.
    current = answers_hash(review) if review.signoffs else ""
    out: list[SignoffState] = []
    for role in order:
        signoff = review.signoff(role)
        if signoff is None:
            status = SignoffStatus.MISSING
        elif signoff.decision is Decision.REJECT:
            status = SignoffStatus.REJECTED
        elif signoff.answers_hash != current:
            status = SignoffStatus.STALE
        else:
            status = SignoffStatus.CURRENT
        spec = roles.get(role)
        out.append(
            SignoffState(
                role=role,
                role_name=spec.name if spec else role,
                required=role in required,
                signoff=signoff,
                status=status,
            )
        )
    return out
