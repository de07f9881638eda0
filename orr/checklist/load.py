"""Loading a checklist: the manifest, its includes (files and globs, nested, cycle-checked), the
source files, pillar merging, and every cross-file check. All problems are collected and reported
together; nothing here prints or exits."""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from orr.checklist.bundled import bundled_manifest as bundled_manifest
from orr.checklist.model import (
    NONE_SUFFIX,
    NONE_TITLE,
    Checklist,
    ChecklistPillar,
    ChecklistQuestion,
    Choice,
    Manifest,
    Question,
    SourceFile,
    evidence_policy,
)
from orr.checklist.rules import (
    And,
    Default,
    Expr,
    Not,
    ParsedRule,
    Risk,
    RuleSyntaxError,
    Var,
    parse,
    suggest,
    variables,
)
from orr.errors import InputError, Problem, ProblemList
from orr.i18n import N_, _
from orr.tomlfile import (
    PathKey,
    cut,
    display_path,
    file_kind,
    kind_problem,
    line_of,
    locate_lines,
    parse_toml,
    path_reason,
    path_text,
    quoted,
    read_text,
    resolve_path,
    validation_problems,
)

DEFAULT_MANIFEST = Path("checklists") / "orr.toml"


def find_manifest(given: str | Path | None) -> Path:
    """The manifest to use: the one given, ./checklists/orr.toml, or the bundled checklist."""
    if given is not None:
        p = Path(given)
        resolve_path(p, cut(str(given), 200))
        if p.is_dir():
            candidate = p / "orr.toml"
            if not candidate.is_file():
                candidate = p / "checklists" / "orr.toml"
            if not candidate.is_file():
                raise InputError(
                    _("{path}: no orr.toml in this folder (give the manifest file)").format(
                        path=display_path(p)
                    )
                )
            return candidate
        return p
    if DEFAULT_MANIFEST.is_file():
        return DEFAULT_MANIFEST
    return bundled_manifest()


@dataclass
class _Source:
    path: Path
    real: Path  # the path resolved
    shown: str
    text: str
    model: SourceFile
    lines: Mapping[PathKey, int]


@dataclass
class _Scope:
    """Where includes may lead: the manifest's folder (resolved) and below, unless the manifest
    says ``allow_outside = true``; and the texts read instead of the disk."""

    root: Path
    allow_outside: bool
    overlay: dict[Path, str]

    def leaves(self, real: Path) -> bool:
        return not self.allow_outside and not real.is_relative_to(self.root)

    def pattern_leaves(self, base: Path, pattern: str) -> bool:
        """Does the include, read as written (before any file is looked at), reach above the
        manifest's folder: an absolute path, or more ``..`` than folders?"""
        if self.allow_outside:
            return False
        if os.path.isabs(pattern) or pattern.startswith("~"):
            return True
        try:
            rel = os.path.relpath(base, self.root)
        except ValueError:
            return True
        norm = os.path.normpath(os.path.join(rel, pattern))
        return norm == os.pardir or norm.startswith(os.pardir + os.sep) or os.path.isabs(norm)


def _validate(
    model: type[BaseModel],
    data: dict[str, Any],
    shown: str,
    lines: Mapping[PathKey, int],
    problems: ProblemList,
) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, model, shown, lines))
        return None


def _read(
    path: Path, shown: str, problems: ProblemList, overlay: dict[Path, str]
) -> tuple[dict[str, Any], str] | None:
    try:
        pending = overlay.get(resolve_path(path, shown)) if overlay else None
        text = pending if pending is not None else read_text(path, shown)
        return parse_toml(text, shown), text
    except InputError as exc:
        problems.extend(exc.problems or [Problem(exc.message)])
        return None


# Translators: the end of the messages about an include outside the manifest's folder;
# allow_outside = true is a line of the manifest: keep it as it is.
_OUTSIDE = N_("includes stay in it and below unless the manifest says allow_outside = true")


