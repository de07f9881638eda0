"""Scrolling lists (a tree, an option list, a table) that repaint their scrollbars only when they
change, and a compositor that places the whole screen again only when something moved."""

from __future__ import annotations

from textual._compositor import Compositor, ReflowResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


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


class SteadyCompositor(Compositor):
    """Textual's compositor, without two rebuilds of the map of the whole screen that a key
    of the walk-through made for nothing (each ~0.5 ms: every widget of the screen placed
    again, at the next lookup of a widget's place, which every repaint makes):

    - a widget repainted while out of view (the notes below the fold of a long question) was
      taken for a new one, which the map lacks: one already in the map lacks nothing;
    - a layout leaves the map of the whole screen fresh (it just built it), yet marked as
      needing a rebuild when something had marked it before.

    A screen takes it in its ``__init__``, before anything is placed."""

    def update_widgets(self, widgets: set[Widget]) -> None:
        if not self._full_map_invalidated:
            visible, placed = self.visible_widgets, self._full_map
            out_of_view = {w for w in widgets if w not in visible and w in placed}
            if out_of_view:
                widgets = widgets - out_of_view  # nothing of them is on screen to repaint
        super().update_widgets(widgets)

    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        result = super().reflow(parent, size)
        self._full_map_invalidated = False  # the whole screen was just placed
        return result
