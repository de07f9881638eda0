"""Malformed workbooks fed to every workbook reader (issue 13: `orr xlsx import` and
`orr xlsx merge`): exit 2, every line naming the file (one line when the file cannot be read),
no traceback, nothing written.

The cases are a table of the ways a file breaks (cut short, a part missing, a part that is not
XML, XML nested without end, an entity bomb, a reference out of range, a merged range too big)
and a hypothesis search that replaces or cuts one part of a real workbook.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orr.cli import main
from orr.sheet.export import export_review
from orr.sheet.template import template_book
from tests.test_sheet_support import TODAY, make_review

SHEET = "xl/worksheets/sheet"  # the sheet each reader reads: a placeholder in the cases below
# The part of the sheet each reader reads: the template's Checklist, the review's Mitigations.
USED_SHEET = {"import": "xl/worksheets/sheet2.xml", "merge": "xl/worksheets/sheet3.xml"}
PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


Change = Callable[[bytes, str], bytes]  # (workbook, the sheet part its reader reads) -> broken


def _part(part: str, sheet: str) -> str:
    return sheet if part == SHEET else part


def _replace(part: str, data: bytes) -> Change:
    def change(book: bytes, sheet: str) -> bytes:
        members = _members(book)
        members[_part(part, sheet)] = data
        return _zip(members)

    return change


def _drop(part: str) -> Change:
    def change(book: bytes, sheet: str) -> bytes:
        members = _members(book)
        members.pop(_part(part, sheet), None)
        return _zip(members)

    return change


def _edit(part: str, old: bytes, new: bytes) -> Change:
    def change(book: bytes, sheet: str) -> bytes:
        members = _members(book)
        name = _part(part, sheet)
        assert old in members[name], (name, old)
        members[name] = members[name].replace(old, new, 1)
        return _zip(members)

    return change


NESTED = b'<?xml version="1.0"?><worksheet>' + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</worksheet>"
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&i;'
    + b"</workbook>"
)

# name -> (how the file breaks, whether it cannot be read at all: one line)
CASES: dict[str, tuple[Change, bool]] = {
    "empty file": (lambda b, s: b"", True),
    "cut short": (lambda b, s: b[: len(b) // 2], True),
    "not a zip": (lambda b, s: b"PK\x03\x04" + b"\x00" * 200, True),
    "a zip of something else": (lambda b, s: _zip({"hello.txt": b"hi"}), True),
    "no workbook part": (_drop("xl/workbook.xml"), True),
    "no content types": (_drop("[Content_Types].xml"), True),
    "workbook part not XML": (_replace("xl/workbook.xml", b"\x00\xff garbage"), True),
    "styles not XML": (_replace("xl/styles.xml", b"<styleSheet><unclosed>"), True),
    "sheet not XML": (_replace(SHEET, b"<worksheet><sheetData><row>"), True),
    # Well-formed, deep: read as a sheet without rows (its reader says what is missing).
    "sheet nested without end": (_replace(SHEET, NESTED), False),
    "entity bomb": (_replace("xl/workbook.xml", BOMB), True),
    "a sheet part missing": (_drop(SHEET), True),
    "a shared string out of range": (
        _edit(
            SHEET,
            b'<c r="A1"',
            b'<c r="A1" t="s"><v>99999</v></c><c r="Z1"',
        ),
        True,
    ),
    "a merged range as big as a sheet": (
        _edit(
            SHEET,
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
        False,
    ),
}


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A template (what `xlsx import` reads) and a review workbook (what `xlsx merge` reads)."""
    folder = tmp_path_factory.mktemp("malformed")
    review_path, _ = make_review(folder)
    book = folder / "review.xlsx"
    export_review(review_path, book, TODAY)
    return {"import": template_book().to_bytes(), "merge": book.read_bytes()}


def _check(
    command: str,
    data: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *,
    unreadable: bool,
) -> None:
    capsys.readouterr()
    book = tmp_path / "broken.xlsx"
    book.write_bytes(data)
    if command == "import":
        out = tmp_path / "out"
        code = main(["xlsx", "import", str(book), "-o", str(out)])
        written = out.exists()
    else:
        review_path, _ = make_review(tmp_path / "r")
        before = review_path.read_bytes()
        code = main(["xlsx", "merge", str(book), str(review_path), "--user", "t"])
        written = review_path.read_bytes() != before
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code == 2, (command, captured.err)
    assert "Traceback" not in captured.err and captured.out == ""
    assert lines and all("broken.xlsx" in line for line in lines), lines
    if unreadable:
        assert len(lines) == 1, lines
    assert not written


@pytest.mark.parametrize("command", ["import", "merge"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_workbook_is_refused_in_one_clear_line(
    case: str,
    command: str,
    originals: dict[str, bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    change, unreadable = CASES[case]
    data = change(originals[command], USED_SHEET[command])
    if command == "import" and not unreadable:
        pass  # the template reads, and is an empty checklist: its problems, one a line
    _check(command, data, tmp_path, capsys, unreadable=unreadable)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(["import", "merge"]),
    part=st.sampled_from([*PARTS, SHEET]),
    cut=st.floats(min_value=0.0, max_value=0.98),
    junk=st.binary(max_size=40),
)
def test_a_workbook_with_one_part_cut_or_replaced_is_refused(
    command: str,
    part: str,
    cut: float,
    junk: bytes,
    originals: dict[str, bytes],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    members = _members(originals[command])
    part = _part(part, USED_SHEET[command])
    original = members[part]
    # The part cut short (XML that never closes) with a little junk after: never well formed.
    members[part] = original[: int(len(original) * cut)] + b"<" + junk.replace(b">", b"")
    _check(
        command,
        _zip(members),
        tmp_path_factory.mktemp("case"),
        capsys,
        unreadable=True,
    )


@pytest.mark.parametrize("command", ["import", "merge"])
def test_the_library_s_own_warnings_never_reach_the_user(
    command: str,
    originals: dict[str, bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """openpyxl warns about a sheet part that is missing; the user gets orr's one line only."""
    data = _drop(SHEET)(originals[command], USED_SHEET[command])
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        _check(command, data, tmp_path, capsys, unreadable=True)
    assert [str(w.message) for w in said] == []
