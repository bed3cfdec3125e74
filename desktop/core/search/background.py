"""The background texts (seeds 000-002): a table of contents, one text in full, and a word search.

The background is small (a few dozen texts), so the search reads every text and keeps those in
which every word typed starts a word, folded like the intervention search (accents, case): the
same rule the highlighting uses, so every text found shows where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.model.model_file import split_list
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import query_terms
from desktop.core.text import fold


@dataclass(frozen=True)
class BackgroundEntry:
    """One line in the table of contents."""

    id: str
    title: str
    group: str


@dataclass
class BackgroundDocument:
    """A source document with its texts in the order of the document."""

    id: str
    title: str
    credit: str  # who published it and when, as far as the document says
    entries: list[BackgroundEntry] = field(default_factory=list)


@dataclass
class BackgroundText:
    id: str
    title: str
    group: str
    text: str
    note: str | None
    items: list[str]
    document: str  # the source document, named under the text
    credit: str
    risk_warning: str | None  # the report's warning, for texts that list risk or trigger factors
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    clusters: list[tuple[str, str]] = field(default_factory=list)
    interventions: list[tuple[str, str]] = field(default_factory=list)


def _credit(row: dict[str, str | None]) -> str:
    parts = [row.get("subtitle"), row.get("author"), row.get("publisher"), row.get("year")]
    return ", ".join(p for p in parts if p)


def _document_title(row: dict[str, str | None]) -> str:
    title = row.get("title") or ""
    return f"{title} (titel van de redactie)" if row.get("title_supplied") else title


def background_contents(repo: ModelRepository) -> list[BackgroundDocument]:
    """Every source document with its texts, in the order of the published model."""
    documents: dict[str, BackgroundDocument] = {}
    for row in repo.conn.execute("SELECT * FROM background_source ORDER BY position"):
        values = dict(row)
        documents[row["id"]] = BackgroundDocument(row["id"], _document_title(values), _credit(values))
    loose = BackgroundDocument("", "Overige achtergrond", "")
    for row in repo.conn.execute('SELECT id, title, "group", source FROM background_topic ORDER BY position'):
        target = documents.get(row["source"] or "", loose)
        target.entries.append(BackgroundEntry(row["id"], row["title"] or row["id"], row["group"] or ""))
    return [d for d in [*documents.values(), loose] if d.entries]


def _names(repo: ModelRepository, table: str, ids: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for key in ids:
        row = repo.conn.execute(f"SELECT name FROM {table} WHERE id = ?", (key,)).fetchone()
        if row is not None:  # an id the model no longer has is left out, not shown as a broken link
            found.append((key, row[0]))
    return found


def background_text(repo: ModelRepository, topic_id: str) -> BackgroundText | None:
    row = repo.conn.execute("SELECT * FROM background_topic WHERE id = ?", (topic_id,)).fetchone()
    if row is None:
        return None
    source = repo.conn.execute("SELECT * FROM background_source WHERE id = ?", (row["source"],)).fetchone()
    source_values = dict(source) if source is not None else {}
    items = [r[0] for r in repo.conn.execute(
        "SELECT text FROM background_item WHERE background_topic_id = ? ORDER BY position", (topic_id,))]
    return BackgroundText(
        id=row["id"], title=row["title"] or row["id"], group=row["group"] or "", text=row["text"] or "",
        note=row["note"], items=items, document=_document_title(source_values) or "onbekende bron",
        credit=_credit(source_values),
        risk_warning=repo.text("risk_factor_warning") if row["risk_factors"] else None,
        blocks=_names(repo, "block", split_list(row["blocks"])),
        clusters=_names(repo, "cluster", split_list(row["clusters"])),
        interventions=_names(repo, "intervention", split_list(row["interventions"])),
    )


def search_background(repo: ModelRepository, query: str) -> list[str]:
    """Ids of the texts with every word of the query (title, group, text and list items)."""
    words = [re.compile(r"(?<!\w)" + re.escape(term)) for term in query_terms(query)]
    if not words:
        return [r[0] for r in repo.conn.execute("SELECT id FROM background_topic ORDER BY position")]
    items: dict[str, list[str]] = {}
    for topic_id, text in repo.conn.execute("SELECT background_topic_id, text FROM background_item"):
        items.setdefault(topic_id, []).append(text or "")
    found = []
    for row in repo.conn.execute('SELECT id, title, "group", text, note FROM background_topic ORDER BY position'):
        haystack = fold(" ".join([row[1] or "", row[2] or "", row[3] or "", row[4] or "",
                                  *items.get(row[0], [])]))
        if all(word.search(haystack) for word in words):
            found.append(row[0])
    return found
