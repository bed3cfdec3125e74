"""The model's shape, declared once: every entity with its fields, key, parent, order and Dutch names.

From these declarations come the model database's tables, the published workbook's sheets and
columns (and their documentation), the JSON document, the curated TOML layout, the checks and the
field-by-field comparison shown before an update. A new field is added here, in one place (and to
its dataclass in `entities.py`).

Field kinds: "text" (str), "int", "flag" (yes/no) and "list" (short codes or ids, written in one
cell separated by "; "). An entity is either a list of dataclass objects, a list of plain texts
(`cls is None`: one field), or a mapping of keys to texts (`mapping=True`: meta data and texts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.core.model import entities as e

FORMAT_VERSION = 2  # of the published workbook

KINDS = ("text", "int", "flag", "list")


@dataclass(frozen=True)
class Field:
    name: str  # attribute of the dataclass; column name in the database and key in JSON and TOML
    kind: str  # one of KINDS
    header: str  # the workbook's Dutch column header
    label: str = ""  # Dutch, for messages and the update preview (default: header)
    required: bool = False
    ref: str | None = None  # entity whose key this field holds (a list field: each item)
    ref_header: str | None = None  # an extra workbook column with the referenced entity's name, for reading
    width: int = 24
    help: str = ""
    minimum: int | None = None
    maximum: int | None = None

    @property
    def dutch(self) -> str:
        return self.label or self.header


@dataclass(frozen=True)
class Entity:
    name: str
    label: str  # Dutch, singular
    plural: str  # Dutch, plural
    fields: tuple[Field, ...]
    table: str
    sheet: str
    purpose: str  # one Dutch line: what the sheet holds
    cls: type | None = None  # None: a list of plain texts (one field)
    container: str | None = None  # parent entity; None: the model itself
    attr: str = ""  # attribute of the container holding the list (or dict)
    key: str | None = None  # identifying field
    key_scope: str = "model"  # "model": unique in the model; "parent": unique within the parent
    mapping: bool = False  # a dict of key -> text on the model (meta, texts)
    ordered: bool = True  # does the order mean something to a user (reported when changed)?
    sort_by: str | None = None  # readers sort by this field (e.g. the number of a bouwsteen)
    required_sheet: bool = False
    name_field: str | None = None  # the field that names an object for people
    toml_keyed: bool = False  # in data/: a table keyed by `key` instead of an array

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def is_text_list(self) -> bool:
        return self.cls is None and not self.mapping

    @property
    def parent_column(self) -> str:
        """The database column that holds the parent's key."""
        if self.container is None:
            return ""
        parent = ENTITIES[self.container]
        return f"{parent.name}_{parent.key}"

    def display(self, obj: Any) -> str:
        if self.is_text_list:
            return str(obj)
        if self.name_field is not None:
            return str(getattr(obj, self.name_field) or "")
        return str(getattr(obj, self.key or "", "") or "")


def _f(name: str, header: str, kind: str = "text", **options: Any) -> Field:
    return Field(name=name, kind=kind, header=header, **options)


ID = _f("id", "id", required=True, width=30, help="stabiele id: kleine letters, cijfers en '-'; verandert nooit")
FLAG_HELP = "ja, nee of leeg (onbekend)"
TREDE = _f("trede", "trede", "int", minimum=0, maximum=5, width=7, help="0-5 (effectladder) of leeg")


def _text_list(name: str, label: str, plural: str, container: str, attr: str, header: str, sheet: str,
               purpose: str, field_name: str = "text", help: str = "") -> Entity:
    return Entity(
        name=name, label=label, plural=plural, table=name, sheet=sheet, purpose=purpose, container=container,
        attr=attr, fields=(_f(field_name, header, required=True, width=70, help=help),),
    )


