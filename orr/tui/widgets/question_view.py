"""The question on the right of the walk-through: what to ask, the practices, notes, evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static, TextArea

from orr.checklist.model import Resource
from orr.checklist.rules import Risk
from orr.i18n import _
from orr.review.kinds import MitigationStatus
from orr.review.state import (
    AnswerState,
    EvidenceCheck,
    EvidenceState,
    Finding,
    QuestionState,
    is_overdue,
)
from orr.textsafe import one_line, strip_controls
from orr.tui.text import NA_LABEL, STATUS_LABEL, fill, plain, safe, short_date
from orr.tui.widgets.info import Info


@dataclass
class QuestionContext:
    """What the view shows besides the question itself (set from above)."""

    pillar_name: str
    role_name: str
    people: list[str]
    state: QuestionState
    finding: Finding | None
    position: str  # "12 / 27"
    today: date
    evidence: EvidenceCheck | None = None  # set when the evidence is missing or out of date


# The risk badge's colours, as the text's own style: a class per risk would restyle the badge
# (a CSS pass) each time the next question's risk differs.
RISK_STYLE = {
    "high": "bold $text on $error",
    "medium": "bold $text on $warning",
    "none": "bold $text on $success",
    "other": "bold $foreground on $panel-lighten-1",
}

# Distinct marks (not colour alone), in ASCII so that they keep one column in every terminal.
MARK_SELECTED = "[x]"
MARK_UNSELECTED = "[ ]"
MARK_NOT_APPLICABLE = "[-]"
ITALIC = Style(italic=True)


def _cut(text: str, cells: int) -> str:
    """The start of ``text`` that fits in ``cells`` columns (a double-width character that
    would straddle the edge is left out, not split)."""
    if cells <= 0:
        return ""
    used = 0
    for n, char in enumerate(text):
        used += cell_len(char)
        if used > cells:
            return text[:n]
    return text


class ChoiceLine(NamedTuple):
    """One practice of the list: its id, its title (one line of plain text), and whether it is
    the question's "None of these" (shown in italics)."""

    value: str
    title: str
    none: bool = False


