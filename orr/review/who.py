"""Who is making a change (recorded in the audit trail, answers and mitigations)."""

from __future__ import annotations

import getpass
import os
import subprocess


def _git_user() -> str:
    try:
        done = subprocess.run(
            ["git", "config", "user.name"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def current_user(explicit: str | None = None) -> str:
    """The user: --user, else $ORR_USER, else git's user.name, else the login name."""
    for candidate in (explicit, os.environ.get("ORR_USER")):
        if candidate and candidate.strip():
            return candidate.strip()
    name = _git_user()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
