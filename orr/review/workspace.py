"""The reviews of a workspace (used by the terminal app's Home and by `orr review new`).

A workspace is a folder: its reviews are ``reviews/*.toml`` and the ``*.toml`` files of the
folder itself that parse as reviews; its checklist is ``checklists/orr.toml`` when there is one,
else the checklist bundled with orr.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from orr.checklist.bundled import bundled_manifest
from orr.errors import InputError
from orr.i18n import _
from orr.review.checklists import ChecklistCache, shared_cache
from orr.review.kinds import ReviewKind
from orr.review.portfolio import Attention, portfolio
from orr.tomlfile import TOMLDecodeError, display_path
from orr.tomlfile import loads as toml_loads
from orr.values import file_slug, parse_date

if TYPE_CHECKING:  # what starts a review is imported when one is started, not with Home
    from orr.review.lifecycle import CarriedOver
    from orr.review.model import Review
    from orr.review.summaries import Summaries

FOLLOW_UP_DAYS = 30  # a follow-up's target date when the old launch date has passed

REVIEWS_DIR = "reviews"
WORKSPACE_MANIFEST = Path("checklists") / "orr.toml"


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


def scan(
    workspace: Path,
    today: date,
    cache: ChecklistCache | None = None,
    summaries: Summaries | None = None,
) -> list[Attention]:
    """The latest review of each workload of the workspace with its verdict and what needs
    attention, most urgent first (the same as `orr status DIR`); with ``summaries``, what was
    remembered of a review that did not change is used (the caller saves them)."""
    return portfolio(find_reviews(workspace), today, cache or shared_cache(), None, summaries)


def new_review_path(workspace: Path, workload: str) -> Path:
    """Where a new review of ``workload`` goes: ``reviews/<name>.toml``, numbered ``-2``,
    ``-3``… when taken (the name keeps the workload's letters, in any script)."""
    folder = workspace / REVIEWS_DIR
    base = file_slug(workload)
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
    launch_date: date | str,
    manifest: Path,
    tier: str | None = None,
    environment: str = "production",
    owner: str = "",
    description: str = "",
    regions: Sequence[str] = (),
    stakeholders: Sequence[tuple[str, str]] = (),
    kind: str = "pre_launch",
    output: Path | None = None,
    today: date,
    user: str,
) -> tuple[Path, Review, list[str]]:
    """Start a review; returns its path, the review and any warnings.

    A new review never overwrites a file: without ``output`` it goes to
    ``reviews/<workload>.toml`` of the workspace, numbered when that is taken; an ``output``
    that exists is refused. The review covers ``tier`` (every question of the checklist when
    None, the one default of every front end)."""
    from orr.checklist.load import load_checklist
    from orr.review import ops
    from orr.review.checklists import manifest_ref
    from orr.review.store import ReviewStore

    checklist = load_checklist(manifest)
    if output is not None:
        if output.is_dir():
            raise InputError(
                _("{file}: is a folder: give a file name").format(file=display_path(output))
            )
        if output.exists():
            raise InputError(
                _(
                    "{file}: already exists: a new review never overwrites a file (give another "
                    "name, or leave it out to have one chosen)"
                ).format(file=display_path(output))
            )
        path = output
    else:
        path = new_review_path(workspace, workload)
    review, warnings = ops.new_review(
        checklist,
        workload=workload,
        launch_date=launch_date,
        manifest=manifest_ref(checklist.path, path),
        tier=tier,
        environment=environment,
        owner=owner,
        description=description,
        regions=regions,
        stakeholders=stakeholders,
        kind=kind,
        who=user,
        today=today,
    )
    ReviewStore(path).create(review, user)
    return path, review, warnings


def start_next_review(
    old_path: Path,
    *,
    workspace: Path,
    kind: ReviewKind | str,
    launch_date: date | str | None = None,
    manifest: Path | None = None,
    output: Path | None = None,
    today: date,
    user: str,
) -> tuple[Path, Review, CarriedOver]:
    """Start the next review of a workload from its last one (``orr review new --from``); the
    old file is read, never written."""
    from orr.checklist.load import load_checklist
    from orr.review import ops
    from orr.review.checklists import load_review_checklist
    from orr.review.lifecycle import next_review
    from orr.review.store import ReviewStore, load_review

    old = load_review(old_path)
    checklist = load_checklist(manifest) if manifest else load_review_checklist(old, old_path)
    review_kind = ops.parse_review_kind(kind)
    if launch_date is None:
        old_launch = old.workload.launch_date
        target = old_launch if old_launch > today else today + timedelta(days=FOLLOW_UP_DAYS)
    else:
        target = parse_date(launch_date, _("launch date"))
    if output is not None:
        if output.exists():
            raise InputError(
                _("{file}: already exists: a new review never overwrites a file").format(
                    file=display_path(output)
                )
            )
        path = output
    else:
        path = new_review_path(workspace, old.workload.name)
    review, carried = next_review(
        old, old_path, checklist, path, kind=review_kind, launch_date=target, who=user, today=today
    )
    ReviewStore(path).create(review, user)
    return path, review, carried


def workspace_of(review_path: Path) -> Path:
    """The workspace of a review file: the folder holding ``reviews/``, else the file's folder."""
    folder = review_path.resolve().parent
    return folder.parent if folder.name == REVIEWS_DIR else folder
