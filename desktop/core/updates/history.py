"""The history of model updates and rollbacks, kept in the user's workspace (table `import_history`)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core import paths


@dataclass
class UpdateRecord:
    file_name: str
    sha256: str
    model_version: str | None
    published: str | None
    counts: dict[str, int]
    applied_at: str
    action: str = "import"  # "import" | "rollback"
    record_id: str = ""
    content_hash: str = ""
    note: str | None = None  # e.g. the history could not be written
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("extra")
        return data


def record_history(data_dir: Path, record: UpdateRecord) -> None:
    """Append `record` to the workspace's history (once: a record id already there is not added again)."""
    from desktop.core.workspace.store import Workspace, ensure_history_table

    with Workspace(paths.workspace_path(data_dir)) as workspace:
        conn = workspace.conn
        ensure_history_table(conn)
        if record.record_id and conn.execute("SELECT 1 FROM import_history WHERE record_id = ?",
                                             (record.record_id,)).fetchone():
            return
        conn.execute(
            "INSERT INTO import_history (file_name, sha256, model_version, published, applied_at, counts_json, "
            "action, record_id, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.file_name, record.sha256, record.model_version, record.published, record.applied_at,
             json.dumps(record.counts, sort_keys=True), record.action, record.record_id, record.content_hash),
        )


def open_read_only(path: Path) -> sqlite3.Connection:
    """Read a (WAL-mode) workspace without changing anything beside it.

    A cleanly closed workspace has no -wal file: open it immutable, so SQLite creates no -wal/-shm
    files. With a -wal file present (the application has it open), read it the ordinary way."""
    immutable = "" if path.with_name(path.name + "-wal").exists() else "&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True)


def read_history(data_dir: Path) -> list[dict[str, Any]]:
    """The update history, oldest first (an empty list when there is none)."""
    path = paths.workspace_path(data_dir)
    if not path.exists():
        return []
    try:
        conn = open_read_only(path)
        try:
            columns = {r[1] for r in conn.execute("PRAGMA table_info(import_history)")}
            extra = ", record_id" if "record_id" in columns else ", NULL"
            rows = conn.execute(
                "SELECT id, file_name, sha256, model_version, published, applied_at, counts_json, action"
                f"{extra} FROM import_history ORDER BY id"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []
    result = []
    for r in rows:
        try:
            counts = json.loads(r[6]) if r[6] else {}
        except ValueError:
            counts = {}
        result.append({"id": r[0], "file_name": r[1], "sha256": r[2], "model_version": r[3], "published": r[4],
                       "applied_at": r[5], "counts": counts, "action": r[7], "record_id": r[8]})
    return result
