"""Builders shared by the spreadsheet tests (this module holds no tests)."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

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


def open_book(path: Path) -> Workbook:
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
