"""The language of orr's own words (messages, labels, headings), through the standard library's
gettext, with catalogues shipped in the package (``orr/locale/<lang>/LC_MESSAGES/orr.mo``).

The language is chosen once at the edge (``--lang``, else ``ORR_LANG``, else the locale in
``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``, else English) and read by every message at the moment
it is made, so the core can build its texts without being told the language. Texts are written
in English in the code, wrapped in ``_()``; ``N_()`` marks a text to translate later (a table of
labels, say) without translating it at import time.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "orr"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
SUPPORTED = ("en", "ja")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT
_asked: str | None = None  # the language `--lang` asked for on the command line


def normalize(value: str | None) -> str | None:
    """``ja``, ``ja_JP.UTF-8``, ``JA-jp`` -> ``ja``; ``C``, ``POSIX`` and empty -> None."""
    if not value:
        return None
    text = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if not text or text in ("c", "posix"):
        return None
    return text.split("_", 1)[0]


def requested(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: the flag, else ``ORR_LANG``, else the locale, else English."""
    env = os.environ if environ is None else environ
    for value in (flag, env.get("ORR_LANG"), env.get("LC_ALL"), env.get("LC_MESSAGES")):
        lang = normalize(value)
        if lang:
            return lang
    return normalize(env.get("LANG")) or DEFAULT


def set_language(lang: str | None, *, asked: bool = False) -> str:
    """Use ``lang`` for every text from now on; returns the language in use (English when orr
    has no catalogue for it). ``asked``: the user said so on the command line (`--lang`), as
    opposed to the environment choosing it."""
    global _translations, _language, _asked
    code = normalize(lang) or DEFAULT
    _asked = (code if code in SUPPORTED else DEFAULT) if asked else None
    if code == DEFAULT:
        _translations, _language = gettext.NullTranslations(), DEFAULT
        return _language
    if code not in SUPPORTED:
        _translations, _language = gettext.NullTranslations(), DEFAULT
        return _language
    # A language orr supports: its catalogue for orr's own words (English where it lacks
    # one), and the checklist's translation into it.
    _translations = _catalogue(code, LOCALE_DIR)
    _language = code
    return _language


def gettext_in(lang: str, message: str) -> str:
    """``message`` in ``lang`` (whatever the language in use), English when orr has no
    catalogue for it."""
    code = normalize(lang) or DEFAULT
    if code == DEFAULT:
        return message
    return _catalogue(code, LOCALE_DIR).gettext(message)


@functools.cache
def _catalogue(code: str, folder: Path) -> gettext.NullTranslations:
    """The catalogue of ``code`` in ``folder`` (read once; English where there is none)."""
    return gettext.translation(DOMAIN, folder, languages=[code], fallback=True)


def asked() -> str | None:
    """The language `--lang` asked for, None when it came from ``ORR_LANG`` or the locale."""
    return _asked


def language() -> str:
    """The language in use now (``en`` or ``ja``)."""
    return _language


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the language in use."""
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for translation where it is defined; `_` translates it where shown."""
    return message
