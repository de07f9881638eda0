"""Loading and composing checklists, and the messages for malformed ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orr.checklist import load_checklist, select_tier
from orr.errors import InputError
from tests.helpers import MANIFEST, SOURCE, write_checklist


def errors_of(manifest: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_checklist(manifest)
    return info.value.lines()


def test_loads_minimal_checklist(tmp_path: Path) -> None:
    checklist = load_checklist(write_checklist(tmp_path))
    assert [p.id for p in checklist.pillars] == ["security"]
    q = checklist.questions[0]
    assert [c.id for c in q.choices] == ["sec_roles", "sec_review", "sec_access_no"]
    assert q.generated_rules
    assert q.risk_for({"sec_roles", "sec_review"}) == "NO_RISK"
    assert q.risk_for({"sec_roles"}) == "HIGH_RISK"
    assert q.risk_for({"sec_access_no"}) == "HIGH_RISK"
    assert q.risk_for({"sec_roles", "sec_review", "sec_access_no"}) == "HIGH_RISK"
    assert checklist.content_hash.startswith("sha256:")


def test_medium_severity_generates_medium_default(tmp_path: Path) -> None:
    src = SOURCE.replace('severity = "high"', 'severity = "medium"')
    q = load_checklist(write_checklist(tmp_path, {"s.toml": src})).questions[0]
    assert q.risk_for(set()) == "MEDIUM_RISK"


def test_none_choice_opt_out(tmp_path: Path) -> None:
    src = SOURCE.replace('severity = "high"', 'severity = "high"\nnone_choice = false')
    q = load_checklist(write_checklist(tmp_path, {"s.toml": src})).questions[0]
    assert q.none_choice_id is None
    assert [c.id for c in q.choices] == ["sec_roles", "sec_review"]
    assert q.rules[0].text == "sec_roles && sec_review"


def test_glob_include_merges_pillars_in_order(tmp_path: Path) -> None:
    extra = """\
    schema_version = 1
    kind = "incident"

    [[pillars]]
    id = "security"

    [[pillars.questions]]
    id = "inc_keys_rotated"
    title = "Are keys rotated?"
    incidents = ["INC-1"]

    [[pillars.questions.choices]]
    id = "inc_rotate"
    title = "Rotation"
    improvement = "Rotate."

    [[pillars]]
    id = "ops"
    name = "Operations"

    [[pillars.questions]]
    id = "ops_pager"
    title = "Does an alarm page a person?"

    [[pillars.questions.choices]]
    id = "ops_page"
    title = "Paging"
    improvement = "Page."
    """
    manifest = write_checklist(
        tmp_path,
        {"security.toml": SOURCE, "incidents/INC-1.toml": extra},
        include=["security.toml", "incidents/*.toml"],
    )
    checklist = load_checklist(manifest)
    assert [p.id for p in checklist.pillars] == ["security", "ops"]
    assert [q.id for q in checklist.pillars[0].questions] == ["sec_access", "inc_keys_rotated"]
    assert checklist.pillars[0].name == "Security"
    assert checklist.questions[1].kind == "incident"
    assert len(checklist.files) == 3


def test_empty_glob_is_allowed(tmp_path: Path) -> None:
    manifest = write_checklist(tmp_path, include=["security.toml", "incidents/*.toml"])
    assert len(load_checklist(manifest).questions) == 1


def test_tier_selection(tmp_path: Path) -> None:
    checklist = load_checklist(write_checklist(tmp_path))
    assert len(select_tier(checklist, "core").questions) == 1
    with pytest.raises(InputError, match=r"tier 'cor' is not a tier .*did you mean 'core'"):
        select_tier(checklist, "cor")


def test_explicit_rules_first_true_wins(tmp_path: Path) -> None:
    src = (
        SOURCE
        + """
[[pillars.questions.rules]]
condition = "sec_roles && sec_review && !sec_access_no"
risk = "NO_RISK"

[[pillars.questions.rules]]
condition = "sec_roles && !sec_access_no"
risk = "MEDIUM_RISK"

