"""`orr status`, `orr diff` and `orr report`: read reviews and their launch gate.

`orr status` exits 0 when every review is READY (or READY WITH CONDITIONS unless
``--fail-on conditions``), 1 when any is not, 2 on bad input. Every figure it prints is the
gate's (`orr.review.gate`); nothing here works a state out on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from orr.cli.common import out, path_arg, review_path, today, warn
from orr.errors import InputError
from orr.i18n import _, ngettext
from orr.textsafe import one_line, terminal_safe

if TYPE_CHECKING:
    from orr.checklist.model import Checklist
    from orr.review.gate import Gate, GateItem
    from orr.review.model import Review
    from orr.review.portfolio import Attention


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    p.add_argument(
        "--attention",
        action="store_true",
        help="only the workloads with something due (overdue actions, acceptances expiring "
        "within 30 days, stale or missing evidence, a review due); exit 1 when something is "
        "overdue",
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge dates as of this day")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("diff", help="what changed between two review files")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge the new file as of this day")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser(
        "report",
        help="the Markdown readout of a review (or of a portfolio: --portfolio DIR)",
    )
    p.add_argument("review", metavar="REVIEW", nargs="?")
    p.add_argument(
        "--portfolio",
        metavar="DIR",
        help="a page for an operations meeting: every workload of a folder, what needs "
        "attention first",
    )
    p.add_argument("-o", "--output", metavar="FILE.md")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_report)


# --- status --------------------------------------------------------------------------------------


def _expand(args: list[str]) -> list[Path]:
    files: list[Path] = []
    for arg in args:
        p = path_arg(arg)
        if p.is_dir():
            found = sorted(
                f for f in p.glob("*.toml") if f.is_file() and not f.name.startswith(".")
            )
            if not found:
                raise InputError(
                    _("{folder}: no review files (*.toml) in this folder").format(folder=arg)
                )
            files.extend(found)
        else:
            files.append(review_path(arg))
    return files


def _table(header: list[str], rows: list[list[str]]) -> str:
    """Columns lined up by the cells text takes on a terminal (a Japanese character takes two)."""
    from rich.cells import cell_len

    widths = [cell_len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], cell_len(cell))
    lines = []
    for row in [header, *rows]:
        cells = [c + " " * (widths[i] - cell_len(c)) for i, c in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _days(n: int) -> str:
    if n > 0:
        return ngettext("in {count} day", "in {count} days", n).format(count=n)
    if n == 0:
        return _("today")
    return ngettext("{count} day ago", "{count} days ago", -n).format(count=-n)


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
    out_lines = [
        _("{workload} ({file}): {verdict}, launch {date} ({days})").format(
            workload=one_line(w.name),
            file=terminal_safe(file),
            verdict=gate.verdict.label,
            date=w.launch_date.isoformat(),
            days=_days(gate.days_left),
        )
    ]
    c = gate.counts
    counts = dict(
        name=one_line(checklist.manifest.name),
        version=one_line(review.checklist.version),
        answered=c["answered"],
        questions=c["questions"],
        high=c["high"],
        medium=c["medium"],
        valid=c["signoffs_valid"],
        required=c["signoffs_required"],
    )
    out_lines.append(
        (
            _(
                "checklist {name} {version} (behind: rebase): {answered}/{questions} answered, "
                "{high} high, {medium} medium finding(s), {valid}/{required} sign-offs"
            )
            if gate.behind_checklist
            else _(
                "checklist {name} {version}: {answered}/{questions} answered, {high} high, "
                "{medium} medium finding(s), {valid}/{required} sign-offs"
            )
        ).format(**counts)
    )
    header = [_("KIND"), _("QUESTION"), _("OWNER"), _("DUE"), _("WHAT TO DO")]
    if gate.blockers:
        out_lines.append("")
        out_lines.append(_("Blockers ({count}):").format(count=len(gate.blockers)))
        out_lines.append(_table(header, _item_rows(list(gate.blockers))).rstrip("\n"))
    if gate.conditions:
        out_lines.append("")
        out_lines.append(_("Conditions ({count}):").format(count=len(gate.conditions)))
        out_lines.append(_table(header, _item_rows(list(gate.conditions))).rstrip("\n"))
    if gate.overdue:
        out_lines.append("")
        out_lines.append(
            _("Overdue mitigations: {mitigations}").format(
                mitigations=", ".join(
                    _("{id} ({question}, due {date}, {owner})").format(
                        id=m.id,
                        question=m.question,
                        date=m.due.isoformat() if m.due else "-",
                        owner=one_line(m.owner, 24) or _("no owner"),
                    )
                    for m in gate.overdue
                )
            )
        )
    wat = lens_note(file, review, checklist)
    if wat:
        out_lines.append(terminal_safe(wat))
    if gate.expiring:
        out_lines.append(
            _("Expiring acceptances: {acceptances}").format(
                acceptances=", ".join(
                    _("{id} ({question}, expires {date})").format(
                        id=a.id, question=a.question, date=a.expires.isoformat()
                    )
                    for a in gate.expiring
                )
            )
        )
    return "\n".join(out_lines) + "\n"


def lens_note(file: str, review: Review, checklist: Checklist) -> str | None:
    """What the review's workload in the WA Tool lacks, as the last sync saw it (offline)."""
    if not review.wat:
        return None
    from orr.wat.state import lens_version_note

    return lens_version_note(review, checklist, file)


