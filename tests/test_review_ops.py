"""Operations on a review: validation against the checklist, audit entries, warnings, rebase."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import NotRequired, TypedDict

import pytest

from orr.checklist import load_checklist
from orr.errors import InputError
from orr.review import ops
from orr.review.gate import evaluate_gate
from orr.review.kinds import Decision, MitigationStatus, NaReason, Verdict
from tests.test_review_support import (
    HIGH_Q,
    MEDIUM_Q,
    NOW,
    RULES_Q,
    SEC_HIGH_Q,
    SEC_MEDIUM_Q,
    TODAY,
    answer_clean,
    copy_mini,
    mini,
    new_review,
)

# The keyword arguments the tests below vary, typed as the operations take them.


class NewReviewArgs(TypedDict):
    workload: str
    manifest: str
    who: str
    today: date


class AnswerFields(TypedDict, total=False):
    choices: list[str]
    none: bool
    na_reason: str
    na_note: str
    evidence: list[str]


class AnswerChange(AnswerFields, total=False):
    qid: str


class AnswerArgs(AnswerFields):
    qid: str


class MitigationArgs(TypedDict):
    title: str
    owner: str
    due: str
    status: NotRequired[str]
    ticket: NotRequired[str]


class MitigationChange(TypedDict, total=False):
    title: str
    owner: str
    due: str
    status: str
    ticket: str


class AcceptanceArgs(TypedDict):
    approver: str
    role: str
    rationale: str
    expires: str
    who: str
    today: date


class AcceptanceChange(TypedDict, total=False):
    approver: str
    role: str
    rationale: str
    expires: str


def test_new_review_records_the_checklist_and_an_audit_entry() -> None:
    review = new_review()
    assert review.checklist.content_hash == mini().content_hash
    assert review.checklist.version == "1.0"
    assert len(review.checklist.question_hashes) == 5
    assert [(s.name, s.role) for s in review.stakeholders] == [
        ("Ann", "owner"),
        ("Sam", "security"),
    ]
    assert [(e.action, e.who) for e in review.audit] == [("new", "tester")]


def test_new_review_refuses_unknown_roles_tiers_and_bad_dates() -> None:
    c = mini()
    base: NewReviewArgs = {"workload": "W", "manifest": "orr.toml", "who": "t", "today": TODAY}
    with pytest.raises(InputError, match=r"role 'secrity' is not a role .*did you mean 'security'"):
        ops.new_review(c, launch_date="2030-01-01", stakeholders=[("Sam", "secrity")], **base)
    with pytest.raises(InputError, match=r"tier 'cor' is not a tier .*did you mean 'core'"):
        ops.new_review(c, launch_date="2030-01-01", tier="cor", **base)
    with pytest.raises(
        InputError, match=r"launch date '2030-02-30' is not a date: write YYYY-MM-DD"
    ):
        ops.new_review(c, launch_date="2030-02-30", **base)
    with pytest.raises(InputError, match="environment 'prod' is not allowed"):
        ops.new_review(c, launch_date="2030-01-01", environment="prod", **base)
    with pytest.raises(InputError, match="the workload name is empty"):
        ops.new_review(c, launch_date="2030-01-01", **(base | {"workload": "  "}))


def test_a_launch_date_in_the_past_is_allowed_but_flagged() -> None:
    _, warnings = ops.new_review(
        mini(), workload="W", launch_date="2029-12-01", manifest="m", who="t", today=TODAY
    )
    assert warnings == ["the launch date 2029-12-01 is in the past (31 day(s) ago)"]


def test_set_answer_orders_choices_and_audits_the_risk() -> None:
    c = mini()
    review = new_review()
    warnings = ops.set_answer(
        review, c, HIGH_Q, choices=["ops_rb_tested", "ops_rb_written"], who="ann", now=NOW
    )
    assert warnings == []
    answer = review.answers[HIGH_Q]
    assert answer.choices == ["ops_rb_written", "ops_rb_tested"]
    assert (answer.answered_by, answer.answered_at) == ("ann", NOW)
    assert (
        review.audit[-1].detail == f"{HIGH_Q}: ops_rb_written, ops_rb_tested (risk none -> NO_RISK)"
    )


def test_a_high_answer_warns_to_mitigate() -> None:
    warnings = ops.set_answer(new_review(), mini(), HIGH_Q, none=True, who="t")
    assert len(warnings) == 1 and "HIGH risk finding" in warnings[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"qid": "ops_runbook"},
            r"question 'ops_runbook' is not in the checklist \(did you mean 'ops_runbooks'\?\)",
        ),
        (
            {"choices": ["ops_rb_writen"]},
            r"'ops_rb_writen' is not a choice of question ops_runbooks \(did you mean 'ops_rb_written'\?\)",
        ),
        (
            {"choices": ["ops_rb_written"], "none": True},
            r'"None of these" \(ops_runbooks_no\) cannot be selected together with ops_rb_written',
        ),
        (
            {"choices": ["ops_rb_written", "ops_runbooks_no"]},
            r"cannot be selected together with ops_rb_written",
        ),
        (
            {"na_reason": "OUT_OF_SCOPE", "choices": ["ops_rb_written"]},
            r"choose practices or mark it not applicable \(--na\), not both",
        ),
        ({"na_note": "not ours"}, r"a not-applicable answer needs a reason"),
        (
            {"na_reason": "SOMEDAY"},
            r"not-applicable reason 'SOMEDAY' is not allowed: use one of OUT_OF_SCOPE, BUSINESS_PRIORITIES",
        ),
        ({"evidence": ["ftp://x"]}, r"evidence 'ftp://x' is not a url"),
        ({}, r"nothing to record"),
    ],
)
def test_set_answer_refuses_bad_input(kwargs: AnswerChange, message: str) -> None:
    review = new_review()
    before = review.model_dump()
    args: AnswerArgs = {"qid": HIGH_Q, **kwargs}
    with pytest.raises(InputError, match=message):
        ops.set_answer(review, mini(), who="t", **args)
    assert review.model_dump() == before  # nothing changed


def test_not_applicable_with_a_reason_clears_choices_and_back() -> None:
    c = mini()
    review = answer_clean(new_review())
    ops.set_answer(review, c, MEDIUM_Q, na_reason="out-of-scope", na_note="batch job", who="t")
    answer = review.answers[MEDIUM_Q]
    assert (answer.applicable, answer.na_reason, answer.na_note, answer.choices) == (
        False,
        NaReason.OUT_OF_SCOPE,
        "batch job",
        [],
    )
    ops.set_answer(review, c, MEDIUM_Q, na_note="batch job, no users", who="t")  # note only: ok
    assert review.answers[MEDIUM_Q].na_note == "batch job, no users"
    ops.set_answer(review, c, MEDIUM_Q, choices=["ops_al_kpi"], who="t")
    answer = review.answers[MEDIUM_Q]
    assert (answer.applicable, answer.na_reason, answer.na_note) == (True, None, "")


def test_notes_and_evidence_keep_the_selection() -> None:
    c = mini()
    review = answer_clean(new_review())
    ops.set_answer(review, c, HIGH_Q, notes="see wiki", evidence=["https://wiki/x"], who="t")
    ops.set_answer(review, c, HIGH_Q, evidence=["https://wiki/x", "https://wiki/y"], who="t")
    answer = review.answers[HIGH_Q]
    assert answer.choices == ["ops_rb_written", "ops_rb_tested"]
    assert answer.notes == "see wiki"
    assert [e.url for e in answer.evidence] == ["https://wiki/x", "https://wiki/y"]


def test_an_unchanged_answer_is_not_audited_twice() -> None:
    c = mini()
    review = answer_clean(new_review())
    n = len(review.audit)
    warnings = ops.set_answer(
        review, c, HIGH_Q, choices=["ops_rb_written", "ops_rb_tested"], who="t"
    )
    assert warnings == [f"question {HIGH_Q}: the answer is unchanged"]
    assert len(review.audit) == n


def test_a_question_outside_the_tier_is_refused() -> None:
    review = new_review(tier="core")
    with pytest.raises(InputError, match=r"question 'ops_alarms' is not in tier 'core'"):
        ops.set_answer(review, mini(), MEDIUM_Q, none=True, who="t")


def test_add_mitigation_numbers_defaults_and_flags() -> None:
    c = mini()
    review = answer_clean(new_review())
    ops.set_answer(review, c, HIGH_Q, none=True, who="t")
    m1, warnings = ops.add_mitigation(
        review,
        c,
        HIGH_Q,
        title="Write runbooks",
        owner="Ann",
        due="2029-12-31",
        who="t",
        today=TODAY,
    )
    assert (m1.id, m1.blocking, m1.status) == ("M1", True, MitigationStatus.OPEN)
    assert warnings == ["due date 2029-12-31 is in the past (1 day(s) ago)"]
    m2, warnings = ops.add_mitigation(
        review,
        c,
        MEDIUM_Q,
        title="Later",
        owner="Ann",
        due=None,
        ticket="https://jira/OPS-1",
        who="t",
        today=TODAY,
    )
    assert (m2.id, m2.blocking, m2.ticket) == ("M2", False, "https://jira/OPS-1")
    assert warnings == ["question ops_alarms is not a finding yet (answered with no risk)"]
    review.mitigations.remove(m1)
    m3, _ = ops.add_mitigation(review, c, HIGH_Q, title="x", owner="A", due=None, who="t")
    assert m3.id == "M3"  # ids are never reused while a higher one exists


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " "}, "the mitigation title is empty"),
        ({"owner": ""}, "the mitigation owner is empty"),
        ({"due": "31/12/2030"}, r"due date '31/12/2030' is not a date: write YYYY-MM-DD"),
        (
            {"status": "finished"},
            r"mitigation status 'finished' is not allowed: use one of open, in_progress, done",
        ),
        ({"ticket": "jira/OPS-1"}, r"ticket 'jira/OPS-1' is not a url"),
    ],
)
def test_add_mitigation_refuses_bad_input(kwargs: MitigationChange, message: str) -> None:
    review = new_review()
    args: MitigationArgs = {"title": "t", "owner": "o", "due": "2030-01-10", **kwargs}
    with pytest.raises(InputError, match=message):
        ops.add_mitigation(review, mini(), HIGH_Q, who="t", **args)
    assert review.mitigations == []


def test_update_mitigation() -> None:
    c = mini()
    review = new_review()
    ops.add_mitigation(review, c, HIGH_Q, title="t", owner="o", due="2030-01-10", who="a")
    warnings = ops.update_mitigation(
        review, "M1", who="b", now=NOW, today=TODAY, status="in-progress", due="2029-12-01"
    )
    m = review.mitigation("M1")
    assert m is not None
    assert (m.status, m.due, m.updated_by) == (MitigationStatus.IN_PROGRESS, date(2029, 12, 1), "b")
    assert warnings == ["due date 2029-12-01 is in the past (31 day(s) ago)"]
    assert review.audit[-1].detail == "M1: status open -> in_progress; due 2030-01-10 -> 2029-12-01"
    with pytest.raises(
        InputError, match=r"mitigation 'M9' is not in the review.*\(mitigations: M1\)"
    ):
        ops.update_mitigation(review, "M9", who="b", status="done")
    with pytest.raises(InputError, match="cannot change question of a mitigation"):
        ops.update_mitigation(review, "M1", who="b", question=MEDIUM_Q)
    with pytest.raises(InputError, match="mitigation status 'closed' is not allowed"):
        ops.update_mitigation(review, "M1", who="b", status="closed")


def test_add_acceptance_validates() -> None:
    c = mini()
    review = new_review()
    ops.set_answer(review, c, HIGH_Q, none=True, who="t")
    base: AcceptanceArgs = {
        "approver": "Bo",
        "role": "owner",
        "rationale": "ok",
        "expires": "2030-06-01",
        "who": "t",
        "today": TODAY,
    }
    acceptance, warnings = ops.add_acceptance(review, c, HIGH_Q, **base)
    assert (acceptance.id, acceptance.expires) == ("A1", date(2030, 6, 1))
    assert warnings == []
    changes: list[tuple[AcceptanceChange, str]] = [
        ({"expires": "2030-01-01"}, r"expiry date 2030-01-01 is not after today \(2030-01-01\)"),
        ({"expires": "soon"}, r"expiry date 'soon' is not a date"),
        ({"role": "ceo"}, r"role 'ceo' is not a role of the checklist \(roles: owner, security\)"),
        ({"rationale": ""}, "the rationale is empty"),
        ({"approver": " "}, "the approver is empty"),
    ]
    for change, message in changes:
        args: AcceptanceArgs = {**base, **change}
        with pytest.raises(InputError, match=message):
            ops.add_acceptance(review, c, HIGH_Q, **args)
    _, warnings = ops.add_acceptance(review, c, MEDIUM_Q, **(base | {"expires": "2030-01-05"}))
    assert warnings == [
        "question ops_alarms is not a finding yet: the acceptance has no effect now",
        "the acceptance expires on 2030-01-05, before the launch date 2030-01-20",
    ]


def test_sign_off_replaces_the_roles_earlier_signoff() -> None:
    c = mini()
    review = answer_clean(new_review())
    ops.sign_off(review, c, "security", "Sam", "reject", who="t", now=NOW)
    ops.sign_off(review, c, "security", "Sam", "approve", who="t", now=NOW)
    assert [(s.role, s.decision) for s in review.signoffs] == [("security", Decision.APPROVE)]
    with pytest.raises(InputError, match=r"role 'sec' is not a role of the checklist"):
        ops.sign_off(review, c, "sec", "Sam", "approve", who="t")
    with pytest.raises(InputError, match="decision 'maybe' is not allowed"):
        ops.sign_off(review, c, "security", "Sam", "maybe", who="t")


def test_approving_with_blockers_left_warns() -> None:
    c = mini()
    review = new_review()
    warnings = ops.sign_off(review, c, "owner", "Ann", "approve", who="t", today=TODAY)
    assert warnings == ["approved while 5 blocker(s) remain"]


# --- rebase -------------------------------------------------------------------------------------


def _edit(manifest: Path, old: str, new: str) -> None:
    source = manifest.parent / "readiness.toml"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rebase_keeps_reconfirms_archives_and_adds(tmp_path: Path) -> None:
    manifest = copy_mini(tmp_path)
    old = load_checklist(manifest)
    review = answer_clean(new_review(old, review_file=tmp_path / "r.toml"), old)
    ops.set_answer(
        review, old, RULES_Q, choices=["ops_rb_auto", "ops_rb_manual"], notes="n", who="t"
    )
    # Change a question's title, drop a choice of another, remove one question, add one.
    _edit(manifest, "Do alarms page a human", "Do alarms page a person")
    _edit(
        manifest,
        '[[pillars.questions.choices]]\nid = "ops_rb_manual"\ntitle = "A tested one-command rollback"\nimprovement = "Script and test the rollback."\n',
        "",
    )
    _edit(manifest, 'condition = "ops_rb_manual && !ops_rollback_no"', 'condition = "ops_rb_auto"')
    _edit(manifest, 'id = "sec_encryption"', 'id = "sec_backups"')
    new = load_checklist(manifest)
    assert new.content_hash != old.content_hash
    assert evaluate_gate(review, new, TODAY).behind_checklist

    result = ops.rebase(review, new, who="t", now=NOW)
    assert result.kept == [HIGH_Q, SEC_HIGH_Q]
    assert result.reconfirm == [MEDIUM_Q, RULES_Q]
    assert result.archived == [SEC_MEDIUM_Q]
    assert result.new == ["sec_backups"]
    assert result.dropped_choices == {RULES_Q: ["ops_rb_manual"]}
    assert review.answers[RULES_Q].choices == ["ops_rb_auto"]
    assert review.answers[RULES_Q].notes == "n" and review.answers[RULES_Q].reconfirm
    assert review.archived[SEC_MEDIUM_Q].choices == ["sec_enc_rest", "sec_enc_transit"]
    assert review.checklist.content_hash == new.content_hash
    assert "lost choices ops_rb_manual" in review.audit[-1].detail

    gate = evaluate_gate(review, new, TODAY)
    assert not gate.behind_checklist
    kinds = [(b.kind, b.question) for b in gate.blockers]
    assert ("checklist_changed", MEDIUM_Q) in kinds and ("checklist_changed", RULES_Q) in kinds
    assert ("unanswered", "sec_backups") in kinds
    # Confirming the answer clears the mark.
    ops.set_answer(review, new, MEDIUM_Q, choices=review.answers[MEDIUM_Q].choices, who="t")
    assert not review.answers[MEDIUM_Q].reconfirm


def test_rebase_restores_an_archived_answer_when_its_question_returns(tmp_path: Path) -> None:
    manifest = copy_mini(tmp_path)
    original = load_checklist(manifest)
    review = answer_clean(new_review(original), original)
    _edit(manifest, 'id = "sec_encryption"', 'id = "sec_backups"')
    ops.rebase(review, load_checklist(manifest), who="t")
    assert SEC_MEDIUM_Q in review.archived
    _edit(manifest, 'id = "sec_backups"', 'id = "sec_encryption"')
    result = ops.rebase(review, load_checklist(manifest), who="t")
    assert result.restored == [SEC_MEDIUM_Q]
    assert SEC_MEDIUM_Q not in review.archived
    assert review.answers[SEC_MEDIUM_Q].reconfirm is True
    assert review.answers[SEC_MEDIUM_Q].choices == ["sec_enc_rest", "sec_enc_transit"]


def test_rebase_names_only_questions_the_checklist_added_as_new(tmp_path: Path) -> None:
    manifest = copy_mini(tmp_path)
    review = new_review(load_checklist(manifest))  # nothing answered yet
    _edit(manifest, 'id = "sec_encryption"', 'id = "sec_backups"')
    result = ops.rebase(review, load_checklist(manifest), who="t")
    assert result.new == ["sec_backups"]
    assert "new: sec_backups" in review.audit[-1].detail


def test_rebase_makes_approvals_of_changed_questions_stale(tmp_path: Path) -> None:
    manifest = copy_mini(tmp_path)
    old = load_checklist(manifest)
    review = answer_clean(new_review(old), old)
    for role in ("owner", "security"):
        ops.sign_off(review, old, role, review.stakeholders_with(role)[0], "approve", who="t")
    assert evaluate_gate(review, old, TODAY).verdict is Verdict.READY
    _edit(manifest, "Do alarms page a human", "Do alarms page a person")
    new = load_checklist(manifest)
    ops.rebase(review, new, who="t")
    ops.set_answer(review, new, MEDIUM_Q, choices=review.answers[MEDIUM_Q].choices, who="t")
    gate = evaluate_gate(review, new, TODAY)
    assert [b.kind for b in gate.blockers] == ["signoff_stale", "signoff_stale"]


def test_rebase_refuses_a_tier_that_is_gone(tmp_path: Path) -> None:
    manifest = copy_mini(tmp_path)
    review = new_review(load_checklist(manifest), tier="core")
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"\[tiers\.core\][^\[]*", "", text), encoding="utf-8")
    source = manifest.parent / "readiness.toml"
    source.write_text(source.read_text(encoding="utf-8").replace('tiers = ["core"]\n', ""), "utf-8")
    with pytest.raises(InputError, match="the checklist no longer has tier 'core'"):
        ops.rebase(review, load_checklist(manifest), who="t")


def test_manifest_ref_is_relative_to_the_review_file(tmp_path: Path) -> None:
    manifest = copy_mini(tmp_path)
    review_file = tmp_path / "reviews" / "x.toml"
    assert ops.manifest_ref(manifest, review_file) == "../checklists/orr.toml"
    review = new_review(load_checklist(manifest), review_file=review_file)
    assert ops.resolve_manifest(review, review_file).resolve() == manifest.resolve()


def test_clear_answer() -> None:
    review = answer_clean(new_review())
    assert ops.clear_answer(review, HIGH_Q, who="t", now=NOW) == []
    assert HIGH_Q not in review.answers
    assert review.audit[-1].detail == f"{HIGH_Q}: answer cleared"
    assert ops.clear_answer(review, HIGH_Q, who="t") == [
        f"question {HIGH_Q} has no answer to clear"
    ]
