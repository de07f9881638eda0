"""Translations of a checklist, kept beside it: ``translations/<lang>.toml`` next to the manifest.

The checklist as written stays the one place where ids, rules, severities and tiers live; a
translation holds texts only, keyed by the ids, each with a short digest of the text it
translates::

    [questions.gov_ownership]
    title = { text = "…", source = "1f0c9a2e" }
    evidence = [{ text = "…", source = "…" }, …]

    [questions.gov_ownership.choices.gov_own_named_owner]
    title = { text = "…", source = "…" }

When the text as written changes, the digest no longer matches: the translation is *stale*, the
text as written is shown instead, and `orr checklist lint --lang` names the place. A text with
no translation is *missing*: shown as written, listed by lint, never an error at run time.
A translated checklist keeps the content hash and the question hashes of the checklist as
written, so a review is the same review in every language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from orr.checklist.load import question_hash
from orr.checklist.model import (
    NONE_TITLE,
    TRANSLATIONS_FOLDER,
    Checklist,
    ChecklistPillar,
    ChecklistQuestion,
    Choice,
    Resource,
    Role,
    Tier,
)
from orr.errors import InputError, Problem
from orr.i18n import DEFAULT, _, gettext_in, language
from orr.tomlfile import (
    PathKey,
    display_path,
    line_of,
    load_toml,
    locate_lines,
    path_text,
    validation_problems,
)

FOLDER = TRANSLATIONS_FOLDER
SCHEMA_VERSION = 1


def digest(text: str) -> str:
    """The short digest of a text as written that a translation records."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class TText(_Model):
    """One translated text and the digest of the text it translates."""

    text: str = Field(
        description="the text in the translation's language (empty: not translated yet)"
    )
    source: str = Field(
        pattern=r"^[0-9a-f]{8}$", description="the digest of the text it translates"
    )


class TChoice(_Model):
    title: TText | None = None
    helpful: TText | None = None
    improvement: TText | None = None
    more_helpful: list[TText | None] = Field(default_factory=list)
    more_improvement: list[TText | None] = Field(default_factory=list)


class TQuestion(_Model):
    title: TText | None = None
    description: TText | None = None
    evidence: list[TText | None] = Field(default_factory=list)
    helpful_resource: TText | None = None
    choices: dict[str, TChoice] = Field(default_factory=dict)


class TName(_Model):
    name: TText | None = None
    description: TText | None = None


class TranslationFile(_Model):
    """A translation of a checklist's texts into one language."""

    schema_version: int = Field(default=SCHEMA_VERSION, description="1")
    lang: str = Field(pattern=r"^[a-z]{2,3}$", description="the language, e.g. ja")
    lens: TName = Field(default_factory=TName, description="the lens name and description")
    pillars: dict[str, TName] = Field(default_factory=dict)
    roles: dict[str, TName] = Field(default_factory=dict)
    tiers: dict[str, TName] = Field(default_factory=dict)
    questions: dict[str, TQuestion] = Field(default_factory=dict)


def translation_path(checklist: Checklist, lang: str) -> Path:
    return checklist.translation_path(lang)


def available(checklist: Checklist) -> list[str]:
    """The languages the checklist carries translations for."""
    folder = Path(checklist.path).parent / FOLDER
    try:
        return sorted(p.stem for p in folder.glob("*.toml") if p.is_file())
    except OSError:
        return []


@dataclass
class Translation:
    """A translation file read, with where each entry is (for lint's lines)."""

    file: TranslationFile
    shown: str
    lines: Mapping[PathKey, int]


def read_translation(checklist: Checklist, lang: str) -> Translation | None:
    """The checklist's translation into ``lang`` (None when it has none; InputError listing
    every problem when the file is malformed)."""
    path = translation_path(checklist, lang)
    if not path.is_file():
        return None
    data, text = load_toml(path)
    shown = display_path(path)
    lines = locate_lines(text)
    try:
        model = TranslationFile.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, TranslationFile, shown, lines)
        raise InputError(
            problems[0].format()
            if len(problems) == 1
            else _("{path}: {count} problems").format(path=shown, count=len(problems)),
            problems,
        ) from None
    if model.lang != lang:
        raise InputError(
            # Translators: lang = is a TOML key of the translation file: keep it.
            _(
                "{path}: lang = {lang!r}, but the file is named for {name!r}: make them agree"
            ).format(path=shown, lang=model.lang, name=lang)
        )
    return Translation(model, shown, lines)


