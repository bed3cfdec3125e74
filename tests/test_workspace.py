"""The user's workspace: notes and werksets, and everything that keeps them safe."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.errors import StorageError, WorkspaceError
from desktop.core.model.sqlite_codec import write_model
from desktop.core.model.toml_codec import load_source
from desktop.core.paths import workspace_path
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace import store
from desktop.core.workspace.safety import backups, health, make_backup, open_safely, open_workspace, prune
from desktop.core.workspace.store import Workspace

MINI = Path(__file__).parent / "fixtures" / "mini"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace, messages = open_workspace(tmp_path / "home")
    assert messages == []
    yield workspace
    workspace.close()


@pytest.fixture()
def full_disk() -> Iterator[list[int]]:
    """A 'full disk' for the workspace: SQLite refuses to grow the file beyond its current pages."""
    def limit(conn: sqlite3.Connection) -> None:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")

    store.connect_hooks.append(limit)
    yield []
    store.connect_hooks.remove(limit)


def test_workspace_is_its_own_wal_file(ws: Workspace, tmp_path: Path) -> None:
    assert ws.path == tmp_path / "home" / "workspace.sqlite"
    assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == store.WORKSPACE_VERSION


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


def test_any_text_a_person_can_paste_is_kept(ws: Workspace) -> None:
    pasted = ("Regel\u000been (Word)\x00nul \u202eomgekeerd\u202c \t tab \x07bel =SOM(A1) 'apostrof "
              "\U0001f642 emoji")
    entry = ws.add_entry("x", "X", text=pasted)
    assert ws.entry(entry.id).text == pasted  # type: ignore[union-attr]
    lone = "half \ud83d surrogaat"
    ws.update_entry(entry.id, text=lone)
    assert ws.entry(entry.id).text == "half \ufffd surrogaat"  # type: ignore[union-attr]  # replaced, visibly


def test_note_survives_kill_9_right_after_typing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from desktop.core.workspace.safety import open_workspace\n"
        f"ws, _ = open_workspace(Path({str(home)!r}))\n"
        "e = ws.add_entry('under-pressure', 'Under Pressure', status='ingezet')\n"
        "for i, ch in enumerate('Werkte goed in groep 8'):\n"
        "    ws.update_entry(e.id, text='Werkte goed in groep 8'[: i + 1])\n"
        "print('typed', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "typed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    ws, messages = open_workspace(home)
    assert messages == []
    assert [e.text for e in ws.entries_for("under-pressure")] == ["Werkte goed in groep 8"]
    ws.close()


def test_notes_survive_a_model_with_renames_and_removals(ws: Workspace, tmp_path: Path) -> None:
    source = load_source(MINI)
    ws.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Prima")
    ws.add_entry("radicalise", "Radicalise", status="overwogen", text="Te duur")
    plan = ws.create_shortlist("Plan")
    ws.add_item(plan.id, "radicalise", "Radicalise", "reserve")
    source.interventions = [i for i in source.interventions if i.id != "radicalise"]
    source.interventions[0].name = "Under Pressure 2.0"
    for cluster in source.clusters():
        cluster.examples = [e for e in cluster.examples if e.intervention != "radicalise"]
    for itype in source.intervention_types:
        itype.examples = [e for e in itype.examples if e.intervention != "radicalise"]
    new_path = tmp_path / "new.sqlite"
    write_model(source, new_path)
    with ModelRepository.open(new_path) as repo:
        model_ids = set(repo.all_ids())
        assert ws.sync_names({r.id: r.name for r in repo.rows(repo.all_ids())}) == 1
    assert [(e.text, e.intervention_name) for e in ws.entries_for("under-pressure")] == [
        ("Prima", "Under Pressure 2.0")]
    orphans = ws.orphaned_entries(model_ids)
    assert [(e.intervention_id, e.intervention_name, e.text) for e in orphans] == [
        ("radicalise", "Radicalise", "Te duur")]
    assert ws.items(plan.id)[0].comment == "reserve"  # werkset entry kept too
    assert ws.reattach([orphans[0].id], "said-en-lody", "Saïd & Lody") == 1
    assert ws.orphaned_entries(model_ids) == []


# --- a full disk, a locked file, a read-only folder: reported as what they are, nothing moved ---------

def test_a_full_disk_while_typing_raises_a_dutch_storage_error(ws: Workspace, full_disk: list[int]) -> None:
    entry = ws.add_entry("x", "X", text="begin")
    ws.close()
    with Workspace(ws.path) as limited:
        with pytest.raises(StorageError) as info:
            limited.update_entry(entry.id, text="x" * 200_000)
        assert info.value.reason == "vol" and "schijf is vol" in str(info.value)
        assert limited.entry(entry.id).text == "begin"  # type: ignore[union-attr]


def test_a_full_disk_at_start_never_hides_the_notes(tmp_path: Path, full_disk: list[int]) -> None:
    home = tmp_path / "home"
    store.connect_hooks.remove(full_disk_hook := store.connect_hooks[-1])
    with Workspace(workspace_path(home)) as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", text="Mijn ervaring")
        for table in ("plan_factor", "plan", "quickscan_answer", "quickscan", "feedback"):
            workspace.conn.execute(f"DROP TABLE {table}")
        workspace.conn.execute("PRAGMA user_version = 3")  # an older workspace: the start must migrate it
        workspace.conn.execute("VACUUM")
        workspace.checkpoint()
    store.connect_hooks.append(full_disk_hook)
    before = workspace_path(home).read_bytes()
    opened = open_safely(home)  # the migration cannot grow the file: the disk is full
    assert opened.read_only and opened.reason == "vol"
    assert "schijf is vol" in " ".join(opened.messages)
    assert [e.text for e in opened.workspace.all_entries()] == ["Mijn ervaring"]  # still readable
    opened.workspace.close()
    assert workspace_path(home).read_bytes() == before and not list(home.glob("*beschadigd*"))
    store.connect_hooks.remove(full_disk_hook)  # space is freed
    opened = open_safely(home)
    assert not opened.read_only
    assert [e.text for e in opened.workspace.all_entries()] == ["Mijn ervaring"]
    opened.workspace.close()
    store.connect_hooks.append(full_disk_hook)


def test_a_locked_workspace_is_not_damaged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Workspace(workspace_path(home)) as workspace:
        workspace.add_entry("x", "X", text="bewaren")
    other = sqlite3.connect(workspace_path(home))
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert health(workspace_path(home)) == "bezet"
        opened = open_safely(home)
        assert opened.read_only and "in gebruik" in " ".join(opened.messages)
        opened.workspace.close()
    finally:
        other.rollback()
        other.close()
    assert not list(home.glob("*beschadigd*"))
    with Workspace(workspace_path(home)) as workspace:
        assert [e.text for e in workspace.all_entries()] == ["bewaren"]


def _make_read_only(folder: Path) -> bool:
    if os.name == "nt":
        return False
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    return result.returncode == 0


def _make_writable(folder: Path) -> None:
    if os.name != "nt" and os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    else:
        folder.chmod(0o755)


@pytest.fixture()
def read_only_home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "stick"
    with Workspace(workspace_path(home)) as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Op de stick")
        workspace.checkpoint()
    for side in ("-wal", "-shm"):
        workspace_path(home).with_name("workspace.sqlite" + side).unlink(missing_ok=True)
    if not _make_read_only(home):
        pytest.skip("kan geen alleen-lezen map maken op dit bestandssysteem (chattr niet beschikbaar)")
    yield home
    _make_writable(home)


def test_a_read_only_folder_opens_the_notes_read_only(read_only_home: Path) -> None:
    opened = open_safely(read_only_home)
    assert opened.read_only and opened.reason == "alleen-lezen"
    assert "alleen-lezen" in opened.messages[0]
    assert [e.text for e in opened.workspace.all_entries()] == ["Op de stick"]
    with pytest.raises(StorageError, match="alleen-lezen"):
        opened.workspace.add_entry("x", "X", text="nieuw")
    opened.workspace.close()


@pytest.mark.parametrize("argv", [
    ["notes", "list"], ["notes", "export", "--out", "{out}"], ["notes", "import", "{file}"], ["info"],
    ["history"], ["rollback", "--yes"], ["import", "{file}", "--yes"], ["search", "x"],
])
def test_every_command_on_a_read_only_folder_answers_in_dutch(read_only_home: Path, tmp_path: Path,
                                                              argv: list[str], real_model_path: Path) -> None:
    out, file = tmp_path / "uit.xlsx", tmp_path / "bestand.xlsx"
    file.write_bytes(b"PK\x03\x04")
    args = [a.format(out=out, file=file) for a in argv]
    env = dict(os.environ, BOUWSTENEN_BUNDLED_MODEL=str(real_model_path))
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--data-dir", str(read_only_home), *args],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    if result.returncode == 1:
        assert result.stderr.startswith("bouwstenen: "), result.stderr


# --- damage: salvaged, merged with the newest backup, the damaged file kept ----------------------------

def _note_pages(path: Path) -> list[int]:
    """Page numbers of the note table's leaf pages (dbstat, where SQLite has it), else a guess."""
    conn = sqlite3.connect(path)
    try:
        pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'note_entry' AND pagetype = "
                                            "'leaf' ORDER BY pageno")]
    except sqlite3.OperationalError:
        pages = []
    conn.close()
    return pages


