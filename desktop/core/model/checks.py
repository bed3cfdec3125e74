"""Problems found in a model, with their place, and the checks every format shares.

A reader turns a file (or `data/`) into a `Model` and a `Locator` saying where each part came from.
`check_model` then checks the whole model at once from the schema (required fields, ids, ranges,
references, duplicates, web addresses, stray control characters) plus a few rules of the model
itself, and reports every problem in Dutch with file, sheet or table, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desktop.core.model.entities import BASES, Model
from desktop.core.model.model_file import TYPE_FACET
from desktop.core.model.rows import FlatRow, Locator, flatten
from desktop.core.model.schema import ENTITIES, META_LABELS, REQUIRED_META, SCHEMA, Entity, Field
from desktop.core.text import CONTROL_CHARACTERS, is_slug, is_web_url

ERROR = "fout"
WARNING = "waarschuwing"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TYPE_CODE = re.compile(r"^\d{1,2}(\.\d{1,2})?$")
SLUG_KEYS = {"id", "key", "value"}  # key fields that are readable ids


@dataclass(frozen=True)
class Problem:
    """One problem in a file, with its place: sheet (or table, or part of data/), row and column."""

    severity: str  # ERROR or WARNING
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    sheet_kind: str = "tabblad"  # "tabblad" in a workbook, "tabel" in a database, "bestand" in data/

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def place(self) -> str:
        in_file = self.sheet_kind == "bestand"  # data/: a file, its lines and its fields
        parts = [f"'{self.file}'"] if self.file else []
        if self.sheet:
            parts.append(f"{self.sheet_kind} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{'regel' if in_file else 'rij'} {self.row}")
        if self.column:
            parts.append(f"{'veld' if in_file else 'kolom'} '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message


@dataclass
class ProblemLog:
    file: str
    sheet_kind: str = "tabblad"
    items: list[Problem] = field(default_factory=list)

    def add(self, severity: str, message: str, sheet: str | None = None, row: int | None = None,
            column: str | None = None) -> None:
        self.items.append(Problem(severity, self.file, message, sheet, row, column, self.sheet_kind))

    def error(self, message: str, sheet: str | None = None, row: int | None = None,
              column: str | None = None) -> None:
        self.add(ERROR, message, sheet, row, column)

    def warning(self, message: str, sheet: str | None = None, row: int | None = None,
                column: str | None = None) -> None:
        self.add(WARNING, message, sheet, row, column)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]


def valid_iso_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Checker:
    def __init__(self, model: Model, log: ProblemLog, loc: Locator) -> None:
        self.model = model
        self.log = log
        self.loc = loc
        self.rows: dict[str, list[FlatRow]] = {e.name: list(flatten(model, e)) for e in SCHEMA}
        self.keys: dict[str, set[Any]] = {
            e.name: {r.values.get(e.key) for r in self.rows[e.name]} for e in SCHEMA if e.key and not e.mapping
        }

    def report(self, severity: str, row: FlatRow, column: str | None, message: str) -> None:
        sheet, number = self.loc.place(row)
        header = self.loc.column(row.entity, column) if column else None
        self.log.add(severity, message, sheet, number, header)

    def error(self, row: FlatRow, column: str | None, message: str) -> None:
        self.report(ERROR, row, column, message)

    def run(self) -> None:
        self._meta()
        for entity in SCHEMA:
            if not entity.mapping:
                self._entity(entity)
        self._model_rules()
        self._control_characters()

    def _meta(self) -> None:
        meta_rows = {str(r.values["key"]): r for r in self.rows["meta"]}
        for key in REQUIRED_META:
            if not self.model.meta.get(key):
                sheet = self.loc.sheets.get("meta")
                self.log.error(f"'{key}' ({META_LABELS[key]}) ontbreekt in de metadata", sheet)
        published = self.model.meta.get("published")
        if published and not valid_iso_date(published):
            self.error(meta_rows["published"], "value",
                       f"publicatiedatum '{published}' is geen geldige datum; verwacht JJJJ-MM-DD (bijv. 2027-03-01)")

    def _entity(self, entity: Entity) -> None:
        seen: dict[tuple[Any, Any], FlatRow] = {}
        seen_text: dict[tuple[Any, Any], FlatRow] = {}
        for row in self.rows[entity.name]:
            for f in entity.fields:
                self._value(row, f)
            if entity.key is not None:
                value = row.values.get(entity.key)
                if value is None or value == "":
                    continue
                scope = row.parent if entity.key_scope == "parent" else None
                first = seen.get((scope, value))
                if first is None:
                    seen[(scope, value)] = row
                else:
                    also = self._also(first)
                    self.error(row, entity.key, f"{entity.field(entity.key).dutch} '{value}' komt meer dan eens "
                                                f"voor{also}")
            elif entity.is_text_list:
                text = row.values[entity.fields[0].name]
                first = seen_text.get((row.parent, text))
                if first is None:
                    seen_text[(row.parent, text)] = row
                else:
                    also = self._also(first)
                    self.error(row, entity.fields[0].name, f"'{_short(text)}' staat dubbel bij dezelfde "
                                                           f"{ENTITIES[entity.container or ''].label}{also}")

    def _also(self, first: FlatRow) -> str:
        """Where the first of two equal rows is: a line in data/, a row in a sheet or table."""
        where = self.loc.place(first)
        if where[1] is None:
            return ""
        unit = "regel" if self.log.sheet_kind == "bestand" else "rij"
        return f" (ook in {unit} {where[1]}{f' van {where[0]}' if where[0] else ''})"

    def _value(self, row: FlatRow, f: Field) -> None:
        value = row.values.get(f.name)
        empty = value is None or value == "" or value == []
        if empty:
            if f.required:
                self.error(row, f.name, f"{f.dutch} ontbreekt (verplicht)")
            return
        if isinstance(value, list):
            twice = sorted({str(item) for item in value if value.count(item) > 1})
            if twice:
                self.error(row, f.name, f"{f.dutch}: '{_short(twice[0])}' staat er meer dan eens in")
        if f.kind == "int" and isinstance(value, int):
            if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
                self.error(row, f.name, f"{f.dutch} {value} ligt niet tussen {f.minimum} en {f.maximum}")
        entity = row.entity
        if f.name == entity.key and f.kind == "text" and isinstance(value, str):
            if f.name in SLUG_KEYS and not is_slug(value):
                self.error(row, f.name, f"'{_short(value)}' is geen geldige {f.dutch} (alleen kleine letters, "
                                        "cijfers en '-')")
            if entity.name == "intervention_type" and not TYPE_CODE.match(value):
                self.error(row, f.name, f"'{_short(value)}' is geen geldige typecode (bijv. 4 of 1.2)")
        if f.name in ("url",) and isinstance(value, str) and not is_web_url(value):
            self.error(row, f.name, f"'{_short(value)}' is geen geldig http(s)-webadres")
        if f.ref is not None:
            if f.ref in self.loc.missing:
                return  # reported once: the sheet or table is missing
            targets = self.keys.get(f.ref, set())
            target = ENTITIES[f.ref]
            for item in value if isinstance(value, list) else [value]:
                if item not in targets:
                    self.error(row, f.name, f"{target.label} '{_short(str(item))}' bestaat niet (niet in "
                                            f"{self._where(target)})")

    def _where(self, entity: Entity) -> str:
        sheet = self.loc.sheets.get(entity.name)
        return f"'{sheet}'" if sheet else f"de {entity.plural}"

    def _model_rules(self) -> None:
        numbers: dict[int, str] = {}
        for row in self.rows["block"]:
            number = row.values.get("number")
            if isinstance(number, int):
                if number in numbers:
                    self.error(row, "number", f"nummer {number} is ook het nummer van bouwsteen '{numbers[number]}'")
                numbers.setdefault(number, str(row.values.get("name")))
        facets = {f.key: f for f in self.model.facets}
        codes = {t.code for t in self.model.intervention_types}
        for row in self.rows["facet_judgement"]:
            judgement = row.obj
            facet = facets.get(judgement.facet)
            if facet is None:
                continue  # reported as a missing reference
            allowed = codes if judgement.facet == TYPE_FACET else {v.value for v in facet.values}
            for value in judgement.values:
                if value not in allowed:
                    self.error(row, "values", f"zoekkenmerk '{facet.label}' kent de waarde '{_short(value)}' niet")
            if facet.single and len(judgement.values) > 1:
                self.error(row, "values", f"zoekkenmerk '{facet.label}' heeft ten hoogste één waarde")
            if judgement.basis is not None and judgement.basis not in BASES:
                self.error(row, "basis", f"grond '{_short(judgement.basis)}' is onbekend (verwacht: rapport of "
                                         "redactie)")
        judged = {(row.parent, row.obj.facet) for row in self.rows["facet_judgement"]}
        unjudged = 0
        for row in self.rows["intervention"]:
            missing = [f.label for f in self.model.facets if (row.values.get("id"), f.key) not in judged]
            if missing:
                unjudged += 1
                if unjudged <= 5:
                    self.report(WARNING, row, None, f"nog geen oordeel over {', '.join(missing)}; zonder oordeel is "
                                                    "de waarde onbekend (voorstel: bouwstenen check-data --voorstel)")
        if unjudged > 5:
            self.log.warning(f"nog {unjudged - 5} interventies zonder oordeel over alle zoekkenmerken",
                             self.loc.sheets.get("intervention"))
        known_levels = {lv.trede for lv in self.model.effectladder}
        used = sorted({iv.trede for iv in self.model.interventions if iv.trede is not None} - known_levels)
        if used and self.model.effectladder:
            self.log.warning(f"de effectladder beschrijft trede {', '.join(map(str, used))} niet, maar interventies "
                             "gebruiken die trede wel", self.loc.sheets.get("effect_level"))

    def _control_characters(self) -> None:
        bad = 0
        for entity in SCHEMA:
            for row in self.rows[entity.name]:
                for name, value in row.values.items():
                    texts: Iterable[Any] = value if isinstance(value, list) else [value]
                    for text in texts:
                        if isinstance(text, str) and CONTROL_CHARACTERS.search(text):
                            bad += 1
                            if bad <= 5:
                                self.error(row, name, f"de tekst '{_short(text, 40)}' bevat onzichtbare stuurtekens")
        if bad > 5:
            self.log.error(f"nog {bad - 5} teksten bevatten onzichtbare stuurtekens")


def _short(text: str, width: int = 80) -> str:
    text = CONTROL_CHARACTERS.sub("?", " ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def check_model(model: Model, log: ProblemLog, loc: Locator | None = None) -> None:
    """Every check of the model; problems go to `log`."""
    _Checker(model, log, loc or Locator()).run()
