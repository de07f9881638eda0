"""Builders shared by the spreadsheet tests (this module holds no tests)."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from orr.checklist import Checklist, load_checklist
from orr.review import ops
from orr.review.model import Review
from orr.review.store import ReviewStore
from orr.sheet import layout as L
from orr.sheet.template import write_template
from tests.helpers import write_checklist

COL = {c.header: get_column_letter(i) for i, c in enumerate(L.CHECKLIST_COLUMNS, start=1)}
NOW = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
TODAY = date(2025, 2, 10)

# A checklist using every feature of the format that a workbook must carry through a round
# trip: links, further links, explicit rules, an explicit "None of these" with its own title,
# none_choice = false, multi-line texts, incidents, tags, tiers, two files naming one pillar,
# a nested include, a source description and the lens-import field more_order.
RICH_MANIFEST = """\
schema_version = 1
id = "rich_lens"
name = "Rich checklist"
description = "Every feature."
version = "2.1"
include = ["security.toml", "ops/*.toml"]
incidents = "learned"
required_signoffs = ["owner", "security"]

[roles.owner]
name = "Owner"
description = "Accountable."

[roles.security]
name = "Security reviewer"

[roles.operations]
name = "Operations"

[tiers.core]
description = "First review"

[tiers.launch]
"""

RICH_SECURITY = '''\
schema_version = 1
kind = "security"
description = "Security objectives."
include = ["extra/incident.toml"]

[[pillars]]
id = "security"
name = "Security"

[[pillars.questions]]
id = "sec_access"
title = "Is access least privilege?"
description = """
Over-broad roles turn a small bug into a breach.
Second line, with a comma, and "quotes"."""
evidence = ["IAM policies, as attached", "The access-analyzer report"]
helpful_resource = { text = "Least privilege", url = "https://docs.example.com/lp" }
owner_role = "security"
severity = "high"
references = ["SEC03-BP02", "SEC01-BP03"]
tiers = ["core", "launch"]
tags = ["iam"]

[[pillars.questions.choices]]
id = "sec_roles"
title = "Scoped roles"
helpful = { text = "One role per component.", url = "https://example.com/roles" }
improvement = { text = "Split roles.", url = "https://example.com/split" }
more_helpful = [{ text = "Examples", url = "https://example.com/ex" }, { text = "Plain note" }]
more_improvement = [{ text = "Guide", url = "https://example.com/guide" }]
more_order = ["improvement", "helpful"]

[[pillars.questions.choices]]
id = "sec_review"
title = "Reviewed permissions"
improvement = "Review them."

[[pillars.questions.choices]]
id = "sec_access_no"
title = "We have not looked at this"

[[pillars.questions.rules]]
condition = "sec_roles && sec_review && !sec_access_no"
risk = "NO_RISK"

[[pillars.questions.rules]]
condition = "(sec_roles || sec_review) && !sec_access_no"
risk = "MEDIUM_RISK"

[[pillars.questions.rules]]
condition = "default"
risk = "HIGH_RISK"

[[pillars]]
id = "ops"
name = "Operations"

[[pillars.questions]]
id = "ops_runbooks"
title = "Are there runbooks?"
owner_role = "operations"
severity = "medium"
none_choice = false

[[pillars.questions.choices]]
id = "ops_rb_written"
title = "Runbooks are written"
improvement = "Write them."

[[pillars.questions.choices]]
id = "ops_rb_tested"
title = "Runbooks are tested"
improvement = "Test them."
'''

RICH_INCIDENT = """\
schema_version = 1
kind = "incident"

[[pillars]]
id = "security"

[[pillars.questions]]
id = "sec_certs"
title = "Are certificates renewed automatically?"
owner_role = "operations"
incidents = ["INC-1"]

[[pillars.questions.choices]]
id = "sec_cert_auto"
title = "Automatic renewal"
improvement = "Use managed certificates."
"""

RICH_OPS = """\
schema_version = 1
kind = "operations"

[[pillars]]
id = "ops"

[[pillars.questions]]
id = "ops_alarms"
title = "Do alarms page the on-call?"
owner_role = "operations"

