"""Checklist -> lens JSON: the mapping, key order, determinism, and validation before writing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orr.checklist.load import load_checklist, select_tier
from orr.lens.export import (
    build_lens,
    export_lens,
    indentation_size,
    lens_json,
    question_description,
)
from orr.lens.format import MAX_TEXT
from orr.lens.validate import errors_of, validate_lens_document, validate_lens_text
from tests.helpers import SOURCE, write_checklist
from tests.maxsize import max_count_lens, minimal_lens, write_max_checklist

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "lenses"
if not FIXTURES.is_dir():
    FIXTURES = Path("/work/shared/fixtures/lenses")

RICH = """\
schema_version = 1
kind = "operations"

[[pillars]]
id = "operations"
name = "Operations"

[[pillars.questions]]
id = "ops_runbooks"
title = "Do on-call engineers have runbooks?"
description = "Runbooks turn a page into a procedure."
evidence = ["The runbook index", "The last game day report"]
helpful_resource = { text = "Runbooks", url = "https://example.com/runbooks" }
owner_role = "owner"
severity = "medium"
tiers = ["core"]

[[pillars.questions.choices]]
id = "ops_rb_alarms"
title = "Every alarm links its runbook"
helpful = { text = "Alarms without runbooks cost minutes.", url = "https://example.com/a" }
improvement = "Link a runbook from each alarm."
more_helpful = [{ text = "Example runbook", url = "https://example.com/ex" }]
more_improvement = [
  { text = "Runbook template", url = "https://example.com/t" },
  { text = "Review checklist", url = "https://example.com/r" },
]

[[pillars.questions.choices]]
id = "ops_rb_tested"
title = "Runbooks are exercised in game days — 日本語もOK"
improvement = { text = "Schedule a game day.", url = "https://example.com/gd" }
more_order = ["improvement", "helpful"]
more_helpful = [{ text = "Game days", url = "https://example.com/gd2" }]
more_improvement = [{ text = "Playbook", url = "https://example.com/pb" }]

[[pillars.questions]]
id = "ops_oncall"
title = "Is there an on-call rotation?"
owner_role = "owner"

[[pillars.questions.choices]]
id = "ops_oc_rota"
title = "A rotation with a secondary"
improvement = "Set up the rotation."

[[pillars.questions.choices]]
id = "ops_oc_paging"
title = "Paging is tested"
improvement = "Test paging."

# Explicit rules, not least risky first: kept in the authored order.
[[pillars.questions.rules]]
condition = "!ops_oc_rota"
risk = "HIGH_RISK"

[[pillars.questions.rules]]
condition = "ops_oc_rota && ops_oc_paging && !ops_oncall_no"
risk = "NO_RISK"

