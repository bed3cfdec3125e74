"""What every benchmark shares: timing (wall and CPU), percentiles, interleaving, the machine and its load.

- `Timer` measures one call: wall time (perf_counter) and the CPU time of this process (process_time,
  all threads), so a slow run caused by other processes on the machine shows as wall >> CPU;
- `Samples` collects both and reports median and p95 (nearest rank);
- `interleave` runs several variants round by round in alternating order (ABBA...), after warm-up
  rounds that are discarded, so drift of the machine hits every variant alike;
- `machine()` describes the machine and the software versions, `load()` the load average: every
  result records both (other processes share the 2 CPUs of the benchmark machine).
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS_DIR = ROOT / "bench" / "results"
SIZES = (120, 1000, 10_000, 30_000)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Samples:
    """Wall and CPU times of repeated runs of one thing, in milliseconds."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall_ms: float, cpu_ms: float) -> None:
        self.wall.append(wall_ms)
        self.cpu.append(cpu_ms)

    def summary(self) -> dict[str, float]:
        if not self.wall:
            return {"n": 0}
        return {
            "n": len(self.wall),
            "wall_p50": statistics.median(self.wall), "wall_p95": percentile(self.wall, 95),
            "cpu_p50": statistics.median(self.cpu), "cpu_p95": percentile(self.cpu, 95),
            "wall_max": max(self.wall),
        }


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall ms, CPU ms of this process, result) of one call."""
    cpu = time.process_time_ns()
    wall = time.perf_counter_ns()
    result = fn()
    return (time.perf_counter_ns() - wall) / 1e6, (time.process_time_ns() - cpu) / 1e6, result


def interleave(variants: dict[str, Callable[[], Any]], rounds: int, warmup: int = 1) -> dict[str, Samples]:
    """Run every variant once per round, order alternating (ABBA), the first `warmup` rounds discarded."""
    samples = {name: Samples() for name in variants}
    names = list(variants)
    for round_no in range(warmup + rounds):
        order = names if round_no % 2 == 0 else names[::-1]
        for name in order:
            wall, cpu, _ = timed(variants[name])
            if round_no >= warmup:
                samples[name].add(wall, cpu)
    return samples


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    import sqlite3

    info: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(), "cpu": _cpu_model(), "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    for module in ("PySide6", "openpyxl"):
        try:
            info[module] = __import__(module).__version__
        except ImportError:
            info[module] = None
    return info


def save(name: str, result: dict[str, Any]) -> Path:
    """Write a result as bench/results/<name>.json (the latest run of each goal; docs are made from these)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return path


def fmt_ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def run_per_size(doc: str | None, measure: Callable[[int, int], dict[str, Any]],
                 print_report: Callable[[dict[str, Any]], None], rounds: int, argv: list[str] | None) -> int:
    """The command line of a benchmark measured per model size: --sizes, --rounds, --json."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="120,1000,10000,30000")
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for size in (int(x) for x in args.sizes.split(",")):
        report = measure(size, args.rounds)
        print(json.dumps(report, indent=1)) if args.json else print_report(report)
    return 0
