"""Start the GUI: Qt in Dutch, the log and the error dialog, the model (with a fallback), the window.

`--smoke` starts everything, shows the main window with the model, prints "ok" and exits; it never
waits on a dialog: a problem is printed and the exit code is 1.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core import paths
from desktop.core.errors import ExpectedError, configure_logging, log
from desktop.core.search.repository import ModelRepository

_translators: list[QTranslator] = []  # kept alive as long as the application


def install_dutch(app: QApplication) -> bool:
    """Qt's own texts (buttons, file dialogs) in Dutch: load qtbase_nl from PySide6 (source or frozen)."""
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    if paths.is_frozen():
        folders.insert(0, str(paths.bundle_root() / "PySide6" / "translations"))
    for name in ("qtbase_nl", "qt_nl"):
        translator = QTranslator(app)
        if any(translator.load(name, folder) for folder in folders):
            app.installTranslator(translator)
            _translators.append(translator)
            return True
    return False


def open_model(data_dir: Path) -> tuple[ModelRepository, list[str]]:
    """The live model; a damaged one falls back to a kept version or the bundled model (Dutch messages)."""
    messages: list[str] = []
    live = paths.active_model_path(data_dir)
    try:
        repo = ModelRepository.open(live)
        repo.counts()
        return repo, messages
    except (ExpectedError, Exception) as exc:  # a damaged file raises sqlite3 errors on first use
        if live == paths.bundled_model_path():
            raise
        log.warning("live model unusable: %s", exc)
    from desktop.core.updates.apply import kept_versions, verify_model

    for candidate in [*(v.path for v in kept_versions(data_dir)), paths.bundled_model_path()]:
        try:
            verify_model(candidate)
            repo = ModelRepository.open(candidate)
        except ExpectedError:
            continue
        fallback = "het meegeleverde model" if candidate == paths.bundled_model_path() else "de vorige versie"
        messages.append(f"Het bijgewerkte model ({live.name}) is beschadigd en kan niet worden gebruikt. Bouwstenen "
                        f"gebruikt nu {fallback}. "
                        "Lees het gepubliceerde model opnieuw in met Bestand › Model bijwerken….")
        return repo, messages
    raise ExpectedError("Er is geen bruikbaar model: zowel het bijgewerkte als het meegeleverde model zijn onleesbaar. "
                        "Installeer Bouwstenen opnieuw.")


def run_gui(data_dir: Path, smoke: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Bouwstenen")
    app.setOrganizationName("Bouwstenen")
    app.setApplicationDisplayName("Bouwstenen")
    install_dutch(app)
    icon = paths.resources_dir() / "icons" / "bouwstenen.svg"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    messages: list[str] = []
    try:
        from desktop.core.paths import writable

        if writable(data_dir) is None:
            configure_logging(data_dir)
            if paths.installed_model_path(data_dir).parent.is_dir():  # only after an update was ever started
                from desktop.core.updates.apply import reconcile

                messages += reconcile(data_dir)  # finish what an interrupted update left
        from desktop.core.model.build import ensure_bundled_model

        ensure_bundled_model()
        repo, found = open_model(data_dir)
        messages += found
    except ExpectedError as exc:
        if smoke:
            print(f"bouwstenen: {exc}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, "Bouwstenen kan niet starten", str(exc))
        return 1
    if not smoke:
        from desktop.ui.errors import install_excepthook

        install_excepthook()

    from desktop.ui.main_window import MainWindow

    window = MainWindow(repo, data_dir, startup_messages=messages, quiet=smoke)
    window.show()
    if smoke:  # never waits on a dialog: a message is printed and the exit code says it
        app.processEvents()
        collect_garbage_again()
        ok = window.isVisible() and window.list_model.rowCount() > 0
        for message in window.startup_messages:
            print(f"bouwstenen: {message}", file=sys.stderr)
        window.close()
        if not ok:
            print("fout: hoofdvenster zonder interventies")
            return 1
        if window.startup_messages:
            print("let op: zie de melding hierboven")
            return 1
        print("ok")
        return 0
    QTimer.singleShot(0, window.tree.setFocus)
    QTimer.singleShot(0, collect_garbage_again)  # after the first paint
    return int(app.exec())


def collect_garbage_again() -> None:
    """Garbage collection back on after the start (desktop.cli turns it off while the window is built).
    What the start made stays for the whole session: frozen, later collections (e.g. while typing) do not
    walk through it again."""
    gc.freeze()
    gc.enable()
