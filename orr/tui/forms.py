"""Validators of dialog fields. Each asks the core (`orr.values`) what a valid value is, so a
date, a URL or a name is judged the same way in a dialog, a CLI flag and a workbook cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.validation import ValidationResult, Validator

from orr.i18n import _
from orr.values import date_or_none, url_problem


class Required(Validator):
    def __init__(self, what: str) -> None:
        super().__init__(_("{what} is required").format(what=what))

    def validate(self, value: str) -> ValidationResult:
        return self.success() if value.strip() else self.failure()


class IsoDate(Validator):
    """A YYYY-MM-DD date (optionally after a given day or not after another, optionally
    empty)."""

    def __init__(
        self, *, after: date | None = None, latest: date | None = None, optional: bool = False
    ) -> None:
        super().__init__()
        self.after = after
        self.latest = latest
        self.optional = optional

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.success() if self.optional else self.failure(_("write a date: YYYY-MM-DD"))
        day = date_or_none(text)
        if day is None:
            return self.failure(_("write a date: YYYY-MM-DD"))
        if self.after is not None and day <= self.after:
            return self.failure(_("must be after {date}").format(date=self.after.isoformat()))
        if self.latest is not None and day > self.latest:
            return self.failure(_("must not be after {date}").format(date=self.latest.isoformat()))
        return self.success()


def form_date(value: str) -> date | None:
    """The date of a field `IsoDate` passed (None when empty)."""
    return date_or_none(value.strip()) if value.strip() else None


class HttpLink(Validator):
    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.success() if self.optional else self.failure(_("a link is required"))
        problem = url_problem(text)
        return self.failure(problem) if problem else self.success()


class ManifestFile(Validator):
    def validate(self, value: str) -> ValidationResult:
        path = Path(value.strip()).expanduser()
        if not value.strip():
            return self.failure(_("give the checklist manifest (orr.toml)"))
        try:
            if path.is_dir():
                path = path / "orr.toml"
            found = path.is_file()
        except (OSError, RuntimeError):
            found = False
        return self.success() if found else self.failure(_("no file {path}").format(path=path))
