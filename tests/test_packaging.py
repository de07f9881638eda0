"""The installed package carries every subpackage and the bundled checklist."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def test_every_subpackage_is_listed_for_setuptools() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "orr").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["tool"]["setuptools"]["package-dir"]["orr.bundled"] == "checklists"


def test_bundled_checklist_files_are_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["orr.bundled"]
    files = {
        p.relative_to(REPO / "checklists").as_posix() for p in (REPO / "checklists").rglob("*.toml")
    }
    import fnmatch

    assert all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in files)
