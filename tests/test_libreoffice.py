"""Workbooks edited in LibreOffice Calc itself (issue 9.2, issue 10): what an editor or a user does there.

Calc runs headless through `tests/calc_edit.py` in a Dutch locale; every edited workbook is made in one
Calc session per module. Skipped with a reason when LibreOffice or its Python bridge is missing
(`.ci/run` installs both, so CI runs these).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from desktop.core import paths
from desktop.core.model.sqlite_codec import write_model
from desktop.core.model.toml_codec import load_source
from desktop.core.model.xlsx_write import write_workbook
from desktop.core.search.repository import ModelRepository
from desktop.core.updates.apply import apply
from desktop.core.updates.describe import describe_preview
from desktop.core.updates.inspect import inspect
from desktop.core.workspace.exchange import export_notes, import_notes
from desktop.core.workspace.store import Workspace
from tests.import_corpus import make_data_dir

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"


def uno_python() -> str:
    """A Python that can drive Calc: LibreOffice's own or the system one with python3-uno."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is niet geïnstalleerd; .ci/run installeert het")
    for candidate in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", shutil.which("python3") or ""):
        if candidate and Path(candidate).exists() and subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0:
            return candidate
    pytest.skip("de Python-koppeling van LibreOffice (python3-uno) ontbreekt; .ci/run installeert die")


