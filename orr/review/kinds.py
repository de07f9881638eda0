"""The kinds of things a review records and a gate says: plain enums, in a module of their own
so that a front end can name them (Home, the readouts) without loading the review models."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from orr.i18n import N_, _


class Environment(StrEnum):
    """Where the workload runs."""

    PRODUCTION = "production"
    PREPRODUCTION = "preproduction"


_ENVIRONMENT_LABEL = {
    Environment.PRODUCTION: N_("production"),
    Environment.PREPRODUCTION: N_("preproduction"),
}


def environment_label(value: str) -> str:
    """An environment as every front end names it, in the language in use (the review file
    keeps the value; one orr does not know is shown as it is)."""
    known = {str(k): v for k, v in _ENVIRONMENT_LABEL.items()}
    return _(known[value]) if value in known else value


class NaReason(StrEnum):
    """Why a question does not apply (the Well-Architected Tool's reasons)."""

    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    BUSINESS_PRIORITIES = "BUSINESS_PRIORITIES"
    ARCHITECTURE_CONSTRAINTS = "ARCHITECTURE_CONSTRAINTS"
    OTHER = "OTHER"


class MitigationStatus(StrEnum):
    """Where a mitigation (action item) stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WITHDRAWN = "withdrawn"  # recorded by mistake or no longer wanted: kept for its history


class ReviewKind(StrEnum):
    """Why a review is held (reviews repeat through a workload's life)."""

    PRE_LAUNCH = "pre_launch"
    PERIODIC = "periodic"
    POST_INCIDENT = "post_incident"
    CHANGE = "change"


class Decision(StrEnum):
    """A stakeholder's sign-off decision."""

    APPROVE = "approve"
    REJECT = "reject"


class Verdict(StrEnum):
    """The launch verdict."""

    READY = "READY"
    READY_WITH_CONDITIONS = "READY_WITH_CONDITIONS"
    NOT_READY = "NOT_READY"

    @property
    def label(self) -> str:
        return {
            Verdict.READY: _("READY"),
            Verdict.READY_WITH_CONDITIONS: _("READY WITH CONDITIONS"),
            Verdict.NOT_READY: _("NOT READY"),
        }[self]


class BlockerKind(StrEnum):
    """What stands between the team and READY."""

    UNANSWERED = "unanswered"
    NA_WITHOUT_REASON = "na_without_reason"
    HIGH_FINDING = "high_finding"
    BLOCKING_MITIGATION = "blocking_mitigation"
    MITIGATION_AFTER_LAUNCH = "mitigation_after_launch"
    SIGNOFF_MISSING = "signoff_missing"
    SIGNOFF_STALE = "signoff_stale"
    SIGNOFF_REJECTED = "signoff_rejected"
    CHECKLIST_CHANGED = "checklist_changed"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_STALE = "evidence_stale"


class ConditionKind(StrEnum):
    """What makes a launch READY WITH CONDITIONS rather than READY."""

    MEDIUM_FINDING = "medium_finding"
    OPEN_MITIGATION = "open_mitigation"
    RISK_ACCEPTANCE = "risk_acceptance"
    ACCEPTANCE_EXPIRING = "acceptance_expiring"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_STALE = "evidence_stale"


GateKind = BlockerKind | ConditionKind


class _Stated(Protocol):
    """A question's state as a mark reads it (`orr.review.state.QuestionState`)."""

    @property
    def reconfirm(self) -> bool: ...

    @property
    def state(self) -> StrEnum: ...


class Mark(StrEnum):
    """The state of a question as a list of questions shows it: the answer's state, or that
    the answer waits for a re-confirmation."""

    UNANSWERED = "unanswered"
    NO_RISK = "no_risk"
    MEDIUM = "medium"
    HIGH = "high"
    NOT_APPLICABLE = "not_applicable"
    RECONFIRM = "reconfirm"

    @classmethod
    def of(cls, state: _Stated) -> Mark:
        if state.reconfirm:
            return cls.RECONFIRM
        return cls(str(state.state))


class StatusFilter(StrEnum):
    """Which questions the walk-through lists."""

    ALL = "all"
    UNANSWERED = "unanswered"
    FINDINGS = "findings"
    NOT_APPLICABLE = "not_applicable"
    RECONFIRM = "reconfirm"
