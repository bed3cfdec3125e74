"""Model updates through the window as a user does it: the menu, the file dialog, the preview, the
history window, a file dropped on the window; and the dialog's own behaviour."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.core import paths
from desktop.core.model.xlsx_write import write_workbook
from desktop.core.search.repository import ModelRepository
from desktop.core.updates.inspect import inspect
from desktop.ui.import_dialog import ImportPreviewDialog
from desktop.ui.main_window import MainWindow
from tests.import_corpus import CASES, changed_mini, document, make_bases, make_data_dir, tree_hashes

pytestmark = pytest.mark.gui


@pytest.fixture()
def setup(tmp_path: Path, mini_model_path: Path) -> tuple[Path, Path]:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    source = changed_mini()
    next(iv for iv in source.interventions if iv.id == "under-pressure").name = "Under Pressure (nieuw)"
    source.blocks[0].themes[0].name = "Persoonlijke ontwikkeling (nieuw)"
    write_workbook(source, book)
    return data_dir, book


@pytest.fixture()
def window(qtbot: QtBot, setup: tuple[Path, Path]) -> Iterator[MainWindow]:
    data_dir, _book = setup
    repo = ModelRepository.open(paths.active_model_path(data_dir))
    win = MainWindow(repo, data_dir, QSettings(str(data_dir / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    yield win


def texts(dialog: ImportPreviewDialog) -> str:
    lines = []
    for i in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(i)
        lines.append(item.text(0))
        for j in range(item.childCount()):
            child = item.child(j)
            lines.append("  " + child.text(0))
            lines.extend("    " + child.child(k).text(0) for k in range(child.childCount()))
    return "\n".join(lines)


def when_modal(handle: Callable[[QWidget], bool]) -> list[str]:
    """Answer the next modal dialog(s) as a user would: `handle` returns True when it dealt with one."""
    seen: list[str] = []

    def act() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible() and widget.windowTitle() not in seen and handle(widget):
            seen.append(widget.windowTitle())
            return
        QTimer.singleShot(20, act)

    QTimer.singleShot(20, act)
    return seen


def choose_file(path: Path) -> Callable[[QWidget], bool]:
    """Type the file name into Qt's file dialog and press its Open (Openen) button, as a user does."""
    def handle(widget: QWidget) -> bool:
        if not isinstance(widget, QFileDialog):
            return False
        edit = widget.findChild(QLineEdit, "fileNameEdit")
        buttons = widget.findChild(QDialogButtonBox)
        assert edit is not None and buttons is not None
        edit.setText(str(path))
        accept = next(b for b in buttons.buttons() if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
        assert accept.text().replace("&", "") in ("Openen", "Opslaan"), accept.text()  # Qt speaks Dutch
        accept.click()
        return True
    return handle


def press(button: QMessageBox.StandardButton) -> Callable[[QWidget], bool]:
    def handle(widget: QWidget) -> bool:
        if not isinstance(widget, QMessageBox):
            return False
        widget.button(button).click()
        return True
    return handle


def test_update_from_the_menu_with_the_file_dialog(qtbot: QtBot, window: MainWindow,
                                                   setup: tuple[Path, Path]) -> None:
    _data_dir, book = setup
    window.workspace.add_entry("radicalise", "Radicalise", status="overwogen", text="Te duur")
    seen = when_modal(choose_file(book))
    window.update_action.trigger()  # Bestand › Model bijwerken…
    qtbot.waitUntil(lambda: window.updates.dialog is not None, timeout=20_000)
    assert seen == ["Model bijwerken: kies een gepubliceerd model"]
    dialog = window.updates.dialog
    assert dialog is not None
    shown = texts(dialog)
    assert "Thema ‘Persoonlijke ontwikkeling (nieuw)’" in shown
    assert "interventies: 1 toegevoegd, 1 gewijzigd, 1 verwijderd" in dialog.summary.text()
    assert "Uw notities" in shown and "Radicalise" in shown
    assert "[radicalise]" not in shown and dialog.tree.isColumnHidden(1)  # ids only in the fold-out
    dialog.show_ids.setChecked(True)
    assert not dialog.tree.isColumnHidden(1)
    qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.updates.dialog is None, timeout=20_000)
    assert window.meta["model_version"] == "2.0" and "2.0" in window.model_label.text()
    assert "Wat is er nieuw" in window.detail.toPlainText()
    assert "weerbaar-online" in window.list_model.ids() and "radicalise" not in window.list_model.ids()
    window.open_intervention("under-pressure")
    assert "Under Pressure (nieuw)" in window.detail.toPlainText()
    assert window.workspace.entries_for("under-pressure")[0].intervention_name == "Under Pressure (nieuw)"
    assert [e.text for e in window.orphaned_entries()] == ["Te duur"]
    # and back, from the menu, answering the question
    seen = when_modal(press(QMessageBox.StandardButton.Yes))
    window.file_menu.aboutToShow.emit()
    assert window.rollback_action.isEnabled()
    window.rollback_action.trigger()
    qtbot.waitUntil(lambda: window.meta.get("model_version") == "1.0", timeout=20_000)
    assert seen == ["Versie terugzetten"]
    assert "radicalise" in window.list_model.ids() and window.orphaned_entries() == []


