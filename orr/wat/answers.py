"""A review's answer as the WA Tool holds it, and back: pure functions, no I/O.

An answer in the WA Tool is the selected choices, whether the question applies (with a reason
when it does not) and one notes text of at most 2,084 characters. orr writes into those notes,
in this order, separated by blank lines:

    Not applicable: <the review's note on why>          (only for a not-applicable answer)
    <the review's notes>
    Evidence:
    - <description>: <url>
    Mitigations:
    - [M1 open, due 2026-12-01, owner Dana] <title>
    Risk acceptances:
    - [A1 by Lee (CISO), expires 2026-12-31] <rationale>

and cuts the whole to 2,084 characters (counted as the service counts them, in UTF-16 units)
with a visible marker, ``… [cut by orr: full notes in the review file]``. Control characters
(ESC, BEL, ...) are stripped from everything sent (`orr.wat.params.clean_text`); the review's
own text (Japanese, say) is sent as it is.

The words orr adds (the headings, the marker, a mitigation's status) are written in the language
of the lens the review is synced with (the Japanese lens gets Japanese headings) and read back
in English or any language orr ships.

A practice that does not apply (``Answer.na_choices``) is sent as a choice update, never among
the selected choices: ``ChoiceUpdates={choice: {"Status": "NOT_APPLICABLE", "Reason": ...,
"Notes": <the note, cut to 250 characters>}}``; a practice the WA Tool still holds as not
applicable after it applies again in the review is set back (``SELECTED`` or ``UNSELECTED``).

A fingerprint (`fingerprint`) of such a state, kept per question in the review, tells what
changed since the last sync on either side. Notes are compared as the service may store them:
line endings, runs of spaces and control characters do not count (`normal_notes`), so a service
that normalises whitespace does not make every sync send every answer again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from orr.i18n import DEFAULT, N_, SUPPORTED, _, gettext_in
from orr.review.kinds import NaReason
from orr.review.model import Answer, Mitigation, Review, RiskAcceptance
from orr.wat.params import clean_text

NOTES_MAX = 2084
CHOICE_NOTES_MAX = 250
CUT_MARKER = N_("… [cut by orr: full notes in the review file]")
NA_PREFIX = N_("Not applicable: ")
EVIDENCE = N_("Evidence:")
MITIGATIONS = N_("Mitigations:")
ACCEPTANCES = N_("Risk acceptances:")
_SECTIONS = (EVIDENCE, MITIGATIONS, ACCEPTANCES)
_STATUS = {"open": N_("open"), "in_progress": N_("in progress"), "done": N_("done")}
_DUE = N_(", due {date}")
_OWNER = N_(", owner {owner}")
_ACCEPTANCE = N_("{id} by {approver} ({role}), expires {date}")
_WA_REASONS = {r.value for r in NaReason} | {"NONE"}


def _in(lang: str, text: str) -> str:
    return gettext_in(lang, text)


def _every(text: str) -> tuple[str, ...]:
    """``text`` in English and in every language orr ships (to read notes back)."""
    return tuple(dict.fromkeys(gettext_in(lang, text) for lang in (DEFAULT, *SUPPORTED)))


def utf16_len(text: str) -> int:
    """Characters as the service counts them (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_notes(text: str, limit: int = NOTES_MAX, lang: str = DEFAULT) -> str:
    """``text`` if it fits in ``limit`` characters, else its start and the cut marker (in
    ``lang``)."""
    if utf16_len(text) <= limit:
        return text
    marker = _in(lang, CUT_MARKER)
    room = limit - utf16_len(marker) - 1
    head = text
    # Drop whole characters (never half a surrogate pair) until the head fits.
    while utf16_len(head) > room:
        over = utf16_len(head) - room
        head = head[: len(head) - max(1, over // 2)]
    return head.rstrip() + "\n" + marker


def is_cut(text: str) -> bool:
    """True when notes end with orr's cut marker (in any language orr ships)."""
    end = text.rstrip()
    return any(end.endswith(marker) for marker in _every(CUT_MARKER))


def cut_choice_note(text: str) -> str:
    """A practice's not-applicable note as sent: one paragraph of text, at most 250 characters
    (the service's limit for a choice's notes)."""
    text = clean_text(text.strip(), multiline=True)
    if utf16_len(text) <= CHOICE_NOTES_MAX:
        return text
    head = text
    while utf16_len(head) > CHOICE_NOTES_MAX - 1:
        head = head[:-1]
    return head.rstrip() + "…"


def normal_notes(text: str) -> str:
    """Notes as compared: without control characters, line endings or runs of white space (a
    service that normalises white space must not make the same notes look changed)."""
    return " ".join(clean_text(text, multiline=True).split())


NaChoice = tuple[str, str, str]  # (choice id, reason, note)


@dataclass(frozen=True)
class WaAnswer:
    """An answer in the WA Tool's terms."""

    choices: tuple[str, ...] = ()
    applicable: bool = True
    reason: str = ""  # an NaReason value (or NONE) when not applicable
    notes: str = ""
    na: tuple[NaChoice, ...] = ()  # practices that do not apply, with reason and note

    @property
    def answered(self) -> bool:
        return not self.applicable or bool(self.choices) or bool(self.na)

    @property
    def blank(self) -> bool:
        return self.applicable and not self.choices and not self.notes and not self.na

    @property
    def na_ids(self) -> tuple[str, ...]:
        return tuple(c for c, _r, _n in self.na)

    def normal(self) -> WaAnswer:
        """Choices sorted; choices and reason only where they count (the service may keep the
        choices of a question marked not applicable); a practice not applicable is not also
        selected."""
        if not self.applicable:
            return WaAnswer((), False, self.reason or "NONE", self.notes)
        na = tuple(sorted({c: (c, r or "NONE", n) for c, r, n in self.na}.values()))
        skip = {c for c, _r, _n in na}
        choices = tuple(sorted(c for c in set(self.choices) if c not in skip))
        return WaAnswer(choices, True, "", self.notes, na)

    def selection_hash(self) -> str:
        n = self.normal()
        item: list[object] = [n.applicable, list(n.choices), n.reason]
        if n.na:  # only when present: fingerprints of answers without one stay the same
            item.append([[c, r] for c, r, _n in n.na])
        blob = json.dumps(item, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def notes_hash(self) -> str:
        n = self.normal()
        text = normal_notes(n.notes)
        if n.na:
            text += "\x00" + "\x00".join(f"{c}={normal_notes(note)}" for c, _r, note in n.na)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]

    def update_params(self, current: WaAnswer | None = None) -> dict[str, Any]:
        """The UpdateAnswer parameters that make the service hold this answer. ``current`` is
        what the service holds now: a practice it has as not applicable that applies again is
        set back to selected or unselected."""
        n = self.normal()
        params: dict[str, Any] = {
            "SelectedChoices": list(n.choices) if n.applicable else [],
            "Notes": n.notes,
            "IsApplicable": n.applicable,
        }
        if not n.applicable:
            params["Reason"] = n.reason
        updates: dict[str, dict[str, str]] = {}
        for cid, reason, note in n.na:
            updates[cid] = {"Status": "NOT_APPLICABLE", "Reason": reason, "Notes": note}
        if current is not None and n.applicable:
            for cid in current.normal().na_ids:
                if cid not in updates:
                    updates[cid] = {"Status": "SELECTED" if cid in n.choices else "UNSELECTED"}
        if updates:
            params["ChoiceUpdates"] = updates
        return params

    def summary(self) -> str:
        """A short line: what is selected, or not applicable and why."""
        if not self.applicable:
            return _("not applicable ({reason})").format(reason=self.reason or "NONE")
        parts = [", ".join(self.choices)] if self.choices else []
        if self.na:
            parts.append(
                _("n/a: {practices}").format(
                    practices=", ".join(f"{c} ({r})" for c, r, _note in self.na)
                )
            )
        return "; ".join(parts) if parts else _("unanswered")


def fingerprint(answer: WaAnswer) -> str:
    """``<selection hash>.<notes hash>``: what the last sync saw on both sides."""
    return f"{answer.selection_hash()}.{answer.notes_hash()}"


def selection_part(fp: str) -> str:
    return fp.split(".", 1)[0]


def from_service(raw: dict[str, Any], *, with_notes: bool) -> WaAnswer:
    """A WaAnswer from an AnswerSummary (no notes) or an Answer (with notes, and the notes of
    each practice that does not apply)."""
    applicable = raw.get("IsApplicable")
    per_choice = raw.get("ChoiceAnswers") or raw.get("ChoiceAnswerSummaries") or ()
    na = tuple(
        (
            str(c.get("ChoiceId")),
            str(c.get("Reason") or "NONE"),
            str(c.get("Notes") or "") if with_notes else "",
        )
        for c in per_choice
        if isinstance(c, dict) and c.get("Status") == "NOT_APPLICABLE" and c.get("ChoiceId")
    )
    return WaAnswer(
        choices=tuple(str(c) for c in raw.get("SelectedChoices") or ()),
        applicable=True if applicable is None else bool(applicable),
        reason=str(raw.get("Reason") or ""),
        notes=str(raw.get("Notes") or "") if with_notes else "",
        na=na,
    ).normal()


# --- review -> WA ----------------------------------------------------------------------------------


def _mitigation_line(m: Mitigation, lang: str = DEFAULT) -> str:
    status = _STATUS.get(str(m.status))
    parts = [m.id, _in(lang, status) if status is not None else str(m.status)]
    head = " ".join(parts)
    if m.due is not None:
        head += _in(lang, _DUE).format(date=m.due.isoformat())
    if m.owner:
        head += _in(lang, _OWNER).format(owner=m.owner)
    return f"- [{head}] {' '.join(m.title.split())}"


def _acceptance_line(a: RiskAcceptance, lang: str = DEFAULT) -> str:
    head = _in(lang, _ACCEPTANCE).format(
        id=a.id, approver=a.approver, role=a.role, date=a.expires.isoformat()
    )
    return f"- [{head}] {' '.join(a.rationale.split())}"


def compose_notes(
    answer: Answer,
    mitigations: Sequence[Mitigation] = (),
    acceptances: Sequence[RiskAcceptance] = (),
    lang: str = DEFAULT,
) -> str:
    """The notes text orr writes to the WA Tool for one answer (cut to 2,084 characters), orr's
    words in ``lang`` (the language of the lens)."""
    parts: list[str] = []
    if not answer.applicable and answer.na_note.strip():
        parts.append(_in(lang, NA_PREFIX) + answer.na_note.strip())
    if answer.notes.strip():
        parts.append(answer.notes.strip())
    if answer.evidence:
        lines = [
            f"- {' '.join(e.description.split())}: {e.url}"
            if e.description.strip()
            else f"- {e.url}"
            for e in answer.evidence
        ]
        parts.append("\n".join([_in(lang, EVIDENCE), *lines]))
    if mitigations:
        parts.append(
            "\n".join([_in(lang, MITIGATIONS), *(_mitigation_line(m, lang) for m in mitigations)])
        )
    if acceptances:
        parts.append(
            "\n".join([_in(lang, ACCEPTANCES), *(_acceptance_line(a, lang) for a in acceptances)])
        )
    return cut_notes(clean_text("\n\n".join(parts), multiline=True), lang=lang)


def to_service(review: Review, qid: str, lang: str = DEFAULT) -> WaAnswer | None:
    """The WA Tool answer a review's answer maps to (None when the question is unanswered),
    orr's words in its notes in ``lang`` (the language of the lens)."""
    answer = review.answers.get(qid)
    if answer is None or not (answer.answered or answer.na_choices):
        return None
    notes = compose_notes(
        answer,
        [m for m in review.mitigations if m.question == qid],
        [a for a in review.acceptances if a.question == qid],
        lang,
    )
    if not answer.applicable:
        reason = answer.na_reason.value if answer.na_reason is not None else "NONE"
        return WaAnswer((), False, reason, notes)
    na = tuple(
        (cid, practice.reason.value, cut_choice_note(practice.note))
        for cid, practice in answer.na_choices.items()
    )
    return WaAnswer(tuple(answer.choices), True, "", notes, na).normal()


# --- WA -> review ----------------------------------------------------------------------------------


_EVIDENCE_LINE = re.compile(r"^- (?:(?P<desc>.*?): )?(?P<url>https?://\S+)$")


@dataclass
class ParsedNotes:
    """What a WA Tool notes text says, split back into the review's fields."""

    notes: str
    na_note: str = ""
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (url, description)
    cut: bool = False  # the text ends with orr's cut marker: it is not the whole


def parse_notes(text: str) -> ParsedNotes:
    """Split notes written by `compose_notes` (or edited in the console) back into parts.

    The sections orr appends (evidence, mitigations, acceptances) are recognised at the end of
    the text; evidence lines give links, mitigations and acceptances stay owned by the review.
    """
    cut = False
    for marker in _every(CUT_MARKER):
        if text.rstrip().endswith(marker):
            text = text.rstrip()[: -len(marker)].rstrip()
            cut = True
            break
    blocks = text.split("\n\n") if text else []
    evidence: list[tuple[str, str]] = []
    sections = {heading for section in _SECTIONS for heading in _every(section)}
    evidence_headings = _every(EVIDENCE)
    # Trailing blocks that are orr's sections.
    end = len(blocks)
    while end > 0:
        first = blocks[end - 1].split("\n", 1)[0].strip()
        if first not in sections:
            break
        if first in evidence_headings:
            for line in blocks[end - 1].split("\n")[1:]:
                m = _EVIDENCE_LINE.match(line.strip())
                if m:
                    evidence.insert(0, (m.group("url"), (m.group("desc") or "").strip()))
        end -= 1
    body = blocks[:end]
    na_note = ""
    for prefix in _every(NA_PREFIX):
        if body and body[0].startswith(prefix):
            na_note = body[0][len(prefix) :].strip()
            body = body[1:]
            break
    return ParsedNotes(notes="\n\n".join(body).strip(), na_note=na_note, evidence=evidence, cut=cut)


def review_reason(reason: str) -> NaReason:
    """The review's reason for a WA Tool reason (NONE, or anything new, becomes OTHER)."""
    try:
        return NaReason(reason)
    except ValueError:
        return NaReason.OTHER


def known_reason(reason: str) -> bool:
    return reason in _WA_REASONS
