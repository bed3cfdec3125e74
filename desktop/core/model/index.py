"""The search index of a model database, derived from the model when the file is written.

Never read back as part of the model (an import rebuilds it), so it can change freely:

- `build_info`: schema version and the fingerprint of the curated source it was built from;
- `intervention_index`: a small integer per intervention (`num`), its sort key, derived flags and a copy of
  its trede, offered and explicit (the wide `intervention` table is slow to scan for three numbers);
- `intervention_fts`: a contentless FTS5 index (`unicode61 remove_diacritics 2`, prefix indexes) over
  the columns of `model_file.SEARCH_COLUMNS`: the texts themselves live once, in the model tables;
- `facet_index`: (facet, value, num) for filters and their counts;
- `node_count`: per bouwsteen, thema, beschermende factor and the unlinked interventions: how many distinct
  interventions, how many with a trede, how many offered now (the tree and the model map at start-up);
- `whole_count`: the filter counts of the whole model (no text, no filter: the window as it opens), per facet
  value, per intervention type (with its subtypes) and per flag value.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from desktop.core.model.model_file import SEARCH_COLUMNS, TYPE_FACET
from desktop.core.text import sort_key

if TYPE_CHECKING:
    from desktop.core.model.entities import Model

INDEX_VERSION = 4  # raised when these tables change, so a checkout's bundled model and the bench files are rebuilt
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_PREFIX = "2 3 4"


def factor_texts(model: Model) -> dict[str, list[str]]:
    """Per intervention: the words of the factors it is an example of (block, theme, factor, sub-factors)."""
    found: dict[str, list[str]] = {}
    for block in model.blocks:
        for theme in block.themes:
            for cluster in theme.clusters:
                words = [block.name, theme.name, cluster.name, cluster.focus or "", *cluster.subfactors]
                for example in cluster.examples:
                    found.setdefault(example.intervention, []).extend(words)
    return {iid: list(dict.fromkeys(w for w in words if w)) for iid, words in found.items()}


_DISTINCT = ("count(DISTINCT x.num), count(DISTINCT CASE WHEN x.trede IS NOT NULL THEN x.num END), "
             "count(DISTINCT CASE WHEN x.offered = 1 THEN x.num END)")
NODE_COUNTS = f"""
SELECT 'cluster', e.cluster_id, {_DISTINCT}
FROM example e JOIN intervention_index x ON x.id = e.intervention GROUP BY e.cluster_id
UNION ALL
SELECT 'theme', c.theme_id, {_DISTINCT}
FROM example e JOIN cluster c ON c.id = e.cluster_id JOIN intervention_index x ON x.id = e.intervention
GROUP BY c.theme_id
UNION ALL
SELECT 'block', t.block_id, {_DISTINCT}
FROM example e JOIN cluster c ON c.id = e.cluster_id JOIN theme t ON t.id = c.theme_id
JOIN intervention_index x ON x.id = e.intervention GROUP BY t.block_id
UNION ALL
SELECT 'unlinked', '', count(*), count(x.trede), count(CASE WHEN x.offered = 1 THEN 1 END)
FROM intervention_index x WHERE x.linked = 0 HAVING count(*) > 0
"""
"""The same counts as the filters' sets give (tests/test_search.py checks that they agree)."""

WholeCount = tuple[str, str, str, int]
"""(family, key, value, interventions): ("facet", facet, value, n), ("type", "", code, n) with the subtypes
of a code counted once, ("flag", flag, "1"/"0" or a trede level, n) for offered, explicit, via_municipality
and min_trede."""


