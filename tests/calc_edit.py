"""Edit workbooks with LibreOffice Calc itself, as a person would, and save them as .xlsx.

Run with a Python that has LibreOffice's `uno` module (Debian: python3-uno, /usr/bin/python3):

    python3 tests/calc_edit.py JOBS.json

JOBS.json is a list of {"src", "dst", "edits": [...]}; each edit is one of
    {"do": "delete-row", "sheet": S, "row": N}                  (1-based, as Calc numbers rows)
    {"do": "sort", "sheet": S, "header": H, "descending": bool}  (Data › Sort, first row is the header)
    {"do": "insert-column", "sheet": S, "before": H, "header": T}
    {"do": "type", "sheet": S, "header": H, "row": N, "text": T} (typed: Calc turns dates and numbers into values)
Calc runs headless with a fresh profile in the Dutch locale (nl-NL), so "15-1-2027" typed becomes a date
the way it does on a Dutch laptop. The test suite starts this script; it is not part of the application.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.table import TableSortField  # type: ignore[import-not-found]

DUTCH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>nl-NL</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>nl-NL</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse">
<value>nl-NL</value></prop></item>
</oor:items>
"""


def prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start_calc(profile: Path) -> tuple[subprocess.Popen[bytes], Any]:
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(DUTCH_PROFILE, encoding="utf-8")
    pipe = f"bouwstenen-test-{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 120
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline or office.poll() is not None:
                office.kill()
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.25)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return office, desktop


def used_area(sheet: Any) -> tuple[int, int]:
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    address = cursor.getRangeAddress()
    return address.EndColumn, address.EndRow


def column_of(sheet: Any, header: str) -> int:
    last_column, _ = used_area(sheet)
    for column in range(last_column + 1):
        if sheet.getCellByPosition(column, 0).getString().strip() == header:
            return column
    raise SystemExit(f"no column {header!r} in sheet {sheet.getName()!r}")


def edit(sheet: Any, change: dict[str, Any]) -> None:
    do = change["do"]
    if do == "delete-row":
        sheet.getRows().removeByIndex(int(change["row"]) - 1, 1)
    elif do == "sort":
        last_column, last_row = used_area(sheet)
        whole = sheet.getCellRangeByPosition(0, 0, last_column, last_row)
        field = TableSortField()
        field.Field = column_of(sheet, change["header"])
        field.IsAscending = not change.get("descending", False)
        field.IsCaseSensitive = False
        whole.sort((prop("ContainsHeader", True), prop("SortFields", uno.Any("[]com.sun.star.table.TableSortField",
                                                                              (field,)))))
    elif do == "insert-column":
        index = column_of(sheet, change["before"])
        sheet.getColumns().insertByIndex(index, 1)
        sheet.getCellByPosition(index, 0).setString(change["header"])
    elif do == "type":
        cell = sheet.getCellByPosition(column_of(sheet, change["header"]), int(change["row"]) - 1)
        cell.setFormula(change["text"])  # like typing: Calc recognises numbers and dates in its locale
    else:
        raise SystemExit(f"unknown edit {do!r}")


def main() -> None:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="calc-profile-") as folder:
        office, desktop = start_calc(Path(folder))
        try:
            for job in jobs:
                url = uno.systemPathToFileUrl(str(Path(job["src"]).resolve()))
                doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
                try:
                    for change in job["edits"]:
                        edit(doc.getSheets().getByName(change["sheet"]), change)
                    target = uno.systemPathToFileUrl(str(Path(job["dst"]).resolve()))
                    doc.storeToURL(target, (prop("FilterName", "Calc MS Excel 2007 XML"),))
                finally:
                    doc.close(True)
        finally:
            try:
                desktop.terminate()
            except Exception:
                pass
            try:
                office.wait(timeout=60)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    main()
