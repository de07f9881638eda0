"""Risk-rule analysis over every selection of every question, and the lens limits.

Each question's rules are turned into truth tables over all 2**n selections of its n choices
(integer bitsets, see `rules.truth_table`), so every check below is exact for up to 15 choices
(32,768 selections) at the cost of a few big-integer operations:

- a declared rule (risk level) that no selection reaches;
- non-monotonic rules: selecting one more good practice raises the risk;
- "None of these" scoring below the question's severity;
- choices that no rule mentions;
- a missing ``default`` rule (also a validation error).

The lens limits (pillar, question and choice counts, ids, text lengths, URLs, size) are checked one
layer up, by exporting the checklist to a lens and validating it (`orr.lens.checks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orr.checklist.model import Checklist, ChecklistQuestion
from orr.checklist.rules import Default, Risk, truth_table, variables
from orr.errors import Problem
from orr.i18n import _

MAX_CHOICES_EXACT = 20  # 2**20 bits per table is still fast; the lens allows 15.
# From this many practices on, a generated all-or-nothing rule is rarely what an author means.
ALL_OR_NOTHING_MIN = 3


@dataclass(frozen=True)
class RiskTables:
    """For one question: which selections end in each risk level, and which rule fires."""

    n: int
    ids: list[str]
    by_risk: dict[Risk, int]
    by_rule: list[int]  # selections for which rule i is the first true one
    unmatched: int  # selections no rule covers (only without a default)


def risk_tables(question: ChecklistQuestion) -> RiskTables:
    ids = [c.id for c in question.choices]
    n = len(ids)
    index = {cid: i for i, cid in enumerate(ids)}
    full = (1 << (1 << n)) - 1
    remaining = full
    by_rule: list[int] = []
    by_risk = {r: 0 for r in Risk}
    for rule in question.rules:
        hit = truth_table(rule.condition, index, n) & remaining
        by_rule.append(hit)
        by_risk[rule.risk] |= hit
        remaining &= ~hit
    return RiskTables(n=n, ids=ids, by_risk=by_risk, by_rule=by_rule, unmatched=remaining)


def _first_bit(bits: int) -> int:
    return (bits & -bits).bit_length() - 1


def _selection(bits_index: int, ids: Sequence[str]) -> str:
    chosen = [cid for i, cid in enumerate(ids) if bits_index >> i & 1]
    return "{" + ", ".join(chosen) + "}" if chosen else "{} " + _("(nothing selected)")


def lint_question(question: ChecklistQuestion, file: str | None = None) -> list[Problem]:
    problems: list[Problem] = []
    where = {"file": file or question.source, "path": _("question {id}").format(id=question.id)}

    def add(message: str, severity: str = "error") -> None:
        problems.append(Problem(message, severity=severity, **where))  # type: ignore[arg-type]

    if question.spec.owner_role is None:
        # Translators: owner_role is a TOML key: keep it.
        add(_("no owner_role: say which stakeholder answers this question"), "warning")
    if not question.rules or not isinstance(question.rules[-1].condition, Default):
        add(_('no "default" rule: the lens format requires one, last'))
    n = len(question.choices)
    if n > MAX_CHOICES_EXACT:
        add(_("{count} choices: too many to analyse (the lens allows 15)").format(count=n))
        return problems
    tables = risk_tables(question)
    ids = tables.ids
    none_id = question.none_choice_id

    if tables.unmatched:
        s = _first_bit(tables.unmatched)
        add(
            _("no rule applies to the selection {selection}: end the rules with default").format(
                selection=_selection(s, ids)
            )
        )

    for i, (rule, hit) in enumerate(zip(question.rules, tables.by_rule, strict=True)):
        if hit == 0:
            add(
                _(
                    "rule {number} ({condition!r} -> {risk}) is never the first true rule for any "
                    "selection: its risk level is unreachable (reorder or rewrite the conditions)"
                ).format(number=i + 1, condition=rule.text, risk=rule.risk)
            )

    # Monotonicity over the good practices: with "None of these" not selected, adding practice i
    # must never raise the risk.
    none_mask = 0
    if none_id is not None:
        k = ids.index(none_id)
        none_mask = _var_table(k, n)
    full = (1 << (1 << n)) - 1
    without_none = full & ~none_mask
    worse_or_equal: dict[Risk, int] = {}
    for risk in Risk:
        bits = 0
        for other in Risk:
            if other.rank > risk.rank:
                bits |= tables.by_risk[other]
        worse_or_equal[risk] = bits  # selections strictly riskier than `risk`
    for i, cid in enumerate(ids):
        if cid == none_id:
            continue
        with_i = _var_table(i, n)
        shift = 1 << i
        for risk in Risk:
            # selections s (without i, without none) at `risk` whose s+i is riskier
            base = tables.by_risk[risk] & ~with_i & without_none
            raised = base & ((worse_or_equal[risk] & with_i) >> shift)
            if raised:
                s = _first_bit(raised)
                after = next(r for r in Risk if (tables.by_risk[r] >> (s + shift)) & 1)
                add(
                    _(
                        "not monotonic: selecting {choice!r} raises the risk from {risk} to "
                        "{after} (from the selection {selection})"
                    ).format(choice=cid, risk=risk, after=after, selection=_selection(s, ids))
                )
                break

    if none_id is not None:
        target = question.severity.risk
        below = 0
        for risk in Risk:
            if risk.rank < target.rank:
                below |= tables.by_risk[risk]
        low = below & none_mask
        if low:
            s = _first_bit(low)
            got = next(r for r in Risk if (tables.by_risk[r] >> s) & 1)
            add(
                _(
                    '"None of these" scores {risk}, below the severity {severity} ({target}), '
                    "with the selection {selection}: guard the better rules with && !{none_id}"
                ).format(
                    risk=got,
                    severity=question.severity,
                    target=target,
                    selection=_selection(s, ids),
                    none_id=none_id,
                )
            )
    else:
        add(
            _('no "None of these" choice: a team that does none of the practices cannot say so'),
            "warning",
        )

    mentioned: set[str] = set()
    for rule in question.rules:
        mentioned.update(variables(rule.condition))
    for cid in ids:
        if cid not in mentioned:
            add(
                _(
                    "choice {choice!r} is not mentioned by any rule: selecting it changes nothing"
                ).format(choice=cid),
                "warning",
            )

    severity_risk = question.severity.risk
    reached = [r for r in Risk if tables.by_risk[r]]
    if reached and max(r.rank for r in reached) != severity_risk.rank:
        top = max(reached, key=lambda r: r.rank)
        add(
            _("severity is {severity} but the highest reachable risk is {risk}").format(
                severity=question.severity, risk=top
            ),
            "warning",
        )
    if not tables.by_risk[Risk.NO_RISK]:
        add(_("no selection reaches NO_RISK: a team can never fully meet this question"), "warning")
    practices = question.practice_ids
    if question.generated_rules and len(practices) >= ALL_OR_NOTHING_MIN:
        if not question.spec.all_or_nothing:
            add(
                # Translators: all_or_nothing = true is a line of the checklist: keep it.
                _(
                    "all or nothing: the generated rule gives {risk} when any one of the {count} "
                    "practices is missing; write rules that say which practices block and which "
                    "are conditions, or set all_or_nothing = true with a comment saying why "
                    "every one blocks"
                ).format(risk=question.severity.risk, count=len(practices)),
                "warning",
            )
    if question.generated_rules is False:
        ranks = [r.risk.rank for r in question.rules[:-1]]
        if ranks != sorted(ranks):
            add(_("rules are not ordered least risky first"), "warning")
    return problems


def _var_table(index: int, n: int) -> int:
    from orr.checklist.rules import variable_table

    return variable_table(index, n)


def lint_rules(checklist: Checklist) -> list[Problem]:
    problems: list[Problem] = []
    for question in checklist.questions:
        problems.extend(lint_question(question))
    return problems
