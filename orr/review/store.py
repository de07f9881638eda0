"""Reading and writing review files, safely.

- Loading validates against the model; a malformed file is an InputError listing every problem
  with file:line: field: message.
- Saving is atomic (``orr.tomlfile.write_atomic``: temporary file in the same folder, flush,
  fsync, rename) and guarded: an exclusive lock (``.<name>.lock`` next to the review, released by
  the OS if the writer dies) keeps two writers apart, and the file on disk is compared with what
  was read. When it changed, the two edits are merged entry by entry (``orr.review.merge``); when
  both changed the same entry differently, nothing is written and a ConflictError names the
  entries. The other side's change is never dropped.
- What is written is validated first, so a saved review always loads again.
"""

from __future__ import annotations

import fcntl
import functools
import glob
import json
import json.encoder
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from pydantic import ValidationError

from orr.errors import ConflictError, InputError, LockBusy, Problem
from orr.i18n import _
from orr.review.merge import MergeConflict, merge_reviews
from orr.review.model import ENTRY_ERROR, Review
from orr.tomlfile import (
    display_path,
    line_of,
    locate_lines,
    parse_toml,
    path_text,
    read_text,
    validation_problems,
    write_atomic,
)

T = TypeVar("T")

LOCK_TIMEOUT = 10.0


# --- text <-> model ------------------------------------------------------------------------------


def review_data(review: Review) -> dict[str, Any]:
    """The review as plain TOML data (TOML has no null: None fields are left out)."""
    data = review.model_dump(mode="python", exclude_none=True)
    if not data.get("follows"):
        data.pop("follows", None)
    # Most answers waive no practice: leave the empty table out rather than write one each.
    for section in ("answers", "archived"):
        for answer in data.get(section, {}).values():
            if not answer.get("na_choices", True):
                del answer["na_choices"]
    return data


def dump_review(review: Review) -> str:
    """The TOML text of a review."""
    return toml_text(review_data(review))


# A TOML writer for the shapes a review has (tables, arrays of tables, arrays and scalars).
# tomli-w escapes strings one character at a time in Python, which takes about 25 ms for a
# maximum-size review; strings here go through the json module's C escaper instead (its escapes
# are valid TOML basic-string escapes; DEL, which JSON leaves alone, is escaped after).
# The tests check that what this writes parses to the same data as tomli-w's output.

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_escape: Callable[[str], str] = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)


def _string(value: str) -> str:
    text = _escape(value)
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


_key_cache: dict[str, str] = {}


def _key(key: str) -> str:
    quoted = _key_cache.get(key)
    if quoted is None:
        quoted = key if _BARE.match(key) else _string(key)
        if len(_key_cache) < 4096:
            _key_cache[key] = quoted
    return quoted


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _list(value: list[Any] | tuple[Any, ...]) -> str:
    return "[" + ", ".join(_literal(v) for v in value) + "]"


def _inline(value: dict[str, Any]) -> str:
    inner = ", ".join(f"{_key(str(k))} = {_literal(v)}" for k, v in value.items())
    return "{ " + inner + " }" if inner else "{}"


_FORMATS: dict[type, Callable[[Any], str]] = {
    str: _string,
    bool: _bool,
    int: str,
    date: date.isoformat,
    datetime: datetime.isoformat,
    list: _list,
    tuple: _list,
    dict: _inline,
}


def _literal(value: object) -> str:
    fmt = _FORMATS.get(type(value))
    if fmt is not None:
        return fmt(value)
    # Subclasses (a StrEnum member is a str).
    if isinstance(value, str):
        return _string(str(value))
    if isinstance(value, bool):
        return _bool(value)
    if isinstance(value, int):
        return str(int(value))
    for kind in (datetime, date, list, tuple, dict):
        if isinstance(value, kind):
            return _FORMATS[kind](value)
    # Anything else (floats, times) is not in a review; tomli-w knows how to write it.
    return tomli_w.dumps({"v": value})[4:].rstrip("\n")


# What a store wrote last, by place ("answers.q1", or an array's element by its index): the
# table as it was and its text. A save changes one answer or two and adds an entry to the trail;
# every other table is the same as at the save before, which a comparison of the data tells
# (in C, far quicker than writing it again). Equal data is written alike: within one place the
# review's schema gives every value one type, and an equal date-time is the same instant.
Place = tuple[str, int]
# place -> (the table, its text, the places of the tables inside it)
TextCache = dict[Place, tuple[dict[str, Any], str, tuple[Place, ...]]]


