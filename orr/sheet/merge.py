"""`orr xlsx merge`: bring stakeholders' mitigation edits (status, owner, due date, notes) back
from a review workbook's Mitigations sheet (Findings & Mitigations in a workbook of version 1)
into the review file, by mitigation id. Sheets, headings and status words are read in English or
in any language orr ships a catalogue for; a LibreOffice or Excel re-save reads the same.

The workbook's hidden ``_orr`` sheet holds what the review said at export. For each field, the
workbook value is compared with the exported one (did a stakeholder edit it?) and the review
file's current value with the exported one (did it change in the file since?):

- edited in the workbook only: applied;
- edited in both, to the same value: nothing to do;
- edited in both, differently: a conflict, reported and not applied (the file's value stays).

What it reports is in the language in use; the audit entry it adds stays English, as every
entry of a review's audit trail.

Values are checked first (a status of open / in_progress / done / withdrawn, a date, an owner);
any invalid cell stops the merge before anything is written, with every problem and its cell.
Edits are applied through the review store (locked, atomic), with one audit entry; nothing else
in the review is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orr.errors import InputError, ProblemList
from orr.i18n import N_, _
from orr.review.kinds import MitigationStatus
from orr.review.model import Mitigation, Review, now_utc
from orr.review.ops import audit
from orr.review.store import ReviewStore
from orr.sheet import layout as L
from orr.sheet.cells import SheetData, cell_ref, clean_text, read_book, text_of
from orr.sheet.export import review_sha256
from orr.tomlfile import display_path
from orr.values import date_or_none, parse_date

# The words a status cell may hold, by status: its English word (or a translation in any
# catalogue orr ships) or one of these spellings.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "open": (),
    "in_progress": ("in progress", "in-progress"),
    "done": (),
    "withdrawn": (),
}
# The status words as the drop-down's prompt lists them (the same text, so the same words).
STATUS_CHOICES = N_("open, in_progress, done or withdrawn")
NONE_SHOWN = N_("(none)")


def parse_status(text: str) -> MitigationStatus | None:
    word = L.word_of(text, STATUS_WORDS)
    return MitigationStatus(word) if word is not None else None


@dataclass(frozen=True)
class FieldEdit:
    """A stakeholder's change to one field of one mitigation."""

    mitigation: str
    field: str  # status, owner, due or notes
    old: str  # the value at export ("" for none)
    new: str  # the value in the workbook
    cell: str  # e.g. Mitigations!H4

    def describe(self, *, stored: bool = False) -> str:
        """``M1 status 'open' -> 'done'``: ids, the field's key and the values, with "(none)"
        in the language in use (``stored``: in English, as the audit trail keeps it)."""
        old, new = _show(self.old, stored), _show(self.new, stored)
        return f"{self.mitigation} {self.field} {old} -> {new}"


@dataclass(frozen=True)
class Conflict:
    """An edit to a field that also changed in the review file since the export."""

    edit: FieldEdit
    current: str | None  # the review file's value now (None: the mitigation was removed)

    def describe(self) -> str:
        e = self.edit
        if self.current is None:
            return _(
                "{cell}: {edit} not applied: {id} was removed from the review since the export"
            ).format(cell=e.cell, edit=e.describe(), id=e.mitigation)
        return _(
            "{cell}: {edit} not applied: the review file changed it to {value} since the export"
        ).format(cell=e.cell, edit=e.describe(), value=_show(self.current))


@dataclass
class MergeReport:
    applied: list[FieldEdit] = field(default_factory=list)
    already: list[FieldEdit] = field(default_factory=list)  # the file already had the edit
    conflicts: list[Conflict] = field(default_factory=list)
    review_changed: bool = False  # the review file is not what was exported
    edits: int = 0  # edits found in the workbook


def _show(value: str, stored: bool = False) -> str:
    if not value:
        return NONE_SHOWN if stored else _(NONE_SHOWN)
    flat = " ".join(value.split())
    return repr(flat if len(flat) <= 40 else flat[:37] + "...")


# --- reading the workbook ------------------------------------------------------------------------


def _norm(value: str) -> str:
    return text_of(clean_text(value))


def file_value(m: Mitigation, name: str) -> str:
    """A mitigation field as the workbook shows it, for comparing."""
    if name == "status":
        return str(m.status.value)
    if name == "due":
        return m.due.isoformat() if m.due else ""
    if name == "owner":
        return _norm(m.owner)
    return _norm(m.notes)


@dataclass
class _Meta:
    version: int
    review_file: str
    digest: str
    workload: str
    exported: dict[str, dict[str, str]]  # mitigation id -> field -> value at export


