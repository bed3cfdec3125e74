#!/usr/bin/env python3
"""One entry point for a fresh machine with Python 3.11+ (Windows, macOS, Linux).

    python3 run.py          start the application on its bundled model
    python3 run.py test     run the complete test suite (ruff, mypy, import-linter, pytest)

It creates `.venv`, installs the project with its test tools (again only when pyproject.toml
changed), builds the model from `data/` when needed, and then runs what was asked.
Any further arguments are passed on (e.g. `python3 run.py info --json`, `python3 run.py test -k search`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain itself on an old Python
        sys.exit("Bouwstenen heeft Python 3.11 of nieuwer nodig.")
    python = venv_python()
    if not python.exists():
        print("Virtuele omgeving maken in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        print("Bouwstenen en zijn onderdelen installeren …", flush=True)
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
        stamp.write_text(wanted)
    return python


def run(python: Path, *args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(python), *args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    python = ensure_environment()
    if argv[:1] == ["test"]:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        steps = [
            ["-m", "ruff", "check", "desktop", "tests", "bench", "build", "run.py"],
            ["-m", "mypy"],
            ["-m", "importlinter.cli"],
            ["-m", "desktop.cli", "build-model"],
            ["-m", "pytest", *argv[1:]],
        ]
        for step in steps:
            print("==>", " ".join(step), flush=True)
            code = run(python, *step, env=env)
            if code != 0:
                return code
        return 0
    return run(python, "-m", "desktop.cli", *argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
