"""`orr xlsx template`: an empty authoring workbook that a security, operations or governance
stakeholder fills in without knowing TOML; `orr xlsx import` turns it into checklist files.

It has the sheets and columns of an exported checklist (so an export can be edited the same
way), drop-downs for pillar, severity, owner role, tiers and "none of these", an instructions
sheet, and common stakeholder roles and a ``core`` tier filled in to start from.
"""

from __future__ import annotations

from pathlib import Path

from orr.sheet import layout as L
from orr.sheet.cells import Book, Column, Styled
from orr.sheet.export import checklist_drop_downs

ROWS = 500  # drop-downs reach this far, leaving room for the rows stakeholders add

STARTER_ROLES = [
    ("owner", "Workload owner", "Accountable for the workload and the launch decision."),
    ("development", "Development lead", "Leads the team that builds and deploys the workload."),
    ("operations", "Operations / on-call", "Runs the workload in production and takes its pages."),
    ("security", "Security reviewer", "Reviews the workload's security controls."),
    ("business", "Business owner", "Speaks for customers and the business outcome."),
]
STARTER_TIERS = [("core", "The short path for a first review: at most 30 questions.")]

COLUMN_HELP: list[tuple[str, str]] = [
    (L.PILLAR, "required: a pillar id (or name) from the Pillars sheet"),
    (L.QUESTION_ID, "optional: letters, digits and _; made from the question when blank"),
    (L.QUESTION, "required: the question, at most 128 characters"),
    (L.DESCRIPTION, "why it matters"),
    (L.EVIDENCE, "what a reviewer asks to see, one item per line"),
    (L.SEVERITY, "high (launch-blocking when unmet, the default) or medium (needs a plan)"),
    (L.OWNER_ROLE, "the role that answers it, from the Roles sheet"),
    (
        L.SOURCE,
        "where it comes from: governance, security, incident, operations (default) or "
        "a word of yours; one TOML file is made per source",
    ),
    (L.REFERENCES, "best-practice or control ids it draws on (OPS07-BP02), one per line or comma"),
    (L.TIER, "tier ids from the Tiers sheet (e.g. core)"),
    (L.CHOICE_ID, "optional: made from the choice when blank"),
    (L.CHOICE, "required: one good practice the team can claim, at most 128 characters"),
    (L.HELPFUL, "why the practice helps"),
    (L.IMPROVEMENT, "required for a practice: how to put it in place"),
    (
        L.RULES,
        "optional risk rules, one per line: `choice_a && choice_b -> NO_RISK`, last "
        "`default -> HIGH_RISK`; blank: made from the severity",
    ),
    (L.INCIDENTS, "incident ids, for learnings from incidents"),
    (L.TAGS, "free words for filtering"),
    (L.RESOURCE, "a helpful link's text for the question"),
    (L.RESOURCE_URL, "its http(s) address"),
    (L.HELPFUL_URL, "a link for the choice's helpful text"),
    (L.IMPROVEMENT_URL, "a link for the improvement plan"),
    (L.MORE_HELPFUL, "further links, one per line: `text | https://...`"),
    (L.MORE_IMPROVEMENT, "further links, one per line: `text | https://...`"),
    (L.NONE_CHOICE, 'yes (default): orr adds the choice "None of these"; no: it does not'),
    (L.SOURCE_FILE, "optional: the TOML file the question goes to (default: <source>.toml)"),
    (L.MORE_ORDER, "leave blank (kept for checklists imported from a lens)"),
]


def template_book() -> Book:
    """The empty authoring workbook (not yet written)."""
    book = Book()
    readme = book.sheet(L.README, freeze=None, header=False)
    readme.widths([28, 100])
    lines: list[tuple[str, str]] = [
        ("#", "Write an operational readiness review (ORR) checklist"),
        (
            "What this is",
            "A workbook to write readiness questions in, without knowing TOML. "
            "`orr xlsx import BOOK.xlsx -o checklists` turns it into the checklist files orr "
            "reviews with, and reports every problem with its sheet and cell.",
        ),
        (
            "1. Lens",
            "Give the checklist a name (the id is made from it when blank) and list "
            "the roles whose sign-off a launch needs.",
        ),
        ("2. Roles", "The stakeholders who answer questions. Keep, rename or add roles."),
        (
            "3. Pillars",
            "Up to 10 groups of questions: a name for each (the id is made from it when blank).",
        ),
        (
            "4. Checklist",
            "One row per practice (choice). Write the question and its fields on "
            "its first row; leave the question cells blank on the rows of its other practices, "
            "or repeat them. Up to 20 questions per pillar and 14 practices per question.",
        ),
        (
            "5. Import",
            "Give the workbook to whoever keeps the checklist: `orr xlsx import "
            "BOOK.xlsx -o DIR`, then `orr checklist lint DIR/orr.toml`.",
        ),
        ("", ""),
        ("Checklist columns", "(a yellow header: the columns most stakeholders fill in)"),
        *COLUMN_HELP,
    ]
    for label, value in lines:
        if label == "#":
            readme.append([Styled(value, "title")])
        elif label in {h for h, _ in COLUMN_HELP}:
            readme.append([Styled(label, "bold"), value])
        else:
            readme.append([Styled(label, "label"), value])

    main = {L.PILLAR, L.QUESTION, L.SEVERITY, L.OWNER_ROLE, L.SOURCE, L.CHOICE, L.IMPROVEMENT}
    columns = [Column(c.header, c.width, editable=c.header in main) for c in L.CHECKLIST_COLUMNS]
    checklist = book.sheet(L.CHECKLIST, columns, freeze="D2")
    checklist.min_rows = ROWS
    checklist_drop_downs(checklist, [c.header for c in columns])

    book.sheet(L.PILLARS, L.PILLAR_COLUMNS)
    lens = book.sheet(L.LENS, L.LENS_COLUMNS)
    starter = {L.LENS_VERSION: "1.0", L.LENS_SIGNOFFS: "owner\nsecurity\noperations"}
    for name, about in L.LENS_FIELDS:
        lens.append([Styled(name, "label"), starter.get(name), Styled(about, "muted")])
    roles = book.sheet(L.ROLES, L.ROLE_COLUMNS)
    for role in STARTER_ROLES:
        roles.append(list(role))
    tiers = book.sheet(L.TIERS, L.TIER_COLUMNS)
    for tier in STARTER_TIERS:
        tiers.append(list(tier))
    return book


def write_template(path: Path) -> None:
    template_book().save(path)
