"""The portable application (issue 17): what goes into the folder, the About dialog, and the frozen app itself.

The fast part runs always: the pruning rules of build/bundle_rules.py, the zip with its links, the licence
files the About dialog shows, the dialog itself (offscreen). The frozen application is built and started only
when BOUWSTENEN_TEST_BUNDLE=1 (CI: build/ci_bundle.sh); with BOUWSTENEN_BUNDLE_BUILT=1 the tests use the
folder and zip already in build/out instead of building them again.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from desktop.core import paths

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


rules = _load("bundle_rules", BUILD / "bundle_rules.py")
package = _load("bouwstenen_package", BUILD / "package.py")


# --- what goes into the folder ---------------------------------------------------------------------------

@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),  # needs QtNetwork
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", False),
    ("PySide6/plugins/imageformats/qjpeg.dll", True),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
    ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False),
    ("PySide6/plugins/tls/qschannelbackend.dll", False),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6/Qt/plugins/somethingnew/libqnew.so", True),  # unknown kinds are kept whole
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
])
def test_plugins_the_application_uses_are_kept(dest: str, kept: bool) -> None:
    assert rules.keep_entry((dest, "/src", "BINARY")) is kept


def test_only_dutch_and_english_qt_translations_are_kept() -> None:
    names = ["qtbase_nl", "qt_nl", "qtbase_en", "qt_en", "qtbase_de", "qt_help_nl", "qt_fr", "qtbase_zh_CN"]
    kept = [n for n in names if rules.keep_entry((f"PySide6/Qt/translations/{n}.qm", "/src", "DATA"))]
    assert kept == ["qtbase_nl", "qt_nl", "qtbase_en", "qt_en"]
    # install_dutch (desktop/ui/app.py) loads exactly these
    assert set(rules.KEEP_TRANSLATIONS) >= {"qtbase_nl", "qt_nl"}


def test_only_libraries_a_kept_binary_needs_stay() -> None:
    links = {
        "/s/QtWidgets.abi3.so": ["libQt6Widgets.so.6", "libc.so.6"],
        "/s/libQt6Widgets.so.6": ["libQt6Gui.so.6"],
        "/s/libQt6Gui.so.6": ["libQt6Core.so.6", "libQt6DBus.so.6"],
        "/s/libqxcb.so": ["libQt6XcbQpa.so.6"],
    }
    entries = [
        ("PySide6/QtWidgets.abi3.so", "/s/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/s/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6DBus.so.6", "/s/libQt6DBus.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/s/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/s/libQt6Network.so.6", "BINARY"),  # only the VNC plugin needed it
        ("libgtk-3.so.0", "/s/libgtk-3.so.0", "BINARY"),  # only the GTK theme needed it
        ("libpython3.11.so.1.0", "/s/libpython3.11.so.1.0", "BINARY"),
    ]
    kept = rules.keep_needed_libraries(entries, lambda src: links.get(src, []))
    names = {Path(e[0]).name for e in kept}
    assert "libQt6Network.so.6" not in names and "libgtk-3.so.0" not in names
    assert names >= {"QtWidgets.abi3.so", "libqxcb.so", "libQt6Widgets.so.6", "libQt6Gui.so.6", "libQt6Core.so.6",
                     "libQt6DBus.so.6", "libQt6XcbQpa.so.6", "libpython3.11.so.1.0"}


def test_links_to_left_out_libraries_go_too() -> None:
    files = [("PySide6/Qt/lib/libQt6Core.so.6", "/s/a", "BINARY")]
    links = [("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK")]
    assert rules.drop_dangling_links(links, files) == links[:1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files on Linux only")
def test_direct_links_are_read_from_the_elf_header() -> None:
    import sqlite3

    module = Path(sqlite3.__file__).parent.parent / "lib-dynload"
    found = next(module.glob("_sqlite3*.so"), None) if module.is_dir() else None
    if found is None:
        pytest.skip("no separate _sqlite3 module in this Python")
    needed = rules.elf_needed(str(found))
    assert any(n.startswith("libsqlite3") for n in needed) or any(n.startswith("libc.so") for n in needed)


def test_the_network_stack_is_left_out() -> None:
    assert {"PySide6.QtNetwork", "ssl", "_ssl", "http.client", "urllib.request"} <= set(rules.EXCLUDED_MODULES)
    assert "socket" not in rules.EXCLUDED_MODULES  # logging.handlers imports it; see FORBIDDEN_AT_RUN_TIME


def test_zip_name_carries_version_and_platform() -> None:
    name = package.zip_path().name
    assert name.startswith(f"Bouwstenen-{package.version()}-") and name.endswith(".zip")
    assert rules.platform_tag() in name
    assert rules.platform_tag() in ("linux-x86_64", "windows-x64", "linux-aarch64", "macos-arm64", "macos-x86_64") \
        or "-" in rules.platform_tag()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_the_zip_keeps_links_and_executable_bits(tmp_path: Path) -> None:
    app = tmp_path / "dist" / "Bouwstenen"
    (app / "_internal" / "lib").mkdir(parents=True)
    (app / "_internal" / "lib" / "libQt6Core.so.6").write_bytes(b"\x7fELF" + b"x" * 1000)
    (app / "_internal" / "libQt6Core.so.6").symlink_to("lib/libQt6Core.so.6")
    exe = app / "Bouwstenen"
    exe.write_bytes(b"#!/bin/sh\necho ok\n")
    exe.chmod(0o755)
    archive = package.make_zip(app, tmp_path / "Bouwstenen-test.zip")
    unpacked = package.unzip(archive, tmp_path / "uitgepakt")
    assert unpacked.name == "Bouwstenen"
    link = unpacked / "_internal" / "libQt6Core.so.6"
    assert link.is_symlink() and link.read_bytes().startswith(b"\x7fELF")
    assert os.access(unpacked / "Bouwstenen", os.X_OK)
    assert package.folder_size(unpacked) == package.folder_size(app)


# --- licences and the guide, as the spec bundles them ----------------------------------------------------

def test_every_licence_file_the_dialog_shows_is_there() -> None:
    from desktop.ui.about import COMPONENTS, licences_dir

    for component in COMPONENTS:
        for name in component.files:
            text = (licences_dir() / name).read_text(encoding="utf-8")
            assert len(text) > 200, name
    names = {c.name for c in COMPONENTS}
    assert {"Bouwstenen", "Qt 6 en PySide6", "Python", "openpyxl", "defusedxml", "et_xmlfile", "sqlite-utils",
            "platformdirs", "SQLite"} <= names
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (licences_dir() / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in (licences_dir() / "EUPL-1.2.txt").read_text(encoding="utf-8")


def test_the_spec_bundles_the_resources_and_the_guide() -> None:
    spec = (BUILD / "bouwstenen.spec").read_text(encoding="utf-8")
    assert '(ROOT / "resources").rglob("*")' in spec  # licences, icons, help, the model
    assert '(str(ROOT / "docs" / "handleiding.md"), "resources")' in spec
    assert "bundle_rules.prune" in spec and "rthook_bundle_report.py" in spec


# --- the About dialog (offscreen) ------------------------------------------------------------------------

META = {"model_version": "1.0", "published": "2026-11-22", "publisher": "Expertise-unit Sociale Stabiliteit"}


@pytest.mark.gui
def test_about_dialog_shows_versions_licences_and_the_guide(qtbot: Any, tmp_path: Path) -> None:
    from desktop.ui.about import COMPONENTS, AboutDialog, app_version

    dialog = AboutDialog(None, META, tmp_path / "gegevens")
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.summary.text()
    assert f"Bouwstenen versie {app_version()}" in text
    assert "Model versie 1.0, gepubliceerd 22 november 2026 door Expertise-unit Sociale Stabiliteit" in text
    assert str(tmp_path / "gegevens") in text and "offline" in text
    assert dialog.components.count() == len(COMPONENTS)
    assert "EUPL" in dialog.licence.toPlainText()
    for row, component in enumerate(COMPONENTS):
        dialog.components.setCurrentRow(row)
        shown = dialog.licence.toPlainText()
        assert shown.startswith(component.name) and "ontbreekt" not in shown, component.name
    qt_row = next(i for i, c in enumerate(COMPONENTS) if c.name.startswith("Qt"))
    assert "LGPL-3.0" in dialog.components.item(qt_row).text()
    dialog.guide_button.click()
    assert dialog.guide is not None and dialog.guide.isVisible()
    guide = dialog.guide.viewer.toPlainText()
    assert "draagbaar.txt" in guide and "Toch uitvoeren" in guide
    assert not dialog.guide.viewer.openLinks() and not dialog.guide.viewer.openExternalLinks()
    dialog.guide.close()
    dialog.close()


@pytest.mark.gui
def test_about_dialog_says_when_the_data_is_portable(qtbot: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.about import summary_lines

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "Bouwstenen.exe"))
    (tmp_path / "draagbaar.txt").write_text("", encoding="utf-8")
    lines = summary_lines({}, tmp_path / "gegevens")
    assert lines[1] == "Model versie onbekend, gepubliceerd onbekend door onbekend"
    assert lines[-1].endswith("(draagbaar gebruik: draagbaar.txt)")


def test_guide_is_found_in_a_checkout_and_in_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.about import guide_path, guide_text

    assert guide_path() == ROOT / "docs" / "handleiding.md"
    bundle = tmp_path / "_internal"
    (bundle / "resources").mkdir(parents=True)
    (bundle / "resources" / "handleiding.md").write_text("# Handleiding\n\nUit de bundel.", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert guide_path() == bundle / "resources" / "handleiding.md"
    assert "Uit de bundel." in guide_text()


# --- the frozen application (slow: BOUWSTENEN_TEST_BUNDLE=1) ---------------------------------------------

bundle_only = pytest.mark.skipif(os.environ.get("BOUWSTENEN_TEST_BUNDLE") != "1",
                                 reason="bouwt en start de bevroren applicatie alleen met BOUWSTENEN_TEST_BUNDLE=1")


@pytest.fixture(scope="session")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip built by build/package.py (built now unless BOUWSTENEN_BUNDLE_BUILT=1), unpacked into a fresh
    folder as a user does."""
    if os.environ.get("BOUWSTENEN_BUNDLE_BUILT") != "1" or not package.zip_path().exists():
        package.build_bundle()
        package.make_zip()
    return package.unzip(package.zip_path(), tmp_path_factory.mktemp("uitgepakt"))  # type: ignore[no-any-return]


