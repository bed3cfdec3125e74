"""Background work done once: a core call on a worker thread, its outcome on the GUI thread.

    run_task(parent, "Notities importeren", work, on_done, cancellable=True)

`work(report, cancelled)` runs on a worker thread; it may call `report(step, total, label)` for
progress and should stop when `cancelled()` is true. `on_done(result)` runs on the GUI thread when it
succeeds; an expected error (`ExpectedError`) is shown as a Dutch message (or given to `on_error`);
anything else is a bug and goes to the application's error dialog. No nested event loop: the caller
returns at once and the window stays responsive. The worker opens its own database connections; the
GUI thread never closes one a worker uses.

`call_on_gui(fn)`, called inside `work`, runs something on the GUI thread and waits for it (e.g.
closing the model file just before it is replaced).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from desktop.core.errors import ExpectedError

Report = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]
Work = Callable[[Report, Cancelled], Any]

_running: set[Task] = set()  # tasks stay alive until their outcome is delivered
_current = threading.local()  # the task a worker thread runs (for `call_on_gui` from inside `work`)


class Task(QObject):
    progressed = Signal(int, int, str)
    finished_ok = Signal(object)
    finished_error = Signal(object)
    _call = Signal(object, object)

    def __init__(self, title: str, work: Work, parent: QWidget | None) -> None:
        super().__init__()
        self.title = title
        self.work = work
        self.parent_widget = parent
        self.cancel_event = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.dialog: QProgressDialog | None = None
        self._call.connect(self._run_call, Qt.ConnectionType.QueuedConnection)

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def _thread_main(self) -> None:
        _current.task = self
        try:
            result = self.work(self.progressed.emit, self.cancelled)
        except BaseException as exc:  # delivered to the GUI thread, shown in Dutch there
            self.finished_error.emit(exc)
        else:
            self.finished_ok.emit(result)

    # --- calling back into the GUI thread ------------------------------------------------------------
    def call_on_gui(self, fn: Callable[[], Any]) -> Any:
        """From the worker: run `fn` on the GUI thread and wait for it."""
        if threading.current_thread() is threading.main_thread():
            return fn()
        box: dict[str, Any] = {}
        event = threading.Event()
        self._call.emit(fn, (box, event))
        event.wait()
        if "error" in box:
            raise box["error"]
        return box.get("value")

    @Slot(object, object)
    def _run_call(self, fn: Callable[[], Any], handle: tuple[dict[str, Any], threading.Event]) -> None:
        box, event = handle
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            event.set()


def call_on_gui(fn: Callable[[], Any]) -> Any:
    """From inside `work`: run `fn` on the GUI thread and wait for it (on the GUI thread: just run it).

    Needs no reference to the task, which the caller of `run_task` may not have stored yet when the
    worker gets here first."""
    task: Task | None = getattr(_current, "task", None)
    if task is None or threading.current_thread() is threading.main_thread():
        return fn()
    return task.call_on_gui(fn)


def run_task(parent: QWidget | None, title: str, work: Work, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None, cancellable: bool = False,
             show_progress: bool = True, delay_ms: int = 400) -> Task:
    """Start `work` on a worker thread. Progress is shown after `delay_ms` (quick work shows nothing)."""
    task = Task(title, work, parent)
    _running.add(task)

    def progressed(step: int, total: int, label: str) -> None:
        dialog = task.dialog
        if dialog is not None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(step, max(total, 1)))
            dialog.setLabelText(f"{label}…")

    def finish() -> None:
        task.done = True
        if task.dialog is not None:
            task.dialog.reset()
            task.dialog.close()
            task.dialog.deleteLater()
            task.dialog = None
        _running.discard(task)

    def succeeded(result: Any) -> None:
        task.result = result
        finish()
        if on_done is not None:
            on_done(result)

    def failed(error: BaseException) -> None:
        task.error = error
        finish()
        if on_error is not None and isinstance(error, ExpectedError):
            on_error(error)
        elif isinstance(error, ExpectedError):
            show_message(parent, title, str(error), QMessageBox.Icon.Warning)
        else:
            from desktop.ui.errors import report_bug

            report_bug(error, parent)

    task.progressed.connect(progressed)
    task.finished_ok.connect(succeeded)
    task.finished_error.connect(failed)
    if show_progress:
        dialog = QProgressDialog(f"{title}…", "Annuleren" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(task.cancel_event.set)
        task.dialog = dialog
    threading.Thread(target=task._thread_main, name=f"bouwstenen: {title}", daemon=True).start()
    return task


def show_message(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
    """A message box that shows text from files and the model as plain text, never as rich text."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def wait_for(task: Task, timeout_ms: int = 30_000) -> None:
    """For tests and the smoke check: process events until the task has delivered its outcome."""
    app = QApplication.instance()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(timeout_ms)
    while not task.done and timer.isActive() and app is not None:
        app.processEvents()
        threading.Event().wait(0.005)
