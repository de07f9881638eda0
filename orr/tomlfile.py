"""Reading TOML with positions, turning pydantic errors into problems a user can act on, and
writing TOML atomically.

tomllib gives no positions for values, so `locate_lines` scans the text once and maps each
key path (``("pillars", 0, "questions", 3, "severity")``) to the line it is written on.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported when a model is validated, not with this module
    from pydantic import BaseModel, ValidationError
    from pydantic_core import PydanticCustomError

try:  # tomli is tomllib's upstream, compiled with mypyc: three times faster on large files
    import tomli as tomllib

    _TOMLI = True
except ImportError:  # pragma: no cover - a platform without tomli's wheel
    import tomllib  # type: ignore[no-redef]

    _TOMLI = False

from orr.errors import InputError, Problem
from orr.i18n import N_, _

PathKey = tuple[str | int, ...]

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def display_path(path: str | Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it. Never
    raises (a symlink loop or a name the system refuses is shown as given)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(p)


def cut(text: str, limit: int = 80) -> str:
    """A value echoed in a message: at most ``limit`` characters (a 10,000-character id is cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, limit: int = 80) -> str:
    """An id or name echoed in a message, quoted: ``'ops_runbooks'``; cut when very long."""
    return repr(cut(text, limit))


# --- paths from the user ---------------------------------------------------------------------------
#
# Every path a user gives (an argument, an include, a review's checklist) is looked up through
# these helpers, so that a symlink loop, a name too long or a NUL byte is one line (exit 2), never
# a traceback: on Python 3.11 `Path.resolve()` raises RuntimeError for a loop, `exists()` raises
# OSError for a name too long, and every call raises ValueError for a NUL byte.


_SYMLINK_LOOP = N_("a symlink loop")
_NUL = N_("it holds a NUL character")
_REFUSED = N_("a name the system refuses")


def _reason(exc: BaseException) -> str:
    """`path_reason` before translation: one of the marked reasons above, or the system's
    own words (``exc.strerror``)."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return _SYMLINK_LOOP
    if isinstance(exc, ValueError):
        return _NUL
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return _REFUSED


def path_reason(exc: BaseException) -> str:
    """Why the system cannot use a path, in words (the system's own words stay as it gives
    them)."""
    reason = _reason(exc)
    return _(reason) if reason in (_SYMLINK_LOOP, _NUL, _REFUSED) else reason


def resolve_path(path: Path, shown: str | None = None) -> Path:
    """``path.resolve()`` (symlinks followed); InputError naming the path when the system cannot
    look it up."""
    try:
        path.exists()
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        where = shown if shown is not None else cut(str(path), 200)
        raise InputError(
            _("{path}: cannot use this path ({reason})").format(path=where, reason=path_reason(exc))
        ) from None


def file_kind(path: Path) -> str | None:
    """What is at ``path`` when it is not a regular file (``"no such file"``, ``"a folder"``,
    ``"a named pipe (FIFO)"``, ``"a device"``, ``"a symlink loop"``, ...); None for a file.
    Looks, never opens: a FIFO would block and a device never ends. The answer is a key in
    English whatever the language: `kind_problem` says it in words."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "no such file"
    except (OSError, ValueError) as exc:
        return _reason(exc)
    return _kind(mode)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


_KIND_PROBLEMS = {
    "no such file": N_("no such file"),
    "a folder": N_("is a folder, not a file"),
    "a named pipe (FIFO)": N_("is a named pipe (FIFO), not a file"),
    "a device": N_("is a device, not a file"),
    "a socket": N_("is a socket, not a file"),
    "a special file": N_("is a special file, not a file"),
    _SYMLINK_LOOP: N_("is a symlink loop, not a file"),
    _REFUSED: N_("is a name the system refuses, not a file"),
}


def kind_problem(kind: str) -> str:
    """The message for `file_kind`'s answer: "no such file", "is a folder, not a file", ..."""
    problem = _KIND_PROBLEMS.get(kind)
    if problem is not None:
        return _(problem)
    if kind.startswith("a "):
        return _("is {kind}, not a file").format(kind=kind)
    reason = _(kind) if kind == _NUL else kind
    return _("cannot read ({reason})").format(reason=reason)


