"""Notes and shortlists to an .xlsx workbook and back (new laptop, sharing with a colleague).

Every user text is written as text, never as a formula (OWASP ASVS 1.2.10): a value starting with
= + - @ tab or CR gets a leading apostrophe, which the import removes again. Importing detects
duplicates: an entry that is already in the workspace (same id, or same intervention, status, date
and text) is skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from desktop.core.workbook import RISKY_START as DANGEROUS_START
from desktop.core.workspace import NOTE_FIELDS, STATUS_LABELS, NoteEntry, Workspace, WorkspaceError

NOTES_SHEET = "Notities"
SHORTLIST_SHEET = "Werksets"
NOTE_COLUMNS = (
    ("id", "id"), ("intervention_id", "interventie_id"), ("intervention_name", "interventie"),
    ("status", "status"), ("entry_date", "datum"), ("place", "plaats_of_context"), ("partners", "partners"),
    ("outcome", "resultaat_of_ervaring"), ("text", "vrije_tekst"), ("created_at", "aangemaakt"),
    ("updated_at", "bijgewerkt"),
)
SHORTLIST_COLUMNS = (
    ("shortlist_id", "werkset_id"), ("shortlist_name", "werkset"), ("position", "positie"),
    ("intervention_id", "interventie_id"), ("intervention_name", "interventie"), ("comment", "opmerking"),
)
MAX_ROWS = 100_000
MAX_CELL = 32_767
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024
STATUS_BY_LABEL = {label.casefold(): key for key, label in STATUS_LABELS.items()}


def neutralise(value: Any) -> Any:
    """Make a cell value inert text: no formula, no DDE."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def restore(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    if text.startswith("'") and text[1:].startswith(DANGEROUS_START):
        text = text[1:]
    return text if text.strip() else None


def export_notes(workspace: Workspace, path: Path, only_ids: set[str] | None = None) -> int:
    """Write notes and shortlists to `path`. Returns the number of note entries written."""
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = NOTES_SHEET
    notes.append([label for _, label in NOTE_COLUMNS])
    count = 0
    for entry in workspace.all_entries():
        if only_ids is not None and entry.intervention_id not in only_ids:
            continue
        row = []
        for key, _ in NOTE_COLUMNS:
            value = getattr(entry, key)
            if key == "status" and value:
                value = STATUS_LABELS.get(value, value)
            row.append(neutralise(value))
        notes.append(row)
        count += 1
    lists = book.create_sheet(SHORTLIST_SHEET)
    lists.append([label for _, label in SHORTLIST_COLUMNS])
    if only_ids is None:
        for shortlist in workspace.shortlists():
            for item in workspace.items(shortlist.id):
                lists.append([neutralise(v) for v in (
                    shortlist.id, shortlist.name, item.position + 1, item.intervention_id, item.intervention_name,
                    item.comment,
                )])
    for sheet in (notes, lists):
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, whatever it looks like
        sheet.freeze_panes = "A2"
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return count


@dataclass
class NotesImportResult:
    added_entries: int = 0
    duplicate_entries: int = 0
    added_shortlists: int = 0
    added_items: int = 0
    duplicate_items: int = 0
    problems: list[str] = field(default_factory=list)


def _check_container(path: Path) -> None:
    name = path.name
    if not path.exists():
        raise WorkspaceError(f"Het bestand '{name}' bestaat niet.")
    if path.suffix.lower() != ".xlsx":
        raise WorkspaceError(f"'{name}' is geen Excel-werkmap (.xlsx).")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise WorkspaceError(f"'{name}' is te groot voor een notitiebestand.")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > 1000 or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
                raise WorkspaceError(f"'{name}' is te groot of onveilig samengesteld (uitgepakt te groot).")
            if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
                raise WorkspaceError(f"'{name}' bevat macro's en wordt niet geopend.")
    except zipfile.BadZipFile as exc:
        raise WorkspaceError(f"'{name}' is geen geldige of een beschadigde Excel-werkmap.") from exc


