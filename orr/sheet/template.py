"""`orr xlsx template`: an empty authoring workbook that a security, operations or governance
stakeholder fills in without knowing TOML; `orr xlsx import` turns it into checklist files.

It has the tables of an exported checklist (so an export can be edited the same way): the
Checklist columns with drop-downs for pillar, severity, owner role, tiers and the yes/no columns,
the Pillars table, and the Lens sheet with the lens fields, the roles and the tiers side by side
(common stakeholder roles and a ``core`` tier filled in to start from); and a README with the
steps, every column explained, and a worked example question (`EXAMPLE_ROWS`: it imports and
lints clean, a test checks it). Empty, it prints on two pages: the README and the Lens sheet.
"""

from __future__ import annotations

from pathlib import Path

from orr.i18n import N_, _
from orr.sheet import layout as L
from orr.sheet.cells import Book, Column, header_text
from orr.sheet.export import checklist_drop_downs, lens_sheet, readme_sheet

ROWS = 500  # drop-downs reach this far, leaving room for the rows stakeholders add

STARTER_ROLES = [
    ("owner", N_("Workload owner"), N_("Accountable for the workload and the launch decision.")),
    (
        "development",
        N_("Development lead"),
        N_("Leads the team that builds and deploys the workload."),
    ),
    (
        "operations",
        N_("Operations / on-call"),
        N_("Runs the workload in production and takes its pages."),
    ),
    ("security", N_("Security reviewer"), N_("Reviews the workload's security controls.")),
    ("business", N_("Business owner"), N_("Speaks for customers and the business outcome.")),
]
STARTER_TIERS = [("core", N_("The short path for a first review: at most 30 questions."))]

# A worked example: one question as its rows in the Checklist sheet (header -> cell). The README
# shows it, its texts in the language in use (`_example_value`); a test fills a template with it
# as written here, imports it and lints it clean.
EXAMPLE_PILLAR = ("ops", N_("Operations"))
EXAMPLE_RULES = (
    "ops_rollback_tested && ops_rollback_automated && !ops_rollback_no -> NO_RISK\n"
    "ops_rollback_tested && !ops_rollback_no -> MEDIUM_RISK\n"
    "default -> HIGH_RISK"
)
EXAMPLE_ROWS: list[dict[str, str]] = [
    {
        L.PILLAR: "ops",
        L.QUESTION_ID: "ops_rollback",
        L.QUESTION: N_("Can the team roll back a bad release within minutes?"),
        L.DESCRIPTION: N_("A release that cannot be undone turns a small fault into an outage."),
        L.EVIDENCE: N_("The rollback runbook") + "\n" + N_("The last rollback drill"),
        L.SEVERITY: "high",
        L.OWNER_ROLE: "operations",
        L.SOURCE: "operations",
        L.REFERENCES: "OPS06-BP04",
        L.TIER: "core",
        L.CHOICE_ID: "ops_rollback_tested",
        L.CHOICE: N_("Rollback is tested before every release"),
        L.HELPFUL: N_("A tested rollback works when it is needed."),
        L.IMPROVEMENT: N_("Add a rollback step to the release checklist and run it in staging."),
        L.RULES: EXAMPLE_RULES,
        L.MORE_IMPROVEMENT: N_("Release runbook") + " | https://wiki.example.com/release-runbook",
    },
    {
        L.CHOICE_ID: "ops_rollback_automated",
        L.CHOICE: N_("Rollback is one automated step"),
        L.IMPROVEMENT: N_("Script the rollback in the deployment pipeline."),
    },
]

