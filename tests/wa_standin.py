"""A local stand-in of the AWS Well-Architected Tool, for tests that drive real boto3 clients.

An HTTP server on 127.0.0.1 (a random port) that speaks the service's REST-JSON protocol for the
calls orr makes. Routes, the members bound to the path, the query string and the body all come
from botocore's own service model, so a request boto3 serialises is parsed the way the service
would. Nothing here is a mock of boto3: botocore signs, serialises, retries and parses.

**It shares no code with what it checks.** The stand-in imports nothing of orr to do its job:
it scores risk with its own small evaluator of the lens ``riskRules`` conditions (`RuleParser`:
``&&``, ``||``, ``!``, parentheses, ``default``), validates imported lenses with its own checks
(`lens_problems`), and checks every request against the limits of botocore's service model with
its own walker (`model_problems`: enums, maxima, patterns, ranges, list sizes), answering a
``ValidationException`` that names the fields, as the service does. (The builders at the end of
the file, which write a checklist and a review for tests, use orr lazily; the service never
does.)

**It models the service's documented behaviour, not orr's assumptions:**

- Accounts: the caller is the account of the access key (`StandIn.use_account`). A lens shared
  with an account is usable there once that account accepts the invitation
  (ListShareInvitations, UpdateShareInvitation); a lens shared with an organization or OU is
  usable by its accounts at once, without an invitation (when organization sharing is on).
- A draft cannot be applied to workloads or shared. ``import_polls`` keeps an import
  IN_PROGRESS for that many polls: a new lens is not listed (nor found) until it is done, and
  CreateLensVersion / CreateLensShare answer that the lens is busy (``busy_error``: a conflict or
  a validation error). ``get_lens_draft_404`` makes GetLens answer 404 for a lens that has no
  published version.
- A minor version applies to the workloads on the version before by itself; a major version
  leaves them on theirs (``LensStatus`` NOT_CURRENT) until UpgradeLensReview, which saves a
  milestone first.
- Workload names are unique ignoring spaces and capitals; quotas (15 custom lenses, 100
  versions, 300 shares, 20 lenses per workload, 100 milestones), and ``ClientRequestToken``
  idempotency are enforced.
- ``normalise_notes`` stores notes as a service that normalises white space would (CRLF line
  endings, runs of spaces made one, trailing space gone); ``answers_need_pillar`` makes
  ListAnswers without a PillarId return only the first pillar's questions; ListAnswers pages are
  ``answers_page`` questions long.
- A practice (choice) can be NOT_APPLICABLE with a reason and notes (ChoiceUpdates); it counts as
  selected in the risk rules.

`Faults` injects the errors a real account gives (throttling, quota, conflict, validation, access
denied, internal error). Errors are returned the way the service returns them: the status code,
the ``x-amzn-ErrorType`` header, and a JSON body with ``Message`` (plus ``Fields`` for a
validation error, ``QuotaCode`` for a quota).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
import pytest

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "us-east-1"
LENS_QUOTA = 15
VERSION_QUOTA = 100
SHARE_QUOTA = 300
WORKLOAD_SHARE_QUOTA = 20
WORKLOAD_LENS_QUOTA = 20
ASSOCIATE_BATCH = 10
MILESTONE_QUOTA = 100
NOTES_MAX = 2084
WA_LENS = "wellarchitected"
LENS_TEXT_MAX = 500_000

OPERATIONS = (
    "ImportLens",
    "GetLens",
    "ListLenses",
    "ExportLens",
    "CreateLensVersion",
    "CreateLensShare",
    "ListLensShares",
    "DeleteLens",
    "DeleteLensShare",
    "ListShareInvitations",
    "UpdateShareInvitation",
    "CreateWorkload",
    "GetWorkload",
    "UpdateWorkload",
    "DeleteWorkload",
    "ListWorkloads",
    "AssociateLenses",
    "CreateWorkloadShare",
    "ListWorkloadShares",
    "ListAnswers",
    "GetAnswer",
    "UpdateAnswer",
    "CreateMilestone",
    "ListMilestones",
    "GetLensReviewReport",
    "GetLensReview",
    "UpgradeLensReview",
    "TagResource",
    "ListTagsForResource",
)

STATUS = {
    "ValidationException": 400,
    "ServiceQuotaExceededException": 402,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}


class ServiceError(Exception):
    """An error response: code, message and the extra members of the error shape."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def _validation(message: str, *fields: tuple[str, str]) -> ServiceError:
    return ServiceError(
        "ValidationException",
        message,
        Reason="FIELD_VALIDATION_FAILED" if fields else "OTHER",
        Fields=[{"Name": n, "Message": m} for n, m in fields],
    )


def _not_found(kind: str, rid: str) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException", f"{kind} {rid} not found", ResourceId=rid, ResourceType=kind
    )


def _conflict(kind: str, rid: str, message: str) -> ServiceError:
    return ServiceError("ConflictException", message, ResourceId=rid, ResourceType=kind)


def _quota(kind: str, message: str) -> ServiceError:
    return ServiceError(
        "ServiceQuotaExceededException",
        message,
        ResourceType=kind,
        QuotaCode="L-ORR-" + kind,
        ServiceCode="wellarchitected",
    )


# --- the risk rules: the stand-in's own evaluator --------------------------------------------------


class RuleError(ValueError):
    """A riskRules condition the evaluator cannot read."""


_TOKEN = re.compile(r"\s*(&&|\|\||!|\(|\)|[A-Za-z0-9_]+)")


class RuleParser:
    """A recursive-descent reader of one condition into a predicate over the chosen practices.

    condition := or ; or := and ('||' and)* ; and := not ('&&' not)* ;
    not := '!' not | '(' or ')' | 'default' | choice id
    """

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise RuleError(f"unexpected {text[pos : pos + 10]!r} in {text!r}")
            self.tokens.append(m.group(1))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.at = 0

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            raise RuleError("the condition ends too early")
        self.at += 1
        return token

    def parse(self) -> Callable[[frozenset[str]], bool]:
        if not self.tokens:
            raise RuleError("an empty condition")
        predicate = self._or()
        if self._peek() is not None:
            raise RuleError(f"unexpected {self._peek()!r}")
        return predicate

    def _or(self) -> Callable[[frozenset[str]], bool]:
        parts = [self._and()]
        while self._peek() == "||":
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else lambda chosen: any(p(chosen) for p in parts)

    def _and(self) -> Callable[[frozenset[str]], bool]:
        parts = [self._not()]
        while self._peek() == "&&":
            self._take()
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else lambda chosen: all(p(chosen) for p in parts)

    def _not(self) -> Callable[[frozenset[str]], bool]:
        token = self._take()
        if token == "!":
            inner = self._not()
            return lambda chosen: not inner(chosen)
        if token == "(":
            inner = self._or()
            if self._take() != ")":
                raise RuleError("a '(' without its ')'")
            return inner
        if token in ("&&", "||", ")"):
            raise RuleError(f"unexpected {token!r}")
        if token == "default":
            return lambda chosen: True
        return lambda chosen: token in chosen


def evaluate_risk(rules: list[dict[str, Any]], chosen: set[str] | frozenset[str]) -> str:
    """The risk of a selection: the first rule whose condition holds (HIGH_RISK when none)."""
    picked = frozenset(chosen)
    for rule in rules:
        if RuleParser(str(rule.get("condition", ""))).parse()(picked):
            return str(rule.get("risk"))
    return "HIGH_RISK"


# --- lenses: the stand-in's own checks --------------------------------------------------------------

_LENS_ID = re.compile(r"^[A-Za-z0-9_]+$")
_RISKS = ("HIGH_RISK", "MEDIUM_RISK", "NO_RISK")


