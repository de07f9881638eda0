"""Findings and mitigations: every finding with its risk, mitigations and risk acceptances."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from orr.checklist.rules import Risk
from orr.i18n import _
from orr.review.kinds import Mark, MitigationStatus
from orr.review.model import Mitigation, RiskAcceptance
from orr.review.state import (
    Finding,
    FindingStatus,
    LaunchEffect,
    acceptance_valid,
    is_open,
    is_overdue,
)
from orr.tui.dialogs.base import confirm_callback
from orr.tui.dialogs.findings import (
    AcceptanceDialog,
    AcceptanceForm,
    MitigationDialog,
    MitigationForm,
    WithdrawDialog,
)
from orr.tui.screens.base import SCREEN_BINDINGS, ReviewScreen
from orr.tui.text import MARK_GLYPH, RISK_LABEL, STATUS_LABEL, Palette, cell, fill, plain, safe
from orr.tui.widgets.footer import KeysFooter
from orr.tui.widgets.header import ReviewHeader
from orr.tui.widgets.table import FixedTable

NARROW = 100  # below this many columns the question id moves to the detail box


class FindingsScreen(ReviewScreen):
    """Every finding: its risk, what is done about it, who, by when, whether it blocks."""

    HELP = _(
        """\
# Findings and mitigations

