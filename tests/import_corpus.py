"""Generated malformed and hostile model files, for the import tests.

Every case is built by code from a valid published workbook or database of the small fixture model
(`tests/fixtures/mini`), changed in one hostile or broken way. `CASES` lists them with a fragment of
the Dutch message each must produce.
"""

from __future__ import annotations

import copy
import hashlib
import shutil
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from desktop.core.model.build import build_model
from desktop.core.model.entities import Cluster, Example
from desktop.core.model.entities import Model as ModelSource
from desktop.core.model.json_codec import model_document
from desktop.core.model.toml_codec import load_source
from desktop.core.model.xlsx_write import write_workbook
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.store import Workspace

MINI = Path(__file__).parent / "fixtures" / "mini"


@dataclass
class Bases:
    """Valid files to start from."""

    xlsx: Path
    sqlite: Path


def make_bases(folder: Path) -> Bases:
    folder.mkdir(parents=True, exist_ok=True)
    source = load_source(MINI)
    xlsx, db = folder / "mini.xlsx", folder / "mini.sqlite"
    write_workbook(source, xlsx)
    build_model(MINI, db)
    return Bases(xlsx, db)


def make_data_dir(folder: Path, model: Path) -> Path:
    """A user data folder with an installed model and a workspace holding a note."""
    from desktop.core import paths

    installed = paths.installed_model_path(folder)
    installed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, installed)
    workspace = Workspace(paths.workspace_path(folder))
    workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", text="Goed ontvangen op school.")
    workspace.checkpoint()
    workspace.close()
    return folder


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file below `folder` (so a new or removed file shows too)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --- models and comparisons -------------------------------------------------------------------

def document(path: Path) -> dict[str, Any]:
    with ModelRepository.open(path) as repo:
        return model_document(repo.model())


def assert_same_model(expected: Path, actual: Path) -> None:
    a, b = document(expected), document(actual)
    for key in a:
        assert a[key] == b[key], f"'{key}' differs"
    assert a == b


def changed_mini() -> ModelSource:
    """The mini model, version 2.0: one intervention changed, one removed, one added, one new factor."""
    source = load_source(MINI)
    source.meta["model_version"] = "2.0"
    source.meta["published"] = "2027-02-01"
    under = next(iv for iv in source.interventions if iv.id == "under-pressure")
    under.trede = 3
    under.links.append("https://example.org/under-pressure/evaluatie")
    source.interventions = [iv for iv in source.interventions if iv.id != "radicalise"]
    for block in source.blocks:
        for theme in block.themes:
            for cluster in theme.clusters:
                cluster.examples = [e for e in cluster.examples if e.intervention != "radicalise"]
    for itype in source.intervention_types:
        for ex in itype.examples:
            if ex.intervention == "radicalise":
                ex.intervention = None
    newcomer = copy.deepcopy(under)
    newcomer.id, newcomer.name, newcomer.aliases = "weerbaar-online", "Weerbaar Online", []
    source.interventions.append(newcomer)
    source.blocks[0].themes[0].clusters.append(Cluster(
        id="kritisch-denken", name="Kritisch denken", intervention_types=["1.1"],
        examples=[Example("weerbaar-online", True, True, False)],
    ))
    return source


# --- building blocks ------------------------------------------------------------------------------

