"""The start-up baseline: a bare PySide6 window, shown and closed the way `bouwstenen --smoke` does.

Same steps as desktop/ui/app.py in smoke mode, minus the application: create the QApplication, show
an empty QMainWindow of the same default size (1366x768, so the window's backing store is the same),
process events once, close, print "ok". Imports only what that needs (QtWidgets pulls in QtCore
and QtGui, exactly as the application does).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    ok = window.isVisible()
    window.close()
    print("ok" if ok else "fout")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
