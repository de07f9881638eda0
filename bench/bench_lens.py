"""Lens figures (issue 3): export of the maximum-size checklist, validation of a 500,000-byte
lens, import of the largest published fixture. Budget: 100 ms each, in-process.

The checklist is loaded once, outside the timing: its loading is timed in bench_checklist.py.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from orr.checklist import load_checklist
from orr.lens.export import export_lens
from orr.lens.importer import import_lens_text, render
from orr.lens.validate import validate_lens_text
from tests.maxsize import dense_lens_text_of_size, lens_text_of_size, write_max_checklist

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO.parent / "shared" / "fixtures" / "lenses"
LARGEST_FIXTURE = FIXTURES / "Amazon_S3_Lens.json"
BUDGET = 0.100


def cases() -> list[tuple[str, Callable[[], object], float]]:
    folder = Path(tempfile.mkdtemp(prefix="orr-bench-lens-"))
    long_texts = load_checklist(write_max_checklist(folder / "long"))
    fitting = load_checklist(write_max_checklist(folder / "fit", fit_lens=True))
    lens_500k = lens_text_of_size(500_000)
    dense_500k = dense_lens_text_of_size(500_000)
    fixture = LARGEST_FIXTURE.read_text(encoding="utf-8")

    def import_fixture() -> object:
        # Parse, read, repair, check by re-exporting, and render the TOML of every file.
        return render(import_lens_text(fixture))

    return [
        (
            "lens: export max-size checklist (long texts, too big)",
            lambda: export_lens(long_texts),
            BUDGET,
        ),
        ("lens: export max-size checklist (fits, compact)", lambda: export_lens(fitting), BUDGET),
        (
            "lens: validate 500,000-byte lens (indented)",
            lambda: validate_lens_text(lens_500k),
            BUDGET,
        ),
        (
            "lens: validate 500,000-byte lens (3,000 choices)",
            lambda: validate_lens_text(dense_500k),
            BUDGET,
        ),
        ("lens: import Amazon S3 lens (209 kB) to TOML", import_fixture, BUDGET),
    ]
