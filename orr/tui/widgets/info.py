"""A line or block of text that repaints only when what it shows changes, and asks for a layout
of the screen only when its size changes."""

from __future__ import annotations

from typing import cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.widgets import Static


class Info(Static):
    """Static text (never markup) that skips updates to the same content: an update can
    re-layout the screen, and the walk-through updates many of them on every key.

    A layout measures every widget of the screen again (and repaints the scrollbars of the
    scrolling ones): text of the same width and height as before is repainted in place."""

    def __init__(
        self, content: Content | str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        shown = content if isinstance(content, Content) else Content(content)
        super().__init__(shown, id=id, classes=classes, markup=False)
        self._shown = shown

    def show(self, content: Content | str) -> None:
        shown = content if isinstance(content, Content) else Content(content)
        if shown != self._shown:
            before, self._shown = self._shown, shown
            self.update(shown, layout=self._resizes(before, shown))

    def _resizes(self, before: Content, after: Content) -> bool:
        """Would ``after`` take another size than ``before`` (its widest line, or its height
        at the width the widget has)?"""
        if not self.is_mounted or not self.display or not self.size:
            return True
        styles = cast(RulesMap, self.styles)  # as Textual passes them to a visual
        width = self.content_size.width
        container = self.container_size.width
        return before.get_optimal_width(styles, container) != after.get_optimal_width(
            styles, container
        ) or before.get_height(styles, width) != after.get_height(styles, width)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # A text's virtual size is its size, just set by the layout that calls this: Textual
        # would ask for a second layout of the screen when it changes.
        return super()._size_updated(size, virtual_size, container_size, layout=False)
