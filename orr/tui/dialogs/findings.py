"""Dialogs about findings: a mitigation (add, edit), a risk acceptance, withdrawing a mitigation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Select, Static

from orr.i18n import _
from orr.review.kinds import MitigationStatus
from orr.review.model import Mitigation
from orr.tui.dialogs.base import Field, FormDialog, choice_field
from orr.tui.forms import HttpLink, IsoDate, Required, form_date
from orr.tui.text import STATUS_LABEL, plain, safe


@dataclass(frozen=True)
class MitigationForm:
    title: str
    owner: str
    due: date | None
    status: MitigationStatus
    blocking: bool
    ticket: str | None
    notes: str


class MitigationDialog(FormDialog[MitigationForm]):
    """Add or edit a mitigation (an action item) of a finding."""

    OK_LABEL = _("Save")

    def __init__(
        self,
        subject: str,
        *,
        existing: Mitigation | None = None,
        blocking: bool = True,
        people: Iterable[str] = (),
        owner: str = "",
        due: date | None = None,
        launch: date | None = None,
    ) -> None:
        super().__init__()
        self.TITLE_TEXT = (
            _("Edit mitigation {id}").format(id=existing.id) if existing else _("Add a mitigation")
        )
        self._subject = subject
        self._existing = existing
        self._blocking = existing.blocking if existing else blocking
        self._people = sorted({safe(p) for p in people})
        self._owner = existing.owner if existing else owner
        self._due = existing.due if existing else due
        self._launch = launch

    def compose_fields(self) -> ComposeResult:
        m = self._existing
        suggest = SuggestFromList(self._people, case_sensitive=False) if self._people else None
        yield Static(plain(self._subject), classes="dialog-subject")
        yield Field(
            _("What will be done"),
            Input(safe(m.title) if m else "", validators=[Required(_("a title"))], id="mit-title"),
        )
        with Horizontal(classes="field-row"):
            yield Field(
                _("Owner"),
                Input(
                    safe(self._owner),
                    validators=[Required(_("an owner"))],
                    suggester=suggest,
                    id="mit-owner",
                ),
            )
            yield Field(
                _("Due (YYYY-MM-DD)"),
                Input(
                    self._due.isoformat() if self._due else "",
                    validators=[IsoDate(optional=True)],
                    id="mit-due",
                ),
                _("launch {date}").format(date=self._launch.isoformat()) if self._launch else "",
            )
        with Horizontal(classes="field-row"):
            statuses: list[MitigationStatus] = [
                s for s in STATUS_LABEL if s is not MitigationStatus.WITHDRAWN
            ]
            if m is not None and m.status is MitigationStatus.WITHDRAWN:
                statuses.append(MitigationStatus.WITHDRAWN)
            yield choice_field(
                _("Status"),
                [(Content(_(STATUS_LABEL[s])), s.value) for s in statuses],
                (m.status if m else MitigationStatus.OPEN).value,
                "mit-status",
            )
            yield Field(
                _("Launch"),
                Checkbox(_("Blocking: launch waits for it"), self._blocking, id="mit-blocking"),
            )
        yield Field(
            _("Ticket"),
            Input(
                safe(m.ticket or "") if m else "",
                placeholder="https://…",
                validators=[HttpLink(optional=True)],
                id="mit-ticket",
            ),
        )
        yield Field(_("Notes"), Input(safe(m.notes) if m else "", id="mit-notes"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#mit-title").focus()

    def collect(self) -> MitigationForm:
        status = self.query_one("#mit-status", Select).value
        assert isinstance(status, str)
        return MitigationForm(
            title=self.value("#mit-title"),
            owner=self.value("#mit-owner"),
            due=form_date(self.value("#mit-due")),
            status=MitigationStatus(status),
            blocking=self.query_one("#mit-blocking", Checkbox).value,
            ticket=self.value("#mit-ticket") or None,
            notes=self.query_one("#mit-notes", Input).value,
        )


@dataclass(frozen=True)
class AcceptanceForm:
    approver: str
    role: str
    rationale: str
    controls: str
    expires: date


class AcceptanceDialog(FormDialog[AcceptanceForm]):
    """Record that someone accountable accepts a finding's risk until a date."""

    TITLE_TEXT = _("Accept the risk")
    OK_LABEL = _("Record acceptance")

    def __init__(
        self,
        subject: str,
        *,
        roles: Sequence[tuple[str, str]],
        role: str,
        people: Iterable[str],
        approver: str,
        today: date,
        expires: date,
    ) -> None:
        super().__init__()
        self._subject = subject
        self._roles = list(roles)
        self._role = role
        self._people = sorted({safe(p) for p in people})
        self._approver = approver
        self._today = today
        self._expires = expires

    def compose_fields(self) -> ComposeResult:
        suggest = SuggestFromList(self._people, case_sensitive=False) if self._people else None
        yield Static(plain(self._subject), classes="dialog-subject")
        with Horizontal(classes="field-row"):
            yield Field(
                _("Approver"),
                Input(
                    safe(self._approver),
                    validators=[Required(_("the approver"))],
                    suggester=suggest,
                    id="acc-approver",
                ),
            )
            yield choice_field(
                _("Role"),
                [(plain(name), rid) for rid, name in self._roles],
                self._role,
                "acc-role",
            )
        yield Field(
            _("Why the risk is acceptable"),
            Input(validators=[Required(_("a rationale"))], id="acc-rationale"),
        )
        yield Field(_("Compensating controls"), Input(id="acc-controls"))
        yield Field(
            _("Expires (YYYY-MM-DD)"),
            Input(
                self._expires.isoformat(),
                validators=[IsoDate(after=self._today)],
                id="acc-expires",
            ),
            _("from this day on the acceptance counts as absent"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#acc-approver").focus()

    def collect(self) -> AcceptanceForm:
        role = self.query_one("#acc-role", Select).value
        expires = form_date(self.value("#acc-expires"))
        assert isinstance(role, str) and expires is not None
        return AcceptanceForm(
            approver=self.value("#acc-approver"),
            role=role,
            rationale=self.value("#acc-rationale"),
            controls=self.value("#acc-controls"),
            expires=expires,
        )


class WithdrawDialog(FormDialog[str]):
    """Withdraw a mitigation (kept with its history, no longer counted): why, for the audit."""

    TITLE_TEXT = _("Withdraw a mitigation")
    OK_LABEL = _("Withdraw")

    def __init__(self, subject: str) -> None:
        super().__init__()
        self._subject = subject

    def compose_fields(self) -> ComposeResult:
        yield Static(plain(self._subject), classes="dialog-subject")
        yield Field(
            _("Why (for the audit trail)"),
            Input(placeholder=_("e.g. recorded on the wrong finding"), id="wd-reason"),
            _("it stays in the review, marked withdrawn, and no longer counts for the launch"),
        )

    def collect(self) -> str:
        return self.value("#wd-reason")
