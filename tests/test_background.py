"""The Achtergrond section (issue 12.5): the other sources, searchable, linked from the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QUrl
from pytestqt.qtbot import QtBot

from desktop.core.search.background import background_contents, background_text, search_background
from desktop.core.search.repository import ModelRepository
from desktop.ui.main_window import MainWindow


def test_every_source_document_has_its_texts(real_repo: ModelRepository) -> None:
    documents = background_contents(real_repo)
    titles = [d.title for d in documents]
    assert "Voorkomen van radicalisering door vergroten van veerkracht" in titles
    assert "Weerbare jongeren, weerbare professionals" in titles
    assert all(d.entries for d in documents)
    ids = [e.id for d in documents for e in d.entries]
    assert len(ids) == len(set(ids)) > 30


def test_a_text_names_its_source_and_links_into_the_model(real_repo: ModelRepository) -> None:
    text = background_text(real_repo, "ideologische-weerbaarheid-en-mediageletterdheid")
    assert text is not None
    assert text.document == "Voorkomen van radicalisering door vergroten van veerkracht"
    assert "2022" in text.credit
    assert [key for key, _name in text.blocks] == ["individu", "sociale-omgeving"]
    assert ("mediawijsheid", ) == tuple(k for k, _n in text.clusters if k == "mediawijsheid")
    assert all(name for _key, name in text.interventions)
    assert background_text(real_repo, "bestaat-niet") is None


def test_texts_about_risk_factors_carry_the_reports_warning(real_repo: ModelRepository) -> None:
    flagged = [t for d in background_contents(real_repo) for e in d.entries
               if (t := background_text(real_repo, e.id)) is not None and t.risk_warning]
    assert flagged, "Ranstorp's risk factors and the trigger factors are shown with the warning"


def test_search_needs_every_word_and_ignores_accents_and_case(real_repo: ModelRepository) -> None:
    found = search_background(real_repo, "TRIGGERFACTOREN")
    assert "triggerfactoren-per-niveau" in found
    assert "wat-is-veerkracht" not in found
    both = search_background(real_repo, "triggerfactoren lokaal")
    assert both and set(both) <= set(found)
    assert search_background(real_repo, "ideeën") == search_background(real_repo, "IDEEEN") != []
    assert search_background(real_repo, "zzqqx") == []
    assert len(search_background(real_repo, "   ")) == sum(len(d.entries) for d in background_contents(real_repo))


def test_hostile_search_text_is_only_words(real_repo: ModelRepository) -> None:
    for text in ('"', "(*", "\\", "a" * 5000, "[[", "\x00"):
        search_background(real_repo, text)  # no exception


@pytest.fixture()
def window(qtbot: QtBot, real_repo: ModelRepository, tmp_path: Path) -> MainWindow:
    home = tmp_path / "home"
    home.mkdir()
    window = MainWindow(real_repo, home, QSettings(str(home / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def menu_action(window: MainWindow, menu_title: str, text: str):  # type: ignore[no-untyped-def]
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title:
            for action in menu_action.menu().actions():  # type: ignore[union-attr]
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"{menu_title} › {text} not in the menu")


@pytest.mark.gui
def test_the_view_menu_opens_a_searchable_background(qtbot: QtBot, window: MainWindow) -> None:
    menu_action(window, "Beeld", "Achtergrond…").trigger()
    background = window.background
    assert background is not None and background.isVisible()
    assert "Bron:" in background.text.toPlainText()
    qtbot.keyClicks(background.search, "indicatoren weerbaarheid")
    qtbot.waitUntil(lambda: "teksten gevonden" in background.found.text(), timeout=2000)
    shown = background.text.toPlainText()
    assert "ndicator" in shown and "Bron: Weerbare jongeren, weerbare professionals" in shown
    assert "<span" not in shown


@pytest.mark.gui
def test_a_bouwsteen_links_to_its_background_and_back(qtbot: QtBot, window: MainWindow) -> None:
    window.select_node(("block", "individu"))
    assert "Achtergrond" in window.detail.toPlainText()
    window.detail.anchorClicked.emit(QUrl("bouwstenen:background/ideologische-weerbaarheid-en-mediageletterdheid"))
    background = window.background
    assert background is not None and background.isVisible()
    assert background.current == "ideologische-weerbaarheid-en-mediageletterdheid"
    assert "Ideologische weerbaarheid en mediageletterdheid" in background.text.toPlainText()
    background.text.anchorClicked.emit(QUrl("bouwstenen:cluster/mediawijsheid"))
    assert window.current_node == ("cluster", "mediawijsheid")


@pytest.mark.gui
def test_the_main_search_points_to_the_background(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "triggerfactoren")
    qtbot.waitUntil(lambda: window.background_hits.isVisible(), timeout=2000)
    assert "Ook gevonden:" in window.background_hits.text() and "achtergrondteksten" in window.background_hits.text()
    window.background_hits.linkActivated.emit("achtergrond")
    assert window.background is not None
    assert window.background.search.text() == "triggerfactoren"
    assert "triggerfactoren-per-niveau" in search_background(window.repo, "triggerfactoren")
    window.search.clear()
    qtbot.waitUntil(lambda: not window.background_hits.isVisible(), timeout=2000)
