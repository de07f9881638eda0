"""Launch readiness: the verdict, what blocks it, per-pillar progress, the sign-off matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from orr.review.gate import SIGNOFF_KINDS, BlockerKind, GateItem
from orr.review.model import Decision
from orr.review.session import NothingToRebase, StatusFilter
from orr.review.state import SignoffStatus
from orr.tui.screens.base import ReviewScreen
from orr.tui.screens.dialogs import SignOffDialog, SignOffForm, confirm_callback
from orr.tui.text import VERDICT_CLASS, Palette, cell, days_phrase, safe
from orr.tui.widgets.header import ReviewHeader

KIND_LABEL: dict[str, str] = {
    "unanswered": "unanswered",
    "na_without_reason": "N/A, no reason",
    "high_finding": "HIGH finding",
    "blocking_mitigation": "blocking action",
    "signoff_missing": "sign-off missing",
    "signoff_stale": "sign-off stale",
    "signoff_rejected": "rejected",
    "checklist_changed": "checklist changed",
    "medium_finding": "MEDIUM finding",
    "open_mitigation": "open action",
    "risk_acceptance": "risk accepted",
}

BAR_WIDTH = 8


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


class ReadinessScreen(ReviewScreen):
    """Is the launch ready? The verdict with everything that stands between the team and READY."""

    SCREEN_NAME = "readiness"
    HELP = """\
# Launch readiness

The verdict is computed live from the review, the same as `orr status`:

* **NOT READY** — an applicable question is unanswered, a not-applicable answer has no reason,
  a HIGH finding has neither a done mitigation nor a valid risk acceptance, a blocking
  mitigation is not done, or a required sign-off is missing, stale or a rejection.
* **READY WITH CONDITIONS** — not blocked, but MEDIUM findings, open non-blocking
  mitigations or risk acceptances remain.
* **READY** — nothing left.

An approval becomes *stale* when any answer (or note) changes after it: sign again.

