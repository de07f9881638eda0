"""`orr lens export | validate | import`: the Well-Architected custom lens."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from orr.cli.common import path_arg
from orr.errors import CheckFailed, InputError
from orr.i18n import N_, _, ngettext
from orr.textsafe import terminal_safe

if TYPE_CHECKING:
    from orr.lens.validate import LensProblem


def register(sub: Any) -> None:
    lens = sub.add_parser(
        "lens",
        help="Well-Architected custom lens: export, validate, import",
        description="Turn a checklist into a Well-Architected Tool custom lens (JSON), check any "
        "lens against the format's limits, and turn a lens back into checklist TOML.",
    )
    lsub = lens.add_subparsers(dest="lens_command", metavar="ACTION", required=True)

    export = lsub.add_parser(
        "export",
        help="checklist -> custom lens JSON (validated before writing)",
        description="Write the custom lens JSON of a checklist. Nothing is written when the lens "
        "breaks a limit of the format: every violation is listed and the exit code is 1.",
    )
    export.add_argument("manifest", nargs="?", help="the manifest (default: checklists/orr.toml)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    export.add_argument("--tier", help="only the questions of this tier (e.g. core)")
    export.set_defaults(func=cmd_export)

    validate = lsub.add_parser(
        "validate",
        help="check any lens JSON; every violation with its JSON path",
        description="Validate a custom lens JSON file (orr's or any other). Exit 0 when valid "
        "(warnings allowed), 1 when not, 2 when the file cannot be read as JSON.",
    )
    validate.add_argument("file", metavar="FILE.json", help="the lens JSON file")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(func=cmd_validate)

    imp = lsub.add_parser(
        "import",
        help="custom lens JSON -> checklist TOML (lossless)",
        description="Turn a custom lens into a checklist: a manifest (orr.toml) and one source "
        "file per pillar, which `orr lens export` turns back into the same lens. What can be "
        "repaired safely is repaired and reported as a warning.",
    )
    imp.add_argument("file", metavar="FILE.json", help="the lens JSON file")
    imp.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="the folder to write (default: a folder named after the lens)",
    )
    imp.add_argument("--force", action="store_true", help="overwrite files that exist")
    imp.set_defaults(func=cmd_import)


# The headings of the problems printed (translated where shown).
ERRORS = N_("errors")
WARNINGS = N_("warnings")
REPAIRS = N_("repairs and warnings")


def _print_group(title: str, problems: Sequence[LensProblem], out: TextIO) -> None:
    if not problems:
        return
    out.write(f"{_(title)} ({len(problems)}):\n")
    for p in problems:
        out.write("  " + terminal_safe(p.format()) + "\n")


def _print_problems(problems: Sequence[LensProblem], out: TextIO) -> None:
    _print_group(ERRORS, [p for p in problems if p.is_error], out)
    _print_group(WARNINGS, [p for p in problems if not p.is_error], out)


def _counts_text(pillars: int, questions: int, size: int) -> str:
    """``7 pillars, 68 questions, 219,663 bytes``."""
    return ", ".join(
        [
            ngettext("{count} pillar", "{count} pillars", pillars).format(count=pillars),
            ngettext("{count} question", "{count} questions", questions).format(count=questions),
            _("{size} bytes").format(size=f"{size:,}"),
        ]
    )


def cmd_export(args: argparse.Namespace) -> int:
    from orr.checklist.load import load_checklist, select_tier
    from orr.lens.export import export_lens
    from orr.tomlfile import display_path, write_atomic

    target = path_arg(args.output, "-o ") if args.output and args.output != "-" else None
    if target is not None and target.is_dir():
        raise InputError(_("-o {path}: is a folder: give a file name").format(path=args.output))
    checklist = select_tier(load_checklist(args.manifest), args.tier)
    shown = terminal_safe(checklist.files[0])
    result = export_lens(checklist)
    _print_problems(result.problems, sys.stderr)
    if result.errors:
        raise CheckFailed(
            _("{path}: lens not written: {errors} error(s), {warnings} warning(s)").format(
                path=shown, errors=len(result.errors), warnings=len(result.warnings)
            )
        )
    questions = sum(len(p.questions) for p in checklist.pillars)
    summary = _counts_text(len(checklist.pillars), questions, result.size)
    if result.warnings:
        summary += _(", {count} warning(s)").format(count=len(result.warnings))
    if target is not None:
        write_atomic(target, result.text.encode("utf-8"))
        sys.stderr.write(
            _("{path}: lens written: {summary}").format(
                path=terminal_safe(display_path(target)), summary=summary
            )
            + "\n"
        )
    else:
        sys.stdout.write(result.text)
        sys.stdout.flush()
        sys.stderr.write(
            _("{path}: lens exported: {summary}").format(path=shown, summary=summary) + "\n"
        )
    return 0


def _counts(doc: object) -> tuple[int, int]:
    if not isinstance(doc, dict) or not isinstance(doc.get("pillars"), list):
        return 0, 0
    pillars = doc["pillars"]
    questions = sum(
        len(p["questions"])
        for p in pillars
        if isinstance(p, dict) and isinstance(p.get("questions"), list)
    )
    return len(pillars), questions


def cmd_validate(args: argparse.Namespace) -> int:
    from orr.lens.validate import LensSyntaxError, parse_lens_text, validate_parsed
    from orr.tomlfile import display_path, read_text

    path = path_arg(args.file)
    shown = display_path(path)
    text = read_text(path, shown)
    try:
        parsed = parse_lens_text(text)
    except LensSyntaxError as exc:
        raise InputError(
            _("{path}:{line}:{column}: not valid JSON: {message}").format(
                path=shown, line=exc.line, column=exc.column, message=exc.message
            )
        ) from None
    problems = validate_parsed(parsed)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    pillars, questions = _counts(parsed.doc)
    if args.format == "json":
        report = {
            "file": shown,
            "valid": not errors,
            "bytes": parsed.size,
            "pillars": pillars,
            "questions": questions,
            "errors": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in warnings],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_problems(problems, sys.stdout)
        counts = _counts_text(pillars, questions, parsed.size)
        if errors:
            print(
                _(
                    "{path}: invalid lens: {errors} error(s), {warnings} warning(s) ({counts})"
                ).format(
                    path=terminal_safe(shown),
                    errors=len(errors),
                    warnings=len(warnings),
                    counts=counts,
                )
            )
        else:
            print(
                _("{path}: valid lens: {counts}, {warnings} warning(s)").format(
                    path=terminal_safe(shown), counts=counts, warnings=len(warnings)
                )
            )
    return 1 if errors else 0


def cmd_import(args: argparse.Namespace) -> int:
    from orr.lens.importer import MANIFEST_FILE, import_lens_text, write_checklist
    from orr.tomlfile import display_path, read_text

    path = path_arg(args.file)
    shown = display_path(path)
    result = import_lens_text(read_text(path, shown), source=shown)
    out_dir = path_arg(args.output, "-o ") if args.output else Path(result.lens_id)
    written = write_checklist(result, out_dir, force=args.force)
    _print_group(REPAIRS, result.warnings, sys.stderr)
    manifest = terminal_safe(display_path(out_dir / MANIFEST_FILE))
    pillars = ngettext("{count} pillar", "{count} pillars", len(result.sources)).format(
        count=len(result.sources)
    )
    line = _("{path}: imported {lens}: {pillars}, {questions} questions in {files} files").format(
        path=manifest,
        lens=terminal_safe(shown),
        pillars=pillars,
        questions=result.questions,
        files=len(written),
    )
    if result.warnings:
        line += _(", {count} warning(s)").format(count=len(result.warnings))
    print(line)
    return 0
