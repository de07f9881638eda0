"""What every screen shares: what a screen may ask of the app, the screen keys, applying a change
(without ever blocking on the file's lock), and the one way a failure reaches the user."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.types import NoActiveAppError
from textual.worker import Worker, WorkerState

from orr.errors import ConflictError, LockBusy, OrrError
from orr.i18n import _
from orr.review.kinds import StatusFilter
from orr.textsafe import terminal_safe
from orr.tui.widgets.header import ReviewHeader
from orr.tui.widgets.steady import SteadyCompositor

if TYPE_CHECKING:  # the review models are imported when a review is opened, not with Home
    from orr.review.session import Outcome, ReviewSession

# A save that finds the file locked (the CLI is writing it) is tried again, without blocking.
BUSY_RETRY = 0.2  # seconds between tries
BUSY_TRIES = 25  # 5 seconds in all


class OrrAppApi(Protocol):
    """What screens and dialogs ask of the app (the app implements it; screens never import
    the app module, so the layers have no cycle)."""

    session: ReviewSession | None
    workspace: Path
    today: date
    user: str

    def show(self, name: str) -> None: ...
    def open_review(self, path: Path) -> None: ...
    def show_question(self, qid: str) -> None: ...
    def walk_role(self, role: str | None, status: StatusFilter) -> None: ...
    def report_failure(self, title: str, error: BaseException) -> None: ...


# Made when orr.tui is first imported, which the CLI does after it has chosen the language.
SCREENS = Binding.Group(_("Screens"))

SCREEN_BINDINGS: list[BindingType] = [
    Binding("1", "app.show('walkthrough')", _("Walk-through"), group=SCREENS, id="screen.walk"),
    Binding("2", "app.show('findings')", _("Findings"), group=SCREENS, id="screen.findings"),
    Binding("3", "app.show('readiness')", _("Readiness"), group=SCREENS, id="screen.readiness"),
    Binding("4", "app.show('export')", _("Export"), group=SCREENS, id="screen.export"),
    Binding("h", "app.show('home')", _("Home"), group=SCREENS, id="screen.home"),
]


def screen_keys(screen: Screen[object]) -> list[tuple[DOMNode, Binding]]:
    """The keys of a screen that orr defines (on its app, screens and widgets), with the node
    each acts on: what F1 and the command palette list. Textual's own scrolling and cursor keys
    are left out, as is any key disabled right now."""
    out: list[tuple[DOMNode, Binding]] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system or not active.enabled:
            continue
        if binding.id is None or not _defined_by_orr(active.node, binding):
            continue
        if binding.action == "command_palette":
            continue  # F1 says the palette's key in its own words
        if (binding.action, binding.description) in seen:
            continue
        seen.add((binding.action, binding.description))
        out.append((active.node, binding))
    return out


def _defined_by_orr(node: DOMNode, binding: Binding) -> bool:
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("orr."):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding) and b.id is not None and b.id == binding.id:
                return True
    return False


def error_text(exc: BaseException) -> str:
    """What went wrong, for a notification: an orr error's own lines; a system error with its
    reason; anything else named as a bug."""
    if isinstance(exc, OrrError):
        return terminal_safe("\n".join(exc.lines()))
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return terminal_safe(f"{where}{exc.strerror or exc}")
    return terminal_safe(
        _(
            "orr hit an error it did not expect ({error}): nothing was lost; please report it"
        ).format(error=f"{type(exc).__name__}: {exc}")
    )


def _says_unchanged(warning: str) -> bool:
    """An operation's note that it changed nothing (not worth a notification), in English or
    in the language in use: the sentences of `orr.review.ops` that say so."""
    if "unchanged" in warning:
        return True
    for message in (
        _("the workload is unchanged"),
        _("question {question}: the answer is unchanged"),
        _("mitigation {mitigation} is unchanged"),
    ):
        pattern = ".*".join(re.escape(part) for part in re.split(r"\{\w+\}", message))
        if re.fullmatch(pattern, warning, re.DOTALL):
            return True
    return False


def worker_failed(node: DOMNode, event: Worker.StateChanged, title: str) -> None:
    """The one path of a worker's failure: to the app, which tells the user."""
    if event.state is WorkerState.ERROR and event.worker.error is not None:
        cast(OrrAppApi, node.app).report_failure(event.worker.name or title, event.worker.error)


