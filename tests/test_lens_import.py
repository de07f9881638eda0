"""Lens -> checklist TOML -> lens: lossless round trips, repairs (warnings with JSON paths) and
refusals (one clear line each, never a traceback)."""

from __future__ import annotations

import copy
import hashlib
import json
import string
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orr.checklist.load import load_checklist
from orr.errors import InputError
from orr.lens.export import export_lens
from orr.lens.format import looks_like_none_title
from orr.lens.importer import (
    ImportResult,
    import_lens,
    import_lens_text,
    lens_id_from_name,
    render,
    write_checklist,
)
from orr.lens.validate import errors_of, validate_lens_document
from tests.maxsize import minimal_lens

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "lenses"
if not FIXTURES.is_dir():
    FIXTURES = Path("/work/shared/fixtures/lenses")
ORR_SAMPLE = FIXTURES / "ORR-Whitepaper-Sample-PUBLISHED.json"
S3_LENS = FIXTURES / "Amazon_S3_Lens.json"

Q = "pillars[0].questions[0]"
C0 = f"{Q}.choices[0]"


def round_trip(result: ImportResult, folder: Path) -> dict[str, Any]:
    """Write the imported checklist, load it as any checklist, export it: the lens document."""
    write_checklist(result, folder)
    exported = export_lens(load_checklist(folder / "orr.toml"))
    assert exported.errors == []
    doc: dict[str, Any] = json.loads(exported.text)
    return doc


def warnings_of(result: ImportResult) -> list[tuple[str, str]]:
    return [(w.path, w.message) for w in result.warnings]


def refusal(doc: object) -> list[tuple[str | None, str]]:
    with pytest.raises(InputError) as info:
        import_lens(doc)
    assert info.value.exit_code == 2
    return [(p.path, p.message) for p in info.value.problems]


def question(doc: dict[str, Any]) -> dict[str, Any]:
    q: dict[str, Any] = doc["pillars"][0]["questions"][0]
    return q


# --- the published lenses --------------------------------------------------------------------------


def test_orr_sample_round_trips_exactly(tmp_path: Path) -> None:
    text = ORR_SAMPLE.read_text(encoding="utf-8")
    result = import_lens_text(text)
    assert warnings_of(result) == [
        ("pillars[0].questions[3].choices[1].helpfulResource.Url", "read as 'url'")
    ]
    expected = json.loads(text)
    resource = expected["pillars"][0]["questions"][3]["choices"][1]["helpfulResource"]
    resource["url"] = resource.pop("Url")
    assert round_trip(result, tmp_path) == expected


def test_s3_lens_round_trips_exactly(tmp_path: Path) -> None:
    text = S3_LENS.read_text(encoding="utf-8")
    result = import_lens_text(text)
    assert warnings_of(result) == [
        ("_version", "unknown key: dropped (the WA Tool ignores it)"),
        ("_note", "unknown key: dropped (the WA Tool ignores it)"),
    ]
    expected = json.loads(text)
    del expected["_version"], expected["_note"]
    assert round_trip(result, tmp_path) == expected


def test_s3_lens_files(tmp_path: Path) -> None:
    result = import_lens_text(S3_LENS.read_text(encoding="utf-8"))
    written = write_checklist(result, tmp_path)
    assert [p.name for p in written] == [
        "orr.toml",
        "operationalExcellence.toml",
        "security.toml",
        "reliability.toml",
        "performance.toml",
        "costOptimization.toml",
        "SUS.toml",
    ]
    manifest = tomllib.loads((tmp_path / "orr.toml").read_text(encoding="utf-8"))
    assert manifest["id"] == "amazon_s3_well_architected_lens"
    assert manifest["include"] == [p.name for p in written[1:]]
    assert manifest["required_signoffs"] == ["owner"]
    security = tomllib.loads((tmp_path / "security.toml").read_text(encoding="utf-8"))
    assert security["kind"] == "imported"
    first = security["pillars"][0]["questions"][0]
    assert first["none_choice"] is False
    assert first["owner_role"] == "owner"
    # The lens's own "None of these" choice, kept in place, without an improvement plan.
    none = next(c for c in first["choices"] if c["id"] == "SEC_01_no")
    assert "improvement" not in none
    # Rules verbatim, parentheses and all.
    assert {"condition": "(!SEC_01_2)", "risk": "HIGH_RISK"} in first["rules"]


