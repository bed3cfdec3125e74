"""Read access to a model database: the tree, node details, intervention details, facets.

Everything returned is a plain Python structure (dataclasses, lists, dicts) so the Qt layer and the
command line can use it without SQL.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.schema import open_model


@dataclass
class ClusterNode:
    id: str
    name: str
    count: int


@dataclass
class ThemeNode:
    id: str
    name: str
    count: int
    clusters: list[ClusterNode] = field(default_factory=list)


@dataclass
class BlockNode:
    id: str
    number: int
    name: str
    count: int
    themes: list[ThemeNode] = field(default_factory=list)


@dataclass
class InterventionRow:
    """One line of the intervention list."""

    id: str
    name: str
    type_text: str | None
    trede: int | None
    offered: bool | None
    explicit: bool | None
    type_codes: list[str]


@dataclass
class LinkedCluster:
    block_id: str
    block_number: int
    block_name: str
    theme_id: str
    theme_name: str
    cluster_id: str
    cluster_name: str
    explicit: bool
    offered: bool
    via_municipality: bool
    trede: int | None
    trede_source: str | None


@dataclass
class TypeInfo:
    code: str
    name: str
    parent: str | None
    description: str | None
    target_groups: str | None
    factors: str | None
    working_elements: list[str]
    preconditions: list[str]
    sources: list[str]
    examples: list[tuple[str, str | None]]
    derived: bool = False


@dataclass
class EffectLevelInfo:
    trede: int
    name: str
    explanation: str


@dataclass
class FacetInfo:
    key: str
    label: str
    values: list[tuple[str, str, bool]]  # (value, label, derived)


@dataclass
class InterventionDetail:
    id: str
    name: str
    aliases: list[str]
    type_text: str | None
    offered: bool | None
    description: str | None
    goal: str | None
    explicit: bool | None
    target_group: str | None
    provider: str | None
    trede: int | None
    trede_label: str | None
    trede_source: str | None
    evaluation: str | None
    source: str | None
    links: list[str]
    clusters: list[LinkedCluster]
    types: list[TypeInfo]
    effect_level: EffectLevelInfo | None
    facets: list[FacetInfo]


@dataclass
class NodeDetail:
    """What the detail pane shows for a bouwsteen, thema or beschermende factor."""

    kind: str  # "block" | "theme" | "cluster"
    id: str
    name: str
    block_id: str
    block_name: str
    theme_name: str | None = None
    description: str | None = None
    focus: str | None = None
    subfactors: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    risk_factor_warning: str | None = None
    types: list[tuple[str, str]] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)
    clusters: list[tuple[str, str]] = field(default_factory=list)
    intervention_count: int = 0


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


class ModelRepository:
    """Queries over one open model database (read-only)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._rows: dict[str, InterventionRow] | None = None

    @classmethod
    def open(cls, path: Path) -> ModelRepository:
        return cls(open_model(path), path)

    def close(self) -> None:
        self.conn.close()

    # --- model-wide -------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.conn.execute("SELECT key, value FROM meta")}

    def text(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM text WHERE key = ?", (key,)).fetchone()
        return str(row["value"]) if row else None

    def counts(self) -> dict[str, int]:
        def count(sql: str) -> int:
            return int(self.conn.execute(sql).fetchone()[0])

        return {
            "blocks": count("SELECT count(*) FROM block"),
            "themes": count("SELECT count(*) FROM theme"),
            "clusters": count("SELECT count(*) FROM cluster"),
            "interventions": count("SELECT count(*) FROM intervention"),
            "example_links": count("SELECT count(*) FROM example_link"),
            "intervention_types": count("SELECT count(*) FROM intervention_type"),
        }

    def tree(self) -> list[BlockNode]:
        """Blocks -> themes -> clusters with the number of distinct interventions below each."""
        cluster_counts = {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT cluster_id, count(DISTINCT intervention_id) FROM example_link GROUP BY cluster_id"
            )
        }
        theme_counts = {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT c.theme_id, count(DISTINCT e.intervention_id) FROM example_link e "
                "JOIN cluster c ON c.id = e.cluster_id GROUP BY c.theme_id"
            )
        }
        block_counts = {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT c.block_id, count(DISTINCT e.intervention_id) FROM example_link e "
                "JOIN cluster c ON c.id = e.cluster_id GROUP BY c.block_id"
            )
        }
        blocks = {
            r["id"]: BlockNode(r["id"], r["number"], r["name"], block_counts.get(r["id"], 0))
            for r in self.conn.execute("SELECT id, number, name FROM block ORDER BY number")
        }
        themes: dict[str, ThemeNode] = {}
        for r in self.conn.execute("SELECT id, block_id, name FROM theme ORDER BY block_id, position"):
            node = ThemeNode(r["id"], r["name"], theme_counts.get(r["id"], 0))
            themes[r["id"]] = node
            blocks[r["block_id"]].themes.append(node)
        for r in self.conn.execute("SELECT id, theme_id, name FROM cluster ORDER BY theme_id, position"):
            themes[r["theme_id"]].clusters.append(ClusterNode(r["id"], r["name"], cluster_counts.get(r["id"], 0)))
        return list(blocks.values())

    # --- nodes ------------------------------------------------------------------------------
    def node(self, kind: str, node_id: str) -> NodeDetail | None:
        if kind == "block":
            return self._block(node_id)
        if kind == "theme":
            return self._theme(node_id)
        if kind == "cluster":
            return self._cluster(node_id)
        return None

    def _block(self, block_id: str) -> NodeDetail | None:
        row = self.conn.execute("SELECT * FROM block WHERE id = ?", (block_id,)).fetchone()
        if row is None:
            return None
        risks = [r[0] for r in self.conn.execute(
            "SELECT text FROM risk_factor WHERE block_id = ? ORDER BY position", (block_id,))]
        themes = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT id, name FROM theme WHERE block_id = ? ORDER BY position", (block_id,))]
        count = self.conn.execute(
            "SELECT count(DISTINCT e.intervention_id) FROM example_link e JOIN cluster c ON c.id = e.cluster_id "
            "WHERE c.block_id = ?", (block_id,)).fetchone()[0]
        return NodeDetail(
            kind="block", id=row["id"], name=row["name"], block_id=row["id"], block_name=row["name"],
            description=row["description"], risk_factors=risks,
            risk_factor_warning=self.text("risk_factor_warning") if risks else None,
            themes=themes, intervention_count=count,
        )

    def _theme(self, theme_id: str) -> NodeDetail | None:
        row = self.conn.execute(
            "SELECT t.*, b.name AS block_name FROM theme t JOIN block b ON b.id = t.block_id WHERE t.id = ?",
            (theme_id,),
        ).fetchone()
        if row is None:
            return None
        clusters = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT id, name FROM cluster WHERE theme_id = ? ORDER BY position", (theme_id,))]
        count = self.conn.execute(
            "SELECT count(DISTINCT e.intervention_id) FROM example_link e JOIN cluster c ON c.id = e.cluster_id "
            "WHERE c.theme_id = ?", (theme_id,)).fetchone()[0]
        return NodeDetail(
            kind="theme", id=row["id"], name=row["name"], block_id=row["block_id"],
            block_name=row["block_name"], clusters=clusters, intervention_count=count,
        )

    def _cluster(self, cluster_id: str) -> NodeDetail | None:
        row = self.conn.execute(
            "SELECT c.*, b.name AS block_name, t.name AS theme_name FROM cluster c "
            "JOIN block b ON b.id = c.block_id JOIN theme t ON t.id = c.theme_id WHERE c.id = ?",
            (cluster_id,),
        ).fetchone()
        if row is None:
            return None
        subfactors = [r[0] for r in self.conn.execute(
            "SELECT text FROM subfactor WHERE cluster_id = ? ORDER BY position", (cluster_id,))]
        references = [r[0] for r in self.conn.execute(
            "SELECT text FROM literature_reference WHERE cluster_id = ? ORDER BY position", (cluster_id,))]
        types = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT t.code, t.name FROM cluster_type ct JOIN intervention_type t ON t.code = ct.type_code "
            "WHERE ct.cluster_id = ? ORDER BY ct.position", (cluster_id,))]
        count = self.conn.execute(
            "SELECT count(DISTINCT intervention_id) FROM example_link WHERE cluster_id = ?", (cluster_id,)
        ).fetchone()[0]
        return NodeDetail(
            kind="cluster", id=row["id"], name=row["name"], block_id=row["block_id"],
            block_name=row["block_name"], theme_name=row["theme_name"], focus=row["focus"],
            description=row["note"], subfactors=subfactors, references=references, types=types,
            intervention_count=count,
        )

    # --- interventions ----------------------------------------------------------------------
    def _all_rows(self) -> dict[str, InterventionRow]:
        """Summary rows of every intervention, cached: the list fetches from here on demand."""
        if self._rows is None:
            codes: dict[str, list[str]] = {}
            for r in self.conn.execute(
                "SELECT intervention_id, value FROM intervention_facet WHERE facet_key = 'type' "
                "ORDER BY derived, value"
            ):
                codes.setdefault(r[0], []).append(r[1])
            self._rows = {
                r["id"]: InterventionRow(
                    r["id"], r["name"], r["type_text"], r["trede"], _bool(r["offered"]), _bool(r["explicit"]),
                    codes.get(r["id"], []),
                )
                for r in self.conn.execute(
                    "SELECT id, name, type_text, trede, offered, explicit FROM intervention ORDER BY sort_key"
                )
            }
        return self._rows

    def rows(self, ids: list[str]) -> list[InterventionRow]:
        table = self._all_rows()
        return [table[i] for i in ids if i in table]

    def row(self, intervention_id: str) -> InterventionRow | None:
        return self._all_rows().get(intervention_id)

    def all_ids(self) -> list[str]:
        return list(self._all_rows())

    def intervention(self, intervention_id: str) -> InterventionDetail | None:
        r = self.conn.execute("SELECT * FROM intervention WHERE id = ?", (intervention_id,)).fetchone()
        if r is None:
            return None
        aliases = [a[0] for a in self.conn.execute(
            "SELECT alias FROM alias WHERE intervention_id = ? ORDER BY alias", (intervention_id,))]
        links = [a[0] for a in self.conn.execute(
            "SELECT url FROM intervention_link WHERE intervention_id = ? ORDER BY position", (intervention_id,))]
        clusters = [
            LinkedCluster(
                c["block_id"], c["number"], c["block_name"], c["theme_id"], c["theme_name"], c["cluster_id"],
                c["cluster_name"], bool(c["explicit"]), bool(c["offered"]), bool(c["via_municipality"]),
                c["trede"], c["trede_source"],
            )
            for c in self.conn.execute(
                "SELECT b.id AS block_id, b.number, b.name AS block_name, t.id AS theme_id, "
                "t.name AS theme_name, c.id AS cluster_id, c.name AS cluster_name, e.explicit, e.offered, "
                "e.via_municipality, e.trede, e.trede_source FROM example_link e "
                "JOIN cluster c ON c.id = e.cluster_id JOIN theme t ON t.id = c.theme_id "
                "JOIN block b ON b.id = c.block_id WHERE e.intervention_id = ? "
                "ORDER BY b.number, t.position, c.position",
                (intervention_id,),
            )
        ]
        type_rows = self.conn.execute(
            "SELECT value, derived FROM intervention_facet WHERE intervention_id = ? AND facet_key = 'type' "
            "ORDER BY derived, value",
            (intervention_id,),
        ).fetchall()
        types = []
        for t in type_rows:
            info = self.intervention_type(t["value"])
            if info is not None:
                info.derived = bool(t["derived"])
                types.append(info)
        level = None
        if r["trede"] is not None:
            lv = self.conn.execute("SELECT * FROM effect_level WHERE trede = ?", (r["trede"],)).fetchone()
            if lv is not None:
                level = EffectLevelInfo(lv["trede"], lv["name"], lv["explanation"])
        return InterventionDetail(
            id=r["id"], name=r["name"], aliases=aliases, type_text=r["type_text"], offered=_bool(r["offered"]),
            description=r["description"], goal=r["goal"], explicit=_bool(r["explicit"]),
            target_group=r["target_group"], provider=r["provider"], trede=r["trede"],
            trede_label=r["trede_label"], trede_source=r["trede_source"], evaluation=r["evaluation"],
            source=r["source"], links=links, clusters=clusters, types=types, effect_level=level,
            facets=self._facets_of(intervention_id),
        )

    def _facets_of(self, intervention_id: str) -> list[FacetInfo]:
        result: dict[str, FacetInfo] = {}
        for r in self.conn.execute(
            "SELECT f.key, f.label AS flabel, v.value, v.label, i.derived FROM intervention_facet i "
            "JOIN facet f ON f.key = i.facet_key "
            "JOIN facet_value v ON v.facet_key = i.facet_key AND v.value = i.value "
            "WHERE i.intervention_id = ? AND f.key != 'type' ORDER BY f.position, v.position",
            (intervention_id,),
        ):
            info = result.setdefault(r["key"], FacetInfo(r["key"], r["flabel"], []))
            info.values.append((r["value"], r["label"], bool(r["derived"])))
        return list(result.values())

    def intervention_type(self, code: str) -> TypeInfo | None:
        t = self.conn.execute("SELECT * FROM intervention_type WHERE code = ?", (code,)).fetchone()
        if t is None:
            return None
        items: dict[str, list[str]] = {"working_element": [], "precondition": [], "source": []}
        for i in self.conn.execute(
            "SELECT kind, text FROM type_item WHERE type_code = ? ORDER BY kind, position", (code,)
        ):
            items.setdefault(i["kind"], []).append(i["text"])
        examples = [(e[0], e[1]) for e in self.conn.execute(
            "SELECT name, intervention_id FROM type_example WHERE type_code = ? ORDER BY position", (code,))]
        return TypeInfo(
            t["code"], t["name"], t["parent"], t["description"], t["target_groups"], t["factors"],
            items["working_element"], items["precondition"], items["source"], examples,
        )

    def intervention_types(self) -> list[TypeInfo]:
        codes = [r[0] for r in self.conn.execute("SELECT code FROM intervention_type ORDER BY position")]
        return [t for t in (self.intervention_type(c) for c in codes) if t is not None]

    def effectladder(self) -> list[EffectLevelInfo]:
        return [
            EffectLevelInfo(r["trede"], r["name"], r["explanation"])
            for r in self.conn.execute("SELECT * FROM effect_level ORDER BY trede")
        ]

    def facets(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """Every facet with its values in display order: (key, label, [(value, label)])."""
        result = []
        for f in self.conn.execute("SELECT key, label FROM facet ORDER BY position").fetchall():
            values = [(v[0], v[1]) for v in self.conn.execute(
                "SELECT value, label FROM facet_value WHERE facet_key = ? ORDER BY position", (f["key"],))]
            result.append((f["key"], f["label"], values))
        return result

    def find_by_name(self, name: str) -> list[str]:
        """Intervention ids whose name or alias matches `name` (normalised)."""
        from desktop.core.slug import normalise_name

        key = normalise_name(name)
        ids = [r[0] for r in self.conn.execute("SELECT id, name FROM intervention") if normalise_name(r[1]) == key]
        ids += [r[0] for r in self.conn.execute("SELECT intervention_id FROM alias WHERE normalised = ?", (key,))]
        return list(dict.fromkeys(ids))
