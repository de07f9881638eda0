"""Review figures (issue 4): saving a maximum-size review (200 questions answered, 300
mitigations, and the audit trail those 500 changes leave) through ReviewStore, under 15 ms median;
and `orr status` over 1,000 review files as a whole process, under 3 s.

    python bench/run.py --only "review: "
    PYTHONPATH=. python bench/bench_review.py      # status_1000_process() alone
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from orr.checklist import load_checklist
from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.model import Review
from orr.review.store import ReviewStore
from tests.maxsize import write_max_checklist

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "mini" / "orr.toml"
NOW = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2030, 1, 1)


def max_review(checklist: Checklist, review_file: Path) -> Review:
    """200 answered questions (varied risks, notes, evidence) and 300 mitigations."""
    review, _ = ops.new_review(
        checklist,
        workload="Maximum size workload",
        launch_date=date(2030, 3, 1),
        manifest=ops.manifest_ref(checklist.path, review_file),
        stakeholders=[("Owner Person", "owner")],
        who="bench",
        now=NOW,
        today=TODAY,
    )
    questions = checklist.questions
    for i, q in enumerate(questions):
        practices = q.practice_ids
        chosen = practices[: (i % len(practices)) + 1] if i % 5 else practices
        ops.set_answer(
            review,
            checklist,
            q.id,
            choices=chosen,
            notes=f"Answer notes for {q.id}: discussed in the review meeting.\nSecond line.",
            evidence=[f"https://wiki.example.com/{q.id}"],
            who="bench",
            now=NOW + timedelta(seconds=i),
        )
    for m in range(300):
        q = questions[m % len(questions)]
        ops.add_mitigation(
            review,
            checklist,
            q.id,
            title=f"Mitigation {m} for {q.id}: automate the runbook and rehearse it",
            owner=f"Engineer {m % 17}",
            due=date(2030, 2, 1) + timedelta(days=m % 20),
            status=("open", "in_progress", "done")[m % 3],
            ticket=f"https://tickets.example.com/OPS-{1000 + m}",
            notes="Tracked weekly.",
            who="bench",
            now=NOW + timedelta(minutes=m),
            today=TODAY,
        )
    return review


def _temp_folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _status_folder(count: int) -> Path:
    """``count`` review files of the small test checklist, in varied states."""
    folder = _temp_folder("orr-bench-status-")
    checklist = load_checklist(MINI)
    reviews = folder / "reviews"
    reviews.mkdir()
    for n in range(count):
        path = reviews / f"workload-{n:04d}.toml"
        review, _ = ops.new_review(
            checklist,
            workload=f"Workload {n}",
            launch_date=date(2030, 1, 1) + timedelta(days=n % 60),
            manifest=ops.manifest_ref(MINI, path),
            stakeholders=[("Ann", "owner"), ("Sam", "security")],
            who="bench",
            now=NOW,
            today=TODAY,
        )
        for i, q in enumerate(checklist.questions):
            if (n + i) % 7 == 0:
                continue  # leave some unanswered
            choices = q.practice_ids if (n + i) % 3 else q.practice_ids[:1]
            ops.set_answer(review, checklist, q.id, choices=choices, who="bench", now=NOW)
            if (n + i) % 3 == 0:
                ops.add_mitigation(
                    review,
                    checklist,
                    q.id,
                    title="Close the gap",
                    owner="Ann",
                    due=date(2030, 1, 20),
                    who="bench",
                    now=NOW,
                    today=TODAY,
                )
        ReviewStore(path).create(review)
    return reviews


def status_1000_process() -> float:
    """Seconds for `orr status` over 1,000 review files, as one whole process."""
    reviews = _status_folder(1000)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "orr", "status", str(reviews), "--today", "2030-01-01"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"orr status failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def cases() -> list[tuple[str, Callable[[], object], float]]:
    folder = _temp_folder("orr-bench-review-")
    checklist = load_checklist(write_max_checklist(folder / "checklist"))
    path = folder / "reviews" / "max.toml"
    review = max_review(checklist, path)
    store = ReviewStore(path)
    store.create(review)
    store.load()

    def save() -> None:
        store.save(review, "bench")

    status_folder = _status_folder(1000)

    def status() -> None:
        subprocess.run(
            [sys.executable, "-m", "orr", "status", str(status_folder), "--today", "2030-01-01"],
            capture_output=True,
            cwd=REPO,
            check=False,
        )

    return [
        ("review: save max-size (200 answers, 300 mitigations)", save, 0.015),
        ("review: `orr status` over 1,000 reviews (process)", status, 3.0),
    ]


if __name__ == "__main__":
    print(f"orr status over 1,000 reviews: {status_1000_process():.2f} s")
