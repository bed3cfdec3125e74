"""The presentation tour: the model as a sequence of slides for a training room (plain data, no Qt).

Order: an opening slide about the model, then per bouwsteen the bouwsteen itself, each thema, each
beschermende factor followed by its example interventions, and at the end the effectladder. Every
slide knows its level (0 model / effectladder, 1 bouwsteen, 2 thema, 3 factor, 4 interventie) and the
index of its parent, so a presenter can step sideways, deeper and back up.

Only the model is read: the tour never sees the user's notes, werksets or plans, because a training
room is public. Texts stay plain text here; whoever shows them escapes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.search.repository import EffectLevelInfo, InterventionDetail, ModelRepository
from desktop.core.search.search import query_terms
from desktop.core.text import count, dutch_date, fold, shorten

LEVELS: dict[str, int] = {"model": 0, "block": 1, "theme": 2, "cluster": 3, "intervention": 4, "effectladder": 0}
SHORT_TEXT = 300  # characters of a description on a slide: a room reads, it does not study
SHORT_FACT = 200
_NUMBERS = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-Ý“‘\"'(])")
LADDER_INTRO = ("De effectladder zegt hoe goed een interventie is onderbouwd: hoe hoger de trede, hoe sterker "
                "het bewijs dat zij werkt.")


@dataclass(frozen=True)
class ExampleItem:
    """An example intervention as a factor slide lists it."""

    id: str
    name: str
    trede: int | None
    trede_name: str | None


@dataclass(frozen=True)
class Entry:
    """A line with an explanation under it (a thema slide lists its factors with their focus)."""

    text: str
    detail: str | None = None


@dataclass
class Slide:
    kind: str  # "model" | "block" | "theme" | "cluster" | "intervention" | "effectladder"
    id: str
    title: str
    breadcrumb: str
    level: int
    parent: int | None = None  # index of the slide one level up (None for the opening and the effectladder)
    kicker: str = ""  # one short line above the title: "Bouwsteen 1", "Thema", "Beschermende factor"…
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    lists: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading, bullet items)
    entries: list[Entry] = field(default_factory=list)
    examples: list[ExampleItem] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    risk_factor_warning: str | None = None
    trede: int | None = None
    trede_name: str | None = None
    trede_meaning: str | None = None
    trede_source: str | None = None
    ladder: list[EffectLevelInfo] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # "blocks" | "themes" | "clusters" | "interventions"
    notice: str | None = None  # e.g. a factor without examples: a gap in the model

    def texts(self) -> list[str]:
        """Every text this slide shows (for tests and for a search over slides)."""
        out = [self.kicker, self.title, self.breadcrumb, *self.paragraphs, count_line(self)]
        out += [f"{label}: {value}" for label, value in self.facts]
        for heading, items in self.lists:
            out += [heading, *items]
        out += [t for e in self.entries for t in (e.text, e.detail) if t]
        out += [e.name for e in self.examples]
        out += self.risk_factors
        out += [t for t in (self.risk_factor_warning, self.trede_name, self.trede_meaning, self.trede_source,
                            self.notice) if t]
        out += [f"{lv.trede} {lv.name or ''} {lv.explanation or ''}" for lv in self.ladder]
        return [t for t in out if t]


# --- plain-text helpers ---------------------------------------------------------------------------
def number_word(number: int) -> str:
    """'zes' for 6; digits from 11 on."""
    return _NUMBERS[number] if 0 <= number < len(_NUMBERS) else str(number)


def short_text(text: str | None, limit: int = SHORT_TEXT) -> str | None:
    """The first whole sentences of a text that fit in `limit` characters (an ellipsis when cut)."""
    if text is None or not text.strip():
        return None
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    kept = ""
    for sentence in _SENTENCE_END.split(flat):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return f"{kept} …"
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:–— ")
    return f"{cut} …" if cut else shorten(flat, limit)


def offered_text(value: bool | None) -> str:
    return "onbekend" if value is None else ("ja" if value else "niet bevestigd")


def trede_source_text(source: str | None) -> str | None:
    if not source or not source.strip():
        return None
    if "eigen" in source.lower():
        return "eigen, niet-officiële inschatting van de onderzoekers"
    return f"erkend in de databank van {source.strip()}"


def trede_label(trede: int | None, name: str | None) -> str:
    """'Trede 3 · doeltreffend', 'trede onbekend'."""
    if trede is None:
        return f"trede onbekend ({name})" if name else "trede onbekend"
    return f"trede {trede}" + (f" · {name}" if name else "")


def count_line(slide: Slide) -> str:
    """'3 thema's · 13 beschermende factoren · 39 voorbeeldinterventies' (empty when nothing to count)."""
    words = {
        "blocks": ("bouwsteen", "bouwstenen"),
        "themes": ("thema", "thema’s"),
        "clusters": ("beschermende factor", "beschermende factoren"),
        "interventions": ("voorbeeldinterventie", "voorbeeldinterventies"),
    }
    return " · ".join(count(n, *words[key]) for key, n in slide.counts.items() if key in words)


