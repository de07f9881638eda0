"""F1: help for the screen underneath: what it is for, and every key it answers to, generated
from the bindings themselves (so the help can never disagree with the keys)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from orr.i18n import _
from orr.tui.screens.base import screen_keys
from orr.tui.widgets.footer import KeysFooter


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


class HelpScreen(ModalScreen[None]):
    """The HELP text of a screen and the keys active on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", _("Close help"), id="help.close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._for = screen
        # Read now: once this screen is on top, the screen below no longer has the focus that
        # decides which of its keys are active.
        self._help = self._text()

    def _text(self) -> str:
        help_text = (self._for.HELP or f"# {type(self._for).__name__}").rstrip()
        app = self._for.app
        screen_rows: list[str] = []
        app_rows: list[str] = []
        for node, binding in screen_keys(self._for):
            keys = app.get_key_display(binding)
            what = binding.description
            if binding.tooltip and binding.tooltip != what:
                what += f" — {binding.tooltip}"
            row = f"| `{_cell(keys)}` | {_cell(what)} |"
            (app_rows if node is app else screen_rows).append(row)
        palette_key = app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "", ""))
        app_rows.append(
            f"| `{_cell(palette_key)}` | "
            + _cell(_("the command palette: every action of the screen, by name"))
            + " |"
        )
        header = ["| " + _("Key") + " | " + _("Does") + " |", "|---|---|"]
        parts = [help_text]
        if screen_rows:
            parts += ["## " + _("Keys on this screen"), "\n".join([*header, *screen_rows])]
        parts += ["## " + _("Everywhere"), "\n".join([*header, *app_rows])]
        return "\n\n".join(parts)

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it, read when help is first shown

        with Vertical(classes="dialog help"):
            yield Static(Content(_("Help  (Esc or F1 closes)")), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Markdown(self._help, id="help-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
