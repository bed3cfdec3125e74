"""Readable stable identifiers (slugs) derived from Dutch names."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Saïd' -> 'said'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(name: str) -> str:
    """Turn a name into an id: 'Saïd & Lody' -> 'said-en-lody'."""
    text = fold(name).replace("&", " en ")
    text = re.sub(r"[’'‘`]", "", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text


def is_slug(value: str) -> bool:
    return bool(SLUG_PATTERN.match(value))


def normalise_name(name: str) -> str:
    """Key for matching names across tables: folded, punctuation-free, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())
