"""Writing and reading workbook cells safely and fast (shared by export, template, import, merge).

- **Text stays text.** A cell whose text a spreadsheet would run as a formula (it starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) or read as an error value (``#N/A``) is
  stored as a string cell with the "quote prefix" format, so neither openpyxl nor the program
  that opens the file evaluates it. Characters XML cannot hold are shown as ``\\x01`` escapes.
- **Readable and printable.** Every cell carries its own format (wrap, alignment, number
  format): LibreOffice ignores a workbook's default format. Column widths fit their content
  within each column's bounds, row heights are set from the text (neither LibreOffice nor Excel
  grows a row on opening), and every sheet has a page setup: orientation, fit to one page wide,
  header rows repeated, a header and footer, and a print area holding the table.
- **Fast.** Sheets are openpyxl write-only sheets. Rows are kept until the sheet is finished
  (widths and heights need every row), then handed to openpyxl's row writer as ready cells:
  formats are built once per workbook and shared, so a styled sheet costs about what openpyxl
  needs for the bare values.
- **Reading** loads the values of the sheets a command needs into memory in one step (merged
  ranges read into every cell they cover), and turns whatever a broken or foreign file makes
  openpyxl raise into one clear line.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from orr.errors import InputError
from orr.i18n import _
from orr.tomlfile import display_path, write_atomic

# What makes a spreadsheet treat typed text as a formula (OWASP "CSV injection" list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Texts openpyxl (and spreadsheets) would store as an error value instead of text.
ERROR_TEXTS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
# XML 1.0 cannot hold these (openpyxl raises IllegalCharacterError on them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767  # a longer cell makes Excel "repair" the file
# One search tells whether a text needs any of the above (most texts need none).
_ATTENTION = re.compile(r"^[=+\-@\t\r#]|[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")

# Colours (ARGB without alpha).
HEADER_FILL = "1F4E78"
EDIT_FILL = "FFF2CC"
RISK_FILLS = {"HIGH_RISK": "F8CBAD", "MEDIUM_RISK": "FFE699", "NO_RISK": "C6EFCE"}
MUTED_FILL = "EDEDED"
OVERDUE_FILL = "FFC7CE"
VERDICT_FILLS = {"NOT_READY": "F8CBAD", "READY_WITH_CONDITIONS": "FFE699", "READY": "C6EFCE"}

CellValue = str | int | float | date | datetime | None
FONT = "Calibri"  # the workbook's font (LibreOffice shows a metric-compatible one, or its own)

# How text sits in a cell, measured in LibreOffice (fonts metric-compatible with Calibri, or
# wider ones) and Excel: characters per unit of column width, and points per line. The
# estimates lean wide so that text is never cut; Excel's Calibri fits a little more.
CHARS_PER_WIDTH = {"normal": 1.1, "bold": 0.98, "large": 0.74}
LINE_POINTS = {"normal": 15.0, "bold": 15.0, "large": 19.0}
DEFAULT_ROW_POINTS = 15.0
MAX_ROW_POINTS = 409.0  # the most a spreadsheet row may be
_FILTER_BUTTON = 2.0  # width the filter button takes in a header cell


def clean_text(text: str) -> str:
    """Text a cell can hold as typed: XML-illegal characters shown as ``\\xNN``, line breaks as
    LF (XML readers turn CR into LF anyway), at most 32,767 characters."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would run or re-interpret this text if it were typed."""
    return text.startswith(FORMULA_PREFIXES) or text in ERROR_TEXTS


