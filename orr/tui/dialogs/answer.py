"""Dialogs about an answer: why a question or a practice does not apply, an evidence link, and
two versions of the notes to choose from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static, TextArea

from orr.i18n import _
from orr.review.kinds import NaReason
from orr.tui.dialogs.base import Field, FormDialog, FormProblem, PressedRadioSet
from orr.tui.forms import HttpLink, IsoDate, form_date
from orr.tui.text import NA_LABEL, plain, safe
from orr.tui.widgets.footer import KeysFooter


@dataclass(frozen=True)
class NaChoice:
    reason: NaReason
    note: str


class NotApplicableDialog(FormDialog[NaChoice]):
    """Why a question (or one practice of it) does not apply: a reason is required; "other"
    needs a note (the core's rule, the same as the CLI's)."""

    TITLE_TEXT = _("Not applicable")
    OK_LABEL = _("Mark not applicable")

    def __init__(
        self,
        title: str,
        reason: NaReason | None = None,
        note: str = "",
        *,
        practice: str | None = None,
    ) -> None:
        super().__init__()
        self._question_title = title
        self._practice = practice
        self._reason = reason
        self._note = note
        if practice is not None:
            self.TITLE_TEXT = _("A practice that does not apply")

    def compose_fields(self) -> ComposeResult:
        yield Static(plain(self._question_title), classes="dialog-subject")
        if self._practice is not None:
            yield Static(
                Content.assemble((_("Practice: "), "bold"), plain(self._practice)),
                classes="dialog-subject",
            )
        yield Static(Content(_("Why does it not apply? (required)")), classes="field-label")
        with PressedRadioSet(id="na-reason"):
            for reason, label in NA_LABEL.items():
                yield RadioButton(
                    Content(f"{_(label)}  ({reason.value})"),
                    value=reason is self._reason,
                    name=reason.value,
                )
        yield Field(
            _("Note"),
            Input(safe(self._note), placeholder=_("what makes it not apply"), id="na-note"),
            _("required for Other; say why, for the reviewers who read the review later"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RadioSet).focus()

    def collect(self) -> NaChoice:
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.name is None:
            raise FormProblem(_("Choose why it does not apply: a reason is required."))
        reason = NaReason(pressed.name)
        note = self.value("#na-note")
        if reason is NaReason.OTHER and not note:
            raise FormProblem(_("Other needs a note saying why it does not apply."))
        return NaChoice(reason, note)


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    description: str
    verified_on: date


class EvidenceDialog(FormDialog[EvidenceLink]):
    TITLE_TEXT = _("Add an evidence link")
    OK_LABEL = _("Add link")

    def __init__(self, title: str, today: date) -> None:
        super().__init__()
        self._question_title = title
        self._today = today

    def compose_fields(self) -> ComposeResult:
        yield Static(plain(self._question_title), classes="dialog-subject")
        yield Field(
            _("Link"),
            Input(placeholder="https://…", validators=[HttpLink()], id="ev-url"),
            _("a dashboard, runbook, ticket or document that shows the practice"),
        )
        yield Field(_("What it shows"), Input(id="ev-description"))
        yield Field(
            _("Verified on (YYYY-MM-DD)"),
            Input(
                self._today.isoformat(),
                validators=[IsoDate(latest=self._today)],
                id="ev-verified",
            ),
            _("the day someone checked that the link shows the practice"),
        )

    def collect(self) -> EvidenceLink:
        return EvidenceLink(
            self.value("#ev-url"),
            self.value("#ev-description"),
            form_date(self.value("#ev-verified")) or self._today,
        )


class NotesChoice(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"
    MERGE = "merge"


class NotesClashDialog(ModalScreen[NotesChoice | None]):
    """Someone changed the notes you were typing: both texts side by side; keep yours, take
    theirs, or merge them by editing. Nothing is written over text you have not seen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "decide('')", _("Decide later"), id="clash.later"),
    ]
    HELP = _(
        "Someone else saved other notes for this question while you were typing. Both are "
        "shown: keep yours (theirs is replaced, now that you have read it), take theirs (yours "
        "is dropped), or merge: both go into the notes field for you to edit. Esc decides later: "
        "your text stays in the field, not saved."
    )

    def __init__(self, question: str, who: str, mine: str, theirs: str) -> None:
        super().__init__()
        self._question = question
        self._who = who
        self._mine = mine
        self._theirs = theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog clash"):
            yield Static(Content(_("The notes changed while you typed")), classes="dialog-title")
            yield Static(plain(self._question), classes="dialog-subject")
            with Horizontal(id="clash-texts"):
                with Vertical(classes="clash-side"):
                    yield Static(Content(_("Yours (not saved)")), classes="field-label")
                    yield TextArea(safe(self._mine), read_only=True, id="clash-mine")
                with Vertical(classes="clash-side"):
                    yield Static(
                        Content(
                            _("Saved by {name}").format(name=safe(self._who or _("someone else")))
                        ),
                        classes="field-label",
                    )
                    yield TextArea(safe(self._theirs), read_only=True, id="clash-theirs")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Keep mine"), id="mine", compact=True)
                yield Button(_("Take theirs"), id="theirs", compact=True)
                yield Button(_("Merge by editing"), variant="primary", id="merge", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#merge", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_decide(event.button.id or "")

    def action_decide(self, choice: str) -> None:
        self.dismiss(NotesChoice(choice) if choice else None)
