"""The reviews of a workspace (used by the terminal app's Home and by `orr review new`).

A workspace is a folder: its reviews are ``reviews/*.toml`` and the ``*.toml`` files of the
folder itself that parse as reviews; its checklist is ``checklists/orr.toml`` when there is one,
else the checklist bundled with orr.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orr.checklist.load import bundled_manifest, load_checklist
from orr.checklist.model import Checklist
from orr.errors import OrrError
from orr.review import ops
from orr.review.gate import Verdict, evaluate_gate
from orr.review.model import Review
from orr.review.ops import resolve_manifest
from orr.review.store import ReviewStore, load_review
from orr.tomlfile import TOMLDecodeError
from orr.tomlfile import loads as toml_loads

REVIEWS_DIR = "reviews"
WORKSPACE_MANIFEST = Path("checklists") / "orr.toml"


@dataclass(frozen=True)
class ReviewSummary:
    """One line of Home: a review file and its gate today (or why it cannot be read)."""

    path: Path
    workload: str
    environment: str = ""
    launch_date: date | None = None
    days_left: int | None = None
    verdict: Verdict | None = None
    answered: int = 0
    questions: int = 0
    findings: int = 0
    blockers: int = 0
    overdue: int = 0
    error: str | None = None


def workspace_manifest(workspace: Path) -> Path | None:
    """The workspace's own checklist manifest, when it has one."""
    candidate = workspace / WORKSPACE_MANIFEST
    return candidate if candidate.is_file() else None


def default_manifest(workspace: Path) -> Path:
    """The checklist a new review starts from: the workspace's, else the bundled one."""
    return workspace_manifest(workspace) or bundled_manifest()


def _looks_like_review(path: Path) -> bool:
    try:
        data = toml_loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLDecodeError):
        return False
    return isinstance(data.get("workload"), dict) and isinstance(data.get("checklist"), dict)


def find_reviews(workspace: Path) -> list[Path]:
    """The review files of a workspace, ``reviews/`` first, each sorted by name."""
    found = sorted(p for p in (workspace / REVIEWS_DIR).glob("*.toml") if p.is_file())
    found += sorted(p for p in workspace.glob("*.toml") if p.is_file() and _looks_like_review(p))
    return found


class ChecklistCache:
    """Checklists by resolved manifest path, so that many reviews of one checklist load it once."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Checklist] = {}

    def get(self, manifest: Path) -> Checklist:
        key = manifest.resolve()
        if key not in self._loaded:
            self._loaded[key] = load_checklist(key)
        return self._loaded[key]

    def for_review(self, review: Review, path: Path) -> Checklist:
        manifest = resolve_manifest(review, path)
        if not manifest.is_file():
            raise OrrError(
                f"its checklist {review.checklist.manifest!r} is not there "
                f"(fix checklist.manifest in the review)"
            )
        return self.get(manifest)


def summarize(path: Path, today: date, cache: ChecklistCache) -> ReviewSummary:
    """The Home line of one review file."""
    try:
        review = load_review(path)
    except OrrError as exc:
        return ReviewSummary(path=path, workload=path.stem, error=exc.lines()[0])
    try:
        checklist = cache.for_review(review, path)
    except OrrError as exc:
        return ReviewSummary(
            path=path,
            workload=review.workload.name,
            launch_date=review.workload.launch_date,
            days_left=(review.workload.launch_date - today).days,
            error=exc.lines()[0],
        )
    gate = evaluate_gate(review, checklist, today)
    return ReviewSummary(
        path=path,
        workload=review.workload.name,
        environment=str(review.workload.environment),
        launch_date=gate.launch_date,
        days_left=gate.days_left,
        verdict=gate.verdict,
        answered=gate.counts["answered"],
        questions=gate.counts["questions"],
        findings=gate.counts["findings"],
        blockers=gate.counts["blockers"],
        overdue=gate.counts["mitigations_overdue"],
    )


def scan(workspace: Path, today: date, cache: ChecklistCache | None = None) -> list[ReviewSummary]:
    """Every review of the workspace with its gate, soonest launch first."""
    cache = cache or ChecklistCache()
    summaries = [summarize(p, today, cache) for p in find_reviews(workspace)]
    return sorted(
        summaries,
        key=lambda s: (s.launch_date is None, s.launch_date or date.max, s.workload.lower()),
    )


def slug(name: str) -> str:
    """A file name for a workload: lowercase ascii words joined by '-'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-")
    return text or "review"


def new_review_path(workspace: Path, workload: str) -> Path:
    """Where a new review of ``workload`` goes: ``reviews/<slug>.toml`` (numbered if taken)."""
    folder = workspace / REVIEWS_DIR
    base = slug(workload)
    candidate = folder / f"{base}.toml"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}.toml"
        number += 1
    return candidate


def create_review(
    workspace: Path,
    *,
    workload: str,
    launch_date: date,
    manifest: Path,
    tier: str | None,
    environment: str,
    owner: str,
    stakeholders: list[tuple[str, str]],
    today: date,
    user: str,
) -> tuple[Path, list[str]]:
    """Start a review in ``reviews/<workload>.toml``; returns its path and any warnings."""
    checklist = load_checklist(manifest)
    path = new_review_path(workspace, workload)
    review, warnings = ops.new_review(
        checklist,
        workload=workload,
        launch_date=launch_date,
        manifest=ops.manifest_ref(checklist.path, path),
        tier=tier,
        environment=environment,
        owner=owner,
        stakeholders=stakeholders,
        who=user,
        today=today,
    )
    ReviewStore(path).create(review, user)
    return path, warnings


def workspace_of(review_path: Path) -> Path:
    """The workspace of a review file: the folder holding ``reviews/``, else the file's folder."""
    folder = review_path.resolve().parent
    return folder.parent if folder.name == REVIEWS_DIR else folder
