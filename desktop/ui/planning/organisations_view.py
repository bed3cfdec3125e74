"""Organisations and practice examples (seed 002): a searchable list with details.

Typing filters the list at once (accents and capitals ignored). The details show every text as plain
text; a website is opened in the browser only when the user clicks it, and only an http(s) address.
The bouwstenen and factors an entry is linked to can be opened in the main window (`open_node`).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, unquote

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.planning.directory import DirectoryEntry, directory, filter_directory
from desktop.core.search.repository import ModelRepository
from desktop.core.text import count, is_web_url
from desktop.ui.browser import SafeBrowser
from desktop.ui.panes import panes
from desktop.ui.planning import open_web_link, pane

ENTRY_ROLE = Qt.ItemDataRole.UserRole
INTERNAL = "bouwstenen"


def _linked(text: str) -> str:
    """Escaped text with line breaks; http(s) addresses in it become links (followed only on a click)."""
    import re

    out, last = [], 0
    for match in re.finditer(r"https?://[^\s<>\"')\]]+", text):
        url = match.group().rstrip(".,;:")
        out.append(escape(text[last:match.start()]))
        out.append(f'<a href="{escape(url, quote=True)}">{escape(url)}</a>' if is_web_url(url) else escape(url))
        last = match.start() + len(url)
    out.append(escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def entry_html(entry: DirectoryEntry) -> str:
    out = [f"<h2>{escape(entry.title)}</h2>", f'<p style="color:#555">{escape(entry.kind_label)}'
           + (f" · {escape(entry.group)}" if entry.group else "") + "</p>"]
    if entry.url:
        website = (f'<a href="{escape(entry.url, quote=True)}">{escape(entry.url)}</a>' if is_web_url(entry.url)
                   else f"{escape(entry.url)} <span style=\"color:#777\">(geen http- of https-adres; wordt niet "
                   "geopend)</span>")
        out.append(f"<p><b>Website:</b> {website}</p>")
    parts = []
    for link in entry.links:
        kind = "bouwsteen" if link.kind == "block" else "beschermende factor"
        if link.in_model:
            parts.append(f'{escape(kind)} <a href="{INTERNAL}:{link.kind}/{quote(link.id)}">{escape(link.name)}</a>')
        else:
            parts.append(f"{escape(kind)} {escape(link.name)} (niet in dit model)")
    out.append("<p><b>Hoort bij:</b> " + (" · ".join(parts) if parts else
               '<span style="color:#555">het rapport koppelt dit niet aan een bouwsteen of beschermende '
               "factor</span>") + "</p>")
    for label, value in entry.fields:
        if label in ("Rubriek", "Website"):
            continue
        paragraphs = [p for p in value.split("\n\n") if p.strip()]
        out.append(f"<h3>{escape(label)}</h3>" + "".join(f"<p>{_linked(p.strip())}</p>" for p in paragraphs))
    return "".join(out)


class OrganisationsView(QWidget):
    """Aanpak › Organisaties en praktijkvoorbeelden…: a top-level window."""

    open_node = Signal(str, str)  # ("block" | "cluster", id): show it in the main window

    def __init__(self, repo: ModelRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Organisaties en praktijkvoorbeelden")
        self.resize(1100, 720)
        self.repo = repo
        self.entries = directory(repo)
        self.current: DirectoryEntry | None = None

        self.search = QLineEdit()
        self.search.setAccessibleName("Zoeken in organisaties en praktijkvoorbeelden")
        self.search.setPlaceholderText("Zoek op naam, plaats, onderwerp of factor, bijv. jeugd of Tilburg")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self._first)
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Aantal gevonden")
        self.list = QListWidget()
        self.list.setAccessibleName("Organisaties en praktijkvoorbeelden")
        self.list.currentItemChanged.connect(lambda current, _previous: self._show(current))
        self.details = SafeBrowser()
        self.details.setAccessibleName("Details")
        self.details.anchorClicked.connect(self._anchor)
        self.website_button = QPushButton("Website openen")
        self.website_button.setAccessibleName("Website openen in de browser")
        self.website_button.clicked.connect(lambda _c=False: self.open_website())
        self.status = QLabel()
        self.status.setAccessibleName("Melding")
        self.status.setStyleSheet("color: #555")
        close = QPushButton("Sluiten")
        close.setAccessibleName("Venster sluiten")
        close.clicked.connect(self.close)

        left, lv = pane()
        lv.addWidget(self.result_label)
        lv.addWidget(self.list, 1)
        right, rv = pane()
        rv.addWidget(self.details, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.website_button)
        buttons.addWidget(self.status, 1)
        rv.addLayout(buttons)
        splitter = panes(Qt.Orientation.Horizontal, (left, right), (2, 3), [420, 640])
        intro = QLabel("Kennis- en adviesorganisaties en goede voorbeelden uit de praktijk, uit de publicatie "
                       "‘Weerbare jongeren, weerbare professionals’. Kies er een voor de details.")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        search_label = QLabel("&Zoeken:")
        search_label.setBuddy(self.search)
        row = QHBoxLayout()
        row.addWidget(search_label)
        row.addWidget(self.search, 1)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        QShortcut(QKeySequence("Escape"), self, self.close)
        self.apply_filter("")

    def visible_titles(self) -> list[str]:
        """The titles the list shows now (for tests and the main search)."""
        return [str(self.list.item(i).data(ENTRY_ROLE + 1)) for i in range(self.list.count())
                if self.list.item(i).data(ENTRY_ROLE) is not None]

    def apply_filter(self, text: str) -> None:
        keep = self.current.id if self.current else None
        found = filter_directory(self.entries, text)
        organisations = [e for e in found if e.kind == "organisation"]
        examples = [e for e in found if e.kind == "practice_example"]
        self.list.clear()
        select: QListWidgetItem | None = None
        heading = QFont(self.list.font())
        heading.setBold(True)
        last_group: str | None = None
        for entry in organisations:
            group = f"Organisaties · {entry.group}" if entry.group else "Organisaties"
            if group != last_group:
                self._heading(group, heading)
                last_group = group
            select = self._add(entry, keep) or select
        if examples:
            self._heading("Praktijkvoorbeelden", heading)
            for entry in examples:
                select = self._add(entry, keep) or select
        total = len(found)
        if text.strip():
            self.result_label.setText(f"{count(total, 'resultaat', 'resultaten')} voor ‘{text.strip()}’: "
                                      f"{len(organisations)} organisaties, {len(examples)} praktijkvoorbeelden")
        else:
            self.result_label.setText(f"{len(organisations)} organisaties en {len(examples)} praktijkvoorbeelden")
        if total == 0:
            empty = QListWidgetItem("Niets gevonden. Probeer een ander woord.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        if select is None:
            select = next((self.list.item(i) for i in range(self.list.count())
                           if self.list.item(i).data(ENTRY_ROLE) is not None), None)
        if select is not None:
            self.list.setCurrentItem(select)
        else:
            self._show(None)

    def _heading(self, text: str, font: QFont) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setFont(font)
        item.setForeground(QBrush(QColor("#1d3f66")))
        self.list.addItem(item)

    def _add(self, entry: DirectoryEntry, keep: str | None) -> QListWidgetItem | None:
        item = QListWidgetItem(f"    {entry.title}")
        item.setData(ENTRY_ROLE, entry.id)
        item.setData(ENTRY_ROLE + 1, entry.title)
        item.setToolTip(entry.title)
        self.list.addItem(item)
        return item if entry.id == keep else None

    def _first(self) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ENTRY_ROLE) is not None:
                self.list.setCurrentRow(i)
                self.details.setFocus()
                return

    def _show(self, item: QListWidgetItem | None) -> None:
        entry_id = item.data(ENTRY_ROLE) if item is not None else None
        self.current = next((e for e in self.entries if e.id == entry_id), None) if entry_id else None
        if self.current is None:
            self.details.setHtml("")
            self.website_button.setEnabled(False)
            return
        self.details.setHtml(entry_html(self.current))
        url = self.current.url
        self.website_button.setEnabled(bool(url and is_web_url(url)))
        self.website_button.setVisible(bool(url))
        self.website_button.setToolTip(url or "Geen website bekend")
        self.status.setText("")

    def select(self, entry_id: str) -> bool:
        """Show the organisation or practice example with this id (clearing the filter if needed)."""
        for attempt in range(2):
            for i in range(self.list.count()):
                if self.list.item(i).data(ENTRY_ROLE) == entry_id:
                    self.list.setCurrentRow(i)
                    return True
            if attempt == 0:
                self.search.clear()
        return False

    def open_website(self) -> bool:
        url = self.current.url if self.current else None
        if url and open_web_link(url):
            self.status.setText(f"Geopend in de browser: {url}")
            return True
        self.status.setText("Deze website wordt niet geopend: alleen http- en https-adressen.")
        return False

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == INTERNAL:
            kind, _, target = url.path().partition("/")
            self.open_node.emit(kind, unquote(target))
            return
        text = url.toString()
        if url.scheme() in ("http", "https") and open_web_link(text):
            self.status.setText(f"Geopend in de browser: {text}")
        else:
            self.status.setText("Deze link wordt niet geopend: alleen http- en https-adressen.")