# --- building -------------------------------------------------------------------------------------
def _ladder(repo: ModelRepository) -> dict[int, EffectLevelInfo]:
    return {level.trede: level for level in repo.effectladder()}


def _opening(repo: ModelRepository) -> Slide:
    tree = repo.tree()
    meta = repo.meta()
    purpose = short_text(repo.text("model_purpose"), 700)
    blocks = []
    for b in tree:
        clusters = sum(len(t.clusters) for t in b.themes)
        blocks.append(f"{b.number} · {b.name} — {count(len(b.themes), 'thema', 'thema’s')}, "
                      f"{count(clusters, 'beschermende factor', 'beschermende factoren')}")
    version = meta.get("model_version")
    facts = []
    if version:
        facts.append(("Versie", f"{version}, gepubliceerd {dutch_date(meta.get('published'))}"))
    return Slide(
        kind="model", id="model", title="Het bouwstenenmodel", breadcrumb="Het bouwstenenmodel", level=0,
        kicker="Preventie van radicalisering en ongewenste polarisatie",
        paragraphs=[purpose] if purpose else [],
        lists=[(f"De {number_word(len(tree))} bouwstenen", blocks)],
        facts=facts,
        counts={"blocks": len(tree), "themes": sum(len(b.themes) for b in tree),
                "clusters": sum(len(t.clusters) for b in tree for t in b.themes),
                "interventions": len({i for (i,) in repo.conn.execute("SELECT DISTINCT intervention FROM example")})},
    )


def _effectladder(repo: ModelRepository) -> Slide:
    return Slide(kind="effectladder", id="effectladder", title="De effectladder", breadcrumb="De effectladder",
                 level=0, kicker="Hoe goed is een interventie onderbouwd?", paragraphs=[LADDER_INTRO],
                 ladder=repo.effectladder())


def intervention_slide(repo: ModelRepository, detail: InterventionDetail, cluster_id: str | None,
                       breadcrumb: str, parent: int | None, ladder: dict[int, EffectLevelInfo] | None = None) -> Slide:
    """One example intervention as it is linked to one factor (the link's own trede and offer win)."""
    ladder = _ladder(repo) if ladder is None else ladder
    link = next((c for c in detail.clusters if c.cluster_id == cluster_id), None)
    trede = link.trede if link is not None and link.trede is not None else detail.trede
    source = link.trede_source if link is not None and link.trede is not None else detail.trede_source
    offered = link.offered if link is not None and link.offered is not None else detail.offered
    level = ladder.get(trede) if trede is not None else None
    facts: list[tuple[str, str]] = []
    target = short_text(detail.target_group, SHORT_FACT)
    facts.append(("Doelgroep", target or "onbekend"))
    if detail.type_text:
        facts.append(("Soort", short_text(detail.type_text, SHORT_FACT) or detail.type_text))
    facts.append(("Nu aangeboden", offered_text(offered)))
    others = [f"{c.cluster_name} (bouwsteen {c.block_number})" for c in detail.clusters if c.cluster_id != cluster_id]
    if others:
        facts.append(("Ook voorbeeld bij", "; ".join(dict.fromkeys(others))))
    description = short_text(detail.description) or short_text(detail.goal)
    if trede is None:
        meaning = "Deze interventie is (nog) niet beoordeeld op de effectladder."
    else:
        meaning = (level.explanation if level and level.explanation else None) or "Geen uitleg bij deze trede."
    return Slide(
        kind="intervention", id=detail.id, title=detail.name, breadcrumb=breadcrumb, level=LEVELS["intervention"],
        parent=parent, kicker="Voorbeeldinterventie" if link is not None else "Interventie (niet bij een factor)",
        paragraphs=[description] if description else [], facts=facts, trede=trede,
        trede_name=(level.name if level and level.name else None) or detail.trede_label,
        trede_meaning=meaning, trede_source=trede_source_text(source),
    )


