"""Notes changed on two laptops: both versions side by side, the user decides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import ExpectedError
from desktop.core.text import dutch_date
from desktop.core.workspace.exchange import conflict_pairs
from desktop.core.workspace.store import STATUS_LABELS, NoteEntry, Workspace


def _describe(entry: NoteEntry | None) -> str:
    if entry is None:
        return "(deze notitie is hier inmiddels verwijderd)"
    lines = [f"{dutch_date(entry.entry_date)} · {STATUS_LABELS.get(entry.status or '', 'geen status')}"]
    for label, value in (("Plaats", entry.place), ("Met wie", entry.partners), ("Resultaat", entry.outcome),
                         ("Notitie", entry.text)):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


class ConflictsDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Conflicten nakijken")
        self.resize(820, 520)
        intro = QLabel("Deze notities zijn zowel op deze computer als in een geïmporteerd bestand veranderd. Beide "
                       "versies zijn bewaard. Kies welke u houdt, of houd ze allebei als aparte notities.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Notities met twee versies")
        self.list.currentItemChanged.connect(lambda *_a: self._show())
        self.ours = QPlainTextEdit()
        self.ours.setReadOnly(True)
        self.ours.setAccessibleName("Versie op deze computer")
        self.theirs = QPlainTextEdit()
        self.theirs.setReadOnly(True)
        self.theirs.setAccessibleName("Versie uit het geïmporteerde bestand")
        sides = QHBoxLayout()
        for title, editor in (("Op deze computer", self.ours), ("Uit het geïmporteerde bestand", self.theirs)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(editor)
            sides.addLayout(column)
        buttons = QDialogButtonBox()
        self.keep_ours = QPushButton("Deze computer houden")
        self.keep_theirs = QPushButton("Geïmporteerde versie houden")
        self.keep_both = QPushButton("Allebei houden")
        for button, handler in ((self.keep_ours, self._keep_ours), (self.keep_theirs, self._keep_theirs),
                                (self.keep_both, self._keep_both)):
            button.clicked.connect(handler)
            button.setEnabled(not workspace.read_only)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(sides, 2)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.pairs = conflict_pairs(self.workspace)
        self.list.clear()
        for imported, _ours in self.pairs:
            item = QListWidgetItem(imported.intervention_name)
            item.setData(Qt.ItemDataRole.UserRole, imported.id)
            self.list.addItem(item)
        if self.pairs:
            self.list.setCurrentRow(0)
        else:
            self.ours.setPlainText("Er zijn geen conflicten.")
            self.theirs.clear()
        for button in (self.keep_ours, self.keep_theirs, self.keep_both):
            button.setEnabled(bool(self.pairs) and not self.workspace.read_only)

    def _current(self) -> tuple[NoteEntry, NoteEntry | None] | None:
        row = self.list.currentRow()
        return self.pairs[row] if 0 <= row < len(self.pairs) else None

    def _show(self) -> None:
        pair = self._current()
        if pair is None:
            return
        self.theirs.setPlainText(_describe(pair[0]))
        self.ours.setPlainText(_describe(pair[1]))

    def _act(self, action: str) -> None:
        pair = self._current()
        if pair is None:
            return
        imported, ours = pair
        try:
            if action == "ours":
                self.workspace.delete_entry(imported.id)
            elif action == "theirs":
                if ours is not None:
                    self.workspace.delete_entry(ours.id)
                self.workspace.resolve_conflict(imported.id)
            else:
                self.workspace.resolve_conflict(imported.id)
        except ExpectedError as exc:
            QMessageBox.warning(self, "Conflicten nakijken", str(exc))
        self.reload()

    def _keep_ours(self) -> None:
        self._act("ours")

    def _keep_theirs(self) -> None:
        self._act("theirs")

    def _keep_both(self) -> None:
        self._act("both")
