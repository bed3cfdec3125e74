"""The Aanpak menu and the links that lead to it, used as a user does (issue 13 in the main window)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from desktop.core import paths
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace import planning as store
from desktop.ui.main_window import MainWindow
from desktop.ui.planning.feedback_dialog import FeedbackDialog
from desktop.ui.planning.organisations_view import OrganisationsView
from desktop.ui.planning.plan_window import PlanWindow
from desktop.ui.planning.quickscan_window import QuickscanWindow
from tests.test_import_dialog import choose_file, when_modal

pytestmark = pytest.mark.gui


@pytest.fixture()
def window(qtbot: QtBot, real_model_path: Path, tmp_path: Path) -> MainWindow:
    home = tmp_path / "home"
    home.mkdir()
    win = MainWindow(ModelRepository.open(real_model_path), home,
                     QSettings(str(home / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def action(window: MainWindow, menu_title: str, text: str) -> QAction:
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu_title:
            menu = top.menu()
            menu.aboutToShow.emit()  # type: ignore[union-attr]
            for item in menu.actions():  # type: ignore[union-attr]
                if item.text().replace("&", "") == text:
                    return item
    raise AssertionError(f"{menu_title} › {text} staat niet in het menu")


def test_the_aanpak_menu_opens_each_window_once(qtbot: QtBot, window: MainWindow) -> None:
    action(window, "Aanpak", "Quickscan lokale aanpak…").trigger()
    assert isinstance(window.planning.quickscan, QuickscanWindow) and window.planning.quickscan.isVisible()
    action(window, "Aanpak", "Plan…").trigger()
    plan = window.planning.plan
    assert isinstance(plan, PlanWindow) and plan.isVisible()
    action(window, "Aanpak", "Plan…").trigger()
    assert window.planning.plan is plan  # raised again, not a second window
    action(window, "Aanpak", "Organisaties en praktijkvoorbeelden…").trigger()
    assert isinstance(window.planning.organisations, OrganisationsView)


def test_a_factor_chosen_in_the_tree_goes_into_the_plan(qtbot: QtBot, window: MainWindow) -> None:
    add = action(window, "Aanpak", "Deze beschermende factor aan het plan toevoegen")
    assert not add.isEnabled()  # nothing chosen yet
    window.select_node(("cluster", "mediawijsheid"))
    add = action(window, "Aanpak", "Deze beschermende factor aan het plan toevoegen")
    assert add.isEnabled()
    add.trigger()
    plan = window.planning.plan
    assert plan is not None and plan.draft is not None
    assert plan.draft.ids() == ["mediawijsheid"]
    stored = store.plans(window.workspace)
    assert [f.cluster_id for f in store.plan_factors(window.workspace, stored[0].id)] == ["mediawijsheid"]
    # the link in the factor's details adds another
    window.select_node(("cluster", "zelfontplooiing"))
    assert "Aan het plan voor uw lokale aanpak toevoegen" in window.detail.toPlainText()
    window.detail.anchorClicked.emit(QUrl("bouwstenen:add-to-plan/zelfontplooiing"))
    assert plan.draft.ids() == ["mediawijsheid", "zelfontplooiing"]
    # and a factor activated in the plan is shown in the main window
    plan.open_factor.emit("mediawijsheid")
    assert window.current_node == ("cluster", "mediawijsheid")


def test_report_to_the_editors_about_what_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intervention("under-pressure")
    assert "Meld het aan de redactie" in window.detail.toPlainText()
    window.detail.anchorClicked.emit(QUrl("bouwstenen:feedback-intervention/under-pressure"))
    dialog = window.planning.feedback
    assert isinstance(dialog, FeedbackDialog) and dialog.isVisible()
    assert (dialog.target_kind, dialog.target_id) == ("intervention", "under-pressure")
    assert "Under Pressure" in dialog.subject.text()
    dialog.close()
    window.select_node(("cluster", "mediawijsheid"))
    action(window, "Aanpak", "Meld aan de redactie…").trigger()
    assert window.planning.feedback is not None
    assert (window.planning.feedback.target_kind, window.planning.feedback.target_id) == ("cluster", "mediawijsheid")


def test_organisations_linked_from_a_bouwsteen_and_found_by_the_search(qtbot: QtBot, window: MainWindow) -> None:
    window.select_node(("block", "indirect"))
    assert "Organisaties en praktijkvoorbeelden" in window.detail.toPlainText()
    window.detail.anchorClicked.emit(QUrl("bouwstenen:practice/tilburg-integrale-samenwerking"))
    view = window.planning.organisations
    assert view is not None and view.isVisible()
    assert "TILBURG" in view.list.currentItem().text()
    qtbot.keyClicks(window.search, "radicalisering")
    qtbot.waitUntil(lambda: "organisaties en praktijkvoorbeelden" in window.background_hits.text(), timeout=3000)
    window.background_hits.linkActivated.emit("organisaties")
    assert view.search.text() == "radicalisering"


def test_planning_windows_survive_a_model_update(qtbot: QtBot, tmp_path: Path, mini_model_path: Path) -> None:
    from desktop.core.model.xlsx_write import write_workbook
    from tests.import_corpus import changed_mini, make_data_dir

    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    source = changed_mini()
    source.blocks[0].themes[0].clusters[0].name = "Ideologische weerbaarheid (nieuw)"
    write_workbook(source, book)
    win = MainWindow(ModelRepository.open(paths.active_model_path(data_dir)), data_dir,
                     QSettings(str(data_dir / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    win.planning.show_plan("ideologische-weerbaarheid")
    win.show_background()
    seen = when_modal(choose_file(book))
    win.update_action.trigger()
    qtbot.waitUntil(lambda: win.updates.dialog is not None, timeout=20_000)
    assert seen
    dialog = win.updates.dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.updates.dialog is None, timeout=20_000)
    assert win.meta["model_version"] == "2.0"
    plan = win.planning.plan
    assert plan is not None and plan.isVisible() and plan.repo is win.repo  # made anew on the new model
    assert plan.draft is not None and plan.draft.ids() == ["ideologische-weerbaarheid"]
    stored = store.plan_factors(win.workspace, plan.draft.id)
    assert stored[0].cluster_name == "Ideologische weerbaarheid (nieuw)"
    plan.compute()  # reads the open model, not a closed one
    assert win.close()


def test_the_start_screen_leads_to_the_local_approach(qtbot: QtBot, window: MainWindow) -> None:
    window.show_map()
    assert window.start_links.isVisible()
    assert "Quickscan invullen" in window.start_links.text()
    window.start_links.linkActivated.emit("quickscan")
    assert window.planning.quickscan is not None and window.planning.quickscan.isVisible()
    window.start_links.linkActivated.emit("plan")
    assert window.planning.plan is not None and window.planning.plan.isVisible()