def test_checklist_written_loads_as_any_checklist(tmp_path: Path) -> None:
    result = import_lens_text(ORR_SAMPLE.read_text(encoding="utf-8"))
    write_checklist(result, tmp_path)
    checklist = load_checklist(tmp_path)
    assert [p.id for p in checklist.pillars] == [
        "architecture",
        "release_quality",
        "event_management",
    ]
    assert len(checklist.questions) == 16
    assert all(not q.generated_rules for q in checklist.questions)


def test_rendered_toml_reads_back_as_the_data() -> None:
    result = import_lens_text(S3_LENS.read_text(encoding="utf-8"))
    texts = render(result)
    assert tomllib.loads(texts["orr.toml"]) == result.manifest
    for name, data in result.sources.items():
        assert tomllib.loads(texts[name]) == data


# --- severity --------------------------------------------------------------------------------------


def rules_doc(*pairs: tuple[str, str]) -> dict[str, Any]:
    doc = minimal_lens()
    question(doc)["riskRules"] = [{"condition": c, "risk": r} for c, r in pairs]
    return doc


def severity(doc: dict[str, Any]) -> str:
    result = import_lens(doc)
    sev: str = next(iter(result.sources.values()))["pillars"][0]["questions"][0]["severity"]
    return sev


def test_severity_is_the_highest_reachable_risk() -> None:
    assert severity(minimal_lens()) == "high"
    assert (
        severity(rules_doc(("ops_rb_written", "NO_RISK"), ("default", "MEDIUM_RISK"))) == "medium"
    )
    assert severity(rules_doc(("default", "NO_RISK"))) == "medium"
    # A HIGH_RISK rule that no selection reaches (the rules before it cover everything).
    unreachable = rules_doc(
        ("ops_rb_written || !ops_rb_written", "MEDIUM_RISK"), ("default", "HIGH_RISK")
    )
    assert severity(unreachable) == "medium"


# --- repairs ---------------------------------------------------------------------------------------


def test_empty_url_is_dropped(tmp_path: Path) -> None:
    doc = minimal_lens()
    question(doc)["choices"][0]["improvementPlan"]["url"] = ""
    result = import_lens(doc)
    assert warnings_of(result) == [
        (
            f"{C0}.improvementPlan.url",
            'empty url: dropped (the key is left out rather than sent as "")',
        )
    ]
    expected = copy.deepcopy(doc)
    del question(expected)["choices"][0]["improvementPlan"]["url"]
    assert round_trip(result, tmp_path) == expected


def test_capitalised_keys_are_read_as_the_format_keys(tmp_path: Path) -> None:
    doc = minimal_lens()
    resource = question(doc)["choices"][0]["helpfulResource"]
    resource["Url"] = resource.pop("url")
    question(doc)["Title"] = question(doc).pop("title")
    result = import_lens(doc)
    assert warnings_of(result) == [
        (f"{Q}.Title", "read as 'title'"),
        (f"{C0}.helpfulResource.Url", "read as 'url'"),
    ]
    assert round_trip(result, tmp_path) == minimal_lens()


def test_exact_key_wins_over_a_capitalised_twin() -> None:
    doc = minimal_lens()
    question(doc)["choices"][0]["helpfulResource"]["URL"] = "https://other.example.com"
    result = import_lens(doc)
    assert warnings_of(result) == [
        (f"{C0}.helpfulResource.URL", "dropped: 'url' is also given"),
    ]


def test_missing_default_rule_is_added_as_high_risk(tmp_path: Path) -> None:
    doc = rules_doc(("ops_rb_written && !ops_runbooks_no", "NO_RISK"))
    result = import_lens(doc)
    assert warnings_of(result) == [
        (
            f"{Q}.riskRules",
            'no "default" rule: a "default" HIGH_RISK rule was added last',
        )
    ]
    assert round_trip(result, tmp_path) == minimal_lens()


def test_missing_default_with_a_last_high_rule_makes_it_the_default(tmp_path: Path) -> None:
    doc = rules_doc(("ops_rb_written", "NO_RISK"), ("!ops_rb_written", "HIGH_RISK"))
    result = import_lens(doc)
    assert warnings_of(result) == [
        (
            f"{Q}.riskRules[1].condition",
            "no \"default\" rule: the last rule, HIGH_RISK when '!ops_rb_written', became the "
            '"default" HIGH_RISK rule (the same risk for every selection)',
        )
    ]
    exported = round_trip(result, tmp_path)
    assert question(exported)["riskRules"] == [
        {"condition": "ops_rb_written", "risk": "NO_RISK"},
        {"condition": "default", "risk": "HIGH_RISK"},
    ]


