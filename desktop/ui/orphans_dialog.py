"""Notes whose intervention is no longer in the model: shown with their text, re-attached to another
intervention, exported or deleted — only when the user asks. When the model has an intervention with the
same name or another name (alias) under a new id, the dialog proposes it."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import ExpectedError
from desktop.core.search.repository import ModelRepository
from desktop.core.text import dutch_date
from desktop.core.workspace.store import STATUS_LABELS, NoteEntry, Workspace
from desktop.ui.questions import question_box


def proposal(repo: ModelRepository, name: str) -> str | None:
    """An intervention of the model with this name (or alias), when exactly one."""
    found = repo.find_by_name(name)
    return found[0] if len(found) == 1 else None


class OrphansDialog(QDialog):
    def __init__(self, workspace: Workspace, repo: ModelRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.repo = repo
        self.setWindowTitle("Interventies niet meer in het model")
        self.resize(780, 560)
        intro = QLabel("Deze notities horen bij interventies die niet (meer) in het huidige model staan. Ze blijven "
                       "bewaard tot u ze zelf koppelt, exporteert of verwijdert.")
        intro.setWordWrap(True)
        self.groups = QListWidget()
        self.groups.setAccessibleName("Interventies met notities die niet meer in het model staan")
        self.groups.currentItemChanged.connect(lambda *_a: self._show_group())
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("Notities bij deze interventie")
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target.setAccessibleName("Koppelen aan interventie")
        for row in repo.rows(repo.all_ids()):
            self.target.addItem(row.name, row.id)
        completer = QCompleter([self.target.itemText(i) for i in range(self.target.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.target.setCompleter(completer)
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.attach_button = QPushButton("Koppelen")
        self.attach_button.setAccessibleName("Notities koppelen aan de gekozen interventie")
        self.attach_button.clicked.connect(self.attach)
        attach_row = QHBoxLayout()
        attach_row.addWidget(QLabel("Koppelen aan:"))
        attach_row.addWidget(self.target, 1)
        attach_row.addWidget(self.attach_button)
        buttons = QDialogButtonBox()
        self.export_button = QPushButton("Exporteren…")
        self.export_button.clicked.connect(self.export)
        self.delete_button = QPushButton("Verwijderen…")
        self.delete_button.clicked.connect(self.delete)
        close = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.groups, 1)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.suggestion)
        layout.addLayout(attach_row)
        layout.addWidget(buttons)
        for widget in (self.target, self.attach_button, self.delete_button):
            widget.setEnabled(not workspace.read_only)
        self.reload()

    def entries(self) -> list[NoteEntry]:
        return self.workspace.orphaned_entries(self.repo.known_ids(self.workspace.noted_ids()))

    def _groups(self) -> dict[str, list[NoteEntry]]:
        found: dict[str, list[NoteEntry]] = {}
        for entry in self.entries():
            found.setdefault(entry.intervention_id, []).append(entry)
        return found

    def reload(self) -> None:
        self.groups.clear()
        for iid, entries in self._groups().items():
            item = QListWidgetItem(f"{entries[0].intervention_name} ({len(entries)} notitie"
                                   f"{'' if len(entries) == 1 else 's'})")
            item.setData(Qt.ItemDataRole.UserRole, iid)
            self.groups.addItem(item)
        if self.groups.count():
            self.groups.setCurrentRow(0)
        else:
            self.view.setHtml("<p>Alle notities horen bij interventies in het huidige model.</p>")
            self.suggestion.clear()
        has = self.groups.count() > 0
        self.export_button.setEnabled(has)
        self.delete_button.setEnabled(has and not self.workspace.read_only)
        self.attach_button.setEnabled(has and not self.workspace.read_only)

    def current_group(self) -> list[NoteEntry]:
        item = self.groups.currentItem()
        if item is None:
            return []
        return self._groups().get(str(item.data(Qt.ItemDataRole.UserRole)), [])

    def _show_group(self) -> None:
        entries = self.current_group()
        parts = []
        for e in entries:
            status = STATUS_LABELS.get(e.status or "", "geen status")
            fields = [("Plaats / context", e.place), ("Met wie", e.partners), ("Resultaat", e.outcome),
                      ("Notitie", e.text)]
            body = "".join(f"<p><b>{k}:</b> {escape(v)}</p>" for k, v in fields if v)
            parts.append(f"<h3>{escape(e.intervention_name)}</h3><p><i>{escape(dutch_date(e.entry_date))} · "
                         f"{escape(status)}</i></p>{body}")
        self.view.setHtml("".join(parts))
        suggested = proposal(self.repo, entries[0].intervention_name) if entries else None
        if suggested is not None:
            index = self.target.findData(suggested)
            self.target.setCurrentIndex(index)
            self.suggestion.setText(f"Voorstel: het model heeft ‘{self.target.itemText(index)}’ met dezelfde naam "
                                    "(of als andere naam). Klik op Koppelen om de notities daaraan te koppelen.")
        else:
            self.suggestion.setText("Kies de interventie waar deze notities nu bij horen, of laat ze zo staan.")

    def attach(self) -> None:
        entries = self.current_group()
        target = self.target.currentData()
        if not entries or not target:
            return
        name = self.target.currentText()
        try:
            self.workspace.reattach([e.id for e in entries], str(target), name)
        except ExpectedError as exc:
            QMessageBox.warning(self, "Koppelen", str(exc))
            return
        self.reload()

    def export(self) -> None:
        from desktop.core.workspace.exchange import export_notes

        path, _ = QFileDialog.getSaveFileName(self, "Notities exporteren", str(Path.home() /
                                              "notities-niet-meer-in-model.xlsx"), "Excel-werkmap (*.xlsx)")
        if path:
            try:
                export_notes(self.workspace, Path(path), only_ids={e.intervention_id for e in self.entries()})
            except ExpectedError as exc:
                QMessageBox.warning(self, "Exporteren", str(exc))

    def delete(self) -> None:
        entries = self.current_group()
        if not entries:
            return
        what = "De notitie" if len(entries) == 1 else f"De {len(entries)} notities"
        box = question_box(self, "Notities verwijderen",
                           f"{what} bij ‘{entries[0].intervention_name}’ definitief verwijderen? Exporteer ze eerst "
                           "als u ze wilt bewaren.", "Verwijderen", "Annuleren")
        if box.exec() == QMessageBox.StandardButton.Yes:
            for entry in entries:
                self.workspace.delete_entry(entry.id)
            self.reload()
