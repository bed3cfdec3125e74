"""Plan a local approach: choose the beschermende factoren to strengthen, see what covers them and the gaps.

Left: every factor of the model (bouwsteen › thema › factor) with a checkbox and its number of
interventions. Right: the chosen factors with "waarom", the coverage matrix (interventions × chosen
factors with trede, nu aangeboden and the user's own note status), the gaps, and the risk factors of
the chosen factors' bouwstenen with the report's warning. The window keeps the plan as shown; saving
is immediate and a failed save keeps everything in the window (with a warning and "Opnieuw opslaan").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import ExpectedError
from desktop.core.planning.coverage import GAP_LABELS, GAP_SHORT, Coverage, compute_coverage, yes_no
from desktop.core.planning.plans import factor_names
from desktop.core.reports import Report
from desktop.core.search.repository import ModelRepository
from desktop.core.text import count, fold
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

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
REASON_DELAY_MS = 700
GAP_COLOR = QColor("#b3261e")


@dataclass
class PlanDraft:
    """The plan as the window shows it (saved as a whole)."""

    id: str
    name: str
    purpose: str | None
    shortlist_id: str | None
    factors: list[list[str | None]] = field(default_factory=list)  # [cluster id, name, reason]

    def ids(self) -> list[str]:
        return [str(f[0]) for f in self.factors]

    def triples(self) -> list[tuple[str, str, str | None]]:
        return [(str(f[0]), str(f[1]), f[2]) for f in self.factors]


class PlanWindow(DocumentWindow):
    """Aanpak › Plan…. `add_factor(cluster_id)` adds a factor from elsewhere (the tree, the map)."""

    noun = "Plan"
    open_intervention = Signal(str)  # an intervention activated in the coverage matrix
    open_factor = Signal(str)  # a chosen factor activated (cluster id)

    def __init__(self, repo: ModelRepository, workspace: Workspace, parent: QWidget | None = None,
                 initial_cluster_id: str | None = None) -> None:
        super().__init__(repo, workspace, parent)
        self.names = factor_names(repo)
        self.draft: PlanDraft | None = None
        self.dirty = False
        self.coverage: Coverage | None = None
        self._loading = False
        self.setWindowTitle("Plan voor de lokale aanpak")
        self.resize(1280, 760)

        # which plan
        self.plans, top = self.chooser_row(240, "Nieuw plan", self.new_plan, self._delete)
        self.plans.currentIndexChanged.connect(self._plan_chosen)
        self.name = QLineEdit()
        self.name.setAccessibleName("Naam van het plan")
        self.name.setPlaceholderText("bijv. Aanpak weerbaarheid jongeren 2027")
        self.name.editingFinished.connect(self._details_edited)
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName("Doel van het plan")
        self.purpose.setPlaceholderText("Wat wil de gemeente bereiken? (optioneel)")
        self.purpose.editingFinished.connect(self._details_edited)
        self.scope = QComboBox()
        self.scope.setAccessibleName("Welke interventies tellen mee")
        self.scope.setToolTip("Alle interventies die het model aan de factoren koppelt, of alleen die uit een "
                              "werkset (bijvoorbeeld wat uw gemeente al inzet)")
        self.scope.currentIndexChanged.connect(self._scope_changed)

        form = QFormLayout()
        name_label = QLabel("&Naam:")
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)
        purpose_label = QLabel("&Doel:")
        purpose_label.setBuddy(self.purpose)
        form.addRow(purpose_label, self.purpose)
        scope_label = QLabel("&Interventies:")
        scope_label.setBuddy(self.scope)
        form.addRow(scope_label, self.scope)

        # left: the factors to choose from
        self.filter = QLineEdit()
        self.filter.setAccessibleName("Beschermende factoren zoeken")
        self.filter.setPlaceholderText("Zoek een factor, bijv. zelfvertrouwen")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_tree)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Beschermende factoren om te kiezen (aanvinken)")
        self.tree.setUniformRowHeights(True)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.itemActivated.connect(self._tree_activated)
        self.chosen_label = QLabel()
        self.chosen_label.setAccessibleName("Aantal gekozen factoren")
        left, lv = pane()
        heading = QLabel("<b>1. Kies de beschermende factoren</b>")
        lv.addWidget(heading)
        hint = QLabel("Vink de factoren aan die uw gemeente wil versterken. Tussen haakjes: het aantal interventies "
                      "in het model.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        lv.addWidget(hint)
        lv.addWidget(self.filter)
        lv.addWidget(self.tree, 1)
        lv.addWidget(self.chosen_label)

        # right: chosen factors, coverage, gaps, risk factors
        self.chosen = QListWidget()
        self.chosen.setAccessibleName("Gekozen beschermende factoren")
        self.chosen.currentRowChanged.connect(self._chosen_selected)
        self.chosen.itemActivated.connect(self._chosen_activated)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Waarom deze factor")
        self.reason.setPlaceholderText("Waarom wil de gemeente deze factor versterken? Bijv. uitkomsten van de "
                                       "lokale analyse, signalen van partners…")
        self.reason.setTabChangesFocus(True)
        self.reason.textChanged.connect(self._reason_edited)
        self.reason_label = QLabel("&Waarom deze factor?")
        self.reason_label.setBuddy(self.reason)
        self.remove_button = QPushButton("Uit het plan halen")
        self.remove_button.setAccessibleName("Factor uit het plan halen")
        self.remove_button.clicked.connect(lambda _c=False: self._remove_selected())
        self.up_button = QPushButton("Omhoog")
        self.up_button.setAccessibleName("Factor omhoog")
        self.up_button.clicked.connect(lambda _c=False: self._move(-1))
        self.down_button = QPushButton("Omlaag")
        self.down_button.setAccessibleName("Factor omlaag")
        self.down_button.clicked.connect(lambda _c=False: self._move(1))
        chosen_page = QWidget()
        cv = QVBoxLayout(chosen_page)
        cv.addWidget(self.chosen, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        cv.addLayout(buttons)
        cv.addWidget(self.reason_label)
        cv.addWidget(self.reason, 1)

        self.coverage_summary = QLabel()
        self.coverage_summary.setWordWrap(True)
        self.coverage_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.coverage_summary.setAccessibleName("Samenvatting van de dekking")
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self.legend.setStyleSheet("color: #333")
        self.legend.setAccessibleName("Kolommen van de matrix")
        self.matrix = QTableWidget()
        self.matrix.setAccessibleName("Dekkingsmatrix: interventies en gekozen factoren")
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setAlternatingRowColors(True)
        self.matrix.verticalHeader().setVisible(False)
        self.matrix.itemActivated.connect(self._matrix_activated)
        coverage_page = QWidget()
        mv = QVBoxLayout(coverage_page)
        mv.addWidget(self.coverage_summary)
        mv.addWidget(self.legend)
        mv.addWidget(self.matrix, 1)

        self.gaps = SafeBrowser()
        self.gaps.setAccessibleName("Lacunes")
        self.risks = SafeBrowser()
        self.risks.setAccessibleName("Risicofactoren met waarschuwing")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Plan: gekozen factoren, dekking, lacunes en risicofactoren")
        self.tabs.addTab(chosen_page, "Gekozen factoren")
        self.tabs.addTab(coverage_page, "Dekking")
        self.tabs.addTab(self.gaps, "Lacunes")
        self.tabs.addTab(self.risks, "Risicofactoren")
        right, rv = pane()
        rv.addWidget(QLabel("<b>2. Bekijk wat de factoren dekt en waar lacunes zijn</b>"))
        rv.addWidget(self.tabs, 1)

        splitter = panes(Qt.Orientation.Horizontal, (left, right), (2, 5), [380, 880])
        self.body = splitter
        self.empty, self.first_button = empty_state(
            "Nog geen plan. In een plan kiest u de beschermende factoren die uw gemeente wil versterken. Bouwstenen "
            "laat dan zien welke interventies uit het model die factoren dekken, met hun trede en of ze nu worden "
            "aangeboden, en waar het model (of uw werkset) lacunes heeft. U kunt het plan bewaren als memo (PDF) "
            "voor de gemeenteraad.", "Eerste plan maken", self.new_plan)

        bottom = self.export_row("Plan opslaan als PDF (memo)",
                                 "Een memo aan de gemeenteraad: gekozen factoren, waarom, interventies, lacunes")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.read_only_banner)
        layout.addLayout(self.banner_row())
        layout.addWidget(splitter, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        QShortcut(QKeySequence("Ctrl+F"), self, self.filter.setFocus)
        self.reason_timer = self.save_timer(REASON_DELAY_MS)

        self.show_read_only("de plannen")
        self._build_tree()
        self.reload()
        if initial_cluster_id:
            self.add_factor(initial_cluster_id)

    # --- the factor tree ------------------------------------------------------------------------------
    def _build_tree(self) -> None:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        self.factor_items: dict[str, QTreeWidgetItem] = {}
        with QSignalBlocker(self.tree):
            self.tree.clear()
            for block in self.repo.tree():
                block_item = QTreeWidgetItem([f"{block.number}. {block.name}"])
                block_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                block_item.setData(0, KIND_ROLE, "block")
                self.tree.addTopLevelItem(block_item)
                for theme in block.themes:
                    theme_item = QTreeWidgetItem([theme.name])
                    theme_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    theme_item.setData(0, KIND_ROLE, "theme")
                    block_item.addChild(theme_item)
                    for cluster in theme.clusters:
                        count_text = f"{cluster.count}" if cluster.count else "geen interventies"
                        item = QTreeWidgetItem([f"{cluster.name} ({count_text})"])
                        item.setFlags(flags)
                        item.setData(0, ID_ROLE, cluster.id)
                        item.setData(0, KIND_ROLE, "cluster")
                        item.setCheckState(0, Qt.CheckState.Unchecked)
                        item.setToolTip(0, f"{block.name} › {theme.name} › {cluster.name}: "
                                           f"{count(cluster.count, 'interventie', 'interventies')} in het model")
                        if not cluster.count:
                            item.setForeground(0, QBrush(GAP_COLOR))
                        theme_item.addChild(item)
                        self.factor_items[cluster.id] = item
            self.removed_root = QTreeWidgetItem(["Niet meer in het model"])
            self.removed_root.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.removed_root.setData(0, KIND_ROLE, "removed")
            self.tree.addTopLevelItem(self.removed_root)
            self.removed_root.setHidden(True)
        self.tree.expandToDepth(0)

    def _sync_tree(self) -> None:
        """Check the factors of the draft; list chosen factors that left the model under their own heading."""
        chosen = set(self.draft.ids()) if self.draft else set()
        with QSignalBlocker(self.tree):
            for cid, item in self.factor_items.items():
                item.setCheckState(0, Qt.CheckState.Checked if cid in chosen else Qt.CheckState.Unchecked)
            self.removed_root.takeChildren()
            for cid, name, _reason in self.draft.triples() if self.draft else []:
                if cid in self.factor_items:
                    continue
                item = QTreeWidgetItem([f"{name} (niet meer in het model)"])
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if self.editable else flags)
                item.setData(0, ID_ROLE, cid)
                item.setData(0, KIND_ROLE, "cluster")
                item.setCheckState(0, Qt.CheckState.Checked)
                self.removed_root.addChild(item)
            self.removed_root.setHidden(self.removed_root.childCount() == 0)
            self.removed_root.setExpanded(True)
        for cid in chosen:
            found = self.factor_items.get(cid)
            theme = found.parent() if found is not None else None
            if theme is not None:
                theme.setExpanded(True)
                block = theme.parent()
                if block is not None:
                    block.setExpanded(True)
        self.chosen_label.setText(f"{count(len(chosen), 'factor', 'factoren')} gekozen")
        self.tree.setEnabled(self.draft is not None)

    def _filter_tree(self, text: str) -> None:
        words = fold(text).split()

        def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
            return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]

        for b in range(self.tree.topLevelItemCount()):
            block = self.tree.topLevelItem(b)
            if block is None:
                continue
            block_visible = False
            for theme in children(block):
                if theme.data(0, KIND_ROLE) == "cluster":  # the removed factors' heading holds factors directly
                    visible = all(w in fold(theme.text(0)) for w in words)
                    theme.setHidden(not visible)
                    block_visible |= visible
                    continue
                theme_text = fold(f"{block.text(0)} {theme.text(0)}")
                theme_visible = False
                for item in children(theme):
                    visible = all(w in fold(item.text(0)) or w in theme_text for w in words)
                    item.setHidden(not visible)
                    theme_visible |= visible
                theme.setHidden(not theme_visible)
                block_visible |= theme_visible
            block.setHidden(not block_visible or (block is self.removed_root and block.childCount() == 0))
        if words:
            self.tree.expandAll()

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._loading or item.data(0, KIND_ROLE) != "cluster" or self.draft is None:
            return
        cid = str(item.data(0, ID_ROLE))
        checked = item.checkState(0) == Qt.CheckState.Checked
        if checked and cid not in self.draft.ids():
            self.draft.factors.append([cid, self.names.get(cid, cid), None])
        elif not checked:
            self.draft.factors = [f for f in self.draft.factors if f[0] != cid]
        self.dirty = True
        self.save_pending()
        self._sync_tree()
        self._refresh(select=cid if checked else None)

    def _tree_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KIND_ROLE) == "cluster" and self.editable:
            checked = item.checkState(0) == Qt.CheckState.Checked
            item.setCheckState(0, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    # --- plans ----------------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        return chosen_id(self.plans)

    def reload(self, select: str | None = None) -> None:
        keep = select or self.current_id()
        fill_chooser(self.plans, ((plan.name, plan.id) for plan in store.plans(self.workspace)), keep)
        self._load()

    def _plan_chosen(self, _index: int) -> None:
        previous = self.draft.id if self.draft else None
        if self.dirty and not self.save_pending():
            with QSignalBlocker(self.plans):  # stay on the plan whose input is not saved yet
                self.plans.setCurrentIndex(max(0, self.plans.findData(previous)))
            return
        self._load()

    def _load(self) -> None:
        plan_id = self.current_id()
        plan = store.plan(self.workspace, plan_id) if plan_id else None
        self.dirty = False
        if plan is None:
            self.draft = None
        else:
            self.draft = PlanDraft(plan.id, plan.name, plan.purpose, plan.shortlist_id,
                                   [[f.cluster_id, f.cluster_name, f.reason]
                                    for f in store.plan_factors(self.workspace, plan.id)])
        has = self.draft is not None
        self.body.setVisible(has)
        self.empty.setVisible(not has)
        for widget in (self.name, self.purpose, self.scope, self.pdf_button, self.xlsx_button, self.print_button):
            widget.setEnabled(has)
        self.name.setReadOnly(not self.editable)
        self.purpose.setReadOnly(not self.editable)
        self.scope.setEnabled(has and self.editable)
        self.new_button.setEnabled(self.editable)
        self.first_button.setEnabled(self.editable)
        self.delete_button.setEnabled(has and self.editable)
        self._loading = True
        try:
            self.name.setText(self.draft.name if self.draft else "")
            self.purpose.setText(self.draft.purpose or "" if self.draft else "")
            self._fill_scope()
        finally:
            self._loading = False
        self._sync_tree()
        self._refresh()

    def _fill_scope(self) -> None:
        with QSignalBlocker(self.scope):
            self.scope.clear()
            self.scope.addItem("Alle interventies die het model aan de factoren koppelt", "")
            for shortlist in self.workspace.shortlists():
                self.scope.addItem(f"Alleen werkset ‘{shortlist.name}’", shortlist.id)
            chosen = self.draft.shortlist_id if self.draft else None
            index = self.scope.findData(chosen) if chosen else 0
            if chosen and index < 0:
                self.scope.addItem("Werkset bestaat niet meer: alle interventies", chosen)
                index = self.scope.count() - 1
            self.scope.setCurrentIndex(max(0, index))

    def new_plan(self, name: str | None = None) -> str | None:
        """A new plan (named 'Nieuw plan'; rename it in the name field) and show it."""
        if self.dirty and not self.save_pending():
            return None
        title = free_name(name or "Nieuw plan", {p.name for p in store.plans(self.workspace)})
        try:
            plan = store.create_plan(self.workspace, title)
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return None
        self.reload(select=plan.id)
        self.name.setFocus()
        self.name.selectAll()
        return plan.id

    def _delete(self) -> None:
        if self.draft is None:
            return
        draft = self.draft
        ask_to_delete(self, "Plan verwijderen", f"Het plan ‘{draft.name}’ verwijderen? De gekozen factoren en de "
                      "toelichtingen gaan verloren; uw notities en werksets blijven bestaan.",
                      lambda: self._deleted(draft.id))

    def _deleted(self, plan_id: str) -> None:
        try:
            store.delete_plan(self.workspace, plan_id)
        except ExpectedError as exc:
            self.banner.show_warning(str(exc))
            return
        self.dirty = False
        self.reload()

    def add_factor(self, cluster_id: str, plan_id: str | None = None) -> bool:
        """Add a factor of the model to the plan shown (or `plan_id`), making a plan when there is none.
        True when it was added; the window shows it either way."""
        if cluster_id not in self.names:
            self.banner.show_warning(f"‘{cluster_id}’ is geen beschermende factor in dit model.")
            return False
        if not self.editable:
            self.banner.show_warning("De factor kan niet aan een plan worden toegevoegd: uw werkruimte is "
                                     "alleen-lezen.")
            return False
        if plan_id and plan_id != self.current_id():
            index = self.plans.findData(plan_id)
            if index >= 0:
                self.plans.setCurrentIndex(index)
        if self.draft is None and self.new_plan() is None:
            return False
        assert self.draft is not None
        self.tabs.setCurrentIndex(0)
        if cluster_id in self.draft.ids():
            self._refresh(select=cluster_id)
            self.banner.show_info(f"‘{self.names[cluster_id]}’ staat al in het plan ‘{self.draft.name}’.")
            return False
        self.draft.factors.append([cluster_id, self.names[cluster_id], None])
        self.dirty = True
        saved = self.save_pending()
        self._sync_tree()
        self._refresh(select=cluster_id)
        if saved:
            self.banner.show_info(f"‘{self.names[cluster_id]}’ toegevoegd aan het plan ‘{self.draft.name}’.")
        return True

    # --- editing --------------------------------------------------------------------------------------
    def _details_edited(self) -> None:
        if self._loading or self.draft is None or not self.editable:
            return
        name = self.name.text().strip()
        purpose = self.purpose.text().strip() or None
        if name and (name != self.draft.name or purpose != self.draft.purpose):
            self.draft.name, self.draft.purpose = name, purpose
            self.dirty = True
            if self.save_pending():
                self.plans.setItemText(self.plans.currentIndex(), name)

    def _scope_changed(self, _index: int) -> None:
        if self._loading or self.draft is None:
            return
        self.draft.shortlist_id = str(self.scope.currentData() or "") or None
        self.dirty = True
        self.save_pending()
        self._refresh()

    def _selected_cluster(self) -> str | None:
        item = self.chosen.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def _chosen_selected(self, _row: int) -> None:
        cid = self._selected_cluster()
        factor = next((f for f in self.draft.factors if f[0] == cid), None) if self.draft else None
        self._loading = True
        try:
            self.reason.setPlainText(str(factor[2] or "") if factor else "")
        finally:
            self._loading = False
        has = factor is not None
        self.reason.setEnabled(has)
        self.reason.setReadOnly(not self.editable)
        self.reason_label.setText(f"&Waarom ‘{factor[1]}’?" if factor else "&Waarom deze factor?")
        row = self.chosen.currentRow()
        self.remove_button.setEnabled(has and self.editable)
        self.up_button.setEnabled(has and self.editable and row > 0)
        self.down_button.setEnabled(has and self.editable and row < self.chosen.count() - 1)

    def _chosen_activated(self, item: QListWidgetItem) -> None:
        cid = str(item.data(ID_ROLE))
        if cid in self.names:
            self.open_factor.emit(cid)

    def _reason_edited(self) -> None:
        if self._loading or self.draft is None or not self.editable:
            return
        cid = self._selected_cluster()
        for factor in self.draft.factors:
            if factor[0] == cid:
                factor[2] = self.reason.toPlainText().strip() or None
                self.dirty = True
                self.reason_timer.start()

    def _remove_selected(self) -> None:
        cid = self._selected_cluster()
        if cid is None or self.draft is None:
            return
        row = self.chosen.currentRow()
        self.draft.factors = [f for f in self.draft.factors if f[0] != cid]
        self.dirty = True
        self.save_pending()
        self._sync_tree()
        self._refresh()
        self.chosen.setCurrentRow(min(row, self.chosen.count() - 1))

    def _move(self, offset: int) -> None:
        cid = self._selected_cluster()
        if cid is None or self.draft is None:
            return
        ids = self.draft.ids()
        old = ids.index(cid)
        new = max(0, min(len(ids) - 1, old + offset))
        self.draft.factors.insert(new, self.draft.factors.pop(old))
        self.dirty = True
        self.save_pending()
        self._refresh(select=cid)

    def save_pending(self) -> bool:
        """Save the plan as shown; on a storage error keep it in the window and say so. True when saved."""
        self.reason_timer.stop()
        if not self.dirty or self.draft is None or not self.editable:
            return True
        draft = self.draft

        def save() -> None:
            store.update_plan(self.workspace, draft.id, name=draft.name, purpose=draft.purpose,
                              shortlist_id=draft.shortlist_id)
            store.replace_plan_factors(self.workspace, draft.id, draft.triples())

        if not self.save_changes(save):
            return False
        self.dirty = False
        return True

    # --- coverage -------------------------------------------------------------------------------------
    def compute(self) -> Coverage:
        """The coverage of the plan as shown in the window."""
        draft = self.draft
        factors = draft.triples() if draft else []
        werkset: list[str] | None = None
        werkset_name: str | None = None
        if draft and draft.shortlist_id:
            found = next((s for s in self.workspace.shortlists() if s.id == draft.shortlist_id), None)
            if found is not None:
                werkset = [i.intervention_id for i in self.workspace.items(found.id)]
                werkset_name = found.name
        return compute_coverage(self.repo, factors, werkset, werkset_name, self.workspace.latest_status())

    def _refresh(self, select: str | None = None) -> None:
        keep = select or self._selected_cluster()
        coverage = self.compute()
        self.coverage = coverage
        with QSignalBlocker(self.chosen):
            self.chosen.clear()
            for number, f in enumerate(coverage.factors, start=1):
                gaps = f" — {'; '.join(GAP_SHORT[g] for g in f.gaps)}" if f.gaps else ""
                item = QListWidgetItem(f"{number}. {f.name}\n      {f.path} · "
                                       f"{count(len(f.shown), 'interventie', 'interventies')}{gaps}")
                item.setData(ID_ROLE, f.cluster_id)
                item.setToolTip("; ".join(GAP_LABELS[g] for g in f.gaps) or "gedekt")
                if f.gaps:
                    item.setForeground(QBrush(GAP_COLOR))
                self.chosen.addItem(item)
                if f.cluster_id == keep:
                    self.chosen.setCurrentItem(item)
            if self.chosen.currentRow() < 0 and self.chosen.count():
                self.chosen.setCurrentRow(0)
        self._chosen_selected(self.chosen.currentRow())
        self.tabs.setTabText(0, f"Gekozen factoren ({len(coverage.factors)})")
        self._fill_matrix(coverage)
        gap_count = len({g.cluster_id for g in coverage.gaps()})
        self.tabs.setTabText(2, f"Lacunes ({gap_count})")
        self.gaps.setHtml(self._gaps_html(coverage))
        self.risks.setHtml(self._risks_html(coverage))

    def _fill_matrix(self, coverage: Coverage) -> None:
        factors = coverage.factors
        scope = (f"alleen werkset ‘{coverage.werkset_name}’" if coverage.werkset_name
                 else "alle interventies die het model koppelt")
        if not factors:
            self.coverage_summary.setText("Kies links de beschermende factoren; hier ziet u dan welke interventies "
                                          "ze dekken.")
        else:
            self.coverage_summary.setText(
                f"{coverage.covered_count} van de {count(len(factors), 'gekozen factor', 'gekozen factoren')} "
                f"gedekt door ten minste één interventie ({scope}); "
                f"{count(len(coverage.matrix), 'interventie', 'interventies')} in de matrix. "
                "Dubbelklik op een interventie om haar in het hoofdvenster te openen.")
        self.legend.setText("Kolommen: " + " · ".join(f"{n} = {f.name} ({len(f.shown)})"
                                                     for n, f in enumerate(factors, start=1)) if factors else "")
        headers = ["Interventie", "Trede", "Nu aangeboden", "Mijn status",
                   *(str(n) for n in range(1, len(factors) + 1))]
        self.matrix.clear()
        self.matrix.setColumnCount(len(headers))
        self.matrix.setHorizontalHeaderLabels(headers)
        for column, f in enumerate(factors, start=4):
            header = self.matrix.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(f.name)
        self.matrix.setRowCount(len(coverage.matrix))
        for row, entry in enumerate(coverage.matrix):
            name = QTableWidgetItem(entry.name)
            name.setData(ID_ROLE, entry.intervention_id)
            name.setToolTip(entry.name)
            self.matrix.setItem(row, 0, name)
            self.matrix.setItem(row, 1, QTableWidgetItem("geen" if entry.trede is None else str(entry.trede)))
            self.matrix.setItem(row, 2, QTableWidgetItem(yes_no(entry.offered)))
            self.matrix.setItem(row, 3, QTableWidgetItem(entry.note_label))
            for column, f in enumerate(factors, start=4):
                covered = f.cluster_id in entry.factors
                cell = QTableWidgetItem("●" if covered else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setToolTip(f"{entry.name} {'dekt' if covered else 'dekt niet'} ‘{f.name}’")
                cell.setData(Qt.ItemDataRole.AccessibleTextRole, "dekt" if covered else "dekt niet")
                self.matrix.setItem(row, column, cell)
        sections = self.matrix.horizontalHeader()
        sections.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            sections.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.setTabText(1, f"Dekking ({len(coverage.matrix)})")

    @staticmethod
    def _gaps_html(coverage: Coverage) -> str:
        if not coverage.factors:
            return ("<p>Kies eerst beschermende factoren; hier ziet u dan waar het model of uw werkset lacunes "
                    "heeft.</p>")
        out = ["<p>Een lacune is een gekozen factor waarvoor het model (of de gekozen werkset) geen passende "
               "interventie heeft: daar is aanvulling nodig, bijvoorbeeld een nieuwe interventie of een eigen "
               "activiteit.</p>"]
        gaps = coverage.gaps()
        if not gaps:
            out.append("<p><b>Geen lacunes:</b> elke gekozen factor heeft interventies met een trede die nu worden "
                       "aangeboden.</p>")
        for title, listed in coverage.gap_lists():
            out.append(f"<h3>{escape(title)} ({len(listed)})</h3><ul>")
            for f in listed:
                out.append(f"<li><b>{escape(f.name)}</b> <span style=\"color:#555\">{escape(f.path)}</span></li>")
            out.append("</ul>")
        if coverage.werkset_outside:
            out.append("<h3>In de werkset, maar bij geen gekozen factor</h3><ul>"
                       + "".join(f"<li>{escape(name)}</li>" for _i, name in coverage.werkset_outside) + "</ul>")
        return "".join(out)

    @staticmethod
    def _risks_html(coverage: Coverage) -> str:
        if not coverage.risk_factors:
            return ("<p>Kies beschermende factoren; hier staan dan de risicofactoren van hun bouwstenen, ter "
                    "context.</p>")
        out = []
        if coverage.risk_warning:
            out.append('<table width="100%" cellpadding="8" style="background:#fff4d6; border:1px solid #e0b84c">'
                       f"<tr><td><b>Let op:</b> {escape(coverage.risk_warning)}</td></tr></table>")
        out.append("<p>Risicofactoren van de bouwstenen van de gekozen factoren, zoals het rapport ze noemt.</p>")
        for risk in coverage.risk_factors:
            out.append(f"<h3>{escape(risk.block_name)}</h3><ul>"
                       + "".join(f"<li>{escape(item)}</li>" for item in risk.items) + "</ul>")
        return "".join(out)

    def _matrix_activated(self, item: QTableWidgetItem) -> None:
        first = self.matrix.item(item.row(), 0)
        if first is not None:
            self.open_intervention.emit(str(first.data(ID_ROLE)))

    # --- export ---------------------------------------------------------------------------------------
    def export_source(self) -> ExportSource | None:
        self.save_pending()
        draft = self.draft
        if draft is None:
            return None
        plan = store.Plan(draft.id, draft.name, draft.purpose, draft.shortlist_id, "", "")

        def report() -> Report:
            from desktop.core.reports.planning import plan_report

            return plan_report(plan, self.compute(), self.meta)

        def xlsx_work(target: Path) -> Callable[[], object]:
            from desktop.core.planning.exports import export_plan_xlsx

            coverage, meta = self.compute(), self.meta  # taken on the GUI thread, before writing starts
            return lambda: export_plan_xlsx(plan, coverage, meta, target)

        return ExportSource(plan.name, report, xlsx_work)
