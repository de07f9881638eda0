"""User text is data: never a terminal escape, never markup, never a formula."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI on some terminals).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Show control characters (ESC, BEL, ...) as visible escapes so they cannot act on a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def strip_controls(text: str) -> str:
    """Text with control characters (ESC, BEL, ...) removed, tab and newline kept: what an
    editor field shows and saves."""
    return _CONTROL.sub("", text)


def one_line(text: str, limit: int | None = None) -> str:
    """Text for one table cell: controls made visible, line breaks folded to spaces."""
    flat = " ".join(terminal_safe(text).split())
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat


def plural(count: int, word: str) -> str:
    """``1 pillar``, ``2 pillars`` (English nouns orr prints: add an s)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
