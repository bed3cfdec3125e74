"""The main window: tree (left), search + intervention list (middle), detail pane (right)."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path
from urllib.parse import unquote

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QSettings, QSize, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model.checks import is_web_url
from desktop.core.search.highlight import match_spans
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import Filters, query_terms
from desktop.core.workspace.store import STATUS_LABELS, NoteEntry, Workspace
from desktop.ui import detail_html
from desktop.ui.filter_panel import ANY_NOTE, FilterPanel
from desktop.ui.item_models import ALL_KEY, COLUMNS, KEY_ROLE, InterventionListModel, ModelTreeModel, NodeKey
from desktop.ui.notes_panel import NotesPanel
from desktop.ui.shortlist_panel import ShortlistPanel
from desktop.ui.tasks import run_task, show_message

SEARCH_DELAY_MS = 120
MODEL_SUFFIXES = (".xlsx", ".sqlite", ".db", ".sqlite3")


def _dropped_model(data: QMimeData) -> Path | None:
    """The one local model file being dragged onto the window, if that is what it is."""
    urls = [u for u in data.urls() if u.isLocalFile()] if data.hasUrls() else []
    if len(urls) != 1:
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in MODEL_SUFFIXES else None


class HighlightDelegate(QStyledItemDelegate):
    """Draws the name column with the search terms in bold on a yellow background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terms: list[str] = []

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        value = index.data(Qt.ItemDataRole.DisplayRole)
        spans = match_spans(str(value or ""), self.terms) if self.terms else []
        if not spans:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        text = str(value)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        parts, last = [], 0
        for start, end in spans:
            parts.append(escape(text[last:start]))
            parts.append(f'<b style="background-color:#ffe680; color:#000">{escape(text[start:end])}</b>')
            last = end
        parts.append(escape(text[last:]))
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        color = option.palette.highlightedText().color() if selected else option.palette.text().color()
        doc.setHtml(f'<span style="color:{color.name()}">{"".join(parts)}</span>')
        painter.save()
        rect = option.rect.adjusted(4, 0, -4, 0)
        painter.translate(rect.left(), rect.top() + (rect.height() - doc.size().height()) / 2)
        painter.setClipRect(0, 0, rect.width(), rect.height())
        doc.drawContents(painter)
        painter.restore()


class DetailBrowser(QTextBrowser):
    """Shows escaped HTML; never loads any resource and never follows a link by itself."""

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None  # no images, style sheets or files: the model is untrusted

    def setSource(self, name: QUrl, kind: object = None) -> None:
        pass  # navigation is handled by anchorClicked only


