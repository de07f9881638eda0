"""The risk-rule language: tokenizer, parser, printer, evaluator and truth tables."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orr.checklist.rules import (
    And,
    Default,
    Expr,
    Not,
    Or,
    ParsedRule,
    Risk,
    RuleSyntaxError,
    Var,
    evaluate,
    first_match,
    parse,
    to_text,
    truth_table,
    variables,
)

NAMES = ["a", "b", "c", "d", "q_no"]


def exprs() -> st.SearchStrategy[Expr]:
    leaves = st.sampled_from(NAMES).map(Var)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            inner.map(Not),
            st.tuples(inner, inner).map(lambda t: And(*t)),
            st.tuples(inner, inner).map(lambda t: Or(*t)),
        ),
        max_leaves=12,
    )


def reference(expr: Expr, chosen: set[str]) -> bool:
    """An independent evaluation through Python's own operators."""
    match expr:
        case Var(name):
            return name in chosen
        case Not(operand):
            return not reference(operand, chosen)
        case And(left, right):
            return reference(left, chosen) and reference(right, chosen)
        case Or(left, right):
            return reference(left, chosen) or reference(right, chosen)
        case Default():
            return True
    raise AssertionError(expr)


@settings(max_examples=200, deadline=None)
@given(exprs())
def test_print_parse_round_trip(expr: Expr) -> None:
    text = to_text(expr)
    again = parse(text)
    # Same meaning on every selection (printing may drop redundant grouping of && and ||).
    for r in range(len(NAMES) + 1):
        for combo in itertools.combinations(NAMES, r):
            assert evaluate(again, set(combo)) == reference(expr, set(combo))
    assert to_text(again) == text


@settings(max_examples=200, deadline=None)
@given(exprs(), st.sets(st.sampled_from(NAMES)))
def test_evaluator_agrees_with_reference(expr: Expr, chosen: set[str]) -> None:
    assert evaluate(expr, chosen) == reference(expr, chosen)


@settings(max_examples=100, deadline=None)
@given(exprs())
def test_truth_table_agrees_with_evaluator(expr: Expr) -> None:
    index = {n: i for i, n in enumerate(NAMES)}
    table = truth_table(expr, index, len(NAMES))
    for s in range(1 << len(NAMES)):
        chosen = {n for n, i in index.items() if s >> i & 1}
        assert bool(table >> s & 1) == evaluate(expr, chosen)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("!a && b || c", Or(And(Not(Var("a")), Var("b")), Var("c"))),
        ("a || b && c", Or(Var("a"), And(Var("b"), Var("c")))),
        ("!a || !b", Or(Not(Var("a")), Not(Var("b")))),
        ("!(a || b)", Not(Or(Var("a"), Var("b")))),
        ("a && b && c", And(And(Var("a"), Var("b")), Var("c"))),
        ("(a || b) && c", And(Or(Var("a"), Var("b")), Var("c"))),
        ("!!a", Not(Not(Var("a")))),
        ("  a&&b  ", And(Var("a"), Var("b"))),
        ("default", Default()),
    ],
)
def test_precedence(text: str, tree: Expr) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("a &&", 5, "ends too early"),
        ("(a || b", 8, "missing ')'"),
        ("a b", 3, "expected && or ||"),
        ("a & b", 3, "'&' must be written '&&'"),
        ("a | b", 3, "'|' must be written '||'"),
        ("default || a", 9, "'default' stands alone"),
        ("a || default", 6, "'default' stands alone"),
        ("", 1, "empty condition"),
        ("a)", 2, "unbalanced ')'"),
        ("a && $b", 6, "unexpected character '$'"),
        ("&& a", 1, "expected a choice id"),
    ],
)
def test_syntax_errors_carry_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    assert info.value.column == column
    assert message in info.value.message


def test_first_true_rule_wins() -> None:
    rules = [
        ParsedRule(parse("a && b"), Risk.NO_RISK, "a && b"),
        ParsedRule(parse("a"), Risk.MEDIUM_RISK, "a"),
        ParsedRule(Default(), Risk.HIGH_RISK, "default"),
    ]
    assert first_match(rules, {"a", "b"}) == Risk.NO_RISK
    assert first_match(rules, {"a"}) == Risk.MEDIUM_RISK
    assert first_match(rules, {"b"}) == Risk.HIGH_RISK
    assert first_match(rules[:2], set()) is None


def test_variables_in_order() -> None:
    assert variables(parse("c && (a || !c) && b")) == ["c", "a", "b"]


def test_no_eval_of_python() -> None:
    with pytest.raises(RuleSyntaxError):
        parse("__import__('os')")


def test_huge_conditions_are_refused_not_crashed() -> None:
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse("(" * 5000 + "a" + ")" * 5000)
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse("!" * 5000 + "a")
    with pytest.raises(RuleSyntaxError, match="operators deep"):
        parse(" && ".join(f"c{i}" for i in range(3000)))
    assert variables(parse(" && ".join(f"c{i}" for i in range(150)))) == [
        f"c{i}" for i in range(150)
    ]
