"""The sheet and column tables of docs/published-format.md, generated from the schema.

    python -m desktop.core.model.docs        # rewrite the generated part of the document

A test checks that the document matches the schema, so the documentation cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.core.model.schema import SCHEMA
from desktop.core.model.xlsx_write import GUIDE_SHEET, sheet_columns

GENERATED_START = "<!-- begin: generated from desktop/core/model/schema.py -->"
GENERATED_END = "<!-- end: generated -->"
DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "published-format.md"


def sheet_tables() -> str:
    lines = [
        f"The sheet `{GUIDE_SHEET}` comes first and explains every sheet and column; it is never read.",
        "",
        "| sheet | what | columns |",
        "|---|---|---|",
    ]
    for entity in SCHEMA:
        name = f"`{entity.sheet}`" + (" (verplicht)" if entity.required_sheet else "")
        columns = []
        for column in sheet_columns(entity):
            text = f"`{column.header}`"
            if column.informational:
                text += " (ter informatie)"
            elif column.field is not None and column.field.required:
                text += " (verplicht)"
            columns.append(text)
        lines.append(f"| {name} | {entity.purpose} | {', '.join(columns)} |")
    lines += ["", "Column details:", ""]
    for entity in SCHEMA:
        details = [f"`{c.header}`: {c.help}" for c in sheet_columns(entity) if c.help]
        if details:
            lines.append(f"- `{entity.sheet}`: " + "; ".join(details))
    return "\n".join(lines) + "\n"


def update_document(path: Path = DOCUMENT) -> bool:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(GENERATED_START) + len(GENERATED_START), text.index(GENERATED_END)
    new = text[:start] + "\n" + sheet_tables() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    print("bijgewerkt" if update_document() else "al actueel", file=sys.stderr)
