"""Windows for a local approach (thin Qt layer over `desktop.core.planning`).

    QuickscanWindow(repo, workspace, parent)                       # Aanpak › Quickscan…
    PlanWindow(repo, workspace, parent, initial_cluster_id=None)   # Aanpak › Plan…
    OrganisationsView(repo, parent)                                # Aanpak › Organisaties en praktijkvoorbeelden…
    FeedbackDialog(repo, workspace, parent, target_kind, target_id)   # Meld aan de redactie…

Each is a non-modal top-level window (open it with show()). The shared pieces are here: a message bar
inside the window (a failed save never opens a modal box and never loses what was typed), the Dutch
explanation of a read-only workspace, a browser that never loads anything by itself, the two-pane layout,
the question before deleting, and export helpers. What the plan and quickscan windows share beyond that is
in `document_window`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QThread, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import REASONS
from desktop.core.text import is_web_url
from desktop.core.workspace.store import Workspace
from desktop.ui.questions import question_box

opened_urls: list[str] = []  # what was handed to the system browser (for tests)


class Banner(QLabel):
    """A message inside the window: a warning (yellow) or a confirmation (green); hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Melding")
        self.kind = ""
        self.hide()

    def show_warning(self, text: str) -> None:
        self._show(text, "warning", "background: #fff4d6; border: 1px solid #e0b84c; padding: 6px; color: #3a2a00")

    def show_info(self, text: str) -> None:
        self._show(text, "info", "background: #e7f4e4; border: 1px solid #8fbf86; padding: 6px; color: #14340f")

    def show_note(self, text: str) -> None:
        self._show(text, "note", "background: #eef2f7; border: 1px solid #a9b8cc; padding: 6px; color: #1d2a3a")

    def _show(self, text: str, kind: str, style: str) -> None:
        self.kind = kind
        self.setStyleSheet(style)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()


def empty_state(text: str, button_text: str, action: Callable[[], Any]) -> tuple[QWidget, QPushButton]:
    """A centred explanation with one button to begin (shown while there is nothing yet)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.addStretch(1)
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: #333; font-size: 11pt; padding: 12px")
    layout.addWidget(label)
    button = QPushButton(button_text)
    button.setAccessibleName(button_text)
    button.setStyleSheet("font-size: 11pt; padding: 8px 18px")
    button.clicked.connect(lambda _checked=False: action())
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(2)
    return box, button


def pane() -> tuple[QWidget, QVBoxLayout]:
    """A column for one side of a splitter: no margins of its own, so its edge lines up with the splitter's."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return widget, layout


def ask_to_delete(parent: QWidget, title: str, text: str, delete: Callable[[], None]) -> QMessageBox:
    """Ask before deleting; `delete` runs only on 'Verwijderen'. The box is opened non-blocking (no nested event
    loop while the window's timers and saves go on)."""
    box = question_box(parent, title, text, "Verwijderen", "Niet verwijderen")
    box.finished.connect(lambda result: delete() if result == QMessageBox.StandardButton.Yes else None)
    box.open()
    return box


def read_only_text(workspace: Workspace, what: str) -> str | None:
    """The Dutch explanation shown when the workspace cannot be changed (None when it can)."""
    if not workspace.read_only:
        return None
    reason = workspace.read_only_reason or "alleen-lezen"
    return (f"Alleen lezen: uw werkruimte kan nu niet worden gewijzigd ({REASONS.get(reason, reason)}). U kunt "
            f"{what} bekijken, afdrukken en exporteren, maar niet wijzigen.")


def storage_text(error: BaseException) -> str:
    return (f"{error} Wat u invulde staat nog in het venster; het wordt opnieuw opgeslagen zodra u iets wijzigt "
            "of op ‘Opnieuw opslaan’ klikt.")


def open_web_link(url: str) -> bool:
    """Open an http(s) address in the system browser (only on the user's click); False for anything else."""
    if not is_web_url(url):
        return False
    opened_urls.append(url)
    QDesktopServices.openUrl(QUrl(url))
    return True


def export_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def ask_save_path(parent: QWidget, title: str, default_name: str, suffix: str) -> Path | None:
    filters = {".pdf": "PDF-bestand (*.pdf)", ".xlsx": "Excel-werkmap (*.xlsx)"}
    path, _ = QFileDialog.getSaveFileName(parent, title, str(export_folder() / default_name), filters[suffix])
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)


def file_name(text: str, suffix: str) -> str:
    """A safe default file name from a plan or quickscan name."""
    from desktop.core.text import slugify

    return (slugify(text)[:60] or "bouwstenen") + suffix


class _QtWorker(QThread):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:  # handed to the waiting thread
            self.error = exc


def in_qt_thread(work: Callable[[], Any]) -> Any:
    """Run `work` on a QThread and wait for it. Laying out and painting a document (QTextDocument, QPdfWriter)
    needs a thread with Qt's event dispatcher; the background helper's plain thread has none."""
    worker = _QtWorker(work)
    worker.start()
    worker.wait()
    if worker.error is not None:
        raise worker.error
    return worker.result


def run_export(parent: QWidget, title: str, work: Callable[[], Any], banner: Banner, done_text: str,
               on_done: Callable[[Any], None] | None = None) -> Any:
    """Run `work` in the background; the outcome (or a Dutch error) is shown in the window's banner."""
    from desktop.ui.tasks import run_task

    def finished(result: Any) -> None:
        banner.show_info(done_text)
        if on_done is not None:
            on_done(result)

    return run_task(parent, title, lambda _report, _cancelled: work(), finished,
                    lambda error: banner.show_warning(str(error)))
