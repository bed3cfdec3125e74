"""The user's own data from the window: notes export and import, conflicts, orphans, periodic backups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from desktop.core.errors import log
from desktop.core.workspace.safety import backup_before, backup_if_changed, due
from desktop.core.workspace.store import Workspace
from desktop.ui.tasks import run_task

if TYPE_CHECKING:  # the exchange is loaded on first use, not at start-up
    from desktop.core.workspace.exchange import ExportResult, NotesImportResult
    from desktop.ui.main_window import MainWindow

BACKUP_CHECK_MS = 5 * 60 * 1000


class NotesController:
    """Notities › Exporteren…/Importeren…, conflicts and orphans, and a backup every half hour."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_backup: dt.datetime | None = dt.datetime.now()  # the start made one when needed
        self.backup_timer = QTimer(window)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.periodic_backup)
        self.backup_timer.start()

    def export(self) -> None:
        from desktop.core.workspace.exchange import export_notes

        window = self.window
        path, _ = QFileDialog.getSaveFileName(window, "Notities exporteren",
                                              str(window.export_folder() / "mijn-bouwstenen-notities.xlsx"),
                                              "Excel-werkmap (*.xlsx)")
        if not path:
            return
        target = Path(path)
        data_path, read_only, model_path = window.workspace.path, window.workspace.read_only, window.repo.path

        def work(_report: Any, _cancelled: Any) -> ExportResult:
            from desktop.cli.notes_commands import describe_for

            with Workspace(data_path, read_only=read_only) as workspace:
                describe = describe_for(model_path)
                try:
                    return export_notes(workspace, target, describe=describe)
                finally:
                    describe.close()

        run_task(window, "Notities exporteren", work,
                 lambda result: window.told("Notities geëxporteerd", f"{result.summary()}\n\nBestand: {target}"))

    def import_(self) -> None:
        from desktop.core.workspace.exchange import import_notes

        window = self.window
        if not window.may_write("Notities importeren"):
            return
        path, _ = QFileDialog.getOpenFileName(window, "Notities importeren", str(window.export_folder()),
                                              "Excel-werkmap (*.xlsx);;Alle bestanden (*)")
        if not path:
            return
        source, data_path, data_dir = Path(path), window.workspace.path, window.data_dir

        def work(report: Any, cancelled: Any) -> NotesImportResult:
            backup_before(data_dir, "notities-import")
            with Workspace(data_path) as workspace:
                return import_notes(workspace, source, report, cancelled)

        def done(result: NotesImportResult) -> None:
            lines = result.summary()
            if result.problems:
                lines += ["", "Let op:", *result.problems[:20]]
            window.told("Notities geïmporteerd", "\n".join(lines))
            window.notes_changed_elsewhere()
            if result.conflicts:
                self.show_conflicts()

        run_task(window, "Notities importeren", work, done, cancellable=True)

    def show_orphans(self) -> None:
        from desktop.ui.orphans_dialog import OrphansDialog

        dialog = OrphansDialog(self.window.workspace, self.window.repo, self.window)
        dialog.finished.connect(lambda _c: self.window.notes_changed_elsewhere())
        self.window.orphans_dialog = dialog
        dialog.open()

    def show_conflicts(self) -> None:
        from desktop.ui.conflicts_dialog import ConflictsDialog

        dialog = ConflictsDialog(self.window.workspace, self.window)
        dialog.finished.connect(lambda _c: self.window.notes_changed_elsewhere())
        self.window.conflicts_dialog = dialog
        dialog.open()

    def periodic_backup(self) -> None:
        """Every half hour while working, when anything changed (in the background, never in the way)."""
        window = self.window
        if window.workspace.read_only or not due(self.last_backup):
            return
        data_path, data_dir = window.workspace.path, window.data_dir

        def work(_report: Any, _cancelled: Any) -> object:
            with Workspace(data_path) as workspace:
                return backup_if_changed(workspace, data_dir, "tijdens-werken")

        def failed(error: BaseException) -> None:
            log.warning("periodic backup failed: %s", error)
            window.statusBar().showMessage(f"Reservekopie niet gemaakt: {error}", 10000)

        self.last_backup = dt.datetime.now()
        run_task(window, "Reservekopie maken", work, lambda _r: None, failed, show_progress=False)

    def backup_now(self) -> None:
        data_path, data_dir = self.window.workspace.path, self.window.data_dir

        def work(_report: Any, _cancelled: Any) -> object:
            from desktop.core.workspace.safety import make_backup

            with Workspace(data_path) as workspace:
                return make_backup(workspace, data_dir, "handmatig")

        run_task(self.window, "Reservekopie maken", work,
                 lambda path: self.window.told("Reservekopie gemaakt", f"De reservekopie staat in:\n{path}"))