def test_a_file_dropped_on_the_window_is_offered_as_an_update(qtbot: QtBot, window: MainWindow,
                                                              setup: tuple[Path, Path]) -> None:
    _data_dir, book = setup
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(book))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window takes a model file
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    qtbot.waitUntil(lambda: window.updates.dialog is not None, timeout=20_000)
    dialog = window.updates.dialog
    assert dialog is not None and dialog.preview.ok
    dialog.reject()


def test_the_history_window_brings_back_any_version(qtbot: QtBot, window: MainWindow,
                                                    setup: tuple[Path, Path]) -> None:
    _data_dir, book = setup
    seen = when_modal(choose_file(book))
    window.update_action.trigger()
    qtbot.waitUntil(lambda: window.updates.dialog is not None, timeout=20_000)
    assert seen
    dialog = window.updates.dialog
    assert dialog is not None
    dialog.update_button.click()
    qtbot.waitUntil(lambda: window.updates.dialog is None, timeout=20_000)
    window.updates.show_history()
    history = window.updates.history
    assert history is not None
    rows = [history.history.topLevelItem(i).text(2) for i in range(history.history.topLevelItemCount())]
    assert rows == ["v2.xlsx"]
    assert history.versions.topLevelItemCount() == 1 and "1.0" in history.versions.topLevelItem(0).text(0)
    history.versions.setCurrentItem(history.versions.topLevelItem(0))
    assert history.restore_button.isEnabled()
    when_modal(press(QMessageBox.StandardButton.Yes))
    history.restore_button.click()
    qtbot.waitUntil(lambda: window.meta.get("model_version") == "1.0", timeout=20_000)


def test_a_refused_file_shows_its_errors_and_cannot_be_applied(qtbot: QtBot, tmp_path: Path,
                                                               setup: tuple[Path, Path]) -> None:
    data_dir, _book = setup
    bases = make_bases(tmp_path / "bases")
    bad = next(c for c in CASES if c.name == "trede 9").build(bases, tmp_path)
    before = tree_hashes(data_dir)
    dialog = ImportPreviewDialog(inspect(bad, paths.installed_model_path(data_dir), set()), data_dir)
    qtbot.addWidget(dialog)
    assert not dialog.update_button.isVisible() and not dialog.update_button.isEnabled()
    assert dialog.cancel_button.text() == "Sluiten"
    shown = texts(dialog)
    assert "Fouten (1)" in shown and "trede 9 ligt niet tussen 0 en 5" in shown and "rij 2" in shown
    dialog.start_update()  # ignored
    assert dialog.task is None and tree_hashes(data_dir) == before


def test_the_preview_applies_and_closes_the_model_first(qtbot: QtBot, setup: tuple[Path, Path]) -> None:
    data_dir, book = setup
    live = paths.installed_model_path(data_dir)
    closed: list[bool] = []
    dialog = ImportPreviewDialog(inspect(book, live, {"radicalise"}), data_dir, lambda: closed.append(True))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.update_button.click()
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=20_000)
    assert closed == [True]  # the live model was closed on the GUI thread just before the swap
    assert document(live)["meta"]["model_version"] == "2.0"
