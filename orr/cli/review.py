"""`orr review ...`: start a review, answer, mitigate, accept risks, sign off, correct entries and
rebase, from the command line. (`orr status`, `orr diff` and `orr report` read reviews:
`orr.cli.status`.)

Every handler validates its input against the review's checklist and fails with one clear line
(exit 2); each change is one locked, merged save of the review file, and says at once what it
did to the launch (a sign-off made stale, a blocking mitigation due after the launch).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from orr.cli.common import USER_HELP, out, path_arg, review_path, today, warn, who
from orr.errors import InputError
from orr.i18n import N_, _
from orr.textsafe import one_line, terminal_safe

if TYPE_CHECKING:
    from orr.checklist.model import Checklist
    from orr.review.model import Evidence, Review
    from orr.review.ops import RebaseResult

T = TypeVar("T")

# Mitigation statuses as a summary says them (the review file keeps the code).
STATUS_WORDS = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "withdrawn": N_("withdrawn"),
}

NA_HELP = (
    "out of scope, business priorities, architecture constraints or other: OUT_OF_SCOPE, "
    "BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER (OTHER needs a note)"
)


# --- registration --------------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's unset --user must not hide `orr review --user NAME ...`.
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=USER_HELP)
    common.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the date to judge due and expiry dates by"
    )

    review = sub.add_parser(
        "review",
        help="start a review, answer, mitigate, accept risks, sign off, correct, rebase",
        description="Run a review from the command line. REVIEW is a review file (or the name "
        "of one in reviews/).",
    )
    review.add_argument("--user", metavar="NAME", help=USER_HELP)
    rsub = review.add_subparsers(dest="review_command", metavar="SUBCOMMAND")

    p = rsub.add_parser(
        "new",
        parents=[common],
        help="start a review of a workload (or the next one, from the last: --from)",
        description="Start a review. With --from, the next review of a workload starts from its "
        "last one against the checklist as it is now: answers, notes, evidence, open "
        "mitigations and unexpired acceptances carry over; answers whose question changed, "
        "whose evidence is stale or that were not applicable are marked for re-confirmation; "
        "sign-offs never carry over; the old file is not touched.",
    )
    p.add_argument("--workload", metavar="NAME", help="the workload's name (not with --from)")
    p.add_argument(
        "--launch-date",
        metavar="YYYY-MM-DD",
        help="the launch (or the review's go / no-go) date; with --from, default: the old "
        "launch date if it is still ahead, else 30 days from today",
    )
    p.add_argument("--from", dest="from_review", metavar="OLD.toml", help="the last review")
    p.add_argument(
        "--kind",
        metavar="K",
        help="pre_launch, periodic, post_incident or change (default: pre_launch; with --from, "
        "periodic)",
    )
    p.add_argument("--checklist", metavar="MANIFEST", help="default: checklists/orr.toml")
    p.add_argument(
        "--tier",
        metavar="T",
        help="review only the questions of this tier, e.g. core (default: every question of "
        "the checklist)",
    )
    p.add_argument(
        "--environment", metavar="E", default="production", help="production|preproduction"
    )
    p.add_argument("--owner", metavar="O", default="", help="who is accountable")
    p.add_argument("--description", metavar="TEXT", default="")
    p.add_argument("--region", action="append", default=[], metavar="R")
    p.add_argument(
        "--stakeholder", action="append", default=[], metavar="NAME:ROLE", help="repeatable"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="default: reviews/<workload>.toml, numbered when taken (an existing file is never "
        "overwritten)",
    )
    p.set_defaults(func=cmd_new)

    p = rsub.add_parser("answer", parents=[common], help="answer a question")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("question", metavar="QID")
    p.add_argument("--choice", action="append", default=[], metavar="ID", help="repeatable")
    p.add_argument("--none", action="store_true", help='select "None of these"')
    p.add_argument("--na", metavar="REASON", help=f"the question does not apply: {NA_HELP}")
    p.add_argument("--na-note", metavar="TEXT", help="why it does not apply")
    p.add_argument(
        "--na-choice",
        action="append",
        default=[],
        metavar="ID:REASON[:NOTE]",
        help="one practice does not apply (it counts as in place); repeatable; REASON: " + NA_HELP,
    )
    p.add_argument(
        "--applies",
        action="append",
        default=[],
        metavar="ID",
        help="a practice marked not applicable applies again; repeatable",
    )
    p.add_argument("--notes", metavar="TEXT")
    p.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="URL[@YYYY-MM-DD]",
        help="an evidence link, verified today or on the date given; repeatable",
    )
    p.add_argument(
        "--remove-evidence", action="append", default=[], metavar="URL", help="repeatable"
    )
    p.set_defaults(func=cmd_answer)

    p = rsub.add_parser(
        "verify",
        parents=[common],
        help="re-verify a question's evidence links (they still show the practice)",
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("question", metavar="QID")
    p.add_argument(
        "--url", action="append", default=[], metavar="URL", help="only this link; repeatable"
    )
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was checked (default: today)")
    p.set_defaults(func=cmd_verify)

    p = rsub.add_parser("mitigate", parents=[common], help="add a mitigation to a finding")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("question", metavar="QID")
    p.add_argument("--title", required=True, metavar="T")
    p.add_argument("--owner", required=True, metavar="O")
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--blocking",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the launch waits for it (default: yes for a HIGH finding)",
    )
    p.add_argument("--status", default="open", metavar="S", help="open, in_progress or done")
    p.add_argument("--ticket", metavar="URL")
    p.add_argument("--notes", default="", metavar="TEXT")
    p.set_defaults(func=cmd_mitigate)

    p = rsub.add_parser(
        "mitigation-update", parents=[common], help="change a mitigation (e.g. mark it done)"
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("mitigation", metavar="MID")
    p.add_argument("--status", metavar="S", help="open, in_progress, done or withdrawn")
    p.add_argument("--owner", metavar="O")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    p.add_argument("--title", metavar="T")
    p.add_argument("--notes", metavar="TEXT")
    p.add_argument("--ticket", metavar="URL")
    p.add_argument("--blocking", action=argparse.BooleanOptionalAction, default=None)
    p.set_defaults(func=cmd_mitigation_update)

    p = rsub.add_parser(
        "withdraw",
        parents=[common],
        help="withdraw a mitigation (kept with its history, no longer counted)",
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("mitigation", metavar="MID")
    p.add_argument("--reason", default="", metavar="TEXT", help="why, for the audit trail")
    p.set_defaults(func=cmd_withdraw)

    p = rsub.add_parser("accept", parents=[common], help="record a risk acceptance")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("question", metavar="QID")
    p.add_argument("--approver", required=True, metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE")
    p.add_argument("--expires", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--rationale", required=True, metavar="TEXT")
    p.add_argument("--controls", default="", metavar="TEXT", help="compensating controls")
    p.set_defaults(func=cmd_accept)

    p = rsub.add_parser(
        "signoff",
        parents=[common],
        help="sign off (or reject) for a role",
        description="Record a role's decision. NAME must be a stakeholder of the review with "
        "that role; when someone else enters it (--user), the sign-off says so.",
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("--role", required=True, metavar="ROLE")
    p.add_argument("--name", required=True, metavar="NAME")
    p.add_argument("--reject", action="store_true", help="reject the launch")
    p.set_defaults(func=cmd_signoff)

    p = rsub.add_parser(
        "workload",
        parents=[common],
        help="change the workload's name, launch date, environment, owner, description, regions",
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("--name", metavar="NAME")
    p.add_argument("--launch-date", metavar="YYYY-MM-DD")
    p.add_argument("--environment", metavar="E", help="production|preproduction")
    p.add_argument("--owner", metavar="O")
    p.add_argument("--description", metavar="TEXT")
    p.add_argument(
        "--region", action="append", metavar="R", help="repeatable; replaces the regions"
    )
    p.set_defaults(func=cmd_workload)

    p = rsub.add_parser(
        "stakeholder", parents=[common], help="add or remove stakeholders (change: both)"
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("--add", action="append", default=[], metavar="NAME:ROLE", help="repeatable")
    p.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="NAME[:ROLE]",
        help="repeatable; without ROLE, every role of that person",
    )
    p.set_defaults(func=cmd_stakeholder)

    p = rsub.add_parser(
        "rebase", parents=[common], help="carry the review over to the changed checklist"
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("--checklist", metavar="MANIFEST", help="default: the one the review records")
    p.set_defaults(func=cmd_rebase)

    review.set_defaults(func=lambda _args: _usage(review))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --- helpers -------------------------------------------------------------------------------------


def _edit(path: Path, user: str, fn: Callable[[Review, Checklist], tuple[T, list[str]]]) -> T:
    """Lock the review, read it fresh, apply ``fn``, save; print ``fn``'s warnings and the
    approvals the change made stale. An error names the review file."""
    from orr.review import ops
    from orr.review.checklists import load_review_checklist, shared_cache
    from orr.review.state import approvals_hash
    from orr.review.store import ReviewStore
    from orr.tomlfile import display_path

    said: list[str] = []

    def apply(review: Review) -> T:
        checklist = load_review_checklist(review, path)
        before = approvals_hash(review)
        try:
            result, warnings = fn(review, checklist)
        except InputError as exc:
            if exc.problems:
                raise
            raise InputError(f"{display_path(path)}: {exc.message}") from None
        said[:] = [*warnings, *ops.newly_stale(before, review, checklist)]
        return result

    result = ReviewStore(path).transact(apply, user)
    note = shared_cache().notes.get(path)
    warn([*([note] if note else []), *said])
    return result


def _pair(item: str, flag: str, example: str) -> tuple[str, str]:
    name, sep, role = item.rpartition(":")
    if not sep or not name.strip() or not role.strip():
        raise InputError(
            _("{flag} {item!r}: write NAME:ROLE (e.g. {example!r})").format(
                flag=flag, item=item, example=example
            )
        )
    return name.strip(), role.strip()


def _evidence(value: str, today_: date) -> Evidence:
    """``URL`` or ``URL@YYYY-MM-DD`` (the day it was checked)."""
    from orr.review.model import Evidence
    from orr.values import check_url, date_or_none, parse_date

    url, sep, when = value.rpartition("@")
    if sep and date_or_none(when) is not None:
        return Evidence(
            url=check_url(url, "--evidence"), verified_on=parse_date(when, _("--evidence date"))
        )
    return Evidence(url=check_url(value, "--evidence"), verified_on=today_)


def _na_choice(item: str) -> tuple[str, str, str]:
    cid, sep, rest = item.partition(":")
    reason, _sep, note = rest.partition(":")
    if not sep or not cid.strip() or not reason.strip():
        raise InputError(
            _(
                "--na-choice {item!r}: write ID:REASON[:NOTE] (e.g. "
                "'sec_waf:ARCHITECTURE_CONSTRAINTS:internal service, no public endpoint')"
            ).format(item=item)
        )
    return cid.strip(), reason.strip(), note.strip()


# --- review subcommands --------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest
    from orr.review.workspace import create_review
    from orr.tomlfile import display_path

    if args.from_review:
        return _new_from(args)
    if not args.workload or not args.launch_date:
        raise InputError(
            _(
                "review new: give --workload and --launch-date (or --from OLD.toml for the next "
                "review of a workload)"
            )
        )
    people = [_pair(s, "--stakeholder", "Ann Lee:security") for s in args.stakeholder]
    if args.checklist:
        path_arg(args.checklist, "--checklist ")
    manifest = find_manifest(args.checklist)
    if not manifest.is_file():
        raise InputError(_("--checklist {path}: no such file").format(path=args.checklist))
    output = path_arg(args.output, "-o ") if args.output else None
    user = who(args)
    path, review, warnings = create_review(
        Path("."),
        workload=args.workload,
        launch_date=args.launch_date,
        manifest=manifest,
        tier=args.tier,
        environment=args.environment,
        owner=args.owner,
        description=args.description,
        regions=args.region,
        stakeholders=people,
        kind=args.kind or "pre_launch",
        output=output,
        today=today(args),
        user=user,
    )
    warn(warnings)
    said = (
        _("created {file}: {count} question(s) to answer (tier {tier}), launch {date}")
        if review.checklist.tier
        else _("created {file}: {count} question(s) to answer (every question), launch {date}")
    )
    out(
        said.format(
            file=terminal_safe(display_path(path)),
            count=len(review.checklist.question_hashes),
            tier=review.checklist.tier,
            date=review.workload.launch_date.isoformat(),
        )
        + "\n"
    )
    return 0


def _new_from(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest
    from orr.review.workspace import start_next_review
    from orr.tomlfile import display_path

    if args.workload or args.stakeholder or args.tier:
        raise InputError(
            _(
                "review new --from: the workload, its stakeholders and tier come from the last "
                "review (change them afterwards with orr review workload / stakeholder)"
            )
        )
    old = review_path(args.from_review)
    manifest = None
    if args.checklist:
        path_arg(args.checklist, "--checklist ")
        manifest = find_manifest(args.checklist)
    path, review, carried = start_next_review(
        old,
        workspace=Path("."),
        kind=args.kind or "periodic",
        launch_date=args.launch_date,
        manifest=manifest,
        output=path_arg(args.output, "-o ") if args.output else None,
        today=today(args),
        user=who(args),
    )
    lines = [
        _("created {file}: the {kind} review of {workload}, from {old}; launch {date}").format(
            file=terminal_safe(display_path(path)),
            kind=review.kind,
            workload=one_line(review.workload.name),
            old=terminal_safe(display_path(old)),
            date=review.workload.launch_date.isoformat(),
        ),
        "  "
        + _(
            "carried: {answers} answer(s), {mitigations} open mitigation(s), {acceptances} "
            "acceptance(s); no sign-off"
        ).format(
            answers=len(carried.answers),
            mitigations=len(carried.mitigations),
            acceptances=len(carried.acceptances),
        ),
    ]
    if carried.reconfirm:
        lines.append("  " + _("to re-confirm: {count}:").format(count=len(carried.reconfirm)))
        lines += [f"    {qid}: {why}" for qid, why in carried.reconfirm.items()]
    if carried.dropped:
        lines.append(
            "  " + _("not asked any more: {questions}").format(questions=", ".join(carried.dropped))
        )
    out("\n".join(lines) + "\n")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from orr.review import ops
    from orr.values import parse_date

    path = review_path(args.review)
    user = who(args)
    on = parse_date(args.on, "--on") if args.on else today(args)

    def fn(review: Review, checklist: Checklist) -> tuple[int, list[str]]:
        warnings = ops.verify_evidence(review, checklist, args.question, args.url, on=on, who=user)
        answer = review.answers[args.question]
        return sum(1 for e in answer.evidence if e.verified_on == on), warnings

    count = _edit(path, user, fn)
    out(
        _("{question}: {count} evidence link(s) verified on {date}").format(
            question=args.question, count=count, date=on.isoformat()
        )
        + "\n"
    )
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from orr.review import ops
    from orr.review.state import review_question_state

    path = review_path(args.review)
    user = who(args)
    day = today(args)
    links = [_evidence(e, day) for e in args.evidence]
    waived = [_na_choice(item) for item in args.na_choice]
    qid = args.question

    def fn(review: Review, checklist: Checklist) -> tuple[str, list[str]]:
        warnings: list[str] = []
        records = (
            args.choice
            or args.none
            or args.na is not None
            or args.na_note is not None
            or args.notes is not None
            or links
        )
        # With nothing else to do, set_answer says what can be given.
        if records or not (waived or args.applies or args.remove_evidence):
            warnings += ops.set_answer(
                review,
                checklist,
                qid,
                choices=args.choice,
                none=args.none,
                na_reason=args.na,
                na_note=args.na_note,
                notes=args.notes,
                evidence=links,
                who=user,
            )
        for cid, reason, note in waived:
            warnings += ops.set_practice_na(review, checklist, qid, cid, reason, note, who=user)
        for cid in args.applies:
            warnings += ops.set_practice_na(review, checklist, qid, cid, None, who=user)
        for url in args.remove_evidence:
            warnings += ops.remove_evidence(review, checklist, qid, url, who=user)
        state = review_question_state(review, checklist, qid)
        assert state is not None
        return _state_line(state), warnings

    out(f"{qid}: {_edit(path, user, fn)}\n")
    return 0


def _state_line(state: Any) -> str:
    from orr.review.state import AnswerState

    if state.state is AnswerState.NOT_APPLICABLE:
        if state.na_reason:
            return _("not applicable ({reason})").format(reason=state.na_reason)
        return _("not applicable (no reason)")
    if state.risk is not None:
        if state.na_practices:
            return _("risk {risk}, {count} practice(s) not applicable").format(
                risk=state.risk, count=len(state.na_practices)
            )
        return _("risk {risk}").format(risk=state.risk)
    return _("not answered yet (notes, evidence and practices not applicable kept)")


def cmd_mitigate(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)
    day = today(args)

    def fn(review: Review, checklist: Checklist) -> tuple[tuple[str, bool], list[str]]:
        mitigation, warnings = ops.add_mitigation(
            review,
            checklist,
            args.question,
            title=args.title,
            owner=args.owner,
            due=args.due,
            status=args.status,
            blocking=args.blocking,
            ticket=args.ticket,
            notes=args.notes,
            who=user,
            today=day,
        )
        return (mitigation.id, mitigation.blocking), warnings

    mid, blocking = _edit(path, user, fn)
    said = (
        _("{mitigation} added to {question} (blocking)")
        if blocking
        else _("{mitigation} added to {question}")
    )
    out(said.format(mitigation=mid, question=args.question) + "\n")
    return 0


def cmd_mitigation_update(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)
    day = today(args)
    changes: dict[str, Any] = {
        k: getattr(args, k)
        for k in ("status", "owner", "due", "title", "notes", "ticket", "blocking")
        if getattr(args, k) is not None
    }
    if not changes:
        raise InputError(
            _(
                "mitigation-update: nothing to change: give --status, --owner, --due, --title, "
                "--notes, --ticket or --blocking/--no-blocking"
            )
        )

    def fn(review: Review, checklist: Checklist) -> tuple[str, list[str]]:
        warnings = ops.update_mitigation(review, args.mitigation, who=user, today=day, **changes)
        m = review.mitigation(args.mitigation)
        assert m is not None
        return str(m.status), warnings

    status = _edit(path, user, fn)
    word = _(STATUS_WORDS[status]) if status in STATUS_WORDS else status.replace("_", " ")
    out(f"{args.mitigation}: {word}\n")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)

    def fn(review: Review, checklist: Checklist) -> tuple[None, list[str]]:
        return None, ops.withdraw_mitigation(review, args.mitigation, reason=args.reason, who=user)

    _edit(path, user, fn)
    out(
        _("{mitigation}: withdrawn (kept in the review, no longer counted)").format(
            mitigation=args.mitigation
        )
        + "\n"
    )
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)
    day = today(args)

    def fn(review: Review, checklist: Checklist) -> tuple[tuple[str, date], list[str]]:
        acceptance, warnings = ops.add_acceptance(
            review,
            checklist,
            args.question,
            approver=args.approver,
            role=args.role,
            rationale=args.rationale,
            expires=args.expires,
            controls=args.controls,
            who=user,
            today=day,
        )
        return (acceptance.id, acceptance.expires), warnings

    aid, expires = _edit(path, user, fn)
    out(
        _("{acceptance} added to {question}: risk accepted until {date}").format(
            acceptance=aid, question=args.question, date=expires.isoformat()
        )
        + "\n"
    )
    return 0


def cmd_signoff(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)
    day = today(args)
    decision = "reject" if args.reject else "approve"

    def fn(review: Review, checklist: Checklist) -> tuple[None, list[str]]:
        return None, ops.sign_off(
            review, checklist, args.role, args.name, decision, who=user, today=day
        )

    _edit(path, user, fn)
    said = _("{role}: rejected by {name}") if args.reject else _("{role}: approved by {name}")
    out(said.format(role=terminal_safe(args.role), name=one_line(args.name)) + "\n")
    return 0


def cmd_workload(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)
    day = today(args)
    changes: dict[str, Any] = {
        field: getattr(args, attr)
        for field, attr in (
            ("name", "name"),
            ("launch_date", "launch_date"),
            ("environment", "environment"),
            ("owner", "owner"),
            ("description", "description"),
            ("regions", "region"),
        )
        if getattr(args, attr) is not None
    }
    if not changes:
        raise InputError(
            _(
                "workload: nothing to change: give --name, --launch-date, --environment, "
                "--owner, --description or --region"
            )
        )

    def fn(review: Review, checklist: Checklist) -> tuple[str, list[str]]:
        warnings = ops.update_workload(review, who=user, today=day, **changes)
        w = review.workload
        return _("workload: {name}, {environment}, launch {date}").format(
            name=one_line(w.name), environment=w.environment, date=w.launch_date.isoformat()
        ), warnings

    out(_edit(path, user, fn) + "\n")
    return 0


def cmd_stakeholder(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    user = who(args)
    added = [_pair(s, "--add", "Ann Lee:security") for s in args.add]
    removed: list[tuple[str, str | None]] = []
    for item in args.remove:
        name, sep, role = item.rpartition(":")
        removed.append((name, role) if sep and name.strip() else (item, None))
    if not added and not removed:
        raise InputError(_("stakeholder: nothing to change: give --add NAME:ROLE or --remove NAME"))

    def fn(review: Review, checklist: Checklist) -> tuple[list[str], list[str]]:
        warnings: list[str] = []
        for name, role in removed:
            warnings += ops.remove_stakeholder(review, name, role, who=user)
        for name, role in added:
            warnings += ops.add_stakeholder(review, checklist, name, role, who=user)
        return [f"{s.name} ({s.role})" for s in review.stakeholders], warnings

    people = one_line(", ".join(_edit(path, user, fn)))
    out(
        (_("stakeholders: {people}").format(people=people) if people else _("stakeholders: none"))
        + "\n"
    )
    return 0


class _UpToDate(Exception):
    pass


def cmd_rebase(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest, load_checklist
    from orr.review import ops
    from orr.review.checklists import manifest_ref, resolve_manifest
    from orr.review.store import ReviewStore

    path = review_path(args.review)
    user = who(args)
    if args.checklist:
        path_arg(args.checklist, "--checklist ")
    explicit = find_manifest(args.checklist) if args.checklist else None
    if explicit is not None and not explicit.is_file():
        raise InputError(_("--checklist {path}: no such file").format(path=args.checklist))

    def fn(review: Review) -> RebaseResult:
        manifest = explicit or resolve_manifest(review, path)
        checklist = load_checklist(manifest)
        ref = manifest_ref(manifest, path) if explicit else None
        if review.checklist.content_hash == checklist.content_hash and ref in (
            None,
            review.checklist.manifest,
        ):
            raise _UpToDate()
        return ops.rebase(review, checklist, manifest=ref, who=user)

    try:
        result = ReviewStore(path).transact(fn, user)
    except _UpToDate:
        out(_("already up to date with its checklist") + "\n")
        return 0
    lines = [
        _("rebased onto checklist {version} (was {old})").format(
            version=one_line(result.new_version) or "?", old=one_line(result.old_version) or "?"
        )
    ]
    for label, ids in (
        (_("kept"), result.kept),
        (_("to re-confirm (question changed)"), result.reconfirm),
        (_("archived (question removed)"), result.archived),
        (_("restored, to re-confirm"), result.restored),
        (_("new, unanswered"), result.new),
    ):
        if ids:
            lines.append(f"  {label}: {len(ids)}: {', '.join(ids)}")
    for qid, dropped in result.dropped_choices.items():
        lines.append(
            "  "
            + _("{question}: choices no longer offered were dropped: {choices}").format(
                question=qid, choices=", ".join(dropped)
            )
        )
    out("\n".join(lines) + "\n")
    return 0
