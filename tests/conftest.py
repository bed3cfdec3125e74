"""Shared fixtures: real model databases built from real source files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.core.model.build import build_model
from desktop.core.search.repository import ModelRepository

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def real_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complete model, freshly built from data/."""
    out = tmp_path_factory.mktemp("real") / "model.sqlite"
    build_model(DATA, out)
    return out


@pytest.fixture()
def real_repo(real_model_path: Path) -> Iterator[ModelRepository]:
    repo = ModelRepository.open(real_model_path)
    yield repo
    repo.close()


@pytest.fixture()
def mini_source(tmp_path: Path) -> Path:
    """A writable copy of the small fixture source, for tests that change it."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def mini_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mini") / "model.sqlite"
    build_model(MINI, out)
    return out


@pytest.fixture()
def mini_repo(mini_model_path: Path) -> Iterator[ModelRepository]:
    repo = ModelRepository.open(mini_model_path)
    yield repo
    repo.close()


@pytest.fixture()
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private user data folder, so tests never touch the real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("BOUWSTENEN_HOME", str(home))
    return home


@pytest.fixture(scope="session", autouse=True)
def dutch_qt() -> Iterator[None]:
    """Qt's own texts in Dutch, as the application installs them at start (for the GUI tests)."""
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:  # a core-only environment
        yield
        return
    app = QApplication.instance() or QApplication([])
    from desktop.ui.app import install_dutch

    install_dutch(app)  # type: ignore[arg-type]
    yield


@pytest.fixture(autouse=True)
def bugs_fail_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """A bug the application would show as 'Er ging iets mis' (a failed background task, an exception in a
    slot) fails the test with its traceback, instead of waiting for someone to close a modal box."""
    import traceback

    try:
        import desktop.ui.errors as errors
    except ImportError:  # a core-only environment
        yield []
        return
    bugs: list[BaseException] = []
    monkeypatch.setattr(errors, "report_bug", lambda error, parent=None: bugs.append(error))
    yield bugs
    if bugs:
        details = "".join(traceback.format_exception(type(bugs[0]), bugs[0], bugs[0].__traceback__))
        pytest.fail(f"{len(bugs)} bug(s) reported to the user; the first:\n{details}")
