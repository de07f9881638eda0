"""The remembered line breaks are rich's, for any text, width and folding."""

from __future__ import annotations

import textual.content
from hypothesis import given
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line

from orr.tui import wrapping

texts = st.text(
    alphabet=st.sampled_from(list("ab c\u3000運用手順書、。 -\u00e9\U0001f600")), max_size=200
)


@given(texts, st.integers(min_value=1, max_value=80), st.booleans())
def test_the_breaks_are_rich_s(text: str, width: int, fold: bool) -> None:
    expected = rich_divide_line(text, width, fold=fold)
    assert wrapping.divide_line(text, width, fold) == expected
    again = wrapping.divide_line(text, width, fold)  # remembered: the same, a list of its own
    assert again == expected
    again.append(-1)
    assert wrapping.divide_line(text, width, fold) == expected


def test_the_app_makes_textual_use_them() -> None:
    from tests.test_tui_support import new_app

    new_app()
    assert vars(textual.content)["divide_line"] is wrapping.divide_line
    content = textual.content.Content("運用手順書を確認し、" * 10)
    assert content.get_height({}, 40) == len(rich_divide_line(content.plain, 40)) + 1
