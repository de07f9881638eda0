"""One open review, edited interactively: the file, its checklist, the gate, and every change.

This is the core's API for a front end that keeps a review open (the terminal app). Each change
calls the operation in ``orr.review.ops`` (which validates and appends the audit entry) and saves
at once through ``ReviewStore`` (atomic, locked, merging what others changed meanwhile). What a
screen shows of a question (its mark, whether a filter keeps it) is read from the gate's states.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from orr.checklist.model import Checklist, ChecklistQuestion
from orr.checklist.rules import Risk
from orr.errors import InputError
from orr.i18n import N_, _
from orr.review import ops
from orr.review.checklists import load_review_checklist
from orr.review.gate import Gate, GateMemo, behind_checklist, evaluate_gate, scope
from orr.review.kinds import Decision, Mark, MitigationStatus, NaReason, StatusFilter
from orr.review.model import Answer, Evidence, Review
from orr.review.state import AnswerState, QuestionState, approvals_hash, question_state
from orr.review.store import ReviewStore
from orr.values import check_url


@dataclass
class Outcome:
    """What a change did besides itself: the operation's warnings, the approvals it made
    stale (say these at once), and whether the file had changed on disk (merged in)."""

    warnings: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    merged: bool = False


class NothingToRebase(InputError):
    """The review already matches its checklist: not an error, nothing was written."""


@dataclass
class Reload:
    """What a reload from disk brought in."""

    answers: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # labels marked with N_, said in `summary`

    @property
    def summary(self) -> str:
        parts: list[str] = []
        if self.answers:
            shown = ", ".join(self.answers[:3]) + (" …" if len(self.answers) > 3 else "")
            parts.append(
                _("{count} answer(s) ({questions})").format(
                    count=len(self.answers), questions=shown
                )
            )
        parts.extend(_(label) for label in self.other)
        return "; ".join(parts) or _("no visible change")


class ReviewSession:
    """An open review: what the screens show and the one way they change it."""

    def __init__(
        self, path: Path, review: Review, checklist: Checklist, today: date, user: str
    ) -> None:
        self.path = path
        self.store = ReviewStore(path)
        self.review = review
        self.checklist = checklist
        self.today = today
        self.user = user
        self._gate: Gate | None = None
        # The session changes its review through ops only (an entry changed is replaced): the
        # gate after a change judges again only the questions whose entries changed.
        self._memo = GateMemo()
        self._scope = scope(review, checklist)
        self._index = {q.id: q for q in self._scope.questions}

    @classmethod
    def open(cls, path: Path, *, today: date, user: str) -> ReviewSession:
        """Load a review file and its checklist (InputError when either cannot be read)."""
        store = ReviewStore(path)
        review = store.load()
        checklist = load_review_checklist(review, path)
        session = cls(path, review, checklist, today, user)
        session.store = store
        return session

    # --- what the screens read ---------------------------------------------------------------

    @property
    def gate(self) -> Gate:
        if self._gate is None:
            self._gate = evaluate_gate(self.review, self.checklist, self.today, self._memo)
        return self._gate

    @property
    def scope(self) -> Checklist:
        """The questions this review covers (its tier)."""
        return self._scope

    @property
    def questions(self) -> list[ChecklistQuestion]:
        return self._scope.questions

    def question(self, qid: str) -> ChecklistQuestion:
        return self._index[qid]

    def answer(self, qid: str) -> Answer | None:
        return self.review.answers.get(qid)

    def state(self, qid: str) -> QuestionState:
        """The state of a question of the review (from the gate)."""
        found = self.gate.state(qid)
        return found if found is not None else question_state(self._index[qid], self.answer(qid))

    def risk(self, qid: str) -> Risk | None:
        return self.state(qid).risk

    def mark(self, qid: str) -> Mark:
        return Mark.of(self.state(qid))

    def matches(self, qid: str, status: StatusFilter) -> bool:
        state = self.state(qid)
        if status is StatusFilter.ALL:
            return True
        if status is StatusFilter.UNANSWERED:
            return not state.answered
        if status is StatusFilter.FINDINGS:
            return state.is_finding
        if status is StatusFilter.NOT_APPLICABLE:
            return state.state is AnswerState.NOT_APPLICABLE
        return state.reconfirm

    def role_name(self, role: str | None) -> str:
        if role is None:
            return ""
        spec = self.checklist.manifest.roles.get(role)
        return spec.name if spec else role

    def people_with(self, role: str | None) -> list[str]:
        return self.review.stakeholders_with(role) if role else []

    def selected(self, qid: str) -> set[str]:
        return set(self.state(qid).selected)

    # --- changes: one core operation, then one save ------------------------------------------

    def _apply(self, change: Callable[[Review], list[str]]) -> Outcome:
        """Apply ``change`` (a core operation returning its warnings) and save, under the
        review's lock.

        The lock is tried without waiting (``LockBusy`` when another process holds it: nothing
        changed, try again), so a front end never blocks on it. The operations change nothing
        when they refuse (InputError); when the save is refused (ConflictError: the other side
        changed the same entries), the review is read again from disk so that what is shown is
        what is saved, and the error goes to the caller.
        """
        with self.store.lock():
            merged = self.store.changed_on_disk()
            before = approvals_hash(self.review)
            try:
                warnings = change(self.review)
                self.review = self.store.save(self.review, self.user)
            except InputError:
                self._reload_from_disk()
                raise
            finally:
                self._gate = None
        stale = ops.newly_stale(before, self.review, self.checklist)
        return Outcome(warnings, stale, merged)

    def toggle_choice(self, qid: str, choice_id: str) -> Outcome:
        """Select or unselect one choice; "None of these" clears the others and they clear it.
        A practice marked not applicable is selected (it applies after all)."""
        question = self._index[qid]
        current = self.selected(qid)
        none_id = question.none_choice_id
        if choice_id in current:
            wanted = current - {choice_id}
        elif choice_id == none_id:
            wanted = {choice_id}
        else:
            wanted = (current - {none_id}) | {choice_id} if none_id else current | {choice_id}
        if not wanted:
            # Unticking the last choice takes the answer back (the question is unanswered
            # again); its notes, evidence and practices not applicable stay.
            return self._apply(lambda r: ops.clear_choices(r, self.checklist, qid, who=self.user))
        return self._apply(
            lambda r: ops.set_answer(r, self.checklist, qid, choices=sorted(wanted), who=self.user)
        )

    def select_none(self, qid: str) -> Outcome:
        """Answer "None of these" (clears every other choice)."""
        return self._apply(
            lambda r: ops.set_answer(r, self.checklist, qid, none=True, who=self.user)
        )

    def set_not_applicable(self, qid: str, reason: NaReason | str, note: str) -> Outcome:
        return self._apply(
            lambda r: ops.set_answer(
                r, self.checklist, qid, na_reason=reason, na_note=note, who=self.user
            )
        )

    def confirm_answer(self, qid: str) -> Outcome:
        """Confirm an answer a rebase marked for re-confirmation, as it stands."""
        return self._apply(lambda r: ops.confirm_answer(r, self.checklist, qid, who=self.user))

    def set_notes(self, qid: str, text: str) -> Outcome:
        return self._apply(
            lambda r: ops.set_answer(r, self.checklist, qid, notes=text, who=self.user)
        )

    def set_practice_na(
        self, qid: str, choice_id: str, reason: NaReason | str | None, note: str = ""
    ) -> Outcome:
        """Mark one practice not applicable (``reason`` None: it applies again)."""
        return self._apply(
            lambda r: ops.set_practice_na(
                r, self.checklist, qid, choice_id, reason, note, who=self.user
            )
        )

    def add_evidence(
        self, qid: str, url: str, description: str, *, verified_on: date | None = None
    ) -> Outcome:
        """Add a link; ``verified_on`` is the day it was checked (today unless said)."""
        link = Evidence(
            url=check_url(url, _("evidence")),
            description=description.strip(),
            verified_on=verified_on or self.today,
        )
        return self._apply(
            lambda r: ops.set_answer(r, self.checklist, qid, evidence=[link], who=self.user)
        )

    def verify_evidence(self, qid: str) -> Outcome:
        """The question's evidence links were checked today and still show the practice."""
        return self._apply(
            lambda r: ops.verify_evidence(r, self.checklist, qid, on=self.today, who=self.user)
        )

    def remove_evidence(self, qid: str, url: str) -> Outcome:
        return self._apply(
            lambda r: ops.remove_evidence(r, self.checklist, qid, url, who=self.user)
        )

    def add_mitigation(self, qid: str, **fields: Any) -> Outcome:
        def change(review: Review) -> list[str]:
            _, warnings = ops.add_mitigation(
                review, self.checklist, qid, who=self.user, today=self.today, **fields
            )
            return warnings

        return self._apply(change)

    def update_mitigation(self, mid: str, **changes: Any) -> Outcome:
        return self._apply(
            lambda r: ops.update_mitigation(r, mid, who=self.user, today=self.today, **changes)
        )

    def mark_done(self, mid: str) -> Outcome:
        return self.update_mitigation(mid, status=MitigationStatus.DONE)

    def withdraw_mitigation(self, mid: str, reason: str = "") -> Outcome:
        return self._apply(lambda r: ops.withdraw_mitigation(r, mid, reason=reason, who=self.user))

    def add_acceptance(self, qid: str, **fields: Any) -> Outcome:
        def change(review: Review) -> list[str]:
            _, warnings = ops.add_acceptance(
                review, self.checklist, qid, who=self.user, today=self.today, **fields
            )
            return warnings

        return self._apply(change)

    def sign_off(self, role: str, name: str, decision: Decision) -> Outcome:
        return self._apply(
            lambda r: ops.sign_off(
                r, self.checklist, role, name, decision, who=self.user, today=self.today
            )
        )

    def update_workload(self, **changes: Any) -> Outcome:
        return self._apply(
            lambda r: ops.update_workload(r, who=self.user, today=self.today, **changes)
        )

    def change_stakeholders(
        self, remove: list[tuple[str, str]], add: list[tuple[str, str]]
    ) -> Outcome:
        """Remove then add stakeholders (a change of name or role is both), in one save."""

        def change(review: Review) -> list[str]:
            warnings: list[str] = []
            for name, role in remove:
                warnings += ops.remove_stakeholder(review, name, role, who=self.user)
            for name, role in add:
                warnings += ops.add_stakeholder(review, self.checklist, name, role, who=self.user)
            return warnings

        return self._apply(change)

    # --- the file on disk --------------------------------------------------------------------

    def rebase(self) -> Outcome:
        """Carry the review over to its checklist as it is on disk now (`orr review rebase`):
        answers of changed questions are kept and marked for re-confirmation, removed questions
        archived, new ones left unanswered."""
        fresh = load_review_checklist(self.review, self.path)
        if not behind_checklist(self.review, fresh):
            raise NothingToRebase(
                _("the review is up to date with its checklist: nothing to rebase")
            )
        done: list[ops.RebaseResult] = []

        def change(review: Review) -> list[str]:
            done.append(ops.rebase(review, fresh, who=self.user))
            return []

        outcome = self._apply(change)
        self._use_checklist(fresh)
        result = done[0]
        outcome.warnings.append(
            _(
                "Rebased onto checklist {version}: {reconfirm} answer(s) to re-confirm, "
                "{new} new question(s), {archived} archived."
            ).format(
                version=result.new_version or "?",
                reconfirm=len(result.reconfirm),
                new=len(result.new),
                archived=len(result.archived),
            )
        )
        return outcome

    def _use_checklist(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self._scope = scope(self.review, checklist)
        self._index = {q.id: q for q in self._scope.questions}
        self._gate = None

    def changed_on_disk(self) -> bool:
        return self.store.changed_on_disk()

    def _reload_from_disk(self) -> Reload:
        before = self.review
        self.review = self.store.load()
        if self.review.checklist != before.checklist:
            self._use_checklist(load_review_checklist(self.review, self.path))
        self._gate = None
        return _compare(before, self.review)

    def reload(self) -> Reload:
        """Read the file again (after a teammate's change or a git pull)."""
        return self._reload_from_disk()


def _compare(before: Review, after: Review) -> Reload:
    out = Reload()
    ids = sorted(set(before.answers) | set(after.answers))
    out.answers = [q for q in ids if before.answers.get(q) != after.answers.get(q)]
    for label, old, new in (
        (N_("mitigation(s)"), before.mitigations, after.mitigations),
        (N_("acceptance(s)"), before.acceptances, after.acceptances),
        (N_("sign-off(s)"), before.signoffs, after.signoffs),
        (N_("stakeholder(s)"), before.stakeholders, after.stakeholders),
    ):
        if old != new:
            out.other.append(label)
    if before.workload != after.workload:
        out.other.append(N_("workload"))
    return out
