"""The review file as pydantic models (one TOML file per review, `reviews/<workload>.toml`).

A review is a launch team's record: the workload, the checklist it was started from, the
stakeholders, the answers, mitigations, risk acceptances, sign-offs and an audit trail. Findings
and the launch gate are derived (`orr.review.gate`), never stored. Every model forbids unknown
fields so that a misspelt key is an error with a "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from orr.i18n import N_, _
from orr.review.kinds import Decision, Environment, MitigationStatus, NaReason, ReviewKind
from orr.tomlfile import quoted, user_error
from orr.values import (
    date_or_none,
    date_problem,
    datetime_or_none,
    datetime_problem,
    schema_version_problem,
)

SCHEMA_VERSION = 1
SCHEMA_VERSIONS = (SCHEMA_VERSION,)  # the versions this orr reads
NONE_SUFFIX = "_no"
MITIGATION_ID = re.compile(r"^M[1-9][0-9]*$")
ACCEPTANCE_ID = re.compile(r"^A[1-9][0-9]*$")
QUESTION_ID = re.compile(r"^[A-Za-z0-9_]+$")
_SPACE = re.compile(r"\s")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


# TOML has real booleans: "no" in a review file is a mistake, not false.
StrictBool = Annotated[bool, Strict()]

ENTRY_ERROR = "orr_entry"


def entry_error(message: str, *at: str | int) -> PydanticCustomError:
    """An error about one entry of a collection; ``at`` is the path below the field that
    raised it (so that file:line points at the entry, not at the collection)."""
    return PydanticCustomError(ENTRY_ERROR, "{message}", {"message": message, "at": list(at)})


def _aware(value: datetime) -> datetime:
    # A TOML local date-time has no offset; orr writes UTC, so read a naive one as UTC.
    # Keeping every datetime aware keeps comparisons (audit order, merges) from failing.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# Dates and date-times are read by orr's one parser (`orr.values`), not pydantic's lax one, which
# takes a number as seconds since 1970 (`launch_date = 0` would be 1970-01-01).


def _timestamp(value: object) -> datetime:
    if type(value) is datetime:
        return value
    found = datetime_or_none(value)
    if found is None:
        raise user_error(datetime_problem(value, ""))
    return found


def _date(value: object) -> date:
    if type(value) is date:
        return value
    found = date_or_none(value)
    if found is None:
        raise user_error(date_problem(value, ""))
    return found


def _optional_date(value: object) -> date | None:
    return None if value is None else _date(value)


Timestamp = Annotated[datetime, BeforeValidator(_timestamp), AfterValidator(_aware)]
Day = Annotated[date, BeforeValidator(_date)]
OptionalDay = Annotated[date | None, BeforeValidator(_optional_date)]


def _schema_version(value: object) -> object:
    problem = schema_version_problem(value, SCHEMA_VERSIONS)
    if problem is not None:
        raise user_error(problem)
    return value


SchemaVersion = Annotated[int, BeforeValidator(_schema_version)]


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(_("a url starts with http:// or https://"))
    if _SPACE.search(value):
        raise ValueError(_("a url has no spaces"))
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


def _pattern(regex: re.Pattern[str], problem: str) -> AfterValidator:
    """A check that ``regex`` matches; ``problem`` (marked with `N_`) is said when it does not,
    in the language in use then."""

    def check(value: str) -> str:
        if not regex.match(value):
            raise ValueError(_(problem))
        return value

    return AfterValidator(check)


MitigationId = Annotated[str, _pattern(MITIGATION_ID, N_("is not a mitigation id (M1, M2, ...)"))]
AcceptanceId = Annotated[str, _pattern(ACCEPTANCE_ID, N_("is not an acceptance id (A1, A2, ...)"))]
QuestionId = Annotated[
    str, _pattern(QUESTION_ID, N_("is not a question id (letters, digits and _)"))
]


def now_utc() -> datetime:
    """The current time, to the second, in UTC (what the audit trail and answers record)."""
    return datetime.now(UTC).replace(microsecond=0)


class Workload(_Model):
    """The workload under review."""

    name: str = Field(min_length=1, description="the workload's name")
    description: str = Field(default="", description="what the workload does")
    environment: Environment = Field(
        default=Environment.PRODUCTION, description="production or preproduction"
    )
    launch_date: Day = Field(description="the planned launch date, YYYY-MM-DD")
    owner: str = Field(default="", description="who is accountable for the workload")
    regions: list[str] = Field(default_factory=list, description="where it runs, e.g. eu-west-1")


class ChecklistRef(_Model):
    """The checklist the review was started from (or last rebased onto)."""

    manifest: str = Field(
        min_length=1,
        description="the manifest path relative to the review file, or <bundled> for the "
        "checklist that comes with orr",
    )
    id: str = Field(default="", description="the checklist's id (the lens id)")
    version: str = Field(default="", description="the checklist version at the time")
    content_hash: str = Field(min_length=1, description="the checklist's content hash")
    tier: str | None = Field(default=None, description="the tier reviewed (all questions if none)")
    question_hashes: dict[str, str] = Field(
        default_factory=dict, description="question id -> hash of the question, for rebase"
    )

    @field_validator("manifest")
    @classmethod
    def _path(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError(_("is not a path: it holds a NUL character"))
        return value


class Stakeholder(_Model):
    """A person taking part in the review, with their role."""

    name: str = Field(min_length=1, description="the person's name")
    role: str = Field(min_length=1, description="a role id of the checklist manifest")


class Evidence(_Model):
    """A link to what shows a practice is in place."""

    url: HttpUrl = Field(description="an http:// or https:// address")
    description: str = Field(default="", description="what the link shows")
    verified_on: OptionalDay = Field(default=None, description="when someone checked it")


class PracticeNa(_Model):
    """Why one practice of a question does not apply to this workload (it then counts as in
    place for the risk rules and the gate)."""

    reason: NaReason = Field(
        description="OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS or OTHER"
    )
    note: str = Field(default="", description="more about why it does not apply")


class Answer(_Model):
    """The answer to one question."""

    choices: list[str] = Field(
        default_factory=list,
        description="selected choice ids; '<question>_no' (None of these) stands alone",
    )
    applicable: StrictBool = Field(
        default=True, description="false when the question does not apply"
    )
    na_reason: NaReason | None = Field(
        default=None,
        description="why it does not apply: OUT_OF_SCOPE, BUSINESS_PRIORITIES, "
        "ARCHITECTURE_CONSTRAINTS or OTHER",
    )
    na_note: str = Field(default="", description="more about why it does not apply")
    na_choices: dict[str, PracticeNa] = Field(
        default_factory=dict,
        description="practices that do not apply: choice id -> reason and note",
    )
    notes: str = Field(default="", description="free-text notes")
    evidence: list[Evidence] = Field(default_factory=list, description="evidence links")
    answered_by: str = Field(description="who answered")
    answered_at: Timestamp = Field(description="when it was answered")
    reconfirm: StrictBool = Field(
        default=False, description="true when the question changed since it was answered"
    )

    @field_validator("choices")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        for i, c in enumerate(value):
            if not QUESTION_ID.match(c):
                raise entry_error(
                    _("{choice} is not a choice id (letters, digits and _)").format(
                        choice=quoted(c)
                    ),
                    i,
                )
        if len(set(value)) != len(value):
            dup = sorted({c for c in value if value.count(c) > 1})
            raise entry_error(_("choice {choice} is selected twice").format(choice=quoted(dup[0])))
        return value

    @model_validator(mode="after")
    def _applicability(self) -> Answer:
        if self.applicable:
            if self.na_reason is not None:
                raise entry_error(
                    _("na_reason is only for a not-applicable answer (applicable = false)"),
                    "na_reason",
                )
        elif self.choices:
            raise entry_error(_("a not-applicable answer selects no choices"), "choices")
        elif self.na_choices:
            raise entry_error(
                _(
                    "a not-applicable answer has no not-applicable practices (the whole "
                    "question does not apply)"
                ),
                "na_choices",
            )
        for cid in self.na_choices:
            if not QUESTION_ID.match(cid):
                raise entry_error(
                    _("{choice} is not a choice id (letters, digits and _)").format(
                        choice=quoted(cid)
                    ),
                    "na_choices",
                )
            if cid in self.choices:
                raise entry_error(
                    _(
                        "practice {choice} is both selected and not applicable: it is one or "
                        "the other"
                    ).format(choice=quoted(cid)),
                    "na_choices",
                    cid,
                )
        return self

    @property
    def answered(self) -> bool:
        """True when the question has an answer the gate counts: choices, or not applicable."""
        return not self.applicable or bool(self.choices)


class Mitigation(_Model):
    """An action item against a finding (or a measure already in place, recorded as done)."""

    id: MitigationId = Field(description="M1, M2, ... (stable)")
    question: QuestionId = Field(description="the question id of the finding")
    title: str = Field(min_length=1, description="what will be done")
    owner: str = Field(default="", description="who does it")
    due: OptionalDay = Field(default=None, description="the due date, YYYY-MM-DD")
    status: MitigationStatus = Field(
        default=MitigationStatus.OPEN, description="open, in_progress, done or withdrawn"
    )
    blocking: StrictBool = Field(description="true when the launch waits for it")
    ticket: HttpUrl | None = Field(default=None, description="the ticket's http(s) address")
    notes: str = Field(default="", description="free-text notes")
    updated_at: Timestamp = Field(description="when it last changed")
    updated_by: str = Field(default="", description="who changed it last")


class RiskAcceptance(_Model):
    """A finding the business accepts until a date (expired acceptances count as absent)."""

    id: AcceptanceId = Field(description="A1, A2, ... (stable)")
    question: QuestionId = Field(description="the question id of the finding")
    approver: str = Field(min_length=1, description="who accepts the risk")
    role: str = Field(min_length=1, description="the approver's role")
    rationale: str = Field(min_length=1, description="why the risk is acceptable")
    compensating_controls: str = Field(default="", description="what limits the risk meanwhile")
    expires: Day = Field(description="the acceptance no longer holds from this date on")
    created_at: Timestamp = Field(description="when it was recorded")
    created_by: str = Field(default="", description="who recorded it")


class SignOff(_Model):
    """A stakeholder role's decision on the launch."""

    role: str = Field(min_length=1, description="a role id of the checklist manifest")
    name: str = Field(min_length=1, description="who signed")
    decision: Decision = Field(description="approve or reject")
    at: Timestamp = Field(description="when")
    answers_hash: str = Field(min_length=1, description="the hash of the answers it covered")
    recorded_by: str = Field(
        default="", description="who entered it on the signer's behalf (empty: the signer did)"
    )


