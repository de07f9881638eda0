"""Reliability with real processes, not mocks.

- A writer saving a review in a tight loop is killed with SIGKILL at random moments, over 200
  times: after each kill the file loads and is exactly one of the states that were saved.
- Two processes edit one review at once: no change is lost, or the second writer is refused with
  a clear message and the file keeps the first writer's change.

The writers are forked from a "zygote" process that has already imported orr, so that 200 kills
take seconds rather than minutes of interpreter start-up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from functools import cache
from pathlib import Path

import orr
from orr.errors import ConflictError
from orr.review import ops
from orr.review.kinds import MitigationStatus
from orr.review.model import AuditEntry, Mitigation, Review
from orr.review.store import ReviewStore, load_review
from tests.test_review_support import HIGH_Q, NOW, answer_clean, mini, new_review

REPO = Path(orr.__file__).resolve().parent.parent
KILLS = 210


@cache
def _base() -> Review:
    return answer_clean(new_review())


def state(i: int) -> Review:
    """The i-th state the writer saves: its size and content vary with i."""
    review = _base().model_copy(deep=True)
    review.answers[HIGH_Q].notes = f"state {i}\n" + "x" * (i % 50 * 40)
    review.mitigations = [
        Mitigation(
            id=f"M{j + 1}",
            question=HIGH_Q,
            title=f"mitigation {j} of state {i}",
            owner="Ann",
            status=MitigationStatus.OPEN,
            blocking=bool(j % 2),
            updated_at=NOW,
            updated_by="writer",
        )
        for j in range(i % 40)
    ]
    review.audit.append(
        AuditEntry(at=NOW + timedelta(seconds=i), who="writer", action="save", detail=f"{i}")
    )
    return review


def state_number(review: Review) -> int:
    return int(review.answers[HIGH_Q].notes.split("\n", 1)[0].removeprefix("state "))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "ORR_USER": "writer"}


def _python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


# --- the processes -------------------------------------------------------------------------------


def _write_forever(path: Path) -> None:
    """The writer: continue from the state on disk and save the next states, forever."""
    store = ReviewStore(path)
    i = state_number(store.load())
    while True:
        i += 1
        store.save(state(i), "writer")


def zygote(path: str) -> None:
    """Read "go" lines; fork a writer for each, report its pid, reap it, report its status."""
    target = Path(path)
    state(0)  # warm the caches before forking
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                _write_forever(target)
            finally:
                os._exit(1)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(f"exit {status}\n")
        sys.stdout.flush()


def editor(path: str, who: str, qid: str, mode: str, folder: str) -> None:
    """Load the review, wait for the go signal, make one change, save; print the outcome."""
    c = mini()
    store = ReviewStore(Path(path))
    review = store.load()
    if mode == "answer":
        ops.set_answer(review, c, qid, notes=f"note by {who}", who=who)
    else:
        ops.add_mitigation(review, c, qid, title=f"by {who}", owner=who, due=None, who=who)
    Path(folder, f"ready-{who}").touch()
    while not Path(folder, "go").exists():
        time.sleep(0.001)
    try:
        store.save(review, who)
    except ConflictError as exc:
        print(f"refused: {exc.message}")
        return
    print("saved")


def transact_editor(path: str, who: str, count: str) -> None:
    """Add ``count`` mitigations, one locked read-change-write each (what the CLI does)."""
    c = mini()
    store = ReviewStore(Path(path))
    for n in range(int(count)):

        def add(r: Review, n: int = n) -> tuple[Mitigation, list[str]]:
            return ops.add_mitigation(
                r, c, HIGH_Q, title=f"{who} {n}", owner=who, due=None, who=who
            )

        store.transact(add, who)


# --- the tests -----------------------------------------------------------------------------------


def test_a_writer_killed_at_random_moments_never_leaves_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "reviews" / "r.toml"
    ReviewStore(path).create(state(0))
    proc = subprocess.Popen(
        _python(
            "import sys; from tests.test_review_reliability import zygote; zygote(sys.argv[1])",
            str(path),
        ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=REPO,
    )
    assert proc.stdin is not None and proc.stdout is not None
    rng = random.Random(4)
    seen: list[int] = []
    killed = 0
    try:
        for _ in range(KILLS):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            pid = int(proc.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.03))
            os.kill(pid, signal.SIGKILL)
            status = proc.stdout.readline().strip()
            assert status.startswith("exit "), status
            if os.WIFSIGNALED(int(status.split()[1])):
                killed += 1
            review = load_review(path)  # loads: never torn, never half-written
            n = state_number(review)
            assert review == state(n)  # exactly one of the saved states
            assert not seen or n >= seen[-1]  # never an older state than already seen
            seen.append(n)
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    assert killed >= 200
    # Writers killed mid-save leave their temporary files; the next save sweeps them away.
    ReviewStore(path).transact(lambda r: None)
    assert sorted(p.name for p in path.parent.iterdir()) == [".r.toml.lock", "r.toml"]
    assert len(set(seen)) >= 20, "the writer hardly wrote: the kills tested nothing"


def _spawn(*args: str) -> subprocess.Popen[str]:
    fn = args[0]
    return subprocess.Popen(
        _python(
            f"import sys; from tests.test_review_reliability import {fn}; {fn}(*sys.argv[1:])",
            *args[1:],
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=REPO,
    )


def _race(tmp_path: Path, edits: list[tuple[str, str, str]]) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "r.toml"
    ReviewStore(path).create(answer_clean(new_review()))
    procs = {
        who: _spawn("editor", str(path), who, qid, mode, str(tmp_path)) for who, qid, mode in edits
    }
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{who}").exists() for who in procs):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs.values())
        time.sleep(0.005)
    (tmp_path / "go").touch()
    results = {}
    for who, p in procs.items():
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        results[who] = out.strip()
    return path, results


def test_two_processes_editing_different_entries_lose_nothing(tmp_path: Path) -> None:
    path, results = _race(
        tmp_path,
        [
            ("alice", HIGH_Q, "answer"),
            ("bob", "sec_encryption", "answer"),
            ("carol", HIGH_Q, "mitigate"),
            ("dave", "ops_alarms", "mitigate"),
        ],
    )
    assert set(results.values()) == {"saved"}
    review = load_review(path)
    assert review.answers[HIGH_Q].notes == "note by alice"
    assert review.answers["sec_encryption"].notes == "note by bob"
    assert sorted(m.title for m in review.mitigations) == ["by carol", "by dave"]
    assert sorted(m.id for m in review.mitigations) == ["M1", "M2"]
    who = {e.who for e in review.audit}
    assert {"alice", "bob", "carol", "dave"} <= who


def test_two_processes_changing_the_same_answer_one_is_refused(tmp_path: Path) -> None:
    path, results = _race(tmp_path, [("alice", HIGH_Q, "answer"), ("bob", HIGH_Q, "answer")])
    outcomes = sorted(r.split(":")[0] for r in results.values())
    assert outcomes == ["refused", "saved"]
    winner = next(w for w, r in results.items() if r == "saved")
    refused = next(r for r in results.values() if r != "saved")
    assert "changed on disk since it was read" in refused
    assert f"answer {HIGH_Q}" in refused and "nothing written" in refused
    assert load_review(path).answers[HIGH_Q].notes == f"note by {winner}"  # kept, not clobbered


def test_two_processes_with_locked_read_change_write_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    ReviewStore(path).create(answer_clean(new_review()))
    procs = [_spawn("transact_editor", str(path), who, "15") for who in ("alice", "bob")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    review = load_review(path)
    titles = sorted(m.title for m in review.mitigations)
    assert titles == sorted([f"{w} {n}" for w in ("alice", "bob") for n in range(15)])
    assert len({m.id for m in review.mitigations}) == 30
