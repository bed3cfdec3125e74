"""Start the GUI: QApplication, the model, the main window (and the --smoke check)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core import paths
from desktop.core.repository import ModelRepository
from desktop.core.schema import ModelFileError
from desktop.core.source import SourceError


def run_gui(data_dir: Path, smoke: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Bouwstenen")
    app.setOrganizationName("Bouwstenen")
    app.setApplicationDisplayName("Bouwstenen")
    icon = paths.resources_dir() / "icons" / "bouwstenen.svg"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if paths.installed_model_path(data_dir).parent.is_dir():  # only after an update was ever started
            from desktop.core.model_import import cleanup_staging

            cleanup_staging(data_dir)  # leftovers of an update that was interrupted
        paths.ensure_bundled_model()
        repo = ModelRepository.open(paths.active_model_path(data_dir))
    except (ModelFileError, SourceError, OSError) as exc:
        if smoke:
            print(f"bouwstenen: {exc}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, "Bouwstenen kan niet starten", str(exc))
        return 1

    from desktop.ui.main_window import MainWindow

    window = MainWindow(repo, data_dir)
    window.show()
    if smoke:
        app.processEvents()
        ok = window.isVisible() and window.list_model.rowCount() > 0
        window.close()
        print("ok" if ok else "fout: hoofdvenster zonder interventies")
        return 0 if ok else 1
    QTimer.singleShot(0, window.tree.setFocus)
    return int(app.exec())
