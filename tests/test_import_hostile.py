"""A corpus of malformed and hostile model files: each is refused with a clear Dutch message, and
neither the model nor the workspace changes by a single byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import paths
from desktop.core.errors import UpdateError as ModelImportError
from desktop.core.updates.apply import apply
from desktop.core.updates.inspect import inspect
from tests.import_corpus import CASES, Bases, Case, make_bases, make_data_dir, tree_hashes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Bases:
    return make_bases(tmp_path_factory.mktemp("bases"))


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_refused_and_nothing_changes(case: Case, bases: Bases, corpus_dir: Path,
                                                     tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", bases.sqlite)
    bad = case.build(bases, corpus_dir)
    before = tree_hashes(data_dir)
    preview = inspect(bad, paths.installed_model_path(data_dir), {"under-pressure"})
    assert not preview.ok
    messages = "\n".join(str(p) for p in preview.errors)
    assert case.expect in messages, messages
    assert bad.name in messages  # every message names the file
    assert "Traceback" not in messages
    with pytest.raises(ModelImportError):
        apply(preview, data_dir)
    assert tree_hashes(data_dir) == before


def test_problems_name_sheet_row_and_column(bases: Bases, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "trede 9")
    preview = inspect(case.build(bases, tmp_path), None)
    problem = next(p for p in preview.errors if "trede 9" in p.message)
    assert (problem.sheet, problem.row, problem.column) == ("interventies", 2, "trede")
    assert str(problem).startswith("'trede.xlsx', tabblad 'interventies', rij 2, kolom 'trede': ")


def test_every_problem_is_reported_at_once(bases: Bases, tmp_path: Path) -> None:
    from tests.import_corpus import edit_workbook, set_cell

    def change(wb: object) -> None:
        set_cell("interventies", "trede", 2, 9)(wb)
        set_cell("interventies", "trede", 3, "hoog")(wb)
        set_cell("links", "link", 2, "javascript:alert(1)")(wb)
        set_cell("koppelingen", "interventie-id", 2, "bestaat-niet")(wb)

    bad = edit_workbook(bases.xlsx, tmp_path / "veel.xlsx", change)
    messages = "\n".join(str(p) for p in inspect(bad, None).errors)
    for fragment in ("trede 9", "verwacht een geheel getal", "javascript", "bestaat-niet"):
        assert fragment in messages


def test_cli_refuses_with_dutch_message_and_exit_1(bases: Bases, corpus_dir: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", bases.sqlite)
    bad = next(c for c in CASES if c.name == "formule").build(bases, corpus_dir)
    before = tree_hashes(data_dir)
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--data-dir", str(data_dir), "import", str(bad),
                             "--yes"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert "bevat een formule" in result.stderr
    assert "kan niet worden ingelezen; er is niets gewijzigd" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hashes(data_dir) == before


def test_external_links_are_ignored_with_a_warning(bases: Bases, tmp_path: Path) -> None:
    """An external link part is never followed; the workbook still imports when its cells are plain."""
    from tests.import_corpus import edit_zip

    def add_link(parts: dict[str, bytes]) -> None:
        parts["xl/externalLinks/externalLink1.xml"] = (
            b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            b'r:id="rId1"/></externalLink>'
        )
        parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'externalLinkPath" Target="file:///C:/geheim/lonen.xlsx" TargetMode="External"/></Relationships>'
        )

    linked = edit_zip(bases.xlsx, tmp_path / "extern.xlsx", add_link)
    preview = inspect(linked, None)
    assert preview.ok, [str(p) for p in preview.errors]
    assert any("externe werkmap" in str(w) for w in preview.warnings)


def test_triggers_and_extra_views_in_a_database_are_ignored(bases: Bases, tmp_path: Path) -> None:
    from tests.import_corpus import edit_db

    db = edit_db(
        bases.sqlite, tmp_path / "met-trigger.sqlite",
        "CREATE TABLE spion (x TEXT)",
        "CREATE TRIGGER t AFTER INSERT ON intervention BEGIN INSERT INTO spion VALUES ('x'); END",
        "CREATE VIEW extra AS SELECT load_extension('kwaad') AS x",
    )
    data_dir = make_data_dir(tmp_path / "home", bases.sqlite)
    preview = inspect(db, paths.installed_model_path(data_dir))
    assert preview.ok, [str(p) for p in preview.errors]
    apply(preview, data_dir)
    import sqlite3

    conn = sqlite3.connect(paths.installed_model_path(data_dir))
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not names & {"spion", "t", "extra"}  # nothing of the foreign file's structure survives
