"""A review and its workload in the WA Tool: `sync_review` pushes the answers, `pull_review`
brings answers recorded in the WA Tool back.

What the review keeps (``[wat]`` in the review file, strings only):

- ``workload_id``, ``lens_arn``: the workload the review is synced with, and the lens;
- ``target``: where that workload lives (the Region, and the endpoint when one was given);
- ``answers``: JSON, question id -> fingerprint (`orr.wat.answers.fingerprint`) of the answer as
  both sides held it after the last sync or pull;
- ``milestones``: JSON, milestone name -> number, for the milestones orr saved;
- ``synced_at``: when orr last changed the workload.

Sync sends an UpdateAnswer only where the WA Tool differs from what the review's answer maps to,
so a second run makes no call that changes anything, and a run that stopped half way (the
fingerprints are saved even when a call fails) finishes the rest. A question changed in the WA
Tool since the last sync is left alone and reported (pull first, or ``force``); a question changed
on both sides is a conflict for pull, reported and never overwritten.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from orr.checklist.model import Checklist
from orr.errors import AwsError, InputError
from orr.review.model import Review, now_utc
from orr.tomlfile import display_path
from orr.wat.answers import (
    CUT_MARKER,
    WaAnswer,
    fingerprint,
    from_service,
    parse_notes,
    review_reason,
    selection_part,
    to_service,
)
from orr.wat.client import DRY_WORKLOAD_ID, WaClient, is_aws_region

Progress = Callable[[int, int, str], None]

WORKLOAD_ID = "workload_id"
LENS_ARN = "lens_arn"
TARGET = "target"
ANSWERS = "answers"
MILESTONES = "milestones"
SYNCED_AT = "synced_at"

WA_FRAMEWORK_LENS = "wellarchitected"
PAGE = 50


def _noop(step: int, steps: int, message: str) -> None:
    return None


# --- the review's memory of the workload ----------------------------------------------------------


@dataclass
class SyncState:
    """The ``[wat]`` table of a review, parsed."""

    workload_id: str | None = None
    lens_arn: str | None = None
    target: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    milestones: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, review: Review, shown: str) -> SyncState:
        wat = review.wat
        state = cls(
            workload_id=wat.get(WORKLOAD_ID) or None,
            lens_arn=wat.get(LENS_ARN) or None,
            target=wat.get(TARGET) or None,
        )
        for key in (ANSWERS, MILESTONES):
            raw = wat.get(key)
            if not raw:
                continue
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                raise InputError(
                    f"{shown}: wat.{key} is not the JSON object orr writes: delete that line "
                    "(the next sync compares every answer again)"
                )
            if key == ANSWERS:
                state.answers = {str(k): str(v) for k, v in data.items()}
            else:
                state.milestones = {str(k): int(v) for k, v in data.items()}
        return state

    def apply(self, wat: dict[str, str], *, touched: bool, now: datetime) -> None:
        """Write this state into a review's ``[wat]`` table."""
        for key, value in (
            (WORKLOAD_ID, self.workload_id),
            (LENS_ARN, self.lens_arn),
            (TARGET, self.target),
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
        if touched:
            wat[SYNCED_AT] = now.isoformat()

    def differs(self, wat: dict[str, str]) -> bool:
        """True when writing this state would change ``wat`` (besides the time of the sync)."""
        scratch = dict(wat)
        self.apply(scratch, touched=False, now=now_utc())
        return scratch != wat


def _check_target(state: SyncState, client: WaClient, shown: str) -> None:
    if state.workload_id and state.target and state.target != client.target:
        raise InputError(
            f"{shown}: its workload {state.workload_id} is in {state.target}, not in "
            f"{client.target}: pass --region (and --endpoint-url) for {state.target}, or delete "
            "the [wat] table of the review to sync into a new workload"
        )


def list_answers(client: WaClient, workload_id: str, lens_arn: str) -> dict[str, dict[str, Any]]:
    """Every answer summary of the workload's lens review, by question id (ListAnswers has no
    paginator: the pages are followed by hand)."""
    out: dict[str, dict[str, Any]] = {}
    token: str | None = None
    while True:
        params: dict[str, Any] = {
            "WorkloadId": workload_id,
            "LensAlias": lens_arn,
            "MaxResults": PAGE,
        }
        if token:
            params["NextToken"] = token
        page = client.call("ListAnswers", **params)
        for summary in page.get("AnswerSummaries", []):
            out[str(summary.get("QuestionId"))] = summary
        token = page.get("NextToken")
        if not token:
            return out


def _get_answer(client: WaClient, workload_id: str, lens_arn: str, qid: str) -> WaAnswer:
    response = client.call("GetAnswer", WorkloadId=workload_id, LensAlias=lens_arn, QuestionId=qid)
    return from_service(response.get("Answer", {}), with_notes=True)


def _lens_for(review: Review, review_path: Path, client: WaClient, given: str | None) -> str:
    from orr.review.ops import resolve_manifest
    from orr.wat.lens import resolve_lens
    from orr.wat.memory import LensMemory

    if given:
        return resolve_lens(client, given)
    state_arn = review.wat.get(LENS_ARN)
    if state_arn:
        return state_arn
    manifest = resolve_manifest(review, review_path)
    memory = LensMemory.beside(manifest)
    remembered = memory.for_target(client.region, client.endpoint_url)
    if len(remembered) == 1:
        return remembered[0].arn
    if not remembered:
        raise InputError(
            f"{display_path(review_path)}: no lens to sync with: push the checklist first "
            f"(orr wat push-lens {display_path(manifest)} --publish 1.0), or give --lens ARN"
        )
    raise InputError(
        f"{display_path(memory.path)}: several lenses for {client.target} "
        f"({', '.join(e.arn for e in remembered)}): give --lens ARN"
    )


def _scope(review: Review, review_path: Path) -> list[str]:
    """The question ids of the review's checklist (its tier), in checklist order."""
    from orr.checklist import select_tier
    from orr.review.ops import load_review_checklist

    checklist = select_tier(load_review_checklist(review, review_path), review.checklist.tier)
    return [q.id for q in checklist.questions]


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
    missing: list[str] = field(default_factory=list)  # not in the workload's lens version
    cut: list[str] = field(default_factory=list)  # notes cut to 2,084 characters
    milestone: int | None = None
    milestone_existed: bool = False
    upgraded: str | None = None  # the lens version the workload's lens review was upgraded to
    dry_run: bool = False

    @property
    def clean(self) -> bool:
        return not self.remote_changed and not self.missing


def _workload_params(review: Review, client: WaClient, lens_arn: str, who: str) -> dict[str, Any]:
    w = review.workload
    name = " ".join(w.name.split())
    if not 3 <= len(name) <= 100:
        raise InputError(
            f"workload name {name!r}: the WA Tool takes 3 to 100 characters: rename the workload "
            "in the review"
        )
    description = " ".join(w.description.split()) or f"Operational readiness review of {name}"
    if len(description) < 3:
        description = f"Operational readiness review of {name}"
    if len(description) > 250:
        description = description[:249].rstrip() + "…"
    owner = " ".join(w.owner.split()) or who
    if not 3 <= len(owner) <= 255:
        raise InputError(
            f"workload owner {owner!r}: the WA Tool needs a review owner of 3 to 255 characters: "
            "set the workload's owner in the review"
        )
    aws = [r for r in w.regions if is_aws_region(r)]
    other = [r for r in w.regions if not is_aws_region(r)]
    if len(other) > 5 or any(not 3 <= len(r) <= 25 for r in other):
        raise InputError(
            f"workload regions {other}: besides AWS Regions, the WA Tool takes at most 5 other "
            "regions of 3 to 25 characters"
        )
    if not aws and not other:
        aws = [client.region]
    params: dict[str, Any] = {
        "WorkloadName": name,
        "Description": description,
        "Environment": w.environment.value.upper(),
        "ReviewOwner": owner,
        "Lenses": [WA_FRAMEWORK_LENS, lens_arn],
    }
    if aws:
        params["AwsRegions"] = aws
    if other:
        params["NonAwsRegions"] = other
    return params


def _existing_workload(client: WaClient, name: str) -> str | None:
    token: str | None = None
    while True:
        params: dict[str, Any] = {"WorkloadNamePrefix": name[:100], "MaxResults": PAGE}
        if token:
            params["NextToken"] = token
        page = client.call("ListWorkloads", **params)
        for w in page.get("WorkloadSummaries", []):
            if str(w.get("WorkloadName", "")).lower() == name.lower():
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
    who: str | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Push a review's answers to its workload in the WA Tool (creating the workload the first
    time) and optionally save a milestone. Safe to run again: only differences are sent.

    ``upgrade`` moves the workload's lens review to the lens's latest published version first,
    when it is on an older one (the WA Tool saves a milestone of the answers before)."""
    from orr.review.store import ReviewStore
    from orr.review.who import current_user

    report = progress or _noop
    who = who or current_user()
    path = Path(review_path)
    shown = display_path(path)
    if milestone is not None and not 3 <= len(milestone.strip()) <= 100:
        raise InputError(f"--milestone {milestone!r}: a milestone name has 3 to 100 characters")
    store = ReviewStore(path)
    review = store.load()
    state = SyncState.of(review, shown)
    if workload_id:
        workload_id = workload_id.strip().lower()
        if len(workload_id) != 32 or any(c not in "0123456789abcdef" for c in workload_id):
            raise InputError(f"--workload-id {workload_id!r}: a workload id is 32 hex digits")
        if workload_id != state.workload_id:
            state.answers = {}  # fingerprints of another workload say nothing about this one
            state.workload_id = workload_id
            state.target = None
    _check_target(state, client, shown)
    lens_arn = _lens_for(review, path, client, lens)
    if state.lens_arn and lens_arn != state.lens_arn:
        state.answers = {}
    scope = _scope(review, path)
    questions = [q for q in scope if to_service(review, q) is not None]
    steps = len(questions) + 3 + (1 if milestone else 0)
    result = SyncResult(
        workload_id=state.workload_id or "", lens_arn=lens_arn, dry_run=client.dry_run
    )
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
    client.hints[("CreateWorkload", "ValidationException")] = (
        "a lens is applied to workloads once it is published: orr wat push-lens --publish VERSION"
    )
    client.hints[("AssociateLenses", "ValidationException")] = client.hints[
        ("CreateWorkload", "ValidationException")
    ]
    if state.workload_id is None:
        report(1, steps, f"creating the workload {review.workload.name}")
        params = _workload_params(review, client, lens_arn, who)
        existing = _existing_workload(client, params["WorkloadName"])
        if existing:
            raise AwsError(
                f"a workload named {params['WorkloadName']!r} already exists in {client.target} "
                f"(id {existing}): sync into it with --workload-id {existing}, or rename the "
                "workload in the review"
            )
        created = client.call("CreateWorkload", **params)
        state.workload_id = str(created.get("WorkloadId") or DRY_WORKLOAD_ID)
        state.lens_arn = lens_arn
        state.target = client.target
        state.answers = {}
        result.created_workload = True
        # At once: a run that stops after this must not create a second workload.
        save(True, f"created workload {params['WorkloadName']!r} with lens {lens_arn}")
    else:
        report(1, steps, f"checking the workload {state.workload_id}")
        client.hints[("GetWorkload", "ResourceNotFoundException")] = (
            "the workload the review remembers is gone (deleted, or in another account): give "
            "--workload-id, or delete the [wat] table of the review to create a new one"
        )
        workload = client.call("GetWorkload", WorkloadId=state.workload_id).get("Workload", {})
        lenses = [str(x) for x in workload.get("Lenses", [])]
        assumed = client.dry_run and state.lens_arn == lens_arn
        if lens_arn not in lenses and not assumed:
            client.call("AssociateLenses", WorkloadId=state.workload_id, LensAliases=[lens_arn])
            result.associated = True
        state.lens_arn = lens_arn
        state.target = client.target
        if upgrade:
            _upgrade(client, state.workload_id, lens_arn, now, result)
    wid = state.workload_id
    assert wid is not None
    result.workload_id = wid

    def outcome() -> str:
        parts = []
        if result.associated:
            parts.append(f"lens {lens_arn} associated")
        if result.upgraded:
            parts.append(f"lens review upgraded to version {result.upgraded}")
        if result.updated:
            parts.append(f"{len(result.updated)} answer(s) updated: {', '.join(result.updated)}")
        if result.milestone is not None and not result.milestone_existed:
            parts.append(f"milestone {milestone} saved as #{result.milestone}")
        return "; ".join(parts)

    try:
        report(2, steps, "reading the answers in the WA Tool")
        remote = list_answers(client, wid, lens_arn)
        for n, qid in enumerate(questions, start=1):
            report(2 + n, steps, qid)
            _sync_question(client, review, qid, wid, lens_arn, remote, state, result, force)
        if milestone is not None:
            name = milestone.strip()
            report(steps, steps, f"saving milestone {name}")
            unchanged_run = not (result.updated or result.associated or result.upgraded)
            if name in state.milestones and unchanged_run:
                result.milestone = state.milestones[name]
                result.milestone_existed = True
            else:
                client.hints[("CreateMilestone", "ConflictException")] = (
                    f"a milestone named {name!r} exists: choose another --milestone name"
                )
                response = client.call("CreateMilestone", WorkloadId=wid, MilestoneName=name)
                result.milestone = int(response.get("MilestoneNumber") or 0)
                if not client.dry_run:
                    state.milestones[name] = result.milestone
    except AwsError:
        # Keep what was done, so that the next run finishes the rest.
        detail = outcome()
        if detail or state.differs(review.wat):
            save(bool(detail), (detail + " (stopped by an error)") if detail else None)
        raise
    detail = outcome()
    if detail or state.differs(review.wat):
        save(bool(detail), detail or None)
    report(steps, steps, "done")
    return result


def _upgrade(client: WaClient, wid: str, lens_arn: str, now: datetime, result: SyncResult) -> None:
    """Upgrade the workload's lens review when a newer version of the lens is published."""
    review = client.call("GetLensReview", WorkloadId=wid, LensAlias=lens_arn).get("LensReview", {})
    if review.get("LensStatus") != "NOT_CURRENT":
        return
    client.call(
        "UpgradeLensReview",
        WorkloadId=wid,
        LensAlias=lens_arn,
        MilestoneName=f"orr: before the lens upgrade of {now:%Y-%m-%d %H:%M:%S} UTC",
        # UpgradeLensReview is the one call boto3 gives no idempotency token of its own.
        ClientRequestToken=str(uuid.uuid4()),
    )
    after = client.call("GetLensReview", WorkloadId=wid, LensAlias=lens_arn).get("LensReview", {})
    result.upgraded = str(after.get("LensVersion") or "latest")


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
) -> None:
    desired = to_service(review, qid)
    assert desired is not None
    want = fingerprint(desired)
    stored = state.answers.get(qid)
    if desired.notes.endswith(CUT_MARKER):
        result.cut.append(qid)
    summary = remote.get(qid)
    if summary is None:
        if not client.dry_run:
            result.missing.append(qid)
            return
        if stored == want:
            result.unchanged.append(qid)
            return
    else:
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
    response = client.call(
        "UpdateAnswer",
        WorkloadId=wid,
        LensAlias=lens_arn,
        QuestionId=qid,
        **desired.update_params(),
    )
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
    """Bring answers recorded in the WA Tool (in the console, say) into the review. A question
    changed on both sides since the last sync is a conflict: reported, the review left as is."""
    from orr.review.ops import load_review_checklist
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
            f"{shown}: not synced with the WA Tool yet: run orr wat sync {shown} first"
        )
    _check_target(state, client, shown)
    wid, lens_arn = state.workload_id, state.lens_arn
    scope = _scope(review, path)
    report(1, len(scope) + 2, "reading the answers in the WA Tool")
    remote = list_answers(client, wid, lens_arn)
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
    checklist = load_review_checklist(review, path)
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
            mine = to_service(fresh, qid)
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

    report(len(scope) + 2, len(scope) + 2, "updating the review")
    # Decide on a copy first: a pull that brings nothing leaves the file untouched.
    if apply(review.model_copy(deep=True)):
        store.transact(apply, who)
    return result


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
    from orr.review.ops import set_answer

    question = checklist.question(qid)
    if question is None:
        return False
    parsed = parse_notes(there.notes)
    if parsed.cut:
        result.warnings.append(
            f"{qid}: the notes in the WA Tool were cut by orr: the review's notes are kept"
        )
    local = review.answers.get(qid)
    have = {e.url for e in local.evidence} if local else set()
    links = [
        Evidence(url=url, description=desc) for url, desc in parsed.evidence if url not in have
    ]
    notes = None if parsed.cut else parsed.notes
    try:
        if there.applicable:
            known = {c.id for c in question.choices}
            unknown = [c for c in there.choices if c not in known]
            if unknown:
                result.warnings.append(
                    f"{qid}: choice(s) {', '.join(unknown)} of the WA Tool are not in the "
                    "checklist: left out"
                )
            choices = [c for c in there.choices if c in known]
            if not choices:
                return False
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
        result.warnings.append(f"{qid}: not brought in: {exc.message}")
        return False
    result.pulled.append(qid)
    return True


def wat_ids(review: Review) -> tuple[str | None, str | None]:
    """The workload id and lens ARN a review is synced with (None when it is not)."""
    return review.wat.get(WORKLOAD_ID) or None, review.wat.get(LENS_ARN) or None


def milestone_number(review: Review, ref: str | None) -> int | None:
    """A milestone number from a name orr saved, or a number."""
    if ref is None:
        return None
    if ref.isdigit():
        return int(ref)
    raw = review.wat.get(MILESTONES)
    data: dict[str, Any] = {}
    if raw:
        try:
            loaded = json.loads(raw)
            if isinstance(loaded, dict):
                data = loaded
        except ValueError:
            pass
    if ref in data:
        return int(data[ref])
    raise InputError(
        f"--milestone {ref!r}: not a milestone number, nor a milestone saved by orr wat sync "
        f"({', '.join(sorted(data)) or 'none yet'})"
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
