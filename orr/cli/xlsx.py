"""`orr xlsx export | template | import | merge`: spreadsheets for stakeholders.

openpyxl is imported by the handlers (through orr.sheet), never when the parser is built.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from orr.cli.common import path_arg
from orr.errors import InputError
from orr.i18n import _, ngettext
from orr.textsafe import terminal_safe

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


def _workbook_name(arg: str) -> Path:
    out = path_arg(arg, "-o ")
    if out.suffix.lower() != ".xlsx":
        raise InputError(_("{path}: give the workbook an .xlsx name").format(path=arg))
    return out


def cmd_export(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest
    from orr.sheet.export import export_checklist, export_review, is_review_file
    from orr.tomlfile import display_path

    today = _today(args.today)
    source = path_arg(args.source)
    out = _workbook_name(args.output) if args.output else None
    if source.is_file() and is_review_file(source):
        result = export_review(source, out, today)
    else:
        result = export_checklist(find_manifest(source), out)
    said = {
        "checklist": _("{file}: checklist workbook: {summary}"),
        "review": _("{file}: review workbook: {summary}"),
    }.get(result.kind, "{file}: " + result.kind + " workbook: {summary}")
    _print(said.format(file=display_path(result.path), summary=result.summary))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from orr.sheet.template import write_template
    from orr.tomlfile import display_path

    out = _workbook_name(args.output)
    if out.exists() and not args.force:
        raise InputError(
            _("{file}: exists: not overwritten (choose another name or use --force)").format(
                file=display_path(out)
            )
        )
    write_template(out)
    _print(
        _(
            "{file}: checklist template written; fill it in, then run `orr xlsx import {file}`"
        ).format(file=display_path(out))
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from orr.sheet.importer import import_workbook
    from orr.tomlfile import display_path

    book = path_arg(args.book)
    out = path_arg(args.output, "-o ")
    result = import_workbook(book, out, force=args.force)
    if args.verbose:
        for name in result.generated_ids:
            sys.stderr.write(terminal_safe(_("made id: {id}").format(id=name)) + "\n")
    elif result.generated_ids:
        count = len(result.generated_ids)
        sys.stderr.write(
            ngettext(
                "made {count} id from titles (--verbose lists them)",
                "made {count} ids from titles (--verbose lists them)",
                count,
            ).format(count=count)
            + "\n"
        )
    files = len(result.texts)
    _print(
        _("{file}: {questions} in {pillars}, {files} written ({names})").format(
            file=display_path(out / "orr.toml"),
            questions=ngettext("{count} question", "{count} questions", result.questions).format(
                count=result.questions
            ),
            pillars=ngettext("{count} pillar", "{count} pillars", result.pillars).format(
                count=result.pillars
            ),
            files=ngettext("{count} file", "{count} files", files).format(count=files),
            names=", ".join(result.files),
        )
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from orr.review.who import current_user
    from orr.sheet.merge import merge_workbook
    from orr.tomlfile import display_path

    book = path_arg(args.book)
    review = path_arg(args.review)
    report = merge_workbook(book, review, who=current_user(args.user))
    shown = display_path(review)
    if report.review_changed and report.edits:
        _print(
            _("{file} changed since the export: each edit was checked against it").format(
                file=shown
            )
        )
    for edit in report.applied:
        _print(_("applied: {edit}").format(edit=edit.describe()))
    for edit in report.already:
        _print(_("already in the review: {edit}").format(edit=edit.describe()))
    for conflict in report.conflicts:
        sys.stderr.write(
            terminal_safe(_("conflict: {conflict}").format(conflict=conflict.describe())) + "\n"
        )
    if not report.edits:
        _print(
            _("{file}: nothing to merge: the workbook has no mitigation edits").format(file=shown)
        )
    elif report.applied:
        said = (
            _("{file}: merged {count} edit(s), {conflicts} conflict(s) not applied")
            if report.conflicts
            else _("{file}: merged {count} edit(s)")
        )
        _print(said.format(file=shown, count=len(report.applied), conflicts=len(report.conflicts)))
    else:
        _print(_("{file}: nothing applied").format(file=shown))
    return 1 if report.conflicts else 0
