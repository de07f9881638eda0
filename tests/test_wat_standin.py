"""The stand-in shares no code with what it checks: its own risk-rule evaluator and lens checks,
no orr import in the service. And the pure parts of orr.wat: notes compared as the service
stores them, practices not applicable in the WA Tool's terms, and the line orr status prints."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from orr.checklist import load_checklist
from orr.review.kinds import NaReason
from orr.review.model import Answer, ChecklistRef, PracticeNa, Review, Workload
from orr.wat.answers import WaAnswer, fingerprint, from_service, normal_notes, to_service
from orr.wat.lens import next_version
from orr.wat.state import lens_version_note
from tests.wa_standin import (
    RuleError,
    RuleParser,
    evaluate_risk,
    lens_problems,
    write_big_checklist,
)

STANDIN = Path(__file__).resolve().parent / "wa_standin.py"
REPO = Path(__file__).resolve().parent.parent
BUILDERS = {"write_big_checklist", "build_review"}  # test data, not the service


def _imports(tree: ast.Module) -> list[tuple[str, str | None]]:
    """(module, the top-level function it is imported in, or None) for every import."""
    out: list[tuple[str, str | None]] = []
    for top in tree.body:
        where = top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) else None
        for node in ast.walk(top):
            if isinstance(node, ast.Import):
                out += [(alias.name, where) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                out.append((node.module or "", where))
    return out


def test_the_standin_service_imports_nothing_of_orr() -> None:
    found = _imports(ast.parse(STANDIN.read_text(encoding="utf-8")))
    ours = [(m, where) for m, where in found if m.split(".")[0] in ("orr", "tests")]
    assert ours  # the builders of test data do use orr ...
    assert {where for _, where in ours} <= BUILDERS  # ... and nothing else does


@pytest.mark.parametrize(
    ("condition", "chosen", "holds"),
    [
        ("a && b", {"a", "b"}, True),
        ("a && b", {"a"}, False),
        ("a || b", {"b"}, True),
        ("!a", set(), True),
        ("!(a || b) && c", {"c"}, True),
        ("!(a || b) && c", {"a", "c"}, False),
        ("a && (b || !c)", {"a"}, True),
        ("a && (b || !c)", {"a", "c"}, False),
        ("a || b && c", {"a"}, True),  # && binds tighter than ||
        ("(a || b) && c", {"a"}, False),
        ("!!a", {"a"}, True),
        ("default", set(), True),
    ],
)
def test_the_standins_own_evaluator(condition: str, chosen: set[str], holds: bool) -> None:
    assert RuleParser(condition).parse()(frozenset(chosen)) is holds


def test_the_first_true_rule_wins() -> None:
    rules = [
        {"condition": "a && b", "risk": "NO_RISK"},
        {"condition": "a || b", "risk": "MEDIUM_RISK"},
        {"condition": "default", "risk": "HIGH_RISK"},
    ]
    assert evaluate_risk(rules, {"a", "b"}) == "NO_RISK"
    assert evaluate_risk(rules, {"b"}) == "MEDIUM_RISK"
    assert evaluate_risk(rules, set()) == "HIGH_RISK"
    for bad in ("a &&", "(a", "a b", "&& a", "a $ b", ""):
        with pytest.raises(RuleError):
            RuleParser(bad).parse()


def test_the_standins_own_lens_checks(tmp_path: Path) -> None:
    from orr.lens.export import export_lens

    text = export_lens(load_checklist(write_big_checklist(tmp_path))).text
    assert lens_problems(text) == []
    doc = json.loads(text)
    question = doc["pillars"][0]["questions"][0]
    question["title"] = "t" * 200
    question["riskRules"] = [{"condition": "nope && (", "risk": "NO_RISK"}]
    question["choices"][0].pop("improvementPlan")
    doc["pillars"][1]["id"] = doc["pillars"][0]["id"]
    problems = lens_problems(json.dumps(doc))
    assert "pillars[0].questions[0].title: 200 characters, at most 128" in problems
    assert "pillars[0].questions[0].choices[0].improvementPlan: missing" in problems
    assert "pillars[0].questions[0].riskRules: the last rule is the default" in problems
    assert any(p.startswith("pillars[0].questions[0].riskRules[0].condition: ") for p in problems)
    assert "pillars[1].id: used twice" in problems
    assert lens_problems("{") and lens_problems("x" * 500_001)


# --- the pure parts of orr.wat ---------------------------------------------------------------------


def test_notes_compare_as_the_service_may_store_them() -> None:
    a = WaAnswer(("c",), True, "", "One  line.\n\nTwo\tlines. ")
    b = WaAnswer(("c",), True, "", "One line.\r\n\r\nTwo lines.")
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(WaAnswer(("c",), True, "", "One line. Two words."))
    assert normal_notes("a\x1b[1m  b\x07") == "a[1m b"


def test_practices_not_applicable_in_the_wa_tools_terms() -> None:
    raw = {
        "SelectedChoices": ["a"],
        "ChoiceAnswers": [
            {"ChoiceId": "a", "Status": "SELECTED"},
            {"ChoiceId": "b", "Status": "NOT_APPLICABLE", "Reason": "OTHER", "Notes": "n"},
        ],
        "IsApplicable": True,
        "Notes": "x",
    }
    held = from_service(raw, with_notes=True)
    assert held.choices == ("a",) and held.na == (("b", "OTHER", "n"),)
    summary = from_service(
        {**raw, "ChoiceAnswers": None, "ChoiceAnswerSummaries": raw["ChoiceAnswers"]},
        with_notes=False,
    )
    assert summary.selection_hash() == held.selection_hash()
    assert held.update_params() == {
        "SelectedChoices": ["a"],
        "Notes": "x",
        "IsApplicable": True,
        "ChoiceUpdates": {"b": {"Status": "NOT_APPLICABLE", "Reason": "OTHER", "Notes": "n"}},
    }
    plain = WaAnswer(("a",), True, "", "x")
    assert plain.update_params(held)["ChoiceUpdates"] == {"b": {"Status": "UNSELECTED"}}
    # Without practices not applicable, fingerprints are what they were before they existed.
    assert plain.selection_hash() == WaAnswer(("a",), True, "", "y").selection_hash()


def _review(**wat: str) -> Review:
    at = datetime(2026, 6, 1, tzinfo=UTC)
    review = Review(
        workload=Workload(name="Shop", launch_date=date(2026, 12, 1)),
        checklist=ChecklistRef(manifest="orr.toml", content_hash="x"),
        wat=dict(wat),
    )
    review.answers["sec_access"] = Answer(
        choices=["sec_roles"],
        na_choices={"sec_review": PracticeNa(reason=NaReason.OUT_OF_SCOPE)},
        answered_by="t",
        answered_at=at,
    )
    return review


def test_lens_version_note(tmp_path: Path) -> None:
    checklist = load_checklist(write_big_checklist(tmp_path))
    assert lens_version_note(_review(), checklist) is None  # not synced
    wid = "0123456789abcdef0123456789abcdef"
    current = _review(workload_id=wid, lens_version="1.0", lens_status="CURRENT")
    assert lens_version_note(current, checklist) is None
    behind = _review(
        workload_id=wid, lens_version="1.0", lens_status="NOT_CURRENT", lens_latest="2.0"
    )
    assert lens_version_note(behind, checklist, "reviews/shop.toml") == (
        f"WA Tool: workload {wid} is on lens version 1.0; version 2.0 is published: run orr "
        "wat sync reviews/shop.toml --upgrade"
    )
    lacking = _review(
        workload_id=wid,
        lens_version="1.0",
        lens_status="CURRENT",
        not_in_lens='["sec_access/sec_sso","gone_question"]',
    )
    note = lens_version_note(lacking, checklist)
    assert (
        note is not None and "1 answered question(s) not in the workload's lens version 1.0" in note
    )
    assert "(sec_access)" in note


def test_to_service_sends_practices_not_applicable() -> None:
    sent = to_service(_review(), "sec_access")
    assert sent is not None and sent.na == (("sec_review", "OUT_OF_SCOPE", ""),)
    assert sent.update_params()["ChoiceUpdates"] == {
        "sec_review": {"Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE", "Notes": ""}
    }


def test_next_version_to_suggest() -> None:
    assert next_version("") == "1.0"
    assert next_version("1.0") == "1.1"
    assert next_version("1.9") == "1.10"
    assert next_version("2") == "3"
    assert next_version("2024-06") == "2024-07"
    assert next_version("v1.0-rc") == "v1.1-rc"
    assert next_version("beta") == "beta.1"


def test_the_status_function_does_not_load_boto3() -> None:
    code = (
        "import sys, json, orr.wat.state, orr.wat.answers, orr.wat.params\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('boto3', 'botocore', 'textual'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
