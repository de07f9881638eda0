"""The walk-through: pillars and questions on the left, the question on the right.

The filters (a stakeholder role, a status, a search) are reactives; a change to any of them
applies them once, after the current refresh. The tree follows the question shown, and the
question follows the tree only when the user moves the tree's cursor: a highlight the program
caused (or one that is stale by the time it arrives) moves nothing, so two questions can never
chase each other and a key always acts on the question on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Input, Tree

from orr.checklist.model import ChecklistQuestion
from orr.i18n import _
from orr.review.kinds import Mark, StatusFilter
from orr.tui.notes import NotesKeeper
from orr.tui.screens.base import SCREEN_BINDINGS, ReviewScreen
from orr.tui.text import MARK_GLYPH, MARK_LABEL, MARK_VAR, STATUS_FILTER_LABEL, plain, safe
from orr.tui.widgets.footer import KeysFooter
from orr.tui.widgets.header import ReviewHeader
from orr.tui.widgets.info import Info
from orr.tui.widgets.question_tree import QuestionItem, QuestionTree
from orr.tui.widgets.question_view import ChoiceList, QuestionContext, QuestionView

if TYPE_CHECKING:
    from orr.tui.dialogs.answer import EvidenceLink, NaChoice

MOVE = Binding.Group(_("Move"))
SHORT = 30  # rows: below this the question's description and evidence start hidden (d)
ALL_ROLES = "*"


class WalkthroughScreen(ReviewScreen):
    """Walk the stakeholders through the checklist, question by question."""

    HELP = _(
        """\
# Walk-through

The pillars and questions are on the left, each with its mark:
`○` unanswered, `●` answered with no risk, `▲` medium risk, `■` high risk,
`–` not applicable, `↻` the question changed since it was answered (re-confirm it).
The question is on the right: what to ask, the evidence to ask for, and the practices
the team can claim: `[x]` in place, `[ ]` not, `[-]` does not apply here.
Every change is saved at once, in the name of the person at the keyboard (`i` changes it).

