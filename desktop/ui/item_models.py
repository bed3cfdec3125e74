"""Thin Qt item models over the core's plain structures (no SQL here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.search.repository import BlockNode, InterventionRow, ModelRepository
from desktop.core.search.snippets import Snippet, snippet
from desktop.core.text import count, sort_key

NodeKey = tuple[str, str]  # (kind, id); ("all", "") for the whole model
ALL_KEY: NodeKey = ("all", "")
UNLINKED_KEY: NodeKey = ("unlinked", "")
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex
KINDS = {"all": "", "block": "Bouwsteen", "theme": "Thema", "cluster": "Beschermende factor", "unlinked": ""}


@dataclass
class _Node:
    key: NodeKey
    label: str
    count: int
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0


def _build_nodes(blocks: list[BlockNode], total: int, unlinked: int) -> _Node:
    root = _Node(("root", ""), "", 0)
    root.children.append(_Node(ALL_KEY, "Alle interventies", total, root, row=0))
    for block in blocks:
        b = _Node(("block", block.id), f"{block.number}. {block.name}", block.count, root, row=len(root.children))
        root.children.append(b)
        for t_row, theme in enumerate(block.themes):
            t = _Node(("theme", theme.id), theme.name, theme.count, b, row=t_row)
            b.children.append(t)
            for c_row, cluster in enumerate(theme.clusters):
                t.children.append(_Node(("cluster", cluster.id), cluster.name, cluster.count, t, row=c_row))
    if unlinked:
        root.children.append(_Node(UNLINKED_KEY, "Niet gekoppeld aan een factor", unlinked, root,
                                   row=len(root.children)))
    return root


class ModelTreeModel(QAbstractItemModel):
    """bouwstenen -> thema's -> beschermende factoren, each with its number of interventions."""

    def __init__(self, blocks: list[BlockNode], total: int, parent: Any = None, unlinked: int = 0) -> None:
        super().__init__(parent)
        self._root = _build_nodes(blocks, total, unlinked)
        self._by_key: dict[NodeKey, _Node] = {}
        stack = list(self._root.children)
        while stack:
            node = stack.pop()
            self._by_key[node.key] = node
            stack.extend(node.children)

    def _node(self, index: ModelIndex) -> _Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, _Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        parent_node = self._node(parent)
        if row >= len(parent_node.children):
            return QModelIndex()
        return self.createIndex(row, 0, parent_node.children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        if node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{node.label}  ({node.count})"
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = KINDS.get(node.key[0], "")
            amount = ("geen voorbeeldinterventies" if node.count == 0
                      else count(node.count, "interventie", "interventies"))
            return f"{kind}: {node.label} — {amount}" if kind else f"{node.label} — {amount}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            amount = count(node.count, "interventie", "interventies")
            return f"{KINDS.get(node.key[0], '')} {node.label}, {amount}".strip()
        if role == KEY_ROLE:
            return node.key
        return None

    def index_of(self, key: NodeKey) -> QModelIndex:
        node = self._by_key.get(key)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def label_of(self, key: NodeKey) -> str:
        node = self._by_key.get(key)
        return node.label if node is not None else ""


COLUMNS = ("Naam", "Type", "Trede", "Aangeboden", "Expliciet", "Notitie", "Gevonden in")
NAME, TYPE, TREDE, OFFERED, EXPLICIT, NOTE, FOUND = range(len(COLUMNS))
COLUMN_TIPS = (
    "Naam van de interventie",
    "Type interventie zoals het rapport het omschrijft",
    "Trede op de effectladder (0-5); ? = onbekend",
    "Wordt de interventie op dit moment aangeboden?",
    "Expliciet gericht op polarisatie, radicalisering en/of maatschappelijke spanningen?",
    "Status van uw laatste eigen notitie",
    "Waar de zoekwoorden voorkomen",
)
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3
LIST_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# the roles the list answers; a view asks every cell for about seven more (font, colours, check state, ...)
# on every paint: those are answered before any row is looked up
_LIST_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, LIST_ID_ROLE, SNIPPET_ROLE,
))


def _yes_no(value: bool | None) -> str:
    return "onbekend" if value is None else ("ja" if value else "nee")


