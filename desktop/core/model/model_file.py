"""Opening a model database, and the names and numbers a reader of one needs, without the schema.

The application opens the model and searches it before anything reads the whole model; this module keeps
that path free of the schema's and the entities' dataclasses (~20 ms to create at start-up on Python
3.11). `desktop.core.model.sqlite_codec` writes and reads whole model databases.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.errors import ModelFileError, safe_text

SCHEMA_MAJOR = 2
SCHEMA_MINOR = 0
USER_VERSION = SCHEMA_MAJOR * 100 + SCHEMA_MINOR
APPLICATION_ID = 0x42535431  # "BST1": marks a Bouwstenen model database
LIST_SEPARATOR = "; "
TYPE_FACET = "type"  # the facet whose values are the intervention type codes

# Full-text search over interventions: the columns of the index with their bm25 weights. "aliases" and
# "factors" are gathered from child entities and linked factors; the others are intervention fields.
SEARCH_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("name", 10.0, "naam"),
    ("aliases", 8.0, "andere naam"),
    ("type_text", 3.0, "type"),
    ("description", 1.0, "omschrijving"),
    ("goal", 1.5, "doelstelling"),
    ("target_group", 2.0, "doelgroep"),
    ("provider", 1.0, "uitvoerder"),
    ("factors", 2.5, "gekoppelde beschermende factor"),
)


def schema_version_text() -> str:
    return f"{SCHEMA_MAJOR}.{SCHEMA_MINOR}"


def check_version(version: int, name: str) -> None:
    major = version // 100
    if version == 0:
        raise ModelFileError(f"Het bestand '{name}' is geen modelbestand van Bouwstenen (geen schemaversie).")
    if major > SCHEMA_MAJOR:
        raise ModelFileError(
            f"Het modelbestand '{name}' is gemaakt voor een nieuwere versie van Bouwstenen (schema {major}."
            f"{version % 100}; deze versie kan schema {SCHEMA_MAJOR}.x lezen). Installeer een nieuwere versie "
            "van de applicatie."
        )
    if major < SCHEMA_MAJOR:
        raise ModelFileError(
            f"Het modelbestand '{name}' heeft een verouderd schema ({major}.{version % 100}). Importeer een "
            "recent gepubliceerd model."
        )


def stored_version(conn: sqlite3.Connection) -> int:
    """The schema version: PRAGMA user_version, or (a file rebuilt with `sqlite3 .dump`, which loses it)
    the schema version in the table `build_info`."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    try:
        row = conn.execute("SELECT value FROM build_info WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        return 0
    if row is None or not isinstance(row[0], str):
        return 0
    major, _, minor = row[0].partition(".")
    return int(major) * 100 + int(minor) if major.isdigit() and minor.isdigit() else 0


def build_info(conn: sqlite3.Connection) -> dict[str, str]:
    """What the builder recorded (schema version, source and content fingerprints); {} when unknown."""
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM build_info")}
    except sqlite3.DatabaseError:
        return {}


def split_list(value: str | None) -> list[str]:
    """A list column of the model database ('1.3; 4') as its items."""
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def open_model(path: Path) -> sqlite3.Connection:
    """Open a model file read-only and check its schema version."""
    if not path.exists():
        raise ModelFileError(f"Het modelbestand '{path}' bestaat niet.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise ModelFileError(f"Het modelbestand '{path.name}' kan niet worden geopend ({safe_text(exc)}).") from exc
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        check_version(stored_version(conn), path.name)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ModelFileError(f"Het bestand '{path.name}' is geen bruikbaar modelbestand ({safe_text(exc)}).") from exc
    except ModelFileError:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn
