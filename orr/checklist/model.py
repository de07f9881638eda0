"""The checklist files as pydantic models (the format of docs/checklist-format.md).

Every model forbids unknown fields, so a misspelt key is an error with a "did you mean".
The composed, ready-to-use checklist (`Checklist`) is built by `orr.checklist.load`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
)

from orr.checklist.rules import ParsedRule, Risk, first_match
from orr.i18n import N_, _
from orr.tomlfile import user_error
from orr.values import schema_version_problem

SCHEMA_VERSION = 1
SCHEMA_VERSIONS = (SCHEMA_VERSION,)  # the versions this orr reads
ID_PATTERN = re.compile(r"^[A-Za-z0-9_]+$")
NONE_SUFFIX = "_no"
NONE_TITLE = N_("None of these")


class Severity(StrEnum):
    """How much an unmet question matters: high blocks a launch, medium needs a plan."""

    HIGH = "high"
    MEDIUM = "medium"

    @property
    def risk(self) -> Risk:
        return Risk.HIGH_RISK if self is Severity.HIGH else Risk.MEDIUM_RISK


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=False, validate_default=False, defer_build=True
    )


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c == "_"))})
        shown = ", ".join(repr(c) for c in bad[:10]) + (", ..." if len(bad) > 10 else "")
        shown = shown or _("nothing")
        raise ValueError(
            _("ids use only letters, digits and _ (found {found})").format(found=shown)
        )
    return value


def _text_or_resource(value: Any) -> Any:
    if isinstance(value, str):
        return {"text": value}
    return value


class Resource(_Model):
    """A text with an optional http(s) link (a lens helpfulResource / improvementPlan)."""

    text: str = Field(min_length=1, description="the text shown to the reader")
    url: str | None = Field(default=None, description="an http:// or https:// address")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                _("a url starts with http:// or https:// (leave it out when there is none)")
            )
        return value


TextOrResource = Annotated[Resource, BeforeValidator(_text_or_resource)]


def _schema_version(value: Any) -> Any:
    problem = schema_version_problem(value, SCHEMA_VERSIONS)
    if problem is not None:
        raise user_error(problem)
    return value


SchemaVersion = Annotated[int, BeforeValidator(_schema_version)]
Id = Annotated[str, AfterValidator(_check_id)]


class Choice(_Model):
    """One good practice a team can claim."""

    id: Id = Field(description="letters, digits and _, 3..64 characters, unique in the question")
    title: str = Field(min_length=1, description="the practice, at most 128 characters")
    helpful: TextOrResource | None = Field(default=None, description="helpful text or {text, url}")
    improvement: TextOrResource | None = Field(
        default=None, description="the improvement plan: text or {text, url}"
    )
    more_helpful: list[Resource] = Field(default_factory=list, description="further links")
    more_improvement: list[Resource] = Field(default_factory=list, description="further links")
    # Which additional-resource type the lens listed first, so that an imported lens round-trips.
    more_order: list[str] | None = Field(default=None, description="internal: lens order")
    waivable: bool = Field(
        default=True,
        description="false when a review may never mark this practice not applicable",
    )

    @field_validator("more_order")
    @classmethod
    def _order(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(v not in ("helpful", "improvement") for v in value):
            # Translators: more_order, helpful and improvement are TOML keys: keep them.
            raise ValueError(_("more_order lists 'helpful' and 'improvement'"))
        return value


class RuleSpec(_Model):
    """One risk rule: when the condition holds (first true rule wins), the risk."""

    condition: str = Field(description="choice ids with !, &&, ||, parentheses, or 'default'")
    risk: Risk = Field(description="NO_RISK, MEDIUM_RISK or HIGH_RISK")


def _positive(value: int) -> int:
    if value < 1:
        raise ValueError(_("is a number of days: 1 or more"))
    return value


class EvidenceRules(_Model):
    """How a question's evidence is judged: set on a question, for a whole source file, or in
    the manifest as the default (the nearest one that says something wins)."""

    evidence_required: Annotated[bool, Strict()] | None = Field(
        default=None, description="true when an answer needs at least one evidence link"
    )
    evidence_max_age_days: Annotated[int, Strict(), AfterValidator(_positive)] | None = Field(
        default=None,
        description="how many days after it was verified an evidence link counts as stale",
    )
    evidence_blocks: Annotated[bool, Strict()] | None = Field(
        default=None,
        description="true when missing or stale evidence of a high-severity question blocks "
        "the launch (otherwise it is a condition)",
    )


class Question(EvidenceRules):
    """One question of the checklist."""

    id: Id = Field(description="letters, digits and _, 3..128 characters, unique in the checklist")
    title: str = Field(min_length=1, description="the question, at most 128 characters")
    description: str | None = Field(default=None, description="why it matters")
    evidence: list[str] = Field(default_factory=list, description="what a reviewer asks to see")
    helpful_resource: TextOrResource | None = Field(default=None, description="text or {text, url}")
    owner_role: str | None = Field(default=None, description="a role id from the manifest")
    severity: Severity = Field(default=Severity.HIGH, description="high or medium")
    references: list[str] = Field(default_factory=list, description="best-practice ids")
    incidents: list[str] = Field(default_factory=list, description="incident ids")
    tiers: list[str] = Field(default_factory=list, description="tier ids from the manifest")
    tags: list[str] = Field(default_factory=list, description="free words")
    none_choice: bool = Field(default=True, description="add the 'None of these' choice <id>_no")
    choices: list[Choice] = Field(min_length=1, description="the practices, 1..15 in all")
    rules: list[RuleSpec] | None = Field(default=None, description="explicit risk rules")
    all_or_nothing: bool = Field(
        default=False,
        description="true when the generated rule is meant: every practice is a launch blocker "
        "(silences lint's all-or-nothing warning)",
    )


class PillarSpec(_Model):
    """A pillar as one source file declares it (merged by id across files)."""

    id: Id = Field(description="letters, digits and _, 3..64 characters")
    name: str | None = Field(default=None, description="the pillar's name, at most 128 characters")
    questions: list[Question] = Field(default_factory=list)


class SourceFile(EvidenceRules):
    """A source file: one kind of learning (governance, security, incident, operations, ...)."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="1")
    kind: str = Field(description="governance, security, incident, operations or a word of yours")
    description: str | None = None
    include: list[str] = Field(default_factory=list, description="further files or globs")
    pillars: list[PillarSpec] = Field(default_factory=list)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9_-]*$", value):
            raise ValueError(
                _("a kind is one lowercase word (governance, security, incident, ...)")
            )
        return value


