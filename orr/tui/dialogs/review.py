"""Dialogs about the review itself: a new review, the workload, the stakeholders, who is at the
keyboard, and a sign-off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, OptionList, RadioButton, RadioSet, Select, Static
from textual.widgets.option_list import Option

from orr.checklist.load import find_manifest
from orr.checklist.model import Checklist, Manifest
from orr.errors import OrrError
from orr.i18n import N_, _
from orr.review.checklists import shared_cache
from orr.review.kinds import Decision, Environment, ReviewKind, environment_label
from orr.review.model import Stakeholder, Workload
from orr.textsafe import one_line
from orr.tomlfile import display_path
from orr.tui.dialogs.base import Field, FormDialog, FormProblem, PressedRadioSet, choice_field
from orr.tui.forms import IsoDate, ManifestFile, Required, form_date
from orr.tui.text import fill, fit, plain, safe

ALL_QUESTIONS = "*"


def _environments() -> list[tuple[Content, str]]:
    return [(Content(environment_label(e.value)), e.value) for e in Environment]


def _people_fields(manifest: Manifest, names: dict[str, str]) -> list[Horizontal]:
    """One field per role (names separated by commas), two per row."""
    fields = []
    for rid, role in manifest.roles.items():
        name = fit(role.name, 34)
        fields.append(
            Field(
                _("{role} · signs off").format(role=name)
                if rid in manifest.required_signoffs
                else name,
                Input(safe(names.get(rid, "")), name=rid, classes="person", id=f"people-{rid}"),
            )
        )
    return [Horizontal(*fields[i : i + 2], classes="field-row") for i in range(0, len(fields), 2)]


def _people(manifest: Manifest, names: dict[str, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for rid in manifest.roles:
        for name in names.get(rid, "").split(","):
            if name.strip() and (name.strip(), rid) not in out:
                out.append((name.strip(), rid))
    return out


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


class NewReviewDialog(FormDialog[NewReviewRequest]):
    """Start a review: workload, launch date, environment, checklist and tier, stakeholders."""

    TITLE_TEXT = _("New review")
    OK_LABEL = _("Create review")
    HELP = _(
        "Name the workload and its launch date, pick the checklist (the workspace's "
        "checklists/orr.toml, else the one bundled with orr) and how much of it to review "
        "(every question unless you pick a tier), and name the stakeholders of each role "
        "(several names separated by commas). Enter or Ctrl+S creates the review, Esc cancels."
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
            _("Workload"),
            Input(
                placeholder=_("e.g. Payments API"),
                validators=[Required(_("the workload name"))],
                id="new-workload",
            ),
        )
        with Horizontal(classes="field-row"):
            yield Field(
                _("Launch date (YYYY-MM-DD)"),
                Input(
                    (self._today + timedelta(days=30)).isoformat(),
                    validators=[IsoDate()],
                    id="new-launch",
                ),
            )
            yield choice_field(
                _("Environment"),
                _environments(),
                Environment.PRODUCTION.value,
                "new-env",
            )
        yield Field(
            _("Owner"), Input(safe(self._user), id="new-owner"), _("accountable for the workload")
        )
        yield Field(
            _("Checklist"),
            Input(display_path(self._manifest), validators=[ManifestFile()], id="new-checklist"),
        )
        yield Static("", id="new-checklist-info", markup=False)
        yield choice_field(
            _("Questions"),
            [(Content(_("every question")), ALL_QUESTIONS)],
            ALL_QUESTIONS,
            "new-tier",
            _(
                "every question of the checklist unless you pick a tier (the same default as the CLI)"
            ),
        )
        yield Static(Content(_("Stakeholders (names, separated by commas)")), classes="field-label")
        yield Vertical(id="new-people")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#new-workload").focus()
        self._load(str(self._manifest))

    @work(thread=True, exclusive=True, exit_on_error=False, group="checklist")
    def _load(self, text: str) -> None:
        path = Path(text).expanduser()
        try:
            # In the language in use (names, tiers, roles), as Home and the review show it.
            checklist = shared_cache().get(find_manifest(path))
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
            fill(
                _("{name} {version} · {questions} questions in {pillars} pillars"),
                name=plain(manifest.name),
                version=manifest.version,
                questions=str(len(checklist.questions)),
                pillars=str(len(checklist.pillars)),
            )
        )
        tier = self.query_one("#new-tier", Select)
        options: list[tuple[Content, str]] = [
            (
                Content(_("every question ({count})").format(count=len(checklist.questions))),
                ALL_QUESTIONS,
            )
        ]
        for tid, spec in manifest.tiers.items():
            count = sum(1 for q in checklist.questions if tid in q.spec.tiers)
            label = _("tier {tier} ({count})").format(tier=tid, count=count)
            if spec.description:
                label += f" — {spec.description}"
            options.append((Content(safe(fit(label, 70))), tid))
        tier.set_options(options)
        tier.value = ALL_QUESTIONS
        people = self.query_one("#new-people", Vertical)
        await people.remove_children()
        await people.mount_all(_people_fields(manifest, self._names))

    def collect(self) -> NewReviewRequest:
        checklist = self._checklist
        if checklist is None:
            raise FormProblem(_("The checklist could not be loaded: fix its path."))
        tier = self.query_one("#new-tier", Select).value
        env = self.query_one("#new-env", Select).value
        launch = form_date(self.value("#new-launch"))
        assert launch is not None
        return NewReviewRequest(
            workload=self.value("#new-workload"),
            launch_date=launch,
            environment=Environment(str(env)),
            manifest=Path(checklist.path),
            tier=None if tier == ALL_QUESTIONS or not isinstance(tier, str) else tier,
            owner=self.value("#new-owner"),
            stakeholders=_people(checklist.manifest, self._names),
        )


# --- the workload and the stakeholders -----------------------------------------------------------


class WorkloadDialog(FormDialog[dict[str, object]]):
    """Change the workload: name, launch date, environment, owner, description. Returns the
    fields that changed."""

    TITLE_TEXT = _("The workload")
    OK_LABEL = _("Save")

    def __init__(self, workload: Workload) -> None:
        super().__init__()
        self._workload = workload

    def compose_fields(self) -> ComposeResult:
        w = self._workload
        yield Field(
            _("Name"), Input(safe(w.name), validators=[Required(_("a name"))], id="wl-name")
        )
        with Horizontal(classes="field-row"):
            yield Field(
                _("Launch date (YYYY-MM-DD)"),
                Input(w.launch_date.isoformat(), validators=[IsoDate()], id="wl-launch"),
            )
            yield choice_field(
                _("Environment"),
                _environments(),
                w.environment.value,
                "wl-env",
            )
        yield Field(_("Owner"), Input(safe(w.owner), id="wl-owner"))
        yield Field(_("Description"), Input(safe(w.description), id="wl-description"))

    def collect(self) -> dict[str, object]:
        w = self._workload
        env = self.query_one("#wl-env", Select).value
        new: dict[str, object] = {
            "name": self.value("#wl-name"),
            "launch_date": form_date(self.value("#wl-launch")),
            "environment": Environment(str(env)),
            "owner": self.value("#wl-owner"),
            "description": self.value("#wl-description"),
        }
        return {k: v for k, v in new.items() if getattr(w, k) != v}


@dataclass(frozen=True)
class StakeholderChange:
    remove: list[tuple[str, str]]
    add: list[tuple[str, str]]


class StakeholdersDialog(FormDialog[StakeholderChange]):
    """The people of each role (names separated by commas): add, rename or remove."""

    TITLE_TEXT = _("Stakeholders")
    OK_LABEL = _("Save")

    def __init__(self, manifest: Manifest, stakeholders: Sequence[Stakeholder]) -> None:
        super().__init__()
        self._manifest = manifest
        self._before = [(s.name, s.role) for s in stakeholders]
        self._names: dict[str, str] = {}
        for name, role in self._before:
            self._names[role] = ", ".join(n for n in [self._names.get(role, ""), name] if n)

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Content(_("Names of each role, separated by commas. Their answers stay theirs.")),
            classes="dialog-subject",
        )
        yield from _people_fields(self._manifest, self._names)

    @on(Input.Changed, ".person")
    def _person_changed(self, event: Input.Changed) -> None:
        if event.input.name:
            self._names[event.input.name] = event.value

    def collect(self) -> StakeholderChange:
        after = _people(self._manifest, self._names)
        return StakeholderChange(
            remove=[p for p in self._before if p not in after],
            add=[p for p in after if p not in self._before],
        )


# --- who is at the keyboard ----------------------------------------------------------------------

SOMEONE_ELSE = "\0someone-else"


class PersonDialog(FormDialog[str]):
    """Who is at the keyboard: a stakeholder of the review, or a name typed."""

    TITLE_TEXT = _("Who is at the keyboard?")
    OK_LABEL = _("That's me")
    AUTO_FOCUS = "OptionList"

    def __init__(
        self, stakeholders: Sequence[Stakeholder], role_names: dict[str, str], current: str
    ) -> None:
        super().__init__()
        self._people: dict[str, list[str]] = {}
        for s in stakeholders:
            self._people.setdefault(s.name, []).append(role_names.get(s.role, s.role))
        self._current = current

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Content(_("Changes you make are recorded in your name. Pick yourself, or type.")),
            classes="dialog-subject",
        )
        options = [
            Option(
                Content.assemble(plain(name), ("  " + safe(", ".join(roles)), "$foreground-muted")),
                id=name,
            )
            for name, roles in self._people.items()
        ]
        yield OptionList(*options, id="person-list")
        yield Field(
            _("Someone else"),
            Input(
                safe(self._current) if self._current not in self._people else "",
                placeholder=_("your name"),
                suggester=SuggestFromList(list(self._people), case_sensitive=False),
                id="person-name",
            ),
        )

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one(OptionList)
        names = list(self._people)
        if self._current in names:
            options.highlighted = names.index(self._current)
            options.focus()
        elif names:
            options.highlighted = 0
            options.focus()
        else:
            self.query_one("#person-name").focus()

    @on(OptionList.OptionSelected, "#person-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def collect(self) -> str:
        typed = self.value("#person-name")
        if typed:
            return typed
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                return option.id
        raise FormProblem(_("Pick a name or type yours."))


# --- sign-off ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignOffForm:
    role: str
    name: str
    decision: Decision


class SignOffDialog(FormDialog[SignOffForm]):
    """A stakeholder of a role approves or rejects the launch. When the person at the keyboard
    is not that stakeholder, they confirm they enter it on the stakeholder's behalf."""

    TITLE_TEXT = _("Sign off the launch")
    OK_LABEL = _("Sign")

    def __init__(
        self,
        *,
        roles: Sequence[tuple[str, str]],
        role: str,
        holders: dict[str, list[str]],
        person: str,
        decision: Decision,
        summary: Content,
    ) -> None:
        super().__init__()
        self._roles = list(roles)
        self._role = role
        self._holders = holders
        self._person = person
        self._decision = decision
        self._summary = summary

    def _default_name(self, role: str) -> str:
        people = self._holders.get(role, [])
        if self._person in people or not people:
            return self._person
        return people[0]

    def compose_fields(self) -> ComposeResult:
        yield Static(self._summary, classes="dialog-subject")
        with Horizontal(classes="field-row"):
            yield choice_field(
                _("Role"),
                [(plain(name), rid) for rid, name in self._roles],
                self._role,
                "so-role",
            )
            yield Field(
                _("Signed by"),
                Input(
                    safe(self._default_name(self._role)),
                    validators=[Required(_("the name of who signs"))],
                    suggester=SuggestFromList(
                        sorted({n for names in self._holders.values() for n in names}),
                        case_sensitive=False,
                    ),
                    id="so-name",
                ),
            )
        yield Static(Content(_("Decision")), classes="field-label")
        with PressedRadioSet(id="so-decision"):
            yield RadioButton(
                Content(_("Approve the launch")),
                value=self._decision is Decision.APPROVE,
                name=Decision.APPROVE.value,
            )
            yield RadioButton(
                Content(_("Reject the launch")),
                value=self._decision is Decision.REJECT,
                name=Decision.REJECT.value,
            )
        yield Checkbox("", False, id="so-behalf")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_behalf()
        self.query_one("#so-decision").focus()

    def _show_behalf(self) -> None:
        name = self.query_one("#so-name", Input).value.strip()
        box = self.query_one("#so-behalf", Checkbox)
        box.label = fill(
            _("I, {me}, enter this on behalf of {name}"),
            me=plain(self._person),
            name=plain(name or "…"),
        )
        box.display = bool(name) and name != self._person

    @on(Select.Changed, "#so-role")
    def _role_changed(self, event: Select.Changed) -> None:
        self.query_one("#so-name", Input).value = safe(self._default_name(str(event.value)))

    @on(Input.Changed, "#so-name")
    def _name_changed(self) -> None:
        self._show_behalf()

    def collect(self) -> SignOffForm:
        role = self.query_one("#so-role", Select).value
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.name is None:
            raise FormProblem(_("Choose approve or reject."))
        assert isinstance(role, str)
        name = self.value("#so-name")
        behalf = self.query_one("#so-behalf", Checkbox)
        if name != self._person and not behalf.value:
            raise FormProblem(
                _("You are not {name}: tick that you enter it on their behalf.").format(name=name)
            )
        return SignOffForm(role=role, name=name, decision=Decision(pressed.name))


