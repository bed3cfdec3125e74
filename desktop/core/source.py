"""Read and validate the curated model source in `data/` (TOML, see docs/data-format.md).

The loader is strict: every problem is collected with the file and the place in it, so an editor
sees all mistakes at once. Nothing here touches a database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from desktop.core.slug import is_slug

TYPE_CODES = ("1", "1.1", "1.2", "1.3", "2", "3", "4", "5", "6", "7", "8", "9")


@dataclass
class Example:
    intervention: str
    explicit: bool
    offered: bool
    via_municipality: bool
    trede: int | None = None
    trede_source: str | None = None


@dataclass
class Cluster:
    id: str
    name: str
    focus: str | None
    subfactors: list[str]
    references: list[str]
    intervention_types: list[str]
    examples: list[Example]
    note: str | None = None


@dataclass
class Theme:
    id: str
    name: str
    clusters: list[Cluster]


@dataclass
class Block:
    id: str
    number: int
    name: str
    description: str
    risk_factors: list[str]
    themes: list[Theme]
    source: str | None = None


@dataclass
class Intervention:
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
    links: list[str]
    source: str | None
    facets: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TypeExample:
    name: str
    intervention: str | None


@dataclass
class InterventionType:
    code: str
    name: str
    parent: str | None
    description: str | None
    target_groups: str | None
    factors: str | None
    working_elements: list[str]
    preconditions: list[str]
    sources: list[str]
    examples: list[TypeExample]


@dataclass
class EffectLevel:
    trede: int
    name: str
    explanation: str


@dataclass
class FacetRule:
    facet: str
    value: str
    keywords: list[str]
    fields: list[str]


@dataclass
class Facet:
    key: str
    label: str
    values: dict[str, str]  # value -> Dutch label
    rules: list[FacetRule]
    single: bool = False
    description: str | None = None


@dataclass
class Organisation:
    id: str
    name: str
    url: str | None
    group: str | None


@dataclass
class PracticeExample:
    id: str
    title: str
    for_whom: str | None
    summary: str | None
    parties: str | None
    contact: str | None


@dataclass
class QuickscanQuestion:
    number: int
    question: str | None
    explanation: str | None


@dataclass
class QuickscanGroup:
    id: str
    name: str
    questions: list[QuickscanQuestion]


@dataclass
class ModelSource:
    meta: dict[str, str]
    texts: dict[str, str]
    blocks: list[Block]
    interventions: list[Intervention]
    intervention_types: list[InterventionType]
    effectladder_intro: str | None
    effectladder: list[EffectLevel]
    facets: list[Facet]
    organisations: list[Organisation]
    practice_examples: list[PracticeExample]
    quickscan: list[QuickscanGroup]


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


class SourceError(Exception):
    """The curated source has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … en nog {len(problems) - 50}" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} probleem/problemen in de brongegevens:\n{lines}{more}")


def is_web_url(value: str) -> bool:
    """A syntactically valid http(s) URL with a host and no spaces."""
    if any(c.isspace() for c in value):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and "." in parsed.netloc


class _Reader:
    """Typed access to one TOML table that records problems instead of raising."""

    def __init__(self, problems: list[Problem], file: str, where: str, table: Any) -> None:
        self.problems = problems
        self.file = file
        self.where = where
        self.table: dict[str, Any] = table if isinstance(table, dict) else {}
        if not isinstance(table, dict):
            self.fail("verwacht een tabel")

    def fail(self, message: str, where: str | None = None) -> None:
        self.problems.append(Problem(self.file, where or self.where, message))

    def child(self, value: Any, where: str) -> _Reader:
        return _Reader(self.problems, self.file, where, value)

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(f"veld '{key}' ontbreekt")
            return None
        if not isinstance(value, str):
            self.fail(f"veld '{key}' moet tekst zijn")
            return None
        value = value.strip()
        if not value:
            self.fail(f"veld '{key}' is leeg (laat een onbekend veld weg)")
            return None
        return value

    def req_text(self, key: str) -> str:
        return self.text(key, required=True) or ""

    def ident(self, key: str = "id") -> str:
        value = self.req_text(key)
        if value and not is_slug(value):
            self.fail(f"'{value}' is geen geldige id (kleine letters, cijfers en '-')")
        return value

    def flag(self, key: str, required: bool = False) -> bool | None:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(f"veld '{key}' ontbreekt")
            return None
        if not isinstance(value, bool):
            self.fail(f"veld '{key}' moet true of false zijn")
            return None
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(f"veld '{key}' ontbreekt")
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"veld '{key}' moet een geheel getal zijn")
            return None
        return value

    def texts(self, key: str) -> list[str]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"veld '{key}' moet een lijst met (niet-lege) teksten zijn")
            return []
        return [v.strip() for v in value]

    def tables(self, key: str) -> list[Any]:
        value = self.table.get(key, [])
        if not isinstance(value, list):
            self.fail(f"veld '{key}' moet een lijst met tabellen zijn")
            return []
        return value

    def trede(self, key: str = "trede") -> int | None:
        value = self.integer(key)
        if value is not None and not 0 <= value <= 5:
            self.fail(f"trede {value} ligt niet tussen 0 en 5")
            return None
        return value


