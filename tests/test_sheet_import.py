"""`orr xlsx import`: a filled workbook -> checklist TOML, with cell-precise errors."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from orr.checklist import load_checklist
from orr.cli import main
from orr.errors import InputError
from orr.sheet import layout as L
from orr.sheet.importer import build_checklist, import_workbook
from orr.values import make_id, unique_id
from tests.test_sheet_support import COL, filled_template


def test_columns_are_where_the_issue_says() -> None:
    assert COL[L.SEVERITY] == "F" and COL[L.OWNER_ROLE] == "G" and COL[L.RULES] == "O"


def test_every_problem_is_reported_with_its_sheet_and_cell(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        # row 2: a misspelt severity, an unknown owner role
        {L.PILLAR: "ops", L.QUESTION: "Do you have runbooks?", L.SEVERITY: "hihg",
         L.OWNER_ROLE: "oncall", L.CHOICE: "Runbooks written", L.IMPROVEMENT: "Write them."},
        # row 3: a practice without an improvement plan
        {L.CHOICE: "Runbooks reviewed"},
        # row 4: unknown pillar and tier, bad choice id, bad url, broken rule
        {L.PILLAR: "nope", L.QUESTION: "Are alarms set?", L.TIER: "gold", L.CHOICE_ID: "bad-id",
         L.CHOICE: "Alarms", L.IMPROVEMENT: "Add them.", L.HELPFUL: "Why",
         L.HELPFUL_URL: "ftp://example.com", L.RULES: "bad-id && -> NO_RISK\ndefault -> HIGH_RISK"},
        # rows 5-6: one question whose description differs between its rows
        {L.PILLAR: "ops", L.QUESTION: "Is there a rollback?", L.DESCRIPTION: "First text",
         L.CHOICE: "Rollback tested", L.IMPROVEMENT: "Test it."},
        {L.QUESTION: "Is there a rollback?", L.DESCRIPTION: "Other text",
         L.CHOICE: "Rollback automated", L.IMPROVEMENT: "Automate it."},
        # row 7: a rule on a choice the question does not have, a bad "none of these", a bad id
        {L.PILLAR: "ops", L.QUESTION_ID: "ops bad id", L.QUESTION: "Are deploys safe?",
         L.CHOICE: "Canary", L.IMPROVEMENT: "Add a canary.",
         L.RULES: "unknown_choice -> NO_RISK\ndefault -> HIGH_RISK", L.NONE_CHOICE: "maybe"},
        # row 8: two rules for one risk level, and no default rule last
        {L.PILLAR: "ops", L.QUESTION: "Is there a backup?", L.CHOICE_ID: "ops_bk",
         L.CHOICE: "Backups", L.IMPROVEMENT: "Back up.", L.RULES: "ops_bk -> NO_RISK\n!ops_bk -> NO_RISK"},
        # row 9: a kind that is not a word, a link without text
        {L.PILLAR: "ops", L.QUESTION: "Is DR planned?", L.SOURCE: "Ops Team!",
         L.RESOURCE_URL: "https://example.com/dr", L.CHOICE: "DR plan", L.IMPROVEMENT: "Plan."},
        # row 10: a risk that is not one
        {L.PILLAR: "ops", L.QUESTION: "Is there a budget?", L.CHOICE: "Budget",
         L.IMPROVEMENT: "Set one.", L.RULES: "default -> LOW"},
    ]  # fmt: skip
    book = filled_template(
        tmp_path / "book.xlsx",
        rows,
        lens={L.LENS_NAME: None, L.LENS_SIGNOFFS: "owner, auditor"},
        pillars=[("ops", "Operations"), ("bad id!", "Broken")],
    )
    with pytest.raises(InputError) as caught:
        build_checklist(book)
    lines = [p.format() for p in caught.value.problems]
    expected = [
        'Checklist!F2: severity "hihg" — use high or medium',
        "Checklist!G2: owner role 'oncall' is not a role in the roles table (Lens sheet)",
        "Checklist!N3: the improvement plan is missing",
        "Checklist!A4: pillar 'nope' is not on the Pillars sheet",
        "Checklist!J4: tier 'gold' is not in the tiers table (Lens sheet)",
        "Checklist!K4: choice id 'bad-id': use only letters, digits and _ (found '-')",
        "Checklist!T4: 'ftp://example.com' is not a link",
        "Checklist!O4: line 1: 'bad-id &&':",
        "Checklist!D6: description 'Other text' differs from row 5",
        "Checklist!B7: question id 'ops bad id': use only letters, digits and _ (found ' ')",
        "Checklist!O7: line 1: 'unknown_choice' is not a choice of question",
        'Checklist!X7: "maybe" — use yes',
        "Checklist!O8: line 2: a second NO_RISK rule (line 1)",
        "Checklist!O8: the last rule must be `default -> RISK`",
        'Checklist!O10: line 1: risk "LOW" — use NO_RISK, MEDIUM_RISK or HIGH_RISK',
        'Checklist!H9: source "ops team!" — one lowercase word',
        "Checklist!R9: a link without a text",
        "Lens!B3: the checklist has no name",
        "Lens!B6: required sign-off 'auditor' is not a role in the roles table (Lens sheet)",
        "Pillars!A3: pillar id 'bad id!': use only letters, digits and _",
    ]
    for fragment in expected:
        assert any(f"book.xlsx: {fragment}" in line for line in lines), (fragment, lines)
    assert len(lines) >= len(expected)
    assert not (tmp_path / "out").exists()

    # The same through the command line: every problem on stderr, exit 2, nothing written.
    code = main(["xlsx", "import", str(book), "-o", str(tmp_path / "out")])
    assert code == 2
    assert not (tmp_path / "out").exists()


def test_cli_reports_cell_errors_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = filled_template(
        tmp_path / "book.xlsx",
        [{L.PILLAR: "ops", L.QUESTION: "Q?", L.SEVERITY: "hihg", L.CHOICE: "C",
          L.IMPROVEMENT: "I"}],
    )  # fmt: skip
    assert main(["xlsx", "import", str(book), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert 'Checklist!F2: severity "hihg" — use high or medium' in err
    assert "Traceback" not in err


def test_blank_ids_are_made_from_titles(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {L.PILLAR: "Operations", L.QUESTION: "Do you have runbooks for every alarm?",
         L.SEVERITY: "High", L.OWNER_ROLE: "Operations / on-call", L.SOURCE: "operations",
         L.CHOICE: "Every alarm links a runbook", L.IMPROVEMENT: "Link them."},
        {L.CHOICE: "Runbooks are tested in game days", L.IMPROVEMENT: "Run game days."},
        {L.CHOICE: "None of these"},
        {L.PILLAR: "security", L.QUESTION: "Are secrets rotated?", L.SEVERITY: "medium",
         L.OWNER_ROLE: "security", L.SOURCE: "security", L.TIER: "core",
         L.CHOICE: "Every alarm links a runbook", L.IMPROVEMENT: "Rotate."},
        {L.QUESTION: "Are secrets rotated?", L.CHOICE: "Every alarm links a runbook!",
         L.IMPROVEMENT: "Again."},
        {L.PILLAR: "security", L.QUESTION: "秘密情報はローテーションされていますか", L.SOURCE: "security",
         L.CHOICE: "自動でローテーション", L.IMPROVEMENT: "自動化する"},
        {L.PILLAR: "ops", L.QUESTION: "Do you have runbooks for every alarm?",
         L.QUESTION_ID: "ops_runbooks_explicit", L.CHOICE: "Written", L.IMPROVEMENT: "Write."},
        {L.PILLAR: "ops", L.QUESTION: "Is the " + "very long " * 10 + "question answered?",
         L.CHOICE: "Yes " * 30, L.IMPROVEMENT: "Do it."},
    ]  # fmt: skip
    book = filled_template(tmp_path / "book.xlsx", rows)
    result = import_workbook(book, tmp_path / "out")
    assert result.files == ["orr.toml", "operations.toml", "security.toml"]
    checklist = load_checklist(tmp_path / "out" / "orr.toml")
    assert checklist.manifest.id == "launch_checklist"
    assert [p.id for p in checklist.pillars] == ["ops", "security"]
    assert checklist.pillars[1].name == "Security"
    q = checklist.questions
    assert [x.id for x in q] == [
        "runbooks_every_alarm",
        "ops_runbooks_explicit",
        "very_long_very_long_very_long_very_long_very_long_very_long",
        "secrets_rotated",
        "q_" + q[4].id.removeprefix("q_"),
    ]
    assert len(q[2].id) <= 60 and all(len(c.id) <= 64 for x in q for c in x.choices)
    assert q[4].id.startswith("q_") and len(q[4].id) == 10  # no latin letters: a stable hash
    assert [c.id for c in q[0].choices] == [
        "every_alarm_links_runbook",
        "runbooks_tested_game_days",
        "runbooks_every_alarm_no",
    ]
    assert q[0].spec.none_choice and q[0].spec.owner_role == "operations"
    assert str(q[0].severity) == "high" and str(q[3].severity) == "medium"
    # The same title twice in one question: the second id gets a number.
    assert [c.id for c in q[3].choices][:2] == [
        "every_alarm_links_runbook",
        "every_alarm_links_runbook_2",
    ]
    assert q[3].spec.tiers == ["core"] and q[3].kind == "security"
    assert any(g.startswith("question runbooks_every_alarm") for g in result.generated_ids)

    # Stable: the same workbook gives the same files.
    again = build_checklist(book)
    assert again.texts == {
        name: (tmp_path / "out" / name).read_text(encoding="utf-8") for name in again.texts
    }


def test_make_id_rules() -> None:
    assert make_id("Is the on-call rota staffed?", 60, "q") == "call_rota_staffed"
    assert make_id("Café résumé", 64, "c") == "cafe_resume"
    assert make_id("DR", 60, "q").startswith("dr_") and len(make_id("DR", 60, "q")) == 11
    assert make_id("x" * 100, 60, "q") == "x" * 60
    assert make_id("日本語", 60, "q") == make_id("日本語", 60, "q")
    taken = {"abc"}
    assert unique_id("abc", taken, 5) == "abc_2" and unique_id("abc", taken, 5) == "abc_3"


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    book = filled_template(
        tmp_path / "book.xlsx",
        [{L.PILLAR: "ops", L.QUESTION: "Q one?", L.CHOICE: "C", L.IMPROVEMENT: "I"}],
    )
    out = tmp_path / "out"
    import_workbook(book, out)
    (out / "operations.toml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(InputError, match="exist"):
        import_workbook(book, out)
    assert (out / "operations.toml").read_text(encoding="utf-8") == "# mine\n"
    assert main(["xlsx", "import", str(book), "-o", str(out), "--force"]) == 0
    assert "Q one?" in (out / "operations.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["text", "zip", "folder", "missing", "csv"])
def test_a_file_that_is_not_a_workbook_is_one_clear_line(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.xlsx"
    if kind == "text":
        path.write_text("pillar,question\n", encoding="utf-8")
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a workbook")
    elif kind == "folder":
        path.mkdir()
    elif kind == "csv":
        path = tmp_path / "book.csv"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", "<broken")
    code = main(["xlsx", "import", str(path), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "book." in err


def test_workbook_without_checklist_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Sheet1"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError) as caught:
        build_checklist(tmp_path / "other.xlsx")
    text = "\n".join(caught.value.lines())
    assert "no Checklist sheet" in text and "no Lens sheet" in text


def test_rows_of_one_question_are_grouped(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {L.PILLAR: "ops", L.QUESTION: "Are runbooks written?", L.CHOICE: "Written",
         L.IMPROVEMENT: "Write."},
        # the id given on the second row, the title repeated: the same question
        {L.QUESTION_ID: "ops_runbooks", L.QUESTION: "Are runbooks written?",
         L.CHOICE: "Reviewed", L.IMPROVEMENT: "Review."},
        # neither id nor title: still the question above
        {L.CHOICE: "Tested", L.IMPROVEMENT: "Test."},
        {},  # a blank row changes nothing
        {L.CHOICE: "Linked from alarms", L.IMPROVEMENT: "Link."},
        # its id again further down: its rows join it
        {L.PILLAR: "ops", L.QUESTION: "Is there a pager?", L.CHOICE: "Pager", L.IMPROVEMENT: "Buy."},
        {L.QUESTION_ID: "ops_runbooks", L.CHOICE: "Versioned", L.IMPROVEMENT: "Use git."},
    ]  # fmt: skip
    result = import_workbook(filled_template(tmp_path / "b.xlsx", rows), tmp_path / "out")
    assert result.questions == 2
    checklist = load_checklist(tmp_path / "out" / "orr.toml")
    runbooks = checklist.question("ops_runbooks")
    assert runbooks is not None
    assert [c.title for c in runbooks.choices] == [
        "Written", "Reviewed", "Tested", "Linked from alarms", "Versioned", "None of these",
    ]  # fmt: skip


def test_a_second_column_with_the_same_heading_is_an_error(tmp_path: Path) -> None:
    # A stakeholder copies the severity column to the end (or renames one): its cells must not
    # be silently ignored.
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    rows: list[dict[str, Any]] = [
        {L.PILLAR: "ops", L.QUESTION: "Are runbooks written?", L.SEVERITY: "high",
         L.CHOICE: "Written", L.IMPROVEMENT: "Write."},
    ]  # fmt: skip
    book = filled_template(tmp_path / "b.xlsx", rows)
    wb = load_workbook(book)
    ws = wb[L.CHECKLIST]
    extra = ws.max_column + 1
    ws.cell(1, extra).value = "Severity"
    ws.cell(2, extra).value = "medium"
    wb.save(book)
    with pytest.raises(InputError) as caught:
        build_checklist(book)
    text = "\n".join(caught.value.lines())
    assert (
        f"Checklist!{get_column_letter(extra)}1: a second column headed 'severity' "
        f"(the first is Checklist!{COL[L.SEVERITY]}1)"
    ) in text


def test_more_choices_than_a_lens_allows_is_an_error_at_the_first_that_does_not_fit(
    tmp_path: Path,
) -> None:
    # 14 practices + the "None of these" orr adds = 15: the most a lens question takes.
    def rows(practices: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {L.PILLAR: "ops", L.QUESTION: "Are runbooks written?", L.CHOICE: "Practice 1",
             L.IMPROVEMENT: "Do it."},
        ]  # fmt: skip
        out += [
            {L.CHOICE: f"Practice {i}", L.IMPROVEMENT: "Do it."} for i in range(2, practices + 1)
        ]
        return out

    assert build_checklist(filled_template(tmp_path / "ok.xlsx", rows(14))).questions == 1
    with pytest.raises(InputError) as caught:
        build_checklist(filled_template(tmp_path / "over.xlsx", rows(15)))
    assert (
        f'Checklist!{COL[L.CHOICE]}16: the question has 16 choices ("None of these" included): '
        "a lens allows at most 15"
    ) in "\n".join(caught.value.lines())


def test_evidence_rules_come_from_their_cells(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {L.PILLAR: "ops", L.QUESTION_ID: "ops_runbooks", L.QUESTION: "Do you have runbooks?",
         L.CHOICE: "Runbooks written", L.IMPROVEMENT: "Write them.",
         L.EVIDENCE_REQUIRED: "yes", L.EVIDENCE_MAX_AGE: 90, L.EVIDENCE_BLOCKS: "no"},
        {L.PILLAR: "ops", L.QUESTION_ID: "ops_alarms", L.QUESTION: "Are alarms set?",
         L.CHOICE: "Alarms", L.IMPROVEMENT: "Add them."},
    ]  # fmt: skip
    book = filled_template(
        tmp_path / "book.xlsx",
        rows,
        lens={L.LENS_NAME: "Launch", L.LENS_REVIEW_EVERY: "365", L.EVIDENCE_MAX_AGE: "180"},
    )
    import_workbook(book, tmp_path / "out")
    checklist = load_checklist(tmp_path / "out" / "orr.toml")
    assert checklist.manifest.review_every_days == 365
    assert checklist.manifest.evidence_max_age_days == 180
    runbooks, alarms = checklist.questions
    assert (runbooks.evidence.required, runbooks.evidence.max_age_days) == (True, 90)
    assert runbooks.evidence.blocks is False
    assert (alarms.evidence.required, alarms.evidence.max_age_days) == (False, 180)

    rows[0][L.EVIDENCE_MAX_AGE] = "soon"
    rows[1][L.EVIDENCE_REQUIRED] = "maybe"
    book = filled_template(
        tmp_path / "bad.xlsx", rows, lens={L.LENS_NAME: "Launch", L.LENS_REVIEW_EVERY: "-3"}
    )
    with pytest.raises(InputError) as caught:
        build_checklist(book)
    lines = [p.format() for p in caught.value.problems]
    for fragment in (
        f'Checklist!{COL[L.EVIDENCE_MAX_AGE]}2: evidence max age (days) "soon": a whole number',
        f'Checklist!{COL[L.EVIDENCE_REQUIRED]}3: evidence required "maybe": use yes',
        'Lens!B9: review every (days) "-3": a whole number of days',
    ):
        assert any(fragment in line for line in lines), (fragment, lines)
