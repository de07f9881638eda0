"""Keys a user remaps: every binding of orr has an id (``walk.next``, ``findings.mitigate``…);
a keys file maps ids to keys, read when the app starts.

The file is ``$ORR_KEYS``, else ``$XDG_CONFIG_HOME/orr/keys.toml`` (``~/.config/orr/keys.toml``):

    [keys]
    "walk.next" = "n,down"
    "findings.withdraw" = "delete"
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.app import App

from orr.errors import OrrError
from orr.i18n import _
from orr.tomlfile import display_path, load_toml


def keys_file() -> Path:
    given = os.environ.get("ORR_KEYS")
    if given:
        return Path(given)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "orr" / "keys.toml"


def load_keymap(app: App[Any]) -> str | None:
    """Apply the user's keys file to ``app``; a line saying what is wrong with it, if anything
    (the app then keeps its own keys)."""
    path = keys_file()
    if not path.is_file():
        return None
    try:
        data, _text = load_toml(path)
    except OrrError as exc:
        return exc.lines()[0]
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keys.items()
    ):
        return _('{file}: write [keys] with lines like "walk.next" = "n,down"').format(
            file=display_path(path)
        )
    app.set_keymap(dict(keys))
    return None