class MainWindow(QMainWindow):
    def __init__(
        self,
        repo: ModelRepository,
        data_dir: Path,
        settings: QSettings | None = None,
        workspace: Workspace | None = None,
        startup_messages: list[str] | None = None,
        quiet: bool = False,
    ) -> None:
        super().__init__()
        self.repo = repo
        self.data_dir = data_dir
        self.quiet = quiet  # --smoke: never open a dialog
        if workspace is None:
            from desktop.core.workspace.safety import open_safely

            opened = open_safely(data_dir)
            workspace = opened.workspace
            startup_messages = [*(startup_messages or []), *opened.messages]
        self.workspace = workspace
        self.startup_messages = startup_messages or []
        self.settings = settings or QSettings(str(data_dir / "instellingen.ini"), QSettings.Format.IniFormat)
        self.meta = repo.meta()
        self.current_intervention: str | None = None
        self._shown: str | None = None  # the intervention the detail pane shows now
        self.current_node: NodeKey = ALL_KEY
        self.expanded_types: set[str] = set()
        self.opened_urls: list[str] = []  # what we handed to the system browser (for tests)
        self.import_dialog: QWidget | None = None  # the update preview while it is open
        self.history_dialog: QWidget | None = None
        self.setAcceptDrops(True)
        self.setWindowTitle("Bouwstenen — preventie van radicalisering en ongewenste polarisatie")
        self.setMinimumSize(QSize(960, 600))

        # left: tree above filters
        self.tree_model = ModelTreeModel(repo.tree(), repo.counts()["interventions"], self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Bouwstenen, thema's en beschermende factoren")
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.selectionModel().currentChanged.connect(self._node_changed)
        self.filters = FilterPanel(repo.facets())
        self.filters.changed.connect(self.refresh)
        self.shortlists = ShortlistPanel(self.workspace, set(repo.all_ids()))
        self.shortlists.open_intervention.connect(self.open_intervention)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(self.filters, "Filters")
        self.left_tabs.addTab(self.shortlists, "Werksets")
        self.left_tabs.setAccessibleName("Filters en werksets")

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self._titled("Bouwstenen", self.tree))
        left.addWidget(self.left_tabs)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 1)
        self.left_splitter = left

        # middle: search, active filters, list
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek interventies, bijv. mediawijsheid (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Zoeken")
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._refresh_counts)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._search_now)

        self.chips = QWidget()
        self.chips_layout = QHBoxLayout(self.chips)
        self.chips_layout.setContentsMargins(0, 0, 0, 0)
        self.chips_layout.setSpacing(4)

        self.list_model = InterventionListModel(repo, self)
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setAccessibleName("Interventies")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # no column sort at first: results stay in search order (best match first) until the user
        # clicks a column header
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 100)
        # The small columns hold a few known values: size them once from those values. With
        # ResizeToContents Qt would read every row on each update (~130,000 calls at 10,000 rows).
        metrics = self.fontMetrics()
        values = {2: ("?", "5"), 3: ("onbekend", "ja", "nee"), 4: ("onbekend", "ja", "nee"),
                  5: ("notitie", *STATUS_LABELS.values())}
        for column, texts in values.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            widest = max(metrics.horizontalAdvance(t) for t in (*texts, COLUMNS[column]))
            header.resizeSection(column, widest + 18)  # padding and the sort indicator
        header.setStretchLastSection(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.delegate = HighlightDelegate(self.table)
        self.table.setItemDelegateForColumn(0, self.delegate)
        self.table.selectionModel().currentRowChanged.connect(self._intervention_changed)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555; padding: 24px")
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Aantal resultaten")

        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(4, 4, 4, 4)
        mv.addWidget(self.search)
        mv.addWidget(self.chips)
        mv.addWidget(self.result_label)
        mv.addWidget(self.table, 1)
        mv.addWidget(self.empty_label, 1)

        # right: detail
        self.detail = DetailBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setOpenExternalLinks(False)
        self.detail.setAccessibleName("Details")
        self.detail.anchorClicked.connect(self._anchor_clicked)
        self.notes = NotesPanel(self.workspace)
        self.notes.changed.connect(self._notes_changed)
        self.add_to_list = QToolButton()
        self.add_to_list.setText("Aan werkset toevoegen")
        self.add_to_list.setAccessibleName("Aan werkset toevoegen")
        self.add_to_list.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_to_list.setMenu(QMenu(self.add_to_list))
        self.add_to_list.menu().aboutToShow.connect(self._fill_shortlist_menu)
        self.notes.layout().itemAt(1).layout().insertWidget(2, self.add_to_list)  # type: ignore[union-attr]
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.detail)
        self.right.addWidget(self.notes)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 1)
        self.right.setSizes([420, 320])
        self.right.setCollapsible(0, False)
        self.right.setCollapsible(1, False)
        self.notes.setMinimumHeight(110)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([300, 620, 446])
        self.setCentralWidget(self.splitter)

        self.notes.setVisible(False)
        self._build_menus()
        self._build_status()
        self.list_model.set_note_marks(self._note_marks())
        self._restore_state()
        if not self.tree.currentIndex().isValid():  # restoring a tree selection has refreshed already
            self.refresh()
        self._restore_intervention()
        if self.current_intervention is None and self.current_node == ALL_KEY:
            self._show_welcome()
        self._announce()

    # --- construction -----------------------------------------------------------------------
    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(4, 4, 4, 4)
        label = QLabel(f"<b>{escape(title)}</b>")
        label.setBuddy(widget)
        v.addWidget(label)
        v.addWidget(widget, 1)
        return box

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Bestand")
        update = QAction("Model &bijwerken…", self)
        update.setToolTip("Een nieuw gepubliceerd model inlezen (.xlsx of .sqlite); u ziet eerst wat er verandert")
        update.triggered.connect(lambda _checked=False: self.update_model())
        file_menu.addAction(update)
        self.rollback_action = QAction("&Vorige versie terugzetten…", self)
        self.rollback_action.triggered.connect(lambda _checked=False: self.rollback_model())
        file_menu.addAction(self.rollback_action)
        history = QAction("&Geschiedenis van het model…", self)
        history.triggered.connect(self.show_history)
        file_menu.addAction(history)
        file_menu.aboutToShow.connect(self._update_rollback_action)
        file_menu.addSeparator()
        export = QAction("Model exporteren als &JSON…", self)
        export.triggered.connect(self._export_json)
        file_menu.addAction(export)
        file_menu.addSeparator()
        quit_action = QAction("&Afsluiten", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit = bar.addMenu("Be&werken")
        find = QAction("&Zoeken", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        edit.addAction(find)
        clear = QAction("Alle filters &wissen", self)
        clear.setShortcut(QKeySequence("Ctrl+Shift+W"))
        clear.triggered.connect(self.clear_all)
        edit.addAction(clear)

        view = bar.addMenu("Beel&d")
        for text, shortcut, slot in (
            ("&Bouwstenen", "Ctrl+1", self.tree.setFocus),
            ("&Interventielijst", "Ctrl+2", self.table.setFocus),
            ("&Details", "Ctrl+3", self.detail.setFocus),
            ("&Filters", "Ctrl+4", self.filters.setFocus),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            view.addAction(action)
        view.addSeparator()
        expand = QAction("Alles &uitklappen", self)
        expand.triggered.connect(self.tree.expandAll)
        view.addAction(expand)
        collapse = QAction("Alles &inklappen", self)
        collapse.triggered.connect(self.tree.collapseAll)
        view.addAction(collapse)

        notes_menu = bar.addMenu("&Notities")
        new_note = QAction("&Nieuwe notitie bij deze interventie", self)
        new_note.triggered.connect(self.notes.new_entry)
        notes_menu.addAction(new_note)
        new_list = QAction("Nieuwe &werkset…", self)
        new_list.triggered.connect(self._new_shortlist)
        notes_menu.addAction(new_list)
        notes_menu.addSeparator()
        export_notes = QAction("Notities en werksets &exporteren…", self)
        export_notes.triggered.connect(self._export_notes)
        notes_menu.addAction(export_notes)
        import_notes = QAction("Notities en werksets &importeren…", self)
        import_notes.triggered.connect(self._import_notes)
        notes_menu.addAction(import_notes)
        notes_menu.addSeparator()
        self.orphans_action = QAction("Interventies niet meer in het &model…", self)
        self.orphans_action.triggered.connect(self.show_orphans)
        notes_menu.addAction(self.orphans_action)

        help_menu = bar.addMenu("&Help")
        ladder = QAction("De &effectladder", self)
        ladder.triggered.connect(self.show_effectladder)
        help_menu.addAction(ladder)
        start = QAction("&Hoe werkt het?", self)
        start.setShortcut(QKeySequence.StandardKey.HelpContents)
        start.triggered.connect(self._show_welcome)
        help_menu.addAction(start)
        about = QAction("&Over Bouwstenen", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status(self) -> None:
        self.model_label = QLabel()
        self.model_label.setAccessibleName("Modelversie")
        self.statusBar().addPermanentWidget(self.model_label)
        self._show_model_version()

    def _show_model_version(self) -> None:
        import datetime as dt

        from desktop.core.updates.staleness import stale_message

        version = self.meta.get("model_version", "?")
        published = self.meta.get("published", "?")
        text = f"Model versie {version} · gepubliceerd {published}"
        stale = stale_message(self.meta.get("published"), dt.date.today())
        if stale:
            text = f"⚠ {text} — verouderd"
            self.model_label.setStyleSheet("color: #8a4b00; font-weight: bold")
            self.model_label.setToolTip(stale)
        else:
            self.model_label.setStyleSheet("")
            self.model_label.setToolTip("")
        self.model_label.setText(text)

    # --- state ------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        for key, splitter in (("window/splitter", self.splitter), ("window/left", self.left_splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        node = self.settings.value("selection/node")
        if isinstance(node, str) and ":" in node:
            kind, node_id = node.split(":", 1)
            self.select_node((kind, node_id))

    def _restore_intervention(self) -> None:
        intervention = self.settings.value("selection/intervention")
        row = self.list_model.row_of(intervention) if isinstance(intervention, str) else -1
        if row >= 0:
            self.table.selectRow(row)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/left", self.left_splitter.saveState())
        self.settings.setValue("selection/node", f"{self.current_node[0]}:{self.current_node[1]}")
        self.settings.setValue("selection/intervention", self.current_intervention or "")
        self.settings.sync()

    def closeEvent(self, event: object) -> None:
        self.save_state()
        super().closeEvent(event)  # type: ignore[arg-type]

    # --- behaviour --------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_now(self) -> None:
        self.refresh()
        if self.list_model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def current_filters(self) -> Filters:
        filters = self.filters.filters()
        if self.current_node != ALL_KEY:
            filters.scope = self.current_node
        statuses = self.filters.note_statuses()
        if statuses:
            filters.only_ids = self._ids_with_notes(statuses)
        return filters

    def _ids_with_notes(self, statuses: set[str], by_status: dict[str, set[str]] | None = None) -> set[str]:
        by_status = self.workspace.ids_by_status() if by_status is None else by_status
        if ANY_NOTE in statuses:
            return set().union(*by_status.values())
        return set().union(*(by_status.get(s, set()) for s in statuses))

    def _note_marks(self) -> dict[str, str]:
        return {iid: STATUS_LABELS.get(status, "notitie") for iid, status in self.workspace.latest_status().items()}

    def _typed(self, _text: str) -> None:
        """A keystroke in the search field: the list follows at once, the filter counts after a pause."""
        self._refresh_list()
        self.search_timer.start()

    def refresh(self) -> None:
        """Run the search with the text, filters and tree selection; update list, counts, chips."""
        self.search_timer.stop()
        self._refresh_list()
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        text, filters = self.search.text(), self.current_filters()
        facet_counts, flag_counts = self.repo.counts_for(text, filters)
        self.filters.update_counts(facet_counts, flag_counts)
        self._update_note_counts(text, filters)

    def _refresh_list(self) -> None:
        text = self.search.text()
        filters = self.current_filters()
        ids = self.repo.search(text, filters)
        self.delegate.terms = query_terms(text)
        keep = self.current_intervention
        self.list_model.set_ids(ids)
        self._update_chips()
        total = len(ids)
        self.result_label.setText(f"{total} interventie(s)")
        self.statusBar().showMessage(f"{total} interventie(s) gevonden", 4000)
        empty = total == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText(self._empty_text(text, filters))
        if keep is not None:
            row = self.list_model.row_of(keep)
            if row >= 0:
                self.table.selectRow(row)
                if self._shown != keep:  # re-rendering on every keystroke would reset the scroll
                    self.show_intervention(keep)

    def _empty_text(self, text: str, filters: Filters) -> str:
        if self.current_node[0] == "cluster" and not text.strip() and filters.is_empty():
            return "Geen voorbeeldinterventies bij deze factor — een lacune in het model."
        if text.strip():
            return (f"Geen interventies gevonden voor ‘{text.strip()}’ met deze selectie. "
                    "Probeer een korter woord, kies ‘Alle interventies’ of wis de filters.")
        return "Geen interventies met deze selectie. Wis een filter of kies ‘Alle interventies’."

    def _update_chips(self) -> None:
        while self.chips_layout.count():
            item = self.chips_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        active = self.filters.active()
        for key, value, label in active:
            chip = QToolButton()
            chip.setText(f"{label}  ✕")
            chip.setToolTip("Filter verwijderen")
            chip.setAccessibleName(f"Filter {label} verwijderen")
            chip.clicked.connect(lambda _c=False, k=key, v=value: self.filters.remove(k, v))
            self.chips_layout.addWidget(chip)
        if active:
            clear = QToolButton()
            clear.setText("Alles wissen")
            clear.setAccessibleName("Alle filters wissen")
            clear.clicked.connect(self.filters.clear)
            self.chips_layout.addWidget(clear)
        self.chips_layout.addStretch(1)
        self.chips.setVisible(bool(active))

    def clear_all(self) -> None:
        self.search.clear()
        self.filters.clear()

    def select_node(self, key: NodeKey) -> None:
        index = self.tree_model.index_of(key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _node_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else ALL_KEY
        self.current_node = tuple(key) if key else ALL_KEY  # type: ignore[assignment]
        self.current_intervention = None
        self.notes.set_intervention(None, "")
        self.notes.setVisible(False)
        self.table.clearSelection()
        self.refresh()
        if self.current_node == ALL_KEY:
            self._show_welcome()
        else:
            node = self.repo.node(*self.current_node)
            if node is not None:
                self.detail.setHtml(detail_html.node_html(node))
                self._shown = None

    def _intervention_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        intervention_id = self.list_model.id_at(current.row()) if current.isValid() else None
        if intervention_id is not None and intervention_id != self.current_intervention:
            self.current_intervention = intervention_id
            self.show_intervention(intervention_id)

    def show_intervention(self, intervention_id: str) -> None:
        detail = self.repo.intervention(intervention_id)
        if detail is None:
            return
        self.current_intervention = intervention_id
        self._shown = intervention_id
        self.detail.setHtml(detail_html.intervention_html(detail, self.expanded_types))
        if self.notes.intervention_id != intervention_id:
            self.notes.set_intervention(intervention_id, detail.name)
        if not self.notes.isVisible():
            self.notes.setVisible(True)
            total = sum(self.right.sizes())
            if self.right.sizes()[1] < 150 and total > 400:
                self.right.setSizes([total - 300, 300])

    def show_effectladder(self) -> None:
        levels = [(lv.trede, lv.name, lv.explanation) for lv in self.repo.effectladder()]
        self.detail.setHtml(detail_html.effectladder_html(levels, self.repo.text("effectladder_intro")))
        self._shown = None

    def _show_welcome(self) -> None:
        self._shown = None
        self.detail.setHtml(
            detail_html.welcome_html(
                self.meta.get("model_version", "?"), self.meta.get("published", "?"),
                self.repo.counts()["interventions"], self.repo.text("model_purpose"),
            )
        )

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == detail_html.INTERNAL_SCHEME:
            kind, _, target = url.path().partition("/")
            target = unquote(target)
            if kind in ("block", "theme", "cluster"):
                self.select_node((kind, target))
            elif kind == "toggle-type":
                self.expanded_types ^= {target}
                if self.current_intervention:
                    position = self.detail.verticalScrollBar().value()
                    self.show_intervention(self.current_intervention)
                    self.detail.verticalScrollBar().setValue(position)
            elif kind == "effectladder":
                self.show_effectladder()
            return
        text = url.toString()
        if url.scheme() in ("http", "https") and is_web_url(text):
            self.opened_urls.append(text)
            QDesktopServices.openUrl(url)
        else:
            self.statusBar().showMessage("Deze link wordt niet geopend: alleen http- en https-adressen.", 6000)

    # --- notes and shortlists ---------------------------------------------------------------
    def open_intervention(self, intervention_id: str) -> None:
        """Show an intervention, e.g. from a werkset (also when it is outside the current list)."""
        if self.repo.row(intervention_id) is None:
            self.statusBar().showMessage(
                "Deze interventie staat niet meer in het model; uw notities zijn bewaard.", 6000
            )
            return
        row = self.list_model.row_of(intervention_id)
        if row < 0:
            self.select_node(ALL_KEY)
            self.search.clear()
            self.filters.clear()
            row = self.list_model.row_of(intervention_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.list_model.index(row, 0))
        self.show_intervention(intervention_id)

    def _update_note_counts(self, text: str, filters: Filters) -> None:
        by_status = self.workspace.ids_by_status()  # one query for all the counts
        self.filters.update_note_counts(self.repo.index.note_counts(text, filters, by_status))

    def _notes_changed(self) -> None:
        self.list_model.set_note_marks(self._note_marks())
        self._update_note_counts(self.search.text(), self.current_filters())

    def _fill_shortlist_menu(self) -> None:
        menu = self.add_to_list.menu()
        menu.clear()
        for shortlist in self.workspace.shortlists():
            action = menu.addAction(shortlist.name)
            action.triggered.connect(lambda _c=False, sid=shortlist.id: self._add_to_shortlist(sid))
        if self.workspace.shortlists():
            menu.addSeparator()
        menu.addAction("Nieuwe werkset…").triggered.connect(lambda: self._add_to_shortlist(None))

    def _add_to_shortlist(self, shortlist_id: str | None) -> None:
        if self.current_intervention is None:
            return
        if shortlist_id is None:
            shortlist_id = self.shortlists.create()
            if shortlist_id is None:
                return
        name = self.repo.row(self.current_intervention).name  # type: ignore[union-attr]
        added = self.shortlists.add(shortlist_id, self.current_intervention, name)
        list_name = next((s.name for s in self.workspace.shortlists() if s.id == shortlist_id), "")
        self.statusBar().showMessage(
            f"‘{name}’ toegevoegd aan werkset ‘{list_name}’." if added else f"‘{name}’ staat al in ‘{list_name}’.",
            5000,
        )

    def _new_shortlist(self) -> None:
        self.left_tabs.setCurrentWidget(self.shortlists)
        self.shortlists.create()

    def _export_notes(self) -> None:
        from desktop.core.workspace.exchange import export_notes
        from desktop.core.workspace.store import Workspace

        path, _ = QFileDialog.getSaveFileName(
            self, "Notities exporteren", str(self._export_folder() / "mijn-bouwstenen-notities.xlsx"),
            "Excel-werkmap (*.xlsx)")
        if not path:
            return
        target = Path(path)
        data_path, read_only = self.workspace.path, self.workspace.read_only
        model_path = self.repo.path

        def work(_report: object, _cancelled: object) -> object:
            from desktop.cli.notes_commands import describe_for

            with Workspace(data_path, read_only=read_only) as workspace:
                describe = describe_for(model_path)
                try:
                    return export_notes(workspace, target, describe=describe)
                finally:
                    describe.close()

        run_task(self, "Notities exporteren", work,
                 lambda result: self._told("Notities geëxporteerd", f"{result.summary()}\n\nBestand: {target}"))

    def _import_notes(self) -> None:
        from desktop.core.workspace.exchange import import_notes
        from desktop.core.workspace.safety import backup_before
        from desktop.core.workspace.store import Workspace

        if not self._may_write("Notities importeren"):
            return
        path, _ = QFileDialog.getOpenFileName(self, "Notities importeren", str(self._export_folder()),
                                              "Excel-werkmap (*.xlsx);;Alle bestanden (*)")
        if not path:
            return
        source, data_path, data_dir = Path(path), self.workspace.path, self.data_dir

        def work(report: object, cancelled: object) -> object:
            backup_before(data_dir, "notities-import")
            with Workspace(data_path) as workspace:
                return import_notes(workspace, source, report, cancelled)  # type: ignore[arg-type]

        def done(result: object) -> None:
            lines = result.summary()  # type: ignore[attr-defined]
            problems = result.problems  # type: ignore[attr-defined]
            if problems:
                lines += ["", "Let op:", *problems[:20]]
            self._told("Notities geïmporteerd", "\n".join(lines))
            self.shortlists.reload()
            self._notes_changed()
            if self.current_intervention:
                self.notes.set_intervention(self.current_intervention, self.notes.intervention_name)

        run_task(self, "Notities importeren", work, done, cancellable=True)

    def orphaned_entries(self) -> list[NoteEntry]:
        return self.workspace.orphaned_entries(set(self.repo.all_ids()))

    def show_orphans(self) -> None:
        from desktop.ui.orphans_dialog import OrphansDialog

        OrphansDialog(self.workspace, set(self.repo.all_ids()), self).exec()
        self._notes_changed()

    def _announce(self) -> None:
        """Tell the user once at start what needs attention (recovery, notes without intervention)."""
        if not self.quiet:
            for message in self.startup_messages:
                QTimer.singleShot(0, lambda m=message: show_message(self, "Bouwstenen", m, QMessageBox.Icon.Warning))
        orphans = self.orphaned_entries()
        if orphans:
            self.statusBar().showMessage(
                f"{len(orphans)} notitie(s) horen bij interventies die niet meer in het model staan: "
                "zie Notities › Interventies niet meer in het model.", 15000,
            )

    # --- model updates -----------------------------------------------------------------------
    def update_model(self, path: Path | None = None) -> None:
        """Bestand › Model bijwerken…: choose a file (unless given), check it in the background, show what
        changes; the dialog applies it. Returns at once (nothing waits)."""
        from desktop.core.updates.inspect import inspect
        from desktop.ui.import_dialog import FILE_FILTER, ImportPreviewDialog

        if not self._may_write("Het model bijwerken"):
            return
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Model bijwerken: kies een gepubliceerd model",
                                                    str(self._export_folder()), FILE_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        current, notes = self.repo.path, self.workspace.referenced_ids()

        def work(_report: object, _cancelled: object) -> object:
            return inspect(path, current, notes)

        def show(preview: object) -> None:
            dialog = ImportPreviewDialog(preview, self.data_dir, self._detach_model, self)  # type: ignore[arg-type]
            self.import_dialog = dialog
            dialog.finished.connect(lambda _code: self._update_finished(dialog))
            dialog.open()

        run_task(self, f"‘{path.name}’ controleren", work, show)

    def rollback_model(self, version: object = None) -> None:
        """Bestand › Vorige versie terugzetten… (or a version chosen in the history)."""
        from desktop.core.updates.apply import previous_version
        from desktop.ui.import_dialog import confirm_restore, restore_in_background

        if not self._may_write("Een versie terugzetten"):
            return
        chosen = version or previous_version(self.data_dir)
        if chosen is None:
            self._told("Vorige versie terugzetten", "Er is geen vorige versie van het model om terug te zetten.")
            return
        if not confirm_restore(self, chosen):  # type: ignore[arg-type]
            return

        def done(record: object) -> None:
            self.reload_model()
            if record is not None:
                self.statusBar().showMessage("De vorige versie van het model is teruggezet; uw notities zijn bewaard.",
                                             10000)

        restore_in_background(self, self.data_dir, chosen, self._detach_model, done)  # type: ignore[arg-type]

    def show_history(self) -> None:
        from desktop.ui.import_dialog import HistoryDialog

        dialog = HistoryDialog(self.data_dir, self.rollback_model, self)
        self.history_dialog = dialog
        dialog.open()

    def _update_finished(self, dialog: object) -> None:
        record = getattr(dialog, "record", None)
        self.import_dialog = None
        self.reload_model()
        if record is not None:
            self.statusBar().showMessage(
                f"Model bijgewerkt naar versie {record.model_version or '?'}; uw notities zijn bewaard.", 10000)
            self.after_update(record)

    def after_update(self, record: object) -> None:
        """Hook for what follows an update ('Wat is er nieuw')."""

    def _detach_model(self) -> None:
        """Close the model file (on the GUI thread) just before an update replaces it."""
        self.repo.close()

    def _may_write(self, what: str) -> bool:
        if not self.workspace.read_only:
            return True
        self._told(what, "Bouwstenen werkt nu alleen-lezen: uw gegevensmap kan niet worden beschreven. "
                         "Er is niets gewijzigd.")
        return False

    def _told(self, title: str, text: str) -> None:
        show_message(self, title, text)

    def _export_folder(self) -> Path:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents else Path.home()

    # --- drag and drop: a published model file dropped on the window --------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_model(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_model(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.update_model(path))

    def _update_rollback_action(self) -> None:
        from desktop.core.updates.apply import previous_version

        self.rollback_action.setEnabled(previous_version(self.data_dir) is not None)

    def reload_model(self) -> None:
        """Open the active model again (after an update or rollback) and rebuild what shows it."""
        from desktop.core import paths

        self.save_state()
        try:
            repo = ModelRepository.open(paths.active_model_path(self.data_dir))
        except Exception as exc:
            QMessageBox.critical(self, "Model openen", f"Het model kan niet worden geopend: {exc}")
            return
        old, self.repo = self.repo, repo
        self.meta = repo.meta()
        self.workspace.sync_names({r.id: r.name for r in repo.rows(repo.all_ids())})
        self.tree_model = ModelTreeModel(repo.tree(), repo.counts()["interventions"], self)
        self.tree.setModel(self.tree_model)
        self.tree.selectionModel().currentChanged.connect(self._node_changed)
        self.list_model = InterventionListModel(repo, self)
        self.table.setModel(self.list_model)
        self.table.selectionModel().currentRowChanged.connect(self._intervention_changed)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        index = self.left_tabs.indexOf(self.filters)
        self.left_tabs.removeTab(index)
        self.filters.deleteLater()
        self.filters = FilterPanel(repo.facets())
        self.filters.changed.connect(self.refresh)
        self.left_tabs.insertTab(index, self.filters, "Filters")
        self.left_tabs.setCurrentIndex(index)
        self.shortlists.known_ids = set(repo.all_ids())
        self.shortlists.reload()
        self.list_model.set_note_marks(self._note_marks())
        self.current_node, self.current_intervention, self._shown = ALL_KEY, None, None
        self.notes.set_intervention(None, "")
        self.notes.setVisible(False)
        self._show_model_version()
        self.refresh()
        self._show_welcome()
        try:
            old.close()
        except Exception:  # noqa: S110 - it may be closed already (before the swap)
            pass

    def _export_json(self) -> None:
        from desktop.core.model.json_codec import model_document

        path, _ = QFileDialog.getSaveFileName(
            self, "Model exporteren", str(self._export_folder() / "bouwstenenmodel.json"), "JSON (*.json)")
        if not path:
            return
        target, model_path = Path(path), self.repo.path

        def work(_report: object, _cancelled: object) -> object:
            import json

            with ModelRepository.open(model_path) as repo:  # type: ignore[arg-type]
                document = model_document(repo.model())
            try:
                target.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
            except OSError as exc:
                from desktop.core.errors import REASONS, ExpectedError, storage_reason

                raise ExpectedError(f"‘{target.name}’ kan niet worden geschreven: {REASONS[storage_reason(exc)]}.") \
                    from exc
            return target

        run_task(self, "Model exporteren", work,
                 lambda _r: self.statusBar().showMessage(f"Model geëxporteerd naar {target}", 6000))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "Over Bouwstenen",
            "<p><b>Bouwstenen</b> zet het bouwstenenmodel voor de preventie van radicalisering en "
            "ongewenste polarisatie op uw laptop: zoek passende interventies en lees wat erover bekend is.</p>"
            f"<p>Model versie {escape(self.meta.get('model_version', '?'))}, gepubliceerd "
            f"{escape(self.meta.get('published', '?'))} door {escape(self.meta.get('publisher', '?'))}.</p>"
            "<p>De applicatie werkt volledig offline.</p>",
        )
