"""Reviews over a workload's life: the next review started from the last one, and what a
portfolio of reviews needs attention for (overdue, expiring, stale, due).

OPS07-BP02 asks for readiness reviews to be repeated: before launch, then periodically and
after significant changes or incidents. The next review of a workload starts from the last one
against the checklist as it is now: what was answered carries over, what may no longer hold is
marked for re-confirmation, sign-offs never carry over, and the old file is not touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from orr.checklist.load import select_tier
from orr.checklist.model import Checklist
from orr.errors import OrrError
from orr.i18n import _
from orr.review import ops
from orr.review.checklists import ChecklistCache, manifest_ref
from orr.review.gate import Gate, evaluate_gate
from orr.review.model import (
    SCHEMA_VERSION,
    Answer,
    ChecklistRef,
    Review,
    ReviewKind,
    now_utc,
)
from orr.review.state import (
    AnswerState,
    EvidenceState,
    acceptance_expiring,
    acceptance_valid,
    days_overdue,
    evidence_check,
    is_open,
    question_state,
)
from orr.review.store import load_review

# --- the next review from the last ---------------------------------------------------------------


@dataclass
class CarriedOver:
    """What the next review took from the last one."""

    answers: list[str] = field(default_factory=list)
    reconfirm: dict[str, str] = field(default_factory=dict)  # question -> why
    mitigations: list[str] = field(default_factory=list)
    acceptances: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # answers of questions no longer asked


def next_review(
    old: Review,
    old_path: Path,
    checklist: Checklist,
    new_path: Path,
    *,
    kind: ReviewKind,
    launch_date: date,
    who: str,
    today: date,
    now: datetime | None = None,
) -> tuple[Review, CarriedOver]:
    """A new review of the same workload against ``checklist``, started from ``old``.

    Answers, notes and evidence (with their dates) carry over; an answer is marked for
    re-confirmation when its question changed, its evidence is stale, or it was not applicable.
    Open mitigations and unexpired risk acceptances carry over; sign-offs never do."""
    now = now or now_utc()
    tier = old.checklist.tier if old.checklist.tier in checklist.manifest.tiers else None
    in_scope = select_tier(checklist, tier)
    hashes = ops.question_hashes(in_scope)
    carried = CarriedOver()
    answers: dict[str, Answer] = {}
    for qid, answer in old.answers.items():
        question = in_scope.question(qid)
        if question is None:
            carried.dropped.append(qid)
            continue
        known = {c.id for c in question.choices}
        copy = answer.model_copy(
            update={
                "choices": [c for c in answer.choices if c in known],
                "na_choices": {c: n for c, n in answer.na_choices.items() if c in known},
                "reconfirm": False,
            },
            deep=True,
        )
        state = question_state(question, copy)
        why: list[str] = []
        if old.checklist.question_hashes.get(qid) != hashes[qid]:
            why.append(_("the question changed"))
        if state.state is AnswerState.NOT_APPLICABLE or copy.na_choices:
            why.append(_("it was marked not applicable"))
        if evidence_check(state, today).state is EvidenceState.STALE:
            why.append(_("its evidence is out of date"))
        if why and state.answered:
            copy.reconfirm = True
            carried.reconfirm[qid] = "; ".join(why)
        answers[qid] = copy
        carried.answers.append(qid)
    mitigations = [m.model_copy() for m in old.mitigations if is_open(m) and m.question in hashes]
    acceptances = [
        a.model_copy()
        for a in old.acceptances
        if acceptance_valid(a, today) and a.question in hashes
    ]
    carried.mitigations = [m.id for m in mitigations]
    carried.acceptances = [a.id for a in acceptances]
    review = Review(
        schema_version=SCHEMA_VERSION,
        workload=old.workload.model_copy(update={"launch_date": launch_date}),
        checklist=ChecklistRef(
            manifest=manifest_ref(checklist.path, new_path),
            id=checklist.manifest.id,
            version=checklist.manifest.version,
            content_hash=checklist.content_hash,
            tier=tier,
            question_hashes=hashes,
        ),
        stakeholders=[s.model_copy() for s in old.stakeholders],
        answers=answers,
        mitigations=mitigations,
        acceptances=acceptances,
        kind=kind,
        follows=Path(os.path.relpath(old_path.resolve(), new_path.resolve().parent)).as_posix(),
    )
    ops.audit(
        review,
        who,
        now,
        "new",
        f"{kind} review of {old.workload.name} started from {review.follows} (checklist "
        f"{checklist.manifest.id} {checklist.manifest.version}): {len(carried.answers)} "
        f"answer(s) carried, {len(carried.reconfirm)} to re-confirm, "
        f"{len(carried.mitigations)} open mitigation(s), {len(carried.acceptances)} "
        "acceptance(s)",
    )
    return review, carried


# --- a portfolio ---------------------------------------------------------------------------------


@dataclass
class Attention:
    """One workload's latest review, and what needs attention in it."""

    path: Path
    review: Review | None
    gate: Gate | None
    checklist: Checklist | None = None
    error: str | None = None
    overdue: list[tuple[str, int]] = field(default_factory=list)  # mitigation id, days late
    expiring: list[tuple[str, date]] = field(default_factory=list)  # acceptance id, expires
    evidence_stale: int = 0
    evidence_missing: int = 0
    review_due: date | None = None  # the date the next review was due (when it is due)

    @property
    def workload(self) -> str:
        return self.review.workload.name if self.review else self.path.stem

    @property
    def due(self) -> bool:
        """Something needs doing: overdue, expiring, stale or missing evidence, a review due."""
        return bool(
            self.overdue
            or self.expiring
            or self.evidence_stale
            or self.evidence_missing
            or self.review_due
            or self.error
        )

    def urgency(self) -> tuple[int, int, int, int, int, int, str]:
        """Most urgent first: unreadable files, the most days overdue, the soonest expiry,
        the longest overdue review, stale or missing evidence, the soonest launch."""
        gate = self.gate
        most_late = max((d for _, d in self.overdue), default=0)
        soonest = min((e for _, e in self.expiring), default=date.max)
        due_for = (gate.today - self.review_due).days if gate and self.review_due else -1
        days_left = gate.days_left if gate else 0
        return (
            0 if self.error else 1,
            -most_late,
            (soonest - gate.today).days if gate and self.expiring else 1_000_000,
            -due_for,
            -(self.evidence_stale + self.evidence_missing),
            days_left if days_left >= 0 else 1_000_000,
            self.workload.lower(),
        )