def run_calc(folder: Path, jobs: list[dict[str, Any]]) -> None:
    job_file = folder / "jobs.json"
    job_file.write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run([uno_python(), str(HERE / "calc_edit.py"), str(job_file)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for job in jobs:
        assert Path(job["dst"]).exists(), f"Calc did not save {job['dst']}"


@pytest.fixture(scope="module")
def calc_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The published mini workbook, edited in Calc in the ways an editor does."""
    folder = tmp_path_factory.mktemp("calc")
    book = folder / "gepubliceerd.xlsx"
    write_workbook(load_source(MINI), book)
    edits: dict[str, list[dict[str, Any]]] = {
        "row-deleted": [{"do": "delete-row", "sheet": "aliassen", "row": 2},
                        {"do": "delete-row", "sheet": "risicofactoren", "row": 3}],
        "sorted": [{"do": "sort", "sheet": "themas", "header": "naam"}],
        "renamed": [{"do": "type", "sheet": "themas", "header": "naam", "row": 2, "text": "Persoonlijke groei"},
                    {"do": "type", "sheet": "interventies", "header": "trede", "row": 2, "text": "4"}],
        "column-inserted": [{"do": "insert-column", "sheet": "interventies", "before": "naam",
                             "header": "opmerking van de redactie"}],
        "date-typed": [{"do": "type", "sheet": "metadata", "header": "waarde", "row": 4, "text": "15-1-2027"}],
        "resaved": [],
    }
    books = {name: folder / f"{name}.xlsx" for name in edits}
    run_calc(folder, [{"src": str(book), "dst": str(books[name]), "edits": change}
                      for name, change in edits.items()])
    return books


@pytest.fixture()
def current(tmp_path: Path) -> Path:
    path = tmp_path / "huidig.sqlite"
    write_model(load_source(MINI), path)
    return path


def preview_text(book: Path, current: Path) -> str:
    preview = inspect(book, current, set())
    assert preview.ok, [str(p) for p in preview.errors]
    return "\n".join(describe_preview(preview))


def test_a_workbook_calc_only_saved_changes_nothing(calc_books: dict[str, Path], current: Path) -> None:
    text = preview_text(calc_books["resaved"], current)
    assert "Het model verandert niet inhoudelijk." in text
    assert "Alleen de metagegevens" not in text


def test_a_deleted_row_is_one_change_and_applies(calc_books: dict[str, Path], current: Path,
                                                  tmp_path: Path) -> None:
    """Calc declares 1,048,576 rows after a delete; only the rows a person sees count."""
    preview = inspect(calc_books["row-deleted"], current, set())
    assert preview.ok, [str(p) for p in preview.errors]
    text = "\n".join(describe_preview(preview))
    assert "andere naam verwijderd: Under Pressure (mediawijsheid)" in text
    assert "identiteitscrises" in text
    assert "bouwstenen: 1 gewijzigd" in text and "interventies: 1 gewijzigd" in text

    data_dir = make_data_dir(tmp_path / "home", current)
    apply(preview, data_dir)
    with ModelRepository.open(paths.installed_model_path(data_dir)) as repo:
        model = repo.model()
    assert model.interventions[0].aliases == []
    assert model.blocks[0].risk_factors == ["jongere leeftijd"]


def test_a_sorted_sheet_shows_the_new_order(calc_books: dict[str, Path], current: Path) -> None:
    text = preview_text(calc_books["sorted"], current)
    assert "volgorde van de thema's: Persoonlijke ontwikkeling; Cognitieve vaardigheden en hulpbronnen → " \
           "Cognitieve vaardigheden en hulpbronnen; Persoonlijke ontwikkeling" in text
    assert "niet inhoudelijk" not in text


def test_an_edited_theme_name_and_a_typed_number_are_previewed_field_by_field(calc_books: dict[str, Path],
                                                                              current: Path) -> None:
    text = preview_text(calc_books["renamed"], current)
    assert "naam: Persoonlijke ontwikkeling → Persoonlijke groei" in text
    assert "trede: 2 → 4" in text


def test_an_inserted_column_is_named_and_changes_nothing(calc_books: dict[str, Path], current: Path) -> None:
    preview = inspect(calc_books["column-inserted"], current, set())
    assert preview.ok
    assert any("opmerking van de redactie" in str(w) for w in preview.warnings)
    assert "Het model verandert niet inhoudelijk." in "\n".join(describe_preview(preview))


def test_a_date_typed_the_dutch_way_is_the_publication_date(calc_books: dict[str, Path], current: Path) -> None:
    text = preview_text(calc_books["date-typed"], current)
    assert "2026-11-22 → 2027-01-15" in text


def test_notes_edited_in_calc_come_back_without_losing_any(tmp_path: Path) -> None:
    """A user sorts the export, types a Dutch date, rewrites a note and deletes a row; then imports it."""
    with Workspace(tmp_path / "werkruimte.sqlite") as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", status="overwogen", entry_date="2026-05-01",
                            text="Eerste indruk")
        workspace.add_entry("radicalise", "Radicalise", status="ingezet", entry_date="2026-06-01", text="Goed")
        workspace.add_entry("said-en-lody", "Saïd & Lody", status="ingezet", entry_date="2026-06-02",
                            text="Leerlingen praatten lang na")
        export = tmp_path / "notities.xlsx"
        export_notes(workspace, export)
        edited = tmp_path / "notities-bewerkt.xlsx"
        # sorted Z→A: row 2 Under Pressure, row 3 Saïd & Lody, row 4 Radicalise
        run_calc(tmp_path, [{"src": str(export), "dst": str(edited), "edits": [
            {"do": "sort", "sheet": "Notities", "header": "Interventie", "descending": True},
            {"do": "type", "sheet": "Notities", "header": "Datum", "row": 2, "text": "3-7-2026"},
            {"do": "type", "sheet": "Notities", "header": "Notitie", "row": 3, "text": "Leerlingen praatten ‘lang’ na"},
            {"do": "delete-row", "sheet": "Notities", "row": 4},
        ]}])
        result = import_notes(workspace, edited)
        assert (result.updated, result.conflicts, result.problems) == (2, 0, [])
        notes = {e.intervention_id: e for e in workspace.all_entries()}
        assert notes["under-pressure"].entry_date == "2026-07-03"
        assert notes["said-en-lody"].text == "Leerlingen praatten ‘lang’ na"
        assert notes["radicalise"].text == "Goed"  # a row deleted in the export never deletes the note
