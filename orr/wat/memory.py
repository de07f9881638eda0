"""Which WA Tool custom lens a checklist was pushed as: ``.orr-wat.toml`` next to the manifest.

One entry per lens: its ARN, the Region (and the endpoint, when one was given), the lens name,
the hash of the lens JSON last imported, and the version last published with that hash. No
credentials, account secrets or profile names are ever written here: the file is meant to be
committed with the checklist, so that anyone pushing from the repository updates the same lens.

The same checklist may live as one lens per account and Region; an entry is found again by the
Region and endpoint, and, when several accounts share a Region, by the lenses the account lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w

from orr.errors import InputError
from orr.tomlfile import TOMLDecodeError, display_path, write_atomic
from orr.tomlfile import loads as toml_loads

MEMORY_FILE = ".orr-wat.toml"

_HEADER = (
    "# Written by `orr wat push-lens`: the Well-Architected Tool custom lens this checklist was\n"
    "# pushed as, per Region. Lens ARNs only (never credentials): commit it with the checklist so\n"
    "# that the next push, from any machine, makes a new version of the same lens.\n\n"
)


@dataclass
class LensEntry:
    arn: str
    region: str
    endpoint: str | None = None
    name: str = ""
    imported_sha256: str = ""  # the lens JSON last imported as the draft
    published: str = ""  # the version last published
    published_sha256: str = ""  # the lens JSON that version holds
    updated_at: datetime | None = None

    @property
    def account(self) -> str:
        parts = self.arn.split(":")
        return parts[4] if len(parts) > 5 else ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"arn": self.arn, "region": self.region}
        if self.endpoint:
            out["endpoint"] = self.endpoint
        for key in ("name", "imported_sha256", "published", "published_sha256"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.updated_at is not None:
            out["updated_at"] = self.updated_at
        return out


@dataclass
class LensMemory:
    path: Path
    entries: list[LensEntry] = field(default_factory=list)

    @classmethod
    def beside(cls, manifest: str | Path) -> LensMemory:
        """The memory next to a manifest (empty when there is none yet)."""
        path = Path(manifest).parent / MEMORY_FILE
        memory = cls(path)
        if not path.is_file():
            return memory
        shown = display_path(path)
        try:
            data = toml_loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
            raise InputError(f"{shown}: cannot read ({exc}): fix or delete the file") from None
        for i, raw in enumerate(data.get("lenses", [])):
            if (
                not isinstance(raw, dict)
                or not isinstance(raw.get("arn"), str)
                or not isinstance(raw.get("region"), str)
            ):
                raise InputError(f"{shown}: lenses[{i}] needs arn and region: fix or delete it")
            updated = raw.get("updated_at")
            memory.entries.append(
                LensEntry(
                    arn=raw["arn"],
                    region=raw["region"],
                    endpoint=raw.get("endpoint") or None,
                    name=str(raw.get("name", "")),
                    imported_sha256=str(raw.get("imported_sha256", "")),
                    published=str(raw.get("published", "")),
                    published_sha256=str(raw.get("published_sha256", "")),
                    updated_at=updated if isinstance(updated, datetime) else None,
                )
            )
        return memory

    def for_target(self, region: str, endpoint: str | None) -> list[LensEntry]:
        return [e for e in self.entries if e.region == region and e.endpoint == endpoint]

    def find(self, arn: str) -> LensEntry | None:
        for e in self.entries:
            if e.arn == arn:
                return e
        return None

    def remember(self, entry: LensEntry) -> None:
        """Keep ``entry``; it replaces the entry of the same ARN, and any other entry of the same
        account and target (one lens per checklist, account and Region)."""
        entry.updated_at = datetime.now(UTC).replace(microsecond=0)
        kept = [
            e
            for e in self.entries
            if e.arn != entry.arn
            and not (
                e.region == entry.region
                and e.endpoint == entry.endpoint
                and e.account == entry.account
            )
        ]
        self.entries = [*kept, entry]
        self.save()

    def save(self) -> None:
        text = _HEADER + tomli_w.dumps({"lenses": [e.as_dict() for e in self.entries]})
        try:
            write_atomic(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"{display_path(self.path)}: cannot write ({exc.strerror})") from None
