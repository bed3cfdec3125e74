"""Beeld › Presentatiemodus: the model full screen, in large type, for a projector in a training room.

The window steps through the slides of `desktop.core.search.tour` with the keyboard (or a presenter's
clicker, which sends PageDown/PageUp) and the mouse. It is given the model repository only, never the
workspace: the user's notes, werksets and plans cannot appear on a public screen.

Model texts are untrusted: every one is escaped before it becomes rich text, links are not followed
and no resource (image, file, stylesheet) is ever loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPalette, QResizeEvent, QScreen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.search import tour
from desktop.core.search.repository import ModelRepository
from desktop.core.search.tour import Slide

REFERENCE_HEIGHT = 1080  # sizes below are pixels at this window height and scale with it
TITLE_PX = 64  # 48 pt at 96 dpi
BODY_PX = 40  # 30 pt
SMALL_PX = 34  # 25.5 pt: dense lists (risk factors, examples)
FOOTER_PX = 24
MIN_FIT = 0.62  # a slide that does not fit shrinks, but never below this part of its size
FONT_FAMILIES = ["Segoe UI", "Arial", "Liberation Sans", "DejaVu Sans", "sans-serif"]
FONT_CSS = ", ".join(f'"{f}"' if " " in f else f for f in FONT_FAMILIES)
KIND_WORDS = {
    "model": "opening", "block": "bouwsteen", "theme": "thema", "cluster": "beschermende factor",
    "intervention": "interventie", "effectladder": "effectladder",
}
KEYS = [
    ("→ / spatie / PageDown / klik", "volgende dia"),
    ("← / Backspace / PageUp / rechterklik", "vorige dia"),
    ("↓", "een niveau dieper (bouwsteen → thema → factor → interventie)"),
    ("↑", "een niveau hoger"),
    ("Ctrl+→ / Ctrl+←", "volgende / vorige op hetzelfde niveau (slaat de onderliggende dia's over)"),
    ("1 … 6", "naar bouwsteen 1 … 6"),
    ("Home / End", "naar het begin / naar de effectladder"),
    ("F", "zoeken (Enter: erheen, Esc: sluiten)"),
    ("B", "zwart scherm (nog een toets: terug)"),
    ("F1", "dit overzicht"),
    ("Esc", "presentatie verlaten"),
]


MOVES: dict[str, Callable[[list[Slide], int], int]] = {
    "next": tour.next_index, "previous": tour.previous_index, "down": tour.first_child, "up": tour.level_up,
    "next_sibling": tour.next_sibling, "previous_sibling": tour.previous_sibling,
    "home": lambda slides, i: 0, "end": lambda slides, i: len(slides) - 1,
}


# --- slide HTML (every model text escaped) --------------------------------------------------------
def _e(value: str | None) -> str:
    return escape(value or "")


def _sentence(text: str | None) -> str:
    """The first sentence of a text, starting with a capital."""
    first = tour.short_text(text, 240) or ""
    return first[:1].upper() + first[1:]


def _items(items: list[str], size: int, columns: int = 1) -> str:
    """A bullet list, split over `columns` table cells when it is long."""
    if not items:
        return ""
    columns = max(1, min(columns, len(items)))
    per = -(-len(items) // columns)
    cells = []
    for c in range(columns):
        part = items[c * per:(c + 1) * per]
        lis = "".join(f'<li style="margin-bottom:{size // 5}px">{escape(i)}</li>' for i in part)
        pad = f' style="padding-right:{size}px"' if c < columns - 1 else ""
        cells.append(f'<td valign="top" width="{100 // columns}%"{pad}><ul style="margin-top:0; font-size:{size}px">'
                     f"{lis}</ul></td>")
    return f'<table width="100%" cellspacing="0" cellpadding="0"><tr>{"".join(cells)}</tr></table>'


def _heading(text: str, s: dict[str, int]) -> str:
    return (f'<p style="font-size:{s["h2"]}px; font-weight:bold; margin-top:{s["gap"]}px; margin-bottom:'
            f'{s["gap"] // 3}px">{escape(text)}</p>')


def _para(text: str, size: int, gap: int) -> str:
    return f'<p style="font-size:{size}px; margin-top:0; margin-bottom:{gap}px">{escape(text)}</p>'


def _box(inner: str, s: dict[str, int], background: str = "#fff3c4") -> str:
    """A framed box (a one-cell table: Qt rich text frames tables, not paragraphs)."""
    return (f'<table width="100%" cellspacing="0" cellpadding="{s["gap"] // 2}" border="{max(2, s["rule"])}" '
            f'style="border-style:solid; border-color:#000; border-collapse:collapse; margin-top:{s["gap"] // 2}px; '
            f'margin-bottom:{s["gap"] // 2}px"><tr><td bgcolor="{background}">{inner}</td></tr></table>')


def _columns(left: str, right: str, left_share: int, s: dict[str, int]) -> str:
    return (f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="top" width="{left_share}%" style="padding-right:{s["gap"] * 2}px">{left}</td>'
            f'<td valign="top" width="{100 - left_share}%">{right}</td></tr></table>')


def sizes(height: int, fit: float = 1.0) -> dict[str, int]:
    """Pixel sizes for a window `height` pixels high (shrunk by `fit` for a slide that needs it)."""
    unit = max(height, 360) / REFERENCE_HEIGHT
    content = unit * fit
    return {
        "title": round(TITLE_PX * unit * max(fit, 0.85)),  # a shrunk slide keeps a large title
        "body": round(BODY_PX * content), "small": round(SMALL_PX * content),
        "h2": round(BODY_PX * 1.05 * content), "kicker": round(BODY_PX * 0.8 * content),
        "gap": max(4, round(22 * content)), "rule": max(2, round(3 * unit)), "footer": round(FOOTER_PX * unit),
        "big": round(TITLE_PX * 1.25 * content),
    }


def slide_html(slide: Slide, s: dict[str, int]) -> str:
    """The slide as rich text with every model text escaped; `s` comes from `sizes()`."""
    out = [
        f'<p style="font-size:{s["kicker"]}px; color:#333; margin:0">{_e(slide.kicker)}</p>' if slide.kicker else "",
        f'<p style="font-size:{s["title"]}px; font-weight:bold; margin-top:0; margin-bottom:{s["gap"] // 2}px">'
        f"{_e(slide.title)}</p>",
    ]
    counts = tour.count_line(slide)
    if counts and slide.kind not in ("cluster", "intervention"):
        out.append(f'<p style="font-size:{s["kicker"]}px; color:#333; margin-top:0; margin-bottom:{s["gap"]}px">'
                   f"{escape(counts)}</p>")
    body = {
        "model": _model_body, "block": _block_body, "theme": _theme_body, "cluster": _cluster_body,
        "intervention": _intervention_body, "effectladder": _ladder_body,
    }.get(slide.kind, _theme_body)
    out.append(body(slide, s))
    return "".join(out)


def _facts(facts: list[tuple[str, str]], size: int, gap: int) -> str:
    return "".join(f'<p style="font-size:{size}px; margin-top:0; margin-bottom:{gap}px"><b>{escape(label)}:</b> '
                   f"{escape(value)}</p>" for label, value in facts)


def _lists(slide: Slide, s: dict[str, int], size: int) -> str:
    return "".join(_heading(heading, s) + _items(items, size) for heading, items in slide.lists)


def _model_body(slide: Slide, s: dict[str, int]) -> str:
    out = "".join(_para(p, s["body"], s["gap"]) for p in slide.paragraphs)
    out += _lists(slide, s, s["body"])
    return out + f'<p style="margin:0; font-size:{s["gap"]}px">&nbsp;</p>' + _facts(slide.facts, s["kicker"], 0)


def _block_body(slide: Slide, s: dict[str, int]) -> str:
    out = "".join(_para(p, s["body"], s["gap"]) for p in slide.paragraphs)
    if not slide.risk_factors:
        return out + _lists(slide, s, s["body"]) + _heading("Risicofactoren", s) + _para(
            "Voor deze bouwsteen noemt het rapport geen risicofactoren.", s["body"], 0)
    for heading, items in slide.lists:  # the thema's on one line: the risk factors need the room
        out += (f'<p style="font-size:{s["body"]}px; margin-top:0; margin-bottom:{s["gap"]}px"><b>{escape(heading)}:'
                f"</b> {escape(' · '.join(items))}</p>")
    warning = _box(f'<p style="font-size:{s["small"]}px; margin:0"><b>Let op:</b> '
                   f"{_e(slide.risk_factor_warning)}</p>", s) if slide.risk_factor_warning else ""
    columns = 1 if len(slide.risk_factors) <= 4 else 2
    return out + _heading("Risicofactoren", s) + warning + _items(slide.risk_factors, s["small"], columns)


def _theme_body(slide: Slide, s: dict[str, int]) -> str:
    out = "".join(_para(p, s["body"], s["gap"]) for p in slide.paragraphs) + _lists(slide, s, s["body"])
    if slide.entries:
        out += _heading("Beschermende factoren", s)
    for entry in slide.entries:
        out += (f'<p style="font-size:{s["body"]}px; font-weight:bold; margin-top:{s["gap"] // 2}px; '
                f'margin-bottom:0">{escape(entry.text)}</p>')
        if entry.detail:
            out += (f'<p style="font-size:{s["small"]}px; color:#222; margin-top:0; margin-bottom:{s["gap"] // 2}px">'
                    f"{escape(entry.detail[:1].upper() + entry.detail[1:])}</p>")
    return out


def _example_line(example: tour.ExampleItem) -> str:
    return f"{example.name} — {tour.trede_label(example.trede, example.trede_name)}"


def _cluster_body(slide: Slide, s: dict[str, int]) -> str:
    left = _facts(slide.facts, s["body"], s["gap"]) + "".join(_para(p, s["body"], s["gap"]) for p in slide.paragraphs)
    left += _lists(slide, s, s["small"])
    if slide.examples:
        lines = [_example_line(e) for e in slide.examples]
        right = _heading(f"Voorbeeldinterventies ({len(lines)})", s) + _items(lines, s["small"])
    else:
        right = _heading("Voorbeeldinterventies", s) + _box(
            f'<p style="font-size:{s["body"]}px; margin:0">{_e(slide.notice)}</p>', s)
    return _columns(left, right, 55, s)


def _intervention_body(slide: Slide, s: dict[str, int]) -> str:
    left = "".join(_para(p, s["body"], s["gap"]) for p in slide.paragraphs) + _facts(slide.facts, s["small"], s["gap"])
    if slide.trede is None:
        head = "Trede onbekend" + (f" ({slide.trede_name})" if slide.trede_name else "")
        big = f'<p style="font-size:{s["title"]}px; font-weight:bold; margin:0">{escape(head)}</p>'
    else:
        big = (f'<p style="font-size:{s["big"]}px; font-weight:bold; margin:0">Trede {slide.trede}</p>'
               f'<p style="font-size:{s["h2"]}px; font-weight:bold; margin-top:0; margin-bottom:{s["gap"]}px">'
               f"{_e(slide.trede_name)}</p>")
    meaning = _para(slide.trede_meaning or "", s["small"], s["gap"] // 2)
    source = _para(f"Bron: {slide.trede_source}", s["kicker"], 0) if slide.trede_source else ""
    right = _heading("Effectladder", s) + _box(big + meaning + source, s, "#eef4ff")
    return _columns(left, right, 56, s)


def _ladder_body(slide: Slide, s: dict[str, int]) -> str:
    out = "".join(_para(p, s["body"], s["gap"]) for p in slide.paragraphs)
    out += f'<p style="margin:0; font-size:{s["gap"]}px">&nbsp;</p>'
    rows = []
    for level in reversed(slide.ladder):
        rows.append(
            f'<tr><td valign="top" width="16%" style="font-size:{s["h2"]}px; font-weight:bold; '
            f'padding-bottom:{s["gap"] // 2}px">Trede {level.trede}</td>'
            f'<td valign="top" style="font-size:{s["small"]}px; padding-bottom:{s["gap"] // 2}px">'
            f"<b>{_e(level.name)}</b> — {escape(_sentence(level.explanation))}</td></tr>")
    return out + f'<table width="100%" cellspacing="0" cellpadding="0">{"".join(rows)}</table>'


# --- widgets --------------------------------------------------------------------------------------
class SlideView(QTextBrowser):
    """Read-only rich text that follows no link and loads no resource; keys and clicks go to the window."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.document().setDocumentMargin(0)
        self.setStyleSheet("QTextBrowser { background: #ffffff; color: #000000; border: none; }")

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None  # never an image, file or stylesheet named by a text