def edit_workbook(src: Path, dst: Path, change: Callable[[Any], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def edit_zip(src: Path, dst: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(src) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return dst


def edit_db(src: Path, dst: Path, *statements: str) -> Path:
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return dst


def sheet_part(xlsx: Path, title: str) -> str:
    """The zip part name of a sheet (write-only workbooks number their sheets in order)."""
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    index = wb.sheetnames.index(title) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def header_column(ws: Any, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return int(cell.column)
    raise KeyError(header)


def set_cell(sheet: str, header: str, row: int, value: object) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        ws = wb[sheet]
        ws.cell(row=row, column=header_column(ws, header), value=value)
    return change


def patch_central_size(data: bytes, member: str, new_size: int) -> bytes:
    """Lie about one member's uncompressed size, in its local header and the central directory."""
    out = bytearray(data)
    encoded = member.encode()
    # central directory entries: signature PK\x01\x02, uncompressed size at offset 24, name at 46
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46: pos + 46 + name_len]) == encoded:
            struct.pack_into("<I", out, pos + 24, new_size)
            local = struct.unpack_from("<I", out, pos + 42)[0]
            struct.pack_into("<I", out, local + 22, new_size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def set_flag_bit(data: bytes, member: str, bit: int) -> bytes:
    out = bytearray(data)
    encoded = member.encode()
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46: pos + 46 + name_len]) == encoded:
            flags = struct.unpack_from("<H", out, pos + 8)[0]
            struct.pack_into("<H", out, pos + 8, flags | bit)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def cfb_file(encrypted: bool) -> bytes:
    """A compound-file (OLE) container as Excel writes for .xls and for password-protected .xlsx."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header += b"\x00" * (512 - len(header))
    names = ["EncryptionInfo", "EncryptedPackage"] if encrypted else ["Workbook"]
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for n in names)
    return header + directory.ljust(512, b"\x00") + b"\x00" * 1024


# --- the cases ------------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    build: Callable[[Bases, Path], Path]
    expect: str  # a fragment of the Dutch message


def _xlsx(name: str, change: Callable[[Any], None], base: str = "xlsx") -> Callable[[Bases, Path], Path]:
    def build(bases: Bases, folder: Path) -> Path:
        return edit_workbook(getattr(bases, base), folder / f"{name}.xlsx", change)
    return build


def _zip(name: str, change: Callable[[Bases, dict[str, bytes]], None], suffix: str = ".xlsx") -> Callable[
        [Bases, Path], Path]:
    def build(bases: Bases, folder: Path) -> Path:
        return edit_zip(bases.xlsx, folder / f"{name}{suffix}", lambda parts: change(bases, parts))
    return build


def _db(name: str, *statements: str, suffix: str = ".sqlite") -> Callable[[Bases, Path], Path]:
    def build(bases: Bases, folder: Path) -> Path:
        return edit_db(bases.sqlite, folder / f"{name}{suffix}", *statements)
    return build


def _bytes(name: str, data: bytes) -> Callable[[Bases, Path], Path]:
    def build(bases: Bases, folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return build


def _zip_bomb(bases: Bases, folder: Path) -> Path:
    """One sheet that unpacks from a few hundred kilobytes to 110 MB of zeros."""
    path = folder / "zipbom.xlsx"
    with zipfile.ZipFile(bases.xlsx) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                bomb = zipfile.ZipInfo(info.filename)
                bomb.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(bomb, "w", force_zip64=True) as stream:
                    block = b"\x00" * (1 << 20)
                    for _ in range(110):
                        stream.write(block)
            else:
                dst.writestr(info, src.read(info.filename))
    # the deflate stream of zeros is tiny, so also the ratio check would trip; the size check comes first
    return path


def _ratio_bomb(bases: Bases, parts: dict[str, bytes]) -> None:
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"] + b" " * (8 << 20)


def _many_entries(bases: Bases, parts: dict[str, bytes]) -> None:
    for i in range(1100):
        parts[f"docProps/extra{i}.xml"] = b"<x/>"


def _lying_smaller(bases: Bases, folder: Path) -> Path:
    path = folder / "liegende-kop.xlsx"
    part = sheet_part(bases.xlsx, "interventies")
    data = bases.xlsx.read_bytes()
    with zipfile.ZipFile(bases.xlsx) as archive:
        real = archive.getinfo(part).file_size
    path.write_bytes(patch_central_size(data, part, real // 10))
    return path


def _lying_larger(bases: Bases, folder: Path) -> Path:
    path = folder / "liegende-kop-groter.xlsx"
    part = sheet_part(bases.xlsx, "interventies")
    data = bases.xlsx.read_bytes()
    with zipfile.ZipFile(bases.xlsx) as archive:
        real = archive.getinfo(part).file_size
    path.write_bytes(patch_central_size(data, part, real * 3))
    return path


def _encrypted_entry(bases: Bases, folder: Path) -> Path:
    path = folder / "versleuteld-onderdeel.xlsx"
    path.write_bytes(set_flag_bit(bases.xlsx.read_bytes(), "xl/workbook.xml", 0x1))
    return path


def _doctype(bases: Bases, parts: dict[str, bytes]) -> None:
    part = sheet_part(bases.xlsx, "interventies")
    body = parts[part]
    bomb = b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    parts[part] = bomb + body if not body.startswith(b"<?xml") else body.replace(b"?>", b"?>" + bomb, 1)


def _row_far_away(bases: Bases, parts: dict[str, bytes]) -> None:
    part = sheet_part(bases.xlsx, "aliassen")
    far = b'<row r="150000"><c r="A150000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    parts[part] = parts[part].replace(b"</sheetData>", far, 1)


def _huge_cell(bases: Bases, parts: dict[str, bytes]) -> None:
    """openpyxl cannot write more than Excel's 32,767 characters in a cell, so edit the XML."""
    part = sheet_part(bases.xlsx, "interventies")
    goal = b"Versterken van digitale weerbaarheid."
    assert goal in parts[part]
    parts[part] = parts[part].replace(goal, b"x" * 40_000, 1)


def _vba(bases: Bases, parts: dict[str, bytes]) -> None:
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"


def _xlsb_inside(bases: Bases, parts: dict[str, bytes]) -> None:
    parts["xl/workbook.bin"] = parts.pop("xl/workbook.xml")


def _formula_external(wb: Any) -> None:
    ws = wb["interventies"]
    ws.cell(row=2, column=header_column(ws, "doelgroep"), value="='C:\\geheim\\[lonen.xlsx]Blad1'!A1")


def _delete_sheet(wb: Any) -> None:
    del wb["interventies"]


def _delete_column(wb: Any) -> None:
    ws = wb["interventies"]
    ws.delete_cols(header_column(ws, "naam"))


def _duplicate_id(wb: Any) -> None:
    ws = wb["interventies"]
    column = header_column(ws, "id")
    ws.cell(row=3, column=column, value=ws.cell(row=2, column=column).value)


def _drop_meta_version(wb: Any) -> None:
    ws = wb["metadata"]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == "model_version":
            ws.delete_rows(row)
            return


def _blank_ids(wb: Any) -> None:
    """Somebody cleared the id column: without ids, renamed and new cannot be told apart."""
    ws = wb["interventies"]
    column = header_column(ws, "id")
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=column).value = None


