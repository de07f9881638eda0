"""The walk-through: pillars and questions on the left, the question on the right."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Input, Tree

from orr.checklist.model import ChecklistQuestion
from orr.errors import ConflictError, OrrError
from orr.review.session import Mark, StatusFilter
from orr.tui.screens.base import ReviewScreen, error_text
from orr.tui.screens.dialogs import (
    EvidenceDialog,
    EvidenceLink,
    NaChoice,
    NotApplicableDialog,
    PickerDialog,
    confirm_callback,
)
from orr.tui.text import MARK_GLYPH, MARK_LABEL, MARK_VAR, plain, safe
from orr.tui.widgets.header import ReviewHeader
from orr.tui.widgets.info import Info
from orr.tui.widgets.question_tree import QuestionItem, QuestionTree
from orr.tui.widgets.question_view import ChoiceList, NotesArea, QuestionContext, QuestionView

NOTES_DELAY = 0.5  # seconds after the last keystroke before notes are saved

MOVE = Binding.Group("Move", compact=True)
ALL_ROLES = "*"


class WalkthroughScreen(ReviewScreen):
    """Walk the stakeholders through the checklist, question by question."""

    SCREEN_NAME = "walkthrough"
    HELP = """\
# Walk-through

The pillars and questions are on the left, each with its mark:
`○` unanswered, `●` answered with no risk, `▲` medium risk, `■` high risk,
`–` not applicable, `↻` the question changed since it was answered (re-confirm it).
The question is on the right: what to ask, the evidence to ask for, and the practices
the team can claim. Every change is saved at once.

| Key | Does |
|---|---|
| `n` / `j`, `p` / `k` | next / previous question (in the current filter) |
| `u` | next unanswered question |
| `↑` `↓` then `space` | move over the practices and toggle one |
| `0` | None of these (clears the other practices; a practice clears it) |
| `a` | not applicable — a reason is required |
| `c` | confirm an answer marked `↻` |
| `e` | edit the notes (saved as you type); `Esc` leaves the field |
| `l` | add an evidence link |
| `r` | walk one stakeholder role through its questions |
| `s` | show only unanswered questions, findings, not applicable… |
| `/` | search the questions (Enter goes to the practices, `Esc` clears) |
| `g` | jump to a pillar |
| `x` | clear every filter |
| `2` `3` `4` `h` | findings, readiness, export, home |

