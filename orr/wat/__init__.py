"""The Well-Architected Tool over boto3: push, publish and share the checklist's custom lens, sync
reviews with workloads, pull answers and lenses back, and fetch the PDF report.

- `orr.wat.client`: `connect` (boto3 with adaptive retries, or a dry run) and the error mapping.
- `orr.wat.lens`: `push_lens`, `share_lens`, `pull_lens`.
- `orr.wat.sync`: `sync_review`, `pull_review`.
- `orr.wat.report`: `lens_review_report`.
- `orr.wat.answers`: a review answer in the WA Tool's terms (notes, fingerprints).
- `orr.wat.memory`: `.orr-wat.toml`, the lens ARN remembered next to the manifest.

boto3 is imported only when a client is made, never by importing this package.
"""
