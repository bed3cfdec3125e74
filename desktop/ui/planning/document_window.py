"""What the plan and quickscan windows share: a window that keeps one document and exports it.

    class PlanWindow(DocumentWindow):
        noun = "Plan"
        def save_pending(self) -> bool: return self.save_changes(lambda: ...)   # store what the window shows
        def export_source(self) -> ExportSource | None: ...                    # what to export, as shown

The base gives the chooser row ("&Plan: […] [Nieuw plan] [Verwijderen…]"), the message bar with
"Opnieuw opslaan" (a failed save keeps the input in the window), the question before closing with unsaved
input, the bottom row "Opslaan als PDF…/Opslaan als Excel…/Afdrukken…/Sluiten" and the exports behind it (in
the background; the outcome is shown in the message bar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QWidget

from desktop.core.errors import ExpectedError, StorageError
from desktop.core.reports import Report, footer_text
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.store import Workspace
from desktop.ui.planning import (
    Banner,
    ask_save_path,
    file_name,
    in_qt_thread,
    read_only_text,
    run_export,
    storage_text,
)


@dataclass(frozen=True)
class ExportSource:
    """The document as the window shows it (also input that could not be saved). Both callables run on the GUI
    thread, as they read the window: `report` gives the printable report, `xlsx_work` takes the target file and
    returns the writing to do in the background."""

    name: str
    report: Callable[[], Report]
    xlsx_work: Callable[[Path], Callable[[], object]]


def fill_chooser(chooser: QComboBox, choices: Iterable[tuple[str, str]], keep: str | None) -> None:
    """Refill with (label, id) without signalling each step; `keep` stays chosen, else the last (the newest)."""
    with QSignalBlocker(chooser):
        chooser.clear()
        for label, item_id in choices:
            chooser.addItem(label, item_id)
        index = chooser.findData(keep) if keep else -1
        chooser.setCurrentIndex(index if index >= 0 else chooser.count() - 1)


def chosen_id(chooser: QComboBox) -> str | None:
    data = chooser.currentData()
    return str(data) if data else None


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or 'name (2)', 'name (3)'… when it is taken: two documents with one name cannot be told apart."""
    title, number = name, 2
    while title in taken:
        title = f"{name} ({number})"
        number += 1
    return title


