"""Search latency: the core search (text + filters -> ids) against raw SQLite on the same database,
and the time from a keystroke to an updated list in the main window.

Goals (issue 4): p95 of the core search at most 2x the raw FTS5 MATCH for a fixed query set, at 120
(the curated model), 1,000 and 10,000 interventions; the list updates within one frame (16 ms) of
a keystroke at 10,000.

Part 1, core vs raw. Every query of QUERIES has a core form (what the user types plus filters, run
through desktop.core.search.search) and a raw form written by hand the way one would query the
database directly: `SELECT intervention_id FROM intervention_fts WHERE intervention_fts MATCH ?`
with the natural FTS5 syntax (`jongeren`, `jon*`, `"sociale media"`), unranked; filter-only
queries compare with the equivalent plain SQL on the filter tables, and text+filter queries with a
MATCH plus the same filter subquery. Both run on the same read-only connection, opened as the
application opens it (desktop.core.schema.open_model), and both materialise the full id list.
Rounds alternate core/raw order and shuffle the queries (seeded); one warm-up round is discarded.
The goal is judged on the p95 over all samples of all queries (core p95 / raw p95); p95 per
category and the slowest queries are listed for diagnosis. A second baseline, `raw same
expression`, runs MATCH with exactly the expression the core builds (every word a prefix), to
separate the cost of prefix semantics from the cost of ranking, joining and filtering.

Part 2, keystrokes (needs PySide6; offscreen): a MainWindow over the 10,000 model, shown; words are
typed letter by letter into the search field. For every keystroke the debounce timer is stopped and
these are timed separately: the search alone (search() with the window's filters); facet_counts()
and flag_counts() as refresh() calls them; `list_only_frame`, the search plus the list model reset
plus a repaint of the list (what a refresh that updates the list first and the counts afterwards
would show within the frame); the full MainWindow.refresh() (search + list + facet, flag and note
counts + chips); and `frame`, refresh() followed by a repaint and processing events (the whole
frame). p50/p95 per part. Note that the window itself waits SEARCH_DELAY_MS after a keystroke
before it refreshes (debounce); that wait is reported but not included.

    .venv/bin/python -m bench.search_bench                      # 120, 1000, 10000 + keystrokes
    .venv/bin/python -m bench.search_bench --sizes 10000 --no-keystrokes --json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import CACHE_DIR, cached_model, real_model  # noqa: E402
from desktop.core.schema import open_model  # noqa: E402
from desktop.core.search import Filters, fts_expression, search  # noqa: E402

RATIO_GOAL = 2.0
FRAME_MS = 16.0

_FTS = "SELECT intervention_id FROM intervention_fts WHERE intervention_fts MATCH ?"
_TYPE = (
    "SELECT intervention_id FROM intervention_facet WHERE facet_key = 'type' AND (value = ? OR value LIKE ?)"
)


@dataclass
class Query:
    category: str
    label: str
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    raw_sql: str = _FTS
    raw_params: tuple[Any, ...] = ()


def _facet(key: str, *values: str) -> Filters:
    return Filters(facets={key: set(values)})


QUERIES: list[Query] = [
    # single words (the core matches each word as a prefix; raw matches the word itself)
    Query("word", "jongeren", "jongeren", raw_params=("jongeren",)),
    Query("word", "radicalisering", "radicalisering", raw_params=("radicalisering",)),
    Query("word", "discriminatie", "discriminatie", raw_params=("discriminatie",)),
    Query("word", "weerbaarheid", "weerbaarheid", raw_params=("weerbaarheid",)),
    Query("word", "mediawijsheid", "mediawijsheid", raw_params=("mediawijsheid",)),
    Query("word", "ouders", "ouders", raw_params=("ouders",)),
    Query("word", "two words: jongeren school", "jongeren school", raw_params=("jongeren school",)),
    # prefixes, as while typing
    Query("prefix", "jo", "jo", raw_params=("jo*",)),
    Query("prefix", "jon", "jon", raw_params=("jon*",)),
    Query("prefix", "rad", "rad", raw_params=("rad*",)),
    Query("prefix", "pola", "pola", raw_params=("pola*",)),
    Query("prefix", "weerb", "weerb", raw_params=("weerb*",)),
    Query("prefix", "medi", "medi", raw_params=("medi*",)),
    # phrases
    Query("phrase", '"sociale media"', '"sociale media"', raw_params=('"sociale media"',)),
    Query("phrase", '"kritisch denken"', '"kritisch denken"', raw_params=('"kritisch denken"',)),
    Query("phrase", '"online discriminatie"', '"online discriminatie"', raw_params=('"online discriminatie"',)),
    Query("phrase", '"eigen inschatting"', '"eigen inschatting"', raw_params=('"eigen inschatting"',)),
    # accented words (typed with accents; the tokenizer folds both sides)
    Query("accent", "creëren", "creëren", raw_params=("creëren",)),
    Query("accent", "Saïd", "Saïd", raw_params=("Saïd",)),
    Query("accent", "beïnvloeden", "beïnvloeden", raw_params=("beïnvloeden",)),
    Query("accent", "geëvalueerd", "geëvalueerd", raw_params=("geëvalueerd",)),
    Query("accent", "strategieën", "strategieën", raw_params=("strategieën",)),
    Query("accent", "moskeeën", "moskeeën", raw_params=("moskeeën",)),
    # filters only (raw: the same condition in plain SQL on the filter tables)
    Query("filters", "nothing (whole model)", raw_sql="SELECT id FROM intervention"),
    Query("filters", "type 2", filters=Filters(types={"2"}), raw_sql=_TYPE, raw_params=("2", "2.%")),
    Query("filters", "type 1 (with subtypes)", filters=Filters(types={"1"}), raw_sql=_TYPE, raw_params=("1", "1.%")),
    Query("filters", "trede >= 3", filters=Filters(min_trede=3),
          raw_sql="SELECT id FROM intervention WHERE trede >= ?", raw_params=(3,)),
    Query("filters", "aangeboden", filters=Filters(offered=True),
          raw_sql="SELECT id FROM intervention WHERE offered = ?", raw_params=(1,)),
    Query("filters", "doelgroep=jongeren", filters=_facet("doelgroep", "jongeren"),
          raw_sql="SELECT intervention_id FROM intervention_facet WHERE facet_key = ? AND value = ?",
          raw_params=("doelgroep", "jongeren")),
    Query("filters", "setting=school|online", filters=_facet("setting", "school", "online"),
          raw_sql="SELECT DISTINCT intervention_id FROM intervention_facet WHERE facet_key = ? AND value IN (?, ?)",
          raw_params=("setting", "school", "online")),
    Query("filters", "bouwsteen individu", filters=Filters(scope=("block", "individu")),
          raw_sql="SELECT DISTINCT e.intervention_id FROM example_link e JOIN cluster c ON c.id = e.cluster_id "
          "WHERE c.block_id = ?", raw_params=("individu",)),
    # text + filters
    Query("text+filters", "jongeren + doelgroep=jongeren", "jongeren", _facet("doelgroep", "jongeren"),
          _FTS + " AND intervention_id IN (SELECT intervention_id FROM intervention_facet "
          "WHERE facet_key = 'doelgroep' AND value = ?)", ("jongeren", "jongeren")),
    Query("text+filters", "weerbaarheid + trede >= 2", "weerbaarheid", Filters(min_trede=2),
          _FTS + " AND intervention_id IN (SELECT id FROM intervention WHERE trede >= ?)", ("weerbaarheid", 2)),
    Query("text+filters", "pola + type 4", "pola", Filters(types={"4"}),
          _FTS + " AND intervention_id IN (" + _TYPE + ")", ("pola*", "4", "4.%")),
]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _time_ms(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter_ns()
    result = fn()
    return (time.perf_counter_ns() - start) / 1e6, result


def model_for(size: int, workdir: Path) -> Path:
    if size == 120:
        return real_model(CACHE_DIR / "real-120.sqlite")
    return cached_model(size)


def bench_core_vs_raw(conn: sqlite3.Connection, rounds: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    samples: dict[str, dict[str, list[float]]] = {q.label: {"core": [], "raw": [], "same": []} for q in QUERIES}

    def core(q: Query) -> list[str]:
        return search(conn, q.text, q.filters)

    def raw(q: Query) -> list[str]:
        return [r[0] for r in conn.execute(q.raw_sql, q.raw_params)]

    def same(q: Query) -> list[str]:
        expression = fts_expression(q.text)
        if expression is None:
            return raw(q)
        params = (expression, *q.raw_params[1:])
        return [r[0] for r in conn.execute(q.raw_sql, params)]

    for round_no in range(rounds + 1):
        order = list(QUERIES)
        rng.shuffle(order)
        for q in order:
            kinds = ("core", "raw", "same") if round_no % 2 == 0 else ("same", "raw", "core")
            for kind in kinds:
                fn = {"core": core, "raw": raw, "same": same}[kind]
                ms, _result = _time_ms(lambda fn=fn, q=q: fn(q))  # type: ignore[misc]
                if round_no > 0:  # round 0 is the warm-up
                    samples[q.label][kind].append(ms)
    counts = {q.label: (len(core(q)), len(set(raw(q)))) for q in QUERIES}

    def agg(kind: str, queries: list[Query]) -> float:
        return percentile([ms for q in queries for ms in samples[q.label][kind]], 95)

    categories = sorted({q.category for q in QUERIES}, key=[q.category for q in QUERIES].index)
    per_category = {}
    for cat in categories:
        qs = [q for q in QUERIES if q.category == cat]
        c, r, s = agg("core", qs), agg("raw", qs), agg("same", qs)
        per_category[cat] = {"core_p95_ms": c, "raw_p95_ms": r, "raw_same_expr_p95_ms": s, "ratio": c / r}
    per_query = []
    for q in QUERIES:
        c = percentile(samples[q.label]["core"], 95)
        r = percentile(samples[q.label]["raw"], 95)
        s = percentile(samples[q.label]["same"], 95)
        per_query.append({
            "category": q.category, "query": q.label, "core_results": counts[q.label][0],
            "raw_results": counts[q.label][1], "core_p50_ms": statistics.median(samples[q.label]["core"]),
            "core_p95_ms": c, "raw_p95_ms": r, "raw_same_expr_p95_ms": s, "ratio": c / r,
        })
    core_all, raw_all, same_all = agg("core", QUERIES), agg("raw", QUERIES), agg("same", QUERIES)
    return {
        "rounds": rounds,
        "queries": len(QUERIES),
        "core_p95_ms": core_all,
        "raw_p95_ms": raw_all,
        "raw_same_expr_p95_ms": same_all,
        "ratio": core_all / raw_all,
        "ratio_vs_same_expr": core_all / same_all,
        "pass": core_all / raw_all <= RATIO_GOAL,
        "per_category": per_category,
        "per_query": per_query,
    }


TYPED_WORDS = ("jongeren", "mediawijsheid", "discriminatie", "weerbaarheid", "polarisatie")


_NONE_BALLAST: list[None] = []


def none_leak_per_call() -> float:
    """How many references to None one void Qt call loses (0 when the binding is sound).

    PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a C++ method that
    returns void (Python 3.12+ makes None immortal, which hides it). After ~10,000 such calls the
    interpreter aborts with "Fatal Python error: none_dealloc". See docs/performance.md.
    """
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    return (before - sys.getrefcount(None)) / 1000


def bench_keystrokes(model: Path, repeats: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    leak = none_leak_per_call()
    if leak > 0.5:
        # benchmark-only workaround so the measurement can finish: hold enough extra references
        # to None that the leak cannot reach zero during the run (the application has no such
        # guard and aborts after a few dozen keystrokes)
        _NONE_BALLAST.extend([None] * 20_000_000)

    from desktop.core.repository import ModelRepository
    from desktop.core.search import facet_counts, flag_counts
    from desktop.ui.main_window import SEARCH_DELAY_MS, MainWindow

    parts: dict[str, list[float]] = {
        "search": [], "facet_counts": [], "flag_counts": [], "list_only_frame": [], "refresh": [], "frame": [],
    }
    by_length: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bouwstenen-keys-") as home:
        settings = QSettings(str(Path(home) / "instellingen.ini"), QSettings.Format.IniFormat)
        repo = ModelRepository.open(model)
        window = MainWindow(repo, Path(home), settings)
        window.show()
        app.processEvents()
        conn = repo.conn
        for _ in range(repeats):
            for word in TYPED_WORDS:
                window.search.setText("")
                window.search_timer.stop()
                window.refresh()
                app.processEvents()
                for length in range(1, len(word) + 1):
                    text = word[:length]
                    window.search.setText(text)  # starts the debounce timer; we run its work directly
                    window.search_timer.stop()
                    filters = window.current_filters()
                    parts["search"].append(_time_ms(lambda text=text, f=filters: search(conn, text, f))[0])
                    parts["facet_counts"].append(
                        _time_ms(lambda text=text, f=filters: facet_counts(conn, text, f))[0])
                    parts["flag_counts"].append(_time_ms(lambda text=text, f=filters: flag_counts(conn, text, f))[0])
                    # the list alone, as a split refresh would update it first (counts afterwards)
                    start = time.perf_counter_ns()
                    window.list_model.set_ids(search(conn, text, filters))
                    window.table.viewport().repaint()
                    parts["list_only_frame"].append((time.perf_counter_ns() - start) / 1e6)
                    parts["refresh"].append(_time_ms(window.refresh)[0])
                    start = time.perf_counter_ns()
                    window.refresh()
                    window.table.viewport().repaint()  # paint the visible rows now, as the next frame would
                    app.processEvents()
                    frame = (time.perf_counter_ns() - start) / 1e6
                    parts["frame"].append(frame)
                    by_length.setdefault(length, []).append(frame)
        window.close()
        repo.close()
    result: dict[str, Any] = {
        "words": list(TYPED_WORDS),
        "repeats": repeats,
        "keystrokes": len(parts["search"]),
        "debounce_ms": SEARCH_DELAY_MS,
        "none_refs_lost_per_void_qt_call": leak,
        "frame_goal_ms": FRAME_MS,
    }
    for name, values in parts.items():
        result[name] = {"p50_ms": statistics.median(values), "p95_ms": percentile(values, 95), "max_ms": max(values)}
    result["frame_p95_by_prefix_length"] = {n: percentile(v, 95) for n, v in sorted(by_length.items())}
    result["search_pass"] = result["search"]["p95_ms"] <= FRAME_MS
    result["refresh_pass"] = result["refresh"]["p95_ms"] <= FRAME_MS
    result["frame_pass"] = result["frame"]["p95_ms"] <= FRAME_MS
    result["list_only_pass"] = result["list_only_frame"]["p95_ms"] <= FRAME_MS
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=0, help="rounds per query (default: by size)")
    parser.add_argument("--no-keystrokes", action="store_true")
    parser.add_argument("--keystroke-size", type=int, default=10000)
    parser.add_argument("--keystroke-repeats", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {"search": {}}
    with tempfile.TemporaryDirectory(prefix="bouwstenen-search-") as tmp:
        for size in args.sizes:
            model = model_for(size, Path(tmp))
            conn = open_model(model)
            rounds = args.rounds or (40 if size <= 1000 else 20)
            start = time.perf_counter()
            result = bench_core_vs_raw(conn, rounds)
            result["seconds"] = time.perf_counter() - start
            conn.close()
            report["search"][size] = result
            if not args.json:
                _print_search(size, result)
        if not args.no_keystrokes:
            model = model_for(args.keystroke_size, Path(tmp))
            keys = bench_keystrokes(model, args.keystroke_repeats)
            keys["size"] = args.keystroke_size
            report["keystrokes"] = keys
            if not args.json:
                _print_keys(keys)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if _NONE_BALLAST:
        # freeing the ballast at exit would let the leaked count reach zero during finalisation
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0


def _print_search(size: int, r: dict[str, Any]) -> None:
    verdict = "PASS" if r["pass"] else "FAIL"
    print(f"\n== {size} interventions: {r['queries']} queries x {r['rounds']} rounds ({r['seconds']:.0f} s)")
    print(f"p95 core {r['core_p95_ms']:.2f} ms, raw {r['raw_p95_ms']:.2f} ms -> {r['ratio']:.2f}x "
          f"(goal <= {RATIO_GOAL}x: {verdict}); raw with the core's expression {r['raw_same_expr_p95_ms']:.2f} ms "
          f"({r['ratio_vs_same_expr']:.2f}x)")
    print(f"{'category':14} {'core p95':>9} {'raw p95':>8} {'same p95':>9} {'ratio':>6}")
    for cat, c in r["per_category"].items():
        print(f"{cat:14} {c['core_p95_ms']:>9.2f} {c['raw_p95_ms']:>8.2f} {c['raw_same_expr_p95_ms']:>9.2f} "
              f"{c['ratio']:>6.2f}")
    print(f"{'query':32} {'hits':>5} {'raw':>5} {'core p95':>9} {'raw p95':>8} {'same':>7} {'ratio':>6}")
    for q in r["per_query"]:
        print(f"{q['query'][:32]:32} {q['core_results']:>5} {q['raw_results']:>5} {q['core_p95_ms']:>9.2f} "
              f"{q['raw_p95_ms']:>8.2f} {q['raw_same_expr_p95_ms']:>7.2f} {q['ratio']:>6.2f}")


def _print_keys(k: dict[str, Any]) -> None:
    if k["none_refs_lost_per_void_qt_call"] > 0.5:
        print("\nWARNING: this PySide6 loses a reference to None per void Qt call "
              f"({k['none_refs_lost_per_void_qt_call']:.2f}); the keystroke run held extra references to survive")
    print(f"\n== keystrokes at {k['size']}: {k['keystrokes']} keystrokes ({', '.join(k['words'])} x {k['repeats']})")
    for name in ("search", "facet_counts", "flag_counts", "list_only_frame", "refresh", "frame"):
        v = k[name]
        print(f"{name:15} p50 {v['p50_ms']:7.2f} ms  p95 {v['p95_ms']:7.2f} ms  max {v['max_ms']:7.2f} ms")
    print("frame p95 by prefix length: "
          + ", ".join(f"{n}: {ms:.1f}" for n, ms in k["frame_p95_by_prefix_length"].items()))
    print(f"one frame ({FRAME_MS:.0f} ms): search {'PASS' if k['search_pass'] else 'FAIL'}, "
          f"refresh {'PASS' if k['refresh_pass'] else 'FAIL'}, frame {'PASS' if k['frame_pass'] else 'FAIL'}, "
          f"list only {'PASS' if k['list_only_pass'] else 'FAIL'}; "
          f"note the search field's debounce of {k['debounce_ms']} ms comes on top")


if __name__ == "__main__":
    sys.exit(main())
