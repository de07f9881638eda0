"""`orr xlsx import`: a filled workbook (the template, or an exported checklist or review
workbook) -> checklist TOML: a manifest and one source file per kind (or per file recorded in
the workbook).

The Checklist sheet has one row per choice; a question's rows are grouped by question id, or by
title when the id is blank, and a row with neither continues the question above. A question's
fields come from its first row; a later row may repeat them but not contradict them. Ids left
blank are made from titles (stable: the same title gives the same id). Every problem is
collected with its sheet and cell and reported together; nothing is written unless the whole
checklist is valid (it is loaded from the texts before any file is written).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from orr.checklist.files import check_writable, checklist_toml, write_files
from orr.checklist.load import load_checklist
from orr.checklist.model import ID_PATTERN, NONE_SUFFIX, Question
from orr.checklist.rules import Default, Risk, RuleSyntaxError, parse, suggest, variables
from orr.errors import InputError, ProblemList
from orr.i18n import N_, _
from orr.sheet import layout as L
from orr.sheet.cells import SheetData, cell_ref, read_book, text_of
from orr.tomlfile import display_path
from orr.values import make_id, unique_id, url_problem

MANIFEST_FILE = "orr.toml"
MAX_TITLE = 128
MAX_QUESTION_ID = 128
MAX_CHOICE_ID = 64
MAX_PILLAR_ID = 64
MAX_CHOICES = 15  # per question, "None of these" included (the lens format's limit)
MAX_QUESTIONS = 20  # per pillar
MAX_PILLARS = 10
MAX_LENS_BYTES = 500_000  # the most the Well-Architected Tool takes
GENERATED_QUESTION_ID = 60  # leaves room for the "_no" choice id within 64 characters
MIN_ID = 3
DEFAULT_KIND = "operations"
KIND = re.compile(r"^[a-z][a-z0-9_-]*$")


# --- reading the sheets --------------------------------------------------------------------------


def _norm_header(value: object) -> str:
    return L.fold(text_of(value))


def _headings() -> dict[str, str]:
    """The headings every table of a workbook may have (English or a translation in any
    catalogue orr ships), by canonical key."""
    return L.heading_keys(
        [
            *(c.header for c in L.CHECKLIST_COLUMNS),
            *(c.header for c in L.ANSWER_COLUMNS),
            *(c.header for c in L.lens_sheet_columns() if c.header),
            *(c.header for c in L.PILLAR_COLUMNS),
        ]
    )


def _key(value: object, headings: dict[str, str]) -> str:
    """A heading as its canonical key (a heading orr does not know stays as typed, folded)."""
    name = _norm_header(value)
    return headings.get(name, name)


@dataclass
class _Table:
    """A table: a sheet whose row 1 names the columns, or a block of one (the columns from a
    key heading to the first blank heading, as the Lens sheet holds the roles and tiers)."""

    sheet: SheetData
    columns: dict[str, int]  # canonical key -> column (1-based)

    def get(self, row: int, header: str) -> Any:
        col = self.columns.get(header)
        return self.sheet.value(row, col) if col else None

    def text(self, row: int, header: str) -> str:
        return text_of(self.get(row, header))

    def ref(self, row: int, header: str) -> str:
        return cell_ref(self.sheet.title, row, self.columns.get(header, 1))

    def row_cells(self, row: int) -> Callable[[str], tuple[str, str]]:
        """A row's cells by heading, as (text, reference)."""
        return lambda header: (self.text(row, header), self.ref(row, header))

    def data_rows(self) -> range:
        return range(2, len(self.sheet.rows) + 1)

    def blank(self, row: int) -> bool:
        return all(not self.text(row, h) for h in self.columns)


def _table(sheet: SheetData, key: str | None = None) -> _Table | None:
    """The table of a sheet (``key`` None: every column of row 1), or the block of row 1 that
    holds the heading ``key``; None when row 1 has no such heading."""
    headings = list(sheet.rows[0]) if sheet.rows else []
    known = _headings()
    first, last = 1, len(headings)
    if key is not None:
        at = next((i for i, v in enumerate(headings, start=1) if _key(v, known) == key), None)
        if at is None:
            return None
        first = last = at
        while first > 1 and _norm_header(headings[first - 2]):
            first -= 1
        while last < len(headings) and _norm_header(headings[last]):
            last += 1
    columns: dict[str, int] = {}
    for col in range(first, last + 1):
        name = _key(headings[col - 1], known)
        if name and name not in columns:
            columns[name] = col
    return _Table(sheet, columns)


@dataclass
class _Field:
    value: str
    row: int


@dataclass
class _ChoiceDraft:
    row: int
    values: dict[str, str]


@dataclass
class _QuestionDraft:
    first_row: int
    fields: dict[str, _Field] = field(default_factory=dict)
    choices: list[_ChoiceDraft] = field(default_factory=list)

    def text(self, name: str) -> str:
        f = self.fields.get(name)
        return f.value if f else ""

    def row_of(self, name: str) -> int:
        f = self.fields.get(name)
        return f.row if f else self.first_row


@dataclass
class _Pillar:
    id: str
    name: str


@dataclass
class _SourceDraft:
    file: str
    kind: str
    description: str = ""
    include: list[str] = field(default_factory=list)
    pillar_order: list[str] = field(default_factory=list)
    named: set[str] = field(default_factory=set)
    questions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # pillar -> questions
    kind_from: str = ""  # where the kind was set (a cell), for messages
    listed: bool = False  # recorded in the workbook's _sources sheet
    evidence: dict[str, Any] = field(default_factory=dict)  # the file's evidence rules


@dataclass
class ImportResult:
    """The checklist files an import makes: file name (relative to the output folder) -> text."""

    texts: dict[str, str]
    questions: int
    pillars: int
    generated_ids: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return list(self.texts)


