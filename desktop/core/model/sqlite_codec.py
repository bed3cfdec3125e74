"""The model database: the model's tables (generated from the schema) plus the search index.

    write_model(model, path)          # a complete model database, replaced atomically
    conn = open_model(path)           # read-only, version checked (desktop.core.model.model_file)
    model, loc = read_model(conn, log)  # the model back (also from an untrusted, foreign file)

Every entity is one table with the schema's fields as columns, a `position` column for the order
among siblings and, for a child entity, a column with its parent's key (`block_id`, ...). Lists of
codes are stored as text separated by "; ". The search index (`desktop.core.model.index`) is derived
from these tables when the file is written and is never read back: a foreign database contributes
its model tables only, each read by name, each checked to be an ordinary table, every value's type
checked, so no view, trigger or virtual table of a foreign file is ever used.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.errors import safe_text
from desktop.core.model.checks import ProblemLog
from desktop.core.model.entities import Model
from desktop.core.model.model_file import (
    APPLICATION_ID,
    LIST_SEPARATOR,
    USER_VERSION,
    schema_version_text,
    split_list,
)
from desktop.core.model.rows import Locator, ReadRow, assemble, flatten
from desktop.core.model.schema import ENTITIES, SCHEMA, Entity, Field

if TYPE_CHECKING:
    import sqlite_utils

SQL_TYPES = {"text": str, "int": int, "flag": int, "list": str}
READ_ROW_LIMIT = 1_000_000  # per table: far beyond any real model, far below harm
TRUSTED_ROW_LIMIT = 50_000_000


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns(entity: Entity) -> list[str]:
    """The table's columns in order: parent key, position, then the fields."""
    found = [entity.parent_column] if entity.container else []
    if not entity.mapping:
        found.append("position")
    return found + [f.name for f in entity.fields]


# --- writing ------------------------------------------------------------------------------------------

def create_tables(db: sqlite_utils.Database) -> None:
    for entity in SCHEMA:
        spec: dict[str, Any] = {}
        if entity.container:
            spec[entity.parent_column] = str
        if not entity.mapping:
            spec["position"] = int
        for f in entity.fields:
            spec[f.name] = SQL_TYPES[f.kind]
        if entity.mapping:
            pk: Any = "key"
        elif entity.key is not None and entity.key_scope == "model":
            pk = entity.key
        elif entity.container:
            pk = (entity.parent_column, "position")
        else:
            pk = "position"
        db.create_table(entity.table, spec, pk=pk, not_null={c for c in spec if c in ("position",)})
        if entity.container:
            db.table(entity.table).create_index([entity.parent_column, "position"], unique=True)


def _cell(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.kind == "flag":
        return int(bool(value))
    if f.kind == "list":
        return LIST_SEPARATOR.join(value) if value else None
    return value


def table_rows(model: Model, entity: Entity) -> Iterator[tuple[Any, ...]]:
    for row in flatten(model, entity):
        head: list[Any] = [row.parent] if entity.container else []
        if not entity.mapping:
            head.append(row.position)
        yield (*head, *(_cell(f, row.values.get(f.name)) for f in entity.fields))


def fill(conn: sqlite3.Connection, model: Model) -> str:
    """Insert every row of the model (one executemany per table: one insert per row costs 5x more).

    Returns a fingerprint of the content: two models with the same content have the same one."""
    digest = hashlib.sha256()
    for entity in SCHEMA:
        names = columns(entity)
        sql = (f"INSERT INTO {quote(entity.table)} ({', '.join(quote(c) for c in names)}) "
               f"VALUES ({', '.join('?' for _ in names)})")
        rows = list(table_rows(model, entity))
        digest.update(entity.name.encode())
        for row in rows:
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
        conn.executemany(sql, rows)
    return digest.hexdigest()


def write_model(model: Model, out: Path, fingerprint: str | None = None) -> None:
    """Write `model` as a complete model database at `out` (replaced atomically)."""
    import sqlite_utils

    from desktop.core.model.index import build_index

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.name + ".building")
    staging.unlink(missing_ok=True)
    db = sqlite_utils.Database(staging)
    try:
        # a staging file is replaced whole or thrown away: no journal, no syncs while it is filled
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        create_tables(db)
        content = fill(db.conn, model)
        build_index(db.conn, model, {"schema_version": schema_version_text(), "source_hash": fingerprint or "",
                                     "content_hash": content})
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {USER_VERSION}")
        db.conn.commit()
        db.execute("ANALYZE")
        db.conn.commit()
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(staging, out)


# --- opening ------------------------------------------------------------------------------------------

def sqlite_library_version() -> str:
    """The SQLite library the application runs on (shown in Help › Over Bouwstenen)."""
    return sqlite3.sqlite_version


# --- reading ------------------------------------------------------------------------------------------

