"""Keyword rules that *propose* search-facet values for a new intervention (a helper for editors).

What users see comes from the curated judgements in `data/interventions/*.toml`; these rules
(`data/facet_rules.toml`) only suggest a first reading for an intervention that has none yet:
`bouwstenen check-data --voorstel`. A keyword matches a whole word (`kind*` any word starting with
`kind`), accents and case ignored; a facet marked `single` takes the first matching value.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.core.model.entities import Intervention
from desktop.core.text import fold

RULES_FILE = "facet_rules.toml"
DEFAULT_FIELDS = ("name", "type_text", "description", "goal", "target_group")


@dataclass(frozen=True)
class Rule:
    facet: str
    value: str
    keywords: tuple[str, ...]
    fields: tuple[str, ...]
    single: bool


def load_rules(root: Path) -> list[Rule]:
    path = root / RULES_FILE
    if not path.exists():
        return []
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = []
    for facet in data.get("facets", []):
        for value in facet.get("values", []):
            rules.append(Rule(facet["key"], value["value"], tuple(value.get("keywords", [])),
                              tuple(value.get("fields", DEFAULT_FIELDS)), bool(facet.get("single"))))
    return rules


@lru_cache(maxsize=1024)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    parts = []
    for keyword in keywords:
        folded = fold(keyword.strip())
        parts.append(re.escape(folded[:-1]) if folded.endswith("*") else re.escape(folded) + r"(?![a-z0-9])")
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(parts)})")


def propose(intervention: Intervention, rules: list[Rule]) -> dict[str, list[str]]:
    """Facet values the keyword rules suggest for one intervention (facet -> values)."""
    found: dict[str, list[str]] = {}
    for rule in rules:
        if rule.single and found.get(rule.facet):
            continue
        pattern = _pattern(rule.keywords)
        if pattern is None:
            continue
        texts = (fold(getattr(intervention, name, None) or "") for name in rule.fields)
        if any(pattern.search(text) for text in texts):
            found.setdefault(rule.facet, []).append(rule.value)
    return found