def attention(path: Path, review: Review, checklist: Checklist, gate: Gate) -> Attention:
    """What needs attention in one review as of the gate's day."""
    today = gate.today
    launch = review.workload.launch_date
    return Attention(
        path=path,
        review=review,
        gate=gate,
        checklist=checklist,
        overdue=[(m.id, days_overdue(m, today)) for m in gate.overdue],
        expiring=[
            (a.id, a.expires)
            for a in review.acceptances
            if acceptance_expiring(a, today, launch)
            and any(f.question_id == a.question for f in gate.findings)
        ],
        evidence_stale=gate.counts.get("evidence_stale", 0),
        evidence_missing=gate.counts.get("evidence_missing", 0),
        review_due=gate.next_review if gate.review_due else None,
    )


def portfolio(
    files: list[Path], today: date, cache: ChecklistCache, names: dict[Path, str] | None = None
) -> list[Attention]:
    """The latest review of each workload among ``files`` (a review another one follows is
    history), with what needs attention, most urgent first."""
    loaded: list[tuple[Path, Review]] = []
    out: list[Attention] = []
    for f in files:
        shown = (names or {}).get(f, str(f))
        try:
            loaded.append((f, load_review(f, shown)))
        except OrrError as exc:
            out.append(Attention(path=f, review=None, gate=None, error=exc.lines()[0]))
    followed = {(f.parent / r.follows).resolve() for f, r in loaded if r.follows}
    for f, review in loaded:
        if f.resolve() in followed:
            continue  # superseded by the review that follows it
        try:
            checklist = cache.for_review(review, f)
        except OrrError as exc:
            out.append(Attention(path=f, review=review, gate=None, error=exc.lines()[0]))
            continue
        out.append(attention(f, review, checklist, evaluate_gate(review, checklist, today)))
    return sorted(out, key=Attention.urgency)
