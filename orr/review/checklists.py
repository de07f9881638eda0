"""Which checklist a review was made from: how the review file names it, how it is found again,
and loading it once per process.

A review names its checklist relative to the review file (``../checklists/orr.toml``) or as the
checklist bundled with orr (``<bundled>``, whatever the install: a clone, an editable install,
a wheel). Nothing else: an absolute path, or a file that is not ``.toml``, is refused rather than
read, so that a review file cannot make orr read (and quote in its errors) any file of the
machine. When the named checklist is gone and the review was made from the bundled one (the same
checklist id), the bundled checklist is used and the user is told.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from orr.checklist.bundled import bundled_manifest
from orr.errors import InputError
from orr.i18n import DEFAULT, SUPPORTED, _, language
from orr.tomlfile import display_path, file_kind, kind_problem

if TYPE_CHECKING:  # the models are imported when a checklist is loaded, not with this module
    from orr.checklist.model import Checklist
    from orr.review.model import Review

BUNDLED = "<bundled>"


@functools.cache
def _bundled_resolved() -> Path:
    """The bundled manifest, resolved (where orr is installed does not move while it runs)."""
    return bundled_manifest().resolve()


def _bundled_folders() -> list[Path]:
    """Where the bundled checklist lives: the repository's checklists/ (a clone or an editable
    install) and the copy inside the package (a wheel)."""
    here = Path(__file__).resolve().parent.parent
    return [bundled_manifest().resolve().parent, here / "bundled"]


def manifest_ref(manifest: str | Path, review_file: str | Path) -> str:
    """How a review records its checklist: ``<bundled>`` for the checklist installed with orr,
    else the manifest path relative to the review's folder."""
    resolved = Path(manifest).resolve()
    if any(resolved.is_relative_to(folder) for folder in _bundled_folders()):
        return BUNDLED
    folder = Path(review_file).resolve().parent
    return Path(os.path.relpath(resolved, folder)).as_posix()


def _ref_problem(ref: str) -> str | None:
    if ref == BUNDLED:
        return None
    if PurePosixPath(ref).is_absolute() or Path(ref).is_absolute() or ref.startswith("~"):
        return _(
            "{file}: checklist.manifest {ref!r}: an absolute path: a review names its checklist "
            "relative to itself, or {bundled}"
        )
    if not ref.endswith(".toml"):
        return _(
            "{file}: checklist.manifest {ref!r}: not a .toml manifest: a review names its "
            "checklist's orr.toml, or {bundled}"
        )
    return None


def resolve_manifest(review: Review, review_file: str | Path) -> Path:
    """The manifest a review names, resolved against the review's folder (InputError when the
    review names it in a way orr does not follow)."""
    ref = review.checklist.manifest
    if ref == BUNDLED:
        return bundled_manifest()
    problem = _ref_problem(ref)
    if problem is not None:
        raise InputError(
            problem.format(file=display_path(review_file), ref=ref[:80], bundled=BUNDLED)
        )
    return Path(review_file).parent / ref


def _looked_for(manifest: Path) -> str:
    """Where a review's manifest was looked for, as the user would write it (its folder
    resolved: the manifest itself may be a symlink loop)."""
    return str(Path(display_path(manifest.parent)) / manifest.name)


def _bundled_matches(review: Review, bundled: Checklist) -> bool:
    """Was the review made from (a version of) the bundled checklist? Its recorded id says so;
    a review from before ids were recorded, when every question it recorded is bundled."""
    ref = review.checklist
    if ref.id:
        return ref.id == bundled.manifest.id
    recorded = set(ref.question_hashes)
    return bool(recorded) and recorded <= {q.id for q in bundled.questions}


@dataclass
class _Entry:
    checklist: Checklist  # as written
    stamps: dict[str, tuple[int, int]]
    translated: dict[str, Checklist] = field(default_factory=dict)  # language -> checklist


def _stamp(path: str | Path) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


def stamps_hold(stamps: dict[str, tuple[int, int]]) -> bool:
    """Every file and folder still has the time and size it had (`ChecklistCache.stamps`)."""
    return all(_stamp(f) == tuple(s) for f, s in stamps.items())


def _in_language(checklist: Checklist, lang: str) -> Checklist:
    """The checklist in ``lang`` (as written in English: the translations are read, and their
    module imported, only for another language)."""
    if lang == DEFAULT:
        return checklist
    from orr.checklist.translate import in_language

    return in_language(checklist, lang)


