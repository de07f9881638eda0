"""Review files: the TOML form, malformed files, atomic and locked saving, merging concurrent
edits and refusing conflicting ones."""

from __future__ import annotations

import fcntl
import os
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from orr.errors import ConflictError, InputError
from orr.review import ops
from orr.review.model import Answer, Review
from orr.review.store import (
    ReviewStore,
    _unchecked_known,
    dump_review,
    load_review,
    review_data,
    toml_text,
)
from tests.test_review_support import (
    HIGH_Q,
    MEDIUM_Q,
    NOW,
    SEC_HIGH_Q,
    TODAY,
    answer_clean,
    mini,
    new_review,
    sign_all,
)


def full_review() -> Review:
    """A review with every kind of entry."""
    c = mini()
    review = answer_clean(new_review())
    ops.set_answer(review, c, MEDIUM_Q, na_reason="OTHER", na_note="batch", who="t", now=NOW)
    ops.add_mitigation(
        review,
        c,
        HIGH_Q,
        title="t",
        owner="o",
        due="2030-01-10",
        ticket="https://t/1",
        who="t",
        now=NOW,
    )
    ops.add_acceptance(
        review,
        c,
        HIGH_Q,
        approver="B",
        role="owner",
        rationale="r",
        expires="2030-05-01",
        who="t",
        now=NOW,
        today=TODAY,
    )
    sign_all(review)
    ops.set_answer(review, c, HIGH_Q, evidence=["https://e/1"], who="t", now=NOW)
    review.wat["workload_id"] = "abc123"
    review.archived["old_question"] = Answer(choices=["x_1"], answered_by="t", answered_at=NOW)
    return review


def saved(tmp_path: Path, review: Review | None = None) -> Path:
    path = tmp_path / "reviews" / "r.toml"
    ReviewStore(path).create(review or full_review())
    return path


# --- the TOML form ------------------------------------------------------------------------------


def test_dump_and_load_round_trip(tmp_path: Path) -> None:
    review = full_review()
    path = saved(tmp_path, review)
    assert load_review(path) == review
    text = path.read_text(encoding="utf-8")
    assert "[[mitigations]]" in text and "[answers.ops_runbooks]" in text
    assert "None" not in text and "null" not in text  # None fields are left out
    assert "ticket" in text and text.count("ticket") == 1


def test_the_writer_agrees_with_tomli_w() -> None:
    data = review_data(full_review())
    assert tomllib.loads(toml_text(data)) == tomllib.loads(tomli_w.dumps(data))


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    notes=_text,
    title=_text.filter(lambda s: s.strip() != ""),
    key=_text,
    when=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
    day=st.dates(min_value=date(1, 1, 1)),
)
def test_any_text_round_trips_exactly(
    notes: str, title: str, key: str, when: datetime, day: date
) -> None:
    review = full_review()
    review.answers[HIGH_Q].notes = notes
    review.mitigations[0].title = title
    review.mitigations[0].updated_at = when
    review.mitigations[0].due = day
    review.wat[key] = notes
    text = dump_review(review)
    assert Review.model_validate(tomllib.loads(text)) == review
    assert tomllib.loads(text) == tomllib.loads(tomli_w.dumps(review_data(review)))


# --- malformed files ----------------------------------------------------------------------------

