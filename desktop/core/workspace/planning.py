"""Tables of the workspace for a local approach: plans, quickscans and feedback to the editors.

A plan names the beschermende factoren a municipality wants to strengthen; a quickscan records where
the municipality stands on each question of the Quickscan lokale aanpak; a feedback report tells the
editors what is outdated or missing. All three point at model ids (cluster ids, question numbers,
intervention ids) and keep a copy of the name they showed, so they survive a model update that
renames or removes what they point at: nothing here is ever dropped because the model changed.

The functions below take an open `Workspace`; every write goes through `Workspace.write` or
`Workspace.transaction`, so a full disk or a read-only workspace raises a Dutch `StorageError`.
Reading a read-only workspace of an older version (without these tables) gives empty lists.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop.core.errors import WorkspaceError
from desktop.core.text import fold
from desktop.core.workspace.store import Workspace, clean_text, now

QUICKSCAN_STATUSES: tuple[tuple[str, str], ...] = (
    ("op-orde", "Op orde"),
    ("deels", "Deels"),
    ("nog-niet", "Nog niet"),
    ("weet-niet", "Weet niet"),
)
QUICKSCAN_STATUS_LABELS = dict(QUICKSCAN_STATUSES)
ATTENTION_STATUSES = ("nog-niet", "deels", "weet-niet")  # what the summary lists, in this order

FEEDBACK_KINDS: tuple[tuple[str, str], ...] = (
    ("verouderd", "Verouderde informatie"),
    ("ontbrekend", "Ontbrekende informatie"),
    ("kapotte-link", "Kapotte link"),
    ("nieuwe-interventie", "Nieuwe interventie voorstellen"),
)
FEEDBACK_KIND_LABELS = dict(FEEDBACK_KINDS)
PROPOSAL_KIND = "nieuwe-interventie"
TARGET_KINDS: tuple[tuple[str, str], ...] = (
    ("intervention", "interventie"),
    ("cluster", "beschermende factor"),
    ("general", "algemeen"),
)
TARGET_KIND_LABELS = dict(TARGET_KINDS)
PROPOSAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Naam"),
    ("type", "Type"),
    ("description", "Omschrijving"),
    ("target_group", "Doelgroep"),
    ("provider", "Uitvoerder"),
    ("link", "Weblink"),
    ("why", "Waarom passend"),
)
PROPOSAL_LABELS = dict(PROPOSAL_FIELDS)
MAX_NAME = 200
MAX_TEXT = 20_000


def create_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE plan (id TEXT PRIMARY KEY, name TEXT NOT NULL, purpose TEXT, shortlist_id TEXT, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE plan_factor (plan_id TEXT NOT NULL REFERENCES plan (id) ON DELETE CASCADE, "
        "cluster_id TEXT NOT NULL, cluster_name TEXT NOT NULL, position INTEGER NOT NULL, reason TEXT, "
        "PRIMARY KEY (plan_id, cluster_id))"
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


# --- records ------------------------------------------------------------------------------------------

@dataclass
class Plan:
    id: str
    name: str
    purpose: str | None
    shortlist_id: str | None  # the werkset whose interventions the coverage shows (None: all linked ones)
    created_at: str
    updated_at: str


@dataclass
class PlanFactor:
    plan_id: str
    cluster_id: str
    cluster_name: str  # the name when it was chosen (kept when the factor leaves the model)
    position: int
    reason: str | None  # "waarom": why the municipality wants to strengthen it


@dataclass
class Quickscan:
    id: str
    name: str
    municipality: str | None
    scan_date: str | None  # ISO date
    created_at: str
    updated_at: str


@dataclass
class QuickscanAnswer:
    quickscan_id: str
    question_number: int
    status: str | None  # a key of QUICKSCAN_STATUSES
    note: str | None
    updated_at: str

    @property
    def answered(self) -> bool:
        return self.status is not None


@dataclass
class FeedbackReport:
    id: str
    kind: str  # a key of FEEDBACK_KINDS
    target_kind: str | None  # "intervention" | "cluster" | "general"
    target_id: str | None
    target_name: str | None
    text: str | None
    proposal: dict[str, str] = field(default_factory=dict)  # PROPOSAL_FIELDS keys -> text
    contact: str | None = None
    model_version: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @property
    def kind_label(self) -> str:
        return FEEDBACK_KIND_LABELS.get(self.kind, self.kind)

    @property
    def target_label(self) -> str:
        """'interventie ‘Under Pressure’', 'beschermende factor ‘Zelfvertrouwen’' or 'algemeen'."""
        kind = TARGET_KIND_LABELS.get(self.target_kind or "general", self.target_kind or "")
        if self.target_kind in (None, "general") or not (self.target_name or self.target_id):
            return "algemeen"
        return f"{kind} ‘{self.target_name or self.target_id}’"

    def summary(self, width: int = 80) -> str:
        """One line for a list: what it is about and the start of the text."""
        from desktop.core.text import shorten

        body = self.proposal.get("name") if self.kind == PROPOSAL_KIND else self.text
        return shorten(f"{self.kind_label} · {self.target_label}" + (f": {body}" if body else ""), width)


# --- helpers ------------------------------------------------------------------------------------------

def _rows(workspace: Workspace, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows of a query; none when the tables do not exist (a read-only workspace of an older version)."""
    try:
        return workspace.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def _name(value: object, what: str) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise WorkspaceError(f"Geef {what} een naam.")
    name = " ".join(cleaned.split())
    if len(name) > MAX_NAME:
        raise WorkspaceError(f"De naam is te lang (meer dan {MAX_NAME} tekens).")
    return name