def test_missing_rules_become_one_default_rule() -> None:
    doc = minimal_lens()
    del question(doc)["riskRules"]
    result = import_lens(doc)
    assert warnings_of(result) == [
        (f"{Q}.riskRules", 'missing: a "default" HIGH_RISK rule was added')
    ]
    assert result.sources["ops.toml"]["pillars"][0]["questions"][0]["rules"] == [
        {"condition": "default", "risk": "HIGH_RISK"}
    ]


def test_none_choice_without_no_suffix_is_kept_as_an_ordinary_choice(tmp_path: Path) -> None:
    doc = minimal_lens()
    none = question(doc)["choices"][1]
    none["id"] = "ops_runbooks_none"
    none["improvementPlan"] = {"displayText": "Adopt one of the practices."}
    question(doc)["riskRules"][0]["condition"] = "ops_rb_written && !ops_runbooks_none"
    result = import_lens(doc)
    assert warnings_of(result) == [
        (
            f"{Q}.choices[1].id",
            "'None of these' reads as \"None of these\" but the id does not end in _no: kept as "
            "an ordinary choice",
        )
    ]
    assert round_trip(result, tmp_path) == doc


def test_unknown_keys_are_dropped(tmp_path: Path) -> None:
    doc = minimal_lens()
    doc["_version"] = "v1"
    question(doc)["choices"][0]["notes"] = {"x": 1}
    result = import_lens(doc)
    assert warnings_of(result) == [
        ("_version", "unknown key: dropped (the WA Tool ignores it)"),
        (f"{C0}.notes", "unknown key: dropped (the WA Tool ignores it)"),
    ]
    assert round_trip(result, tmp_path) == minimal_lens()


def test_additional_resources_repairs(tmp_path: Path) -> None:
    doc = minimal_lens()
    link = {"displayText": "A", "url": "https://example.com/a"}
    other = {"displayText": "B", "url": "https://example.com/b"}
    question(doc)["choices"][0]["additionalResources"] = [
        {"type": "IMPROVEMENT_PLAN", "content": [link]},
        {"type": "HELPFUL_RESOURCE", "content": []},
        {"type": "IMPROVEMENT_PLAN", "content": [other]},
    ]
    result = import_lens(doc)
    path = f"{C0}.additionalResources"
    assert warnings_of(result) == [
        (f"{path}[1]", "no content: dropped"),
        (
            f"{path}[2]",
            f"a second IMPROVEMENT_PLAN entry: its links are joined to those of {path}[0]",
        ),
    ]
    exported = round_trip(result, tmp_path)
    assert question(exported)["choices"][0]["additionalResources"] == [
        {"type": "IMPROVEMENT_PLAN", "content": [link, other]}
    ]


def test_empty_resource_is_dropped(tmp_path: Path) -> None:
    doc = minimal_lens()
    question(doc)["helpfulResource"] = {"displayText": ""}
    result = import_lens(doc)
    assert warnings_of(result) == [
        (f"{Q}.helpfulResource", "empty (no displayText, no url): dropped")
    ]
    assert round_trip(result, tmp_path) == minimal_lens()


def test_missing_description_and_other_schema_version() -> None:
    doc = minimal_lens()
    del doc["description"]
    doc["schemaVersion"] = "2020-01-01"
    result = import_lens(doc)
    assert warnings_of(result) == [
        ("schemaVersion", "'2020-01-01': the export writes \"2021-11-01\""),
        ("description", "missing: the export gives the lens its name as description"),
    ]
    assert result.manifest["description"] == ""


def test_limit_violations_are_imported_with_a_warning(tmp_path: Path) -> None:
    doc = minimal_lens()
    question(doc)["title"] = "t" * 129
    result = import_lens(doc)
    assert warnings_of(result) == [
        (
            f"{Q}.title",
            "129 characters: at most 128 (fix it in the checklist: the export refuses until then)",
        )
    ]
    write_checklist(result, tmp_path)
    exported = export_lens(load_checklist(tmp_path))
    assert [(p.path, p.message) for p in exported.errors] == [
        (f"{Q}.title", "129 characters: at most 128")
    ]


def test_duplicate_json_keys_and_bom_are_warnings() -> None:
    text = "\ufeff" + json.dumps(minimal_lens()).replace(
        '"name": "Operations"', '"name": "Ops", "name": "Operations"'
    )
    result = import_lens_text(text)
    assert [w.path for w in result.warnings] == ["", "pillars[0].name"]
    assert result.sources["ops.toml"]["pillars"][0]["name"] == "Operations"