def real_table(conn: sqlite3.Connection, table: str) -> str | None:
    """None when `table` is an ordinary table; otherwise why it is not (missing, view, virtual)."""
    row = conn.execute("SELECT type, sql FROM sqlite_master WHERE name = ? COLLATE NOCASE", (table,)).fetchone()
    if row is None:
        return "ontbreekt"
    kind, sql = row
    if kind != "table":
        return f"is geen tabel maar een {'view' if kind == 'view' else kind}"
    if str(sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
        return "is een virtuele tabel in plaats van een gewone tabel"
    return None


class _Reader:
    def __init__(self, conn: sqlite3.Connection, log: ProblemLog, trusted: bool, max_cell_chars: int,
                 max_rows: int) -> None:
        self.conn = conn
        self.log = log
        self.trusted = trusted
        self.max_cell_chars = max_cell_chars
        self.max_rows = max_rows
        self.loc = Locator()

    def table_columns(self, entity: Entity) -> list[str] | None:
        problem = real_table(self.conn, entity.table)
        if problem is not None:
            if entity.required_sheet or problem != "ontbreekt":
                self.log.error(f"tabel '{entity.table}' {problem}", entity.table)
            else:
                self.log.warning(f"tabel '{entity.table}' ontbreekt; het nieuwe model heeft geen {entity.plural}",
                                 entity.table)
            self.loc.missing.add(entity.name)
            return None
        present = {str(r[1]).lower() for r in self.conn.execute(f"PRAGMA table_info({quote(entity.table)})")}
        wanted = columns(entity)
        missing = [c for c in wanted if c.lower() not in present]
        if missing:
            self.log.error(f"kolom '{missing[0]}' ontbreekt (verwacht: {', '.join(wanted)})", entity.table, None,
                           missing[0])
            self.loc.missing.add(entity.name)
            return None
        return wanted

    def value(self, entity: Entity, f: Field, raw: Any, number: int) -> Any:
        if raw is None:
            return [] if f.kind == "list" else None
        if f.kind in ("int", "flag"):
            if isinstance(raw, int) and not isinstance(raw, bool):
                if f.kind == "flag":
                    if raw in (0, 1):
                        return bool(raw)
                    self.log.error(f"verwacht 0 of 1, gevonden {raw}", entity.table, number, f.name)
                    return None
                return raw
            shown = "binaire gegevens" if isinstance(raw, bytes) else f"'{safe_text(raw, 40)}'"
            self.log.error(f"verwacht een geheel getal, gevonden {shown}", entity.table, number, f.name)
            return None
        if not isinstance(raw, str):
            kind = "binaire gegevens" if isinstance(raw, bytes) else f"het getal {raw}"
            self.log.error(f"verwacht tekst, gevonden {kind}", entity.table, number, f.name)
            return [] if f.kind == "list" else None
        if len(raw) > self.max_cell_chars:
            self.log.error(f"de tekst is {len(raw)} tekens lang; ten hoogste {self.max_cell_chars}", entity.table,
                           number, f.name)
            return [] if f.kind == "list" else None
        if f.kind == "list":
            return split_list(raw)
        return raw

    def read(self) -> tuple[Model, Locator]:
        rows: dict[str, list[ReadRow]] = {}
        for entity in SCHEMA:
            self.loc.sheets[entity.name] = entity.table
            self.loc.columns.update({(entity.name, f.name): f.name for f in entity.fields})
            wanted = self.table_columns(entity)
            if wanted is None:
                continue
            order = "rowid" if entity.mapping else ("position" if not entity.container
                                                    else f"{quote(entity.parent_column)}, position")
            if not self.trusted and not self._has_rowid(entity.table):
                order = order.replace("rowid", "1")
            sql = f"SELECT {', '.join(quote(c) for c in wanted)} FROM {quote(entity.table)} ORDER BY {order}"
            found: list[ReadRow] = []
            for number, values in enumerate(self.conn.execute(sql), start=1):
                if number > self.max_rows:
                    self.log.error(f"meer dan {self.max_rows} rijen; de rest is niet gelezen", entity.table)
                    break
                parent = values[0] if entity.container else None
                offset = (1 if entity.container else 0) + (0 if entity.mapping else 1)
                if entity.container and not isinstance(parent, str) and parent is not None and not self.trusted:
                    self.log.error("verwacht tekst", entity.table, number, entity.parent_column)
                    parent = None
                if self.trusted:
                    data = {f.name: _trusted(f, values[offset + i]) for i, f in enumerate(entity.fields)}
                else:
                    data = {f.name: self.value(entity, f, values[offset + i], number)
                            for i, f in enumerate(entity.fields)}
                found.append(ReadRow(data, parent, (entity.table, number)))
            rows[entity.name] = found

        def orphan(entity: Entity, row: ReadRow) -> None:
            if entity.container in self.loc.missing:
                return
            parent = ENTITIES[entity.container or ""]
            self.log.error(f"{parent.label} '{safe_text(row.parent, 80)}' bestaat niet", row.place[0], row.place[1],
                           entity.parent_column)

        return assemble(rows, self.loc, orphan), self.loc

    def _has_rowid(self, table: str) -> bool:
        try:
            self.conn.execute(f"SELECT rowid FROM {quote(table)} LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            return False
        return True


def _trusted(f: Field, raw: Any) -> Any:
    if f.kind == "flag":
        return None if raw is None else bool(raw)
    if f.kind == "list":
        return split_list(raw)
    return raw


def read_model(conn: sqlite3.Connection, log: ProblemLog, trusted: bool = False, max_cell_chars: int = 32_767,
               max_rows: int | None = None) -> tuple[Model, Locator]:
    """Read a model database (an open connection) back into a model; problems go to `log`.

    `trusted` (our own model, written by `write_model`) skips the per-value type checks."""
    limit = max_rows if max_rows is not None else (TRUSTED_ROW_LIMIT if trusted else READ_ROW_LIMIT)
    try:
        return _Reader(conn, log, trusted, max_cell_chars, limit).read()
    except sqlite3.Error as exc:
        from desktop.core.errors import RejectedFile

        raise RejectedFile(f"'{log.file}' kan niet volledig worden gelezen ({safe_text(exc)}); het bestand is "
                           "beschadigd of bevat te grote waarden.") from exc
