"""orr: operational readiness reviews in a terminal."""

__version__ = "0.1.0"
