"""Home, findings, readiness, export, help and the command palette of the terminal app."""

from __future__ import annotations

import hashlib
import json
import weakref
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.kinds import Decision, MitigationStatus, Verdict
from orr.review.model import Review
from orr.review.state import answers_hash
from orr.sheet import layout as L
from orr.tomlfile import display_path
from orr.tui.dialogs.findings import MitigationDialog
from orr.tui.dialogs.review import NewReviewDialog, SignOffDialog
from orr.tui.screens.base import screen_keys
from orr.tui.screens.export import ExportScreen
from orr.tui.screens.findings import FindingsScreen
from orr.tui.screens.help import HelpScreen
from orr.tui.screens.home import HomeScreen
from orr.tui.screens.readiness import ReadinessScreen
from orr.tui.screens.walkthrough import WalkthroughScreen
from tests.test_sheet_support import open_book, rows_as_dicts
from tests.test_tui_support import (
    NOW,
    PEOPLE,
    SIZE,
    TODAY,
    edit,
    load,
    make_review,
    new_app,
    notifications,
    on_top,
    settle,
    tab_to,
    type_text,
    workspace_with_mini,
)


def answered(review: Review, checklist: Checklist) -> None:
    """Every question answered: two findings (a HIGH and a MEDIUM), the rest without risk."""
    w = "tester"
    ops.set_answer(review, checklist, "ops_runbooks", choices=["ops_rb_written"], who=w, now=NOW)
    ops.set_answer(review, checklist, "ops_alarms", none=True, who=w, now=NOW)
    ops.set_answer(review, checklist, "ops_rollback", choices=["ops_rb_auto"], who=w, now=NOW)
    ops.set_answer(
        review,
        checklist,
        "sec_least_privilege",
        choices=["sec_lp_scoped", "sec_lp_reviewed"],
        who=w,
        now=NOW,
    )
    ops.set_answer(
        review,
        checklist,
        "sec_encryption",
        choices=["sec_enc_rest", "sec_enc_transit"],
        who=w,
        now=NOW,
    )


def reviewed(tmp_path: Path) -> Path:
    path = make_review(workspace_with_mini(tmp_path))
    edit(path, answered)
    return path


# --- home --------------------------------------------------------------------------------------


async def test_home_lists_the_reviews_and_opens_one(tmp_path: Path) -> None:
    workspace = workspace_with_mini(tmp_path)
    soon = make_review(workspace, "Checkout", launch=date(2025, 6, 5))
    later = make_review(workspace, "[red]Billing[/red]", launch=date(2025, 8, 1))
    edit(later, answered)
    (workspace / "reviews" / "broken.toml").write_text("workload = 3\n", encoding="utf-8")
    (workspace / "notes.toml").write_text('title = "not a review"\n', encoding="utf-8")
    app = new_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not home.query_one("#home-welcome").display
        rows = [
            (a.workload, None, None) if a.error else (a.workload, a.verdict, a.days_left)
            for a in home.reviews
        ]
        # What needs attention first: a file that cannot be read, then the soonest launch.
        assert rows == [
            ("broken", None, None),
            ("Checkout", Verdict.NOT_READY, 3),
            ("[red]Billing[/red]", Verdict.NOT_READY, 60),
        ]
        billing = home.reviews[2].counts
        assert (billing["answered"], billing["questions"]) == (5, 5)
        assert billing["findings"] == 2
        svg = app.export_screenshot()
        assert "[red]Billing[/red]" in svg  # a name is data, not markup
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.session is not None and app.session.path == later.resolve()
        first = weakref.ref(app.screen)
        await pilot.press("h")
        await settle(pilot)
        assert on_top(app, home)
        await pilot.press("up", "enter")  # the cursor stayed on its row; up: the soonest launch
        await settle(pilot)
        assert app.session is not None and app.session.path == soon.resolve()
        # The screens of the review closed are freed (frozen out of the collector while it
        # was open, they go back to it when it closes).
        assert first() is None


