"""The WA Tool's PDF report of a synced review's lens review, and its risk counts."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path

from orr.errors import AwsError, InputError
from orr.i18n import _
from orr.tomlfile import display_path, write_atomic
from orr.wat.client import WaClient

RISKS = ("HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE", "UNANSWERED")


@dataclass
class ReportResult:
    path: Path | None  # None on a dry run
    size: int
    milestone: int | None
    risk_counts: dict[str, int] = field(default_factory=dict)


def lens_review_report(
    review_path: str | Path,
    client: WaClient,
    out: str | Path,
    *,
    milestone: str | None = None,
) -> ReportResult:
    """Write the PDF report of the review's workload (its lens review, or a milestone's) to
    ``out``, and return the risk counts of the same lens review."""
    from orr.review.store import load_review
    from orr.wat.sync import milestone_number, wat_ids

    path = Path(review_path)
    review = load_review(path)
    workload_id, lens_arn = wat_ids(review)
    if not workload_id or not lens_arn:
        raise InputError(
            _("{path}: not synced with the WA Tool yet: run orr wat sync {path} first").format(
                path=display_path(path)
            )
        )
    number = milestone_number(review, milestone)
    target = Path(out)
    if target.is_dir():
        raise InputError(
            _("-o {path}: is a folder: give the PDF file's name").format(path=display_path(target))
        )
    params: dict[str, object] = {"WorkloadId": workload_id, "LensAlias": lens_arn}
    if number is not None:
        params["MilestoneNumber"] = number
    response = client.call("GetLensReviewReport", **params)
    summary = client.call("GetLensReview", **params).get("LensReview", {})
    counts = {k: int(v) for k, v in (summary.get("RiskCounts") or {}).items()}
    if client.dry_run:
        return ReportResult(None, 0, number, counts)
    encoded = (response.get("LensReviewReport") or {}).get("Base64String")
    if not isinstance(encoded, str) or not encoded:
        raise AwsError(_("GetLensReviewReport: the WA Tool returned no report: try again later"))
    try:
        pdf = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise AwsError(
            _("GetLensReviewReport: the report is not valid base64: try again")
        ) from None
    if not pdf.startswith(b"%PDF"):
        raise AwsError(_("GetLensReviewReport: the WA Tool returned something that is not a PDF"))
    try:
        write_atomic(target, pdf)
    except OSError as exc:
        raise InputError(
            _("{path}: cannot write ({error})").format(
                path=display_path(target), error=exc.strerror
            )
        ) from None
    return ReportResult(target, len(pdf), number, counts)
