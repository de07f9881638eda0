"""`orr review ...`, `orr status`, `orr diff` and `orr report`: run a review from the command line
and read its launch gate.

Every handler validates its input against the review's checklist and fails with one clear line
(exit 2); `orr status` exits 0 when every review is READY (or READY WITH CONDITIONS unless
``--fail-on conditions``), 1 when any is not, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from orr.errors import InputError, OrrError
from orr.textsafe import one_line, terminal_safe

if TYPE_CHECKING:
    from orr.checklist.model import Checklist
    from orr.review.gate import Gate, GateItem
    from orr.review.model import Review
    from orr.review.store import ReviewStore

T = TypeVar("T")

REVIEWS_DIR = Path("reviews")


# --- registration --------------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user_help = "who makes the change (default: $ORR_USER, git user.name, the login name)"
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's unset --user must not hide `orr review --user NAME ...`.
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=user_help)
    common.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the date to judge due and expiry dates by"
    )

    review = sub.add_parser(
        "review",
        help="start a review, answer, mitigate, accept risks, sign off, rebase",
        description="Run a review from the command line. REVIEW is a review file (or the name "
        "of one in reviews/).",
    )
    review.add_argument("--user", metavar="NAME", help=user_help)
    rsub = review.add_subparsers(dest="review_command", metavar="SUBCOMMAND")

    p = rsub.add_parser("new", parents=[common], help="start a review of a workload")
    p.add_argument("--workload", required=True, metavar="NAME", help="the workload's name")
    p.add_argument("--launch-date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--checklist", metavar="MANIFEST", help="default: checklists/orr.toml")
    p.add_argument("--tier", metavar="T", help="review only the questions of this tier")
    p.add_argument(
        "--environment", metavar="E", default="production", help="production|preproduction"
    )
    p.add_argument("--owner", metavar="O", default="", help="who is accountable")
    p.add_argument("--description", metavar="TEXT", default="")
    p.add_argument("--region", action="append", default=[], metavar="R")
    p.add_argument(
        "--stakeholder", action="append", default=[], metavar="NAME:ROLE", help="repeatable"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="default: reviews/<workload>.toml")
    p.set_defaults(func=cmd_new)

    p = rsub.add_parser("answer", parents=[common], help="answer a question")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("question", metavar="QID")
    p.add_argument("--choice", action="append", default=[], metavar="ID", help="repeatable")
    p.add_argument("--none", action="store_true", help='select "None of these"')
    p.add_argument(
        "--na",
        metavar="REASON",
        help="not applicable: OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER",
    )
    p.add_argument("--na-note", metavar="TEXT", help="why it does not apply")
    p.add_argument("--notes", metavar="TEXT")
    p.add_argument("--evidence", action="append", default=[], metavar="URL", help="repeatable")
    p.set_defaults(func=cmd_answer)

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
    p.add_argument("--status", metavar="S", help="open, in_progress or done")
    p.add_argument("--owner", metavar="O")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    p.add_argument("--title", metavar="T")
    p.add_argument("--notes", metavar="TEXT")
    p.add_argument("--ticket", metavar="URL")
    p.add_argument("--blocking", action=argparse.BooleanOptionalAction, default=None)
    p.set_defaults(func=cmd_mitigation_update)

    p = rsub.add_parser("accept", parents=[common], help="record a risk acceptance")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("question", metavar="QID")
    p.add_argument("--approver", required=True, metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE")
    p.add_argument("--expires", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--rationale", required=True, metavar="TEXT")
    p.add_argument("--controls", default="", metavar="TEXT", help="compensating controls")
    p.set_defaults(func=cmd_accept)

    p = rsub.add_parser("signoff", parents=[common], help="sign off (or reject) for a role")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("--role", required=True, metavar="ROLE")
    p.add_argument("--name", required=True, metavar="NAME")
    p.add_argument("--reject", action="store_true", help="reject the launch")
    p.set_defaults(func=cmd_signoff)

    p = rsub.add_parser(
        "rebase", parents=[common], help="carry the review over to the changed checklist"
    )
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("--checklist", metavar="MANIFEST", help="default: the one the review records")
    p.set_defaults(func=cmd_rebase)

    review.set_defaults(func=lambda _args: _usage(review))

    p = sub.add_parser(
        "status",
        help="the launch gate of reviews (exit 0 ready, 1 not ready)",
        description="The launch gate. REVIEW is a review file or a folder of them. Exit 0 when "
        "every review is READY or READY WITH CONDITIONS, 1 when any is NOT READY, 2 on bad input.",
    )
    p.add_argument("reviews", nargs="+", metavar="REVIEW")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--fail-on", choices=["conditions"], help="also fail (exit 1) on READY WITH CONDITIONS"
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge dates as of this day")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("diff", help="what changed between two review files")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge the new file as of this day")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("report", help="the Markdown readout of a review")
    p.add_argument("review", metavar="REVIEW")
    p.add_argument("-o", "--output", metavar="FILE.md")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_report)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --- helpers -------------------------------------------------------------------------------------


def _out(text: str) -> None:
    sys.stdout.write(text)


def _warn(lines: Iterable[str]) -> None:
    for line in lines:
        sys.stderr.write(f"warning: {terminal_safe(line)}\n")


def _today(args: argparse.Namespace) -> date:
    from orr.review.ops import parse_date

    value = getattr(args, "today", None)
    return parse_date(value, "--today") if value else date.today()


def _who(args: argparse.Namespace) -> str:
    from orr.review.who import current_user

    return current_user(getattr(args, "user", None))


def _path(arg: str, flag: str = "") -> Path:
    """``Path(arg)``; InputError when the system cannot even look it up (a name too long)."""
    p = Path(arg)
    try:
        p.exists()
    except OSError as exc:
        raise InputError(f"{flag}{arg}: cannot use this path ({exc.strerror})") from None
    return p


def review_path(arg: str) -> Path:
    """A review file argument: a path, or the name of a review in reviews/."""
    p = _path(arg)
    if p.exists():
        if p.is_dir():
            raise InputError(f"{arg}: is a folder, not a review file")
        return p
    if p.suffix != ".toml" and len(p.parts) == 1:
        candidate = REVIEWS_DIR / f"{arg}.toml"
        if candidate.is_file():
            return candidate
    raise InputError(f"{arg}: no such review file")


class _Checklists:
    """Checklists by manifest path, loaded once per run."""

    def __init__(self) -> None:
        self._cache: dict[Path, Checklist] = {}
        self._quick: dict[tuple[str, str], Checklist] = {}

    def for_review(self, review: Review, path: Path) -> Checklist:
        from orr.checklist.load import load_checklist
        from orr.review.ops import resolve_manifest
        from orr.tomlfile import display_path

        # Reviews in one folder name their checklist the same way: key on that, and resolve
        # the path (slow, symlinks) once per distinct manifest.
        quick = (str(path.parent), review.checklist.manifest)
        found = self._quick.get(quick)
        if found is not None:
            return found
        manifest = resolve_manifest(review, path)
        key = manifest.resolve()
        if key not in self._cache:
            if not manifest.is_file():
                raise InputError(
                    f"{display_path(path)}: its checklist {review.checklist.manifest!r} is not "
                    f"there (looked for {display_path(manifest)}): fix checklist.manifest in "
                    "the review"
                )
            self._cache[key] = load_checklist(manifest)
        self._quick[quick] = self._cache[key]
        return self._cache[key]


def _edit(path: Path, who: str, fn: Callable[[Review, Checklist], T]) -> T:
    """Lock the review, read it fresh, apply ``fn``, save. An error names the review file."""
    from orr.review.store import ReviewStore
    from orr.tomlfile import display_path

    store: ReviewStore = ReviewStore(path)
    checklists = _Checklists()

    def apply(review: Review) -> T:
        checklist = checklists.for_review(review, path)
        try:
            return fn(review, checklist)
        except InputError as exc:
            if exc.problems:
                raise
            raise InputError(f"{display_path(path)}: {exc.message}") from None

    return store.transact(apply, who)


# --- review subcommands --------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest, load_checklist
    from orr.review import ops
    from orr.review.store import ReviewStore
    from orr.tomlfile import display_path

    people: list[tuple[str, str]] = []
    for item in args.stakeholder:
        name, sep, role = item.rpartition(":")
        if not sep or not name.strip() or not role.strip():
            raise InputError(f"--stakeholder {item!r}: write NAME:ROLE (e.g. 'Ann Lee:security')")
        people.append((name.strip(), role.strip()))
    if args.checklist:
        _path(args.checklist, "--checklist ")
    manifest = find_manifest(args.checklist)
    if not manifest.is_file():
        raise InputError(f"--checklist {args.checklist}: no such file")
    checklist = load_checklist(manifest)
    from orr.review.workspace import slug

    output = (
        _path(args.output, "-o ") if args.output else REVIEWS_DIR / f"{slug(args.workload)}.toml"
    )
    if output.is_dir():
        raise InputError(f"-o {output}: is a folder: give a file name")
    who = _who(args)
    review, warnings = ops.new_review(
        checklist,
        workload=args.workload,
        launch_date=args.launch_date,
        manifest=ops.manifest_ref(manifest, output),
        tier=args.tier,
        environment=args.environment,
        owner=args.owner,
        description=args.description,
        regions=args.region,
        stakeholders=people,
        who=who,
        today=_today(args),
    )
    ReviewStore(output).create(review, who)
    _warn(warnings)
    n = len(review.checklist.question_hashes)
    _out(
        f"created {terminal_safe(display_path(output))}: {n} question(s) to answer, "
        f"launch {review.workload.launch_date.isoformat()}\n"
    )
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    who = _who(args)

    def fn(review: Review, checklist: Checklist) -> tuple[list[str], str]:
        warnings = ops.set_answer(
            review,
            checklist,
            args.question,
            choices=args.choice,
            none=args.none,
            na_reason=args.na,
            na_note=args.na_note,
            notes=args.notes,
            evidence=args.evidence,
            who=who,
        )
        answer = review.answers[args.question]
        if not answer.applicable:
            state = f"not applicable ({answer.na_reason or 'no reason'})"
        elif answer.choices:
            state = f"risk {ops.current_risk(review, checklist, args.question)}"
        else:
            state = "not answered yet (notes and evidence kept)"
        return warnings, state

    warnings, state = _edit(path, who, fn)
    _warn(warnings)
    _out(f"{args.question}: {state}\n")
    return 0


def cmd_mitigate(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    who = _who(args)
    today = _today(args)

    def fn(review: Review, checklist: Checklist) -> tuple[str, bool, list[str]]:
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
            who=who,
            today=today,
        )
        return mitigation.id, mitigation.blocking, warnings

    mid, blocking, warnings = _edit(path, who, fn)
    _warn(warnings)
    _out(f"{mid} added to {args.question}{' (blocking)' if blocking else ''}\n")
    return 0


def cmd_mitigation_update(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    who = _who(args)
    today = _today(args)
    changes: dict[str, Any] = {
        k: getattr(args, k)
        for k in ("status", "owner", "due", "title", "notes", "ticket", "blocking")
        if getattr(args, k) is not None
    }
    if not changes:
        raise InputError(
            "mitigation-update: nothing to change: give --status, --owner, --due, --title, "
            "--notes, --ticket or --blocking/--no-blocking"
        )

    def fn(review: Review, checklist: Checklist) -> tuple[str, list[str]]:
        warnings = ops.update_mitigation(review, args.mitigation, who=who, today=today, **changes)
        m = review.mitigation(args.mitigation)
        assert m is not None
        return str(m.status), warnings

    status, warnings = _edit(path, who, fn)
    _warn(warnings)
    _out(f"{args.mitigation}: {status.replace('_', ' ')}\n")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    who = _who(args)
    today = _today(args)

    def fn(review: Review, checklist: Checklist) -> tuple[str, date, list[str]]:
        acceptance, warnings = ops.add_acceptance(
            review,
            checklist,
            args.question,
            approver=args.approver,
            role=args.role,
            rationale=args.rationale,
            expires=args.expires,
            controls=args.controls,
            who=who,
            today=today,
        )
        return acceptance.id, acceptance.expires, warnings

    aid, expires, warnings = _edit(path, who, fn)
    _warn(warnings)
    _out(f"{aid} added to {args.question}: risk accepted until {expires.isoformat()}\n")
    return 0


def cmd_signoff(args: argparse.Namespace) -> int:
    from orr.review import ops

    path = review_path(args.review)
    who = _who(args)
    today = _today(args)
    decision = "reject" if args.reject else "approve"

    def fn(review: Review, checklist: Checklist) -> list[str]:
        return ops.sign_off(review, checklist, args.role, args.name, decision, who=who, today=today)

    warnings = _edit(path, who, fn)
    _warn(warnings)
    verb = "rejected" if args.reject else "approved"
    _out(f"{terminal_safe(args.role)}: {verb} by {one_line(args.name)}\n")
    return 0


def cmd_rebase(args: argparse.Namespace) -> int:
    from orr.checklist.load import find_manifest, load_checklist
    from orr.review import ops
    from orr.review.store import ReviewStore

    path = review_path(args.review)
    who = _who(args)
    store = ReviewStore(path)
    if args.checklist:
        _path(args.checklist, "--checklist ")
    explicit = find_manifest(args.checklist) if args.checklist else None
    if explicit is not None and not explicit.is_file():
        raise InputError(f"--checklist {args.checklist}: no such file")

    def fn(review: Review) -> ops.RebaseResult:
        manifest = explicit or ops.resolve_manifest(review, path)
        checklist = load_checklist(manifest)
        ref = ops.manifest_ref(manifest, path) if explicit else None
        if review.checklist.content_hash == checklist.content_hash and ref in (
            None,
            review.checklist.manifest,
        ):
            raise _UpToDate()
        return ops.rebase(review, checklist, manifest=ref, who=who)

    try:
        result = store.transact(fn, who)
    except _UpToDate:
        _out("already up to date with its checklist\n")
        return 0
    lines = [
        f"rebased onto checklist {one_line(result.new_version) or '?'} "
        f"(was {one_line(result.old_version) or '?'})"
    ]
    for label, ids in (
        ("kept", result.kept),
        ("to re-confirm (question changed)", result.reconfirm),
        ("archived (question removed)", result.archived),
        ("restored, to re-confirm", result.restored),
        ("new, unanswered", result.new),
    ):
        if ids:
            lines.append(f"  {label}: {len(ids)}: {', '.join(ids)}")
    for qid, dropped in result.dropped_choices.items():
        lines.append(f"  {qid}: choices no longer offered were dropped: {', '.join(dropped)}")
    _out("\n".join(lines) + "\n")
    return 0


class _UpToDate(Exception):
    pass


# --- status --------------------------------------------------------------------------------------


def _expand(args: list[str]) -> list[Path]:
    files: list[Path] = []
    for arg in args:
        p = _path(arg)
        if p.is_dir():
            found = sorted(
                f for f in p.glob("*.toml") if f.is_file() and not f.name.startswith(".")
            )
            if not found:
                raise InputError(f"{arg}: no review files (*.toml) in this folder")
            files.extend(found)
        else:
            files.append(review_path(arg))
    return files


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], len(cell))
    lines = []
    for row in [header, *rows]:
        cells = [c.ljust(widths[i]) for i, c in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _days(n: int) -> str:
    if n > 0:
        return f"in {n} day{'s' if n != 1 else ''}"
    if n == 0:
        return "today"
    return f"{-n} day{'s' if n != -1 else ''} ago"


def _item_rows(items: list[GateItem]) -> list[list[str]]:
    rows = []
    for b in items:
        owner = one_line(b.owner, 24) if b.owner else (f"({one_line(b.role)})" if b.role else "-")
        rows.append(
            [
                str(b.kind),
                b.question or "-",
                owner,
                b.due.isoformat() if b.due else "-",
                terminal_safe(b.message),
            ]
        )
    return rows


def _single(file: str, review: Review, gate: Gate, checklist: Checklist) -> str:
    w = review.workload
    out = [
        f"{one_line(w.name)} ({terminal_safe(file)}): {gate.verdict.label}, launch "
        f"{w.launch_date.isoformat()} ({_days(gate.days_left)})"
    ]
    c = gate.counts
    out.append(
        f"checklist {one_line(checklist.manifest.name)} {one_line(review.checklist.version)}"
        f"{' (behind: rebase)' if gate.behind_checklist else ''}: {c['answered']}/"
        f"{c['questions']} answered, {c['high']} high, {c['medium']} medium finding(s), "
        f"{c['signoffs_valid']}/{c['signoffs_required']} sign-offs"
    )
    header = ["KIND", "QUESTION", "OWNER", "DUE", "WHAT TO DO"]
    if gate.blockers:
        out.append("")
        out.append(f"Blockers ({len(gate.blockers)}):")
        out.append(_table(header, _item_rows(list(gate.blockers))).rstrip("\n"))
    if gate.conditions:
        out.append("")
        out.append(f"Conditions ({len(gate.conditions)}):")
        out.append(_table(header, _item_rows(list(gate.conditions))).rstrip("\n"))
    if gate.overdue:
        out.append("")
        out.append(
            "Overdue mitigations: "
            + ", ".join(
                f"{m.id} ({m.question}, due {m.due.isoformat() if m.due else '-'}, "
                f"{one_line(m.owner, 24) or 'no owner'})"
                for m in gate.overdue
            )
        )
    if gate.expiring:
        out.append(
            "Expiring acceptances: "
            + ", ".join(
                f"{a.id} ({a.question}, expires {a.expires.isoformat()})" for a in gate.expiring
            )
        )
    return "\n".join(out) + "\n"


def cmd_status(args: argparse.Namespace) -> int:
    from orr.review.gate import Verdict, evaluate_gate
    from orr.review.store import load_review

    today = _today(args)
    files = _expand(args.reviews)
    checklists = _Checklists()
    results: list[tuple[str, Review, Gate, Checklist]] = []
    errors: list[str] = []
    for f in files:
        shown = str(f)  # as the user wrote it (display_path would resolve every file)
        try:
            review = load_review(f, shown)
            checklist = checklists.for_review(review, f)
            gate = evaluate_gate(review, checklist, today)
        except OrrError as exc:
            errors.extend(exc.lines())
            continue
        results.append((shown, review, gate, checklist))

    if args.json:
        payload = {
            "today": today.isoformat(),
            "reviews": [
                {
                    "file": shown,
                    "workload": review.workload.name,
                    "launch_date": review.workload.launch_date.isoformat(),
                    "days_left": gate.days_left,
                    "verdict": str(gate.verdict),
                    "behind_checklist": gate.behind_checklist,
                    "blockers": [b.as_dict() for b in gate.blockers],
                    "conditions": [c.as_dict() for c in gate.conditions],
                    "overdue": [m.id for m in gate.overdue],
                    "expiring": [a.id for a in gate.expiring],
                    "counts": gate.counts,
                }
                for shown, review, gate, _ in results
            ],
        }
        _out(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif len(results) == 1 and len(files) == 1:
        shown, review, gate, checklist = results[0]
        _out(_single(shown, review, gate, checklist))
    elif results:
        rows = [
            [
                one_line(review.workload.name, 40),
                review.workload.launch_date.isoformat(),
                str(gate.days_left),
                gate.verdict.label,
                str(len(gate.blockers)),
                str(len(gate.overdue)),
                str(len(gate.expiring)),
                terminal_safe(shown),
            ]
            for shown, review, gate, _ in results
        ]
        header = [
            "WORKLOAD",
            "LAUNCH",
            "DAYS",
            "VERDICT",
            "BLOCKERS",
            "OVERDUE",
            "EXPIRING",
            "FILE",
        ]
        _out(_table(header, rows))
        verdicts = [g.verdict for _, _, g, _ in results]
        _out(
            f"{len(results)} review(s): {verdicts.count(Verdict.READY)} ready, "
            f"{verdicts.count(Verdict.READY_WITH_CONDITIONS)} ready with conditions, "
            f"{verdicts.count(Verdict.NOT_READY)} not ready\n"
        )
    for line in errors:
        sys.stderr.write(terminal_safe(line) + "\n")
    if errors:
        return 2
    failing = {Verdict.NOT_READY}
    if args.fail_on == "conditions":
        failing.add(Verdict.READY_WITH_CONDITIONS)
    return 1 if any(g.verdict in failing for _, _, g, _ in results) else 0


# --- diff and report -----------------------------------------------------------------------------


def cmd_diff(args: argparse.Namespace) -> int:
    from orr.review.diff import diff_reviews, format_diff
    from orr.review.store import load_review
    from orr.tomlfile import display_path

    today = _today(args)
    old_path, new_path = review_path(args.old), review_path(args.new)
    old, new = load_review(old_path), load_review(new_path)
    checklists = _Checklists()
    new_checklist = checklists.for_review(new, new_path)
    try:
        old_checklist = checklists.for_review(old, old_path)
    except InputError:
        # An old version taken out of git often sits where its relative manifest path does not
        # resolve: judge it by the new file's checklist.
        old_checklist = new_checklist
    d = diff_reviews(old, new, old_checklist, new_checklist, today)
    if args.json:
        data = {"old": display_path(old_path), "new": display_path(new_path), **d.as_dict()}
        _out(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        _out(format_diff(d, display_path(old_path), display_path(new_path)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from orr.review.report import render_report
    from orr.review.store import load_review
    from orr.tomlfile import display_path, write_atomic

    today = _today(args)
    path = review_path(args.review)
    review = load_review(path)
    checklist = _Checklists().for_review(review, path)
    text = render_report(review, checklist, today, display_path(path))
    if args.output:
        out = _path(args.output, "-o ")
        if out.is_dir():
            raise InputError(f"-o {args.output}: is a folder: give a file name")
        try:
            write_atomic(out, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"-o {args.output}: cannot write ({exc.strerror})") from None
        sys.stderr.write(f"wrote {terminal_safe(display_path(out))}\n")
    else:
        _out(text)
    return 0