def _attention_cells(a: Attention) -> tuple[str, str, str, str]:
    """Overdue, expiring, evidence and review-due cells of a portfolio row."""
    overdue = (
        _("{count} ({days}d)").format(count=len(a.overdue), days=max(d for _m, d in a.overdue))
        if a.overdue
        else "-"
    )
    expiring = min((e for _x, e in a.expiring), default=None)
    evidence = [
        *([_("{count} stale").format(count=a.evidence_stale)] if a.evidence_stale else []),
        *([_("{count} missing").format(count=a.evidence_missing)] if a.evidence_missing else []),
    ]
    return (
        overdue,
        f"{len(a.expiring)} ({expiring.isoformat()})" if expiring else "-",
        ", ".join(evidence) or "-",
        _("since {date}").format(date=a.review_due.isoformat()) if a.review_due else "-",
    )


def _attention_json(a: Attention) -> dict[str, object]:
    return {
        "due": a.due,
        "overdue": [{"mitigation": m, "days": d} for m, d in a.overdue],
        "expiring": [{"acceptance": x, "expires": e.isoformat()} for x, e in a.expiring],
        "evidence_stale": a.evidence_stale,
        "evidence_missing": a.evidence_missing,
        "review_due": a.review_due.isoformat() if a.review_due else None,
    }