class _Writer:
    def __init__(self, last: TextCache | None) -> None:
        self.last = last
        self.now: TextCache = {}
        self.order: list[Place] = []  # the places written (or reused), in order

    def table(
        self, out: list[str], table: dict[str, Any], path: str, header: str, index: int = -1
    ) -> None:
        place = (path, index)
        start, first = len(out), len(self.order)
        if header:
            out.append(header)
        nested: list[tuple[str, dict[str, Any], bool]] = []
        append = out.append
        formats = _FORMATS
        keys = _key_cache
        for key, value in table.items():
            kind = type(value)
            if kind is dict:
                nested.append((key, value, False))
            elif (
                kind is list
                and value
                and type(value[0]) is dict
                and all(type(v) is dict for v in value)
            ):
                nested.extend((key, v, True) for v in value)
            else:
                fmt = formats.get(kind)
                append(
                    f"{keys.get(key) or _key(key)} = "
                    f"{fmt(value) if fmt is not None else _literal(value)}\n"
                )
        counts: dict[str, int] = {}
        last, now, order = self.last, self.now, self.order
        for key, value, many in nested:
            quoted = keys.get(key) or _key(key)
            sub = f"{path}.{quoted}" if path else quoted
            append("\n")
            n = -1
            if many:
                n = counts[sub] = counts.get(sub, -1) + 1
            # A table equal to the one at its place in the text written last: its text again,
            # and the tables inside it stay known for the next text (a save of a long review
            # meets a thousand of them: this is inline).
            if last is not None:
                found = last.get((sub, n))
                if found is not None and found[0] == value:
                    now[sub, n] = found
                    order.append((sub, n))
                    for inner in found[2]:
                        kept = last.get(inner)
                        if kept is not None:
                            now[inner] = kept
                            order.append(inner)
                    append(found[1])
                    continue
            self.table(out, value, sub, f"[[{sub}]]\n" if many else f"[{sub}]\n", n)
        if self.last is not None and path:
            self.now[place] = (table, "".join(out[start:]), tuple(self.order[first:]))
            self.order.append(place)


# The collections of a review whose entries a save can take as known: a table per entry, in a
# table of entries (answers by question id) or an array of tables.
_KEYED = ("answers", "archived")
_LISTED = ("stakeholders", "mitigations", "acceptances", "signoffs", "audit")


def _unchecked_known(data: dict[str, Any], review: Review, cache: TextCache) -> dict[str, Any]:
    """What a save validates: ``data`` (the review as TOML data), with each entry that equals
    the one the store wrote last replaced by the review's model of it, which pydantic takes as
    it is. Data equal to what was written was valid then (every save validates what it
    writes, and validity depends on the data alone), so a save checks again only the entries
    that changed, and every rule across entries (ids unique, one sign-off per role, ...)."""
    if not cache:
        return data
    out = dict(data)
    for key in _KEYED:
        tables = data.get(key)
        models: dict[str, Any] = getattr(review, key)
        if not tables:
            continue
        mixed: dict[str, Any] = {}
        for name, table in tables.items():
            found = cache.get((f"{key}.{_key(name)}", -1))
            model = models.get(name)
            known = found is not None and found[0] == table and model is not None
            mixed[name] = model if known else table
        out[key] = mixed
    for key in _LISTED:
        tables = data.get(key)
        items: list[Any] = getattr(review, key)
        if not tables or len(items) != len(tables):
            continue
        listed: list[Any] = []
        for n, table in enumerate(tables):
            found = cache.get((key, n))
            listed.append(items[n] if found is not None and found[0] == table else table)
        out[key] = listed
    return out


def toml_text(data: dict[str, Any], cache: TextCache | None = None) -> str:
    """TOML for a table of strings, booleans, integers, dates, date-times, arrays and tables.

    With ``cache`` (a store's, empty at first), the tables that equal those of the text written
    last with it are not written again; the cache is then what this text holds."""
    writer = _Writer(cache)
    out: list[str] = []
    writer.table(out, data, "", "")
    if cache is not None:
        cache.clear()
        cache.update(writer.now)
    return "".join(out)


def _problems(exc: ValidationError, shown: str, text: str) -> list[Problem]:
    """Every problem of a review file, each at its entry's line."""
    lines = locate_lines(text)
    custom: list[Problem] = []
    for err in exc.errors(include_url=False):
        if err["type"] != ENTRY_ERROR:
            continue
        ctx = err.get("ctx") or {}
        loc: tuple[str | int, ...] = (
            *(p for p in err["loc"] if not (isinstance(p, str) and "[" in p)),
            *ctx.get("at", []),
        )
        custom.append(
            Problem(str(err["msg"]), file=shown, line=line_of(lines, loc), path=path_text(loc))
        )
    messages = tuple(p.message for p in custom)
    problems = []
    for p in validation_problems(exc, Review, shown, lines):
        if messages and p.message.endswith(messages):
            continue  # reported from `custom`, at its entry
        problems.append(p)
    return sorted([*problems, *custom], key=lambda p: (p.line or 0, p.path or ""))


def parse_review(text: str, shown: str) -> Review:
    """A review from its TOML text; InputError with every problem when it is malformed."""
    data = parse_toml(text, shown)
    try:
        return Review.model_validate(data)
    except ValidationError as exc:
        problems = _problems(exc, shown, text)
        raise InputError(
            _("{file}: {count} problem(s) in the review").format(file=shown, count=len(problems)),
            problems,
        ) from None


def _read(path: Path, shown: str) -> str:
    """The text of a file (``orr.tomlfile.read_text``, with the shown name given: working out a
    display path resolves symlinks, which is slow over a thousand files)."""
    return read_text(path, shown)