def _load_toml(path: Path, root: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(str(path.relative_to(root)), "bestand", f"geen geldige TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(str(path), "bestand", f"niet te lezen: {exc.strerror}"))
    return {}


def _read_example(r: _Reader) -> Example:
    return Example(
        intervention=r.ident("intervention"),
        explicit=bool(r.flag("explicit", required=True)),
        offered=bool(r.flag("offered", required=True)),
        via_municipality=bool(r.flag("via_municipality", required=True)),
        trede=r.trede(),
        trede_source=r.text("trede_source"),
    )


def _read_block(r: _Reader) -> Block:
    themes = []
    for t_index, theme_table in enumerate(r.tables("themes"), start=1):
        tr = r.child(theme_table, f"thema {t_index}")
        clusters = []
        for c_index, cluster_table in enumerate(tr.tables("clusters"), start=1):
            cr = tr.child(cluster_table, f"thema {t_index}, cluster {c_index}")
            codes = cr.texts("intervention_types")
            for code in codes:
                if code not in TYPE_CODES:
                    cr.fail(f"onbekend interventietype '{code}' (verwacht: {', '.join(TYPE_CODES)})")
            examples = [
                _read_example(cr.child(ex, f"{cr.where}, voorbeeld {e_index}"))
                for e_index, ex in enumerate(cr.tables("examples"), start=1)
            ]
            clusters.append(
                Cluster(
                    id=cr.ident(),
                    name=cr.req_text("name"),
                    focus=cr.text("focus"),
                    subfactors=cr.texts("subfactors"),
                    references=cr.texts("references"),
                    intervention_types=codes,
                    examples=examples,
                    note=cr.text("note"),
                )
            )
        themes.append(Theme(id=tr.ident(), name=tr.req_text("name"), clusters=clusters))
    return Block(
        id=r.ident(),
        number=r.integer("number", required=True) or 0,
        name=r.req_text("name"),
        description=r.req_text("description"),
        risk_factors=r.texts("risk_factors"),
        themes=themes,
        source=r.text("source"),
    )


def _read_intervention(r: _Reader) -> Intervention:
    links = r.texts("links")
    for link in links:
        if not is_web_url(link):
            r.fail(f"'{link}' is geen geldig http(s)-webadres")
    facets: dict[str, list[str]] = {}
    raw_facets = r.table.get("facets", {})
    if isinstance(raw_facets, dict):
        fr = r.child(raw_facets, f"{r.where}, facets")
        facets = {key: fr.texts(key) for key in raw_facets}
    else:
        r.fail("veld 'facets' moet een tabel zijn")
    return Intervention(
        id=r.ident(),
        name=r.req_text("name"),
        aliases=r.texts("aliases"),
        type_text=r.text("type_text"),
        offered=r.flag("offered"),
        description=r.text("description"),
        goal=r.text("goal"),
        explicit=r.flag("explicit"),
        target_group=r.text("target_group"),
        provider=r.text("provider"),
        trede=r.trede(),
        trede_label=r.text("trede_label"),
        trede_source=r.text("trede_source"),
        evaluation=r.text("evaluation"),
        links=links,
        source=r.text("source"),
        facets=facets,
    )


def _read_type(r: _Reader) -> InterventionType:
    code = r.req_text("code")
    if code and code not in TYPE_CODES:
        r.fail(f"onbekende code '{code}'")
    examples = []
    for index, ex in enumerate(r.tables("examples"), start=1):
        er = r.child(ex, f"{r.where}, voorbeeld {index}")
        intervention = er.text("intervention")
        if intervention is not None and not is_slug(intervention):
            er.fail(f"'{intervention}' is geen geldige id")
        examples.append(TypeExample(name=er.req_text("name"), intervention=intervention))
    return InterventionType(
        code=code,
        name=r.req_text("name"),
        parent=r.text("parent"),
        description=r.text("description"),
        target_groups=r.text("target_groups"),
        factors=r.text("factors"),
        working_elements=r.texts("working_elements"),
        preconditions=r.texts("preconditions"),
        sources=r.texts("sources"),
        examples=examples,
    )


def _read_facets(r: _Reader) -> list[Facet]:
    facets = []
    for index, table in enumerate(r.tables("facets"), start=1):
        fr = r.child(table, f"facet {index}")
        key = fr.ident("key")
        values: dict[str, str] = {}
        rules: list[FacetRule] = []
        for v_index, vt in enumerate(fr.tables("values"), start=1):
            vr = fr.child(vt, f"facet {key}, waarde {v_index}")
            value = vr.ident("value")
            values[value] = vr.req_text("label")
            fields = vr.texts("fields") or ["name", "type_text", "description", "goal", "target_group"]
            rules.append(FacetRule(facet=key, value=value, keywords=vr.texts("keywords"), fields=fields))
        facets.append(
            Facet(
                key=key, label=fr.req_text("label"), values=values, rules=rules,
                single=bool(fr.flag("single")), description=fr.text("description"),
            )
        )
    return facets


def load_source(root: Path) -> ModelSource:
    """Load every file in `root` (the `data/` folder); raise SourceError listing all problems."""
    problems: list[Problem] = []

    def reader(name: str, where: str = "bestand") -> _Reader:
        path = root / name
        if not path.exists():
            problems.append(Problem(name, "bestand", "ontbreekt"))
            return _Reader(problems, name, where, {})
        return _Reader(problems, name, where, _load_toml(path, root, problems))

    model = reader("model.toml")
    meta_r = model.child(model.table.get("meta", {}), "[meta]")
    meta = {k: meta_r.req_text(k) for k in ("model_version", "published", "publisher", "source")}
    texts_table = model.table.get("texts", {})
    texts = {k: str(v).strip() for k, v in texts_table.items()} if isinstance(texts_table, dict) else {}

    blocks = []
    for path in sorted((root / "blocks").glob("*.toml")):
        name = str(path.relative_to(root))
        blocks.append(_read_block(_Reader(problems, name, "bouwsteen", _load_toml(path, root, problems))))

    interventions = []
    for path in sorted((root / "interventions").glob("*.toml")):
        name = str(path.relative_to(root))
        r = _Reader(problems, name, "bestand", _load_toml(path, root, problems))
        for index, table in enumerate(r.tables("interventions"), start=1):
            label = table.get("id", index) if isinstance(table, dict) else index
            interventions.append(_read_intervention(r.child(table, f"interventie {label}")))

    types_r = reader("intervention_types.toml")
    types = [
        _read_type(types_r.child(t, f"type {t.get('code', i) if isinstance(t, dict) else i}"))
        for i, t in enumerate(types_r.tables("types"), start=1)
    ]

    ladder_r = reader("effectladder.toml")
    levels = []
    for index, table in enumerate(ladder_r.tables("levels"), start=1):
        lr = ladder_r.child(table, f"trede-regel {index}")
        levels.append(
            EffectLevel(
                trede=lr.trede() or 0,
                name=lr.req_text("name"),
                explanation=lr.req_text("explanation"),
            )
        )

    facets = _read_facets(reader("facet_rules.toml"))

    organisations: list[Organisation] = []
    if (root / "organisations.toml").exists():
        org_r = reader("organisations.toml")
        for index, table in enumerate(org_r.tables("organisations"), start=1):
            r = org_r.child(table, f"organisatie {index}")
            url = r.text("url")
            if url is not None and not is_web_url(url):
                r.fail(f"'{url}' is geen geldig http(s)-webadres")
            organisations.append(Organisation(r.ident(), r.req_text("name"), url, r.text("group")))

    practice: list[PracticeExample] = []
    if (root / "practice_examples.toml").exists():
        pr_r = reader("practice_examples.toml")
        for index, table in enumerate(pr_r.tables("examples"), start=1):
            r = pr_r.child(table, f"praktijkvoorbeeld {index}")
            practice.append(
                PracticeExample(
                    r.ident(), r.req_text("title"), r.text("for_whom"), r.text("summary"),
                    r.text("parties"), r.text("contact"),
                )
            )

    quickscan: list[QuickscanGroup] = []
    if (root / "quickscan.toml").exists():
        qs_r = reader("quickscan.toml")
        for index, table in enumerate(qs_r.tables("groups"), start=1):
            gr = qs_r.child(table, f"groep {index}")
            questions = []
            for q_index, qt in enumerate(gr.tables("questions"), start=1):
                qr = gr.child(qt, f"groep {index}, vraag {q_index}")
                questions.append(
                    QuickscanQuestion(
                        qr.integer("number", required=True) or 0,
                        qr.text("question"),
                        qr.text("explanation"),
                    )
                )
            quickscan.append(QuickscanGroup(gr.ident(), gr.req_text("name"), questions))

    source = ModelSource(
        meta=meta,
        texts=texts,
        blocks=sorted(blocks, key=lambda b: b.number),
        interventions=interventions,
        intervention_types=types,
        effectladder_intro=ladder_r.text("intro"),
        effectladder=levels,
        facets=facets,
        organisations=organisations,
        practice_examples=practice,
        quickscan=quickscan,
    )
    problems.extend(cross_check(source))
    if problems:
        raise SourceError(problems)
    return source


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    dupes: set[str] = set()
    for value in ids:
        (dupes if value in seen else seen).add(value)
    return dupes


def cross_check(source: ModelSource) -> list[Problem]:
    """Checks across files: unique ids, every reference resolves."""
    problems: list[Problem] = []
    intervention_ids = {i.id for i in source.interventions}
    for dupe in sorted(_duplicates([i.id for i in source.interventions])):
        problems.append(Problem("interventions/", dupe, "id komt meer dan eens voor"))
    themes = [t for b in source.blocks for t in b.themes]
    clusters = [c for t in themes for c in t.clusters]
    for kind, ids in (
        ("bouwsteen", [b.id for b in source.blocks]),
        ("thema", [t.id for t in themes]),
        ("cluster", [c.id for c in clusters]),
        ("interventietype", [t.code for t in source.intervention_types]),
    ):
        for dupe in sorted(_duplicates(ids)):
            problems.append(Problem("blocks/", dupe, f"{kind}-id komt meer dan eens voor"))
    for block in source.blocks:
        file = f"blocks/{block.number}-{block.id}.toml"
        for theme in block.themes:
            for cluster in theme.clusters:
                for example in cluster.examples:
                    if example.intervention not in intervention_ids:
                        problems.append(
                            Problem(
                                file, cluster.id, f"voorbeeld '{example.intervention}' bestaat niet in interventions/"
                            )
                        )
    for itype in source.intervention_types:
        for ex in itype.examples:
            if ex.intervention is not None and ex.intervention not in intervention_ids:
                problems.append(
                    Problem("intervention_types.toml", itype.code, f"voorbeeld '{ex.intervention}' bestaat niet")
                )
    return problems


def check_file(path: Path) -> list[Problem]:
    """Validate one source file on its own (no cross-file checks); used while curating."""
    problems: list[Problem] = []
    name = str(path)
    data = _load_toml(path, path.parent, problems)
    r = _Reader(problems, name, "bestand", data)
    if path.parent.name == "blocks":
        _read_block(r)
    elif path.parent.name == "interventions":
        for index, table in enumerate(r.tables("interventions"), start=1):
            label = table.get("id", index) if isinstance(table, dict) else index
            _read_intervention(r.child(table, f"interventie {label}"))
    elif path.name == "intervention_types.toml":
        for index, table in enumerate(r.tables("types"), start=1):
            _read_type(r.child(table, f"type {index}"))
    elif path.name == "facet_rules.toml":
        _read_facets(r)
    return problems


if __name__ == "__main__":  # python -m desktop.core.source FILE...
    import sys

    found = [p for arg in sys.argv[1:] for p in check_file(Path(arg))]
    for problem in found:
        print(problem)
    print(f"{len(found)} problemen")
    sys.exit(1 if found else 0)
