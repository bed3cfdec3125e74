"""'Mijn notities' for the selected intervention: a dated log, saved while the user types.

A new note exists only once something is written in it (no empty notes). A save that fails (a full
disk, a write-protected stick, another window holding the file) is never shown as saved: the text
stays in the editor, a Dutch warning says why, and the panel tries again every few seconds until it
succeeds. `has_unsaved()` lets the window ask before it closes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import StorageError, WorkspaceError
from desktop.core.text import dutch_date
from desktop.core.workspace.store import NOTE_FIELDS, STATUS_LABELS, STATUSES, NoteEntry, Workspace
from desktop.ui.questions import question_box

RETRY_MS = 5000


def entry_title(entry: NoteEntry) -> str:
    status = STATUS_LABELS.get(entry.status or "", "Geen status")
    first = (entry.text or entry.outcome or entry.place or "").strip().splitlines()
    summary = first[0][:60] if first else "(nog leeg)"
    conflict = " · andere versie (import)" if entry.conflict_of else ""
    return f"{dutch_date(entry.entry_date or entry.created_at[:10])} · {status} · {summary}{conflict}"


@dataclass
class _Pending:
    """What the editor holds that the workspace does not have yet."""

    entry_id: str | None  # None: a note that is still to be created
    intervention_id: str
    intervention_name: str
    values: dict[str, str | None] = field(default_factory=dict)


class NotesPanel(QWidget):
    """Emits `changed` after every save, so the list's note column and filters can follow."""

    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.intervention_id: str | None = None
        self.intervention_name = ""
        self.entry_id: str | None = None
        self.draft = False  # a new note whose form is open but which has nothing in it yet
        self.pending: list[_Pending] = []
        self._loading = False
        self.last_error: StorageError | None = None

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.add_button = QPushButton("Nieuwe notitie")
        self.add_button.setToolTip("Nieuwe notitie bij deze interventie (Ctrl+N)")
        self.add_button.setAccessibleName("Nieuwe notitie")
        self.add_button.clicked.connect(self.new_entry)
        self.delete_button = QPushButton("Verwijderen")
        self.delete_button.setAccessibleName("Notitie verwijderen")
        self.delete_button.clicked.connect(self.delete_entry)
        self.saved = QLabel()
        self.saved.setAccessibleName("Opslagstatus")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setFrameShape(QFrame.Shape.StyledPanel)
        self.warning.setStyleSheet("background: #fff1c2; color: #000; padding: 4px")
        self.warning.setAccessibleName("Waarschuwing: niet opgeslagen")
        self.warning.setVisible(False)
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(self.retry)

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
        self.date.setDisplayFormat("d MMMM yyyy")
        self.date.setAccessibleName("Datum")
        self.place = QLineEdit()
        self.place.setPlaceholderText("bijv. wijk Noord, De Vaart")
        self.place.setAccessibleName("Plaats of context")
        self.partners = QLineEdit()
        self.partners.setPlaceholderText("school, wijkteam, jongerenwerk…")
        self.partners.setAccessibleName("Met wie")
        self.outcome = QPlainTextEdit()
        self.outcome.setPlaceholderText("Wat kwam eruit? Wat werkte wel of niet?")
        self.outcome.setAccessibleName("Resultaat of ervaring")
        self.outcome.setTabChangesFocus(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Vrije tekst")
        self.text.setAccessibleName("Notitie")
        self.text.setTabChangesFocus(True)
        for editor in (self.outcome, self.text):
            editor.setMinimumHeight(self.fontMetrics().height() * 3)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        cells: tuple[tuple[str, QWidget], ...] = (
            ("Status", self.status), ("Datum", self.date), ("Plaats", self.place), ("Met wie", self.partners))
        for position, (label, widget) in enumerate(cells):
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, position // 2, (position % 2) * 2)
            grid.addWidget(widget, position // 2, (position % 2) * 2 + 1)
        for row, (label, editor) in enumerate((("Resultaat", self.outcome), ("Notitie", self.text)), start=2):
            caption = QLabel(label)
            caption.setBuddy(editor)
            caption.setAlignment(Qt.AlignmentFlag.AlignTop)
            grid.addWidget(caption, row, 0)
            grid.addWidget(editor, row, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.form = QWidget()
        self.form.setLayout(grid)
        self.hint = QLabel("Nog geen notities. Klik op ‘Nieuwe notitie’ (Ctrl+N) om vast te leggen wat u met deze "
                           "interventie deed of van plan bent. Alles wordt direct bewaard, alleen op deze computer.")
        self.hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.saved)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.warning)
        layout.addWidget(self.hint)
        layout.addWidget(self.entries)
        layout.addWidget(self.form, 10)
        layout.addStretch(1)

        self.status.currentIndexChanged.connect(lambda _i: self._changed("status", self.status.currentData()))
        self.date.dateChanged.connect(lambda d: self._changed("entry_date", d.toString("yyyy-MM-dd")))
        self.place.textChanged.connect(lambda t: self._changed("place", t))
        self.partners.textChanged.connect(lambda t: self._changed("partners", t))
        self.outcome.textChanged.connect(lambda: self._changed("outcome", self.outcome.toPlainText()))
        self.text.textChanged.connect(lambda: self._changed("text", self.text.toPlainText()))
        shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self._new_if_visible)
        self.set_intervention(None, "")

    # --- public -----------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.set_intervention(self.intervention_id, self.intervention_name)

    def set_intervention(self, intervention_id: str | None, name: str) -> None:
        self._leave_entry()
        self.intervention_id = intervention_id
        self.intervention_name = name
        self.draft = False
        self.saved.clear()
        if intervention_id is None:
            self.title.setText("<b>Mijn notities</b> — kies een interventie")
        else:
            self.title.setText(f"<b>Mijn notities</b> bij {escape(name)}")
        self._reload()

    def has_unsaved(self) -> bool:
        return bool(self.pending)

    def unsaved_text(self) -> str:
        """Everything not saved yet, as plain text (to copy before closing)."""
        parts = []
        for item in self.pending:
            values = "\n".join(f"{k}: {v}" for k, v in item.values.items() if v)
            parts.append(f"{item.intervention_name}\n{values}")
        return "\n\n".join(parts)

    def new_entry(self) -> None:
        """Open an empty form; the note is created when something is written in it."""
        if self.intervention_id is None or self.workspace.read_only:
            return
        self._leave_entry()
        self._loading = True
        try:
            self.entries.clearSelection()
            self.entries.setCurrentRow(-1)
        finally:
            self._loading = False
        self._show_entry(None, draft=True)
        self.status.setFocus()

    def delete_entry(self) -> None:
        if self.entry_id is None:
            return
        box = question_box(self, "Notitie verwijderen", "Deze notitie definitief verwijderen?", "Verwijderen",
                           "Annuleren")
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            self.workspace.delete_entry(self.entry_id)
        except WorkspaceError as exc:
            self._warn(str(exc))
            return
        self.entry_id = None
        self._reload()
        self.changed.emit()

    def retry(self) -> bool:
        """Try to save what is pending; True when everything is saved now."""
        created = False
        while self.pending:
            item = self.pending[0]
            try:
                if item.entry_id is None:
                    fields = {k: v for k, v in item.values.items() if k in NOTE_FIELDS}
                    entry = self.workspace.add_entry(item.intervention_id, item.intervention_name, **fields)
                    created = True
                    if self.draft and self.intervention_id == item.intervention_id:
                        self.entry_id = entry.id
                        self.draft = False
                    for later in self.pending[1:]:
                        if later.entry_id is None and later.intervention_id == item.intervention_id:
                            later.entry_id = entry.id
                            break
                else:
                    self.workspace.update_entry(item.entry_id, **item.values)
            except StorageError as exc:
                self.last_error = exc
                self._warn(f"Niet opgeslagen: {exc} Uw tekst blijft staan; Bouwstenen probeert het elke "
                           f"{RETRY_MS // 1000} seconden opnieuw.")
                self.saved.setText("Niet opgeslagen")
                if not self.retry_timer.isActive():
                    self.retry_timer.start()
                return False
            self.pending.pop(0)
        self.retry_timer.stop()
        self.warning.setVisible(False)
        self.last_error = None
        self.saved.setText("Opgeslagen")
        if created and self.entry_id is not None:
            self._list_entries(self.entry_id)
        self._refresh_title_of_current()
        self.changed.emit()
        return True

    # --- internals --------------------------------------------------------------------------
    def _warn(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(True)

    def _new_if_visible(self) -> None:
        if self.isVisible():
            self.new_entry()

    def _list_entries(self, select: str | None) -> list[NoteEntry]:
        """Fill the list of notes (and select one) without touching the form."""
        self._loading = True
        try:
            self.entries.clear()
            found = self.workspace.entries_for(self.intervention_id) if self.intervention_id else []
            for entry in found:
                item = QListWidgetItem(entry_title(entry))
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.entries.addItem(item)
                if entry.id == select:
                    self.entries.setCurrentItem(item)
            read_only = self.workspace.read_only
            self.add_button.setEnabled(self.intervention_id is not None and not read_only)
            self.add_button.setToolTip("Alleen-lezen: notities kunnen nu niet worden gewijzigd." if read_only
                                       else "Nieuwe notitie bij deze interventie (Ctrl+N)")
            self.entries.setVisible(bool(found))
            rows = min(max(len(found), 1), 3)
            self.entries.setFixedHeight(rows * (self.entries.fontMetrics().height() + 6) + 6)
        finally:
            self._loading = False
        return found

    def _reload(self, select: str | None = None) -> None:
        found = self._list_entries(None)
        target = select or (found[0].id if found else None)
        for row in range(self.entries.count()):
            if self.entries.item(row).data(Qt.ItemDataRole.UserRole) == target:
                self.entries.setCurrentRow(row)
                break
        else:
            self._show_entry(None)

    def _entry_selected(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if self._loading:
            return
        self._leave_entry()
        entry_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._show_entry(self.workspace.entry(entry_id) if entry_id else None)

    def _leave_entry(self) -> None:
        """Leaving a note: one that was emptied is not kept."""
        if self.entry_id is None or self.pending:
            return
        entry = self.workspace.entry(self.entry_id)
        if entry is not None and entry.is_empty() and not self.workspace.read_only:
            try:
                self.workspace.delete_entry(entry.id)
                self.changed.emit()
            except WorkspaceError:
                pass  # kept; it is harmless
        self.entry_id = None

    def _show_entry(self, entry: NoteEntry | None, draft: bool = False) -> None:
        self._loading = True
        try:
            self.entry_id = entry.id if entry else None
            self.draft = draft
            editable = (entry is not None or draft) and not self.workspace.read_only
            visible = entry is not None or draft
            self.form.setVisible(visible)
            self.form.setEnabled(editable)
            self.hint.setVisible(not visible and self.intervention_id is not None)
            self.delete_button.setEnabled(entry is not None and not self.workspace.read_only)
            self.status.setCurrentIndex(max(0, self.status.findData(entry.status if entry else None)))
            date = QDate.fromString(entry.entry_date or "", "yyyy-MM-dd") if entry else QDate()
            self.date.setDate(date if date.isValid() else QDate.currentDate())
            self.place.setText(entry.place or "" if entry else "")
            self.partners.setText(entry.partners or "" if entry else "")
            self.outcome.setPlainText(entry.outcome or "" if entry else "")
            self.text.setPlainText(entry.text or "" if entry else "")
        finally:
            self._loading = False

    def _changed(self, name: str, value: object) -> None:
        """Every change is written at once: there is no Save button to forget."""
        if self._loading or self.intervention_id is None or (self.entry_id is None and not self.draft):
            return
        text = None if value is None else str(value)
        if self.entry_id is None:  # the first thing written in a new note creates it
            if name == "entry_date":
                return  # a date alone is not a note
            values: dict[str, str | None] = dict.fromkeys(NOTE_FIELDS)
            values["entry_date"] = self.date.date().toString("yyyy-MM-dd")
            values[name] = text
            existing = next((p for p in self.pending if p.entry_id is None
                             and p.intervention_id == self.intervention_id), None)
            if existing is not None:
                existing.values[name] = text
            else:
                self.pending.append(_Pending(None, self.intervention_id, self.intervention_name, values))
        else:
            item = next((p for p in self.pending if p.entry_id == self.entry_id), None)
            if item is None:
                self.pending.append(_Pending(self.entry_id, self.intervention_id, self.intervention_name,
                                             {name: text}))
            else:
                item.values[name] = text
        if self.retry() and self.entry_id is not None and self.entries.currentItem() is None:
            self._list_entries(self.entry_id)  # the new note joins the list; the form stays as it is

    def _refresh_title_of_current(self) -> None:
        if self.entry_id is None:
            return
        entry = self.workspace.entry(self.entry_id)
        item = self.entries.currentItem()
        if entry is not None and item is not None and item.data(Qt.ItemDataRole.UserRole) == entry.id:
            item.setText(entry_title(entry))

    def copy_unsaved(self) -> None:
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.unsaved_text())
