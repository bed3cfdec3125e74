"""Expected errors (one base, a Dutch message for the user) and the application's log.

An `ExpectedError` is a situation a user can meet and understand: a file that cannot be read, a
full disk, a model that is not valid. Its message is Dutch and names what it is about (file, sheet,
row, field). Anything else that escapes is a bug: it is logged with its traceback and shown as a
Dutch "something went wrong" dialog by the UI, never as raw exception text.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

LOG_NAME = "bouwstenen"
LOG_FILE = "bouwstenen.log"

log = logging.getLogger(LOG_NAME)


class ExpectedError(Exception):
    """A failure the user can understand; `str(error)` is a Dutch message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ModelFileError(ExpectedError):
    """A model database cannot be used."""


class RejectedFile(ExpectedError):
    """An imported file is refused as a whole; nothing was changed."""


class WorkspaceError(ExpectedError):
    """The user's notes file cannot be used or changed."""


class StorageError(WorkspaceError):
    """Writing failed for a reason outside the application: disk full, read-only, locked."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "vol" | "alleen-lezen" | "bezet" | "onbereikbaar" | "beschadigd" | "anders"


class UpdateError(ExpectedError):
    """A model update or rollback could not be done; nothing was changed."""


class UpdateCancelled(UpdateError):
    """The user cancelled a model update before the swap; nothing was changed."""


class PublishError(ExpectedError):
    """Publishing the model failed."""


class UsageError(ExpectedError):
    """A command was called the wrong way (exit code 2)."""


# --- what went wrong with a file or a database, in Dutch ---------------------------------------------

REASONS = {
    "vol": "de schijf is vol",
    "alleen-lezen": "de map of het bestand is alleen-lezen (bijvoorbeeld een beveiligde USB-stick)",
    "bezet": "het bestand is in gebruik door een ander programma of venster",
    "onbereikbaar": "de map is niet bereikbaar (bijvoorbeeld een netwerkschijf of USB-stick die weg is)",
    "beschadigd": "het bestand is beschadigd",
    "anders": "het besturingssysteem weigerde de bewerking",
}


def safe_text(value: object, limit: int = 300) -> str:
    """Any message (also one SQLite or the OS gives in bytes or odd encodings) as printable text."""
    if isinstance(value, bytes):
        text = value.decode("utf-8", "replace")
    else:
        try:
            text = str(value)
        except Exception:  # a broken __str__ must not hide the original problem
            text = repr(value)
    text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    text = "".join(c if c.isprintable() or c in "\n\t" else "?" for c in text)
    return text[:limit]


def storage_reason(exc: BaseException) -> str:
    """Classify an OSError or sqlite3 error as one of REASONS' keys."""
    if isinstance(exc, OSError):
        code = exc.errno
        if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return "vol"
        if code in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "alleen-lezen"
        if code in (errno.EBUSY, getattr(errno, "ETXTBSY", -1)) or getattr(exc, "winerror", None) in (32, 33):
            return "bezet"
        if code in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO, getattr(errno, "ESTALE", -1),
                    getattr(errno, "EHOSTDOWN", -1)):
            return "onbereikbaar"
        return "anders"
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = safe_text(exc).lower()
        if code == sqlite3.SQLITE_FULL or name.startswith("SQLITE_FULL") or "full" in text:
            return "vol"
        if code == sqlite3.SQLITE_READONLY or name.startswith("SQLITE_READONLY") or "readonly" in text \
                or "read-only" in text:
            return "alleen-lezen"
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) \
                or "locked" in text:
            return "bezet"
        if code == sqlite3.SQLITE_CANTOPEN or name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
            return "onbereikbaar"
        if code == sqlite3.SQLITE_PERM or name.startswith("SQLITE_PERM"):
            return "alleen-lezen"
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or name.startswith(("SQLITE_CORRUPT",
                                                                                         "SQLITE_NOTADB")) \
                or "malformed" in text or "not a database" in text:
            return "beschadigd"
        if code == sqlite3.SQLITE_IOERR or name.startswith("SQLITE_IOERR") or "disk i/o" in text:
            return "onbereikbaar"
    return "anders"


def storage_error(exc: BaseException, what: str) -> StorageError:
    """A StorageError for `exc` with a Dutch message: '<what> lukt niet: <reason>.'"""
    reason = storage_reason(exc)
    return StorageError(f"{what} lukt niet: {REASONS[reason]}.", reason)


# --- the log ------------------------------------------------------------------------------------------

def configure_logging(data_dir: Path | None, level: int = logging.INFO) -> Path | None:
    """Log to a rotating file in the data folder (when it can be written); returns the log file."""
    logger = logging.getLogger(LOG_NAME)
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if getattr(handler, "_bouwstenen", False):
            logger.removeHandler(handler)
            handler.close()
    if data_dir is None:
        return None
    path = data_dir / LOG_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only data folder: no log file, the app still works
    handler = _LogFile(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._bouwstenen = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    return path


class _LogFile(logging.Handler):
    """The rotating log file (1 MB, three old ones kept), opened with the first record: a session without
    problems writes none, and `logging.handlers` imports socket, pickle and queue (~6 ms at start-up)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.file is None:
            from logging.handlers import RotatingFileHandler

            try:
                self.file = RotatingFileHandler(self.path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
            except OSError:
                self.handleError(record)  # e.g. the USB stick was pulled: the app goes on without a log file
                return
            self.file.setFormatter(self.formatter)
        self.file.emit(record)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()
