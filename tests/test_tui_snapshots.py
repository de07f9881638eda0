"""Snapshots of the main screens (pytest-textual-snapshot): the demo workspace at a fixed date,
animations off. Regenerate after a deliberate change with
`pytest tests/test_tui_snapshots.py --snapshot-update`, and look at the SVGs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from orr.tui.app import OrrApp
from orr.tui.screens.walkthrough import WalkthroughScreen
from tests.test_tui_support import SIZE, demo_workspace, new_app, settle

Snap = Callable[..., bool]


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OrrApp:
    # Paths show relative to the working folder: the same in every run.
    monkeypatch.chdir(tmp_path)
    demo_workspace(tmp_path / "demo")
    app = new_app(workspace=Path("demo"))
    app.animation_level = "none"
    return app


async def _open_payments(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("enter")  # the first review: Payments API, the soonest launch
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WalkthroughScreen)
    screen.show_question("sec_secrets")
    await pilot.pause()


def test_home(snap_compare: Snap, demo: OrrApp) -> None:
    assert snap_compare(demo, terminal_size=SIZE, run_before=settle)


def test_walkthrough(snap_compare: Snap, demo: OrrApp) -> None:
    assert snap_compare(demo, terminal_size=SIZE, run_before=_open_payments)


def test_findings(snap_compare: Snap, demo: OrrApp) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open_payments(pilot)
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(demo, terminal_size=SIZE, run_before=run_before)


def test_readiness(snap_compare: Snap, demo: OrrApp) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open_payments(pilot)
        await pilot.press("3")
        await pilot.pause()

    assert snap_compare(demo, terminal_size=SIZE, run_before=run_before)