class ChoiceList(ScrollView, can_focus=True):
    """The practices of the question, one line each: ``[x]`` in place, ``[ ]`` not, ``[-]`` not
    applicable; a title too long for the line is cut short with "…" (the help below the list
    shows it whole).

    Drawn line by line from the titles (the Line API: no widget, layout or rich text per
    practice), so that moving to the next question repaints the list in a fraction of a
    millisecond. Space (or Enter, or a click) asks for the highlighted practice to be toggled
    (`Toggled`); the list shows what the review holds, set from above (`set_selected`)."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        color: $foreground;
        background: $surface;
        & > .choice-list--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .choice-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_practice",
            _("Toggle"),
            tooltip=_("Select or unselect the practice"),
            id="walk.toggle",
        ),
        Binding("enter", "toggle_practice", _("Toggle"), show=False, id="walk.toggle_enter"),
        Binding("down", "cursor_down", _("Down"), show=False, id="walk.practice_down"),
        Binding("up", "cursor_up", _("Up"), show=False, id="walk.practice_up"),
        Binding("home", "first", _("First"), show=False, id="walk.practice_first"),
        Binding("end", "last", _("Last"), show=False, id="walk.practice_last"),
        Binding("pagedown", "page_down", _("Page down"), show=False, id="walk.practice_page_down"),
        Binding("pageup", "page_up", _("Page up"), show=False, id="walk.practice_page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-list--cursor",
        "choice-list--selected",
        "choice-list--unselected",
        "choice-list--not-applicable",
    }

    class Toggled(Message):
        """The user asked to toggle the practice ``value`` (at ``index``)."""

        def __init__(self, choice_list: ChoiceList, index: int, value: str) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.index = index
            self.value = value

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    class Highlighted(Message):
        """The cursor moved to the practice at ``index``."""

        def __init__(self, choice_list: ChoiceList, index: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.index = index

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._choices: list[ChoiceLine] = []
        self._selected: set[str] = set()
        self.not_applicable: frozenset[str] = frozenset()
        self._highlighted: int | None = None
        self._index: dict[str, int] = {}  # a practice's line, by its id
        # Read at each repaint: the first line, the width, the styles of a line and its mark.
        self._draw: tuple[int, int, Style, Style] = (0, 0, Style(), Style())
        # The styles of a line (plain, under the cursor) and of each mark on it, made when
        # first painted after a change of styles (focus, the theme): not on every repaint.
        self._styles: tuple[Style, Style, dict[tuple[Style, str], Style]] | None = None

    # --- what it shows ---

    def set_choices(
        self, choices: list[ChoiceLine], selected: Iterable[str], not_applicable: Iterable[str]
    ) -> None:
        """Show another question's practices, the cursor on the first (no message sent)."""
        count = len(self._choices)
        self._choices = choices
        self._index = {choice.value: n for n, choice in enumerate(choices)}
        self._selected = set(selected)
        self.not_applicable = frozenset(not_applicable)
        self._highlighted = 0 if choices else None
        self.scroll_to(y=0, animate=False, immediate=True)
        # The height changes with the number of practices only: the same number repaints.
        self.virtual_size = Size(0, len(choices))
        self.refresh(layout=len(choices) != count)

    def set_selected(self, selected: Iterable[str], not_applicable: Iterable[str]) -> None:
        """Show the practices now in place and not applicable (repaints the lines whose mark
        changed, only)."""
        wanted, na = set(selected), frozenset(not_applicable)
        changed = (wanted ^ self._selected) | (na ^ self.not_applicable)
        self._selected, self.not_applicable = wanted, na
        for value in changed:
            line = self._index.get(value)
            if line is not None:
                self.refresh_line(line)

    @property
    def selected(self) -> list[str]:
        """The practices shown in place, in the question's order."""
        return [c.value for c in self._choices if c.value in self._selected]

    @property
    def option_count(self) -> int:
        return len(self._choices)

    def value_at(self, index: int) -> str:
        return self._choices[index].value

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            if not self._choices:
                index = None
            else:
                index = max(0, min(index, len(self._choices) - 1))
        old, self._highlighted = self._highlighted, index
        if index == old:
            return
        for line in (old, index):
            if line is not None:
                self.refresh_line(line)
        if index is not None:
            self._keep_in_view(index)
            self.post_message(self.Highlighted(self, index))

    def _keep_in_view(self, index: int) -> None:
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif height and index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def is_cut(self, index: int) -> bool:
        """The title of the practice at ``index`` is too long for its line."""
        room = self.scrollable_content_region.width - len(MARK_SELECTED) - 1
        return room > 0 and cell_len(self._choices[index].title) > room

    # --- keys and the mouse ---

    def action_toggle_practice(self) -> None:
        index = self._highlighted
        if index is not None:
            self.post_message(self.Toggled(self, index, self._choices[index].value))

    def action_cursor_down(self) -> None:
        if self._highlighted is not None:
            self.highlighted = self._highlighted + 1

    def action_cursor_up(self) -> None:
        if self._highlighted is not None:
            self.highlighted = self._highlighted - 1

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self._choices) - 1

    def action_page_down(self) -> None:
        if self._highlighted is not None:
            self.highlighted = self._highlighted + max(1, self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        if self._highlighted is not None:
            self.highlighted = self._highlighted - max(1, self.scrollable_content_region.height)

    def _on_resize(self, event: events.Resize) -> None:
        # Whether a title is cut depends on the width: the help below says it again.
        if self._highlighted is not None:
            self.post_message(self.Highlighted(self, self._highlighted))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y
        if 0 <= index < len(self._choices):
            self.highlighted = index
            self.action_toggle_practice()

    # --- drawing ---

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._choices)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _line_styles(self) -> tuple[Style, Style, dict[tuple[Style, str], Style]]:
        if self._styles is None:
            base = self.rich_style
            cursor = base + self.get_component_rich_style("choice-list--cursor", partial=True)
            marks: dict[tuple[Style, str], Style] = {}
            for line in (base, cursor):
                for mark, component in (
                    (MARK_SELECTED, "choice-list--selected"),
                    (MARK_UNSELECTED, "choice-list--unselected"),
                    (MARK_NOT_APPLICABLE, "choice-list--not-applicable"),
                ):
                    style = self.get_component_rich_style(component, partial=True)
                    marks[line, mark] = line + Style(color=style.color, bold=style.bold)
            self._styles = (base, cursor, marks)
        return self._styles

    def render_lines(self, crop: Region) -> list[Strip]:
        base, cursor = self._line_styles()[:2]
        self._draw = (round(self.scroll_y), self.scrollable_content_region.width, base, cursor)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        top, width, base, cursor = self._draw
        marks = self._line_styles()[2]
        index = top + y
        if not 0 <= index < len(self._choices):
            return Strip.blank(width, base)
        choice = self._choices[index]
        line = cursor if index == self._highlighted else base
        if choice.value in self.not_applicable:
            mark = MARK_NOT_APPLICABLE
        elif choice.value in self._selected:
            mark = MARK_SELECTED
        else:
            mark = MARK_UNSELECTED
        room = width - len(mark) - 1
        title = choice.title
        if cell_len(title) > room:
            title = _cut(title, room - 1) + "…" if room > 0 else ""
        segments = [
            Segment(mark, marks[line, mark]),
            Segment(" ", line),
            Segment(title, line + ITALIC if choice.none else line),
        ]
        return Strip(segments).adjust_cell_length(width, line)