def build_tour(repo: ModelRepository) -> list[Slide]:
    """Every slide of a training session, in order."""
    ladder = _ladder(repo)
    slides = [_opening(repo)]
    details: dict[str, InterventionDetail | None] = {}
    focus = {r[0]: short_text(r[1], SHORT_FACT) for r in repo.conn.execute("SELECT id, focus FROM cluster")}
    for block in repo.tree():
        node = repo.node("block", block.id)
        assert node is not None
        block_crumb = f"Bouwsteen {block.number} · {block.name}"
        block_index = len(slides)
        cluster_total = sum(len(t.clusters) for t in block.themes)
        slides.append(Slide(
            kind="block", id=block.id, title=block.name, breadcrumb=block_crumb, level=LEVELS["block"], parent=0,
            kicker=f"Bouwsteen {block.number}",
            paragraphs=[p for p in [short_text(node.description, 600)] if p],
            lists=[("Thema’s", [t.name for t in block.themes])] if block.themes else [],
            risk_factors=list(node.risk_factors),
            risk_factor_warning=node.risk_factor_warning if node.risk_factors else None,
            counts={"themes": len(block.themes), "clusters": cluster_total, "interventions": block.count},
        ))
        for theme in block.themes:
            theme_crumb = f"{block_crumb} › {theme.name}"
            theme_index = len(slides)
            slides.append(Slide(
                kind="theme", id=theme.id, title=theme.name, breadcrumb=theme_crumb, level=LEVELS["theme"],
                parent=block_index, kicker=f"Thema in bouwsteen {block.number} · {block.name}",
                entries=[Entry(f"{c.name} — {count(c.count, 'voorbeeld', 'voorbeelden')}", focus.get(c.id))
                         for c in theme.clusters],
                counts={"clusters": len(theme.clusters), "interventions": theme.count},
            ))
            for cluster in theme.clusters:
                slides.extend(_cluster_slides(repo, cluster.id, f"{theme_crumb} › {cluster.name}", theme_index,
                                              len(slides), ladder, details))
    slides.append(_effectladder(repo))
    return slides


def _cluster_slides(repo: ModelRepository, cluster_id: str, crumb: str, parent: int, index: int,
                    ladder: dict[int, EffectLevelInfo], details: dict[str, InterventionDetail | None]) -> list[Slide]:
    node = repo.node("cluster", cluster_id)
    assert node is not None
    ids = [r[0] for r in repo.conn.execute(
        "SELECT intervention FROM example WHERE cluster_id = ? ORDER BY position", (cluster_id,))]
    ids = list(dict.fromkeys(ids))
    examples: list[ExampleItem] = []
    children: list[Slide] = []
    for intervention_id in ids:
        if intervention_id not in details:
            details[intervention_id] = repo.intervention(intervention_id)
        detail = details[intervention_id]
        if detail is None:
            continue
        child = intervention_slide(repo, detail, cluster_id, f"{crumb} › {detail.name}", index, ladder)
        children.append(child)
        examples.append(ExampleItem(detail.id, detail.name, child.trede, child.trede_name))
    lists = []
    if node.subfactors:
        lists.append(("Onder meer", list(node.subfactors)))
    if node.types:
        lists.append(("Interventietypen", [f"{code} · {name}" for code, name in node.types]))
    paragraphs = [p for p in [short_text(node.description, 400)] if p]
    factor = Slide(
        kind="cluster", id=node.id, title=node.name, breadcrumb=crumb, level=LEVELS["cluster"], parent=parent,
        kicker=f"Beschermende factor · {node.theme_name or ''}".rstrip(" ·"),
        paragraphs=paragraphs, facts=[("Focus", node.focus)] if node.focus else [], lists=lists, examples=examples,
        counts={"interventions": len(examples)},
        notice=None if examples else "Geen voorbeeldinterventies bij deze factor — een lacune in het model.",
    )
    return [factor, *children]


