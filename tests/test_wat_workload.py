"""The workload after the first sync: notes compared as the service stores them, answers read
pillar by pillar, names compared as the service compares them, changes to the review reaching
the workload (UpdateWorkload, tags), sharing it, its milestones, and deleting what orr made."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from orr.cli import main
from orr.review.kinds import Environment
from orr.review.model import Review
from orr.review.store import ReviewStore
from orr.wat.client import WaClient, connect
from orr.wat.lens import push_lens
from orr.wat.sync import sync_review
from tests.wa_standin import (
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_big_checklist(tmp_path / "checklists")


@pytest.fixture
def review_file(tmp_path: Path, manifest: Path) -> Path:
    return build_review(tmp_path / "reviews" / "shop.toml", manifest)


def _client(wa: StandIn) -> WaClient:
    return connect(region="us-east-1", endpoint_url=wa.endpoint_url, max_attempts=2)


def _cli(wa: StandIn, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["wat", *args, "--endpoint-url", wa.endpoint_url, "--max-attempts", "2"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _synced(wa: StandIn, manifest: Path, review_file: Path) -> WaClient:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    return client


# --- item 6: idempotence that does not rest on an echo ---------------------------------------------


def test_a_service_that_normalises_white_space_does_not_make_sync_resend(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    wa.state.normalise_notes = True

    def spaced(review: Review) -> None:
        review.answers["sec_secrets"].notes = "Vault  per   stage.  \n\n\n  Rotated\tmonthly. "

    ReviewStore(review_file).transact(spaced, "tester")
    client = _synced(wa, manifest, review_file)
    (workload,) = wa.state.workloads.values()
    held = workload.answers[workload.lenses[1]]
    assert "\r\n" in held["sec_access"].notes  # the stand-in did change what it was sent
    calls = dict(wa.state.calls)
    second = sync_review(review_file, client, who="tester")
    assert second.updated == [] and second.remote_changed == []
    assert wa.state.calls["UpdateAnswer"] == calls["UpdateAnswer"]


def test_answers_are_read_pillar_by_pillar(wa: StandIn, manifest: Path, review_file: Path) -> None:
    # Some lenses miss questions when ListAnswers is called without a pillar.
    wa.state.answers_need_pillar = True
    result = sync_review(review_file, _synced_client(wa, manifest), who="tester")
    assert result.missing == [] and len(result.updated) == 4
    pillars = {p.get("PillarId") for p in wa.state.params_of("ListAnswers")}
    assert pillars == {"operations", "observability", "security"}


def _synced_client(wa: StandIn, manifest: Path) -> WaClient:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    return client


# --- item 7: names and numbers as the service compares them --------------------------------------


def test_a_workload_name_differing_only_in_spaces_and_capitals_is_the_same_name(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _synced_client(wa, manifest)
    made = client.call(
        "CreateWorkload",
        WorkloadName="SHOPCheckout",
        Description="made in the console",
        Environment="PRODUCTION",
        ReviewOwner="someone",
        AwsRegions=["us-east-1"],
        Lenses=["wellarchitected"],
    )
    review = build_review(tmp_path / "r.toml", manifest, workload="Shop  checkout")
    code, _, err = _cli(wa, capsys, "sync", str(review))
    assert code == 3
    (line,) = err.strip().splitlines()
    assert line.startswith("a workload named 'Shop checkout' already exists")
    assert "the WA Tool ignores spaces and capitals in names" in line
    assert f"--workload-id {made['WorkloadId']}" in line
    assert wa.state.calls["CreateWorkload"] == 1


# --- item 8: changes after the first sync ----------------------------------------------------------


def test_owner_environment_regions_and_description_reach_the_workload(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _synced(wa, manifest, review_file)

    def moved(review: Review) -> None:
        w = review.workload
        w.owner = "Olivia Owner"
        w.environment = Environment.PRODUCTION
        w.regions = ["eu-central-1", "on-prem-dc2"]
        w.description = "Checkout, now with wallets"

    ReviewStore(review_file).transact(moved, "tester")
    code, out, err = _cli(wa, capsys, "sync", str(review_file))
    assert code == 0, err
    assert "(AwsRegions, Description, Environment, NonAwsRegions, ReviewOwner updated)" in out
    (workload,) = wa.state.workloads.values()
    assert workload.review_owner == "Olivia Owner" and workload.environment == "PRODUCTION"
    assert workload.aws_regions == ["eu-central-1"]
    assert workload.non_aws_regions == ["on-prem-dc2"]
    assert workload.description == "Checkout, now with wallets"
    calls = wa.state.calls["UpdateWorkload"]
    assert sync_review(review_file, client, who="tester").workload_updated == []
    assert wa.state.calls["UpdateWorkload"] == calls


def test_tags_on_the_workload_and_the_lens(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _cli(wa, capsys, "push-lens", str(manifest), "--publish", "1.0", "--tag", "team=ops")[0]
        == 0
    )
    (lens,) = wa.state.lenses.values()
    assert lens.tags == {"orr:checklist": "test_lens", "team": "ops"}
    code, _, err = _cli(wa, capsys, "sync", str(review_file), "--tag", "team=payments")
    assert code == 0, err
    (workload,) = wa.state.workloads.values()
    assert workload.tags == {
        "orr:checklist": "test_lens",
        "orr:launch-date": "2026-12-15",
        "team": "payments",
    }
    workload.tags["cost-centre"] = "42"  # set by someone else: kept

    def later(review: Review) -> None:
        review.workload.launch_date = date(2027, 1, 20)

    ReviewStore(review_file).transact(later, "tester")
    assert _cli(wa, capsys, "sync", str(review_file))[0] == 0
    assert wa.state.params_of("TagResource")[-1]["Tags"] == {"orr:launch-date": "2027-01-20"}
    assert workload.tags["cost-centre"] == "42" and workload.tags["team"] == "payments"
    # A tag on the lens after the first push.
    assert _cli(wa, capsys, "push-lens", str(manifest), "--tag", "tier=gold")[0] == 0
    assert lens.tags["tier"] == "gold" and lens.tags["team"] == "ops"
    code, _, err = _cli(wa, capsys, "sync", str(review_file), "--tag", "no-equals-sign")
    assert code == 2 and "--tag 'no-equals-sign': write KEY=VALUE" in err


def test_share_the_workload_with_reviewers_of_other_accounts(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _synced(wa, manifest, review_file)
    code, out, _ = _cli(
        wa,
        capsys,
        "share-workload",
        str(review_file),
        "--with",
        "111122223333",
        "--permission",
        "contributor",
    )
    assert code == 0 and "shared with 111122223333 (contributor, share " in out
    assert "the invitation waits for acceptance on that side (7 days)" in out
    code, out, _ = _cli(wa, capsys, "share-workload", str(review_file), "--with", "111122223333")
    assert code == 0 and "already shared with 111122223333 (contributor, pending)" in out
    code, out, _ = _cli(
        wa, capsys, "share-workload", str(review_file), "--with", "ou-ab12-cdefgh34"
    )
    assert code == 0 and "no invitation is sent to an organization or OU" in out
    (workload,) = wa.state.workloads.values()
    assert sorted(s["SharedWith"] for s in workload.shares.values()) == [
        "111122223333",
        "ou-ab12-cdefgh34",
    ]
    code, _, err = _cli(wa, capsys, "share-workload", str(review_file), "--with", "bob")
    assert code == 2 and "12-digit account id" in err


def test_milestones_are_listed(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester", milestone="ORR 1")
    sync_review(review_file, client, who="tester", milestone="Go-live review")
    code, out, _ = _cli(wa, capsys, "milestones", str(review_file))
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("#1  ORR 1  ") and lines[0].endswith(" UTC")
    assert lines[1].startswith("#2  Go-live review  ")


def test_delete_what_orr_made_after_a_confirmation(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _synced(wa, manifest, review_file)
    (arn,) = wa.state.lenses
    assert _cli(wa, capsys, "share", arn, "--with", "111122223333")[0] == 0
    # No terminal to ask on: --yes is needed.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = _cli(wa, capsys, "delete", "workload", str(review_file))
    assert code == 2 and "confirm with --yes" in err
    assert len(wa.state.workloads) == 1
    # A lens that workloads use is not deleted: one line says what to do.
    code, _, err = _cli(wa, capsys, "delete", "lens", str(manifest), "--yes")
    assert code == 3 and err.strip().endswith("orr wat delete share) first")
    # The workload; the review keeps its answers and forgets the workload.
    code, out, _ = _cli(wa, capsys, "delete", "workload", str(review_file), "--yes")
    assert code == 0 and "keeps its answers and forgets it" in out
    assert wa.state.workloads == {}
    review = ReviewStore(review_file).load()
    assert review.wat == {} and len(review.answers) == 4
    assert review.audit[-1].action == "wat delete"
    # The share, then the lens (and the memory next to the manifest).
    code, out, _ = _cli(wa, capsys, "delete", "share", arn, "--with", "111122223333", "--yes")
    assert code == 0 and "share " in out and wa.state.lenses[arn].shares == {}
    assert wa.state.invitations == {}
    code, out, _ = _cli(wa, capsys, "delete", "lens", str(manifest), "--yes")
    assert code == 0 and f"{arn}: deleted" in out
    assert wa.state.lenses == {}
    memory = tomllib.loads((manifest.parent / ".orr-wat.toml").read_text())
    assert memory.get("lenses", []) == []


def test_delete_asks_on_a_terminal(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    _synced(wa, manifest, review_file)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    code, _, err = _cli(wa, capsys, "delete", "workload", str(review_file))
    assert code == 2 and "not confirmed: nothing was deleted" in err
    assert len(wa.state.workloads) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    assert _cli(wa, capsys, "delete", "workload", str(review_file))[0] == 0
    assert wa.state.workloads == {}
