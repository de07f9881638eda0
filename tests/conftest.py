"""Shared fixtures. Tests never touch the network, the user's home or the real clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orr.i18n import set_language

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "checklists" / "orr.toml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    # A fixed user, no AWS credentials from the machine, no user config or cache, English (whatever
    # the machine's locale); a test that switches the language gets English back after it.
    monkeypatch.setenv("ORR_USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ORR_LANG", "en")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ORR_KEYS", raising=False)
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    yield
    set_language("en")


@pytest.fixture
def bundled_manifest() -> Path:
    return BUNDLED
