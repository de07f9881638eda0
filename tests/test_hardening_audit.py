"""Audit entries never vanish when concurrent edits merge (issue 13, item 9).

Two real processes each make 100 changes to one review through the store, each keeping the
review it loaded and saving again and again (as the terminal app does), so that nearly every save
merges the other process's changes. Both write the same audit entries in the same second: each is
a change of its own and the trail keeps every one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import orr
from orr.review.merge import merge_reviews
from orr.review.model import AuditEntry
from orr.review.store import ReviewStore, load_review
from tests.test_review_support import answer_clean, new_review

REPO = Path(orr.__file__).resolve().parent.parent
CHANGES = 100
WRITERS = ("alice", "bob")
SECOND = datetime(2030, 1, 2, 9, 0, tzinfo=UTC)


def entry(n: int) -> AuditEntry:
    """The n-th change's entry: the same from both writers, in the same second."""
    return AuditEntry(at=SECOND, who="tester", action="note", detail=f"change {n}")


def test_identical_entries_from_the_two_sides_are_two_changes() -> None:
    base = answer_clean(new_review())
    ours, theirs = base.model_copy(deep=True), base.model_copy(deep=True)
    ours.audit += [entry(1), entry(1), entry(2)]
    theirs.audit += [entry(1), entry(3)]
    merged = merge_reviews(base, ours, theirs)
    added = Counter(e.detail for e in merged.audit[len(base.audit) :])
    assert added == {"change 1": 3, "change 2": 1, "change 3": 1}


def test_entries_already_read_are_not_added_again() -> None:
    base = answer_clean(new_review())
    base.audit += [entry(1), entry(1)]
    ours, theirs = base.model_copy(deep=True), base.model_copy(deep=True)
    ours.audit.append(entry(1))  # a third change, identical to the two before it
    merged = merge_reviews(base, ours, theirs)
    assert [e.detail for e in merged.audit].count("change 1") == 3


def writer(path: str, who: str, folder: str) -> None:
    """Load once, then make CHANGES changes, saving each at once; keep what each save returns
    (the merge, when the other writer saved in between). Prints how many saves merged."""
    store = ReviewStore(Path(path))
    review = store.load()
    Path(folder, f"ready-{who}").touch()
    while not Path(folder, "go").exists():
        time.sleep(0.001)
    merged = 0
    for n in range(CHANGES):
        review.wat[who] = str(n)
        review.audit.append(entry(n))
        saved = store.save(review, who)
        merged += saved is not review
        review = saved
    print(merged)


def test_two_processes_times_100_changes_keep_every_audit_entry(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    start = answer_clean(new_review())
    ReviewStore(path).create(start)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = "import sys; from tests.test_hardening_audit import writer; writer(*sys.argv[1:])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path), who, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for who in WRITERS
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{who}").exists() for who in WRITERS):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.005)
    (tmp_path / "go").touch()
    merged = 0
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        merged += int(out)
    assert merged > 0, "the writers never overlapped: the test tested nothing"
    review = load_review(path)
    assert review.wat == {**start.wat, "alice": str(CHANGES - 1), "bob": str(CHANGES - 1)}
    added = Counter(e.detail for e in review.audit if e.action == "note")
    assert added == {f"change {n}": len(WRITERS) for n in range(CHANGES)}
    assert len(review.audit) == len(start.audit) + len(WRITERS) * CHANGES
