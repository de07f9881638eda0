"""The review commands through `orr.cli.main`, and one whole review run as real processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import orr
from orr.cli import main
from orr.review.model import Review
from orr.review.store import load_review
from tests.test_review_support import MINI_DIR

REVIEW = "reviews/payments-api.toml"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the mini checklist as ./checklists, the working folder of the test."""
    shutil.copytree(MINI_DIR, tmp_path / "checklists")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def start(capsys: pytest.CaptureFixture[str], *extra: str) -> None:
    code, out, err = run(
        capsys,
        "review",
        "new",
        "--workload",
        "Payments API",
        "--launch-date",
        "2030-01-20",
        "--stakeholder",
        "Ann Lee:owner",
        "--stakeholder",
        "Sam:security",
        "--owner",
        "Ann Lee",
        "--today",
        "2030-01-01",
        *extra,
    )
    assert (code, err) == (0, ""), err
    assert out == f"created {REVIEW}: 5 question(s) to answer (every question), launch 2030-01-20\n"


def answer_everything(capsys: pytest.CaptureFixture[str]) -> None:
    for qid, choices in [
        ("ops_runbooks", ["ops_rb_written", "ops_rb_tested"]),
        ("ops_rollback", ["ops_rb_auto"]),
        ("sec_least_privilege", ["sec_lp_scoped", "sec_lp_reviewed"]),
        ("sec_encryption", ["sec_enc_rest", "sec_enc_transit"]),
    ]:
        args = [a for c in choices for a in ("--choice", c)]
        assert run(capsys, "review", "answer", REVIEW, qid, *args)[0] == 0
    code, out, _ = run(
        capsys,
        "review",
        "answer",
        REVIEW,
        "ops_alarms",
        "--na",
        "OUT_OF_SCOPE",
        "--na-note",
        "batch job, nobody to page",
    )
    assert (code, out) == (0, "ops_alarms: not applicable (OUT_OF_SCOPE)\n")


def status_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "status", *args, "--json", "--today", "2030-01-01")
    assert err == ""
    return code, json.loads(out)


