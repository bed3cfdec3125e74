"""The published workbook read back into a `Model`, as a person's spreadsheet program saved it.

The caller has checked the zip container first (`desktop.core.model.untrusted`). openpyxl reads
with read_only, data_only, keep_links=False and defusedxml. What a person sees is what counts:

- only rows that are present and not empty are read, and limited; a declared sheet size is never
  trusted (LibreOffice declares 1,048,576 rows after a row is deleted);
- the header row names the columns, in any order and loosely matched (case, accents, '-', '_');
  a known column that is missing is an error, an unknown one a warning, an unknown sheet is ignored;
- row order is the order of things within their parent (shown in the update preview when changed);
- numbers typed as text, whole numbers as 4.0, "Ja"/"JA"/"WAAR"/"x", dates typed in Dutch, are read
  as meant; anything ambiguous (a blanked id column, a duplicate key, a value of the wrong type) is
  an error naming sheet, row and column, and nothing is applied.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import RejectedFile, safe_text
from desktop.core.model.checks import ProblemLog
from desktop.core.model.entities import Model
from desktop.core.model.rows import Locator, ReadRow, assemble
from desktop.core.model.schema import ENTITIES, FORMAT_VERSION, SCHEMA, Entity
from desktop.core.model.xlsx_write import FORMAT_KEY, GUIDE_SHEET, Column, sheet_columns
from desktop.core.text import fold, iso_from_dutch_date, normalise_name, slugify

MAX_ROWS = 1_000_000  # non-empty rows per sheet (Excel itself stops at 1,048,576)
MAX_COLUMNS = 60
MAX_CELL_CHARS = 32_767  # Excel's own maximum
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "✓", "✔"}
NO = {"nee", "n", "no", "false", "onwaar", "0", "-"}
NOTES_SHEETS = {"notities", "werksets"}


def sheet_key(name: str) -> str:
    """Sheet and column names are matched loosely: case, accents, apostrophes, '-', '_' ignored."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name).replace("'", "").replace("’", "")).split())


def present_rows(ws: Any, max_columns: int) -> Iterator[tuple[int, list[Any], list[int]]]:
    """(row number, values, columns of error cells) of the rows a sheet really holds.

    openpyxl's own iteration fills every gap up to the declared size with empty rows; its sheet
    parser yields only the rows that are there."""
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for number, cells in parser.parse():
            values: list[Any] = []
            errors: list[int] = []
            for cell in cells:
                column = cell["column"]
                if column > max_columns:
                    if cell["value"] not in (None, ""):
                        values.extend([None] * (max_columns + 1 - len(values)))
                        values[max_columns] = True  # marks: something beyond the last column
                    continue
                while len(values) < column:
                    values.append(None)
                values[column - 1] = cell["value"]
                if cell["data_type"] == "e":
                    errors.append(column)
            yield number, values, errors


@dataclass
class _Sheet:
    entity: Entity
    title: str
    positions: dict[str, int] = field(default_factory=dict)  # column header -> index
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


_LOAD_LOCK = threading.Lock()


def _load_without_size_pass(openpyxl: Any, path: Path) -> Any:
    """`load_workbook(read_only=True)`, minus a whole pass over every sheet: a read-only sheet of openpyxl
    looks for its size when it is made, and reads the sheet to its end when the file does not declare
    it (LibreOffice and write-only openpyxl do not). The size is never used here: `present_rows` reads
    each sheet once, with its own parser."""
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class _Sheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            pass

    original = excel.ReadOnlyWorksheet
    excel.ReadOnlyWorksheet = _Sheet
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    finally:
        excel.ReadOnlyWorksheet = original