async def test_a_review_that_cannot_be_read_is_refused_with_the_reason(tmp_path: Path) -> None:
    workspace = workspace_with_mini(tmp_path)
    broken = workspace / "reviews" / "broken.toml"
    broken.parent.mkdir()
    broken.write_text("workload = 3\n", encoding="utf-8")
    app = new_app(review=broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session is None
        assert isinstance(app.screen, HomeScreen)
        assert any("broken.toml" in n for n in notifications(app))


async def test_the_new_review_dialog_validates_as_you_type(tmp_path: Path) -> None:
    workspace = workspace_with_mini(tmp_path)
    app = new_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewReviewDialog)
        # The workspace's own checklist, its roles and tier.
        assert dialog.query_one("#new-checklist", Input).value.endswith("checklists/orr.toml")
        assert dialog.query("#people-owner") and dialog.query("#people-security")
        await pilot.press("ctrl+s")  # no workload name
        assert app.screen is dialog
        assert "workload name is required" in str(dialog.query_one("#dialog-error").render())
        await type_text(pilot, "Search")
        await tab_to(pilot, "#new-launch")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-13-01")
        field = dialog.query_one("#new-launch").parent
        assert field is not None
        hint = field.query_one(".field-hint")
        assert "YYYY-MM-DD" in str(hint.render())
        await pilot.press("ctrl+s")
        assert app.screen is dialog
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "07-01")
        await tab_to(pilot, "#people-security")
        await type_text(pilot, "Sam Security, Sue")
        await pilot.press("ctrl+s")
        await settle(pilot)
    review = load(workspace / "reviews" / "search.toml")
    assert review.workload.launch_date == date(2025, 7, 1)
    assert review.checklist.manifest == "../checklists/orr.toml"
    assert review.checklist.tier is None  # every question: the one default of the CLI and TUI
    assert {(s.name, s.role) for s in review.stakeholders} == {
        ("Sam Security", "security"),
        ("Sue", "security"),
    }


# --- findings ----------------------------------------------------------------------------------


async def test_findings_mitigations_edits_and_overdue_dates(tmp_path: Path) -> None:
    path = reviewed(tmp_path)

    def late(review: Review, checklist: Checklist) -> None:
        ops.add_mitigation(
            review,
            checklist,
            "ops_alarms",
            title="Page on KPIs",
            owner="Oscar Ops",
            due=date(2025, 5, 20),
            blocking=False,
            who="t",
            now=NOW,
            today=date(2025, 5, 1),
        )

    edit(path, late)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one("#findings-table", DataTable)
        keys = [str(k.value) for k in table.rows]
        assert keys == ["f:ops_runbooks", "f:ops_alarms", "m:M1"]
        # The overdue due date is flagged in the theme's error colour.
        due = table.get_cell("m:M1", "due")
        assert due.plain == "2025-05-20 !"
        assert str(due.style.color.name).lower() == app.get_css_variables()["text-error"].lower()
        assert "1 overdue" in str(screen.query_one("#findings-summary").render())

        # Edit the mitigation: in progress, blocking.
        await pilot.press("down", "down", "e")
        dialog = app.screen
        assert isinstance(dialog, MitigationDialog)
        await tab_to(pilot, "#mit-status")
        await pilot.press("enter", "down", "enter")  # open the list, in progress
        await tab_to(pilot, "#mit-blocking")
        await pilot.press("space")
        await pilot.press("ctrl+s")
        mitigation = load(path).mitigations[0]
        assert mitigation.status is MitigationStatus.IN_PROGRESS and mitigation.blocking
        assert app.session is not None
        assert any(b.kind == "blocking_mitigation" for b in app.session.gate.blockers)

        # A finding without a plan: add a mitigation; Enter on a finding opens the question.
        await pilot.press("ctrl+home", "m")
        await type_text(pilot, "Write the runbooks")
        await pilot.press("ctrl+s")
        assert [m.question for m in load(path).mitigations] == ["ops_alarms", "ops_runbooks"]
        await pilot.press("ctrl+home", "enter")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen) and walk.current == "ops_runbooks"


