"""The published workbook (.xlsx): write it from a ModelSource, and read it back into one.

The workbook is meant to be read (and edited) by a person in Excel: Dutch sheet and column names,
one row per thing, stable ids as ordinary columns, "ja"/"nee" for yes and no, lists inside one cell
separated by ";". Every cell is plain text or a number; a text that starts with = + - @ or a tab is
stored as text with Excel's "quote prefix", so nothing in a published workbook is ever a formula.
The sheets and columns are documented in docs/published-format.md (generated from `SHEETS` here).

Reading is for untrusted files: the caller has already checked the zip container
(`safe_files.check_workbook`); openpyxl is used with read_only=True, data_only=True,
keep_links=False and defusedxml. A workbook without id columns still imports: names are matched
(normalised, and for interventions also their aliases) against the current model and within the
workbook; an ambiguous name is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.safe_files import DEFAULT_LIMITS, Limits, RejectedFile
from desktop.core.slug import fold, normalise_name, slugify
from desktop.core.source import (
    Block,
    Cluster,
    EffectLevel,
    Example,
    Facet,
    FacetRule,
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
from desktop.core.validation import META_LABELS, Locator, ProblemLog

FORMAT_KEY = "werkboekformaat"
FORMAT_VERSION = 1
INTRO_KEY = "effectladder_intro"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_RULE_FIELDS = ["name", "type_text", "description", "goal", "target_group"]


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    width: int = 24
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str
    purpose: str
    columns: tuple[Col, ...]
    required: bool = False

    def header(self, key: str) -> str:
        for col in self.columns:
            if col.key == key:
                return col.header
        return key


def _c(key: str, header: str, width: int = 24, note: str = "", required: bool = False) -> Col:
    return Col(key, header, width, note, required)


ID = _c("id", "id", 30, "stabiele id (kleine letters, cijfers en '-'); mag ontbreken, dan telt de naam")
SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("metadata", "versie, publicatiedatum, uitgever en bron van dit model", (
        _c("key", "sleutel", 22, "model_version, published (JJJJ-MM-DD), publisher, source", True),
        _c("value", "waarde", 90, required=True),
        _c("label", "omschrijving", 40, "uitleg; wordt niet ingelezen"),
    ), required=True),
    SheetSpec("teksten", "teksten die de applicatie bij het model toont", (
        _c("key", "sleutel", 24, "bijv. risk_factor_warning, model_purpose, effectladder_intro", True),
        _c("value", "tekst", 120, required=True),
    )),
    SheetSpec("bouwstenen", "de zes bouwstenen", (
        ID, _c("number", "nummer", 9, "1-6, de volgorde", True), _c("name", "naam", 28, required=True),
        _c("description", "beschrijving", 100), _c("source", "bron", 30),
    ), required=True),
    SheetSpec("risicofactoren", "risicofactoren per bouwsteen (context; nooit om mensen te selecteren)", (
        _c("block_id", "bouwsteen-id", 24), _c("block", "bouwsteen", 24),
        _c("text", "risicofactor", 80, required=True),
    )),
    SheetSpec("themas", "thema's binnen een bouwsteen", (
        ID, _c("block_id", "bouwsteen-id", 24), _c("block", "bouwsteen", 24), _c("name", "naam", 40, required=True),
    ), required=True),
    SheetSpec("beschermende factoren", "beschermende factoren (clusters) binnen een thema", (
        ID, _c("theme_id", "thema-id", 30), _c("theme", "thema", 30),
        _c("block", "bouwsteen", 20, "alleen nodig om gelijknamige thema's te onderscheiden"),
        _c("name", "naam", 45, required=True), _c("focus", "focus", 50),
        _c("intervention_types", "interventietypen", 18, "codes gescheiden door ';', bijv. 1.3; 4; 6"),
        _c("note", "toelichting", 40),
    ), required=True),
    SheetSpec("subfactoren", "de soortgelijke factoren ('Onder meer: …') per beschermende factor", (
        _c("cluster_id", "factor-id", 30), _c("cluster", "beschermende factor", 40),
        _c("text", "subfactor", 60, required=True),
    )),
    SheetSpec("referenties", "literatuurverwijzingen per beschermende factor", (
        _c("cluster_id", "factor-id", 30), _c("cluster", "beschermende factor", 40),
        _c("text", "referentie", 60, required=True),
    )),
    SheetSpec("interventies", "alle interventies (tabel B3.7)", (
        ID, _c("name", "naam", 36, required=True), _c("type_text", "type", 24),
        _c("offered", "aangeboden", 11, "ja, nee of leeg (onbekend)"), _c("description", "omschrijving", 80),
        _c("goal", "doelstelling", 60), _c("explicit", "expliciet", 10, "expliciet gericht op preventie: ja/nee"),
        _c("target_group", "doelgroep", 30), _c("provider", "uitvoerder", 30),
        _c("trede", "trede", 7, "0-5 (effectladder) of leeg"), _c("trede_label", "trede-omschrijving", 20),
        _c("trede_source", "bron trede", 20, "NJi, Movisie of eigen inschatting"),
        _c("evaluation", "evaluatie", 40), _c("source", "bron", 16),
    ), required=True),
    SheetSpec("aliassen", "andere namen van een interventie", (
        _c("intervention_id", "interventie-id", 30), _c("intervention", "interventie", 36),
        _c("alias", "alias", 36, required=True),
    )),
    SheetSpec("links", "webadressen van een interventie, in volgorde", (
        _c("intervention_id", "interventie-id", 30), _c("intervention", "interventie", 36),
        _c("url", "link", 60, "een volledig http(s)-adres", True),
    )),
    SheetSpec("koppelingen", "interventies als voorbeeld bij een beschermende factor (tabellen B3.1-B3.6)", (
        _c("cluster_id", "factor-id", 30), _c("cluster", "beschermende factor", 36),
        _c("intervention_id", "interventie-id", 30), _c("intervention", "interventie", 36),
        _c("explicit", "expliciet", 10, "ja/nee", True), _c("offered", "aangeboden", 11, "ja/nee", True),
        _c("via_municipality", "via gemeenten", 13, "ja/nee", True), _c("trede", "trede", 7, "0-5 of leeg"),
        _c("trede_source", "bron trede", 20),
    ), required=True),
    SheetSpec("interventietypen", "de algemene interventietypen van Bijlage 2", (
        _c("code", "code", 7, "1-9, 1.1-1.3", True), _c("parent", "hoofdtype", 10, "code van het hoofdtype"),
        _c("name", "naam", 40, required=True), _c("description", "beschrijving", 80),
        _c("target_groups", "doelgroepen", 60), _c("factors", "factoren", 60),
    ), required=True),
    SheetSpec("interventietype-onderdelen", "werkzame elementen, randvoorwaarden en bronnen per type", (
        _c("code", "type", 7, required=True),
        _c("kind", "soort", 18, "werkzaam element, randvoorwaarde of bron", True),
        _c("text", "tekst", 100, required=True),
    )),
    SheetSpec("interventietype-voorbeelden", "voorbeelden per interventietype", (
        _c("code", "type", 7, required=True), _c("name", "voorbeeld", 36, required=True),
        _c("intervention_id", "interventie-id", 30), _c("intervention", "interventie", 36),
    )),
    SheetSpec("effectladder", "de treden van de effectladder (Bijlage 1)", (
        _c("trede", "trede", 7, "0-5", True), _c("name", "naam", 30, required=True),
        _c("explanation", "uitleg", 100, required=True),
    ), required=True),
    SheetSpec("zoekkenmerken", "de zoekkenmerken (filters) die uit de tekst worden afgeleid", (
        ID, _c("name", "naam", 24, required=True), _c("single", "één waarde", 11, "ja: alleen de eerste passende"),
        _c("description", "toelichting", 60),
    )),
    SheetSpec("zoekkenmerk-waarden", "waarden van een zoekkenmerk met hun trefwoorden", (
        _c("facet_id", "kenmerk-id", 18), _c("facet", "kenmerk", 20),
        Col("id", "waarde-id", 20, ID.help), _c("name", "naam", 24, required=True),
        _c("keywords", "trefwoorden", 60, "gescheiden door ';'; 'kind*' = woorden die met kind beginnen"),
        _c("fields", "velden", 40, "kolommen van 'interventies' waarin gezocht wordt, gescheiden door ';'"),
    )),
    SheetSpec("interventie-kenmerken", "vastgestelde zoekkenmerken van een interventie (vervangen de afgeleide)", (
        _c("intervention_id", "interventie-id", 30), _c("intervention", "interventie", 36),
        _c("facet_id", "kenmerk-id", 18), _c("facet", "kenmerk", 20),
        _c("value_id", "waarde-id", 20), _c("value", "waarde", 20),
    )),
    SheetSpec("organisaties", "organisaties met kennis en ondersteuning", (
        ID, _c("name", "naam", 40, required=True), _c("url", "website", 50), _c("group", "groep", 30),
    )),
    SheetSpec("praktijkvoorbeelden", "voorbeelden uit de praktijk", (
        ID, _c("title", "titel", 40, required=True), _c("for_whom", "voor wie", 30),
        _c("summary", "samenvatting", 80), _c("parties", "partijen", 40), _c("contact", "contact", 30),
    )),
    SheetSpec("quickscan-groepen", "groepen vragen van de quickscan", (
        ID, _c("name", "naam", 40, required=True),
    )),
    SheetSpec("quickscan-vragen", "vragen van de quickscan", (
        _c("group_id", "groep-id", 24), _c("group", "groep", 30), _c("number", "nummer", 9, required=True),
        _c("question", "vraag", 80), _c("explanation", "toelichting", 80),
    )),
)
SPEC = {s.name: s for s in SHEETS}

KIND_SHEET = {
    "meta": "metadata", "text": "teksten", "block": "bouwstenen", "risk": "risicofactoren", "theme": "themas",
    "cluster": "beschermende factoren", "intervention": "interventies", "alias": "aliassen", "link": "links",
    "example": "koppelingen", "type": "interventietypen", "type_item": "interventietype-onderdelen",
    "type_example": "interventietype-voorbeelden", "level": "effectladder", "facet": "zoekkenmerken",
    "facet_value": "zoekkenmerk-waarden", "curated_facet": "interventie-kenmerken", "organisation": "organisaties",
    "practice": "praktijkvoorbeelden", "qs_group": "quickscan-groepen", "qs_question": "quickscan-vragen",
}

ITEM_KINDS = (("working_elements", "werkzaam element"), ("preconditions", "randvoorwaarde"), ("sources", "bron"))
ITEM_KIND_WORDS = {
    "werkzaam element": "working_elements", "werkzame elementen": "working_elements", "werkzaam": "working_elements",
    "randvoorwaarde": "preconditions", "randvoorwaarden": "preconditions",
    "bron": "sources", "bronnen": "sources",
}
FIELD_LABELS = {
    "name": "naam", "type_text": "type", "description": "omschrijving", "goal": "doelstelling",
    "target_group": "doelgroep", "provider": "uitvoerder", "trede_label": "trede-omschrijving",
    "trede_source": "bron trede", "evaluation": "evaluatie", "source": "bron",
}
FIELD_WORDS = {normalise_name(label): name for name, label in FIELD_LABELS.items()} | {
    normalise_name(name): name for name in FIELD_LABELS
}
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}


def sheet_key(name: str) -> str:
    """Sheet and column names are matched loosely: case, accents, apostrophes, '-', '_' ignored."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name).replace("'", "").replace("’", "")).split())


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("ja" if value else "nee")


