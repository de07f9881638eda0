"""The compositor of orr's screens: a widget repainted out of view, or a layout, does not make
it place the whole screen again; what it shows is what Textual's own would."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from orr.tui.screens.base import OrrScreen
from orr.tui.widgets.steady import SteadyCompositor


class Long(OrrScreen):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("hidden at first", id="hidden")
            for n in range(30):
                yield Static(f"line {n}", id=f"s{n}")

    def on_mount(self) -> None:
        self.query_one("#hidden").display = False


class Screens(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Long())


def shown(app: App[None]) -> list[str]:
    # The texts without the scrollbar at the right.
    return [strip.text[:28].rstrip() for strip in app.screen._compositor.render_strips()]


async def test_a_repaint_out_of_view_keeps_the_map_and_shows_once_in_view() -> None:
    app = Screens()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        assert isinstance(compositor, SteadyCompositor)
        arranged: list[bool] = []
        arrange = compositor._arrange_root

        def spy(*args: object, **kwargs: object) -> object:
            arranged.append(True)
            return arrange(*args, **kwargs)  # type: ignore[arg-type]

        compositor._arrange_root = spy  # type: ignore[method-assign,assignment]
        app.screen.query_one("#s25", Static).update("changed below", layout=False)  # out of view
        app.screen.query_one("#s1", Static).update("changed above", layout=False)
        await pilot.pause()
        assert "changed above" in shown(app)
        assert not arranged, "nothing moved: nothing placed again"
        assert not compositor._full_map_invalidated
        # The one out of view shows its new text when scrolled to.
        app.screen.query_one(VerticalScroll).scroll_end(animate=False)
        await pilot.pause()
        assert "changed below" in shown(app)


async def test_a_layout_leaves_the_map_fresh_and_new_widgets_are_placed() -> None:
    app = Screens()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        scroll = app.screen.query_one(VerticalScroll)
        calls: list[str] = []
        arrange, reflow = compositor._arrange_root, compositor.reflow

        def spy_arrange(*args: object, **kwargs: object) -> object:
            calls.append("arrange")
            return arrange(*args, **kwargs)  # type: ignore[arg-type]

        def spy_reflow(*args: object, **kwargs: object) -> object:
            calls.append("layout")
            return reflow(*args, **kwargs)  # type: ignore[arg-type]

        compositor._arrange_root = spy_arrange  # type: ignore[method-assign,assignment]
        compositor.reflow = spy_reflow  # type: ignore[method-assign,assignment]
        # A new widget out of view, one shown that was hidden (which the map lacks), a text
        # that changes height: a layout.
        await scroll.mount(Static("mounted at the end", id="new"))
        hidden = app.screen.query_one("#hidden", Static)
        hidden.display = True
        hidden.update("shown now")
        app.screen.query_one("#s2", Static).update("two\nlines")
        await pilot.pause()
        assert calls and calls == ["layout", "arrange"] * (len(calls) // 2), "a layout's own"
        assert not compositor._full_map_invalidated
        assert app.screen.query_one("#s3").region.y == app.screen.query_one("#s2").region.y + 2
        assert shown(app)[:6] == ["shown now", "line 0", "line 1", "two", "lines", "line 3"]
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert shown(app)[-1] == "mounted at the end"