class _Overlay(QFrame):
    """A framed panel over the slide (search, key overview)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setStyleSheet("#overlay { background: #ffffff; border: 4px solid #000000; }"
                           f"QLabel, QLineEdit {{ color: #000000; font-family: {FONT_CSS}; }}"
                           "QLabel { background: transparent; border: none; }")
        self.hide()


class PresentationWindow(QWidget):
    """The presentation: `present()` shows it full screen; Esc closes it and emits `closed`."""

    closed = Signal()

    def __init__(self, repo: ModelRepository, start: tuple[str, str] | None = None, windowed: bool = False) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle("Presentatie")
        self.repo = repo
        self.windowed = windowed
        self.slides = tour.build_tour(repo)
        self.index = 0
        if start is not None:
            found = tour.index_of(self.slides, *start)
            self.index = found if found is not None else 0
        self.extra: Slide | None = None  # a search hit outside the tour, shown until the next step
        self.fit = 1.0
        self._closed_sent = False

        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.white)
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        self.setFont(font)

        self.view = SlideView(self)
        self.view.document().setDefaultFont(font)
        self.footer = QFrame(self)
        self.footer.setObjectName("footer")
        self.crumb = QLabel(self.footer)
        self.crumb.setTextFormat(Qt.TextFormat.PlainText)
        self.crumb.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # elided, never wider
        self.counter = QLabel(self.footer)
        self.counter.setTextFormat(Qt.TextFormat.PlainText)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        foot = QHBoxLayout(self.footer)
        foot.addWidget(self.crumb, 1)
        foot.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.footer)
        self._layout = layout
        self._foot = foot

        self.search_panel = _Overlay(self)
        self.search_title = QLabel("Zoeken in het model", self.search_panel)
        self.search_field = QLineEdit(self.search_panel)
        self.search_field.setPlaceholderText("bijvoorbeeld: mediawijsheid, ouders, Under Pressure")
        self.search_field.setStyleSheet("QLineEdit { color: #000; background: #fff; border: 3px solid #000; "
                                        "padding: 4px; }")
        self.search_result = QLabel(self.search_panel)
        self.search_result.setTextFormat(Qt.TextFormat.PlainText)
        self.search_result.setWordWrap(True)
        self.search_hint = QLabel("Enter: erheen · Esc: sluiten", self.search_panel)
        box = self._search_box = QVBoxLayout(self.search_panel)
        for widget in (self.search_title, self.search_field, self.search_result, self.search_hint):
            box.addWidget(widget)
        self.search_field.textChanged.connect(self._preview)
        self.search_field.installEventFilter(self)

        self.help_panel = _Overlay(self)
        self.help_label = QLabel(self.help_panel)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setWordWrap(True)
        self._help_box = QVBoxLayout(self.help_panel)
        self._help_box.addWidget(self.help_label)

        self.blank = QWidget(self)
        self.blank.setAutoFillBackground(True)
        blank_palette = self.blank.palette()
        blank_palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.blank.setPalette(blank_palette)
        self.blank.hide()

        self.resize(1280, 720)
        self._apply_sizes()
        self.show_slide()

    # --- showing -------------------------------------------------------------------------------
    def present(self, screen: QScreen | None = None) -> None:
        """Show full screen (on `screen` when given), or as a normal window when `windowed`."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        if self.windowed:
            self.show()
        else:
            self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    @property
    def current(self) -> Slide:
        return self.extra if self.extra is not None else self.slides[self.index]

    def _apply_sizes(self) -> None:
        s = sizes(self.height())
        margin_x, margin_top = round(self.width() * 0.05), round(self.height() * 0.045)
        self._layout.setContentsMargins(margin_x, margin_top, margin_x, 0)
        self._foot.setContentsMargins(0, s["footer"] // 2, 0, s["footer"] // 2)
        self.footer.setStyleSheet(f"#footer {{ border-top: {s['rule']}px solid #000000; background: #ffffff; }}"
                                  f"QLabel {{ color: #222222; font-size: {s['footer']}px; border: none; "
                                  f"font-family: {FONT_CSS}; }}")
        body = sizes(self.height())["body"]
        self.search_title.setStyleSheet(f"font-size: {body}px; font-weight: bold;")
        self.search_field.setFont(self._font(round(body * 1.2)))
        self.search_result.setStyleSheet(f"font-size: {body}px;")
        self.search_hint.setStyleSheet(f"font-size: {s['footer']}px; color: #333333;")
        self._search_box.setContentsMargins(body, body // 2, body, body // 2)
        self._help_box.setContentsMargins(body, body // 2, body, body // 2)
        rows = "".join(f'<tr><td style="padding-right:{body}px"><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>'
                       for k, v in KEYS)
        self.help_label.setText(f'<p style="font-size:{s["h2"]}px"><b>Toetsen in de presentatie</b></p>'
                                f'<table style="font-size:{s["small"] * 17 // 20}px" cellpadding="{s["gap"] // 4}">'
                                f"{rows}</table>"
                                f'<p style="font-size:{s["footer"]}px">Een toets sluit dit overzicht.</p>')
        self._place_overlays()

    def _font(self, pixels: int) -> QFont:
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPixelSize(max(8, pixels))
        return font

    def _place_overlays(self) -> None:
        w, h = self.width(), self.height()
        self.search_panel.setGeometry(round(w * 0.15), round(h * 0.12), round(w * 0.7),
                                      self.search_panel.sizeHint().height())
        panel_width = round(w * 0.8)
        margins = self._help_box.contentsMargins()
        inner = panel_width - margins.left() - margins.right() - 8
        panel_height = min(round(h * 0.9), self.help_label.heightForWidth(inner) + margins.top() + margins.bottom() + 8)
        self.help_panel.setGeometry(round(w * 0.1), (h - panel_height) // 2, panel_width, panel_height)
        self.blank.setGeometry(0, 0, w, h)

    def show_slide(self) -> None:
        """Show the current slide, shrunk as little as needed to fit the screen."""
        slide = self.current
        height = self.height()
        self._layout.activate()
        self.view.document().setTextWidth(max(100, self.view.viewport().width()))
        available = max(100, self.view.viewport().height() - sizes(height)["gap"])
        self.view.document().setIndentWidth(round(BODY_PX * 0.9 * height / REFERENCE_HEIGHT))

        def fits(value: float) -> bool:
            self.view.setHtml(slide_html(slide, sizes(height, value)))
            return self.view.document().size().height() <= available

        fit, low, high = 1.0, MIN_FIT, 1.0
        if not fits(1.0):  # shrink as little as needed: bisect between MIN_FIT and 1
            for _ in range(7):
                middle = (low + high) / 2
                if fits(middle):
                    low = middle
                else:
                    high = middle
            fit = low
            fits(fit)
        self.fit = fit
        if self.extra is not None:
            counter = f"buiten de reeks · terug naar dia {self.index + 1} met ←"
        else:
            counter = f"dia {self.index + 1} van {len(self.slides)}"
        self.counter.setText(counter)
        metrics = QFontMetrics(self.crumb.font())
        room = max(50, self.width() - round(self.width() * 0.1) - metrics.horizontalAdvance(counter) - 40)
        self.crumb.setText(metrics.elidedText(slide.breadcrumb, Qt.TextElideMode.ElideMiddle, room))
        self.crumb.setToolTip(slide.breadcrumb)

    def slide_text(self) -> str:
        """Everything the room sees right now, as plain text (for tests)."""
        parts = [self.view.toPlainText(), self.crumb.text(), self.counter.text()]
        if self.search_panel.isVisible():
            parts += [self.search_field.text(), self.search_result.text()]
        return "\n".join(parts)

    # --- moving --------------------------------------------------------------------------------
    def go(self, index: int) -> None:
        self.extra = None
        self.index = max(0, min(index, len(self.slides) - 1))
        self.show_slide()

    def step(self, move: str) -> None:
        """'next' | 'previous' | 'down' | 'up' | 'next_sibling' | 'previous_sibling' | 'home' | 'end'."""
        if self.extra is not None:
            self.go(self.index)  # any step from a search hit outside the tour returns to the tour
            return
        i = self.index
        target = MOVES[move](self.slides, i)
        if target != i:
            self.go(target)

    # --- search --------------------------------------------------------------------------------
    def open_search(self) -> None:
        self.help_panel.hide()
        self.search_field.clear()
        self.search_result.setText("Typ een woord uit een naam of omschrijving.")
        self._place_overlays()
        self.search_panel.show()
        self.search_panel.raise_()
        self.search_field.setFocus()

    def close_search(self) -> None:
        self.search_panel.hide()
        self.setFocus()

    def _preview(self, text: str) -> None:
        if not text.strip():
            self.search_result.setText("Typ een woord uit een naam of omschrijving.")
            return
        hit = tour.find(self.slides, text, self.repo)
        if hit is not None:
            slide = self.slides[hit]
            self.search_result.setText(f"Enter: naar {KIND_WORDS.get(slide.kind, slide.kind)} ‘{slide.title}’ "
                                       f"(dia {hit + 1})")
            return
        extra = tour.extra_slide(self.repo, text)
        if extra is not None:
            self.search_result.setText(f"Enter: naar interventie ‘{extra.title}’ (niet bij een beschermende factor)")
        else:
            self.search_result.setText(f"Niets gevonden voor ‘{text.strip()}’.")

    def submit_search(self) -> bool:
        """Jump to the first match of the search field; False (and the field stays open) when there is none."""
        text = self.search_field.text()
        hit = tour.find(self.slides, text, self.repo)
        if hit is not None:
            self.close_search()
            self.go(hit)
            return True
        extra = tour.extra_slide(self.repo, text)
        if extra is not None:
            self.close_search()
            self.extra = extra
            self.show_slide()
            return True
        self.search_result.setText(f"Niets gevonden voor ‘{text.strip()}’." if text.strip()
                                   else "Typ eerst een zoekwoord.")
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_field and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key == Qt.Key.Key_Escape:
                self.close_search()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.submit_search()
                return True
        return super().eventFilter(watched, event)

    # --- events --------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        if self.blank.isVisible():
            self.blank.hide()
            return
        if self.help_panel.isVisible():
            self.help_panel.hide()
            return
        if self.search_panel.isVisible():
            if key == Qt.Key.Key_Escape:
                self.close_search()
            return
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        K = Qt.Key
        if key == K.Key_Escape:
            self.close()
        elif key == K.Key_Right and ctrl:
            self.step("next_sibling")
        elif key == K.Key_Left and ctrl:
            self.step("previous_sibling")
        elif key in (K.Key_Right, K.Key_Space, K.Key_PageDown, K.Key_Return, K.Key_Enter):
            self.step("next")
        elif key in (K.Key_Left, K.Key_Backspace, K.Key_PageUp):
            self.step("previous")
        elif key == K.Key_Down:
            self.step("down")
        elif key == K.Key_Up:
            self.step("up")
        elif key == K.Key_Home:
            self.step("home")
        elif key == K.Key_End:
            self.step("end")
        elif key == K.Key_F or (key == K.Key_F3):
            self.open_search()
        elif key == K.Key_F1:
            self.help_panel.show()
            self.help_panel.raise_()
        elif key in (K.Key_B, K.Key_Period):
            self.blank.show()
            self.blank.raise_()
        elif K.Key_1 <= key <= K.Key_9:
            target = tour.block_index(self.slides, int(key) - int(K.Key_0))
            if target is not None:
                self.go(target)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.blank.isVisible() or self.help_panel.isVisible():
            self.blank.hide()
            self.help_panel.hide()
        elif self.search_panel.isVisible():
            return
        elif event.button() == Qt.MouseButton.LeftButton:
            self.step("next")
        elif event.button() == Qt.MouseButton.RightButton:
            self.step("previous")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_sizes()
        self.show_slide()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if not self._closed_sent:
            self._closed_sent = True
            self.closed.emit()
