"""Notes and werksets to a workbook and back: a new laptop, a colleague, editing in Excel.

The export is meant for people first: Dutch column headers, dates as dates, the werkset with what
the model says about each intervention. Technical columns (ids, the exact time of the last change and
a check value) sit at the end, hidden, so that importing the file again on any laptop updates what
changed, adds what is new, leaves what is equal, and keeps both versions when both sides changed.

Every text survives the trip exactly. A text is written as text, never as a formula (a value that
starts with = + - @ gets Excel's quote prefix, not an extra character). Characters a workbook cannot
hold (control characters pasted from Word, U+0000) are written in Excel's own escape `_xHHHH_` and
restored on import; the export says how many.

Importing a file is as guarded as importing a model: the container is checked (size, zip bombs,
macros, formulas), rows and text are limited by what is really there, and everything is read and
checked before the first note is written, in short transactions so another window can still save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import ExpectedError, WorkspaceError
from desktop.core.text import count, dutch_date
from desktop.core.workspace.store import (
    NOTE_FIELDS,
    STATUS_LABELS,
    NoteEntry,
    Workspace,
    content_hash,
    now,
)
from desktop.core.workspace.workbook import (
    MAX_CELL,
    MAX_TEXT,
    Column,
    OpenedWorkbook,
    Table,
    TextSheet,
    WorkbookKind,
    cell_date,
    cell_text,
    date_value,
    local_time,
    normalised,
    open_user_workbook,
    read_table,
    refuse_formulas,
    shown,
    write_workbook,
)

NOTES_SHEET = "Notities"
SHORTLIST_SHEET = "Werksets"
GUIDE_SHEET = "Uitleg"
NOTES_FILE = WorkbookKind("notitiebestand", "Er is niets ingelezen.",
                          "Importeren geannuleerd; er is niets veranderd aan uw notities.")
BATCH = 500
STATUS_BY_LABEL = {label.casefold(): key for key, label in STATUS_LABELS.items()} | {k: k for k in STATUS_LABELS}

# column key -> (visible header, width); the hidden technical columns come last
NOTE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("intervention_name", "Interventie", 34), ("status", "Status", 12), ("entry_date", "Datum", 12),
    ("place", "Plaats of context", 24), ("partners", "Met wie", 22), ("outcome", "Resultaat of ervaring", 40),
    ("text", "Notitie", 50), ("created", "Aangemaakt", 17), ("changed", "Laatst gewijzigd", 17),
    ("id", "notitie-id (niet wijzigen)", 14), ("intervention_id", "interventie-id (niet wijzigen)", 14),
    ("updated_at", "bijgewerkt (niet wijzigen)", 14), ("check", "controle (niet wijzigen)", 14),
    ("exact", "exacte tekst (niet wijzigen)", 14),
)
NOTE_HIDDEN = {"id", "intervention_id", "updated_at", "check", "exact"}
TEXT_FIELDS = ("intervention_name", "place", "partners", "outcome", "text")
SHORTLIST_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("shortlist_name", "Werkset", 24), ("position", "Nr.", 5), ("intervention_name", "Interventie", 34),
    ("type", "Type", 24), ("trede", "Trede", 7), ("trede_meaning", "Betekenis van de trede", 30),
    ("offered", "Nu aangeboden", 12), ("provider", "Uitvoerder", 26), ("links", "Links", 40),
    ("comment", "Uw opmerking", 40), ("shortlist_id", "werkset-id (niet wijzigen)", 14),
    ("intervention_id", "interventie-id (niet wijzigen)", 14), ("check", "controle (niet wijzigen)", 14),
    ("exact", "exacte tekst (niet wijzigen)", 14),
)
SHORTLIST_HIDDEN = {"shortlist_id", "intervention_id", "check", "exact"}
OLD_HEADERS = {  # exports of Bouwstenen 0.1
    "id": "id", "interventie_id": "intervention_id", "interventie": "intervention_name", "status": "status",
    "datum": "entry_date", "plaats_of_context": "place", "partners": "partners", "resultaat_of_ervaring": "outcome",
    "vrije_tekst": "text", "aangemaakt": "created_at", "bijgewerkt": "updated_at", "werkset_id": "shortlist_id",
    "werkset": "shortlist_name", "positie": "position", "opmerking": "comment",
}

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass
class InterventionInfo:
    """What the werkset sheet shows about an intervention (from the model)."""

    type_text: str | None = None
    trede: int | None = None
    trede_meaning: str | None = None
    offered: bool | None = None
    provider: str | None = None
    links: list[str] = field(default_factory=list)


# --- text in cells -------------------------------------------------------------------------------------

def restore_exact(cell: str | None, exact: str | None) -> str | None:
    """The exact text when the cell still shows it; the cell as edited when a person changed it."""
    if cell is None or exact is None:
        return cell
    return exact if cell == shown(exact) else cell


# --- export -------------------------------------------------------------------------------------------

@dataclass
class ExportResult:
    notes: int = 0
    items: int = 0
    escaped: int = 0

    def summary(self) -> str:
        text = f"{count(self.notes, 'notitie', 'notities')} en {count(self.items, 'werksetregel', 'werksetregels')} " \
               "geëxporteerd."
        if self.escaped:
            text += (f" {count(self.escaped, 'teken dat', 'tekens die')} een werkmap niet kan tonen (zoals stuurtekens "
                     "uit Word) {'staat' if self.escaped == 1 else 'staan'} erin als symbool (bijv. ␋); bij importeren "
                     "in Bouwstenen komt de tekst precies terug.")
        return text


def _table(title: str, columns: tuple[tuple[str, str, int], ...], hidden: set[str]) -> Table:
    return Table(title, [Column(key, header, width, key in hidden) for key, header, width in columns])


def export_notes(workspace: Workspace, path: Path, only_ids: set[str] | None = None,
                 describe: Callable[[str], InterventionInfo | None] | None = None,
                 include_shortlists: bool = True) -> ExportResult:
    """Write notes (and werksets) to `path`, replaced atomically. Raises WorkspaceError on a write failure."""
    result = ExportResult()
    notes = _table(NOTES_SHEET, NOTE_COLUMNS, NOTE_HIDDEN)
    exported: list[tuple[str, str]] = []
    for entry in workspace.all_entries():
        if only_ids is not None and entry.intervention_id not in only_ids:
            continue
        values: dict[str, Any] = {
            "intervention_name": entry.intervention_name, "status": STATUS_LABELS.get(entry.status or "", entry.status),
            "entry_date": date_value(entry.entry_date), "place": entry.place, "partners": entry.partners,
            "outcome": entry.outcome, "text": entry.text, "created": local_time(entry.created_at),
            "changed": local_time(entry.updated_at), "id": entry.id, "intervention_id": entry.intervention_id,
            "updated_at": entry.updated_at, "check": entry.content_hash(),
        }
        values["exact"] = _exact(values, TEXT_FIELDS)
        notes.rows.append(values)
        exported.append((entry.id, entry.content_hash()))
        result.notes += 1
    lists = _table(SHORTLIST_SHEET, SHORTLIST_COLUMNS, SHORTLIST_HIDDEN)
    if include_shortlists and only_ids is None:
        for shortlist in workspace.shortlists():
            for item in workspace.items(shortlist.id):
                info = describe(item.intervention_id) if describe else None
                info = info or InterventionInfo()
                item_values: dict[str, Any] = {
                    "shortlist_name": shortlist.name, "position": item.position + 1,
                    "intervention_name": item.intervention_name, "type": info.type_text,
                    "trede": info.trede, "trede_meaning": info.trede_meaning,
                    "offered": None if info.offered is None else ("ja" if info.offered else "nee"),
                    "provider": info.provider, "links": "\n".join(info.links) or None, "comment": item.comment,
                    "shortlist_id": shortlist.id, "intervention_id": item.intervention_id,
                    "check": content_hash("", {"text": item.comment}),
                }
                item_values["exact"] = _exact(item_values, ("shortlist_name", "intervention_name", "comment"))
                lists.rows.append(item_values)
                result.items += 1
    guide = TextSheet(GUIDE_SHEET, [
        "Uw notities en werksets uit Bouwstenen.",
        f"Geëxporteerd op {dutch_date(dt.date.today())}.",
        "",
        "U mag de notities hier aanvullen of verbeteren en het bestand daarna weer inlezen met Notities › "
        "Importeren… (ook op een andere laptop).",
        "Bouwstenen werkt dan bij wat u hier veranderde, voegt nieuwe notities toe en laat gelijke notities staan.",
        "Is een notitie zowel hier als in Bouwstenen veranderd, dan blijven beide versies bewaard en ziet u een "
        "melding.",
        "Laat de grijze kolommen (ids en controle) staan: daaraan herkent Bouwstenen de notities.",
    ])
    result.escaped = write_workbook(path, [notes, lists, guide], freeze="B2")
    if not workspace.read_only and only_ids is None and exported:
        try:  # what was shared is the base for the next exchange
            with workspace.transaction("De export vastleggen") as conn:
                conn.executemany("UPDATE note_entry SET synced_hash = ? WHERE id = ?", [(h, i) for i, h in exported])
        except ExpectedError:
            pass  # the file is written; only the bookkeeping for a later exchange is missing
    return result


def _exact(values: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    """The texts a cell cannot show exactly, as JSON (ASCII), for a hidden column; None when none."""
    import json

    exact = {f: values[f] for f in fields if isinstance(values.get(f), str) and shown(values[f]) != values[f]}
    if not exact:
        return None
    text = json.dumps(exact, ensure_ascii=True)
    return text if len(text) <= MAX_CELL else None


# --- import -------------------------------------------------------------------------------------------

@dataclass
class NotesImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    shortlists_added: int = 0
    items_added: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    items_conflicts: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        lines = [f"Notities: {self.added} toegevoegd, {self.updated} bijgewerkt, {self.unchanged} ongewijzigd, "
                 f"{count(self.conflicts, 'conflict', 'conflicten')}."]
        lines.append(f"Werksets: {count(self.shortlists_added, 'werkset', 'werksets')} toegevoegd; interventies in "
                     f"werksets: {self.items_added} toegevoegd, {self.items_updated} bijgewerkt, "
                     f"{self.items_unchanged} "
                     f"ongewijzigd, {count(self.items_conflicts, 'conflict', 'conflicten')}.")
        if self.conflicts:
            lines.append("Bij een conflict is een notitie zowel hier als in het bestand veranderd: beide versies zijn "
                         "bewaard. U vindt ze onder Notities › Conflicten nakijken….")
        return lines


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _header_keys(columns: tuple[tuple[str, str, int], ...]) -> dict[str, str]:
    keys = {normalised(header): key for key, header, _w in columns}
    keys |= {normalised(old): new for old, new in OLD_HEADERS.items()}
    return keys


def _read_sheet(opened: OpenedWorkbook, title: str, columns: tuple[tuple[str, str, int], ...], budget: list[int],
                problems: list[str], cancelled: Cancelled | None) -> list[_Row]:
    table = read_table(opened.book[title], _header_keys(columns), opened.file, NOTES_FILE, budget, problems, cancelled)
    rows: list[_Row] = []
    for number, record in table.rows:
        exact = _parse_exact(record.pop("exact", None))
        for key, value in exact.items():
            if key in record and isinstance(record[key], str):
                record[key] = restore_exact(record[key], value)
        rows.append(_Row(number, record))
    return rows


def _parse_exact(value: Any) -> dict[str, str]:
    import json

    if not isinstance(value, str) or not value.startswith("{"):
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def read_notes_file(path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
                    ) -> tuple[list[_Row], list[_Row], list[str]]:
    """Check and read a notes workbook; (note rows, werkset rows, problems). Raises WorkspaceError."""
    problems: list[str] = []
    with open_user_workbook(path, NOTES_FILE) as opened:
        file, titles = opened.file, opened.sheet_titles
        notes_title, lists_title = titles.get(normalised(NOTES_SHEET)), titles.get(normalised(SHORTLIST_SHEET))
        if notes_title is None and lists_title is None:
            if {"interventies", "bouwstenen"} & set(titles):
                raise WorkspaceError(f"‘{file}’ is een gepubliceerd model, geen export van notities. Een nieuw model "
                                     "leest u in met Bestand › Model bijwerken….")
            raise WorkspaceError(f"‘{file}’ bevat geen blad ‘{NOTES_SHEET}’ of ‘{SHORTLIST_SHEET}’: is het een "
                                 "notitie-export van Bouwstenen?")
        read = [t for t in (notes_title, lists_title) if t is not None]
        refuse_formulas(opened, read, NOTES_FILE)
        if progress is not None:
            progress(1, 4, "Bestand lezen")
        budget = [MAX_TEXT]
        try:
            notes = (_read_sheet(opened, notes_title, NOTE_COLUMNS, budget, problems, cancelled)
                     if notes_title is not None else [])
            items = (_read_sheet(opened, lists_title, SHORTLIST_COLUMNS, budget, problems, cancelled)
                     if lists_title is not None else [])
        except ExpectedError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged sheet
            raise WorkspaceError(f"‘{file}’ is beschadigd: een blad kan niet worden gelezen.") from exc
    return notes, items, problems


def import_notes(workspace: Workspace, path: Path, progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> NotesImportResult:
    """Bring the notes and werksets of a workbook into the workspace: add, update, keep both on a conflict.

    Everything is read and checked before anything is written; a file that cannot be used changes nothing."""
    note_rows, item_rows, problems = read_notes_file(path, progress, cancelled)
    result = NotesImportResult(problems=problems)
    file = path.name
    if progress is not None:
        progress(2, 4, "Notities vergelijken")
    local = {e.id: e for e in workspace.all_entries()}
    by_content = {e.content_hash(): e.id for e in local.values()}
    adds: list[dict[str, Any]] = []
    updates: list[tuple[str, dict[str, Any]]] = []
    for row in note_rows:
        v = row.values
        intervention_id = cell_text(v.get("intervention_id"))
        if not intervention_id:
            result.problems.append(f"{file}, blad {NOTES_SHEET}, rij {row.number}: interventie-id ontbreekt; rij "
                                   "overgeslagen.")
            continue
        values = {f: cell_text(v.get(f)) for f in NOTE_FIELDS}
        values["entry_date"] = cell_date(v.get("entry_date"))
        if values["status"]:
            status = STATUS_BY_LABEL.get(values["status"].strip().casefold())
            if status is None:
                result.problems.append(f"{file}, blad {NOTES_SHEET}, rij {row.number}: onbekende status "
                                       f"'{values['status']}'; status leeg gelaten.")
            values["status"] = status
        if not any(values[f] for f in NOTE_FIELDS if f != "entry_date"):
            continue  # an empty row of the sheet is no note
        incoming = content_hash(intervention_id, values)
        entry_id = cell_text(v.get("id"))
        base = cell_text(v.get("check"))
        name = cell_text(v.get("intervention_name")) or intervention_id
        current = local.get(entry_id) if entry_id else None
        if current is None:
            if incoming in by_content:
                result.unchanged += 1
                continue
            adds.append({"id": entry_id, "intervention_id": intervention_id, "name": name, "values": values,
                         "created_at": cell_text(v.get("created_at")), "updated_at": cell_text(v.get("updated_at")),
                         "synced": incoming})
            by_content[incoming] = entry_id or ""
            continue
        mine = current.content_hash()
        if mine == incoming:
            result.unchanged += 1
            continue
        local_changed = current.synced_hash is None or mine != current.synced_hash
        theirs_changed = base is None or incoming != base or base != current.synced_hash
        if not local_changed:
            updates.append((current.id, {"values": values, "intervention_id": intervention_id, "synced": incoming}))
        elif not theirs_changed or incoming in by_content:
            result.unchanged += 1  # only this laptop changed it since the exchange, or that version is here already
        else:
            adds.append({"id": None, "intervention_id": intervention_id, "name": name, "values": values,
                         "created_at": cell_text(v.get("created_at")), "updated_at": cell_text(v.get("updated_at")),
                         "synced": incoming, "conflict_of": current.id})
            by_content[incoming] = ""
    if progress is not None:
        progress(3, 4, "Notities opslaan")
    total = len(adds) + len(updates)
    done = 0
    for start in range(0, max(total, 1), BATCH):
        batch_adds = adds[start:start + BATCH] if start < len(adds) else []
        with workspace.transaction("Notities importeren") as conn:
            for item in batch_adds:
                stamp = now()
                conn.execute(
                    "INSERT OR IGNORE INTO note_entry (id, intervention_id, intervention_name, status, entry_date, "
                    "place, partners, outcome, text, created_at, updated_at, synced_hash, conflict_of) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (item["id"] or _new_id(), item["intervention_id"], item["name"],
                     *(item["values"][f] for f in NOTE_FIELDS), item["created_at"] or stamp,
                     item["updated_at"] or stamp, item["synced"], item.get("conflict_of")),
                )
                if item.get("conflict_of"):
                    result.conflicts += 1
                else:
                    result.added += 1
        done += len(batch_adds)
    for start in range(0, len(updates), BATCH):
        with workspace.transaction("Notities importeren") as conn:
            for entry_id, item in updates[start:start + BATCH]:
                values = item["values"]
                conn.execute(
                    "UPDATE note_entry SET intervention_id = ?, status = ?, entry_date = ?, place = ?, partners = ?, "
                    "outcome = ?, text = ?, updated_at = ?, synced_hash = ? WHERE id = ?",
                    (item["intervention_id"], *(values[f] for f in NOTE_FIELDS), now(), item["synced"], entry_id),
                )
                result.updated += 1
    _import_shortlists(workspace, item_rows, result, file)
    if progress is not None:
        progress(4, 4, "Klaar")
    return result


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())


def _import_shortlists(workspace: Workspace, rows: list[_Row], result: NotesImportResult, file: str) -> None:
    known = {s.id: s for s in workspace.shortlists()}
    by_name = {s.name.casefold(): s for s in known.values()}
    items: dict[tuple[str, str], Any] = {}
    for row in workspace.conn.execute("SELECT shortlist_id, intervention_id, comment, synced_comment FROM "
                                      "shortlist_item"):
        items[(row[0], row[1])] = row
    ordered = sorted(rows, key=lambda r: (str(r.values.get("shortlist_id") or r.values.get("shortlist_name")),
                                          _int(r.values.get("position"))))
    with workspace.transaction("Werksets importeren") as conn:
        for row in ordered:
            v = row.values
            intervention_id = cell_text(v.get("intervention_id"))
            list_id = cell_text(v.get("shortlist_id"))
            list_name = (cell_text(v.get("shortlist_name")) or "Geïmporteerde werkset").strip()
            if not intervention_id:
                continue
            shortlist = known.get(list_id or "") or by_name.get(list_name.casefold())
            if shortlist is None:
                new_id = list_id or _new_id()
                position = len(known)
                stamp = now()
                conn.execute("INSERT INTO shortlist (id, name, position, created_at, updated_at, synced_name) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (new_id, list_name, position, stamp, stamp, list_name))
                from desktop.core.workspace.store import Shortlist

                shortlist = Shortlist(new_id, list_name, position)
                known[new_id] = shortlist
                by_name[list_name.casefold()] = shortlist
                result.shortlists_added += 1
            comment = cell_text(v.get("comment"))
            base = cell_text(v.get("check"))
            current = items.get((shortlist.id, intervention_id))
            name = cell_text(v.get("intervention_name")) or intervention_id
            if current is None:
                position = int(conn.execute("SELECT coalesce(max(position), -1) + 1 FROM shortlist_item WHERE "
                                            "shortlist_id = ?", (shortlist.id,)).fetchone()[0])
                stamp = now()
                conn.execute("INSERT INTO shortlist_item (shortlist_id, intervention_id, intervention_name, position, "
                             "comment, added_at, updated_at, synced_comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (shortlist.id, intervention_id, name, position, comment, stamp, stamp, comment))
                items[(shortlist.id, intervention_id)] = (shortlist.id, intervention_id, comment, comment)
                result.items_added += 1
                continue
            mine = current[2]
            if (mine or None) == (comment or None):
                result.items_unchanged += 1
                continue
            local_changed = (current[3] or None) != (mine or None)
            theirs_changed = base is None or base != content_hash("", {"text": comment})
            if not local_changed:
                conn.execute("UPDATE shortlist_item SET comment = ?, synced_comment = ?, updated_at = ? WHERE "
                             "shortlist_id = ? AND intervention_id = ?", (comment, comment, now(), shortlist.id,
                                                                         intervention_id))
                result.items_updated += 1
            elif not theirs_changed:
                result.items_unchanged += 1
            else:
                both = f"{mine}\n\n— Andere versie (uit {file}): {comment}"
                conn.execute("UPDATE shortlist_item SET comment = ?, updated_at = ? WHERE shortlist_id = ? AND "
                             "intervention_id = ?", (both, now(), shortlist.id, intervention_id))
                result.items_conflicts += 1


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def conflict_pairs(workspace: Workspace) -> list[tuple[NoteEntry, NoteEntry | None]]:
    """Imported versions that conflict with a note of this laptop: (imported, ours)."""
    return [(entry, workspace.entry(entry.conflict_of or "")) for entry in workspace.conflicts()]
