"""One entry point for every benchmark of issue 16 (see docs/performance.md).

    python -m bench all --sizes 120,1000,10000,30000      # every goal, results in bench/results/*.json
    python -m bench startup --sizes 120,30000             # --smoke vs a bare PySide6 window (time, memory)
    python -m bench phases --sizes 120,30000              # where --smoke spends its start-up
    python -m bench instructions --against c32a62b        # start-up in instructions (valgrind): no machine noise
    python -m bench search --sizes 10000                  # core search vs raw FTS5 MATCH, per query group
    python -m bench keys --sizes 120,10000                # keystroke -> painted list; counts after typing
    python -m bench import --sizes 1000,10000,30000       # workbook update vs a plain openpyxl pass
    python -m bench sqlite --sizes 30000                  # database update vs copy + integrity_check
    python -m bench size --sizes 120,30000                # model database size vs raw text size
    python -m bench generate 1000 10000 --workbook        # write synthetic model files

Every subcommand takes --sizes (comma separated) and prints a table with the machine's load before and
after; `all` also writes each result as JSON (with the machine and software versions) to bench/results/.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _sub(module: str, *extra: str) -> Callable[[list[str]], int]:
    def run(argv: list[str]) -> int:
        main: Callable[[list[str]], int] = __import__(f"bench.{module}", fromlist=["main"]).main
        return main([*extra, *argv])
    return run


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "startup": _sub("startup"),
    "phases": _sub("startup", "--phases"),
    "instructions": _sub("instructions"),
    "search": _sub("search_bench"),
    "keys": _sub("keys_bench"),
    "import": _sub("import_bench", "--kind", "xlsx"),
    "sqlite": _sub("import_bench", "--kind", "sqlite"),
    "size": _sub("import_bench", "--kind", "size"),
    "generate": _sub("generate"),
}


def _fresh(args: list[str]) -> dict[str, Any]:
    """Run a start-up benchmark in a small fresh process: a child forked from this (large) process would
    report this process's peak memory as its own."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-m", "bench.startup", "--json", *args], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    report: dict[str, Any] = json.loads(out)
    return report


def run_all(sizes: list[int], quick: bool, only: set[str] | None = None) -> int:
    """Every goal at every size, saved as JSON (bench/results/<goal>.json)."""
    from bench import import_bench, keys_bench, search_bench, startup
    from bench.common import load, machine, save

    info = machine()
    print(f"machine: {info}")
    results: dict[str, list[dict[str, Any]]] = {}

    def record(name: str, report: dict[str, Any], show: Callable[[dict[str, Any]], None]) -> None:
        show(report)
        print(flush=True)
        results.setdefault(name, []).append(report)
        save(name, {"machine": info, "results": results[name]})

    runs = 6 if quick else 15

    def wanted(goal: str) -> bool:
        return only is None or goal in only

    for size in sizes if wanted("size") else []:
        record("size", import_bench.model_size(size), import_bench.print_size)
    for size in sizes if wanted("startup") else []:
        record("startup", _fresh(["--sizes", str(size), "--runs", str(runs)]), startup.print_report)
    for size in sizes if wanted("phases") else []:
        record("phases", _fresh(["--phases", "--sizes", str(size), "--runs", "3" if quick else "5",
                                 "--warmup", "1"]), startup.print_phases)
    for size in sizes if wanted("search") else []:
        record("search", search_bench.measure(size, 5 if quick else 15), search_bench.print_report)
    for size in sizes if wanted("keys") else []:
        record("keys", keys_bench.measure(size, 1 if quick else 3), keys_bench.print_report)
    for size in ([s for s in sizes if s >= 1000] or sizes) if wanted("import") else []:
        record("import", import_bench.measure(size, "xlsx", 1 if quick else 3), import_bench.print_report)
    for size in sizes if wanted("sqlite") else []:
        record("sqlite", import_bench.measure(size, "sqlite", 1 if quick else 3), import_bench.print_report)
    print(f"done (load {load()}); results in bench/results/")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "all":
        parser = argparse.ArgumentParser(prog="python -m bench all")
        parser.add_argument("--sizes", default="120,1000,10000,30000")
        parser.add_argument("--quick", action="store_true", help="fewer runs and rounds")
        parser.add_argument("--only", help="some goals only, e.g. startup,import")
        args = parser.parse_args(rest)
        return run_all([int(x) for x in args.sizes.split(",")], args.quick,
                       set(args.only.split(",")) if args.only else None)
    if command not in COMMANDS:
        print(f"unknown command {command!r}; one of: all, {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    return COMMANDS[command](rest)


if __name__ == "__main__":
    sys.exit(main())
