"""Everything `orr checklist lint` checks: the risk rules (`orr.checklist.lint`), every limit of
the lens the checklist exports to (in the language asked for), and the translation into it."""

from __future__ import annotations

import re

from orr.checklist.lint import lint_rules
from orr.checklist.model import Checklist
from orr.checklist.translate import lint_translation, translate
from orr.errors import Problem
from orr.lens.export import build_lens_with_notes
from orr.lens.validate import validate_lens_document

_LENS_PATH = re.compile(r"pillars\[(\d+)\](?:\.questions\[(\d+)\](?:\.choices\[(\d+)\])?)?(.*)")


def lint_checklist(checklist: Checklist, lang: str | None = None) -> list[Problem]:
    """Every rule finding and every lens-limit violation of a loaded checklist; with ``lang``,
    also the missing and stale translations, and the limits of the translated lens."""
    problems = lint_rules(checklist)
    problems += lens_problems(checklist)
    if lang:
        problems += lint_translation(checklist, lang)
        translated = translate(checklist, lang).checklist
        problems += [
            Problem(
                f"lens ({lang}): {p.message.removeprefix('lens: ')}",
                file=p.file,
                path=p.path,
                severity=p.severity,
            )
            for p in lens_problems(translated)
        ]
    return problems


def lens_problems(checklist: Checklist) -> list[Problem]:
    """The lens limits, found by exporting the checklist and validating the lens."""
    lens, notes = build_lens_with_notes(checklist)
    return [
        Problem(
            f"lens: {p.message}",
            file=checklist.files[0],
            path=describe_lens_path(lens, p.path),
            severity=p.severity,
        )
        for p in [*notes, *validate_lens_document(lens)]
    ]


def describe_lens_path(lens: object, path: str | None) -> str | None:
    """Turn `pillars[2].questions[4].choices[1].title` into a checklist-friendly place."""
    if not path or not isinstance(lens, dict):
        return path
    m = _LENS_PATH.match(path)
    if not m:
        return path
    try:
        pillar = lens["pillars"][int(m.group(1))]
        if m.group(2) is None:
            return f"pillar {pillar['id']}{m.group(4)}"
        question = pillar["questions"][int(m.group(2))]
        if m.group(3) is None:
            return f"question {question['id']}{m.group(4)}"
        choice = question["choices"][int(m.group(3))]
        return f"question {question['id']} choice {choice['id']}{m.group(4)}"
    except (KeyError, IndexError, TypeError):
        return path
