"""The lens validator: every violation class, each limit at its boundary (at the limit: valid;
one over: the right error), errors and warnings apart, JSON paths."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orr.lens.validate import (
    LensProblem,
    LensSyntaxError,
    parse_lens_text,
    validate_lens_document,
    validate_lens_text,
)
from tests.maxsize import (
    dense_lens_text_of_size,
    lens_text_of_size,
    max_count_lens,
    minimal_lens,
)

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "lenses"
if not FIXTURES.is_dir():
    FIXTURES = Path("/work/shared/fixtures/lenses")

Q = "pillars[0].questions[0]"
C0 = f"{Q}.choices[0]"
R = f"{Q}.riskRules"


def lens(change: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
    doc = minimal_lens()
    if change is not None:
        change(doc)
    return doc


def question(doc: dict[str, Any]) -> dict[str, Any]:
    q: dict[str, Any] = doc["pillars"][0]["questions"][0]
    return q


def choice(doc: dict[str, Any]) -> dict[str, Any]:
    c: dict[str, Any] = question(doc)["choices"][0]
    return c


def errors(doc: object) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in validate_lens_document(doc) if p.severity == "error"]


def warnings(doc: object) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in validate_lens_document(doc) if p.severity == "warning"]


def one_error(doc: object) -> tuple[str, str]:
    found = errors(doc)
    assert len(found) == 1, found
    return found[0]


def add_questions(doc: dict[str, Any], count: int) -> None:
    """Give the first pillar ``count`` questions (copies of the first, with their own ids)."""
    template = question(doc)
    questions = []
    for i in range(count):
        q = copy.deepcopy(template)
        q["id"] = f"q_{i:03d}"
        q["choices"][1]["id"] = f"q_{i:03d}_no"
        q["riskRules"][0]["condition"] = f"ops_rb_written && !q_{i:03d}_no"
        questions.append(q)
    doc["pillars"][0]["questions"] = questions


# --- valid documents -------------------------------------------------------------------------------


def test_minimal_lens_is_valid() -> None:
    assert validate_lens_document(minimal_lens()) == []


def test_every_count_at_its_limit_is_valid() -> None:
    doc = max_count_lens()
    assert len(doc["pillars"]) == 10
    assert {len(p["questions"]) for p in doc["pillars"]} == {20}
    assert {len(q["choices"]) for p in doc["pillars"] for q in p["questions"]} == {15}
    assert validate_lens_document(doc) == []


@pytest.mark.parametrize("name", ["ORR-Whitepaper-Sample-PUBLISHED.json", "Amazon_S3_Lens.json"])
def test_published_lenses_are_valid_with_warnings(name: str) -> None:
    problems = validate_lens_text((FIXTURES / name).read_text(encoding="utf-8"))
    assert [p for p in problems if p.severity == "error"] == []
    assert problems  # both break a softer rule (an unknown key, texts over 1024)


def test_s3_lens_warnings_name_the_extra_keys_and_long_texts() -> None:
    problems = validate_lens_text((FIXTURES / "Amazon_S3_Lens.json").read_text(encoding="utf-8"))
    paths = [p.path for p in problems]
    assert paths[:2] == ["_version", "_note"]
    assert "pillars[3].questions[7].choices[2].helpfulResource.displayText" in paths
    long_text = next(
        p for p in problems if p.path.endswith("choices[2].helpfulResource.displayText")
    )
    assert long_text.message.startswith("1585 characters: the WA API model allows 1024")


def test_orr_sample_capital_url_is_a_warning_with_a_hint() -> None:
    text = (FIXTURES / "ORR-Whitepaper-Sample-PUBLISHED.json").read_text(encoding="utf-8")
    [problem] = validate_lens_text(text)
    assert problem == LensProblem(
        "pillars[0].questions[3].choices[1].helpfulResource.Url",
        "unknown key (did you mean 'url'?): the WA Tool ignores it",
        "warning",
    )


# --- the lens ----------------------------------------------------------------------------------------


def test_not_an_object() -> None:
    assert one_error([]) == ("", "expected a JSON object (the lens), found a list")


def test_schema_version() -> None:
    assert one_error(lens(lambda d: d.pop("schemaVersion"))) == (
        "schemaVersion",
        'missing (required: "2021-11-01")',
    )
    assert one_error(lens(lambda d: d.update(schemaVersion="2020-01-01"))) == (
        "schemaVersion",
        "'2020-01-01': must be \"2021-11-01\"",
    )


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (3, "a number (3)"),
        (None, "null"),
        (True, "true"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (["a"], "a list"),
        ({"a": 1}, "an object"),
    ],
)
def test_non_string_values(value: object, found: str) -> None:
    doc = lens(lambda d: choice(d).update(title=value))
    assert one_error(doc) == (f"{C0}.title", f"expected a string, found {found}")


def test_lens_name_limit() -> None:
    assert errors(lens(lambda d: d.update(name="n" * 128))) == []
    assert one_error(lens(lambda d: d.update(name="n" * 129))) == (
        "name",
        "129 characters: at most 128",
    )
    assert one_error(lens(lambda d: d.update(name=""))) == ("name", "empty (required)")
    assert one_error(lens(lambda d: d.pop("name"))) == ("name", "missing (required)")


def test_lens_description_limits() -> None:
    assert validate_lens_document(lens(lambda d: d.update(description="d" * 1024))) == []
    doc = lens(lambda d: d.update(description="d" * 1025))
    assert errors(doc) == []
    assert warnings(doc) == [
        (
            "description",
            "1025 characters: the WA API model allows 1024 (the format page 2048); the upload "
            "may be rejected",
        )
    ]
    assert errors(lens(lambda d: d.update(description="d" * 2048))) == []
    assert one_error(lens(lambda d: d.update(description="d" * 2049))) == (
        "description",
        "2049 characters: at most 2048",
    )
    assert one_error(lens(lambda d: d.pop("description"))) == ("description", "missing (required)")


def test_odd_keys_are_quoted_in_paths() -> None:
    doc = lens(lambda d: d.update({"my key": 1, "a.b": 2}))
    assert [w[0] for w in warnings(doc)] == ['["my key"]', '["a.b"]']
    doc = lens(lambda d: choice(d).update({"Über": 1}))
    assert [w[0] for w in warnings(doc)] == [f'{C0}["Über"]']


def test_unknown_keys_are_warnings() -> None:
    doc = lens(lambda d: d.update(_version="v1"))
    doc["pillars"][0]["Name"] = "x"
    assert errors(doc) == []
    assert warnings(doc) == [
        ("_version", "unknown key: the WA Tool ignores it"),
        ("pillars[0].Name", "unknown key (did you mean 'name'?): the WA Tool ignores it"),
    ]


# --- counts ------------------------------------------------------------------------------------------


def test_pillar_count_limits() -> None:
    def pillars(n: int) -> dict[str, Any]:
        doc = max_count_lens()
        doc["pillars"] = doc["pillars"][:1] * n
        for i, p in enumerate(doc["pillars"]):
            doc["pillars"][i] = copy.deepcopy(p)
            doc["pillars"][i]["id"] = f"pillar_{i}"
            for q in doc["pillars"][i]["questions"]:
                old = q["id"]
                q["id"] = f"{old}_{i}"
        return doc

    assert errors(pillars(10)) == []
    assert one_error(pillars(11)) == ("pillars", "11 pillars: at most 10")
    assert one_error(lens(lambda d: d.update(pillars=[]))) == (
        "pillars",
        "empty: at least 1 pillar",
    )
    assert one_error(lens(lambda d: d.update(pillars={}))) == (
        "pillars",
        "expected a list, found an object",
    )


def test_question_count_limits() -> None:
    assert errors(lens(lambda d: add_questions(d, 20))) == []
    assert one_error(lens(lambda d: add_questions(d, 21))) == (
        "pillars[0].questions",
        "21 questions: at most 20",
    )
    assert one_error(lens(lambda d: d["pillars"][0].update(questions=[]))) == (
        "pillars[0].questions",
        "empty: at least 1 question",
    )


def test_choice_count_limits() -> None:
    def choices(n: int) -> dict[str, Any]:
        doc = lens()
        practice = choice(doc)
        extra = []
        for i in range(n - 2):
            c = copy.deepcopy(practice)
            c["id"] = f"extra_{i:02d}"
            extra.append(c)
        question(doc)["choices"][1:1] = extra
        return doc

    assert len(question(choices(15))["choices"]) == 15
    assert errors(choices(15)) == []
    assert one_error(choices(16)) == (f"{Q}.choices", "16 choices: at most 15")


def test_empty_choices_are_an_error() -> None:
    doc = lens(lambda d: question(d).update(choices=[]))
    # The rules then name choices that do not exist: reported too.
    assert errors(doc) == [
        (f"{Q}.choices", "empty: at least 1 choice"),
        (f"{R}[0].condition", "'ops_rb_written' is not a choice of this question"),
        (f"{R}[0].condition", "'ops_runbooks_no' is not a choice of this question"),
    ]


# --- ids ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "limit"),
    [("pillar", 64), ("question", 128), ("choice", 64)],
)
def test_id_length_limits(where: str, limit: int) -> None:
    def with_id(value: str) -> dict[str, Any]:
        doc = lens()
        target = {
            "pillar": doc["pillars"][0],
            "question": question(doc),
            "choice": choice(doc),
        }[where]
        old = target["id"]
        target["id"] = value
        for rule in question(doc)["riskRules"]:
            rule["condition"] = rule["condition"].replace(old + " ", value + " ")
        if where == "question":
            question(doc)["choices"][1]["id"] = "other_no"
            question(doc)["riskRules"][0]["condition"] = f"{choice(doc)['id']} && !other_no"
        return doc

    path = {"pillar": "pillars[0]", "question": Q, "choice": C0}[where]
    assert errors(with_id("a" * limit)) == []
    assert errors(with_id("abc")) == []
    assert one_error(with_id("a" * (limit + 1))) == (
        f"{path}.id",
        f"'{'a' * (limit + 1)}' has {limit + 1} characters: ids have 3 to {limit}",
    )
    assert one_error(with_id("ab")) == (
        f"{path}.id",
        f"'ab' has 2 characters: ids have 3 to {limit}",
    )


def test_pillar_id_over_64_is_an_error_although_the_format_page_allows_128() -> None:
    doc = lens(lambda d: d["pillars"][0].update(id="p" * 100))
    assert one_error(doc)[0] == "pillars[0].id"


def test_id_charset() -> None:
    doc = lens(lambda d: d["pillars"][0].update(id="ops-main é"))
    assert one_error(doc) == (
        "pillars[0].id",
        "'ops-main é': ids use only letters, digits and _ (found ' ', '-', 'é')",
    )


def test_id_uniqueness() -> None:
    doc = lens()
    second = copy.deepcopy(doc["pillars"][0])
    doc["pillars"].append(second)
    assert errors(doc) == [
        ("pillars[1].id", "'ops' is also the id of pillars[0]: pillar ids are unique"),
        (
            "pillars[1].questions[0].id",
            "'ops_runbooks' is also the id of pillars[0].questions[0]: question ids are unique "
            "in the lens",
        ),
    ]
    doc = lens(lambda d: question(d)["choices"].insert(1, copy.deepcopy(choice(d))))
    assert one_error(doc) == (
        f"{Q}.choices[1].id",
        f"'ops_rb_written' is also the id of {C0}: choice ids are unique in a question",
    )


def test_choice_ids_may_repeat_across_questions() -> None:
    doc = lens(lambda d: add_questions(d, 2))
    assert choice(doc)["id"] == doc["pillars"][0]["questions"][1]["choices"][0]["id"]
    assert errors(doc) == []


# --- texts and resources ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setter", "path"),
    [
        (lambda d, v: d["pillars"][0].update(name=v), "pillars[0].name"),
        (lambda d, v: question(d).update(title=v), f"{Q}.title"),
        (lambda d, v: choice(d).update(title=v), f"{C0}.title"),
    ],
)
def test_name_and_title_limits(setter: Callable[[dict[str, Any], str], None], path: str) -> None:
    at_limit = lens(lambda d: setter(d, "t" * 128))
    assert validate_lens_document(at_limit) == []
    over = lens(lambda d: setter(d, "t" * 129))
    assert one_error(over) == (path, "129 characters: at most 128")


@pytest.mark.parametrize(
    ("setter", "path"),
    [
        (lambda d, v: question(d).update(description=v), f"{Q}.description"),
        (
            lambda d, v: choice(d)["helpfulResource"].update(displayText=v),
            f"{C0}.helpfulResource.displayText",
        ),
        (
            lambda d, v: choice(d)["improvementPlan"].update(displayText=v),
            f"{C0}.improvementPlan.displayText",
        ),
        (
            lambda d, v: question(d).update(helpfulResource={"displayText": v}),
            f"{Q}.helpfulResource.displayText",
        ),
    ],
)
def test_text_limits(setter: Callable[[dict[str, Any], str], None], path: str) -> None:
    assert validate_lens_document(lens(lambda d: setter(d, "t" * 1024))) == []
    soft = lens(lambda d: setter(d, "t" * 1025))
    assert errors(soft) == []
    assert [w[0] for w in warnings(soft)] == [path]
    assert errors(lens(lambda d: setter(d, "t" * 2048))) == []
    assert one_error(lens(lambda d: setter(d, "t" * 2049))) == (
        path,
        "2049 characters: at most 2048",
    )


def test_question_description_is_optional_and_may_be_empty() -> None:
    assert validate_lens_document(lens(lambda d: question(d).pop("description"))) == []
    assert validate_lens_document(lens(lambda d: question(d).update(description=""))) == []


def test_improvement_plan_required_except_on_a_none_choice() -> None:
    doc = lens(lambda d: choice(d).pop("improvementPlan"))
    assert one_error(doc) == (
        f"{C0}.improvementPlan",
        'missing (required except on a "None of these" choice)',
    )
    # The "None of these" choice (id ending in _no) needs none; it may still have one.
    plan = {"displayText": "Adopt a practice"}
    assert errors(lens(lambda d: question(d)["choices"][1].update(improvementPlan=plan))) == []


def test_none_title_without_no_suffix_is_a_warning() -> None:
    def rename(d: dict[str, Any]) -> None:
        none = question(d)["choices"][1]
        none["id"] = "ops_runbooks_none"
        none["improvementPlan"] = {"displayText": "Pick a practice"}
        question(d)["riskRules"][0]["condition"] = "ops_rb_written && !ops_runbooks_none"

    doc = lens(rename)
    assert errors(doc) == []
    assert warnings(doc) == [
        (
            f"{Q}.choices[1].id",
            "'None of these' reads as \"None of these\" but the id does not end in _no: the WA "
            "Tool treats it as an ordinary practice",
        )
    ]


def test_resource_display_text_required() -> None:
    doc = lens(lambda d: choice(d)["helpfulResource"].pop("displayText"))
    assert one_error(doc) == (f"{C0}.helpfulResource.displayText", "missing (required)")
    doc = lens(lambda d: choice(d).update(improvementPlan="Write runbooks"))
    assert one_error(doc) == (f"{C0}.improvementPlan", "expected an object, found a string")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", 'empty url: leave the key out rather than send ""'),
        ("ftp://example.com/x", "'ftp://example.com/x' does not start with http:// or https://"),
        ("www.example.com", "'www.example.com' does not start with http:// or https://"),
        ("javascript:alert(1)", "'javascript:alert(1)' does not start with http:// or https://"),
        (7, "expected a string, found a number (7)"),
        (None, "expected a string, found null"),
    ],
)
def test_url_violations(url: object, message: str) -> None:
    doc = lens(lambda d: choice(d)["helpfulResource"].update(url=url))
    assert one_error(doc) == (f"{C0}.helpfulResource.url", message)


def test_url_length_limit() -> None:
    base = "https://example.com/"
    ok = base + "a" * (2048 - len(base))
    assert errors(lens(lambda d: choice(d)["helpfulResource"].update(url=ok))) == []
    doc = lens(lambda d: choice(d)["helpfulResource"].update(url=ok + "a"))
    assert one_error(doc) == (f"{C0}.helpfulResource.url", "2049 characters: at most 2048")
    assert errors(lens(lambda d: choice(d)["helpfulResource"].update(url="http://x"))) == []


# --- additional resources --------------------------------------------------------------------------


def _links(n: int) -> list[dict[str, str]]:
    return [{"displayText": f"Link {i}", "url": f"https://example.com/{i}"} for i in range(n)]


def test_additional_resources_item_limits() -> None:
    def extra(n: int) -> dict[str, Any]:
        entry = {"type": "HELPFUL_RESOURCE", "content": _links(n)}
        return lens(lambda d: choice(d).update(additionalResources=[entry]))

    assert validate_lens_document(extra(5)) == []
    assert errors(extra(1)) == []
    path = f"{C0}.additionalResources[0].content"
    assert one_error(extra(6)) == (path, "6 items: at most 5")
    assert one_error(extra(0)) == (path, "empty: at least 1 item")


def test_additional_resources_one_entry_per_type() -> None:
    entries = [
        {"type": "IMPROVEMENT_PLAN", "content": _links(1)},
        {"type": "HELPFUL_RESOURCE", "content": _links(1)},
    ]
    assert errors(lens(lambda d: choice(d).update(additionalResources=entries))) == []
    twice = [*entries, {"type": "HELPFUL_RESOURCE", "content": _links(2)}]
    doc = lens(lambda d: choice(d).update(additionalResources=twice))
    path = f"{C0}.additionalResources"
    assert one_error(doc) == (
        f"{path}[2].type",
        f"a second HELPFUL_RESOURCE entry (the first is {path}[1]): at most one entry per type; "
        "put every link in one content list",
    )


def test_additional_resources_type_and_shape() -> None:
    path = f"{C0}.additionalResources"
    bad = [{"type": "LINK", "content": _links(1)}]
    assert one_error(lens(lambda d: choice(d).update(additionalResources=bad))) == (
        f"{path}[0].type",
        "'LINK': must be HELPFUL_RESOURCE or IMPROVEMENT_PLAN",
    )
    assert one_error(lens(lambda d: choice(d).update(additionalResources={}))) == (
        path,
        "expected a list, found an object",
    )
    missing = [{"content": _links(1)}]
    assert one_error(lens(lambda d: choice(d).update(additionalResources=missing)))[0] == (
        f"{path}[0].type"
    )


# --- risk rules ------------------------------------------------------------------------------------


def rules(*pairs: tuple[str, str]) -> dict[str, Any]:
    new = [{"condition": c, "risk": r} for c, r in pairs]
    return lens(lambda d: question(d).update(riskRules=new))


def test_three_rules_one_per_level_are_valid() -> None:
    doc = rules(
        ("ops_rb_written && !ops_runbooks_no", "NO_RISK"),
        ("ops_rb_written", "MEDIUM_RISK"),
        ("default", "HIGH_RISK"),
    )
    assert validate_lens_document(doc) == []


def test_rule_syntax_error_with_column() -> None:
    doc = rules(("ops_rb_written &&", "NO_RISK"), ("default", "HIGH_RISK"))
    assert one_error(doc) == (
        f"{R}[0].condition",
        "'ops_rb_written &&': condition ends too early: a choice id is missing at column 18",
    )
    doc = rules(("ops_rb_written & x", "NO_RISK"), ("default", "HIGH_RISK"))
    assert one_error(doc) == (
        f"{R}[0].condition",
        "'ops_rb_written & x': '&' must be written '&&' at column 16",
    )
    doc = rules(("(ops_rb_written", "NO_RISK"), ("default", "HIGH_RISK"))
    assert one_error(doc)[1].endswith("missing ')' at column 16")
    doc = rules(("", "NO_RISK"), ("default", "HIGH_RISK"))
    assert one_error(doc)[1].startswith("'': empty condition")


def test_rule_unknown_choice_id() -> None:
    doc = rules(("ops_rb_writen && !ops_runbooks_no", "NO_RISK"), ("default", "HIGH_RISK"))
    assert one_error(doc) == (
        f"{R}[0].condition",
        "'ops_rb_writen' is not a choice of this question (did you mean 'ops_rb_written'?)",
    )


def test_one_rule_per_risk_level() -> None:
    doc = rules(
        ("ops_rb_written", "NO_RISK"),
        ("!ops_rb_written", "NO_RISK"),
        ("default", "HIGH_RISK"),
    )
    assert one_error(doc) == (
        f"{R}[1].risk",
        f"a second NO_RISK rule (the first is {R}[0]): at most one rule per risk level (join the "
        "conditions with ||)",
    )


def test_more_than_three_rules() -> None:
    doc = rules(
        ("ops_rb_written", "NO_RISK"),
        ("ops_runbooks_no", "MEDIUM_RISK"),
        ("!ops_rb_written", "HIGH_RISK"),
        ("default", "HIGH_RISK"),
    )
    found = errors(doc)
    assert (R, "4 rules: at most 3") in found
    assert (
        f"{R}[3].risk",
        f"a second HIGH_RISK rule (the first is {R}[2]): at most one rule per "
        "risk level (join the conditions with ||)",
    ) in found


def test_default_rule_required_and_last() -> None:
    doc = rules(("ops_rb_written", "NO_RISK"), ("!ops_rb_written", "HIGH_RISK"))
    assert one_error(doc) == (
        R,
        'no "default" rule: end the rules with {"condition": "default", "risk": ...}',
    )
    doc = rules(("default", "HIGH_RISK"), ("ops_rb_written", "NO_RISK"))
    assert one_error(doc) == (
        f"{R}[0].condition",
        '"default" must be the last rule: the rules after it never apply',
    )
    assert one_error(rules()) == (R, "empty: at least 1 rule")


def test_rule_risk_values() -> None:
    doc = rules(("ops_rb_written", "LOW_RISK"), ("default", "HIGH_RISK"))
    assert one_error(doc) == (f"{R}[0].risk", "'LOW_RISK': must be NO_RISK, MEDIUM_RISK, HIGH_RISK")
    doc = lens(lambda d: question(d)["riskRules"][0].pop("risk"))
    assert one_error(doc) == (f"{R}[0].risk", "missing (required: NO_RISK, MEDIUM_RISK, HIGH_RISK)")


@pytest.mark.parametrize(
    "condition",
    [" && ".join(["ops_rb_written"] * 5000), "(" * 3000 + "ops_rb_written" + ")" * 3000],
)
def test_condition_too_deep_to_read_is_an_error_not_a_crash(condition: str) -> None:
    doc = rules((condition, "NO_RISK"), ("default", "HIGH_RISK"))
    path, message = one_error(doc)
    assert path == f"{R}[0].condition"
    assert "...': " in message
    assert (
        "nested more than 200 levels deep" in message or "more than 200 operators deep" in message
    )


def test_only_default_rule_is_valid() -> None:
    assert errors(rules(("default", "MEDIUM_RISK"))) == []


# --- the text: size, JSON syntax, NaN, duplicates ----------------------------------------------


def test_size_at_the_limit_is_valid_one_over_is_not() -> None:
    at_limit = lens_text_of_size(500_000)
    assert len(at_limit.encode("utf-8")) == 500_000
    assert validate_lens_text(at_limit) == []
    over = lens_text_of_size(500_001)
    assert validate_lens_text(over) == [
        LensProblem("", "500,001 bytes (UTF-8): a lens is at most 500,000 bytes")
    ]


def test_densest_lens_at_the_size_limit_is_valid() -> None:
    assert validate_lens_text(dense_lens_text_of_size(500_000)) == []
    assert [p.message for p in validate_lens_text(dense_lens_text_of_size(500_001))] == [
        "500,001 bytes (UTF-8): a lens is at most 500,000 bytes"
    ]


def test_size_is_counted_in_utf8_bytes_not_characters() -> None:
    text = lens_text_of_size(500_000)
    # One "x" becomes one three-byte character: the same number of characters, two bytes more.
    japanese = text.replace("x", "日", 1)
    assert len(japanese) == len(text)
    assert validate_lens_text(japanese) == [
        LensProblem("", "500,002 bytes (UTF-8): a lens is at most 500,000 bytes")
    ]
    # Three "x" become one such character: the same bytes, fewer characters: still valid.
    assert validate_lens_text(text.replace("xxx", "日", 1)) == []


def test_document_size_defaults_to_its_compact_json() -> None:
    doc = json.loads(lens_text_of_size(500_000))
    # The indented text is exactly at the limit; compact, the document is smaller.
    assert validate_lens_document(doc) == []
    assert validate_lens_document(doc, size=500_001)[0].message.startswith("500,001 bytes")
    dense = json.loads(dense_lens_text_of_size(500_000))
    assert validate_lens_document(dense) == []
    over = json.loads(dense_lens_text_of_size(500_001))
    assert [p.message for p in validate_lens_document(over)] == [
        "500,001 bytes (UTF-8): a lens is at most 500,000 bytes"
    ]


def test_json_syntax_error_has_line_and_column() -> None:
    text = '{\n  "name": "x",\n  "pillars": [1,]\n}\n'
    [problem] = validate_lens_text(text)
    assert (problem.line, problem.column) == (3, 17)
    assert problem.severity == "error"
    assert problem.message == "not valid JSON: Expecting value (line 3, column 17)"
    with pytest.raises(LensSyntaxError) as info:
        parse_lens_text(text)
    assert (info.value.line, info.value.column, info.value.message) == (3, 17, "Expecting value")


@pytest.mark.parametrize("text", ["", "   ", "[" * 100_000, '{"a": 1' + "0" * 5000 + "}"])
def test_unparseable_texts_are_one_problem(text: str) -> None:
    problems = validate_lens_text(text)
    assert len(problems) == 1
    assert problems[0].message.startswith("not valid JSON")


def test_nan_in_the_text() -> None:
    text = json.dumps(minimal_lens()).replace('"Runbooks are written"', "NaN")
    assert [(p.path, p.message) for p in validate_lens_text(text)] == [
        (f"{C0}.title", "expected a string, found NaN")
    ]
    # Where no string is expected (an unknown key), NaN is still not JSON.
    text = json.dumps(minimal_lens())[:-1] + ', "extra": -Infinity}'
    assert [(p.path, p.severity, p.message) for p in validate_lens_text(text)] == [
        ("extra", "error", "-Infinity is not valid JSON (write a string or leave the key out)"),
        ("extra", "warning", "unknown key: the WA Tool ignores it"),
    ]


def test_duplicate_keys_are_warnings() -> None:
    text = json.dumps(minimal_lens()).replace(
        '"title": "Runbooks are written"', '"title": "First", "title": "Runbooks are written"'
    )
    assert [(p.path, p.severity, p.message) for p in validate_lens_text(text)] == [
        (f"{C0}.title", "warning", "duplicate key: only the last value is used")
    ]


def test_byte_order_mark_is_a_warning() -> None:
    problems = validate_lens_text("\ufeff" + json.dumps(minimal_lens()))
    assert [(p.path, p.severity) for p in problems] == [("", "warning")]


def test_unpaired_surrogate_is_an_error() -> None:
    text = json.dumps(minimal_lens()).replace("Runbooks are written", "Runbooks \\ud800")
    assert [(p.path, p.message) for p in validate_lens_text(text)] == [
        (f"{C0}.title", "contains an unpaired surrogate (\\ud800): not Unicode text")
    ]


def test_wrong_container_types() -> None:
    assert one_error(lens(lambda d: d["pillars"].__setitem__(0, "ops"))) == (
        "pillars[0]",
        "expected an object, found a string",
    )
    assert one_error(lens(lambda d: question(d)["choices"].__setitem__(1, 3))) == (
        f"{Q}.choices[1]",
        "expected an object, found a number (3)",
    )


def test_every_problem_is_listed_not_only_the_first() -> None:
    def break_many(d: dict[str, Any]) -> None:
        d["name"] = "n" * 200
        choice(d).pop("improvementPlan")
        choice(d)["helpfulResource"]["url"] = ""
        question(d)["riskRules"] = [{"condition": "nope", "risk": "NO_RISK"}]

    paths = [p for p, _ in errors(lens(break_many))]
    assert paths == [
        "name",
        f"{C0}.helpfulResource.url",
        f"{C0}.improvementPlan",
        f"{R}[0].condition",
        R,
    ]


def test_problem_format_and_dict() -> None:
    problem = LensProblem("pillars[0].name", "empty (required)")
    assert problem.format() == "pillars[0].name: empty (required)"
    assert LensProblem("", "too big").format() == "too big"
    assert problem.as_dict() == {
        "severity": "error",
        "path": "pillars[0].name",
        "message": "empty (required)",
    }
