"""Reviews over a workload's life: the next review started from the last one (what a portfolio
of reviews needs attention for is `orr.review.portfolio`).

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
from orr.i18n import _
from orr.review import ops
from orr.review.checklists import manifest_ref
from orr.review.kinds import ReviewKind
from orr.review.model import SCHEMA_VERSION, Answer, ChecklistRef, Review, now_utc
from orr.review.state import (
    AnswerState,
    EvidenceState,
    acceptance_valid,
    evidence_check,
    is_open,
    question_state,
)

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
