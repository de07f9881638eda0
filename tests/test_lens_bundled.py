"""`lenses/` holds the lenses built from the bundled checklist, in English and in Japanese: they
must be valid and up to date."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from orr.checklist.load import load_checklist, select_tier
from orr.lens.export import export_lens
from orr.lens.validate import validate_lens_text

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "checklists" / "orr.toml"
# The file of each language, and the command that writes it.
LANGUAGES = {
    "en": (
        "{id}.json",
        "python -m orr lens export checklists/orr.toml --lang en -o lenses/{id}.json",
    ),
    "ja": (
        "{id}.ja.json",
        "python -m orr lens export checklists/orr.toml --lang ja -o lenses/{id}.ja.json",
    ),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bundled_lens_is_up_to_date(lang: str) -> None:
    checklist = load_checklist(BUNDLED)
    name, command = (t.format(id=checklist.manifest.id) for t in LANGUAGES[lang])
    lens_file = REPO / "lenses" / name
    result = export_lens(checklist, lang)
    assert [p.format() for p in result.errors] == []
    if not lens_file.is_file():
        pytest.fail(f"{lens_file.relative_to(REPO)} is missing: run `{command}`")
    committed = lens_file.read_text(encoding="utf-8")
    if committed != result.text:
        diff = difflib.unified_diff(
            committed.splitlines(), result.text.splitlines(), "committed", "built", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:30])
        pytest.fail(f"{lens_file.relative_to(REPO)} is out of date: run `{command}`\n{shown}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bundled_lens_validates_clean(lang: str) -> None:
    checklist = load_checklist(BUNDLED)
    lens_file = REPO / "lenses" / LANGUAGES[lang][0].format(id=checklist.manifest.id)
    if not lens_file.is_file():
        pytest.fail(f"{lens_file.relative_to(REPO)} is missing")
    problems = validate_lens_text(lens_file.read_text(encoding="utf-8"))
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tier_of_the_bundled_checklist_exports_clean(lang: str) -> None:
    checklist = load_checklist(BUNDLED)
    assert checklist.manifest.tiers, "the bundled checklist defines a core tier"
    for tier in checklist.manifest.tiers:
        result = export_lens(select_tier(checklist, tier), lang)
        assert [p.format() for p in result.problems] == [], tier
