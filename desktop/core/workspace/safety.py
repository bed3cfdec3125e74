"""Keep the notes safe: a health check that knows damage from a full disk, salvage, backups.

At start `open_workspace` looks at the workspace with SQLite's own check. Only a file SQLite calls
corrupt counts as damaged: then every readable row is salvaged from it (row by row, around the bad
pages), merged with the newest good backup (so notes typed since that backup come back), written to
a fresh workspace, and the damaged file is kept beside it. A full disk, a write-protected folder or
a file another program holds are reported as what they are, and the workspace opens read-only:
nothing is moved, nothing is lost.

Backups are made at start and while working when something changed, and before every notes import,
model update and rollback; they are kept in tiers (the recent ones, one a day, one a week) within a
bounded total size.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

from desktop.core.errors import REASONS, ExpectedError, StorageError, log, safe_text, storage_reason
from desktop.core.paths import workspace_path, writable
from desktop.core.text import count, dutch_datetime
from desktop.core.workspace.store import Workspace

BACKUP_DIR = "reservekopieen"
KEEP_RECENT = 10
KEEP_DAILY = 14
KEEP_WEEKLY = 12
MAX_TOTAL_BYTES = 200 * 1024 * 1024
BACKUP_INTERVAL = timedelta(minutes=30)
SALVAGE_TABLES: dict[str, tuple[str, ...]] = {
    "note_entry": ("id", "intervention_id", "intervention_name", "status", "entry_date", "place", "partners",
                   "outcome", "text", "created_at", "updated_at", "synced_hash", "conflict_of"),
    "shortlist": ("id", "name", "position", "created_at", "updated_at"),
    "shortlist_item": ("shortlist_id", "intervention_id", "intervention_name", "position", "comment", "added_at"),
    "plan": ("id", "name", "purpose", "shortlist_id", "created_at", "updated_at"),
    "plan_factor": ("plan_id", "cluster_id", "cluster_name", "position", "reason"),
    "quickscan": ("id", "name", "municipality", "scan_date", "created_at", "updated_at"),
    "quickscan_answer": ("quickscan_id", "question_number", "status", "note", "updated_at"),
    "feedback": ("id", "kind", "target_kind", "target_id", "target_name", "text", "proposal_json", "contact",
                 "model_version", "created_at", "updated_at"),
    "import_history": ("file_name", "sha256", "model_version", "published", "applied_at", "counts_json", "action"),
}
KEYS = {"note_entry": ("id",), "shortlist": ("id",), "shortlist_item": ("shortlist_id", "intervention_id"),
        "plan": ("id",), "plan_factor": ("plan_id", "cluster_id"), "quickscan": ("id",),
        "quickscan_answer": ("quickscan_id", "question_number"), "feedback": ("id",),
        "import_history": ("applied_at", "sha256", "action")}


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


# --- health -----------------------------------------------------------------------------------------

def health(path: Path) -> str:
    """'ok', 'missing', 'damaged', or a storage reason (vol, alleen-lezen, bezet, onbereikbaar, anders)."""
    if not path.exists():
        return "missing"
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)) as conn:
            result = conn.execute("PRAGMA quick_check").fetchall()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        reason = storage_reason(exc)
        if reason == "beschadigd":
            return "damaged"
        log.warning("workspace check: %s (%s)", reason, safe_text(exc))
        return reason
    except OSError as exc:
        return storage_reason(exc)
    return "ok" if [tuple(r) for r in result] == [("ok",)] else "damaged"


def is_healthy(path: Path) -> bool:
    return health(path) == "ok"


# --- salvage ----------------------------------------------------------------------------------------

@dataclass
class Salvage:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unreadable: int = 0  # pieces of tables that could not be read


def _read_rows(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], result: Salvage) -> None:
    try:
        present = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    except sqlite3.DatabaseError:
        present = set(columns)
    if not present:
        return
    wanted = [c for c in columns if c in present]
    select = ", ".join(wanted)
    last = 0
    jump = 1
    found: list[dict[str, Any]] = []
    while True:
        try:
            cursor = conn.execute(f"SELECT rowid, {select} FROM {table} WHERE rowid > ? ORDER BY rowid", (last,))
            for row in cursor:
                last = row[0]
                found.append(dict(zip(wanted, row[1:], strict=True)))
                jump = 1
            break
        except sqlite3.DatabaseError:
            result.unreadable += 1
            if jump > 1 << 40:
                break
            last += jump  # skip past the damaged part, further each time it is still damaged
            jump *= 4
    result.rows[table] = found


def salvage(damaged: Path) -> Salvage:
    """Every row that can still be read from a damaged workspace (its WAL included)."""
    result = Salvage()
    with tempfile.TemporaryDirectory(prefix="bouwstenen-herstel-") as folder:
        copy = Path(folder) / "werkruimte.sqlite"
        try:
            shutil.copy2(damaged, copy)
            for suffix in ("-wal", "-shm"):
                side = damaged.with_name(damaged.name + suffix)
                if side.exists():
                    shutil.copy2(side, copy.with_name(copy.name + suffix))
            conn = sqlite3.connect(copy)
        except (OSError, sqlite3.Error):
            return result
        with closing(conn):
            for table, columns in SALVAGE_TABLES.items():
                try:
                    _read_rows(conn, table, columns, result)
                except sqlite3.DatabaseError:
                    result.unreadable += 1
    return result


def _rows_from(path: Path) -> dict[str, list[dict[str, Any]]]:
    result = Salvage()
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        for table, columns in SALVAGE_TABLES.items():
            try:
                _read_rows(conn, table, columns, result)
            except sqlite3.DatabaseError:
                continue
    return result.rows


def _merge(backup: dict[str, list[dict[str, Any]]], salvaged: dict[str, list[dict[str, Any]]]
           ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """Salvaged rows win when they are at least as new; backup rows fill in what could not be read."""
    merged: dict[str, list[dict[str, Any]]] = {}
    from_backup = {"note_entry": 0}
    for table in SALVAGE_TABLES:
        keys = KEYS[table]
        rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in backup.get(table, []):
            rows[tuple(row.get(k) for k in keys)] = row
        backup_keys = set(rows)
        for row in salvaged.get(table, []):
            key = tuple(row.get(k) for k in keys)
            if None in key:
                continue
            old = rows.get(key)
            if old is None or str(row.get("updated_at") or "") >= str(old.get("updated_at") or ""):
                rows[key] = row
                backup_keys.discard(key)
        if table == "note_entry":
            from_backup["note_entry"] = len(backup_keys)
        merged[table] = list(rows.values())
    return merged, from_backup


def _write_rows(workspace: Workspace, tables: dict[str, list[dict[str, Any]]]) -> None:
    with workspace.transaction("Herstelde notities opslaan") as conn:
        for table, rows in tables.items():
            for row in rows:
                columns = [c for c in SALVAGE_TABLES[table] if c in row]
                if table == "note_entry" and not {"intervention_id", "created_at", "updated_at"} <= set(columns):
                    continue
                try:
                    conn.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES "
                                 f"({', '.join('?' for _ in columns)})", [row[c] for c in columns])
                except sqlite3.IntegrityError:
                    continue  # a row whose parts were lost (e.g. a werkset item without its werkset)


# --- backups ----------------------------------------------------------------------------------------

def backups(data_dir: Path) -> list[Path]:
    """Backups, newest first."""
    folder = backup_dir(data_dir)
    return sorted(folder.glob("werkruimte-*.sqlite"), reverse=True) if folder.exists() else []


def _stamp_of(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.stem.split("-")[1] + path.stem.split("-")[2], "%Y%m%d%H%M%S")
    except (IndexError, ValueError):
        return None


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def same_content(a: Path, b: Path) -> bool:
    """Whether two workspaces hold the same content (compares SQL dumps line by line)."""
    with closing(_connect_ro(a)) as ca, closing(_connect_ro(b)) as cb:
        return all(x == y for x, y in zip_longest(ca.iterdump(), cb.iterdump()))


def prune(data_dir: Path, today: datetime | None = None) -> list[Path]:
    """Keep the recent backups, one a day and one a week, within a bounded total size; returns removed."""
    today = today or datetime.now()
    kept: list[Path] = []
    days: set[str] = set()
    weeks: set[str] = set()
    removed: list[Path] = []
    for index, path in enumerate(backups(data_dir)):
        stamp = _stamp_of(path) or today
        day, week = stamp.strftime("%Y%m%d"), stamp.strftime("%G%V")
        keep = index < KEEP_RECENT
        if not keep and day not in days and len(days) < KEEP_DAILY:
            keep = True
        if not keep and week not in weeks and len(weeks) < KEEP_WEEKLY:
            keep = True
        days.add(day)
        weeks.add(week)
        (kept if keep else removed).append(path)
    total = 0
    for path in kept:
        try:
            total += path.stat().st_size
        except OSError:
            continue
        if total > MAX_TOTAL_BYTES and path is not kept[0]:
            removed.append(path)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def make_backup(workspace: Workspace, data_dir: Path, reason: str = "") -> Path:
    """A consistent copy of the workspace in the backup folder. Raises StorageError when it cannot."""
    folder = backup_dir(data_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    suffix = f"-{reason}" if reason else ""
    target = folder / f"werkruimte-{stamp}{suffix}.sqlite"
    partial = target.with_suffix(".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(partial)
        try:
            workspace.conn.backup(dest)
        finally:
            dest.close()
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Een reservekopie maken lukt niet: {REASONS[storage_reason(exc)]}.",
                           storage_reason(exc)) from exc
    prune(data_dir)
    return target


def backup_if_changed(workspace: Workspace, data_dir: Path, reason: str = "") -> Path | None:
    existing = backups(data_dir)
    if existing:
        try:
            if same_content(workspace.path, existing[0]):
                return None
        except sqlite3.DatabaseError:
            pass
    if not existing and not workspace.all_entries() and not workspace.shortlists():
        return None  # nothing written yet: nothing to keep
    return make_backup(workspace, data_dir, reason)


def backup_before(data_dir: Path, reason: str) -> Path | None:
    """Before a risky step (notes import, model update, rollback): a backup when anything changed.

    Never blocks the step it protects; a failure is logged."""
    path = workspace_path(data_dir)
    if not path.exists() or writable(data_dir) is not None:
        return None
    try:
        with Workspace(path) as workspace:
            return backup_if_changed(workspace, data_dir, reason)
    except (ExpectedError, sqlite3.Error, OSError) as exc:  # e.g. the window writes at this very moment
        log.warning("backup before %s failed: %s", reason, exc)
        return None


def due(last: datetime | None, now: datetime | None = None) -> bool:
    """Is a periodic backup due (every BACKUP_INTERVAL while the app runs)?"""
    return last is None or (now or datetime.now()) - last >= BACKUP_INTERVAL


# --- opening ----------------------------------------------------------------------------------------

def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.beschadigd-{stamp}{path.suffix}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def recover(data_dir: Path) -> list[str]:
    """Salvage a damaged workspace into a fresh one, merged with the newest good backup. Dutch messages."""
    path = workspace_path(data_dir)
    salvaged = salvage(path)
    damaged = _move_aside(path)
    backup_rows: dict[str, list[dict[str, Any]]] = {}
    used: Path | None = None
    for candidate in backups(data_dir):
        if health(candidate) == "ok":
            backup_rows, used = _rows_from(candidate), candidate
            break
    merged, from_backup = _merge(backup_rows, salvaged.rows)
    with Workspace(path) as workspace:
        _write_rows(workspace, merged)
        notes = len(workspace.all_entries())
        lists = len(workspace.shortlists())
    read = len(salvaged.rows.get("note_entry", []))
    lines = [f"Het bestand met uw notities was beschadigd. Hersteld: {count(notes, 'notitie', 'notities')} en "
             f"{count(lists, 'werkset', 'werksets')}."]
    detail = f"{count(read, 'notitie kwam', 'notities kwamen')} uit het beschadigde bestand"
    if used is not None:
        when = dutch_datetime(datetime.fromtimestamp(used.stat().st_mtime))
        detail += f", {from_backup['note_entry']} uit de reservekopie van {when}"
    lines.append(detail + ".")
    if salvaged.unreadable:
        since = f" na {dutch_datetime(datetime.fromtimestamp(used.stat().st_mtime))}" if used is not None else ""
        lines.append(f"Een deel van het bestand was onleesbaar: wat u{since} schreef, kan ontbreken. Kijk uw "
                     "recente notities na.")
    lines.append(f"Het beschadigde bestand is bewaard als '{damaged.name}'.")
    return [" ".join(lines)]


@dataclass
class Opened:
    workspace: Workspace
    messages: list[str]
    read_only: bool = False
    reason: str | None = None  # why read-only (a key of errors.REASONS)


def open_workspace(data_dir: Path) -> tuple[Workspace, list[str]]:
    """Open the user's workspace safely: (workspace, Dutch messages). Read-only when it must be."""
    opened = open_safely(data_dir)
    return opened.workspace, opened.messages


