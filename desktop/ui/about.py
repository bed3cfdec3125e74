"""Over Bouwstenen: versions, where the user's data is, the licences of everything inside, the install guide.

    AboutDialog(parent, meta, data_dir=None).open()     # meta: the model's meta table (repo.meta())

Everything is read from the application's own files (resources/licenses/, the guide), so it works offline.
The licence texts are shown as plain text; the guide (our own markdown) in a viewer that opens no links.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core import paths
from desktop.core.text import dutch_date

LICENSES = "licenses"
GUIDE = "handleiding.md"  # docs/handleiding.md, copied into resources/ of the frozen application


@dataclass(frozen=True)
class Component:
    name: str
    licence: str  # SPDX-like name, shown as is
    files: tuple[str, ...]  # in resources/licenses/
    distribution: str | None = None  # for the version (importlib.metadata)
    note: str = ""


COMPONENTS = (
    Component("Bouwstenen", "EUPL-1.2", ("EUPL-1.2.txt",), "bouwstenen"),
    Component("Qt 6 en PySide6", "LGPL-3.0", ("LGPL-3.0.txt", "GPL-3.0.txt"), "PySide6-Essentials",
              "De Qt-bibliotheken staan los in de map _internal en mogen worden vervangen."),
    Component("shiboken6", "LGPL-3.0", ("LGPL-3.0.txt", "GPL-3.0.txt"), "shiboken6"),
    Component("Python", "PSF-2.0", ("Python-PSF-2.0.txt",)),
    Component("SQLite", "publiek domein", ("SQLite-public-domain.txt",)),
    Component("openpyxl", "MIT", ("openpyxl-MIT.txt",), "openpyxl"),
    Component("et_xmlfile", "MIT", ("et_xmlfile-MIT.txt", "et_xmlfile-Python.txt"), "et_xmlfile"),
    Component("defusedxml", "PSF-2.0", ("defusedxml-PSF-2.0.txt",), "defusedxml"),
    Component("sqlite-utils", "Apache-2.0", ("sqlite-utils-Apache-2.0.txt",), "sqlite-utils"),
    Component("sqlite-fts4", "Apache-2.0", ("sqlite-fts4-Apache-2.0.txt",), "sqlite-fts4"),
    Component("platformdirs", "MIT", ("platformdirs-MIT.txt",), "platformdirs"),
    Component("click", "BSD-3-Clause", ("click-BSD-3-Clause.txt",), "click"),
    Component("pluggy", "MIT", ("pluggy-MIT.txt",), "pluggy"),
    Component("tabulate", "MIT", ("tabulate-MIT.txt",), "tabulate"),
    Component("python-dateutil", "BSD-3-Clause / Apache-2.0", ("python-dateutil-BSD-3-Clause.txt",),
              "python-dateutil"),
)


def app_version() -> str:
    try:
        return metadata.version("bouwstenen")
    except metadata.PackageNotFoundError:
        from desktop import __version__

        return __version__


def component_version(component: Component) -> str:
    if component.name == "Python":
        import sys

        return ".".join(str(n) for n in sys.version_info[:3])
    if component.name == "SQLite":
        from desktop.core.model.sqlite_codec import sqlite_library_version

        return sqlite_library_version()
    if component.distribution is None:
        return ""
    try:
        return metadata.version(component.distribution)
    except metadata.PackageNotFoundError:
        return ""


def licences_dir() -> Path:
    return paths.resources_dir() / LICENSES


def licence_text(component: Component) -> str:
    """The licence texts of a component, one after the other; a Dutch line for a missing file."""
    parts: list[str] = []
    for name in component.files:
        try:
            parts.append((licences_dir() / name).read_text(encoding="utf-8"))
        except OSError:
            parts.append(f"De licentietekst '{name}' ontbreekt in deze installatie.")
    header = f"{component.name} — {component.licence}"
    if component.note:
        header += f"\n{component.note}"
    return header + "\n\n" + ("\n\n" + "-" * 72 + "\n\n").join(parts)


def guide_path() -> Path | None:
    """The install and user guide: beside the resources (frozen) or docs/ of a checkout."""
    for candidate in (paths.resources_dir() / GUIDE, paths.bundle_root() / "docs" / GUIDE):
        if candidate.is_file():
            return candidate
    return None


def guide_text() -> str:
    path = guide_path()
    if path is None:
        return "# Handleiding\n\nDe handleiding ontbreekt in deze installatie."
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return "# Handleiding\n\nDe handleiding kan niet worden gelezen."


def summary_lines(meta: dict[str, str], data_dir: Path | None = None) -> list[str]:
    """The dialog's text lines (plain text), also for tests."""
    lines = [
        f"Bouwstenen versie {app_version()}",
        f"Model versie {meta.get('model_version') or 'onbekend'}, gepubliceerd {dutch_date(meta.get('published'))}"
        f" door {meta.get('publisher') or 'onbekend'}",
        "Bouwstenen werkt volledig offline en maakt zelf geen verbinding met internet.",
    ]
    if data_dir is not None:
        portable = paths.portable_data_dir() == data_dir
        lines.append(f"Uw gegevens staan in {data_dir}" + (f" (draagbaar gebruik: {paths.PORTABLE_MARKER})"
                                                            if portable else ""))
    return lines


class GuideDialog(QDialog):
    """The guide as formatted text. Links are shown, never opened (there is no network anyway)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handleiding — installeren en gebruiken")
        self.resize(760, 640)
        layout = QVBoxLayout(self)
        self.viewer = QTextBrowser(self)
        self.viewer.setOpenLinks(False)
        self.viewer.setOpenExternalLinks(False)
        self.viewer.setMarkdown(guide_text())
        self.viewer.setAccessibleName("Handleiding")
        layout.addWidget(self.viewer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, meta: dict[str, str], data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Over Bouwstenen")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel("\n".join(summary_lines(meta, data_dir)), self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Licenties van Bouwstenen en de onderdelen die erin zitten:", self))
        row = QHBoxLayout()
        self.components = QListWidget(self)
        self.components.setAccessibleName("Onderdelen")
        for component in COMPONENTS:
            version = component_version(component)
            self.components.addItem(f"{component.name} {version}".strip() + f" — {component.licence}")
        self.components.setMaximumWidth(300)
        self.licence = QPlainTextEdit(self)
        self.licence.setReadOnly(True)
        self.licence.setAccessibleName("Licentietekst")
        row.addWidget(self.components)
        row.addWidget(self.licence, 1)
        layout.addLayout(row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.guide_button = QPushButton("&Handleiding", self)
        buttons.addButton(self.guide_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.guide_button.clicked.connect(self.show_guide)
        layout.addWidget(buttons)
        self.components.currentRowChanged.connect(self._show_licence)
        self.components.setCurrentRow(0)
        self.guide: GuideDialog | None = None

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(COMPONENTS):
            self.licence.setPlainText(licence_text(COMPONENTS[row]))

    def show_guide(self) -> None:
        self.guide = GuideDialog(self)
        self.guide.open()