def _huge_sqlite_value(bases: Bases, folder: Path) -> Path:
    return edit_db(bases.sqlite, folder / "enorme-waarde.sqlite",
                   f"UPDATE intervention SET description = '{'x' * 300_000}' WHERE id = 'radicalise'")


def _corrupt_sqlite(bases: Bases, folder: Path) -> Path:
    data = bytearray(bases.sqlite.read_bytes())
    page = struct.unpack(">H", data[16:18])[0]
    for offset in range(page, len(data), 7):
        data[offset] = (data[offset] * 31 + 7) % 256
    path = folder / "beschadigd.sqlite"
    path.write_bytes(bytes(data))
    return path


def _with_sidecar(extra: str) -> Callable[[Bases, Path], Path]:
    def build(bases: Bases, folder: Path) -> Path:
        path = folder / f"met{extra}.sqlite"
        shutil.copyfile(bases.sqlite, path)
        path.with_name(path.name + extra).write_bytes(b"\x00" * 64)
        return path
    return build


def _truncated(bases: Bases, folder: Path) -> Path:
    data = bases.xlsx.read_bytes()
    path = folder / "afgekapt.xlsx"
    path.write_bytes(data[: int(len(data) * 0.6)])
    return path


def _renamed_xlsx_to_db(bases: Bases, folder: Path) -> Path:
    path = folder / "werkmap.db"
    shutil.copyfile(bases.xlsx, path)
    return path


def _copy(suffix: str) -> Callable[[Bases, Path], Path]:
    def build(bases: Bases, folder: Path) -> Path:
        path = folder / f"kopie{suffix}"
        shutil.copyfile(bases.xlsx, path)
        return path
    return build


