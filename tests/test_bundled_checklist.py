"""The bundled checklist as a launch bar: calibrated risk, sources and links, size and shape.

Measured over the exported lens (`lenses/orr_launch.json`) with a small evaluator of the lens
risk rules written here (``&&``, ``||``, ``!``, parentheses, ``default``), independent of orr's
own rule parser, so that a bug there cannot hide a miscalibrated checklist. The checklist side
(references, tiers, markers, comments) is read from the TOML files with the standard library.
See docs/bundled-checklist.md for how the rules are judged.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHECKLISTS = REPO / "checklists"
MANIFEST = CHECKLISTS / "orr.toml"
LENS = REPO / "lenses" / "orr_launch.json"

NO, MEDIUM, HIGH = "NO_RISK", "MEDIUM_RISK", "HIGH_RISK"
MAX_HIGH_SHARE = 0.35  # of single omissions (every practice selected but one)
MAX_ALL_OR_NOTHING = 5
# A question, pillar or lens as parsed from JSON or TOML.
Json = dict[str, Any]
BEST_PRACTICE_ID = re.compile(r"^(OPS|SEC|REL|PERF|COST|SUS)\d{2}-BP\d{2}$")
# OPS07-BP02 and the related practices its page names: the core tier must cover them all.
ORR_PRACTICES = {
    "OPS07-BP02",
    "OPS01-BP03",
    "OPS01-BP04",
    "OPS03-BP07",
    "OPS06-BP01",
    "OPS07-BP01",
    "SEC01-BP03",
    "REL13-BP01",
    "COST02-BP01",
}


# --- a tiny evaluator of lens risk-rule conditions -------------------------------------------

Selection = frozenset[str]
Condition = Callable[[Selection], bool]
_TOKEN = re.compile(r"\s*(?:(&&|\|\||!|\(|\))|([A-Za-z0-9_]+))")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"cannot read {text!r} at {pos}")
        out.append(m.group(1) or m.group(2))
        pos = m.end()
    return out


def condition(text: str) -> Condition:
    """``default`` or an expression: ``||`` binds loosest, then ``&&``, then ``!``."""
    if text.strip() == "default":
        return lambda _: True
    tokens = _tokens(text)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take(expected: str | None = None) -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(f"{text!r} ends early")
        token = tokens[pos]
        if expected is not None and token != expected:
            raise ValueError(f"{text!r}: expected {expected!r}, found {token!r}")
        pos += 1
        return token

    def any_of() -> Condition:
        parts = [all_of()]
        while peek() == "||":
            take()
            parts.append(all_of())
        return parts[0] if len(parts) == 1 else (lambda s: any(p(s) for p in parts))

    def all_of() -> Condition:
        parts = [negation()]
        while peek() == "&&":
            take()
            parts.append(negation())
        return parts[0] if len(parts) == 1 else (lambda s: all(p(s) for p in parts))

    def negation() -> Condition:
        if peek() == "!":
            take()
            inner = negation()
            return lambda s: not inner(s)
        if peek() == "(":
            take()
            inner = any_of()
            take(")")
            return inner
        name = take()
        if name in {"&&", "||", ")", "default"}:
            raise ValueError(f"{text!r}: unexpected {name!r}")
        return lambda s: name in s

    result = any_of()
    if pos != len(tokens):
        raise ValueError(f"{text!r}: unexpected {tokens[pos]!r}")
    return result


def risk_of(question: Json, selected: set[str] | frozenset[str]) -> str:
    """WA semantics: the first true rule, in order, sets the risk."""
    chosen = frozenset(selected)
    for rule in question["riskRules"]:
        if condition(rule["condition"])(chosen):
            risk = rule["risk"]
            assert isinstance(risk, str), rule
            return risk
    raise AssertionError(f"{question['id']}: no rule applies to {sorted(chosen)}")


def none_id(question: Json) -> str:
    return f"{question['id']}_no"


def practices(question: Json) -> list[str]:
    return [c["id"] for c in question["choices"] if c["id"] != none_id(question)]


def single_omissions(question: Json) -> dict[str, str]:
    """The risk with every practice selected but one, per omitted practice."""
    every = set(practices(question))
    return {p: risk_of(question, every - {p}) for p in every}


def is_pass_high(question: Json) -> bool:
    """All practices -> no risk, and leaving out any one of them -> HIGH."""
    every = practices(question)
    return (
        len(every) >= 2
        and risk_of(question, set(every)) == NO
        and all(r == HIGH for r in single_omissions(question).values())
    )


# --- the two sides: the exported lens and the checklist files ---------------------------------


@cache
def lens() -> Json:
    data = json.loads(LENS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def lens_questions() -> Iterator[tuple[Json, Json]]:
    for pillar in lens()["pillars"]:
        for question in pillar["questions"]:
            yield pillar, question


@dataclass(frozen=True)
class SourceQuestion:
    spec: Json
    pillar: str
    file: Path
    all_or_nothing_comment: bool


def _source_files(path: Path, seen: set[Path]) -> Iterator[Path]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for pattern in data.get("include", []):
        for match in sorted(path.parent.glob(pattern)):
            if match not in seen:
                seen.add(match)
                yield match
                yield from _source_files(match, seen)


def _marker_comments(path: Path) -> dict[str, bool]:
    """For each question with ``all_or_nothing = true``: is there a comment saying why (on the
    line itself or right above it)?"""
    lines = path.read_text(encoding="utf-8").splitlines()
    current: str | None = None
    in_question = False
    out: dict[str, bool] = {}
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[["):
            in_question = stripped == "[[pillars.questions]]"
        m = re.match(r'id\s*=\s*"([^"]+)"', stripped)
        if in_question and m:
            current = m.group(1)
        if re.match(r"all_or_nothing\s*=\s*true\b", stripped) and current is not None:
            same_line = "#" in stripped
            above = i > 0 and lines[i - 1].strip().startswith("#")
            out[current] = same_line or above
    return out


@cache
def source_questions() -> dict[str, SourceQuestion]:
    out: dict[str, SourceQuestion] = {}
    for path in _source_files(MANIFEST, set()):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        comments = _marker_comments(path)
        for pillar in data.get("pillars", []):
            for spec in pillar.get("questions", []):
                out[spec["id"]] = SourceQuestion(
                    spec, pillar["id"], path, comments.get(spec["id"], False)
                )
    return out


def core_ids() -> set[str]:
    return {qid for qid, q in source_questions().items() if "core" in q.spec.get("tiers", [])}


def severity(qid: str) -> str:
    value = source_questions()[qid].spec.get("severity", "high")
    assert isinstance(value, str), (qid, value)
    return value


# --- the evaluator itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "selected", "expected"),
    [
        ("default", set(), True),
        ("a", {"a"}, True),
        ("!a", {"a"}, False),
        ("a && b", {"a"}, False),
        ("a || b", {"b"}, True),
        ("!a && b || c", {"a", "c"}, True),  # ((!a) && b) || c
        ("!a && b || c", {"a", "b"}, False),
        ("!(a || b) && c", {"c"}, True),
        ("!(a || b) && c", {"b", "c"}, False),
        ("a && (b || !c)", {"a"}, True),
        ("a && (b || !c)", {"a", "c"}, False),
        ("!!a", {"a"}, True),
    ],
)
def test_the_evaluator_reads_the_lens_rule_grammar(
    text: str, selected: set[str], expected: bool
) -> None:
    assert condition(text)(frozenset(selected)) is expected


@pytest.mark.parametrize("text", ["a &&", "(a || b", "a b", "a & b", "|| a", "a)"])
def test_the_evaluator_refuses_what_is_not_a_condition(text: str) -> None:
    with pytest.raises(ValueError):
        condition(text)


# --- the calibration targets -----------------------------------------------------------------


def test_every_practice_selected_gives_no_risk_and_none_of_these_never_does() -> None:
    for _, question in lens_questions():
        assert risk_of(question, set(practices(question))) == NO, question["id"]
        assert risk_of(question, {none_id(question)}) in {MEDIUM, HIGH}, question["id"]
        assert risk_of(question, set()) in {MEDIUM, HIGH}, question["id"]


def test_at_most_35_percent_of_single_omissions_give_high() -> None:
    outcomes = [r for _, q in lens_questions() for r in single_omissions(q).values()]
    high = sum(r == HIGH for r in outcomes)
    share = high / len(outcomes)
    assert share <= MAX_HIGH_SHARE, (
        f"{high} of {len(outcomes)} single omissions ({share:.0%}) give HIGH_RISK; "
        f"at most {MAX_HIGH_SHARE:.0%} may: judge which practices really block the launch"
    )


def test_all_or_nothing_questions_are_few_marked_and_explained() -> None:
    pass_high = {q["id"] for _, q in lens_questions() if is_pass_high(q)}
    marked = {qid for qid, q in source_questions().items() if q.spec.get("all_or_nothing")}
    assert pass_high == marked, (
        "a question where every practice blocks must say so with all_or_nothing = true, and "
        f"only those: unmarked {sorted(pass_high - marked)}, marked but not all-or-nothing "
        f"{sorted(marked - pass_high)}"
    )
    assert len(marked) <= MAX_ALL_OR_NOTHING, sorted(marked)
    unexplained = [qid for qid in marked if not source_questions()[qid].all_or_nothing_comment]
    assert unexplained == [], "each all_or_nothing = true needs a comment saying why"


def test_medium_questions_never_block_and_high_questions_can() -> None:
    for _, question in lens_questions():
        worst = risk_of(question, set())
        assert worst == (HIGH if severity(question["id"]) == "high" else MEDIUM), question["id"]


def test_practices_that_may_never_be_waived_are_few_and_are_blockers() -> None:
    by_id = {q["id"]: q for _, q in lens_questions()}
    never = [
        (qid, c["id"])
        for qid, q in source_questions().items()
        for c in q.spec.get("choices", [])
        if c.get("waivable") is False
    ]
    assert 1 <= len(never) <= 8, never
    for qid, cid in never:
        assert single_omissions(by_id[qid])[cid] == HIGH, (qid, cid)


# --- sources and links -------------------------------------------------------------------------


def test_every_question_has_an_https_helpful_resource() -> None:
    missing = [
        q["id"]
        for _, q in lens_questions()
        if not str(q.get("helpfulResource", {}).get("url", "")).startswith("https://")
    ]
    assert missing == []


def test_each_link_names_the_best_practice_the_question_cites_first() -> None:
    for _, q in lens_questions():
        first = source_questions()[q["id"]].spec.get("references", [""])[0]
        assert first in q["helpfulResource"]["displayText"], (q["id"], first)


def test_every_question_cites_a_best_practice_id() -> None:
    for qid, q in source_questions().items():
        refs = q.spec.get("references", [])
        assert any(BEST_PRACTICE_ID.match(r) for r in refs), (qid, refs)
        if q.spec.get("incidents") or "incidents" in q.file.parts:
            assert q.spec.get("incidents"), f"{qid}: a learning keeps its incident ids"


# --- size and shape ----------------------------------------------------------------------------


def test_the_lens_is_the_export_of_these_checklist_files() -> None:
    assert {q["id"] for _, q in lens_questions()} == set(source_questions())


def test_size_and_lens_limits() -> None:
    pillars = lens()["pillars"]
    questions = [q for _, q in lens_questions()]
    assert 6 <= len(pillars) <= 10
    assert 60 <= len(questions) <= 80
    for pillar in pillars:
        assert 1 <= len(pillar["questions"]) <= 20, pillar["id"]
    for question in questions:
        assert len(question["title"]) <= 128, question["id"]
        assert 2 <= len(question["choices"]) <= 15, question["id"]
        for choice in question["choices"]:
            assert len(choice["id"]) <= 64 and len(choice["title"]) <= 128, choice["id"]


def test_the_core_tier_is_short_and_covers_the_launch_blockers() -> None:
    core = core_ids()
    assert 1 <= len(core) <= 30
    cited = {r for qid in core for r in source_questions()[qid].spec.get("references", [])}
    assert ORR_PRACTICES <= cited, sorted(ORR_PRACTICES - cited)
    pillars = {q.pillar for q in source_questions().values()}
    for pillar in pillars:
        in_pillar = [qid for qid, q in source_questions().items() if q.pillar == pillar]
        assert any(qid in core for qid in in_pillar), f"pillar {pillar} has no core question"
        if any(severity(qid) == "high" for qid in in_pillar):
            assert any(qid in core and severity(qid) == "high" for qid in in_pillar), pillar


def test_example_incidents_stay_marked_as_fictional_and_outside_the_core() -> None:
    examples = sorted((CHECKLISTS / "incidents").glob("*.toml"))
    assert examples
    core = core_ids()
    for path in examples:
        text = path.read_text(encoding="utf-8")
        assert "FICTIONAL" in text and "EXAMPLE" in text, path.name
        ids = {qid for qid, q in source_questions().items() if q.file == path}
        assert ids and not ids & core, (path.name, sorted(ids & core))
