"""Dialogs: each a `ModalScreen` returning a typed result (None when cancelled), grouped by what
they edit: the answer, findings, the review itself."""
