"""The window as a user meets it: saving that fails, read-only folders, a search that explains itself,
sorting, help, the keyboard, small screens (issues 10 and 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.store import Workspace
from desktop.ui.item_models import FOUND, NAME, TREDE, UNLINKED_KEY
from desktop.ui.main_window import MainWindow
from tests.ui_helpers import make_window, settle

pytestmark = pytest.mark.gui


@pytest.fixture()
def window(qtbot: QtBot, real_repo: ModelRepository, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, real_repo, tmp_path / "home", size=(1366, 768))


# --- notes: a failed save is never shown as saved (issue 10.3), no empty notes (15.7) -----------------

def test_a_full_disk_while_typing_keeps_the_text_and_says_why(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intervention("under-pressure")
    qtbot.mouseClick(window.notes.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.notes.text, "Begin")
    assert window.notes.saved.text() == "Opgeslagen"
    pages = window.workspace.conn.execute("PRAGMA page_count").fetchone()[0]
    window.workspace.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
    long_text = "Veel tekst die niet meer past. " * 4000
    window.notes.text.setPlainText(long_text)
    assert window.notes.saved.text() == "Niet opgeslagen"
    assert window.notes.warning.isVisible() and "schijf is vol" in window.notes.warning.text()
    assert window.notes.text.toPlainText() == long_text  # nothing typed is thrown away
    assert window.notes.has_unsaved()
    assert window.workspace.entries_for("under-pressure")[0].text == "Begin"
    window.workspace.conn.execute("PRAGMA max_page_count = 1073741823")  # space is freed
    qtbot.waitUntil(lambda: not window.notes.has_unsaved(), timeout=8000)  # the panel retries by itself
    assert window.workspace.entries_for("under-pressure")[0].text == long_text
    assert window.notes.saved.text() == "Opgeslagen" and not window.notes.warning.isVisible()


def test_closing_with_unsaved_text_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window.open_intervention("under-pressure")
    window.notes.new_entry()
    pages = window.workspace.conn.execute("PRAGMA page_count").fetchone()[0]
    window.workspace.conn.execute(f"PRAGMA max_page_count = {pages}")
    window.notes.text.setPlainText("x" * 200_000)
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            next(b for b in box.buttons() if b.text() == "Annuleren").click()
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    window.close()
    assert asked and "nog niet opgeslagen" in asked[0]
    assert window.isVisible()  # cancelled: the window stays, with the text
    window.workspace.conn.execute("PRAGMA max_page_count = 1073741823")
    assert window.notes.retry()
    window.close()
    assert not window.isVisible()


def test_an_empty_note_is_not_kept(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intervention("under-pressure")
    qtbot.mouseClick(window.notes.add_button, Qt.MouseButton.LeftButton)
    assert window.notes.form.isVisible()
    window.notes.date.setDate(window.notes.date.date().addDays(-3))  # a date alone is not a note
    window.open_intervention("said-en-lody")
    window.open_intervention("under-pressure")
    assert window.workspace.entries_for("under-pressure") == []
    assert window.list_model.note_marks == {}


def test_a_read_only_workspace_shows_a_banner_and_disables_editing(qtbot: QtBot, real_repo: ModelRepository,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "home" / "workspace.sqlite"
    with Workspace(path) as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Op de stick")
        workspace.checkpoint()
    read_only = Workspace(path, read_only=True)
    window = make_window(qtbot, real_repo, tmp_path / "home", read_only, size=(1366, 768))
    assert window.banner.isVisible() and "Alleen-lezen" in window.banner.text()
    window.open_intervention("under-pressure")
    assert "Op de stick" in window.notes.text.toPlainText()
    assert not window.notes.add_button.isEnabled() and not window.notes.form.isEnabled()
    assert not window.import_notes_action.isEnabled() and not window.update_action.isEnabled()


# --- a search that explains itself (issue 15.3) -------------------------------------------------------

def test_the_scope_is_a_chip_that_can_be_removed(qtbot: QtBot, window: MainWindow) -> None:
    window.select_node(("block", "individu"))
    window.search.setText("ouders")
    settle(qtbot, window)
    inside = window.list_model.rowCount()
    chips = [b.text() for b in window.chips.findChildren(QWidget) if hasattr(b, "text") and b.isVisibleTo(window)]
    assert any(text.startswith("In: Bouwsteen 1. Individu") for text in chips), chips
    assert "in bouwsteen ‘1. Individu’" in window.result_label.text()
    chip = next(b for b in window.chips.findChildren(QWidget) if hasattr(b, "text") and b.text().startswith("In:"))
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    settle(qtbot, window)
    assert window.current_node == ("all", "") and window.list_model.rowCount() > inside


def test_each_result_says_where_it_was_found(qtbot: QtBot, window: MainWindow) -> None:
    window.search.setText("ouders")
    settle(qtbot, window)
    assert not window.table.isColumnHidden(FOUND)
    assert window.table.columnWidth(FOUND) >= 200  # readable, also in the narrow pane of a 1366x768 laptop
    found = {window.list_model.id_at(r): window.list_model.data(window.list_model.index(r, FOUND))
             for r in range(window.list_model.rowCount())}
    assert all(text for text in found.values())
    assert found["ouders-in-positie"].startswith("naam:")
    linked_only = [iid for iid, text in found.items() if text.startswith("gekoppelde factor")]
    assert linked_only  # found through a linked factor's text, and it says so
    window.search.clear()
    settle(qtbot, window)
    assert window.table.isColumnHidden(FOUND)
    assert window.table.columnWidth(NAME) >= 180  # names stay readable when the pane is narrow


def test_the_detail_pane_follows_the_results(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intervention("under-pressure")
    assert "Under Pressure" in window.detail.toPlainText()
    window.search.setText("ouders")
    settle(qtbot, window)
    assert "Niet in de resultaten" in window.detail.toPlainText()
    window.search.setText("under")
    settle(qtbot, window)
    window.table.selectRow(window.list_model.row_of("under-pressure"))
    html = window.detail.toHtml()
    assert "Under" in window.detail.toPlainText() and "#ffe27a" in html  # the search words are marked


def test_sorting_keeps_the_selected_intervention(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intervention("under-pressure")
    before = window.table.currentIndex().row()
    window.table.horizontalHeader().sectionClicked.emit(TREDE)
    window.table.sortByColumn(TREDE, Qt.SortOrder.DescendingOrder)
    selected = window.table.selectionModel().selectedRows()
    assert len(selected) == 1
    assert window.list_model.id_at(selected[0].row()) == "under-pressure"
    assert window.list_model.id_at(window.table.currentIndex().row()) == "under-pressure"
    assert window.table.currentIndex().row() != before or window.list_model.rowCount() < 3
    assert window.current_intervention == "under-pressure" and "Under Pressure" in window.detail.toPlainText()
    names = [window.list_model.data(window.list_model.index(r, NAME)) for r in range(3)]
    assert names


def test_counts_speak_proper_dutch(qtbot: QtBot, window: MainWindow) -> None:
    window.search.setText("Under Pressure")
    settle(qtbot, window)
    assert window.result_label.text() == "1 interventie"
    window.search.clear()
    settle(qtbot, window)
    assert window.result_label.text() == "120 interventies"


def test_interventions_without_a_factor_have_their_own_node(qtbot: QtBot, window: MainWindow,
                                                            real_repo: ModelRepository) -> None:
    window.select_node(UNLINKED_KEY)
    assert window.list_model.rowCount() == real_repo.unlinked_count() > 0
    assert "Niet gekoppeld" in window.detail.toPlainText()


# --- help and keyboard (issue 15.6 and 15.8) ----------------------------------------------------------

def test_f1_opens_the_part_of_the_manual_for_the_focused_pane(qtbot: QtBot, window: MainWindow) -> None:
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_F1)
    assert "Boom" in window.detail.toPlainText() and "bouwstenen" in window.detail.toPlainText()
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_F1)
    assert "Zoeken" in window.detail.toPlainText() and "aanhalingstekens" in window.detail.toPlainText()
    window._focus_filters()
    qtbot.keyClick(window.filters, Qt.Key.Key_F1)
    assert "Filters" in window.detail.toPlainText()


def test_tab_reaches_every_pane(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intervention("under-pressure")
    window.search.setFocus()
    reached: set[str] = set()
    panes = {"tree": window.tree, "search": window.search, "list": window.table, "details": window.detail,
             "notes": window.notes, "filters": window.left_tabs}
    for _ in range(120):
        focus = QApplication.focusWidget()
        for name, pane in panes.items():
            if focus is not None and (focus is pane or pane.isAncestorOf(focus)):
                reached.add(name)
        qtbot.keyClick(focus or window, Qt.Key.Key_Tab)
    assert reached == set(panes), set(panes) - reached


def test_the_window_fits_a_small_screen(qtbot: QtBot, window: MainWindow) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700, hint
    window.resize(1024, 700)
    window._proportions(1024, 700)
    QApplication.processEvents()
    assert window.width() <= 1024
    window.open_intervention("under-pressure")
    window.notes.new_entry()
    QApplication.processEvents()
    form = window.notes.form
    assert form.isVisible() and form.height() >= form.minimumSizeHint().height()


def test_a_high_contrast_palette_is_honoured(qtbot: QtBot, real_repo: ModelRepository, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("black"))
    dark.setColor(QPalette.ColorRole.Base, QColor("black"))
    dark.setColor(QPalette.ColorRole.Text, QColor("white"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("white"))
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#ffff00"))
    app.setPalette(dark)
    try:
        window = make_window(qtbot, real_repo, tmp_path / "hc", size=(1366, 768))
        from desktop.ui import detail_html

        assert "#ffff00" in detail_html.STYLE  # muted text takes the theme's colour, never a fixed grey
        window.open_intervention("under-pressure")
        assert "#ffff00" in window.detail.toHtml().lower()
    finally:
        app.setPalette(original)


def test_the_reports_notes_on_the_list_and_the_tredes_are_shown(window: MainWindow) -> None:
    """The report says its list is not exhaustive and where the tredes come from: a user reads both."""
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help")
    ladder = next(a for a in help_menu.actions() if a.text().replace("&", "") == "De effectladder")  # type: ignore[union-attr]
    ladder.trigger()
    text = window.detail.toPlainText()
    assert "Waar de trede van een interventie vandaan komt" in text and "NJi" in text
    window.show_start()
    assert "beoogt geen uitputtend overzicht" in window.detail.toPlainText()


def test_background_work_can_call_the_gui_before_its_caller_has_the_task(qtbot: QtBot) -> None:
    """The worker may reach `call_on_gui` before `run_task` has even returned (a busy laptop)."""
    import threading

    from desktop.ui.tasks import call_on_gui, run_task

    ran_on: list[bool] = []
    results: list[str] = []

    def work(_report: object, _cancelled: object) -> str:
        call_on_gui(lambda: ran_on.append(threading.current_thread() is threading.main_thread()))
        return "klaar"

    run_task(None, "Test", work, results.append, show_progress=False)
    qtbot.waitUntil(lambda: results == ["klaar"], timeout=5000)
    assert ran_on == [True]


def test_deleting_a_note_asks_first_and_no_is_the_default(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window.workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Twee lessen")
    window.open_intervention("under-pressure")
    window.notes.entries.setCurrentRow(0)
    questions: list[str] = []

    def answer(text: str) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, lambda: answer(text))
            return
        questions.append(box.text())
        assert box.defaultButton().text() == "Annuleren"  # Enter never deletes
        next(b for b in box.buttons() if b.text() == text).click()

    QTimer.singleShot(20, lambda: answer("Annuleren"))
    qtbot.mouseClick(window.notes.delete_button, Qt.MouseButton.LeftButton)
    assert len(window.workspace.entries_for("under-pressure")) == 1
    QTimer.singleShot(20, lambda: answer("Verwijderen"))
    qtbot.mouseClick(window.notes.delete_button, Qt.MouseButton.LeftButton)
    assert window.workspace.entries_for("under-pressure") == []
    assert questions == ["Deze notitie definitief verwijderen?"] * 2


def test_notes_of_a_removed_intervention_can_be_deleted_after_a_question(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.orphans_dialog import OrphansDialog

    for text in ("Eerste", "Tweede"):
        window.workspace.add_entry("bestaat-niet-meer", "Oude interventie", text=text)
    dialog = OrphansDialog(window.workspace, window.repo, window)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Verwijderen").click()

    QTimer.singleShot(20, answer)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].startswith("De 2 notities bij ‘Oude interventie’ definitief verwijderen?")
    assert window.orphaned_entries() == []


def test_the_list_and_detail_shortcuts_work_from_the_start_screen(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+2 and Ctrl+3 (Beeld › Interventielijst, Details) focus a pane that the start screen hides: it is shown."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    assert window.stack.currentWidget() is window.start_page
    for key, pane in ((Qt.Key.Key_2, window.table), (Qt.Key.Key_3, window.detail)):
        window.show_map()  # Ctrl+0: the start screen again
        assert not pane.isVisible()
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(pane.hasFocus, timeout=3000)
        assert pane.isVisible() and window.stack.currentWidget() is window.browse
