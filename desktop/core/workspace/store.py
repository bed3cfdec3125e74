"""The user's workspace: notes per intervention and werksets, in their own SQLite file.

The workspace never lives in the model file. Notes and werkset entries point at stable intervention
ids and keep a copy of the intervention's name, so they survive a model update that renames or
removes the intervention. Every change is committed at once (WAL mode), so a note typed a moment
before the process is killed is still there.

Writing can fail for reasons outside the application (a full disk, a write-protected USB stick, a
second window holding the lock): every write raises a `StorageError` that says so in Dutch, and a
workspace opened `read_only` refuses writes the same way. Text is stored as typed; only what SQLite
cannot store at all (a lone UTF-16 surrogate) is replaced, visibly, by U+FFFD.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop.core.errors import StorageError, WorkspaceError, storage_error

WORKSPACE_VERSION = 4
BUSY_TIMEOUT_MS = 3000  # a second window holding the lock: wait this long before saying so

STATUSES: tuple[tuple[str, str], ...] = (
    ("ingezet", "Ingezet"),
    ("gepland", "Gepland"),
    ("overwogen", "Overwogen"),
    ("niet-passend", "Niet passend"),
)
STATUS_LABELS = dict(STATUSES)
NOTE_FIELDS = ("status", "entry_date", "place", "partners", "outcome", "text")
CONTENT_FIELDS = ("intervention_id", *NOTE_FIELDS)

# Called with every new connection (tests use it to give SQLite a page limit: a "full disk").
connect_hooks: list[Callable[[sqlite3.Connection], None]] = []


@dataclass
class NoteEntry:
    id: str
    intervention_id: str
    intervention_name: str
    status: str | None
    entry_date: str | None  # ISO date the user chose ("when")
    place: str | None  # place or context: wijk, school, ...
    partners: str | None
    outcome: str | None
    text: str | None
    created_at: str
    updated_at: str
    synced_hash: str | None = None  # content as last exchanged with another laptop
    conflict_of: str | None = None  # an imported version that conflicts with this entry's id

    def is_empty(self) -> bool:
        """Nothing a person wrote: no status and no text (a date alone is not a note)."""
        return not any(getattr(self, f) for f in NOTE_FIELDS if f != "entry_date")

    def content_hash(self) -> str:
        return content_hash(self.intervention_id, {f: getattr(self, f) for f in NOTE_FIELDS})


@dataclass
class Shortlist:
    id: str
    name: str
    position: int


@dataclass
class ShortlistItem:
    shortlist_id: str
    intervention_id: str
    intervention_name: str
    position: int
    comment: str | None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    """A random id for a note or a werkset (uuid imports platform and more: only when one is made)."""
    import uuid

    return str(uuid.uuid4())


def content_hash(intervention_id: str, values: dict[str, str | None]) -> str:
    import hashlib  # on first use: loading OpenSSL costs ~2 ms of a start-up that hashes nothing

    digest = hashlib.sha256(intervention_id.encode("utf-8", "surrogatepass"))
    for name in NOTE_FIELDS:
        digest.update(b"\x1f" + (values.get(name) or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def clean_text(value: object) -> str | None:
    """Text as typed; None when blank. Lone surrogates (which no file can hold) become U+FFFD."""
    if value is None:
        return None
    text = str(value)
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text if text.strip() else None


def _migration_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE note_entry (id TEXT PRIMARY KEY, intervention_id TEXT NOT NULL, intervention_name TEXT NOT NULL, "
        "status TEXT, entry_date TEXT, place TEXT, partners TEXT, outcome TEXT, text TEXT, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX note_entry_intervention ON note_entry (intervention_id)")
    conn.execute(
        "CREATE TABLE shortlist (id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE shortlist_item (shortlist_id TEXT NOT NULL REFERENCES shortlist (id) ON DELETE CASCADE, "
        "intervention_id TEXT NOT NULL, intervention_name TEXT NOT NULL, position INTEGER NOT NULL, comment TEXT, "
        "added_at TEXT NOT NULL, PRIMARY KEY (shortlist_id, intervention_id))"
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS import_history (id INTEGER PRIMARY KEY, file_name TEXT, sha256 TEXT, "
        "model_version TEXT, published TEXT, applied_at TEXT, counts_json TEXT, action TEXT)"
    )


def _migration_3(conn: sqlite3.Connection) -> None:
    # two-way exchange between laptops: what was last exchanged, and conflicts kept side by side
    conn.execute("ALTER TABLE note_entry ADD COLUMN synced_hash TEXT")
    conn.execute("ALTER TABLE note_entry ADD COLUMN conflict_of TEXT")
    conn.execute("ALTER TABLE shortlist ADD COLUMN synced_name TEXT")
    conn.execute("ALTER TABLE shortlist_item ADD COLUMN synced_comment TEXT")
    conn.execute("ALTER TABLE shortlist_item ADD COLUMN updated_at TEXT")
    ensure_history_table(conn)


HISTORY_TABLE = (
    "CREATE TABLE IF NOT EXISTS import_history (id INTEGER PRIMARY KEY, file_name TEXT, sha256 TEXT, "
    "model_version TEXT, published TEXT, applied_at TEXT, counts_json TEXT, action TEXT, record_id TEXT, "
    "content_hash TEXT)"
)


def ensure_history_table(conn: sqlite3.Connection) -> None:
    """The history of model updates (written by desktop.core.updates.history)."""
    conn.execute(HISTORY_TABLE)
    names = {r[1] for r in conn.execute("PRAGMA table_info(import_history)")}
    for column in ("record_id", "content_hash"):  # added in workspace version 3
        if column not in names:
            conn.execute(f"ALTER TABLE import_history ADD COLUMN {column} TEXT")


def _migration_4(conn: sqlite3.Connection) -> None:
    from desktop.core.workspace.planning import create_tables

    create_tables(conn)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _migration_1, 2: _migration_2, 3: _migration_3, 4: _migration_4,
}


class Workspace:
    """One open workspace file. Use as a context manager, or call close()."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.read_only_reason: str | None = "alleen-lezen" if read_only else None
        self.in_memory = False
        try:
            if read_only:
                if path.exists():
                    wal = path.with_name(path.name + "-wal").exists()
                    uri = f"{path.resolve().as_uri()}?mode=ro{'' if wal else '&immutable=1'}"
                else:
                    uri = "file::memory:"
                    self.in_memory = True
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                            timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.text_factory = _decode
            for hook in connect_hooks:
                hook(self.conn)
            if not read_only:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.Error) and getattr(self, "conn", None) is not None:
                self.conn.close()
            raise storage_error(exc, f"Het bestand met uw notities ('{path.name}') openen") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > WORKSPACE_VERSION:
            raise WorkspaceError(
                f"Uw notities zijn opgeslagen door een nieuwere versie van Bouwstenen (werkruimte versie {version}). "
                "Installeer die nieuwere versie om ze te gebruiken."
            )
        if version == WORKSPACE_VERSION:
            return
        if self.read_only:
            if version == 0 and self.in_memory:
                for target in range(1, WORKSPACE_VERSION + 1):
                    MIGRATIONS[target](self.conn)  # an empty workspace to read from
            return  # an older workspace is read as it is; it is migrated when it can be written again
        for target in range(version + 1, WORKSPACE_VERSION + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[target](self.conn)
                self.conn.execute(f"PRAGMA user_version = {target}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    # --- writing ----------------------------------------------------------------------------
    def _check_writable(self, what: str) -> None:
        if self.read_only:
            from desktop.core.errors import REASONS

            reason = self.read_only_reason or "alleen-lezen"
            raise StorageError(f"{what} lukt niet: {REASONS.get(reason, reason)}.", reason)

    def write(self, sql: str, params: Iterable[Any] = (), what: str = "Opslaan") -> sqlite3.Cursor:
        """One statement, committed at once; a StorageError (Dutch) when the disk or lock refuses."""
        self._check_writable(what)
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise storage_error(exc, what) from exc

    @contextmanager
    def transaction(self, what: str = "Opslaan") -> Iterator[sqlite3.Connection]:
        """Several writes as one: all or nothing."""
        self._check_writable(what)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise storage_error(exc, what) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise storage_error(exc, what) from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # no transaction left to roll back (SQLite ended it with the error)

    def data_version(self) -> int:
        """Changes when anyone (also another window) wrote to the workspace."""
        total = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        return total + int(self.conn.total_changes)

    # --- notes ------------------------------------------------------------------------------
    @staticmethod
    def _entry(row: sqlite3.Row) -> NoteEntry:
        return NoteEntry(**{k: row[k] for k in row.keys()})

    def add_entry(self, intervention_id: str, intervention_name: str, **fields: str | None) -> NoteEntry:
        stamp = now()
        values = {f: clean_text(fields.get(f)) for f in NOTE_FIELDS}
        _check_status(values["status"])
        entry_id = str(fields.get("id") or new_id())
        self.write(
            "INSERT INTO note_entry (id, intervention_id, intervention_name, status, entry_date, place, partners, "
            "outcome, text, created_at, updated_at, synced_hash, conflict_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            (entry_id, intervention_id, intervention_name, *(values[f] for f in NOTE_FIELDS),
             fields.get("created_at") or stamp, fields.get("updated_at") or stamp, fields.get("synced_hash"),
             fields.get("conflict_of")),
            "De notitie opslaan",
        )
        entry = self.entry(entry_id)
        assert entry is not None
        return entry

    def update_entry(self, entry_id: str, **fields: str | None) -> None:
        changes = {f: clean_text(v) for f, v in fields.items() if f in NOTE_FIELDS}
        if "status" in changes:
            _check_status(changes["status"])
        if not changes:
            return
        assignments = ", ".join(f"{f} = ?" for f in changes)
        self.write(f"UPDATE note_entry SET {assignments}, updated_at = ? WHERE id = ?",
                   (*changes.values(), now(), entry_id), "De notitie opslaan")

    def resolve_conflict(self, entry_id: str) -> None:
        """The user has dealt with an imported version that conflicted: it is an ordinary note now."""
        self.write("UPDATE note_entry SET conflict_of = NULL WHERE id = ?", (entry_id,), "De notitie opslaan")

    def delete_entry(self, entry_id: str) -> None:
        self.write("DELETE FROM note_entry WHERE id = ?", (entry_id,), "De notitie verwijderen")

    def reattach(self, entry_ids: Iterable[str], intervention_id: str, name: str) -> int:
        """Point notes (of an intervention no longer in the model) at another intervention."""
        ids = list(entry_ids)
        with self.transaction("De notities koppelen") as conn:
            for entry_id in ids:
                conn.execute("UPDATE note_entry SET intervention_id = ?, intervention_name = ?, updated_at = ? "
                             "WHERE id = ?", (intervention_id, name, now(), entry_id))
        return len(ids)

    def entry(self, entry_id: str) -> NoteEntry | None:
        row = self.conn.execute("SELECT * FROM note_entry WHERE id = ?", (entry_id,)).fetchone()
        return self._entry(row) if row else None

    def entries_for(self, intervention_id: str) -> list[NoteEntry]:
        return [self._entry(r) for r in self.conn.execute(
            "SELECT * FROM note_entry WHERE intervention_id = ? "
            "ORDER BY coalesce(entry_date, substr(created_at, 1, 10)) DESC, created_at DESC", (intervention_id,))]

    def all_entries(self) -> list[NoteEntry]:
        return [self._entry(r) for r in self.conn.execute(
            "SELECT * FROM note_entry ORDER BY intervention_name, created_at")]

    def conflicts(self) -> list[NoteEntry]:
        return [self._entry(r) for r in self.conn.execute(
            "SELECT * FROM note_entry WHERE conflict_of IS NOT NULL ORDER BY intervention_name")]

    def latest_status(self) -> dict[str, str]:
        """Per intervention with notes: the status of its most recent entry ('' when none set)."""
        result: dict[str, str] = {}
        for row in self.conn.execute(
            "SELECT intervention_id, status FROM note_entry ORDER BY coalesce(entry_date, substr(created_at, 1, 10)), "
            "created_at"
        ):
            result[row[0]] = row[1] or ""
        return result

    def ids_by_status(self) -> dict[str, set[str]]:
        """Per status ('' = a note without status): the interventions with such a note entry."""
        found: dict[str, set[str]] = {}
        for row in self.conn.execute("SELECT DISTINCT intervention_id, status FROM note_entry"):
            found.setdefault(row[1] or "", set()).add(row[0])
        return found

    def ids_with_status(self, statuses: Iterable[str]) -> set[str]:
        """Interventions that have at least one note entry with one of these statuses."""
        by_status = self.ids_by_status()
        return set().union(*(by_status.get(s, set()) for s in statuses))

    def noted_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT DISTINCT intervention_id FROM note_entry")}

    def referenced_ids(self) -> set[str]:
        """Every intervention id the user's notes or werksets point at."""
        ids = self.noted_ids()
        ids |= {r[0] for r in self.conn.execute("SELECT DISTINCT intervention_id FROM shortlist_item")}
        return ids

    def orphaned_entries(self, model_ids: set[str]) -> list[NoteEntry]:
        """Notes whose intervention is no longer in the model: kept, shown, never deleted by us."""
        return [e for e in self.all_entries() if e.intervention_id not in model_ids]

    def sync_names(self, names: dict[str, str]) -> int:
        """After a model update: refresh stored names of interventions that were renamed. Returns how
        many interventions got a new name."""
        stored = {r[0]: r[1] for r in self.conn.execute(
            "SELECT intervention_id, intervention_name FROM note_entry "
            "UNION SELECT intervention_id, intervention_name FROM shortlist_item")}
        renamed = [iid for iid, name in stored.items() if iid in names and names[iid] != name]
        if renamed and not self.read_only:
            with self.transaction("Namen bijwerken") as conn:
                for iid in renamed:
                    conn.execute("UPDATE note_entry SET intervention_name = ? WHERE intervention_id = ?",
                                 (names[iid], iid))
                    conn.execute("UPDATE shortlist_item SET intervention_name = ? WHERE intervention_id = ?",
                                 (names[iid], iid))
        return len(renamed)

    # --- werksets ---------------------------------------------------------------------------
    def shortlists(self) -> list[Shortlist]:
        return [Shortlist(r["id"], r["name"], r["position"])
                for r in self.conn.execute("SELECT * FROM shortlist ORDER BY position, name")]

    def create_shortlist(self, name: str, shortlist_id: str | None = None) -> Shortlist:
        cleaned = clean_text(name)
        if not cleaned:
            raise WorkspaceError("Geef de werkset een naam.")
        name = cleaned.strip()
        position = int(self.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM shortlist").fetchone()[0])
        made_id = shortlist_id or new_id()
        stamp = now()
        self.write("INSERT INTO shortlist (id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                   (made_id, name, position, stamp, stamp), "De werkset opslaan")
        return Shortlist(made_id, name, position)

    def rename_shortlist(self, shortlist_id: str, name: str) -> None:
        cleaned = clean_text(name)
        if not cleaned:
            raise WorkspaceError("Geef de werkset een naam.")
        self.write("UPDATE shortlist SET name = ?, updated_at = ? WHERE id = ?", (cleaned.strip(), now(), shortlist_id),
                   "De werkset opslaan")

    def delete_shortlist(self, shortlist_id: str) -> None:
        self.write("DELETE FROM shortlist WHERE id = ?", (shortlist_id,), "De werkset verwijderen")

    def items(self, shortlist_id: str) -> list[ShortlistItem]:
        return [ShortlistItem(r["shortlist_id"], r["intervention_id"], r["intervention_name"], r["position"],
                              r["comment"])
                for r in self.conn.execute("SELECT * FROM shortlist_item WHERE shortlist_id = ? ORDER BY position",
                                           (shortlist_id,))]

    def add_item(self, shortlist_id: str, intervention_id: str, name: str, comment: str | None = None) -> bool:
        """Add an intervention to a werkset; False when it is already on it."""
        exists = self.conn.execute("SELECT 1 FROM shortlist_item WHERE shortlist_id = ? AND intervention_id = ?",
                                   (shortlist_id, intervention_id)).fetchone()
        if exists:
            return False
        position = int(self.conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM shortlist_item WHERE shortlist_id = ?", (shortlist_id,)
        ).fetchone()[0])
        stamp = now()
        self.write(
            "INSERT INTO shortlist_item (shortlist_id, intervention_id, intervention_name, position, comment, "
            "added_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (shortlist_id, intervention_id, name, position, clean_text(comment), stamp, stamp), "De werkset opslaan",
        )
        return True

    def remove_item(self, shortlist_id: str, intervention_id: str) -> None:
        with self.transaction("De werkset opslaan") as conn:
            conn.execute("DELETE FROM shortlist_item WHERE shortlist_id = ? AND intervention_id = ?",
                         (shortlist_id, intervention_id))
            self._renumber(conn, shortlist_id)

    def set_comment(self, shortlist_id: str, intervention_id: str, comment: str | None) -> None:
        self.write("UPDATE shortlist_item SET comment = ?, updated_at = ? "
                   "WHERE shortlist_id = ? AND intervention_id = ?",
                   (clean_text(comment), now(), shortlist_id, intervention_id), "De opmerking opslaan")

    def move_item(self, shortlist_id: str, intervention_id: str, offset: int) -> None:
        order = [i.intervention_id for i in self.items(shortlist_id)]
        if intervention_id not in order:
            return
        old = order.index(intervention_id)
        new = max(0, min(len(order) - 1, old + offset))
        order.insert(new, order.pop(old))
        with self.transaction("De volgorde opslaan") as conn:
            for position, iid in enumerate(order):
                conn.execute("UPDATE shortlist_item SET position = ? WHERE shortlist_id = ? AND intervention_id = ?",
                             (position, shortlist_id, iid))

    @staticmethod
    def _renumber(conn: sqlite3.Connection, shortlist_id: str) -> None:
        ids = [r[0] for r in conn.execute(
            "SELECT intervention_id FROM shortlist_item WHERE shortlist_id = ? ORDER BY position", (shortlist_id,))]
        for position, iid in enumerate(ids):
            conn.execute("UPDATE shortlist_item SET position = ? WHERE shortlist_id = ? AND intervention_id = ?",
                         (position, shortlist_id, iid))

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (before a backup or on exit)."""
        if not self.read_only:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # a checkpoint is an optimisation; the WAL itself is safe


def _decode(data: bytes) -> str:
    """Text from the file as text, whatever bytes another program (or damage) left in it."""
    return data.decode("utf-8", "replace")


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUS_LABELS:
        raise WorkspaceError(f"Onbekende status '{status}'. Kies uit: {', '.join(STATUS_LABELS.values())}.")

