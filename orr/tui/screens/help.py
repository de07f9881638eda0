"""F1: help for the screen underneath, with every key it answers to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from orr.tui.screens.base import screen_keys

APP_KEYS = """
| Everywhere | |
|---|---|
| `F1` | this help |
| `Ctrl+P` | the command palette: every action of the screen, by name |
| `Ctrl+T` | change the theme |
| `q` | quit (everything is already saved) |
"""


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|")


class HelpScreen(ModalScreen[None]):
    """The HELP text of a screen and the keys active on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close help"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._for = screen
        # Read now: once this screen is on top, the screen below no longer has the focus that
        # decides which of its keys are active.
        self._help = self._text()

    def _text(self) -> str:
        help_text = (self._for.HELP or f"# {type(self._for).__name__}").rstrip()
        rows: list[str] = []
        for _, binding in screen_keys(self._for):
            keys = self._for.app.get_key_display(binding)
            rows.append(f"| `{_escape_cell(keys)}` | {_escape_cell(binding.description)} |")
        keys_table = "\n".join(["| Key | Action |", "|---|---|", *rows]) if rows else ""
        return "\n\n".join(
            part for part in (help_text, "## Keys on this screen", keys_table, APP_KEYS) if part
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(Content("Help  (Esc or F1 closes)"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Markdown(self._help, id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
