"""The checklist as a WA Tool custom lens: push (import a draft, wait, publish), share, accept,
pull back, delete.

- `push_lens`: validates the lens locally first (nothing is sent when it is invalid), then
  imports it: as a new lens the first time, as a new draft of the same lens (by its ARN)
  afterwards. The ARN is remembered next to the manifest (`orr.wat.memory`); a lens of the same
  name already in the account is updated rather than duplicated. ``publish`` then makes a
  version: a draft cannot be applied to workloads or shared until it is published.

  The API has no call that reports an import's progress. An import that comes back
  ``IN_PROGRESS`` is waited for as the service lets one see it: a *new* lens is listed by
  ListLenses (drafts included) once it exists, so ListLenses is polled for its ARN; an *update*
  of a listed lens shows nothing, so CreateLensVersion is retried while the service answers
  that the lens is busy (a conflict, or a validation error), within the same bounded budget,
  with progress shown. GetLens is not used to wait: it may not find a lens that is only a draft.
  ``ERROR`` is reported.
- `share_lens`: shares a published lens with an account, organization or OU (once). An account
  receives an invitation to accept (`accept_lens_shares`, in that account); an organization or
  OU receives none: its accounts can use the lens once organization sharing is enabled.
- `accept_lens_shares`: in the account a lens was shared with, lists and accepts the pending
  invitations (ListShareInvitations, UpdateShareInvitation).
- `pull_lens`: exports a lens and turns it into checklist files (`orr.lens.importer`).
- `delete_lens`, `delete_lens_share`: remove what push and share made.

Every function takes a `WaClient` (real or dry run) and an optional progress callback
``(step, steps, message)`` so that the terminal app can run them in a worker.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orr.errors import AwsError, CheckFailed, InputError, Problem
from orr.i18n import DEFAULT, _, language, normalize
from orr.tomlfile import display_path
from orr.wat.client import WaClient, WaError
from orr.wat.memory import LensEntry, LensMemory

Progress = Callable[[int, int, str], None]

WAIT_SECONDS = 300.0
POLL_SECONDS = 5.0

_SHARE_TARGET = re.compile(r"^(\d{12}|o-[a-z0-9]{10,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_LIVE_SHARES = ("PENDING", "ACCEPTED", "ASSOCIATING", "ASSOCIATED")
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")
LENS_TAG = "orr:checklist"
LANG_TAG = "orr:lang"  # on a lens in another language than English


def _noop(step: int, steps: int, message: str) -> None:
    return None


def lens_lang(lang: str | None = None) -> str:
    """The language of the lens to push or use: ``lang``, else the language in use."""
    return normalize(lang) or language()


def _normal(name: str) -> str:
    return " ".join(name.lower().split())


def lens_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def own_lenses(
    client: WaClient,
    *,
    status: str = "ALL",
    kind: str = "CUSTOM_SELF",
    name: str | None = None,
) -> list[dict[str, Any]]:
    """The account's own custom lenses (or, with ``kind="CUSTOM_SHARED"``, those shared with
    it), drafts and published unless ``status`` says (ListLenses, every page)."""
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"LensType": kind, "LensStatus": status, "MaxResults": 50}
        if name:
            params["LensName"] = name
        if token:
            params["NextToken"] = token
        page = client.call("ListLenses", **params)
        out.extend(page.get("LensSummaries", []))
        token = page.get("NextToken")
        if not token:
            return out


# --- push ------------------------------------------------------------------------------------------


@dataclass
class PushResult:
    """What a push did."""

    arn: str
    name: str
    created: bool  # imported as a new lens
    adopted: bool  # a lens of the same name was found in the account and updated
    imported: bool  # False when the version asked for was already published with this text
    status: str  # the import's final status (COMPLETE)
    version: str | None  # the version published by this push
    size: int  # bytes of lens JSON sent
    memory: str  # the file that remembers the ARN
    warnings: list[str] = field(default_factory=list)
    waited: int = 0  # polls while the import was in progress
    published: str = ""  # the newest version published (by this push or before), if known
    tagged: list[str] = field(default_factory=list)  # tag keys set on the lens
    lang: str = DEFAULT  # the language of the lens

    @property
    def draft_only(self) -> bool:
        """True when the lens has no published version: it cannot be applied to workloads or
        shared yet."""
        return not self.published


def _valid_version(version: str, what: str = "--publish") -> str:
    if not _VERSION.match(version):
        raise InputError(
            _(
                "{option} {version}: a lens version is 1 to 32 letters, digits, '.', '_' or '-' "
                "(for example 1.0 or 2024-06)"
            ).format(option=what, version=repr(version))
        )
    return version


def next_version(published: str | None) -> str:
    """The version to suggest for the next publication: ``1.0`` first, then the last number of
    the version before, plus one (``1.0`` -> ``1.1``, ``2`` -> ``3``, ``2024-06`` -> ``2024-07``)."""
    if not published:
        return "1.0"
    found = _LAST_NUMBER.search(published)
    if found is None:
        return published + ".1" if len(published) <= 30 else "1.0"
    number = str(int(found.group(1)) + 1).zfill(len(found.group(1)))
    return published[: found.start()] + number + published[found.end() :]


def suggested_version(
    manifest: str | Path, region: str, endpoint: str | None, lang: str | None = None
) -> tuple[str, str]:
    """(the version last published from this checklist to the Region, the next one to publish),
    from the memory next to the manifest (no call to AWS), for the lens in ``lang`` (default:
    the language in use)."""
    entries = LensMemory.beside(manifest).for_target(region, endpoint, lens_lang(lang))
    published = entries[-1].published if entries else ""
    return published, next_version(published)


def push_lens(
    manifest: str | Path | None,
    client: WaClient,
    *,
    publish: str | None = None,
    major: bool = False,
    tags: dict[str, str] | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    wait_seconds: float = WAIT_SECONDS,
    poll_seconds: float = POLL_SECONDS,
) -> PushResult:
    """Push the checklist's lens: a new lens the first time, a new draft of it afterwards, then
    (with ``publish``) a version. ``tags`` go on the lens besides orr's own (the checklist id).

    ``lang`` (default: the language in use) is the language of the lens: the lens in each
    language is a lens of its own in the WA Tool (its own name and ARN, remembered per
    language), with the same ids, so that a workload's answers mean the same in both."""
    from orr.checklist import find_manifest, load_checklist
    from orr.lens.export import export_lens

    report = progress or _noop
    steps = 4 if publish else 3
    if publish is not None:
        publish = publish.strip()
        _valid_version(publish, client.inputs.version)
    path = find_manifest(manifest)
    shown = display_path(path)
    report(1, steps, _("validating the lens of {path}").format(path=shown))
    code = lens_lang(lang)
    checklist = load_checklist(path)
    export = export_lens(checklist, code)
    if export.errors:
        problems = [Problem(p.message, file=shown, path=p.path or None) for p in export.errors]
        raise CheckFailed(
            _(
                "{path}: the lens is not valid ({count} error(s)): nothing was sent; see orr lens "
                "export"
            ).format(path=shown, count=len(problems)),
            problems,
        )
    warnings = [p.format() for p in export.warnings]
    text = export.text
    sha = lens_sha256(text)
    name = str(export.doc["name"])
    memory = LensMemory.beside(path)

    report(2, steps, _("looking for the lens in {target}").format(target=client.target))
    arn, adopted, listed_version = _find_lens(client, memory, name, code)
    entry = memory.find(arn) if arn else None
    if publish and entry is not None and entry.published == publish:
        if entry.published_sha256 == sha:
            return PushResult(
                arn=entry.arn,
                name=name,
                created=False,
                adopted=False,
                imported=False,
                status="COMPLETE",
                version=None,
                size=len(text.encode("utf-8")),
                memory=display_path(memory.path),
                warnings=warnings,
                published=publish,
                lang=code,
            )
        raise InputError(
            _(
                "version {version} of lens {arn} is already published with other content: "
                "publish a new version ({option} with another number)"
            ).format(version=publish, arn=arn, option=client.inputs.version)
        )

    report(
        3,
        steps,
        _("importing the lens as a new draft") if arn else _("importing the lens as a new lens"),
    )
    params: dict[str, Any] = {"JSONString": text}
    wanted_tags = {
        LENS_TAG: checklist.manifest.id,
        **({LANG_TAG: code} if code != DEFAULT else {}),
        **(tags or {}),
    }
    if arn:
        params["LensAlias"] = arn
    else:
        params["Tags"] = wanted_tags
    client.hints[("ImportLens", "ValidationException")] = _(
        "check the lens with orr lens export, and that no other lens of this account has the "
        "same name"
    )
    response = client.call("ImportLens", **params)
    new_arn = str(response.get("LensArn") or arn or "")
    status = str(response.get("Status") or "COMPLETE")
    if not new_arn:
        raise AwsError(_("ImportLens: the WA Tool returned no lens ARN: try again"))
    if entry is None or entry.arn != new_arn:
        entry = LensEntry(
            arn=new_arn, region=client.region, endpoint=client.endpoint_url, lang=code
        )
    entry.name = name
    if status == "ERROR":
        if not client.dry_run:
            memory.remember(entry)
        raise AwsError(
            _(
                "ImportLens: the WA Tool could not import the lens into {arn} (status ERROR): "
                "check it with orr lens export and look at the lens in the WA Tool console"
            ).format(arn=new_arn)
        )
    entry.imported_sha256 = sha
    if not client.dry_run:
        memory.remember(entry)

    polls = max(1, int(wait_seconds // max(poll_seconds, 0.001)))
    waited = 0
    if status == "IN_PROGRESS" and not client.dry_run and not arn:
        waited = _wait_for_new_lens(
            client, new_arn, name, polls, poll_seconds, sleep, report, steps
        )
        status = "COMPLETE"

    tagged: list[str] = []
    if arn and tags:
        from orr.wat.workload import tag_changes

        held = client.call("ListTagsForResource", WorkloadArn=new_arn).get("Tags")
        changed = tag_changes(wanted_tags, held)
        if changed:
            client.call("TagResource", WorkloadArn=new_arn, Tags=changed)
            tagged = sorted(changed)
    elif not arn:
        tagged = sorted(wanted_tags)

    version = None
    if publish:
        report(4, steps, _("publishing version {version}").format(version=publish))
        client.hints[("CreateLensVersion", "ConflictException")] = _(
            "version {version} may exist already: publish another version number"
        ).format(version=publish)
        left = polls - waited
        while True:
            try:
                client.call(
                    "CreateLensVersion",
                    LensAlias=new_arn,
                    LensVersion=publish,
                    IsMajorVersion=major,
                )
                break
            except WaError as exc:
                # Right after an import, the lens can still be busy: the service then answers
                # with a conflict (or a validation error) that clears once the import is done.
                busy = exc.code in ("ConflictException", "ValidationException")
                if busy and status == "IN_PROGRESS" and left > 0:
                    left -= 1
                    waited += 1
                    report(
                        4,
                        steps,
                        _(
                            "publishing version {version}: the import is still in progress "
                            "(try {count} of {total})"
                        ).format(version=publish, count=waited, total=polls),
                    )
                    sleep(poll_seconds)
                    continue
                raise
        status = "COMPLETE"
        version = publish
        entry.published = publish
        entry.published_sha256 = sha
        if not client.dry_run:
            memory.remember(entry)
    return PushResult(
        arn=new_arn,
        name=name,
        created=not arn,
        adopted=adopted,
        imported=True,
        status=status,
        version=version,
        size=len(text.encode("utf-8")),
        memory=display_path(memory.path),
        warnings=warnings,
        waited=waited,
        published=entry.published or listed_version,
        tagged=tagged,
        lang=code,
    )


def _find_lens(
    client: WaClient, memory: LensMemory, name: str, lang: str
) -> tuple[str | None, bool, str]:
    """The ARN to import the lens in ``lang`` into (None: a new lens), whether it was found by
    its name only, and the newest version the account lists for it ("" when it has none)."""
    remembered = memory.for_target(client.region, client.endpoint_url, lang)
    listed = own_lenses(client)
    versions = {str(s.get("LensArn")): str(s.get("LensVersion") or "") for s in listed}
    if client.dry_run:
        versions = {e.arn: e.published for e in remembered} | versions
    for e in reversed(remembered):
        if e.arn in versions:
            return e.arn, False, versions[e.arn]
    # Importing a second lens of the same name is refused: update that one instead.
    for s in listed:
        if _normal(str(s.get("LensName", ""))) == _normal(name):
            return str(s["LensArn"]), True, versions[str(s["LensArn"])]
    return None, False, ""


def _wait_for_new_lens(
    client: WaClient,
    arn: str,
    name: str,
    polls: int,
    poll_seconds: float,
    sleep: Callable[[float], None],
    report: Progress,
    steps: int,
) -> int:
    """Poll ListLenses (drafts included) until the new lens is listed; the number of polls
    that found it missing."""
    for n in range(polls):
        listed = own_lenses(client, name=name)
        for summary in listed:
            if summary.get("LensArn") == arn:
                if summary.get("LensStatus") in ("DELETED",):
                    raise AwsError(
                        _(
                            "ImportLens: the lens {arn} was deleted while it was imported: push "
                            "again"
                        ).format(arn=arn)
                    )
                return n
        report(
            3,
            steps,
            _("the import is in progress (poll {count} of {total})").format(
                count=n + 1, total=polls
            ),
        )
        sleep(poll_seconds)
    raise AwsError(
        _(
            "ImportLens: the import of {arn} is still in progress after {seconds}s: run the same "
            "command again in a minute"
        ).format(arn=arn, seconds=f"{polls * poll_seconds:g}")
    )


# --- which lens ------------------------------------------------------------------------------------


def resolve_lens(client: WaClient, ref: str, lang: str | None = None) -> str:
    """A lens ARN from what the user gave: an ARN, a manifest (or its folder) that was pushed
    (its lens in ``lang``, default the language in use), or the name of one of the account's
    own lenses."""
    if ref.startswith("arn:"):
        return ref
    path = Path(ref)
    if path.exists():
        from orr.checklist import find_manifest

        code = lens_lang(lang)
        manifest = find_manifest(path)
        memory = LensMemory.beside(manifest)
        remembered = memory.for_target(client.region, client.endpoint_url, code)
        if not remembered:
            raise InputError(no_lens_pushed(manifest, memory, client, code))
        if len(remembered) == 1 or client.dry_run:
            return remembered[-1].arn
        listed = {str(s.get("LensArn")) for s in own_lenses(client)}
        found = [e.arn for e in remembered if e.arn in listed]
        if len(found) == 1:
            return found[0]
        raise InputError(
            _("{path}: several lenses for {target} ({arns}): give the lens ARN").format(
                path=display_path(memory.path),
                target=client.target,
                arns=", ".join(e.arn for e in remembered),
            )
        )
    # A lens of this account, or one shared with it (in a workload account, the lens is
    # CUSTOM_SHARED).
    found_arns: list[str] = []
    for kind in ("CUSTOM_SELF", "CUSTOM_SHARED"):
        found_arns += [
            str(s["LensArn"])
            for s in own_lenses(client, kind=kind)
            if _normal(str(s.get("LensName"))) == _normal(ref)
        ]
        if found_arns:
            break
    found_arns = list(dict.fromkeys(found_arns))
    if len(found_arns) == 1:
        return found_arns[0]
    if len(found_arns) > 1:
        raise InputError(
            _("{name}: several lenses have this name ({arns}): give the ARN").format(
                name=repr(ref), arns=", ".join(found_arns)
            )
        )
    raise InputError(
        _(
            "{name}: not a lens ARN, a pushed manifest, or the name of a lens of this account or "
            "shared with it in {target} (a lens shared with this account is listed once its "
            "invitation is accepted: orr wat accept)"
        ).format(name=repr(ref), target=client.target)
    )


def no_lens_pushed(manifest: Path, memory: LensMemory, client: WaClient, lang: str) -> str:
    """The line saying that no lens in ``lang`` was pushed from ``manifest`` to the client's
    target, and what to do."""
    others = [x for x in memory.languages(client.region, client.endpoint_url) if x != lang]
    if others:
        return _(
            "{path}: no {lang} lens pushed from it to {target} (only {others}, in "
            "{memory}): push it with orr wat push-lens --lang {lang}, or choose the language "
            "of a lens pushed with --lang {first}"
        ).format(
            path=display_path(manifest),
            lang=lang,
            target=client.target,
            others=", ".join(others),
            memory=display_path(memory.path),
            first=others[0],
        )
    return _(
        "{path}: no lens pushed from it to {target} (nothing in {memory}): run orr wat "
        "push-lens first, or give the lens ARN"
    ).format(path=display_path(manifest), target=client.target, memory=display_path(memory.path))


# --- share -----------------------------------------------------------------------------------------


@dataclass
class ShareResult:
    arn: str
    shared_with: str
    share_id: str
    status: str
    already: bool

    @property
    def invitation(self) -> bool:
        """True when the other side must accept an invitation (an account); an organization or
        OU receives none."""
        return not self.shared_with.startswith(("o-", "ou-"))


def share_lens(client: WaClient, lens: str, shared_with: str) -> ShareResult:
    """Share a published lens with an account id, organization id or OU id (once: a share that
    is pending or accepted is reported, not made again)."""
    target = shared_with.strip()
    if not _SHARE_TARGET.match(target):
        raise InputError(
            _(
                "--with {value}: give a 12-digit account id, an organization id (o-...) or an "
                "organizational unit id (ou-...)"
            ).format(value=repr(shared_with))
        )
    arn = resolve_lens(client, lens)
    token: str | None = None
    while True:
        params: dict[str, Any] = {"LensAlias": arn, "SharedWithPrefix": target, "MaxResults": 50}
        if token:
            params["NextToken"] = token
        page = client.call("ListLensShares", **params)
        for share in page.get("LensShareSummaries", []):
            if share.get("SharedWith") == target and share.get("Status") in _LIVE_SHARES:
                return ShareResult(
                    arn, target, str(share.get("ShareId", "")), str(share["Status"]), True
                )
        token = page.get("NextToken")
        if not token:
            break
    client.hints[("CreateLensShare", "ValidationException")] = _(
        "a lens is shared once it is published: orr wat push-lens --publish VERSION"
    )
    response = client.call("CreateLensShare", LensAlias=arn, SharedWith=target)
    status = "PENDING" if not target.startswith(("o-", "ou-")) else "ASSOCIATING"
    return ShareResult(arn, target, str(response.get("ShareId", "")), status, False)


# --- accept ----------------------------------------------------------------------------------------


@dataclass
class Invitation:
    id: str
    lens_arn: str
    lens_name: str
    shared_by: str


@dataclass
class AcceptResult:
    pending: list[Invitation]  # the pending lens invitations found
    accepted: list[Invitation]  # those accepted by this run
    already: bool = False  # the lens asked for is usable here already (accepted before)


def pending_lens_invitations(client: WaClient) -> list[Invitation]:
    """The lens share invitations of this account that wait for acceptance."""
    out: list[Invitation] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"ShareResourceType": "LENS", "MaxResults": 50}
        if token:
            params["NextToken"] = token
        page = client.call("ListShareInvitations", **params)
        for inv in page.get("ShareInvitationSummaries", []):
            out.append(
                Invitation(
                    str(inv.get("ShareInvitationId", "")),
                    str(inv.get("LensArn", "")),
                    str(inv.get("LensName", "")),
                    str(inv.get("SharedBy", "")),
                )
            )
        token = page.get("NextToken")
        if not token:
            return out


def accept_lens_shares(client: WaClient, lens: str | None) -> AcceptResult:
    """Accept the pending share invitations of ``lens`` (an ARN, a manifest pushed from the
    account that owns it, or a lens name) in this account. Without ``lens``, list the pending
    lens invitations and accept none."""
    pending = pending_lens_invitations(client)
    if lens is None:
        return AcceptResult(pending, [])
    if lens.startswith("arn:") or Path(lens).exists():
        arn = resolve_lens(client, lens)
        matching = [i for i in pending if i.lens_arn == arn]
    else:
        arn = ""
        matching = [i for i in pending if _normal(i.lens_name) == _normal(lens)]
    if not matching:
        shared = {str(s.get("LensArn")): s for s in own_lenses(client, kind="CUSTOM_SHARED")}
        if arn in shared or any(
            _normal(str(s.get("LensName"))) == _normal(lens) for s in shared.values()
        ):
            return AcceptResult(pending, [], already=True)
        if client.dry_run:
            return AcceptResult(pending, [])
        raise InputError(
            _(
                "{lens}: no pending share invitation for this lens in {target}: ask the account "
                "that owns it to share it with this account (orr wat share LENS --with ACCOUNT); "
                "invitations expire after 7 days"
            ).format(lens=repr(lens), target=client.target)
        )
    accepted: list[Invitation] = []
    for invitation in matching:
        client.call(
            "UpdateShareInvitation",
            ShareInvitationId=invitation.id,
            ShareInvitationAction="ACCEPT",
        )
        accepted.append(invitation)
    return AcceptResult(pending, accepted)


# --- delete ----------------------------------------------------------------------------------------


def delete_lens(client: WaClient, lens: str, *, draft_only: bool = False) -> str:
    """Delete a lens of this account (every version, or only its draft), and forget it next to
    the manifest when one was given. Returns the ARN."""
    arn = resolve_lens(client, lens)
    client.hints[("DeleteLens", "ConflictException")] = _(
        "workloads still use the lens, or it is shared: remove them (orr wat delete workload, "
        "orr wat delete share) first"
    )
    client.call("DeleteLens", LensAlias=arn, LensStatus="DRAFT" if draft_only else "ALL")
    path = Path(lens)
    if not client.dry_run and not draft_only and not lens.startswith("arn:") and path.exists():
        from orr.checklist import find_manifest

        memory = LensMemory.beside(find_manifest(path))
        if memory.find(arn) is not None:
            memory.entries = [e for e in memory.entries if e.arn != arn]
            memory.save()
    return arn


def delete_lens_share(client: WaClient, lens: str, shared_with: str) -> tuple[str, str]:
    """Remove the share of a lens with an account, organization or OU. Returns (ARN, share id)."""
    target = shared_with.strip()
    arn = resolve_lens(client, lens)
    token: str | None = None
    while True:
        params: dict[str, Any] = {"LensAlias": arn, "SharedWithPrefix": target, "MaxResults": 50}
        if token:
            params["NextToken"] = token
        page = client.call("ListLensShares", **params)
        for share in page.get("LensShareSummaries", []):
            if share.get("SharedWith") == target:
                share_id = str(share.get("ShareId", ""))
                client.call("DeleteLensShare", LensAlias=arn, ShareId=share_id)
                return arn, share_id
        token = page.get("NextToken")
        if not token:
            break
    if client.dry_run:
        return arn, ""
    raise InputError(
        _("lens {arn} is not shared with {target}: nothing to delete").format(
            arn=arn, target=target
        )
    )


# --- pull-lens -------------------------------------------------------------------------------------


@dataclass
class PullLensResult:
    arn: str
    folder: Path | None
    files: list[Path]
    warnings: list[str]
    questions: int


def pull_lens(
    client: WaClient,
    lens: str,
    out_dir: str | Path | None = None,
    *,
    version: str | None = None,
    force: bool = False,
) -> PullLensResult:
    """ExportLens, then the lens importer: the lens as checklist files in ``out_dir`` (default:
    a folder named after the lens id)."""
    from orr.lens.importer import import_lens_text, write_checklist

    arn = resolve_lens(client, lens)
    params: dict[str, Any] = {"LensAlias": arn}
    if version:
        params["LensVersion"] = version
    client.hints[("ExportLens", "AccessDeniedException")] = _(
        "only the account that owns a lens can export it"
    )
    response = client.call("ExportLens", **params)
    if client.dry_run:
        return PullLensResult(arn, None, [], [], 0)
    text = response.get("LensJSON")
    if not isinstance(text, str) or not text.strip():
        raise AwsError(_("ExportLens: the WA Tool returned no lens JSON for {arn}").format(arn=arn))
    result = import_lens_text(text, source=arn)
    folder = Path(out_dir) if out_dir is not None else Path(result.lens_id)
    files = write_checklist(result, folder, force=force)
    return PullLensResult(
        arn, folder, files, [w.format() for w in result.warnings], result.questions
    )