def read_text(path: Path, shown: str | None = None) -> str:
    """The text of a UTF-8 file. InputError (one line naming the file) when it is missing, not a
    regular file, unreadable or not UTF-8; a FIFO or a device is refused without being read."""
    if shown is None:
        shown = display_path(path)
    kind = file_kind(path)
    if kind is not None:
        raise InputError(f"{shown}: {kind_problem(kind)}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as exc:
        raise InputError(_read_problem(shown, path_reason(exc))) from None
    try:
        # The file may have been swapped since it was looked at: check what was opened.
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise InputError(f"{shown}: {kind_problem(kind)}")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputError(_read_problem(shown, path_reason(exc))) from None
    finally:
        os.close(fd)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            _("{file}:{line}: not UTF-8 text (byte {byte})").format(
                file=shown, line=line, byte=exc.start
            )
        ) from None


def _read_problem(shown: str, reason: str) -> str:
    return _("{file}: cannot read ({reason})").format(file=shown, reason=reason)


TOMLDecodeError = tomllib.TOMLDecodeError

# tomli refuses values nested more than 400 levels deep with a RecursionError (as the standard
# library's tomllib does when it runs out of stack): both become a TOMLDecodeError with a place.
_MAX_NESTING = 400


def _too_deep(text: str) -> TOMLDecodeError:
    """The error for values nested too deeply, at the first bracket past the limit (or the
    deepest one): a rough scan that skips quoted strings, enough to point at the place."""
    depth = deepest = pos = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote or ch == "\n":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest, pos = depth, i
                if depth > _MAX_NESTING:
                    break
        elif ch in "]}":
            depth = max(depth - 1, 0)
    message = _("values nested more than {limit} levels deep").format(limit=_MAX_NESTING)
    if _TOMLI:
        return TOMLDecodeError(message, text, pos)
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return TOMLDecodeError(f"{message} (at line {line}, column {column})")


def loads(text: str) -> dict[str, Any]:
    """Parse TOML (tomli when installed, else the standard library's tomllib). Raises only
    TOMLDecodeError: values nested too deeply are one too. A byte-order mark is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise _too_deep(text) from None


def parse_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes an InputError with file, line and column."""
    try:
        return loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        if m is None and "(at end of document)" in msg:
            lines = text.splitlines() or [""]
            msg = msg.replace(
                "(at end of document)", f"(at line {len(lines)}, column {len(lines[-1]) + 1})"
            )
            m = _TOML_POS.search(msg)
        cause = _TOML_POS.sub("", msg).strip().rstrip(".")
        message = _("TOML syntax error: {cause}").format(cause=cause)
        if m:
            problem = Problem(
                message,
                file=shown,
                line=int(m.group(1)),
                column=int(m.group(2)),
            )
        else:
            problem = Problem(message, file=shown)
        raise InputError(problem.format(), [problem]) from None


def load_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file; returns the data and the text (for line lookups)."""
    text = read_text(path)
    return parse_toml(text, display_path(path)), text


# --- positions -----------------------------------------------------------------------------------


def _split_key(raw: str) -> list[str]:
    """Split a dotted TOML key (bare or quoted parts)."""
    parts: list[str] = []
    i = 0
    raw = raw.strip()
    while i < len(raw):
        ch = raw[i]
        if ch in " \t.":
            i += 1
            continue
        if ch in "\"'":
            end = raw.find(ch, i + 1)
            if end < 0:
                end = len(raw)
            parts.append(raw[i + 1 : end])
            i = end + 1
            continue
        m = _BARE_KEY.match(raw, i)
        if not m:
            break
        parts.append(m.group(0))
        i = m.end()
    return parts


def _key_end(line: str) -> int:
    """Index of the '=' that ends a key on this line, or -1 (quotes respected)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "=":
            return i
        elif ch == "#":
            return -1
    return -1


