"""The Well-Architected Tool client: boto3 with adaptive retries, errors turned into one line a
user can act on, and a dry run that records the calls instead of making them.

Credentials come only from the boto3 chain (``--profile``, ``AWS_*``, SSO, instance roles); orr
never reads, prints or writes them. boto3 is imported here, lazily, by `connect`.

Before any call, dry run or not, `WaClient.call` strips control characters from the text it
sends and checks the parameters against the service model (`orr.wat.params`): botocore checks
required members, unknown members, types and minimum lengths; orr checks, in addition, maximum
lengths, enums, patterns, integer ranges and list sizes, read from botocore's own service model
for ``wellarchitected``. A parameter that breaks one is an error (exit 2) and nothing is sent.

A dry run uses a real boto3 client too (so botocore's checks run as well), but an event hook
answers each call before anything is signed or sent: one JSON object per line,
``{"operation": "ImportLens", "params": {...}}``, goes to ``emit``. A ``JSONString`` parameter
(the lens, up to 500,000 bytes) is shown as its size and SHA-256 rather than in full; `orr lens
export` writes the same text to a file. The answers a dry run gets back are empty (no lenses, no
workloads, unanswered questions), so a dry run shows what a first run would do, with any ids
already remembered in the review or next to the manifest. A dry run needs no credentials and no
Region: without one it plans with the placeholder ``<region>``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orr import __version__
from orr.errors import AwsError
from orr.i18n import N_, _

DEFAULT_MAX_ATTEMPTS = 8
SERVICE = "wellarchitected"

# What to do when a quota is hit, per operation (the quotas of the WA Tool, per account and Region).
QUOTA_HINTS = {
    "ImportLens": N_(
        "15 custom lenses per account: delete one or push a new version of an existing lens"
    ),
    "CreateLensVersion": N_(
        "100 versions per lens: delete old versions in the WA Tool console, or give the lens a "
        "new name in the manifest to push it as a new lens"
    ),
    "CreateLensShare": N_("300 shares per lens: remove shares that are no longer needed"),
    "CreateWorkload": N_("the account holds as many workloads as it may: delete unused workloads"),
    "AssociateLenses": N_(
        "20 lenses per workload: disassociate a lens the workload no longer uses"
    ),
    "CreateMilestone": N_(
        "100 milestones per workload: sync without --milestone, or use another workload"
    ),
}

_NO_CREDENTIALS = N_(
    "no AWS credentials found: use {profile}, set AWS_PROFILE, or sign in "
    "(aws sso login / aws configure); orr reads the standard AWS chain and never stores them"
)


@dataclass(frozen=True)
class Inputs:
    """How a front end names what the user gives, so that an error says where to fix it: the
    command line's options by default; the terminal app names its fields."""

    region: str = "--region"  # where the Region is given
    give_region: str = "pass --region"  # how to give one
    profile: str = "--profile"
    give_profile: str = "--profile NAME"  # how to give one
    endpoint: str = "--endpoint-url"
    version: str = "--publish"  # where the version to publish is given
    publish: str = "orr wat push-lens --publish VERSION"  # how to publish the lens


CLI_INPUTS = Inputs()
DRY_REGION = "<region>"