class WorkbookReader:
    """Reads a container-checked workbook into a Model, collecting every problem in `log`."""

    def __init__(self, path: Path, log: ProblemLog, current: Model | None = None) -> None:
        self.path = path
        self.log = log
        self.current = current
        self.loc = Locator()
        self.sheets: dict[str, _Sheet] = {}
        self.ignored: list[str] = []

    # --- sheets -----------------------------------------------------------------------------------
    def _load(self) -> None:
        import openpyxl

        if openpyxl.DEFUSEDXML is not True:  # the XML parser must refuse entities and DTDs
            raise RuntimeError("openpyxl gebruikt defusedxml niet; installeer defusedxml")
        wanted = {sheet_key(entity.sheet): entity for entity in SCHEMA}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips; harmless here
                with _LOAD_LOCK:
                    wb = _load_without_size_pass(openpyxl, self.path)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise RejectedFile(f"'{self.log.file}' kan niet als Excel-werkmap worden gelezen "
                               f"({safe_text(exc, 200)}).") from exc
        try:
            titles = {sheet_key(ws.title) for ws in wb.worksheets}
            if titles & NOTES_SHEETS and not titles & {sheet_key("interventies"), sheet_key("bouwstenen")}:
                raise RejectedFile(f"'{self.log.file}' is een export van notities en werksets, geen model. Lees het "
                                   "in met Notities › Importeren… (of: bouwstenen notes import).")
            for ws in wb.worksheets:
                entity = wanted.get(sheet_key(ws.title))
                if entity is None:
                    if sheet_key(ws.title) != GUIDE_SHEET:
                        self.ignored.append(ws.title)
                    continue
                if entity.name in self.sheets:
                    self.log.error(f"tabblad '{entity.sheet}' komt twee keer voor", ws.title)
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self.sheets[entity.name] = self._read_sheet(ws, entity)
        except RejectedFile:
            raise
        except Exception as exc:
            raise RejectedFile(f"'{self.log.file}' is beschadigd: een tabblad kan niet worden gelezen "
                               f"({safe_text(exc, 200)}).") from exc
        finally:
            wb.close()
        if not self.sheets:
            raise RejectedFile(f"'{self.log.file}' is geen gepubliceerd bouwstenenmodel: geen van de tabbladen "
                               "(bouwstenen, interventies, …) komt erin voor.")
        for entity in SCHEMA:
            if entity.name in self.sheets:
                self.loc.sheets[entity.name] = self.sheets[entity.name].title
                continue
            self.loc.missing.add(entity.name)
            self.loc.sheets[entity.name] = entity.sheet
            if entity.required_sheet:
                self.log.error(f"tabblad '{entity.sheet}' ontbreekt ({entity.purpose})")
            else:
                self.log.warning(f"tabblad '{entity.sheet}' ontbreekt; het nieuwe model heeft geen {entity.plural}")

    def _read_sheet(self, ws: Any, entity: Entity) -> _Sheet:
        sheet = _Sheet(entity, ws.title)
        columns = sheet_columns(entity)
        by_key = {sheet_key(c.header): c for c in columns}
        by_key |= {sheet_key(c.field.name): c for c in columns if c.field is not None and c.source == "field"}
        header_seen = False
        width = 0
        stray = False
        count = 0
        for number, values, errors in present_rows(ws, MAX_COLUMNS):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if not header_seen:
                header_seen = True
                for index, value in enumerate(values[:MAX_COLUMNS]):
                    if value is None or not str(value).strip():
                        continue
                    label = str(value).strip()
                    column = by_key.get(sheet_key(label))
                    if column is None:
                        self.log.warning(f"kolom '{safe_text(label, 60)}' is onbekend en wordt overgeslagen", ws.title,
                                         number, safe_text(label, 60))
                    elif column.header in sheet.positions:
                        self.log.error(f"kolom '{column.header}' komt twee keer voor", ws.title, number, label)
                    else:
                        sheet.positions[column.header] = index
                    width = index + 1
                continue
            count += 1
            if count > MAX_ROWS:
                self.log.error(f"meer dan {MAX_ROWS} gevulde rijen; de rest is niet gelezen", ws.title)
                break
            for column_number in errors:
                self.log.error("de cel bevat een foutwaarde (zoals #N/B of #WAARDE!)", ws.title, number,
                               self._header_at(sheet, column_number - 1))
            if not stray and any(v not in (None, "") for v in values[width:]):
                stray = True
                self.log.warning("waarden in kolommen zonder kop worden overgeslagen", ws.title, number)
            sheet.rows.append((number, values))
        if not header_seen and entity.required_sheet:
            self.log.error(f"tabblad '{ws.title}' is leeg (geen kopregel)", ws.title)
        elif header_seen:
            for column in columns:
                if not column.informational and column.header not in sheet.positions:
                    expected = ", ".join(c.header for c in columns if not c.informational)
                    self.log.error(f"kolom '{column.header}' ontbreekt (verwacht: {expected})", ws.title, 1,
                                   column.header)
        return sheet

    @staticmethod
    def _header_at(sheet: _Sheet, index: int) -> str | None:
        return next((h for h, p in sheet.positions.items() if p == index), None)

    # --- cells ------------------------------------------------------------------------------------
    def _raw(self, sheet: _Sheet, values: list[Any], header: str) -> Any:
        index = sheet.positions.get(header)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                return _TooLong(len(value))
            value = value.strip()
            return value or None
        return value

    def convert(self, sheet: _Sheet, number: int, column: Column, raw: Any) -> Any:
        f = column.field
        assert f is not None
        if isinstance(raw, _TooLong):
            self.log.error(f"de tekst is {raw.length} tekens lang; ten hoogste {MAX_CELL_CHARS} tekens per cel",
                           sheet.title, number, column.header)
            return [] if f.kind == "list" else None
        if raw is None:
            return [] if f.kind == "list" else None
        if f.kind == "int":
            return self._integer(sheet, number, column, raw)
        if f.kind == "flag":
            return self._flag(sheet, number, column, raw)
        if f.kind == "list":
            text = _as_text(raw, code=True)
            return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
        if isinstance(raw, bool):
            self.log.error("verwacht tekst, gevonden een waar/onwaar-waarde", sheet.title, number, column.header)
            return None
        return _as_text(raw, code=f.name in ("code", "parent"))

    def _integer(self, sheet: _Sheet, number: int, column: Column, raw: Any) -> int | None:
        if isinstance(raw, bool):
            pass
        elif isinstance(raw, int):
            return raw
        elif isinstance(raw, float) and raw.is_integer():
            return int(raw)
        elif isinstance(raw, str) and re.fullmatch(r"-?\d{1,9}(,0+|\.0+)?", raw):
            return int(re.split(r"[.,]", raw)[0])
        self.log.error(f"verwacht een geheel getal, gevonden '{safe_text(raw, 40)}'", sheet.title, number,
                       column.header)
        return None

    def _flag(self, sheet: _Sheet, number: int, column: Column, raw: Any) -> bool | None:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        text = fold(str(raw)).strip().rstrip(".")
        if text in YES:
            return True
        if text in NO:
            return False
        self.log.error(f"verwacht ja of nee, gevonden '{safe_text(raw, 40)}'", sheet.title, number, column.header)
        return None

    # --- the model --------------------------------------------------------------------------------
    def read(self) -> tuple[Model, Locator]:
        self._load()
        rows: dict[str, list[ReadRow]] = {}
        names: dict[str, dict[str, list[Any]]] = {}  # entity -> normalised name -> keys (this workbook)
        for entity in SCHEMA:
            sheet = self.sheets.get(entity.name)
            columns = sheet_columns(entity)
            for column in columns:
                if column.field is not None and column.source == "field":
                    self.loc.columns[(entity.name, column.field.name)] = column.header
            if sheet is None:
                continue
            found = self._entity_rows(entity, sheet, columns, names)
            rows[entity.name] = found
            if entity.key is not None and entity.key_scope == "model" and not entity.mapping:
                index = names.setdefault(entity.name, {})
                for row in found:
                    key = row.values.get(entity.key)
                    for name in self._names_of(entity, row):
                        index.setdefault(normalise_name(name), [])
                        if key not in index[normalise_name(name)]:
                            index[normalise_name(name)].append(key)

        def orphan(entity: Entity, row: ReadRow) -> None:
            container = entity.container or ""
            if container in self.loc.missing or row.parent is None:
                return  # reported already: missing sheet, or an empty reference
            parent = ENTITIES[container]
            self.log.error(f"{parent.label} '{safe_text(row.parent, 80)}' bestaat niet (niet in tabblad "
                           f"'{self.loc.sheets.get(container, parent.sheet)}')", row.place[0], row.place[1],
                           _parent_header(entity))

        return assemble(rows, self.loc, orphan), self.loc

    def _names_of(self, entity: Entity, row: ReadRow) -> list[str]:
        found = [str(row.values[entity.name_field])] if entity.name_field and row.values.get(entity.name_field) else []
        return found + [str(a) for a in row.values.get("_aliases", [])]

    def _entity_rows(self, entity: Entity, sheet: _Sheet, columns: list[Column],
                     names: dict[str, dict[str, list[Any]]]) -> list[ReadRow]:
        found: list[ReadRow] = []
        parent_column = next((c for c in columns if c.source == "parent"), None)
        parent_name = next((c for c in columns if c.source == "parent-name"), None)
        key_column = next((c for c in columns if c.field is not None and c.field.name == entity.key), None)
        key_blank = 0
        seen_keys: dict[str, int] = {}
        for number, values in sheet.rows:
            data: dict[str, Any] = {}
            for column in columns:
                if column.source == "field" and column.field is not None:
                    raw = self._raw(sheet, values, column.header)
                    data[column.field.name] = self.convert(sheet, number, column, raw)
            if entity.mapping:
                key = data.get("key")
                if key == FORMAT_KEY:
                    self._check_format(sheet, number, data.get("value"))
                    continue
                if key is not None and key in seen_keys:
                    self.log.error(f"sleutel '{safe_text(key, 40)}' komt twee keer voor (ook in rij {seen_keys[key]})",
                                   sheet.title, number, key_column.header if key_column else None)
                if key is not None:
                    seen_keys.setdefault(key, number)
                if key == "published" and data.get("value") is not None:
                    data["value"] = _iso_date(self._raw(sheet, values, "waarde"), data["value"])
            parent = None
            if parent_column is not None:
                parent = self._reference(sheet, number, values, parent_column, parent_name, entity.container or "",
                                         names)
            for column in columns:
                if column.source == "ref-name" and column.field is not None and data.get(column.field.name) is None:
                    by_name = self._raw(sheet, values, column.header)
                    if by_name is not None:
                        data[column.field.name] = self._by_name(sheet, number, column, str(by_name),
                                                                column.field.ref or "", names)
            if key_column is not None and entity.key_scope == "model" and data.get(entity.key or "") is None \
                    and not entity.mapping and key_column.field is not None and key_column.field.kind == "text":
                key_blank += 1
                data[entity.key or ""] = self._new_key(sheet, number, entity, data, key_column)
            found.append(ReadRow(data, parent, (sheet.title, number)))
        if key_column is not None and found and key_blank == len(found) and len(found) > 1:
            self.log.error(f"de kolom '{key_column.header}' is leeg: zonder ids is niet te zien wat gewijzigd, "
                           "nieuw of "
                           "verwijderd is. Vul de ids weer in (ze staan in het gepubliceerde werkboek).", sheet.title,
                           None, key_column.header)
        return found

    def _new_key(self, sheet: _Sheet, number: int, entity: Entity, data: dict[str, Any], column: Column) -> str | None:
        """An empty id in a new row: the id follows from the name when that cannot be mistaken."""
        name = data.get(entity.name_field or "")
        if not name:
            return None
        current = self._current_ids(entity)
        slug = slugify(str(name))
        by_name = [key for key, other in current.items() if normalise_name(other) == normalise_name(str(name))]
        if len(by_name) == 1:
            self.log.warning(f"id leeg; '{safe_text(name, 60)}' is de bestaande {entity.label} '{by_name[0]}'",
                             sheet.title, number, column.header)
            return str(by_name[0])
        if not slug or slug in current:
            self.log.error(f"id ontbreekt en '{safe_text(name, 60)}' geeft geen eenduidige nieuwe id; vul de kolom "
                           f"'{column.header}' in", sheet.title, number, column.header)
            return None
        self.log.warning(f"id leeg; de nieuwe {entity.label} krijgt de id '{slug}'", sheet.title, number, column.header)
        return slug

    def _current_ids(self, entity: Entity) -> dict[Any, str]:
        if self.current is None:
            return {}
        from desktop.core.model.rows import objects

        return {getattr(o, entity.key or ""): entity.display(o) for o in objects(self.current, entity)}

    def _reference(self, sheet: _Sheet, number: int, values: list[Any], column: Column, name_column: Column | None,
                   target: str, names: dict[str, dict[str, list[Any]]]) -> Any:
        raw = self._raw(sheet, values, column.header)
        if raw is not None:
            return _as_text(raw, code=target == "intervention_type")
        by_name = self._raw(sheet, values, name_column.header) if name_column is not None else None
        if by_name is None:
            self.log.error(f"{ENTITIES[target].label} ontbreekt: vul '{column.header}' in", sheet.title, number,
                           column.header)
            return None
        return self._by_name(sheet, number, column, str(by_name), target, names)

    def _by_name(self, sheet: _Sheet, number: int, column: Column, name: str, target: str,
                 names: dict[str, dict[str, list[Any]]]) -> Any:
        entity = ENTITIES[target]
        found = names.get(target, {}).get(normalise_name(name), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.log.error(f"de naam '{safe_text(name, 60)}' past bij meerdere {entity.plural} "
                           f"({', '.join(map(str, found))}); vul de id in", sheet.title, number, column.header)
        elif target not in self.loc.missing:
            self.log.error(f"{entity.label} '{safe_text(name, 60)}' bestaat niet (niet in tabblad "
                           f"'{self.loc.sheets.get(target, entity.sheet)}')", sheet.title, number, column.header)
        return None

    def _check_format(self, sheet: _Sheet, number: int, value: Any) -> None:
        text = str(value or "")
        major = text.split(".")[0]
        if major.isdigit() and int(major) > FORMAT_VERSION:
            self.log.error(f"dit werkboek heeft formaat {text}; deze versie van Bouwstenen leest formaat "
                           f"{FORMAT_VERSION}. Installeer een nieuwere versie van de applicatie.", sheet.title, number)


@dataclass(frozen=True)
class _TooLong:
    length: int


def _parent_header(entity: Entity) -> str:
    from desktop.core.model.schema import PARENT_HEADERS

    return str(PARENT_HEADERS[entity.container or ""].key)


def _as_text(value: Any, code: bool = False) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value) if code else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _iso_date(raw: Any, text: str) -> str:
    """A publication date as typed in a Dutch spreadsheet: a date cell, 22-11-2026, 22 november 2026."""
    if isinstance(raw, dt.datetime | dt.date):
        return _as_text(raw)
    return iso_from_dutch_date(text) or text


def read_workbook(path: Path, log: ProblemLog, current: Model | None = None) -> tuple[Model, Locator, list[str]]:
    """Read a container-checked workbook; returns the model, where its parts came from, and the names of
    sheets that were ignored. Problems go to `log`."""
    reader = WorkbookReader(path, log, current)
    model, loc = reader.read()
    return model, loc, reader.ignored
