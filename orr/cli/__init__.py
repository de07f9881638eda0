"""The command line: parses arguments, calls the core, prints, maps errors to exit codes.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 ok / ready, 1 a check failed,
2 bad input or usage, 3 AWS or network error. Heavy libraries (Textual, boto3, openpyxl) are
imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from orr import __version__
from orr.errors import InputError, OrrError
from orr.i18n import _
from orr.textsafe import terminal_safe

Handler = Callable[[argparse.Namespace], int]

# The command groups; each module has register(subparsers). Imported lazily (cheap modules).
GROUPS = ("checklist", "lens", "review", "status", "xlsx", "wat", "tui")

# Each command and the group that registers it: a command line names its command, and only
# that group is imported and built (all of them take about 50 ms, a fifth of `orr status`).
# tests/test_cli_checklist.py checks this against what the groups register.
COMMANDS = {
    "checklist": "checklist",
    "learn": "checklist",
    "lens": "lens",
    "review": "review",
    "status": "status",
    "diff": "status",
    "report": "status",
    "xlsx": "xlsx",
    "wat": "wat",
    "home": "tui",
    "open": "tui",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(
            _("{prog}: {message} (see '{prog} --help')").format(prog=self.prog, message=message)
            + "\n"
        )
        raise SystemExit(2)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone when it is one (``orr review ...``
    needs no other group: help, usage errors and unknown commands get them all)."""
    parser = _Parser(
        prog="orr",
        description="Operational readiness reviews in a terminal. "
        "Run 'orr [WORKSPACE]' for the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"orr {__version__}")
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help="the language of orr's words and of the checklist: en or ja (default: $ORR_LANG, "
        "else the locale, else en); allowed anywhere on the command line",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import importlib

    group = COMMANDS.get(command or "")
    for name in (group,) if group else GROUPS:
        importlib.import_module(f"orr.cli.{name}").register(sub)
    return parser


def registered_commands(parser: argparse.ArgumentParser) -> set[str]:
    """The commands a parser knows."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


_LANG_VALUE = re.compile(r"^[A-Za-z]{2,3}([_.@-].*)?$")


def take_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """``--lang X`` (or ``--lang=X``) from anywhere on the command line, and the rest."""
    rest: list[str] = []
    lang: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang" and i + 1 < len(args) and _LANG_VALUE.match(args[i + 1]):
            lang = args[i + 1]
            i += 2
            continue
        if arg.startswith("--lang=") and _LANG_VALUE.match(arg[7:]):
            lang = arg[7:]
            i += 1
            continue
        rest.append(arg)
        i += 1
    return lang, rest


def choose_language(flag: str | None) -> None:
    """Use the language asked for (the flag, ORR_LANG, the locale); an unknown one given as a
    flag is bad input, an unknown one from the environment means English."""
    from orr.i18n import SUPPORTED, normalize, requested, set_language

    if flag is not None and normalize(flag) not in SUPPORTED:
        raise InputError(
            _("--lang {lang}: orr speaks {languages} (en: English, ja: 日本語)").format(
                lang=flag[:20], languages=", ".join(SUPPORTED)
            )
        )
    set_language(requested(flag), asked=flag is not None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; without ``argv``, the process's own command line (the ``orr`` script,
    ``python -m orr``)."""
    if argv is not None:
        return _main(list(argv))
    # A process of its own. What a command loads (modules, models, the checklist, the reviews)
    # lives until it exits and is freed by reference counting: Python's cycle collector would
    # only walk all of it again and again (a fifth of `orr status` over 1,000 reviews), and once
    # more at exit. It stays off until the terminal app is up (orr.tui.app freezes what was
    # loaded and turns it on: the app runs as long as the user works in it), and what is left
    # at exit is frozen rather than walked: the OS takes the memory back.
    gc.disable()
    try:
        return _main(sys.argv[1:])
    finally:
        gc.freeze()


def _main(argv: list[str]) -> int:
    lang, args_list = take_lang(argv)
    try:
        choose_language(lang)
    except OrrError as exc:
        sys.stderr.write(terminal_safe(exc.message) + "\n")
        return exc.exit_code
    # `orr` and `orr WORKSPACE` open the terminal app.
    if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        args_list = ["home", *args_list]
    parser = build_parser(args_list[0])
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
        sys.stderr.write(_("orr: interrupted") + "\n")
        return 130
    except BrokenPipeError:
        return 0


def run() -> NoReturn:
    raise SystemExit(main())
