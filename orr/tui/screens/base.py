"""What every screen of an open review shares: the header, the screen keys, applying a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from orr.errors import ConflictError, OrrError
from orr.review.session import ReviewSession
from orr.textsafe import terminal_safe
from orr.tui.widgets.header import ReviewHeader

if TYPE_CHECKING:
    from orr.tui.app import OrrApp

SCREENS = Binding.Group("Screens", compact=True)

SCREEN_BINDINGS: list[BindingType] = [
    Binding("1", "app.show('walkthrough')", "Walk-through", group=SCREENS, id="walkthrough"),
    Binding("2", "app.show('findings')", "Findings", group=SCREENS, id="findings"),
    Binding("3", "app.show('readiness')", "Readiness", group=SCREENS, id="readiness"),
    Binding("4", "app.show('export')", "Export", group=SCREENS, id="export"),
    Binding("h", "app.show('home')", "Home", group=SCREENS, id="home"),
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
        defined = {
            (b.key, b.action)
            for cls in type(active.node).__mro__
            if cls.__module__.startswith("orr.")
            for b in cls.__dict__.get("BINDINGS", [])
            if isinstance(b, Binding)
        }
        if not any(
            binding.action == action and binding.key in key.split(",") for key, action in defined
        ):
            continue
        if (binding.action, binding.description) in seen:
            continue
        seen.add((binding.action, binding.description))
        out.append((active.node, binding))
    return out


def error_text(exc: OrrError) -> str:
    return terminal_safe("\n".join(exc.lines()))


class OrrScreen(Screen[None]):
    """A screen of the app (F1 shows its HELP)."""

    @property
    def orr(self) -> OrrApp:
        return cast("OrrApp", self.app)

    def refresh_view(self) -> None:
        """Show the current state again (after a change, a reload, or coming back)."""


class ReviewScreen(OrrScreen):
    """A screen of an open review."""

    BINDINGS: ClassVar[list[BindingType]] = SCREEN_BINDINGS
    SCREEN_NAME = ""

    @property
    def session(self) -> ReviewSession:
        session = self.orr.session
        assert session is not None, "a review screen is shown only while a review is open"
        return session

    def header(self) -> ReviewHeader:
        return self.query_one(ReviewHeader)

    def update_header(self, extra: str = "") -> None:
        self.header().show(self.session.review, self.session.gate, extra)

    def on_screen_resume(self) -> None:
        if self.orr.session is not None:
            self.refresh_view()

    def change(
        self,
        apply: Callable[[], tuple[list[str], bool]],
        done: str = "",
        *,
        warnings: bool = True,
    ) -> bool:
        """Run one change (a session call that saves); tell the user how it went.

        ``warnings=False`` leaves out the operation's warnings (the walk-through shows a
        finding's state on screen rather than a warning on every toggle). Returns True when the
        change was saved.
        """
        try:
            said, merged = apply()
        except ConflictError as exc:
            self.notify(
                error_text(exc), title="Not saved: the file changed", severity="error", timeout=12
            )
            self.refresh_view()
            return False
        except OrrError as exc:
            self.notify(error_text(exc), title="Not saved", severity="error", timeout=8)
            return False
        if merged:
            self.notify(
                "The file had changed on disk: the other changes were merged in.",
                title="Merged",
                severity="information",
            )
        for warning in said if warnings else []:
            if "unchanged" in warning:
                continue
            self.notify(terminal_safe(warning), severity="warning", timeout=6)
        if done:
            self.notify(done, timeout=3)
        return True
