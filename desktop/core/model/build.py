"""Build the model database from the curated source in `data/` (and know when it is out of date)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.model.entities import Model


def source_hash(root: Path) -> str:
    """A fingerprint of every curated file, to tell whether a built model is up to date."""
    import hashlib  # a checkout's start only (an installed application has no data/ to compare)

    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.toml")):
        digest.update(str(path.relative_to(root)).replace(os.sep, "/").encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def built_hash(model_path: Path) -> str | None:
    if not model_path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{model_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM build_info WHERE key = 'source_hash'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def build_fingerprint(root: Path) -> str:
    """What a built model is made from: the curated source and the search index's format."""
    from desktop.core.model.index import INDEX_VERSION

    return f"{source_hash(root)}-index{INDEX_VERSION}"


def is_up_to_date(root: Path, model_path: Path) -> bool:
    return built_hash(model_path) == build_fingerprint(root)


def build_model(root: Path, out: Path) -> Model:
    """Check `root` and write the model to `out`. Raises SourceError listing every problem."""
    from desktop.core.model.sqlite_codec import write_model  # the reader and writer only when building:
    from desktop.core.model.toml_codec import load_source  # a start with an up-to-date model needs neither

    model = load_source(root)
    write_model(model, out, fingerprint=build_fingerprint(root))
    return model


def ensure_built(root: Path, out: Path) -> bool:
    """Rebuild `out` when the curated source changed since it was built. Returns True if built."""
    if is_up_to_date(root, out):
        return False
    build_model(root, out)
    return True


def ensure_bundled_model() -> Path:
    """In a checkout, (re)build the bundled model when `data/` changed. Returns its path."""
    import os

    from desktop.core import paths

    target = paths.bundled_model_path()
    source = paths.curated_source_dir()
    if source is not None and "BOUWSTENEN_BUNDLED_MODEL" not in os.environ:
        ensure_built(source, target)
    return target
