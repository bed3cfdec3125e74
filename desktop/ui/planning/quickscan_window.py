"""Quickscan lokale aanpak: where the municipality stands, question by question, with the explanations.

The left list shows the groups of the quickscan with their progress ("2 van 3 beantwoord"); the right
side shows the selected group's explanation and, per question, the stand (op orde / deels / nog niet /
weet niet) and a note. Every answer is saved at once; a note shortly after typing stops. The tab
"Samenvatting" lists what needs attention. Several quickscans (per year or municipality) are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import ExpectedError
from desktop.core.planning import quickscan as qs
from desktop.core.reports import Report
from desktop.core.search.repository import ModelRepository
from desktop.core.text import dutch_date
from desktop.core.workspace import planning as store
from desktop.core.workspace.store import Workspace
from desktop.ui.browser import SafeBrowser
from desktop.ui.panes import panes
from desktop.ui.planning import (
    ask_to_delete,
    empty_state,
    pane,
)
from desktop.ui.planning.document_window import DocumentWindow, ExportSource, chosen_id, fill_chooser, free_name

NOTE_DELAY_MS = 700
STATUS_COLORS = {"op-orde": "#2e7d32", "deels": "#b26a00", "nog-niet": "#b3261e", "weet-niet": "#5a5a5a"}


def scan_label(scan: store.Quickscan) -> str:
    """'Quickscan 2027 · Utrecht · 1 maart 2027', as the chooser lists it."""
    return scan.name + (f" · {scan.municipality}" if scan.municipality else "") \
        + (f" · {dutch_date(scan.scan_date)}" if scan.scan_date else "")


class QuestionEditor(QGroupBox):
    """One question: its stand as four radio buttons (plus 'wissen') and a note."""

    def __init__(self, question: qs.Question, parent: QWidget | None = None) -> None:
        super().__init__(question.title, parent)
        self.question = question
        self.number = question.number
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.radios: dict[str, QRadioButton] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel("Stand:"))
        for key, label in store.QUICKSCAN_STATUSES:
            radio = QRadioButton(label)
            radio.setAccessibleName(f"Vraag {question.number}: {label.lower()}")
            self.buttons.addButton(radio)
            self.radios[key] = radio
            row.addWidget(radio)
        self.clear_button = QPushButton("Wissen")
        self.clear_button.setAccessibleName(f"Antwoord op vraag {question.number} wissen")
        self.clear_button.setToolTip("Deze vraag weer onbeantwoord maken (de notitie blijft staan)")
        row.addWidget(self.clear_button)
        row.addStretch(1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Notitie: wat er al is, wat ontbreekt, wie het oppakt…")
        self.note.setAccessibleName(f"Notitie bij vraag {question.number}")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 14)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.setAccessibleName(question.title)

    def status(self) -> str | None:
        return next((key for key, radio in self.radios.items() if radio.isChecked()), None)

    def set_values(self, status: str | None, note: str | None) -> None:
        with QSignalBlocker(self.buttons), QSignalBlocker(self.note):
            self.buttons.setExclusive(False)
            for key, radio in self.radios.items():
                radio.setChecked(key == status)
            self.buttons.setExclusive(True)
            self.note.setPlainText(note or "")

    def set_editable(self, editable: bool) -> None:
        for radio in self.radios.values():
            radio.setEnabled(editable)
        self.clear_button.setEnabled(editable)
        self.note.setReadOnly(not editable)


class QuickscanWindow(DocumentWindow):
    """Aanpak › Quickscan…: fill in, keep, summarise and export quickscans of the local approach."""

    noun = "Quickscan"

    def __init__(self, repo: ModelRepository, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(repo, workspace, parent)
        self.groups = qs.quickscan_groups(repo)
        self.pending: set[int] = set()  # question numbers whose input is not saved yet
        self.pending_details = False
        self._loading = False
        self.setWindowTitle("Quickscan lokale aanpak")
        self.resize(1200, 760)

        # which quickscan
        self.scans, top = self.chooser_row(260, "Nieuwe quickscan", self.new_quickscan, self._delete)
        self.scans.currentIndexChanged.connect(lambda _i: self._load())
        self.new_button.setToolTip("Een nieuwe quickscan, bijvoorbeeld voor een nieuw jaar of een andere gemeente")
        self.name = QLineEdit()
        self.name.setAccessibleName("Naam van de quickscan")
        self.name.setPlaceholderText("bijv. Quickscan 2027")
        self.name.editingFinished.connect(self._save_details)
        self.municipality = QLineEdit()
        self.municipality.setAccessibleName("Gemeente")
        self.municipality.setPlaceholderText("bijv. Utrecht")
        self.municipality.editingFinished.connect(self._save_details)
        self.date = QDateEdit()
        self.date.setAccessibleName("Datum van de quickscan")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd-MM-yyyy")
        self.date.dateChanged.connect(lambda _d: self._save_details())

        details = QFormLayout()
        name_label = QLabel("&Naam:")
        name_label.setBuddy(self.name)
        details.addRow(name_label, self.name)
        place = QHBoxLayout()
        place.addWidget(self.municipality, 2)
        date_label = QLabel("&Datum:")
        date_label.setBuddy(self.date)
        place.addWidget(date_label)
        place.addWidget(self.date)
        municipality_label = QLabel("&Gemeente:")
        municipality_label.setBuddy(self.municipality)
        details.addRow(municipality_label, place)

        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Voortgang van de quickscan")
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("%v van %m vragen beantwoord")
        self.hint = QLabel("Geef per vraag aan waar uw gemeente staat en noteer wat u weet; alles wordt meteen "
                           "bewaard. Onder ‘Samenvatting’ staat wat aandacht nodig heeft.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555")

        # the questions, one group at a time
        self.group_list = QListWidget()
        self.group_list.setAccessibleName("Groepen vragen met voortgang")
        self.group_list.currentRowChanged.connect(self._show_group)
        self.pages = QStackedWidget()
        self.editors: dict[int, QuestionEditor] = {}
        self.group_titles: list[QLabel] = []
        for index, group in enumerate(self.groups):
            self.pages.addWidget(self._group_page(index, group))
            self.group_list.addItem(QListWidgetItem(group.name))
        self.previous_button = QPushButton("‹ Vorige groep")
        self.previous_button.setAccessibleName("Vorige groep")
        self.previous_button.clicked.connect(lambda _c=False: self._step(-1))
        self.next_button = QPushButton("Volgende groep ›")
        self.next_button.setAccessibleName("Volgende groep")
        self.next_button.clicked.connect(lambda _c=False: self._step(1))
        steps = QHBoxLayout()
        steps.addWidget(self.previous_button)
        steps.addStretch(1)
        steps.addWidget(self.next_button)
        right, rv = pane()
        rv.addWidget(self.pages, 1)
        rv.addLayout(steps)
        splitter = panes(Qt.Orientation.Horizontal, (self.group_list, right), (1, 3), [300, 880])

        self.summary = SafeBrowser()
        self.summary.setAccessibleName("Samenvatting: wat aandacht nodig heeft")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Vragen en samenvatting")
        self.tabs.addTab(splitter, "&Vragen")
        self.tabs.addTab(self.summary, "&Samenvatting")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_summary())
        total = sum(len(g.questions) for g in self.groups)
        self.empty, self.first_button = empty_state(
            f"Nog geen quickscan. Met de Quickscan lokale aanpak gaat u na waar de aanpak van uw gemeente staat: "
            f"{total} vragen in {len(self.groups)} groepen, elk met de uitleg uit de toelichting. Per vraag geeft u "
            "aan of het op orde is, deels, nog niet, of dat u het niet weet, met een notitie. U kunt meerdere "
            "quickscans bewaren, bijvoorbeeld één per jaar.", "Quickscan beginnen", self.new_quickscan)

        bottom = self.export_row("Quickscan opslaan als PDF")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addLayout(details)
        layout.addWidget(self.read_only_banner)
        layout.addLayout(self.banner_row())
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._step(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._step(-1))
        self.note_timer = self.save_timer(NOTE_DELAY_MS)

        self.show_read_only("de quickscans")
        self.reload()
        if self.groups:
            self.group_list.setCurrentRow(0)

    # --- construction -----------------------------------------------------------------------------
    def _group_page(self, index: int, group: qs.QuestionGroup) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        title = QLabel()
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1d3f66")
        title.setWordWrap(True)
        self.group_titles.append(title)
        v.addWidget(title)
        numbers = ", ".join(str(q.number) for q in group.questions)
        intro = QLabel(f"Uitleg bij {'de vragen' if len(group.questions) > 1 else 'vraag'} {numbers} (uit de "
                       "toelichting bij de Quickscan lokale aanpak). De bron geeft de uitleg, niet de letterlijke "
                       "vraagtekst.")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555")
        v.addWidget(intro)
        explanations = list(dict.fromkeys(q.explanation or "" for q in group.questions))
        for explanation_text in explanations:
            explanation = QLabel(explanation_text or "Het model geeft bij deze vraag geen uitleg.")
            explanation.setTextFormat(Qt.TextFormat.PlainText)
            explanation.setWordWrap(True)
            explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            explanation.setAccessibleName(f"Uitleg bij {group.name.lower()}")
            explanation.setFrameShape(QFrame.Shape.StyledPanel)
            explanation.setStyleSheet("background: #f6f8fb; padding: 8px; font-size: 10.5pt")
            v.addWidget(explanation)
        for question in group.questions:
            editor = QuestionEditor(question)
            editor.buttons.buttonClicked.connect(lambda _b, n=question.number: self._status_clicked(n))
            editor.clear_button.clicked.connect(lambda _c=False, n=question.number: self._clear(n))
            editor.note.textChanged.connect(lambda n=question.number: self._note_changed(n))
            self.editors[question.number] = editor
            v.addWidget(editor)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        scroll.setAccessibleName(group.name)
        return scroll

    # --- state --------------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        return chosen_id(self.scans)

    def current(self) -> store.Quickscan | None:
        scan_id = self.current_id()
        return store.quickscan(self.workspace, scan_id) if scan_id else None

    def reload(self, select: str | None = None) -> None:
        keep = select or self.current_id()
        fill_chooser(self.scans, ((scan_label(scan), scan.id) for scan in store.quickscans(self.workspace)), keep)
        self._load()

    def _load(self) -> None:
        self.pending.clear()
        self.pending_details = False
        scan = self.current()
        has = scan is not None
        self.tabs.setVisible(has)
        self.progress_bar.setVisible(has)
        self.hint.setVisible(has and self.editable)
        self.first_button.setEnabled(self.editable)
        self.empty.setVisible(not has)
        for widget in (self.name, self.municipality, self.date, self.pdf_button, self.xlsx_button,
                       self.print_button):
            widget.setEnabled(has)
        self.delete_button.setEnabled(has and self.editable)
        self.new_button.setEnabled(self.editable)
        for widget in (self.name, self.municipality):
            widget.setReadOnly(not self.editable)
        self.date.setReadOnly(not self.editable)
        self._loading = True
        try:
            self.name.setText(scan.name if scan else "")
            self.municipality.setText(scan.municipality or "" if scan else "")
            day = QDate.fromString(scan.scan_date, "yyyy-MM-dd") if scan and scan.scan_date else QDate.currentDate()
            self.date.setDate(day)
            answers = store.answers(self.workspace, scan.id) if scan else {}
            for number, editor in self.editors.items():
                answer = answers.get(number)
                editor.set_values(answer.status if answer else None, answer.note if answer else None)
                editor.set_editable(self.editable)
        finally:
            self._loading = False
        self._refresh_progress()
        self._refresh_summary()

    def answers(self) -> dict[int, store.QuickscanAnswer]:
        """The answers as shown in the window (also those not saved yet)."""
        scan_id = self.current_id() or ""
        result: dict[int, store.QuickscanAnswer] = {}
        for number, editor in self.editors.items():
            status, note = editor.status(), editor.note.toPlainText().strip() or None
            if status or note:
                result[number] = store.QuickscanAnswer(scan_id, number, status, note, "")
        return result

    def _refresh_progress(self) -> None:
        answers = self.answers()
        done, total = qs.overall(self.groups, answers)
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        for row, step in enumerate(qs.progress(self.groups, answers)):
            item = self.group_list.item(row)
            mark = "✓ " if step.answered == step.total else ""
            item.setText(f"{mark}{step.name}\n    {step.label}")
            item.setToolTip(f"{step.name}: {step.label}")
            self.group_titles[row].setText(f"{step.name} — {step.label}")

    def _refresh_summary(self) -> None:
        if self.tabs.currentWidget() is not self.summary:
            return
        scan = self.current()
        if scan is None:
            self.summary.setHtml("")
            return
        answers = self.answers()
        items = qs.attention(self.groups, answers)
        counts = qs.status_counts(answers)
        done, total = qs.overall(self.groups, answers)
        out = [f"<h2>{escape(scan.name)}</h2>",
               f"<p>{done} van {total} vragen beantwoord: "
               + ", ".join(f"{counts[k]} {label.lower()}" for k, label in store.QUICKSCAN_STATUSES) + ".</p>",
               "<h3>Wat aandacht nodig heeft</h3>"]
        if not items:
            out.append("<p>Nog geen vragen met ‘nog niet’, ‘deels’ of ‘weet niet’.</p>")
        for key in store.ATTENTION_STATUSES:
            group = [i for i in items if i.status == key]
            if not group:
                continue
            label = store.QUICKSCAN_STATUS_LABELS[key]
            out.append(f'<p><b style="color:{STATUS_COLORS[key]}">{escape(label)} ({len(group)})</b></p><ul>')
            for item in group:
                note = f"<br>{escape(item.note).replace(chr(10), '<br>')}" if item.note else \
                    '<br><span style="color:#777">geen notitie</span>'
                out.append(f"<li><b>{escape(item.title)}</b> <span style=\"color:#555\">({escape(item.group_name)})"
                           f"</span>{note}</li>")
            out.append("</ul>")
        open_questions = [q for q in qs.questions(self.groups) if q.number not in answers
                          or answers[q.number].status is None]
        if open_questions:
            out.append("<h3>Nog niet beantwoord</h3><p>" + escape(", ".join(q.title for q in open_questions))
                       + "</p>")
        self.summary.setHtml("".join(out))

    # --- navigation -----------------------------------------------------------------------------------
    def _show_group(self, row: int) -> None:
        if 0 <= row < self.pages.count():
            self.pages.setCurrentIndex(row)
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(0 <= row < self.pages.count() - 1)

    def _step(self, offset: int) -> None:
        row = max(0, min(self.group_list.count() - 1, self.group_list.currentRow() + offset))
        self.group_list.setCurrentRow(row)

    def show_question(self, number: int) -> None:
        for row, group in enumerate(self.groups):
            if any(q.number == number for q in group.questions):
                self.tabs.setCurrentIndex(0)
                self.group_list.setCurrentRow(row)
                editor = self.editors[number]
                scroll = self.pages.currentWidget()
                if isinstance(scroll, QScrollArea):
                    scroll.ensureWidgetVisible(editor)
                return

    # --- editing --------------------------------------------------------------------------------------
    def new_quickscan(self) -> str | None:
        """Make a new quickscan (named after today; rename it in the name field) and show it."""
        today = dt.date.today()
        name = free_name(f"Quickscan {today.year}", {s.name for s in store.quickscans(self.workspace)})
        municipality = self.municipality.text().strip() or None if self.current_id() else None
        try:
            scan = store.create_quickscan(self.workspace, name, municipality, today.isoformat())
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return None
        self.banner.clear_message()
        self.reload(select=scan.id)
        self.group_list.setCurrentRow(0)
        self.tabs.setCurrentIndex(0)
        self.name.setFocus()
        self.name.selectAll()
        return scan.id

    def _delete(self) -> None:
        scan = self.current()
        if scan is None:
            return
        ask_to_delete(self, "Quickscan verwijderen",
                      f"De quickscan ‘{scan.name}’ met alle antwoorden en notities verwijderen?",
                      lambda: self._deleted(scan.id))

    def _deleted(self, scan_id: str) -> None:
        try:
            store.delete_quickscan(self.workspace, scan_id)
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return
        self.reload()

    def _status_clicked(self, number: int) -> None:
        if self._loading:
            return
        self.pending.add(number)
        self.save_pending()
        self._refresh_progress()

    def _clear(self, number: int) -> None:
        editor = self.editors[number]
        editor.set_values(None, editor.note.toPlainText())
        self.pending.add(number)
        self.save_pending()
        self._refresh_progress()

    def _note_changed(self, number: int) -> None:
        if self._loading:
            return
        self.pending.add(number)
        self.note_timer.start()

    def _save_details(self) -> None:
        if self._loading or self.current_id() is None or not self.editable:
            return
        self.pending_details = True
        self.save_pending()

    def save_pending(self) -> bool:
        """Save what was changed in the window; on a storage error keep it (and say so). True when saved."""
        scan_id = self.current_id()
        if scan_id is None or not self.editable:
            self.pending.clear()
            return True
        self.note_timer.stop()

        def save() -> None:  # what was saved is taken off the pending list at once: a retry saves only the rest
            if self.pending_details:
                name = self.name.text().strip()
                store.update_quickscan(self.workspace, scan_id, name=name or "Quickscan",
                                       municipality=self.municipality.text(),
                                       scan_date=self.date.date().toString("yyyy-MM-dd"))
                self.pending_details = False
                self._refresh_scan_label(scan_id)
            for number in sorted(self.pending):
                editor = self.editors[number]
                store.set_answer(self.workspace, scan_id, number, editor.status(), editor.note.toPlainText())
                self.pending.discard(number)

        if not self.save_changes(save):
            return False
        self._refresh_progress()
        self._refresh_summary()
        return True

    def _refresh_scan_label(self, scan_id: str) -> None:
        scan = store.quickscan(self.workspace, scan_id)
        index = self.scans.findData(scan_id)
        if scan is not None and index >= 0:
            self.scans.setItemText(index, scan_label(scan))

    # --- export ---------------------------------------------------------------------------------------
    def _scan_for_export(self) -> store.Quickscan | None:
        self.save_pending()
        scan = self.current()
        if scan is None:
            return None
        # what the window shows (also input not saved because of a storage problem)
        scan.name = self.name.text().strip() or scan.name
        scan.municipality = self.municipality.text().strip() or None
        scan.scan_date = self.date.date().toString("yyyy-MM-dd")
        return scan

    def export_source(self) -> ExportSource | None:
        scan = self._scan_for_export()
        if scan is None:
            return None

        def report() -> Report:
            from desktop.core.reports.planning import quickscan_report

            return quickscan_report(scan, self.groups, self.answers(), self.meta)

        def xlsx_work(target: Path) -> Callable[[], object]:
            from desktop.core.planning.exports import export_quickscan_xlsx

            answers, groups, meta = self.answers(), self.groups, self.meta  # taken on the GUI thread
            return lambda: export_quickscan_xlsx(scan, groups, answers, meta, target)

        return ExportSource(scan.name, report, xlsx_work)
