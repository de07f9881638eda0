"""Validate any custom lens JSON, not only orr's: every violation with its JSON path.

Errors are what the Well-Architected Tool (its format page or its API model, whichever is
stricter) rejects; warnings are what it may reject or silently ignore (texts over the API model's
1024 characters, unknown keys, duplicate keys). `validate_lens_document` checks a parsed document;
`validate_lens_text` also checks the text itself: JSON syntax (line and column), size in UTF-8
bytes, NaN / Infinity, duplicate keys and a byte-order mark.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from orr.checklist.rules import Default, Expr, RuleSyntaxError, parse, suggest, variables
from orr.i18n import N_, _
from orr.lens.format import (
    ADDITIONAL_KEYS,
    ADDITIONAL_TYPES,
    CHOICE_KEYS,
    DEFAULT_CONDITION,
    ID_CHARS,
    LENS_KEYS,
    MAX_ADDITIONAL_ITEMS,
    MAX_BYTES,
    MAX_CHOICE_ID,
    MAX_CHOICES,
    MAX_NAME,
    MAX_PILLAR_ID,
    MAX_PILLARS,
    MAX_QUESTION_ID,
    MAX_QUESTIONS,
    MAX_RULES,
    MAX_TEXT,
    MAX_URL,
    MIN_ID,
    PILLAR_KEYS,
    QUESTION_KEYS,
    RESOURCE_KEYS,
    RISKS,
    RULE_KEYS,
    SCHEMA_VERSION,
    URL_SCHEMES,
    WARN_TEXT,
    is_none_choice_id,
    join_path,
    looks_like_none_title,
)
from orr.tomlfile import cut

ERROR = "error"
WARNING = "warning"

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Control characters: C0 (NUL, BEL, ESC, ...), DEL and C1. A text of several lines (descriptions,
# displayText) may hold tabs and line breaks (LF, CR LF or CR); a one-line text (names, titles)
# none.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: N_("backspace"),
    0x09: N_("tab"),
    0x0A: N_("line break"),
    0x0D: N_("carriage return"),
    0x1B: "ESC",
    0x7F: "DEL",
}
_ABSENT = object()
# What a list of the lens holds, one and several (the words of "at most 10 pillars").
_NOUNS = {
    "pillars": (N_("pillar"), N_("pillars")),
    "questions": (N_("question"), N_("questions")),
    "choices": (N_("choice"), N_("choices")),
    "rules": (N_("rule"), N_("rules")),
    "items": (N_("item"), N_("items")),
}


def control_problem(value: str, lines: bool) -> str | None:
    """What is wrong when ``value`` holds a control character (None when it holds none): the
    first one, named, with its position. ``lines``: tabs and line breaks are allowed."""
    pattern = _CONTROL_LINES if lines else _CONTROL_ONE_LINE
    found = pattern.search(value)
    if found is None:
        return None
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code)
    shown = f"{_(name)}, U+{code:04X}" if name else f"U+{code:04X}"
    count = len(pattern.findall(value))
    more = _(" and {count} more").format(count=count - 1) if count > 1 else ""
    why = _(" (a name or title is one line: no tab or line break)") if code in (9, 10, 13) else ""
    at = found.start() + 1
    return _(
        "holds a control character ({character}) at character {position}{more}: remove it{why}"
    ).format(character=shown, position=at, more=more, why=why)


@dataclass(frozen=True)
class LensProblem:
    """One violation: where (a JSON path such as ``pillars[2].questions[4].title``; empty for the
    whole document), what is wrong, and whether the WA Tool rejects it (error) or may (warning)."""

    path: str
    message: str
    severity: str = ERROR
    line: int | None = None
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }
        if self.line is not None:
            out["line"] = self.line
            out["column"] = self.column
        return out


class LensSyntaxError(ValueError):
    """The text is not JSON (or cannot be read as such); ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