@pytest.fixture()
def frozen(unzipped: Path, tmp_path: Path) -> Iterator[Any]:
    """Run the frozen executable: frozen(*args, home=…, report=True) -> (CompletedProcess, report or None)."""

    def run(*args: str, home: Path | None = tmp_path / "home", check: bool = True,
            extra_env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
        report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOUWSTENEN_BUNDLE_REPORT=str(report))
        env.pop("BOUWSTENEN_BUNDLED_MODEL", None)
        env.pop(paths.HOME_ENV, None)
        if home is not None:
            env[paths.HOME_ENV] = str(home)
        env.update(extra_env or {})
        result = subprocess.run([str(package.executable(unzipped)), *args], capture_output=True, text=True,
                                env=env, timeout=180, cwd=tmp_path)
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
        return result, data

    yield run


def assert_no_network(report: dict[str, Any]) -> None:
    assert report["frozen"] is True
    loaded = set(report["loaded"])
    assert not loaded & set(rules.FORBIDDEN_AT_RUN_TIME), sorted(loaded & set(rules.FORBIDDEN_AT_RUN_TIME))
    assert not [m for m in loaded if m.startswith(("PySide6.QtNetwork", "http.", "urllib.request", "ssl"))]
    assert report["import_failures"] == {}, report["import_failures"]


