"""Crash safety: an import (or rollback) in a child process is killed with SIGKILL at every step and
after random delays; afterwards the model opens, passes integrity_check, and is entirely the old or
entirely the new version."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from desktop.core import paths
from desktop.core.model.toml_codec import load_source
from desktop.core.model.xlsx_write import write_workbook
from desktop.core.updates.apply import STEPS, apply, reconcile
from desktop.core.updates.inspect import inspect
from tests.import_corpus import changed_mini, document, make_data_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = Path(__file__).parent / "fixtures" / "mini"

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL semantics are POSIX")

CHILD = r"""
import sys, time
from pathlib import Path
from desktop.core import paths
from desktop.core.updates import apply as mi
from desktop.core.updates.inspect import inspect

mode, data_dir, target, pause = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])

def progress(step, total, label):
    print(f"STEP {step}", flush=True)
    if step == pause:
        print("PAUSE", flush=True)
        time.sleep(120)

mi.reconcile(data_dir)
if mode == "import":
    preview = inspect(target, paths.installed_model_path(data_dir), set())
    assert preview.ok, [str(p) for p in preview.errors]
    print("START", flush=True)
    mi.apply(preview, data_dir, progress)
else:
    print("START", flush=True)
    mi.rollback(data_dir, progress)
print("DONE", flush=True)
"""


def run_child(mode: str, data_dir: Path, target: Path, pause: int = -1, kill_after: float | None = None) -> str:
    """Run an import or rollback in a child; SIGKILL it at the pause point or `kill_after` seconds after START."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    last, errors = "", ""
    with subprocess.Popen([sys.executable, "-c", CHILD, mode, str(data_dir), str(target), str(pause)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        try:
            for line in proc.stdout:
                last = line.strip()
                if last in ("PAUSE", "DONE"):
                    break
                if last == "START" and kill_after is not None:
                    time.sleep(kill_after)
                    break
        finally:
            if proc.poll() is None:
                proc.kill()  # SIGKILL: no cleanup, no finally blocks, no flushing
            proc.wait(timeout=30)
            if last not in ("PAUSE", "DONE", "START") and not last.startswith("STEP"):
                errors = proc.stderr.read()
    if errors or not last:
        raise AssertionError(f"child failed: {errors}")
    return last


def settle(data_dir: Path, old: dict[str, Any], new: dict[str, Any]) -> str:
    """What the next start sees: clean up, then the model must be whole and exactly old or new."""
    reconcile(data_dir)
    live = paths.installed_model_path(data_dir)
    conn = sqlite3.connect(f"{live.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    doc = document(live)
    assert doc in (old, new), "the model is neither the old nor the new version"
    leftovers = {p.name for p in live.parent.iterdir()} - {"model.sqlite", "versies"}
    assert not leftovers
    assert not list((live.parent / "versies").glob("*.tmp"))
    return "old" if doc == old else "new"


@pytest.fixture(scope="module")
def mini_versions(tmp_path_factory: pytest.TempPathFactory, mini_model_path: Path) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("versies")
    book = folder / "v2.xlsx"
    write_workbook(changed_mini(), book)
    home = make_data_dir(folder / "ref", mini_model_path)
    apply(inspect(book, paths.installed_model_path(home), set()), home)
    return {"book": book, "old": document(mini_model_path), "new": document(paths.installed_model_path(home))}


@pytest.mark.parametrize("pause", [*range(len(STEPS)), -1], ids=[*STEPS, "geen"])
def test_import_killed_at_every_step(pause: int, mini_versions: dict[str, Any], mini_model_path: Path,
                                     tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    last = run_child("import", data_dir, mini_versions["book"], pause)
    state = settle(data_dir, mini_versions["old"], mini_versions["new"])
    if pause == -1:
        assert last == "DONE" and state == "new"
    else:
        assert last == "PAUSE"
        # steps are reported before they run: up to and including "Model vervangen" the old model is live
        assert state == ("old" if pause <= STEPS.index("Model vervangen") else "new")
    # whatever happened, the next import simply works
    record = apply(inspect(mini_versions["book"], paths.installed_model_path(data_dir), set()), data_dir)
    assert record.model_version == "2.0"
    assert settle(data_dir, mini_versions["old"], mini_versions["new"]) == "new"


@pytest.mark.parametrize("pause", [0, 1, 2, 3])
def test_rollback_killed_at_every_step(pause: int, mini_versions: dict[str, Any], mini_model_path: Path,
                                       tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    apply(inspect(mini_versions["book"], paths.installed_model_path(data_dir), set()), data_dir)
    assert run_child("rollback", data_dir, data_dir, pause) == "PAUSE"
    state = settle(data_dir, mini_versions["old"], mini_versions["new"])
    assert state == ("new" if pause <= 1 else "old")
    from desktop.core.updates.history import read_history

    # the history records the rollback exactly when it happened (the intent file is finished at start)
    assert [h["action"] for h in read_history(data_dir)] == (["import"] if pause <= 1 else ["import", "rollback"])


@pytest.fixture(scope="module")
def real_versions(tmp_path_factory: pytest.TempPathFactory, real_model_path: Path) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("echt")
    source = load_source(DATA)
    source.meta["model_version"] = "9.9"
    source.interventions[0].description = (source.interventions[0].description or "") + " Bijgewerkt."
    book = folder / "echt-v9.xlsx"
    write_workbook(source, book)
    home = make_data_dir(folder / "ref", real_model_path)
    apply(inspect(book, paths.installed_model_path(home), set()), home)
    return {"book": book, "old": document(real_model_path), "new": document(paths.installed_model_path(home))}


def test_import_killed_after_random_delays(real_versions: dict[str, Any], real_model_path: Path,
                                           tmp_path: Path) -> None:
    rng = random.Random(20261122)
    delays = [0.0, *sorted(rng.uniform(0.0, 0.45) for _ in range(5)), 3.0]
    outcomes = []
    for index, delay in enumerate(delays):
        data_dir = make_data_dir(tmp_path / f"home{index}", real_model_path)
        run_child("import", data_dir, real_versions["book"], kill_after=delay)
        outcomes.append(settle(data_dir, real_versions["old"], real_versions["new"]))
    assert outcomes[-1] == "new"  # three seconds is enough to finish