# --- refusals --------------------------------------------------------------------------------------


def test_non_string_title_is_refused() -> None:
    doc = minimal_lens()
    question(doc)["title"] = 42
    assert refusal(doc) == [(f"{Q}.title", "expected a string, found a number (42)")]


def test_nan_title_in_the_text_is_refused() -> None:
    text = json.dumps(minimal_lens()).replace('"Do you have runbooks?"', "NaN")
    with pytest.raises(InputError) as info:
        import_lens_text(text, source="lens.json")
    assert info.value.lines() == [f"lens.json: {Q}.title: expected a string, found NaN"]


def test_invalid_json_is_refused_with_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        import_lens_text('{\n  "name": \n}', source="lens.json")
    assert info.value.lines() == ["lens.json:3:1: not valid JSON: Expecting value"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.clear(),
            [("name", "missing (required)"), ("pillars", "missing (required: 1 to 10 pillars)")],
        ),
        (lambda d: d.update(pillars=[]), [("pillars", "empty: at least 1 pillar")]),
        (lambda d: d.update(name=None), [("name", "expected a string, found null")]),
        (
            lambda d: d["pillars"][0].update(id="ops main"),
            [("pillars[0].id", "'ops main': ids use only letters, digits and _")],
        ),
        (lambda d: d["pillars"][0].update(name=""), [("pillars[0].name", "empty (required)")]),
        (
            lambda d: question(d)["choices"][0].pop("improvementPlan"),
            [
                (
                    f"{C0}.improvementPlan",
                    'missing (required except on a "None of these" choice, whose id ends in _no): '
                    "write one in the lens",
                )
            ],
        ),
        (
            lambda d: question(d)["choices"][0]["helpfulResource"].update(url="www.example.com"),
            [
                (
                    f"{C0}.helpfulResource.url",
                    "'www.example.com' does not start with http:// or https://",
                )
            ],
        ),
        (
            lambda d: question(d)["choices"][0]["helpfulResource"].update(displayText=""),
            [(f"{C0}.helpfulResource.displayText", "empty (required with a url)")],
        ),
        (
            lambda d: question(d)["riskRules"][0].update(condition="ops_rb_written &&& x"),
            [
                (
                    f"{Q}.riskRules[0].condition",
                    "'ops_rb_written &&& x': '&' must be written '&&' at column 18",
                )
            ],
        ),
        (
            lambda d: question(d)["riskRules"][0].update(condition="ops_rb_writen"),
            [
                (
                    f"{Q}.riskRules[0].condition",
                    "'ops_rb_writen' is not a choice of this question (did you mean "
                    "'ops_rb_written'?)",
                )
            ],
        ),
        (
            lambda d: question(d)["riskRules"][0].update(risk="HIGH_RISK"),
            [
                (
                    f"{Q}.riskRules[1].risk",
                    f"a second HIGH_RISK rule (the first is {Q}.riskRules[0]): at most one rule "
                    "per risk level",
                )
            ],
        ),
        (
            lambda d: question(d)["riskRules"].reverse(),
            [
                (
                    f"{Q}.riskRules[0].condition",
                    '"default" must be the last rule: the rules after it never apply',
                )
            ],
        ),
        (
            lambda d: question(d)["riskRules"][0].update(risk="LOW"),
            [(f"{Q}.riskRules[0].risk", "'LOW': must be NO_RISK, MEDIUM_RISK, HIGH_RISK")],
        ),
        (
            lambda d: question(d)["choices"][0].update(additionalResources=[{"type": "X"}]),
            [
                (
                    f"{C0}.additionalResources[0].type",
                    "'X' (required: HELPFUL_RESOURCE or IMPROVEMENT_PLAN)",
                )
            ],
        ),
        (
            lambda d: question(d).update(choices=[question(d)["choices"][1]]),
            [
                (
                    f"{Q}.choices",
                    'only the "None of these" choice ops_runbooks_no: a question needs at least '
                    "one practice",
                ),
                (
                    f"{Q}.riskRules[0].condition",
                    "'ops_rb_written' is not a choice of this question",
                ),
            ],
        ),
    ],
)
def test_refusals(change: Any, expected: list[tuple[str, str]]) -> None:
    doc = minimal_lens()
    change(doc)
    assert refusal(doc) == expected