@pytest.mark.slow
@bundle_only
def test_the_folder_holds_what_the_app_needs_and_nothing_networked(unzipped: Path) -> None:
    internal = unzipped / "_internal"
    assert (internal / "resources" / "model" / "model.sqlite").stat().st_size > 100_000
    assert (internal / "resources" / "handleiding.md").is_file()
    assert (internal / "resources" / "licenses" / "EUPL-1.2.txt").is_file()
    files = [p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*")]
    lowered = [f.lower() for f in files]
    assert not [f for f in lowered if "qt6network" in f or "qtnetwork" in f], "QtNetwork is in the bundle"
    assert not [f for f in lowered if "libssl" in f or "libcrypto" in f or "/_ssl" in f]
    assert not [f for f in lowered if "gtk" in f]
    translations = sorted(Path(f).stem for f in files if f.endswith(".qm"))
    assert translations == sorted(rules.KEEP_TRANSLATIONS)
    assert not [p for p in unzipped.rglob("*") if p.is_symlink() and not p.exists()], "dangling links"


@pytest.mark.slow
@bundle_only
def test_the_folder_is_smaller_than_a_bare_window_bundled_by_default(unzipped: Path) -> None:
    if not package.REFERENCE_APP_DIR.is_dir():
        pytest.skip("no reference: python build/package.py --reference")
    assert package.folder_size(unzipped) <= package.folder_size(package.REFERENCE_APP_DIR)


@pytest.mark.slow
@bundle_only
def test_frozen_smoke_loads_no_network_module(frozen: Any, tmp_path: Path) -> None:
    result, report = frozen("--smoke")
    assert result.stdout.strip().endswith("ok")
    assert_no_network(report)


@pytest.mark.slow
@bundle_only
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_frozen_smoke_on_a_real_x_display(unzipped: Path, tmp_path: Path) -> None:
    """The xcb platform plugin with its libraries, as on a Linux desktop (offscreen does not load them)."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env[paths.HOME_ENV] = str(tmp_path / "home")
    result = subprocess.run(["xvfb-run", "-a", str(package.executable(unzipped)), "--smoke"], capture_output=True,
                            text=True, env=env, timeout=180)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stdout + result.stderr


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`publish --out X` needs data/, so it runs from the source install; the frozen app reads the result."""
    out = tmp_path_factory.mktemp("gepubliceerd")
    subprocess.run([sys.executable, "-m", "desktop.cli", "publish", "--out", str(out)], check=True, cwd=ROOT,
                   capture_output=True, text=True, timeout=300)
    return out


@pytest.mark.slow
@bundle_only
@pytest.mark.parametrize("pattern", ["bouwstenenmodel-*.xlsx", "bouwstenenmodel-*.sqlite"])
def test_frozen_import_dry_run(frozen: Any, published: Path, pattern: str) -> None:
    """openpyxl, defusedxml (workbook) and FTS5 (database) are inside the bundle."""
    file = next(published.glob(pattern))
    result, report = frozen("import", str(file), "--dry-run")
    assert "Proefrit (--dry-run): er is niets gewijzigd." in result.stdout
    assert_no_network(report)


@pytest.mark.slow
@bundle_only
def test_frozen_model_update_and_notes_export(frozen: Any, published: Path, tmp_path: Path) -> None:
    file = next(published.glob("bouwstenenmodel-*.sqlite"))
    result, report = frozen("import", str(file), "--yes")
    assert "Model bijgewerkt naar versie" in result.stdout
    assert_no_network(report)
    result, _ = frozen("search", "mediawijsheid", "--json")
    assert json.loads(result.stdout)
    out = tmp_path / "Notities van Özdemir.xlsx"
    result, report = frozen("notes", "export", "--out", str(out))
    assert_no_network(report)
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    assert book.sheetnames
    book.close()


@pytest.mark.slow
@bundle_only
def test_frozen_portable_mode(frozen: Any, unzipped: Path, tmp_path: Path) -> None:
    marker = unzipped / paths.PORTABLE_MARKER
    marker.write_text("Gegevens naast het programma bewaren.\n", encoding="utf-8")
    try:
        frozen("--smoke", home=None)
        assert (unzipped / paths.PORTABLE_DATA / "workspace.sqlite").is_file()
    finally:
        marker.unlink()
        shutil.rmtree(unzipped / paths.PORTABLE_DATA, ignore_errors=True)
