"""Problems found in a model file being imported, and the model-level checks every reader shares.

A reader (workbook or database) turns a file into a `ModelSource` and records, for every entity,
where in the file it came from (a `Locator`). `check_model` then checks the whole model at once
(ids, references, ranges, web addresses, duplicates) and reports each problem with the file, the
sheet or table, the row and the column, in Dutch. Errors block an import; warnings only inform.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.core.slug import is_slug
from desktop.core.source import TYPE_CODES, Cluster, ModelSource, cross_check, is_web_url

ERROR = "fout"
WARNING = "waarschuwing"

REQUIRED_META = ("model_version", "published", "publisher", "source")
META_LABELS = {
    "model_version": "versie van het model",
    "published": "publicatiedatum (JJJJ-MM-DD)",
    "publisher": "uitgever",
    "source": "bron (het rapport waarop het model berust)",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# characters XML 1.0 cannot carry (and a workbook cannot hold): refused in imported text
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an imported file, with its place: sheet (or table), row and column."""

    severity: str  # ERROR or WARNING
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    sheet_kind: str = "tabblad"  # "tabblad" in a workbook, "tabel" in a database

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def place(self) -> str:
        parts = [f"'{self.file}'"]
        if self.sheet:
            parts.append(f"{self.sheet_kind} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column:
            parts.append(f"kolom '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        if self.sheet is None and self.row is None and self.column is None and f"'{self.file}'" in self.message:
            return self.message  # a refusal of the whole file already names it
        return f"{self.place()}: {self.message}"


class ProblemLog:
    """Collects every problem of one file (never stops at the first)."""

    def __init__(self, file: str, sheet_kind: str = "tabblad") -> None:
        self.file = file
        self.sheet_kind = sheet_kind
        self.items: list[ImportProblem] = []

    def add(self, severity: str, message: str, sheet: str | None = None, row: int | None = None,
            column: str | None = None) -> None:
        self.items.append(ImportProblem(severity, self.file, message, sheet, row, column, self.sheet_kind))

    def error(self, message: str, sheet: str | None = None, row: int | None = None,
              column: str | None = None) -> None:
        self.add(ERROR, message, sheet, row, column)

    def warning(self, message: str, sheet: str | None = None, row: int | None = None,
                column: str | None = None) -> None:
        self.add(WARNING, message, sheet, row, column)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.items if not p.is_error]


Place = tuple[str | None, int | None]


@dataclass
class Locator:
    """Where each entity of a parsed model came from: key -> [(sheet or table, row)], and column names."""

    places: dict[tuple[str, ...], list[Place]] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # kinds whose sheet/table could not be read at all

    def add(self, key: tuple[str, ...], sheet: str | None, row: int | None) -> None:
        self.places.setdefault(key, []).append((sheet, row))

    def at(self, *key: str) -> Place:
        found = self.places.get(tuple(key))
        return found[0] if found else (None, None)

    def all(self, *key: str) -> list[Place]:
        return self.places.get(tuple(key), [])

    def column(self, kind: str, name: str) -> str | None:
        return self.columns.get((kind, name), name)


def valid_iso_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Checker:
    def __init__(self, source: ModelSource, log: ProblemLog, loc: Locator) -> None:
        self.source = source
        self.log = log
        self.loc = loc

    def error(self, key: tuple[str, ...], field_name: str | None, message: str, kind: str | None = None) -> None:
        sheet, row = self.loc.at(*key)
        column = self.loc.column(kind or key[0], field_name) if field_name else None
        self.log.error(message, sheet, row, column)

    def warning(self, key: tuple[str, ...], field_name: str | None, message: str, kind: str | None = None) -> None:
        sheet, row = self.loc.at(*key)
        column = self.loc.column(kind or key[0], field_name) if field_name else None
        self.log.warning(message, sheet, row, column)

    def ident(self, key: tuple[str, ...], value: str, field_name: str = "id", label: str = "id") -> None:
        if not value:
            self.error(key, field_name, f"{label} ontbreekt")
        elif not is_slug(value):
            self.error(key, field_name, f"'{value}' is geen geldige {label} (alleen kleine letters, cijfers en '-')")

    def required(self, key: tuple[str, ...], value: str | None, field_name: str, label: str) -> None:
        if not value:
            self.error(key, field_name, f"{label} ontbreekt (verplicht)")

    def trede(self, key: tuple[str, ...], value: int | None, field_name: str = "trede",
              kind: str | None = None) -> None:
        if value is not None and not 0 <= value <= 5:
            self.error(key, field_name, f"trede {value} ligt niet tussen 0 en 5", kind)

    def duplicates(self, kind: str, ids: Iterable[str], label: str, field_name: str = "id") -> None:
        seen: set[str] = set()
        for value in ids:
            if value in seen or not value:
                continue
            seen.add(value)
            places = self.loc.all(kind, value)
            if len(places) > 1:
                first = places[0]
                for sheet, row in places[1:]:
                    where = f" (ook in rij {first[1]})" if first[1] is not None else ""
                    self.log.error(f"{label} '{value}' komt meer dan eens voor{where}", sheet, row,
                                   self.loc.column(kind, field_name))

    def texts(self) -> None:
        """Control characters cannot be shown or written to a workbook: refuse them anywhere."""
        bad = 0
        for value in _all_texts(self.source):
            if CONTROL_CHARACTERS.search(value):
                bad += 1
                if bad <= 5:
                    self.log.error(f"de tekst '{value[:40]}…' bevat onzichtbare stuurtekens")
        if bad > 5:
            self.log.error(f"nog {bad - 5} teksten bevatten onzichtbare stuurtekens")

    def run(self) -> None:
        s = self.source
        for meta_key in REQUIRED_META:
            if not s.meta.get(meta_key):
                sheet, row = self.loc.at("meta", meta_key)
                if sheet is None:
                    sheet = self.loc.at("sheet", "metadata")[0]
                self.log.error(f"'{meta_key}' ({META_LABELS[meta_key]}) ontbreekt in de metadata", sheet, row,
                               self.loc.column("meta", "value") if row is not None else None)
        published = s.meta.get("published")
        if published and not valid_iso_date(published):
            self.error(("meta", "published"), "value",
                       f"publicatiedatum '{published}' is geen geldige datum; verwacht JJJJ-MM-DD", "meta")

        numbers: dict[int, str] = {}
        for block in s.blocks:
            key = ("block", block.id)
            self.ident(key, block.id)
            self.required(key, block.name, "name", "naam")
            self.required(key, block.description, "description", "beschrijving")
            if block.number in numbers:
                self.error(key, "number", f"nummer {block.number} is ook het nummer van bouwsteen "
                                          f"'{numbers[block.number]}'")
            numbers[block.number] = block.id
            for theme in block.themes:
                tkey = ("theme", theme.id)
                self.ident(tkey, theme.id)
                self.required(tkey, theme.name, "name", "naam")
                for cluster in theme.clusters:
                    self._cluster(cluster)
        themes = [t for b in s.blocks for t in b.themes]
        clusters = [c for t in themes for c in t.clusters]
        self.duplicates("block", [b.id for b in s.blocks], "bouwsteen-id")
        self.duplicates("theme", [t.id for t in themes], "thema-id")
        self.duplicates("cluster", [c.id for c in clusters], "id van de beschermende factor")

        intervention_ids = {iv.id for iv in s.interventions}
        for iv in s.interventions:
            key = ("intervention", iv.id)
            self.ident(key, iv.id)
            self.required(key, iv.name, "name", "naam")
            self.trede(key, iv.trede)
            seen_alias: set[str] = set()
            for index, alias in enumerate(iv.aliases):
                akey = ("alias", iv.id, str(index))
                if alias in seen_alias:
                    self.error(akey, "alias", f"alias '{alias}' staat dubbel bij deze interventie")
                seen_alias.add(alias)
            seen_link: set[str] = set()
            for index, url in enumerate(iv.links):
                lkey = ("link", iv.id, str(index))
                if not is_web_url(url):
                    self.error(lkey, "url", f"'{url[:80]}' is geen geldig http(s)-webadres")
                elif url in seen_link:
                    self.warning(lkey, "url", f"link '{url}' staat dubbel bij deze interventie")
                seen_link.add(url)
        self.duplicates("intervention", [iv.id for iv in s.interventions], "interventie-id")

        for cluster in clusters:
            linked: set[str] = set()
            for index, example in enumerate(cluster.examples):
                ekey = ("example", cluster.id, str(index))
                if not example.intervention:
                    continue  # the reader reported the unresolved reference
                if example.intervention not in intervention_ids and "intervention" not in self.loc.missing:
                    self.error(ekey, "intervention_id",
                               f"interventie '{example.intervention}' bestaat niet (niet in de interventies)")
                if example.intervention in linked:
                    self.error(ekey, "intervention_id",
                               f"interventie '{example.intervention}' is twee keer gekoppeld aan "
                               f"'{cluster.name}'")
                linked.add(example.intervention)
                self.trede(ekey, example.trede)

        codes = [t.code for t in s.intervention_types]
        for itype in s.intervention_types:
            key = ("type", itype.code)
            if itype.code not in TYPE_CODES:
                self.error(key, "code", f"onbekende typecode '{itype.code}' (verwacht: {', '.join(TYPE_CODES)})")
            self.required(key, itype.name, "name", "naam")
            if itype.parent is not None and itype.parent not in codes:
                self.error(key, "parent", f"hoofdtype '{itype.parent}' bestaat niet")
            for index, type_example in enumerate(itype.examples):
                xkey = ("type_example", itype.code, str(index))
                self.required(xkey, type_example.name, "name", "naam van het voorbeeld")
                if (type_example.intervention is not None and type_example.intervention not in intervention_ids
                        and "intervention" not in self.loc.missing):
                    self.error(xkey, "intervention_id", f"interventie '{type_example.intervention}' bestaat niet")
        self.duplicates("type", codes, "typecode", "code")

        for level in s.effectladder:
            key = ("level", str(level.trede))
            self.trede(key, level.trede)
            self.required(key, level.name, "name", "naam")
            self.required(key, level.explanation, "explanation", "uitleg")
        self.duplicates("level", [str(lv.trede) for lv in s.effectladder], "trede", "trede")
        known_levels = {lv.trede for lv in s.effectladder}
        missing = sorted({iv.trede for iv in s.interventions if iv.trede is not None} - known_levels)
        if missing and s.effectladder:
            self.log.warning(f"de effectladder beschrijft trede {', '.join(map(str, missing))} niet, maar "
                             "interventies gebruiken die trede wel", self.loc.at("sheet", "effectladder")[0])

        facet_values: dict[str, set[str]] = {}
        for facet in s.facets:
            key = ("facet", facet.key)
            self.ident(key, facet.key, label="kenmerk-id")
            self.required(key, facet.label, "name", "naam")
            facet_values[facet.key] = set(facet.values)
            for value, label in facet.values.items():
                vkey = ("facet_value", facet.key, value)
                self.ident(vkey, value, "id", "waarde-id")
                self.required(vkey, label, "name", "naam")
        self.duplicates("facet", [f.key for f in s.facets], "kenmerk-id")
        for iv in s.interventions:
            for facet_key, values in iv.facets.items():
                for value in values:
                    ckey = ("curated_facet", iv.id, facet_key, value)
                    if facet_key not in facet_values:
                        self.error(ckey, "facet_id", f"zoekkenmerk '{facet_key}' bestaat niet")
                    elif value not in facet_values[facet_key]:
                        self.error(ckey, "value_id", f"zoekkenmerk '{facet_key}' kent de waarde '{value}' niet")

        for org in s.organisations:
            key = ("organisation", org.id)
            self.ident(key, org.id)
            self.required(key, org.name, "name", "naam")
            if org.url is not None and not is_web_url(org.url):
                self.error(key, "url", f"'{org.url[:80]}' is geen geldig http(s)-webadres")
        self.duplicates("organisation", [o.id for o in s.organisations], "organisatie-id")
        for pe in s.practice_examples:
            key = ("practice", pe.id)
            self.ident(key, pe.id)
            self.required(key, pe.title, "title", "titel")
        self.duplicates("practice", [p.id for p in s.practice_examples], "id van het praktijkvoorbeeld")
        for group in s.quickscan:
            key = ("qs_group", group.id)
            self.ident(key, group.id)
            self.required(key, group.name, "name", "naam")
        self.duplicates("qs_group", [g.id for g in s.quickscan], "groep-id")
        self.duplicates("qs_question", [str(q.number) for g in s.quickscan for q in g.questions],
                        "vraagnummer", "number")
        self.texts()

    def _cluster(self, cluster: Cluster) -> None:
        key = ("cluster", cluster.id)
        self.ident(key, cluster.id)
        self.required(key, cluster.name, "name", "naam")
        seen: set[str] = set()
        for code in cluster.intervention_types:
            if code not in TYPE_CODES:
                self.error(key, "intervention_types",
                           f"onbekend interventietype '{code}' (verwacht: {', '.join(TYPE_CODES)})")
            elif code in seen:
                self.error(key, "intervention_types", f"interventietype '{code}' staat dubbel")
            seen.add(code)


def _all_texts(source: ModelSource) -> Iterable[str]:
    yield from source.meta.values()
    yield from source.texts.values()
    for block in source.blocks:
        yield from (block.name, block.description, *block.risk_factors)
        for theme in block.themes:
            yield theme.name
            for c in theme.clusters:
                yield from (c.name, *c.subfactors, *c.references)
                yield from (v for v in (c.focus, c.note) if v)
    for iv in source.interventions:
        yield from (iv.name, *iv.aliases, *iv.links)
        yield from (v for v in (iv.type_text, iv.description, iv.goal, iv.target_group, iv.provider,
                                iv.trede_label, iv.trede_source, iv.evaluation, iv.source) if v)
    for t in source.intervention_types:
        yield from (t.name, *t.working_elements, *t.preconditions, *t.sources, *(e.name for e in t.examples))
        yield from (v for v in (t.description, t.target_groups, t.factors) if v)
    for lv in source.effectladder:
        yield from (lv.name, lv.explanation)


def check_model(source: ModelSource, log: ProblemLog, loc: Locator) -> None:
    """Every model-level check, then (when all passed) the curated loader's cross-check as a safety net."""
    _Checker(source, log, loc).run()
    if not log.errors:
        for problem in cross_check(source):
            log.error(f"{problem.where}: {problem.message}")
