"""Thin Qt layer: turns core results into widgets and user actions into core calls."""

from desktop.ui.import_check import answer_from_bytes

answer_from_bytes()  # before the Qt layer's own imports (see import_check)