A filter is applied when it is chosen: a question you answer stays in the list until
you choose the filter again.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,j", "next_question", "Next question", group=MOVE),
        Binding("p,k", "previous_question", "Previous question", group=MOVE),
        Binding("u", "next_unanswered", "Unanswered", tooltip="The next unanswered question"),
        Binding("space", "toggle_choice", "Toggle", show=False),
        Binding("0", "none_of_these", "None", tooltip="None of these: no practice is in place"),
        Binding("a", "not_applicable", "N/A", tooltip="Not applicable, with a reason"),
        Binding("c", "confirm_answer", "Confirm answer"),
        Binding("e", "edit_notes", "Notes", tooltip="Edit the notes (saved as you type)"),
        Binding("l", "add_evidence", "Evidence link", show=False),
        Binding("r", "filter_role", "Role", tooltip="Only the questions of one stakeholder role"),
        Binding(
            "s", "filter_status", "Status", tooltip="Only unanswered questions, findings, N/A…"
        ),
        Binding("slash", "search", "Search", tooltip="Search the questions by text"),
        Binding("g", "jump_pillar", "Jump to pillar", show=False),
        Binding("x", "clear_filters", "Clear filters", show=False),
        Binding("escape", "leave_field", "Back to the practices", show=False),
        Binding("ctrl+s", "save_notes", "Save notes now", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(name="walkthrough")
        self.current: str | None = None
        self.shown: list[str] = []
        self.role: str | None = None
        self.status = StatusFilter.ALL
        self.search = ""
        self._pending: dict[str, str] = {}  # notes typed but not saved yet
        self._conflicted: set[str] = set()  # notes refused by a conflicting change on disk
        self._timer: Timer | None = None
        self._order: dict[str, int] = {}
        self._bindings_shown: tuple[bool, bool] | None = None

    def compose(self) -> ComposeResult:
        yield ReviewHeader("walk-through")
        with Horizontal(id="walk"):
            with Vertical(id="walk-left"):
                yield Input(placeholder="search questions…", id="search")
                yield Info(id="filter-line")
                yield QuestionTree(id="questions")
                yield Info(self._legend(), id="legend")
            yield QuestionView(id="question")
        yield Footer(compact=True)

    @staticmethod
    def _legend() -> Content:
        def item(mark: Mark, label: str) -> Content:
            return Content.assemble((MARK_GLYPH[mark], f"${MARK_VAR[mark]}"), f" {label}")

        first = [Mark.UNANSWERED, Mark.NO_RISK, Mark.MEDIUM, Mark.HIGH]
        second = [Mark.NOT_APPLICABLE, Mark.RECONFIRM]
        short = {Mark.MEDIUM: "medium", Mark.HIGH: "high", Mark.RECONFIRM: "re-confirm"}
        return Content("\n").join(
            Content("  ").join(item(m, short.get(m, MARK_LABEL[m])) for m in line)
            for line in (first, second)
        )

    # --- parts ---

    @property
    def qtree(self) -> QuestionTree:
        return self.query_one(QuestionTree)

    @property
    def view(self) -> QuestionView:
        return self.query_one(QuestionView)

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.refresh_view()
        self.query_one(ChoiceList).focus()

    def refresh_view(self) -> None:
        """Rebuild from the session (on coming back, after a reload)."""
        session = self.session
        self._order = {q.id: i for i, q in enumerate(session.questions)}
        self._rebuild()
        current = self.current if self.current in self._order else None
        if current is None:
            first = next(
                (q for q in self.shown if session.mark(q) is Mark.UNANSWERED),
                self.shown[0] if self.shown else None,
            )
            if first is not None:
                self.go_to(first)
            return
        self.qtree.show_question(current)
        self._show(current)

    # --- filtering ---

    def _matches_text(self, question: ChecklistQuestion, needle: str) -> bool:
        spec = question.spec
        answer = self.session.answer(question.id)
        haystack = [
            question.id,
            spec.title,
            spec.description or "",
            *spec.evidence,
            *spec.references,
            *spec.incidents,
            *spec.tags,
            *(c.title for c in question.choices),
            answer.notes if answer else "",
        ]
        return any(needle in text.lower() for text in haystack)

    def _compute_visible(self) -> list[str]:
        session = self.session
        needle = self.search.strip().lower()
        out: list[str] = []
        for question in session.questions:
            if self.role is not None and question.spec.owner_role != self.role:
                continue
            if not session.matches(question.id, self.status):
                continue
            if needle and not self._matches_text(question, needle):
                continue
            out.append(question.id)
        return out

    def _rebuild(self) -> None:
        session = self.session
        self.shown = self._compute_visible()
        shown = set(self.shown)
        groups = []
        for pillar in session.scope.pillars:
            questions = [q for q in pillar.questions if q.id in shown]
            if questions:
                groups.append((pillar, questions))
        marks = {qid: session.mark(qid) for qid in self.shown}
        progress = {p.id: (p.answered, p.total) for p in session.gate.pillars}
        self.qtree.rebuild(groups, marks, progress)
        self._show_filter_line()
        self.update_header()

    def _filter_words(self) -> list[str]:
        words: list[str] = []
        if self.role is not None:
            words.append(f"role: {self.session.role_name(self.role)}")
        if self.status is not StatusFilter.ALL:
            words.append(self.status.label)
        if self.search.strip():
            words.append(f'search "{self.search.strip()}"')
        return words

    def _show_filter_line(self) -> None:
        total = len(self.session.questions)
        words = self._filter_words()
        if words:
            text = Content.assemble(
                (f"{len(self.shown)} of {total}", "bold"),
                " · ",
                plain(" · ".join(words)),
            )
        else:
            unanswered = self.session.gate.counts["unanswered"]
            text = Content.assemble(
                (f"All {total} questions", "bold"), f" · {unanswered} unanswered"
            )
        line = self.query_one("#filter-line", Info)
        line.show(text)
        line.set_class(bool(words), "-filtered")

    # --- showing a question ---

    def _question_context(self, qid: str) -> QuestionContext:
        session = self.session
        question = session.question(qid)
        pillar = session.scope.pillar_of(qid)
        review = session.review
        in_view = self.shown.index(qid) + 1 if qid in self.shown else 0
        position = f"{in_view} / {len(self.shown)}" if in_view else "not in the filter"
        return QuestionContext(
            pillar_name=pillar.name if pillar else "",
            role_name=session.role_name(question.spec.owner_role),
            people=session.people_with(question.spec.owner_role),
            answer=session.answer(qid),
            risk=session.risk(qid),
            mitigations=[m for m in review.mitigations if m.question == qid],
            acceptances=[a for a in review.acceptances if a.question == qid],
            position=position,
            today=session.today,
        )

    def _show(self, qid: str) -> None:
        self.view.show(self.session.question(qid), self._question_context(qid))
        if qid in self._pending:
            self.view.replace_notes(self._pending[qid])
            if qid in self._conflicted:
                self._notes_conflict_state()
            else:
                self.view.set_notes_state("not saved yet")
        self._sync_bindings()

    def go_to(self, qid: str) -> None:
        """Show a question (saving notes typed on the one left)."""
        if qid == self.current:
            return
        self.flush_notes()
        self.current = qid
        self.qtree.show_question(qid)
        self._show(qid)

    @on(Tree.NodeHighlighted, "#questions")
    def _highlighted(self, event: Tree.NodeHighlighted[QuestionItem]) -> None:
        data = event.node.data
        if isinstance(data, QuestionItem) and data.qid != self.current:
            self.go_to(data.qid)

    @on(Tree.NodeSelected, "#questions")
    def _selected(self, event: Tree.NodeSelected[QuestionItem]) -> None:
        if isinstance(event.node.data, QuestionItem):
            self.query_one(ChoiceList).focus()

    def _after_change(self, qid: str) -> None:
        """Show what a change to one question did: its mark, the progress, the header."""
        session = self.session
        # Every mark, not only qid's: a save may have merged a teammate's answers from disk.
        for shown in self.shown:
            self.qtree.set_mark(shown, session.mark(shown))
        for stats in session.gate.pillars:
            self.qtree.set_progress(stats.id, stats.answered, stats.total)
        self._show_filter_line()
        self.update_header()
        if qid == self.current:
            self.view.update_context(self._question_context(qid))
        self._sync_bindings()

    # --- moving ---

    def _step(self, forward: bool) -> str | None:
        if not self.shown:
            return None
        if self.current is None:
            return self.shown[0]
        pos = self._order.get(self.current, -1)
        if forward:
            return next((q for q in self.shown if self._order[q] > pos), None)
        return next((q for q in reversed(self.shown) if self._order[q] < pos), None)

    def action_next_question(self) -> None:
        target = self._step(True)
        if target is None:
            self.notify("That was the last question in view.", timeout=2)
            return
        self.go_to(target)

    def action_previous_question(self) -> None:
        target = self._step(False)
        if target is None:
            self.notify("That was the first question in view.", timeout=2)
            return
        self.go_to(target)

    def action_next_unanswered(self) -> None:
        session = self.session
        if not self.shown:
            return
        pos = self._order.get(self.current or "", -1)
        ordered = sorted(self.shown, key=lambda q: (self._order[q] <= pos, self._order[q]))
        target = next((q for q in ordered if session.mark(q) is Mark.UNANSWERED), None)
        if target is None:
            outside = session.gate.counts["unanswered"]
            more = f" ({outside} outside the filter: x clears it)" if outside else ""
            self.notify(f"No unanswered question in view{more}.", timeout=4)
            return
        self.go_to(target)

    # --- answering ---

    def _toggle(self, qid: str, choice_id: str) -> None:
        self.change(lambda: self.session.toggle_choice(qid, choice_id), warnings=False)
        self._after_change(qid)

    @on(QuestionView.ChoiceToggled)
    def _choice_toggled(self, event: QuestionView.ChoiceToggled) -> None:
        self._toggle(event.qid, event.choice_id)

    def action_toggle_choice(self) -> None:
        choices = self.query_one(ChoiceList)
        if self.current is None or choices.highlighted is None:
            return
        value = choices.get_option_at_index(choices.highlighted).value
        self._toggle(self.current, value)

    def action_none_of_these(self) -> None:
        qid = self.current
        if qid is None:
            return
        if self.session.question(qid).none_choice_id is None:
            self.notify("This question has no “None of these” choice.", severity="warning")
            return
        self.change(lambda: self.session.select_none(qid), warnings=False)
        self._after_change(qid)

    def action_not_applicable(self) -> None:
        qid = self.current
        if qid is None:
            return
        answer = self.session.answer(qid)
        reason = answer.na_reason if answer and not answer.applicable else None
        note = answer.na_note if answer else ""

        def done(choice: NaChoice) -> None:
            self.change(
                lambda: self.session.set_not_applicable(qid, choice.reason, choice.note),
                warnings=False,
            )
            self._after_change(qid)

        self.app.push_screen(
            NotApplicableDialog(self.session.question(qid).title, reason, note),
            confirm_callback(done),
        )

    def action_confirm_answer(self) -> None:
        qid = self.current
        if qid is None:
            return
        self.change(
            lambda: self.session.confirm_answer(qid), done="Answer confirmed.", warnings=False
        )
        self._after_change(qid)

    def action_add_evidence(self) -> None:
        qid = self.current
        if qid is None:
            return

        def done(link: EvidenceLink) -> None:
            # No warnings: the finding's state is on screen (and the warning names CLI commands).
            self.change(
                lambda: self.session.add_evidence(qid, link.url, link.description),
                done="Evidence link added.",
                warnings=False,
            )
            self._after_change(qid)

        self.app.push_screen(
            EvidenceDialog(self.session.question(qid).title), confirm_callback(done)
        )

    def _binding_state(self) -> tuple[bool, bool]:
        answer = self.session.answer(self.current) if self.current else None
        return (answer is not None and answer.reconfirm, bool(self._filter_words()))

    def _sync_bindings(self) -> None:
        """Refresh the footer only when a key comes or goes (the footer is rebuilt each time)."""
        state = self._binding_state()
        if state != self._bindings_shown:
            self._bindings_shown = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm_answer":
            return self._binding_state()[0]
        if action == "clear_filters":
            return self._binding_state()[1] or None
        return True

    # --- notes: saved within NOTES_DELAY of the last keystroke and on leaving the field ---

    def action_edit_notes(self) -> None:
        self.query_one(NotesArea).focus()

    @on(QuestionView.NotesEdited)
    def _notes_edited(self, event: QuestionView.NotesEdited) -> None:
        answer = self.session.answer(event.qid)
        saved = answer.notes if answer else ""
        self._conflicted.discard(event.qid)
        if event.text == saved:
            self._pending.pop(event.qid, None)
            if event.qid == self.current:
                self.view.set_notes_state("")
            return
        self._pending[event.qid] = event.text
        if event.qid == self.current:
            self.view.set_notes_state("editing…")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(NOTES_DELAY, self.flush_notes, name="save notes")

    @on(QuestionView.NotesLeft)
    def _notes_left(self, event: QuestionView.NotesLeft) -> None:
        self.flush_notes()

    def action_save_notes(self) -> None:
        self._conflicted.clear()
        self.flush_notes()

    def has_pending_notes(self) -> bool:
        return any(q not in self._conflicted for q in self._pending)

    def flush_notes(self) -> None:
        """Save every note typed and not saved yet (not those refused by a conflict)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for qid, text in list(self._pending.items()):
            if qid in self._conflicted:
                continue
            self._save_notes(qid, text)

    def _save_notes(self, qid: str, text: str) -> None:
        try:
            self.session.set_notes(qid, text)
        except ConflictError as exc:
            self._conflicted.add(qid)
            self.notify(
                error_text(exc) + "\nYour notes are still in the field: edit them or press "
                "Ctrl+S there to save them over the other change.",
                title="Notes not saved",
                severity="error",
                timeout=15,
            )
            self._reloaded_under_notes()
            return
        except OrrError as exc:
            self.notify(error_text(exc), title="Notes not saved", severity="error")
            return
        self._pending.pop(qid, None)
        if qid == self.current:
            self.view.set_notes_state("saved")
        self._after_change(qid)

    def _notes_conflict_state(self) -> None:
        self.view.set_notes_state(
            "not saved: the answer changed on disk meanwhile — edit or Ctrl+S to save yours",
            problem=True,
        )

    def _reloaded_under_notes(self) -> None:
        """After a conflict the session holds the file's version: show it, keep typed notes."""
        self._rebuild()
        if self.current is not None:
            self._show(self.current)

    # --- filters, search, pillars ---

    def _apply_filters(self) -> None:
        self._rebuild()
        if self.current in self.shown:
            self.qtree.show_question(self.current)
            self.view.update_context(self._question_context(self.current))
        elif self.shown:
            self.go_to(self.shown[0])
        else:
            self.notify("No question matches the filter (x clears it).", timeout=3)

    def action_filter_role(self) -> None:
        session = self.session
        options: list[tuple[str, Content]] = [
            (ALL_ROLES, Content(f"All roles ({len(session.questions)} questions)"))
        ]
        for rid, role in session.checklist.manifest.roles.items():
            count = sum(1 for q in session.questions if q.spec.owner_role == rid)
            if not count:
                continue
            people = session.people_with(rid)
            label = Content.assemble(
                plain(role.name),
                f" — {count} question(s)",
                (" · " + safe(", ".join(people)), "$foreground-muted") if people else "",
            )
            options.append((rid, label))

        def done(picked: str) -> None:
            self.role = None if picked == ALL_ROLES else picked
            self._apply_filters()

        self.app.push_screen(
            PickerDialog("Walk one role through its questions", options, self.role or ALL_ROLES),
            confirm_callback(done),
        )

    def action_filter_status(self) -> None:
        session = self.session
        options = []
        for status in StatusFilter:
            count = sum(1 for q in session.questions if session.matches(q.id, status))
            options.append((status.value, Content(f"{status.label} ({count})")))

        def done(picked: str) -> None:
            self.status = StatusFilter(picked)
            self._apply_filters()

        self.app.push_screen(
            PickerDialog("Show questions that are…", options, self.status.value),
            confirm_callback(done),
        )

    def action_clear_filters(self) -> None:
        self.role = None
        self.status = StatusFilter.ALL
        self.search = ""
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self._apply_filters()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value != self.search:
            self.search = event.value
            self._apply_filters()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(ChoiceList).focus()

    def action_leave_field(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            search.value = ""
            search.display = False
            if self.search:
                self.search = ""
                self._apply_filters()
        self.query_one(ChoiceList).focus()

    def action_jump_pillar(self) -> None:
        session = self.session
        options = [
            (
                p.id,
                Content.assemble(
                    plain(p.name), (f"  {p.answered}/{p.total} answered", "$foreground-muted")
                ),
            )
            for p in session.gate.pillars
        ]
        current = session.scope.pillar_of(self.current) if self.current else None

        def done(pillar_id: str) -> None:
            target = self.qtree.pillar_first_question(pillar_id)
            if target is None:
                self.action_clear_filters()
                target = self.qtree.pillar_first_question(pillar_id)
            if target is not None:
                self.go_to(target)

        self.app.push_screen(
            PickerDialog("Jump to a pillar", options, current.id if current else None),
            confirm_callback(done),
        )

    # --- leaving ---

    def on_screen_suspend(self) -> None:
        self.flush_notes()

    def on_unmount(self) -> None:
        """The app is closing: save what was typed, without touching the widgets any more."""
        if self._timer is not None:
            self._timer.stop()
        session = self.orr.session
        for qid, text in list(self._pending.items()):
            if qid in self._conflicted or session is None:
                continue
            try:
                session.set_notes(qid, text)
            except OrrError:
                continue  # nothing to show it on any more; the file keeps the last save
            self._pending.pop(qid, None)

    def show_question(self, qid: str) -> None:
        """Open a question from another screen (clears filters that would hide it)."""
        if qid not in self._order:
            return
        if qid not in self.shown:
            self.action_clear_filters()
        self.go_to(qid)
