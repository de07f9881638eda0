"""Terminal app figures (issues 7 and 18), measured with Textual's pilot on a maximum-size review
(10 pillars x 20 questions x 15 choices; every question answered, 300 mitigations: the review
of bench_review.py), at 120x40, in English and in Japanese (each language in a process of its
own: orr looks its texts up when orr.tui is imported; the checklist in Japanese is a
translation generated here, every text of similar length in Japanese).

Each key below is pressed many times and timed as the CPU time the process spends on it:
handling the key, the core calls, the save, and the repaint of the screen (Textual's compositor
renders to the headless driver as it would to a terminal). A key reaches the app as a terminal
delivers it (the driver posts a Key event to the app); the time runs until the process has
been idle for a 20 ms slice and the screen has nothing left to paint. Each must fit in one frame at
60 fps (16 ms) at the median and two frames (33 ms) at the 95th percentile:

- next question (`n`);
- toggle a practice (`space`), its save included: the save's CPU is in the figure; its waits
  for the disk (fsync) are not CPU and are reported apart (`save_io_wait_median_ms`);
- switching screens, 1 -> 2 -> 1 (the walk-through and the findings, each switch a sample);
- typing a character in the notes.

Each language runs two sessions, in turns with the other language's (en ja en ja), and each
figure is the lower of its two: the machine's load only ever adds time, and on the shared
development machine it moves a key's figure by up to half from one minute to the next.

Beside the next-question key, the same process times a bare Textual app shaped like the
walk-through (a tree of 200 leaves, twelve texts on the right whose heights change with each
key, a header and a footer) pressing a key that moves its tree's cursor and puts other texts
on the right: the floor Textual sets for such a frame on this machine, now. The ratio of the
two moves little with the machine's load, which moves the figures against 16 ms a lot.

The pilot's own way of waiting after a key (it asks every widget of the screen to run a
callback, ~4 ms of CPU per key on the walk-through, which a terminal never costs) runs after
the timed part, so that each press starts with the previous one fully handled. As
cross-checks, `wall_*` are the wall-clock medians of the same presses, the idle slice
included, and `idle_key_ms` the CPU of a key bound to nothing (what delivering a key and
waiting for the idle slice cost by themselves: a share of every figure).

    python bench/run.py --only tui
    python bench/bench_tui.py                 # every figure, both languages, as JSON
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from side_by_side import (  # noqa: E402
    FRAME,
    FRAME_MS,
    FRAME_P95,
    FRAME_P95_MS,
    Measured,
    speed_reference,
)

TODAY = date(2030, 1, 1)
SIZE = (120, 40)
PRESSES = 60
LANGUAGES = ("en", "ja")

# Filler for the Japanese translation: words a checklist uses, joined into sentences.
_JA_WORDS = (
    "運用手順書 アラーム ロールバック カナリアリリース ダッシュボード 担当者 デプロイ "
    "バックアップ 復元 クォータ フェイルオーバー スロットリング 再試行 エラーバジェット "
    "レイテンシー キャパシティ レビュー 障害訓練 エスカレーション メトリクス"
).split()


def _ja(length: int, seed: int) -> str:
    """Japanese text of exactly ``length`` characters."""
    out = ""
    i = seed
    while len(out) < length:
        out += _JA_WORDS[i % len(_JA_WORDS)] + ("を確認し、" if i % 3 else "の")
        i += 7
    return out[: max(1, length - 1)] + "。"


def japanese_translation(manifest: Path) -> Path:
    """``translations/ja.toml`` for the checklist of ``manifest``: the template orr writes, every
    text filled in with Japanese as long (in characters) as the text as written."""
    from orr.checklist import load_checklist
    from orr.checklist.translate import template, translation_path

    checklist = load_checklist(manifest)
    lines: list[str] = []
    source: list[str] = []
    for n, line in enumerate(template(checklist, "ja").splitlines()):
        stripped = line.strip()
        if stripped.startswith("#"):
            source.append(stripped[1:].strip())
        else:
            if 'text = ""' in line:
                text = _ja(len(" ".join(source)), n)
                line = line.replace('text = ""', f"text = {json.dumps(text, ensure_ascii=False)}")
            source = []
        lines.append(line)
    path = translation_path(checklist, "ja")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def max_size_review(folder: Path) -> Path:
    """The maximum-size review (bench_review.max_review) of the maximum-size checklist, which
    carries a Japanese translation."""
    from bench_review import max_review

    from orr.checklist import load_checklist
    from orr.review.store import ReviewStore
    from tests.maxsize import write_max_checklist

    manifest = write_max_checklist(folder / "checklists")
    japanese_translation(manifest)
    path = folder / "reviews" / "max.toml"
    ReviewStore(path).create(max_review(load_checklist(manifest), path), "bench")
    return path


CHARACTERS = {"space": " "}  # the character a key types, where it is not the key's name
IDLE_SLICE = 0.02  # seconds without CPU (below 1 ms of it) that end a key's time


def _painting(app: App[Any]) -> bool:
    """The screen has a layout or a repaint still to make (Textual makes them on its next
    update tick, which can come after an idle slice: a scrollbar moved by a layout)."""
    screen = app.screen
    return bool(
        screen._layout_required
        or screen._repaint_required
        or screen._dirty_widgets
        or screen._compositor._dirty_regions
    )


async def _settled(app: App[Any]) -> None:
    """Return once the process has spent (almost) no CPU over a slice and the screen has
    nothing left to paint: the key is handled, the save done, the screen repainted."""
    while True:
        cpu = time.process_time()
        await asyncio.sleep(IDLE_SLICE)
        if time.process_time() - cpu < IDLE_SLICE / 20 and not _painting(app):
            return


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _floor_app() -> App[None]:
    """The floor of a frame: a bare Textual app shaped like the walk-through (a header, a tree
    of 10 x 20 leaves on the left, twelve texts of varying length on the right, a footer) whose
    key `n` moves the tree's cursor and puts other texts on the right: a repaint of the same
    size with nothing of orr in it."""
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import Footer, Header, Static, Tree

    words = "the workload alarm runbook rollback canary deploy owner region quota".split()
    # Twelve texts of 6 to 46 words (about the lines the walk-through shows of a question:
    # the right side full, a little more below), their heights changing from key to key.
    texts = [
        " ".join(words[(n + i) % len(words)] for i in range(6 + 10 * (n % 5))) for n in range(17)
    ]

    class Floor(App[None]):
        BINDINGS = [("n", "next", "Next")]  # noqa: RUF012 (as Textual types it)
        CSS = "Tree { width: 40; } Static { margin-bottom: 1; }"

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                tree: Tree[None] = Tree("checklist")
                tree.root.expand()
                for p in range(10):
                    branch = tree.root.add(f"pillar {p}", expand=True)
                    for q in range(20):
                        branch.add_leaf(f"question {p}-{q}: is the workload ready for this?")
                yield tree
                with VerticalScroll(id="texts"):
                    for n in range(12):
                        yield Static(texts[n], markup=False)
            yield Footer()

        def action_next(self) -> None:
            self.shown = getattr(self, "shown", 0) + 1
            for n, text in enumerate(self.query("#texts > Static").results(Static)):
                text.update(texts[(self.shown + n) % len(texts)])
            tree = self.query_one(Tree)
            tree.cursor_line = (tree.cursor_line + 1) % max(1, tree.last_line)

    return Floor()


async def _floor_keys(presses: int) -> list[float]:
    """CPU per `n` in the floor app, timed as orr's keys are."""
    from textual import events

    app = _floor_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        times: list[float] = []
        for _ in range(presses):
            cpu = time.process_time()
            app.post_message(events.Key("n", "n"))
            await _settled(app)
            times.append(time.process_time() - cpu)
            await pilot.pause()
    return times


