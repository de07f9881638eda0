"""Writing and reading workbook cells safely and fast (shared by export, template, import, merge).

- **Text stays text.** A cell whose text a spreadsheet would run as a formula (it starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) or read as an error value (``#N/A``) is
  stored as a string cell with the "quote prefix" format, so neither openpyxl nor the program
  that opens the file evaluates it. Characters XML cannot hold are shown as ``\\x01`` escapes.
- **Fast.** Sheets are openpyxl write-only sheets. Cell formats are built once per workbook and
  shared; the workbook's default format wraps text and aligns it to the top, so most cells need
  no format of their own and go to openpyxl as plain values.
- **Reading** loads the values of the sheets a command needs into memory in one step, and turns
  whatever a broken or foreign file makes openpyxl raise into one clear line.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation

from orr.errors import InputError
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
        return "yes" if value else "no"
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
    """A column of a table sheet: its header, width, and whether stakeholders edit it."""

    header: str
    width: float = 14
    editable: bool = False


class Styles:
    """The cell formats of one workbook, built once (cells share them by index)."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        thin = Side(style="thin", color="9BA7B4")
        wrap = Alignment(wrap_text=True, vertical="top")
        white_bold = Font(bold=True, color="FFFFFF")
        self.header = self._make(
            font=white_bold, fill=_fill(HEADER_FILL), alignment=wrap, border=Border(bottom=thin)
        )
        self.header_edit = self._make(
            font=Font(bold=True), fill=_fill(EDIT_FILL), alignment=wrap, border=Border(bottom=thin)
        )
        self.title = self._make(font=Font(bold=True, size=14), alignment=wrap)
        self.bold = self._make(font=Font(bold=True), alignment=wrap)
        self.label = self._make(font=Font(bold=True, color="44546A"), alignment=wrap)
        self.date = self._make(alignment=wrap, number_format="yyyy-mm-dd")
        late = Font(bold=True, color="9C0006")
        self.overdue = self._make(font=late, fill=_fill(OVERDUE_FILL), alignment=wrap)
        self.overdue_date = self._make(
            font=late, fill=_fill(OVERDUE_FILL), alignment=wrap, number_format="yyyy-mm-dd"
        )
        self.muted = self._make(font=Font(italic=True, color="7F7F7F"), alignment=wrap)
        self.verdict = {
            name: self._make(font=Font(bold=True, size=14), fill=_fill(rgb), alignment=wrap)
            for name, rgb in VERDICT_FILLS.items()
        }
        self.text = self._make(alignment=wrap, quote=True)
        self._quoted: dict[int, StyleArray] = {}

    def _make(
        self,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
        number_format: str | None = None,
        quote: bool = False,
    ) -> StyleArray:
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
        if quote:
            probe.quotePrefix = True
        return StyleArray(probe._style)  # type: ignore[attr-defined]  # the stubs omit it

    def quoted(self, style: StyleArray) -> StyleArray:
        """The same format with the quote prefix (the cell's text is never a formula)."""
        key = id(style)
        found = self._quoted.get(key)
        if found is None:
            found = StyleArray(style)
            found.quotePrefix = 1
            self._quoted[key] = found
        return found

    def named(self, name: str, value: object = None) -> StyleArray:
        """A format by name: an attribute, or ``verdict`` keyed by the verdict."""
        if name == "verdict":
            return self.verdict.get(str(plain(value)).replace(" ", "_"), self.bold)
        found: StyleArray = getattr(self, name)
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