class LineMap(Mapping[PathKey, int]):
    """Key paths -> line numbers, worked out on first use: only a file with a problem pays for
    the scan, so loading a large valid checklist costs nothing extra."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[PathKey, int] | None = None

    @property
    def lines(self) -> dict[PathKey, int]:
        if self._lines is None:
            self._lines = scan_lines(self._text)
        return self._lines

    def __getitem__(self, key: PathKey) -> int:
        return self.lines[key]

    def __contains__(self, key: object) -> bool:
        return key in self.lines

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


def locate_lines(text: str) -> LineMap:
    """Key paths -> 1-based line numbers, computed lazily (see `scan_lines`)."""
    return LineMap(text)


def scan_lines(text: str) -> dict[PathKey, int]:
    """Map key paths to 1-based line numbers (tables, array-of-table elements, keys, and the
    elements of arrays written over several lines)."""
    text = text.removeprefix("\ufeff")
    lines: dict[PathKey, int] = {}
    last_index: dict[PathKey, int] = {}
    current: list[str | int] = []
    in_ml = ""  # the closing delimiter of a multi-line string being skipped
    stack: list[str] = []  # open brackets of a value: "[" or "{"
    array_key: list[PathKey] = []  # for each open "[": the key path of that array
    element: list[int] = []
    expect: list[bool] = []

    def resolve(names: list[str], new_element: bool) -> list[str | int]:
        segs: list[str | int] = []
        for pos, name in enumerate(names):
            segs.append(name)
            key = tuple(segs)
            last = pos == len(names) - 1
            if last and new_element:
                idx = last_index.get(key, -1) + 1
                last_index[key] = idx
                segs.append(idx)
            elif key in last_index:
                segs.append(last_index[key])
        return segs

    def scan(s: str, start: int, lineno: int, key: PathKey) -> None:
        nonlocal in_ml
        i = start
        while i < len(s):
            ch = s[i]
            if in_ml:
                end = s.find(in_ml, i)
                if end < 0:
                    return
                i = end + 3
                in_ml = ""
                continue
            if ch == "#":
                return
            if ch in " \t\r":
                i += 1
                continue
            if stack and stack[-1] == "[" and expect[-1] and ch not in ",]":
                element[-1] += 1
                expect[-1] = False
                lines.setdefault((*array_key[-1], element[-1]), lineno)
            if s.startswith('"""', i) or s.startswith("'''", i):
                delim = s[i : i + 3]
                end = s.find(delim, i + 3)
                if end < 0:
                    in_ml = delim
                    return
                i = end + 3
                continue
            if ch in "\"'":
                j = i + 1
                while j < len(s):
                    if ch == '"' and s[j] == "\\":
                        j += 2
                        continue
                    if s[j] == ch:
                        break
                    j += 1
                i = j + 1
                continue
            if ch == "[":
                parent = array_key[-1] + (element[-1],) if stack and stack[-1] == "[" else key
                stack.append("[")
                array_key.append(parent if stack[:-1] else key)
                element.append(-1)
                expect.append(True)
            elif ch == "{":
                stack.append("{")
            elif ch in "]}":
                if stack:
                    if stack.pop() == "[":
                        array_key.pop()
                        element.pop()
                        expect.pop()
            elif ch == "," and stack and stack[-1] == "[":
                expect[-1] = True
            i += 1

    value_key: PathKey = ()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if in_ml or stack:
            scan(line, 0, lineno, value_key)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            names = _split_key(stripped[2 : stripped.find("]]")])
            current = resolve(names, new_element=True)
            lines.setdefault(tuple(current), lineno)
            continue
        if stripped.startswith("["):
            names = _split_key(stripped[1 : stripped.find("]")])
            current = resolve(names, new_element=False)
            lines.setdefault(tuple(current), lineno)
            continue
        eq = _key_end(line)
        if eq < 0:
            continue
        value_key = (*current, *_split_key(line[:eq]))
        lines.setdefault(value_key, lineno)
        scan(line, eq + 1, lineno, value_key)
    return lines


