"""Search: accent-insensitive, prefix, phrases, filters, and safe for any user string."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.model.model_file import TYPE_FACET
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import AlphabeticalIds, Filters, fts_expression

HOSTILE = ['"', "*", "AND(", "NEAR", "-", "🙂", "x" * 10_000, 'NEAR("a" "b", 2)', "a OR", "^", ":", "(((",
           "name:foo", "'; DROP TABLE intervention; --", "\x00", "\\", "OR AND NOT", "“kritisch”", "-mediawijsheid"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(mini_repo: ModelRepository, query: str) -> None:
    result = mini_repo.search(query)
    assert isinstance(result, Sequence) and all(isinstance(i, str) for i in result)
    expression = fts_expression(query)
    if expression is not None:
        mini_repo.conn.execute("SELECT count(*) FROM intervention_fts WHERE intervention_fts MATCH ?", (expression,))


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_on_the_real_model(real_repo: ModelRepository, query: str) -> None:
    assert isinstance(real_repo.search(query, Filters(min_trede=1)), list)


def test_accents_and_case_are_ignored(mini_repo: ModelRepository) -> None:
    assert mini_repo.search("SAID") == ["said-en-lody"]
    assert mini_repo.search("saïd") == ["said-en-lody"]


def test_prefix_matches_while_typing(mini_repo: ModelRepository) -> None:
    assert mini_repo.search("medi") == ["under-pressure"]
    assert mini_repo.search("under pres") == ["under-pressure"]


def test_phrase_between_quotes(mini_repo: ModelRepository) -> None:
    assert mini_repo.search('"online groepsdruk"') == ["under-pressure"]
    assert mini_repo.search('"groepsdruk online"') == []


def test_linked_factor_text_is_searchable(mini_repo: ModelRepository) -> None:
    # "Zelfcontrole" is not in any intervention text, "weerbaarheid" is the linked cluster's name
    assert "radicalise" in mini_repo.search("ideologische weerbaarheid")


def test_empty_query_lists_everything_alphabetically(mini_repo: ModelRepository) -> None:
    assert mini_repo.search("") == ["radicalise", "said-en-lody", "under-pressure"]


def test_filters_combine(mini_repo: ModelRepository) -> None:
    repo = mini_repo
    assert repo.search("", Filters(min_trede=3)) == ["radicalise"]
    assert repo.search("", Filters(types={"1"})) == ["under-pressure"]  # type 1 includes 1.1
    assert repo.search("", Filters(types={"1.2"})) == []
    assert repo.search("", Filters(explicit=False)) == ["said-en-lody"]
    assert repo.search("", Filters(via_municipality=True)) == ["radicalise", "said-en-lody"]
    assert repo.search("", Filters(facets={"doelgroep": {"kinderen"}})) == ["said-en-lody"]
    assert repo.search("", Filters(facets={"doelgroep": {"kinderen", "professionals"}})) == [
        "radicalise", "said-en-lody"]
    assert repo.search("", Filters(scope=("cluster", "mediawijsheid"))) == ["under-pressure"]
    assert repo.search("", Filters(scope=("block", "gezin-en-familie"))) == ["said-en-lody"]
    assert repo.search("spel", Filters(scope=("block", "gezin-en-familie"))) == []
    assert repo.search("", Filters(only_ids={"radicalise"})) == ["radicalise"]


def test_facet_counts_show_what_selecting_a_value_gives(mini_repo: ModelRepository) -> None:
    counts, _flags = mini_repo.counts_for("", Filters(facets={"doelgroep": {"kinderen"}}))
    doelgroep = {c.value: c.count for c in counts["doelgroep"]}
    assert doelgroep["kinderen"] == 1 and doelgroep["jongeren"] == 2  # own facet ignored: OR
    types = {c.value: c.count for c in counts["type"]}
    assert types["1"] == 0 and types["6"] == 1  # other facets apply: AND
    _facets, flags = mini_repo.counts_for("", Filters())
    assert flags["explicit"] == {True: 2, False: 1}
    for name in ("offered", "explicit", "via_municipality"):  # a count equals what the filter gives
        for value in (True, False):
            assert flags[name][value] == len(mini_repo.search("", Filters(**{name: value})))
    assert flags["min_trede"][3] == 1


def test_counts_agree_with_the_filters_on_the_real_model(real_repo: ModelRepository) -> None:
    repo = real_repo
    base = Filters(facets={"doelgroep": {"jongeren"}})
    facets, flags = repo.counts_for("", base)
    for name in ("offered", "explicit", "via_municipality"):
        for value in (True, False):
            filters = Filters(facets={"doelgroep": {"jongeren"}}, **{name: value})
            assert flags[name][value] == len(repo.search("", filters)), (name, value)
    for fc in facets["setting"]:
        filters = Filters(facets={"doelgroep": {"jongeren"}, "setting": {fc.value}})
        assert fc.count == len(repo.search("", filters)), fc.value
    for fc in facets["type"]:
        assert fc.count == len(repo.search("", Filters(types={fc.value}, facets=base.facets))), fc.value


def test_typing_plan_needs_no_sort_of_wide_rows(real_repo: ModelRepository) -> None:
    """The keystroke query reads the FTS index only: no temporary B-tree over intervention rows."""
    from desktop.core.search.search import _BM25

    plan = real_repo.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT rowid FROM intervention_fts WHERE intervention_fts MATCH ? ORDER BY {_BM25}, rowid",
        ('"medi"*',)).fetchall()
    text = " ".join(str(tuple(r)) for r in plan)
    assert "VIRTUAL TABLE INDEX" in text
    assert "intervention " not in text.replace("intervention_fts", "")


def test_note_counts_follow_the_other_filters(mini_repo: ModelRepository) -> None:
    by_status = {"ingezet": {"radicalise"}, "": {"under-pressure"}}
    counts = mini_repo.index.note_counts("", Filters(), by_status)
    assert counts == {"ingezet": 1, "": 1, "*": 2}
    assert mini_repo.index.note_counts("spel", Filters(), by_status)["*"] == 1


def test_unlinked_interventions_have_their_own_scope(real_repo: ModelRepository) -> None:
    unlinked = real_repo.search("", Filters(scope=("unlinked", "")))
    assert len(unlinked) == real_repo.unlinked_count() > 0
    for iid in unlinked:
        detail = real_repo.intervention(iid)
        assert detail is not None and detail.clusters == []


def test_a_model_file_from_before_the_start_up_tables_filters_and_counts_the_same(real_model_path: Path,
                                                                                 tmp_path: Path) -> None:
    """Model files written by an earlier version (on a user's disk: the live model and the kept versions)
    have no trede/offered/explicit in `intervention_index` and no `node_count`; filters, counts, the tree
    and the map must not change."""
    from desktop.core.search.overview import model_overview

    older = tmp_path / "ouder-model.sqlite"
    shutil.copy(real_model_path, older)
    conn = sqlite3.connect(older)
    for column in ("trede", "offered", "explicit"):
        conn.execute(f"ALTER TABLE intervention_index DROP COLUMN {column}")
    conn.execute("DROP TABLE node_count")
    conn.execute("DROP TABLE whole_count")
    conn.commit()
    conn.close()
    cases = [Filters(), Filters(min_trede=3), Filters(offered=True), Filters(offered=False), Filters(explicit=True),
             Filters(explicit=False), Filters(via_municipality=True)]
    with ModelRepository.open(real_model_path) as new, ModelRepository.open(older) as old:
        assert new.index.flags == old.index.flags and new.index.trede == old.index.trede
        assert len(new.index.trede) > 50 and new.index.flags["offered"][True]  # the real model has both
        for filters in cases:
            assert new.search("", filters) == old.search("", filters), filters
            for text in ("", "ouders"):
                assert new.counts_for(text, filters) == old.counts_for(text, filters), (text, filters)
        assert model_overview(new) == model_overview(old)
        assert new.tree() == old.tree()
        before = new.counts_for("", Filters())  # stored with the index: the sets are not all loaded yet
        for step in new.index.warm_up_steps():
            step()
        assert new.counts_for("", Filters()) == before  # now counted from the loaded sets


def test_the_stored_whole_model_counts_are_what_the_filters_sets_give(real_model_path: Path, tmp_path: Path) -> None:
    """The filter counts of the window as it opens come from `whole_count` (a file of this version) or from
    SQL (a file written before that table); both must be the numbers a click on the filter lists."""
    without_table = tmp_path / "zonder-tellingen.sqlite"
    shutil.copy(real_model_path, without_table)
    conn = sqlite3.connect(without_table)
    conn.execute("DROP TABLE whole_count")
    conn.commit()
    conn.close()
    for path in (real_model_path, without_table):
        with ModelRepository.open(path) as repo:
            facet_counts, flags = repo.counts_for("", Filters())
            assert not repo.index._sets_loaded()
            for key, counted in facet_counts.items():
                for count in counted:
                    filters = (Filters(types={count.value}) if key == TYPE_FACET
                               else Filters(facets={key: {count.value}}))
                    assert len(repo.search("", filters)) == count.count, (path.name, key, count)
            assert any(c.count for c in facet_counts[TYPE_FACET]) and any(
                c.count for key, cs in facet_counts.items() if key != TYPE_FACET for c in cs)
            assert flags["min_trede"] == {level: len(repo.search("", Filters(min_trede=level))) for level in range(6)}
            for flag in ("offered", "explicit", "via_municipality"):
                assert flags[flag] == {value: len(repo.search("", Filters(**{flag: value}))) for value in (True, False)}


def test_the_stored_node_counts_are_what_the_filters_sets_give(real_repo: ModelRepository,
                                                                mini_repo: ModelRepository) -> None:
    """The tree and the map read their numbers from the table the model file stores (no sets at start-up);
    clicking a node filters with the sets. Both must say the same number, or "14 interventies" lists 13."""
    for repo in (real_repo, mini_repo):
        stored = repo.index.node_counts
        assert stored == repo.index.counted_nodes()
        assert any(kind == "unlinked" for kind, _key in stored) == bool(repo.unlinked_count())
    stored = real_repo.index.node_counts
    for (kind, key), (n, with_trede, offered) in stored.items():
        if kind != "unlinked":
            assert len(real_repo.search("", Filters(scope=(kind, key)))) == n
            assert len(real_repo.search("", Filters(scope=(kind, key), min_trede=0))) == with_trede
            assert len(real_repo.search("", Filters(scope=(kind, key), offered=True))) == offered


def test_the_list_as_the_window_opens_is_read_without_loading_the_index(real_model_path: Path) -> None:
    with ModelRepository.open(real_model_path) as repo:
        first = repo.search("", Filters())
        assert "ids" not in vars(repo.index) and "all" not in vars(repo.index)  # nothing loaded for it
        assert first == [repo.index.ids[n] for n in repo.index.order] == repo.all_ids()
        assert len(first) == repo.counts()["interventions"] and len(set(first)) == len(first)
        everything = set(first)
        asked = [*first, *(f"niet-in-het-model-{n}" for n in range(1200))]  # more than one batch of the query
        assert repo.known_ids(asked) == everything
        assert repo.known_ids([]) == set()


def test_the_list_as_the_window_opens_reads_a_page_of_ids_at_a_time(real_model_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """30,000 ids were read before the first paint; the list reads the page it shows, and answers like a list."""
    monkeypatch.setattr(AlphabeticalIds, "PAGE", 7)
    with ModelRepository.open(real_model_path) as repo:
        everything = [repo.index.ids[n] for n in repo.index.order]
        repo._index = None  # a fresh index: nothing loaded, as at start-up
        statements: list[str] = []
        repo.conn.set_trace_callback(statements.append)
        opening = repo.search("")
        assert len(opening) == len(everything) > 3 * 7
        assert opening[30] == everything[30] and opening[-1] == everything[-1]
        page_reads = [sql for sql in statements if "BETWEEN" in sql]
        assert len(page_reads) == 2 and "SELECT id FROM intervention_index ORDER BY num" not in statements
        opening[31], opening[29]  # the same pages again: not read twice
        assert len([sql for sql in statements if "BETWEEN" in sql]) == 2
        repo.conn.set_trace_callback(None)
        assert opening[5:12] == everything[5:12] and opening[::40] == everything[::40]
        assert [opening[i] for i in range(len(opening))] == list(opening) == everything == opening
        assert all(opening.index(iid) == row for row, iid in enumerate(everything))
        assert everything[3] in opening and "niet-in-het-model" not in opening and 3 not in opening
        with pytest.raises(ValueError):
            opening.index("niet-in-het-model")
        with pytest.raises(ValueError):
            opening.index(everything[3], 4)
        with pytest.raises(IndexError):
            opening[len(everything)]


def test_a_model_file_numbered_with_gaps_still_lists_everything(real_model_path: Path, tmp_path: Path) -> None:
    """Rows are read by number only when the numbers are 1..n, as the index writes them."""
    copy = tmp_path / "model.sqlite"
    shutil.copy(real_model_path, copy)
    with ModelRepository.open(real_model_path) as repo:
        expected = list(repo.search(""))
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE intervention_index SET num = num + 1000 WHERE num = 1")
    with ModelRepository.open(copy) as repo:
        found = repo.search("")
        assert isinstance(found, list)
        assert found == [*expected[1:], expected[0]]  # in number order, every id


def test_note_counts_as_the_window_opens_are_the_counts_after_the_sets_are_loaded(real_model_path: Path) -> None:
    with ModelRepository.open(real_model_path) as repo:
        some = repo.all_ids()[:5]
        by_status = {"geprobeerd": {some[0], some[1], "verdwenen-interventie"}, "": {some[1], some[2]},
                     "afgeraden": {"nog-een-verdwenen"}}
        before = repo.index.note_counts("", Filters(), by_status)
        assert "ids" not in vars(repo.index)  # counted without loading the index
        for step in repo.index.warm_up_steps():
            step()
        assert repo.index.note_counts("", Filters(), by_status) == before == {
            "geprobeerd": 2, "": 2, "afgeraden": 0, "*": 3}
        assert repo.index.note_counts("", Filters(only_ids={some[0]}), by_status) == before  # its own filter