class AuditEntry(_Model):
    """One change to the review: when, who, what."""

    at: Timestamp
    who: str
    action: str
    detail: str = ""


class Review(_Model):
    """One review: one run of a checklist against one workload."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="1")
    workload: Workload
    checklist: ChecklistRef
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    answers: dict[str, Answer] = Field(default_factory=dict, description="question id -> answer")
    mitigations: list[Mitigation] = Field(default_factory=list)
    acceptances: list[RiskAcceptance] = Field(default_factory=list)
    signoffs: list[SignOff] = Field(default_factory=list)
    archived: dict[str, Answer] = Field(
        default_factory=dict, description="answers of questions removed from the checklist"
    )
    audit: list[AuditEntry] = Field(default_factory=list)
    wat: dict[str, str] = Field(
        default_factory=dict, description="Well-Architected Tool ids (workload id, lens ARN)"
    )
    kind: ReviewKind = Field(
        default=ReviewKind.PRE_LAUNCH,
        description="why it is held: pre_launch, periodic, post_incident or change",
    )
    follows: str = Field(
        default="",
        description="the review this one follows (its file, relative to this one), if any",
    )

    @field_validator("answers", "archived")
    @classmethod
    def _answers(cls, value: dict[str, Answer]) -> dict[str, Answer]:
        for qid, answer in value.items():
            if not QUESTION_ID.match(qid):
                raise entry_error(
                    _("{question} is not a question id (letters, digits and _)").format(
                        question=quoted(qid)
                    ),
                    qid,
                )
            none_id = qid + NONE_SUFFIX
            if none_id in answer.choices and len(answer.choices) > 1:
                raise entry_error(
                    _("{choice} (None of these) cannot be selected with other choices").format(
                        choice=quoted(none_id)
                    ),
                    qid,
                    "choices",
                )
        return value

    @field_validator("mitigations", "acceptances")
    @classmethod
    def _unique_ids(
        cls, value: list[Mitigation] | list[RiskAcceptance]
    ) -> list[Mitigation] | list[RiskAcceptance]:
        seen: dict[str, int] = {}
        for i, entry_id in enumerate([e.id for e in value]):
            if entry_id in seen:
                raise entry_error(
                    _("id {id} is used twice ([{first}] and [{second}]): ids are unique").format(
                        id=quoted(entry_id), first=seen[entry_id], second=i
                    ),
                    i,
                    "id",
                )
            seen[entry_id] = i
        return value

    @field_validator("signoffs")
    @classmethod
    def _one_per_role(cls, value: list[SignOff]) -> list[SignOff]:
        seen: dict[str, int] = {}
        for i, entry in enumerate(value):
            if entry.role in seen:
                raise entry_error(
                    _(
                        "two sign-offs for role {role} ([{first}] and [{second}]): one per role"
                    ).format(role=quoted(entry.role), first=seen[entry.role], second=i),
                    i,
                    "role",
                )
            seen[entry.role] = i
        return value

    # --- lookups -------------------------------------------------------------------------------

    def mitigation(self, mid: str) -> Mitigation | None:
        for m in self.mitigations:
            if m.id == mid:
                return m
        return None

    def acceptance(self, aid: str) -> RiskAcceptance | None:
        for a in self.acceptances:
            if a.id == aid:
                return a
        return None

    def signoff(self, role: str) -> SignOff | None:
        for s in self.signoffs:
            if s.role == role:
                return s
        return None

    def stakeholders_with(self, role: str) -> list[str]:
        return [s.name for s in self.stakeholders if s.role == role]

    def next_mitigation_id(self) -> str:
        return f"M{_next_number(m.id for m in self.mitigations)}"

    def next_acceptance_id(self) -> str:
        return f"A{_next_number(a.id for a in self.acceptances)}"


def _next_number(ids: Iterable[str]) -> int:
    numbers = [int(i[1:]) for i in ids if i[1:].isdigit()]
    return max(numbers, default=0) + 1
