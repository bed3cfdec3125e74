"""Defences against hostile or broken model files, applied before any parser touches them.

Every imported file is untrusted. It is copied to a private temporary file first (hashing it on
the way), so what is checked is exactly what is read. Then:

- a workbook (.xlsx) is inspected as a zip archive before openpyxl sees it: number of entries,
  declared sizes, compression ratio per entry, and the bytes actually produced while reading every
  entry (headers can lie). Macro projects, binary workbooks, encrypted packages, XML with a DOCTYPE
  (entity expansion) are refused; formula cells are found and reported; external links are noted
  (openpyxl is told to ignore them).
- a database (.sqlite/.db) is refused when a -wal or -journal file lies beside it (it would be
  incomplete without it); the private copy is opened read-only and immutable, with
  `trusted_schema=OFF`, `cell_size_check=ON` and tight SQLite limits, `quick_check` first and the
  schema version checked. Readers read only the tables they expect, by name, and only real tables.

Every refusal is a `RejectedFile` with a Dutch message that names the file.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import REASONS, ModelFileError, RejectedFile, storage_reason
from desktop.core.model.model_file import check_version, stored_version

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: .xls, .doc, encrypted .xlsx
SQLITE_MAGIC = b"SQLite format 3\x00"

WORKBOOK_SUFFIXES = (".xlsx",)
SAVE_AS_XLSX = {
    ".ods": "LibreOffice-rekenblad (.ods)", ".csv": "tekstbestand met kommagescheiden waarden (.csv)",
    ".tsv": "tekstbestand met tabgescheiden waarden (.tsv)", ".xml": "XML-bestand", ".numbers": "Numbers-rekenblad",
    ".fods": "LibreOffice-rekenblad (.fods)",
}
DATABASE_SUFFIXES = (".sqlite", ".db", ".sqlite3")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What an imported file may contain at most. Far above any real model, far below harm."""

    # a model database of 30,000 interventions with their texts, facets, links and search index is ~200 MB
    max_file_bytes: int = 1024 * 1024 * 1024
    max_zip_entries: int = 1000
    max_total_uncompressed: int = 1024 * 1024 * 1024
    max_entry_uncompressed: int = 512 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, for entries larger than ratio_floor
    ratio_floor: int = 1024 * 1024
    max_cell_chars: int = 32_767  # Excel's own maximum
    max_reported_formulas: int = 20


DEFAULT_LIMITS = Limits()


def file_kind(path: Path) -> str:
    """'xlsx' or 'sqlite' from the file name and its first bytes; RejectedFile otherwise."""
    name = path.name
    suffix = path.suffix.lower()
    if not path.exists():
        raise RejectedFile(f"Het bestand '{name}' bestaat niet.")
    if not path.is_file():
        raise RejectedFile(f"'{name}' is geen bestand.")
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise RejectedFile(f"Het bestand '{name}' kan niet worden gelezen: {REASONS[storage_reason(exc)]}.") from exc
    if not head:
        raise RejectedFile(f"Het bestand '{name}' is leeg (0 bytes).")
    if suffix == ".xlsm":
        raise RejectedFile(
            f"'{name}' is een Excel-werkmap met macro's (.xlsm). Macro's worden nooit ingelezen; "
            "sla de werkmap op als gewone Excel-werkmap (.xlsx)."
        )
    if suffix == ".xlsb":
        raise RejectedFile(
            f"'{name}' is een binaire Excel-werkmap (.xlsb). Sla de werkmap op als gewone Excel-werkmap (.xlsx)."
        )
    if suffix == ".xls":
        raise RejectedFile(
            f"'{name}' is een oude Excel-werkmap (Excel 97-2003, .xls). Open het bestand in Excel of LibreOffice "
            "en sla het op als .xlsx (Excel-werkmap)."
        )
    if suffix in WORKBOOK_SUFFIXES:
        if head.startswith(CFB_MAGIC):
            if _looks_encrypted(path):
                raise RejectedFile(
                    f"'{name}' is versleuteld of met een wachtwoord beveiligd. Bouwstenen leest alleen "
                    "onbeveiligde werkmappen: verwijder het wachtwoord en sla opnieuw op als .xlsx."
                )
            raise RejectedFile(
                f"'{name}' heeft de extensie .xlsx maar is een oud Excel-bestand (.xls-formaat). "
                "Sla de werkmap op als Excel-werkmap (.xlsx)."
            )
        if not head.startswith(ZIP_MAGIC):
            raise RejectedFile(
                f"'{name}' is geen Excel-werkmap: de inhoud begint niet zoals een .xlsx-bestand "
                "(is het een hernoemd bestand van een ander soort?)."
            )
        return "xlsx"
    if suffix in SAVE_AS_XLSX:
        raise RejectedFile(
            f"'{name}' is een {SAVE_AS_XLSX[suffix]}. Bouwstenen leest een gepubliceerd model als Excel-werkmap: "
            "open het bestand in Excel of LibreOffice en sla het op als .xlsx (Excel-werkmap)."
        )
    if suffix in DATABASE_SUFFIXES:
        if not head.startswith(SQLITE_MAGIC):
            raise RejectedFile(
                f"'{name}' is geen SQLite-database: de inhoud begint niet zoals een databasebestand "
                "(is het een hernoemd bestand van een ander soort?)."
            )
        for extra in ("-wal", "-journal"):
            side = path.with_name(name + extra)
            if side.exists():
                raise RejectedFile(
                    f"Naast '{name}' staat '{side.name}': de database is nog in gebruik of niet netjes "
                    "afgesloten, en zonder dat bestand onvolledig. Sluit het programma dat de database "
                    "gebruikt, of lever een netjes afgesloten kopie aan."
                )
        return "sqlite"
    raise RejectedFile(
        f"'{name}' heeft een bestandstype dat niet wordt ondersteund ('{suffix or 'geen extensie'}'). "
        "Kies een gepubliceerde werkmap (.xlsx) of een modeldatabase (.sqlite of .db)."
    )


