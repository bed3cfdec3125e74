"""PySide6's per-module source check, answered from the file's bytes (desktop/ui/import_check.py)."""

from __future__ import annotations

import importlib
import linecache
import sys
from pathlib import Path

import pytest

import desktop.ui  # noqa: F401  (installs the check)

pytestmark = pytest.mark.skipif(
    getattr(sys.modules.get("shibokensupport.feature"), "_mod_uses_pyside", None) is None,
    reason="this PySide6 has no per-module source check to replace")


def test_the_byte_check_answers_what_pyside6s_own_check_answers() -> None:
    feature = sys.modules["shibokensupport.feature"]
    ours = feature._mod_uses_pyside
    assert getattr(ours, "reads_bytes", False), "desktop.ui did not install the check"
    names = ["desktop.ui.main_window", "desktop.ui.model_map", "desktop.core.search.search", "desktop.core.paths",
             "json", "sys", "_sqlite3", "PySide6.QtCore"]
    modules = [importlib.import_module(name) for name in names]
    original = ours.original  # PySide6's own function
    answers = {m.__name__: ours(m) for m in modules}
    assert answers == {m.__name__: original(m) for m in modules}
    assert answers["desktop.ui.main_window"] and not answers["desktop.core.search.search"]


def test_a_later_module_is_checked_without_its_source_in_the_line_cache(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "later_qt_module.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    (tmp_path / "later_plain_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.clearcache()
    import later_plain_module  # noqa: F401
    import later_qt_module  # noqa: F401

    seen = sys.modules["shibokensupport.feature"].pyside_feature_dict
    assert seen["later_qt_module"] == 0 and seen["later_plain_module"] == -1  # PySide6's own classification
    assert not any("later_" in name for name in linecache.cache)
