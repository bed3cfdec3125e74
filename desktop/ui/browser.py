"""A text browser for untrusted text: escaped HTML only, no resources loaded, no link followed by itself."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget


class SafeBrowser(QTextBrowser):
    """Shows escaped HTML; never loads a resource (images, style sheets, files) and never follows a link by
    itself: the owner handles `anchorClicked`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None  # the model and imported files are untrusted

    def setSource(self, name: QUrl | str,
                  type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource) -> None:
        pass  # navigation is the owner's, through anchorClicked
