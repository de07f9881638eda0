"""Checklist -> Well-Architected custom lens JSON.

Only the keys of the format, in the format page's order, written with ``ensure_ascii=False`` and
a fixed indentation so that two exports of the same checklist are byte-identical and diff cleanly.
The export is validated before anything is written (`export_lens`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from orr.checklist.model import Checklist, ChecklistPillar, ChecklistQuestion, Choice, Resource
from orr.checklist.translate import in_language
from orr.i18n import DEFAULT, _, gettext_in, language
from orr.lens.format import (
    EVIDENCE_HEADING,
    EVIDENCE_MORE,
    HELPFUL_RESOURCE,
    IMPROVEMENT_PLAN,
    LANGUAGE_NAMES,
    MAX_BYTES,
    MAX_NAME,
    MAX_TEXT,
    SCHEMA_VERSION,
    SCRIPTS,
    SOURCES_HEADING,
    SOURCES_SEPARATOR,
)
from orr.lens.validate import WARNING, LensProblem, errors_of, validate_lens_document
from orr.tomlfile import cut

# Choice.more_order names -> the additionalResources type and the choice field holding the links.
_MORE = {
    "helpful": (HELPFUL_RESOURCE, "more_helpful"),
    "improvement": (IMPROVEMENT_PLAN, "more_improvement"),
}


def lens_json(doc: object, *, compact: bool = False) -> str:
    """The lens text: UTF-8 as is (never \\u escapes), two-space indentation, final newline.
    ``compact`` drops the whitespace (for a lens that would not fit in 500,000 bytes with it)."""
    if compact:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _resource(resource: Resource) -> dict[str, str]:
    out = {"displayText": resource.text}
    if resource.url is not None:
        out["url"] = resource.url
    return out


def lens_language(checklist: Checklist) -> str:
    """The language of a checklist's lens: its translation's, else the language in use."""
    return checklist.lang or language()


def sources_line(sources: Sequence[str], lang: str = DEFAULT) -> str | None:
    """``Sources: OPS07-BP02, INC-2024-017`` in ``lang`` (None when there is none)."""
    if not sources:
        return None
    return f"{gettext_in(lang, SOURCES_HEADING)} {SOURCES_SEPARATOR.join(sources)}"


def question_description(
    description: str | None,
    evidence: list[str],
    sources: Sequence[str] = (),
    *,
    lang: str = DEFAULT,
) -> tuple[str | None, int]:
    """The lens description of a question: its description, the evidence to ask for, and a last
    line naming its sources (best-practice ids, then incident ids), with orr's words in
    ``lang``.

    Returns the text and how many evidence items were left out to stay within 2048 characters
    (the last evidence line then says how many more the checklist holds). The evidence is cut
    first, never the sources line. A description that alone (with its sources) is too long is
    kept whole: the validator reports it.
    """
    tail = sources_line(sources, lang)
    if not evidence and tail is None:
        return description, 0
    heading = gettext_in(lang, EVIDENCE_HEADING)
    more = gettext_in(lang, EVIDENCE_MORE)

    def compose(kept: list[str], left_out: int) -> str:
        parts = [description] if description else []
        if kept:
            lines = [heading, *(f"- {item}" for item in kept)]
            if left_out:
                lines.append("- " + more.format(count=left_out))
            parts.append("\n".join(lines))
        if tail is not None:
            parts.append(tail)
        return "\n\n".join(parts)

    full = compose(evidence, 0)
    if len(full) <= MAX_TEXT:
        return full, 0
    for keep in range(len(evidence) - 1, 0, -1):
        text = compose(evidence[:keep], len(evidence) - keep)
        if len(text) <= MAX_TEXT:
            return text, len(evidence) - keep
    if tail is None:
        return description, len(evidence)
    return compose([], 0), len(evidence)


def _choice(choice: Choice) -> dict[str, Any]:
    out: dict[str, Any] = {"id": choice.id, "title": choice.title}
    if choice.helpful is not None:
        out["helpfulResource"] = _resource(choice.helpful)
    if choice.improvement is not None:
        out["improvementPlan"] = _resource(choice.improvement)
    order = list(choice.more_order or ())
    order += [kind for kind in ("helpful", "improvement") if kind not in order]
    additional: list[dict[str, Any]] = []
    for kind in order:
        kind_type, attr = _MORE[kind]
        links: list[Resource] = getattr(choice, attr)
        if links:
            additional.append({"type": kind_type, "content": [_resource(r) for r in links]})
    if additional:
        out["additionalResources"] = additional
    return out


def _question(
    question: ChecklistQuestion, path: str, notes: list[LensProblem], lang: str
) -> dict[str, Any]:
    spec = question.spec
    out: dict[str, Any] = {"id": spec.id, "title": spec.title}
    description, left_out = question_description(
        spec.description, spec.evidence, [*spec.references, *spec.incidents], lang=lang
    )
    if left_out:
        kept = len(spec.evidence) - left_out
        notes.append(
            LensProblem(
                f"{path}.description",
                _(
                    "the evidence to ask for was cut to {kept} of {total} items to keep the "
                    "description within {limit} characters"
                ).format(kept=kept, total=len(spec.evidence), limit=MAX_TEXT),
                WARNING,
            )
        )
    if description is not None:
        out["description"] = description
    if spec.helpful_resource is not None:
        out["helpfulResource"] = _resource(spec.helpful_resource)
    out["choices"] = [_choice(c) for c in question.choices]
    out["riskRules"] = [{"condition": r.text, "risk": str(r.risk)} for r in question.rules]
    return out


def _pillar(
    pillar: ChecklistPillar, path: str, notes: list[LensProblem], lang: str
) -> dict[str, Any]:
    return {
        "id": pillar.id,
        "name": pillar.name,
        "questions": [
            _question(q, f"{path}.questions[{i}]", notes, lang)
            for i, q in enumerate(pillar.questions)
        ],
    }


def lens_name(name: str, lang: str) -> str:
    """The name of the lens in ``lang``: a lens in another language than English names its
    language when its name does not show it already (an untranslated name), so that it is a
    lens of its own in the WA Tool, which wants lens names unique in an account."""
    script = SCRIPTS.get(lang)
    if lang == DEFAULT or script is None or script.search(name):
        return name
    suffix = f" ({LANGUAGE_NAMES.get(lang, lang)})"
    return name[: MAX_NAME - len(suffix)].rstrip() + suffix


def build_lens_with_notes(
    checklist: Checklist, lang: str | None = None
) -> tuple[dict[str, Any], list[LensProblem]]:
    """The lens document of a composed checklist, and warnings about what the mapping had to cut.

    orr's own words in it (the evidence heading, the sources line) are in ``lang``, by default
    the checklist's language (`lens_language`)."""
    code = lang or lens_language(checklist)
    notes: list[LensProblem] = []
    manifest = checklist.manifest
    description = manifest.description
    if not description.strip():
        # The WA Tool wants a description of at least 1 character: the lens gets its name.
        description = manifest.name
        notes.append(
            LensProblem(
                "description",
                _(
                    "the checklist has no description: the lens uses its name ({name}); "
                    'add description = "..." to the manifest'
                ).format(name=repr(cut(manifest.name))),
                WARNING,
            )
        )
    name = lens_name(manifest.name, code)
    if name != manifest.name:
        notes.append(
            LensProblem(
                "name",
                _(
                    "the lens name has no translation into {lang}: the lens is named {name} "
                    "(translate the lens name: orr checklist translations --lang {lang})"
                ).format(lang=code, name=repr(name)),
                WARNING,
            )
        )
    doc = {
        "schemaVersion": SCHEMA_VERSION,
        "name": name,
        "description": description,
        "pillars": [
            _pillar(p, f"pillars[{i}]", notes, code) for i, p in enumerate(checklist.pillars)
        ],
    }
    return doc, notes


