"""The header of a review screen: workload, launch date and days left, the verdict, progress, and
who is at the keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from orr.i18n import _
from orr.tui.text import VERDICT_CLASS, days_phrase, plain, swap_class
from orr.tui.widgets.info import Info

if TYPE_CHECKING:
    from orr.review.gate import Gate
    from orr.review.model import Review


class ReviewHeader(Horizontal):
    """One line: screen name, workload, launch, verdict badge, progress, the person."""

    def __init__(self, screen_title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._screen_title = screen_title

    def compose(self) -> ComposeResult:
        yield Static(Content(f" {self._screen_title} "), id="header-screen")
        yield Info(id="header-workload")
        yield Info(id="header-launch")
        yield Info(id="header-verdict")
        yield Info(id="header-progress")
        yield Info(id="header-person")

    def show(self, review: Review, gate: Gate, person: str, extra: str = "") -> None:
        workload = review.workload
        self.query_one("#header-workload", Info).show(plain(workload.name))
        launch = self.query_one("#header-launch", Info)
        launch.show(
            Content.assemble(
                (workload.launch_date.isoformat(), "bold"),
                f" · {days_phrase(gate.days_left)}",
            )
        )
        launch.set_class(gate.days_left < 0, "-late")
        verdict = self.query_one("#header-verdict", Info)
        verdict.show(Content(f" {gate.verdict.label} "))
        swap_class(verdict, VERDICT_CLASS.values(), VERDICT_CLASS[gate.verdict])
        counts = gate.counts
        progress = _("{answered}/{questions} answered · {blockers} blockers").format(
            answered=counts["answered"], questions=counts["questions"], blockers=counts["blockers"]
        )
        if extra:
            progress += f" · {extra}"
        self.query_one("#header-progress", Info).show(Content(progress))
        self.query_one("#header-person", Info).show(Content.assemble("◆ ", plain(person)))
