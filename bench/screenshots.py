"""The README screenshots, taken by the app itself: a demo workspace with two reviews of the
bundled checklist, driven by the pilot at a fixed date, each screen saved as SVG.

    python bench/screenshots.py [--out docs/screenshots]             # English: home.svg, ...
    python bench/screenshots.py --lang ja [--out docs/screenshots]   # Japanese: ja-home.svg, ...

In Japanese the same demo is shown with what a Japanese team would have typed (names, titles,
notes in Japanese); the app's texts are looked up when orr.tui is imported, so the language is
set before that.
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

SIZE = (120, 40)
WHO = "Olivia Owner"
# The demo's data as a Japanese team would have typed it.
JAPANESE = {
    "Payments API": "決済API",
    "Search indexer": "検索インデクサー",
    "Olivia Owner": "大野 オリビア",
    "Dana Dev": "伊達 大地",
    "Oscar Ops": "尾崎 修",
    "Sam Security": "佐野 誠",
    "Bea Business": "馬場 恵",
    "Move the database password to the secrets manager": "DB パスワードをシークレットマネージャーへ移す",
    "Deploy in waves: one region, then the rest": "段階的にデプロイ: まず 1 リージョン、次に残り",
    "Launch traffic is capped at 5% by the feature flag": "フィーチャーフラグでローンチ時の流量を 5% に制限",
    "Feature flag cap; autoscaling alarms": "フラグによる上限、オートスケーリングのアラーム",
    "Serverless: there is no capacity to provision ahead": "サーバーレスのため事前に確保する容量がない",
    "Internal tool, charged centrally": "社内ツールで費用は一括計上",
    "Two services still read the database password from an env file. [Tracked in SEC-482]": (
        "2 つのサービスがまだ env ファイルから DB パスワードを読んでいる。[SEC-482 で追跡]"
    ),
    "Checkout service": "チェックアウト",
}


def _in_japanese(workspace: Path) -> None:
    """The demo's review files with the Japanese team's words (the files are text)."""
    for path in sorted((workspace / "reviews").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        for english, japanese in JAPANESE.items():
            text = text.replace(english, japanese)
        path.write_text(text, encoding="utf-8")


async def _shoot(workspace: Path, out: Path, prefix: str) -> list[Path]:
    from textual.pilot import Pilot

    from orr.tui.app import OrrApp
    from orr.tui.screens.walkthrough import WalkthroughScreen
    from tests.test_tui_support import TODAY

    written: list[Path] = []
    who = JAPANESE[WHO] if prefix else WHO
    app = OrrApp(workspace=workspace, today=TODAY, user=who)

    async def settle(pilot: Pilot[None]) -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    def save(name: str) -> None:
        app.save_screenshot(f"{prefix}{name}.svg", str(out))
        written.append(out / f"{prefix}{name}.svg")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        save("home")
        await pilot.press("c")
        await settle(pilot)
        name = JAPANESE["Checkout service"] if prefix else "Checkout service"
        for key in name:
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


def make_screenshots(out: Path, lang: str = "en") -> list[Path]:
    from orr.i18n import set_language

    set_language(lang)  # before orr.tui is imported (by the demo's helpers too)
    from tests.test_tui_support import demo_workspace

    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    folder = Path(tempfile.mkdtemp(prefix="orr-shots-"))
    here = Path.cwd()
    prefix = "" if lang == "en" else f"{lang}-"
    try:
        os.chdir(folder)  # paths show as a user sees them: relative to where orr runs
        workspace = demo_workspace(folder / "payments-team")
        if prefix:
            _in_japanese(workspace)
        return asyncio.run(_shoot(workspace, out, prefix))
    finally:
        os.chdir(here)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    args = parser.parse_args()
    for path in make_screenshots(Path(args.out), args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