| Key | Does |
|---|---|
| `↑` `↓`, `Tab` | move over the lines, between the tables |
| `Enter` | go to what the line is about (the question, the findings, the sign-off) |
| `s` | sign off: approve the launch for a role |
| `x` | reject the launch for a role |
| `b` | rebase: carry the review over to its changed checklist (as `orr review rebase`) |
| `1` `2` `4` `h` | walk-through, findings, export, home |
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sign('approve')", "Approve"),
        Binding("x", "sign('reject')", "Reject"),
        Binding("b", "rebase", "Rebase"),
    ]

    def __init__(self) -> None:
        super().__init__(name="readiness")
        self._targets: dict[str, Target] = {}

    def compose(self) -> ComposeResult:
        yield ReviewHeader("readiness")
        with VerticalScroll(id="readiness"):
            with Horizontal(id="verdict-row"):
                yield Static("", id="verdict", markup=False)
                yield Static("", id="verdict-facts", markup=False)
            yield Static("", id="blockers-title", classes="section", markup=False)
            yield DataTable(id="blockers", cursor_type="row")
            yield Static("", id="conditions-title", classes="section", markup=False)
            yield DataTable(id="conditions", cursor_type="row")
            with Horizontal(id="readiness-bottom"):
                with Vertical(id="pillars-box"):
                    yield Static(Content("Pillars"), classes="section")
                    yield DataTable(id="pillars", cursor_type="row")
                with Vertical(id="signoffs-box"):
                    yield Static(Content("Sign-offs"), classes="section")
                    yield DataTable(id="signoffs", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for table_id in ("#blockers", "#conditions"):
            table = self.query_one(table_id, DataTable)
            table.add_column("What", key="kind", width=16)
            table.add_column("Question / role", key="subject", width=20)
            table.add_column("Owner", key="owner", width=13)
            table.add_column("Due", key="due", width=10)
            table.add_column("What to do", key="todo", width=45)
        pillars = self.query_one("#pillars", DataTable)
        pillars.add_column("Pillar", key="name", width=18)
        pillars.add_column("Answered", key="progress", width=BAR_WIDTH + 6)
        pillars.add_column("High", key="high", width=4)
        pillars.add_column("Med", key="medium", width=3)
        pillars.add_column("N/A", key="na", width=3)
        signoffs = self.query_one("#signoffs", DataTable)
        signoffs.add_column("Role", key="role", width=13)
        signoffs.add_column("Name", key="name", width=11)
        signoffs.add_column("Decision", key="decision", width=8)
        signoffs.add_column("On", key="on", width=10)
        signoffs.add_column("State", key="state", width=7)
        self.refresh_view()
        self.query_one("#blockers", DataTable).focus()

    def refresh_view(self) -> None:
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
        facts = Content.assemble(
            ("launch ", "$foreground-muted"),
            (gate.launch_date.isoformat(), "bold"),
            f" · {days_phrase(gate.days_left)}\n",
            f"{counts['answered']}/{counts['questions']} answered · "
            f"{counts['not_applicable']} not applicable · {counts['findings']} finding(s) "
            f"({counts['high']} high, {counts['medium']} medium)\n",
            f"{counts['mitigations_open']} mitigation(s) open",
            (
                (f", {counts['mitigations_overdue']} overdue", "$text-error bold")
                if counts["mitigations_overdue"]
                else ""
            ),
            f" · {counts['acceptances']} risk acceptance(s) · sign-offs "
            f"{counts['signoffs_valid']}/{counts['signoffs_required']}",
        )
        self.query_one("#verdict-facts", Static).update(facts)
        self._targets = {}
        self._fill_items("#blockers", gate.blockers, palette, blocking=True)
        self._fill_items("#conditions", gate.conditions, palette, blocking=False)
        self.query_one("#blockers-title", Static).update(
            Content(
                f"Blockers ({len(gate.blockers)}): what stands between the team and READY"
                if gate.blockers
                else "Blockers: none"
            )
        )
        self.query_one("#conditions-title", Static).update(
            Content(
                f"Conditions ({len(gate.conditions)}): allowed, but tracked"
                if gate.conditions
                else "Conditions: none"
            )
        )
        self.query_one("#blockers").display = bool(gate.blockers)
        self.query_one("#conditions").display = bool(gate.conditions)
        self._fill_pillars(palette)
        self._fill_signoffs(palette)

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
            if item.kind == BlockerKind.UNANSWERED:
                unanswered.setdefault(item.role, []).append(item)
        prefix = table_id.strip("#")[0]
        for role, group in unanswered.items():
            key = f"{prefix}:unanswered:{role}"
            people = session.people_with(role)
            table.add_row(
                Text(f"{len(group)} unanswered", style=style),
                cell(session.role_name(role) or "no role"),
                cell(", ".join(people) or "—"),
                Text("—", style=palette.muted),
                Text(
                    f"answer the {len(group)} question(s) of this role in the walk-through "
                    "(Enter goes there)"
                ),
                key=key,
                height=None,
            )
            self._targets[key] = Target(role=role, unanswered=True)
        for index, item in enumerate(items):
            if item.kind == BlockerKind.UNANSWERED:
                continue
            key = f"{prefix}:{index}"
            subject = item.question or session.role_name(item.role) or "review"
            table.add_row(
                Text(KIND_LABEL.get(str(item.kind), str(item.kind)), style=style),
                cell(subject),
                cell(item.owner or "—"),
                Text(item.due.isoformat() if item.due else "—"),
                Text(safe(item.message)),  # wrapped: what to do, in full
                key=key,
                height=None,
            )
            kind = str(item.kind)
            self._targets[key] = Target(
                question=item.question,
                role=item.role,
                signoff=kind.startswith("signoff_"),
                findings=kind
                in (
                    "high_finding",
                    "blocking_mitigation",
                    "medium_finding",
                    "open_mitigation",
                    "risk_acceptance",
                ),
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
            SignoffStatus.MISSING: ("missing", palette.style("text-error")),
            SignoffStatus.REJECTED: ("rejected", palette.style("text-error", bold=True)),
            SignoffStatus.STALE: ("stale", palette.style("text-warning", bold=True)),
            SignoffStatus.CURRENT: ("current", palette.style("text-success")),
        }
        for so in session.gate.signoffs:
            label = so.role_name + ("" if so.required else " (optional)")
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
                    "approve" if approved else "reject",
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
        summary: list[str] = []
        up_to_date: list[str] = []

        def apply() -> tuple[list[str], bool]:
            try:
                said, merged = self.session.rebase()
            except NothingToRebase as exc:  # not a failure: no "Not saved" error for it
                up_to_date.append(str(exc))
                return [], False
            summary.extend(said)
            return [], merged

        if self.change(apply):
            if up_to_date:
                self.notify(" ".join(up_to_date), title="Nothing to rebase")
            else:
                self.notify(" ".join(summary), title="Rebased")

    def action_sign(self, decision: str) -> None:
        session = self.session
        role = self._default_role()
        if role is None:
            self.notify("The checklist defines no roles to sign.", severity="warning")
            return
        manifest = session.checklist.manifest
        roles = [(rid, r.name) for rid, r in manifest.roles.items()]
        names = {}
        for rid in manifest.roles:
            people = session.people_with(rid)
            existing = session.review.signoff(rid)
            names[rid] = existing.name if existing else (people[0] if people else "")
        gate = session.gate
        others = [b for b in gate.blockers if b.kind not in SIGNOFF_KINDS]
        summary = Content.assemble(
            ("Verdict now: ", "bold"),
            gate.verdict.label,
            (
                f" — {len(others)} blocker(s) besides sign-offs remain",
                "$text-warning",
            )
            if others
            else "",
        )

        def done(form: SignOffForm) -> None:
            verb = "approved" if form.decision is Decision.APPROVE else "rejected"
            self.change(
                lambda: session.sign_off(form.role, form.name, form.decision),
                done=f"{session.role_name(form.role)}: {verb}.",
            )
            self.refresh_view()

        self.app.push_screen(
            SignOffDialog(
                roles=roles,
                role=role,
                names=names,
                decision=Decision(decision),
                summary=summary,
            ),
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