def _meta(sheets: dict[str, SheetData], shown: str) -> _Meta:
    sheet = sheets.get(L.META)
    if sheet is None:
        raise InputError(
            _(
                "{path}: not a review workbook exported by orr (it has no {sheet} sheet): export "
                "the review with `orr xlsx export REVIEW.toml`, edit that workbook, and merge it"
            ).format(path=shown, sheet=L.META)
        )
    keys: dict[str, str] = {}
    exported: dict[str, dict[str, str]] = {}
    in_table = False
    for values in sheet.rows:
        first = text_of(values[0]) if values else ""
        if not in_table:
            if first == L.META_MITIGATION_HEADER[0] and len(values) > 1 and text_of(values[1]):
                in_table = True
            elif first:
                keys[first] = text_of(values[1]) if len(values) > 1 else ""
            continue
        if not first:
            continue
        cells = [text_of(v) for v in values] + [""] * len(L.META_MITIGATION_HEADER)
        exported[first] = dict(zip(L.META_MITIGATION_HEADER[1:], cells[1:], strict=False))
    if keys.get("format") != L.REVIEW_BOOK_FORMAT:
        raise InputError(
            _("{path}: its {sheet} sheet is not orr's: export the review again").format(
                path=shown, sheet=L.META
            )
        )
    version = keys.get("version", "")
    if not version.isdigit() or int(version) > L.BOOK_VERSION:
        raise InputError(
            _("{path}: made by a newer orr (workbook version {version}): upgrade orr").format(
                path=shown, version=version or "?"
            )
        )
    return _Meta(
        version=int(version),
        review_file=keys.get("review file", ""),
        digest=keys.get("review sha256", ""),
        workload=keys.get("workload", ""),
        exported=exported,
    )


