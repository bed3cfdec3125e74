"""Start-up time and peak memory: `bouwstenen --smoke` against a bare PySide6 window, per model size.

Goals (issue 16): wall time of --smoke at most 1.5x the bare window's at 120 interventions and 2x at
30,000; peak memory (maximum resident set size) at most 1.3x.

Method:
- both are started as fresh processes with the same interpreter (.venv), QT_QPA_PLATFORM=offscreen,
  a private BOUWSTENEN_HOME and BOUWSTENEN_BUNDLED_MODEL pointing at a prebuilt model (the curated
  120-intervention model, or a synthetic one of bench/generate.py);
- runs alternate ABBA so slow drift of the machine hits both equally, after warm-up runs of each
  (page cache, bytecode); wall time from spawning to reaping, CPU time (user + system) and peak
  memory are the child's own, read per process with os.wait4;
- every run must print "ok" and exit 0, or the benchmark fails;
- bytecode: an installed or frozen application runs from compiled bytecode, so the children get
  PYTHONPYCACHEPREFIX=<temporary folder> (filled by the warm-up runs; nothing is written into the
  work tree) and PYTHONDONTWRITEBYTECODE is removed.

    python -m bench startup --sizes 120,30000 --runs 15
    python -m bench phases --sizes 120            # where --smoke spends its time and memory
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import load, percentile  # noqa: E402
from bench.generate import cached_model  # noqa: E402

TIME_GOAL = {120: 1.5, 30_000: 2.0}
MEMORY_GOAL = 1.3


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    maxrss_mib: float


def run_once(cmd: list[str], env: dict[str, str]) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, tell Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0 or stdout.strip().splitlines()[-1:] != ["ok"]:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{stdout}\n{stderr}")
    # Linux reports ru_maxrss in KiB (macOS in bytes)
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale)


def summary(runs: list[Run]) -> dict[str, float]:
    walls = [r.wall_s for r in runs]
    return {
        "runs": len(runs),
        "wall_median_s": statistics.median(walls),
        "wall_p95_s": percentile(walls, 95),
        "wall_min_s": min(walls),
        "cpu_median_s": statistics.median(r.cpu_s for r in runs),
        "cpu_p95_s": percentile([r.cpu_s for r in runs], 95),
        "maxrss_median_mib": statistics.median(r.maxrss_mib for r in runs),
        "maxrss_max_mib": max(r.maxrss_mib for r in runs),
    }


def environment(home: str, pycache: str, model: Path, no_bytecode_cache: bool = False) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOUWSTENEN_HOME=home, BOUWSTENEN_BUNDLED_MODEL=str(model))
    if not no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def measure(size: int, runs: int, warmup: int, no_bytecode_cache: bool = False) -> dict[str, Any]:
    model = cached_model(size)
    python = sys.executable
    smoke = [python, "-m", "desktop.cli", "--smoke"]
    bare = [python, str(ROOT / "bench" / "bare_window.py")]
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="bouwstenen-startup-") as home, \
            tempfile.TemporaryDirectory(prefix="bouwstenen-pycache-") as pycache:
        env = environment(home, pycache, model, no_bytecode_cache)
        for _ in range(warmup):
            run_once(smoke, env)
            run_once(bare, env)
        results: dict[str, list[Run]] = {"smoke": [], "bare": []}
        for i in range(runs):
            order = ("smoke", "bare") if i % 2 == 0 else ("bare", "smoke")
            for name in order:
                results[name].append(run_once(smoke if name == "smoke" else bare, env))
    s, b = summary(results["smoke"]), summary(results["bare"])
    time_ratio = s["wall_median_s"] / b["wall_median_s"]
    memory_ratio = s["maxrss_median_mib"] / b["maxrss_median_mib"]
    time_goal = TIME_GOAL.get(size)
    return {
        "size": size, "model_file": str(model), "load_before": load_before, "load_after": load(),
        "bytecode_cache": not no_bytecode_cache, "smoke": s, "bare": b,
        "time_ratio": time_ratio,
        "cpu_ratio": s["cpu_median_s"] / b["cpu_median_s"],
        "time_ratio_median_of_pairs": statistics.median(
            x.wall_s / y.wall_s for x, y in zip(results["smoke"], results["bare"], strict=True)),
        "time_goal": time_goal, "time_pass": None if time_goal is None else time_ratio <= time_goal,
        "memory_ratio": memory_ratio, "memory_goal": MEMORY_GOAL, "memory_pass": memory_ratio <= MEMORY_GOAL,
        "raw": {k: [asdict(r) for r in v] for k, v in results.items()},
    }


def phases(size: int, runs: int, warmup: int) -> dict[str, Any]:
    model = cached_model(size)
    cmd = [sys.executable, str(ROOT / "bench" / "startup_phases.py")]
    reports = []
    with tempfile.TemporaryDirectory(prefix="bouwstenen-startup-") as home, \
            tempfile.TemporaryDirectory(prefix="bouwstenen-pycache-") as pycache:
        env = environment(home, pycache, model)
        for index in range(warmup + runs):
            out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
            if index >= warmup:
                reports.append(json.loads(out.strip().splitlines()[-1]))
    table = {name: {"ms": statistics.median(r["phases"][name]["ms"] for r in reports),
                    "maxrss_mib": statistics.median(r["phases"][name]["maxrss_mib"] for r in reports)}
             for name in reports[0]["phases"]}
    return {"size": size, "runs": runs, "load": load(), "phases": table,
            "total_ms": statistics.median(r["total_ms"] for r in reports)}


def print_report(report: dict[str, Any]) -> None:
    s, b = report["smoke"], report["bare"]
    print(f"start-up, {report['size']:,} interventions (load {report['load_before']} -> {report['load_after']})")
    print(f"{'':8} {'runs':>4} {'median s':>9} {'p95 s':>7} {'cpu s':>7} {'maxrss MiB':>11}")
    for name, st in (("--smoke", s), ("bare", b)):
        print(f"{name:8} {st['runs']:>4} {st['wall_median_s']:>9.3f} {st['wall_p95_s']:>7.3f} "
              f"{st['cpu_median_s']:>7.3f} {st['maxrss_median_mib']:>11.1f}")
    goal = report["time_goal"]
    verdict = "" if goal is None else f" goal <= {goal}x: {'PASS' if report['time_pass'] else 'FAIL'}"
    print(f"time ratio {report['time_ratio']:.2f}x (cpu {report['cpu_ratio']:.2f}x){verdict}")
    # a shared machine slows a bare window and the application unequally from minute to minute: the ratio
    # of each ABBA pair and of the fastest runs show how far one median ratio can be trusted
    print(f"  per pair (median) {report['time_ratio_median_of_pairs']:.2f}x, fastest runs "
          f"{s['wall_min_s'] / b['wall_min_s']:.2f}x")
    print(f"memory ratio {report['memory_ratio']:.2f}x goal <= {MEMORY_GOAL}x: "
          f"{'PASS' if report['memory_pass'] else 'FAIL'}")


def print_phases(report: dict[str, Any]) -> None:
    print(f"start-up phases of --smoke, {report['size']:,} interventions, median of {report['runs']} runs "
          f"(load {report['load']})")
    print(f"{'phase':62} {'ms':>7} {'peak RSS MiB':>13}")
    for name, row in report["phases"].items():
        print(f"{name:62} {row['ms']:>7.1f} {row['maxrss_mib']:>13.1f}")
    print(f"{'total (after the interpreter started)':62} {report['total_ms']:>7.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="120,30000")
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each command")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--phases", action="store_true", help="instead: time the steps of start-up")
    parser.add_argument("--no-bytecode-cache", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for size in (int(x) for x in args.sizes.split(",")):
        if args.phases:
            report = phases(size, args.runs, args.warmup)
            print(json.dumps(report)) if args.json else print_phases(report)
        else:
            report = measure(size, args.runs, args.warmup, args.no_bytecode_cache)
            print(json.dumps(report)) if args.json else print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