def _looks_encrypted(path: Path) -> bool:
    """An encrypted OOXML package is a compound file with an 'EncryptionInfo' stream."""
    marker = "EncryptionInfo".encode("utf-16-le")
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if marker in tail + chunk:
                return True
            tail = chunk[-len(marker):]
    return False


def private_copy(path: Path, folder: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Path, str, int]:
    """Copy `path` into `folder` (private), return (copy, sha256, size). Enforces the size limit."""
    name = path.name
    suffix = path.suffix.lower() if path.suffix.lower() in WORKBOOK_SUFFIXES + DATABASE_SUFFIXES else ""
    target = folder / f"invoer{suffix}"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as src, target.open("wb") as dst:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limits.max_file_bytes:
                    raise RejectedFile(
                        f"'{name}' is groter dan {limits.max_file_bytes // (1024 * 1024)} MB; zo groot is "
                        "geen gepubliceerd model."
                    )
                digest.update(chunk)
                dst.write(chunk)
    except OSError as exc:
        raise RejectedFile(f"Het bestand '{name}' kan niet worden gelezen: {REASONS[storage_reason(exc)]}.") from exc
    if size == 0:
        raise RejectedFile(f"Het bestand '{name}' is leeg (0 bytes).")
    return target, digest.hexdigest(), size


# --- workbooks --------------------------------------------------------------------------------------

@dataclass
class WorkbookInfo:
    """What the container check found: sheet names, formula cells, external links."""

    sheet_names: list[str] = field(default_factory=list)
    formulas: dict[str, list[str]] = field(default_factory=dict)  # sheet name -> cell references
    formula_count: int = 0
    external_links: int = 0


_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3}[0-9]{1,7})\"")


