"""The in-memory model: the one representation of a bouwstenenmodel.

Every format (the curated TOML in `data/`, the model database, the published workbook, JSON) is a
codec that reads into or writes from a `Model`. The shape of each entity (fields, keys, Dutch names,
order) is declared once in `desktop.core.model.schema`; these dataclasses are what the codecs fill.
An absent value is `None` (unknown), never an invented default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CODES = ("1", "1.1", "1.2", "1.3", "2", "3", "4", "5", "6", "7", "8", "9")
BASES = ("rapport", "redactie")  # where a facet value comes from: stated by the report, or a judgement


@dataclass
class Example:
    """An intervention named as an example at a beschermende factor (tables B3.1-B3.6)."""

    intervention: str
    explicit: bool | None = None
    offered: bool | None = None
    via_municipality: bool | None = None
    trede: int | None = None
    trede_source: str | None = None


@dataclass
class Cluster:
    """A beschermende factor: one leading factor with similar sub-factors and references."""

    id: str
    name: str
    focus: str | None = None
    note: str | None = None
    intervention_types: list[str] = field(default_factory=list)
    subfactors: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)


@dataclass
class Theme:
    id: str
    name: str
    clusters: list[Cluster] = field(default_factory=list)


@dataclass
class Block:
    """A bouwsteen."""

    id: str
    number: int
    name: str
    description: str | None = None
    source: str | None = None
    risk_factors: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)


@dataclass
class FacetJudgement:
    """The curated values of one search facet for one intervention, with where they come from."""

    facet: str
    values: list[str] = field(default_factory=list)  # empty: unknown
    basis: str | None = None  # "rapport" | "redactie"
    why: str | None = None  # a one-line rationale quoting the deciding words


@dataclass
class Intervention:
    """One row of table B3.7."""

    id: str
    name: str
    type_text: str | None = None
    offered: bool | None = None
    description: str | None = None
    goal: str | None = None
    explicit: bool | None = None
    target_group: str | None = None
    provider: str | None = None
    trede: int | None = None
    trede_label: str | None = None
    trede_source: str | None = None
    evaluation: str | None = None
    source: str | None = None
    aliases: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    facets: list[FacetJudgement] = field(default_factory=list)

    def facet(self, key: str) -> FacetJudgement | None:
        return next((f for f in self.facets if f.facet == key), None)

    def facet_values(self, key: str) -> list[str]:
        found = self.facet(key)
        return list(found.values) if found else []


@dataclass
class TypeExample:
    name: str
    intervention: str | None = None


@dataclass
class ExampleDescription:
    """Bijlage 2's description of one or more of a type's examples (its own heading and text)."""

    name: str
    text: str | None = None


@dataclass
class InterventionType:
    """A general intervention type of Bijlage 2."""

    code: str
    name: str
    parent: str | None = None
    description: str | None = None
    target_groups: str | None = None
    factors: str | None = None
    working_elements: list[str] = field(default_factory=list)
    preconditions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    examples: list[TypeExample] = field(default_factory=list)
    example_descriptions: list[ExampleDescription] = field(default_factory=list)


@dataclass
class EffectLevel:
    trede: int
    name: str | None = None
    explanation: str | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    description: str | None = None


@dataclass
class Facet:
    key: str
    label: str
    description: str | None = None
    single: bool | None = None
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class Organisation:
    id: str
    name: str
    url: str | None = None
    group: str | None = None
    blocks: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)


@dataclass
class PracticeExample:
    id: str
    title: str
    for_whom: str | None = None
    summary: str | None = None
    parties: str | None = None
    contact: str | None = None
    blocks: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)


@dataclass
class QuickscanQuestion:
    number: int
    question: str | None = None  # the seed gives explanations only: never invented
    explanation: str | None = None


@dataclass
class QuickscanGroup:
    id: str
    name: str
    questions: list[QuickscanQuestion] = field(default_factory=list)


@dataclass
class BackgroundSource:
    id: str
    title: str
    subtitle: str | None = None
    title_supplied: bool | None = None  # the document shows no title: this one is the editors'
    author: str | None = None
    publisher: str | None = None
    year: str | None = None
    seed: str | None = None


@dataclass
class BackgroundTopic:
    id: str
    title: str
    source: str | None = None
    group: str | None = None
    text: str | None = None
    note: str | None = None
    where: str | None = None
    risk_factors: bool | None = None  # lists risk or trigger factors: shown with the warning
    items: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    interventions: list[str] = field(default_factory=list)


@dataclass
class Model:
    meta: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    intervention_types: list[InterventionType] = field(default_factory=list)
    effectladder: list[EffectLevel] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    practice_examples: list[PracticeExample] = field(default_factory=list)
    quickscan: list[QuickscanGroup] = field(default_factory=list)
    background_sources: list[BackgroundSource] = field(default_factory=list)
    background: list[BackgroundTopic] = field(default_factory=list)

    # --- walking the tree ---------------------------------------------------------------------
    def themes(self) -> list[Theme]:
        return [t for b in self.blocks for t in b.themes]

    def clusters(self) -> list[Cluster]:
        return [c for t in self.themes() for c in t.clusters]

    def counts(self) -> dict[str, int]:
        """The numbers the application and the preview show (one definition for all of them)."""
        clusters = self.clusters()
        return {
            "blocks": len(self.blocks), "themes": len(self.themes()), "clusters": len(clusters),
            "interventions": len(self.interventions), "example_links": sum(len(c.examples) for c in clusters),
            "intervention_types": len(self.intervention_types),
        }