class WaError(AwsError):
    """An error the service returned: its code (``ConflictException``...) and the operation."""

    def __init__(self, message: str, *, code: str = "", operation: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


@dataclass
class WaClient:
    """One Well-Architected Tool client for one target (region, and endpoint when given).

    `call` makes an API call by its operation name (``"ImportLens"``) and returns the parsed
    response; every failure is raised as `AwsError` (exit 3) with one clear line.
    """

    client: Any
    region: str
    endpoint_url: str | None = None
    dry_run: bool = False
    emit: Callable[[str], None] | None = None
    recorded: list[dict[str, Any]] = field(default_factory=list)
    hints: dict[tuple[str, str], str] = field(default_factory=dict)
    inputs: Inputs = CLI_INPUTS

    @property
    def target(self) -> str:
        """Where calls go: the Region, and the endpoint when one was given."""
        return f"{self.region} {self.endpoint_url}" if self.endpoint_url else self.region

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        from botocore import xform_name

        from orr.wat.params import clean_params, raise_if_invalid

        params = clean_params(params)
        raise_if_invalid(operation, params, self.client.meta.service_model, dry_run=self.dry_run)
        if self.dry_run:
            line = {"operation": operation, "params": printable_params(params)}
            self.recorded.append(line)
            if self.emit is not None:
                self.emit(json.dumps(line, ensure_ascii=False, sort_keys=False))
        method = getattr(self.client, xform_name(operation))
        try:
            response: dict[str, Any] = method(**params)
        except Exception as exc:  # botocore raises many unrelated classes; map them all here
            raise map_error(exc, operation, self) from None
        response.pop("ResponseMetadata", None)
        return response


def printable_params(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters as a dry run prints them: a JSONString as its size and SHA-256."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key == "JSONString" and isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            digest = hashlib.sha256(data).hexdigest()
            out[key] = f"<lens JSON: {len(data)} bytes, sha256 {digest}>"
        else:
            out[key] = value
    return out


# --- errors ----------------------------------------------------------------------------------------


def _fields(response: dict[str, Any]) -> str:
    fields = response.get("Fields") or []
    named = [
        f"{f.get('Name', '?')}: {f.get('Message', '').strip()}".rstrip(": ")
        for f in fields
        if isinstance(f, dict)
    ]
    return "; ".join(named)


def map_error(exc: Exception, operation: str, client: WaClient | None = None) -> AwsError:
    """One line for any failure of a call (credentials, network, or an error of the service)."""
    from botocore import exceptions as bex

    where = client.endpoint_url if client and client.endpoint_url else _("the WA Tool")
    inputs = client.inputs if client else CLI_INPUTS
    if isinstance(exc, bex.NoCredentialsError | bex.PartialCredentialsError):
        return AwsError(_(_NO_CREDENTIALS).format(profile=inputs.give_profile))
    if isinstance(exc, bex.ProfileNotFound | bex.NoRegionError):
        return AwsError(str(exc))
    if isinstance(
        exc, bex.SSOTokenLoadError | bex.UnauthorizedSSOTokenError | bex.TokenRetrievalError
    ):
        return AwsError(
            _("the AWS SSO session has expired or is missing: run aws sso login ({error})").format(
                error=exc
            )
        )
    if isinstance(exc, bex.ParamValidationError):
        text = " ".join(str(exc).split())
        return AwsError(
            _("{operation}: orr built an invalid request ({error}): please report it").format(
                operation=operation, error=text
            )
        )
    if isinstance(exc, bex.EndpointConnectionError | bex.ConnectionClosedError):
        return AwsError(
            _(
                "{operation}: cannot reach {where}: check the network, {region} and {endpoint}"
            ).format(
                operation=operation, where=where, region=inputs.region, endpoint=inputs.endpoint
            )
        )
    if isinstance(exc, bex.ConnectTimeoutError | bex.ReadTimeoutError):
        return AwsError(
            _("{operation}: {where} did not answer in time: try again").format(
                operation=operation, where=where
            )
        )
    if isinstance(exc, bex.ClientError):
        return _client_error(exc, operation, client)
    if isinstance(exc, bex.BotoCoreError):
        return AwsError(f"{operation}: {' '.join(str(exc).split())}")
    raise exc


def _client_error(exc: Any, operation: str, client: WaClient | None) -> AwsError:
    response: dict[str, Any] = exc.response
    error = response.get("Error", {})
    code = str(error.get("Code", "") or "")
    message = " ".join(str(error.get("Message") or response.get("Message") or "").split())
    attempts = response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
    hint = client.hints.get((operation, code)) if client else None
    said = f" ({message})" if message else ""
    if code in ("ThrottlingException", "TooManyRequestsException", "Throttling"):
        text = _(
            "{operation}: throttled by the WA Tool after {attempts} attempt(s): wait a minute "
            "and run the command again"
        ).format(operation=operation, attempts=attempts + 1)
    elif code == "ServiceQuotaExceededException":
        quota = _(QUOTA_HINTS.get(operation, N_("a quota of the WA Tool is reached")))
        text = _("{operation}: quota exceeded: {quota}{said}").format(
            operation=operation, quota=quota, said=said
        )
    elif code == "AccessDeniedException" or code in ("AccessDenied", "UnauthorizedOperation"):
        text = _(
            "{operation}: access denied: the identity in use lacks the IAM permission "
            "{permission} (docs/aws.md lists the policy of each command){said}"
        ).format(operation=operation, permission=f"{SERVICE}:{operation}", said=said)
    elif code == "ValidationException":
        fields = _fields(response)
        text = _("{operation}: the WA Tool rejected the request: {message}").format(
            operation=operation, message=message or _("invalid input")
        )
        if fields:
            text += _(" (fields: {fields})").format(fields=fields)
    elif code == "ConflictException":
        rid = response.get("ResourceId")
        kind = response.get("ResourceType")
        what = f" [{kind} {rid}]" if rid and kind else ""
        text = _("{operation}: conflict: {message}{what}").format(
            operation=operation, message=message or _("the resource changed"), what=what
        )
    elif code == "ResourceNotFoundException":
        text = _("{operation}: not found: {message}").format(
            operation=operation, message=message or _("no such resource")
        )
    elif code in (
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
    ):
        text = _(
            "{operation}: the AWS credentials were refused ({code}): they are expired or for "
            "another partition; sign in again"
        ).format(operation=operation, code=code)
    elif code == "InternalServerException" or code.startswith("5"):
        text = _(
            "{operation}: the WA Tool failed (InternalServerException): try again later"
        ).format(operation=operation)
    else:
        text = f"{operation}: {code or _('error')}{said}"
    if hint:
        text += f": {hint}"
    return WaError(text, code=code, operation=operation)


# --- connecting ------------------------------------------------------------------------------------


_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def is_aws_region(name: str) -> bool:
    return bool(_REGION.match(name))


def connect(
    *,
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    dry_run: bool = False,
    emit: Callable[[str], None] | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    inputs: Inputs = CLI_INPUTS,
) -> WaClient:
    """A client from the standard boto3 chain, with adaptive retries (throttling is retried with
    backoff and client-side rate limiting). ``inputs`` say where the user gives the Region,
    profile and endpoint (the CLI's options by default; the terminal app names its fields).

    A dry run needs no Region: it plans with the placeholder `DRY_REGION`."""
    import boto3
    from botocore import exceptions as bex
    from botocore.config import Config

    try:
        session = boto3.session.Session(profile_name=profile)
    except bex.ProfileNotFound:
        raise AwsError(
            _("{option} {profile}: no such profile in the AWS config (~/.aws/config)").format(
                option=inputs.profile, profile=profile
            )
        ) from None
    chosen = region or session.region_name
    if not chosen and dry_run:
        chosen = DRY_REGION
    if not chosen:
        raise AwsError(
            _("no AWS Region: {give}, or set AWS_REGION (or a region in the profile)").format(
                give=inputs.give_region
            )
        )
    # The placeholder is no Region botocore can resolve an endpoint for; nothing is sent anyway.
    client_region = "us-east-1" if chosen == DRY_REGION else chosen
    config = Config(
        # total_max_attempts counts the first attempt too (max_attempts would count retries).
        retries={"mode": "adaptive", "total_max_attempts": max(1, max_attempts)},
        user_agent_extra=f"orr/{__version__}",
        connect_timeout=10,
        read_timeout=60,
    )
    try:
        client = session.client(
            "wellarchitected", region_name=client_region, endpoint_url=endpoint_url, config=config
        )
    except ValueError as exc:  # an endpoint url that is not a url
        raise AwsError(f"{inputs.endpoint} {endpoint_url}: {exc}") from None
    except bex.BotoCoreError as exc:
        raise AwsError(" ".join(str(exc).split())) from None
    if dry_run:
        _answer_locally(client, chosen)
    return WaClient(
        client=client,
        region=chosen,
        endpoint_url=endpoint_url,
        dry_run=dry_run,
        emit=emit,
        inputs=inputs,
    )


def _answer_locally(client: Any, region: str) -> None:
    """Answer every call before it is signed or sent (the parameters are still validated)."""
    from botocore.awsrequest import AWSResponse
    from botocore.compat import HTTPHeaders

    def answer(model: Any, params: Any, **_: Any) -> tuple[Any, dict[str, Any]]:
        response = dry_run_response(model.name, params, region)
        return AWSResponse("", 200, HTTPHeaders(), None), response

    client.meta.events.register_first(f"before-call.{SERVICE}", answer)


def dry_lens_arn(region: str = DRY_REGION) -> str:
    """The ARN a dry run shows for a lens not imported yet, in the Region given."""
    return f"arn:aws:wellarchitected:{region}:<account>:lens/<new lens>"


DRY_LENS_ARN = dry_lens_arn()
# At least 32 characters, as botocore checks the minimum length of a workload id.
DRY_WORKLOAD_ID = "<workload id from CreateWorkload>"


def dry_run_response(operation: str, request: Any, region: str = DRY_REGION) -> dict[str, Any]:
    """What a dry run gets back: an empty account (no lenses, workloads or answers)."""
    body: dict[str, Any] = {}
    if isinstance(request, dict) and isinstance(request.get("body"), bytes | str):
        try:
            body = json.loads(request["body"] or "{}")
        except ValueError:
            body = {}
    if operation == "ImportLens":
        return {"LensArn": body.get("LensAlias") or dry_lens_arn(region), "Status": "COMPLETE"}
    if operation == "CreateLensVersion":
        return {"LensVersion": body.get("LensVersion", "")}
    fixed: dict[str, dict[str, Any]] = {
        "CreateWorkload": {"WorkloadId": DRY_WORKLOAD_ID},
        "CreateMilestone": {"MilestoneNumber": 1},
        "CreateLensShare": {"ShareId": "<new share>"},
    }
    # Lists come back empty and reads find nothing: the dry run sees an empty account.
    return dict(fixed.get(operation, {}))
