"""Shared fixtures. Tests never touch the network, the user's home or the real clock."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "checklists" / "orr.toml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A fixed user, no AWS credentials from the machine, no user config.
    monkeypatch.setenv("ORR_USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def bundled_manifest() -> Path:
    return BUNDLED