def load_review(path: str | Path, shown: str | None = None) -> Review:
    """Read and validate a review file (``shown``: its name in messages)."""
    p = Path(path)
    shown = shown or display_path(p)
    return parse_review(_read(p, shown), shown)


# --- the store -----------------------------------------------------------------------------------


def _exists(shown: str) -> str:
    return _("{file}: already exists: open it, or choose another file name").format(file=shown)


class ReviewStore:
    """One review file: load it, save it atomically under a lock, merge concurrent edits."""

    def __init__(self, path: str | Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        self.lock_timeout = lock_timeout
        self._base_text: str | None = None  # the text last read or written
        self._stat: tuple[int, int, int] | None = None
        self._locked = False
        self._swept = False
        self._texts: TextCache = {}  # the tables of the text last written, to write again

    @functools.cached_property
    def shown(self) -> str:
        """The file's name in messages."""
        return display_path(self.path)

    # --- reading ---

    def _read_disk(self) -> str | None:
        try:
            return _read(self.path, self.shown)
        except InputError:
            if not self.path.exists():
                return None
            raise

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except (OSError, ValueError):  # gone, or not looked up: reading says why
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def load(self) -> Review:
        """Read the review and remember what was read (for the check on save)."""
        stat = self._signature()
        text = _read(self.path, self.shown)
        review = parse_review(text, self.shown)
        self._base_text = text
        self._stat = stat
        return review

    def changed_on_disk(self) -> bool:
        """True when the file is no longer what this store last read or wrote."""
        stat = self._signature()
        if stat == self._stat and stat is not None:
            return False
        try:
            current = self._read_disk()
        except InputError:
            return True
        if current == self._base_text:
            self._stat = stat
            return False
        return True

    # --- the lock ---

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the review's write lock (waits up to ``lock_timeout`` seconds)."""
        if self._locked:
            yield
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(
                _("{file}: cannot create the lock file ({reason})").format(
                    file=self.shown, reason=exc.strerror
                )
            ) from None
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockBusy(
                            _(
                                "{file}: another process is saving this review (lock {lock} "
                                "held for {seconds:g}s): try again"
                            ).format(
                                file=self.shown,
                                lock=display_path(self.lock_path),
                                seconds=self.lock_timeout,
                            )
                        ) from None
                    time.sleep(0.002)
            self._locked = True
            try:
                yield
            finally:
                self._locked = False
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # --- writing ---

    def save(self, review: Review, who: str = "") -> Review:
        """Write the review; returns what was written (the merge, when the file had changed).

        Raises ConflictError (nothing written) when the file changed on disk in a way that
        conflicts with this edit, was deleted, or appeared where a new review was to be created.
        """
        with self.lock():
            return self._save_locked(review, who)

    def create(self, review: Review, who: str = "") -> Review:
        """Write a new review file; refuses when the file exists."""
        with self.lock():
            if self.path.exists():
                raise ConflictError(_exists(self.shown))
            self._base_text = None
            return self._save_locked(review, who)

    def _sweep(self) -> None:
        """Remove temporary files left by writers killed in the middle of a save. Under the lock
        no other writer of this review is saving, so every such file is an orphan."""
        self._swept = True
        for orphan in self.path.parent.glob(f".{glob.escape(self.path.name)}.*.tmp"):
            try:
                orphan.unlink()
            except OSError:
                pass

    def _save_locked(self, review: Review, who: str) -> Review:
        if not self._swept:
            self._sweep()
        disk = self._read_disk()
        if disk != self._base_text:
            if disk is None:
                raise ConflictError(
                    _(
                        "{file}: was deleted or moved while it was being edited: nothing written"
                    ).format(file=self.shown)
                )
            if self._base_text is None:
                raise ConflictError(_exists(self.shown))
            theirs = parse_review(disk, self.shown)
            base = parse_review(self._base_text, self.shown)
            try:
                review = merge_reviews(base, review, theirs, who)
            except MergeConflict as exc:
                raise ConflictError(
                    _(
                        "{file}: changed on disk since it was read, and both edits changed "
                        "{entries}: nothing written; reload the review and make your change again"
                    ).format(file=self.shown, entries=", ".join(exc.entries))
                ) from None
        data = review_data(review)
        try:
            Review.model_validate(_unchecked_known(data, review, self._texts))
        except ValidationError as exc:
            problems = validation_problems(exc, Review, self.shown, {})
            raise InputError(
                _("{file}: not saved: the review is not valid").format(file=self.shown), problems
            ) from None
        text = toml_text(data, self._texts)
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = text[exc.start : exc.end]
            raise InputError(
                _(
                    "{file}: not saved: the text holds {text!r}, which is not valid UTF-8 (a file "
                    "name or argument in another encoding?)"
                ).format(file=self.shown, text=bad)
            ) from None
        write_atomic(self.path, raw, self.shown)
        self._base_text = text
        self._stat = self._signature()
        return review

    def transact(self, fn: Callable[[Review], T], who: str = "") -> T:
        """Lock, read the file fresh, apply ``fn`` to the review, save; returns ``fn``'s result.

        When ``fn`` raises, nothing is written.
        """
        with self.lock():
            review = self.load()
            result = fn(review)
            self._save_locked(review, who)
            return result