# --- applying ------------------------------------------------------------------------------------


@dataclass
class _Apply:
    """Texts looked up in a translation, noting what is missing and what is stale."""

    translation: Translation | None
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    translated: int = 0

    def text(self, source: str, found: TText | None, loc: tuple[str | int, ...], what: str) -> str:
        if not source:
            return source
        self.total += 1
        where = self.translation
        if found is not None and not found.text.strip():
            found = None  # a template entry not filled in yet
        if found is None:
            if where is not None:
                self.problems.append(
                    Problem(
                        _("{place}: no translation (shown as written)").format(place=what),
                        file=where.shown,
                        path=path_text(loc),
                        severity="warning",
                    )
                )
            return source
        if found.source != digest(source):
            assert where is not None
            self.problems.append(
                Problem(
                    # Translators: source is a TOML key of the translation file: keep it.
                    _(
                        "{place}: stale: the text as written changed since it was translated "
                        "(source {digest}, now {now}); shown as written until it is translated "
                        "again"
                    ).format(place=what, digest=found.source, now=digest(source)),
                    file=where.shown,
                    line=line_of(where.lines, loc),
                    path=path_text(loc),
                    severity="warning",
                )
            )
            return source
        self.translated += 1
        return found.text

    def resource(
        self, resource: Resource | None, found: TText | None, loc: tuple[str | int, ...], what: str
    ) -> Resource | None:
        if resource is None:
            return None
        text = self.text(resource.text, found, loc, what)
        return resource if text == resource.text else resource.model_copy(update={"text": text})

    def items(
        self,
        sources: list[str],
        found: list[TText | None],
        loc: tuple[str | int, ...],
        what: str,
    ) -> list[str]:
        return [
            self.text(s, found[i] if i < len(found) else None, (*loc, i), f"{what} [{i}]")
            for i, s in enumerate(sources)
        ]

    def resources(
        self,
        sources: list[Resource],
        found: list[TText | None],
        loc: tuple[str | int, ...],
        what: str,
    ) -> list[Resource]:
        return [
            r.model_copy(
                update={
                    "text": self.text(
                        r.text, found[i] if i < len(found) else None, (*loc, i), f"{what} [{i}]"
                    )
                }
            )
            for i, r in enumerate(sources)
        ]


@dataclass
class TranslationResult:
    checklist: Checklist
    problems: list[Problem]  # missing and stale translations (warnings), unknown ids
    total: int  # texts that can be translated
    translated: int  # texts shown translated


