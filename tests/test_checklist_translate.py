"""Checklist translations kept beside the checklist (translations/<lang>.toml): the texts in
another language with the ids, rules and hashes of the checklist as written; stale and missing
texts shown as written and named by lint; a file to fill in written by the CLI."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from orr.checklist import Checklist, load_checklist
from orr.checklist.load import question_hash
from orr.checklist.translate import (
    digest,
    in_language,
    lint_translation,
    read_translation,
    template,
    translate,
    translation_path,
)
from orr.cli import main
from orr.errors import InputError
from orr.i18n import _, set_language
from orr.review.checklists import ChecklistCache
from orr.tomlfile import display_path
from tests.conftest import BUNDLED, DATA

MINI = DATA / "mini"
RUNBOOKS = "Do on-call engineers have runbooks for the known failure modes?"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "checklist")
    return tmp_path / "checklist" / "orr.toml"


def title(checklist: Checklist, qid: str) -> str:
    question = checklist.question(qid)
    assert question is not None, qid
    return question.title


def fill(text: str, translations: dict[str, str]) -> str:
    """A template with some entries filled in: the comment above an entry is its text as
    written; ``translations`` maps that text to its translation."""
    out: list[str] = []
    above = ""
    for line in text.splitlines():
        if line.startswith("# "):
            above = line[2:]
        elif 'text = ""' in line and above in translations:
            line = line.replace('text = ""', f'text = "{translations[above]}"', 1)
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_translation_shows_the_texts_and_keeps_ids_and_hashes(mini: Path) -> None:
    checklist = load_checklist(mini)
    path = translation_path(checklist, "ja")
    path.parent.mkdir()
    path.write_text(
        fill(template(checklist, "ja"), {RUNBOOKS: "既知の障害に対するランブックはありますか?"}),
        encoding="utf-8",
    )
    result = translate(checklist, "ja")
    translated = result.checklist
    assert translated.lang == "ja"
    assert title(translated, "ops_runbooks") == "既知の障害に対するランブックはありますか?"
    # Everything else is shown as written, and named as missing (a warning, never an error).
    assert title(translated, "ops_alarms") == title(checklist, "ops_alarms")
    assert result.translated == 1 and result.total > 10
    assert all(p.severity == "warning" for p in result.problems)
    assert len(result.problems) == result.total - 1
    # The same review in every language: ids, rules, hashes are those as written.
    assert translated.content_hash == checklist.content_hash
    for a, b in zip(checklist.questions, translated.questions, strict=True):
        assert (a.id, question_hash(a), a.practice_ids) == (b.id, question_hash(b), b.practice_ids)
        assert [r.text for r in a.rules] == [r.text for r in b.rules]


def test_a_changed_text_makes_its_translation_stale(mini: Path) -> None:
    checklist = load_checklist(mini)
    path = translation_path(checklist, "ja")
    path.parent.mkdir()
    path.write_text(
        fill(template(checklist, "ja"), {RUNBOOKS: "ランブックはありますか?"}), encoding="utf-8"
    )
    source = mini.parent / "readiness.toml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(RUNBOOKS, "Are there runbooks?"),
        encoding="utf-8",
    )
    checklist = load_checklist(mini)
    assert title(in_language(checklist, "ja"), "ops_runbooks") == "Are there runbooks?"
    stale = [p for p in lint_translation(checklist, "ja") if "stale" in p.message]
    assert len(stale) == 1
    line = stale[0].format()
    assert "translations/ja.toml" in line and "questions.ops_runbooks.title" in line
    assert f"now {digest('Are there runbooks?')}" in line
    # A new template keeps what is current and empties the stale entry.
    again = tomllib.loads(template(checklist, "ja"))
    assert again["questions"]["ops_runbooks"]["title"]["text"] == ""


def test_no_translation_is_one_warning_and_a_malformed_one_is_refused(mini: Path) -> None:
    checklist = load_checklist(mini)
    assert in_language(checklist, "ja") is not checklist
    assert title(in_language(checklist, "ja"), "ops_runbooks") == RUNBOOKS
    (problem,) = lint_translation(checklist, "ja")
    assert "no translation into ja" in problem.message
    assert "orr checklist translations --lang ja" in problem.message

    path = translation_path(checklist, "ja")
    path.parent.mkdir()
    path.write_text('schema_version = 1\nlang = "ja"\n[lens]\nname = "not a table"\n')
    with pytest.raises(InputError) as caught:
        read_translation(checklist, "ja")
    assert "ja.toml" in caught.value.message and "lens.name" in str(
        [p.format() for p in caught.value.problems] or caught.value.message
    )
    path.write_text('schema_version = 1\nlang = "fr"\n')
    with pytest.raises(InputError, match="named for 'ja'"):
        read_translation(checklist, "ja")


def test_the_bundled_checklist_is_wholly_translated_into_japanese() -> None:
    checklist = load_checklist(BUNDLED)
    result = translate(checklist, "ja")
    assert result.problems == []
    assert result.translated == result.total > 1000
    ja = result.checklist
    assert ja.manifest.name == "運用準備状況レビュー"
    assert all(q.title != e.title for q, e in zip(ja.questions, checklist.questions, strict=True))
    # The file is what `orr checklist translations` writes, filled in: nothing to add.
    written = tomllib.loads(template(checklist, "ja"))
    kept = tomllib.loads(translation_path(checklist, "ja").read_text(encoding="utf-8"))
    assert written == kept


def test_cli_writes_a_template_and_lints_the_translation(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklist", "translations", str(mini)]) == 2
    assert "--lang ja" in capsys.readouterr().err

    assert main(["checklist", "translations", str(mini), "--lang", "ja"]) == 0
    out, err = capsys.readouterr()
    target = mini.parent / "translations" / "ja.toml"
    # What it says is in the language asked for (--lang ja): the catalogue's words.
    texts = target.read_text(encoding="utf-8").count("source =")
    said = _("{file}: {count} text(s) to translate ({empty} not translated yet)").format(
        file=display_path(target), count=texts, empty=texts
    )
    assert texts > 10 and err.strip() == said
    assert tomllib.loads(target.read_text(encoding="utf-8"))["lang"] == "ja"

    # Lint names each text not yet translated (warnings: the checklist still works).
    code = main(["checklist", "lint", str(mini), "--lang", "ja"])
    out, _err = capsys.readouterr()
    # In the language asked for (--lang ja): the catalogue's words, English where it has none.
    missing = _("{place}: no translation (shown as written)").format(place="role owner")
    assert code == 0 and missing in out

    set_language("en")
    assert main(["checklist", "lint", str(BUNDLED), "--lang", "ja", "--format", "json"]) == 0
    out, _err = capsys.readouterr()
    assert json.loads(out)["warnings"] == []


def test_the_cache_gives_the_checklist_in_the_language_in_use(mini: Path) -> None:
    cache = ChecklistCache()
    assert title(cache.get(mini), "ops_runbooks") == RUNBOOKS
    checklist = load_checklist(mini)
    path = translation_path(checklist, "ja")
    path.parent.mkdir()
    path.write_text(
        fill(template(checklist, "ja"), {RUNBOOKS: "ランブックはありますか?"}), encoding="utf-8"
    )
    set_language("ja")
    assert title(cache.get(mini), "ops_runbooks") == "ランブックはありますか?"
    set_language("en")
    assert title(cache.get(mini), "ops_runbooks") == RUNBOOKS


def test_show_gives_the_checklist_in_the_language_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["checklist", "show", str(BUNDLED), "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("運用準備状況レビュー") and "Governance and compliance" not in out
    set_language("en")
    assert main(["checklist", "show", str(BUNDLED)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Operational Readiness Review") and "Governance and compliance" in out
