"""Model updates: a published workbook and a model database, each against its plain reference; model size.

Goals (issue 16):
- validate + apply a workbook at most 1.5x a plain openpyxl read_only pass over the same file, growing
  linearly from 1,000 to 30,000 interventions;
- the `.sqlite` import of 30,000 works, at most 2x a plain file copy + `PRAGMA integrity_check`;
- model database size / raw text size reported; no text stored twice.

Method: the workbook and database of bench/generate.py at each size; the current model is the curated
one (so the comparison finds every synthetic intervention new). `update` = `inspect()` (private copy,
hash, container checks, read, every model check, comparison with the current model) + `apply()` into a
fresh data folder (write the model database with its search index, check it, fsync, keep the previous
version, swap, history). Reference and update alternate round by round (ABBA) after a warm-up round;
wall and CPU time (this process) per run, median and p95.

    python -m bench import --sizes 1000,10000,30000
    python -m bench sqlite --sizes 30000
    python -m bench size --sizes 120,1000,10000,30000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import Samples, fmt_ms, load, timed  # noqa: E402
from bench.generate import cached_model, cached_workbook, synthetic_model  # noqa: E402

WORKBOOK_GOAL = 1.5
DATABASE_GOAL = 2.0


def plain_read(path: Path) -> int:
    """The reference: openpyxl in read_only mode, every row of every sheet, values only."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    cells = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
    finally:
        wb.close()
    return cells


def plain_copy(path: Path, folder: Path) -> None:
    """The reference: copy the file, then SQLite's full integrity check of the copy."""
    target = folder / "kopie.sqlite"
    shutil.copyfile(path, target)
    conn = sqlite3.connect(target)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise SystemExit("integrity_check failed")
    finally:
        conn.close()
    target.unlink()


def _update(path: Path, current: Path, data_dir: Path) -> dict[str, float]:
    """inspect + apply, with the time of each part (ms)."""
    from desktop.core.updates.apply import apply
    from desktop.core.updates.inspect import inspect

    wall, _cpu, preview = timed(lambda: inspect(path, current, set()))
    if not preview.ok:
        raise SystemExit(f"{path.name} refused: {[str(p) for p in preview.errors[:5]]}")
    wall2, _cpu2, _ = timed(lambda: apply(preview, data_dir))
    return {"inspect": wall, "apply": wall2}


