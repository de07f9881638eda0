"""The launch gate (PRODUCT.md section 3): every verdict, every blocker kind, conditions,
expiry, staleness, checklist changes, and reproducibility with a fixed "today"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from orr.checklist.rules import Risk
from orr.review import gate as gate_module
from orr.review import ops
from orr.review.gate import GateMemo, evaluate_gate
from orr.review.kinds import BlockerKind, ConditionKind, NaReason, Verdict
from orr.review.model import Answer, Review
from orr.review.state import answers_hash
from tests.test_review_support import (
    HIGH_Q,
    LAUNCH,
    MEDIUM_Q,
    NOW,
    RULES_Q,
    SEC_HIGH_Q,
    SEC_MEDIUM_Q,
    TODAY,
    answer_clean,
    mini,
    new_review,
    ready_review,
    sign_all,
)


def kinds(review: Review, today: date = TODAY) -> list[tuple[str, str | None]]:
    return [(str(b.kind), b.question) for b in evaluate_gate(review, mini(), today).blockers]


def condition_kinds(review: Review, today: date = TODAY) -> list[tuple[str, str | None]]:
    return [(str(c.kind), c.question) for c in evaluate_gate(review, mini(), today).conditions]


def resign(review: Review) -> Review:
    return sign_all(review)


def test_a_new_review_is_not_ready_with_every_question_and_signoff_listed() -> None:
    gate = evaluate_gate(new_review(), mini(), TODAY)
    assert gate.verdict is Verdict.NOT_READY
    assert [(b.kind, b.question, b.role, b.owner) for b in gate.blockers] == [
        (BlockerKind.UNANSWERED, HIGH_Q, "owner", "Ann"),
        (BlockerKind.UNANSWERED, MEDIUM_Q, "owner", "Ann"),
        (BlockerKind.UNANSWERED, RULES_Q, "owner", "Ann"),
        (BlockerKind.UNANSWERED, SEC_HIGH_Q, "security", "Sam"),
        (BlockerKind.UNANSWERED, SEC_MEDIUM_Q, "security", "Sam"),
        (BlockerKind.SIGNOFF_MISSING, None, "owner", "Ann"),
        (BlockerKind.SIGNOFF_MISSING, None, "security", "Sam"),
    ]
    assert gate.days_left == (LAUNCH - TODAY).days == 19
    assert gate.counts["questions"] == 5
    assert gate.counts["unanswered"] == 5
    assert gate.counts["signoffs_required"] == 2


def test_all_practices_and_fresh_signoffs_are_ready() -> None:
    gate = evaluate_gate(ready_review(), mini(), TODAY)
    assert gate.verdict is Verdict.READY
    assert gate.blockers == [] and gate.conditions == [] and gate.findings == []
    assert gate.counts["signoffs_valid"] == 2
    assert [(p.id, p.total, p.answered, p.none) for p in gate.pillars] == [
        ("operations", 3, 3, 3),
        ("security", 2, 2, 2),
    ]


def test_verdict_values_are_the_published_strings() -> None:
    assert [v.value for v in Verdict] == ["READY", "READY_WITH_CONDITIONS", "NOT_READY"]
    assert [k.value for k in BlockerKind] == [
        "unanswered",
        "na_without_reason",
        "high_finding",
        "blocking_mitigation",
        "mitigation_after_launch",
        "signoff_missing",
        "signoff_stale",
        "signoff_rejected",
        "checklist_changed",
        "evidence_missing",
        "evidence_stale",
    ]


def test_an_answer_with_only_notes_is_still_unanswered() -> None:
    review = ready_review()
    review.answers[HIGH_Q] = Answer(notes="we will look", answered_by="t", answered_at=NOW)
    resign(review)
    assert kinds(review) == [("unanswered", HIGH_Q)]


def test_an_answer_naming_a_choice_the_question_lacks_must_be_redone() -> None:
    review = ready_review()
    review.answers[HIGH_Q].choices = ["no_such_practice"]  # a hand edit or a typo
    resign(review)
    gate = evaluate_gate(review, mini(), TODAY)
    assert gate.verdict is Verdict.NOT_READY
    assert [(str(b.kind), b.question) for b in gate.blockers] == [("unanswered", HIGH_Q)]
    assert "'no_such_practice', which the question does not have" in gate.blockers[0].message
    assert gate.findings == []


def test_not_applicable_needs_a_reason() -> None:
    review = ready_review()
    review.answers[MEDIUM_Q] = Answer(applicable=False, answered_by="t", answered_at=NOW)
    resign(review)
    assert kinds(review) == [("na_without_reason", MEDIUM_Q)]
    review.answers[MEDIUM_Q].na_reason = NaReason.OUT_OF_SCOPE
    resign(review)
    gate = evaluate_gate(review, mini(), TODAY)
    assert gate.verdict is Verdict.READY
    assert gate.counts["not_applicable"] == 1
    assert gate.pillars[0].na == 1


def test_a_high_finding_blocks_until_a_done_mitigation() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    resign(review)
    assert kinds(review) == [("high_finding", HIGH_Q)]
    mitigation, _ = ops.add_mitigation(
        review, c, HIGH_Q, title="Write runbooks", owner="Ann", due="2030-01-15", who="t"
    )
    assert mitigation.blocking is True  # default for a HIGH finding
    gate = evaluate_gate(review, c, TODAY)
    # One blocker for the finding, its mitigation listed under it: adding a mitigation does not
    # add a blocker.
    assert [(b.kind, b.due, b.mitigations) for b in gate.blockers] == [
        (BlockerKind.HIGH_FINDING, date(2030, 1, 15), ("M1",)),
    ]
    assert "M1" in gate.blockers[0].message
    ops.update_mitigation(review, "M1", who="t", status="in_progress")
    assert kinds(review) == [("high_finding", HIGH_Q)]
    ops.update_mitigation(review, "M1", who="t", status="done")
    gate = evaluate_gate(review, c, TODAY)
    assert gate.verdict is Verdict.READY
    assert [f.question_id for f in gate.findings] == [HIGH_Q]  # still a finding, handled


def test_a_non_blocking_mitigation_does_not_clear_a_high_finding_until_done() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    ops.add_mitigation(
        review, c, HIGH_Q, title="Later", owner="Ann", due="2030-02-01", blocking=False, who="t"
    )
    resign(review)
    assert kinds(review) == [("high_finding", HIGH_Q)]
    assert evaluate_gate(review, c, TODAY).blockers[0].mitigations == ("M1",)
    assert condition_kinds(review) == []


def test_a_valid_acceptance_clears_a_high_finding_as_a_condition() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    ops.add_acceptance(
        review,
        c,
        HIGH_Q,
        approver="Bo",
        role="owner",
        rationale="runbooks next sprint",
        expires="2030-03-01",
        who="t",
        today=TODAY,
    )
    resign(review)
    gate = evaluate_gate(review, c, TODAY)
    assert gate.verdict is Verdict.READY_WITH_CONDITIONS
    assert [(x.kind, x.question, x.owner, x.due) for x in gate.conditions] == [
        (ConditionKind.RISK_ACCEPTANCE, HIGH_Q, "Bo", date(2030, 3, 1))
    ]


@pytest.mark.parametrize(
    ("today", "verdict"),
    [
        (date(2030, 2, 28), Verdict.READY_WITH_CONDITIONS),  # the day before: still valid
        (date(2030, 3, 1), Verdict.NOT_READY),  # on its date it has expired
        (date(2030, 3, 2), Verdict.NOT_READY),
    ],
)
def test_an_expired_acceptance_counts_as_absent(today: date, verdict: Verdict) -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    ops.add_acceptance(
        review,
        c,
        HIGH_Q,
        approver="Bo",
        role="owner",
        rationale="r",
        expires="2030-03-01",
        who="t",
        today=TODAY,
    )
    resign(review)
    gate = evaluate_gate(review, c, today)
    assert gate.verdict is verdict
    if verdict is Verdict.NOT_READY:
        assert [b.kind for b in gate.blockers] == [BlockerKind.HIGH_FINDING]
        assert "A1 expired on 2030-03-01" in gate.blockers[0].message
        assert [a.id for a in gate.expired] == ["A1"]
        assert gate.counts["acceptances"] == 0


def test_an_acceptance_running_out_before_launch_or_within_30_days_is_a_condition() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    ops.add_acceptance(
        review,
        c,
        HIGH_Q,
        approver="Bo",
        role="owner",
        rationale="r",
        expires="2030-03-01",
        who="t",
        today=TODAY,
    )
    resign(review)
    # 59 days left, after the launch (2030-01-20): an ordinary acceptance.
    assert evaluate_gate(review, c, TODAY).expiring == []
    assert condition_kinds(review) == [("risk_acceptance", HIGH_Q)]
    # 30 days left: expiring.
    day = date(2030, 1, 30)
    assert [a.id for a in evaluate_gate(review, c, day).expiring] == ["A1"]
    assert condition_kinds(review, day) == [("acceptance_expiring", HIGH_Q)]
    assert evaluate_gate(review, c, day - timedelta(days=1)).expiring == []  # 31 days
    # Before the launch date: expiring, whatever the days left.
    review.acceptances[0].expires = date(2030, 1, 15)
    gate = evaluate_gate(review, c, TODAY)
    assert [a.id for a in gate.expiring] == ["A1"]
    assert gate.conditions[0].kind is ConditionKind.ACCEPTANCE_EXPIRING
    assert "runs out before the launch" in gate.conditions[0].message


def test_a_blocking_mitigation_blocks_even_on_a_medium_finding() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, MEDIUM_Q, choices=["ops_al_kpi"], who="t", now=NOW)
    ops.add_mitigation(
        review, c, MEDIUM_Q, title="Page", owner="Ann", due="2030-01-10", blocking=True, who="t"
    )
    resign(review)
    assert kinds(review) == [("blocking_mitigation", MEDIUM_Q)]
    ops.update_mitigation(review, "M1", who="t", status="done")
    assert evaluate_gate(review, c, TODAY).verdict is Verdict.READY


def test_medium_findings_and_open_mitigations_are_conditions() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, MEDIUM_Q, choices=["ops_al_kpi"], who="t", now=NOW)
    resign(review)
    gate = evaluate_gate(review, c, TODAY)
    assert gate.verdict is Verdict.READY_WITH_CONDITIONS
    assert [(x.kind, x.question) for x in gate.conditions] == [
        (ConditionKind.MEDIUM_FINDING, MEDIUM_Q)
    ]
    mitigation, _ = ops.add_mitigation(
        review, c, MEDIUM_Q, title="Page", owner="Ann", due="2030-01-10", who="t"
    )
    assert mitigation.blocking is False  # default for a MEDIUM finding
    assert condition_kinds(review) == [("medium_finding", MEDIUM_Q)]
    assert evaluate_gate(review, c, TODAY).conditions[0].mitigations == ("M1",)
    ops.update_mitigation(review, "M1", who="t", status="done")
    assert evaluate_gate(review, c, TODAY).verdict is Verdict.READY


def test_explicit_rules_decide_the_risk() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, RULES_Q, choices=["ops_rb_manual"], who="t", now=NOW)
    assert [(f.question_id, f.risk) for f in evaluate_gate(review, c, TODAY).findings] == [
        (RULES_Q, Risk.MEDIUM_RISK)
    ]
    ops.set_answer(review, c, RULES_Q, choices=["ops_rb_auto"], who="t", now=NOW)
    assert evaluate_gate(review, c, TODAY).findings == []
    ops.set_answer(review, c, RULES_Q, none=True, who="t", now=NOW)
    finding = evaluate_gate(review, c, TODAY).findings[0]
    assert (finding.risk, finding.pillar_id, finding.owner_role) == (
        Risk.HIGH_RISK,
        "operations",
        "owner",
    )


def test_a_signoff_goes_stale_when_an_answer_changes_after_it() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, SEC_MEDIUM_Q, notes="TLS 1.3 only", who="t", now=NOW)
    gate = evaluate_gate(review, c, TODAY)
    assert [(b.kind, b.role, b.owner) for b in gate.blockers] == [
        (BlockerKind.SIGNOFF_STALE, "owner", "Ann"),
        (BlockerKind.SIGNOFF_STALE, "security", "Sam"),
    ]
    resign(review)
    assert evaluate_gate(review, c, TODAY).verdict is Verdict.READY


def test_who_answered_does_not_change_the_answers_hash() -> None:
    review = answer_clean(new_review())
    before = answers_hash(review)
    review.answers[HIGH_Q].answered_by = "someone else"
    assert answers_hash(review) == before
    review.answers[HIGH_Q].choices = ["ops_rb_written"]
    assert answers_hash(review) != before


def test_a_rejection_blocks_and_a_missing_signoff_blocks() -> None:
    c = mini()
    review = ready_review()
    ops.sign_off(review, c, "security", "Sam", "reject", who="t", now=NOW)
    review.signoffs = [s for s in review.signoffs if s.role != "owner"]
    gate = evaluate_gate(review, c, TODAY)
    assert [(b.kind, b.role) for b in gate.blockers] == [
        (BlockerKind.SIGNOFF_MISSING, "owner"),
        (BlockerKind.SIGNOFF_REJECTED, "security"),
    ]
    assert "Sam" in gate.blockers[1].message and "rejected" in gate.blockers[1].message


def test_a_signoff_of_a_role_that_is_not_required_does_not_count() -> None:
    c = mini()
    review = answer_clean(new_review())
    ops.sign_off(review, c, "owner", "Ann", "approve", who="t", now=NOW)
    assert kinds(review) == [("signoff_missing", None)]


def test_a_changed_checklist_blocks_until_rebased() -> None:
    review = ready_review()
    review.checklist.content_hash = "sha256:older"
    gate = evaluate_gate(review, mini(), TODAY)
    assert gate.behind_checklist is True
    assert [(b.kind, b.question) for b in gate.blockers] == [(BlockerKind.CHECKLIST_CHANGED, None)]
    assert "rebase" in gate.blockers[0].message


def test_an_answer_to_reconfirm_blocks() -> None:
    review = ready_review()
    review.answers[HIGH_Q].reconfirm = True
    assert kinds(review) == [("checklist_changed", HIGH_Q)]


def test_overdue_mitigations_and_days_left_follow_today() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, MEDIUM_Q, choices=["ops_al_kpi"], who="t", now=NOW)
    ops.add_mitigation(review, c, MEDIUM_Q, title="Page", owner="Ann", due="2030-01-10", who="t")
    resign(review)
    on_time = evaluate_gate(review, c, date(2030, 1, 10))
    late = evaluate_gate(review, c, date(2030, 1, 11))
    assert on_time.overdue == [] and [m.id for m in late.overdue] == ["M1"]
    assert "OVERDUE by 1 day(s)" in late.conditions[0].message
    assert (on_time.days_left, late.days_left) == (10, 9)
    after_launch = evaluate_gate(review, c, date(2030, 1, 25))
    assert after_launch.days_left == -5


def test_the_same_inputs_and_today_give_the_same_gate() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    first = evaluate_gate(review, c, TODAY).as_dict()
    second = evaluate_gate(review.model_copy(deep=True), c, TODAY).as_dict()
    assert first == second
    assert first["verdict"] == "NOT_READY"


def test_a_tier_review_covers_only_its_questions() -> None:
    c = mini()
    review = new_review(tier="core")
    assert sorted(review.checklist.question_hashes) == [HIGH_Q, SEC_HIGH_Q]
    gate = evaluate_gate(review, c, TODAY)
    assert [b.question for b in gate.blockers if b.kind == "unanswered"] == [HIGH_Q, SEC_HIGH_Q]
    answer_clean(review)
    sign_all(review)
    # An answer outside the tier does not count either way.
    review.answers[MEDIUM_Q] = Answer(choices=["ops_alarms_no"], answered_by="t", answered_at=NOW)
    resign(review)
    assert evaluate_gate(review, c, TODAY).verdict is Verdict.READY


def test_pillar_stats_count_risks() -> None:
    c = mini()
    review = ready_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t", now=NOW)
    ops.set_answer(review, c, MEDIUM_Q, choices=["ops_al_kpi"], who="t", now=NOW)
    ops.set_answer(review, c, SEC_MEDIUM_Q, na_reason="OTHER", na_note="a test", who="t", now=NOW)
    gate = evaluate_gate(review, c, TODAY)
    ops_stats, sec_stats = gate.pillars
    assert (ops_stats.high, ops_stats.medium, ops_stats.none, ops_stats.na) == (1, 1, 1, 0)
    assert (sec_stats.high, sec_stats.medium, sec_stats.none, sec_stats.na) == (0, 0, 1, 1)
    assert gate.counts["high"] == 1 and gate.counts["medium"] == 1


def test_gate_as_dict_has_the_published_blocker_fields() -> None:
    data = evaluate_gate(new_review(), mini(), TODAY).as_dict()
    blockers = data["blockers"]
    assert isinstance(blockers, list)
    assert set(blockers[0]) == {
        "kind",
        "question",
        "role",
        "owner",
        "due",
        "message",
        "mitigations",
    }


def test_a_review_whose_tier_was_removed_is_behind_and_keeps_its_questions() -> None:
    c = mini()
    review = sign_all(answer_clean(new_review(tier="core")))
    review.checklist.tier = "gone"
    gate = evaluate_gate(review, c, TODAY)
    assert [(b.kind, b.question) for b in gate.blockers] == [(BlockerKind.CHECKLIST_CHANGED, None)]
    assert "it no longer has tier 'gone'" in gate.blockers[0].message
    assert gate.counts["questions"] == 2  # the questions the review recorded


def test_every_kind_of_gate_line_has_words_in_every_front_end() -> None:
    from orr.sheet.export import GATE_KINDS
    from orr.tui.text import KIND_LABEL

    for kind in [*BlockerKind, *ConditionKind]:
        assert kind in GATE_KINDS and kind in KIND_LABEL, kind


def test_a_gate_kept_from_one_change_to_the_next_is_the_gate_made_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A session keeps a memo of the gate: after each change it judges again only the
    questions whose entries changed, and the gate is the same as one made from nothing, through
    answers, mitigations, acceptances, evidence, stakeholders, the launch date and the day."""
    c = mini()
    review = answer_clean(new_review())
    memo = GateMemo()
    judged: list[str] = []
    judge = gate_module._judge

    def counting(lines: Any, question: Any, *args: Any) -> Any:
        judged.append(question.id)
        return judge(lines, question, *args)

    monkeypatch.setattr(gate_module, "_judge", counting)
    later = TODAY + timedelta(days=40)
    steps: list[tuple[Callable[[Review], object], date]] = [
        (lambda r: None, TODAY),
        (lambda r: ops.set_answer(r, c, HIGH_Q, none=True, who="t", now=NOW), TODAY),
        (
            lambda r: ops.add_mitigation(
                r, c, HIGH_Q, title="write it", owner="o", due="2030-01-10", who="t", now=NOW
            ),
            TODAY,
        ),
        (lambda r: ops.update_mitigation(r, "M1", who="t", now=NOW, status="done"), TODAY),
        (lambda r: ops.set_answer(r, c, MEDIUM_Q, none=True, who="t", now=NOW), TODAY),
        (
            lambda r: ops.add_acceptance(
                r,
                c,
                MEDIUM_Q,
                approver="B",
                role="owner",
                rationale="r",
                expires="2030-02-01",
                who="t",
                now=NOW,
                today=TODAY,
            ),
            TODAY,
        ),
        (lambda r: None, later),  # the acceptance has expired, the mitigation is late
        (lambda r: ops.add_stakeholder(r, c, "Sam", "security", who="t", now=NOW), later),
        (lambda r: ops.update_workload(r, who="t", now=NOW, launch_date="2030-03-01"), later),
        (
            lambda r: ops.set_answer(r, c, SEC_HIGH_Q, evidence=["https://e/1"], who="t", now=NOW),
            later,
        ),
        (lambda r: ops.withdraw_mitigation(r, "M1", reason="dup", who="t", now=NOW), later),
    ]
    for change, today in steps:
        change(review)
        judged.clear()
        assert evaluate_gate(review, c, today, memo) == evaluate_gate(review, c, today)
    # One answer changed: that question alone is judged again.
    judged.clear()
    ops.set_answer(review, c, RULES_Q, none=True, who="t", now=NOW)
    assert evaluate_gate(review, c, later, memo) == evaluate_gate(review, c, later)
    assert judged[0] == RULES_Q and judged[1:] == [q.id for q in c.questions]
