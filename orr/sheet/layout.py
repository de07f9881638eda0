"""The workbook layout shared by the export, the template, the importer and the merge: sheet
names, the columns of each table sheet, and how lists, links and risk rules are written in one
cell.

Every word orr writes into a workbook is English in the code, marked with ``N_()`` here and
translated with ``_()`` where the cell is written, so that a catalogue in ``orr/locale`` can
translate it. The importer and the merge find sheets and columns by a canonical key (the English
text): a heading matches its key when it is the English text or its translation in any catalogue
shipped with orr (`heading_keys`), so stakeholders may reorder or add columns, and a workbook
written in one language reads in another.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from orr import i18n
from orr.checklist.model import NONE_TITLE, Resource, RuleSpec
from orr.i18n import N_, _
from orr.sheet.cells import Column

# --- sheets --------------------------------------------------------------------------------------

README = N_("README")
SUMMARY = N_("Summary")
CHECKLIST = N_("Checklist")
PILLARS = N_("Pillars")
LENS = N_("Lens")  # the lens fields, and beside them the roles and the tiers tables
ROLES = N_("Roles")  # a sheet of its own in workbooks of orr before 0.2 (still read)
TIERS = N_("Tiers")
FINDINGS = N_("Findings")
MITIGATIONS = N_("Mitigations")
MITIGATIONS_V1 = N_("Findings & Mitigations")  # the mitigations sheet of workbook version 1
ACCEPTANCES = N_("Risk Acceptances")
SIGNOFFS = N_("Sign-offs")
AUDIT = N_("Audit trail")
SOURCES = "_sources"  # hidden: the source files' own fields, for a lossless round trip
META = "_orr"  # hidden: what the review said at export, for the merge
LISTS = "_lists"  # hidden: the lists drop-downs offer (the review's stakeholders)

REVIEW_BOOK_FORMAT = "orr review workbook"
CHECKLIST_BOOK_FORMAT = "orr checklist workbook"
# 2: findings (one row per finding) and mitigations (the rows a stakeholder edits) on two sheets.
BOOK_VERSION = 2

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str) -> str:
    """A sheet's name in the language in use, as a spreadsheet allows it (at most 31
    characters, none of ``[]:*?/\\``)."""
    return _SHEET_FORBIDDEN.sub("-", _(name))[:31]


def sheet_ref(name: str) -> str:
    """The sheet's name as a formula quotes it: ``'Lens'``."""
    return "'" + sheet_title(name).replace("'", "''") + "'"


# --- the Checklist sheet -------------------------------------------------------------------------

PILLAR = N_("pillar")
QUESTION_ID = N_("question id")
QUESTION = N_("question")
DESCRIPTION = N_("description")
EVIDENCE = N_("evidence")
SEVERITY = N_("severity")
OWNER_ROLE = N_("owner role")
SOURCE = N_("source")
REFERENCES = N_("references")
TIER = N_("tiers")
CHOICE_ID = N_("choice id")
CHOICE = N_("choice")
HELPFUL = N_("helpful")
IMPROVEMENT = N_("improvement plan")
RULES = N_("risk rules")
INCIDENTS = N_("incidents")
TAGS = N_("tags")
RESOURCE = N_("helpful resource")
RESOURCE_URL = N_("helpful resource url")
HELPFUL_URL = N_("helpful url")
IMPROVEMENT_URL = N_("improvement url")
MORE_HELPFUL = N_("more helpful")
MORE_IMPROVEMENT = N_("more improvement")
NONE_CHOICE = N_("none of these")
SOURCE_FILE = N_("source file")
MORE_ORDER = N_("more order")  # which kind of further links a lens listed first (lens round trip)
WAIVABLE = N_("waivable")  # "no": a review may never mark the practice not applicable
ALL_OR_NOTHING = N_("all or nothing")  # "yes": every practice is meant to block
# How a question's evidence is judged (blank: as its source file or the checklist says).
EVIDENCE_REQUIRED = N_("evidence required")
EVIDENCE_MAX_AGE = N_("evidence max age (days)")
EVIDENCE_BLOCKS = N_("evidence blocks")
EVIDENCE_RULES = (EVIDENCE_REQUIRED, EVIDENCE_MAX_AGE, EVIDENCE_BLOCKS)

