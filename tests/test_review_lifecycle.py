"""Readiness over a workload's life (issue 15): evidence that goes stale and is re-verified, the
next review started from the last, a cadence that makes a review due, and a portfolio that says
what needs attention first (the CLI, the readout and Home)."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input

from orr.cli import main
from orr.review.kinds import MitigationStatus, ReviewKind
from orr.review.store import load_review
from orr.tui.dialogs.answer import EvidenceDialog
from orr.tui.screens.home import HomeScreen
from orr.tui.screens.walkthrough import WalkthroughScreen
from tests.test_tui_support import new_app, on_top, settle, tab_to, type_text

MINI = Path(__file__).resolve().parent / "data" / "mini"
TODAY = date(2030, 12, 1)
ANSWERED = TODAY - timedelta(days=200)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini checklist with a cadence and evidence rules: runbooks need evidence no older
    than 180 days (blocking, the question is high severity), rollback evidence 90 days."""
    shutil.copytree(MINI, tmp_path / "checklists")
    manifest = tmp_path / "checklists" / "orr.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "required_signoffs", "review_every_days = 365\nrequired_signoffs", 1
        ),
        encoding="utf-8",
    )
    source = tmp_path / "checklists" / "readiness.toml"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        'id = "ops_runbooks"\n',
        'id = "ops_runbooks"\nevidence_required = true\nevidence_max_age_days = 180\n'
        "evidence_blocks = true\n",
        1,
    )
    text = text.replace(
        'id = "ops_rollback"\n', 'id = "ops_rollback"\nevidence_max_age_days = 90\n', 1
    )
    source.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def start(capsys: pytest.CaptureFixture[str], name: str, launch: date, day: date) -> str:
    code, out, err = run(
        capsys,
        "review",
        "new",
        "--workload",
        name,
        "--launch-date",
        launch.isoformat(),
        "--stakeholder",
        "Ann Lee:owner",
        "--stakeholder",
        "Sam Roe:security",
        "--today",
        day.isoformat(),
    )
    assert code == 0, err
    return out.split()[1].rstrip(":")


def answer(capsys: pytest.CaptureFixture[str], review: str, qid: str, *flags: str) -> None:
    code, _, err = run(capsys, "review", "answer", review, qid, *flags)
    assert code == 0, err