[[pillars.questions.rules]]
condition = "default"
risk = "MEDIUM_RISK"
"""


def rich_checklist(tmp_path: Path) -> Any:
    manifest = write_checklist(tmp_path, {"operations.toml": RICH})
    return load_checklist(manifest)


def test_keys_in_format_order(tmp_path: Path) -> None:
    doc = build_lens(rich_checklist(tmp_path))
    assert list(doc) == ["schemaVersion", "name", "description", "pillars"]
    pillar = doc["pillars"][0]
    assert list(pillar) == ["id", "name", "questions"]
    question = pillar["questions"][0]
    assert list(question) == [
        "id",
        "title",
        "description",
        "helpfulResource",
        "choices",
        "riskRules",
    ]
    assert list(question["choices"][0]) == [
        "id",
        "title",
        "helpfulResource",
        "improvementPlan",
        "additionalResources",
    ]
    assert list(question["helpfulResource"]) == ["displayText", "url"]
    assert list(question["riskRules"][0]) == ["condition", "risk"]


def test_mapping_of_a_question(tmp_path: Path) -> None:
    doc = build_lens(rich_checklist(tmp_path))
    assert doc["schemaVersion"] == "2021-11-01"
    assert doc["name"] == "Test checklist"
    assert doc["description"] == "A checklist for tests."
    question = doc["pillars"][0]["questions"][0]
    assert question["description"] == (
        "Runbooks turn a page into a procedure.\n\nEvidence to ask for:\n"
        "- The runbook index\n- The last game day report"
    )
    assert question["helpfulResource"] == {
        "displayText": "Runbooks",
        "url": "https://example.com/runbooks",
    }
    alarms, tested, none = question["choices"]
    assert alarms == {
        "id": "ops_rb_alarms",
        "title": "Every alarm links its runbook",
        "helpfulResource": {
            "displayText": "Alarms without runbooks cost minutes.",
            "url": "https://example.com/a",
        },
        "improvementPlan": {"displayText": "Link a runbook from each alarm."},
        "additionalResources": [
            {
                "type": "HELPFUL_RESOURCE",
                "content": [{"displayText": "Example runbook", "url": "https://example.com/ex"}],
            },
            {
                "type": "IMPROVEMENT_PLAN",
                "content": [
                    {"displayText": "Runbook template", "url": "https://example.com/t"},
                    {"displayText": "Review checklist", "url": "https://example.com/r"},
                ],
            },
        ],
    }
    # more_order puts the improvement links first; no helpful text: no helpfulResource key.
    assert "helpfulResource" not in tested
    assert [a["type"] for a in tested["additionalResources"]] == [
        "IMPROVEMENT_PLAN",
        "HELPFUL_RESOURCE",
    ]
    # The "None of these" choice orr adds: id <qid>_no, no improvement plan, nothing else.
    assert none == {"id": "ops_runbooks_no", "title": "None of these"}


def test_generated_rules_least_risky_first_default_last(tmp_path: Path) -> None:
    question = build_lens(rich_checklist(tmp_path))["pillars"][0]["questions"][0]
    assert question["riskRules"] == [
        {"condition": "ops_rb_alarms && ops_rb_tested && !ops_runbooks_no", "risk": "NO_RISK"},
        {"condition": "default", "risk": "MEDIUM_RISK"},
    ]


def test_explicit_rules_keep_their_order_and_text(tmp_path: Path) -> None:
    question = build_lens(rich_checklist(tmp_path))["pillars"][0]["questions"][1]
    assert question["riskRules"] == [
        {"condition": "!ops_oc_rota", "risk": "HIGH_RISK"},
        {"condition": "ops_oc_rota && ops_oc_paging && !ops_oncall_no", "risk": "NO_RISK"},
        {"condition": "default", "risk": "MEDIUM_RISK"},
    ]
    # No description and no evidence: no description key; no resource: no key either.
    assert "description" not in question
    assert "helpfulResource" not in question


def test_empty_lists_are_left_out(tmp_path: Path) -> None:
    doc = build_lens(load_checklist(write_checklist(tmp_path)))
    for question in doc["pillars"][0]["questions"]:
        for choice in question["choices"]:
            assert "additionalResources" not in choice


def test_text_is_utf8_indented_and_deterministic(tmp_path: Path) -> None:
    checklist = rich_checklist(tmp_path)
    text = lens_json(build_lens(checklist))
    assert "日本語もOK" in text
    assert "\\u" not in text
    assert text.endswith("}\n")
    assert text.startswith('{\n  "schemaVersion": "2021-11-01",\n  "name"')
    again = lens_json(build_lens(load_checklist(Path(checklist.path))))
    assert again == text
    assert json.loads(text) == build_lens(checklist)


def test_export_of_a_valid_checklist_is_clean(tmp_path: Path) -> None:
    result = export_lens(rich_checklist(tmp_path))
    assert result.problems == []
    assert result.text == lens_json(result.doc)
    assert result.size == len(result.text.encode("utf-8"))
    assert validate_lens_text(result.text) == []


def test_export_lists_every_violation(tmp_path: Path) -> None:
    long_title = "t" * 129
    source = (
        SOURCE.replace('title = "Scoped roles"', f'title = "{long_title}"')
        .replace('id = "sec_review"', 'id = "' + "r" * 65 + '"')
        .replace('helpful = "Reviewed before launch."', 'helpful = "' + "h" * 2049 + '"')
    )
    result = export_lens(load_checklist(write_checklist(tmp_path, {"security.toml": source})))
    base = "pillars[0].questions[0].choices"
    assert [(p.path, p.message) for p in result.errors] == [
        (f"{base}[0].title", "129 characters: at most 128"),
        (f"{base}[1].id", f"'{'r' * 65}' has 65 characters: ids have 3 to 64"),
        (f"{base}[1].helpfulResource.displayText", "2049 characters: at most 2048"),
    ]
    # The export reuses the loader's parse of each rule: a fresh validation says the same.
    assert errors_of(validate_lens_document(result.doc, size=result.size)) == result.errors


def test_question_description_evidence_within_the_limit() -> None:
    assert question_description(None, []) == (None, 0)
    assert question_description("Why.", []) == ("Why.", 0)
    assert question_description(None, ["a"]) == ("Evidence to ask for:\n- a", 0)
    assert question_description("", ["a"]) == ("Evidence to ask for:\n- a", 0)
    # Exactly at the limit: everything kept.
    head = "Why.\n\nEvidence to ask for:\n- "
    fits = "x" * (MAX_TEXT - len(head))
    assert question_description("Why.", [fits]) == (head + fits, 0)


def test_evidence_cut_to_fit_with_a_warning(tmp_path: Path) -> None:
    items = ", ".join(f'"Evidence item {i:02d} ' + "e" * 80 + '"' for i in range(30))
    source = SOURCE.replace(
        'references = ["SEC03-BP02"]',
        f'references = ["SEC03-BP02"]\ndescription = "Why it matters."\nevidence = [{items}]',
    )
    checklist = load_checklist(write_checklist(tmp_path, {"security.toml": source}))
    result = export_lens(checklist)
    description = result.doc["pillars"][0]["questions"][0]["description"]
    assert len(description) <= MAX_TEXT
    assert description.startswith("Why it matters.\n\nEvidence to ask for:\n- Evidence item 00 ")
    kept = description.count("\n- Evidence item")
    assert 0 < kept < 30
    # The evidence is cut, never the sources line.
    assert description.endswith(f"- … and {30 - kept} more in the checklist\n\nSources: SEC03-BP02")
    assert result.errors == []
    assert [
        (p.path, p.severity, p.message) for p in result.problems if "evidence" in p.message
    ] == [
        (
            "pillars[0].questions[0].description",
            "warning",
            f"the evidence to ask for was cut to {kept} of 30 items to keep the description "
            "within 2048 characters",
        )
    ]


def test_tier_exports_only_its_questions(tmp_path: Path) -> None:
    checklist = select_tier(rich_checklist(tmp_path), "core")
    doc = export_lens(checklist).doc
    assert [q["id"] for p in doc["pillars"] for q in p["questions"]] == ["ops_runbooks"]


def test_maximum_size_checklist_lens_breaks_only_the_size_limit(tmp_path: Path) -> None:
    checklist = load_checklist(write_max_checklist(tmp_path))
    assert len(checklist.questions) == 200
    assert {len(q.choices) for q in checklist.questions} == {15}
    result = export_lens(checklist)
    assert len(result.errors) == 1
    assert result.errors[0].path == ""
    assert result.errors[0].message.endswith("bytes (UTF-8): a lens is at most 500,000 bytes")


def test_lens_that_fits_only_compact_is_written_compact(tmp_path: Path) -> None:
    result = export_lens(load_checklist(write_max_checklist(tmp_path, fit_lens=True)))
    assert result.errors == []
    assert [p.message.split(":")[0] for p in result.warnings] == ["written without indentation"]
    assert "\n" not in result.text.rstrip("\n")
    assert result.size <= 500_000
    assert validate_lens_text(result.text) == []
    assert validate_lens_document(result.doc) == []


def _sizes(doc: object) -> tuple[int, int]:
    indented = len(lens_json(doc).encode("utf-8"))
    compact = len(lens_json(doc, compact=True).encode("utf-8"))
    return indented, compact


@pytest.mark.parametrize(
    "doc",
    [
        minimal_lens(),
        max_count_lens(),
        {"empty": [], "nothing": {}, "nested": [[1, {"x": []}], {"y": {"z": "日本"}}]},
        [],
        {},
        "text",
    ],
)
def test_indentation_size_is_exact(doc: object) -> None:
    indented, compact = _sizes(doc)
    assert indented == compact + indentation_size(doc)


@pytest.mark.parametrize("name", ["ORR-Whitepaper-Sample-PUBLISHED.json", "Amazon_S3_Lens.json"])
def test_indentation_size_of_the_published_lenses(name: str) -> None:
    doc = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    indented, compact = _sizes(doc)
    assert indented == compact + indentation_size(doc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_indentation_size_of_any_json(value: object) -> None:
    indented, compact = _sizes(value)
    assert indented == compact + indentation_size(value)