class _Importer:
    def __init__(self, shown: str, sheets: dict[str, SheetData]) -> None:
        self.shown = shown
        self.sheets = sheets
        self.problems = ProblemList()
        self.generated: list[str] = []
        self.include: list[str] = []  # the Lens sheet's include list (may be empty)

    def error(self, ref: str, message: str) -> None:
        self.problems.add(message, file=self.shown, path=ref)

    def evidence_rules(self, cell: Callable[[str], tuple[str, str]]) -> dict[str, Any]:
        """The evidence rules of a question, a source file or the checklist, from the cells
        ``cell(heading)`` gives as (text, reference); blank cells set nothing."""
        rules: dict[str, Any] = {}
        for key, heading, message in (
            (
                "evidence_required",
                L.EVIDENCE_REQUIRED,
                # Translators: yes and no are the words of the workbook's yes/no drop-downs.
                N_("{heading} {value}: use yes (an answer needs an evidence link) or no"),
            ),
            (
                "evidence_blocks",
                L.EVIDENCE_BLOCKS,
                # Translators: yes and no are the words of the workbook's yes/no drop-downs.
                N_("{heading} {value}: use yes (missing or stale evidence blocks) or no"),
            ),
        ):
            text, ref = cell(heading)
            flag = _yes_no(text)
            if flag is not None:
                rules[key] = flag
            elif text:
                self.error(ref, _(message).format(heading=_(heading), value=_quote(text)))
        text, ref = cell(L.EVIDENCE_MAX_AGE)
        if text:
            days = _days(text)
            if days is not None:
                rules["evidence_max_age_days"] = days
            else:
                self.error(
                    ref,
                    _(
                        "{heading} {value}: a whole number of days, such as 90 (blank: no limit)"
                    ).format(heading=_(L.EVIDENCE_MAX_AGE), value=_quote(text)),
                )
        return rules

    def named(self, name: str) -> SheetData | None:
        """The sheet called ``name`` (its English name or a translation, any case)."""
        names = L.translations(name)
        for title, data in self.sheets.items():
            if L.fold(title) in names:
                return data
        return None

    def sheet(self, name: str, required: bool, key: str | None = None) -> _Table | None:
        """The table of sheet ``name``; with ``key``, the block headed by it on that sheet, or
        else on any sheet (the roles and tiers stand beside the lens fields)."""
        found = self.named(name)
        table = None
        if found is not None:
            table = _table(found, key)
            if table is None and key is None:
                table = _table(found)
        if table is None and key is not None:
            for data in self.sheets.values():
                table = _table(data, key)
                if table is not None:
                    break
        if table is None and found is not None and key is not None:
            table = _table(found)  # row 1 without the key heading: reported by require_columns
        if table is None:
            if required:
                self.error(
                    _(name),
                    _("the workbook has no {sheet} sheet (start from `orr xlsx template`)").format(
                        sheet=_(name)
                    ),
                )
            return None
        return table

    def require_columns(self, table: _Table, headers: Sequence[str]) -> bool:
        missing = [h for h in headers if h not in table.columns]
        for h in missing:
            self.error(
                cell_ref(table.sheet.title, 1, 1),
                _("no column headed {heading!r} in row 1 (headers: {headings})").format(
                    heading=_(h), headings=", ".join(_(c) for c in table.columns) or _("none")
                ),
            )
        return not missing

    # --- ids ---

    def check_id(self, ref: str, value: str, what: str, limit: int) -> bool:
        """Is ``value`` a valid id? ``what`` names it in the language in use (a heading)."""
        if not ID_PATTERN.match(value):
            bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c == "_"))})
            self.error(
                ref,
                _(
                    "{what} {value!r}: use only letters, digits and _ (found {found}); or leave "
                    "it blank to have one made from the title"
                ).format(what=what, value=value, found=", ".join(repr(c) for c in bad)),
            )
            return False
        if not MIN_ID <= len(value) <= limit:
            self.error(
                ref,
                _("{what} {value!r}: {least} to {most} characters ({count} given)").format(
                    what=what, value=value, least=MIN_ID, most=limit, count=len(value)
                ),
            )
            return False
        return True

    # --- Lens, Roles, Tiers, Pillars ---

    def roles(self) -> dict[str, dict[str, str]]:
        roles: dict[str, dict[str, str]] = {}
        table = self.sheet(L.ROLES, required=False, key=L.ROLE_ID)
        if table is None or not self.require_columns(table, [L.ROLE_ID, L.NAME]):
            return roles
        for r in table.data_rows():
            if table.blank(r):
                continue
            name = table.text(r, "name")
            rid = table.text(r, "role id")
            if not name:
                self.error(table.ref(r, "name"), _("the role has no name: give one"))
                continue
            if not rid:
                rid = make_id(name, 64, "role")
                self.generated.append(_("role {id}").format(id=rid))
            elif not self.check_id(table.ref(r, "role id"), rid, _(L.ROLE_ID), 64):
                continue
            if rid in roles:
                self.error(table.ref(r, "role id"), _("role {id!r} is listed twice").format(id=rid))
                continue
            role = {"name": name}
            description = table.text(r, "description")
            if description:
                role["description"] = description
            roles[rid] = role
        return roles

    def tiers(self) -> dict[str, dict[str, str]]:
        tiers: dict[str, dict[str, str]] = {}
        table = self.sheet(L.TIERS, required=False, key=L.TIER_ID)
        if table is None or not self.require_columns(table, [L.TIER_ID]):
            return tiers
        for r in table.data_rows():
            if table.blank(r):
                continue
            tid = table.text(r, "tier id")
            if not tid:
                self.error(table.ref(r, "tier id"), _("the tier has no id: give one (e.g. core)"))
                continue
            if not self.check_id(table.ref(r, "tier id"), tid, _(L.TIER_ID), 64):
                continue
            if tid in tiers:
                self.error(table.ref(r, "tier id"), _("tier {id!r} is listed twice").format(id=tid))
                continue
            description = table.text(r, "description")
            tiers[tid] = {"description": description} if description else {}
        return tiers

    def lens(self, roles: dict[str, dict[str, str]]) -> dict[str, Any]:
        manifest: dict[str, Any] = {"schema_version": 1}
        table = self.sheet(L.LENS, required=True, key=L.LENS_FIELD)
        if table is None or not self.require_columns(table, [L.LENS_FIELD, L.LENS_VALUE]):
            return manifest
        values: dict[str, tuple[str, str]] = {}
        known = [name for name, _about in L.LENS_FIELDS]
        lens_fields = L.heading_keys(known)
        for r in table.data_rows():
            key = lens_fields.get(_norm_header(table.get(r, "field")), "")
            if not key:
                key = _norm_header(table.get(r, "field"))
            if not key:
                continue
            if key not in known:
                shown = [_(k) for k in known]
                self.error(
                    table.ref(r, "field"),
                    _("unknown field {field!r}{suggestion} (fields: {fields})").format(
                        field=key, suggestion=suggest(key, shown), fields=", ".join(shown)
                    ),
                )
                continue
            values[key] = (table.text(r, "value"), table.ref(r, "value"))

        def value(key: str) -> tuple[str, str]:
            return values.get(key, ("", cell_ref(table.sheet.title, 1, 2)))

        name, name_ref = value(L.LENS_NAME)
        if not name:
            self.error(name_ref, _("the checklist has no name: give one (at most 128 characters)"))
        elif len(name) > MAX_TITLE:
            self.error(
                name_ref,
                _("the name has {count} characters: at most {limit}").format(
                    count=len(name), limit=MAX_TITLE
                ),
            )
        lens_id, id_ref = value(L.LENS_ID)
        if not lens_id and name:
            lens_id = make_id(name, 64, "lens")
            self.generated.append(_("lens {id}").format(id=lens_id))
        elif lens_id:
            self.check_id(id_ref, lens_id, _("lens id"), 64)
        manifest["id"] = lens_id
        manifest["name"] = name
        manifest["description"] = value(L.LENS_DESCRIPTION)[0]
        manifest["version"] = value(L.LENS_VERSION)[0] or "1.0"
        include = value(L.LENS_INCLUDE)[0]
        self.include = L.split_lines(include)
        incidents, incidents_ref = value(L.LENS_INCIDENTS)
        if incidents:
            if not _safe_relative(incidents):
                self.error(
                    incidents_ref,
                    _(
                        "incidents folder {folder!r}: give a folder relative to the manifest, "
                        "without .."
                    ).format(folder=incidents),
                )
            manifest["incidents"] = incidents
        signoffs, signoffs_ref = value(L.LENS_SIGNOFFS)
        required: list[str] = []
        for item in L.split_list(signoffs):
            rid = _match_role(item, roles)
            if rid is None:
                self.error(
                    signoffs_ref,
                    _(
                        "required sign-off {role!r} is not a role in the roles table ({sheet} "
                        "sheet){suggestion} (roles: {roles})"
                    ).format(
                        role=item,
                        sheet=_(L.LENS),
                        suggestion=suggest(item, roles),
                        roles=", ".join(roles) or _("none"),
                    ),
                )
            elif rid not in required:
                required.append(rid)
        manifest["required_signoffs"] = required
        every, every_ref = value(L.LENS_REVIEW_EVERY)
        if every:
            cadence = _days(every)
            if cadence is not None:
                manifest["review_every_days"] = cadence
            else:
                self.error(
                    every_ref,
                    _(
                        "{heading} {value}: a whole number of days, such as 365 (blank: no cadence)"
                    ).format(heading=_(L.LENS_REVIEW_EVERY), value=_quote(every)),
                )
        manifest.update(self.evidence_rules(value))
        return manifest

    def pillars(self) -> dict[str, _Pillar]:
        pillars: dict[str, _Pillar] = {}
        table = self.sheet(L.PILLARS, required=True, key=L.PILLAR_ID)
        if table is None or not self.require_columns(table, [L.PILLAR_ID, L.NAME]):
            return pillars
        for r in table.data_rows():
            pid = table.text(r, "pillar id")
            name = table.text(r, "name")
            if not pid and not name:
                continue
            if not name:
                self.error(table.ref(r, "name"), _("the pillar has no name: give one"))
                continue
            if len(name) > MAX_TITLE:
                self.error(
                    table.ref(r, "name"),
                    _("the name has {count} characters: at most {limit}").format(
                        count=len(name), limit=MAX_TITLE
                    ),
                )
            if not pid:
                pid = unique_id(make_id(name, MAX_PILLAR_ID, "pillar"), set(pillars), MAX_PILLAR_ID)
                self.generated.append(_("pillar {id}").format(id=pid))
            elif not self.check_id(table.ref(r, "pillar id"), pid, _(L.PILLAR_ID), MAX_PILLAR_ID):
                continue
            if pid in pillars:
                self.error(
                    table.ref(r, "pillar id"), _("pillar {id!r} is listed twice").format(id=pid)
                )
                continue
            pillars[pid] = _Pillar(pid, name)
        return pillars

    def sources(self) -> dict[str, _SourceDraft]:
        out: dict[str, _SourceDraft] = {}
        table = self.sheet(L.SOURCES, required=False)
        if table is None or "file" not in table.columns:
            return out
        for r in table.data_rows():
            file = table.text(r, "file")
            if not file:
                continue
            kind = table.text(r, "kind").lower() or DEFAULT_KIND
            if not _safe_relative(file) or not file.endswith(".toml") or file == MANIFEST_FILE:
                self.error(
                    table.ref(r, "file"),
                    _(
                        "source file {file!r}: a .toml path relative to the manifest, without .., "
                        "and not orr.toml"
                    ).format(file=file),
                )
                continue
            if not KIND.match(kind):
                self.error(
                    table.ref(r, "kind"), _("kind {kind!r}: one lowercase word").format(kind=kind)
                )
                continue
            out[file] = _SourceDraft(
                file=file,
                kind=kind,
                description=table.text(r, "description"),
                include=L.split_lines(table.text(r, "include")),
                pillar_order=L.split_lines(table.text(r, "pillars")),
                named=set(L.split_lines(table.text(r, "named pillars"))),
                kind_from=table.ref(r, "kind"),
                listed=True,
                evidence=self.evidence_rules(table.row_cells(r)),
            )
        return out

    # --- the Checklist sheet ---

    def drafts(self) -> tuple[_Table | None, list[_QuestionDraft]]:
        table = self.sheet(L.CHECKLIST, required=True)
        if table is None or not self.require_columns(table, [L.QUESTION, L.CHOICE]):
            return None, []
        headings = _headings()
        for col, value in enumerate(table.sheet.rows[0], start=1):
            name = _key(value, headings)
            if name in (*L.QUESTION_FIELDS, *L.CHOICE_FIELDS) and table.columns[name] != col:
                # A second column with the same heading: its cells would be silently ignored.
                self.error(
                    cell_ref(table.sheet.title, 1, col),
                    _(
                        "a second column headed {heading!r} (the first is {cell}): keep one, "
                        "rename or delete the other"
                    ).format(heading=_(name), cell=table.ref(1, name)),
                )
        drafts: list[_QuestionDraft] = []
        by_id: dict[str, _QuestionDraft] = {}
        by_title: dict[str, _QuestionDraft] = {}
        current: _QuestionDraft | None = None
        question_fields = [f for f in L.QUESTION_FIELDS if f in table.columns]
        choice_fields = [f for f in L.CHOICE_FIELDS if f in table.columns]
        for r in table.data_rows():
            values = {h: table.text(r, h) for h in (*question_fields, *choice_fields)}
            if not any(values.values()):
                continue
            qid = values.get(L.QUESTION_ID, "")
            title = values.get(L.QUESTION, "")
            draft: _QuestionDraft | None
            if qid:
                draft = by_id.get(qid)
                if (
                    draft is None
                    and current is not None
                    and title == current.text(L.QUESTION)
                    and not current.text(L.QUESTION_ID)
                ):
                    draft = current  # the id given on a later row of the question
                    by_id[qid] = draft
            elif title:
                if current is not None and current.text(L.QUESTION) == title:
                    draft = current
                else:
                    draft = by_title.get(title)
            else:
                draft = current
                if draft is None:
                    self.error(
                        table.ref(r, L.QUESTION),
                        _(
                            "a row without a question: give the question (or its id) on the "
                            "question's first row"
                        ),
                    )
                    continue
            if draft is None:
                draft = _QuestionDraft(first_row=r)
                drafts.append(draft)
                if qid:
                    by_id[qid] = draft
                elif title:
                    by_title.setdefault(title, draft)
            current = draft
            for name in question_fields:
                value = values[name]
                if not value:
                    continue
                known = draft.fields.get(name)
                if known is None:
                    draft.fields[name] = _Field(value, r)
                elif known.value != value:
                    self.error(
                        table.ref(r, name),
                        _(
                            "{heading} {value} differs from row {row} of the same question "
                            "({first}): give a question's fields once, on its first row"
                        ).format(
                            heading=_(name),
                            value=_short(value),
                            row=known.row,
                            first=_short(known.value),
                        ),
                    )
            choice = {name: values[name] for name in choice_fields if values[name]}
            if choice:
                draft.choices.append(_ChoiceDraft(r, choice))
        return table, drafts


