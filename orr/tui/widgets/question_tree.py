"""The pillars and questions of the walk-through, each question with its mark."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from orr.checklist.model import ChecklistPillar, ChecklistQuestion
from orr.i18n import _
from orr.review.kinds import Mark
from orr.tui.text import MARK_GLYPH, cell
from orr.tui.widgets.steady import SteadyScrollbars


@dataclass
class QuestionItem:
    """A question line: its id and mark (the label is its title)."""

    qid: str
    mark: Mark


@dataclass
class PillarItem:
    """A pillar line: its id, name and progress."""

    pillar_id: str
    name: str
    answered: int = 0
    total: int = 0


Item = QuestionItem | PillarItem


class QuestionTree(Tree[Item], SteadyScrollbars):
    """Pillars with their questions; the cursor follows the question on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Space toggles the highlighted choice of the question, as it does in the choice list.
        Binding("space", "screen.toggle_choice", _("Toggle"), id="walk.tree_toggle"),
        Binding("enter", "select_cursor", _("Answer"), show=False, id="walk.tree_answer"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *Tree.COMPONENT_CLASSES,
        "question-tree--unanswered",
        "question-tree--no_risk",
        "question-tree--medium",
        "question-tree--high",
        "question-tree--not_applicable",
        "question-tree--reconfirm",
        "question-tree--pillar-progress",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Questions"), id=id)
        self.show_root = False
        self.guide_depth = 2
        self._question_nodes: dict[str, TreeNode[Item]] = {}
        self._pillar_nodes: dict[str, TreeNode[Item]] = {}

    # --- building ---

    def rebuild(
        self,
        pillars: Iterable[tuple[ChecklistPillar, list[ChecklistQuestion]]],
        marks: dict[str, Mark],
        progress: dict[str, tuple[int, int]],
    ) -> None:
        """Show these pillars with these questions (the visible ones after filtering)."""
        self.clear()
        self._question_nodes = {}
        self._pillar_nodes = {}
        for pillar, questions in pillars:
            answered, total = progress.get(pillar.id, (0, 0))
            item = PillarItem(pillar.id, pillar.name, answered, total)
            pnode = self.root.add(cell(pillar.name), data=item, expand=True)
            self._pillar_nodes[pillar.id] = pnode
            for question in questions:
                qnode = pnode.add_leaf(
                    cell(question.title), data=QuestionItem(question.id, marks[question.id])
                )
                self._question_nodes[question.id] = qnode

    def visible_ids(self) -> list[str]:
        return list(self._question_nodes)

    def set_mark(self, qid: str, mark: Mark) -> None:
        node = self._question_nodes.get(qid)
        if node is not None and isinstance(node.data, QuestionItem) and node.data.mark != mark:
            node.data.mark = mark
            node.refresh()

    def set_progress(self, pillar_id: str, answered: int, total: int) -> None:
        node = self._pillar_nodes.get(pillar_id)
        if node is not None and isinstance(node.data, PillarItem):
            if (node.data.answered, node.data.total) != (answered, total):
                node.data.answered, node.data.total = answered, total
                node.refresh()

    def show_question(self, qid: str) -> None:
        """Put the cursor on a question (without sending a selection)."""
        node = self._question_nodes.get(qid)
        if node is None or self.cursor_node is node:
            return
        _ = self.last_line  # lays the lines out after a rebuild, so that the node has its line
        self.move_cursor(node, animate=False)

    def scroll_to_line(self, line: int, animate: bool = True) -> None:
        """Bring a line out of view to the middle of the list rather than to its edge: the
        questions after it show, and a run of `n` scrolls the list (which repaints all of it)
        once every half page rather than on every key. A line in view stays where it is."""
        region = self._get_label_region(line)
        if region is None:
            return
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if height > 0 and top <= region.y < top + height:
            return
        self.scroll_to_region(
            region, animate=animate, force=True, center=True, origin_visible=False, x_axis=False
        )

    def pillar_first_question(self, pillar_id: str) -> str | None:
        node = self._pillar_nodes.get(pillar_id)
        if node is None:
            return None
        for child in node.children:
            if isinstance(child.data, QuestionItem):
                return child.data.qid
        return None

    # --- rendering ---

    def render_label(self, node: TreeNode[Item], base_style: Style, style: Style) -> Text:
        data = node.data
        if isinstance(data, QuestionItem):
            mark_style = self.get_component_rich_style(f"question-tree--{data.mark.value}")
            label = node._label.copy()
            label.stylize(style)
            return Text.assemble((MARK_GLYPH[data.mark] + " ", mark_style), label)
        text = super().render_label(node, base_style, style)
        if isinstance(data, PillarItem) and data.total:
            progress_style = self.get_component_rich_style("question-tree--pillar-progress")
            text.append(f"  {data.answered}/{data.total}", progress_style)
        return text
