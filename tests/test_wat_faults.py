"""Each failure of the WA Tool (or of the way to it) ends in one clear line and exit 3; throttling
is retried (adaptive mode) before it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from orr.cli import main
from orr.wat.client import connect
from orr.wat.lens import push_lens
from tests.wa_standin import (
    LENS_QUOTA,
    RETRY_SLEEPS,
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_big_checklist(tmp_path / "checklists")


def _run(wa: StandIn | None, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    argv = ["wat", *args, "--max-attempts", "3"]
    if wa is not None:
        argv += ["--endpoint-url", wa.endpoint_url]
    code = main(argv)
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one line, no traceback
    return code, lines[0]


def test_the_client_uses_adaptive_retries(wa: StandIn) -> None:
    client = connect(region="eu-west-1", endpoint_url=wa.endpoint_url, max_attempts=5)
    assert client.client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert client.region == "eu-west-1" and client.target == f"eu-west-1 {wa.endpoint_url}"


def test_throttling_is_retried_then_succeeds(wa: StandIn, manifest: Path) -> None:
    wa.faults.throttle(2, "ImportLens")
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url, max_attempts=3)
    result = push_lens(manifest, client)
    assert result.created and len(wa.state.lenses) == 1
    assert wa.state.calls["ImportLens"] == 3 and len(RETRY_SLEEPS) == 2


def test_throttling_that_does_not_stop(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.faults.throttle(50)
    code, line = _run(wa, capsys, "push-lens", str(manifest))
    assert code == 3
    assert line == (
        "ListLenses: throttled by the WA Tool after 3 attempt(s): wait a minute and run the "
        "command again"
    )
    assert wa.state.calls["ListLenses"] == 3


def test_lens_quota(wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Fill the account with lenses of other names: the 16th is refused by the service.
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    text = (manifest.parent / "orr.toml").read_text()
    for i in range(LENS_QUOTA):
        (manifest.parent / "orr.toml").write_text(
            text.replace('name = "Test checklist"', f'name = "Other lens {i}"')
        )
        push_lens(manifest, client)
        (manifest.parent / ".orr-wat.toml").unlink()
    (manifest.parent / "orr.toml").write_text(text)
    code, line = _run(wa, capsys, "push-lens", str(manifest))
    assert code == 3
    assert (
        "15 custom lenses per account: delete one or push a new version of an existing lens" in line
    )
    assert line.startswith("ImportLens: quota exceeded: ")
    assert len(wa.state.lenses) == LENS_QUOTA


def test_injected_quota_names_the_fix(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.faults.inject("quota", "ImportLens")
    code, line = _run(wa, capsys, "push-lens", str(manifest))
    assert code == 3 and "delete one or push a new version of an existing lens" in line


def test_access_denied_names_the_iam_action(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.faults.inject("access", "ListLenses")
    code, line = _run(wa, capsys, "push-lens", str(manifest))
    assert code == 3
    assert "access denied" in line and "wellarchitected:ListLenses" in line
    assert "docs/aws.md" in line


def test_validation_error_lists_the_fields(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.faults.inject(
        "validation",
        "ImportLens",
        message="Lens JSON is invalid",
        Fields=[{"Name": "JSONString", "Message": "pillars[0].name is too long"}],
    )
    code, line = _run(wa, capsys, "push-lens", str(manifest))
    assert code == 3
    assert "ImportLens: the WA Tool rejected the request: Lens JSON is invalid" in line
    assert "(fields: JSONString: pillars[0].name is too long)" in line


def test_unpublished_lens_cannot_be_applied(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = build_review(tmp_path / "r.toml", manifest)
    assert main(["wat", "push-lens", str(manifest), "--endpoint-url", wa.endpoint_url]) == 0
    assert "the lens is only a draft" in capsys.readouterr().err
    code, line = _run(wa, capsys, "sync", str(review))
    assert code == 2
    assert line.startswith("lens arn:aws:wellarchitected:")
    assert "is only a draft: a lens is applied to workloads once it is published" in line
    assert line.endswith("orr wat push-lens --publish VERSION")
    assert wa.state.calls["CreateWorkload"] == 0 and wa.state.workloads == {}


def test_a_refused_workload_names_both_causes(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A lens given by ARN that the service refuses to apply: the hint names publishing and
    # accepting, not only publishing.
    review = build_review(tmp_path / "r.toml", manifest)
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    pushed = push_lens(manifest, client)
    code, line = _run(wa, capsys, "sync", str(review), "--lens", pushed.arn)
    assert code == 3
    assert line.startswith("CreateWorkload: the WA Tool rejected the request")
    assert "fields: Lenses:" in line
    assert "once it is published (orr wat push-lens --publish VERSION)" in line
    assert line.endswith("once its invitation is accepted here (orr wat accept LENS)")


def test_conflict_from_the_service(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = build_review(tmp_path / "r.toml", manifest)
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    push_lens(manifest, client, publish="1.0")
    assert (
        main(
            ["wat", "sync", str(review), "--endpoint-url", wa.endpoint_url, "--milestone", "Launch"]
        )
        == 0
    )
    capsys.readouterr()
    wa.faults.inject(
        "conflict",
        "UpdateAnswer",
        message="The answer was changed concurrently",
        ResourceId="sec_access",
        ResourceType="ANSWER",
    )
    (workload,) = wa.state.workloads.values()
    workload.answers[next(iter(workload.lens_versions))].clear()
    code, line = _run(wa, capsys, "sync", str(review), "--force")
    assert code == 3
    assert line == (
        "UpdateAnswer: conflict: The answer was changed concurrently [ANSWER sec_access]"
    )


def test_milestone_name_taken(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = build_review(tmp_path / "r.toml", manifest)
    push_lens(manifest, connect(region="us-east-1", endpoint_url=wa.endpoint_url), publish="1.0")
    assert (
        main(
            ["wat", "sync", str(review), "--endpoint-url", wa.endpoint_url, "--milestone", "Launch"]
        )
        == 0
    )
    # The same name again with nothing new: already saved, no call.
    assert (
        main(
            ["wat", "sync", str(review), "--endpoint-url", wa.endpoint_url, "--milestone", "Launch"]
        )
        == 0
    )
    assert "(already saved)" in capsys.readouterr().out
    assert wa.state.calls["CreateMilestone"] == 1
    # A change, then the same name: the service refuses it.
    (workload,) = wa.state.workloads.values()
    wa.state.workloads[workload.id].answers[next(iter(workload.lens_versions))].clear()
    code, line = _run(wa, capsys, "sync", str(review), "--milestone", "Launch", "--force")
    assert code == 3
    assert line.startswith("CreateMilestone: conflict: ")
    assert line.endswith("a milestone named 'Launch' exists: choose another milestone name")


def test_internal_error_after_retries(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.faults.inject("internal", times=10)
    code, line = _run(wa, capsys, "push-lens", str(manifest))
    assert code == 3
    assert line == "ListLenses: the WA Tool failed (InternalServerException): try again later"
    assert wa.state.calls["ListLenses"] == 3  # retried as a transient error


def test_missing_credentials(
    manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    code, line = _run(
        None,
        capsys,
        "push-lens",
        str(manifest),
        "--region",
        "eu-west-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    )
    assert code == 3
    assert line.startswith("no AWS credentials found: use --profile NAME")
    assert "never stores them" in line


def test_no_region(
    manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    code, line = _run(None, capsys, "push-lens", str(manifest))
    assert code == 3 and line.startswith("no AWS Region: pass --region")


def test_unknown_profile(
    manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    code, line = _run(None, capsys, "push-lens", str(manifest), "--profile", "nope")
    assert code == 3 and line == "--profile nope: no such profile in the AWS config (~/.aws/config)"


def test_unreachable_endpoint(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "wat",
            "push-lens",
            str(manifest),
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--max-attempts",
            "2",
        ]
    )
    line = capsys.readouterr().err.strip()
    assert code == 3
    assert line == (
        "ListLenses: cannot reach http://127.0.0.1:9: check the network, --region and "
        "--endpoint-url"
    )


def test_invalid_lens_is_not_sent(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = manifest.parent / "security.toml"
    source.write_text(source.read_text().replace("Is access least privilege?", "x" * 200))
    code = main(["wat", "push-lens", str(manifest), "--endpoint-url", wa.endpoint_url])
    err = capsys.readouterr().err
    assert code == 1
    assert "title" in err and "128" in err
    assert sum(wa.state.calls.values()) == 0


def test_the_standin_enforces_the_lens_limits(wa: StandIn, manifest: Path) -> None:
    from orr.checklist import load_checklist
    from orr.errors import AwsError
    from orr.lens.export import export_lens

    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    text = export_lens(load_checklist(manifest)).text.replace(
        '"Is access least privilege?"', '"' + "y" * 300 + '"'
    )
    with pytest.raises(
        AwsError, match=r"fields: JSONString: pillars\[\d\]\.questions\[0\]\.title: 300 characters"
    ):
        client.call("ImportLens", JSONString=text)
    assert wa.state.lenses == {}


def test_bad_share_target_is_input_error(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, line = _run(
        wa, capsys, "share", "arn:aws:wellarchitected:us-east-1:1:lens/x", "--with", "bob"
    )
    assert code == 2 and "12-digit account id" in line
    assert sum(wa.state.calls.values()) == 0


def test_share_before_publish(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    push_lens(manifest, connect(region="us-east-1", endpoint_url=wa.endpoint_url))
    code, line = _run(wa, capsys, "share", str(manifest), "--with", "o-abcdefghij")
    assert code == 3
    assert line.startswith("CreateLensShare: the WA Tool rejected the request")
    assert line.endswith("orr wat push-lens --publish VERSION")


def test_workload_gone(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = build_review(tmp_path / "r.toml", manifest)
    push_lens(manifest, connect(region="us-east-1", endpoint_url=wa.endpoint_url), publish="1.0")
    assert main(["wat", "sync", str(review), "--endpoint-url", wa.endpoint_url]) == 0
    capsys.readouterr()
    wa.state.workloads.clear()
    code, line = _run(wa, capsys, "sync", str(review))
    assert code == 3
    assert line.startswith("GetWorkload: not found: WORKLOAD ")
    assert line.endswith("delete the [wat] table of the review to create a new one")


def test_review_synced_in_another_region_or_damaged(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = build_review(tmp_path / "r.toml", manifest)
    push_lens(manifest, connect(region="us-east-1", endpoint_url=wa.endpoint_url), publish="1.0")
    assert main(["wat", "sync", str(review), "--endpoint-url", wa.endpoint_url]) == 0
    capsys.readouterr()
    code, line = _run(wa, capsys, "sync", str(review), "--region", "eu-west-1")
    assert code == 2 and f"is in us-east-1 {wa.endpoint_url}, not in eu-west-1" in line
    text = review.read_text()
    review.write_text(text.replace("answers = ", 'answers = "[1]"\nold_answers = ', 1))
    code, line = _run(wa, capsys, "pull", str(review))
    assert code == 2 and "wat.answers is not the JSON object orr writes" in line
