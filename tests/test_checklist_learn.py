"""`orr learn` writes only inside the manifest's folder: an ``incidents`` folder that leads
outside it (``..``, an absolute path, or a symlink) is one line (exit 2) and nothing is written,
even when the manifest lets its includes reach outside (``allow_outside = true``). The other
learn tests are in test_cli_checklist.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orr.checklist import load_checklist
from orr.checklist.learn import Learning, add_learning
from orr.cli import main
from orr.errors import InputError
from tests.helpers import MANIFEST, write_checklist

OUTSIDE_LINE = "leads outside the manifest's folder (symlinks followed)"


def manifest_with(folder: Path, include: list[str], extra: str) -> Path:
    inc = "[" + ", ".join(f'"{i}"' for i in include) + "]"
    # The top-level keys go before the first table of the manifest.
    text = MANIFEST.format(include=inc).replace("\n[roles.owner]", extra + "\n[roles.owner]", 1)
    return write_checklist(folder, manifest=text)


def learn_args(manifest: Path, incident: str = "INC-1") -> list[str]:
    return [
        "learn",
        str(manifest),
        "--incident",
        incident,
        "--title",
        "Are certificates renewed automatically?",
        "--pillar",
        "security",
        "--severity",
        "high",
        "--choice",
        "Certificates renew automatically",
        "--no-input",
    ]


def learning() -> Learning:
    return Learning(
        incident="INC-1",
        title="Are certificates renewed automatically?",
        pillar="security",
        severity="high",
        choices=["Certificates renew automatically"],
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_an_incidents_folder_above_the_manifest_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "checklists"
    elsewhere = tmp_path / "elsewhere"
    # Includes may reach outside here, so the learning would compose: only the folder check
    # keeps it in.
    manifest = manifest_with(
        home,
        ["security.toml", "../elsewhere/*.toml"],
        'incidents = "../elsewhere"\nallow_outside = true\n',
    )
    assert len(load_checklist(manifest).questions) == 1
    assert main(learn_args(manifest)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert OUTSIDE_LINE in err[0] and "incidents = '../elsewhere'" in err[0]
    assert not elsewhere.exists()
    assert files_under(home) == sorted([home / "orr.toml", home / "security.toml"])


def test_an_absolute_incidents_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "abs"
    manifest = manifest_with(
        tmp_path / "checklists",
        ["security.toml"],
        f'incidents = "{target.as_posix()}"\nallow_outside = true\n',
    )
    with pytest.raises(InputError, match="leads outside the manifest's folder"):
        add_learning(manifest, learning())
    assert not target.exists()


@pytest.mark.parametrize("allow_outside", [True, False])
def test_an_incidents_symlink_pointing_outside_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], allow_outside: bool
) -> None:
    home = tmp_path / "checklists"
    outside = tmp_path / "outside"
    outside.mkdir()
    extra = "allow_outside = true\n" if allow_outside else ""
    manifest = manifest_with(home, ["security.toml", "incidents/*.toml"], extra)
    os.symlink(outside, home / "incidents", target_is_directory=True)
    assert main(learn_args(manifest)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert OUTSIDE_LINE in err[0]
    assert list(outside.iterdir()) == []


def test_a_symlink_in_the_path_to_outside_is_refused(tmp_path: Path) -> None:
    # incidents = "notes/incidents" where notes is a symlink to a folder outside.
    home = tmp_path / "checklists"
    outside = tmp_path / "outside"
    (outside / "incidents").mkdir(parents=True)
    manifest = manifest_with(
        home,
        ["security.toml", "notes/incidents/*.toml"],
        'incidents = "notes/incidents"\nallow_outside = true\n',
    )
    os.symlink(outside, home / "notes", target_is_directory=True)
    with pytest.raises(InputError, match="leads outside the manifest's folder"):
        add_learning(manifest, learning())
    assert files_under(outside) == []


def test_an_incidents_symlink_that_stays_inside_is_used(tmp_path: Path) -> None:
    home = tmp_path / "checklists"
    manifest = write_checklist(home, include=["security.toml", "learned/*.toml"])
    (home / "learned").mkdir()
    os.symlink(home / "learned", home / "incidents", target_is_directory=True)
    result = add_learning(manifest, learning())
    assert (home / "learned" / "INC-1.toml").is_file()
    assert result.questions == 2


def test_a_dangling_symlink_is_left_alone(tmp_path: Path) -> None:
    # A symlink where the learning's file would go (even one pointing nowhere) is neither
    # written through nor replaced: the next free name is used.
    home = tmp_path / "checklists"
    manifest = write_checklist(home, include=["security.toml", "incidents/*.toml"])
    (home / "incidents").mkdir()
    link = home / "incidents" / "INC-1.toml"
    os.symlink(home / "gone.toml", link)
    add_learning(manifest, learning())
    assert link.is_symlink() and not (home / "gone.toml").exists()
    assert (home / "incidents" / "INC-1-2.toml").is_file()
