"""Sources in the lens (issue 10, item 3): each exported question names its best-practice ids and
incident ids in a last "Sources:" line of its description, within the lens limits (the evidence
is cut first, never the sources), and `orr lens import` reads them back so that export -> import
-> export is byte-identical. Lenses without such a line import as before."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orr.checklist.load import load_checklist
from orr.cli import main
from orr.lens.export import export_lens, question_description
from orr.lens.format import BEST_PRACTICE_ID, MAX_TEXT
from orr.lens.importer import import_lens_text, split_description, write_checklist
from tests.conftest import BUNDLED
from tests.helpers import SOURCE
from tests.helpers import write_checklist as write_test_checklist

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "lenses"
if not FIXTURES.is_dir():
    FIXTURES = Path("/work/shared/fixtures/lenses")
SOURCES = re.compile(r"\n\nSources: (\S.*)\Z|\ASources: (\S.*)\Z")


def _questions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for p in doc["pillars"] for q in p["questions"]]


# --- the text --------------------------------------------------------------------------------------


def test_the_sources_line_comes_last() -> None:
    assert question_description(None, [], ["OPS07-BP02"]) == ("Sources: OPS07-BP02", 0)
    assert question_description("Why.", [], ["OPS07-BP02", "INC-2024-017"]) == (
        "Why.\n\nSources: OPS07-BP02, INC-2024-017",
        0,
    )
    assert question_description("Why.", ["a", "b"], ["OPS07-BP02"]) == (
        "Why.\n\nEvidence to ask for:\n- a\n- b\n\nSources: OPS07-BP02",
        0,
    )
    # Without sources, the text is what it always was.
    assert question_description("Why.", ["a"]) == ("Why.\n\nEvidence to ask for:\n- a", 0)
    assert question_description(None, []) == (None, 0)


def test_the_evidence_is_cut_first_never_the_sources() -> None:
    sources = ["OPS07-BP02", "OPS01-BP03", "INC-2024-017"]
    tail = "\n\nSources: OPS07-BP02, OPS01-BP03, INC-2024-017"
    evidence = [f"item {i:02d} " + "e" * 90 for i in range(30)]
    text, left_out = question_description("Why.", evidence, sources)
    assert text is not None and len(text) <= MAX_TEXT and text.endswith(tail)
    assert 0 < left_out < 30
    assert f"- … and {left_out} more in the checklist{tail}" in text
    # Exactly at the limit with the sources line: everything kept.
    head = "Why.\n\nEvidence to ask for:\n- "
    fits = "x" * (MAX_TEXT - len(head) - len(tail))
    assert question_description("Why.", [fits], sources) == (head + fits + tail, 0)
    # A description that leaves no room for any evidence keeps its sources.
    long = "d" * (MAX_TEXT - len(tail))
    assert question_description(long, ["a"], sources) == (long + tail, 1)


def test_every_bundled_question_names_its_sources_and_a_url() -> None:
    checklist = load_checklist(BUNDLED)
    result = export_lens(checklist)
    assert result.errors == []
    by_id = {q.id: q for q in checklist.questions}
    for q in _questions(result.doc):
        spec = by_id[q["id"]].spec
        found = SOURCES.search(q["description"])
        assert found, q["id"]
        listed = (found.group(1) or found.group(2)).split(", ")
        assert listed == [*spec.references, *spec.incidents], q["id"]
        assert any(BEST_PRACTICE_ID.fullmatch(i) for i in listed), q["id"]
        assert q["helpfulResource"]["url"].startswith("https://"), q["id"]
        assert len(q["description"]) <= MAX_TEXT
    # The incident learnings name their incidents.
    incident = next(q for q in _questions(result.doc) if "INC-EXAMPLE-001" in q["description"])
    assert incident["description"].endswith(", INC-EXAMPLE-001")


# --- back -------------------------------------------------------------------------------------------


def test_the_bundled_lens_round_trips_with_its_sources(tmp_path: Path) -> None:
    original = load_checklist(BUNDLED)
    text = export_lens(original).text
    result = import_lens_text(text)
    assert result.warnings == []
    write_checklist(result, tmp_path)
    back = load_checklist(tmp_path / "orr.toml")
    assert export_lens(back).text == text
    for q in back.questions:
        spec = original.question(q.id)
        assert spec is not None
        assert q.spec.references == spec.spec.references
        assert q.spec.incidents == spec.spec.incidents
        assert q.spec.evidence == spec.spec.evidence
        assert q.spec.description == spec.spec.description


def test_cli_round_trip_is_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert main(["lens", "export", str(BUNDLED), "-o", str(first)]) == 0
    assert main(["lens", "import", str(first), "-o", str(tmp_path / "back")]) == 0
    assert main(["lens", "export", str(tmp_path / "back"), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    capsys.readouterr()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_lenses_without_a_sources_line_import_as_before(name: str, tmp_path: Path) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    result = import_lens_text(text)
    doc = json.loads(text)
    lens_questions = {q["id"]: q for q in _questions(doc)}
    for source in result.sources.values():
        for pillar in source["pillars"]:
            for q in pillar["questions"]:
                assert "references" not in q and "incidents" not in q and "evidence" not in q
                assert q.get("description") == lens_questions[q["id"]].get("description")
    write_checklist(result, tmp_path)
    again = json.loads(export_lens(load_checklist(tmp_path / "orr.toml")).text)
    assert [q.get("description") for q in _questions(again)] == [
        q.get("description") for q in _questions(doc)
    ]


def test_a_cut_evidence_list_stays_in_the_description(tmp_path: Path) -> None:
    items = ", ".join(f'"Evidence item {i:02d} ' + "e" * 80 + '"' for i in range(30))
    source = SOURCE.replace(
        'references = ["SEC03-BP02"]',
        'references = ["SEC03-BP02"]\nincidents = ["INC-7"]\ndescription = "Why it matters."\n'
        f"evidence = [{items}]",
    )
    exported = export_lens(load_checklist(write_test_checklist(tmp_path, {"s.toml": source})))
    description = _questions(exported.doc)[0]["description"]
    parts = split_description(description)
    assert parts is not None
    assert (parts.references, parts.incidents, parts.evidence) == (["SEC03-BP02"], ["INC-7"], [])
    assert parts.description is not None and parts.description.endswith("more in the checklist")
    result = import_lens_text(exported.text)
    write_checklist(result, tmp_path / "back")
    assert export_lens(load_checklist(tmp_path / "back" / "orr.toml")).text == exported.text


@pytest.mark.parametrize(
    "text",
    [
        "Why.",
        "Why.\n\nSources:",
        "Why.\n\nSources: two words, OPS01-BP01",  # not ids
        "Why.\n\nSources: OPS01-BP01,OPS01-BP02",  # not the export's separator
        "Why.\n\nSources: OPS01-BP01\nmore",
        "Why.\n\nsources: OPS01-BP01",
        "Why.\n\nEvidence to ask for:\nnot a list item",
        "Why.\n\nEvidence to ask for:",
    ],
)
def test_texts_the_export_does_not_write_are_kept_as_they_are(text: str) -> None:
    assert split_description(text) is None


def test_ids_in_an_order_the_export_would_not_write_are_kept_as_text() -> None:
    # The export lists best-practice ids first: reading this back would change the text.
    assert split_description("Why.\n\nSources: INC-1, OPS01-BP01") is None
    parts = split_description("Why.\n\nSources: OPS01-BP01, SEC-CTRL-12, INC-1")
    assert parts is not None
    # Anything that is not a best-practice id is an incident id.
    assert (parts.references, parts.incidents) == (["OPS01-BP01"], ["SEC-CTRL-12", "INC-1"])
    assert parts.description == "Why."


def test_only_sources() -> None:
    parts = split_description("Sources: OPS01-BP01")
    assert parts is not None
    assert (parts.description, parts.evidence, parts.references) == (None, [], ["OPS01-BP01"])


one_line = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=30)
best_practices = st.from_regex(r"\A[A-Z]{2,4}\d{2}-BP\d{2}\Z")
incident_ids = st.text(
    string.ascii_uppercase + string.digits + "-_.", min_size=1, max_size=12
).filter(lambda t: not BEST_PRACTICE_ID.fullmatch(t))
descriptions = st.none() | st.text(
    st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n"), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(
    descriptions,
    st.lists(one_line, max_size=4),
    st.lists(best_practices, max_size=3),
    st.lists(incident_ids, max_size=2),
)
def test_what_the_export_writes_is_read_back(
    description: str | None, evidence: list[str], refs: list[str], incidents: list[str]
) -> None:
    text, left_out = question_description(description, evidence, [*refs, *incidents])
    assert left_out == 0
    parts = split_description(text) if text else None
    if refs or incidents:
        assert parts is not None
    if parts is None:
        # Nothing orr added: kept whole, which is lossless too.
        return
    again, _ = question_description(
        parts.description, parts.evidence, [*parts.references, *parts.incidents]
    )
    assert again == text
    if refs or incidents:
        assert (parts.references, parts.incidents) == (refs, incidents)


def test_the_published_lenses_are_there() -> None:
    assert len(list(FIXTURES.glob("*.json"))) >= 2, FIXTURES
