"""Import speed: checking and applying a published workbook, against a plain openpyxl read of it.

Goal (issue 6): validating and applying a workbook of 10,000 synthetic interventions takes at most
1.5x the time of a plain openpyxl `read_only` pass over the same file, and grows linearly from
1,000 to 10,000 interventions.

For each size N the synthetic model of bench/generate.py is written as a published workbook. Then:

- `plain`: openpyxl.load_workbook(read_only=True, data_only=True, keep_links=False) and every row
  of every sheet read with values_only=True (the least any import must do), median of the rounds;
- `inspect`: desktop.core.model_import.inspect against the current model (the cached synthetic
  model of the same N, so the whole comparison runs): private copy and hash, zip container checks,
  the openpyxl read, building the ModelSource, every validation, the diff;
- `apply`: desktop.core.model_import.apply into an empty data folder: staging write (the builder),
  integrity check, fsync, previous version, swap, history; its steps are timed separately.

    .venv/bin/python -m bench.import_bench                   # 1000 and 10000
    .venv/bin/python -m bench.import_bench --sizes 1000 --rounds 3 --write   # append to docs/performance.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import cached_model, synthetic_source  # noqa: E402
from desktop.core.model_import import STEPS, apply, inspect  # noqa: E402
from desktop.core.workbook import write_workbook  # noqa: E402

RATIO_GOAL = 1.5
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"


def plain_read(path: Path) -> int:
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


def measure(n: int, rounds: int, folder: Path) -> dict[str, Any]:
    source = synthetic_source(n)
    book = folder / f"synthetisch-{n}.xlsx"
    start = time.perf_counter()
    write_workbook(source, book)
    written = time.perf_counter() - start
    current = cached_model(n)

    plain_times, inspect_times, apply_times = [], [], []
    steps: dict[str, list[float]] = {}
    cells = 0
    for r in range(rounds):
        start = time.perf_counter()
        cells = plain_read(book)
        plain_times.append(time.perf_counter() - start)

        start = time.perf_counter()
        preview = inspect(book, current, set())
        inspect_times.append(time.perf_counter() - start)
        if not preview.ok:
            raise SystemExit(f"synthetic workbook refused: {[str(p) for p in preview.errors[:5]]}")

        marks: list[tuple[int, float]] = []
        start = time.perf_counter()
        def mark(step: int, _total: int, _label: str, marks: list[tuple[int, float]] = marks) -> None:
            marks.append((step, time.perf_counter()))

        apply(preview, folder / f"home-{n}-{r}", mark)
        end = time.perf_counter()
        apply_times.append(end - start)
        for (step, at), (_next, until) in zip(marks, [*marks[1:], (len(STEPS), end)], strict=True):
            steps.setdefault(STEPS[step], []).append(until - at)

    plain = statistics.median(plain_times)
    checked = statistics.median(inspect_times)
    applied = statistics.median(apply_times)
    return {
        "n": n, "size_kb": book.stat().st_size // 1024, "cells": cells, "write_workbook": written,
        "plain": plain, "inspect": checked, "apply": applied, "total": checked + applied,
        "ratio": (checked + applied) / plain, "inspect_ratio": checked / plain,
        "steps": {name: statistics.median(values) for name, values in steps.items()},
    }


def report(results: list[dict[str, Any]], rounds: int) -> str:
    cores = os.cpu_count()
    lines = [
        f"### {dt.date.today().isoformat()} — {cores} cores (`nproc`), Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}",
        "",
        f"`.venv/bin/python -m bench.import_bench` ({rounds} round(s), median). Workbook of bench/generate.py; "
        "`plain` = openpyxl read_only pass over every row, `inspect` = copy + hash + zip checks + read + every "
        "check + comparison with the current model, `apply` = write, check, fsync, keep previous, swap, history.",
        "",
        "| interventions | workbook | plain | inspect | apply | total | total / plain | inspect / plain |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']:,} | {r['size_kb']:,} kB | {r['plain']:.2f} s | {r['inspect']:.2f} s | {r['apply']:.2f} s "
            f"| {r['total']:.2f} s | {r['ratio']:.2f}x | {r['inspect_ratio']:.2f}x |"
        )
    lines += ["", "Steps of `apply` (s):", "", "| interventions | " + " | ".join(STEPS[:-1]) + " |",
              "|---:|" + "---:|" * (len(STEPS) - 1)]
    for r in results:
        lines.append(f"| {r['n']:,} | " + " | ".join(f"{r['steps'].get(s, 0.0):.2f}" for s in STEPS[:-1]) + " |")
    if len(results) >= 2:
        small, large = results[0], results[-1]
        factor = large["n"] / small["n"]
        lines += [
            "",
            f"Linearity {small['n']:,} -> {large['n']:,} (x{factor:g}): plain x{large['plain'] / small['plain']:.1f}, "
            f"inspect x{large['inspect'] / small['inspect']:.1f}, apply x{large['apply'] / small['apply']:.1f}, "
            f"total x{large['total'] / small['total']:.1f}.",
        ]
    worst = max(r["ratio"] for r in results)
    lines += ["", f"Goal total / plain <= {RATIO_GOAL}x: {'met' if worst <= RATIO_GOAL else 'NOT met'} "
              f"(worst {worst:.2f}x)."]
    return "\n".join(lines) + "\n"


def append_to_doc(text: str) -> None:
    existing = PERFORMANCE_DOC.read_text(encoding="utf-8") if PERFORMANCE_DOC.exists() else "# Performance\n"
    if "\n## Import\n" not in existing:
        existing = existing.rstrip("\n") + "\n\n## Import\n\n" + IMPORT_NOTES + "\n"
    PERFORMANCE_DOC.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")


IMPORT_NOTES = """\
Goal (issue 6): checking and applying a workbook of 10,000 synthetic interventions in at most 1.5x
the time of a plain openpyxl `read_only` pass over the same file, growing linearly from 1,000 to
10,000. Measured by `bench/import_bench.py`; every run appends a dated block below."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark model import against a plain openpyxl read.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="append the result to docs/performance.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bouwstenen-import-bench-") as folder:
        results = []
        for n in args.sizes:
            result = measure(n, args.rounds, Path(folder))
            print(f"{n}: plain {result['plain']:.2f} s, inspect {result['inspect']:.2f} s, "
                  f"apply {result['apply']:.2f} s, ratio {result['ratio']:.2f}x", file=sys.stderr)
            results.append(result)
    text = report(results, args.rounds)
    print(text)
    if args.write:
        append_to_doc(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
