"""A review's workload in the WA Tool: what it is made from, keeping it up to date after the
first sync (UpdateWorkload, tags), sharing it with reviewers in other accounts, its milestones,
and deleting it.

- `workload_params`: the CreateWorkload parameters of a review (name, description, environment,
  review owner, AWS and other regions), made to fit the service's limits.
- `workload_changes`: which of those differ from the workload the WA Tool holds (for
  UpdateWorkload), and `tag_changes`: the tags to add or change (tags others set are kept).
- `share_workload`: CreateWorkloadShare, once per principal.
- `list_milestones`: ListMilestones, every page.
- `delete_workload`: DeleteWorkload, and the review forgets it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from orr.errors import InputError
from orr.i18n import _
from orr.review.model import Review
from orr.tomlfile import display_path
from orr.wat.client import WaClient, is_aws_region
from orr.wat.params import clean_text

WA_FRAMEWORK_LENS = "wellarchitected"
PAGE = 50
TAG_PREFIX = "orr:"
_SHARE_WITH = re.compile(
    r"^(\d{12}|o-[a-z0-9]{10,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|"
    r"arn:aws[a-z-]*:iam::\d{12}:(user|role)/[\w+=,.@/-]+)$"
)
_LIVE_SHARES = ("PENDING", "ACCEPTED", "ASSOCIATING", "ASSOCIATED")
PERMISSIONS = ("READONLY", "CONTRIBUTOR")


def name_key(name: str) -> str:
    """A workload name as the service compares names: spaces and capitals do not count."""
    return "".join(name.split()).casefold()


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def workload_params(review: Review, client: WaClient, who: str) -> dict[str, Any]:
    """CreateWorkload's parameters for a review (the lenses are added by the caller)."""
    w = review.workload
    name = one_line(w.name)
    if not 3 <= len(name) <= 100:
        raise InputError(
            _(
                "workload name {name}: the WA Tool takes 3 to 100 characters: rename the workload "
                "in the review"
            ).format(name=repr(name))
        )
    description = one_line(w.description) or f"Operational readiness review of {name}"
    if len(description) < 3:
        description = f"Operational readiness review of {name}"
    if len(description) > 250:
        description = description[:249].rstrip() + "…"
    owner = one_line(w.owner) or one_line(who)
    if not 3 <= len(owner) <= 255:
        raise InputError(
            _(
                "workload owner {owner}: the WA Tool needs a review owner of 3 to 255 characters: "
                "set the workload's owner in the review"
            ).format(owner=repr(owner))
        )
    regions = [one_line(r) for r in w.regions if one_line(r)]
    aws = [r for r in regions if is_aws_region(r)]
    other = [r for r in regions if not is_aws_region(r)]
    if len(other) > 5 or any(not 3 <= len(r) <= 25 for r in other):
        raise InputError(
            _(
                "workload regions {regions}: besides AWS Regions, the WA Tool takes at most 5 "
                "other regions of 3 to 25 characters"
            ).format(regions=other)
        )
    if not aws and not other:
        aws = [client.region]
    params: dict[str, Any] = {
        "WorkloadName": name,
        "Description": description,
        "Environment": w.environment.value.upper(),
        "ReviewOwner": owner,
    }
    if aws:
        params["AwsRegions"] = aws
    if other:
        params["NonAwsRegions"] = other
    return params


def workload_changes(wanted: dict[str, Any], held: dict[str, Any]) -> dict[str, Any]:
    """The UpdateWorkload parameters that make the workload ``held`` (GetWorkload's Workload)
    match ``wanted`` (`workload_params`); empty when nothing differs."""
    out: dict[str, Any] = {}
    for key in ("WorkloadName", "Description", "Environment", "ReviewOwner"):
        if key in wanted and wanted[key] != held.get(key):
            out[key] = wanted[key]
    for key in ("AwsRegions", "NonAwsRegions"):
        mine = sorted(wanted.get(key, []))
        theirs = sorted(str(r) for r in held.get(key) or [])
        if mine != theirs:
            out[key] = list(wanted.get(key, []))
    return out


def review_tags(review: Review, checklist_id: str) -> dict[str, str]:
    """The tags orr puts on a review's workload: where it comes from and when it launches."""
    return {
        f"{TAG_PREFIX}checklist": checklist_id,
        f"{TAG_PREFIX}launch-date": review.workload.launch_date.isoformat(),
    }


def parse_tags(given: Sequence[str]) -> dict[str, str]:
    """``K=V`` strings (``--tag``) as a dict; InputError for one without ``=`` or a key."""
    tags: dict[str, str] = {}
    for item in given:
        key, sep, value = item.partition("=")
        key = one_line(key)
        if not sep or not key:
            raise InputError(
                _("--tag {tag}: write KEY=VALUE (for example team=payments)").format(tag=repr(item))
            )
        if key.lower().startswith("aws:"):
            raise InputError(
                _("--tag {tag}: keys starting with aws: are reserved by AWS").format(tag=repr(item))
            )
        tags[key] = one_line(value)
    return tags


def tag_changes(wanted: dict[str, str], held: dict[str, Any] | None) -> dict[str, str]:
    """The tags of ``wanted`` that ``held`` lacks or holds with another value."""
    have = {str(k): str(v) for k, v in (held or {}).items()}
    return {k: v for k, v in wanted.items() if have.get(k) != v}


# --- shares ----------------------------------------------------------------------------------------


