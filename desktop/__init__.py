"""Bouwstenen: the bouwstenenmodel for preventing radicalisation, on the desktop."""

__version__ = "0.1.0"
