"""Keep the workspace safe: integrity check and rotating backups at start, recovery from damage.

At every start the workspace is checked with `PRAGMA integrity_check`. A damaged file is moved aside
(never deleted) and the newest backup that passes the check is restored, with a Dutch message.
When the workspace changed since the newest backup, a new backup is made; the last KEEP stay.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from itertools import zip_longest
from pathlib import Path

from desktop.core.paths import workspace_path
from desktop.core.workspace import Workspace

KEEP = 10
BACKUP_DIR = "reservekopieen"


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def is_healthy(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return result == [("ok",)]


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def same_content(a: Path, b: Path) -> bool:
    """Whether two workspaces hold the same content (not the same bytes, which change with page
    layout). Compares the SQL dumps line by line; no hashing, so OpenSSL is not loaded at start."""
    with closing(_connect_ro(a)) as ca, closing(_connect_ro(b)) as cb:
        return all(x == y for x, y in zip_longest(ca.iterdump(), cb.iterdump()))


def backups(data_dir: Path) -> list[Path]:
    """Backups, newest first."""
    folder = backup_dir(data_dir)
    return sorted(folder.glob("werkruimte-*.sqlite"), reverse=True) if folder.exists() else []


def make_backup(workspace: Workspace, data_dir: Path, stamp: str | None = None) -> Path:
    folder = backup_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"werkruimte-{stamp}.sqlite"
    partial = target.with_suffix(".partial")
    dest = sqlite3.connect(partial)
    try:
        workspace.conn.backup(dest)
    finally:
        dest.close()
    partial.replace(target)
    for old in backups(data_dir)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def backup_if_changed(workspace: Workspace, data_dir: Path) -> Path | None:
    existing = backups(data_dir)
    if existing:
        try:
            if same_content(workspace.path, existing[0]):
                return None
        except sqlite3.DatabaseError:
            pass
    return make_backup(workspace, data_dir)


def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.beschadigd-{stamp}{path.suffix}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def open_workspace(data_dir: Path) -> tuple[Workspace, list[str]]:
    """Open the user's workspace safely. Returns it with Dutch messages for the user (may be empty)."""
    path = workspace_path(data_dir)
    messages: list[str] = []
    if path.exists() and not is_healthy(path):
        damaged = _move_aside(path)
        restored = None
        for candidate in backups(data_dir):
            if is_healthy(candidate):
                shutil.copy2(candidate, path)
                restored = candidate
                break
        if restored is not None:
            when = datetime.fromtimestamp(restored.stat().st_mtime).strftime("%d-%m-%Y %H:%M")
            messages.append(
                "Het bestand met uw notities was beschadigd. De laatste goede reservekopie (van "
                f"{when}) is teruggezet. Het beschadigde bestand is bewaard als '{damaged.name}'."
            )
        else:
            messages.append(
                "Het bestand met uw notities was beschadigd en er is geen bruikbare reservekopie. U begint met "
                f"een lege werkruimte; het beschadigde bestand is bewaard als '{damaged.name}'."
            )
    workspace = Workspace(path)
    backup_if_changed(workspace, data_dir)
    return workspace, messages