def whole_model_counts(conn: sqlite3.Connection) -> list[WholeCount]:
    """The filter counts of the whole model, counted in SQLite from `facet_index` and `intervention_index`
    (which must have trede, offered and explicit). Written into `whole_count` when the index is built."""
    rows: list[WholeCount] = conn.execute(
        "SELECT 'facet', facet, value, count(*) FROM facet_index GROUP BY facet, value").fetchall()
    # a main type also counts its subtypes (1 -> 1.1, 1.2), each intervention once
    rows += conn.execute(
        "SELECT 'type', '', t.code, count(DISTINCT f.num) FROM intervention_type t JOIN facet_index f "
        "ON f.facet = ? AND (f.value = t.code OR (f.value > t.code || '.' AND f.value < t.code || '/')) "
        "GROUP BY t.code", (TYPE_FACET,)).fetchall()
    levels = ", ".join(f"count(CASE WHEN trede >= {level} THEN 1 END)" for level in range(6))
    flags = conn.execute(
        "SELECT count(CASE WHEN offered = 1 THEN 1 END), count(CASE WHEN offered = 0 THEN 1 END), "
        "count(CASE WHEN explicit = 1 THEN 1 END), count(CASE WHEN explicit = 0 THEN 1 END), "
        "count(CASE WHEN via_municipality THEN 1 END), count(CASE WHEN NOT via_municipality THEN 1 END), "
        f"{levels} FROM intervention_index").fetchone()
    for position, (flag, value) in enumerate([("offered", "1"), ("offered", "0"), ("explicit", "1"), ("explicit", "0"),
                                              ("via_municipality", "1"), ("via_municipality", "0"),
                                              *(("min_trede", str(level)) for level in range(6))]):
        rows.append(("flag", flag, value, flags[position]))
    return rows


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def build_index(conn: sqlite3.Connection, model: Model, info: dict[str, str]) -> None:
    conn.execute("CREATE TABLE build_info (key TEXT PRIMARY KEY, value TEXT)")
    conn.executemany("INSERT INTO build_info VALUES (?, ?)", info.items())
    conn.execute(
        "CREATE TABLE intervention_index (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, sort_key TEXT NOT NULL, "
        "via_municipality INTEGER NOT NULL, linked INTEGER NOT NULL, trede INTEGER, offered INTEGER, explicit INTEGER)"
    )
    via: set[str] = set()
    linked: set[str] = set()
    for cluster in model.clusters():
        for example in cluster.examples:
            linked.add(example.intervention)
            if example.via_municipality:
                via.add(example.intervention)
    ordered = sorted(model.interventions, key=lambda iv: (sort_key(iv.name), iv.id))
    nums = {iv.id: num for num, iv in enumerate(ordered, start=1)}  # num order is the alphabetical order
    conn.executemany(
        "INSERT INTO intervention_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((nums[iv.id], iv.id, sort_key(iv.name), int(iv.id in via), int(iv.id in linked), iv.trede,
          _flag(iv.offered), _flag(iv.explicit)) for iv in ordered),
    )
    # the ids in alphabetical order without the wide rows (the list as the window opens): half the pages
    conn.execute("CREATE INDEX intervention_index_ids ON intervention_index (num, id)")
    names = ", ".join(name for name, _weight, _label in SEARCH_COLUMNS)
    conn.execute(
        f"CREATE VIRTUAL TABLE intervention_fts USING fts5({names}, content='', "
        f"tokenize='{FTS_TOKENIZE}', prefix='{FTS_PREFIX}')"
    )
    factors = factor_texts(model)
    conn.executemany(
        f"INSERT INTO intervention_fts (rowid, {names}) VALUES (?, {', '.join('?' for _ in SEARCH_COLUMNS)})",
        (
            (nums[iv.id], iv.name, " ".join(iv.aliases), iv.type_text or "", iv.description or "", iv.goal or "",
             iv.target_group or "", iv.provider or "", " ".join(factors.get(iv.id, [])))
            for iv in ordered
        ),
    )
    conn.execute(
        "CREATE TABLE facet_index (facet TEXT NOT NULL, value TEXT NOT NULL, num INTEGER NOT NULL, "
        "PRIMARY KEY (facet, value, num)) WITHOUT ROWID"
    )
    rows = {
        (judgement.facet, value, nums[iv.id])
        for iv in ordered for judgement in iv.facets for value in judgement.values
    }
    conn.executemany("INSERT INTO facet_index VALUES (?, ?, ?)", sorted(rows))
    conn.execute("CREATE INDEX facet_index_num ON facet_index (num)")
    conn.execute("CREATE INDEX example_intervention ON example (intervention)")
    conn.execute("CREATE TABLE node_count (kind TEXT NOT NULL, key TEXT NOT NULL, interventions INTEGER NOT NULL, "
                 "with_trede INTEGER NOT NULL, offered INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
    conn.execute(f"INSERT INTO node_count {NODE_COUNTS}")
    conn.execute("CREATE TABLE whole_count (family TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
                 "n INTEGER NOT NULL, PRIMARY KEY (family, key, value)) WITHOUT ROWID")
    conn.executemany("INSERT INTO whole_count VALUES (?, ?, ?, ?)", whole_model_counts(conn))
