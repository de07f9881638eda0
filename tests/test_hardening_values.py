"""Values in files read strictly, and every problem one line (issue 13, items 2, 3, 4 and 11):
values nested too deeply, dates and date-times that are numbers, loose schema versions, a UTF-8
byte-order mark, and very long ids echoed cut."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from orr.checklist import load_checklist
from orr.errors import InputError
from orr.review.model import Review
from orr.review.store import dump_review, parse_review
from orr.tomlfile import TOMLDecodeError, loads
from tests.helpers import SOURCE, write_checklist
from tests.test_hardening_support import REVIEW, make_workspace, one_line_naming, run, snapshot
from tests.test_review_store import full_review

SHOWN = "reviews/r.toml"


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_workspace(tmp_path, capsys)


def review_text() -> str:
    return dump_review(full_review())


def with_value(text: str, key: str, value: str) -> tuple[str, int]:
    """``text`` with the first ``key = ...`` line's value replaced; and that line's number."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{key} = "):
            lines[i] = f"{key} = {value}\n"
            return "".join(lines), i + 1
    raise AssertionError(f"no {key} in the review")


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_review(text, SHOWN)
    return info.value.lines()


# --- 3. dates and date-times -----------------------------------------------------------------------

DATE_FIELDS = {
    "launch_date": "workload.launch_date",
    "due": "mitigations[0].due",
    "expires": "acceptances[0].expires",
    "verified_on": "answers.ops_runbooks.evidence[0].verified_on",
}
NOT_DATES = {
    "0": "0",
    '"0"': "'0'",
    "-86400": "-86400",
    "20270110": "20270110",
    '"20270110"': "'20270110'",
    "1.5": "1.5",
    "true": "True",
    '"next week"': "'next week'",
    "2030-01-20T00:00:00": "datetime.datetime(2030, 1, 20, 0, 0)",
    '"2030-01-20T00:00:00"': "'2030-01-20T00:00:00'",
}


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("value", NOT_DATES)
def test_a_date_is_a_toml_date_or_a_yyyy_mm_dd_string_nothing_else(field: str, value: str) -> None:
    text, line = with_value(review_text(), field, value)
    shown = NOT_DATES[value]
    assert problems(text) == [
        f"{SHOWN}:{line}: {DATE_FIELDS[field]}: {shown} is not a date: write YYYY-MM-DD"
    ]


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("value", ["2030-01-25", '"2030-01-25"', '" 2030-01-25 "'])
def test_a_date_as_a_toml_date_or_a_string_reads_the_same(field: str, value: str) -> None:
    text, _ = with_value(review_text(), field, value)
    review = parse_review(text, SHOWN)
    data = review.model_dump()
    found = [v for k, v in _walk(data) if k == field]
    assert date(2030, 1, 25) in found


TIMESTAMP_FIELDS = {
    "answered_at": "answers.ops_rollback.answered_at",
    "at": "signoffs[0].at",
    "updated_at": "mitigations[0].updated_at",
    "created_at": "acceptances[0].created_at",
}
NOT_TIMESTAMPS = {
    "0": "0",
    '"0"': "'0'",
    '"1700000000"': "'1700000000'",
    "1700000000": "1700000000",
    "1.5": "1.5",
    "false": "False",
    '"yesterday"': "'yesterday'",
    '"2030-13-01T00:00:00Z"': "'2030-13-01T00:00:00Z'",
}


