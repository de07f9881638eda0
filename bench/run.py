"""Benchmarks (not tests): run every case, print a table, write bench/results.json.

Each bench/bench_*.py module exposes ``cases() -> list[(name, fn, budget_seconds)]``; ``fn`` is
called repeatedly in-process and its median (and p95) time is reported against the budget. A
module may also expose ``figures() -> list[(name, value_ms, budget_ms, unit)]`` for figures it
measures itself (the TUI's, from one pilot session), and ``RATIOS`` of two cases' medians.

    python bench/run.py [--only SUBSTRING] [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

Case = tuple[str, Callable[[], object], float]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()

    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    rows = []
    ratios = []
    for name in modules:
        module = importlib.import_module(name)
        ratios.extend(getattr(module, "RATIOS", []))
        measured = getattr(module, "figures", None)
        topic = name.removeprefix("bench_")  # `--only tui` runs the TUI's figures
        if measured is not None and (not args.only or args.only.split(":")[0] in topic):
            for fig_name, value, budget_ms, _unit in measured():
                if args.only and args.only not in fig_name:
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
        for case_name, fn, budget in module.cases():
            if args.only and args.only not in case_name:
                continue
            times = measure(fn, args.repeat)
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
    medians = {r["case"]: r["median_ms"] for r in rows}
    for label, top, bottom, limit in ratios:
        if top in medians and bottom in medians and medians[bottom]:
            value = medians[top] / medians[bottom]
            rows.append(
                {
                    "case": label,
                    "ratio": round(value, 3),
                    "budget_ratio": limit,
                    "ok": value <= limit,
                }
            )
    width = max([len(r["case"]) for r in rows] + [4])
    print(f"{'case'.ljust(width)}  {'median ms':>10}  {'p95 ms':>10}  {'budget ms':>10}  ok")
    for r in rows:
        ok = "yes" if r["ok"] else "NO"
        if "ratio" in r:
            print(
                f"{r['case'].ljust(width)}  {'ratio ' + format(r['ratio'], '.2f'):>10}  "
                f"{'':>10}  {'max ' + format(r['budget_ratio'], '.2f'):>10}  {ok}"
            )
            continue
        p95 = "-" if r["p95_ms"] is None else format(r["p95_ms"], ".2f")
        budget = "-" if r["budget_ms"] is None else format(r["budget_ms"], ".2f")
        print(f"{r['case'].ljust(width)}  {r['median_ms']:>10.2f}  {p95:>10}  {budget:>10}  {ok}")
    Path(args.out).write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
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
