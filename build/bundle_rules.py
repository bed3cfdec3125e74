"""What goes into the portable folder: the rules the PyInstaller spec applies after its analysis.

PyInstaller's Qt hooks collect every plugin of a kind and every Qt translation, and with them the libraries
those plugins need (on Linux the whole GTK stack for the GTK theme, QtNetwork for the VNC platform). The
application uses QtCore, QtGui, QtWidgets (QtSvg for its icon, QtPrintSupport for printing) and shows Dutch
(English as Qt's fallback), so the rest is left out:

- translations: only qt_nl, qtbase_nl, qt_en, qtbase_en (`desktop/ui/app.py` `install_dutch`);
- plugins, per kind: an allowlist (platforms, image formats, icon engines, Wayland parts); kinds the
  application never needs (generic input devices, EGL device integrations, TLS, network information,
  SQL drivers, Wayland OpenGL buffers) not at all; kinds not named here are kept whole;
- shared libraries: only those a kept binary needs, transitively (so GTK, QtNetwork, QtOpenGL and the
  EGL/KMS libraries go with the plugins that needed them); Qt's software OpenGL (Windows) is not needed by
  a widgets application;
- Python modules: Qt modules the application does not import, tkinter, and the network/TLS stack.

Pure functions over PyInstaller's TOC entries `(dest_name, src_name, typecode)`, tested in
tests/test_packaging.py; PyInstaller itself is imported only by `keep_needed_libraries`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import PurePath

TocEntry = tuple[str, str, str]

KEEP_TRANSLATIONS = ("qt_nl", "qtbase_nl", "qt_en", "qtbase_en")

# Plugin kind -> stems to keep (file name without "lib" and extension). None: keep every plugin of the kind.
PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qminimal", "qwindows", "qcocoa"}),
    "platformthemes": frozenset(),  # GTK theme (and the whole GTK stack) and the XDG portal: Qt's own dialogs, in Dutch
    "imageformats": frozenset({"qsvg", "qjpeg", "qico"}),  # PNG is built into QtGui
    "iconengines": frozenset({"qsvgicon"}),
    "generic": frozenset(),  # evdev/tslib input for framebuffer devices; TUIO touch needs QtNetwork
    "egldeviceintegrations": frozenset(),  # only for the eglfs platform
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": frozenset({"bradient", "adwaita"}),
    "wayland-graphics-integration-client": frozenset(),  # OpenGL buffers; widgets draw into shared memory
    "wayland-graphics-integration-server": frozenset(),
    "tls": frozenset(),  # QtNetwork
    "networkinformation": frozenset(),  # QtNetwork
    "sqldrivers": frozenset(),  # QtSql (the application uses Python's sqlite3)
    "platforminputcontexts": None,  # compose keys and IBus: typing ë and é on Linux
    "xcbglintegrations": None,
    "styles": None,  # the native Windows style
    "printsupport": None,  # CUPS printing on Linux/macOS
}

# Libraries no kept binary links to but Qt would load by name at run time; a widgets-only application
# never asks for them (Qt's software OpenGL fallback on Windows, 20 MB).
DROP_LIBRARIES = frozenset({"opengl32sw.dll"})

# Linux: libraries taken from the system instead of the build machine. CUPS (for Qt's printer plugin) brings
# gnutls, Kerberos, Avahi … (8 MB) and must match the system's print service anyway; every Linux desktop that
# can print has it. Without it, Qt offers printing to PDF only.
SYSTEM_LIBRARIES = frozenset({"libcups.so.2"}) if sys.platform.startswith("linux") else frozenset()

EXCLUDED_MODULES = [
    # Qt modules the application does not import (QtGui's hook pulls in QtDBus; the rest as a guard)
    "PySide6.QtNetwork", "PySide6.QtDBus", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtQml",
    "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtMultimedia", "PySide6.QtNetworkAuth",
    "PySide6.QtWebSockets", "PySide6.QtHttpServer",
    # the network and TLS stack (urllib.parse stays: it only parses text); hashlib falls back to its own
    # SHA-256, so OpenSSL's libcrypto is not needed either
    "ssl", "_ssl", "_hashlib", "http.client", "http.server", "http.cookiejar", "urllib.request", "ftplib",
    "smtplib", "imaplib", "poplib", "xmlrpc", "asyncio", "multiprocessing", "socketserver",
    # never used by the application
    "tkinter", "_tkinter", "unittest", "pydoc", "pydoc_data", "doctest", "lib2to3", "idlelib", "turtle",
    "PyInstaller",
]

FORBIDDEN_AT_RUN_TIME = ("PySide6.QtNetwork", "ssl", "_ssl", "http.client", "urllib.request", "asyncio")
"""Modules that must never be loaded in the frozen application (checked in CI, tests/test_packaging.py).
`socket` is loaded (logging.handlers imports it at module level for its network handlers; the application
only uses RotatingFileHandler) and opens nothing."""


def _parts(dest: str) -> list[str]:
    return [p for p in re.split(r"[\\/]+", dest) if p]


def plugin_kind(dest: str) -> tuple[str, str] | None:
    """(kind, stem) for a Qt plugin's destination, e.g. ('platforms', 'qxcb') for PySide6/Qt/plugins/platforms/
    libqxcb.so (Linux, macOS) or PySide6/plugins/platforms/qwindows.dll (Windows); None for anything else."""
    parts = _parts(dest)
    if len(parts) < 4 or parts[0] != "PySide6" or "plugins" not in parts[1:3]:
        return None
    index = parts.index("plugins", 1)
    if len(parts) < index + 3:
        return None
    kind, name = parts[index + 1], parts[-1]
    stem = name.split(".", 1)[0]
    if stem.startswith("lib") and not name.lower().endswith(".dll"):
        stem = stem[3:]
    return kind, stem


def keep_plugin(dest: str) -> bool:
    found = plugin_kind(dest)
    if found is None:
        return True
    kind, stem = found
    allowed = PLUGINS.get(kind)
    return allowed is None or stem in allowed


def is_translation(dest: str) -> bool:
    return dest.lower().endswith(".qm") and "translations" in _parts(dest)


def keep_translation(dest: str) -> bool:
    if not is_translation(dest):
        return True
    return PurePath(_parts(dest)[-1]).stem in KEEP_TRANSLATIONS


def keep_entry(entry: TocEntry) -> bool:
    """Name-based rules for one binary or data entry (plugins, translations, dropped libraries)."""
    dest = entry[0]
    name = _parts(dest)[-1].lower() if _parts(dest) else ""
    return keep_plugin(dest) and keep_translation(dest) and name not in DROP_LIBRARIES | SYSTEM_LIBRARIES


def filter_toc(entries: Iterable[TocEntry]) -> list[TocEntry]:
    return [e for e in entries if keep_entry(e)]


def _base(name: str) -> str:
    base = _parts(name)[-1] if _parts(name) else name
    return base.lower() if sys.platform == "win32" else base


def _is_root(entry: TocEntry) -> bool:
    """Binaries that are loaded by the bootloader, Python or Qt (not by another binary): keep them."""
    dest, _src, kind = entry
    name = _base(dest).lower()
    return (kind == "EXTENSION" or plugin_kind(dest) is not None
            or name.startswith(("libpython", "python3")) or name in ("python3.dll",))


def keep_needed_libraries(entries: list[TocEntry],
                          imports_of: Callable[[str], Iterable[str]] | None = None) -> list[TocEntry]:
    """Keep extensions, plugins and the Python library, and only those other shared libraries that one of
    them needs (transitively). `imports_of(src)` gives the names a binary links to (default: PyInstaller's
    own dependency reader on Windows, the ELF header on Linux). Not applied on macOS."""
    if imports_of is None:
        imports_of = direct_imports

    files = [e for e in entries if e[2] != "SYMLINK"]
    libraries = {_base(e[0]): e for e in files if not _is_root(e)}
    needed: set[str] = set()
    queue = [e for e in files if _is_root(e)]
    seen: set[str] = set()
    while queue:
        entry = queue.pop()
        if entry[1] in seen:
            continue
        seen.add(entry[1])
        try:
            names = list(imports_of(entry[1]))
        except Exception:  # unreadable binary: keep what it might need rather than guess
            names = list(libraries)
        for name in names:
            base = _base(name)
            if base in libraries and base not in needed:
                needed.add(base)
                queue.append(libraries[base])
    return [e for e in entries if e[2] == "SYMLINK" or _is_root(e) or _base(e[0]) in needed]


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED names of an ELF file: what it links to directly. (PyInstaller asks `ldd`, which lists
    every library of the whole tree as found on the build machine; pruning needs the direct links.)"""
    import struct

    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] != b"\x7fELF":
        return []
    is64, order = data[4] == 2, "<" if data[5] == 1 else ">"
    if is64:
        phoff, phentsize, phnum = struct.unpack_from(order + "Q", data, 32)[0], *struct.unpack_from(order + "HH", data,
                                                                                                      54)
        header, dyn_format = order + "IIQQQQQQ", order + "qQ"
    else:
        phoff, phentsize, phnum = struct.unpack_from(order + "I", data, 28)[0], *struct.unpack_from(order + "HH", data,
                                                                                                      42)
        header, dyn_format = order + "IIIIIIII", order + "iI"
    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, filesz)
    dynamic: tuple[int, int] | None = None
    for index in range(phnum):
        fields = struct.unpack_from(header, data, phoff + index * phentsize)
        if is64:
            kind, offset, vaddr, filesz = fields[0], fields[2], fields[3], fields[5]
        else:
            kind, offset, vaddr, filesz = fields[0], fields[1], fields[2], fields[4]
        if kind == 1:  # PT_LOAD
            loads.append((vaddr, offset, filesz))
        elif kind == 2:  # PT_DYNAMIC
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    size = struct.calcsize(dyn_format)
    needed: list[int] = []
    strtab = 0
    for position in range(dynamic[0], dynamic[0] + dynamic[1], size):
        tag, value = struct.unpack_from(dyn_format, data, position)
        if tag == 0:  # DT_NULL
            break
        if tag == 1:  # DT_NEEDED
            needed.append(value)
        elif tag == 5:  # DT_STRTAB (an address)
            strtab = value
    base = next((offset + strtab - vaddr for vaddr, offset, filesz in loads if vaddr <= strtab < vaddr + filesz), None)
    if base is None:
        return []
    return [data[base + n:data.index(b"\0", base + n)].decode() for n in needed]


