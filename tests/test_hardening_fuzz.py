"""Malformed files fed to every reader (issue 13, "done when"): generated broken TOML
(checklists, reviews) and JSON (lenses) go to `checklist validate|lint|show`, `lens
validate|import|export`, `status`, `report` and `review answer`. Each answers exit 2 (or 1 where a
lens is simply invalid) with lines that name the file (exactly one line when the file does not
even parse), never a traceback, and writes nothing.

The commands run in this process (`orr.cli.main`), so an exception that is not orr's fails the
test with its traceback. Examples are derandomized: the same inputs every run.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orr.tomlfile import loads
from tests.test_hardening_support import LENS, MANIFEST, REVIEW, make_workspace, run, snapshot

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHECKLIST_FILES = [MANIFEST, "checklists/readiness.toml"]

# Lines that break any TOML document wherever they go (each on a line of its own).
BAD_LINES = [
    "=",
    "[",
    "[[",
    "]]",
    '"',
    "'''",
    "key = ",
    "key = [1,",
    "key = {",
    "= value",
    "a.b = 1\na = 2",
    "[x]\n[x]",
    "key = 1979-05-27T25:00:00",
    'key = "\\q"',
    "key = 0x",
    "key = tru",
    "key = [1 2]",
    "[tabl e]",
]
# Values of a type no field of a checklist or a review takes where a differently typed one is.
WRONG_VALUES = {
    "string": ["12", "true", "1979-05-27", "[1, 2]", "{ a = 1 }", "-0.5", "1979-05-27T07:32:00Z"],
    "other": ['"x"', '"1"', "{ a = 1 }", "[[1], [2]]", "1e3", "nan", "-86400"],
}
_KEY_LINE = re.compile(r"^(\s*[A-Za-z0-9_.\"-]+\s*=\s*)(.+)$")


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_workspace(tmp_path, capsys)


@st.composite
def broken_toml(draw: st.DrawFn, text: str) -> tuple[bytes, bool]:
    """A broken version of a TOML text, and whether it breaks the syntax (one problem) rather
    than a value (every problem of the file reported)."""
    lines = text.splitlines(keepends=True)
    at = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["line", "truncate", "bytes", "deep", "control", "value"]))
    if kind == "line":
        lines.insert(at, draw(st.sampled_from(BAD_LINES)) + "\n")
        return "".join(lines).encode(), True
    if kind == "truncate":
        cut = draw(st.integers(1, len(text) - 1))
        return (text[:cut] + '\n= "').encode(), True
    if kind == "bytes":
        raw = text.encode()
        pos = draw(st.integers(0, len(raw)))
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80abc"]))
        return raw[:pos] + bad + raw[pos:], True
    keyed = [i for i, line in enumerate(lines) if _KEY_LINE.match(line.rstrip("\n"))]
    i = keyed[draw(st.integers(0, len(keyed) - 1))]
    match = _KEY_LINE.match(lines[i].rstrip("\n"))
    assert match is not None
    head, value = match.groups()
    if kind == "deep":
        depth = draw(st.sampled_from([401, 450, 5000]))
        nested = draw(
            st.sampled_from(["[" * depth + "]" * depth, "{ a = " * depth + "1" + " }" * depth])
        )
        lines[i] = f"{head}{nested}\n"
        return "".join(lines).encode(), True
    if kind == "control":
        control = draw(st.sampled_from(["\x00", "\x1b", "\x07", "\x7f", "\x08"]))
        lines[i] = f'{head}"a{control}b"\n'
        return "".join(lines).encode(), True
    group = "string" if value.startswith('"') else "other"
    wrong = draw(st.sampled_from(WRONG_VALUES[group]))
    assume(wrong != value)
    lines[i] = f"{head}{wrong}\n"
    return "".join(lines).encode(), False


def check_refused(
    code: int, out: str, err: str, files: list[str], syntax: bool, *, stdout_ok: bool = False
) -> None:
    """Exit 2, every line naming one of ``files`` (one line when ``syntax``), no traceback."""
    assert code == 2, (code, out, err)
    assert "Traceback" not in err
    if not stdout_ok:
        assert out == ""
    lines = err.splitlines()
    assert lines, "no message"
    assert lines[0].startswith(tuple(files)), lines
    if syntax:
        assert len(lines) == 1, lines
    for line in lines:
        assert line.startswith(tuple(files)) or line.startswith("warning: "), lines


def check_all(
    workspace: Path,
    target: str,
    data: bytes,
    commands: list[list[str]],
    files: list[str],
    syntax: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = workspace / target
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        before = snapshot(workspace)
        for args in commands:
            code, out, err = run(capsys, *args)
            check_refused(code, out, err, files, syntax)
            assert snapshot(workspace) == before, args
    finally:
        path.write_bytes(original)


CHECKLIST_READERS = [
    ["checklist", "validate", MANIFEST],
    ["checklist", "lint", MANIFEST],
    ["checklist", "show", MANIFEST],
    ["lens", "export", MANIFEST, "-o", "out.json"],
    # A review reads its checklist too.
    ["status", REVIEW],
    ["report", REVIEW, "-o", "report.md"],
    ["review", "answer", REVIEW, "ops_runbooks", "--none"],
]
REVIEW_READERS = [
    ["status", REVIEW],
    ["status", "reviews"],
    ["report", REVIEW, "-o", "report.md"],
    ["review", "answer", REVIEW, "ops_runbooks", "--none"],
]


@SETTINGS
@given(data=st.data())
def test_malformed_checklists(
    workspace: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    target = data.draw(st.sampled_from(CHECKLIST_FILES))
    text = (workspace / target).read_text(encoding="utf-8")
    broken, syntax = data.draw(broken_toml(text))
    assume(_is_malformed_checklist(workspace, target, broken))
    check_all(workspace, target, broken, CHECKLIST_READERS, CHECKLIST_FILES, syntax, capsys)


@SETTINGS
@given(data=st.data())
def test_malformed_reviews(
    workspace: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    text = (workspace / REVIEW).read_text(encoding="utf-8")
    broken, syntax = data.draw(broken_toml(text))
    assume(_is_malformed_review(broken))
    check_all(workspace, REVIEW, broken, REVIEW_READERS, [REVIEW], syntax, capsys)


def _is_malformed_checklist(workspace: Path, target: str, broken: bytes) -> bool:
    from orr.checklist import load_checklist
    from orr.errors import InputError

    path = workspace / target
    original = path.read_bytes()
    path.write_bytes(broken)
    try:
        load_checklist(workspace / MANIFEST)
    except InputError:
        return True
    finally:
        path.write_bytes(original)
    return False


def _is_malformed_review(broken: bytes) -> bool:
    from orr.errors import InputError
    from orr.review.store import parse_review

    try:
        parse_review(broken.decode("utf-8"), REVIEW)
    except (InputError, UnicodeDecodeError):
        return True
    return False


# --- lenses ------------------------------------------------------------------------------------------

Json = Any


@st.composite
def broken_json(draw: st.DrawFn, doc: Json) -> tuple[bytes, bool]:
    """A broken lens text and whether it is not even JSON (rather than JSON that is no lens)."""
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    kind = draw(
        st.sampled_from(
            ["truncate", "insert", "bytes", "deep", "nan", "value", "shape", "control", "blank"]
        )
    )
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text) - 1))].encode(), True
    if kind == "insert":
        pos = draw(st.integers(0, len(text)))
        bad = draw(st.sampled_from(["{", "}", "]", ",", ":", '"', "'", "\x00", "tru", "01"]))
        candidate = text[:pos] + bad + text[pos:]
        try:
            json.loads(candidate)
        except ValueError:
            return candidate.encode(), True
        return (text + "}").encode(), True
    if kind == "bytes":
        raw = text.encode()
        pos = draw(st.integers(0, len(raw)))
        return raw[:pos] + b"\xff\xfe" + raw[pos:], True
    if kind == "deep":
        depth = draw(st.sampled_from([2_000, 100_000]))
        nested = draw(
            st.sampled_from(["[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth])
        )
        return nested.encode(), True
    if kind == "nan":
        return text.replace('"NO_RISK"', "NaN", 1).encode(), False
    if kind == "blank":  # the WA Tool wants a description of at least 1 character
        return json.dumps({**doc, "description": draw(st.sampled_from(["", " "]))}).encode(), False
    paths = list(_paths(doc))
    if kind == "control":  # a control character in any text: the WA Tool refuses it
        texts = [p for p in paths if isinstance(_get(doc, p), str)]
        where = texts[draw(st.integers(0, len(texts) - 1))]
        text = _get(doc, where)
        pos = draw(st.integers(0, len(text)))
        control = draw(st.sampled_from(["\x1b", "\x07", "\x00", "\x7f", "\x9b", "\x0b"]))
        broken = _set(doc, where, text[:pos] + control + text[pos:])
        return json.dumps(broken, ensure_ascii=False).encode(), False
    where = paths[draw(st.integers(0, len(paths) - 1))]
    if kind == "value":
        wrong: Json = draw(st.sampled_from([None, 7, -1.5, True, [], {}, "", "x" * 3000, [[[]]]]))
        assume(wrong != _get(doc, where))
        return json.dumps(_set(doc, where, wrong), ensure_ascii=False).encode(), False
    # shape: the whole document something else
    return json.dumps(draw(st.sampled_from([[], "lens", 3, None, {"pillars": {}}]))).encode(), False


def _paths(doc: Json, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _paths(value, (*prefix, i))
    return out


def _get(doc: Json, path: tuple[Any, ...]) -> Json:
    for key in path:
        doc = doc[key]
    return doc


def _set(doc: Json, path: tuple[Any, ...], value: Json) -> Json:
    copy = json.loads(json.dumps(doc))
    holder = copy
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return copy


@SETTINGS
@given(data=st.data())
def test_malformed_lenses(
    workspace: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    doc = json.loads((workspace / LENS).read_text(encoding="utf-8"))
    broken, not_json = data.draw(broken_json(doc))
    (workspace / "bad.json").write_bytes(broken)
    before = snapshot(workspace)

    code, out, err = run(capsys, "lens", "validate", "bad.json")
    assert "Traceback" not in err
    if not_json:
        check_refused(code, out, err, ["bad.json"], True)
    else:
        assert code in (1, 2), (code, out, err)  # never "valid"
        if code == 1:  # a lens that breaks the format: every violation, then the verdict
            assert out.splitlines()[-1].startswith("bad.json: invalid lens: "), out
        else:
            check_refused(code, out, err, ["bad.json"], True)
    assert snapshot(workspace) == before

    code, out, err = run(capsys, "lens", "import", "bad.json", "-o", "imported")
    if not_json:
        check_refused(code, out, err, ["bad.json"], True)
    elif code != 0:  # an invalid lens can often be repaired: imported with warnings
        check_refused(code, out, err, ["bad.json"], False)
    if code != 0:
        assert snapshot(workspace) == before
    else:
        code, _, err = run(capsys, "lens", "export", "imported", "-o", "again.json")
        assert code in (0, 1) and "Traceback" not in err
        shutil.rmtree(workspace / "imported")
        (workspace / "again.json").unlink(missing_ok=True)


@pytest.mark.parametrize("reader", [*CHECKLIST_READERS, *REVIEW_READERS], ids=" ".join)
def test_the_readers_read_the_unbroken_files(
    workspace: Path, capsys: pytest.CaptureFixture[str], reader: list[str]
) -> None:
    """The inputs above are broken only where the generator broke them."""
    code, _, err = run(capsys, *reader)
    assert code in (0, 1), err
    assert loads((workspace / REVIEW).read_text(encoding="utf-8"))
