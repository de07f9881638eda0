"""One process that starts a terminal app headless and exits once its first screen is shown:
what bench_startup.py times as a whole process (interpreter start, imports, first frame).

    python bench/proc_startup.py floor              # a bare Textual app: header, tree, footer
    python bench/proc_startup.py review REVIEW.toml # `orr open REVIEW`, to its first question
    python bench/proc_startup.py home FOLDER        # `orr FOLDER`: Home, its reviews listed
    python bench/proc_startup.py home-first FOLDER  # the same with nothing remembered (an
                                                    # empty cache folder: the first time today)

The floor is what Python and Textual cost for a screen like orr's: a header, a footer and a
tree of 60 leaves in 6 branches. orr runs as the user starts it, through its command line
(`orr.cli.main`: the language, the arguments, the review checked before the app starts); every
app, the floor's too, runs by `App.run` on Textual's headless driver at 120x40 and exits once
its first screen is shown and the app is idle.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.pilot import Pilot

SIZE = (120, 40)


def floor() -> App[None]:
    from textual.app import ComposeResult
    from textual.binding import BindingType
    from textual.widgets import Footer, Header, Tree

    class Floor(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("n", "noop", "Next"), ("p", "noop", "Previous")]

        def compose(self) -> ComposeResult:
            yield Header()
            tree: Tree[None] = Tree("checklist")
            for p in range(6):
                branch = tree.root.add(f"pillar {p}", expand=True)
                for q in range(10):
                    branch.add_leaf(f"question {p}-{q}: is the workload ready for this?")
            yield tree
            yield Footer()

    return Floor()


async def _shown(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    pilot.app.exit()


async def _question_shown(pilot: Pilot[Any]) -> None:
    from orr.tui.screens.walkthrough import WalkthroughScreen

    app = pilot.app
    while not (isinstance(app.screen, WalkthroughScreen) and app.screen.current):
        await pilot.pause(0.001)
    await _shown(pilot)


async def _reviews_shown(pilot: Pilot[Any]) -> None:
    from orr.tui.screens.home import HomeScreen

    app = pilot.app
    while not (isinstance(app.screen, HomeScreen) and app.screen.reviews):
        await pilot.pause(0.001)
    await _shown(pilot)


def _headless(until: Any) -> None:
    """Every app of this process runs headless at SIZE until ``until`` says it is shown."""
    run = App.run

    def headless_run(self: App[Any], **_options: Any) -> Any:
        return run(self, headless=True, size=SIZE, auto_pilot=until)

    App.run = headless_run  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    what = argv[0]
    if what == "floor":
        _headless(_shown)
        floor().run()
        return 0
    from orr.cli import main as orr

    # As the `orr` script runs: main() reads the process's own command line.
    if what == "review":
        _headless(_question_shown)
        sys.argv = ["orr", "open", argv[1], "--user", "bench"]
    elif what in ("home", "home-first"):
        if what == "home-first":
            import atexit
            import os
            import shutil
            import tempfile

            empty = tempfile.mkdtemp(prefix="orr-bench-cache-")
            atexit.register(shutil.rmtree, empty, ignore_errors=True)
            os.environ["XDG_CACHE_HOME"] = empty
        _headless(_reviews_shown)
        sys.argv = ["orr", argv[1], "--user", "bench"]
    else:
        raise SystemExit(f"unknown: {what}")
    return orr()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main(sys.argv[1:]))
