"""A review and its workload in the WA Tool: `sync_review` pushes the answers, `pull_review`
brings answers recorded in the WA Tool back. What the review remembers is `orr.wat.state`.

Sync sends an UpdateAnswer only where the WA Tool differs from what the review's answer maps to,
so a second run makes no call that changes anything, and a run that stopped half way (the
fingerprints are saved even when a call fails) finishes the rest. A question changed in the WA
Tool since the last sync is left alone and reported (pull first, or ``force``); a question changed
on both sides is a conflict for pull, reported and never overwritten.

Facts of the service it relies on, and how each is checked:

- A lens shared with an account is usable there once the invitation is accepted (`orr wat
  accept`); before CreateWorkload or AssociateLenses, pending invitations for the lens are
  looked for and named. A lens that is only a draft cannot be applied: said before any call.
- ListAnswers is read pillar by pillar (some lenses miss questions otherwise), from the pillars
  of the workload's own lens version (GetLensReview).
- An answer naming a practice the workload's lens version lacks is skipped and listed, never
  stops the questions after it; the ListAnswers summary carries the question's choices.
- A workload whose lens review is on an older version (a major version was published) is said
  so, and upgraded with ``upgrade`` (UpgradeLensReview saves a milestone first); minor versions
  apply by themselves. What sync learns is recorded for `orr status`.
- Owner, environment, regions, description and name changed in the review after the first sync
  reach the workload (UpdateWorkload); tags are added or changed (TagResource), never removed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from orr.checklist.model import Checklist
from orr.errors import AwsError, InputError
from orr.i18n import DEFAULT, _, normalize
from orr.review.model import Answer, PracticeNa, Review, now_utc
from orr.tomlfile import display_path
from orr.wat.answers import (
    WaAnswer,
    fingerprint,
    from_service,
    is_cut,
    parse_notes,
    review_reason,
    selection_part,
    to_service,
)
from orr.wat.client import DRY_WORKLOAD_ID, WaClient, WaError
from orr.wat.lens import lens_lang
from orr.wat.params import clean_text
from orr.wat.state import LENS_ARN, LENS_LANG, NOT_CURRENT, SyncState, wat_ids
from orr.wat.workload import (
    PAGE,
    WA_FRAMEWORK_LENS,
    name_key,
    review_tags,
    tag_changes,
    workload_changes,
    workload_params,
)

Progress = Callable[[int, int, str], None]

MILESTONE_MAX = 100  # milestones per workload, and the highest milestone number


def _noop(step: int, steps: int, message: str) -> None:
    return None


def _check_target(state: SyncState, client: WaClient, shown: str) -> None:
    if state.workload_id and state.target and state.target != client.target:
        inputs = client.inputs
        raise InputError(
            _(
                "{path}: its workload {workload} is in {there}, not in {target}: give {region} "
                "(and {endpoint}) of {there}, or delete the [wat] table of the review to sync "
                "into a new workload"
            ).format(
                path=shown,
                workload=state.workload_id,
                there=state.target,
                target=client.target,
                region=inputs.region,
                endpoint=inputs.endpoint,
            )
        )


# --- reading the lens review ----------------------------------------------------------------------


@dataclass
class LensReviewInfo:
    """What GetLensReview says of the workload's lens review."""

    version: str = ""
    status: str = ""  # CURRENT, NOT_CURRENT, ...
    pillars: list[str] = field(default_factory=list)


def lens_review(client: WaClient, workload_id: str, lens_arn: str) -> LensReviewInfo:
    raw = client.call("GetLensReview", WorkloadId=workload_id, LensAlias=lens_arn).get(
        "LensReview", {}
    )
    return LensReviewInfo(
        version=str(raw.get("LensVersion") or ""),
        status=str(raw.get("LensStatus") or ""),
        pillars=[
            str(p.get("PillarId"))
            for p in raw.get("PillarReviewSummaries") or []
            if isinstance(p, dict) and p.get("PillarId")
        ],
    )