async def test_a_risk_acceptance_must_expire_after_today(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "a")
        dialog = app.screen
        await tab_to(pilot, "#acc-rationale")
        await type_text(pilot, "Low traffic until Q3")
        await tab_to(pilot, "#acc-expires")
        await pilot.press("ctrl+u")
        await type_text(pilot, TODAY.isoformat())
        await pilot.press("ctrl+s")
        assert app.screen is dialog
        assert "after 2025-06-02" in str(dialog.query_one("#dialog-error").render())
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-09-30")
        await pilot.press("ctrl+s")
    acceptance = load(path).acceptances[0]
    assert (acceptance.question, acceptance.approver, acceptance.role) == (
        "ops_runbooks",
        PEOPLE["owner"],
        "owner",
    )
    assert acceptance.expires == date(2025, 9, 30)


# --- readiness ---------------------------------------------------------------------------------


async def test_readiness_rebases_onto_a_changed_checklist(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    source = tmp_path / "checklists" / "readiness.toml"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        'title = "Runbooks exist for every alarm"', 'title = "Runbooks exist for each alarm"'
    )
    text += (
        '\n[[pillars.questions]]\nid = "ops_new_question"\ntitle = "Is there a new thing?"\n'
        'owner_role = "owner"\n\n[[pillars.questions.choices]]\nid = "ops_nq_yes"\n'
        'title = "Yes"\nimprovement = "Do it."\n'
    )
    source.write_text(text, encoding="utf-8")
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ReadinessScreen)
        assert app.session is not None
        kinds = [str(b.kind) for b in app.session.gate.blockers]
        assert "checklist_changed" in kinds

        await pilot.press("b")
        await pilot.pause()
        review = load(path)
        assert review.checklist.content_hash == app.session.checklist.content_hash
        assert review.answers["ops_runbooks"].reconfirm is True
        assert "ops_new_question" in review.checklist.question_hashes
        assert "ops_new_question" not in review.answers
        blockers = app.session.gate.blockers
        assert [b.question for b in blockers if b.kind == "checklist_changed"] == ["ops_runbooks"]
        assert any(b.kind == "unanswered" and b.question == "ops_new_question" for b in blockers)
        assert any("Rebased onto checklist" in n for n in notifications(app))

        await pilot.press("b")  # nothing left to carry over: said, nothing written
        await pilot.pause()
        assert load(path) == review
        assert any("up to date with its checklist" in n for n in notifications(app))
        last = list(app._notifications)[-1]
        assert (last.title, last.severity) == ("Nothing to rebase", "information")