class Role(_Model):
    """A stakeholder role."""

    name: str = Field(min_length=1)
    description: str | None = None


class Tier(_Model):
    """A subset of the questions (e.g. core, for a first review)."""

    description: str | None = None


class Manifest(EvidenceRules):
    """The manifest: the lens, its source files, roles, sign-offs and tiers."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="1")
    id: Id = Field(description="the lens id: letters, digits and _, 3..64 characters")
    name: str = Field(min_length=1, description="the lens name, at most 128 characters")
    description: str = Field(default="", description="the lens description")
    version: str = Field(default="1.0", description="the checklist version")
    include: list[str] = Field(min_length=1, description="source files and globs")
    allow_outside: Annotated[bool, Strict()] = Field(
        default=False,
        description="true when includes may lead outside the manifest's folder (by default "
        "they stay in it and below)",
    )
    incidents: str = Field(default="incidents", description="folder for `orr learn`")
    required_signoffs: list[str] = Field(default_factory=list, description="role ids")
    roles: dict[str, Role] = Field(default_factory=dict)
    tiers: dict[str, Tier] = Field(default_factory=dict)
    review_every_days: Annotated[int, Strict(), AfterValidator(_positive)] | None = Field(
        default=None,
        description="how often a workload is reviewed again (e.g. 365): a workload whose last "
        "review is older is 'review due'",
    )


@dataclass(frozen=True)
class EvidencePolicy:
    """A question's evidence rules, once the question, its file and the manifest are read."""

    required: bool = False
    max_age_days: int | None = None
    blocks: bool = False


