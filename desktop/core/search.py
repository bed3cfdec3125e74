"""Full-text search (SQLite FTS5) combined with filters and the tree selection.

Every user string is safe: the query is reduced to words (letters and digits) that are each quoted
for FTS5, so operators, quotes, brackets and emoji can never cause an FTS5 syntax error. Words are
matched as prefixes (results while typing), accents are ignored by the FTS tokenizer
(`remove_diacritics 2`). A part between double quotes is matched as a phrase.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field, replace

from desktop.core.slug import fold

MAX_TERMS = 16
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")

# bm25 weights per FTS column: intervention_id, name, aliases, type_text, description, goal,
# target_group, provider, factors
_BM25 = "bm25(intervention_fts, 0, 10.0, 8.0, 3.0, 1.0, 1.5, 2.0, 1.0, 2.5)"

SCOPES = ("block", "theme", "cluster")


@dataclass
class Filters:
    """Every filter the user can set. Empty / None means 'not filtered'."""

    types: set[str] = field(default_factory=set)
    min_trede: int | None = None
    offered: bool | None = None
    explicit: bool | None = None
    via_municipality: bool | None = None
    facets: dict[str, set[str]] = field(default_factory=dict)
    scope: tuple[str, str] | None = None  # ("block" | "theme" | "cluster", id)
    only_ids: set[str] | None = None  # e.g. the interventions with one of "my notes" statuses

    def is_empty(self) -> bool:
        return (
            not self.types and self.min_trede is None and self.offered is None and self.explicit is None
            and self.via_municipality is None and not any(self.facets.values()) and self.only_ids is None
        )


def query_terms(text: str) -> list[str]:
    """The folded words of a query (used for highlighting as well)."""
    words = [fold(w)[:MAX_TERM_LENGTH] for w in _WORD.findall(text)]
    return [w for w in words if w][:MAX_TERMS]


def fts_expression(text: str) -> str | None:
    """Turn user text into a safe FTS5 MATCH expression, or None when it holds no words."""
    parts: list[str] = []
    segments = text[: MAX_TERMS * (MAX_TERM_LENGTH + 2) * 4].split('"')
    for index, segment in enumerate(segments):
        words = query_terms(segment)
        if not words:
            continue
        in_quotes = index % 2 == 1 and index < len(segments) - 1
        if in_quotes and len(words) > 1:
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"*' for w in words)
        if len(parts) >= MAX_TERMS:
            break
    return " ".join(parts[:MAX_TERMS]) or None


def _scope_clause(scope: tuple[str, str]) -> tuple[str, list[object]]:
    kind, node_id = scope
    if kind == "cluster":
        return "i.id IN (SELECT intervention_id FROM example_link WHERE cluster_id = ?)", [node_id]
    column = {"theme": "c.theme_id", "block": "c.block_id"}.get(kind)
    if column is None:
        raise ValueError(f"onbekend soort knoop: {kind}")
    return (
        "i.id IN (SELECT e.intervention_id FROM example_link e JOIN cluster c ON c.id = e.cluster_id "
        f"WHERE {column} = ?)",
        [node_id],
    )


def _where(filters: Filters) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.scope is not None:
        clause, args = _scope_clause(filters.scope)
        clauses.append(clause)
        params.extend(args)
    if filters.types:
        # a main type also matches its subtypes (type 1 -> 1.1, 1.2, 1.3)
        ors = []
        for code in sorted(filters.types):
            ors.append("value = ?")
            params.append(code)
            if "." not in code:
                ors.append("value LIKE ?")
                params.append(f"{code}.%")
        clauses.append(
            "i.id IN (SELECT intervention_id FROM intervention_facet WHERE facet_key = 'type' AND ("
            + " OR ".join(ors) + "))"
        )
    if filters.min_trede is not None:
        clauses.append("i.trede >= ?")
        params.append(filters.min_trede)
    if filters.offered is not None:
        clauses.append("i.offered = ?")
        params.append(int(filters.offered))
    if filters.explicit is not None:
        clauses.append("i.explicit = ?")
        params.append(int(filters.explicit))
    if filters.via_municipality is not None:
        exists = "EXISTS (SELECT 1 FROM example_link e WHERE e.intervention_id = i.id AND e.via_municipality = 1)"
        clauses.append(exists if filters.via_municipality else f"NOT {exists}")
    for key, values in sorted(filters.facets.items()):
        if not values:
            continue
        marks = ", ".join("?" for _ in values)
        clauses.append(
            f"i.id IN (SELECT intervention_id FROM intervention_facet WHERE facet_key = ? AND value IN ({marks}))"
        )
        params.append(key)
        params.extend(sorted(values))
    if filters.only_ids is not None:
        clauses.append("i.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(filters.only_ids)))
    return clauses, params


def search(conn: sqlite3.Connection, text: str = "", filters: Filters | None = None) -> list[str]:
    """Ids of the matching interventions: best text match first, else alphabetical."""
    filters = filters or Filters()
    clauses, params = _where(filters)
    expression = fts_expression(text)
    if expression is None:
        sql = "SELECT i.id FROM intervention i"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY i.sort_key"
        return [r[0] for r in conn.execute(sql, params)]
    sql = (
        f"SELECT i.id FROM (SELECT intervention_id, {_BM25} AS rank FROM intervention_fts "
        "WHERE intervention_fts MATCH ?) m JOIN intervention i ON i.id = m.intervention_id"
    )
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY m.rank, i.sort_key"
    try:
        return [r[0] for r in conn.execute(sql, [expression, *params])]
    except sqlite3.OperationalError:
        # Defensive: the expression is built to be valid; should FTS5 still refuse it, search
        # for nothing rather than fail while the user types.
        return []


SearchCache = dict[tuple[object, ...], list[str]]


def _search_key(text: str, filters: Filters) -> tuple[object, ...]:
    """Two searches with equal keys return the same ids."""
    return (
        fts_expression(text), tuple(sorted(filters.types)), filters.min_trede, filters.offered,
        filters.explicit, filters.via_municipality,
        tuple(sorted((k, tuple(sorted(v))) for k, v in filters.facets.items() if v)), filters.scope,
        None if filters.only_ids is None else tuple(sorted(filters.only_ids)),
    )


def cached_search(
    conn: sqlite3.Connection, text: str, filters: Filters, cache: SearchCache | None
) -> list[str]:
    """search(), remembered in `cache` (one dict per refresh: the counts below run the same search
    many times; with no filter set, every one of them equals the main search)."""
    if cache is None:
        return search(conn, text, filters)
    key = _search_key(text, filters)
    if key not in cache:
        cache[key] = search(conn, text, filters)
    return cache[key]


def _facet_value_counts(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, int]]:
    """Per facet, per value: how many of `ids` have it (a main type counts its subtypes' ones)."""
    counts: dict[str, dict[str, int]] = {}
    id_list = json.dumps(ids)
    for key, value, count in conn.execute(
        "SELECT facet_key, value, count(*) FROM intervention_facet WHERE intervention_id IN "
        "(SELECT value FROM json_each(?)) GROUP BY facet_key, value",
        (id_list,),
    ):
        counts.setdefault(key, {})[value] = count
    # main types: interventions with the main code or any of its subtypes, each counted once
    main_counts = dict(
        conn.execute(
            "SELECT CASE WHEN instr(value, '.') > 0 THEN substr(value, 1, instr(value, '.') - 1) ELSE value END "
            "AS main, count(DISTINCT intervention_id) FROM intervention_facet WHERE facet_key = 'type' AND "
            "intervention_id IN (SELECT value FROM json_each(?)) GROUP BY main",
            (id_list,),
        ).fetchall()
    )
    counts.setdefault("type", {}).update(main_counts)
    return counts


@dataclass
class FacetCount:
    value: str
    label: str
    count: int


def facet_counts(
    conn: sqlite3.Connection, text: str, filters: Filters, cache: SearchCache | None = None
) -> dict[str, list[FacetCount]]:
    """Per facet value: how many results there would be with that value selected (OR within a
    facet, AND across facets), given the text and every other filter."""
    cache = {} if cache is None else cache
    result: dict[str, list[FacetCount]] = {}
    per_search: dict[tuple[object, ...], dict[str, dict[str, int]]] = {}
    labels: dict[str, list[tuple[str, str]]] = {}  # every facet's values, read in one query
    for key, value, label in conn.execute(
        "SELECT v.facet_key, v.value, v.label FROM facet_value v JOIN facet f ON f.key = v.facet_key "
        "ORDER BY f.position, v.position"
    ):
        labels.setdefault(key, []).append((value, label))
    for key in [r[0] for r in conn.execute("SELECT key FROM facet ORDER BY position")]:
        if key == "type":
            others = replace(filters, types=set())
        else:
            others = replace(filters, facets={k: v for k, v in filters.facets.items() if k != key})
        search_key = _search_key(text, others)
        if search_key not in per_search:
            per_search[search_key] = _facet_value_counts(conn, cached_search(conn, text, others, cache))
        counts = per_search[search_key].get(key, {})
        result[key] = [FacetCount(v, label, counts.get(v, 0)) for v, label in labels.get(key, [])]
    return result


_FLAG_SQL = {
    "offered": "i.offered = 1",
    "explicit": "i.explicit = 1",
    "via_municipality": (
        "EXISTS (SELECT 1 FROM example_link e WHERE e.intervention_id = i.id AND e.via_municipality = 1)"
    ),
}


_FLAG_NO_SQL = {
    "offered": "i.offered = 0",
    "explicit": "i.explicit = 0",
    "via_municipality": f"NOT {_FLAG_SQL['via_municipality']}",
}


def flag_counts(
    conn: sqlite3.Connection, text: str, filters: Filters, cache: SearchCache | None = None
) -> dict[str, dict[object, int]]:
    """Counts for the yes/no filters and the minimum trede, each computed without itself.

    Counted over the ids of the search without that filter (no second search); unknown values
    count for neither, exactly as the filter treats them."""
    cache = {} if cache is None else cache
    out: dict[str, dict[object, int]] = {}
    for name, condition in _FLAG_SQL.items():
        without = replace(filters)
        setattr(without, name, None)
        ids = cached_search(conn, text, without, cache)
        yes, no = conn.execute(
            f"SELECT count(*) FILTER (WHERE {condition}), count(*) FILTER (WHERE {_FLAG_NO_SQL[name]}) "
            "FROM intervention i WHERE i.id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        ).fetchone()
        out[name] = {True: yes, False: no}
    ids = cached_search(conn, text, replace(filters, min_trede=None), cache)
    per_level = dict(
        conn.execute(
            "SELECT trede, count(*) FROM intervention WHERE trede IS NOT NULL AND id IN "
            "(SELECT value FROM json_each(?)) GROUP BY trede",
            (json.dumps(ids),),
        ).fetchall()
    )
    out["min_trede"] = {
        level: sum(n for trede, n in per_level.items() if trede >= level) for level in range(6)
    }
    return out