BASE_CASES: list[tuple[str, str, str, str]] = [
    # (id, old text, new text, the expected problem ":line: path: message"); {line} is the line
    # of the new text (or, where text is removed, of the table that lost it)
    ("syntax", 'owner = "Ann"', 'owner = "Ann', "{line}:13: TOML syntax error: Illegal character"),
    (
        "unknown field",
        "launch_date = 2030-01-20",
        "launch = 2030-01-20",
        "{line}: workload.launch: unknown field 'launch' (did you mean 'launch_date'?)",
    ),
    (
        "bad date",
        "launch_date = 2030-01-20",
        'launch_date = "next week"',
        "{line}: workload.launch_date: 'next week' is not a date: write YYYY-MM-DD",
    ),
    (
        "environment",
        'environment = "production"',
        'environment = "prod"',
        "{line}: workload.environment: 'prod' is not allowed: use 'production' or 'preproduction'",
    ),
    (
        "newer schema",
        "schema_version = 1",
        "schema_version = 2",
        "{line}: schema_version: 2 is newer than this orr understands (1): upgrade orr",
    ),
    (
        "none of these with others",
        'choices = ["sec_lp_scoped", "sec_lp_reviewed"]',
        'choices = ["sec_lp_scoped", "sec_least_privilege_no"]',
        "{line}: answers.sec_least_privilege.choices: 'sec_least_privilege_no' (None of these) "
        "cannot be selected with other choices",
    ),
    (
        "n/a with choices",
        "choices = []\napplicable = false",
        'choices = ["ops_al_kpi"]\napplicable = false',
        "{line}: answers.ops_alarms.choices: a not-applicable answer selects no choices",
    ),
    (
        "reason on an applicable answer",
        "choices = []\napplicable = false",
        'choices = ["ops_al_kpi"]\napplicable = true',
        "{line}: answers.ops_alarms.na_reason: na_reason is only for a not-applicable answer",
    ),
    (
        "unknown n/a reason",
        'na_reason = "OTHER"',
        'na_reason = "LATER"',
        "{line}: answers.ops_alarms.na_reason: 'LATER' is not allowed: use 'OUT_OF_SCOPE', "
        "'BUSINESS_PRIORITIES', 'ARCHITECTURE_CONSTRAINTS' or 'OTHER'",
    ),
    (
        "mitigation id",
        'id = "M1"',
        'id = "X1"',
        "{line}: mitigations[0].id: 'X1': is not a mitigation id (M1, M2, ...)",
    ),
    (
        "duplicate mitigation id",
        "[[acceptances]]",
        '[[mitigations]]\nid = "M1"\nquestion = "ops_runbooks"\ntitle = "again"\n'
        "blocking = true\nupdated_at = 2030-01-01T09:00:00Z\n\n[[acceptances]]",
        "{line}: mitigations[1].id: id 'M1' is used twice ([0] and [1]): ids are unique",
    ),
    (
        "mitigation status",
        'status = "open"',
        'status = "closed"',
        "{line}: mitigations[0].status: 'closed' is not allowed: use 'open', 'in_progress', "
        "'done' or 'withdrawn'",
    ),
    (
        "ticket",
        'ticket = "https://t/1"',
        'ticket = "JIRA-1"',
        "{line}: mitigations[0].ticket: 'JIRA-1': a url starts with http:// or https://",
    ),
    (
        "blocking is not a boolean",
        "blocking = false",
        'blocking = "no"',
        "{line}: mitigations[0].blocking: 'no' is not true or false",
    ),
    (
        "acceptance without expiry",
        "expires = 2030-05-01\n",
        "",
        "{line}: acceptances[0].expires: missing (required)",
    ),
    (
        "sign-off decision",
        'decision = "approve"',
        'decision = "yes"',
        "{line}: signoffs[0].decision: 'yes' is not allowed: use 'approve' or 'reject'",
    ),
    (
        "two sign-offs for a role",
        'role = "security"\nname = "Sam"',
        'role = "owner"\nname = "Sam"',
        "{line}: signoffs[1].role: two sign-offs for role 'owner' ([0] and [1]): one per role",
    ),
    (
        "evidence url",
        'url = "https://e/1"',
        'url = "e/1"',
        "{line}: answers.ops_runbooks.evidence[0].url: 'e/1': a url starts with http:// or https://",
    ),
    (
        "question id",
        "[answers.ops_alarms]",
        '[answers."ops alarms"]',
        "{line}: answers.ops alarms: 'ops alarms' is not a question id (letters, digits and _)",
    ),
    (
        "escape sequence in a choice id",
        'choices = ["sec_enc_rest", "sec_enc_transit"]',
        'choices = ["sec_enc_rest\\u001b[31m"]',
        "{line}: answers.sec_encryption.choices[0]: 'sec_enc_rest\\x1b[31m' is not a choice id",
    ),
    (
        "choice selected twice",
        'choices = ["sec_enc_rest", "sec_enc_transit"]',
        'choices = ["sec_enc_rest", "sec_enc_rest"]',
        "{line}: answers.sec_encryption.choices: choice 'sec_enc_rest' is selected twice",
    ),
    (
        "audit entry without who",
        'who = "tester"\n',
        "",
        "{line}: audit[0].who: missing (required)",
    ),
    (
        "empty stakeholder name",
        'name = "Sam"',
        'name = ""',
        "{line}: stakeholders[1].name: must not be empty",
    ),
    (
        "missing workload",
        '[workload]\nname = "Payments API"\ndescription = ""\nenvironment = "production"\n'
        'launch_date = 2030-01-20\nowner = "Ann"\nregions = []\n',
        "",
        ": workload: missing (required)",
    ),
]


