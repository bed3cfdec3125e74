"""Scale: a model of 30,000 interventions is accepted, search plans stay lean, start-up defers its counts,
and the model database stores no text twice. No timings are asserted here (see bench/ and
docs/performance.md for those)."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.model.checks import ProblemLog
from desktop.core.model.entities import Example, FacetJudgement, Intervention, Model
from desktop.core.model.sqlite_codec import write_model
from desktop.core.model.toml_codec import load_source
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import Filters, SearchIndex
from desktop.core.updates.apply import apply
from desktop.core.updates.inspect import inspect

ROOT = Path(__file__).resolve().parents[1]
LARGE = 30_000


def large_model(n: int = LARGE) -> Model:
    """The curated model plus synthetic interventions up to `n`, each with the facets, link, alias and
    example links a real one has (short texts: the number of rows is what matters here)."""
    model = load_source(ROOT / "data")
    templates = list(model.interventions)
    clusters = model.clusters()
    for i in range(n - len(templates)):
        template = templates[i % len(templates)]
        iid = f"schaal-{i:05d}"
        model.interventions.append(Intervention(
            id=iid, name=f"Schaalinterventie {i:05d}", type_text=template.type_text, offered=template.offered,
            description=f"Omschrijving {i} over jongeren, ouders en weerbaarheid.", goal="Doel.",
            explicit=template.explicit, target_group=template.target_group, trede=template.trede,
            trede_label=template.trede_label, trede_source=template.trede_source,
            aliases=[f"Schaal {i}"], links=[f"https://voorbeeld.nl/{i}"],
            facets=[FacetJudgement(f.facet, list(f.values), f.basis, "schaal") for f in template.facets],
        ))
        for cluster in (clusters[i % len(clusters)], clusters[(i * 7 + 3) % len(clusters)]):
            if not any(e.intervention == iid for e in cluster.examples):
                cluster.examples.append(Example(iid, explicit=True, offered=True, via_municipality=i % 3 == 0))
    model.meta = {**model.meta, "model_version": f"schaal-{n}"}
    return model


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, Path]:
    model = large_model()
    path = tmp_path_factory.mktemp("scale") / "groot.sqlite"
    write_model(model, path)
    return model, path


def test_a_database_of_30000_interventions_is_accepted_and_applied(
        large: tuple[Model, Path], real_model_path: Path, tmp_path: Path) -> None:
    model, path = large
    facet_rows = sum(len(j.values) for iv in model.interventions for j in iv.facets)
    assert facet_rows > 100_000  # more rows than the old cap on the facet table allowed
    preview = inspect(path, real_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors[:5]]
    assert preview.new_counts["interventions"] == LARGE
    record = apply(preview, tmp_path / "home")
    assert record is not None
    from desktop.core import paths

    with ModelRepository.open(paths.active_model_path(tmp_path / "home")) as repo:
        assert repo.counts()["interventions"] == LARGE
        assert len(repo.search("schaalinterventie")) == LARGE - 120


@pytest.mark.slow
def test_a_workbook_of_30000_interventions_is_read(large: tuple[Model, Path], tmp_path: Path) -> None:
    from desktop.core.model.xlsx_read import read_workbook
    from desktop.core.model.xlsx_write import write_workbook

    model, _path = large
    book = tmp_path / "groot.xlsx"
    write_workbook(model, book)
    log = ProblemLog(book.name)
    read, _loc, _ignored = read_workbook(book, log)
    assert not log.errors, [str(p) for p in log.errors[:5]]
    assert len(read.interventions) == LARGE
    assert read.interventions[-1].facets == model.interventions[-1].facets


# --- search plans ------------------------------------------------------------------------------------

def _plans(repo: ModelRepository) -> list[tuple[str, list[str]]]:
    statements: list[str] = []
    repo.conn.set_trace_callback(statements.append)
    try:
        index = SearchIndex(repo.conn)  # a fresh index: its loading queries are traced too
        repo._index = index
        opening = repo.search("")  # the list as the window opens, before anything is loaded
        opening[0], opening[-1], list(opening), opening.index(opening[-1])  # a page, every id, a row
        index.values, index.scopes, index.flags  # noqa: B018
        repo.search("jongeren school")
        repo.search("jo", Filters(types={"1"}, offered=True, facets={"doelgroep": {"jongeren"}}))
        repo.search('"sociale media"', Filters(scope=("block", "individu"), min_trede=2))
        repo.counts_for("weerbaar", Filters(explicit=True))
        repo.tree()
        repo._all_rows()
        repo._rows = None
        repo.row(repo.all_ids()[0])
    finally:
        repo.conn.set_trace_callback(None)
    found = []
    for sql in dict.fromkeys(statements):
        if sql.lstrip().upper().startswith("SELECT"):
            found.append((sql, [str(r[3]) for r in repo.conn.execute("EXPLAIN QUERY PLAN " + sql)]))
    return found


PER_INTERVENTION = ("intervention", "intervention_index", "facet_judgement", "facet_index", "example", "alias", "link")


def _reads(sql: str, table: str) -> bool:
    return f"FROM {table} " in f"{sql} " or f"JOIN {table} " in f"{sql} "


def test_search_plans_never_sort_wide_rows_in_a_temporary_b_tree(real_repo: ModelRepository) -> None:
    plans = _plans(real_repo)
    assert any("intervention_fts" in sql for sql, _plan in plans)
    for sql, plan in plans:
        sorts = [step for step in plan if "USE TEMP B-TREE FOR ORDER BY" in step]
        if not sorts or not any(_reads(sql, table) for table in (*PER_INTERVENTION, "intervention_fts")):
            continue  # no sort, or a sort of a small table (facets, types, blocks)
        # of the tables with a row per intervention only the ranked full-text query sorts, and it sorts
        # integers (rowid and rank), never rows of text
        assert sql.startswith("SELECT rowid FROM intervention_fts WHERE intervention_fts MATCH"), (sql, plan)


def test_the_list_as_the_window_opens_reads_the_ids_from_a_narrow_index(real_repo: ModelRepository) -> None:
    """Every id in alphabetical order, at start-up: from an index of (num, id), not the rows with sort keys."""
    plans = _plans(real_repo)
    for start in ("SELECT id FROM intervention_index WHERE num BETWEEN",  # a page of the list
                  "SELECT id FROM intervention_index ORDER BY num"):  # every id (the list copied, the nums loaded)
        found = [plan for sql, plan in plans if sql.startswith(start)]
        assert found and all(any("COVERING INDEX intervention_index_ids" in step for step in plan) for plan in found)


# --- start-up ----------------------------------------------------------------------------------------

@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []
    original = SearchIndex.counts

    def counts(self: SearchIndex, *args: object, **kwargs: object) -> object:
        calls.append("counts")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "counts", counts)
    yield calls


def test_start_up_computes_no_filter_counts_before_the_first_paint(
        qtbot: QtBot, real_repo: ModelRepository, tmp_path: Path, counted: list[str]) -> None:
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    home = tmp_path / "home"
    home.mkdir()
    window = MainWindow(real_repo, home, QSettings(str(home / "t.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert counted == []  # nothing counted while the window is built
    assert "values" not in real_repo.index.__dict__  # the filter sets are not even loaded yet
    window.show()
    assert counted == []
    qtbot.waitUntil(lambda: len(counted) > 0, timeout=3000)  # the counts follow once the window is up
    assert window.list_model.rowCount() == real_repo.counts()["interventions"]
    assert "values" not in real_repo.index.__dict__  # the warm-up waits for a quiet moment after the paint
    qtbot.waitUntil(lambda: all(name in real_repo.index.__dict__ for name in ("values", "flags", "ids")),
                    timeout=5000)  # and then loads the filters' sets, so the first filter click finds them


# --- storage -----------------------------------------------------------------------------------------

def test_the_model_database_stores_no_text_twice(real_model_path: Path) -> None:
    conn = sqlite3.connect(f"{real_model_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0]: r[1] for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert "intervention_fts_content" not in tables
    assert "content=''" in tables["intervention_fts"].replace('"', "'")
    assert not any(name.endswith("_content") for name in tables)


def test_a_large_model_keeps_its_filter_sets_exact(large: tuple[Model, Path]) -> None:
    model, path = large
    with ModelRepository.open(path) as repo:
        offered = {iv.id for iv in model.interventions if iv.offered}
        assert set(repo.search("", Filters(offered=True))) == offered
        young = {iv.id for iv in model.interventions if "jongeren" in iv.facet_values("doelgroep")}
        assert set(repo.search("", Filters(facets={"doelgroep": {"jongeren"}}))) == young
        facets, flags = repo.counts_for("", Filters())
        assert flags["offered"][True] == len(offered)
        counts = {fc.value: fc.count for fc in facets["doelgroep"]}
        assert counts["jongeren"] == len(young)


def test_copied_models_share_nothing() -> None:
    first = large_model(200)
    second = copy.deepcopy(first)
    second.interventions[-1].facets[0].values.append("x")
    assert first.interventions[-1].facets[0].values != second.interventions[-1].facets[0].values


def test_the_window_on_30000_interventions_opens_on_a_page_of_ids_and_the_whole_list_works(
        qtbot: QtBot, large: tuple[Model, Path], tmp_path: Path) -> None:
    """The list as the window opens reads the ids it shows; the end of the list, sorting and a search reach all."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from desktop.ui.item_models import NAME
    from tests.ui_helpers import make_window, settle

    _model, path = large
    repo = ModelRepository.open(path)
    statements: list[str] = []
    repo.conn.set_trace_callback(statements.append)
    window = make_window(qtbot, repo, tmp_path / "home", size=(1366, 768))
    qtbot.waitExposed(window)
    repo.conn.set_trace_callback(None)
    assert "SELECT id FROM intervention_index ORDER BY num" not in statements  # no 30,000 ids before the paint
    alphabetical = [repo.index.ids[n] for n in repo.index.order]
    assert len(alphabetical) == LARGE
    action = next(a for menu in window.menuBar().actions() for a in menu.menu().actions()
                  if a.text() == "&Interventielijst")
    action.trigger()  # Beeld › Interventielijst (Ctrl+2)
    assert window.table.isVisible() and window.list_model.rowCount() == LARGE
    window.table.setCurrentIndex(window.list_model.index(0, NAME))
    QTest.keyClick(window.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # to the last row
    assert window.current_intervention == alphabetical[-1]
    header = window.table.horizontalHeader()
    name_at = QPoint(header.sectionViewportPosition(NAME) + 10, header.height() // 2)
    for first in (alphabetical[0], alphabetical[-1]):  # a click sorts by name; a second click the other way
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, name_at)
        assert window.list_model.id_at(0) == first
    assert window.list_model.id_at(window.table.currentIndex().row()) == alphabetical[-1]  # the selection followed
    qtbot.keyClicks(window.search, "Schaalinterventie 29879")
    settle(qtbot, window)
    assert window.list_model.id_at(0) == "schaal-29879"
    window.search.clear()
    assert window.list_model.rowCount() == LARGE
    window.close()
    repo.close()
