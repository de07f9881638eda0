"""What orr sends is checked against the WA Tool's service model, as loaded from botocore, before
any call, dry run or not (maxima, enums, patterns: what botocore itself does not check); and it
never sends raw control characters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import botocore.session
import pytest

from orr.cli import main
from orr.errors import AwsError, InputError
from orr.review.model import Review
from orr.review.store import ReviewStore
from orr.wat.client import connect
from orr.wat.lens import push_lens
from orr.wat.params import check_params, clean_params, clean_text
from orr.wat.sync import sync_review
from tests.wa_standin import (
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)

WID = "0123456789abcdef0123456789abcdef"
LENS = "arn:aws:wellarchitected:us-east-1:123456789012:lens/abc"
BAD: list[tuple[str, dict[str, Any], str]] = [
    (
        "CreateWorkload",
        {
            "WorkloadName": "Shop",
            "Description": "The shop",
            "Environment": "STAGING",
            "ReviewOwner": "Dana",
            "AwsRegions": ["us-east-1"],
            "Lenses": ["wellarchitected"],
        },
        "Environment: 'STAGING' is not one of PRODUCTION, PREPRODUCTION",
    ),
    (
        "UpdateAnswer",
        {"WorkloadId": WID, "LensAlias": LENS, "QuestionId": "q1", "Notes": "n" * 5000},
        "Notes: 5,000 characters, the WA Tool takes at most 2,084",
    ),
    (
        "UpdateAnswer",
        {
            "WorkloadId": WID,
            "LensAlias": LENS,
            "QuestionId": "q1",
            "IsApplicable": False,
            "Reason": "BOGUS",
        },
        "Reason: 'BOGUS' is not one of OUT_OF_SCOPE, BUSINESS_PRIORITIES",
    ),
    (
        "UpdateAnswer",
        {
            "WorkloadId": WID,
            "LensAlias": LENS,
            "QuestionId": "q1",
            "ChoiceUpdates": {"c1": {"Status": "NOT_APPLICABLE", "Notes": "x" * 251}},
        },
        "ChoiceUpdates[c1].Notes: 251 characters, the WA Tool takes at most 250",
    ),
    (
        "GetWorkload",
        {"WorkloadId": "not-a-workload-id-of-32-chars!!!"},
        "WorkloadId: 'not-a-workload-id-of-32-chars!!!' does not match the pattern [0-9a-f]{32}",
    ),
    (
        "ListAnswers",
        {"WorkloadId": WID, "LensAlias": LENS, "MaxResults": 500},
        "MaxResults: 500 is outside 1..50",
    ),
]


def test_botocore_itself_lets_these_through() -> None:
    # Why orr checks: botocore's own validation accepts every one of them.
    from botocore.validate import validate_parameters

    model = botocore.session.get_session().get_service_model("wellarchitected")
    for operation, params, _ in BAD:
        shape = model.operation_model(operation).input_shape
        assert shape is not None
        validate_parameters(
            {**params, "ClientRequestToken": "t"} if operation == "CreateWorkload" else params,
            shape,
        )


@pytest.mark.parametrize(("operation", "params", "said"), BAD)
@pytest.mark.parametrize("dry_run", [True, False])
def test_maxima_enums_and_patterns_are_refused_before_any_call(
    wa: StandIn, operation: str, params: dict[str, Any], said: str, dry_run: bool
) -> None:
    emitted: list[str] = []
    client = connect(
        region="us-east-1", endpoint_url=wa.endpoint_url, dry_run=dry_run, emit=emitted.append
    )
    with pytest.raises(InputError) as caught:
        client.call(operation, **params)
    assert caught.value.exit_code == 2
    assert said in caught.value.message
    assert caught.value.message.startswith(f"{operation}: ")
    assert "nothing was sent (checked against the WA Tool's service model)" in caught.value.message
    assert emitted == [] and sum(wa.state.calls.values()) == 0


def test_the_limits_come_from_botocore_not_from_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    operation = model.operation_model("UpdateAnswer").input_shape
    assert operation is not None
    shape = operation.members["Notes"]
    monkeypatch.setitem(shape.metadata, "max", 10)
    problems = check_params("UpdateAnswer", {"Notes": "x" * 11}, model)
    assert problems == ["Notes: 11 characters, the WA Tool takes at most 10"]


def test_the_cli_says_it_in_one_line(
    wa: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write_big_checklist(tmp_path / "checklists")
    review = build_review(tmp_path / "r.toml", manifest)
    assert main(["wat", "report", str(review), "-o", "x.pdf", "--dry-run"]) == 2  # not synced
    capsys.readouterr()
    text = review.read_text()
    review.write_text(
        text.replace("[wat]\n", "")
        + f'\n[wat]\nworkload_id = "{WID}"\nlens_arn = "{LENS}"\n'
        + 'milestones = "{\\"big\\": 500}"\n'
    )
    code = main(
        [
            "wat",
            "report",
            str(review),
            "-o",
            str(tmp_path / "r.pdf"),
            "--milestone",
            "big",
            "--dry-run",
            "--region",
            "us-east-1",
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith("GetLensReviewReport: MilestoneNumber: 500 is outside 1..100")


def test_milestone_numbers_are_one_to_a_hundred(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write_big_checklist(tmp_path / "checklists")
    review = build_review(tmp_path / "r.toml", manifest)
    ReviewStore(review).transact(lambda r: r.wat.update(workload_id=WID, lens_arn=LENS), "t")
    code = main(["wat", "report", str(review), "-o", "x.pdf", "--milestone", "0", "--dry-run"])
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert line == "--milestone '0': a milestone number is 1 to 100 (orr wat milestones lists them)"
    assert "please report it" not in line


def test_the_standin_refuses_what_the_model_refuses(wa: StandIn) -> None:
    # A raw boto3 client, past orr's checks: the stand-in answers as the service does.
    import boto3

    raw: Any = boto3.client(
        "wellarchitected", region_name="us-east-1", endpoint_url=wa.endpoint_url
    )
    with pytest.raises(raw.exceptions.ValidationException) as caught:
        raw.create_workload(
            WorkloadName="Shop",
            Description="The shop",
            Environment="STAGING",
            ReviewOwner="Dana",
            AwsRegions=["us-east-1"],
            Lenses=["wellarchitected"],
        )
    response = cast(dict[str, Any], caught.value.response)
    fields = response["Fields"]
    assert fields[0]["Name"] == "Environment" and "enum" in fields[0]["Message"]
    assert wa.state.workloads == {}


# --- control characters ----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_clean_text_keeps_lines_only_where_they_belong() -> None:
    assert clean_text("a\x1b[31mb\x07c\r\nd\te") == "a[31mbc d e"
    assert clean_text("a\x1b[31mb\x07c\r\nd\te", multiline=True) == "a[31mbc\nd\te"
    cleaned = clean_params(
        {
            "WorkloadName": "Shop\x07\nname",
            "Notes": "line\x1b\r\nnext",
            "JSONString": '{"a": "\\u001b"}',
            "Tags": {"k\x1b": "v\x07"},
            "ChoiceUpdates": {"c": {"Status": "NOT_APPLICABLE", "Notes": "x\x00\ny"}},
        }
    )
    assert cleaned == {
        "WorkloadName": "Shop name",
        "Notes": "line\nnext",
        "JSONString": '{"a": "\\u001b"}',
        "Tags": {"k": "v"},
        "ChoiceUpdates": {"c": {"Status": "NOT_APPLICABLE", "Notes": "x\ny"}},
    }


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_sync_never_sends_raw_control_characters(wa: StandIn, tmp_path: Path) -> None:
    from orr.review.model import Evidence, PracticeNa
    from orr.review.ops import add_mitigation, load_review_checklist, set_answer

    manifest = write_big_checklist(tmp_path / "checklists")
    review = build_review(tmp_path / "r.toml", manifest, workload="Shop\x1b[2J\x07 checkout")

    def hostile(r: Review) -> None:
        checklist = load_review_checklist(r, review)
        r.workload.description = "Checkout\x1b]0;owned\x07 service"
        r.workload.owner = "Dana\x1b[31m Ops"
        set_answer(r, checklist, "sec_access", notes="Roles\x1b[5m\tper\x07 service\r\nok", who="t")
        r.answers["sec_access"].evidence.append(
            Evidence(url="https://x.example.com/\x7f", description="IAM\x1b review")
        )
        add_mitigation(
            r,
            checklist,
            "sec_access",
            title="Split\x07 it",
            owner="Sam\x1b",
            due="2026-12-01",
            who="t",
        )
        set_answer(r, checklist, "sec_secrets", choices=["sec_vault"], who="t")
        r.answers["sec_secrets"].na_choices["sec_rotation"] = PracticeNa(
            reason="OUT_OF_SCOPE", note="No\x1b[0m rotation\x07 here"
        )

    ReviewStore(review).transact(hostile, "t")
    client = connect(region="us-east-1", endpoint_url=wa.endpoint_url)
    push_lens(manifest, client, publish="1.0")
    sync_review(review, client, who="te\x1bster", milestone="Launch\x07 1")
    sent = [s for _, params, _ in wa.state.log for s in _strings(params)]
    assert sent and not [s for s in sent if _CONTROL.search(s.replace("\n", "").replace("\t", ""))]
    (workload,) = wa.state.workloads.values()
    assert workload.name == "Shop[2J checkout"
    assert workload.milestones[0]["name"] == "Launch 1"
    notes = workload.answers[workload.lenses[1]]["sec_access"].notes
    assert "Roles[5m\tper service\nok" in notes
    # Idempotent all the same: a second sync sends nothing.
    before = wa.state.calls["UpdateAnswer"]
    assert sync_review(review, client, who="tester").updated == []
    assert wa.state.calls["UpdateAnswer"] == before


def test_a_dry_run_without_credentials_still_refuses(tmp_path: Path) -> None:
    client = connect(dry_run=True, emit=lambda line: None)
    assert client.region == "<region>"
    with pytest.raises(InputError, match="Environment: 'STAGING' is not one of"):
        client.call(
            "CreateWorkload",
            WorkloadName="Shop",
            Description="The shop",
            Environment="STAGING",
            ReviewOwner="Dana",
            Lenses=["wellarchitected"],
        )
    with pytest.raises(AwsError, match="orr built an invalid request"):
        client.call("CreateWorkload", WorkloadName="Shop")
