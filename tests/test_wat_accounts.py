"""Two accounts, as a first real run has them: a tooling account publishes the lens and shares
it; the workload account accepts the invitation and syncs. An organization share sends no
invitation. The stand-in tells the accounts apart by their access keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from orr.cli import main
from orr.review.store import ReviewStore
from orr.wat.client import connect
from orr.wat.lens import accept_lens_shares, push_lens, share_lens
from orr.wat.sync import sync_review
from tests.wa_standin import (
    ACCOUNT,
    OTHER_ACCOUNT,
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)

TOOLING = ACCOUNT
WORKLOAD = OTHER_ACCOUNT


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_big_checklist(tmp_path / "checklists")


@pytest.fixture
def review_file(tmp_path: Path, manifest: Path) -> Path:
    return build_review(tmp_path / "reviews" / "shop.toml", manifest)


def _cli(wa: StandIn, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["wat", *args, "--endpoint-url", wa.endpoint_url, "--max-attempts", "2"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tooling_account_publishes_and_shares_workload_account_accepts_and_syncs(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The tooling account: push, publish, share with the workload account.
    wa.use_account(monkeypatch, TOOLING)
    code, out, err = _cli(wa, capsys, "push-lens", str(manifest), "--publish", "1.0")
    assert code == 0, err
    (arn,) = wa.state.lenses
    code, out, _ = _cli(wa, capsys, "share", str(manifest), "--with", WORKLOAD)
    assert code == 0
    assert f"the invitation waits for acceptance in account {WORKLOAD}" in out
    assert f"run orr wat accept {arn} there" in out

    # The workload account: sync first, and be told what to run.
    wa.use_account(monkeypatch, WORKLOAD)
    code, out, err = _cli(wa, capsys, "sync", str(review_file))
    assert code == 3
    (line,) = err.strip().splitlines()
    assert f"lens {arn} is shared with this account but its invitation" in line
    assert line.endswith(
        f"run orr wat accept {arn} in this account (or accept it in the WA Tool console), then sync again"
    )
    assert wa.state.calls["CreateWorkload"] == 0

    # The pending invitations are listed, then accepted (by the manifest: the ARN remembered).
    code, out, err = _cli(wa, capsys, "accept")
    assert code == 0 and f"{arn}  Test checklist  (shared by {TOOLING})" in out
    assert "accept one with orr wat accept LENS" in err
    code, out, _ = _cli(wa, capsys, "accept", str(manifest))
    assert code == 0 and f"{arn}: accepted" in out
    assert wa.state.invitations == {}
    code, out, _ = _cli(wa, capsys, "accept", arn)
    assert code == 0 and "already accepted" in out

    # Now the sync creates the workload in the workload account.
    code, out, err = _cli(wa, capsys, "sync", str(review_file))
    assert code == 0, err
    (workload,) = wa.state.workloads.values()
    assert workload.owner == WORKLOAD and arn in workload.lenses
    assert len(workload.answers[arn]) == 4
    assert ReviewStore(review_file).load().wat["lens_arn"] == arn


def test_sync_by_lens_name_in_the_workload_account(
    wa: StandIn, manifest: Path, review_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wa.use_account(monkeypatch, TOOLING)
    tooling = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    pushed = push_lens(manifest, tooling, publish="1.0")
    share_lens(tooling, pushed.arn, WORKLOAD)
    wa.use_account(monkeypatch, WORKLOAD)
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    accepted = accept_lens_shares(client, "Test checklist")  # by name, as invited
    assert [i.lens_arn for i in accepted.accepted] == [pushed.arn]
    # There the lens is CUSTOM_SHARED: found by its name all the same.
    result = sync_review(review_file, client, lens="test CHECKLIST", who="tester")
    assert result.lens_arn == pushed.arn and result.created_workload


def test_an_organization_share_sends_no_invitation(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    org = "o-abcdefghij"
    wa.state.organizations[org] = {TOOLING, WORKLOAD}
    wa.use_account(monkeypatch, TOOLING)
    assert _cli(wa, capsys, "push-lens", str(manifest), "--publish", "1.0")[0] == 0
    code, out, _ = _cli(wa, capsys, "share", str(manifest), "--with", org)
    assert code == 0
    assert "no invitation is sent to an organization or OU" in out
    assert "invitation waits" not in out and "7 days" not in out
    assert wa.state.invitations == {}
    # An account of the organization uses the lens at once.
    wa.use_account(monkeypatch, WORKLOAD)
    code, out, err = _cli(wa, capsys, "sync", str(review_file))
    assert code == 0, err
    assert _cli(wa, capsys, "accept")[1].strip() == "no pending lens invitations in this account"


def test_accept_without_an_invitation_says_what_to_ask_for(
    wa: StandIn, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.use_account(monkeypatch, WORKLOAD)
    code, _, err = _cli(wa, capsys, "accept", "Some lens")
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "no pending share invitation for this lens" in line
    assert "orr wat share LENS --with ACCOUNT" in line
