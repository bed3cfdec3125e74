"""Printing and PDF export of a `Report` (thin Qt layer over `desktop.core.reports`).

One `render()` lays a report out on A4 pages and paints them, page by page, with a footer on every
page (the footer text on the left, "pagina N van M" on the right); the PDF export and the print
preview both use it, so paper and PDF look the same.

    pages = export_pdf(intervention_report(repo, iid), path, footer_text(repo.meta()))
    dialog = print_report(window, block_report(repo, "individu"), footer_text(repo.meta()))
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from desktop.core.errors import REASONS, ExpectedError, storage_reason
from desktop.core.reports import Report

RESOLUTION = 300  # dots per inch of the PDF
MARGIN_MM = 18.0
FOOTER_GAP_MM = 4.0  # between the body and the footer rule
BODY_POINTS = 10.5
FOOTER_POINTS = 7.5
FOOTER_MIN_POINTS = 6.0  # a long footer is set smaller, down to this size, rather than wrapped
FONT_FAMILIES = ["Segoe UI", "Calibri", "Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"]
FOOTER_SEPARATOR = " · "  # the footer's parts each get a line of their own
LINE_SEPARATOR = "\u2028"  # what a <br> becomes in a QTextDocument
SPLIT_PASSES = 8
INK = QColor("#1f1f1f")
MUTED = QColor("#5a5a5a")

# Only what Qt's rich-text engine does; px are screen pixels, scaled to the printer by the layout.
STYLE = """
h1 { font-size: 18pt; font-weight: 600; color: #1d3f66; margin-top: 0px; margin-bottom: 8px; }
h2 { font-size: 13pt; font-weight: 600; color: #1d3f66; margin-top: 16px; margin-bottom: 5px; }
h3 { font-size: 11pt; font-weight: 600; color: #1d3f66; margin-top: 10px; margin-bottom: 3px; }
p { margin-top: 0px; margin-bottom: 6px; }
ul { margin-top: 0px; margin-bottom: 6px; }
li { margin-bottom: 2px; }
.muted { color: #5a5a5a; }
.warning { background-color: #fff4d6; }
table { margin-top: 2px; margin-bottom: 8px; }
table.fields td { padding: 2px 8px 2px 0px; }
td.label { color: #4a4a4a; }
table.list { border-collapse: collapse; border-color: #9a9a9a; }
table.list th { background-color: #e6ecf3; font-weight: 600; text-align: left; padding: 3px; }
table.list td { padding: 3px; }
"""


def page_layout() -> QPageLayout:
    """A4 portrait with MARGIN_MM on every side."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)


def document_font(points: float = BODY_POINTS) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    return font


def _document(report: Report, device: QPagedPaintDevice, width: float, height: float) -> QTextDocument:
    """The report laid out for `device` in pages of width x height device pixels."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)  # fonts in pt and margins in px scale to the device
    doc.setDefaultFont(document_font())
    doc.setDefaultStyleSheet(STYLE)
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, report.title)
    doc.setHtml(report.html)
    doc.setPageSize(QSizeF(width, height))
    _split_at_page_breaks(doc, height)
    return doc


def _page_breaks(doc: QTextDocument, page_height: float) -> list[tuple[QTextBlock, int]]:
    """Every place where a page break falls inside a paragraph: (the paragraph, where the next page starts)."""
    layout = doc.documentLayout()
    layout.documentSize()  # lay the whole document out (Qt does it lazily)
    found = []
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        if lines.lineCount() > 1:
            top = layout.blockBoundingRect(block).top()  # where the block's lines are measured from
            page = int((top + lines.lineAt(0).y() + 0.5) // page_height)
            for index in range(1, lines.lineCount()):
                line = lines.lineAt(index)
                on = int((top + line.y() + 0.5) // page_height)
                if on != page:
                    found.append((block, block.position() + line.textStart()))
                    page = on
        block = block.next()
    return found


def _split(cursor: QTextCursor, block: QTextBlock, position: int) -> None:
    """End the paragraph `block` at `position` and go on with the rest as a paragraph of its own."""
    doc = cursor.document()
    cursor.setPosition(position)
    if doc.characterAt(position - 1) == LINE_SEPARATOR:
        cursor.deletePreviousChar()  # a <br> just before the break would leave an empty line
    items = block.textList()
    cursor.insertBlock()
    if items is not None:
        items.remove(cursor.block())  # the rest of a list item: no second bullet; Qt keeps the item's indent
    form = cursor.block().blockFormat()
    form.setTopMargin(0)
    cursor.setBlockFormat(form)


def _split_at_page_breaks(doc: QTextDocument, page_height: float) -> None:
    """Split every paragraph where a page breaks it.

    Qt draws a paragraph's last line above a page's clip along with the lines on the page: hidden by
    the clip, but still in the PDF, where it would be found, copied and read aloud twice. A paragraph
    that ends on one page and goes on as a new one on the next page looks the same and has no such line.
    Splitting leaves the layout after it as it was, so one pass from the end does nearly all of them.
    """
    for _attempt in range(SPLIT_PASSES):
        breaks = _page_breaks(doc, page_height)
        if not breaks:
            return
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()  # one relayout for all of them
        for block, position in reversed(breaks):
            _split(cursor, block, position)
        cursor.endEditBlock()


class _Footer:
    """The footer lines, set in a size at which every line fits the page width."""

    def __init__(self, text: str, device: QPagedPaintDevice, width: float) -> None:
        self.lines = [part.strip() for part in text.split(FOOTER_SEPARATOR) if part.strip()] or [""]
        self.device = device
        self.width = width
        points = FOOTER_POINTS
        while points > FOOTER_MIN_POINTS and not self._fits(points):
            points -= 0.25
        self.font = document_font(points)
        self.metrics = QFontMetricsF(self.font, device)
        self.gap = FOOTER_GAP_MM * device.logicalDpiY() / 25.4
        self.height = self.gap + self.metrics.lineSpacing() * len(self.lines) + self.metrics.descent()

    def _fits(self, points: float) -> bool:
        metrics = QFontMetricsF(document_font(points), self.device)
        room = self.width - metrics.horizontalAdvance("  pagina 999 van 999")
        return all(metrics.horizontalAdvance(line) <= (room if i == 0 else self.width)
                   for i, line in enumerate(self.lines))

    def paint(self, painter: QPainter, top: float, page: int, pages: int) -> None:
        painter.save()
        painter.setPen(QPen(MUTED, max(1.0, self.device.logicalDpiY() / 300)))
        rule = top + self.gap / 2
        painter.drawLine(0, round(rule), round(self.width), round(rule))
        painter.setFont(self.font)
        painter.setPen(MUTED)
        line_height = self.metrics.lineSpacing()
        flags = Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        for index, line in enumerate(self.lines):
            box = QRectF(0, top + self.gap + index * line_height, self.width, line_height * 2)
            if index == 0:
                painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                                 f"pagina {page} van {pages}")
                box.setWidth(self.width - self.metrics.horizontalAdvance(f"  pagina {pages} van {pages}"))
            painter.drawText(box, flags | Qt.AlignmentFlag.AlignLeft, line)
        painter.restore()


def render(report: Report, device: QPagedPaintDevice, footer: str) -> int:
    """Paint the report on `device` (a QPdfWriter or QPrinter) page by page; returns the number of pages."""
    painter = QPainter()
    if not painter.begin(device):
        raise ExpectedError(f"Het document ‘{report.title}’ kan niet worden opgemaakt: de printer of het bestand "
                            "is niet beschikbaar.")
    try:
        width, height = float(device.width()), float(device.height())
        foot = _Footer(footer, device, width)
        body = float(int(height - foot.height))  # whole pixels: Qt's page breaks and ours fall on the same line
        doc = _document(report, device, width, body)
        pages = max(1, doc.pageCount())
        layout = doc.documentLayout()
        for index in range(pages):
            if index:
                device.newPage()
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, body))
            painter.translate(0, -index * body)
            context = QAbstractTextDocumentLayout.PaintContext()
            # a hair inside the page, so a line that starts exactly at the next page's top is not drawn here
            context.clip = QRectF(0, index * body + 1, width, body - 2)
            context.palette.setColor(context.palette.ColorRole.Text, INK)
            layout.draw(painter, context)
            painter.restore()
            foot.paint(painter, body, index + 1, pages)
        return pages
    finally:
        painter.end()


def _write_replacing(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then put it in place: never a half-written file."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ExpectedError(f"Het PDF-bestand ‘{path.name}’ opslaan in de map ‘{path.parent}’ lukt niet: "
                            f"{REASONS[storage_reason(exc)]}.") from exc


def export_pdf(report: Report, path: Path, footer: str) -> int:
    """Save the report as an A4 PDF at `path` (replaced as a whole); returns the number of pages."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page_layout())
    writer.setTitle(report.title)
    writer.setCreator("Bouwstenen")
    pages = render(report, writer, footer)
    buffer.close()
    _write_replacing(path, bytes(buffer.data().data()))
    return pages


class _PreviewDialog(QPrintPreviewDialog):
    """A print preview that keeps its printer and report alive as long as it is open."""

    def __init__(self, printer: QPrinter, report: Report, footer: str, parent: QWidget | None) -> None:
        super().__init__(printer, parent)
        self._keep_printer = printer  # the dialog does not own it
        self.report = report
        self.footer = footer
        self.paintRequested.connect(self._paint)

    def _paint(self, printer: QPrinter) -> None:
        render(self.report, printer, self.footer)


def print_report(parent: QWidget | None, report: Report, footer: str) -> QPrintPreviewDialog:
    """Open a print preview (A4) of the report; printing from it renders the same pages. Non-blocking."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(report.title)
    dialog = _PreviewDialog(printer, report, footer, parent)
    dialog.setWindowTitle(f"Afdrukvoorbeeld – {report.title}")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
