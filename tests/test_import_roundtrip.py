"""Importing published workbooks and databases: round trips, matching by name, preview, apply, rollback."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop import cli_model
from desktop.core import paths
from desktop.core.builder import build_model, write_model
from desktop.core.model_import import (
    BUNDLED_MARKER,
    PREVIOUS,
    PREVIOUS_SWAP,
    STAGING,
    ImportCancelled,
    ModelImportError,
    apply,
    cleanup_staging,
    describe_preview,
    inspect,
    previous_version,
    read_history,
    rollback,
)
from desktop.core.source import Intervention, ModelSource, load_source
from desktop.core.workbook import write_workbook
from tests.import_corpus import (
    assert_same_model,
    changed_mini,
    document,
    edit_workbook,
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


def test_workbook_round_trip_gives_the_same_model(real_source: ModelSource, real_model_path: Path,
                                                  tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    write_workbook(real_source, book)
    preview = inspect(book, real_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert not preview.added and not preview.changed and not preview.removed
    apply(preview, tmp_path / "home")
    assert_same_model(real_model_path, paths.installed_model_path(tmp_path / "home"))


def test_database_round_trip_gives_the_same_model(real_model_path: Path, tmp_path: Path) -> None:
    preview = inspect(real_model_path, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.kind == "sqlite" and len(preview.added) > 100
    apply(preview, tmp_path / "home")
    assert_same_model(real_model_path, paths.installed_model_path(tmp_path / "home"))


def test_workbook_without_ids_imports_by_names(real_source: ModelSource, real_model_path: Path,
                                               tmp_path: Path) -> None:
    book = tmp_path / "zonder-ids.xlsx"
    write_workbook(real_source, book, include_ids=False)
    wb = openpyxl.load_workbook(book, read_only=True)
    headers = [c.value for c in next(wb["interventies"].iter_rows(max_row=1))]
    wb.close()
    assert "id" not in headers
    preview = inspect(book, real_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert not preview.added and not preview.changed and not preview.removed
    apply(preview, tmp_path / "home")
    assert_same_model(real_model_path, paths.installed_model_path(tmp_path / "home"))


def test_without_ids_a_new_name_gets_a_new_id_and_aliases_match(tmp_path: Path, mini_model_path: Path) -> None:
    source = load_source(MINI)
    source.interventions[0].name = "Under Pressure (mediawijsheid)"  # its alias in the current model
    source.interventions.append(Intervention(
        id="x", name="Nieuw Spel", aliases=[], type_text=None, offered=None, description=None, goal=None,
        explicit=None, target_group=None, provider=None, trede=None, trede_label=None, trede_source=None,
        evaluation=None, links=[], source=None,
    ))
    book = tmp_path / "namen.xlsx"
    write_workbook(source, book, include_ids=False)
    preview = inspect(book, mini_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.added == [("nieuw-spel", "Nieuw Spel")]
    assert [c.id for c in preview.changed] == ["under-pressure"]


def test_ambiguous_name_against_the_current_model_is_reported(tmp_path: Path) -> None:
    source = load_source(MINI)
    source.interventions[1].aliases = ["Under Pressure"]  # 'radicalise' now also answers to that name
    current = tmp_path / "huidig.sqlite"
    write_model(source, current)
    book = tmp_path / "zonder-ids.xlsx"
    write_workbook(load_source(MINI), book, include_ids=False)
    preview = inspect(book, current, set())
    assert not preview.ok
    message = next(str(p) for p in preview.errors if "meerdere bestaande" in str(p))
    assert "'Under Pressure'" in message and "under-pressure" in message and "radicalise" in message
    assert "tabblad 'interventies', rij 2" in message


def test_published_text_is_never_a_formula(tmp_path: Path) -> None:
    source = load_source(MINI)
    risky = ["=HYPERLINK(\"http://kwaad.example\";\"klik\")", "+31 6 1234", "-min", "@SUM(A1)", "\tinspringen"]
    source.interventions[0].description = risky[0]
    source.interventions[0].goal = risky[1]
    source.interventions[0].provider = risky[2]
    source.interventions[0].evaluation = risky[3]
    source.interventions[0].target_group = risky[4]
    book = tmp_path / "risico.xlsx"
    write_workbook(source, book)
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    wb = openpyxl.load_workbook(book)
    ws = wb["interventies"]
    assert ws["E2"].data_type == "s" and ws["E2"].quotePrefix
    preview = inspect(book, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.parsed is not None
    iv = preview.parsed.source.interventions[0]
    assert [iv.description, iv.goal, iv.provider, iv.evaluation] == risky[:4]
    assert iv.target_group == risky[4].strip()  # surrounding white space is never kept


def test_values_excel_retyped_are_understood(tmp_path: Path) -> None:
    """A person editing in Excel may turn '2026-11-22' into a date, '4' into 4 and 'ja' into TRUE."""
    book = tmp_path / "model.xlsx"
    write_workbook(load_source(MINI), book)

    def change(wb: Any) -> None:
        set_cell("metadata", "waarde", 4, dt.datetime(2027, 1, 15))(wb)
        set_cell("interventietypen", "code", 2, 1)(wb)
        set_cell("koppelingen", "expliciet", 2, True)(wb)
        set_cell("interventies", "trede", 2, 3.0)(wb)

    edited = edit_workbook(book, tmp_path / "excel.xlsx", change)
    preview = inspect(edited, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.parsed is not None
    assert preview.parsed.source.meta["published"] == "2027-01-15"
    assert preview.parsed.source.intervention_types[0].code == "1"


def test_preview_lists_changes_field_by_field_and_affected_notes(mini_model_path: Path, tmp_path: Path) -> None:
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    preview = inspect(book, mini_model_path, {"under-pressure", "radicalise", "said-en-lody"})
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.added == [("weerbaar-online", "Weerbaar Online")]
    assert preview.removed == [("radicalise", "Radicalise")]
    assert [c.id for c in preview.changed] == ["under-pressure"]
    fields = {c.field: (c.old, c.new) for c in preview.changed[0].changes}
    assert fields["trede"] == ("2", "3")
    assert "evaluatie" in fields["links"][1]
    assert preview.clusters_added == [("kritisch-denken", "Kritisch denken")]
    assert preview.affected_notes == ["radicalise", "under-pressure"]
    assert preview.new_meta["model_version"] == "2.0" and preview.old_meta["model_version"] == "1.0"
    text = "\n".join(describe_preview(preview))
    assert "1 toegevoegd, 1 gewijzigd, 1 verwijderd" in text and "trede: 2 -> 3" in text


def test_apply_keeps_the_previous_model_and_rollback_swaps(mini_model_path: Path, tmp_path: Path) -> None:
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
    assert (paths.installed_model_path(data_dir).parent / PREVIOUS).exists()
    assert rollback(data_dir)
    assert document(paths.installed_model_path(data_dir))["meta"]["model_version"] == "2.0"
    assert (paths.installed_model_path(data_dir).parent / BUNDLED_MARKER).exists()


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
        with pytest.raises(ImportCancelled, match="niet gewijzigd"):
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
    with pytest.raises(ModelImportError, match="opnieuw"):
        apply(preview, data_dir)


def test_cleanup_removes_what_a_crash_left(mini_model_path: Path, tmp_path: Path) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    folder = paths.installed_model_path(data_dir).parent
    for name in (STAGING, "previous.sqlite.tmp", "model.sqlite.building", PREVIOUS_SWAP):
        (folder / name).write_bytes(b"half")
    removed = cleanup_staging(data_dir)
    assert set(removed) == {STAGING, "previous.sqlite.tmp", "model.sqlite.building"}
    assert (folder / PREVIOUS).read_bytes() == b"half"  # a swapped-out model became the previous one
    assert sorted(p.name for p in folder.iterdir()) == ["model.sqlite", PREVIOUS]
    assert cleanup_staging(tmp_path / "nergens") == []


def run_cli(data_dir: Path, *argv: str) -> int | None:
    parser = argparse.ArgumentParser(prog="bouwstenen")
    cli_model.add_commands(parser.add_subparsers(dest="command"))
    return cli_model.run_command(parser.parse_args(list(argv)), data_dir)


def test_cli_dry_run_shows_the_preview_and_changes_nothing(mini_model_path: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    before = tree_hashes(data_dir)
    assert run_cli(data_dir, "import", str(book), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Gewijzigd (1)" in out and "Verwijderd (1)" in out and "Proefrit" in out
    assert "Uw notities" in out and "under-pressure" in out  # the fixture workspace has a note there
    assert tree_hashes(data_dir) == before


def test_cli_import_rollback_and_history(mini_model_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    assert run_cli(data_dir, "import", str(book)) == 1  # no terminal to confirm on, no --yes
    assert "--yes" in capsys.readouterr().err
    assert run_cli(data_dir, "import", str(book), "--yes") == 0
    assert "bijgewerkt naar versie 2.0" in capsys.readouterr().out
    assert run_cli(data_dir, "rollback", "--yes") == 0
    assert run_cli(data_dir, "history", "--json") == 0
    out = capsys.readouterr().out
    history = json.loads(out[out.index("["):])
    assert [h["action"] for h in history] == ["import", "rollback"]
    assert history[0]["model_version"] == "2.0" and history[1]["model_version"] == "1.0"
    assert cli_model.run_command(argparse.Namespace(command="info"), data_dir) is None  # not one of ours


def test_cli_rollback_without_previous_fails_in_dutch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, "rollback", "--yes") == 1
    assert "geen vorige versie" in capsys.readouterr().err


def test_import_leaves_the_notes_alone(mini_model_path: Path, tmp_path: Path) -> None:
    from desktop.core.workspace import Workspace

    data_dir = make_data_dir(tmp_path / "home", mini_model_path)
    book = tmp_path / "v2.xlsx"
    write_workbook(changed_mini(), book)
    apply(inspect(book, paths.installed_model_path(data_dir), set()), data_dir)
    workspace = Workspace(paths.workspace_path(data_dir))
    try:
        notes = workspace.all_entries()
    finally:
        workspace.close()
    assert [(n.intervention_id, n.text) for n in notes] == [("under-pressure", "Goed ontvangen op school.")]


def test_a_database_is_read_from_a_private_copy(tmp_path: Path, mini_model_path: Path) -> None:
    """The database is read from a private copy: the original file is never opened for writing."""
    original = tmp_path / "gepubliceerd.sqlite"
    shutil.copyfile(mini_model_path, original)
    original.chmod(0o444)
    preview = inspect(original, None, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gepubliceerd.sqlite"]
