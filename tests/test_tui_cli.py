"""`orr`, `orr WORKSPACE`, `orr home` and `orr open REVIEW` start the terminal app (the app's
`run` is replaced here: the pilot tests drive the app itself)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from orr.cli import main
from orr.tui.app import OrrApp
from tests.test_tui_support import make_review, workspace_with_mini

Started = list[OrrApp]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    apps: Started = []
    monkeypatch.setattr(OrrApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_orr_alone_and_orr_workspace_open_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: Started
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    assert main([str(tmp_path)]) == 0
    assert main(["home", ".", "--user", "Ann", "--today", "2025-06-02"]) == 0
    assert [a.workspace for a in started] == [tmp_path.resolve()] * 3
    assert all(a.review_path is None for a in started)
    assert (started[2].user, started[2].today) == ("Ann", date(2025, 6, 2))


def test_orr_open_a_review_by_path_or_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: Started
) -> None:
    path = make_review(workspace_with_mini(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert main(["open", str(path)]) == 0
    assert main(["open", "payments-api"]) == 0
    assert [a.review_path for a in started] == [path.resolve()] * 2
    assert started[0].workspace == tmp_path.resolve()


def test_bad_arguments_are_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], started: Started
) -> None:
    assert main(["home", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["open", str(tmp_path / "missing.toml")]) == 2
    assert "no such review file" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    broken.write_text("workload = 3\n", encoding="utf-8")
    assert main(["open", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.toml" in err and "Traceback" not in err
    assert main(["home", str(tmp_path), "--today", "someday"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert started == []


def test_the_command_line_does_not_import_textual_unless_it_starts_the_app() -> None:
    code = (
        "import sys\n"
        "from orr.cli import build_parser\n"
        "build_parser()\n"
        "import orr.review.session, orr.review.workspace\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
