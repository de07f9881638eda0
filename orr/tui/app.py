"""The terminal app: Home, and for an open review the walk-through, findings, readiness, export.

The app holds the open review (`ReviewSession`) and who is at the keyboard; screens show the
review and change it only through the session, which calls the core operations and saves at
once. A timer watches the file for changes made by others (a teammate, a git pull) and reloads
them. Every worker's failure reaches the user through `report_failure`.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from orr.errors import ConflictError, OrrError
from orr.i18n import N_, _, language
from orr.review.checklists import shared_cache
from orr.review.kinds import StatusFilter
from orr.review.who import current_user
from orr.tomlfile import display_path
from orr.tui.keys import load_keymap
from orr.tui.screens.base import OrrScreen, error_text, settled, unsettled, worker_failed
from orr.tui.screens.help import HelpScreen
from orr.tui.wrapping import install as remember_line_breaks

if TYPE_CHECKING:
    from orr.review.session import ReviewSession
    from orr.tui.screens.walkthrough import WalkthroughScreen

DISK_POLL = 1.0  # seconds between checks of the review file for changes made elsewhere
GC_AT_THE_LATEST = 5.0  # seconds after start: the cycle collector runs, whatever loaded

REVIEW_SCREENS = ("walkthrough", "findings", "readiness", "export")


# Each screen's module is imported when the screen is first shown: the first screen (a review's
# walk-through, or Home) is up sooner when the others (and what they import: the workbook and
# WA modules, their dialogs) are not read before it.
def _home() -> Screen[None]:
    from orr.tui.screens.home import HomeScreen

    return HomeScreen()


def _walkthrough() -> Screen[None]:
    from orr.tui.screens.walkthrough import WalkthroughScreen

    return WalkthroughScreen()


def _findings() -> Screen[None]:
    from orr.tui.screens.findings import FindingsScreen

    return FindingsScreen()


def _readiness() -> Screen[None]:
    from orr.tui.screens.readiness import ReadinessScreen

    return ReadinessScreen()


def _export() -> Screen[None]:
    from orr.tui.screens.export import ExportScreen

    return ExportScreen()


SCREEN_MAKERS: dict[str, Callable[[], Screen[None]]] = {
    "home": _home,
    "walkthrough": _walkthrough,
    "findings": _findings,
    "readiness": _readiness,
    "export": _export,
}

# Textual's own commands in the palette, in the language in use (by their English words).
TEXTUAL_COMMANDS: dict[str, str] = {
    "Theme": N_("Theme"),
    "Change the current theme": N_("Change the current theme"),
    "Quit": N_("Quit"),
    "Quit the application as soon as possible": N_("Quit the application as soon as possible"),
    "Keys": N_("Keys"),
    "Hide the keys and widget help panel": N_("Hide the keys and widget help panel"),
    "Show help for the focused widget and a summary of available keys": N_(
        "Show help for the focused widget and a summary of available keys"
    ),
    "Minimize": N_("Minimize"),
    "Minimize the widget and restore to normal size": N_(
        "Minimize the widget and restore to normal size"
    ),
    "Maximize": N_("Maximize"),
    "Maximize the focused widget": N_("Maximize the focused widget"),
    "Screenshot": N_("Screenshot"),
    "Save an SVG 'screenshot' of the current screen": N_(
        "Save an SVG 'screenshot' of the current screen"
    ),
}


def _textual_words(text: str) -> str:
    return _(TEXTUAL_COMMANDS[text]) if text in TEXTUAL_COMMANDS else text


class ReviewOpened(Message):
    def __init__(self, session: ReviewSession, note: str | None) -> None:
        super().__init__()
        self.session = session
        self.note = note


class OrrApp(App[None]):
    """orr in a terminal: run an operational readiness review by keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "orr"
    SUB_TITLE = _("operational readiness reviews")
    # Where the footer's keys fill the line (below 100 columns; 140 in Japanese, whose words
    # take two columns a character) the palette key (Ctrl+P, also in F1) gives its place to
    # them rather than sit on top of one: Textual draws a double-width word under it through
    # it (app.tcss).
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (as Textual types it)
        (0, "-tight"),
        (140 if language() == "ja" else 100, "-ample"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _("Help"), id="app.help"),
        Binding("i", "who", _("Who am I"), tooltip=_("Who is at the keyboard"), id="app.who"),
        Binding("ctrl+t", "change_theme", _("Theme"), show=False, id="app.theme"),
        Binding("q", "quit", _("Quit"), show=False, id="app.quit"),
        # Textual's own palette key, in orr's words (F1 and the palette leave it out).
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            _("palette"),
            show=False,
            priority=True,
            tooltip=_("Open the command palette"),
            id="app.palette",
        ),
    ]

    def __init__(
        self,
        workspace: Path | None = None,
        review: Path | None = None,
        today: date | None = None,
        user: str | None = None,
    ) -> None:
        super().__init__()
        remember_line_breaks()  # each text is wrapped once per width, not at every paint
        self.today = today or date.today()
        # Given on the command line (or by a test): the person is known; else they are asked
        # when a review opens, the machine's git user offered.
        self.user_given = user is not None or bool(os.environ.get("ORR_USER"))
        self.user = current_user(user)
        self.review_path = review.resolve() if review is not None else None
        if workspace is not None:
            self.workspace = workspace.resolve()
        elif self.review_path is not None:
            from orr.review.workspace import workspace_of

            self.workspace = workspace_of(self.review_path)
        else:
            self.workspace = Path.cwd().resolve()
        self.session: ReviewSession | None = None
        self._disk_problem: str | None = None
        problem = load_keymap(self)
        self._keymap_problem = problem

    # --- start ---

    def _screen(self, name: str) -> Screen[None]:
        """The installed screen of that name, made and installed when first asked for."""
        if not self.is_screen_installed(name):
            self.install_screen(SCREEN_MAKERS[name](), name)
        return cast(Screen[None], self.get_screen(name))

    def on_mount(self) -> None:
        if not gc.isenabled():
            # orr's process starts with the cycle collector off (orr.cli.main), and it stays
            # off while the first screen loads (a review, or Home's reviews): what is loaded
            # then lives as long as it is shown and is frozen out of the collector's walks
            # once shown (settled), which turns the collector on. Should nothing settle (the
            # review cannot be read), it is turned on a few seconds in.
            gc.freeze()
            self.set_timer(GC_AT_THE_LATEST, settled, name="collector on")
        if self.review_path is not None:
            self.open_review(self.review_path)
        else:
            self._screen("home")
            self.push_screen("home")
        self.set_interval(DISK_POLL, self.poll_disk, name="watch the review file")
        if self._keymap_problem:
            self.notify(self._keymap_problem, title=_("Keys"), severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, lambda _theme: self._refresh_screens())

    # --- failures: one path ---

    def report_failure(self, title: str, error: BaseException) -> None:
        """Tell the user what failed (never a crash); the review stays as it was saved."""
        self.notify(error_text(error), title=title, severity="error", timeout=12)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker_failed(self, event, _("Something went wrong"))
        opening = event.worker.group == "open" and event.state is WorkerState.ERROR
        if opening and len(self.screen_stack) <= 1:
            self._screen("home")
            self.push_screen("home")  # the review did not open: somewhere to go from

    # --- opening a review (a worker: it reads files) ---

    def open_review(self, path: Path) -> None:
        self._open_worker(path.resolve())

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="open",
        name=_("Cannot open the review"),
    )
    def _open_worker(self, path: Path) -> None:
        from orr.review.session import ReviewSession

        session = ReviewSession.open(path, today=self.today, user=self.user)
        self.post_message(ReviewOpened(session, shared_cache().notes.get(path)))

    async def on_review_opened(self, message: ReviewOpened) -> None:
        await self._close_review_screens()
        self.session = message.session
        self.review_path = message.session.path
        self.show("walkthrough")
        self.call_after_refresh(settled)
        if message.note:
            self.notify(message.note, title=_("Checklist"), severity="warning", timeout=12)
        if not self.user_given:
            self.action_who()

    async def _close_review_screens(self) -> None:
        walk = self.walkthrough()
        if walk is not None:
            walk.flush_notes()
        closed = False
        for name in REVIEW_SCREENS:
            if not self.is_screen_installed(name):
                continue
            screen = self.get_screen(name)
            if screen in self.screen_stack:
                continue
            self.uninstall_screen(name)
            if screen.is_attached:
                await screen.remove()
            closed = True
        if closed:
            unsettled()

    # --- who is at the keyboard ---

    def action_who(self) -> None:
        """Choose who is at the keyboard: changes are recorded in their name."""
        session = self.session
        stakeholders = session.review.stakeholders if session else []
        role_names = (
            {rid: r.name for rid, r in session.checklist.manifest.roles.items()} if session else {}
        )

        def chosen(name: str | None) -> None:
            if not name:
                return
            self.user = name
            self.user_given = True
            if self.session is not None:
                self.session.user = name
            self._refresh_screens()
            self.notify(_("Changes are now recorded as {name}.").format(name=name), timeout=4)

        from orr.tui.dialogs.review import PersonDialog

        self.push_screen(PersonDialog(stakeholders, role_names, self.user), chosen)

    # --- moving between screens ---

    def show(self, name: str) -> None:
        """Show a screen by name (home, walkthrough, findings, readiness, export)."""
        if name in REVIEW_SCREENS and self.session is None:
            self.notify(_("Open a review first (Enter on Home)."), severity="warning")
            return
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        self._screen(name)
        if len(self.screen_stack) <= 1:
            self.push_screen(name)
        else:
            self.switch_screen(name)

    def action_show(self, name: str) -> None:
        self.show(name)

    def walkthrough(self) -> WalkthroughScreen | None:
        if not self.is_screen_installed("walkthrough"):
            return None
        from orr.tui.screens.walkthrough import WalkthroughScreen

        screen = self.get_screen("walkthrough")
        return screen if isinstance(screen, WalkthroughScreen) else None

    def show_question(self, qid: str) -> None:
        """The walk-through at one question."""
        walk = self.walkthrough()
        if walk is None:
            return
        self.show("walkthrough")
        walk.show_question(qid)

    def walk_role(self, role: str | None, status: StatusFilter) -> None:
        """The walk-through filtered to one role's questions with a status."""
        walk = self.walkthrough()
        if walk is None:
            return
        self.show("walkthrough")
        walk.walk(role, status)

    # --- help, palette, theme ---

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key of the screen is also a command in the palette (Ctrl+P)."""
        from orr.tui.screens.base import screen_keys

        for node, binding in screen_keys(screen):
            if binding.action in ("help", "quit", "change_theme", "app.quit"):
                continue  # Textual's own commands below say these
            key = self.get_key_display(binding)

            def run(node: DOMNode = node, action: str = binding.action) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(
                f"{binding.description} ({key})", binding.tooltip or binding.description, run
            )
        yield SystemCommand(
            _("Help (F1)"), _("Help for this screen and its keys"), self.action_help
        )
        for command in super().get_system_commands(screen):
            yield command._replace(
                title=_textual_words(command.title), help=_textual_words(command.help)
            )

    def action_command_palette(self) -> None:
        """Textual's command palette, its search field in the language in use."""
        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry file names, titles and error text: never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # --- the file on disk ---

    def poll_disk(self) -> None:
        """Reload the review when someone else changed its file; say what came in."""
        session = self.session
        if session is None:
            return
        try:
            if not session.changed_on_disk():
                return
            walk = self.walkthrough()
            if walk is not None:
                walk.flush_notes()  # saving merges with what is on disk
                if not session.changed_on_disk():
                    self._refresh_screens()
                    self.notify(
                        _("{file} changed on disk: merged with your notes.").format(
                            file=display_path(session.path)
                        ),
                        title=_("Reloaded"),
                    )
                    return
            reload = session.reload()
        except ConflictError as exc:
            self.notify(error_text(exc), title=_("Conflict"), severity="error", timeout=12)
            return
        except OrrError as exc:
            problem = error_text(exc)
            if problem != self._disk_problem:  # said once, not every second
                self._disk_problem = problem
                self.notify(
                    problem + "\n" + _("The review stays as shown; fix the file to go on."),
                    title=_("The review file cannot be read"),
                    severity="error",
                    timeout=12,
                )
            return
        self._disk_problem = None
        self._refresh_screens()
        self.notify(
            _("{file} changed on disk: reloaded {what}.").format(
                file=display_path(session.path), what=reload.summary
            ),
            title=_("Reloaded"),
        )

    def _refresh_screens(self) -> None:
        screen = self.screen
        if isinstance(screen, OrrScreen):
            screen.refresh_view()
        # Screens not shown refresh when they are shown again (ScreenResume).

    # --- leaving ---

    async def action_quit(self) -> None:
        walk = self.walkthrough()
        if walk is not None:
            walk.flush_notes()
        self.exit()
