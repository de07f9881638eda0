"""Where a text breaks into lines, worked out once per text and width.

Textual wraps a text (rich's ``divide_line``) to measure its height for a layout, then again to
paint it, and again at each later paint of the same text at the same width. In Japanese, where
a line may break after any character, that search is a large part of showing a question.
The breaks of the last few hundred texts are remembered: the same function, with the same
answers (a pure function of the text, the width and whether long words fold)."""

from __future__ import annotations

import functools

import textual.content
from rich._wrap import divide_line as _divide_line

REMEMBERED = 512  # texts: a question shows about a dozen


@functools.lru_cache(maxsize=REMEMBERED)
def _breaks(text: str, width: int, fold: bool) -> tuple[int, ...]:
    return tuple(_divide_line(text, width, fold=fold))


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets at which ``text`` breaks to fit ``width`` cells (as rich's function)."""
    return list(_breaks(text, width, fold))


def install() -> None:
    """Textual's texts use this rather than rich's own."""
    textual.content.divide_line = divide_line  # type: ignore[attr-defined]
