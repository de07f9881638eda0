"""Reading TOML with positions, turning pydantic errors into problems a user can act on, and
writing TOML atomically.

tomllib gives no positions for values, so `locate_lines` scans the text once and maps each
key path (``("pillars", 0, "questions", 3, "severity")``) to the line it is written on.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

try:  # tomli is tomllib's upstream, compiled with mypyc: three times faster on large files
    import tomli as tomllib
except ImportError:  # pragma: no cover - a platform without tomli's wheel
    import tomllib  # type: ignore[no-redef]

from orr.errors import InputError, Problem

PathKey = tuple[str | int, ...]

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def display_path(path: str | Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def read_text(path: Path) -> str:
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{shown}:{line}: not UTF-8 text (byte {exc.start})") from None


TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """Parse TOML (tomli when installed, else the standard library's tomllib)."""
    return tomllib.loads(text)


def parse_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes an InputError with file, line and column."""
    try:
        return tomllib.loads(text)
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
        if m:
            problem = Problem(
                f"TOML syntax error: {cause}",
                file=shown,
                line=int(m.group(1)),
                column=int(m.group(2)),
            )
        else:
            problem = Problem(f"TOML syntax error: {cause}", file=shown)
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
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- pydantic errors -> problems -------------------------------------------------------------------


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (for "did you mean")."""
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
            hint = f"did you mean {match[0]!r}?" if match else "allowed: " + ", ".join(allowed)
            message = f"unknown field {field!r} ({hint})"
        elif kind == "missing":
            message = "missing (required)"
        elif kind == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{_short(err['input'])} is not allowed: use {expected}"
        elif kind in (
            "string_type",
            "int_type",
            "bool_type",
            "list_type",
            "dict_type",
            "model_type",
        ):
            want = {
                "string_type": "a string",
                "int_type": "a whole number",
                "bool_type": "true or false",
                "list_type": "a list",
                "dict_type": "a table",
                "model_type": "a table",
            }[kind]
            message = f"{_short(err['input'])} is not {want}"
        elif kind == "too_short" and isinstance(err.get("input"), list):
            message = f"needs at least {err.get('ctx', {}).get('min_length', 1)} item(s)"
        elif kind == "string_too_short":
            message = "must not be empty"
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
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{shown or display_path(path)}: cannot write ({reason})") from None


def _write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            try:
                os.chmod(tmp, path.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
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
