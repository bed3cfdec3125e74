"""Printable documents (Qt-free): what is printed or saved as PDF is built here as plain, escaped HTML.

    report = Report("Under Pressure", html)
    footer = footer_text(repo.meta())        # model version, publication date and the source report

The Qt layer (`desktop.ui.printing`) lays a Report out on A4 pages with the footer and page numbers.
Every text from the model or the user is escaped; no report loads an external resource.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.text import dutch_date

SOURCE_REPORT = ("bron: rapport ‘Bouwstenenmodel: beschermende factoren en interventies ter preventie van "
                 "radicalisering en ongewenste polarisatie’")


@dataclass
class Report:
    title: str  # Dutch; the document's heading and the PDF's title
    html: str  # the body: plain HTML (headings, paragraphs, lists, simple tables), every text escaped


def footer_text(meta: dict[str, str]) -> str:
    """'Bouwstenenmodel versie 1.0, gepubliceerd 22 november 2026 · bron: rapport …'."""
    return (f"Bouwstenenmodel versie {meta.get('model_version', '?')}, gepubliceerd "
            f"{dutch_date(meta.get('published'))} · {SOURCE_REPORT}")