COLUMN_HELP: list[tuple[str, str]] = [
    (L.PILLAR, N_("required: a pillar id (or name) from the Pillars sheet")),
    (L.QUESTION_ID, N_("optional: letters, digits and _; made from the question when blank")),
    (L.QUESTION, N_("required: the question, at most 128 characters")),
    (L.DESCRIPTION, N_("why it matters")),
    (L.EVIDENCE, N_("what a reviewer asks to see, one item per line")),
    (L.SEVERITY, N_("high (launch-blocking when unmet, the default) or medium (needs a plan)")),
    (L.OWNER_ROLE, N_("the role that answers it, from the roles table on the Lens sheet")),
    (
        L.SOURCE,
        N_(
            "where it comes from: governance, security, incident, operations (default) or a "
            "word of yours; one TOML file is made per source"
        ),
    ),
    (
        L.REFERENCES,
        N_("best-practice or control ids it draws on (OPS06-BP04), one per line or comma"),
    ),
    (L.TIER, N_("tier ids from the tiers table on the Lens sheet (e.g. core)")),
    (L.CHOICE_ID, N_("optional: made from the choice when blank")),
    (L.CHOICE, N_("required: one good practice the team can claim, at most 128 characters")),
    (L.HELPFUL, N_("why the practice helps")),
    (L.IMPROVEMENT, N_("required for a practice: how to put it in place")),
    (
        L.RULES,
        N_(
            "optional risk rules, one per line, least risky first, `default -> RISK` last; "
            "guard the better rules with `!<question id>_no` (see the example); blank: made "
            "from the severity"
        ),
    ),
    (L.INCIDENTS, N_("incident ids, for learnings from incidents")),
    (L.TAGS, N_("free words for filtering")),
    (L.RESOURCE, N_("a helpful link's text for the question")),
    (L.RESOURCE_URL, N_("its http(s) address")),
    (L.HELPFUL_URL, N_("a link for the choice's helpful text")),
    (L.IMPROVEMENT_URL, N_("a link for the improvement plan")),
    (L.MORE_HELPFUL, N_("further links, one per line: `text | https://...`")),
    (L.MORE_IMPROVEMENT, N_("further links, one per line: `text | https://...`")),
    (L.NONE_CHOICE, N_('yes (default): orr adds the choice "None of these"; no: it does not')),
    (
        L.SOURCE_FILE,
        N_("optional: the TOML file the question goes to (default: <source>.toml)"),
    ),
    (L.MORE_ORDER, N_("leave blank (kept for checklists imported from a lens)")),
    (L.WAIVABLE, N_("no: a review may never mark this practice not applicable (default yes)")),
    (
        L.ALL_OR_NOTHING,
        N_("yes: every practice blocks the launch, as meant (no risk rules needed)"),
    ),
    (
        L.EVIDENCE_REQUIRED,
        N_("yes: an answer needs an evidence link (blank: as the Lens sheet says)"),
    ),
    (
        L.EVIDENCE_MAX_AGE,
        N_("days after which an evidence link is out of date (blank: as the Lens sheet says)"),
    ),
    (
        L.EVIDENCE_BLOCKS,
        N_("yes: missing or out-of-date evidence blocks the launch when the question is high"),
    ),
]


# The example's cells a reader reads, shown in the language in use (one text per line); its
# ids, rules, source and tier stay as the checklist has them.
_EXAMPLE_TEXTS = frozenset(
    {L.QUESTION, L.DESCRIPTION, L.EVIDENCE, L.CHOICE, L.HELPFUL, L.IMPROVEMENT}
)


def _example_value(header: str, value: str) -> str:
    """An example cell as the README shows it: texts and the severity word translated, a
    link's text translated and its address kept."""
    if header in _EXAMPLE_TEXTS:
        return "\n".join(_(line) if line else line for line in value.split("\n"))
    if header == L.SEVERITY:
        return _(value)
    if header in (L.MORE_HELPFUL, L.MORE_IMPROVEMENT):
        lines = []
        for line in L.split_lines(value):
            text, url = L.parse_resource_line(line)
            shown = _(text) if text else text
            lines.append(shown + L.LINK_SEPARATOR + url if url else shown)
        return "\n".join(lines)
    return value


