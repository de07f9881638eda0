"""The same flow against a real AWS account: push and publish a lens, sync a review (twice),
fetch the report; then delete what was made. Skipped unless ORR_AWS_TEST=1 and credentials are
set (the test suite otherwise hides the machine's AWS settings)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.wa_standin import build_review, write_big_checklist

# Read at import, before the suite's autouse fixture hides the machine's AWS settings.
_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "HOME",
)
_REAL_ENV = {k: os.environ[k] for k in _AWS_VARS if k in os.environ}
_ENABLED = os.environ.get("ORR_AWS_TEST") == "1" and (
    "AWS_PROFILE" in _REAL_ENV or "AWS_ACCESS_KEY_ID" in _REAL_ENV
)

pytestmark = [
    pytest.mark.aws,
    pytest.mark.skipif(not _ENABLED, reason="set ORR_AWS_TEST=1 and AWS credentials to run"),
]


def test_push_sync_report_against_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in _REAL_ENV.items():
        monkeypatch.setenv(key, value)
    from orr.wat.client import connect
    from orr.wat.lens import delete_lens, push_lens
    from orr.wat.report import lens_review_report
    from orr.wat.sync import sync_review
    from orr.wat.workload import delete_workload, list_milestones

    tag = uuid.uuid4().hex[:8]
    manifest = write_big_checklist(tmp_path / "checklists")
    text = manifest.read_text()
    manifest.write_text(text.replace('name = "Test checklist"', f'name = "orr test {tag}"'))
    review = build_review(tmp_path / "review.toml", manifest, workload=f"orr test {tag}")
    client = connect(region=_REAL_ENV.get("AWS_REGION") or _REAL_ENV.get("AWS_DEFAULT_REGION"))
    raw = client.client
    pushed = None
    workload_id = None
    try:
        pushed = push_lens(manifest, client, publish="1.0")
        assert pushed.created and pushed.version == "1.0"
        first = sync_review(review, client, who="orr test", milestone="orr test 1")
        workload_id = first.workload_id
        assert first.created_workload and len(first.updated) == 4
        assert first.lens_version == "1.0"
        # The real service may store notes differently: a second sync still sends nothing.
        second = sync_review(review, client, who="orr test")
        assert second.updated == [] and not second.created_workload
        again = push_lens(manifest, client, publish="1.1")
        assert again.arn == pushed.arn and not again.created
        third = sync_review(review, client, who="orr test")
        assert third.updated == [] and third.lens_version in ("1.0", "1.1")
        assert [m.name for m in list_milestones(review, client)] == ["orr test 1"]
        out = tmp_path / "report.pdf"
        report = lens_review_report(review, client, out)
        assert out.read_bytes().startswith(b"%PDF") and report.size > 0
        delete_workload(review, client, who="orr test")
        workload_id = None
        delete_lens(client, pushed.arn)
        pushed = None
    finally:
        if workload_id:
            raw.delete_workload(WorkloadId=workload_id)
        if pushed is not None:
            raw.delete_lens(LensAlias=pushed.arn, LensStatus="ALL")
