"""The command line: parses arguments, calls the core, prints, maps errors to exit codes.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 ok / ready, 1 a check failed,
2 bad input or usage, 3 AWS or network error. Heavy libraries (Textual, boto3, openpyxl) are
imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from orr import __version__
from orr.errors import OrrError
from orr.textsafe import terminal_safe

Handler = Callable[[argparse.Namespace], int]

# The command groups; each module has register(subparsers). Imported lazily (cheap modules).
GROUPS = ("checklist", "lens", "review", "status", "xlsx", "wat", "tui")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="orr",
        description="Operational readiness reviews in a terminal. "
        "Run 'orr [WORKSPACE]' for the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"orr {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import importlib

    for name in GROUPS:
        importlib.import_module(f"orr.cli.{name}").register(sub)
    return parser


def _known_commands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # `orr` and `orr WORKSPACE` open the terminal app.
    if not args_list or (
        args_list[0] not in _known_commands(parser) and not args_list[0].startswith("-")
    ):
        args_list = ["home", *args_list]
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return func(args)
    except OrrError as exc:
        for line in exc.lines():
            sys.stderr.write(terminal_safe(line) + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("orr: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


def run() -> NoReturn:
    raise SystemExit(main())
