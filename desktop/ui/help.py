"""The Dutch manual in the app: F1 opens the part for the pane that has focus."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from desktop.core import paths

MANUAL = "help/handleiding.md"
SECTIONS = ("Boom", "Zoeken", "Filters", "Details", "Notities", "Werksets", "Model bijwerken", "Sneltoetsen",
            "Als er iets misgaat")


@lru_cache(maxsize=1)
def manual() -> str:
    path = paths.resources_dir() / MANUAL
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return "# Handleiding\n\nDe handleiding is niet gevonden in deze installatie."


def sections() -> dict[str, str]:
    """Section title -> its markdown (the part before the first section is the introduction)."""
    text = manual()
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    found = {"Inleiding": parts[0]}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        found[title.strip()] = body
    return found


def _inline(text: str) -> str:
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def to_html(markdown: str) -> str:
    """The small part of Markdown the manual uses: headings, paragraphs, lists, tables, emphasis."""
    out: list[str] = []
    paragraph: list[str] = []
    in_list = ""
    table: list[list[str]] = []

    def flush() -> None:
        nonlocal in_list, table
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if in_list:
            out.append(f"</{in_list}>")
            in_list = ""
        if table:
            rows = [r for r in table if not all(set(c) <= set("-: ") for c in r)]
            out.append("<table cellpadding='3'>" + "".join(
                "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
            table = []

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if line.startswith("# "):
            flush()
            out.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.startswith("## "):
            flush()
            out.append(f"<h2>{_inline(line[3:])}</h2>")
        elif line.startswith("|"):
            if paragraph or in_list:
                flush()
            table.append([c.strip() for c in line.strip("|").split("|")])
        elif re.match(r"^\s*(- |\d+\. )", line):
            kind = "ol" if re.match(r"^\s*\d+\. ", line) else "ul"
            if paragraph or table or (in_list and in_list != kind):
                flush()
            if not in_list:
                out.append(f"<{kind}>")
                in_list = kind
            item = re.sub(r"^\s*(- |\d+\. )", "", line)
            out.append(f"<li>{_inline(item)}")
        elif not line.strip():
            flush()
        elif in_list and raw.startswith("  "):
            out[-1] += " " + _inline(line.strip())
        else:
            if in_list or table:
                flush()
            paragraph.append(line.strip())
    flush()
    return "".join(out)


def section_html(title: str | None) -> str:
    """One section (with a line pointing at the rest), or the whole manual when `title` is None."""
    if title is None or title not in sections():
        return to_html(manual())
    return to_html(f"## {title}\n{sections()[title]}") + \
        "<p><i>De hele handleiding: Help › Handleiding (F1 in een leeg deel van het venster).</i></p>"
