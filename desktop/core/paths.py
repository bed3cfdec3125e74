"""Where things live: bundled resources (source checkout or frozen app) and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Bouwstenen"
HOME_ENV = "BOUWSTENEN_HOME"
MODEL_FILE = "model.sqlite"
PORTABLE_MARKER = "draagbaar.txt"  # next to the executable (or in a checkout's root): portable mode
PORTABLE_DATA = "gegevens"  # the data folder beside the application in portable mode


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder that holds `resources/` (and, in a checkout, `data/`)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return bundle_root() / "resources"


def curated_source_dir() -> Path | None:
    """`data/` of a source checkout; None in the frozen application."""
    if is_frozen():
        return None
    candidate = bundle_root() / "data"
    return candidate if (candidate / "model.toml").exists() else None


def bundled_model_path() -> Path:
    """The model shipped with the application (built from `data/` in a checkout)."""
    override = os.environ.get("BOUWSTENEN_BUNDLED_MODEL")
    if override:
        return Path(override)
    return resources_dir() / "model" / MODEL_FILE


def application_dir() -> Path:
    """The folder a user sees as 'the application': the executable's folder, or a checkout's root."""
    if is_frozen():  # abspath, not resolve(): keep the drive letter of a USB stick or a mapped network drive
        return Path(os.path.abspath(sys.executable)).parent
    return Path(__file__).resolve().parents[2]


def portable_data_dir() -> Path | None:
    """`gegevens/` beside the application when the marker file `draagbaar.txt` is there; else None."""
    folder = application_dir()
    try:
        marked = (folder / PORTABLE_MARKER).is_file()
    except OSError:  # an unreadable application folder is simply not portable
        return None
    return folder / PORTABLE_DATA if marked else None


def platform_data_dir() -> Path:
    """The platform's per-user data folder (roaming on Windows: %APPDATA%\\Bouwstenen)."""
    import platformdirs  # only here: not needed (nor imported) when a data folder is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def user_data_dir(override: Path | None = None) -> Path:
    """The user's own data folder: --data-dir, else $BOUWSTENEN_HOME, else `gegevens/` beside the application
    in portable mode (`draagbaar.txt`), else the platform's folder."""
    return data_dir_choice(override)[0]


def data_dir_choice(override: Path | None = None) -> tuple[Path, str]:
    """The data folder and why it is that one, in Dutch (for the About dialog and the guide)."""
    if override is not None:
        return override, "gekozen met --data-dir"
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env), f"gekozen met de omgevingsvariabele {HOME_ENV}"
    portable = portable_data_dir()
    if portable is not None:
        return portable, f"draagbaar gebruik: {PORTABLE_MARKER} staat naast het programma"
    return platform_data_dir(), "de standaardmap voor uw gebruikersaccount"


def installed_model_path(data_dir: Path) -> Path:
    """A model the user imported (replaces the bundled one while it exists)."""
    return data_dir / "model" / MODEL_FILE


def active_model_path(data_dir: Path) -> Path:
    installed = installed_model_path(data_dir)
    return installed if installed.exists() else bundled_model_path()


def workspace_path(data_dir: Path) -> Path:
    return data_dir / "workspace.sqlite"


def require_writable(data_dir: Path, what: str) -> None:
    """Raise a Dutch StorageError when nothing can be written in the data folder (e.g. a locked USB stick)."""
    from desktop.core.errors import REASONS, StorageError

    reason = writable(data_dir)
    if reason is not None:
        raise StorageError(f"{what} lukt niet: {REASONS[reason]} ({data_dir}).", reason)


def writable(folder: Path) -> str | None:
    """None when files can be created in `folder`; else the reason (a key of errors.REASONS)."""
    from desktop.core.errors import storage_reason

    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".schrijftest-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return storage_reason(exc)
    return None