def direct_imports(src: str) -> list[str]:
    """Names of the libraries a binary links to directly."""
    if sys.platform.startswith("linux"):
        return elf_needed(src)
    from PyInstaller.depend import bindepend

    found: list[str] = []
    for name, path in bindepend.get_imports(src):
        found.append(name)
        if path:
            found.append(path)
    return found


def drop_dangling_links(entries: list[TocEntry], files: list[TocEntry]) -> list[TocEntry]:
    """PyInstaller's links (Linux/macOS: `libQt6Core.so.6 -> PySide6/Qt/lib/libQt6Core.so.6`, kept among the
    data entries) whose target in `files` was left out go too."""
    kept = {os.path.normpath(e[0]) for e in files if e[2] != "SYMLINK"}

    def target(entry: TocEntry) -> str:
        return os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1]))

    return [e for e in entries if e[2] != "SYMLINK" or target(e) in kept]


def prune(binaries: list[TocEntry], datas: list[TocEntry],
          imports_of: Callable[[str], Iterable[str]] | None = None) -> tuple[list[TocEntry], list[TocEntry]]:
    """The spec's one call: (binaries, datas) without what the application does not use."""
    kept = filter_toc(binaries)
    if sys.platform != "darwin":
        kept = keep_needed_libraries(kept, imports_of)
    kept_datas = filter_toc(datas)
    every_file = kept + kept_datas
    return drop_dangling_links(kept, every_file), drop_dangling_links(kept_datas, every_file)


def platform_tag() -> str:
    """The zip's platform part: linux-x86_64, windows-x64, macos-arm64 …"""
    import platform

    machine = platform.machine().lower() or "unknown"
    if sys.platform == "win32":
        return {"amd64": "windows-x64", "x86_64": "windows-x64", "arm64": "windows-arm64"}.get(machine,
                                                                                                 f"windows-{machine}")
    if sys.platform == "darwin":
        return f"macos-{machine}"
    return f"{sys.platform.rstrip('0123456789')}-{machine}"


def executable_name(console: bool = False) -> str:
    """The application's executable in the folder (Windows also has a console twin for the commands)."""
    name = "Bouwstenen-console" if console else "Bouwstenen"
    return name + (".exe" if os.name == "nt" else "")
