"""The model as a picture: the Qt-free overview, and the map drawn from it (offscreen)."""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.errors import ExpectedError
from desktop.core.search.overview import (
    BlockOverview,
    ClusterOverview,
    ThemeOverview,
    interventions_label,
    model_overview,
)
from desktop.core.search.repository import ModelRepository
from desktop.ui.model_map import (
    SHADES,
    BlockHeaderItem,
    FactorItem,
    MapItem,
    ModelMapPanel,
    ModelMapView,
    contrast_ratio,
    relative_luminance,
    shade_class,
    text_colour,
    wrap_text,
)

# --- the overview (no Qt) ------------------------------------------------------------------------------------


def test_overview_counts_equal_the_tree_for_every_level(real_repo: ModelRepository) -> None:
    overview = model_overview(real_repo)
    tree = real_repo.tree()
    assert [(b.id, b.number, b.name) for b in overview] == [(b.id, b.number, b.name) for b in tree]
    clusters = 0
    for block, node in zip(overview, tree, strict=True):
        assert block.interventions == node.count
        assert [t.id for t in block.themes] == [t.id for t in node.themes]
        for theme, theme_node in zip(block.themes, node.themes, strict=True):
            assert (theme.name, theme.interventions) == (theme_node.name, theme_node.count)
            for cluster, cluster_node in zip(theme.clusters, theme_node.clusters, strict=True):
                assert (cluster.id, cluster.name, cluster.interventions) == \
                       (cluster_node.id, cluster_node.name, cluster_node.count)
                clusters += 1
    assert clusters == real_repo.counts()["clusters"] == 50


def test_trede_and_offered_counts_follow_the_intervention(real_repo: ModelRepository) -> None:
    """with_trede = intervention.trede set; offered = intervention.offered = 1 (as the 'nu aangeboden' filter)."""
    checked = 0
    for block in model_overview(real_repo):
        for cluster in block.clusters:
            ids = [r[0] for r in real_repo.conn.execute(
                "SELECT DISTINCT intervention FROM example WHERE cluster_id = ?", (cluster.id,))]
            rows = real_repo.rows(ids)
            assert cluster.with_trede == sum(1 for r in rows if r.trede is not None)
            assert cluster.offered == sum(1 for r in rows if r.offered is True)
            assert cluster.with_trede <= cluster.interventions and cluster.offered <= cluster.interventions
            checked += cluster.interventions
    assert checked > 100
    total = model_overview(real_repo)
    assert any(c.with_trede < c.interventions for b in total for c in b.clusters)  # the counts are not trivial


def test_overview_takes_at_most_two_queries(real_repo: ModelRepository) -> None:
    """A fixed number of queries whatever the size of the model: the counts come from the search index's sets
    (loaded once, in a few queries, and shared with the filters); with the index loaded, one or two."""
    def selects() -> int:
        statements: list[str] = []
        real_repo.conn.set_trace_callback(statements.append)
        try:
            model_overview(real_repo)
        finally:
            real_repo.conn.set_trace_callback(None)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    assert 1 <= selects() <= 6  # the first time also loads the index's sets
    assert 1 <= selects() <= 2


def test_gap_and_shares(mini_repo: ModelRepository) -> None:
    overview = model_overview(mini_repo)
    clusters = {c.id: c for b in overview for c in b.clusters}
    assert clusters["zelfbeheersing"].is_gap and clusters["zelfbeheersing"].interventions == 0
    assert clusters["zelfbeheersing"].trede_share is None
    assert not clusters["ideologische-weerbaarheid"].is_gap
    assert interventions_label(1) == "1 interventie"
    assert interventions_label(0) == "0 interventies" and interventions_label(14) == "14 interventies"


# --- colours and text -----------------------------------------------------------------------------------------


def test_shades_have_readable_text_and_differ_in_grayscale() -> None:
    fills = [QColor(s) for s in SHADES]
    for fill in fills:
        assert contrast_ratio(text_colour(fill), fill) >= 4.5
    luminances = [relative_luminance(f) for f in fills]
    assert luminances == sorted(luminances, reverse=True)
    for lighter, darker in itertools.pairwise(fills):
        assert contrast_ratio(lighter, darker) >= 1.35  # distinct steps without colour


def test_shade_classes() -> None:
    def cluster(n: int, trede: int = 0, offered: int = 0) -> ClusterOverview:
        return ClusterOverview("x", "X", n, trede, offered)

    assert [shade_class(cluster(n), "interventies") for n in (0, 1, 2, 3, 4, 7, 8, 30)] == [0, 1, 2, 2, 3, 3, 4, 4]
    assert [shade_class(cluster(4, t), "trede") for t in (0, 1, 2, 3, 4)] == [1, 2, 3, 4, 4]
    assert shade_class(cluster(4, 0, 4), "aangeboden") == 4 and shade_class(cluster(0), "trede") == 0


