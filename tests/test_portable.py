"""Portable mode and the paths Windows users really have (issue 17).

- `draagbaar.txt` beside the executable (frozen) or in a checkout's root keeps the data in `gegevens/`
  beside the application; --data-dir and BOUWSTENEN_HOME still win; otherwise the platform's folder
  (roaming %APPDATA% on Windows, simulated here with platformdirs' Windows class and ntpath).
- Data folders with a non-ASCII user name, a OneDrive-redirected folder with spaces and an apostrophe,
  and a path longer than Windows' classic 260 characters: notes, backups, a model update and a notes
  export all work there.
- A data folder on a network drive that disappears while the application runs: every step answers with
  a Dutch message (an ExpectedError), never a traceback.
- The model swap obeys Windows' file-locking rule: no file is replaced while this process holds it open.
"""

from __future__ import annotations

import gc
import ntpath
import os
import shutil
import sqlite3
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PureWindowsPath
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import platformdirs
import platformdirs.windows
import pytest

from desktop import cli
from desktop.core import paths
from desktop.core.errors import ExpectedError, StorageError, UpdateError
from desktop.core.search.repository import ModelRepository
from desktop.core.updates import apply as updates
from desktop.core.updates.inspect import ImportPreview, inspect
from desktop.core.workspace.exchange import export_notes
from desktop.core.workspace.safety import backup_before, backup_dir, backups, make_backup, open_safely

DUTCH_WORDS = ("lukt niet", "kan niet", "niet worden", "niet bereikbaar", "onbereikbaar", "weigerde", "niets",
               "geen ")


def is_dutch_message(text: str) -> bool:
    return "Traceback" not in text and any(word in text for word in DUTCH_WORDS)


@contextmanager
def collect_failed_export_garbage() -> Iterator[list[str]]:
    """A notes export that fails half-way leaves openpyxl's write-only sheet generators behind; when they are
    collected they complain about their closed file ('Exception ignored in … _write_rows'), on stderr only.
    Known, harmless to the user (the message they see is Dutch); collected here so pytest does not fail on it.
    Reported to the lead: exchange.export_notes could close the workbook when writing fails."""
    seen: list[str] = []
    previous = sys.unraisablehook

    def hook(info: Any) -> None:
        seen.append(f"{type(info.exc_value).__name__}: {info.object!r}")

    sys.unraisablehook = hook
    try:
        yield seen
        gc.collect()
    finally:
        sys.unraisablehook = previous
    assert all("_write_rows" in s for s in seen), seen


# --- which data folder -----------------------------------------------------------------------------------

@pytest.fixture()
def no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)


@pytest.fixture()
def frozen_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_home: None) -> Path:
    """A frozen application unzipped on a USB stick: `…/USB-stick (E)/Bouwstenen/Bouwstenen.exe`."""
    folder = tmp_path / "USB-stick (E)" / "Bouwstenen"
    (folder / "_internal").mkdir(parents=True)
    exe = folder / "Bouwstenen.exe"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(folder / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return folder


def test_without_the_marker_the_frozen_app_uses_the_users_own_folder(frozen_app: Path) -> None:
    assert paths.application_dir() == frozen_app
    assert paths.portable_data_dir() is None
    assert paths.user_data_dir() == paths.platform_data_dir()
    assert not str(paths.user_data_dir()).startswith(str(frozen_app))


def test_the_marker_keeps_the_data_beside_the_frozen_app(frozen_app: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (frozen_app / paths.PORTABLE_MARKER).write_text("Gegevens naast het programma bewaren.\n", encoding="utf-8")
    assert paths.user_data_dir() == frozen_app / "gegevens"
    folder, why = paths.data_dir_choice()
    assert folder == frozen_app / "gegevens" and "draagbaar" in why
    # --data-dir and BOUWSTENEN_HOME still win
    assert paths.user_data_dir(tmp_path / "optie") == tmp_path / "optie"
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "omgeving"))
    assert paths.user_data_dir() == tmp_path / "omgeving"
    assert paths.user_data_dir(tmp_path / "optie") == tmp_path / "optie"


def test_a_folder_named_like_the_marker_is_not_a_marker(frozen_app: Path) -> None:
    (frozen_app / paths.PORTABLE_MARKER).mkdir()
    assert paths.portable_data_dir() is None