def plain(value: object) -> CellValue:
    """A model value as a cell value: enums as their text, aware datetimes as naive UTC (Excel
    has no time zones), booleans as yes/no, anything else as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    return str(value)


@dataclass(frozen=True)
class Styled:
    """A value with a named format of the workbook (``Styles`` attribute name)."""

    value: object
    style: str


@dataclass(frozen=True)
class Column:
    """A column of a table sheet: its header (the canonical key, English; written translated),
    its widest width, whether stakeholders edit it, and its narrowest width (default: what the
    header's longest word needs)."""

    header: str
    width: float = 14
    editable: bool = False
    min_width: float | None = None


@dataclass(frozen=True)
class _Format:
    """A cell format of the workbook and how its text measures."""

    style: StyleArray
    metric: str  # a key of CHARS_PER_WIDTH
    wrap: bool = True

    @property
    def chars(self) -> float:
        """Characters per unit of column width."""
        return CHARS_PER_WIDTH[self.metric]

    @property
    def line(self) -> float:
        """Points per line."""
        return LINE_POINTS[self.metric]


class Styles:
    """The cell formats of one workbook, built once (cells share them)."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        thin = Side(style="thin", color="9BA7B4")
        wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")
        wrap_right = Alignment(wrap_text=True, vertical="top", horizontal="right")
        white_bold = Font(name=FONT, bold=True, color="FFFFFF")
        bold = "bold"
        self.text = self._make(alignment=wrap)
        self.number = self._make(alignment=Alignment(vertical="top", horizontal="right"))
        self.header = self._make(
            bold,
            font=white_bold,
            fill=_fill(HEADER_FILL),
            alignment=wrap,
            border=Border(bottom=thin),
        )
        self.header_edit = self._make(
            bold,
            font=Font(name=FONT, bold=True),
            fill=_fill(EDIT_FILL),
            alignment=wrap,
            border=Border(bottom=thin),
        )
        self.title = self._make(
            "large",
            font=Font(name=FONT, bold=True, size=14),
            alignment=Alignment(vertical="top", horizontal="left"),
            wrap=False,
        )
        self.bold = self._make(bold, font=Font(name=FONT, bold=True), alignment=wrap)
        self.label = self._make(
            bold, font=Font(name=FONT, bold=True, color="44546A"), alignment=wrap
        )
        self.date = self._make(alignment=wrap, number_format="yyyy-mm-dd")
        self.datetime = self._make(alignment=wrap, number_format="yyyy-mm-dd hh:mm")
        late = Font(name=FONT, bold=True, color="9C0006")
        self.overdue = self._make(bold, font=late, fill=_fill(OVERDUE_FILL), alignment=wrap_right)
        self.overdue_date = self._make(
            bold, font=late, fill=_fill(OVERDUE_FILL), alignment=wrap, number_format="yyyy-mm-dd"
        )
        self.muted = self._make(font=Font(name=FONT, italic=True, color="7F7F7F"), alignment=wrap)
        self.verdict = {
            name: self._make(
                "large", font=Font(name=FONT, bold=True, size=14), fill=_fill(rgb), alignment=wrap
            )
            for name, rgb in VERDICT_FILLS.items()
        }
        self._quoted: dict[int, _Format] = {}

    def _make(
        self,
        metric: str = "normal",
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
        number_format: str | None = None,
        wrap: bool = True,
    ) -> _Format:
        probe = Cell(self._ws, 1, 1)
        if font is not None:
            probe.font = font
        if fill is not None:
            probe.fill = fill
        if alignment is not None:
            probe.alignment = alignment
        if border is not None:
            probe.border = border
        if number_format is not None:
            probe.number_format = number_format
        style = StyleArray(probe._style)  # type: ignore[attr-defined]  # the stubs omit it
        return _Format(style, metric, wrap)

    def quoted(self, fmt: _Format) -> _Format:
        """The same format with the quote prefix (the cell's text is never a formula)."""
        key = id(fmt)
        found = self._quoted.get(key)
        if found is None:
            style = StyleArray(fmt.style)
            style.quotePrefix = 1
            found = _Format(style, fmt.metric, fmt.wrap)
            self._quoted[key] = found
        return found

    def named(self, name: str, value: object = None) -> _Format:
        """A format by name: an attribute, or ``verdict`` keyed by the verdict."""
        if name == "verdict":
            key = str(value.name if isinstance(value, Enum) else plain(value)).replace(" ", "_")
            return self.verdict.get(key, self.bold)
        found: _Format = getattr(self, name)
        return found


def _rule(
    kind: Literal["cellIs", "expression"],
    formula: str,
    *,
    fill: PatternFill | None = None,
    font: Font | None = None,
    border: Border | None = None,
) -> Rule:
    """A conditional format: ``cellIs`` (the cell equals ``formula``) or ``expression``."""
    rule = Rule(type=kind, operator="equal" if kind == "cellIs" else None, formula=[formula])
    rule.dxf = DifferentialStyle(font=font, border=border, fill=fill)
    return rule


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


@dataclass
class PageText:
    """What the header and footer of every printed page say (user text is escaped)."""

    left: str = ""  # e.g. the workload
    right: str = ""  # e.g. the verdict
    footer_left: str = ""  # e.g. the date


def header_text(text: str, limit: int = 80) -> str:
    """User text as a header or footer shows it: one line, ``&`` (a header code) doubled."""
    flat = " ".join(clean_text(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return flat.replace("&", "&&")


class Book:
    """A write-only workbook: sheets are written row by row, then saved once."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self._styles: Styles | None = None
        self.sheets: list[SheetWriter] = []
        self.page = PageText()
        self.active: str | None = None  # the sheet the workbook opens on

    @property
    def styles(self) -> Styles:
        assert self._styles is not None, "add a sheet first"
        return self._styles

    def sheet(
        self,
        title: str,
        columns: Sequence[Column] = (),
        *,
        freeze: str | None = "A2",
        hidden: bool = False,
        header: bool = True,
    ) -> SheetWriter:
        ws: Any = self.wb.create_sheet(title)
        if self._styles is None:
            self._styles = Styles(ws)
        writer = SheetWriter(self, ws, list(columns), freeze=freeze, hidden=hidden, header=header)
        self.sheets.append(writer)
        return writer

    def to_bytes(self) -> bytes:
        for sheet in self.sheets:
            sheet.finish()
        if self.active is not None:
            titles = [s.ws.title for s in self.sheets]
            if self.active in titles:
                index = titles.index(self.active)
                self.wb.active = index
                for i, sheet in enumerate(self.sheets):
                    sheet.ws.sheet_view.tabSelected = i == index
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        """Write the workbook atomically (a reader never sees half a file)."""
        write_atomic(path, self.to_bytes())


@dataclass
class _Validation:
    formula: str
    column: int
    strict: bool
    prompt: str
    kind: str = "list"


@dataclass
class _Highlight:
    column: int
    fills: dict[str, str]  # cell text -> fill colour


@dataclass
class _Separator:
    key_column: int
    bold_column: int | None


# A prepared cell: (column, value, data type, format).
_Prepared = tuple[int, Any, str, _Format]


@dataclass
class Print:
    """How a sheet prints: orientation, whether it fits on one page (else one page wide), the
    last column of the print area (None: every column), and whether row 1 repeats."""

    landscape: bool = False
    one_page: bool = False
    last_column: int | None = None
    title_row: bool = True


class SheetWriter:
    """Rows of one sheet, kept until the sheet is finished: then the column widths fit the
    content, row heights follow the text, the page setup, filters, drop-downs and conditional
    formats are set, and the rows are written."""

    def __init__(
        self,
        book: Book,
        ws: Any,
        columns: list[Column],
        *,
        freeze: str | None,
        hidden: bool,
        header: bool,
    ) -> None:
        self.book = book
        self.ws = ws
        self.columns = columns
        self.rows = 0
        self.filter = bool(columns) and header
        self.min_rows = 0  # drop-downs reach at least this row (room for rows stakeholders add)
        self.print = Print(landscape=_wide(columns))
        self.fit_widths = bool(columns)
        self._widths: list[float] = [c.width for c in columns]
        self._need: list[float] = [0.0] * len(columns)
        self._header = bool(columns) and header
        self._hidden = hidden
        self._validations: list[_Validation] = []
        self._highlights: list[_Highlight] = []
        self._separators: list[_Separator] = []
        self._rows: list[list[_Prepared]] = []
        self._finished = False
        self._styles = book.styles
        if freeze:
            ws.freeze_panes = freeze
        if hidden:
            ws.sheet_state = "hidden"
        if self._header:
            self.append(
                [
                    Styled(
                        _(c.header) if c.header else None, "header_edit" if c.editable else "header"
                    )
                    for c in columns
                ]
            )

    def widths(self, widths: Sequence[float]) -> None:
        """Fixed column widths (the columns' content is not measured)."""
        self._widths = list(widths)
        self._need = [0.0] * len(widths)
        self.fit_widths = False

    # --- rows ---

    def append(self, values: Iterable[object]) -> int:
        """Add one row; returns its row number. Values are model values, ``Styled`` values or
        ``None`` for an empty cell."""
        styles = self._styles
        text_fmt = styles.text
        need = self._need
        row: list[_Prepared] = []
        for col, value in enumerate(values, start=1):
            if value is None:
                continue
            fmt: _Format | None = None
            if type(value) is Styled:
                fmt = styles.named(value.style, value.value)
                value = value.value
                if value is None:
                    row.append((col, None, "n", fmt))
                    continue
            if type(value) is not str:
                value = plain(value)
                if value is None:
                    continue
            if type(value) is str:
                if not value:
                    if fmt is not None:
                        row.append((col, None, "n", fmt))
                    continue
                if fmt is None:
                    fmt = text_fmt
                if _ATTENTION.search(value) is not None or len(value) > MAX_CELL_TEXT:
                    risky = is_formula_like(value)
                    value = clean_text(value)
                    if risky:
                        fmt = styles.quoted(fmt)
                if col <= len(need) and fmt.wrap:
                    size = _longest_line(value)
                    if size > need[col - 1] * 0.74:  # the narrowest measure: large text
                        longest = size / fmt.chars
                        if longest > need[col - 1]:
                            need[col - 1] = longest
                row.append((col, value, "s", fmt))
            elif isinstance(value, date):  # a datetime too
                if fmt is None:
                    fmt = styles.datetime if isinstance(value, datetime) else styles.date
                shown = 16 if isinstance(value, datetime) else 10
                if col <= len(need) and shown > need[col - 1]:
                    need[col - 1] = shown
                row.append((col, value, "d", fmt))
            else:
                if fmt is None:
                    fmt = styles.number
                shown = len(str(value))
                if col <= len(need) and shown > need[col - 1]:
                    need[col - 1] = shown
                row.append((col, value, "n", fmt))
        self._rows.append(row)
        self.rows += 1
        return self.rows

    def blank(self) -> int:
        return self.append([])

    def drop_down(
        self, column: int, options: Sequence[str] | str, *, strict: bool = True, prompt: str = ""
    ) -> None:
        """A drop-down list on a column (1-based) below the header: ``options`` is a list of
        words, or a range such as ``'Lens'!$E$2:$E$200``. ``strict`` rejects other values."""
        if isinstance(options, str):
            formula = options
        else:
            formula = '"' + ",".join(options) + '"'
            if len(formula) > 257:  # Excel's limit for an inline list (255 characters)
                return
        self._validations.append(_Validation(formula, column, strict, prompt))

    def dates_only(self, column: int, prompt: str = "") -> None:
        """The column's cells below the header accept dates only."""
        self._validations.append(_Validation("1", column, True, prompt, kind="date"))

    def highlight(self, column: int, fills: dict[str, str]) -> None:
        """Colour a column's cells by their text (risk, status, ...) with conditional
        formatting: no format per cell, and the colour follows an edit in the spreadsheet."""
        self._highlights.append(_Highlight(column, fills))

    def separate(self, key_column: int, bold_column: int | None = None) -> None:
        """A rule above each row whose ``key_column`` is filled in and differs from the row above
        (the first row of each question), and that row's ``bold_column`` in bold (conditional
        formatting)."""
        self._separators.append(_Separator(key_column, bold_column))

    # --- finishing ---

    def _fitted_widths(self) -> list[float]:
        if not self.fit_widths or self.rows <= 1:
            return self._widths  # an empty table keeps room to type in
        out: list[float] = []
        for column, need in zip(self.columns, self._need, strict=False):
            words = _(column.header).split() if column.header else [""]  # as written
            header_need = max(map(text_width, words)) / CHARS_PER_WIDTH["bold"] + _FILTER_BUTTON
            low = column.min_width if column.min_width is not None else max(header_need, 4.0)
            if column.editable:
                low = max(low, column.width * 0.7)
            out.append(round(min(column.width, max(low, need + 1.5)), 1))
        return out

    def _heights(self, widths: list[float]) -> None:
        dims = self.ws.row_dimensions
        last = len(widths)
        # Characters per line of each column, for each measure (a cell's format has one).
        per_line: dict[str, list[float]] = {
            metric: [w * chars - 1 for w in widths] for metric, chars in CHARS_PER_WIDTH.items()
        }
        for index, row in enumerate(self._rows, start=1):
            points = DEFAULT_ROW_POINTS
            for col, value, kind, fmt in row:
                if kind != "s":
                    continue
                if not fmt.wrap:
                    lines = value.count("\n") + 1
                else:
                    room = per_line[fmt.metric][col - 1] if col <= last else 8.0
                    if "\n" not in value and text_width(value) <= room:
                        lines = 1  # most cells: one line
                    else:
                        lines = _lines(value, room)
                height = lines * fmt.line
                if height > points:
                    points = height
            if points > DEFAULT_ROW_POINTS:
                # A plain mapping: openpyxl writes a row's dimension as its attributes.
                dims[index] = {"ht": f"{min(MAX_ROW_POINTS, points + 2):g}", "customHeight": "1"}

    def _page(self, widths: list[float]) -> None:
        ws = self.ws
        p = self.print
        ws.page_setup.orientation = "landscape" if p.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if p.one_page else 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.7, header=0.3)
        last_col = p.last_column or max(len(widths), 1)
        last_row = self._last_printed_row()
        first_row = 2 if self._header and p.title_row else 1
        if last_row < first_row:
            # An empty table prints nothing (not a page holding only its headings).
            ws.print_area = f"A{first_row}:{get_column_letter(last_col)}{first_row}"
        else:
            ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
        if self._header and p.title_row:
            ws.print_title_rows = "1:1"
        page = self.book.page
        ws.oddHeader.left.text = page.left
        ws.oddHeader.center.text = "&A"
        ws.oddHeader.right.text = page.right
        ws.oddFooter.left.text = page.footer_left
        ws.oddFooter.right.text = _("Page &P of &N")
        for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right):
            part.size = 9
        for part in (ws.oddFooter.left, ws.oddFooter.right):
            part.size = 8

    def _last_printed_row(self) -> int:
        last = len(self._rows)
        while last > 0 and not self._rows[last - 1]:
            last -= 1
        return last

    def _conditional(self, last_row: int) -> None:
        cf = self.ws.conditional_formatting
        for h in self._highlights:
            letter = get_column_letter(h.column)
            for text, rgb in h.fills.items():
                quoted = '"' + text.replace('"', '""') + '"'
                cf.add(
                    f"{letter}2:{letter}{last_row}",
                    _rule("cellIs", quoted, fill=_fill(rgb), font=Font(bold=True)),
                )
        last_col = get_column_letter(max(len(self.columns), 1))
        thin = Side(style="thin", color="9BA7B4")
        for sep in self._separators:
            key = get_column_letter(sep.key_column)
            changed = f'AND(${key}2<>"",${key}2<>${key}1)'
            cf.add(
                f"A2:{last_col}{last_row}", _rule("expression", changed, border=Border(top=thin))
            )
            if sep.bold_column is not None:
                bold = get_column_letter(sep.bold_column)
                cf.add(
                    f"{bold}2:{bold}{last_row}", _rule("expression", changed, font=Font(bold=True))
                )

    def _validate(self, last_row: int) -> None:
        for v in self._validations:
            letter = get_column_letter(v.column)
            if v.kind == "date":
                dv = DataValidation(
                    type="date",
                    operator="greaterThan",
                    formula1=v.formula,
                    allow_blank=True,
                    showErrorMessage=True,
                    showInputMessage=bool(v.prompt),
                    prompt=v.prompt or None,
                    errorTitle=_("Not a date"),
                    error=_("Write a date: YYYY-MM-DD."),
                )
            else:
                dv = DataValidation(
                    type="list",
                    formula1=v.formula,
                    allow_blank=True,
                    showErrorMessage=v.strict,
                    showInputMessage=bool(v.prompt),
                    prompt=v.prompt or None,
                    errorTitle=_("Not in the list") if v.strict else None,
                    error=_("Pick a value from the list.") if v.strict else None,
                )
            dv.add(f"{letter}2:{letter}{last_row}")
            self.ws.data_validations.append(dv)

    def finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        widths = self._fitted_widths()
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self._heights(widths)
        if not self._hidden:
            self._page(widths)
        last_row = max(self.rows, self.min_rows, 2)
        self._conditional(last_row)
        if self.filter and self.rows >= 1:
            last_col = get_column_letter(len(self.columns))
            self.ws.auto_filter.ref = f"A1:{last_col}{max(self.rows, 1)}"
        self._validate(last_row)
        self._write()

    def _write(self) -> None:
        ws = self.ws
        rows = self._rows
        self._rows = []
        if hasattr(ws, "_values_to_row"):
            # openpyxl turns each appended value into a cell and writes it at once: hand it
            # ready cells (value, type and shared format set, the format's index looked up once
            # per format rather than per cell), one reused object per sheet.
            cell: Any = _ReadyCell(ws, 1, 1)
            cell.has_style = True
            ids: dict[int, int] = {}
            add = ws.parent._cell_styles.add

            def ready(row: list[_Prepared], row_idx: int) -> Iterator[Cell]:
                for col, value, kind, fmt in row:
                    key = id(fmt)
                    found = ids.get(key)
                    if found is None:
                        found = ids[key] = add(fmt.style)
                    cell._value = value
                    cell.data_type = kind
                    cell._style = fmt.style
                    cell.style_id = found
                    cell.column = col
                    cell.row = row_idx
                    yield cell

            ws._values_to_row = ready
            for row in rows:
                ws.append(row)
            return
        for row in rows:  # an openpyxl without that hook: cells through the public API
            out: list[Any] = [None] * (row[-1][0] if row else 0)
            for col, value, kind, fmt in row:
                c = Cell(ws, 1, col, None, StyleArray(fmt.style))
                c._value = value  # type: ignore[attr-defined]
                c.data_type = kind
                out[col - 1] = c
            ws.append(out)


class _ReadyCell(Cell):
    """A cell whose format index and "has a format" are set, not worked out for every write."""

    __slots__ = ("has_style", "style_id")


def _wide(columns: Sequence[Column]) -> bool:
    """A table wider than a portrait page reads better in landscape."""
    return sum(c.width for c in columns) > 110


def text_width(text: str) -> int:
    """How wide ``text`` is, in Latin characters: a wide character (Japanese, Chinese, Korean)
    takes about two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if east_asian_width(ch) in "WF")


def _longest_line(text: str) -> int:
    if "\n" not in text:
        return text_width(text)
    return max(map(text_width, text.split("\n")))


def _lines(text: str, per_line: float) -> int:
    """How many lines ``text`` takes, wrapped at ``per_line`` characters. Word wrapping leaves
    part of each line empty, and a word longer than a good part of the line (a link, an id)
    starts a line of its own: the estimate counts generously."""
    per_line = max(per_line, 1.0)
    total = 0
    for line in text.split("\n") if "\n" in text else (text,):
        size = text_width(line)
        if size <= per_line:
            total += 1
            continue
        lines = math.ceil(size / per_line)
        # Japanese breaks between any two characters: only a long Latin word (a link, an id)
        # is kept whole.
        words = line.split() if line.isascii() else [w for w in line.split() if w.isascii()]
        if size < 4000 and max(map(len, words), default=0) > per_line * 0.35:
            lines += 1
        total += lines
    return total


# --- reading -------------------------------------------------------------------------------------


@dataclass
class SheetData:
    """The values of one sheet; ``rows[0]`` is row 1. Trailing empty rows are dropped."""

    title: str
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def value(self, row: int, column: int) -> Any:
        if row < 1 or row > len(self.rows):
            return None
        values = self.rows[row - 1]
        return values[column - 1] if 0 < column <= len(values) else None


def cell_ref(sheet: str, row: int, column: int) -> str:
    """``Checklist!F12`` (quoted when the sheet name has spaces: ``'Risk Acceptances'!E4``)."""
    name = sheet if re.fullmatch(r"[A-Za-z0-9_]+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(column)}{row}"


_MERGE = re.compile(
    rb"<(?:[A-Za-z0-9_]+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)\""
)
_CELL = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
MAX_COLUMNS = 16384  # a sheet's last column (XFD)


def _merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only sheet (openpyxl reads none in that mode): (first row,
    first column, last row, last column)."""
    from openpyxl.utils import column_index_from_string

    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if path is None or archive is None:
        return []
    found: list[tuple[int, int, int, int]] = []
    for ref in _MERGE.findall(archive.read(path)):
        ends = [_CELL.fullmatch(part) for part in ref.decode("ascii").split(":")]
        if len(ends) == 1:
            continue  # a single cell merged with itself
        first, last = ends
        if first is None or last is None:
            continue
        r1, r2 = int(first.group(2)), int(last.group(2))
        c1 = column_index_from_string(first.group(1).upper())
        c2 = column_index_from_string(last.group(1).upper())
        found.append((min(r1, r2), min(c1, c2), max(r1, r2), min(max(c1, c2), MAX_COLUMNS)))
    return found


def spread_merged(rows: list[tuple[Any, ...]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Read each merged range's value (its top-left cell's) into every cell it covers, within
    the rows the sheet has (a range reaching below the last row adds no rows)."""
    width = max((len(r) for r in rows), default=0)
    for r1, c1, r2, c2 in ranges:
        if r1 > len(rows) or c1 > max(width, 1):
            continue
        value = rows[r1 - 1][c1 - 1] if c1 <= len(rows[r1 - 1]) else None
        if value is None:
            continue
        last_col = min(c2, max(width, c1))
        for r in range(r1, min(r2, len(rows)) + 1):
            cells = list(rows[r - 1])
            if len(cells) < last_col:
                cells.extend([None] * (last_col - len(cells)))
            for c in range(c1, last_col + 1):
                cells[c - 1] = value
            rows[r - 1] = tuple(cells)


def read_book(path: Path, wanted: Callable[[str], bool] | None = None) -> dict[str, SheetData]:
    """The values of the workbook's sheets (all, or those whose name ``wanted`` accepts).

    Formulas are read as the value the spreadsheet last computed; a merged range's value is in
    every cell it covers. A missing, broken or non-xlsx file is an InputError with one line."""
    # openpyxl warns on stderr about the parts of a workbook it skips (defined names of a sheet
    # that is gone, extensions, data validation): what orr needs it checks itself, and says in
    # one line; the library's warnings would be two more lines with its source file in them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_book(path, wanted)


def _read_book(path: Path, wanted: Callable[[str], bool] | None) -> dict[str, SheetData]:
    from openpyxl import load_workbook

    shown = display_path(path)
    if not path.exists():
        raise InputError(_("{path}: no such file").format(path=shown))
    if path.is_dir():
        raise InputError(_("{path}: is a folder, not a workbook").format(path=shown))
    if not zipfile.is_zipfile(path):
        raise InputError(
            _(
                "{path}: not an Excel workbook (.xlsx): save it as an .xlsx file and try again"
            ).format(path=shown)
        )
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or foreign file
        raise InputError(_unreadable(shown, exc)) from None
    try:
        missing = [n for n in _named_sheets(wb) if n not in wb.sheetnames]
        if missing:
            raise InputError(
                _(
                    "{path}: cannot be read as an .xlsx workbook (sheet {sheet!r} has no content "
                    "in the file): save it again from the spreadsheet application"
                ).format(path=shown, sheet=missing[0])
            )
        out: dict[str, SheetData] = {}
        for name in wb.sheetnames:
            if wanted is not None and not wanted(name):
                continue
            ws: Any = wb[name]
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            merged = _merged_ranges(wb, ws)
            if merged:
                spread_merged(rows, merged)
            while rows and all(_blank(v) for v in rows[-1]):
                rows.pop()
            out[name] = SheetData(name, rows)
        return out
    except InputError:
        raise
    except Exception as exc:
        raise InputError(_unreadable(shown, exc)) from None
    finally:
        wb.close()


def _unreadable(shown: str, exc: Exception) -> str:
    # Translators: {reason} is the library's own words (English).
    return _("{path}: cannot be read as an .xlsx workbook ({reason})").format(
        path=shown, reason=_reason(exc)
    )


_SHEET_ENTRY = re.compile(rb"<(?:[A-Za-z0-9_]+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def _named_sheets(wb: Any) -> list[str]:
    """The worksheets the workbook part names (openpyxl skips one whose part is missing)."""
    import html

    archive = getattr(wb, "_archive", None)
    if archive is None or "xl/workbook.xml" not in archive.namelist():
        return []
    names = [
        html.unescape(m.decode("utf-8", "replace"))
        for m in _SHEET_ENTRY.findall(archive.read("xl/workbook.xml"))
    ]
    chartsheets = {getattr(c, "title", None) for c in getattr(wb, "chartsheets", [])}
    return [n for n in names if n not in chartsheets]


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: object) -> str:
    """A cell value as text, stripped ("" for an empty cell); whole floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return clean_newlines(str(value)).strip()


def clean_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
