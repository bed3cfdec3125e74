"""Build the portable application folder `build/out/dist/Bouwstenen` and smoke-test it.

    .venv/bin/python -m pip install -e ".[package]"
    .venv/bin/python build/package.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "out"


def main() -> int:
    subprocess.check_call([sys.executable, "-m", "desktop.cli", "build-model"], cwd=ROOT)
    subprocess.check_call(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(OUT / "dist"),
         "--workpath", str(OUT / "work"), str(ROOT / "build" / "bouwstenen.spec")],
        cwd=ROOT,
    )
    app = OUT / "dist" / "Bouwstenen" / ("Bouwstenen.exe" if os.name == "nt" else "Bouwstenen")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOUWSTENEN_HOME=str(OUT / "smoke-home"))
    result = subprocess.run([str(app), "--smoke"], capture_output=True, text=True, env=env, timeout=120)
    print(result.stdout, result.stderr)
    return 0 if result.returncode == 0 and result.stdout.strip().endswith("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