def test_wrap_text_breaks_elides_and_keeps_everything_when_it_fits(qapp: QApplication) -> None:
    from desktop.ui.model_map import _Fonts

    font = _Fonts().name
    assert wrap_text("Kennis", font, 160, 3) == ["Kennis"]
    lines = wrap_text("Goede band met familie/opvoedondersteuners", font, 160, 3)
    assert "".join(lines).replace(" ", "") == "Goedebandmetfamilie/opvoedondersteuners"
    long = wrap_text("Trainingen voor professionals in herkennen, duiden en omgaan met signalen van polarisatie", font,
                     160, 3)
    assert len(long) == 3 and long[-1].endswith("…")
    assert all(len(line) > 0 for line in wrap_text("x" * 200, font, 160, 3))


# --- the map ---------------------------------------------------------------------------------------------------


@pytest.fixture()
def view(qtbot: QtBot, real_repo: ModelRepository) -> ModelMapView:
    widget = ModelMapView(model_overview(real_repo))
    qtbot.addWidget(widget)
    widget.resize(1024, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _box(item: MapItem) -> QRectF:
    """The item's box in scene coordinates (without the room for the focus ring)."""
    return item.mapRectToScene(item.rect())


def _centre(view: ModelMapView, item: MapItem) -> QPoint:
    return view.mapFromScene(item.sceneBoundingRect().center())


def _click(view: ModelMapView, position: QPoint) -> None:
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, position)


def _factor_named(view: ModelMapView, name: str) -> FactorItem:
    return next(i for i in view.factor_items().values() if i.cluster.name == name)


def test_one_item_per_factor_and_per_bouwsteen(view: ModelMapView, real_repo: ModelRepository) -> None:
    ids = [r[0] for r in real_repo.conn.execute("SELECT id FROM cluster")]
    assert sorted(view.factor_items()) == sorted(ids) and len(ids) == 50
    assert list(view.block_items()) == [b.id for b in real_repo.tree()] and len(view.block_items()) == 6
    titles = [h.title() for h in view.block_items().values()]
    assert titles[0] == "1. Individu" and titles[-1] == "6. Indirect"
    for item in view.factor_items().values():
        assert item.count_text() in (interventions_label(item.cluster.interventions), "geen voorbeelden")
    assert view.accessibleName() == "Overzicht van het model"


def test_factors_do_not_overlap_and_stay_inside_their_bouwsteen(view: ModelMapView) -> None:
    items = list(view.factor_items().values())
    rects = [_box(i) for i in items]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)
    for block_id, header in view.block_items().items():
        body = _box(header)
        column = QRectF(body.left(), body.top(), body.width(), view.sceneRect().height())
        for item in items:
            if item.block.id == block_id:
                assert column.contains(_box(item))
                assert _box(item).top() > _box(header).bottom()


def test_clicking_a_factor_opens_it(qtbot: QtBot, view: ModelMapView) -> None:
    target = _factor_named(view, "Mediawijsheid")
    with qtbot.waitSignal(view.cluster_activated, timeout=1000) as blocker:
        _click(view, _centre(view, target))
    assert blocker.args == [target.item_id]
    other = _factor_named(view, "Zelfbeheersing")
    with qtbot.waitSignal(view.cluster_activated, timeout=1000) as blocker:
        _click(view, _centre(view, other))
    assert blocker.args == [other.item_id]


def test_clicking_a_header_opens_the_bouwsteen_and_empty_space_nothing(qtbot: QtBot, view: ModelMapView) -> None:
    header = view.block_items()["gezin-en-familie"]
    with qtbot.waitSignal(view.block_activated, timeout=1000) as blocker:
        _click(view, _centre(view, header))
    assert blocker.args == ["gezin-en-familie"]
    corner = view.mapFromScene(QPointF(3, view.sceneRect().height() - 3))
    with qtbot.assertNotEmitted(view.cluster_activated), qtbot.assertNotEmitted(view.block_activated):
        _click(view, corner)


