"""Launch readiness: the verdict, what blocks it, per-pillar progress, the sign-off matrix, and
the review's own facts (the workload, the stakeholders) to correct."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from orr.i18n import _
from orr.review.gate import FINDING_KINDS, SIGNOFF_KINDS, GateItem
from orr.review.kinds import BlockerKind, Decision, StatusFilter
from orr.review.session import NothingToRebase, Outcome
from orr.review.state import SignoffStatus
from orr.tui.dialogs.base import confirm_callback
from orr.tui.dialogs.review import (
    SignOffDialog,
    SignOffForm,
    StakeholderChange,
    StakeholdersDialog,
    WorkloadDialog,
)
from orr.tui.screens.base import SCREEN_BINDINGS, ReviewScreen
from orr.tui.text import KIND_LABEL, VERDICT_CLASS, Palette, cell, days_phrase, safe
from orr.tui.widgets.footer import KeysFooter
from orr.tui.widgets.header import ReviewHeader
from orr.tui.widgets.table import FixedTable

BAR_WIDTH = 8
NARROW = 110  # below this many columns the pillars and sign-offs stack


@dataclass(frozen=True)
class Target:
    """Where Enter on a gate line leads."""

    question: str | None = None
    role: str | None = None
    unanswered: bool = False
    signoff: bool = False
    findings: bool = False


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    if total <= 0:
        return "·" * width
    filled = round(width * done / total)
    return "█" * filled + "░" * (width - filled)


def item_widths(total: int) -> tuple[int, int, int, int, int]:
    """Column widths of a gate table in ``total`` columns: what, subject, owner, due, and the
    rest for what to do (wrapped on a wide terminal; on a narrow one, one line with the whole
    text in the detail box under the table)."""
    kind, subject, owner, due = (16, 20, 13, 10) if total >= NARROW - 4 else (12, 13, 8, 10)
    gaps = 2 * 5  # each DataTable column pads one cell on each side
    todo = max(12, total - kind - subject - owner - due - gaps - 2)
    return kind, subject, owner, due, todo


class ReadinessScreen(ReviewScreen):
    """Is the launch ready? The verdict with everything that stands between the team and READY."""

    HELP = _(
        """\
# Launch readiness

The verdict is computed live from the review, the same as `orr status`:

* **NOT READY** — an applicable question is unanswered, a not-applicable answer has no reason,
  a HIGH finding has neither a done mitigation nor a valid risk acceptance, a blocking
  mitigation is not done, or a required sign-off is missing, stale or a rejection.
* **READY WITH CONDITIONS** — not blocked, but MEDIUM findings, open non-blocking
  mitigations or risk acceptances remain.
* **READY** — nothing left.