class Book:
    """A write-only workbook: sheets are written row by row, then saved once."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        # Most cells carry text; making the default format (xf 0) wrap and align to the top
        # spares a format per cell, which is most of the cost of a styled workbook.
        wrap = Alignment(wrap_text=True, vertical="top")
        default = StyleArray()
        # openpyxl has no public way to change xf 0 (the stubs omit these attributes).
        default.alignmentId = self.wb._alignments.add(wrap)  # type: ignore[attr-defined]
        self.wb._cell_styles = IndexedList([default])  # type: ignore[attr-defined]
        self._styles: Styles | None = None
        self.sheets: list[SheetWriter] = []

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


@dataclass
class _Highlight:
    column: int
    fills: dict[str, str]  # cell text -> fill colour


@dataclass
class _Separator:
    key_column: int
    bold_column: int | None


class SheetWriter:
    """Rows of one sheet. Column widths and frozen panes are set before the first row (a
    write-only sheet writes them first); filters and drop-downs when the sheet is finished."""

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
        self._validations: list[_Validation] = []
        self._highlights: list[_Highlight] = []
        self._separators: list[_Separator] = []
        self._finished = False
        self._styles = book.styles
        for i, col in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        if freeze:
            ws.freeze_panes = freeze
        if hidden:
            ws.sheet_state = "hidden"
        if columns and header:
            self.append(
                [Styled(c.header, "header_edit" if c.editable else "header") for c in columns]
            )

    def widths(self, widths: Sequence[float]) -> None:
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width

    def append(self, values: Iterable[object]) -> int:
        """Write one row; returns its row number. Values are model values, ``Styled`` values or
        ``None`` for an empty cell."""
        ws = self.ws
        styles = self._styles
        row: list[Any] = []
        for value in values:
            if type(value) is str:  # the common case first: plain text that needs nothing
                if not value:
                    row.append(None)
                    continue
                if _ATTENTION.search(value) is None and len(value) <= MAX_CELL_TEXT:
                    row.append(value)
                    continue
            elif value is None:
                row.append(None)
                continue
            style: StyleArray | None = None
            if type(value) is Styled:
                style = styles.named(value.style, value.value)
                value = value.value
            if type(value) is not str:
                value = plain(value)
            if type(value) is str:
                if not value:
                    value = None
                elif _ATTENTION.search(value) is not None or len(value) > MAX_CELL_TEXT:
                    risky = is_formula_like(value)
                    value = clean_text(value)
                    if risky:
                        cell = Cell(ws, 1, 1, value, styles.quoted(style) if style else styles.text)
                        cell.data_type = "s"  # never "f" (openpyxl's guess for "=...") nor "e"
                        row.append(cell)
                        continue
            if style is None:
                row.append(value)
            else:
                row.append(Cell(ws, 1, 1, value, style))
        ws.append(row)
        self.rows += 1
        return self.rows

    def blank(self) -> int:
        return self.append([])

    def drop_down(
        self, column: int, options: Sequence[str] | str, *, strict: bool = True, prompt: str = ""
    ) -> None:
        """A drop-down list on a column (1-based) below the header: ``options`` is a list of
        words, or a range such as ``Roles!$A$2:$A$200``. ``strict`` rejects other values."""
        if isinstance(options, str):
            formula = options
        else:
            formula = '"' + ",".join(options) + '"'
            if len(formula) > 257:  # Excel's limit for an inline list (255 characters)
                return
        self._validations.append(_Validation(formula, column, strict, prompt))

    def highlight(self, column: int, fills: dict[str, str]) -> None:
        """Colour a column's cells by their text (risk, status, ...) with conditional
        formatting: no format per cell, and the colour follows an edit in the spreadsheet."""
        self._highlights.append(_Highlight(column, fills))

    def separate(self, key_column: int, bold_column: int | None = None) -> None:
        """A rule above each row whose ``key_column`` is filled in and differs from the row above
        (the first row of each question), and that row's ``bold_column`` in bold (conditional
        formatting)."""
        self._separators.append(_Separator(key_column, bold_column))

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

    def finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        last_row = max(self.rows, self.min_rows, 2)
        self._conditional(last_row)
        if self.filter and self.rows >= 1:
            last_col = get_column_letter(len(self.columns))
            self.ws.auto_filter.ref = f"A1:{last_col}{max(self.rows, 1)}"
        for v in self._validations:
            letter = get_column_letter(v.column)
            dv = DataValidation(
                type="list",
                formula1=v.formula,
                allow_blank=True,
                showErrorMessage=v.strict,
                showInputMessage=bool(v.prompt),
                prompt=v.prompt or None,
                errorTitle="Not in the list" if v.strict else None,
                error="Pick a value from the list." if v.strict else None,
            )
            dv.add(f"{letter}2:{letter}{last_row}")
            self.ws.data_validations.append(dv)


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
    """``Checklist!F12`` (quoted when the sheet name has spaces: ``'Findings & Mitigations'!E4``)."""
    name = sheet if re.fullmatch(r"[A-Za-z0-9_]+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(column)}{row}"


def read_book(path: Path, wanted: Sequence[str] | None = None) -> dict[str, SheetData]:
    """The values of the workbook's sheets (all, or those named in ``wanted`` that exist).

    Formulas are read as the value the spreadsheet last computed. A missing, broken or
    non-xlsx file is an InputError with one line."""
    from openpyxl import load_workbook

    shown = display_path(path)
    if not path.exists():
        raise InputError(f"{shown}: no such file")
    if path.is_dir():
        raise InputError(f"{shown}: is a folder, not a workbook")
    if not zipfile.is_zipfile(path):
        raise InputError(
            f"{shown}: not an Excel workbook (.xlsx): save it as an .xlsx file and try again"
        )
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or foreign file
        raise InputError(f"{shown}: cannot be read as an .xlsx workbook ({_reason(exc)})") from None
    try:
        out: dict[str, SheetData] = {}
        for name in wb.sheetnames:
            if wanted is not None and name not in wanted:
                continue
            ws: Any = wb[name]
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            while rows and all(_blank(v) for v in rows[-1]):
                rows.pop()
            out[name] = SheetData(name, rows)
        return out
    except Exception as exc:
        raise InputError(f"{shown}: cannot be read as an .xlsx workbook ({_reason(exc)})") from None
    finally:
        wb.close()


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
