"""`orr wat push-lens | share | accept | sync | pull | report | pull-lens | share-workload |
milestones | delete`: the Well-Architected Tool.

boto3 is imported by the handlers (through `orr.wat.client.connect`), never by `orr --help`.
Results go to stdout; warnings and progress to stderr; an AWS failure is one line and exit 3.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from orr.textsafe import one_line, terminal_safe

if TYPE_CHECKING:
    from orr.wat.client import WaClient


def _common(parser: argparse.ArgumentParser) -> None:
    aws = parser.add_argument_group("AWS")
    aws.add_argument("--profile", help="the AWS profile (default: the standard AWS chain)")
    aws.add_argument("--region", help="the AWS Region (default: from the profile or AWS_REGION)")
    aws.add_argument("--endpoint-url", metavar="URL", help="a non-default WA Tool endpoint")
    aws.add_argument(
        "--dry-run",
        action="store_true",
        help="print the API calls, one JSON object per line, instead of making them",
    )
    aws.add_argument(
        "--max-attempts",
        type=int,
        default=None,
        metavar="N",
        help="attempts per call, retries of throttling included (default: 8)",
    )


def _tags(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"a tag to put on the {what} (repeat for more); orr adds its own",
    )


def register(sub: Any) -> None:
    wat = sub.add_parser(
        "wat",
        help="the AWS Well-Architected Tool: push the lens, sync reviews, report",
        description="Publish the checklist as a Well-Architected Tool custom lens, share it, "
        "accept it in the workload account, and keep reviews in step with workloads. "
        "Credentials come from the standard AWS chain (--profile, AWS_* variables, SSO) and are "
        "never written anywhere. Every call's parameters are checked against the service model "
        "first (maxima, enums, patterns). docs/aws.md walks the two-account flow and lists the "
        "IAM permissions of each command.",
    )
    wsub = wat.add_subparsers(dest="wat_command", metavar="ACTION", required=True)

    push = wsub.add_parser(
        "push-lens",
        help="import the checklist as a custom lens (new, or a new draft of the same lens)",
        description="Validate the checklist's lens, then import it: as a new lens the first "
        "time, as a new draft of the same lens afterwards (its ARN is remembered in "
        ".orr-wat.toml next to the manifest). --publish makes a version.",
    )
    push.add_argument("manifest", nargs="?", help="the manifest (default: checklists/orr.toml)")
    push.add_argument("--publish", metavar="VERSION", help="publish the draft as this version")
    push.add_argument(
        "--major",
        action="store_true",
        help="a major version (workloads are asked to upgrade to it; minor ones apply by "
        "themselves)",
    )
    _tags(push, "lens")
    _common(push)
    push.set_defaults(func=cmd_push_lens)

    share = wsub.add_parser(
        "share",
        help="share a published lens with an account, organization or OU",
        description="Share a published lens. LENS is its ARN, a manifest that was pushed, or "
        "the name of one of the account's lenses. An account receives an invitation it accepts "
        "with orr wat accept (within 7 days); an organization or OU receives none: its accounts "
        "can use the lens at once (organization sharing must be enabled in the WA Tool "
        "settings of the management account).",
    )
    share.add_argument("lens", metavar="LENS", help="lens ARN, pushed manifest, or lens name")
    share.add_argument(
        "--with",
        dest="shared_with",
        required=True,
        metavar="ID",
        help="a 12-digit account id, an organization id (o-...) or an OU id (ou-...)",
    )
    _common(share)
    share.set_defaults(func=cmd_share)

    accept = wsub.add_parser(
        "accept",
        help="accept a lens shared with this account (in the workload account)",
        description="In the account a lens was shared with: accept its pending share "
        "invitation, so that workloads here can use it. Without LENS, list the pending lens "
        "invitations. LENS is the lens ARN, the manifest it was pushed from, or its name.",
    )
    accept.add_argument("lens", metavar="LENS", nargs="?", help="the lens to accept")
    _common(accept)
    accept.set_defaults(func=cmd_accept)

    sync = wsub.add_parser(
        "sync",
        help="push a review's answers to its workload (created the first time)",
        description="Create the review's workload the first time, associate the lens, and "
        "update each answered question whose answer in the WA Tool differs: choices, not "
        "applicable with its reason, and notes made of the review's notes, evidence and "
        "mitigations. Running it again changes nothing; a run that stopped half way finishes "
        "the rest. Questions changed in the WA Tool since the last sync are left alone and "
        "listed (run orr wat pull, or --force).",
    )
    sync.add_argument("review", metavar="REVIEW", help="the review file")
    sync.add_argument("--milestone", metavar="NAME", help="then save a milestone of this name")
    sync.add_argument("--lens", metavar="LENS", help="the lens (default: the one pushed)")
    sync.add_argument("--workload-id", metavar="ID", help="sync into this existing workload")
    sync.add_argument(
        "--upgrade",
        action="store_true",
        help="first move the workload to the lens's latest published version",
    )
    sync.add_argument(
        "--force",
        action="store_true",
        help="overwrite answers changed in the WA Tool since the last sync",
    )
    _tags(sync, "workload")
    _common(sync)
    sync.set_defaults(func=cmd_sync)

    pull = wsub.add_parser(
        "pull",
        help="bring answers recorded in the WA Tool into the review",
        description="Bring answers recorded in the WA Tool (in the console, say) into the "
        "review. A question changed on both sides since the last sync is a conflict: it is "
        "listed and the review keeps its answer (exit 1).",
    )
    pull.add_argument("review", metavar="REVIEW", help="the review file")
    _common(pull)
    pull.set_defaults(func=cmd_pull)

    report = wsub.add_parser(
        "report",
        help="the WA Tool's PDF report of the review's workload",
        description="Write the WA Tool's PDF report of the review's lens review (after orr wat "
        "sync) and print its risk counts.",
    )
    report.add_argument("review", metavar="REVIEW", help="the review file")
    report.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")
    report.add_argument("--milestone", metavar="NAME", help="a milestone's report (name or number)")
    _common(report)
    report.set_defaults(func=cmd_report)

    pull_lens = wsub.add_parser(
        "pull-lens",
        help="export a lens from the WA Tool into checklist TOML",
        description="ExportLens, then turn the lens into checklist files (as orr lens import).",
    )
    pull_lens.add_argument("lens", metavar="LENS", help="lens ARN, pushed manifest, or lens name")
    pull_lens.add_argument("-o", "--output", metavar="DIR", help="folder (default: the lens id)")
    pull_lens.add_argument("--version", dest="lens_version", help="a published version")
    pull_lens.add_argument("--force", action="store_true", help="overwrite existing files")
    _common(pull_lens)
    pull_lens.set_defaults(func=cmd_pull_lens)

    share_workload = wsub.add_parser(
        "share-workload",
        help="give reviewers in other accounts access to the review's workload",
        description="Share the review's workload (after orr wat sync) with an account, an IAM "
        "user or role, an organization or an OU, read-only or as contributor (contributors can "
        "update answers and notes). An account or user accepts the invitation in its WA Tool "
        "within 7 days; an organization or OU receives none.",
    )
    share_workload.add_argument("review", metavar="REVIEW", help="the review file")
    share_workload.add_argument(
        "--with",
        dest="shared_with",
        required=True,
        metavar="ID",
        help="a 12-digit account id, an IAM user or role ARN, o-... or ou-...",
    )
    share_workload.add_argument(
        "--permission",
        choices=["readonly", "contributor"],
        default="readonly",
        help="readonly (default) or contributor",
    )
    _common(share_workload)
    share_workload.set_defaults(func=cmd_share_workload)

    milestones = wsub.add_parser(
        "milestones",
        help="the milestones of the review's workload",
        description="List the milestones of the review's workload (number, name, when).",
    )
    milestones.add_argument("review", metavar="REVIEW", help="the review file")
    _common(milestones)
    milestones.set_defaults(func=cmd_milestones)

    delete = wsub.add_parser(
        "delete",
        help="remove what orr made in the WA Tool: a workload, a lens, a share",
        description="Remove what orr made, after a confirmation (--yes to skip it): the "
        "review's workload (the review keeps its answers and forgets the workload), a lens "
        "(every version, or only its draft), or the share of a lens with an account.",
    )
    dsub = delete.add_subparsers(dest="delete_what", metavar="WHAT", required=True)
    d_workload = dsub.add_parser("workload", help="the review's workload (DeleteWorkload)")
    d_workload.add_argument("review", metavar="REVIEW", help="the review file")
    d_lens = dsub.add_parser("lens", help="a lens of this account (DeleteLens)")
    d_lens.add_argument("lens", metavar="LENS", help="lens ARN, pushed manifest, or lens name")
    d_lens.add_argument("--draft-only", action="store_true", help="only the unpublished draft")
    d_share = dsub.add_parser("share", help="the share of a lens (DeleteLensShare)")
    d_share.add_argument("lens", metavar="LENS", help="lens ARN, pushed manifest, or lens name")
    d_share.add_argument("--with", dest="shared_with", required=True, metavar="ID")
    for p in (d_workload, d_lens, d_share):
        p.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
        _common(p)
    delete.set_defaults(func=cmd_delete)


# --- helpers ---------------------------------------------------------------------------------------


def _client(args: argparse.Namespace) -> WaClient:
    from orr.wat.client import DEFAULT_MAX_ATTEMPTS, connect

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    return connect(
        profile=args.profile,
        region=args.region,
        endpoint_url=args.endpoint_url,
        dry_run=args.dry_run,
        emit=emit,
        max_attempts=args.max_attempts or DEFAULT_MAX_ATTEMPTS,
    )


def _out(text: str) -> None:
    print(terminal_safe(text))


def _err(text: str) -> None:
    sys.stderr.write(terminal_safe(text) + "\n")


def _progress(args: argparse.Namespace) -> Any:
    if args.dry_run or not sys.stderr.isatty():
        return None

    def show(step: int, steps: int, message: str) -> None:
        sys.stderr.write(f"\r\x1b[K[{step}/{steps}] {one_line(message, 70)}")
        if step >= steps:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    return show


def _ids(items: list[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# --- commands --------------------------------------------------------------------------------------


def cmd_push_lens(args: argparse.Namespace) -> int:
    from orr.wat.lens import push_lens
    from orr.wat.workload import parse_tags

    tags = parse_tags(args.tags)
    client = _client(args)
    result = push_lens(
        args.manifest,
        client,
        publish=args.publish,
        major=args.major,
        tags=tags,
        progress=_progress(args),
    )
    for warning in result.warnings:
        _err(f"warning: {warning}")
    if args.dry_run:
        return 0
    if not result.imported:
        _out(
            f"{result.arn}: version {args.publish} is already published with this content: "
            "nothing to do"
        )
        return 0
    how = "imported as a new lens" if result.created else "imported as a new draft"
    if result.adopted:
        how += " (a lens of this name was already in the account: it was updated)"
    line = f"{result.arn}: {how} ({result.size:,} bytes)"
    if result.status == "IN_PROGRESS":
        line += "; the WA Tool is still importing it"
    if result.version:
        line += f"; published version {result.version}" + (" (major)" if args.major else "")
    _out(line)
    _out(f"lens ARN remembered in {result.memory}")
    if result.version is None:
        from orr.wat.lens import next_version

        state = (
            "only a draft: it cannot be applied to workloads or shared until it is published"
            if result.draft_only
            else f"the draft is not published yet (the last version published is {result.published})"
        )
        _err(f"the lens is {state}: orr wat push-lens --publish {next_version(result.published)}")
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from orr.wat.lens import share_lens

    client = _client(args)
    result = share_lens(client, args.lens, args.shared_with)
    if args.dry_run:
        return 0
    if result.already:
        _out(f"{result.arn}: already shared with {result.shared_with} ({result.status.lower()})")
    elif result.invitation:
        _out(
            f"{result.arn}: shared with {result.shared_with} (share {result.share_id}): the "
            f"invitation waits for acceptance in account {result.shared_with}: run orr wat "
            f"accept {result.arn} there (or accept it in its WA Tool console) within 7 days"
        )
    else:
        _out(
            f"{result.arn}: shared with {result.shared_with} (share {result.share_id}): no "
            "invitation is sent to an organization or OU; its accounts can use the lens once "
            "AWS Organizations sharing is enabled in the WA Tool settings of the management "
            "account"
        )
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from orr.wat.lens import accept_lens_shares

    client = _client(args)
    result = accept_lens_shares(client, args.lens)
    if args.dry_run:
        return 0
    if args.lens is None:
        if not result.pending:
            _out("no pending lens invitations in this account")
        for inv in result.pending:
            _out(f"{inv.lens_arn}  {one_line(inv.lens_name, 60)}  (shared by {inv.shared_by})")
        if result.pending:
            _err("accept one with orr wat accept LENS")
        return 0
    if result.already:
        _out(f"{args.lens}: already accepted: workloads in this account can use it")
        return 0
    for inv in result.accepted:
        _out(
            f"{inv.lens_arn}: accepted ({one_line(inv.lens_name, 60)}, shared by "
            f"{inv.shared_by}): workloads in this account can use it"
        )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from orr.wat.sync import sync_review
    from orr.wat.workload import parse_tags

    tags = parse_tags(args.tags)
    client = _client(args)
    result = sync_review(
        args.review,
        client,
        lens=args.lens,
        workload_id=args.workload_id,
        milestone=args.milestone,
        force=args.force,
        upgrade=args.upgrade,
        tags=tags,
        progress=_progress(args),
    )
    if args.dry_run:
        return 0
    head = f"workload {result.workload_id}"
    if result.created_workload:
        head += " (created)"
    if result.associated:
        head += " (lens associated)"
    if result.workload_updated:
        head += f" ({', '.join(result.workload_updated)} updated)"
    if result.upgraded:
        head += f" (lens review upgraded to {result.upgraded})"
    _out(
        f"{head}: {len(result.updated)} answer(s) updated, {len(result.unchanged)} unchanged"
        + (f", milestone #{result.milestone}" if result.milestone is not None else "")
        + (" (already saved)" if result.milestone_existed else "")
    )
    if result.cut:
        _err(
            f"notes cut to 2,084 characters (the full text stays in the review): {_ids(result.cut)}"
        )
    if result.remote_changed:
        _err(
            f"changed in the WA Tool since the last sync, left as they are there: "
            f"{_ids(result.remote_changed)}: run orr wat pull (or sync --force to overwrite)"
        )
    version = f"lens version {result.lens_version}" if result.lens_version else "lens version"
    if result.needs_upgrade:
        newer = f"version {result.lens_latest}" if result.lens_latest else "a newer version"
        _err(
            f"the workload is on {version} and {newer} is published: run orr wat sync "
            f"{args.review} --upgrade (the WA Tool saves a milestone first)"
        )
    lacking = [
        *result.missing,
        *(f"{q} ({', '.join(cs)})" for q, cs in result.missing_choices.items()),
    ]
    if lacking:
        _err(
            f"not in the workload's {version}, left out: {_ids(lacking)}: publish the lens "
            f"(orr wat push-lens --publish VERSION), then run orr wat sync {args.review} --upgrade"
        )
    for qid, reason in result.rejected.items():
        _err(f"{qid}: the WA Tool refused the answer, left out: {one_line(reason, 200)}")
    return 0 if result.clean else 1


def cmd_pull(args: argparse.Namespace) -> int:
    from orr.wat.sync import pull_review

    client = _client(args)
    result = pull_review(args.review, client, progress=_progress(args))
    if args.dry_run:
        return 0
    _out(
        f"workload {result.workload_id}: {len(result.pulled)} answer(s) brought in"
        + (f" ({_ids(result.pulled)})" if result.pulled else "")
        + f", {len(result.unchanged)} unchanged, {len(result.conflicts)} conflict(s)"
    )
    for warning in result.warnings:
        _err(f"warning: {warning}")
    for c in result.conflicts:
        _err(
            f"conflict: {c.question}: changed in the review ({c.review}) and in the WA Tool "
            f"({c.wa_tool}) since the last sync: the review keeps its answer; settle it, then "
            "sync (--force to overwrite the WA Tool)"
        )
    if result.cleared:
        _err(
            f"cleared in the WA Tool, kept in the review: {_ids(result.cleared)}: answer them "
            "again there, or sync to restore them"
        )
    return 0 if result.clean else 1


def cmd_report(args: argparse.Namespace) -> int:
    from orr.wat.report import RISKS, lens_review_report

    client = _client(args)
    result = lens_review_report(args.review, client, args.output, milestone=args.milestone)
    if args.dry_run or result.path is None:
        return 0
    from orr.tomlfile import display_path

    which = f" of milestone #{result.milestone}" if result.milestone is not None else ""
    _out(f"{display_path(result.path)}: the WA Tool's report{which} ({result.size:,} bytes)")
    if result.risk_counts:
        _out(
            "risks: "
            + ", ".join(
                f"{k.lower().replace('_', ' ')} {result.risk_counts.get(k, 0)}" for k in RISKS
            )
        )
    return 0


def cmd_share_workload(args: argparse.Namespace) -> int:
    from orr.wat.workload import share_workload

    client = _client(args)
    result = share_workload(args.review, client, args.shared_with, args.permission)
    if args.dry_run:
        return 0
    what = f"workload {result.workload_id}"
    permission = result.permission.lower()
    if result.already:
        _out(
            f"{what}: already shared with {result.shared_with} ({permission}, {result.status.lower()})"
        )
    elif result.invitation:
        _out(
            f"{what}: shared with {result.shared_with} ({permission}, share {result.share_id}): "
            "the invitation waits for acceptance on that side (7 days)"
        )
    else:
        _out(
            f"{what}: shared with {result.shared_with} ({permission}, share {result.share_id}): "
            "no invitation is sent to an organization or OU"
        )
    return 0


def cmd_milestones(args: argparse.Namespace) -> int:
    from orr.wat.workload import list_milestones

    client = _client(args)
    found = list_milestones(args.review, client)
    if args.dry_run:
        return 0
    if not found:
        _out("no milestones yet (orr wat sync --milestone NAME saves one)")
    for m in found:
        when = f"  {m.recorded_at:%Y-%m-%d %H:%M} UTC" if m.recorded_at else ""
        _out(f"#{m.number}  {one_line(m.name, 100)}{when}")
    return 0


def _confirm(args: argparse.Namespace, what: str) -> None:
    """Ask before deleting (``--yes`` skips it; without a terminal, --yes is needed)."""
    from orr.errors import InputError

    if args.yes or args.dry_run:
        return
    if not sys.stdin.isatty():
        raise InputError(f"deleting {what}: confirm with --yes (no terminal to ask on)")
    sys.stderr.write(terminal_safe(f"Delete {what}? This cannot be undone. Type yes: "))
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() != "yes":
        raise InputError(f"deleting {what}: not confirmed: nothing was deleted")


def cmd_delete(args: argparse.Namespace) -> int:
    from orr.wat.lens import delete_lens, delete_lens_share
    from orr.wat.workload import delete_workload

    client = _client(args)
    if args.delete_what == "workload":
        _confirm(args, f"the WA Tool workload of {args.review}")
        wid = delete_workload(args.review, client)
        if not args.dry_run:
            _out(f"workload {wid}: deleted; {args.review} keeps its answers and forgets it")
    elif args.delete_what == "lens":
        what = "the draft of the lens" if args.draft_only else "the lens (every version)"
        _confirm(args, f"{what} {args.lens}")
        arn = delete_lens(client, args.lens, draft_only=args.draft_only)
        if not args.dry_run:
            _out(f"{arn}: {'draft ' if args.draft_only else ''}deleted")
    else:
        _confirm(args, f"the share of {args.lens} with {args.shared_with}")
        arn, share_id = delete_lens_share(client, args.lens, args.shared_with)
        if not args.dry_run:
            _out(f"{arn}: share {share_id} with {args.shared_with} deleted")
    return 0


def cmd_pull_lens(args: argparse.Namespace) -> int:
    from orr.tomlfile import display_path
    from orr.wat.lens import pull_lens

    client = _client(args)
    result = pull_lens(client, args.lens, args.output, version=args.lens_version, force=args.force)
    if args.dry_run or result.folder is None:
        return 0
    for warning in result.warnings:
        _err(f"warning: {warning}")
    _out(
        f"{display_path(result.folder / 'orr.toml')}: pulled {result.arn}: "
        f"{result.questions} questions in {len(result.files)} files"
    )
    return 0