[[pillars.questions.choices]]
id = "ops_alarm_paging"
title = "Alarms page"
improvement = "Route alarms."
"""


def write_rich_checklist(folder: Path) -> Path:
    return write_checklist(
        folder,
        sources={
            "security.toml": RICH_SECURITY,
            "extra/incident.toml": RICH_INCIDENT,
            "ops/alarms.toml": RICH_OPS,
        },
        manifest=RICH_MANIFEST,
    )


def make_review(folder: Path, *, workload: str = "payments") -> tuple[Path, Checklist]:
    """A review of the test checklist (tests/helpers.py) with three mitigations, an acceptance,
    a sign-off and notes; saved in ``folder``/review.toml."""
    manifest = write_checklist(folder / "checklist")
    checklist = load_checklist(manifest)
    path = folder / "review.toml"
    review, _ = ops.new_review(
        checklist,
        workload=workload,
        launch_date="2025-03-01",
        manifest=ops.manifest_ref(manifest, path),
        who="lead",
        now=NOW,
        today=TODAY,
    )
    ops.set_answer(
        review,
        checklist,
        "sec_access",
        choices=["sec_roles"],
        notes="roles split in Q1",
        who="reviewer",
        now=NOW,
    )
    for n, (title, owner, due) in enumerate(
        [
            ("Split roles", "alice", "2025-02-01"),
            ("Review permissions", "bob", "2025-03-15"),
            ("Access analyzer", "carol", None),
        ]
    ):
        ops.add_mitigation(
            review,
            checklist,
            "sec_access",
            title=title,
            owner=owner,
            due=due,
            notes=f"note {n + 1}",
            who="lead",
            now=NOW,
            today=date(2025, 1, 1),
        )
    ops.add_acceptance(
        review,
        checklist,
        "sec_access",
        approver="Dana",
        role="owner",
        rationale="Beta only",
        expires="2025-04-01",
        who="lead",
        now=NOW,
        today=date(2025, 1, 1),
    )
    ops.sign_off(review, checklist, "owner", "Pat", "approve", who="Pat", now=NOW)
    ReviewStore(path).create(review, "lead")
    return path, checklist


def edit_review(path: Path, change: Any) -> None:
    """Change a review file the way another user would (through the store)."""
    ReviewStore(path).transact(change, "other")


def load_review_file(path: Path) -> Review:
    return ReviewStore(path).load()


def open_book(path: Path) -> Any:
    """A workbook as openpyxl reads it (typed loosely: its cells, headers and page setup)."""
    return load_workbook(path)


def formula_cells(path: Path) -> list[str]:
    """Every cell openpyxl reads as a formula, and any <f> element in the sheets' XML."""
    found: list[str] = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{ws.title}!{cell.coordinate}")
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in z.read(name):
                found.append(name)
    return found


def column_of(ws: Any, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return int(cell.column)
    raise AssertionError(f"no column {header!r} in {ws.title}")


def rows_as_dicts(ws: Any) -> list[dict[str, Any]]:
    headers = [c.value for c in ws[1]]
    return [
        dict(zip(headers, values, strict=False))
        for values in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in values)
    ]


def filled_template(
    path: Path,
    rows: list[dict[str, Any]],
    *,
    lens: dict[str, Any] | None = None,
    pillars: list[tuple[str | None, str]] | None = None,
) -> Path:
    """The template with the Lens, Pillars and Checklist sheets filled in as a stakeholder would."""
    write_template(path)
    wb = load_workbook(path)
    lens_rows = {name: i for i, (name, _) in enumerate(L.LENS_FIELDS, start=2)}
    for key, value in (lens if lens is not None else {L.LENS_NAME: "Launch checklist"}).items():
        wb[L.LENS].cell(lens_rows[key], 2).value = value
    for i, (pid, name) in enumerate(
        pillars if pillars is not None else [("ops", "Operations"), (None, "Security")], start=2
    ):
        wb[L.PILLARS].cell(i, 1).value = pid
        wb[L.PILLARS].cell(i, 2).value = name
    ws = wb[L.CHECKLIST]
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws[f"{COL[header]}{r}"] = value
    wb.save(path)
    return path


