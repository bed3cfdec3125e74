"""Start-up counted in instructions: `--smoke` and the bare window run under valgrind (callgrind), not timed.

A shared machine's speed changes from minute to minute, and it slows the application and the bare window
unequally (docs/performance.md, "Machine and software"). The number of instructions a start executes
does not change with the machine's load: the same code counts the same within 0.01 %. That makes this
the benchmark for comparing two versions of the code:

    python -m bench instructions --sizes 120,30000
    python -m bench instructions --sizes 120,30000 --against c32a62b    # an older commit, in a worktree

A ratio of instructions is not a ratio of time (a system call or a cache miss costs more than an
instruction of Python's interpreter loop), so the goals stay measured in time (`python -m bench startup`).
`--against` runs the other commit's `desktop` package on the same model files: it works for commits
whose model file format (`INDEX_VERSION`) is the current one. Needs valgrind (Debian: valgrind).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.common import ROOT, load
from bench.generate import cached_model
from bench.startup import environment

_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Instructions executed by `command` (and its threads), counted by callgrind."""
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)  # bytecode cached, as measured
    with tempfile.TemporaryDirectory(prefix="bouwstenen-callgrind-") as out:
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out",
                               *command], cwd=cwd, env=env, capture_output=True, text=True)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None or done.stdout.strip().splitlines()[-1:] != ["ok"]:
        raise SystemExit(f"{' '.join(command)} under valgrind failed (exit {done.returncode}):\n"
                         f"{done.stdout}\n{done.stderr[-2000:]}")
    return int(found.group(1))


@contextlib.contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """A checkout of `revision` beside this one, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bouwstenen-against-"))
    subprocess.run(["git", "worktree", "add", "--detach", "--force", str(folder), revision], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def count(size: int, against: Path | None) -> dict[str, int]:
    model = cached_model(size)
    smoke = [sys.executable, "-m", "desktop.cli", "--smoke"]  # `desktop` from the working folder (cwd)
    bare = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bouwstenen-startup-") as home, \
            tempfile.TemporaryDirectory(prefix="bouwstenen-pycache-") as pycache:
        env = {**environment(home, pycache, model), "PYTHONHASHSEED": "0"}  # the same dict orders every run
        counts["smoke"] = instructions(smoke, env, ROOT)
        counts["bare"] = instructions(bare, env, ROOT)
        if against is not None:
            counts["against"] = instructions(smoke, env, against)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench instructions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="120,30000")
    parser.add_argument("--against", metavar="COMMIT", help="also count the start of this commit")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    sizes = [int(s) for s in args.sizes.split(",")]
    with contextlib.ExitStack() as stack:
        against = stack.enter_context(worktree(args.against)) if args.against else None
        print(f"start-up in instructions (callgrind), load {load()}")
        header = f"{'interventions':>13}  {'--smoke':>15}  {'bare window':>15}  {'ratio':>6}"
        if against is not None:
            header += f"  {args.against[:12]:>15}  {'ratio':>6}  {'change':>7}"
        print(header)
        for size in sizes:
            c = count(size, against)
            line = f"{size:>13,}  {c['smoke']:>15,}  {c['bare']:>15,}  {c['smoke'] / c['bare']:>5.2f}x"
            if "against" in c:
                line += (f"  {c['against']:>15,}  {c['against'] / c['bare']:>5.2f}x"
                         f"  {(c['smoke'] - c['against']) / c['against']:>+7.1%}")
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
