"""Notes whose intervention is no longer in the model: shown with their text, exported or deleted
only when the user asks."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.workspace.store import STATUS_LABELS, Workspace


class OrphansDialog(QDialog):
    def __init__(self, workspace: Workspace, model_ids: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model_ids = model_ids
        self.setWindowTitle("Interventies niet meer in het model")
        self.resize(720, 520)
        intro = QLabel(
            "Deze notities horen bij interventies die niet (meer) in het huidige model staan. Ze blijven bewaard "
            "tot u ze zelf exporteert of verwijdert."
        )
        intro.setWordWrap(True)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("Notities zonder interventie")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button = QPushButton("Exporteren…")
        self.export_button.clicked.connect(self.export)
        self.delete_button = QPushButton("Verwijderen…")
        self.delete_button.clicked.connect(self.delete)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.reload()

    def entries(self) -> list:  # type: ignore[type-arg]
        return self.workspace.orphaned_entries(self.model_ids)

    def reload(self) -> None:
        entries = self.entries()
        if not entries:
            self.view.setHtml("<p>Alle notities horen bij interventies in het huidige model.</p>")
        else:
            parts = []
            for e in entries:
                status = STATUS_LABELS.get(e.status or "", "geen status")
                fields = [("Plaats / context", e.place), ("Met wie", e.partners), ("Resultaat", e.outcome),
                          ("Notitie", e.text)]
                body = "".join(f"<p><b>{k}:</b> {escape(v)}</p>" for k, v in fields if v)
                parts.append(f"<h3>{escape(e.intervention_name)}</h3><p><i>{escape(e.entry_date or '')} · "
                             f"{escape(status)}</i></p>{body}")
            self.view.setHtml("".join(parts))
        self.export_button.setEnabled(bool(entries))
        self.delete_button.setEnabled(bool(entries))

    def export(self) -> None:
        from desktop.core.workspace.exchange import export_notes

        path, _ = QFileDialog.getSaveFileName(
            self, "Notities exporteren", str(Path.home() / "notities-niet-meer-in-model.xlsx"), "Excel-werkmap (*.xlsx)"
        )
        if path:
            ids = {e.intervention_id for e in self.entries()}
            export_notes(self.workspace, Path(path), only_ids=ids)

    def delete(self) -> None:
        entries = self.entries()
        answer = QMessageBox.question(
            self, "Notities verwijderen",
            f"{len(entries)} notitie(s) bij interventies die niet meer in het model staan definitief verwijderen? "
            "Exporteer ze eerst als u ze wilt bewaren.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            for entry in entries:
                self.workspace.delete_entry(entry.id)
            self.reload()