def list_answers(
    client: WaClient, workload_id: str, lens_arn: str, pillars: Sequence[str] = ()
) -> dict[str, dict[str, Any]]:
    """Every answer summary of the workload's lens review, by question id, read pillar by
    pillar (ListAnswers without a pillar misses questions of some lenses); ListAnswers has no
    paginator, so the pages are followed by hand."""
    out: dict[str, dict[str, Any]] = {}
    wanted: list[str | None] = [*dict.fromkeys(pillars)] or [None]
    for pillar in wanted:
        token: str | None = None
        while True:
            params: dict[str, Any] = {
                "WorkloadId": workload_id,
                "LensAlias": lens_arn,
                "MaxResults": PAGE,
            }
            if pillar is not None:
                params["PillarId"] = pillar
            if token:
                params["NextToken"] = token
            page = client.call("ListAnswers", **params)
            for summary in page.get("AnswerSummaries", []):
                out[str(summary.get("QuestionId"))] = summary
            token = page.get("NextToken")
            if not token:
                break
    return out


def _get_answer(client: WaClient, workload_id: str, lens_arn: str, qid: str) -> WaAnswer:
    response = client.call("GetAnswer", WorkloadId=workload_id, LensAlias=lens_arn, QuestionId=qid)
    return from_service(response.get("Answer", {}), with_notes=True)


# --- which lens ------------------------------------------------------------------------------------


def _lens_for(
    review: Review, review_path: Path, client: WaClient, given: str | None, lang: str | None
) -> tuple[str, bool, str]:
    """The lens ARN to sync with, whether it is this checklist's lens as remembered next to
    the manifest (whose publication orr knows of), and the language of the lens.

    ``lang`` is the language asked for (None: not asked): the lens of the checklist in that
    language. Not asked, a review synced before stays with its lens (and its language); a
    review synced for the first time uses the lens in the language in use."""
    from orr.review.ops import resolve_manifest
    from orr.wat.lens import no_lens_pushed, resolve_lens
    from orr.wat.memory import LensMemory

    state_arn = review.wat.get(LENS_ARN)
    state_lang = review.wat.get(LENS_LANG) or DEFAULT
    if given:
        arn = resolve_lens(client, given, lang)
        if lang is None and arn == state_arn:
            return arn, False, state_lang
        try:
            entry = LensMemory.beside(resolve_manifest(review, review_path)).find(arn)
        except InputError:
            entry = None
        return arn, False, entry.lang if entry is not None else lens_lang(lang)
    if state_arn and (lang is None or lang == state_lang):
        return state_arn, False, state_lang
    code = lens_lang(lang)
    manifest = resolve_manifest(review, review_path)
    memory = LensMemory.beside(manifest)
    remembered = memory.for_target(client.region, client.endpoint_url, code)
    if len(remembered) == 1:
        entry = remembered[0]
        if not entry.published and not client.dry_run:
            _check_published(client, entry.arn)
        return entry.arn, True, code
    if not remembered:
        if memory.languages(client.region, client.endpoint_url):
            raise InputError(no_lens_pushed(manifest, memory, client, code))
        raise InputError(
            _(
                "{path}: no lens to sync with in {target}: push and publish the checklist first "
                "({publish}), or give the lens"
            ).format(
                path=display_path(review_path),
                target=client.target,
                publish=client.inputs.publish,
            )
        )
    raise InputError(
        _("{path}: several lenses for {target} ({arns}): give the lens ARN").format(
            path=display_path(memory.path),
            target=client.target,
            arns=", ".join(e.arn for e in remembered),
        )
    )


def _check_published(client: WaClient, arn: str) -> None:
    """InputError when the account's lens ``arn`` has no published version: a draft cannot be
    applied to a workload (the service would refuse CreateWorkload)."""
    from orr.wat.lens import own_lenses

    published = {str(s.get("LensArn")) for s in own_lenses(client, status="PUBLISHED")}
    if arn not in published:
        raise InputError(
            _(
                "lens {arn} is only a draft: a lens is applied to workloads once it is published: "
                "{publish}"
            ).format(arn=arn, publish=client.inputs.publish)
        )


