"""The question on the right of the walk-through: what to ask, the choices, notes, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from orr.checklist.model import ChecklistQuestion, Resource
from orr.checklist.rules import Risk
from orr.review.model import Answer, Mitigation, MitigationStatus, RiskAcceptance
from orr.tui.text import RISK_LABEL, STATUS_LABEL, plain, safe, short_date, swap_class
from orr.tui.widgets.info import Info


@dataclass
class QuestionContext:
    """What the view shows besides the question itself (set from above)."""

    pillar_name: str
    role_name: str
    people: list[str]
    answer: Answer | None
    risk: Risk | None
    mitigations: list[Mitigation]
    acceptances: list[RiskAcceptance]
    position: str  # "12 / 27"
    today: date


RISK_CLASSES = ("-high", "-medium", "-none", "-na", "-unanswered")


class ChoiceList(SelectionList[str]):
    """The practices of the question as a toggle list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Toggle", tooltip="Select or unselect the practice")
    ]


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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: ChecklistQuestion | None = None
        self._loading_notes = 0  # loads whose Changed message has not come back yet

    def compose(self) -> ComposeResult:
        with Horizontal(id="q-top"):
            yield Info(id="q-meta")
            yield Info(id="q-risk")
        yield Info(id="q-title")
        yield Info(id="q-description")
        yield Info(id="q-evidence")
        yield Info(id="q-resource")
        yield Static(Content("Practices in place"), id="q-choices-label", classes="section")
        yield ChoiceList(id="q-choices")
        yield Info(id="q-choice-help")
        yield Info(id="q-state")
        yield Static(Content("Notes  (e to edit, Esc to leave)"), classes="section")
        yield NotesArea(id="q-notes", soft_wrap=True, tab_behavior="focus")
        yield Info(id="q-notes-state")
        yield Static(Content("Evidence links  (l to add)"), classes="section")
        yield Info(id="q-links")

    # --- showing ---

    def show(self, question: ChecklistQuestion, ctx: QuestionContext) -> None:
        """Show a question (a different one, or the same one fresh after a reload)."""
        self.question = question
        spec = question.spec
        meta: list[str | Content | tuple[str, str]] = [
            (ctx.pillar_name, "bold"),
            f"  ·  {question.id}  ·  {ctx.position}",
        ]
        if spec.owner_role:
            meta.append("  ·  asks ")
            meta.append((ctx.role_name, "bold"))
            if ctx.people:
                meta.append(Content(" (" + safe(", ".join(ctx.people)) + ")"))
        meta.append(
            (
                f"  ·  {spec.severity.value} severity",
                "$text-error" if spec.severity == "high" else "$text-warning",
            )
        )
        self.query_one("#q-meta", Info).show(Content.assemble(*meta))
        self.query_one("#q-title", Info).show(plain(spec.title))
        self.query_one("#q-description", Info).show(plain(spec.description or ""))
        self.query_one("#q-description").display = bool(spec.description)
        evidence = self.query_one("#q-evidence", Info)
        if spec.evidence:
            lines = [Content.styled("Evidence to ask for", "bold")]
            lines += [Content("  • " + safe(item)) for item in spec.evidence]
            evidence.show(Content("\n").join(lines))
        evidence.display = bool(spec.evidence)
        resource = self.query_one("#q-resource", Info)
        refs = ", ".join(spec.references + spec.incidents)
        parts: list[str | Content | tuple[str, str]] = []
        if spec.helpful_resource is not None:
            parts += [("Helpful resource  ", "bold"), _resource(spec.helpful_resource)]
        if refs:
            parts += [
                "\n" if parts else "",
                ("Draws on  ", "bold"),
                (safe(refs), "$foreground-muted"),
            ]
        resource.show(Content.assemble(*parts))
        resource.display = bool(parts)

        choices = self.query_one(ChoiceList)
        selected = set(ctx.answer.choices) if ctx.answer and ctx.answer.applicable else set()
        none_id = question.none_choice_id
        choices.clear_options()
        choices.add_options(
            [
                Selection(
                    Content.styled(c.title, "italic") if c.id == none_id else plain(c.title),
                    c.id,
                    c.id in selected,
                )
                for c in question.choices
            ]
        )
        choices.highlighted = 0
        self._show_choice_help(0)
        self._show_state(ctx)
        self._load_notes(ctx.answer.notes if ctx.answer else "")
        self._show_links(ctx.answer)
        self.query_one("#q-notes-state", Info).show("")
        self.scroll_home(animate=False)

    def update_context(self, ctx: QuestionContext) -> None:
        """The same question after a change: selection, risk, state, links (notes are kept)."""
        choices = self.query_one(ChoiceList)
        selected = set(ctx.answer.choices) if ctx.answer and ctx.answer.applicable else set()
        current = set(choices.selected)
        if current != selected:
            for value in current - selected:
                choices.deselect(value)
            for value in selected - current:
                choices.select(value)
        self._show_state(ctx)
        self._show_links(ctx.answer)

    def _show_state(self, ctx: QuestionContext) -> None:
        risk = self.query_one("#q-risk", Info)
        answer = ctx.answer
        if answer is None or not answer.answered:
            label, cls = "UNANSWERED", "-unanswered"
        elif not answer.applicable:
            label, cls = "NOT APPLICABLE", "-na"
        elif ctx.risk is None or ctx.risk is Risk.NO_RISK:
            label, cls = "NO RISK", "-none"
        else:
            label = f"{RISK_LABEL[ctx.risk]} RISK"
            cls = "-high" if ctx.risk is Risk.HIGH_RISK else "-medium"
        risk.show(Content(f" {label} "))
        swap_class(risk, RISK_CLASSES, cls)
        state = self.query_one("#q-state", Info)
        lines: list[Content] = []
        if answer is not None and answer.reconfirm:
            lines.append(
                Content.styled(
                    "↻ The question changed since it was answered: check the choices, then "
                    "press c to confirm the answer.",
                    "$text-accent",
                )
            )
        if answer is not None and not answer.applicable:
            reason = str(answer.na_reason) if answer.na_reason else "NO REASON GIVEN"
            line = Content.assemble(("– Not applicable: ", "bold"), reason)
            if answer.na_note:
                line = Content.assemble(line, " — ", plain(answer.na_note))
            lines.append(line)
            lines.append(
                Content.styled("  Toggle a practice or press 0 to answer it.", "$foreground-muted")
            )
        if ctx.risk in (Risk.HIGH_RISK, Risk.MEDIUM_RISK):
            lines.append(self._finding_line(ctx))
        state.show(Content("\n").join(lines))
        state.display = bool(lines)

    def _finding_line(self, ctx: QuestionContext) -> Content:
        parts: list[str | Content | tuple[str, str]] = [("Finding: ", "bold")]
        if not ctx.mitigations and not ctx.acceptances:
            parts.append(
                ("no mitigation or risk acceptance yet — press 2 for Findings", "$text-warning")
            )
        items: list[Content] = []
        for m in ctx.mitigations:
            done = m.status is MitigationStatus.DONE
            late = not done and m.due is not None and m.due < ctx.today
            items.append(
                Content.assemble(
                    (f"{m.id} {STATUS_LABEL[m.status]}", "$text-success" if done else ""),
                    " ",
                    plain(m.title),
                    (f" (due {short_date(m.due)}, overdue)", "$text-error bold")
                    if late
                    else f" (due {short_date(m.due)})",
                )
            )
        for a in ctx.acceptances:
            items.append(
                Content.assemble(
                    (f"{a.id} accepted", "$text-warning"),
                    " by ",
                    plain(a.approver),
                    f" until {a.expires.isoformat()}",
                )
            )
        if items:
            parts.append(Content("; ").join(items))
        return Content.assemble(*parts)

    def _show_links(self, answer: Answer | None) -> None:
        links = self.query_one("#q-links", Info)
        if answer is None or not answer.evidence:
            links.show(Content.styled("none yet", "$foreground-muted"))
            return
        lines: list[Content] = []
        for e in answer.evidence:
            line = Content.assemble("• ", (safe(e.url), "underline"))
            if e.description:
                line = Content.assemble(line, " — ", plain(e.description))
            if e.verified_on:
                line = Content.assemble(
                    line, (f" (verified {e.verified_on.isoformat()})", "$foreground-muted")
                )
            lines.append(line)
        links.show(Content("\n").join(lines))

    def _show_choice_help(self, index: int | None) -> None:
        help_ = self.query_one("#q-choice-help", Info)
        if self.question is None or index is None or index >= len(self.question.choices):
            help_.show("")
            return
        choice = self.question.choices[index]
        parts: list[str | Content | tuple[str, str]] = []
        room = self.query_one(ChoiceList).size.width - 8
        if len(choice.title) > room > 0:  # cut short in the list: shown whole here
            parts += [plain(choice.title), "\n"]
        if choice.helpful is not None:
            parts += [("Why: ", "bold"), _resource(choice.helpful)]
        if choice.improvement is not None:
            parts += ["\n" if parts else "", ("If not: ", "bold"), _resource(choice.improvement)]
        help_.show(Content.assemble(*parts))

    # --- notes ---

    def _load_notes(self, text: str) -> None:
        # Control characters (ESC, BEL, ...) would reach the terminal from the editor: they are
        # shown, and kept if the notes are edited, as visible escapes (\x1b).
        text = safe(text)
        notes = self.query_one(NotesArea)
        notes.qid = self.question.id if self.question else ""
        if notes.text != text:
            self._loading_notes += 1
            notes.load_text(text)

    def notes_text(self) -> str:
        return self.query_one(NotesArea).text

    def set_notes_state(self, text: str, *, problem: bool = False) -> None:
        state = self.query_one("#q-notes-state", Info)
        state.show(Content(text))
        state.set_class(problem, "-problem")

    def replace_notes(self, text: str) -> None:
        """Show notes read from the file (after a reload), unless the user is typing."""
        self._load_notes(text)

    # --- events from the children ---

    @on(SelectionList.SelectionToggled, "#q-choices")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        if self.question is not None:
            self.post_message(self.ChoiceToggled(self.question.id, event.selection.value))

    @on(SelectionList.SelectionHighlighted, "#q-choices")
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        event.stop()
        self._show_choice_help(event.selection_index)

    @on(TextArea.Changed, "#q-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading_notes:
            self._loading_notes -= 1
            return
        notes = self.query_one(NotesArea)
        if notes.qid:
            self.post_message(self.NotesEdited(notes.qid, notes.text))

    @on(NotesArea.Left)
    def _notes_left(self, event: NotesArea.Left) -> None:
        event.stop()
        if event.qid:
            self.post_message(self.NotesLeft(event.qid))
