"""What Home lists of each review, remembered from one run to the next.

Home shows every review of a workspace with its verdict and what needs attention in it:
reading, validating and judging a hundred reviews takes a few hundred milliseconds each time
Home opens. The summary of each review (`orr.review.lifecycle.Attention`, plain data) is kept
in the user's cache folder (``$XDG_CACHE_HOME/orr``, else ``~/.cache/orr``) and used again as
long as nothing it was derived from changed:

- the review file's text (a hash of it);
- the checklist the review uses: the same manifest is picked as when it was remembered (a
  manifest that went missing, replaced by the bundled checklist, or came back, is another
  one) and it has the same content hash;
- the day (dates make mitigations overdue, acceptances expire, evidence go stale);
- orr itself (its version, and the files of the code that derives a summary).

Nothing else is remembered: a file that cannot be read, a review that does not validate, a
checklist that cannot be loaded are read again every time and their error shown. The cache is
only ever a shortcut: a cache file that is missing, unreadable, corrupt or from another version
is ignored (and written anew), one that cannot be written is left alone, and no error of its
own ever reaches the user. It is JSON read field by field (nothing in it is run), it holds what
Home shows (names, ids, dates, counts) and never credentials, in a folder only the user can
open.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orr
from orr.errors import OrrError
from orr.i18n import language
from orr.review.checklists import ChecklistCache, stamps_hold
from orr.review.kinds import ReviewKind, Verdict
from orr.review.portfolio import Attention
from orr.tomlfile import read_text, write_atomic

if TYPE_CHECKING:
    from orr.checklist.model import Checklist

FORMAT = 1
MAX_BYTES = 32 * 1024 * 1024  # a cache file larger than this is not read
_CODE = ("review", "checklist")  # the packages whose code derives a summary


def cache_folder() -> Path | None:
    """orr's cache folder: ``$XDG_CACHE_HOME/orr``, else ``~/.cache/orr`` (None when there is no
    home to put it in)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "orr"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def _code_stamp() -> str:
    """orr's version and the size and time of every file of the code that derives a summary
    (a summary derived by other code is not used: an upgrade, or a change in a clone)."""
    here = Path(orr.__file__).resolve().parent
    parts = [orr.__version__]
    for package in _CODE:
        for entry in sorted(os.scandir(here / package), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{package}/{entry.name}:{st.st_mtime_ns}:{st.st_size}")
    return _digest("\n".join(parts))


@dataclass
class Seen:
    """One review file as the scan read it, and what was remembered of that same text."""

    path: Path
    digest: str
    entry: dict[str, Any] | None  # None: nothing remembered of this text

    @property
    def follows(self) -> str | None:
        """The review this file follows ("" for none), when remembered (None: read the file)."""
        value = self.entry.get("follows") if self.entry else None
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ChecklistGlance:
    """What Home needs of a checklist without loading it: its content hash (to know that a
    remembered summary was judged against it) and what Home says about it."""

    content_hash: str
    name: str
    version: str
    questions: int
    pillars: int
    tiers: dict[str, int]  # tier -> questions in it

    @classmethod
    def of(cls, checklist: Checklist) -> ChecklistGlance:
        return cls(
            checklist.content_hash,
            checklist.manifest.name,
            checklist.manifest.version,
            len(checklist.questions),
            len(checklist.pillars),
            {
                tier: sum(1 for q in checklist.questions if tier in q.spec.tiers)
                for tier in checklist.manifest.tiers
            },
        )


# --- a summary as JSON, and back -----------------------------------------------------------------


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise TypeError(value)
    return value


def _date(value: object) -> date:
    return date.fromisoformat(_str(value))


def _pairs(value: object) -> list[tuple[object, object]]:
    if not isinstance(value, list):
        raise TypeError(value)
    pairs: list[tuple[object, object]] = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2:
            raise TypeError(item)
        pairs.append((item[0], item[1]))
    return pairs


def encode(a: Attention) -> dict[str, Any]:
    """A summary as JSON data (its day, path and sources are the cache's to know)."""
    return {
        "workload": a.workload,
        "environment": a.environment,
        "kind": str(a.kind),
        "launch_date": a.launch_date.isoformat(),
        "verdict": str(a.verdict),
        "days_left": a.days_left,
        "counts": dict(a.counts),
        "follows": a.follows,
        "overdue": [[m, d] for m, d in a.overdue],
        "expiring": [[x, e.isoformat()] for x, e in a.expiring],
        "evidence_stale": a.evidence_stale,
        "evidence_missing": a.evidence_missing,
        "review_due": a.review_due.isoformat() if a.review_due else None,
    }


def decode(path: Path, today: date, data: object) -> Attention:
    """A summary from JSON data (TypeError, ValueError or KeyError when it is not one)."""
    if not isinstance(data, dict):
        raise TypeError(data)
    counts = data["counts"]
    if not isinstance(counts, dict):
        raise TypeError(counts)
    due = data["review_due"]
    return Attention(
        path=path,
        workload=_str(data["workload"]),
        environment=_str(data["environment"]),
        kind=ReviewKind(_str(data["kind"])),
        launch_date=_date(data["launch_date"]),
        verdict=Verdict(_str(data["verdict"])),
        today=today,
        days_left=_int(data["days_left"]),
        counts={_str(k): _int(v) for k, v in counts.items()},
        follows=_str(data["follows"]),
        overdue=[(_str(m), _int(d)) for m, d in _pairs(data["overdue"])],
        expiring=[(_str(x), _date(e)) for x, e in _pairs(data["expiring"])],
        evidence_stale=_int(data["evidence_stale"]),
        evidence_missing=_int(data["evidence_missing"]),
        review_due=None if due is None else _date(due),
    )


def _glance(data: object) -> tuple[dict[str, tuple[int, int]], str, ChecklistGlance]:
    """A remembered checklist: its files' stamps, its language and its glance."""
    if not isinstance(data, dict):
        raise TypeError(data)
    files = data["stamps"]
    if not isinstance(files, dict):
        raise TypeError(files)
    stamps = {_str(f): (_int(mtime), _int(size)) for f, (mtime, size) in files.items()}
    tiers = data["tiers"]
    if not isinstance(tiers, dict):
        raise TypeError(tiers)
    glance = ChecklistGlance(
        _str(data["content_hash"]),
        _str(data["name"]),
        _str(data["version"]),
        _int(data["questions"]),
        _int(data["pillars"]),
        {_str(t): _int(n) for t, n in tiers.items()},
    )
    return stamps, _str(data["language"]), glance


# --- the cache -----------------------------------------------------------------------------------


class Summaries:
    """The summaries remembered for the reviews of one workspace on one day.

    ``file`` None remembers nothing (every review is read and judged)."""

    def __init__(self, file: Path | None, today: date) -> None:
        self.today = today
        try:
            self._stamp = _code_stamp() if file is not None else ""
        except OSError:  # orr's own files cannot be looked at: remember nothing
            file = None
        self.file = file
        self._old, self._checklists_old = self._read()
        self._new: dict[str, dict[str, Any]] = {}
        self._changed = False
        self._checklists_new: dict[str, dict[str, Any]] = {}
        self._glances: dict[str, ChecklistGlance] = {}  # manifest -> its glance, this run

    @classmethod
    def for_workspace(cls, workspace: Path, today: date) -> Summaries:
        folder = cache_folder()
        if folder is None:
            return cls(None, today)
        name = _digest(str(workspace.resolve()))[:32]
        return cls(folder / "summaries" / f"{name}.json", today)

    def _read(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The reviews and the checklists remembered, when the file is of this orr and day."""
        if self.file is None:
            return {}, {}
        try:
            if os.stat(self.file).st_size > MAX_BYTES:
                return {}, {}
            data = json.loads(read_text(self.file, str(self.file)))
        except (OSError, OrrError, ValueError, RecursionError):
            return {}, {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("code") != self._stamp
            or data.get("today") != self.today.isoformat()
            or not isinstance(data.get("reviews"), dict)
            or not isinstance(data.get("checklists"), dict)
        ):
            return {}, {}
        return data["reviews"], data["checklists"]

    def checklist(self, manifest: Path, checklists: ChecklistCache) -> ChecklistGlance:
        """The glance of the checklist of ``manifest`` in the language in use: remembered while
        none of its files changed (their times and sizes), else loaded (OrrError when it cannot
        be)."""
        glance = self._glances.get(str(manifest))  # asked again by the same name: no lookup
        if glance is not None:
            return glance
        key = str(manifest.resolve())
        glance = self._glances.get(key)
        if glance is not None:
            self._glances[str(manifest)] = glance
            return glance
        lang = language()
        old = self._checklists_old.get(key)
        try:
            stamps, was, glance = _glance(old)
            if was != lang or not stamps_hold(stamps):
                glance = None
        except (KeyError, TypeError, ValueError, OSError):
            glance = None
        if glance is not None and isinstance(old, dict):
            self._checklists_new[key] = old
        else:
            glance = ChecklistGlance.of(checklists.get(manifest))
            self._checklists_new[key] = {
                **asdict(glance),
                "language": lang,
                "stamps": checklists.stamps(manifest),
            }
            self._changed = True
        self._glances[key] = self._glances[str(manifest)] = glance
        return glance

    def look(self, path: Path, text: str) -> Seen:
        """``path`` read with ``text``: what was remembered of that text, if anything."""
        digest = _digest(text)
        entry = self._old.get(str(path))
        if not isinstance(entry, dict) or entry.get("text") != digest:
            entry = None
        return Seen(path, digest, entry)

    def follows(self, seen: Seen) -> str | None:
        """The review this text follows ("" for none), when remembered (None: read it)."""
        return seen.follows

    def recall(self, seen: Seen, checklists: ChecklistCache) -> Attention | None:
        """The summary remembered for this text, when the review would use the same checklist
        today (None: read and judge the review)."""
        entry = seen.entry
        if entry is None:
            return None
        try:
            manifest = _str(entry["manifest"])
            picked = checklists.picks(_str(entry["ref"]), seen.path)
            if picked is None or str(picked) != manifest:
                return None
            if self.checklist(Path(manifest), checklists).content_hash != entry["checklist"]:
                return None
            summary = decode(seen.path, self.today, entry["summary"])
        except (OrrError, OSError, KeyError, TypeError, ValueError):
            return None
        self._new[str(seen.path)] = entry
        return summary

    def remember(self, seen: Seen, a: Attention, checklists: ChecklistCache) -> None:
        """Remember ``a``, the summary of the text seen (derived from its review and
        checklist in this run), and the checklist it was judged against."""
        if a.error or a.review is None or a.checklist is None:
            return
        manifest = Path(a.checklist.path).resolve()
        try:
            content = self.checklist(manifest, checklists).content_hash
        except OrrError:
            return
        if content != a.checklist.content_hash:
            return  # the checklist changed on disk while the review was judged
        self._new[str(seen.path)] = {
            "text": seen.digest,
            "follows": a.follows,
            "ref": a.review.checklist.manifest,
            "manifest": str(manifest),
            "checklist": content,
            "summary": encode(a),
        }
        self._changed = True

    def remember_follows(self, seen: Seen, follows: str) -> None:
        """Remember only which review this text follows (a review another one follows is
        history: it is not judged, but the next scan must know what it follows)."""
        entry = seen.entry
        if entry is not None:
            self._new[str(seen.path)] = entry
            return
        self._new[str(seen.path)] = {"text": seen.digest, "follows": follows}
        self._changed = True

    def save(self) -> None:
        """Write what this run remembered, when it differs from what was read (never an error:
        a cache that cannot be written is a cache not used)."""
        if self.file is None:
            return
        dropped = len(self._new) != len(self._old) or len(self._checklists_new) != len(
            self._checklists_old
        )
        if not (self._changed or dropped):
            return
        data = {
            "format": FORMAT,
            "code": self._stamp,
            "today": self.today.isoformat(),
            "reviews": self._new,
            "checklists": self._checklists_new,
        }
        try:
            self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(self.file, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except (OSError, OrrError):
            return
