"""Three-way merge of two edits of one review (what was read, ours, what is on disk now).

Entries merge one by one: answers and archived answers by question id, mitigations and
acceptances by id, sign-offs by role, stakeholders by (name, role), workload and checklist fields
one by one, WA ids by key. The audit trail keeps every entry of both sides: the entries ours added
(ours minus what was read, counted: two identical entries are two changes) follow theirs. An entry changed on one side only takes that
side's value; changed the same way on both sides is fine; changed differently on both sides is a
conflict, and nothing is merged. A mitigation or acceptance added on both sides under the same id
is not a conflict: ours is renumbered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from orr.i18n import _
from orr.review.model import AuditEntry, Review, now_utc

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_ABSENT: Any = object()


class MergeConflict(Exception):
    """Both sides changed the same entries differently."""

    def __init__(self, entries: list[str]) -> None:
        super().__init__(", ".join(entries))
        self.entries = entries


def _pick(
    label: str | Callable[[], str], base: Any, ours: Any, theirs: Any, conflicts: list[str]
) -> Any:
    """The merged value; on a conflict ``label`` names the entry (a callable: worked out only
    then)."""
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    conflicts.append(label if isinstance(label, str) else label())
    return ours


def _merge_map(
    label: Callable[[K], str],
    base: dict[K, V],
    ours: dict[K, V],
    theirs: dict[K, V],
    conflicts: list[str],
) -> dict[K, V]:
    keys: list[K] = list(theirs)
    keys += [k for k in ours if k not in theirs]
    keys += [k for k in base if k not in theirs and k not in ours]
    out: dict[K, V] = {}
    for k in keys:
        value = _pick(
            partial(label, k),
            base.get(k, _ABSENT),
            ours.get(k, _ABSENT),
            theirs.get(k, _ABSENT),
            conflicts,
        )
        if value is not _ABSENT:
            out[k] = value
    return out


def _fields(
    prefix: str, base: BaseModel, ours: BaseModel, theirs: BaseModel, conflicts: list[str]
) -> dict[str, Any]:
    return {
        name: _pick(
            f"{prefix}.{name}",
            getattr(base, name),
            getattr(ours, name),
            getattr(theirs, name),
            conflicts,
        )
        for name in type(ours).model_fields
    }


def _renumber(
    prefix: str,
    base_ids: set[str],
    ours: Sequence[Any],
    theirs: Sequence[Any],
) -> tuple[list[Any], list[tuple[str, str]]]:
    """Give ours' new entries fresh ids where theirs added different entries under the same id."""
    theirs_by_id = {e.id: e for e in theirs}
    taken = {e.id for e in ours} | set(theirs_by_id) | base_ids
    number = max((int(i[1:]) for i in taken if i[1:].isdigit()), default=0)
    out: list[Any] = []
    renamed: list[tuple[str, str]] = []
    for entry in ours:
        other = theirs_by_id.get(entry.id)
        if entry.id not in base_ids and other is not None and other != entry:
            number += 1
            new_id = f"{prefix}{number}"
            renamed.append((entry.id, new_id))
            entry = entry.model_copy(update={"id": new_id})
        out.append(entry)
    return out, renamed


def merge_reviews(base: Review, ours: Review, theirs: Review, who: str = "") -> Review:
    """The merge of ``ours`` and ``theirs`` (both edits of ``base``). Raises MergeConflict."""
    conflicts: list[str] = []
    base_m = {m.id for m in base.mitigations}
    base_a = {a.id for a in base.acceptances}
    ours_mitigations, renamed_m = _renumber("M", base_m, ours.mitigations, theirs.mitigations)
    ours_acceptances, renamed_a = _renumber("A", base_a, ours.acceptances, theirs.acceptances)

    workload = _fields("workload", base.workload, ours.workload, theirs.workload, conflicts)
    checklist = _fields("checklist", base.checklist, ours.checklist, theirs.checklist, conflicts)
    # Labels of the entries a conflict names (in the error the user reads; field paths such as
    # ``workload.name`` and ``wat.<key>`` stay as written in the file).
    answers = _merge_map(
        lambda k: _("answer {question}").format(question=k),
        base.answers,
        ours.answers,
        theirs.answers,
        conflicts,
    )
    archived = _merge_map(
        lambda k: _("archived answer {question}").format(question=k),
        base.archived,
        ours.archived,
        theirs.archived,
        conflicts,
    )
    mitigations = _merge_map(
        lambda k: _("mitigation {id}").format(id=k),
        {m.id: m for m in base.mitigations},
        {m.id: m for m in ours_mitigations},
        {m.id: m for m in theirs.mitigations},
        conflicts,
    )
    acceptances = _merge_map(
        lambda k: _("acceptance {id}").format(id=k),
        {a.id: a for a in base.acceptances},
        {a.id: a for a in ours_acceptances},
        {a.id: a for a in theirs.acceptances},
        conflicts,
    )
    signoffs = _merge_map(
        lambda k: _("sign-off {role}").format(role=k),
        {s.role: s for s in base.signoffs},
        {s.role: s for s in ours.signoffs},
        {s.role: s for s in theirs.signoffs},
        conflicts,
    )
    stakeholders = _merge_map(
        lambda k: _("stakeholder {name} ({role})").format(name=k[0], role=k[1]),
        {(s.name, s.role): s for s in base.stakeholders},
        {(s.name, s.role): s for s in ours.stakeholders},
        {(s.name, s.role): s for s in theirs.stakeholders},
        conflicts,
    )
    wat = _merge_map(lambda k: f"wat.{k}", base.wat, ours.wat, theirs.wat, conflicts)
    if conflicts:
        raise MergeConflict(conflicts)

    audit = [*theirs.audit, *_added(base.audit, ours.audit)]
    audit.sort(key=lambda e: e.at)  # stable: equal times keep disk order, then ours
    if renamed_m or renamed_a:
        moves = ", ".join(f"{old} -> {new}" for old, new in [*renamed_m, *renamed_a])
        audit.append(
            AuditEntry(  # saved in the review: never translated
                at=now_utc(),
                who=who,
                action="merge",
                detail=f"renumbered entries added at the same time as another writer's: {moves}",
            )
        )

    def by_number(entry: Any) -> tuple[int, str]:
        tail = str(entry.id)[1:]
        return (int(tail) if tail.isdigit() else 0, str(entry.id))

    return Review.model_validate(
        {
            "schema_version": max(ours.schema_version, theirs.schema_version),
            "workload": workload,
            "checklist": checklist,
            "stakeholders": list(stakeholders.values()),
            "answers": answers,
            "mitigations": sorted(mitigations.values(), key=by_number),
            "acceptances": sorted(acceptances.values(), key=by_number),
            "signoffs": list(signoffs.values()),
            "archived": archived,
            "audit": audit,
            "wat": wat,
        }
    )


def _added(base: list[AuditEntry], ours: list[AuditEntry]) -> list[AuditEntry]:
    """The entries ours added to what was read, as a multiset difference: an entry identical to
    one of theirs (same second, person, action, detail) is still ours, a change of its own."""
    read = Counter(_audit_key(e) for e in base)
    added: list[AuditEntry] = []
    for entry in ours:
        key = _audit_key(entry)
        if read[key] > 0:
            read[key] -= 1
        else:
            added.append(entry)
    return added


def _audit_key(entry: AuditEntry) -> tuple[str, str, str, str]:
    return (entry.at.isoformat(), entry.who, entry.action, entry.detail)