def check_workbook(path: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> WorkbookInfo:
    """Check the zip container of a workbook; RejectedFile for anything hostile or broken."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive, name, limits)
    except zipfile.BadZipFile as exc:
        raise RejectedFile(
            f"'{name}' is beschadigd of onvolledig: de zip-structuur van de werkmap klopt niet "
            f"({_dutch_zip_error(str(exc))}). Vraag het bestand opnieuw op."
        ) from exc
    except (zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise RejectedFile(f"'{name}' is beschadigd of onvolledig en kan niet worden uitgepakt.") from exc


def _dutch_zip_error(message: str) -> str:
    if message == "File is not a zip file":
        return "geen volledig zip-bestand"
    crc = re.match(r"Bad CRC-32 for file '(.+)'", message)
    if crc:
        return f"het controlegetal van onderdeel '{crc.group(1)}' klopt niet"
    return "de zip-structuur is ongeldig"


def _check_archive(archive: zipfile.ZipFile, name: str, limits: Limits) -> WorkbookInfo:
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise RejectedFile(
            f"'{name}' bestaat uit {len(entries)} onderdelen (meer dan {limits.max_zip_entries}); "
            "zo is geen gepubliceerde werkmap opgebouwd."
        )
    names = [e.filename for e in entries]
    if len(set(names)) != len(names):
        raise RejectedFile(f"'{name}' bevat onderdelen met dezelfde naam; de werkmap is gemanipuleerd.")
    lowered = {n.lower(): n for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise RejectedFile(
            f"'{name}' bevat macro's (VBA). Macro's worden nooit ingelezen; sla de werkmap op als "
            "gewone Excel-werkmap (.xlsx) zonder macro's."
        )
    if "xl/workbook.bin" in lowered:
        raise RejectedFile(
            f"'{name}' is een binaire Excel-werkmap (.xlsb-formaat). Sla de werkmap op als gewone "
            "Excel-werkmap (.xlsx)."
        )
    if "encryptioninfo" in lowered or "encryptedpackage" in lowered:
        raise RejectedFile(f"'{name}' is versleuteld; Bouwstenen leest alleen onbeveiligde werkmappen.")
    if "xl/workbook.xml" not in lowered or "[content_types].xml" not in lowered:
        raise RejectedFile(
            f"'{name}' is geen Excel-werkmap: het onderdeel 'xl/workbook.xml' of '[Content_Types].xml' "
            "ontbreekt."
        )
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise RejectedFile(f"'{name}' bevat versleutelde onderdelen; Bouwstenen leest alleen onbeveiligde "
                               "werkmappen.")
        if entry.file_size > limits.max_entry_uncompressed:
            raise RejectedFile(
                f"'{name}': het onderdeel '{entry.filename}' is uitgepakt groter dan "
                f"{limits.max_entry_uncompressed // (1024 * 1024)} MB (mogelijk een zip-bom)."
            )
        total += entry.file_size
        if entry.file_size > limits.ratio_floor and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise RejectedFile(
                f"'{name}': het onderdeel '{entry.filename}' is meer dan {limits.max_ratio} keer "
                "samengeperst (mogelijk een zip-bom); het bestand wordt niet uitgepakt."
            )
    if total > limits.max_total_uncompressed:
        raise RejectedFile(
            f"'{name}' is uitgepakt groter dan {limits.max_total_uncompressed // (1024 * 1024)} MB "
            "(mogelijk een zip-bom)."
        )

    content_types = _read_small(archive, lowered["[content_types].xml"], name, limits)
    if b"macroenabled" in content_types.lower():
        raise RejectedFile(
            f"'{name}' is een werkmap met macro's (als .xlsx vermomd). Macro's worden nooit ingelezen."
        )
    sheet_paths = _sheet_paths(archive, lowered, name, limits)
    info = WorkbookInfo(sheet_names=list(sheet_paths.values()))
    info.external_links = sum(1 for n in lowered if n.startswith("xl/externallinks/") and n.endswith(".xml"))

    produced_total = 0
    for entry in entries:
        is_sheet = entry.filename in sheet_paths
        sheet = sheet_paths.get(entry.filename, "")
        is_xml = entry.filename.lower().endswith((".xml", ".rels", ".vml"))
        produced = 0
        carry = b""
        last_cell = b""
        with archive.open(entry) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                produced += len(chunk)
                produced_total += len(chunk)
                if produced > entry.file_size or produced > limits.max_entry_uncompressed:
                    raise RejectedFile(
                        f"'{name}': het onderdeel '{entry.filename}' levert meer gegevens op dan de zip-kop "
                        "opgeeft; het bestand is gemanipuleerd."
                    )
                if produced_total > limits.max_total_uncompressed:
                    raise RejectedFile(f"'{name}' levert uitgepakt te veel gegevens op (mogelijk een zip-bom).")
                if not is_xml:
                    continue
                buffer = carry + chunk
                cut = buffer.rfind(b"<")
                if cut <= 0:
                    cut = len(buffer) if len(buffer) > CHUNK else 0
                complete, carry = buffer[:cut], buffer[cut:]
                last_cell = _scan_xml(complete, entry.filename, name, is_sheet, sheet, info, limits, last_cell)
        if is_xml and carry:
            _scan_xml(carry, entry.filename, name, is_sheet, sheet, info, limits, last_cell)
        if produced != entry.file_size:
            raise RejectedFile(
                f"'{name}': het onderdeel '{entry.filename}' is {produced} bytes in plaats van de "
                f"{entry.file_size} die de zip-kop opgeeft; het bestand is beschadigd of gemanipuleerd."
            )
    return info


def _scan_xml(data: bytes, part: str, name: str, is_sheet: bool, sheet: str, info: WorkbookInfo,
              limits: Limits, last_cell: bytes) -> bytes:
    if _DOCTYPE.search(data):
        raise RejectedFile(
            f"'{name}': het onderdeel '{part}' bevat een DOCTYPE- of ENTITY-declaratie. Die komen in een "
            "gewone werkmap niet voor en worden om veiligheidsredenen geweigerd."
        )
    if not is_sheet:
        return last_cell
    for match in _FORMULA.finditer(data):
        info.formula_count += 1
        found = info.formulas.setdefault(sheet, [])
        if len(found) < limits.max_reported_formulas:
            cells = _CELL.findall(data, max(0, match.start() - 2000), match.start())
            ref = (cells[-1] if cells else last_cell).decode("ascii", "replace")
            found.append(ref or "?")
    cells = _CELL.findall(data)
    return cells[-1] if cells else last_cell


def _read_small(archive: zipfile.ZipFile, member: str, name: str, limits: Limits, cap: int = 10 << 20) -> bytes:
    info = archive.getinfo(member)
    if info.file_size > cap:
        raise RejectedFile(f"'{name}': het onderdeel '{member}' is onwaarschijnlijk groot.")
    with archive.open(info) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise RejectedFile(f"'{name}': het onderdeel '{member}' is onwaarschijnlijk groot.")
    if _DOCTYPE.search(data):
        raise RejectedFile(
            f"'{name}': het onderdeel '{member}' bevat een DOCTYPE- of ENTITY-declaratie; geweigerd."
        )
    return data


def _sheet_paths(archive: zipfile.ZipFile, lowered: dict[str, str], name: str, limits: Limits) -> dict[str, str]:
    """Worksheet part name -> sheet title, from xl/workbook.xml and its relationships."""
    from defusedxml import ElementTree as SafeET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        workbook: Any = SafeET.fromstring(_read_small(archive, lowered["xl/workbook.xml"], name, limits))
        rels_name = lowered.get("xl/_rels/workbook.xml.rels")
        rels: Any = SafeET.fromstring(_read_small(archive, rels_name, name, limits)) if rels_name else None
    except RejectedFile:
        raise
    except Exception as exc:  # defusedxml raises its own errors besides ParseError
        raise RejectedFile(f"'{name}': de inhoudsopgave van de werkmap (xl/workbook.xml) is onleesbaar.") from exc
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{ns_pkg}Relationship"):
            target = str(rel.get("Target", ""))
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[str(rel.get("Id", ""))] = path
    result: dict[str, str] = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        title = str(sheet.get("name", ""))
        part = targets.get(str(sheet.get(f"{ns_rel}id", "")))
        if part is None:
            continue
        actual = lowered.get(part.lower())
        if actual is not None:
            result[actual] = title
    return result


# --- databases --------------------------------------------------------------------------------------

def open_untrusted_database(copy: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> sqlite3.Connection:
    """Open a private copy of a foreign database read-only, with every defence switched on."""
    try:
        conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise RejectedFile(f"'{name}' kan niet als database worden geopend.") from exc
    try:
        value_bytes = limits.max_cell_chars * 4 + 16
        for limit, value in (
            (sqlite3.SQLITE_LIMIT_LENGTH, value_bytes),
            (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000),
            (sqlite3.SQLITE_LIMIT_COLUMN, 200),
            (sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 100),
            (sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 10),
            (sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 8),
            (sqlite3.SQLITE_LIMIT_ATTACHED, 0),
            (sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100),
            (sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 100),
            (sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 1),
        ):
            conn.setlimit(limit, value)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA query_only = ON")
        result = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(r) for r in result] != [("ok",)]:
            raise RejectedFile(
                f"'{name}' is een beschadigde database (de integriteitscontrole van SQLite slaagt niet). "
                "Vraag het bestand opnieuw op."
            )
        check_version(stored_version(conn), name)
    except ModelFileError as exc:
        conn.close()
        raise RejectedFile(str(exc)) from exc
    except RejectedFile:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise RejectedFile(
            f"'{name}' is beschadigd of geen bruikbare modeldatabase. Vraag het bestand opnieuw op."
        ) from exc
    return conn
