"""Meld aan de redactie…: report outdated or missing information, a broken link, or propose an intervention.

Reports are kept in the workspace, can be changed or deleted, and are exported together as a feedback
workbook to send by e-mail (docs/feedback-format.md). The dialog is non-modal; a failed save keeps
everything that was typed and says so in the dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import ExpectedError, StorageError
from desktop.core.search.repository import ModelRepository
from desktop.core.text import count, dutch_datetime
from desktop.core.workspace import planning as store
from desktop.core.workspace.store import Workspace
from desktop.ui.panes import panes
from desktop.ui.planning import (
    Banner,
    ask_save_path,
    ask_to_delete,
    pane,
    read_only_text,
    run_export,
    storage_text,
)

ID_ROLE = Qt.ItemDataRole.UserRole
TEXT_LABELS = {
    "verouderd": "&Wat is verouderd, en wat klopt nu (met bron als u die heeft)?",
    "ontbrekend": "&Welke informatie ontbreekt?",
    "kapotte-link": "&Welke link werkt niet? Plak het adres en zeg wat u ziet (bijv. ‘pagina niet gevonden’).",
    "nieuwe-interventie": "&Toelichting voor de redactie (optioneel)",
}
MULTILINE_PROPOSAL = ("description", "why")


def target_name(repo: ModelRepository, target_kind: str | None, target_id: str | None) -> str | None:
    """The model's name of what a report is about (None when it is not in the model)."""
    if not target_id:
        return None
    if target_kind == "intervention":
        row = repo.row(target_id)
        return row.name if row else None
    if target_kind == "cluster":
        node = repo.node("cluster", target_id)
        return node.name if node else None
    return None