SCHEMA: tuple[Entity, ...] = (
    Entity(
        name="meta", label="metagegeven", plural="metagegevens", table="meta", sheet="metadata",
        purpose="versie, publicatiedatum, uitgever en bron van dit model", mapping=True, attr="meta",
        required_sheet=True, key="key",
        fields=(_f("key", "sleutel", required=True, width=22, help="model_version, published, publisher, source"),
                _f("value", "waarde", required=True, width=90)),
    ),
    Entity(
        name="text", label="tekst", plural="teksten", table="text", sheet="teksten",
        purpose="teksten die de applicatie bij het model toont", mapping=True, attr="texts", key="key",
        fields=(_f("key", "sleutel", required=True, width=24,
                   help="bijv. risk_factor_warning, model_purpose, effectladder_intro"),
                _f("value", "tekst", required=True, width=120)),
    ),
    Entity(
        name="block", label="bouwsteen", plural="bouwstenen", table="block", sheet="bouwstenen",
        purpose="de zes bouwstenen", cls=e.Block, attr="blocks", key="id", sort_by="number", required_sheet=True,
        name_field="name",
        fields=(ID, _f("number", "nummer", "int", required=True, minimum=1, maximum=99, width=9,
                       help="de volgorde (1-6)"),
                _f("name", "naam", required=True, width=28), _f("description", "beschrijving", width=100),
                _f("source", "bron", width=30)),
    ),
    _text_list("risk_factor", "risicofactor", "risicofactoren", "block", "risk_factors", "risicofactor",
               "risicofactoren", "risicofactoren per bouwsteen (context; nooit om mensen te selecteren)"),
    Entity(
        name="theme", label="thema", plural="thema's", table="theme", sheet="themas",
        purpose="thema's binnen een bouwsteen", cls=e.Theme, container="block", attr="themes", key="id",
        required_sheet=True, name_field="name",
        fields=(ID, _f("name", "naam", required=True, width=40)),
    ),
    Entity(
        name="cluster", label="beschermende factor", plural="beschermende factoren", table="cluster",
        sheet="beschermende factoren", purpose="beschermende factoren (clusters) binnen een thema", cls=e.Cluster,
        container="theme", attr="clusters", key="id", required_sheet=True, name_field="name",
        fields=(ID, _f("name", "naam", required=True, width=45), _f("focus", "focus", width=50),
                _f("note", "toelichting", width=40),
                _f("intervention_types", "interventietypen", "list", ref="intervention_type", width=18,
                   help="codes van Bijlage 2, gescheiden door ';', bijv. 1.3; 4; 6")),
    ),
    _text_list("subfactor", "subfactor", "subfactoren", "cluster", "subfactors", "subfactor", "subfactoren",
               "de soortgelijke factoren ('Onder meer: …') per beschermende factor"),
    _text_list("reference", "referentie", "referenties", "cluster", "references", "referentie", "referenties",
               "literatuurverwijzingen per beschermende factor"),
    Entity(
        name="example", label="voorbeeldinterventie", plural="voorbeeldinterventies", table="example",
        sheet="koppelingen", purpose="interventies als voorbeeld bij een beschermende factor (tabellen B3.1-B3.6)",
        cls=e.Example, container="cluster", attr="examples", key="intervention", key_scope="parent",
        required_sheet=True, name_field="intervention",
        fields=(_f("intervention", "interventie-id", required=True, ref="intervention", ref_header="interventie",
                   label="interventie", width=30),
                _f("explicit", "expliciet", "flag", required=True, width=10,
                   help="expliciet gericht op preventie: ja/nee"),
                _f("offered", "aangeboden", "flag", required=True, width=11, help="nu aangeboden: ja/nee"),
                _f("via_municipality", "via gemeenten", "flag", required=True, width=13,
                   help="verzameld via gemeenten: ja/nee"),
                TREDE, _f("trede_source", "bron trede", width=20, help="NJi, Movisie of eigen inschatting")),
    ),
    Entity(
        name="intervention", label="interventie", plural="interventies", table="intervention", sheet="interventies",
        purpose="alle interventies (tabel B3.7)", cls=e.Intervention, attr="interventions", key="id",
        ordered=False, required_sheet=True, name_field="name",
        fields=(ID, _f("name", "naam", required=True, width=36), _f("type_text", "type", width=24),
                _f("offered", "aangeboden", "flag", width=11, help=FLAG_HELP),
                _f("description", "omschrijving", width=80), _f("goal", "doelstelling", width=60),
                _f("explicit", "expliciet", "flag", width=10, help="expliciet gericht op preventie: " + FLAG_HELP),
                _f("target_group", "doelgroep", width=30), _f("provider", "uitvoerder", width=30), TREDE,
                _f("trede_label", "trede-omschrijving", width=20),
                _f("trede_source", "bron trede", width=20, help="NJi, Movisie of eigen inschatting"),
                _f("evaluation", "evaluatie", width=40), _f("source", "bron", width=16)),
    ),
    _text_list("alias", "andere naam", "andere namen", "intervention", "aliases", "alias", "aliassen",
               "andere namen van een interventie"),
    _text_list("link", "link", "links", "intervention", "links", "link", "links",
               "webadressen van een interventie, in volgorde", field_name="url", help="een volledig http(s)-adres"),
    Entity(
        name="facet_judgement", label="zoekkenmerk", plural="zoekkenmerken", table="facet_judgement",
        sheet="interventie-kenmerken",
        purpose="de zoekkenmerken van elke interventie, met hun grond (rapport of redactie) en toelichting",
        cls=e.FacetJudgement, container="intervention", attr="facets", key="facet", key_scope="parent",
        name_field="facet", toml_keyed=True,
        fields=(_f("facet", "kenmerk-id", required=True, ref="facet", label="kenmerk", width=16),
                _f("values", "waarden", "list", width=30,
                   help="waarde-ids gescheiden door ';' (voor type: de codes); leeg = onbekend"),
                _f("basis", "grond", width=10,
                   help="rapport (staat in het rapport) of redactie (oordeel van de redactie)"),
                _f("why", "toelichting", width=80, help="waarop het oordeel berust, met de doorslaggevende woorden")),
    ),
    Entity(
        name="intervention_type", label="interventietype", plural="interventietypen", table="intervention_type",
        sheet="interventietypen", purpose="de algemene interventietypen van Bijlage 2", cls=e.InterventionType,
        attr="intervention_types", key="code", required_sheet=True, name_field="name",
        fields=(_f("code", "code", required=True, width=7, help="1-9, 1.1-1.3"),
                _f("parent", "hoofdtype", ref="intervention_type", width=10, help="code van het hoofdtype"),
                _f("name", "naam", required=True, width=40), _f("description", "beschrijving", width=80),
                _f("target_groups", "doelgroepen", width=60), _f("factors", "factoren", width=60)),
    ),
    _text_list("working_element", "werkzaam element", "werkzame elementen", "intervention_type",
               "working_elements", "werkzaam element", "werkzame elementen", "werkzame elementen per interventietype"),
    _text_list("precondition", "randvoorwaarde", "randvoorwaarden", "intervention_type", "preconditions",
               "randvoorwaarde", "randvoorwaarden", "randvoorwaarden per interventietype"),
    _text_list("type_source", "bron", "bronnen", "intervention_type", "sources", "bron", "interventietype-bronnen",
               "bronnen per interventietype"),
    Entity(
        name="type_example", label="voorbeeld", plural="voorbeelden", table="type_example",
        sheet="interventietype-voorbeelden", purpose="voorbeelden per interventietype",
        cls=e.TypeExample, container="intervention_type", attr="examples", name_field="name",
        fields=(_f("name", "voorbeeld", required=True, width=36),
                _f("intervention", "interventie-id", ref="intervention", ref_header="interventie", width=30,
                   label="interventie", help="leeg als het voorbeeld geen interventie in tabel B3.7 is")),
    ),
    Entity(
        name="example_description", label="beschrijving van een voorbeeld", plural="beschrijvingen van voorbeelden",
        table="example_description", sheet="interventietype-beschrijvingen",
        purpose="de beschrijvingen van voorbeelden in Bijlage 2", cls=e.ExampleDescription,
        container="intervention_type", attr="example_descriptions", name_field="name",
        fields=(_f("name", "kop", required=True, width=36), _f("text", "tekst", required=True, width=100)),
    ),
    Entity(
        name="effect_level", label="trede", plural="treden", table="effect_level", sheet="effectladder",
        purpose="de treden van de effectladder (Bijlage 1)", cls=e.EffectLevel, attr="effectladder", key="trede",
        sort_by="trede", required_sheet=True, name_field="name",
        fields=(_f("trede", "trede", "int", required=True, minimum=0, maximum=5, width=7, help="0-5"),
                _f("name", "naam", width=30), _f("explanation", "uitleg", width=100)),
    ),
    Entity(
        name="facet", label="zoekkenmerk", plural="zoekkenmerken", table="facet", sheet="zoekkenmerken",
        purpose="de zoekkenmerken (filters) met hun uitleg", cls=e.Facet, attr="facets", key="key", name_field="label",
        fields=(_f("key", "id", required=True, width=16), _f("label", "naam", required=True, width=28),
                _f("description", "uitleg", width=80),
                _f("single", "één waarde", "flag", width=11, help="ja: een interventie heeft ten hoogste één waarde")),
    ),
    Entity(
        name="facet_value", label="waarde", plural="waarden", table="facet_value", sheet="zoekkenmerk-waarden",
        purpose="de waarden van elk zoekkenmerk met hun betekenis", cls=e.FacetValue, container="facet",
        attr="values", key="value", key_scope="parent", name_field="label",
        fields=(_f("value", "waarde-id", required=True, width=18), _f("label", "naam", required=True, width=30),
                _f("description", "betekenis", width=80)),
    ),
    Entity(
        name="organisation", label="organisatie", plural="organisaties", table="organisation", sheet="organisaties",
        purpose="organisaties met kennis en ondersteuning", cls=e.Organisation, attr="organisations", key="id",
        name_field="name",
        fields=(ID, _f("name", "naam", required=True, width=40), _f("url", "website", width=50),
                _f("group", "groep", width=30),
                _f("blocks", "bouwstenen", "list", ref="block", width=20, help="bouwsteen-ids, gescheiden door ';'"),
                _f("clusters", "beschermende factoren", "list", ref="cluster", width=30,
                   help="factor-ids, gescheiden door ';'")),
    ),
    Entity(
        name="practice_example", label="praktijkvoorbeeld", plural="praktijkvoorbeelden", table="practice_example",
        sheet="praktijkvoorbeelden", purpose="voorbeelden uit de praktijk", cls=e.PracticeExample,
        attr="practice_examples", key="id", name_field="title",
        fields=(ID, _f("title", "titel", required=True, width=40), _f("for_whom", "voor wie", width=30),
                _f("summary", "samenvatting", width=80), _f("parties", "partijen", width=40),
                _f("contact", "contact", width=30),
                _f("blocks", "bouwstenen", "list", ref="block", width=20, help="bouwsteen-ids, gescheiden door ';'"),
                _f("clusters", "beschermende factoren", "list", ref="cluster", width=30,
                   help="factor-ids, gescheiden door ';'")),
    ),
    Entity(
        name="quickscan_group", label="quickscangroep", plural="quickscangroepen", table="quickscan_group",
        sheet="quickscan-groepen", purpose="groepen vragen van de Quickscan lokale aanpak", cls=e.QuickscanGroup,
        attr="quickscan", key="id", name_field="name",
        fields=(ID, _f("name", "naam", required=True, width=40)),
    ),
    Entity(
        name="quickscan_question", label="quickscanvraag", plural="quickscanvragen", table="quickscan_question",
        sheet="quickscan-vragen", purpose="vragen van de quickscan met hun uitleg", cls=e.QuickscanQuestion,
        container="quickscan_group", attr="questions", key="number", name_field="number",
        fields=(_f("number", "nummer", "int", required=True, minimum=1, maximum=999, width=9),
                _f("question", "vraag", width=60), _f("explanation", "uitleg", width=100)),
    ),
    Entity(
        name="background_source", label="brondocument", plural="brondocumenten", table="background_source",
        sheet="achtergrond-bronnen", purpose="de documenten waar de achtergrondteksten uit komen",
        cls=e.BackgroundSource, attr="background_sources", key="id", name_field="title",
        fields=(ID, _f("title", "titel", required=True, width=50), _f("subtitle", "ondertitel", width=40),
                _f("title_supplied", "titel van de redactie", "flag", width=12,
                   help="ja: het document heeft geen titel; deze is door de redactie gegeven"),
                _f("author", "auteur", width=24), _f("publisher", "uitgever", width=30),
                _f("year", "jaar", width=8), _f("seed", "bestand", width=30)),
    ),
    Entity(
        name="background_topic", label="achtergrondtekst", plural="achtergrondteksten", table="background_topic",
        sheet="achtergrond", purpose="achtergrondteksten: veerkracht, tips, risicofactoren, aanbevelingen",
        cls=e.BackgroundTopic, attr="background", key="id", name_field="title",
        fields=(ID, _f("title", "titel", required=True, width=40),
                _f("source", "bron-id", ref="background_source", width=20),
                _f("group", "groep", width=24), _f("text", "tekst", width=100), _f("note", "noot", width=40),
                _f("where", "vindplaats", width=16),
                _f("risk_factors", "risicofactoren", "flag", width=12,
                   help="ja: de tekst noemt risico- of triggerfactoren (getoond met de waarschuwing)"),
                _f("blocks", "bouwstenen", "list", ref="block", width=20),
                _f("clusters", "beschermende factoren", "list", ref="cluster", width=30),
                _f("interventions", "interventies", "list", ref="intervention", width=30)),
    ),
    _text_list("background_item", "punt", "punten", "background_topic", "items", "punt", "achtergrond-punten",
               "opsommingen (tips, indicatoren, waarden) bij een achtergrondtekst"),
)

