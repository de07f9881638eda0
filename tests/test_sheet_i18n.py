"""Workbooks in another language: every word orr writes goes through `orr.i18n`, and the
importer and the merge find sheets, columns and words by a canonical key that accepts the English
text or its translation in any catalogue shipped in ``orr/locale``.

No catalogue ships yet: these tests write a small one (a fake ``ja``) into a temporary locale
folder, the way a later issue will ship ``orr/locale/ja/LC_MESSAGES/orr.mo``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orr import i18n
from orr.checklist import load_checklist
from orr.errors import InputError
from orr.review.kinds import MitigationStatus
from orr.sheet import layout as L
from orr.sheet.export import checklist_book, export_review
from orr.sheet.importer import import_workbook
from orr.sheet.merge import merge_workbook
from orr.sheet.template import write_template
from tests.helpers import forget_catalogues, write_mo
from tests.test_sheet_support import (
    TODAY,
    filled_template,
    load_review_file,
    make_review,
    open_book,
    write_rich_checklist,
)

JA = {
    L.CHECKLIST: "チェックリスト",
    L.PILLARS: "柱の一覧",
    L.LENS: "レンズ",
    L.MITIGATIONS: "対策",
    L.SUMMARY: "概要",
    L.QUESTION: "質問",
    L.QUESTION_ID: "質問ID",
    L.CHOICE: "選択肢",
    L.CHOICE_ID: "選択肢ID",
    L.PILLAR: "柱",
    L.PILLAR_ID: "柱ID",
    L.NAME: "名前",
    L.SEVERITY: "重大度",
    L.IMPROVEMENT: "改善計画",
    L.NONE_CHOICE: "該当なし",
    L.WAIVABLE: "適用除外可",
    L.LENS_FIELD: "項目",
    L.LENS_VALUE: "値",
    L.ROLE_ID: "役割ID",
    L.TIER_ID: "段階ID",
    L.LENS_SIGNOFFS: "必要な承認",
    L.M_STATUS: "状態",
    L.M_OWNER: "担当",
    L.M_DUE: "期限",
    L.MITIGATION_ID: "対策ID",
    "high": "高",
    "medium": "中",
    "done": "完了",
    "open": "未着手",
    L.YES: "はい",
    L.NO: "いいえ",
    "Verdict": "判定",
    "None of these": "該当なし",
    # Messages (placeholders kept, as the catalogue check asks).
    "severity {value} — use high or medium": "重大度 {value}: 高か中を選んでください",
    "(none)": "(なし)",
}


@pytest.fixture
def ja_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A catalogue shipped for ``ja`` (in a temporary locale folder); English in use."""
    locale = tmp_path / "locale"
    write_mo(locale / "ja" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo", JA)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    # orr reads a language's catalogue once: forget the shipped one (a test before this one
    # may have read it), and this one after.
    forget_catalogues()
    yield locale
    i18n.set_language("en")
    forget_catalogues()


def test_the_workbook_speaks_the_language_in_use(ja_catalogue: Path, tmp_path: Path) -> None:
    assert i18n.set_language("ja") == "ja"
    book = tmp_path / "ja.xlsx"
    write_template(book)
    wb = open_book(book)
    assert JA[L.CHECKLIST] in wb.sheetnames and JA[L.LENS] in wb.sheetnames
    headers = [c.value for c in wb[JA[L.CHECKLIST]][1]]
    assert headers[:3] == [JA[L.PILLAR], JA[L.QUESTION_ID], JA[L.QUESTION]]
    severity = [dv for dv in wb[JA[L.CHECKLIST]].data_validations.dataValidation]
    assert any(dv.formula1 == '"高,中"' for dv in severity)
    # The drop-downs refer to the translated sheet names.
    assert any(dv.formula1.startswith(f"'{JA[L.LENS]}'!") for dv in severity)


def test_a_workbook_in_one_language_imports_in_another(ja_catalogue: Path, tmp_path: Path) -> None:
    original = load_checklist(write_rich_checklist(tmp_path / "rich"))
    i18n.set_language("ja")
    book = tmp_path / "ja.xlsx"
    checklist_book(original).save(book)
    i18n.set_language("en")  # read by someone whose orr speaks English
    import_workbook(book, tmp_path / "back")
    back = load_checklist(tmp_path / "back" / "orr.toml")
    assert back.content_hash == original.content_hash


def test_the_merge_reads_a_translated_mitigations_sheet(ja_catalogue: Path, tmp_path: Path) -> None:
    review_path, _ = make_review(tmp_path)
    i18n.set_language("ja")
    book = tmp_path / "ja.xlsx"
    export_review(review_path, book, TODAY)
    wb = open_book(book)
    assert JA[L.SUMMARY] == wb.active.title  # it opens on the Summary, in Japanese
    ws = wb[JA[L.MITIGATIONS]]
    headers = [c.value for c in ws[1]]
    assert headers[0] == JA[L.MITIGATION_ID]
    status = headers.index(JA[L.M_STATUS]) + 1
    assert ws.cell(2, status).value == "未着手"
    ws.cell(2, status).value = "完了"  # a stakeholder picks "done" from the list
    wb.save(book)
    i18n.set_language("en")
    report = merge_workbook(book, review_path, who="tester")
    assert [e.describe() for e in report.applied] == ["M1 status 'open' -> 'done'"]
    assert load_review_file(review_path).mitigations[0].status is MitigationStatus.DONE


def test_words_are_read_in_english_and_every_shipped_translation(ja_catalogue: Path) -> None:
    assert L.word_of("はい", {L.YES: L.YES_WORDS, L.NO: L.NO_WORDS}) == L.YES
    assert L.word_of(" YES ", {L.YES: L.YES_WORDS, L.NO: L.NO_WORDS}) == L.YES
    assert L.word_of("いいえ", {L.YES: L.YES_WORDS, L.NO: L.NO_WORDS}) == L.NO
    assert L.word_of("maybe", {L.YES: L.YES_WORDS, L.NO: L.NO_WORDS}) is None
    keys = L.heading_keys([L.QUESTION, L.CHOICE])
    assert keys[L.fold("質問")] == L.QUESTION and keys["question"] == L.QUESTION
    assert keys[L.fold("Choice*")] == L.CHOICE  # case and a "required" mark do not matter


def test_a_review_workbook_in_japanese_imports_as_its_checklist(
    ja_catalogue: Path, tmp_path: Path
) -> None:
    # The review's checklist is shown in Japanese, "None of these" included: the import still
    # knows it for the choice orr adds, and gives back the checklist as written.
    from tests.test_sheet_roundtrip import assert_same_checklist

    review_path, checklist = make_review(tmp_path)
    i18n.set_language("ja")
    book = tmp_path / "ja.xlsx"
    export_review(review_path, book, TODAY)
    ws = open_book(book)[JA[L.CHECKLIST]]
    choice = [c.value for c in ws[1]].index(JA[L.CHOICE]) + 1
    choices = [ws.cell(r, choice).value for r in range(2, ws.max_row + 1)]
    assert choices and JA["None of these"] not in choices  # not selected: not shown
    i18n.set_language("en")
    import_workbook(book, tmp_path / "back")
    assert_same_checklist(checklist, load_checklist(tmp_path / "back" / "orr.toml"))


def test_import_problems_are_in_the_language_in_use(
    ja_catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = {
        L.PILLAR: "ops",
        L.QUESTION: "Is there a runbook?",
        L.SEVERITY: "hihg",
        L.CHOICE: "A runbook",
        L.IMPROVEMENT: "Write one.",
    }
    book = filled_template(tmp_path / "book.xlsx", [row])
    monkeypatch.chdir(tmp_path)
    i18n.set_language("ja")
    with pytest.raises(InputError) as caught:
        import_workbook(book, tmp_path / "out")
    assert caught.value.lines() == [
        f'{book.name}: Checklist!F2: 重大度 "hihg": 高か中を選んでください'
    ]
    assert not (tmp_path / "out").exists()


def test_the_merge_reports_in_japanese_and_audits_in_english(
    ja_catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review_path, _ = make_review(tmp_path)
    monkeypatch.chdir(tmp_path)
    i18n.set_language("ja")
    book = tmp_path / "ja.xlsx"
    export_review(review_path, book, TODAY)
    wb = open_book(book)
    ws = wb[JA[L.MITIGATIONS]]
    notes = [c.value for c in ws[1]].index(L.M_NOTES) + 1  # no Japanese for it: as written
    assert ws.cell(2, notes).value == "note 1"
    ws.cell(2, notes).value = None  # a stakeholder clears the notes
    wb.save(book)
    report = merge_workbook(book, review_path, who="tester")
    assert [e.describe() for e in report.applied] == ["M1 notes 'note 1' -> (なし)"]
    # The audit trail is the review file's: English whatever the language of the merge.
    assert load_review_file(review_path).audit[-1].detail == (
        "from ja.xlsx: M1 notes 'note 1' -> (none)"
    )


def test_japanese_text_is_measured_double_width() -> None:
    from orr.sheet.cells import _lines, text_width

    assert (
        text_width("abc") == 3 and text_width("運用準備") == 8 and text_width("API の所有者") == 12
    )
    # 40 Japanese characters take two 40-wide lines; no extra line for a long "word" (Japanese
    # breaks anywhere), but a long link among them still gets one.
    assert _lines("あ" * 40, 40.0) == 2
    assert _lines("あ" * 40 + " https://example.com/" + "x" * 30, 40.0) == 5  # 131 wide: 4 + 1
