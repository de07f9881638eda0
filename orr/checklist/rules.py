"""Risk rules: a tokenizer and a recursive-descent parser for the Well-Architected condition language.

Grammar (precedence from tightest to loosest: ``!`` > ``&&`` > ``||``)::

    condition := "default" | or_expr
    or_expr   := and_expr ( "||" and_expr )*
    and_expr  := unary ( "&&" unary )*
    unary     := "!" unary | primary
    primary   := CHOICE_ID | "(" or_expr ")"

Rules are evaluated in order and the first true condition sets the risk (WA semantics). Nothing
here uses ``eval``. Truth tables over every selection are computed with integer bitsets: bit ``s``
of a table is the value of the expression for the selection whose choice set is the bits of ``s``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from orr.i18n import N_, _


class Risk(StrEnum):
    """A risk level of the Well-Architected Tool, least risky first."""

    NO_RISK = "NO_RISK"
    MEDIUM_RISK = "MEDIUM_RISK"
    HIGH_RISK = "HIGH_RISK"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]

    @property
    def label(self) -> str:
        return _(_RISK_LABEL[self])


_RISK_RANK = {Risk.NO_RISK: 0, Risk.MEDIUM_RISK: 1, Risk.HIGH_RISK: 2}
_RISK_LABEL = {
    Risk.NO_RISK: N_("no risk"),
    Risk.MEDIUM_RISK: N_("medium"),
    Risk.HIGH_RISK: N_("high"),
}


class RuleSyntaxError(ValueError):
    """A condition that does not parse; ``column`` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(_("column {column}: {message}").format(column=column, message=message))
        self.message = message
        self.column = column


# --- AST ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Default:
    pass


Expr = Var | Not | And | Or | Default


# --- tokenizer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # "id", "!", "&&", "||", "(", ")", "end"
    text: str
    column: int  # 1-based


_TOKEN = re.compile(r"\s*(?:(?P<id>[A-Za-z0-9_]+)|(?P<op>&&|\|\||[()!]))")
MAX_DEPTH = 200  # nesting of !, && / || operands and parentheses; deeper is refused, not a crash


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while True:
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j >= n:
                break
            ch = text[j]
            col = j + 1
            if ch == "&":
                raise RuleSyntaxError(_("'&' must be written '&&'"), col)
            if ch == "|":
                raise RuleSyntaxError(_("'|' must be written '||'"), col)
            raise RuleSyntaxError(
                _(
                    "unexpected character {character!r} (use choice ids, !, &&, ||, parentheses)"
                ).format(character=ch),
                col,
            )
        kind = "id" if m.group("id") is not None else m.group("op")
        start = m.start("id") if kind == "id" else m.start("op")
        tokens.append(Token(kind, m.group(kind if kind == "id" else "op"), start + 1))
        i = m.end()
    tokens.append(Token("end", "", n + 1))
    return tokens