A finding is one line, with its open mitigations under it. An approval becomes *stale* when
any answer (or note) changes after it: sign again. Enter on a line goes to what it is about.
"""
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sign('approve')", _("Approve"), id="readiness.approve"),
        Binding("x", "sign('reject')", _("Reject"), id="readiness.reject"),
        Binding("w", "edit_workload", _("Workload"), id="readiness.workload"),
        Binding("o", "edit_people", _("People"), id="readiness.people"),
        Binding("b", "rebase", _("Rebase"), id="readiness.rebase"),
        *SCREEN_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__(name="readiness")
        self._targets: dict[str, Target] = {}
        self._items: dict[str, GateItem] = {}
        self._widths: tuple[int, int, int, int, int] | None = None
        self._narrow = False

    def compose(self) -> ComposeResult:
        yield ReviewHeader(_("readiness"))
        with VerticalScroll(id="readiness"):
            with Horizontal(id="verdict-row"):
                yield Static("", id="verdict", markup=False)
                yield Static("", id="verdict-facts", markup=False)
            yield Static("", id="signoff-line", markup=False)
            yield Static("", id="blockers-title", classes="section", markup=False)
            yield FixedTable(id="blockers", cursor_type="row")
            yield Static("", id="item-detail", markup=False)
            yield Static("", id="conditions-title", classes="section", markup=False)
            yield FixedTable(id="conditions", cursor_type="row")
            with Horizontal(id="readiness-bottom"):
                with Vertical(id="signoffs-box"):
                    yield Static(Content(_("Sign-offs")), classes="section")
                    yield FixedTable(id="signoffs", cursor_type="row")
                with Vertical(id="pillars-box"):
                    yield Static(Content(_("Pillars")), classes="section")
                    yield FixedTable(id="pillars", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        pillars = self.query_one("#pillars", DataTable)
        pillars.add_column(_("Pillar"), key="name", width=18)
        pillars.add_column(_("Answered"), key="progress", width=BAR_WIDTH + 6)
        pillars.add_column(_("High"), key="high", width=4)
        pillars.add_column(_("Med"), key="medium", width=3)
        pillars.add_column(_("N/A"), key="na", width=3)
        signoffs = self.query_one("#signoffs", DataTable)
        signoffs.add_column(_("Role"), key="role", width=18)
        signoffs.add_column(_("Name"), key="name", width=14)
        signoffs.add_column(_("Decision"), key="decision", width=8)
        signoffs.add_column(_("On"), key="on", width=10)
        signoffs.add_column(_("State"), key="state", width=8)
        self._layout(self.size.width or 120)
        self.query_one("#blockers", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        """Fit the tables to the width: the "what to do" column takes what is left (and wraps),
        and the pillars go under the sign-offs on a narrow terminal."""
        self.set_class(width < NARROW, "-narrow")
        self._narrow = width < NARROW
        widths = item_widths(width - 4)
        if widths == self._widths:
            return
        self._widths = widths
        kind, subject, owner, due, todo = widths
        for table_id in ("#blockers", "#conditions"):
            table = self.query_one(table_id, DataTable)
            table.clear(columns=True)
            table.add_column(_("What"), key="kind", width=kind)
            table.add_column(_("Question / role"), key="subject", width=subject)
            table.add_column(_("Owner"), key="owner", width=owner)
            table.add_column(_("Due"), key="due", width=due)
            table.add_column(_("What to do"), key="todo", width=todo)
        self.refresh_view()

    def show_view(self) -> None:
        if self._widths is None:
            return
        session = self.session
        gate = session.gate
        palette = Palette(self.app)
        self.update_header()
        verdict = self.query_one("#verdict", Static)
        verdict.update(Content(f" {gate.verdict.label} "))
        for cls in VERDICT_CLASS.values():
            verdict.remove_class(cls)
        verdict.add_class(VERDICT_CLASS[gate.verdict])
        counts = gate.counts
        overdue = counts["mitigations_overdue"]
        facts = Content.assemble(
            (gate.launch_date.isoformat(), "bold"),
            f" · {days_phrase(gate.days_left)}\n",
            _(
                "{answered}/{questions} answered · {na} not applicable · {findings} finding(s) "
                "({high} high, {medium} medium)"
            ).format(
                answered=counts["answered"],
                questions=counts["questions"],
                na=counts["not_applicable"],
                findings=counts["findings"],
                high=counts["high"],
                medium=counts["medium"],
            )
            + "\n",
            _("{count} mitigation(s) open").format(count=counts["mitigations_open"]),
            (
                (", " + _("{count} overdue").format(count=overdue), "$text-error bold")
                if overdue
                else ""
            ),
            " · "
            + _("{count} risk acceptance(s) · sign-offs {valid}/{required}").format(
                count=counts["acceptances"],
                valid=counts["signoffs_valid"],
                required=counts["signoffs_required"],
            ),
        )
        self.query_one("#verdict-facts", Static).update(facts)
        self._targets = {}
        self._items = {}
        self._fill_signoff_line(palette)
        self._fill_items("#blockers", gate.blockers, palette, blocking=True)
        self._fill_items("#conditions", gate.conditions, palette, blocking=False)
        self.query_one("#blockers-title", Static).update(
            Content(
                _("Blockers ({count}): what stands between the team and READY").format(
                    count=len(gate.blockers)
                )
                if gate.blockers
                else _("Blockers: none")
            )
        )
        self.query_one("#conditions-title", Static).update(
            Content(
                _("Conditions ({count}): allowed, but tracked").format(count=len(gate.conditions))
                if gate.conditions
                else _("Conditions: none")
            )
        )
        self.query_one("#blockers").display = bool(gate.blockers)
        self.query_one("#conditions").display = bool(gate.conditions)
        self._fill_pillars(palette)
        self._fill_signoffs(palette)
        self._show_item_detail()

    def _fill_signoff_line(self, palette: Palette) -> None:
        """The sign-offs in one line, for a narrow terminal where their table is out of view."""
        word = {
            SignoffStatus.MISSING: (_("missing"), "$text-error"),
            SignoffStatus.REJECTED: (_("rejected"), "$text-error bold"),
            SignoffStatus.STALE: (_("stale"), "$text-warning bold"),
            SignoffStatus.CURRENT: (_("current"), "$text-success"),
        }
        parts: list[Content] = []
        for so in self.session.gate.signoffs:
            if not so.required:
                continue
            text, style = word[so.status]
            parts.append(Content.assemble(so.role_name + " ", (text, style)))
        line = self.query_one("#signoff-line", Static)
        line.update(
            Content.assemble((_("Sign-offs: "), "bold"), Content(" · ").join(parts))
            if parts
            else Content("")
        )

    @on(DataTable.RowHighlighted, "#blockers, #conditions")
    def _item_highlighted(self) -> None:
        self._show_item_detail()

    def _show_item_detail(self) -> None:
        """On a narrow terminal: what to do, in full, for the highlighted blocker or condition."""
        detail = self.query_one("#item-detail", Static)
        if not self._narrow:
            return
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or table.id not in ("blockers", "conditions"):
            table = self.query_one("#blockers", DataTable)
        item: GateItem | None = None
        target: Target | None = None
        if table.row_count:
            key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
            item = self._items.get(key)
            target = self._targets.get(key)
        if item is None and target is not None and target.unanswered:
            detail.update(Content(_("Enter walks this role through its unanswered questions.")))
            return
        if item is None:
            detail.update("")
            return
        who = " · ".join(x for x in (item.owner, item.due.isoformat() if item.due else "") if x)
        detail.update(
            Content.assemble(
                (f"{item.question or self.session.role_name(item.role)}", "bold"),
                (f"  {who}" if who else "", "$foreground-muted"),
                "\n",
                safe(item.message),
            )
        )

    def _add_row(self, table: DataTable[Text], key: str, *cells: Text) -> None:
        """A row of a gate table, as tall as its tallest cell wrapped at its column's width
        (one line on a narrow terminal). Told its height, the table renders a row when it
        shows it; left to find it, it renders every cell of every row as they are added: on
        a review of the maximum size, a quarter of a second to fill the two tables."""
        height = 1
        if not self._narrow and self._widths is not None:
            console = self.app.console
            height = max(len(c.wrap(console, w)) for c, w in zip(cells, self._widths, strict=True))
        table.add_row(*cells, key=key, height=height)

    def _fill_items(
        self, table_id: str, items: Sequence[GateItem], palette: Palette, *, blocking: bool
    ) -> None:
        table = self.query_one(table_id, DataTable)
        cursor = table.cursor_row
        table.clear()
        session = self.session
        style = palette.style("text-error" if blocking else "text-warning")
        unanswered: dict[str | None, list[GateItem]] = {}
        for item in items:
            if item.kind is BlockerKind.UNANSWERED:
                unanswered.setdefault(item.role, []).append(item)
        prefix = table_id.strip("#")[0]
        for role, group in unanswered.items():
            key = f"{prefix}:unanswered:{role}"
            people = session.people_with(role)
            self._add_row(
                table,
                key,
                Text(_("{count} unanswered").format(count=len(group)), style=style),
                cell(session.role_name(role) or _("no role")),
                cell(", ".join(people) or "—"),
                Text("—", style=palette.muted),
                (cell if self._narrow else Text)(
                    _(
                        "answer the {count} question(s) of this role in the walk-through "
                        "(Enter goes there)"
                    ).format(count=len(group))
                ),
            )
            self._targets[key] = Target(role=role, unanswered=True)
        for index, item in enumerate(items):
            if item.kind is BlockerKind.UNANSWERED:
                continue
            key = f"{prefix}:{index}"
            subject = item.question or session.role_name(item.role) or _("review")
            todo = safe(item.message)
            self._add_row(
                table,
                key,
                Text(_(KIND_LABEL[item.kind]), style=style),
                cell(subject),
                cell(item.owner or "—"),
                Text(item.due.isoformat() if item.due else "—"),
                # Wide: what to do, in full, wrapped. Narrow: one line; the detail box has it all.
                cell(todo) if self._narrow else Text(todo),
            )
            self._items[key] = item
            self._targets[key] = Target(
                question=item.question,
                role=item.role,
                signoff=item.kind in SIGNOFF_KINDS,
                findings=item.kind in FINDING_KINDS,
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)

    def _fill_pillars(self, palette: Palette) -> None:
        table = self.query_one("#pillars", DataTable)
        table.clear()
        for stats in self.session.gate.pillars:
            complete = stats.answered == stats.total
            table.add_row(
                cell(stats.name),
                Text.assemble(
                    (
                        bar(stats.answered, stats.total),
                        palette.style("text-success" if complete else "text-primary"),
                    ),
                    f" {stats.answered}/{stats.total}",
                ),
                Text(
                    str(stats.high or "·"),
                    style=palette.style("text-error") if stats.high else palette.muted,
                ),
                Text(
                    str(stats.medium or "·"),
                    style=palette.style("text-warning") if stats.medium else palette.muted,
                ),
                Text(str(stats.na or "·"), style=palette.muted),
                key=stats.id,
            )

    def _fill_signoffs(self, palette: Palette) -> None:
        session = self.session
        table = self.query_one("#signoffs", DataTable)
        cursor = table.cursor_row
        table.clear()
        state_style = {
            SignoffStatus.MISSING: (_("missing"), palette.style("text-error")),
            SignoffStatus.REJECTED: (_("rejected"), palette.style("text-error", bold=True)),
            SignoffStatus.STALE: (_("stale"), palette.style("text-warning", bold=True)),
            SignoffStatus.CURRENT: (_("current"), palette.style("text-success")),
        }
        for so in session.gate.signoffs:
            label = (
                so.role_name if so.required else _("{role} (optional)").format(role=so.role_name)
            )
            text, style = state_style[so.status]
            signoff = so.signoff
            if signoff is None:
                table.add_row(
                    cell(label),
                    cell(", ".join(session.people_with(so.role)) or "—", style=palette.muted),
                    Text("—", style=palette.muted),
                    Text("—", style=palette.muted),
                    Text(text, style=style),
                    key=so.role,
                )
                continue
            approved = so.status is not SignoffStatus.REJECTED
            table.add_row(
                cell(label),
                cell(signoff.name),
                Text(
                    _("approve") if approved else _("reject"),
                    style=palette.style("text-success" if approved else "text-error"),
                ),
                Text(signoff.at.date().isoformat()),
                Text(text, style=style),
                key=so.role,
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)

    # --- actions ---

    def _default_role(self) -> str | None:
        table = self.query_one("#signoffs", DataTable)
        if self.focused is table and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                return str(key)
        for so in self.session.gate.signoffs:
            if so.required and not so.valid:
                return so.role
        roles = list(self.session.checklist.manifest.roles)
        return roles[0] if roles else None

    def action_rebase(self) -> None:
        """Carry the review over to its checklist when the checklist changed."""
        up_to_date: list[str] = []

        def apply() -> Outcome:
            try:
                return self.session.rebase()
            except NothingToRebase as exc:  # not a failure: no "Not saved" error for it
                up_to_date.append(str(exc))
                return Outcome()

        def after() -> None:
            if up_to_date:
                self.notify(" ".join(up_to_date), title=_("Nothing to rebase"))
            self.refresh_view()

        self.change(apply, after=after)

    def action_sign(self, decision: str) -> None:
        session = self.session
        role = self._default_role()
        if role is None:
            self.notify(_("The checklist defines no roles to sign."), severity="warning")
            return
        manifest = session.checklist.manifest
        roles = [(rid, r.name) for rid, r in manifest.roles.items()]
        holders = {rid: session.people_with(rid) for rid in manifest.roles}
        gate = session.gate
        others = [b for b in gate.blockers if b.kind not in SIGNOFF_KINDS]
        summary = Content.assemble(
            (_("Verdict now: "), "bold"),
            gate.verdict.label,
            (
                " — " + _("{count} blocker(s) besides sign-offs remain").format(count=len(others)),
                "$text-warning",
            )
            if others
            else "",
        )

        def done(form: SignOffForm) -> None:
            said = (
                _("{role}: approved.")
                if form.decision is Decision.APPROVE
                else _("{role}: rejected.")
            ).format(role=session.role_name(form.role))
            self.change(
                lambda: session.sign_off(form.role, form.name, form.decision),
                done=said,
                after=self.refresh_view,
            )

        self.app.push_screen(
            SignOffDialog(
                roles=roles,
                role=role,
                holders=holders,
                person=session.user,
                decision=Decision(decision),
                summary=summary,
            ),
            confirm_callback(done),
        )

    def action_edit_workload(self) -> None:
        session = self.session

        def done(changes: dict[str, object]) -> None:
            if not changes:
                return
            self.change(
                lambda: session.update_workload(**changes),
                done=_("Workload saved."),
                after=self.refresh_view,
            )

        self.app.push_screen(WorkloadDialog(session.review.workload), confirm_callback(done))

    def action_edit_people(self) -> None:
        session = self.session

        def done(change: StakeholderChange) -> None:
            if not change.remove and not change.add:
                return
            self.change(
                lambda: session.change_stakeholders(change.remove, change.add),
                done=_("Stakeholders saved."),
                after=self.refresh_view,
            )

        self.app.push_screen(
            StakeholdersDialog(session.checklist.manifest, session.review.stakeholders),
            confirm_callback(done),
        )

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if event.data_table.id == "signoffs":
            self.action_sign("approve")
            return
        if event.data_table.id == "pillars":
            first = next(
                (
                    p.questions[0].id
                    for p in self.session.scope.pillars
                    if p.id == key and p.questions
                ),
                None,
            )
            if first:
                self.orr.show_question(first)
            return
        target = self._targets.get(key)
        if target is None:
            return
        if target.unanswered:
            self.orr.walk_role(target.role, StatusFilter.UNANSWERED)
        elif target.signoff:
            self.query_one("#signoffs", DataTable).focus()
        elif target.findings:
            self.orr.show("findings")
        elif target.question:
            self.orr.show_question(target.question)
