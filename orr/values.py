"""The values users type, parsed one way everywhere: dates, URLs, ids made from titles, file names.

Every date flag, dialog field and workbook cell goes through `parse_date`; every evidence link,
ticket and lens URL through `check_url`; every id orr makes from a title (learnings, workbooks,
lenses) through `make_id`; every file name made from a workload's name through `file_slug`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime

from orr.errors import InputError
from orr.i18n import _

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STOP_WORDS = frozenset(
    "a an the is are do does did have has had be been being was were of to for in on and or "
    "with that this its their there any all by at as it we you our your".split()
)
MIN_ID = 3


# --- dates ---------------------------------------------------------------------------------------


def date_or_none(value: object) -> date | None:
    """A date from a `datetime.date` or a ``YYYY-MM-DD`` string; None for anything else
    (a number, ``2026W491``, ``20261201``, a date-time)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def date_problem(value: object, what: str) -> str:
    """The one line that says a value is not a date."""
    shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else repr(value[:40])
    if not what:
        return _("{value} is not a date: write YYYY-MM-DD").format(value=shown)
    return _("{what} {value} is not a date: write YYYY-MM-DD").format(what=what, value=shown)


def parse_date(value: object, what: str) -> date:
    """A ``YYYY-MM-DD`` date (or a `datetime.date`); InputError naming ``what`` otherwise."""
    found = date_or_none(value)
    if found is None:
        raise InputError(date_problem(value, what))
    return found


# --- URLs ----------------------------------------------------------------------------------------


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an http(s) URL orr accepts, or None when it is one."""
    if not value.startswith(("http://", "https://")):
        return _("a url starts with http:// or https://")
    host = value.split("://", 1)[1]
    if not host or host.startswith("/"):
        return _("a url names a host after http:// or https://")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return _("a url has no spaces or control characters")
    return None


def check_url(value: str, what: str) -> str:
    """An http(s) URL, stripped; InputError naming ``what`` otherwise."""
    text = value.strip()
    problem = url_problem(text)
    if problem is not None:
        shown = text if len(text) <= 80 else text[:79] + "…"
        raise InputError(
            _("{what} {url!r} is not a url: {problem}").format(
                what=what, url=shown, problem=problem
            )
        )
    return text


# --- ids and file names --------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def make_id(text: str, limit: int, prefix: str) -> str:
    """An id made from a title: lowercase ASCII words joined by ``_``, small words left out, cut
    at a word boundary within ``limit``; never starting with a digit. Letters that have no ASCII
    form (Japanese, for instance) are not dropped silently: a short digest of the whole title is
    added, so two titles that differ only there get different ids. The same title always gives
    the same id."""
    folded = unicodedata.normalize("NFKD", text)
    lost = any(
        unicodedata.category(c).startswith(("L", "N")) and not c.isascii()
        for c in folded
        if unicodedata.category(c) != "Mn"
    )
    words = re.findall(r"[a-z0-9]+", folded.encode("ascii", "ignore").decode().lower())
    kept = [w for w in words if w not in _STOP_WORDS] or words
    suffix = f"_{_digest(text)}" if lost or not kept else ""
    room = max(limit - len(suffix), MIN_ID)
    out = ""
    for word in kept:
        candidate = f"{out}_{word}" if out else word
        if len(candidate) > room:
            if not out:
                out = word[:room]
            break
        out = candidate
    if out and out[0].isdigit():
        out = f"{prefix}_{out}"[:room].rstrip("_")
    if len(out) < MIN_ID and not suffix:
        suffix = f"_{_digest(text)}"
    return f"{out or prefix}{suffix}"[:limit]


def unique_id(base: str, taken: set[str], limit: int) -> str:
    """``base``, or ``base_2``, ``base_3``… when taken (within ``limit``); added to ``taken``."""
    candidate = base
    n = 1
    while candidate in taken:
        n += 1
        suffix = f"_{n}"
        candidate = base[: limit - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def file_slug(name: str, limit: int = 60) -> str:
    """A file name for a workload: its words in lower case joined by ``-``, letters of every
    script kept (``決済サービス``, ``über-ärger``); ``review`` when nothing is left."""
    text = unicodedata.normalize("NFKC", name).lower()
    words = re.findall(r"[^\W_]+", text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            if not out:
                out = word[:limit]
            break
        out = candidate
    return out or "review"


# --- date-times and schema versions (file fields) --------------------------------------------------

_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?$"
)


def datetime_or_none(value: object) -> datetime | None:
    """A date-time from a `datetime.datetime` (a TOML date-time), a `datetime.date` (midnight)
    or an ISO 8601 string (``2026-01-05T09:30:00Z``, ``2026-01-05``); None for anything else: a
    number is not read as seconds since 1970."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _ISO_DATETIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError:
        return None


def datetime_problem(value: object, what: str) -> str:
    """The one line that says a value is not a date-time."""
    shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else repr(value[:40])
    if not what:
        return _("{value} is not a date-time: write YYYY-MM-DDTHH:MM:SSZ").format(value=shown)
    return _("{what} {value} is not a date-time: write YYYY-MM-DDTHH:MM:SSZ").format(
        what=what, value=shown
    )


def schema_version_problem(value: object, supported: tuple[int, ...]) -> str | None:
    """Why ``value`` is not a ``schema_version`` this orr reads (None when it is one): exactly one
    of the whole numbers in ``supported``; not ``"1"``, ``true`` or ``1.0``."""
    if type(value) is int and value in supported:
        return None
    known = " or ".join(str(v) for v in supported)
    if type(value) is int and value > max(supported):
        return _("{version} is newer than this orr understands ({known}): upgrade orr").format(
            version=value, known=known
        )
    shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else repr(value[:40])
    return _(
        "{value} is not a schema version this orr reads: write schema_version = {known}"
    ).format(value=shown, known=known)
