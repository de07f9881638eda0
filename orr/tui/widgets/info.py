"""A line or block of text that repaints only when what it shows changes."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class Info(Static):
    """Static text (never markup) that skips updates to the same content: an update can
    re-layout the screen, and the walk-through updates many of them on every key."""

    def __init__(
        self, content: Content | str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        shown = content if isinstance(content, Content) else Content(content)
        super().__init__(shown, id=id, classes=classes, markup=False)
        self._shown = shown

    def show(self, content: Content | str) -> None:
        shown = content if isinstance(content, Content) else Content(content)
        if shown != self._shown:
            self._shown = shown
            self.update(shown)
