"""Everything `orr checklist lint` checks: the risk rules (`orr.checklist.lint`), every limit of
the lens the checklist exports to (in the language asked for), and the translation into it."""

from __future__ import annotations

import re

from orr.checklist.lint import lint_rules
from orr.checklist.model import Checklist
from orr.checklist.translate import lint_translation, translate
from orr.errors import Problem
from orr.i18n import DEFAULT, _
from orr.lens.export import build_lens_with_notes
from orr.lens.validate import validate_lens_document

_LENS_PATH = re.compile(r"pillars\[(\d+)\](?:\.questions\[(\d+)\](?:\.choices\[(\d+)\])?)?(.*)")


def lint_checklist(checklist: Checklist, lang: str | None = None) -> list[Problem]:
    """Every rule finding and every lens-limit violation of a loaded checklist; with ``lang``,
    also the missing and stale translations, and the limits of the translated lens."""
    problems = lint_rules(checklist)
    problems += lens_problems(checklist, DEFAULT)
    if lang:
        problems += lint_translation(checklist, lang)
        translated = translate(checklist, lang).checklist
        problems += lens_problems(translated, lang, label=True)
    return problems


def lens_problems(
    checklist: Checklist, lang: str | None = None, *, label: bool = False
) -> list[Problem]:
    """The lens limits, found by exporting the checklist (in ``lang``: see
    `orr.lens.export.build_lens_with_notes`) and validating the lens. ``label`` names the
    language in each message."""
    lens, notes = build_lens_with_notes(checklist, lang)
    return [
        Problem(
            _("lens ({lang}): {message}").format(lang=lang, message=p.message)
            if label
            else _("lens: {message}").format(message=p.message),
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
            return _("pillar {id}").format(id=pillar["id"]) + m.group(4)
        question = pillar["questions"][int(m.group(2))]
        if m.group(3) is None:
            return _("question {id}").format(id=question["id"]) + m.group(4)
        choice = question["choices"][int(m.group(3))]
        return _("question {question} choice {choice}").format(
            question=question["id"], choice=choice["id"]
        ) + m.group(4)
    except (KeyError, IndexError, TypeError):
        return path
