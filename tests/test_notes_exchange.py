"""Notes and werksets to a workbook and back: exact texts, edits in a spreadsheet, two laptops, hostile files."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from desktop.core.errors import WorkspaceError
from desktop.core.workspace.exchange import NOTES_SHEET, export_notes, import_notes
from desktop.core.workspace.store import Workspace
from desktop.core.workspace.workbook import escape, unescape

TRICKY = [
    "=HYPERLINK(\"http://kwaad.example\")", "+31 6 1234", "-minder dan verwacht", "@collega: bellen",
    "'t Hoofd en ''dubbel''", "Regel\u000been (Word)", "nul\x00teken", "\u202eomgekeerd\u202c", "bel\x07 en \x1f",
    "letterlijk _x000B_ laten staan", "tab\tin\ttekst", "meerdere\nregels\r\nlang", "emoji \U0001f642",
    "ongeveer 32 k " + "x" * 32_000,
]


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "laptop1" / "workspace.sqlite") as workspace:
        yield workspace


@pytest.fixture()
def other(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "laptop2" / "workspace.sqlite") as workspace:
        yield workspace


def contents(workspace: Workspace) -> set[tuple[object, ...]]:
    return {(e.intervention_id, e.status, e.entry_date, e.place, e.partners, e.outcome, e.text)
            for e in workspace.all_entries() if e.conflict_of is None}


@pytest.mark.parametrize("text", ["_x0041_", "a_x005F_b", "_x000B_", "plain"])
def test_a_literal_excel_escape_stays_literal(text: str) -> None:
    escaped, count = escape(text)
    assert unescape(escaped) == text and count == 0


def test_invisible_characters_are_shown_as_symbols() -> None:
    assert escape("a\x0bb\x00c\td\ne") == ("a\u240bb\u2400c\td\ne", 2)


def test_any_text_is_exported_and_comes_back_exactly(ws: Workspace, other: Workspace, tmp_path: Path) -> None:
    for index, text in enumerate(TRICKY):
        ws.add_entry(f"iv-{index}", f"Interventie {index}", status="ingezet", entry_date="2026-02-03", text=text,
                     outcome=text[:100], place=text[:50])
    plan = ws.create_shortlist("Werkset =1+1")
    ws.add_item(plan.id, "iv-0", "Interventie 0", "=cmd|' /C calc'!A0\u000b")
    out = tmp_path / "notities.xlsx"
    result = export_notes(ws, out)
    assert result.notes == len(TRICKY) and result.escaped > 0
    assert "als symbool" in result.summary() and "precies terug" in result.summary()
    with zipfile.ZipFile(out) as archive:  # no formulas anywhere
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    imported = import_notes(other, out)
    assert imported.added == len(TRICKY) and imported.shortlists_added == 1
    assert contents(other) == contents(ws)
    assert [(i.intervention_id, i.comment) for i in other.items(other.shortlists()[0].id)] == [
        ("iv-0", "=cmd|' /C calc'!A0\u000b")]
    assert other.shortlists()[0].name == "Werkset =1+1"


def test_export_is_readable_dutch_with_the_technical_columns_hidden(ws: Workspace, tmp_path: Path) -> None:
    ws.add_entry("under-pressure", "Under Pressure", status="niet-passend", entry_date="2026-11-22", text="Te duur")
    out = tmp_path / "notities.xlsx"
    export_notes(ws, out)
    sheet = openpyxl.load_workbook(out)[NOTES_SHEET]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["Interventie", "Status", "Datum", "Plaats of context", "Met wie",
                           "Resultaat of ervaring", "Notitie"]
    assert not any("_" in str(h) for h in headers)
    assert sheet.cell(row=2, column=2).value == "Niet passend"
    assert sheet.cell(row=2, column=3).value == dt.datetime(2026, 11, 22)  # a real date, shown as 22-11-2026
    assert sheet.cell(row=2, column=3).number_format == "DD-MM-YYYY"
    hidden = [letter for letter, dim in sheet.column_dimensions.items() if dim.hidden]
    assert len(hidden) == 5


def test_a_note_edited_in_a_spreadsheet_comes_back_as_an_update(ws: Workspace, tmp_path: Path) -> None:
    entry = ws.add_entry("under-pressure", "Under Pressure", status="gepland", text="Eerste versie")
    out = tmp_path / "notities.xlsx"
    export_notes(ws, out)
    book = openpyxl.load_workbook(out)
    sheet = book[NOTES_SHEET]
    sheet.cell(row=2, column=7).value = "Aangevuld in Excel"
    sheet.cell(row=2, column=2).value = "Ingezet"
    sheet.cell(row=2, column=3).value = "15-03-2027"  # typed as text, the Dutch way
    book.save(out)
    result = import_notes(ws, out)
    assert (result.added, result.updated, result.unchanged, result.conflicts) == (0, 1, 0, 0)
    after = ws.entry(entry.id)
    assert after is not None
    assert (after.text, after.status, after.entry_date) == ("Aangevuld in Excel", "ingezet", "2027-03-15")
    again = import_notes(ws, out)
    assert (again.updated, again.unchanged) == (0, 1)


def test_two_laptops_exchange_both_ways_and_keep_both_on_a_conflict(ws: Workspace, other: Workspace,
                                                                     tmp_path: Path) -> None:
    shared = ws.add_entry("under-pressure", "Under Pressure", status="gepland", text="Plan")
    only_here = ws.add_entry("radicalise", "Radicalise", text="Alleen op laptop 1")
    first = tmp_path / "van-1.xlsx"
    export_notes(ws, first)
    assert import_notes(other, first).added == 2
    # laptop 2 works on the shared note; laptop 1 edits the other one
    other.update_entry(shared.id, text="Plan, uitgevoerd in mei")
    ws.update_entry(only_here.id, text="Alleen op laptop 1, aangevuld")
    second = tmp_path / "van-2.xlsx"
    export_notes(other, second)
    result = import_notes(ws, second)
    assert (result.updated, result.unchanged, result.conflicts) == (1, 1, 0)
    assert ws.entry(shared.id).text == "Plan, uitgevoerd in mei"  # type: ignore[union-attr]
    assert ws.entry(only_here.id).text == "Alleen op laptop 1, aangevuld"  # type: ignore[union-attr]
    # now both change the same note
    ws.update_entry(shared.id, text="Versie van laptop 1")
    other.update_entry(shared.id, text="Versie van laptop 2")
    export_notes(other, second)
    result = import_notes(ws, second)
    assert result.conflicts == 1 and "beide versies zijn bewaard" in " ".join(result.summary())
    assert ws.entry(shared.id).text == "Versie van laptop 1"  # type: ignore[union-attr]
    conflicts = ws.conflicts()
    assert [(c.conflict_of, c.text) for c in conflicts] == [(shared.id, "Versie van laptop 2")]
    assert import_notes(ws, second).conflicts == 0  # the same file again adds no second copy


def test_the_same_file_twice_adds_nothing(ws: Workspace, other: Workspace, tmp_path: Path) -> None:
    ws.add_entry("a", "A", text="een")
    plan = ws.create_shortlist("Plan")
    ws.add_item(plan.id, "a", "A", "opmerking")
    out = tmp_path / "n.xlsx"
    export_notes(ws, out)
    import_notes(other, out)
    again = import_notes(other, out)
    assert (again.added, again.updated, again.unchanged, again.items_added, again.items_unchanged) == (0, 0, 1, 0, 1)


def test_an_export_of_version_0_1_still_imports(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "oud.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notities"
    notes.append(["id", "interventie_id", "interventie", "status", "datum", "plaats_of_context", "partners",
                  "resultaat_of_ervaring", "vrije_tekst", "aangemaakt", "bijgewerkt"])
    notes.append(["a1", "under-pressure", "Under Pressure", "Ingezet", "2026-01-05", "school", None, None,
                  "oud formaat", "2026-01-05T10:00:00+00:00", "2026-01-05T10:00:00+00:00"])
    lists = book.create_sheet("Werksets")
    lists.append(["werkset_id", "werkset", "positie", "interventie_id", "interventie", "opmerking"])
    lists.append(["w1", "Oude werkset", 1, "under-pressure", "Under Pressure", "goed"])
    book.save(path)
    result = import_notes(ws, path)
    assert (result.added, result.shortlists_added, result.items_added) == (1, 1, 1)
    assert ws.entry("a1").text == "oud formaat"  # type: ignore[union-attr]


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 afgekapt", b"gewone tekst"])
def test_a_bad_notes_file_changes_nothing(ws: Workspace, tmp_path: Path, content: bytes) -> None:
    ws.add_entry("a", "A", text="blijft")
    bad = tmp_path / "kapot.xlsx"
    bad.write_bytes(content)
    before = ws.all_entries()
    with pytest.raises(WorkspaceError) as info:
        import_notes(ws, bad)
    assert "kapot.xlsx" in str(info.value)
    assert ws.all_entries() == before


def test_wrong_files_are_named(ws: Workspace, tmp_path: Path, mini_model_path: Path) -> None:
    from desktop.core.model.toml_codec import load_source
    from desktop.core.model.xlsx_write import write_workbook

    model = tmp_path / "model.xlsx"
    write_workbook(load_source(Path(__file__).parent / "fixtures" / "mini"), model)
    with pytest.raises(WorkspaceError, match="gepubliceerd model, geen export van notities"):
        import_notes(ws, model)
    with pytest.raises(WorkspaceError, match="modelbestand"):
        import_notes(ws, mini_model_path)
    ods = tmp_path / "notities.ods"
    ods.write_bytes(b"PK\x03\x04")
    with pytest.raises(WorkspaceError, match=r"sla het op als \.xlsx"):
        import_notes(ws, ods)


def test_a_formula_in_a_notes_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    ws.add_entry("a", "A", text="x")
    out = tmp_path / "n.xlsx"
    export_notes(ws, out)
    book = openpyxl.load_workbook(out)
    book[NOTES_SHEET]["G2"] = "=1+1"
    book.save(out)
    with pytest.raises(WorkspaceError, match="G2 bevat een formule"):
        import_notes(ws, out)


def test_a_small_file_cannot_grow_the_workspace_enormously(ws: Workspace, tmp_path: Path) -> None:
    """20,000 cells pointing at one 30,000-character shared string: 600 million characters."""
    path = tmp_path / "opblazen.xlsx"
    ws.add_entry("a", "A", text="x")
    export_notes(ws, path)
    big = "y" * 30_000
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet1"))
    rows = "".join(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>a</t></is></c>'
                   f'<c r="K{r}" t="inlineStr"><is><t>a</t></is></c><c r="G{r}" t="s"><v>0</v></c></row>'
                   for r in range(3, 20_003))
    parts[sheet] = parts[sheet].replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                     f'count="1" uniqueCount="1"><si><t>{big}</t></si></sst>').encode()
    if "xl/_rels/workbook.xml.rels" in parts and b"sharedStrings" not in parts["xl/_rels/workbook.xml.rels"]:
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert path.stat().st_size < 400_000
    size_before = ws.path.stat().st_size
    with pytest.raises(WorkspaceError, match="meer tekst dan een notitiebestand"):
        import_notes(ws, path)
    assert ws.path.stat().st_size == size_before


def test_a_lying_sheet_size_costs_nothing(ws: Workspace, tmp_path: Path) -> None:
    """A 2 KB file that declares a million rows is read by the rows it really has."""
    out = tmp_path / "n.xlsx"
    ws.add_entry("a", "A", text="x")
    export_notes(ws, out)
    with zipfile.ZipFile(out) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet1"))
    parts[sheet] = parts[sheet].replace(b"</sheetData>",
                                        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>z</t></is></c></row>'
                                        b"</sheetData>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = import_notes(ws, out)
    assert result.unchanged == 1


@pytest.fixture()
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is niet geïnstalleerd; .ci/run installeert het")
    return found


def test_an_export_resaved_by_libreoffice_imports_exactly(ws: Workspace, other: Workspace, tmp_path: Path,
                                                          soffice: str) -> None:
    for index, text in enumerate(TRICKY[:-1]):
        ws.add_entry(f"iv-{index}", f"Interventie {index}", status="overwogen", entry_date="2026-05-01", text=text)
    out = tmp_path / "notities.xlsx"
    export_notes(ws, out)
    resaved = tmp_path / "calc"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profiel",
                    "--convert-to", "xlsx", "--outdir", str(resaved), str(out)], check=True, capture_output=True,
                   timeout=180)
    result = import_notes(ws, resaved / "notities.xlsx")
    assert (result.added, result.updated, result.conflicts) == (0, 0, 0), result.summary()
    import_notes(other, resaved / "notities.xlsx")
    assert contents(other) == contents(ws)