class DocumentWindow(QMainWindow):
    """A non-modal window over one document of the workspace (a plan, a quickscan)."""

    noun = ""  # "Plan" or "Quickscan": begins the export titles, the buttons' names and the close question

    def __init__(self, repo: ModelRepository, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.workspace = workspace
        self.meta = repo.meta()
        self.editable = not workspace.read_only
        self.last_export: Path | None = None
        self.read_only_banner = Banner()
        self.banner = Banner()
        self.retry_button = QPushButton("Opnieuw opslaan")
        self.retry_button.setAccessibleName("Opnieuw opslaan")
        self.retry_button.clicked.connect(lambda _c=False: self.save_pending())
        self.retry_button.hide()
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)

    # --- for the subclass ---------------------------------------------------------------------------------
    def save_pending(self) -> bool:
        """Save what was changed in the window (through `save_changes`); True when all is saved."""
        raise NotImplementedError

    def export_source(self) -> ExportSource | None:
        """Save what can be saved, then say what to export (None when the window shows no document)."""
        raise NotImplementedError

    def save_timer(self, delay_ms: int) -> QTimer:
        """Saves typed text `delay_ms` after typing stops (start it on each change), not on every key."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay_ms)
        timer.timeout.connect(self.save_pending)
        return timer

    def chooser_row(self, width: int, new_text: str, new: Callable[[], object],
                    delete: Callable[[], None]) -> tuple[QComboBox, QHBoxLayout]:
        """'&Plan: [the plans……] [Nieuw plan] [Verwijderen…]': the chooser and its row (the buttons are
        `new_button` and `delete_button`; the label is the chooser's buddy, for Alt+letter)."""
        chooser = QComboBox()
        chooser.setAccessibleName(f"{self.noun} kiezen")
        chooser.setMinimumWidth(width)
        self.new_button = QPushButton(new_text)
        self.new_button.setAccessibleName(new_text)
        self.new_button.clicked.connect(lambda _c=False: new())
        self.delete_button = QPushButton("Verwijderen…")
        self.delete_button.setAccessibleName(f"{self.noun} verwijderen")
        self.delete_button.clicked.connect(lambda _c=False: delete())
        label = QLabel(f"&{self.noun}:")
        label.setBuddy(chooser)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(chooser, 1)
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        return chooser, row

    def banner_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.banner, 1)
        row.addWidget(self.retry_button)
        return row

    def export_row(self, pdf_name: str, pdf_tip: str | None = None) -> QHBoxLayout:
        """The bottom row; `pdf_name` is the PDF button's accessible name (a plan's PDF is a memo)."""
        self.pdf_button = QPushButton("Opslaan als &PDF…")
        self.pdf_button.setAccessibleName(pdf_name)
        if pdf_tip:
            self.pdf_button.setToolTip(pdf_tip)
        self.pdf_button.clicked.connect(lambda _c=False: self.export_pdf())
        self.xlsx_button = QPushButton("Opslaan als &Excel…")
        self.xlsx_button.setAccessibleName(f"{self.noun} opslaan als Excel-werkmap")
        self.xlsx_button.clicked.connect(lambda _c=False: self.export_xlsx())
        self.print_button = QPushButton("&Afdrukken…")
        self.print_button.setAccessibleName(f"{self.noun} afdrukken")
        self.print_button.clicked.connect(lambda _c=False: self.print_preview())
        close = QPushButton("Sluiten")
        close.setAccessibleName("Venster sluiten")
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.xlsx_button)
        bottom.addWidget(self.print_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        return bottom

    def show_read_only(self, what: str) -> None:
        """Explain a read-only workspace (call it once the banner is in the layout: shown earlier, a widget
        without a parent would open as a window of its own)."""
        text = read_only_text(self.workspace, what)
        if text:
            self.read_only_banner.show_note(text)

    def save_changes(self, save: Callable[[], None]) -> bool:
        """Run `save`. On a storage error the input stays in the window, with a warning and 'Opnieuw opslaan';
        True when it was saved."""
        try:
            save()
        except StorageError as exc:
            self.banner.show_warning(storage_text(exc))
            self.retry_button.show()
            return False
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return False
        if self.banner.kind == "warning":
            self.banner.clear_message()
        self.retry_button.hide()
        return True

    # --- closing and exporting ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.save_pending():
            answer = QMessageBox.question(
                self, f"{self.noun} sluiten", "Niet alles is opgeslagen (zie de melding in het venster). Toch sluiten? "
                "Wat niet is opgeslagen gaat dan verloren.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        super().closeEvent(event)

    def export_pdf(self, path: Path | None = None) -> object:
        return self._export("PDF", ".pdf", path, self._pdf_work)

    def export_xlsx(self, path: Path | None = None) -> object:
        return self._export("Excel-werkmap", ".xlsx", path, lambda source, target: source.xlsx_work(target))

    def _export(self, what: str, suffix: str, path: Path | None,
                work_for: Callable[[ExportSource, Path], Callable[[], object]]) -> object:
        """Export to `path` (or a file the user chooses, named after the document) in the background; the outcome
        is shown in the message bar. None when there is nothing to export or the user cancels."""
        source = self.export_source()
        if source is None:
            return None
        title = f"{self.noun} opslaan als {what}"
        target = path or ask_save_path(self, title, file_name(source.name, suffix), suffix)
        if target is None:
            return None
        work = work_for(source, target)
        self.last_export = target
        return run_export(self, title, work, self.banner, f"Opgeslagen als {what}: {target}")

    def _pdf_work(self, source: ExportSource, target: Path) -> Callable[[], object]:
        report = source.report()  # read from the window here, on the GUI thread; only the drawing runs later
        footer = footer_text(self.meta)

        def work() -> int:
            from desktop.ui.printing import export_pdf

            pages: int = in_qt_thread(lambda: export_pdf(report, target, footer))
            return pages

        return work

    def print_preview(self) -> object:
        from desktop.ui.printing import print_report

        source = self.export_source()
        if source is None:
            return None
        return print_report(self, source.report(), footer_text(self.meta))
