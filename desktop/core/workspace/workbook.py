"""Readable workbooks for people (notes export, plan, quickscan, feedback) with one set of rules.

Dutch headers in bold, technical columns at the end in grey and hidden, every text written as text and
never as a formula (a value starting with = + - @ gets Excel's quote prefix), characters a workbook
cannot hold shown as visible symbols, dates as dates, and the file replaced atomically. Reading a cell
back (`cell_text`, `cell_date`) follows what Excel and LibreOffice make of what a person typed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import REASONS, WorkspaceError, storage_reason
from desktop.core.model.xlsx_write import RISKY_START
from desktop.core.text import fold, iso_from_dutch_date
from desktop.core.workspace.store import clean_text

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


# --- text in cells -------------------------------------------------------------------------------------

def shown(text: str) -> str:
    """Text as a cell can hold and a person can read: control characters become their visible symbols
    (U+240B for a line break from Word, U+2400 for NUL); tab and newline stay as they are."""
    return _INVISIBLE.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < "\x20" else "\ufffd", text)


def escape(text: str) -> tuple[str, int]:
    """The cell text for `text`, and how many characters had to be shown differently.

    A literal `_xHHHH_` is written the way Excel writes it (`_x005F_xHHHH_`), so Excel and Calc show
    it as typed instead of reading it as one of their own escapes."""
    visible = shown(text)
    changed = sum(1 for a, b in zip(visible, text, strict=True) if a != b)
    return _ESCAPE.sub(lambda m: "_x005F_" + m.group()[1:], visible), changed


def unescape(text: str) -> str:
    """Undo the escape of literal `_xHHHH_` (openpyxl does the same for shared strings itself)."""
    return text.replace("_x005F_", "_")


def cell_text(value: Any) -> str | None:
    """A cell read back as text: dates as ISO, 4.0 as 4, cleaned like typed text; None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def cell_date(value: Any) -> str | None:
    """A date cell, or a date typed in Dutch (3-7-2026), as ISO; other text as it is."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
    if text is None:
        return None
    iso = iso_from_dutch_date(text)
    if iso is not None:
        return iso
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else text


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


def write_workbook(path: Path, sheets: list[Table | TextSheet], freeze: str = "A2") -> int:
    """Write `sheets` to `path` (replaced atomically). Returns how many characters had to be shown as
    symbols. Raises WorkspaceError (Dutch) when the file cannot be written. `freeze`: the top-left cell
    that stays in view (the header row; "B2" keeps the first column too)."""
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
        ws.freeze_panes = freeze
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
    saved = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".bouwstenen-", suffix=".xlsx", delete=False) as tmp:
            staging = Path(tmp.name)
        try:
            book.save(staging)
            saved = True
            staging.replace(path)
        finally:
            staging.unlink(missing_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"‘{path.name}’ kan niet worden geschreven: {REASONS[storage_reason(exc)]}.") from exc
    finally:
        if not saved:  # a write-only sheet left open complains on stderr when it is collected
            for worksheet in book.worksheets:
                with contextlib.suppress(Exception):
                    worksheet.close()
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


# --- reading a workbook a person edited ------------------------------------------------------------------

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_CELL = 32_767
MAX_TEXT = 20_000_000  # characters in all cells together: stops a small file from growing the workspace


@dataclass(frozen=True)
class WorkbookKind:
    """What a file should be, in the words of the messages: 'notitiebestand', 'feedbackwerkmap'."""

    noun: str
    nothing_done: str  # e.g. "Er is niets ingelezen."
    cancelled: str = "Geannuleerd; er is niets veranderd."


@dataclass
class OpenedWorkbook:
    book: Any  # an openpyxl read-only workbook
    file: str
    sheet_titles: dict[str, str]  # normalised title -> title
    formulas: dict[str, list[str]]  # sheet title -> cells holding a formula


def normalised(text: Any) -> str:
    """Headers and sheet titles matched loosely: case, accents and punctuation ignored."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text))).split())