def _due(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = date_or_none(text_of(value))
    if found is None:
        raise ValueError(text_of(value))
    return found


def read_edits(book: Path) -> tuple[_Meta, list[FieldEdit]]:
    """The edits a workbook holds (against its export), every invalid cell reported."""
    shown = display_path(book)
    names = {L.META, *L.translations(L.MITIGATIONS), *L.translations(L.MITIGATIONS_V1)}
    sheets = read_book(book, wanted=lambda title: title == L.META or L.fold(title) in names)
    meta = _meta(sheets, shown)
    wanted = L.MITIGATIONS if meta.version >= 2 else L.MITIGATIONS_V1
    sheet = next(
        (data for title, data in sheets.items() if L.fold(title) in L.translations(wanted)),
        None,
    )
    if sheet is None:
        raise InputError(
            _("{path}: the workbook has no {sheet} sheet: export the review again").format(
                path=shown, sheet=_(wanted)
            )
        )
    columns: dict[str, int] = {}
    problems = ProblemList()
    needed = [L.MITIGATION_ID, *L.MERGED_HEADERS.values()]
    known = L.heading_keys(c.header for c in L.MITIGATION_COLUMNS)
    for col, value in enumerate(sheet.rows[0] if sheet.rows else (), start=1):
        folded = L.fold(text_of(value))
        name = known.get(folded, folded)
        if name in needed and name in columns:
            # A second column with the same heading: its cells would be silently ignored.
            problems.add(
                _(
                    "a second column headed {heading!r} (the first is {cell}): keep one, "
                    "rename or delete the other"
                ).format(heading=_(name), cell=cell_ref(sheet.title, 1, columns[name])),
                file=shown,
                path=cell_ref(sheet.title, 1, col),
            )
        columns.setdefault(name, col)
    for header in needed:
        if header not in columns:
            problems.add(
                _("no column headed {heading!r} in row 1: keep the exported columns").format(
                    heading=_(header)
                ),
                file=shown,
                path=cell_ref(sheet.title, 1, 1),
            )
    problems.raise_if_errors(
        _("{path}: {count} problem(s)").format(path=shown, count=len(problems.errors))
    )

    def ref(row: int, header: str) -> str:
        return cell_ref(sheet.title, row, columns[header])

    edits: list[FieldEdit] = []
    seen: dict[str, int] = {}
    for row in range(2, len(sheet.rows) + 1):
        mid = text_of(sheet.value(row, columns[L.MITIGATION_ID]))
        raw = {f: sheet.value(row, columns[h]) for f, h in L.MERGED_HEADERS.items()}
        if not mid:
            filled = [f for f, v in raw.items() if text_of(v)]
            if filled:
                problems.add(
                    _(
                        "{heading} on a row without a mitigation (a finding without one): add the "
                        "mitigation with `orr review mitigate`; this edit cannot be merged"
                    ).format(heading=_(L.MERGED_HEADERS[filled[0]])),
                    file=shown,
                    path=ref(row, L.MERGED_HEADERS[filled[0]]),
                )
            continue
        if mid in seen:
            problems.add(
                _("{id} is on row {row} and again here: keep one row per mitigation").format(
                    id=mid, row=seen[mid]
                ),
                file=shown,
                path=ref(row, L.MITIGATION_ID),
            )
            continue
        seen[mid] = row
        exported = meta.exported.get(mid)
        if exported is None:
            problems.add(
                _(
                    "{id} was not in the exported workbook: add new mitigations with "
                    "`orr review mitigate`, then export again"
                ).format(id=mid),
                file=shown,
                path=ref(row, L.MITIGATION_ID),
            )
            continue
        values: dict[str, str] = {}
        status_text = text_of(raw["status"])
        status = parse_status(status_text) if status_text else None
        if status is None:
            # Translators: {words} is the list of status words, as the drop-down's prompt says.
            invalid = _('{heading} "{value}" — use {words}')
            # Translators: {words} is the list of status words, as the drop-down's prompt says.
            empty = _("{heading} is empty — use {words}")
            message = invalid if status_text else empty
            problems.add(
                message.format(heading=_(L.M_STATUS), value=status_text, words=_(STATUS_CHOICES)),
                file=shown,
                path=ref(row, L.M_STATUS),
            )
        else:
            values["status"] = status.value
        try:
            due = _due(raw["due"])
            values["due"] = due.isoformat() if due else ""
        except ValueError:
            problems.add(
                _('{heading} "{value}" is not a date — write YYYY-MM-DD').format(
                    heading=_(L.M_DUE), value=text_of(raw["due"])
                ),
                file=shown,
                path=ref(row, L.M_DUE),
            )
        owner = text_of(raw["owner"])
        if not owner and exported.get("owner"):
            problems.add(
                _("{heading} is empty — give who does the mitigation").format(heading=_(L.M_OWNER)),
                file=shown,
                path=ref(row, L.M_OWNER),
            )
        else:
            values["owner"] = owner
        values["notes"] = text_of(raw["notes"])
        for name in L.MERGED_FIELDS:
            if name not in values:
                continue
            new, old = values[name], exported.get(name, "")
            if new != old:
                edits.append(FieldEdit(mid, name, old, new, ref(row, L.MERGED_HEADERS[name])))
    problems.raise_if_errors(
        _("{path}: {count} problem(s) in the workbook").format(
            path=shown, count=len(problems.errors)
        )
    )
    return meta, edits


# --- applying ------------------------------------------------------------------------------------


class _NoChange(Exception):
    """Nothing to write (raised inside the store transaction so that nothing is saved)."""


def _typed(name: str, value: str) -> object:
    if name == "status":
        return MitigationStatus(value)
    if name == "due":
        return parse_date(value, "due") if value else None
    return value


def merge_workbook(
    book: Path, review_path: Path, *, who: str, now: datetime | None = None
) -> MergeReport:
    """Apply the workbook's mitigation edits to the review file; returns what was applied,
    what the file already had and the conflicts (not applied)."""
    meta, edits = read_edits(book)
    store = ReviewStore(review_path)
    shown = display_path(review_path)
    report = MergeReport(edits=len(edits))
    when = now or now_utc()

    def check_workload(review: Review) -> None:
        if meta.workload and review.workload.name != meta.workload:
            raise InputError(
                _(
                    "{book} was exported from the review of {workload!r}, not of {other!r} "
                    "({path}): merge it into that review"
                ).format(
                    book=display_path(book),
                    workload=meta.workload,
                    other=review.workload.name,
                    path=shown,
                )
            )

    def apply(review: Review) -> None:
        check_workload(review)
        report.applied.clear()
        report.already.clear()
        report.conflicts.clear()
        changes: dict[str, dict[str, object]] = {}
        for edit in edits:
            current = review.mitigation(edit.mitigation)
            if current is None:
                report.conflicts.append(Conflict(edit, None))
                continue
            now_value = file_value(current, edit.field)
            if now_value == edit.new:
                report.already.append(edit)
            elif now_value == edit.old:
                report.applied.append(edit)
                changes.setdefault(edit.mitigation, {})[edit.field] = _typed(edit.field, edit.new)
            else:
                report.conflicts.append(Conflict(edit, now_value))
        if not report.applied:
            raise _NoChange
        for mid, fields in changes.items():
            current = review.mitigation(mid)
            assert current is not None
            try:
                updated = Mitigation.model_validate(
                    {**current.model_dump(), **fields, "updated_at": when, "updated_by": who}
                )
            except ValidationError as exc:  # the checks above make this unreachable in practice
                raise InputError(
                    _("{path}: mitigation {id}: {problem}").format(
                        path=shown, id=mid, problem=exc.errors()[0]["msg"]
                    )
                ) from None
            review.mitigations[review.mitigations.index(current)] = updated
        # The audit entry stays English, as every entry of the audit trail.
        parts = [e.describe(stored=True) for e in report.applied]
        if report.conflicts:
            parts.append(
                "not applied (changed in the review file since the export): "
                + ", ".join(f"{c.edit.mitigation} {c.edit.field}" for c in report.conflicts)
            )
        audit(review, who, when, "xlsx merge", f"from {book.name}: " + "; ".join(parts))

    check_workload(store.load())
    report.review_changed = _changed(review_path, meta)
    if not edits:
        return report
    try:
        store.transact(apply, who)
    except _NoChange:
        pass
    return report


def _changed(review_path: Path, meta: _Meta) -> bool:
    try:
        return review_sha256(review_path.read_bytes()) != meta.digest
    except OSError:
        return True