# --- parser ------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0
        self.depth = 0

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleSyntaxError(
                _("nested more than {levels} levels deep: simplify the condition").format(
                    levels=MAX_DEPTH
                ),
                self.peek().column,
            )

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Expr:
        first = self.peek()
        if first.kind == "end":
            raise RuleSyntaxError(
                _("empty condition (write a condition or 'default')"), first.column
            )
        if first.kind == "id" and first.text == "default":
            self.take()
            if self.peek().kind != "end":
                raise RuleSyntaxError(
                    _("'default' stands alone; it cannot be combined"), self.peek().column
                )
            return Default()
        expr = self.or_expr()
        tok = self.peek()
        if tok.kind != "end":
            if tok.kind == ")":
                raise RuleSyntaxError(_("unbalanced ')'"), tok.column)
            raise RuleSyntaxError(
                _("expected && or || before {token!r}").format(token=tok.text), tok.column
            )
        return expr

    def or_expr(self) -> Expr:
        left = self.and_expr()
        while self.peek().kind == "||":
            self.take()
            left = Or(left, self.and_expr())
        return left

    def and_expr(self) -> Expr:
        left = self.unary()
        while self.peek().kind == "&&":
            self.take()
            left = And(left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.peek().kind == "!":
            self.take()
            self.enter()
            operand = self.unary()
            self.depth -= 1
            return Not(operand)
        return self.primary()

    def primary(self) -> Expr:
        tok = self.take()
        if tok.kind == "id":
            if tok.text == "default":
                raise RuleSyntaxError(
                    _("'default' stands alone; it cannot be combined"), tok.column
                )
            return Var(tok.text)
        if tok.kind == "(":
            self.enter()
            inner = self.or_expr()
            self.depth -= 1
            close = self.take()
            if close.kind != ")":
                raise RuleSyntaxError(_("missing ')'"), close.column)
            return inner
        if tok.kind == "end":
            raise RuleSyntaxError(_("condition ends too early: a choice id is missing"), tok.column)
        raise RuleSyntaxError(
            _("expected a choice id or '(' but found {token!r}").format(token=tok.text),
            tok.column,
        )


def depth(expr: Expr) -> int:
    """The height of the expression tree (computed without recursion)."""
    best = 0
    stack: list[tuple[Expr, int]] = [(expr, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        if isinstance(node, Not):
            stack.append((node.operand, d + 1))
        elif isinstance(node, And | Or):
            stack.append((node.left, d + 1))
            stack.append((node.right, d + 1))
    return best


def parse(text: str) -> Expr:
    """Parse a condition. Raises :class:`RuleSyntaxError` with a 1-based column."""
    expr = _Parser(text).parse()
    if depth(expr) > MAX_DEPTH:
        raise RuleSyntaxError(
            _("more than {levels} operators deep: split or simplify the condition").format(
                levels=MAX_DEPTH
            ),
            1,
        )
    return expr


# --- printing ----------------------------------------------------------------------------------

_PREC = {"or": 1, "and": 2, "not": 3, "atom": 4}


def _prec(expr: Expr) -> int:
    if isinstance(expr, Or):
        return _PREC["or"]
    if isinstance(expr, And):
        return _PREC["and"]
    if isinstance(expr, Not):
        return _PREC["not"]
    return _PREC["atom"]


def to_text(expr: Expr) -> str:
    """Print with the fewest parentheses that keep the meaning (left-associative operators)."""
    if isinstance(expr, Default):
        return "default"
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Not):
        inner = to_text(expr.operand)
        return f"!{inner}" if _prec(expr.operand) >= _PREC["not"] else f"!({inner})"
    op = "||" if isinstance(expr, Or) else "&&"
    mine = _prec(expr)
    left = to_text(expr.left)
    if _prec(expr.left) < mine:
        left = f"({left})"
    right = to_text(expr.right)
    if _prec(expr.right) <= mine:
        right = f"({right})"
    return f"{left} {op} {right}"


# --- evaluation --------------------------------------------------------------------------------


def variables(expr: Expr) -> list[str]:
    """Choice ids named in the expression, in first-seen order."""
    seen: dict[str, None] = {}

    def walk(e: Expr) -> None:
        if isinstance(e, Var):
            seen.setdefault(e.name, None)
        elif isinstance(e, Not):
            walk(e.operand)
        elif isinstance(e, And | Or):
            walk(e.left)
            walk(e.right)

    walk(expr)
    return list(seen)


def evaluate(expr: Expr, selected: Iterable[str] | set[str] | frozenset[str]) -> bool:
    chosen = selected if isinstance(selected, set | frozenset) else set(selected)
    return _eval(expr, chosen)


def _eval(expr: Expr, chosen: set[str] | frozenset[str]) -> bool:
    if isinstance(expr, Default):
        return True
    if isinstance(expr, Var):
        return expr.name in chosen
    if isinstance(expr, Not):
        return not _eval(expr.operand, chosen)
    if isinstance(expr, And):
        return _eval(expr.left, chosen) and _eval(expr.right, chosen)
    return _eval(expr.left, chosen) or _eval(expr.right, chosen)


@dataclass(frozen=True)
class ParsedRule:
    condition: Expr
    risk: Risk
    text: str


def first_match(rules: Sequence[ParsedRule], selected: Iterable[str]) -> Risk | None:
    """The risk of the first rule whose condition holds; None when no rule holds."""
    chosen = set(selected)
    for rule in rules:
        if _eval(rule.condition, chosen):
            return rule.risk
    return None


# --- truth tables over every selection ---------------------------------------------------------


def variable_table(index: int, n: int) -> int:
    """Bitset of the selections (over ``n`` choices) that contain choice ``index``."""
    # Blocks of 2**index zeros then 2**index ones, repeated: built by doubling, not a loop over 2**n.
    block = 1 << index
    pattern = ((1 << block) - 1) << block  # one period: `block` zeros then `block` ones
    period = block * 2
    table = pattern
    width = period
    total = 1 << n
    while width < total:
        table |= table << width
        width *= 2
    return table


def truth_table(expr: Expr, index: dict[str, int], n: int) -> int:
    """Bitset of the selections over ``n`` choices for which ``expr`` holds.

    A name not in ``index`` is a choice that can never be selected (always false).
    """
    full = (1 << (1 << n)) - 1
    cache: dict[str, int] = {}

    def table(e: Expr) -> int:
        if isinstance(e, Default):
            return full
        if isinstance(e, Var):
            if e.name not in cache:
                i = index.get(e.name)
                cache[e.name] = 0 if i is None else variable_table(i, n)
            return cache[e.name]
        if isinstance(e, Not):
            return full & ~table(e.operand)
        if isinstance(e, And):
            return table(e.left) & table(e.right)
        return table(e.left) | table(e.right)

    return table(expr)


def suggest(name: str, known: Iterable[str]) -> str:
    """A ' (did you mean x?)' suffix, or ''."""
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return " " + _("(did you mean {name!r}?)").format(name=match[0]) if match else ""
