"""Derive the search facets end users asked for (report 4.2 and 5.2) from an intervention's text.

The rules live in `data/facet_rules.toml`: for each facet value a list of keywords and the fields
they are looked for in. A keyword matches a whole word (`kind*` any word starting with `kind`),
accents and case ignored. A facet
marked `single` takes only the first matching value (e.g. persoonsgericht before collectief is not
wanted, so those are separate values of a multi-valued facet). No match means unknown: nothing is
stored. Curated facets in the intervention's own record replace the derived ones for that facet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.slug import fold
from desktop.core.source import Facet, Intervention

# facet key for the intervention types (Bijlage 2); filled by the builder, not by keyword rules
TYPE_FACET = "type"


@dataclass(frozen=True)
class FacetValue:
    facet: str
    value: str
    derived: bool


def _keyword_regex(keyword: str) -> str:
    """'kind*' matches words starting with 'kind'; 'werk' matches only the whole word 'werk'."""
    folded = fold(keyword.strip())
    if folded.endswith("*"):
        return re.escape(folded[:-1])
    return re.escape(folded) + r"(?![a-z0-9])"


def _pattern(keywords: list[str]) -> re.Pattern[str] | None:
    return _compiled(tuple(keywords))


@lru_cache(maxsize=1024)
def _compiled(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern per rule, shared by every intervention of a build."""
    if not keywords:
        return None
    alternatives = "|".join(_keyword_regex(k) for k in keywords)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})")


def _field_text(intervention: Intervention, field_name: str) -> str:
    value = getattr(intervention, field_name, None)
    return fold(value) if isinstance(value, str) else ""


def derive_facets(intervention: Intervention, facets: list[Facet]) -> list[FacetValue]:
    """Facet values for one intervention: curated ones as given, others derived by the rules."""
    result: list[FacetValue] = []
    texts: dict[str, str] = {}  # each field folded once per intervention

    def text_of(field_name: str) -> str:
        if field_name not in texts:
            texts[field_name] = _field_text(intervention, field_name)
        return texts[field_name]

    for facet in facets:
        curated = intervention.facets.get(facet.key)
        if curated is not None:
            result.extend(FacetValue(facet.key, v, derived=False) for v in curated)
            continue
        for rule in facet.rules:
            pattern = _pattern(rule.keywords)
            if pattern is None:
                continue
            if any(pattern.search(text_of(f)) for f in rule.fields):
                result.append(FacetValue(facet.key, rule.value, derived=True))
                if facet.single:
                    break
    return result
