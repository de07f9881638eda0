"""Showing things: user text as data (never markup, controls made visible), marks and colours.

Colours come from the theme's variables ($error, $warning, $success, ...), never from code:
`Content` spans name the variables and Textual resolves them; Rich `Text` (tree labels, table
cells) takes the current theme's values from `Palette`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from datetime import date

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color, ColorParseError
from textual.content import Content
from textual.widget import Widget

from orr.checklist.rules import Risk
from orr.i18n import N_, _
from orr.review.kinds import (
    BlockerKind,
    ConditionKind,
    GateKind,
    Mark,
    MitigationStatus,
    NaReason,
    ReviewKind,
    StatusFilter,
    Verdict,
)
from orr.textsafe import one_line, terminal_safe

MARK_GLYPH: dict[Mark, str] = {
    Mark.UNANSWERED: "○",
    Mark.NO_RISK: "●",
    Mark.MEDIUM: "▲",
    Mark.HIGH: "■",
    Mark.NOT_APPLICABLE: "–",
    Mark.RECONFIRM: "↻",
}

# Labels are marked with N_ here (this module is imported once, whatever the language in use
# later) and translated with _() where they are shown.
MARK_LABEL: dict[Mark, str] = {
    Mark.UNANSWERED: N_("unanswered"),
    Mark.NO_RISK: N_("no risk"),
    Mark.MEDIUM: N_("medium risk"),
    Mark.HIGH: N_("high risk"),
    Mark.NOT_APPLICABLE: N_("not applicable"),
    Mark.RECONFIRM: N_("needs re-confirmation"),
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
    Verdict.READY: N_("READY"),
    Verdict.READY_WITH_CONDITIONS: N_("CONDITIONS"),
    Verdict.NOT_READY: N_("NOT READY"),
}

VERDICT_CLASS: dict[Verdict, str] = {
    Verdict.READY: "-ready",
    Verdict.READY_WITH_CONDITIONS: "-conditions",
    Verdict.NOT_READY: "-not-ready",
}

RISK_LABEL: dict[Risk, str] = {
    Risk.HIGH_RISK: N_("HIGH"),
    Risk.MEDIUM_RISK: N_("MEDIUM"),
    Risk.NO_RISK: N_("NONE"),
}

RISK_VAR: dict[Risk, str] = {
    Risk.HIGH_RISK: "text-error",
    Risk.MEDIUM_RISK: "text-warning",
    Risk.NO_RISK: "text-success",
}

STATUS_LABEL: dict[MitigationStatus, str] = {
    MitigationStatus.OPEN: N_("open"),
    MitigationStatus.IN_PROGRESS: N_("in progress"),
    MitigationStatus.DONE: N_("done"),
    MitigationStatus.WITHDRAWN: N_("withdrawn"),
}

STATUS_FILTER_LABEL: dict[StatusFilter, str] = {
    StatusFilter.ALL: N_("all questions"),
    StatusFilter.UNANSWERED: N_("unanswered"),
    StatusFilter.FINDINGS: N_("findings"),
    StatusFilter.NOT_APPLICABLE: N_("not applicable"),
    StatusFilter.RECONFIRM: N_("needs re-confirmation"),
}

# What each line of the gate is, in a few words (the tables of readiness).
KIND_LABEL: dict[GateKind, str] = {
    BlockerKind.UNANSWERED: N_("unanswered"),
    BlockerKind.NA_WITHOUT_REASON: N_("N/A, no reason"),
    BlockerKind.HIGH_FINDING: N_("HIGH finding"),
    BlockerKind.BLOCKING_MITIGATION: N_("blocking action"),
    BlockerKind.MITIGATION_AFTER_LAUNCH: N_("due after launch"),
    BlockerKind.SIGNOFF_MISSING: N_("sign-off missing"),
    BlockerKind.SIGNOFF_STALE: N_("sign-off stale"),
    BlockerKind.SIGNOFF_REJECTED: N_("rejected"),
    BlockerKind.CHECKLIST_CHANGED: N_("checklist changed"),
    BlockerKind.EVIDENCE_MISSING: N_("no evidence"),
    BlockerKind.EVIDENCE_STALE: N_("stale evidence"),
    ConditionKind.MEDIUM_FINDING: N_("MEDIUM finding"),
    ConditionKind.OPEN_MITIGATION: N_("open action"),
    ConditionKind.RISK_ACCEPTANCE: N_("risk accepted"),
    ConditionKind.ACCEPTANCE_EXPIRING: N_("acceptance expiring"),
    ConditionKind.EVIDENCE_MISSING: N_("no evidence"),
    ConditionKind.EVIDENCE_STALE: N_("stale evidence"),
}

NA_LABEL: dict[NaReason, str] = {
    NaReason.OUT_OF_SCOPE: N_("Out of scope"),
    NaReason.BUSINESS_PRIORITIES: N_("Business priorities"),
    NaReason.ARCHITECTURE_CONSTRAINTS: N_("Architecture constraints"),
    NaReason.OTHER: N_("Other"),
}


# Why a review is held, as the screens name it (the review file keeps the value; in English
# the screens show the value itself).
REVIEW_KIND_LABEL: dict[ReviewKind, str] = {
    ReviewKind.PRE_LAUNCH: N_("pre_launch"),
    ReviewKind.PERIODIC: N_("periodic"),
    ReviewKind.POST_INCIDENT: N_("post_incident"),
    ReviewKind.CHANGE: N_("change"),
}


def review_kind_label(value: str) -> str:
    """A review's kind in the language in use (a value orr does not know, as it is)."""
    known = {str(k): v for k, v in REVIEW_KIND_LABEL.items()}
    return _(known[value]) if value in known else value


def safe(text: str) -> str:
    """User text as it was typed, with control characters (ESC, BEL, ...) made visible."""
    return terminal_safe(text)


def plain(text: str) -> Content:
    """User text as Content: no markup is read, controls shown as escapes."""
    return Content(safe(text))


Part = str | Content | tuple[str, str]


def _pieces(template: str, values: dict[str, object]) -> list[tuple[bool, object]]:
    """The template's words (True) and the values of its placeholders (False), in order."""
    pieces: list[tuple[bool, object]] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            pieces.append((True, literal))
        if name is not None:
            pieces.append((False, values[name]))
    return pieces


def fill(template: str, style: str = "", /, **values: Part) -> Content:
    """A translated sentence with its ``{placeholders}`` filled, each with text (shown as it is,
    never markup), Content, or (text, style): the words keep the order of the sentence in the
    language in use, and only the parts that stand out are styled (the words themselves in
    ``style``)."""
    parts: list[Part] = []
    for words, piece in _pieces(template, dict(values)):
        if words and style:
            assert isinstance(piece, str)
            parts.append((piece, style))
        else:
            assert isinstance(piece, str | Content | tuple)
            parts.append(piece)
    return Content.assemble(*parts)


def fit(text: str, cells: int) -> str:
    """User text on one line, cut to ``cells`` columns of a terminal with an ellipsis (a
    Japanese character takes two columns; `one_line` counts characters)."""
    flat = one_line(text)
    if cell_len(flat) <= cells:
        return flat
    kept: list[str] = []
    used = 0
    for char in flat:
        used += cell_len(char)
        if used > cells - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


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
    old = [cls for cls in classes if cls != wanted and widget.has_class(cls)]
    add = wanted is not None and not widget.has_class(wanted)
    if not old and not add:
        return
    # One restyle for the swap (each add_class or remove_class restyles at once).
    widget.remove_class(*old, update=False)
    if wanted is not None:
        widget.add_class(wanted, update=False)
    widget.update_node_styles()
