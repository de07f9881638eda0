"""Notes typed in the walk-through: saved within `NOTES_DELAY` of the last keystroke, on leaving
the field or the question, and on quit; never written over text the user has not seen.

When a save finds that someone else changed the same answer meanwhile, nothing is written: the
two texts are shown side by side (`NotesClashDialog`) and the user keeps theirs, takes the
other, or merges by editing. Until they decide, their text stays in the field, unsaved, and the
line under the field says so. A save that finds the file locked (the CLI is writing it) is tried
again a moment later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import App
from textual.notifications import SeverityLevel
from textual.timer import Timer

from orr.errors import ConflictError, LockBusy, OrrError
from orr.i18n import N_, _
from orr.review.session import ReviewSession
from orr.tui.screens.base import BUSY_RETRY, OrrAppApi, error_text
from orr.tui.widgets.question_view import QuestionView

if TYPE_CHECKING:
    from orr.tui.dialogs.answer import NotesChoice

NOTES_DELAY = 0.5  # seconds after the last keystroke before notes are saved
_CLASH_LINE = N_("not saved: someone changed these notes meanwhile — choose what to keep (Ctrl+S)")


class NotesHost(Protocol):
    """What the keeper needs of the screen it works for (the walk-through)."""

    current: str | None

    @property
    def app(self) -> App[Any]: ...
    @property
    def orr(self) -> OrrAppApi: ...
    @property
    def session(self) -> ReviewSession: ...
    @property
    def view(self) -> QuestionView: ...
    def after_change(self, qid: str | None = None) -> None: ...
    def set_timer(
        self, delay: float, callback: Callable[[], Any] | None = None, *, name: str | None = None
    ) -> Timer: ...
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


class NotesKeeper:
    """The notes typed and not saved yet, per question, for one walk-through screen."""

    def __init__(self, screen: NotesHost) -> None:
        self.screen = screen
        self.pending: dict[str, str] = {}  # typed, not saved yet
        self.clashed: dict[str, str] = {}  # refused by someone else's change: theirs
        self._timer: Timer | None = None
        self._retry: Timer | None = None
        self._said: dict[str, tuple[str, bool]] = {}  # the last thing said under each field

    # --- what the screen tells it ---

    def edited(self, qid: str, text: str) -> None:
        saved = self._saved(qid)
        if qid in self.clashed:
            self.pending[qid] = text
            self._state(qid)
            return
        if text == saved:
            self.pending.pop(qid, None)
            self._state(qid)
            return
        self.pending[qid] = text
        self._state(qid)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(NOTES_DELAY, self.flush, name="save notes")

    def shown(self, qid: str) -> None:
        """A question was put on screen: bring back what was typed on it and not saved."""
        if qid in self.pending:
            self.screen.view.replace_notes(self.pending[qid])
        self._state(qid)

    def flush(self) -> None:
        """Save every note typed and not saved yet (not those waiting for a decision)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for qid, text in list(self.pending.items()):
            if qid not in self.clashed:
                self._save(qid, text)

    def save_now(self, qid: str | None) -> None:
        """Ctrl+S: save at once; on a question with a clash, show the clash again."""
        if qid is not None and qid in self.clashed:
            self._ask(qid)
            return
        self.flush()

    def save_on_exit(self) -> None:
        """The app is closing: save what can be saved, touching no widget."""
        if self._timer is not None:
            self._timer.stop()
        session = self.screen.orr.session
        if session is None:
            return
        for qid, text in list(self.pending.items()):
            if qid in self.clashed:
                continue
            try:
                session.set_notes(qid, text)
            except OrrError:
                continue  # nothing to show it on any more; the file keeps the last save
            self.pending.pop(qid, None)

    # --- saving ---

    def _saved(self, qid: str) -> str:
        answer = self.screen.session.answer(qid)
        return answer.notes if answer else ""

    def _save(self, qid: str, text: str) -> None:
        session = self.screen.session
        try:
            outcome = session.set_notes(qid, text)
        except LockBusy:
            self._state(qid, _("not saved yet: the file is busy, trying again…"), problem=True)
            if self._retry is None:
                self._retry = self.screen.set_timer(BUSY_RETRY, self._retry_flush)
            return
        except ConflictError:
            # The session now holds the file's version: theirs is what it says now.
            self.clashed[qid] = self._saved(qid)
            self.screen.after_change()
            self._ask(qid)
            return
        except OrrError as exc:
            self.screen.notify(error_text(exc), title=_("Notes not saved"), severity="error")
            self._state(qid, _("not saved: {problem}").format(problem=exc.message), problem=True)
            return
        if self.pending.get(qid) == text:
            self.pending.pop(qid, None)
        for line in outcome.stale:
            self.screen.notify(line, title=_("Sign-off stale"), severity="warning")
        self._state(qid, _("saved"))
        self.screen.after_change(qid)

    def _retry_flush(self) -> None:
        self._retry = None
        self.flush()

    # --- a clash ---

    def _ask(self, qid: str) -> None:
        from orr.tui.dialogs.answer import NotesClashDialog

        session = self.screen.session
        answer = session.answer(qid)
        self._state(qid, _(_CLASH_LINE), problem=True)
        self.screen.app.push_screen(
            NotesClashDialog(
                session.question(qid).title,
                answer.answered_by if answer else "",
                self.pending.get(qid, ""),
                self.clashed[qid],
            ),
            lambda choice: self._decided(qid, choice),
        )

    def _decided(self, qid: str, choice: NotesChoice | None) -> None:
        from orr.tui.dialogs.answer import NotesChoice

        if choice is None:
            return  # later: the text stays in the field, unsaved, and the line says so
        theirs = self.clashed.pop(qid)
        mine = self.pending.get(qid, "")
        view = self.screen.view
        if choice is NotesChoice.THEIRS:
            self.pending.pop(qid, None)
            if self.screen.current == qid:
                view.replace_notes(theirs)
            self._state(qid, _("theirs kept"))
        elif choice is NotesChoice.MINE:
            self._save(qid, mine)  # they have read theirs: theirs may be replaced now
        else:
            merged = "\n\n".join(t for t in (theirs.rstrip(), mine.strip()) if t)
            self.pending[qid] = merged
            if self.screen.current == qid:
                view.replace_notes(merged)
                view.edit_notes()
            self._state(qid, _("both texts are in the field: edit, then leave it to save"))

    def _state(self, qid: str, text: str | None = None, *, problem: bool = False) -> None:
        if text is None:
            if qid in self.clashed:
                text, problem = _(_CLASH_LINE), True
            elif qid in self.pending:
                text = _("editing… (saved when you pause)")
            else:
                text, problem = self._said.get(qid, ("", False))
        self._said[qid] = (text, problem)
        if self.screen.current == qid:
            self.screen.view.set_notes_state(text, problem=problem)