def check_user_file(path: Path, kind: WorkbookKind) -> None:
    """The cheap checks before a file is opened: it exists, it is an .xlsx of a sane size."""
    name = path.name
    if not path.exists():
        raise WorkspaceError(f"Het bestand ‘{name}’ bestaat niet.")
    if not path.is_file():
        raise WorkspaceError(f"‘{name}’ is geen bestand.")
    suffix = path.suffix.lower()
    if suffix in (".ods", ".xls", ".csv", ".fods"):
        raise WorkspaceError(f"‘{name}’ is geen Excel-werkmap (.xlsx). Open het in Excel of LibreOffice en sla het "
                             "op als .xlsx (Excel-werkmap).")
    if suffix in (".sqlite", ".db", ".sqlite3"):
        raise WorkspaceError(f"‘{name}’ is een modelbestand, geen {kind.noun}. Een nieuw model leest u in met "
                             "Bestand › Model bijwerken….")
    if suffix != ".xlsx":
        raise WorkspaceError(f"‘{name}’ is geen {kind.noun}: alleen Excel-werkmappen (.xlsx) worden gelezen.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise WorkspaceError(f"‘{name}’ is groter dan {MAX_FILE_BYTES // (1024 * 1024)} MB; zo groot is geen "
                             f"{kind.noun}.")


@contextlib.contextmanager
def open_user_workbook(path: Path, kind: WorkbookKind) -> Iterator[OpenedWorkbook]:
    """Check `path` as hostile input (container, zip bomb, macros, formulas), then open a private copy
    read-only. Raises WorkspaceError (Dutch, naming the file); the workbook is closed afterwards."""
    import warnings

    import openpyxl

    from desktop.core.errors import RejectedFile
    from desktop.core.model.untrusted import DEFAULT_LIMITS, check_workbook, private_copy

    check_user_file(path, kind)
    file = path.name
    with tempfile.TemporaryDirectory(prefix="bouwstenen-werkmap-") as folder:
        try:
            copy, _sha, _size = private_copy(path, Path(folder), DEFAULT_LIMITS)
            info = check_workbook(copy, file, DEFAULT_LIMITS)
        except RejectedFile as exc:
            raise WorkspaceError(str(exc)) from exc
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(copy, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for broken files
            raise WorkspaceError(f"‘{file}’ kan niet worden gelezen als Excel-werkmap.") from exc
        try:
            yield OpenedWorkbook(book, file, {normalised(t): t for t in info.sheet_names}, dict(info.formulas))
        finally:
            book.close()


def refuse_formulas(opened: OpenedWorkbook, sheet_titles: list[str], kind: WorkbookKind) -> None:
    """A formula in a sheet that is read would be a value nobody typed: refuse the file."""
    for title in sheet_titles:
        cells = opened.formulas.get(title, [])
        if cells:
            raise WorkspaceError(f"‘{opened.file}’, blad {title}: cel {', '.join(cells[:10])} bevat een formule. "
                                 "Alleen gewone tekst en getallen worden ingelezen; vervang de formule door de "
                                 f"waarde. {kind.nothing_done}")


@dataclass
class ReadTable:
    headers: set[str] | None  # the known headers found; None when the sheet has no header row at all
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, {key: value})


def read_table(ws: Any, header_keys: dict[str, str], file: str, kind: WorkbookKind, budget: list[int],
               problems: list[str], cancelled: Callable[[], bool] | None = None) -> ReadTable:
    """The rows of a sheet with a header row, as {key: value} by the headers it knows (in any order,
    extra columns ignored). Counts only rows a person sees; limits rows, cell length and all text
    together (`budget`, shared across sheets) so a small file cannot grow the workspace."""
    import warnings

    from desktop.core.model.xlsx_read import present_rows

    index: dict[str, int] | None = None
    table = ReadTable(None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number, values, _errors in present_rows(ws, 60):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if index is None:
                index = {}
                for position, value in enumerate(values):
                    key = header_keys.get(normalised(value)) if value is not None else None
                    if key is not None and key not in index:
                        index[key] = position
                table.headers = set(index)
                continue
            if len(table.rows) >= MAX_ROWS:
                raise WorkspaceError(f"‘{file}’, blad {ws.title}: meer dan {MAX_ROWS} rijen; zo groot is geen "
                                     f"{kind.noun}. {kind.nothing_done}")
            if cancelled is not None and len(table.rows) % 1000 == 0 and cancelled():
                raise WorkspaceError(kind.cancelled)
            record: dict[str, Any] = {}
            for key, position in index.items():
                value = values[position] if position < len(values) else None
                if isinstance(value, str):
                    if len(value) > MAX_CELL:
                        problems.append(f"{file}, blad {ws.title}, rij {number}: tekst langer dan {MAX_CELL} tekens; "
                                        "ingekort.")
                        value = value[:MAX_CELL]
                    budget[0] -= len(value)
                    if budget[0] < 0:
                        raise WorkspaceError(f"‘{file}’ bevat meer tekst dan een {kind.noun} kan hebben "
                                             f"({MAX_TEXT // 1_000_000} miljoen tekens). {kind.nothing_done}")
                    value = unescape(value)
                record[key] = value
            table.rows.append((number, record))
    return table
