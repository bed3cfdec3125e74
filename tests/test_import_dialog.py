"""The "Model bijwerken" dialog and the rollback question, driven through real widgets (offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop.core import paths
from desktop.core.model_import import inspect
from desktop.core.workbook import write_workbook
from desktop.ui.import_dialog import ImportPreviewDialog, confirm_rollback, run_import
from tests.import_corpus import CASES, changed_mini, document, make_bases, make_data_dir, tree_hashes

pytestmark = pytest.mark.gui


@pytest.fixture()
def setup(tmp_path: Path, mini_model_path: Path) -> tuple[Path, Path]:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    return data_dir, book


def texts(dialog: ImportPreviewDialog) -> str:
    lines = []
    for i in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(i)
        lines.append(item.text(0))
        for j in range(item.childCount()):
            lines.append("  " + item.child(j).text(0))
    return "\n".join(lines)


def test_preview_dialog_shows_changes_and_updates(qtbot: QtBot, setup: tuple[Path, Path]) -> None:
    data_dir, book = setup
    live = paths.installed_model_path(data_dir)
    closed: list[bool] = []
    preview = inspect(book, live, {"radicalise"})
    dialog = ImportPreviewDialog(preview, data_dir, lambda: closed.append(True))
    qtbot.addWidget(dialog)
    shown = texts(dialog)
    assert "Gewijzigde interventies (1)" in shown and "Verwijderde interventies (1)" in shown
    assert "Radicalise [radicalise]" in shown and "Uw notities" in shown
    assert dialog.update_button.isEnabled() and dialog.update_button.text() == "Bijwerken"
    dialog.show()
    dialog.update_button.click()
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert closed == [True]  # the live model was closed on the GUI thread just before the swap
    assert document(live)["meta"]["model_version"] == "2.0"


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


def press_when_modal(qtbot: QtBot, choose: Callable[[QDialog], QPushButton | None]) -> list[str]:
    """Press a button of the next modal dialog (run_import and the message boxes are modal)."""
    seen: list[str] = []

    def act() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            QTimer.singleShot(20, act)
            return
        seen.append(widget.windowTitle())
        button = choose(widget)  # type: ignore[arg-type]
        if button is not None:
            button.click()

    QTimer.singleShot(20, act)
    return seen


def test_run_import_with_a_file(qtbot: QtBot, setup: tuple[Path, Path]) -> None:
    data_dir, book = setup
    live = paths.installed_model_path(data_dir)
    seen = press_when_modal(qtbot, lambda d: d.update_button if isinstance(d, ImportPreviewDialog) else None)
    record = run_import(None, live, data_dir, set(), path=book)
    assert seen == ["Model bijwerken"]
    assert record is not None and record.model_version == "2.0"
    assert document(live)["meta"]["model_version"] == "2.0"


def test_confirm_rollback(qtbot: QtBot, setup: tuple[Path, Path], mini_model_path: Path) -> None:
    data_dir, book = setup
    live = paths.installed_model_path(data_dir)
    press_when_modal(qtbot, lambda d: d.update_button if isinstance(d, ImportPreviewDialog) else None)
    assert run_import(None, live, data_dir, set(), path=book) is not None

    def answer(no: bool) -> Callable[[QDialog], QPushButton | None]:
        def choose(box: QDialog) -> QPushButton | None:
            assert isinstance(box, QMessageBox)
            assert "versie 1.0" in box.text()
            return box.button(QMessageBox.StandardButton.No if no else QMessageBox.StandardButton.Yes)
        return choose

    press_when_modal(qtbot, answer(no=True))
    assert confirm_rollback(None, data_dir) is False
    assert document(live)["meta"]["model_version"] == "2.0"
    closed: list[bool] = []
    press_when_modal(qtbot, answer(no=False))
    assert confirm_rollback(None, data_dir, lambda: closed.append(True)) is True
    assert closed == [True]
    assert document(live) == document(mini_model_path)


def test_confirm_rollback_without_previous(qtbot: QtBot, tmp_path: Path) -> None:
    seen = press_when_modal(qtbot, lambda box: box.button(QMessageBox.StandardButton.Ok)  # type: ignore[attr-defined]
                            if isinstance(box, QMessageBox) else None)
    assert confirm_rollback(None, tmp_path) is False
    assert seen == ["Vorige versie terugzetten"]


def test_main_window_update_keeps_notes_and_rolls_back(qtbot: QtBot, setup: tuple[Path, Path]) -> None:
    """From the menu action to the refreshed window: renamed/removed interventions keep their notes."""
    from PySide6.QtCore import QSettings

    from desktop.core.search.repository import ModelRepository
    from desktop.core.workbook import write_workbook
    from desktop.ui.main_window import MainWindow

    data_dir, book = setup
    source = changed_mini()
    next(iv for iv in source.interventions if iv.id == "under-pressure").name = "Under Pressure (nieuw)"
    write_workbook(source, book)
    repo = ModelRepository.open(paths.active_model_path(data_dir))
    window = MainWindow(repo, data_dir, QSettings(str(data_dir / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.workspace.add_entry("radicalise", "Radicalise", status="overwogen", text="Te duur")
    press_when_modal(qtbot, lambda d: d.update_button if isinstance(d, ImportPreviewDialog) else None)
    assert window.update_model(book) is True
    assert window.meta["model_version"] == "2.0" and "2.0" in window.model_label.text()
    assert "weerbaar-online" in window.list_model.ids() and "radicalise" not in window.list_model.ids()
    window.open_intervention("under-pressure")
    assert "Under Pressure (nieuw)" in window.detail.toPlainText()
    assert [e.text for e in window.workspace.entries_for("under-pressure")] == ["Goed ontvangen op school."]
    assert window.workspace.entries_for("under-pressure")[0].intervention_name == "Under Pressure (nieuw)"
    assert [e.text for e in window.orphaned_entries()] == ["Te duur"]  # type: ignore[attr-defined]
    press_when_modal(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes)  # type: ignore[attr-defined]
                     if isinstance(box, QMessageBox) else None)
    assert window.rollback_model() is True
    assert window.meta["model_version"] == "1.0" and "radicalise" in window.list_model.ids()
    assert window.orphaned_entries() == []
