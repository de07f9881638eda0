"""Small builders for test checklists."""

from __future__ import annotations

import struct
import textwrap
from pathlib import Path

from orr import i18n as orr_i18n

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


# --- message catalogues --------------------------------------------------------------------


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU gettext catalogue (.mo) holding ``messages`` (what msgfmt writes, without hashes)."""
    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = [k.encode("utf-8") for k, _ in entries]
    strs = [v.encode("utf-8") for _, v in entries]
    header = 7 * 4
    table = header + 2 * 8 * len(entries)
    offsets: list[tuple[int, int]] = []
    blob = b""
    for data in [*ids, *strs]:
        offsets.append((len(data), table + len(blob)))
        blob += data + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(entries), header, header + 8 * len(entries), 0, 0)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + blob)


def forget_catalogues() -> None:
    """orr reads a catalogue once: forget those read, so that the next lookup reads the
    catalogue of the locale folder in use."""
    cached = getattr(orr_i18n, "_catalogue", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
