"""Process figures beside their floors (issue 18), each a whole process from its start to its
exit, orr and its floor run in turns:

- the terminal app, `orr open REVIEW` to its first question shown (120x40, a core-tier review
  of the bundled checklist), beside a bare Textual app (a header, a footer and a 60-leaf tree):
  at most 1.5x;
- the terminal app, `orr FOLDER` to Home with its 100 reviews listed, beside the same app:
  at most 1.5x (Home opened before today: what it remembers of each review is used, as
  when a launch team opens it again); and the same the first time today (nothing remembered:
  every review read and judged), shown without a goal;
- `orr status REVIEW` on one review, beside Python importing pydantic and defining one model:
  at most 1.5x.

    python bench/run.py --only startup
"""

from __future__ import annotations

import atexit
import math
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from side_by_side import Pair, proc_startup, process  # noqa: E402

from orr.checklist import load_checklist  # noqa: E402
from orr.checklist.load import bundled_manifest  # noqa: E402
from orr.checklist.model import Checklist  # noqa: E402
from orr.review import ops  # noqa: E402
from orr.review.store import ReviewStore  # noqa: E402

NOW = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2030, 1, 1)
HOME_REVIEWS = 100

PYDANTIC_FLOOR = "import pydantic\nclass M(pydantic.BaseModel):\n    a: int\n"


def _write_review(
    checklist: Checklist, path: Path, n: int, *, tier: str | None = None, answered: int = 0
) -> None:
    review, _ = ops.new_review(
        checklist,
        workload=f"Workload {n:03d}",
        launch_date=TODAY + timedelta(days=n % 60 - 10),
        manifest=ops.manifest_ref(checklist.path, path),
        tier=tier,
        stakeholders=[("Ann Owner", "owner"), ("Sam Security", "security")],
        who="bench",
        now=NOW,
        today=TODAY,
    )
    in_scope = [q for q in checklist.questions if q.id in review.checklist.question_hashes]
    for i, q in enumerate(in_scope[:answered]):
        practices = q.practice_ids
        ops.set_answer(
            review,
            checklist,
            q.id,
            choices=practices if (n + i) % 3 else practices[:1],
            notes=f"Discussed on {TODAY.isoformat()}." if i % 2 else None,
            who="bench",
            now=NOW,
        )
    ReviewStore(path).create(review, "bench")


def workspace() -> tuple[Path, Path]:
    """A review of the bundled checklist's core tier, and a workspace of 100 reviews."""
    folder = Path(tempfile.mkdtemp(prefix="orr-bench-startup-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    checklist = load_checklist(bundled_manifest())
    one = folder / "one" / "reviews" / "core.toml"
    one.parent.mkdir(parents=True)
    _write_review(checklist, one, 0, tier="core", answered=5)
    home = folder / "home"
    (home / "reviews").mkdir(parents=True)
    for n in range(HOME_REVIEWS):
        _write_review(
            checklist, home / "reviews" / f"workload-{n:03d}.toml", n, answered=(n * 7) % 40
        )
    return one, home


def pairs() -> list[Pair]:
    one, home = workspace()
    floor_tui = proc_startup("floor")
    # The bench's own cache folder (never the user's): the runner's warm-up run fills it.
    cache = tempfile.mkdtemp(prefix="orr-bench-cache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    tui_floor_name = "bare Textual app: header, footer, 60-leaf tree"
    return [
        Pair(
            "startup: `orr open` to the first question (core review, 120x40)",
            proc_startup("review", str(one)),
            tui_floor_name,
            floor_tui,
            1.5,
        ),
        Pair(
            f"startup: `orr FOLDER` to Home with {HOME_REVIEWS} reviews",
            proc_startup("home", str(home), XDG_CACHE_HOME=cache),
            tui_floor_name,
            floor_tui,
            1.5,
        ),
        Pair(
            "startup: the same, the first time today (nothing remembered)",
            proc_startup("home-first", str(home)),
            tui_floor_name,
            floor_tui,
            math.inf,
        ),
        Pair(
            "startup: `orr status` on one review",
            process(["-m", "orr", "status", str(one)]),
            "python: import pydantic, define one model",
            process(["-c", PYDANTIC_FLOOR]),
            1.5,
        ),
    ]
