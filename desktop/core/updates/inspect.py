"""Look at a published model file before anything changes: check it, read it, compare it.

    preview = inspect(path, current_model_path, note_ids)

The file is copied privately first (what is checked is exactly what is read), its container is
checked for hostile content, it is read by the workbook or database codec, every model check runs,
and the result is compared with the current model field by field. Nothing is written anywhere; a bad
file never raises, it becomes a list of Dutch problems with sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.errors import ExpectedError, ModelFileError, RejectedFile
from desktop.core.model.checks import Problem, ProblemLog, check_model
from desktop.core.model.diff import ModelDiff, diff_models
from desktop.core.model.entities import Model
from desktop.core.model.model_file import open_model
from desktop.core.model.rows import Locator
from desktop.core.model.sqlite_codec import read_model
from desktop.core.model.untrusted import (
    DEFAULT_LIMITS,
    Limits,
    check_workbook,
    file_kind,
    open_untrusted_database,
    private_copy,
)
from desktop.core.updates.staleness import UPDATE_HINT, stale_message

COUNT_LABELS = {
    "blocks": "bouwstenen", "themes": "thema's", "clusters": "beschermende factoren",
    "interventions": "interventies", "example_links": "koppelingen", "intervention_types": "interventietypen",
}


@dataclass
class ImportPreview:
    """Everything an update would change, and every problem of the file. Nothing has changed yet."""

    path: Path
    file_name: str
    kind: str = ""  # "xlsx" | "sqlite" | "" (not recognised)
    sha256: str = ""
    size: int = 0
    problems: list[Problem] = field(default_factory=list)
    model: Model | None = None
    locator: Locator | None = None
    current: Model | None = None
    current_model_path: Path | None = None
    current_stamp: tuple[int, int] | None = None
    diff: ModelDiff = field(default_factory=ModelDiff)
    affected_notes: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.model is not None and not self.errors

    @property
    def old_meta(self) -> dict[str, str]:
        return dict(self.current.meta) if self.current else {}

    @property
    def new_meta(self) -> dict[str, str]:
        return dict(self.model.meta) if self.model else {}

    @property
    def old_counts(self) -> dict[str, int]:
        return self.current.counts() if self.current else {}

    @property
    def new_counts(self) -> dict[str, int]:
        return self.model.counts() if self.model else {}

    @property
    def has_changes(self) -> bool:
        return not self.diff.is_empty or bool(self.diff.meta)


def read_current(model_path: Path) -> Model | None:
    """The current model (None when it cannot be read: then everything is new)."""
    try:
        conn = open_model(model_path)
    except ModelFileError:
        return None
    try:
        model, _loc = read_model(conn, ProblemLog(model_path.name, "tabel"), trusted=True)
        return model
    except ExpectedError:
        return None
    finally:
        conn.close()


@dataclass
class ParsedFile:
    kind: str = ""
    sha256: str = ""
    size: int = 0
    model: Model | None = None
    locator: Locator | None = None
    ignored_sheets: list[str] = field(default_factory=list)


def parse_file(path: Path, log: ProblemLog, current: Model | None = None,
               limits: Limits = DEFAULT_LIMITS) -> ParsedFile:
    """Check and read a workbook or database file; every problem goes to `log`, nothing is changed.

    A refusal of the whole file (hostile, broken, of the wrong kind) becomes one error in `log`."""
    result = ParsedFile()
    try:
        result.kind = file_kind(path)
        if result.kind == "sqlite":
            log.sheet_kind = "tabel"
        with tempfile.TemporaryDirectory(prefix="bouwstenen-import-") as folder:
            copy, result.sha256, result.size = private_copy(path, Path(folder), limits)
            if result.kind == "xlsx":
                from desktop.core.model.xlsx_read import read_workbook, sheet_key

                info = check_workbook(copy, path.name, limits)
                model, locator, ignored = read_workbook(copy, log, current)
                result.ignored_sheets = ignored
                ignored_keys = {sheet_key(s) for s in ignored}
                for sheet, cells in info.formulas.items():
                    if sheet_key(sheet) in ignored_keys:
                        continue  # an unknown sheet is ignored entirely, its formulas too
                    for ref in cells:
                        log.error("de cel bevat een formule; alleen gewone waarden (tekst en getallen) zijn toegestaan",
                                  sheet, _row_of(ref), f"cel {ref}")
                if info.external_links:
                    log.warning(f"de werkmap verwijst naar {info.external_links} externe werkmap(pen); die koppelingen "
                                "worden genegeerd")
            else:
                conn = open_untrusted_database(copy, path.name, limits)
                try:
                    model, locator = read_model(conn, log, max_cell_chars=limits.max_cell_chars)
                finally:
                    conn.close()
        result.model, result.locator = model, locator
        check_model(model, log, locator)
    except RejectedFile as exc:
        log.error(str(exc))
        result.model = None
    return result


def _row_of(ref: str) -> int | None:
    digits = "".join(c for c in ref if c.isdigit())
    return int(digits) if digits else None


def _stamp(path: Path | None) -> tuple[int, int] | None:
    if path is None or not path.exists():
        return None
    info = path.stat()
    return (info.st_size, info.st_mtime_ns)


def _model_warnings(log: ProblemLog, old: Model | None, new: Model, today: dt.date) -> None:
    published = new.meta.get("published", "")
    stale = stale_message(published, today)
    if stale:
        log.warning(stale.replace(f" {UPDATE_HINT}", ""))  # the hint is for the status bar, not here
    if old is None:
        return
    old_published = old.meta.get("published", "")
    if published and old_published and published < old_published:
        log.warning(f"dit model (gepubliceerd {published}) is ouder dan het huidige model (gepubliceerd "
                    f"{old_published})")
    if new.meta.get("model_version") and new.meta.get("model_version") == old.meta.get("model_version"):
        log.warning(f"dit model heeft dezelfde versie ({new.meta['model_version']}) als het huidige model")


def inspect(path: Path, current_model_path: Path | None, note_ids: set[str] | None = None,
            limits: Limits = DEFAULT_LIMITS, today: dt.date | None = None) -> ImportPreview:
    """Read, check and compare `path` with the current model. Changes nothing; never raises for a bad file."""
    path = Path(path)
    preview = ImportPreview(path=path, file_name=path.name)
    preview.current_model_path = current_model_path
    preview.current_stamp = _stamp(current_model_path)
    log = ProblemLog(path.name)
    preview.current = read_current(current_model_path) if current_model_path is not None else None
    found = parse_file(path, log, preview.current, limits)
    preview.kind, preview.sha256, preview.size = found.kind, found.sha256, found.size
    preview.model, preview.locator, preview.ignored_sheets = found.model, found.locator, found.ignored_sheets
    if preview.model is not None and not log.errors:
        _model_warnings(log, preview.current, preview.model, today or dt.date.today())
        preview.diff = diff_models(preview.current or Model(), preview.model)
        touched = {c.key for c in preview.diff.changes if c.entity == "intervention" and c.kind != "toegevoegd"}
        preview.affected_notes = sorted(touched & (note_ids or set()))
    preview.problems = log.items
    return preview
