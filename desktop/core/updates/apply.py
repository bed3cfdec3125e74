"""Make a checked model the live one, atomically; keep earlier versions; go back to any of them.

    record = apply(preview, data_dir, progress, cancelled, before_swap)
    versions = kept_versions(data_dir)          # what can be brought back, newest first
    record = restore(data_dir, versions[0])     # go back (the current model is kept in turn)
    reconcile(data_dir)                         # at start: finish what a crash interrupted

The live model is `data_dir/model/model.sqlite` (when absent, the bundled model is live). A new model
is written to a staging file beside it, checked with `integrity_check`, flushed to disk, and moved
over the live file with `os.replace`: whenever the process dies, the live model is the old one or
the new one, never a mix. Before the swap, the model that was live is kept in `model/versies/`
(the last few distinct versions, by content), and an intent file says what is about to happen, so
the history is written even if the process dies right after the swap (`reconcile`). No file is
replaced while this process holds it open (`before_swap` closes the live model first), so the swap
also works under Windows' file locking.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.core import paths
from desktop.core.errors import ExpectedError, ModelFileError, UpdateCancelled, UpdateError, log, safe_text
from desktop.core.model.model_file import build_info, open_model
from desktop.core.model.sqlite_codec import write_model
from desktop.core.updates.history import UpdateRecord, record_history
from desktop.core.updates.inspect import ImportPreview, _stamp

STAGING = "model.sqlite.new"
INTENT = "bezig.json"
VERSIONS = "versies"
BUNDLED = "meegeleverd"
KEEP_VERSIONS = 5

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

STEPS = (
    "Voorbereiden",
    "Nieuw model schrijven",
    "Nieuw model controleren",
    "Naar schijf wegschrijven",
    "Huidige versie bewaren",
    "Model vervangen",
    "Geschiedenis bijwerken",
    "Klaar",
)
LAST_CANCELLABLE = 4  # cancelling is possible until the swap starts


def model_dir(data_dir: Path) -> Path:
    return paths.installed_model_path(data_dir).parent


def versions_dir(data_dir: Path) -> Path:
    return model_dir(data_dir) / VERSIONS


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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


def _copy_synced(src: Path, dst: Path) -> None:
    with src.open("rb") as a, dst.open("wb") as b:
        shutil.copyfileobj(a, b, 1 << 20)
        b.flush()
        os.fsync(b.fileno())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify_model(path: Path, expected_interventions: int | None = None, integrity: bool = True) -> dict[str, str]:
    """integrity_check, schema version and (optionally) the number of interventions; returns the meta."""
    try:
        conn = open_model(path)
    except ModelFileError as exc:
        raise UpdateError(str(exc)) from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall() if integrity else [("ok",)]
        if [tuple(r) for r in result] != [("ok",)]:
            raise UpdateError(f"Het modelbestand '{path.name}' is beschadigd (de integriteitscontrole slaagt niet).")
        if expected_interventions is not None:
            found = int(conn.execute("SELECT count(*) FROM intervention").fetchone()[0])
            if found != expected_interventions:
                raise UpdateError(f"Het nieuwe model bevat {found} interventies in plaats van {expected_interventions};"
                                  " er is niets gewijzigd.")
        meta = {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM meta")}
        meta["_content_hash"] = build_info(conn).get("content_hash", "")
        return meta
    except sqlite3.DatabaseError as exc:
        raise UpdateError(f"Het modelbestand '{path.name}' is beschadigd.") from exc
    finally:
        conn.close()


def _counts(path: Path) -> dict[str, int]:
    from desktop.core.search.repository import ModelRepository

    with ModelRepository.open(path) as repo:
        return repo.counts()


# --- kept versions -------------------------------------------------------------------------------------

@dataclass
class KeptVersion:
    path: Path  # the kept file, or the bundled model
    bundled: bool
    model_version: str | None
    published: str | None
    kept_at: str  # when it stopped being the live model (ISO, UTC)
    content_hash: str

    def describe(self) -> str:
        from desktop.core.text import dutch_date

        what = "het meegeleverde model" if self.bundled else "versie"
        version = f" {self.model_version}" if self.model_version and not self.bundled else ""
        return f"{what}{version} (gepubliceerd {dutch_date(self.published)})"


def _marker(folder: Path) -> Path:
    return folder / f"{BUNDLED}.json"


def kept_versions(data_dir: Path) -> list[KeptVersion]:
    """Versions that can be brought back, most recently replaced first (never the live one)."""
    folder = versions_dir(data_dir)
    if not folder.is_dir():
        return []
    live_hash = live_content_hash(data_dir)
    found: list[KeptVersion] = []
    for path in folder.glob("*.sqlite"):
        try:
            meta = verify_meta(path)
        except ExpectedError:
            continue  # a damaged kept version is not offered
        stamp = path.stem.split("_", 1)[0]
        found.append(KeptVersion(path, False, meta.get("model_version"), meta.get("published"), stamp,
                                 meta.get("_content_hash", "")))
    marker = _marker(folder)
    if marker.exists() and paths.installed_model_path(data_dir).exists():
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            meta = verify_meta(paths.bundled_model_path())
            found.append(KeptVersion(paths.bundled_model_path(), True, meta.get("model_version"),
                                     meta.get("published"), str(info.get("kept_at", "")),
                                     meta.get("_content_hash", "")))
        except (ExpectedError, ValueError, OSError):
            pass
    found.sort(key=lambda v: v.kept_at, reverse=True)
    distinct: list[KeptVersion] = []
    for version in found:
        if version.content_hash and (version.content_hash == live_hash
                                     or any(v.content_hash == version.content_hash for v in distinct)):
            continue
        distinct.append(version)
    return distinct


def verify_meta(path: Path) -> dict[str, str]:
    """The meta of a kept model (without the full integrity check: it is only listed)."""
    return verify_model(path, integrity=False)


def live_content_hash(data_dir: Path) -> str:
    try:
        return verify_meta(paths.active_model_path(data_dir)).get("_content_hash", "")
    except ExpectedError:
        return ""


def previous_version(data_dir: Path) -> KeptVersion | None:
    """What 'Vorige versie terugzetten' brings back: the most recently replaced distinct version."""
    versions = kept_versions(data_dir)
    return versions[0] if versions else None


def _keep_live(data_dir: Path) -> None:
    """Keep the live model as a version (or remember that the bundled one was live); prune old ones."""
    folder = versions_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    live = paths.installed_model_path(data_dir)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    if live.exists():
        content = verify_meta(live).get("_content_hash", "")
        for path in folder.glob("*.sqlite"):
            if content and path.stem.endswith(content[:16]):
                os.replace(path, folder / f"{stamp}_{content[:16]}.sqlite")  # known already: just newer now
                break
        else:
            tmp = folder / f"{stamp}.tmp"
            _copy_synced(live, tmp)
            os.replace(tmp, folder / f"{stamp}_{content[:16] or uuid.uuid4().hex[:16]}.sqlite")
    else:
        _marker(folder).write_text(json.dumps({"kept_at": stamp}), encoding="utf-8")
    _fsync_dir(folder)
    files = sorted(folder.glob("*.sqlite"), reverse=True)
    for old in files[KEEP_VERSIONS:]:
        old.unlink(missing_ok=True)


# --- the intent file: what a swap is about to do -------------------------------------------------------

def _write_intent(data_dir: Path, record: UpdateRecord, new_hash: str) -> Path:
    path = model_dir(data_dir) / INTENT
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"record": record.as_dict(), "new_hash": new_hash}), encoding="utf-8")
    _fsync_file(tmp)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    return path


def reconcile(data_dir: Path) -> list[str]:
    """At start: finish or forget what an interrupted update left. Returns Dutch notes (may be empty)."""
    folder = model_dir(data_dir)
    if not folder.is_dir():
        return []
    notes: list[str] = []
    for name in (STAGING, STAGING + "-journal", INTENT[:-5] + ".tmp"):
        (folder / name).unlink(missing_ok=True)
    for leftover in [*folder.glob("*.building"), *folder.glob("*.tmp"), *versions_dir(data_dir).glob("*.tmp")]:
        leftover.unlink(missing_ok=True)
    intent = folder / INTENT
    if intent.exists():
        try:
            data = json.loads(intent.read_text(encoding="utf-8"))
            record = UpdateRecord(**data["record"])
            new_hash = str(data["new_hash"])
        except (OSError, ValueError, KeyError, TypeError):
            intent.unlink(missing_ok=True)
            return notes
        if live_content_hash(data_dir) == new_hash:
            try:
                record_history(data_dir, record)
                notes.append(f"De vorige keer is het model bijgewerkt naar versie {record.model_version or '?'}; "
                             "dat staat nu ook in de geschiedenis.")
            except ExpectedError as exc:
                log.warning("history after an interrupted update not written: %s", exc)
                return notes  # try again next time
        intent.unlink(missing_ok=True)
    return notes


cleanup_staging = reconcile


# --- applying -----------------------------------------------------------------------------------------

def _swap_in(data_dir: Path, staging: Path | None, record: UpdateRecord, new_hash: str,
             before_swap: Callable[[], None] | None) -> None:
    """Keep the live model, then make `staging` (or, when None, the bundled model) live."""
    folder = model_dir(data_dir)
    live = paths.installed_model_path(data_dir)
    if before_swap is not None:
        before_swap()
    _keep_live(data_dir)
    intent = _write_intent(data_dir, record, new_hash)
    try:
        if staging is not None:
            os.replace(staging, live)
        else:
            live.unlink()
    except OSError as exc:
        intent.unlink(missing_ok=True)
        from desktop.core.errors import REASONS, storage_reason

        raise UpdateError(f"Het model kon niet worden vervangen: {REASONS[storage_reason(exc)]}. Er is niets "
                          "gewijzigd.") from exc
    _fsync_dir(folder)


def _finish(data_dir: Path, record: UpdateRecord) -> UpdateRecord:
    try:
        record_history(data_dir, record)
    except ExpectedError as exc:  # the model has changed already: reported, not fatal
        record.note = f"De geschiedenis kon niet worden bijgewerkt: {exc}"
    except sqlite3.Error as exc:
        record.note = f"De geschiedenis kon niet worden bijgewerkt ({safe_text(exc, 100)})."
    (model_dir(data_dir) / INTENT).unlink(missing_ok=True)
    return record


def apply(preview: ImportPreview, data_dir: Path, progress: Progress | None = None,
          cancelled: Cancelled | None = None, before_swap: Callable[[], None] | None = None) -> UpdateRecord:
    """Make the previewed model the live one, atomically. Raises UpdateError (nothing changed).

    `progress(step, total, label)` is called at the start of every step; `cancelled()` is asked until
    the swap starts (UpdateCancelled). `before_swap()` runs just before the live file is replaced:
    close any open connection to the live model there (required on Windows)."""
    if not preview.ok or preview.model is None:
        raise UpdateError(f"'{preview.file_name}' bevat fouten en kan niet worden ingelezen.")
    folder = model_dir(data_dir)
    staging = folder / STAGING
    total = len(STEPS) - 1

    def step(number: int) -> None:
        if number <= LAST_CANCELLABLE and cancelled is not None and cancelled():
            staging.unlink(missing_ok=True)
            raise UpdateCancelled("Bijwerken geannuleerd; het model is niet gewijzigd.")
        if progress is not None:
            progress(number, total, STEPS[number])

    step(0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        reconcile(data_dir)
    except OSError as exc:
        from desktop.core.errors import REASONS, storage_reason

        raise UpdateError(f"De map voor het model kan niet worden gebruikt: {REASONS[storage_reason(exc)]}.") from exc
    if _stamp(preview.current_model_path) != preview.current_stamp:
        raise UpdateError("Het huidige model is gewijzigd sinds het bestand werd gecontroleerd; controleer het "
                          "bestand opnieuw.")
    try:
        step(1)
        write_model(preview.model, staging)
        step(2)
        meta = verify_model(staging, len(preview.model.interventions))
        step(3)
        _fsync_file(staging)
        step(4)
        record = UpdateRecord(
            file_name=preview.file_name, sha256=preview.sha256, model_version=meta.get("model_version"),
            published=meta.get("published"), counts=preview.model.counts(), applied_at=_now(), action="import",
            record_id=uuid.uuid4().hex, content_hash=meta.get("_content_hash", ""),
        )
        step(5)
        _swap_in(data_dir, staging, record, record.content_hash, before_swap)
    except ExpectedError:
        staging.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        staging.unlink(missing_ok=True)
        from desktop.core.errors import REASONS, storage_reason

        raise UpdateError(f"Het nieuwe model kon niet worden geschreven: {REASONS[storage_reason(exc)]}. Er is "
                          "niets gewijzigd.") from exc
    step(6)
    _finish(data_dir, record)
    step(7)
    return record


def restore(data_dir: Path, version: KeptVersion | None = None, progress: Progress | None = None,
            before_swap: Callable[[], None] | None = None) -> UpdateRecord | None:
    """Bring a kept version back (default: the previous one); the current model is kept in turn.

    Returns None when there is nothing to go back to."""
    version = version or previous_version(data_dir)
    if version is None:
        return None
    if progress is not None:
        progress(0, 3, "Versie controleren")
    reconcile(data_dir)
    folder = model_dir(data_dir)
    staging = folder / STAGING
    meta = verify_model(version.path)
    record = UpdateRecord(
        file_name="meegeleverd model" if version.bundled else f"bewaarde versie {version.model_version or '?'}",
        sha256=_sha256(version.path), model_version=meta.get("model_version"), published=meta.get("published"),
        counts=_counts(version.path), applied_at=_now(), action="rollback", record_id=uuid.uuid4().hex,
        content_hash=meta.get("_content_hash", ""),
    )
    if progress is not None:
        progress(1, 3, "Versie terugzetten")
    try:
        if version.bundled:
            _swap_in(data_dir, None, record, record.content_hash, before_swap)
        else:
            _copy_synced(version.path, staging)
            _swap_in(data_dir, staging, record, record.content_hash, before_swap)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        from desktop.core.errors import REASONS, storage_reason

        raise UpdateError(f"De versie kon niet worden teruggezet: {REASONS[storage_reason(exc)]}.") from exc
    if progress is not None:
        progress(2, 3, "Geschiedenis bijwerken")
    _finish(data_dir, record)
    if progress is not None:
        progress(3, 3, "Klaar")
    return record


def rollback(data_dir: Path, progress: Progress | None = None,
             before_swap: Callable[[], None] | None = None) -> bool:
    """Bring the previous version back. False: there is nothing to go back to."""
    return restore(data_dir, None, progress, before_swap) is not None
