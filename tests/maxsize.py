"""Generators for the largest inputs orr must handle (shared by the tests and bench/).

- `write_max_checklist`: a checklist at every count limit of the lens format: 10 pillars x
  20 questions x 15 choices (14 practices and the "None of these" choice orr adds), with long-ish
  texts. At these counts the lens has 3,000 choices, and their keys and ids alone take about
  half of the 500,000 bytes a lens may have: with long-ish texts its lens is too big (the export
  reports the size, and only the size); ``fit_lens=True`` shortens the texts so that the lens
  just fits (written compact).
- `minimal_lens`: the smallest valid lens document (tests build violations from it).
- `lens_text_of_size`: a valid lens JSON text of an exact size in UTF-8 bytes.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PILLARS = 10
QUESTIONS = 20  # per pillar
PRACTICES = 14  # per question; orr adds "None of these" as the 15th choice


@dataclass(frozen=True)
class TextSizes:
    """Characters of each text of the maximum-size checklist."""

    choice_title: int
    helpful: int
    improvement: int
    question_title: int
    description: int


LONG_TEXTS = TextSizes(
    choice_title=60, helpful=160, improvement=120, question_title=110, description=600
)
# About 160 bytes of JSON per choice are left when all 3,000 fit in 500,000 bytes.
FITTING_TEXTS = TextSizes(
    choice_title=12, helpful=8, improvement=8, question_title=60, description=100
)

_WORDS = (
    "runbook alarm rollback canary dashboard owner deploy backup restore quota failover "
    "throttle retry budget latency capacity review drill escalation metric"
).split()


def _text(length: int, seed: int) -> str:
    """Readable filler text of exactly ``length`` characters."""
    words: list[str] = []
    size = 0
    i = seed
    while size < length:
        word = _WORDS[i % len(_WORDS)]
        words.append(word)
        size += len(word) + 1
        i += 7
    return " ".join(words)[:length].rstrip().ljust(length, "x")


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_max_checklist(folder: Path, *, fit_lens: bool = False) -> Path:
    """Write the maximum-size checklist into ``folder``; returns the manifest path.

    With ``fit_lens`` the texts are short enough for the lens to fit within 500,000 bytes."""
    sizes = FITTING_TEXTS if fit_lens else LONG_TEXTS
    folder.mkdir(parents=True, exist_ok=True)
    include = []
    for p in range(PILLARS):
        pid = f"pillar_{p:02d}"
        lines = [
            "schema_version = 1",
            'kind = "operations"',
            "",
            "[[pillars]]",
            f'id = "{pid}"',
            f"name = {_toml_string(f'Pillar {p:02d}: ' + _text(40, p))}",
        ]
        for q in range(QUESTIONS):
            qid = f"p{p:02d}_q{q:02d}"
            seed = p * 100 + q
            lines += [
                "",
                "[[pillars.questions]]",
                f'id = "{qid}"',
                f"title = {_toml_string(_text(sizes.question_title - 1, seed) + '?')}",
                f"description = {_toml_string(_text(sizes.description, seed + 1))}",
                f'severity = "{"high" if q % 3 else "medium"}"',
                'owner_role = "owner"',
                'tiers = ["core"]' if q < 3 else "tiers = []",
            ]
            for c in range(PRACTICES):
                cseed = seed * 17 + c
                lines += [
                    "",
                    "[[pillars.questions.choices]]",
                    f'id = "{qid}_c{c:02d}"',
                    f"title = {_toml_string(_text(sizes.choice_title, cseed))}",
                    f"helpful = {_toml_string(_text(sizes.helpful, cseed + 3))}",
                    f"improvement = {_toml_string(_text(sizes.improvement, cseed + 5))}",
                ]
        name = f"{pid}.toml"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        include.append(name)
    manifest = folder / "orr.toml"
    manifest.write_text(
        "\n".join(
            [
                "schema_version = 1",
                'id = "max_size"',
                f"name = {_toml_string('Maximum size checklist ' + _text(60, 1))}",
                f"description = {_toml_string(_text(1000, 2))}",
                'version = "1.0"',
                "include = [" + ", ".join(f'"{i}"' for i in include) + "]",
                'required_signoffs = ["owner"]',
                "",
                "[roles.owner]",
                'name = "Workload owner"',
                "",
                "[tiers.core]",
                'description = "The first questions of each pillar."',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return manifest


def minimal_lens() -> dict[str, Any]:
    """The smallest valid lens: one pillar, one question, a practice and "None of these"."""
    return {
        "schemaVersion": "2021-11-01",
        "name": "Minimal lens",
        "description": "One question.",
        "pillars": [
            {
                "id": "ops",
                "name": "Operations",
                "questions": [
                    {
                        "id": "ops_runbooks",
                        "title": "Do you have runbooks?",
                        "description": "Runbooks make on-call predictable.",
                        "choices": [
                            {
                                "id": "ops_rb_written",
                                "title": "Runbooks are written",
                                "helpfulResource": {
                                    "displayText": "Every alarm links a runbook.",
                                    "url": "https://example.com/runbooks",
                                },
                                "improvementPlan": {"displayText": "Write the runbooks."},
                            },
                            {"id": "ops_runbooks_no", "title": "None of these"},
                        ],
                        "riskRules": [
                            {
                                "condition": "ops_rb_written && !ops_runbooks_no",
                                "risk": "NO_RISK",
                            },
                            {"condition": "default", "risk": "HIGH_RISK"},
                        ],
                    }
                ],
            }
        ],
    }


def max_count_lens() -> dict[str, Any]:
    """A valid lens with every count at its limit (10 pillars x 20 questions x 15 choices) and
    short texts: the densest lens, about 410,000 bytes as compact JSON."""
    pillars = []
    for p in range(PILLARS):
        questions = []
        for q in range(QUESTIONS):
            qid = f"p{p}q{q:02d}"
            practices = [f"{qid}_{c:02d}" for c in range(PRACTICES)]
            choices: list[dict[str, Any]] = [
                {
                    "id": cid,
                    "title": "A practice",
                    "helpfulResource": {"displayText": "Why"},
                    "improvementPlan": {"displayText": "How"},
                }
                for cid in practices
            ]
            choices.append({"id": f"{qid}_no", "title": "None of these"})
            rules = [
                {"condition": " && ".join([*practices, f"!{qid}_no"]), "risk": "NO_RISK"},
                {"condition": f"{practices[0]} && !{qid}_no", "risk": "MEDIUM_RISK"},
                {"condition": "default", "risk": "HIGH_RISK"},
            ]
            questions.append(
                {"id": qid, "title": "A question?", "choices": choices, "riskRules": rules}
            )
        pillars.append({"id": f"pillar_{p}", "name": f"Pillar {p}", "questions": questions})
    return {
        "schemaVersion": "2021-11-01",
        "name": "Densest lens",
        "description": "Every count at its limit.",
        "pillars": pillars,
    }


def _pad(doc: dict[str, Any], holders: list[tuple[dict[str, Any], str, int]], missing: int) -> int:
    """Lengthen texts (each up to its limit) by ``missing`` ASCII characters; returns what is
    left to add."""
    for holder, key, limit in holders:
        add = min(limit - len(holder[key]), missing)
        if add > 0:
            holder[key] += "x" * add
            missing -= add
    return missing


def dense_lens_text_of_size(size: int) -> str:
    """`max_count_lens` as compact JSON padded to exactly ``size`` UTF-8 bytes (the worst case
    for a validator: the most objects a lens of that size can hold)."""
    doc = max_count_lens()

    def dump() -> str:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"

    holders: list[tuple[dict[str, Any], str, int]] = []
    for pillar in doc["pillars"]:
        for question in pillar["questions"]:
            for choice in question["choices"][:-1]:
                holders.append((choice, "title", 128))
                holders.append((choice["helpfulResource"], "displayText", 1024))
    missing = size - len(dump().encode("utf-8"))
    if missing < 0 or _pad(doc, holders, missing):
        raise ValueError(f"{size} bytes: out of reach of this generator")
    text = dump()
    assert len(text.encode("utf-8")) == size
    return text


def lens_text_of_size(size: int) -> str:
    """A valid lens JSON text (indented as orr writes it) of exactly ``size`` UTF-8 bytes.

    Questions are added until the lens is within reach of ``size``, then texts are lengthened (ASCII: one byte per character, each at most 1024 characters, so no warning).
    """
    doc = minimal_lens()
    template = doc["pillars"][0]["questions"][0]
    pillars: list[dict[str, Any]] = []
    n = 0
    room = 0  # the bytes the texts can still grow by

    def dump() -> str:
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    doc["pillars"] = pillars
    while True:
        if not pillars or len(pillars[-1]["questions"]) == QUESTIONS:
            if len(pillars) == PILLARS:
                raise ValueError(f"{size} bytes: more than a lens of full texts holds")
            pillars.append({"id": f"pillar_{len(pillars):02d}", "name": "Pillar", "questions": []})
        q = copy.deepcopy(template)
        q["id"] = f"q{n:04d}"
        q["choices"][1]["id"] = f"q{n:04d}_no"
        q["riskRules"][0]["condition"] = f"ops_rb_written && !q{n:04d}_no"
        pillars[-1]["questions"].append(q)
        n += 1
        choice = q["choices"][0]
        room += 3 * 1024 - len(q["description"]) - len(choice["helpfulResource"]["displayText"])
        room -= len(choice["improvementPlan"]["displayText"])
        if len(dump().encode("utf-8")) + room >= size:
            break
    missing = size - len(dump().encode("utf-8"))
    if missing < 0:
        raise ValueError(f"{size} bytes: too small for this generator")
    for pillar in pillars:
        for q in pillar["questions"]:
            choice = q["choices"][0]
            for holder, key in (
                (q, "description"),
                (choice["helpfulResource"], "displayText"),
                (choice["improvementPlan"], "displayText"),
            ):
                add = min(1024 - len(holder[key]), missing)
                holder[key] += "x" * add
                missing -= add
    text = dump()
    if missing or len(text.encode("utf-8")) != size:
        raise ValueError(f"{size} bytes: could not reach the size exactly")
    return text
