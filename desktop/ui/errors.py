"""Bugs are never swallowed: logged with their traceback and shown to the user as a Dutch dialog."""

from __future__ import annotations

import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.core.errors import ExpectedError, log

_shown = False  # one dialog at a time: a bug in a paint event would otherwise open hundreds


def report_bug(error: BaseException, parent: QWidget | None = None) -> None:
    """Log a bug and tell the user in Dutch, with the details one click away."""
    global _shown
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    log.error("onverwachte fout:\n%s", details)
    if isinstance(error, ExpectedError):
        box_text = str(error)
    else:
        box_text = ("Er ging iets onverwachts mis in Bouwstenen. Uw notities zijn bewaard; wat u net deed is mogelijk "
                    "niet afgemaakt.\n\nDe details staan in het logbestand in uw gegevensmap. Met ‘Details kopiëren’ "
                    "kunt u ze naar uw beheerder sturen.")
    if _shown or QApplication.instance() is None:
        return
    _shown = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "Er ging iets mis", box_text,
                          QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        copy = box.addButton("Details kopiëren", QMessageBox.ButtonRole.ActionRole)
        box.setDetailedText(details)
        box.exec()
        if box.clickedButton() is copy:
            clipboard = QApplication.clipboard()
            if clipboard is not None:
                clipboard.setText(details)
    finally:
        _shown = False


class _Relay(QObject):
    """Brings an exception from any thread to the GUI thread."""

    raised = Signal(object)


_relay: _Relay | None = None


def install_excepthook() -> None:
    """Every uncaught exception (in a slot, an event handler or a thread) is logged and shown in Dutch."""
    global _relay
    _relay = _Relay()
    _relay.raised.connect(lambda error: report_bug(error, QApplication.activeWindow()),
                          Qt.ConnectionType.QueuedConnection)

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        error.__traceback__ = tb
        if _relay is not None:
            _relay.raised.emit(error)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
