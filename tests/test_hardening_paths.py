"""Paths from users (issue 13, items 1, 6 and 11): symlink loops, includes that lead outside the
checklist, folders, FIFOs and devices where a file is expected. Each is one line, exit 2,
nothing written, never a traceback, never a blocked read."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from orr.checklist import load_checklist
from orr.errors import InputError
from orr.tomlfile import display_path, read_text
from tests.test_hardening_support import (
    LENS,
    MANIFEST,
    REVIEW,
    make_workspace,
    one_line_naming,
    run,
    snapshot,
)
from tests.test_review_support import MINI_DIR

LOOP = "loop.toml"


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_workspace(tmp_path, capsys)


@contextmanager
def never_blocks(seconds: float = 10.0) -> Iterator[None]:
    """Fail (rather than hang the suite) when the body blocks, e.g. reading a FIFO."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("blocked: a FIFO or a device was read")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- 1. symlink loops ------------------------------------------------------------------------------

NEW = ["review", "new", "--workload", "W", "--launch-date", "2030-01-20"]


@pytest.mark.parametrize(
    "args",
    [
        ["checklist", "validate", LOOP],
        ["checklist", "lint", LOOP],
        ["checklist", "show", LOOP],
        ["lens", "export", LOOP],
        ["lens", "export", MANIFEST, "-o", LOOP],
        ["lens", "validate", LOOP],
        ["lens", "import", LOOP],
        ["lens", "import", LENS, "-o", LOOP],
        [*NEW, "-o", LOOP],
        [*NEW, "--checklist", LOOP],
        ["status", LOOP],
        ["report", LOOP],
        ["report", REVIEW, "-o", LOOP],
        ["review", "answer", LOOP, "ops_runbooks", "--none"],
        ["diff", REVIEW, LOOP],
    ],
    ids=lambda args: " ".join(a for a in args if a not in (LOOP, MANIFEST, REVIEW, LENS)),
)
def test_a_symlink_loop_is_one_line_in_every_command(
    workspace: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    (workspace / LOOP).symlink_to(LOOP)
    before = snapshot(workspace)
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert "a symlink loop" in one_line_naming(err, LOOP)
    assert snapshot(workspace) == before


def test_an_include_that_is_a_symlink_loop(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = workspace / MANIFEST
    (workspace / "checklists" / LOOP).symlink_to(LOOP)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('["readiness.toml"]', f'["readiness.toml", "{LOOP}"]'))
    code, _, err = run(capsys, "checklist", "validate", MANIFEST)
    assert code == 2
    line = one_line_naming(err, f"include '{LOOP}'")
    assert (
        line == f"{MANIFEST}:8: include[1]: include '{LOOP}': cannot use this path (a symlink loop)"
    )


def test_a_glob_that_matches_a_symlink_loop(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = workspace / "checklists"
    (folder / "more").mkdir()
    (folder / "more" / LOOP).symlink_to(LOOP)
    manifest = folder / "orr.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('["readiness.toml"]', '["readiness.toml", "more/*.toml"]'))
    code, _, err = run(capsys, "checklist", "lint", MANIFEST)
    assert code == 2
    assert "checklists/more/loop.toml: cannot use this path (a symlink loop)" in one_line_naming(
        err, "include 'more/*.toml'"
    )


def test_the_path_helpers_never_raise_anything_but_an_input_error(tmp_path: Path) -> None:
    from orr.tomlfile import resolve_path

    loop = tmp_path / LOOP
    loop.symlink_to(LOOP)
    assert display_path(loop) == str(loop)  # shown as given
    for path in (loop, tmp_path / ("x" * 300), Path("a\x00b")):
        with pytest.raises(InputError, match=r"cannot use this path \("):
            resolve_path(path)
    with pytest.raises(InputError, match=r"loop\.toml: is a symlink loop, not a file$"):
        read_text(loop, "loop.toml")


# --- 6. includes stay inside the manifest's folder ------------------------------------------------

OUTSIDE = "includes stay in it and below unless the manifest says allow_outside = true"


def checklist_with(folder: Path, include: str, *, allow_outside: bool = False) -> Path:
    """The mini checklist in ``folder``/checklists, its manifest also including ``include``."""
    target = folder / "checklists"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("orr.toml", "readiness.toml"):
        (target / name).write_bytes((MINI_DIR / name).read_bytes())
    manifest = target / "orr.toml"
    text = manifest.read_text(encoding="utf-8").replace(
        'include = ["readiness.toml"]', f'include = ["readiness.toml", {include}]'
    )
    if allow_outside:
        text = "allow_outside = true\n" + text
    manifest.write_text(text, encoding="utf-8")
    return manifest


def load_errors(manifest: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_checklist(manifest)
    return info.value.lines()


@pytest.mark.parametrize(
    ("outside", "missing"),
    [
        ('"/etc/passwd"', '"/etc/no-such-file-of-orr"'),
        ('"../../../../../../../../etc/passwd"', '"../../../../../../../../etc/no-such-orr"'),
        ('"/etc/*.conf"', '"/no-such-folder-of-orr/*.conf"'),
        ('"../*"', '"../no-such-folder-of-orr/*"'),
        ('"sub/../../x.toml"', '"sub/../../y.toml"'),
    ],
)
def test_an_include_outside_the_folder_is_refused_without_telling_what_exists(
    tmp_path: Path, outside: str, missing: str
) -> None:
    refused = load_errors(checklist_with(tmp_path / "a", outside))
    other = load_errors(checklist_with(tmp_path / "b", missing))
    assert len(refused) == len(other) == 1
    pattern = outside.strip('"')
    assert refused[0].endswith(
        f"orr.toml:8: include[1]: include {pattern!r}: outside the manifest's folder: {OUTSIDE}"
    )
    # The same words whether the file outside exists or not.
    assert (
        refused[0].split(": include ")[1].split(": ", 1)[1]
        == other[0].split(": include ")[1].split(": ", 1)[1]
    )
    assert "root:" not in refused[0]


@pytest.mark.parametrize("target", ["/etc/passwd", "/no/such/file/of/orr.toml"])
def test_a_symlink_leading_outside_is_refused_the_same_whether_it_exists(
    tmp_path: Path, target: str
) -> None:
    manifest = checklist_with(tmp_path, '"link.toml"')
    (manifest.parent / "link.toml").symlink_to(target)
    assert load_errors(manifest) == [
        f"{display_path(manifest)}:8: include[1]: include 'link.toml': leads outside the "
        f"manifest's folder (a symlink): {OUTSIDE}"
    ]


def test_a_glob_does_not_follow_a_symlink_outside(tmp_path: Path) -> None:
    manifest = checklist_with(tmp_path, '"extra/*.toml"')
    (manifest.parent / "extra").mkdir()
    (manifest.parent / "extra" / "passwd.toml").symlink_to("/etc/passwd")
    errors = load_errors(manifest)
    assert len(errors) == 1 and "leads outside the manifest's folder (a symlink)" in errors[0]
    assert "root:" not in errors[0]


def test_a_nested_include_stays_inside_too(tmp_path: Path) -> None:
    manifest = checklist_with(tmp_path, '"nested.toml"')
    (manifest.parent / "nested.toml").write_text(
        'schema_version = 1\nkind = "security"\ninclude = ["../../outside.toml"]\n'
    )
    (tmp_path / "outside.toml").write_text('schema_version = 1\nkind = "security"\n')
    errors = load_errors(manifest)
    assert len(errors) == 1
    assert errors[0].endswith(
        f"nested.toml:3: include[0]: include '../../outside.toml': outside the manifest's "
        f"folder: {OUTSIDE}"
    )


def test_allow_outside_lets_includes_out_and_checklist_show_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared.toml"
    shared.write_bytes((MINI_DIR / "readiness.toml").read_bytes())
    manifest = checklist_with(tmp_path, '"../shared.toml"', allow_outside=True)
    (manifest.parent / "readiness.toml").write_text('schema_version = 1\nkind = "operations"\n')
    checklist = load_checklist(manifest)
    assert checklist.manifest.allow_outside is True
    assert len(checklist.questions) == 5
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "checklist", "show", "checklists/orr.toml")
    assert code == 0
    assert "includes: may lead outside the manifest's folder (allow_outside = true)" in out
    code, out, _ = run(capsys, "checklist", "show", str(MINI_DIR / "orr.toml"))
    assert code == 0
    assert "includes: inside the manifest's folder" in out


def test_allow_outside_is_true_or_false(tmp_path: Path) -> None:
    manifest = checklist_with(tmp_path, '"readiness.toml"')
    manifest.write_text('allow_outside = "yes"\n' + manifest.read_text(encoding="utf-8"))
    assert load_errors(manifest) == [
        f"{display_path(manifest)}:1: allow_outside: 'yes' is not true or false"
    ]


@pytest.mark.parametrize(
    "ref",
    [
        "/etc/passwd",
        "../../../../../../../../../../etc/passwd",
        "~root/.profile",
        "/etc/passwd.toml",
    ],
)
def test_a_review_cannot_make_orr_read_a_system_file(
    workspace: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    review = workspace / REVIEW
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace('manifest = "../checklists/orr.toml"', f"manifest = {ref!r}"))
    assert ref in review.read_text(encoding="utf-8")
    for args in (["status", REVIEW], ["report", REVIEW]):
        code, out, err = run(capsys, *args)
        assert (code, out) == (2, "")
        line = one_line_naming(err, REVIEW)
        assert "checklist.manifest" in line and "root:" not in line


# --- 11. folders, FIFOs and devices where a file is expected ----------------------------------------


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a file"),
        (lambda p: p.symlink_to("/dev/zero"), "is a device, not a file"),
    ],
    ids=["folder", "fifo", "dev-zero"],
)
def test_an_include_that_is_not_a_file_says_what_it_is(
    tmp_path: Path, make: object, what: str
) -> None:
    manifest = checklist_with(tmp_path, '"odd.toml"', allow_outside=True)
    assert callable(make)
    make(manifest.parent / "odd.toml")
    with never_blocks():
        errors = load_errors(manifest)
    shown = display_path(manifest.parent / "odd.toml")
    assert errors == [
        f"{display_path(manifest)}:9: include[1]: include 'odd.toml': {what} (looked for {shown})"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["checklist", "validate", "odd.toml"],
        ["lens", "validate", "odd.toml"],
        ["lens", "import", "odd.toml"],
        ["status", "odd.toml"],
        ["report", "odd.toml"],
        ["review", "answer", "odd.toml", "ops_runbooks", "--none"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_is_never_read(
    workspace: Path, capsys: pytest.CaptureFixture[str], args: list[str], kind: str
) -> None:
    odd = workspace / "odd.toml"
    if kind == "fifo":
        os.mkfifo(odd)
    else:
        odd.symlink_to("/dev/zero")
    with never_blocks():
        code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    assert one_line_naming(err, "odd.toml") == f"odd.toml: is {what}, not a file"


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a file"),
        (lambda p: p.symlink_to(p.name), "is a symlink loop, not a file"),
    ],
    ids=["folder", "fifo", "loop"],
)
def test_a_review_whose_checklist_is_not_a_file_says_what_it_is(
    workspace: Path, capsys: pytest.CaptureFixture[str], make: object, what: str
) -> None:
    review = workspace / REVIEW
    text = review.read_text(encoding="utf-8")
    review.write_text(
        text.replace('manifest = "../checklists/orr.toml"', 'manifest = "../odd.toml"')
    )
    assert callable(make)
    make(workspace / "odd.toml")
    before = snapshot(workspace)
    for args in (
        ["status", REVIEW],
        ["report", REVIEW],
        ["review", "answer", REVIEW, "ops_runbooks", "--none"],
    ):
        with never_blocks():
            code, out, err = run(capsys, *args)
        assert (code, out) == (2, "")
        assert one_line_naming(err, REVIEW) == (
            f"{REVIEW}: checklist.manifest '../odd.toml': {what} (looked for odd.toml)"
        )
    assert snapshot(workspace) == before