# Answer columns of a review workbook.
SELECTED = N_("selected")
RISK = N_("risk")
ANSWER = N_("answer")
NOTES = N_("notes")
ANSWERED_BY = N_("answered by")
ANSWERED_AT = N_("answered at")

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
    Column(WAIVABLE, 10),
    Column(ALL_OR_NOTHING, 10),
    Column(EVIDENCE_REQUIRED, 10),
    Column(EVIDENCE_MAX_AGE, 10),
    Column(EVIDENCE_BLOCKS, 10),
]
# The template keeps that order (the columns stakeholders fill in first); an exported checklist
# puts what a reader reads first, and prints it (the rest is for editing and round trips).
CHECKLIST_FIRST = (PILLAR, QUESTION_ID, QUESTION, DESCRIPTION, SEVERITY, OWNER_ROLE, CHOICE)
CHECKLIST_PRINTED = IMPROVEMENT
TEMPLATE_PRINTED = RULES


def _reading_order(first: tuple[str, ...], pool: list[Column], printed: str) -> list[Column]:
    """``first``, then ``printed``, then the other columns of ``pool``; the columns that do not
    print get room for long texts (a row is as tall as its tallest cell, and the printed
    columns should not grow for them)."""
    by_header = {c.header: c for c in pool}
    head = [by_header[h] for h in (*first, printed)]
    rest = [
        Column(c.header, max(c.width, 130) if c.width >= 30 else c.width, c.editable)
        for c in pool
        if c.header not in first and c.header != printed
    ]
    return head + rest


def checklist_columns() -> list[Column]:
    """The Checklist columns of an exported checklist workbook."""
    return _reading_order(CHECKLIST_FIRST, CHECKLIST_COLUMNS, CHECKLIST_PRINTED)


ANSWER_COLUMNS: list[Column] = [
    Column(SELECTED, 9),
    Column(RISK, 13, min_width=13),
    Column(ANSWER, 26),
    Column(NOTES, 36),
    Column(ANSWERED_BY, 14),
    Column(ANSWERED_AT, 17),
]
# The reading columns of a review's Checklist, first (and printed): the answer by the choice.
REVIEW_CHECKLIST_FIRST = (QUESTION_ID, QUESTION, CHOICE, SELECTED, RISK, ANSWER, NOTES)
REVIEW_CHECKLIST_PRINTED = NOTES


def review_checklist_columns() -> list[Column]:
    """The Checklist columns of a review workbook: the question, the choice and its answer
    first (what prints), then the checklist's other columns."""
    wider = {QUESTION: 46, CHOICE: 46, QUESTION_ID: 20}
    pool = [Column(c.header, wider.get(c.header, c.width), c.editable) for c in CHECKLIST_COLUMNS]
    first = REVIEW_CHECKLIST_FIRST[:-1]
    return _reading_order(first, [*pool, *ANSWER_COLUMNS], REVIEW_CHECKLIST_PRINTED)


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
    ALL_OR_NOTHING,
    *EVIDENCE_RULES,
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
    WAIVABLE,
)

# --- the other sheets ----------------------------------------------------------------------------

PILLAR_ID = N_("pillar id")
NAME = N_("name")
PILLAR_COLUMNS = [Column(PILLAR_ID, 16), Column(NAME, 36)]
PILLAR_STATS = [Column(N_("questions"), 11), Column(N_("high"), 8), Column(N_("medium"), 9)]
PILLAR_REVIEW_STATS = [
    Column(N_("answered"), 10),
    Column(N_("not applicable"), 10),
    Column(N_("high risk"), 9),
    Column(N_("medium risk"), 9),
    Column(N_("no risk"), 9),
    Column(N_("unanswered"), 11),
]
ROLE_ID = N_("role id")
TIER_ID = N_("tier id")
ROLE_COLUMNS = [Column(ROLE_ID, 16), Column(NAME, 24), Column(DESCRIPTION, 44)]
TIER_COLUMNS = [Column(TIER_ID, 12), Column(DESCRIPTION, 44)]
LENS_FIELD = N_("field")
LENS_VALUE = N_("value")
LENS_COLUMNS = [Column(LENS_FIELD, 20), Column(LENS_VALUE, 50), Column(N_("about"), 44)]
SOURCE_COLUMNS = [
    Column("file", 30),
    Column("kind", 14),
    Column("description", 50),
    Column("include", 30),
    Column("pillars", 30),
    Column("named pillars", 30),
    Column("evidence required", 10),
    Column("evidence max age (days)", 10),
    Column("evidence blocks", 10),
]
# The Lens sheet holds three tables side by side, each starting at its key heading in row 1
# (the importer finds a table by that heading, on a sheet of its own or beside another).
GAP_COLUMN = Column("", 2)


def lens_sheet_columns() -> list[Column]:
    return [*LENS_COLUMNS, GAP_COLUMN, *ROLE_COLUMNS, GAP_COLUMN, *TIER_COLUMNS]


def lens_table_column(key: str) -> int:
    """The column (1-based) of a table's key heading on the Lens sheet."""
    return [c.header for c in lens_sheet_columns()].index(key) + 1


