"""Search: accent-insensitive, prefix, phrases, filters, and safe for any user string."""

from __future__ import annotations

import pytest

from desktop.core.repository import ModelRepository
from desktop.core.search import Filters, facet_counts, flag_counts, fts_expression, search

HOSTILE = ['"', "*", "AND(", "NEAR", "-", "🙂", "x" * 10_000, 'NEAR("a" "b", 2)', "a OR", "^", ":", "(((",
           "name:foo", "'; DROP TABLE intervention; --", "\x00", "\\", "OR AND NOT", "“kritisch”", "-mediawijsheid"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(mini_repo: ModelRepository, query: str) -> None:
    result = search(mini_repo.conn, query)
    assert isinstance(result, list)
    expression = fts_expression(query)
    if expression is not None:
        mini_repo.conn.execute("SELECT count(*) FROM intervention_fts WHERE intervention_fts MATCH ?", (expression,))


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_on_the_real_model(real_repo: ModelRepository, query: str) -> None:
    assert isinstance(search(real_repo.conn, query, Filters(min_trede=1)), list)


def test_accents_and_case_are_ignored(mini_repo: ModelRepository) -> None:
    assert search(mini_repo.conn, "SAID") == ["said-en-lody"]
    assert search(mini_repo.conn, "saïd") == ["said-en-lody"]


def test_prefix_matches_while_typing(mini_repo: ModelRepository) -> None:
    assert search(mini_repo.conn, "medi") == ["under-pressure"]
    assert search(mini_repo.conn, "under pres") == ["under-pressure"]


def test_phrase_between_quotes(mini_repo: ModelRepository) -> None:
    assert search(mini_repo.conn, '"online groepsdruk"') == ["under-pressure"]
    assert search(mini_repo.conn, '"groepsdruk online"') == []


def test_linked_factor_text_is_searchable(mini_repo: ModelRepository) -> None:
    # "Zelfcontrole" is not in any intervention text, "weerbaarheid" is the linked cluster's name
    assert "radicalise" in search(mini_repo.conn, "ideologische weerbaarheid")


def test_empty_query_lists_everything_alphabetically(mini_repo: ModelRepository) -> None:
    assert search(mini_repo.conn, "") == ["radicalise", "said-en-lody", "under-pressure"]


def test_filters_combine(mini_repo: ModelRepository) -> None:
    conn = mini_repo.conn
    assert search(conn, "", Filters(min_trede=3)) == ["radicalise"]
    assert search(conn, "", Filters(types={"1"})) == ["under-pressure"]  # type 1 includes 1.1
    assert search(conn, "", Filters(types={"1.2"})) == []
    assert search(conn, "", Filters(explicit=False)) == ["said-en-lody"]
    assert search(conn, "", Filters(via_municipality=True)) == ["radicalise", "said-en-lody"]
    assert search(conn, "", Filters(facets={"doelgroep": {"kinderen"}})) == ["said-en-lody"]
    assert search(conn, "", Filters(facets={"doelgroep": {"kinderen", "professionals"}})) == [
        "radicalise", "said-en-lody"]
    assert search(conn, "", Filters(scope=("cluster", "mediawijsheid"))) == ["under-pressure"]
    assert search(conn, "", Filters(scope=("block", "gezin-en-familie"))) == ["said-en-lody"]
    assert search(conn, "spel", Filters(scope=("block", "gezin-en-familie"))) == []
    assert search(conn, "", Filters(only_ids={"radicalise"})) == ["radicalise"]


def test_facet_counts_show_what_selecting_a_value_gives(mini_repo: ModelRepository) -> None:
    counts = facet_counts(mini_repo.conn, "", Filters(facets={"doelgroep": {"kinderen"}}))
    doelgroep = {c.value: c.count for c in counts["doelgroep"]}
    assert doelgroep["kinderen"] == 1 and doelgroep["jongeren"] == 2  # own facet ignored: OR
    types = {c.value: c.count for c in counts["type"]}
    assert types["1"] == 0 and types["6"] == 1  # other facets apply: AND
    flags = flag_counts(mini_repo.conn, "", Filters())
    assert flags["explicit"] == {True: 2, False: 1}
    for name in ("offered", "explicit", "via_municipality"):  # a count equals what the filter gives
        for value in (True, False):
            assert flags[name][value] == len(search(mini_repo.conn, "", Filters(**{name: value})))
    assert flags["min_trede"][3] == 1


def test_counts_agree_with_the_filters_on_the_real_model(real_repo: ModelRepository) -> None:
    conn = real_repo.conn
    base = Filters(facets={"doelgroep": {"jongeren"}})
    flags = flag_counts(conn, "", base)
    for name in ("offered", "explicit", "via_municipality"):
        for value in (True, False):
            filters = Filters(facets={"doelgroep": {"jongeren"}}, **{name: value})
            assert flags[name][value] == len(search(conn, "", filters)), (name, value)
    facets = facet_counts(conn, "", base)
    for fc in facets["setting"]:
        filters = Filters(facets={"doelgroep": {"jongeren"}, "setting": {fc.value}})
        assert fc.count == len(search(conn, "", filters)), fc.value
    for fc in facets["type"]:
        assert fc.count == len(search(conn, "", Filters(types={fc.value}, facets=base.facets))), fc.value
