"""Figures timed beside their floors (issue 18): what orr takes, next to what Python and Textual
take for the same kind of work on the same machine in the same run, and the ratio of the two.

A `Pair` is two measurements the runner takes in turns (A B A B ...), so that a change in the
machine's load (another process running tests) falls on both; the ratio of their medians is the
figure that passes or fails. A `Measured` is a figure whose floor is a constant: one frame at
60 fps for a key press.

Processes run as an installed orr runs: with its bytecode compiled once and kept (pip compiles
a wheel's modules at install; a clone compiles them on first use), in a cache of the run's own,
so a process of orr and its floor both start from compiled modules.
"""

from __future__ import annotations

import atexit
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "bench"

FRAME_MS = 16.0  # one frame at 60 fps (16.7 ms), rounded down
FRAME = "one frame at 60 fps"
FRAME_P95_MS = 33.0  # two frames: an occasional key may take the next one too
FRAME_P95 = "two frames at 60 fps"


SPEED_LOOP = 1_000_000  # iterations of the speed reference


def speed_reference() -> float:
    """CPU milliseconds of a fixed pure-Python loop, the median of three: how fast this
    machine runs plain Python right now, printed with every run. A key's figure is CPU time
    against a constant (a frame), so it moves with the machine's load; this loop shows part of
    that (it misses what slows memory-heavy work, such as a repaint, more than a loop: the
    bare Textual app beside the next-question key shows the rest)."""
    times = []
    for _ in range(3):
        start = time.process_time()
        total = 0
        for i in range(SPEED_LOOP):
            total += i * i % 7
        times.append(time.process_time() - start)
    return sorted(times)[1] * 1000


@dataclass(frozen=True)
class Run:
    """One measurement: wall-clock and CPU seconds."""

    wall: float
    cpu: float


@dataclass(frozen=True)
class Pair:
    """A figure and its floor, measured in turns by the runner."""

    name: str
    figure: Callable[[], Run]
    floor_name: str
    floor: Callable[[], Run]
    max_ratio: float


@dataclass(frozen=True)
class Measured:
    """A figure already measured, beside a constant floor."""

    name: str
    value_ms: float
    floor_name: str
    floor_ms: float
    max_ratio: float = 1.0


_cache: Path | None = None


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: bytecode kept in the run's own cache."""
    global _cache
    if _cache is None:
        _cache = Path(tempfile.mkdtemp(prefix="orr-bench-pycache-"))
        atexit.register(shutil.rmtree, _cache, ignore_errors=True)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_cache)
    env.update(extra)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process(args: Sequence[str], **env: str) -> Callable[[], Run]:
    """One run of ``python ARGS`` (in the repository) as a whole process: from its start to
    its exit."""
    command = [sys.executable, *args]
    environment = process_env(**env)

    def run() -> Run:
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=REPO, env=environment, capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
        return Run(wall, _children_cpu() - cpu)

    return run


def proc_startup(*args: str, **env: str) -> Callable[[], Run]:
    """A terminal app started headless to its first screen (bench/proc_startup.py)."""
    return process([str(HERE / "proc_startup.py"), *args], **env)
