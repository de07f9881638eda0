"""`orr checklist validate | lint | show` and `orr learn`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orr.errors import InputError, Problem, ProblemList
from orr.i18n import _, ngettext
from orr.textsafe import one_line, terminal_safe

if TYPE_CHECKING:
    from orr.checklist.model import Checklist


def register(sub: Any) -> None:
    checklist = sub.add_parser("checklist", help="validate, lint or summarise a checklist")
    csub = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)

    validate = csub.add_parser("validate", help="load and validate the checklist")
    validate.add_argument("manifest", nargs="?", help="the manifest (default: checklists/orr.toml)")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(func=cmd_validate)

    lint = csub.add_parser(
        "lint",
        help="validate, analyse the risk rules and the lens limits (with --lang: the "
        "translation too)",
    )
    lint.add_argument("manifest", nargs="?", help="the manifest (default: checklists/orr.toml)")
    lint.add_argument("--format", choices=("text", "json"), default="text")
    lint.set_defaults(func=cmd_lint)

    translations = csub.add_parser(
        "translations",
        help="write a translation file to fill in (with --lang LANG): every text, with what "
        "is already translated",
    )
    translations.add_argument(
        "manifest", nargs="?", help="the manifest (default: checklists/orr.toml)"
    )
    translations.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="default: translations/<lang>.toml beside the manifest ('-': stdout)",
    )
    translations.set_defaults(func=cmd_translations)

    show = csub.add_parser(
        "show", help="summary: pillars, questions by severity, source, tier, role"
    )
    show.add_argument("manifest", nargs="?", help="the manifest (default: checklists/orr.toml)")
    show.add_argument("--tier", help="only the questions of this tier")
    show.set_defaults(func=cmd_show)

    learn = sub.add_parser(
        "learn",
        help="record a learning from an incident as a new question",
        description="Add a question learned from an incident, one file per incident under the "
        "manifest's incidents folder. Prompts for what is missing when run on a terminal.",
    )
    learn.add_argument("manifest", nargs="?", help="the manifest (default: checklists/orr.toml)")
    learn.add_argument("--incident", help="the incident id, e.g. INC-2041")
    learn.add_argument("--title", help="the question")
    learn.add_argument("--pillar", help="the pillar id the question joins")
    learn.add_argument("--severity", choices=("high", "medium"))
    learn.add_argument(
        "--choice", action="append", default=[], help="a practice that prevents a repeat (repeat)"
    )
    learn.add_argument("--description", help="what happened and why it matters")
    learn.add_argument("--owner-role", help="the role that answers it")
    learn.add_argument("--id", dest="question_id", help="the question id (default: from the title)")
    learn.add_argument("--tier", action="append", default=[], help="a tier id (repeat)")
    learn.add_argument("--no-input", action="store_true", help="never prompt")
    learn.set_defaults(func=cmd_learn)


def _print_problems(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if errors:
        print(_("errors ({count}):").format(count=len(errors)))
        for p in errors:
            print("  " + terminal_safe(p.format()))
    if warnings:
        print(_("warnings ({count}):").format(count=len(warnings)))
        for p in warnings:
            print("  " + terminal_safe(p.format().removesuffix(" (warning)")))


def _pillars(count: int) -> str:
    return ngettext("{count} pillar", "{count} pillars", count).format(count=count)


def _questions(count: int) -> str:
    return ngettext("{count} question", "{count} questions", count).format(count=count)


def _unusable(checklist: Checklist) -> list[Problem]:
    """The lens limits that make a checklist unusable, as `orr checklist lint` finds them: more
    than 10 pillars, more than 20 questions in a pillar, a lens over 500,000 bytes. (Lint
    reports the limits of single texts too.)"""
    from orr.i18n import DEFAULT
    from orr.lens.checks import lens_problems

    return [
        p
        for p in lens_problems(checklist, DEFAULT)
        if p.severity == "error"
        # The document (its size), its pillars, a pillar's questions.
        and (not p.path or p.path == "pillars" or p.path.endswith(".questions"))
    ]


def cmd_validate(args: argparse.Namespace) -> int:
    from orr.checklist import load_checklist

    checklist = load_checklist(args.manifest)
    found = ProblemList()
    found.extend(_unusable(checklist))
    found.raise_if_errors(
        _("{file}: {count} lens limits exceeded").format(
            file=checklist.files[0], count=len(found.errors)
        )
    )
    questions = checklist.questions
    if args.format == "json":
        print(
            json.dumps(
                {
                    "manifest": checklist.files[0],
                    "valid": True,
                    "pillars": len(checklist.pillars),
                    "questions": len(questions),
                    "files": checklist.files,
                    "content_hash": checklist.content_hash,
                },
                indent=2,
            )
        )
    else:
        sources = len(checklist.files) - 1
        print(
            _("{file}: valid: {pillars}, {questions} from {sources}").format(
                file=terminal_safe(checklist.files[0]),
                pillars=_pillars(len(checklist.pillars)),
                questions=_questions(len(questions)),
                sources=ngettext("{count} source file", "{count} source files", sources).format(
                    count=sources
                ),
            )
        )
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from orr.checklist import load_checklist
    from orr.i18n import DEFAULT, language
    from orr.lens.checks import lint_checklist

    checklist = load_checklist(args.manifest)
    problems = lint_checklist(checklist, None if language() == DEFAULT else language())
    errors = [p for p in problems if p.severity == "error"]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "manifest": checklist.files[0],
                    "questions": len(checklist.questions),
                    "errors": [p.as_dict() for p in errors],
                    "warnings": [p.as_dict() for p in problems if p.severity != "error"],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        _print_problems(problems)
        said = (
            _("{file}: lint failed: {questions}, {errors} errors, {warnings} warnings")
            if errors
            else _("{file}: lint passed: {questions}, {errors} errors, {warnings} warnings")
        )
        print(
            said.format(
                file=terminal_safe(checklist.files[0]),
                questions=_questions(len(checklist.questions)),
                errors=len(errors),
                warnings=len(problems) - len(errors),
            )
        )
    return 1 if errors else 0


def _table(rows: Sequence[tuple[str, ...]], headers: tuple[str, ...]) -> list[str]:
    """Columns lined up by the cells text takes on a terminal (a Japanese character takes two)."""
    from rich.cells import cell_len

    def pad(text: str, width: int) -> str:
        return text + " " * (width - cell_len(text))

    widths = [
        max(cell_len(h), *(cell_len(r[i]) for r in rows)) if rows else cell_len(h)
        for i, h in enumerate(headers)
    ]
    out = ["  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for r in rows:
        out.append("  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    return out


def cmd_translations(args: argparse.Namespace) -> int:
    from orr.checklist import load_checklist
    from orr.checklist.translate import template, translation_path
    from orr.i18n import DEFAULT, language
    from orr.tomlfile import display_path, write_atomic

    lang = language()
    if lang == DEFAULT:
        raise InputError(
            _(
                "checklist translations: say which language (--lang ja): the checklist is "
                "written in English"
            )
        )
    checklist = load_checklist(args.manifest)
    text = template(checklist, lang)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output) if args.output else translation_path(checklist, lang)
    write_atomic(target, text.encode("utf-8"))
    empty = text.count('text = ""')
    sys.stderr.write(
        _("{file}: {count} text(s) to translate ({empty} not translated yet)").format(
            file=terminal_safe(display_path(target)), count=text.count("source ="), empty=empty
        )
        + "\n"
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from orr.checklist import load_checklist, select_tier
    from orr.checklist.translate import in_language

    # In the language in use (--lang): the translation where it is current, as written elsewhere.
    checklist = select_tier(in_language(load_checklist(args.manifest)), args.tier)
    m = checklist.manifest
    qs = checklist.questions
    size = dict(pillars=_pillars(len(checklist.pillars)), questions=_questions(len(qs)))
    lines = [
        _("{name} (lens {id}, version {version})").format(
            name=one_line(m.name), id=m.id, version=one_line(m.version)
        ),
        one_line(m.description, 200) if m.description else "",
        _("{pillars}, {questions} in tier {tier}").format(tier=args.tier, **size)
        if args.tier
        else _("{pillars}, {questions}").format(**size),
        "",
    ]
    rows = []
    for p in checklist.pillars:
        sev = Counter(q.severity.value for q in p.questions)
        rows.append(
            (
                p.id,
                one_line(p.name, 40),
                str(len(p.questions)),
                str(sev["high"]),
                str(sev["medium"]),
            )
        )
    lines += _table(rows, (_("pillar"), _("name"), _("questions"), _("high"), _("medium")))
    lines.append("")

    def counts(title: str, counter: Counter[str]) -> None:
        lines.append(title + ": " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))

    none = _("(none)")
    counts(_("by severity"), Counter(q.severity.value for q in qs))
    counts(_("by source kind"), Counter(q.kind for q in qs))
    counts(_("by tier"), Counter(t for q in qs for t in (q.spec.tiers or [none])))
    counts(_("by owner role"), Counter(q.spec.owner_role or none for q in qs))
    lines.append(
        _("roles: {roles}").format(
            roles=", ".join(f"{k} ({one_line(r.name)})" for k, r in m.roles.items())
        )
    )
    lines.append(
        _("sign-offs required: {roles}").format(roles=", ".join(m.required_signoffs))
        if m.required_signoffs
        else _("sign-offs required: none")
    )
    lines.append(
        _("includes: may lead outside the manifest's folder (allow_outside = true)")
        if m.allow_outside
        else _("includes: inside the manifest's folder")
    )
    print("\n".join(lines))
    return 0


def _ask(label: str, default: str | None = None) -> str:
    prompt = f"{label}" + (f" [{default}]" if default else "") + ": "
    sys.stderr.write(prompt)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        from orr.errors import InputError

        raise InputError(
            _("orr learn: no answer for {what} (input ended)").format(what=label.lower())
        )
    answer = answer.strip()
    return answer or (default or "")


def cmd_learn(args: argparse.Namespace) -> int:
    from orr.checklist.learn import Learning, add_learning
    from orr.checklist.load import find_manifest

    interactive = sys.stdin.isatty() and not args.no_input
    fields = {
        "incident": args.incident,
        "title": args.title,
        "pillar": args.pillar,
        "severity": args.severity,
    }
    labels = {
        "incident": _("Incident id"),
        "title": _("Question (title)"),
        "pillar": _("Pillar id"),
        "severity": _("Severity (high/medium)"),
    }
    choices = list(args.choice)
    description = args.description
    owner_role = args.owner_role
    if interactive:
        for key, value in fields.items():
            if not value:
                fields[key] = _ask(labels[key], "high" if key == "severity" else None)
        if description is None:
            description = _ask(_("Description (what happened, why it matters)")) or None
        if owner_role is None:
            owner_role = _ask(_("Owner role")) or None
        while len(choices) < 2:
            got = _ask(
                _("Practice {number} (a choice; empty to stop)").format(number=len(choices) + 1)
            )
            if not got:
                break
            choices.append(got)
    missing = [f"--{k}" for k, v in fields.items() if not v]
    if len(choices) < 1:
        missing.append("--choice")
    if missing:
        from orr.errors import InputError

        raise InputError(
            _("orr learn: missing {flags} (or run it on a terminal to be asked)").format(
                flags=", ".join(missing)
            )
        )
    learning = Learning(
        incident=str(fields["incident"]),
        title=str(fields["title"]),
        pillar=str(fields["pillar"]),
        severity=str(fields["severity"]),
        choices=choices,
        description=description,
        owner_role=owner_role,
        question_id=args.question_id,
        tiers=list(args.tier),
    )
    result = add_learning(find_manifest(args.manifest), learning)
    print(
        _(
            "{file}: added question {question} from incident {incident} ({count} questions in "
            "the checklist)"
        ).format(
            file=terminal_safe(result.file),
            question=result.question_id,
            incident=terminal_safe(learning.incident),
            count=result.questions,
        )
    )
    return 0
