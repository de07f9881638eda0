"""Scrolling lists (a tree, an option list, a table) that repaint their scrollbars only when they
change."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollbars(ScrollView):
    """Textual's ScrollView compares the size the compositor gives it (the window) with its own
    virtual size (the content): the two always differ, so every layout of the screen (any text
    of the screen that changed height) repainted the scrollbars of every list on it, and a
    repainted scrollbar costs a second pass of the compositor: about 3 ms for the tree of 200
    questions, on every key. Here a layout that leaves the list's size, its container and its
    content as they were changes nothing (a new content's size takes a layout of its own).

    Name it after the widget class (``class QuestionTree(Tree[Item], SteadyScrollbars)``):
    Textual takes a widget's default CSS and type names along its first bases."""

    _laid_out_for: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        now = (size, container_size, self.virtual_size)
        if now == self._laid_out_for:
            return False
        self._laid_out_for = now
        return super()._size_updated(size, virtual_size, container_size, layout)
