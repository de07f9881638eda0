"""Well-Architected custom lens JSON -> checklist TOML, losslessly.

`orr lens export` turns the files written here back into the same lens: same pillars, questions,
choices (the lens's own "None of these" choices included, in place), ids, titles, texts,
resources, additional resources, and risk rules with their conditions kept verbatim.

Lenses found in the wild are not always valid. What can be repaired without losing anything is
repaired and reported as a warning with its JSON path (an empty url is dropped, a ``Url`` key is
read as ``url``, a missing ``default`` rule is added as HIGH_RISK, unknown keys are dropped).
What cannot be (a non-string title, a rule that does not parse, duplicate ids) is refused with
an `InputError` that lists each problem, one line each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orr.checklist.files import checklist_toml, write_files
from orr.checklist.model import (
    Checklist,
    ChecklistPillar,
    ChecklistQuestion,
    Manifest,
    SourceFile,
)
from orr.checklist.rules import (
    Default,
    Expr,
    ParsedRule,
    RuleSyntaxError,
    parse,
    suggest,
    truth_table,
    variables,
)
from orr.errors import InputError, Problem
from orr.i18n import DEFAULT, SUPPORTED, _, gettext_in
from orr.lens.format import (
    ADDITIONAL_KEYS,
    BEST_PRACTICE_ID,
    CHOICE_KEYS,
    DEFAULT_CONDITION,
    EVIDENCE_HEADING,
    EVIDENCE_MORE,
    HELPFUL_RESOURCE,
    ID_CHARS,
    IMPROVEMENT_PLAN,
    LENS_KEYS,
    PILLAR_KEYS,
    QUESTION_KEYS,
    RESOURCE_KEYS,
    RISKS,
    RULE_KEYS,
    SCHEMA_VERSION,
    SOURCE_ID,
    SOURCES_HEADING,
    SOURCES_SEPARATOR,
    URL_SCHEMES,
    is_none_choice_id,
    join_path,
    looks_like_none_title,
)
from orr.lens.validate import (
    WARNING,
    LensProblem,
    LensSyntaxError,
    describe,
    errors_of,
    parse_lens_text,
)
from orr.tomlfile import quoted
from orr.values import make_id

MANIFEST_FILE = "orr.toml"
SOURCE_KIND = "imported"
OWNER_ROLE = "owner"
# Above this many choices the exact reachability analysis (2**n selections) is not attempted; the
# lens allows 15.
_EXACT_CHOICES = 16
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TYPE_TO_MORE = {HELPFUL_RESOURCE: "helpful", IMPROVEMENT_PLAN: "improvement"}


@dataclass
class ImportResult:
    """A lens turned into checklist files: the manifest and one source file per pillar (TOML
    data, in include order), the repairs made (warnings with JSON paths)."""

    lens_id: str
    name: str
    manifest: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    warnings: list[LensProblem] = field(default_factory=list)
    questions: int = 0

    @property
    def files(self) -> list[str]:
        return [MANIFEST_FILE, *self.sources]


class _Refused(Exception):
    """Raised inside the importer when a value cannot be read at all."""


class _Importer:
    def __init__(self) -> None:
        self.warnings: list[LensProblem] = []
        self.refusals: list[tuple[str, str]] = []

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(LensProblem(path, message, WARNING))

    def refuse(self, path: str, message: str) -> None:
        self.refusals.append((path, message))

    # --- generic readers ----------------------------------------------------------------------

    def obj(self, value: object, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.refuse(path, _("expected an object, found {found}").format(found=describe(value)))
        return None

    def fields(self, obj: dict[str, Any], known: Sequence[str], path: str) -> dict[str, Any]:
        """The known keys of an object. A key that differs from a known one only by case
        (``Url``) is read as that key; any other key is dropped. Both are warnings."""
        out: dict[str, Any] = {k: obj[k] for k in known if k in obj}
        for key, value in obj.items():
            if key in known:
                continue
            where = join_path(path, key)
            match = next((k for k in known if k.lower() == key.lower()), None)
            if match is None:
                self.warn(where, _("unknown key: dropped (the WA Tool ignores it)"))
            elif match in out:
                self.warn(where, _("dropped: {key} is also given").format(key=repr(match)))
            else:
                out[match] = value
                self.warn(where, _("read as {key}").format(key=repr(match)))
        return out

    def string(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool, nonempty: bool = False
    ) -> str | None:
        where = join_path(path, key)
        if key not in obj:
            if required:
                self.refuse(where, _("missing (required)"))
            return None
        value = obj[key]
        if not isinstance(value, str):
            self.refuse(where, _("expected a string, found {found}").format(found=describe(value)))
            return None
        if not value.isascii() and _SURROGATE.search(value):
            self.refuse(where, _("contains an unpaired surrogate: not Unicode text"))
            return None
        if nonempty and not value:
            self.refuse(where, _("empty (required)"))
            return None
        return value

    def ident(self, obj: dict[str, Any], path: str) -> str | None:
        value = self.string(obj, "id", path, required=True, nonempty=True)
        if value is not None and not ID_CHARS.fullmatch(value):
            self.refuse(
                join_path(path, "id"),
                _("{id}: ids use only letters, digits and _").format(id=quoted(value)),
            )
            return None
        return value

    def resource(self, value: object, path: str) -> dict[str, str] | None:
        """A resource as {text, url?}; None when it is dropped (empty) or refused."""
        obj = self.obj(value, path)
        if obj is None:
            return None
        f = self.fields(obj, RESOURCE_KEYS, path)
        url: str | None = None
        if "url" in f:
            raw = f["url"]
            where = join_path(path, "url")
            if not isinstance(raw, str):
                self.refuse(
                    where, _("expected a string, found {found}").format(found=describe(raw))
                )
                return None
            if raw == "":
                self.warn(
                    where, _('empty url: dropped (the key is left out rather than sent as "")')
                )
            elif not raw.startswith(URL_SCHEMES):
                self.refuse(
                    where, _("{url} does not start with http:// or https://").format(url=repr(raw))
                )
                return None
            else:
                url = raw
        text = f.get("displayText")
        if text is None or text == "":
            if url is None:
                self.warn(path, _("empty (no displayText, no url): dropped"))
                return None
            self.refuse(
                join_path(path, "displayText"),
                _("empty (required with a url)")
                if text == ""
                else _("missing (required with a url)"),
            )
            return None
        text = self.string(f, "displayText", path, required=True)
        if text is None:
            return None
        out = {"text": text}
        if url is not None:
            out["url"] = url
        return out

    # --- the lens -----------------------------------------------------------------------------

    def lens(self, doc: object) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        top = self.obj(doc, "")
        if top is None:
            return None
        f = self.fields(top, LENS_KEYS, "")
        version = f.get("schemaVersion")
        if version != SCHEMA_VERSION:
            shown = repr(version) if isinstance(version, str) else describe(version)
            self.warn(
                "schemaVersion",
                _('{value}: the export writes "{version}"').format(
                    value=_("missing") if "schemaVersion" not in f else shown,
                    version=SCHEMA_VERSION,
                ),
            )
        name = self.string(f, "name", "", required=True, nonempty=True)
        description = self.string(f, "description", "", required=False)
        if description is None or not description.strip():
            self.warn(
                "description",
                _("missing: the export gives the lens its name as description")
                if "description" not in f
                else _("empty: the export gives the lens its name as description"),
            )
        pillars = f.get("pillars")
        if not isinstance(pillars, list) or not pillars:
            self.refuse(
                "pillars",
                _("missing (required: 1 to 10 pillars)")
                if pillars is None
                else _("expected a non-empty list, found {found}").format(found=describe(pillars))
                if not isinstance(pillars, list)
                else _("empty: at least 1 pillar"),
            )
            return None
        head = {"name": name or "", "description": description or ""}
        out: list[dict[str, Any]] = []
        pillar_ids: dict[str, str] = {}
        question_ids: dict[str, str] = {}
        for i, value in enumerate(pillars):
            pillar = self.pillar(value, f"pillars[{i}]", pillar_ids, question_ids)
            if pillar is not None:
                out.append(pillar)
        return head, out

    def pillar(
        self, value: object, path: str, pillar_ids: dict[str, str], question_ids: dict[str, str]
    ) -> dict[str, Any] | None:
        obj = self.obj(value, path)
        if obj is None:
            return None
        f = self.fields(obj, PILLAR_KEYS, path)
        pid = self.ident(f, path)
        if pid is not None:
            if pid in pillar_ids:
                self.refuse(
                    join_path(path, "id"),
                    _("{id} is also the id of {other}: pillar ids are unique").format(
                        id=quoted(pid), other=pillar_ids[pid]
                    ),
                )
            pillar_ids.setdefault(pid, path)
        name = self.string(f, "name", path, required=True, nonempty=True)
        questions = f.get("questions")
        if not isinstance(questions, list) or not questions:
            self.refuse(
                join_path(path, "questions"),
                _("missing (required: 1 to 20 questions)")
                if questions is None
                else _("expected a non-empty list, found {found}").format(found=describe(questions))
                if not isinstance(questions, list)
                else _("empty: at least 1 question"),
            )
            return None
        out_questions = []
        for i, q in enumerate(questions):
            question = self.question(q, f"{path}.questions[{i}]", question_ids)
            if question is not None:
                out_questions.append(question)
        return {"id": pid or "", "name": name or "", "questions": out_questions}

    def question(
        self, value: object, path: str, question_ids: dict[str, str]
    ) -> dict[str, Any] | None:
        obj = self.obj(value, path)
        if obj is None:
            return None
        f = self.fields(obj, QUESTION_KEYS, path)
        qid = self.ident(f, path)
        if qid is not None:
            if qid in question_ids:
                self.refuse(
                    join_path(path, "id"),
                    _("{id} is also the id of {other}: question ids are unique in the lens").format(
                        id=quoted(qid), other=question_ids[qid]
                    ),
                )
            question_ids.setdefault(qid, path)
        title = self.string(f, "title", path, required=True, nonempty=True)
        description = self.string(f, "description", path, required=False)
        parts = split_description(description) if description else None
        helpful = None
        if "helpfulResource" in f:
            helpful = self.resource(f["helpfulResource"], join_path(path, "helpfulResource"))
        choices_value = f.get("choices")
        cpath = join_path(path, "choices")
        if not isinstance(choices_value, list) or not choices_value:
            self.refuse(
                cpath,
                _("missing (required: 1 to 15 choices)")
                if choices_value is None
                else _("expected a non-empty list, found {found}").format(
                    found=describe(choices_value)
                )
                if not isinstance(choices_value, list)
                else _("empty: at least 1 choice"),
            )
            return None
        choices: list[dict[str, Any]] = []
        seen: dict[str, str] = {}
        unreadable = False  # a choice refused: not reported again through the rules naming it
        for i, c in enumerate(choices_value):
            choice = self.choice(c, f"{cpath}[{i}]")
            if choice is None:
                unreadable = True
                continue
            if choice["id"] in seen:
                self.refuse(
                    f"{cpath}[{i}].id",
                    _("{id} is also the id of {other}: choice ids are unique in a question").format(
                        id=quoted(choice["id"]), other=seen[choice["id"]]
                    ),
                )
            seen.setdefault(choice["id"], f"{cpath}[{i}]")
            choices.append(choice)
        if qid is not None and not unreadable and all(c["id"] == qid + "_no" for c in choices):
            self.refuse(
                cpath,
                _(
                    'only the "None of these" choice {id}: a question needs at least one practice'
                ).format(id=f"{qid}_no"),
            )
        ids = [c["id"] for c in choices]
        rules = self.rules(f, path, None if unreadable else ids)
        if qid is None or title is None or rules is None:
            return None
        out: dict[str, Any] = {"id": qid, "title": title}
        if parts is not None:
            # orr's own lens: the evidence to ask for and the sources, read back.
            if parts.description is not None:
                out["description"] = parts.description
            if parts.evidence:
                out["evidence"] = parts.evidence
        elif description is not None:
            out["description"] = description
        if helpful is not None:
            out["helpful_resource"] = _toml_resource(helpful)
        # A lens has no roles: the imported manifest's one role answers every question.
        out["owner_role"] = "owner"
        out["severity"] = infer_severity([(parse(r["condition"]), r["risk"]) for r in rules], ids)
        if parts is not None and parts.references:
            out["references"] = parts.references
        if parts is not None and parts.incidents:
            out["incidents"] = parts.incidents
        out["none_choice"] = False
        out["choices"] = choices
        out["rules"] = rules
        return out

    def choice(self, value: object, path: str) -> dict[str, Any] | None:
        obj = self.obj(value, path)
        if obj is None:
            return None
        f = self.fields(obj, CHOICE_KEYS, path)
        cid = self.ident(f, path)
        title = self.string(f, "title", path, required=True, nonempty=True)
        if cid is None or title is None:
            return None
        out: dict[str, Any] = {"id": cid, "title": title}
        none_choice = is_none_choice_id(cid)
        if not none_choice and looks_like_none_title(title):
            self.warn(
                join_path(path, "id"),
                _(
                    '{title} reads as "None of these" but the id does not end in _no: kept as an '
                    "ordinary choice"
                ).format(title=repr(title)),
            )
        if "helpfulResource" in f:
            helpful = self.resource(f["helpfulResource"], join_path(path, "helpfulResource"))
            if helpful is not None:
                out["helpful"] = _toml_resource(helpful)
        improvement = None
        if "improvementPlan" in f:
            improvement = self.resource(f["improvementPlan"], join_path(path, "improvementPlan"))
        if improvement is not None:
            out["improvement"] = _toml_resource(improvement)
        elif not none_choice:
            self.refuse(
                join_path(path, "improvementPlan"),
                _(
                    'missing (required except on a "None of these" choice, whose id ends in _no): '
                    "write one in the lens"
                ),
            )
        if "additionalResources" in f:
            self.additional(f["additionalResources"], join_path(path, "additionalResources"), out)
        return out

    def additional(self, value: object, path: str, out: dict[str, Any]) -> None:
        if not isinstance(value, list):
            self.refuse(path, _("expected a list, found {found}").format(found=describe(value)))
            return
        order: list[str] = []
        first_at: dict[str, int] = {}
        for i, entry_value in enumerate(value):
            epath = f"{path}[{i}]"
            entry = self.obj(entry_value, epath)
            if entry is None:
                continue
            f = self.fields(entry, ADDITIONAL_KEYS, epath)
            kind = f.get("type")
            if not isinstance(kind, str) or kind not in _TYPE_TO_MORE:
                shown = repr(kind) if isinstance(kind, str) else describe(kind)
                self.refuse(
                    join_path(epath, "type"),
                    _("{value} (required: {first} or {second})").format(
                        value=_("missing") if "type" not in f else shown,
                        first=HELPFUL_RESOURCE,
                        second=IMPROVEMENT_PLAN,
                    ),
                )
                continue
            content = f.get("content")
            if not isinstance(content, list):
                self.refuse(
                    join_path(epath, "content"),
                    _("expected a list, found {found}").format(found=describe(content))
                    if "content" in f
                    else _("missing (required)"),
                )
                continue
            links = []
            for j, item in enumerate(content):
                link = self.resource(item, f"{epath}.content[{j}]")
                if link is not None:
                    links.append(link)
            if not links:
                self.warn(epath, _("no content: dropped"))
                continue
            more = _TYPE_TO_MORE[kind]
            if more in first_at:
                self.warn(
                    epath,
                    _("a second {type} entry: its links are joined to those of {first}").format(
                        type=kind, first=f"{path}[{first_at[more]}]"
                    ),
                )
            else:
                first_at[more] = i
                order.append(more)
            out.setdefault(f"more_{more}", []).extend(links)
        if order == ["improvement", "helpful"]:
            out["more_order"] = order

    def rules(
        self, question: dict[str, Any], path: str, ids: list[str] | None
    ) -> list[dict[str, str]] | None:
        """The rules, verbatim, checked against the choice ids (``None``: some choice could not
        be read, so the ids are not checked)."""
        rpath = join_path(path, "riskRules")
        value = question.get("riskRules")
        if value is None or value == []:
            self.warn(
                rpath,
                _('{what}: a "{default}" HIGH_RISK rule was added').format(
                    what=_("missing") if value is None else _("empty"), default=DEFAULT_CONDITION
                ),
            )
            return [{"condition": DEFAULT_CONDITION, "risk": "HIGH_RISK"}]
        if not isinstance(value, list):
            self.refuse(rpath, _("expected a list, found {found}").format(found=describe(value)))
            return None
        rules: list[dict[str, str]] = []
        default_at: int | None = None
        risks: dict[str, int] = {}
        ok = True
        for i, rule_value in enumerate(value):
            where = f"{rpath}[{i}]"
            obj = self.obj(rule_value, where)
            if obj is None:
                ok = False
                continue
            f = self.fields(obj, RULE_KEYS, where)
            condition = self.string(f, "condition", where, required=True)
            risk = self.string(f, "risk", where, required=True)
            if risk is not None and risk not in RISKS:
                self.refuse(
                    join_path(where, "risk"),
                    _("{value}: must be {values}").format(
                        value=repr(risk), values=", ".join(RISKS)
                    ),
                )
                risk = None
            if condition is None or risk is None:
                ok = False
                continue
            cpath = join_path(where, "condition")
            try:
                expr = parse(condition)
                names = variables(expr)
            except RuleSyntaxError as exc:
                shown = repr(condition if len(condition) <= 60 else condition[:57] + "...")
                self.refuse(
                    cpath,
                    _("{condition}: {message} at column {column}").format(
                        condition=shown, message=exc.message, column=exc.column
                    ),
                )
                ok = False
                continue
            if isinstance(expr, Default):
                if default_at is not None:
                    self.refuse(
                        cpath, _('a second "{default}" rule').format(default=DEFAULT_CONDITION)
                    )
                    ok = False
                default_at = i
            if ids is not None:
                for name in names:
                    if name not in ids:
                        self.refuse(
                            cpath,
                            _("{name} is not a choice of this question{hint}").format(
                                name=quoted(name), hint=suggest(name, ids)
                            ),
                        )
                        ok = False
            if risk in risks:
                self.refuse(
                    join_path(where, "risk"),
                    _(
                        "a second {risk} rule (the first is {first}): at most one rule per risk "
                        "level"
                    ).format(risk=risk, first=f"{rpath}[{risks[risk]}]"),
                )
                ok = False
            risks.setdefault(risk, i)
            rules.append({"condition": condition, "risk": risk})
        if not ok:
            return None
        if default_at is not None:
            if default_at != len(rules) - 1:
                self.refuse(
                    f"{rpath}[{default_at}].condition",
                    _('"default" must be the last rule: the rules after it never apply'),
                )
                return None
            return rules
        # No default: the selections no rule covers get HIGH_RISK.
        if "HIGH_RISK" not in risks:
            self.warn(
                rpath,
                _('no "{default}" rule: a "{default}" HIGH_RISK rule was added last').format(
                    default=DEFAULT_CONDITION
                ),
            )
            return [*rules, {"condition": DEFAULT_CONDITION, "risk": "HIGH_RISK"}]
        if risks["HIGH_RISK"] == len(rules) - 1:
            last = rules[-1]["condition"]
            self.warn(
                f"{rpath}[{len(rules) - 1}].condition",
                _(
                    'no "{default}" rule: the last rule, HIGH_RISK when {condition}, became the '
                    '"{default}" HIGH_RISK rule (the same risk for every selection)'
                ).format(default=DEFAULT_CONDITION, condition=repr(last)),
            )
            return [*rules[:-1], {"condition": DEFAULT_CONDITION, "risk": "HIGH_RISK"}]
        self.refuse(
            rpath,
            _(
                'no "{default}" rule, and a HIGH_RISK rule that is not the last: add {example} last'
            ).format(
                default=DEFAULT_CONDITION,
                example=f'{{"condition": "{DEFAULT_CONDITION}", "risk": ...}}',
            ),
        )
        return None


@dataclass
class DescriptionParts:
    """A question description as orr's export writes it, split back into the checklist's
    fields."""

    description: str | None
    evidence: list[str]
    references: list[str]
    incidents: list[str]
    lang: str  # the language of the headings found


def split_description(text: str) -> DescriptionParts | None:
    """The description, the evidence to ask for and the sources (best-practice ids, incident
    ids) of a question description written by `orr.lens.export.question_description`, with its
    headings in English or in any language orr ships; None when the text holds neither (or not
    exactly as the export writes them: it is then kept as it is).

    A split is only accepted when the export writes the very same text from it, so that a lens
    round-trips byte for byte. Evidence cut by the export (its last line says how many more the
    checklist holds) stays in the description: the items left out cannot be brought back.
    """
    if not text:
        return None
    for lang in dict.fromkeys((DEFAULT, *SUPPORTED)):
        parts = _split_in(text, lang)
        if parts is not None:
            return parts
    return None


def _split_in(text: str, lang: str) -> DescriptionParts | None:
    from orr.lens.export import question_description

    body: str | None = text
    references: list[str] = []
    incidents: list[str] = []
    before, sep, last = text.rpartition("\n\n")
    heading = gettext_in(lang, SOURCES_HEADING) + " "
    if last.startswith(heading) and "\n" not in last and "\r" not in last:
        items = last[len(heading) :].split(SOURCES_SEPARATOR)
        if all(SOURCE_ID.fullmatch(item) for item in items):
            references = [i for i in items if BEST_PRACTICE_ID.fullmatch(i)]
            incidents = [i for i in items if not BEST_PRACTICE_ID.fullmatch(i)]
            body = before if sep else None
    candidates: list[tuple[str | None, list[str]]] = []
    if body:
        lead, sep, block = body.rpartition("\n\n")
        lines = block.split("\n")
        more = re.escape(gettext_in(lang, EVIDENCE_MORE)).replace(re.escape("{count}"), r"\d+")
        if (
            lines[0] == gettext_in(lang, EVIDENCE_HEADING)
            and len(lines) > 1
            and all(line.startswith("- ") for line in lines[1:])
            and not re.fullmatch(more, lines[-1][2:])
        ):
            candidates.append((lead if sep else None, [line[2:] for line in lines[1:]]))
    candidates.append((body, []))
    sources = [*references, *incidents]
    for description, evidence in candidates:
        if not evidence and not sources:
            continue
        composed, left_out = question_description(description, evidence, sources, lang=lang)
        if composed == text and not left_out:
            return DescriptionParts(description, evidence, references, incidents, lang)
    return None


def _toml_resource(resource: dict[str, str]) -> str | dict[str, str]:
    """A resource as the checklist writes it: the text alone when there is no url."""
    return resource if "url" in resource else resource["text"]


def infer_severity(rules: Sequence[tuple[Expr, str]], choice_ids: Sequence[str]) -> str:
    """The severity of a question from its rules: the highest risk some selection reaches
    (HIGH_RISK -> high; MEDIUM_RISK, or only NO_RISK -> medium)."""
    reached = {risk for _, risk in rules}  # the declared risks, when the exact analysis is out
    if len(choice_ids) <= _EXACT_CHOICES:
        try:
            reached = _reached(rules, choice_ids)
        except RecursionError:  # a condition too deep to analyse
            pass
    return "high" if "HIGH_RISK" in reached else "medium"


def _reached(rules: Sequence[tuple[Expr, str]], choice_ids: Sequence[str]) -> set[str]:
    """The risks some selection of the choices ends in (the first true rule wins)."""
    n = len(choice_ids)
    index = {cid: i for i, cid in enumerate(choice_ids)}
    remaining = (1 << (1 << n)) - 1
    reached: set[str] = set()
    for expr, risk in rules:
        hit = truth_table(expr, index, n) & remaining
        if hit:
            reached.add(risk)
        remaining &= ~hit
        if not remaining:
            break
    return reached


def lens_id_from_name(name: str) -> str:
    """A manifest id from the lens name: lowercase letters, digits and _, 3..64 characters."""
    return make_id(name, 64, "lens")


def _file_names(pillar_ids: Sequence[str]) -> list[str]:
    """One file name per pillar, distinct even on a case-insensitive file system."""
    taken = {MANIFEST_FILE.removesuffix(".toml")}
    names = []
    for pid in pillar_ids:
        base = pid[:60] or "pillar"
        stem = base
        n = 2
        while stem.lower() in taken:
            stem = f"{base}_{n}"
            n += 1
        taken.add(stem.lower())
        names.append(stem + ".toml")
    return names


def import_lens(doc: object, *, source: str | None = None) -> ImportResult:
    """Turn a parsed lens into checklist TOML data. Raises `InputError` listing what cannot be
    imported; returns the repairs as warnings."""
    importer = _Importer()
    read = importer.lens(doc)
    if importer.refusals or read is None:
        _refuse(importer.refusals, source)
    assert read is not None
    head, pillars = read
    lens_id = lens_id_from_name(head["name"])
    names = _file_names([p["id"] for p in pillars])
    sources: dict[str, dict[str, Any]] = {}
    for file_name, pillar in zip(names, pillars, strict=True):
        sources[file_name] = {
            "schema_version": 1,
            "kind": SOURCE_KIND,
            "description": "Imported from a Well-Architected custom lens by orr lens import.",
            "pillars": [pillar],
        }
    manifest: dict[str, Any] = {
        "schema_version": 1,
        "id": lens_id,
        "name": head["name"],
        "description": head["description"],
        "version": "1.0",
        "include": list(sources),
        "required_signoffs": [OWNER_ROLE],
        "roles": {
            OWNER_ROLE: {
                "name": "Workload owner",
                "description": "Answers the questions and signs off the launch.",
            }
        },
    }
    result = ImportResult(
        lens_id=lens_id,
        name=head["name"],
        manifest=manifest,
        sources=sources,
        warnings=importer.warnings,
        questions=sum(len(p["questions"]) for p in pillars),
    )
    checklist = compose(result, source)
    # What still breaks a limit after the repairs (too long, too many): the checklist is written
    # so that it can be fixed there, and the export refuses until it is.
    from orr.lens.export import build_lens
    from orr.lens.validate import validate_lens_document

    for problem in errors_of(validate_lens_document(build_lens(checklist))):
        result.warnings.append(
            LensProblem(
                problem.path,
                _("{message} (fix it in the checklist: the export refuses until then)").format(
                    message=problem.message
                ),
                WARNING,
            )
        )
    return result


def import_lens_text(text: str, *, source: str | None = None) -> ImportResult:
    """Parse and import a lens text (duplicate keys and a byte-order mark become warnings)."""
    try:
        parsed = parse_lens_text(text)
    except LensSyntaxError as exc:
        where = (
            f"{source}:{exc.line}:{exc.column}"
            if source
            else _("line {line}, column {column}").format(line=exc.line, column=exc.column)
        )
        raise InputError(
            _("{where}: not valid JSON: {message}").format(where=where, message=exc.message)
        ) from None
    result = import_lens(parsed.doc, source=source)
    text_warnings = [p for p in parsed.problems if not p.is_error]
    result.warnings[:0] = text_warnings
    return result


def _refuse(refusals: list[tuple[str, str]], source: str | None) -> None:
    problems = [Problem(message, file=source, path=path or None) for path, message in refusals]
    what = source or _("the lens")
    raise InputError(
        _("{what}: cannot import: {count} problem(s)").format(what=what, count=len(problems)),
        problems,
    )


def compose(result: ImportResult, source: str | None = None) -> Checklist:
    """The checklist the imported files describe, built in memory (the same models and checks
    as loading the written files). Raises `InputError` if the data does not validate."""
    try:
        manifest = Manifest.model_validate(result.manifest)
        files = {name: SourceFile.model_validate(data) for name, data in result.sources.items()}
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(
            _("{what}: cannot import: {place}: {message}").format(
                what=source or _("the lens"), place=loc, message=first["msg"]
            )
        ) from None
    pillars: list[ChecklistPillar] = []
    for name, src in files.items():
        for spec in src.pillars:
            pillar = ChecklistPillar(spec.id, spec.name or "")
            for q in spec.questions:
                rules = [ParsedRule(parse(r.condition), r.risk, r.condition) for r in q.rules or ()]
                pillar.questions.append(
                    ChecklistQuestion(
                        spec=q,
                        pillar_id=spec.id,
                        source=name,
                        kind=src.kind,
                        choices=list(q.choices),
                        rules=rules,
                        generated_rules=False,
                    )
                )
            pillars.append(pillar)
    return Checklist(
        manifest=manifest,
        path=MANIFEST_FILE,
        pillars=pillars,
        files=result.files,
        content_hash="",
        kinds={name: SOURCE_KIND for name in files},
    )


# --- writing ---------------------------------------------------------------------------------------

_MANIFEST_HEADER = (
    "# Imported from a Well-Architected custom lens by `orr lens import`.\n"
    "# `orr lens export` turns these files back into the same lens.\n\n"
)


def render(result: ImportResult) -> dict[str, str]:
    """File name -> TOML text, the manifest first."""
    out = {MANIFEST_FILE: _MANIFEST_HEADER + checklist_toml(result.manifest)}
    for name, data in result.sources.items():
        out[name] = checklist_toml(data)
    return out


def write_checklist(result: ImportResult, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the manifest and source files into ``out_dir`` (created if needed), each atomically.
    Refuses, writing nothing, when a file exists and ``force`` is not set."""
    return write_files(out_dir, render(result), force=force)