def _expand(
    base: Path,
    patterns: list[str],
    shown: str,
    lines: Mapping[PathKey, int],
    problems: ProblemList,
    scope: _Scope,
) -> list[tuple[Path, Path]]:
    """The files the include patterns name, each with its resolved path. An include that leads
    outside the manifest's folder is refused from its text alone (or from where a symlink points,
    looked up without opening anything), so an error never tells whether a file outside exists."""
    found: list[tuple[Path, Path]] = []
    base_real = _real(base)
    for i, pattern in enumerate(patterns):
        at: dict[str, Any] = {
            "file": shown,
            "line": line_of(lines, ("include", i)),
            "path": f"include[{i}]",
        }
        named = f"include {cut(pattern)!r}"
        if scope.pattern_leaves(base_real, pattern):
            problems.add(
                _("{include}: outside the manifest's folder: {rule}").format(
                    include=named, rule=_(_OUTSIDE)
                ),
                **at,
            )
            continue
        if any(ch in pattern for ch in "*?["):
            matches: dict[Path, Path] = {}
            try:
                hits = glob.glob(os.path.join(glob.escape(str(base)), pattern), recursive=True)
            except (OSError, ValueError) as exc:
                problems.add(
                    _("{include}: cannot use this pattern ({reason})").format(
                        include=named, reason=path_reason(exc)
                    ),
                    **at,
                )
                continue
            for hit in sorted(hits):
                hit_path = Path(hit)
                try:
                    real = hit_path.resolve()
                except (OSError, RuntimeError, ValueError) as exc:
                    problems.add(
                        _("{include}: {path}: cannot use this path ({reason})").format(
                            include=named, path=display_path(hit_path), reason=path_reason(exc)
                        ),
                        **at,
                    )
                    continue
                if scope.leaves(real):
                    problems.add(
                        _(
                            "{include}: {path} leads outside the manifest's folder (a symlink): "
                            "{rule}"
                        ).format(include=named, path=display_path(hit_path), rule=_(_OUTSIDE)),
                        **at,
                    )
                    continue
                if file_kind(real) is None:
                    matches[real] = real
            full = str(base_real / pattern)
            for pending in scope.overlay:
                if fnmatch.fnmatch(str(pending), full) and not scope.leaves(pending):
                    matches[pending] = pending
            found.extend((m, m) for m in sorted(matches))
            continue
        target = base / pattern
        try:
            real = target.resolve()
        except (OSError, RuntimeError, ValueError) as exc:
            problems.add(
                _("{include}: cannot use this path ({reason})").format(
                    include=named, reason=path_reason(exc)
                ),
                **at,
            )
            continue
        if scope.leaves(real):
            problems.add(
                _("{include}: leads outside the manifest's folder (a symlink): {rule}").format(
                    include=named, rule=_(_OUTSIDE)
                ),
                **at,
            )
            continue
        if real in scope.overlay:
            found.append((target, real))
            continue
        kind = file_kind(target)
        if kind is not None:
            problems.add(
                _("{include}: {problem} (looked for {path})").format(
                    include=named, problem=kind_problem(kind), path=display_path(target)
                ),
                **at,
            )
            continue
        found.append((target, real))
    return found


