"""Checklist figures: load + validate + lint of the bundled and of a maximum-size checklist, and
`orr checklist validate` as a whole process. Budgets from issue 2."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from orr.checklist import load_checklist
from orr.checklist.lint import lint_rules
from orr.lens.checks import lint_checklist
from tests.maxsize import write_max_checklist

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "checklists" / "orr.toml"


def cases() -> list[tuple[str, Callable[[], object], float]]:
    folder = Path(tempfile.mkdtemp(prefix="orr-bench-"))
    # The largest checklist that can still become a lens (500,000 bytes), and one with long texts.
    fitting = write_max_checklist(folder / "fits", fit_lens=True)
    maxsize = write_max_checklist(folder / "long")
    loaded = load_checklist(fitting)

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
        ("checklist: max-size load+validate (fits a lens)", lambda: load_checklist(fitting), 0.15),
        (
            "checklist: max-size load+validate (long texts, 1.4 MB)",
            lambda: load_checklist(maxsize),
            0.5,
        ),
        ("checklist: max-size lint (rules)", lambda: lint_rules(loaded), 1.0),
        ("checklist: max-size lint (all)", lambda: lint_checklist(loaded), 1.0),
        ("checklist: `orr checklist validate` process", process, 1.0),
    ]
