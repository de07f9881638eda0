"""The checklist core: model, loading and composition, risk rules, lint, incident learnings."""

from orr.checklist.load import (
    bundled_manifest,
    find_manifest,
    load_checklist,
    question_hash,
    select_tier,
)
from orr.checklist.model import (
    Checklist,
    ChecklistPillar,
    ChecklistQuestion,
    Choice,
    Manifest,
    Question,
    Resource,
    Severity,
)
from orr.checklist.rules import Risk

__all__ = [
    "Checklist",
    "ChecklistPillar",
    "ChecklistQuestion",
    "Choice",
    "Manifest",
    "Question",
    "Resource",
    "Risk",
    "Severity",
    "bundled_manifest",
    "find_manifest",
    "load_checklist",
    "question_hash",
    "select_tier",
]