class ChecklistCache:
    """Checklists by manifest, loaded once and loaded again only when one of their files
    changed on disk (so Home, the open review and the CLI share one load)."""

    def __init__(self) -> None:
        self._loaded: dict[Path, _Entry] = {}
        self._quick: dict[tuple[str, str], Path] = {}
        self.notes: dict[Path, str] = {}  # review file -> what was used instead of its checklist

    def get(self, manifest: Path) -> Checklist:
        """The checklist of ``manifest`` in the language in use."""
        key = manifest.resolve()
        lang = language()
        entry = self._loaded.get(key)
        if entry is not None and stamps_hold(entry.stamps):
            if lang not in entry.translated:
                entry.translated[lang] = _in_language(entry.checklist, lang)
            return entry.translated[lang]
        from orr.checklist.load import load_checklist

        checklist = load_checklist(key)
        # The files and their folders (a file added to a folder a glob reads, such as the
        # incidents folder `orr learn` writes to, changes the folder).
        files = checklist.paths or [key]
        watched = [
            *files,
            *{p.parent for p in files},
            key.parent / checklist.manifest.incidents,
            *(checklist.translation_path(code) for code in SUPPORTED if code != DEFAULT),
        ]
        stamps = {str(p): _stamp(p) for p in watched}
        entry = _Entry(checklist, stamps)
        self._loaded[key] = entry
        entry.translated[lang] = _in_language(checklist, lang)
        return entry.translated[lang]

    def picks(self, ref: str, review_file: Path) -> Path | None:
        """The manifest (resolved) that a review naming its checklist ``ref`` would use now,
        when the files alone tell: the named manifest when it is a file; the bundled one when
        it is named, or when the named one is not there (whether a review may use the bundled
        one instead is the review's to tell: a caller that asks knows it could). None when
        the review must be read for it (a name orr refuses, a folder, a FIFO, a loop)."""
        if ref == BUNDLED:
            return _bundled_resolved()
        if _ref_problem(ref) is not None:
            return None
        candidate = review_file.parent / ref
        kind = file_kind(candidate)
        if kind is None:
            return candidate.resolve()
        return _bundled_resolved() if kind == "no such file" else None

    def stamps(self, manifest: Path) -> dict[str, tuple[int, int]]:
        """The files and folders the checklist of ``manifest`` was read from (its translations
        too), each with its time and size then: the checklist is the same while they are
        (`stamps_hold`). Loads it when it is not loaded."""
        self.get(manifest)
        return dict(self._loaded[manifest.resolve()].stamps)

    def for_review(self, review: Review, path: str | Path) -> Checklist:
        """The checklist a review names (InputError naming the review when it cannot be had)."""
        review_file = Path(path)
        # Reviews in one folder name their checklist the same way: resolve each name once.
        quick = (os.path.abspath(review_file.parent), review.checklist.manifest)
        manifest = self._quick.get(quick)
        if manifest is None or not manifest.is_file():
            manifest = resolve_manifest(review, review_file)
            # Looked at, never opened: a FIFO would block, a folder or a loop is no checklist.
            kind = file_kind(manifest)
            if kind is not None and kind != "no such file":
                raise InputError(
                    _("{file}: checklist.manifest {ref!r}: {problem} (looked for {path})").format(
                        file=display_path(review_file),
                        ref=review.checklist.manifest[:80],
                        problem=kind_problem(kind),
                        path=_looked_for(manifest),
                    )
                )
            if kind is not None:
                bundled = self.get(bundled_manifest())
                if not _bundled_matches(review, bundled):
                    what = review.checklist.id or _("its checklist")
                    raise InputError(
                        _(
                            "{file}: needs {what} {version} from {ref!r}, which is not there "
                            "(looked for {path}): put the checklist back or point "
                            "checklist.manifest at it"
                        ).format(
                            file=display_path(review_file),
                            what=what,
                            version=review.checklist.version or "",
                            ref=review.checklist.manifest[:80],
                            path=display_path(manifest),
                        )
                    )
                self.notes[review_file] = _(
                    "its checklist {ref!r} is not there: using the checklist bundled with orr "
                    "({id}), which it was made from"
                ).format(ref=review.checklist.manifest[:80], id=bundled.manifest.id)
                manifest = bundled_manifest()
            self._quick[quick] = manifest.resolve()
        return self.get(manifest)


_shared = ChecklistCache()


def shared_cache() -> ChecklistCache:
    """The process's cache of checklists."""
    return _shared


def load_review_checklist(
    review: Review, review_file: str | Path, cache: ChecklistCache | None = None
) -> Checklist:
    """The checklist a review was made from (InputError when it is gone or broken)."""
    return (cache or _shared).for_review(review, review_file)