def line_of(lines: Mapping[PathKey, int], loc: Sequence[str | int]) -> int | None:
    """The line of the longest known prefix of ``loc``."""
    key = tuple(loc)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def path_text(loc: Sequence[str | int]) -> str:
    """``answers.ops_runbooks.evidence[0].url``: a field's place, as messages show it (a key of
    thousands of characters cut)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = cut(str(part))
            out += f".{name}" if out else name
    return out


# --- pydantic errors -> problems -------------------------------------------------------------------

USER_ERROR = "orr_value"


def user_error(message: str) -> PydanticCustomError:
    """A validator's error whose message is complete as it is (it names the value itself), shown
    after the file, line and field without pydantic's wording or the input repeated."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(USER_ERROR, "{message}", {"message": message})


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (for "did you mean")."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside list[X], X | None, dict[str, X], Annotated[X, ...]."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and isinstance(origin, type) and issubclass(origin, BaseModel):
        return origin
    meta = getattr(annotation, "__metadata__", None)
    if meta is not None:
        return _inner_model(getattr(annotation, "__origin__", None))
    return None


def _clean_loc(loc: Sequence[str | int]) -> list[str | int]:
    # Drop pydantic's union-branch and validator tags (e.g. 'function-after[...]', 'str').
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in {"str", "Resource"}):
            continue
        out.append(part)
    return out


_NOT_A = {
    "string_type": N_("{value} is not a string"),
    "int_type": N_("{value} is not a whole number"),
    "bool_type": N_("{value} is not true or false"),
    "list_type": N_("{value} is not a list"),
    "dict_type": N_("{value} is not a table"),
    "model_type": N_("{value} is not a table"),
}


def validation_problems(
    exc: ValidationError,
    model: type[BaseModel],
    shown: str,
    lines: Mapping[PathKey, int],
    prefix: Sequence[str | int] = (),
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        loc = [*prefix, *_clean_loc(err["loc"])]
        kind = err["type"]
        if kind == "extra_forbidden":
            field = str(loc[-1])
            holder = _model_at(model, loc[len(prefix) :])
            allowed = sorted(holder.model_fields) if holder else []
            match = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
            if match:
                hint = _("did you mean {name!r}?").format(name=match[0])
            else:
                hint = _("allowed: {fields}").format(fields=", ".join(allowed))
            message = _("unknown field {field!r} ({hint})").format(field=field, hint=hint)
        elif kind == USER_ERROR:
            message = str(err["msg"])
        elif kind == "missing":
            message = _("missing (required)")
        elif kind == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            message = _("{value} is not allowed: use {expected}").format(
                value=_short(err["input"]), expected=expected
            )
        elif kind in _NOT_A:
            message = _(_NOT_A[kind]).format(value=_short(err["input"]))
        elif kind == "too_short" and isinstance(err.get("input"), list):
            message = _("needs at least {count} item(s)").format(
                count=err.get("ctx", {}).get("min_length", 1)
            )
        elif kind == "string_too_short":
            message = _("must not be empty")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            message = f"{_short(err['input'])}: {msg}" if "input" in err else msg
        key = (path_text(loc), message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(
            Problem(message, file=shown, line=line_of(lines, loc), path=path_text(loc) or None)
        )
    return problems


# --- atomic writes ---------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, shown: str | None = None) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old or the new file, never a mix:
    a temporary file in the same folder, flushed and fsynced, then renamed over the target.

    A failure is an InputError naming the file (``shown``, else the path as the user would
    write it) and the system's reason; nothing is left behind and the old file is untouched."""
    try:
        _write_atomic(path, data)
    except (OSError, RuntimeError, ValueError) as exc:
        reason = path_reason(exc)
        raise InputError(
            _("{file}: cannot write ({reason})").format(
                file=shown or display_path(path), reason=reason
            )
        ) from None


def _write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent
    try:
        # Also refuses a target the system cannot look up (a symlink loop) before writing.
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, mode)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows it)."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
