"""`orr lens export | validate | import` through the command line: output, exit codes, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orr.checklist.load import load_checklist
from orr.cli import main
from orr.lens.export import build_lens, lens_json
from tests.helpers import SOURCE, write_checklist
from tests.maxsize import minimal_lens

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO.parent / "shared" / "fixtures" / "lenses"
if not FIXTURES.is_dir():
    FIXTURES = Path("/work/shared/fixtures/lenses")
S3_LENS = FIXTURES / "Amazon_S3_Lens.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_lens(folder: Path, doc: Any, name: str = "lens.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# --- export ----------------------------------------------------------------------------------------


def test_export_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_checklist(tmp_path)
    code, out, err = run(capsys, "lens", "export", str(manifest))
    assert code == 0
    assert out == lens_json(build_lens(load_checklist(manifest)))
    assert err.strip().endswith(
        "lens exported: 1 pillar, 1 question, " + f"{len(out.encode()):,} bytes"
    )


def test_export_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_checklist(tmp_path / "c")
    target = tmp_path / "out" / "lens.json"
    code, out, err = run(capsys, "lens", "export", str(manifest), "-o", str(target))
    assert code == 0
    assert out == ""
    assert target.read_text(encoding="utf-8") == lens_json(build_lens(load_checklist(manifest)))
    assert "lens written: 1 pillar, 1 question" in err


def test_export_refuses_an_invalid_lens_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = SOURCE.replace('title = "Scoped roles"', 'title = "' + "t" * 130 + '"').replace(
        'helpful = "Reviewed before launch."', 'helpful = { text = "x", url = "https://e.com/" }'
    )
    source = source.replace('improvement = "Split roles."', 'improvement = "' + "i" * 3000 + '"')
    manifest = write_checklist(tmp_path / "c", {"security.toml": source})
    target = tmp_path / "lens.json"
    code, out, err = run(capsys, "lens", "export", str(manifest), "-o", str(target))
    assert code == 1
    assert not target.exists()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == "errors (2):"
    assert lines[1] == "  pillars[0].questions[0].choices[0].title: 130 characters: at most 128"
    assert lines[2] == (
        "  pillars[0].questions[0].choices[0].improvementPlan.displayText: 3000 characters: "
        "at most 2048"
    )
    assert lines[-1].endswith("lens not written: 2 error(s), 0 warning(s)")


def test_export_tier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = SOURCE.replace('id = "sec_access"', 'id = "sec_other"').replace(
        'tiers = ["core"]', "tiers = []"
    )
    extra = extra.replace(
        '[[pillars]]\nid = "security"\nname = "Security"\n', '[[pillars]]\nid = "security"\n'
    )
    manifest = write_checklist(tmp_path, {"a.toml": SOURCE, "b.toml": extra})
    code, out, _ = run(capsys, "lens", "export", str(manifest))
    assert code == 0
    assert [q["id"] for q in json.loads(out)["pillars"][0]["questions"]] == [
        "sec_access",
        "sec_other",
    ]
    code, out, _ = run(capsys, "lens", "export", str(manifest), "--tier", "core")
    assert code == 0
    assert [q["id"] for q in json.loads(out)["pillars"][0]["questions"]] == ["sec_access"]
    code, out, err = run(capsys, "lens", "export", str(manifest), "--tier", "cor")
    assert code == 2
    assert "tier 'cor' is not a tier" in err and "did you mean 'core'?" in err


def test_export_of_a_broken_checklist_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write_checklist(tmp_path, {"security.toml": SOURCE.replace("kind =", "kinds =")})
    code, out, err = run(capsys, "lens", "export", str(manifest))
    assert code == 2
    assert out == ""
    assert "unknown field 'kinds'" in err
    assert "Traceback" not in err


# --- validate --------------------------------------------------------------------------------------


def test_validate_a_valid_lens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_lens(tmp_path, minimal_lens())
    code, out, err = run(capsys, "lens", "validate", str(path))
    assert code == 0
    assert out.splitlines() == [
        f"{path}: valid lens: 1 pillar, 1 question, {path.stat().st_size:,} bytes, 0 warning(s)"
    ]
    assert err == ""


def test_validate_warnings_only_is_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lens", "validate", str(S3_LENS))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "warnings (9):"
    assert lines[1] == "  _version: unknown key: the WA Tool ignores it"
    assert lines[-1].endswith("valid lens: 6 pillars, 35 questions, 209,079 bytes, 9 warning(s)")


def test_validate_an_invalid_lens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = minimal_lens()
    choice = doc["pillars"][0]["questions"][0]["choices"][0]
    del choice["improvementPlan"]
    doc["_note"] = "x"
    path = write_lens(tmp_path, doc)
    code, out, _ = run(capsys, "lens", "validate", str(path))
    assert code == 1
    assert out.splitlines()[:4] == [
        "errors (1):",
        '  pillars[0].questions[0].choices[0].improvementPlan: missing (required except on a "None '
        'of these" choice)',
        "warnings (1):",
        "  _note: unknown key: the WA Tool ignores it",
    ]
    assert out.splitlines()[-1].startswith(f"{path}: invalid lens: 1 error(s), 1 warning(s)")


def test_validate_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = minimal_lens()
    doc["name"] = 7
    doc["description"] = "d" * 1500
    path = write_lens(tmp_path, doc)
    code, out, _ = run(capsys, "lens", "validate", str(path), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert report["bytes"] == path.stat().st_size
    assert (report["pillars"], report["questions"]) == (1, 1)
    assert report["errors"] == [
        {"severity": "error", "path": "name", "message": "expected a string, found a number (7)"}
    ]
    assert [w["path"] for w in report["warnings"]] == ["description"]


def test_validate_invalid_json_is_exit_2_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "name": "x",\n  "pillars": [\n', encoding="utf-8")
    code, out, err = run(capsys, "lens", "validate", str(path))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [f"{path}:4:1: not valid JSON: Expecting value"]


@pytest.mark.parametrize("kind", ["missing", "folder", "binary"])
def test_validate_unreadable_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "lens.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b'{"name": "\xff\xfe"}')
    code, _, err = run(capsys, "lens", "validate", str(path))
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(str(path))


# --- import ----------------------------------------------------------------------------------------


def test_import_then_export_gives_the_same_lens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "s3"
    code, out, err = run(capsys, "lens", "import", str(S3_LENS), "-o", str(out_dir))
    assert code == 0
    assert out.strip().endswith("6 pillars, 35 questions in 7 files, 2 warning(s)")
    assert err.splitlines() == [
        "repairs and warnings (2):",
        "  _version: unknown key: dropped (the WA Tool ignores it)",
        "  _note: unknown key: dropped (the WA Tool ignores it)",
    ]
    code, out, _ = run(capsys, "lens", "export", str(out_dir))
    assert code == 0
    expected = json.loads(S3_LENS.read_text(encoding="utf-8"))
    del expected["_version"], expected["_note"]
    assert json.loads(out) == expected


def test_import_default_folder_is_named_after_the_lens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_lens(tmp_path, minimal_lens())
    code, out, _ = run(capsys, "lens", "import", str(path))
    assert code == 0
    assert (tmp_path / "minimal_lens" / "orr.toml").is_file()
    assert out.startswith("minimal_lens/orr.toml: imported")


def test_import_does_not_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lens(tmp_path, minimal_lens())
    out_dir = tmp_path / "out"
    assert run(capsys, "lens", "import", str(path), "-o", str(out_dir))[0] == 0
    code, _, err = run(capsys, "lens", "import", str(path), "-o", str(out_dir))
    assert code == 2
    assert err.splitlines() == [
        f"{out_dir / 'orr.toml'}: exists: not overwritten (use --force to replace it)",
        f"{out_dir / 'ops.toml'}: exists: not overwritten (use --force to replace it)",
    ]
    assert run(capsys, "lens", "import", str(path), "-o", str(out_dir), "--force")[0] == 0


def test_import_refusal_is_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = minimal_lens()
    doc["pillars"][0]["questions"][0]["title"] = ["not", "a", "string"]
    path = write_lens(tmp_path, doc)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "lens", "import", str(path), "-o", str(out_dir))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{path}: pillars[0].questions[0].title: expected a string, found a list"
    ]
    assert not out_dir.exists()


def test_import_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lens.json"
    path.write_text("{'single': 'quotes'}", encoding="utf-8")
    code, _, err = run(capsys, "lens", "import", str(path), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.splitlines() == [
        f"{path}:1:2: not valid JSON: Expecting property name enclosed in double quotes"
    ]


def test_lens_without_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lens")
    assert code == 2
    assert "ACTION" in err


# --- a real process --------------------------------------------------------------------------------


def test_subprocess_validate_and_refused_import(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    doc = minimal_lens()
    doc["pillars"][0]["questions"][0]["choices"][0]["title"] = 3
    path = write_lens(tmp_path, doc)
    proc = subprocess.run(
        [sys.executable, "-m", "orr", "lens", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert (
        "pillars[0].questions[0].choices[0].title: expected a string, found a number (3)"
        in proc.stdout
    )
    proc = subprocess.run(
        [sys.executable, "-m", "orr", "lens", "import", str(path), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "lens.json: pillars[0].questions[0].choices[0].title: expected a string, found a number (3)"
    ]
    assert "Traceback" not in proc.stderr
