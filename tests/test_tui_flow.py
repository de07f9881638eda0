"""The whole launch review in the terminal app, by keyboard alone: an empty workspace, a new
review, every core question answered, a finding mitigated, another accepted, every sign-off,
and the readiness screen agreeing with `orr status`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orr.cli import main as cli_main
from orr.review.kinds import Decision, Mark, MitigationStatus, NaReason, Verdict
from orr.tui.dialogs.answer import NotApplicableDialog
from orr.tui.dialogs.findings import AcceptanceDialog, MitigationDialog
from orr.tui.dialogs.review import NewReviewDialog
from orr.tui.screens.findings import FindingsScreen
from orr.tui.screens.home import HomeScreen
from orr.tui.screens.readiness import ReadinessScreen
from orr.tui.screens.walkthrough import WalkthroughScreen
from orr.tui.widgets.question_view import ChoiceList
from tests.test_tui_support import (
    PEOPLE,
    SIZE,
    TODAY,
    load,
    new_app,
    on_top,
    settle,
    sign_as_each,
    tab_to,
    type_text,
)

MITIGATED = "gov_ownership"  # HIGH: one practice only -> a finding with a blocking mitigation
ACCEPTED = "gov_compliance"  # HIGH: None of these -> a finding whose risk is accepted
NOT_APPLICABLE = "cost_policy"


async def test_a_launch_review_from_an_empty_folder_to_ready_by_keyboard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = new_app(workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # An empty folder: Home explains how to start and offers the bundled checklist.
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#home-welcome").display
        assert not home.query_one("#reviews").display
        assert home.info is not None and home.info.bundled and home.info.tiers["core"] == 30

        # Create the review in the dialog.
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewReviewDialog)
        await type_text(pilot, "Payments API")
        # Every question unless a tier is picked: the core tier, for a first review.
        await tab_to(pilot, "#new-tier")
        await pilot.press("enter", "down", "enter")
        for role in ("owner", "security", "operations", "development", "business"):
            await tab_to(pilot, f"#people-{role}")
            await type_text(pilot, PEOPLE[role])
        await pilot.press("ctrl+s")
        await settle(pilot)

        review_file = tmp_path / "reviews" / "payments-api.toml"
        assert review_file.is_file()
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        session = app.session
        assert session is not None and session.path == review_file.resolve()
        created = load(review_file)
        assert created.checklist.tier == "core"
        assert created.workload.launch_date.isoformat() == "2025-07-02"
        assert {(s.name, s.role) for s in created.stakeholders} == {
            (n, r) for r, n in PEOPLE.items()
        }

        # Answer every question of the core tier by keyboard.
        questions = [q.id for q in session.questions]
        assert len(questions) == 30
        assert walk.current == questions[0]
        for qid in questions:
            assert walk.current == qid
            assert isinstance(app.focused, ChoiceList)
            practices = len(session.question(qid).practice_ids)
            if qid == MITIGATED:
                await pilot.press("space")
            elif qid == ACCEPTED:
                await pilot.press("0")
            elif qid == NOT_APPLICABLE:
                await pilot.press("a")
                assert isinstance(app.screen, NotApplicableDialog)
                await pilot.press("enter")  # the first reason: out of scope
                await pilot.press("tab")
                await type_text(pilot, "no cost policy for internal tools")
                await pilot.press("ctrl+s")
                await pilot.pause()
                assert on_top(app, walk)
            else:
                for _ in range(practices):
                    await pilot.press("space", "down")
            if session.question(qid).evidence.required and qid != ACCEPTED:
                # The checklist asks to see evidence here: a link, by keyboard.
                await pilot.press("l")
                await type_text(pilot, f"https://wiki.example.com/{qid}")
                await pilot.press("enter")
                await pilot.pause()
                assert on_top(app, walk)
            await pilot.press("n")
        await pilot.press("u")  # nothing left to answer
        await pilot.pause()

        answered = load(review_file)
        assert set(answered.answers) == set(questions)
        assert all(a.answered for a in answered.answers.values())
        assert answered.answers[ACCEPTED].choices == [f"{ACCEPTED}_no"]
        na = answered.answers[NOT_APPLICABLE]
        assert not na.applicable and na.na_reason is NaReason.OUT_OF_SCOPE
        assert na.na_note == "no cost policy for internal tools"
        assert session.mark(MITIGATED) is Mark.HIGH
        assert session.mark(NOT_APPLICABLE) is Mark.NOT_APPLICABLE
        assert [f.question_id for f in session.gate.findings] == [MITIGATED, ACCEPTED]

        # Findings: a blocking mitigation, marked done; a risk acceptance.
        await pilot.press("2")
        await pilot.pause()
        findings = app.screen
        assert isinstance(findings, FindingsScreen)
        await pilot.press("m")
        assert isinstance(app.screen, MitigationDialog)
        await type_text(pilot, "Record the owner in the service catalogue")
        await pilot.press("ctrl+s")
        await pilot.pause()
        mitigation = load(review_file).mitigations[0]
        assert (mitigation.question, mitigation.owner, mitigation.blocking) == (
            MITIGATED,
            PEOPLE["owner"],
            True,
        )
        assert session.gate.verdict is Verdict.NOT_READY
        await pilot.press("down", "d")  # the mitigation's row, then done
        await pilot.pause()
        assert load(review_file).mitigations[0].status is MitigationStatus.DONE

        await pilot.press("down", "a")  # the next finding, then accept its risk
        assert isinstance(app.screen, AcceptanceDialog)
        await tab_to(pilot, "#acc-rationale")
        await type_text(pilot, "Internal tool; legal review is booked after launch")
        await pilot.press("ctrl+s")
        await pilot.pause()
        acceptance = load(review_file).acceptances[0]
        assert (acceptance.question, acceptance.approver) == (ACCEPTED, PEOPLE["owner"])

        # Readiness: every required role signs off.
        await pilot.press("3")
        await pilot.pause()
        readiness = app.screen
        assert isinstance(readiness, ReadinessScreen)
        # Each stakeholder takes the keyboard (i) and signs for their role.
        await sign_as_each(pilot, [PEOPLE[r] for r in ("owner", "security", "operations")])
        signed = load(review_file)
        assert {(s.role, s.name, s.decision, s.recorded_by) for s in signed.signoffs} == {
            ("owner", PEOPLE["owner"], Decision.APPROVE, ""),
            ("security", PEOPLE["security"], Decision.APPROVE, ""),
            ("operations", PEOPLE["operations"], Decision.APPROVE, ""),
        }
        assert {e.who for e in signed.audit if e.action == "signoff"} == {
            PEOPLE["owner"],
            PEOPLE["security"],
            PEOPLE["operations"],
        }
        gate = session.gate
        assert gate.verdict is Verdict.READY_WITH_CONDITIONS
        assert [c.kind for c in gate.conditions] == ["risk_acceptance"]
        assert "READY WITH CONDITIONS" in str(readiness.query_one("#verdict").render())

    # The command line says the same about the same file.
    code = cli_main(["status", str(review_file), "--json", "--today", TODAY.isoformat()])
    status = json.loads(capsys.readouterr().out)["reviews"][0]
    assert code == 0
    assert status["verdict"] == str(Verdict.READY_WITH_CONDITIONS)
    assert status["blockers"] == []
    assert [c["question"] for c in status["conditions"]] == [ACCEPTED]