def _join(items: Iterable[str]) -> str | None:
    text = "; ".join(items)
    return text or None


# --- writing ------------------------------------------------------------------------------------

def _rows(source: ModelSource, sheet: str) -> Iterator[dict[str, Any]]:
    s = source
    names = {iv.id: iv.name for iv in s.interventions}
    if sheet == "metadata":
        yield {"key": FORMAT_KEY, "value": str(FORMAT_VERSION), "label": "versie van dit werkboekformaat"}
        for key, value in s.meta.items():
            yield {"key": key, "value": value, "label": META_LABELS.get(key)}
    elif sheet == "teksten":
        for key, value in s.texts.items():
            yield {"key": key, "value": value}
        if s.effectladder_intro and INTRO_KEY not in s.texts:
            yield {"key": INTRO_KEY, "value": s.effectladder_intro}
    elif sheet == "bouwstenen":
        for b in s.blocks:
            yield {"id": b.id, "number": b.number, "name": b.name, "description": b.description, "source": b.source}
    elif sheet == "risicofactoren":
        for b in s.blocks:
            for text in b.risk_factors:
                yield {"block_id": b.id, "block": b.name, "text": text}
    elif sheet == "themas":
        for b in s.blocks:
            for t in b.themes:
                yield {"id": t.id, "block_id": b.id, "block": b.name, "name": t.name}
    elif sheet == "beschermende factoren":
        for b in s.blocks:
            for t in b.themes:
                for c in t.clusters:
                    yield {"id": c.id, "theme_id": t.id, "theme": t.name, "block": b.name, "name": c.name,
                           "focus": c.focus, "intervention_types": _join(c.intervention_types), "note": c.note}
    elif sheet in ("subfactoren", "referenties"):
        for c in (c for b in s.blocks for t in b.themes for c in t.clusters):
            for text in c.subfactors if sheet == "subfactoren" else c.references:
                yield {"cluster_id": c.id, "cluster": c.name, "text": text}
    elif sheet == "interventies":
        for iv in s.interventions:
            yield {
                "id": iv.id, "name": iv.name, "type_text": iv.type_text, "offered": _yes_no(iv.offered),
                "description": iv.description, "goal": iv.goal, "explicit": _yes_no(iv.explicit),
                "target_group": iv.target_group, "provider": iv.provider, "trede": iv.trede,
                "trede_label": iv.trede_label, "trede_source": iv.trede_source, "evaluation": iv.evaluation,
                "source": iv.source,
            }
    elif sheet in ("aliassen", "links"):
        for iv in s.interventions:
            for value in iv.aliases if sheet == "aliassen" else iv.links:
                yield {"intervention_id": iv.id, "intervention": iv.name,
                       ("alias" if sheet == "aliassen" else "url"): value}
    elif sheet == "koppelingen":
        for c in (c for b in s.blocks for t in b.themes for c in t.clusters):
            for e in c.examples:
                yield {"cluster_id": c.id, "cluster": c.name, "intervention_id": e.intervention,
                       "intervention": names.get(e.intervention), "explicit": _yes_no(e.explicit),
                       "offered": _yes_no(e.offered), "via_municipality": _yes_no(e.via_municipality),
                       "trede": e.trede, "trede_source": e.trede_source}
    elif sheet == "interventietypen":
        for it in s.intervention_types:
            yield {"code": it.code, "parent": it.parent, "name": it.name, "description": it.description,
                   "target_groups": it.target_groups, "factors": it.factors}
    elif sheet == "interventietype-onderdelen":
        for it in s.intervention_types:
            for attr, word in ITEM_KINDS:
                for text in getattr(it, attr):
                    yield {"code": it.code, "kind": word, "text": text}
    elif sheet == "interventietype-voorbeelden":
        for it in s.intervention_types:
            for ex in it.examples:
                yield {"code": it.code, "name": ex.name, "intervention_id": ex.intervention,
                       "intervention": names.get(ex.intervention) if ex.intervention else None}
    elif sheet == "effectladder":
        for lv in s.effectladder:
            yield {"trede": lv.trede, "name": lv.name, "explanation": lv.explanation}
    elif sheet == "zoekkenmerken":
        for f in s.facets:
            yield {"id": f.key, "name": f.label, "single": _yes_no(f.single), "description": f.description}
    elif sheet == "zoekkenmerk-waarden":
        for f in s.facets:
            rules = {r.value: r for r in f.rules}
            for value, label in f.values.items():
                rule = rules.get(value)
                yield {"facet_id": f.key, "facet": f.label, "id": value, "name": label,
                       "keywords": _join(rule.keywords) if rule else None,
                       "fields": _join(FIELD_LABELS.get(x, x) for x in rule.fields) if rule else None}
    elif sheet == "interventie-kenmerken":
        labels = {f.key: f for f in s.facets}
        for iv in s.interventions:
            for key, values in iv.facets.items():
                for value in values:
                    facet = labels.get(key)
                    yield {"intervention_id": iv.id, "intervention": iv.name, "facet_id": key,
                           "facet": facet.label if facet else None, "value_id": value,
                           "value": facet.values.get(value) if facet else None}
    elif sheet == "organisaties":
        for o in s.organisations:
            yield {"id": o.id, "name": o.name, "url": o.url, "group": o.group}
    elif sheet == "praktijkvoorbeelden":
        for p in s.practice_examples:
            yield {"id": p.id, "title": p.title, "for_whom": p.for_whom, "summary": p.summary,
                   "parties": p.parties, "contact": p.contact}
    elif sheet == "quickscan-groepen":
        for g in s.quickscan:
            yield {"id": g.id, "name": g.name}
    elif sheet == "quickscan-vragen":
        for g in s.quickscan:
            for q in g.questions:
                yield {"group_id": g.id, "group": g.name, "number": q.number, "question": q.question,
                       "explanation": q.explanation}


