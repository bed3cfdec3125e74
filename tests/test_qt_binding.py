"""The installed Qt binding must survive a long session of calls (a real PySide6 6.12.0 bug)."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
edit = QLineEdit()
for _ in range(30000):
    edit.setText("x")  # a Qt call that returns None
print("ok")
"""


def test_many_void_qt_calls_do_not_crash_the_interpreter() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "ok"
