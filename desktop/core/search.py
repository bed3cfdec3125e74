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


@dataclass
class FacetCount:
    value: str
    label: str
    count: int


def facet_counts(
    conn: sqlite3.Connection, text: str, filters: Filters
) -> dict[str, list[FacetCount]]:
    """Per facet value: how many results there would be with that value selected (OR within a
    facet, AND across facets), given the text and every other filter."""
    result: dict[str, list[FacetCount]] = {}
    facets = conn.execute("SELECT key FROM facet ORDER BY position").fetchall()
    for (key,) in facets:
        if key == "type":
            others = replace(filters, types=set())
        else:
            others = replace(filters, facets={k: v for k, v in filters.facets.items() if k != key})
        ids = search(conn, text, others)
        if key == "type":
            counts = _type_counts(conn, key, ids)  # a main type counts its subtypes' interventions
        else:
            counts = {
                value: count
                for value, count in conn.execute(
                    "SELECT value, count(*) FROM intervention_facet WHERE facet_key = ? AND intervention_id IN "
                    "(SELECT value FROM json_each(?)) GROUP BY value",
                    (key, json.dumps(ids)),
                )
            }
        values = conn.execute(
            "SELECT value, label FROM facet_value WHERE facet_key = ? ORDER BY position", (key,)
        ).fetchall()
        result[key] = [FacetCount(v, label, counts.get(v, 0)) for v, label in values]
    return result


def _type_counts(conn: sqlite3.Connection, key: str, ids: list[str]) -> dict[str, int]:
    per_id: dict[str, set[str]] = {}
    for iid, value in conn.execute(
        "SELECT intervention_id, value FROM intervention_facet WHERE facet_key = ? AND intervention_id IN "
        "(SELECT value FROM json_each(?))",
        (key, json.dumps(ids)),
    ):
        codes = per_id.setdefault(iid, set())
        codes.add(value)
        codes.add(value.split(".")[0])
    counts: dict[str, int] = {}
    for codes in per_id.values():
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return counts


def flag_counts(conn: sqlite3.Connection, text: str, filters: Filters) -> dict[str, dict[object, int]]:
    """Counts for the yes/no filters and the minimum trede, each computed without itself."""
    out: dict[str, dict[object, int]] = {}
    for name in ("offered", "explicit", "via_municipality"):
        without, only_yes = replace(filters), replace(filters)
        setattr(without, name, None)
        setattr(only_yes, name, True)
        ids = search(conn, text, without)
        yes = len(search(conn, text, only_yes))
        out[name] = {True: yes, False: len(ids) - yes}
    ids = search(conn, text, replace(filters, min_trede=None))
    tredes = [
        r[0]
        for r in conn.execute(
            "SELECT trede FROM intervention WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        )
    ]
    out["min_trede"] = {level: sum(1 for t in tredes if t is not None and t >= level) for level in range(6)}
    return out
