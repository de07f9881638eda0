"""The Well-Architected custom lens format: its keys, in the order orr writes them, and its limits.

Source: `reference/wa-custom-lens.md` (the format page, the API reference and the botocore model).
Where the format page and the API model disagree, the stricter value is an error and the looser
one is a warning: ids over 64 characters are errors, texts over 1024 characters are warnings.
"""

from __future__ import annotations

import json
import re
from typing import Final

from orr.i18n import N_

SCHEMA_VERSION: Final = "2021-11-01"

# Keys of each object, in the order of the format page (the order orr writes them).
LENS_KEYS: Final = ("schemaVersion", "name", "description", "pillars")
PILLAR_KEYS: Final = ("id", "name", "questions")
QUESTION_KEYS: Final = ("id", "title", "description", "helpfulResource", "choices", "riskRules")
CHOICE_KEYS: Final = ("id", "title", "helpfulResource", "improvementPlan", "additionalResources")
RESOURCE_KEYS: Final = ("displayText", "url")
ADDITIONAL_KEYS: Final = ("type", "content")
RULE_KEYS: Final = ("condition", "risk")

HELPFUL_RESOURCE: Final = "HELPFUL_RESOURCE"
IMPROVEMENT_PLAN: Final = "IMPROVEMENT_PLAN"
ADDITIONAL_TYPES: Final = (HELPFUL_RESOURCE, IMPROVEMENT_PLAN)
RISKS: Final = ("NO_RISK", "MEDIUM_RISK", "HIGH_RISK")
DEFAULT_CONDITION: Final = "default"
NONE_SUFFIX: Final = "_no"

# Counts.
MAX_PILLARS: Final = 10
MAX_QUESTIONS: Final = 20  # per pillar
MAX_CHOICES: Final = 15  # per question, "None of these" included
MAX_RULES: Final = 3  # one per risk level
MAX_ADDITIONAL_ITEMS: Final = 5  # per additionalResources entry

# Lengths, in characters.
MAX_NAME: Final = 128  # lens name, pillar name, question and choice titles
MAX_TEXT: Final = 2048  # descriptions and displayText (format page)
WARN_TEXT: Final = 1024  # the API model's limit for the same texts
MAX_URL: Final = 2048
MIN_ID: Final = 3
MAX_PILLAR_ID: Final = 64  # the format page says 128, the API model 64
MAX_QUESTION_ID: Final = 128
MAX_CHOICE_ID: Final = 64

# The whole document, in UTF-8 bytes.
MAX_BYTES: Final = 500_000

ID_CHARS: Final = re.compile(r"[A-Za-z0-9_]+")
URL_SCHEMES: Final = ("http://", "https://")

# The words orr adds to a question's description, in English; each is written in the lens's
# language (`orr.i18n.gettext_in`) and read back in English or any language orr ships.
EVIDENCE_HEADING: Final = N_("Evidence to ask for:")
EVIDENCE_MORE: Final = N_("… and {count} more in the checklist")
SOURCES_HEADING: Final = N_("Sources:")
SOURCES_SEPARATOR: Final = ", "
# A best-practice id (OPS07-BP02, SEC03-BP02); any other id a question cites is an incident's.
BEST_PRACTICE_ID: Final = re.compile(r"[A-Z]+\d{2}-BP\d{2}")
# The script each language orr ships is written in (a text "contains Japanese" when it holds a
# Hiragana, Katakana or CJK character), and the language's own name.
SCRIPTS: Final = {
    "ja": re.compile(
        r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
    )
}
LANGUAGE_NAMES: Final = {"en": "English", "ja": "日本語"}
# What a cited id may look like to be read back from a sources line.
SOURCE_ID: Final = re.compile(r"[^\s,]+")


def is_none_choice_id(choice_id: str) -> bool:
    """A choice whose id ends in ``_no`` is its question's "None of these" choice."""
    return choice_id.endswith(NONE_SUFFIX)


def looks_like_none_title(title: str) -> bool:
    """A title that reads as "None of these" (or "None of the above")."""
    folded = " ".join(title.lower().split()).rstrip(".")
    return folded in ("none of these", "none of the above", "none")


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def join_path(base: str, key: str | int) -> str:
    """``pillars[2]`` + ``questions`` -> ``pillars[2].questions``; + 4 -> ``pillars[2][4]``; a
    key that is not a plain word is quoted: ``pillars[2]["odd key"]``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if not _PLAIN_KEY.fullmatch(key):
        return f"{base}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{base}.{key}" if base else key
