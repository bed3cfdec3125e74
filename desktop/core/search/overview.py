"""The whole model at a glance: every bouwsteen, thema and beschermende factor with how well it is covered.

`model_overview()` answers from the repository's search index when it has one (the counts per factor, thema and
bouwsteen stored with the index, the same as the filters' sets give) and otherwise in two queries
(the structure with the counts per factor, then the totals per thema and bouwsteen); it returns plain
dataclasses for the model map and for reports.

Counting rules (the same as `ModelRepository.tree()` and the search filters):

- `interventions`: distinct interventions linked as an example (table `example`) to the factor, thema or bouwsteen;
  an intervention linked to two factors of one thema counts once for that thema.
- `with_trede`: how many of those have a trede on the effectladder (`intervention.trede IS NOT NULL`).
- `offered`: how many of those are currently offered according to the intervention itself
  (`intervention.offered = 1`). This is the definition the "nu aangeboden" search filter uses, so a factor that
  says "9 nu aangeboden" lists exactly 9 interventions with that filter on. The per-link flag
  `example.offered` (what the report's table said for that one factor) is deliberately not used: it can differ
  from the intervention's own, newer value.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Protocol

from desktop.core.search.search import SearchIndex

MEASURES = ("interventies", "trede", "aangeboden")
"""The coverage measures a map can shade by: number of interventions, share with a trede, share offered now."""


class _Counted(Protocol):
    @property
    def interventions(self) -> int: ...
    @property
    def with_trede(self) -> int: ...
    @property
    def offered(self) -> int: ...


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (a factor without examples)."""
    return part / whole if whole > 0 else None


class _Shares:
    """Shares derived from the three counts (mixed into the overview dataclasses)."""

    @property
    def trede_share(self: _Counted) -> float | None:
        return share(self.with_trede, self.interventions)

    @property
    def offered_share(self: _Counted) -> float | None:
        return share(self.offered, self.interventions)

    @property
    def is_gap(self: _Counted) -> bool:
        """No example interventions at all: a gap ("lacune") in the model."""
        return self.interventions == 0


@dataclass(frozen=True)
class ClusterOverview(_Shares):
    """One beschermende factor (cluster)."""

    id: str
    name: str
    interventions: int
    with_trede: int
    offered: int


@dataclass(frozen=True)
class ThemeOverview(_Shares):
    id: str
    name: str
    interventions: int
    with_trede: int
    offered: int
    clusters: list[ClusterOverview] = field(default_factory=list)


@dataclass(frozen=True)
class BlockOverview(_Shares):
    id: str
    number: int
    name: str
    interventions: int
    with_trede: int
    offered: int
    themes: list[ThemeOverview] = field(default_factory=list)

    @property
    def clusters(self) -> list[ClusterOverview]:
        return [c for t in self.themes for c in t.clusters]


def interventions_label(count: int) -> str:
    """'1 interventie', '14 interventies' (Dutch plural)."""
    return f"{count} interventie" if count == 1 else f"{count} interventies"


_COUNTS = ("count(DISTINCT e.intervention), "
           "count(DISTINCT CASE WHEN i.trede IS NOT NULL THEN e.intervention END), "
           "count(DISTINCT CASE WHEN i.offered = 1 THEN e.intervention END)")

_STRUCTURE = f"""
SELECT b.id, b.number, b.name, t.id, t.name, c.id, c.name, {_COUNTS}
FROM block b
LEFT JOIN theme t ON t.block_id = b.id
LEFT JOIN cluster c ON c.theme_id = t.id
LEFT JOIN example e ON e.cluster_id = c.id
LEFT JOIN intervention i ON i.id = e.intervention
GROUP BY b.id, t.id, c.id
ORDER BY b.number, b.position, t.position, c.position
"""

_TOTALS = f"""
SELECT 'theme', c.theme_id, {_COUNTS}
FROM example e JOIN cluster c ON c.id = e.cluster_id LEFT JOIN intervention i ON i.id = e.intervention
GROUP BY c.theme_id
UNION ALL
SELECT 'block', t.block_id, {_COUNTS}
FROM example e JOIN cluster c ON c.id = e.cluster_id JOIN theme t ON t.id = c.theme_id
LEFT JOIN intervention i ON i.id = e.intervention
GROUP BY t.block_id
"""


class _HasConnection(Protocol):
    conn: sqlite3.Connection


_TREE = """
SELECT b.id, b.number, b.name, t.id, t.name, c.id, c.name
FROM block b
LEFT JOIN theme t ON t.block_id = b.id
LEFT JOIN cluster c ON c.theme_id = t.id
ORDER BY b.number, b.position, t.position, c.position
"""


def _from_index(conn: sqlite3.Connection, index: SearchIndex) -> list[BlockOverview]:
    node_counts = index.node_counts

    def counts(kind: str, key: str) -> tuple[int, int, int]:
        return node_counts.get((kind, key), (0, 0, 0))

    blocks: dict[str, BlockOverview] = {}
    themes: dict[str, ThemeOverview] = {}
    for block_id, number, block_name, theme_id, theme_name, cluster_id, cluster_name in conn.execute(_TREE):
        block = blocks.get(block_id)
        if block is None:
            block = BlockOverview(block_id, int(number), block_name or "", *counts("block", block_id))
            blocks[block_id] = block
        if theme_id is None:
            continue
        theme = themes.get(theme_id)
        if theme is None:
            theme = ThemeOverview(theme_id, theme_name or "", *counts("theme", theme_id))
            themes[theme_id] = theme
            block.themes.append(theme)
        if cluster_id is not None:
            theme.clusters.append(ClusterOverview(cluster_id, cluster_name or "", *counts("cluster", cluster_id)))
    return list(blocks.values())


def model_overview(repo: _HasConnection) -> list[BlockOverview]:
    """Every bouwsteen -> thema -> beschermende factor in model order, with coverage counts at every level."""
    index = getattr(repo, "index", None)
    if isinstance(index, SearchIndex):
        return _from_index(repo.conn, index)
    totals: dict[tuple[str, str], tuple[int, int, int]] = {
        (kind, key): (int(n), int(trede), int(offered))
        for kind, key, n, trede, offered in repo.conn.execute(_TOTALS)
    }
    blocks: dict[str, BlockOverview] = {}
    themes: dict[str, ThemeOverview] = {}
    for block_id, number, block_name, theme_id, theme_name, cluster_id, cluster_name, n, trede, offered in \
            repo.conn.execute(_STRUCTURE):
        block = blocks.get(block_id)
        if block is None:
            block = BlockOverview(block_id, int(number), block_name or "",
                                  *totals.get(("block", block_id), (0, 0, 0)))
            blocks[block_id] = block
        if theme_id is None:
            continue
        theme = themes.get(theme_id)
        if theme is None:
            theme = ThemeOverview(theme_id, theme_name or "", *totals.get(("theme", theme_id), (0, 0, 0)))
            themes[theme_id] = theme
            block.themes.append(theme)
        if cluster_id is not None:
            theme.clusters.append(ClusterOverview(cluster_id, cluster_name or "", int(n), int(trede), int(offered)))
    return list(blocks.values())