def _read_only(path: Path, reason: str, messages: list[str]) -> Opened:
    """The workspace opened for reading only; when even that fails, an empty one (nothing is touched)."""
    try:
        workspace = Workspace(path, read_only=True)
        workspace.all_entries()
    except (StorageError, sqlite3.Error) as exc:
        messages.append(f"Uw notities kunnen nu ook niet worden gelezen ({REASONS[storage_reason(exc)]}); ze zijn niet "
                        "gewijzigd. Start Bouwstenen opnieuw als het probleem is opgelost.")
        workspace = Workspace(path.with_name("niet-beschikbaar.sqlite"), read_only=True)
    workspace.read_only_reason = reason
    return Opened(workspace, messages, True, reason)


def open_safely(data_dir: Path) -> Opened:
    path = workspace_path(data_dir)
    messages: list[str] = []
    problem = writable(data_dir)
    if problem is not None:
        messages.append(f"Uw gegevensmap ({data_dir}) kan niet worden beschreven: {REASONS[problem]}. Bouwstenen werkt "
                        "nu alleen-lezen: u kunt zoeken en uw notities lezen, maar niets wijzigen.")
        return _read_only(path, problem, messages)
    state = health(path)
    if state == "damaged":
        try:
            messages.extend(recover(data_dir))
        except (ExpectedError, OSError, sqlite3.Error) as exc:
            log.exception("recovery failed")
            messages.append(f"Het bestand met uw notities is beschadigd en kon niet worden hersteld "
                            f"({safe_text(exc, 200)}). Het is niet gewijzigd; neem contact op met uw beheerder.")
            return _read_only(path, "beschadigd", messages)
    elif state not in ("ok", "missing"):
        messages.append(f"Uw notities zijn bewaard, maar kunnen nu niet worden gewijzigd: {REASONS[state]}. Bouwstenen "
                        "werkt alleen-lezen tot u het opnieuw start.")
        return _read_only(path, state, messages)
    try:
        workspace = Workspace(path)
    except StorageError as exc:
        messages.append(f"{exc} Bouwstenen werkt alleen-lezen: uw notities zijn niet gewijzigd.")
        return _read_only(path, exc.reason, messages)
    try:
        backup_if_changed(workspace, data_dir, "start")
    except StorageError as exc:
        messages.append(f"{exc} Uw notities zelf zijn in orde.")
    return Opened(workspace, messages)