class InterventionListModel(QAbstractTableModel):
    """Holds only ids; row data comes from the repository's cache when a row is shown."""

    ID_ROLE = LIST_ID_ROLE

    def __init__(self, repo: ModelRepository, parent: Any = None) -> None:
        super().__init__(parent)
        self._repo = repo
        # a search's ids as they come (the list as the window opens: read from the model a page at a time)
        self._ids: Sequence[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.note_marks: dict[str, str] = {}  # intervention id -> label of its latest note status
        self.terms: list[str] = []
        self._texts: dict[str, list[tuple[str, str]]] = {}
        self._snippets: dict[str, Snippet | None] = {}

    def set_repository(self, repo: ModelRepository) -> None:
        self.beginResetModel()
        self._repo = repo
        self._ids = []
        self._texts.clear()
        self._snippets.clear()
        self.endResetModel()

    def set_note_marks(self, marks: dict[str, str]) -> None:
        self.note_marks = marks
        if self._ids:
            self.dataChanged.emit(self.index(0, NOTE), self.index(len(self._ids) - 1, NOTE))

    def set_ids(self, ids: Sequence[str], terms: list[str] | None = None) -> None:
        self.beginResetModel()
        self._ids = ids
        if terms is not None and terms != self.terms:
            self.terms = list(terms)
            self._snippets.clear()
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, intervention_id: str) -> int:
        try:
            return self._ids.index(intervention_id)
        except ValueError:
            return -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if horizontal and role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(COLUMNS):
            return COLUMN_TIPS[section]
        return None

    def _row(self, index: ModelIndex) -> InterventionRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        return self._repo.row(self._ids[index.row()])

    def snippet(self, intervention_id: str) -> Snippet | None:
        """Where the search words occur (computed once per result and search)."""
        if not self.terms:
            return None
        if intervention_id not in self._snippets:
            if intervention_id not in self._texts:
                self._texts[intervention_id] = self._repo.search_texts(intervention_id)
            self._snippets[intervention_id] = snippet(self._texts[intervention_id], self.terms)
        return self._snippets[intervention_id]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _LIST_ROLES:
            return None
        row = self._row(index)
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == NAME:
                return row.name
            if column == TYPE:
                return row.type_text or ""
            if column == TREDE:
                return "?" if row.trede is None else str(row.trede)
            if column == OFFERED:
                return _yes_no(row.offered)
            if column == EXPLICIT:
                return _yes_no(row.explicit)
            if column == NOTE:
                return self.note_marks.get(row.id, "")
            if column == FOUND:
                found = self.snippet(row.id)
                return f"{found.field}: {found.text}" if found else ""
        if role == SNIPPET_ROLE and column == FOUND:
            return self.snippet(row.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TREDE:
                return "Trede onbekend" if row.trede is None else f"Trede {row.trede} op de effectladder"
            if column == NAME:
                return row.name
            if column == FOUND:
                found = self.snippet(row.id)
                return f"Gevonden in {found.field}: {found.text}" if found else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TREDE, OFFERED, EXPLICIT, NOTE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == self.ID_ROLE:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 restores the search order (best match first). Selections and other
        persistent indexes follow their intervention to its new row."""
        if column < 0 or column >= len(COLUMNS):
            self._sort = None
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in before]
        self._sort = (column, order)
        self._apply_sort(column, order)
        rows = {iid: r for r, iid in enumerate(self._ids)}
        after = [self.index(rows[iid], old.column()) if iid in rows else QModelIndex()
                 for iid, old in zip(ids, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def clear_sort(self) -> None:
        self._sort = None

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        rows = {i: self._repo.row(i) for i in self._ids}

        def key(intervention_id: str) -> tuple[Any, ...]:
            row = rows[intervention_id]
            if row is None:
                return (1, "", "")
            found = self._snippets.get(row.id)
            values: tuple[Any, ...] = (
                sort_key(row.name), sort_key(row.type_text or "~"), -1 if row.trede is None else row.trede,
                -1 if row.offered is None else int(row.offered), -1 if row.explicit is None else int(row.explicit),
                self.note_marks.get(row.id, "~"), found.field if found is not None else "~",
            )
            return (0, values[column], values[0])

        self._ids = sorted(self._ids, key=key, reverse=order == Qt.SortOrder.DescendingOrder)