class NotesArea(TextArea):
    """The notes field; tells the view when the cursor leaves it (to save at once)."""

    class Left(Message):
        """Focus left the notes field."""

        def __init__(self, qid: str) -> None:
            super().__init__()
            self.qid = qid

    qid = ""
    """The question whose notes are in the field."""

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.post_message(self.Left(self.qid))


def _badge_labels() -> tuple[str, str, str, str, str]:
    """The risk badge's labels, in the language in use: unanswered, not applicable, no risk,
    high risk, medium risk."""
    return (
        _("UNANSWERED"),
        _("NOT APPLICABLE"),
        _("NO RISK"),
        _("HIGH RISK"),
        _("MEDIUM RISK"),
    )


def _resource(resource: Resource | None) -> Content:
    if resource is None:
        return Content("")
    parts: list[str | Content | tuple[str, str]] = [plain(resource.text)]
    if resource.url:
        parts.extend(["  ", (safe(resource.url), "underline $text-primary")])
    return Content.assemble(*parts)


class QuestionView(VerticalScroll):
    """Shows one question; sends ChoiceToggled and notes changes up."""

    can_focus = False

    class ChoiceToggled(Message):
        """The user toggled a choice."""

        def __init__(self, qid: str, choice_id: str) -> None:
            super().__init__()
            self.qid = qid
            self.choice_id = choice_id

    class NotesEdited(Message):
        """The notes text changed (sent on every keystroke; the screen debounces)."""

        def __init__(self, qid: str, text: str) -> None:
            super().__init__()
            self.qid = qid
            self.text = text

    class NotesLeft(Message):
        """The cursor left the notes field."""

        def __init__(self, qid: str) -> None:
            super().__init__()
            self.qid = qid

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # The height of the question changes from one question to the next: the layout that
        # calls this has just placed it, and Textual would ask for a second layout of the screen
        # (its scrollbar, when it comes or goes, asks for one of its own).
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: QuestionState | None = None
        self._loading_notes = 0  # loads whose Changed message has not come back yet
        self.brief = False
        self._has: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="q-top"):
            yield Info(id="q-meta")
            yield Info(id="q-risk")
        yield Info(id="q-title")
        yield Info(id="q-description")
        yield Info(id="q-evidence")
        yield Info(id="q-resource")
        yield Static(Content(_("Practices in place")), id="q-choices-label", classes="section")
        yield ChoiceList(id="q-choices")
        yield Info(id="q-choice-help")
        yield Info(id="q-state")
        yield Static(
            Content(_("Notes  (e to edit, Esc to leave)")), id="q-notes-label", classes="section"
        )
        yield NotesArea(id="q-notes", soft_wrap=True, tab_behavior="focus")
        yield Info(id="q-notes-state")
        yield Static(
            Content(_("Evidence links  (l to add, L to remove)")),
            id="q-links-label",
            classes="section",
        )
        yield Info(id="q-links")

    # --- showing ---

    @property
    def qid(self) -> str | None:
        return self.question.qid if self.question else None

    def show(self, ctx: QuestionContext, *, keep_notes: bool = False) -> None:
        """Show a question (a different one, or the same one fresh after a reload). With
        ``keep_notes`` the notes field is left as it is (the user's unsaved text, cursor and
        all)."""
        state = ctx.state
        self.question = state
        question = state.question
        spec = question.spec
        meta: list[str | Content | tuple[str, str]] = [
            (ctx.pillar_name, "bold"),
            f"  ·  {question.id}  ·  {ctx.position}",
        ]
        if spec.owner_role:
            meta += ["  ·  ", fill(_("asks {role}"), role=(ctx.role_name, "bold"))]
            if ctx.people:
                meta.append(Content(" (" + safe(", ".join(ctx.people)) + ")"))
        severity = _("high severity") if spec.severity == "high" else _("medium severity")
        meta.append(
            (
                f"  ·  {severity}",
                "$text-error" if spec.severity == "high" else "$text-warning",
            )
        )
        self.query_one("#q-meta", Info).show(Content.assemble(*meta))
        self.query_one("#q-title", Info).show(plain(spec.title))
        self.query_one("#q-description", Info).show(plain(spec.description or ""))
        self._has = {
            "#q-description": bool(spec.description),
            "#q-evidence": bool(spec.evidence),
        }
        evidence = self.query_one("#q-evidence", Info)
        if spec.evidence:
            lines = [Content.styled(_("Evidence to ask for"), "bold")]
            lines += [Content("  • " + safe(item)) for item in spec.evidence]
            evidence.show(Content("\n").join(lines))
        resource = self.query_one("#q-resource", Info)
        refs = ", ".join(spec.references + spec.incidents)
        parts: list[str | Content | tuple[str, str]] = []
        if spec.helpful_resource is not None:
            parts += [(_("Helpful resource") + "  ", "bold"), _resource(spec.helpful_resource)]
        if refs:
            parts += [
                "\n" if parts else "",
                (_("Draws on") + "  ", "bold"),
                (safe(refs), "$foreground-muted"),
            ]
        resource.show(Content.assemble(*parts))
        self._has["#q-resource"] = bool(parts)
        self._show_details()

        choices = self.query_one(ChoiceList)
        none_id = question.none_choice_id
        choices.set_choices(
            [
                ChoiceLine(c.id, _("None of these"), True)
                if c.id == none_id
                else ChoiceLine(c.id, one_line(c.title))
                for c in question.choices
            ],
            state.selected,
            state.na_practices,
        )
        self._show_choice_help(0)
        self._show_state(ctx)
        if not keep_notes:
            self._load_notes(state.answer.notes if state.answer else "")
            self.query_one("#q-notes-state", Info).show("")
        self._show_links(state, ctx.evidence)
        self.scroll_home(animate=False)

    def set_brief(self, brief: bool) -> None:
        """Hide (or show again) the description, the evidence to ask for and the resources."""
        self.brief = brief
        self._show_details()

    def _show_details(self) -> None:
        for selector, has in self._has.items():
            self.query_one(selector).display = has and not self.brief

    def update_context(self, ctx: QuestionContext) -> None:
        """The same question after a change: selection, marks, risk, state, links (notes are
        kept)."""
        state = ctx.state
        self.question = state
        choices = self.query_one(ChoiceList)
        choices.set_selected(state.selected, state.na_practices)
        self._show_choice_help(choices.highlighted)
        self._show_state(ctx)
        self._show_links(state, ctx.evidence)

    def on_mount(self) -> None:
        # The badge as wide as its widest label (right-aligned): the next question's badge then
        # never changes the width of the line above the question, which would lay it out again.
        widest = max(cell_len(label) for label in _badge_labels())
        self.query_one("#q-risk", Info).styles.width = widest + 2

    def _show_state(self, ctx: QuestionContext) -> None:
        risk = self.query_one("#q-risk", Info)
        state = ctx.state
        unanswered, not_applicable, no_risk, high, medium = _badge_labels()
        if state.state is AnswerState.UNANSWERED:
            label, kind = unanswered, "other"
        elif state.state is AnswerState.NOT_APPLICABLE:
            label, kind = not_applicable, "other"
        elif state.risk is None or state.risk is Risk.NO_RISK:
            label, kind = no_risk, "none"
        elif state.risk is Risk.HIGH_RISK:
            label, kind = high, "high"
        else:
            label, kind = medium, "medium"
        risk.show(Content.styled(f" {label} ", RISK_STYLE[kind]))
        box = self.query_one("#q-state", Info)
        lines: list[Content] = []
        answer = state.answer
        if state.reconfirm:
            lines.append(
                Content.styled(
                    _(
                        "↻ The question changed since it was answered: check the choices, then "
                        "press c to confirm the answer."
                    ),
                    "$text-accent",
                )
            )
        if state.unknown:
            lines.append(
                Content.styled(
                    _(
                        "The answer names {choices}, which this question does not have: answer it again."
                    ).format(choices=", ".join(state.unknown)),
                    "$text-error",
                )
            )
        if answer is not None and not answer.applicable:
            reason = _(NA_LABEL[answer.na_reason]) if answer.na_reason else _("NO REASON GIVEN")
            line = Content.assemble((_("– Not applicable: "), "bold"), reason)
            if answer.na_note:
                line = Content.assemble(line, " — ", plain(answer.na_note))
            lines.append(line)
            lines.append(
                Content.styled(
                    "  " + _("Toggle a practice or press 0 to answer it."), "$foreground-muted"
                )
            )
        elif state.state is AnswerState.NOT_APPLICABLE:
            lines.append(
                Content.assemble(
                    (_("– Not applicable: "), "bold"),
                    _("every practice is marked not applicable"),
                )
            )
        if ctx.finding is not None:
            lines.append(self._finding_line(ctx.finding, ctx.today))
        box.show(Content("\n").join(lines))
        box.display = bool(lines)

    def _finding_line(self, finding: Finding, today: date) -> Content:
        parts: list[str | Content | tuple[str, str]] = [(_("Finding: "), "bold")]
        if not finding.mitigations and not finding.acceptances:
            parts.append(
                (
                    _("no mitigation or risk acceptance yet — press 2 for Findings"),
                    "$text-warning",
                )
            )
        items: list[Content] = []
        for m in finding.mitigations:
            done = m.status is MitigationStatus.DONE
            late = is_overdue(m, today)
            items.append(
                Content.assemble(
                    (f"{m.id} {_(STATUS_LABEL[m.status])}", "$text-success" if done else ""),
                    " ",
                    plain(m.title),
                    (
                        " (" + _("due {date}, overdue").format(date=short_date(m.due)) + ")",
                        "$text-error bold",
                    )
                    if late
                    else " (" + _("due {date}").format(date=short_date(m.due)) + ")",
                )
            )
        for a in finding.acceptances:
            items.append(
                fill(
                    _("{accepted} by {approver} until {date}"),
                    accepted=(_("{id} accepted").format(id=a.id), "$text-warning"),
                    approver=plain(a.approver),
                    date=a.expires.isoformat(),
                )
            )
        if items:
            parts.append(Content("; ").join(items))
        return Content.assemble(*parts)

    def _show_links(self, state: QuestionState, check: EvidenceCheck | None) -> None:
        links = self.query_one("#q-links", Info)
        answer = state.answer
        if answer is None or not answer.evidence:
            if check is not None and check.state is EvidenceState.MISSING:
                links.show(
                    Content.styled(
                        _("none yet — the checklist asks to see evidence (l adds a link)"),
                        "$text-warning",
                    )
                )
                return
            links.show(Content.styled(_("none yet"), "$foreground-muted"))
            return
        lines: list[Content] = []
        if check is not None and check.state is EvidenceState.STALE:
            lines.append(
                Content.styled(
                    _(
                        "Out of date: the checklist allows {days} days since a link was "
                        "verified (v re-verifies them today)"
                    ).format(days=check.max_age_days),
                    "$text-warning",
                )
            )
        for e in answer.evidence:
            line = Content.assemble("• ", (safe(e.url), "underline"))
            if e.description:
                line = Content.assemble(line, " — ", plain(e.description))
            if e.verified_on:
                line = Content.assemble(
                    line,
                    (
                        " (" + _("verified {date}").format(date=e.verified_on.isoformat()) + ")",
                        "$foreground-muted",
                    ),
                )
            lines.append(line)
        links.show(Content("\n").join(lines))

    def _show_choice_help(self, index: int | None) -> None:
        help_ = self.query_one("#q-choice-help", Info)
        state = self.question
        if state is None or index is None or index >= len(state.question.choices):
            help_.show("")
            return
        choice = state.question.choices[index]
        parts: list[str | Content | tuple[str, str]] = []
        if self.query_one(ChoiceList).is_cut(index):  # cut short in the list: shown whole here
            parts += [plain(choice.title), "\n"]
        waived = state.practice_na(choice.id)
        if waived is not None:
            parts += [(_("Not applicable: "), "bold $text-accent"), _(NA_LABEL[waived.reason])]
            if waived.note:
                parts += [" — ", plain(waived.note)]
            parts.append("\n")
        if choice.helpful is not None:
            parts += [(_("Why: "), "bold"), _resource(choice.helpful)]
        if choice.improvement is not None:
            parts += ["\n" if parts else "", (_("If not: "), "bold"), _resource(choice.improvement)]
        help_.show(Content.assemble(*parts))

    # --- notes ---

    def _load_notes(self, text: str) -> bool:
        """Put ``text`` in the notes field; False when it already holds it (left untouched)."""
        # Control characters (ESC, BEL, ...) would act on the terminal from the editor and, once
        # escaped, come back as literal "\x07" text: the field shows the notes without them.
        text = strip_controls(text)
        notes = self.query_one(NotesArea)
        notes.qid = self.question.qid if self.question else ""
        if notes.text == text:
            return False
        self._loading_notes += 1
        notes.load_text(text)
        return True

    def set_notes_state(self, text: str, *, problem: bool = False) -> None:
        state = self.query_one("#q-notes-state", Info)
        state.show(Content(text))
        state.set_class(problem, "-problem")

    def replace_notes(self, text: str) -> None:
        """Put text in the notes field (theirs, or a merge to edit), the cursor at its end (the
        field is left alone when it already holds the text: the user may be typing in it)."""
        if self._load_notes(text):
            notes = self.query_one(NotesArea)
            notes.move_cursor(notes.document.end)

    def edit_notes(self) -> None:
        """Focus the notes field with the cursor after the last character."""
        notes = self.query_one(NotesArea)
        notes.focus()
        notes.move_cursor(notes.document.end)

    # --- events from the children ---

    @on(ChoiceList.Toggled, "#q-choices")
    def _toggled(self, event: ChoiceList.Toggled) -> None:
        event.stop()
        if self.question is not None:
            self.post_message(self.ChoiceToggled(self.question.qid, event.value))

    @on(ChoiceList.Highlighted, "#q-choices")
    def _highlighted(self, event: ChoiceList.Highlighted) -> None:
        event.stop()
        self._show_choice_help(event.index)

    @on(TextArea.Changed, "#q-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading_notes:
            self._loading_notes -= 1
            return
        notes = self.query_one(NotesArea)
        if notes.qid:
            self.post_message(self.NotesEdited(notes.qid, strip_controls(notes.text)))

    @on(NotesArea.Left)
    def _notes_left(self, event: NotesArea.Left) -> None:
        event.stop()
        if event.qid:
            self.post_message(self.NotesLeft(event.qid))
