"""Builders shared by the review tests (no tests here): the mini checklist of tests/data/mini
(2 pillars, 5 questions, roles owner and security, both required sign-offs, tier core) and
reviews of it at a fixed clock."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from orr.checklist import load_checklist
from orr.checklist.model import Checklist
from orr.review import ops
from orr.review.model import Review

DATA = Path(__file__).resolve().parent / "data"
MINI_DIR = DATA / "mini"
MINI = MINI_DIR / "orr.toml"
NOW = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2030, 1, 1)
LAUNCH = date(2030, 1, 20)

# The questions of the mini checklist and their severities.
HIGH_Q = "ops_runbooks"  # high, generated rules
MEDIUM_Q = "ops_alarms"  # medium, generated rules
RULES_Q = "ops_rollback"  # high, explicit rules: auto -> none, manual -> medium, else high
SEC_HIGH_Q = "sec_least_privilege"
SEC_MEDIUM_Q = "sec_encryption"


@cache
def mini() -> Checklist:
    return load_checklist(MINI)


def copy_mini(folder: Path) -> Path:
    """A copy of the mini checklist that a test may change; returns its manifest."""
    target = folder / "checklists"
    shutil.copytree(MINI_DIR, target)
    return target / "orr.toml"


def new_review(
    checklist: Checklist | None = None,
    *,
    tier: str | None = None,
    review_file: Path | None = None,
) -> Review:
    checklist = checklist or mini()
    review, _ = ops.new_review(
        checklist,
        workload="Payments API",
        launch_date=LAUNCH,
        manifest=ops.manifest_ref(checklist.path, review_file or MINI_DIR / "r.toml"),
        tier=tier,
        owner="Ann",
        stakeholders=[("Ann", "owner"), ("Sam", "security")],
        who="tester",
        now=NOW,
        today=TODAY,
    )
    return review


def answer_clean(review: Review, checklist: Checklist | None = None) -> Review:
    """Every question in scope answered with all its practices (no risk)."""
    checklist = checklist or mini()
    for qid in review.checklist.question_hashes:
        question = checklist.question(qid)
        assert question is not None
        ops.set_answer(review, checklist, qid, choices=question.practice_ids, who="t", now=NOW)
    return review


def sign_all(review: Review, checklist: Checklist | None = None) -> Review:
    checklist = checklist or mini()
    for role in checklist.manifest.required_signoffs:
        name = (review.stakeholders_with(role) or [role.title()])[0]
        ops.sign_off(review, checklist, role, name, "approve", who=name, now=NOW)
    return review


def ready_review(checklist: Checklist | None = None) -> Review:
    return sign_all(answer_clean(new_review(checklist), checklist), checklist)
