"""Where search terms occur in a text, accent- and case-insensitive (for highlighting results)."""

from __future__ import annotations

import re
import unicodedata


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans (start, end) in `text` of words that start with one of the folded `terms`."""
    if not terms or not text:
        return []
    # fold character by character so positions map back onto the original text
    folded_chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold_char(char) or char:
            folded_chars.append(folded)
            origin.append(index)
    folded = "".join(folded_chars)
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(term)}", folded):
            start, end = origin[m.start()], origin[m.end() - 1] + 1
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
