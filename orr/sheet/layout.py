"""The workbook layout shared by the export, the template, the importer and the merge: sheet
names, the columns of each table sheet, and how lists, links and risk rules are written in one
cell. The importer finds columns by their header, so stakeholders may reorder or add columns."""

from __future__ import annotations

import re

from orr.checklist.model import Resource, RuleSpec
from orr.sheet.cells import Column

README = "README"
SUMMARY = "Summary"
CHECKLIST = "Checklist"
PILLARS = "Pillars"
LENS = "Lens"
ROLES = "Roles"
TIERS = "Tiers"
MITIGATIONS = "Findings & Mitigations"
ACCEPTANCES = "Risk Acceptances"
SIGNOFFS = "Sign-offs"
AUDIT = "Audit trail"
SOURCES = "_sources"  # hidden: the source files' own fields, for a lossless round trip
META = "_orr"  # hidden: what the review said at export, for the merge

REVIEW_BOOK_FORMAT = "orr review workbook"
CHECKLIST_BOOK_FORMAT = "orr checklist workbook"
BOOK_VERSION = 1

# --- the Checklist sheet -------------------------------------------------------------------------

PILLAR = "pillar"
QUESTION_ID = "question id"
QUESTION = "question"
DESCRIPTION = "description"
EVIDENCE = "evidence"
SEVERITY = "severity"
OWNER_ROLE = "owner role"
SOURCE = "source"
REFERENCES = "references"
TIER = "tiers"
CHOICE_ID = "choice id"
CHOICE = "choice"
HELPFUL = "helpful"
IMPROVEMENT = "improvement plan"
RULES = "risk rules"
INCIDENTS = "incidents"
TAGS = "tags"
RESOURCE = "helpful resource"
RESOURCE_URL = "helpful resource url"
HELPFUL_URL = "helpful url"
IMPROVEMENT_URL = "improvement url"
MORE_HELPFUL = "more helpful"
MORE_IMPROVEMENT = "more improvement"
NONE_CHOICE = "none of these"
SOURCE_FILE = "source file"
MORE_ORDER = "more order"  # which kind of further links a lens listed first (lens round trip)

# Answer columns of a review workbook (after the choice title).
SELECTED = "selected"
RISK = "risk"
ANSWER = "answer"
NOTES = "notes"
ANSWERED_BY = "answered by"
ANSWERED_AT = "answered at"

CHECKLIST_COLUMNS: list[Column] = [
    Column(PILLAR, 14),
    Column(QUESTION_ID, 22),
    Column(QUESTION, 42),
    Column(DESCRIPTION, 50),
    Column(EVIDENCE, 40),
    Column(SEVERITY, 10),
    Column(OWNER_ROLE, 13),
    Column(SOURCE, 12),
    Column(REFERENCES, 14),
    Column(TIER, 9),
    Column(CHOICE_ID, 22),
    Column(CHOICE, 42),
    Column(HELPFUL, 40),
    Column(IMPROVEMENT, 40),
    Column(RULES, 46),
    Column(INCIDENTS, 16),
    Column(TAGS, 14),
    Column(RESOURCE, 30),
    Column(RESOURCE_URL, 30),
    Column(HELPFUL_URL, 26),
    Column(IMPROVEMENT_URL, 26),
    Column(MORE_HELPFUL, 34),
    Column(MORE_IMPROVEMENT, 34),
    Column(NONE_CHOICE, 10),
    Column(SOURCE_FILE, 24),
    Column(MORE_ORDER, 10),
]

ANSWER_COLUMNS: list[Column] = [
    Column(SELECTED, 9),
    Column(RISK, 13),
    Column(ANSWER, 24),
    Column(NOTES, 36),
    Column(ANSWERED_BY, 14),
    Column(ANSWERED_AT, 17),
]


def review_checklist_columns() -> list[Column]:
    """The Checklist columns of a review workbook: the answer next to the choice."""
    at = [c.header for c in CHECKLIST_COLUMNS].index(CHOICE) + 1
    return [*CHECKLIST_COLUMNS[:at], *ANSWER_COLUMNS, *CHECKLIST_COLUMNS[at:]]


# Question fields: written once, on the question's first row. Short ones (KEY) are repeated on
# every row so that a filter on the sheet keeps whole questions together.
QUESTION_KEY_FIELDS = (PILLAR, QUESTION_ID, QUESTION, SEVERITY, OWNER_ROLE, SOURCE, TIER)
QUESTION_FIELDS = (
    *QUESTION_KEY_FIELDS,
    DESCRIPTION,
    EVIDENCE,
    REFERENCES,
    RULES,
    INCIDENTS,
    TAGS,
    RESOURCE,
    RESOURCE_URL,
    NONE_CHOICE,
    SOURCE_FILE,
)
CHOICE_FIELDS = (
    CHOICE_ID,
    CHOICE,
    HELPFUL,
    HELPFUL_URL,
    IMPROVEMENT,
    IMPROVEMENT_URL,
    MORE_HELPFUL,
    MORE_IMPROVEMENT,
    MORE_ORDER,
)

# --- the other sheets ----------------------------------------------------------------------------

