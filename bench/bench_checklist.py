"""Checklist figures: load + validate + lint of the bundled and of a maximum-size checklist, and
`orr checklist validate` as a whole process. Budgets from issue 2."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.maxsize import write_max_checklist

from orr.checklist import load_checklist
from orr.checklist.lint import lint_checklist, lint_rules

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "checklists" / "orr.toml"


def cases() -> list[tuple[str, Callable[[], object], float]]:
    folder = Path(tempfile.mkdtemp(prefix="orr-bench-"))
    maxsize = write_max_checklist(folder)
    loaded = load_checklist(maxsize)

    def process() -> None:
        subprocess.run(
            [sys.executable, "-m", "orr", "checklist", "validate", str(BUNDLED)],
            check=True,
            capture_output=True,
            cwd=REPO,
        )

    return [
        ("checklist: bundled load+validate", lambda: load_checklist(BUNDLED), 0.15),
        ("checklist: bundled lint", lambda: lint_checklist(load_checklist(BUNDLED)), 1.0),
        ("checklist: max-size load+validate", lambda: load_checklist(maxsize), 0.15),
        ("checklist: max-size lint (rules)", lambda: lint_rules(loaded), 1.0),
        ("checklist: max-size lint (all)", lambda: lint_checklist(loaded), 1.0),
        ("checklist: `orr checklist validate` process", process, 1.0),
    ]
