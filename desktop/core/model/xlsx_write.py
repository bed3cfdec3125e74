"""The published workbook (.xlsx) written from a `Model`, one sheet per entity of the schema.

Meant to be read and edited by a person in Excel or LibreOffice: Dutch sheet and column names, one
row per thing in the model's order, stable ids as ordinary columns (with the name beside every id
that points elsewhere), "ja"/"nee" for yes and no, lists in one cell separated by "; ". Every cell is
plain text or a whole number: a text that starts like a formula (= + - @, tab) gets Excel's quote
prefix, so nothing in a published workbook is ever a formula.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.model.entities import Model
from desktop.core.model.rows import flatten, objects
from desktop.core.model.schema import ENTITIES, FORMAT_VERSION, META_LABELS, PARENT_HEADERS, SCHEMA, Entity, Field

FORMAT_KEY = "werkboekformaat"
GUIDE_SHEET = "uitleg"  # written first for people; never read
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
META_NOTE = "omschrijving"  # a third column of the metadata sheet, for people


@dataclass(frozen=True)
class Column:
    """One workbook column: where its value comes from and whether a reader needs it."""

    header: str
    source: str  # "parent" | "parent-name" | "field" | "ref-name" | "note"
    field: Field | None = None
    width: int = 24
    help: str = ""

    @property
    def informational(self) -> bool:
        return self.source in ("parent-name", "ref-name", "note")


def sheet_columns(entity: Entity) -> list[Column]:
    """The columns of an entity's sheet, in order."""
    found: list[Column] = []
    if entity.container is not None:
        header = PARENT_HEADERS[entity.container]
        parent = ENTITIES[entity.container]
        found.append(Column(header.key, "parent", width=26, help=f"{parent.field(parent.key or '').dutch} van de "
                                                                   f"{parent.label}"))
        found.append(Column(header.name, "parent-name", width=30, help=f"naam van de {parent.label} (ter informatie; "
                                                                       "telt alleen als de id leeg is)"))
    for f in entity.fields:
        found.append(Column(f.header, "field", f, f.width, f.help))
        if f.ref_header:
            found.append(Column(f.ref_header, "ref-name", f, 30, f"naam van de {ENTITIES[f.ref or ''].label} "
                                                                 "(ter informatie; telt alleen als de id leeg is)"))
    if entity.name == "meta":
        found.append(Column(META_NOTE, "note", width=40, help="uitleg; wordt niet ingelezen"))
    return found


def cell_value(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.kind == "flag":
        return "ja" if value else "nee"
    if f.kind == "list":
        return "; ".join(value) if value else None
    return value


def _names(model: Model) -> dict[str, dict[Any, str]]:
    """Per keyed entity: key -> display name (for the name columns beside ids)."""
    found: dict[str, dict[Any, str]] = {}
    for entity in SCHEMA:
        if entity.key is not None and entity.key_scope == "model" and not entity.mapping:
            found[entity.name] = {getattr(o, entity.key): entity.display(o) for o in objects(model, entity)}
    return found


def sheet_rows(model: Model, entity: Entity) -> list[list[Any]]:
    names = _names(model)
    rows: list[list[Any]] = []
    if entity.name == "meta":
        rows.append([FORMAT_KEY, str(FORMAT_VERSION), "versie van dit werkboekformaat"])
    for flat in flatten(model, entity):
        line: list[Any] = []
        for column in sheet_columns(entity):
            if column.source == "parent":
                line.append(flat.parent)
            elif column.source == "parent-name":
                line.append(names.get(entity.container or "", {}).get(flat.parent))
            elif column.source == "note":
                line.append(META_LABELS.get(str(flat.values.get("key"))))
            elif column.source == "ref-name":
                assert column.field is not None
                line.append(names.get(column.field.ref or "", {}).get(flat.values.get(column.field.name)))
            else:
                assert column.field is not None
                line.append(cell_value(column.field, flat.values.get(column.field.name)))
        rows.append(line)
    return rows


def _guide_rows() -> list[list[str]]:
    rows = [["tabblad", "kolom", "uitleg"]]
    for entity in SCHEMA:
        rows.append([entity.sheet, "", entity.purpose + (" (verplicht)" if entity.required_sheet else "")])
        for column in sheet_columns(entity):
            rows.append(["", column.header, column.help])
    return rows


def write_workbook(model: Model, out: Path) -> None:
    """Write the published workbook for `model` to `out` (replaced atomically)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.creator = "Bouwstenen"
    wb.properties.title = f"Bouwstenenmodel {model.meta.get('model_version', '')}".strip()
    bold = Font(bold=True)
    top = Alignment(vertical="top")

    def add_sheet(title: str, widths: list[int], header: list[str], rows: list[list[Any]]) -> None:
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        cells = []
        for text in header:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            cell.alignment = top
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            values: list[Any] = []
            for value in row:
                if isinstance(value, str) and value.startswith(RISKY_START):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True  # Excel shows it as typed text ('=…)
                    value = cell
                values.append(value)
            ws.append(values)

    guide = _guide_rows()
    add_sheet(GUIDE_SHEET, [26, 26, 100], guide[0], guide[1:])
    for entity in SCHEMA:
        columns = sheet_columns(entity)
        add_sheet(entity.sheet, [c.width for c in columns], [c.header for c in columns], sheet_rows(model, entity))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.name + ".tmp")
    try:
        wb.save(staging)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
