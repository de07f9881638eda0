"""What Home lists of each review, remembered from one run to the next (issue 18): a remembered
summary is always the one reading and judging the review gives, and anything it was derived
from that changes (the file, the checklist, the day, orr) makes it read again; a broken cache
is never an error."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from orr.checklist.load import bundled_manifest
from orr.i18n import set_language
from orr.review import store, summaries
from orr.review.checklists import ChecklistCache
from orr.review.portfolio import Attention
from orr.review.summaries import Summaries, cache_folder, encode
from orr.review.workspace import scan
from orr.tui.screens.home import HomeScreen
from tests.test_review_lifecycle import (
    TODAY,
    answer,
    run,
    workspace,  # noqa: F401 (a fixture)
)
from tests.test_review_lifecycle import portfolio as four_workloads
from tests.test_tui_support import new_app, settle


def rows(items: list[Attention]) -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """What a list shows of each review."""
    return [(a.path.name, a.error, None if a.error else encode(a)) for a in items]


class Reads:
    """Counts the reviews parsed and the checklists loaded by a scan."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reviews: list[str] = []
        parse = store.parse_review

        def counted(text: str, shown: str) -> Any:
            self.reviews.append(Path(shown).name)
            return parse(text, shown)

        monkeypatch.setattr(store, "parse_review", counted)


def remembered_scan(folder: Path, today: date = TODAY) -> tuple[list[Attention], ChecklistCache]:
    """A scan as Home runs it (a process of its own: nothing loaded yet), saved."""
    cache = ChecklistCache()
    remembered = Summaries.for_workspace(folder, today)
    items = scan(folder, today, cache, remembered)
    remembered.save()
    return items, cache


def plain_scan(folder: Path, today: date = TODAY) -> list[Attention]:
    """A scan that remembers nothing: every review read and judged."""
    return scan(folder, today, ChecklistCache())


def cache_file(folder: Path) -> Path:
    return Summaries.for_workspace(folder, TODAY).file or Path("/nonexistent")


