"""Benchmarks (not tests): run every case, print a table, write bench/results.json.

Each bench/bench_*.py module may expose:

- ``pairs() -> list[side_by_side.Pair]``: a figure and its floor (what Python and Textual take
  for the same kind of work), measured in turns (A B A B ...) ``--rounds`` times in this run,
  whole processes where the figure is a process; the ratio of their medians is what passes or
  fails (issue 18), so that a loaded machine cannot pass or fail it by itself;
- ``beside_floors() -> list[side_by_side.Measured]``: figures it measures itself beside a
  constant floor (a key press beside one frame at 60 fps);
- ``cases() -> list[(name, fn, budget_seconds)]``: ``fn`` is called repeatedly in-process and
  its median (and p95) time is reported against the budget;
- ``figures() -> list[(name, value_ms, budget_ms, unit)]`` for figures it measures itself, and
  ``RATIOS`` of two cases' medians (measured alternating, in-process, as CPU time with the
  garbage collected between calls).

    python bench/run.py [--only SUBSTRING] [--repeat N] [--rounds N]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from side_by_side import Measured, Pair, Run, speed_reference  # noqa: E402

Case = tuple[str, Callable[[], object], float]


def once(fn: Callable[[], object]) -> float:
    """CPU seconds of one call, the garbage of what ran before it collected first (untimed):
    of two functions timed in turns, neither pays for the other's garbage, and neither for
    the time the machine gave to other processes."""
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def measure(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up: imports, caches
    times = []
    deadline = time.perf_counter() + 20.0
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if time.perf_counter() > deadline and len(times) >= 3:
            break
    return times


def _beside(m: Measured, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    ratio = m.value_ms / m.floor_ms
    return {
        "case": m.name,
        "median_ms": round(m.value_ms, 2),
        "floor": m.floor_name,
        "floor_ms": round(m.floor_ms, 2),
        "ratio": round(ratio, 3),
        # No goal (inf): a figure shown for what it is.
        "max_ratio": m.max_ratio if math.isfinite(m.max_ratio) else None,
        "ok": ratio <= m.max_ratio,
        **(extra or {}),
    }


def run_pair(pair: Pair, rounds: int) -> dict[str, Any]:
    """The figure and its floor in turns, A B A B: medians and their ratio."""
    pair.figure(), pair.floor()  # warm-up: bytecode caches, the disk cache
    figure: list[Run] = []
    floor: list[Run] = []
    for _ in range(rounds):
        figure.append(pair.figure())
        floor.append(pair.floor())

    def median(runs: list[Run], cpu: bool = False) -> float:
        return statistics.median(r.cpu if cpu else r.wall for r in runs) * 1000

    row = _beside(
        Measured(pair.name, median(figure), pair.floor_name, median(floor), pair.max_ratio),
        {
            "runs": rounds,
            "cpu_ms": round(median(figure, cpu=True), 2),
            "floor_cpu_ms": round(median(floor, cpu=True), 2),
        },
    )
    row["cpu_ratio"] = round(row["cpu_ms"] / row["floor_cpu_ms"], 3)
    return row


def run_module(name: str, only: str | None, repeat: int, rounds: int = 11) -> list[dict[str, Any]]:
    """Every figure beside its floor, case, figure and ratio of one bench module."""
    rows: list[dict[str, Any]] = []
    functions: dict[str, Callable[[], object]] = {}
    module = importlib.import_module(name)
    ratios = getattr(module, "RATIOS", [])
    measured = getattr(module, "figures", None)
    topic = name.removeprefix("bench_")  # `--only tui` runs the TUI's figures
    wanted = not only or only.split(":")[0] in topic
    if hasattr(module, "pairs") and wanted:
        rows.extend(run_pair(pair, rounds) for pair in module.pairs())
    if hasattr(module, "beside_floors") and wanted:
        rows.extend(_beside(m) for m in module.beside_floors())
    if measured is not None and (not only or only.split(":")[0] in topic):
        for fig_name, value, budget_ms, _unit in measured():
            if only and only not in fig_name:
                continue
            rows.append(
                {
                    "case": fig_name,
                    "median_ms": round(value, 2),
                    "p95_ms": None,
                    "budget_ms": None if budget_ms == float("inf") else round(budget_ms, 2),
                    "runs": 1,
                    "ok": value <= budget_ms,
                }
            )
    for case_name, fn, budget in getattr(module, "cases", list)():
        functions[case_name] = fn
        if only and only not in case_name:
            continue
        times = measure(fn, repeat)
        median = statistics.median(times)
        p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
        rows.append(
            {
                "case": case_name,
                "median_ms": round(median * 1000, 2),
                "p95_ms": round(p95 * 1000, 2),
                "budget_ms": round(budget * 1000, 2),
                "runs": len(times),
                "ok": median <= budget,
            }
        )
    measured_cases = {r["case"] for r in rows}
    for label, top, bottom, limit in ratios:
        if top in measured_cases and bottom in measured_cases:
            # Side by side: the two alternate, so a change in the machine's load hits both.
            pairs = [(once(functions[top]), once(functions[bottom])) for _ in range(repeat)]
            value = statistics.median(t for t, _ in pairs) / statistics.median(b for _, b in pairs)
            rows.append(
                {
                    "case": label,
                    "ratio": round(value, 3),
                    "max_ratio": limit,
                    "ok": value <= limit,
                }
            )
    return rows


def _goal(max_ratio: float | None) -> str:
    return "-" if max_ratio is None else "≤" + format(max_ratio, ".2f")


def print_table(rows: list[dict[str, Any]]) -> None:
    beside = [r for r in rows if "floor" in r]
    if beside:
        width = max(len(r["case"]) for r in beside)
        floor_width = max(len(r["floor"]) for r in beside)
        print(
            f"{'figure'.ljust(width)}  {'orr ms':>9}  {'floor'.ljust(floor_width)}  "
            f"{'floor ms':>9}  {'ratio':>6}  {'goal':>6}  ok"
        )
        for r in beside:
            print(
                f"{r['case'].ljust(width)}  {r['median_ms']:>9.1f}  {r['floor'].ljust(floor_width)}"
                f"  {r['floor_ms']:>9.1f}  {r['ratio']:>6.2f}  {_goal(r['max_ratio']):>6}"
                f"  {'-' if r['max_ratio'] is None else ('yes' if r['ok'] else 'NO')}"
            )
        print()
    rest = [r for r in rows if "floor" not in r]
    if not rest:
        return
    width = max([len(r["case"]) for r in rest] + [4])
    print(f"{'case'.ljust(width)}  {'median ms':>10}  {'p95 ms':>10}  {'budget ms':>10}  ok")
    for r in rest:
        ok = "yes" if r["ok"] else "NO"
        if "ratio" in r:
            print(
                f"{r['case'].ljust(width)}  {'ratio ' + format(r['ratio'], '.2f'):>10}  "
                f"{'':>10}  {'max ' + format(r['max_ratio'], '.2f'):>10}  {ok}"
            )
            continue
        p95 = "-" if r["p95_ms"] is None else format(r["p95_ms"], ".2f")
        budget = "-" if r["budget_ms"] is None else format(r["budget_ms"], ".2f")
        print(f"{r['case'].ljust(width)}  {r['median_ms']:>10.2f}  {p95:>10}  {budget:>10}  {ok}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--rounds", type=int, default=11, help="turns of a figure and its floor (processes)"
    )
    parser.add_argument("--out", default=str(HERE / "results.json"))
    parser.add_argument("--module", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.module:  # one module, in this process: rows as JSON for the parent
        print(json.dumps(run_module(args.module, args.only, args.repeat, args.rounds)))
        return 0
    # Each module runs in a fresh process, so that one module's data (a max-size checklist, a
    # workbook) does not slow the next through memory and garbage collection.
    rows: list[dict[str, Any]] = []
    speed = [speed_reference()]
    for name in sorted(p.stem for p in HERE.glob("bench_*.py")):
        command = [sys.executable, __file__, "--module", name, "--repeat", str(args.repeat)]
        command += ["--rounds", str(args.rounds)]
        if args.only:
            command += ["--only", args.only]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            print(f"{name}: failed (exit {done.returncode})")
            return 2
        rows.extend(json.loads(done.stdout.strip().splitlines()[-1]))
    speed.append(speed_reference())
    print_table(rows)
    print(
        "machine speed reference (a pure-Python loop, CPU ms; lower is faster): "
        f"{speed[0]:.0f} at the start, {speed[1]:.0f} at the end"
    )
    Path(args.out).write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "speed_reference_ms": [round(v, 1) for v in speed],
                "results": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
