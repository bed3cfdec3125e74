"""The user's workspace: notes per intervention and shortlists ("werksets"), in their own SQLite file.

The workspace never lives in the model file. Notes and shortlist entries point at stable intervention
ids and keep a copy of the intervention's name, so they survive a model update that renames or
removes the intervention. Every change is committed at once (WAL mode), so a note typed a moment
before the process is killed is still there.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

WORKSPACE_VERSION = 2

STATUSES: tuple[tuple[str, str], ...] = (
    ("ingezet", "Ingezet"),
    ("gepland", "Gepland"),
    ("overwogen", "Overwogen"),
    ("niet-passend", "Niet passend"),
)
STATUS_LABELS = dict(STATUSES)
NOTE_FIELDS = ("status", "entry_date", "place", "partners", "outcome", "text")


class WorkspaceError(Exception):
    """A workspace problem with a Dutch message for the user."""


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

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in NOTE_FIELDS)


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
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migration_1(conn: sqlite3.Connection) -> None:
    # statement by statement: executescript() would commit the migration's transaction halfway
    script = (
        """
        CREATE TABLE note_entry (
            id TEXT PRIMARY KEY,
            intervention_id TEXT NOT NULL,
            intervention_name TEXT NOT NULL,
            status TEXT, entry_date TEXT, place TEXT, partners TEXT, outcome TEXT, text TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE INDEX note_entry_intervention ON note_entry (intervention_id);
        CREATE TABLE shortlist (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE shortlist_item (
            shortlist_id TEXT NOT NULL REFERENCES shortlist (id) ON DELETE CASCADE,
            intervention_id TEXT NOT NULL,
            intervention_name TEXT NOT NULL,
            position INTEGER NOT NULL,
            comment TEXT,
            added_at TEXT NOT NULL,
            PRIMARY KEY (shortlist_id, intervention_id)
        );
        """
    )
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migration_2(conn: sqlite3.Connection) -> None:
    # import history (model updates); shared with desktop.core.model_import
    conn.execute(
        "CREATE TABLE IF NOT EXISTS import_history (id INTEGER PRIMARY KEY, file_name TEXT, sha256 TEXT, "
        "model_version TEXT, published TEXT, applied_at TEXT, counts_json TEXT, action TEXT)"
    )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migration_1, 2: _migration_2}


class Workspace:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"Het bestand met uw notities ('{path.name}') is niet te openen: {exc}.") from exc

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > WORKSPACE_VERSION:
            raise WorkspaceError(
                f"Uw notities zijn opgeslagen door een nieuwere versie van Bouwstenen (werkruimte versie {version}). "
                "Installeer die nieuwere versie om ze te gebruiken."
            )
        for target in range(version + 1, WORKSPACE_VERSION + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[target](self.conn)
                self.conn.execute(f"PRAGMA user_version = {target}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    # --- notes ------------------------------------------------------------------------------
    @staticmethod
    def _entry(row: sqlite3.Row) -> NoteEntry:
        return NoteEntry(**{k: row[k] for k in row.keys()})

    def add_entry(self, intervention_id: str, intervention_name: str, **fields: str | None) -> NoteEntry:
        stamp = now()
        values = {f: _clean(fields.get(f)) for f in NOTE_FIELDS}
        _check_status(values["status"])
        entry_id = str(fields.get("id") or uuid.uuid4())
        self.conn.execute(
            "INSERT INTO note_entry (id, intervention_id, intervention_name, status, entry_date, place, partners, "
            "outcome, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry_id, intervention_id, intervention_name, *(values[f] for f in NOTE_FIELDS),
             fields.get("created_at") or stamp, fields.get("updated_at") or stamp),
        )
        entry = self.entry(entry_id)
        assert entry is not None
        return entry

    def update_entry(self, entry_id: str, **fields: str | None) -> None:
        changes = {f: _clean(v) for f, v in fields.items() if f in NOTE_FIELDS}
        if "status" in changes:
            _check_status(changes["status"])
        if not changes:
            return
        assignments = ", ".join(f"{f} = ?" for f in changes)
        self.conn.execute(
            f"UPDATE note_entry SET {assignments}, updated_at = ? WHERE id = ?",
            (*changes.values(), now(), entry_id),
        )

    def delete_entry(self, entry_id: str) -> None:
        self.conn.execute("DELETE FROM note_entry WHERE id = ?", (entry_id,))

    def entry(self, entry_id: str) -> NoteEntry | None:
        row = self.conn.execute("SELECT * FROM note_entry WHERE id = ?", (entry_id,)).fetchone()
        return self._entry(row) if row else None

    def entries_for(self, intervention_id: str) -> list[NoteEntry]:
        return [
            self._entry(r)
            for r in self.conn.execute(
                "SELECT * FROM note_entry WHERE intervention_id = ? "
                "ORDER BY coalesce(entry_date, substr(created_at, 1, 10)) DESC, created_at DESC",
                (intervention_id,),
            )
        ]

    def all_entries(self) -> list[NoteEntry]:
        return [
            self._entry(r)
            for r in self.conn.execute("SELECT * FROM note_entry ORDER BY intervention_name, created_at")
        ]

    def latest_status(self) -> dict[str, str]:
        """Per intervention with notes: the status of its most recent entry ('' when none set)."""
        result: dict[str, str] = {}
        for row in self.conn.execute(
            "SELECT intervention_id, status FROM note_entry "
            "ORDER BY coalesce(entry_date, substr(created_at, 1, 10)), created_at"
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
        """Every intervention id the user's notes or shortlists point at."""
        ids = self.noted_ids()
        ids |= {r[0] for r in self.conn.execute("SELECT DISTINCT intervention_id FROM shortlist_item")}
        return ids

    def orphaned_entries(self, model_ids: set[str]) -> list[NoteEntry]:
        """Notes whose intervention is no longer in the model: kept, shown, never deleted by us."""
        return [e for e in self.all_entries() if e.intervention_id not in model_ids]

    def rename_intervention(self, intervention_id: str, name: str) -> None:
        """Refresh the stored name copy (after a model update renamed an intervention)."""
        self.conn.execute(
            "UPDATE note_entry SET intervention_name = ? WHERE intervention_id = ?", (name, intervention_id)
        )
        self.conn.execute(
            "UPDATE shortlist_item SET intervention_name = ? WHERE intervention_id = ?", (name, intervention_id)
        )

    def sync_names(self, names: dict[str, str]) -> int:
        """After a model update: refresh stored names of interventions that were renamed. Returns how
        many interventions got a new name."""
        stored = {r[0]: r[1] for r in self.conn.execute(
            "SELECT intervention_id, intervention_name FROM note_entry "
            "UNION SELECT intervention_id, intervention_name FROM shortlist_item")}
        renamed = [iid for iid, name in stored.items() if iid in names and names[iid] != name]
        for iid in renamed:
            self.rename_intervention(iid, names[iid])
        return len(renamed)

    # --- shortlists -------------------------------------------------------------------------
    def shortlists(self) -> list[Shortlist]:
        return [
            Shortlist(r["id"], r["name"], r["position"])
            for r in self.conn.execute("SELECT * FROM shortlist ORDER BY position, name")
        ]

    def create_shortlist(self, name: str, shortlist_id: str | None = None) -> Shortlist:
        name = name.strip()
        if not name:
            raise WorkspaceError("Geef de werkset een naam.")
        position = int(self.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM shortlist").fetchone()[0])
        new_id = shortlist_id or str(uuid.uuid4())
        stamp = now()
        self.conn.execute(
            "INSERT INTO shortlist (id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (new_id, name, position, stamp, stamp),
        )
        return Shortlist(new_id, name, position)

    def rename_shortlist(self, shortlist_id: str, name: str) -> None:
        if not name.strip():
            raise WorkspaceError("Geef de werkset een naam.")
        self.conn.execute(
            "UPDATE shortlist SET name = ?, updated_at = ? WHERE id = ?", (name.strip(), now(), shortlist_id)
        )

    def delete_shortlist(self, shortlist_id: str) -> None:
        self.conn.execute("DELETE FROM shortlist WHERE id = ?", (shortlist_id,))

    def items(self, shortlist_id: str) -> list[ShortlistItem]:
        return [
            ShortlistItem(r["shortlist_id"], r["intervention_id"], r["intervention_name"], r["position"], r["comment"])
            for r in self.conn.execute(
                "SELECT * FROM shortlist_item WHERE shortlist_id = ? ORDER BY position", (shortlist_id,)
            )
        ]

    def add_item(self, shortlist_id: str, intervention_id: str, name: str, comment: str | None = None) -> bool:
        """Add an intervention to a shortlist; False when it is already on it."""
        exists = self.conn.execute(
            "SELECT 1 FROM shortlist_item WHERE shortlist_id = ? AND intervention_id = ?",
            (shortlist_id, intervention_id),
        ).fetchone()
        if exists:
            return False
        position = int(self.conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM shortlist_item WHERE shortlist_id = ?", (shortlist_id,)
        ).fetchone()[0])
        self.conn.execute(
            "INSERT INTO shortlist_item "
            "(shortlist_id, intervention_id, intervention_name, position, comment, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (shortlist_id, intervention_id, name, position, _clean(comment), now()),
        )
        return True

    def remove_item(self, shortlist_id: str, intervention_id: str) -> None:
        self.conn.execute(
            "DELETE FROM shortlist_item WHERE shortlist_id = ? AND intervention_id = ?", (shortlist_id, intervention_id)
        )
        self._renumber(shortlist_id, [i.intervention_id for i in self.items(shortlist_id)])

    def set_comment(self, shortlist_id: str, intervention_id: str, comment: str | None) -> None:
        self.conn.execute(
            "UPDATE shortlist_item SET comment = ? WHERE shortlist_id = ? AND intervention_id = ?",
            (_clean(comment), shortlist_id, intervention_id),
        )

    def move_item(self, shortlist_id: str, intervention_id: str, offset: int) -> None:
        order = [i.intervention_id for i in self.items(shortlist_id)]
        if intervention_id not in order:
            return
        old = order.index(intervention_id)
        new = max(0, min(len(order) - 1, old + offset))
        order.insert(new, order.pop(old))
        self._renumber(shortlist_id, order)

    def _renumber(self, shortlist_id: str, order: list[str]) -> None:
        self.conn.execute("BEGIN")
        try:
            for position, iid in enumerate(order):
                self.conn.execute(
                    "UPDATE shortlist_item SET position = ? WHERE shortlist_id = ? AND intervention_id = ?",
                    (position, shortlist_id, iid),
                )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (before a backup or on exit)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value if value.strip() else None


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUS_LABELS:
        raise WorkspaceError(f"Onbekende status '{status}'. Kies uit: {', '.join(STATUS_LABELS.values())}.")