@dataclass
class WorkloadShareResult:
    workload_id: str
    shared_with: str
    permission: str
    share_id: str
    status: str
    already: bool

    @property
    def invitation(self) -> bool:
        """True when the other side receives an invitation to accept (an account or a user);
        an organization or OU gets access without one."""
        return not self.shared_with.startswith(("o-", "ou-"))


def share_workload(
    review_path: str | Path, client: WaClient, shared_with: str, permission: str = "READONLY"
) -> WorkloadShareResult:
    """Share the review's workload with an account, an IAM user or role, an organization or an
    OU, read-only or as contributor (once: a live share is reported, not made again)."""
    from orr.review.store import load_review
    from orr.wat.state import wat_ids

    target = shared_with.strip()
    if not _SHARE_WITH.match(target):
        raise InputError(
            _(
                "--with {value}: give a 12-digit account id, an IAM user or role ARN, an "
                "organization id (o-...) or an organizational unit id (ou-...)"
            ).format(value=repr(shared_with))
        )
    kind = permission.strip().upper()
    if kind not in PERMISSIONS:
        raise InputError(
            _("--permission {value}: readonly or contributor").format(value=repr(permission))
        )
    path = Path(review_path)
    workload_id, _lens = wat_ids(load_review(path))
    if not workload_id:
        raise InputError(
            _("{path}: not synced with the WA Tool yet: run orr wat sync {path} first").format(
                path=display_path(path)
            )
        )
    token: str | None = None
    while True:
        params: dict[str, Any] = {
            "WorkloadId": workload_id,
            "SharedWithPrefix": target[:100],
            "MaxResults": PAGE,
        }
        if token:
            params["NextToken"] = token
        page = client.call("ListWorkloadShares", **params)
        for share in page.get("WorkloadShareSummaries", []):
            if share.get("SharedWith") == target and share.get("Status") in _LIVE_SHARES:
                return WorkloadShareResult(
                    workload_id,
                    target,
                    str(share.get("PermissionType", "")),
                    str(share.get("ShareId", "")),
                    str(share["Status"]),
                    True,
                )
        token = page.get("NextToken")
        if not token:
            break
    client.hints[("CreateWorkloadShare", "ValidationException")] = _(
        "an organization or OU needs AWS Organizations sharing enabled in the WA Tool settings "
        "of the management account; a workload is shared within its Region"
    )
    response = client.call(
        "CreateWorkloadShare", WorkloadId=workload_id, SharedWith=target, PermissionType=kind
    )
    status = "PENDING" if not target.startswith(("o-", "ou-")) else "ASSOCIATING"
    return WorkloadShareResult(
        workload_id, target, kind, str(response.get("ShareId", "")), status, False
    )


# --- milestones ------------------------------------------------------------------------------------


@dataclass
class Milestone:
    number: int
    name: str
    recorded_at: datetime | None


def list_milestones(review_path: str | Path, client: WaClient) -> list[Milestone]:
    """The milestones of the review's workload, oldest first (ListMilestones, every page)."""
    from orr.review.store import load_review
    from orr.wat.state import wat_ids

    path = Path(review_path)
    workload_id, _lens = wat_ids(load_review(path))
    if not workload_id:
        raise InputError(
            _("{path}: not synced with the WA Tool yet: run orr wat sync {path} first").format(
                path=display_path(path)
            )
        )
    out: list[Milestone] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"WorkloadId": workload_id, "MaxResults": PAGE}
        if token:
            params["NextToken"] = token
        page = client.call("ListMilestones", **params)
        for m in page.get("MilestoneSummaries", []):
            at = m.get("RecordedAt")
            out.append(
                Milestone(
                    int(m.get("MilestoneNumber") or 0),
                    str(m.get("MilestoneName", "")),
                    at if isinstance(at, datetime) else None,
                )
            )
        token = page.get("NextToken")
        if not token:
            return sorted(out, key=lambda m: m.number)


# --- delete ----------------------------------------------------------------------------------------


def delete_workload(review_path: str | Path, client: WaClient, *, who: str | None = None) -> str:
    """Delete the review's workload in the WA Tool and forget it in the review (the answers
    stay in the review; the next sync creates a new workload). Returns the workload id."""
    from orr.review.ops import audit
    from orr.review.store import ReviewStore
    from orr.review.who import current_user
    from orr.wat.state import SyncState

    path = Path(review_path)
    shown = display_path(path)
    store = ReviewStore(path)
    review = store.load()
    state = SyncState.of(review, shown)
    if not state.workload_id:
        raise InputError(
            _("{path}: not synced with the WA Tool: there is no workload to delete").format(
                path=shown
            )
        )
    if state.target and state.target != client.target:
        raise InputError(
            _(
                "{path}: its workload {workload} is in {there}, not in {target}: give the Region "
                "(and endpoint) of the workload"
            ).format(
                path=shown, workload=state.workload_id, there=state.target, target=client.target
            )
        )
    workload_id = state.workload_id
    client.hints[("DeleteWorkload", "ResourceNotFoundException")] = _(
        "it is gone already: delete the [wat] table of the review"
    )
    client.call("DeleteWorkload", WorkloadId=workload_id)
    if client.dry_run:
        return workload_id
    person = who or current_user()

    def forget(fresh: Review) -> None:
        from orr.review.model import now_utc

        fresh.wat.clear()
        audit(fresh, person, now_utc(), "wat delete", f"workload {workload_id} deleted")

    store.transact(forget, person)
    return workload_id