def translate(checklist: Checklist, lang: str) -> TranslationResult:
    """The checklist with its texts in ``lang`` where a current translation exists (as written
    elsewhere), and what is missing or stale. Ids, rules, severities, tiers and hashes are the
    checklist's own."""
    translation = read_translation(checklist, lang)
    t = translation.file if translation is not None else TranslationFile(lang=lang)
    run = _Apply(translation)
    m = checklist.manifest
    roles = {
        rid: Role(
            name=run.text(
                r.name, t.roles.get(rid, TName()).name, ("roles", rid, "name"), f"role {rid}"
            ),
            description=run.text(
                r.description or "",
                t.roles.get(rid, TName()).description,
                ("roles", rid, "description"),
                f"role {rid} description",
            )
            or None,
        )
        for rid, r in m.roles.items()
    }
    tiers = {
        tid: Tier(
            description=run.text(
                spec.description or "",
                t.tiers.get(tid, TName()).description,
                ("tiers", tid, "description"),
                f"tier {tid}",
            )
            or None
        )
        for tid, spec in m.tiers.items()
    }
    manifest = m.model_copy(
        update={
            "name": run.text(m.name, t.lens.name, ("lens", "name"), "lens name"),
            "description": run.text(
                m.description, t.lens.description, ("lens", "description"), "lens description"
            ),
            "roles": roles,
            "tiers": tiers,
        }
    )
    pillars = [
        ChecklistPillar(
            p.id,
            run.text(p.name, t.pillars.get(p.id, TName()).name, ("pillars", p.id, "name"), p.id),
            [_question(q, t.questions.get(q.id, TQuestion()), run, lang) for q in p.questions],
        )
        for p in checklist.pillars
    ]
    if translation is not None:
        known_q = {q.id: q for q in checklist.questions}
        for qid, tq in t.questions.items():
            q = known_q.get(qid)
            if q is None:
                run.problems.append(
                    Problem(
                        _("question {id}: the checklist has no such question (left over?)").format(
                            id=qid
                        ),
                        file=translation.shown,
                        line=line_of(translation.lines, ("questions", qid)),
                        path=path_text(("questions", qid)),
                        severity="warning",
                    )
                )
                continue
            for cid in tq.choices:
                if q.choice(cid) is None:
                    run.problems.append(
                        Problem(
                            _("question {question} has no choice {choice} (left over?)").format(
                                question=qid, choice=cid
                            ),
                            file=translation.shown,
                            line=line_of(translation.lines, ("questions", qid, "choices", cid)),
                            path=path_text(("questions", qid, "choices", cid)),
                            severity="warning",
                        )
                    )
    translated = replace(checklist, manifest=manifest, pillars=pillars, lang=lang)
    return TranslationResult(translated, run.problems, run.total, run.translated)


def _question(q: ChecklistQuestion, tq: TQuestion, run: _Apply, lang: str) -> ChecklistQuestion:
    question_hash(q)  # the hash as written, kept by the translated copy
    loc: tuple[str | int, ...] = ("questions", q.id)
    spec = q.spec
    none_id = q.none_choice_id

    def choice(c: Choice) -> Choice:
        if c.id == none_id and c not in spec.choices:
            # orr's own "None of these": in the language of orr's catalogue.
            return c.model_copy(update={"title": gettext_in(lang, NONE_TITLE)})
        tc = tq.choices.get(c.id, TChoice())
        cloc = (*loc, "choices", c.id)
        return c.model_copy(
            update={
                "title": run.text(c.title, tc.title, (*cloc, "title"), f"{q.id} {c.id} title"),
                "helpful": run.resource(
                    c.helpful, tc.helpful, (*cloc, "helpful"), f"{q.id} {c.id} helpful"
                ),
                "improvement": run.resource(
                    c.improvement,
                    tc.improvement,
                    (*cloc, "improvement"),
                    f"{q.id} {c.id} improvement",
                ),
                "more_helpful": run.resources(
                    c.more_helpful,
                    tc.more_helpful,
                    (*cloc, "more_helpful"),
                    f"{q.id} {c.id} more_helpful",
                ),
                "more_improvement": run.resources(
                    c.more_improvement,
                    tc.more_improvement,
                    (*cloc, "more_improvement"),
                    f"{q.id} {c.id} more_improvement",
                ),
            }
        )

    choices = [choice(c) for c in q.choices]
    by_id = {c.id: c for c in choices}
    new_spec = spec.model_copy(
        update={
            "title": run.text(spec.title, tq.title, (*loc, "title"), f"{q.id} title"),
            "description": run.text(
                spec.description or "", tq.description, (*loc, "description"), f"{q.id} description"
            )
            or None,
            "evidence": run.items(
                spec.evidence, tq.evidence, (*loc, "evidence"), f"{q.id} evidence"
            ),
            "helpful_resource": run.resource(
                spec.helpful_resource,
                tq.helpful_resource,
                (*loc, "helpful_resource"),
                f"{q.id} helpful_resource",
            ),
            "choices": [by_id.get(c.id, c) for c in spec.choices],
        }
    )
    return replace(q, spec=new_spec, choices=choices)