def test_duplicate_ids_are_refused() -> None:
    doc = minimal_lens()
    doc["pillars"].append(copy.deepcopy(doc["pillars"][0]))
    assert refusal(doc) == [
        ("pillars[1].id", "'ops' is also the id of pillars[0]: pillar ids are unique"),
        (
            "pillars[1].questions[0].id",
            f"'ops_runbooks' is also the id of {Q}: question ids are unique in the lens",
        ),
    ]
    doc = minimal_lens()
    question(doc)["choices"].append(copy.deepcopy(question(doc)["choices"][0]))
    assert refusal(doc) == [
        (
            f"{Q}.choices[2].id",
            f"'ops_rb_written' is also the id of {C0}: choice ids are unique in a question",
        )
    ]


def test_missing_default_with_an_earlier_high_rule_is_refused() -> None:
    doc = rules_doc(("!ops_rb_written", "HIGH_RISK"), ("ops_rb_written", "NO_RISK"))
    assert refusal(doc) == [
        (
            f"{Q}.riskRules",
            'no "default" rule, and a HIGH_RISK rule that is not the last: add '
            '{"condition": "default", "risk": ...} last',
        )
    ]


def test_condition_too_deep_is_refused_not_a_crash() -> None:
    doc = rules_doc((" || ".join(["ops_rb_written"] * 5000), "NO_RISK"), ("default", "HIGH_RISK"))
    [(path, message)] = refusal(doc)
    assert path == f"{Q}.riskRules[0].condition"
    assert "...': " in message
    assert (
        "nested more than 200 levels deep" in message or "more than 200 operators deep" in message
    )


def test_not_an_object_is_refused() -> None:
    assert refusal([1, 2]) == [(None, "expected an object, found a list")]


def test_every_refusal_is_reported_together() -> None:
    doc = minimal_lens()
    question(doc)["title"] = 1
    question(doc)["choices"][0]["title"] = None
    assert [p for p, _ in refusal(doc)] == [f"{Q}.title", f"{C0}.title"]


# --- writing ---------------------------------------------------------------------------------------


def test_existing_files_are_not_overwritten_without_force(tmp_path: Path) -> None:
    result = import_lens(minimal_lens())
    write_checklist(result, tmp_path)
    (tmp_path / "ops.toml").write_text("# edited\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        write_checklist(result, tmp_path)
    assert [p.message for p in info.value.problems] == [
        "exists: not overwritten (use --force to replace it)"
    ] * 2
    assert (tmp_path / "ops.toml").read_text(encoding="utf-8") == "# edited\n"
    write_checklist(result, tmp_path, force=True)
    assert "[[pillars]]" in (tmp_path / "ops.toml").read_text(encoding="utf-8")


def test_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="exists and is not a folder"):
        write_checklist(import_lens(minimal_lens()), target)


def test_file_names_are_distinct_on_case_insensitive_file_systems(tmp_path: Path) -> None:
    doc = minimal_lens()
    pillars = []
    for i, pid in enumerate(["Ops", "ops", "orr"]):
        p = copy.deepcopy(doc["pillars"][0])
        p["id"] = pid
        q = p["questions"][0]
        q["id"] = f"q{i}_runbooks"
        q["choices"][1]["id"] = f"q{i}_runbooks_no"
        q["riskRules"][0]["condition"] = f"ops_rb_written && !q{i}_runbooks_no"
        pillars.append(p)
    doc["pillars"] = pillars
    result = import_lens(doc)
    assert result.files == ["orr.toml", "Ops.toml", "ops_2.toml", "orr_2.toml"]
    assert round_trip(result, tmp_path) == doc


@pytest.mark.parametrize(
    ("name", "lens_id"),
    [
        ("Amazon S3 Well-Architected Lens", "amazon_s3_well_architected_lens"),
        ("Été — revue", "ete_revue"),
        # Letters with no ASCII form, or too short an id: a digest of the name keeps it distinct.
        ("運用レビュー", "lens_" + hashlib.sha256("運用レビュー".encode()).hexdigest()[:8]),
        ("AB", "ab_" + hashlib.sha256(b"AB").hexdigest()[:8]),
        ("x" * 100, "x" * 64),
    ],
)
def test_lens_id_from_name(name: str, lens_id: str) -> None:
    assert lens_id_from_name(name) == lens_id


def test_carriage_returns_survive_the_toml(tmp_path: Path) -> None:
    doc = minimal_lens()
    question(doc)["description"] = "line one\r\nline two\rthree\n"
    assert round_trip(import_lens(doc), tmp_path) == doc


# --- any valid lens round-trips ------------------------------------------------------------------