def _real(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when the system cannot resolve it (the error is
    reported where the path is read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path.absolute()


def generated_rules(question: Question, choices: list[Choice]) -> list[ParsedRule]:
    """Rules from the severity: every practice selected (and not "None of these") -> NO_RISK;
    anything else -> the severity's risk."""
    none_id = question.id + NONE_SUFFIX
    practices = [c.id for c in choices if c.id != none_id]
    has_none = any(c.id == none_id for c in choices)
    terms: list[Expr] = [Var(p) for p in practices]
    if has_none:
        terms.append(Not(Var(none_id)))
    text = " && ".join([*practices, *([f"!{none_id}"] if has_none else [])])
    rules: list[ParsedRule] = []
    if terms:
        expr = terms[0]
        for term in terms[1:]:
            expr = And(expr, term)
        rules.append(ParsedRule(expr, Risk.NO_RISK, text))
    rules.append(ParsedRule(Default(), question.severity.risk, "default"))
    return rules


def effective_choices(question: Question) -> list[Choice]:
    none_id = question.id + NONE_SUFFIX
    choices = list(question.choices)
    if question.none_choice and not any(c.id == none_id for c in choices):
        choices.append(Choice(id=none_id, title=NONE_TITLE))
    return choices


def parse_rules(
    question: Question,
    choices: list[Choice],
    shown: str,
    lines: Mapping[PathKey, int],
    loc: tuple[str | int, ...],
    problems: ProblemList,
) -> list[ParsedRule]:
    assert question.rules is not None
    known = [c.id for c in choices]
    parsed: list[ParsedRule] = []
    for r, rule in enumerate(question.rules):
        # Where the condition is, worked out only for a problem: a valid checklist's files are
        # never scanned for lines.
        cloc = (*loc, "rules", r, "condition")
        try:
            expr = parse(rule.condition)
        except RuleSyntaxError as exc:
            problems.add(
                _("{condition}: {problem} at column {column}").format(
                    condition=quoted(rule.condition), problem=exc.message, column=exc.column
                ),
                file=shown,
                line=line_of(lines, cloc),
                path=path_text(cloc),
            )
            continue
        for name in variables(expr):
            if name not in known:
                problems.add(
                    _("{choice} is not a choice of question {question}{suggestion}").format(
                        choice=quoted(name),
                        question=cut(question.id),
                        suggestion=suggest(name, known),
                    ),
                    file=shown,
                    line=line_of(lines, cloc),
                    path=path_text(cloc),
                )
        parsed.append(ParsedRule(expr, rule.risk, rule.condition))
    if (
        len(parsed) == len(question.rules)
        and parsed
        and not isinstance(parsed[-1].condition, Default)
    ):
        problems.add(
            _('the last rule must be condition = "default" (the risk when nothing else holds)'),
            file=shown,
            line=line_of(lines, (*loc, "rules")),
            path=path_text((*loc, "rules")),
        )
    for r, parsed_rule in enumerate(parsed[:-1]):
        if isinstance(parsed_rule.condition, Default):
            problems.add(
                _("'default' must be the last rule: the rules after it can never apply"),
                file=shown,
                line=line_of(lines, (*loc, "rules", r)),
                path=path_text((*loc, "rules", r)),
            )
    seen: dict[Risk, int] = {}
    for r, rule in enumerate(question.rules):
        if rule.risk in seen:
            problems.add(
                _(
                    "a second {risk} rule: the lens format allows one rule per risk level "
                    "(join the conditions with ||)"
                ).format(risk=rule.risk),
                file=shown,
                line=line_of(lines, (*loc, "rules", r)),
                path=path_text((*loc, "rules", r, "risk")),
            )
        seen[rule.risk] = r
    if not question.rules:
        problems.add(
            # Translators: rules is a TOML key: keep it.
            _("rules is empty: leave it out to have rules generated, or end with a default rule"),
            file=shown,
            line=line_of(lines, (*loc, "rules")),
            path=path_text((*loc, "rules")),
        )
    return parsed


def load_checklist(
    manifest_path: str | Path | None = None, overlay: dict[Path, str] | None = None
) -> Checklist:
    """Load, compose and validate a checklist. Raises InputError listing every problem.

    ``overlay`` maps resolved paths to file texts read instead of the disk (or in addition to it:
    a file not yet written), so that a change can be validated before anything is written.
    """
    path = find_manifest(manifest_path)
    problems = ProblemList()
    checklist = _load(path, problems, overlay or {})
    problems.raise_if_errors(
        _("{path}: {count} problem(s) in the checklist").format(
            path=display_path(path), count=len(problems.errors)
        )
    )
    assert checklist is not None
    return checklist


def _load(path: Path, problems: ProblemList, overlay: dict[Path, str]) -> Checklist | None:
    shown = display_path(path)
    read = _read(path, shown, problems, overlay)
    if read is None:
        return None
    data, text = read
    lines = locate_lines(text)
    manifest = _validate(Manifest, data, shown, lines, problems)
    if not isinstance(manifest, Manifest):
        return None
    base = path.parent
    real_path = _real(path)
    scope = _Scope(real_path.parent, manifest.allow_outside, overlay)
    roles = set(manifest.roles)
    tiers = set(manifest.tiers)
    for i, role in enumerate(manifest.required_signoffs):
        if role not in roles:
            problems.add(
                _("required sign-off {role} is not a role{suggestion} (roles: {roles})").format(
                    role=quoted(role),
                    suggestion=suggest(role, roles),
                    roles=", ".join(sorted(roles)) or _("none defined"),
                ),
                file=shown,
                line=line_of(lines, ("required_signoffs", i)),
                path=f"required_signoffs[{i}]",
            )

    sources: list[_Source] = []
    visited: set[Path] = set()

    def visit(files: list[tuple[Path, Path]], chain: list[Path], from_shown: str) -> None:
        for f, real in files:
            if real in chain:
                cycle = " -> ".join(display_path(p) for p in [*chain[chain.index(real) :], real])
                problems.add(
                    _("include cycle: {cycle}").format(cycle=cycle), file=from_shown, path="include"
                )
                continue
            if real in visited:
                continue  # included twice (e.g. a file and a glob): composed once
            visited.add(real)
            fshown = display_path(f)
            got = _read(f, fshown, problems, overlay)
            if got is None:
                continue
            fdata, ftext = got
            flines = locate_lines(ftext)
            model = _validate(SourceFile, fdata, fshown, flines, problems)
            if not isinstance(model, SourceFile):
                continue
            sources.append(_Source(f, real, fshown, ftext, model, flines))
            if model.include:
                nested = _expand(f.parent, model.include, fshown, flines, problems, scope)
                visit(nested, [*chain, real], fshown)

    top = _expand(base, manifest.include, shown, lines, problems, scope)
    visit(top, [real_path], shown)

    pillars: dict[str, ChecklistPillar] = {}
    pillar_named_in: dict[str, str] = {}
    question_in: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for src in sources:
        kinds[src.shown] = src.model.kind
        for p, pspec in enumerate(src.model.pillars):
            ploc: tuple[str | int, ...] = ("pillars", p)
            pillar = pillars.get(pspec.id)
            if pillar is None:
                pillar = ChecklistPillar(pspec.id, pspec.name or "")
                pillars[pspec.id] = pillar
            if pspec.name:
                if not pillar.name:
                    pillar.name = pspec.name
                    pillar_named_in[pspec.id] = src.shown
                elif pillar.name != pspec.name:
                    problems.add(
                        _(
                            "pillar {pillar} is named {name} here but {other} in {file}: "
                            "give one name"
                        ).format(
                            pillar=quoted(pspec.id),
                            name=quoted(pspec.name),
                            other=quoted(pillar.name),
                            file=pillar_named_in.get(pspec.id) or _("another file"),
                        ),
                        file=src.shown,
                        line=line_of(src.lines, (*ploc, "name")),
                        path=path_text((*ploc, "name")),
                    )
            for q, qspec in enumerate(pspec.questions):
                qloc = (*ploc, "questions", q)
                _check_question(qspec, src, qloc, roles, tiers, question_in, problems)
                choices = effective_choices(qspec)
                if qspec.rules is not None:
                    rules = parse_rules(qspec, choices, src.shown, src.lines, qloc, problems)
                    generated = False
                else:
                    rules = generated_rules(qspec, choices)
                    generated = True
                pillar.questions.append(
                    ChecklistQuestion(
                        spec=qspec,
                        pillar_id=pillar.id,
                        source=src.shown,
                        kind=src.model.kind,
                        choices=choices,
                        rules=rules,
                        generated_rules=generated,
                        evidence=evidence_policy(qspec, src.model, manifest),
                    )
                )
    for pillar in pillars.values():
        if not pillar.name:
            problems.add(
                _(
                    'pillar {pillar} has no name in any file: add name = "..." to one of them'
                ).format(pillar=quoted(pillar.id)),
                file=shown,
            )
        if not pillar.questions:
            problems.add(
                _("pillar {pillar} has no questions").format(pillar=quoted(pillar.id)), file=shown
            )
    if not sources and not problems.errors:
        problems.add(_("the checklist includes no source files"), file=shown, path="include")

    files = [display_path(path), *[s.shown for s in sources]]
    digest = _content_hash(manifest, [s.model for s in sources])
    return Checklist(
        manifest=manifest,
        path=str(path),
        pillars=list(pillars.values()),
        files=files,
        content_hash=digest,
        kinds=kinds,
        paths=[real_path, *(s.real for s in sources)],
    )


def _check_question(
    qspec: Question,
    src: _Source,
    qloc: tuple[str | int, ...],
    roles: set[str],
    tiers: set[str],
    question_in: dict[str, str],
    problems: ProblemList,
) -> None:
    def at(*more: str | int) -> dict[str, Any]:
        loc = (*qloc, *more)
        return {"file": src.shown, "line": line_of(src.lines, loc), "path": path_text(loc)}

    if qspec.id in question_in:
        problems.add(
            _(
                "question id {id} is also used in {file}: ids are unique across the checklist"
            ).format(id=quoted(qspec.id), file=question_in[qspec.id]),
            **at("id"),
        )
    else:
        question_in[qspec.id] = src.shown
    if qspec.owner_role is not None and qspec.owner_role not in roles:
        problems.add(
            # Translators: owner_role is a TOML key: keep it.
            _(
                "owner_role {role} is not a role of the manifest{suggestion} (roles: {roles})"
            ).format(
                role=quoted(qspec.owner_role),
                suggestion=suggest(qspec.owner_role, roles),
                roles=", ".join(sorted(roles)) or _("none"),
            ),
            **at("owner_role"),
        )
    for t, tier in enumerate(qspec.tiers):
        if tier not in tiers:
            problems.add(
                _("tier {tier} is not a tier of the manifest{suggestion} (tiers: {tiers})").format(
                    tier=quoted(tier),
                    suggestion=suggest(tier, tiers),
                    tiers=", ".join(sorted(tiers)) or _("none defined"),
                ),
                **at("tiers", t),
            )
    seen: dict[str, int] = {}
    none_id = qspec.id + NONE_SUFFIX
    for c, choice in enumerate(qspec.choices):
        if choice.id in seen:
            problems.add(
                _(
                    "choice id {id} is used twice in question {question} "
                    "(choices[{first}] and choices[{second}])"
                ).format(
                    id=quoted(choice.id), question=cut(qspec.id), first=seen[choice.id], second=c
                ),
                **at("choices", c, "id"),
            )
        seen[choice.id] = c
        if choice.improvement is None and not choice.id.endswith(NONE_SUFFIX):
            problems.add(
                _(
                    "improvement is missing: every practice needs an improvement plan "
                    '(only a "None of these" choice, id {id}, may omit it)'
                ).format(id=cut(none_id)),
                **at("choices", c),
            )
    if not any(c.id != none_id for c in qspec.choices):
        problems.add(_('needs at least one practice besides "None of these"'), **at("choices"))


def _content_hash(manifest: Manifest, sources: list[SourceFile]) -> str:
    """A hash of what the checklist says: its validated models (defaults filled in), so neither
    layout, comments, file locations nor spelling out a default changes it."""
    digest = hashlib.sha256()
    # Defaults left out: a new optional field (or spelling out a default) changes no hash, so
    # reviews of a checklist stay current across orr upgrades.
    digest.update(
        manifest.model_dump_json(exclude={"include", "incidents"}, exclude_defaults=True).encode(
            "utf-8"
        )
    )
    for source in sources:
        digest.update(b"\n")
        digest.update(source.model_dump_json(exclude={"include"}, exclude_defaults=True).encode())
    return "sha256:" + digest.hexdigest()


def question_hash(question: ChecklistQuestion) -> str:
    """A hash of one question's content as written (translations leave it alone): what a
    review records and a rebase compares to tell changed questions."""
    if question.source_hash is None:
        question.source_hash = _question_hash(question)
    return question.source_hash


def _question_hash(question: ChecklistQuestion) -> str:
    payload = {
        # What the question asks and how its answers are scored; not who answers it, its
        # tiers, or how old its evidence may be (a new rule there asks no answer again).
        "spec": question.spec.model_dump(
            mode="json",
            exclude={
                "tags",
                "tiers",
                "owner_role",
                "evidence_required",
                "evidence_max_age_days",
                "evidence_blocks",
            },
            exclude_defaults=True,
        ),
        "choices": [c.model_dump(mode="json", exclude_defaults=True) for c in question.choices],
        "rules": [(r.text, str(r.risk)) for r in question.rules],
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def select_tier(checklist: Checklist, tier: str | None) -> Checklist:
    """The checklist restricted to the questions of one tier (pillars left empty are dropped)."""
    if tier is None:
        return checklist
    if tier not in checklist.manifest.tiers:
        known = sorted(checklist.manifest.tiers)
        raise InputError(
            _("tier {tier} is not a tier of {path}{suggestion} (tiers: {tiers})").format(
                tier=quoted(tier),
                path=display_path(checklist.path),
                suggestion=suggest(tier, known),
                tiers=", ".join(known) or _("none"),
            )
        )
    pillars = []
    for p in checklist.pillars:
        qs = [q for q in p.questions if tier in q.spec.tiers]
        if qs:
            pillars.append(ChecklistPillar(p.id, p.name, qs))
    return Checklist(
        manifest=checklist.manifest,
        path=checklist.path,
        pillars=pillars,
        files=checklist.files,
        content_hash=checklist.content_hash,
        kinds=checklist.kinds,
        paths=checklist.paths,
        lang=checklist.lang,
    )
