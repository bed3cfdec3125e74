"""Core search against raw FTS5 MATCH (and plain SQL for filters) on the same database, per query group.

Goal (issue 16): p95 of the core search (text + filters -> ordered ids, `ModelRepository.search`) at most
1.5x the raw query for every query group at 10,000 interventions.

Every query has a core form (what the user types plus filters) and a raw form written by hand the way
one would query the database directly: `SELECT rowid FROM intervention_fts WHERE intervention_fts
MATCH ?` in natural FTS5 syntax (`jongeren`, `jon*`, `"sociale media"`), unranked; filter-only queries
compare with the same condition in plain SQL on the index tables, text + filter queries with a MATCH
plus the same filter subquery. A second reference, `ranked`, runs MATCH with exactly the expression
the core builds and the core's ORDER BY bm25(...): what SQLite alone needs for the core's answer, so
the core's own overhead (Python, filters, ids) is `core / ranked`.

Core and raw run on one read-only connection opened as the application opens it; rounds alternate
the order of the variants and shuffle the queries (seeded); the first round is a warm-up. The core's
cache of recent text searches is emptied before every core run (a keystroke never repeats the text of
the previous one).

    python -m bench search --sizes 120,1000,10000,30000
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import Samples, fmt_ms, load, run_per_size, timed  # noqa: E402
from bench.generate import cached_model  # noqa: E402
from desktop.core.search.repository import ModelRepository  # noqa: E402
from desktop.core.search.search import _BM25, Filters, fts_expression  # noqa: E402

RATIO_GOAL = 1.5

_FTS = "SELECT rowid FROM intervention_fts WHERE intervention_fts MATCH ?"
_RANKED = _FTS + f" ORDER BY {_BM25}, rowid"
_FACET = "SELECT num FROM facet_index WHERE facet = ? AND value = ?"
_TYPE = "SELECT DISTINCT num FROM facet_index WHERE facet = 'type' AND (value = ? OR value LIKE ?)"


@dataclass
class Query:
    group: str
    label: str
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    raw_sql: str = _FTS
    raw_params: tuple[Any, ...] = ()


def _facet(key: str, *values: str) -> Filters:
    return Filters(facets={key: set(values)})


QUERIES: list[Query] = [
    Query("word", "jongeren", "jongeren", raw_params=("jongeren",)),
    Query("word", "radicalisering", "radicalisering", raw_params=("radicalisering",)),
    Query("word", "discriminatie", "discriminatie", raw_params=("discriminatie",)),
    Query("word", "weerbaarheid", "weerbaarheid", raw_params=("weerbaarheid",)),
    Query("word", "mediawijsheid", "mediawijsheid", raw_params=("mediawijsheid",)),
    Query("word", "jongeren school", "jongeren school", raw_params=("jongeren school",)),
    Query("prefix", "j", "j", raw_params=("j*",)),
    Query("prefix", "jo", "jo", raw_params=("jo*",)),
    Query("prefix", "jon", "jon", raw_params=("jon*",)),
    Query("prefix", "rad", "rad", raw_params=("rad*",)),
    Query("prefix", "pola", "pola", raw_params=("pola*",)),
    Query("prefix", "weerb", "weerb", raw_params=("weerb*",)),
    Query("phrase", '"sociale media"', '"sociale media"', raw_params=('"sociale media"',)),
    Query("phrase", '"kritisch denken"', '"kritisch denken"', raw_params=('"kritisch denken"',)),
    Query("phrase", '"eigen inschatting"', '"eigen inschatting"', raw_params=('"eigen inschatting"',)),
    Query("accent", "creëren", "creëren", raw_params=("creëren",)),
    Query("accent", "beïnvloeden", "beïnvloeden", raw_params=("beïnvloeden",)),
    Query("accent", "geëvalueerd", "geëvalueerd", raw_params=("geëvalueerd",)),
    Query("accent", "ideeën", "ideeën", raw_params=("ideeën",)),
    Query("filters", "nothing (whole model)", raw_sql="SELECT num FROM intervention_index ORDER BY num"),
    Query("filters", "type 2", filters=Filters(types={"2"}), raw_sql=_TYPE, raw_params=("2", "2.%")),
    Query("filters", "type 1 (with subtypes)", filters=Filters(types={"1"}), raw_sql=_TYPE, raw_params=("1", "1.%")),
    Query("filters", "trede >= 3", filters=Filters(min_trede=3),
          raw_sql="SELECT id FROM intervention WHERE trede >= ?", raw_params=(3,)),
    Query("filters", "aangeboden", filters=Filters(offered=True),
          raw_sql="SELECT id FROM intervention WHERE offered = ?", raw_params=(1,)),
    Query("filters", "doelgroep=jongeren", filters=_facet("doelgroep", "jongeren"), raw_sql=_FACET,
          raw_params=("doelgroep", "jongeren")),
    Query("filters", "setting=school|online", filters=_facet("setting", "school", "online"),
          raw_sql="SELECT DISTINCT num FROM facet_index WHERE facet = ? AND value IN (?, ?)",
          raw_params=("setting", "school", "online")),
    Query("filters", "bouwsteen individu", filters=Filters(scope=("block", "individu")),
          raw_sql="SELECT DISTINCT e.intervention FROM example e JOIN cluster c ON c.id = e.cluster_id "
          "JOIN theme t ON t.id = c.theme_id WHERE t.block_id = ?", raw_params=("individu",)),
    Query("text+filters", "jongeren + doelgroep=jongeren", "jongeren", _facet("doelgroep", "jongeren"),
          _FTS + " AND rowid IN (" + _FACET + ")", ("jongeren", "doelgroep", "jongeren")),
    Query("text+filters", "weerbaarheid + aangeboden", "weerbaarheid", Filters(offered=True),
          _FTS + " AND rowid IN (SELECT x.num FROM intervention_index x JOIN intervention i ON i.id = x.id "
          "WHERE i.offered = 1)", ("weerbaarheid",)),
    Query("text+filters", "pola + type 4", "pola", Filters(types={"4"}), _FTS + " AND rowid IN (" + _TYPE + ")",
          ("pola*", "4", "4.%")),
]


def measure(size: int, rounds: int, seed: int = 7) -> dict[str, Any]:
    repo = ModelRepository.open(cached_model(size))
    conn = repo.conn
    index = repo.index
    index.values  # noqa: B018  (load the filter sets once, as the window does after its first paint)
    index.scopes  # noqa: B018
    index.flags  # noqa: B018
    rng = random.Random(seed)
    samples: dict[str, dict[str, Samples]] = {q.label: {k: Samples() for k in ("core", "raw", "ranked")}
                                              for q in QUERIES}

    def core(q: Query) -> list[str]:
        index._texts.clear()
        return repo.search(q.text, q.filters)

    def raw(q: Query) -> list[Any]:
        return [r[0] for r in conn.execute(q.raw_sql, q.raw_params)]

    def ranked(q: Query) -> list[Any]:
        expression = fts_expression(q.text)
        if expression is None or q.raw_sql != _FTS:
            return raw(q)  # no text, or a filter in the raw form: the raw form itself
        return [r[0] for r in conn.execute(_RANKED, (expression,))]

    kinds = {"core": core, "raw": raw, "ranked": ranked}
    load_before = load()
    for round_no in range(rounds + 1):
        order = list(QUERIES)
        rng.shuffle(order)
        for q in order:
            names = ("core", "raw", "ranked") if round_no % 2 == 0 else ("ranked", "raw", "core")
            for name in names:
                wall, cpu, _ = timed(lambda fn=kinds[name], q=q: fn(q))  # type: ignore[misc]
                if round_no > 0:
                    samples[q.label][name].add(wall, cpu)
    groups: dict[str, Any] = {}
    for group in dict.fromkeys(q.group for q in QUERIES):
        merged = {k: Samples() for k in kinds}
        for q in QUERIES:
            if q.group == group:
                for k in kinds:
                    merged[k].wall += samples[q.label][k].wall
                    merged[k].cpu += samples[q.label][k].cpu
        s = {k: v.summary() for k, v in merged.items()}
        groups[group] = {**s, "ratio": s["core"]["wall_p95"] / s["raw"]["wall_p95"],
                         "ratio_ranked": s["core"]["wall_p95"] / s["ranked"]["wall_p95"]}
    per_query = [{"group": q.group, "query": q.label, "results": len(core(q)), "raw_results": len(set(raw(q))),
                  **{k: samples[q.label][k].summary() for k in kinds}} for q in QUERIES]
    repo.close()
    worst = max(g["ratio"] for g in groups.values())
    return {"size": size, "rounds": rounds, "load_before": load_before, "load_after": load(), "groups": groups,
            "per_query": per_query, "worst_ratio": worst, "goal": RATIO_GOAL,
            "pass": worst <= RATIO_GOAL if size == 10_000 else None}


def print_report(r: dict[str, Any]) -> None:
    print(f"search, {r['size']:,} interventions, {r['rounds']} rounds (load {r['load_before']} -> {r['load_after']})")
    print(f"{'group':14} {'core p50':>9} {'core p95':>9} {'cpu p95':>8} {'raw p95':>8} {'ranked p95':>10} "
          f"{'core/raw':>9} {'core/ranked':>11}")
    for name, g in r["groups"].items():
        print(f"{name:14} {fmt_ms(g['core']['wall_p50']):>9} {fmt_ms(g['core']['wall_p95']):>9} "
              f"{fmt_ms(g['core']['cpu_p95']):>8} {fmt_ms(g['raw']['wall_p95']):>8} "
              f"{fmt_ms(g['ranked']['wall_p95']):>10} {g['ratio']:>8.2f}x {g['ratio_ranked']:>10.2f}x")


def main(argv: list[str] | None = None) -> int:
    return run_per_size(__doc__, measure, print_report, 15, argv)


if __name__ == "__main__":
    sys.exit(main())
