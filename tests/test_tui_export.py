"""The Export screen and the Well-Architected Tool: push, publish and sync from the screen alone
(against the WA stand-in), dry runs without a Region, errors that name the screen's fields, a
progress bar that starts again after a failure, and a log whose long lines wrap."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Input, ProgressBar, RichLog

from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.model import Review
from orr.tui.app import OrrApp
from orr.tui.screens.export import ExportScreen
from tests.test_tui_support import (
    NOW,
    SIZE,
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
from tests.wa_standin import StandIn, wa_fixture  # noqa: F401 (the `wa` fixture)


def _answered(review: Review, checklist: Checklist) -> None:
    w = "tester"
    ops.set_answer(review, checklist, "ops_runbooks", choices=["ops_rb_written"], who=w, now=NOW)
    ops.set_answer(review, checklist, "ops_alarms", none=True, who=w, now=NOW)
    ops.set_answer(
        review, checklist, "sec_encryption", choices=["sec_enc_rest", "sec_enc_transit"], who=w
    )


def _reviewed(tmp_path: Path) -> Path:
    path = make_review(workspace_with_mini(tmp_path))
    edit(path, _answered)
    return path


async def _export_screen(app: OrrApp, pilot: object) -> ExportScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


def _field(screen: ExportScreen, name: str) -> Input:
    return screen.query_one(f"#export-{name}", Input)


def _failures(app: OrrApp, job: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == f"{job} failed"]


async def test_push_publish_and_sync_from_the_export_screen_alone(
    wa: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", wa.endpoint_url)  # the stand-in, through boto3's own
    path = _reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_screen(app, pilot)
        assert _field(screen, "region").value == "us-east-1"
        assert _field(screen, "version").value == "1.0"  # the first version, suggested
        assert "not published from here yet" in screen.lens_state
        await pilot.press("d")  # dry run off: the calls go to the (stand-in) WA Tool
        await pilot.press("p")
        await settle(pilot)
        assert screen.results == [("lens push", None)], notifications(app)
        (arn,) = wa.state.lenses
        assert wa.state.lenses[arn].versions.keys() == {"1.0"}
        memory = tomllib.loads((tmp_path / "checklists" / ".orr-wat.toml").read_text())
        assert memory["lenses"][0]["arn"] == arn and memory["lenses"][0]["published"] == "1.0"
        assert "  published as version 1.0" in screen.log_lines
        # The next version is suggested at once.
        assert _field(screen, "version").value == "1.1"
        assert screen.lens_state == "version 1.0 is published; next: 1.1"

        await pilot.press("w")
        await settle(pilot)
        assert [job for job, _ in screen.results] == ["lens push", "sync"], notifications(app)
        (workload,) = wa.state.workloads.values()
        assert workload.name == "Payments API" and arn in workload.lenses
        answers = workload.answers[arn]
        assert answers["ops_runbooks"].selected == ["ops_rb_written"]
        assert answers["sec_encryption"].selected == ["sec_enc_rest", "sec_enc_transit"]
        assert f"Workload {workload.id} (created): updated 3 answer(s), 0 unchanged" in (
            screen.log_lines
        )
        assert screen.query_one("#export-progress", ProgressBar).progress == 1
    wat = load(path).wat
    assert wat["workload_id"] == workload.id and wat["lens_arn"] == arn
    assert wat["lens_version"] == "1.0" and wat["lens_status"] == "CURRENT"
    assert load(path).audit[-1].who == "tester"


async def test_a_draft_is_said_to_be_one_and_sync_says_how_to_publish(
    wa: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", wa.endpoint_url)
    path = _reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_screen(app, pilot)
        _field(screen, "version").value = ""  # push the draft only
        await pilot.press("d", "p")
        await settle(pilot)
        assert any(
            line.startswith("  only a draft: it cannot be applied") for line in screen.log_lines
        )
        await pilot.press("w")
        await settle(pilot)
        (said,) = _failures(app, "sync")
        assert "is only a draft" in said and "fill in Version and push the lens (p)" in said
        assert "--publish" not in said
    assert wa.state.workloads == {} and load(path).wat == {}


async def test_a_dry_run_needs_no_region_and_its_arn_follows_the_region_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    path = _reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_screen(app, pilot)
        assert _field(screen, "region").value == ""
        await pilot.press("p")  # dry run (the default), no Region: planned with a placeholder
        await settle(pilot)
        assert screen.results == [("lens push", None)], notifications(app)
        log = "\n".join(screen.log_lines)
        assert "arn:aws:wellarchitected:<region>:<account>:lens/<new lens>" in log
        await pilot.press("o")
        await tab_to(pilot, "#export-region")
        await type_text(pilot, "eu-west-1")
        await pilot.press("escape", "p")
        await settle(pilot)
        log = "\n".join(screen.log_lines)
        assert "arn:aws:wellarchitected:eu-west-1:<account>:lens/<new lens>" in log
        assert '"operation": "CreateLensVersion"' in log  # Version 1.0 was suggested
    assert load(path).wat == {}
    assert not (tmp_path / "checklists" / ".orr-wat.toml").exists()


async def test_errors_name_the_fields_of_the_screen_not_flags(
    wa: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    path = _reviewed(tmp_path)
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_screen(app, pilot)
        await pilot.press("d")  # real calls
        # An unknown profile.
        _field(screen, "profile").value = "nope"
        await pilot.press("p")
        await settle(pilot)
        (said,) = _failures(app, "lens push")
        assert said.startswith("the Profile field nope: no such profile")
        assert "--profile" not in said
        # No Region, for a real call.
        _field(screen, "profile").value = ""
        _field(screen, "region").value = ""
        monkeypatch.delenv("AWS_DEFAULT_REGION")
        await pilot.press("p")
        await settle(pilot)
        said = _failures(app, "lens push")[-1]
        assert said.startswith("no AWS Region: fill in Region above") and "--region" not in said
        # An endpoint that does not answer.
        monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        _field(screen, "region").value = "eu-west-1"
        await pilot.press("p")
        await settle(pilot)
        said = _failures(app, "lens push")[-1]
        assert "check the network, the Region field and AWS_ENDPOINT_URL" in said
        assert "--region" not in said and "--endpoint-url" not in said
        # A version the service model would refuse.
        monkeypatch.setenv("AWS_ENDPOINT_URL", wa.endpoint_url)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        _field(screen, "region").value = "us-east-1"
        _field(screen, "version").value = "v 1"
        await pilot.press("p")
        await settle(pilot)
        said = _failures(app, "lens push")[-1]
        assert said.startswith("Version 'v 1': a lens version is 1 to 32 letters")
        # No credentials at all.
        monkeypatch.delenv("AWS_ACCESS_KEY_ID")
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
        _field(screen, "version").value = "1.0"
        await pilot.press("p")
        await settle(pilot)
        said = _failures(app, "lens push")[-1]
        assert said.startswith("no AWS credentials found: use the Profile field, set AWS_PROFILE")
    assert sum(wa.state.calls.values()) == 0


async def test_the_progress_bar_starts_again_after_a_failure(tmp_path: Path) -> None:
    path = _reviewed(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_screen(app, pilot)
        bar = screen.query_one("#export-progress", ProgressBar)
        await pilot.press("l")
        await settle(pilot)
        assert bar.progress == bar.total == 1
        _field(screen, "folder").value = str(blocker / "sub")
        await pilot.press("l")
        await settle(pilot)
        assert screen.running is None
        assert bar.progress == 0  # not left full (or half) from the job before


async def test_long_log_lines_wrap(tmp_path: Path) -> None:
    path = _reviewed(tmp_path)
    deep = tmp_path / ("a-folder-with-a-rather-long-name-" * 4) / "exports"
    app = new_app(review=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _export_screen(app, pilot)
        _field(screen, "folder").value = str(deep)
        await pilot.press("l")
        await settle(pilot)
        log = screen.query_one("#export-log", RichLog)
        written = next(line for line in screen.log_lines if line.startswith("Lens written: "))
        assert len(written) > log.scrollable_content_region.width
        assert log.wrap
        # Every rendered line fits the log: nothing is cut off to the right.
        assert len(log.lines) > len(screen.log_lines)
        assert max(line.cell_length for line in log.lines) <= log.scrollable_content_region.width


def test_every_key_of_the_export_screen_has_an_id_and_a_description() -> None:
    ids = []
    for binding in ExportScreen.BINDINGS:
        assert isinstance(binding, Binding)
        assert binding.id and binding.id.startswith(("export.", "screen.")) and binding.description
        ids.append(binding.id)
    assert len(set(ids)) == len(ids)
    assert {"export.push", "export.sync", "export.dry_run"} <= set(ids)


async def test_user_text_in_the_log_is_not_markup(
    wa: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", wa.endpoint_url)
    path = _reviewed(tmp_path)
    manifest = tmp_path / "checklists" / "orr.toml"
    manifest.write_text(
        manifest.read_text().replace('name = "Mini ORR"', 'name = "[bold]Mini[/bold] ORR"')
    )
    app = new_app(review=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_screen(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        assert screen.results == [("lens push", None)], notifications(app)
        assert any("[bold]Mini[/bold] ORR" in line for line in screen.log_lines)
        rendered = "".join(
            seg.text for line in screen.query_one("#export-log", RichLog).lines for seg in line
        )
        assert "[bold]Mini[/bold] ORR" in rendered
