"""The walk-through: moving, filters and search, None of these, not applicable, notes saved as
typed and shown literally, and changes made on disk by someone else."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import TextArea

from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.kinds import Mark, NaReason, StatusFilter
from orr.review.model import Review
from orr.tui.app import OrrApp
from orr.tui.dialogs.answer import EvidenceDialog, NotApplicableDialog, NotesClashDialog
from orr.tui.dialogs.base import PickerDialog
from orr.tui.screens.help import HelpScreen
from orr.tui.screens.walkthrough import WalkthroughScreen
from orr.tui.widgets.question_tree import QuestionItem
from orr.tui.widgets.question_view import ChoiceList, NotesArea, _cut
from tests.test_tui_support import (
    SIZE,
    demo_workspace,
    edit,
    load,
    make_review,
    new_app,
    notifications,
    on_top,
    settle,
    type_text,
    workspace_with_mini,
)

ORDER = ["ops_runbooks", "ops_alarms", "ops_rollback", "sec_least_privilege", "sec_encryption"]


def mini_review(tmp_path: Path) -> Path:
    return make_review(workspace_with_mini(tmp_path))


async def open_walk(app: OrrApp, pilot: Pilot[None]) -> WalkthroughScreen:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, WalkthroughScreen)
    return screen


async def test_moving_next_previous_and_to_the_next_unanswered(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    edit(path, lambda r, c: ops.set_answer(r, c, "ops_alarms", none=True, who="x"))
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        assert walk.current == "ops_runbooks"  # the first unanswered question
        assert walk.shown == ORDER
        await pilot.press("n")
        assert walk.current == "ops_alarms"
        await pilot.press("j", "j")
        assert walk.current == "sec_least_privilege"
        await pilot.press("p")
        assert walk.current == "ops_rollback"
        await pilot.press("k", "u")  # back to ops_alarms, then the next unanswered after it
        assert walk.current == "ops_rollback"
        await pilot.press("n", "n", "u")  # the last, then wrap round to the first unanswered
        assert walk.current == "ops_runbooks"
        # The tree follows, and the tree moves the question too.
        cursor = walk.qtree.cursor_node
        assert cursor is not None and isinstance(cursor.data, QuestionItem)
        assert cursor.data.qid == "ops_runbooks"
        await pilot.press("shift+tab")
        assert app.focused is walk.qtree
        await pilot.press("down")
        assert walk.current == "ops_alarms"
        await pilot.press("space")  # space in the tree toggles the practice on the right
        assert load(path).answers["ops_alarms"].choices == ["ops_al_kpi"]
        await pilot.press("enter")  # Enter goes to the practices
        assert isinstance(app.focused, ChoiceList)


async def test_toggling_choices_and_none_of_these_clear_each_other(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        assert walk.current == "ops_runbooks"
        await pilot.press("space", "down", "space")
        assert load(path).answers["ops_runbooks"].choices == ["ops_rb_written", "ops_rb_tested"]
        assert app.session is not None and app.session.mark("ops_runbooks") is Mark.NO_RISK

        await pilot.press("0")  # None of these clears the practices
        assert load(path).answers["ops_runbooks"].choices == ["ops_runbooks_no"]
        choices = walk.query_one(ChoiceList)
        assert choices.selected == ["ops_runbooks_no"]
        assert app.session.mark("ops_runbooks") is Mark.HIGH
        assert "HIGH RISK" in str(walk.query_one("#q-risk").render())

        await pilot.press("up", "space")  # a practice clears None of these
        assert load(path).answers["ops_runbooks"].choices == ["ops_rb_written"]
        assert choices.selected == ["ops_rb_written"]

        # Space on None of these itself (the last line) also clears the practices.
        await pilot.press("down", "down", "space")
        assert load(path).answers["ops_runbooks"].choices == ["ops_runbooks_no"]

        # Unselecting the last choice takes the answer back: the question is unanswered again.
        await pilot.press("space")
        assert "ops_runbooks" not in load(path).answers
        assert choices.selected == []
        assert app.session.mark("ops_runbooks") is Mark.UNANSWERED


async def test_the_practices_list_by_keys_and_by_the_mouse(tmp_path: Path) -> None:
    """The list moves with up/down/home/end, toggles with space, Enter and a click, and a title
    too long for its line is cut short with "…" and shown whole in the help below it."""
    workspace = workspace_with_mini(tmp_path)
    readiness = workspace / "checklists" / "readiness.toml"
    long_title = "Runbooks exist for every alarm, " + "reviewed after each incident, " * 6 + "end"
    readiness.write_text(
        readiness.read_text(encoding="utf-8").replace(
            'title = "Runbooks exist for every alarm"', f'title = "{long_title}"'
        ),
        encoding="utf-8",
    )
    path = make_review(workspace)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        assert walk.current == "ops_runbooks"
        choices = walk.query_one(ChoiceList)
        assert isinstance(app.focused, ChoiceList)
        assert choices.option_count == 3 and choices.highlighted == 0
        assert choices.is_cut(0) and not choices.is_cut(1)
        first = "".join(s.text for s in choices.render_line(0))
        assert first.startswith("[ ] Runbooks exist for every alarm") and first.rstrip()[-1] == "…"
        assert len(first) == choices.scrollable_content_region.width
        assert long_title in str(walk.query_one("#q-choice-help").render())

        await pilot.press("end")
        assert choices.highlighted == 2
        assert "Runbooks were exercised" not in str(walk.query_one("#q-choice-help").render())
        await pilot.press("home", "down")
        assert choices.highlighted == 1
        assert "Run a game day." in str(walk.query_one("#q-choice-help").render())
        await pilot.press("enter")
        assert load(path).answers["ops_runbooks"].choices == ["ops_rb_tested"]
        assert choices.selected == ["ops_rb_tested"]
        assert "".join(s.text for s in choices.render_line(1)).startswith("[x] Runbooks were")

        # A click on the first line moves the cursor there and toggles it.
        await pilot.click(ChoiceList, offset=(8, 1))
        await settle(pilot)
        assert choices.highlighted == 0
        assert load(path).answers["ops_runbooks"].choices == ["ops_rb_written", "ops_rb_tested"]
        assert choices.selected == ["ops_rb_written", "ops_rb_tested"]


async def test_not_applicable_is_refused_without_a_reason(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, NotApplicableDialog)
        await pilot.press("ctrl+s")  # no reason chosen
        assert app.screen is dialog
        assert "reason is required" in str(dialog.query_one("#dialog-error").render())
        assert "ops_runbooks" not in load(path).answers

        await pilot.press("down", "down", "enter")  # the third reason
        await pilot.press("tab")
        await type_text(pilot, "a managed service runs it")
        await pilot.press("ctrl+s")
        assert on_top(app, walk)
        answer = load(path).answers["ops_runbooks"]
        assert not answer.applicable
        assert answer.na_reason is NaReason.ARCHITECTURE_CONSTRAINTS
        assert answer.na_note == "a managed service runs it"
        assert app.session is not None and app.session.mark("ops_runbooks") is Mark.NOT_APPLICABLE
        assert "NOT APPLICABLE" in str(walk.query_one("#q-risk").render())

        # Cancelling the dialog changes nothing; a practice makes the question applicable again.
        await pilot.press("a", "escape", "space")
        answer = load(path).answers["ops_runbooks"]
        assert answer.applicable and answer.choices == ["ops_rb_written"]


async def test_role_and_status_filters_and_search(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    edit(path, lambda r, c: ops.set_answer(r, c, "sec_encryption", none=True, who="x"))
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)

        # Walk security through its questions.
        await pilot.press("r")
        assert isinstance(app.screen, PickerDialog)
        await pilot.press("down", "down", "enter")  # all roles, owner, security
        assert walk.role == "security"
        assert walk.shown == ["sec_least_privilege", "sec_encryption"]
        assert walk.current == "sec_least_privilege"
        await pilot.press("n", "n")
        assert walk.current == "sec_encryption"  # stays on the last one of the filter

        # Only findings (within the role).
        await pilot.press("s")
        await pilot.press("down", "down", "enter")  # all, unanswered, findings
        assert walk.status is StatusFilter.FINDINGS
        assert walk.shown == ["sec_encryption"]

        # Clear, then search by text: ids, titles, choices and notes are searched.
        await pilot.press("x")
        assert walk.shown == ORDER
        await pilot.press("slash")
        await type_text(pilot, "roll")
        assert walk.shown == ["ops_rollback"]
        assert walk.current == "ops_rollback"
        await pilot.press("enter")
        assert isinstance(app.focused, ChoiceList)
        assert 'search "roll"' in str(walk.query_one("#filter-line").render())
        await pilot.press("slash", "escape")  # Esc in the search field clears it
        assert walk.search == "" and walk.shown == ORDER

        # Unanswered, then jump to a pillar.
        await pilot.press("s", "down", "enter")
        assert walk.shown == ["ops_runbooks", "ops_alarms", "ops_rollback", "sec_least_privilege"]
        await pilot.press("g", "down", "enter")  # pillars: operations, security
        assert walk.current == "sec_least_privilege"


async def test_notes_with_markup_are_saved_and_shown_as_typed(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    typed = "[bold]not bold[/bold] [link=https://evil.example]x[/link] \\[ok]"
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("e")
        assert isinstance(app.focused, NotesArea)
        await type_text(pilot, typed)
        assert walk.notes.pending  # saved within NOTES_DELAY, or now on leaving
        assert "editing" in str(walk.query_one("#q-notes-state").render())
        await pilot.press("escape")  # leaving the field saves at once
        assert isinstance(app.focused, ChoiceList)
        assert not walk.notes.pending
        assert "saved" in str(walk.query_one("#q-notes-state").render())
        assert load(path).answers["ops_runbooks"].notes == typed
        assert walk.query_one(NotesArea).text == typed
        # Shown literally elsewhere too: the search matches the text, the screen shows it.
        await pilot.press("slash")
        await type_text(pilot, "[bold]")
        assert walk.shown == ["ops_runbooks"]
        await pilot.press("escape")
        svg = app.export_screenshot()
        assert "[bold]not&#160;bold[/bold]" in svg

        # Typing and then moving to another question saves too.
        await pilot.press("e")
        await type_text(pilot, "!")
        await pilot.press("escape", "n")
        assert load(path).answers["ops_runbooks"].notes == typed + "!"

        # And quitting saves what is pending.
        await pilot.press("e")
        await type_text(pilot, "bye q")  # q types a q in a text field
        await pilot.press("ctrl+q")
    assert load(path).answers["ops_alarms"].notes == "bye q"


async def test_an_evidence_link_is_validated_and_added(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await open_walk(app, pilot)
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        await type_text(pilot, "runbooks.example")
        await pilot.press("ctrl+s")
        assert app.screen is dialog  # not a link
        assert "http" in str(dialog.query_one("#dialog-error").render())
        await pilot.press("home")
        await type_text(pilot, "https://")
        await pilot.press("tab")
        await type_text(pilot, "the runbook index")
        await pilot.press("ctrl+s")
        evidence = load(path).answers["ops_runbooks"].evidence
        assert [(e.url, e.description) for e in evidence] == [
            ("https://runbooks.example", "the runbook index")
        ]


async def test_a_change_on_disk_is_picked_up_and_said(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("space")  # ours: ops_runbooks
        app.poll_disk()  # nothing changed elsewhere: nothing to say
        assert not any("changed on disk" in n for n in notifications(app))

        def teammate(review: Review, checklist: Checklist) -> None:
            ops.set_answer(review, checklist, "sec_least_privilege", none=True, who="teammate")

        edit(path, teammate)
        app.poll_disk()
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.mark("sec_least_privilege") is Mark.HIGH
        item = walk.qtree._question_nodes["sec_least_privilege"].data
        assert isinstance(item, QuestionItem) and item.mark is Mark.HIGH
        assert any(
            "changed on disk" in n and "sec_least_privilege" in n for n in notifications(app)
        )
        # Our change is still there, and a change of ours is merged with theirs on save.
        await pilot.press("down", "space")
        saved = load(path)
        assert saved.answers["ops_runbooks"].choices == ["ops_rb_written", "ops_rb_tested"]
        assert saved.answers["sec_least_privilege"].choices == ["sec_least_privilege_no"]


async def test_notes_that_conflict_with_a_change_on_disk_are_kept_in_the_field(
    tmp_path: Path,
) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("e")
        await type_text(pilot, "mine")
        # Meanwhile a teammate writes other notes on the same question.
        edit(path, lambda r, c: ops.set_answer(r, c, "ops_runbooks", notes="theirs", who="t"))
        app.poll_disk()
        await pilot.pause()
        await settle(pilot)
        assert load(path).answers["ops_runbooks"].notes == "theirs"  # theirs is not dropped
        # Both texts side by side; nothing is written over text we have not seen.
        clash = app.screen
        assert isinstance(clash, NotesClashDialog)
        assert clash.query_one("#clash-mine", TextArea).text == "mine"
        assert clash.query_one("#clash-theirs", TextArea).text == "theirs"
        await pilot.press("escape")  # decide later: ours stays in the field, unsaved
        assert app.screen is walk
        assert walk.query_one(NotesArea).text == "mine"
        assert "not saved" in str(walk.query_one("#q-notes-state").render())
        await type_text(pilot, "!")  # typing on does not save over theirs
        await pilot.pause(0.7)
        assert load(path).answers["ops_runbooks"].notes == "theirs"
        # Ctrl+S shows the two again; keeping ours puts it over theirs, now read.
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NotesClashDialog)
        await pilot.click("#mine")
        await settle(pilot)
        assert load(path).answers["ops_runbooks"].notes == "mine!"
        assert "saved" in str(walk.query_one("#q-notes-state").render())


async def test_an_answer_to_re_confirm_is_marked_and_confirmed_with_c(tmp_path: Path) -> None:
    path = mini_review(tmp_path)

    def rebased(review: Review, checklist: Checklist) -> None:
        ops.set_answer(review, checklist, "ops_alarms", choices=["ops_al_kpi"], who="x")
        review.answers["ops_alarms"].reconfirm = True  # as a rebase onto a changed question does

    edit(path, rebased)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        assert app.session is not None and app.session.mark("ops_alarms") is Mark.RECONFIRM
        assert not any(b.binding.action == "confirm_answer" for b in walk.active_bindings.values())
        await pilot.press("c")  # nothing to confirm on this question
        assert load(path).answers["ops_alarms"].reconfirm
        await pilot.press("n")
        assert walk.current == "ops_alarms"
        assert "changed since it was answered" in str(walk.query_one("#q-state").render())
        assert any(b.binding.action == "confirm_answer" for b in walk.active_bindings.values())
        await pilot.press("c")
        answer = load(path).answers["ops_alarms"]
        assert not answer.reconfirm and answer.choices == ["ops_al_kpi"]
        assert app.session.mark("ops_alarms") is Mark.MEDIUM
        assert not any(b.binding.action == "confirm_answer" for b in walk.active_bindings.values())


async def test_a_broken_file_on_disk_is_said_once_and_the_review_stays(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("space")
        good = path.read_text(encoding="utf-8")
        path.write_text(good + "\nnot toml at all [[[\n", encoding="utf-8")
        app.poll_disk()
        app.poll_disk()
        await pilot.pause()
        said = [n for n in app._notifications if n.title == "The review file cannot be read"]
        assert len(said) == 1
        assert not said[0].markup  # the error quotes the file: data, not markup
        assert app.session is not None and app.session.answer("ops_runbooks") is not None
        assert walk.current == "ops_runbooks"
        # Fixed on disk (a teammate's change, say): read again.
        path.write_text(good, encoding="utf-8")
        edit(path, lambda r, c: ops.set_answer(r, c, "ops_alarms", none=True, who="t"))
        app.poll_disk()
        await pilot.pause()
        assert app.session.mark("ops_alarms") is Mark.MEDIUM  # a medium question: None of these
        assert any(n.title == "Reloaded" for n in app._notifications)


async def test_escape_sequences_in_user_text_never_reach_the_terminal(tmp_path: Path) -> None:
    path = make_review(workspace_with_mini(tmp_path), "Evil \x1b]0;pwned\x07 API")
    notes = "clear \x1b[2J the screen [b]not bold[/b]"
    edit(path, lambda r, c: ops.set_answer(r, c, "ops_runbooks", notes=notes, none=True, who="t"))
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("p")  # the answered question before the first unanswered one
        assert walk.current == "ops_runbooks"
        # Control characters are left out of the editor (shown escaped, they would come back
        # as literal text when the notes are edited); markup is text.
        assert walk.query_one(NotesArea).text == "clear [2J the screen [b]not bold[/b]"
        for key in ("1", "2", "3", "4"):
            await pilot.press(key)
            await pilot.pause()
            svg = app.export_screenshot()
            assert "\x1b" not in svg and "\x07" not in svg, key
        assert "Evil&#160;\\x1b]0;pwned\\x07&#160;API" in svg  # the header shows it as data
    # Notes that were not edited are left as they were in the file.
    assert load(path).answers["ops_runbooks"].notes == notes


async def test_evidence_on_a_finding_does_not_point_to_the_command_line(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await open_walk(app, pilot)
        await pilot.press("0")  # None of these: a HIGH risk finding with no mitigation
        await pilot.pause()
        await pilot.press("l")
        await type_text(pilot, "https://runbooks.example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(load(path).answers["ops_runbooks"].evidence) == 1
        said = notifications(app)
        assert not any("orr review" in n for n in said), said  # the screen shows the finding
        assert "Evidence link added." in said


async def test_a_narrow_terminal_leaves_room_for_the_question(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_walk(app, pilot)
        assert screen.query_one("#question").size.width >= 40  # was 32 beside a fixed tree
        assert screen.query_one("#walk-left").size.width >= 30


async def test_notes_saved_over_a_change_on_disk_show_the_other_answers(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        await pilot.press("e")
        await type_text(pilot, "typing")

        def teammate(review: Review, checklist: Checklist) -> None:
            ops.set_answer(review, checklist, "sec_least_privilege", none=True, who="teammate")

        edit(path, teammate)
        walk.flush_notes()  # the notes timer fires before the disk poll: the save merges
        await pilot.pause()
        saved = load(path)
        assert saved.answers["ops_runbooks"].notes == "typing"
        node = walk.qtree._question_nodes["sec_least_privilege"]
        assert isinstance(node.data, QuestionItem) and node.data.mark is Mark.HIGH


async def test_f1_in_a_dialog_shows_its_help(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        await open_walk(app, pilot)
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Fill in the fields" in app.screen._help
        await pilot.press("escape")
        await pilot.pause()
        assert on_top(app, dialog)


def test_a_title_is_cut_between_characters_never_inside_a_double_width_one() -> None:
    assert _cut("ab日本", 3) == "ab"  # 日 would straddle the edge: left out, not split
    assert _cut("日本語", 4) == "日本"
    assert _cut("日本語", 5) == "日本"
    assert _cut("short", 10) == "short"
    assert _cut("any", 0) == ""


async def test_the_list_brings_a_question_out_of_view_to_its_middle(tmp_path: Path) -> None:
    # The demo's review of 30 questions at 80x24: a list of about 16 lines.
    path = demo_workspace(tmp_path / "demo") / "reviews" / "payments-api.toml"
    app = new_app(review=path)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await open_walk(app, pilot)
        walk.show_question(walk.shown[0])
        await settle(pilot)
        tree = walk.qtree
        height = tree.scrollable_content_region.height
        scrolls: list[tuple[int, int]] = []  # (the cursor's line, the first line shown)
        for _ in range(len(walk.shown) - 1):
            top = tree.scroll_offset.y
            await pilot.press("n")
            await settle(pilot)
            line = tree.cursor_line
            assert tree.scroll_offset.y <= line < tree.scroll_offset.y + height
            if tree.scroll_offset.y != top:
                scrolls.append((line, tree.scroll_offset.y))
        # Each scroll put the question in the middle (the end of the list aside), and the
        # questions in view in between left the list where it was: a few scrolls, not one a key.
        assert scrolls
        assert len(scrolls) <= len(walk.shown) // (height // 2) + 1
        for line, top in scrolls[:-1]:
            assert abs(line - top - height // 2) <= 1


async def test_the_risk_badge_keeps_its_width_from_question_to_question(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    edit(path, lambda r, c: ops.set_answer(r, c, "ops_alarms", none=True, who="x"))
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        badge = walk.view.query_one("#q-risk")
        meta = walk.view.query_one("#q-meta")
        shown = []
        for _ in range(2):  # unanswered, then high risk: labels of different lengths
            shown.append((str(badge.render()).strip(), badge.size.width, meta.size.width))
            await pilot.press("n")
            await settle(pilot)
        (first, *widths_1), (second, *widths_2) = shown
        assert (first, second) == ("UNANSWERED", "MEDIUM RISK")
        assert widths_1 == widths_2
        assert widths_1[0] == len(" NOT APPLICABLE ")  # the widest label fits


async def test_a_toggle_repaints_the_practice_it_changed(tmp_path: Path) -> None:
    path = mini_review(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(app, pilot)
        choices = walk.view.query_one(ChoiceList)
        choices.focus()
        await pilot.press("down")
        await settle(pilot)
        repaints: list[tuple[object, ...]] = []
        refresh = choices.refresh

        def spy(*regions: Region, **kwargs: bool) -> ChoiceList:
            repaints.append(regions)
            return refresh(*regions, **kwargs)

        choices.refresh = spy  # type: ignore[method-assign]
        await pilot.press("space")
        await settle(pilot)
        assert load(path).answers["ops_runbooks"].choices == [ChoiceList.value_at(choices, 1)]
        assert choices.render_line(1).text.startswith("[x]")
        assert repaints and all(repaints), "line by line, never the whole list"
        # The line styles follow the focus: the cursor's line in the blurred colours after.
        focused = list(choices.render_line(1))
        walk.qtree.focus()
        await settle(pilot)
        blurred = list(choices.render_line(1))
        assert [s.text for s in blurred] == [s.text for s in focused]
        assert [s.style for s in blurred] != [s.style for s in focused]
        # And the theme.
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        assert [s.style for s in choices.render_line(1)] != [s.style for s in blurred]
