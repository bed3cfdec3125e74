"""Model updates from the window: the menu actions, a file dropped on the window, history and rollback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from desktop.ui.tasks import run_task

if TYPE_CHECKING:  # the update machinery is loaded on first use, not at start-up
    from desktop.core.updates.apply import KeptVersion
    from desktop.core.updates.history import UpdateRecord
    from desktop.core.updates.inspect import ImportPreview
    from desktop.ui.import_dialog import HistoryDialog, ImportPreviewDialog
    from desktop.ui.main_window import MainWindow

MODEL_SUFFIXES = (".xlsx", ".sqlite", ".db", ".sqlite3")


class UpdateController:
    """Bestand › Model bijwerken…, Vorige versie terugzetten…, Geschiedenis van het model…"""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: ImportPreviewDialog | None = None
        self.history: HistoryDialog | None = None
        self.last_preview: ImportPreview | None = None

    def update_model(self, path: Path | None = None) -> None:
        """Choose a file (unless given), check it in the background, show what changes; the dialog applies it."""
        window = self.window
        if not window.may_write("Het model bijwerken"):
            return
        from desktop.core.updates.inspect import inspect
        from desktop.ui.import_dialog import FILE_FILTER

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(window, "Model bijwerken: kies een gepubliceerd model",
                                                    str(window.export_folder()), FILE_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        current, notes = window.repo.path, window.workspace.referenced_ids()
        target = path

        def work(_report: Any, _cancelled: Any) -> ImportPreview:
            return inspect(target, current, notes)

        run_task(window, f"‘{path.name}’ controleren", work, self._show)

    def _show(self, preview: ImportPreview) -> None:
        from desktop.ui.import_dialog import ImportPreviewDialog

        dialog = ImportPreviewDialog(preview, self.window.data_dir, self.window.detach_model, self.window)
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self._finished(dialog))
        dialog.open()

    def _finished(self, dialog: ImportPreviewDialog) -> None:
        record = dialog.record
        self.dialog = None
        self.window.reload_model()
        if record is not None:
            self.last_preview = dialog.preview
            self.window.statusBar().showMessage(
                f"Model bijgewerkt naar versie {record.model_version or '?'}; uw notities zijn bewaard.", 10000)
            self.window.show_whats_new(dialog.preview)

    def rollback(self, version: KeptVersion | None = None) -> None:
        from desktop.core.updates.apply import previous_version
        from desktop.ui.import_dialog import confirm_restore, restore_in_background

        window = self.window
        if not window.may_write("Een versie terugzetten"):
            return
        chosen = version or previous_version(window.data_dir)
        if chosen is None:
            window.told("Vorige versie terugzetten", "Er is geen vorige versie van het model om terug te zetten.")
            return
        if not confirm_restore(window, chosen):
            return

        def done(record: UpdateRecord | None) -> None:
            window.reload_model()
            if record is not None:
                window.statusBar().showMessage(
                    f"{chosen.describe()[:1].upper()}{chosen.describe()[1:]} is teruggezet; uw notities zijn bewaard.",
                    10000)

        restore_in_background(window, window.data_dir, chosen, window.detach_model, done)

    def show_history(self) -> None:
        from desktop.ui.import_dialog import HistoryDialog

        dialog = HistoryDialog(self.window.data_dir, self.rollback, self.window)
        self.history = dialog
        dialog.open()

    def can_roll_back(self) -> bool:
        from desktop.core.updates.apply import previous_version

        return previous_version(self.window.data_dir) is not None

    # --- a file dropped on the window --------------------------------------------------------------
    @staticmethod
    def dropped_model(urls: list[Any]) -> Path | None:
        local = [u for u in urls if u.isLocalFile()]
        if len(local) != 1:
            return None
        path = Path(local[0].toLocalFile())
        return path if path.suffix.lower() in MODEL_SUFFIXES else None

    def drop(self, path: Path) -> None:
        QTimer.singleShot(0, lambda: self.update_model(path))
