"""The filter panel: every search field the end users asked for, each value with its count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.search.repository import FacetDefinition
from desktop.core.search.search import FacetCount, Filters
from desktop.core.workspace.store import STATUSES

ANY_NOTE = "*"

YES_NO_FILTERS = (
    ("offered", "Nu aangeboden"),
    ("explicit", "Expliciet gericht op preventie"),
    ("via_municipality", "Verzameld via gemeenten"),
)
BASIS_NOTE = (
    "De zoekkenmerken zijn per interventie vastgesteld door de redactie, op basis van de tekst van het rapport; "
    "waar het rapport het zelf zegt, staat dat bij de interventie."
)
MAX_LABEL = 30


def _short(label: str) -> str:
    """Long names are shortened in the panel; the full name is the tooltip."""
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def short_labels(values: list[tuple[str, str]]) -> dict[str, str]:
    """Short labels that stay distinguishable: words that several long labels start with are dropped
    ('6. Interventies gericht op tegengaan van …' and '7. Interventies gericht op verminderen …')."""
    def split(label: str) -> tuple[str, list[str]]:
        number, dot, rest = label.partition(". ")
        return (f"{number}. ", rest.split()) if dot and number.replace(".", "").isdigit() else ("", label.split())

    parts = {value: split(label) for value, label in values}
    result = {}
    for value, (number, words) in parts.items():
        full = number + " ".join(words)
        if len(full) <= MAX_LABEL:
            result[value] = full
            continue
        shared = 0
        for other, (_n, other_words) in parts.items():
            if other == value:
                continue
            same = 0
            while same < min(len(words), len(other_words)) - 1 and words[same] == other_words[same]:
                same += 1
            shared = max(shared, same)
        text = " ".join(words[shared:])
        result[value] = _short(number + ("…" if shared else "") + text)
    return result


class FilterPanel(QScrollArea):
    """Emits `changed` whenever the user changes a filter; `filters()` returns the current state."""

    changed = Signal()

    def __init__(self, facets: list[FacetDefinition], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Filters")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self._updating = False
        self._checks: dict[str, dict[str, QCheckBox]] = {}
        self._labels: dict[tuple[str, str], str] = {}

        clear = QPushButton("Alle filters wissen")
        clear.setAccessibleName("Alle filters wissen")
        clear.clicked.connect(self.clear)
        layout.addWidget(clear)

        flags = QGroupBox("Kenmerken uit het rapport")
        flags.setToolTip("Deze kenmerken staan per interventie in het rapport (tabellen B3.1-B3.7 en de effectladder).")
        form = QFormLayout(flags)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow panel: the label above its field
        self._combos: dict[str, QComboBox] = {}
        for key, label in YES_NO_FILTERS:
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.addItem("alle", None)
            combo.addItem("ja", True)
            combo.addItem("nee", False)
            combo.currentIndexChanged.connect(self._emit)
            combo.setMinimumContentsLength(len("nee (120)"))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            form.addRow(label, combo)
            self._combos[key] = combo
        trede = QComboBox()
        trede.setAccessibleName("Minimale trede")
        trede.addItem("alle", None)
        for level in range(1, 6):
            trede.addItem(f"trede {level} of hoger", level)
        trede.currentIndexChanged.connect(self._emit)
        trede.setMinimumContentsLength(len("trede 5 of hoger (120)"))
        trede.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        form.addRow("Minimale trede", trede)
        self._combos["min_trede"] = trede
        layout.addWidget(flags)

        self._short: dict[tuple[str, str], str] = {}
        for definition in facets:
            key, label = definition.key, definition.label
            box = QGroupBox(label)
            box.setAccessibleName(label)
            box.setAccessibleDescription(definition.description or "")
            box.setToolTip(definition.description or "")
            v = QVBoxLayout(box)
            v.setSpacing(2)
            self._checks[key] = {}
            shorts = short_labels([(value, value_label) for value, value_label, _d in definition.values])
            for value, value_label, meaning in definition.values:
                self._short[(key, value)] = shorts[value]
                check = QCheckBox(shorts[value])
                check.setToolTip(value_label + (f"\n{meaning}" if meaning else ""))
                check.setAccessibleName(f"{label}: {value_label}")
                check.toggled.connect(self._emit)
                if key == "type" and "." in value:
                    check.setStyleSheet("margin-left: 16px")
                v.addWidget(check)
                self._checks[key][value] = check
                self._labels[(key, value)] = value_label
            layout.addWidget(box)
        mine = QGroupBox("Mijn notities")
        mine.setToolTip("Alleen interventies waarbij u een notitie met deze status hebt gemaakt.")
        mv = QVBoxLayout(mine)
        mv.setSpacing(2)
        self._note_checks: dict[str, QCheckBox] = {}
        for key, status_label in ((ANY_NOTE, "Met een notitie"), *STATUSES):
            check = QCheckBox(status_label)
            check.setAccessibleName(f"Mijn notities: {status_label}")
            check.toggled.connect(self._emit)
            mv.addWidget(check)
            self._note_checks[key] = check
            self._labels[("notes", key)] = status_label
        layout.insertWidget(2, mine)

        note = QLabel(BASIS_NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)
        self.setWidget(body)

    def _emit(self) -> None:
        if not self._updating:
            self.changed.emit()

    def filters(self, base: Filters | None = None) -> Filters:
        filters = base or Filters()
        for key, _ in YES_NO_FILTERS:
            setattr(filters, key, self._combos[key].currentData())
        filters.min_trede = self._combos["min_trede"].currentData()
        filters.types = {v for v, c in self._checks.get("type", {}).items() if c.isChecked()}
        filters.facets = {
            key: {v for v, c in checks.items() if c.isChecked()}
            for key, checks in self._checks.items()
            if key != "type" and any(c.isChecked() for c in checks.values())
        }
        return filters

    def note_statuses(self) -> set[str]:
        """The 'Mijn notities' values ticked: status keys, or ANY_NOTE."""
        return {key for key, check in self._note_checks.items() if check.isChecked()}

    def update_note_counts(self, counts: dict[str, int]) -> None:
        for key, check in self._note_checks.items():
            check.setText(f"{self._labels[('notes', key)]} ({counts.get(key, 0)})")

    def active(self) -> list[tuple[str, str, str]]:
        """The active filters as (key, value, Dutch label) for the removable chips."""
        out: list[tuple[str, str, str]] = []
        for key, check in self._note_checks.items():
            if check.isChecked():
                out.append(("notes", key, f"Mijn notities: {self._labels[('notes', key)]}"))
        for key, label in YES_NO_FILTERS:
            data = self._combos[key].currentData()
            if data is not None:
                out.append((key, "", f"{label}: {'ja' if data else 'nee'}"))
        level = self._combos["min_trede"].currentData()
        if level is not None:
            out.append(("min_trede", "", f"Trede {level} of hoger"))
        for key, checks in self._checks.items():
            for value, check in checks.items():
                if check.isChecked():
                    prefix = "Type " if key == "type" else ""
                    label = self._labels[(key, value)]
                    out.append((key, value, prefix + label.split(". ", 1)[0] if key == "type" else label))
        return out

    def remove(self, key: str, value: str) -> None:
        if key == "notes" and value in self._note_checks:
            self._note_checks[value].setChecked(False)
        elif key in self._combos:
            self._combos[key].setCurrentIndex(0)
        elif key in self._checks and value in self._checks[key]:
            self._checks[key][value].setChecked(False)

    def clear(self) -> None:
        self._updating = True
        try:
            for combo in self._combos.values():
                combo.setCurrentIndex(0)
            for checks in [*self._checks.values(), self._note_checks]:
                for check in checks.values():
                    check.setChecked(False)
        finally:
            self._updating = False
        self.changed.emit()

    def set_checked(self, key: str, value: str, checked: bool = True) -> None:
        self._checks[key][value].setChecked(checked)

    def set_combo(self, key: str, data: object) -> None:
        combo = self._combos[key]
        combo.setCurrentIndex(max(0, combo.findData(data)))

    def update_counts(self, facet_counts: dict[str, list[FacetCount]], flags: dict[str, dict[object, int]]) -> None:
        """Show beside each value how many results selecting it would give."""
        for key, counts in facet_counts.items():
            for fc in counts:
                check = self._checks.get(key, {}).get(fc.value)
                if check is not None:
                    check.setText(f"{self._short.get((key, fc.value), _short(fc.label))} ({fc.count})")
                    check.setEnabled(fc.count > 0 or check.isChecked())
        for key, _ in YES_NO_FILTERS:
            combo = self._combos[key]
            flag_counts = flags.get(key, {})
            combo.setItemText(1, f"ja ({flag_counts.get(True, 0)})")
            combo.setItemText(2, f"nee ({flag_counts.get(False, 0)})")
        trede = self._combos["min_trede"]
        levels = flags.get("min_trede", {})
        for i in range(1, trede.count()):
            level = trede.itemData(i)
            trede.setItemText(i, f"trede {level} of hoger ({levels.get(level, 0)})")