def build_lens(checklist: Checklist, lang: str | None = None) -> dict[str, Any]:
    """The lens document of a composed checklist (not validated: see `export_lens`)."""
    return build_lens_with_notes(checklist, lang)[0]


@dataclass
class LensExport:
    """An export: the document, its text, and every problem (the text is only good to write when
    `errors` is empty)."""

    doc: dict[str, Any]
    text: str
    problems: list[LensProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[LensProblem]:
        return errors_of(self.problems)

    @property
    def warnings(self) -> list[LensProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8", "surrogatepass"))


def indentation_size(doc: object) -> int:
    """The bytes the two-space indentation of `lens_json` adds to the compact text of ``doc``.

    Per item of a non-empty container at depth d: a newline and 2(d+1) spaces, and for an object
    the space after ":"; before its closing bracket: a newline and 2d spaces. Strings are the same
    in both texts, so ``compact size + this`` is the indented size without writing it.
    """
    extra = 0
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items: Any = value.values()
            per_item = 2 * depth + 4
        elif isinstance(value, list):
            items = value
            per_item = 2 * depth + 3
        else:
            continue
        n = len(value)
        if n:
            extra += n * per_item + 2 * depth + 1
            for item in items:
                if isinstance(item, dict | list):
                    stack.append((item, depth + 1))
    return extra


def lens_checklist(checklist: Checklist, lang: str | None = None) -> Checklist:
    """The checklist whose lens is the lens in ``lang`` (default: the checklist's language, else
    the language in use): translated where it carries a translation into that language."""
    return in_language(checklist, lang or lens_language(checklist))


def export_lens(checklist: Checklist, lang: str | None = None) -> LensExport:
    """Build, serialise and validate the lens of a checklist, in ``lang`` (default: the
    checklist's language, else the language in use; see `lens_checklist`).

    The lens in another language has the same ids, rules and order as the English one (so that
    answers carry over), the texts of the checklist's translation, and orr's own words in that
    language.

    The text is indented for clean diffs; a lens that only fits within 500,000 bytes without the
    indentation is written compact, with a warning. A lens too big even compact is not worth
    indenting: its compact text is returned with the size error.
    """
    checklist = lens_checklist(checklist, lang)
    doc, notes = build_lens_with_notes(checklist)
    compact = lens_json(doc, compact=True)
    compact_size = len(compact.encode("utf-8", "surrogatepass"))
    text, size = compact, compact_size
    if compact_size <= MAX_BYTES:
        indented_size = compact_size + indentation_size(doc)
        if indented_size <= MAX_BYTES:
            text = lens_json(doc)
            size = len(text.encode("utf-8", "surrogatepass"))
        else:
            notes.append(
                LensProblem(
                    "",
                    _(
                        "written without indentation: indented, the lens would take {indented} "
                        "bytes, over the {limit} allowed ({compact} without)"
                    ).format(
                        indented=f"{indented_size:,}",
                        limit=f"{MAX_BYTES:,}",
                        compact=f"{compact_size:,}",
                    ),
                    WARNING,
                )
            )
    # The loader parsed every rule of the checklist already: the validator reuses those parses.
    parsed = {rule.text: rule.condition for q in checklist.questions for rule in q.rules}
    problems = validate_lens_document(doc, size=size, conditions=parsed)
    return LensExport(doc=doc, text=text, problems=notes + problems)
