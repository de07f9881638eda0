"""Widgets of the terminal app: data is set on them from above, they send messages up."""
