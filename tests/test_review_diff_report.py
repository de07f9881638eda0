"""`orr diff` (what changed between two reviews) and `orr report` (the Markdown readout)."""

from __future__ import annotations

import json
from datetime import date

from orr.review import ops
from orr.review.diff import diff_reviews, format_diff
from orr.review.model import Review
from orr.review.report import md, render_report
from tests.test_review_support import (
    HIGH_Q,
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


def before_after() -> tuple[Review, Review]:
    c = mini()
    old = ready_review()
    ops.set_answer(old, c, MEDIUM_Q, choices=["ops_al_kpi"], who="t", now=NOW)
    ops.add_mitigation(
        old, c, MEDIUM_Q, title="Page", owner="Ann", due="2030-01-10", who="t", now=NOW
    )
    ops.add_acceptance(
        old,
        c,
        MEDIUM_Q,
        approver="Bo",
        role="owner",
        rationale="r",
        expires="2030-01-05",
        who="t",
        now=NOW,
        today=TODAY,
    )
    sign_all(old)
    new = old.model_copy(deep=True)
    ops.set_answer(new, c, MEDIUM_Q, choices=["ops_al_kpi", "ops_al_paging"], who="t", now=NOW)
    ops.set_answer(new, c, HIGH_Q, none=True, who="t", now=NOW)
    ops.set_answer(new, c, SEC_MEDIUM_Q, na_reason="OUT_OF_SCOPE", who="t", now=NOW)
    ops.set_answer(
        new, c, SEC_HIGH_Q, notes="reviewed", evidence=["https://iam/report"], who="t", now=NOW
    )
    ops.update_mitigation(new, "M1", who="t", now=NOW, status="done")
    ops.add_mitigation(
        new, c, HIGH_Q, title="Runbooks", owner="Ann", due="2030-01-15", who="t", now=NOW
    )
    ops.sign_off(new, c, "security", "Sam", "reject", who="t", now=NOW)
    new.workload.owner = "Zoe"
    return old, new


def test_diff_lists_every_kind_of_change() -> None:
    old, new = before_after()
    d = diff_reviews(old, new, mini(), mini(), date(2030, 1, 6))
    assert d.old_as_of == date(2030, 1, 1)  # the date of its last audit entry
    assert d.verdict == ("READY_WITH_CONDITIONS", "NOT_READY")
    assert d.workload == {"owner": ("Ann", "Zoe")}
    changes = {a.question: a for a in d.answers}
    assert sorted(changes) == sorted([HIGH_Q, MEDIUM_Q, SEC_HIGH_Q, SEC_MEDIUM_Q])
    assert changes[MEDIUM_Q].choices_added == ["ops_al_paging"]
    assert changes[HIGH_Q].choices_added == ["ops_runbooks_no"]
    assert set(changes[HIGH_Q].choices_removed) == {"ops_rb_written", "ops_rb_tested"}
    assert changes[SEC_MEDIUM_Q].applicable == (True, False)
    assert changes[SEC_MEDIUM_Q].na_reason == (None, "OUT_OF_SCOPE")
    assert changes[SEC_HIGH_Q].notes_changed and changes[SEC_HIGH_Q].evidence_added == [
        "https://iam/report"
    ]
    risks = {(r.question, r.old, r.new, r.direction) for r in d.risks}
    assert risks == {
        (HIGH_Q, "NO_RISK", "HIGH_RISK", "up"),
        (MEDIUM_Q, "MEDIUM_RISK", "NO_RISK", "down"),
        (SEC_MEDIUM_Q, "NO_RISK", None, "down"),
    }
    assert d.findings_opened == [{"question": HIGH_Q, "risk": "HIGH_RISK"}]
    assert d.findings_closed == [{"question": MEDIUM_Q, "risk": "MEDIUM_RISK"}]
    assert [m["id"] for m in d.mitigations_added] == ["M2"]
    assert [(c.id, c.changes) for c in d.mitigations_changed] == [
        ("M1", {"status": ("open", "done")})
    ]
    assert d.mitigations_done == ["M1"]
    assert d.acceptances_expired == ["A1"]  # held on 2030-01-01, expired by 2030-01-06
    assert [
        (s.role, s.old and s.old["decision"], s.new and s.new["decision"]) for s in d.signoffs
    ] == [("security", "approve", "reject")]
    json.dumps(d.as_dict())  # JSON-ready


def test_diff_text_is_readable_and_says_when_nothing_changed() -> None:
    old, new = before_after()
    text = format_diff(diff_reviews(old, new, mini(), mini(), TODAY), "old.toml", "new.toml")
    assert "verdict: READY WITH CONDITIONS -> NOT READY" in text
    assert f"  {HIGH_Q}: NO_RISK -> HIGH_RISK (up)" in text
    assert f"  opened {HIGH_Q} (HIGH_RISK)" in text
    assert "  ~ M1: status open -> done" in text
    assert "  ~ security: approve by Sam -> reject by Sam" in text.replace("Security", "Sam")
    same = format_diff(diff_reviews(old, old, mini(), mini(), TODAY), "a", "a")
    assert same.endswith("no changes\n")


def test_diff_of_a_rebase_reports_archived_answers() -> None:
    old = answer_clean(new_review())
    new = old.model_copy(deep=True)
    new.archived[RULES_Q] = new.answers.pop(RULES_Q)
    d = diff_reviews(old, new, mini(), mini(), TODAY)
    assert d.archived == [RULES_Q]
    assert [(a.question, a.change) for a in d.answers] == [(RULES_Q, "removed")]


def test_report_tells_the_launch_meeting_what_matters() -> None:
    _, review = before_after()
    review.answers[HIGH_Q].notes = "see [link](http://evil) <b>x</b> \x1b[31mred"
    text = render_report(review, mini(), date(2030, 1, 16), "reviews/payments.toml")
    assert text.startswith("# Operational readiness review: Payments API\n")
    assert "- **Verdict:** NOT READY" in text
    assert "- **Launch date:** 2030-01-20 (in 4 days)" in text
    assert "## Blockers (3)" in text  # the finding once, its overdue mitigation under it
    assert "| `high_finding` | `ops_runbooks` |" in text
    assert "| `signoff_rejected` | — |" in text
    assert "### `ops_runbooks` — Do on-call engineers have runbooks" in text
    assert (
        "- **Mitigation M2:** Runbooks — Ann, due 2030-01-15, open, blocking, **OVERDUE**" in text
    )
    assert "| Security reviewer | yes | Sam | rejected |" in text
    assert "## Open questions (0)" in text
    assert "- `sec_encryption` — OUT_OF_SCOPE" in text
    assert "| Operations | 3 | 3 | 1 | 0 | 2 | 0 |" in text
    # User text cannot inject markup or terminal escapes.
    assert "- **Notes:** see \\[link\\](http://evil) \\<b\\>x\\</b\\> \\\\x1b\\[31mred" in text
    assert "\x1b" not in text and "<b>" not in text and "[link](" not in text


def test_report_of_a_new_review_lists_open_questions_and_missing_signoffs() -> None:
    text = render_report(new_review(), mini(), TODAY)
    assert "## Open questions (5)" in text
    assert (
        "- `ops_runbooks` Do on-call engineers have runbooks for the known failure modes? — Workload owner (Ann)"
        in text
    )
    assert "| Workload owner | yes | — | missing | — |" in text
    assert "No findings" in text


def test_md_escapes_markup() -> None:
    assert md("a|b *c* <d> `e`") == "a\\|b \\*c\\* \\<d\\> \\`e\\`"
    assert md("line\nbreak\x07") == "line break\\\\x07"