def _pending_invitation(client: WaClient, lens_arn: str) -> str | None:
    """The id of a pending share invitation of ``lens_arn`` in this account, if any (a lens
    shared by another account is usable once its invitation is accepted)."""
    token: str | None = None
    while True:
        params: dict[str, Any] = {"ShareResourceType": "LENS", "MaxResults": PAGE}
        if token:
            params["NextToken"] = token
        try:
            page = client.call("ListShareInvitations", **params)
        except WaError as exc:
            if exc.code == "AccessDeniedException":
                return None  # a check orr makes to help; the call itself will say what is wrong
            raise
        for inv in page.get("ShareInvitationSummaries", []):
            if inv.get("LensArn") == lens_arn:
                return str(inv.get("ShareInvitationId"))
        token = page.get("NextToken")
        if not token:
            return None


def _require_accepted(client: WaClient, lens_arn: str) -> None:
    if client.dry_run:
        return
    invitation = _pending_invitation(client, lens_arn)
    if invitation:
        raise AwsError(
            _(
                "lens {arn} is shared with this account but its invitation {invitation} is not "
                "accepted yet: run orr wat accept {arn} in this account (or accept it in the WA "
                "Tool console), then sync again"
            ).format(arn=lens_arn, invitation=invitation)
        )


def _scope_checklist(review: Review, review_path: Path) -> Checklist:
    """The review's checklist, limited to its tier."""
    from orr.checklist import select_tier
    from orr.review.ops import load_review_checklist

    return select_tier(load_review_checklist(review, review_path), review.checklist.tier)


# --- sync ------------------------------------------------------------------------------------------


@dataclass
class SyncResult:
    """What a sync did, question by question."""

    workload_id: str
    lens_arn: str
    created_workload: bool = False
    associated: bool = False
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    remote_changed: list[str] = field(default_factory=list)  # changed in the WA Tool: left alone
    missing: list[str] = field(default_factory=list)  # questions not in the workload's version
    missing_choices: dict[str, list[str]] = field(default_factory=dict)  # question -> practices
    rejected: dict[str, str] = field(default_factory=dict)  # question -> the service's reason
    cut: list[str] = field(default_factory=list)  # notes cut to 2,084 characters
    milestone: int | None = None
    milestone_existed: bool = False
    upgraded: str | None = None  # the lens version the workload's lens review was upgraded to
    lens_version: str = ""  # the version of the lens the workload uses (after any upgrade)
    lens_latest: str = ""  # the newest published version, when the workload is behind
    needs_upgrade: bool = False  # the workload is on an older version and was not upgraded
    workload_updated: list[str] = field(default_factory=list)  # workload fields changed
    tagged: list[str] = field(default_factory=list)  # tag keys added or changed
    dry_run: bool = False

    @property
    def clean(self) -> bool:
        return not (
            self.remote_changed
            or self.missing
            or self.missing_choices
            or self.rejected
            or self.needs_upgrade
        )

    @property
    def not_in_lens(self) -> list[str]:
        """Questions, and question/practice pairs, the workload's lens version lacks."""
        return [*self.missing, *(f"{q}/{c}" for q, cs in self.missing_choices.items() for c in cs)]


def _existing_workload(client: WaClient, name: str) -> str | None:
    """The id of a workload whose name is ``name`` as the service compares names (spaces and
    capitals do not count), if the account has one."""
    wanted = name_key(name)
    token: str | None = None
    while True:
        params: dict[str, Any] = {"MaxResults": PAGE}
        if token:
            params["NextToken"] = token
        page = client.call("ListWorkloads", **params)
        for w in page.get("WorkloadSummaries", []):
            if name_key(str(w.get("WorkloadName", ""))) == wanted:
                return str(w.get("WorkloadId"))
        token = page.get("NextToken")
        if not token:
            return None