def evidence_policy(*levels: EvidenceRules) -> EvidencePolicy:
    """The nearest level that sets each rule wins (question, then file, then manifest)."""

    def first(name: str) -> Any:
        for level in levels:
            value = getattr(level, name)
            if value is not None:
                return value
        return None

    return EvidencePolicy(
        required=bool(first("evidence_required")),
        max_age_days=first("evidence_max_age_days"),
        blocks=bool(first("evidence_blocks")),
    )


# --- the composed checklist ----------------------------------------------------------------------


_RISKS_KEPT = 256  # selections per question whose risk is kept


@dataclass
class ChecklistQuestion:
    """A question of the composed checklist, with its provenance and effective choices and rules."""

    spec: Question
    pillar_id: str
    source: str  # the file it came from (as given, relative to the manifest when possible)
    kind: str  # the source file's kind
    choices: list[Choice]  # the choices, with the "None of these" choice when it applies
    rules: list[ParsedRule]  # explicit rules, or the rules generated from the severity
    generated_rules: bool
    evidence: EvidencePolicy = field(default_factory=lambda: EvidencePolicy())
    # The question's hash as written (before any translation): what a review records, so
    # that a review in one language is current in every language. Filled on first use.
    source_hash: str | None = None
    # The risk of each selection evaluated so far: a review's gate is worked out again after
    # every change, and its questions' selections rarely change (the rules never do).
    _risks: dict[frozenset[str], Risk] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    # A composed question's choices never change (a translation is another question): what
    # they imply is worked out once, where every gate evaluation asks for it per question.
    @cached_property
    def none_choice_id(self) -> str | None:
        wanted = self.spec.id + NONE_SUFFIX
        return wanted if any(c.id == wanted for c in self.choices) else None

    @cached_property
    def choice_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices)

    @cached_property
    def _practice_ids(self) -> tuple[str, ...]:
        none_id = self.none_choice_id
        return tuple(c.id for c in self.choices if c.id != none_id)

    @property
    def practice_ids(self) -> list[str]:
        """The choice ids that are good practices (all but "None of these")."""
        return list(self._practice_ids)

    def risk_for(self, selected: set[str] | frozenset[str]) -> Risk:
        """The risk of a selection (first true rule wins; the severity when no rule holds)."""
        key = selected if isinstance(selected, frozenset) else frozenset(selected)
        risk = self._risks.get(key)
        if risk is None:
            found = first_match(self.rules, key)
            risk = found if found is not None else self.severity.risk
            if len(self._risks) < _RISKS_KEPT:
                self._risks[key] = risk
        return risk

    def choice(self, choice_id: str) -> Choice | None:
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None


@dataclass
class ChecklistPillar:
    id: str
    name: str
    questions: list[ChecklistQuestion] = field(default_factory=list)


TRANSLATIONS_FOLDER = "translations"


@dataclass
class Checklist:
    """A loaded, validated checklist: the manifest and its pillars with their questions."""

    manifest: Manifest
    path: str  # the manifest path
    pillars: list[ChecklistPillar]
    files: list[str]  # the files composed, in order
    content_hash: str
    kinds: dict[str, str] = field(default_factory=dict)  # file -> kind
    paths: list[Path] = field(default_factory=list)  # the files composed, resolved
    lang: str = ""  # the language of its texts: "" as written, else a translation's

    @property
    def questions(self) -> list[ChecklistQuestion]:
        return [q for p in self.pillars for q in p.questions]

    def translation_path(self, lang: str) -> Path:
        """Where the checklist's translation into ``lang`` is (or goes): beside its manifest."""
        return Path(self.path).parent / TRANSLATIONS_FOLDER / f"{lang}.toml"

    def question(self, question_id: str) -> ChecklistQuestion | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def question_index(self) -> dict[str, ChecklistQuestion]:
        return {q.id: q for q in self.questions}

    def pillar_of(self, question_id: str) -> ChecklistPillar | None:
        for p in self.pillars:
            if any(q.id == question_id for q in p.questions):
                return p
        return None
