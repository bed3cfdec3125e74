"""Model updates in the window: choose a file, see what changes, apply; the history; go back.

All text from a file is shown as plain text, never as rich text. Checking and applying run on a
worker thread (`desktop.ui.tasks`); the window stays responsive and the update can be cancelled until
the swap. Dialogs are opened non-blocking (`open()`), so nothing waits in a nested event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model.diff import ADDED, CHANGED, REMOVED, REORDERED
from desktop.core.model.schema import SCHEMA
from desktop.core.text import count, dutch_date, dutch_datetime, shorten
from desktop.core.updates.apply import KeptVersion, apply, kept_versions, restore
from desktop.core.updates.history import UpdateRecord
from desktop.core.updates.inspect import COUNT_LABELS, ImportPreview
from desktop.ui.questions import question_box
from desktop.ui.tasks import Task, call_on_gui, run_task, show_message

FILE_FILTER = "Gepubliceerd model (*.xlsx *.sqlite *.db);;Alle bestanden (*)"
KIND_ORDER = (ADDED, CHANGED, REORDERED, REMOVED)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _version(meta: dict[str, str]) -> str:
    return f"versie {meta.get('model_version', '?')} (gepubliceerd {dutch_date(meta.get('published'))})"


class ImportPreviewDialog(QDialog):
    """What an update changes (or why the file is refused); applies it on "Bijwerken"."""

    def __init__(self, preview: ImportPreview, data_dir: Path, close_model: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.data_dir = data_dir
        self.close_model = close_model
        self.record: UpdateRecord | None = None
        self.task: Task | None = None
        self.setWindowTitle("Model bijwerken")
        self.resize(820, 600)

        layout = QVBoxLayout(self)
        layout.addWidget(_plain(f"Bestand: {preview.file_name}"))
        if preview.ok:
            now = _version(preview.old_meta) if preview.current else "het meegeleverde model"
            layout.addWidget(_plain(f"Nu: {now}\nNieuw: {_version(preview.new_meta)}, uitgegeven door "
                                    f"{preview.new_meta.get('publisher', 'onbekend')}"))
            self.summary = _plain(self._summary_text())
            layout.addWidget(self.summary)
        else:
            layout.addWidget(_plain("Dit bestand kan niet worden ingelezen; er is niets gewijzigd. Hieronder staat wat "
                                    "er mis is, met tabblad, rij en kolom."))

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Wat", "Id (voor redacteuren)"])
        self.tree.setAccessibleName("Wijzigingen en meldingen")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnHidden(1, True)
        self._fill_tree()
        layout.addWidget(self.tree, 1)
        self.show_ids = QCheckBox("Ids tonen (voor redacteuren)")
        self.show_ids.toggled.connect(lambda on: self.tree.setColumnHidden(1, not on))
        layout.addWidget(self.show_ids)

        self.buttons = QDialogButtonBox()
        self.update_button: QPushButton = self.buttons.addButton("Bijwerken", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton(
            "Annuleren" if preview.ok else "Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.update_button.setVisible(preview.ok)
        self.update_button.setEnabled(preview.ok)
        self.update_button.clicked.connect(self.start_update)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.update_button if preview.ok else self.cancel_button).setDefault(True)

    def _summary_text(self) -> str:
        p = self.preview
        if p.diff.is_empty:
            text = "Het model verandert niet inhoudelijk."
            if p.diff.meta:
                text += " Alleen de gegevens over de versie verschillen."
        else:
            text = "Wat verandert: " + "; ".join(p.diff.summary()) + "."
        if p.affected_notes:
            amount = count(len(p.affected_notes), "van uw notities of werksets gaat",
                           "van uw notities of werksets gaan")
            text += f" {amount} over gewijzigde of verwijderde interventies; ze blijven bewaard."
        return text

    def _section(self, title: str, lines: list[tuple[str, str]], expanded: bool = False) -> QTreeWidgetItem | None:
        if not lines:
            return None
        item = QTreeWidgetItem([f"{title} ({len(lines)})", ""])
        for line, ident in lines:
            item.addChild(QTreeWidgetItem([line, ident]))
        self.tree.addTopLevelItem(item)
        item.setExpanded(expanded)
        return item

    def _fill_tree(self) -> None:
        p = self.preview
        self._section("Fouten", [(str(e), "") for e in p.errors], expanded=True)
        if not p.ok:
            self._section("Waarschuwingen", [(str(w), "") for w in p.warnings], expanded=True)
            return
        if p.diff.is_empty:
            self.tree.addTopLevelItem(QTreeWidgetItem(["Het model verandert niet inhoudelijk.", ""]))
        self._section("Versie", [(str(c), "") for c in p.diff.meta])
        self._section("Aantallen", [
            (f"{COUNT_LABELS[k]}: {p.old_counts.get(k, 0)} → {v}" if p.old_counts else f"{COUNT_LABELS[k]}: {v}", "")
            for k, v in p.new_counts.items()
        ])
        for entity in [*SCHEMA]:
            changes = p.diff.of(entity.name)
            if not changes:
                continue
            top = QTreeWidgetItem([f"{entity.plural[:1].upper()}{entity.plural[1:]} ({len(changes)})", ""])
            for kind in KIND_ORDER:
                for change in (c for c in changes if c.kind == kind):
                    item = QTreeWidgetItem([f"{change.title()}: {change.kind}", change.key])
                    for field in change.fields:
                        item.addChild(QTreeWidgetItem([shorten(str(field), 200), ""]))
                    item.setToolTip(0, change.title())
                    top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(len(changes) <= 20)
        names = {c.key: c.name for c in p.diff.changes if c.entity == "intervention"}
        self._section("Uw notities bij gewijzigde of verwijderde interventies (blijven bewaard)",
                      [(names.get(i, i), i) for i in p.affected_notes], expanded=True)
        self._section("Waarschuwingen", [(str(w), "") for w in p.warnings], expanded=True)

    # --- applying ---------------------------------------------------------------------------
    def start_update(self) -> None:
        if not self.preview.ok or self.task is not None:
            return
        self.update_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        from desktop.core.workspace.safety import backup_before

        def work(report: Any, cancelled: Any) -> UpdateRecord:
            backup_before(self.data_dir, "modelupdate")
            return apply(self.preview, self.data_dir, report, cancelled,
                         before_swap=lambda: call_on_gui(self._before_swap))

        self.task = run_task(self, "Model bijwerken", work, self._done, self._failed, cancellable=True, delay_ms=0)

    def _before_swap(self) -> None:
        if self.close_model is not None:
            self.close_model()

    def _done(self, record: UpdateRecord) -> None:
        self.task = None
        self.record = record
        if record.note:
            show_message(self, "Model bijgewerkt", record.note, QMessageBox.Icon.Warning)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.cancel_button.setEnabled(True)
        self.update_button.setEnabled(True)
        show_message(self, "Model bijwerken", str(error), QMessageBox.Icon.Warning)

    def reject(self) -> None:
        if self.task is not None:  # never close while an update runs; cancelling goes via the progress dialog
            return
        super().reject()


class HistoryDialog(QDialog):
    """Every update and rollback; the kept versions, each of which can be brought back."""

    def __init__(self, data_dir: Path, on_restore: Callable[[KeptVersion], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.core.updates.history import read_history

        self.setWindowTitle("Geschiedenis van het model")
        self.resize(760, 520)
        self.on_restore = on_restore
        layout = QVBoxLayout(self)
        layout.addWidget(_plain("Elke keer dat het model is bijgewerkt of teruggezet. Uw notities en werksets blijven "
                                "bij elke wijziging bewaard."))
        self.history = QTreeWidget()
        self.history.setHeaderLabels(["Wanneer", "Wat", "Bestand", "Versie", "Interventies"])
        self.history.setRootIsDecorated(False)
        self.history.setAccessibleName("Geschiedenis van modelupdates")
        rows = read_history(data_dir)
        for row in reversed(rows):
            action = "teruggezet" if row["action"] == "rollback" else "bijgewerkt"
            version = f"{row['model_version'] or '?'} ({dutch_date(row['published'])})"
            self.history.addTopLevelItem(QTreeWidgetItem([
                dutch_datetime(row["applied_at"]), action, str(row["file_name"]), version,
                str(row["counts"].get("interventions", "?"))]))
        if not rows:
            self.history.addTopLevelItem(QTreeWidgetItem(["", "Nog geen updates: u gebruikt het meegeleverde model.",
                                                          "", "", ""]))
        for column in range(5):
            self.history.resizeColumnToContents(column)
        layout.addWidget(self.history, 2)
        layout.addWidget(_plain("Bewaarde versies die u kunt terugzetten:"))
        self.versions = QTreeWidget()
        self.versions.setHeaderLabels(["Versie", "Vervangen op"])
        self.versions.setRootIsDecorated(False)
        self.versions.setAccessibleName("Bewaarde versies")
        self.kept = kept_versions(data_dir)
        for kept in self.kept:
            item = QTreeWidgetItem([kept.describe(), dutch_datetime(_stamp(kept.kept_at))])
            self.versions.addTopLevelItem(item)
        if not self.kept:
            self.versions.addTopLevelItem(QTreeWidgetItem(["Er is (nog) geen eerdere versie bewaard.", ""]))
        self.versions.resizeColumnToContents(0)
        layout.addWidget(self.versions, 1)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Deze versie terugzetten…", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        close = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.versions.currentItemChanged.connect(lambda *_a: self.restore_button.setEnabled(
            bool(self.kept) and self.versions.currentItem() is not None))
        layout.addWidget(buttons)

    def selected(self) -> KeptVersion | None:
        current = self.versions.currentItem()
        row = self.versions.indexOfTopLevelItem(current) if current is not None else -1
        return self.kept[row] if 0 <= row < len(self.kept) else None

    def _restore(self) -> None:
        version = self.selected()
        if version is not None:
            self.accept()
            self.on_restore(version)


def _stamp(kept_at: str) -> str:
    """Kept-version stamps are 20270301T101500123456 (UTC)."""
    import datetime as dt

    try:
        moment = dt.datetime.strptime(kept_at[:15], "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return kept_at
    return moment.isoformat()


def confirm_restore(parent: QWidget | None, version: KeptVersion) -> bool:
    box = question_box(parent, "Versie terugzetten",
                       f"Wilt u {version.describe()} terugzetten?\n\nHet huidige model wordt bewaard, zodat u dit weer "
                       "ongedaan kunt maken. Uw notities en werksets blijven zoals ze zijn.",
                       "Terugzetten", "Annuleren")
    return box.exec() == QMessageBox.StandardButton.Yes


def restore_in_background(parent: QWidget | None, data_dir: Path, version: KeptVersion | None,
                          close_model: Callable[[], None], on_done: Callable[[UpdateRecord | None], None]) -> Task:
    from desktop.core.workspace.safety import backup_before

    def work(report: Any, _cancelled: Any) -> UpdateRecord | None:
        backup_before(data_dir, "terugzetten")
        return restore(data_dir, version, report, before_swap=lambda: call_on_gui(close_model))

    return run_task(parent, "Versie terugzetten", work, on_done, delay_ms=0)
