"""Writing checklist files (for `orr lens import`, `orr xlsx import`): one TOML style, and one
careful way to put a set of files into a folder: all of them, or none."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path, PurePath
from typing import Any

import tomli_w

from orr.errors import InputError, Problem
from orr.i18n import _
from orr.tomlfile import display_path, file_kind, fsync_folder, kind_problem, path_reason


def _has_carriage_return(value: object) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_carriage_return(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_carriage_return(v) for v in value)
    return False


def checklist_toml(data: dict[str, Any]) -> str:
    """TOML for a checklist file. Texts with line breaks are written as multi-line strings,
    unless some text holds a carriage return (a TOML reader may turn CRLF in a multi-line string
    into LF, so the file is then written with escaped line breaks, losslessly)."""
    return tomli_w.dumps(data, multiline_strings=not _has_carriage_return(data))


def check_writable(out_dir: Path, names: list[str], *, force: bool) -> list[Path]:
    """The target paths; refuses (writing nothing) when a file exists and ``force`` is not set."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(_("{path}: exists and is not a folder").format(path=display_path(out_dir)))
    targets = [out_dir / name for name in names]
    if not force:
        existing = [t for t in targets if t.exists()]
        if existing:
            problems = [
                Problem(
                    _("exists: not overwritten (use --force to replace it)"), file=display_path(t)
                )
                for t in existing
            ]
            raise InputError(
                _(
                    "{path}: {count} file(s) exist: not overwritten (use --force to replace them)"
                ).format(path=display_path(out_dir), count=len(existing)),
                problems,
            )
    return targets


def write_files(out_dir: Path, texts: dict[str, str], *, force: bool = False) -> list[Path]:
    """Write ``name -> text`` into ``out_dir`` (created if needed), all or nothing.

    Every file is written (and fsynced) into a temporary folder beside ``out_dir`` first, then
    moved into place: a new folder is renamed into place at once; into an existing folder the
    files are renamed one by one, and when one fails the files already moved are put back as they
    were. On any error nothing in ``out_dir`` changes and the error names the file."""
    for name in texts:
        pure = PurePath(name)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise InputError(
                _("{path}: {name!r} is not a file name in the folder").format(
                    path=display_path(out_dir), name=name
                )
            )
    targets = check_writable(out_dir, list(texts), force=force)
    made: list[Path] = []
    try:
        try:
            made = _make_folders(out_dir.parent)
            staging = _staging_folder(out_dir)
        except OSError as exc:
            raise InputError(
                _("{path}: cannot write ({reason}): nothing written").format(
                    path=display_path(out_dir), reason=path_reason(exc)
                )
            ) from None
        try:
            for name, text in texts.items():
                _write_new(staging / name, text.encode("utf-8"), out_dir / name)
            _install(staging, out_dir, list(texts))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return targets


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns those created, outermost first."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    missing.reverse()
    for path in missing:
        path.mkdir()
    return missing


def _staging_folder(out_dir: Path) -> Path:
    """A new, empty folder on the same file system as ``out_dir`` (beside it; inside it when it is
    a mount point, where a rename from beside it would cross file systems)."""
    where = out_dir.parent
    if out_dir.is_dir() and os.stat(out_dir).st_dev != os.stat(where).st_dev:
        where = out_dir
    while True:
        staging = where / f".{out_dir.name[:100]}.{secrets.token_hex(4)}.tmp"
        try:
            staging.mkdir()
            return staging
        except FileExistsError:
            continue


def _write_new(path: Path, data: bytes, target: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise InputError(
            _("{path}: cannot write ({reason}): nothing written").format(
                path=display_path(target), reason=path_reason(exc)
            )
        ) from None


def _install(staging: Path, out_dir: Path, names: list[str]) -> None:
    """Move the staged files into ``out_dir``; on failure, undo every move made."""
    if not out_dir.exists() and not out_dir.is_symlink() and staging.parent == out_dir.parent:
        try:
            os.rename(staging, out_dir)
        except OSError as exc:
            raise InputError(
                _("{path}: cannot write ({reason}): nothing written").format(
                    path=display_path(out_dir), reason=path_reason(exc)
                )
            ) from None
        fsync_folder(out_dir.parent)
        return
    # Refuse before moving anything what a rename would fail on (a folder where a file goes).
    for name in names:
        kind = file_kind(out_dir / name)
        if kind is not None and kind != "no such file":
            raise InputError(
                _(
                    "{path}: {problem}: nothing written (move it away or import into another "
                    "folder)"
                ).format(path=display_path(out_dir / name), problem=kind_problem(kind))
            )
    backups = staging / ".replaced"
    done: list[tuple[Path, Path | None]] = []  # (target, its old content's backup)
    made: list[Path] = []
    name = ""
    try:
        for name in names:
            target = out_dir / name
            made += _make_folders(target.parent)
            backup: Path | None = None
            if os.path.lexists(target):
                backup = backups / name
                backup.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(target, backup, follow_symlinks=False)
                except OSError:  # a file system without hard links
                    shutil.copy2(target, backup, follow_symlinks=False)
            os.replace(staging / name, target)
            done.append((target, backup))
    except OSError as exc:
        for target, backup in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise InputError(
            _("{path}: cannot write ({reason}): nothing written").format(
                path=display_path(out_dir / name), reason=path_reason(exc)
            )
        ) from None
    for folder in {t.parent for t, _backup in done}:
        fsync_folder(folder)