async def test_readiness_signs_rejects_and_shows_stale_approvals(tmp_path: Path) -> None:
    path = reviewed(tmp_path)

    def mitigated(review: Review, checklist: Checklist) -> None:
        ops.add_mitigation(
            review,
            checklist,
            "ops_runbooks",
            title="Runbooks",
            owner="Olivia Owner",
            due=None,
            status="done",
            who="t",
            now=NOW,
            today=TODAY,
        )

    edit(path, mitigated)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReadinessScreen)
        signoffs = screen.query_one("#signoffs", DataTable)
        assert [str(k.value) for k in signoffs.rows] == ["owner", "security"]
        assert signoffs.get_cell("owner", "state").plain == "missing"

        await pilot.press("s")
        dialog = app.screen
        assert isinstance(dialog, SignOffDialog)
        # The tester at the keyboard is not Olivia Owner: signing for her needs a confirmation.
        await pilot.press("ctrl+s")
        assert on_top(app, dialog)
        assert "on their behalf" in str(dialog.query_one("#dialog-error").render())
        await tab_to(pilot, "#so-behalf")
        await pilot.press("space", "ctrl+s")  # the owner approves, entered by the tester
        await pilot.press("x")  # security rejects
        dialog = app.screen
        assert isinstance(dialog, SignOffDialog)
        await tab_to(pilot, "#so-behalf")
        await pilot.press("space", "ctrl+s")
        review = load(path)
        owner = review.signoff("owner")
        assert owner is not None and owner.decision is Decision.APPROVE
        assert (owner.name, owner.recorded_by) == ("Olivia Owner", "tester")
        security = review.signoff("security")
        assert security is not None and security.decision is Decision.REJECT
        assert signoffs.get_cell("security", "state").plain == "rejected"
        assert app.session is not None
        gate = app.session.gate
        assert gate.verdict is Verdict.NOT_READY
        kinds = [b.kind for b in gate.blockers]
        assert kinds == ["signoff_rejected"]

        # Security approves after all; then a changed answer makes both approvals stale.
        await tab_to(pilot, "#signoffs")
        await pilot.press("down", "s")
        await tab_to(pilot, "#so-behalf")
        await pilot.press("space", "ctrl+s")
        gate = app.session.gate  # read again after the sign-off
        assert gate.verdict is Verdict.READY_WITH_CONDITIONS
        assert "READY WITH CONDITIONS" in str(screen.query_one("#verdict").render())
        edit(
            path,
            lambda r, c: ops.set_answer(r, c, "ops_rollback", choices=["ops_rb_manual"], who="t"),
        )
        app.poll_disk()
        await pilot.pause()
        assert signoffs.get_cell("owner", "state").plain == "stale"
        gate = app.session.gate
        assert gate.verdict is Verdict.NOT_READY
        stale = load(path).signoff("owner")
        assert stale is not None and stale.answers_hash != answers_hash(load(path))

        # Enter on a blocker leads to it: the stale sign-off's table.
        await tab_to(pilot, "#blockers")
        await pilot.press("ctrl+home", "enter")
        assert app.focused is signoffs


async def test_unanswered_blockers_lead_to_that_roles_questions(tmp_path: Path) -> None:
    path = make_review(workspace_with_mini(tmp_path))
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        blockers = app.screen.query_one("#blockers", DataTable)
        keys = [str(k.value) for k in blockers.rows]
        assert keys[:2] == ["b:unanswered:owner", "b:unanswered:security"]
        await pilot.press("down", "enter")
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert walk.role == "security" and walk.shown == ["sec_least_privilege", "sec_encryption"]


# --- export ------------------------------------------------------------------------------------


