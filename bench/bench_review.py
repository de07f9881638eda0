"""Review figures (issue 4): saving a maximum-size review (200 questions answered, 300
mitigations, and the audit trail those 500 changes leave) through ReviewStore, under 15 ms median;
and `orr status --attention` over 1,000 review files (dated evidence, acceptances, a cadence) as a
whole process, under 3 s.

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
from orr.review.model import Evidence, Review
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


def _lifecycle_checklist(folder: Path) -> Path:
    """The small test checklist with a yearly cadence and evidence rules (required, dated,
    blocking), so that status computes evidence ages and what needs attention."""
    shutil.copytree(MINI.parent, folder)
    manifest = folder / "orr.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(
            "required_signoffs",
            "review_every_days = 365\nevidence_max_age_days = 180\nrequired_signoffs",
            1,
        ),
        encoding="utf-8",
    )
    source = folder / "readiness.toml"
    text = source.read_text(encoding="utf-8").replace(
        'id = "ops_runbooks"\n',
        'id = "ops_runbooks"\nevidence_required = true\nevidence_blocks = true\n',
        1,
    )
    source.write_text(text, encoding="utf-8")
    return manifest


def _status_folder(count: int) -> Path:
    """``count`` review files of the small test checklist, in varied states: evidence of many
    ages, overdue mitigations, acceptances expiring, launches past and to come."""
    folder = _temp_folder("orr-bench-status-")
    manifest = _lifecycle_checklist(folder / "checklist")
    checklist = load_checklist(manifest)
    reviews = folder / "reviews"
    reviews.mkdir()
    for n in range(count):
        path = reviews / f"workload-{n:04d}.toml"
        review, _ = ops.new_review(
            checklist,
            workload=f"Workload {n}",
            launch_date=date(2029, 1, 1) + timedelta(days=n % 500),
            manifest=ops.manifest_ref(manifest, path),
            stakeholders=[("Ann", "owner"), ("Sam", "security")],
            who="bench",
            now=NOW,
            today=TODAY,
        )
        for i, q in enumerate(checklist.questions):
            if (n + i) % 7 == 0:
                continue  # leave some unanswered
            choices = q.practice_ids if (n + i) % 3 else q.practice_ids[:1]
            evidence = [
                Evidence(
                    url=f"https://wiki.example.com/{n}/{q.id}",
                    verified_on=TODAY - timedelta(days=(n * 7 + i * 31) % 400),
                )
            ]
            ops.set_answer(
                review,
                checklist,
                q.id,
                choices=choices,
                evidence=evidence if (n + i) % 4 else [],
                who="bench",
                now=NOW,
            )
            if (n + i) % 3 == 0 and n % 5 == 0:
                ops.add_acceptance(
                    review,
                    checklist,
                    q.id,
                    approver="Ann",
                    role="owner",
                    rationale="Manual runbook until the next quarter",
                    expires=TODAY + timedelta(days=1 + n % 90),
                    who="bench",
                    now=NOW,
                    today=TODAY,
                )
            elif (n + i) % 3 == 0:
                ops.add_mitigation(
                    review,
                    checklist,
                    q.id,
                    title="Close the gap",
                    owner="Ann",
                    due=TODAY + timedelta(days=n % 40 - 20),
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
        [
            sys.executable,
            "-m",
            "orr",
            "status",
            str(reviews),
            "--attention",
            "--today",
            "2030-01-01",
        ],
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
            [
                sys.executable,
                "-m",
                "orr",
                "status",
                str(status_folder),
                "--attention",
                "--today",
                "2030-01-01",
            ],
            capture_output=True,
            cwd=REPO,
            check=False,
        )

    return [
        ("review: save max-size (200 answers, 300 mitigations)", save, 0.015),
        ("review: `orr status --attention` over 1,000 reviews (process)", status, 3.0),
    ]


if __name__ == "__main__":
    print(f"orr status over 1,000 reviews: {status_1000_process():.2f} s")