def test_the_marker_in_a_checkout_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_home: None) -> None:
    checkout = tmp_path / "bouwstenen-checkout"
    (checkout / "desktop" / "core").mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(checkout / "desktop" / "core" / "paths.py"))
    assert paths.application_dir() == checkout
    assert paths.user_data_dir() == paths.platform_data_dir()
    (checkout / "draagbaar.txt").write_text("", encoding="utf-8")
    assert paths.user_data_dir() == checkout / "gegevens"


def test_the_cli_follows_the_marker(frozen_app: Path, monkeypatch: pytest.MonkeyPatch, real_model_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (frozen_app / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    out = frozen_app / "notities.xlsx"
    assert cli.main(["notes", "export", "--out", str(out)]) == 0, capsys.readouterr().err
    assert out.exists()
    assert not (paths.platform_data_dir() / "workspace.sqlite").is_relative_to(frozen_app)


@pytest.fixture()
def windows_dirs(monkeypatch: pytest.MonkeyPatch, no_home: None) -> None:
    """platformdirs as on Windows: its Windows class, ntpath for paths, folders from %APPDATA%/%LOCALAPPDATA%."""
    fake_os = types.SimpleNamespace(path=ntpath, environ=os.environ, getenv=os.getenv, sep="\\")
    monkeypatch.setattr(platformdirs.windows, "os", fake_os)
    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER", platformdirs.windows.get_win_folder_from_env_vars)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setenv("APPDATA", r"C:\Users\Özdemir\AppData\Roaming")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\Özdemir\AppData\Local")
    for name in ("APPDATA", "LOCAL_APPDATA"):
        monkeypatch.delenv(f"WIN_PD_OVERRIDE_{name}", raising=False)


def test_windows_data_folder_is_roaming_appdata_without_an_author_folder(windows_dirs: None) -> None:
    folder = PureWindowsPath(str(paths.platform_data_dir()))
    assert folder == PureWindowsPath(r"C:\Users\Özdemir\AppData\Roaming\Bouwstenen")


def test_windows_paths_are_built_with_pathlib_only() -> None:
    """No hard-coded separators: every data-folder path is made with the `/` operator of pathlib."""
    home = PureWindowsPath(r"\\gemeente.local\home$\Özdemir\Bouwstenen")
    assert str(paths.workspace_path(home)) == r"\\gemeente.local\home$\Özdemir\Bouwstenen\workspace.sqlite"  # type: ignore[arg-type]
    assert str(paths.installed_model_path(home)) == (  # type: ignore[arg-type]
        r"\\gemeente.local\home$\Özdemir\Bouwstenen\model\model.sqlite")
    assert str(updates.versions_dir(home)) == r"\\gemeente.local\home$\Özdemir\Bouwstenen\model\versies"  # type: ignore[arg-type]
    assert str(backup_dir(home)).startswith("\\\\gemeente.local\\home$\\Özdemir\\Bouwstenen\\")  # type: ignore[arg-type]


# --- the paths Windows users have ------------------------------------------------------------------------

def long_folder(base: Path) -> Path:
    """A data folder whose workspace path is longer than Windows' classic MAX_PATH (260 characters)."""
    folder = base / "Gebruikers" / "Özdemir"
    part = "Een heel lange mapnaam van de afdeling Jeugd en Veiligheid"
    while len(str(folder / "reservekopieen" / "werkruimte-20261122-120000-000000-start.sqlite")) <= 300:
        folder = folder / part
    return folder / "Bouwstenen"


HOMES: dict[str, Callable[[Path], Path]] = {
    "onedrive": lambda base: base / "Gebruikers" / "Özdemir" / "OneDrive - Gemeente 's-Hertogenbosch" / "Documenten"
    / "Bouwstenen – notities",
    "lang": long_folder,
}


@pytest.fixture()
def published_copy(real_model_path: Path, tmp_path: Path) -> Path:
    """A published model file as an editor hands it over: a database file on a USB stick."""
    target = tmp_path / "USB-stick" / "Nieuwe versie – bouwstenenmodel.sqlite"
    target.parent.mkdir(parents=True)
    shutil.copy(real_model_path, target)
    return target


@pytest.mark.parametrize("kind", sorted(HOMES))
def test_everything_works_in_the_folders_windows_users_have(kind: str, tmp_path: Path, published_copy: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            real_model_path: Path) -> None:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    home = HOMES[kind](tmp_path)
    if kind == "lang":
        assert len(str(paths.workspace_path(home))) > 260
    opened = open_safely(home)
    assert not opened.read_only and opened.messages == []
    workspace = opened.workspace
    workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Werkte goed op school ë ï ö")
    backup = make_backup(workspace, home, "start")
    assert backup in backups(home) and len(str(backup)) > (260 if kind == "lang" else 0)
    # a model update, with the live model open as in the application
    preview = inspect(published_copy, paths.active_model_path(home), workspace.referenced_ids())
    assert preview.ok, [str(e) for e in preview.errors]
    updates.apply(preview, home)
    live = paths.installed_model_path(home)
    repo = ModelRepository.open(live)
    assert repo.counts()["interventions"] > 100
    preview = inspect(published_copy, live, workspace.referenced_ids())
    updates.apply(preview, home, before_swap=repo.close)
    assert updates.kept_versions(home) or updates.versions_dir(home).is_dir()
    # notes export into the same folder
    result = export_notes(workspace, home / "Notities van Özdemir.xlsx")
    assert (home / "Notities van Özdemir.xlsx").exists() and result is not None
    workspace.close()
    assert open_safely(home).workspace.all_entries()[0].text == "Werkte goed op school ë ï ö"


# --- a network drive that disappears ---------------------------------------------------------------------

@pytest.fixture()
def network_drive(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], None]]]:
    """`Z:` as a link to a share; `vanish()` takes the share away, so `Z:` leads nowhere (as when the network
    drops: every path below it gives 'not found', and the drive itself cannot be recreated)."""
    share = tmp_path / "server" / "gedeeld"
    share.mkdir(parents=True)
    drive = tmp_path / "Z"
    drive.symlink_to(share, target_is_directory=True)

    def vanish() -> None:
        shutil.rmtree(share)

    yield drive / "Özdemir" / "Bouwstenen", vanish


