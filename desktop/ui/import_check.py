"""PySide6 asks of every module imported after it whether its source mentions "PySide6" (for its
`__feature__` switches, which Bouwstenen does not use). It answers with `inspect.getsource`, which decodes
the file and keeps it in `linecache`: ~15 ms and ~2 MiB at start-up for ~110 modules. The same question
answered from the file's bytes gives the same answer without either (a frozen application has no
sources, so PySide6 answers "no" there at once). Installed before the Qt layer imports anything else;
does nothing when PySide6 changes this internal function away."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401  (sets up shibokensupport.feature)


def answer_from_bytes() -> bool:
    """Replace PySide6's source check by one that reads bytes; False when there is nothing to replace."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "reads_bytes", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return False  # built in, compiled or without a file: inspect finds no source either
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:  # e.g. inside a zip file: PySide6's own way
            return bool(original(module))

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010  (a module we do not own)
    return True
