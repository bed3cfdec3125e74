"""The model as a picture: every bouwsteen, thema and beschermende factor on one map, shaded by coverage.

`ModelMapView` draws a `model_overview()` result (plain core dataclasses) as a scene: one column per bouwsteen
(small ones stacked, down to a 3×2 grid when the view is narrow), each thema a labelled group, each beschermende
factor a rounded box with its name and number of interventions, shaded by the chosen measure. Factors without
examples are gaps: hatched, dashed outline, "geen voorbeelden". All model text is drawn with `QPainter.drawText`
(plain text); tooltips escape it.

The layout adapts to the shape of the view: for the current viewport it picks which bouwstenen share a column (always
in model order, reading down and then right) and how many factor boxes sit side by side, so that the whole map fits
as large as possible. Exports are laid out for their page instead (16:9 for PNG and SVG slides, landscape A4 for PDF).

`ModelMapPanel` adds a small toolbar: measure, fit, zoom and export.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QImageWriter,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import REASONS, ExpectedError, storage_reason
from desktop.core.search.overview import MEASURES, BlockOverview, ClusterOverview, ThemeOverview, interventions_label

ACCESSIBLE_NAME = "Overzicht van het model"
TITLE = "Het bouwstenenmodel"
SUBTITLE = "beschermende factoren en hun voorbeeldinterventies"

# --- colours: one sequential blue scale (distinct lightness steps, so it also works in grayscale) ---------------
SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
INK = QColor("#111111")
PAPER = QColor("#ffffff")
OUTLINE = QColor("#34495e")
GAP_OUTLINE = QColor("#2b2b2b")
HATCH = QColor("#d4d4d4")
HEADER = QColor("#1f2f3f")
HEADER_INDIRECT = QColor("#4a5866")
HEADER_SUB = QColor("#e3e9ef")
BODY = QColor("#e8ecf0")
THEME_FILL = QColor("#ffffff")
THEME_LINE = QColor("#b9c2cc")
CAPTION = QColor("#23303d")
MUTED = QColor("#3d4a57")
RING_OUTER = QColor("#000000")
RING_INNER = QColor("#ffbf00")

LEGENDS: dict[str, tuple[str, tuple[str, str, str, str]]] = {
    "interventies": ("Kleur: aantal interventies per beschermende factor",
                     ("1", "2–3", "4–7", "8 of meer")),
    "trede": ("Kleur en percentage: aandeel interventies met een trede op de effectladder",
              ("minder dan 25%", "25–49%", "50–74%", "75% of meer")),
    "aangeboden": ("Kleur en percentage: aandeel interventies dat nu wordt aangeboden",
                   ("minder dan 25%", "25–49%", "50–74%", "75% of meer")),
}
GAP_LABEL = "geen voorbeelden (lacune)"
MEASURE_LABELS = {"interventies": "aantal interventies", "trede": "aandeel met een trede",
                  "aangeboden": "aandeel nu aangeboden"}

# --- sizes in scene units (= pixels at zoom 100%) --------------------------------------------------------------
MARGIN = 20.0
BOX_W = 178.0          # a factor box
BOX_PAD = 7.0
BOX_GAP = 5.0          # between factor boxes
NAME_LINES = 3
THEME_PAD = 6.0
THEME_GAP = 8.0
BODY_PAD = 6.0
BLOCK_GAP = 14.0
HEADER_H = 48.0
MAX_SUBCOLUMNS = 3
RING = 5.0             # room for the focus ring around an item
LEGIBLE_PX = 5.0       # a factor's name smaller than this on screen is drawn as bars (see FactorItem)

ItemKey = tuple[str, str]  # ("block" | "cluster", id)


# --- colour helpers ---------------------------------------------------------------------------------------------
def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: QColor) -> QColor:
    """Dark or white text, whichever contrasts more with the fill."""
    return INK if contrast_ratio(INK, fill) >= contrast_ratio(PAPER, fill) else PAPER


@functools.cache
def shade_ink(shade: int) -> QColor:
    """The text colour on a factor box of `shade` (0: a gap), worked out once per shade, not per paint."""
    return INK if shade == 0 else text_colour(QColor(SHADES[shade - 1]))


@functools.cache
def greyed_ink(shade: int) -> QColor:
    """The colour of text too small to read on a box of `shade`: its ink, half transparent."""
    ink = QColor(shade_ink(shade))
    ink.setAlphaF(0.45)
    return ink


def shade_class(cluster: ClusterOverview | ThemeOverview | BlockOverview, measure: str) -> int:
    """0 for a gap (no examples), else 1 (lightest) … 4 (darkest) for the measure."""
    if cluster.interventions == 0:
        return 0
    if measure == "interventies":
        n = cluster.interventions
        return 1 if n == 1 else 2 if n <= 3 else 3 if n <= 7 else 4
    value = cluster.trede_share if measure == "trede" else cluster.offered_share
    value = value or 0.0
    return 1 if value < 0.25 else 2 if value < 0.5 else 3 if value < 0.75 else 4


def share_text(cluster: ClusterOverview | BlockOverview, measure: str) -> str:
    """The percentage printed next to the count for a share measure ('' for the count measure or a gap)."""
    value = cluster.trede_share if measure == "trede" else cluster.offered_share if measure == "aangeboden" else None
    return "" if value is None else f"{round(value * 100)}%"


# --- text helpers -----------------------------------------------------------------------------------------------
def _font(pixels: int, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPixelSize(pixels)
    font.setBold(bold)
    font.setItalic(italic)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


class _Fonts:
    """The fonts of the map (created once a QApplication exists)."""

    def __init__(self) -> None:
        self.name = _font(13)
        self.count = _font(12, bold=True)
        self.gap = _font(12, italic=True)
        self.caption = _font(12, bold=True)
        self.header = _font(18, bold=True)
        self.header_sub = _font(12)
        self.title = _font(22, bold=True)
        self.subtitle = _font(14)
        self.legend = _font(13)
        self.legend_title = _font(13, bold=True)
        # what every factor box measures when it is painted: made once
        self.name_widths = TextWidths(self.name)
        self.name_metrics = self.name_widths.metrics
        self.count_metrics = QFontMetricsF(self.count)
        self.gap_metrics = QFontMetricsF(self.gap)
        self.box_heights = {n: FactorItem.height_for(n, self) for n in range(1, NAME_LINES + 1)}  # by name lines
        # text too small to read is drawn as bars: (bar height, width per character)
        self.name_bar = (self.name_metrics.xHeight(), self.name_metrics.averageCharWidth())
        self.count_bar = (self.count_metrics.xHeight(), self.count_metrics.averageCharWidth())
        self.caption_widths = TextWidths(self.caption)


_PIECES = re.compile(r"[/\-]*[^/\-]+[/\-]*|[/\-]+")


class TextWidths:
    """Advance widths in one font, each text measured once: the names of hundreds of factor boxes repeat their
    words, and measuring is most of what wrapping them costs."""

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetricsF(font)
        self.space = self.metrics.horizontalAdvance(" ")
        self._known: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._known.get(text)
        if width is None:
            width = self._known[text] = self.metrics.horizontalAdvance(text)
        return width


# a line and the next word are measured apart; only a sum this close to the limit is measured whole (kerning across
# a space moves a line by a fraction of a pixel)
_WRAP_SLACK = 2.0


def wrap_text(text: str, font: QFont, width: float, max_lines: int, widths: TextWidths | None = None) -> list[str]:
    """Plain text in at most `max_lines` lines of `width`; breaks at spaces and after '/' or '-', the last line
    elided with '…' when the text does not fit, a word wider than a line broken with a hyphen. `widths`: the
    measured words of `font` to reuse (the map wraps every factor name in one font)."""
    widths = widths or TextWidths(font)
    metrics = widths.metrics
    tokens: list[tuple[str, bool]] = []  # (piece, space before)
    for word in text.split():
        for i, piece in enumerate(_PIECES.findall(word)):
            tokens.append((piece, i == 0))
    lines: list[str] = []
    current = ""
    current_width = 0.0
    for piece, space in tokens:
        if current and space:  # a new word: the line's width plus a space plus the word, measured whole if close
            candidate = f"{current} {piece}"
            estimate = current_width + widths.space + widths(piece)
            if estimate > width + _WRAP_SLACK:
                fits = False
            elif estimate > width - _WRAP_SLACK:
                estimate = metrics.horizontalAdvance(candidate)
                fits = estimate <= width
            else:
                fits = True
        else:  # the next piece of a word ('familie/' 'opvoeders'): kerning across '-' or '/' can be pixels
            candidate = current + piece
            estimate = metrics.horizontalAdvance(candidate) if current else widths(piece)
            fits = estimate <= width
        if fits:
            current, current_width = candidate, estimate
            continue
        if widths(piece) > width:  # wider than a line by itself: break it with a hyphen
            head = f"{current} " if current and space else current
            while metrics.horizontalAdvance(head + piece) > width and len(piece) > 1:
                cut = len(piece) - 1
                while cut > 1 and metrics.horizontalAdvance(head + piece[:cut] + "-") > width:
                    cut -= 1
                if cut < 4 and head:  # too little room left on this line: start the word on the next
                    lines.append(current)
                    head = ""
                    continue
                lines.append(head + piece[:cut] + "-")
                head, piece = "", piece[cut:]
            current = head + piece
            current_width = metrics.horizontalAdvance(current)
            continue
        if current:
            lines.append(current)
        current, current_width = piece, widths(piece)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = [*lines[:max_lines - 1], metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
    return lines or [""]


def _tip(*lines: str) -> str:
    """A tooltip from plain text: escaped, so model text is never interpreted as markup."""
    head, *rest = lines
    return "<qt><b>" + escape(head) + "</b>" + "".join("<br>" + escape(line) for line in rest) + "</qt>"


def _rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def paint_swatch(painter: QPainter, rect: QRectF, shade: int, radius: float = 5.0) -> None:
    """The fill and outline of a factor box for shade 0 (a gap: hatched, dashed) … 4."""
    path = _rounded(rect, radius)
    if shade == 0:
        painter.fillPath(path, PAPER)
        # hatching computed inside the box (no clip path: the SVG generator does not support clipping)
        painter.setPen(_pen("hatch"))
        inner = rect.adjusted(2, 2, -2, -2)
        c = inner.left() + inner.top() + 4.0  # lines x + y = c
        while c < inner.right() + inner.bottom():
            x0, x1 = max(inner.left(), c - inner.bottom()), min(inner.right(), c - inner.top())
            if x0 < x1:
                painter.drawLine(QPointF(x0, c - x0), QPointF(x1, c - x1))
            c += 9.0
        painter.setPen(_pen("gap"))
    else:
        painter.fillPath(path, _shade_fill(shade))
        painter.setPen(_pen("outline"))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


@functools.cache
def _pen(kind: str) -> QPen:
    """The pens of the swatches, made once."""
    if kind == "hatch":
        return QPen(HATCH, 1.2)
    if kind == "gap":
        return QPen(GAP_OUTLINE, 1.6, Qt.PenStyle.DashLine)
    return QPen(OUTLINE, 1.0)


@functools.cache
def _shade_fill(shade: int) -> QColor:
    return QColor(SHADES[shade - 1])


# --- scene items ------------------------------------------------------------------------------------------------
class _Box(QGraphicsItem):
    """A rectangle whose top-left corner is the item position; subclasses paint it."""

    MARGIN = 0.0  # room around the box that its painting uses (a focus ring)

    def __init__(self) -> None:
        super().__init__()
        self._set_rect(10.0, 10.0)

    def _set_rect(self, width: float, height: float) -> None:
        # kept, not made per call: the scene asks for the bounds of hundreds of boxes on every paint
        self._rect = QRectF(0.0, 0.0, width, height)
        self._bounds = self._rect.adjusted(-self.MARGIN, -self.MARGIN, self.MARGIN, self.MARGIN)

    def rect(self) -> QRectF:
        """The box (read it, do not change it: it is the item's own)."""
        return self._rect

    def set_size(self, width: float, height: float) -> None:
        if self._rect.width() != width or self._rect.height() != height:
            self.prepareGeometryChange()
            self._set_rect(width, height)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds


class MapItem(_Box):
    """An item the user can click or reach with the keyboard: a bouwsteen header or a beschermende factor."""

    kind = ""
    MARGIN = RING

    def __init__(self, item_id: str, fonts: _Fonts) -> None:
        super().__init__()
        self.item_id = item_id
        self.fonts = fonts
        self.measure = "interventies"
        self.ring = False
        self.hover = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)

    @property
    def key(self) -> ItemKey:
        return (self.kind, self.item_id)

    def description(self) -> str:
        raise NotImplementedError

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.rect())
        return path

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hover = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hover = False
        self.update()

    def paint_ring(self, painter: QPainter, radius: float) -> None:
        """Keyboard focus: black and amber, visible on light and dark boxes and in grayscale; hover: black.
        Cosmetic pens, so the ring is equally thick at every zoom."""
        if not (self.ring or self.hover):
            return
        painter.setBrush(Qt.BrushStyle.NoBrush)
        outline = _rounded(self.rect().adjusted(-2.5, -2.5, 2.5, 2.5), radius + 2)
        pens = [(RING_OUTER, 5.0), (RING_INNER, 2.5)] if self.ring else [(RING_OUTER, 2.5)]
        for colour, width in pens:
            pen = QPen(colour, width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(outline)


class FactorItem(MapItem):
    """A beschermende factor: name (wrapped, elided), 'N interventies', shaded by the measure."""

    kind = "cluster"

    def __init__(self, cluster: ClusterOverview, theme: ThemeOverview, block: BlockOverview, fonts: _Fonts) -> None:
        super().__init__(cluster.id, fonts)
        self.cluster = cluster
        self.theme = theme
        self.block = block
        self.lines = wrap_text(cluster.name, fonts.name, BOX_W - 2 * BOX_PAD, NAME_LINES, fonts.name_widths)
        self._bars: tuple[QRectF, str, QPainterPath] | None = None  # the text as bars, for size and measure (tiny)

    @staticmethod
    def height_for(lines: int, fonts: _Fonts) -> float:
        name = fonts.name_metrics.lineSpacing()
        count = fonts.count_metrics.lineSpacing()
        return BOX_PAD + lines * name + 3 + count + BOX_PAD - 2

    def count_text(self) -> str:
        return "geen voorbeelden" if self.cluster.is_gap else interventions_label(self.cluster.interventions)

    def description(self) -> str:
        c = self.cluster
        parts = [f"Beschermende factor {c.name}", f"thema {self.theme.name}",
                 f"bouwsteen {self.block.number}. {self.block.name}"]
        if c.is_gap:
            parts.append("geen voorbeeldinterventies (een lacune in het model)")
        else:
            parts.append(f"{interventions_label(c.interventions)}, waarvan {c.with_trede} met een trede "
                         f"en {c.offered} nu aangeboden")
        return "; ".join(parts)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.update_tooltip()  # made when the pointer arrives (before Qt asks for it), not for every box at start
        super().hoverEnterEvent(event)

    def update_tooltip(self) -> None:
        c = self.cluster
        lines = [c.name, f"Thema: {self.theme.name}", f"Bouwsteen {self.block.number}. {self.block.name}"]
        if c.is_gap:
            lines.append("Geen voorbeeldinterventies: een lacune in het model")
        else:
            lines += [interventions_label(c.interventions),
                      f"{c.with_trede} met een trede op de effectladder ({share_text(c, 'trede')})",
                      f"{c.offered} nu aangeboden ({share_text(c, 'aangeboden')})"]
        lines.append("Klik of druk op Enter om deze factor te openen")
        self.setToolTip(_tip(*lines))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self.rect()
        shade = shade_class(self.cluster, self.measure)
        paint_swatch(painter, rect, shade, 6.0)
        if widget is not None and painter.worldTransform().m11() * self.fonts.name.pixelSize() < LEGIBLE_PX:
            self._paint_unreadable(painter, rect, shade)  # on screen only: exports and prints always get the text
            self.paint_ring(painter, 6.0)
            return
        painter.setPen(shade_ink(shade))
        painter.setFont(self.fonts.name)
        metrics = self.fonts.name_metrics
        y = rect.top() + BOX_PAD + metrics.ascent()
        for line in self.lines:
            painter.drawText(QPointF(rect.left() + BOX_PAD, y), line)
            y += metrics.lineSpacing()
        count_font, count_metrics = ((self.fonts.gap, self.fonts.gap_metrics) if self.cluster.is_gap
                                     else (self.fonts.count, self.fonts.count_metrics))
        baseline = rect.bottom() - BOX_PAD + 2 - count_metrics.descent()
        painter.setFont(count_font)
        painter.drawText(QPointF(rect.left() + BOX_PAD, baseline), self.count_text())
        percent = share_text(self.cluster, self.measure)
        if percent:
            painter.drawText(QPointF(rect.right() - BOX_PAD - count_metrics.horizontalAdvance(percent), baseline),
                             percent)
        self.paint_ring(painter, 6.0)


    def _paint_unreadable(self, painter: QPainter, rect: QRectF, shade: int) -> None:
        """The name and count as bars of about their length: text this small is a grey smear on screen, and
        drawing hundreds of such boxes as text made a large model's map slow to show and to zoom. Zoom in
        (or hover for the tooltip) to read them."""
        if self._bars is None or self._bars[:2] != (rect, self.measure):
            fonts = self.fonts
            left, room = rect.left() + BOX_PAD, rect.width() - 2 * BOX_PAD
            bars = QPainterPath()
            height, char = fonts.name_bar
            line_height = fonts.name_metrics.lineSpacing()
            y = rect.top() + BOX_PAD + fonts.name_metrics.ascent() - height
            for line in self.lines:
                bars.addRect(left, y, min(len(line) * char, room), height)
                y += line_height
            height, char = fonts.count_bar
            y = rect.bottom() - BOX_PAD + 2 - fonts.count_metrics.descent() - height
            bars.addRect(left, y, min(len(self.count_text()) * char, room), height)
            percent = share_text(self.cluster, self.measure)
            if percent:
                bars.addRect(rect.right() - BOX_PAD - len(percent) * char, y, len(percent) * char, height)
            self._bars = (rect, self.measure, bars)
        painter.fillPath(self._bars[2], greyed_ink(shade))


class BlockHeaderItem(MapItem):
    """The header of a bouwsteen column: '1. Individu' and its number of interventions."""

    kind = "block"

    def __init__(self, block: BlockOverview, fonts: _Fonts) -> None:
        super().__init__(block.id, fonts)
        self.block = block
        self.indirect = block.name.strip().casefold().startswith("indirect")
        self.setToolTip(_tip(f"Bouwsteen {block.number}. {block.name}", interventions_label(block.interventions),
                             f"{len(block.clusters)} beschermende factoren",
                             "Klik of druk op Enter om deze bouwsteen te openen"))

    def title(self) -> str:
        return f"{self.block.number}. {self.block.name}"

    def description(self) -> str:
        return (f"Bouwsteen {self.title()}; {interventions_label(self.block.interventions)}; "
                f"{len(self.block.clusters)} beschermende factoren")

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self.rect()
        painter.fillPath(_rounded(rect, 7.0), HEADER_INDIRECT if self.indirect else HEADER)
        width = rect.width() - 2 * BOX_PAD
        font = QFont(self.fonts.header)
        while QFontMetricsF(font).horizontalAdvance(self.title()) > width and font.pixelSize() > 14:
            font.setPixelSize(font.pixelSize() - 1)  # shrink a long name a little before eliding it
        metrics = QFontMetricsF(font)
        painter.setPen(PAPER)
        painter.setFont(font)
        painter.drawText(QPointF(rect.left() + BOX_PAD, rect.top() + 6 + metrics.ascent()),
                         metrics.elidedText(self.title(), Qt.TextElideMode.ElideRight, width))
        sub = interventions_label(self.block.interventions)
        sub_metrics = QFontMetricsF(self.fonts.header_sub)
        percent = share_text(self.block, self.measure)
        if percent:
            longer = f"{sub} · {percent} {'met trede' if self.measure == 'trede' else 'aangeboden'}"
            sub = longer if sub_metrics.horizontalAdvance(longer) <= width else f"{sub} · {percent}"
        painter.setPen(HEADER_SUB)
        painter.setFont(self.fonts.header_sub)
        painter.drawText(QPointF(rect.left() + BOX_PAD, rect.bottom() - 7 - sub_metrics.descent()),
                         sub_metrics.elidedText(sub, Qt.TextElideMode.ElideRight, width))
        self.paint_ring(painter, 7.0)


class ThemeItem(_Box):
    """A thema: a framed group with its caption; the factor boxes are placed on top of it."""

    def __init__(self, theme: ThemeOverview, fonts: _Fonts) -> None:
        super().__init__()
        self.theme = theme
        self.fonts = fonts
        self.lines: list[str] = [theme.name]
        self.setZValue(1)
        self.setToolTip(_tip(f"Thema: {theme.name}", interventions_label(theme.interventions)))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self.rect()
        painter.setPen(QPen(THEME_LINE, 1.0))
        painter.setBrush(THEME_FILL)
        painter.drawPath(_rounded(rect, 6.0))
        painter.setPen(CAPTION)
        painter.setFont(self.fonts.caption)
        metrics = QFontMetricsF(self.fonts.caption)
        y = rect.top() + THEME_PAD + metrics.ascent()
        for line in self.lines:
            painter.drawText(QPointF(rect.left() + THEME_PAD + 1, y), line)
            y += metrics.lineSpacing()


class BodyItem(_Box):
    """The background of a bouwsteen column."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(0)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillPath(_rounded(self.rect(), 7.0), BODY)


class HeadingItem(_Box):
    """Title and legend of the map: what the shading means, in Dutch."""

    def __init__(self, fonts: _Fonts) -> None:
        super().__init__()
        self.fonts = fonts
        self.measure = "interventies"
        self.note = ""
        self._legend: list[tuple[QPointF, int, str]] = []  # (top-left of swatch, shade, label)
        self._legend_title = QPointF()
        self.setZValue(1)

    def layout(self, width: float) -> float:
        """Place the legend entries for a map `width` wide; returns the height of title and legend."""
        title_metrics = QFontMetricsF(self.fonts.title)
        legend_metrics = QFontMetricsF(self.fonts.legend)
        title, labels = LEGENDS[self.measure]
        y = title_metrics.lineSpacing() + 8
        self._legend_title = QPointF(0, y)
        x = QFontMetricsF(self.fonts.legend_title).horizontalAdvance(title + ":") + 14
        row_h = max(legend_metrics.lineSpacing(), 20.0) + 6
        entries = [(0, GAP_LABEL), *((i + 1, label) for i, label in enumerate(labels))]
        self._legend = []
        for shade, label in entries:
            needed = 30 + 6 + legend_metrics.horizontalAdvance(label) + 16
            if x + needed > width and x > 0:
                x, y = 0.0, y + row_h
            self._legend.append((QPointF(x, y), shade, label))
            x += needed
        height = y + row_h
        self.set_size(width, height)
        return height

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self.rect()
        title_metrics = QFontMetricsF(self.fonts.title)
        painter.setPen(INK)
        painter.setFont(self.fonts.title)
        painter.drawText(QPointF(0, title_metrics.ascent()), TITLE)
        painter.setPen(MUTED)
        painter.setFont(self.fonts.subtitle)
        after = title_metrics.horizontalAdvance(TITLE) + 12
        painter.drawText(QPointF(after, title_metrics.ascent()), SUBTITLE)
        if self.note:
            note_metrics = QFontMetricsF(self.fonts.subtitle)
            room = rect.width() - after - QFontMetricsF(self.fonts.subtitle).horizontalAdvance(SUBTITLE) - 24
            note = note_metrics.elidedText(self.note, Qt.TextElideMode.ElideLeft, max(room, 0.0))
            painter.drawText(QPointF(rect.width() - note_metrics.horizontalAdvance(note), title_metrics.ascent()),
                             note)
        legend_metrics = QFontMetricsF(self.fonts.legend)
        baseline = 10 + legend_metrics.ascent() - legend_metrics.height() / 2
        painter.setPen(INK)
        painter.setFont(self.fonts.legend_title)
        painter.drawText(self._legend_title + QPointF(0, baseline), LEGENDS[self.measure][0] + ":")
        painter.setFont(self.fonts.legend)
        for point, shade, label in self._legend:
            paint_swatch(painter, QRectF(point, QSizeF(30, 20)), shade, 4.0)
            painter.setPen(INK)
            painter.drawText(point + QPointF(36, baseline), label)


# --- layout -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Arrangement:
    """Which bouwstenen stand in which column (top to bottom, in model order) and, per column, how many factor
    boxes sit side by side (`ks`). Six singleton columns is the classic picture; on a narrow view small
    bouwstenen share a column (for example 2 above 3), down to a grid of two rows."""

    columns: tuple[tuple[int, ...], ...]
    ks: tuple[int, ...]

    @property
    def stacked(self) -> bool:
        """Some column holds more than one bouwsteen."""
        return any(len(column) > 1 for column in self.columns)


def _partitions(count: int) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every way to cut 0..count-1 into consecutive runs (model order is kept, reading down then right)."""
    if count == 0:
        yield ()
        return
    if count > 10:  # not a real model; keep the search small
        yield tuple((i,) for i in range(count))
        yield tuple(tuple(range(i, min(i + 2, count))) for i in range(0, count, 2))
        return
    for cuts in itertools.product((False, True), repeat=count - 1):
        columns: list[tuple[int, ...]] = []
        run = [0]
        for i, cut in enumerate(cuts, start=1):
            if cut:
                columns.append(tuple(run))
                run = []
            run.append(i)
        columns.append(tuple(run))
        yield tuple(columns)


@dataclass
class _Block:
    header: BlockHeaderItem
    body: BodyItem
    themes: list[tuple[ThemeItem, list[FactorItem]]]


class ModelMapView(QGraphicsView):
    """The whole model on one map. Click (or Enter on) a factor: `cluster_activated`; a header: `block_activated`."""

    cluster_activated = Signal(str)
    block_activated = Signal(str)
    measure_changed = Signal(str)

    ZOOM_STEP = 1.25

    def __init__(self, overview: Sequence[BlockOverview] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._scene.setBackgroundBrush(PAPER)
        # a few hundred items that move only when laid out again: a plain list is quicker than the BSP tree
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self._scene)
        self.setAccessibleName(ACCESSIBLE_NAME)
        self.setAccessibleDescription("Bouwstenen, thema's en beschermende factoren met het aantal interventies. "
                                      "Tab of pijltjestoetsen: naar een factor; Enter: openen; + en −: zoomen.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # every item sets the pen, brush and font it paints with: no save and restore of the painter per item
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(PAPER)
        self.setMinimumSize(320, 240)
        self._fonts = _Fonts()
        self._measure = "interventies"
        self._blocks: list[_Block] = []
        self._heading = HeadingItem(self._fonts)
        self._items: dict[ItemKey, MapItem] = {}
        self._order: list[MapItem] = []
        self._current: MapItem | None = None
        self._arrangement: Arrangement | None = None
        self._fitted = True
        self._pressed: tuple[MapItem | None, QPointF] | None = None
        self._caption_cache: dict[tuple[str, float], list[str]] = {}
        self._size_cache: list[list[QSizeF]] | None = None
        self._heading_cache: dict[tuple[str, int], float] = {}
        self._best_cache: dict[tuple[int, int, str], Arrangement] = {}
        self.set_overview(overview)

    # --- content ----------------------------------------------------------------------------------------------
    def set_overview(self, overview: Sequence[BlockOverview], note: str = "") -> None:
        """(Re)build the map, e.g. after a model update; keeps measure, keyboard position and zoom mode.
        `note` is printed small at the top right (e.g. the model version), also in exports."""
        current = self._current.key if self._current else None
        self._scene.clear()
        self._blocks, self._items, self._order, self._current = [], {}, [], None
        self._caption_cache, self._size_cache, self._heading_cache = {}, None, {}
        self._best_cache = {}
        self._heading = HeadingItem(self._fonts)
        self._heading.measure = self._measure
        self._heading.note = note
        self._scene.addItem(self._heading)
        for block in overview:
            header = BlockHeaderItem(block, self._fonts)
            body = BodyItem()
            self._scene.addItem(body)
            self._scene.addItem(header)
            self._register(header)
            themes: list[tuple[ThemeItem, list[FactorItem]]] = []
            for theme in block.themes:
                theme_item = ThemeItem(theme, self._fonts)
                self._scene.addItem(theme_item)
                factors = []
                for cluster in theme.clusters:
                    factor = FactorItem(cluster, theme, block, self._fonts)
                    self._scene.addItem(factor)
                    self._register(factor)
                    factors.append(factor)
                themes.append((theme_item, factors))
            self._blocks.append(_Block(header, body, themes))
        for item in self._items.values():
            item.measure = self._measure
        self._arrangement = None
        self._relayout()
        if current in self._items:
            self._set_current(self._items[current], announce=False)

    def _register(self, item: MapItem) -> None:
        self._items[item.key] = item
        self._order.append(item)

    def factor_items(self) -> dict[str, FactorItem]:
        return {i.item_id: i for i in self._order if isinstance(i, FactorItem)}

    def block_items(self) -> dict[str, BlockHeaderItem]:
        return {i.item_id: i for i in self._order if isinstance(i, BlockHeaderItem)}

    def factor_item(self, cluster_id: str) -> FactorItem | None:
        item = self._items.get(("cluster", cluster_id))
        return item if isinstance(item, FactorItem) else None

    def arrangement(self) -> Arrangement | None:
        return self._arrangement

    # --- measure ----------------------------------------------------------------------------------------------
    def measure(self) -> str:
        return self._measure

    def set_measure(self, measure: str) -> None:
        """Shade by 'interventies' (number), 'trede' (share with a trede) or 'aangeboden' (share offered now)."""
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}")
        if measure == self._measure:
            return
        self._measure = measure
        self._heading.measure = measure
        for item in self._items.values():
            item.measure = measure
            item.update()
        self._relayout(keep=True)  # the legend text differs per measure
        self._scene.update()
        self.measure_changed.emit(measure)

    # --- layout -----------------------------------------------------------------------------------------------
    def _caption(self, theme: ThemeItem, width: float) -> list[str]:
        key = (theme.theme.id, width)
        if key not in self._caption_cache:
            fonts = self._fonts
            self._caption_cache[key] = wrap_text(theme.theme.name, fonts.caption, width, 2, fonts.caption_widths)
        return self._caption_cache[key]

    def _block_size(self, block: _Block, k: int, place: QPointF | None = None) -> QSizeF:
        """Width and height of a bouwsteen column with `k` factor boxes side by side; places it at `place`."""
        content = k * BOX_W + (k - 1) * BOX_GAP
        theme_w = content + 2 * THEME_PAD
        width = theme_w + 2 * BODY_PAD
        caption_line = self._fonts.caption_widths.metrics.lineSpacing()
        heights = self._fonts.box_heights
        y = HEADER_H + BODY_PAD
        for theme, factors in block.themes:
            lines = self._caption(theme, content)
            top = y
            y += THEME_PAD + len(lines) * caption_line + 4
            for row_start in range(0, len(factors), k):
                row = factors[row_start:row_start + k]
                row_h = heights[max(len(f.lines) for f in row)]
                if place is not None:
                    for j, factor in enumerate(row):
                        factor.setPos(place + QPointF(BODY_PAD + THEME_PAD + j * (BOX_W + BOX_GAP), y))
                        factor.set_size(BOX_W, row_h)
                y += row_h + BOX_GAP
            if factors:
                y -= BOX_GAP
            y += THEME_PAD
            if place is not None:
                theme.lines = lines
                theme.setPos(place + QPointF(BODY_PAD, top))
                theme.set_size(theme_w, y - top)
            y += THEME_GAP
        if block.themes:
            y -= THEME_GAP
        return QSizeF(width, y + BODY_PAD)

    def _sizes(self) -> list[list[QSizeF]]:
        """Per bouwsteen, its column size with 1 … MAX_SUBCOLUMNS factor boxes side by side (cached)."""
        if self._size_cache is None:
            self._size_cache = [[self._block_size(b, k) for k in range(1, MAX_SUBCOLUMNS + 1)] for b in self._blocks]
        return self._size_cache

    def _column_sizes(self, arrangement: Arrangement) -> list[QSizeF]:
        sizes = self._sizes()
        result = []
        for column, k in zip(arrangement.columns, arrangement.ks, strict=True):
            width = max(sizes[i][k - 1].width() for i in column)
            height = sum(sizes[i][k - 1].height() for i in column) + BLOCK_GAP * (len(column) - 1)
            result.append(QSizeF(width, height))
        return result

    def _place(self, arrangement: Arrangement, apply: bool) -> QSizeF:
        """The scene size for an arrangement; with `apply`, moves every item there."""
        columns = self._column_sizes(arrangement)
        content_w = sum(c.width() for c in columns) + BLOCK_GAP * max(len(columns) - 1, 0)
        content_h = max((c.height() for c in columns), default=0.0)
        heading_w = max(content_w, 640.0)
        heading_h = self._heading.layout(heading_w) if apply else self._heading_height(heading_w)
        top = MARGIN + heading_h + 12
        if apply:
            self._heading.setPos(MARGIN, MARGIN)
            x = MARGIN
            sizes = self._sizes()
            for column, k, size in zip(arrangement.columns, arrangement.ks, columns, strict=True):
                y = top
                for position, i in enumerate(column):
                    block = self._blocks[i]
                    self._block_size(block, k, QPointF(x, y))
                    last = position == len(column) - 1
                    height = top + content_h - y if last else sizes[i][k - 1].height()
                    block.header.setPos(x, y)
                    block.header.set_size(size.width(), HEADER_H)
                    block.body.setPos(x, y)
                    block.body.set_size(size.width(), height)
                    y += height + BLOCK_GAP
                x += size.width() + BLOCK_GAP
        return QSizeF(max(content_w, heading_w) + 2 * MARGIN, top + content_h + MARGIN)

    def _heading_height(self, width: float) -> float:
        key = (self._measure, round(width))
        if key not in self._heading_cache:
            saved = self._heading.rect().size()
            self._heading_cache[key] = self._heading.layout(width)
            self._heading.set_size(saved.width(), saved.height())
        return self._heading_cache[key]

    def best_arrangement(self, width: float, height: float) -> Arrangement:
        """The arrangement that shows the whole map largest in a `width` × `height` area."""
        best: tuple[float, int, Arrangement] | None = None
        for columns in _partitions(len(self._blocks)):
            for ks in self._candidates(columns):
                arrangement = Arrangement(columns, ks)
                size = self._place(arrangement, apply=False)
                scale = min(width / size.width(), height / size.height())
                # a clearly (1%) larger map wins; of nearly equal ones, more columns (the classic picture)
                if best is None or scale > best[0] * 1.01 or \
                        (scale > best[0] * 0.99 and len(columns) > best[1]):
                    best = (scale, len(columns), arrangement)
        return best[2] if best else Arrangement((), ())

    def _candidates(self, columns: tuple[tuple[int, ...], ...]) -> Iterator[tuple[int, ...]]:
        """Boxes side by side per column: for every height cap, the narrowest choice that stays under it."""
        sizes = self._sizes()
        heights = [[sum(sizes[i][k - 1].height() for i in column) + BLOCK_GAP * (len(column) - 1)
                     for k in range(1, MAX_SUBCOLUMNS + 1)] for column in columns]
        seen: set[tuple[int, ...]] = set()
        for cap in sorted({h for hs in heights for h in hs}):
            ks = []
            for hs in heights:
                fitting = [k for k, h in enumerate(hs, start=1) if h <= cap + 1e-6]
                if not fitting:
                    break
                ks.append(fitting[0])
            else:
                if tuple(ks) not in seen:
                    seen.add(tuple(ks))
                    yield tuple(ks)

    def _viewport_area(self) -> QSizeF:
        size = self.viewport().size()
        if size.width() < 200 or size.height() < 150:
            return QSizeF(1280, 720)
        return QSizeF(size.width(), size.height())

    def _relayout(self, keep: bool = False) -> None:
        """Lay the map out for the viewport (or keep the arrangement); refits when the map is in fitted mode.
        Showing and resizing ask again and again for the same area: its best arrangement is remembered, and
        an arrangement already in place is not placed again. A hidden view is laid out when it is shown (the
        window builds the map before it knows the map's size; the exports lay out a page of their own)."""
        if not self.isVisible() and not (keep and self._arrangement is not None):
            self._arrangement = None
            return
        if keep and self._arrangement is not None:
            arrangement = self._arrangement
        else:
            area = self._viewport_area()
            key = (round(area.width()), round(area.height()), self._measure)
            if key not in self._best_cache:
                self._best_cache[key] = self.best_arrangement(area.width(), area.height())
            arrangement = self._best_cache[key]
        if keep or arrangement != self._arrangement:
            self._apply(arrangement)
        if self._fitted:
            self._fit_now()

    def _apply(self, arrangement: Arrangement) -> None:
        self._arrangement = arrangement
        size = self._place(arrangement, apply=True)
        self._scene.setSceneRect(QRectF(QPointF(0, 0), size))

    # --- zoom -------------------------------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole map, as large as the view allows (re-laid out for the view's shape)."""
        self._fitted = True
        self._relayout()

    def _fit_now(self) -> None:
        self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        current = self.zoom()
        viewport = self.viewport().size()
        rect = self._scene.sceneRect()
        lowest = min(viewport.width() / max(rect.width(), 1), viewport.height() / max(rect.height(), 1)) * 0.5
        target = max(min(current * factor, 6.0), min(lowest, 1.0))
        if abs(target - current) < 1e-6:
            return
        self._fitted = False
        self.scale(target / current, target / current)

    def zoom_in(self) -> None:
        self._zoom_centered(self.ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_centered(1 / self.ZOOM_STEP)

    def _zoom_centered(self, factor: float) -> None:
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        if self._current is not None and self._current.ring:
            self.centerOn(self._current)
        self.zoom_by(factor)
        self.setTransformationAnchor(anchor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(self.ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self._relayout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fitted or self._arrangement is None:
            self._relayout()

    # --- keyboard and mouse -----------------------------------------------------------------------------------
    def current(self) -> MapItem | None:
        return self._current

    def set_current(self, kind: str, item_id: str) -> bool:
        item = self._items.get((kind, item_id))
        if item is None:
            return False
        self._set_current(item)
        return True

    def _set_current(self, item: MapItem | None, announce: bool = True) -> None:
        if self._current is not None:
            self._current.ring = False
            self._current.update()
        self._current = item
        if item is None:
            return
        item.ring = self.hasFocus()
        item.update()
        if not self._fitted:
            self.ensureVisible(item.sceneBoundingRect(), 24, 24)
        if announce:
            self.setAccessibleDescription(item.description())
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.DescriptionChanged))

    def _step(self, delta: int) -> bool:
        """Tab order: the next or previous item; False at either end (Tab then leaves the map)."""
        if not self._order:
            return False
        if self._current is None:
            self._set_current(self._order[0 if delta > 0 else -1])
            return True
        index = self._order.index(self._current) + delta
        if not 0 <= index < len(self._order):
            return False
        self._set_current(self._order[index])
        return True

    def _neighbour(self, dx: int, dy: int) -> MapItem | None:
        """The nearest item in a direction, preferring the ones in line with the current item."""
        if self._current is None:
            return self._order[0] if self._order else None
        here = self._current.sceneBoundingRect()
        centre = here.center()
        in_line: list[tuple[float, MapItem]] = []
        others: list[tuple[float, MapItem]] = []
        for item in self._order:
            if item is self._current:
                continue
            rect = item.sceneBoundingRect()
            d = rect.center() - centre
            along = d.x() * dx + d.y() * dy
            if along <= 1:
                continue
            across = abs(d.x() * dy) + abs(d.y() * dx)
            overlaps = (rect.left() < here.right() and rect.right() > here.left()) if dy else \
                (rect.top() < here.bottom() and rect.bottom() > here.top())
            (in_line if overlaps else others).append((along if overlaps else along + 3 * across, item))
        pool = in_line or others
        return min(pool, key=lambda pair: pair[0])[1] if pool else None

    def activate(self, item: MapItem | None = None) -> None:
        """Open an item (default: the current one): emits `cluster_activated` or `block_activated`."""
        item = item or self._current
        if isinstance(item, FactorItem):
            self.cluster_activated.emit(item.item_id)
        elif isinstance(item, BlockHeaderItem):
            self.block_activated.emit(item.item_id)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            backwards = event.key() == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if self._step(-1 if backwards else 1):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        directions = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
                      Qt.Key.Key_Down: (0, 1)}
        if key in directions and not ctrl:
            target = self._neighbour(*directions[key])
            if target is not None:
                self._set_current(target)
            event.accept()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._current is not None:
            self.activate()
            event.accept()
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self._order:
            self._set_current(self._order[0 if key == Qt.Key.Key_Home else -1])
            event.accept()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
            event.accept()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
            event.accept()
        elif key == Qt.Key.Key_0:
            self.fit()
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.TabFocusReason and self._order:
            self._set_current(self._order[0])
        elif event.reason() == Qt.FocusReason.BacktabFocusReason and self._order:
            self._set_current(self._order[-1])
        elif self._current is not None:
            self._set_current(self._current, announce=False)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._current is not None:
            self._current.ring = False
            self._current.update()

    def _item_at(self, position: QPointF) -> MapItem | None:
        for item in self.items(position.toPoint()):
            if isinstance(item, MapItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = (self._item_at(event.position()), event.position())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        event.accept()  # clicks are handled here, also on empty space
        pressed, self._pressed = self._pressed, None
        if event.button() != Qt.MouseButton.LeftButton or pressed is None or pressed[0] is None:
            return
        moved = (event.position() - pressed[1]).manhattanLength()
        item = self._item_at(event.position())
        if item is pressed[0] and moved < QApplication.startDragDistance():
            self._set_current(item)
            self.activate(item)

    # --- export -----------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _export_layout(self, width: float, height: float) -> Iterator[QRectF]:
        """Temporarily lay the map out for a page of this shape, without focus ring or hover; yields the rect."""
        saved, current = self._arrangement, self._current
        hovered = [item for item in self._items.values() if item.hover]
        for item in [*hovered, *([current] if current else [])]:
            item.ring = item.hover = False
        try:
            self._apply(self.best_arrangement(width, height))
            yield self._scene.sceneRect()
        finally:
            for item in hovered:
                item.hover = True
            if current is not None:
                current.ring = self.hasFocus()
            if saved is not None:
                self._apply(saved)
            if self._fitted:
                self._fit_now()

    def render_png(self, scale: float = 2.0) -> bytes:
        with self._export_layout(1600, 900) as source:
            factor = min(scale, 8000 / max(source.width(), source.height()))
            image = QImage(math.ceil(source.width() * factor), math.ceil(source.height() * factor),
                           QImage.Format.Format_ARGB32)
            image.fill(PAPER)
            image.setDotsPerMeterX(round(96 * factor / 0.0254))
            image.setDotsPerMeterY(round(96 * factor / 0.0254))
            painter = QPainter(image)
            self._render(painter, QRectF(0, 0, image.width(), image.height()), source)
        return self._bytes(lambda buffer: QImageWriter(buffer, QByteArray(b"png")).write(image))

    def render_svg(self) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        with self._export_layout(1600, 900) as source:
            from PySide6.QtSvg import QSvgGenerator  # only for an SVG export

            generator = QSvgGenerator()
            generator.setOutputDevice(buffer)
            generator.setSize(QSize(math.ceil(source.width()), math.ceil(source.height())))
            generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
            generator.setResolution(96)  # so viewers show it at its size in pixels
            generator.setTitle(TITLE)
            generator.setDescription(f"{TITLE}: {SUBTITLE}. {LEGENDS[self._measure][0]}.")
            painter = QPainter(generator)
            self._render(painter, QRectF(0, 0, source.width(), source.height()), source)
        buffer.close()
        return bytes(data.data())

    def render_pdf(self) -> bytes:
        # imported here: creating the page classes' enums costs a start-up that never prints
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setTitle(f"{TITLE} – {SUBTITLE}")
        writer.setCreator("Bouwstenen")
        writer.setResolution(300)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                         QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
        with self._export_layout(277, 190) as source:
            painter = QPainter(writer)
            page = QRectF(0, 0, writer.width(), writer.height())
            factor = min(page.width() / source.width(), page.height() / source.height())
            target = QRectF(0, 0, source.width() * factor, source.height() * factor)
            target.moveCenter(page.center())
            self._render(painter, target, source)
        buffer.close()
        return bytes(data.data())

    def _render(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        try:
            self._scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            painter.end()

    @staticmethod
    def _bytes(write: Callable[[QBuffer], bool]) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        write(buffer)
        buffer.close()
        return bytes(data.data())

    def export_image(self, path: Path) -> None:
        """Write the whole map to `path` as .png (2× size, for slides), .svg or .pdf (landscape A4).
        Written to a temporary file next to it and then swapped in, so a failure leaves no half file behind."""
        path = Path(path)
        suffix = path.suffix.lower()
        renderers = {".png": self.render_png, ".svg": self.render_svg, ".pdf": self.render_pdf}
        if suffix not in renderers:
            raise ExpectedError(f"‘{path.name}’: kies een bestandsnaam die eindigt op .png, .svg of .pdf.")
        data = renderers[suffix]()
        if not data:
            raise ExpectedError(f"‘{path.name}’ kon niet worden gemaakt.")
        write_atomically(path, data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file in the same folder; OSError becomes a Dutch ExpectedError."""
    temp: Path | None = None
    try:
        temp = path.with_name(f".{path.stem}-{os.urandom(4).hex()}.tmp")
        with open(temp, "xb") as stream:  # ordinary permissions (a mkstemp file would be private to the user)
            stream.write(data)
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise ExpectedError(f"‘{path.name}’ kan niet worden opgeslagen: {REASONS[storage_reason(exc)]}.") from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


# --- the panel ---------------------------------------------------------------------------------------------------
EXPORT_FILTERS = "PNG-afbeelding (*.png);;SVG-afbeelding (*.svg);;PDF-document (*.pdf)"


class ModelMapPanel(QWidget):
    """The map with a toolbar: colour measure, fit, zoom in/out, export."""

    exported = Signal(str)  # the path written

    def __init__(self, overview: Sequence[BlockOverview] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(ACCESSIBLE_NAME)
        self.view = ModelMapView(overview)
        self.export_folder: Path | None = None

        label = QLabel("&Kleur naar:")
        self.measure_box = QComboBox()
        for key in MEASURES:
            self.measure_box.addItem(MEASURE_LABELS[key], key)
        self.measure_box.setAccessibleName("Kleur naar")
        self.measure_box.setToolTip("Waar de kleur van een beschermende factor voor staat")
        label.setBuddy(self.measure_box)
        self.measure_box.currentIndexChanged.connect(
            lambda _i: self.view.set_measure(str(self.measure_box.currentData())))
        self.view.measure_changed.connect(self._measure_shown)

        self.fit_button = self._button("&Passend maken", "Passend maken", "Het hele model in het venster (0)",
                                       self.view.fit)
        self.zoom_in_button = self._button("+", "Inzoomen", "Inzoomen (+ of Ctrl+muiswiel)", self.view.zoom_in)
        self.zoom_out_button = self._button("−", "Uitzoomen", "Uitzoomen (− of Ctrl+muiswiel)", self.view.zoom_out)
        self.export_button = self._button(
            "&Exporteren…", "Exporteren", "Het overzicht opslaan als PNG, SVG of PDF, bijv. voor een presentatie",
            self.export)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        self.hint = QLabel("Klik op een beschermende factor om de interventies te zien")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        palette = self.hint.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#4d4d4d"))  # muted, still readable (7:1)
        self.hint.setPalette(palette)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # gives way on narrow screens
        bar.addWidget(label)
        bar.addWidget(self.measure_box)
        bar.addSpacing(12)
        bar.addWidget(self.hint, 1)
        for button in (self.fit_button, self.zoom_out_button, self.zoom_in_button, self.export_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

    def _button(self, text: str, name: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        return button

    def _measure_shown(self, measure: str) -> None:
        index = self.measure_box.findData(measure)
        if index >= 0 and index != self.measure_box.currentIndex():
            self.measure_box.setCurrentIndex(index)

    def set_overview(self, overview: Sequence[BlockOverview], note: str = "") -> None:
        self.view.set_overview(overview, note)

    def export(self) -> Path | None:
        """Ask for a file name and export; a failure is shown as a Dutch message. Returns the file written."""
        folder = self.export_folder or Path.home()
        path, chosen = QFileDialog.getSaveFileName(self, "Overzicht van het model exporteren",
                                                   str(folder / "bouwstenenmodel.png"), EXPORT_FILTERS)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg", ".pdf"):
            match = re.search(r"\*(\.\w+)", chosen or "")
            target = target.with_name(target.name + (match.group(1) if match else ".png"))
        try:
            self.view.export_image(target)
        except ExpectedError as error:
            box = QMessageBox(QMessageBox.Icon.Warning, "Exporteren niet gelukt", str(error),
                              QMessageBox.StandardButton.Ok, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
            return None
        self.export_folder = target.parent
        self.exported.emit(str(target))
        return target
