"""The checklist core: model, loading and composition, risk rules, lint, incident learnings.

The names below are read from their modules when first asked for, so that importing one
module of the package (the risk rules, where the bundled checklist is) does not load the
others (the models, and pydantic with them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orr.checklist.bundled import bundled_manifest
    from orr.checklist.load import find_manifest, load_checklist, question_hash, select_tier
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

_HOME = {
    "Checklist": "model",
    "ChecklistPillar": "model",
    "ChecklistQuestion": "model",
    "Choice": "model",
    "Manifest": "model",
    "Question": "model",
    "Resource": "model",
    "Severity": "model",
    "Risk": "rules",
    "bundled_manifest": "bundled",
    "find_manifest": "load",
    "load_checklist": "load",
    "question_hash": "load",
    "select_tier": "load",
}

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


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
