"""What every dialog shares: a labelled field that says what is wrong as the user types, a form
with OK / Cancel and its own footer, a picker, a yes/no question."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.validation import ValidationResult
from textual.widgets import Button, Checkbox, Input, OptionList, RadioSet, Select, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from orr.i18n import _
from orr.tui.screens.base import worker_failed
from orr.tui.widgets.footer import KeysFooter

T = TypeVar("T")


class FormProblem(Exception):
    """What a form still needs (shown in the dialog, which stays open)."""


class Field(Vertical):
    """A label, an input, and what is wrong with it (updated as the user types)."""

    def __init__(self, label: str, widget: Input | Select[str] | Checkbox, hint: str = "") -> None:
        super().__init__(classes="field")
        self.label = label
        self._hint = hint
        self.widget = widget
        if isinstance(widget, Input | Select):
            widget.compact = True  # one line each: the dialogs stay dense

    def compose(self) -> ComposeResult:
        yield Static(Content(self.label), classes="field-label")
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


def choice_field(
    label: str,
    options: Sequence[tuple[Content, str]],
    value: str,
    field_id: str,
    hint: str = "",
) -> Field:
    """A field that picks one of ``options`` (shown text, value), ``value`` chosen; never blank."""
    return Field(label, Select(options, value=value, allow_blank=False, id=field_id), hint)


class PressedRadioSet(RadioSet):
    """A radio set whose highlight starts on the pressed button (not on the first one)."""

    def on_mount(self) -> None:
        # (RadioSet's own mount handler runs first and highlights the first button.)
        pressed = self.pressed_index
        if pressed >= 0:
            self._selected = pressed


class FormDialog(ModalScreen[T | None], Generic[T]):
    """A dialog with fields and OK / Cancel; Enter in a field or Ctrl+S submits, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "submit", _("OK"), id="dialog.submit"),
        # A modal screen leaves out the app's own keys.
        Binding("f1", "app.help", _("Help"), id="dialog.help"),
    ]
    HELP = _("Fill in the fields (Tab moves on), then press Enter or Ctrl+S. Esc cancels.")

    TITLE_TEXT = ""
    OK_LABEL = _("OK")
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
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield KeysFooter()

    def collect(self) -> T:
        """The result (FormProblem says what is still missing)."""
        raise NotImplementedError

    def validate_fields(self) -> str | None:
        """Validate every input; the first problem, if any."""
        problem: str | None = None
        for fld in self.query(Field):
            if isinstance(fld.widget, Input) and fld.widget.validators:
                result = fld.widget.validate(fld.widget.value)
                fld.show_result(result)
                if result is not None and not result.is_valid and problem is None:
                    problem = f"{fld.label}: {result.failure_descriptions[0]}"
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
        try:
            result = self.collect()
        except FormProblem as problem:
            self.show_error(str(problem))
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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker_failed(self, event, _("Something went wrong"))

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()


class PickerDialog(ModalScreen[str | None]):
    """Pick one item of a list (Enter), or cancel (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="picker.cancel")
    ]
    HELP = _("Move with the arrow keys, Enter picks, Esc cancels.")

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
        yield KeysFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [k for k, _label in self._options]
        if self._current in keys:
            options.highlighted = keys.index(self._current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool | None]):
    """A question with a yes and a no (Enter on the highlighted button, Esc is no)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("No"), id="confirm.cancel"),
        Binding("y", "yes", _("Yes"), id="confirm.yes"),
        Binding("n", "cancel", _("No"), show=False, id="confirm.no"),
    ]

    def __init__(self, title: str, question: Content, yes: str, no: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._question = question
        self._yes = yes
        self._no = no or _("Cancel")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(self._question, classes="dialog-subject")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._yes, variant="warning", id="yes", compact=True)
                yield Button(self._no, id="no", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm_callback(fn: Callable[[T], None]) -> Callable[[T | None], None]:
    """A dialog callback that ignores a cancelled dialog."""

    def callback(result: T | None) -> None:
        if result is not None:
            fn(result)

    return callback
