"""Model updates: inspect a published file, show what changes, apply it atomically, roll it back.

    preview = inspect(path, current_model_path, note_ids)   # nothing changes; every problem listed
    record = apply(preview, data_dir, progress, cancelled)   # staging -> check -> fsync -> os.replace
    rollback(data_dir)                                       # the previous model back
    cleanup_staging(data_dir)                                # at start: remove what a crash left

The live model is `data_dir/model/model.sqlite` (it takes precedence over the bundled model). A new
model is written to a staging file beside it, checked with `integrity_check`, flushed to disk and
moved over the live file with `os.replace`, so whenever the process dies the live model is either
the old one or the new one, never a mix. The model that was live is kept as `previous.sqlite`
(or, when the bundled model was live, a marker says so) for "Vorige versie terugzetten".
Each import and rollback is recorded in the workspace table `import_history`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core import paths
from desktop.core.model_db import ParsedModel, read_model_database
from desktop.core.safe_files import (
    DEFAULT_LIMITS,
    Limits,
    RejectedFile,
    check_workbook,
    file_kind,
    open_untrusted_database,
    private_copy,
)
from desktop.core.schema import ModelFileError, open_model
from desktop.core.source import Intervention, ModelSource
from desktop.core.staleness import UPDATE_HINT, dutch_date, stale_message
from desktop.core.validation import ImportProblem, ProblemLog, check_model

STAGING = "model.sqlite.new"
PREVIOUS = "previous.sqlite"
PREVIOUS_TMP = "previous.sqlite.tmp"
PREVIOUS_SWAP = "previous.swap"
BUNDLED_MARKER = "previous.bundled"

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

STEPS = (
    "Voorbereiden",
    "Nieuw model schrijven",
    "Nieuw model controleren",
    "Naar schijf wegschrijven",
    "Vorige versie bewaren",
    "Model vervangen",
    "Geschiedenis bijwerken",
    "Klaar",
)
LAST_CANCELLABLE = 4  # cancelling is possible until the previous version is set aside for the swap

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "naam"), ("aliases", "aliassen"), ("type_text", "type"), ("offered", "aangeboden"),
    ("description", "omschrijving"), ("goal", "doelstelling"), ("explicit", "expliciet"),
    ("target_group", "doelgroep"), ("provider", "uitvoerder"), ("trede", "trede"),
    ("trede_label", "trede-omschrijving"), ("trede_source", "bron trede"), ("evaluation", "evaluatie"),
    ("links", "links"), ("source", "bron"),
)
COUNT_LABELS = {
    "blocks": "bouwstenen", "themes": "thema's", "clusters": "beschermende factoren",
    "interventions": "interventies", "example_links": "koppelingen", "intervention_types": "interventietypen",
}


class ModelImportError(Exception):
    """An import or rollback could not be done; the message is Dutch. Nothing was changed."""


class ImportCancelled(ModelImportError):
    """The user cancelled before the swap; nothing was changed."""


@dataclass
class FieldChange:
    field: str  # Dutch label
    old: str
    new: str


@dataclass
class InterventionChange:
    id: str
    name: str
    changes: list[FieldChange]


@dataclass
class ImportPreview:
    """Everything an import would change, and every problem of the file. Nothing has changed yet."""

    path: Path
    file_name: str
    kind: str  # "xlsx" | "sqlite" | "" (not recognised)
    sha256: str = ""
    size: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    parsed: ParsedModel | None = None
    current_model_path: Path | None = None
    current_stamp: tuple[int, int] | None = None
    old_meta: dict[str, str] = field(default_factory=dict)
    new_meta: dict[str, str] = field(default_factory=dict)
    old_counts: dict[str, int] = field(default_factory=dict)
    new_counts: dict[str, int] = field(default_factory=dict)
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    changed: list[InterventionChange] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    clusters_added: list[tuple[str, str]] = field(default_factory=list)
    clusters_removed: list[tuple[str, str]] = field(default_factory=list)
    affected_notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.parsed is not None and not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.clusters_added or self.clusters_removed
                    or self.old_meta != self.new_meta or self.old_counts != self.new_counts)


@dataclass
class ImportRecord:
    file_name: str
    sha256: str
    model_version: str | None
    published: str | None
    counts: dict[str, int]
    applied_at: str
    action: str = "import"  # "import" | "rollback"
    note: str | None = None  # e.g. the history could not be written

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- reading and comparing ------------------------------------------------------------------------

def _counts(source: ModelSource) -> dict[str, int]:
    themes = [t for b in source.blocks for t in b.themes]
    clusters = [c for t in themes for c in t.clusters]
    return {
        "blocks": len(source.blocks), "themes": len(themes), "clusters": len(clusters),
        "interventions": len(source.interventions),
        "example_links": sum(len(c.examples) for c in clusters),
        "intervention_types": len(source.intervention_types),
    }


def read_current(model_path: Path) -> ModelSource | None:
    """The current model as a ModelSource (None when it cannot be read: then everything is new)."""
    try:
        conn = open_model(model_path)
    except ModelFileError:
        return None
    try:
        log = ProblemLog(model_path.name, "tabel")
        return read_model_database(conn, log, Limits(max_rows=10_000_000), trusted=True).source
    except RejectedFile:
        return None
    finally:
        conn.close()


def _show(value: Any) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) if value else "(geen)"
    return str(value)


def _links_of(source: ModelSource) -> dict[str, dict[str, tuple[str, str]]]:
    """intervention id -> cluster id -> (cluster name, flags text)."""
    result: dict[str, dict[str, tuple[str, str]]] = {}
    for block in source.blocks:
        for theme in block.themes:
            for cluster in theme.clusters:
                for ex in cluster.examples:
                    flags = ", ".join(
                        [w for w, on in (("expliciet", ex.explicit), ("aangeboden", ex.offered),
                                         ("via gemeenten", ex.via_municipality)) if on]
                        + ([f"trede {ex.trede}"] if ex.trede is not None else [])
                        + ([f"bron {ex.trede_source}"] if ex.trede_source else [])
                    )
                    result.setdefault(ex.intervention, {})[cluster.id] = (cluster.name, flags or "-")
    return result


def _compare(old: Intervention, new: Intervention, old_links: dict[str, tuple[str, str]],
             new_links: dict[str, tuple[str, str]]) -> list[FieldChange]:
    changes = []
    for attr, label in FIELDS:
        before, after = getattr(old, attr), getattr(new, attr)
        if attr == "aliases":
            before, after = sorted(before), sorted(after)
        if before != after:
            changes.append(FieldChange(label, _show(before), _show(after)))
    if set(old_links) != set(new_links):
        changes.append(FieldChange(
            "beschermende factoren",
            _show(sorted(n for n, _ in old_links.values())), _show(sorted(n for n, _ in new_links.values())),
        ))
    for cluster_id in sorted(set(old_links) & set(new_links)):
        if old_links[cluster_id][1] != new_links[cluster_id][1]:
            changes.append(FieldChange(f"koppeling met '{new_links[cluster_id][0]}'", old_links[cluster_id][1],
                                       new_links[cluster_id][1]))
    return changes


def _diff(preview: ImportPreview, old: ModelSource | None, new: ModelSource, note_ids: set[str]) -> None:
    preview.new_meta = dict(new.meta)
    preview.new_counts = _counts(new)
    old_ivs = {iv.id: iv for iv in old.interventions} if old else {}
    new_ivs = {iv.id: iv for iv in new.interventions}
    old_links = _links_of(old) if old else {}
    new_links = _links_of(new)
    if old is not None:
        preview.old_meta = dict(old.meta)
        preview.old_counts = _counts(old)
    for iv in new.interventions:
        before = old_ivs.get(iv.id)
        if before is None:
            preview.added.append((iv.id, iv.name))
            continue
        changes = _compare(before, iv, old_links.get(iv.id, {}), new_links.get(iv.id, {}))
        if changes:
            preview.changed.append(InterventionChange(iv.id, iv.name, changes))
    preview.removed = [(iv.id, iv.name) for iv in (old.interventions if old else []) if iv.id not in new_ivs]

    def clusters(source: ModelSource | None) -> dict[str, str]:
        if source is None:
            return {}
        return {c.id: c.name for b in source.blocks for t in b.themes for c in t.clusters}

    old_clusters, new_clusters = clusters(old), clusters(new)
    preview.clusters_added = [(i, n) for i, n in new_clusters.items() if i not in old_clusters]
    preview.clusters_removed = [(i, n) for i, n in old_clusters.items() if i not in new_clusters]
    touched = {i for i, _ in preview.removed} | {c.id for c in preview.changed}
    preview.affected_notes = sorted(touched & note_ids)


def _model_warnings(log: ProblemLog, old: ModelSource | None, new: ModelSource, today: dt.date) -> None:
    published = new.meta.get("published", "")
    stale = stale_message(published, today)
    if stale:
        log.warning(stale.replace(f" {UPDATE_HINT}", ""))  # the hint is for the status bar, not here
    if old is None:
        return
    old_published = old.meta.get("published", "")
    if published and old_published and published < old_published:
        log.warning(f"dit model (gepubliceerd {published}) is ouder dan het huidige model "
                    f"(gepubliceerd {old_published})")
    if new.meta.get("model_version") and new.meta.get("model_version") == old.meta.get("model_version"):
        log.warning(f"dit model heeft dezelfde versie ({new.meta['model_version']}) als het huidige model")


def _stamp(path: Path | None) -> tuple[int, int] | None:
    if path is None or not path.exists():
        return None
    info = path.stat()
    return (info.st_size, info.st_mtime_ns)


@dataclass
class ParsedFile:
    kind: str
    sha256: str
    size: int
    parsed: ParsedModel | None


def parse_file(path: Path, log: ProblemLog, current: ModelSource | None = None,
               limits: Limits = DEFAULT_LIMITS) -> ParsedFile:
    """Check and read a workbook or database file; every problem goes to `log`, nothing is changed.

    Refusals of the whole file (hostile, broken, wrong type) become one error in `log`.
    """
    result = ParsedFile("", "", 0, None)
    try:
        result.kind = file_kind(path)
        if result.kind == "sqlite":
            log.sheet_kind = "tabel"
        with tempfile.TemporaryDirectory(prefix="bouwstenen-import-") as folder:
            copy, result.sha256, result.size = private_copy(path, Path(folder), limits)
            if result.kind == "xlsx":
                info = check_workbook(copy, path.name, limits)
                from desktop.core.workbook import WorkbookReader

                reader = WorkbookReader(copy, log, current, limits)
                source, locator = reader.read()
                for sheet, cells in info.formulas.items():
                    for ref in cells:
                        letters = "".join(c for c in ref if c.isalpha())
                        header = reader.header_at(sheet, _column_number(letters)) if letters else None
                        log.error(f"cel {ref} bevat een formule; alleen gewone waarden (tekst en getallen) zijn "
                                  "toegestaan", sheet, _row_of(ref), header)
                shown = sum(len(c) for c in info.formulas.values())
                if info.formula_count > shown:
                    log.error(f"nog {info.formula_count - shown} cellen met een formule")
                if info.external_links:
                    log.warning(f"de werkmap verwijst naar {info.external_links} externe werkmap(pen); die "
                                "koppelingen worden genegeerd")
                result.parsed = ParsedModel(source, locator, None, "xlsx")
            else:
                conn = open_untrusted_database(copy, path.name, limits)
                try:
                    result.parsed = read_model_database(conn, log, limits)
                finally:
                    conn.close()
        check_model(result.parsed.source, log, result.parsed.locator)
    except RejectedFile as exc:
        log.error(str(exc))
        result.parsed = None
    return result


def inspect(path: Path, current_model_path: Path | None, note_ids: set[str] | None = None,
            limits: Limits = DEFAULT_LIMITS, today: dt.date | None = None) -> ImportPreview:
    """Read, check and compare `path` with the current model. Changes nothing; never raises for a bad file."""
    path = Path(path)
    preview = ImportPreview(path=path, file_name=path.name, kind="")
    preview.current_model_path = current_model_path
    preview.current_stamp = _stamp(current_model_path)
    log = ProblemLog(path.name)
    current = read_current(current_model_path) if current_model_path is not None else None
    found = parse_file(path, log, current, limits)
    preview.kind, preview.sha256, preview.size, preview.parsed = found.kind, found.sha256, found.size, found.parsed
    if preview.parsed is not None:
        _model_warnings(log, current, preview.parsed.source, today or dt.date.today())
        _diff(preview, current, preview.parsed.source, note_ids or set())
    preview.problems = log.items
    return preview


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _row_of(ref: str) -> int | None:
    digits = "".join(c for c in ref if c.isdigit())
    return int(digits) if digits else None


# --- applying -------------------------------------------------------------------------------------

def model_dir(data_dir: Path) -> Path:
    return paths.installed_model_path(data_dir).parent


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_staging(parsed: ParsedModel, staging: Path) -> None:
    """Write the model exactly as the builder writes the bundled one, keeping the imported file's
    'derived' marks on facet values."""
    from desktop.core.builder import write_model

    derived = sorted(parsed.derived or ())

    def mark_derived(db: Any) -> None:
        db.conn.executemany(
            "UPDATE intervention_facet SET derived = 1 WHERE intervention_id = ? AND facet_key = ? AND value = ?",
            derived,
        )

    write_model(parsed.source, staging, after_fill=mark_derived if derived else None)


def verify_model(path: Path, expected_interventions: int | None = None) -> dict[str, str]:
    """integrity_check, schema version and (optionally) the number of interventions; returns the meta."""
    try:
        conn = open_model(path)
    except ModelFileError as exc:
        raise ModelImportError(str(exc)) from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(r) for r in result] != [("ok",)]:
            raise ModelImportError(f"Het modelbestand '{path.name}' is beschadigd (integriteitscontrole mislukt).")
        if expected_interventions is not None:
            found = int(conn.execute("SELECT count(*) FROM intervention").fetchone()[0])
            if found != expected_interventions:
                raise ModelImportError(f"Het nieuwe model bevat {found} interventies in plaats van "
                                       f"{expected_interventions}; er is niets gewijzigd.")
        return {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise ModelImportError(f"Het modelbestand '{path.name}' is beschadigd ({exc}).") from exc
    finally:
        conn.close()


def _copy_synced(src: Path, dst: Path) -> None:
    with src.open("rb") as a, dst.open("wb") as b:
        shutil.copyfileobj(a, b, 1 << 20)
        b.flush()
        os.fsync(b.fileno())


def _keep_previous(folder: Path, live: Path) -> None:
    """Set the live model aside as the previous version (or mark that the bundled one was live)."""
    previous, marker = folder / PREVIOUS, folder / BUNDLED_MARKER
    if live.exists():
        tmp = folder / PREVIOUS_TMP
        _copy_synced(live, tmp)
        os.replace(tmp, previous)
        marker.unlink(missing_ok=True)
    else:
        previous.unlink(missing_ok=True)
        marker.write_text("Het vorige model was het meegeleverde model.\n", encoding="utf-8")
    _fsync_dir(folder)


def apply(preview: ImportPreview, data_dir: Path, progress: Progress | None = None,
          cancelled: Cancelled | None = None, before_swap: Callable[[], None] | None = None) -> ImportRecord:
    """Make the previewed model the live one, atomically. Raises ModelImportError (nothing changed).

    `progress(step, total, label)` is called at the start of every step; `cancelled()` is asked
    until the swap starts (ImportCancelled). `before_swap()` runs just before the live file is
    replaced: close any open connection to the live model there (required on Windows).
    """
    if not preview.ok or preview.parsed is None:
        raise ModelImportError(f"'{preview.file_name}' bevat fouten en kan niet worden ingelezen.")
    parsed = preview.parsed
    folder = model_dir(data_dir)
    live = paths.installed_model_path(data_dir)
    staging = folder / STAGING
    total = len(STEPS) - 1

    def step(number: int) -> None:
        if number <= LAST_CANCELLABLE and cancelled is not None and cancelled():
            staging.unlink(missing_ok=True)
            raise ImportCancelled("Bijwerken geannuleerd; het model is niet gewijzigd.")
        if progress is not None:
            progress(number, total, STEPS[number])

    step(0)
    folder.mkdir(parents=True, exist_ok=True)
    cleanup_staging(data_dir)
    if _stamp(preview.current_model_path) != preview.current_stamp:
        raise ModelImportError("Het huidige model is gewijzigd sinds het bestand werd gecontroleerd; "
                               "controleer het bestand opnieuw.")
    try:
        step(1)
        _write_staging(parsed, staging)
        step(2)
        meta = verify_model(staging, len(parsed.source.interventions))
        step(3)
        _fsync_file(staging)
        step(4)
        if before_swap is not None:
            before_swap()
        _keep_previous(folder, live)
    except ModelImportError:
        staging.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        staging.unlink(missing_ok=True)
        raise ModelImportError(f"Het nieuwe model kon niet worden geschreven ({exc}); er is niets gewijzigd.") from exc
    except Exception as exc:  # e.g. the builder refusing a value: never leave a half-written staging file
        staging.unlink(missing_ok=True)
        raise ModelImportError(f"Het nieuwe model kon niet worden gemaakt ({type(exc).__name__}: {exc}); "
                               "er is niets gewijzigd.") from exc
    step(5)
    try:
        os.replace(staging, live)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise ModelImportError(
            f"Het model kon niet worden vervangen ({exc.strerror}); is het nog geopend? Er is niets gewijzigd."
        ) from exc
    _fsync_dir(folder)
    step(6)
    record = ImportRecord(
        file_name=preview.file_name, sha256=preview.sha256, model_version=meta.get("model_version"),
        published=meta.get("published"), counts=_counts(parsed.source),
        applied_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), action="import",
    )
    record.note = _record_safely(data_dir, record)
    step(7)
    return record


# --- rollback and cleaning up ---------------------------------------------------------------------

def cleanup_staging(data_dir: Path) -> list[str]:
    """Remove what an interrupted import or rollback left behind. Returns the names removed."""
    folder = model_dir(data_dir)
    if not folder.is_dir():
        return []
    removed = []
    for name in (STAGING, STAGING + "-journal", PREVIOUS_TMP):
        if (folder / name).exists():
            (folder / name).unlink()
            removed.append(name)
    for leftover in [*folder.glob("*.building"), *folder.glob("*.tmp")]:
        leftover.unlink()
        removed.append(leftover.name)
    swap = folder / PREVIOUS_SWAP
    if swap.exists():
        if (folder / PREVIOUS).exists():
            swap.unlink()
            removed.append(swap.name)
        else:  # a rollback died after restoring the previous model: the swapped-out one is the previous now
            os.replace(swap, folder / PREVIOUS)
    if (folder / PREVIOUS).exists() and (folder / BUNDLED_MARKER).exists():
        (folder / BUNDLED_MARKER).unlink()
    return removed


@dataclass
class PreviousVersion:
    bundled: bool
    model_version: str | None
    published: str | None
    path: Path

    def describe(self) -> str:
        what = "het meegeleverde model" if self.bundled else "het vorige model"
        date = self.published
        try:
            date = dutch_date(dt.date.fromisoformat(self.published or ""))
        except ValueError:
            pass
        return f"{what}, versie {self.model_version or 'onbekend'} (gepubliceerd {date or 'onbekend'})"


def previous_version(data_dir: Path) -> PreviousVersion | None:
    """What a rollback would bring back, or None when there is nothing to go back to."""
    folder = model_dir(data_dir)
    previous = folder / PREVIOUS
    if previous.exists():
        path, bundled = previous, False
    elif (folder / BUNDLED_MARKER).exists() and paths.installed_model_path(data_dir).exists():
        path, bundled = paths.bundled_model_path(), True
    else:
        return None
    try:
        conn = open_model(path)
        try:
            meta = {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM meta")}
        finally:
            conn.close()
    except (ModelFileError, sqlite3.DatabaseError):
        meta = {}
    return PreviousVersion(bundled, meta.get("model_version"), meta.get("published"), path)


def rollback(data_dir: Path, progress: Progress | None = None) -> bool:
    """Bring the previous model back (the current one becomes the previous). False: nothing to go back to."""
    folder = model_dir(data_dir)
    live = paths.installed_model_path(data_dir)
    previous, marker, swap = folder / PREVIOUS, folder / BUNDLED_MARKER, folder / PREVIOUS_SWAP
    cleanup_staging(data_dir)
    if progress is not None:
        progress(0, 3, "Vorige versie controleren")
    if previous.exists():
        meta = verify_model(previous)
        if progress is not None:
            progress(1, 3, "Vorige versie terugzetten")
        try:
            if live.exists():
                _copy_synced(live, swap)
                os.replace(previous, live)
                _fsync_dir(folder)
                os.replace(swap, previous)
            else:
                os.replace(previous, live)
                marker.write_text("Het vorige model was het meegeleverde model.\n", encoding="utf-8")
            _fsync_dir(folder)
        except OSError as exc:
            swap.unlink(missing_ok=True)
            raise ModelImportError(f"De vorige versie kon niet worden teruggezet ({exc.strerror}).") from exc
        restored = live
    elif marker.exists() and live.exists():
        bundled = paths.bundled_model_path()
        meta = verify_model(bundled)
        if progress is not None:
            progress(1, 3, "Meegeleverd model terugzetten")
        try:
            os.replace(live, previous)
            marker.unlink()
            _fsync_dir(folder)
        except OSError as exc:
            raise ModelImportError(f"Het meegeleverde model kon niet worden teruggezet ({exc.strerror}).") from exc
        restored = bundled
    else:
        return False
    if progress is not None:
        progress(2, 3, "Geschiedenis bijwerken")
    conn = open_model(restored)
    try:
        log = ProblemLog(restored.name, "tabel")
        source = read_model_database(conn, log, Limits(max_rows=10_000_000), trusted=True).source
    finally:
        conn.close()
    record = ImportRecord(
        file_name=f"vorige versie ({'meegeleverd model' if restored != live else PREVIOUS})",
        sha256=_sha256(restored), model_version=meta.get("model_version"), published=meta.get("published"),
        counts=_counts(source), applied_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), action="rollback",
    )
    _record_safely(data_dir, record)
    if progress is not None:
        progress(3, 3, "Klaar")
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- history (in the workspace) -------------------------------------------------------------------

HISTORY_TABLE = (
    "CREATE TABLE IF NOT EXISTS import_history (id INTEGER PRIMARY KEY, file_name TEXT, sha256 TEXT, "
    "model_version TEXT, published TEXT, applied_at TEXT, counts_json TEXT, action TEXT)"
)


def record_history(data_dir: Path, record: ImportRecord) -> None:
    """Append `record` to the workspace's import history."""
    from desktop.core.workspace import Workspace

    workspace = Workspace(paths.workspace_path(data_dir))
    try:
        workspace.conn.execute(HISTORY_TABLE)
        workspace.conn.execute(
            "INSERT INTO import_history (file_name, sha256, model_version, published, applied_at, counts_json, "
            "action) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (record.file_name, record.sha256, record.model_version, record.published, record.applied_at,
             json.dumps(record.counts, sort_keys=True), record.action),
        )
    finally:
        workspace.close()


