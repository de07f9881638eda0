"""Snapshots of every screen (pytest-textual-snapshot) at 120×40 and at 80×24 (a laptop split, a
tmux pane): the demo workspace at a fixed date, animations off. Regenerate after a deliberate
change with `pytest tests/test_tui_snapshots.py --snapshot-update`, and look at the SVGs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from orr.tui.app import OrrApp
from orr.tui.screens.walkthrough import WalkthroughScreen
from tests.test_tui_support import demo_workspace, new_app, settle

Snap = Callable[..., bool]
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


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


def _then(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open_payments(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Snap, demo: OrrApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_walkthrough(snap_compare: Snap, demo: OrrApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo, terminal_size=size, run_before=_open_payments)


@pytest.mark.parametrize("size", SIZES)
def test_findings(snap_compare: Snap, demo: OrrApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo, terminal_size=size, run_before=_then("2"))


@pytest.mark.parametrize("size", SIZES)
def test_readiness(snap_compare: Snap, demo: OrrApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo, terminal_size=size, run_before=_then("3"))


@pytest.mark.parametrize("size", SIZES)
def test_export(snap_compare: Snap, demo: OrrApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo, terminal_size=size, run_before=_then("4"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Snap, demo: OrrApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo, terminal_size=size, run_before=_then("3", "f1"))