def _yes_no(text: str) -> bool | None:
    """True for yes, False for no (in English, a translation, or true/false/1/0/y/n); None for
    anything else, or a blank."""
    if not text:
        return None
    word = L.word_of(text, {L.YES: L.YES_WORDS, L.NO: L.NO_WORDS})
    return None if word is None else word == L.YES


def _short(value: str) -> str:
    text = " ".join(value.split())
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _safe_relative(path: str) -> bool:
    p = PurePosixPath(path.replace("\\", "/"))
    return bool(path) and not p.is_absolute() and ".." not in p.parts and ":" not in path


def _match_role(value: str, roles: dict[str, dict[str, str]]) -> str | None:
    if value in roles:
        return value
    folded = value.lower()
    for rid, role in roles.items():
        if rid.lower() == folded or role["name"].lower() == folded:
            return rid
    return None


def _is_url(value: str) -> bool:
    return url_problem(value) is None


_RISKS = {
    "NO_RISK": Risk.NO_RISK,
    "NO": Risk.NO_RISK,
    "NONE": Risk.NO_RISK,
    "MEDIUM_RISK": Risk.MEDIUM_RISK,
    "MEDIUM": Risk.MEDIUM_RISK,
    "HIGH_RISK": Risk.HIGH_RISK,
    "HIGH": Risk.HIGH_RISK,
}


