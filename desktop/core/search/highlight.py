"""Where search terms occur in a text, accent- and case-insensitive (for highlighting results)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=256)
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(term)}")


class _FoldTable(dict[int, str]):
    """code point -> its folded form (never empty), filled on first use: `str.translate` folds a text in C."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_char(char) or char
        self[code] = folded
        return folded


_FOLDED = _FoldTable()


def _fold_text(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, per folded character, the index of the character it came from (None: the
    same index, when every character folds into exactly one, as in almost every Dutch text)."""
    if text.isascii():
        return text.lower(), None
    folded = text.translate(_FOLDED)
    if len(folded) == len(text):  # each character folds into at least one: here into exactly one
        return folded, None
    origin: list[int] = []
    for index, char in enumerate(text):
        origin.extend([index] * len(_FOLDED[ord(char)]))
    return folded, origin


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans (start, end) in `text` of words that start with one of the folded `terms`."""
    if not terms or not text:
        return []
    # fold character by character so positions map back onto the original text
    folded, origin = _fold_text(text)
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        if term not in folded:
            continue
        for m in _term_pattern(term).finditer(folded):
            if origin is None:
                spans.append((m.start(), m.end()))
            else:
                spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
