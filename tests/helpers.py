"""Small builders for test checklists."""

from __future__ import annotations

import textwrap
from pathlib import Path

MANIFEST = """\
schema_version = 1
id = "test_lens"
name = "Test checklist"
description = "A checklist for tests."
version = "1.0"
include = {include}
required_signoffs = ["owner"]

[roles.owner]
name = "Owner"

[roles.security]
name = "Security reviewer"

[tiers.core]
description = "First review"
"""

SOURCE = """\
schema_version = 1
kind = "security"

[[pillars]]
id = "security"
name = "Security"

[[pillars.questions]]
id = "sec_access"
title = "Is access least privilege?"
owner_role = "security"
severity = "high"
tiers = ["core"]
references = ["SEC03-BP02"]

[[pillars.questions.choices]]
id = "sec_roles"
title = "Scoped roles"
helpful = "One role per component."
improvement = "Split roles."

[[pillars.questions.choices]]
id = "sec_review"
title = "Reviewed permissions"
helpful = "Reviewed before launch."
improvement = "Review them."
"""


def write_checklist(
    folder: Path,
    sources: dict[str, str] | None = None,
    include: list[str] | None = None,
    manifest: str | None = None,
) -> Path:
    """Write a manifest and source files; returns the manifest path."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = {"security.toml": SOURCE} if sources is None else sources
    if include is None:
        include = sorted(sources)
    for name, text in sources.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    path = folder / "orr.toml"
    inc = "[" + ", ".join(f'"{i}"' for i in include) + "]"
    path.write_text(
        manifest if manifest is not None else MANIFEST.format(include=inc), encoding="utf-8"
    )
    return path
