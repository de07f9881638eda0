"""What a review remembers of its workload in the WA Tool (its ``[wat]`` table), and what
`orr status` can say from it without calling AWS.

The ``[wat]`` table of a review (strings only):

- ``workload_id``, ``lens_arn``: the workload the review is synced with, and the lens;
- ``lens_lang``: the language of that lens when it is not English (``ja``); absent: the English
  lens. A later sync keeps it unless told otherwise;
- ``target``: where that workload lives (the Region, and the endpoint when one was given);
- ``answers``: JSON, question id -> fingerprint (`orr.wat.answers.fingerprint`) of the answer as
  both sides held it after the last sync or pull;
- ``milestones``: JSON, milestone name -> number, for the milestones orr saved;
- ``lens_version``: the version of the lens the workload's lens review uses, as the last sync
  saw it; ``lens_status``: ``CURRENT`` or ``NOT_CURRENT`` (a newer version is published and the
  workload needs an upgrade); ``lens_latest``: the newest published version, when known;
- ``not_in_lens``: JSON list of the answered questions (or practices, ``question/choice``) the
  workload's lens version lacked at the last sync;
- ``synced_at``: when orr last changed the workload.

Pure functions over the review: no boto3, no files, no clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from orr.checklist.model import Checklist
from orr.errors import InputError
from orr.i18n import DEFAULT, _
from orr.review.model import Review

WORKLOAD_ID = "workload_id"
LENS_ARN = "lens_arn"
LENS_LANG = "lens_lang"
TARGET = "target"
ANSWERS = "answers"
MILESTONES = "milestones"
LENS_VERSION = "lens_version"
LENS_STATUS = "lens_status"
LENS_LATEST = "lens_latest"
NOT_IN_LENS = "not_in_lens"
SYNCED_AT = "synced_at"

NOT_CURRENT = "NOT_CURRENT"


@dataclass
class SyncState:
    """The ``[wat]`` table of a review, parsed."""

    workload_id: str | None = None
    lens_arn: str | None = None
    lens_lang: str | None = None  # None: English
    target: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    milestones: dict[str, int] = field(default_factory=dict)
    lens_version: str | None = None
    lens_status: str | None = None
    lens_latest: str | None = None
    not_in_lens: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, review: Review, shown: str) -> SyncState:
        wat = review.wat
        state = cls(
            workload_id=wat.get(WORKLOAD_ID) or None,
            lens_arn=wat.get(LENS_ARN) or None,
            lens_lang=wat.get(LENS_LANG) or None,
            target=wat.get(TARGET) or None,
            lens_version=wat.get(LENS_VERSION) or None,
            lens_status=wat.get(LENS_STATUS) or None,
            lens_latest=wat.get(LENS_LATEST) or None,
        )
        for key in (ANSWERS, MILESTONES, NOT_IN_LENS):
            raw = wat.get(key)
            if not raw:
                continue
            data = _json(raw)
            wanted = list if key == NOT_IN_LENS else dict
            if not isinstance(data, wanted):
                raise InputError(
                    (
                        _(
                            "{path}: wat.{key} is not the JSON list orr writes: delete that line "
                            "(the next sync works it out again)"
                        )
                        if key == NOT_IN_LENS
                        else _(
                            "{path}: wat.{key} is not the JSON object orr writes: delete that line "
                            "(the next sync works it out again)"
                        )
                    ).format(path=shown, key=key)
                )
            if key == ANSWERS:
                assert isinstance(data, dict)
                state.answers = {str(k): str(v) for k, v in data.items()}
            elif key == MILESTONES:
                assert isinstance(data, dict)
                try:
                    state.milestones = {str(k): int(v) for k, v in data.items()}
                except (TypeError, ValueError):
                    raise InputError(
                        _(
                            "{path}: wat.{key} holds a milestone that is not a number: delete "
                            "that line"
                        ).format(path=shown, key=key)
                    ) from None
            else:
                assert isinstance(data, list)
                state.not_in_lens = [str(x) for x in data]
        return state

    def apply(self, wat: dict[str, str], *, touched: bool, now: datetime) -> None:
        """Write this state into a review's ``[wat]`` table."""
        for key, value in (
            (WORKLOAD_ID, self.workload_id),
            (LENS_ARN, self.lens_arn),
            (LENS_LANG, self.lens_lang if self.lens_lang != DEFAULT else None),
            (TARGET, self.target),
            (LENS_VERSION, self.lens_version),
            (LENS_STATUS, self.lens_status),
            (LENS_LATEST, self.lens_latest),
        ):
            if value:
                wat[key] = value
            else:
                wat.pop(key, None)
        if self.answers:
            wat[ANSWERS] = json.dumps(dict(sorted(self.answers.items())), separators=(",", ":"))
        else:
            wat.pop(ANSWERS, None)
        if self.milestones:
            wat[MILESTONES] = json.dumps(self.milestones, separators=(",", ":"))
        if self.not_in_lens:
            wat[NOT_IN_LENS] = json.dumps(sorted(set(self.not_in_lens)), separators=(",", ":"))
        else:
            wat.pop(NOT_IN_LENS, None)
        if touched:
            wat[SYNCED_AT] = now.isoformat()

    def differs(self, wat: dict[str, str], now: datetime) -> bool:
        """True when writing this state would change ``wat`` (besides the time of the sync)."""
        scratch = dict(wat)
        self.apply(scratch, touched=False, now=now)
        return scratch != wat


