"""Round trip: checklist -> workbook -> checklist gives the same checklist."""

from __future__ import annotations

import tomllib
from pathlib import Path

from orr.checklist import Checklist, load_checklist
from orr.checklist.model import SourceFile
from orr.sheet.export import checklist_book, export_review
from orr.sheet.importer import import_workbook
from tests.conftest import BUNDLED
from tests.test_sheet_support import TODAY, make_review, write_rich_checklist


def _relative_sources(checklist: Checklist) -> list[str]:
    base = Path(checklist.path).resolve().parent
    return [Path(q.source).resolve().relative_to(base).as_posix() for q in checklist.questions]


def assert_same_checklist(a: Checklist, b: Checklist) -> None:
    assert b.manifest == a.manifest
    assert [(p.id, p.name) for p in b.pillars] == [(p.id, p.name) for p in a.pillars]
    assert len(b.questions) == len(a.questions)
    for qa, qb in zip(a.questions, b.questions, strict=True):
        assert qb.spec.model_dump() == qa.spec.model_dump(), qa.id
        assert [c.model_dump() for c in qb.choices] == [c.model_dump() for c in qa.choices]
        assert [(r.text, r.risk) for r in qb.rules] == [(r.text, r.risk) for r in qa.rules]
        assert (qb.pillar_id, qb.kind, qb.generated_rules) == (
            qa.pillar_id,
            qa.kind,
            qa.generated_rules,
        )
    assert _relative_sources(b) == _relative_sources(a)


def _round_trip(manifest: Path, tmp_path: Path) -> tuple[Checklist, Checklist]:
    original = load_checklist(manifest)
    book = tmp_path / "book.xlsx"
    checklist_book(original).save(book)
    import_workbook(book, tmp_path / "back")
    return original, load_checklist(tmp_path / "back" / "orr.toml")


def test_bundled_checklist_round_trips(tmp_path: Path) -> None:
    original, back = _round_trip(BUNDLED, tmp_path)
    assert_same_checklist(original, back)
    # Every file says the same (the bundled files write every field, defaults included), so
    # reviews started from the checklist are not behind it after a round trip.
    assert back.content_hash == original.content_hash
    assert len(back.files) == len(original.files)


def _file_models(folder: Path) -> dict[str, object]:
    """Each source file as its model (what it says, whatever the TOML layout)."""
    return {
        p.relative_to(folder).as_posix(): SourceFile.model_validate(tomllib.loads(p.read_text()))
        for p in sorted(folder.rglob("*.toml"))
        if p.name != "orr.toml"
    }


def test_every_feature_round_trips(tmp_path: Path) -> None:
    manifest = write_rich_checklist(tmp_path / "rich")
    original, back = _round_trip(manifest, tmp_path)
    assert_same_checklist(original, back)
    # The same files, each saying the same (descriptions, includes, which file names a pillar).
    assert _file_models(tmp_path / "back") == _file_models(tmp_path / "rich")
    sec = back.question("sec_access")
    assert sec is not None and sec.spec.description is not None and "\n" in sec.spec.description
    assert [c.id for c in sec.choices][-1] == "sec_access_no"
    assert sec.choices[-1].title == "We have not looked at this"  # explicit, kept
    ops = back.question("ops_runbooks")
    assert ops is not None and not ops.spec.none_choice and ops.none_choice_id is None
    assert (tmp_path / "back" / "extra" / "incident.toml").is_file()  # nested include kept
    assert (tmp_path / "back" / "ops" / "alarms.toml").is_file()


def test_a_second_round_trip_changes_nothing(tmp_path: Path) -> None:
    manifest = write_rich_checklist(tmp_path / "rich")
    _, back = _round_trip(manifest, tmp_path / "one")
    first = {
        p.name: p.read_text(encoding="utf-8")
        for p in (tmp_path / "one" / "back").rglob("*")
        if p.is_file()
    }
    _, again = _round_trip(tmp_path / "one" / "back" / "orr.toml", tmp_path / "two")
    second = {
        p.name: p.read_text(encoding="utf-8")
        for p in (tmp_path / "two" / "back").rglob("*")
        if p.is_file()
    }
    assert second == first
    assert again.content_hash == back.content_hash


def test_review_workbook_imports_as_its_checklist(tmp_path: Path) -> None:
    review_path, checklist = make_review(tmp_path)
    book = tmp_path / "review.xlsx"
    export_review(review_path, book, TODAY)
    import_workbook(book, tmp_path / "back")
    back = load_checklist(tmp_path / "back" / "orr.toml")
    assert_same_checklist(checklist, back)
