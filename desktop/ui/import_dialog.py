"""The "Model bijwerken" dialog: preview of a published model file, then an atomic, cancellable update.

Wiring (main window):

    from desktop.ui.import_dialog import confirm_rollback, run_import
    record = run_import(self, self.repo.path, self.data_dir, self.workspace.referenced_ids(),
                        close_model=self.repo.close)
    # afterwards (whatever the outcome) reopen paths.active_model_path(self.data_dir) and refresh
    if confirm_rollback(self, self.data_dir, close_model=self.repo.close): ...reopen and refresh

All text from the file is shown as plain text (never as rich text). Checking and applying run in a
worker thread; the window stays responsive and the update can be cancelled until the swap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model_import import (
    COUNT_LABELS,
    LAST_CANCELLABLE,
    STEPS,
    ImportCancelled,
    ImportPreview,
    ImportRecord,
    ModelImportError,
    apply,
    cleanup_staging,
    inspect,
    previous_version,
    rollback,
)

FILE_FILTER = "Modelbestanden (*.xlsx *.sqlite *.db)"


class _Task(QThread):
    """Runs `work(progress)` in a thread; reports progress, the result or the exception."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    swap_requested = Signal()

    def __init__(self, work: Callable[[Callable[[int, int, str], None]], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work

    def run(self) -> None:
        try:
            result = self.work(self.progressed.emit)
        except Exception as exc:  # reported to the GUI thread, shown in Dutch there
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
         default: QMessageBox.StandardButton | None = None) -> QMessageBox.StandardButton:
    """A message box that shows its text as plain text (names from a file are never rendered as HTML)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default is not None:
        box.setDefaultButton(default)
    return QMessageBox.StandardButton(box.exec())


def _date(value: str | None) -> str:
    return value or "onbekend"


class ImportPreviewDialog(QDialog):
    """Shows what an update changes (or why the file is refused) and applies it on "Bijwerken"."""

    def __init__(self, preview: ImportPreview, data_dir: Path, close_model: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.data_dir = data_dir
        self.close_model = close_model
        self.record: ImportRecord | None = None
        self.cancel_event = threading.Event()
        self.task: _Task | None = None
        self.progress: QProgressDialog | None = None
        self.setWindowTitle("Model bijwerken")
        self.resize(760, 560)

        layout = QVBoxLayout(self)
        layout.addWidget(_plain(f"Bestand: {preview.file_name}"))
        if preview.ok:
            old, new = preview.old_meta, preview.new_meta
            now = (f"versie {old.get('model_version', '?')} ({_date(old.get('published'))})" if old
                   else "het meegeleverde model")
            layout.addWidget(_plain(
                f"Nu: {now}\nNieuw: versie {new.get('model_version', '?')} ({_date(new.get('published'))}), "
                f"uitgegeven door {new.get('publisher', 'onbekend')}"
            ))
            layout.addWidget(_plain(
                f"Interventies: {len(preview.added)} toegevoegd, {len(preview.changed)} gewijzigd, "
                f"{len(preview.removed)} verwijderd. "
                + (f"{len(preview.affected_notes)} van uw notities gaan over gewijzigde of verwijderde "
                   "interventies; ze blijven bewaard." if preview.affected_notes else "")
            ))
        else:
            layout.addWidget(_plain("Dit bestand kan niet worden ingelezen; er is niets gewijzigd. "
                                    "Hieronder staat wat er mis is, met tabblad, rij en kolom."))

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Wijzigingen en meldingen")
        self._fill_tree()
        layout.addWidget(self.tree, 1)

        self.buttons = QDialogButtonBox()
        self.update_button: QPushButton = self.buttons.addButton("Bijwerken", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton(
            "Annuleren" if preview.ok else "Sluiten", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.update_button.setEnabled(preview.ok)
        self.update_button.setVisible(preview.ok)
        self.update_button.clicked.connect(self.start_update)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.update_button if preview.ok else self.cancel_button).setDefault(True)

    def _section(self, title: str, lines: list[str], expanded: bool = False) -> QTreeWidgetItem | None:
        if not lines:
            return None
        item = QTreeWidgetItem([f"{title} ({len(lines)})"])
        for line in lines:
            item.addChild(QTreeWidgetItem([line]))
        self.tree.addTopLevelItem(item)
        item.setExpanded(expanded)
        return item

    def _fill_tree(self) -> None:
        p = self.preview
        self._section("Fouten", [str(e) for e in p.errors], expanded=True)
        if p.ok:
            counts = [
                f"{COUNT_LABELS[k]}: {p.old_counts.get(k, 0)} → {v}" if p.old_counts else f"{COUNT_LABELS[k]}: {v}"
                for k, v in p.new_counts.items()
            ]
            self._section("Aantallen", counts)
            self._section("Toegevoegde interventies", [f"{name} [{ident}]" for ident, name in p.added])
            if p.changed:
                changed = QTreeWidgetItem([f"Gewijzigde interventies ({len(p.changed)})"])
                for change in p.changed:
                    child = QTreeWidgetItem([f"{change.name} [{change.id}]"])
                    for c in change.changes:
                        child.addChild(QTreeWidgetItem([f"{c.field}: {_cut(c.old)} → {_cut(c.new)}"]))
                    changed.addChild(child)
                self.tree.addTopLevelItem(changed)
            self._section("Verwijderde interventies", [f"{name} [{ident}]" for ident, name in p.removed],
                          expanded=bool(p.removed))
            self._section("Nieuwe beschermende factoren", [f"{n} [{i}]" for i, n in p.clusters_added])
            self._section("Vervallen beschermende factoren", [f"{n} [{i}]" for i, n in p.clusters_removed])
            names = {**{c.id: c.name for c in p.changed}, **dict(p.removed)}
            self._section("Uw notities bij gewijzigde of verwijderde interventies (blijven bewaard)",
                          [f"{names.get(i, i)} [{i}]" for i in p.affected_notes], expanded=True)
            if not p.has_changes:
                self.tree.addTopLevelItem(QTreeWidgetItem(["Het model verandert niet inhoudelijk."]))
        self._section("Waarschuwingen", [str(w) for w in p.warnings], expanded=True)

    # --- applying ---------------------------------------------------------------------------
    def start_update(self) -> None:
        if not self.preview.ok or self.task is not None:
            return
        self.update_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.cancel_event.clear()
        total = len(STEPS) - 1
        progress = QProgressDialog("Model bijwerken…", "Annuleren", 0, total, self)
        progress.setWindowTitle("Model bijwerken")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self.cancel_event.set)
        self.progress = progress

        def work(report: Callable[[int, int, str], None]) -> ImportRecord:
            return apply(self.preview, self.data_dir, report, self.cancel_event.is_set, task.swap_requested.emit)

        task = _Task(work, self)
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(self._on_done)
        task.failed.connect(self._on_failed)
        task.swap_requested.connect(self._before_swap, Qt.ConnectionType.BlockingQueuedConnection)
        self.task = task
        progress.show()
        task.start()

    def _before_swap(self) -> None:
        if self.close_model is not None:
            self.close_model()

    def _on_progress(self, step: int, total: int, label: str) -> None:
        progress = self.progress  # setValue() may process events, and so finish the task, re-entrantly
        if progress is None:
            return
        progress.setLabelText(f"{label}…")
        if step > LAST_CANCELLABLE:
            progress.setCancelButton(None)  # past the point of no return: the swap is atomic anyway
        progress.setMaximum(total)
        progress.setValue(step)

    def _finish_task(self) -> None:
        if self.task is not None:
            self.task.wait()
            self.task = None
        if self.progress is not None:
            self.progress.close()
            self.progress = None

    def _on_done(self, record: ImportRecord) -> None:
        self._finish_task()
        self.record = record
        if record.note:
            _box(self, QMessageBox.Icon.Warning, "Model bijgewerkt", record.note)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._finish_task()
        self.cancel_button.setEnabled(True)
        self.update_button.setEnabled(True)
        if isinstance(error, ImportCancelled):
            _box(self, QMessageBox.Icon.Information, "Model bijwerken", str(error))
        elif isinstance(error, ModelImportError):
            _box(self, QMessageBox.Icon.Critical, "Model bijwerken mislukt", str(error))
        else:
            _box(self, QMessageBox.Icon.Critical, "Model bijwerken mislukt",
                 f"Er ging iets onverwachts mis ({type(error).__name__}: {error}). Het model is niet gewijzigd.")

    def reject(self) -> None:
        if self.task is not None:  # never close while an update runs; cancelling goes via the progress dialog
            return
        super().reject()


def _cut(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def inspect_in_background(parent: QWidget | None, path: Path, current_model_path: Path | None,
                          note_ids: set[str]) -> ImportPreview:
    """Run `inspect` in a worker thread behind a busy indicator, keeping the window responsive."""
    busy = QProgressDialog(parent)
    busy.setLabel(_plain(f"'{path.name}' controleren…"))
    busy.setCancelButton(None)
    busy.setRange(0, 0)
    busy.setWindowTitle("Model bijwerken")
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.setMinimumDuration(300)
    result: dict[str, Any] = {}
    loop = QEventLoop()
    task = _Task(lambda _report: inspect(path, current_model_path, note_ids), parent)
    task.succeeded.connect(lambda preview: result.__setitem__("preview", preview))
    task.failed.connect(lambda exc: result.__setitem__("error", exc))
    task.finished.connect(loop.quit)
    task.start()
    if not task.isFinished():
        loop.exec()
    task.wait()
    busy.close()
    if "error" in result:
        raise result["error"]
    preview: ImportPreview = result["preview"]
    return preview


def run_import(parent: QWidget | None, repo_path: Path | None, data_dir: Path, note_ids: set[str],
               path: Path | None = None, close_model: Callable[[], None] | None = None) -> ImportRecord | None:
    """Ask for a model file (unless `path` is given), show the preview, update on "Bijwerken".

    Returns the ImportRecord of an applied update, None when nothing changed. `close_model` is
    called on the GUI thread just before the live model file is replaced. Reopen the active model
    afterwards whenever `close_model` may have run (simplest: always).
    """
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "Model bijwerken: kies een gepubliceerd model", "",
                                                FILE_FILTER)
        if not chosen:
            return None
        path = Path(chosen)
    cleanup_staging(data_dir)
    try:
        preview = inspect_in_background(parent, path, repo_path, note_ids)
    except Exception as exc:  # inspect reports bad files as problems; this is the unforeseen rest
        _box(parent, QMessageBox.Icon.Critical, "Model bijwerken",
             f"'{path.name}' kan niet worden gecontroleerd: {exc}")
        return None
    dialog = ImportPreviewDialog(preview, data_dir, close_model, parent)
    dialog.exec()
    return dialog.record


def confirm_rollback(parent: QWidget | None, data_dir: Path, close_model: Callable[[], None] | None = None) -> bool:
    """Ask, then bring back the previous model. True when it was rolled back.

    `close_model` runs just before the files are swapped; reopen the active model afterwards
    whenever it may have run (simplest: always).
    """
    title = "Vorige versie terugzetten"
    previous = previous_version(data_dir)
    if previous is None:
        _box(parent, QMessageBox.Icon.Information, title, "Er is geen vorige versie van het model om terug te zetten.")
        return False
    answer = _box(
        parent, QMessageBox.Icon.Question, title,
        f"Wilt u {previous.describe()} terugzetten?\n\nHet huidige model wordt bewaard als vorige versie, "
        "zodat u dit weer ongedaan kunt maken. Uw notities en werksets blijven zoals ze zijn.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    if close_model is not None:
        close_model()
    try:
        done = rollback(data_dir)
    except ModelImportError as exc:
        _box(parent, QMessageBox.Icon.Critical, title, str(exc))
        return False
    if not done:
        _box(parent, QMessageBox.Icon.Information, title, "Er is geen vorige versie om terug te zetten.")
    return done
