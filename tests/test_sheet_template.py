"""`orr xlsx template`: the empty authoring workbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from orr.checklist import load_checklist
from orr.errors import InputError
from orr.sheet import layout as L
from orr.sheet.importer import build_checklist, import_workbook
from orr.sheet.template import ROWS, write_template
from tests.test_sheet_support import filled_template, open_book


def test_template_has_instructions_columns_and_drop_downs(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = open_book(path)
    assert wb.sheetnames == [L.README, L.CHECKLIST, L.PILLARS, L.LENS]
    assert wb.active.title == L.README
    readme = [c for row in wb[L.README].iter_rows(values_only=True) for c in row if c]
    assert any("orr xlsx import" in str(c) for c in readme)
    assert all(h in readme for h in (L.SEVERITY, L.RULES, L.CHOICE))  # each column explained

    ws = wb[L.CHECKLIST]
    assert [c.value for c in ws[1]] == [c.header for c in L.CHECKLIST_COLUMNS]
    assert ws.max_row == 1  # empty
    assert ws.freeze_panes == "D2"
    drop = {
        str(dv.sqref): (dv.formula1, dv.showErrorMessage)
        for dv in ws.data_validations.dataValidation
    }
    assert drop[f"F2:F{ROWS}"] == ('"high,medium"', True)
    assert drop[f"G2:G{ROWS}"] == ("'Lens'!$E$2:$E$200", True)
    assert drop[f"J2:J{ROWS}"] == ("'Lens'!$I$2:$I$200", False)  # several tiers allowed
    assert drop[f"X2:X{ROWS}"] == ('"yes,no"', True)
    assert drop[f"AA2:AA{ROWS}"] == ('"yes,no"', True)  # waivable
    assert drop[f"AB2:AB{ROWS}"] == ('"yes,no"', True)  # all or nothing
    # The columns most stakeholders fill in stand out.
    assert ws["F1"].fill.fgColor.rgb.endswith("FFF2CC") and ws["B1"].fill.fgColor.rgb.endswith(
        "1F4E78"
    )

    lens_ws = wb[L.LENS]
    assert [c.value for c in lens_ws[1]] == [
        "field", "value", "about", None, "role id", "name", "description", None, "tier id",
        "description",
    ]  # fmt: skip
    roles = [r[4] for r in lens_ws.iter_rows(min_row=2, values_only=True) if r[4]]
    assert roles == ["owner", "development", "operations", "security", "business"]
    assert [r[8] for r in lens_ws.iter_rows(min_row=2, values_only=True) if r[8]] == ["core"]
    lens = {r[0]: r[1] for r in lens_ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert lens[L.LENS_NAME] is None and lens[L.LENS_VERSION] == "1.0"


def test_empty_template_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    with pytest.raises(InputError) as caught:
        build_checklist(path)
    text = "\n".join(caught.value.lines())
    assert "Lens!B3: the checklist has no name" in text
    assert "Checklist!A2: the Checklist sheet has no questions" in text


def test_filled_template_imports_to_a_valid_checklist(tmp_path: Path) -> None:
    rows = [
        {L.PILLAR: "ops", L.QUESTION: "Is there an on-call rota?", L.SEVERITY: "high",
         L.OWNER_ROLE: "operations", L.EVIDENCE: "The rota\nThe paging policy",
         L.REFERENCES: "OPS10-BP01, OPS11-BP02", L.CHOICE: "A rota covers every hour",
         L.HELPFUL: "Someone answers.", L.IMPROVEMENT: "Write the rota."},
        {L.CHOICE: "Escalation is defined", L.IMPROVEMENT: "Define it.",
         L.MORE_IMPROVEMENT: "Guide | https://example.com/guide"},
    ]  # fmt: skip
    book = filled_template(
        tmp_path / "b.xlsx", rows, lens={L.LENS_NAME: "My ORR", L.LENS_ID: "my_orr"}
    )
    import_workbook(book, tmp_path / "out")
    checklist = load_checklist(tmp_path / "out" / "orr.toml")
    assert checklist.manifest.id == "my_orr"
    assert checklist.manifest.required_signoffs == ["owner", "security", "operations"]
    assert set(checklist.manifest.roles) == {
        "owner",
        "development",
        "operations",
        "security",
        "business",
    }
    q = checklist.questions[0]
    assert q.spec.evidence == ["The rota", "The paging policy"]
    assert q.spec.references == ["OPS10-BP01", "OPS11-BP02"]
    assert q.choices[1].more_improvement[0].url == "https://example.com/guide"
    assert q.generated_rules and q.none_choice_id == q.id + "_no"


def test_the_templates_example_imports_and_lints_clean(tmp_path: Path) -> None:
    # Every example the template shows is one a stakeholder can copy: it imports, and lint has
    # nothing to say about it (no error, no warning).
    from orr.lens.checks import lint_checklist
    from orr.sheet.template import EXAMPLE_PILLAR, EXAMPLE_ROWS, EXAMPLE_RULES

    book = filled_template(
        tmp_path / "b.xlsx",
        [dict(r) for r in EXAMPLE_ROWS],
        lens={L.LENS_NAME: "Launch checklist", L.LENS_DESCRIPTION: "Before every launch."},
        pillars=[EXAMPLE_PILLAR],
    )
    import_workbook(book, tmp_path / "out")
    checklist = load_checklist(tmp_path / "out" / "orr.toml")
    problems = [p.format() for p in lint_checklist(checklist)]
    assert problems == []
    question = checklist.questions[0]
    assert [r.text for r in question.rules][:2] == [
        line.split(" -> ")[0] for line in EXAMPLE_RULES.splitlines()[:2]
    ]
    # The README shows the example's rules as they are written in the cell.
    readme = [c for row in open_book(book)[L.README].iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and EXAMPLE_RULES in c for c in readme)


def test_the_empty_template_prints_the_readme_and_the_lens_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = open_book(path)
    # The empty tables print nothing (their print area is the first, empty, data row).
    assert wb[L.CHECKLIST].print_area == "'Checklist'!$A$2:$O$2"
    assert wb[L.PILLARS].print_area == "'Pillars'!$A$2:$B$2"
    assert wb[L.LENS].print_area.startswith("'Lens'!$A$1:$J$")
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
