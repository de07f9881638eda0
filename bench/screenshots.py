"""The README screenshots, taken by the app itself: a demo workspace with two reviews of the
bundled checklist, driven by the pilot at a fixed date, each screen saved as SVG.

    python bench/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.test_tui_support import TODAY, demo_workspace  # noqa: E402

SIZE = (120, 40)
WHO = "Olivia Owner"


async def _shoot(workspace: Path, out: Path) -> list[Path]:
    from textual.pilot import Pilot

    from orr.tui.app import OrrApp
    from orr.tui.screens.walkthrough import WalkthroughScreen

    written: list[Path] = []
    app = OrrApp(workspace=workspace, today=TODAY, user=WHO)

    async def settle(pilot: Pilot[None]) -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    def save(name: str) -> None:
        app.save_screenshot(f"{name}.svg", str(out))
        written.append(out / f"{name}.svg")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        save("home")
        await pilot.press("c")
        await settle(pilot)
        for key in "Checkout service":
            await pilot.press("space" if key == " " else key)
        await pilot.pause()
        save("new-review")
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        walk.show_question("sec_secrets")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        save("walkthrough")
        await pilot.press("r", "down", "down", "down", "down", "enter")  # the security role
        await pilot.pause()
        save("walkthrough-security")
        await pilot.press("x", "2")
        await pilot.pause()
        save("findings")
        await pilot.press("3")
        await pilot.pause()
        save("readiness")
        await pilot.press("4", "l")
        await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        save("export")
        await pilot.press("1", "f1")
        await pilot.pause()
        save("help")
    return written


def make_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    folder = Path(tempfile.mkdtemp(prefix="orr-shots-"))
    here = Path.cwd()
    try:
        os.chdir(folder)  # paths show as a user sees them: relative to where orr runs
        workspace = demo_workspace(folder / "payments-team")
        return asyncio.run(_shoot(workspace, out))
    finally:
        os.chdir(here)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    args = parser.parse_args()
    for path in make_screenshots(Path(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