def measure(size: int, kind: str, rounds: int) -> dict[str, Any]:
    source = cached_workbook(size) if kind == "xlsx" else cached_model(size)
    current = cached_model(120)
    reference, update = Samples(), Samples()
    parts: dict[str, list[float]] = {"inspect": [], "apply": []}
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="bouwstenen-import-bench-") as tmp:
        folder = Path(tmp)
        for round_no in range(rounds + 1):
            def ref() -> None:
                plain_read(source) if kind == "xlsx" else plain_copy(source, folder)

            home = folder / f"home-{round_no}"

            def upd(home: Path = home) -> dict[str, float]:
                return _update(source, current, home)

            order = ((ref, reference), (upd, update)) if round_no % 2 == 0 else ((upd, update), (ref, reference))
            for fn, samples in order:
                wall, cpu, result = timed(fn)
                if round_no > 0:
                    samples.add(wall, cpu)
                    if fn is upd:
                        for key, value in result.items():
                            parts[key].append(value)
            shutil.rmtree(home, ignore_errors=True)
    ref_s, upd_s = reference.summary(), update.summary()
    ratio = upd_s["wall_p50"] / ref_s["wall_p50"]
    goal = WORKBOOK_GOAL if kind == "xlsx" else DATABASE_GOAL
    return {
        "size": size, "kind": kind, "file_kb": source.stat().st_size // 1024, "rounds": rounds,
        "load_before": load_before, "load_after": load(), "reference": ref_s, "update": upd_s,
        "inspect_ms": sorted(parts["inspect"])[len(parts["inspect"]) // 2],
        "apply_ms": sorted(parts["apply"])[len(parts["apply"]) // 2],
        "ratio": ratio, "cpu_ratio": upd_s["cpu_p50"] / ref_s["cpu_p50"], "goal": goal, "pass": ratio <= goal,
    }


def text_bytes(size: int) -> int:
    """UTF-8 bytes of every text in the model (every str value of every entity, ids and codes included)."""
    from desktop.core.model.rows import flatten
    from desktop.core.model.schema import SCHEMA

    model = synthetic_model(size)
    total = 0
    for entity in SCHEMA:
        for row in flatten(model, entity):
            for value in row.values.values():
                if isinstance(value, str):
                    total += len(value.encode())
                elif isinstance(value, list):
                    total += sum(len(v.encode()) for v in value if isinstance(v, str))
    return total


def model_size(size: int) -> dict[str, Any]:
    path = cached_model(size)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        try:
            parts = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        except sqlite3.OperationalError:
            parts = {}
    finally:
        conn.close()
    fts = sum(v for k, v in parts.items() if k.startswith("intervention_fts"))
    raw = text_bytes(size)
    file_bytes = path.stat().st_size
    return {
        "size": size, "file_bytes": file_bytes, "text_bytes": raw, "ratio": file_bytes / raw,
        "fts_bytes": fts, "fts_share": fts / file_bytes if parts else None,
        "fts_content_table": "intervention_fts_content" in tables,
        "largest": sorted(parts.items(), key=lambda kv: -kv[1])[:6],
    }


def print_report(r: dict[str, Any]) -> None:
    what = "workbook: update vs openpyxl read_only" if r["kind"] == "xlsx" else \
        "database: update vs copy + integrity_check"
    ref, upd = r["reference"], r["update"]
    print(f"{what}, {r['size']:,} interventions, {r['file_kb']:,} kB, {r['rounds']} rounds "
          f"(load {r['load_before']} -> {r['load_after']})")
    print(f"  reference p50 {fmt_ms(ref['wall_p50'])} ms (cpu {fmt_ms(ref['cpu_p50'])}), p95 {fmt_ms(ref['wall_p95'])}"
          f" | update p50 {fmt_ms(upd['wall_p50'])} ms (cpu {fmt_ms(upd['cpu_p50'])}), p95 {fmt_ms(upd['wall_p95'])}"
          f" [inspect {fmt_ms(r['inspect_ms'])} + apply {fmt_ms(r['apply_ms'])}]")
    print(f"  ratio {r['ratio']:.2f}x (cpu {r['cpu_ratio']:.2f}x), goal <= {r['goal']}x: "
          f"{'PASS' if r['pass'] else 'FAIL'}")


def print_size(r: dict[str, Any]) -> None:
    print(f"model size, {r['size']:,} interventions: file {r['file_bytes'] / 1e6:.1f} MB, raw text "
          f"{r['text_bytes'] / 1e6:.1f} MB, ratio {r['ratio']:.2f}; full-text index "
          f"{r['fts_bytes'] / 1e6:.1f} MB; FTS content table: {'YES (text twice)' if r['fts_content_table'] else 'no'}")


def main(argv: list[str] | None = None, kind: str = "xlsx") -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kind", choices=("xlsx", "sqlite", "size"), default=kind)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    reports = []
    for size in (int(x) for x in args.sizes.split(",")):
        report = model_size(size) if args.kind == "size" else measure(size, args.kind, args.rounds)
        reports.append(report)
        if args.json:
            print(json.dumps(report, indent=1))
        else:
            print_size(report) if args.kind == "size" else print_report(report)
    if args.kind == "xlsx" and len(reports) >= 2 and not args.json:
        small, large = reports[0], reports[-1]
        factor = large["size"] / small["size"]
        growth = large["update"]["wall_p50"] / small["update"]["wall_p50"]
        print(f"linearity {small['size']:,} -> {large['size']:,} (x{factor:g}): update x{growth:.1f}, reference "
              f"x{large['reference']['wall_p50'] / small['reference']['wall_p50']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
