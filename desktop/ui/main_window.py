"""The main window: tree and filters (left), search and results (middle), details and notes (right).

It composes the panes and turns user actions into core calls; model updates and the notes exchange
live in their controllers (`window_updates`, `window_notes`).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QSettings, QSize, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import REASONS
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import Filters, query_terms
from desktop.core.text import count, dutch_date, is_web_url
from desktop.core.workspace.store import STATUS_LABELS, NoteEntry, Workspace
from desktop.ui import detail_html
from desktop.ui.browser import SafeBrowser
from desktop.ui.filter_panel import ANY_NOTE, FilterPanel
from desktop.ui.help import section_html
from desktop.ui.item_models import (
    ALL_KEY,
    COLUMNS,
    FOUND,
    KEY_ROLE,
    NAME,
    NOTE,
    TYPE,
    InterventionListModel,
    ModelTreeModel,
    NodeKey,
)
from desktop.ui.notes_panel import NotesPanel
from desktop.ui.panes import panes
from desktop.ui.results import ChipBar, HighlightDelegate
from desktop.ui.shortlist_panel import ShortlistPanel
from desktop.ui.tasks import show_message
from desktop.ui.window_notes import NotesController
from desktop.ui.window_planning import PlanningController
from desktop.ui.window_updates import UpdateController

if TYPE_CHECKING:  # the update code is imported when an update is started
    from desktop.core.updates.inspect import ImportPreview

SEARCH_DELAY_MS = 120
WARM_UP_DELAY_MS = 400  # the filters' sets are loaded this long after the first paint, a step per idle moment
NODE_WORDS = {"block": "Bouwsteen", "theme": "Thema", "cluster": "Factor", "unlinked": ""}


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
        self.startup_done = False  # the map is the start screen; later "all interventions" stays in the list
        self.closed = False  # closed by the user: timers set before no longer read the model
        self.expanded_types: set[str] = set()
        self.opened_urls: list[str] = []  # what was handed to the system browser
        self.orphans_dialog: QWidget | None = None
        self.conflicts_dialog: QWidget | None = None
        self.print_dialog: QWidget | None = None
        self.presentation: Any = None
        self.background: Any = None  # the Achtergrond window, made on first use
        self.updates = UpdateController(self)
        self.notes_io = NotesController(self)
        self.planning = PlanningController(self)
        self.setWindowTitle("Preventie van radicalisering en ongewenste polarisatie")  # Qt adds " — Bouwstenen"
        self.setMinimumSize(QSize(760, 520))
        self.setAcceptDrops(True)
        detail_html.configure(self.palette().color(QPalette.ColorRole.PlaceholderText).name())

        self._build_left()
        self._build_middle()
        self._build_right()
        self.browse = panes(Qt.Orientation.Horizontal, (self.middle, self.right), (3, 4))
        self._build_map()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.browse)
        self.stack.addWidget(self.start_page)
        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.setSpacing(0)
        work_layout.addWidget(self.search_bar)
        work_layout.addWidget(self.stack, 1)
        self.splitter = panes(Qt.Orientation.Horizontal, (self.left_splitter, work), (2, 7))
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff1c2; color: #000; padding: 6px; border-bottom: 1px solid #c99a2e")
        self.banner.setAccessibleName("Melding: alleen-lezen")
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._show_read_only()

        self.notes.setVisible(False)
        self._build_menus()
        self._build_status()
        self.list_model.set_note_marks(self._note_marks())
        self._restore_state()
        if not self.tree.currentIndex().isValid():  # restoring a tree selection has refreshed already
            self._refresh_list()
        QTimer.singleShot(0, self, self._first_counts)  # counts after the first paint, then the warm-up
        self._restore_intervention()
        if self.current_intervention is None and self.current_node == ALL_KEY:
            self.show_start()
        self.startup_done = True
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

    @staticmethod
    def _link_label(text: str, name: str, on_link: Any) -> QLabel:
        """A line of text with links that act inside the application (mouse and keyboard)."""
        label = QLabel(text)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        label.linkActivated.connect(on_link)
        return label

    def _build_left(self) -> None:
        repo = self.repo
        self.tree_model = ModelTreeModel(repo.tree(), repo.counts()["interventions"], self, repo.unlinked_count())
        self.tree = QTreeView()
        # header first: set after the model, each setting sizes the column from every row again (~6 ms)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Bouwstenen, thema's en beschermende factoren")
        self.tree.setAccessibleDescription("Kies een bouwsteen, thema of beschermende factor om de interventies "
                                           "daaronder te zien.")
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.selectionModel().currentChanged.connect(self._node_changed)
        self.filters = FilterPanel(repo.facets())
        self.filters.changed.connect(self.refresh)
        self.shortlists = ShortlistPanel(self.workspace, lambda iid: self.repo.row(iid) is not None)
        self.shortlists.open_intervention.connect(self.open_intervention)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(self.filters, "Filters")
        self.left_tabs.addTab(self.shortlists, "Werksets")
        self.left_tabs.setAccessibleName("Filters en werksets")
        self.left_splitter = panes(Qt.Orientation.Vertical, (self._titled("Bouwstenen", self.tree), self.left_tabs),
                                   (1, 1))

    def _build_middle(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek interventies, bijv. mediawijsheid (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Zoeken")
        self.search.setAccessibleDescription("Typ een woord; de lijst volgt elke letter. Enter gaat naar het eerste "
                                             "resultaat.")
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._refresh_counts)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._search_now)
        self.chips = ChipBar()
        self.list_model = InterventionListModel(self.repo, self)
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setAccessibleName("Interventies")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # no column sort at first: results stay in search order (best match first) until a header is clicked
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        self.table.viewport().installEventFilter(self)  # the name column follows the pane's width
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TYPE, 100)
        # small columns hold a few known values: sized once from those (ResizeToContents reads every row)
        metrics = self.fontMetrics()
        values = {2: ("?", "5"), 3: ("onbekend", "ja", "nee"), 4: ("onbekend", "ja", "nee"),
                  NOTE: ("notitie", *STATUS_LABELS.values())}
        for col, texts in values.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            widest = max(metrics.horizontalAdvance(t) for t in (*texts, COLUMNS[col]))
            header.resizeSection(col, widest + 18)
        header.setSectionResizeMode(FOUND, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FOUND, 260)
        header.setStretchLastSection(False)
        header.moveSection(FOUND, TYPE)  # "Gevonden in" right after the name, where it is seen
        self.table.setColumnHidden(FOUND, True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.delegate = HighlightDelegate(self.table)
        self.table.setItemDelegateForColumn(NAME, self.delegate)
        self.table.setItemDelegateForColumn(FOUND, self.delegate)
        self.table.selectionModel().currentRowChanged.connect(self._intervention_changed)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setContentsMargins(24, 24, 24, 24)
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Aantal resultaten")
        # the words typed also occur in the background texts or the organisations
        self.background_hits = self._link_label("", "Ook gevonden", self._elsewhere_link)
        self.search_bar = QWidget()
        sv = QVBoxLayout(self.search_bar)
        sv.setContentsMargins(4, 4, 4, 0)
        sv.addWidget(self.search)
        sv.addWidget(self.chips)
        self.middle = QWidget()
        mv = QVBoxLayout(self.middle)
        mv.setContentsMargins(4, 0, 4, 4)
        counts = QHBoxLayout()
        counts.addWidget(self.result_label, 1)
        counts.addWidget(self.background_hits)
        mv.addLayout(counts)
        mv.addWidget(self.table, 1)
        mv.addWidget(self.empty_label, 1)

    def _build_right(self) -> None:
        self.detail = SafeBrowser()
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
        self.notes.buttons.insertWidget(2, self.add_to_list)
        self.right = panes(Qt.Orientation.Vertical, (self.detail, self.notes), (3, 2))
        self.notes.setMinimumHeight(120)

    def _build_map(self) -> None:
        from desktop.core.search.overview import model_overview
        from desktop.ui.model_map import ModelMapPanel

        self.map_panel = ModelMapPanel(model_overview(self.repo))
        self.map_panel.export_folder = self.export_folder()
        self.map_panel.view.cluster_activated.connect(lambda cid: self.select_node(("cluster", cid)))
        self.map_panel.view.block_activated.connect(lambda bid: self.select_node(("block", bid)))
        # the start page: a line of ways in above the picture of the model
        self.start_links = self._link_label(
            "Voor uw lokale aanpak: <a href=\"quickscan\">Quickscan invullen</a> · <a href=\"plan\">Een plan "
            "maken</a> · <a href=\"organisaties\">Organisaties en praktijkvoorbeelden</a> · "
            "<a href=\"achtergrond\">Achtergrond</a>", "Aan de slag", self._start_link)
        self.start_links.setWordWrap(True)
        self.start_links.setContentsMargins(6, 4, 6, 2)
        self.start_page = QWidget()
        start_layout = QVBoxLayout(self.start_page)
        start_layout.setContentsMargins(0, 0, 0, 0)
        start_layout.setSpacing(0)
        start_layout.addWidget(self.start_links)
        start_layout.addWidget(self.map_panel, 1)
        self.map_panel.exported.connect(lambda path: self.statusBar().showMessage(f"Overzicht opgeslagen: {path}",
                                                                                  8000))

    def show_map(self) -> None:
        """Beeld › Overzicht van het model: the picture of the model (also the start screen)."""
        self.stack.setCurrentWidget(self.start_page)
        self.map_panel.view.fit()

    def _start_link(self, link: str) -> None:
        if link == "quickscan":
            self.planning.show_quickscan()
        elif link == "plan":
            self.planning.show_plan()
        elif link == "organisaties":
            self.planning.show_organisations()
        elif link == "achtergrond":
            self.show_background()

    def show_browse(self) -> None:
        self.stack.setCurrentWidget(self.browse)

    def _action(self, menu: QMenu, text: str, slot: Any,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Bestand")
        self.update_action = self._action(
            file_menu, "Model &bijwerken…", self.updates.update_model, "Ctrl+O",
            "Een nieuw gepubliceerd model inlezen (.xlsx of .sqlite); u ziet eerst wat er verandert")
        self.rollback_action = self._action(file_menu, "&Vorige versie terugzetten…", self.updates.rollback)
        self._action(file_menu, "&Geschiedenis van het model…", self.updates.show_history)
        file_menu.aboutToShow.connect(lambda: self.rollback_action.setEnabled(self.updates.can_roll_back()))
        file_menu.addSeparator()
        self._action(file_menu, "&Afdrukken…", self.print_shown, QKeySequence.StandardKey.Print,
                     "Afdrukken wat u ziet: de interventie, beschermende factor of bouwsteen")
        self._action(file_menu, "Exporteren als &PDF…", self.export_shown_pdf, "Ctrl+Shift+P",
                     "Wat u ziet opslaan als PDF")
        self._action(file_menu, "&Resultatenlijst afdrukken…", self.print_results)
        self._action(file_menu, "&Werkset afdrukken…", self.print_werkset)
        file_menu.addSeparator()
        self._action(file_menu, "Model exporteren als &JSON…", self._export_json)
        file_menu.addSeparator()
        self._action(file_menu, "&Afsluiten", self.close, QKeySequence.StandardKey.Quit)
        self.file_menu = file_menu

        edit = bar.addMenu("Be&werken")
        self._action(edit, "&Zoeken", self.focus_search, QKeySequence.StandardKey.Find)
        self._action(edit, "Alle filters &wissen", self.clear_all, "Ctrl+Shift+W")

        view = bar.addMenu("Beel&d")
        self._action(view, "&Overzicht van het model", self.show_map, "Ctrl+0",
                     "De zes bouwstenen met hun thema's en beschermende factoren als één plaat")
        self._action(view, "&Achtergrond…", self.show_background, "Ctrl+Shift+A",
                     "Wat de andere bronnen zeggen over veerkracht, risico- en triggerfactoren en aanbevelingen")
        self._action(view, "&Presentatiemodus", self.start_presentation, "F5",
                     "Volledig scherm voor een training; Esc om te stoppen. Uw notities worden nooit getoond.")
        view.addSeparator()
        for text, shortcut, slot in (
            ("&Bouwstenen", "Ctrl+1", self.tree.setFocus),
            ("&Interventielijst", "Ctrl+2", self._focus_list),
            ("&Details", "Ctrl+3", self._focus_details),
            ("&Filters", "Ctrl+4", self._focus_filters),
            ("&Werksets", "Ctrl+5", self._focus_shortlists),
        ):
            self._action(view, text, slot, shortcut)
        view.addSeparator()
        self._action(view, "Alles &uitklappen", self.tree.expandAll)
        self._action(view, "Alles &inklappen", self.tree.collapseAll)
        self.view_menu = view

        approach = bar.addMenu("&Aanpak")
        self._action(approach, "&Quickscan lokale aanpak…", self.planning.show_quickscan, None,
                     "Waar staat uw gemeente? Vraag voor vraag, met de toelichting")
        self._action(approach, "&Plan…", lambda: self.planning.show_plan(), "Ctrl+Shift+L",
                     "Kies de beschermende factoren die u wilt versterken; zie wat ze dekt en waar gaten zitten")
        self.add_to_plan_action = self._action(
            approach, "Deze beschermende factor aan het plan &toevoegen", self.planning.add_shown_factor_to_plan,
            None, "De beschermende factor die links gekozen is")
        approach.addSeparator()
        self._action(approach, "&Organisaties en praktijkvoorbeelden…", lambda: self.planning.show_organisations(),
                     None, "Kennis- en adviesorganisaties en goede voorbeelden uit de praktijk")
        approach.addSeparator()
        self._action(approach, "&Meld aan de redactie…", lambda: self.planning.report_to_editors(), None,
                     "Verouderde of ontbrekende informatie, een kapotte link, of een nieuwe interventie voorstellen")
        approach.aboutToShow.connect(
            lambda: self.add_to_plan_action.setEnabled(self.current_node[0] == "cluster"))
        self.approach_menu = approach

        notes_menu = bar.addMenu("&Notities")
        self.new_note_action = self._action(notes_menu, "&Nieuwe notitie bij deze interventie", self.notes.new_entry)
        self._action(notes_menu, "Nieuwe &werkset…", self._new_shortlist)
        notes_menu.addSeparator()
        self._action(notes_menu, "Notities en werksets &exporteren…", self.notes_io.export)
        self.import_notes_action = self._action(notes_menu, "Notities en werksets &importeren…", self.notes_io.import_)
        notes_menu.addSeparator()
        self._action(notes_menu, "&Conflicten nakijken…", self.notes_io.show_conflicts)
        self.orphans_action = self._action(notes_menu, "Interventies niet meer in het &model…",
                                           self.notes_io.show_orphans)
        self._action(notes_menu, "Nu een &reservekopie maken", self.notes_io.backup_now)
        self.notes_menu = notes_menu

        self.help_menu = bar.addMenu("&Help")
        self._action(self.help_menu, "&Handleiding", self.show_help, QKeySequence.StandardKey.HelpContents)
        self._action(self.help_menu, "&Sneltoetsen", lambda: self.show_help("Sneltoetsen"))
        self._action(self.help_menu, "De &effectladder", self.show_effectladder)
        self._action(self.help_menu, "&Wat is er nieuw", self._whats_new_again)
        self._action(self.help_menu, "&Over Bouwstenen", self._about)
        for action in (self.update_action, self.rollback_action, self.new_note_action, self.import_notes_action):
            action.setEnabled(action.isEnabled() and not self.workspace.read_only)

    def _build_status(self) -> None:
        self.model_label = QLabel()
        self.model_label.setAccessibleName("Modelversie")
        self.statusBar().addPermanentWidget(self.model_label)
        self._show_model_version()

    def _show_model_version(self) -> None:
        from desktop.core.updates.staleness import stale_message

        version = self.meta.get("model_version", "?")
        text = f"Model versie {version} · gepubliceerd {dutch_date(self.meta.get('published'))}"
        stale = stale_message(self.meta.get("published"), dt.date.today())
        if stale:
            text = f"⚠ {text} — verouderd"
            self.model_label.setStyleSheet("font-weight: bold")
            self.model_label.setToolTip(stale)
        else:
            self.model_label.setStyleSheet("")
            self.model_label.setToolTip("")
        self.model_label.setText(text)

    def _show_read_only(self) -> None:
        reason = self.workspace.read_only_reason if self.workspace.read_only else None
        if reason is None:
            self.banner.setVisible(False)
            return
        self.banner.setText(f"<b>Alleen-lezen:</b> {escape(REASONS.get(reason, reason))}. U kunt zoeken en uw "
                            "notities lezen, maar niets wijzigen. Start Bouwstenen opnieuw als het probleem is "
                            "opgelost.")
        self.banner.setVisible(True)

    # --- state ------------------------------------------------------------------------------
    def _screen_key(self) -> str:
        screen = QGuiApplication.primaryScreen()
        size = screen.availableGeometry().size() if screen is not None else QSize(0, 0)
        return f"{size.width()}x{size.height()}"

    def _restore_state(self) -> None:
        key = self._screen_key()
        geometry = self.settings.value(f"window/geometry@{key}")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            restored = True
        else:
            restored = False
            self._first_size()
        for name, splitter in (("splitter", self.splitter), ("left", self.left_splitter), ("right", self.right)):
            state = self.settings.value(f"window/{name}@{key}") if restored else None
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        node = self.settings.value("selection/node")
        if isinstance(node, str) and ":" in node:
            kind, node_id = node.split(":", 1)
            self.select_node((kind, node_id))

    def _first_size(self) -> None:
        """The first start fits the screen it opens on, from 1024×768 to 4K."""
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width = min(1600, int(available.width() * 0.94)) if available is not None else 1280
        height = min(1000, int(available.height() * 0.92)) if available is not None else 760
        self.resize(width, height)
        if available is not None:
            self.move(available.left() + (available.width() - width) // 2,
                      available.top() + (available.height() - height) // 2)
        self._proportions(width, height)

    def _proportions(self, width: int, height: int) -> None:
        left = max(220, int(width * 0.25))
        work = max(400, width - left)
        self.splitter.setSizes([left, work])
        self.browse.setSizes([int(work * 0.5), work - int(work * 0.5)])
        self.right.setSizes([int(height * 0.55), int(height * 0.45)])

    def _restore_intervention(self) -> None:
        intervention = self.settings.value("selection/intervention")
        row = self.list_model.row_of(intervention) if isinstance(intervention, str) else -1
        if row >= 0:
            self.table.selectRow(row)

    def save_state(self) -> None:
        key = self._screen_key()
        self.settings.setValue(f"window/geometry@{key}", self.saveGeometry())
        self.settings.setValue(f"window/splitter@{key}", self.splitter.saveState())
        self.settings.setValue(f"window/left@{key}", self.left_splitter.saveState())
        self.settings.setValue(f"window/right@{key}", self.right.saveState())
        self.settings.setValue("selection/node", f"{self.current_node[0]}:{self.current_node[1]}")
        self.settings.setValue("selection/intervention", self.current_intervention or "")
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.planning.close_all():  # a plan or quickscan that cannot be saved asks first
            event.ignore()
            return
        if self.notes.has_unsaved() and not self.notes.retry() and not self.quiet:
            if not self._confirm_close_unsaved():
                event.ignore()
                return
        self.save_state()
        self.search_timer.stop()  # nothing reads the model after the window is gone
        self.closed = True
        super().closeEvent(event)

    def _confirm_close_unsaved(self) -> bool:
        error = self.notes.last_error
        box = QMessageBox(QMessageBox.Icon.Warning, "Niet opgeslagen tekst",
                          f"Een deel van uw notities is nog niet opgeslagen: {error or 'het bewaren lukt niet'}\n\n"
                          "Als u nu afsluit, gaat die tekst verloren. U kunt hem eerst naar het klembord kopiëren.",
                          QMessageBox.StandardButton.NoButton, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        retry = box.addButton("Opnieuw proberen", QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton("Kopiëren en afsluiten", QMessageBox.ButtonRole.DestructiveRole)
        discard = box.addButton("Afsluiten zonder opslaan", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is retry:
            return self.notes.retry()
        if clicked is copy:
            self.notes.copy_unsaved()
            return True
        return clicked is discard

    # --- search and filters -----------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_list(self) -> None:
        """Beeld › Interventielijst: from the start screen too (a hidden list cannot take the focus)."""
        self.show_browse()
        self.table.setFocus()

    def _focus_details(self) -> None:
        self.show_browse()
        self.detail.setFocus()

    def _focus_filters(self) -> None:
        self.left_tabs.setCurrentWidget(self.filters)
        self.filters.setFocus()

    def _focus_shortlists(self) -> None:
        self.left_tabs.setCurrentWidget(self.shortlists)
        self.shortlists.lists.setFocus()

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
        self.show_browse()
        self._refresh_list()
        self.search_timer.start()

    def refresh(self) -> None:
        """Run the search with the text, filters and tree selection; update list, counts, chips."""
        self.search_timer.stop()
        self._refresh_list()
        if self.startup_done:  # while the window is built (a restored selection) they come once, after the paint
            self._refresh_counts()

    def _refresh_counts(self) -> None:
        text, filters = self.search.text(), self.current_filters()
        facet_counts, flag_counts = self.repo.counts_for(text, filters)
        self.filters.update_counts(facet_counts, flag_counts)
        self._update_note_counts(text, filters)
        self._update_background_hits(text)

    def _update_background_hits(self, text: str) -> None:
        """The words typed also occur outside the interventions: say where, as links."""
        texts = entries = 0
        if query_terms(text):  # (imported on the first search: a start without text needs neither)
            from desktop.core.planning.directory import search_directory
            from desktop.core.search.background import search_background

            texts, entries = len(search_background(self.repo, text)), len(search_directory(self.repo, text))
        links = []
        if texts:
            links.append(f'<a href="achtergrond">{count(texts, "achtergrondtekst", "achtergrondteksten")}</a>')
        if entries:
            found = count(entries, "organisatie of praktijkvoorbeeld", "organisaties en praktijkvoorbeelden")
            links.append(f'<a href="organisaties">{found}</a>')
        self.background_hits.setVisible(bool(links))
        if links:
            self.background_hits.setText("Ook gevonden: " + " · ".join(links))

    def _elsewhere_link(self, link: str) -> None:
        if link == "organisaties":
            self.planning.show_organisations()
            assert self.planning.organisations is not None
            self.planning.organisations.search.setText(self.search.text())
        else:
            self.show_background(query=self.search.text())

    def _update_note_counts(self, text: str, filters: Filters) -> None:
        by_status = self.workspace.ids_by_status()  # one query for all the counts
        self.filters.update_note_counts(self.repo.index.note_counts(text, filters, by_status))

    def _refresh_list(self) -> None:
        text = self.search.text()
        filters = self.current_filters()
        ids = self.repo.search(text, filters)
        terms = query_terms(text)
        self.delegate.terms = terms
        keep = self.current_intervention
        self.list_model.set_ids(ids, terms)
        self._columns_for(bool(terms))
        self._update_chips()
        total = len(ids)
        where = ""
        if self.current_node != ALL_KEY:
            where = f" in {NODE_WORDS.get(self.current_node[0], '').lower()} " \
                    f"‘{self.tree_model.label_of(self.current_node)}’".replace("  ", " ")
        self.result_label.setText(f"{count(total, 'interventie', 'interventies')}{where}")
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
            elif self._shown == keep:
                self._not_in_results(keep)

    def _columns_for(self, searching: bool) -> None:
        """While searching, 'Gevonden in' shows why each result was found; the name keeps room to be read."""
        if searching == (not self.table.isColumnHidden(FOUND)):
            return
        self.table.setColumnHidden(FOUND, not searching)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """The name (and while searching 'Gevonden in') share what the small columns leave of the pane.

        Set as widths, not as a stretched column: in a narrow pane the row is wider than the pane and a
        stretched column would shrink to nothing. Runs when searching starts or stops and on resizing."""
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(self.list_model.columnCount())
                     if c not in (NAME, FOUND) and not self.table.isColumnHidden(c))
        room = self.table.viewport().width() - others
        if self.table.isColumnHidden(FOUND):
            header.resizeSection(NAME, max(180, room))
        else:
            name = max(150, int(room * 0.42))
            header.resizeSection(NAME, name)
            header.resizeSection(FOUND, max(200, room - name))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _not_in_results(self, intervention_id: str) -> None:
        """The detail pane follows the results: an intervention that dropped out says so."""
        row = self.repo.row(intervention_id)
        name = row.name if row is not None else intervention_id
        self.detail.setHtml(
            detail_html.STYLE + "<h2>Niet in de resultaten</h2>"
            f"<p>‘{escape(name)}’ past niet bij de huidige zoekopdracht, selectie of filters. Kies een interventie in "
            f"de lijst, of {detail_html.internal('show', intervention_id, 'toon haar toch')}.</p>")
        self._shown = None
        self.current_intervention = None
        self.notes.set_intervention(None, "")
        self.notes.setVisible(False)

    def _empty_text(self, text: str, filters: Filters) -> str:
        if self.current_node[0] == "cluster" and not text.strip() and filters.is_empty():
            return "Geen voorbeeldinterventies bij deze factor — een lacune in het model."
        where = " in deze selectie" if self.current_node != ALL_KEY else ""
        if text.strip():
            return (f"Geen interventies gevonden voor ‘{text.strip()}’{where}. Probeer een korter woord, verwijder "
                    "de selectie of wis de filters.")
        return "Geen interventies met deze selectie. Wis een filter of kies ‘Alle interventies’."

    def _update_chips(self) -> None:
        chips: list[tuple[str, str, Any]] = []
        if self.current_node != ALL_KEY:
            word = NODE_WORDS.get(self.current_node[0], "")
            label = self.tree_model.label_of(self.current_node)
            chips.append((f"In: {word} {label}".replace("  ", " "), "De zoekopdracht werkt alleen in deze selectie",
                          lambda: self.select_node(ALL_KEY)))
        for key, value, label in self.filters.active():
            chips.append((label, "Filter", lambda k=key, v=value: self.filters.remove(k, v)))
        self.chips.set_chips(chips, self.clear_all)

    def clear_all(self) -> None:
        self.search.clear()
        if self.current_node != ALL_KEY:
            self.select_node(ALL_KEY)
        self.filters.clear()

    def select_node(self, key: NodeKey) -> None:
        index = self.tree_model.index_of(key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _node_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else ALL_KEY
        if self.startup_done and not previous.isValid() and (tuple(key) if key else ALL_KEY) == self.current_node:
            return  # the tree got its first current row on focus: the node already shown, nothing to redo
        self.current_node = tuple(key) if key else ALL_KEY
        self.current_intervention = None
        self.notes.set_intervention(None, "")
        self.notes.setVisible(False)
        self.table.clearSelection()
        self.refresh()
        if self.current_node != ALL_KEY:
            self.show_browse()
        if self.current_node == ALL_KEY:
            self.show_start()
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

    # --- the detail pane --------------------------------------------------------------------
    def show_intervention(self, intervention_id: str) -> None:
        detail = self.repo.intervention(intervention_id)
        if detail is None:
            return
        self.show_browse()
        self.current_intervention = intervention_id
        self._shown = intervention_id
        self.detail.setHtml(detail_html.intervention_html(detail, self.expanded_types, query_terms(self.search.text())))
        if self.notes.intervention_id != intervention_id:
            self.notes.set_intervention(intervention_id, detail.name)
        if not self.notes.isVisible():
            self.notes.setVisible(True)

    def show_effectladder(self) -> None:
        levels = [(lv.trede, lv.name, lv.explanation) for lv in self.repo.effectladder()]
        self.detail.setHtml(detail_html.effectladder_html(levels, self.repo.text("effectladder_intro"),
                                                          self.repo.text("trede_note")))
        self._shown = None
        self.show_browse()

    def show_start(self) -> None:
        """The start screen: the welcome text in the detail pane, and the picture of the model."""
        self._shown = None
        if self.startup_done is False:
            self.show_map()
        self.detail.setHtml(
            detail_html.welcome_html(self.meta.get("model_version", "?"), dutch_date(self.meta.get("published")),
                                     self.repo.counts()["interventions"], self.repo.text("model_purpose"),
                                     self.repo.text("selection_note")))

    def show_help(self, section: str | None = None) -> None:
        """F1: the part of the manual for the pane that has focus (or the section asked for)."""
        if section is None:
            section = self._help_section()
        self.detail.setHtml(detail_html.STYLE + section_html(section))
        self._shown = None
        self.show_browse()

    def _help_section(self) -> str | None:
        widget = QApplication.focusWidget()
        while widget is not None:
            if widget is self.tree:
                return "Boom"
            if widget in (self.search, self.table):
                return "Zoeken"
            if widget is self.filters or (widget is self.left_tabs and self.left_tabs.currentWidget() is self.filters):
                return "Filters"
            if widget is self.detail:
                return "Details"
            if widget is self.notes:
                return "Notities"
            if widget is self.shortlists:
                return "Werksets"
            widget = widget.parentWidget()
        return None

    def show_whats_new(self, preview: ImportPreview) -> None:
        """After an update: what changed, in plain Dutch (also under Help › Wat is er nieuw)."""
        from desktop.core.updates.describe import describe_preview

        lines = describe_preview(preview, limit=200)[1:]
        html = ["<h1>Wat is er nieuw</h1>", f"<p>Het model is bijgewerkt naar versie "
                f"{escape(preview.new_meta.get('model_version', '?'))}. Uw notities en werksets zijn bewaard.</p>",
                "<ul>"]
        html += [f"<li>{escape(line.strip())}</li>" for line in lines if line.strip()]
        html.append("</ul>")
        self.whats_new_html = detail_html.STYLE + "".join(html)
        self.detail.setHtml(self.whats_new_html)
        self._shown = None
        self.show_browse()

    def _whats_new_again(self) -> None:
        html = getattr(self, "whats_new_html", None)
        if html is None:
            html = detail_html.STYLE + ("<h1>Wat is er nieuw</h1><p>U hebt het model in deze sessie niet bijgewerkt. "
                                        "Bestand › Geschiedenis van het model… toont alle updates.</p>")
        self.detail.setHtml(html)
        self._shown = None

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
            elif kind in ("show", "intervention"):
                self.open_intervention(target)
            else:
                self.open_related(kind, target)
            return
        text = url.toString()
        if url.scheme() in ("http", "https") and is_web_url(text):
            self.opened_urls.append(text)
            QDesktopServices.openUrl(url)
        else:
            self.statusBar().showMessage("Deze link wordt niet geopend: alleen http- en https-adressen.", 6000)

    def open_related(self, kind: str, target: str) -> None:
        """Background texts, organisations and practice examples linked from a bouwsteen or factor."""
        if kind == "background":
            self.show_background(target)
        elif kind in ("organisation", "practice"):
            self.planning.show_organisations(target)
        elif kind == "add-to-plan":
            self.planning.show_plan(target)
        elif kind in ("feedback-intervention", "feedback-cluster"):
            self.planning.report_to_editors(kind.split("-", 1)[1], target)
        else:
            self.statusBar().showMessage("Deze link wordt niet herkend.", 4000)

    def show_background(self, topic_id: str | None = None, query: str | None = None) -> None:
        """Beeld › Achtergrond…: the background texts in their own window."""
        from desktop.ui.background_view import BackgroundWindow

        if self.background is None:
            self.background = BackgroundWindow(self.repo, self)
            self.background.link_activated.connect(self._background_link)
            self.background.resize(self.background.sizeHint())
        if topic_id:
            self.background.show_topic(topic_id)
        else:
            if query is not None:
                self.background.search.setText(query)
                self.background.refresh()
            self.background.show()
            self.background.raise_()
            self.background.activateWindow()

    def _background_link(self, url: QUrl) -> None:
        self.raise_()
        self.activateWindow()
        self._anchor_clicked(url)

    # --- notes and werksets -----------------------------------------------------------------
    def open_intervention(self, intervention_id: str) -> None:
        """Show an intervention, e.g. from a werkset (also when it is outside the current list)."""
        if self.repo.row(intervention_id) is None:
            self.statusBar().showMessage("Deze interventie staat niet meer in het model; uw notities zijn bewaard.",
                                         6000)
            return
        row = self.list_model.row_of(intervention_id)
        if row < 0:
            self.search.clear()
            self.filters.clear()
            self.select_node(ALL_KEY)
            row = self.list_model.row_of(intervention_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.list_model.index(row, 0))
        self.show_intervention(intervention_id)

    def _notes_changed(self) -> None:
        self.list_model.set_note_marks(self._note_marks())
        self._update_note_counts(self.search.text(), self.current_filters())

    def notes_changed_elsewhere(self) -> None:
        """After an import or a dialog changed notes and werksets: show them anew."""
        self.shortlists.reload()
        self._notes_changed()
        if self.current_intervention:
            self.notes.set_intervention(self.current_intervention, self.notes.intervention_name)

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
        if self.current_intervention is None or not self.may_write("Aan een werkset toevoegen"):
            return
        if shortlist_id is None:
            shortlist_id = self.shortlists.create_shortlist()
            if shortlist_id is None:
                return
        row = self.repo.row(self.current_intervention)
        if row is None:
            return
        added = self.shortlists.add(shortlist_id, self.current_intervention, row.name)
        list_name = next((s.name for s in self.workspace.shortlists() if s.id == shortlist_id), "")
        self.statusBar().showMessage(
            f"‘{row.name}’ toegevoegd aan werkset ‘{list_name}’." if added else f"‘{row.name}’ staat al in "
            f"‘{list_name}’.", 5000)

    def _new_shortlist(self) -> None:
        if not self.may_write("Een werkset maken"):
            return
        self.left_tabs.setCurrentWidget(self.shortlists)
        self.shortlists.create_shortlist()

    def orphaned_entries(self) -> list[NoteEntry]:
        return self.workspace.orphaned_entries(self.repo.known_ids(self.workspace.noted_ids()))

    def _announce(self) -> None:
        """Tell the user once at start what needs attention (recovery, read-only, notes without intervention)."""
        if not self.quiet:
            for message in self.startup_messages:
                QTimer.singleShot(0, lambda m=message: show_message(self, "Bouwstenen", m, QMessageBox.Icon.Warning))
        orphans = self.orphaned_entries()
        if orphans:
            self.statusBar().showMessage(
                f"{count(len(orphans), 'notitie hoort', 'notities horen')} bij interventies die niet meer in het model "
                "staan: zie Notities › Interventies niet meer in het model.", 15000)
        if self.workspace.conflicts():
            self.statusBar().showMessage("Sommige notities hebben twee versies: zie Notities › Conflicten nakijken.",
                                         15000)

    # --- printing and presenting ------------------------------------------------------------
    def shown_report(self) -> Any:
        """The printable document for what the window shows: an intervention, a factor or a bouwsteen."""
        from desktop.core.reports.documents import block_report, factor_report, intervention_report, results_report

        if self.current_intervention is not None and self.stack.currentWidget() is self.browse:
            return intervention_report(self.repo, self.current_intervention)
        kind, node_id = self.current_node
        if kind == "cluster":
            return factor_report(self.repo, node_id)
        if kind == "block":
            return block_report(self.repo, node_id)
        if kind == "theme":
            node = self.repo.node("theme", node_id)
            if node is not None:
                return block_report(self.repo, node.block_id)
        return results_report(self.repo, self.list_model.ids(), self.results_description())

    def results_description(self) -> str:
        parts = []
        if self.search.text().strip():
            parts.append(f"zoekterm ‘{self.search.text().strip()}’")
        if self.current_node != ALL_KEY:
            parts.append(f"{NODE_WORDS.get(self.current_node[0], '').lower()} "
                         f"‘{self.tree_model.label_of(self.current_node)}’")
        filters = [label for _k, _v, label in self.filters.active()]
        if filters:
            parts.append("filters: " + ", ".join(filters))
        return ("Selectie: " + " · ".join(parts)) if parts else "Alle interventies"

    def _footer(self) -> str:
        from desktop.core.reports import footer_text

        return footer_text(self.meta)

    def print_shown(self) -> None:
        """Bestand › Afdrukken… (Ctrl+P): a print preview of what is shown (A4, Dutch, page numbers)."""
        from desktop.ui.printing import print_report

        self.print_dialog = print_report(self, self.shown_report(), self._footer())

    def print_results(self) -> None:
        from desktop.core.reports.documents import results_report
        from desktop.ui.printing import print_report

        self.print_dialog = print_report(self, results_report(self.repo, self.list_model.ids(),
                                                              self.results_description()), self._footer())

    def print_werkset(self) -> None:
        """The werkset open on the Werksets tab, with or without the user's own notes."""
        from desktop.core.reports.documents import werkset_report
        from desktop.ui.printing import print_report

        shortlist = self.shortlists.current_list()
        if shortlist is None:
            self.told("Werkset afdrukken", "Er is nog geen werkset. Maak er een op het tabblad Werksets.")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Werkset afdrukken",
                          "Uw eigen notities bij de interventies meedrukken?", QMessageBox.StandardButton.NoButton,
                          self)
        with_notes = box.addButton("Met mijn notities", QMessageBox.ButtonRole.YesRole)
        without = box.addButton("Zonder notities", QMessageBox.ButtonRole.NoRole)
        box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(without)
        box.exec()
        if box.clickedButton() not in (with_notes, without):
            return
        report = werkset_report(self.repo, self.workspace, shortlist, box.clickedButton() is with_notes)
        self.print_dialog = print_report(self, report, self._footer())

    def export_shown_pdf(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from desktop.ui.printing import export_pdf
        from desktop.ui.tasks import run_task

        report = self.shown_report()
        safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in report.title).strip() or "bouwstenen"
        path, _ = QFileDialog.getSaveFileName(self, "Exporteren als PDF", str(self.export_folder() / f"{safe}.pdf"),
                                              "PDF-document (*.pdf)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        pages = export_pdf(report, target, self._footer())
        run_task(self, "PDF", lambda _r, _c: pages,
                 lambda n: self.statusBar().showMessage(f"PDF opgeslagen ({count(n, 'pagina', 'pagina’s')}): "
                                                        f"{target}", 8000), show_progress=False)

    def start_presentation(self) -> None:
        """Beeld › Presentatiemodus (F5): full screen for a training room; never the user's notes."""
        from desktop.ui.presentation import PresentationWindow

        start = self.current_node if self.current_node[0] in ("block", "theme", "cluster") else None
        self.presentation = PresentationWindow(self.repo, start=start)
        self.presentation.closed.connect(self._presentation_closed)
        self.presentation.present(self.screen())

    def _presentation_closed(self) -> None:
        self.presentation = None
        self.activateWindow()

    # --- model updates ---------------------------------------------------------------------
    def update_model(self, path: Path | None = None) -> None:
        self.updates.update_model(path)

    def detach_model(self) -> None:
        """Close the model file (on the GUI thread) just before an update replaces it."""
        if self.presentation is not None:
            self.presentation.close()
        self.planning.detach()
        if self.background is not None:
            self.background.hide()
            self.background.deleteLater()
            self.background = None
        self.repo.close()

    def may_write(self, what: str) -> bool:
        if not self.workspace.read_only:
            return True
        self.told(what, "Bouwstenen werkt nu alleen-lezen: uw gegevensmap kan niet worden beschreven. Er is niets "
                        "gewijzigd.")
        return False

    def told(self, title: str, text: str) -> None:
        if not self.quiet:
            show_message(self, title, text)

    def export_folder(self) -> Path:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = event.mimeData()
        if data.hasUrls() and self.updates.dropped_model(data.urls()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        path = self.updates.dropped_model(data.urls()) if data.hasUrls() else None
        if path is not None:
            event.acceptProposedAction()
            self.updates.drop(path)

    def _first_counts(self) -> None:
        if not self.closed:  # a window closed at once has nothing to count (its model may be closed too)
            self._refresh_counts()
            # timed from here, not from the window's construction: on a slow laptop (or under valgrind) the
            # warm-up must not find its delay over before the first paint and load with it
            QTimer.singleShot(WARM_UP_DELAY_MS, self, self._warm_up)

    def _warm_up(self) -> None:
        """Load the filters' sets of the model in small steps while nothing else happens: the first filter,
        node or pause in typing then needs no loading (~150 ms with 30,000 interventions)."""
        steps = self.repo.index.warm_up_steps()
        repo = self.repo

        def next_step() -> None:
            # closed, or a model update meanwhile (its own index loads when used): nothing more to do
            if steps and self.repo is repo and not self.closed:
                steps.pop(0)()
                QTimer.singleShot(0, self, next_step)

        next_step()

    def reload_model(self) -> None:
        """Open the active model again (after an update or rollback) and rebuild what shows it."""
        from desktop.core import paths
        from desktop.core.errors import ExpectedError

        self.save_state()
        try:
            repo = ModelRepository.open(paths.active_model_path(self.data_dir))
        except ExpectedError as exc:
            show_message(self, "Model openen", f"Het model kan niet worden geopend: {exc}", QMessageBox.Icon.Critical)
            return
        old, self.repo = self.repo, repo
        self.meta = repo.meta()
        if not self.workspace.read_only:
            try:
                self.workspace.sync_names({r.id: r.name for r in repo.rows(repo.all_ids())})
            except ExpectedError:
                pass  # the names are a convenience copy; the notes themselves are safe
        self.tree_model = ModelTreeModel(repo.tree(), repo.counts()["interventions"], self, repo.unlinked_count())
        self.tree.setModel(self.tree_model)
        self.tree.selectionModel().currentChanged.connect(self._node_changed)
        self.list_model.set_repository(repo)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.list_model.clear_sort()
        index = self.left_tabs.indexOf(self.filters)
        self.left_tabs.removeTab(index)
        self.filters.deleteLater()
        self.filters = FilterPanel(repo.facets())
        self.filters.changed.connect(self.refresh)
        self.left_tabs.insertTab(index, self.filters, "Filters")
        self.left_tabs.setCurrentIndex(index)
        self.shortlists.reload()
        self.list_model.set_note_marks(self._note_marks())
        self.current_node, self.current_intervention, self._shown = ALL_KEY, None, None
        self.notes.set_intervention(None, "")
        self.notes.setVisible(False)
        self._show_model_version()
        from desktop.core.search.overview import model_overview

        self.map_panel.set_overview(model_overview(repo))
        if self.background is not None:
            self.background.set_repository(repo)
        self.planning.attach()
        self.refresh()
        self.show_start()
        try:
            old.close()
        except Exception:  # noqa: S110 - it may be closed already (before the swap)
            pass

    def _export_json(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from desktop.ui.tasks import run_task

        path, _ = QFileDialog.getSaveFileName(self, "Model exporteren", str(self.export_folder() /
                                              "bouwstenenmodel.json"), "JSON (*.json)")
        if not path:
            return
        target, model_path = Path(path), self.repo.path

        def work(_report: Any, _cancelled: Any) -> Path:
            import json

            from desktop.core.errors import ExpectedError, storage_reason
            from desktop.core.model.json_codec import model_document

            assert model_path is not None
            with ModelRepository.open(model_path) as repo:
                document = model_document(repo.model())
            try:
                target.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
            except OSError as exc:
                raise ExpectedError(f"‘{target.name}’ kan niet worden geschreven: {REASONS[storage_reason(exc)]}.") \
                    from exc
            return target

        run_task(self, "Model exporteren", work,
                 lambda _r: self.statusBar().showMessage(f"Model geëxporteerd naar {target}", 6000))

    def _about(self) -> None:
        """Help › Over Bouwstenen: versions, where the data is, the licences, the install guide."""
        from desktop.ui.about import AboutDialog

        self.about_box = AboutDialog(self, self.meta, self.data_dir)
        self.about_box.open()