[[pillars.questions.rules]]
condition = "default"
risk = "HIGH_RISK"
"""
    )
    q = load_checklist(write_checklist(tmp_path, {"s.toml": src})).questions[0]
    assert not q.generated_rules
    assert q.risk_for({"sec_roles", "sec_review"}) == "NO_RISK"
    assert q.risk_for({"sec_roles"}) == "MEDIUM_RISK"
    assert q.risk_for({"sec_review"}) == "HIGH_RISK"


# --- malformed checklists: each message asserted (file, place, cause) --------------------------

BAD_CASES: list[tuple[str, dict[str, str], str | None, str]] = [
    (
        "toml syntax error with line and column",
        {"security.toml": SOURCE.replace('title = "Scoped roles"', 'title = "Scoped roles')},
        None,
        r"security\.toml:\d+:\d+: TOML syntax error",
    ),
    (
        "misspelt field gets did you mean",
        {"security.toml": SOURCE.replace('severity = "high"', 'severty = "high"')},
        None,
        r"security\.toml:12: pillars\[0\]\.questions\[0\]\.severty: unknown field 'severty' "
        r"\(did you mean 'severity'\?\)",
    ),
    (
        "bad severity value",
        {"security.toml": SOURCE.replace('severity = "high"', 'severity = "hihg"')},
        None,
        r"security\.toml:12: pillars\[0\]\.questions\[0\]\.severity: 'hihg' is not allowed: "
        r"use 'high' or 'medium'",
    ),
    (
        "unknown role",
        {"security.toml": SOURCE.replace('owner_role = "security"', 'owner_role = "secruity"')},
        None,
        r"security\.toml:11: pillars\[0\]\.questions\[0\]\.owner_role: owner_role 'secruity' is "
        r"not a role of the manifest \(did you mean 'security'\?\)",
    ),
    (
        "unknown tier",
        {"security.toml": SOURCE.replace('tiers = ["core"]', 'tiers = ["launch"]')},
        None,
        r"security\.toml:13: pillars\[0\]\.questions\[0\]\.tiers\[0\]: tier 'launch' is not a tier "
        r"of the manifest",
    ),
    (
        "missing include",
        {"security.toml": SOURCE},
        MANIFEST.format(include='["security.toml", "missing.toml"]'),
        r"orr\.toml:6: include\[1\]: include 'missing.toml': no such file",
    ),
    (
        "bad id charset",
        {"security.toml": SOURCE.replace('id = "sec_roles"', 'id = "sec-roles"')},
        None,
        r"choices\[0\]\.id: 'sec-roles': ids use only letters, digits and _ \(found '-'\)",
    ),
    (
        "missing improvement plan",
        {"security.toml": SOURCE.replace('improvement = "Split roles."\n', "")},
        None,
        r"security\.toml:\d+: pillars\[0\]\.questions\[0\]\.choices\[0\]: improvement is missing",
    ),
    (
        "duplicate choice id",
        {"security.toml": SOURCE.replace('id = "sec_review"', 'id = "sec_roles"')},
        None,
        r"choice id 'sec_roles' is used twice in question sec_access",
    ),
    (
        "rule syntax error with column",
        {
            "security.toml": SOURCE
            + '\n[[pillars.questions.rules]]\ncondition = "sec_roles && (sec_review"\nrisk = "NO_RISK"\n'
            '\n[[pillars.questions.rules]]\ncondition = "default"\nrisk = "HIGH_RISK"\n'
        },
        None,
        r"rules\[0\]\.condition: 'sec_roles && \(sec_review': missing '\)' at column 25",
    ),
    (
        "unknown choice in a rule with suggestion",
        {
            "security.toml": SOURCE
            + '\n[[pillars.questions.rules]]\ncondition = "sec_roles && sec_reviw"\nrisk = "NO_RISK"\n'
            '\n[[pillars.questions.rules]]\ncondition = "default"\nrisk = "HIGH_RISK"\n'
        },
        None,
        r"'sec_reviw' is not a choice of question sec_access \(did you mean 'sec_review'\?\)",
    ),
    (
        "missing default rule",
        {
            "security.toml": SOURCE
            + '\n[[pillars.questions.rules]]\ncondition = "sec_roles"\nrisk = "NO_RISK"\n'
        },
        None,
        r"rules: the last rule must be condition = \"default\"",
    ),
    (
        "two rules for one risk level",
        {
            "security.toml": SOURCE
            + '\n[[pillars.questions.rules]]\ncondition = "sec_roles"\nrisk = "NO_RISK"\n'
            '\n[[pillars.questions.rules]]\ncondition = "sec_review"\nrisk = "NO_RISK"\n'
            '\n[[pillars.questions.rules]]\ncondition = "default"\nrisk = "HIGH_RISK"\n'
        },
        None,
        r"rules\[1\]\.risk: a second NO_RISK rule",
    ),
    (
        "bad risk value",
        {
            "security.toml": SOURCE
            + '\n[[pillars.questions.rules]]\ncondition = "default"\nrisk = "HIGH"\n'
        },
        None,
        r"rules\[0\]\.risk: 'HIGH' is not allowed: use 'NO_RISK', 'MEDIUM_RISK' or 'HIGH_RISK'",
    ),
    (
        "wrong type",
        {"security.toml": SOURCE.replace('title = "Is access least privilege?"', "title = 42")},
        None,
        r"pillars\[0\]\.questions\[0\]\.title: 42 is not a string",
    ),
    (
        "url that is not http(s)",
        {
            "security.toml": SOURCE.replace(
                'helpful = "One role per component."',
                'helpful = { text = "x", url = "javascript:alert(1)" }',
            )
        },
        None,
        r"choices\[0\]\.helpful\.url: 'javascript:alert\(1\)': a url starts with http:// or https://",
    ),
    (
        "unknown required sign-off",
        {"security.toml": SOURCE},
        MANIFEST.format(include='["security.toml"]').replace('["owner"]', '["ownr"]'),
        r"orr\.toml:7: required_signoffs\[0\]: required sign-off 'ownr' is not a role "
        r"\(did you mean 'owner'\?\)",
    ),
    (
        "missing kind",
        {"security.toml": SOURCE.replace('kind = "security"\n', "")},
        None,
        r"security\.toml: kind: missing \(required\)",
    ),
    (
        "newer schema version",
        {"security.toml": SOURCE.replace("schema_version = 1", "schema_version = 9")},
        None,
        r"security\.toml:1: schema_version: 9 is newer than this orr understands \(1\): upgrade orr",
    ),
]


@pytest.mark.parametrize(
    ("name", "sources", "manifest", "pattern"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_malformed_checklists(
    tmp_path: Path, name: str, sources: dict[str, str], manifest: str | None, pattern: str
) -> None:
    path = write_checklist(tmp_path, sources, manifest=manifest)
    lines = errors_of(path)
    import re

    assert any(re.search(pattern, line) for line in lines), lines


def test_duplicate_question_ids_across_files_name_both(tmp_path: Path) -> None:
    other = SOURCE.replace('kind = "security"', 'kind = "governance"')
    path = write_checklist(tmp_path, {"a.toml": SOURCE, "b.toml": other})
    lines = errors_of(path)
    assert any(
        "b.toml:" in line
        and "question id 'sec_access' is also used in" in line
        and "a.toml" in line
        for line in lines
    ), lines


def test_include_cycle(tmp_path: Path) -> None:
    a = 'schema_version = 1\nkind = "security"\ninclude = ["b.toml"]\n'
    b = 'schema_version = 1\nkind = "security"\ninclude = ["a.toml"]\n'
    path = write_checklist(
        tmp_path, {"a.toml": a, "b.toml": b, "s.toml": SOURCE}, include=["s.toml", "a.toml"]
    )
    lines = errors_of(path)
    assert any("include cycle: " in line and "a.toml -> " in line for line in lines), lines


def test_all_problems_of_a_file_reported_together(tmp_path: Path) -> None:
    src = SOURCE.replace('severity = "high"', 'severity = "low"').replace(
        'title = "Scoped roles"', 'titel = "Scoped roles"'
    )
    lines = errors_of(write_checklist(tmp_path, {"s.toml": src}))
    assert len(lines) >= 2
    assert any("severity" in line for line in lines)
    assert any("titel" in line for line in lines)


def test_conflicting_pillar_names(tmp_path: Path) -> None:
    other = SOURCE.replace('name = "Security"', 'name = "Sec"').replace("sec_access", "sec_other")
    lines = errors_of(write_checklist(tmp_path, {"a.toml": SOURCE, "b.toml": other}))
    assert any("pillar 'security' is named 'Sec' here but 'Security' in" in line for line in lines)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.toml: no such file"):
        load_checklist(tmp_path / "nope.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = write_checklist(tmp_path)
    (tmp_path / "security.toml").write_bytes(b'schema_version = 1\nkind = "\xff"\n')
    assert any("not UTF-8" in line for line in errors_of(path))


def test_bundled_checklist_loads(bundled_manifest: Path) -> None:
    checklist = load_checklist(bundled_manifest)
    assert 6 <= len(checklist.pillars) <= 10
    assert 40 <= len(checklist.questions) <= 80
    core = select_tier(checklist, "core")
    assert 1 <= len(core.questions) <= 30
    for q in checklist.questions:
        assert q.spec.description, q.id
        assert q.spec.evidence, q.id
        assert q.spec.owner_role, q.id
        assert q.spec.references, q.id
        assert len(q.practice_ids) >= 2, q.id
        for c in q.choices:
            if c.id != q.none_choice_id:
                assert c.helpful and c.improvement, (q.id, c.id)


def test_content_hash_ignores_layout_comments_and_spelt_out_defaults(tmp_path: Path) -> None:
    first = load_checklist(write_checklist(tmp_path / "a")).content_hash
    restyled = "# a comment\n" + SOURCE.replace(
        'severity = "high"', 'severity = "high"\nnone_choice = true\ntags = []'
    )
    second = load_checklist(write_checklist(tmp_path / "b", {"security.toml": restyled}))
    assert second.content_hash == first
    changed = SOURCE.replace('title = "Scoped roles"', 'title = "Scoped IAM roles"')
    third = load_checklist(write_checklist(tmp_path / "c", {"security.toml": changed}))
    assert third.content_hash != first


def test_syntax_error_at_end_of_file_has_a_line(tmp_path: Path) -> None:
    path = write_checklist(tmp_path, {"security.toml": SOURCE + "tags = [\n"})
    lines = errors_of(path)
    assert any(re.search(r"security\.toml:\d+:\d+: TOML syntax error", line) for line in lines), (
        lines
    )
