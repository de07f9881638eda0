"""Which WA Tool custom lenses a checklist was pushed as: ``.orr-wat.toml`` next to the manifest.

One entry per lens: its ARN, the language of the lens (``en``, ``ja``: the Japanese lens is a lens
of its own, with its own ARN), the Region (and the endpoint, when one was given), the lens name,
the hash of the lens JSON last imported, and the version last published with that hash. No
credentials, account secrets or profile names are ever written here: the file is meant to be
committed with the checklist, so that anyone pushing from the repository updates the same lens.

The same checklist may live as one lens per language, account and Region; an entry is found
again by the language, the Region and endpoint, and, when several accounts share a Region, by the
lenses the account lists.

The file of orr before languages (``schema_version`` absent: entries without ``lang``) is read
as it is, each entry as the English lens; it is written back in the current format (every entry
with its ``lang``), keeping every key orr does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w

from orr.errors import InputError
from orr.i18n import DEFAULT, N_, _
from orr.tomlfile import TOMLDecodeError, display_path, write_atomic
from orr.tomlfile import loads as toml_loads

MEMORY_FILE = ".orr-wat.toml"
SCHEMA_VERSION = 2  # 1 (or none): entries without a language, each the English lens
_LANG = re.compile(r"^[a-z]{2,3}$")
_KNOWN = (
    "arn",
    "lang",
    "region",
    "endpoint",
    "name",
    "imported_sha256",
    "published",
    "published_sha256",
    "updated_at",
)

_HEADER = (
    "# Written by `orr wat push-lens`: the Well-Architected Tool custom lenses this checklist was\n"
    "# pushed as, per language and Region. Lens ARNs only (never credentials): commit it with the\n"
    "# checklist so that the next push, from any machine, makes a new version of the same lens.\n\n"
)
_CANNOT_READ = N_("{path}: cannot read ({error}): fix or delete the file")


@dataclass
class LensEntry:
    arn: str
    region: str
    endpoint: str | None = None
    lang: str = DEFAULT  # the language of the lens
    name: str = ""
    imported_sha256: str = ""  # the lens JSON last imported as the draft
    published: str = ""  # the version last published
    published_sha256: str = ""  # the lens JSON that version holds
    updated_at: datetime | None = None
    other: dict[str, Any] = field(default_factory=dict)  # keys orr does not know, kept

    @property
    def account(self) -> str:
        parts = self.arn.split(":")
        return parts[4] if len(parts) > 5 else ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"arn": self.arn, "lang": self.lang, "region": self.region}
        if self.endpoint:
            out["endpoint"] = self.endpoint
        for key in ("name", "imported_sha256", "published", "published_sha256"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.updated_at is not None:
            out["updated_at"] = self.updated_at
        return {**out, **{k: v for k, v in self.other.items() if k not in out}}


@dataclass
class LensMemory:
    path: Path
    entries: list[LensEntry] = field(default_factory=list)
    other: dict[str, Any] = field(default_factory=dict)  # top-level keys orr does not know

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
            raise InputError(_(_CANNOT_READ).format(path=shown, error=exc)) from None
        version = data.get("schema_version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InputError(
                _(
                    "{path}: schema_version = {value}: orr writes {version}: fix or delete it"
                ).format(path=shown, value=repr(version), version=SCHEMA_VERSION)
            )
        if version > SCHEMA_VERSION:
            raise InputError(
                _(
                    "{path}: schema_version = {value} was written by a newer orr (this one reads "
                    "up to {version}): upgrade orr"
                ).format(path=shown, value=version, version=SCHEMA_VERSION)
            )
        lenses = data.get("lenses", [])
        if not isinstance(lenses, list):
            raise InputError(
                _(
                    "{path}: lenses is not a list of [[lenses]] tables: fix or delete the file"
                ).format(path=shown)
            )
        memory.other = {k: v for k, v in data.items() if k not in ("schema_version", "lenses")}
        for i, raw in enumerate(lenses):
            if (
                not isinstance(raw, dict)
                or not isinstance(raw.get("arn"), str)
                or not isinstance(raw.get("region"), str)
            ):
                raise InputError(
                    _("{path}: lenses[{index}] needs arn and region: fix or delete it").format(
                        path=shown, index=i
                    )
                )
            lang = raw.get("lang", DEFAULT)
            if not isinstance(lang, str) or not _LANG.match(lang):
                raise InputError(
                    _(
                        "{path}: lenses[{index}].lang = {value}: a language code such as en or "
                        "ja: fix it"
                    ).format(path=shown, index=i, value=repr(lang))
                )
            updated = raw.get("updated_at")
            memory.entries.append(
                LensEntry(
                    arn=raw["arn"],
                    region=raw["region"],
                    endpoint=raw.get("endpoint") or None,
                    lang=lang,
                    name=str(raw.get("name", "")),
                    imported_sha256=str(raw.get("imported_sha256", "")),
                    published=str(raw.get("published", "")),
                    published_sha256=str(raw.get("published_sha256", "")),
                    updated_at=updated if isinstance(updated, datetime) else None,
                    other={k: v for k, v in raw.items() if k not in _KNOWN},
                )
            )
        return memory

    def for_target(
        self, region: str, endpoint: str | None, lang: str | None = None
    ) -> list[LensEntry]:
        """The lenses pushed to a Region (and endpoint); with ``lang``, those in that language."""
        return [
            e
            for e in self.entries
            if e.region == region and e.endpoint == endpoint and (lang is None or e.lang == lang)
        ]

    def languages(self, region: str, endpoint: str | None) -> list[str]:
        """The languages of the lenses pushed to a Region (and endpoint)."""
        return sorted({e.lang for e in self.for_target(region, endpoint)})

    def find(self, arn: str) -> LensEntry | None:
        for e in self.entries:
            if e.arn == arn:
                return e
        return None

    def remember(self, entry: LensEntry) -> None:
        """Keep ``entry``; it replaces the entry of the same ARN, and any other entry of the same
        language, account and target (one lens per checklist, language, account and Region)."""
        entry.updated_at = datetime.now(UTC).replace(microsecond=0)
        kept = [
            e
            for e in self.entries
            if e.arn != entry.arn
            and not (
                e.region == entry.region
                and e.endpoint == entry.endpoint
                and e.account == entry.account
                and e.lang == entry.lang
            )
        ]
        self.entries = [*kept, entry]
        self.save()

    def save(self) -> None:
        data = {
            "schema_version": SCHEMA_VERSION,
            **self.other,
            "lenses": [e.as_dict() for e in self.entries],
        }
        text = _HEADER + tomli_w.dumps(data)
        try:
            write_atomic(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(
                _("{path}: cannot write ({error})").format(
                    path=display_path(self.path), error=exc.strerror
                )
            ) from None
