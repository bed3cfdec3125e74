"""Start-up time and peak memory: `bouwstenen --smoke` against a bare PySide6 window.

Goals (issue 4): median wall time of --smoke at most 1.5x the bare window's; peak memory (maximum
resident set size) at most 1.3x.

Method:
- both are started as fresh processes with the same interpreter (.venv), QT_QPA_PLATFORM=offscreen,
  a private BOUWSTENEN_HOME and BOUWSTENEN_BUNDLED_MODEL pointing at a prebuilt model (by default
  the curated 120-intervention model built from data/; `--model 1000|10000` uses a synthetic one);
- runs alternate in the order ABBA ABBA ... so slow drift of the machine hits both equally, after
  two discarded warm-up runs of each (page cache, __pycache__);
- wall time is measured from spawning to reaping the process; peak memory is the child's own
  ru_maxrss, read per process with os.wait4 (resource.getrusage(RUSAGE_CHILDREN) only gives the
  maximum over all children reaped so far, which cannot separate the two commands);
- every run must print "ok" and exit 0, or the benchmark fails;
- bytecode: an installed or frozen application runs from compiled bytecode, so the children get
  PYTHONPYCACHEPREFIX=<temporary folder> (filled by the warm-up runs; nothing is written into the
  work tree) and PYTHONDONTWRITEBYTECODE is removed. `--no-bytecode-cache` keeps the environment
  as it is (with PYTHONDONTWRITEBYTECODE=1 every project module is compiled from source on every
  start, which costs --smoke ~50 ms and the one-file bare window nothing).

    .venv/bin/python -m bench.startup                 # 15 runs each, real model
    .venv/bin/python -m bench.startup --runs 10 --model 10000 --json
    .venv/bin/python -m bench.startup --checkout      # no BOUWSTENEN_BUNDLED_MODEL: includes the
                                                      # data/ fingerprint check a source checkout does
    .venv/bin/python -m bench.startup --phases        # where --smoke spends its time and memory
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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import CACHE_DIR, cached_model, real_model  # noqa: E402

TIME_GOAL = 1.5
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
    walls = sorted(r.wall_s for r in runs)
    return {
        "runs": len(runs),
        "wall_median_s": statistics.median(walls),
        "wall_min_s": walls[0],
        "wall_max_s": walls[-1],
        "cpu_median_s": statistics.median(r.cpu_s for r in runs),
        "maxrss_median_mib": statistics.median(r.maxrss_mib for r in runs),
        "maxrss_max_mib": max(r.maxrss_mib for r in runs),
    }


def print_phases(cmd: list[str], env: dict[str, str], runs: int, warmup: int) -> int:
    reports = []
    for index in range(warmup + runs):
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
        if index >= warmup:
            reports.append(json.loads(out.strip().splitlines()[-1]))
    print(f"start-up phases of --smoke, median of {runs} runs")
    print(f"{'phase':58} {'ms':>7} {'peak RSS MiB':>13}")
    for name in reports[0]["phases"]:
        ms = statistics.median(r["phases"][name]["ms"] for r in reports)
        rss = statistics.median(r["phases"][name]["maxrss_mib"] for r in reports)
        print(f"{name:58} {ms:>7.1f} {rss:>13.1f}")
    print(f"{'total (after the interpreter started)':58} {statistics.median(r['total_ms'] for r in reports):>7.1f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each command (at least 10)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--model", default="real", help="real (data/, 120), or a synthetic size such as 10000")
    parser.add_argument("--checkout", action="store_true",
                        help="do not set BOUWSTENEN_BUNDLED_MODEL (start-up then fingerprints data/)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX as they are")
    parser.add_argument("--phases", action="store_true",
                        help="instead: time the steps of start-up (bench/startup_phases.py), median of --runs")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.runs < 10:
        parser.error("--runs must be at least 10")

    if args.model == "real":
        model = real_model(CACHE_DIR / "real-120.sqlite")
    else:
        model = cached_model(int(args.model))

    python = sys.executable
    smoke = [python, "-m", "desktop.cli", "--smoke"]
    bare = [python, str(ROOT / "bench" / "bare_window.py")]
    with tempfile.TemporaryDirectory(prefix="bouwstenen-startup-") as home, \
            tempfile.TemporaryDirectory(prefix="bouwstenen-pycache-") as pycache:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOUWSTENEN_HOME=home)
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = pycache
        env.pop("BOUWSTENEN_BUNDLED_MODEL", None)
        if not args.checkout:
            env["BOUWSTENEN_BUNDLED_MODEL"] = str(model)
        if args.phases:
            return print_phases([python, str(ROOT / "bench" / "startup_phases.py")], env, args.runs, args.warmup)
        for _ in range(args.warmup):
            run_once(smoke, env)
            run_once(bare, env)
        results: dict[str, list[Run]] = {"smoke": [], "bare": []}
        for i in range(args.runs):
            order = ("smoke", "bare") if i % 2 == 0 else ("bare", "smoke")
            for name in order:
                results[name].append(run_once(smoke if name == "smoke" else bare, env))

    s, b = summary(results["smoke"]), summary(results["bare"])
    pair_ratios = [x.wall_s / y.wall_s for x, y in zip(results["smoke"], results["bare"], strict=True)]
    time_ratio = s["wall_median_s"] / b["wall_median_s"]
    memory_ratio = s["maxrss_median_mib"] / b["maxrss_median_mib"]
    report = {
        "model": args.model,
        "model_file": str(model),
        "checkout_mode": args.checkout,
        "bytecode_cache": not args.no_bytecode_cache,
        "smoke": s,
        "bare": b,
        "time_ratio_of_medians": time_ratio,
        "time_ratio_median_of_pairs": statistics.median(pair_ratios),
        "time_goal": TIME_GOAL,
        "time_pass": time_ratio <= TIME_GOAL,
        "memory_ratio": memory_ratio,
        "memory_goal": MEMORY_GOAL,
        "memory_pass": memory_ratio <= MEMORY_GOAL,
        "raw": {k: [asdict(r) for r in v] for k, v in results.items()},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    flags = (" [checkout mode]" if args.checkout else "") + (" [no bytecode cache]" if args.no_bytecode_cache else "")
    print(f"model: {args.model} ({model}){flags}")
    print(f"{'':8} {'runs':>4} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'maxrss MiB':>11}")
    for name, st in (("--smoke", s), ("bare", b)):
        print(f"{name:8} {st['runs']:>4} {st['wall_median_s']:>9.3f} {st['wall_min_s']:>7.3f} "
              f"{st['wall_max_s']:>7.3f} {st['cpu_median_s']:>7.3f} {st['maxrss_median_mib']:>11.1f}")
    verdict = "PASS" if report["time_pass"] else "FAIL"
    print(f"time ratio (median/median): {time_ratio:.2f}x  (median of paired ratios "
          f"{report['time_ratio_median_of_pairs']:.2f}x)  goal <= {TIME_GOAL}x: {verdict}")
    verdict = "PASS" if report["memory_pass"] else "FAIL"
    print(f"peak memory ratio: {memory_ratio:.2f}x  goal <= {MEMORY_GOAL}x: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