def _is_id_column(col: Col) -> bool:
    return col.key == "id" or col.key.endswith("_id")


def write_workbook(source: ModelSource, out: Path, include_ids: bool = True) -> None:
    """Write the published workbook for `source` to `out` (replaced atomically).

    `include_ids=False` leaves out every id column: a workbook for people who edit by name.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.creator = "Bouwstenen"
    wb.properties.title = f"Bouwstenenmodel {source.meta.get('model_version', '')}".strip()
    bold = Font(bold=True)
    top = Alignment(vertical="top", wrap_text=False)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        columns = [c for c in spec.columns if include_ids or not _is_id_column(c)]
        ws.freeze_panes = "A2"
        for index, col in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = col.width
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.font = bold
            cell.alignment = top
            header.append(cell)
        ws.append(header)
        for row in _rows(source, spec.name):
            values: list[Any] = []
            for col in columns:
                value = row.get(col.key)
                if isinstance(value, str) and value.startswith(RISKY_START):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True  # Excel shows it as typed text ('=…)
                    value = cell
                values.append(value)
            ws.append(values)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.name + ".tmp")
    try:
        wb.save(staging)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)


# --- reading ------------------------------------------------------------------------------------

class _Index:
    """Normalised name -> ids (in order, without repeats)."""

    def __init__(self) -> None:
        self.keys: dict[str, list[str]] = {}

    def add(self, name: str | None, ident: str) -> None:
        if not name or not ident:
            return
        found = self.keys.setdefault(normalise_name(name), [])
        if ident not in found:
            found.append(ident)

    def find(self, name: str) -> list[str]:
        return self.keys.get(normalise_name(name), [])


@dataclass
class _Table:
    spec: SheetSpec
    title: str
    index: dict[str, int]  # column key -> position
    rows: list[tuple[int, tuple[Any, ...]]]

    def has(self, key: str) -> bool:
        return key in self.index

    def raw(self, values: tuple[Any, ...], key: str) -> Any:
        position = self.index.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]


class _Current:
    """Name indexes over the current model, for matching rows that carry no id."""

    def __init__(self, current: ModelSource | None) -> None:
        self.blocks = _Index()
        self.themes: dict[str, _Index] = {}
        self.clusters = _Index()
        self.interventions = _Index()
        self.facets = _Index()
        self.facet_values: dict[str, _Index] = {}
        self.organisations = _Index()
        self.practice = _Index()
        self.groups = _Index()
        self.ids: dict[str, dict[str, str]] = {}  # kind -> id -> name
        if current is None:
            return

        def known(kind: str, ident: str, name: str) -> None:
            self.ids.setdefault(kind, {})[ident] = name

        for b in current.blocks:
            self.blocks.add(b.name, b.id)
            known("block", b.id, b.name)
            for t in b.themes:
                self.themes.setdefault(b.id, _Index()).add(t.name, t.id)
                known("theme", t.id, t.name)
                for c in t.clusters:
                    self.clusters.add(c.name, c.id)
                    known("cluster", c.id, c.name)
        for iv in current.interventions:
            for name in (iv.name, *iv.aliases):
                self.interventions.add(name, iv.id)
            known("intervention", iv.id, iv.name)
        for f in current.facets:
            self.facets.add(f.label, f.key)
            known("facet", f.key, f.label)
            values = self.facet_values.setdefault(f.key, _Index())
            for value, label in f.values.items():
                values.add(label, value)
                known(f"facet_value:{f.key}", value, label)
        for o in current.organisations:
            self.organisations.add(o.name, o.id)
            known("organisation", o.id, o.name)
        for p in current.practice_examples:
            self.practice.add(p.title, p.id)
            known("practice", p.id, p.title)
        for g in current.quickscan:
            self.groups.add(g.name, g.id)
            known("qs_group", g.id, g.name)


WHAT = {
    "block": "bouwsteen", "theme": "thema", "cluster": "beschermende factor", "intervention": "interventie",
    "facet": "zoekkenmerk", "facet_value": "waarde", "organisation": "organisatie", "practice": "praktijkvoorbeeld",
    "qs_group": "quickscangroep", "type": "interventietype",
}


class WorkbookReader:
    """Reads an (already container-checked) workbook into a ModelSource, collecting every problem."""

    def __init__(self, path: Path, log: ProblemLog, current: ModelSource | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.log = log
        self.limits = limits
        self.current = _Current(current)
        self.loc = Locator()
        for kind, sheet in KIND_SHEET.items():
            for col in SPEC[sheet].columns:
                self.loc.columns[(kind, col.key)] = col.header
        self.tables: dict[str, _Table] = {}

    # --- cells --------------------------------------------------------------------------------
    def _error(self, t: _Table, number: int, key: str | None, message: str) -> None:
        self.log.error(message, t.title, number, t.spec.header(key) if key else None)

    def _warning(self, t: _Table, number: int, key: str | None, message: str) -> None:
        self.log.warning(message, t.title, number, t.spec.header(key) if key else None)

    def text(self, t: _Table, row: tuple[int, tuple[Any, ...]], key: str) -> str | None:
        value = t.raw(row[1], key)
        if value is None:
            return None
        if isinstance(value, bool):
            self._error(t, row[0], key, "verwacht tekst, gevonden een waar/onwaar-waarde")
            return None
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            self._error(t, row[0], key, "verwacht tekst")
            return None
        text = value.strip()
        return text or None

    def required(self, t: _Table, row: tuple[int, tuple[Any, ...]], key: str, label: str) -> str:
        value = self.text(t, row, key)
        if value is None:
            self._error(t, row[0], key, f"{label} ontbreekt (verplicht)")
            return ""
        return value

    def integer(self, t: _Table, row: tuple[int, tuple[Any, ...]], key: str) -> int | None:
        value = t.raw(row[1], key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self._error(t, row[0], key, "verwacht een geheel getal")
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
            return int(value)
        shown = str(value)[:40]
        self._error(t, row[0], key, f"verwacht een geheel getal, gevonden '{shown}'")
        return None

    def trede(self, t: _Table, row: tuple[int, tuple[Any, ...]], key: str = "trede") -> int | None:
        value = self.integer(t, row, key)
        if value is not None and not 0 <= value <= 5:
            self._error(t, row[0], key, f"trede {value} ligt niet tussen 0 en 5")
            return None
        return value

    def flag(self, t: _Table, row: tuple[int, tuple[Any, ...]], key: str, required: bool = False) -> bool | None:
        value = t.raw(row[1], key)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = fold(str(value)).strip() if value is not None else ""
        if not text:
            if required:
                self._error(t, row[0], key, "ja of nee ontbreekt (verplicht)")
            return None
        if text in YES:
            return True
        if text in NO:
            return False
        self._error(t, row[0], key, f"verwacht ja of nee, gevonden '{str(value)[:40]}'")
        return None

    def items(self, t: _Table, row: tuple[int, tuple[Any, ...]], key: str) -> list[str]:
        text = self.text(t, row, key)
        if text is None:
            return []
        return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]

    # --- ids and references -------------------------------------------------------------------
    def own_id(self, t: _Table, row: tuple[int, tuple[Any, ...]], kind: str, name: str,
               index: _Index | None, known_kind: str | None = None) -> str:
        if t.has("id"):
            given = self.text(t, row, "id")
            if given:
                return given
        if not name:
            return ""
        what = WHAT.get(kind, kind)
        candidates = index.find(name) if index is not None else []
        if len(candidates) == 1:
            return candidates[0]
        slug = slugify(name)
        id_header = t.spec.header("id")
        if len(candidates) > 1:
            self._error(t, row[0], None, f"de naam '{name}' past bij meerdere bestaande {what}-ids "
                                         f"({', '.join(candidates)}); vul de kolom '{id_header}' in")
            return slug
        existing = self.current.ids.get(known_kind or kind, {})
        if slug in existing:
            self._error(t, row[0], None, f"'{name}' past bij geen bestaande {what}, maar de id '{slug}' die "
                                         f"eruit volgt is al van '{existing[slug]}'; vul de kolom '{id_header}' in")
        elif not slug:
            self._error(t, row[0], None, f"uit de naam '{name}' volgt geen id; vul de kolom '{id_header}' in")
        return slug

    def ref(self, t: _Table, row: tuple[int, tuple[Any, ...]], id_key: str, name_key: str, kind: str,
            index: _Index, known: dict[str, str], narrow: Callable[[list[str]], list[str]] | None = None,
            optional: bool = False) -> str:
        what = WHAT.get(kind, kind)
        target = KIND_SHEET.get(kind, kind)
        given = self.text(t, row, id_key) if t.has(id_key) else None
        name = self.text(t, row, name_key) if t.has(name_key) else None
        if given:
            if given not in known:
                if target in self.tables or target not in SPEC:  # a missing sheet is reported once, not per row
                    self._error(t, row[0], id_key, f"{what} '{given}' bestaat niet (niet in tabblad '{target}')")
                return ""
            if name and given not in index.find(name):
                self._warning(t, row[0], name_key, f"de naam '{name}' hoort niet bij {what} '{given}' "
                                                   f"('{known[given]}'); de id telt")
            return given
        if name:
            found = index.find(name)
            if len(found) > 1 and narrow is not None:
                found = narrow(found) or found
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                self._error(t, row[0], name_key, f"de naam '{name}' past bij meerdere {what}-ids "
                                                 f"({', '.join(found)}); vul de kolom '{t.spec.header(id_key)}' in")
            elif target in self.tables or target not in SPEC:
                self._error(t, row[0], name_key, f"{what} '{name}' bestaat niet (niet in tabblad '{target}')")
            return ""
        if not optional:
            self._error(t, row[0], None, f"{what} ontbreekt: vul '{t.spec.header(id_key)}' of "
                                         f"'{t.spec.header(name_key)}' in")
        return ""

    # --- sheets -------------------------------------------------------------------------------
    def _load(self) -> None:
        import openpyxl

        if openpyxl.DEFUSEDXML is not True:  # the XML parser must refuse entities and DTDs
            raise RuntimeError("openpyxl gebruikt defusedxml niet; installeer defusedxml")
        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise RejectedFile(
                f"'{self.log.file}' kan niet als Excel-werkmap worden gelezen ({type(exc).__name__}: {exc})."
            ) from exc
        try:
            wanted = {sheet_key(spec.name): spec for spec in SHEETS}
            for ws in wb.worksheets:
                spec = wanted.get(sheet_key(ws.title))
                if spec is None:
                    self.log.warning(f"tabblad '{ws.title}' is onbekend en wordt overgeslagen", ws.title)
                    continue
                if spec.name in self.tables:
                    self.log.error(f"tabblad '{spec.name}' komt twee keer voor", ws.title)
                    continue
                table = self._read_sheet(ws, spec)
                if table is not None:
                    self.tables[spec.name] = table
        except RejectedFile:
            raise
        except Exception as exc:
            raise RejectedFile(
                f"'{self.log.file}' is beschadigd: een tabblad kan niet worden gelezen ({type(exc).__name__}: {exc})."
            ) from exc
        finally:
            wb.close()
        sheet_kinds = {sheet: kind for kind, sheet in KIND_SHEET.items()}
        for spec in SHEETS:
            if spec.name not in self.tables:
                self.loc.missing.add(sheet_kinds.get(spec.name, spec.name))
                if spec.required:
                    self.log.error(f"tabblad '{spec.name}' ontbreekt ({spec.purpose})")
                else:
                    self.log.warning(f"tabblad '{spec.name}' ontbreekt; het nieuwe model heeft geen {spec.purpose}")

    def _read_sheet(self, ws: Any, spec: SheetSpec) -> _Table | None:
        ws.reset_dimensions()  # the stored dimension may lie; read what is there
        limits = self.limits
        wanted = {sheet_key(c.header): c.key for c in spec.columns}
        wanted |= {sheet_key(c.key): c.key for c in spec.columns}
        header: dict[str, int] | None = None
        width = 0
        rows: list[tuple[int, tuple[Any, ...]]] = []
        stray = False
        for number, values in enumerate(ws.iter_rows(max_col=limits.max_columns, values_only=True), start=1):
            if number > limits.max_rows + 1:
                self.log.error(f"meer dan {limits.max_rows} rijen; de rest is niet gelezen", ws.title)
                break
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if header is None:
                header = {}
                for position, value in enumerate(values):
                    if value is None or not str(value).strip():
                        continue
                    label = str(value).strip()
                    key = wanted.get(sheet_key(label))
                    if key is None:
                        self.log.warning(f"kolom '{label}' is onbekend en wordt overgeslagen", ws.title, number, label)
                    elif key in header:
                        self.log.error(f"kolom '{label}' komt twee keer voor", ws.title, number, label)
                    else:
                        header[key] = position
                    width = position + 1
                continue
            checked = []
            for position, value in enumerate(values):
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    column = next((spec.header(k) for k, p in header.items() if p == position), None)
                    self.log.error(f"de tekst is {len(value)} tekens lang; ten hoogste {limits.max_cell_chars} "
                                   "tekens per cel", ws.title, number, column)
                    value = None
                elif position >= width and value is not None and not stray:
                    stray = True
                    self.log.warning("waarden in kolommen zonder kop worden overgeslagen", ws.title, number)
                checked.append(value)
            rows.append((number, tuple(checked)))
        if header is None:
            header = {}
            if spec.required:
                self.log.error(f"tabblad '{ws.title}' is leeg (geen kopregel)", ws.title)
        present = set(header)
        for col in spec.columns:
            if col.required and col.key not in present:
                expected = ", ".join(c.header for c in spec.columns)
                self.log.error(f"kolom '{col.header}' ontbreekt (verwacht: {expected})", ws.title, 1, col.header)
        for id_key, name_key in (("block_id", "block"), ("theme_id", "theme"), ("cluster_id", "cluster"),
                                 ("intervention_id", "intervention"), ("facet_id", "facet"),
                                 ("group_id", "group"), ("value_id", "value")):
            if any(c.key == id_key for c in spec.columns) and not present & {id_key, name_key}:
                if spec.name == "interventietype-voorbeelden":
                    continue  # the intervention of a type example is optional
                self.log.error(f"kolom '{spec.header(id_key)}' of '{spec.header(name_key)}' ontbreekt",
                               ws.title, 1)
        self.loc.add(("sheet", spec.name), ws.title, None)
        return _Table(spec, ws.title, header, rows)

    def header_at(self, title: str, column: int) -> str | None:
        """The header of a column (1-based) of a sheet that was read, for messages about a cell."""
        for table in self.tables.values():
            if table.title == title:
                for key, position in table.index.items():
                    if position == column - 1:
                        return table.spec.header(key)
        return None

    def _table(self, name: str) -> _Table:
        return self.tables.get(name) or _Table(SPEC[name], name, {}, [])

    def _place(self, key: tuple[str, ...], t: _Table, number: int) -> None:
        self.loc.add(key, t.title, number)

    # --- the model ----------------------------------------------------------------------------
    def read(self) -> tuple[ModelSource, Locator]:
        self._load()
        cur = self.current

        meta: dict[str, str] = {}
        t = self._table("metadata")
        for row in t.rows:
            key = self.required(t, row, "key", "sleutel")
            value = self.text(t, row, "value")
            if not key:
                continue
            if key == FORMAT_KEY:
                if value and value.split(".")[0].isdigit() and int(value.split(".")[0]) > FORMAT_VERSION:
                    self._error(t, row[0], "value", f"dit werkboek heeft formaat {value}; deze versie van "
                                                    f"Bouwstenen leest formaat {FORMAT_VERSION}. Installeer een "
                                                    "nieuwere versie van de applicatie.")
                continue
            if key in meta:
                self._error(t, row[0], "key", f"sleutel '{key}' komt twee keer voor")
            if value is not None:
                meta[key] = value
            self._place(("meta", key), t, row[0])

        texts: dict[str, str] = {}
        intro: str | None = None
        t = self._table("teksten")
        for row in t.rows:
            key = self.required(t, row, "key", "sleutel")
            value = self.required(t, row, "value", "tekst")
            if not key or not value:
                continue
            if key in texts or (key == INTRO_KEY and intro is not None):
                self._error(t, row[0], "key", f"sleutel '{key}' komt twee keer voor")
            if key == INTRO_KEY:
                intro = value
            else:
                texts[key] = value

        blocks: dict[str, Block] = {}
        block_names = _Index()
        t = self._table("bouwstenen")
        for row in t.rows:
            name = self.text(t, row, "name") or ""
            ident = self.own_id(t, row, "block", name, cur.blocks)
            block = Block(id=ident, number=self.integer(t, row, "number") or 0, name=name,
                          description=self.text(t, row, "description") or "", risk_factors=[], themes=[],
                          source=self.text(t, row, "source"))
            if t.has("number") and t.raw(row[1], "number") is None:
                self._error(t, row[0], "number", "nummer ontbreekt (verplicht)")
            self._place(("block", ident), t, row[0])
            block_names.add(name, ident)
            if ident not in blocks:
                blocks[ident] = block
        block_known = {b.id: b.name for b in blocks.values()}

        t = self._table("risicofactoren")
        for row in t.rows:
            block_id = self.ref(t, row, "block_id", "block", "block", block_names, block_known)
            text = self.required(t, row, "text", "risicofactor")
            if block_id and text:
                blocks[block_id].risk_factors.append(text)

        themes: dict[str, Theme] = {}
        theme_block: dict[str, str] = {}
        theme_names = _Index()
        t = self._table("themas")
        for row in t.rows:
            block_id = self.ref(t, row, "block_id", "block", "block", block_names, block_known)
            name = self.text(t, row, "name") or ""
            ident = self.own_id(t, row, "theme", name, cur.themes.get(block_id))
            self._place(("theme", ident), t, row[0])
            theme_names.add(name, ident)
            if ident in themes or not block_id:
                continue
            theme = Theme(id=ident, name=name, clusters=[])
            themes[ident] = theme
            theme_block[ident] = block_id
            blocks[block_id].themes.append(theme)
        theme_known = {th.id: th.name for th in themes.values()}

        clusters: dict[str, Cluster] = {}
        cluster_names = _Index()
        t = self._table("beschermende factoren")
        for row in t.rows:
            block_name = self.text(t, row, "block") if t.has("block") else None

            def in_block(found: list[str], block_name: str | None = block_name) -> list[str]:
                wanted = set(block_names.find(block_name)) if block_name else set()
                return [f for f in found if theme_block.get(f) in wanted]

            theme_id = self.ref(t, row, "theme_id", "theme", "theme", theme_names, theme_known, in_block)
            name = self.text(t, row, "name") or ""
            ident = self.own_id(t, row, "cluster", name, cur.clusters)
            cluster = Cluster(id=ident, name=name, focus=self.text(t, row, "focus"), subfactors=[], references=[],
                              intervention_types=[_code(x) for x in self.items(t, row, "intervention_types")],
                              examples=[], note=self.text(t, row, "note"))
            self._place(("cluster", ident), t, row[0])
            cluster_names.add(name, ident)
            if ident in clusters or not theme_id:
                continue
            clusters[ident] = cluster
            themes[theme_id].clusters.append(cluster)
        cluster_known = {c.id: c.name for c in clusters.values()}

        for sheet, label in (("subfactoren", "subfactor"), ("referenties", "referentie")):
            t = self._table(sheet)
            for row in t.rows:
                cluster_id = self.ref(t, row, "cluster_id", "cluster", "cluster", cluster_names, cluster_known)
                text = self.required(t, row, "text", label)
                if cluster_id and text:
                    target = clusters[cluster_id]
                    (target.subfactors if sheet == "subfactoren" else target.references).append(text)

        interventions: dict[str, Intervention] = {}
        order: list[Intervention] = []
        iv_names = _Index()
        t = self._table("interventies")
        for row in t.rows:
            name = self.text(t, row, "name") or ""
            ident = self.own_id(t, row, "intervention", name, cur.interventions)
            iv = Intervention(
                id=ident, name=name, aliases=[], type_text=self.text(t, row, "type_text"),
                offered=self.flag(t, row, "offered"), description=self.text(t, row, "description"),
                goal=self.text(t, row, "goal"), explicit=self.flag(t, row, "explicit"),
                target_group=self.text(t, row, "target_group"), provider=self.text(t, row, "provider"),
                trede=self.trede(t, row), trede_label=self.text(t, row, "trede_label"),
                trede_source=self.text(t, row, "trede_source"), evaluation=self.text(t, row, "evaluation"),
                links=[], source=self.text(t, row, "source"), facets={},
            )
            self._place(("intervention", ident), t, row[0])
            iv_names.add(name, ident)
            order.append(iv)
            interventions.setdefault(ident, iv)
        iv_known = {iv.id: iv.name for iv in interventions.values()}

        t = self._table("aliassen")
        for row in t.rows:
            iv_id = self.ref(t, row, "intervention_id", "intervention", "intervention", iv_names, iv_known)
            alias = self.required(t, row, "alias", "alias")
            if iv_id and alias:
                target_iv = interventions[iv_id]
                self._place(("alias", iv_id, str(len(target_iv.aliases))), t, row[0])
                target_iv.aliases.append(alias)
        iv_all_names = _Index()
        for iv in interventions.values():
            for name in (iv.name, *iv.aliases):
                iv_all_names.add(name, iv.id)

        t = self._table("links")
        for row in t.rows:
            iv_id = self.ref(t, row, "intervention_id", "intervention", "intervention", iv_all_names, iv_known)
            url = self.required(t, row, "url", "link")
            if iv_id and url:
                target_iv = interventions[iv_id]
                self._place(("link", iv_id, str(len(target_iv.links))), t, row[0])
                target_iv.links.append(url)

        t = self._table("koppelingen")
        for row in t.rows:
            cluster_id = self.ref(t, row, "cluster_id", "cluster", "cluster", cluster_names, cluster_known)
            iv_id = self.ref(t, row, "intervention_id", "intervention", "intervention", iv_all_names, iv_known)
            example = Example(
                intervention=iv_id, explicit=bool(self.flag(t, row, "explicit", required=True)),
                offered=bool(self.flag(t, row, "offered", required=True)),
                via_municipality=bool(self.flag(t, row, "via_municipality", required=True)),
                trede=self.trede(t, row), trede_source=self.text(t, row, "trede_source"),
            )
            if cluster_id and iv_id:
                target = clusters[cluster_id]
                self._place(("example", cluster_id, str(len(target.examples))), t, row[0])
                target.examples.append(example)

        types: dict[str, InterventionType] = {}
        t = self._table("interventietypen")
        for row in t.rows:
            code = _code(self.required(t, row, "code", "code"))
            itype = InterventionType(
                code=code, name=self.text(t, row, "name") or "", parent=_code_or_none(self.text(t, row, "parent")),
                description=self.text(t, row, "description"), target_groups=self.text(t, row, "target_groups"),
                factors=self.text(t, row, "factors"), working_elements=[], preconditions=[], sources=[],
                examples=[],
            )
            self._place(("type", code), t, row[0])
            if code and code not in types:
                types[code] = itype
        type_index = _Index()
        for code in types:
            type_index.add(code, code)
        type_known = {code: it.name for code, it in types.items()}

        t = self._table("interventietype-onderdelen")
        for row in t.rows:
            code = self.ref(t, row, "code", "code", "type", type_index, type_known)
            kind_text = self.required(t, row, "kind", "soort")
            text = self.required(t, row, "text", "tekst")
            attr = ITEM_KIND_WORDS.get(normalise_name(kind_text)) if kind_text else None
            if kind_text and attr is None:
                self._error(t, row[0], "kind", f"onbekende soort '{kind_text}' (verwacht: werkzaam element, "
                                               "randvoorwaarde of bron)")
            if code and attr and text:
                getattr(types[code], attr).append(text)

        t = self._table("interventietype-voorbeelden")
        for row in t.rows:
            code = self.ref(t, row, "code", "code", "type", type_index, type_known)
            name = self.required(t, row, "name", "voorbeeld")
            iv_ref = self.ref(t, row, "intervention_id", "intervention", "intervention", iv_all_names, iv_known,
                              optional=True)
            if code and name:
                target_type = types[code]
                self._place(("type_example", code, str(len(target_type.examples))), t, row[0])
                target_type.examples.append(TypeExample(name=name, intervention=iv_ref or None))

        levels: list[EffectLevel] = []
        t = self._table("effectladder")
        for row in t.rows:
            trede = self.trede(t, row)
            if trede is None:
                if t.raw(row[1], "trede") is None:
                    self._error(t, row[0], "trede", "trede ontbreekt (verplicht)")
                continue
            levels.append(EffectLevel(trede=trede, name=self.text(t, row, "name") or "",
                                      explanation=self.text(t, row, "explanation") or ""))
            self._place(("level", str(trede)), t, row[0])

        facets: dict[str, Facet] = {}
        facet_names = _Index()
        t = self._table("zoekkenmerken")
        for row in t.rows:
            label = self.text(t, row, "name") or ""
            key = self.own_id(t, row, "facet", label, cur.facets)
            self._place(("facet", key), t, row[0])
            facet_names.add(label, key)
            if key not in facets:
                facets[key] = Facet(key=key, label=label, values={}, rules=[],
                                    single=bool(self.flag(t, row, "single")),
                                    description=self.text(t, row, "description"))
        facet_known = {f.key: f.label for f in facets.values()}
        value_names: dict[str, _Index] = {}
        t = self._table("zoekkenmerk-waarden")
        for row in t.rows:
            facet_key = self.ref(t, row, "facet_id", "facet", "facet", facet_names, facet_known)
            label = self.text(t, row, "name") or ""
            value = self.own_id(t, row, "facet_value", label, cur.facet_values.get(facet_key),
                                known_kind=f"facet_value:{facet_key}")
            if not facet_key:
                continue
            facet = facets[facet_key]
            self._place(("facet_value", facet_key, value), t, row[0])
            if value in facet.values:
                self._error(t, row[0], "id", f"waarde '{value}' komt twee keer voor bij zoekkenmerk '{facet_key}'")
                continue
            facet.values[value] = label
            value_names.setdefault(facet_key, _Index()).add(label, value)
            fields: list[str] = []
            for word in self.items(t, row, "fields"):
                field_name = FIELD_WORDS.get(normalise_name(word))
                if field_name is None:
                    self._error(t, row[0], "fields", f"onbekend veld '{word}' (verwacht: "
                                                     f"{', '.join(FIELD_LABELS.values())})")
                else:
                    fields.append(field_name)
            facet.rules.append(FacetRule(facet=facet_key, value=value, keywords=self.items(t, row, "keywords"),
                                         fields=fields or list(DEFAULT_RULE_FIELDS)))

        t = self._table("interventie-kenmerken")
        for row in t.rows:
            iv_id = self.ref(t, row, "intervention_id", "intervention", "intervention", iv_all_names, iv_known)
            facet_key = self.ref(t, row, "facet_id", "facet", "facet", facet_names, facet_known)
            values_known = facets[facet_key].values if facet_key else {}
            value = self.ref(t, row, "value_id", "value", "facet_value", value_names.get(facet_key, _Index()),
                             values_known) if facet_key else ""
            if iv_id and facet_key and value:
                interventions[iv_id].facets.setdefault(facet_key, []).append(value)
                self._place(("curated_facet", iv_id, facet_key, value), t, row[0])

        organisations: list[Organisation] = []
        t = self._table("organisaties")
        for row in t.rows:
            name = self.text(t, row, "name") or ""
            ident = self.own_id(t, row, "organisation", name, cur.organisations)
            organisations.append(Organisation(ident, name, self.text(t, row, "url"), self.text(t, row, "group")))
            self._place(("organisation", ident), t, row[0])

        practice: list[PracticeExample] = []
        t = self._table("praktijkvoorbeelden")
        for row in t.rows:
            title = self.text(t, row, "title") or ""
            ident = self.own_id(t, row, "practice", title, cur.practice)
            practice.append(PracticeExample(ident, title, self.text(t, row, "for_whom"), self.text(t, row, "summary"),
                                            self.text(t, row, "parties"), self.text(t, row, "contact")))
            self._place(("practice", ident), t, row[0])

        groups: dict[str, QuickscanGroup] = {}
        group_names = _Index()
        t = self._table("quickscan-groepen")
        for row in t.rows:
            name = self.text(t, row, "name") or ""
            ident = self.own_id(t, row, "qs_group", name, cur.groups)
            self._place(("qs_group", ident), t, row[0])
            group_names.add(name, ident)
            groups.setdefault(ident, QuickscanGroup(ident, name, []))
        group_known = {g.id: g.name for g in groups.values()}
        t = self._table("quickscan-vragen")
        for row in t.rows:
            group_id = self.ref(t, row, "group_id", "group", "qs_group", group_names, group_known)
            number = self.integer(t, row, "number")
            if number is None:
                if t.raw(row[1], "number") is None:
                    self._error(t, row[0], "number", "nummer ontbreekt (verplicht)")
                continue
            self._place(("qs_question", str(number)), t, row[0])
            if group_id:
                groups[group_id].questions.append(
                    QuickscanQuestion(number, self.text(t, row, "question"), self.text(t, row, "explanation"))
                )

        source = ModelSource(
            meta=meta, texts=texts, blocks=sorted(blocks.values(), key=lambda b: b.number), interventions=order,
            intervention_types=list(types.values()), effectladder_intro=intro, effectladder=levels,
            facets=list(facets.values()), organisations=organisations, practice_examples=practice,
            quickscan=list(groups.values()),
        )
        return source, self.loc


def _code(value: str) -> str:
    """Type codes as text: Excel may have turned '4' into 4.0 or '1.1' into 1.1."""
    text = value.strip()
    if re.fullmatch(r"\d+\.0", text):
        return text[:-2]
    return text


def _code_or_none(value: str | None) -> str | None:
    return _code(value) if value else None


def read_workbook(path: Path, log: ProblemLog, current: ModelSource | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> tuple[ModelSource, Locator]:
    """Read a container-checked workbook into a ModelSource; problems go to `log`."""
    return WorkbookReader(path, log, current, limits).read()
