"""--dry-run: one JSON object per line (operation and parameters), no call made, nothing written.
Also: orr --help and the core package do not import boto3."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orr.checklist import load_checklist
from orr.cli import main
from orr.lens.export import export_lens
from orr.review.model import Review
from orr.review.ops import load_review_checklist, set_answer
from orr.review.store import ReviewStore
from orr.wat.client import connect
from orr.wat.lens import push_lens
from orr.wat.sync import sync_review
from tests.wa_standin import (
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_big_checklist(tmp_path / "checklists")


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_push_dry_run_without_credentials_or_network(
    manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No credentials in the environment (conftest), no endpoint: nothing may be sent.
    code = main(
        [
            "wat",
            "push-lens",
            str(manifest),
            "--publish",
            "1.0",
            "--region",
            "eu-west-1",
            "--dry-run",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    calls = _lines(captured.out)
    assert [c["operation"] for c in calls] == ["ListLenses", "ImportLens", "CreateLensVersion"]
    text = export_lens(load_checklist(manifest)).text.encode("utf-8")
    assert calls[1]["params"] == {
        "JSONString": f"<lens JSON: {len(text)} bytes, sha256 {hashlib.sha256(text).hexdigest()}>",
        "Tags": {"orr:checklist": "test_lens"},
    }
    assert calls[2]["params"] == {
        "LensAlias": "arn:aws:wellarchitected:eu-west-1:<account>:lens/<new lens>",
        "LensVersion": "1.0",
        "IsMajorVersion": False,
    }
    assert not (manifest.parent / ".orr-wat.toml").exists()


def test_push_dry_run_after_a_push_names_the_lens(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed = push_lens(manifest, connect(region="us-east-1", endpoint_url=wa.endpoint_url))
    memory = (manifest.parent / ".orr-wat.toml").read_text()
    calls_before = sum(wa.state.calls.values())
    assert (
        main(["wat", "push-lens", str(manifest), "--endpoint-url", wa.endpoint_url, "--dry-run"])
        == 0
    )
    calls = _lines(capsys.readouterr().out)
    assert calls[1]["operation"] == "ImportLens"
    assert calls[1]["params"]["LensAlias"] == pushed.arn
    assert sum(wa.state.calls.values()) == calls_before  # the stand-in saw nothing
    assert (manifest.parent / ".orr-wat.toml").read_text() == memory


def test_sync_dry_run_first_time(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed = push_lens(
        manifest, connect(region="us-east-1", endpoint_url=wa.endpoint_url), publish="1.0"
    )
    review = build_review(tmp_path / "r.toml", manifest)
    text = review.read_text()
    calls_before = sum(wa.state.calls.values())
    assert (
        main(
            [
                "wat",
                "sync",
                str(review),
                "--endpoint-url",
                wa.endpoint_url,
                "--dry-run",
                "--milestone",
                "Go live",
            ]
        )
        == 0
    )
    calls = _lines(capsys.readouterr().out)
    ops = [c["operation"] for c in calls]
    assert ops == [
        "ListWorkloads",
        "CreateWorkload",
        "GetLensReview",
        *["ListAnswers"] * 3,  # one per pillar
        *["UpdateAnswer"] * 4,
        "CreateMilestone",
    ]
    pillars = [c["params"].get("PillarId") for c in calls if c["operation"] == "ListAnswers"]
    assert pillars == ["operations", "observability", "security"]
    create = calls[1]["params"]
    assert create == {
        "WorkloadName": "Shop checkout",
        "Description": "Checkout service of the shop",
        "Environment": "PREPRODUCTION",
        "ReviewOwner": "Dana Ops",
        "AwsRegions": ["eu-west-1"],
        "NonAwsRegions": ["on-prem-dc1"],
        "Lenses": ["wellarchitected", pushed.arn],
        "Tags": {"orr:checklist": "test_lens", "orr:launch-date": "2026-12-15"},
    }
    runbook = next(c["params"] for c in calls if c["params"].get("QuestionId") == "ops_runbook")
    assert runbook == {
        "WorkloadId": "<workload id from CreateWorkload>",
        "LensAlias": pushed.arn,
        "QuestionId": "ops_runbook",
        "SelectedChoices": [],
        "Notes": "Not applicable: Batch job, no on-call",
        "IsApplicable": False,
        "Reason": "OUT_OF_SCOPE",
    }
    assert calls[-1]["params"] == {
        "WorkloadId": "<workload id from CreateWorkload>",
        "MilestoneName": "Go live",
    }
    assert sum(wa.state.calls.values()) == calls_before
    assert review.read_text() == text


def test_sync_dry_run_after_a_sync_shows_only_what_changed(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    push_lens(manifest, client, publish="1.0")
    review = build_review(tmp_path / "r.toml", manifest)
    sync_review(review, client, who="tester")
    argv = ["wat", "sync", str(review), "--endpoint-url", wa.endpoint_url, "--dry-run"]
    assert main(argv) == 0
    ops = [c["operation"] for c in _lines(capsys.readouterr().out)]
    assert ops == ["GetWorkload", "GetLensReview", *["ListAnswers"] * 3]

    def change(r: Review) -> None:
        checklist = load_review_checklist(r, review)
        set_answer(r, checklist, "sec_secrets", choices=["sec_vault"], who="tester")

    ReviewStore(review).transact(change, "tester")
    assert main(argv) == 0
    calls = _lines(capsys.readouterr().out)
    assert [c["operation"] for c in calls] == [
        "GetWorkload",
        "GetLensReview",
        *["ListAnswers"] * 3,
        "UpdateAnswer",
    ]
    assert calls[-1]["params"]["SelectedChoices"] == ["sec_vault"]


def test_other_commands_dry_run(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    pushed = push_lens(manifest, client, publish="1.0")
    review = build_review(tmp_path / "r.toml", manifest)
    sync_review(review, client, who="tester")
    wid = ReviewStore(review).load().wat["workload_id"]
    before = sum(wa.state.calls.values())
    common = ["--endpoint-url", wa.endpoint_url, "--dry-run"]

    assert main(["wat", "share", pushed.arn, "--with", "111122223333", *common]) == 0
    assert [c["operation"] for c in _lines(capsys.readouterr().out)] == [
        "ListLensShares",
        "CreateLensShare",
    ]
    pdf = tmp_path / "r.pdf"
    assert main(["wat", "report", str(review), "-o", str(pdf), *common]) == 0
    calls = _lines(capsys.readouterr().out)
    assert calls[0] == {
        "operation": "GetLensReviewReport",
        "params": {"WorkloadId": wid, "LensAlias": pushed.arn},
    }
    assert not pdf.exists()
    assert main(["wat", "pull", str(review), *common]) == 0
    assert [c["operation"] for c in _lines(capsys.readouterr().out)][:2] == [
        "GetLensReview",
        "ListAnswers",
    ]
    out_dir = tmp_path / "pulled"
    assert main(["wat", "pull-lens", pushed.arn, "-o", str(out_dir), *common]) == 0
    assert _lines(capsys.readouterr().out) == [
        {"operation": "ExportLens", "params": {"LensAlias": pushed.arn}}
    ]
    assert not out_dir.exists()
    assert sum(wa.state.calls.values()) == before


def test_dry_run_still_checks_the_parameters(
    manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orr.errors import AwsError

    client = connect(region="eu-west-1", dry_run=True, emit=lambda line: None)
    # What botocore checks (required members) still fails as botocore says.
    with pytest.raises(AwsError, match="orr built an invalid request"):
        client.call("CreateWorkload", WorkloadName="abc")
    assert client.recorded == [{"operation": "CreateWorkload", "params": {"WorkloadName": "abc"}}]


def _imports_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_and_core_do_not_import_boto3_or_textual() -> None:
    modules = _imports_after(
        "import contextlib, io\n"
        "from orr.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help']); main(['wat', '--help']); main(['wat', 'sync', '--help'])\n"
    )
    assert "boto3" not in modules and "botocore" not in modules
    core = _imports_after(
        "import orr.wat, orr.wat.lens, orr.wat.sync, orr.wat.report, orr.wat.answers, "
        "orr.wat.client, orr.wat.memory, orr.wat.params, orr.wat.state, orr.wat.workload"
    )
    assert "boto3" not in core and "textual" not in core
