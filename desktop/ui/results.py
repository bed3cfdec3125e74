"""The result list's parts: highlighted cells painted directly, and the bar of removable chips."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from desktop.core.search.highlight import match_spans
from desktop.core.search.snippets import Snippet
from desktop.ui.item_models import FOUND, SNIPPET_ROLE

MARK = QColor("#ffe27a")  # the highlight behind a search word; black text on it in every theme
_ON_MARK = QColor("black")
_ALIGN = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
_ELIDE = Qt.TextElideMode.ElideRight


@cache
def _style_values() -> tuple[Any, Any]:
    """QStyle's item element and selected state, made at the first paint of a list: creating QStyle's
    enums takes ~10 ms, which a start on the model map does not need to spend."""
    from PySide6.QtWidgets import QStyle

    return QStyle.ControlElement.CE_ItemViewItem, QStyle.StateFlag.State_Selected


_Fonts = tuple[QFont, QFont, QFont, QFontMetrics, QFontMetrics, QFontMetrics]


class HighlightDelegate(QStyledItemDelegate):
    """Paints a cell's text with the search words marked, as text runs (no HTML document per row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terms: list[str] = []
        self._fonts: _Fonts | None = None

    def _fonts_for(self, font: QFont) -> _Fonts:
        """The cell's font, its italic and bold forms and their metrics (made again only when the font changes)."""
        found = self._fonts
        if found is None or found[0] != font:
            italic = QFont(font)
            italic.setItalic(True)
            bold = QFont(font)
            bold.setBold(True)
            plain = QFont(font)
            found = self._fonts = (plain, italic, bold, QFontMetrics(plain), QFontMetrics(italic), QFontMetrics(bold))
        return found

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        found = index.data(SNIPPET_ROLE) if index.column() == FOUND else None
        if isinstance(found, Snippet):
            prefix, text, spans = f"{found.field}: ", found.text, list(found.spans)
        else:
            prefix, text = "", str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            spans = match_spans(text, self.terms) if self.terms else []
        if not spans and not prefix:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        item_element, selected_state = _style_values()
        if style is not None:
            style.drawControl(item_element, option, painter, widget)
        selected = bool(option.state & selected_state)
        normal = option.palette.highlightedText().color() if selected else option.palette.text().color()
        rect = option.rect.adjusted(4, 0, -4, 0)
        painter.save()
        painter.setClipRect(rect)
        x, top, height, right = rect.left(), rect.top(), rect.height(), rect.right()
        plain, italic, bold, plain_metrics, italic_metrics, bold_metrics = self._fonts_for(option.font)
        runs: list[tuple[str, QFont, QFontMetrics, bool]] = []
        if prefix:
            runs.append((prefix, italic, italic_metrics, False))
        last = 0
        for start, end in spans:
            runs.append((text[last:start], plain, plain_metrics, False))
            runs.append((text[start:end], bold, bold_metrics, True))
            last = end
        runs.append((text[last:], plain, plain_metrics, False))
        for part, font, metrics, marked in runs:
            if not part:
                continue
            width = metrics.horizontalAdvance(part)
            if x + width > right:
                part = metrics.elidedText(part, _ELIDE, max(right - x, 0))
                width = metrics.horizontalAdvance(part)
            if marked:
                painter.fillRect(QRect(x, top + 2, width, height - 4), MARK)
            painter.setFont(font)
            painter.setPen(_ON_MARK if marked else normal)
            painter.drawText(x, top, width, height, _ALIGN, part)
            x += width
            if x >= right:
                break
        painter.restore()


class ChipBar(QWidget):
    """Removable chips: the tree selection the search works in, and every active filter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)
        self.setAccessibleName("Actieve selectie en filters")
        self.setVisible(False)  # until there is a chip: the window's first layout leaves no room for none

    def set_chips(self, chips: list[tuple[str, str, Callable[[], None]]], clear: Callable[[], None] | None) -> None:
        """chips: (text, accessible description, what removing it does)."""
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for text, description, remove in chips:
            chip = QToolButton()
            chip.setText(f"{text}  ✕")
            chip.setToolTip(f"{description} — klik om te verwijderen")
            chip.setAccessibleName(f"{text} verwijderen")
            chip.setAccessibleDescription(description)
            chip.clicked.connect(lambda _c=False, r=remove: r())
            self.layout_.addWidget(chip)
        if clear is not None and len(chips) > 1:
            all_button = QToolButton()
            all_button.setText("Alles wissen")
            all_button.setAccessibleName("Alle filters en de selectie wissen")
            all_button.clicked.connect(lambda _c=False: clear())
            self.layout_.addWidget(all_button)
        self.layout_.addStretch(1)
        self.setVisible(bool(chips))
