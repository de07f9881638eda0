"""The launch meeting (issue 12): filters applied once with one question per key, who is at the
keyboard, corrections, warnings said when they matter, reviews of the bundled checklist that
travel, and the app idle when nobody types."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Tree

from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.checklists import BUNDLED
from orr.review.gate import evaluate_gate
from orr.review.kinds import MitigationStatus, StatusFilter
from orr.review.model import Review
from orr.tui.app import OrrApp
from orr.tui.dialogs.base import PickerDialog
from orr.tui.dialogs.findings import WithdrawDialog
from orr.tui.dialogs.review import PersonDialog, StakeholdersDialog, WorkloadDialog
from orr.tui.screens.findings import FindingsScreen
from orr.tui.screens.readiness import ReadinessScreen
from orr.tui.screens.walkthrough import WalkthroughScreen
from orr.tui.widgets.question_tree import QuestionItem
from tests.test_tui_support import (
    LAUNCH,
    SIZE,
    TODAY,
    edit,
    load,
    make_review,
    new_app,
    notifications,
    settle,
    tab_to,
    type_text,
    workspace_with_mini,
)


async def _walk(app: OrrApp, pilot: Pilot[None]) -> WalkthroughScreen:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, WalkthroughScreen)
    return screen


async def _still(pilot: Pilot[None], walk: WalkthroughScreen, rounds: int = 8) -> list[str | None]:
    """The question shown over a few pauses: one value when the screen is at rest."""
    seen = []
    for _ in range(rounds):
        await pilot.pause(0.02)
        seen.append(walk.current)
    return seen


# --- 1. filters apply once; a key acts on the question on screen -----------------------------


@pytest.mark.parametrize("moves", [3, 6, 10])
async def test_walking_a_role_after_moving_shows_one_question_per_key(
    tmp_path: Path, moves: int
) -> None:
    path = make_review(tmp_path)  # the bundled checklist, every question
    app = new_app(review=path)
    async with app.run_test(size=(160, 45)) as pilot:
        walk = await _walk(app, pilot)
        for _ in range(moves):
            await pilot.press("n")
        await pilot.press("r")
        picker = app.screen
        assert isinstance(picker, PickerDialog)
        options = picker.query_one(OptionList)
        security = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == "security"
        )
        options.highlighted = security
        await pilot.press("enter")
        await settle(pilot)
        first = walk.current
        assert walk.role == "security"
        assert first == walk.shown[0]
        assert set(await _still(pilot, walk)) == {first}  # no flicker between two questions
        # One question per key, and the key acts on the question on screen.
        await pilot.press("n")
        second = walk.current
        assert second == walk.shown[1]
        await pilot.press("space")
        await settle(pilot)
        saved = load(path)
        assert second in saved.answers and first not in saved.answers
        assert set(await _still(pilot, walk)) == {second}
        # Back to every role: still one question, the answer kept.
        await pilot.press("r")
        await pilot.press("home", "enter")
        await settle(pilot)
        assert walk.role is None
        assert set(await _still(pilot, walk)) == {second}
        assert second in load(path).answers


async def test_a_stale_highlight_from_the_tree_moves_nothing(tmp_path: Path) -> None:
    path = make_review(workspace_with_mini(tmp_path))
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await _walk(app, pilot)
        tree = walk.qtree
        other = tree._question_nodes["sec_encryption"]
        # A highlight of another node arriving after the tree moved on (as a rebuild causes):
        # the question stays, with the tree focused or not.
        tree.post_message(Tree.NodeHighlighted(other))
        await pilot.pause()
        assert walk.current == "ops_runbooks"
        tree.focus()
        await pilot.pause()
        tree.post_message(Tree.NodeHighlighted(other))
        await pilot.pause()
        assert walk.current == "ops_runbooks"
        # A move the user makes in the tree does move the question.
        await pilot.press("down")
        assert walk.current == "ops_alarms"
        node = tree.cursor_node
        assert node is not None and isinstance(node.data, QuestionItem)


@pytest.mark.parametrize("how", ["status", "search", "pillar"])
async def test_the_other_filters_apply_once_too(tmp_path: Path, how: str) -> None:
    path = make_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=(160, 45)) as pilot:
        walk = await _walk(app, pilot)
        for _ in range(7):
            await pilot.press("n")
        if how == "status":
            await pilot.press("s")
            picker = app.screen
            options = picker.query_one(OptionList)
            options.highlighted = [s.value for s in StatusFilter].index("unanswered")
            await pilot.press("enter")
        elif how == "search":
            await pilot.press("slash")
            await type_text(pilot, "backup")
            await pilot.press("enter")
        else:
            await pilot.press("g")
            await pilot.press("end", "enter")
        await settle(pilot)
        shown = walk.current
        assert set(await _still(pilot, walk)) == {shown}
        await pilot.press("n")
        after = walk.current
        assert set(await _still(pilot, walk)) == {after}
        assert after != shown or len(walk.shown) == 1


async def test_the_app_is_idle_when_nobody_types(tmp_path: Path) -> None:
    path = make_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await _walk(app, pilot)
        await pilot.press("r", "enter")
        await settle(pilot)
        await pilot.pause(0.3)
        # Nothing waits to be handled: no message, no filter to apply, no notes to save.
        assert walk._message_queue.empty()
        assert not walk._filters_pending
        assert not walk.notes.pending


# --- 3. who is at the keyboard -----------------------------------------------------------------


async def test_the_person_at_the_keyboard_is_asked_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORR_USER", raising=False)
    path = make_review(workspace_with_mini(tmp_path))
    from orr.tui.app import OrrApp

    app = OrrApp(review=path, today=TODAY)  # no --user: the app asks
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PersonDialog)
        options = dialog.query_one(OptionList)
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "Olivia Owner" in names and "Sam Security" in names
        options.highlighted = names.index("Sam Security")
        await pilot.press("enter")
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert "Sam Security" in str(walk.query_one("#header-person").render())
        await pilot.press("space")
        await settle(pilot)
        review = load(path)
        assert review.answers["ops_runbooks"].answered_by == "Sam Security"
        assert review.audit[-1].who == "Sam Security"
        # Someone else takes the keyboard: a name typed.
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, PersonDialog)
        await tab_to(pilot, "#person-name")
        await type_text(pilot, "Ann Visitor")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "space")
        await settle(pilot)
        assert load(path).audit[-1].who == "Ann Visitor"


# --- 4. a review of the bundled checklist travels -------------------------------------------


async def test_a_review_of_the_bundled_checklist_copied_elsewhere_opens_and_gates(
    tmp_path: Path,
) -> None:
    made = make_review(tmp_path / "here")
    assert load(made).checklist.manifest == BUNDLED  # whatever the install mode
    elsewhere = tmp_path / "far" / "away" / "reviews"
    elsewhere.mkdir(parents=True)
    copy = elsewhere / made.name
    shutil.copy(made, copy)
    app = new_app(review=copy)
    async with app.run_test(size=SIZE) as pilot:
        await _walk(app, pilot)
        assert app.session is not None
        assert app.session.gate.counts["questions"] == len(app.session.questions) > 0


# --- 5. corrections ------------------------------------------------------------------------------


async def test_corrections_withdraw_remove_evidence_workload_and_people(tmp_path: Path) -> None:
    path = make_review(workspace_with_mini(tmp_path))

    def prepared(review: Review, checklist: Checklist) -> None:
        ops.set_answer(
            review,
            checklist,
            "ops_runbooks",
            none=True,
            evidence=["https://wiki.example.com/a", "https://wiki.example.com/b"],
            who="t",
        )
        ops.add_mitigation(
            review,
            checklist,
            "ops_runbooks",
            title="On the wrong finding",
            owner="Oscar Ops",
            due="2025-06-20",
            who="t",
            today=TODAY,
        )

    edit(path, prepared)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await _walk(app, pilot)
        # Remove an evidence link.
        walk.go_to("ops_runbooks")
        await pilot.press("L")
        picker = app.screen
        assert isinstance(picker, PickerDialog)
        await pilot.press("down", "enter")
        await pilot.press("y")
        await settle(pilot)
        assert [e.url for e in load(path).answers["ops_runbooks"].evidence] == [
            "https://wiki.example.com/a"
        ]
        # Withdraw the mitigation: it stays, marked, and leaves the gate.
        await pilot.press("2")
        await settle(pilot)
        findings = app.screen
        assert isinstance(findings, FindingsScreen)
        await pilot.press("down", "x")
        assert isinstance(app.screen, WithdrawDialog)
        await type_text(pilot, "recorded on the wrong finding")
        await pilot.press("enter")
        await settle(pilot)
        review = load(path)
        assert review.mitigations[0].status is MitigationStatus.WITHDRAWN
        assert "recorded on the wrong finding" in review.audit[-1].detail
        assert app.session is not None
        gate = evaluate_gate(review, app.session.checklist, TODAY)
        assert not any(b.mitigations for b in gate.blockers)
        # The workload: a new launch date and name.
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, ReadinessScreen)
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, WorkloadDialog)
        dialog.query_one("#wl-name", Input).value = "Payments API v2"
        dialog.query_one("#wl-launch", Input).value = "2025-07-15"
        await pilot.press("ctrl+s")
        await settle(pilot)
        review = load(path)
        assert review.workload.name == "Payments API v2"
        assert review.workload.launch_date.isoformat() == "2025-07-15"
        assert review.audit[-1].action == "workload"
        # The stakeholders: rename one, remove one.
        await pilot.press("o")
        dialog = app.screen
        assert isinstance(dialog, StakeholdersDialog)
        dialog.query_one("#people-security", Input).value = "Sue Security"
        dialog.query_one("#people-owner", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert {(s.name, s.role) for s in load(path).stakeholders} == {("Sue Security", "security")}
        assert "removed Olivia Owner (owner)" in "; ".join(e.detail for e in load(path).audit)


# --- 6. warnings at the moment they matter ----------------------------------------------------


async def test_a_blocking_mitigation_due_after_launch_and_a_stale_approval_are_said(
    tmp_path: Path,
) -> None:
    path = make_review(workspace_with_mini(tmp_path))

    def signed(review: Review, checklist: Checklist) -> None:
        for qid in ("ops_runbooks", "ops_alarms", "ops_rollback", "sec_least_privilege"):
            ops.set_answer(review, checklist, qid, none=True, who="t")
        ops.sign_off(review, checklist, "owner", "Olivia Owner", "approve", who="Olivia Owner")

    edit(path, signed)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await _walk(app, pilot)
        walk.go_to("ops_alarms")
        await pilot.press("space")  # an answer changes after the owner's approval
        await settle(pilot)
        said = notifications(app)
        assert any("Olivia Owner's approval" in n and "stale" in n for n in said)
        # A blocking mitigation due after the launch date: said when it is entered.
        session = app.session
        assert session is not None
        outcome = session.add_mitigation(
            "ops_runbooks", title="Later", owner="Oscar Ops", due="2025-08-01", blocking=True
        )
        assert any("after the launch date" in w for w in outcome.warnings)
        gate = session.gate
        assert [b.kind for b in gate.blockers if b.question == "ops_runbooks"] == [
            "mitigation_after_launch"
        ]
        assert LAUNCH.isoformat() in gate.blockers[0].message or any(
            LAUNCH.isoformat() in b.message for b in gate.blockers
        )