CASES: list[Case] = [
    # the container
    Case("leeg bestand", _bytes("leeg.xlsx", b""), "is leeg"),
    Case("lege database", _bytes("leeg.sqlite", b""), "is leeg"),
    Case("hernoemd tekstbestand", _bytes("tekst.xlsx", b"Dit is gewoon tekst.\n" * 20), "geen Excel-werkmap"),
    Case("tekst als database", _bytes("tekst.db", b"SELECT 1;\n" * 20), "geen SQLite-database"),
    Case("werkmap als database", _renamed_xlsx_to_db, "geen SQLite-database"),
    Case("csv", _bytes("model.csv", b"id;naam\n1;x\n"), "sla het op als .xlsx"),
    Case("ods", _bytes("model.ods", b"PK\x03\x04 ods"), "sla het op als .xlsx"),
    Case("onbekend type", _bytes("model.pdf", b"%PDF-1.4"), "niet wordt ondersteund"),
    Case("afgekapte werkmap", _truncated, "beschadigd of onvolledig"),
    Case("zip-bom (grootte)", _zip_bomb, "zip-bom"),
    Case("zip-bom (verhouding)", _zip("ratiobom", _ratio_bomb), "samengeperst"),
    Case("te veel onderdelen", _zip("onderdelen", _many_entries), "onderdelen"),
    Case("zip-kop te klein", _lying_smaller, "beschadigd"),
    Case("zip-kop te groot", _lying_larger, "zip-kop"),
    Case("versleuteld onderdeel", _encrypted_entry, "versleuteld"),
    Case("versleutelde werkmap", _bytes("wachtwoord.xlsx", cfb_file(encrypted=True)), "wachtwoord"),
    Case("oud formaat als xlsx", _bytes("oud.xlsx", cfb_file(encrypted=False)), "oud Excel-bestand"),
    Case("xls", _bytes("oud.xls", cfb_file(encrypted=False)), "Excel 97-2003"),
    Case("xlsb", _copy(".xlsb"), "binaire Excel-werkmap"),
    Case("xlsb vermomd", _zip("binair", _xlsb_inside), "binaire Excel-werkmap"),
    Case("xlsm", _copy(".xlsm"), "macro"),
    Case("macro's vermomd", _zip("vba", _vba), "macro"),
    Case("XML-entiteiten", _zip("entiteiten", _doctype), "DOCTYPE"),
    # the content
    Case("rij ver weg", _zip("rijen", _row_far_away), "interventie 'x' bestaat niet"),
    Case("enorme cel", _zip("cel", _huge_cell), "tekens per cel"),
    Case("formule", _xlsx("formule", set_cell("interventies", "trede", 2, "=1+1")), "bevat een formule"),
    Case("externe koppeling", _xlsx("extern", _formula_external), "bevat een formule"),
    Case("tabblad ontbreekt", _xlsx("tabblad", _delete_sheet), "tabblad 'interventies' ontbreekt"),
    Case("kolom ontbreekt", _xlsx("kolom", _delete_column), "kolom 'naam' ontbreekt"),
    Case("verkeerd type", _xlsx("type", set_cell("interventies", "trede", 2, "hoog")), "verwacht een geheel getal"),
    Case("ja/nee verkeerd", _xlsx("janee", set_cell("koppelingen", "expliciet", 2, "misschien")), "verwacht ja of nee"),
    Case("dubbele id", _xlsx("dubbel", _duplicate_id), "komt meer dan eens voor"),
    Case("koppeling naar niets", _xlsx("koppeling", set_cell("koppelingen", "interventie-id", 2, "bestaat-niet")),
         "interventie 'bestaat-niet' bestaat niet"),
    Case("trede 9", _xlsx("trede", set_cell("interventies", "trede", 2, 9)), "trede 9 ligt niet tussen 0 en 5"),
    Case("javascript-link", _xlsx("javascript", set_cell("links", "link", 2, "javascript:alert(1)")),
         "geen geldig http(s)-webadres"),
    Case("ongeldige id", _xlsx("id", set_cell("interventies", "id", 2, "Under Pressure!")), "geen geldige id"),
    Case("ongeldige typecode", _xlsx("code", set_cell("interventietypen", "code", 2, "1a")), "geen geldige typecode"),
    Case("datum onzin", _xlsx("datum", set_cell("metadata", "waarde", 4, "gisteren")), "geen geldige datum"),
    Case("versie ontbreekt", _xlsx("versie", _drop_meta_version), "'model_version'"),
    Case("nieuwer werkboekformaat", _xlsx("formaat", set_cell("metadata", "waarde", 2, "7")), "formaat 7"),
    Case("ids gewist", _xlsx("ids", _blank_ids), "zonder ids is niet te zien"),
    # databases
    Case("view in plaats van tabel",
         _db("view", "ALTER TABLE intervention RENAME TO echt", "CREATE VIEW intervention AS SELECT * FROM echt"),
         "is geen tabel maar een view"),
    Case("-wal ernaast", _with_sidecar("-wal"), "-wal"),
    Case("-journal ernaast", _with_sidecar("-journal"), "-journal"),
    Case("nieuwer schema", _db("nieuw", "PRAGMA user_version = 350"), "nieuwere versie van Bouwstenen"),
    Case("geen modelbestand", _db("vreemd", "PRAGMA user_version = 0", "DROP TABLE build_info"),
         "geen modelbestand van Bouwstenen"),
    Case("beschadigde database", _corrupt_sqlite, "beschadigd"),
    Case("tabel ontbreekt", _db("tabel", "DROP TABLE effect_level"), "tabel 'effect_level' ontbreekt"),
    Case("kolom ontbreekt (db)", _db("kolom", "ALTER TABLE intervention DROP COLUMN name"), "kolom 'name' ontbreekt"),
    Case("verkeerd type (db)", _db("typedb", "UPDATE intervention SET trede = 'hoog' WHERE id = 'radicalise'"),
         "verwacht een geheel getal"),
    Case("enorme waarde (db)", _huge_sqlite_value, "te grote waarden"),
    Case("koppeling naar niets (db)", _db("koppelingdb", "UPDATE example SET intervention = 'weg' "
                                          "WHERE rowid = (SELECT min(rowid) FROM example)"), "'weg' bestaat niet"),
    Case("trede 9 (db)", _db("trededb", "UPDATE intervention SET trede = 9 WHERE id = 'radicalise'"),
         "trede 9 ligt niet tussen 0 en 5"),
    Case("javascript-link (db)", _db("jsdb", "UPDATE link SET url = 'javascript:alert(1)'"),
         "geen geldig http(s)-webadres"),
]
