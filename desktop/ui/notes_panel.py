"""'Mijn notities' for the selected intervention: a dated log, saved while the user types."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.workspace.store import STATUS_LABELS, STATUSES, NoteEntry, Workspace


def entry_title(entry: NoteEntry) -> str:
    status = STATUS_LABELS.get(entry.status or "", "Geen status")
    first = (entry.text or entry.outcome or entry.place or "").strip().splitlines()
    summary = first[0][:60] if first else "(nog leeg)"
    return f"{entry.entry_date or entry.created_at[:10]} · {status} · {summary}"


class NotesPanel(QWidget):
    """Emits `changed` after every save, so the list's note column and filters can follow."""

    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.intervention_id: str | None = None
        self.intervention_name = ""
        self.entry_id: str | None = None
        self._loading = False

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.add_button = QPushButton("Nieuwe notitie")
        self.add_button.setToolTip("Nieuwe notitie bij deze interventie (Ctrl+N)")
        self.add_button.setAccessibleName("Nieuwe notitie")
        self.add_button.clicked.connect(self.new_entry)
        self.delete_button = QPushButton("Verwijderen")
        self.delete_button.setAccessibleName("Notitie verwijderen")
        self.delete_button.clicked.connect(self.delete_entry)
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #2e7d32")
        self.saved.setAccessibleName("Opslagstatus")

        self.entries = QListWidget()
        self.entries.setAccessibleName("Notities bij deze interventie")
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.entries.currentItemChanged.connect(self._entry_selected)

        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.addItem("— geen status —", None)
        for key, label in STATUSES:
            self.status.addItem(label, key)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd-MM-yyyy")
        self.date.setAccessibleName("Datum")
        self.place = QLineEdit()
        self.place.setPlaceholderText("bijv. wijk Noord, basisschool De Vaart")
        self.place.setAccessibleName("Plaats of context")
        self.partners = QLineEdit()
        self.partners.setPlaceholderText("met wie: school, wijkteam, jongerenwerk…")
        self.partners.setAccessibleName("Partners")
        self.outcome = QPlainTextEdit()
        self.outcome.setPlaceholderText("Wat kwam eruit? Wat werkte wel of niet?")
        self.outcome.setAccessibleName("Resultaat of ervaring")
        self.outcome.setTabChangesFocus(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Vrije tekst")
        self.text.setAccessibleName("Vrije tekst")
        self.text.setTabChangesFocus(True)
        for editor in (self.outcome, self.text):
            editor.setMinimumHeight(56)

        form = QFormLayout()
        form.addRow("Status", self.status)
        form.addRow("Datum", self.date)
        form.addRow("Plaats / context", self.place)
        form.addRow("Met wie", self.partners)
        form.addRow("Resultaat / ervaring", self.outcome)
        form.addRow("Notitie", self.text)
        form_body = QWidget()
        form_body.setLayout(form)
        self.form = QScrollArea()
        self.form.setWidget(form_body)
        self.form.setWidgetResizable(True)
        self.form.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form.setMinimumHeight(150)
        self.hint = QLabel("Nog geen notities. Klik op ‘Nieuwe notitie’ (Ctrl+N) om vast te leggen wat u met deze "
                           "interventie deed of van plan bent. Alles wordt direct bewaard, alleen op deze computer.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555")

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.entries)
        layout.addWidget(self.form, 10)
        layout.addStretch(1)

        self.status.currentIndexChanged.connect(lambda _i: self._save("status", self.status.currentData()))
        self.date.dateChanged.connect(lambda d: self._save("entry_date", d.toString("yyyy-MM-dd")))
        self.place.textChanged.connect(lambda t: self._save("place", t))
        self.partners.textChanged.connect(lambda t: self._save("partners", t))
        self.outcome.textChanged.connect(lambda: self._save("outcome", self.outcome.toPlainText()))
        self.text.textChanged.connect(lambda: self._save("text", self.text.toPlainText()))
        shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self._new_if_visible)
        self.set_intervention(None, "")

    # --- public -----------------------------------------------------------------------------
    def set_intervention(self, intervention_id: str | None, name: str) -> None:
        self.intervention_id = intervention_id
        self.intervention_name = name
        self.saved.clear()
        if intervention_id is None:
            self.title.setText("<b>Mijn notities</b> — kies een interventie")
        else:
            self.title.setText(f"<b>Mijn notities</b> bij {escape(name)}")
        self._reload()

    def _reload(self, select: str | None = None) -> None:
        self._loading = True
        try:
            self.entries.clear()
            found = self.workspace.entries_for(self.intervention_id) if self.intervention_id else []
            for entry in found:
                item = QListWidgetItem(entry_title(entry))
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.entries.addItem(item)
            self.add_button.setEnabled(self.intervention_id is not None)
            self.entries.setVisible(bool(found))
            rows = min(max(len(found), 1), 4)
            self.entries.setFixedHeight(rows * (self.entries.fontMetrics().height() + 6) + 6)
        finally:
            self._loading = False
        target = select or (found[0].id if found else None)
        for row in range(self.entries.count()):
            if self.entries.item(row).data(Qt.ItemDataRole.UserRole) == target:
                self.entries.setCurrentRow(row)
                break
        else:
            self._show_entry(None)

    def new_entry(self) -> None:
        if self.intervention_id is None:
            return
        entry = self.workspace.add_entry(
            self.intervention_id, self.intervention_name, entry_date=QDate.currentDate().toString("yyyy-MM-dd")
        )
        self._reload(select=entry.id)
        self.status.setFocus()
        self.changed.emit()

    def delete_entry(self) -> None:
        if self.entry_id is None:
            return
        answer = QMessageBox.question(
            self, "Notitie verwijderen", "Deze notitie definitief verwijderen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.workspace.delete_entry(self.entry_id)
        self._reload()
        self.changed.emit()

    # --- internals --------------------------------------------------------------------------
    def _new_if_visible(self) -> None:
        if self.isVisible():
            self.new_entry()

    def _entry_selected(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if self._loading:
            return
        entry_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._show_entry(self.workspace.entry(entry_id) if entry_id else None)

    def _show_entry(self, entry: NoteEntry | None) -> None:
        self._loading = True
        try:
            self.entry_id = entry.id if entry else None
            self.form.setEnabled(entry is not None)
            self.form.setVisible(entry is not None)
            self.hint.setVisible(entry is None and self.intervention_id is not None)
            self.delete_button.setEnabled(entry is not None)
            self.status.setCurrentIndex(max(0, self.status.findData(entry.status if entry else None)))
            date = QDate.fromString(entry.entry_date or "", "yyyy-MM-dd") if entry else QDate()
            self.date.setDate(date if date.isValid() else QDate.currentDate())
            self.place.setText(entry.place or "" if entry else "")
            self.partners.setText(entry.partners or "" if entry else "")
            self.outcome.setPlainText(entry.outcome or "" if entry else "")
            self.text.setPlainText(entry.text or "" if entry else "")
        finally:
            self._loading = False

    def _save(self, field: str, value: object) -> None:
        """Every change is written at once: there is no Save button to forget."""
        if self._loading or self.entry_id is None:
            return
        self.workspace.update_entry(self.entry_id, **{field: None if value is None else str(value)})
        entry = self.workspace.entry(self.entry_id)
        item = self.entries.currentItem()
        if entry is not None and item is not None:
            item.setText(entry_title(entry))
        self.saved.setText("Opgeslagen")
        self.changed.emit()