async def _session(path: Path) -> dict[str, float]:
    """Every figure of one pilot session (in the language of this process)."""
    from textual import events
    from textual.widgets import Static, TextArea

    from orr.i18n import language
    from orr.review.model import Review
    from orr.review.store import ReviewStore
    from orr.tui.app import OrrApp
    from orr.tui.screens.findings import FindingsScreen
    from orr.tui.screens.walkthrough import WalkthroughScreen

    start = time.perf_counter()
    app = OrrApp(review=path, today=TODAY, user="bench")
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, WalkthroughScreen) and app.screen.current):
            await asyncio.sleep(0.001)
        startup = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        questions = len(walk.shown)
        title = str(walk.view.query_one("#q-title", Static).visual)
        japanese = any(ord(c) > 0x3000 for c in title)
        assert japanese == (language() == "ja"), f"the question is shown in {language()}: {title}"

        async def timed(key: str) -> tuple[float, float]:
            cpu, wall = time.process_time(), time.perf_counter()
            app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))
            await _settled(app)
            spent = time.process_time() - cpu, time.perf_counter() - wall
            return spent

        speed = speed_reference()  # how fast the machine runs Python as the keys are timed
        samples: dict[str, list[tuple[float, float]]] = {}
        samples["idle"] = [await timed("f12") for _ in range(20)]  # a key bound to nothing

        first = walk.current
        samples["next"] = [await timed("n") for _ in range(PRESSES)]
        assert walk.current != first, "n moves to the next question"

        # Toggle the first practice on and off (the second stays selected: an answer keeps a
        # choice). Every press is a change saved to the file; the save's waits for the disk
        # are timed around it and reported apart.
        await pilot.press("down", "space", "up")
        session = app.session
        assert session is not None
        store = session.store
        save = store.save
        io_waits: list[float] = []

        def timed_save(review: Review, who: str = "") -> Review:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return save(review, who)
            finally:
                io_waits.append(
                    max(0.0, (time.perf_counter() - wall) - (time.process_time() - cpu))
                )

        # Times this store's saves only: the instance's method is replaced for the session.
        store.save = timed_save  # type: ignore[method-assign]
        audit = len(session.review.audit)
        toggles: list[tuple[float, float]] = []
        for _ in range(PRESSES):
            before = len(io_waits)
            toggles.append(await timed("space"))
            assert len(io_waits) == before + 1, "each toggle saves once"
        samples["toggle"] = toggles
        assert len(ReviewStore(path).load().audit) >= audit + PRESSES, "every toggle is saved"

        switches: list[tuple[float, float]] = []
        for _ in range(PRESSES // 2):
            switches.append(await timed("2"))
            assert isinstance(app.screen, FindingsScreen)
            switches.append(await timed("1"))
            assert app.screen is walk
        samples["switch"] = switches

        await pilot.press("e")
        qid = walk.current
        assert qid is not None
        before_notes = walk.view.query_one("#q-notes", TextArea).text
        samples["type"] = [await timed("a") for _ in range(PRESSES)]
        await pilot.press("escape")
        await pilot.pause()
        answer = ReviewStore(path).load().answers[qid]
        assert answer.notes == before_notes + "a" * PRESSES, "the notes typed are saved"

    # The floor, in the same process just after: what a bare Textual app spends on a key that
    # repaints a screen of the same shape.
    floor = await _floor_keys(PRESSES)
    ms = 1000.0
    out: dict[str, float] = {
        "questions": float(questions),
        "startup_s": startup,
        "save_io_wait_median_ms": statistics.median(io_waits) * ms,
        "idle_key_ms": statistics.median(c for c, _ in samples["idle"]) * ms,
        "speed_reference_ms": speed,
        "floor_next_median_ms": statistics.median(floor) * ms,
    }
    for key in ("next", "toggle", "switch", "type"):
        cpu = [c for c, _ in samples[key]]
        out[f"{key}_median_ms"] = statistics.median(cpu) * ms
        out[f"{key}_p95_ms"] = _p95(cpu) * ms
        out[f"wall_{key}_median_ms"] = statistics.median(w for _, w in samples[key]) * ms
    return out


def session_in_process(path: Path, lang: str) -> dict[str, float]:
    """One pilot session in a process of its own, in ``lang`` (set before orr is imported)."""
    env = dict(os.environ, ORR_LANG=lang, PYTHONPATH=str(HERE.parent))
    done = subprocess.run(
        [sys.executable, __file__, "--session", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pilot session ({lang}) failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_measured: dict[str, dict[str, float]] = {}


ROUNDS = 2  # sessions per language, in turns (en ja en ja)


def tui_figures() -> dict[str, dict[str, float]]:
    """Every figure of the pilot sessions per language, each on a fresh maximum-size review:
    ROUNDS sessions per language in turns, each figure the lowest of them (every figure is a
    time, which the machine's load can only lengthen: on the shared development machine the
    same key takes up to twice as long from one minute to the next)."""
    if not _measured:
        runs: dict[str, list[dict[str, float]]] = {lang: [] for lang in LANGUAGES}
        for _ in range(ROUNDS):
            for lang in LANGUAGES:
                with tempfile.TemporaryDirectory(prefix="orr-bench-tui-") as folder:
                    runs[lang].append(session_in_process(max_size_review(Path(folder)), lang))
        for lang, sessions in runs.items():
            _measured[lang] = {key: min(s[key] for s in sessions) for key in sessions[0]}
    return _measured


KEYS = {
    "next": "next question (n)",
    "toggle": "toggle a practice, save included (space)",
    "switch": "switch screens 1→2→1, per switch",
    "type": "type a character in the notes",
}


def beside_floors() -> list[Measured]:
    rows: list[Measured] = []
    for lang, f in tui_figures().items():
        for key, label in KEYS.items():
            rows.append(
                Measured(f"tui {lang}: {label}, median", f[f"{key}_median_ms"], FRAME, FRAME_MS)
            )
            rows.append(
                Measured(f"tui {lang}: {label}, p95", f[f"{key}_p95_ms"], FRAME_P95, FRAME_P95_MS)
            )
        # The same key beside what Textual itself takes for a repaint of that shape, measured
        # in the same process: a ratio the machine's load cannot move much.
        rows.append(
            Measured(
                f"tui {lang}: next question (n), median, beside Textual",
                f["next_median_ms"],
                "a bare Textual app's key, same shape",
                f["floor_next_median_ms"],
                1.0,
            )
        )
    return rows


def figures() -> list[tuple[str, float, float, str]]:
    """(name, value, budget, unit): what the session measures besides the keys."""
    rows: list[tuple[str, float, float, str]] = []
    for lang, f in tui_figures().items():
        rows += [
            (
                f"tui {lang}: startup to the first question, in-process",
                f["startup_s"] * 1000,
                1000.0,
                "ms",
            ),
            (
                f"tui {lang}: the toggle's save, disk waits (median)",
                f["save_io_wait_median_ms"],
                float("inf"),
                "ms",
            ),
            (
                f"tui {lang}: a bare Textual app's key that repaints the same shape (median)",
                f["floor_next_median_ms"],
                float("inf"),
                "ms",
            ),
            (
                f"tui {lang}: machine speed reference as the keys were timed (CPU ms)",
                f["speed_reference_ms"],
                float("inf"),
                "ms",
            ),
            (
                f"tui {lang}: a key bound to nothing (delivery and the idle slice)",
                f["idle_key_ms"],
                float("inf"),
                "ms",
            ),
            (
                f"tui {lang}: next question, wall clock incl. the idle slice",
                f["wall_next_median_ms"],
                float("inf"),
                "ms",
            ),
        ]
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] == ["--session"]:
        from orr.i18n import requested, set_language

        set_language(requested())  # as `orr` does at its edge, before orr.tui is imported
        print(json.dumps(asyncio.run(_session(Path(argv[1])))))
        return 0
    measured = tui_figures()
    print(
        json.dumps(
            {lang: {k: round(v, 3) for k, v in f.items()} for lang, f in measured.items()}, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
