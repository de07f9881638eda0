"""Builders shared by the terminal app tests (no tests here): workspaces, reviews at a fixed
clock, and pilot helpers that drive the app by keyboard and wait for its workers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerFailed

from orr.checklist import load_checklist, select_tier
from orr.checklist.load import bundled_manifest
from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.model import Review
from orr.review.store import ReviewStore
from orr.tui.app import OrrApp
from orr.values import file_slug as slug

TODAY = date(2025, 6, 2)
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
LAUNCH = date(2025, 7, 1)
SIZE = (120, 40)
MINI_DIR = Path(__file__).resolve().parent / "data" / "mini"

PEOPLE = {
    "owner": "Olivia Owner",
    "security": "Sam Security",
    "operations": "Oscar Ops",
    "development": "Dana Dev",
    "business": "Bea Business",
}


def workspace_with_mini(folder: Path) -> Path:
    """A workspace whose checklist is the small test checklist (tests/data/mini)."""
    shutil.copytree(MINI_DIR, folder / "checklists")
    return folder


def make_review(
    workspace: Path,
    name: str = "Payments API",
    *,
    manifest: Path | None = None,
    tier: str | None = None,
    launch: date = LAUNCH,
    stakeholders: dict[str, str] | None = None,
) -> Path:
    """A new review in ``workspace/reviews/`` (fixed clock); returns its path."""
    manifest = manifest or workspace / "checklists" / "orr.toml"
    if not manifest.is_file():
        manifest = bundled_manifest()
    checklist = load_checklist(manifest)
    people = stakeholders if stakeholders is not None else PEOPLE
    path = workspace / "reviews" / f"{slug(name)}.toml"
    review, _ = ops.new_review(
        checklist,
        workload=name,
        launch_date=launch,
        manifest=ops.manifest_ref(checklist.path, path),
        tier=tier,
        stakeholders=[(n, r) for r, n in people.items() if r in checklist.manifest.roles],
        who="tester",
        now=NOW,
        today=TODAY,
    )
    ReviewStore(path).create(review, "tester")
    return path


def edit(path: Path, change: Callable[[Review, Checklist], object]) -> None:
    """Change a review file the way a teammate's orr would (locked, fresh read, save)."""

    def apply(review: Review) -> None:
        checklist = ops.load_review_checklist(review, path)
        change(review, checklist)

    ReviewStore(path).transact(apply, "teammate")


def load(path: Path) -> Review:
    return ReviewStore(path).load()


async def settle(pilot: Pilot[None]) -> None:
    """Let the app finish: workers done, messages handled, the screen refreshed."""
    app = pilot.app
    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass  # the app tells the user (report_failure); tests assert on what it said
        await pilot.pause()


def on_top(app: App[Any], screen: Screen[Any]) -> bool:
    """Whether ``screen`` is the one the app shows now: ``app.screen is screen``, asked through a
    call because mypy keeps what an ``assert`` narrowed ``app.screen`` to across the key presses
    that change it."""
    return app.screen is screen


async def type_text(pilot: Pilot[None], text: str) -> None:
    keys = ["space" if c == " " else c for c in text]
    await pilot.press(*keys)


async def tab_to(pilot: Pilot[None], selector: str, limit: int = 30) -> Widget:
    """Press Tab until the widget matching ``selector`` has the focus (keyboard only)."""
    screen = pilot.app.screen
    target = screen.query_one(selector)
    for _ in range(limit):
        if screen.focused is target:
            return target
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {selector}; focus is on {screen.focused!r}")


async def sign_as_each(pilot: Pilot[None], names: list[str]) -> None:
    """On the readiness screen, each person in turn is chosen as who is at the keyboard (i)
    and signs off for their role (s, then Ctrl+S in the dialog)."""
    from textual.widgets import OptionList

    from orr.tui.dialogs.review import SignOffDialog

    app = pilot.app
    for name in names:
        await pilot.press("i")
        people = app.screen.query_one(OptionList)
        shown = [people.get_option_at_index(n).id for n in range(people.option_count)]
        people.highlighted = shown.index(name)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, SignOffDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()


def new_app(
    workspace: Path | None = None, review: Path | None = None, today: date = TODAY
) -> OrrApp:
    return OrrApp(workspace=workspace, review=review, today=today, user="tester")


def notifications(app: OrrApp) -> list[str]:
    return [n.message for n in app._notifications]


# --- the demo workspace (snapshots and the README screenshots) ---------------------------------