# --- the next review from the last -------------------------------------------------------------


@dataclass(frozen=True)
class NextReviewForm:
    kind: ReviewKind
    launch_date: date


KIND_LABEL: dict[ReviewKind, str] = {
    ReviewKind.PERIODIC: N_("periodic: the yearly (or regular) review"),
    ReviewKind.POST_INCIDENT: N_("after an incident"),
    ReviewKind.CHANGE: N_("before a significant change"),
    ReviewKind.PRE_LAUNCH: N_("before a launch"),
}


class NextReviewDialog(FormDialog[NextReviewForm]):
    """Start the next review of a workload from its last one."""

    TITLE_TEXT = _("The next review of this workload")
    OK_LABEL = _("Start it")
    HELP = _(
        "The next review starts from this one against the checklist as it is now: answers, "
        "notes, evidence, open mitigations and unexpired acceptances carry over; answers whose "
        "question changed, whose evidence is out of date or that were not applicable are marked "
        "for re-confirmation; sign-offs never carry over. This review is not changed."
    )

    def __init__(self, workload: str, target: date, today: date) -> None:
        super().__init__()
        self._workload = workload
        self._target = target
        self._today = today

    def compose_fields(self) -> ComposeResult:
        yield Static(plain(self._workload), classes="dialog-subject")
        with Horizontal(classes="field-row"):
            yield choice_field(
                _("Why"),
                [(Content(_(label)), kind.value) for kind, label in KIND_LABEL.items()],
                ReviewKind.PERIODIC.value,
                "next-kind",
            )
            yield Field(
                _("Go / no-go date (YYYY-MM-DD)"),
                Input(self._target.isoformat(), validators=[IsoDate()], id="next-date"),
            )

    def collect(self) -> NextReviewForm:
        kind = self.query_one("#next-kind", Select).value
        when = form_date(self.value("#next-date"))
        assert when is not None
        return NextReviewForm(kind=ReviewKind(str(kind)), launch_date=when)
