"""What orr sends to the WA Tool: text made safe to send, and parameters checked against the
service model before any call, dry run or not.

**What botocore checks, and what it does not.** When a call is made (a dry run makes it too,
only answered locally), botocore validates the parameters against its service model: required
members, unknown members, types and *minimum* lengths. It does not check *maximum* lengths,
enums or patterns, so ``Environment="STAGING"``, 5,000 characters of ``Notes`` or
``Reason="BOGUS"`` would only be refused by the service itself, after the calls before them
were made. `check_params` checks exactly those three, plus integer ranges and list and map
sizes, with the limits read from botocore's own service model for ``wellarchitected`` (the one
the client was made from, loaded from botocore at run time, never copied into orr):

- a string longer than the member's ``max`` (counted as the service counts, in UTF-16 units);
- a string that is not one of the member's ``enum`` values;
- a string that does not match the member's ``pattern`` as a whole (Java's ``\\p{L}``,
  ``\\p{N}`` and ``\\p{Z}`` classes are read as Python's ``\\w``, ``\\d`` and ``\\s``; a pattern
  Python still cannot read is left to the service);
- an integer outside the member's ``min`` .. ``max``; a list or map with too few or too many
  entries.

In a dry run, the placeholders shown for ids that do not exist yet (``<workload id from
CreateWorkload>``, a lens ARN with ``<account>``) are not checked for length or pattern: they
stand for a value the service will make.

**Control characters.** `clean_text` strips ESC, BEL and every other control character from
text before it is sent (tab and newline are kept only in notes, the one kind of field that is
meant to hold lines); `clean_params` applies it to every string parameter of a call, as the
last guard, so that nothing a terminal or the WA Tool console would act on leaves orr.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from orr.errors import InputError
from orr.i18n import N_, _

ENTRIES = N_("entries")

# C0 controls (tab and newline apart), DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?")

# Members whose text may hold lines (the others are one line: names, descriptions, ids).
MULTILINE_MEMBERS = frozenset({"Notes"})
# Members orr never rewrites: the lens JSON (validated on its own, and JSON escapes controls)
# and the idempotency token botocore makes.
VERBATIM_MEMBERS = frozenset({"JSONString", "ClientRequestToken"})

# What a dry run shows for a value the service has not made yet (see orr.wat.client).
_PLACEHOLDER = re.compile(r"<[^<>]+>")


class ParamError(InputError):
    """A parameter orr was about to send breaks a limit of the service model (exit 2)."""


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters: line endings made ``\\n``; in one-line fields, tabs
    and line breaks become spaces."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    if not multiline:
        text = text.replace("\t", " ").replace("\n", " ")
    return text


def clean_params(params: dict[str, Any]) -> dict[str, Any]:
    """Every string of a call's parameters through `clean_text` (names, notes, tags, keys); a
    member named in `MULTILINE_MEMBERS` keeps its lines, one in `VERBATIM_MEMBERS` is left as is."""

    def clean(value: Any, member: str) -> Any:
        if isinstance(value, str):
            if member in VERBATIM_MEMBERS:
                return value
            return clean_text(value, multiline=member in MULTILINE_MEMBERS)
        if isinstance(value, dict):
            return {
                (clean_text(k) if isinstance(k, str) else k): clean(v, str(k))
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [clean(v, member) for v in value]
        return value

    return {key: clean(value, key) for key, value in params.items()}


# --- the service model -----------------------------------------------------------------------------


@cache
def _service_model() -> Any:
    """botocore's model of ``wellarchitected`` (for checks made without a client)."""
    import botocore.session

    return botocore.session.get_session().get_service_model("wellarchitected")


_JAVA_CLASSES = (("\\p{L}", "\\w"), ("\\p{N}", "\\d"), ("\\p{Z}", "\\s"))


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    for java, python in _JAVA_CLASSES:
        text = text.replace(java, python)
    try:
        return re.compile(text)
    except re.error:
        return None


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _shown(value: str, limit: int = 40) -> str:
    flat = clean_text(value)
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def _count(n: int) -> str:
    return f"{n:,}"


