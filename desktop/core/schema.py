"""The model database schema (SQLite), created with sqlite-utils.

`PRAGMA user_version` holds SCHEMA_MAJOR * 100 + SCHEMA_MINOR. A reader accepts any minor version of
its own major version; a model file of a newer major version is refused with a Dutch message.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is only needed to build a model; importing it costs ~60 ms and ~15 MiB
    import sqlite_utils

SCHEMA_MAJOR = 1
SCHEMA_MINOR = 0
USER_VERSION = SCHEMA_MAJOR * 100 + SCHEMA_MINOR

FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_PREFIX = "2 3 4"


class ModelFileError(Exception):
    """A model file cannot be used; the message is Dutch and meant for the user."""


def schema_version_text() -> str:
    return f"{SCHEMA_MAJOR}.{SCHEMA_MINOR}"


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table of an empty model database."""
    t = db.table
    t("meta").create({"key": str, "value": str}, pk="key")
    t("text").create({"key": str, "value": str}, pk="key")
    t("block").create(
        {"id": str, "number": int, "name": str, "description": str}, pk="id", not_null={"name"}
    )
    t("risk_factor").create(
        {"block_id": str, "position": int, "text": str}, pk=("block_id", "position"),
        foreign_keys=[("block_id", "block", "id")],
    )
    t("theme").create(
        {"id": str, "block_id": str, "position": int, "name": str}, pk="id",
        foreign_keys=[("block_id", "block", "id")],
    )
    t("cluster").create(
        {"id": str, "theme_id": str, "block_id": str, "position": int, "name": str, "focus": str, "note": str},
        pk="id",
        foreign_keys=[("theme_id", "theme", "id"), ("block_id", "block", "id")],
    )
    t("subfactor").create(
        {"cluster_id": str, "position": int, "text": str}, pk=("cluster_id", "position"),
        foreign_keys=[("cluster_id", "cluster", "id")],
    )
    t("literature_reference").create(
        {"cluster_id": str, "position": int, "text": str}, pk=("cluster_id", "position"),
        foreign_keys=[("cluster_id", "cluster", "id")],
    )
    t("intervention_type").create(
        {
            "code": str, "parent": str, "position": int, "name": str, "description": str,
            "target_groups": str, "factors": str,
        },
        pk="code",
    )
    # working elements, preconditions and sources of a type, in report order
    t("type_item").create(
        {"type_code": str, "kind": str, "position": int, "text": str},
        pk=("type_code", "kind", "position"),
        foreign_keys=[("type_code", "intervention_type", "code")],
    )
    t("type_example").create(
        {"type_code": str, "position": int, "name": str, "intervention_id": str},
        pk=("type_code", "position"),
        foreign_keys=[("type_code", "intervention_type", "code")],
    )
    t("cluster_type").create(
        {"cluster_id": str, "type_code": str, "position": int}, pk=("cluster_id", "type_code"),
        foreign_keys=[("cluster_id", "cluster", "id"), ("type_code", "intervention_type", "code")],
    )
    t("effect_level").create({"trede": int, "name": str, "explanation": str}, pk="trede")
    t("intervention").create(
        {
            "id": str, "name": str, "sort_key": str, "type_text": str, "offered": int,
            "description": str, "goal": str, "explicit": int, "target_group": str, "provider": str,
            "trede": int, "trede_label": str, "trede_source": str, "evaluation": str, "source": str,
        },
        pk="id",
        not_null={"name"},
    )
    t("intervention_link").create(
        {"intervention_id": str, "position": int, "url": str}, pk=("intervention_id", "position"),
        foreign_keys=[("intervention_id", "intervention", "id")],
    )
    t("alias").create(
        {"intervention_id": str, "alias": str, "normalised": str}, pk=("intervention_id", "alias"),
        foreign_keys=[("intervention_id", "intervention", "id")],
    )
    t("example_link").create(
        {
            "cluster_id": str, "intervention_id": str, "position": int, "explicit": int,
            "offered": int, "via_municipality": int, "trede": int, "trede_source": str,
        },
        pk=("cluster_id", "intervention_id"),
        foreign_keys=[("cluster_id", "cluster", "id"), ("intervention_id", "intervention", "id")],
    )
    t("facet").create({"key": str, "label": str, "position": int, "single": int}, pk="key")
    t("facet_value").create(
        {"facet_key": str, "value": str, "label": str, "position": int}, pk=("facet_key", "value"),
        foreign_keys=[("facet_key", "facet", "key")],
    )
    t("intervention_facet").create(
        {"intervention_id": str, "facet_key": str, "value": str, "derived": int},
        pk=("intervention_id", "facet_key", "value"),
        foreign_keys=[("intervention_id", "intervention", "id")],
    )
    t("organisation").create({"id": str, "name": str, "url": str, "grp": str, "position": int}, pk="id")
    t("practice_example").create(
        {"id": str, "title": str, "for_whom": str, "summary": str, "parties": str, "contact": str,
         "position": int},
        pk="id",
    )
    t("quickscan_group").create({"id": str, "name": str, "position": int}, pk="id")
    t("quickscan_question").create(
        {"number": int, "group_id": str, "question": str, "explanation": str}, pk="number",
        foreign_keys=[("group_id", "quickscan_group", "id")],
    )
    db.execute(
        "CREATE VIRTUAL TABLE intervention_fts USING fts5("
        "intervention_id UNINDEXED, name, aliases, type_text, description, goal, target_group, "
        f"provider, factors, tokenize='{FTS_TOKENIZE}', prefix='{FTS_PREFIX}')"
    )
    for table, column in (
        ("example_link", "intervention_id"),
        ("intervention_facet", "facet_key"),
        ("theme", "block_id"),
        ("cluster", "theme_id"),
        ("alias", "normalised"),
    ):
        t(table).create_index([column])
    db.execute(f"PRAGMA user_version = {USER_VERSION}")


def open_model(path: Path) -> sqlite3.Connection:
    """Open a model file read-only and check its schema version."""
    if not path.exists():
        raise ModelFileError(f"Het modelbestand '{path}' bestaat niet.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ModelFileError(f"Het bestand '{path.name}' is geen bruikbaar modelbestand ({exc}).") from exc
    check_version(int(version), path.name)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_version(version: int, name: str) -> None:
    major = version // 100
    if version == 0:
        raise ModelFileError(f"Het bestand '{name}' is geen modelbestand van Bouwstenen (geen schemaversie).")
    if major > SCHEMA_MAJOR:
        raise ModelFileError(
            f"Het modelbestand '{name}' is gemaakt voor een nieuwere versie van Bouwstenen "
            f"(schema {major}.{version % 100}; deze versie kan schema {SCHEMA_MAJOR}.x lezen). "
            "Installeer een nieuwere versie van de applicatie."
        )
    if major < SCHEMA_MAJOR:
        raise ModelFileError(
            f"Het modelbestand '{name}' heeft een verouderd schema ({major}.{version % 100}). "
            "Importeer een recent gepubliceerd model."
        )
