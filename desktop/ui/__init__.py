"""Thin Qt layer: turns core results into widgets and user actions into core calls."""
