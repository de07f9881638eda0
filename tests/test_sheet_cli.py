"""`orr xlsx ...` through the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orr.cli import main
from orr.sheet import layout as L
from tests.conftest import REPO
from tests.helpers import write_checklist
from tests.test_sheet_support import make_review


def test_export_a_checklist_to_its_default_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write_checklist(tmp_path / "cl")
    monkeypatch.chdir(tmp_path)
    assert main(["xlsx", "export", str(manifest)]) == 0
    assert capsys.readouterr().out.startswith("test_lens.xlsx: checklist workbook: 1 questions")
    assert load_workbook(tmp_path / "test_lens.xlsx").sheetnames[1] == L.CHECKLIST
    # A folder holding orr.toml is a checklist too.
    assert main(["xlsx", "export", "cl", "-o", "folder.xlsx"]) == 0


def test_export_a_review_next_to_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review_path, _ = make_review(tmp_path)
    assert main(["xlsx", "export", str(review_path), "--today", "2025-02-10"]) == 0
    out = capsys.readouterr().out
    assert "review workbook: review of payments: NOT READY" in out
    wb = load_workbook(review_path.with_suffix(".xlsx"))
    assert L.SUMMARY in wb.sheetnames and L.META in wb.sheetnames


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "tomorrow"], "--today 'tomorrow' is not a date"),
        (["-o", "out.csv"], "give the workbook an .xlsx name"),
    ],
)
def test_export_usage_errors(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    review_path, _ = make_review(tmp_path)
    assert main(["xlsx", "export", str(review_path), *args]) == 2
    assert message in capsys.readouterr().err


LOOP = "loop.xlsx"
LONG = "a" * 300 + ".xlsx"


@pytest.mark.parametrize(
    "args",
    [
        ["export", LOOP],
        ["export", "REVIEW", "-o", LOOP],
        ["export", "REVIEW", "-o", LONG],
        ["template", "-o", LOOP],
        ["template", "-o", LONG],
        ["import", LOOP],
        ["import", LONG],
        ["import", "BOOK", "-o", LONG],
        ["merge", LOOP, "REVIEW"],
        ["merge", "BOOK", LONG],
    ],
    ids=lambda args: " ".join("LONG" if a == LONG else a for a in args),
)
def test_a_path_the_system_cannot_use_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    review_path, _ = make_review(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / LOOP).symlink_to(LOOP)
    (tmp_path / "book.xlsx").write_bytes(b"")
    names = {"REVIEW": str(review_path), "BOOK": "book.xlsx"}
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["xlsx", *(names.get(a, a) for a in args)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert "cannot use this path" in line and "Traceback" not in line
    assert len(line) < 400
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_template_is_never_written_over_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.xlsx"
    assert main(["xlsx", "template", "-o", str(path)]) == 0
    path.write_bytes(b"a stakeholder's work")
    assert main(["xlsx", "template", "-o", str(path)]) == 2
    assert "exists: not overwritten" in capsys.readouterr().err
    assert path.read_bytes() == b"a stakeholder's work"
    assert main(["xlsx", "template", "-o", str(path), "--force"]) == 0
    assert load_workbook(path).sheetnames[0] == L.README


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "ORR_USER": "tester"}
    return subprocess.run(
        [sys.executable, "-m", "orr", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=120,
    )


def test_round_trip_and_a_broken_file_in_a_real_process(tmp_path: Path) -> None:
    manifest = write_checklist(tmp_path / "cl")
    done = _run("xlsx", "export", str(manifest), "-o", "book.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _run("xlsx", "import", "book.xlsx", "-o", "back", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "back/orr.toml: 1 question in 1 pillar, 2 files written" in done.stdout
    assert _run("checklist", "validate", "back/orr.toml", cwd=tmp_path).returncode == 0

    (tmp_path / "broken.xlsx").write_bytes((tmp_path / "book.xlsx").read_bytes()[:500])
    done = _run("xlsx", "import", "broken.xlsx", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "broken.xlsx: not an Excel workbook (.xlsx): save it as an .xlsx file and try again"
    )


def test_openpyxl_is_imported_only_by_the_xlsx_commands() -> None:
    code = (
        "import sys; from orr.cli import build_parser; build_parser(); "
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported'; "
        "import orr.sheet.export, orr.sheet.importer, orr.sheet.merge, orr.sheet.template; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