def test_a_vanished_network_drive_at_start_opens_read_only_in_dutch(network_drive: tuple[Path, Callable[[], None]],
                                                                   ) -> None:
    home, vanish = network_drive
    open_safely(home).workspace.close()
    vanish()
    opened = open_safely(home)
    assert opened.read_only
    assert all(is_dutch_message(m) for m in opened.messages) and str(home) in opened.messages[0]
    assert opened.workspace.all_entries() == []
    with pytest.raises(StorageError) as caught:
        opened.workspace.add_entry("x", "X", text="nieuw")
    assert is_dutch_message(str(caught.value))


def test_a_network_drive_that_vanishes_while_running(network_drive: tuple[Path, Callable[[], None]],
                                                     published_copy: Path, real_model_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    home, vanish = network_drive
    opened = open_safely(home)
    workspace = opened.workspace
    workspace.add_entry("under-pressure", "Under Pressure", text="voor het wegvallen")
    preview = inspect(published_copy, paths.active_model_path(home), set())
    assert preview.ok
    vanish()
    # the periodic backup while the app runs
    with pytest.raises(StorageError) as backup_error:
        make_backup(workspace, home, "periodiek")
    assert is_dutch_message(str(backup_error.value))
    assert backup_before(home, "modelupdate") is None  # never blocks the step it protects, never raises
    # the model update that was previewed before the drive went away
    with pytest.raises(UpdateError) as update_error:
        updates.apply(preview, home)
    assert is_dutch_message(str(update_error.value))
    # exporting the notes to the vanished drive
    with collect_failed_export_garbage(), pytest.raises(ExpectedError) as export_error:
        export_notes(workspace, home / "notities.xlsx")
    assert is_dutch_message(str(export_error.value))
    workspace.close()


@pytest.mark.parametrize("argv", [["notes", "export", "--out", "{home}/n.xlsx"], ["import", "{file}", "--yes"],
                                  ["notes", "list"], ["history"], ["rollback", "--yes"]])
def test_commands_on_a_vanished_drive_answer_in_dutch(argv: list[str], network_drive: tuple[Path, Callable[[], None]],
                                                      published_copy: Path, real_model_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    home, vanish = network_drive
    open_safely(home).workspace.close()
    vanish()
    args = [a.format(home=home, file=published_copy) for a in argv]
    with collect_failed_export_garbage():
        code = cli.main(["--data-dir", str(home), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "onverwachts" not in err, err
    assert code in (0, 1)
    if code == 1:
        assert err.startswith("bouwstenen: ") and is_dutch_message(err), err


# --- Windows' file-locking rule for the model swap -------------------------------------------------------

class Tracked(sqlite3.Connection):
    """A connection that knows it is open (works on every platform, unlike /proc/self/fd)."""

    open_files: ClassVar[dict[int, Path]] = {}

    def register(self, path: Path) -> None:
        Tracked.open_files[id(self)] = path

    def close(self) -> None:
        Tracked.open_files.pop(id(self), None)
        super().close()


def _database_path(database: Any, uri: bool) -> Path | None:
    text = os.fspath(database)
    if isinstance(text, bytes):
        text = text.decode()
    if text in ("", ":memory:") or text.startswith("file::memory:"):
        return None
    if uri or text.startswith("file:"):
        text = unquote(urlsplit(text).path)
        if os.name == "nt" and text.startswith("/") and text[2:3] == ":":
            text = text[1:]
    return Path(text)


def open_now() -> set[Path]:
    """Files this process holds open: SQLite connections tracked by the wrapper, plus /proc/self/fd on Linux."""
    found = {p.resolve() for p in Tracked.open_files.values()}
    fd_dir = Path("/proc/self/fd")
    if fd_dir.is_dir():
        for fd in fd_dir.iterdir():
            try:
                found.add(Path(os.readlink(fd)).resolve())
            except OSError:
                continue
    return found


@pytest.fixture()
def locking_rules(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Windows' rule checked on any platform: every os.replace whose target is open is recorded as a violation."""
    violations: list[str] = []
    real_connect, real_replace = sqlite3.connect, os.replace

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if "factory" in kwargs or len(args) > 4:
            return real_connect(database, *args, **kwargs)  # type: ignore[no-any-return]
        conn: Tracked = real_connect(database, *args, factory=Tracked, **kwargs)
        path = _database_path(database, bool(kwargs.get("uri")))
        if path is not None:
            conn.register(path)
        return conn

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        target = Path(os.fspath(dst)).resolve()
        if target in open_now():
            violations.append(f"{target.name} was replaced while open")
        real_replace(src, dst, **kwargs)

    Tracked.open_files.clear()
    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(os, "replace", replace)
    return violations


def _updated_home(tmp_path: Path, published_copy: Path) -> tuple[Path, ImportPreview]:
    """A data folder that already has an installed model (so the next update replaces a real file)."""
    home = tmp_path / "gegevens"
    updates.apply(inspect(published_copy, paths.active_model_path(home), set()), home)
    live = paths.installed_model_path(home)
    assert live.exists()
    return home, inspect(published_copy, live, set())


def test_the_swap_never_replaces_an_open_model(tmp_path: Path, published_copy: Path, real_model_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, locking_rules: list[str]) -> None:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    home, preview = _updated_home(tmp_path, published_copy)
    live = paths.installed_model_path(home)
    repo = ModelRepository.open(live)  # the application holds the live model open, as MainWindow does
    repo.counts()
    assert live.resolve() in open_now()
    closed: list[bool] = []

    def before_swap() -> None:
        repo.close()
        closed.append(True)

    updates.apply(preview, home, before_swap=before_swap)
    assert closed == [True]
    assert locking_rules == []
    # and going back to the previous version obeys the same rule
    repo = ModelRepository.open(live)
    updates.restore(home, updates.previous_version(home), before_swap=repo.close)
    assert locking_rules == []


def test_the_check_would_catch_a_swap_over_an_open_model(tmp_path: Path, published_copy: Path,
                                                         real_model_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         locking_rules: list[str]) -> None:
    """The negative control: without closing the model first, the rule is broken and the test notices."""
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    home, preview = _updated_home(tmp_path, published_copy)
    repo = ModelRepository.open(paths.installed_model_path(home))
    updates.apply(preview, home)
    repo.close()
    assert locking_rules == ["model.sqlite was replaced while open"]
