"""The Well-Architected Tool over boto3: push, publish and share the checklist's custom lens,
accept it in another account, sync reviews with workloads, pull answers and lenses back, and
fetch the PDF report.

- `orr.wat.client`: `connect` (boto3 with adaptive retries, or a dry run) and the error mapping.
- `orr.wat.params`: every call's parameters checked against botocore's service model (maxima,
  enums, patterns) before it is made, and control characters stripped from what is sent.
- `orr.wat.lens`: `push_lens`, `share_lens`, `accept_lens_shares`, `pull_lens`, deletes.
- `orr.wat.sync`: `sync_review`, `pull_review`.
- `orr.wat.workload`: the workload's parameters and updates, tags, shares, milestones, delete.
- `orr.wat.report`: `lens_review_report`.
- `orr.wat.answers`: a review answer in the WA Tool's terms (notes, practices not applicable,
  fingerprints).
- `orr.wat.state`: the review's ``[wat]`` table, and `lens_version_note` for `orr status`.
- `orr.wat.memory`: `.orr-wat.toml`, the lens ARN remembered next to the manifest.

boto3 is imported only when a client is made, never by importing this package.
"""
