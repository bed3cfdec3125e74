"""Read access to a model database for the application: tree, node and intervention details, lists.

Everything returned is a plain Python structure, so the Qt layer and the command line use it without
SQL. A repository is a context manager; `search()` and `counts()` go through its `SearchIndex`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from desktop.core.model.model_file import TYPE_FACET, open_model, split_list
from desktop.core.search.search import FacetCount, Filters, SearchIndex

if TYPE_CHECKING:
    from desktop.core.model.entities import Model


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
    explicit: bool | None
    offered: bool | None
    via_municipality: bool | None
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
    example_descriptions: list[tuple[str, str]] = field(default_factory=list)
    basis: str | None = None  # for an intervention: "rapport" | "redactie"
    why: str | None = None


@dataclass
class EffectLevelInfo:
    trede: int
    name: str | None
    explanation: str | None


@dataclass
class FacetInfo:
    key: str
    label: str
    values: list[tuple[str, str]]  # (value, label)
    basis: str | None = None
    why: str | None = None


@dataclass
class FacetDefinition:
    key: str
    label: str
    description: str | None
    values: list[tuple[str, str, str | None]]  # (value, label, description)


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

    kind: str  # "block" | "theme" | "cluster" | "unlinked"
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
    background: list[tuple[str, str]] = field(default_factory=list)  # (topic id, title)
    organisations: list[tuple[str, str]] = field(default_factory=list)
    practice_examples: list[tuple[str, str]] = field(default_factory=list)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


class ModelRepository:
    """Queries over one open model database (read-only)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._rows: dict[str, InterventionRow] | None = None
        self._index: SearchIndex | None = None
        self._some_rows: dict[str, InterventionRow | None] = {}  # rows read one by one before `_rows`
        self._counts: dict[str, int] | None = None

    @classmethod
    def open(cls, path: Path) -> ModelRepository:
        return cls(open_model(path), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ModelRepository:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return self.conn.execute(sql, args).fetchall()

    def _column(self, sql: str, *args: Any) -> list[Any]:
        return [r[0] for r in self.conn.execute(sql, args)]

    # --- model-wide -------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT key, value FROM meta")}

    def text(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM text WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        """The number of rows per kind, counted once (the model file is read-only; the start asks three times)."""
        def count(table: str) -> int:
            return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        if self._counts is None:
            self._counts = {
                "blocks": count("block"), "themes": count("theme"), "clusters": count("cluster"),
                "interventions": count("intervention"), "example_links": count("example"),
                "intervention_types": count("intervention_type"),
            }
        return dict(self._counts)

    def model(self) -> Model:
        """The whole model (for export and comparison)."""
        from desktop.core.model.checks import ProblemLog
        from desktop.core.model.sqlite_codec import read_model

        model, _loc = read_model(self.conn, ProblemLog(self.path.name if self.path else "model", "tabel"), trusted=True)
        return model

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex(self.conn)
        return self._index

    def search(self, text: str = "", filters: Filters | None = None) -> Sequence[str]:
        return self.index.search(text, filters)

    def counts_for(self, text: str, filters: Filters) -> tuple[dict[str, list[FacetCount]], dict[str, dict[Any, int]]]:
        return self.index.counts(text, filters, [(f.key, [(v, label) for v, label, _d in f.values])
                                                 for f in self.facets()])

    def tree(self) -> list[BlockNode]:
        """Blocks -> themes -> clusters with the number of distinct interventions below each."""
        # the distinct interventions below each node: what the scope filter's sets give
        counted = self.index.node_counts
        cluster_counts = {key: n[0] for (kind, key), n in counted.items() if kind == "cluster"}
        theme_counts = {key: n[0] for (kind, key), n in counted.items() if kind == "theme"}
        block_counts = {key: n[0] for (kind, key), n in counted.items() if kind == "block"}
        blocks = {
            r["id"]: BlockNode(r["id"], r["number"], r["name"], block_counts.get(r["id"], 0))
            for r in self._all("SELECT id, number, name FROM block ORDER BY number")
        }
        themes: dict[str, ThemeNode] = {}
        for r in self._all("SELECT id, block_id, name FROM theme ORDER BY block_id, position"):
            node = ThemeNode(r["id"], r["name"], theme_counts.get(r["id"], 0))
            themes[r["id"]] = node
            blocks[r["block_id"]].themes.append(node)
        for r in self._all("SELECT id, theme_id, name FROM cluster ORDER BY theme_id, position"):
            themes[r["theme_id"]].clusters.append(ClusterNode(r["id"], r["name"], cluster_counts.get(r["id"], 0)))
        return list(blocks.values())

    def unlinked_count(self) -> int:
        """Interventions that are no example of any beschermende factor (stored with the tree's counts)."""
        return self.index.node_counts.get(("unlinked", ""), (0, 0, 0))[0]

    # --- nodes ------------------------------------------------------------------------------
    def node(self, kind: str, node_id: str) -> NodeDetail | None:
        if kind == "block":
            return self._block(node_id)
        if kind == "theme":
            return self._theme(node_id)
        if kind == "cluster":
            return self._cluster(node_id)
        if kind == "unlinked":
            return NodeDetail(kind="unlinked", id="", name="Niet gekoppeld aan een beschermende factor", block_id="",
                              block_name="", intervention_count=self.unlinked_count())
        return None

    def _related(self, detail: NodeDetail, column: str, value: str) -> None:
        """Background texts, organisations and practice examples that name this bouwsteen or factor."""
        pattern = f"%{value}%"
        for table, target, name in (("background_topic", detail.background, "title"),
                                    ("organisation", detail.organisations, "name"),
                                    ("practice_example", detail.practice_examples, "title")):
            for r in self._all(f'SELECT id, {name}, "{column}" FROM {table} WHERE "{column}" LIKE ? ORDER BY position',
                               pattern):
                if value in split_list(r[2]):
                    target.append((r[0], r[1]))

    def _block(self, block_id: str) -> NodeDetail | None:
        row = self.conn.execute("SELECT * FROM block WHERE id = ?", (block_id,)).fetchone()
        if row is None:
            return None
        risks = self._column("SELECT text FROM risk_factor WHERE block_id = ? ORDER BY position", block_id)
        themes = [(r[0], r[1]) for r in self._all("SELECT id, name FROM theme WHERE block_id = ? ORDER BY position",
                                                  block_id)]
        count = self.conn.execute(
            "SELECT count(DISTINCT e.intervention) FROM example e JOIN cluster c ON c.id = e.cluster_id "
            "JOIN theme t ON t.id = c.theme_id WHERE t.block_id = ?", (block_id,)).fetchone()[0]
        detail = NodeDetail(
            kind="block", id=row["id"], name=row["name"], block_id=row["id"], block_name=row["name"],
            description=row["description"], risk_factors=risks,
            risk_factor_warning=self.text("risk_factor_warning") if risks else None,
            themes=themes, intervention_count=count,
        )
        self._related(detail, "blocks", block_id)
        return detail

    def _theme(self, theme_id: str) -> NodeDetail | None:
        row = self.conn.execute(
            "SELECT t.*, b.name AS block_name FROM theme t JOIN block b ON b.id = t.block_id WHERE t.id = ?",
            (theme_id,),
        ).fetchone()
        if row is None:
            return None
        clusters = [(r[0], r[1]) for r in self._all(
            "SELECT id, name FROM cluster WHERE theme_id = ? ORDER BY position", theme_id)]
        count = self.conn.execute(
            "SELECT count(DISTINCT e.intervention) FROM example e JOIN cluster c ON c.id = e.cluster_id "
            "WHERE c.theme_id = ?", (theme_id,)).fetchone()[0]
        return NodeDetail(kind="theme", id=row["id"], name=row["name"], block_id=row["block_id"],
                          block_name=row["block_name"], clusters=clusters, intervention_count=count)

    def _cluster(self, cluster_id: str) -> NodeDetail | None:
        row = self.conn.execute(
            "SELECT c.*, t.block_id, b.name AS block_name, t.name AS theme_name FROM cluster c "
            "JOIN theme t ON t.id = c.theme_id JOIN block b ON b.id = t.block_id WHERE c.id = ?",
            (cluster_id,),
        ).fetchone()
        if row is None:
            return None
        names: dict[str, str] = {r[0]: r[1] for r in self._all("SELECT code, name FROM intervention_type")}
        types = [(code, names.get(code, "")) for code in split_list(row["intervention_types"])]
        count = self.conn.execute("SELECT count(DISTINCT intervention) FROM example WHERE cluster_id = ?",
                                  (cluster_id,)).fetchone()[0]
        detail = NodeDetail(
            kind="cluster", id=row["id"], name=row["name"], block_id=row["block_id"], block_name=row["block_name"],
            theme_name=row["theme_name"], focus=row["focus"], description=row["note"],
            subfactors=self._column("SELECT text FROM subfactor WHERE cluster_id = ? ORDER BY position", cluster_id),
            references=self._column("SELECT text FROM reference WHERE cluster_id = ? ORDER BY position", cluster_id),
            types=types, intervention_count=count,
        )
        self._related(detail, "clusters", cluster_id)
        return detail

    # --- interventions ----------------------------------------------------------------------
    _ROW_SQL = ("SELECT i.id, i.name, i.type_text, i.trede, i.offered, i.explicit FROM intervention i "
                "JOIN intervention_index x ON x.id = i.id")

    def _all_rows(self) -> dict[str, InterventionRow]:
        """Summary rows of every intervention in alphabetical order, cached (for sorting the whole list)."""
        if self._rows is None:
            codes: dict[str, list[str]] = {}
            for iid, values in self._all("SELECT intervention_id, \"values\" FROM facet_judgement WHERE facet = ?",
                                         TYPE_FACET):
                codes[iid] = split_list(values)
            self._rows = {
                r[0]: InterventionRow(r[0], r[1], r[2], r[3], _bool(r[4]), _bool(r[5]), codes.get(r[0], []))
                for r in self.conn.execute(self._ROW_SQL + " ORDER BY x.num")
            }
            self._some_rows.clear()
        return self._rows

    def rows(self, ids: Sequence[str]) -> list[InterventionRow]:
        if self._rows is None and len(ids) <= 200:
            found = [self.row(i) for i in ids]
            return [r for r in found if r is not None]
        table = self._all_rows()
        return [table[i] for i in ids if i in table]

    def row(self, intervention_id: str) -> InterventionRow | None:
        """One summary row: the list shows a screenful of them, so a start-up never reads every row."""
        if self._rows is not None:
            return self._rows.get(intervention_id)
        if intervention_id in self._some_rows:
            return self._some_rows[intervention_id]
        if len(self._some_rows) >= 500:  # more than a few screens (e.g. sorting the list): read them all at once
            return self._all_rows().get(intervention_id)
        r = self.conn.execute(self._ROW_SQL + " WHERE i.id = ?", (intervention_id,)).fetchone()
        found = None
        if r is not None:
            values = self.conn.execute(
                "SELECT \"values\" FROM facet_judgement WHERE intervention_id = ? AND facet = ?",
                (intervention_id, TYPE_FACET)).fetchone()
            found = InterventionRow(r[0], r[1], r[2], r[3], _bool(r[4]), _bool(r[5]),
                                    split_list(values[0]) if values is not None else [])
        self._some_rows[intervention_id] = found
        return found

    def all_ids(self) -> list[str]:
        """Every intervention id in alphabetical order (the order of the index)."""
        return list(self.index.alphabetical())

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` that are interventions of this model."""
        return self.index.known_ids(ids)

    def intervention(self, intervention_id: str) -> InterventionDetail | None:
        r = self.conn.execute("SELECT * FROM intervention WHERE id = ?", (intervention_id,)).fetchone()
        if r is None:
            return None
        clusters = [
            LinkedCluster(c["block_id"], c["number"], c["block_name"], c["theme_id"], c["theme_name"], c["cluster_id"],
                          c["cluster_name"], _bool(c["explicit"]), _bool(c["offered"]), _bool(c["via_municipality"]),
                          c["trede"], c["trede_source"])
            for c in self._all(
                "SELECT b.id AS block_id, b.number, b.name AS block_name, t.id AS theme_id, t.name AS theme_name, "
                "c.id AS cluster_id, c.name AS cluster_name, e.explicit, e.offered, e.via_municipality, e.trede, "
                "e.trede_source FROM example e JOIN cluster c ON c.id = e.cluster_id JOIN theme t ON t.id = c.theme_id "
                "JOIN block b ON b.id = t.block_id WHERE e.intervention = ? ORDER BY b.number, t.position, c.position",
                intervention_id,
            )
        ]
        judgements = {j["facet"]: j for j in self._all(
            "SELECT facet, \"values\", basis, why FROM facet_judgement WHERE intervention_id = ? ORDER BY position",
            intervention_id)}
        types = []
        type_judgement = judgements.get(TYPE_FACET)
        for code in split_list(type_judgement["values"] if type_judgement else None):
            info = self.intervention_type(code)
            if info is not None:
                info.basis, info.why = type_judgement["basis"], type_judgement["why"]  # type: ignore[index]
                types.append(info)
        level = None
        if r["trede"] is not None:
            lv = self.conn.execute("SELECT * FROM effect_level WHERE trede = ?", (r["trede"],)).fetchone()
            if lv is not None:
                level = EffectLevelInfo(lv["trede"], lv["name"], lv["explanation"])
        facets = []
        for definition in self.facets():
            j = judgements.get(definition.key)
            if definition.key == TYPE_FACET or j is None:
                continue
            labels = {v: label for v, label, _d in definition.values}
            facets.append(FacetInfo(definition.key, definition.label,
                                    [(v, labels.get(v, v)) for v in split_list(j["values"])], j["basis"], j["why"]))
        return InterventionDetail(
            id=r["id"], name=r["name"],
            aliases=self._column("SELECT text FROM alias WHERE intervention_id = ? ORDER BY position", intervention_id),
            type_text=r["type_text"], offered=_bool(r["offered"]), description=r["description"], goal=r["goal"],
            explicit=_bool(r["explicit"]), target_group=r["target_group"], provider=r["provider"], trede=r["trede"],
            trede_label=r["trede_label"], trede_source=r["trede_source"], evaluation=r["evaluation"],
            source=r["source"],
            links=self._column("SELECT url FROM link WHERE intervention_id = ? ORDER BY position", intervention_id),
            clusters=clusters, types=types, effect_level=level, facets=facets,
        )

    def search_texts(self, intervention_id: str) -> list[tuple[str, str]]:
        """The texts an intervention is found by, with the Dutch name of each field (for snippets)."""
        r = self.conn.execute("SELECT * FROM intervention WHERE id = ?", (intervention_id,)).fetchone()
        if r is None:
            return []
        found = [("naam", r["name"])]
        found += [("andere naam", a) for a in self._column(
            "SELECT text FROM alias WHERE intervention_id = ? ORDER BY position", intervention_id)]
        for column, label in (("type_text", "type"), ("description", "omschrijving"), ("goal", "doelstelling"),
                              ("target_group", "doelgroep"), ("provider", "uitvoerder")):
            if r[column]:
                found.append((label, r[column]))
        for c in self._all(
            "SELECT b.name AS b, t.name AS t, c.name AS c, c.focus AS f, c.id AS id FROM example e "
            "JOIN cluster c ON c.id = e.cluster_id JOIN theme t ON t.id = c.theme_id JOIN block b ON b.id = t.block_id "
            "WHERE e.intervention = ? ORDER BY b.number, t.position, c.position", intervention_id,
        ):
            subs = self._column("SELECT text FROM subfactor WHERE cluster_id = ? ORDER BY position", c["id"])
            parts = [c["c"], c["f"] or "", *subs, c["t"], c["b"]]
            found.append(("gekoppelde factor", " · ".join(p for p in parts if p)))
        return found

    def intervention_type(self, code: str) -> TypeInfo | None:
        t = self.conn.execute("SELECT * FROM intervention_type WHERE code = ?", (code,)).fetchone()
        if t is None:
            return None

        def texts(table: str) -> list[str]:
            return self._column(f"SELECT text FROM {table} WHERE intervention_type_code = ? ORDER BY position", code)

        examples = [(e[0], e[1]) for e in self._all(
            "SELECT name, intervention FROM type_example WHERE intervention_type_code = ? ORDER BY position", code)]
        descriptions = [(e[0], e[1]) for e in self._all(
            "SELECT name, text FROM example_description WHERE intervention_type_code = ? ORDER BY position", code)]
        return TypeInfo(t["code"], t["name"], t["parent"], t["description"], t["target_groups"], t["factors"],
                        texts("working_element"), texts("precondition"), texts("type_source"), examples, descriptions)

    def intervention_types(self) -> list[TypeInfo]:
        codes = self._column("SELECT code FROM intervention_type ORDER BY position")
        return [t for t in (self.intervention_type(c) for c in codes) if t is not None]

    def effectladder(self) -> list[EffectLevelInfo]:
        return [EffectLevelInfo(r["trede"], r["name"], r["explanation"])
                for r in self._all("SELECT * FROM effect_level ORDER BY trede")]

    def facets(self) -> list[FacetDefinition]:
        """Every facet with its values in display order; the type facet lists the intervention types."""
        result = []
        for f in self._all("SELECT key, label, description FROM facet ORDER BY position"):
            if f["key"] == TYPE_FACET:
                values = [(r[0], f"{r[0]}. {r[1]}", r[2]) for r in self._all(
                    "SELECT code, name, description FROM intervention_type ORDER BY position")]
            else:
                values = [(r[0], r[1], r[2]) for r in self._all(
                    "SELECT value, label, description FROM facet_value WHERE facet_key = ? ORDER BY position",
                    f["key"])]
            result.append(FacetDefinition(f["key"], f["label"], f["description"], values))
        return result

    def find_by_name(self, name: str) -> list[str]:
        """Intervention ids whose name or alias matches `name` (normalised)."""
        from desktop.core.text import normalise_name

        key = normalise_name(name)
        ids = [r[0] for r in self.conn.execute("SELECT id, name FROM intervention") if normalise_name(r[1]) == key]
        ids += [r[0] for r in self.conn.execute("SELECT intervention_id, text FROM alias")
                if normalise_name(r[1]) == key]
        return list(dict.fromkeys(ids))