# The line a problem is reported on: the first line of the new text, or the first line from the
# change on that holds the anchor (for a removal: the last line before it that holds it).
ANCHORS = {
    "reason on an applicable answer": "na_reason",
    "duplicate mitigation id": 'id = "M1"',
    "acceptance without expiry": "[[acceptances]]",
    "audit entry without who": "[[audit]]",
}


@pytest.mark.parametrize(
    ("case", "old", "new", "expected"), BASE_CASES, ids=[c[0] for c in BASE_CASES]
)
def test_a_malformed_review_file_is_reported_with_line_and_field(
    tmp_path: Path, case: str, old: str, new: str, expected: str
) -> None:
    text = dump_review(full_review())
    assert old in text
    at = text.index(old)
    changed = text.replace(old, new, 1)
    path = tmp_path / "r.toml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_review(path)
    lines = err.value.lines()
    anchor = ANCHORS.get(case) or new.split("\n")[0]
    where = changed.index(anchor, at) if new else changed.rindex(anchor, 0, at)
    expected = expected.replace("{line}", f":{changed[:where].count(chr(10)) + 1}")
    assert any(line.startswith(f"{path}{expected}") for line in lines), (expected, lines)


def test_every_problem_of_a_file_is_reported_together(tmp_path: Path) -> None:
    text = dump_review(full_review())
    text = text.replace('status = "open"', 'status = "closed"').replace(
        'decision = "approve"', 'decision = "yes"', 1
    )
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_review(path)
    assert [p.path for p in err.value.problems] == ["mitigations[0].status", "signoffs[0].decision"]


def test_not_utf8_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    raw = dump_review(full_review()).encode()
    line = raw[: raw.index(b'"Ann"')].count(b"\n") + 1
    path.write_bytes(raw.replace(b'"Ann"', b'"An\xffn"', 1))
    with pytest.raises(InputError, match=rf"r.toml:{line}: not UTF-8 text"):
        load_review(path)
    with pytest.raises(InputError, match=r"nope.toml: no such file"):
        load_review(tmp_path / "nope.toml")


# --- saving -------------------------------------------------------------------------------------


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = saved(tmp_path)
    with pytest.raises(ConflictError, match="already exists"):
        ReviewStore(path).create(new_review())


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path)
    before = path.read_bytes()
    store = ReviewStore(path)
    review = store.load()
    review.workload.owner = "Zed"

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(InputError, match="cannot write"):
        store.save(review)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [".r.toml.lock", "r.toml"]


def test_an_invalid_review_is_not_written(tmp_path: Path) -> None:
    path = saved(tmp_path)
    before = path.read_bytes()
    store = ReviewStore(path)
    review = store.load()
    review.answers[SEC_HIGH_Q].choices.append("sec_least_privilege_no")  # in place, unchecked
    with pytest.raises(InputError, match="not saved: the review is not valid"):
        store.save(review)
    assert path.read_bytes() == before


def test_a_save_checks_again_what_changed_since_the_last_save(tmp_path: Path) -> None:
    """A store validates the entries equal to those it wrote last no more (they were valid
    then); every entry that changed, and every rule across entries, it still checks."""
    c = mini()
    path = saved(tmp_path)
    store = ReviewStore(path)
    review = store.save(store.load(), "t")  # the store now knows every table it wrote
    ops.set_answer(review, c, HIGH_Q, notes="changed", who="t", now=NOW)

    checked = _unchecked_known(review_data(review), review, store._texts)
    answers = checked["answers"]
    assert answers[SEC_HIGH_Q] is review.answers[SEC_HIGH_Q]  # as written: taken as it is
    assert isinstance(answers[HIGH_Q], dict)  # changed: validated again
    assert isinstance(checked["audit"][-1], dict)  # the new entry of the trail
    assert all(a is b for a, b in zip(checked["audit"][:-1], review.audit, strict=False))
    review = store.save(review, "t")
    before = path.read_bytes()

    def refused(change: Callable[[Review], object]) -> None:
        edited = store.load()
        store.save(edited, "t")
        change(edited)
        with pytest.raises(InputError, match="not saved: the review is not valid"):
            store.save(edited, "t")
        assert path.read_bytes() == before

    # An answer changed in place (unchecked by pydantic) into one that is not valid.
    refused(lambda r: r.answers[SEC_HIGH_Q].choices.append("sec_least_privilege_no"))
    # A new mitigation valid by itself, with the id of one already written.
    refused(lambda r: r.mitigations.append(r.mitigations[0].model_copy()))
    # A second sign-off for a role already signed.
    refused(lambda r: r.signoffs.append(r.signoffs[0].model_copy()))


