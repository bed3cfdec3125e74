"""Why a result was found: the field a search word occurs in, with a short excerpt around it."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.search.highlight import match_spans

WIDTH = 90


@dataclass(frozen=True)
class Snippet:
    field: str  # Dutch name of the field: naam, omschrijving, doelgroep, gekoppelde factor '…'
    text: str  # the excerpt
    spans: tuple[tuple[int, int], ...]  # where the search words are in `text`


def snippet(texts: list[tuple[str, str]], terms: list[str], width: int = WIDTH) -> Snippet | None:
    """The first field (in the order given: name first) where a term occurs, with an excerpt."""
    if not terms:
        return None
    for field, text in texts:
        spans = match_spans(text, terms)
        if not spans:
            continue
        flat = " ".join(text.split())
        spans = match_spans(flat, terms)
        if not spans:
            continue
        start = max(0, spans[0][0] - 14)  # a few words before the first match: the match stays in view
        if start > 0:
            space = flat.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
        end = min(len(flat), start + width)
        excerpt = ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
        shift = start - (1 if start else 0)
        inside = tuple((a - shift, b - shift) for a, b in spans if a >= start and b <= end)
        return Snippet(field, excerpt, inside)
    return None
