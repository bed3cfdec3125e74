"""Opening the main window in a test as a user's start would, and waiting for the typing delay."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.store import Workspace
from desktop.ui.main_window import MainWindow


def make_window(qtbot: QtBot, repo: ModelRepository, home: Path, workspace: Workspace | None = None,
                size: tuple[int, int] | None = None) -> MainWindow:
    """The main window on `repo` with its data in `home`; `size` as on a laptop screen (e.g. 1366x768)."""
    home.mkdir(parents=True, exist_ok=True)
    window = MainWindow(repo, home, QSettings(str(home / "t.ini"), QSettings.Format.IniFormat), workspace=workspace)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
        window._proportions(*size)
    window.show()
    return window


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the typing delay of the search field to pass."""
    qtbot.waitUntil(lambda: not window.search_timer.isActive(), timeout=2000)
