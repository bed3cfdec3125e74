"""Notes import speed (issue 10.8): 5,000 notes on one intervention must import in seconds, linearly.

For each size N: a workspace with N notes on one intervention is exported to a workbook; then
(a) the export is imported into an empty workspace (every row added), and
(b) the same export is imported back into the workspace it came from (every row compared, none
changed) — the case that used to be quadratic. Medians of the rounds, wall and CPU time.

    .venv/bin/python -m bench.notes_import_bench                  # 1000, 5000 and 10000 notes
    .venv/bin/python -m bench.notes_import_bench --sizes 5000 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desktop.core.workspace.exchange import export_notes, import_notes
from desktop.core.workspace.store import Workspace


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def make_export(folder: Path, size: int) -> tuple[Path, Path]:
    source = folder / f"bron-{size}.sqlite"
    with Workspace(source) as workspace:
        with workspace.transaction():
            for number in range(size):
                workspace.add_entry("under-pressure", "Under Pressure", status="ingezet",
                                    entry_date="2026-05-01", place=f"School {number % 40}",
                                    text=f"Notitie {number}: de klas deed goed mee, vervolg in het voorjaar.")
        book = folder / f"notities-{size}.xlsx"
        export_notes(workspace, book)
    return source, book


def run(sizes: list[int], rounds: int) -> None:
    print(f"load: {os.getloadavg()[0]:.2f} (1 min), CPUs: {os.cpu_count()}")
    print(f"{'notes':>7} | {'into empty: wall':>17} {'cpu':>7} | {'back into source: wall':>23} {'cpu':>7}")
    with tempfile.TemporaryDirectory(prefix="bench-notes-") as name:
        folder = Path(name)
        for size in sizes:
            source, book = make_export(folder, size)
            empty_times, back_times = [], []
            for attempt in range(rounds):
                target = folder / f"leeg-{size}-{attempt}.sqlite"
                with Workspace(target) as workspace:
                    empty_times.append(timed(lambda w=workspace, b=book: import_notes(w, b)))
                with Workspace(source) as workspace:
                    back_times.append(timed(lambda w=workspace, b=book: import_notes(w, b)))
            ew = statistics.median(t[0] for t in empty_times)
            ec = statistics.median(t[1] for t in empty_times)
            bw = statistics.median(t[0] for t in back_times)
            bc = statistics.median(t[1] for t in back_times)
            print(f"{size:>7} | {ew:>15.2f} s {ec:>6.2f}s | {bw:>21.2f} s {bc:>6.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")], args.rounds)


if __name__ == "__main__":
    main()
