"""Beeld › Achtergrond: the background texts of the model, searchable, in their own window.

The window lists the source documents with their texts, filters them as the user types and shows
one text with the words marked. Links to bouwstenen, beschermende factoren and interventions go
back to the main window through the `link_activated` signal.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.search.background import background_contents, background_text, search_background
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import query_terms
from desktop.core.text import count
from desktop.ui import detail_html
from desktop.ui.browser import SafeBrowser

TOPIC_ROLE = Qt.ItemDataRole.UserRole + 1


class BackgroundWindow(QDialog):
    link_activated = Signal(QUrl)

    def __init__(self, repo: ModelRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Achtergrond")  # Qt adds " — Bouwstenen"
        self.setWindowFlag(Qt.WindowType.Window, True)  # its own window: read it beside the model
        self.repo = repo
        self.current: str | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek in de achtergrond, bijvoorbeeld ‘veerkracht’ of ‘triggerfactoren’")
        self.search.setAccessibleName("Zoeken in de achtergrond")
        self.search.setClearButtonEnabled(True)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(150)
        self._typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._typing.start())
        self.found = QLabel()

        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setAccessibleName("Inhoud van de achtergrond")
        self.contents.currentItemChanged.connect(self._selected)

        self.text = SafeBrowser()
        self.text.setAccessibleName("Achtergrondtekst")
        self.text.anchorClicked.connect(self.link_activated)

        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.text)
        split.setStretchFactor(1, 2)
        split.setSizes([320, 620])
        layout = QVBoxLayout(self)
        intro = QLabel("Wat de andere bronnen van het model zeggen over veerkracht, risico- en triggerfactoren, "
                       "beschermende programma’s en aanbevelingen. Onder elke tekst staat uit welk document hij komt.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.found)
        layout.addWidget(split, 1)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.search.setFocus)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(980, 680)

    def set_repository(self, repo: ModelRepository) -> None:
        """After a model update: the texts of the new model."""
        self.repo = repo
        self.refresh()

    def refresh(self) -> None:
        self._typing.stop()  # shown now; a pending refresh would only repeat it
        query = self.search.text()
        visible = set(search_background(self.repo, query))
        keep = self.current
        self.contents.blockSignals(True)
        self.contents.clear()
        first: QTreeWidgetItem | None = None
        chosen: QTreeWidgetItem | None = None
        for document in background_contents(self.repo):
            entries = [e for e in document.entries if e.id in visible]
            if not entries:
                continue
            top = QTreeWidgetItem([document.title])
            top.setToolTip(0, document.credit or document.title)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.contents.addTopLevelItem(top)
            groups: dict[str, QTreeWidgetItem] = {}
            for entry in entries:
                parent = top
                if entry.group and entry.group != entry.title:
                    if entry.group not in groups:
                        groups[entry.group] = QTreeWidgetItem(top, [entry.group])
                        groups[entry.group].setFlags(Qt.ItemFlag.ItemIsEnabled)
                    parent = groups[entry.group]
                item = QTreeWidgetItem(parent, [entry.title])
                item.setData(0, TOPIC_ROLE, entry.id)
                item.setToolTip(0, entry.title)
                first = first or item
                if entry.id == keep:
                    chosen = item
        self.contents.expandAll()
        self.contents.blockSignals(False)
        self.found.setText(count(len(visible), "tekst gevonden", "teksten gevonden") if query.strip() else "")
        target = chosen or first
        if target is None:
            self.current = None
            self.text.setPlainText("Geen achtergrondtekst bevat deze woorden." if query.strip() else
                                   "Dit model heeft geen achtergrondteksten.")
            return
        self.contents.setCurrentItem(target)
        self.contents.scrollToItem(target)
        self._show(str(target.data(0, TOPIC_ROLE)))

    def hideEvent(self, event: QHideEvent) -> None:
        self._typing.stop()  # a closed window never reads the model again (it may be closed too)
        super().hideEvent(event)

    def show_topic(self, topic_id: str) -> None:
        """Open at one text (from a link in a bouwsteen or beschermende factor)."""
        self.current = topic_id
        if self.search.text():
            self.search.clear()  # refreshes via the timer; show the text now as well
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()

    def _selected(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        topic = item.data(0, TOPIC_ROLE) if item is not None else None
        if topic:
            self._show(str(topic))

    def _show(self, topic_id: str) -> None:
        found = background_text(self.repo, topic_id)
        if found is None:
            return
        self.current = topic_id
        self.text.setHtml(detail_html.background_html(found, query_terms(self.search.text())))