def test_keyboard_moves_between_factors_and_enter_opens(qtbot: QtBot, view: ModelMapView,
                                                        real_repo: ModelRepository) -> None:
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    current = view.current()
    assert isinstance(current, BlockHeaderItem) and current.item_id == "individu"
    with qtbot.waitSignal(view.block_activated, timeout=1000) as blocker:
        QTest.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == ["individu"]
    QTest.keyClick(view, Qt.Key.Key_Tab)
    first = real_repo.tree()[0].themes[0].clusters[0]
    assert view.current() is view.factor_item(first.id)
    with qtbot.waitSignal(view.cluster_activated, timeout=1000) as blocker:
        QTest.keyClick(view, Qt.Key.Key_Enter)
    assert blocker.args == [first.id]
    # Down goes to the factor below, in the same sub-column
    start = view.current()
    assert start is not None
    QTest.keyClick(view, Qt.Key.Key_Down)
    below = view.current()
    assert isinstance(below, FactorItem) and below is not start
    assert _box(below).top() > _box(start).bottom()
    assert abs(_box(below).left() - _box(start).left()) < 1
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert view.current() is start
    QTest.keyClick(view, Qt.Key.Key_Right)
    right = view.current()
    assert right is not None and _box(right).left() > _box(start).right()
    with qtbot.waitSignal(view.cluster_activated, timeout=1000) as blocker:
        QTest.keyClick(view, Qt.Key.Key_Space)
    assert blocker.args == [right.item_id]
    assert right.ring  # the focus highlight
    assert "Beschermende factor" in view.accessibleDescription()


def test_tab_leaves_the_map_after_the_last_item(qtbot: QtBot, real_repo: ModelRepository) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    before, after = QLineEdit(), QLineEdit()
    map_view = ModelMapView(model_overview(real_repo))
    for widget in (before, map_view, after):
        layout.addWidget(widget)
    window.resize(900, 700)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    map_view.setFocus()
    qtbot.waitUntil(map_view.hasFocus, timeout=2000)
    QTest.keyClick(map_view, Qt.Key.Key_End)
    last = map_view.current()
    assert last is not None and last.item_id == real_repo.tree()[-1].themes[-1].clusters[-1].id
    QTest.keyClick(map_view, Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus, timeout=2000)
    assert not last.ring


def test_a_gap_is_marked(qtbot: QtBot, view: ModelMapView) -> None:
    gap = _factor_named(view, "Algeheel vertrouwen")
    full = _factor_named(view, "Kennis")  # 1 intervention: the lightest shade
    assert gap.cluster.is_gap and gap.count_text() == "geen voorbeelden"
    assert "lacune" in gap.description()
    QTest.mouseMove(view.viewport(), _centre(view, gap))
    qtbot.waitUntil(lambda: gap.hover, timeout=2000)
    assert "lacune" in gap.toolTip()  # the tooltip, made when the pointer arrives
    assert full.count_text() == "1 interventie"

    def colours(item: FactorItem) -> dict[str, float]:
        """Share of each colour in the painted box."""
        rect = _box(item)
        image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
        image.fill(QColor("#ff00ff"))
        painter = QPainter(image)
        view.scene().render(painter, QRectF(0, 0, image.width(), image.height()), rect)
        painter.end()
        found: dict[str, float] = {}
        total = image.width() * image.height()
        for y in range(image.height()):
            for x in range(image.width()):
                name = image.pixelColor(x, y).name()
                found[name] = found.get(name, 0) + 1 / total
        return found

    lightest, paper = QColor(SHADES[0]).name(), "#ffffff"
    assert colours(full).get(lightest, 0) > 0.5  # a factor with examples is filled with its shade
    gap_colours = colours(gap)
    assert gap_colours.get(lightest, 0) < 0.01  # a gap is not: white with grey hatching
    assert gap_colours.get(paper, 0) > 0.3


def test_measure_changes_the_shading_and_legend(view: ModelMapView) -> None:
    item = _factor_named(view, "Positieve, stabiele identiteitsontwikkeling")  # 14 interventions, 9 with trede
    assert shade_class(item.cluster, view.measure()) == 4
    view.set_measure("trede")
    assert item.measure == "trede" and shade_class(item.cluster, "trede") == 3
    view.set_measure("aangeboden")
    assert view.measure() == "aangeboden"
    with pytest.raises(ValueError):
        view.set_measure("kleur")


