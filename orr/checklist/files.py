"""Writing checklist files (for `orr lens import`, `orr xlsx import`): one TOML style, and one
careful way to put a set of files into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from orr.errors import InputError, Problem
from orr.tomlfile import display_path, write_atomic


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
        raise InputError(f"{display_path(out_dir)}: exists and is not a folder")
    targets = [out_dir / name for name in names]
    if not force:
        existing = [t for t in targets if t.exists()]
        if existing:
            problems = [
                Problem("exists: not overwritten (use --force to replace it)", file=display_path(t))
                for t in existing
            ]
            raise InputError(
                f"{display_path(out_dir)}: {len(existing)} file(s) exist: not overwritten "
                "(use --force to replace them)",
                problems,
            )
    return targets


def write_files(out_dir: Path, texts: dict[str, str], *, force: bool = False) -> list[Path]:
    """Write ``name -> text`` into ``out_dir`` (created if needed), each file atomically."""
    targets = check_writable(out_dir, list(texts), force=force)
    for target, text in zip(targets, texts.values(), strict=True):
        write_atomic(target, text.encode("utf-8"))
    return targets
