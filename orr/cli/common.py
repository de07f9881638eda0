"""What the command groups share: reading the day, the user and paths from arguments, and
printing data and warnings. Cheap to import (no core module is loaded at import time)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from orr.errors import InputError
from orr.i18n import _
from orr.textsafe import terminal_safe

REVIEWS_DIR = Path("reviews")
USER_HELP = "who makes the change (default: $ORR_USER, git user.name, the login name)"


def out(text: str) -> None:
    """Data, to stdout."""
    sys.stdout.write(text)


def warn(lines: Iterable[str]) -> None:
    """Warnings, to stderr, one line each."""
    for line in lines:
        sys.stderr.write(_("warning: {message}").format(message=terminal_safe(line)) + "\n")


def today(args: argparse.Namespace) -> date:
    """``--today`` (the one date parser of orr), else the real today."""
    from orr.values import parse_date

    value = getattr(args, "today", None)
    return parse_date(value, "--today") if value else date.today()


def who(args: argparse.Namespace) -> str:
    from orr.review.who import current_user

    return current_user(getattr(args, "user", None))


def path_arg(arg: str, flag: str = "") -> Path:
    """``Path(arg)``; InputError when the system cannot even look it up (a name too long, a
    symlink loop, a NUL byte): `orr.tomlfile.resolve_path`, the one check of a user's path."""
    from orr.tomlfile import cut, resolve_path

    p = Path(arg)
    resolve_path(p, f"{flag}{cut(arg, 200)}")
    return p


def review_path(arg: str) -> Path:
    """A review file argument: a path, or the name of a review in reviews/."""
    p = path_arg(arg)
    if p.exists():
        if p.is_dir():
            raise InputError(_("{path}: is a folder, not a review file").format(path=arg))
        return p
    if p.suffix != ".toml" and len(p.parts) == 1:
        candidate = REVIEWS_DIR / f"{arg}.toml"
        if candidate.is_file():
            return candidate
    raise InputError(_("{path}: no such review file").format(path=arg[:200]))