def _record_safely(data_dir: Path, record: ImportRecord) -> str | None:
    """The model has changed already: a history that cannot be written is reported, not fatal."""
    try:
        record_history(data_dir, record)
    except Exception as exc:  # the workspace module raises its own error type
        return f"De geschiedenis kon niet worden bijgewerkt: {exc}"
    return None


def open_read_only(path: Path) -> sqlite3.Connection:
    """Read a (WAL-mode) workspace without changing anything beside it.

    A cleanly closed workspace has no -wal file: open it immutable, so SQLite creates no -wal/-shm
    files. With a -wal file present (the application has it open), read it the ordinary way.
    """
    immutable = "" if path.with_name(path.name + "-wal").exists() else "&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True)


def read_history(data_dir: Path) -> list[dict[str, Any]]:
    """The import history, oldest first (an empty list when there is none)."""
    path = paths.workspace_path(data_dir)
    if not path.exists():
        return []
    try:
        conn = open_read_only(path)
        try:
            rows = conn.execute(
                "SELECT id, file_name, sha256, model_version, published, applied_at, counts_json, action "
                "FROM import_history ORDER BY id"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []
    result = []
    for r in rows:
        try:
            counts = json.loads(r[6]) if r[6] else {}
        except ValueError:
            counts = {}
        result.append({"id": r[0], "file_name": r[1], "sha256": r[2], "model_version": r[3], "published": r[4],
                       "applied_at": r[5], "counts": counts, "action": r[7]})
    return result


# --- presenting -----------------------------------------------------------------------------------

def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_preview(preview: ImportPreview, limit: int = 50) -> list[str]:
    """The preview as Dutch lines (for the command line; the dialog shows the same parts)."""
    lines = [f"Bestand: {preview.file_name}" + (f" (sha256 {preview.sha256[:16]}…)" if preview.sha256 else "")]
    if preview.parsed is None:
        return lines
    old, new = preview.old_meta, preview.new_meta
    now = f"versie {old.get('model_version', '?')} ({old.get('published', '?')})" if old else "meegeleverd/geen"
    lines.append(f"Model: {now} -> versie {new.get('model_version', '?')} ({new.get('published', '?')}), "
                 f"uitgever: {new.get('publisher', '?')}")
    counts = ", ".join(
        f"{COUNT_LABELS[k]} {preview.old_counts.get(k, 0)} -> {v}" if preview.old_counts else f"{COUNT_LABELS[k]} {v}"
        for k, v in preview.new_counts.items()
    )
    lines.append(f"Aantallen: {counts}")
    lines.append(f"Interventies: {len(preview.added)} toegevoegd, {len(preview.changed)} gewijzigd, "
                 f"{len(preview.removed)} verwijderd")

    def listing(title: str, items: list[str]) -> None:
        if not items:
            return
        lines.append(f"{title} ({len(items)}):")
        lines.extend(f"  {item}" for item in items[:limit])
        if len(items) > limit:
            lines.append(f"  … en nog {len(items) - limit}")

    listing("Toegevoegd", [f"+ {name} [{ident}]" for ident, name in preview.added])
    changed: list[str] = []
    for change in preview.changed[:limit]:
        changed.append(f"~ {change.name} [{change.id}]")
        changed.extend(f"    {c.field}: {_short(c.old, 60)} -> {_short(c.new, 60)}" for c in change.changes)
    if preview.changed:
        lines.append(f"Gewijzigd ({len(preview.changed)}):")
        lines.extend(f"  {line}" for line in changed)
        if len(preview.changed) > limit:
            lines.append(f"  … en nog {len(preview.changed) - limit}")
    listing("Verwijderd", [f"- {name} [{ident}]" for ident, name in preview.removed])
    listing("Beschermende factoren toegevoegd", [f"+ {name} [{ident}]" for ident, name in preview.clusters_added])
    listing("Beschermende factoren verwijderd", [f"- {name} [{ident}]" for ident, name in preview.clusters_removed])
    if preview.affected_notes:
        listing("Uw notities bij gewijzigde of verwijderde interventies (ze blijven bewaard)",
                preview.affected_notes)
    listing("Waarschuwingen", [str(p) for p in preview.warnings])
    return lines


def describe_errors(preview: ImportPreview, limit: int = 100) -> list[str]:
    errors = preview.errors
    lines = [f"'{preview.file_name}' kan niet worden ingelezen; er is niets gewijzigd. "
             f"{len(errors)} fout(en):"]
    lines.extend(f"  - {p}" for p in errors[:limit])
    if len(errors) > limit:
        lines.append(f"  … en nog {len(errors) - limit} fouten")
    return lines