# --- a review as stakeholders see one: 60 questions, 5 findings ----------------------------------

_PILLARS = [
    ("governance", "Governance and compliance", "governance"),
    ("security", "Security", "security"),
    ("architecture", "Architecture and resilience", "operations"),
    ("release", "Release quality", "operations"),
    ("observability", "Observability and event management", "operations"),
    ("operations", "Operations and people", "operations"),
]
_TOPICS = [
    "ownership",
    "on-call rota",
    "runbooks",
    "rollback",
    "backups",
    "capacity",
    "alarms",
    "dashboards",
    "access reviews",
    "dependencies",
]


def _sixty_source(pillar: str, name: str, kind: str) -> str:
    lines = ["schema_version = 1", f'kind = "{kind}"', "", "[[pillars]]", f'id = "{pillar}"']
    lines.append(f'name = "{name}"')
    for q, topic in enumerate(_TOPICS):
        qid = f"{pillar[:4]}_{topic.replace(' ', '_').replace('-', '_')}"
        lines += [
            "",
            "[[pillars.questions]]",
            f'id = "{qid}"',
            f'title = "Is the {topic} of the workload ready for the launch ({pillar})?"',
            f'description = """The team shows how the {topic} works today, who looks after it '
            f"and what happens when it fails. Without it a small fault at launch becomes an "
            f'outage that nobody can explain or undo in time."""',
            f'evidence = ["The {topic} document, reviewed this quarter", "A drill or test '
            f'record that exercised the {topic}"]',
            f'references = ["OPS0{q % 9 + 1}-BP0{q % 5 + 1}"]',
            'owner_role = "operations"' if q % 2 else 'owner_role = "security"',
            f'severity = "{"high" if q % 3 else "medium"}"',
            'tiers = ["core"]' if q < 5 else "tiers = []",
        ]
        for c, practice in enumerate(
            ["written down", "owned by a named person", "tested in a drill", "reviewed yearly"]
        ):
            lines += [
                "",
                "[[pillars.questions.choices]]",
                f'id = "{qid}_p{c}"',
                f'title = "The {topic} is {practice}"',
                f'helpful = "Teams that keep the {topic} {practice} recover faster."',
                f'improvement = "Make sure the {topic} is {practice} before the launch: '
                f'add it to the launch plan with an owner and a date."',
            ]
    return "\n".join(lines) + "\n"


SIXTY_MANIFEST = """\
schema_version = 1
id = "launch_orr"
name = "Launch readiness checklist"
description = "The questions every workload answers before it launches."
version = "3.2"
include = [{include}]
required_signoffs = ["owner", "security", "operations"]

[roles.owner]
name = "Workload owner"
description = "Accountable for the workload and the launch decision."

[roles.security]
name = "Security reviewer"

[roles.operations]
name = "Operations / on-call"

[tiers.core]
description = "The short path for a first review."
"""


SIXTY_FORMULA_NOTE = "=1+1"  # text a spreadsheet would run: it must stay text