def _text_problem(value: Any, path: str, limit: int, required: bool = True) -> list[str]:
    if value is None:
        return [f"{path}: missing"] if required else []
    if not isinstance(value, str):
        return [f"{path}: not a string"]
    if required and not value.strip():
        return [f"{path}: empty"]
    if len(value) > limit:
        return [f"{path}: {len(value)} characters, at most {limit}"]
    return []


def _resource_problems(value: Any, path: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{path}: not an object"]
    out = _text_problem(value.get("displayText"), f"{path}.displayText", 2048)
    url = value.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        out.append(f"{path}.url: not an http(s) url")
    return out


def _id_problem(value: Any, path: str, high: int) -> list[str]:
    if not isinstance(value, str) or not _LENS_ID.match(value) or not 3 <= len(value) <= high:
        return [f"{path}: not an id of 3..{high} letters, digits and _"]
    return []


def lens_problems(text: str) -> list[str]:
    """What the service would refuse in a lens JSON text (one line each, with its JSON path)."""
    if len(text.encode("utf-8", "surrogatepass")) > LENS_TEXT_MAX:
        return [f"the lens is over {LENS_TEXT_MAX} bytes"]
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return [f"not valid JSON: {exc}"]
    if not isinstance(doc, dict):
        return ["the lens is not a JSON object"]
    out: list[str] = []
    if doc.get("schemaVersion") != "2021-11-01":
        out.append("schemaVersion: must be 2021-11-01")
    out += _text_problem(doc.get("name"), "name", 128)
    out += _text_problem(doc.get("description"), "description", 2048)
    pillars = doc.get("pillars")
    if not isinstance(pillars, list) or not 1 <= len(pillars) <= 10:
        return [*out, "pillars: 1 to 10 pillars"]
    pillar_ids: set[str] = set()
    question_ids: set[str] = set()
    for i, pillar in enumerate(pillars):
        where = f"pillars[{i}]"
        if not isinstance(pillar, dict):
            out.append(f"{where}: not an object")
            continue
        out += _id_problem(pillar.get("id"), f"{where}.id", 64)
        if pillar.get("id") in pillar_ids:
            out.append(f"{where}.id: used twice")
        pillar_ids.add(str(pillar.get("id")))
        out += _text_problem(pillar.get("name"), f"{where}.name", 128)
        questions = pillar.get("questions")
        if not isinstance(questions, list) or not 1 <= len(questions) <= 20:
            out.append(f"{where}.questions: 1 to 20 questions")
            continue
        for j, question in enumerate(questions):
            out += _question_problems(question, f"{where}.questions[{j}]", question_ids)
    return out


def _question_problems(question: Any, where: str, seen: set[str]) -> list[str]:
    if not isinstance(question, dict):
        return [f"{where}: not an object"]
    out = _id_problem(question.get("id"), f"{where}.id", 128)
    if question.get("id") in seen:
        out.append(f"{where}.id: used twice in the lens")
    seen.add(str(question.get("id")))
    out += _text_problem(question.get("title"), f"{where}.title", 128)
    out += _text_problem(question.get("description"), f"{where}.description", 2048, False)
    out += _resource_problems(question.get("helpfulResource"), f"{where}.helpfulResource")
    choices = question.get("choices")
    if not isinstance(choices, list) or not 1 <= len(choices) <= 15:
        return [*out, f"{where}.choices: 1 to 15 choices"]
    choice_ids: set[str] = set()
    for k, choice in enumerate(choices):
        at = f"{where}.choices[{k}]"
        if not isinstance(choice, dict):
            out.append(f"{at}: not an object")
            continue
        cid = choice.get("id")
        out += _id_problem(cid, f"{at}.id", 64)
        if cid in choice_ids:
            out.append(f"{at}.id: used twice in the question")
        choice_ids.add(str(cid))
        out += _text_problem(choice.get("title"), f"{at}.title", 128)
        out += _resource_problems(choice.get("helpfulResource"), f"{at}.helpfulResource")
        plan = choice.get("improvementPlan")
        if plan is None and not str(cid).endswith("_no"):
            out.append(f"{at}.improvementPlan: missing")
        out += _resource_problems(plan, f"{at}.improvementPlan")
    rules = question.get("riskRules")
    if not isinstance(rules, list) or not 1 <= len(rules) <= 3:
        return [*out, f"{where}.riskRules: 1 to 3 rules"]
    risks = [r.get("risk") for r in rules if isinstance(r, dict)]
    if len(set(risks)) != len(risks) or any(r not in _RISKS for r in risks):
        out.append(f"{where}.riskRules: one rule per risk of {', '.join(_RISKS)}")
    if not isinstance(rules[-1], dict) or rules[-1].get("condition") != "default":
        out.append(f"{where}.riskRules: the last rule is the default")
    for n, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        try:
            RuleParser(str(rule.get("condition", ""))).parse()
        except RuleError as exc:
            out.append(f"{where}.riskRules[{n}].condition: {exc}")
            continue
        named = set(re.findall(r"[A-Za-z0-9_]+", str(rule.get("condition", "")))) - {"default"}
        for unknown in sorted(named - choice_ids):
            out.append(f"{where}.riskRules[{n}].condition: {unknown} is not a choice")
    return out


# --- requests: the stand-in's own check of botocore's model ------------------------------------------


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _model_pattern(text: str) -> re.Pattern[str] | None:
    for java, py in (("\\p{L}", "\\w"), ("\\p{N}", "\\d"), ("\\p{Z}", "\\s")):
        text = text.replace(java, py)
    try:
        return re.compile(text)
    except re.error:
        return None


def model_problems(shape: Any, value: Any, name: str) -> list[tuple[str, str]]:
    """(field, problem) for each value that breaks the model's limits (as the service refuses)."""
    meta = shape.metadata
    kind = shape.type_name
    out: list[tuple[str, str]] = []
    if kind == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key in shape.members:
                out += model_problems(shape.members[key], item, f"{name}.{key}" if name else key)
    elif kind == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append((name, f"at most {meta['max']} items"))
        for item in value:
            out += model_problems(shape.member, item, name)
    elif kind == "map" and isinstance(value, dict):
        if "max" in meta and len(value) > meta["max"]:
            out.append((name, f"at most {meta['max']} entries"))
        for key, item in value.items():
            out += model_problems(shape.key, key, name)
            out += model_problems(shape.value, item, f"{name}.{key}")
    elif kind == "string" and isinstance(value, str):
        if "enum" in meta and value not in meta["enum"]:
            out.append((name, f"Member must satisfy enum value set: {meta['enum']}"))
        if "max" in meta and _units(value) > meta["max"]:
            out.append((name, f"Member must have length less than or equal to {meta['max']}"))
        if "min" in meta and _units(value) < meta["min"]:
            out.append((name, f"Member must have length greater than or equal to {meta['min']}"))
        pattern = _model_pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None and not pattern.fullmatch(value):
            out.append((name, f"Member must satisfy regular expression pattern: {meta['pattern']}"))
    elif kind == "integer" and isinstance(value, int):
        if ("min" in meta and value < meta["min"]) or ("max" in meta and value > meta["max"]):
            out.append((name, f"Member must be between {meta.get('min')} and {meta.get('max')}"))
    return out


# --- faults ----------------------------------------------------------------------------------------


@dataclass
class Fault:
    code: str
    message: str
    operation: str | None
    skip: int  # matching calls let through before the fault fires
    times: int  # how many matching calls fail
    extra: dict[str, Any] = field(default_factory=dict)


class Faults:
    """Errors to inject into the next matching calls (checked before a call is handled)."""

    KINDS: ClassVar[dict[str, tuple[str, str]]] = {
        "quota": ("ServiceQuotaExceededException", "Service quota exceeded"),
        "conflict": ("ConflictException", "The resource was changed by another request"),
        "validation": ("ValidationException", "Invalid input"),
        "access": ("AccessDeniedException", "User is not authorized to perform this action"),
        "internal": ("InternalServerException", "Internal failure"),
        "notfound": ("ResourceNotFoundException", "Resource not found"),
        "throttle": ("ThrottlingException", "Rate exceeded"),
    }

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pending: list[Fault] = []
        self.fired: list[tuple[str, str]] = []  # (operation, code)

    def inject(
        self,
        kind: str,
        operation: str | None = None,
        *,
        after: int = 0,
        times: int = 1,
        message: str | None = None,
        **extra: Any,
    ) -> None:
        code, default = self.KINDS[kind]
        if kind == "quota":
            extra = {"QuotaCode": "L-ORR-TEST", "ServiceCode": "wellarchitected", **extra}
        if kind in ("conflict", "notfound"):
            extra = {"ResourceId": "test", "ResourceType": "TEST", **extra}
        with self._lock:
            self.pending.append(Fault(code, message or default, operation, after, times, extra))

    def throttle(self, n: int, operation: str | None = None) -> None:
        """Throttle the next ``n`` calls (of ``operation``, or any)."""
        self.inject("throttle", operation, times=n)

    def check(self, operation: str) -> ServiceError | None:
        with self._lock:
            for fault in self.pending:
                if fault.operation not in (None, operation):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    self.pending.remove(fault)
                self.fired.append((operation, fault.code))
                return ServiceError(fault.code, fault.message, **fault.extra)
        return None


# --- state -----------------------------------------------------------------------------------------


@dataclass
class LensRecord:
    arn: str
    name: str
    description: str
    draft: str  # the JSON text of the current draft
    owner: str = ACCOUNT
    versions: dict[str, str] = field(default_factory=dict)  # version -> JSON text
    latest: str | None = None
    importing: int = 0  # polls left before an IN_PROGRESS import completes
    new: bool = False  # imported for the first time and not done yet: not listed nor found
    shares: dict[str, dict[str, str]] = field(default_factory=dict)  # share id -> summary
    tags: dict[str, str] = field(default_factory=dict)
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


@dataclass
class AnswerRecord:
    selected: list[str] = field(default_factory=list)
    applicable: bool = True
    reason: str | None = None
    notes: str = ""
    na: dict[str, tuple[str, str]] = field(default_factory=dict)  # choice -> (reason, notes)

    def copy(self) -> AnswerRecord:
        return AnswerRecord(
            list(self.selected), self.applicable, self.reason, self.notes, dict(self.na)
        )


@dataclass
class WorkloadRecord:
    id: str
    arn: str
    name: str
    description: str
    environment: str
    review_owner: str
    aws_regions: list[str]
    non_aws_regions: list[str]
    lenses: list[str]
    owner: str = ACCOUNT
    lens_versions: dict[str, str] = field(default_factory=dict)  # lens arn -> version in use
    answers: dict[str, dict[str, AnswerRecord]] = field(default_factory=dict)  # arn -> qid
    milestones: list[dict[str, Any]] = field(default_factory=list)
    shares: dict[str, dict[str, str]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    updated: float = field(default_factory=time.time)


@dataclass
class InvitationRecord:
    id: str
    lens_arn: str
    share_id: str
    shared_with: str  # the account invited
    shared_by: str


@dataclass
class WaState:
    """Everything the stand-in holds; tests read and change it directly."""

    account: str = ACCOUNT  # the account of a key not registered in `keys`
    region: str = REGION
    keys: dict[str, str] = field(default_factory=dict)  # access key id -> account
    lenses: dict[str, LensRecord] = field(default_factory=dict)  # every account's
    workloads: dict[str, WorkloadRecord] = field(default_factory=dict)
    invitations: dict[str, InvitationRecord] = field(default_factory=dict)
    organizations: dict[str, set[str]] = field(default_factory=dict)  # o-... / ou-... -> accounts
    org_sharing: bool = True  # AWS Organizations sharing enabled in the WA Tool settings
    calls: Counter[str] = field(default_factory=Counter)  # every request, per operation
    log: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # op, params, status
    tokens: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    answers_page: int = 3  # ListAnswers pages are this small, so that clients must paginate
    list_page: int = 2  # ListLenses / ListWorkloads / ListLensShares page size
    import_polls: int = 0  # an import stays IN_PROGRESS for this many polls of the lens
    import_error: bool = False  # the next import ends with Status ERROR
    busy_error: str = "ConflictException"  # what a call on a lens being imported gets
    get_lens_draft_404: bool = False  # GetLens finds no lens that has no published version
    normalise_notes: bool = False  # notes stored with CRLF and white space folded
    answers_need_pillar: bool = False  # ListAnswers without PillarId misses other pillars
    lock: threading.RLock = field(default_factory=threading.RLock)

    def params_of(self, operation: str) -> list[dict[str, Any]]:
        """The parameters of every handled call of ``operation``, in order."""
        return [p for op, p, status in self.log if op == operation and status < 300]

    def own(self, account: str | None = None) -> dict[str, LensRecord]:
        who = account or self.account
        return {arn: lens for arn, lens in self.lenses.items() if lens.owner == who}

    def doc(self, lens: LensRecord, version: str | None) -> dict[str, Any]:
        text = lens.versions[version] if version else lens.draft
        doc: dict[str, Any] = json.loads(text)
        return doc


def _new_id() -> str:
    return uuid.uuid4().hex


def _questions(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for pillar in doc.get("pillars", []):
        for question in pillar.get("questions", []):
            yield pillar, question


def _risk(question: dict[str, Any], answer: AnswerRecord) -> str:
    if not answer.applicable:
        return "NOT_APPLICABLE"
    if not answer.selected and not answer.na:
        return "UNANSWERED"
    # A practice that does not apply counts as in place.
    chosen = set(answer.selected) | set(answer.na)
    found = evaluate_risk(list(question.get("riskRules", [])), chosen)
    return {"HIGH_RISK": "HIGH", "MEDIUM_RISK": "MEDIUM", "NO_RISK": "NONE"}[found]


def _normalised(notes: str) -> str:
    lines = [" ".join(line.split()) for line in notes.replace("\r\n", "\n").split("\n")]
    return "\r\n".join(lines).strip()


def tiny_pdf(title: str) -> bytes:
    """A small, well-formed one-page PDF (correct xref offsets) with one line of text."""
    safe = re.sub(r"[()\\]", "", title)[:80]
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


# --- the service -----------------------------------------------------------------------------------


class WaService:
    """The operations, over `WaState`, for the calling account ``self.caller``. Each handler
    takes the input members and returns the output members (or raises ServiceError)."""

    def __init__(self, state: WaState) -> None:
        self.state = state
        self.caller = state.account

    # who sees what

    def _visible(self, lens: LensRecord) -> bool:
        if lens.owner == self.caller:
            return True
        for share in lens.shares.values():
            target = share["SharedWith"]
            if target == self.caller and share["Status"] == "ACCEPTED":
                return True
            if share["Status"] == "ASSOCIATED" and self.caller in self.state.organizations.get(
                target, set()
            ):
                return True
        return False

    def _own_lens(self, alias: str) -> LensRecord:
        lens = self.state.lenses.get(alias)
        if lens is None or lens.owner != self.caller or lens.new:
            if not alias.startswith("arn:"):
                raise _validation(
                    "LensAlias of a custom lens must be its ARN",
                    ("LensAlias", "must be a lens ARN"),
                )
            raise _not_found("LENS", alias)
        return lens

    def _seen_lens(self, alias: str) -> LensRecord:
        lens = self.state.lenses.get(alias)
        if lens is None or lens.new or not self._visible(lens):
            raise _not_found("LENS", alias)
        return lens

    def _busy(self, lens: LensRecord) -> None:
        """One poll of an IN_PROGRESS import: the lens is busy until the import is done."""
        if lens.importing > 0:
            lens.importing -= 1
            message = f"Lens {lens.arn} import is in progress"
            if self.state.busy_error == "ValidationException":
                raise _validation(message)
            raise _conflict("LENS", lens.arn, message)

    def _poll_import(self, lens: LensRecord) -> None:
        if lens.importing > 0:
            lens.importing -= 1
        if lens.importing == 0:
            lens.new = False

    def _summary(self, lens: LensRecord) -> dict[str, Any]:
        own = lens.owner == self.caller
        out: dict[str, Any] = {
            "LensArn": lens.arn,
            "LensAlias": lens.arn,
            "LensName": lens.name,
            "LensType": "CUSTOM_SELF" if own else "CUSTOM_SHARED",
            "CreatedAt": lens.created,
            "UpdatedAt": lens.updated,
            "Owner": lens.owner,
            "LensStatus": "CURRENT",
        }
        if lens.description:
            out["Description"] = lens.description[:1024]
        if lens.latest:
            out["LensVersion"] = lens.latest
        return out

    def _check_lens_text(self, text: str) -> dict[str, Any]:
        problems = lens_problems(text)
        if problems:
            raise _validation(
                f"The lens is not valid: {len(problems)} problem(s)",
                *(("JSONString", p) for p in problems[:5]),
            )
        doc: dict[str, Any] = json.loads(text)
        return doc

    def _name_taken(self, name: str, except_arn: str | None) -> bool:
        normal = " ".join(name.lower().split())
        return any(
            " ".join(lens.name.lower().split()) == normal and arn != except_arn
            for arn, lens in self.state.own(self.caller).items()
        )

    # lenses

    def ImportLens(self, p: dict[str, Any]) -> dict[str, Any]:
        doc = self._check_lens_text(p["JSONString"])
        alias = p.get("LensAlias")
        name = doc["name"]
        status = "IN_PROGRESS" if self.state.import_polls else "COMPLETE"
        if self.state.import_error:
            self.state.import_error = False
            status = "ERROR"
        if alias:
            lens = self._own_lens(alias)
            if self._name_taken(name, lens.arn):
                raise _validation(f"A lens with normalized name {name!r} already exists")
            if status != "ERROR":
                lens.draft = p["JSONString"]
                lens.name = name
                lens.description = doc.get("description", "")
                lens.updated = time.time()
                lens.importing = self.state.import_polls
            return {"LensArn": lens.arn, "Status": status}
        if self._name_taken(name, None):
            raise _validation(f"A lens with normalized name {name!r} already exists")
        if len(self.state.own(self.caller)) >= LENS_QUOTA:
            raise _quota("LENS", f"You have reached the quota of {LENS_QUOTA} custom lenses")
        arn = f"arn:aws:wellarchitected:{self.state.region}:{self.caller}:lens/{_new_id()}"
        if status != "ERROR":
            self.state.lenses[arn] = LensRecord(
                arn=arn,
                name=name,
                description=doc.get("description", ""),
                draft=p["JSONString"],
                owner=self.caller,
                importing=self.state.import_polls,
                new=self.state.import_polls > 0,
                tags=dict(p.get("Tags") or {}),
            )
        return {"LensArn": arn, "Status": status}

    def GetLens(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._seen_lens(p["LensAlias"])
        if self.state.get_lens_draft_404 and not lens.versions:
            raise _not_found("LENS", lens.arn)
        version = p.get("LensVersion")
        if version is not None and version not in lens.versions:
            raise _not_found("LENS_VERSION", f"{lens.arn} {version}")
        out: dict[str, Any] = {"LensArn": lens.arn, "Name": lens.name, "Owner": lens.owner}
        if lens.description:
            out["Description"] = lens.description[:1024]
        if version or lens.latest:
            out["LensVersion"] = version or lens.latest
        return {"Lens": out}

    def ListLenses(self, p: dict[str, Any]) -> dict[str, Any]:
        kind = p.get("LensType")
        status = p.get("LensStatus", "ALL")
        name = p.get("LensName")
        rows: list[dict[str, Any]] = []
        for lens in list(self.state.lenses.values()):
            if not self._visible(lens):
                continue
            own = lens.owner == self.caller
            if lens.new:
                self._poll_import(lens)  # polled: an import in progress gets nearer its end
                if lens.new:
                    continue
            if (kind == "CUSTOM_SELF" and not own) or (kind == "CUSTOM_SHARED" and own):
                continue
            if kind == "AWS_OFFICIAL":
                continue
            if name is not None and lens.name != name:
                continue
            if status == "PUBLISHED" and not lens.versions:
                continue
            if status == "DRAFT" and lens.versions:
                continue
            rows.append(self._summary(lens))
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"LensSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def ExportLens(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self.state.lenses.get(p["LensAlias"])
        if lens is None or lens.new or not self._visible(lens):
            raise _not_found("LENS", p["LensAlias"])
        if lens.owner != self.caller:
            raise ServiceError("AccessDeniedException", "Only the owner of a lens can export it")
        version = p.get("LensVersion")
        if version is not None and version not in lens.versions:
            raise _not_found("LENS_VERSION", f"{lens.arn} {version}")
        return {"LensJSON": lens.versions[version] if version else lens.draft}

    def CreateLensVersion(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self.state.lenses.get(p["LensAlias"])
        if lens is None or lens.owner != self.caller:
            raise _not_found("LENS", p["LensAlias"])
        self._busy(lens)
        lens.new = False
        version = p["LensVersion"]
        if version in lens.versions:
            raise _conflict("LENS_VERSION", version, f"Lens version {version} already exists")
        if len(lens.versions) >= VERSION_QUOTA:
            raise _quota("LENS_VERSION", f"A lens has at most {VERSION_QUOTA} versions")
        before = lens.latest
        lens.versions[version] = lens.draft
        lens.latest = version
        lens.updated = time.time()
        if not p.get("IsMajorVersion") and before is not None:
            # A minor version applies by itself to the workloads on the version before.
            for w in self.state.workloads.values():
                if w.lens_versions.get(lens.arn) == before:
                    self._move(w, lens, version)
        return {"LensArn": lens.arn, "LensVersion": version}

    def CreateLensShare(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._own_lens(p["LensAlias"])
        self._busy(lens)
        if not lens.versions:
            raise _validation("A lens must be published before it can be shared")
        target = p["SharedWith"]
        if not re.fullmatch(r"\d{12}|o-[a-z0-9]{10,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}", target):
            raise _validation(
                "Invalid SharedWith", ("SharedWith", "an account id, organization id or OU id")
            )
        organisation = target.startswith(("o-", "ou-"))
        if organisation and not self.state.org_sharing:
            raise _validation("AWS Organizations sharing is not enabled for the WA Tool")
        for share in lens.shares.values():
            live = ("PENDING", "ACCEPTED", "ASSOCIATED")
            if share["SharedWith"] == target and share["Status"] in live:
                raise _conflict("LENS_SHARE", target, f"The lens is already shared with {target}")
        if len(lens.shares) >= SHARE_QUOTA:
            raise _quota("LENS_SHARE", f"A lens has at most {SHARE_QUOTA} shares")
        share_id = _new_id()
        # An account gets an invitation; an organization or OU gets none (access at once).
        status = "ASSOCIATED" if organisation else "PENDING"
        lens.shares[share_id] = {"ShareId": share_id, "SharedWith": target, "Status": status}
        if not organisation:
            invitation = _new_id()
            self.state.invitations[invitation] = InvitationRecord(
                invitation, lens.arn, share_id, target, lens.owner
            )
        return {"ShareId": share_id}

    def ListLensShares(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._own_lens(p["LensAlias"])
        prefix = p.get("SharedWithPrefix") or ""
        rows = [dict(s) for s in lens.shares.values() if s["SharedWith"].startswith(prefix)]
        if p.get("Status"):
            rows = [r for r in rows if r["Status"] == p["Status"]]
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"LensShareSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def DeleteLensShare(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._own_lens(p["LensAlias"])
        if lens.shares.pop(p["ShareId"], None) is None:
            raise _not_found("LENS_SHARE", p["ShareId"])
        for inv in list(self.state.invitations.values()):
            if inv.share_id == p["ShareId"]:
                del self.state.invitations[inv.id]
        return {}

    def DeleteLens(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._own_lens(p["LensAlias"])
        if p["LensStatus"] == "DRAFT":
            if not lens.versions:
                del self.state.lenses[lens.arn]
            elif lens.latest is not None:
                lens.draft = lens.versions[lens.latest]
            return {}
        if any(lens.arn in w.lenses for w in self.state.workloads.values()):
            raise _conflict("LENS", lens.arn, "The lens is associated with workloads")
        del self.state.lenses[lens.arn]
        return {}

    def ListShareInvitations(self, p: dict[str, Any]) -> dict[str, Any]:
        kind = p.get("ShareResourceType")
        prefix = (p.get("LensNamePrefix") or "").lower()
        rows = []
        for inv in self.state.invitations.values():
            lens = self.state.lenses.get(inv.lens_arn)
            if inv.shared_with != self.caller or lens is None or kind not in (None, "LENS"):
                continue
            if not lens.name.lower().startswith(prefix):
                continue
            rows.append(
                {
                    "ShareInvitationId": inv.id,
                    "SharedBy": inv.shared_by,
                    "SharedWith": inv.shared_with,
                    "PermissionType": "READONLY",
                    "ShareResourceType": "LENS",
                    "LensName": lens.name,
                    "LensArn": lens.arn,
                }
            )
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"ShareInvitationSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def UpdateShareInvitation(self, p: dict[str, Any]) -> dict[str, Any]:
        inv = self.state.invitations.get(p["ShareInvitationId"])
        if inv is None or inv.shared_with != self.caller:
            raise _not_found("SHARE_INVITATION", p["ShareInvitationId"])
        lens = self.state.lenses[inv.lens_arn]
        accepted = p["ShareInvitationAction"] == "ACCEPT"
        lens.shares[inv.share_id]["Status"] = "ACCEPTED" if accepted else "REJECTED"
        del self.state.invitations[inv.id]
        return {
            "ShareInvitation": {
                "ShareInvitationId": inv.id,
                "ShareResourceType": "LENS",
                "LensArn": lens.arn,
                "LensAlias": lens.arn,
            }
        }

    # workloads

    def _workload(self, wid: str) -> WorkloadRecord:
        w = self.state.workloads.get(wid)
        if w is None or w.owner != self.caller:
            raise _not_found("WORKLOAD", wid)
        return w

    def _usable_lens(self, alias: str) -> LensRecord | None:
        if alias == WA_LENS:
            return None
        lens = self.state.lenses.get(alias)
        if lens is None or lens.new:
            raise _not_found("LENS", alias)
        if not self._visible(lens):
            raise _validation(
                f"Lens {alias} is not available to this account",
                ("Lenses", f"{alias} is not shared with this account"),
            )
        if not lens.versions:
            raise _validation(
                f"Lens {alias} has no published version: publish it before applying it",
                ("Lenses", f"{alias} is a draft"),
            )
        return lens

    def _attach(self, w: WorkloadRecord, alias: str) -> None:
        lens = self._usable_lens(alias)
        if alias in w.lenses:
            return
        if len(w.lenses) >= WORKLOAD_LENS_QUOTA:
            raise _quota("WORKLOAD_LENS", f"A workload has at most {WORKLOAD_LENS_QUOTA} lenses")
        w.lenses.append(alias)
        if lens is not None:
            assert lens.latest is not None
            w.lens_versions[alias] = lens.latest
            w.answers[alias] = {}

    def _name_clash(self, name: str, except_id: str | None) -> WorkloadRecord | None:
        # Workload names are unique ignoring spaces and capitals.
        key = "".join(name.split()).lower()
        for w in self.state.workloads.values():
            if (
                w.owner == self.caller
                and w.id != except_id
                and "".join(w.name.split()).lower() == key
            ):
                return w
        return None

    def CreateWorkload(self, p: dict[str, Any]) -> dict[str, Any]:
        fields = []
        if not p.get("ReviewOwner"):
            fields.append(("ReviewOwner", "a review owner is required"))
        if not p.get("AwsRegions") and not p.get("NonAwsRegions"):
            fields.append(("AwsRegions", "give AwsRegions or NonAwsRegions"))
        if fields:
            raise _validation("Invalid workload", *fields)
        name = p["WorkloadName"]
        if self._name_clash(name, None):
            raise _conflict("WORKLOAD", name, f"A workload named {name!r} already exists")
        wid = _new_id()
        w = WorkloadRecord(
            id=wid,
            arn=f"arn:aws:wellarchitected:{self.state.region}:{self.caller}:workload/{wid}",
            name=name,
            description=p["Description"],
            environment=p["Environment"],
            review_owner=p["ReviewOwner"],
            aws_regions=list(p.get("AwsRegions", [])),
            non_aws_regions=list(p.get("NonAwsRegions", [])),
            lenses=[WA_LENS],
            owner=self.caller,
            tags=dict(p.get("Tags") or {}),
        )
        for alias in p["Lenses"]:
            self._attach(w, alias)
        self.state.workloads[wid] = w
        return {"WorkloadId": wid, "WorkloadArn": w.arn}

    def _workload_out(self, w: WorkloadRecord) -> dict[str, Any]:
        out: dict[str, Any] = {
            "WorkloadId": w.id,
            "WorkloadArn": w.arn,
            "WorkloadName": w.name,
            "Description": w.description,
            "Environment": w.environment,
            "ReviewOwner": w.review_owner,
            "AwsRegions": w.aws_regions,
            "NonAwsRegions": w.non_aws_regions,
            "Lenses": list(w.lenses),
            "Owner": w.owner,
            "UpdatedAt": w.updated,
        }
        if w.tags:
            out["Tags"] = dict(w.tags)
        return out

    def GetWorkload(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"Workload": self._workload_out(self._workload(p["WorkloadId"]))}

    def UpdateWorkload(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        if "WorkloadName" in p:
            if self._name_clash(p["WorkloadName"], w.id):
                raise _conflict("WORKLOAD", p["WorkloadName"], "A workload of that name exists")
            w.name = p["WorkloadName"]
        for member, attr in (
            ("Description", "description"),
            ("Environment", "environment"),
            ("ReviewOwner", "review_owner"),
            ("AwsRegions", "aws_regions"),
            ("NonAwsRegions", "non_aws_regions"),
        ):
            if member in p:
                setattr(w, attr, p[member])
        w.updated = time.time()
        return {"Workload": self._workload_out(w)}

    def DeleteWorkload(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        del self.state.workloads[w.id]
        return {}

    def ListWorkloads(self, p: dict[str, Any]) -> dict[str, Any]:
        prefix = p.get("WorkloadNamePrefix") or ""
        rows = [
            {
                "WorkloadId": w.id,
                "WorkloadArn": w.arn,
                "WorkloadName": w.name,
                "Owner": w.owner,
                "UpdatedAt": w.updated,
                "Lenses": list(w.lenses),
            }
            for w in self.state.workloads.values()
            if w.owner == self.caller and w.name.lower().startswith(prefix.lower())
        ]
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"WorkloadSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def AssociateLenses(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        aliases = p["LensAliases"]
        if len(aliases) > ASSOCIATE_BATCH:
            raise _validation(
                "Too many lenses", ("LensAliases", f"at most {ASSOCIATE_BATCH} per call")
            )
        for alias in aliases:
            self._attach(w, alias)
        w.updated = time.time()
        return {}

    def CreateWorkloadShare(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        target = p["SharedWith"]
        for share in w.shares.values():
            if share["SharedWith"] == target and share["Status"] in ("PENDING", "ACCEPTED"):
                raise _conflict("WORKLOAD_SHARE", target, f"Already shared with {target}")
        if len(w.shares) >= WORKLOAD_SHARE_QUOTA:
            raise _quota("WORKLOAD_SHARE", f"A workload has at most {WORKLOAD_SHARE_QUOTA} shares")
        share_id = _new_id()
        status = "ASSOCIATED" if target.startswith(("o-", "ou-")) else "PENDING"
        w.shares[share_id] = {
            "ShareId": share_id,
            "SharedWith": target,
            "PermissionType": p["PermissionType"],
            "Status": status,
        }
        return {"WorkloadId": w.id, "ShareId": share_id}

    def ListWorkloadShares(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        prefix = p.get("SharedWithPrefix") or ""
        rows = [dict(s) for s in w.shares.values() if s["SharedWith"].startswith(prefix)]
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"WorkloadId": w.id, "WorkloadShareSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def TagResource(self, p: dict[str, Any]) -> dict[str, Any]:
        self._tags_of(p["WorkloadArn"]).update(p["Tags"])
        return {}

    def ListTagsForResource(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": dict(self._tags_of(p["WorkloadArn"]))}

    def _tags_of(self, arn: str) -> dict[str, str]:
        for w in self.state.workloads.values():
            if w.arn == arn and w.owner == self.caller:
                return w.tags
        lens = self.state.lenses.get(arn)
        if lens is not None and lens.owner == self.caller:
            return lens.tags
        raise _not_found("RESOURCE", arn)

    # answers

    def _review(self, p: dict[str, Any]) -> tuple[WorkloadRecord, LensRecord, dict[str, Any]]:
        w = self._workload(p["WorkloadId"])
        alias = p["LensAlias"]
        if alias not in w.lens_versions:
            raise _not_found("LENS_REVIEW", f"{w.id} {alias}")
        lens = self.state.lenses[alias]
        return w, lens, self.state.doc(lens, w.lens_versions[alias])

    def _answers_of(self, w: WorkloadRecord, alias: str, milestone: int | None) -> dict[str, Any]:
        if milestone is None:
            return w.answers[alias]
        for m in w.milestones:
            if m["number"] == milestone:
                answers: dict[str, Any] = m["answers"].get(alias, {})
                return answers
        raise _not_found("MILESTONE", str(milestone))

    @staticmethod
    def _choices(question: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"ChoiceId": c["id"], "Title": c["title"]} for c in question["choices"]]

    def _answer_out(
        self, pillar: dict[str, Any], question: dict[str, Any], a: AnswerRecord, full: bool
    ) -> dict[str, Any]:
        per_choice: list[dict[str, Any]] = []
        for c in question["choices"]:
            cid = c["id"]
            if cid in a.na:
                reason, notes = a.na[cid]
                item: dict[str, Any] = {"ChoiceId": cid, "Status": "NOT_APPLICABLE"}
                item["Reason"] = reason
                if full:
                    item["Notes"] = notes
                per_choice.append(item)
            elif cid in a.selected:
                per_choice.append({"ChoiceId": cid, "Status": "SELECTED"})
        out: dict[str, Any] = {
            "QuestionId": question["id"],
            "PillarId": pillar["id"],
            "QuestionTitle": question["title"],
            "Choices": self._choices(question),
            "SelectedChoices": list(a.selected),
            ("ChoiceAnswers" if full else "ChoiceAnswerSummaries"): per_choice,
            "IsApplicable": a.applicable,
            "Risk": _risk(question, a),
        }
        if a.reason:
            out["Reason"] = a.reason
        if full:
            out["Notes"] = a.notes
            if question.get("description"):
                out["QuestionDescription"] = question["description"][:1024]
        return out

    def ListAnswers(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, doc = self._review(p)
        answers = self._answers_of(w, lens.arn, p.get("MilestoneNumber"))
        pillar_id = p.get("PillarId")
        if pillar_id is None and self.state.answers_need_pillar and doc["pillars"]:
            pillar_id = doc["pillars"][0]["id"]  # as some lenses do: only the first pillar
        if pillar_id is not None and pillar_id not in {x["id"] for x in doc["pillars"]}:
            raise _not_found("PILLAR", pillar_id)
        rows = [
            self._answer_out(pillar, q, answers.get(q["id"], AnswerRecord()), full=False)
            for pillar, q in _questions(doc)
            if pillar_id in (None, pillar["id"])
        ]
        page, token = self._page(rows, p, self.state.answers_page)
        out: dict[str, Any] = {
            "WorkloadId": w.id,
            "LensAlias": p["LensAlias"],
            "LensArn": lens.arn,
            "AnswerSummaries": page,
        }
        if p.get("MilestoneNumber"):
            out["MilestoneNumber"] = p["MilestoneNumber"]
        if token:
            out["NextToken"] = token
        return out

    def _question(self, doc: dict[str, Any], qid: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for pillar, q in _questions(doc):
            if q["id"] == qid:
                return pillar, q
        raise _not_found("QUESTION", qid)

    def GetAnswer(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, doc = self._review(p)
        pillar, q = self._question(doc, p["QuestionId"])
        answers = self._answers_of(w, lens.arn, p.get("MilestoneNumber"))
        a = answers.get(q["id"], AnswerRecord())
        return {
            "WorkloadId": w.id,
            "LensAlias": p["LensAlias"],
            "LensArn": lens.arn,
            "Answer": self._answer_out(pillar, q, a, full=True),
        }

    def UpdateAnswer(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, doc = self._review(p)
        pillar, q = self._question(doc, p["QuestionId"])
        order = [c["id"] for c in q["choices"]]
        current = w.answers[lens.arn].get(q["id"], AnswerRecord()).copy()
        if "SelectedChoices" in p:
            unknown = [c for c in p["SelectedChoices"] if c not in order]
            if unknown:
                raise _validation(
                    "Invalid choices",
                    *(("SelectedChoices", f"{c} is not a choice of {q['id']}") for c in unknown),
                )
            # The selection is replaced; a practice selected is no longer not applicable.
            current.selected = [c for c in order if c in p["SelectedChoices"]]
            for c in current.selected:
                current.na.pop(c, None)
        for cid, update in (p.get("ChoiceUpdates") or {}).items():
            if cid not in order:
                raise _validation(
                    "Invalid choice update",
                    ("ChoiceUpdates", f"{cid} is not a choice of {q['id']}"),
                )
            status = update["Status"]
            if status == "SELECTED":
                current.na.pop(cid, None)
                current.selected = [c for c in order if c in {*current.selected, cid}]
            elif status == "UNSELECTED":
                current.na.pop(cid, None)
                current.selected = [c for c in current.selected if c != cid]
            else:
                current.selected = [c for c in current.selected if c != cid]
                current.na[cid] = (update.get("Reason") or "NONE", update.get("Notes") or "")
        if "Notes" in p:
            current.notes = _normalised(p["Notes"]) if self.state.normalise_notes else p["Notes"]
        if "IsApplicable" in p:
            current.applicable = bool(p["IsApplicable"])
        if current.applicable:
            current.reason = None
        elif "Reason" in p:
            current.reason = p["Reason"]
        w.answers[lens.arn][q["id"]] = current
        w.updated = time.time()
        return {
            "WorkloadId": w.id,
            "LensAlias": p["LensAlias"],
            "LensArn": lens.arn,
            "Answer": self._answer_out(pillar, q, current, full=True),
        }

    def CreateMilestone(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        name = p["MilestoneName"]
        if any(m["name"] == name for m in w.milestones):
            raise _conflict("MILESTONE", name, f"A milestone named {name!r} already exists")
        if len(w.milestones) >= MILESTONE_QUOTA:
            raise _quota("MILESTONE", f"A workload has at most {MILESTONE_QUOTA} milestones")
        number = len(w.milestones) + 1
        snapshot = {
            arn: {qid: a.copy() for qid, a in answers.items()} for arn, answers in w.answers.items()
        }
        w.milestones.append(
            {"number": number, "name": name, "answers": snapshot, "at": time.time()}
        )
        return {"WorkloadId": w.id, "MilestoneNumber": number}

    def ListMilestones(self, p: dict[str, Any]) -> dict[str, Any]:
        w = self._workload(p["WorkloadId"])
        rows = [
            {
                "MilestoneNumber": m["number"],
                "MilestoneName": m["name"],
                "RecordedAt": m["at"],
                "WorkloadSummary": {"WorkloadId": w.id, "WorkloadName": w.name},
            }
            for m in w.milestones
        ]
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"WorkloadId": w.id, "MilestoneSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def _risk_counts(
        self, doc: dict[str, Any], answers: dict[str, AnswerRecord], pillar_id: str | None
    ) -> dict[str, int]:
        counts = dict.fromkeys(("UNANSWERED", "HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE"), 0)
        for pillar, q in _questions(doc):
            if pillar_id is None or pillar["id"] == pillar_id:
                counts[_risk(q, answers.get(q["id"], AnswerRecord()))] += 1
        return counts

    def GetLensReview(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, doc = self._review(p)
        answers = self._answers_of(w, lens.arn, p.get("MilestoneNumber"))
        version = w.lens_versions[lens.arn]
        return {
            "WorkloadId": w.id,
            "LensReview": {
                "LensAlias": p["LensAlias"],
                "LensArn": lens.arn,
                "LensVersion": version,
                "LensName": lens.name,
                "LensStatus": "CURRENT" if version == lens.latest else "NOT_CURRENT",
                "PillarReviewSummaries": [
                    {
                        "PillarId": pillar["id"],
                        "PillarName": pillar["name"],
                        "RiskCounts": self._risk_counts(doc, answers, pillar["id"]),
                    }
                    for pillar in doc["pillars"]
                ],
                "RiskCounts": self._risk_counts(doc, answers, None),
                "UpdatedAt": w.updated,
            },
        }

    def _move(self, w: WorkloadRecord, lens: LensRecord, version: str) -> None:
        """Put the workload's lens review on ``version``, keeping the answers that still fit."""
        doc = self.state.doc(lens, version)
        kept: dict[str, AnswerRecord] = {}
        for _pillar, q in _questions(doc):
            old = w.answers.get(lens.arn, {}).get(q["id"])
            if old is not None:
                known = {c["id"] for c in q["choices"]}
                kept[q["id"]] = AnswerRecord(
                    [c for c in old.selected if c in known],
                    old.applicable,
                    old.reason,
                    old.notes,
                    {c: v for c, v in old.na.items() if c in known},
                )
        w.answers[lens.arn] = kept
        w.lens_versions[lens.arn] = version

    def UpgradeLensReview(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, _doc = self._review(p)
        if w.lens_versions[lens.arn] == lens.latest:
            raise _validation("The lens review already uses the latest version of the lens")
        # The WA Tool saves a milestone of the answers before it upgrades.
        self.CreateMilestone({"WorkloadId": w.id, "MilestoneName": p["MilestoneName"]})
        assert lens.latest is not None
        self._move(w, lens, lens.latest)
        return {}

    def GetLensReviewReport(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, _doc = self._review(p)
        self._answers_of(w, lens.arn, p.get("MilestoneNumber"))
        pdf = tiny_pdf(f"{w.name}: {lens.name} review report")
        out: dict[str, Any] = {
            "WorkloadId": w.id,
            "LensReviewReport": {
                "LensAlias": p["LensAlias"],
                "LensArn": lens.arn,
                "Base64String": base64.b64encode(pdf).decode("ascii"),
            },
        }
        if p.get("MilestoneNumber"):
            out["MilestoneNumber"] = p["MilestoneNumber"]
        return out

    # paging

    @staticmethod
    def _page(
        rows: list[dict[str, Any]], p: dict[str, Any], size: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = 0
        if p.get("NextToken"):
            try:
                start = int(base64.b64decode(p["NextToken"]).decode())
            except ValueError:
                raise _validation("Invalid NextToken", ("NextToken", "not a token")) from None
        size = min(size, int(p.get("MaxResults") or size))
        end = start + size
        token = base64.b64encode(str(end).encode()).decode() if end < len(rows) else None
        return rows[start:end], token


# --- HTTP ------------------------------------------------------------------------------------------


@dataclass
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    labels: dict[str, str]  # uri label -> member
    query: dict[str, str]  # query name -> member
    types: dict[str, str]  # member -> shape type
    idempotent: bool
    shape: Any  # the input shape, for the checks of the model


def _routes() -> list[Route]:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    routes = []
    for name in OPERATIONS:
        op = model.operation_model(name)
        uri = op.http["requestUri"].split("?")[0]
        labels: dict[str, str] = {}
        query: dict[str, str] = {}
        types: dict[str, str] = {}
        idempotent = False
        members = op.input_shape.members if op.input_shape is not None else {}
        for member, shape in members.items():
            types[member] = shape.type_name
            where = shape.serialization.get("location")
            wire = shape.serialization.get("name", member)
            if where == "uri":
                labels[wire] = member
            elif where == "querystring":
                query[wire] = member
            if shape.metadata.get("idempotencyToken") or member == "ClientRequestToken":
                idempotent = True
        regex = re.sub(r"\{([A-Za-z0-9_]+)\}", r"(?P<\1>[^/]+)", uri)
        routes.append(
            Route(
                name,
                op.http["method"],
                re.compile(f"^{regex}$"),
                labels,
                query,
                types,
                idempotent,
                op.input_shape,
            )
        )
    return routes


def _convert(value: str, kind: str) -> Any:
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value.lower() == "true"
    return value


_KEY = re.compile(r"Credential=([^/]+)/")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any], error: str | None = None) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error:
            self.send_header("x-amzn-ErrorType", f"{error}:http://internal.amazon.com/coral/")
        if error == "ThrottlingException":
            self.send_header("x-amz-retry-after", "0")
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        for route in self.server.routes:
            if route.method != self.command:
                continue
            m = route.pattern.match(parts.path)
            if m:
                break
        else:
            self._send(
                404, {"Message": f"no route {self.command} {parts.path}"}, "UnknownOperation"
            )
            return
        params: dict[str, Any] = json.loads(raw) if raw.strip() else {}
        for label, value in m.groupdict().items():
            params[route.labels[label]] = unquote(value)
        for key, values in parse_qs(parts.query).items():
            member = route.query.get(key)
            if member is not None:
                params[member] = _convert(values[0], route.types.get(member, "string"))
        state = self.server.state
        with state.lock:
            state.calls[route.operation] += 1
            status, body, error = self._handle(route, params)
            state.log.append((route.operation, params, status))
        self._send(status, body, error)

    def _handle(
        self, route: Route, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any], str | None]:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 Credential="):
            return 403, {"Message": "Missing Authentication Token"}, "MissingAuthenticationToken"
        fault = self.server.faults.check(route.operation)
        if fault is not None:
            return STATUS[fault.code], {"Message": fault.message, **fault.extra}, fault.code
        state = self.server.state
        found = _KEY.search(auth)
        service = self.server.service
        service.caller = state.keys.get(found.group(1), state.account) if found else state.account
        problems = model_problems(route.shape, params, "") if route.shape is not None else []
        if problems:
            error = _validation(f"{len(problems)} validation error(s) detected", *problems[:10])
            return 400, {"Message": error.message, **error.extra}, error.code
        token = params.get("ClientRequestToken") if route.idempotent else None
        if token and (route.operation, token) in state.tokens:
            return 200, state.tokens[(route.operation, token)], None
        try:
            body = getattr(service, route.operation)(params)
        except ServiceError as exc:
            return STATUS[exc.code], {"Message": exc.message, **exc.extra}, exc.code
        if token:
            state.tokens[(route.operation, token)] = body
        return 200, body, None

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: WaState, faults: Faults) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.faults = faults
        self.service = WaService(state)
        self.routes = _routes()


@dataclass
class StandIn:
    """A running stand-in: its endpoint, state and faults."""

    endpoint_url: str
    state: WaState
    faults: Faults

    def use_account(self, monkeypatch: pytest.MonkeyPatch, account: str) -> None:
        """Make the environment's credentials those of ``account`` (a key the stand-in knows)."""
        key = f"AKIA{account}"
        self.state.keys[key] = account
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)

    def publish_shared_lens(
        self,
        text: str,
        version: str = "1.0",
        owner: str = OTHER_ACCOUNT,
        *,
        accepted: bool = True,
        shared_with: str | None = None,
    ) -> str:
        """A lens another account published and shared with this one (accepted, or with its
        invitation pending); returns its ARN."""
        arn = f"arn:aws:wellarchitected:{self.state.region}:{owner}:lens/{_new_id()}"
        doc = json.loads(text)
        target = shared_with or self.state.account
        share_id = _new_id()
        lens = LensRecord(
            arn=arn,
            name=doc["name"],
            description=doc.get("description", ""),
            draft=text,
            owner=owner,
            versions={version: text},
            latest=version,
            shares={
                share_id: {
                    "ShareId": share_id,
                    "SharedWith": target,
                    "Status": "ACCEPTED" if accepted else "PENDING",
                }
            },
        )
        self.state.lenses[arn] = lens
        if not accepted:
            invitation = _new_id()
            self.state.invitations[invitation] = InvitationRecord(
                invitation, arn, share_id, target, owner
            )
        return arn


def start_standin() -> tuple[StandIn, Callable[[], None]]:
    """Start a stand-in in a thread; returns it and the function that stops it."""
    state = WaState()
    faults = Faults()
    server = _Server(state, faults)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="wa-standin", daemon=True
    )
    thread.start()
    host, port = server.server_address[:2]
    standin = StandIn(f"http://{host!s}:{port}", state, faults)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return standin, stop


@pytest.fixture(name="wa")
def wa_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    """A fresh stand-in, dummy credentials in the environment, and no real waiting in botocore's
    retries (the delays asked for are recorded in ``RETRY_SLEEPS``)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_WELLARCHITECTED", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/orr-test-aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/orr-test-aws-credentials")
    no_network_waits(monkeypatch)
    standin, stop = start_standin()
    try:
        yield standin
    finally:
        stop()


RETRY_SLEEPS: list[float] = []


def no_network_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make botocore's retry backoff and adaptive rate limiter return at once; the delays they
    asked for are appended to ``RETRY_SLEEPS`` (cleared here)."""
    import botocore.endpoint
    import botocore.retries.bucket

    RETRY_SLEEPS.clear()

    class _Time:
        def __getattr__(self, name: str) -> Any:
            return getattr(time, name)

        @staticmethod
        def sleep(seconds: float) -> None:
            RETRY_SLEEPS.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", _Time())

    def acquire(self: Any, amount: int = 1, block: bool = True) -> bool:
        return True

    monkeypatch.setattr(botocore.retries.bucket.TokenBucket, "acquire", acquire)
    return RETRY_SLEEPS


# --- a checklist and a review to sync (test data: these use orr, lazily; the service does not) ---

_SECURITY = """\
schema_version = 1
kind = "security"

[[pillars]]
id = "security"
name = "Security"

[[pillars.questions]]
id = "sec_access"
title = "Is access least privilege?"
owner_role = "security"
severity = "high"

[[pillars.questions.choices]]
id = "sec_roles"
title = "Scoped roles"
improvement = "Split roles."

[[pillars.questions.choices]]
id = "sec_review"
title = "Reviewed permissions"
improvement = "Review them."

[[pillars.questions]]
id = "sec_secrets"
title = "Are secrets managed?"
severity = "high"

[[pillars.questions.choices]]
id = "sec_vault"
title = "Secrets in a vault"
improvement = "Move secrets to a vault."

[[pillars.questions.choices]]
id = "sec_rotation"
title = "Rotated"
improvement = "Rotate them."
"""

_OPERATIONS = """\
schema_version = 1
kind = "operations"

[[pillars]]
id = "operations"
name = "Operations"

[[pillars.questions]]
id = "ops_runbook"
title = "Is there a runbook?"
severity = "medium"

[[pillars.questions.choices]]
id = "ops_runbook_written"
title = "Written runbook"
improvement = "Write it."

[[pillars.questions.choices]]
id = "ops_oncall"
title = "On-call rota"
improvement = "Set one up."

[[pillars.questions]]
id = "ops_deploy"
title = "Are deployments safe?"
severity = "high"

[[pillars.questions.choices]]
id = "ops_canary"
title = "Canary"
improvement = "Deploy to a canary first."

[[pillars.questions.choices]]
id = "ops_rollback"
title = "Rollback"
improvement = "Automate rollback."

[[pillars]]
id = "observability"
name = "Observability"

[[pillars.questions]]
id = "obs_alarms"
title = "Do alarms page someone?"
severity = "high"

[[pillars.questions.choices]]
id = "obs_alarms_paged"
title = "Alarms page"
improvement = "Route alarms to a pager."

[[pillars.questions.choices]]
id = "obs_alarms_tested"
title = "Alarms tested"
improvement = "Test them."

[[pillars.questions]]
id = "obs_dash"
title = "Is there a dashboard?"
severity = "medium"

[[pillars.questions.choices]]
id = "obs_dash_slo"
title = "SLO dashboard"
improvement = "Build one."

[[pillars.questions]]
id = "obs_logs"
title = "Are logs kept?"
severity = "medium"

[[pillars.questions.choices]]
id = "obs_logs_central"
title = "Central logs"
improvement = "Ship logs centrally."
"""


def write_big_checklist(folder: Path) -> Path:
    """A checklist of 7 questions in 3 pillars (the stand-in pages ListAnswers by 3)."""
    from tests.helpers import write_checklist

    return write_checklist(
        folder, sources={"security.toml": _SECURITY, "operations.toml": _OPERATIONS}
    )


def build_review(path: Path, manifest: Path, workload: str = "Shop checkout") -> Path:
    """A review of the big checklist with 4 answered questions: choices with notes, evidence and
    a mitigation; choices; not applicable with a note; None of these. Three are unanswered."""
    from orr.checklist import load_checklist
    from orr.review import ops
    from orr.review.model import Evidence
    from orr.review.store import ReviewStore

    path = Path(path)
    checklist = load_checklist(manifest)
    review, _ = ops.new_review(
        checklist,
        workload=workload,
        launch_date="2026-12-15",
        manifest=ops.manifest_ref(manifest, path),
        environment="preproduction",
        owner="Dana Ops",
        description="Checkout service of the shop",
        regions=["eu-west-1", "on-prem-dc1"],
        who="tester",
    )
    ops.set_answer(
        review,
        checklist,
        "sec_access",
        choices=["sec_roles"],
        notes="Roles are per service.",
        who="tester",
    )
    review.answers["sec_access"].evidence.append(
        Evidence(url="https://wiki.example.com/iam", description="IAM review")
    )
    ops.add_mitigation(
        review,
        checklist,
        "sec_access",
        title="Split the admin role",
        owner="Sam",
        due="2026-12-01",
        who="tester",
    )
    ops.set_answer(
        review, checklist, "sec_secrets", choices=["sec_vault", "sec_rotation"], who="tester"
    )
    ops.set_answer(
        review,
        checklist,
        "ops_runbook",
        na_reason="OUT_OF_SCOPE",
        na_note="Batch job, no on-call",
        who="tester",
    )
    ops.set_answer(review, checklist, "obs_alarms", none=True, who="tester")
    ReviewStore(path).create(review, "tester")
    return path