@pytest.mark.parametrize("field", TIMESTAMP_FIELDS)
@pytest.mark.parametrize("value", NOT_TIMESTAMPS)
def test_a_timestamp_is_never_a_number(field: str, value: str) -> None:
    text = review_text()
    # The first `at = ` is an audit entry's when the field is `at`: any entry will do.
    text, line = with_value(text, field, value)
    (got,) = problems(text)
    assert re.fullmatch(
        rf"{re.escape(SHOWN)}:{line}: [\w.\[\]]*\b{field}: {re.escape(NOT_TIMESTAMPS[value])} is "
        r"not a date-time: write YYYY-MM-DDTHH:MM:SSZ",
        got,
    ), got


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2030-01-03T10:00:00+00:00", datetime(2030, 1, 3, 10, tzinfo=UTC)),
        ("2030-01-03T10:00:00", datetime(2030, 1, 3, 10, tzinfo=UTC)),  # local: read as UTC
        ('"2030-01-03T10:00:00Z"', datetime(2030, 1, 3, 10, tzinfo=UTC)),
        ('"2030-01-03 11:00:00+01:00"', datetime(2030, 1, 3, 10, tzinfo=UTC)),
        ('"2030-01-03"', datetime(2030, 1, 3, tzinfo=UTC)),
    ],
)
def test_a_timestamp_as_a_toml_date_time_or_an_iso_string(value: str, expected: datetime) -> None:
    text, _ = with_value(review_text(), "updated_at", value)
    review = parse_review(text, SHOWN)
    assert review.mitigations[0].updated_at == expected


def _walk(data: object, key: str = "") -> list[tuple[str, object]]:
    if isinstance(data, dict):
        return [pair for k, v in data.items() for pair in _walk(v, str(k))]
    if isinstance(data, list):
        return [pair for v in data for pair in _walk(v, key)]
    return [(key, data)]


def test_a_numeric_launch_date_is_one_line_from_the_cli(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = workspace / "reviews" / "payments-api.toml"
    text, line = with_value(review.read_text(encoding="utf-8"), "launch_date", "0")
    review.write_text(text, encoding="utf-8")
    before = snapshot(workspace)
    for args in (["status", REVIEW], ["review", "answer", REVIEW, "ops_runbooks", "--none"]):
        code, out, err = run(capsys, *args)
        assert (code, out) == (2, "")
        assert one_line_naming(err, "payments-api.toml") == (
            f"reviews/payments-api.toml:{line}: workload.launch_date: 0 is not a date: "
            "write YYYY-MM-DD"
        )
    assert snapshot(workspace) == before


# --- 4. schema_version ------------------------------------------------------------------------------

LOOSE_VERSIONS = {
    '"1"': "'1' is not a schema version this orr reads: write schema_version = 1",
    "true": "True is not a schema version this orr reads: write schema_version = 1",
    "1.0": "1.0 is not a schema version this orr reads: write schema_version = 1",
    "0": "0 is not a schema version this orr reads: write schema_version = 1",
    "-1": "-1 is not a schema version this orr reads: write schema_version = 1",
    "2": "2 is newer than this orr understands (1): upgrade orr",
}


@pytest.mark.parametrize("value", LOOSE_VERSIONS)
def test_a_review_schema_version_is_exactly_one_orr_knows(value: str) -> None:
    text, line = with_value(review_text(), "schema_version", value)
    assert problems(text) == [f"{SHOWN}:{line}: schema_version: {LOOSE_VERSIONS[value]}"]


@pytest.mark.parametrize("value", LOOSE_VERSIONS)
@pytest.mark.parametrize("where", ["manifest", "source"])
def test_a_checklist_schema_version_is_exactly_one_orr_knows(
    tmp_path: Path, value: str, where: str
) -> None:
    manifest = write_checklist(tmp_path)
    target = manifest if where == "manifest" else tmp_path / "security.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("schema_version = 1", f"schema_version = {value}", 1))
    with pytest.raises(InputError) as info:
        load_checklist(manifest)
    (line,) = info.value.lines()
    assert line.endswith(f"{target.name}:1: schema_version: {LOOSE_VERSIONS[value]}"), line


def test_a_missing_schema_version_still_means_1(tmp_path: Path) -> None:
    manifest = write_checklist(tmp_path, {"s.toml": SOURCE.replace("schema_version = 1\n", "")})
    assert len(load_checklist(manifest).questions) == 1


# --- 2. values nested too deeply ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["[" * 402 + "]" * 402, "{ a = " * 402 + "1" + " }" * 402, "[" * 100_000],
    ids=["arrays", "inline tables", "100,000 brackets"],
)
def test_toml_nested_too_deeply_is_one_line(value: str) -> None:
    text, line = with_value(review_text(), "regions", value)
    (got,) = problems(text)
    assert got.startswith(f"{SHOWN}:{line}:")
    assert got.endswith("TOML syntax error: values nested more than 400 levels deep")