def _text(value: object) -> str | None:
    cleaned = clean_text(value)
    if cleaned is not None and len(cleaned) > MAX_TEXT:
        raise WorkspaceError(f"De tekst is te lang (meer dan {MAX_TEXT} tekens).")
    return cleaned


def _find(items: list[Any], name_or_id: str, label: str, plural: str) -> Any:
    """The one item whose id is `name_or_id`, else whose name matches it (accents and capitals ignored)."""
    wanted = name_or_id.strip()
    for item in items:
        if item.id == wanted:
            return item
    matches = [item for item in items if fold(item.name.strip()) == fold(wanted)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise WorkspaceError(f"Er zijn {len(matches)} {plural} met de naam ‘{wanted}’; gebruik het id: "
                             + ", ".join(m.id for m in matches) + ".")
    known = ", ".join(f"‘{i.name}’" for i in items[:10]) or "geen"
    raise WorkspaceError(f"Geen {label} met de naam of het id ‘{wanted}’. Bekende {plural}: {known}.")


# --- plans --------------------------------------------------------------------------------------------

def _plan(row: sqlite3.Row) -> Plan:
    return Plan(row["id"], row["name"], row["purpose"], row["shortlist_id"], row["created_at"], row["updated_at"])


def plans(workspace: Workspace) -> list[Plan]:
    return [_plan(r) for r in _rows(workspace, "SELECT * FROM plan ORDER BY created_at, name")]


def plan(workspace: Workspace, plan_id: str) -> Plan | None:
    found = _rows(workspace, "SELECT * FROM plan WHERE id = ?", (plan_id,))
    return _plan(found[0]) if found else None


def find_plan(workspace: Workspace, name_or_id: str) -> Plan:
    """The plan with this id or name; a Dutch WorkspaceError naming the known plans otherwise."""
    found: Plan = _find(plans(workspace), name_or_id, "plan", "plannen")
    return found


def create_plan(workspace: Workspace, name: str, purpose: str | None = None, shortlist_id: str | None = None,
                plan_id: str | None = None) -> Plan:
    stamp = now()
    new_id = plan_id or str(uuid.uuid4())
    workspace.write("INSERT INTO plan (id, name, purpose, shortlist_id, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (new_id, _name(name, "het plan"), _text(purpose), shortlist_id, stamp, stamp), "Het plan opslaan")
    made = plan(workspace, new_id)
    assert made is not None
    return made


def update_plan(workspace: Workspace, plan_id: str, **values: str | None) -> None:
    """Change `name`, `purpose` and/or `shortlist_id` (None: all linked interventions)."""
    changes: dict[str, str | None] = {}
    if "name" in values:
        changes["name"] = _name(values["name"], "het plan")
    if "purpose" in values:
        changes["purpose"] = _text(values["purpose"])
    if "shortlist_id" in values:
        changes["shortlist_id"] = values["shortlist_id"] or None
    if not changes:
        return
    assignments = ", ".join(f"{k} = ?" for k in changes)
    workspace.write(f"UPDATE plan SET {assignments}, updated_at = ? WHERE id = ?", (*changes.values(), now(), plan_id),
                    "Het plan opslaan")


def delete_plan(workspace: Workspace, plan_id: str) -> None:
    with workspace.transaction("Het plan verwijderen") as conn:
        conn.execute("DELETE FROM plan_factor WHERE plan_id = ?", (plan_id,))
        conn.execute("DELETE FROM plan WHERE id = ?", (plan_id,))


def plan_factors(workspace: Workspace, plan_id: str) -> list[PlanFactor]:
    return [PlanFactor(r["plan_id"], r["cluster_id"], r["cluster_name"], r["position"], r["reason"])
            for r in _rows(workspace, "SELECT * FROM plan_factor WHERE plan_id = ? ORDER BY position", (plan_id,))]


def add_plan_factor(workspace: Workspace, plan_id: str, cluster_id: str, cluster_name: str,
                    reason: str | None = None) -> bool:
    """Add a factor to a plan; False when it is already in it."""
    if plan(workspace, plan_id) is None:
        raise WorkspaceError("Dit plan bestaat niet meer.")
    if any(f.cluster_id == cluster_id for f in plan_factors(workspace, plan_id)):
        return False
    with workspace.transaction("De beschermende factor aan het plan toevoegen") as conn:
        position = int(conn.execute("SELECT coalesce(max(position), -1) + 1 FROM plan_factor WHERE plan_id = ?",
                                    (plan_id,)).fetchone()[0])
        conn.execute("INSERT INTO plan_factor (plan_id, cluster_id, cluster_name, position, reason) "
                     "VALUES (?, ?, ?, ?, ?)", (plan_id, cluster_id, cluster_name, position, _text(reason)))
        conn.execute("UPDATE plan SET updated_at = ? WHERE id = ?", (now(), plan_id))
    return True


def remove_plan_factor(workspace: Workspace, plan_id: str, cluster_id: str) -> None:
    with workspace.transaction("De beschermende factor uit het plan halen") as conn:
        conn.execute("DELETE FROM plan_factor WHERE plan_id = ? AND cluster_id = ?", (plan_id, cluster_id))
        ids = [r[0] for r in conn.execute("SELECT cluster_id FROM plan_factor WHERE plan_id = ? ORDER BY position",
                                          (plan_id,))]
        for position, cid in enumerate(ids):
            conn.execute("UPDATE plan_factor SET position = ? WHERE plan_id = ? AND cluster_id = ?",
                         (position, plan_id, cid))
        conn.execute("UPDATE plan SET updated_at = ? WHERE id = ?", (now(), plan_id))


def set_factor_reason(workspace: Workspace, plan_id: str, cluster_id: str, reason: str | None) -> None:
    with workspace.transaction("De toelichting opslaan") as conn:
        conn.execute("UPDATE plan_factor SET reason = ? WHERE plan_id = ? AND cluster_id = ?",
                     (_text(reason), plan_id, cluster_id))
        conn.execute("UPDATE plan SET updated_at = ? WHERE id = ?", (now(), plan_id))


def replace_plan_factors(workspace: Workspace, plan_id: str, factors: list[tuple[str, str, str | None]]) -> None:
    """Make the plan's factors exactly `factors` ((cluster id, name, reason), in this order), in one transaction:
    what a window shows is saved as a whole or not at all."""
    if plan(workspace, plan_id) is None:
        raise WorkspaceError("Dit plan bestaat niet meer.")
    cleaned = [(cid, name, _text(reason)) for cid, name, reason in dict((f[0], f) for f in factors).values()]
    with workspace.transaction("Het plan opslaan") as conn:
        conn.execute("DELETE FROM plan_factor WHERE plan_id = ?", (plan_id,))
        conn.executemany("INSERT INTO plan_factor (plan_id, cluster_id, cluster_name, position, reason) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [(plan_id, cid, name, position, reason) for position, (cid, name, reason)
                          in enumerate(cleaned)])
        conn.execute("UPDATE plan SET updated_at = ? WHERE id = ?", (now(), plan_id))


def sync_factor_names(workspace: Workspace, names: dict[str, str]) -> int:
    """After a model update: refresh the stored names of factors that were renamed (removed ones keep
    theirs). Returns how many factors got a new name."""
    stored = {r[0]: r[1] for r in _rows(workspace, "SELECT DISTINCT cluster_id, cluster_name FROM plan_factor")}
    renamed = [cid for cid, name in stored.items() if cid in names and names[cid] != name]
    if renamed and not workspace.read_only:
        with workspace.transaction("Namen bijwerken") as conn:
            for cid in renamed:
                conn.execute("UPDATE plan_factor SET cluster_name = ? WHERE cluster_id = ?", (names[cid], cid))
    return len(renamed)


# --- quickscans ---------------------------------------------------------------------------------------

def _scan(row: sqlite3.Row) -> Quickscan:
    return Quickscan(row["id"], row["name"], row["municipality"], row["scan_date"], row["created_at"],
                     row["updated_at"])


def quickscans(workspace: Workspace) -> list[Quickscan]:
    return [_scan(r) for r in _rows(workspace, "SELECT * FROM quickscan ORDER BY coalesce(scan_date, ''), created_at")]


def quickscan(workspace: Workspace, quickscan_id: str) -> Quickscan | None:
    found = _rows(workspace, "SELECT * FROM quickscan WHERE id = ?", (quickscan_id,))
    return _scan(found[0]) if found else None


def find_quickscan(workspace: Workspace, name_or_id: str) -> Quickscan:
    found: Quickscan = _find(quickscans(workspace), name_or_id, "quickscan", "quickscans")
    return found


def _date(value: str | None) -> str | None:
    import datetime as dt

    cleaned = clean_text(value)
    if cleaned is None:
        return None
    try:
        return dt.date.fromisoformat(cleaned.strip()[:10]).isoformat()
    except ValueError as exc:
        raise WorkspaceError(f"‘{cleaned}’ is geen datum (verwacht: jjjj-mm-dd).") from exc


def create_quickscan(workspace: Workspace, name: str, municipality: str | None = None, scan_date: str | None = None,
                     quickscan_id: str | None = None) -> Quickscan:
    stamp = now()
    new_id = quickscan_id or str(uuid.uuid4())
    workspace.write(
        "INSERT INTO quickscan (id, name, municipality, scan_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        (new_id, _name(name, "de quickscan"), _text(municipality), _date(scan_date), stamp, stamp),
        "De quickscan opslaan",
    )
    made = quickscan(workspace, new_id)
    assert made is not None
    return made


def update_quickscan(workspace: Workspace, quickscan_id: str, **values: str | None) -> None:
    """Change `name`, `municipality` and/or `scan_date`."""
    changes: dict[str, str | None] = {}
    if "name" in values:
        changes["name"] = _name(values["name"], "de quickscan")
    if "municipality" in values:
        changes["municipality"] = _text(values["municipality"])
    if "scan_date" in values:
        changes["scan_date"] = _date(values["scan_date"])
    if not changes:
        return
    assignments = ", ".join(f"{k} = ?" for k in changes)
    workspace.write(f"UPDATE quickscan SET {assignments}, updated_at = ? WHERE id = ?",
                    (*changes.values(), now(), quickscan_id), "De quickscan opslaan")


def delete_quickscan(workspace: Workspace, quickscan_id: str) -> None:
    with workspace.transaction("De quickscan verwijderen") as conn:
        conn.execute("DELETE FROM quickscan_answer WHERE quickscan_id = ?", (quickscan_id,))
        conn.execute("DELETE FROM quickscan WHERE id = ?", (quickscan_id,))


def answers(workspace: Workspace, quickscan_id: str) -> dict[int, QuickscanAnswer]:
    """The recorded answers by question number (a question never answered is absent)."""
    return {r["question_number"]: QuickscanAnswer(r["quickscan_id"], r["question_number"], r["status"], r["note"],
                                                  r["updated_at"])
            for r in _rows(workspace, "SELECT * FROM quickscan_answer WHERE quickscan_id = ? ORDER BY question_number",
                           (quickscan_id,))}


def set_answer(workspace: Workspace, quickscan_id: str, number: int, status: str | None, note: str | None) -> None:
    """Record where the municipality stands on question `number` (status None: not answered) and a note."""
    if status is not None and status not in QUICKSCAN_STATUS_LABELS:
        raise WorkspaceError(f"Onbekende stand ‘{status}’. Kies uit: "
                             + ", ".join(QUICKSCAN_STATUS_LABELS.values()) + ".")
    stamp = now()
    cleaned = _text(note)
    with workspace.transaction("Het antwoord opslaan") as conn:
        if status is None and cleaned is None:
            conn.execute("DELETE FROM quickscan_answer WHERE quickscan_id = ? AND question_number = ?",
                         (quickscan_id, number))
        else:
            conn.execute(
                "INSERT INTO quickscan_answer (quickscan_id, question_number, status, note, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (quickscan_id, question_number) DO UPDATE SET "
                "status = excluded.status, note = excluded.note, updated_at = excluded.updated_at",
                (quickscan_id, number, status, cleaned, stamp),
            )
        conn.execute("UPDATE quickscan SET updated_at = ? WHERE id = ?", (stamp, quickscan_id))


# --- feedback to the editors --------------------------------------------------------------------------

def _feedback(row: sqlite3.Row) -> FeedbackReport:
    proposal: dict[str, str] = {}
    if row["proposal_json"]:
        try:
            data = json.loads(row["proposal_json"])
        except ValueError:
            data = {}
        if isinstance(data, dict):
            proposal = {str(k): str(v) for k, v in data.items() if k in PROPOSAL_LABELS and isinstance(v, str) and v}
    return FeedbackReport(row["id"], row["kind"], row["target_kind"], row["target_id"], row["target_name"],
                          row["text"], proposal, row["contact"], row["model_version"], row["created_at"],
                          row["updated_at"])


def feedback_reports(workspace: Workspace) -> list[FeedbackReport]:
    return [_feedback(r) for r in _rows(workspace, "SELECT * FROM feedback ORDER BY created_at")]


def feedback_report(workspace: Workspace, report_id: str) -> FeedbackReport | None:
    found = _rows(workspace, "SELECT * FROM feedback WHERE id = ?", (report_id,))
    return _feedback(found[0]) if found else None


def _checked_feedback(kind: str, text: str | None, proposal: dict[str, str] | None
                      ) -> tuple[str | None, str | None]:
    if kind not in FEEDBACK_KIND_LABELS:
        raise WorkspaceError(f"Onbekende soort melding ‘{kind}’. Kies uit: "
                             + ", ".join(FEEDBACK_KIND_LABELS.values()) + ".")
    body = _text(text)
    cleaned = {k: v for k, v in ((k, _text((proposal or {}).get(k))) for k in PROPOSAL_LABELS) if v}
    if kind == PROPOSAL_KIND:
        if not cleaned.get("name"):
            raise WorkspaceError("Geef de voorgestelde interventie een naam.")
    elif not body:
        raise WorkspaceError("Beschrijf kort wat er niet klopt of ontbreekt.")
    return body, (json.dumps(cleaned, ensure_ascii=False) if cleaned else None)


def add_feedback(workspace: Workspace, kind: str, text: str | None = None, *, target_kind: str | None = None,
                 target_id: str | None = None, target_name: str | None = None,
                 proposal: dict[str, str] | None = None, contact: str | None = None,
                 model_version: str | None = None, report_id: str | None = None) -> FeedbackReport:
    body, proposal_json = _checked_feedback(kind, text, proposal)
    if target_kind is not None and target_kind not in TARGET_KIND_LABELS:
        raise WorkspaceError(f"Onbekend onderwerp ‘{target_kind}’.")
    stamp = now()
    new_id = report_id or str(uuid.uuid4())
    workspace.write(
        "INSERT INTO feedback (id, kind, target_kind, target_id, target_name, text, proposal_json, contact, "
        "model_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_id, kind, target_kind or "general", target_id, clean_text(target_name), body, proposal_json,
         _text(contact), model_version, stamp, stamp),
        "De melding opslaan",
    )
    made = feedback_report(workspace, new_id)
    assert made is not None
    return made


def update_feedback(workspace: Workspace, report_id: str, kind: str, text: str | None = None, *,
                    proposal: dict[str, str] | None = None, contact: str | None = None) -> None:
    body, proposal_json = _checked_feedback(kind, text, proposal)
    workspace.write("UPDATE feedback SET kind = ?, text = ?, proposal_json = ?, contact = ?, updated_at = ? "
                    "WHERE id = ?", (kind, body, proposal_json, _text(contact), now(), report_id),
                    "De melding opslaan")


def delete_feedback(workspace: Workspace, report_id: str) -> None:
    workspace.write("DELETE FROM feedback WHERE id = ?", (report_id,), "De melding verwijderen")