ID_ALPHABET = string.ascii_letters + string.digits + "_"
ids = st.text(ID_ALPHABET, min_size=3, max_size=12).filter(lambda s: s != "default")
# One-line texts (titles, names) hold no control character; texts of several lines
# (descriptions, displayText) may hold tabs and line breaks: what the WA Tool takes.
texts = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(
    lambda t: not looks_like_none_title(t)
)
line_texts = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], include_characters="\t\n\r"), max_size=80
)
urls = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["http://", "https://"]),
    st.text(string.ascii_letters + string.digits + "/.-_?=&", min_size=1, max_size=20),
)
resources = st.builds(
    lambda text, url: {"displayText": text} | ({"url": url} if url else {}),
    line_texts.filter(lambda t: t != ""),
    st.none() | urls,
)


@st.composite
def conditions(draw: st.DrawFn, choice_ids: list[str], depth: int = 0) -> str:
    kind = draw(st.integers(0, 3)) if depth < 3 else 0
    space = draw(st.sampled_from(["", " ", "  "]))
    if kind == 0:
        return draw(st.sampled_from(choice_ids))
    if kind == 1:
        inner = draw(conditions(choice_ids, depth + 1))
        return f"!({inner})" if draw(st.booleans()) else f"!{space}({inner})"
    op = "&&" if kind == 2 else "||"
    left = draw(conditions(choice_ids, depth + 1))
    right = draw(conditions(choice_ids, depth + 1))
    return f"({left}){space}{op}{space}({right})"


@st.composite
def lens_choices(draw: st.DrawFn, qid: str) -> list[dict[str, Any]]:
    choice_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    choice_ids = [c for c in choice_ids if c != f"{qid}_no"] or [f"{qid}_a"]
    if draw(st.booleans()):
        choice_ids.insert(draw(st.integers(0, len(choice_ids))), f"{qid}_no")
    choices = []
    for cid in choice_ids:
        choice: dict[str, Any] = {"id": cid, "title": draw(texts)}
        if draw(st.booleans()):
            choice["helpfulResource"] = draw(resources)
        if not cid.endswith("_no") or draw(st.booleans()):
            choice["improvementPlan"] = draw(resources)
        kinds = draw(st.permutations(["HELPFUL_RESOURCE", "IMPROVEMENT_PLAN"]))
        extra = [
            {"type": kind, "content": draw(st.lists(resources, min_size=1, max_size=5))}
            for kind in kinds[: draw(st.integers(0, 2))]
        ]
        if extra:
            choice["additionalResources"] = extra
        choices.append(choice)
    return choices


@st.composite
def valid_lenses(draw: st.DrawFn) -> dict[str, Any]:
    n_pillars = draw(st.integers(1, 3))
    pillar_ids = draw(st.lists(ids, min_size=n_pillars, max_size=n_pillars, unique=True))
    counts = [draw(st.integers(1, 3)) for _ in pillar_ids]
    question_ids = iter(
        draw(st.lists(ids, min_size=sum(counts), max_size=sum(counts), unique=True))
    )
    pillars = []
    for pid, count in zip(pillar_ids, counts, strict=True):
        questions = []
        for _ in range(count):
            qid = next(question_ids)
            q: dict[str, Any] = {"id": qid, "title": draw(texts)}
            if draw(st.booleans()):
                q["description"] = draw(line_texts)
            if draw(st.booleans()):
                q["helpfulResource"] = draw(resources)
            q["choices"] = draw(lens_choices(qid))
            choice_ids = [c["id"] for c in q["choices"]]
            risks = draw(st.permutations(["NO_RISK", "MEDIUM_RISK", "HIGH_RISK"]))
            n_rules = draw(st.integers(0, 2))
            rules = [
                {"condition": draw(conditions(choice_ids)), "risk": risk}
                for risk in risks[:n_rules]
            ]
            rules.append({"condition": "default", "risk": risks[n_rules]})
            q["riskRules"] = rules
            questions.append(q)
        pillars.append({"id": pid, "name": draw(texts), "questions": questions})
    return {
        "schemaVersion": "2021-11-01",
        "name": draw(texts),
        "description": draw(line_texts.filter(lambda t: t.strip() != "")),
        "pillars": pillars,
    }


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(valid_lenses())
def test_any_valid_lens_round_trips(lens: dict[str, Any]) -> None:
    assert errors_of(validate_lens_document(lens)) == []
    result = import_lens(lens)
    assert result.warnings == []
    with tempfile.TemporaryDirectory() as folder:
        assert round_trip(result, Path(folder)) == lens