A filter is applied when it is chosen: a question you answer stays in the list until
you choose the filter again.
"""
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,j", "next_question", _("Next"), group=MOVE, id="walk.next"),
        Binding("p,k", "previous_question", _("Previous"), group=MOVE, id="walk.previous"),
        Binding(
            "u",
            "next_unanswered",
            _("Unanswered"),
            tooltip=_("The next unanswered question"),
            id="walk.unanswered",
        ),
        Binding(
            "0",
            "none_of_these",
            _("None"),
            tooltip=_("None of these: no practice is in place"),
            id="walk.none",
        ),
        Binding(
            "a",
            "not_applicable",
            _("N/A"),
            tooltip=_("The question does not apply, with a reason"),
            id="walk.na",
        ),
        Binding(
            "A",
            "practice_na",
            _("Practice N/A"),
            tooltip=_("The highlighted practice does not apply (or applies again)"),
            id="walk.practice_na",
        ),
        Binding("c", "confirm_answer", _("Confirm answer"), id="walk.confirm"),
        Binding(
            "e",
            "edit_notes",
            _("Notes"),
            tooltip=_("Edit the notes (saved as you type)"),
            id="walk.notes",
        ),
        Binding("l", "add_evidence", _("Add link"), show=False, id="walk.add_link"),
        Binding("L", "remove_evidence", _("Remove link"), show=False, id="walk.remove_link"),
        Binding(
            "v",
            "verify_evidence",
            _("Re-verify"),
            show=False,
            tooltip=_("The evidence links were checked today and still show the practice"),
            id="walk.verify",
        ),
        Binding(
            "r",
            "filter_role",
            _("Role"),
            tooltip=_("Only the questions of one stakeholder role"),
            id="walk.role",
        ),
        Binding(
            "s",
            "filter_status",
            _("Status"),
            tooltip=_("Only unanswered questions, findings, N/A…"),
            id="walk.status",
        ),
        Binding(
            "slash", "search", _("Search"), tooltip=_("Search the questions"), id="walk.search"
        ),
        Binding("g", "jump_pillar", _("Pillar"), show=False, id="walk.pillar"),
        Binding(
            "d",
            "toggle_details",
            _("Details"),
            show=False,
            tooltip=_("Show or hide the description and the evidence to ask for"),
            id="walk.details",
        ),
        Binding("x", "clear_filters", _("Clear filters"), show=False, id="walk.clear"),
        Binding("escape", "leave_field", _("Back to the practices"), show=False, id="walk.leave"),
        Binding("ctrl+s", "save_notes", _("Save notes now"), show=False, id="walk.save_notes"),
        *SCREEN_BINDINGS,
    ]

    # The description and evidence of the question; hidden by default on a short terminal so
    # that the practices are in view.
    details: reactive[bool] = reactive(True, init=False)
    role: reactive[str | None] = reactive(None, init=False)
    status: reactive[StatusFilter] = reactive(StatusFilter.ALL, init=False)
    search: reactive[str] = reactive("", init=False)

    def __init__(self) -> None:
        super().__init__(name="walkthrough")
        self.current: str | None = None
        self.shown: list[str] = []
        self._order: dict[str, int] = {}
        self._bindings_shown: tuple[bool, bool] | None = None
        self._filters_pending = False
        self._short = False
        self.notes = NotesKeeper(self)

    def compose(self) -> ComposeResult:
        yield ReviewHeader(_("walk-through"))
        with Horizontal(id="walk"):
            with Vertical(id="walk-left"):
                yield Input(placeholder=_("search questions…"), id="search")
                yield Info(id="filter-line")
                yield QuestionTree(id="questions")
                yield Info(self._legend(), id="legend")
            yield QuestionView(id="question")
        yield KeysFooter()

    @staticmethod
    def _legend() -> Content:
        def item(mark: Mark, label: str) -> Content:
            return Content.assemble((MARK_GLYPH[mark], f"${MARK_VAR[mark]}"), f" {label}")

        first = [Mark.UNANSWERED, Mark.NO_RISK, Mark.MEDIUM, Mark.HIGH]
        second = [Mark.NOT_APPLICABLE, Mark.RECONFIRM]
        short = {Mark.MEDIUM: _("medium"), Mark.HIGH: _("high"), Mark.RECONFIRM: _("re-confirm")}
        return Content("\n").join(
            Content("  ").join(item(m, short.get(m) or _(MARK_LABEL[m])) for m in line)
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
        self._short = self.size.height < SHORT
        self.details = not self._short
        self.set_class(self._short, "-short")
        self.view.set_brief(not self.details)
        self.refresh_view()
        self.query_one(ChoiceList).focus()

    def on_resize(self, event: events.Resize) -> None:
        short = event.size.height < SHORT
        if short != self._short:
            self._short = short
            self.set_class(short, "-short")
            self.details = not short

    def watch_details(self, details: bool) -> None:
        self.view.set_brief(not details)

    def action_toggle_details(self) -> None:
        self.details = not self.details

    def show_view(self) -> None:
        """Rebuild from the session (on coming back, after a reload, a theme change)."""
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

    # --- filtering: reactives, applied once ---

    def watch_role(self) -> None:
        self._filters_changed()

    def watch_status(self) -> None:
        self._filters_changed()

    def watch_search(self) -> None:
        self._filters_changed()

    def _filters_changed(self) -> None:
        if not self._filters_pending:
            self._filters_pending = True
            self.call_after_refresh(self._apply_filters)

    def _apply_filters(self) -> None:
        self._filters_pending = False
        self._rebuild()
        if self.current in self.shown:
            self.qtree.show_question(self.current)
            self.view.update_context(self._question_context(self.current))
        elif self.shown:
            self.go_to(self.shown[0])
        else:
            self.notify(_("No question matches the filter (x clears it)."), timeout=3)
        self._sync_bindings()

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
            words.append(_("role: {role}").format(role=self.session.role_name(self.role)))
        if self.status is not StatusFilter.ALL:
            words.append(_(STATUS_FILTER_LABEL[self.status]))
        if self.search.strip():
            words.append(_('search "{text}"').format(text=self.search.strip()))
        return words

    def _show_filter_line(self) -> None:
        total = len(self.session.questions)
        words = self._filter_words()
        if words:
            text = Content.assemble(
                (_("{shown} of {total}").format(shown=len(self.shown), total=total), "bold"),
                " · ",
                plain(" · ".join(words)),
            )
        else:
            unanswered = self.session.gate.counts["unanswered"]
            text = Content.assemble(
                (_("All {total} questions").format(total=total), "bold"),
                " · " + _("{count} unanswered").format(count=unanswered),
            )
        line = self.query_one("#filter-line", Info)
        line.show(text)
        line.set_class(bool(words), "-filtered")

    # --- showing a question ---

    def _question_context(self, qid: str) -> QuestionContext:
        session = self.session
        state = session.state(qid)
        question = state.question
        pillar = session.scope.pillar_of(qid)
        in_view = self.shown.index(qid) + 1 if qid in self.shown else 0
        position = f"{in_view} / {len(self.shown)}" if in_view else _("not in the filter")
        return QuestionContext(
            pillar_name=pillar.name if pillar else "",
            role_name=session.role_name(question.spec.owner_role),
            people=session.people_with(question.spec.owner_role),
            state=state,
            finding=session.gate.finding(qid),
            evidence=session.gate.evidence.get(qid),
            position=position,
            today=session.today,
        )

    def _show(self, qid: str) -> None:
        # The same question shown again (a reload, coming back) keeps what is being typed.
        keep = qid == self.view.qid and qid in self.notes.pending
        self.view.show(self._question_context(qid), keep_notes=keep)
        self.notes.shown(qid)
        self._sync_bindings()

    def go_to(self, qid: str) -> None:
        """Show a question (saving notes typed on the one left)."""
        if qid == self.current:
            return
        self.notes.flush()
        self.current = qid
        self.qtree.show_question(qid)
        self._show(qid)

    @on(Tree.NodeHighlighted, "#questions")
    def _highlighted(self, event: Tree.NodeHighlighted[QuestionItem]) -> None:
        tree = self.qtree
        # Only a move the user made in the tree moves the question: a highlight the program
        # caused (the tree following the question, a rebuild) or one that is stale by the time
        # it arrives is ignored.
        if not tree.has_focus or event.node is not tree.cursor_node:
            return
        data = event.node.data
        if isinstance(data, QuestionItem) and data.qid != self.current:
            self.go_to(data.qid)

    @on(Tree.NodeSelected, "#questions")
    def _selected(self, event: Tree.NodeSelected[QuestionItem]) -> None:
        if isinstance(event.node.data, QuestionItem):
            self.query_one(ChoiceList).focus()

    def after_change(self, qid: str | None = None) -> None:
        """Show what a change did: every mark (a save may have merged a teammate's answers),
        the progress, the header, the question on screen."""
        session = self.session
        for shown in self.shown:
            self.qtree.set_mark(shown, session.mark(shown))
        for stats in session.gate.pillars:
            self.qtree.set_progress(stats.id, stats.answered, stats.total)
        self._show_filter_line()
        self.update_header()
        if self.current is not None and self.current in self._order:
            self.view.update_context(self._question_context(self.current))
        self._sync_bindings()
        self.view_is_current()

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
            self.notify(_("That was the last question in view."), timeout=2)
            return
        self.go_to(target)

    def action_previous_question(self) -> None:
        target = self._step(False)
        if target is None:
            self.notify(_("That was the first question in view."), timeout=2)
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
            more = (
                " " + _("({count} outside the filter: x clears it)").format(count=outside)
                if outside
                else ""
            )
            self.notify(_("No unanswered question in view.") + more, timeout=4)
            return
        self.go_to(target)

    # --- answering ---

    def _toggle(self, qid: str, choice_id: str) -> None:
        self.change(
            lambda: self.session.toggle_choice(qid, choice_id),
            warnings=False,
            after=lambda: self.after_change(qid),
        )

    @on(QuestionView.ChoiceToggled)
    def _choice_toggled(self, event: QuestionView.ChoiceToggled) -> None:
        self._toggle(event.qid, event.choice_id)

    def action_toggle_choice(self) -> None:
        """Space in the question list toggles the practice highlighted on the right."""
        choices = self.query_one(ChoiceList)
        if self.current is None or choices.highlighted is None:
            return
        self._toggle(self.current, choices.value_at(choices.highlighted))

    def action_none_of_these(self) -> None:
        qid = self.current
        if qid is None:
            return
        if self.session.question(qid).none_choice_id is None:
            self.notify(_("This question has no “None of these” choice."), severity="warning")
            return
        self.change(
            lambda: self.session.select_none(qid),
            warnings=False,
            after=lambda: self.after_change(qid),
        )

    def action_not_applicable(self) -> None:
        from orr.tui.dialogs.answer import NotApplicableDialog
        from orr.tui.dialogs.base import confirm_callback

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
                after=lambda: self.after_change(qid),
            )

        self.app.push_screen(
            NotApplicableDialog(self.session.question(qid).title, reason, note),
            confirm_callback(done),
        )

    def action_practice_na(self) -> None:
        from orr.tui.dialogs.answer import NotApplicableDialog
        from orr.tui.dialogs.base import confirm_callback

        qid = self.current
        choices = self.query_one(ChoiceList)
        if qid is None or choices.highlighted is None:
            return
        question = self.session.question(qid)
        choice = question.choices[choices.highlighted]
        if choice.id == question.none_choice_id:
            self.notify(_("“None of these” is not a practice: it cannot be N/A."), timeout=4)
            return
        state = self.session.state(qid)
        if choice.id in state.na_practices:
            self.change(
                lambda: self.session.set_practice_na(qid, choice.id, None),
                done=_("The practice applies again."),
                warnings=False,
                after=lambda: self.after_change(qid),
            )
            return
        if not choice.waivable:
            self.notify(
                _("The checklist requires this practice of every workload: it cannot be N/A."),
                severity="warning",
            )
            return

        def done(result: NaChoice) -> None:
            self.change(
                lambda: self.session.set_practice_na(qid, choice.id, result.reason, result.note),
                warnings=False,
                after=lambda: self.after_change(qid),
            )

        self.app.push_screen(
            NotApplicableDialog(question.title, practice=choice.title), confirm_callback(done)
        )

    def action_confirm_answer(self) -> None:
        qid = self.current
        if qid is None:
            return
        self.change(
            lambda: self.session.confirm_answer(qid),
            done=_("Answer confirmed."),
            warnings=False,
            after=lambda: self.after_change(qid),
        )

    def action_add_evidence(self) -> None:
        from orr.tui.dialogs.answer import EvidenceDialog
        from orr.tui.dialogs.base import confirm_callback

        qid = self.current
        if qid is None:
            return

        def done(link: EvidenceLink) -> None:
            self.change(
                lambda: self.session.add_evidence(
                    qid, link.url, link.description, verified_on=link.verified_on
                ),
                done=_("Evidence link added."),
                warnings=False,
                after=lambda: self.after_change(qid),
            )

        self.app.push_screen(
            EvidenceDialog(self.session.question(qid).title, self.session.today),
            confirm_callback(done),
        )

    def action_verify_evidence(self) -> None:
        qid = self.current
        if qid is None:
            return
        self.change(
            lambda: self.session.verify_evidence(qid),
            done=_("Evidence verified today."),
            after=lambda: self.after_change(qid),
        )

    def action_remove_evidence(self) -> None:
        from orr.tui.dialogs.base import ConfirmDialog, PickerDialog, confirm_callback

        qid = self.current
        answer = self.session.answer(qid) if qid else None
        if qid is None or answer is None or not answer.evidence:
            self.notify(_("This question has no evidence link to remove."), timeout=3)
            return
        options = [
            (e.url, Content.assemble(safe(e.url), (" " + safe(e.description), "$foreground-muted")))
            for e in answer.evidence
        ]

        def picked(url: str) -> None:
            def confirmed(_yes: bool) -> None:
                self.change(
                    lambda: self.session.remove_evidence(qid, url),
                    done=_("Evidence link removed."),
                    after=lambda: self.after_change(qid),
                )

            self.app.push_screen(
                ConfirmDialog(
                    _("Remove the evidence link?"),
                    plain(url),
                    _("Remove"),
                ),
                confirm_callback(confirmed),
            )

        self.app.push_screen(
            PickerDialog(_("Which link to remove?"), options), confirm_callback(picked)
        )

    def _binding_state(self) -> tuple[bool, bool]:
        state = self.session.state(self.current) if self.current else None
        return (state is not None and state.reconfirm, bool(self._filter_words()))

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

    # --- notes (the keeper saves them; see orr.tui.notes) ---

    def action_edit_notes(self) -> None:
        self.view.edit_notes()

    @on(QuestionView.NotesEdited)
    def _notes_edited(self, event: QuestionView.NotesEdited) -> None:
        self.notes.edited(event.qid, event.text)

    @on(QuestionView.NotesLeft)
    def _notes_left(self, event: QuestionView.NotesLeft) -> None:
        self.notes.flush()

    def action_save_notes(self) -> None:
        self.notes.save_now(self.current)

    def flush_notes(self) -> None:
        self.notes.flush()

    # --- filters, search, pillars ---

    def action_filter_role(self) -> None:
        from orr.tui.dialogs.base import PickerDialog, confirm_callback

        session = self.session
        options: list[tuple[str, Content]] = [
            (
                ALL_ROLES,
                Content(_("All roles ({count} questions)").format(count=len(session.questions))),
            )
        ]
        for rid, role in session.checklist.manifest.roles.items():
            count = sum(1 for q in session.questions if q.spec.owner_role == rid)
            if not count:
                continue
            people = session.people_with(rid)
            label = Content.assemble(
                plain(role.name),
                " — " + _("{count} question(s)").format(count=count),
                (" · " + safe(", ".join(people)), "$foreground-muted") if people else "",
            )
            options.append((rid, label))

        def done(picked: str) -> None:
            self.role = None if picked == ALL_ROLES else picked

        self.app.push_screen(
            PickerDialog(_("Walk one role through its questions"), options, self.role or ALL_ROLES),
            confirm_callback(done),
        )

    def action_filter_status(self) -> None:
        from orr.tui.dialogs.base import PickerDialog, confirm_callback

        session = self.session
        options = []
        for status in StatusFilter:
            count = sum(1 for q in session.questions if session.matches(q.id, status))
            options.append((status.value, Content(f"{_(STATUS_FILTER_LABEL[status])} ({count})")))

        def done(picked: str) -> None:
            self.status = StatusFilter(picked)

        self.app.push_screen(
            PickerDialog(_("Show questions that are…"), options, self.status.value),
            confirm_callback(done),
        )

    def action_clear_filters(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.role = None
        self.status = StatusFilter.ALL
        self.search = ""

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(ChoiceList).focus()

    def action_leave_field(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            search.value = ""
            search.display = False
            self.search = ""
        self.query_one(ChoiceList).focus()

    def action_jump_pillar(self) -> None:
        from orr.tui.dialogs.base import PickerDialog, confirm_callback

        session = self.session
        options = [
            (
                p.id,
                Content.assemble(
                    plain(p.name),
                    (
                        "  "
                        + _("{answered}/{total} answered").format(
                            answered=p.answered, total=p.total
                        ),
                        "$foreground-muted",
                    ),
                ),
            )
            for p in session.gate.pillars
        ]
        current = session.scope.pillar_of(self.current) if self.current else None

        def done(pillar_id: str) -> None:
            target = self.qtree.pillar_first_question(pillar_id)
            if target is not None:
                self.go_to(target)
                return
            # The pillar is filtered out: clear the filters, then go there once they apply.
            self.action_clear_filters()

            def go() -> None:
                found = self.qtree.pillar_first_question(pillar_id)
                if found is not None:
                    self.go_to(found)

            self.call_after_refresh(go)

        self.app.push_screen(
            PickerDialog(_("Jump to a pillar"), options, current.id if current else None),
            confirm_callback(done),
        )

    # --- leaving ---

    def on_screen_suspend(self) -> None:
        self.notes.flush()

    def on_unmount(self) -> None:
        """The app is closing: save what was typed, without touching the widgets any more."""
        self.notes.save_on_exit()

    def show_question(self, qid: str) -> None:
        """Open a question from another screen (clears filters that would hide it)."""
        if qid not in self._order:
            return
        if qid not in self.shown:
            self.action_clear_filters()
            self.call_after_refresh(lambda: self.go_to(qid))
            return
        self.go_to(qid)

    def walk(self, role: str | None, status: StatusFilter) -> None:
        """Walk one role through its questions with a status (from another screen)."""
        self.role = role
        self.status = status
