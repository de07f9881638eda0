"""FixedTable lays rows out without measuring them, and shows what Textual's DataTable shows;
the gate tables of Launch readiness give each row the height Textual would find."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual.widgets._data_table as data_table
from rich.padding import Padding
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from orr.tui.screens.readiness import ReadinessScreen
from orr.tui.widgets.table import FixedTable
from tests.test_tui_support import demo_workspace, new_app, settle

ROWS = [
    (Text("high"), Text("a finding whose title is far longer than its column"), Text("open")),
    (Text("medium"), Text("short"), Text("done")),
] * 20


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedTable(id="fixed")
        yield DataTable(id="plain")

    def on_mount(self) -> None:
        for table in self.query(DataTable).results(DataTable):
            for n, label in enumerate(("Risk", "Title", "Status")):
                table.add_column(label, key=str(n), width=(8, 20, 6)[n])
            for key, row in enumerate(ROWS):
                table.add_row(*row, key=str(key), height=2 if key % 3 == 0 else 1)


def lines(table: DataTable[Text]) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_fixed_rows_are_laid_out_unmeasured_and_shown_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    measured: list[object] = []
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        fixed = app.query_one("#fixed", FixedTable)
        plain = app.query_one("#plain", DataTable)
        await pilot.pause()
        assert fixed.virtual_size == plain.virtual_size
        assert lines(fixed) == lines(plain)
        # More rows: laid out without a measure of their cells.
        measure = vars(data_table)["measure"]

        def spy(*args: object, **kwargs: object) -> int:
            measured.append(args)
            return int(measure(*args, **kwargs))

        monkeypatch.setattr(data_table, "measure", spy)
        for table in (fixed, plain):
            table.add_row(Text("new"), Text("row"), Text("x"), key="new", height=3)
        await pilot.pause()
        monkeypatch.undo()
        assert len(measured) == 3, "the plain table's three cells, none of the fixed one's"
        assert fixed.virtual_size == plain.virtual_size
        fixed.scroll_end(animate=False)
        plain.scroll_end(animate=False)
        await pilot.pause()
        assert lines(fixed) == lines(plain)


async def test_a_column_of_auto_width_is_measured_as_textual_does() -> None:
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        for table in app.query(DataTable).results(DataTable):
            table.clear(columns=True)
            table.add_column("Auto", key="auto")
            table.add_row(Text("a cell twenty-two wide"), key="one")
            table.add_row(Text("short"), key="two", height=None)
        await pilot.pause()
        fixed = app.query_one("#fixed", FixedTable)
        plain = app.query_one("#plain", DataTable)
        assert fixed.virtual_size == plain.virtual_size
        assert fixed.virtual_size.width == len("a cell twenty-two wide") + 2


async def test_each_gate_row_is_as_tall_as_textual_would_make_it(tmp_path: Path) -> None:
    path = demo_workspace(tmp_path / "demo") / "reviews" / "payments-api.toml"
    for width in (110, 160):
        app = new_app(review=path)
        async with app.run_test(size=(width, 40)) as pilot:
            await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            assert isinstance(app.screen, ReadinessScreen)
            console = app.console
            heights = []
            for table_id in ("#blockers", "#conditions"):
                table = app.screen.query_one(table_id, DataTable)
                columns = list(table.columns.values())
                for row in table.ordered_rows:
                    cells = table.get_row(row.key)
                    # What DataTable finds for a row of auto height: its cells rendered.
                    found = max(
                        len(
                            console.render_lines(
                                Padding(c, (0, table.cell_padding)),
                                console.options.update_width(col.get_render_width(table)),
                            )
                        )
                        for c, col in zip(cells, columns, strict=True)
                    )
                    assert table.rows[row.key].height == found, (width, cells)
                    heights.append(found)
            assert max(heights) > 1, "some rows wrap"
