"""Tables of the workspace for a local approach: plans, quickscans and feedback to the editors."""

from __future__ import annotations

import sqlite3


def create_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE plan (id TEXT PRIMARY KEY, name TEXT NOT NULL, purpose TEXT, shortlist_id TEXT, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE plan_factor (plan_id TEXT NOT NULL REFERENCES plan (id) ON DELETE CASCADE, cluster_id TEXT NOT NULL, "
        "cluster_name TEXT NOT NULL, position INTEGER NOT NULL, reason TEXT, PRIMARY KEY (plan_id, cluster_id))"
    )
    conn.execute(
        "CREATE TABLE quickscan (id TEXT PRIMARY KEY, name TEXT NOT NULL, municipality TEXT, scan_date TEXT, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE quickscan_answer (quickscan_id TEXT NOT NULL REFERENCES quickscan (id) ON DELETE CASCADE, "
        "question_number INTEGER NOT NULL, status TEXT, note TEXT, updated_at TEXT NOT NULL, "
        "PRIMARY KEY (quickscan_id, question_number))"
    )
    conn.execute(
        "CREATE TABLE feedback (id TEXT PRIMARY KEY, kind TEXT NOT NULL, target_kind TEXT, target_id TEXT, "
        "target_name TEXT, text TEXT, proposal_json TEXT, contact TEXT, model_version TEXT, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL)"
    )
