"""`orr xlsx export | template | import | merge`: spreadsheets for stakeholders.

openpyxl is imported by the handlers (through orr.sheet), never when the parser is built.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from orr.errors import InputError
from orr.textsafe import plural, terminal_safe

DEFAULT_TEMPLATE = "orr-checklist-template.xlsx"
DEFAULT_IMPORT_DIR = "checklists"


def register(sub: Any) -> None:
    xlsx = sub.add_parser(
        "xlsx",
        help="spreadsheets: export a checklist or review, author a checklist, merge edits back",
        description="Spreadsheets for stakeholders who never open a terminal.",
    )
    xsub = xlsx.add_subparsers(dest="xlsx_command", metavar="ACTION", required=True)

    export = xsub.add_parser(
        "export",
        help="a checklist (manifest) or a review file as a workbook",
        description="Write the workbook of a checklist (give its manifest) or of a review (give "
        "the review file): Summary, Findings, Mitigations, Risk Acceptances, Sign-offs, "
        "Checklist, the audit trail and a README, each sheet ready to print.",
    )
    export.add_argument("source", metavar="MANIFEST|REVIEW", help="a manifest or a review file")
    export.add_argument(
        "-o", "--output", help="the workbook (default: <lens id>.xlsx, or the review's name)"
    )
    export.add_argument("--today", help="the date the launch gate is computed for (YYYY-MM-DD)")
    export.set_defaults(func=cmd_export)

    template = xsub.add_parser(
        "template",
        help="an empty workbook to write a checklist in",
        description="Write an empty authoring workbook (instructions, the Checklist columns "
        "with drop-downs) that `orr xlsx import` turns into checklist TOML.",
    )
    template.add_argument("-o", "--output", default=DEFAULT_TEMPLATE, help="the workbook")
    template.add_argument("--force", action="store_true", help="replace an existing file")
    template.set_defaults(func=cmd_template)

    imp = xsub.add_parser(
        "import",
        help="a filled workbook -> checklist TOML files",
        description="Turn a filled workbook (the template, or an exported checklist) into a "
        "manifest and source files. Every problem is reported with its sheet and cell.",
    )
    imp.add_argument("book", metavar="BOOK.xlsx")
    imp.add_argument(
        "-o", "--output", default=DEFAULT_IMPORT_DIR, help="the folder (default: checklists)"
    )
    imp.add_argument("--force", action="store_true", help="replace existing TOML files")
    imp.add_argument("-v", "--verbose", action="store_true", help="list every id made from a title")
    imp.set_defaults(func=cmd_import)

    merge = xsub.add_parser(
        "merge",
        help="bring mitigation edits back from a review workbook",
        description="Apply the status, owner, due date and notes stakeholders changed in a "
        "review workbook's Mitigations sheet to the review file, by mitigation id. An edit "
        "to something that also changed in the review file since the export is reported, not "
        "applied (exit 1).",
    )
    merge.add_argument("book", metavar="BOOK.xlsx")
    merge.add_argument("review", metavar="REVIEW.toml")
    merge.add_argument("--user", help="who is merging (default: $ORR_USER, git user.name, login)")
    merge.set_defaults(func=cmd_merge)


def _today(value: str | None) -> date:
    from orr.values import parse_date

    return parse_date(value, "--today") if value is not None else date.today()


def _print(line: str) -> None:
    print(terminal_safe(line))


def cmd_export(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest
    from orr.sheet.export import export_checklist, export_review, is_review_file
    from orr.tomlfile import display_path

    today = _today(args.today)
    source = Path(args.source)
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() != ".xlsx":
        raise InputError(f"{args.output}: give the workbook an .xlsx name")
    if source.is_file() and is_review_file(source):
        result = export_review(source, out, today)
    else:
        result = export_checklist(find_manifest(source), out)
    _print(f"{display_path(result.path)}: {result.kind} workbook: {result.summary}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from orr.sheet.template import write_template
    from orr.tomlfile import display_path

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"{args.output}: give the workbook an .xlsx name")
    if out.exists() and not args.force:
        raise InputError(
            f"{display_path(out)}: exists: not overwritten (choose another name or use --force)"
        )
    write_template(out)
    _print(
        f"{display_path(out)}: checklist template written; fill it in, then run "
        f"`orr xlsx import {display_path(out)}`"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from orr.sheet.importer import import_workbook
    from orr.tomlfile import display_path

    out = Path(args.output)
    result = import_workbook(Path(args.book), out, force=args.force)
    if args.verbose:
        for name in result.generated_ids:
            sys.stderr.write(terminal_safe(f"made id: {name}") + "\n")
    elif result.generated_ids:
        sys.stderr.write(
            f"made {plural(len(result.generated_ids), 'id')} from titles (--verbose lists them)\n"
        )
    _print(
        f"{display_path(out / 'orr.toml')}: {plural(result.questions, 'question')} in "
        f"{plural(result.pillars, 'pillar')}, {plural(len(result.texts), 'file')} written "
        f"({', '.join(result.files)})"
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from orr.review.who import current_user
    from orr.sheet.merge import merge_workbook
    from orr.tomlfile import display_path

    review = Path(args.review)
    report = merge_workbook(Path(args.book), review, who=current_user(args.user))
    shown = display_path(review)
    if report.review_changed and report.edits:
        _print(f"{shown} changed since the export: each edit was checked against it")
    for edit in report.applied:
        _print(f"applied: {edit.describe()}")
    for edit in report.already:
        _print(f"already in the review: {edit.describe()}")
    for conflict in report.conflicts:
        sys.stderr.write(terminal_safe(f"conflict: {conflict.describe()}") + "\n")
    if not report.edits:
        _print(f"{shown}: nothing to merge: the workbook has no mitigation edits")
    elif report.applied:
        _print(
            f"{shown}: merged {len(report.applied)} edit(s)"
            + (f", {len(report.conflicts)} conflict(s) not applied" if report.conflicts else "")
        )
    else:
        _print(f"{shown}: nothing applied")
    return 1 if report.conflicts else 0
