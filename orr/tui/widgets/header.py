"""The header of a review screen: workload, launch date and days left, the verdict, progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from orr.review.gate import Gate
from orr.review.model import Review
from orr.tui.text import VERDICT_CLASS, days_phrase, plain, swap_class
from orr.tui.widgets.info import Info


class ReviewHeader(Horizontal):
    """One line: screen name, workload, launch, verdict badge, progress, filter."""

    def __init__(self, screen_title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._screen_title = screen_title

    def compose(self) -> ComposeResult:
        yield Static(Content(f" orr · {self._screen_title} "), id="header-screen")
        yield Info(id="header-workload")
        yield Info(id="header-launch")
        yield Info(id="header-verdict")
        yield Info(id="header-progress")

    def show(self, review: Review, gate: Gate, extra: str = "") -> None:
        workload = review.workload
        self.query_one("#header-workload", Info).show(plain(workload.name))
        launch = self.query_one("#header-launch", Info)
        launch.show(
            Content.assemble(
                ("launch ", "$foreground-muted"),
                (workload.launch_date.isoformat(), "bold"),
                f" · {days_phrase(gate.days_left)}",
            )
        )
        launch.set_class(gate.days_left < 0, "-late")
        verdict = self.query_one("#header-verdict", Info)
        verdict.show(Content(f" {gate.verdict.label} "))
        swap_class(verdict, VERDICT_CLASS.values(), VERDICT_CLASS[gate.verdict])
        counts = gate.counts
        progress = (
            f"{counts['answered']}/{counts['questions']} answered · {counts['blockers']} blockers"
        )
        if extra:
            progress += f" · {extra}"
        self.query_one("#header-progress", Info).show(Content(progress))
