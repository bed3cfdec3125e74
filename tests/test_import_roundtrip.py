"""Importing published workbooks and databases: round trips, the whole-model preview, apply, versions."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop import cli
from desktop.core import paths
from desktop.core.errors import UpdateCancelled, UpdateError
from desktop.core.model.build import build_model
from desktop.core.model.entities import Intervention
from desktop.core.model.entities import Model as ModelSource
from desktop.core.model.json_codec import model_document, read_document
from desktop.core.model.model_file import APPLICATION_ID
from desktop.core.model.sqlite_codec import write_model
from desktop.core.model.toml_codec import load_source
from desktop.core.model.xlsx_write import write_workbook
from desktop.core.updates import apply as updates
from desktop.core.updates.apply import apply, kept_versions, previous_version, reconcile, restore, rollback
from desktop.core.updates.describe import describe_preview
from desktop.core.updates.history import read_history
from desktop.core.updates.inspect import inspect
from desktop.core.workspace.store import Workspace
from tests.import_corpus import (
    assert_same_model,
    changed_mini,
    document,
    edit_workbook,
    header_column,
    make_data_dir,
    set_cell,
    tree_hashes,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def real_source() -> ModelSource:
    return load_source(DATA)


def test_every_format_round_trips_losslessly_order_included(real_source: ModelSource, tmp_path: Path) -> None:
    """data -> sqlite -> xlsx -> sqlite -> json -> model: the same model at every step."""
    first = tmp_path / "een.sqlite"
    write_model(real_source, first)
    from_db = inspect(first, None)
    assert from_db.ok, [str(p) for p in from_db.errors]
    assert from_db.model == real_source
    book = tmp_path / "model.xlsx"
    write_workbook(from_db.model, book)
    from_book = inspect(book, None)
    assert from_book.ok, [str(p) for p in from_book.errors]
    assert from_book.model == real_source
    second = tmp_path / "twee.sqlite"
    write_model(from_book.model, second)
    again = inspect(second, None)
    assert again.model == real_source
    document = json.loads(json.dumps(model_document(again.model)))
    assert read_document(document) == real_source
    assert [iv.id for iv in again.model.interventions] == [iv.id for iv in real_source.interventions]


def test_workbook_round_trip_gives_the_same_model(real_source: ModelSource, real_model_path: Path,
                                                  tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    write_workbook(real_source, book)
    preview = inspect(book, real_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.diff.is_empty
    apply(preview, tmp_path / "home")
    assert_same_model(real_model_path, paths.installed_model_path(tmp_path / "home"))


def test_database_round_trip_gives_the_same_model(real_model_path: Path, tmp_path: Path) -> None:
    preview = inspect(real_model_path, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.kind == "sqlite" and len(preview.diff.of("intervention", "toegevoegd")) > 100
    apply(preview, tmp_path / "home")
    assert_same_model(real_model_path, paths.installed_model_path(tmp_path / "home"))


def test_published_database_is_marked_and_survives_a_sql_dump(mini_model_path: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(mini_model_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    dumped = tmp_path / "herbouwd.sqlite"
    if shutil.which("sqlite3"):
        dump = subprocess.run(["sqlite3", str(mini_model_path), ".dump"], capture_output=True, check=True,
                              timeout=60).stdout
        subprocess.run(["sqlite3", str(dumped)], input=dump, check=True, timeout=60)
    else:  # Python's own dump, which also loses PRAGMA user_version
        source = sqlite3.connect(mini_model_path)
        target = sqlite3.connect(dumped)
        target.executescript("\n".join(line for line in source.iterdump() if "intervention_fts" not in line))
        target.close()
        source.close()
    assert sqlite3.connect(dumped).execute("PRAGMA user_version").fetchone()[0] == 0
    preview = inspect(dumped, mini_model_path)
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.diff.is_empty


def test_a_new_row_without_id_gets_one_from_its_name(tmp_path: Path, mini_model_path: Path) -> None:
    source = load_source(MINI)
    source.interventions.append(Intervention(id="x", name="Nieuw Spel"))
    book = tmp_path / "nieuw.xlsx"
    write_workbook(source, book)

    def clear_id(wb: Any) -> None:
        ws = wb["interventies"]
        ws.cell(row=ws.max_row, column=header_column(ws, "id")).value = None

    edited = edit_workbook(book, tmp_path / "zonder-id.xlsx", clear_id)
    preview = inspect(edited, mini_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert [c.key for c in preview.diff.of("intervention", "toegevoegd")] == ["nieuw-spel"]
    assert any("krijgt de id 'nieuw-spel'" in str(w) for w in preview.warnings)


def test_published_text_is_never_a_formula(tmp_path: Path) -> None:
    source = load_source(MINI)
    risky = ["=HYPERLINK(\"http://kwaad.example\";\"klik\")", "+31 6 1234", "-min", "@SUM(A1)", "\tinspringen"]
    iv = source.interventions[0]
    iv.description, iv.goal, iv.provider, iv.evaluation, iv.target_group = risky
    book = tmp_path / "risico.xlsx"
    write_workbook(source, book)
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    wb = openpyxl.load_workbook(book)
    ws = wb["interventies"]
    cell = ws.cell(row=2, column=header_column(ws, "omschrijving"))
    assert cell.data_type == "s" and cell.quotePrefix
    preview = inspect(book, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.model is not None
    got = preview.model.interventions[0]
    assert [got.description, got.goal, got.provider, got.evaluation] == risky[:4]
    assert got.target_group == risky[4].strip()  # surrounding white space is never kept


def test_values_a_spreadsheet_retyped_are_understood(tmp_path: Path) -> None:
    """Excel or Calc may turn '2026-11-22' into a date, '4' into 4 and 'ja' into TRUE or 'JA'."""
    book = tmp_path / "model.xlsx"
    write_workbook(load_source(MINI), book)

    def change(wb: Any) -> None:
        set_cell("metadata", "waarde", 4, dt.datetime(2027, 1, 15))(wb)
        set_cell("interventietypen", "code", 2, 1)(wb)
        set_cell("koppelingen", "expliciet", 2, True)(wb)
        set_cell("koppelingen", "aangeboden", 2, "JA")(wb)
        set_cell("koppelingen", "via gemeenten", 2, "WAAR")(wb)
        set_cell("interventies", "trede", 2, 3.0)(wb)
        set_cell("interventies", "trede", 3, " 3 ")(wb)

    edited = edit_workbook(book, tmp_path / "excel.xlsx", change)
    preview = inspect(edited, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.model is not None
    assert preview.model.meta["published"] == "2027-01-15"
    assert preview.model.intervention_types[0].code == "1"
    first = preview.model.clusters()[0].examples[0]
    assert first.explicit is True and first.offered is True and first.via_municipality is True


def test_a_date_typed_in_dutch_is_read_as_meant(tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    write_workbook(load_source(MINI), book)
    edited = edit_workbook(book, tmp_path / "datum.xlsx", set_cell("metadata", "waarde", 4, "15-01-2027"))
    preview = inspect(edited, None, set())
    assert preview.ok and preview.model is not None
    assert preview.model.meta["published"] == "2027-01-15"


def test_strict_where_a_file_is_ambiguous(tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    write_workbook(load_source(MINI), book)

    def ambiguous(wb: Any) -> None:
        wb["metadata"].append(["publisher", "Iemand anders"])  # a metadata key given twice
        ws = wb["subfactoren"]
        ws.append([ws.cell(row=2, column=1).value, None, ws.cell(row=2, column=3).value])  # duplicate list row
        links = wb["koppelingen"]
        links.cell(row=2, column=header_column(links, "factor-id")).value = None  # the name beside it still counts
        links.cell(row=3, column=header_column(links, "factor-id")).value = None
        links.cell(row=3, column=header_column(links, "beschermende factor")).value = None
        ws = wb["interventies"]
        ws.cell(row=1, column=ws.max_column + 1).value = "opmerking van de redactie"  # unknown column: a warning
        extra = wb.create_sheet("werkblad van Piet")  # unknown sheet: ignored, its formula too
        extra["A1"] = "=SUM(1,2)"

    preview = inspect(edit_workbook(book, tmp_path / "dubbel.xlsx", ambiguous), None)
    errors = "\n".join(str(p) for p in preview.errors)
    assert "sleutel 'publisher' komt twee keer voor" in errors
    assert "staat dubbel bij dezelfde beschermende factor" in errors
    assert "beschermende factor ontbreekt" in errors
    assert "formule" not in errors
    assert any("opmerking van de redactie" in str(w) for w in preview.warnings)


def test_a_notes_export_offered_as_a_model_is_named(tmp_path: Path) -> None:
    from desktop.core.workspace.exchange import export_notes

    with Workspace(tmp_path / "ws.sqlite") as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", text="Goed")
        export_notes(workspace, tmp_path / "notities.xlsx")
    preview = inspect(tmp_path / "notities.xlsx", None)
    assert not preview.ok
    assert "export van notities en werksets, geen model" in str(preview.errors[0])


def test_preview_covers_the_whole_model(mini_model_path: Path, tmp_path: Path) -> None:
    source = changed_mini()
    source.blocks[0].themes[0].name = "Nieuwe themanaam"
    source.blocks[0].themes[0].clusters[0].focus = "een andere focus"
    source.texts["risk_factor_warning"] += " Extra zin."
    source.effectladder[1].explanation = "Nieuwe uitleg."
    source.intervention_types[1].working_elements.append("Een nieuw werkzaam element")
    book = tmp_path / "v2.xlsx"
    write_workbook(source, book)
    preview = inspect(book, mini_model_path, {"under-pressure", "radicalise", "said-en-lody"})
    assert preview.ok, [str(p) for p in preview.errors]
    diff = preview.diff
    assert [c.key for c in diff.of("intervention", "toegevoegd")] == ["weerbaar-online"]
    assert [c.key for c in diff.of("intervention", "verwijderd")] == ["radicalise"]
    changed = {c.key: c for c in diff.of("intervention", "gewijzigd")}
    fields = {f.label: (f.old, f.new) for f in changed["under-pressure"].fields}
    assert fields["trede"] == ("2", "3")
    assert any("evaluatie" in f.new for f in changed["under-pressure"].fields if f.label == "link toegevoegd")
    assert [c.key for c in diff.of("cluster", "toegevoegd")] == ["kritisch-denken"]
    theme = diff.of("theme", "gewijzigd")[0]
    assert ("naam", ("Persoonlijke ontwikkeling", "Nieuwe themanaam")) in [(f.label, (f.old, f.new)) for f in
                                                                            theme.fields]
    assert any(f.label == "focus" for c in diff.of("cluster", "gewijzigd") for f in c.fields)
    assert diff.of("text", "gewijzigd") and diff.of("effect_level", "gewijzigd")
    assert any(f.label == "werkzaam element toegevoegd" for f in diff.of("intervention_type")[0].fields)
    assert preview.affected_notes == ["radicalise", "under-pressure"]
    text = "\n".join(describe_preview(preview))
    assert "interventies: 1 toegevoegd, 1 gewijzigd, 1 verwijderd" in text
    assert "Thema ‘Nieuwe themanaam’" in text and "trede: 2 → 3" in text
    assert "[under-pressure]" not in text  # ids only for editors (--ids)


def test_same_model_says_it_does_not_change(mini_model_path: Path, tmp_path: Path) -> None:
    book = tmp_path / "zelfde.xlsx"
    write_workbook(load_source(MINI), book)
    preview = inspect(book, mini_model_path)
    assert preview.ok and preview.diff.is_empty
    assert "Het model verandert niet inhoudelijk." in "\n".join(describe_preview(preview))


def test_apply_keeps_versions_and_rollback_swaps(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    live = paths.installed_model_path(data_dir)
    record = apply(inspect(book, live, set()), data_dir)
    assert record.model_version == "2.0" and record.counts["interventions"] == 3 and len(record.sha256) == 64
    assert document(live)["meta"]["model_version"] == "2.0"
    previous = previous_version(data_dir)
    assert previous is not None and previous.model_version == "1.0" and not previous.bundled
    assert rollback(data_dir)
    assert_same_model(mini_model_path, live)
    assert rollback(data_dir)  # and back again: a rollback can be undone
    assert document(live)["meta"]["model_version"] == "2.0"
    history = read_history(data_dir)
    assert [h["action"] for h in history] == ["import", "rollback", "rollback"]
    assert history[0]["file_name"] == "v2.xlsx" and history[0]["counts"]["interventions"] == 3


def test_importing_the_same_file_twice_keeps_the_last_different_version(mini_model_path: Path,
                                                                         tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    live = paths.installed_model_path(data_dir)
    apply(inspect(book, live, set()), data_dir)
    apply(inspect(book, live, set()), data_dir)  # the same file again
    previous = previous_version(data_dir)
    assert previous is not None and previous.model_version == "1.0"
    assert [v.model_version for v in kept_versions(data_dir)] == ["1.0"]
    assert rollback(data_dir)
    assert document(live)["meta"]["model_version"] == "1.0"


def test_any_kept_version_can_come_back(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    live = paths.installed_model_path(data_dir)
    for version in ("2.0", "3.0", "4.0"):
        source = load_source(MINI)
        source.meta["model_version"] = version
        source.interventions[0].goal = f"Doel in versie {version}"
        book = tmp_path / f"v{version}.xlsx"
        write_workbook(source, book)
        apply(inspect(book, live, set()), data_dir)
    assert [v.model_version for v in kept_versions(data_dir)] == ["3.0", "2.0", "1.0"]
    oldest = kept_versions(data_dir)[-1]
    assert restore(data_dir, oldest) is not None
    assert document(live)["meta"]["model_version"] == "1.0"
    assert "4.0" in [v.model_version for v in kept_versions(data_dir)]


def test_first_import_over_the_bundled_model_rolls_back_to_it(mini_model_path: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(mini_model_path))
    data_dir = tmp_path / "home"
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    apply(inspect(book, paths.active_model_path(data_dir), set()), data_dir)
    assert paths.active_model_path(data_dir) == paths.installed_model_path(data_dir)
    previous = previous_version(data_dir)
    assert previous is not None and previous.bundled
    assert rollback(data_dir)
    assert paths.active_model_path(data_dir) == mini_model_path  # the bundled model is active again
    assert rollback(data_dir)
    assert document(paths.installed_model_path(data_dir))["meta"]["model_version"] == "2.0"


def test_nothing_to_roll_back(tmp_path: Path) -> None:
    assert previous_version(tmp_path) is None
    assert rollback(tmp_path) is False


def test_cancel_before_the_swap_changes_nothing(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    preview = inspect(book, paths.installed_model_path(data_dir), set())
    before = tree_hashes(data_dir)
    steps: list[int] = []
    for stop_at in (1, 3, 4):
        steps.clear()
        with pytest.raises(UpdateCancelled, match="niet gewijzigd"):
            apply(preview, data_dir, lambda step, _t, _l: steps.append(step),
                  lambda stop_at=stop_at: len(steps) >= stop_at)
        assert tree_hashes(data_dir) == before


def test_a_changed_current_model_needs_a_new_check(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    live = paths.installed_model_path(data_dir)
    preview = inspect(book, live, set())
    build_model(MINI, live)  # someone replaced the model in the meantime
    with pytest.raises(UpdateError, match="opnieuw"):
        apply(preview, data_dir)


def test_history_is_written_even_when_the_process_dies_after_the_swap(mini_model_path: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)

    def dies(*_args: object) -> None:
        raise SystemExit("het proces stopt hier")

    monkeypatch.setattr(updates, "record_history", dies)
    with pytest.raises(SystemExit):
        apply(inspect(book, paths.installed_model_path(data_dir), set()), data_dir)
    monkeypatch.undo()
    assert read_history(data_dir) == []
    assert document(paths.installed_model_path(data_dir))["meta"]["model_version"] == "2.0"
    notes = reconcile(data_dir)  # the next start
    assert notes and "2.0" in notes[0]
    assert [h["model_version"] for h in read_history(data_dir)] == ["2.0"]
    assert reconcile(data_dir) == []  # and only once


def test_cleanup_removes_what_a_crash_left(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    folder = paths.installed_model_path(data_dir).parent
    for name in (updates.STAGING, "model.sqlite.building", "iets.tmp"):
        (folder / name).write_bytes(b"half")
    reconcile(data_dir)
    assert sorted(p.name for p in folder.iterdir()) == ["model.sqlite"]
    assert reconcile(tmp_path / "nergens") == []


def test_cli_dry_run_shows_the_preview_and_changes_nothing(mini_model_path: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    before = tree_hashes(data_dir)
    assert cli.main(["--data-dir", str(data_dir), "import", str(book), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "interventies: 1 toegevoegd, 1 gewijzigd, 1 verwijderd" in out and "Proefrit" in out
    assert "Uw notities" in out and "under-pressure" in out  # the fixture workspace has a note there
    assert tree_hashes(data_dir) == before
    assert cli.main(["--data-dir", str(data_dir), "import", str(book), "--dry-run", "--ids"]) == 0
    assert "[weerbaar-online]" in capsys.readouterr().out


def test_cli_import_rollback_and_history(mini_model_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    assert cli.main(["--data-dir", str(data_dir), "import", str(book)]) == 1  # no terminal to confirm, no --yes
    assert "--yes" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data_dir), "import", str(book), "--yes"]) == 0
    assert "bijgewerkt naar versie 2.0" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(data_dir), "rollback", "--yes"]) == 0
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data_dir), "history", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    history = out["history"] if isinstance(out, dict) else out
    assert [h["action"] for h in history] == ["import", "rollback"]
    assert history[0]["model_version"] == "2.0" and history[1]["model_version"] == "1.0"


def test_cli_rollback_without_previous_fails_in_dutch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path), "rollback", "--yes"]) == 1
    assert "geen vorige versie" in capsys.readouterr().err


def test_import_leaves_the_notes_alone(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    apply(inspect(book, paths.installed_model_path(data_dir), set()), data_dir)
    with Workspace(paths.workspace_path(data_dir)) as workspace:
        notes = workspace.all_entries()
    assert [(n.intervention_id, n.text) for n in notes] == [("under-pressure", "Goed ontvangen op school.")]


def test_a_database_is_read_from_a_private_copy(tmp_path: Path, mini_model_path: Path) -> None:
    """The database is read from a private copy: the original file is never opened for writing."""
    original = tmp_path / "gepubliceerd.sqlite"
    shutil.copyfile(mini_model_path, original)
    original.chmod(0o444)
    preview = inspect(original, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gepubliceerd.sqlite"]
