"""`orr learn`: a learning from an incident becomes a new question, in a file of its own.

Each learning is written to a new file under the manifest's incidents folder, so hand-written
files are never rewritten and lose no comments. That folder must stay inside the manifest's
folder once symlinks are followed (a manifest cannot send a learning elsewhere on the disk). The
whole checklist is validated (and the new question linted) with the new file before anything is
written; the write is atomic. The file's texts stay English, as every checklist file orr writes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orr.checklist.files import checklist_toml
from orr.checklist.load import load_checklist
from orr.checklist.model import ID_PATTERN, Severity
from orr.checklist.rules import suggest
from orr.errors import InputError, Problem
from orr.i18n import _
from orr.tomlfile import display_path, quoted, write_atomic
from orr.values import make_id, unique_id

MAX_QUESTION_ID = 60  # leaves room for the "_no" choice id within 64 characters


@dataclass
class Learning:
    incident: str
    title: str
    pillar: str
    severity: str
    choices: list[str]
    description: str | None = None
    owner_role: str | None = None
    question_id: str | None = None
    tiers: list[str] = field(default_factory=list)


@dataclass
class LearnResult:
    file: str
    question_id: str
    questions: int


def _file_name(incident: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", incident).strip("-.")
    return name or "incident"


def incidents_folder(manifest_path: Path, incidents: str) -> Path:
    """The folder learnings go to: the manifest's ``incidents``, which must stay inside the
    manifest's folder once symlinks are followed (InputError, one line, otherwise)."""
    base = manifest_path.parent
    folder = base / incidents
    try:
        inside = folder.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte: not usable
        inside = False
    if not inside:
        raise InputError(
            # Translators: incidents = is a line of the manifest: keep it.
            _(
                "{manifest}: incidents = {folder} leads outside the manifest's folder "
                "(symlinks followed): `orr learn` writes learnings only inside it; give a "
                "folder there, such as incidents"
            ).format(manifest=display_path(manifest_path), folder=quoted(incidents))
        )
    return folder


def add_learning(manifest: Path, learning: Learning) -> LearnResult:
    checklist = load_checklist(manifest)
    m = checklist.manifest
    folder = incidents_folder(Path(checklist.path), m.incidents)
    problems: list[str] = []
    if not learning.incident.strip():
        problems.append(_("--incident: give the incident id"))
    if not learning.title.strip():
        problems.append(_("--title: give the question"))
    if learning.severity not in {s.value for s in Severity}:
        problems.append(
            # Translators: high and medium are the values --severity takes: keep them.
            _("--severity {severity!r}: use high or medium").format(severity=learning.severity)
        )
    pillar_ids = [p.id for p in checklist.pillars]
    if learning.pillar not in pillar_ids:
        problems.append(
            _(
                "--pillar {pillar!r} is not a pillar of the checklist{suggestion} "
                "(pillars: {pillars})"
            ).format(
                pillar=learning.pillar,
                suggestion=suggest(learning.pillar, pillar_ids),
                pillars=", ".join(pillar_ids),
            )
        )
    if learning.owner_role is not None and learning.owner_role not in m.roles:
        problems.append(
            _("--owner-role {role!r} is not a role{suggestion} (roles: {roles})").format(
                role=learning.owner_role,
                suggestion=suggest(learning.owner_role, m.roles),
                roles=", ".join(m.roles),
            )
        )
    choices = [c.strip() for c in learning.choices if c.strip()]
    if not choices:
        problems.append(_("--choice: give at least one practice that would prevent a repeat"))
    existing = {q.id for q in checklist.questions}
    qid = learning.question_id or "inc_" + make_id(learning.title, MAX_QUESTION_ID - 4, "q")
    if learning.question_id is not None and not ID_PATTERN.match(qid):
        problems.append(_("--id {id!r}: ids use only letters, digits and _").format(id=qid))
    if learning.question_id is not None and qid in existing:
        problems.append(_("--id {id!r} is already a question of the checklist").format(id=qid))
    if learning.question_id is None:
        qid = unique_id(qid, set(existing), MAX_QUESTION_ID)
    if problems:
        raise InputError(problems[0], [Problem(p) for p in problems])

    choice_entries: list[dict[str, Any]] = []
    used: set[str] = {f"{qid}_no"}
    prefix = make_id(qid.removeprefix("inc_"), 20, "c")
    for text in choices:
        cid = unique_id(f"{prefix}_{make_id(text, 40, 'c')}"[:64], used, 64)
        choice_entries.append(
            {
                "id": cid,
                "title": text,
                "helpful": f"Learned from incident {learning.incident}.",
                "improvement": f"Put this in place before launch: {text}",
            }
        )
    question: dict[str, Any] = {"id": qid, "title": learning.title.strip()}
    if learning.description:
        question["description"] = learning.description.strip()
    if learning.owner_role:
        question["owner_role"] = learning.owner_role
    question["severity"] = learning.severity
    question["incidents"] = [learning.incident]
    if learning.tiers:
        question["tiers"] = learning.tiers
    question["choices"] = choice_entries
    # What is written to the checklist file stays English (a checklist's texts are
    # translated beside it, in translations/<lang>.toml).
    doc = {
        "schema_version": 1,
        "kind": "incident",
        "description": f"Learning from incident {learning.incident}, recorded with orr learn.",
        "pillars": [{"id": learning.pillar, "questions": [question]}],
    }
    text = f"# Learning from incident {learning.incident}.\n" + checklist_toml(doc)

    target = folder / f"{_file_name(learning.incident)}.toml"
    n = 2
    while os.path.lexists(target):  # a file, or a symlink (even a dangling one): never replaced
        target = folder / f"{_file_name(learning.incident)}-{n}.toml"
        n += 1
    composed = load_checklist(manifest, overlay={target.resolve(): text})
    added = composed.question(qid)
    if added is None:
        raise InputError(
            _(
                '{path} would not be part of the checklist: add "{pattern}" to include in {manifest}'
            ).format(
                path=display_path(target),
                pattern=f"{m.incidents}/*.toml",
                manifest=display_path(checklist.path),
            )
        )
    from orr.checklist.lint import lint_question

    errors = [p for p in lint_question(added) if p.severity == "error"]
    if errors:
        raise InputError(errors[0].message, errors)
    write_atomic(target, text.encode("utf-8"))
    return LearnResult(display_path(target), qid, len(composed.questions))
