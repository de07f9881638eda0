"""`orr xlsx template`: the empty authoring workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from orr.checklist import load_checklist
from orr.errors import InputError
from orr.sheet import layout as L
from orr.sheet.importer import build_checklist, import_workbook
from orr.sheet.template import ROWS, write_template
from tests.test_sheet_support import filled_template


def test_template_has_instructions_columns_and_drop_downs(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == [L.README, L.CHECKLIST, L.PILLARS, L.LENS, L.ROLES, L.TIERS]
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
    assert drop[f"G2:G{ROWS}"] == ("'Roles'!$A$2:$A$200", True)
    assert drop[f"J2:J{ROWS}"] == ("'Tiers'!$A$2:$A$200", False)  # several tiers allowed
    assert drop[f"X2:X{ROWS}"] == ('"yes,no"', True)
    # The columns most stakeholders fill in stand out.
    assert ws["F1"].fill.fgColor.rgb.endswith("FFF2CC") and ws["B1"].fill.fgColor.rgb.endswith(
        "1F4E78"
    )

    roles = [r[0] for r in wb[L.ROLES].iter_rows(min_row=2, values_only=True)]
    assert roles == ["owner", "development", "operations", "security", "business"]
    lens = {r[0]: r[1] for r in wb[L.LENS].iter_rows(min_row=2, values_only=True)}
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
