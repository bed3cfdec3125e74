"""Read a model database (ours or a foreign one) back into a ModelSource.

Only the tables the schema defines are read, each by name, each checked to be an ordinary table
(not a view, not a virtual table), with its columns named explicitly; every value's type is checked.
Views, triggers and any other table in the file are never touched. The result is written into a
fresh database of our own schema by the builder, so nothing of the foreign file's structure survives.

The database does not hold the facet rules, only their outcome. So the search facets of each
intervention are carried over as they are: as curated values on the intervention (the builder
then copies them), with the set of those that were derived kept aside (`ParsedModel.derived`) so
the import can restore the "derived" mark after writing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from desktop.core.facets import TYPE_FACET
from desktop.core.safe_files import DEFAULT_LIMITS, Limits, RejectedFile, real_table
from desktop.core.source import (
    Block,
    Cluster,
    EffectLevel,
    Example,
    Facet,
    Intervention,
    InterventionType,
    ModelSource,
    Organisation,
    PracticeExample,
    QuickscanGroup,
    QuickscanQuestion,
    Theme,
    TypeExample,
)
from desktop.core.validation import Locator, ProblemLog

# table -> (columns, ORDER BY, required)
TABLES: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "meta": (("key", "value"), "rowid", True),
    "text": (("key", "value"), "rowid", True),
    "block": (("id", "number", "name", "description"), "number, rowid", True),
    "risk_factor": (("block_id", "position", "text"), "block_id, position", True),
    "theme": (("id", "block_id", "position", "name"), "block_id, position", True),
    "cluster": (("id", "theme_id", "block_id", "position", "name", "focus", "note"), "theme_id, position", True),
    "subfactor": (("cluster_id", "position", "text"), "cluster_id, position", True),
    "literature_reference": (("cluster_id", "position", "text"), "cluster_id, position", True),
    "intervention_type": (
        ("code", "parent", "position", "name", "description", "target_groups", "factors"), "position", True
    ),
    "type_item": (("type_code", "kind", "position", "text"), "type_code, kind, position", True),
    "type_example": (("type_code", "position", "name", "intervention_id"), "type_code, position", True),
    "cluster_type": (("cluster_id", "type_code", "position"), "cluster_id, position", True),
    "effect_level": (("trede", "name", "explanation"), "trede", True),
    "intervention": (
        ("id", "name", "type_text", "offered", "description", "goal", "explicit", "target_group", "provider",
         "trede", "trede_label", "trede_source", "evaluation", "source"), "rowid", True,
    ),
    "intervention_link": (("intervention_id", "position", "url"), "intervention_id, position", True),
    "alias": (("intervention_id", "alias"), "rowid", True),
    "example_link": (
        ("cluster_id", "intervention_id", "position", "explicit", "offered", "via_municipality", "trede",
         "trede_source"), "cluster_id, position", True,
    ),
    "facet": (("key", "label", "position", "single"), "position", True),
    "facet_value": (("facet_key", "value", "label", "position"), "facet_key, position", True),
    "intervention_facet": (("intervention_id", "facet_key", "value", "derived"), "rowid", True),
    "organisation": (("id", "name", "url", "grp", "position"), "position", False),
    "practice_example": (("id", "title", "for_whom", "summary", "parties", "contact", "position"), "position", False),
    "quickscan_group": (("id", "name", "position"), "position", False),
    "quickscan_question": (("number", "group_id", "question", "explanation"), "number", False),
}
INTEGER_COLUMNS = {"number", "position", "trede", "offered", "explicit", "via_municipality", "single", "derived"}
FLAG_COLUMNS = {"offered", "explicit", "via_municipality", "single", "derived"}
# (kind, field) -> column, for messages that point at a column
COLUMNS = {
    ("facet", "name"): "label", ("facet_value", "id"): "value", ("facet_value", "name"): "label",
    ("curated_facet", "facet_id"): "facet_key", ("curated_facet", "value_id"): "value",
    ("type_example", "intervention_id"): "intervention_id", ("meta", "value"): "value",
}
KIND_TABLE = {
    "meta": "meta", "block": "block", "theme": "theme", "cluster": "cluster", "intervention": "intervention",
    "alias": "alias", "link": "intervention_link", "example": "example_link", "type": "intervention_type",
    "type_example": "type_example", "level": "effect_level", "facet": "facet", "facet_value": "facet_value",
    "curated_facet": "intervention_facet", "organisation": "organisation", "practice": "practice_example",
    "qs_group": "quickscan_group", "qs_question": "quickscan_question",
}


@dataclass
class ParsedModel:
    """A model read from a file: the source, where each part came from, and derived facet values."""

    source: ModelSource
    locator: Locator
    derived: set[tuple[str, str, str]] | None = None  # (intervention, facet, value) marked derived
    kind: str = "xlsx"
    extra: dict[str, Any] = field(default_factory=dict)


class _DbReader:
    def __init__(self, conn: sqlite3.Connection, log: ProblemLog, limits: Limits, trusted: bool = False) -> None:
        self.conn = conn
        self.log = log
        self.limits = limits
        self.trusted = trusted
        self.loc = Locator(columns=dict(COLUMNS))
        self.failed: set[str] = set()  # tables that could not be read: no follow-up errors about them

    def rows(self, table: str) -> list[tuple[int, dict[str, Any]]]:
        columns, order, required = TABLES[table]
        why = real_table(self.conn, table)
        if why is not None:
            if required or why != "ontbreekt":
                self.log.error(f"tabel '{table}' {why}", table)
                self.failed.add(table)
            return []
        present = {str(r[1]).lower() for r in self.conn.execute(f'PRAGMA table_info("{table}")')}
        missing = [c for c in columns if c not in present]
        if missing:
            for column in missing:
                self.log.error(f"kolom '{column}' ontbreekt in tabel '{table}'", table, None, column)
            self.failed.add(table)
            return []
        count = int(self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        if count > self.limits.max_rows:
            self.log.error(f"tabel '{table}' heeft {count} rijen, meer dan de toegestane {self.limits.max_rows}",
                           table)
            self.failed.add(table)
            return []
        select = ", ".join(f'"{c}"' for c in columns)
        order_by = order if order == "rowid" else ", ".join(f'"{c.strip()}"' for c in order.split(","))
        if order == "rowid" and not self._has_rowid(table):
            order_by = f'"{columns[0]}"'
        result = []
        for number, values in enumerate(self.conn.execute(f'SELECT {select} FROM "{table}" ORDER BY {order_by}'),
                                        start=1):
            row = dict(zip(columns, values, strict=True))
            if not self.trusted:
                self._check_row(table, number, row)
            result.append((number, row))
        return result

    def _has_rowid(self, table: str) -> bool:
        try:
            self.conn.execute(f'SELECT rowid FROM "{table}" LIMIT 1').fetchall()
        except sqlite3.OperationalError:
            return False
        return True

    def _check_row(self, table: str, number: int, row: dict[str, Any]) -> None:
        """Report every value of the wrong type and blank it (the row itself stays, to avoid follow-up errors)."""
        for column, value in row.items():
            if value is None:
                continue
            if column in INTEGER_COLUMNS:
                if not isinstance(value, int):
                    shown = str(value)[:40] if not isinstance(value, bytes) else "binaire gegevens"
                    self.log.error(f"verwacht een geheel getal, gevonden '{shown}'", table, number, column)
                    row[column] = None
                elif column in FLAG_COLUMNS and value not in (0, 1):
                    self.log.error(f"verwacht 0 of 1, gevonden {value}", table, number, column)
                    row[column] = None
            elif not isinstance(value, str):
                kind = "binaire gegevens" if isinstance(value, bytes) else f"het getal {value}"
                self.log.error(f"verwacht tekst, gevonden {kind}", table, number, column)
                row[column] = None
            elif len(value) > self.limits.max_cell_chars:
                self.log.error(f"de tekst is {len(value)} tekens lang; ten hoogste {self.limits.max_cell_chars}",
                               table, number, column)
                row[column] = None

    def dangling(self, target: str, message: str, table: str, number: int, column: str) -> None:
        """A reference to something that does not exist (unless its whole table was unreadable)."""
        if target not in self.failed:
            self.log.error(message, table, number, column)

    def _missing_kinds(self) -> set[str]:
        kinds = {"intervention": "intervention", "cluster": "cluster", "intervention_type": "type", "facet": "facet"}
        return {kind for table, kind in kinds.items() if table in self.failed}

    def place(self, key: tuple[str, ...], table: str, number: int) -> None:
        if not self.trusted:  # our own model needs no places for messages
            self.loc.add(key, table, number)

    def read(self) -> ParsedModel:
        try:
            return self._read()
        except sqlite3.Error as exc:
            raise RejectedFile(
                f"'{self.log.file}' kan niet volledig worden gelezen ({exc}); het bestand is beschadigd of "
                "bevat te grote waarden."
            ) from exc

    def _read(self) -> ParsedModel:
        meta: dict[str, str] = {}
        for number, r in self.rows("meta"):
            if r["key"] in ("schema_version", "source_hash") or r["key"] is None:
                continue
            if r["value"] is not None:
                meta[r["key"]] = r["value"]
            self.place(("meta", r["key"]), "meta", number)
        texts: dict[str, str] = {}
        intro = None
        for _number, r in self.rows("text"):
            if r["key"] is None or r["value"] is None:
                continue
            if r["key"] == "effectladder_intro":
                intro = r["value"]
            else:
                texts[r["key"]] = r["value"]

        blocks: dict[str, Block] = {}
        for number, r in self.rows("block"):
            ident = r["id"] or ""
            self.place(("block", ident), "block", number)
            blocks.setdefault(ident, Block(ident, r["number"] or 0, r["name"] or "", r["description"] or "", [], []))
        for number, r in self.rows("risk_factor"):
            block = blocks.get(r["block_id"])
            if block is None:
                self.dangling("block", f"bouwsteen '{r['block_id']}' bestaat niet", "risk_factor", number, "block_id")
            elif r["text"]:
                block.risk_factors.append(r["text"])
        themes: dict[str, Theme] = {}
        for number, r in self.rows("theme"):
            ident = r["id"] or ""
            self.place(("theme", ident), "theme", number)
            block = blocks.get(r["block_id"])
            if block is None:
                self.dangling("block", f"bouwsteen '{r['block_id']}' bestaat niet", "theme", number, "block_id")
                continue
            if ident not in themes:
                themes[ident] = Theme(ident, r["name"] or "", [])
                block.themes.append(themes[ident])
        clusters: dict[str, Cluster] = {}
        for number, r in self.rows("cluster"):
            ident = r["id"] or ""
            self.place(("cluster", ident), "cluster", number)
            theme = themes.get(r["theme_id"])
            if theme is None:
                self.dangling("theme", f"thema '{r['theme_id']}' bestaat niet", "cluster", number, "theme_id")
                continue
            if ident not in clusters:
                clusters[ident] = Cluster(ident, r["name"] or "", r["focus"], [], [], [], [], r["note"])
                theme.clusters.append(clusters[ident])
        for table in ("subfactor", "literature_reference"):
            for number, r in self.rows(table):
                cluster = clusters.get(r["cluster_id"])
                if cluster is None:
                    self.dangling("cluster", f"beschermende factor '{r['cluster_id']}' bestaat niet", table, number,
                                   "cluster_id")
                elif r["text"]:
                    (cluster.subfactors if table == "subfactor" else cluster.references).append(r["text"])
        for number, r in self.rows("cluster_type"):
            cluster = clusters.get(r["cluster_id"])
            if cluster is None:
                self.dangling("cluster", f"beschermende factor '{r['cluster_id']}' bestaat niet",
                              "cluster_type", number,
                               "cluster_id")
            elif r["type_code"]:
                cluster.intervention_types.append(r["type_code"])

        interventions: dict[str, Intervention] = {}
        order: list[Intervention] = []
        for number, r in self.rows("intervention"):
            ident = r["id"] or ""
            self.place(("intervention", ident), "intervention", number)
            iv = Intervention(
                id=ident, name=r["name"] or "", aliases=[], type_text=r["type_text"], offered=_flag(r["offered"]),
                description=r["description"], goal=r["goal"], explicit=_flag(r["explicit"]),
                target_group=r["target_group"], provider=r["provider"], trede=r["trede"],
                trede_label=r["trede_label"], trede_source=r["trede_source"], evaluation=r["evaluation"],
                links=[], source=r["source"], facets={},
            )
            order.append(iv)
            interventions.setdefault(ident, iv)
        for table, column, kind in (("alias", "alias", "alias"), ("intervention_link", "url", "link")):
            for number, r in self.rows(table):
                owner = interventions.get(r["intervention_id"])
                if owner is None:
                    self.dangling("intervention", f"interventie '{r['intervention_id']}' bestaat niet", table,
                                  number, "intervention_id")
                elif r[column]:
                    items = owner.aliases if kind == "alias" else owner.links
                    self.place((kind, owner.id, str(len(items))), table, number)
                    items.append(r[column])
        for number, r in self.rows("example_link"):
            cluster = clusters.get(r["cluster_id"])
            if cluster is None:
                self.dangling("cluster", f"beschermende factor '{r['cluster_id']}' bestaat niet",
                              "example_link", number,
                               "cluster_id")
                continue
            self.place(("example", cluster.id, str(len(cluster.examples))), "example_link", number)
            cluster.examples.append(
                Example(r["intervention_id"] or "", bool(r["explicit"]), bool(r["offered"]),
                        bool(r["via_municipality"]), r["trede"], r["trede_source"])
            )

        types: dict[str, InterventionType] = {}
        for number, r in self.rows("intervention_type"):
            code = r["code"] or ""
            self.place(("type", code), "intervention_type", number)
            types.setdefault(code, InterventionType(code, r["name"] or "", r["parent"], r["description"],
                                                    r["target_groups"], r["factors"], [], [], [], []))
        kinds = {"working_element": "working_elements", "precondition": "preconditions", "source": "sources"}
        for number, r in self.rows("type_item"):
            itype = types.get(r["type_code"])
            attr = kinds.get(r["kind"])
            if itype is None:
                self.dangling("intervention_type", f"interventietype '{r['type_code']}' bestaat niet",
                              "type_item", number, "type_code")
            elif attr is None:
                self.log.error(f"onbekende soort '{r['kind']}'", "type_item", number, "kind")
            elif r["text"]:
                getattr(itype, attr).append(r["text"])
        for number, r in self.rows("type_example"):
            itype = types.get(r["type_code"])
            if itype is None:
                self.dangling("intervention_type", f"interventietype '{r['type_code']}' bestaat niet",
                              "type_example", number,
                               "type_code")
                continue
            self.place(("type_example", itype.code, str(len(itype.examples))), "type_example", number)
            itype.examples.append(TypeExample(r["name"] or "", r["intervention_id"]))

        levels = []
        for number, r in self.rows("effect_level"):
            if r["trede"] is None:
                self.log.error("trede ontbreekt", "effect_level", number, "trede")
                continue
            self.place(("level", str(r["trede"])), "effect_level", number)
            levels.append(EffectLevel(r["trede"], r["name"] or "", r["explanation"] or ""))

        facets: dict[str, Facet] = {}
        for number, r in self.rows("facet"):
            if r["key"] == TYPE_FACET:
                continue  # rebuilt by the builder from the intervention types
            key = r["key"] or ""
            self.place(("facet", key), "facet", number)
            facets.setdefault(key, Facet(key, r["label"] or "", {}, [], bool(r["single"])))
        for number, r in self.rows("facet_value"):
            if r["facet_key"] == TYPE_FACET:
                continue
            facet = facets.get(r["facet_key"])
            if facet is None:
                self.dangling("facet", f"zoekkenmerk '{r['facet_key']}' bestaat niet",
                              "facet_value", number, "facet_key")
                continue
            value = r["value"] or ""
            self.place(("facet_value", facet.key, value), "facet_value", number)
            facet.values.setdefault(value, r["label"] or "")
        derived: set[tuple[str, str, str]] = set()
        for number, r in self.rows("intervention_facet"):
            if r["facet_key"] == TYPE_FACET:
                continue
            owner = interventions.get(r["intervention_id"])
            if owner is None:
                self.dangling("intervention", f"interventie '{r['intervention_id']}' bestaat niet",
                              "intervention_facet", number,
                               "intervention_id")
                continue
            key, value = r["facet_key"] or "", r["value"] or ""
            self.place(("curated_facet", owner.id, key, value), "intervention_facet", number)
            owner.facets.setdefault(key, []).append(value)
            if r["derived"]:
                derived.add((owner.id, key, value))
        # every facet is given explicitly (possibly empty), so nothing is derived again without rules
        for iv in interventions.values():
            for key in facets:
                iv.facets.setdefault(key, [])

        organisations = []
        for number, r in self.rows("organisation"):
            self.place(("organisation", r["id"] or ""), "organisation", number)
            organisations.append(Organisation(r["id"] or "", r["name"] or "", r["url"], r["grp"]))
        practice = []
        for number, r in self.rows("practice_example"):
            self.place(("practice", r["id"] or ""), "practice_example", number)
            practice.append(PracticeExample(r["id"] or "", r["title"] or "", r["for_whom"], r["summary"],
                                            r["parties"], r["contact"]))
        groups: dict[str, QuickscanGroup] = {}
        for number, r in self.rows("quickscan_group"):
            ident = r["id"] or ""
            self.place(("qs_group", ident), "quickscan_group", number)
            groups.setdefault(ident, QuickscanGroup(ident, r["name"] or "", []))
        for number, r in self.rows("quickscan_question"):
            group = groups.get(r["group_id"])
            if group is None:
                self.dangling("quickscan_group", f"quickscangroep '{r['group_id']}' bestaat niet",
                              "quickscan_question", number,
                               "group_id")
                continue
            self.place(("qs_question", str(r["number"])), "quickscan_question", number)
            group.questions.append(QuickscanQuestion(r["number"] or 0, r["question"], r["explanation"]))

        source = ModelSource(
            meta=meta, texts=texts, blocks=sorted(blocks.values(), key=lambda b: b.number), interventions=order,
            intervention_types=list(types.values()), effectladder_intro=intro, effectladder=levels,
            facets=list(facets.values()), organisations=organisations, practice_examples=practice,
            quickscan=list(groups.values()),
        )
        self.loc.add(("sheet", "effectladder"), "effect_level", None)
        self.loc.add(("sheet", "metadata"), "meta", None)
        self.loc.missing = self._missing_kinds()
        return ParsedModel(source, self.loc, derived, kind="sqlite")


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def read_model_database(conn: sqlite3.Connection, log: ProblemLog, limits: Limits = DEFAULT_LIMITS,
                        trusted: bool = False) -> ParsedModel:
    """Read a model database (an open, read-only connection) into a ParsedModel; problems go to `log`.

    `trusted` (our own live model, written by the builder) skips the per-value type checks.
    """
    return _DbReader(conn, log, limits, trusted).read()