def make_sixty_review(folder: Path) -> Path:
    """A review of a 60-question checklist (6 pillars of 10): every question answered, 5 findings
    (two HIGH: one accepted, one with an overdue and a withdrawn mitigation; three MEDIUM: one
    mitigated, one planned, one without a plan), practices and a question marked not applicable,
    notes and evidence, three stakeholders and a sign-off. Saved as ``folder``/review.toml."""
    sources = {f"{p}.toml": _sixty_source(p, n, k) for p, n, k in _PILLARS}
    manifest = write_checklist(
        folder / "checklist",
        sources=sources,
        manifest=SIXTY_MANIFEST.format(include=", ".join(f'"{s}"' for s in sources)),
    )
    checklist = load_checklist(manifest)
    path = folder / "review.toml"
    review, _ = ops.new_review(
        checklist,
        workload="Payments API",
        launch_date="2025-03-01",
        manifest=ops.manifest_ref(manifest, path),
        owner="Pat Lee",
        description="Card payments for the web shop",
        stakeholders=[("Pat Lee", "owner"), ("Sam Ortiz", "security"), ("Kim Wu", "operations")],
        who="lead",
        now=NOW,
        today=TODAY,
    )
    questions = checklist.questions
    findings = {
        questions[1].id: ["p0"],  # HIGH: accepted
        questions[4].id: ["p0", "p1"],  # HIGH: an overdue and a withdrawn mitigation
        questions[13].id: ["p0", "p1", "p2"],  # MEDIUM: mitigated
        questions[20].id: ["p1"],  # MEDIUM: a non-blocking mitigation under way
        questions[33].id: [],  # MEDIUM: None of these, no plan yet
    }
    for i, q in enumerate(questions):
        wanted = findings.get(q.id)
        if i == 50:
            ops.set_answer(
                review, checklist, q.id, na_reason="OUT_OF_SCOPE",
                na_note="The workload keeps no data of its own.", who="reviewer", now=NOW,
            )  # fmt: skip
            continue
        if wanted is None:
            choices = q.practice_ids
        elif wanted:
            choices = [f"{q.id}_{p}" for p in wanted]
        else:
            choices = [f"{q.id}_no"]
        if i == 7:  # one practice does not apply: the rest are in place
            choices = choices[:-1]
        ops.set_answer(
            review,
            checklist,
            q.id,
            choices=choices,
            none=not choices,
            notes=f"Walked through with the team on 2025-01-0{i % 9 + 1}."
            if i % 4 == 0 or wanted is not None
            else None,
            evidence=[f"https://wiki.example.com/payments/{q.id}"] if i % 6 == 0 else (),
            who="reviewer",
            now=NOW,
        )
        if i == 7:
            ops.set_practice_na(
                review, checklist, q.id, q.practice_ids[-1], "ARCHITECTURE_CONSTRAINTS",
                "A managed service reviews it for us.", who="reviewer", now=NOW,
            )  # fmt: skip
    f = list(findings)
    ops.set_practice_na(
        review, checklist, f[0], f"{f[0]}_p3", "BUSINESS_PRIORITIES",
        "Yearly reviews start after the first quarter.", who="reviewer", now=NOW,
    )  # fmt: skip
    ops.add_acceptance(
        review, checklist, f[0], approver="Pat Lee", role="owner",
        rationale="The beta has 20 invited merchants; the on-call lead watches the dashboards.",
        expires="2025-06-30", controls="Daily manual check of the payment logs.",
        who="lead", now=NOW, today=date(2025, 1, 1),
    )  # fmt: skip
    ops.add_mitigation(
        review, checklist, f[1], title="Write the rollback runbook and test it in staging",
        owner="Kim Wu", due="2025-02-01", ticket="https://tickets.example.com/PAY-101",
        notes="Draft in review.", who="lead", now=NOW, today=date(2025, 1, 1),
    )  # fmt: skip
    ops.add_mitigation(
        review, checklist, f[1], title="Buy a rollback tool", owner="Kim Wu", due="2025-02-20",
        who="lead", now=NOW, today=date(2025, 1, 1),
    )  # fmt: skip
    ops.withdraw_mitigation(review, "M2", reason="the platform has one", who="lead", now=NOW)
    ops.add_mitigation(
        review, checklist, f[2], title="Run the restore drill", owner="Sam Ortiz",
        due="2025-01-20", status="done", who="lead", now=NOW, today=date(2025, 1, 1),
    )  # fmt: skip
    ops.add_mitigation(
        review, checklist, f[3], title="Name an owner for the dashboards", owner="Pat Lee",
        due="2025-02-25", blocking=False, notes=SIXTY_FORMULA_NOTE, who="lead", now=NOW,
        today=date(2025, 1, 1),
    )  # fmt: skip
    ops.sign_off(review, checklist, "security", "Sam Ortiz", "approve", who="Sam Ortiz", now=NOW)
    ReviewStore(path).create(review, "lead")
    return path
