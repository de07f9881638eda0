"""`orr wat push-lens | share | sync | pull | report | pull-lens`: the Well-Architected Tool.

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


def register(sub: Any) -> None:
    wat = sub.add_parser(
        "wat",
        help="the AWS Well-Architected Tool: push the lens, sync reviews, report",
        description="Publish the checklist as a Well-Architected Tool custom lens, share it, and "
        "keep reviews in step with workloads. Credentials come from the standard AWS chain "
        "(--profile, AWS_* variables, SSO) and are never written anywhere. docs/aws.md lists "
        "the IAM permissions of each command.",
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
        help="a major version (workloads are asked to upgrade to it)",
    )
    _common(push)
    push.set_defaults(func=cmd_push_lens)

    share = wsub.add_parser(
        "share",
        help="share a published lens with an account, organization or OU",
        description="Share a published lens. LENS is its ARN, a manifest that was pushed, or "
        "the name of one of the account's lenses. The other side accepts the invitation in the "
        "WA Tool (it expires after 7 days).",
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

    client = _client(args)
    result = push_lens(
        args.manifest, client, publish=args.publish, major=args.major, progress=_progress(args)
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
    if result.version:
        line += f"; published version {result.version}" + (" (major)" if args.major else "")
    _out(line)
    _out(f"lens ARN remembered in {result.memory}")
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from orr.wat.lens import share_lens

    client = _client(args)
    result = share_lens(client, args.lens, args.shared_with)
    if args.dry_run:
        return 0
    if result.already:
        _out(f"{result.arn}: already shared with {result.shared_with} ({result.status.lower()})")
    else:
        _out(
            f"{result.arn}: shared with {result.shared_with} (share {result.share_id}): the "
            "invitation waits for acceptance in the WA Tool of that side (7 days)"
        )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from orr.wat.sync import sync_review

    client = _client(args)
    result = sync_review(
        args.review,
        client,
        lens=args.lens,
        workload_id=args.workload_id,
        milestone=args.milestone,
        force=args.force,
        upgrade=args.upgrade,
        progress=_progress(args),
    )
    if args.dry_run:
        return 0
    head = f"workload {result.workload_id}"
    if result.created_workload:
        head += " (created)"
    if result.associated:
        head += " (lens associated)"
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
    if result.missing:
        _err(
            f"not in the lens version the workload uses: {_ids(result.missing)}: publish the "
            "lens (orr wat push-lens --publish VERSION), then run orr wat sync --upgrade"
        )
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