class _Builder:
    """Turns the drafts into checklist data, with a problem for every cell that is wrong."""

    def __init__(
        self,
        imp: _Importer,
        table: _Table,
        pillars: dict[str, _Pillar],
        roles: dict[str, dict[str, str]],
        tiers: dict[str, dict[str, str]],
    ) -> None:
        self.imp = imp
        self.t = table
        self.pillars = pillars
        self.roles = roles
        self.tiers = tiers

    def err(self, row: int, header: str, message: str) -> None:
        self.imp.error(self.t.ref(row, header), message)

    def resource(
        self, draft_row: int, text: str, url: str, text_header: str, url_header: str
    ) -> str | dict[str, str] | None:
        if url and not _is_url(url):
            self.err(
                draft_row,
                url_header,
                _(
                    "{url} is not a link: it starts with http:// or https:// and has no spaces"
                ).format(url=_short(url)),
            )
        if not text:
            if url:
                self.err(
                    draft_row,
                    text_header,
                    _("a link without a text: give the text shown for it in {heading!r}").format(
                        heading=_(text_header)
                    ),
                )
            return None
        return {"text": text, "url": url} if url else text

    def links(self, row: int, header: str, value: str) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for n, line in enumerate(L.split_lines(value), start=1):
            text, url = L.parse_resource_line(line)
            if not text:
                self.err(
                    row,
                    header,
                    _("line {line}: a link needs a text: write `text | url`").format(line=n),
                )
                continue
            if url is not None and not _is_url(url):
                self.err(
                    row,
                    header,
                    _(
                        "line {line}: {url} is not a link: it starts with http:// or https://"
                    ).format(line=n, url=_short(url)),
                )
                continue
            out.append({"text": text, "url": url} if url else {"text": text})
        return out

    def check_counts(self, drafts: list[_QuestionDraft]) -> None:
        """At most 10 pillars and 20 questions per pillar (the lens limits), each excess
        reported once, at the first row over the limit."""
        if len(self.pillars) > MAX_PILLARS:
            found = self.imp.named(L.PILLARS)
            self.imp.error(
                cell_ref(found.title if found else _(L.PILLARS), MAX_PILLARS + 2, 1),
                _("{count} pillars: a lens allows at most {limit}; join some").format(
                    count=len(self.pillars), limit=MAX_PILLARS
                ),
            )
        placed: list[tuple[str, _QuestionDraft]] = []
        totals: dict[str, int] = {}
        for d in drafts:
            pillar = self.pillar(d.text(L.PILLAR))
            if pillar is not None:
                placed.append((pillar.id, d))
                totals[pillar.id] = totals.get(pillar.id, 0) + 1
        seen: dict[str, int] = {}
        for pid, d in placed:
            seen[pid] = seen.get(pid, 0) + 1
            if seen[pid] == MAX_QUESTIONS + 1:
                self.err(
                    d.first_row,
                    L.QUESTION,
                    _(
                        "pillar {id!r} has {count} questions: a lens allows at most {limit} per "
                        "pillar; move some to another pillar or split the checklist"
                    ).format(id=pid, count=totals[pid], limit=MAX_QUESTIONS),
                )

    def question_ids(self, drafts: list[_QuestionDraft]) -> list[str]:
        taken: set[str] = set()
        ids: list[str] = []
        for d in drafts:
            qid = d.text(L.QUESTION_ID)
            if qid and self.imp.check_id(
                self.t.ref(d.row_of(L.QUESTION_ID), L.QUESTION_ID),
                qid,
                _(L.QUESTION_ID),
                MAX_QUESTION_ID,
            ):
                taken.add(qid)
        for d in drafts:
            qid = d.text(L.QUESTION_ID)
            if not qid:
                title = d.text(L.QUESTION)
                qid = unique_id(
                    make_id(title, GENERATED_QUESTION_ID, "q"), taken, GENERATED_QUESTION_ID
                )
                self.imp.generated.append(
                    _("question {id} (row {row})").format(id=qid, row=d.first_row)
                )
            ids.append(qid)
        return ids

    def question(self, d: _QuestionDraft, qid: str) -> tuple[str, str, str, dict[str, Any]] | None:
        """(pillar id, kind, file, question data), or None when the question cannot be placed."""
        r = d.first_row
        problems_before = len(self.imp.problems.items)
        title = d.text(L.QUESTION)
        if not title:
            self.err(r, L.QUESTION, _("the question has no title: write the question"))
        elif len(title) > MAX_TITLE:
            self.err(
                d.row_of(L.QUESTION),
                L.QUESTION,
                _("the question has {count} characters: at most {limit}").format(
                    count=len(title), limit=MAX_TITLE
                ),
            )
        data: dict[str, Any] = {"id": qid, "title": title}
        if d.text(L.DESCRIPTION):
            data["description"] = d.text(L.DESCRIPTION)
        evidence = L.split_lines(d.text(L.EVIDENCE))
        if evidence:
            data["evidence"] = evidence
        resource = self.resource(
            d.row_of(L.RESOURCE) if L.RESOURCE in d.fields else d.row_of(L.RESOURCE_URL),
            d.text(L.RESOURCE),
            d.text(L.RESOURCE_URL),
            L.RESOURCE,
            L.RESOURCE_URL,
        )
        if resource is not None:
            data["helpful_resource"] = resource
        role = d.text(L.OWNER_ROLE)
        if role:
            rid = _match_role(role, self.roles)
            if rid is None:
                self.err(
                    d.row_of(L.OWNER_ROLE),
                    L.OWNER_ROLE,
                    _(
                        "owner role {role!r} is not a role in the roles table ({sheet} sheet)"
                        "{suggestion} (roles: {roles})"
                    ).format(
                        role=role,
                        sheet=_(L.LENS),
                        suggestion=suggest(role, self.roles),
                        roles=", ".join(self.roles) or _("none"),
                    ),
                )
            else:
                data["owner_role"] = rid
        severity = d.text(L.SEVERITY)
        if severity:
            word = L.word_of(severity, {"high": (), "medium": ()})
            if word is not None:
                data["severity"] = word
            else:
                self.err(
                    d.row_of(L.SEVERITY),
                    L.SEVERITY,
                    # Translators: high and medium are the words of the severity drop-down.
                    _("severity {value} — use high or medium").format(value=_quote(severity)),
                )
        for name, key in (
            (L.REFERENCES, "references"),
            (L.INCIDENTS, "incidents"),
            (L.TAGS, "tags"),
        ):
            items = L.split_list(d.text(name))
            if items:
                data[key] = items
        tiers: list[str] = []
        for tier in L.split_list(d.text(L.TIER)):
            found = next((t for t in self.tiers if t.lower() == tier.lower()), None)
            if found is None:
                self.err(
                    d.row_of(L.TIER),
                    L.TIER,
                    _(
                        "tier {tier!r} is not in the tiers table ({sheet} sheet){suggestion} "
                        "(tiers: {tiers})"
                    ).format(
                        tier=tier,
                        sheet=_(L.LENS),
                        suggestion=suggest(tier, self.tiers),
                        tiers=", ".join(self.tiers) or _("none"),
                    ),
                )
            elif found not in tiers:
                tiers.append(found)
        if tiers:
            data["tiers"] = tiers
        none_text = d.text(L.NONE_CHOICE)
        none_choice = _yes_no(none_text) is not False
        if not none_choice:
            data["none_choice"] = False
        elif none_text and _yes_no(none_text) is None:
            self.err(
                d.row_of(L.NONE_CHOICE),
                L.NONE_CHOICE,
                # Translators: yes and no are the words of the workbook's yes/no drop-downs.
                _('{value} — use yes (orr adds "None of these") or no').format(
                    value=_quote(none_text.lower())
                ),
            )
        all_text = d.text(L.ALL_OR_NOTHING)
        if _yes_no(all_text):
            data["all_or_nothing"] = True
        elif all_text and _yes_no(all_text) is None:
            self.err(
                d.row_of(L.ALL_OR_NOTHING),
                L.ALL_OR_NOTHING,
                # Translators: yes and no are the words of the workbook's yes/no drop-downs.
                _("{value} — use yes (every practice blocks, as meant) or no").format(
                    value=_quote(all_text)
                ),
            )
        data.update(self.imp.evidence_rules(lambda h: (d.text(h), self.t.ref(d.row_of(h), h))))
        data["choices"] = self.choices(d, qid, none_choice)
        rules = self.rules(d, qid, data["choices"], none_choice)
        if rules is not None:
            data["rules"] = rules

        pillar_text = d.text(L.PILLAR)
        pillar = self.pillar(pillar_text)
        if not pillar_text:
            self.err(
                r,
                L.PILLAR,
                _("the question has no pillar: give a pillar id from the {sheet} sheet").format(
                    sheet=_(L.PILLARS)
                ),
            )
        elif pillar is None:
            self.err(
                d.row_of(L.PILLAR),
                L.PILLAR,
                _(
                    "pillar {pillar!r} is not on the {sheet} sheet{suggestion}: add it there "
                    "(id and name)"
                ).format(
                    pillar=pillar_text,
                    sheet=_(L.PILLARS),
                    suggestion=suggest(pillar_text, self.pillars),
                ),
            )
        kind = d.text(L.SOURCE).lower()
        file = d.text(L.SOURCE_FILE).replace("\\", "/")
        if kind and not KIND.match(kind):
            self.err(
                d.row_of(L.SOURCE),
                L.SOURCE,
                # Translators: governance, security, incident and operations are values: keep them.
                _(
                    "source {value} — one lowercase word such as governance, security, incident "
                    "or operations"
                ).format(value=_quote(kind)),
            )
            kind = ""
        if file and (
            not _safe_relative(file) or not file.endswith(".toml") or file == MANIFEST_FILE
        ):
            self.err(
                d.row_of(L.SOURCE_FILE),
                L.SOURCE_FILE,
                _(
                    "source file {file!r}: a .toml path relative to the manifest, without ..; "
                    "not orr.toml (leave it blank to have one per source)"
                ).format(file=file),
            )
            file = ""
        if len(self.imp.problems.items) == problems_before:
            try:
                Question.model_validate(data)
            except ValidationError as exc:
                for e in exc.errors(include_url=False):
                    where = ".".join(str(p) for p in e["loc"])
                    self.err(
                        r,
                        L.QUESTION,
                        _("question {id}: {field}: {problem}").format(
                            id=qid, field=where, problem=e["msg"]
                        ),
                    )
        if pillar is None:
            return None
        return pillar.id, kind, file, data

    def pillar(self, text: str) -> _Pillar | None:
        if not text:
            return None
        if text in self.pillars:
            return self.pillars[text]
        folded = text.lower()
        for p in self.pillars.values():
            if p.id.lower() == folded or p.name.lower() == folded:
                return p
        return None

    def choices(self, d: _QuestionDraft, qid: str, none_choice: bool) -> list[dict[str, Any]]:
        if not d.choices:
            self.err(
                d.first_row,
                L.CHOICE,
                _(
                    "the question has no choices: give one row per practice, with its title in "
                    "the {heading} column"
                ).format(heading=_(L.CHOICE)),
            )
            return []
        none_id = qid + NONE_SUFFIX
        taken: set[str] = set()
        for c in d.choices:
            cid = c.values.get(L.CHOICE_ID, "")
            if not cid:
                continue
            if not self.imp.check_id(
                self.t.ref(c.row, L.CHOICE_ID), cid, _(L.CHOICE_ID), MAX_CHOICE_ID
            ):
                continue
            if cid in taken:
                self.err(
                    c.row,
                    L.CHOICE_ID,
                    _("choice id {id!r} is used twice in question {question}").format(
                        id=cid, question=qid
                    ),
                )
            taken.add(cid)
        out: list[dict[str, Any]] = []
        for c in d.choices:
            v = c.values
            title = v.get(L.CHOICE, "")
            if not title:
                self.err(c.row, L.CHOICE, _("the choice has no title: write the practice"))
                continue
            if len(title) > MAX_TITLE:
                self.err(
                    c.row,
                    L.CHOICE,
                    _("the choice has {count} characters: at most {limit}").format(
                        count=len(title), limit=MAX_TITLE
                    ),
                )
            cid = v.get(L.CHOICE_ID, "")
            if not cid:
                if _looks_like_none(title) and none_id not in taken:
                    cid = none_id
                    taken.add(cid)
                else:
                    cid = unique_id(make_id(title, MAX_CHOICE_ID, "c"), taken, MAX_CHOICE_ID)
                self.imp.generated.append(
                    _("choice {question}.{id} (row {row})").format(question=qid, id=cid, row=c.row)
                )
            choice: dict[str, Any] = {"id": cid, "title": title}
            helpful = self.resource(
                c.row, v.get(L.HELPFUL, ""), v.get(L.HELPFUL_URL, ""), L.HELPFUL, L.HELPFUL_URL
            )
            if helpful is not None:
                choice["helpful"] = helpful
            improvement = self.resource(
                c.row,
                v.get(L.IMPROVEMENT, ""),
                v.get(L.IMPROVEMENT_URL, ""),
                L.IMPROVEMENT,
                L.IMPROVEMENT_URL,
            )
            if improvement is not None:
                choice["improvement"] = improvement
            elif not cid.endswith(NONE_SUFFIX):
                self.err(
                    c.row,
                    L.IMPROVEMENT,
                    _(
                        "the improvement plan is missing: every practice needs one (only "
                        '"None of these" may leave it blank)'
                    ),
                )
            for header, key in (
                (L.MORE_HELPFUL, "more_helpful"),
                (L.MORE_IMPROVEMENT, "more_improvement"),
            ):
                links = self.links(c.row, header, v.get(header, ""))
                if links:
                    choice[key] = links
            waivable = v.get(L.WAIVABLE, "")
            if _yes_no(waivable) is False:
                choice["waivable"] = False
            elif waivable and _yes_no(waivable) is None:
                self.err(
                    c.row,
                    L.WAIVABLE,
                    # Translators: yes and no are the words of the workbook's yes/no drop-downs.
                    _("{value} — use no (a review may never mark it not applicable) or yes").format(
                        value=_quote(waivable)
                    ),
                )
            order = L.split_list(v.get(L.MORE_ORDER, ""))
            if order:
                if all(o in ("helpful", "improvement") for o in order):
                    choice["more_order"] = order
                else:
                    self.err(
                        c.row,
                        L.MORE_ORDER,
                        # Translators: helpful and improvement are the values it takes: keep them.
                        _("more order lists helpful and improvement"),
                    )
            out.append(choice)
        # The "None of these" row orr adds on export is not part of the checklist's choices.
        if (
            none_choice
            and out
            and out[-1].keys() == {"id", "title"}
            and out[-1]["id"] == none_id
            and L.is_none_title(out[-1]["title"])
        ):
            out.pop()
        if out and not any(c["id"] != none_id for c in out):
            self.err(
                d.first_row,
                L.CHOICE,
                _('the question needs at least one practice besides "None of these"'),
            )
        added = 1 if none_choice and all(c["id"] != none_id for c in out) else 0
        if len(out) + added > MAX_CHOICES:
            first_over = d.choices[min(MAX_CHOICES - added, len(d.choices) - 1)]
            message = (
                _(
                    'the question has {count} choices ("None of these" included): a lens allows '
                    "at most {limit}"
                )
                if added
                else _("the question has {count} choices: a lens allows at most {limit}")
            )
            self.err(
                first_over.row,
                L.CHOICE,
                message.format(count=len(out) + added, limit=MAX_CHOICES),
            )
        return out

    def rules(
        self, d: _QuestionDraft, qid: str, choices: list[dict[str, Any]], none_choice: bool
    ) -> list[dict[str, str]] | None:
        text = d.text(L.RULES)
        if not text:
            return None
        row = d.row_of(L.RULES)
        known = [c["id"] for c in choices]
        none_id = qid + NONE_SUFFIX
        if none_choice and none_id not in known:
            known.append(none_id)
        out: list[dict[str, str]] = []
        seen: dict[Risk, int] = {}
        lines = L.split_lines(text)
        for n, line in enumerate(lines, start=1):
            condition, arrow, risk_text = line.rpartition(L.RULE_ARROW)
            if not arrow:
                self.err(
                    row,
                    L.RULES,
                    _(
                        "line {line}: {text}: write `condition -> RISK` (e.g. `a && b -> NO_RISK`, "
                        "last `default -> HIGH_RISK`)"
                    ).format(line=n, text=_short(line)),
                )
                continue
            condition = condition.strip()
            risk = _RISKS.get(risk_text.strip().upper().replace(" ", "_"))
            if risk is None:
                self.err(
                    row,
                    L.RULES,
                    _("line {line}: risk {value} — use NO_RISK, MEDIUM_RISK or HIGH_RISK").format(
                        line=n, value=_quote(risk_text.strip())
                    ),
                )
                continue
            try:
                expr = parse(condition)
            except RuleSyntaxError as exc:
                self.err(
                    row,
                    L.RULES,
                    _("line {line}: {condition}: {problem} at column {column}").format(
                        line=n, condition=_short(condition), problem=exc.message, column=exc.column
                    ),
                )
                continue
            for name in variables(expr):
                if name not in known:
                    self.err(
                        row,
                        L.RULES,
                        _(
                            "line {line}: {choice!r} is not a choice of question {question}"
                            "{suggestion}"
                        ).format(
                            line=n, choice=name, question=qid, suggestion=suggest(name, known)
                        ),
                    )
            if isinstance(expr, Default) and n != len(lines):
                self.err(
                    row,
                    L.RULES,
                    _(
                        "line {line}: `default` must be the last rule: the rules after it can "
                        "never apply"
                    ).format(line=n),
                )
            if risk in seen:
                self.err(
                    row,
                    L.RULES,
                    _(
                        "line {line}: a second {risk} rule (line {first}): one rule per risk "
                        "level; join the conditions with ||"
                    ).format(line=n, risk=risk, first=seen[risk]),
                )
            seen[risk] = n
            out.append({"condition": condition, "risk": str(risk)})
        if out and out[-1]["condition"].strip() != "default" and len(out) == len(lines):
            self.err(
                row,
                L.RULES,
                _("the last rule must be `default -> RISK` (the risk when nothing else holds)"),
            )
        return out


