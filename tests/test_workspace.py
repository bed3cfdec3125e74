"""The user's workspace: notes, shortlists, survival, export/import, backups and recovery."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from desktop.core.builder import write_model
from desktop.core.notes_exchange import export_notes, import_notes
from desktop.core.paths import workspace_path
from desktop.core.repository import ModelRepository
from desktop.core.source import load_source
from desktop.core.workspace import Workspace, WorkspaceError
from desktop.core.workspace_safety import backups, make_backup, open_workspace

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    workspace, messages = open_workspace(tmp_path / "home")
    assert messages == []
    return workspace


def test_workspace_is_its_own_wal_file(ws: Workspace, tmp_path: Path) -> None:
    assert ws.path == tmp_path / "home" / "workspace.sqlite"
    assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ws.conn.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_note_log_per_intervention(ws: Workspace) -> None:
    first = ws.add_entry("under-pressure", "Under Pressure", status="gepland", entry_date="2026-01-10")
    ws.add_entry("under-pressure", "Under Pressure", status="ingezet", entry_date="2026-03-01",
                 place="Klas 3b, De Vaart", partners="wijkteam", outcome="Goed ontvangen", text="Herhalen in mei")
    ws.update_entry(first.id, text="Eerst met docenten overleggen")
    entries = ws.entries_for("under-pressure")
    assert [e.status for e in entries] == ["ingezet", "gepland"]  # newest first
    assert entries[1].text == "Eerst met docenten overleggen"
    assert ws.latest_status() == {"under-pressure": "ingezet"}
    assert ws.ids_with_status({"gepland"}) == {"under-pressure"}
    with pytest.raises(WorkspaceError):
        ws.add_entry("x", "X", status="misschien")


def test_shortlists(ws: Workspace) -> None:
    plan = ws.create_shortlist("Aanpak Noord 2027")
    for iid in ("a", "b", "c"):
        assert ws.add_item(plan.id, iid, iid.upper())
    assert not ws.add_item(plan.id, "a", "A")  # no duplicates
    ws.move_item(plan.id, "c", -2)
    ws.set_comment(plan.id, "b", "alleen als er budget is")
    ws.remove_item(plan.id, "a")
    items = ws.items(plan.id)
    assert [(i.intervention_id, i.position) for i in items] == [("c", 0), ("b", 1)]
    assert items[1].comment == "alleen als er budget is"
    ws.rename_shortlist(plan.id, "Aanpak Noord")
    assert ws.shortlists()[0].name == "Aanpak Noord"
    with pytest.raises(WorkspaceError):
        ws.create_shortlist("  ")


def test_note_survives_kill_9_right_after_typing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from desktop.core.workspace_safety import open_workspace\n"
        f"ws, _ = open_workspace(Path({str(home)!r}))\n"
        "e = ws.add_entry('under-pressure', 'Under Pressure', status='ingezet')\n"
        "for i, ch in enumerate('Werkte goed in groep 8'):\n"
        "    ws.update_entry(e.id, text='Werkte goed in groep 8'[: i + 1])\n"
        "print('typed', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "typed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    ws, messages = open_workspace(home)
    assert messages == []
    assert [e.text for e in ws.entries_for("under-pressure")] == ["Werkte goed in groep 8"]


def test_notes_survive_a_model_with_renames_and_removals(ws: Workspace, tmp_path: Path) -> None:
    source = load_source(MINI)
    old_path = tmp_path / "old.sqlite"
    write_model(source, old_path)
    ws.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Prima")
    ws.add_entry("radicalise", "Radicalise", status="overwogen", text="Te duur")
    plan = ws.create_shortlist("Plan")
    ws.add_item(plan.id, "radicalise", "Radicalise", "reserve")
    # new model: under-pressure renamed (same id), radicalise removed
    source.interventions = [i for i in source.interventions if i.id != "radicalise"]
    for intervention in source.interventions:
        if intervention.id == "under-pressure":
            intervention.name = "Under Pressure 2.0"
    for block in source.blocks:
        for theme in block.themes:
            for cluster in theme.clusters:
                cluster.examples = [e for e in cluster.examples if e.intervention != "radicalise"]
    new_path = tmp_path / "new.sqlite"
    write_model(source, new_path)
    repo = ModelRepository.open(new_path)
    model_ids = set(repo.all_ids())
    assert [e.text for e in ws.entries_for("under-pressure")] == ["Prima"]  # still attached
    orphans = ws.orphaned_entries(model_ids)
    assert [(e.intervention_id, e.intervention_name, e.text) for e in orphans] == [
        ("radicalise", "Radicalise", "Te duur")]
    assert ws.items(plan.id)[0].comment == "reserve"  # shortlist entry kept too


def test_export_import_round_trip_loses_and_duplicates_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.add_entry("under-pressure", "Under Pressure", status="ingezet", entry_date="2026-02-03",
                 place="Wijk Noord", partners="=HYPERLINK(\"http://evil\")", outcome="+31 6 1234",
                 text="-minder dan verwacht\n@collega: bellen")
    ws.add_entry("said-en-lody", "Saïd & Lody", status="niet-passend", text="Doelgroep te jong")
    plan = ws.create_shortlist("Werkset =1+1")
    ws.add_item(plan.id, "under-pressure", "Under Pressure", "=cmd|' /C calc'!A0")
    ws.add_item(plan.id, "said-en-lody", "Saïd & Lody", None)
    out = tmp_path / "notities.xlsx"
    assert export_notes(ws, out) == 2

    # every cell is text, none is a formula
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value

    other, _ = open_workspace(tmp_path / "laptop2")
    first = import_notes(other, out)
    assert (first.added_entries, first.added_shortlists, first.added_items) == (2, 1, 2)
    again = import_notes(other, out)
    assert (again.added_entries, again.duplicate_entries, again.added_items) == (0, 2, 0)
    original = {(e.intervention_id, e.status, e.entry_date, e.place, e.partners, e.outcome, e.text)
                for e in ws.all_entries()}
    copied = {(e.intervention_id, e.status, e.entry_date, e.place, e.partners, e.outcome, e.text)
              for e in other.all_entries()}
    assert copied == original
    copied_list = other.shortlists()[0]
    assert copied_list.name == "Werkset =1+1"
    assert [(i.intervention_id, i.comment) for i in other.items(copied_list.id)] == [
        ("under-pressure", "=cmd|' /C calc'!A0"), ("said-en-lody", None)]
    assert import_notes(ws, out).added_entries == 0  # importing into the source duplicates nothing


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 afgekapt", b"gewone tekst"])
def test_bad_notes_file_changes_nothing(ws: Workspace, tmp_path: Path, content: bytes) -> None:
    ws.add_entry("a", "A", text="blijft")
    bad = tmp_path / "kapot.xlsx"
    bad.write_bytes(content)
    before = ws.all_entries()
    with pytest.raises(WorkspaceError) as info:
        import_notes(ws, bad)
    assert "kapot.xlsx" in str(info.value)
    assert ws.all_entries() == before


def test_workbook_without_notes_sheets_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "anders.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["iets", "anders"])  # type: ignore[union-attr]
    book.save(path)
    with pytest.raises(WorkspaceError, match="Notities"):
        import_notes(ws, path)


def test_backups_rotate_and_only_when_changed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws, _ = open_workspace(home)
    assert len(backups(home)) == 1
    ws.close()
    ws, _ = open_workspace(home)  # nothing changed: no new backup
    assert len(backups(home)) == 1
    ws.add_entry("a", "A", text="nieuw")
    ws.close()
    ws, _ = open_workspace(home)
    assert len(backups(home)) == 2
    for n in range(15):
        make_backup(ws, home, stamp=f"29990101-0000{n:02d}")
    assert len(backups(home)) == 10


def test_corrupted_workspace_is_recovered_from_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws, _ = open_workspace(home)
    ws.add_entry("under-pressure", "Under Pressure", text="bewaard in reservekopie")
    ws.checkpoint()
    ws.close()
    ws, _ = open_workspace(home)  # makes the backup holding the note
    ws.checkpoint()
    ws.close()
    path = workspace_path(home)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the header and first page
    path.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    ws, messages = open_workspace(home)
    assert messages and "beschadigd" in messages[0] and "teruggezet" in messages[0]
    assert [e.text for e in ws.entries_for("under-pressure")] == ["bewaard in reservekopie"]
    assert list(home.glob("workspace.beschadigd-*.sqlite"))  # the damaged file is kept aside


def test_damaged_without_backup_starts_empty_and_keeps_the_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    workspace_path(home).write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"rommel" * 100)
    ws, messages = open_workspace(home)
    assert "geen bruikbare reservekopie" in messages[0]
    assert ws.all_entries() == []
    shutil.rmtree(home)


def test_newer_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    ws = Workspace(path)
    ws.conn.execute("PRAGMA user_version = 99")
    ws.close()
    with pytest.raises(WorkspaceError, match="nieuwere versie"):
        Workspace(path)
    time.sleep(0)
