"""Writing the readable workbooks of a local approach (plan, quickscan, feedback) with one set of rules.

The rules are those of the notes export (`desktop.core.workspace.exchange`): Dutch headers in bold,
technical columns at the end in grey and hidden, every text written as text and never as a formula (a
value starting with = + - @ gets Excel's quote prefix), characters a workbook cannot hold shown as
visible symbols, dates as dates, and the file replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import REASONS, WorkspaceError, storage_reason
from desktop.core.model.xlsx_write import RISKY_START
from desktop.core.workspace.exchange import escape


@dataclass
class Column:
    key: str
    header: str  # Dutch
    width: int
    hidden: bool = False


@dataclass
class Table:
    """A sheet with a header row and one row per record."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TextSheet:
    """A sheet of lines of text (an explanation, a summary)."""

    title: str
    lines: list[str] = field(default_factory=list)
    width: int = 110


def write_workbook(path: Path, sheets: list[Table | TextSheet]) -> int:
    """Write `sheets` to `path` (replaced atomically). Returns how many characters had to be shown as
    symbols. Raises WorkspaceError (Dutch) when the file cannot be written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    escaped = [0]
    book = Workbook(write_only=True)
    bold, grey = Font(bold=True), Font(bold=True, color="808080")
    wrap = Alignment(vertical="top", wrap_text=True)

    def cell(ws: Any, value: Any) -> Any:
        if isinstance(value, str):
            value, changed = escape(value)
            escaped[0] += changed
        made = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            made.data_type = "s"
            if value.startswith(RISKY_START):
                made.quotePrefix = True
            made.alignment = wrap
        elif isinstance(value, dt.datetime):
            made.number_format = "DD-MM-YYYY HH:MM"
        elif isinstance(value, dt.date):
            made.number_format = "DD-MM-YYYY"
        return made

    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        if isinstance(sheet, TextSheet):
            ws.column_dimensions["A"].width = sheet.width
            for line in sheet.lines:
                ws.append([cell(ws, line)])
            continue
        ws.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            dim = ws.column_dimensions[get_column_letter(index)]
            dim.width = column.width
            dim.hidden = column.hidden
        header = []
        for column in sheet.columns:
            made = WriteOnlyCell(ws, value=column.header)
            made.font = grey if column.hidden else bold
            header.append(made)
        ws.append(header)
        for row in sheet.rows:
            ws.append([cell(ws, row.get(column.key)) for column in sheet.columns])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".bouwstenen-", suffix=".xlsx", delete=False) as tmp:
            staging = Path(tmp.name)
        try:
            book.save(staging)
            staging.replace(path)
        finally:
            staging.unlink(missing_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"‘{path.name}’ kan niet worden geschreven: {REASONS[storage_reason(exc)]}.") from exc
    return escaped[0]


def local_time(stamp: str | None) -> dt.datetime | None:
    """A stored UTC time as local time without zone (what a spreadsheet shows)."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def date_value(text: str | None) -> dt.date | str | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text
