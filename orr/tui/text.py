"""Showing things: user text as data (never markup, controls made visible), marks and colours.

Colours come from the theme's variables ($error, $warning, $success, ...), never from code:
`Content` spans name the variables and Textual resolves them; Rich `Text` (tree labels, table
cells) takes the current theme's values from `Palette`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color, ColorParseError
from textual.content import Content
from textual.widget import Widget

from orr.checklist.rules import Risk
from orr.i18n import _
from orr.review.gate import BlockerKind, ConditionKind, GateKind, Verdict
from orr.review.model import MitigationStatus, NaReason
from orr.review.session import Mark, StatusFilter
from orr.textsafe import one_line, terminal_safe

MARK_GLYPH: dict[Mark, str] = {
    Mark.UNANSWERED: "○",
    Mark.NO_RISK: "●",
    Mark.MEDIUM: "▲",
    Mark.HIGH: "■",
    Mark.NOT_APPLICABLE: "–",
    Mark.RECONFIRM: "↻",
}

MARK_LABEL: dict[Mark, str] = {
    Mark.UNANSWERED: _("unanswered"),
    Mark.NO_RISK: _("no risk"),
    Mark.MEDIUM: _("medium risk"),
    Mark.HIGH: _("high risk"),
    Mark.NOT_APPLICABLE: _("not applicable"),
    Mark.RECONFIRM: _("needs re-confirmation"),
}

# Theme variable of each mark, verdict, risk.
MARK_VAR: dict[Mark, str] = {
    Mark.UNANSWERED: "foreground-muted",
    Mark.NO_RISK: "text-success",
    Mark.MEDIUM: "text-warning",
    Mark.HIGH: "text-error",
    Mark.NOT_APPLICABLE: "foreground-muted",
    Mark.RECONFIRM: "text-accent",
}

VERDICT_VAR: dict[Verdict, str] = {
    Verdict.READY: "text-success",
    Verdict.READY_WITH_CONDITIONS: "text-warning",
    Verdict.NOT_READY: "text-error",
}

VERDICT_SHORT: dict[Verdict, str] = {
    Verdict.READY: _("READY"),
    Verdict.READY_WITH_CONDITIONS: _("CONDITIONS"),
    Verdict.NOT_READY: _("NOT READY"),
}

VERDICT_CLASS: dict[Verdict, str] = {
    Verdict.READY: "-ready",
    Verdict.READY_WITH_CONDITIONS: "-conditions",
    Verdict.NOT_READY: "-not-ready",
}

RISK_LABEL: dict[Risk, str] = {
    Risk.HIGH_RISK: _("HIGH"),
    Risk.MEDIUM_RISK: _("MEDIUM"),
    Risk.NO_RISK: _("NONE"),
}

RISK_VAR: dict[Risk, str] = {
    Risk.HIGH_RISK: "text-error",
    Risk.MEDIUM_RISK: "text-warning",
    Risk.NO_RISK: "text-success",
}

STATUS_LABEL: dict[MitigationStatus, str] = {
    MitigationStatus.OPEN: _("open"),
    MitigationStatus.IN_PROGRESS: _("in progress"),
    MitigationStatus.DONE: _("done"),
    MitigationStatus.WITHDRAWN: _("withdrawn"),
}

STATUS_FILTER_LABEL: dict[StatusFilter, str] = {
    StatusFilter.ALL: _("all questions"),
    StatusFilter.UNANSWERED: _("unanswered"),
    StatusFilter.FINDINGS: _("findings"),
    StatusFilter.NOT_APPLICABLE: _("not applicable"),
    StatusFilter.RECONFIRM: _("needs re-confirmation"),
}

# What each line of the gate is, in a few words (the tables of readiness).
KIND_LABEL: dict[GateKind, str] = {
    BlockerKind.UNANSWERED: _("unanswered"),
    BlockerKind.NA_WITHOUT_REASON: _("N/A, no reason"),
    BlockerKind.HIGH_FINDING: _("HIGH finding"),
    BlockerKind.BLOCKING_MITIGATION: _("blocking action"),
    BlockerKind.MITIGATION_AFTER_LAUNCH: _("due after launch"),
    BlockerKind.SIGNOFF_MISSING: _("sign-off missing"),
    BlockerKind.SIGNOFF_STALE: _("sign-off stale"),
    BlockerKind.SIGNOFF_REJECTED: _("rejected"),
    BlockerKind.CHECKLIST_CHANGED: _("checklist changed"),
    BlockerKind.EVIDENCE_MISSING: _("no evidence"),
    BlockerKind.EVIDENCE_STALE: _("stale evidence"),
    ConditionKind.MEDIUM_FINDING: _("MEDIUM finding"),
    ConditionKind.OPEN_MITIGATION: _("open action"),
    ConditionKind.RISK_ACCEPTANCE: _("risk accepted"),
    ConditionKind.ACCEPTANCE_EXPIRING: _("acceptance expiring"),
    ConditionKind.EVIDENCE_MISSING: _("no evidence"),
    ConditionKind.EVIDENCE_STALE: _("stale evidence"),
}

NA_LABEL: dict[NaReason, str] = {
    NaReason.OUT_OF_SCOPE: _("Out of scope"),
    NaReason.BUSINESS_PRIORITIES: _("Business priorities"),
    NaReason.ARCHITECTURE_CONSTRAINTS: _("Architecture constraints"),
    NaReason.OTHER: _("Other"),
}


def safe(text: str) -> str:
    """User text as it was typed, with control characters (ESC, BEL, ...) made visible."""
    return terminal_safe(text)


def plain(text: str) -> Content:
    """User text as Content: no markup is read, controls shown as escapes."""
    return Content(safe(text))


def cell(text: str, limit: int | None = None, style: Style | str = "") -> Text:
    """User text for one table cell or tree line: one line, literal."""
    return Text(one_line(text, limit), style=style, no_wrap=True, overflow="ellipsis", end="")


def days_phrase(days: int) -> str:
    if days > 1:
        return _("{days} days left").format(days=days)
    if days == 1:
        return _("1 day left")
    if days == 0:
        return _("launch day")
    return _("{days} day(s) past launch").format(days=-days)


def days_short(days: int) -> str:
    """Days to the launch in a few characters: ``19d``, ``today``, ``-3d``."""
    return _("today") if days == 0 else _("{days}d").format(days=days)


def short_date(value: date | None) -> str:
    return value.isoformat() if value else "—"


class Palette:
    """Rich styles from the current theme's variables (for Rich `Text` in tables and trees)."""

    def __init__(self, app: App[object]) -> None:
        self._vars = app.get_css_variables()
        self._background = Color.parse(self._vars.get("background", "#000000"))
        self._cache: dict[str, str] = {}

    def color(self, variable: str) -> str:
        """The variable's colour as #rrggbb (translucent colours blended over the background)."""
        if variable not in self._cache:
            raw = self._vars.get(variable) or self._vars.get("foreground", "#e0e0e0")
            try:
                value = Color.parse(raw)
            except ColorParseError:
                value = Color.parse(self._vars.get("foreground", "#e0e0e0"))
            if value.a < 1:
                value = self._background + value
            self._cache[variable] = value.hex6
        return self._cache[variable]

    def style(self, variable: str, *, bold: bool = False) -> Style:
        return Style(color=self.color(variable), bold=bold)

    def mark(self, mark: Mark) -> Style:
        return self.style(MARK_VAR[mark], bold=mark in (Mark.HIGH, Mark.RECONFIRM))

    def risk(self, risk: Risk) -> Style:
        return self.style(RISK_VAR[risk], bold=risk is Risk.HIGH_RISK)

    def verdict(self, verdict: Verdict) -> Style:
        return self.style(VERDICT_VAR[verdict], bold=True)

    @property
    def muted(self) -> Style:
        return self.style("foreground-muted")


def swap_class(widget: Widget, classes: Iterable[str], wanted: str | None) -> None:
    """Give ``widget`` one class of ``classes`` (or none), touching it only when that changes:
    each class change restyles the widget."""
    for cls in classes:
        if cls != wanted and widget.has_class(cls):
            widget.remove_class(cls)
    if wanted is not None and not widget.has_class(wanted):
        widget.add_class(wanted)
