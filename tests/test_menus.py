"""Every menu action works as a user triggers it, every dialog it opens speaks Dutch, and no slot raises.

pytest-qt fails a test on any exception raised in a Qt slot or event handler, so walking the menus and
answering every dialog that opens is enough to see a broken action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.search.repository import ModelRepository
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ENGLISH = {"cancel", "ok?", "yes", "no", "close", "open", "save", "apply", "abort", "retry", "ignore", "discard",
           "help", "reset", "restore defaults", "save all", "no to all", "yes to all", "print", "choose", "back",
           "forward", "detail view", "list view", "create new folder", "look in:", "file name:", "files of type:"}


class DialogSweeper:
    """Closes whatever dialog an action opens (as a user pressing Esc would) and records its buttons."""

    def __init__(self, main: QWidget) -> None:
        self.main = main
        self.seen: list[str] = []
        self.english: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self.sweep)
        self.timer.start()

    def sweep(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget is self.main or not widget.isVisible() or isinstance(widget, QMenu):
                continue
            self.seen.append(f"{type(widget).__name__}: {widget.windowTitle()}")
            for button in widget.findChildren(QAbstractButton):
                text = button.text().replace("&", "").strip().lower()
                if button.isVisible() and text in ENGLISH:
                    self.english.append(f"{widget.windowTitle()}: {button.text()}")
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    def stop(self) -> None:
        self.timer.stop()


def actions_of(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        if action.isSeparator():
            continue
        if action.menu() is not None:
            yield from actions_of(action.menu())  # type: ignore[arg-type]
        else:
            yield action


@pytest.fixture()
def window(qtbot: QtBot, real_model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", lambda url: True)
    home = tmp_path / "home"
    home.mkdir()
    window = MainWindow(ModelRepository.open(real_model_path), home,
                        QSettings(str(home / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Goed")
    window.workspace.create_shortlist("Aanpak Noord")
    window.shortlists.reload()
    return window


def test_every_menu_action_can_be_triggered(qtbot: QtBot, window: MainWindow) -> None:
    sweeper = DialogSweeper(window)
    walked = []
    try:
        for menu_action in window.menuBar().actions():
            menu = menu_action.menu()
            assert isinstance(menu, QMenu)
            menu.aboutToShow.emit()  # what opening the menu does (e.g. enabling 'Vorige versie terugzetten')
            for action in actions_of(menu):
                if action.text().replace("&", "") == "Afsluiten":
                    continue
                if not action.isEnabled():
                    continue
                # an intervention is shown, so the actions about 'this intervention' have something to act on
                window.open_intervention("under-pressure")
                walked.append(action.text().replace("&", ""))
                action.trigger()
                qtbot.wait(150)
                sweeper.sweep()
                if window.presentation is not None:
                    window.presentation.close()
            menu.aboutToHide.emit()
        qtbot.wait(200)
        sweeper.sweep()
    finally:
        sweeper.stop()
    assert len(walked) >= 25, walked
    assert "Model bijwerken…" in walked and "Afdrukken…" in walked and "Presentatiemodus" in walked
    assert sweeper.english == [], sweeper.english
    assert window.isVisible()


def test_every_shortcut_is_unique(window: MainWindow) -> None:
    shortcuts: dict[str, str] = {}
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        for action in actions_of(menu):
            key = action.shortcut().toString()
            if key:
                assert key not in shortcuts, f"{key}: {shortcuts[key]} and {action.text()}"
                shortcuts[key] = action.text()


def test_a_message_box_speaks_dutch(qtbot: QtBot, window: MainWindow) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Vraag", "Doorgaan?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel,
                      window)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Yes,
                                                              QMessageBox.StandardButton.No,
                                                              QMessageBox.StandardButton.Cancel)}
    assert texts == {"Ja", "Nee", "Annuleren"}
