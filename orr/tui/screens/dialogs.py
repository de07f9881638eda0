"""Dialogs: each a `ModalScreen` returning a typed result (None when cancelled).

Fields validate as the user types (Textual validators) and say what is wrong under the field;
the dialog refuses to close with a result until every field is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from orr.checklist.load import load_checklist
from orr.checklist.model import Checklist
from orr.errors import OrrError
from orr.review.model import Decision, Environment, Mitigation, MitigationStatus, NaReason
from orr.textsafe import one_line
from orr.tomlfile import display_path
from orr.tui.text import STATUS_LABEL, plain, safe

T = TypeVar("T")

# --- validators ----------------------------------------------------------------------------------


class Required(Validator):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is required")

    def validate(self, value: str) -> ValidationResult:
        return self.success() if value.strip() else self.failure()


class IsoDate(Validator):
    """A YYYY-MM-DD date (optionally after a given day, optionally empty)."""

    def __init__(self, *, after: date | None = None, optional: bool = False) -> None:
        super().__init__()
        self.after = after
        self.optional = optional

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.success() if self.optional else self.failure("write a date: YYYY-MM-DD")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return self.failure("write a date: YYYY-MM-DD")
        if self.after is not None and day <= self.after:
            return self.failure(f"must be after {self.after.isoformat()}")
        return self.success()


class HttpLink(Validator):
    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.success() if self.optional else self.failure("a link is required")
        if not text.startswith(("http://", "https://")):
            return self.failure("a link starts with http:// or https://")
        if any(c.isspace() for c in text):
            return self.failure("a link has no spaces")
        return self.success()


class ManifestFile(Validator):
    def validate(self, value: str) -> ValidationResult:
        path = Path(value.strip()).expanduser()
        if not value.strip():
            return self.failure("give the checklist manifest (orr.toml)")
        if path.is_dir():
            path = path / "orr.toml"
        return self.success() if path.is_file() else self.failure(f"no file {path}")


# --- the dialog base -----------------------------------------------------------------------------


class Field(Vertical):
    """A label, an input, and what is wrong with it (updated as the user types)."""

    def __init__(self, label: str, widget: Input | Select[str] | Checkbox, hint: str = "") -> None:
        super().__init__(classes="field")
        self._label = label
        self._hint = hint
        self.widget = widget
        if isinstance(widget, Input | Select):
            widget.compact = True  # one line each: the dialogs stay dense

    def compose(self) -> ComposeResult:
        yield Static(Content(self._label), classes="field-label")
        yield self.widget
        hint = Static(Content(self._hint), classes="field-hint")
        hint.display = bool(self._hint)
        yield hint

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.show_result(event.validation_result)

    def show_result(self, result: ValidationResult | None) -> None:
        hint = self.query_one(".field-hint", Static)
        if result is not None and not result.is_valid:
            hint.update(Content(result.failure_descriptions[0]))
            hint.add_class("-error")
            hint.display = True
        else:
            hint.update(Content(self._hint))
            hint.remove_class("-error")
            hint.display = bool(self._hint)


class FormDialog(ModalScreen[T | None], Generic[T]):
    """A dialog with fields and OK / Cancel; Enter in a field or Ctrl+S submits, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "OK"),
        Binding("f1", "app.help", "Help"),  # a modal screen leaves out the app's own keys
    ]
    HELP = "Fill in the fields (Tab moves on), then press Enter or Ctrl+S. Esc cancels."

    TITLE_TEXT = ""
    OK_LABEL = "OK"
    AUTO_FOCUS = "Input, RadioSet, Select, Checkbox"

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.TITLE_TEXT), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield from self.compose_fields()
            yield Static("", id="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.OK_LABEL, variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def collect(self) -> T | str:
        """The result, or a message saying what is missing."""
        raise NotImplementedError

    def validate_fields(self) -> str | None:
        """Validate every input; the first problem, if any."""
        problem: str | None = None
        for fld in self.query(Field):
            if isinstance(fld.widget, Input) and fld.widget.validators:
                result = fld.widget.validate(fld.widget.value)
                fld.show_result(result)
                if result is not None and not result.is_valid and problem is None:
                    problem = f"{fld._label}: {result.failure_descriptions[0]}"
        return problem

    def show_error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(Content(message))
        error.display = bool(message)

    def action_submit(self) -> None:
        problem = self.validate_fields()
        if problem:
            self.show_error(problem)
            return
        result = self.collect()
        if isinstance(result, str):
            self.show_error(result)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()


# --- pickers -------------------------------------------------------------------------------------


class PickerDialog(ModalScreen[str | None]):
    """Pick one item of a list (Enter), or cancel (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    HELP = "Move with the arrow keys, Enter picks, Esc cancels."

    def __init__(
        self, title: str, options: Sequence[tuple[str, Content]], current: str | None = None
    ) -> None:
        super().__init__()
        self._title = title
        self._options = list(options)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(Content(self._title), classes="dialog-title")
            yield OptionList(*[Option(label, id=key) for key, label in self._options])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [k for k, _ in self._options]
        if self._current in keys:
            options.highlighted = keys.index(self._current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- not applicable ------------------------------------------------------------------------------

NA_LABELS: dict[NaReason, str] = {
    NaReason.OUT_OF_SCOPE: "Out of scope",
    NaReason.BUSINESS_PRIORITIES: "Business priorities",
    NaReason.ARCHITECTURE_CONSTRAINTS: "Architecture constraints",
    NaReason.OTHER: "Other",
}


@dataclass(frozen=True)
class NaChoice:
    reason: NaReason
    note: str


class NotApplicableDialog(FormDialog[NaChoice]):
    """Mark a question not applicable: a reason is required, a note says more."""

    TITLE_TEXT = "Not applicable"
    OK_LABEL = "Mark not applicable"

    def __init__(self, title: str, reason: NaReason | None = None, note: str = "") -> None:
        super().__init__()
        self._question_title = title
        self._reason = reason
        self._note = note

    def compose_fields(self) -> ComposeResult:
        yield Static(plain(self._question_title), classes="dialog-subject")
        yield Static(Content("Why does it not apply? (required)"), classes="field-label")
        with RadioSet(id="na-reason"):
            for reason, label in NA_LABELS.items():
                yield RadioButton(
                    Content(f"{label}  ({reason.value})"),
                    value=reason is self._reason,
                    name=reason.value,
                )
        yield Field(
            "Note",
            Input(safe(self._note), placeholder="what makes it not apply", id="na-note"),
            "say why, for the reviewers who read the review later",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RadioSet).focus()

    def collect(self) -> NaChoice | str:
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.name is None:
            return "Choose why the question does not apply: a reason is required."
        return NaChoice(NaReason(pressed.name), self.value("#na-note"))


# --- evidence ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    description: str


class EvidenceDialog(FormDialog[EvidenceLink]):
    TITLE_TEXT = "Add an evidence link"
    OK_LABEL = "Add link"

    def __init__(self, title: str) -> None:
        super().__init__()
        self._question_title = title

    def compose_fields(self) -> ComposeResult:
        yield Static(plain(self._question_title), classes="dialog-subject")
        yield Field(
            "Link",
            Input(placeholder="https://…", validators=[HttpLink()], id="ev-url"),
            "a dashboard, runbook, ticket or document that shows the practice",
        )
        yield Field("What it shows", Input(id="ev-description"))

    def collect(self) -> EvidenceLink | str:
        return EvidenceLink(self.value("#ev-url"), self.value("#ev-description"))


# --- mitigation ----------------------------------------------------------------------------------


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

    OK_LABEL = "Save"

    def __init__(
        self,
        subject: str,
        *,
        existing: Mitigation | None = None,
        blocking: bool = True,
        people: Iterable[str] = (),
        owner: str = "",
        due: date | None = None,
    ) -> None:
        super().__init__()
        self.TITLE_TEXT = f"Edit mitigation {existing.id}" if existing else "Add a mitigation"
        self._subject = subject
        self._existing = existing
        self._blocking = existing.blocking if existing else blocking
        self._people = sorted({safe(p) for p in people})
        self._owner = existing.owner if existing else owner
        self._due = existing.due if existing else due

    def compose_fields(self) -> ComposeResult:
        m = self._existing
        suggest = SuggestFromList(self._people, case_sensitive=False) if self._people else None
        yield Static(plain(self._subject), classes="dialog-subject")
        yield Field(
            "What will be done",
            Input(safe(m.title) if m else "", validators=[Required("a title")], id="mit-title"),
        )
        with Horizontal(classes="field-row"):
            yield Field(
                "Owner",
                Input(
                    safe(self._owner),
                    validators=[Required("an owner")],
                    suggester=suggest,
                    id="mit-owner",
                ),
            )
            yield Field(
                "Due (YYYY-MM-DD)",
                Input(
                    self._due.isoformat() if self._due else "",
                    validators=[IsoDate(optional=True)],
                    id="mit-due",
                ),
            )
        with Horizontal(classes="field-row"):
            yield Field(
                "Status",
                Select(
                    [(Content(label), status.value) for status, label in STATUS_LABEL.items()],
                    value=(m.status if m else MitigationStatus.OPEN).value,
                    allow_blank=False,
                    id="mit-status",
                ),
            )
            yield Field(
                "Launch",
                Checkbox("Blocking: launch waits for it", self._blocking, id="mit-blocking"),
            )
        yield Field(
            "Ticket",
            Input(
                safe(m.ticket or "") if m else "",
                placeholder="https://…",
                validators=[HttpLink(optional=True)],
                id="mit-ticket",
            ),
        )
        yield Field("Notes", Input(safe(m.notes) if m else "", id="mit-notes"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#mit-title").focus()

    def collect(self) -> MitigationForm | str:
        due = self.value("#mit-due")
        status = self.query_one("#mit-status", Select).value
        assert isinstance(status, str)
        return MitigationForm(
            title=self.value("#mit-title"),
            owner=self.value("#mit-owner"),
            due=date.fromisoformat(due) if due else None,
            status=MitigationStatus(status),
            blocking=self.query_one("#mit-blocking", Checkbox).value,
            ticket=self.value("#mit-ticket") or None,
            notes=self.query_one("#mit-notes", Input).value,
        )


# --- risk acceptance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptanceForm:
    approver: str
    role: str
    rationale: str
    controls: str
    expires: date


class AcceptanceDialog(FormDialog[AcceptanceForm]):
    """Record that someone accountable accepts a finding's risk until a date."""

    TITLE_TEXT = "Accept the risk"
    OK_LABEL = "Record acceptance"

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
                "Approver",
                Input(
                    safe(self._approver),
                    validators=[Required("the approver")],
                    suggester=suggest,
                    id="acc-approver",
                ),
            )
            yield Field(
                "Role",
                Select(
                    [(plain(name), rid) for rid, name in self._roles],
                    value=self._role,
                    allow_blank=False,
                    id="acc-role",
                ),
            )
        yield Field(
            "Why the risk is acceptable",
            Input(validators=[Required("a rationale")], id="acc-rationale"),
        )
        yield Field("Compensating controls", Input(id="acc-controls"))
        yield Field(
            "Expires (YYYY-MM-DD)",
            Input(
                self._expires.isoformat(),
                validators=[IsoDate(after=self._today)],
                id="acc-expires",
            ),
            "from this day on the acceptance counts as absent",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#acc-approver").focus()

    def collect(self) -> AcceptanceForm | str:
        role = self.query_one("#acc-role", Select).value
        assert isinstance(role, str)
        return AcceptanceForm(
            approver=self.value("#acc-approver"),
            role=role,
            rationale=self.value("#acc-rationale"),
            controls=self.value("#acc-controls"),
            expires=date.fromisoformat(self.value("#acc-expires")),
        )


# --- sign-off ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignOffForm:
    role: str
    name: str
    decision: Decision


class SignOffDialog(FormDialog[SignOffForm]):
    """A stakeholder role approves or rejects the launch."""

    TITLE_TEXT = "Sign off the launch"
    OK_LABEL = "Sign"

    def __init__(
        self,
        *,
        roles: Sequence[tuple[str, str]],
        role: str,
        names: dict[str, str],
        decision: Decision,
        summary: Content,
    ) -> None:
        super().__init__()
        self._roles = list(roles)
        self._role = role
        self._names = names
        self._decision = decision
        self._summary = summary

    def compose_fields(self) -> ComposeResult:
        yield Static(self._summary, classes="dialog-subject")
        with Horizontal(classes="field-row"):
            yield Field(
                "Role",
                Select(
                    [(plain(name), rid) for rid, name in self._roles],
                    value=self._role,
                    allow_blank=False,
                    id="so-role",
                ),
            )
            yield Field(
                "Name",
                Input(
                    safe(self._names.get(self._role, "")),
                    validators=[Required("the name of who signs")],
                    id="so-name",
                ),
            )
        yield Static(Content("Decision"), classes="field-label")
        with RadioSet(id="so-decision"):
            yield RadioButton(
                Content("Approve the launch"),
                value=self._decision is Decision.APPROVE,
                name=Decision.APPROVE.value,
            )
            yield RadioButton(
                Content("Reject the launch"),
                value=self._decision is Decision.REJECT,
                name=Decision.REJECT.value,
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#so-name").focus()

    @on(Select.Changed, "#so-role")
    def _role_changed(self, event: Select.Changed) -> None:
        name = safe(self._names.get(str(event.value), ""))
        field_ = self.query_one("#so-name", Input)
        if name and not field_.value.strip():
            field_.value = name

    def collect(self) -> SignOffForm | str:
        role = self.query_one("#so-role", Select).value
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.name is None:
            return "Choose approve or reject."
        assert isinstance(role, str)
        return SignOffForm(role=role, name=self.value("#so-name"), decision=Decision(pressed.name))


# --- new review ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewReviewRequest:
    workload: str
    launch_date: date
    environment: Environment
    manifest: Path
    tier: str | None
    owner: str
    stakeholders: list[tuple[str, str]] = field(default_factory=list)


ALL_QUESTIONS = "*"


class NewReviewDialog(FormDialog[NewReviewRequest]):
    """Start a review: workload, launch date, environment, checklist and tier, stakeholders."""

    TITLE_TEXT = "New review"
    OK_LABEL = "Create review"
    HELP = (
        "Name the workload and its launch date, pick the checklist (the workspace's "
        "checklists/orr.toml, else the one bundled with orr) and how much of it to review, and "
        "name the stakeholders of each role (several names separated by commas). "
        "Enter or Ctrl+S creates the review, Esc cancels."
    )

    class Loaded(Message):
        def __init__(self, path: str, checklist: Checklist | None, error: str) -> None:
            super().__init__()
            self.path = path
            self.checklist = checklist
            self.error = error

    def __init__(self, *, manifest: Path, today: date, user: str) -> None:
        super().__init__()
        self._manifest = manifest
        self._today = today
        self._user = user
        self._checklist: Checklist | None = None
        self._names: dict[str, str] = {}

    def compose_fields(self) -> ComposeResult:
        yield Field(
            "Workload",
            Input(
                placeholder="e.g. Payments API",
                validators=[Required("the workload name")],
                id="new-workload",
            ),
        )
        with Horizontal(classes="field-row"):
            yield Field(
                "Launch date (YYYY-MM-DD)",
                Input(
                    (self._today + timedelta(days=30)).isoformat(),
                    validators=[IsoDate()],
                    id="new-launch",
                ),
            )
            yield Field(
                "Environment",
                Select(
                    [(Content(e.value), e.value) for e in Environment],
                    value=Environment.PRODUCTION.value,
                    allow_blank=False,
                    id="new-env",
                ),
            )
        yield Field(
            "Owner", Input(safe(self._user), id="new-owner"), "accountable for the workload"
        )
        yield Field(
            "Checklist",
            Input(display_path(self._manifest), validators=[ManifestFile()], id="new-checklist"),
        )
        yield Static("", id="new-checklist-info", markup=False)
        yield Field(
            "Questions",
            Select(
                [(Content("all questions"), ALL_QUESTIONS)],
                value=ALL_QUESTIONS,
                allow_blank=False,
                id="new-tier",
            ),
        )
        yield Static(Content("Stakeholders (names, separated by commas)"), classes="field-label")
        yield Vertical(id="new-people")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#new-workload").focus()
        self._load(str(self._manifest))

    @work(thread=True, exclusive=True, exit_on_error=False, group="checklist")
    def _load(self, text: str) -> None:
        path = Path(text).expanduser()
        try:
            checklist = load_checklist(path)
        except OrrError as exc:
            self.post_message(self.Loaded(text, None, one_line(exc.lines()[0], 200)))
        else:
            self.post_message(self.Loaded(text, checklist, ""))

    @on(Input.Changed, "#new-checklist")
    def _checklist_changed(self, event: Input.Changed) -> None:
        if event.validation_result is None or event.validation_result.is_valid:
            self._load(event.value.strip())

    @on(Input.Changed, ".person")
    def _person_changed(self, event: Input.Changed) -> None:
        if event.input.name:
            self._names[event.input.name] = event.value

    async def on_new_review_dialog_loaded(self, message: NewReviewDialog.Loaded) -> None:
        if message.path != self.query_one("#new-checklist", Input).value.strip():
            return  # an older load; the field changed since
        info = self.query_one("#new-checklist-info", Static)
        self._checklist = message.checklist
        if message.checklist is None:
            info.update(Content.styled(message.error, "$text-error"))
            return
        checklist = message.checklist
        manifest = checklist.manifest
        info.update(
            Content.assemble(
                plain(manifest.name),
                f" {manifest.version} · {len(checklist.questions)} questions in "
                f"{len(checklist.pillars)} pillars",
            )
        )
        tier = self.query_one("#new-tier", Select)
        options: list[tuple[Content, str]] = [
            (Content(f"all questions ({len(checklist.questions)})"), ALL_QUESTIONS)
        ]
        for tid, spec in manifest.tiers.items():
            count = sum(1 for q in checklist.questions if tid in q.spec.tiers)
            label = f"tier {tid} ({count})"
            if spec.description:
                label += f" — {spec.description}"
            options.append((Content(safe(one_line(label, 70))), tid))
        tier.set_options(options)
        tier.value = ALL_QUESTIONS if "core" not in manifest.tiers else "core"
        people = self.query_one("#new-people", Vertical)
        await people.remove_children()
        fields = []
        for rid, role in manifest.roles.items():
            signs = " · signs off" if rid in manifest.required_signoffs else ""
            fields.append(
                Field(
                    f"{one_line(role.name, 34)}{signs}",
                    Input(
                        self._names.get(rid, ""), name=rid, classes="person", id=f"new-role-{rid}"
                    ),
                )
            )
        rows = [
            Horizontal(*fields[i : i + 2], classes="field-row") for i in range(0, len(fields), 2)
        ]
        await people.mount_all(rows)

    def collect(self) -> NewReviewRequest | str:
        checklist = self._checklist
        if checklist is None:
            return "The checklist could not be loaded: fix its path."
        tier = self.query_one("#new-tier", Select).value
        env = self.query_one("#new-env", Select).value
        people: list[tuple[str, str]] = []
        for rid in checklist.manifest.roles:
            for name in self._names.get(rid, "").split(","):
                if name.strip():
                    people.append((name.strip(), rid))
        return NewReviewRequest(
            workload=self.value("#new-workload"),
            launch_date=date.fromisoformat(self.value("#new-launch")),
            environment=Environment(str(env)),
            manifest=Path(checklist.path),
            tier=None if tier == ALL_QUESTIONS or not isinstance(tier, str) else tier,
            owner=self.value("#new-owner"),
            stakeholders=people,
        )


def confirm_callback(fn: Callable[[T], None]) -> Callable[[T | None], None]:
    """A dialog callback that ignores a cancelled dialog."""

    def callback(result: T | None) -> None:
        if result is not None:
            fn(result)

    return callback