def _days(text: str) -> int | None:
    """A number of days as a cell holds it (a number cell reads 90.0), from 1 to 100 years;
    None when it is not one."""
    days = text[:-2] if text.endswith(".0") else text
    return int(days) if days.isdigit() and 0 < int(days) <= 36_500 else None


def _quote(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def _looks_like_none(title: str) -> bool:
    folded = " ".join(title.lower().split()).rstrip(".")
    return folded in ("none of these", "none of the above", "none") or L.is_none_title(title)


# --- composition ---------------------------------------------------------------------------------


def _glob_match(pattern: str, path: str) -> bool:
    """Path matching as `glob` does it: ``*`` and ``?`` within one folder, ``**`` across
    folders."""

    def match(pp: list[str], fp: list[str]) -> bool:
        if not pp:
            return not fp
        if pp[0] == "**":
            return any(match(pp[1:], fp[i:]) for i in range(len(fp) + 1))
        return bool(fp) and fnmatch.fnmatchcase(fp[0], pp[0]) and match(pp[1:], fp[1:])

    return match(pattern.split("/"), path.split("/"))


def _normal(path: PurePosixPath) -> str:
    parts = [p for p in path.parts if p not in (".", "")]
    return "/".join(parts)


def _expand(base: PurePosixPath, patterns: list[str], files: set[str]) -> list[str] | None:
    """Which of ``files`` the includes of a file in ``base`` take, in load order (sorted
    matches for a glob, as `orr.checklist.load` does); None when a plain include names a file
    the workbook does not have."""
    out: list[str] = []
    for pattern in patterns:
        full = _normal(base / pattern)
        if any(ch in pattern for ch in "*?["):
            out.extend(sorted(f for f in files if _glob_match(full, f)))
        elif full in files:
            out.append(full)
        else:
            return None
    return out


def _composed(manifest_include: list[str], sources: dict[str, _SourceDraft]) -> list[str] | None:
    """The files loading would compose, in order; None when an include names a missing file."""
    files = set(sources)
    order: list[str] = []
    seen: set[str] = set()

    def visit(found: list[str] | None, chain: list[str]) -> bool:
        if found is None:
            return False
        for f in found:
            if f in chain or f in seen:
                continue
            seen.add(f)
            order.append(f)
            src = sources[f]
            if src.include and not visit(
                _expand(PurePosixPath(f).parent, src.include, files), [*chain, f]
            ):
                return False
        return True

    if not visit(_expand(PurePosixPath("."), manifest_include, files), []):
        return None
    return order


def _problems_in_book(shown: str, count: int) -> str:
    return _("{path}: {count} problem(s) in the workbook").format(path=shown, count=count)


# The files' own comments stay English, as every text saved in a checklist file.
_HEADER = (
    "# Imported from a workbook by `orr xlsx import`.\n"
    "# `orr xlsx export` turns these files back into the same workbook.\n\n"
)


def build_checklist(book: Path) -> ImportResult:
    """Read a workbook and make the checklist files (not written). InputError lists every
    problem with its sheet and cell."""
    shown = display_path(book)
    sheets = read_book(book)
    imp = _Importer(shown, sheets)
    roles = imp.roles()
    tiers = imp.tiers()
    manifest = imp.lens(roles)
    manifest["roles"] = roles
    manifest["tiers"] = tiers
    pillars = imp.pillars()
    listed = imp.sources()
    table, drafts = imp.drafts()
    if table is None:
        imp.problems.raise_if_errors(
            _("{path}: {count} problem(s)").format(path=shown, count=len(imp.problems.errors))
        )
        raise InputError(_("{path}: no {sheet} sheet").format(path=shown, sheet=_(L.CHECKLIST)))
    builder = _Builder(imp, table, pillars, roles, tiers)
    # The lens limits first: a checklist over them is unusable, and building 7,000 questions
    # only to refuse them would take long and print thousands of lines.
    before = len(imp.problems.errors)
    builder.check_counts(drafts)
    if len(imp.problems.errors) > before:
        imp.problems.raise_if_errors(_problems_in_book(shown, len(imp.problems.errors)))
    ids = builder.question_ids(drafts)
    if not drafts:
        imp.error(
            cell_ref(table.sheet.title, 2, 1),
            _("the {sheet} sheet has no questions").format(sheet=_(L.CHECKLIST)),
        )

    sources: dict[str, _SourceDraft] = dict(listed)
    for d, qid in zip(drafts, ids, strict=True):
        placed = builder.question(d, qid)
        if placed is None:
            continue
        pid, kind, file, qdata = placed
        if not file:
            file = f"{kind or DEFAULT_KIND}.toml"
        src = sources.get(file)
        if src is None:
            src = _SourceDraft(
                file=file,
                kind=kind or DEFAULT_KIND,
                kind_from=table.ref(d.row_of(L.SOURCE), L.SOURCE),
            )
            sources[file] = src
        elif kind and kind != src.kind:
            if not src.questions and not src.listed:
                src.kind = kind
            else:
                builder.err(
                    d.row_of(L.SOURCE),
                    L.SOURCE,
                    _(
                        "source {kind!r} differs from the kind of {file} ({other}, {cell}): one "
                        "kind per source file"
                    ).format(kind=kind, file=file, other=src.kind, cell=src.kind_from),
                )
        src.questions.setdefault(pid, []).append(qdata)
    imp.problems.raise_if_errors(_problems_in_book(shown, len(imp.problems.errors)))

    used = {pid for s in sources.values() for pid in s.questions}
    for name, src in list(sources.items()):
        if not src.questions and not src.include:
            del sources[name]  # a listed file whose questions all moved elsewhere
    orders: dict[str, list[str]] = {}
    for name, src in sources.items():
        order = [
            p for p in src.pillar_order if p in src.questions or (p in src.named and p in used)
        ]
        orders[name] = order + [p for p in src.questions if p not in order]
    namer: dict[str, str] = {}  # pillar id -> the file that gives its name
    for name, src in sources.items():
        if src.listed:
            for pid in orders[name]:
                if pid in src.named:
                    namer.setdefault(pid, name)
    for name in sources:
        for pid in orders[name]:
            namer.setdefault(pid, name)
    files_out: dict[str, dict[str, Any]] = {}
    for name, src in sources.items():
        pillar_list: list[dict[str, Any]] = []
        for pid in orders[name]:
            entry: dict[str, Any] = {"id": pid}
            if namer.get(pid) == name or (src.listed and pid in src.named):
                entry["name"] = pillars[pid].name
            if src.questions.get(pid):
                entry["questions"] = src.questions[pid]
            pillar_list.append(entry)
        data: dict[str, Any] = {"schema_version": 1, "kind": src.kind}
        if src.description:
            data["description"] = src.description
        if src.include:
            data["include"] = src.include
        data.update(src.evidence)
        data["pillars"] = pillar_list
        files_out[name] = data

    include = imp.include
    composed = _composed(include, sources) if include else None
    if composed is None or set(composed) != set(sources):
        include = list(files_out)
        for src_name, data in files_out.items():
            data.pop("include", None)
            sources[src_name].include = []
    manifest["include"] = include
    ordered: dict[str, Any] = {
        k: manifest[k]
        for k in (
            "schema_version",
            "id",
            "name",
            "description",
            "version",
            "include",
            "incidents",
            "required_signoffs",
            "review_every_days",
            "evidence_required",
            "evidence_max_age_days",
            "evidence_blocks",
            "roles",
            "tiers",
        )
        if k in manifest
    }
    texts = {MANIFEST_FILE: _HEADER + checklist_toml(ordered)}
    for name, data in files_out.items():
        texts[name] = checklist_toml(data)
    questions = sum(len(q) for s in sources.values() for q in s.questions.values())
    return ImportResult(texts, questions, len(used), list(imp.generated))


def check_loads(result: ImportResult, out_dir: Path) -> None:
    """Load the checklist from the texts (nothing written): every check of `orr checklist
    validate` runs on what the import would write."""
    overlay = {(out_dir / name).resolve(): text for name, text in result.texts.items()}
    try:
        loaded = load_checklist(out_dir / MANIFEST_FILE, overlay=overlay)
    except InputError as exc:
        raise InputError(
            _("the workbook makes a checklist that does not load: {problem}").format(
                problem=exc.message
            ),
            exc.problems,
        ) from None
    if len(loaded.questions) != result.questions:
        raise InputError(
            _(
                "{path}: the checklist there would have {count} questions, the workbook has "
                "{expected}: files already in the folder are included too (or the {sheet} sheet's "
                "include leaves files out): import into an empty folder, or fix the include list"
            ).format(
                path=display_path(out_dir),
                count=len(loaded.questions),
                expected=result.questions,
                sheet=_(L.LENS),
            )
        )
    from orr.lens.export import build_lens, lens_json

    size = len(lens_json(build_lens(loaded), compact=True).encode("utf-8", "surrogatepass"))
    if size > MAX_LENS_BYTES:
        raise InputError(
            _(
                "the workbook makes a checklist of {size} bytes as a lens, over the {limit} the "
                "Well-Architected Tool accepts: shorten its texts or split it into two checklists"
            ).format(size=f"{size:,}", limit=f"{MAX_LENS_BYTES:,}")
        )


def import_workbook(book: Path, out_dir: Path, *, force: bool = False) -> ImportResult:
    """Read the workbook, check the checklist it makes, and write its files into ``out_dir``.
    Refuses, writing nothing, when a file exists and ``force`` is not set."""
    result = build_checklist(book)
    check_writable(out_dir, list(result.texts), force=force)
    check_loads(result, out_dir)
    write_files(out_dir, result.texts, force=force)
    return result
