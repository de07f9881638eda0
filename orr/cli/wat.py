"""`orr wat push-lens | share | accept | sync | pull | report | pull-lens | share-workload |
milestones | delete`: the Well-Architected Tool.

boto3 is imported by the handlers (through `orr.wat.client.connect`), never by `orr --help`.
Results go to stdout; warnings and progress to stderr; an AWS failure is one line and exit 3.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from orr.i18n import DEFAULT, N_, _, language
from orr.textsafe import one_line, terminal_safe

if TYPE_CHECKING:
    from orr.wat.client import WaClient

# How the report's risk counts and a workload share's permission are named.
RISK_WORDS = {
    "UNANSWERED": N_("unanswered"),
    "HIGH": N_("high"),
    "MEDIUM": N_("medium"),
    "NONE": N_("none"),
    "NOT_APPLICABLE": N_("not applicable"),
}
PERMISSION_WORDS = {"READONLY": N_("readonly"), "CONTRIBUTOR": N_("contributor")}


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
        ".orr-wat.toml next to the manifest). --publish makes a version. --lang ja pushes the "
        "Japanese lens (the checklist's translation), a lens of its own with the same ids.",
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
        "listed (run orr wat pull, or --force). --lang ja syncs with the Japanese lens; without "
        "it, a review synced before stays with its lens.",
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
    if len(items) > limit:
        shown += _(" and {count} more").format(count=len(items) - limit)
    return shown


def asked_language() -> str | None:
    """The language asked for on the command line (``--lang``), None when the language in use
    only comes from ``ORR_LANG`` or the locale."""
    from orr.i18n import asked

    return asked()


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
        lang=language(),
        progress=_progress(args),
    )
    for warning in result.warnings:
        _err(_("warning: {warning}").format(warning=warning))
    if args.dry_run:
        return 0
    if not result.imported:
        _out(
            _(
                "{arn}: version {version} is already published with this content: nothing to do"
            ).format(arn=result.arn, version=args.publish)
        )
        return 0
    how = _("imported as a new lens") if result.created else _("imported as a new draft")
    if result.adopted:
        how += _(" (a lens of this name was already in the account: it was updated)")
    line = _("{arn}: {how} ({size} bytes)").format(arn=result.arn, how=how, size=f"{result.size:,}")
    if result.status == "IN_PROGRESS":
        line += _("; the WA Tool is still importing it")
    if result.version:
        line += _("; published version {version}").format(version=result.version) + (
            _(" (major)") if args.major else ""
        )
    _out(line)
    _out(_("lens ARN remembered in {path}").format(path=result.memory))
    if result.version is None:
        from orr.wat.lens import next_version

        flag = f" --lang {result.lang}" if result.lang != DEFAULT else ""
        version = next_version(result.published)
        if result.draft_only:
            line = _(
                "the lens is only a draft: it cannot be applied to workloads or shared until it "
                "is published: orr wat push-lens{flag} --publish {version}"
            ).format(flag=flag, version=version)
        else:
            line = _(
                "the changes are in a draft, not published yet (the last version published is "
                "{published}): orr wat push-lens{flag} --publish {version}"
            ).format(published=result.published, flag=flag, version=version)
        _err(line)
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from orr.wat.lens import share_lens

    client = _client(args)
    result = share_lens(client, args.lens, args.shared_with)
    if args.dry_run:
        return 0
    if result.already:
        _out(
            _("{arn}: already shared with {target} ({status})").format(
                arn=result.arn, target=result.shared_with, status=result.status.lower()
            )
        )
    elif result.invitation:
        _out(
            _(
                "{arn}: shared with {target} (share {share}): the invitation waits for "
                "acceptance in account {target}: run orr wat accept {arn} there (or accept it "
                "in its WA Tool console) within 7 days"
            ).format(arn=result.arn, target=result.shared_with, share=result.share_id)
        )
    else:
        _out(
            _(
                "{arn}: shared with {target} (share {share}): no invitation is sent to an "
                "organization or OU; its accounts can use the lens once AWS Organizations "
                "sharing is enabled in the WA Tool settings of the management account"
            ).format(arn=result.arn, target=result.shared_with, share=result.share_id)
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
            _out(_("no pending lens invitations in this account"))
        for inv in result.pending:
            _out(
                _("{arn}  {name}  (shared by {owner})").format(
                    arn=inv.lens_arn, name=one_line(inv.lens_name, 60), owner=inv.shared_by
                )
            )
        if result.pending:
            _err(_("accept one with orr wat accept LENS"))
        return 0
    if result.already:
        _out(
            _("{lens}: already accepted: workloads in this account can use it").format(
                lens=args.lens
            )
        )
        return 0
    for inv in result.accepted:
        _out(
            _(
                "{arn}: accepted ({name}, shared by {owner}): workloads in this account can use it"
            ).format(arn=inv.lens_arn, name=one_line(inv.lens_name, 60), owner=inv.shared_by)
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
        lang=asked_language(),
        progress=_progress(args),
    )
    if args.dry_run:
        return 0
    head = _("workload {id}").format(id=result.workload_id)
    if result.created_workload:
        head += _(" (created)")
    if result.associated:
        head += _(" (lens associated)")
    if result.workload_updated:
        head += _(" ({fields} updated)").format(fields=", ".join(result.workload_updated))
    if result.upgraded:
        head += _(" (lens review upgraded to {version})").format(version=result.upgraded)
    line = _("{head}: {updated} answer(s) updated, {unchanged} unchanged").format(
        head=head, updated=len(result.updated), unchanged=len(result.unchanged)
    )
    if result.milestone is not None:
        line += _(", milestone #{number}").format(number=result.milestone)
    if result.milestone_existed:
        line += _(" (already saved)")
    _out(line)
    if result.cut:
        _err(
            _("notes cut to 2,084 characters (the full text stays in the review): {ids}").format(
                ids=_ids(result.cut)
            )
        )
    if result.remote_changed:
        _err(
            _(
                "changed in the WA Tool since the last sync, left as they are there: {ids}: "
                "run orr wat pull (or sync --force to overwrite)"
            ).format(ids=_ids(result.remote_changed))
        )
    version = (
        _("lens version {version}").format(version=result.lens_version)
        if result.lens_version
        else _("lens version")
    )
    if result.needs_upgrade:
        newer = (
            _("version {version}").format(version=result.lens_latest)
            if result.lens_latest
            else _("a newer version")
        )
        _err(
            _(
                "the workload is on {version} and {newer} is published: run orr wat sync "
                "{review} --upgrade (the WA Tool saves a milestone first)"
            ).format(version=version, newer=newer, review=args.review)
        )
    lacking = [
        *result.missing,
        *(f"{q} ({', '.join(cs)})" for q, cs in result.missing_choices.items()),
    ]
    if lacking:
        _err(
            _(
                "not in the workload's {version}, left out: {ids}: publish the lens (orr wat "
                "push-lens --publish VERSION), then run orr wat sync {review} --upgrade"
            ).format(version=version, ids=_ids(lacking), review=args.review)
        )
    for qid, reason in result.rejected.items():
        _err(
            _("{question}: the WA Tool refused the answer, left out: {reason}").format(
                question=qid, reason=one_line(reason, 200)
            )
        )
    return 0 if result.clean else 1


def cmd_pull(args: argparse.Namespace) -> int:
    from orr.wat.sync import pull_review

    client = _client(args)
    result = pull_review(args.review, client, progress=_progress(args))
    if args.dry_run:
        return 0
    line = _("workload {id}: {count} answer(s) brought in").format(
        id=result.workload_id, count=len(result.pulled)
    )
    if result.pulled:
        line += f" ({_ids(result.pulled)})"
    line += _(", {unchanged} unchanged, {conflicts} conflict(s)").format(
        unchanged=len(result.unchanged), conflicts=len(result.conflicts)
    )
    _out(line)
    for warning in result.warnings:
        _err(_("warning: {warning}").format(warning=warning))
    for c in result.conflicts:
        _err(
            _(
                "conflict: {question}: changed in the review ({review}) and in the WA Tool "
                "({there}) since the last sync: the review keeps its answer; settle it, then "
                "sync (--force to overwrite the WA Tool)"
            ).format(question=c.question, review=c.review, there=c.wa_tool)
        )
    if result.cleared:
        _err(
            _(
                "cleared in the WA Tool, kept in the review: {ids}: answer them again there, or "
                "sync to restore them"
            ).format(ids=_ids(result.cleared))
        )
    return 0 if result.clean else 1


def cmd_report(args: argparse.Namespace) -> int:
    from orr.wat.report import RISKS, lens_review_report

    client = _client(args)
    result = lens_review_report(args.review, client, args.output, milestone=args.milestone)
    if args.dry_run or result.path is None:
        return 0
    from orr.tomlfile import display_path

    which = (
        _(" of milestone #{number}").format(number=result.milestone)
        if result.milestone is not None
        else ""
    )
    _out(
        _("{path}: the WA Tool's report{which} ({size} bytes)").format(
            path=display_path(result.path), which=which, size=f"{result.size:,}"
        )
    )
    if result.risk_counts:
        _out(
            _("risks: {counts}").format(
                counts=", ".join(
                    f"{_(RISK_WORDS.get(k, k))} {result.risk_counts.get(k, 0)}" for k in RISKS
                )
            )
        )
    return 0


def cmd_share_workload(args: argparse.Namespace) -> int:
    from orr.wat.workload import share_workload

    client = _client(args)
    result = share_workload(args.review, client, args.shared_with, args.permission)
    if args.dry_run:
        return 0
    what = _("workload {id}").format(id=result.workload_id)
    permission = _(PERMISSION_WORDS.get(result.permission, result.permission.lower()))
    if result.already:
        _out(
            _("{what}: already shared with {target} ({permission}, {status})").format(
                what=what,
                target=result.shared_with,
                permission=permission,
                status=result.status.lower(),
            )
        )
    elif result.invitation:
        _out(
            _(
                "{what}: shared with {target} ({permission}, share {share}): the invitation "
                "waits for acceptance on that side (7 days)"
            ).format(
                what=what, target=result.shared_with, permission=permission, share=result.share_id
            )
        )
    else:
        _out(
            _(
                "{what}: shared with {target} ({permission}, share {share}): no invitation is "
                "sent to an organization or OU"
            ).format(
                what=what, target=result.shared_with, permission=permission, share=result.share_id
            )
        )
    return 0


def cmd_milestones(args: argparse.Namespace) -> int:
    from orr.wat.workload import list_milestones

    client = _client(args)
    found = list_milestones(args.review, client)
    if args.dry_run:
        return 0
    if not found:
        _out(_("no milestones yet (orr wat sync --milestone NAME saves one)"))
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
        raise InputError(
            _("deleting {what}: confirm with --yes (no terminal to ask on)").format(what=what)
        )
    sys.stderr.write(
        terminal_safe(_("Delete {what}? This cannot be undone. Type yes: ").format(what=what))
    )
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("yes", _("yes").lower()):
        raise InputError(_("deleting {what}: not confirmed: nothing was deleted").format(what=what))


def cmd_delete(args: argparse.Namespace) -> int:
    from orr.wat.lens import delete_lens, delete_lens_share
    from orr.wat.workload import delete_workload

    client = _client(args)
    if args.delete_what == "workload":
        _confirm(args, _("the WA Tool workload of {review}").format(review=args.review))
        wid = delete_workload(args.review, client)
        if not args.dry_run:
            _out(
                _("workload {id}: deleted; {review} keeps its answers and forgets it").format(
                    id=wid, review=args.review
                )
            )
    elif args.delete_what == "lens":
        what = (
            _("the draft of the lens {lens}")
            if args.draft_only
            else _("the lens (every version) {lens}")
        ).format(lens=args.lens)
        _confirm(args, what)
        arn = delete_lens(client, args.lens, draft_only=args.draft_only)
        if not args.dry_run:
            _out(
                (_("{arn}: draft deleted") if args.draft_only else _("{arn}: deleted")).format(
                    arn=arn
                )
            )
    else:
        _confirm(
            args,
            _("the share of {lens} with {target}").format(lens=args.lens, target=args.shared_with),
        )
        arn, share_id = delete_lens_share(client, args.lens, args.shared_with)
        if not args.dry_run:
            _out(
                _("{arn}: share {share} with {target} deleted").format(
                    arn=arn, share=share_id, target=args.shared_with
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
        _err(_("warning: {warning}").format(warning=warning))
    _out(
        _("{path}: pulled {arn}: {questions} questions in {files} files").format(
            path=display_path(result.folder / "orr.toml"),
            arn=result.arn,
            questions=result.questions,
            files=len(result.files),
        )
    )
    return 0