PILLAR_COLUMNS = [Column("pillar id", 16), Column("name", 36)]
PILLAR_STATS = [Column("questions", 11), Column("high", 8), Column("medium", 9)]
PILLAR_REVIEW_STATS = [
    Column("answered", 10),
    Column("not applicable", 10),
    Column("high risk", 9),
    Column("medium risk", 9),
    Column("no risk", 9),
    Column("unanswered", 11),
]
ROLE_COLUMNS = [Column("role id", 16), Column("name", 30), Column("description", 60)]
TIER_COLUMNS = [Column("tier id", 16), Column("description", 70)]
LENS_COLUMNS = [Column("field", 20), Column("value", 70), Column("about", 60)]
SOURCE_COLUMNS = [
    Column("file", 30),
    Column("kind", 14),
    Column("description", 50),
    Column("include", 30),
    Column("pillars", 30),
    Column("named pillars", 30),
]

LENS_ID = "id"
LENS_NAME = "name"
LENS_DESCRIPTION = "description"
LENS_VERSION = "version"
LENS_SIGNOFFS = "required sign-offs"
LENS_INCLUDE = "include"
LENS_INCIDENTS = "incidents folder"
LENS_FIELDS: list[tuple[str, str]] = [
    (
        LENS_ID,
        "the lens id: letters, digits and _, 3 to 64 characters (made from the name if blank)",
    ),
    (LENS_NAME, "the checklist's name, at most 128 characters"),
    (LENS_DESCRIPTION, "what the checklist is for"),
    (LENS_VERSION, "the checklist version, e.g. 1.0"),
    (LENS_SIGNOFFS, "role ids (Roles sheet) whose sign-off a launch needs, one per line or comma"),
    (LENS_INCLUDE, "the source files in composition order (leave blank: made from the rows)"),
    (LENS_INCIDENTS, "where `orr learn` writes learnings from incidents (default: incidents)"),
]

MITIGATION_ID = "mitigation"
M_QUESTION = "question id"
M_PILLAR = "pillar"
M_FINDING = "finding"
M_RISK = "risk"
M_TITLE = "mitigation title"
M_OWNER = "owner"
M_DUE = "due"
M_STATUS = "status"
M_BLOCKING = "blocking"
M_TICKET = "ticket"
M_NOTES = "notes"
M_OVERDUE = "overdue"
M_UPDATED_AT = "updated at"
M_UPDATED_BY = "updated by"
MITIGATION_COLUMNS = [
    Column(MITIGATION_ID, 11),
    Column(M_QUESTION, 22),
    Column(M_PILLAR, 14),
    Column(M_FINDING, 42),
    Column(M_RISK, 13),
    Column(M_TITLE, 40),
    Column(M_OWNER, 18, editable=True),
    Column(M_DUE, 12, editable=True),
    Column(M_STATUS, 12, editable=True),
    Column(M_NOTES, 44, editable=True),
    Column(M_BLOCKING, 9),
    Column(M_TICKET, 28),
    Column(M_OVERDUE, 10),
    Column(M_UPDATED_AT, 17),
    Column(M_UPDATED_BY, 14),
]
# The fields a stakeholder may change in the workbook and `orr xlsx merge` brings back.
MERGED_FIELDS = ("status", "owner", "due", "notes")
MERGED_HEADERS = {"status": M_STATUS, "owner": M_OWNER, "due": M_DUE, "notes": M_NOTES}

ACCEPTANCE_COLUMNS = [
    Column("acceptance", 11),
    Column("question id", 22),
    Column("finding", 40),
    Column("approver", 18),
    Column("role", 13),
    Column("rationale", 44),
    Column("compensating controls", 40),
    Column("expires", 12),
    Column("valid", 9),
    Column("created at", 17),
    Column("created by", 14),
]
SIGNOFF_COLUMNS = [
    Column("role", 14),
    Column("role name", 24),
    Column("required", 10),
    Column("name", 22),
    Column("decision", 11),
    Column("at", 17),
    Column("status", 12),
    Column("note", 60),
]
AUDIT_COLUMNS = [
    Column("at", 18),
    Column("who", 16),
    Column("action", 14),
    Column("detail", 100),
]
META_COLUMNS = [Column("key", 20), Column("value", 60)]
META_MITIGATION_HEADER = ("mitigation", "status", "owner", "due", "notes")

# --- one cell, several values --------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[\n,;]")


def join_lines(items: list[str]) -> str:
    return "\n".join(items)


def split_list(text: str) -> list[str]:
    """Words given one per line, or separated by commas or semicolons."""
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def split_lines(text: str) -> list[str]:
    """Items given one per line (evidence: an item may hold commas)."""
    return [line.strip() for line in text.split("\n") if line.strip()]


LINK_SEPARATOR = " | "


def resource_line(resource: Resource) -> str:
    """``text | url`` (or the text alone)."""
    return resource.text + (LINK_SEPARATOR + resource.url if resource.url else "")


def parse_resource_line(line: str) -> tuple[str, str | None]:
    """``text | url`` -> (text, url); a line without ``|`` is text alone."""
    if "|" in line:
        text, _, url = line.rpartition("|")
        return text.strip(), url.strip() or None
    return line.strip(), None


RULE_ARROW = "->"


def rule_line(rule: RuleSpec) -> str:
    return f"{rule.condition} {RULE_ARROW} {rule.risk}"