def test_a_whole_review_from_new_to_ready(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    review = load_review(REVIEW)
    assert review.checklist.manifest == "../checklists/orr.toml"
    assert review.audit[0].who == "tester"  # from ORR_USER

    code, data = status_json(capsys, REVIEW)
    assert code == 1
    (entry,) = data["reviews"]
    assert entry["verdict"] == "NOT_READY"
    assert [b["kind"] for b in entry["blockers"]].count("unanswered") == 5

    answer_everything(capsys)
    code, out, err = run(
        capsys,
        "review",
        "answer",
        REVIEW,
        "ops_runbooks",
        "--none",
        "--notes",
        "no runbooks yet",
        "--user",
        "Ann Lee",
    )
    assert (code, out) == (0, "ops_runbooks: risk HIGH_RISK\n")
    assert "HIGH risk finding: add a mitigation" in err
    code, out, err = run(
        capsys,
        "review",
        "mitigate",
        REVIEW,
        "ops_runbooks",
        "--title",
        "Write the runbooks",
        "--owner",
        "Ann Lee",
        "--due",
        "2030-01-15",
        "--ticket",
        "https://jira.example.com/OPS-1",
    )
    assert (code, out, err) == (0, "M1 added to ops_runbooks (blocking)\n", "")
    code, out, _ = run(
        capsys, "review", "answer", REVIEW, "ops_rollback", "--choice", "ops_rb_manual"
    )
    assert out == "ops_rollback: risk MEDIUM_RISK\n"
    code, out, _ = run(
        capsys,
        "review",
        "accept",
        REVIEW,
        "ops_rollback",
        "--approver",
        "Bo",
        "--role",
        "owner",
        "--expires",
        "2030-06-30",
        "--rationale",
        "manual rollback rehearsed",
        "--controls",
        "on-call drill",
        "--today",
        "2030-01-01",
    )
    assert (code, out) == (0, "A1 added to ops_rollback: risk accepted until 2030-06-30\n")

    code, out, _ = run(capsys, "status", REVIEW, "--today", "2030-01-01")
    assert code == 1
    assert out.splitlines()[0] == (
        f"Payments API ({REVIEW}): NOT READY, launch 2030-01-20 (in 19 days)"
    )
    # One line for the finding, its mitigation listed under it (not a second blocker).
    assert re.search(
        r"high_finding +ops_runbooks +Ann Lee +2030-01-15 +HIGH risk with neither a done "
        r"mitigation nor a valid risk acceptance \(M1 'Write the runbooks' is open, due "
        r"2030-01-15\)",
        out,
    )
    assert "blocking_mitigation" not in out

    assert run(capsys, "review", "mitigation-update", REVIEW, "M1", "--status", "done")[1] == (
        "M1: done\n"
    )
    for role, name in (("owner", "Ann Lee"), ("security", "Sam")):
        code, out, err = run(capsys, "review", "signoff", REVIEW, "--role", role, "--name", name)
        assert (code, out, err) == (0, f"{role}: approved by {name}\n", "")

    code, data = status_json(capsys, REVIEW)
    (entry,) = data["reviews"]
    assert (code, entry["verdict"], entry["blockers"]) == (0, "READY_WITH_CONDITIONS", [])
    assert [c["kind"] for c in entry["conditions"]] == ["risk_acceptance"]
    assert run(capsys, "status", REVIEW, "--fail-on", "conditions")[0] == 1

    # Fix the rollback for real: the acceptance no longer matters, but the approvals are stale.
    run(capsys, "review", "answer", REVIEW, "ops_rollback", "--choice", "ops_rb_auto")
    code, data = status_json(capsys, REVIEW)
    (entry,) = data["reviews"]
    assert [b["kind"] for b in entry["blockers"]] == ["signoff_stale", "signoff_stale"]
    for role, name in (("owner", "Ann Lee"), ("security", "Sam")):
        run(capsys, "review", "signoff", REVIEW, "--role", role, "--name", name)
    code, data = status_json(capsys, REVIEW)
    assert (code, data["reviews"][0]["verdict"]) == (0, "READY")
    code, out, _ = run(capsys, "status", REVIEW, "--fail-on", "conditions", "--today", "2030-01-01")
    assert code == 0 and "READY, launch 2030-01-20" in out

    review = load_review(REVIEW)
    assert review.answers["ops_runbooks"].answered_by == "Ann Lee"
    assert [e.action for e in review.audit].count("signoff") == 4


def test_status_json_has_the_published_shape(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    _code, data = status_json(capsys, REVIEW)
    entry = data["reviews"][0]
    assert {"file", "workload", "launch_date", "verdict", "blockers", "counts"} <= set(entry)
    assert entry["file"] == REVIEW and entry["launch_date"] == "2030-01-20"
    assert set(entry["blockers"][0]) == {
        "kind",
        "question",
        "role",
        "owner",
        "due",
        "message",
        "mitigations",
    }
    assert entry["blockers"][0] == {
        "kind": "unanswered",
        "question": "ops_runbooks",
        "role": "owner",
        "owner": "Ann Lee",
        "due": None,
        "message": entry["blockers"][0]["message"],
        "mitigations": [],
    }
    assert entry["counts"]["questions"] == 5


def test_status_of_a_folder_is_a_portfolio(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    code, _, _ = run(
        capsys,
        "review",
        "new",
        "--workload",
        "Ledger \x1b[31m",
        "--launch-date",
        "2030-02-01",
        "--tier",
        "core",
        "-o",
        "reviews/ledger.toml",
    )
    assert code == 0
    code, out, err = run(capsys, "status", "reviews", "--today", "2030-01-01")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == [
        "WORKLOAD",
        "VERDICT",
        "LAUNCH",
        "BLOCKERS",
        "OVERDUE",
        "EXPIRING",
        "EVIDENCE",
        "REVIEW",
        "DUE",
        "FILE",
    ]
    # Soonest launch first when nothing is due.
    assert lines[1].startswith("Payments API") and "2030-01-20 (+19d)" in lines[1]
    assert "Ledger \\x1b[31m" in lines[2] and "\x1b" not in out  # shown, never acted on
    # 2 questions in tier core and 2 sign-offs: 4 blockers.
    assert re.search(r"NOT READY +2030-02-01 \(\+31d\) +4 ", lines[2])
    assert lines[-1] == (
        "2 workload(s): 0 ready, 0 ready with conditions, 2 not ready; 0 need attention"
    )


def test_overdue_and_days_left_follow_today(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    run(capsys, "review", "answer", REVIEW, "ops_alarms", "--choice", "ops_al_kpi")
    run(
        capsys,
        "review",
        "mitigate",
        REVIEW,
        "ops_alarms",
        "--title",
        "Page",
        "--owner",
        "Ann",
        "--due",
        "2030-01-10",
    )
    _, on_time = status_json(capsys, REVIEW)
    _code, out, _ = run(capsys, "status", REVIEW, "--json", "--today", "2030-01-11")
    late = json.loads(out)
    assert on_time["reviews"][0]["overdue"] == []
    assert late["reviews"][0]["overdue"] == ["M1"]
    assert late["reviews"][0]["days_left"] == 9
    again = json.loads(run(capsys, "status", REVIEW, "--json", "--today", "2030-01-11")[1])
    assert again == late


def test_status_says_when_a_review_is_behind_its_checklist_and_rebase_fixes_it(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    answer_everything(capsys)
    source = workspace / "checklists" / "readiness.toml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Do alarms page a human", "Do alarms page a person"), "utf-8")
    manifest = workspace / "checklists" / "orr.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('version = "1.0"', 'version = "1.1"'),
        "utf-8",
    )
    code, out, _ = run(capsys, "status", REVIEW, "--today", "2030-01-01")
    assert "(behind: rebase)" in out.splitlines()[1]
    assert "checklist_changed" in out and "version 1.0 -> 1.1" in out
    code, out, err = run(capsys, "review", "rebase", REVIEW)
    assert code == 0, err
    assert out.splitlines() == [
        "rebased onto checklist 1.1 (was 1.0)",
        "  kept: 4: ops_runbooks, ops_rollback, sec_least_privilege, sec_encryption",
        "  to re-confirm (question changed): 1: ops_alarms",
    ]
    code, data = status_json(capsys, REVIEW)
    blockers = data["reviews"][0]["blockers"]
    assert ("checklist_changed", "ops_alarms") in [(b["kind"], b["question"]) for b in blockers]
    assert run(capsys, "review", "rebase", REVIEW)[1] == "already up to date with its checklist\n"


def test_diff_and_report_commands(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(capsys)
    shutil.copy(REVIEW, "old.toml")
    run(capsys, "review", "answer", REVIEW, "ops_runbooks", "--none")
    code, out, _ = run(capsys, "diff", "old.toml", REVIEW, "--today", "2030-01-01")
    assert code == 0
    assert "  ops_runbooks (added): +ops_runbooks_no" in out
    assert "  opened ops_runbooks (HIGH_RISK)" in out
    code, out, _ = run(capsys, "diff", "old.toml", REVIEW, "--json")
    data = json.loads(out)
    assert data["findings_opened"] == [{"question": "ops_runbooks", "risk": "HIGH_RISK"}]
    assert data["old"] == "old.toml"

    code, out, err = run(capsys, "report", REVIEW, "-o", "out/report.md", "--today", "2030-01-01")
    assert (code, out, err) == (0, "", "wrote out/report.md\n")
    text = (workspace / "out" / "report.md").read_text(encoding="utf-8")
    assert "### `ops_runbooks`" in text and "**NOT READY**" in text
    assert run(capsys, "report", REVIEW, "--today", "2030-01-01")[1] == text


def test_diff_judges_an_old_copy_whose_checklist_path_does_not_resolve_by_the_new_one(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    os.makedirs("elsewhere/deep")
    shutil.copy(REVIEW, "elsewhere/deep/old.toml")
    code, out, err = run(capsys, "diff", "elsewhere/deep/old.toml", REVIEW)
    assert (code, err) == (0, "") and out.endswith("no changes\n")


BAD_ARGS: list[tuple[list[str], str]] = [
    (
        ["review", "answer", REVIEW, "ops_runbook", "--none"],
        f"{REVIEW}: question 'ops_runbook' is not in the checklist (did you mean 'ops_runbooks'?)",
    ),
    (
        ["review", "answer", REVIEW, "ops_runbooks", "--choice", "ops_rb_writen"],
        f"{REVIEW}: 'ops_rb_writen' is not a choice of question ops_runbooks (did you mean "
        "'ops_rb_written'?) (choices: ops_rb_written, ops_rb_tested, ops_runbooks_no)",
    ),
    (
        ["review", "answer", REVIEW, "ops_runbooks", "--choice", "ops_rb_written", "--none"],
        f'{REVIEW}: "None of these" (ops_runbooks_no) cannot be selected together with '
        "ops_rb_written: it stands alone",
    ),
    (
        ["review", "answer", REVIEW, "ops_runbooks", "--na-note", "not ours"],
        f"{REVIEW}: question ops_runbooks: a not-applicable answer needs a reason: give --na with "
        "one of OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER",
    ),
    (
        ["review", "answer", REVIEW, "ops_runbooks", "--na", "LATER"],
        f"{REVIEW}: not-applicable reason 'LATER' is not allowed: use one of OUT_OF_SCOPE, "
        "BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER",
    ),
    (
        ["review", "answer", "reviews/nope.toml", "ops_runbooks", "--none"],
        "reviews/nope.toml: no such review file",
    ),
    (
        [
            "review",
            "mitigate",
            REVIEW,
            "ops_runbooks",
            "--title",
            "t",
            "--owner",
            "o",
            "--due",
            "2030-02-30",
        ],
        f"{REVIEW}: due date '2030-02-30' is not a date: write YYYY-MM-DD",
    ),
    (
        [
            "review",
            "mitigate",
            REVIEW,
            "ops_runbooks",
            "--title",
            "t",
            "--owner",
            "o",
            "--due",
            "2030-02-01",
            "--status",
            "finished",
        ],
        f"{REVIEW}: mitigation status 'finished' is not allowed: use one of open, in_progress, done, withdrawn",
    ),
    (
        ["review", "mitigation-update", REVIEW, "M7", "--status", "done"],
        f"{REVIEW}: mitigation 'M7' is not in the review (mitigations: none)",
    ),
    (
        ["review", "mitigation-update", REVIEW, "M1"],
        "mitigation-update: nothing to change: give --status, --owner, --due, --title, --notes, "
        "--ticket or --blocking/--no-blocking",
    ),
    (
        [
            "review",
            "accept",
            REVIEW,
            "ops_runbooks",
            "--approver",
            "Bo",
            "--role",
            "cfo",
            "--expires",
            "2030-06-01",
            "--rationale",
            "r",
        ],
        f"{REVIEW}: role 'cfo' is not a role of the checklist (roles: owner, security)",
    ),
    (
        [
            "review",
            "accept",
            REVIEW,
            "ops_runbooks",
            "--approver",
            "Bo",
            "--role",
            "owner",
            "--expires",
            "2029-06-01",
            "--rationale",
            "r",
            "--today",
            "2030-01-01",
        ],
        f"{REVIEW}: expiry date 2029-06-01 is not after today (2030-01-01): an acceptance that has "
        "already expired counts as absent",
    ),
    (
        ["review", "signoff", REVIEW, "--role", "securty", "--name", "Sam"],
        f"{REVIEW}: role 'securty' is not a role of the checklist (did you mean 'security'?) "
        "(roles: owner, security)",
    ),
    (
        ["review", "new", "--workload", "X", "--launch-date", "20300101"],
        "launch date '20300101' is not a date: write YYYY-MM-DD",
    ),
    (
        ["review", "new", "--workload", "X", "--launch-date", "2030-01-01", "--stakeholder", "Ann"],
        "--stakeholder 'Ann': write NAME:ROLE (e.g. 'Ann Lee:security')",
    ),
    (
        ["review", "new", "--workload", "X", "--launch-date", "2030-01-01", "--tier", "full"],
        "tier 'full' is not a tier of checklists/orr.toml (tiers: core)",
    ),
    (
        [
            "review",
            "new",
            "--workload",
            "Payments API",
            "--launch-date",
            "2030-01-01",
            "-o",
            REVIEW,
        ],
        f"{REVIEW}: already exists: a new review never overwrites a file (give another name, "
        "or leave it out to have one chosen)",
    ),
    (
        [
            "review",
            "new",
            "--workload",
            "X",
            "--launch-date",
            "2030-01-01",
            "--checklist",
            "nope.toml",
        ],
        "--checklist nope.toml: no such file",
    ),
    (
        ["status", REVIEW, "--today", "tomorrow"],
        "--today 'tomorrow' is not a date: write YYYY-MM-DD",
    ),
    (["status", "checklists/nothing"], "checklists/nothing: no such review file"),
    (["diff", REVIEW, "missing.toml"], "missing.toml: no such review file"),
    (["report", REVIEW, "-o", "checklists"], "-o checklists: is a folder: give a file name"),
]


@pytest.mark.parametrize(("args", "message"), BAD_ARGS, ids=[" ".join(a[:3]) for a, _ in BAD_ARGS])
def test_bad_arguments_get_one_clear_line_and_exit_2(
    workspace: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    start(capsys)
    before = Path(REVIEW).read_bytes()
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err == message + "\n"
    assert Path(REVIEW).read_bytes() == before  # nothing written


def test_usage_errors_exit_2(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "review", "mitigate", REVIEW, "ops_runbooks", "--owner", "o")
    assert code == 2 and out == ""
    assert "the following arguments are required: --title, --due" in err
    code, _, err = run(capsys, "status", REVIEW, "--fail-on", "everything")
    assert code == 2 and "invalid choice: 'everything'" in err


def test_status_of_a_malformed_review_exits_2_with_file_and_line(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    shutil.copy(REVIEW, "reviews/good.toml")
    bad = Path("reviews/bad.toml")
    bad.write_text(
        Path(REVIEW)
        .read_text(encoding="utf-8")
        .replace('environment = "production"', 'environment = "prod"'),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "status", "reviews", "--today", "2030-01-01")
    assert code == 2
    line = bad.read_text(encoding="utf-8").splitlines().index('environment = "prod"') + 1
    assert err == (
        f"reviews/bad.toml:{line}: workload.environment: 'prod' is not allowed: use 'production' or "
        "'preproduction'\n"
    )
    assert "reviews/good.toml" in out  # the others are still shown


def test_a_review_whose_checklist_is_gone(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    shutil.rmtree("checklists")
    code, _, err = run(capsys, "status", REVIEW)
    assert code == 2
    assert err == (
        f"{REVIEW}: needs mini_orr 1.0 from '../checklists/orr.toml', which is not there "
        "(looked for checklists/orr.toml): put the checklist back or point checklist.manifest "
        "at it\n"
    )


def test_new_review_where_a_file_stands_in_for_the_folder_is_one_clear_line(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    code, out, err = run(
        capsys,
        "review",
        "new",
        "--workload",
        "Other",
        "--launch-date",
        "2030-01-20",
        "-o",
        f"{REVIEW}/other.toml",
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"{REVIEW}/other.toml: cannot create the lock file (")
    assert "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["status", "a" * 300],
        ["review", "answer", "a" * 300, "ops_runbooks", "--none"],
        ["diff", "a" * 300, REVIEW],
        ["report", REVIEW, "-o", "a" * 300],
        ["review", "new", "--workload", "W", "--launch-date", "2030-01-20", "-o", "a" * 300],
        [
            "review",
            "new",
            "--workload",
            "W",
            "--launch-date",
            "2030-01-20",
            "--checklist",
            "a" * 300,
        ],
        ["review", "rebase", REVIEW, "--checklist", "a" * 300],
    ],
    ids=["status", "answer", "diff", "report -o", "new -o", "new --checklist", "rebase"],
)
def test_a_path_too_long_for_the_system_is_one_clear_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    start(capsys)
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "cannot use this path (" in err


def test_rebase_and_accept_print_no_raw_control_characters(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    manifest = workspace / "checklists" / "orr.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'version = "1.0"', 'version = "1.1\\u001b[31m"'
        ),
        "utf-8",
    )
    code, out, err = run(capsys, "review", "rebase", REVIEW)
    assert code == 0, err
    assert out.splitlines()[0] == "rebased onto checklist 1.1\\x1b[31m (was 1.0)"
    run(capsys, "review", "answer", REVIEW, "ops_runbooks", "--none")
    code, out, err = run(
        capsys,
        "review",
        "accept",
        REVIEW,
        "ops_runbooks",
        "--approver",
        "Bo",
        "--role",
        "owner",
        "--expires",
        "2030-06-01\x1f",  # str.strip() takes the unit separator for white space
        "--rationale",
        "r",
        "--today",
        "2030-01-01",
    )
    assert code == 0, err
    assert out == "A1 added to ops_runbooks: risk accepted until 2030-06-01\n"


def test_diff_shows_roles_from_the_file_safely(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    shutil.copy(REVIEW, "old.toml")
    text = Path(REVIEW).read_text(encoding="utf-8")
    Path(REVIEW).write_text(
        text.replace(
            "signoffs = []",
            'signoffs = [{ role = "x\\u001b[2J", name = "Ann", decision = "approve", '
            'at = 2030-01-02T00:00:00Z, answers_hash = "sha256:0" }]',
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "diff", "old.toml", REVIEW, "--today", "2030-01-01")
    assert code == 0, err
    assert "\x1b" not in out
    assert "  + x\\x1b[2J: approve by Ann" in out


def test_a_checklist_path_with_a_nul_is_a_problem_of_the_file(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    text = Path(REVIEW).read_text(encoding="utf-8")
    Path(REVIEW).write_text(
        text.replace('manifest = "../checklists/orr.toml"', 'manifest = "\\u0000"'), "utf-8"
    )
    line = text.splitlines().index('manifest = "../checklists/orr.toml"') + 1
    for args in (["status", REVIEW], ["review", "answer", REVIEW, "ops_runbooks", "--none"]):
        code, out, err = run(capsys, *args)
        assert (code, out) == (2, "")
        assert err == (
            f"{REVIEW}:{line}: checklist.manifest: '\\x00': is not a path: it holds a NUL "
            "character\n"
        )


def test_user_before_or_after_the_subcommand(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    assert run(capsys, "review", "--user", "Top", "answer", REVIEW, "ops_alarms", "--none")[0] == 0
    assert load_review(REVIEW).answers["ops_alarms"].answered_by == "Top"
    assert (
        run(capsys, "review", "answer", REVIEW, "ops_alarms", "--notes", "n", "--user", "Sub")[0]
        == 0
    )
    assert load_review(REVIEW).answers["ops_alarms"].answered_by == "Sub"
    assert run(capsys, "review", "answer", REVIEW, "ops_alarms", "--notes", "m")[0] == 0
    assert load_review(REVIEW).answers["ops_alarms"].answered_by == "tester"  # $ORR_USER


def test_a_review_name_finds_the_file_in_reviews(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    code, out, _ = run(capsys, "review", "answer", "payments-api", "ops_runbooks", "--none")
    assert (code, out) == (0, "ops_runbooks: risk HIGH_RISK\n")


# --- real processes -----------------------------------------------------------------------------


def test_a_whole_review_as_processes(tmp_path: Path) -> None:
    shutil.copytree(MINI_DIR, tmp_path / "checklists")
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(orr.__file__).resolve().parent.parent),
        "ORR_USER": "facilitator",
    }

    def orr_cli(*args: str, code: int = 0) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "orr", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == code, (args, done.stdout, done.stderr)
        return done.stdout

    orr_cli(
        "review",
        "new",
        "--workload",
        "Billing",
        "--launch-date",
        "2030-03-01",
        "--stakeholder",
        "Ann:owner",
        "--stakeholder",
        "Sam:security",
    )
    review = "reviews/billing.toml"
    assert json.loads(orr_cli("status", review, "--json", code=1))["reviews"][0]["verdict"] == (
        "NOT_READY"
    )
    orr_cli(
        "review",
        "answer",
        review,
        "ops_runbooks",
        "--choice",
        "ops_rb_written",
        "--choice",
        "ops_rb_tested",
        "--evidence",
        "https://wiki.example.com/runbooks",
    )
    orr_cli("review", "answer", review, "ops_alarms", "--none")
    orr_cli(
        "review",
        "mitigate",
        review,
        "ops_alarms",
        "--title",
        "Page on KPIs",
        "--owner",
        "Ann",
        "--due",
        "2030-02-01",
        "--blocking",
    )
    orr_cli("review", "answer", review, "ops_rollback", "--choice", "ops_rb_auto")
    orr_cli(
        "review",
        "answer",
        review,
        "sec_least_privilege",
        "--choice",
        "sec_lp_scoped",
        "--choice",
        "sec_lp_reviewed",
    )
    orr_cli(
        "review",
        "answer",
        review,
        "sec_encryption",
        "--na",
        "ARCHITECTURE_CONSTRAINTS",
        "--na-note",
        "no data at rest",
    )
    orr_cli("review", "mitigation-update", review, "M1", "--status", "done")
    orr_cli("review", "signoff", review, "--role", "owner", "--name", "Ann")
    orr_cli("review", "signoff", review, "--role", "security", "--name", "Sam")
    out = orr_cli("status", review, "--today", "2030-01-01")
    assert out.startswith(f"Billing ({review}): READY, launch 2030-03-01 (in 59 days)\n")
    assert orr_cli("status", "reviews", "--fail-on", "conditions", "--today", "2030-01-01")
    assert "**READY**" in orr_cli("report", review)


def test_status_says_when_the_workload_in_the_wa_tool_is_on_an_older_lens_version(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start(capsys)
    from orr.review.store import ReviewStore

    def synced(review: Review) -> None:
        review.wat.update(
            {
                "workload_id": "abc123",
                "lens_version": "1.0",
                "lens_status": "NOT_CURRENT",
                "lens_latest": "2.0",
            }
        )

    ReviewStore(Path(REVIEW)).transact(synced, "t")
    _, out, _ = run(capsys, "status", REVIEW, "--today", "2030-01-01")
    assert (
        "WA Tool: workload abc123 is on lens version 1.0; version 2.0 is published: run orr wat "
        f"sync {REVIEW} --upgrade"
    ) in out
    _, out, _ = run(capsys, "status", REVIEW, "--json", "--today", "2030-01-01")
    assert "version 2.0 is published" in json.loads(out)["reviews"][0]["wat"]
