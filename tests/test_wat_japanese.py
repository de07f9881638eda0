"""The WA Tool in Japanese (issue 11), through real boto3 clients against the local stand-in:
`orr wat push-lens --lang ja` pushes the Japanese lens as a lens of its own (its own name and
ARN), `.orr-wat.toml` remembers one lens per language (an old file is read as the English lens
and upgraded without losing anything), `orr wat sync --lang ja` syncs a review with Japanese
notes into the Japanese lens and sends those notes unchanged, a later sync stays with that lens,
and `orr wat pull` brings Japanese answers back."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from orr import i18n
from orr.checklist import load_checklist
from orr.checklist.translate import template
from orr.cli import main
from orr.review.store import ReviewStore
from orr.wat.answers import EVIDENCE, parse_notes
from orr.wat.memory import MEMORY_FILE, LensMemory
from tests.test_lens_i18n import ja_catalogue  # noqa: F401 (the `ja_catalogue` fixture)
from tests.wa_standin import (
    AnswerRecord,
    StandIn,
    build_review,
    wa_fixture,  # noqa: F401 (the `wa` fixture)
    write_big_checklist,
)

JA_NOTES = "ロールはサービスごとに分けた。\n管理者ロールは来月分割する (チケット OPS-12)。"


def _cli(wa: StandIn, *args: str) -> int:
    return main(["wat", *args, "--endpoint-url", wa.endpoint_url, "--max-attempts", "4"])


def write_translation(manifest: Path) -> None:
    """translations/ja.toml of the checklist: every text translated (a Japanese sentence that
    names the text it translates), filled into the file `orr checklist translations` writes."""
    lines: list[str] = []
    comment: list[str] = []
    for line in template(load_checklist(manifest), "ja").splitlines():
        stripped = line.strip()
        if stripped.startswith("# "):
            comment.append(stripped[2:])
        elif 'text = ""' in line and comment:
            text = json.dumps(f"「{' '.join(comment)}」の日本語訳", ensure_ascii=False)
            line = line.replace('text = ""', f"text = {text}", 1)
            comment = []
        else:
            comment = []
        lines.append(line)
    folder = manifest.parent / "translations"
    folder.mkdir(exist_ok=True)
    (folder / "ja.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = write_big_checklist(tmp_path / "checklists")
    write_translation(path)
    return path


@pytest.fixture
def review_file(tmp_path: Path, manifest: Path) -> Path:
    path = build_review(tmp_path / "reviews" / "shop.toml", manifest)
    store = ReviewStore(path)

    def japanese(review: Any) -> None:
        # Japanese notes, with a control character that is never sent.
        review.answers["sec_access"].notes = JA_NOTES + "\x07"

    store.transact(japanese, "tester")
    return path


def _lens_by_name(wa: StandIn, name: str) -> str:
    found = [arn for arn, lens in wa.state.lenses.items() if lens.name == name]
    assert len(found) == 1, [lens.name for lens in wa.state.lenses.values()]
    return found[0]


def test_the_japanese_lens_is_a_lens_of_its_own(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(wa, "push-lens", str(manifest), "--publish", "1.0") == 0
    assert _cli(wa, "push-lens", str(manifest), "--lang", "ja", "--publish", "1.0") == 0
    capsys.readouterr()
    english = _lens_by_name(wa, "Test checklist")
    japanese = _lens_by_name(wa, "「Test checklist」の日本語訳")
    assert english != japanese
    # The same ids in both (answers carry over), the Japanese texts in the Japanese lens.
    doc_en = wa.state.doc(wa.state.lenses[english], "1.0")
    doc_ja = wa.state.doc(wa.state.lenses[japanese], "1.0")
    assert [q["id"] for p in doc_en["pillars"] for q in p["questions"]] == [
        q["id"] for p in doc_ja["pillars"] for q in p["questions"]
    ]
    assert doc_ja["pillars"][0]["questions"][0]["title"].endswith("の日本語訳")
    assert wa.state.lenses[japanese].tags == {"orr:checklist": "test_lens", "orr:lang": "ja"}
    assert wa.state.lenses[english].tags == {"orr:checklist": "test_lens"}
    # One lens per language, remembered next to the manifest.
    memory = tomllib.loads((manifest.parent / MEMORY_FILE).read_text(encoding="utf-8"))
    assert memory["schema_version"] == 2
    assert [(e["lang"], e["arn"]) for e in memory["lenses"]] == [
        ("en", english),
        ("ja", japanese),
    ]
    # A second push in Japanese is a new draft of the Japanese lens, not of the English one.
    assert _cli(wa, "push-lens", str(manifest), "--lang", "ja") == 0
    assert capsys.readouterr().out.startswith(f"{japanese}: ")
    assert wa.state.params_of("ImportLens")[-1]["LensAlias"] == japanese
    assert len(wa.state.lenses) == 2
    # Share, by the manifest, picks the lens of the language asked for.
    assert _cli(wa, "share", str(manifest), "--with", "111122223333", "--lang", "ja") == 0
    assert _cli(wa, "share", str(manifest), "--with", "111122223333") == 0
    assert len(wa.state.lenses[japanese].shares) == 1
    assert len(wa.state.lenses[english].shares) == 1


def test_an_old_memory_file_is_read_as_the_english_lens_and_upgraded(
    wa: StandIn, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(wa, "push-lens", str(manifest), "--publish", "1.0") == 0
    english = _lens_by_name(wa, "Test checklist")
    # The file as orr wrote it before languages: no schema_version, no lang; plus a key of
    # someone else's, which must survive.
    entry = LensMemory.beside(manifest).entries[0]
    assert entry.endpoint is not None
    old_entry = {
        "arn": entry.arn,
        "region": entry.region,
        "endpoint": entry.endpoint,
        "name": entry.name,
        "imported_sha256": entry.imported_sha256,
        "published": entry.published,
        "published_sha256": entry.published_sha256,
        "owner": "platform",
    }
    old = {"note": "kept by the platform team", "lenses": [old_entry]}
    path = manifest.parent / MEMORY_FILE
    path.write_text(tomli_w.dumps(old), encoding="utf-8")
    (read,) = LensMemory.beside(manifest).entries
    assert (read.arn, read.lang, read.published) == (english, "en", "1.0")
    # Pushing the same English content again is recognised; pushing Japanese adds an entry.
    assert _cli(wa, "push-lens", str(manifest), "--publish", "1.0") == 0
    assert "nothing to do" in capsys.readouterr().out
    assert _cli(wa, "push-lens", str(manifest), "--lang", "ja", "--publish", "1.0") == 0
    capsys.readouterr()
    new = tomllib.loads(path.read_text(encoding="utf-8"))
    assert new["schema_version"] == 2 and new["note"] == "kept by the platform team"
    first, second = new["lenses"]
    assert {k: v for k, v in first.items() if k != "updated_at"} == {**old_entry, "lang": "en"}
    assert second["lang"] == "ja" and second["arn"] != english
    # A file from a newer orr is refused with one line.
    path.write_text("schema_version = 9\nlenses = []\n", encoding="utf-8")
    assert _cli(wa, "push-lens", str(manifest)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newer orr" in err and MEMORY_FILE in err


def test_sync_a_japanese_review_into_the_japanese_lens_and_pull_it_back(
    wa: StandIn, manifest: Path, review_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(wa, "push-lens", str(manifest), "--publish", "1.0") == 0
    assert _cli(wa, "push-lens", str(manifest), "--lang", "ja", "--publish", "1.0") == 0
    japanese = _lens_by_name(wa, "「Test checklist」の日本語訳")
    english = _lens_by_name(wa, "Test checklist")

    assert _cli(wa, "sync", str(review_file), "--lang", "ja") == 0
    capsys.readouterr()
    (workload,) = wa.state.workloads.values()
    assert japanese in workload.lenses and english not in workload.lenses
    answers = workload.answers[japanese]
    # The Japanese notes arrive as they are (the control character stripped).
    assert answers["sec_access"].notes.startswith(JA_NOTES + "\n\n")
    assert "\x07" not in answers["sec_access"].notes
    assert answers["sec_access"].selected == ["sec_roles"]
    review = ReviewStore(review_file).load()
    assert review.wat["lens_arn"] == japanese and review.wat["lens_lang"] == "ja"

    # A later sync, without --lang, stays with the Japanese lens and has nothing to send.
    before = wa.state.calls["UpdateAnswer"]
    assert _cli(wa, "sync", str(review_file)) == 0
    assert wa.state.calls["UpdateAnswer"] == before
    capsys.readouterr()

    # Someone answers in Japanese in the console (orr's evidence heading in the lens's
    # language); pull brings it in as it was written.
    heading = i18n.gettext_in("ja", EVIDENCE)
    answers["ops_deploy"] = AnswerRecord(
        ["ops_canary"],
        True,
        None,
        f"まず 1 つの AZ でカナリアを実施。\n\n{heading}\n- パイプライン: https://ci.example.com/shop",
    )
    assert _cli(wa, "pull", str(review_file)) == 0
    assert "(ops_deploy)" in capsys.readouterr().out
    pulled = ReviewStore(review_file).load().answers["ops_deploy"]
    assert pulled.notes == "まず 1 つの AZ でカナリアを実施。"
    assert [(e.url, e.description) for e in pulled.evidence] == [
        ("https://ci.example.com/shop", "パイプライン")
    ]
    assert _cli(wa, "sync", str(review_file)) == 0
    assert wa.state.calls["UpdateAnswer"] == before
    capsys.readouterr()


def test_sync_switches_language_only_when_asked(
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _cli(wa, "push-lens", str(manifest), "--publish", "1.0") == 0
    english = _lens_by_name(wa, "Test checklist")
    assert _cli(wa, "sync", str(review_file)) == 0
    review = ReviewStore(review_file).load()
    assert review.wat["lens_arn"] == english and "lens_lang" not in review.wat
    # No Japanese lens pushed yet: one line saying what to do.
    assert _cli(wa, "sync", str(review_file), "--lang", "ja") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "orr wat push-lens --lang ja" in err and "--lang en" in err
    assert _cli(wa, "push-lens", str(manifest), "--lang", "ja", "--publish", "1.0") == 0
    japanese = _lens_by_name(wa, "「Test checklist」の日本語訳")
    # ORR_LANG alone does not move a review synced before to another lens ...
    capsys.readouterr()
    monkeypatch.setenv("ORR_LANG", "ja")
    assert _cli(wa, "sync", str(review_file)) == 0
    assert ReviewStore(review_file).load().wat["lens_arn"] == english
    monkeypatch.setenv("ORR_LANG", "en")
    # ... --lang does: the workload gets the Japanese lens too, and its answers.
    assert _cli(wa, "sync", str(review_file), "--lang", "ja") == 0
    (workload,) = wa.state.workloads.values()
    assert japanese in workload.lenses and english in workload.lenses
    assert workload.answers[japanese]["sec_access"].selected == ["sec_roles"]
    review = ReviewStore(review_file).load()
    assert (review.wat["lens_arn"], review.wat["lens_lang"]) == (japanese, "ja")
    # And back to the English lens (--lens names it; --lang en does the same where the
    # environment speaks Japanese).
    monkeypatch.setenv("ORR_LANG", "ja")
    assert _cli(wa, "sync", str(review_file), "--lang", "en") == 0
    review = ReviewStore(review_file).load()
    assert review.wat["lens_arn"] == english and "lens_lang" not in review.wat
    monkeypatch.setenv("ORR_LANG", "en")
    assert _cli(wa, "sync", str(review_file), "--lang", "ja") == 0
    assert _cli(wa, "sync", str(review_file), "--lens", english) == 0
    review = ReviewStore(review_file).load()
    assert review.wat["lens_arn"] == english and "lens_lang" not in review.wat
    # --lang counts as asked even when the environment says the same language.
    monkeypatch.setenv("ORR_LANG", "ja")
    assert _cli(wa, "sync", str(review_file), "--lang", "ja") == 0
    review = ReviewStore(review_file).load()
    assert (review.wat["lens_arn"], review.wat["lens_lang"]) == (japanese, "ja")
    capsys.readouterr()


def test_orrs_words_in_the_notes_are_japanese_and_read_back(
    ja_catalogue: Path,  # noqa: F811
    wa: StandIn,
    manifest: Path,
    review_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from orr.wat.answers import ACCEPTANCES, EVIDENCE, MITIGATIONS, NA_PREFIX
    from tests.helpers import write_mo
    from tests.test_lens_i18n import JA_WORDS

    words = {
        **JA_WORDS,
        EVIDENCE: "エビデンス:",
        MITIGATIONS: "対策:",
        ACCEPTANCES: "リスク受容:",
        NA_PREFIX: "対象外: ",
        "open": "未着手",
        ", due {date}": "、期限 {date}",
        ", owner {owner}": "、担当 {owner}",
    }
    write_mo(ja_catalogue / "ja" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo", words)
    i18n._catalogue.cache_clear()
    assert _cli(wa, "push-lens", str(manifest), "--lang", "ja", "--publish", "1.0") == 0
    assert _cli(wa, "sync", str(review_file), "--lang", "ja") == 0
    capsys.readouterr()
    (workload,) = wa.state.workloads.values()
    (lens_arn,) = [a for a in workload.answers]
    notes = workload.answers[lens_arn]["sec_access"].notes
    assert notes == (
        JA_NOTES + "\n\nエビデンス:\n- IAM review: https://wiki.example.com/iam"
        "\n\n対策:\n- [M1 未着手、期限 2026-12-01、担当 Sam] Split the admin role"
    )
    assert workload.answers[lens_arn]["ops_runbook"].notes == "対象外: Batch job, no on-call"
    parsed = parse_notes(notes)
    assert parsed.notes == JA_NOTES
    assert parsed.evidence == [("https://wiki.example.com/iam", "IAM review")]
    # Read back by an orr speaking English: the same.
    i18n.set_language("en")
    assert parse_notes(notes) == parsed
    # Nothing changed: a pull brings nothing, a sync sends nothing.
    before = wa.state.calls["UpdateAnswer"]
    assert _cli(wa, "pull", str(review_file)) == 0
    assert _cli(wa, "sync", str(review_file)) == 0
    assert wa.state.calls["UpdateAnswer"] == before
    capsys.readouterr()
