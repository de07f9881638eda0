"""Lint: risk-rule analysis over every selection, on purpose-built bad questions."""

from __future__ import annotations

from pathlib import Path

from orr.checklist import ChecklistQuestion, load_checklist
from orr.checklist.lint import lint_question, risk_tables
from orr.checklist.rules import Risk
from orr.lens.checks import lint_checklist
from tests.helpers import SOURCE, write_checklist


def question_with_rules(
    tmp_path: Path, rules: list[tuple[str, str]], extra: str = ""
) -> ChecklistQuestion:
    text = SOURCE.replace('severity = "high"', 'severity = "high"' + extra)
    for condition, risk in rules:
        text += f'\n[[pillars.questions.rules]]\ncondition = "{condition}"\nrisk = "{risk}"\n'
    return load_checklist(write_checklist(tmp_path, {"s.toml": text})).questions[0]


def messages(question: ChecklistQuestion, severity: str = "error") -> list[str]:
    return [p.message for p in lint_question(question) if p.severity == severity]


def test_generated_rules_are_clean(tmp_path: Path) -> None:
    q = load_checklist(write_checklist(tmp_path)).questions[0]
    assert lint_question(q) == []


def test_unreachable_level(tmp_path: Path) -> None:
    q = question_with_rules(
        tmp_path,
        [
            ("sec_roles", "NO_RISK"),
            ("sec_roles && sec_review", "MEDIUM_RISK"),
            ("default", "HIGH_RISK"),
        ],
    )
    found = messages(q)
    assert any(
        "rule 2 ('sec_roles && sec_review' -> MEDIUM_RISK) is never the first true" in m
        for m in found
    )


def test_non_monotonic(tmp_path: Path) -> None:
    # Selecting sec_review on top of sec_roles makes it worse.
    q = question_with_rules(
        tmp_path,
        [
            ("sec_roles && !sec_review && !sec_access_no", "NO_RISK"),
            ("sec_review && !sec_access_no", "MEDIUM_RISK"),
            ("default", "HIGH_RISK"),
        ],
    )
    found = messages(q)
    assert any(
        "not monotonic: selecting 'sec_review' raises the risk from NO_RISK to MEDIUM_RISK" in m
        for m in found
    ), found


def test_none_of_these_scoring_below_severity(tmp_path: Path) -> None:
    q = question_with_rules(
        tmp_path, [("sec_roles && sec_review", "NO_RISK"), ("default", "HIGH_RISK")]
    )
    found = messages(q)
    assert any('"None of these" scores NO_RISK, below the severity high' in m for m in found), found
    assert any("guard the better rules with && !sec_access_no" in m for m in found)


def test_unmentioned_choice_is_a_warning(tmp_path: Path) -> None:
    q = question_with_rules(
        tmp_path, [("sec_roles && !sec_access_no", "NO_RISK"), ("default", "HIGH_RISK")]
    )
    assert any(
        "choice 'sec_review' is not mentioned by any rule" in m for m in messages(q, "warning")
    )
    assert messages(q) == []


def test_missing_owner_and_none_choice_warn(tmp_path: Path) -> None:
    text = SOURCE.replace('owner_role = "security"\n', "").replace(
        'severity = "high"', 'severity = "high"\nnone_choice = false'
    )
    q = load_checklist(write_checklist(tmp_path, {"s.toml": text})).questions[0]
    warnings = messages(q, "warning")
    assert any("no owner_role" in m for m in warnings)
    assert any('no "None of these" choice' in m for m in warnings)


def test_risk_tables_partition_all_selections(tmp_path: Path) -> None:
    q = question_with_rules(
        tmp_path,
        [
            ("sec_roles && sec_review && !sec_access_no", "NO_RISK"),
            ("sec_roles && !sec_access_no", "MEDIUM_RISK"),
            ("default", "HIGH_RISK"),
        ],
    )
    tables = risk_tables(q)
    total = 0
    for risk in Risk:
        total |= tables.by_risk[risk]
        for other in Risk:
            if other is not risk:
                assert tables.by_risk[risk] & tables.by_risk[other] == 0
    assert total == (1 << (1 << tables.n)) - 1
    # Every selection agrees with the evaluator.
    for s in range(1 << tables.n):
        chosen = {cid for i, cid in enumerate(tables.ids) if s >> i & 1}
        expected = q.risk_for(chosen)
        assert tables.by_risk[expected] >> s & 1


def test_fifteen_choices_are_analysed_exactly(tmp_path: Path) -> None:
    choices = "".join(
        f'\n[[pillars.questions.choices]]\nid = "c{i:02d}"\ntitle = "Choice {i}"\nimprovement = "x"\n'
        for i in range(14)
    )
    text = SOURCE.split("[[pillars.questions.choices]]")[0] + choices
    text += (
        '\n[[pillars.questions.rules]]\ncondition = "c00 && c01 && !c13 && !sec_access_no"\n'
        'risk = "NO_RISK"\n\n[[pillars.questions.rules]]\ncondition = "default"\nrisk = "HIGH_RISK"\n'
    )
    q = load_checklist(write_checklist(tmp_path, {"s.toml": text})).questions[0]
    assert len(q.choices) == 15
    found = messages(q)
    assert any("not monotonic: selecting 'c13'" in m for m in found), found


def test_lint_checklist_reports_lens_limits(tmp_path: Path) -> None:
    long_title = "x" * 129
    text = SOURCE.replace('title = "Scoped roles"', f'title = "{long_title}"')
    checklist = load_checklist(write_checklist(tmp_path, {"s.toml": text}))
    problems = lint_checklist(checklist)
    assert any(
        p.severity == "error"
        and "question sec_access choice sec_roles" in (p.path or "")
        and "title" in (p.path or "") + p.message
        for p in problems
    ), [p.format() for p in problems]


def test_bundled_checklist_is_lint_clean(bundled_manifest: Path) -> None:
    problems = lint_checklist(load_checklist(bundled_manifest))
    assert [p.format() for p in problems] == []
