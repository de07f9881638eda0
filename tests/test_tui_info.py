"""The Info text widget: repaints only on a change, and lays the screen out only when its size
changes, with the height it measured."""

from __future__ import annotations

from typing import cast

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.widgets import Static

from orr.tui.widgets.info import Info

WIDTH = 40
LONG = " ".join(["word"] * 30)  # about four lines of 40 columns
JAPANESE = "運用手順書を確認し、" * 12  # double-width: six lines of 40 columns


class Texts(App[None]):
    CSS = "Info { width: 1fr; } #below { height: 1; }"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Info("one line", id="info")
            yield Static("below", id="below")


async def test_the_text_and_everything_below_follow_each_new_height() -> None:
    app = Texts()
    async with app.run_test(size=(WIDTH, 20)) as pilot:
        info = app.query_one(Info)
        below = app.query_one("#below")
        layouts: list[bool] = []
        update = info.update

        def spy(content: object = "", *, layout: bool = True) -> None:
            layouts.append(layout)
            update(content, layout=layout)  # type: ignore[arg-type]

        info.update = spy  # type: ignore[method-assign]
        for text in ("one line", LONG, "short", JAPANESE, "two", "six", LONG):
            info.show(text)
            await pilot.pause()
            height = Content(text).get_height(cast(RulesMap, info.styles), WIDTH)
            assert info.size.height == height, text
            assert below.region.y == info.region.y + height, text
            # What Textual measures the next time is the height measured for the update.
            assert info.get_content_height(info.size, info.size, WIDTH) == height
        # The same text: no update; another text of the same size ("two" -> "six"): a repaint
        # without a layout; every other change of height: a layout.
        assert layouts == [True, True, True, True, False, True]