def test_text_that_is_not_utf8_is_refused_not_crashed(tmp_path: Path) -> None:
    path = saved(tmp_path)
    store = ReviewStore(path)
    review = store.load()
    review.answers[HIGH_Q].notes = "bad \udcff byte"  # what a non-UTF-8 argv turns into
    with pytest.raises(InputError, match="not valid UTF-8"):
        store.save(review)


def test_the_lock_keeps_a_second_writer_out(tmp_path: Path) -> None:
    path = saved(tmp_path)
    store = ReviewStore(path, lock_timeout=0.2)
    review = store.load()
    fd = os.open(store.lock_path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another open file: conflicts even within one process
    try:
        with pytest.raises(ConflictError, match="another process is saving this review"):
            store.save(review)
    finally:
        os.close(fd)
    store.save(review)  # released: fine


def test_non_conflicting_edits_are_merged(tmp_path: Path) -> None:
    path = saved(tmp_path)
    c = mini()
    first, second = ReviewStore(path), ReviewStore(path)
    a, b = first.load(), second.load()
    ops.set_answer(a, c, HIGH_Q, none=True, who="alice", now=NOW)
    ops.add_mitigation(a, c, HIGH_Q, title="from A", owner="A", due=None, who="alice")
    first.save(a, "alice")
    ops.set_answer(b, c, SEC_HIGH_Q, notes="from B", who="bob", now=NOW)
    ops.add_mitigation(b, c, SEC_HIGH_Q, title="from B", owner="B", due=None, who="bob")
    b.workload.owner = "Bob"
    merged = second.save(b, "bob")
    on_disk = load_review(path)
    assert on_disk == merged
    assert on_disk.answers[HIGH_Q].choices == ["ops_runbooks_no"]
    assert on_disk.answers[SEC_HIGH_Q].notes == "from B"
    assert on_disk.workload.owner == "Bob"
    assert [(m.id, m.title) for m in on_disk.mitigations] == [
        ("M1", "t"),
        ("M2", "from A"),
        ("M3", "from B"),  # both added M2: the later writer's is renumbered
    ]
    actions = [(e.who, e.action) for e in on_disk.audit]
    assert ("alice", "answer") in actions and ("bob", "answer") in actions
    assert on_disk.audit[-1].action == "merge" and "M2 -> M3" in on_disk.audit[-1].detail
    assert not second.changed_on_disk()


def test_conflicting_edits_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = saved(tmp_path)
    c = mini()
    first, second = ReviewStore(path), ReviewStore(path)
    a, b = first.load(), second.load()
    ops.set_answer(a, c, HIGH_Q, none=True, who="alice")
    ops.update_mitigation(a, "M1", who="alice", status="done")
    first.save(a)
    written = path.read_bytes()
    ops.set_answer(b, c, HIGH_Q, choices=["ops_rb_written"], who="bob")
    ops.update_mitigation(b, "M1", who="bob", owner="Bob")
    with pytest.raises(ConflictError) as err:
        second.save(b)
    assert "changed on disk since it was read" in err.value.message
    assert "answer ops_runbooks, mitigation M1" in err.value.message
    assert "nothing written" in err.value.message
    assert path.read_bytes() == written


def test_a_file_deleted_under_the_editor_is_not_silently_recreated(tmp_path: Path) -> None:
    path = saved(tmp_path)
    store = ReviewStore(path)
    review = store.load()
    path.unlink()
    with pytest.raises(ConflictError, match="was deleted or moved"):
        store.save(review)


def test_changed_on_disk(tmp_path: Path) -> None:
    path = saved(tmp_path)
    mine, other = ReviewStore(path), ReviewStore(path)
    review = mine.load()
    assert not mine.changed_on_disk()
    mine.save(review)
    assert not mine.changed_on_disk()
    theirs = other.load()
    theirs.workload.owner = "Other"
    other.save(theirs)
    assert mine.changed_on_disk()
    assert mine.load().workload.owner == "Other"
    assert not mine.changed_on_disk()


def test_transact_writes_nothing_when_the_change_fails(tmp_path: Path) -> None:
    path = saved(tmp_path)
    before = path.read_bytes()

    def change(review: Review) -> None:
        review.workload.owner = "Half done"
        raise InputError("refused")

    with pytest.raises(InputError, match="refused"):
        ReviewStore(path).transact(change)
    assert path.read_bytes() == before
    owner = ReviewStore(path).transact(lambda r: setattr(r.workload, "owner", "Zoe"))
    assert owner is None and load_review(path).workload.owner == "Zoe"


# --- the merge itself ---------------------------------------------------------------------------


def test_merge_entry_by_entry() -> None:
    from orr.review.merge import MergeConflict, merge_reviews

    c = mini()
    base = full_review()
    ours, theirs = base.model_copy(deep=True), base.model_copy(deep=True)
    ops.add_stakeholder(ours, c, "Olga", "security", who="o", now=NOW)
    ops.add_stakeholder(theirs, c, "Tom", "owner", who="t", now=NOW)
    ops.sign_off(theirs, c, "security", "Sam", "reject", who="t", now=NOW)
    theirs.wat["lens_arn"] = "arn:x"
    ours.workload.regions = ["eu-west-1"]
    theirs.workload.description = "payments"
    del theirs.answers[MEDIUM_Q]  # removed on one side, untouched on the other: removed
    merged = merge_reviews(base, ours, theirs, "o")
    assert [s.name for s in merged.stakeholders] == ["Ann", "Sam", "Tom", "Olga"]
    security = merged.signoff("security")
    assert security is not None
    assert security.decision == "reject"
    assert merged.wat == {"workload_id": "abc123", "lens_arn": "arn:x"}
    assert (merged.workload.regions, merged.workload.description) == (["eu-west-1"], "payments")
    assert MEDIUM_Q not in merged.answers

    ours.answers[MEDIUM_Q].notes = "changed here"  # changed on one side, removed on the other
    ours.workload.description = "billing"
    with pytest.raises(MergeConflict) as err:
        merge_reviews(base, ours, theirs)
    assert err.value.entries == ["workload.description", f"answer {MEDIUM_Q}"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    from orr.review.merge import merge_reviews

    base = full_review()
    ours, theirs = base.model_copy(deep=True), base.model_copy(deep=True)
    for side in (ours, theirs):
        ops.update_mitigation(side, "M1", who="x", now=NOW, status="done")
    merged = merge_reviews(base, ours, theirs)
    assert merged.mitigations[0].status == "done"
    # Two people made the change, each acknowledged: the trail keeps both entries, identical as
    # they are (same second, person, action and detail), rather than one standing for the two.
    assert len(merged.audit) == len(base.audit) + 2
    assert merged.audit[-1] == merged.audit[-2] == ours.audit[-1]


def test_equal_elements_written_differently_are_not_confused() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    utc = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    plus_one = datetime(2026, 1, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert utc == plus_one
    first = toml_text({"audit": [{"at": utc, "who": "a"}]})
    second = toml_text({"audit": [{"at": plus_one, "who": "a"}]})
    assert "12:00:00+00:00" in first and "13:00:00+01:00" in second
    assert "true" in toml_text({"x": [{"v": True}]})
    assert "v = 1\n" in toml_text({"x": [{"v": 1}]})


def test_a_store_writes_again_only_what_changed_and_writes_it_exactly(tmp_path: Path) -> None:
    """A store keeps the text of each table it wrote; every save is still exactly the text a
    fresh writer makes of the review, through answers, notes, mitigations added, changed and
    withdrawn, evidence removed, and an entry of the trail in the middle changed."""
    c = mini()
    review = full_review()
    path = saved(tmp_path, review)
    store = ReviewStore(path)
    store.load()

    def changes() -> list[Callable[[Review], object]]:
        return [
            lambda r: ops.set_answer(r, c, HIGH_Q, notes="first\nsecond", who="t", now=NOW),
            lambda r: ops.set_answer(r, c, SEC_HIGH_Q, notes="ünïcode 日本", who="t", now=NOW),
            lambda r: ops.add_mitigation(
                r, c, HIGH_Q, title="again", owner="o", due="2030-01-11", who="t", now=NOW
            ),
            lambda r: ops.update_mitigation(r, "M1", who="t", now=NOW, status="done"),
            lambda r: ops.withdraw_mitigation(r, "M2", reason="dup", who="t", now=NOW),
            lambda r: ops.remove_evidence(r, c, HIGH_Q, "https://e/1", who="t", now=NOW),
            lambda r: r.audit.__setitem__(1, r.audit[1].model_copy(update={"who": "changed"})),
            lambda r: r.audit.pop(0),
        ]

    for change in changes():
        change(review)
        review = store.save(review, "t")
        text = path.read_text(encoding="utf-8")
        assert text == dump_review(review)
        assert load_review(path) == review
        # Every table of the text is known for the next save, those reused as a whole included.
        headers = sum(1 for line in text.splitlines() if line.startswith("["))
        assert len(store._texts) == headers
