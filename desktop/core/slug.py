"""Readable stable identifiers (slugs) derived from Dutch names."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# the combining-mark blocks of Unicode (accents that NFKD splits off)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Saïd' -> 'said'."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = _COMBINING.sub("", decomposed)
    return decomposed.casefold()


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