def _rows(sheet: Any, columns: tuple[tuple[str, str], ...], file: str, problems: list[str]) -> list[dict[str, Any]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    index = {}
    for key, label in columns:
        if label in names:
            index[key] = names.index(label)
    missing = [label for key, label in columns if key not in index and key in ("intervention_id",)]
    if missing:
        problems.append(f"{file}, blad {sheet.title}: kolom '{missing[0]}' ontbreekt.")
        return []
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            problems.append(f"{file}, blad {sheet.title}: meer dan {MAX_ROWS} rijen; de rest is overgeslagen.")
            break
        if values is None or all(v is None for v in values):
            continue
        record: dict[str, Any] = {"_row": number}
        for key, col in index.items():
            value = values[col] if col < len(values) else None
            if isinstance(value, str) and len(value) > MAX_CELL:
                problems.append(f"{file}, blad {sheet.title}, rij {number}: tekst te lang; ingekort.")
                value = value[:MAX_CELL]
            record[key] = value
        out.append(record)
    return out


def _same(entry: NoteEntry, values: dict[str, str | None], intervention_id: str) -> bool:
    return entry.intervention_id == intervention_id and all(getattr(entry, f) == values.get(f) for f in NOTE_FIELDS)


def import_notes(workspace: Workspace, path: Path) -> NotesImportResult:
    """Add the notes and shortlists of a workbook exported by Bouwstenen; skip duplicates.

    The file is checked before anything is written; a file that cannot be read changes nothing."""
    _check_container(path)
    result = NotesImportResult()
    file = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise WorkspaceError(f"'{file}' kan niet gelezen worden als Excel-werkmap ({type(exc).__name__}).") from exc
    try:
        if NOTES_SHEET not in book.sheetnames and SHORTLIST_SHEET not in book.sheetnames:
            raise WorkspaceError(
                f"'{file}' bevat geen blad '{NOTES_SHEET}' of '{SHORTLIST_SHEET}': is het een notitie-export "
                "van Bouwstenen?"
            )
        note_rows = (
            _rows(book[NOTES_SHEET], NOTE_COLUMNS, file, result.problems) if NOTES_SHEET in book.sheetnames else []
        )
        item_rows = (
            _rows(book[SHORTLIST_SHEET], SHORTLIST_COLUMNS, file, result.problems)
            if SHORTLIST_SHEET in book.sheetnames else []
        )
    finally:
        book.close()

    prepared = []
    for row in note_rows:
        intervention_id = restore(row.get("intervention_id"))
        if not intervention_id:
            result.problems.append(f"{file}, blad {NOTES_SHEET}, rij {row['_row']}: interventie_id ontbreekt; "
                                   "rij overgeslagen.")
            continue
        values = {f: restore(row.get(f)) for f in NOTE_FIELDS}
        if values["status"]:
            status: str | None = STATUS_BY_LABEL.get(values["status"].casefold(), values["status"].casefold())
            if status not in STATUS_LABELS:
                result.problems.append(f"{file}, blad {NOTES_SHEET}, rij {row['_row']}: onbekende status "
                                       f"'{values['status']}'; status leeg gelaten.")
                status = None
            values["status"] = status
        if values["entry_date"] and len(values["entry_date"]) > 10 and values["entry_date"][10] in " T":
            values["entry_date"] = values["entry_date"][:10]  # a date cell read back as a datetime
        prepared.append((row, intervention_id, values))

    workspace.conn.execute("BEGIN IMMEDIATE")
    try:
        for row, intervention_id, values in prepared:
            entry_id = restore(row.get("id"))
            existing = workspace.entry(entry_id) if entry_id else None
            if existing is not None or any(_same(e, values, intervention_id)
                                           for e in workspace.entries_for(intervention_id)):
                result.duplicate_entries += 1
                continue
            workspace.add_entry(
                intervention_id, restore(row.get("intervention_name")) or intervention_id,
                id=entry_id, created_at=restore(row.get("created_at")), updated_at=restore(row.get("updated_at")),
                **values,
            )
            result.added_entries += 1
        known = {s.id: s for s in workspace.shortlists()}
        by_name = {s.name.casefold(): s for s in known.values()}
        for row in sorted(item_rows, key=lambda r: (str(r.get("shortlist_id")), _int(r.get("position")))):
            intervention_id = restore(row.get("intervention_id"))
            list_id = restore(row.get("shortlist_id"))
            list_name = restore(row.get("shortlist_name")) or "Geïmporteerde werkset"
            if not intervention_id:
                continue
            shortlist = known.get(list_id or "") or by_name.get(list_name.casefold())
            if shortlist is None:
                shortlist = workspace.create_shortlist(list_name, list_id)
                known[shortlist.id] = shortlist
                by_name[shortlist.name.casefold()] = shortlist
                result.added_shortlists += 1
            added = workspace.add_item(
                shortlist.id, intervention_id, restore(row.get("intervention_name")) or intervention_id,
                restore(row.get("comment")),
            )
            if added:
                result.added_items += 1
            else:
                result.duplicate_items += 1
        workspace.conn.execute("COMMIT")
    except BaseException:
        workspace.conn.execute("ROLLBACK")
        raise
    return result


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
