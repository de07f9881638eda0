"""The workbooks in a real spreadsheet application (issue 14): LibreOffice Calc, headless.

Each workbook is converted once per test process (a module fixture converts every file in one
``soffice`` call per target format): to PDF, whose pages are counted and read (the header of
every page names its sheet); to CSV, one file per sheet, where the texts are found whole; and to
xlsx, a LibreOffice re-save that `orr xlsx merge` and `orr xlsx import` must still read.

The tests run when ``soffice`` (and poppler's ``pdftotext``) are on PATH, and are skipped with
the reason otherwise; `.ci/run` installs both from the distribution's packages.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orr.checklist import load_checklist
from orr.review.kinds import MitigationStatus
from orr.review.store import ReviewStore
from orr.sheet import layout as L
from orr.sheet.export import export_checklist, export_review
from orr.sheet.importer import import_workbook
from orr.sheet.merge import merge_workbook
from orr.sheet.template import EXAMPLE_PILLAR, EXAMPLE_ROWS, write_template
from tests.test_sheet_support import (
    SIXTY_FORMULA_NOTE,
    TODAY,
    column_of,
    filled_template,
    make_sixty_review,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="LibreOffice (soffice) and pdftotext are not on PATH: install libreoffice-calc-nogui "
    "and poppler-utils to check the workbooks in a real spreadsheet application",
)
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
REVIEW_PAGES = 12  # issue 14: a 60-question review with 5 findings
TEMPLATE_PAGES = 3


@dataclass
class Books:
    folder: Path
    review: Path  # review.toml (60 questions, 5 findings)
    sources: dict[str, Path]  # name -> workbook written by orr
    pdf: dict[str, list[str]]  # name -> the text of each page
    csv: dict[str, dict[str, list[list[str]]]]  # name -> sheet -> rows
    resaved: dict[str, Path]  # name -> the workbook as LibreOffice saved it


def _soffice(folder: Path, target: str, out: Path, files: list[Path]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    assert SOFFICE is not None
    profile = (folder / "lo-profile").as_uri()  # its own profile: test processes run side by side
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _pages(pdf: Path) -> list[str]:
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _edit_mitigations(book: Path, out: Path) -> None:
    """A stakeholder's edits: M1 done, M4's owner and due date (a real date cell)."""
    wb = load_workbook(book)
    ws = wb[L.MITIGATIONS]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["M1"], column_of(ws, L.M_STATUS)).value = "done"
    ws.cell(rows["M4"], column_of(ws, L.M_OWNER)).value = "Sam Ortiz"
    ws.cell(rows["M4"], column_of(ws, L.M_DUE)).value = datetime(2025, 2, 28)
    wb.save(out)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    folder = tmp_path_factory.mktemp("libreoffice")
    review = make_sixty_review(folder / "sixty")
    sources = {
        "review": folder / "review.xlsx",
        "checklist": folder / "checklist.xlsx",
        "template": folder / "template.xlsx",
    }
    export_review(review, sources["review"], TODAY)
    export_checklist(folder / "sixty" / "checklist" / "orr.toml", sources["checklist"])
    write_template(sources["template"])
    edited = folder / "edited.xlsx"
    _edit_mitigations(sources["review"], edited)
    filled = filled_template(
        folder / "filled.xlsx",
        [dict(r) for r in EXAMPLE_ROWS],
        lens={L.LENS_NAME: "Launch checklist", L.LENS_DESCRIPTION: "Before every launch."},
        pillars=[EXAMPLE_PILLAR],
    )

    _soffice(folder, "pdf", folder / "pdf", list(sources.values()))
    _soffice(folder, CSV_ALL_SHEETS, folder / "csv", [sources["review"], sources["checklist"]])
    _soffice(folder, "xlsx", folder / "resaved", [sources["review"], edited, filled])

    pdf = {name: _pages(folder / "pdf" / f"{name}.pdf") for name in sources}
    tables: dict[str, dict[str, list[list[str]]]] = {}
    for path in sorted((folder / "csv").glob("*.csv")):
        name, _, sheet = path.stem.partition("-")
        with path.open(encoding="utf-8", newline="") as fp:
            tables.setdefault(name, {})[sheet] = list(csv.reader(fp))
    resaved = {p.stem: p for p in (folder / "resaved").glob("*.xlsx")}
    return Books(folder, review, sources, pdf, tables, resaved)


def _sheet_of(page: str) -> str:
    """The sheet a printed page belongs to: the centre of its header (the first line)."""
    first = next(line for line in page.splitlines() if line.strip())
    parts = [p for p in first.split("  ") if p.strip()]
    return parts[1].strip() if len(parts) >= 2 else parts[0].strip()


def _page_counts(pages: list[str]) -> Counter[str]:
    return Counter(_sheet_of(p) for p in pages)


def test_the_review_workbook_prints_on_few_pages(books: Books) -> None:
    pages = books.pdf["review"]
    counts = _page_counts(pages)
    assert len(pages) <= REVIEW_PAGES, counts
    assert counts[L.SUMMARY] == 1
    assert counts[L.FINDINGS] + counts[L.MITIGATIONS] <= 2, counts
    # Printed: what a stakeholder reads; the checklist's own sheets are hidden.
    assert set(counts) == {
        L.SUMMARY, L.FINDINGS, L.MITIGATIONS, L.ACCEPTANCES, L.SIGNOFFS, L.CHECKLIST, L.AUDIT,
        L.README,
    }  # fmt: skip
    summary = next(p for p in pages if _sheet_of(p) == L.SUMMARY)
    # The Summary's labels and values on one page, the verdict in the page header too.
    for text in ("Verdict", "NOT READY", "Launch date", "2025-03-01", "Blockers (", "Payments API"):
        assert text in summary, text
    assert all("Page " in p and "of" in p for p in pages)  # page numbers in every footer


def test_the_empty_template_prints_on_at_most_three_pages(books: Books) -> None:
    pages = books.pdf["template"]
    assert len(pages) <= TEMPLATE_PAGES, _page_counts(pages)
    assert _page_counts(pages)[L.README] >= 1


def test_no_page_holds_only_a_column_or_two_of_a_table(books: Books) -> None:
    # Every sheet fits one page wide and repeats its header row: every printed page of a table
    # shows the table's first and last printed headings.
    first_last = {
        L.FINDINGS: ("finding", "overdue"),
        L.MITIGATIONS: ("mitigation", "overdue"),
        L.CHECKLIST: ("question id", "notes"),
        L.AUDIT: ("at", "detail"),
        L.SIGNOFFS: ("role", "note"),
    }
    checklist_first_last = {L.CHECKLIST: ("pillar", "improvement plan")}
    for name, headings in (("review", first_last), ("checklist", checklist_first_last)):
        for page in books.pdf[name]:
            wanted = headings.get(_sheet_of(page))
            if wanted is None:
                continue
            for heading in wanted:
                assert heading in page, (name, _sheet_of(page), heading)


def test_texts_read_whole_in_the_spreadsheet(books: Books) -> None:
    review = books.csv["review"]
    findings = review[L.FINDINGS]
    assert findings[0][0] == "finding" and len(findings) == 6  # the header and 5 findings
    header = findings[0]
    gap = header.index("practices missing (improvement plan)")
    plan = header.index("acceptance or mitigations")
    # The accepted finding shows its acceptance; every finding its missing practices.
    accepted = next(r for r in findings[1:] if "risk accepted" in r[header.index("status")])
    assert "A1 risk accepted by Pat Lee (owner) until 2025-06-30: The beta has 20" in accepted[plan]
    assert all(r[gap].startswith("• ") for r in findings[1:])
    assert any(
        "not applicable (business priorities): Yearly reviews start after the first quarter."
        in r[header.index("practices not applicable")]
        for r in findings[1:]
    )
    # A withdrawn mitigation is shown as such, never as what is needed next.
    assert any("M2 Buy a rollback tool: withdrawn" in r[plan] for r in findings[1:])
    assert all("M2" not in r[header.index("needed next")] for r in findings[1:])
    # Text a spreadsheet would run stays text.
    mitigations = review[L.MITIGATIONS]
    notes = mitigations[0].index("notes")
    assert [r[notes] for r in mitigations if r[0] == "M4"] == [SIXTY_FORMULA_NOTE]
    # Long texts whole: each question's title, and the checklist's improvement plans.
    titles = {r[1] for r in review[L.CHECKLIST][1:] if r[1]}
    assert len(titles) == 60 and all(t.endswith(")?") for t in titles)
    summary = [c for row in review[L.SUMMARY] for c in row if c]
    assert "Operational readiness review: Payments API" in summary and "NOT READY" in summary
    checklist = books.csv["checklist"][L.CHECKLIST]
    improvement = checklist[0].index("improvement plan")
    plans = [r[improvement] for r in checklist[1:] if r[improvement]]
    assert len(plans) == 240 and all(p.endswith("with an owner and a date.") for p in plans)


def test_after_a_libreoffice_resave_text_still_wraps_and_the_merge_applies(books: Books) -> None:
    resaved = books.resaved["review"]
    wb = load_workbook(resaved)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    assert cell.alignment.wrap_text or ws.title in (L.SUMMARY, L.README), (
                        ws.title,
                        cell.coordinate,
                    )
    # A stakeholder's edits, saved by LibreOffice, merge into the review.
    report = merge_workbook(books.resaved["edited"], books.review, who="tester")
    assert sorted(e.describe() for e in report.applied) == [
        "M1 status 'open' -> 'done'",
        "M4 due '2025-02-25' -> '2025-02-28'",
        "M4 owner 'Pat Lee' -> 'Sam Ortiz'",
    ]
    assert report.conflicts == []
    after = ReviewStore(books.review).load()
    m1 = after.mitigation("M1")
    m4 = after.mitigation("M4")
    assert m1 is not None and m1.status is MitigationStatus.DONE
    assert m4 is not None and (m4.owner, m4.due) == ("Sam Ortiz", date(2025, 2, 28))


def test_a_template_filled_and_resaved_in_libreoffice_imports(books: Books) -> None:
    out = books.folder / "imported"
    import_workbook(books.resaved["filled"], out)
    question = load_checklist(out / "orr.toml").questions[0]
    assert question.id == "ops_rollback"
    assert [c.id for c in question.choices] == [
        "ops_rollback_tested",
        "ops_rollback_automated",
        "ops_rollback_no",
    ]