LENS_ID = N_("id")
LENS_NAME = N_("name")
LENS_DESCRIPTION = N_("description")
LENS_VERSION = N_("version")
LENS_SIGNOFFS = N_("required sign-offs")
LENS_INCLUDE = N_("include")
LENS_INCIDENTS = N_("incidents folder")
LENS_REVIEW_EVERY = N_("review every (days)")
LENS_FIELDS: list[tuple[str, str]] = [
    (
        LENS_ID,
        N_("the lens id: letters, digits and _, 3 to 64 characters (made from the name if blank)"),
    ),
    (LENS_NAME, N_("the checklist's name, at most 128 characters")),
    (LENS_DESCRIPTION, N_("what the checklist is for")),
    (LENS_VERSION, N_("the checklist version, e.g. 1.0")),
    (
        LENS_SIGNOFFS,
        N_("role ids (the roles table) whose sign-off a launch needs, one per line or comma"),
    ),
    (
        LENS_INCLUDE,
        N_("the source files in composition order (leave blank: made from the rows)"),
    ),
    (
        LENS_INCIDENTS,
        N_("where `orr learn` writes learnings from incidents (default: incidents)"),
    ),
    (
        LENS_REVIEW_EVERY,
        N_("how often a workload is reviewed again, e.g. 365 (blank: no cadence)"),
    ),
    (
        EVIDENCE_REQUIRED,
        N_("yes: every answer needs an evidence link unless its question says otherwise"),
    ),
    (
        EVIDENCE_MAX_AGE,
        N_("days after which an evidence link is out of date, unless a question says otherwise"),
    ),
    (
        EVIDENCE_BLOCKS,
        N_("yes: missing or out-of-date evidence of a high-severity question blocks the launch"),
    ),
]

# The Mitigations sheet: one row per mitigation; the yellow columns are a stakeholder's to edit.
MITIGATION_ID = N_("mitigation")
M_QUESTION = N_("question id")
M_PILLAR = N_("pillar")
M_FINDING = N_("finding")
M_RISK = N_("risk")
M_TITLE = N_("mitigation title")
M_OWNER = N_("owner")
M_DUE = N_("due")
M_STATUS = N_("status")
M_BLOCKING = N_("blocking")
M_TICKET = N_("ticket")
M_NOTES = N_("notes")
M_OVERDUE = N_("overdue days")
M_OVERDUE_V1 = N_("overdue")
M_UPDATED_AT = N_("updated at")
M_UPDATED_BY = N_("updated by")
MITIGATION_COLUMNS = [
    Column(MITIGATION_ID, 11),
    Column(M_QUESTION, 20),
    Column(M_FINDING, 30),
    Column(M_RISK, 13, min_width=13),
    Column(M_TITLE, 34),
    Column(M_OWNER, 16, editable=True),
    Column(M_DUE, 12, editable=True),
    Column(M_STATUS, 12, editable=True),
    Column(M_NOTES, 34, editable=True),
    Column(M_BLOCKING, 9),
    Column(M_TICKET, 26),
    Column(M_OVERDUE, 9),
    Column(M_PILLAR, 14),
    Column(M_UPDATED_AT, 17),
    Column(M_UPDATED_BY, 12),
]
MITIGATIONS_PRINTED = M_OVERDUE
# The fields a stakeholder may change in the workbook and `orr xlsx merge` brings back.
MERGED_FIELDS = ("status", "owner", "due", "notes")
MERGED_HEADERS = {"status": M_STATUS, "owner": M_OWNER, "due": M_DUE, "notes": M_NOTES}

# The Findings sheet: one row per finding, most severe first, for stakeholders to act on.
F_FINDING = N_("finding")
F_RISK = N_("risk")
F_STATUS = N_("status")
F_GAP = N_("practices missing (improvement plan)")
F_NA = N_("practices not applicable")
F_NOTES = N_("notes and evidence")
F_PLAN = N_("acceptance or mitigations")
F_NEXT = N_("needed next")
F_OWNER = N_("who")
F_DUE = N_("due")
F_OVERDUE = N_("overdue days")
F_QUESTION_ID = N_("question id")
F_PILLAR = N_("pillar")
FINDING_COLUMNS = [
    Column(F_FINDING, 30),
    Column(F_RISK, 13, min_width=13),
    Column(F_STATUS, 20),
    Column(F_GAP, 40),
    Column(F_NA, 26),
    Column(F_NOTES, 28),
    Column(F_PLAN, 40),
    Column(F_NEXT, 36),
    Column(F_OWNER, 14),
    Column(F_DUE, 11),
    Column(F_OVERDUE, 9),
    Column(F_QUESTION_ID, 20),
    Column(F_PILLAR, 14),
]
FINDINGS_PRINTED = F_OVERDUE

