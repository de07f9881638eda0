"""The launch gate (PRODUCT.md section 3), computed in one place for the CLI, the TUI, the
spreadsheet, the readout and the WA sync. Pure functions: "today" is passed in.

- NOT READY when any of: an applicable question in scope is unanswered; a not-applicable answer
  has no reason; a HIGH finding has neither a ``done`` mitigation nor a valid risk acceptance; a
  mitigation marked ``blocking`` is not ``done`` (its own kind when it is due after the launch);
  a required sign-off is missing, stale or a rejection; the checklist changed since the review
  started (or an answer awaits re-confirmation after a rebase).
- READY WITH CONDITIONS when not blocked but conditions remain: MEDIUM findings that have
  neither a ``done`` mitigation nor a valid acceptance, open non-blocking mitigations, valid
  risk acceptances of current findings (``acceptance_expiring`` when one runs out before the
  launch or within 30 days).
- READY otherwise.

A question gives at most one line for its answer and one for its finding and mitigations: a
finding's open mitigations are listed under it (``GateItem.mitigations``), so adding a
mitigation never adds a blocker. The states the lines are made from (each answer, finding,
sign-off) are in `orr.review.state`; this module only assembles them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

from orr.checklist.load import select_tier
from orr.checklist.model import Checklist, ChecklistPillar, ChecklistQuestion
from orr.checklist.rules import Risk
from orr.i18n import _, language
from orr.review.kinds import BlockerKind, ConditionKind, GateKind, ReviewKind, Verdict
from orr.review.model import Answer, Mitigation, Review, RiskAcceptance
from orr.review.state import (
    AnswerState,
    EvidenceCheck,
    EvidenceState,
    Finding,
    LaunchEffect,
    QuestionState,
    SignoffState,
    SignoffStatus,
    acceptance_expiring,
    acceptance_valid,
    due_after_launch,
    evidence_check,
    finding_of,
    is_open,
    is_overdue,
    question_state,
    signoff_states,
)

SIGNOFF_KINDS = frozenset(
    {BlockerKind.SIGNOFF_MISSING, BlockerKind.SIGNOFF_STALE, BlockerKind.SIGNOFF_REJECTED}
)
FINDING_KINDS = frozenset(
    {
        BlockerKind.HIGH_FINDING,
        BlockerKind.BLOCKING_MITIGATION,
        BlockerKind.MITIGATION_AFTER_LAUNCH,
        ConditionKind.MEDIUM_FINDING,
        ConditionKind.OPEN_MITIGATION,
        ConditionKind.RISK_ACCEPTANCE,
        ConditionKind.ACCEPTANCE_EXPIRING,
    }
)


@dataclass(frozen=True)
class GateItem:
    """One line of the gate: what, which question, whose role, who, by when, what to do, and the
    mitigations (ids) it concerns."""

    kind: GateKind
    question: str | None
    role: str | None
    owner: str
    due: date | None
    message: str
    mitigations: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        return isinstance(self.kind, BlockerKind)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["due"] = self.due.isoformat() if self.due else None
        data["mitigations"] = list(self.mitigations)
        return data


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
    """The launch gate of one review on one day, with the state of every question, finding and
    sign-off it was made from."""

    verdict: Verdict
    today: date
    launch_date: date
    days_left: int
    blockers: list[GateItem]
    conditions: list[GateItem]
    findings: list[Finding]
    questions: dict[str, QuestionState]
    signoffs: list[SignoffState]
    overdue: list[Mitigation]
    expiring: list[RiskAcceptance]
    expired: list[RiskAcceptance]
    pillars: list[PillarStats]
    counts: dict[str, int] = field(default_factory=dict)
    behind_checklist: bool = False
    evidence: dict[str, EvidenceCheck] = field(default_factory=dict)  # questions with a problem
    next_review: date | None = None  # when the workload is due for its next review
    started: date | None = None  # when the review was started

    @property
    def review_due(self) -> bool:
        return self.next_review is not None and self.next_review <= self.today

    def state(self, qid: str) -> QuestionState | None:
        """The state of a question in scope (None for a question the review does not cover)."""
        return self.questions.get(qid)

    def finding(self, qid: str) -> Finding | None:
        for f in self.findings:
            if f.question_id == qid:
                return f
        return None

    def items_of(self, qid: str) -> list[GateItem]:
        return [i for i in [*self.blockers, *self.conditions] if i.question == qid]

    def as_dict(self) -> dict[str, object]:
        """The gate as JSON data (what `orr status --json` prints for each review)."""
        return {
            "verdict": str(self.verdict),
            "today": self.today.isoformat(),
            "launch_date": self.launch_date.isoformat(),
            "days_left": self.days_left,
            "behind_checklist": self.behind_checklist,
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
                    "status": str(f.status),
                    "effect": str(f.effect),
                    "mitigations": [m.id for m in f.mitigations],
                    "acceptances": [a.id for a in f.acceptances],
                    "due": f.due.isoformat() if f.due else None,
                }
                for f in self.findings
            ],
            "signoffs": [
                {
                    "role": s.role,
                    "required": s.required,
                    "status": str(s.status),
                    "name": s.signoff.name if s.signoff else None,
                    "at": s.signoff.at.isoformat() if s.signoff else None,
                }
                for s in self.signoffs
            ],
            "overdue": [m.id for m in self.overdue],
            "expiring": [a.id for a in self.expiring],
            "expired": [a.id for a in self.expired],
            "pillars": [asdict(p) for p in self.pillars],
            "counts": dict(self.counts),
            "evidence": {
                qid: {
                    "state": str(check.state),
                    "newest": check.newest.isoformat() if check.newest else None,
                    "max_age_days": check.max_age_days,
                    "blocks": check.blocks,
                }
                for qid, check in self.evidence.items()
            },
            "started": self.started.isoformat() if self.started else None,
            "next_review": self.next_review.isoformat() if self.next_review else None,
            "review_due": self.review_due,
        }


# --- scope ---------------------------------------------------------------------------------------


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


def behind_checklist(review: Review, checklist: Checklist) -> bool:
    """True when the checklist changed since the review was started or last rebased (or no
    longer has the review's tier)."""
    tier = review.checklist.tier
    return review.checklist.content_hash != checklist.content_hash or (
        tier is not None and tier not in checklist.manifest.tiers
    )


# --- the lines of the gate -----------------------------------------------------------------------


def _ids(mitigations: list[Mitigation]) -> str:
    return ", ".join(m.id for m in mitigations)


def _plan(finding: Finding, today: date) -> str:
    """What is under way for a finding, in words."""
    pending = finding.pending
    parts = [_mitigation_phrase(m, today) for m in pending] if pending else [_("no mitigation")]
    lapsed = [a for a in finding.acceptances if not acceptance_valid(a, today)]
    if lapsed:
        parts.append(
            _("acceptance {items}").format(
                items=", ".join(
                    _("{id} expired on {date}").format(id=a.id, date=a.expires.isoformat())
                    for a in lapsed
                )
            )
        )
    return "; ".join(parts)


def _mitigation_phrase(m: Mitigation, today: date) -> str:
    status = {
        "open": _("open"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "withdrawn": _("withdrawn"),
    }[str(m.status)]
    when = _("due {date}").format(date=m.due.isoformat()) if m.due else _("no due date")
    text = _("{id} {title!r} is {status}, {when}").format(
        id=m.id, title=m.title, status=status, when=when
    )
    if is_overdue(m, today) and m.due is not None:
        text += ", " + _("OVERDUE by {days} day(s)").format(days=(today - m.due).days)
    return text


class _Lines:
    """Builds the blockers and conditions of one review."""

    def __init__(self, review: Review, checklist: Checklist, today: date) -> None:
        self.review = review
        self.today = today
        self.launch = review.workload.launch_date
        self.roles = checklist.manifest.roles
        self.blockers: list[GateItem] = []
        self.conditions: list[GateItem] = []
        self._owners: dict[str, str] = {}  # role -> the stakeholders who hold it

    def owner_of(self, role: str | None) -> str:
        if not role:
            return ""
        owner = self._owners.get(role)
        if owner is None:
            owner = self._owners[role] = ", ".join(self.review.stakeholders_with(role))
        return owner

    def role_name(self, role: str) -> str:
        spec = self.roles.get(role)
        return spec.name if spec else role

    def add(
        self,
        kind: GateKind,
        message: str,
        *,
        question: ChecklistQuestion | None = None,
        qid: str | None = None,
        role: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        mitigations: list[Mitigation] | None = None,
    ) -> None:
        if question is not None:
            qid = question.id
            role = role or question.spec.owner_role
        item = GateItem(
            kind=kind,
            question=qid,
            role=role,
            owner=self.owner_of(role) if owner is None else owner,
            due=due,
            message=message,
            mitigations=tuple(m.id for m in mitigations or []),
        )
        (self.blockers if isinstance(kind, BlockerKind) else self.conditions).append(item)

    def answer(self, state: QuestionState) -> None:
        """The line of an answer that is missing, unreadable, without reason or to re-confirm."""
        question = state.question
        if state.unknown:
            # A hand-edited file (or a typo) names choices the question does not have: the
            # answer cannot be scored, so it counts as not answered until it is redone.
            self.add(
                BlockerKind.UNANSWERED,
                _(
                    "the answer selects {choices}, which the question does not have: "
                    "answer it again"
                ).format(choices=", ".join(repr(c) for c in state.unknown)),
                question=question,
            )
            return
        if not state.answered:
            self.add(
                BlockerKind.UNANSWERED,
                _(
                    "not answered: select the practices in place, None of these, or mark it "
                    "not applicable with a reason"
                ),
                question=question,
            )
            return
        if state.reconfirm:
            self.add(
                BlockerKind.CHECKLIST_CHANGED,
                _("the question changed since it was answered: confirm or change the answer"),
                question=question,
            )
        if state.na_without_reason:
            self.add(
                BlockerKind.NA_WITHOUT_REASON,
                _(
                    "marked not applicable without a reason: give one (out of scope, business "
                    "priorities, architecture constraints, other)"
                ),
                question=question,
            )

    def finding(self, question: ChecklistQuestion, finding: Finding) -> None:
        """One line for a finding that blocks or is a condition, its open mitigations under it."""
        pending = finding.pending
        due = finding.due
        late = [m for m in pending if due_after_launch(m, self.launch)]
        if finding.effect is LaunchEffect.BLOCKS:
            if late:
                self._after_launch(question, late, pending)
            elif finding.risk is Risk.HIGH_RISK and not finding.handled:
                todo = (
                    _("finish it, or record a risk acceptance")
                    if pending
                    else _("add a mitigation and finish it, or record a risk acceptance")
                )
                self.add(
                    BlockerKind.HIGH_FINDING,
                    _(
                        "HIGH risk with neither a done mitigation nor a valid risk acceptance "
                        "({plan}): {todo}"
                    ).format(plan=_plan(finding, self.today), todo=todo),
                    question=question,
                    due=due,
                    mitigations=pending,
                )
            else:
                self._blocking_mitigations(question.id, question.spec.owner_role, pending)
            return
        if finding.effect is LaunchEffect.HANDLED:
            return
        valid = [a for a in finding.acceptances if acceptance_valid(a, self.today)]
        if not finding.handled:
            self.add(
                ConditionKind.MEDIUM_FINDING,
                _("MEDIUM risk ({plan}): plan and track a mitigation").format(
                    plan=_plan(finding, self.today)
                ),
                question=question,
                due=due,
                mitigations=pending,
            )
        elif valid:
            expiring = [a for a in valid if acceptance_expiring(a, self.today, self.launch)]
            shown = expiring or valid
            first = min(shown, key=lambda a: a.expires)
            parts = [
                _("{id}: risk accepted by {approver} until {date}").format(
                    id=a.id, approver=a.approver, date=a.expires.isoformat()
                )
                for a in shown
            ]
            message = "; ".join(parts)
            if expiring:
                message += ": " + (
                    _("it runs out before the launch: renew it or fix the finding")
                    if first.expires < self.launch
                    else _("it runs out within {days} days: renew it or fix the finding").format(
                        days=(first.expires - self.today).days
                    )
                )
            if pending:
                message += "; " + "; ".join(_mitigation_phrase(m, self.today) for m in pending)
            self.add(
                ConditionKind.ACCEPTANCE_EXPIRING if expiring else ConditionKind.RISK_ACCEPTANCE,
                message,
                question=question,
                role=first.role,
                owner=first.approver,
                due=first.expires,
                mitigations=pending,
            )
        elif pending:
            self._open_mitigations(question.id, question.spec.owner_role, pending)

    def _after_launch(
        self, question: ChecklistQuestion, late: list[Mitigation], pending: list[Mitigation]
    ) -> None:
        first = min(late, key=lambda m: m.due or date.max)
        self.add(
            BlockerKind.MITIGATION_AFTER_LAUNCH,
            _(
                "{ids} must be done before launch but is due {date}, after the launch date "
                "{launch}: bring it forward, or record a risk acceptance"
            ).format(
                ids=_ids(late),
                date=first.due.isoformat() if first.due else "",
                launch=self.launch.isoformat(),
            ),
            question=question,
            owner=", ".join(dict.fromkeys(m.owner for m in late if m.owner)),
            due=first.due,
            mitigations=pending,
        )

    def _blocking_mitigations(self, qid: str, role: str | None, pending: list[Mitigation]) -> None:
        blocking = [m for m in pending if m.blocking]
        late = [m for m in blocking if due_after_launch(m, self.launch)]
        kind = BlockerKind.MITIGATION_AFTER_LAUNCH if late else BlockerKind.BLOCKING_MITIGATION
        phrases = "; ".join(_mitigation_phrase(m, self.today) for m in blocking)
        if late:
            message = (
                phrases
                + ": "
                + _("due after the launch date {launch}: bring it forward").format(
                    launch=self.launch.isoformat()
                )
            )
        else:
            message = phrases + ": " + _("finish it before launch")
        self.add(
            kind,
            message,
            qid=qid,
            role=role,
            owner=", ".join(dict.fromkeys(m.owner for m in blocking if m.owner)),
            due=min((m.due for m in blocking if m.due), default=None),
            mitigations=pending,
        )

    def _open_mitigations(self, qid: str, role: str | None, pending: list[Mitigation]) -> None:
        self.add(
            ConditionKind.OPEN_MITIGATION,
            "; ".join(_mitigation_phrase(m, self.today) for m in pending),
            qid=qid,
            role=role,
            owner=", ".join(dict.fromkeys(m.owner for m in pending if m.owner)),
            due=min((m.due for m in pending if m.due), default=None),
            mitigations=pending,
        )

    def loose_mitigations(self, qid: str, role: str | None, pending: list[Mitigation]) -> None:
        """Open mitigations of a question that is not a finding (answered with no risk since,
        not applicable, out of scope): a blocking one still blocks, the others are conditions."""
        if any(m.blocking for m in pending):
            self._blocking_mitigations(qid, role, pending)
        else:
            self._open_mitigations(qid, role, pending)

    def evidence(self, question: ChecklistQuestion, check: EvidenceCheck) -> None:
        if check.state is EvidenceState.MISSING:
            kind: GateKind = (
                BlockerKind.EVIDENCE_MISSING if check.blocks else ConditionKind.EVIDENCE_MISSING
            )
            message = _(
                "no evidence link: the checklist asks to see evidence of this answer; add a "
                "link that shows it"
            )
        else:
            kind = BlockerKind.EVIDENCE_STALE if check.blocks else ConditionKind.EVIDENCE_STALE
            if check.newest is None:
                message = _(
                    "the evidence was never verified (the checklist allows {days} days): check "
                    "it and re-verify the link"
                ).format(days=check.max_age_days)
            else:
                message = _(
                    "the evidence was last verified on {date}, {ago} days ago (the checklist "
                    "allows {days}): check it again and re-verify the link"
                ).format(
                    date=check.newest.isoformat(),
                    ago=(self.today - check.newest).days,
                    days=check.max_age_days,
                )
        self.add(kind, message, question=question)

    def signoff(self, state: SignoffState) -> None:
        if not state.required or state.status is SignoffStatus.CURRENT:
            return
        role, name = state.role, state.role_name
        s = state.signoff
        if state.status is SignoffStatus.MISSING or s is None:
            self.add(
                BlockerKind.SIGNOFF_MISSING,
                _("no sign-off from the {role} yet").format(role=name),
                role=role,
            )
        elif state.status is SignoffStatus.REJECTED:
            self.add(
                BlockerKind.SIGNOFF_REJECTED,
                _(
                    "{name} ({role}) rejected the launch on {date}: resolve their concerns and "
                    "sign again"
                ).format(name=s.name, role=name, date=s.at.date().isoformat()),
                role=role,
                owner=s.name,
            )
        else:
            self.add(
                BlockerKind.SIGNOFF_STALE,
                _(
                    "{name} ({role}) approved on {date} but answers changed since: sign again"
                ).format(name=s.name, role=name, date=s.at.date().isoformat()),
                role=role,
                owner=s.name,
            )


# --- the gate ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judged:
    """What the gate made of one question from its entries (held, so that they are the same
    objects when the memo is read): its state, finding, evidence problem and lines."""

    answer: Answer | None
    mitigations: tuple[Mitigation, ...]
    acceptances: tuple[RiskAcceptance, ...]
    state: QuestionState
    finding: Finding | None
    check: EvidenceCheck | None  # only when it is a problem
    blockers: tuple[GateItem, ...]
    conditions: tuple[GateItem, ...]

    def made_from(
        self,
        answer: Answer | None,
        mitigations: list[Mitigation],
        acceptances: list[RiskAcceptance],
    ) -> bool:
        return (
            self.answer is answer
            and len(self.mitigations) == len(mitigations)
            and len(self.acceptances) == len(acceptances)
            and all(a is b for a, b in zip(self.mitigations, mitigations, strict=True))
            and all(a is b for a, b in zip(self.acceptances, acceptances, strict=True))
        )


class GateMemo:
    """What `evaluate_gate` made of each question, for the next gate of the same review: a
    question whose answer, mitigations and acceptances are the same objects as last time is
    not judged again (a change in the walk-through touches one question of hundreds).

    For a review changed only through `orr.review.ops`, which replaces an entry it changes
    rather than changing it in place (a front end's session): the entries are compared by
    identity, never by value. Anything else the lines depend on (the checklist, the day, the
    launch date, the stakeholders, the language) starts the memo afresh when it changes."""

    def __init__(self) -> None:
        self._checklist: Checklist | None = None
        self._context: tuple[object, ...] = ()
        self._judged: dict[str, _Judged] = {}

    def judged(self, review: Review, checklist: Checklist, today: date) -> dict[str, _Judged]:
        context = (
            today,
            review.workload.launch_date,
            tuple((s.name, s.role) for s in review.stakeholders),
            language(),
        )
        if checklist is not self._checklist or context != self._context:
            self._checklist, self._context, self._judged = checklist, context, {}
        return self._judged


def _judge(
    lines: _Lines,
    question: ChecklistQuestion,
    answer: Answer | None,
    mitigations: list[Mitigation],
    acceptances: list[RiskAcceptance],
    today: date,
) -> _Judged:
    """One question's state, finding, evidence problem, and the lines they give (added to
    ``lines`` and kept)."""
    blockers, conditions = len(lines.blockers), len(lines.conditions)
    state = question_state(question, answer)
    lines.answer(state)
    finding: Finding | None = None
    problem: EvidenceCheck | None = None
    if state.answered:
        finding = finding_of(state, mitigations, acceptances, today)
        if finding is not None:
            lines.finding(question, finding)
        check = evidence_check(state, today)
        if check.problem:
            problem = check
            lines.evidence(question, check)
    return _Judged(
        answer,
        tuple(mitigations),
        tuple(acceptances),
        state,
        finding,
        problem,
        tuple(lines.blockers[blockers:]),
        tuple(lines.conditions[conditions:]),
    )


def evaluate_gate(
    review: Review, checklist: Checklist, today: date, memo: GateMemo | None = None
) -> Gate:
    """The verdict, with every blocker and condition, the state of every question, finding and
    sign-off, per-pillar stats and counts. With ``memo`` (kept by the caller from one gate of
    the review to the next), questions whose entries did not change are not judged again."""
    judged = memo.judged(review, checklist, today) if memo is not None else {}
    in_scope = scope(review, checklist)
    lines = _Lines(review, checklist, today)
    mitigations_of: dict[str, list[Mitigation]] = {}
    for m in review.mitigations:
        mitigations_of.setdefault(m.question, []).append(m)
    acceptances_of: dict[str, list[RiskAcceptance]] = {}
    for a in review.acceptances:
        acceptances_of.setdefault(a.question, []).append(a)

    behind = behind_checklist(review, checklist)
    if behind:
        tier = review.checklist.tier
        message = _(
            "the checklist changed since this review started (version {old} -> {new}): rebase "
            "the review onto it"
        ).format(old=review.checklist.version or "?", new=checklist.manifest.version or "?")
        if tier is not None and tier not in checklist.manifest.tiers:
            message += "; " + _("it no longer has tier {tier!r}").format(tier=tier)
        lines.add(BlockerKind.CHECKLIST_CHANGED, message, owner=review.workload.owner)

    states: dict[str, QuestionState] = {}
    evidence: dict[str, EvidenceCheck] = {}
    found: list[Finding] = []
    pillar_stats: list[PillarStats] = []
    for pillar in in_scope.pillars:
        stats = PillarStats(id=pillar.id, name=pillar.name)
        for question in pillar.questions:
            qid = question.id
            answer = review.answers.get(qid)
            mitigations = mitigations_of.get(qid, [])
            acceptances = acceptances_of.get(qid, [])
            known = judged.get(qid)
            if known is not None and known.made_from(answer, mitigations, acceptances):
                lines.blockers.extend(known.blockers)
                lines.conditions.extend(known.conditions)
            else:
                known = _judge(lines, question, answer, mitigations, acceptances, today)
                if memo is not None:
                    judged[qid] = known
            state = known.state
            states[qid] = state
            stats.total += 1
            if not state.answered:
                continue
            stats.answered += 1
            if state.state is AnswerState.NOT_APPLICABLE:
                stats.na += 1
            elif state.state is AnswerState.NO_RISK:
                stats.none += 1
            elif state.state is AnswerState.HIGH:
                stats.high += 1
            else:
                stats.medium += 1
            if known.finding is not None:
                found.append(known.finding)
            if known.check is not None:
                evidence[qid] = known.check
        pillar_stats.append(stats)

    finding_ids = {f.question_id for f in found}
    questions = checklist.question_index()
    for qid, mits in mitigations_of.items():
        pending = [m for m in mits if is_open(m)]
        if qid in finding_ids or not pending:
            continue
        q = questions.get(qid)
        lines.loose_mitigations(qid, q.spec.owner_role if q else None, pending)

    overdue = [m for m in review.mitigations if is_overdue(m, today)]
    launch = review.workload.launch_date
    valid = [a for a in review.acceptances if acceptance_valid(a, today)]
    expired = [a for a in review.acceptances if not acceptance_valid(a, today)]
    expiring = sorted(
        (a for a in valid if acceptance_expiring(a, today, launch)), key=lambda a: (a.expires, a.id)
    )

    signoffs = signoff_states(review, checklist)
    for s in signoffs:
        lines.signoff(s)

    blockers, conditions = lines.blockers, lines.conditions
    if blockers:
        verdict = Verdict.NOT_READY
    elif conditions:
        verdict = Verdict.READY_WITH_CONDITIONS
    else:
        verdict = Verdict.READY

    total = sum(p.total for p in pillar_stats)
    answered = sum(p.answered for p in pillar_stats)
    counts = {
        "questions": total,
        "answered": answered,
        "unanswered": total - answered,
        "not_applicable": sum(p.na for p in pillar_stats),
        "findings": len(found),
        "high": sum(1 for f in found if f.risk is Risk.HIGH_RISK),
        "medium": sum(1 for f in found if f.risk is Risk.MEDIUM_RISK),
        "mitigations": len(review.mitigations),
        "mitigations_open": sum(1 for m in review.mitigations if is_open(m)),
        "mitigations_overdue": len(overdue),
        "acceptances": len(valid),
        "acceptances_expired": len(expired),
        "acceptances_expiring": len(expiring),
        "signoffs_required": sum(1 for s in signoffs if s.required),
        "signoffs_valid": sum(1 for s in signoffs if s.required and s.valid),
        "blockers": len(blockers),
        "conditions": len(conditions),
        "evidence_missing": sum(1 for c in evidence.values() if c.state is EvidenceState.MISSING),
        "evidence_stale": sum(1 for c in evidence.values() if c.state is EvidenceState.STALE),
    }
    started = review_started(review)
    every = checklist.manifest.review_every_days
    return Gate(
        verdict=verdict,
        today=today,
        launch_date=launch,
        days_left=(launch - today).days,
        blockers=blockers,
        conditions=conditions,
        findings=found,
        questions=states,
        signoffs=signoffs,
        overdue=overdue,
        expiring=expiring,
        expired=expired,
        pillars=pillar_stats,
        counts=counts,
        behind_checklist=behind,
        evidence=evidence,
        started=started,
        next_review=next_review(review, started, every),
    )


def review_started(review: Review) -> date | None:
    """When the review was started: its first audit entry."""
    return min((e.at.date() for e in review.audit), default=None)


def next_review(review: Review, started: date | None, every: int | None) -> date | None:
    """When the workload is due for its next review, with the checklist's cadence: ``every``
    days after the launch of a pre-launch review, after the start of any other."""
    if every is None:
        return None
    base = started or review.workload.launch_date
    if review.kind is ReviewKind.PRE_LAUNCH:
        base = max(base, review.workload.launch_date)
    return base + timedelta(days=every)