def test_evidence_past_its_age_is_stale_until_re_verified(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = start(capsys, "Payments API", ANSWERED + timedelta(days=20), ANSWERED)
    answer(
        capsys,
        review,
        "ops_runbooks",
        "--choice",
        "ops_rb_written",
        "--choice",
        "ops_rb_tested",
        "--evidence",
        f"https://wiki.example.com/load-test@{ANSWERED.isoformat()}",
    )
    _, out, _ = run(capsys, "status", review, "--json", "--today", TODAY.isoformat())
    data = json.loads(out)["reviews"][0]
    assert data["evidence"]["ops_runbooks"]["state"] == "stale"
    assert [(b["kind"], b["question"]) for b in data["blockers"] if "evidence" in b["kind"]] == [
        ("evidence_stale", "ops_runbooks")
    ]  # a high-severity question whose checklist says stale evidence blocks
    assert "200 days ago (the checklist allows 180)" in next(
        b["message"] for b in data["blockers"] if b["kind"] == "evidence_stale"
    )
    # Re-verifying the link clears it, and says so in the audit trail.
    code, out, _ = run(
        capsys, "review", "verify", review, "ops_runbooks", "--today", TODAY.isoformat()
    )
    assert (code, out) == (0, f"ops_runbooks: 1 evidence link(s) verified on {TODAY}\n")
    _, out, _ = run(capsys, "status", review, "--json", "--today", TODAY.isoformat())
    data = json.loads(out)["reviews"][0]
    assert data["evidence"] == {}
    assert load_review(Path(review)).audit[-1].action == "evidence"


def test_required_evidence_that_is_missing_is_said(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = start(capsys, "Payments API", TODAY + timedelta(days=20), TODAY)
    answer(
        capsys, review, "ops_runbooks", "--choice", "ops_rb_written", "--choice", "ops_rb_tested"
    )
    _, out, _ = run(capsys, "status", review, "--json", "--today", TODAY.isoformat())
    data = json.loads(out)["reviews"][0]
    assert data["evidence"]["ops_runbooks"]["state"] == "missing"
    assert data["counts"]["evidence_missing"] == 1


def test_the_next_review_starts_from_the_last(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = start(capsys, "Payments API", ANSWERED + timedelta(days=20), ANSWERED)
    day = ANSWERED.isoformat()
    answer(
        capsys,
        old,
        "ops_runbooks",
        "--choice",
        "ops_rb_written",
        "--choice",
        "ops_rb_tested",
        "--notes",
        "runbooks in the wiki",
        "--evidence",
        f"https://wiki.example.com/runbooks@{day}",
    )
    answer(capsys, old, "ops_alarms", "--choice", "ops_al_kpi", "--choice", "ops_al_paging")
    answer(capsys, old, "sec_encryption", "--na", "OUT_OF_SCOPE")
    answer(capsys, old, "ops_rollback", "--none")
    for title, status in (("Automate rollback", "open"), ("Write the plan", "done")):
        code, _, err = run(
            capsys,
            "review",
            "mitigate",
            old,
            "ops_rollback",
            "--title",
            title,
            "--owner",
            "Ann Lee",
            "--due",
            (TODAY + timedelta(days=10)).isoformat(),
            "--status",
            status,
        )
        assert code == 0, err
    code, _, err = run(
        capsys,
        "review",
        "signoff",
        old,
        "--role",
        "owner",
        "--name",
        "Ann Lee",
        "--user",
        "Ann Lee",
    )
    assert code == 0, err
    before = Path(old).read_bytes()

    code, out, err = run(capsys, "review", "new", "--from", old, "--today", TODAY.isoformat())
    assert code == 0, err
    new = "reviews/payments-api-2.toml"
    assert out.startswith(f"created {new}: the periodic review of Payments API, from {old}")
    assert Path(old).read_bytes() == before  # the old file is not touched
    review = load_review(Path(new))
    assert (review.kind, review.follows) == (ReviewKind.PERIODIC, "payments-api.toml")
    # Answers, notes and evidence (with its date) carry over.
    runbooks = review.answers["ops_runbooks"]
    assert runbooks.choices == ["ops_rb_written", "ops_rb_tested"]
    assert runbooks.notes == "runbooks in the wiki"
    assert [(e.url, e.verified_on) for e in runbooks.evidence] == [
        ("https://wiki.example.com/runbooks", ANSWERED)
    ]
    # Stale evidence and not-applicable answers wait for a re-confirmation; the rest do not.
    assert runbooks.reconfirm is True
    assert review.answers["sec_encryption"].reconfirm is True
    assert review.answers["ops_alarms"].reconfirm is False
    assert "ops_runbooks: its evidence is out of date" in out
    assert "sec_encryption: it was marked not applicable" in out
    # Open mitigations carry over, done ones do not; sign-offs never.
    assert [(m.title, m.status) for m in review.mitigations] == [
        ("Automate rollback", MitigationStatus.OPEN)
    ]
    assert review.signoffs == []
    # The launch date is a new go / no-go date: 30 days on, the old one having passed.
    assert review.workload.launch_date == TODAY + timedelta(days=30)
    # orr diff says what changed between the two.
    code, out, _ = run(capsys, "diff", old, new, "--today", TODAY.isoformat())
    assert code == 0 and "kind: pre_launch -> periodic" in out and "- owner: approve" in out


def portfolio(capsys: pytest.CaptureFixture[str]) -> None:
    """Four workloads: an acceptance expiring in 10 days (Checkout), a mitigation 12 days late
    (Search), a yearly review due (Billing) and nothing due (Quiet)."""
    # Expiring: an acceptance that runs out in 10 days.
    expiring = start(capsys, "Checkout", TODAY + timedelta(days=40), TODAY - timedelta(days=5))
    answer(capsys, expiring, "ops_rollback", "--none")
    code, _, err = run(
        capsys,
        "review",
        "accept",
        expiring,
        "ops_rollback",
        "--approver",
        "Ann Lee",
        "--role",
        "owner",
        "--expires",
        (TODAY + timedelta(days=10)).isoformat(),
        "--rationale",
        "manual rollback drilled",
        "--today",
        (TODAY - timedelta(days=5)).isoformat(),
    )
    assert code == 0, err
    # Overdue: a mitigation 12 days late.
    overdue = start(capsys, "Search", TODAY + timedelta(days=60), TODAY - timedelta(days=30))
    answer(capsys, overdue, "ops_rollback", "--none")
    code, _, err = run(
        capsys,
        "review",
        "mitigate",
        overdue,
        "ops_rollback",
        "--title",
        "Automate rollback",
        "--owner",
        "Sam Roe",
        "--due",
        (TODAY - timedelta(days=12)).isoformat(),
        "--today",
        (TODAY - timedelta(days=30)).isoformat(),
    )
    assert code == 0, err
    # Review due: launched 400 days ago, yearly reviews.
    start(capsys, "Billing", TODAY - timedelta(days=400), TODAY - timedelta(days=430))
    # Nothing due: a review just started, launch far ahead.
    start(capsys, "Quiet", TODAY + timedelta(days=90), TODAY)


def test_a_portfolio_lists_what_needs_attention_first(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portfolio(capsys)
    code, out, err = run(capsys, "status", "reviews", "--attention", "--today", TODAY.isoformat())
    assert code == 1, err  # something is overdue: a scheduled job fails
    rows = [line.split("  ")[0] for line in out.splitlines()[1:-1]]
    assert rows == ["Search", "Checkout", "Billing"]  # most urgent first; Quiet left out
    assert "1 (12d)" in out and "since " in out
    _, out, _ = run(capsys, "status", "reviews", "--json", "--today", TODAY.isoformat())
    data = {r["workload"]: r["attention"] for r in json.loads(out)["reviews"]}
    assert data["Search"]["overdue"] == [{"mitigation": "M1", "days": 12}]
    assert data["Checkout"]["expiring"] == [
        {"acceptance": "A1", "expires": (TODAY + timedelta(days=10)).isoformat()}
    ]
    assert data["Billing"]["review_due"] == (TODAY - timedelta(days=400 - 365)).isoformat()
    assert data["Quiet"]["due"] is False

    # The same as a Markdown page for an operations meeting.
    code, _, err = run(
        capsys,
        "report",
        "--portfolio",
        "reviews",
        "-o",
        "ops.md",
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, err
    page = Path("ops.md").read_text(encoding="utf-8")
    assert "## Needs attention (3)" in page and "## The rest (1)" in page
    assert page.index("| Search") < page.index("| Checkout") < page.index("| Billing")


async def test_home_lists_what_needs_attention_first(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portfolio(capsys)
    app = new_app(workspace=workspace, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [a.workload for a in home.reviews] == ["Search", "Checkout", "Billing", "Quiet"]
        table = home.query_one("#reviews", DataTable)
        cells = [table.get_cell_at(Coordinate(row, 5)).plain for row in range(4)]
        assert cells[0].startswith("1 overdue (12d)")
        assert cells[1].startswith("1 expiring")
        assert "review due" in cells[2]
        assert cells[3] == "·"
        # f starts the next review of the highlighted workload from it.
        await pilot.press("down", "down", "f")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Path("reviews/billing-2.toml").is_file()
        assert load_review(Path("reviews/billing-2.toml")).follows == "billing.toml"


async def test_evidence_is_dated_and_re_verified_in_the_walkthrough(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = start(capsys, "Payments API", TODAY + timedelta(days=20), TODAY)
    answer(capsys, review, "ops_runbooks", "--choice", "ops_rb_written")
    app = new_app(review=Path(review), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        walk.go_to("ops_runbooks")
        await pilot.pause()
        # A link checked 200 days ago: its date is typed in the dialog (today unless changed).
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        assert dialog.query_one("#ev-verified", Input).value == TODAY.isoformat()
        await type_text(pilot, "https://wiki.example.com/load-test")
        await tab_to(pilot, "#ev-verified")
        await pilot.press("end", *["backspace"] * 10)
        await type_text(pilot, (TODAY + timedelta(days=1)).isoformat())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # a day to come is refused
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, ANSWERED.isoformat())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert on_top(app, walk)
        evidence = load_review(Path(review)).answers["ops_runbooks"].evidence
        assert [(e.url, e.verified_on) for e in evidence] == [
            ("https://wiki.example.com/load-test", ANSWERED)
        ]
        assert app.session is not None
        assert "ops_runbooks" in app.session.gate.evidence
        # v: checked again today; the stale evidence is gone from the gate.
        await pilot.press("v")
        await settle(pilot)
        evidence = load_review(Path(review)).answers["ops_runbooks"].evidence
        assert [e.verified_on for e in evidence] == [TODAY]
        assert "ops_runbooks" not in app.session.gate.evidence
