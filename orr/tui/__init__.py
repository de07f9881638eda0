"""The terminal app (Textual): `orr [WORKSPACE]` and `orr open REVIEW`.

`orr.review.session` and `orr.review.workspace` hold what the app does, without Textual; the screens
and widgets only show it and turn keys into those calls.
"""