A *finding* is an applicable question whose answer carries a HIGH or MEDIUM risk.
Each finding is listed with its mitigations (action items) and risk acceptances under it.
A HIGH finding blocks the launch until a mitigation is **done** or a risk acceptance is
recorded; a mitigation marked *blocking* blocks the launch until it is done. Overdue due
dates are shown in red. A mitigation recorded by mistake is withdrawn: it stays in the review
with its history and no longer counts.
"""
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "add_mitigation", _("Mitigate"), id="findings.mitigate"),
        Binding("e", "edit_mitigation", _("Edit"), id="findings.edit"),
        Binding("d", "mark_done", _("Done"), id="findings.done"),
        Binding("a", "accept_risk", _("Accept risk"), id="findings.accept"),
        Binding("x", "withdraw", _("Withdraw"), id="findings.withdraw"),
        Binding(
            "w",
            "open_question",
            _("Walk to it"),
            tooltip=_("The question in the walk-through"),
            id="findings.walk",
        ),
        Binding("home", "first_row", _("First"), show=False, id="findings.first"),
        Binding("end", "last_row", _("Last"), show=False, id="findings.last"),
        *SCREEN_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__(name="findings")
        self._narrow: bool | None = None

    def compose(self) -> ComposeResult:
        yield ReviewHeader(_("findings"))
        yield Static("", id="findings-summary", markup=False)
        yield FixedTable(id="findings-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="findings-detail", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._layout(self.size.width or 120)
        self.query_one(DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        narrow = width < NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        table = self.query_one(DataTable)
        table.clear(columns=True)
        title = max(16, width - (8 + 9 + 10 + 10 + 9) - 2 * 6 - 6) if narrow else 34
        table.add_column(_("Risk"), key="risk", width=8)
        if not narrow:
            table.add_column(_("Question"), key="question", width=18)
        table.add_column(_("Finding / action"), key="title", width=title)
        table.add_column(_("Status"), key="status", width=9 if narrow else 11)
        table.add_column(_("Owner"), key="owner", width=10 if narrow else 14)
        table.add_column(_("Due"), key="due", width=10 if narrow else 12)
        table.add_column(_("Launch"), key="launch", width=9)
        self.refresh_view()

    # --- building ---

    def _row(
        self,
        table: DataTable[Text],
        key: str,
        risk: Text,
        question: Text,
        title: Text,
        status: Text,
        owner: Text,
        due: Text,
        launch: Text,
    ) -> None:
        cells = [risk, title, status, owner, due, launch]
        if not self._narrow:
            cells.insert(1, question)
        table.add_row(*cells, key=key)

    def show_view(self) -> None:
        if self._narrow is None:
            return
        session = self.session
        review = session.review
        gate = session.gate
        palette = Palette(self.app)
        table = self.query_one(DataTable)
        keep = self._row_key()
        table.clear()
        for finding in gate.findings:
            self._add_finding(table, palette, finding)
            for m in finding.mitigations:
                self._add_mitigation(table, palette, m)
            for a in finding.acceptances:
                self._add_acceptance(table, palette, a)
        # Mitigations of questions that are no longer findings stay visible (they may block).
        finding_ids = {f.question_id for f in gate.findings}
        orphans = [m for m in review.mitigations if m.question not in finding_ids]
        if orphans:
            blank = Text("")
            self._row(
                table,
                "h:orphans",
                blank,
                Text(_("other"), style=palette.muted),
                Text(_("mitigations of questions that are not findings now"), style=palette.muted),
                blank,
                blank,
                blank,
                blank,
            )
            for m in orphans:
                self._add_mitigation(table, palette, m)
        counts = gate.counts
        overdue = counts["mitigations_overdue"]
        summary = Content.assemble(
            (_("{count} finding(s)").format(count=counts["findings"]), "bold"),
            ": "
            + _("{high} high, {medium} medium · {open} mitigation(s) open").format(
                high=counts["high"], medium=counts["medium"], open=counts["mitigations_open"]
            ),
            (
                (" (" + _("{count} overdue").format(count=overdue) + ")", "$text-error bold")
                if overdue
                else ""
            ),
            " · " + _("{count} risk acceptance(s)").format(count=counts["acceptances"]),
        )
        if not gate.findings:
            summary = Content.assemble(
                summary,
                ("  —  " + _("no findings: answers with a risk show up here"), "$foreground-muted"),
            )
        self.query_one("#findings-summary", Static).update(summary)
        self.update_header()
        self._restore(keep)
        self._show_detail()

    def _add_finding(self, table: DataTable[Text], palette: Palette, finding: Finding) -> None:
        session = self.session
        mark = Mark.HIGH if finding.risk is Risk.HIGH_RISK else Mark.MEDIUM
        status, status_style = {
            FindingStatus.MITIGATED: (_("mitigated"), palette.style("text-success")),
            FindingStatus.ACCEPTED: (_("accepted"), palette.style("text-warning")),
            FindingStatus.PLANNED: (
                _("{count} open").format(count=len(finding.pending)),
                palette.style("foreground"),
            ),
            FindingStatus.NO_PLAN: (_("no plan"), palette.style("text-error", bold=True)),
        }[finding.status]
        launch, launch_style = {
            LaunchEffect.BLOCKS: (_("blocks"), palette.style("text-error", bold=True)),
            LaunchEffect.HANDLED: (_("handled"), palette.style("text-success")),
            LaunchEffect.CONDITION: (_("condition"), palette.style("text-warning")),
        }[finding.effect]
        people = session.people_with(finding.owner_role)
        owner = ", ".join(people) or session.role_name(finding.owner_role)
        self._row(
            table,
            f"f:{finding.question_id}",
            Text(
                f"{MARK_GLYPH[mark]} {_(RISK_LABEL[finding.risk])}",
                style=palette.risk(finding.risk),
            ),
            cell(finding.question_id, style="bold"),
            cell(finding.title),
            Text(status, style=status_style),
            cell(owner),
            self._due_cell(palette, finding.due, overdue=finding.overdue),
            Text(launch, style=launch_style),
        )

    def _due_cell(self, palette: Palette, due: date | None, *, overdue: bool) -> Text:
        if due is None:
            return Text("—", style=palette.muted)
        text = due.isoformat()
        if overdue:
            return Text(text + " !", style=palette.style("text-error", bold=True))
        return Text(text)

    def _add_mitigation(self, table: DataTable[Text], palette: Palette, m: Mitigation) -> None:
        today = self.session.today
        done = m.status is MitigationStatus.DONE
        withdrawn = m.status is MitigationStatus.WITHDRAWN
        if done:
            status_style = palette.style("text-success")
        elif withdrawn:
            status_style = palette.muted
        else:
            status_style = palette.style("foreground")
        if m.blocking and is_open(m):
            launch = Text(_("blocking"), style=palette.style("text-error"))
        elif m.blocking and not withdrawn:
            launch = Text(_("blocking"), style=palette.muted)
        else:
            launch = Text("—", style=palette.muted)
        title = Text.assemble(
            ("└ ", palette.muted), cell(m.title), no_wrap=True, overflow="ellipsis"
        )
        if withdrawn:
            title.stylize("strike")
        self._row(
            table,
            f"m:{m.id}",
            Text(""),
            Text(f"  {m.id}", style=palette.muted),
            title if not self._narrow else Text.assemble((f"{m.id} ", palette.muted), title),
            Text(_(STATUS_LABEL[m.status]), style=status_style),
            cell(m.owner),
            self._due_cell(palette, m.due, overdue=is_overdue(m, today)),
            launch,
        )

    def _add_acceptance(self, table: DataTable[Text], palette: Palette, a: RiskAcceptance) -> None:
        valid = acceptance_valid(a, self.session.today)
        self._row(
            table,
            f"a:{a.id}",
            Text(""),
            Text(f"  {a.id}", style=palette.muted),
            Text.assemble(
                ("└ " + _("accepted: "), palette.muted),
                cell(a.rationale),
                no_wrap=True,
                overflow="ellipsis",
            ),
            Text(
                _("accepted") if valid else _("expired"),
                style=palette.style("text-warning" if valid else "text-error"),
            ),
            cell(a.approver),
            Text(
                a.expires.isoformat(),
                style=palette.style("text-error") if not valid else palette.style("foreground"),
            ),
            Text("—", style=palette.muted),
        )

    # --- the highlighted row ---

    def _row_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return str(key.value) if key.value is not None else None

    def _restore(self, key: str | None) -> None:
        table = self.query_one(DataTable)
        if key is None or table.row_count == 0:
            return
        try:
            index = table.get_row_index(key)
        except Exception:
            return
        table.move_cursor(row=index, animate=False)

    def action_first_row(self) -> None:
        self.query_one(DataTable).move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False)

    def _selected(self) -> tuple[str, str] | None:
        key = self._row_key()
        if key is None or ":" not in key:
            return None
        kind, _sep, ident = key.partition(":")
        return kind, ident

    def _finding_of_row(self) -> str | None:
        """The question id of the finding the highlighted row belongs to."""
        picked = self._selected()
        if picked is None:
            return None
        kind, ident = picked
        review = self.session.review
        if kind == "f":
            return ident
        if kind == "m":
            m = review.mitigation(ident)
            return m.question if m else None
        if kind == "a":
            a = review.acceptance(ident)
            return a.question if a else None
        return None

    def _mitigation_of_row(self, *, open_only: bool = False) -> Mitigation | None:
        picked = self._selected()
        if picked is None:
            return None
        kind, ident = picked
        review = self.session.review
        if kind == "m":
            return review.mitigation(ident)
        if kind == "f":
            candidates = [
                m
                for m in review.mitigations
                if m.question == ident and (not open_only or is_open(m))
            ]
            if len(candidates) == 1:
                return candidates[0]
        return None

    @on(DataTable.RowHighlighted)
    def _highlight(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#findings-detail", Static)
        picked = self._selected()
        session = self.session
        review = session.review
        if picked is None:
            detail.update(
                Content.styled(
                    _("Answer questions in the walk-through (1): findings appear here."),
                    "$foreground-muted",
                )
                if not session.gate.findings
                else ""
            )
            return
        kind, ident = picked
        parts: list[str | Content | tuple[str, str]] = []
        if kind == "f":
            state = session.state(ident)
            parts += [(f"{ident}  ", "bold"), plain(state.question.title)]
            answer = state.answer
            if answer and answer.notes:
                parts += ["\n", (_("Notes: "), "bold"), plain(answer.notes)]
            missing = [c.title for c in state.missing]
            if missing:
                parts += ["\n", (_("Missing: "), "bold"), plain("; ".join(missing[:4]))]
                if len(missing) > 4:
                    parts.append(" " + _("(+{count} more)").format(count=len(missing) - 4))
            waived = [c.title for c in state.question.choices if c.id in state.na_practices]
            if waived:
                parts += ["\n", (_("Not applicable: "), "bold"), plain("; ".join(waived))]
        elif kind == "m" and (m := review.mitigation(ident)) is not None:
            parts += [(f"{m.id}  ", "bold"), plain(m.title)]
            if m.ticket:
                parts += ["\n", (_("Ticket: "), "bold"), (safe(m.ticket), "underline")]
            if m.notes:
                parts += ["\n", (_("Notes: "), "bold"), plain(m.notes)]
            parts += [
                "\n",
                fill(
                    _("updated {date} by {name}"),
                    "$foreground-muted",
                    date=(m.updated_at.date().isoformat(), "$foreground-muted"),
                    name=plain(m.updated_by),
                ),
            ]
        elif kind == "a" and (a := review.acceptance(ident)) is not None:
            parts += [
                (f"{a.id}  ", "bold"),
                fill(
                    _("accepted by {approver} ({role}) until {date}"),
                    approver=plain(a.approver),
                    role=session.role_name(a.role),
                    date=a.expires.isoformat(),
                ),
            ]
            parts += ["\n", (_("Rationale: "), "bold"), plain(a.rationale)]
            if a.compensating_controls:
                parts += [
                    "\n",
                    (_("Compensating controls: "), "bold"),
                    plain(a.compensating_controls),
                ]
        detail.update(Content.assemble(*parts))

    # --- actions ---

    def _subject(self, qid: str) -> str:
        return f"{qid}: {self.session.question(qid).title}"

    def action_add_mitigation(self) -> None:
        qid = self._finding_of_row()
        if qid is None:
            self.notify(_("Highlight a finding first."), severity="warning")
            return
        session = self.session
        question = session.question(qid)
        people = session.people_with(question.spec.owner_role)

        def done(form: MitigationForm) -> None:
            self.change(
                lambda: session.add_mitigation(
                    qid,
                    title=form.title,
                    owner=form.owner,
                    due=form.due,
                    status=form.status,
                    blocking=form.blocking,
                    ticket=form.ticket,
                    notes=form.notes,
                ),
                done=_("Mitigation added."),
                after=self.refresh_view,
            )

        self.app.push_screen(
            MitigationDialog(
                self._subject(qid),
                blocking=session.risk(qid) is Risk.HIGH_RISK,
                people=[s.name for s in session.review.stakeholders],
                owner=people[0] if people else "",
                due=self._default_due(),
                launch=session.review.workload.launch_date,
            ),
            confirm_callback(done),
        )

    def _default_due(self) -> date:
        """Before launch: the launch date, or a week from today once it has passed."""
        launch = self.session.review.workload.launch_date
        today = self.session.today
        return launch if launch > today else today + timedelta(days=7)

    def action_edit_mitigation(self) -> None:
        m = self._mitigation_of_row()
        if m is None:
            self.notify(_("Highlight a mitigation first."), severity="warning")
            return
        session = self.session
        mid = m.id

        def done(form: MitigationForm) -> None:
            current = session.review.mitigation(mid)
            if current is None:
                return
            changes = {
                k: v
                for k, v in {
                    "title": form.title,
                    "owner": form.owner,
                    "due": form.due,
                    "status": form.status,
                    "blocking": form.blocking,
                    "ticket": form.ticket,
                    "notes": form.notes,
                }.items()
                if getattr(current, k) != v
            }
            if not changes:
                return
            self.change(
                lambda: session.update_mitigation(mid, **changes),
                done=_("{id} saved.").format(id=mid),
                after=self.refresh_view,
            )

        self.app.push_screen(
            MitigationDialog(
                self._subject(m.question),
                existing=m,
                people=[s.name for s in session.review.stakeholders],
                launch=session.review.workload.launch_date,
            ),
            confirm_callback(done),
        )

    def action_mark_done(self) -> None:
        m = self._mitigation_of_row(open_only=True)
        if m is None:
            self.notify(_("Highlight the mitigation to mark done."), severity="warning")
            return
        if not is_open(m):
            self.notify(
                _("{id} is already {status}.").format(id=m.id, status=_(STATUS_LABEL[m.status])),
                timeout=2,
            )
            return
        mid = m.id
        self.change(
            lambda: self.session.mark_done(mid),
            done=_("{id} is done.").format(id=mid),
            after=self.refresh_view,
        )

    def action_withdraw(self) -> None:
        m = self._mitigation_of_row()
        if m is None:
            self.notify(_("Highlight the mitigation to withdraw."), severity="warning")
            return
        if m.status is MitigationStatus.WITHDRAWN:
            self.notify(_("{id} is already withdrawn.").format(id=m.id), timeout=2)
            return
        mid = m.id

        def done(reason: str) -> None:
            self.change(
                lambda: self.session.withdraw_mitigation(mid, reason),
                done=_("{id} withdrawn.").format(id=mid),
                after=self.refresh_view,
            )

        self.app.push_screen(
            WithdrawDialog(f"{m.id}: {m.title} ({self._subject(m.question)})"),
            confirm_callback(done),
        )

    def action_accept_risk(self) -> None:
        qid = self._finding_of_row()
        if qid is None:
            self.notify(_("Highlight a finding first."), severity="warning")
            return
        session = self.session
        roles = [(rid, r.name) for rid, r in session.checklist.manifest.roles.items()]
        default_role = "owner" if "owner" in session.checklist.manifest.roles else roles[0][0]
        approvers = session.people_with(default_role)
        launch = session.review.workload.launch_date
        expires = max(launch, session.today) + timedelta(days=90)

        def done(form: AcceptanceForm) -> None:
            self.change(
                lambda: session.add_acceptance(
                    qid,
                    approver=form.approver,
                    role=form.role,
                    rationale=form.rationale,
                    controls=form.controls,
                    expires=form.expires,
                ),
                done=_("Risk acceptance recorded."),
                after=self.refresh_view,
            )

        self.app.push_screen(
            AcceptanceDialog(
                self._subject(qid),
                roles=roles,
                role=default_role,
                people=[s.name for s in session.review.stakeholders],
                approver=approvers[0] if approvers else "",
                today=session.today,
                expires=expires,
            ),
            confirm_callback(done),
        )

    def action_open_question(self) -> None:
        qid = self._finding_of_row()
        if qid is not None:
            self.orr.show_question(qid)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        picked = self._selected()
        if picked is None:
            return
        if picked[0] == "m":
            self.action_edit_mitigation()
        else:
            self.action_open_question()
