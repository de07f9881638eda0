"""The terminal app in Japanese (issue 11): a review from new to READY WITH CONDITIONS by
keyboard, with Japanese on every screen and no English word of orr's own, at 160×45 and 80×24.
The flow runs in a process of its own (tests/tui_japanese.py): the app's texts are looked up
when its modules are imported, after the language is chosen, as the CLI does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.conftest import REPO

# Words a Japanese screen may show in Latin letters: names of things that are not orr's
# words (products, formats, keys on the keyboard) and the severities as the lens names them.
ALLOWED = {
    "orr", "ORR", "API", "AWS", "WA", "Well-Architected", "TOML", "JSON", "Markdown", "Excel",
    "URL", "ID", "Enter", "Esc", "Tab", "Ctrl", "Space", "Shift", "PgUp", "PgDn", "Backspace",
    "HIGH", "MEDIUM", "GA", "SLO", "SLI", "IAM", "TLS", "DNS", "CI", "CD", "PII", "RPO", "RTO",
    "KPI", "DR", "OS", "SRE",
    # Keys as Textual names them in the footer, the date format fields ask for, the AWS
    # profile that is called "default", the reason code the CLI takes, and the tier id.
    "esc", "space", "enter", "tab", "home", "end", "pgup", "pgdn", "YYYY-MM-DD", "default",
    "OTHER", "core",
}  # fmt: skip
# A command to type stays as typed: `orr checklist show`. The screen behind a dialog shows
# through around it, its lines cut at the dialog's edge ("KP" of "KPI").
_COMMAND = re.compile(r"\borr(?: [a-z][a-z-]+)+")
_CUT = re.compile(r"[A-Za-z]+(?=[█▊▎▕▏])")
# A token with a digit, an underscore, a dot, a slash, a colon or an @ is an id, a file, a
# date, a link or a key chord: not a word.
_TOKEN = re.compile(r"[A-Za-z0-9_./:@+^-]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def english_words(text: str) -> list[str]:
    words: list[str] = []
    for token in _TOKEN.findall(_CUT.sub(" ", _COMMAND.sub(" ", text))):
        if re.search(r"[0-9_./:@]", token):
            continue
        for part in re.split(r"[+^]", token):
            for word in _WORD.findall(part):
                if word not in ALLOWED:
                    words.append(word)
    return words


def run_flow(tmp_path: Path, width: int, height: int) -> dict[str, Any]:
    out = tmp_path / f"ja-{width}x{height}.json"
    env = {**os.environ, "ORR_LANG": "ja", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.tui_japanese", str(out), str(width), str(height)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("size", [(160, 45), (80, 24)], ids=["160x45", "80x24"])
def test_a_review_in_japanese_from_new_to_ready_with_conditions(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    width, height = size
    data = run_flow(tmp_path, width, height)
    assert data["verdict"] == "READY_WITH_CONDITIONS"
    assert data["conditions"] == ["risk_acceptance"]
    # What was typed in Japanese is saved as typed.
    assert data["workload"] == "決済API"
    assert data["na_note"] == "社内ツールのためコスト方針は対象外"
    screens: dict[str, str] = data["screens"]
    assert "条件付き" in screens["readiness"]
    assert "決済API" in screens["home"]
    english = {name: sorted(set(english_words(text))) for name, text in screens.items()}
    assert {name: words for name, words in english.items() if words} == {}
    for name, text in screens.items():
        lines = text.splitlines()
        # Double-width text fits the terminal: no line is wider, none is cut in a character.
        assert len(lines) <= height, name
        assert all(cell_len(line) <= width for line in lines), name
        assert "\ufffd" not in text, name
    assert not [n for n in data["notifications"] if english_words(n)]