def _example_cells(row: dict[str, str]) -> str:
    return "; ".join(f"{_(h)}: {_example_value(h, v)}" for h, v in row.items() if h != L.RULES)


def _example_lines() -> list[tuple[str, str]]:
    first, second = EXAMPLE_ROWS
    return [
        (_("Example"), _("one question with two practices, as its rows in the Checklist:")),
        (
            "",
            _("Pillars: pillar id {id}, name {name}").format(
                id=EXAMPLE_PILLAR[0], name=_(EXAMPLE_PILLAR[1])
            ),
        ),
        ("", _("row 2: {cells}").format(cells=_example_cells(first))),
        ("", _("row 2, {rules}:").format(rules=_(L.RULES)) + "\n" + first[L.RULES]),
        ("", _("row 3: {cells}").format(cells=_example_cells(second))),
    ]


def template_book() -> Book:
    """The empty authoring workbook (not yet written)."""
    book = Book()
    book.page.left = header_text(_("ORR checklist template"))
    lines: list[tuple[str, object]] = [
        ("#", _("Write an operational readiness review (ORR) checklist")),
        (
            _("What this is"),
            _(
                "A workbook to write readiness questions in, without knowing TOML. `orr xlsx "
                "import BOOK.xlsx -o checklists` turns it into the checklist files orr reviews "
                "with, and reports every problem with its sheet and cell."
            ),
        ),
        (
            _("1. Lens"),
            _(
                "Give the checklist a name (the id is made from it when blank) and list the "
                "roles whose sign-off a launch needs. Beside the fields: the stakeholder roles "
                "who answer questions and the tiers; keep, rename or add rows."
            ),
        ),
        (
            _("2. Pillars"),
            _("Up to 10 groups of questions: a name for each (the id is made from it when blank)."),
        ),
        (
            _("3. Checklist"),
            _(
                "One row per practice (choice). Write the question and its fields on its first "
                "row; leave the question cells blank on the rows of its other practices, or "
                "repeat them (merged cells are read too). Up to 20 questions per pillar and 14 "
                "practices per question."
            ),
        ),
        (
            _("4. Import"),
            _(
                "Give the workbook to whoever keeps the checklist: `orr xlsx import BOOK.xlsx -o "
                "DIR`, then `orr checklist lint DIR/orr.toml`."
            ),
        ),
        *_example_lines(),
        ("", ""),
        (
            _("Checklist columns"),
            _("(a yellow header: the columns most stakeholders fill in)"),
        ),
        *[(_(h), _(text)) for h, text in COLUMN_HELP],
    ]
    readme_sheet(book, lines, bold=frozenset(_(h) for h, _text in COLUMN_HELP))

    main = {L.PILLAR, L.QUESTION, L.SEVERITY, L.OWNER_ROLE, L.SOURCE, L.CHOICE, L.IMPROVEMENT}
    columns = [Column(c.header, c.width, editable=c.header in main) for c in L.CHECKLIST_COLUMNS]
    checklist = book.sheet(L.sheet_title(L.CHECKLIST), columns, freeze="D2")
    checklist.min_rows = ROWS
    checklist.print.last_column = [c.header for c in columns].index(L.TEMPLATE_PRINTED) + 1
    checklist.print.landscape = True
    checklist_drop_downs(checklist, [c.header for c in columns])

    pillars = book.sheet(L.sheet_title(L.PILLARS), L.PILLAR_COLUMNS)
    pillars.print.landscape = False
    lens_sheet(
        book,
        {L.LENS_VERSION: "1.0", L.LENS_SIGNOFFS: "owner\nsecurity\noperations"},
        [(rid, _(name), _(about)) for rid, name, about in STARTER_ROLES],
        [(tid, _(about)) for tid, about in STARTER_TIERS],
        min_rows=ROWS,
    )
    book.active = L.sheet_title(L.README)
    return book


def write_template(path: Path) -> None:
    template_book().save(path)
