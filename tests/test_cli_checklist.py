"""`orr checklist ...` and `orr learn` through main(argv) and a subprocess; import hygiene."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orr.checklist import load_checklist
from orr.cli import COMMANDS, main
from tests.conftest import REPO
from tests.helpers import SOURCE, write_checklist


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "orr", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )


def test_validate_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_checklist(tmp_path)
    assert main(["checklist", "validate", str(manifest)]) == 0
    out = capsys.readouterr().out
    assert "valid: 1 pillar, 1 question from 1 source file" in out


def test_validate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_checklist(tmp_path)
    assert main(["checklist", "validate", str(manifest), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is True and data["questions"] == 1


def test_validate_bad_exit_2_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = SOURCE.replace('severity = "high"', 'severity = "hihg"')
    manifest = write_checklist(tmp_path, {"s.toml": src})
    assert main(["checklist", "validate", str(manifest)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0
    assert "s.toml:12: pillars[0].questions[0].severity: 'hihg' is not allowed" in err


def _pillars_source(pillars: int, questions: int) -> str:
    """A source of ``pillars`` pillars of ``questions`` questions each (two practices each)."""
    lines = ["schema_version = 1", 'kind = "operations"']
    for p in range(pillars):
        lines += ["", "[[pillars]]", f'id = "p{p}"', f'name = "Pillar {p}"']
        for q in range(questions):
            lines += [
                "",
                "[[pillars.questions]]",
                f'id = "p{p}_q{q}"',
                f'title = "Question {q} of pillar {p}?"',
                'severity = "medium"',
            ]
            for c in range(2):
                lines += [
                    "",
                    "[[pillars.questions.choices]]",
                    f'id = "p{p}_q{q}_c{c}"',
                    f'title = "Practice {c}"',
                    'helpful = "Why it helps."',
                    'improvement = "How to get there."',
                ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("pillars", "questions", "where", "limit"),
    [(11, 1, "pillars", "11 pillars: at most 10"), (1, 21, "p0", "21 questions: at most 20")],
)
def test_validate_reports_the_lens_limits_that_make_a_checklist_unusable(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pillars: int,
    questions: int,
    where: str,
    limit: str,
) -> None:
    manifest = write_checklist(tmp_path, {"ops.toml": _pillars_source(pillars, questions)})
    load_checklist(manifest)  # it loads: only the lens limits are wrong
    assert main(["checklist", "validate", str(manifest)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(str(manifest)) and where in line and line.endswith(limit), line
    # Lint says the same, among its other findings.
    assert main(["checklist", "lint", str(manifest)]) == 1
    assert limit in capsys.readouterr().out


def test_validate_reports_a_lens_over_500000_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.maxsize import write_max_checklist

    manifest = write_max_checklist(tmp_path)
    assert main(["checklist", "validate", str(manifest), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.endswith("bytes (UTF-8): a lens is at most 500,000 bytes"), line
    # Long single texts are lint's business, not validate's: a checklist at the limits passes.
    assert (
        main(["checklist", "validate", str(write_max_checklist(tmp_path / "fit", fit_lens=True))])
        == 0
    )


def test_lint_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_checklist(tmp_path)
    assert main(["checklist", "lint", str(manifest)]) == 0
    assert "lint passed" in capsys.readouterr().out
    bad = SOURCE + (
        '\n[[pillars.questions.rules]]\ncondition = "sec_roles && sec_review"\nrisk = "NO_RISK"\n'
        '\n[[pillars.questions.rules]]\ncondition = "default"\nrisk = "HIGH_RISK"\n'
    )
    manifest = write_checklist(tmp_path / "bad", {"s.toml": bad})
    assert main(["checklist", "lint", str(manifest), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert any("None of these" in e["message"] for e in data["errors"])


def test_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "show", str(write_checklist(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "Test checklist (lens test_lens, version 1.0)" in out
    assert "by severity: high 1" in out
    assert "by owner role: security 1" in out


def test_usage_error_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "Traceback" not in err


def test_bundled_checklist_validates_as_a_process() -> None:
    done = run(["checklist", "validate"], cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "checklists/orr.toml: valid" in done.stdout


def test_bad_manifest_as_a_process(tmp_path: Path) -> None:
    (tmp_path / "orr.toml").write_text('id = "x"\nname = [\n', encoding="utf-8")
    done = run(["checklist", "validate", str(tmp_path / "orr.toml")])
    assert done.returncode == 2
    assert "TOML syntax error" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("module", "banned"),
    [
        ("orr.checklist", ("textual", "boto3", "openpyxl")),
        ("orr.checklist.lint", ("textual", "boto3", "openpyxl")),
        ("orr.cli", ("textual", "boto3", "openpyxl")),
    ],
)
def test_core_does_not_import_front_end_libraries(module: str, banned: tuple[str, ...]) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {banned!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("args", [["--help"], ["checklist", "validate"]])
def test_cli_commands_stay_light(args: list[str]) -> None:
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['orr', *{args!r}]\n"
        "try:\n    runpy.run_module('orr', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('LOADED:' + ','.join(m for m in ('textual', 'boto3', 'openpyxl')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert "LOADED:" in done.stderr
    assert done.stderr.rsplit("LOADED:", 1)[1].strip() == ""


def test_each_command_is_registered_by_the_group_it_is_listed_under() -> None:
    """A command line builds only its command's group: the list must be what the groups
    register, or a command would be unknown on its own command line."""
    from orr.cli import GROUPS, build_parser, registered_commands

    assert registered_commands(build_parser()) == set(COMMANDS)
    assert set(COMMANDS.values()) == set(GROUPS)
    for command, group in COMMANDS.items():
        alone = registered_commands(build_parser(command))
        assert command in alone
        assert all(COMMANDS[c] == group for c in alone)


def test_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)
    assert main(["-x"]) == 2
    assert "-x" in capsys.readouterr().err


# --- orr learn -----------------------------------------------------------------------------------


def learn_manifest(tmp_path: Path) -> Path:
    manifest = write_checklist(tmp_path, include=["security.toml", "incidents/*.toml"])
    return manifest


def test_learn_writes_one_file_per_incident(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = learn_manifest(tmp_path)
    args = [
        "learn",
        str(manifest),
        "--incident",
        "INC-42",
        "--title",
        "Are TLS certificates renewed automatically?",
        "--pillar",
        "security",
        "--severity",
        "high",
        "--choice",
        "Certificates renew automatically",
        "--choice",
        "Expiry alarms page on-call",
        "--owner-role",
        "security",
        "--no-input",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "added question inc_tls_certificates_renewed_automatically" in out
    written = tmp_path / "incidents" / "INC-42.toml"
    assert written.is_file()
    checklist = load_checklist(manifest)
    q = checklist.question("inc_tls_certificates_renewed_automatically")
    assert q is not None and q.spec.incidents == ["INC-42"] and q.kind == "incident"
    assert len(q.practice_ids) == 2
    # A second learning from the same incident never rewrites the first file.
    before = written.read_text()
    args[5] = "Do expiring credentials alarm?"
    assert main(args) == 0
    assert written.read_text() == before
    assert (tmp_path / "incidents" / "INC-42-2.toml").is_file()
    assert len(load_checklist(manifest).questions) == 3


def test_learn_validates_before_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = learn_manifest(tmp_path)
    code = main(
        [
            "learn",
            str(manifest),
            "--incident",
            "INC-7",
            "--title",
            "Q?",
            "--pillar",
            "secrity",
            "--severity",
            "high",
            "--choice",
            "x",
            "--no-input",
        ]
    )
    assert code == 2
    assert "--pillar 'secrity' is not a pillar of the checklist (did you mean 'security'?)" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "incidents").exists()


def test_learn_refuses_folder_outside_includes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write_checklist(tmp_path)  # no incidents glob
    code = main(
        [
            "learn",
            str(manifest),
            "--incident",
            "INC-8",
            "--title",
            "Q?",
            "--pillar",
            "security",
            "--severity",
            "medium",
            "--choice",
            "x",
            "--no-input",
        ]
    )
    assert code == 2
    assert "would not be part of the checklist" in capsys.readouterr().err
    assert not (tmp_path / "incidents").exists()


def test_learn_missing_flags_without_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = learn_manifest(tmp_path)
    assert main(["learn", str(manifest), "--incident", "INC-9", "--no-input"]) == 2
    assert "missing --title, --pillar, --severity, --choice" in capsys.readouterr().err


def test_learn_prompts_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    manifest = learn_manifest(tmp_path)
    answers = io.StringIO(
        "Is the runbook linked from the alarm?\nsecurity\nmedium\n\n\nRunbook link in alarm\n\n"
    )
    monkeypatch.setattr("sys.stdin", answers)
    monkeypatch.setattr(answers, "isatty", lambda: True, raising=False)
    assert main(["learn", str(manifest), "--incident", "INC-10"]) == 0
    q = load_checklist(manifest).question("inc_runbook_linked_from_alarm")
    assert q is not None and q.severity == "medium"


def test_a_manifest_path_too_long_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "validate", "a" * 300]) == 2
    err = capsys.readouterr().err
    assert "cannot use this path" in err and "Traceback" not in err
