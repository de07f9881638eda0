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
        self._measured: tuple[int, int, int, int] | None = None

    def show(self, content: Content | str) -> None:
        shown = content if isinstance(content, Content) else Content(content)
        if shown != self._shown:
            before, self._shown = self._measured, shown
            measured = self._measure(shown)
            self.update(shown, layout=measured != before or before is None)
            if measured is not None:
                # The layout this may ask for measures the text again (an update forgets its
                # height): it is the height just measured, at the width it has.
                self._content_height_cache = (measured[0], measured[3])

    def _measure(self, content: Content) -> tuple[int, int, int, int] | None:
        """The size ``content`` takes (its widest line where the widget's width follows it,
        its height at the width the widget has), with what it was measured for; None before
        the widget has a size. Kept for the text shown, so that each text is measured once."""
        if not self.is_mounted or not self.display or not self.size:
            self._measured = None
            return None
        styles = cast(RulesMap, self.styles)  # as Textual passes them to a visual
        width = self.content_size.width
        container = self.container_size.width
        sized = self.styles.width
        widest = (
            content.get_optimal_width(styles, container)
            if sized is not None and sized.is_auto
            else 0
        )
        self._measured = (width, container, widest, content.get_height(styles, width))
        return self._measured

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # A text's virtual size is its size, just set by the layout that calls this: Textual
        # would ask for a second layout of the screen when it changes.
        return super()._size_updated(size, virtual_size, container_size, layout=False)