def test_toml_nested_just_under_the_limit_is_an_ordinary_problem() -> None:
    text, line = with_value(review_text(), "regions", "[" * 399 + "]" * 399)
    (got,) = problems(text)
    assert got.startswith(f"{SHOWN}:{line}: workload.regions[0]: [[[[")
    assert got.endswith("is not a string")


def test_every_toml_reader_gets_a_decode_error_not_a_recursion_error() -> None:
    with pytest.raises(TOMLDecodeError, match="nested more than 400 levels deep"):
        loads("a = " + "[" * 5000)


def test_a_checklist_nested_too_deeply(tmp_path: Path) -> None:
    manifest = write_checklist(tmp_path)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("include = [", "include = " + "[" * 500, 1))
    with pytest.raises(InputError) as info:
        load_checklist(manifest)
    (line,) = info.value.lines()
    assert line.endswith(
        "orr.toml:6:411: TOML syntax error: values nested more than 400 levels deep"
    )


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000],
    ids=["arrays", "objects"],
)
def test_json_nested_too_deeply_is_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], command: str, text: str
) -> None:
    (workspace / "deep.json").write_text(text, encoding="utf-8")
    before = snapshot(workspace)
    code, out, err = run(capsys, "lens", command, "deep.json")
    assert (code, out) == (2, "")
    assert one_line_naming(err, "deep.json") == "deep.json:1:1: not valid JSON: nested too deeply"
    assert snapshot(workspace) == before


# --- 11. a byte-order mark, very long ids -------------------------------------------------------------


def test_a_byte_order_mark_at_the_start_of_toml_is_accepted(tmp_path: Path) -> None:
    manifest = write_checklist(tmp_path)
    for path in (manifest, tmp_path / "security.toml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_checklist(manifest).questions) == 1
    review = parse_review("\ufeff" + review_text(), SHOWN)
    assert review == full_review()


def test_a_byte_order_mark_keeps_line_numbers(tmp_path: Path) -> None:
    text = "\ufeff" + review_text().replace("schema_version = 1", 'schema_version = "1"', 1)
    message = LOOSE_VERSIONS['"1"']
    assert problems(text) == [f"{SHOWN}:1: schema_version: {message}"]


def test_a_byte_order_mark_in_a_review_from_the_cli(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = workspace / "reviews" / "payments-api.toml"
    review.write_bytes(b"\xef\xbb\xbf" + review.read_bytes())
    code, _, err = run(capsys, "review", "answer", REVIEW, "ops_runbooks", "--none")
    assert code == 0, err
    assert not review.read_bytes().startswith(b"\xef\xbb\xbf")  # written back without it
    assert Review.model_validate(loads(review.read_text(encoding="utf-8"))).answers


LONG = "q" * 10_000


def test_a_very_long_id_in_a_checklist_is_echoed_cut(tmp_path: Path) -> None:
    source = SOURCE.replace('id = "sec_access"', f'id = "{LONG}"').replace(
        'owner_role = "security"', f'owner_role = "{LONG}"'
    )
    twice = source.replace('id = "security"', 'id = "security"', 1)
    manifest = write_checklist(tmp_path, {"a.toml": source, "b.toml": twice})
    with pytest.raises(InputError) as info:
        load_checklist(manifest)
    lines = info.value.lines()
    assert any("is also used in" in line for line in lines)
    assert any("owner_role" in line for line in lines)
    assert all(len(line) < 400 for line in lines), [len(line) for line in lines]


def test_a_very_long_tier_is_echoed_cut(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (
        ["checklist", "show", "checklists", "--tier", LONG],
        ["lens", "export", "--tier", LONG, "checklists"],
    ):
        code, _, err = run(capsys, *args)
        assert code == 2
        assert len(one_line_naming(err, "tier 'qqq")) < 300


def test_a_very_long_id_in_a_review_is_echoed_cut() -> None:
    text = review_text().replace("[archived.old_question]", f'[archived."{LONG}-"]', 1)
    (got,) = problems(text)
    assert "is not a question id" in got and len(got) < 300