def test_untrusted_names_are_plain_text(qtbot: QtBot) -> None:
    name = "<b>vet</b> & <img src=x>"
    cluster = ClusterOverview("c", name, 2, 1, 1)
    theme = ThemeOverview("t", "<i>thema</i>", 2, 1, 1, [cluster])
    block = BlockOverview("b", 1, "<script>", 2, 1, 1, [theme])
    view = ModelMapView([block])
    qtbot.addWidget(view)
    item = view.factor_item("c")
    assert item is not None
    item.update_tooltip()  # (made when the pointer arrives)
    assert "<b>vet" not in item.toolTip() and "&lt;b&gt;vet&lt;/b&gt;" in item.toolTip()
    assert "".join(item.lines).replace(" ", "") == name.replace(" ", "")
    image = QImage(400, 300, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    view.scene().render(painter)
    painter.end()


def test_fit_shows_the_whole_map_at_1024x768(qtbot: QtBot, real_repo: ModelRepository) -> None:
    panel = ModelMapPanel(model_overview(real_repo))
    qtbot.addWidget(panel)
    panel.resize(1024, 768)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    view.zoom_in()
    view.zoom_in()
    scene = view.sceneRect()
    assert not view.viewport().rect().contains(view.mapFromScene(scene).boundingRect())
    view.fit()
    shown = view.mapFromScene(scene).boundingRect()
    assert view.viewport().rect().adjusted(-1, -1, 1, 1).contains(shown)
    assert shown.width() > view.viewport().width() * 0.9 or shown.height() > view.viewport().height() * 0.9
    assert view.zoom() > 0.6  # names stay legible (≈ 9 px and more) on a 1024×768 screen


def _large_overview(factors_per_theme: int = 6) -> list[BlockOverview]:
    """Six bouwstenen of ten themes each: 360 beschermende factoren, seven times the real model."""
    blocks = []
    for b in range(1, 7):
        themes = [ThemeOverview(f"t{b}-{t}", f"Thema {b}.{t}", 9, 3, 3, [
            ClusterOverview(f"c{b}-{t}-{c}", f"Beschermende factor {b}.{t}.{c} met een langere naam", c, 1, 1)
            for c in range(factors_per_theme)]) for t in range(10)]
        blocks.append(BlockOverview(f"b{b}", b, f"Bouwsteen {b}", 90, 30, 30, themes))
    return blocks


def test_names_too_small_to_read_are_bars_on_screen_and_text_when_zoomed_in_or_exported(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A map of hundreds of factors fitted in a window draws names of ~3 px: bars of their length instead (quicker to
    show and to zoom); zoomed in they are text again, and an export always has the text."""
    barred: list[str] = []
    original = FactorItem._paint_unreadable

    def counting(self: FactorItem, *args: object) -> None:
        barred.append(self.item_id)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(FactorItem, "_paint_unreadable", counting)
    panel = ModelMapPanel(_large_overview())
    qtbot.addWidget(panel)
    panel.resize(1000, 640)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    assert view.zoom() * 13 < 5  # the names would be under 5 px high
    first = view.viewport().grab().toImage()
    assert len(set(barred)) > 300  # every factor on screen as bars
    for _ in range(5):
        QTest.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom() * 13 >= 5
    barred.clear()
    zoomed = view.viewport().grab().toImage()
    assert barred == [] and zoomed != first  # text again
    view.fit()
    barred.clear()
    svg = tmp_path / "kaart.svg"
    view.export_image(svg)
    assert barred == [] and "6.9.5" in svg.read_text("utf-8")
    item = view.factor_item("c1-0-0")
    assert item is not None
    _click(view, _centre(view, item))  # a barred box is clicked like any other
    assert view.current() is item


def test_zoom_with_keys_and_ctrl_wheel(qtbot: QtBot, view: ModelMapView) -> None:
    fitted = view.zoom()
    QTest.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(fitted * 1.25)
    QTest.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom() == pytest.approx(fitted)
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() == pytest.approx(fitted * 1.25 ** 2)
    QTest.keyClick(view, Qt.Key.Key_0)
    assert view.zoom() == pytest.approx(fitted, rel=0.01)


def test_layout_follows_the_shape_of_the_view(view: ModelMapView) -> None:
    wide = view.best_arrangement(2600, 900)
    narrow = view.best_arrangement(700, 1000)
    assert len(narrow.columns) < len(wide.columns)
    for arrangement in (wide, narrow):  # every bouwsteen once, in model order
        assert [i for column in arrangement.columns for i in column] == list(range(6))


def test_set_overview_rebuilds(view: ModelMapView, mini_repo: ModelRepository) -> None:
    view.set_measure("trede")
    view.set_overview(model_overview(mini_repo), note="Model 1.0")
    assert sorted(view.factor_items()) == ["ideologische-weerbaarheid", "mediawijsheid", "positieve-opvoedstijl",
                                           "zelfbeheersing"]
    assert len(view.block_items()) == 2
    assert all(i.measure == "trede" for i in view.factor_items().values())
    view.set_overview([])
    assert view.factor_items() == {} and view.current() is None


# --- export ----------------------------------------------------------------------------------------------------


def test_export_png_svg_pdf(view: ModelMapView, tmp_path: Path) -> None:
    png, svg, pdf = tmp_path / "kaart.png", tmp_path / "kaart.svg", tmp_path / "kaart.pdf"
    for path in (png, svg, pdf):
        view.export_image(path)
        assert path.stat().st_size > 1000
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage(str(png))
    assert image.width() >= 2 * 1200  # twice the scene size, for slides
    svg_text = svg.read_text("utf-8")
    assert "<svg" in svg_text and "Individu" in svg_text and "Mediawijsheid" in svg_text
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Individu" in text and "Indirect" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kaart.pdf", "kaart.png", "kaart.svg"]  # no temp files
    if os.name == "posix":
        reference = tmp_path / "ref"
        reference.write_bytes(b"")
        assert png.stat().st_mode & 0o777 == reference.stat().st_mode & 0o777  # not a private temp-file mode


def test_export_leaves_the_view_as_it_was(view: ModelMapView, tmp_path: Path) -> None:
    before = (view.arrangement(), view.sceneRect(), view.zoom())
    view.set_current("cluster", next(iter(view.factor_items())))
    view.export_image(tmp_path / "a.pdf")
    assert (view.arrangement(), view.sceneRect(), view.zoom()) == before


def test_export_failures_are_dutch_and_change_nothing(view: ModelMapView, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ExpectedError, match=r"\.png, \.svg of \.pdf"):
        view.export_image(tmp_path / "kaart.bmp")
    with pytest.raises(ExpectedError, match="kan niet worden opgeslagen"):
        view.export_image(tmp_path / "bestaat-niet" / "kaart.png")
    target = tmp_path / "kaart.png"
    target.write_bytes(b"oud")

    def refuse(_src: object, _dst: object) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExpectedError, match="alleen-lezen"):
        view.export_image(target)
    assert target.read_bytes() == b"oud"
    assert [p.name for p in tmp_path.iterdir()] == ["kaart.png"]


# --- the panel ---------------------------------------------------------------------------------------------------


def test_panel_controls(qtbot: QtBot, real_repo: ModelRepository, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = ModelMapPanel(model_overview(real_repo))
    qtbot.addWidget(panel)
    panel.resize(1024, 768)
    panel.show()
    for control in (panel.measure_box, panel.fit_button, panel.zoom_in_button, panel.zoom_out_button,
                    panel.export_button):
        assert control.accessibleName()
    assert [panel.measure_box.itemText(i) for i in range(panel.measure_box.count())] == \
        ["aantal interventies", "aandeel met een trede", "aandeel nu aangeboden"]
    panel.measure_box.setCurrentIndex(1)
    assert panel.view.measure() == "trede"
    zoom = panel.view.zoom()
    panel.zoom_in_button.click()
    assert panel.view.zoom() > zoom
    panel.fit_button.click()
    assert panel.view.zoom() == pytest.approx(zoom, rel=0.01)

    chosen = tmp_path / "dia"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), "PDF-document (*.pdf)"))
    with qtbot.waitSignal(panel.exported, timeout=5000) as blocker:
        panel.export_button.click()
    assert blocker.args == [str(tmp_path / "dia.pdf")]
    assert (tmp_path / "dia.pdf").read_bytes().startswith(b"%PDF")

    shown: list[str] = []

    def show(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", show)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "weg" / "x.png"), "PNG-afbeelding (*.png)"))
    assert panel.export() is None
    assert shown and "kan niet worden opgeslagen" in shown[0]


def test_a_map_built_hidden_is_laid_out_when_shown_and_exports_meanwhile(qtbot: QtBot, real_repo: ModelRepository,
                                                                          tmp_path: Path) -> None:
    """The window builds the map before it knows its size: it is laid out once, when shown. An export of a map
    that was never shown lays out a page of its own."""
    overview = model_overview(real_repo)
    hidden = ModelMapView(overview)
    qtbot.addWidget(hidden)
    assert hidden.arrangement() is None
    hidden.export_image(tmp_path / "kaart.svg")
    assert "Individu" in (tmp_path / "kaart.svg").read_text("utf-8")
    hidden.resize(1024, 768)
    hidden.show()
    qtbot.waitExposed(hidden)
    assert hidden.arrangement() == hidden.best_arrangement(hidden.viewport().width(), hidden.viewport().height())
    scene = hidden.sceneRect()
    assert hidden.viewport().rect().adjusted(-1, -1, 1, 1).contains(hidden.mapFromScene(scene).boundingRect())
    boxes = [item.mapRectToScene(item.rect()) for item in hidden.factor_items().values()]
    assert all(scene.contains(box) for box in boxes)  # every factor box placed on the map
    assert not any(a.intersects(b) for a, b in itertools.combinations(boxes, 2))
