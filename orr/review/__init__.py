"""The review core: the review file model, storage (atomic, locked, merging), the launch gate,
operations shared by the CLI and the TUI, diff and the Markdown report."""
