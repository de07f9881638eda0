"""A whole launch review in the terminal app in Japanese, by keyboard (issue 11), run in a
process of its own: the app's texts are looked up when its modules are imported, so the
language is set before the first import of orr.tui (as the CLI does).

    ORR_LANG=ja python -m tests.tui_japanese OUT.json [WIDTH HEIGHT]

It starts from an empty folder with the bundled checklist (in Japanese), creates a review for
a workload with a Japanese name and Japanese stakeholders, answers the core tier, mitigates one
finding, accepts the risk of another, has every required role sign off, and writes what each
screen showed (plain text, as a terminal shows it) with the final state to OUT.json.
tests/test_tui_japanese.py reads it.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from orr.i18n import set_language

MITIGATED = "gov_ownership"
ACCEPTED = "gov_compliance"
NOT_APPLICABLE = "cost_policy"
WORKLOAD = "決済API"
PEOPLE = {
    "owner": "佐藤花子",
    "security": "鈴木一郎",
    "operations": "高橋健",
    "development": "田中美咲",
    "business": "伊藤誠",
}
TODAY = date(2025, 6, 2)


def screen_text(app: Any) -> str:
    """The screen as a terminal shows it, as plain text (the screenshot's text)."""
    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    render = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(render)
    return console.export_text()


async def run(out: Path, size: tuple[int, int], folder: Path) -> None:

    from orr.review.store import ReviewStore
    from orr.tui.app import OrrApp
    from orr.tui.dialogs.answer import NotApplicableDialog
    from orr.tui.dialogs.findings import AcceptanceDialog, MitigationDialog
    from orr.tui.dialogs.review import NewReviewDialog
    from orr.tui.screens.findings import FindingsScreen
    from orr.tui.screens.home import HomeScreen
    from orr.tui.screens.readiness import ReadinessScreen
    from orr.tui.screens.walkthrough import WalkthroughScreen
    from tests.test_tui_support import settle, sign_as_each, tab_to, type_text

    screens: dict[str, str] = {}
    app = OrrApp(workspace=folder, today=TODAY, user=PEOPLE["owner"])
    async with app.run_test(size=size) as pilot:

        async def show(name: str) -> None:
            await settle(pilot)
            screens[name] = screen_text(app)

        await show("home_empty")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, NewReviewDialog)
        await type_text(pilot, WORKLOAD)
        await tab_to(pilot, "#new-tier")
        await pilot.press("enter", "down", "enter")
        for role in ("owner", "security", "operations", "development", "business"):
            await tab_to(pilot, f"#people-{role}")
            await type_text(pilot, PEOPLE[role])
        await show("new_review")
        await pilot.press("ctrl+s")
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        session = app.session
        assert session is not None
        await show("walkthrough")
        for qid in [q.id for q in session.questions]:
            assert walk.current == qid, (walk.current, qid)
            practices = len(session.question(qid).practice_ids)
            if qid == MITIGATED:
                await pilot.press("space")
            elif qid == ACCEPTED:
                await pilot.press("0")
            elif qid == NOT_APPLICABLE:
                await pilot.press("a")
                assert isinstance(app.screen, NotApplicableDialog)
                await show("not_applicable")
                await pilot.press("enter", "tab")
                await type_text(pilot, "社内ツールのためコスト方針は対象外")
                await pilot.press("ctrl+s")
                await pilot.pause()
            else:
                for _ in range(practices):
                    await pilot.press("space", "down")
            if session.question(qid).evidence.required and qid != ACCEPTED:
                await pilot.press("l")
                await type_text(pilot, f"https://wiki.example.com/{qid}")
                await pilot.press("enter")
                await pilot.pause()
            await pilot.press("n")
        await show("walkthrough_done")
        await pilot.press("f1")
        await show("help")
        await pilot.press("escape")
        await pilot.press("2")
        await show("findings")
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("m")
        assert isinstance(app.screen, MitigationDialog)
        await type_text(pilot, "サービスカタログに所有者を登録する")
        await show("mitigation")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("down", "d")
        await pilot.pause()
        await pilot.press("down", "a")
        assert isinstance(app.screen, AcceptanceDialog)
        await tab_to(pilot, "#acc-rationale")
        await type_text(pilot, "社内ツールのため。法務レビューはローンチ後に予定済み")
        await show("acceptance")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await show("findings_done")
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, ReadinessScreen)
        await show("readiness_before")
        await sign_as_each(pilot, [PEOPLE[r] for r in ("owner", "security", "operations")])
        await show("readiness")
        await pilot.press("4")
        await show("export")
        await pilot.press("h")
        await show("home")
        gate = session.gate
        review = ReviewStore(session.path).load()
        result = {
            "size": list(size),
            "screens": screens,
            "verdict": str(gate.verdict),
            "conditions": [str(c.kind) for c in gate.conditions],
            "workload": review.workload.name,
            "na_note": review.answers[NOT_APPLICABLE].na_note,
            "notifications": [n.message for n in app._notifications],
        }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str]) -> int:
    import tempfile

    set_language("ja")
    out = Path(argv[0])
    size = (int(argv[1]), int(argv[2])) if len(argv) > 2 else (160, 45)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(out, size, Path(folder)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
