"""The catalogue of orr's own words: every text wrapped in ``_()``, ``N_()`` or ``ngettext()``
in ``orr/``, extracted with Babel into ``orr/locale/<lang>/LC_MESSAGES/orr.po`` (what
translators edit) and compiled to ``orr.mo`` (what the package ships and the stdlib's gettext
reads at run time).

    python -m tests.catalogue           # add new texts to the .po, drop gone ones, compile .mo
    python -m tests.catalogue --check   # list what is missing, untranslated or out of date

tests/test_catalogue.py runs the check: a text shown in the terminal app or written to an
export without a Japanese entry fails the tests.
"""

from __future__ import annotations

import ast
import io
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "orr"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("ja",)
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
# The names under which a text is translated; every call must pass literal strings.
_CALLS = {"_": 1, "N_": 1, "ngettext": 2}
# A fixed date in the header, so that updating an unchanged catalogue changes no byte.
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
_FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "orr.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract() -> Catalog:
    """Every text of orr/ to translate, in the order the code has them."""
    template = Catalog(project="orr", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def literal_problems() -> Iterator[str]:
    """Texts that can never be in the catalogue, so would show in English: ``N_()`` and
    ``ngettext()`` of anything but literal strings, ``_()`` of a text built before it is
    looked up (an f-string, ``+``, ``%`` or ``.format()`` inside the call). ``_()`` of a name
    is fine: the value was marked with ``N_()`` where it is defined."""
    built = (ast.JoinedStr, ast.BinOp)
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "i18n.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name = node.func.id
            count = _CALLS.get(name)
            if count is None:
                continue
            args = node.args[:count]
            if name == "_":
                bad = len(args) != 1 or any(
                    isinstance(n, built)
                    or (
                        isinstance(n, ast.Call)
                        and isinstance(n.func, ast.Attribute)
                        and n.func.attr == "format"
                    )
                    for n in ast.walk(args[0])
                )
            else:
                bad = len(args) < count or not all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
                )
            if bad:
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                yield f"{where}: {name}() of a text built before the lookup (use .format() after)"


def _fields(text: str) -> list[str]:
    return sorted(_FIELD.findall(text))


def problems(lang: str) -> list[str]:
    """What keeps the catalogue of ``lang`` from being complete and current."""
    out = list(literal_problems())
    path = po_path(lang)
    if not path.is_file():
        return [*out, f"{path.relative_to(REPO)}: missing (run python -m tests.catalogue)"]
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    shown = path.relative_to(REPO)
    for message in extract():
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        found = catalog.get(key, context=message.context)
        if found is None:
            out.append(f"{shown}: no entry for {key!r} (run python -m tests.catalogue)")
            continue
        strings = found.string if isinstance(found.string, tuple | list) else (found.string,)
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        if not all(strings) or found.fuzzy:
            out.append(f"{shown}: {key!r} is not translated")
            continue
        for text in strings:
            mine, theirs = _fields(str(text)), _fields(str(ids[0]))
            if mine != theirs:
                out.append(
                    f"{shown}: {key!r}: the translation has the fields {mine}, the text {theirs}"
                )
    if catalog.obsolete:
        out.append(
            f"{shown}: {len(catalog.obsolete)} obsolete entries (run python -m tests.catalogue)"
        )
    current = [m.id for m in extract() if m.id]
    kept = [m.id for m in catalog if m.id]
    if set(map(_key, kept)) - set(map(_key, current)):
        gone = sorted(set(map(_key, kept)) - set(map(_key, current)))
        out.append(
            f"{shown}: entries no text uses any more: {gone[:3]} (run python -m tests.catalogue)"
        )
    mo = mo_path(lang)
    if not mo.is_file() or mo.read_bytes() != _compiled(catalog):
        out.append(
            f"{mo.relative_to(REPO)}: not compiled from the .po (run python -m tests.catalogue)"
        )
    return out


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    """A message id as a hashable key (babel gives a plural's id as a tuple or a list)."""
    return message_id if isinstance(message_id, str) else str(list(message_id))


def _compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update(lang: str) -> tuple[int, int]:
    """Bring the .po of ``lang`` up to the code (new texts added empty, gone ones dropped,
    translations kept) and compile it; returns (texts, untranslated)."""
    path = po_path(lang)
    template = extract()
    if path.is_file():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=lang, project="orr", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
    catalog.header_comment = (
        f"# orr's own words in {lang}: edit the msgstr lines; `python -m tests.catalogue`\n"
        "# adds new texts from the code and compiles orr.mo."
    )
    catalog.revision_date = catalog.creation_date = _FIXED_DATE
    catalog.fuzzy = False
    catalog.version = ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "orr developers"
    catalog.language_team = lang
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True, omit_header=False, include_previous=False)
    path.write_bytes(buffer.getvalue())
    mo_path(lang).write_bytes(_compiled(catalog))
    untranslated = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return sum(1 for m in catalog if m.id), untranslated


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = [p for lang in LANGUAGES for p in problems(lang)]
        for line in found:
            print(line)
        return 1 if found else 0
    bad = list(literal_problems())
    for line in bad:
        print(line, file=sys.stderr)
    for lang in LANGUAGES:
        total, untranslated = update(lang)
        print(f"{po_path(lang).relative_to(REPO)}: {total} texts, {untranslated} to translate")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