def cmd_status(args: argparse.Namespace) -> int:
    from orr.review.checklists import shared_cache
    from orr.review.kinds import Verdict
    from orr.review.portfolio import portfolio

    day = today(args)
    files = _expand(args.reviews)
    cache = shared_cache()
    # As the user wrote each file (display_path would resolve every one of them).
    names = {f: str(f) for f in files}
    items = portfolio(files, day, cache, names)
    errors = [a.error for a in items if a.error]
    shown_items = [a for a in items if not a.error]
    if args.attention:
        shown_items = [a for a in shown_items if a.due]
    notes = [f"{f}: {n}" for f, n in cache.notes.items()]

    if args.json:
        payload = {
            "today": day.isoformat(),
            "reviews": [
                {
                    "file": names.get(a.path, str(a.path)),
                    "workload": a.workload,
                    **a.gate.as_dict(),
                    "attention": _attention_json(a),
                    "wat": lens_note(names.get(a.path, str(a.path)), a.review, a.checklist),
                }
                for a in shown_items
                if a.gate is not None and a.review is not None and a.checklist is not None
            ],
        }
        out(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif len(files) == 1 and len(shown_items) == 1 and not args.attention:
        a = shown_items[0]
        assert a.review is not None and a.gate is not None and a.checklist is not None  # read now
        out(_single(names[a.path], a.review, a.gate, a.checklist))
    elif shown_items:
        rows = []
        for a in shown_items:
            cells = _attention_cells(a)
            rows.append(
                [
                    one_line(a.workload, 40),
                    a.verdict.label,
                    a.launch_date.isoformat()
                    + " ("
                    + _("{days}d").format(days=f"{a.days_left:+d}")
                    + ")",
                    str(a.counts["blockers"]),
                    *cells,
                    terminal_safe(names.get(a.path, str(a.path))),
                ]
            )
        header = [
            _("WORKLOAD"),
            _("VERDICT"),
            _("LAUNCH"),
            _("BLOCKERS"),
            _("OVERDUE"),
            _("EXPIRING"),
            _("EVIDENCE"),
            _("REVIEW DUE"),
            _("FILE"),
        ]
        out(_table(header, rows))
        verdicts = [a.verdict for a in shown_items]
        out(
            _(
                "{count} workload(s): {ready} ready, {conditions} ready with conditions, "
                "{not_ready} not ready; {due} need attention"
            ).format(
                count=len(shown_items),
                ready=verdicts.count(Verdict.READY),
                conditions=verdicts.count(Verdict.READY_WITH_CONDITIONS),
                not_ready=verdicts.count(Verdict.NOT_READY),
                due=sum(1 for a in shown_items if a.due),
            )
            + "\n"
        )
    elif args.attention:
        out(_("nothing needs attention") + "\n")
    warn(notes)
    for line in errors:
        sys.stderr.write(terminal_safe(line or "") + "\n")
    if errors:
        return 2
    if args.attention:
        # For a scheduled job: fail when something is overdue (an action or a review).
        return 1 if any(a.overdue or a.review_due for a in shown_items) else 0
    failing = {Verdict.NOT_READY}
    if args.fail_on == "conditions":
        failing.add(Verdict.READY_WITH_CONDITIONS)
    return 1 if any(a.verdict in failing for a in shown_items) else 0


# --- diff and report -----------------------------------------------------------------------------


def cmd_diff(args: argparse.Namespace) -> int:
    from orr.review.checklists import load_review_checklist
    from orr.review.diff import diff_reviews, format_diff
    from orr.review.store import load_review
    from orr.tomlfile import display_path

    day = today(args)
    old_path, new_path = review_path(args.old), review_path(args.new)
    old, new = load_review(old_path), load_review(new_path)
    new_checklist = load_review_checklist(new, new_path)
    try:
        old_checklist = load_review_checklist(old, old_path)
    except InputError:
        # An old version taken out of git often sits where its relative manifest path does not
        # resolve: judge it by the new file's checklist.
        old_checklist = new_checklist
    d = diff_reviews(old, new, old_checklist, new_checklist, day)
    if args.json:
        data = {"old": display_path(old_path), "new": display_path(new_path), **d.as_dict()}
        out(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        out(format_diff(d, display_path(old_path), display_path(new_path)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from orr.review.checklists import load_review_checklist, shared_cache
    from orr.review.report import render_portfolio, render_report
    from orr.review.store import load_review
    from orr.tomlfile import display_path, write_atomic

    day = today(args)
    if args.portfolio:
        if args.review:
            raise InputError(_("report: give a REVIEW or --portfolio DIR, not both"))
        from orr.review.portfolio import portfolio

        files = _expand([args.portfolio])
        items = portfolio(files, day, shared_cache(), {f: display_path(f) for f in files})
        text = render_portfolio(items, day, display_path(args.portfolio))
    else:
        if not args.review:
            raise InputError(_("report: give a REVIEW (or --portfolio DIR)"))
        path = review_path(args.review)
        review = load_review(path)
        checklist = load_review_checklist(review, path)
        text = render_report(review, checklist, day, display_path(path))
    if args.output:
        target = path_arg(args.output, "-o ")
        if target.is_dir():
            raise InputError(_("-o {path}: is a folder: give a file name").format(path=args.output))
        write_atomic(target, text.encode("utf-8"), f"-o {args.output}")
        sys.stderr.write(_("wrote {file}").format(file=terminal_safe(display_path(target))) + "\n")
    else:
        out(text)
    return 0
