"""Every key of the terminal app has an id (users remap keys by it) and a description (the
footer, F1 and the palette show it); a keys file remaps them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot

import orr.tui
from orr.tui.app import OrrApp
from orr.tui.screens.walkthrough import WalkthroughScreen
from orr.tui.widgets.footer import KeysFooter
from tests.test_tui_support import SIZE, make_review, new_app, settle, workspace_with_mini


def _tui_classes() -> list[type]:
    found: list[type] = []
    for info in pkgutil.walk_packages(orr.tui.__path__, "orr.tui."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and "BINDINGS" in obj.__dict__:
                found.append(obj)
    return found


def test_every_binding_has_an_id_and_a_description() -> None:
    classes = _tui_classes()
    assert len(classes) >= 10
    for cls in classes:
        ids = []
        for binding in cls.__dict__["BINDINGS"]:
            assert isinstance(binding, Binding), cls
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.description, f"{cls.__name__}: {binding.id} has no description"
            ids.append(binding.id)
        assert len(ids) == len(set(ids)), cls


def mini_app(tmp_path: Path) -> OrrApp:
    """The app on a new review of the small test checklist."""
    return new_app(review=make_review(workspace_with_mini(tmp_path / "ws")))


async def shown_walk(app: OrrApp, pilot: Pilot[None]) -> WalkthroughScreen:
    """The walk-through, once the app has opened the review."""
    await settle(pilot)
    walk = app.screen
    assert isinstance(walk, WalkthroughScreen)
    return walk


def footer_line(footer: KeysFooter) -> str:
    return "".join(s.text for s in footer.render_line(0))


async def test_a_keys_file_remaps_a_key_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\n"walk.next" = "f6"\n', encoding="utf-8")
    monkeypatch.setenv("ORR_KEYS", str(keys))
    app = mini_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await shown_walk(app, pilot)
        first = walk.current
        await pilot.press("f6")
        assert walk.current != first


async def test_a_broken_keys_file_is_said_and_the_app_keeps_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text("[keys]\nwalk.next = 3\n", encoding="utf-8")
    monkeypatch.setenv("ORR_KEYS", str(keys))
    app = mini_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await shown_walk(app, pilot)
        assert any("keys.toml" in n.message for n in app._notifications)
        first = walk.current
        await pilot.press("n")
        assert walk.current != first


async def test_the_footer_shows_the_keys_and_a_click_presses_one(tmp_path: Path) -> None:
    app = mini_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        walk = await shown_walk(app, pilot)
        footer = walk.query_one(KeysFooter)
        line = footer_line(footer)
        assert len(line) == SIZE[0]
        assert line.startswith("space Toggle  n p Move u Unanswered 0 None")
        assert line.rstrip().endswith("▏^p palette")  # wide enough for the palette key
        first = walk.current
        start = line.index(" n p ") + 1
        await pilot.hover(KeysFooter, offset=(start, 0))
        assert footer.tooltip == "Next"  # the binding's own words (it has no tooltip)
        await pilot.click(KeysFooter, offset=(start, 0))
        await settle(pilot)
        assert walk.current != first

        # Narrow: no palette key, and entries that do not fit are left out whole.
        await pilot.resize_terminal(60, 30)
        await settle(pilot)
        narrow = footer_line(footer)
        assert len(narrow) == 60 and "palette" not in narrow
        shown = narrow.rstrip()
        assert shown.endswith(("Toggle", "Move", "Unanswered", "None", "N/A", "Notes", "Role"))