DEMO_WHO = "Olivia Owner"
DEMO_PEOPLE = [
    ("Olivia Owner", "owner"),
    ("Dana Dev", "development"),
    ("Oscar Ops", "operations"),
    ("Sam Security", "security"),
    ("Bea Business", "business"),
]


def _demo_answers(review: Review, checklist: Checklist, upto: int) -> None:
    """The first ``upto`` core questions: most with every practice, a few findings, one question
    and one practice not applicable."""
    core = select_tier(checklist, "core").questions
    for question in core[:upto]:
        practices = question.practice_ids
        if question.id == "sec_secrets":
            choices = practices[1:]  # secrets still in config: a HIGH finding
        elif question.id == "rls_canary":
            choices = [p for p in practices if p != "rls_can_waves"]  # a MEDIUM finding
        elif question.id == "rel_az_failure":
            choices = [p for p in practices if p != "rel_az_static_capacity"]
            ops.set_answer(review, checklist, question.id, choices=choices, who=DEMO_WHO, now=NOW)
            ops.set_practice_na(
                review,
                checklist,
                question.id,
                "rel_az_static_capacity",
                "ARCHITECTURE_CONSTRAINTS",
                "Serverless: there is no capacity to provision ahead",
                who=DEMO_WHO,
                now=NOW,
            )
            continue
        elif question.id == "rel_load_test":
            ops.set_answer(review, checklist, question.id, none=True, who=DEMO_WHO, now=NOW)
            continue
        elif question.id == "cost_policy":
            ops.set_answer(
                review,
                checklist,
                question.id,
                na_reason="BUSINESS_PRIORITIES",
                na_note="Internal tool, charged centrally",
                who=DEMO_WHO,
                now=NOW,
            )
            continue
        else:
            choices = practices
        ops.set_answer(review, checklist, question.id, choices=choices, who=DEMO_WHO, now=NOW)
    if any(q.id == "sec_secrets" for q in core[:upto]):
        ops.set_answer(
            review,
            checklist,
            "sec_secrets",
            notes="Two services still read the database password from an env file. "
            "[Tracked in SEC-482]",
            evidence=["https://wiki.example.com/payments/secrets"],
            who=DEMO_WHO,
            now=NOW,
        )


def demo_workspace(folder: Path) -> Path:
    """Two reviews of the bundled checklist's core tier at a fixed clock: "Payments API" under
    way (findings, an overdue mitigation, an acceptance, one sign-off) and "Search indexer"
    just started. Returns the workspace."""
    checklist = load_checklist(bundled_manifest())

    def create(name: str, launch: date, upto: int) -> tuple[Path, Review]:
        path = folder / "reviews" / f"{slug(name)}.toml"
        review, _ = ops.new_review(
            checklist,
            workload=name,
            launch_date=launch,
            manifest=ops.manifest_ref(checklist.path, path),
            tier="core",
            owner=DEMO_WHO,
            stakeholders=DEMO_PEOPLE,
            who=DEMO_WHO,
            now=NOW,
            today=TODAY,
        )
        _demo_answers(review, checklist, upto)
        return path, review

    path, review = create("Payments API", date(2025, 6, 30), 22)
    ops.add_mitigation(
        review,
        checklist,
        "sec_secrets",
        title="Move the database password to the secrets manager",
        owner="Dana Dev",
        due=date(2025, 5, 30),
        status="in_progress",
        ticket="https://tickets.example.com/SEC-482",
        who=DEMO_WHO,
        now=NOW,
        today=TODAY,
    )
    ops.add_mitigation(
        review,
        checklist,
        "rls_canary",
        title="Deploy in waves: one region, then the rest",
        owner="Oscar Ops",
        due=date(2025, 6, 20),
        blocking=False,
        who=DEMO_WHO,
        now=NOW,
        today=TODAY,
    )
    ops.add_acceptance(
        review,
        checklist,
        "rel_load_test",
        approver="Olivia Owner",
        role="owner",
        rationale="Launch traffic is capped at 5% by the feature flag",
        controls="Feature flag cap; autoscaling alarms",
        expires=date(2025, 9, 30),
        who=DEMO_WHO,
        now=NOW,
        today=TODAY,
    )
    ops.sign_off(review, checklist, "security", "Sam Security", "approve", who=DEMO_WHO, now=NOW)
    ReviewStore(path).create(review, DEMO_WHO)
    path, review = create("Search indexer", date(2025, 7, 28), 9)
    ReviewStore(path).create(review, DEMO_WHO)
    return folder