class NonFinite:
    """A NaN, Infinity or -Infinity found in the text: not JSON, kept to be reported with its path."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class _DuplicateKeys(dict[str, Any]):
    """A JSON object that had the same key more than once (the last value is kept)."""

    duplicates: list[str]


@dataclass
class ParsedLens:
    """A lens text parsed: the document, the problems found in the text itself, its size."""

    doc: object
    size: int
    problems: list[LensProblem] = field(default_factory=list)


def describe(value: object) -> str:
    """A value's JSON type, as a user reads it in "expected a string, found ..."."""
    if value is None:
        return "null"
    if isinstance(value, NonFinite):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int | float):
        return _("a number ({value})").format(value=repr(value))
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def parse_lens_text(text: str) -> ParsedLens:
    """Parse a lens text. Raises `LensSyntaxError` (with line and column) when it is not JSON.

    NaN and Infinity (which Python's json accepts but JSON does not) and duplicate keys are kept
    and reported as problems with their JSON paths.
    """
    problems: list[LensProblem] = []
    if text.startswith("\ufeff"):
        problems.append(
            LensProblem(
                "",
                _("the file starts with a byte-order mark: save it as UTF-8 without one"),
                WARNING,
            )
        )
        text = text[1:]
    size = len(text.encode("utf-8", "surrogatepass"))
    flagged = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal flagged
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        flagged = True
        dup = _DuplicateKeys(obj)
        seen: set[str] = set()
        dup.duplicates = []
        for key, _value in items:
            if key in seen and key not in dup.duplicates:
                dup.duplicates.append(key)
            seen.add(key)
        return dup

    def constant(name: str) -> NonFinite:
        nonlocal flagged
        flagged = True
        return NonFinite(name)

    try:
        doc = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise LensSyntaxError(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:
        raise LensSyntaxError(_("nested too deeply"), 1, 1) from None
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        raise LensSyntaxError(str(exc), 1, 1) from None
    if flagged:
        problems.extend(_text_level_problems(doc))
    return ParsedLens(doc=doc, size=size, problems=problems)


def _text_level_problems(doc: object) -> list[LensProblem]:
    found: list[LensProblem] = []
    stack: list[tuple[str, object]] = [("", doc)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, NonFinite):
            found.append(
                LensProblem(
                    path,
                    _("{value} is not valid JSON (write a string or leave the key out)").format(
                        value=value.text
                    ),
                )
            )
        elif isinstance(value, dict):
            if isinstance(value, _DuplicateKeys):
                for key in value.duplicates:
                    found.append(
                        LensProblem(
                            join_path(path, key),
                            _("duplicate key: only the last value is used"),
                            WARNING,
                        )
                    )
            for key, item in reversed(list(value.items())):
                stack.append((join_path(path, key), item))
        elif isinstance(value, list):
            for i in range(len(value) - 1, -1, -1):
                stack.append((join_path(path, i), value[i]))
    return found


def validate_lens_text(text: str) -> list[LensProblem]:
    """Every problem of a lens text: JSON syntax (one problem, with line and column), size in
    UTF-8 bytes, NaN / Infinity, duplicate keys, and every violation of the document."""
    try:
        parsed = parse_lens_text(text)
    except LensSyntaxError as exc:
        return [
            LensProblem(
                "",
                _("not valid JSON: {message} (line {line}, column {column})").format(
                    message=exc.message, line=exc.line, column=exc.column
                ),
                ERROR,
                exc.line,
                exc.column,
            )
        ]
    return validate_parsed(parsed)


def validate_parsed(parsed: ParsedLens) -> list[LensProblem]:
    """The problems of a parsed lens text: those of the text, then those of the document."""
    problems = validate_lens_document(parsed.doc, size=parsed.size)
    reported = {p.path for p in problems if p.is_error}
    text_level = [p for p in parsed.problems if not (p.is_error and p.path in reported)]
    return text_level + problems


def document_size(doc: object) -> int | None:
    """The UTF-8 size of the document's most compact JSON (the least it can take, as
    `orr.lens.export.lens_json` writes it: with a final newline), or None when it cannot be
    written as JSON at all."""
    try:
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return len(text.encode("utf-8")) + 1
    except (TypeError, ValueError, UnicodeEncodeError):
        return None


def validate_lens_document(
    doc: object, *, size: int | None = None, conditions: Mapping[str, Expr] | None = None
) -> list[LensProblem]:
    """Every violation of a lens document, errors and warnings, in document order.

    ``size`` is the UTF-8 size of the text that will be sent; without it, the size of the
    document's compact JSON is checked. ``conditions`` maps condition texts to their parse by
    `orr.checklist.rules.parse`, when the caller has them already (the choice ids they name are
    still checked).
    """
    checker = _Checker(conditions)
    checker.lens(doc)
    if size is None:
        size = document_size(doc)
    if size is not None and size > MAX_BYTES:
        checker.problems.insert(
            0,
            LensProblem(
                "",
                _("{size} bytes (UTF-8): a lens is at most {limit} bytes").format(
                    size=f"{size:,}", limit=f"{MAX_BYTES:,}"
                ),
            ),
        )
    return checker.problems


def errors_of(problems: Sequence[LensProblem]) -> list[LensProblem]:
    return [p for p in problems if p.is_error]


def warnings_of(problems: Sequence[LensProblem]) -> list[LensProblem]:
    return [p for p in problems if not p.is_error]


def unknown_key_hint(key: str, known: Sequence[str]) -> str:
    """' (did you mean 'url'?)' for a key that differs from a known one by case or a typo."""
    for k in known:
        if k.lower() == key.lower():
            return _(" (did you mean {key}?)").format(key=repr(k))
    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    return _(" (did you mean {key}?)").format(key=repr(match[0])) if match else ""


class _Checker:
    def __init__(self, conditions: Mapping[str, Expr] | None = None) -> None:
        self.problems: list[LensProblem] = []
        self.question_ids: dict[str, str] = {}
        self.question_id: str | None = None  # the question being checked, named in some errors
        self.conditions: Mapping[str, Expr] = conditions or {}

    def error(self, path: str, message: str) -> None:
        self.problems.append(LensProblem(path, message, ERROR))

    def warn(self, path: str, message: str) -> None:
        self.problems.append(LensProblem(path, message, WARNING))

    def in_question(self) -> str:
        """`` (question <id>)`` inside a question: the place as a checklist names it."""
        if not self.question_id:
            return ""
        return _(" (question {id})").format(id=cut(self.question_id, 60))

    # --- generic checks -----------------------------------------------------------------------

    def obj(self, value: object, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.error(path, _("expected an object, found {found}").format(found=describe(value)))
        return None

    def keys(self, obj: dict[str, Any], known: Sequence[str], path: str) -> None:
        for key in obj:
            if key not in known:
                self.warn(
                    join_path(path, key),
                    _("unknown key{hint}: the WA Tool ignores it").format(
                        hint=unknown_key_hint(key, known)
                    ),
                )

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool,
        max_len: int,
        warn_len: int | None = None,
        empty_ok: bool = False,
        lines: bool | None = False,
    ) -> str | None:
        """A text of the lens. ``lines``: True for a text of several lines (tabs and line
        breaks allowed), False for one line (no control character at all), None when another
        check covers the characters (ids, rule conditions)."""
        value = obj.get(key, _ABSENT)
        # The common case first, without building the path string.
        if (
            type(value) is str
            and len(value) <= (warn_len or max_len)
            and (value or empty_ok)
            and (value.isascii() or not _SURROGATE.search(value))
            and (
                value.isprintable()
                or lines is None
                or not (_CONTROL_LINES if lines else _CONTROL_ONE_LINE).search(value)
            )
        ):
            return value
        where = join_path(path, key)
        if value is _ABSENT:
            if required:
                self.error(where, _("missing (required)"))
            return None
        if not isinstance(value, str):
            self.error(where, _("expected a string, found {found}").format(found=describe(value)))
            return None
        if not value and not empty_ok:
            self.error(where, _("empty (required)") if required else _("empty: leave the key out"))
            return value
        bad = None if value.isascii() else _SURROGATE.search(value)
        if bad is not None:
            self.error(
                where,
                _("contains an unpaired surrogate ({code}): not Unicode text").format(
                    code=f"\\u{ord(bad.group()):04x}"
                ),
            )
        control = None if lines is None else control_problem(value, lines)
        if control is not None:
            self.error(where, control + self.in_question())
        n = len(value)
        if n > max_len:
            self.error(
                where, _("{count} characters: at most {limit}").format(count=n, limit=max_len)
            )
        elif warn_len is not None and n > warn_len:
            self.warn(
                where,
                _(
                    "{count} characters: the WA API model allows {api} (the format page {limit}); "
                    "the upload may be rejected"
                ).format(count=n, api=warn_len, limit=max_len),
            )
        return value

    def ident(self, obj: dict[str, Any], path: str, max_len: int) -> str | None:
        value = self.text(obj, "id", path, required=True, max_len=10**9, lines=None)
        if not value:
            return None
        n = len(value)
        if ID_CHARS.fullmatch(value) and MIN_ID <= n <= max_len:
            return value
        where = join_path(path, "id")
        if not ID_CHARS.fullmatch(value):
            bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c == "_"))})
            shown = ", ".join(repr(c) for c in bad[:10]) + (", ..." if len(bad) > 10 else "")
            self.error(
                where,
                _("{id}: ids use only letters, digits and _ (found {found})").format(
                    id=_id(value), found=shown
                ),
            )
        if n < MIN_ID or n > max_len:
            self.error(
                where,
                _("{id} has {count} characters: ids have {low} to {high}").format(
                    id=_id(value), count=n, low=MIN_ID, high=max_len
                ),
            )
        return value

    def items(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool,
        low: int,
        high: int,
        noun: str,
    ) -> list[Any] | None:
        where = join_path(path, key)
        one, several = _NOUNS[noun]
        if key not in obj:
            if required:
                self.error(
                    where,
                    _("missing (required: {low} to {high} {things})").format(
                        low=low, high=high, things=_(several)
                    ),
                )
            return None
        value = obj[key]
        if not isinstance(value, list):
            self.error(where, _("expected a list, found {found}").format(found=describe(value)))
            return None
        n = len(value)
        if n < low:
            self.error(
                where,
                _("empty: at least {low} {things}").format(
                    low=low, things=_(one) if low == 1 else _(several)
                ),
            )
        elif n > high:
            self.error(
                where,
                _("{count} {things}: at most {high}").format(count=n, things=_(several), high=high),
            )
        return value

    # --- the lens -----------------------------------------------------------------------------

    def lens(self, doc: object) -> None:
        if not isinstance(doc, dict):
            self.error(
                "",
                _("expected a JSON object (the lens), found {found}").format(found=describe(doc)),
            )
            return
        self.keys(doc, LENS_KEYS, "")
        if "schemaVersion" not in doc:
            self.error(
                "schemaVersion",
                _('missing (required: "{version}")').format(version=SCHEMA_VERSION),
            )
        elif doc["schemaVersion"] != SCHEMA_VERSION:
            value = doc["schemaVersion"]
            shown = repr(value) if isinstance(value, str) else describe(value)
            self.error(
                "schemaVersion",
                _('{value}: must be "{version}"').format(value=shown, version=SCHEMA_VERSION),
            )
        self.text(doc, "name", "", required=True, max_len=MAX_NAME)
        description = self.text(
            doc,
            "description",
            "",
            required=True,
            max_len=MAX_TEXT,
            warn_len=WARN_TEXT,
            empty_ok=True,
            lines=True,
        )
        if description is not None and not description.strip():
            self.error(
                "description",
                _("empty: the WA Tool needs a lens description of at least 1 character"),
            )
        pillars = self.items(
            doc, "pillars", "", required=True, low=1, high=MAX_PILLARS, noun="pillars"
        )
        if pillars is None:
            return
        seen: dict[str, str] = {}
        for i, pillar in enumerate(pillars):
            self.pillar(pillar, f"pillars[{i}]", seen)

    def pillar(self, value: object, path: str, seen: dict[str, str]) -> None:
        pillar = self.obj(value, path)
        if pillar is None:
            return
        self.keys(pillar, PILLAR_KEYS, path)
        pid = self.ident(pillar, path, MAX_PILLAR_ID)
        if pid is not None:
            if pid in seen:
                self.error(
                    join_path(path, "id"),
                    _("{id} is also the id of {other}: pillar ids are unique").format(
                        id=repr(pid), other=seen[pid]
                    ),
                )
            else:
                seen[pid] = path
        self.text(pillar, "name", path, required=True, max_len=MAX_NAME)
        questions = self.items(
            pillar, "questions", path, required=True, low=1, high=MAX_QUESTIONS, noun="questions"
        )
        for i, question in enumerate(questions or ()):
            self.question(question, f"{path}.questions[{i}]")

    def question(self, value: object, path: str) -> None:
        question = self.obj(value, path)
        if question is None:
            return
        try:
            self.question_body(question, path)
        finally:
            self.question_id = None

    def question_body(self, question: dict[str, Any], path: str) -> None:
        self.keys(question, QUESTION_KEYS, path)
        qid = self.ident(question, path, MAX_QUESTION_ID)
        self.question_id = qid
        if qid is not None:
            if qid in self.question_ids:
                self.error(
                    join_path(path, "id"),
                    _("{id} is also the id of {other}: question ids are unique in the lens").format(
                        id=repr(qid), other=self.question_ids[qid]
                    ),
                )
            else:
                self.question_ids[qid] = path
        self.text(question, "title", path, required=True, max_len=MAX_NAME)
        self.text(
            question,
            "description",
            path,
            required=False,
            max_len=MAX_TEXT,
            warn_len=WARN_TEXT,
            empty_ok=True,
            lines=True,
        )
        if "helpfulResource" in question:
            self.resource(question["helpfulResource"], join_path(path, "helpfulResource"))
        choices = self.items(
            question, "choices", path, required=True, low=1, high=MAX_CHOICES, noun="choices"
        )
        choice_ids: list[str] = []
        seen: dict[str, str] = {}
        unreadable = choices is None
        for i, choice in enumerate(choices or ()):
            cpath = f"{path}.choices[{i}]"
            cid = self.choice(choice, cpath)
            if cid is None:
                unreadable = True
                continue
            if cid in seen:
                self.error(
                    join_path(cpath, "id"),
                    _("{id} is also the id of {other}: choice ids are unique in a question").format(
                        id=repr(cid), other=seen[cid]
                    ),
                )
            else:
                seen[cid] = cpath
                choice_ids.append(cid)
        # Rules are checked against the choice ids only when every choice could be read (an
        # unreadable choice is reported once, not again by each rule that names it).
        self.rules(question, path, None if unreadable else choice_ids)

    def choice(self, value: object, path: str) -> str | None:
        choice = self.obj(value, path)
        if choice is None:
            return None
        self.keys(choice, CHOICE_KEYS, path)
        cid = self.ident(choice, path, MAX_CHOICE_ID)
        title = self.text(choice, "title", path, required=True, max_len=MAX_NAME)
        none_choice = cid is not None and is_none_choice_id(cid)
        if cid is not None and not none_choice and title and looks_like_none_title(title):
            self.warn(
                join_path(path, "id"),
                _(
                    '{title} reads as "None of these" but the id does not end in _no: the WA Tool '
                    "treats it as an ordinary practice"
                ).format(title=repr(title)),
            )
        if "helpfulResource" in choice:
            self.resource(choice["helpfulResource"], join_path(path, "helpfulResource"))
        if "improvementPlan" in choice:
            self.resource(choice["improvementPlan"], join_path(path, "improvementPlan"))
        elif not none_choice:
            self.error(
                join_path(path, "improvementPlan"),
                _('missing (required except on a "None of these" choice)'),
            )
        if "additionalResources" in choice:
            self.additional(choice["additionalResources"], join_path(path, "additionalResources"))
        return cid

    def additional(self, value: object, path: str) -> None:
        if not isinstance(value, list):
            self.error(path, _("expected a list, found {found}").format(found=describe(value)))
            return
        types: dict[str, int] = {}
        for i, entry_value in enumerate(value):
            epath = f"{path}[{i}]"
            entry = self.obj(entry_value, epath)
            if entry is None:
                continue
            self.keys(entry, ADDITIONAL_KEYS, epath)
            kind = entry.get("type")
            if "type" not in entry:
                self.error(
                    join_path(epath, "type"),
                    _("missing (required: {values})").format(
                        values=_(" or ").join(ADDITIONAL_TYPES)
                    ),
                )
            elif kind not in ADDITIONAL_TYPES:
                shown = repr(kind) if isinstance(kind, str) else describe(kind)
                self.error(
                    join_path(epath, "type"),
                    _("{value}: must be {values}").format(
                        value=shown, values=_(" or ").join(ADDITIONAL_TYPES)
                    ),
                )
            else:
                assert isinstance(kind, str)
                if kind in types:
                    self.error(
                        join_path(epath, "type"),
                        _(
                            "a second {type} entry (the first is {first}): at most one entry per "
                            "type; put every link in one content list"
                        ).format(type=kind, first=f"{path}[{types[kind]}]"),
                    )
                else:
                    types[kind] = i
            content = self.items(
                entry,
                "content",
                epath,
                required=True,
                low=1,
                high=MAX_ADDITIONAL_ITEMS,
                noun="items",
            )
            for j, item in enumerate(content or ()):
                self.resource(item, f"{epath}.content[{j}]")

    def resource(self, value: object, path: str) -> None:
        resource = self.obj(value, path)
        if resource is None:
            return
        self.keys(resource, RESOURCE_KEYS, path)
        self.text(
            resource,
            "displayText",
            path,
            required=True,
            max_len=MAX_TEXT,
            warn_len=WARN_TEXT,
            lines=True,
        )
        if "url" not in resource:
            return
        where = join_path(path, "url")
        url = resource["url"]
        if not isinstance(url, str):
            self.error(where, _("expected a string, found {found}").format(found=describe(url)))
        elif not url:
            self.error(where, _('empty url: leave the key out rather than send ""'))
        elif not url.startswith(URL_SCHEMES):
            self.error(
                where, _("{url} does not start with http:// or https://").format(url=repr(url))
            )
        elif len(url) > MAX_URL:
            self.error(
                where,
                _("{count} characters: at most {limit}").format(count=len(url), limit=MAX_URL),
            )
        elif not url.isprintable() and (control := control_problem(url, False)) is not None:
            self.error(where, control + self.in_question())

    def rules(self, question: dict[str, Any], path: str, known: list[str] | None) -> None:
        rules = self.items(
            question, "riskRules", path, required=True, low=1, high=MAX_RULES, noun="rules"
        )
        if rules is None:
            return
        rpath = join_path(path, "riskRules")
        default_at: int | None = None
        risks: dict[str, int] = {}
        for i, value in enumerate(rules):
            where = f"{rpath}[{i}]"
            rule = self.obj(value, where)
            if rule is None:
                continue
            self.keys(rule, RULE_KEYS, where)
            condition = self.text(
                rule, "condition", where, required=True, max_len=10**9, empty_ok=True, lines=None
            )
            if condition is not None:
                is_default = self.condition(condition, join_path(where, "condition"), known)
                if is_default and default_at is None:
                    default_at = i
            if "risk" not in rule:
                self.error(
                    join_path(where, "risk"),
                    _("missing (required: {values})").format(values=", ".join(RISKS)),
                )
                continue
            risk = rule["risk"]
            if risk not in RISKS:
                shown = repr(risk) if isinstance(risk, str) else describe(risk)
                self.error(
                    join_path(where, "risk"),
                    _("{value}: must be {values}").format(value=shown, values=", ".join(RISKS)),
                )
                continue
            if risk in risks:
                self.error(
                    join_path(where, "risk"),
                    _(
                        "a second {risk} rule (the first is {first}): at most one rule per risk "
                        "level (join the conditions with ||)"
                    ).format(risk=risk, first=f"{rpath}[{risks[risk]}]"),
                )
            else:
                risks[risk] = i
        if default_at is None:
            if rules:
                self.error(
                    rpath,
                    _('no "{default}" rule: end the rules with {example}').format(
                        default=DEFAULT_CONDITION,
                        example=f'{{"condition": "{DEFAULT_CONDITION}", "risk": ...}}',
                    ),
                )
        elif default_at != len(rules) - 1:
            self.error(
                f"{rpath}[{default_at}].condition",
                _('"default" must be the last rule: the rules after it never apply'),
            )

    def condition(self, condition: str, path: str, known: list[str] | None) -> bool:
        """Check one condition; True when it is the `default` condition."""
        try:
            expr = self.conditions.get(condition) or parse(condition)
            names = variables(expr)
        except RuleSyntaxError as exc:
            self.error(
                path,
                _("{condition}: {message} at column {column}").format(
                    condition=_short(condition), message=exc.message, column=exc.column
                ),
            )
            return False
        if isinstance(expr, Default):
            return True
        if known is not None:
            for name in names:
                if name not in known:
                    self.error(
                        path,
                        _("{name} is not a choice of this question{hint}").format(
                            name=repr(name), hint=suggest(name, known)
                        ),
                    )
        return False


def _id(text: str) -> str:
    """An id echoed in an error: whole up to a little over the longest allowed, else cut."""
    return repr(text) if len(text) <= 140 else repr(cut(text, 140))


def _short(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")