def _json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def wat_ids(review: Review) -> tuple[str | None, str | None]:
    """The workload id and lens ARN a review is synced with (None when it is not)."""
    return review.wat.get(WORKLOAD_ID) or None, review.wat.get(LENS_ARN) or None


def lens_version_note(review: Review, checklist: Checklist, shown: str = "REVIEW") -> str | None:
    """One line for `orr status` when the review's workload in the WA Tool is behind: on an older
    version of the lens than the one published (it needs an upgrade), or lacking answered
    questions of the review's checklist (the lens needs publishing and the workload an
    upgrade). None when the review is not synced, or the workload is up to date as far as the
    last sync saw. ``shown`` is how the review file is named in the command to run.

    Offline: it reads only what the last ``orr wat sync`` recorded in the review.
    """
    wat = review.wat
    workload = wat.get(WORKLOAD_ID)
    if not workload:
        return None
    version = wat.get(LENS_VERSION) or ""
    lang = wat.get(LENS_LANG) or DEFAULT
    flag = f" --lang {lang}" if lang != DEFAULT else ""
    on = (
        _("lens version {version}").format(version=version)
        if version
        else _("an older lens version")
    )
    if wat.get(LENS_STATUS) == NOT_CURRENT:
        latest = wat.get(LENS_LATEST)
        newer = (
            _("version {version} is published").format(version=latest)
            if latest
            else _("a newer version is published")
        )
        return _(
            "WA Tool: workload {workload} is on {on}; {newer}: run orr wat sync {review} --upgrade"
        ).format(workload=workload, on=on, newer=newer, review=shown)
    raw = _json(wat.get(NOT_IN_LENS) or "[]")
    listed = [str(x) for x in raw] if isinstance(raw, list) else []
    known = checklist.question_index()
    lacking = sorted(
        {
            item.split("/", 1)[0]
            for item in listed
            if item.split("/", 1)[0] in known and item.split("/", 1)[0] in review.answers
        }
    )
    if not lacking:
        return None
    shown_ids = ", ".join(lacking[:5]) + (
        _(" and {count} more").format(count=len(lacking) - 5) if len(lacking) > 5 else ""
    )
    where = (
        _("the workload's lens version {version}").format(version=version)
        if version
        else _("the workload's lens version")
    )
    return _(
        "WA Tool: {count} answered question(s) not in {where} ({ids}): publish the lens (orr wat "
        "push-lens{flag} --publish VERSION), then run orr wat sync {review} --upgrade"
    ).format(count=len(lacking), where=where, ids=shown_ids, flag=flag, review=shown)


__all__ = [
    "SyncState",
    "lens_version_note",
    "wat_ids",
]
