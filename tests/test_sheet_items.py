"""Workbook items of issue 13 (item 10) and the model's new fields (waivable practices,
all-or-nothing questions, practices not applicable, withdrawn mitigations), each in the workbooks:
merged cells read into every cell they cover, the lens limits applied on import, made ids counted
unless --verbose."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from orr.checklist import load_checklist
from orr.cli import main
from orr.errors import InputError
from orr.review import ops
from orr.review.kinds import MitigationStatus
from orr.sheet import layout as L
from orr.sheet.export import checklist_book, export_review
from orr.sheet.importer import build_checklist, import_workbook
from orr.sheet.merge import merge_workbook
from tests.test_sheet_support import (
    COL,
    NOW,
    TODAY,
    column_of,
    edit_review,
    filled_template,
    load_review_file,
    make_review,
    open_book,
    rows_as_dicts,
    write_rich_checklist,
)


def _rows(n_questions: int, pillar: str = "ops", practices: int = 1) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for q in range(n_questions):
        rows.append(
            {L.PILLAR: pillar, L.QUESTION: f"Question number {q + 1}?", L.CHOICE: "Practice 1",
             L.IMPROVEMENT: "Do it."}
        )  # fmt: skip
        rows += [
            {L.CHOICE: f"Practice {p}", L.IMPROVEMENT: "Do it."} for p in range(2, practices + 1)
        ]
    return rows


# --- merged cells ---------------------------------------------------------------------------------


def test_merged_cells_are_read_into_every_cell_they_cover(tmp_path: Path) -> None:
    rows = [
        {L.PILLAR: "ops", L.QUESTION: "Are runbooks written?", L.OWNER_ROLE: "operations",
         L.CHOICE: "Written", L.IMPROVEMENT: "Write.", L.DESCRIPTION: "Why it matters"},
        {L.CHOICE: "Reviewed", L.IMPROVEMENT: "Review."},
        {L.CHOICE: "Tested", L.IMPROVEMENT: "Test."},
        {L.PILLAR: "ops", L.QUESTION: "Is there a pager?", L.CHOICE: "Pager",
         L.IMPROVEMENT: "Buy one."},
    ]  # fmt: skip
    book = filled_template(tmp_path / "b.xlsx", rows)
    wb = load_workbook(book)
    ws = wb[L.CHECKLIST]
    # A pillar grouped over rows 2-5, a question over rows 2-4, its owner role too, and the
    # description written across description and evidence (a horizontal merge).
    ws.merge_cells(f"{COL[L.PILLAR]}2:{COL[L.PILLAR]}5")
    ws.merge_cells(f"{COL[L.QUESTION]}2:{COL[L.QUESTION]}4")
    ws.merge_cells(f"{COL[L.OWNER_ROLE]}2:{COL[L.OWNER_ROLE]}4")
    ws.merge_cells(f"{COL[L.DESCRIPTION]}2:{COL[L.EVIDENCE]}2")
    wb.save(book)
    import_workbook(book, tmp_path / "out")
    checklist = load_checklist(tmp_path / "out" / "orr.toml")
    first, second = checklist.questions
    assert [c.title for c in first.choices] == ["Written", "Reviewed", "Tested", "None of these"]
    assert first.spec.owner_role == "operations" and second.pillar_id == "ops"
    assert first.spec.description == "Why it matters"
    assert first.spec.evidence == ["Why it matters"]  # the merged range's value, in each cell


def test_a_merged_owner_cell_is_read_by_the_merge(tmp_path: Path) -> None:
    review_path, _ = make_review(tmp_path)
    book = tmp_path / "r.xlsx"
    export_review(review_path, book, TODAY)
    wb = open_book(book)
    ws = wb[L.MITIGATIONS]
    owner = ws.cell(1, column_of(ws, L.M_OWNER)).column_letter
    ws[f"{owner}2"] = "dana"
    ws.merge_cells(f"{owner}2:{owner}3")  # M1 and M2 both go to dana
    wb.save(book)
    report = merge_workbook(book, review_path, who="t")
    assert [e.describe() for e in report.applied] == [
        "M1 owner 'alice' -> 'dana'",
        "M2 owner 'bob' -> 'dana'",
    ]


# --- the lens limits on import ---------------------------------------------------------------------


def test_more_questions_in_a_pillar_than_a_lens_allows_is_refused(tmp_path: Path) -> None:
    assert build_checklist(filled_template(tmp_path / "ok.xlsx", _rows(20))).questions == 20
    book = filled_template(tmp_path / "over.xlsx", _rows(45))
    with pytest.raises(InputError) as caught:
        build_checklist(book)
    lines = caught.value.lines()
    assert any(
        f"Checklist!{COL[L.QUESTION]}22: pillar 'ops' has 45 questions: a lens allows at most 20"
        in line
        for line in lines
    ), lines
    assert not any("made id" in line for line in lines)


def test_more_pillars_than_a_lens_allows_is_refused(tmp_path: Path) -> None:
    pillars: list[tuple[str | None, str]] = [(f"p{i:02d}", f"Pillar {i}") for i in range(11)]
    book = filled_template(tmp_path / "b.xlsx", _rows(1, pillar="p00"), pillars=pillars)
    with pytest.raises(InputError) as caught:
        build_checklist(book)
    assert "Pillars!A12: 11 pillars: a lens allows at most 10" in "\n".join(caught.value.lines())


def test_a_checklist_too_big_for_a_lens_is_refused_and_nothing_written(tmp_path: Path) -> None:
    # 10 pillars x 20 questions x 14 practices with long texts: over 500,000 bytes as a lens.
    rows: list[dict[str, Any]] = []
    pillars: list[tuple[str | None, str]] = []
    long = "x" * 1000
    for p in range(10):
        pillars.append((f"p{p:02d}", f"Pillar {p}"))
        for q in range(20):
            rows.append(
                {L.PILLAR: f"p{p:02d}", L.QUESTION: f"Question {p}-{q}?", L.DESCRIPTION: long,
                 L.CHOICE: "Practice 1", L.IMPROVEMENT: long}
            )  # fmt: skip
            rows += [{L.CHOICE: f"Practice {c}", L.IMPROVEMENT: long} for c in range(2, 15)]
    book = filled_template(tmp_path / "big.xlsx", rows, pillars=pillars)
    out = tmp_path / "out"
    with pytest.raises(InputError, match="bytes as a lens, over the 500,000"):
        import_workbook(book, out)
    assert not out.exists()


def test_made_ids_are_a_count_unless_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = filled_template(tmp_path / "b.xlsx", _rows(3, practices=2))
    assert main(["xlsx", "import", str(book), "-o", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert err.strip() == "made 11 ids from titles (--verbose lists them)"
    assert main(["xlsx", "import", str(book), "-o", str(tmp_path / "b"), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 11 and all(
        line.startswith("made id: ") for line in err.splitlines()
    )


# --- waivable practices, all-or-nothing questions ------------------------------------------------


def test_waivable_and_all_or_nothing_round_trip(tmp_path: Path) -> None:
    manifest = write_rich_checklist(tmp_path / "rich")
    source = tmp_path / "rich" / "security.toml"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        'improvement = "Review them."', 'improvement = "Review them."\nwaivable = false'
    )
    text = text.replace("none_choice = false", "none_choice = false\nall_or_nothing = true")
    source.write_text(text, encoding="utf-8")
    original = load_checklist(manifest)
    book = tmp_path / "b.xlsx"
    checklist_book(original).save(book)
    rows = rows_as_dicts(open_book(book)[L.CHECKLIST])
    assert [r[L.WAIVABLE] for r in rows if r[L.CHOICE_ID] == "sec_review"] == ["no"]
    runbooks = [r[L.ALL_OR_NOTHING] for r in rows if r[L.QUESTION_ID] == "ops_runbooks"]
    assert runbooks == ["yes", None]  # a question field: on the question's first row
    import_workbook(book, tmp_path / "back")
    back = load_checklist(tmp_path / "back" / "orr.toml")
    assert back.content_hash == original.content_hash
    question = back.question("sec_access")
    choice = question.choice("sec_review") if question is not None else None
    assert choice is not None and choice.waivable is False


def test_waivable_and_all_or_nothing_cells_are_checked(tmp_path: Path) -> None:
    rows = [
        {L.PILLAR: "ops", L.QUESTION: "Q?", L.CHOICE: "C", L.IMPROVEMENT: "I",
         L.WAIVABLE: "perhaps", L.ALL_OR_NOTHING: "always"},
    ]  # fmt: skip
    with pytest.raises(InputError) as caught:
        build_checklist(filled_template(tmp_path / "b.xlsx", rows))
    text = "\n".join(caught.value.lines())
    assert f'Checklist!{COL[L.WAIVABLE]}2: "perhaps" — use no' in text
    assert f'Checklist!{COL[L.ALL_OR_NOTHING]}2: "always" — use yes' in text


# --- practices not applicable, withdrawn mitigations ---------------------------------------------


def test_practices_not_applicable_show_with_their_reason(tmp_path: Path) -> None:
    review_path, checklist = make_review(tmp_path)
    edit_review(
        review_path,
        lambda r: ops.set_practice_na(
            r, checklist, "sec_access", "sec_review", "ARCHITECTURE_CONSTRAINTS",
            "The platform reviews it.", who="t", now=NOW,
        ),
    )  # fmt: skip
    book = tmp_path / "r.xlsx"
    export_review(review_path, book, TODAY)
    wb = open_book(book)
    rows = rows_as_dicts(wb[L.CHECKLIST])
    review_row = next(r for r in rows if r[L.CHOICE_ID] == "sec_review")
    assert review_row[L.SELECTED] == "n/a"
    assert review_row[L.ANSWER] == (
        "not applicable (architecture constraints): The platform reviews it."
    )
    assert rows[0][L.ANSWER] == "1 of 2 practices, 1 not applicable"


def test_a_withdrawn_mitigation_is_shown_as_such_and_merges(tmp_path: Path) -> None:
    review_path, _ = make_review(tmp_path)
    edit_review(review_path, lambda r: ops.withdraw_mitigation(r, "M2", who="t", now=NOW))
    book = tmp_path / "r.xlsx"
    export_review(review_path, book, TODAY)
    wb = open_book(book)
    mits = {r[L.MITIGATION_ID]: r for r in rows_as_dicts(wb[L.MITIGATIONS])}
    assert mits["M2"][L.M_STATUS] == "withdrawn"
    (finding,) = rows_as_dicts(wb[L.FINDINGS])
    assert "M2 Review permissions: withdrawn" in finding[L.F_PLAN]
    assert "M2" not in finding[L.F_NEXT]  # never what is needed next
    # A stakeholder withdraws M3 in the workbook: the merge takes the word.
    ws = load_workbook(book)
    sheet = ws[L.MITIGATIONS]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["M3"], column_of(sheet, L.M_STATUS)).value = "withdrawn"
    sheet.cell(rows["M1"], column_of(sheet, L.M_DUE)).value = datetime(2025, 3, 1)
    ws.save(book)
    report = merge_workbook(book, review_path, who="t")
    assert [e.describe() for e in report.applied] == [
        "M1 due '2025-02-01' -> '2025-03-01'",
        "M3 status 'open' -> 'withdrawn'",
    ]
    m3 = load_review_file(review_path).mitigation("M3")
    assert m3 is not None and m3.status is MitigationStatus.WITHDRAWN
