"""`orr [WORKSPACE]` (`orr home`) and `orr open REVIEW`: the terminal app.

Textual is imported only here, inside the handlers, so that the other commands stay quick.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from orr.cli.common import review_path, today
from orr.errors import InputError
from orr.i18n import _


def register(sub: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--user", metavar="NAME", help="who makes the changes (default: $ORR_USER, git user.name)"
    )
    # For demos and screenshots: judge due dates and days left as of another day.
    common.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    home = sub.add_parser(
        "home",
        parents=[common],
        help="the terminal app (same as `orr [WORKSPACE]`)",
        description="The terminal app: the reviews of WORKSPACE (default: the current folder).",
    )
    home.add_argument("workspace", nargs="?", default=".", metavar="WORKSPACE")
    home.set_defaults(func=cmd_home)

    open_ = sub.add_parser(
        "open",
        parents=[common],
        help="the terminal app on one review",
        description="Open one review in the terminal app: the walk-through, findings, "
        "launch readiness and export.",
    )
    open_.add_argument("review", metavar="REVIEW", help="a review file, or its name in reviews/")
    open_.set_defaults(func=cmd_open)


def _today(args: argparse.Namespace) -> date | None:
    return today(args) if args.today else None


def cmd_home(args: argparse.Namespace) -> int:
    workspace = Path(args.workspace)
    if not workspace.is_dir():
        raise InputError(
            _(
                "{folder}: no such folder (orr [WORKSPACE] opens the reviews of a folder; "
                "orr open REVIEW opens one review)"
            ).format(folder=args.workspace)
        )
    from orr.tui.app import OrrApp

    OrrApp(workspace=workspace, today=_today(args), user=args.user).run()
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    from orr.review.checklists import load_review_checklist
    from orr.review.store import load_review

    path = review_path(args.review)
    today = _today(args)
    # Refuse a broken review here, with the file and line, rather than inside the app.
    load_review_checklist(load_review(path), path)
    from orr.tui.app import OrrApp

    OrrApp(review=path, today=today, user=args.user).run()
    return 0