@pytest.fixture
def folder(workspace: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    """Four workloads with something due, an older review another one follows, and a file that
    is not a review."""
    four_workloads(capsys)
    code, _, err = run(
        capsys,
        "review",
        "new",
        "--from",
        "reviews/quiet.toml",
        "--kind",
        "periodic",
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    (workspace / "reviews" / "broken.toml").write_text("workload = 3\n", encoding="utf-8")
    return workspace


def test_a_remembered_summary_is_what_reading_the_review_gives(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = remembered_scan(folder)
    assert rows(first) == rows(plain_scan(folder))
    # The old Quiet review is followed by the new one: one Quiet listed.
    assert sorted(a.workload for a in first) == ["Billing", "Checkout", "Quiet", "Search", "broken"]
    reads = Reads(monkeypatch)
    again, cache = remembered_scan(folder)
    assert rows(again) == rows(first)
    # Nothing read but the broken file (never remembered), no checklist loaded: the old Quiet
    # review is known to be followed without reading it.
    assert reads.reviews == ["broken.toml"]
    assert not cache._loaded
    assert all(a.review is None and a.gate is None for a in again if not a.error)
    data = json.loads(cache_file(folder).read_text(encoding="utf-8"))
    assert "broken.toml" not in " ".join(data["reviews"])
    assert {Path(p).name for p in data["reviews"]} == {
        "search.toml",
        "checkout.toml",
        "billing.toml",
        "quiet.toml",
        "quiet-2.toml",
    }


def test_a_changed_review_is_read_again(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    remembered_scan(folder)
    answer(capsys, "reviews/checkout.toml", "ops_runbooks", "--none")
    reads = Reads(monkeypatch)
    items, _ = remembered_scan(folder)
    assert sorted(reads.reviews) == ["broken.toml", "checkout.toml"]
    assert rows(items) == rows(plain_scan(folder))
    checkout = next(a for a in items if a.workload == "Checkout")
    assert checkout.counts["answered"] == 2


def test_another_day_reads_every_review(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remembered_scan(folder)
    later = TODAY + timedelta(days=45)
    reads = Reads(monkeypatch)
    items, _ = remembered_scan(folder, later)
    assert len(reads.reviews) == 6
    assert rows(items) == rows(plain_scan(folder, later))
    # The acceptance has expired and the mitigation is 57 days late now.
    search = next(a for a in items if a.workload == "Search")
    assert search.overdue == [("M1", 57)]


def test_a_changed_checklist_judges_every_review_again(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remembered_scan(folder)
    source = folder / "checklists" / "readiness.toml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "evidence_max_age_days = 90", "evidence_max_age_days = 91"
        ),
        encoding="utf-8",
    )
    reads = Reads(monkeypatch)
    items, cache = remembered_scan(folder)
    assert len(reads.reviews) == 5  # the followed one is known to be followed
    assert cache._loaded
    assert rows(items) == rows(plain_scan(folder))
    # Every review is now behind its checklist: a blocker each.
    assert all(a.counts["blockers"] >= 1 for a in items if not a.error)


def test_a_checklist_gone_is_an_error_again(folder: Path) -> None:
    remembered_scan(folder)
    (folder / "checklists" / "orr.toml").rename(folder / "checklists" / "old.toml")
    items, _ = remembered_scan(folder)
    assert rows(items) == rows(plain_scan(folder))
    assert sum(1 for a in items if a.error) == 5
    assert any("is not there" in (a.error or "") for a in items)


def test_an_orr_that_cannot_see_its_own_files_remembers_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable() -> str:
        raise PermissionError("orr/review")

    monkeypatch.setattr(summaries, "_code_stamp", unreadable)
    items, _ = remembered_scan(folder)
    assert rows(items) == rows(plain_scan(folder))
    where = cache_folder()
    assert where is not None and not (where / "summaries").exists()


def test_another_orr_reads_every_review(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remembered_scan(folder)
    monkeypatch.setattr(summaries, "_code_stamp", lambda: "another orr")
    reads = Reads(monkeypatch)
    items, _ = remembered_scan(folder)
    assert len(reads.reviews) == 6
    assert rows(items) == rows(plain_scan(folder))


BROKEN_CACHES = [
    "not json",
    "[]",
    '{"format": 1}',
    "\0\0\0",
    "[" * 100_000,
]


@pytest.mark.parametrize("text", BROKEN_CACHES)
def test_a_broken_cache_is_written_anew(folder: Path, text: str) -> None:
    target = cache_file(folder)
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    items, _ = remembered_scan(folder)
    assert rows(items) == rows(plain_scan(folder))
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == summaries.FORMAT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("days_left", "3"),
        ("days_left", True),
        ("counts", []),
        ("counts", {"questions": 1.5}),
        ("overdue", [["M1"]]),
        ("expiring", [["A1", "tomorrow"]]),
        ("kind", "unheard of"),
        ("verdict", None),
        ("launch_date", 20301201),
    ],
)
def test_a_remembered_summary_of_the_wrong_shape_is_read_again(
    folder: Path, monkeypatch: pytest.MonkeyPatch, field: str, value: object
) -> None:
    remembered_scan(folder)
    target = cache_file(folder)
    data = json.loads(target.read_text(encoding="utf-8"))
    for entry in data["reviews"].values():
        if "summary" in entry:
            entry["summary"][field] = value
    data["checklists"] = {m: {**c, "stamps": {"x": "y"}} for m, c in data["checklists"].items()}
    target.write_text(json.dumps(data), encoding="utf-8")
    reads = Reads(monkeypatch)
    items, cache = remembered_scan(folder)
    assert len(reads.reviews) == 5
    assert cache._loaded  # the checklist's stamps were of the wrong shape too
    assert rows(items) == rows(plain_scan(folder))


def test_a_cache_that_cannot_be_written_is_left_alone(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    items, _ = remembered_scan(folder)
    assert rows(items) == rows(plain_scan(folder))
    # A folder where the cache file goes: read and written as nothing.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache2"))
    cache_file(folder).mkdir(parents=True)
    items, _ = remembered_scan(folder)
    assert rows(items) == rows(plain_scan(folder))


def test_the_cache_is_the_users_alone(folder: Path) -> None:
    remembered_scan(folder)
    where = cache_folder()
    assert where is not None and cache_file(folder).is_relative_to(where)
    assert stat.S_IMODE(os.stat(cache_file(folder).parent).st_mode) == 0o700


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "orr"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the spec says
    assert cache_folder() == Path.home() / ".cache" / "orr"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == Path.home() / ".cache" / "orr"


def test_a_checklist_is_remembered_in_each_language(tmp_path: Path) -> None:
    cache = ChecklistCache()
    english = Summaries(tmp_path / "s.json", TODAY)
    name = english.checklist(bundled_manifest(), cache).name
    english.save()
    set_language("ja")
    japanese = Summaries(tmp_path / "s.json", TODAY).checklist(bundled_manifest(), cache)
    assert japanese.name == cache.get(bundled_manifest()).manifest.name != name
    assert japanese.content_hash == ChecklistCache().get(bundled_manifest()).content_hash


async def test_home_lists_what_it_remembered(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def cells(home: HomeScreen) -> list[list[str]]:
        table = home.query_one("#reviews", DataTable)
        return [
            [table.get_cell_at(Coordinate(r, c)).plain for c in range(6)]
            for r in range(table.row_count)
        ]

    app = new_app(workspace=folder, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        first = cells(app.screen)
        assert all(a.review is not None for a in app.screen.reviews if not a.error)
    assert cache_file(folder).is_file()
    app = new_app(workspace=folder, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert cells(home) == first
        assert all(a.review is None for a in home.reviews if not a.error)
        assert "Mini ORR" in str(home.query_one("#home-checklist").render())
        # A review changed outside: Refresh shows it.
        answer(capsys, "reviews/quiet-2.toml", "ops_runbooks", "--none")
        await pilot.press("r")
        await settle(pilot)
        quiet = next(a for a in home.reviews if a.workload == "Quiet")
        assert quiet.review is not None and quiet.counts["answered"] == 1
        assert cells(home) != first
