"""Terminal app figures (issue 7), measured in-process with Textual's pilot on a review of the
maximum-size checklist (10 pillars x 20 questions x 15 choices):

- startup: from creating the app to the walk-through showing its first question, ready for keys
  (budget 1 s);
- next question (`n`): per key press, median and p95 (budgets 50 ms and 100 ms);
- toggling a choice (`space`), including the save of the review file (its CPU time and its
  waits for the disk): median (budget 50 ms).

A key press is timed as the CPU time the process spends on it: handling the key, the core calls
and the save, and the repaint of the screen. The pilot also sleeps after each key until the app
is idle (at least 2 x 20 ms) and a real terminal waits for the next frame (at most 16 ms at 60
fps); those waits are not work and are left out. As a cross-check, `wall_*` are the wall-clock
medians of the same presses as the pilot sees them, waits included, and `pilot_idle_key_ms` the
pilot's wall-clock time for a key bound to nothing (the waits alone).

`tui_figures()` returns every figure; `cases()` wraps one measurement per figure for
bench/run.py (each case runs a whole pilot session: its own time is not the figure, the figure is
printed by `python bench/bench_tui.py`).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from orr.checklist import load_checklist  # noqa: E402
from orr.review import ops  # noqa: E402
from orr.review.model import Review  # noqa: E402
from orr.review.store import ReviewStore  # noqa: E402
from tests.maxsize import write_max_checklist  # noqa: E402

TODAY = date(2025, 6, 2)
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SIZE = (120, 40)
PRESSES = 60


def _review_of_max_checklist(folder: Path) -> Path:
    manifest = write_max_checklist(folder / "checklists")
    checklist = load_checklist(manifest)
    path = folder / "reviews" / "max.toml"
    review, _ = ops.new_review(
        checklist,
        workload="Max-size",
        launch_date=date(2025, 7, 1),
        manifest=ops.manifest_ref(checklist.path, path),
        stakeholders=[("Olivia Owner", r) for r in checklist.manifest.roles],
        who="bench",
        now=NOW,
        today=TODAY,
    )
    ReviewStore(path).create(review, "bench")
    return path


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def _measure(path: Path) -> dict[str, float]:
    from orr.tui.app import OrrApp
    from orr.tui.screens.walkthrough import WalkthroughScreen

    start = time.perf_counter()
    app = OrrApp(review=path, today=TODAY, user="bench")
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, WalkthroughScreen) and app.screen.current):
            await asyncio.sleep(0.001)
        startup = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        questions = len(walk.shown)

        async def timed(key: str) -> tuple[float, float]:
            cpu, wall = time.process_time(), time.perf_counter()
            await pilot.press(key)
            return time.process_time() - cpu, time.perf_counter() - wall

        idle = [(await timed("f12"))[1] for _ in range(20)]  # a key bound to nothing

        next_cpu: list[float] = []
        next_wall: list[float] = []
        for _ in range(PRESSES):
            cpu, wall = await timed("n")
            next_cpu.append(cpu)
            next_wall.append(wall)

        # Toggle the first practice on and off while the second stays selected (an answer
        # keeps at least one choice): every press is a change saved to the file. The save's
        # waits for the disk (fsync) are not CPU time: they are timed around the save and added.
        await pilot.press("down", "space", "up")
        session = app.session
        assert session is not None
        store = session.store
        save = store.save
        io_waits: list[float] = []

        def timed_save(review: Review, who: str = "") -> Review:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return save(review, who)
            finally:
                io_waits.append(
                    max(0.0, (time.perf_counter() - wall) - (time.process_time() - cpu))
                )

        # Times this store's saves only: the instance's method is replaced for the session.
        store.save = timed_save  # type: ignore[method-assign]
        toggle_cpu: list[float] = []
        toggle_wall: list[float] = []
        for _ in range(PRESSES):
            before = len(io_waits)
            cpu, wall = await timed("space")
            assert len(io_waits) == before + 1, "each toggle saves once"
            toggle_cpu.append(cpu + io_waits[-1])
            toggle_wall.append(wall)
        saved = ReviewStore(path).load()
        assert len(saved.audit) > PRESSES, "every toggle is saved"
    ms = 1000.0
    return {
        "questions": float(questions),
        "startup_s": startup,
        "next_question_median_ms": statistics.median(next_cpu) * ms,
        "next_question_p95_ms": _p95(next_cpu) * ms,
        "toggle_save_median_ms": statistics.median(toggle_cpu) * ms,
        "toggle_save_p95_ms": _p95(toggle_cpu) * ms,
        "save_io_wait_median_ms": statistics.median(io_waits) * ms,
        "wall_next_question_median_ms": statistics.median(next_wall) * ms,
        "wall_toggle_save_median_ms": statistics.median(toggle_wall) * ms,
        "pilot_idle_key_ms": statistics.median(idle) * ms,
    }


def tui_figures() -> dict[str, float]:
    """Every figure of one pilot session on a fresh review of the maximum-size checklist."""
    with tempfile.TemporaryDirectory(prefix="orr-bench-tui-") as folder:
        path = _review_of_max_checklist(Path(folder))
        return asyncio.run(_measure(path))


def cases() -> list[tuple[str, Callable[[], object], float]]:
    return []  # one pilot session measures every figure: see `figures`


def figures() -> list[tuple[str, float, float, str]]:
    """(name, value, budget, unit) of one pilot session; the runner records them as they are."""
    f = tui_figures()
    return [
        ("tui: startup to the first interactive screen", f["startup_s"] * 1000, 1000.0, "ms"),
        ("tui: next question, median", f["next_question_median_ms"], 50.0, "ms"),
        ("tui: next question, p95", f["next_question_p95_ms"], 100.0, "ms"),
        ("tui: toggle a choice incl. save, median", f["toggle_save_median_ms"], 50.0, "ms"),
        (
            "tui: next question, wall clock incl. pilot idle",
            f["wall_next_question_median_ms"],
            float("inf"),
            "ms",
        ),
    ]


if __name__ == "__main__":
    measured = tui_figures()
    print(json.dumps({k: round(v, 3) for k, v in measured.items()}, indent=2))
