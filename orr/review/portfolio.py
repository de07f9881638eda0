"""A portfolio of reviews: the latest review of each workload, as a list shows it, and what
needs attention in it (overdue actions, expiring acceptances, stale or missing evidence, a
review due), most urgent first: Home, `orr status DIR`, `orr report --portfolio`.

What a list shows is plain data (`Attention`): it can be remembered from one run to the next
(`orr.review.summaries`), and Home opens with it before the review models are even imported
(they are, here, only when a review has to be read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from orr.errors import OrrError
from orr.review.kinds import ReviewKind, Verdict
from orr.tomlfile import read_text

if TYPE_CHECKING:
    from orr.checklist.model import Checklist
    from orr.review.checklists import ChecklistCache
    from orr.review.gate import Gate
    from orr.review.model import Review


@dataclass
class Attention:
    """One workload's latest review as a list of reviews shows it (Home, `orr status DIR`, the
    portfolio report), and what needs attention in it, on the day ``today``.

    Everything here is derived by `attention` from the review and its gate, and is plain data
    (so that it can be remembered from one run to the next: `orr.review.summaries`). ``review``, ``gate``
    and ``checklist`` are what it was derived from when the review was read in this process;
    they are None for a summary remembered from an earlier run, and for a file that cannot be
    read (``error``)."""

    path: Path
    workload: str
    error: str | None = None
    environment: str = ""
    kind: ReviewKind = ReviewKind.PRE_LAUNCH
    launch_date: date = date.min
    verdict: Verdict = Verdict.NOT_READY
    today: date = date.min
    days_left: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # the gate's counts
    follows: str = ""  # the review this one follows, as the file names it
    overdue: list[tuple[str, int]] = field(default_factory=list)  # mitigation id, days late
    expiring: list[tuple[str, date]] = field(default_factory=list)  # acceptance id, expires
    evidence_stale: int = 0
    evidence_missing: int = 0
    review_due: date | None = None  # the date the next review was due (when it is due)
    review: Review | None = None
    gate: Gate | None = None
    checklist: Checklist | None = None

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
        most_late = max((d for _, d in self.overdue), default=0)
        soonest = min((e for _, e in self.expiring), default=date.max)
        due_for = (self.today - self.review_due).days if self.review_due else -1
        return (
            0 if self.error else 1,
            -most_late,
            (soonest - self.today).days if self.expiring else 1_000_000,
            -due_for,
            -(self.evidence_stale + self.evidence_missing),
            self.days_left if self.days_left >= 0 and not self.error else 1_000_000,
            self.workload.lower(),
        )


def attention(path: Path, review: Review, checklist: Checklist, gate: Gate) -> Attention:
    """What a list shows of one review, and what needs attention in it, as of the gate's day."""
    from orr.review.state import acceptance_expiring, days_overdue

    today = gate.today
    launch = review.workload.launch_date
    return Attention(
        path=path,
        workload=review.workload.name,
        environment=str(review.workload.environment),
        kind=review.kind,
        launch_date=launch,
        verdict=gate.verdict,
        today=today,
        days_left=gate.days_left,
        counts=dict(gate.counts),
        follows=review.follows,
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
        review=review,
        gate=gate,
        checklist=checklist,
    )


Seen = TypeVar("Seen")


class Memory(Protocol[Seen]):
    """What remembers summaries from one run to the next (`orr.review.summaries.Summaries`):
    ``Seen`` is what it made of a file's text."""

    def look(self, path: Path, text: str) -> Seen: ...

    def follows(self, seen: Seen) -> str | None: ...

    def recall(self, seen: Seen, checklists: ChecklistCache) -> Attention | None: ...

    def remember(self, seen: Seen, a: Attention, checklists: ChecklistCache) -> None: ...

    def remember_follows(self, seen: Seen, follows: str) -> None: ...


def portfolio(
    files: list[Path],
    today: date,
    cache: ChecklistCache,
    names: dict[Path, str] | None = None,
    summaries: Memory[Any] | None = None,
) -> list[Attention]:
    """The latest review of each workload among ``files`` (a review another one follows is
    history), with what needs attention, most urgent first. With ``summaries``, a review whose
    summary is remembered (same text, same checklist, same day) is not read again, and what is
    read is remembered."""
    read: list[tuple[Path, str, str, Any]] = []  # path, shown, text, as remembered
    follows: dict[Path, str] = {}
    parsed: dict[Path, Review] = {}
    out: list[Attention] = []
    for f in files:
        shown = (names or {}).get(f, str(f))
        try:
            text = read_text(f, shown)
            seen = summaries.look(f, text) if summaries is not None else None
            follow = summaries.follows(seen) if summaries is not None else None
            if follow is None:
                from orr.review.store import parse_review

                parsed[f] = parse_review(text, shown)
                follow = parsed[f].follows
        except OrrError as exc:
            out.append(Attention(path=f, workload=f.stem, error=exc.lines()[0]))
            continue
        read.append((f, shown, text, seen))
        follows[f] = follow
    followed = {(f.parent / r).resolve() for f, r in follows.items() if r}
    for f, shown, text, seen in read:
        if followed and f.resolve() in followed:
            if summaries is not None:
                summaries.remember_follows(seen, follows[f])
            continue  # superseded by the review that follows it
        if summaries is not None:
            known = summaries.recall(seen, cache)
            if known is not None:
                out.append(known)
                continue
        from orr.review.gate import evaluate_gate
        from orr.review.store import parse_review

        review = parsed.get(f)
        try:
            if review is None:  # what it follows was remembered, not the rest
                review = parse_review(text, shown)
            checklist = cache.for_review(review, f)
        except OrrError as exc:
            name = review.workload.name if review is not None else f.stem
            out.append(Attention(path=f, workload=name, error=exc.lines()[0], review=review))
            continue
        summary = attention(f, review, checklist, evaluate_gate(review, checklist, today))
        if summaries is not None:
            summaries.remember(seen, summary, cache)
        out.append(summary)
    return sorted(out, key=Attention.urgency)