def in_language(checklist: Checklist, lang: str | None = None) -> Checklist:
    """The checklist in ``lang`` (default: the language in use): translated where it carries a
    current translation, as written elsewhere; as written when the language is English."""
    code = lang or language()
    if code == DEFAULT or checklist.lang == code:
        return checklist
    return translate(checklist, code).checklist


def lint_translation(checklist: Checklist, lang: str) -> list[Problem]:
    """Missing and stale translations of the checklist into ``lang`` (warnings), and a line
    when it has no translation into it at all."""
    result = translate(checklist, lang)
    if read_translation(checklist, lang) is None:
        return [
            Problem(
                _(
                    "no translation into {lang}: add {path} (orr checklist translations --lang "
                    "{lang} writes one to fill in)"
                ).format(lang=lang, path=display_path(translation_path(checklist, lang))),
                file=checklist.files[0],
                severity="warning",
            )
        ]
    return result.problems


# --- a file to fill in ---------------------------------------------------------------------------


def _q(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def template(checklist: Checklist, lang: str) -> str:
    """A translation file for ``lang``: every text of the checklist with its digest, the text
    as written in a comment above it, and what is already translated (and current) kept."""
    existing = read_translation(checklist, lang)
    t = existing.file if existing is not None else TranslationFile(lang=lang)
    out: list[str] = [
        f"# Translation of {checklist.manifest.id} into {lang}. Fill in `text`; keep `source`",
        "# (the digest of the text as written: when that text changes, lint says the",
        "# translation is stale). The text as written is in the comment above each entry.",
        "",
        f"schema_version = {SCHEMA_VERSION}",
        f"lang = {_q(lang)}",
    ]

    def entry(key: str, source: str, found: TText | None) -> None:
        if not source:
            return
        current = found is not None and found.source == digest(source)
        for line in source.splitlines() or [""]:
            out.append(f"# {line}")
        text = found.text if current and found is not None else ""
        out.append(f"{key} = {{ text = {_q(text)}, source = {_q(digest(source))} }}")

    def items(key: str, sources: list[str], found: list[TText | None]) -> None:
        if not sources:
            return
        out.append(f"{key} = [")
        for i, source in enumerate(sources):
            have = found[i] if i < len(found) else None
            current = have is not None and have.source == digest(source)
            out.append(f"  # {' '.join(source.split())}")
            text = have.text if current and have is not None else ""
            out.append(f"  {{ text = {_q(text)}, source = {_q(digest(source))} }},")
        out.append("]")

    m = checklist.manifest
    out += ["", "[lens]"]
    entry("name", m.name, t.lens.name)
    entry("description", m.description, t.lens.description)
    for rid, r in m.roles.items():
        out += ["", f"[roles.{rid}]"]
        entry("name", r.name, t.roles.get(rid, TName()).name)
        entry("description", r.description or "", t.roles.get(rid, TName()).description)
    for tid, tier in m.tiers.items():
        out += ["", f"[tiers.{tid}]"]
        entry("description", tier.description or "", t.tiers.get(tid, TName()).description)
    for p in checklist.pillars:
        out += ["", f"[pillars.{p.id}]"]
        entry("name", p.name, t.pillars.get(p.id, TName()).name)
    for q in checklist.questions:
        tq = t.questions.get(q.id, TQuestion())
        spec = q.spec
        out += ["", f"[questions.{q.id}]"]
        entry("title", spec.title, tq.title)
        entry("description", spec.description or "", tq.description)
        items("evidence", spec.evidence, tq.evidence)
        if spec.helpful_resource is not None:
            entry("helpful_resource", spec.helpful_resource.text, tq.helpful_resource)
        for c in spec.choices:
            tc = tq.choices.get(c.id, TChoice())
            out += ["", f"[questions.{q.id}.choices.{c.id}]"]
            entry("title", c.title, tc.title)
            if c.helpful is not None:
                entry("helpful", c.helpful.text, tc.helpful)
            if c.improvement is not None:
                entry("improvement", c.improvement.text, tc.improvement)
            items("more_helpful", [r.text for r in c.more_helpful], tc.more_helpful)
            items("more_improvement", [r.text for r in c.more_improvement], tc.more_improvement)
    return "\n".join(out) + "\n"
