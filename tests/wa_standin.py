"""A local stand-in of the AWS Well-Architected Tool, for tests that drive real boto3 clients.

An HTTP server on 127.0.0.1 (a random port) that speaks the service's REST-JSON protocol for the
calls orr makes. Routes, the members bound to the path, the query string and the body all come
from botocore's own service model, so a request boto3 serialises is parsed the way the service
would. State lives in memory (`WaState`); the lens limits are those of `orr.lens.validate`; the
quotas (15 custom lenses, 100 versions, 300 shares, 20 lenses per workload, 100 milestones),
unique names and `ClientRequestToken` idempotency are enforced; and `Faults` injects the errors a
real account gives (throttling, quota, conflict, validation, access denied, internal error).

Errors are returned the way the service returns them: the status code, the ``x-amzn-ErrorType``
header, and a JSON body with ``Message`` (plus ``Fields`` for a validation error, ``QuotaCode``
for a quota). Nothing here is a mock of boto3: botocore signs, serialises, retries and parses.
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
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
import pytest

from orr.checklist.rules import ParsedRule, Risk, first_match, parse
from orr.lens.validate import errors_of, validate_lens_text

ACCOUNT = "123456789012"
REGION = "us-east-1"
LENS_QUOTA = 15
VERSION_QUOTA = 100
SHARE_QUOTA = 300
WORKLOAD_LENS_QUOTA = 20
ASSOCIATE_BATCH = 10
MILESTONE_QUOTA = 100
NOTES_MAX = 2084
WA_LENS = "wellarchitected"

OPERATIONS = (
    "ImportLens",
    "GetLens",
    "ListLenses",
    "ExportLens",
    "CreateLensVersion",
    "CreateLensShare",
    "ListLensShares",
    "CreateWorkload",
    "GetWorkload",
    "ListWorkloads",
    "AssociateLenses",
    "ListAnswers",
    "GetAnswer",
    "UpdateAnswer",
    "CreateMilestone",
    "GetLensReviewReport",
    "GetLensReview",
    "UpgradeLensReview",
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
    versions: dict[str, str] = field(default_factory=dict)  # version -> JSON text
    latest: str | None = None
    importing: int = 0  # polls left before an IN_PROGRESS import completes
    new: bool = True  # not visible to GetLens until its first import completes
    shares: dict[str, dict[str, str]] = field(default_factory=dict)
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


@dataclass
class AnswerRecord:
    selected: list[str] = field(default_factory=list)
    applicable: bool = True
    reason: str | None = None
    notes: str = ""

    def copy(self) -> AnswerRecord:
        return AnswerRecord(list(self.selected), self.applicable, self.reason, self.notes)


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
    lens_versions: dict[str, str] = field(default_factory=dict)  # lens arn -> version in use
    answers: dict[str, dict[str, AnswerRecord]] = field(default_factory=dict)  # arn -> qid
    milestones: list[dict[str, Any]] = field(default_factory=list)
    updated: float = field(default_factory=time.time)


@dataclass
class WaState:
    """Everything the stand-in holds; tests read and change it directly."""

    account: str = ACCOUNT
    region: str = REGION
    lenses: dict[str, LensRecord] = field(default_factory=dict)
    workloads: dict[str, WorkloadRecord] = field(default_factory=dict)
    # Lenses of other accounts shared with this one (arn -> record), for sync tests.
    shared_lenses: dict[str, LensRecord] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)  # every request, per operation
    log: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # op, params, status
    tokens: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    answers_page: int = 3  # ListAnswers pages are this small, so that clients must paginate
    list_page: int = 2  # ListLenses / ListWorkloads / ListLensShares page size
    import_polls: int = 0  # an import stays IN_PROGRESS for this many polls of the lens
    import_error: bool = False  # the next import ends with Status ERROR
    lock: threading.RLock = field(default_factory=threading.RLock)

    def params_of(self, operation: str) -> list[dict[str, Any]]:
        """The parameters of every handled call of ``operation``, in order."""
        return [p for op, p, status in self.log if op == operation and status < 300]

    def all_lenses(self) -> dict[str, LensRecord]:
        return {**self.shared_lenses, **self.lenses}

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
    if not answer.selected:
        return "UNANSWERED"
    rules = [
        ParsedRule(parse(r["condition"]), Risk(r["risk"]), r["condition"])
        for r in question.get("riskRules", [])
    ]
    found = first_match(rules, answer.selected)
    labels = {Risk.HIGH_RISK: "HIGH", Risk.MEDIUM_RISK: "MEDIUM", Risk.NO_RISK: "NONE"}
    return labels[found] if found is not None else "HIGH"


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
    """The operations, over `WaState`. Each handler takes the input members and returns the
    output members (or raises ServiceError)."""

    def __init__(self, state: WaState) -> None:
        self.state = state

    # lens lookups

    def _own_lens(self, alias: str) -> LensRecord:
        lens = self.state.lenses.get(alias)
        if lens is None:
            if not alias.startswith("arn:"):
                raise _validation(
                    "LensAlias of a custom lens must be its ARN",
                    ("LensAlias", "must be a lens ARN"),
                )
            raise _not_found("LENS", alias)
        return lens

    def _any_lens(self, alias: str) -> LensRecord:
        lens = self.state.all_lenses().get(alias)
        if lens is None:
            raise _not_found("LENS", alias)
        if lens.new and lens.importing > 0:
            lens.importing -= 1
            raise _not_found("LENS", alias)
        return lens

    def _settle(self, lens: LensRecord) -> None:
        """One poll of an IN_PROGRESS import."""
        if lens.importing > 0:
            lens.importing -= 1
            raise _conflict("LENS", lens.arn, f"Lens {lens.arn} import is in progress")
        lens.new = False

    def _summary(self, lens: LensRecord, own: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "LensArn": lens.arn,
            "LensAlias": lens.arn,
            "LensName": lens.name,
            "LensType": "CUSTOM_SELF" if own else "CUSTOM_SHARED",
            "CreatedAt": lens.created,
            "UpdatedAt": lens.updated,
            "Owner": self.state.account if own else lens.arn.split(":")[4],
            "LensStatus": "CURRENT",
        }
        if lens.description:
            out["Description"] = lens.description
        if lens.latest:
            out["LensVersion"] = lens.latest
        return out

    def _check_lens_text(self, text: str) -> dict[str, Any]:
        problems = errors_of(validate_lens_text(text))
        if problems:
            raise _validation(
                f"The lens is not valid: {len(problems)} problem(s)",
                *(("JSONString", p.format()) for p in problems[:5]),
            )
        doc: dict[str, Any] = json.loads(text)
        return doc

    def _name_taken(self, name: str, except_arn: str | None) -> bool:
        normal = " ".join(name.lower().split())
        return any(
            " ".join(lens.name.lower().split()) == normal and arn != except_arn
            for arn, lens in self.state.lenses.items()
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
        if len(self.state.lenses) >= LENS_QUOTA:
            raise _quota("LENS", f"You have reached the quota of {LENS_QUOTA} custom lenses")
        arn = f"arn:aws:wellarchitected:{self.state.region}:{self.state.account}:lens/{_new_id()}"
        if status != "ERROR":
            self.state.lenses[arn] = LensRecord(
                arn=arn,
                name=name,
                description=doc.get("description", ""),
                draft=p["JSONString"],
                importing=self.state.import_polls,
                new=self.state.import_polls > 0,
            )
        return {"LensArn": arn, "Status": status}

    def GetLens(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._any_lens(p["LensAlias"])
        version = p.get("LensVersion")
        if version is not None and version not in lens.versions:
            raise _not_found("LENS_VERSION", f"{lens.arn} {version}")
        own = lens.arn in self.state.lenses
        out: dict[str, Any] = {
            "LensArn": lens.arn,
            "Name": lens.name,
            "Owner": self.state.account if own else lens.arn.split(":")[4],
        }
        if lens.description:
            out["Description"] = lens.description
        if version or lens.latest:
            out["LensVersion"] = version or lens.latest
        return {"Lens": out}

    def ListLenses(self, p: dict[str, Any]) -> dict[str, Any]:
        kind = p.get("LensType")
        status = p.get("LensStatus", "ALL")
        name = p.get("LensName")
        rows: list[dict[str, Any]] = []
        sources = []
        if kind in (None, "CUSTOM_SELF"):
            sources += [(lens, True) for lens in self.state.lenses.values()]
        if kind in (None, "CUSTOM_SHARED"):
            sources += [(lens, False) for lens in self.state.shared_lenses.values()]
        for lens, own in sources:
            if name is not None and lens.name != name:
                continue
            if status == "PUBLISHED" and not lens.versions:
                continue
            if status == "DRAFT" and lens.versions:
                continue
            rows.append(self._summary(lens, own))
        page, token = self._page(rows, p, self.state.list_page)
        out: dict[str, Any] = {"LensSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def ExportLens(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self.state.lenses.get(p["LensAlias"])
        if lens is None:
            if p["LensAlias"] in self.state.shared_lenses:
                raise ServiceError(
                    "AccessDeniedException", "Only the owner of a lens can export it"
                )
            raise _not_found("LENS", p["LensAlias"])
        version = p.get("LensVersion")
        if version is not None and version not in lens.versions:
            raise _not_found("LENS_VERSION", f"{lens.arn} {version}")
        return {"LensJSON": lens.versions[version] if version else lens.draft}

    def CreateLensVersion(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._own_lens(p["LensAlias"])
        self._settle(lens)
        version = p["LensVersion"]
        if version in lens.versions:
            raise _conflict("LENS_VERSION", version, f"Lens version {version} already exists")
        if len(lens.versions) >= VERSION_QUOTA:
            raise _quota("LENS_VERSION", f"A lens has at most {VERSION_QUOTA} versions")
        lens.versions[version] = lens.draft
        lens.latest = version
        lens.updated = time.time()
        return {"LensArn": lens.arn, "LensVersion": version}

    def CreateLensShare(self, p: dict[str, Any]) -> dict[str, Any]:
        lens = self._own_lens(p["LensAlias"])
        self._settle(lens)
        if not lens.versions:
            raise _validation("A lens must be published before it can be shared")
        target = p["SharedWith"]
        if not re.fullmatch(r"\d{12}|o-[a-z0-9]{10,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}", target):
            raise _validation(
                "Invalid SharedWith", ("SharedWith", "an account id, organization id or OU id")
            )
        for share in lens.shares.values():
            if share["SharedWith"] == target and share["Status"] in ("PENDING", "ACCEPTED"):
                raise _conflict("LENS_SHARE", target, f"The lens is already shared with {target}")
        if len(lens.shares) >= SHARE_QUOTA:
            raise _quota("LENS_SHARE", f"A lens has at most {SHARE_QUOTA} shares")
        share_id = _new_id()
        lens.shares[share_id] = {"ShareId": share_id, "SharedWith": target, "Status": "PENDING"}
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

    # workloads

    def _workload(self, wid: str) -> WorkloadRecord:
        w = self.state.workloads.get(wid)
        if w is None:
            raise _not_found("WORKLOAD", wid)
        return w

    def _usable_lens(self, alias: str) -> LensRecord | None:
        if alias == WA_LENS:
            return None
        lens = self.state.all_lenses().get(alias)
        if lens is None:
            raise _not_found("LENS", alias)
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

    def CreateWorkload(self, p: dict[str, Any]) -> dict[str, Any]:
        fields = []
        if not p.get("ReviewOwner"):
            fields.append(("ReviewOwner", "a review owner is required"))
        if not p.get("AwsRegions") and not p.get("NonAwsRegions"):
            fields.append(("AwsRegions", "give AwsRegions or NonAwsRegions"))
        if len(p["WorkloadName"]) < 3:
            fields.append(("WorkloadName", "at least 3 characters"))
        if fields:
            raise _validation("Invalid workload", *fields)
        name = p["WorkloadName"]
        if any(w.name.lower() == name.lower() for w in self.state.workloads.values()):
            raise _conflict("WORKLOAD", name, f"A workload named {name!r} already exists")
        wid = _new_id()
        w = WorkloadRecord(
            id=wid,
            arn=f"arn:aws:wellarchitected:{self.state.region}:{self.state.account}:workload/{wid}",
            name=name,
            description=p["Description"],
            environment=p["Environment"],
            review_owner=p["ReviewOwner"],
            aws_regions=list(p.get("AwsRegions", [])),
            non_aws_regions=list(p.get("NonAwsRegions", [])),
            lenses=[WA_LENS],
        )
        for alias in p["Lenses"]:
            self._attach(w, alias)
        self.state.workloads[wid] = w
        return {"WorkloadId": wid, "WorkloadArn": w.arn}

    def _workload_out(self, w: WorkloadRecord) -> dict[str, Any]:
        return {
            "WorkloadId": w.id,
            "WorkloadArn": w.arn,
            "WorkloadName": w.name,
            "Description": w.description,
            "Environment": w.environment,
            "ReviewOwner": w.review_owner,
            "AwsRegions": w.aws_regions,
            "NonAwsRegions": w.non_aws_regions,
            "Lenses": list(w.lenses),
            "Owner": self.state.account,
            "UpdatedAt": w.updated,
        }

    def GetWorkload(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"Workload": self._workload_out(self._workload(p["WorkloadId"]))}

    def ListWorkloads(self, p: dict[str, Any]) -> dict[str, Any]:
        prefix = p.get("WorkloadNamePrefix") or ""
        rows = [
            {
                "WorkloadId": w.id,
                "WorkloadArn": w.arn,
                "WorkloadName": w.name,
                "Owner": self.state.account,
                "UpdatedAt": w.updated,
                "Lenses": list(w.lenses),
            }
            for w in self.state.workloads.values()
            if w.name.lower().startswith(prefix.lower())
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

    # answers

    def _review(self, p: dict[str, Any]) -> tuple[WorkloadRecord, LensRecord, dict[str, Any]]:
        w = self._workload(p["WorkloadId"])
        alias = p["LensAlias"]
        if alias not in w.lens_versions:
            raise _not_found("LENS_REVIEW", f"{w.id} {alias}")
        lens = self.state.all_lenses()[alias]
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
        out: dict[str, Any] = {
            "QuestionId": question["id"],
            "PillarId": pillar["id"],
            "QuestionTitle": question["title"],
            "Choices": self._choices(question),
            "SelectedChoices": list(a.selected),
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
        rows = [
            self._answer_out(pillar, q, answers.get(q["id"], AnswerRecord()), full=False)
            for pillar, q in _questions(doc)
            if p.get("PillarId") in (None, pillar["id"])
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
        known = {c["id"] for c in q["choices"]}
        current = w.answers[lens.arn].get(q["id"], AnswerRecord()).copy()
        if "SelectedChoices" in p:
            unknown = [c for c in p["SelectedChoices"] if c not in known]
            if unknown:
                raise _validation(
                    "Invalid choices",
                    *(("SelectedChoices", f"{c} is not a choice of {q['id']}") for c in unknown),
                )
            current.selected = [c["id"] for c in q["choices"] if c["id"] in p["SelectedChoices"]]
        if "Notes" in p:
            if len(p["Notes"].encode("utf-16-le")) // 2 > NOTES_MAX:
                raise _validation("Notes too long", ("Notes", f"at most {NOTES_MAX} characters"))
            current.notes = p["Notes"]
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
        if not 3 <= len(name) <= 100:
            raise _validation("Invalid milestone name", ("MilestoneName", "3 to 100 characters"))
        if any(m["name"] == name for m in w.milestones):
            raise _conflict("MILESTONE", name, f"A milestone named {name!r} already exists")
        if len(w.milestones) >= MILESTONE_QUOTA:
            raise _quota("MILESTONE", f"A workload has at most {MILESTONE_QUOTA} milestones")
        number = len(w.milestones) + 1
        snapshot = {
            arn: {qid: a.copy() for qid, a in answers.items()} for arn, answers in w.answers.items()
        }
        w.milestones.append({"number": number, "name": name, "answers": snapshot})
        return {"WorkloadId": w.id, "MilestoneNumber": number}

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

    def UpgradeLensReview(self, p: dict[str, Any]) -> dict[str, Any]:
        w, lens, _doc = self._review(p)
        if w.lens_versions[lens.arn] == lens.latest:
            raise _validation("The lens review already uses the latest version of the lens")
        self.CreateMilestone({"WorkloadId": w.id, "MilestoneName": p["MilestoneName"]})
        assert lens.latest is not None
        doc = self.state.doc(lens, lens.latest)
        kept: dict[str, AnswerRecord] = {}
        for _pillar, q in _questions(doc):
            old = w.answers[lens.arn].get(q["id"])
            if old is not None:
                known = {c["id"] for c in q["choices"]}
                kept[q["id"]] = AnswerRecord(
                    [c for c in old.selected if c in known], old.applicable, old.reason, old.notes
                )
        w.answers[lens.arn] = kept
        w.lens_versions[lens.arn] = lens.latest
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
                name, op.http["method"], re.compile(f"^{regex}$"), labels, query, types, idempotent
            )
        )
    return routes


def _convert(value: str, kind: str) -> Any:
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value.lower() == "true"
    return value


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
        token = params.get("ClientRequestToken") if route.idempotent else None
        if token and (route.operation, token) in state.tokens:
            return 200, state.tokens[(route.operation, token)], None
        try:
            body = getattr(self.server.service, route.operation)(params)
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

    def publish_shared_lens(
        self, text: str, version: str = "1.0", owner: str = "210987654321"
    ) -> str:
        """A lens another account published and shared with this one; returns its ARN."""
        arn = f"arn:aws:wellarchitected:{self.state.region}:{owner}:lens/{_new_id()}"
        doc = json.loads(text)
        self.state.shared_lenses[arn] = LensRecord(
            arn=arn,
            name=doc["name"],
            description=doc.get("description", ""),
            draft=text,
            versions={version: text},
            latest=version,
            new=False,
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
    retries (the delays asked for are recorded in ``wa.state`` as ``retry_sleeps``)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_REGION", raising=False)
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


# --- a checklist and a review to sync --------------------------------------------------------------

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


def write_big_checklist(folder: Any) -> Any:
    """A checklist of 7 questions in 3 pillars (the stand-in pages ListAnswers by 3)."""
    from tests.helpers import write_checklist

    return write_checklist(
        folder, sources={"security.toml": _SECURITY, "operations.toml": _OPERATIONS}
    )


def build_review(path: Any, manifest: Any, workload: str = "Shop checkout") -> Any:
    """A review of the big checklist with 4 answered questions: choices with notes, evidence and
    a mitigation; choices; not applicable with a note; None of these. Three are unanswered."""
    from pathlib import Path

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
