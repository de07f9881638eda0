"""Where the checklist shipped with orr is (a module of its own: finding it loads nothing)."""

from __future__ import annotations

from pathlib import Path


def bundled_manifest() -> Path:
    """The checklist shipped with orr: the repository's checklists/ (source checkout or editable
    install), else the copy installed inside the package."""
    here = Path(__file__).resolve().parent.parent
    repo = here.parent / "checklists" / "orr.toml"
    if repo.is_file():
        return repo
    return here / "bundled" / "orr.toml"