FULL_COLLECTION_EVERY = 100  # collections of the middle generation between full ones (10)
_closed: list[bool] = [False]  # a review was closed since the last freeze


def settled() -> None:
    """What was just loaded (a review, its checklist and gate, the Home list, a screen shown
    for the first time) lives while it is shown: it is frozen out of the cycle collector's
    walks. Left in, every full collection walked all of it again, about 90 ms on the largest
    review (20-40 ms once the findings screen is built), now and then in the middle of a key
    press. Objects freed later are still freed by their reference counts; cycles among them
    are collected once their review is closed (`unsettled`). The collector (off while a
    process of orr loads, see orr.cli.main) runs from then on, its full collections (a walk of
    what is not frozen: the caches of what was drawn since) ten times rarer than Python's
    default: a pause in one key of thousands rather than one of a hundred."""
    if _closed[0]:
        # The screens of the review closed are gone by now: their cycles are collected before
        # what is loaded now is frozen (once, when another review is opened).
        _closed[0] = False
        gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    gc.enable()


def unsettled() -> None:
    """A review's screens were closed: what was frozen goes back to the collector, and the
    next `settled` collects it first."""
    gc.unfreeze()
    _closed[0] = True


class OrrScreen(Screen[None]):
    """A screen of the app (F1 shows its HELP and the keys it answers to)."""

    FAILURE_TITLE = _("Something went wrong")

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._compositor = SteadyCompositor()
        self._width_classes()

    def _width_classes(self) -> None:
        """The app's width classes (``-tight``, ``-ample``) from the start: Textual sets them on
        the screen's first resize, which would style every widget of the screen once more."""
        try:
            app = self.app
        except NoActiveAppError:
            return
        breakpoints = (
            app.HORIZONTAL_BREAKPOINTS
            if self.HORIZONTAL_BREAKPOINTS is None
            else self.HORIZONTAL_BREAKPOINTS
        ) or []
        width = app.size.width
        chosen = next((c for edge, c in sorted(breakpoints, reverse=True) if width >= edge), None)
        self.update_classes({c: c == chosen for _edge, c in breakpoints}, update=False)
        # Its widgets are styled as they are mounted: the first time it is shown, like every
        # time after, it is styled again only if something a style depends on changed.
        self._styled_for = self._styled_with()

    # --- coming back without styling every widget again ---

    _styled_for: tuple[object, ...] | None = None  # what the styles were worked out for

    def _styled_with(self) -> tuple[object, ...]:
        """What a screen's styles depend on beyond its own widgets: the app's stylesheet (a
        theme change counts), the terminal's size and whether the terminal has focus."""
        app = self.app
        # Textual's count of stylesheet updates (a private attribute: without it, a screen is
        # styled again each time it comes back, as Textual does by itself).
        count = getattr(app, "_css_update_count", None)
        return (
            count if count is not None else object(),
            app.theme,
            app.size,
            app.app_focus,
            app.ansi_color,
        )

    def _on_screen_suspend(self) -> None:
        super()._on_screen_suspend()
        self._styled_for = self._styled_with()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual styles every widget of a screen again when it comes back, which empties every
        # widget's rendered lines: switching 1 -> 2 -> 1 redrew the findings table and the tree
        # of 200 questions from nothing. Nothing a style depends on changed meanwhile: the
        # screen comes back as it was (its own changes restyle the widgets they touch).
        if self._styled_for is not None and self._styled_for == self._styled_with():
            event.refresh_styles = False
        elif self._styled_for is None:
            # Shown for the first time: once painted, what it built (a table of hundreds of
            # findings, say) is frozen out of the collector's walks, as the first screen is.
            self.call_after_refresh(settled)
        super()._on_screen_resume(event)

    @property
    def orr(self) -> OrrAppApi:
        return cast(OrrAppApi, self.app)

    def refresh_view(self) -> None:
        """Show the current state again (after a change, a reload, a theme, or coming back)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker_failed(self, event, self.FAILURE_TITLE)


class ReviewScreen(OrrScreen):
    """A screen of an open review."""

    # Each review screen lists its own keys first and SCREEN_BINDINGS last, so that a narrow
    # footer shows the screen's keys before the keys that move between screens.

    @property
    def session(self) -> ReviewSession:
        session = self.orr.session
        assert session is not None, "a review screen is shown only while a review is open"
        return session

    def header(self) -> ReviewHeader:
        return self.query_one(ReviewHeader)

    def update_header(self, extra: str = "") -> None:
        self.header().show(self.session.review, self.session.gate, self.session.user, extra)

    # --- the view, rebuilt only when what it shows changed ---

    _shown: tuple[object, ...] = ()  # what the view was last made from (see _made_from)

    def _made_from(self) -> tuple[object, ...]:
        """What a review screen's view is made from: the session and its gate (the session
        makes a new gate after every change and reload), the theme and who is at the keyboard."""
        session = self.orr.session
        return (session, session.gate if session else None, self.app.theme, self.orr.user)

    def _up_to_date(self) -> bool:
        now = self._made_from()
        return (
            len(self._shown) == len(now)
            and self._shown[0] is now[0]
            and self._shown[1] is now[1]
            and self._shown[2:] == now[2:]
        )

    def refresh_view(self) -> None:
        self.show_view()
        self.view_is_current()

    def show_view(self) -> None:
        """Show the session as it is now (each screen its own)."""

    def view_is_current(self) -> None:
        """The view shows the session as it is now (after a refresh, or an update of the parts
        a change touched): coming back to the screen rebuilds nothing."""
        self._shown = self._made_from()

    def on_screen_resume(self) -> None:
        # Coming back to a screen (1 -> 2 -> 1) rebuilds its view only when something it shows
        # changed meanwhile: the walk-through's tree of 200 questions and the findings' table
        # of hundreds of rows are not made again for nothing.
        if self.orr.session is not None and not self._up_to_date():
            self.refresh_view()

    def change(
        self,
        apply: Callable[[], Outcome],
        done: str = "",
        *,
        warnings: bool = True,
        after: Callable[[], None] | None = None,
        tries: int = BUSY_TRIES,
    ) -> bool:
        """Run one change (a session call that saves); tell the user how it went; then
        ``after`` (show the result).

        When another process holds the file's lock, nothing has changed: the change is tried
        again a moment later (the app stays responsive meanwhile). ``warnings=False`` leaves out
        the operation's own warnings (the walk-through shows a finding's state on screen);
        approvals the change made stale are always said. Returns True when saved now.
        """
        try:
            outcome = apply()
        except LockBusy as exc:
            if tries <= 0:
                self.notify(error_text(exc), title=_("Not saved"), severity="error", timeout=12)
                return False
            if tries == BUSY_TRIES:
                self.notify(
                    _("The review file is being saved by another orr: trying again…"), timeout=3
                )
            self.set_timer(
                BUSY_RETRY,
                lambda: self.change(apply, done, warnings=warnings, after=after, tries=tries - 1),
                name="retry a save",
            )
            return False
        except ConflictError as exc:
            self.notify(
                error_text(exc),
                title=_("Not saved: the file changed"),
                severity="error",
                timeout=12,
            )
            self.refresh_view()
            return False
        except OrrError as exc:
            self.notify(error_text(exc), title=_("Not saved"), severity="error", timeout=8)
            return False
        if outcome.merged:
            self.notify(
                _("The file had changed on disk: the other changes were merged in."),
                title=_("Merged"),
            )
        for line in outcome.stale:
            self.notify(terminal_safe(line), title=_("Sign-off stale"), severity="warning")
        for warning in outcome.warnings if warnings else []:
            if _says_unchanged(warning):
                continue
            self.notify(terminal_safe(warning), severity="warning", timeout=6)
        if done:
            self.notify(done, timeout=3)
        if after is not None:
            after()
        return True