def sync_review(
    review_path: str | Path,
    client: WaClient,
    *,
    lens: str | None = None,
    workload_id: str | None = None,
    milestone: str | None = None,
    force: bool = False,
    upgrade: bool = False,
    tags: dict[str, str] | None = None,
    who: str | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Push a review's answers to its workload in the WA Tool (creating the workload the first
    time, and bringing its owner, environment, regions and description up to date afterwards)
    and optionally save a milestone. Safe to run again: only differences are sent.

    ``upgrade`` moves the workload's lens review to the lens's latest published version first,
    when it is on an older one (the WA Tool saves a milestone of the answers before). ``tags``
    are put on the workload besides orr's own (`orr.wat.workload.review_tags`).

    ``lang`` asks for the checklist's lens in that language (its own lens in the WA Tool, with
    the same ids); without it, a review synced before stays with the lens (and language) it was
    synced with, and a first sync uses the lens in the language in use. The notes orr writes
    are headed in the lens's language; the review's own notes are sent as they are."""
    from orr.review.store import ReviewStore
    from orr.review.who import current_user

    report = progress or _noop
    who = who or current_user()
    path = Path(review_path)
    shown = display_path(path)
    if milestone is not None:
        milestone = " ".join(clean_text(milestone).split())
        if not 3 <= len(milestone) <= 100:
            raise InputError(
                _("--milestone {name}: a milestone name has 3 to 100 characters").format(
                    name=repr(milestone)
                )
            )
    store = ReviewStore(path)
    review = store.load()
    state = SyncState.of(review, shown)
    if workload_id:
        workload_id = workload_id.strip().lower()
        if len(workload_id) != 32 or any(c not in "0123456789abcdef" for c in workload_id):
            raise InputError(
                _("--workload-id {id}: a workload id is 32 hex digits").format(id=repr(workload_id))
            )
        if workload_id != state.workload_id:
            state.answers = {}  # fingerprints of another workload say nothing about this one
            state.workload_id = workload_id
            state.target = None
    _check_target(state, client, shown)
    lens_arn, _remembered, notes_lang = _lens_for(
        review, path, client, lens, normalize(lang) if lang else None
    )
    if state.lens_arn and lens_arn != state.lens_arn:
        state.answers = {}
    checklist = _scope_checklist(review, path)
    questions = [
        q.id for q in checklist.questions if to_service(review, q.id, notes_lang) is not None
    ]
    steps = len(questions) + 3 + (1 if milestone else 0)
    result = SyncResult(
        workload_id=state.workload_id or "", lens_arn=lens_arn, dry_run=client.dry_run
    )
    wanted_tags = {**review_tags(review, checklist.manifest.id), **(tags or {})}
    now = now_utc()

    def save(touched: bool, detail: str | None) -> None:
        if client.dry_run:
            return

        def apply(fresh: Review) -> None:
            state.apply(fresh.wat, touched=touched, now=now)
            if detail:
                from orr.review.ops import audit

                audit(
                    fresh,
                    who,
                    now,
                    "wat sync",
                    f"workload {state.workload_id} in {client.target}: {detail}",
                )

        store.transact(apply, who)

    # The workload.
    hint = _(
        "a lens is applied to workloads once it is published ({publish}) and, when another "
        "account shared it, once its invitation is accepted here (orr wat accept LENS)"
    ).format(publish=client.inputs.publish)
    client.hints[("CreateWorkload", "ValidationException")] = hint
    client.hints[("AssociateLenses", "ValidationException")] = hint
    wanted = workload_params(review, client, who)
    if state.workload_id is None:
        report(1, steps, _("creating the workload {name}").format(name=wanted["WorkloadName"]))
        _require_accepted(client, lens_arn)
        existing = _existing_workload(client, wanted["WorkloadName"])
        if existing:
            raise AwsError(
                _(
                    "a workload named {name} already exists in {target} (id {id}; the WA Tool "
                    "ignores spaces and capitals in names): sync into it with orr wat sync "
                    "{review} --workload-id {id}, or rename the workload in the review"
                ).format(
                    name=repr(wanted["WorkloadName"]),
                    target=client.target,
                    id=existing,
                    review=shown,
                )
            )
        client.hints[("CreateWorkload", "ConflictException")] = _(
            "another workload has this name (spaces and capitals do not count): rename the "
            "workload in the review"
        )
        created = client.call(
            "CreateWorkload",
            **wanted,
            Lenses=[WA_FRAMEWORK_LENS, lens_arn],
            Tags=wanted_tags,
        )
        state.workload_id = str(created.get("WorkloadId") or DRY_WORKLOAD_ID)
        state.lens_arn = lens_arn
        state.lens_lang = notes_lang
        state.target = client.target
        state.answers = {}
        result.created_workload = True
        # At once: a run that stops after this must not create a second workload.
        save(True, f"created workload {wanted['WorkloadName']!r} with lens {lens_arn}")
    else:
        report(1, steps, _("checking the workload {id}").format(id=state.workload_id))
        client.hints[("GetWorkload", "ResourceNotFoundException")] = _(
            "the workload the review remembers is gone (deleted, or in another account): sync "
            "into another with orr wat sync {review} --workload-id ID, or delete the [wat] "
            "table of the review to create a new one"
        ).format(review=shown)
        held = client.call("GetWorkload", WorkloadId=state.workload_id).get("Workload", {})
        lenses = [str(x) for x in held.get("Lenses", [])]
        assumed = client.dry_run and state.lens_arn == lens_arn
        if lens_arn not in lenses and not assumed:
            _require_accepted(client, lens_arn)
            client.call("AssociateLenses", WorkloadId=state.workload_id, LensAliases=[lens_arn])
            result.associated = True
        state.lens_arn = lens_arn
        state.lens_lang = notes_lang
        state.target = client.target
        if held:  # a dry run sees no workload: it cannot know what differs
            changes = workload_changes(wanted, held)
            if changes:
                client.hints[("UpdateWorkload", "ConflictException")] = _(
                    "another workload has this name (spaces and capitals do not count): rename the "
                    "workload in the review"
                )
                client.call("UpdateWorkload", WorkloadId=state.workload_id, **changes)
                result.workload_updated = sorted(changes)
            new_tags = tag_changes(wanted_tags, held.get("Tags"))
            arn = held.get("WorkloadArn")
            if new_tags and arn:
                client.call("TagResource", WorkloadArn=str(arn), Tags=new_tags)
                result.tagged = sorted(new_tags)
    wid = state.workload_id
    assert wid is not None
    result.workload_id = wid

    def outcome() -> str:
        parts = []
        if result.associated:
            parts.append(f"lens {lens_arn} associated")
        if result.workload_updated:
            parts.append(f"workload {', '.join(result.workload_updated)} updated")
        if result.tagged:
            parts.append(f"tags {', '.join(result.tagged)} set")
        if result.upgraded:
            parts.append(f"lens review upgraded to version {result.upgraded}")
        if result.updated:
            parts.append(f"{len(result.updated)} answer(s) updated: {', '.join(result.updated)}")
        if result.milestone is not None and not result.milestone_existed:
            parts.append(f"milestone {milestone} saved as #{result.milestone}")
        return "; ".join(parts)

    try:
        report(2, steps, _("reading the answers in the WA Tool"))
        info = _lens_versions(client, wid, lens_arn, upgrade, now, result)
        state.lens_version = info.version or state.lens_version
        state.lens_status = info.status or state.lens_status
        state.lens_latest = result.lens_latest or (
            info.version if info.status != NOT_CURRENT else state.lens_latest
        )
        pillars = info.pillars or [p.id for p in checklist.pillars]
        remote = list_answers(client, wid, lens_arn, pillars)
        for n, qid in enumerate(questions, start=1):
            report(2 + n, steps, qid)
            _sync_question(
                client, review, qid, wid, lens_arn, remote, state, result, force, notes_lang
            )
        state.not_in_lens = result.not_in_lens
        if milestone is not None:
            report(steps, steps, _("saving milestone {name}").format(name=milestone))
            unchanged_run = not (result.updated or result.associated or result.upgraded)
            if milestone in state.milestones and unchanged_run:
                result.milestone = state.milestones[milestone]
                result.milestone_existed = True
            else:
                client.hints[("CreateMilestone", "ConflictException")] = _(
                    "a milestone named {name} exists: choose another milestone name"
                ).format(name=repr(milestone))
                response = client.call("CreateMilestone", WorkloadId=wid, MilestoneName=milestone)
                result.milestone = int(response.get("MilestoneNumber") or 0)
                if not client.dry_run:
                    state.milestones[milestone] = result.milestone
    except (AwsError, InputError):
        # Keep what was done, so that the next run finishes the rest.
        detail = outcome()
        if detail or state.differs(review.wat, now):
            save(bool(detail), (detail + " (stopped by an error)") if detail else None)
        raise
    detail = outcome()
    if detail or state.differs(review.wat, now):
        save(bool(detail), detail or None)
    report(steps, steps, _("done"))
    return result


def _lens_versions(
    client: WaClient, wid: str, lens_arn: str, upgrade: bool, now: datetime, result: SyncResult
) -> LensReviewInfo:
    """Which version of the lens the workload uses; with ``upgrade``, move it to the latest
    published one when it is behind (a major version was published since)."""
    info = lens_review(client, wid, lens_arn)
    if info.status == NOT_CURRENT:
        result.lens_latest = _latest_version(client, lens_arn)
        if upgrade:
            client.call(
                "UpgradeLensReview",
                WorkloadId=wid,
                LensAlias=lens_arn,
                MilestoneName=f"orr: before the lens upgrade of {now:%Y-%m-%d %H:%M:%S} UTC",
                # UpgradeLensReview is the one call boto3 gives no idempotency token of its own.
                ClientRequestToken=str(uuid.uuid4()),
            )
            info = lens_review(client, wid, lens_arn)
            result.upgraded = info.version or result.lens_latest or "latest"
        else:
            result.needs_upgrade = True
    result.lens_version = info.version
    return info


def _latest_version(client: WaClient, lens_arn: str) -> str:
    """The newest published version of a lens ("" when the WA Tool does not say)."""
    try:
        lens = client.call("GetLens", LensAlias=lens_arn).get("Lens", {})
    except WaError:
        return ""
    return str(lens.get("LensVersion") or "")


def _sync_question(
    client: WaClient,
    review: Review,
    qid: str,
    wid: str,
    lens_arn: str,
    remote: dict[str, dict[str, Any]],
    state: SyncState,
    result: SyncResult,
    force: bool,
    lang: str = DEFAULT,
) -> None:
    desired = to_service(review, qid, lang)
    assert desired is not None
    want = fingerprint(desired)
    stored = state.answers.get(qid)
    summary = remote.get(qid)
    current: WaAnswer | None = None
    if summary is None:
        if not client.dry_run:
            result.missing.append(qid)
            return
        if stored == want:
            result.unchanged.append(qid)
            return
    else:
        offered = {
            str(c.get("ChoiceId")) for c in summary.get("Choices") or [] if isinstance(c, dict)
        }
        lacking = [c for c in (*desired.choices, *desired.na_ids) if c not in offered]
        if offered and lacking:
            # The workload's lens version lacks a practice: skip this answer, not the sync.
            result.missing_choices[qid] = sorted(lacking)
            return
        seen = from_service(summary, with_notes=False)
        if (
            stored == want
            and stored is not None
            and selection_part(stored) == seen.selection_hash()
        ):
            result.unchanged.append(qid)
            return
        if seen.answered or stored is not None:
            # Compare the whole answer (notes are not in the summary).
            current = _get_answer(client, wid, lens_arn, qid)
            got = fingerprint(current)
            if got == want:
                state.answers[qid] = want
                result.unchanged.append(qid)
                return
            changed_there = got != stored
            if changed_there and not force:
                result.remote_changed.append(qid)
                return
        else:
            current = seen
    if is_cut(desired.notes):
        result.cut.append(qid)
    try:
        response = client.call(
            "UpdateAnswer",
            WorkloadId=wid,
            LensAlias=lens_arn,
            QuestionId=qid,
            **desired.update_params(current),
        )
    except WaError as exc:
        if exc.code != "ValidationException":
            raise
        # One answer the service refuses does not stop the others.
        result.rejected[qid] = exc.message
        return
    answer = response.get("Answer")
    held = from_service(answer, with_notes=True) if isinstance(answer, dict) else desired
    state.answers[qid] = fingerprint(held) if not client.dry_run else want
    result.updated.append(qid)


# --- pull ------------------------------------------------------------------------------------------


@dataclass
class Conflict:
    question: str
    review: str  # the review's answer, in short
    wa_tool: str  # the WA Tool's answer, in short


@dataclass
class PullResult:
    workload_id: str
    pulled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)  # answered before, blank in the WA Tool now
    warnings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.cleared


def pull_review(
    review_path: str | Path,
    client: WaClient,
    *,
    who: str | None = None,
    progress: Progress | None = None,
) -> PullResult:
    """Bring answers recorded in the WA Tool (in the console, say) into the review: choices,
    not applicable with its reason, practices that do not apply, notes, new evidence links. A
    question changed on both sides since the last sync is a conflict: reported, the review left
    as is."""
    from orr.review.store import ReviewStore
    from orr.review.who import current_user

    report = progress or _noop
    who = who or current_user()
    path = Path(review_path)
    shown = display_path(path)
    store = ReviewStore(path)
    review = store.load()
    state = SyncState.of(review, shown)
    if not state.workload_id or not state.lens_arn:
        raise InputError(
            _("{path}: not synced with the WA Tool yet: run orr wat sync {path} first").format(
                path=shown
            )
        )
    _check_target(state, client, shown)
    wid, lens_arn = state.workload_id, state.lens_arn
    notes_lang = state.lens_lang or DEFAULT
    checklist = _scope_checklist(review, path)
    scope = [q.id for q in checklist.questions]
    report(1, len(scope) + 2, _("reading the answers in the WA Tool"))
    info = lens_review(client, wid, lens_arn)
    remote = list_answers(client, wid, lens_arn, info.pillars or [p.id for p in checklist.pillars])
    fetched: dict[str, WaAnswer] = {}
    for n, qid in enumerate(scope, start=1):
        summary = remote.get(qid)
        if summary is None:
            continue
        report(1 + n, len(scope) + 2, qid)
        seen = from_service(summary, with_notes=False)
        if seen.answered or qid in state.answers:
            fetched[qid] = _get_answer(client, wid, lens_arn, qid)
    result = PullResult(workload_id=wid)
    if client.dry_run:
        return result
    now = now_utc()

    def apply(fresh: Review) -> bool:
        """Bring the WA Tool's answers into ``fresh``; True when anything changed."""
        fresh_state = SyncState.of(fresh, shown)
        known = dict(fresh_state.answers)
        result.pulled.clear()
        result.unchanged.clear()
        result.conflicts.clear()
        result.cleared.clear()
        result.warnings.clear()
        for qid, there in fetched.items():
            got = fingerprint(there)
            stored = fresh_state.answers.get(qid)
            mine = to_service(fresh, qid, notes_lang)
            if stored == got:
                result.unchanged.append(qid)
                continue
            if mine is not None and fingerprint(mine) == got:
                fresh_state.answers[qid] = got  # both sides agree: nothing to bring
                result.unchanged.append(qid)
                continue
            if not there.answered:
                if stored is not None:
                    result.cleared.append(qid)
                continue
            if mine is not None and (stored is None or fingerprint(mine) != stored):
                result.conflicts.append(Conflict(qid, mine.summary(), there.summary()))
                continue
            if _bring_in(fresh, checklist, qid, there, who, now, result):
                fresh_state.answers[qid] = got
        if result.pulled:
            from orr.review.ops import audit

            audit(
                fresh,
                who,
                now,
                "wat pull",
                f"{len(result.pulled)} answer(s) from workload {wid}: " + ", ".join(result.pulled),
            )
        changed = bool(result.pulled) or fresh_state.answers != known
        fresh_state.apply(fresh.wat, touched=False, now=now)
        return changed

    report(len(scope) + 2, len(scope) + 2, _("updating the review"))
    # Decide on a copy first: a pull that brings nothing leaves the file untouched.
    if apply(review.model_copy(deep=True)):
        store.transact(apply, who)
    return result