def shape_problems(shape: Any, value: Any, path: str, *, dry_run: bool = False) -> list[str]:
    """What in ``value`` breaks the limits of ``shape`` (a botocore shape), one line each."""
    kind = shape.type_name
    meta = shape.metadata
    out: list[str] = []
    if kind == "structure" and isinstance(value, dict):
        for key, item in value.items():
            member = shape.members.get(key)
            if member is not None:
                where = f"{path}.{key}" if path else key
                out += shape_problems(member, item, where, dry_run=dry_run)
    elif kind == "list" and isinstance(value, list | tuple):
        out += _size(meta, len(value), path, ENTRIES)
        for i, item in enumerate(value):
            out += shape_problems(shape.member, item, f"{path}[{i}]", dry_run=dry_run)
    elif kind == "map" and isinstance(value, dict):
        out += _size(meta, len(value), path, ENTRIES)
        for key, item in value.items():
            where = _("{path} key {key}").format(path=path, key=_shown(str(key)))
            out += shape_problems(shape.key, key, where, dry_run=dry_run)
            out += shape_problems(shape.value, item, f"{path}[{key}]", dry_run=dry_run)
    elif kind == "string" and isinstance(value, str):
        out += _string(meta, value, path, dry_run)
    elif kind in ("integer", "long") and isinstance(value, int) and not isinstance(value, bool):
        low, high = meta.get("min"), meta.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            out.append(
                _("{path}: {value} is outside {low}..{high}").format(
                    path=path, value=value, low=low, high=high
                )
            )
    return out


def _size(meta: dict[str, Any], n: int, path: str, what: str) -> list[str]:
    low, high = meta.get("min"), meta.get("max")
    if high is not None and n > high:
        return [
            _("{path}: {count} {what}, the WA Tool takes at most {high}").format(
                path=path, count=n, what=_(what), high=high
            )
        ]
    if low is not None and n < low:
        return [
            _("{path}: {count} {what}, the WA Tool needs at least {low}").format(
                path=path, count=n, what=_(what), low=low
            )
        ]
    return []


def _string(meta: dict[str, Any], value: str, path: str, dry_run: bool) -> list[str]:
    if dry_run and _PLACEHOLDER.search(value):
        return []
    out: list[str] = []
    enum = meta.get("enum")
    if enum and value not in enum:
        out.append(
            _("{path}: {value} is not one of {values}").format(
                path=path, value=_shown(value), values=", ".join(enum)
            )
        )
        return out
    high, low = meta.get("max"), meta.get("min")
    size = _units(value)
    if high is not None and size > high:
        out.append(
            _("{path}: {count} characters, the WA Tool takes at most {high}").format(
                path=path, count=_count(size), high=_count(high)
            )
        )
    elif low is not None and size < low:
        out.append(
            _("{path}: {count} characters, the WA Tool needs at least {low}").format(
                path=path, count=_count(size), low=low
            )
        )
    pattern = meta.get("pattern")
    if pattern and not out:
        compiled = _pattern(pattern)
        if compiled is not None and not compiled.fullmatch(value):
            out.append(
                _("{path}: {value} does not match the pattern {pattern}").format(
                    path=path, value=_shown(value), pattern=pattern
                )
            )
    return out


def check_params(
    operation: str,
    params: dict[str, Any],
    service_model: Any | None = None,
    *,
    dry_run: bool = False,
) -> list[str]:
    """Every limit of the service model (maxima, enums, patterns, ranges, sizes) that
    ``params`` of ``operation`` break; empty when they fit."""
    model = service_model if service_model is not None else _service_model()
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return []
    return shape_problems(shape, params, "", dry_run=dry_run)


def raise_if_invalid(
    operation: str,
    params: dict[str, Any],
    service_model: Any | None = None,
    *,
    dry_run: bool = False,
) -> None:
    """`ParamError` naming the first problem (and how many more) when ``params`` break the
    service model: nothing is sent."""
    problems = check_params(operation, params, service_model, dry_run=dry_run)
    if problems:
        more = _(" (and {count} more)").format(count=len(problems) - 1) if len(problems) > 1 else ""
        raise ParamError(
            _(
                "{operation}: {problem}{more}: nothing was sent (checked against the WA Tool's "
                "service model)"
            ).format(operation=operation, problem=problems[0], more=more)
        )


def enum_of(shape_name: str) -> Iterable[str]:
    """The values of an enum shape of the model (for a front end's choices)."""
    shape = _service_model().shape_for(shape_name)
    return tuple(shape.metadata.get("enum", ()))