async def test_export_writes_the_lens_and_the_workbook_in_the_background(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        lens = tmp_path / "exports" / "mini_orr.json"
        book = tmp_path / "exports" / "payments-api.xlsx"
        assert [job for job, _ in screen.results] == ["lens export", "spreadsheet export"]
        assert [f for _, f in screen.results] == [lens, book]
        doc = json.loads(lens.read_text(encoding="utf-8"))
        assert [p["id"] for p in doc["pillars"]] == ["operations", "security"]
        # The workbook is this review's, as of the app's day: its sheets, verdict and findings.
        wb = open_book(book)
        assert wb.sheetnames == [
            L.SUMMARY, L.FINDINGS, L.MITIGATIONS, L.ACCEPTANCES, L.SIGNOFFS, L.CHECKLIST, L.AUDIT,
            L.README, L.LISTS, L.PILLARS, L.LENS, L.SOURCES, L.META,
        ]  # fmt: skip
        summary = {r[0]: r[1] for r in wb[L.SUMMARY].iter_rows(values_only=True) if r and r[0]}
        assert (summary["Workload"], summary["Days left"], summary["Verdict"]) == (
            "Payments API",
            29,
            "NOT READY",
        )
        findings = [(f[L.F_QUESTION_ID], f[L.F_RISK]) for f in rows_as_dicts(wb[L.FINDINGS])]
        assert findings == [("ops_runbooks", "HIGH_RISK"), ("ops_alarms", "MEDIUM_RISK")]
        answers = {(r[L.QUESTION_ID], r[L.RISK]) for r in rows_as_dicts(wb[L.CHECKLIST])}
        assert answers == {
            ("ops_runbooks", "HIGH_RISK"),
            ("ops_alarms", "MEDIUM_RISK"),
            ("ops_rollback", "NO_RISK"),
            ("sec_least_privilege", "NO_RISK"),
            ("sec_encryption", "NO_RISK"),
        }
        meta = {r[0]: r[1] for r in wb[L.META].iter_rows(values_only=True) if r[0]}
        assert meta["review sha256"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        log = "\n".join(screen.log_lines)
        assert f"Lens written: {display_path(lens)}" in log
        assert f"Spreadsheet written: {display_path(book)}" in log


async def test_wa_tool_jobs_run_as_dry_runs_and_say_what_is_missing(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await pilot.press("o")
        await tab_to(pilot, "#export-region")
        await type_text(pilot, "eu-west-1")
        await pilot.press("escape", "p")  # push the lens: a dry run lists the calls
        await settle(pilot)
        assert screen.results == [("lens push", None)], notifications(app)
        assert "ImportLens" in "\n".join(screen.log_lines)
        await pilot.press("w")  # no lens published yet: the sync says what to do
        await settle(pilot)
        assert screen.results == [("lens push", None)]
        text = "\n".join(screen.log_lines)
        assert "sync failed" in text and "no lens to sync with" in text
        assert "sync failed" in str(screen.query_one("#export-status").render())
    assert load(path).wat == {}  # dry runs change nothing


async def test_an_output_folder_that_is_a_file_fails_the_export_and_frees_the_keys(
    tmp_path: Path,
) -> None:
    path = reviewed(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-folder", Input).value = str(blocker / "sub")
        for key, job in (("l", "lens export"), ("x", "spreadsheet export")):
            await pilot.press(key)
            await settle(pilot)
            assert screen.running is None, notifications(app)  # not stuck "running"
            assert f"{job} failed" in str(screen.query_one("#export-status").render())


async def test_a_wa_tool_job_without_a_region_points_to_the_region_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await pilot.press("d", "p")  # a real push (not a dry run), no Region filled in
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "lens push failed"]
        assert said and "fill in Region above" in said[0], notifications(app)
        assert "--region" not in said[0]


# --- help, palette, theme ----------------------------------------------------------------------


async def test_f1_help_on_every_screen_and_every_key_in_the_palette(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, title in (
            ("1", "Walk-through"),
            ("2", "Findings and mitigations"),
            ("3", "Launch readiness"),
            ("4", "Export"),
            ("h", "Home"),
        ):
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            await pilot.press("f1")
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            text = help_screen._help
            assert f"# {title}" in text
            # Every key of the screen, with its description, is in the help and the palette.
            commands = {c.title for c in app.get_system_commands(screen)}
            keys = screen_keys(screen)
            assert len(keys) >= 4
            for _, binding in keys:
                assert binding.description in text
                if binding.action not in ("help", "quit", "change_theme", "app.quit"):
                    assert f"{binding.description} ({app.get_key_display(binding)})" in commands
            for description in ("Help", "Quit", "Theme"):
                assert any(c.startswith(description) for c in commands)
            await pilot.press("escape")
            assert app.screen is screen


async def test_the_palette_runs_an_action_and_the_theme_can_change(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = app.screen
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        before = walk.current
        await pilot.press("ctrl+p")
        await type_text(pilot, "Next (n)")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert on_top(app, walk) and walk.current != before

        await pilot.press("ctrl+t")
        await pilot.pause()
        await type_text(pilot, "textual-light")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"
        await pilot.press("3")  # tables take their colours from the new theme
        await pilot.pause()
        verdict = app.screen.query_one("#blockers", DataTable).get_row_at(0)[0]
        assert (
            str(verdict.style.color.name).lower() == app.get_css_variables()["text-error"].lower()
        )


async def test_a_screen_shown_again_shows_what_changed_while_it_was_away(tmp_path: Path) -> None:
    """A screen comes back without being made or styled again only when nothing it shows
    changed: a teammate's change, a theme and a terminal size chosen on another screen show."""
    from orr.review.kinds import Mark
    from orr.tui.widgets.question_tree import QuestionItem

    path = reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        qid = walk.shown[-1]

        def mark() -> Mark:
            data = walk.qtree._question_nodes[qid].data
            assert isinstance(data, QuestionItem)
            return data.mark

        assert mark() is not Mark.NOT_APPLICABLE
        background = walk.styles.background

        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, FindingsScreen)
        # Away from the walk-through: a teammate marks the question not applicable, the theme
        # changes, and the terminal narrows.
        edit(
            path,
            lambda r, c: ops.set_answer(
                r, c, qid, na_reason="OTHER", na_note="n", who="t", now=NOW
            ),
        )
        app.poll_disk()
        app.theme = "textual-light"
        await pilot.resize_terminal(90, 30)
        await settle(pilot)

        await pilot.press("1")
        await settle(pilot)
        assert on_top(app, walk)
        assert mark() is Mark.NOT_APPLICABLE
        assert walk.styles.background != background
        assert walk.has_class("-tight") and not walk.has_class("-ample")

        # And back again with nothing changed: the same tree, nothing made again.
        tree = walk.qtree
        await pilot.press("2", "1")
        await settle(pilot)
        assert on_top(app, walk) and walk.qtree is tree and mark() is Mark.NOT_APPLICABLE


# --- words in any language -----------------------------------------------------------------------


def test_a_sentence_keeps_its_order_and_styles_only_its_parts() -> None:
    from orr.tui.text import fill

    # A translation may put the placeholders in another order: each keeps its own style.
    content = fill("{file} に {folder} が保存されます", file=("a.toml", "bold"), folder="ws")
    assert content.plain == "a.toml に ws が保存されます"
    assert [(content.plain[s.start : s.end], s.style) for s in content.spans] == [
        ("a.toml", "bold")
    ]
    muted = fill("see {file} for more", "$foreground-muted", file=("orr.toml", "bold"))
    assert muted.plain == "see orr.toml for more"
    assert [(muted.plain[s.start : s.end], s.style) for s in muted.spans] == [
        ("see ", "$foreground-muted"),
        ("orr.toml", "bold"),
        (" for more", "$foreground-muted"),
    ]
    assert fill("{{literal}} {x}", x="y").plain == "{literal} y"


def test_a_note_that_nothing_changed_is_not_said_in_any_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from orr.tui.screens import base

    assert base._says_unchanged("question q1: the answer is unchanged")
    assert not base._says_unchanged("the checklist changed since it was answered")
    words = {"mitigation {mitigation} is unchanged": "対策 {mitigation} は変更なし"}
    monkeypatch.setattr(base, "_", lambda text: words.get(text, text))
    assert base._says_unchanged("対策 M-3 は変更なし")
    assert not base._says_unchanged("対策 M-3 を追加しました")


def test_a_label_is_cut_by_the_columns_it_takes() -> None:
    from rich.cells import cell_len

    from orr.tui.text import fit

    assert fit("Security reviewer", 34) == "Security reviewer"
    assert fit("a" * 40, 34) == "a" * 33 + "…"  # as one_line cuts English
    cut = fit("セキュリティレビュー担当者と運用チームの責任者と事業部門の承認者", 34)
    assert cut.endswith("…") and cell_len(cut) <= 34
    assert fit("line\nbreak", 34) == "line break"
