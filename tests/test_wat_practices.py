"""A practice that does not apply (``Answer.na_choices``) in the WA Tool: sync sends it as a
NOT_APPLICABLE choice update with its reason and note (never among the selected choices), sets
it back when it applies again, and pull brings it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from orr.cli import main
from orr.review.kinds import NaReason
from orr.review.model import PracticeNa, Review
from orr.review.store import ReviewStore
from orr.wat.answers import CHOICE_NOTES_MAX, utf16_len
from orr.wat.client import WaClient, connect
from orr.wat.lens import push_lens
from orr.wat.sync import pull_review, sync_review
from tests.wa_standin import (
    AnswerRecord,
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)

LONG = "The workload has no human users at all; " * 10  # over 250 characters


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_big_checklist(tmp_path / "checklists")


@pytest.fixture
def review_file(tmp_path: Path, manifest: Path) -> Path:
    path = build_review(tmp_path / "reviews" / "shop.toml", manifest)

    def waive(review: Review) -> None:
        review.answers["sec_access"].na_choices["sec_review"] = PracticeNa(
            reason=NaReason.ARCHITECTURE_CONSTRAINTS, note=LONG
        )

    ReviewStore(path).transact(waive, "tester")
    return path


def _client(wa: StandIn) -> WaClient:
    return connect(region="us-east-1", endpoint_url=wa.endpoint_url, max_attempts=2)


def _held(wa: StandIn) -> dict[str, AnswerRecord]:
    (workload,) = wa.state.workloads.values()
    return workload.answers[workload.lenses[1]]


def _update_of(wa: StandIn, qid: str) -> dict[str, object]:
    return [p for p in wa.state.params_of("UpdateAnswer") if p["QuestionId"] == qid][-1]


def test_sync_sends_a_practice_not_applicable_as_a_choice_update(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    first = sync_review(review_file, client, who="tester")
    assert "sec_access" in first.updated
    sent = _update_of(wa, "sec_access")
    assert sent["SelectedChoices"] == ["sec_roles"]  # never among the selected choices
    updates = sent["ChoiceUpdates"]
    assert isinstance(updates, dict) and list(updates) == ["sec_review"]
    assert updates["sec_review"]["Status"] == "NOT_APPLICABLE"
    assert updates["sec_review"]["Reason"] == "ARCHITECTURE_CONSTRAINTS"
    note = updates["sec_review"]["Notes"]
    assert utf16_len(note) == CHOICE_NOTES_MAX and note.endswith("…")
    assert note.startswith("The workload has no human users at all;")
    held = _held(wa)["sec_access"]
    assert held.selected == ["sec_roles"]
    assert held.na == {"sec_review": ("ARCHITECTURE_CONSTRAINTS", note)}
    # The stand-in counts a practice that does not apply as in place: no risk left.
    (workload,) = wa.state.workloads.values()
    summary = client.call(
        "GetAnswer", WorkloadId=workload.id, LensAlias=workload.lenses[1], QuestionId="sec_access"
    )
    assert summary["Answer"]["Risk"] == "NONE"
    # A second sync sends nothing.
    calls = wa.state.calls["UpdateAnswer"]
    second = sync_review(review_file, client, who="tester")
    assert second.updated == [] and wa.state.calls["UpdateAnswer"] == calls


def test_a_practice_that_applies_again_is_set_back(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")

    def applies(review: Review) -> None:
        review.answers["sec_access"].na_choices.clear()

    ReviewStore(review_file).transact(applies, "tester")
    result = sync_review(review_file, client, who="tester")
    assert result.updated == ["sec_access"]
    sent = _update_of(wa, "sec_access")
    assert sent["ChoiceUpdates"] == {"sec_review": {"Status": "UNSELECTED"}}
    assert _held(wa)["sec_access"].na == {} and _held(wa)["sec_access"].selected == ["sec_roles"]

    # And once selected again, it is selected there too.
    def selected(review: Review) -> None:
        review.answers["sec_access"].na_choices["sec_review"] = PracticeNa(reason=NaReason.OTHER)

    ReviewStore(review_file).transact(selected, "tester")
    sync_review(review_file, client, who="tester")

    def ticked(review: Review) -> None:
        answer = review.answers["sec_access"]
        answer.na_choices.clear()
        answer.choices = ["sec_roles", "sec_review"]

    ReviewStore(review_file).transact(ticked, "tester")
    sync_review(review_file, client, who="tester")
    sent = _update_of(wa, "sec_access")
    assert sent["SelectedChoices"] == ["sec_review", "sec_roles"]
    assert sent["ChoiceUpdates"] == {"sec_review": {"Status": "SELECTED"}}
    assert _held(wa)["sec_access"].selected == ["sec_roles", "sec_review"]
    assert sync_review(review_file, client, who="tester").updated == []


def test_pull_brings_a_practice_not_applicable_back(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    # Someone marks a practice not applicable in the WA Tool console.
    held = _held(wa)["sec_secrets"]
    held.selected = ["sec_vault"]
    held.na["sec_rotation"] = ("BUSINESS_PRIORITIES", "Rotation comes in Q3")
    argv = ["wat", "pull", str(review_file), "--endpoint-url", wa.endpoint_url]
    assert main(argv) == 0
    assert "1 answer(s) brought in (sec_secrets)" in capsys.readouterr().out
    review = ReviewStore(review_file).load()
    answer = review.answers["sec_secrets"]
    assert answer.choices == ["sec_vault"]
    assert answer.na_choices == {
        "sec_rotation": PracticeNa(reason=NaReason.BUSINESS_PRIORITIES, note="Rotation comes in Q3")
    }
    assert review.answers["sec_access"].na_choices["sec_review"].reason is (
        NaReason.ARCHITECTURE_CONSTRAINTS
    )
    details = [a.detail for a in review.audit]
    assert "sec_secrets: practices not applicable: sec_rotation (BUSINESS_PRIORITIES)" in details
    # Nothing to send back, nothing to pull again.
    calls = wa.state.calls["UpdateAnswer"]
    assert sync_review(review_file, client, who="tester").updated == []
    assert wa.state.calls["UpdateAnswer"] == calls
    assert pull_review(review_file, client, who="tester").pulled == []


def test_a_practice_changed_on_both_sides_is_a_conflict(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    _held(wa)["sec_access"].na["sec_review"] = ("OUT_OF_SCOPE", "changed there")

    def here(review: Review) -> None:
        review.answers["sec_access"].na_choices["sec_review"] = PracticeNa(reason=NaReason.OTHER)

    ReviewStore(review_file).transact(here, "tester")
    result = pull_review(review_file, client, who="tester")
    assert [c.question for c in result.conflicts] == ["sec_access"]
    assert "n/a: sec_review (OUT_OF_SCOPE)" in result.conflicts[0].wa_tool
    review = ReviewStore(review_file).load()
    assert review.answers["sec_access"].na_choices["sec_review"].reason is NaReason.OTHER


def test_a_practice_that_may_never_be_waived_is_not_pulled_as_waived(
    wa: StandIn, manifest: Path, review_file: Path
) -> None:
    source = manifest.parent / "security.toml"
    source.write_text(
        source.read_text().replace(
            'improvement = "Rotate them."', 'improvement = "Rotate them."\nwaivable = false'
        )
    )
    client = _client(wa)
    push_lens(manifest, client, publish="1.0")
    sync_review(review_file, client, who="tester")
    held = _held(wa)["sec_secrets"]
    held.selected = ["sec_vault"]
    held.na["sec_rotation"] = ("OTHER", "")
    result = pull_review(review_file, client, who="tester")
    assert any("may never be waived: left out" in w for w in result.warnings)
    assert ReviewStore(review_file).load().answers["sec_secrets"].na_choices == {}
