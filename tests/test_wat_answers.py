"""A review answer in the WA Tool's terms: notes made of notes, evidence, mitigations and
acceptances; the 2,084-character cut; reading notes back; fingerprints; the lens memory file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from orr.errors import InputError
from orr.review.kinds import MitigationStatus, NaReason
from orr.review.model import Answer, Evidence, Mitigation, RiskAcceptance
from orr.wat.answers import (
    CUT_MARKER,
    NOTES_MAX,
    WaAnswer,
    compose_notes,
    cut_notes,
    fingerprint,
    from_service,
    parse_notes,
    review_reason,
    utf16_len,
)
from orr.wat.memory import MEMORY_FILE, LensEntry, LensMemory

AT = datetime(2026, 5, 1, tzinfo=UTC)


def _answer(**kw: object) -> Answer:
    return Answer(answered_by="tester", answered_at=AT, **kw)


def _mitigation(mid: str = "M1", **kw: object) -> Mitigation:
    fields: dict[str, object] = {
        "id": mid,
        "question": "q1",
        "title": "Split the admin role",
        "owner": "Sam",
        "due": date(2026, 12, 1),
        "blocking": True,
        "updated_at": AT,
    }
    fields.update(kw)
    return Mitigation(**fields)


def test_notes_are_composed_in_order() -> None:
    answer = _answer(
        choices=["a_one"],
        notes="Checked with the team.",
        evidence=[
            Evidence(url="https://wiki.example.com/x", description="design doc"),
            Evidence(url="https://ci.example.com/run/1"),
        ],
    )
    acceptance = RiskAcceptance(
        id="A1",
        question="q1",
        approver="Lee",
        role="CISO",
        rationale="Internal only",
        expires=date(2026, 12, 31),
        created_at=AT,
    )
    notes = compose_notes(
        answer,
        [_mitigation(), _mitigation("M2", status=MitigationStatus.IN_PROGRESS, due=None, owner="")],
        [acceptance],
    )
    assert notes == (
        "Checked with the team.\n\n"
        "Evidence:\n- design doc: https://wiki.example.com/x\n- https://ci.example.com/run/1\n\n"
        "Mitigations:\n- [M1 open, due 2026-12-01, owner Sam] Split the admin role\n"
        "- [M2 in progress] Split the admin role\n\n"
        "Risk acceptances:\n- [A1 by Lee (CISO), expires 2026-12-31] Internal only"
    )


def test_notes_read_back() -> None:
    answer = _answer(
        applicable=False,
        na_reason=NaReason.OUT_OF_SCOPE,
        na_note="No users",
        notes="Line one\n\nParagraph two",
        evidence=[Evidence(url="https://x.example.com/a", description="a: b")],
    )
    parsed = parse_notes(compose_notes(answer, [_mitigation()]))
    assert parsed.na_note == "No users"
    assert parsed.notes == "Line one\n\nParagraph two"
    assert parsed.evidence == [("https://x.example.com/a", "a: b")]
    assert not parsed.cut
    assert parse_notes("").notes == ""
    assert parse_notes("just text").notes == "just text"


def test_long_notes_are_cut_visibly_within_the_limit() -> None:
    assert cut_notes("short") == "short"
    exact = "x" * NOTES_MAX
    assert cut_notes(exact) == exact
    for text in ("x" * 5000, "語" * 3000, "😀" * 2000):  # 1 and 2 UTF-16 units per character
        cut = cut_notes(text)
        assert cut.endswith("\n" + CUT_MARKER)
        assert NOTES_MAX - 2 <= utf16_len(cut) <= NOTES_MAX
        cut.encode("utf-8")  # strict: a half of a surrogate pair would not encode
    parsed = parse_notes(cut_notes("note " * 1000))
    assert parsed.cut and parsed.notes.startswith("note note")


def test_fingerprints_ignore_order_and_choices_of_a_not_applicable_answer() -> None:
    a = WaAnswer(("b", "a"), True, "", "n")
    b = WaAnswer(("a", "b"), True, "", "n")
    assert fingerprint(a.normal()) == fingerprint(b.normal())
    assert fingerprint(a.normal()) != fingerprint(WaAnswer(("a", "b"), True, "", "m"))
    na1 = from_service(
        {"SelectedChoices": ["a"], "IsApplicable": False, "Reason": "OTHER"}, with_notes=False
    )
    na2 = from_service(
        {"SelectedChoices": [], "IsApplicable": False, "Reason": "OTHER"}, with_notes=False
    )
    assert fingerprint(na1) == fingerprint(na2)
    applicable = from_service(
        {"SelectedChoices": ["a"], "IsApplicable": True, "Reason": "NONE"}, with_notes=True
    )
    assert applicable.reason == "" and applicable.notes == ""
    assert review_reason("NONE") is NaReason.OTHER
    assert review_reason("BUSINESS_PRIORITIES") is NaReason.BUSINESS_PRIORITIES


def test_update_params() -> None:
    assert WaAnswer(("a",), True, "", "n").update_params() == {
        "SelectedChoices": ["a"],
        "Notes": "n",
        "IsApplicable": True,
    }
    assert WaAnswer((), False, "", "").update_params() == {
        "SelectedChoices": [],
        "Notes": "",
        "IsApplicable": False,
        "Reason": "NONE",
    }


def test_memory_round_trip_and_one_entry_per_account_and_target(tmp_path: Path) -> None:
    manifest = tmp_path / "orr.toml"
    memory = LensMemory.beside(manifest)
    assert memory.entries == []
    a1 = "arn:aws:wellarchitected:eu-west-1:111111111111:lens/aaa"
    a2 = "arn:aws:wellarchitected:eu-west-1:111111111111:lens/bbb"
    b1 = "arn:aws:wellarchitected:eu-west-1:222222222222:lens/ccc"
    memory.remember(LensEntry(arn=a1, region="eu-west-1", name="L", published="1.0"))
    memory.remember(LensEntry(arn=b1, region="eu-west-1", name="L"))
    memory.remember(LensEntry(arn=a2, region="eu-west-1", name="L"))  # replaces a1 (same account)
    again = LensMemory.beside(manifest)
    assert [e.arn for e in again.for_target("eu-west-1", None)] == [b1, a2]
    assert again.for_target("eu-west-1", "http://127.0.0.1:1") == []
    text = (tmp_path / MEMORY_FILE).read_text()
    assert text.startswith("# Written by `orr wat push-lens`")
    (tmp_path / MEMORY_FILE).write_text("[[lenses]]\nregion = 1\n")
    with pytest.raises(InputError, match="lenses\\[0\\] needs arn and region"):
        LensMemory.beside(manifest)
