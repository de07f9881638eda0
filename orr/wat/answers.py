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
with a visible marker, ``… [cut by orr: full notes in the review file]``.

A fingerprint (`fingerprint`) of such a state, kept per question in the review, tells what
changed since the last sync on either side.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from orr.review.model import Answer, Mitigation, NaReason, Review, RiskAcceptance

NOTES_MAX = 2084
CUT_MARKER = "… [cut by orr: full notes in the review file]"
NA_PREFIX = "Not applicable: "
EVIDENCE = "Evidence:"
MITIGATIONS = "Mitigations:"
ACCEPTANCES = "Risk acceptances:"
_SECTIONS = (EVIDENCE, MITIGATIONS, ACCEPTANCES)
_STATUS = {"open": "open", "in_progress": "in progress", "done": "done"}
_WA_REASONS = {r.value for r in NaReason} | {"NONE"}


def utf16_len(text: str) -> int:
    """Characters as the service counts them (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_notes(text: str, limit: int = NOTES_MAX) -> str:
    """``text`` if it fits in ``limit`` characters, else its start and the cut marker."""
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(CUT_MARKER) - 1
    head = text
    # Drop whole characters (never half a surrogate pair) until the head fits.
    while utf16_len(head) > room:
        over = utf16_len(head) - room
        head = head[: len(head) - max(1, over // 2)]
    return head.rstrip() + "\n" + CUT_MARKER


@dataclass(frozen=True)
class WaAnswer:
    """An answer in the WA Tool's terms."""

    choices: tuple[str, ...] = ()
    applicable: bool = True
    reason: str = ""  # an NaReason value (or NONE) when not applicable
    notes: str = ""

    @property
    def answered(self) -> bool:
        return not self.applicable or bool(self.choices)

    @property
    def blank(self) -> bool:
        return self.applicable and not self.choices and not self.notes

    def normal(self) -> WaAnswer:
        """Choices sorted; choices and reason only where they count (the service may keep the
        choices of a question marked not applicable)."""
        if not self.applicable:
            return WaAnswer((), False, self.reason or "NONE", self.notes)
        return WaAnswer(tuple(sorted(self.choices)), True, "", self.notes)

    def selection_hash(self) -> str:
        n = self.normal()
        blob = json.dumps([n.applicable, list(n.choices), n.reason], separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def notes_hash(self) -> str:
        return hashlib.sha256(self.notes.encode("utf-8", "surrogatepass")).hexdigest()[:12]

    def update_params(self) -> dict[str, Any]:
        """The UpdateAnswer parameters that make the service hold this answer."""
        n = self.normal()
        params: dict[str, Any] = {
            "SelectedChoices": list(self.choices) if self.applicable else [],
            "Notes": n.notes,
            "IsApplicable": n.applicable,
        }
        if not n.applicable:
            params["Reason"] = n.reason
        return params

    def summary(self) -> str:
        """A short line: what is selected, or not applicable and why."""
        if not self.applicable:
            return f"not applicable ({self.reason or 'NONE'})"
        return ", ".join(self.choices) if self.choices else "unanswered"


def fingerprint(answer: WaAnswer) -> str:
    """``<selection hash>.<notes hash>``: what the last sync saw on both sides."""
    return f"{answer.selection_hash()}.{answer.notes_hash()}"


def selection_part(fp: str) -> str:
    return fp.split(".", 1)[0]


def from_service(raw: dict[str, Any], *, with_notes: bool) -> WaAnswer:
    """A WaAnswer from an AnswerSummary (no notes) or an Answer (with notes)."""
    applicable = raw.get("IsApplicable")
    return WaAnswer(
        choices=tuple(str(c) for c in raw.get("SelectedChoices") or ()),
        applicable=True if applicable is None else bool(applicable),
        reason=str(raw.get("Reason") or ""),
        notes=str(raw.get("Notes") or "") if with_notes else "",
    ).normal()


# --- review -> WA ----------------------------------------------------------------------------------


def _mitigation_line(m: Mitigation) -> str:
    parts = [m.id, _STATUS.get(str(m.status), str(m.status))]
    head = " ".join(parts)
    if m.due is not None:
        head += f", due {m.due.isoformat()}"
    if m.owner:
        head += f", owner {m.owner}"
    return f"- [{head}] {' '.join(m.title.split())}"


def _acceptance_line(a: RiskAcceptance) -> str:
    return (
        f"- [{a.id} by {a.approver} ({a.role}), expires {a.expires.isoformat()}] "
        f"{' '.join(a.rationale.split())}"
    )


def compose_notes(
    answer: Answer,
    mitigations: Sequence[Mitigation] = (),
    acceptances: Sequence[RiskAcceptance] = (),
) -> str:
    """The notes text orr writes to the WA Tool for one answer (cut to 2,084 characters)."""
    parts: list[str] = []
    if not answer.applicable and answer.na_note.strip():
        parts.append(NA_PREFIX + answer.na_note.strip())
    if answer.notes.strip():
        parts.append(answer.notes.strip())
    if answer.evidence:
        lines = [
            f"- {' '.join(e.description.split())}: {e.url}"
            if e.description.strip()
            else f"- {e.url}"
            for e in answer.evidence
        ]
        parts.append("\n".join([EVIDENCE, *lines]))
    if mitigations:
        parts.append("\n".join([MITIGATIONS, *(_mitigation_line(m) for m in mitigations)]))
    if acceptances:
        parts.append("\n".join([ACCEPTANCES, *(_acceptance_line(a) for a in acceptances)]))
    return cut_notes("\n\n".join(parts))


def to_service(review: Review, qid: str) -> WaAnswer | None:
    """The WA Tool answer a review's answer maps to (None when the question is unanswered)."""
    answer = review.answers.get(qid)
    if answer is None or not answer.answered:
        return None
    notes = compose_notes(
        answer,
        [m for m in review.mitigations if m.question == qid],
        [a for a in review.acceptances if a.question == qid],
    )
    if not answer.applicable:
        reason = answer.na_reason.value if answer.na_reason is not None else "NONE"
        return WaAnswer((), False, reason, notes)
    return WaAnswer(tuple(answer.choices), True, "", notes).normal()


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
    cut = text.rstrip().endswith(CUT_MARKER)
    if cut:
        text = text.rstrip()[: -len(CUT_MARKER)].rstrip()
    blocks = text.split("\n\n") if text else []
    evidence: list[tuple[str, str]] = []
    # Trailing blocks that are orr's sections.
    end = len(blocks)
    while end > 0:
        first = blocks[end - 1].split("\n", 1)[0].strip()
        if first not in _SECTIONS:
            break
        if first == EVIDENCE:
            for line in blocks[end - 1].split("\n")[1:]:
                m = _EVIDENCE_LINE.match(line.strip())
                if m:
                    evidence.insert(0, (m.group("url"), (m.group("desc") or "").strip()))
        end -= 1
    body = blocks[:end]
    na_note = ""
    if body and body[0].startswith(NA_PREFIX):
        na_note = body[0][len(NA_PREFIX) :].strip()
        body = body[1:]
    return ParsedNotes(notes="\n\n".join(body).strip(), na_note=na_note, evidence=evidence, cut=cut)


def review_reason(reason: str) -> NaReason:
    """The review's reason for a WA Tool reason (NONE, or anything new, becomes OTHER)."""
    try:
        return NaReason(reason)
    except ValueError:
        return NaReason.OTHER


def known_reason(reason: str) -> bool:
    return reason in _WA_REASONS