# --- navigation -----------------------------------------------------------------------------------
def next_index(slides: list[Slide], index: int) -> int:
    return min(index + 1, len(slides) - 1)


def previous_index(slides: list[Slide], index: int) -> int:
    return max(index - 1, 0)


def level_up(slides: list[Slide], index: int) -> int:
    """intervention -> its factor -> theme -> bouwsteen -> opening; the opening and the effectladder stay."""
    parent = slides[index].parent
    return index if parent is None else parent


def first_child(slides: list[Slide], index: int) -> int:
    """The first slide one level deeper below this one (the same index when there is none)."""
    for i in range(index + 1, len(slides)):
        if slides[i].parent == index:
            return i
        if slides[i].level <= slides[index].level:
            break
    return index


def next_sibling(slides: list[Slide], index: int) -> int:
    """The next slide at the same level (a factor's next factor, even in the next thema); skips the slides below."""
    level = slides[index].level
    for i in range(index + 1, len(slides)):
        if slides[i].level == level and slides[i].kind == slides[index].kind:
            return i
    return index


def previous_sibling(slides: list[Slide], index: int) -> int:
    level = slides[index].level
    for i in range(index - 1, -1, -1):
        if slides[i].level == level and slides[i].kind == slides[index].kind:
            return i
    return index


def index_of(slides: list[Slide], kind: str, slide_id: str) -> int | None:
    return next((i for i, s in enumerate(slides) if s.kind == kind and s.id == slide_id), None)


def block_index(slides: list[Slide], number: int) -> int | None:
    """The slide of bouwsteen `number` (1-based, in tour order)."""
    blocks = [i for i, s in enumerate(slides) if s.kind == "block"]
    return blocks[number - 1] if 1 <= number <= len(blocks) else None


def find(slides: list[Slide], text: str, repo: ModelRepository | None = None) -> int | None:
    """The first slide that answers a question from the room, or None.

    Titles first (accent- and case-insensitive): an exact title, then a title containing the text, then a
    title holding every word as a word beginning. Then the full-text search over interventions (ranked):
    the first example slide of the best hit that is in the tour.
    """
    wanted = " ".join(fold(text).split())
    words = query_terms(text)
    if not wanted or not words:
        return None
    titles = [" ".join(fold(s.title).split()) for s in slides]
    for match in (lambda t: t == wanted, lambda t: wanted in t,
                  lambda t: all(re.search(rf"(?<!\w){re.escape(w)}", t) for w in words)):
        hit = next((i for i, t in enumerate(titles) if match(t)), None)
        if hit is not None:
            return hit
    if repo is not None:
        first: dict[str, int] = {}
        for i, s in enumerate(slides):
            if s.kind == "intervention":
                first.setdefault(s.id, i)
        for intervention_id in repo.search(text):
            if intervention_id in first:
                return first[intervention_id]
    return None


def extra_slide(repo: ModelRepository, text: str) -> Slide | None:
    """For a question the tour cannot answer: the best search hit as a slide outside the sequence."""
    if not query_terms(text):
        return None
    for intervention_id in repo.search(text)[:1]:
        detail = repo.intervention(intervention_id)
        if detail is not None:
            return intervention_slide(repo, detail, None, f"Gevonden met zoeken › {detail.name}", None)
    return None