ENTITIES: dict[str, Entity] = {entity.name: entity for entity in SCHEMA}


@dataclass(frozen=True)
class Header:
    """How the workbook names the parent column of each child entity."""

    key: str
    name: str


PARENT_HEADERS: dict[str, Header] = {
    "block": Header("bouwsteen-id", "bouwsteen"),
    "theme": Header("thema-id", "thema"),
    "cluster": Header("factor-id", "beschermende factor"),
    "intervention": Header("interventie-id", "interventie"),
    "intervention_type": Header("type", "interventietype"),
    "facet": Header("kenmerk-id", "kenmerk"),
    "quickscan_group": Header("groep-id", "groep"),
    "background_topic": Header("tekst-id", "achtergrondtekst"),
}

# The search index's columns (SEARCH_COLUMNS), the file's version numbers and the type facet's name are in
# desktop.core.model.model_file: opening and searching a model file needs them without this module.
REQUIRED_META = ("model_version", "published", "publisher", "source")
META_LABELS = {
    "model_version": "versie van het model",
    "published": "publicatiedatum (JJJJ-MM-DD)",
    "publisher": "uitgever",
    "source": "bron (het rapport waarop het model berust)",
}


def children(name: str | None) -> list[Entity]:
    """Entities held by `name` (None: by the model), in schema order."""
    return [entity for entity in SCHEMA if entity.container == name]


def lineage(entity: Entity) -> list[Entity]:
    """The entity and its ancestors, innermost first."""
    found = [entity]
    while found[-1].container is not None:
        found.append(ENTITIES[found[-1].container])
    return found

