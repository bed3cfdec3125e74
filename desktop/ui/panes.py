"""Panes next to (or above) each other in a splitter: the one way the windows divide their space."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget


def panes(orientation: Qt.Orientation, widgets: Sequence[QWidget], stretch: Sequence[int],
          sizes: list[int] | None = None) -> QSplitter:
    """`widgets` in a splitter with these stretch factors (and starting sizes); none can be dragged shut,
    because a collapsed pane looks like a missing one."""
    splitter = QSplitter(orientation)
    for position, (widget, factor) in enumerate(zip(widgets, stretch, strict=True)):
        splitter.addWidget(widget)
        splitter.setStretchFactor(position, factor)
    if sizes is not None:
        splitter.setSizes(sizes)
    splitter.setChildrenCollapsible(False)
    return splitter
