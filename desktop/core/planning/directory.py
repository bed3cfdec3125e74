"""Organisations and practice examples (seed 002) as one searchable directory.

    search_directory(repo, "jeugd") -> entries whose texts contain every word (accents and capitals ignored)

Each entry carries the bouwstenen and beschermende factoren it is linked to (with their names), so
the main search can show these as a separate group of results and the UI can jump to the factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.model.model_file import split_list
from desktop.core.search.repository import ModelRepository
from desktop.core.text import fold

KIND_LABELS = {"organisation": "Organisatie", "practice_example": "Praktijkvoorbeeld"}


@dataclass
class DirectoryLink:
    kind: str  # "block" | "cluster"
    id: str
    name: str
    in_model: bool = True


@dataclass
class DirectoryEntry:
    kind: str  # "organisation" | "practice_example"
    id: str
    title: str
    group: str | None  # the heading an organisation stands under; None for a practice example
    url: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)  # (Dutch label, text), in reading order
    links: list[DirectoryLink] = field(default_factory=list)
    folded: str = ""  # every text folded, for filtering

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def matches(self, words: list[str]) -> bool:
        return all(w in self.folded for w in words)


def directory(repo: ModelRepository) -> list[DirectoryEntry]:
    """Every organisation (in the report's order, by group) and then every practice example."""
    blocks = {r[0]: r[1] for r in repo.conn.execute("SELECT id, name FROM block")}
    clusters = {r[0]: r[1] for r in repo.conn.execute("SELECT id, name FROM cluster")}

    def links(block_ids: str | None, cluster_ids: str | None) -> list[DirectoryLink]:
        found = [DirectoryLink("block", b, blocks.get(b, b), b in blocks) for b in split_list(block_ids)]
        found += [DirectoryLink("cluster", c, clusters.get(c, c), c in clusters) for c in split_list(cluster_ids)]
        return found

    entries: list[DirectoryEntry] = []
    for r in repo.conn.execute('SELECT id, name, url, "group", blocks, clusters FROM organisation ORDER BY position'):
        fields = [(label, value) for label, value in (("Rubriek", r[3]), ("Website", r[2])) if value]
        entries.append(DirectoryEntry("organisation", r[0], r[1], r[3], r[2], fields, links(r[4], r[5])))
    for r in repo.conn.execute("SELECT id, title, for_whom, summary, parties, contact, blocks, clusters "
                               "FROM practice_example ORDER BY position"):
        fields = [(label, value.strip()) for label, value in (
            ("Voor wie", r[2]), ("Wat", r[3]), ("Betrokken partijen", r[4]), ("Meer weten", r[5])) if value]
        entries.append(DirectoryEntry("practice_example", r[0], r[1], None, None, fields, links(r[6], r[7])))
    for entry in entries:
        texts = [entry.title, entry.kind_label, entry.group or "", *(v for _l, v in entry.fields),
                 *(link.name for link in entry.links)]
        entry.folded = fold(" ".join(texts))
    return entries


def filter_directory(entries: list[DirectoryEntry], text: str) -> list[DirectoryEntry]:
    words = fold(text).split()
    return [e for e in entries if e.matches(words)] if words else list(entries)


def search_directory(repo: ModelRepository, text: str) -> list[DirectoryEntry]:
    """Organisations and practice examples that contain every word of `text` (folded); all when empty."""
    return filter_directory(directory(repo), text)
