"""Builders shared by the hardening tests (no tests here): a workspace with the mini checklist
and one review, the CLI run in-process, and a snapshot of every file of a folder (to show that a
refused command wrote nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orr.cli import main
from tests.test_review_support import MINI_DIR

REVIEW = "reviews/payments-api.toml"
MANIFEST = "checklists/orr.toml"
LENS = "lens.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``orr ARGS`` in this process: exit code, stdout, stderr. An exception other than orr's
    own (a traceback) escapes and fails the test."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def make_workspace(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The mini checklist as ./checklists, a review of it as ./reviews/payments-api.toml and its
    lens as ./lens.json; ``folder`` must be the working folder."""
    shutil.copytree(MINI_DIR, folder / "checklists")
    code, _, err = run(
        capsys,
        "review",
        "new",
        "--workload",
        "Payments API",
        "--launch-date",
        "2030-01-20",
        "--stakeholder",
        "Ann Lee:owner",
        "--owner",
        "Ann Lee",
        "--today",
        "2030-01-01",
    )
    assert code == 0, err
    code, _, err = run(capsys, "lens", "export", MANIFEST, "-o", LENS)
    assert code == 0, err
    return folder


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: file -> bytes, symlink -> its target, folder -> "dir". Lock
    files (``.<name>.lock``, empty, made by a writer that then refused) are left out."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.name.startswith(".") and path.name.endswith(".lock"):
            continue
        if path.is_symlink():
            out[name] = "-> " + str(path.readlink())
        elif path.is_dir():
            out[name] = "dir"
        elif path.is_file():
            out[name] = path.read_bytes()
        else:
            out[name] = "special"
    return out


def one_line_naming(err: str, name: str) -> str:
    """The one line of ``err``; it names ``name`` and holds no traceback."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert name in lines[0], err
    return lines[0]
