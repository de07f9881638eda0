"""Lenses the WA Tool will accept, and the readout's text as typed (issue 13, items 7, 8, 11):
control characters in lens text are refused with their place, a lens always has a description,
and the Markdown readout shows entities and links as they were written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from orr.checklist import load_checklist
from orr.lens.export import export_lens
from orr.lens.validate import validate_lens_document, validate_lens_text
from tests.test_hardening_support import (
    LENS,
    MANIFEST,
    REVIEW,
    make_workspace,
    run,
    snapshot,
)


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_workspace(tmp_path, capsys)


def lens_doc(workspace: Path) -> dict[str, object]:
    doc: dict[str, object] = json.loads((workspace / LENS).read_text(encoding="utf-8"))
    return doc


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 7. control characters ------------------------------------------------------------------------

QUESTION_TITLE = 'title = "Do on-call engineers have runbooks for the known failure modes?"'


@pytest.mark.parametrize(
    ("old", "new", "path", "what"),
    [
        (
            QUESTION_TITLE,
            'title = "Do on-call engineers \\u001b[31mhave runbooks?"',
            "pillars[0].questions[0].title",
            "ESC, U+001B) at character 22: remove it (question ops_runbooks)",
        ),
        (
            'title = "Runbooks exist for every alarm"',
            'title = "Runbooks exist\\u0007 for every alarm"',
            "pillars[0].questions[0].choices[0].title",
            "BEL, U+0007) at character 15: remove it (question ops_runbooks)",
        ),
        (
            QUESTION_TITLE,
            'title = "Two\\nlines"',
            "pillars[0].questions[0].title",
            "line break, U+000A) at character 4: remove it (a name or title is one line: no tab or "
            "line break) (question ops_runbooks)",
        ),
        (
            'improvement = "Write a runbook per alarm."',
            'improvement = "Write a runbook\\u0000 per alarm."',
            "pillars[0].questions[0].choices[0].improvementPlan.displayText",
            "NUL, U+0000) at character 16: remove it (question ops_runbooks)",
        ),
        (
            'name = "Operations"',
            'name = "Oper\\u009bations"',
            "pillars[0].name",
            "U+009B) at character 5: remove it",
        ),
    ],
    ids=["esc-title", "bel-choice", "newline-title", "nul-plan", "csi-pillar"],
)
def test_lens_export_refuses_control_characters_naming_the_place(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    path: str,
    what: str,
) -> None:
    edit(workspace / "checklists" / "readiness.toml", old, new)
    before = snapshot(workspace)
    code, out, err = run(capsys, "lens", "export", MANIFEST, "-o", LENS)
    assert (code, out) == (1, "")
    assert f"  {path}: holds a control character ({what}\n" in err
    assert "\x1b" not in err and "\x07" not in err  # the message shows, never sends, them
    assert err.splitlines()[-1].startswith(f"{MANIFEST}: lens not written: 1 error(s)")
    assert snapshot(workspace) == before
    # `checklist lint` reports the same, at the question.
    code, out, _ = run(capsys, "checklist", "lint", MANIFEST)
    assert code == 1 and "holds a control character" in out


def test_tabs_and_line_breaks_where_a_text_has_lines(workspace: Path) -> None:
    edit(
        workspace / "checklists" / "readiness.toml",
        'improvement = "Write a runbook per alarm."',
        'improvement = "Write a runbook:\\n\\t- per alarm\\r\\n\\t- per page"',
    )
    edit(
        workspace / "checklists" / "orr.toml",
        'description = "A small readiness checklist used by the review tests."',
        'description = "A small readiness checklist.\\n\\nFor the tests."',
    )
    assert export_lens(load_checklist(workspace / MANIFEST)).errors == []


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("name",), "Mini\x1bORR", "name: holds a control character (ESC, U+001B) at character 5"),
        (
            ("description",),
            "about\x07",
            "description: holds a control character (BEL, U+0007) at character 6",
        ),
        (
            ("pillars", 0, "questions", 1, "helpfulResource"),
            {"displayText": "x", "url": "https://example.com/\x1b"},
            "pillars[0].questions[1].helpfulResource.url: holds a control character (ESC, U+001B) "
            "at character 21",
        ),
    ],
    ids=["lens-name", "lens-description", "url"],
)
def test_lens_validate_refuses_control_characters(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    where: tuple[str | int, ...],
    value: object,
    message: str,
) -> None:
    doc = lens_doc(workspace)
    holder: Any = doc  # parsed JSON
    for key in where[:-1]:
        holder = holder[key]
    assert isinstance(holder, dict)
    holder[where[-1]] = value
    (workspace / "bad.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "lens", "validate", "bad.json")
    assert code == 1
    assert f"  {message}" in out
    assert out.splitlines()[-1].startswith("bad.json: invalid lens: 1 error(s)")


def test_the_validator_checks_control_characters_fast_on_clean_text(workspace: Path) -> None:
    text = (workspace / LENS).read_text(encoding="utf-8")
    assert [p for p in validate_lens_text(text) if p.is_error] == []


def test_a_very_long_id_in_a_lens_is_echoed_cut(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lens = json.loads((workspace / "lens.json").read_text(encoding="utf-8"))
    lens["pillars"][0]["questions"][0]["id"] = "q" * 10_000 + "-"
    (workspace / "long.json").write_text(json.dumps(lens), encoding="utf-8")
    code, out, _ = run(capsys, "lens", "validate", "long.json")
    assert code == 1
    assert "ids use only letters" in out and "has 10001 characters" in out
    assert all(len(line) < 400 for line in out.splitlines())
    code, _, err = run(capsys, "lens", "import", "long.json", "-o", "imported")
    assert code == 2
    assert all(len(line) < 400 for line in err.splitlines())


# --- 8. a lens always has a description ------------------------------------------------------------


def test_export_gives_a_lens_without_description_its_name(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        workspace / MANIFEST,
        'description = "A small readiness checklist used by the review tests."',
        'description = ""',
    )
    code, _, err = run(capsys, "lens", "export", MANIFEST, "-o", LENS)
    assert code == 0, err
    assert lens_doc(workspace)["description"] == "Mini ORR"
    assert (
        "  description: the checklist has no description: the lens uses its name ('Mini ORR'); "
        'add description = "..." to the manifest\n'
    ) in err
    code, out, _ = run(capsys, "checklist", "lint", MANIFEST)
    assert code == 0
    assert "description: lens: the checklist has no description" in out
    assert validate_lens_document(lens_doc(workspace)) == []


@pytest.mark.parametrize("description", ["", "   "])
def test_lens_validate_reports_an_empty_description(
    workspace: Path, capsys: pytest.CaptureFixture[str], description: str
) -> None:
    doc = lens_doc(workspace)
    doc["description"] = description
    (workspace / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "lens", "validate", "bad.json")
    assert code == 1
    assert (
        "  description: empty: the WA Tool needs a lens description of at least 1 character\n"
        in out
    )


def test_lens_import_of_a_lens_without_description_warns(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = lens_doc(workspace)
    doc["description"] = ""
    (workspace / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = run(capsys, "lens", "import", "bad.json", "-o", "imported")
    assert code == 0, err
    assert "description: empty: the export gives the lens its name as description" in err
    code, _, err = run(capsys, "lens", "export", "imported", "-o", "again.json")
    assert code == 0, err
    assert json.loads((workspace / "again.json").read_text())["description"] == "Mini ORR"


# --- 11. the Markdown readout ----------------------------------------------------------------------

URL = "https://wiki.example.com/Payments_API_runbook"
TICKET = "https://jira.example.com/browse/OPS-1?x=a_b*c"


def test_the_readout_shows_entities_and_links_as_typed(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "review",
        "answer",
        REVIEW,
        "ops_runbooks",
        "--choice",
        "ops_rb_written",
        "--notes",
        "see &lt;b&gt; and <i>",
        "--evidence",
        URL,
        "--today",
        "2030-01-01",
    )
    assert code == 0, err
    code, _, err = run(
        capsys,
        "review",
        "mitigate",
        REVIEW,
        "ops_runbooks",
        "--title",
        "Test runbooks",
        "--owner",
        "Ann",
        "--due",
        "2030-01-15",
        "--ticket",
        TICKET,
        "--today",
        "2030-01-01",
    )
    assert code == 0, err
    code, report, err = run(capsys, "report", REVIEW, "--today", "2030-01-02")
    assert code == 0, err
    assert "&amp;lt;b&amp;gt;" in report  # renders as "&lt;b&gt;", as typed, not as <b>
    assert "&lt;b&gt;" not in report.replace("&amp;lt;b&amp;gt;", "")
    assert f"<{URL}>" in report  # an autolink: nothing escaped inside it
    assert f"<{TICKET}>" in report
    assert "\\_" not in "".join(line for line in report.splitlines() if "https://" in line)
