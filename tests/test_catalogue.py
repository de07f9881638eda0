"""One catalogue for orr's own words (issue 11): every text the code wraps has a Japanese
entry with the same {fields}, the shipped .mo is compiled from the .po, and the language in
use reads it."""

from __future__ import annotations

from orr.i18n import _, gettext_in, language, set_language
from tests.catalogue import LANGUAGES, mo_path, problems


def test_every_text_of_orr_has_a_current_translation() -> None:
    # New English text cannot slip in untranslated: add it with `python -m tests.catalogue`
    # and write its msgstr in orr/locale/<lang>/LC_MESSAGES/orr.po.
    for lang in LANGUAGES:
        found = problems(lang)
        assert found == [], "\n".join(found[:20]) + f"\n({len(found)} in all)"


def test_the_language_in_use_reads_the_shipped_catalogue() -> None:
    assert mo_path("ja").is_file()
    assert set_language("ja") == "ja" and language() == "ja"
    assert _("NOT READY") != "NOT READY"
    assert _("None of these") == gettext_in("ja", "None of these") != "None of these"
    set_language("en")
    assert _("NOT READY") == "NOT READY"
    assert gettext_in("en", "None of these") == "None of these"
