"""Multi-file writes are all or nothing (issue 13, item 5): `orr lens import -o DIR` and
`orr xlsx import -o DIR` write through `orr.checklist.files.write_files`, which stages every file
in a temporary folder beside the target and then moves them into place; on any error nothing in
the target changes and nothing is left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orr.checklist.files import write_files
from orr.errors import InputError
from tests.test_hardening_support import (
    LENS,
    MANIFEST,
    make_workspace,
    one_line_naming,
    run,
    snapshot,
)


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_workspace(tmp_path, capsys)


def no_leftovers(folder: Path) -> None:
    """No staging folder (``.<name>.<random>.tmp``) is left anywhere."""
    assert [p for p in folder.rglob("*.tmp")] == []


def test_lens_import_over_a_folder_where_a_file_goes_writes_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "lens", "import", LENS, "-o", "out")
    assert code == 0, err
    names = sorted(p.name for p in (workspace / "out").iterdir())
    assert names == ["operations.toml", "orr.toml", "security.toml"]
    (workspace / "out" / "security.toml").unlink()
    (workspace / "out" / "security.toml").mkdir()
    for name in ("orr.toml", "operations.toml"):
        (workspace / "out" / name).write_text("# edited by hand\n", encoding="utf-8")
    before = snapshot(workspace)
    code, out, err = run(capsys, "lens", "import", LENS, "-o", "out", "--force")
    assert (code, out) == (2, "")
    assert one_line_naming(err, "out/security.toml") == (
        "out/security.toml: is a folder, not a file: nothing written (move it away or import "
        "into another folder)"
    )
    assert snapshot(workspace) == before
    no_leftovers(workspace)


def test_xlsx_import_with_a_file_name_too_long_writes_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "xlsx", "export", MANIFEST, "-o", "book.xlsx")
    assert code == 0, err
    book = load_workbook(workspace / "book.xlsx")
    sheet = book["Checklist"]
    column = [c.value for c in sheet[1]].index("source file")
    long_name = "s" * 300 + ".toml"
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "security" and row[column].value:
            row[column].value = long_name
    book.save(workspace / "long.xlsx")
    before = snapshot(workspace)
    code, out, err = run(capsys, "xlsx", "import", "long.xlsx", "-o", "new")
    assert (code, out) == (2, "")
    line = one_line_naming(err, "new/sss")
    assert line.endswith(": cannot write (file name too long): nothing written")
    assert snapshot(workspace) == before
    no_leftovers(workspace)
    # Into a folder that exists (the checklist there is checked with the new files first).
    code, out, err = run(capsys, "xlsx", "import", "long.xlsx", "-o", "checklists", "--force")
    assert (code, out) == (2, "")
    assert "Traceback" not in err and "file name too long" in err.splitlines()[0]
    assert snapshot(workspace) == before
    no_leftovers(workspace)


def test_a_failure_while_moving_puts_back_what_was_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.toml").write_text("old a\n", encoding="utf-8")
    (out / "keep.toml").write_text("kept\n", encoding="utf-8")
    before = snapshot(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        calls.append(str(dst))
        if Path(dst).name == "c.toml":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    texts = {"a.toml": "new a\n", "b.toml": "new b\n", "c.toml": "new c\n"}
    with pytest.raises(InputError, match=r"out/c\.toml: cannot write \(no space left on device\)"):
        write_files(out, texts, force=True)
    assert any(c.endswith("b.toml") for c in calls)  # a and b had been moved into place
    assert snapshot(tmp_path) == before
    no_leftovers(tmp_path)


def test_a_new_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "deeper" / "still" / "out"
    written = write_files(target, {"orr.toml": "a = 1\n", "sub/x.toml": "b = 2\n"})
    assert written == [target / "orr.toml", target / "sub" / "x.toml"]
    assert (target / "sub" / "x.toml").read_text(encoding="utf-8") == "b = 2\n"
    assert oct((target / "orr.toml").stat().st_mode & 0o777) == oct(0o644)
    assert sorted(p.name for p in (tmp_path / "deeper" / "still").iterdir()) == ["out"]
    with pytest.raises(InputError, match="nothing written"):
        write_files(tmp_path / "other" / "out", {"orr.toml": "", "x" * 300 + ".toml": ""})
    assert not (tmp_path / "other").exists()  # the folders it made are gone again


def test_existing_files_are_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "orr.toml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(InputError, match="not overwritten"):
        write_files(tmp_path, {"orr.toml": "theirs\n", "b.toml": "b\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orr.toml"]


@pytest.mark.parametrize("name", ["../escape.toml", "{tmp}/abs.toml"])
def test_a_name_outside_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    name = name.format(tmp=tmp_path)  # absolute, but never outside the test's folder
    with pytest.raises(InputError, match="is not a file name in the folder"):
        write_files(tmp_path / "out", {name: ""})
    assert list(tmp_path.iterdir()) == []