def _na_practices(
    checklist: Checklist, qid: str, there: WaAnswer, result: PullResult
) -> dict[str, PracticeNa]:
    """The practices the WA Tool holds as not applicable, as the review records them (a
    practice the checklist lacks, or may never waive, is left out with a warning)."""
    question = checklist.question(qid)
    out: dict[str, PracticeNa] = {}
    if question is None:
        return out
    for cid, reason, note in there.na:
        choice = question.choice(cid)
        if choice is None:
            result.warnings.append(
                _(
                    "{question}: practice {choice} is not applicable in the WA Tool but not in "
                    "the checklist: left out"
                ).format(question=qid, choice=cid)
            )
            continue
        if not getattr(choice, "waivable", True):
            result.warnings.append(
                _(
                    "{question}: practice {choice} is not applicable in the WA Tool, but the "
                    "checklist says it may never be waived: left out"
                ).format(question=qid, choice=cid)
            )
            continue
        out[cid] = PracticeNa(reason=review_reason(reason), note=note.strip())
    return out


def _bring_in(
    review: Review,
    checklist: Checklist,
    qid: str,
    there: WaAnswer,
    who: str,
    now: datetime,
    result: PullResult,
) -> bool:
    from orr.review.model import Evidence
    from orr.review.ops import audit, set_answer

    question = checklist.question(qid)
    if question is None:
        return False
    parsed = parse_notes(there.notes)
    if parsed.cut:
        result.warnings.append(
            _(
                "{question}: the notes in the WA Tool were cut by orr: the review's notes are kept"
            ).format(question=qid)
        )
    local = review.answers.get(qid)
    have = {e.url for e in local.evidence} if local else set()
    links = [
        Evidence(url=url, description=desc) for url, desc in parsed.evidence if url not in have
    ]
    notes = None if parsed.cut else parsed.notes
    na = _na_practices(checklist, qid, there, result) if there.applicable else {}
    try:
        if there.applicable:
            known = {c.id for c in question.choices}
            unknown = [c for c in there.choices if c not in known]
            if unknown:
                result.warnings.append(
                    _(
                        "{question}: choice(s) {choices} of the WA Tool are not in the checklist: "
                        "left out"
                    ).format(question=qid, choices=", ".join(unknown))
                )
            choices = [c for c in there.choices if c in known]
            if not choices and not na:
                return False
            if choices:
                set_answer(
                    review,
                    checklist,
                    qid,
                    choices=choices,
                    notes=notes,
                    evidence=links,
                    who=who,
                    now=now,
                )
            else:
                set_answer(
                    review, checklist, qid, notes=notes or "", evidence=links, who=who, now=now
                )
            before = review.answers[qid]
            if before.na_choices != na or (not choices and before.choices):
                data = before.model_dump()
                data["na_choices"] = {c: p.model_dump() for c, p in na.items()}
                if not choices:
                    data["choices"] = []
                data["answered_by"], data["answered_at"] = who, now
                review.answers[qid] = Answer.model_validate(data)
                listed = ", ".join(f"{c} ({p.reason})" for c, p in na.items()) or "none"
                audit(review, who, now, "answer", f"{qid}: practices not applicable: {listed}")
        else:
            set_answer(
                review,
                checklist,
                qid,
                na_reason=review_reason(there.reason),
                na_note=parsed.na_note,
                notes=notes,
                evidence=links,
                who=who,
                now=now,
            )
    except InputError as exc:
        result.warnings.append(
            _("{question}: not brought in: {reason}").format(question=qid, reason=exc.message)
        )
        return False
    except ValueError as exc:  # pydantic's ValidationError: the combination is not allowed
        result.warnings.append(
            _("{question}: not brought in: {reason}").format(
                question=qid, reason=" ".join(str(exc).split())[:200]
            )
        )
        return False
    result.pulled.append(qid)
    return True


def milestone_number(review: Review, ref: str | None) -> int | None:
    """A milestone number (1 to 100) from a name orr saved, or a number."""
    import json

    if ref is None:
        return None
    text = ref.strip()
    if text.isdigit():
        number = int(text)
        if not 1 <= number <= MILESTONE_MAX:
            raise InputError(
                _(
                    "--milestone {value}: a milestone number is 1 to {high} (orr wat milestones "
                    "lists them)"
                ).format(value=repr(ref), high=MILESTONE_MAX)
            )
        return number
    raw = review.wat.get("milestones")
    data: dict[str, Any] = {}
    if raw:
        try:
            loaded = json.loads(raw)
            if isinstance(loaded, dict):
                data = loaded
        except ValueError:
            pass
    if text in data:
        return int(data[text])
    raise InputError(
        _(
            "--milestone {value}: not a milestone number, nor a milestone saved by orr wat sync "
            "({saved}): orr wat milestones lists them"
        ).format(value=repr(ref), saved=", ".join(sorted(data)) or _("none yet"))
    )


__all__ = [
    "Conflict",
    "PullResult",
    "SyncResult",
    "SyncState",
    "list_answers",
    "milestone_number",
    "pull_review",
    "sync_review",
    "wat_ids",
]
