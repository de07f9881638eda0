"""A data table whose columns all have a width and whose rows all have a height: it lays new
rows out without rendering or measuring their cells."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class FixedTable(DataTable[Text]):
    """Textual's DataTable measures every cell of every row added (its widest line, for a
    column that fits its content) and renders every cell of a row that finds its own
    height: on the maximum-size review, 3,000 measures to fill the findings, 1,100 renders to
    fill the gate tables, each time they are filled. Where every column was given a width and
    every row a height (orr's tables compute the wrapped height of a row themselves), neither
    tells it anything: it only adds the rows' heights to its size, and renders a cell when it
    shows it. A table with a column of auto width, a row of auto height or a row label is laid
    out by Textual as before. CSS and queries name it DataTable, as before."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        keys = list(new_rows)
        rows = [row for row in map(self.rows.get, keys) if row is not None]
        if any(column.auto_width for column in self.columns.values()) or any(
            row.auto_height or row.label is not None for row in rows
        ):
            super()._update_dimensions(keys)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )
