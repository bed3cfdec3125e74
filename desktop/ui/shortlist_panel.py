"""Werksets: named shortlists of interventions for a local approach."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import WorkspaceError
from desktop.core.workspace.store import Workspace


class ShortlistPanel(QWidget):
    """`open_intervention` is emitted when the user activates an entry."""

    open_intervention = Signal(str)
    changed = Signal()

    def __init__(self, workspace: Workspace, is_known: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.is_known = is_known  # asked per entry shown: a start never reads every id of a large model
        self._loading = False

        self.lists = QComboBox()
        self.lists.setAccessibleName("Werkset")
        self.lists.currentIndexChanged.connect(lambda _i: self._load_items())
        new = QPushButton("Nieuw…")
        self.new_button = new
        new.setAccessibleName("Nieuwe werkset")
        new.clicked.connect(lambda _c=False: self.create_shortlist())
        self.rename_button = QPushButton("Hernoemen…")
        self.rename_button.clicked.connect(self.rename)
        self.delete_button = QPushButton("Verwijderen")
        self.delete_button.setAccessibleName("Werkset verwijderen")
        self.delete_button.clicked.connect(self.delete)

        self.items = QListWidget()
        self.items.setAccessibleName("Interventies in de werkset")
        self.items.currentItemChanged.connect(self._item_selected)
        self.items.itemActivated.connect(self._activate)
        self.up = QPushButton("Omhoog")
        self.up.setToolTip("Alt+Omhoog")
        self.up.setShortcut("Alt+Up")
        self.up.clicked.connect(lambda: self._move(-1))
        self.down = QPushButton("Omlaag")
        self.down.setToolTip("Alt+Omlaag")
        self.down.setShortcut("Alt+Down")
        self.down.clicked.connect(lambda: self._move(1))
        self.remove = QPushButton("Uit werkset")
        self.remove.clicked.connect(self._remove)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText("Opmerking bij deze interventie in de werkset")
        self.comment.setAccessibleName("Opmerking")
        self.comment.setMaximumHeight(80)
        self.comment.setTabChangesFocus(True)
        self.comment.textChanged.connect(self._save_comment)
        self.comment_warning = QLabel()
        self.comment_warning.setWordWrap(True)
        self.comment_warning.setStyleSheet("background: #fff1c2; color: #000; padding: 3px")
        self.comment_warning.setVisible(False)
        self.empty = QLabel("Nog geen werksets. Maak er een met ‘Nieuw…’ en voeg interventies toe met de knop "
                            "‘Aan werkset toevoegen’ bij een interventie.")
        self.empty.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.lists, 1)
        top.addWidget(new)
        manage = QHBoxLayout()
        manage.addWidget(self.rename_button)
        manage.addWidget(self.delete_button)
        manage.addStretch(1)
        order = QHBoxLayout()
        order.addWidget(self.up)
        order.addWidget(self.down)
        order.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(manage)
        layout.addWidget(self.empty)
        layout.addWidget(self.items, 1)
        layout.addLayout(order)
        layout.addWidget(self.comment)
        layout.addWidget(self.comment_warning)
        self.reload()

    def current_list(self) -> str | None:
        data = self.lists.currentData()
        return str(data) if data else None

    def reload(self, select: str | None = None) -> None:
        keep = select or self.current_list()
        self._loading = True
        try:
            self.lists.clear()
            for shortlist in self.workspace.shortlists():
                self.lists.addItem(shortlist.name, shortlist.id)
            index = self.lists.findData(keep) if keep else 0
            self.lists.setCurrentIndex(max(0, index))
        finally:
            self._loading = False
        has = self.lists.count() > 0
        editable = has and not self.workspace.read_only
        for widget in (self.rename_button, self.delete_button, self.up, self.down, self.remove, self.comment):
            widget.setEnabled(editable)
        self.items.setEnabled(has)
        self.new_button.setEnabled(not self.workspace.read_only)
        self.empty.setVisible(not has)
        self._load_items()

    def _load_items(self, select: str | None = None) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self.items.clear()
            shortlist = self.current_list()
            for item in self.workspace.items(shortlist) if shortlist else []:
                gone = not self.is_known(item.intervention_id)
                label = f"{item.position + 1}. {item.intervention_name}" + (" (niet meer in het model)" if gone else "")
                widget_item = QListWidgetItem(label)
                widget_item.setData(Qt.ItemDataRole.UserRole, item.intervention_id)
                widget_item.setData(Qt.ItemDataRole.UserRole + 1, item.comment or "")
                if item.comment:
                    widget_item.setToolTip(item.comment)
                self.items.addItem(widget_item)
                if item.intervention_id == select:
                    self.items.setCurrentItem(widget_item)
            self.comment.setPlainText(self._current_comment())
        finally:
            self._loading = False

    def _current_comment(self) -> str:
        item = self.items.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole + 1)) if item is not None else ""

    def _item_selected(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self.comment.setPlainText(self._current_comment())
        finally:
            self._loading = False

    def _activate(self, item: QListWidgetItem) -> None:
        self.open_intervention.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _save_comment(self) -> None:
        item = self.items.currentItem()
        shortlist = self.current_list()
        if self._loading or item is None or shortlist is None:
            return
        text = self.comment.toPlainText()
        try:
            self.workspace.set_comment(shortlist, str(item.data(Qt.ItemDataRole.UserRole)), text)
        except WorkspaceError as exc:
            self.comment_warning.setText(f"Niet opgeslagen: {exc}")
            self.comment_warning.setVisible(True)
            return
        self.comment_warning.setVisible(False)
        item.setData(Qt.ItemDataRole.UserRole + 1, text)
        item.setToolTip(text)

    def _move(self, offset: int) -> None:
        item = self.items.currentItem()
        shortlist = self.current_list()
        if item is None or shortlist is None:
            return
        intervention_id = str(item.data(Qt.ItemDataRole.UserRole))
        try:
            self.workspace.move_item(shortlist, intervention_id, offset)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Volgorde", str(exc))
            return
        self._load_items(select=intervention_id)
        self.items.setFocus()

    def _remove(self) -> None:
        item = self.items.currentItem()
        shortlist = self.current_list()
        if item is None or shortlist is None:
            return
        try:
            self.workspace.remove_item(shortlist, str(item.data(Qt.ItemDataRole.UserRole)))
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Uit werkset", str(exc))
            return
        self._load_items()
        self.changed.emit()

    def create_shortlist(self) -> str | None:
        name, ok = QInputDialog.getText(self, "Nieuwe werkset", "Naam van de werkset (bijv. ‘Aanpak wijk Noord 2027’):")
        if not ok or not name.strip():
            return None
        try:
            shortlist = self.workspace.create_shortlist(name)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Nieuwe werkset", str(exc))
            return None
        self.reload(select=shortlist.id)
        self.changed.emit()
        return shortlist.id

    def rename(self) -> None:
        shortlist = self.current_list()
        if shortlist is None:
            return
        name, ok = QInputDialog.getText(self, "Werkset hernoemen", "Nieuwe naam:", text=self.lists.currentText())
        if ok and name.strip():
            try:
                self.workspace.rename_shortlist(shortlist, name)
            except WorkspaceError as exc:
                QMessageBox.warning(self, "Werkset hernoemen", str(exc))
            self.reload(select=shortlist)

    def delete(self) -> None:
        shortlist = self.current_list()
        if shortlist is None:
            return
        answer = QMessageBox.question(
            self, "Werkset verwijderen",
            f"De werkset ‘{self.lists.currentText()}’ verwijderen? De interventies en uw notities blijven bestaan.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.workspace.delete_shortlist(shortlist)
            except WorkspaceError as exc:
                QMessageBox.warning(self, "Werkset verwijderen", str(exc))
            self.reload()
            self.changed.emit()

    def add(self, shortlist_id: str, intervention_id: str, name: str) -> bool:
        try:
            added = self.workspace.add_item(shortlist_id, intervention_id, name)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Aan werkset toevoegen", str(exc))
            return False
        self.reload(select=shortlist_id)
        self.changed.emit()
        return added
