"""`orr xlsx merge`: stakeholders' mitigation edits come back by mitigation id; conflicts are
reported, not applied; nothing else in the review is touched."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from orr.cli import main
from orr.errors import InputError
from orr.review.kinds import MitigationStatus
from orr.review.model import Review
from orr.review.ops import update_mitigation
from orr.sheet import layout as L
from orr.sheet.export import checklist_book, export_review
from orr.sheet.merge import merge_workbook
from tests.test_sheet_support import TODAY, column_of, edit_review, load_review_file, make_review


def _export(tmp_path: Path) -> tuple[Path, Path]:
    review_path, _ = make_review(tmp_path)
    book = tmp_path / "review.xlsx"
    export_review(review_path, book, TODAY)
    return review_path, book


def _edit(book: Path, edits: dict[tuple[str, str], Any], out: Path | None = None) -> Path:
    """Change cells of Findings & Mitigations as a stakeholder would: (mitigation, header)."""
    wb = load_workbook(book)
    ws = wb[L.MITIGATIONS]
    id_col = column_of(ws, L.MITIGATION_ID)
    rows = {ws.cell(r, id_col).value: r for r in range(2, ws.max_row + 1)}
    for (mid, header), value in edits.items():
        ws.cell(rows[mid], column_of(ws, header)).value = value
    target = out or book
    wb.save(target)
    return target


def _without(review: Review, *fields: str) -> dict[str, Any]:
    return review.model_dump(exclude=set(fields))


def test_edits_are_applied_with_one_audit_entry(tmp_path: Path) -> None:
    review_path, book = _export(tmp_path)
    before = load_review_file(review_path)
    _edit(
        book,
        {
            ("M1", L.M_STATUS): "done",
            ("M2", L.M_OWNER): "dana",
            ("M2", L.M_DUE): datetime(2025, 4, 30),  # a date cell, as a spreadsheet writes it
            ("M3", L.M_NOTES): "waiting on the vendor\nticket raised",
            ("M3", L.M_DUE): "2025-05-01",  # typed as text
            ("M1", L.M_TITLE): "a title edit is not merged",
        },
    )
    report = merge_workbook(book, review_path, who="tester", now=datetime(2025, 2, 11, 12, 0))
    assert [e.describe() for e in report.applied] == [
        "M1 status 'open' -> 'done'",
        "M2 owner 'bob' -> 'dana'",
        "M2 due '2025-03-15' -> '2025-04-30'",
        "M3 due (none) -> '2025-05-01'",
        "M3 notes 'note 3' -> 'waiting on the vendor ticket raised'",
    ]
    assert report.conflicts == [] and not report.review_changed
    after = load_review_file(review_path)
    m1, m2, m3 = after.mitigations
    assert m1.status is MitigationStatus.DONE and m1.title == "Split roles"
    assert (m2.owner, m2.due) == ("dana", date(2025, 4, 30))
    assert m3.notes == "waiting on the vendor\nticket raised" and m3.due == date(2025, 5, 1)
    assert m1.updated_by == "tester" and m1.updated_at.year == 2025
    # Fields nobody edited keep their values.
    for old, new in zip(before.mitigations, after.mitigations, strict=True):
        assert new.model_dump(
            exclude={"status", "owner", "due", "notes", "updated_at", "updated_by"}
        ) == old.model_dump(exclude={"status", "owner", "due", "notes", "updated_at", "updated_by"})
    # Nothing else in the review is touched; the audit trail records the merge once.
    assert _without(after, "mitigations", "audit") == _without(before, "mitigations", "audit")
    assert after.audit[:-1] == before.audit
    entry = after.audit[-1]
    assert entry.action == "xlsx merge" and entry.who == "tester"
    assert "M1 status 'open' -> 'done'" in entry.detail and "review.xlsx" in entry.detail


def test_an_edit_that_also_changed_in_the_file_is_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_path, book = _export(tmp_path)
    # After the export, someone changes M1's status and M2's owner in the review itself.
    edit_review(
        review_path,
        lambda r: (
            update_mitigation(r, "M1", who="other", status="in_progress"),
            update_mitigation(r, "M2", who="other", owner="erin"),
        ),
    )
    _edit(
        book,
        {
            ("M1", L.M_STATUS): "done",  # conflicts with in_progress
            ("M2", L.M_OWNER): "erin",  # the same change: nothing to do
            ("M3", L.M_STATUS): "in_progress",  # unchanged in the file: applied
        },
    )
    code = main(["xlsx", "merge", str(book), str(review_path), "--user", "tester"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "conflict: Mitigations!H2: M1 status 'open' -> 'done' not applied" in err
    assert "the review file changed it to 'in_progress'" in err
    assert "applied: M3 status 'open' -> 'in_progress'" in out
    assert "already in the review: M2 owner 'bob' -> 'erin'" in out
    after = load_review_file(review_path)
    assert [m.status for m in after.mitigations] == [
        MitigationStatus.IN_PROGRESS,
        MitigationStatus.OPEN,
        MitigationStatus.IN_PROGRESS,
    ]
    assert after.mitigations[1].owner == "erin"
    assert "not applied (changed in the review file since the export): M1 status" in (
        after.audit[-1].detail
    )


def test_a_mitigation_removed_since_the_export_is_a_conflict(tmp_path: Path) -> None:
    review_path, book = _export(tmp_path)
    edit_review(review_path, lambda r: r.mitigations.pop(1))
    _edit(book, {("M2", L.M_STATUS): "done", ("M1", L.M_NOTES): "progress"})
    report = merge_workbook(book, review_path, who="tester")
    assert report.review_changed
    assert [c.edit.mitigation for c in report.conflicts] == ["M2"]
    assert "M2 was removed from the review since the export" in report.conflicts[0].describe()
    after = load_review_file(review_path)
    assert [m.id for m in after.mitigations] == ["M1", "M3"]
    assert after.mitigations[0].notes == "progress"


def test_invalid_cells_stop_the_merge_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_path, book = _export(tmp_path)
    _edit(
        book,
        {
            ("M1", L.M_STATUS): "dne",
            ("M2", L.M_DUE): "next week",
            ("M3", L.M_OWNER): None,
            ("M2", L.M_NOTES): "valid, but not applied either",
        },
    )
    wb = load_workbook(book)
    ws = wb[L.MITIGATIONS]
    ws.cell(ws.max_row + 1, column_of(ws, L.MITIGATION_ID)).value = "M9"  # a row someone added
    wb.save(book)
    before = review_path.read_bytes()
    assert main(["xlsx", "merge", str(book), str(review_path)]) == 2
    err = capsys.readouterr().err
    assert 'Mitigations!H2: status "dne" — use open, in_progress, done or withdrawn' in err
    assert 'Mitigations!G3: due "next week" is not a date — write YYYY-MM-DD' in err
    assert "Mitigations!F4: owner is empty" in err
    assert "Mitigations!A5: M9 was not in the exported workbook" in err
    assert "Traceback" not in err
    assert review_path.read_bytes() == before


def test_nothing_to_merge_leaves_the_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_path, book = _export(tmp_path)
    before = review_path.read_bytes()
    assert main(["xlsx", "merge", str(book), str(review_path)]) == 0
    assert "nothing to merge" in capsys.readouterr().out
    assert review_path.read_bytes() == before
    # Merging the same edits twice: the second time they are already there.
    _edit(book, {("M1", L.M_STATUS): "done"})
    assert merge_workbook(book, review_path, who="t").applied
    written = review_path.read_bytes()
    again = merge_workbook(book, review_path, who="t")
    assert again.applied == [] and len(again.already) == 1
    assert review_path.read_bytes() == written


def test_only_its_own_review_and_only_a_review_workbook(tmp_path: Path) -> None:
    review_path, book = _export(tmp_path)
    other_path, _ = make_review(tmp_path / "other", workload="search")
    with pytest.raises(InputError, match="exported from the review of 'payments', not of 'search'"):
        merge_workbook(book, other_path, who="t")
    from orr.checklist import load_checklist

    checklist_wb = tmp_path / "checklist.xlsx"
    checklist_book(load_checklist(tmp_path / "checklist" / "orr.toml")).save(checklist_wb)
    with pytest.raises(InputError, match="not a review workbook exported by orr"):
        merge_workbook(checklist_wb, review_path, who="t")


def test_a_row_without_mitigation_cannot_take_edits(tmp_path: Path) -> None:
    # A stakeholder types an owner on a new row: there is no mitigation to give it to.
    review_path, book = _export(tmp_path)
    wb = load_workbook(book)
    ws = wb[L.MITIGATIONS]
    ws.cell(ws.max_row + 1, column_of(ws, L.M_OWNER)).value = "zoe"
    wb.save(book)
    with pytest.raises(InputError) as caught:
        merge_workbook(book, review_path, who="t")
    assert "Mitigations!F5: owner on a row without a mitigation" in caught.value.lines()[0]


def test_a_second_column_with_the_same_heading_is_an_error(tmp_path: Path) -> None:
    # An edit typed in a copied "owner" column must not be silently dropped.
    review_path, book = _export(tmp_path)
    wb = load_workbook(book)
    ws = wb[L.MITIGATIONS]
    extra = ws.max_column + 1
    ws.cell(1, extra).value = "Owner"
    ws.cell(2, extra).value = "zoe"
    wb.save(book)
    before = review_path.read_bytes()
    with pytest.raises(InputError) as caught:
        merge_workbook(book, review_path, who="t")
    assert "a second column headed 'owner'" in caught.value.lines()[0]
    assert review_path.read_bytes() == before