ACCEPTANCE_COLUMNS = [
    Column(N_("acceptance"), 11),
    Column(N_("question id"), 20),
    Column(N_("finding"), 30),
    Column(N_("approver"), 16),
    Column(N_("role"), 13),
    Column(N_("rationale"), 40),
    Column(N_("compensating controls"), 34),
    Column(N_("expires"), 12),
    Column(N_("valid"), 9),
    Column(N_("created at"), 17),
    Column(N_("created by"), 12),
]
SIGNOFF_COLUMNS = [
    Column(N_("role"), 14),
    Column(N_("role name"), 22),
    Column(N_("required"), 10),
    Column(N_("name"), 20),
    Column(N_("decision"), 11),
    Column(N_("at"), 17),
    Column(N_("status"), 12),
    Column(N_("note"), 50),
]
AUDIT_COLUMNS = [
    Column(N_("at"), 18),
    Column(N_("who"), 16),
    Column(N_("action"), 14),
    Column(N_("detail"), 120),
]
META_COLUMNS = [Column("key", 20), Column("value", 60)]
META_MITIGATION_HEADER = ("mitigation", "status", "owner", "due", "notes")
LIST_COLUMNS = [Column("stakeholders", 30)]

# --- words ---------------------------------------------------------------------------------------

YES = N_("yes")
NO = N_("no")
YES_WORDS = ("yes", "true", "1", "y")
NO_WORDS = ("no", "false", "0", "n")


def yes_no(value: bool) -> str:
    return _(YES) if value else _(NO)


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
        text, _sep, url = line.rpartition("|")
        return text.strip(), url.strip() or None
    return line.strip(), None


RULE_ARROW = "->"


def rule_line(rule: RuleSpec) -> str:
    return f"{rule.condition} {RULE_ARROW} {rule.risk}"


# --- reading headings and words in any language orr ships ----------------------------------------


def fold(text: str) -> str:
    """A heading or word as compared: NFKC, case-folded, spaces collapsed, a trailing ``*``
    (a "required" mark) dropped."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return folded.rstrip("*").strip()


@cache
def _catalogue_files(locale_dir: Path) -> tuple[Path, ...]:
    if not locale_dir.is_dir():
        return ()
    return tuple(sorted(locale_dir.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.mo")))


@cache
def _catalogues(files: tuple[Path, ...]) -> tuple[gettext.GNUTranslations, ...]:
    found: list[gettext.GNUTranslations] = []
    for path in files:
        try:
            with path.open("rb") as fp:
                found.append(gettext.GNUTranslations(fp))
        except (OSError, ValueError):  # an unreadable catalogue translates nothing
            continue
    return tuple(found)


def shipped() -> tuple[gettext.GNUTranslations, ...]:
    """Every catalogue shipped in ``orr/locale`` (whatever the language in use)."""
    return _catalogues(_catalogue_files(Path(i18n.LOCALE_DIR)))


@cache
def _translations(
    text: str, current: str, catalogues: tuple[gettext.GNUTranslations, ...]
) -> frozenset[str]:
    return frozenset({fold(text), fold(current), *(fold(c.gettext(text)) for c in catalogues)})


def translations(text: str) -> frozenset[str]:
    """``text`` and its translation in the language in use and in every catalogue shipped in
    ``orr/locale``, folded: what a workbook written in any language orr speaks may say."""
    return _translations(text, _(text), shipped())


def is_none_title(title: str) -> bool:
    """Is ``title`` the "None of these" choice orr adds, as written in the checklist or as orr
    words it in the language in use or in any catalogue it ships (a review's checklist is shown
    in its reader's language)? Exact, not folded: a title typed differently is the author's."""
    return (
        title == NONE_TITLE
        or title == _(NONE_TITLE)
        or any(c.gettext(NONE_TITLE) == title for c in shipped())
    )


def heading_keys(keys: Iterable[str]) -> dict[str, str]:
    """Folded heading (English or any translation) -> its canonical key."""
    out: dict[str, str] = {}
    for key in keys:
        for text in sorted(translations(key)):
            out.setdefault(text, key)
    return out


def word_of(value: str, words: Mapping[str, Iterable[str]]) -> str | None:
    """The canonical word (a key of ``words``) that ``value`` spells, in English, one of the
    listed spellings, or a translation; None when it is none of them."""
    folded = fold(value)
    for key, spellings in words.items():
        if folded in translations(key) or folded in {fold(s) for s in spellings}:
            return key
    return None
