"""One exception family. Each error carries its exit code and one line (or a few) a user can act on.

Exit codes (PRODUCT.md section 4): 0 ok, 1 a check failed, 2 bad input or usage, 3 AWS or network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orr.i18n import _


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place: file, line, field path, what is wrong and what to do."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [p for p in (where, self.path) if p]
        prefix = ": ".join(parts)
        text = f"{prefix}: {self.message}" if prefix else self.message
        return text if self.severity == "error" else _("{text} (warning)").format(text=text)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class OrrError(Exception):
    """Base of every error orr reports to a user. Never shown with a traceback."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []

    def lines(self) -> list[str]:
        if self.problems:
            return [p.format() for p in self.problems]
        return [self.message]


class InputError(OrrError):
    """A file, flag or value the user gave is wrong (exit 2)."""

    exit_code = 2


class CheckFailed(OrrError):
    """A check ran and failed: lint errors, an invalid lens, a review not ready (exit 1)."""

    exit_code = 1


class AwsError(OrrError):
    """The Well-Architected Tool or the network failed (exit 3)."""

    exit_code = 3


class ConflictError(InputError):
    """Someone else changed the file; the change was refused rather than overwrite theirs."""


class LockBusy(ConflictError):
    """Another process holds the review's write lock (nothing was written; try again)."""


@dataclass
class ProblemList:
    """Collects problems of one run so that all are reported together."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        severity: str = "error",
    ) -> None:
        self.items.append(
            Problem(
                message=message,
                file=str(file) if file is not None else None,
                line=line,
                column=column,
                path=path,
                severity=severity,
            )
        )

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self, summary: str, cls: type[OrrError] = InputError) -> None:
        errors = self.errors
        if errors:
            raise cls(errors[0].format() if len(errors) == 1 else summary, errors)