def test_a_damaged_workspace_is_salvaged_and_merged_with_the_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws, _ = open_workspace(home)
    for n in range(200):
        ws.add_entry(f"iv-{n % 20}", f"Interventie {n % 20}", text=f"oude notitie {n} " + "tekst " * 20)
    make_backup(ws, home, "test")
    for n in range(50):
        ws.add_entry("nieuw", "Nieuw", text=f"na de reservekopie {n}")
    ws.checkpoint()
    ws.close()
    path = workspace_path(home)
    pages = _note_pages(path)
    if len(pages) < 4:
        pytest.skip("SQLite zonder dbstat: de beschadigde pagina is niet te kiezen")
    data = bytearray(path.read_bytes())
    page_size = 4096
    victim = pages[1]  # a leaf with old notes only (they are in the backup)
    data[(victim - 1) * page_size:(victim - 1) * page_size + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    assert health(path) == "damaged"
    ws, messages = open_workspace(home)
    assert messages and "beschadigd" in messages[0] and "Hersteld: 250 notities" in messages[0]
    texts = {e.text for e in ws.all_entries()}
    assert {f"na de reservekopie {n}" for n in range(50)} <= texts  # typed after the backup: back
    assert sum(1 for t in texts if t and t.startswith("oude notitie")) == 200
    assert list(home.glob("workspace.beschadigd-*.sqlite"))  # the damaged file is kept aside
    ws.close()


def test_damaged_without_backup_keeps_what_can_be_read(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    workspace_path(home).write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"rommel" * 100)
    ws, messages = open_workspace(home)
    assert "beschadigd" in messages[0] and "bewaard als" in messages[0]
    assert ws.all_entries() == []
    ws.close()


def test_text_that_is_not_utf8_never_stops_the_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Workspace(workspace_path(home)) as workspace:
        workspace.add_entry("x", "X", text="goed")
        workspace.conn.execute("UPDATE note_entry SET text = CAST(x'4b617066ff00fe' AS TEXT)")
    ws, _messages = open_workspace(home)
    assert next(e.text for e in ws.all_entries()).startswith("Kap")  # type: ignore[union-attr]
    ws.close()


def test_newer_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    ws = Workspace(path)
    ws.conn.execute("PRAGMA user_version = 99")
    ws.close()
    with pytest.raises(WorkspaceError, match="nieuwere versie"):
        Workspace(path)


# --- backups ----------------------------------------------------------------------------------------

def test_backups_only_when_changed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws, _ = open_workspace(home)
    assert backups(home) == []  # nothing written yet
    ws.add_entry("a", "A", text="nieuw")
    ws.close()
    ws, _ = open_workspace(home)
    assert len(backups(home)) == 1
    ws.close()
    ws, _ = open_workspace(home)  # nothing changed: no new backup
    assert len(backups(home)) == 1
    ws.close()


def test_backups_are_kept_in_tiers(tmp_path: Path) -> None:
    folder = tmp_path / "home" / "reservekopieen"
    folder.mkdir(parents=True)
    import datetime as dt

    now = dt.datetime(2027, 6, 30, 12, 0)
    for hours in range(0, 24 * 120, 6):  # every six hours for 120 days
        stamp = (now - dt.timedelta(hours=hours)).strftime("%Y%m%d-%H%M%S")
        (folder / f"werkruimte-{stamp}-000000.sqlite").write_bytes(b"x" * 100)
    prune(tmp_path / "home", now)
    kept = backups(tmp_path / "home")
    days = {p.name[11:19] for p in kept}
    assert len(kept) <= 10 + 14 + 12
    assert len(days) >= 14 + 8  # a daily copy for two weeks, then a weekly one
    assert kept[0].name.startswith(f"werkruimte-{now:%Y%m%d-%H%M%S}")  # the newest always stays
