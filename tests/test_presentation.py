"""Presentation mode (Beeld › Presentatiemodus): the tour as data, and the full-screen window driven by keys."""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.core.model.build import build_model
from desktop.core.search import tour
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.store import Workspace
from desktop.ui.presentation import BODY_PX, PresentationWindow, sizes

pytestmark = pytest.mark.gui
NO_MODIFIER = Qt.KeyboardModifier.NoModifier

MINI_SEQUENCE = [
    ("model", "model"),
    ("block", "individu"),
    ("theme", "persoonlijke-ontwikkeling"),
    ("cluster", "ideologische-weerbaarheid"),
    ("intervention", "radicalise"),
    ("intervention", "said-en-lody"),
    ("cluster", "zelfbeheersing"),
    ("theme", "cognitieve-vaardigheden"),
    ("cluster", "mediawijsheid"),
    ("intervention", "under-pressure"),
    ("block", "gezin-en-familie"),
    ("theme", "opvoedstijl-en-ondersteuning"),
    ("cluster", "positieve-opvoedstijl"),
    ("intervention", "said-en-lody"),
    ("effectladder", "effectladder"),
]


def window(qtbot: QtBot, repo: ModelRepository, **kwargs: object) -> PresentationWindow:
    w = PresentationWindow(repo, windowed=True, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(w)
    w.present()
    w.resize(1280, 720)
    return w


def key(_qtbot: QtBot, w: QWidget, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        ) -> None:
    QTest.keyClick(w, k, modifier)


# --- the tour as data ---------------------------------------------------------------------------------
def test_real_tour_has_a_slide_per_block_theme_factor_and_example(real_repo: ModelRepository) -> None:
    slides = tour.build_tour(real_repo)
    kinds = Counter(s.kind for s in slides)
    links = real_repo.conn.execute("SELECT count(*) FROM (SELECT DISTINCT cluster_id, intervention FROM example)")
    assert kinds == {"model": 1, "block": 6, "theme": 18, "cluster": 50, "effectladder": 1,
                     "intervention": links.fetchone()[0]}
    assert kinds["intervention"] > 100
    assert slides[0].kind == "model" and slides[-1].kind == "effectladder"

    # the order follows the tree: bouwsteen, its thema's, each factor followed by its examples
    expected: list[tuple[str, str]] = [("model", "model")]
    for block in real_repo.tree():
        expected.append(("block", block.id))
        for theme in block.themes:
            expected.append(("theme", theme.id))
            for cluster in theme.clusters:
                expected.append(("cluster", cluster.id))
                expected += [("intervention", i) for (i,) in real_repo.conn.execute(
                    "SELECT intervention FROM example WHERE cluster_id = ? ORDER BY position", (cluster.id,))]
    expected.append(("effectladder", "effectladder"))
    assert [(s.kind, s.id) for s in slides] == expected


def test_opening_slide_names_the_purpose_and_every_bouwsteen(real_repo: ModelRepository) -> None:
    opening = tour.build_tour(real_repo)[0]
    purpose = real_repo.text("model_purpose")
    assert purpose and opening.paragraphs[0] == " ".join(purpose.split())
    heading, items = opening.lists[0]
    assert heading == "De zes bouwstenen"
    assert [i.split(" — ")[0] for i in items] == [f"{b.number} · {b.name}" for b in real_repo.tree()]


def test_mini_tour_order_parents_and_breadcrumbs(mini_repo: ModelRepository) -> None:
    slides = tour.build_tour(mini_repo)
    assert [(s.kind, s.id) for s in slides] == MINI_SEQUENCE
    assert [s.parent for s in slides] == [None, 0, 1, 2, 3, 3, 2, 1, 7, 8, 0, 10, 11, 12, None]
    assert slides[2].breadcrumb == "Bouwsteen 1 · Individu › Persoonlijke ontwikkeling"
    assert slides[1].breadcrumb == "Bouwsteen 1 · Individu"
    assert slides[4].breadcrumb.endswith("› Ideologische weerbaarheid › Radicalise")
    assert slides[0].lists[0][0] == "De twee bouwstenen"


def test_factor_slide_has_focus_sub_factors_types_and_examples_with_trede(mini_repo: ModelRepository) -> None:
    slides = tour.build_tour(mini_repo)
    factor = slides[3]
    assert ("Focus", "focus op kritisch omgaan met ideeën") in factor.facts
    assert [(e.id, e.trede, e.trede_name) for e in factor.examples] == [
        ("radicalise", 3, "doeltreffend"), ("said-en-lody", 2, "veelbelovend")]
    headings = dict(factor.lists)
    assert [t.split(" · ")[0] for t in headings["Interventietypen"]] == ["4"]
    gap = slides[6]
    assert gap.examples == [] and gap.notice and "lacune" in gap.notice
    assert dict(gap.lists)["Onder meer"] == ["Zelfcontrole"]


def test_intervention_slide_has_trede_meaning_offer_and_target_group(mini_repo: ModelRepository) -> None:
    slide = tour.build_tour(mini_repo)[4]
    detail = mini_repo.intervention("radicalise")
    assert detail is not None
    ladder = {lv.trede: lv for lv in mini_repo.effectladder()}
    assert slide.title == detail.name
    assert slide.trede == 3 and slide.trede_name == "doeltreffend"
    assert slide.trede_meaning == ladder[3].explanation
    assert slide.trede_source and "inschatting" in slide.trede_source
    facts = dict(slide.facts)
    assert facts["Nu aangeboden"] == "ja"
    assert facts["Doelgroep"] == tour.short_text(detail.target_group, tour.SHORT_FACT)


def test_block_slide_keeps_every_risk_factor_with_the_warning(real_repo: ModelRepository) -> None:
    for slide in tour.build_tour(real_repo):
        if slide.kind != "block":
            continue
        node = real_repo.node("block", slide.id)
        assert node is not None
        assert slide.risk_factors == node.risk_factors
        if node.risk_factors:
            assert slide.risk_factor_warning == real_repo.text("risk_factor_warning")


def test_navigation_helpers(mini_repo: ModelRepository) -> None:
    s = tour.build_tour(mini_repo)
    assert tour.next_index(s, 0) == 1 and tour.next_index(s, len(s) - 1) == len(s) - 1
    assert tour.previous_index(s, 0) == 0 and tour.previous_index(s, 5) == 4
    # up: intervention -> factor -> theme -> block -> opening, which stays
    chain = [5]
    while tour.level_up(s, chain[-1]) != chain[-1]:
        chain.append(tour.level_up(s, chain[-1]))
    assert [s[i].kind for i in chain] == ["intervention", "cluster", "theme", "block", "model"]
    # down: opening -> first block -> first theme -> first factor -> first example; a leaf stays
    assert [tour.first_child(s, i) for i in (0, 1, 2, 3)] == [1, 2, 3, 4]
    assert tour.first_child(s, 4) == 4 and tour.first_child(s, 6) == 6 and tour.first_child(s, 14) == 14
    # sideways at the same level, across parents, skipping what lies below
    assert tour.next_sibling(s, 1) == 10 and tour.next_sibling(s, 10) == 10
    assert tour.next_sibling(s, 3) == 6 and tour.next_sibling(s, 6) == 8
    assert tour.previous_sibling(s, 8) == 6 and tour.previous_sibling(s, 1) == 1
    assert tour.block_index(s, 2) == 10 and tour.block_index(s, 3) is None


def test_find_titles_accent_insensitive_then_full_text(mini_repo: ModelRepository) -> None:
    s = tour.build_tour(mini_repo)
    assert tour.find(s, "Under Pressure", mini_repo) == 9
    assert tour.find(s, "said & lody", mini_repo) == 5  # 'Saïd & Lody': first of its two slides
    assert tour.find(s, "MEDIAWIJSHEID", mini_repo) == 8
    assert tour.find(s, "opvoed", mini_repo) == 11  # a word beginning in a title
    assert tour.find(s, "", mini_repo) is None and tour.find(s, "  ?! ", mini_repo) is None
    assert tour.find(s, "qqqzzz", mini_repo) is None
    # not in any title: the full-text search over interventions answers
    assert mini_repo.search("vooroordelen") == ["said-en-lody"]
    assert tour.find(s, "vooroordelen", mini_repo) == 5
    assert tour.find(s, "groepsdruk", mini_repo) == 9


def test_short_text_cuts_at_sentences_and_words() -> None:
    assert tour.short_text(None) is None and tour.short_text("  ") is None
    assert tour.short_text("Kort.") == "Kort."
    text = "Eerste zin is hier. Tweede zin volgt nu. Daarna " + "heel " * 200 + "lang."
    assert tour.short_text(text, 45) == "Eerste zin is hier. Tweede zin volgt nu. …"
    cut = tour.short_text("woord " * 100, 50)
    assert cut is not None and cut.endswith(" …") and len(cut) <= 52 and "woor …" not in cut


# --- the window -----------------------------------------------------------------------------------
def test_sizes_are_large_at_1080_and_scale_with_the_screen() -> None:
    big = sizes(1080)
    assert big["title"] >= 40 * 96 / 72 and big["body"] >= 24 * 96 / 72  # ≥ 40 pt and ≥ 24 pt at 96 dpi
    small = sizes(768)
    assert small["body"] == round(BODY_PX * 768 / 1080)
    assert sizes(1080, 0.7)["title"] >= sizes(1080, 0.7)["body"] * 1.3  # a shrunk slide keeps its title large


def test_keyboard_visits_every_slide_in_order(qtbot: QtBot, real_repo: ModelRepository) -> None:
    w = window(qtbot, real_repo)
    seen = [w.index]
    assert w.slides[0].title in w.slide_text()
    for _ in range(len(w.slides) + 2):  # two extra presses at the end change nothing
        key(qtbot, w, Qt.Key.Key_Right)
        if w.index != seen[-1]:
            seen.append(w.index)
            slide = w.slides[w.index]
            text = w.slide_text()
            assert slide.title in text.replace("\u2028", " ")
            assert f"dia {w.index + 1} van {len(w.slides)}" in text
    assert seen == list(range(len(w.slides)))
    assert "De effectladder" in w.slide_text() and "Trede 5" in w.slide_text()
    key(qtbot, w, Qt.Key.Key_Left)
    key(qtbot, w, Qt.Key.Key_Backspace)
    key(qtbot, w, Qt.Key.Key_PageUp)
    assert w.index == len(w.slides) - 4
    key(qtbot, w, Qt.Key.Key_Space)
    key(qtbot, w, Qt.Key.Key_PageDown)
    assert w.index == len(w.slides) - 2
    key(qtbot, w, Qt.Key.Key_Home)
    assert w.index == 0
    key(qtbot, w, Qt.Key.Key_End)
    assert w.current.kind == "effectladder"


def test_up_and_down_move_between_levels(qtbot: QtBot, mini_repo: ModelRepository) -> None:
    w = window(qtbot, mini_repo)
    kinds = []
    for _ in range(5):
        key(qtbot, w, Qt.Key.Key_Down)
        kinds.append((w.current.kind, w.current.id))
    assert kinds == [("block", "individu"), ("theme", "persoonlijke-ontwikkeling"),
                     ("cluster", "ideologische-weerbaarheid"), ("intervention", "radicalise"),
                     ("intervention", "radicalise")]
    key(qtbot, w, Qt.Key.Key_Right)  # the second example of the same factor
    assert w.current.id == "said-en-lody"
    ups = []
    for _ in range(5):
        key(qtbot, w, Qt.Key.Key_Up)
        ups.append(w.current.kind)
    assert ups == ["cluster", "theme", "block", "model", "model"]
    key(qtbot, w, Qt.Key.Key_Down)
    key(qtbot, w, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert (w.current.kind, w.current.id) == ("block", "gezin-en-familie")
    key(qtbot, w, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert w.current.id == "individu"
    key(qtbot, w, Qt.Key.Key_2)
    assert w.current.id == "gezin-en-familie"


def test_block_slide_shows_risk_factors_with_the_warning(qtbot: QtBot, real_repo: ModelRepository) -> None:
    w = window(qtbot, real_repo, start=("block", "individu"))
    text = " ".join(w.slide_text().split())
    node = real_repo.node("block", "individu")
    warning = real_repo.text("risk_factor_warning")
    assert node is not None and warning and len(node.risk_factors) > 10
    assert "Risicofactoren" in text and "Let op:" in text
    assert " ".join(warning.split()) in text
    for risk in node.risk_factors:
        assert " ".join(risk.split()) in text
    # the whole slide fits the screen (it shrinks rather than cut anything off), at both sizes
    for size in ((1920, 1080), (1024, 768)):
        w.resize(*size)
        assert w.view.width() <= w.width()
        assert w.view.document().size().height() <= w.view.viewport().height()


def test_search_overlay_finds_under_pressure(qtbot: QtBot, real_repo: ModelRepository) -> None:
    w = window(qtbot, real_repo)
    key(qtbot, w, Qt.Key.Key_F)
    assert w.search_panel.isVisible()
    QTest.keyClicks(w.search_field, "under pres")
    assert "Under Pressure" in w.search_result.text()
    assert w.index == 0  # typing does not move yet
    QTest.keyClick(w.search_field, Qt.Key.Key_Return)
    assert not w.search_panel.isVisible()
    assert (w.current.kind, w.current.title) == ("intervention", "Under Pressure")
    assert w.index == tour.index_of(w.slides, "intervention", "under-pressure")
    # Esc in the search closes the search, not the presentation
    key(qtbot, w, Qt.Key.Key_F)
    QTest.keyClicks(w.search_field, "qqqzzz")
    QTest.keyClick(w.search_field, Qt.Key.Key_Return)
    assert w.search_panel.isVisible() and "Niets gevonden" in w.search_result.text()
    QTest.keyClick(w.search_field, Qt.Key.Key_Escape)
    assert not w.search_panel.isVisible() and w.isVisible()
    assert w.current.title == "Under Pressure"


def test_search_answers_with_an_intervention_outside_the_tour(qtbot: QtBot, real_repo: ModelRepository) -> None:
    unlinked = real_repo.conn.execute(
        "SELECT id, name FROM intervention WHERE id NOT IN (SELECT intervention FROM example) ORDER BY id").fetchone()
    assert unlinked is not None
    w = window(qtbot, real_repo)
    key(qtbot, w, Qt.Key.Key_3)
    here = w.index
    key(qtbot, w, Qt.Key.Key_F)
    QTest.keyClicks(w.search_field, unlinked["name"])
    QTest.keyClick(w.search_field, Qt.Key.Key_Return)
    assert w.current.id == unlinked["id"] and "buiten de reeks" in w.slide_text()
    key(qtbot, w, Qt.Key.Key_Right)
    assert w.extra is None and w.index == here


def test_escape_leaves_and_emits_closed(qtbot: QtBot, mini_repo: ModelRepository) -> None:
    w = window(qtbot, mini_repo)
    key(qtbot, w, Qt.Key.Key_F1)
    assert w.help_panel.isVisible() and "Toetsen" in w.help_label.text()
    key(qtbot, w, Qt.Key.Key_Escape)  # the first Esc only closes the key overview
    assert w.isVisible() and not w.help_panel.isVisible()
    with qtbot.waitSignal(w.closed, timeout=1000):
        key(qtbot, w, Qt.Key.Key_Escape)
    assert not w.isVisible()


def test_mouse_click_advances_and_right_click_goes_back(qtbot: QtBot, mini_repo: ModelRepository) -> None:
    w = window(qtbot, mini_repo)
    centre = QPoint(w.width() // 2, w.height() // 2)
    QTest.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, NO_MODIFIER, centre)  # on the text counts too
    QTest.mouseClick(w, Qt.MouseButton.LeftButton, NO_MODIFIER, centre)
    assert w.index == 2
    QTest.mouseClick(w, Qt.MouseButton.RightButton, NO_MODIFIER, centre)
    assert w.index == 1


def test_full_screen_unless_windowed(qtbot: QtBot, mini_repo: ModelRepository) -> None:
    w = PresentationWindow(mini_repo)
    qtbot.addWidget(w)
    w.present()
    assert w.windowState() & Qt.WindowState.WindowFullScreen
    assert not w.windowed
    assert w.view.openLinks() is False and w.view.openExternalLinks() is False
    w.close()


def test_start_at_a_given_node(qtbot: QtBot, mini_repo: ModelRepository) -> None:
    w = window(qtbot, mini_repo, start=("cluster", "mediawijsheid"))
    assert w.index == 8
    w2 = window(qtbot, mini_repo, start=("cluster", "bestaat-niet"))
    assert w2.index == 0


def test_model_texts_are_escaped_never_markup(qtbot: QtBot, mini_source: Path, tmp_path: Path) -> None:
    block = mini_source / "blocks" / "1-individu.toml"
    text = block.read_text(encoding="utf-8")
    hostile = '<img src="file:///etc/passwd"> <b>vet</b> <a href="https://example.org">link</a>'
    text = text.replace('risk_factors = ["jongere leeftijd"', f"risk_factors = ['{hostile}', \"jongere leeftijd\"")
    assert hostile in text
    block.write_text(text, encoding="utf-8")
    out = tmp_path / "hostile.sqlite"
    build_model(mini_source, out)
    with ModelRepository.open(out) as repo:
        w = window(qtbot, repo, start=("block", "individu"))
        assert hostile in w.slide_text()  # shown literally, as text
        assert "<img" not in w.view.toHtml().replace("&lt;img", "")
        w.close()


def test_notes_are_never_shown(qtbot: QtBot, real_model_path: Path, tmp_path: Path) -> None:
    secret = "GEHEIM-NOTITIE"
    with Workspace(tmp_path / "workspace.sqlite") as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text=f"{secret} over de klas",
                            place=secret, partners=secret, outcome=secret)
        werkset = workspace.create_shortlist(f"{secret} werkset")
        workspace.add_item(werkset.id, "under-pressure", "Under Pressure", comment=secret)
        assert any(secret in (e.text or "") for e in workspace.entries_for("under-pressure"))
    # the window is given the model only: there is no way to hand it the workspace
    parameters = inspect.signature(PresentationWindow.__init__).parameters
    assert not any("workspace" in name or "notes" in name for name in parameters)
    assert set(parameters) == {"self", "repo", "start", "windowed"}
    with ModelRepository.open(real_model_path) as repo:
        w = window(qtbot, repo)
        texts = [w.slide_text()]
        for _ in range(len(w.slides) - 1):
            key(qtbot, w, Qt.Key.Key_Right)
            texts.append(w.slide_text())
        key(qtbot, w, Qt.Key.Key_F)
        QTest.keyClicks(w.search_field, "geheim")
        texts.append(w.slide_text())
        QTest.keyClick(w.search_field, Qt.Key.Key_Return)
        texts.append(w.slide_text())
        assert any("Under Pressure" in t for t in texts)  # the noted intervention itself was shown
        assert not any(secret.casefold() in t.casefold() for t in texts)
        w.close()
