"""The whole WA Tool flow through real boto3 clients against the local stand-in: push, publish,
share, sync, pull, report, pull-lens; second push = new version of the same lens; second sync
changes nothing; an interrupted sync finishes on the next run."""

from __future__ import annotations

import base64
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orr.checklist import load_checklist
from orr.cli import main
from orr.review.kinds import NaReason
from orr.review.model import Review
from orr.review.store import ReviewStore
from orr.wat.answers import CUT_MARKER, NOTES_MAX, utf16_len
from orr.wat.client import WaClient, connect
from orr.wat.lens import pull_lens, push_lens
from orr.wat.memory import MEMORY_FILE
from orr.wat.report import lens_review_report
from orr.wat.state import lens_version_note
from orr.wat.sync import pull_review, sync_review
from tests.wa_standin import (
    RETRY_SLEEPS,
    AnswerRecord,
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _client(wa: StandIn) -> WaClient:
    return connect(region="us-east-1", endpoint_url=wa.endpoint_url, max_attempts=4)


def _cli(wa: StandIn, *args: str) -> int:
    return main(["wat", *args, "--endpoint-url", wa.endpoint_url, "--max-attempts", "4"])


def _answers(wa: StandIn) -> dict[str, AnswerRecord]:
    (workload,) = wa.state.workloads.values()
    (lens_arn,) = [a for a in workload.answers]
    return workload.answers[lens_arn]


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_big_checklist(tmp_path / "checklists")


@pytest.fixture
def review_file(tmp_path: Path, manifest: Path) -> Path:
    return build_review(tmp_path / "reviews" / "shop.toml", manifest)


def test_push_publish_share_sync_pull_report(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Push and publish: a new lens, its ARN remembered next to the manifest.
    assert _cli(wa, "push-lens", str(manifest), "--publish", "1.0") == 0
    out = capsys.readouterr().out
    (arn,) = wa.state.lenses
    assert f"{arn}: imported as a new lens" in out and "published version 1.0" in out
    memory = tomllib.loads((manifest.parent / MEMORY_FILE).read_text())
    assert memory["lenses"][0]["arn"] == arn and memory["lenses"][0]["published"] == "1.0"
    # The dummy credentials of the environment ("testing") are written nowhere.
    assert "testing" not in (manifest.parent / MEMORY_FILE).read_text()

    # Share with an account (and a second time: nothing new).
    assert _cli(wa, "share", str(manifest), "--with", "111122223333") == 0
    assert _cli(wa, "share", arn, "--with", "111122223333") == 0
    assert "already shared" in capsys.readouterr().out
    assert len(wa.state.lenses[arn].shares) == 1

    # Sync: the workload is created from the review and every answered question updated.
    assert _cli(wa, "sync", str(review_file), "--milestone", "ORR 1") == 0
    out = capsys.readouterr().out
    (workload,) = wa.state.workloads.values()
    assert "(created)" in out and workload.id in out
    assert workload.name == "Shop checkout"
    assert workload.environment == "PREPRODUCTION"
    assert workload.review_owner == "Dana Ops"
    assert workload.aws_regions == ["eu-west-1"]
    assert workload.non_aws_regions == ["on-prem-dc1"]
    assert arn in workload.lenses and "wellarchitected" in workload.lenses
    answers = workload.answers[arn]
    assert answers["sec_access"].selected == ["sec_roles"]
    assert "Roles are per service." in answers["sec_access"].notes
    assert "- IAM review: https://wiki.example.com/iam" in answers["sec_access"].notes
    assert (
        "[M1 open, due 2026-12-01, owner Sam] Split the admin role" in answers["sec_access"].notes
    )
    assert answers["ops_runbook"].applicable is False
    assert answers["ops_runbook"].reason == "OUT_OF_SCOPE"
    assert answers["ops_runbook"].notes.startswith("Not applicable: Batch job, no on-call")
    assert answers["obs_alarms"].selected == ["obs_alarms_no"]
    assert "obs_dash" not in answers  # unanswered in the review: not sent
    # ListAnswers was followed page by page (the stand-in serves 3 questions a page).
    assert wa.state.calls["ListAnswers"] >= 3
    assert workload.milestones[0]["name"] == "ORR 1"
    assert "testing" not in review_file.read_text()
    review = ReviewStore(review_file).load()
    assert review.wat["workload_id"] == workload.id
    assert review.wat["lens_arn"] == arn
    assert review.audit[-1].action == "wat sync"

    # The report: a real PDF, and the risk counts.
    pdf = tmp_path / "report.pdf"
    assert _cli(wa, "report", str(review_file), "-o", str(pdf), "--milestone", "ORR 1") == 0
    out = capsys.readouterr().out
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    assert "risks: high" in out
    assert wa.state.params_of("GetLensReviewReport")[-1]["MilestoneNumber"] == 1

    # Someone answers in the console; pull brings it in with an audit entry.
    answers["ops_deploy"] = AnswerRecord(
        ["ops_canary", "ops_rollback"],
        True,
        None,
        "Canary in one AZ first.\n\nEvidence:\n- pipeline: https://ci.example.com/shop",
    )
    assert _cli(wa, "pull", str(review_file)) == 0
    out = capsys.readouterr().out
    assert "1 answer(s) brought in (ops_deploy)" in out
    review = ReviewStore(review_file).load()
    pulled = review.answers["ops_deploy"]
    assert pulled.choices == ["ops_canary", "ops_rollback"]
    assert pulled.notes == "Canary in one AZ first."
    assert [(e.url, e.description) for e in pulled.evidence] == [
        ("https://ci.example.com/shop", "pipeline")
    ]
    assert review.audit[-1].action == "wat pull"
    # ... and the next sync has nothing to send for it.
    before = wa.state.calls["UpdateAnswer"]
    assert _cli(wa, "sync", str(review_file)) == 0
    assert wa.state.calls["UpdateAnswer"] == before


def test_second_push_is_a_new_version_of_the_same_lens(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(wa)
    first = push_lens(manifest, client, publish="1.0")
    assert first.created
    text = manifest.parent.joinpath("security.toml").read_text()
    manifest.parent.joinpath("security.toml").write_text(
        text.replace("Is access least privilege?", "Is access least privilege, reviewed?")
    )
    second = push_lens(manifest, client, publish="2.0", major=True)
    assert second.arn == first.arn and not second.created
    assert list(wa.state.lenses) == [first.arn]
    lens = wa.state.lenses[first.arn]
    assert sorted(lens.versions) == ["1.0", "2.0"]
    assert "reviewed?" in lens.versions["2.0"] and "reviewed?" not in lens.versions["1.0"]
    assert wa.state.params_of("ImportLens")[1]["LensAlias"] == first.arn
    assert wa.state.params_of("CreateLensVersion")[1]["IsMajorVersion"] is True
    # The same version again, same content: nothing to do, nothing sent.
    calls = wa.state.calls["ImportLens"]
    again = push_lens(manifest, client, publish="2.0")
    assert not again.imported and wa.state.calls["ImportLens"] == calls


def test_lens_found_by_name_when_not_remembered(wa: StandIn, manifest: Path) -> None:
    client = _client(wa)
    first = push_lens(manifest, client)
    (manifest.parent / MEMORY_FILE).unlink()
    again = push_lens(manifest, client)
    assert again.arn == first.arn and again.adopted and len(wa.state.lenses) == 1


@pytest.mark.parametrize("draft_404", [False, True])
def test_import_in_progress_is_waited_for(wa: StandIn, manifest: Path, draft_404: bool) -> None:
    # A new lens is listed (drafts included) once its import is done; GetLens may never find a
    # lens that is only a draft, so orr must not wait on it.
    wa.state.import_polls = 3
    wa.state.get_lens_draft_404 = draft_404
    sleeps: list[float] = []
    steps: list[str] = []
    result = push_lens(
        manifest,
        _client(wa),
        publish="1.0",
        sleep=sleeps.append,
        poll_seconds=3,
        progress=lambda n, total, what: steps.append(what),
    )
    assert result.version == "1.0" and result.waited == 2
    assert sleeps == [3, 3]
    assert wa.state.calls["GetLens"] == 0
    assert "the import is in progress (poll 1 of 100)" in steps
    assert wa.state.lenses[result.arn].versions == {"1.0": wa.state.lenses[result.arn].draft}


@pytest.mark.parametrize("busy", ["ConflictException", "ValidationException"])
def test_a_new_draft_still_importing_is_published_once_the_lens_is_free(
    wa: StandIn, manifest: Path, busy: str
) -> None:
    client = _client(wa)
    first = push_lens(manifest, client, publish="1.0")
    # The update of a listed lens shows nothing while it imports: CreateLensVersion says the
    # lens is busy (a conflict, or a validation error) until it is done.
    wa.state.import_polls = 2
    wa.state.busy_error = busy
    sleeps: list[float] = []
    steps: list[str] = []
    second = push_lens(
        manifest,
        client,
        publish="1.1",
        sleep=sleeps.append,
        poll_seconds=2,
        progress=lambda n, total, what: steps.append(what),
    )
    assert second.arn == first.arn and second.version == "1.1" and second.waited == 2
    assert sleeps == [2, 2]
    assert wa.state.calls["CreateLensVersion"] == 4  # 1.0, then 1.1 twice busy and once done
    assert any("the import is still in progress (try 1 of" in s for s in steps)


def test_import_in_progress_too_long_is_one_line(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.state.import_polls = 100
    sleeps: list[float] = []
    from orr.errors import AwsError

    with pytest.raises(AwsError, match="still in progress after 10s: run the same command again"):
        push_lens(manifest, _client(wa), sleep=sleeps.append, wait_seconds=10, poll_seconds=5)
    assert sleeps == [5, 5]


def test_import_error_status(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wa.state.import_error = True
    assert _cli(wa, "push-lens", str(manifest)) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "could not import the lens" in err[0] and "status ERROR" in err[0]


def test_second_sync_changes_nothing(wa: StandIn, manifest: Path, review_file: Path) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    steps: list[tuple[int, int, str]] = []
    first = sync_review(
        review_file,
        client,
        who="tester",
        progress=lambda n, total, what: steps.append((n, total, what)),
    )
    assert steps[0][0] == 1 and steps[-1] == (steps[-1][1], steps[-1][1], "done")
    assert [s[2] for s in steps if s[2] in first.updated] == first.updated
    assert first.created_workload and len(first.updated) == 4
    text = review_file.read_text()
    calls = dict(wa.state.calls)
    second = sync_review(review_file, client, who="tester")
    assert second.updated == [] and sorted(second.unchanged) == sorted(first.updated)
    assert wa.state.calls["UpdateAnswer"] == calls["UpdateAnswer"]
    assert wa.state.calls["CreateWorkload"] == 1 and len(wa.state.workloads) == 1
    assert wa.state.calls["GetAnswer"] == calls.get("GetAnswer", 0)  # the fingerprints sufficed
    assert review_file.read_text() == text  # not even the review file is touched


def test_local_change_is_sent_on_the_next_sync(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    from orr.review.ops import load_review_checklist, set_answer, update_mitigation

    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    store = ReviewStore(review_file)

    def change(review: Review) -> None:
        checklist = load_review_checklist(review, review_file)
        set_answer(
            review, checklist, "sec_access", choices=["sec_roles", "sec_review"], who="tester"
        )
        update_mitigation(review, "M1", status="done", who="tester")

    store.transact(change, "tester")
    result = sync_review(review_file, client, who="tester")
    assert result.updated == ["sec_access"]
    held = _answers(wa)["sec_access"]
    assert held.selected == ["sec_roles", "sec_review"]
    assert "[M1 done, due 2026-12-01, owner Sam]" in held.notes


def test_interrupted_sync_finishes_the_rest(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    wa.faults.inject("access", "UpdateAnswer", after=2)
    assert _cli(wa, "sync", str(review_file)) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "wellarchitected:UpdateAnswer" in err[0]
    assert len(_answers(wa)) == 2
    review = ReviewStore(review_file).load()
    assert len(json.loads(review.wat["answers"])) == 2  # what was done is remembered
    assert "stopped by an error" in review.audit[-1].detail
    updates = wa.state.calls["UpdateAnswer"]

    assert _cli(wa, "sync", str(review_file)) == 0
    assert "2 answer(s) updated, 2 unchanged" in capsys.readouterr().out
    assert wa.state.calls["UpdateAnswer"] == updates + 2
    assert len(_answers(wa)) == 4 and len(wa.state.workloads) == 1


def test_sync_killed_before_saving_resumes_without_resending(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    # As if the process died after the calls, before the fingerprints were written.
    store = ReviewStore(review_file)
    store.transact(lambda r: r.wat.pop("answers"), "tester")
    updates = wa.state.calls["UpdateAnswer"]
    result = sync_review(review_file, client, who="tester")
    assert result.updated == [] and len(result.unchanged) == 4
    assert wa.state.calls["UpdateAnswer"] == updates
    assert len(json.loads(ReviewStore(review_file).load().wat["answers"])) == 4


def test_change_in_the_wa_tool_is_not_overwritten_by_sync(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    _answers(wa)["sec_access"].selected = ["sec_access_no"]
    assert _cli(wa, "sync", str(review_file)) == 1
    assert "changed in the WA Tool since the last sync" in capsys.readouterr().err
    assert _answers(wa)["sec_access"].selected == ["sec_access_no"]
    assert _cli(wa, "sync", str(review_file), "--force") == 0
    assert _answers(wa)["sec_access"].selected == ["sec_roles"]


def test_pull_conflict_is_reported_not_overwritten(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orr.review.ops import load_review_checklist, set_answer

    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    # Both sides change sec_access; only the WA Tool changes obs_alarms and obs_dash.
    _answers(wa)["sec_access"].selected = ["sec_access_no"]
    _answers(wa)["obs_alarms"].selected = ["obs_alarms_paged"]
    _answers(wa)["obs_dash"] = AnswerRecord(
        [], False, "BUSINESS_PRIORITIES", "Not applicable: No UI\n\nAsk again in Q3"
    )
    store = ReviewStore(review_file)

    def change(review: Review) -> None:
        checklist = load_review_checklist(review, review_file)
        set_answer(review, checklist, "sec_access", choices=["sec_review"], who="tester")

    store.transact(change, "tester")
    assert _cli(wa, "pull", str(review_file)) == 1
    captured = capsys.readouterr()
    assert "2 answer(s) brought in (obs_alarms, obs_dash)" in captured.out
    assert (
        "conflict: sec_access: changed in the review (sec_review) and in the WA Tool "
        "(sec_access_no)" in captured.err
    )
    review = ReviewStore(review_file).load()
    assert review.answers["sec_access"].choices == ["sec_review"]  # left as it was
    assert review.answers["obs_alarms"].choices == ["obs_alarms_paged"]
    dash = review.answers["obs_dash"]
    assert (dash.applicable, dash.na_reason, dash.na_note, dash.notes) == (
        False,
        NaReason.BUSINESS_PRIORITIES,
        "No UI",
        "Ask again in Q3",
    )
    # A pull that has nothing new leaves the file alone.
    text = review_file.read_text()
    result = pull_review(review_file, client, who="tester")
    assert result.pulled == [] and [c.question for c in result.conflicts] == ["sec_access"]
    assert review_file.read_text() == text


def test_pull_lens_writes_the_checklist(
    wa: StandIn, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orr.checklist import load_checklist

    client = _client(wa)
    pushed = push_lens(manifest, client, publish="1.0")
    out = tmp_path / "pulled"
    assert _cli(wa, "pull-lens", pushed.arn, "-o", str(out)) == 0
    assert "pulled " + pushed.arn in capsys.readouterr().out
    original = load_checklist(manifest)
    pulled = load_checklist(out / "orr.toml")
    assert [q.id for q in pulled.questions] == [q.id for q in original.questions]
    assert [c.id for c in pulled.questions[0].choices] == [
        c.id for c in original.questions[0].choices
    ]
    result = pull_lens(client, str(manifest), tmp_path / "again", version="1.0")
    assert result.questions == len(original.questions)
    assert wa.state.params_of("ExportLens")[-1]["LensVersion"] == "1.0"


def test_sync_with_a_lens_shared_from_another_account(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    from orr.checklist import load_checklist
    from orr.lens.export import export_lens

    text = export_lens(load_checklist(manifest)).text
    arn = wa.publish_shared_lens(text)
    result = sync_review(review_file, _client(wa), lens=arn, who="tester")
    assert result.created_workload and len(result.updated) == 4
    assert ReviewStore(review_file).load().wat["lens_arn"] == arn


def test_sync_associates_the_lens_with_an_existing_workload(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    client = _client(wa)
    pushed = push_lens(manifest, client, publish="1.0")
    created = client.call(
        "CreateWorkload",
        WorkloadName="Existing",
        Description="made in the console",
        Environment="PRODUCTION",
        ReviewOwner="someone",
        AwsRegions=["us-east-1"],
        Lenses=["wellarchitected"],
    )
    result = sync_review(review_file, client, workload_id=created["WorkloadId"], who="tester")
    assert result.associated and not result.created_workload
    assert pushed.arn in wa.state.workloads[created["WorkloadId"]].lenses
    assert len(result.updated) == 4


def test_existing_workload_of_the_same_name_is_not_duplicated(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    created = client.call(
        "CreateWorkload",
        WorkloadName="Shop checkout",
        Description="made elsewhere",
        Environment="PRODUCTION",
        ReviewOwner="someone",
        AwsRegions=["us-east-1"],
        Lenses=["wellarchitected"],
    )
    assert _cli(wa, "sync", str(review_file)) == 3
    err = capsys.readouterr().err.strip()
    assert f"--workload-id {created['WorkloadId']}" in err and len(err.splitlines()) == 1
    assert len(wa.state.workloads) == 1


def test_long_notes_are_cut_with_a_marker(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orr.review.ops import load_review_checklist, set_answer

    store = ReviewStore(review_file)

    def long_notes(review: Review) -> None:
        checklist = load_review_checklist(review, review_file)
        set_answer(review, checklist, "sec_access", notes="日本語のメモ。" * 500, who="tester")

    store.transact(long_notes, "tester")
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    assert _cli(wa, "sync", str(review_file)) == 0
    assert "notes cut to 2,084 characters" in capsys.readouterr().err
    notes = _answers(wa)["sec_access"].notes
    assert notes.endswith(CUT_MARKER) and utf16_len(notes) <= NOTES_MAX
    assert "日本語のメモ。" in notes
    assert sync_review(review_file, client, who="tester").updated == []
    # The report of a review not synced yet is refused, not sent.
    other = build_review(review_file.parent / "other.toml", manifest, workload="Other")
    assert _cli(wa, "report", str(other), "-o", str(review_file.parent / "x.pdf")) == 2


def test_retry_backoff_is_recorded_not_slept(wa: StandIn, manifest: Path) -> None:
    wa.faults.throttle(2)
    result = push_lens(manifest, _client(wa))
    assert result.created
    assert len(RETRY_SLEEPS) == 2
    assert wa.state.calls["ListLenses"] == 3  # two throttled attempts, then the answer


def test_report_decodes_the_base64_pdf(
    wa: StandIn, manifest: Path, review_file: Path, tmp_path: Path
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    out = tmp_path / "r.pdf"
    result = lens_review_report(review_file, client, out)
    (workload,) = wa.state.workloads.values()
    expected = base64.b64decode(
        client.call("GetLensReviewReport", WorkloadId=workload.id, LensAlias=workload.lenses[1])[
            "LensReviewReport"
        ]["Base64String"]
    )
    assert out.read_bytes() == expected and result.size == len(expected)
    assert result.risk_counts["NOT_APPLICABLE"] == 1
    assert result.risk_counts["UNANSWERED"] == 3


def test_new_lens_version_reaches_the_workload_with_upgrade(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orr.review.ops import load_review_checklist, rebase, set_answer

    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    # The checklist grows a question; the review answers it; version 2.0 is published.
    source = manifest.parent / "security.toml"
    source.write_text(
        source.read_text() + '\n[[pillars.questions]]\nid = "sec_mfa"\ntitle = "Is MFA enforced?"\n'
        'severity = "high"\n\n[[pillars.questions.choices]]\nid = "sec_mfa_on"\n'
        'title = "MFA on"\nimprovement = "Turn it on."\n'
    )
    push_lens(manifest, client, publish="2.0", major=True)  # workloads upgrade when they choose
    store = ReviewStore(review_file)

    def answer_new(review: Review) -> None:
        checklist = load_review_checklist(review, review_file)
        rebase(review, checklist, who="tester")
        set_answer(review, checklist, "sec_mfa", choices=["sec_mfa_on"], who="tester")

    store.transact(answer_new, "tester")
    assert _cli(wa, "sync", str(review_file)) == 1
    err = capsys.readouterr().err
    assert (
        "the workload is on lens version 1.0 and version 2.0 is published: run orr wat sync" in err
    )
    assert "not in the workload's lens version 1.0, left out: sec_mfa" in err
    # What sync learnt is in the review, for orr status (offline).
    review = ReviewStore(review_file).load()
    assert (review.wat["lens_version"], review.wat["lens_status"]) == ("1.0", "NOT_CURRENT")
    assert review.wat["lens_latest"] == "2.0"
    note = lens_version_note(review, load_checklist(manifest), "shop.toml")
    assert note is not None and note.startswith("WA Tool: workload ")
    assert note.endswith(
        "is on lens version 1.0; version 2.0 is published: run orr wat sync shop.toml --upgrade"
    )

    assert _cli(wa, "sync", str(review_file), "--upgrade") == 0
    assert "(lens review upgraded to 2.0)" in capsys.readouterr().out
    (workload,) = wa.state.workloads.values()
    assert workload.milestones[-1]["name"].startswith("orr: before the lens upgrade of ")
    assert _answers(wa)["sec_mfa"].selected == ["sec_mfa_on"]
    assert _answers(wa)["sec_access"].selected == ["sec_roles"]  # carried over
    review = ReviewStore(review_file).load()
    assert (review.wat["lens_version"], review.wat["lens_status"]) == ("2.0", "CURRENT")
    assert lens_version_note(review, load_checklist(manifest)) is None
    calls = wa.state.calls["UpgradeLensReview"]
    assert _cli(wa, "sync", str(review_file), "--upgrade") == 0  # current: nothing to upgrade
    assert wa.state.calls["UpgradeLensReview"] == calls


def test_a_minor_version_applies_by_itself(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    source = manifest.parent / "security.toml"
    source.write_text(source.read_text().replace("Scoped roles", "Scoped roles per service"))
    push_lens(manifest, client, publish="1.1")  # minor: no upgrade asked of the workloads
    result = sync_review(review_file, client, who="tester")
    assert result.clean and result.lens_version == "1.1" and not result.needs_upgrade
    assert wa.state.calls["UpgradeLensReview"] == 0
    assert ReviewStore(review_file).load().wat["lens_version"] == "1.1"


def test_a_practice_the_lens_version_lacks_skips_that_answer_only(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orr.review.ops import load_review_checklist, set_answer

    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    # The checklist gains a practice; the review ticks it; the lens is not published again.
    source = manifest.parent / "security.toml"
    source.write_text(
        source.read_text().replace(
            'id = "sec_review"',
            'id = "sec_sso"\ntitle = "Single sign-on"\nimprovement = "Use SSO."\n\n'
            '[[pillars.questions.choices]]\nid = "sec_review"',
        )
    )

    def change(review: Review) -> None:
        checklist = load_review_checklist(review, review_file)
        set_answer(review, checklist, "sec_access", choices=["sec_roles", "sec_sso"], who="t")
        set_answer(review, checklist, "sec_secrets", choices=["sec_vault"], who="t")
        set_answer(review, checklist, "obs_dash", choices=["obs_dash_slo"], who="t")

    ReviewStore(review_file).transact(change, "tester")
    assert _cli(wa, "sync", str(review_file)) == 1
    captured = capsys.readouterr()
    assert "2 answer(s) updated" in captured.out  # the questions after it were sent
    assert (
        "not in the workload's lens version 1.0, left out: sec_access (sec_sso): publish the "
        "lens" in captured.err
    )
    assert _answers(wa)["sec_secrets"].selected == ["sec_vault"]
    assert _answers(wa)["obs_dash"].selected == ["obs_dash_slo"]
    assert _answers(wa)["sec_access"].selected == ["sec_roles"]  # as before, untouched
    assert wa.state.params_of("UpdateAnswer")[-1]["QuestionId"] != "sec_access"
    review = ReviewStore(review_file).load()
    note = lens_version_note(review, load_review_checklist(review, review_file), "r.toml")
    assert note == (
        "WA Tool: 1 answered question(s) not in the workload's lens version 1.0 (sec_access): "
        "publish the lens (orr wat push-lens --publish VERSION), then run orr wat sync r.toml "
        "--upgrade"
    )
