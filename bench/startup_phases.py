"""Where `bouwstenen --smoke` spends its start-up: the steps of desktop/ui/app.py run_gui, timed.

Run in a fresh process per measurement (imports are the point), e.g. 5 times and take the median:

    QT_QPA_PLATFORM=offscreen BOUWSTENEN_HOME=$(mktemp -d) BOUWSTENEN_BUNDLED_MODEL=<model> \\
        .venv/bin/python bench/startup_phases.py
    .venv/bin/python -m bench.startup --phases      # does exactly that and prints medians

Prints one JSON object: milliseconds per phase and the process's peak RSS after each phase.
"""

from __future__ import annotations

import itertools
import json
import resource
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # this checkout's desktop package, as `python -m desktop.cli` from ROOT would
    sys.path.insert(0, str(ROOT))
_marks: list[tuple[str, float, float]] = []


def mark(name: str) -> None:
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _marks.append((name, time.perf_counter(), rss_mib))


def main() -> int:
    mark("start")
    from PySide6.QtWidgets import QApplication

    mark("import PySide6.QtWidgets")
    from desktop import cli  # noqa: F401  (what `python -m desktop.cli` imports first)

    mark("import desktop.cli")
    from desktop.ui import app as app_module  # noqa: F401

    mark("import desktop.ui.app (core: paths, errors, search repository)")
    from desktop.ui.main_window import MainWindow

    mark("import desktop.ui.main_window (+ panels, workspace)")
    from desktop.core import paths
    from desktop.core.search.repository import ModelRepository

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Bouwstenen")
    app.setOrganizationName("Bouwstenen")
    mark("QApplication")
    data_dir = paths.user_data_dir(None)
    data_dir.mkdir(parents=True, exist_ok=True)
    from desktop.core.model.build import ensure_bundled_model

    ensure_bundled_model()
    repo = ModelRepository.open(paths.active_model_path(data_dir))
    mark("open model")
    window = MainWindow(repo, data_dir, quiet=True)
    mark("MainWindow()")
    window.show()
    mark("show()")
    app.processEvents()
    mark("processEvents() (first paint)")
    ok = window.isVisible() and window.list_model.rowCount() > 0
    window.close()
    mark("close() (save state)")
    out = {"ok": ok, "interpreter_to_main_ms": (_marks[0][1] - T0) * 1000}
    phases = {}
    for (_, t_prev, _), (name, t, rss) in itertools.pairwise(_marks):
        phases[name] = {"ms": (t - t_prev) * 1000, "maxrss_mib": rss}
    out["phases"] = phases
    out["total_ms"] = (_marks[-1][1] - _marks[0][1]) * 1000
    print(json.dumps(out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