class FeedbackDialog(QDialog):
    """Non-modal: open it with show(). `target_kind` is "intervention", "cluster" or None (general)."""

    saved = Signal(str)  # the id of a saved report

    def __init__(self, repo: ModelRepository, workspace: Workspace, parent: QWidget | None = None,
                 target_kind: str | None = None, target_id: str | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setWindowTitle("Meld aan de redactie")
        self.resize(1100, 720)
        self.repo = repo
        self.workspace = workspace
        self.meta = repo.meta()
        self.editable = not workspace.read_only
        self.target_kind = target_kind if target_kind in ("intervention", "cluster") else None
        self.target_id = target_id if self.target_kind else None
        self.target_name = target_name(repo, self.target_kind, self.target_id) or self.target_id
        self.editing: store.FeedbackReport | None = None  # the report in the form (None: a new one)
        self.last_export: Path | None = None

        # the reports made so far
        self.reports = QListWidget()
        self.reports.setAccessibleName("Uw meldingen")
        self.reports.currentItemChanged.connect(lambda current, _previous: self._selected(current))
        self.new_button = QPushButton("Nieuwe melding")
        self.new_button.setAccessibleName("Nieuwe melding")
        self.new_button.clicked.connect(lambda _c=False: self.new_report())
        self.delete_button = QPushButton("Verwijderen…")
        self.delete_button.setAccessibleName("Melding verwijderen")
        self.delete_button.clicked.connect(lambda _c=False: self.delete_selected())
        self.export_button = QPushButton("Exporteren voor de redactie…")
        self.export_button.setAccessibleName("Meldingen exporteren voor de redactie")
        self.export_button.setToolTip("Alle meldingen in één Excel-werkmap, om per e-mail naar de redactie te sturen")
        self.export_button.clicked.connect(lambda _c=False: self.export())
        self.count_label = QLabel()
        left, lv = pane()
        lv.addWidget(QLabel("<b>Uw meldingen</b>"))
        lv.addWidget(self.reports, 1)
        lv.addWidget(self.count_label)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        lv.addLayout(row)
        lv.addWidget(self.export_button)
        send = QLabel("Exporteer de meldingen en stuur het bestand per e-mail naar de redactie; Bouwstenen zelf "
                      "verstuurt niets.")
        send.setWordWrap(True)
        send.setStyleSheet("color: #555")
        lv.addWidget(send)

        # the form
        self.subject = QLabel()
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setWordWrap(True)
        self.subject.setAccessibleName("Onderwerp van de melding")
        self.subject.setStyleSheet("font-size: 11pt; font-weight: 600")
        kinds = QGroupBox("Soort melding")
        kinds.setAccessibleName("Soort melding")
        kv = QVBoxLayout(kinds)
        self.kind_buttons = QButtonGroup(self)
        self.kind_radios: dict[str, QRadioButton] = {}
        for key, label in store.FEEDBACK_KINDS:
            radio = QRadioButton(label)
            radio.setAccessibleName(f"Soort melding: {label.lower()}")
            self.kind_buttons.addButton(radio)
            self.kind_radios[key] = radio
            kv.addWidget(radio)
        self.kind_buttons.buttonToggled.connect(lambda _b, _on: self._kind_changed())
        self.text_label = QLabel()
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Wat u wilt melden")
        self.text_label.setBuddy(self.text)
        self.proposal_box = QGroupBox("Voorgestelde interventie")
        self.proposal_box.setAccessibleName("Voorgestelde interventie")
        pf = QFormLayout(self.proposal_box)
        self.proposal: dict[str, QLineEdit | QPlainTextEdit] = {}
        placeholders = {
            "name": "verplicht", "type": "bijv. training, voorlichting, coaching", "description": "wat het is en hoe "
            "het werkt", "target_group": "bijv. jongeren 12-18, ouders, professionals", "provider": "organisatie "
            "die het uitvoert", "link": "https://…", "why": "welke beschermende factor het versterkt en waarom",
        }
        for key, label in store.PROPOSAL_FIELDS:
            field: QLineEdit | QPlainTextEdit
            if key in MULTILINE_PROPOSAL:
                field = QPlainTextEdit()
                field.setTabChangesFocus(True)
                field.setFixedHeight(field.fontMetrics().lineSpacing() * 3 + 12)
                field.setPlaceholderText(placeholders[key])
            else:
                field = QLineEdit()
                field.setPlaceholderText(placeholders[key])
            field.setAccessibleName(f"Voorstel: {label.lower()}")
            caption = QLabel(f"{label}:")
            caption.setBuddy(field)
            pf.addRow(caption, field)
            self.proposal[key] = field
        self.contact = QLineEdit()
        self.contact.setAccessibleName("Uw naam of e-mailadres (optioneel)")
        self.contact.setPlaceholderText("optioneel: zodat de redactie u iets kan vragen")
        contact_label = QLabel("&Uw naam of e-mail:")
        contact_label.setBuddy(self.contact)
        self.banner = Banner()
        self.read_only_banner = Banner()
        self.save_button = QPushButton("&Opslaan")
        self.save_button.setAccessibleName("Melding opslaan")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda _c=False: self.save())
        close = QPushButton("Sluiten")
        close.setAccessibleName("Venster sluiten")
        close.clicked.connect(self.close)

        right, rv = pane()
        rv.addWidget(self.subject)
        rv.addWidget(kinds)
        rv.addWidget(self.text_label)
        rv.addWidget(self.text, 1)
        rv.addWidget(self.proposal_box, 2)
        contact_row = QHBoxLayout()
        contact_row.addWidget(contact_label)
        contact_row.addWidget(self.contact, 1)
        rv.addLayout(contact_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        rv.addLayout(buttons)

        splitter = panes(Qt.Orientation.Horizontal, (left, right), (2, 3), [400, 680])
        layout = QVBoxLayout(self)
        intro = QLabel("Ziet u iets dat niet (meer) klopt, mist u informatie of een interventie, of werkt een link "
                       "niet? Meld het hier aan de redactie van het bouwstenenmodel.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_report)

        text = read_only_text(workspace, "uw meldingen")
        if text:
            self.read_only_banner.show_note(text)
        self._fill_list()
        self.new_report()
        self.text.setFocus()  # not the list: a list taking focus would open the first report instead

    # --- the list -------------------------------------------------------------------------------------
    def _fill_list(self, select: str | None = None) -> None:
        reports = list(reversed(store.feedback_reports(self.workspace)))
        self.reports.blockSignals(True)
        try:
            self.reports.clear()
            for report in reports:
                item = QListWidgetItem(f"{report.summary(70)}\n    {dutch_datetime(report.created_at)}")
                item.setData(ID_ROLE, report.id)
                item.setToolTip(report.summary(300))
                self.reports.addItem(item)
                if report.id == select:
                    self.reports.setCurrentItem(item)
        finally:
            self.reports.blockSignals(False)
        self.count_label.setText(count(len(reports), "melding", "meldingen") + " bewaard")
        self.export_button.setEnabled(bool(reports))
        self.delete_button.setEnabled(self.editable and self.reports.currentItem() is not None)

    def _selected(self, item: QListWidgetItem | None) -> None:
        report = store.feedback_report(self.workspace, str(item.data(ID_ROLE))) if item is not None else None
        if report is not None:
            self._load(report)
        self.delete_button.setEnabled(self.editable and item is not None)

    # --- the form -------------------------------------------------------------------------------------
    def new_report(self) -> None:
        """An empty form about the dialog's target."""
        self.editing = None
        self.reports.blockSignals(True)
        self.reports.setCurrentRow(-1)
        self.reports.clearSelection()
        self.reports.blockSignals(False)
        self.delete_button.setEnabled(False)
        self._set_subject(self.target_kind, self.target_id, self.target_name)
        kind = "verouderd" if self.target_kind else "nieuwe-interventie"
        self._fill(kind, None, {}, self.contact.text() if self.contact.text() else None)
        self.banner.clear_message()

    def _load(self, report: store.FeedbackReport) -> None:
        self.editing = report
        self._set_subject(report.target_kind, report.target_id, report.target_name)
        self._fill(report.kind, report.text, report.proposal, report.contact)
        self.banner.show_note(f"U bewerkt een melding van {dutch_datetime(report.created_at)}. ‘Opslaan’ bewaart de "
                              "wijzigingen; ‘Nieuwe melding’ begint een nieuwe.")

    def _set_subject(self, kind: str | None, target_id: str | None, name: str | None) -> None:
        if kind in ("intervention", "cluster") and (name or target_id):
            label = store.TARGET_KIND_LABELS[kind]
            self.subject.setText(f"Over {label} ‘{name or target_id}’")
        else:
            self.subject.setText("Algemene melding (niet over één interventie of factor)")

    def _fill(self, kind: str, text: str | None, proposal: dict[str, str], contact: str | None) -> None:
        radio = self.kind_radios.get(kind) or self.kind_radios["verouderd"]
        radio.setChecked(True)
        self.text.setPlainText(text or "")
        for key, field in self.proposal.items():
            value = proposal.get(key, "")
            if isinstance(field, QPlainTextEdit):
                field.setPlainText(value)
            else:
                field.setText(value)
        self.contact.setText(contact or "")
        self._kind_changed()
        for widget in (self.text, self.contact, *self.proposal.values()):
            widget.setReadOnly(not self.editable)
        for radio in self.kind_radios.values():
            radio.setEnabled(self.editable)
        self.save_button.setEnabled(self.editable)
        self.new_button.setEnabled(self.editable)

    def kind(self) -> str:
        return next((key for key, radio in self.kind_radios.items() if radio.isChecked()), "verouderd")

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.text_label.setText(TEXT_LABELS[kind])
        self.proposal_box.setVisible(kind == store.PROPOSAL_KIND)
        self.text.setPlaceholderText("" if kind != store.PROPOSAL_KIND else "bijv. waar u de interventie van kent")

    def values(self) -> tuple[str, str, dict[str, str], str]:
        proposal = {key: (field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()).strip()
                    for key, field in self.proposal.items()}
        kind = self.kind()
        if kind != store.PROPOSAL_KIND:
            proposal = {}
        return kind, self.text.toPlainText().strip(), {k: v for k, v in proposal.items() if v}, self.contact.text()

    def save(self) -> str | None:
        """Save the form (a new report or the one being edited); the report's id, or None when it could not
        be saved (the form keeps what was typed and says why)."""
        if not self.editable:
            return None
        kind, text, proposal, contact = self.values()
        try:
            if self.editing is None:
                report = store.add_feedback(
                    self.workspace, kind, text, target_kind=self.target_kind or "general", target_id=self.target_id,
                    target_name=self.target_name, proposal=proposal, contact=contact,
                    model_version=self.meta.get("model_version"))
                report_id = report.id
            else:
                report_id = self.editing.id
                store.update_feedback(self.workspace, report_id, kind, text, proposal=proposal, contact=contact)
        except StorageError as exc:
            self.banner.show_warning(storage_text(exc).replace(" zodra u iets wijzigt of op ‘Opnieuw opslaan’ klikt",
                                                               " als u nogmaals op ‘Opslaan’ klikt"))
            return None
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return None
        self._fill_list(select=report_id)
        saved = store.feedback_report(self.workspace, report_id)
        if saved is not None:
            self.editing = saved
        self.banner.show_info("De melding is bewaard. Exporteer uw meldingen wanneer u ze naar de redactie wilt "
                              "sturen, of maak een nieuwe melding.")
        self.saved.emit(report_id)
        return report_id

    def delete_selected(self, confirm: bool = True) -> None:
        item = self.reports.currentItem()
        if item is None or not self.editable:
            return
        report_id = str(item.data(ID_ROLE))
        if not confirm:
            self._delete(report_id)
            return
        ask_to_delete(self, "Melding verwijderen", "Deze melding verwijderen?", lambda: self._delete(report_id))

    def _delete(self, report_id: str) -> None:
        try:
            store.delete_feedback(self.workspace, report_id)
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return
        self._fill_list()
        self.new_report()
        self.text.setFocus()  # not the list: a list taking focus would open the first report instead
        self.banner.show_info("De melding is verwijderd.")

    def export(self, path: Path | None = None) -> object:
        from desktop.core.planning.feedback import export_feedback

        target = path or ask_save_path(self, "Meldingen exporteren voor de redactie", "meldingen-bouwstenen.xlsx",
                                       ".xlsx")
        if target is None:
            return None
        data_path, read_only = self.workspace.path, self.workspace.read_only
        in_memory = self.workspace.in_memory

        def work() -> int:
            if in_memory:
                return export_feedback(self.workspace, target)
            with Workspace(data_path, read_only=read_only) as workspace:
                return export_feedback(workspace, target)

        self.last_export = target
        return run_export(self, "Meldingen exporteren", work, self.banner,
                          f"Geëxporteerd: {target}. Stuur dit bestand per e-mail naar de redactie.")
