"""Synthetic models for benchmarks: N interventions with realistic Dutch-ish text, links and facets.

Reused by every benchmark that needs a model larger than the curated one (search, start-up, import):

    from bench.generate import synthetic_source, build_synthetic_model, cached_model
    source = synthetic_source(10_000)              # a ModelSource, deterministic for (n, seed)
    build_synthetic_model(10_000, Path("m.sqlite"))  # the model database, via the real builder
    cached_model(10_000)                           # built once into bench/.cache, rebuilt when stale

What is real and what is synthetic:
- real (from `load_source(data/)`): the blocks, themes and clusters (their example links are
  replaced), intervention types (their examples point at synthetic interventions), effectladder,
  facet rules, texts, organisations, practice examples and quickscan;
- synthetic: every intervention, plus `n // 100` extra clusters spread over the real themes, and the
  example links (cluster -> intervention, with flags) drawn with the real distribution of links per
  intervention (0-4, mostly 1);
- text is produced by a word-bigram chain trained on the real descriptions, goals and evaluations,
  so word frequencies, accents (geëvalueerd, creëren, ideeën) and word lengths are those of the real
  model: descriptions 300-1200 characters, goals 100-300; target groups, types, providers and the
  trede come from the real records (so facet values are derived by the real rules in the builder,
  with a realistic spread); 0-3 web links, about a third with 1-3 aliases.

Run as a script to write model files:  .venv/bin/python -m bench.generate 1000 10000 --out /tmp
"""

from __future__ import annotations

import argparse
import copy
import functools
import hashlib
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow `python bench/generate.py` as well as `python -m bench.generate`
    sys.path.insert(0, str(ROOT))

from desktop.core.builder import built_hash, source_hash, write_model  # noqa: E402
from desktop.core.slug import slugify  # noqa: E402
from desktop.core.source import (  # noqa: E402
    TYPE_CODES,
    Cluster,
    Example,
    Intervention,
    ModelSource,
    TypeExample,
    cross_check,
    load_source,
)

GENERATOR_VERSION = "1"
DATA_DIR = ROOT / "data"
CACHE_DIR = ROOT / "bench" / ".cache"

T = TypeVar("T")

_TOKEN = re.compile(r"\S+")
_SENTENCE_END = (".", "!", "?")
_PLACES = (
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Tilburg", "Groningen", "Almere",
    "Breda", "Nijmegen", "Arnhem", "Zwolle", "Leiden", "Maastricht", "Delft", "Gouda", "Schiedam",
)
_NAME_SUFFIXES = ("Young", "Up", "Plus", "Junior", "2.0", "Online", "Lokaal", "Samen", "Next")
_AUTHORS = (
    "De Graaf", "Van den Berg", "Bakker", "Jansen", "El Idrissi", "Yılmaz", "Visser", "Smit", "Meijer",
    "De Boer", "Mulder", "Bouzid", "Doosje", "Feddes", "Sieckelink", "Van der Veen", "Gielen", "Öztürk",
)


@functools.cache
def real_source() -> ModelSource:
    """The curated model in data/ (loaded once per process; treat as read-only)."""
    return load_source(DATA_DIR)


class _Chain:
    """A word-bigram chain over the real model's prose; generates Dutch-ish sentences."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for text in texts:
            words = _TOKEN.findall(text)
            previous: str | None = None
            for word in words:
                if previous is None or previous.endswith(_SENTENCE_END):
                    if word[:1].isupper():
                        self.starts.append(word)
                else:
                    self.next.setdefault(previous, []).append(word)
                previous = word
        self.vocabulary = sorted({w for w in self.next} | set(self.starts))

    def sentence(self, rng: random.Random, max_words: int = 40) -> str:
        word = rng.choice(self.starts)
        words = [word]
        while len(words) < max_words and not word.endswith(_SENTENCE_END):
            followers = self.next.get(word)
            word = rng.choice(followers) if followers else rng.choice(self.vocabulary)
            words.append(word)
        text = " ".join(words)
        return text if text.endswith(_SENTENCE_END) else text.rstrip(",;:.") + "."

    def text(self, rng: random.Random, low: int, high: int) -> str:
        """Whole sentences until at least a random length in [low, high], cut at a word boundary."""
        target = rng.randint(low, high)
        parts: list[str] = []
        length = 0
        while length < target:
            sentence = self.sentence(rng)
            parts.append(sentence)
            length += len(sentence) + 1
        text = " ".join(parts)
        if len(text) > target:
            text = text[:target].rsplit(" ", 1)[0].rstrip(",;:.!?") + "."
        while len(text) < low:  # a cut can fall just below the minimum: pad with a short sentence
            text += " " + self.sentence(rng, max_words=8)
        return text[:high]

    def phrase(self, rng: random.Random, words: int) -> str:
        """A short run of words without sentence punctuation (names, foci, subfactors)."""
        out = [rng.choice(self.vocabulary)]
        while len(out) < words:
            followers = self.next.get(out[-1]) or self.vocabulary
            out.append(rng.choice(followers))
        cleaned = [re.sub(r"[^\w’'-]+", "", w) for w in out]
        return " ".join(w for w in cleaned if w) or "activiteit"


@functools.cache
def _chain() -> _Chain:
    src = real_source()
    texts: list[str] = []
    for iv in src.interventions:
        texts += [t for t in (iv.description, iv.goal, iv.evaluation, iv.target_group) if t]
    for block in src.blocks:
        texts.append(block.description)
    for pe in src.practice_examples:
        texts += [t for t in (pe.summary, pe.for_whom) if t]
    return _Chain(texts)


def _weighted(rng: random.Random, values: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(values, weights=weights, k=1)[0]


def _name(rng: random.Random, chain: _Chain, real_names: Sequence[str]) -> str:
    style = rng.random()
    if style < 0.35:
        base = rng.choice(real_names).split(" (")[0]
        return f"{base} {rng.choice(_PLACES)}"
    if style < 0.55:
        words = chain.phrase(rng, rng.randint(1, 2)).title().replace(" ", "")
        return f"#{words}" if rng.random() < 0.3 else words
    phrase = chain.phrase(rng, rng.randint(2, 4))
    return phrase[:1].upper() + phrase[1:]


def _aliases(rng: random.Random, name: str) -> list[str]:
    if rng.random() >= 0.38:
        return []
    out: list[str] = []
    for _ in range(_weighted(rng, (1, 2, 3), (36, 8, 2))):
        kind = rng.random()
        if kind < 0.4:
            words = [w for w in re.findall(r"[^\W_]+", name) if w]
            alias = "".join(w[0] for w in words).upper() if len(words) > 1 else name.upper()
        elif kind < 0.8:
            alias = f"{name} {rng.choice(_NAME_SUFFIXES)}"
        else:
            alias = name.lower()
        if alias and alias != name and alias not in out:
            out.append(alias)
    return out


def _links(rng: random.Random, slug: str) -> list[str]:
    count = _weighted(rng, (0, 1, 2, 3), (30, 50, 14, 6))
    domain = slug.replace("-", "")[:24] or "interventie"
    paths = ("", "over-ons", "aanpak", "publicaties/evaluatie", "contact", "nieuws/2024")
    return [f"https://www.{domain}.nl/{p}".rstrip("/") for p in rng.sample(paths, count)]


def _synthetic_cluster(rng: random.Random, chain: _Chain, number: int) -> Cluster:
    name = chain.phrase(rng, rng.randint(2, 5))
    return Cluster(
        id=f"synthetische-factor-{number:04d}",
        name=name[:1].upper() + name[1:],
        focus="focus op " + chain.phrase(rng, rng.randint(4, 9)),
        subfactors=[chain.phrase(rng, rng.randint(1, 5)) for _ in range(rng.randint(1, 6))],
        references=[f"{rng.choice(_AUTHORS)} et al. ({rng.randint(2008, 2024)})" for _ in range(rng.randint(1, 6))],
        intervention_types=sorted(rng.sample(TYPE_CODES, rng.randint(1, 4)), key=TYPE_CODES.index),
        examples=[],
        note=None,
    )


def synthetic_source(n: int, seed: int = 1) -> ModelSource:
    """A complete, valid ModelSource with `n` synthetic interventions (deterministic for n, seed)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    real = real_source()
    chain = _chain()
    rng = random.Random(f"bouwstenen-synthetic-{GENERATOR_VERSION}-{n}-{seed}")
    templates = real.interventions
    real_names = [iv.name for iv in templates]

    interventions: list[Intervention] = []
    used: set[str] = set()
    for index in range(n):
        template = rng.choice(templates)  # keeps trede, its label and source consistent
        name = _name(rng, chain, real_names)
        slug = slugify(name)[:48].strip("-") or "interventie"
        ident = f"{slug}-{index:05d}"
        assert ident not in used
        used.add(ident)
        target = rng.choice(templates).target_group
        if target is not None and rng.random() < 0.25:
            other = rng.choice(templates).target_group
            if other and other != target:
                target = f"{target}; {other[:1].lower()}{other[1:]}"
        offered, explicit = rng.choice([(t.offered, t.explicit) for t in templates])
        interventions.append(
            Intervention(
                id=ident,
                name=name,
                aliases=_aliases(rng, name),
                type_text=rng.choice(templates).type_text,
                offered=offered,
                description=chain.text(rng, 300, 1200),
                goal=chain.text(rng, 100, 300),
                explicit=explicit,
                target_group=target,
                provider=rng.choice(templates).provider,
                trede=template.trede,
                trede_label=template.trede_label,
                trede_source=template.trede_source,
                evaluation=rng.choice(templates).evaluation,
                links=_links(rng, slug),
                source="synthetisch (bench/generate.py)",
            )
        )

    # the real tree, plus n // 100 synthetic clusters spread over the real themes
    blocks = copy.deepcopy(real.blocks)
    themes = [t for b in blocks for t in b.themes]
    for number in range(n // 100):
        rng.choice(themes).clusters.append(_synthetic_cluster(rng, chain, number + 1))
    clusters = [c for t in themes for c in t.clusters]
    real_sizes = {c.id: len(c.examples) for b in real.blocks for t in b.themes for c in t.clusters}
    # popularity like the real tree: a few factors with many examples, many with one or two
    weights = [real_sizes.get(c.id, rng.choice([0, 1, 1, 2, 3, 5, 9])) + 0.5 for c in clusters]
    for cluster in clusters:
        cluster.examples = []
    links_per_intervention = (0, 1, 2, 3, 4)
    link_weights = (16, 72, 22, 5, 5)  # the real distribution (120 interventions, 225 links)
    flag_choices = [(False, True, False), (True, True, False), (True, False, False), (True, True, True),
                    (False, False, False), (False, True, True), (True, False, True)]
    flag_weights = (49, 36, 25, 20, 13, 7, 1)
    for iv in interventions:
        count = _weighted(rng, links_per_intervention, link_weights)
        chosen: set[int] = set()
        while len(chosen) < count:
            chosen.add(rng.choices(range(len(clusters)), weights=weights, k=1)[0])
        for position in sorted(chosen):
            explicit, offered, via = _weighted(rng, flag_choices, flag_weights)
            clusters[position].examples.append(
                Example(
                    intervention=iv.id, explicit=explicit, offered=offered, via_municipality=via,
                    trede=iv.trede if rng.random() < 0.6 else None,
                    trede_source=iv.trede_source if rng.random() < 0.4 else None,
                )
            )

    types = copy.deepcopy(real.intervention_types)
    for itype in types:
        picks = rng.sample(interventions, min(len(itype.examples) or 1, len(interventions)))
        itype.examples = [TypeExample(name=iv.name, intervention=iv.id) for iv in picks]

    meta = dict(real.meta)
    meta["model_version"] = f"synthetisch-{n}-s{seed}"
    source = ModelSource(
        meta=meta,
        texts=dict(real.texts),
        blocks=blocks,
        interventions=interventions,
        intervention_types=types,
        effectladder_intro=real.effectladder_intro,
        effectladder=copy.deepcopy(real.effectladder),
        facets=copy.deepcopy(real.facets),
        organisations=copy.deepcopy(real.organisations),
        practice_examples=copy.deepcopy(real.practice_examples),
        quickscan=copy.deepcopy(real.quickscan),
    )
    problems = cross_check(source)
    if problems:
        raise AssertionError(f"synthetic source is inconsistent: {problems[:5]}")
    return source


def fingerprint(n: int, seed: int = 1) -> str:
    """Identifies a synthetic model: generator version, n, seed and the curated data it reuses."""
    digest = hashlib.sha256(f"synthetic:{GENERATOR_VERSION}:{n}:{seed}:".encode())
    digest.update(source_hash(DATA_DIR).encode())
    return "synthetic-" + digest.hexdigest()


def build_synthetic_model(n: int, path: Path, seed: int = 1) -> Path:
    """Write the model database of `synthetic_source(n, seed)` to `path` with the real builder."""
    write_model(synthetic_source(n, seed), path, fingerprint=fingerprint(n, seed))
    return path


def cached_model(n: int, seed: int = 1, cache_dir: Path = CACHE_DIR) -> Path:
    """A synthetic model file, built once and rebuilt when the generator or data/ changes."""
    path = cache_dir / f"synthetic-{n}-s{seed}.sqlite"
    if built_hash(path) != fingerprint(n, seed):
        build_synthetic_model(n, path, seed)
    return path


def real_model(path: Path) -> Path:
    """The curated model (data/, 120 interventions) built into `path`; rebuilt when data/ changes."""
    from desktop.core.builder import build_model, is_up_to_date

    if not is_up_to_date(DATA_DIR, path):
        build_model(DATA_DIR, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic model databases.")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=CACHE_DIR, help="folder for the .sqlite files")
    parser.add_argument("--stats", action="store_true", help="print text-length and link statistics")
    args = parser.parse_args(argv)
    for n in args.sizes:
        start = time.perf_counter()
        source = synthetic_source(n, args.seed)
        generated = time.perf_counter()
        path = args.out / f"synthetic-{n}-s{args.seed}.sqlite"
        write_model(source, path, fingerprint=fingerprint(n, args.seed))
        done = time.perf_counter()
        print(f"{path}: {n} interventies, genereren {generated - start:.1f} s, bouwen {done - generated:.1f} s")
        if args.stats:
            _print_stats(source)
    return 0


def _print_stats(source: ModelSource) -> None:
    import statistics

    desc = [len(iv.description or "") for iv in source.interventions]
    goal = [len(iv.goal or "") for iv in source.interventions]
    links = [len(iv.links) for iv in source.interventions]
    aliases = [len(iv.aliases) for iv in source.interventions]
    examples = sum(len(c.examples) for b in source.blocks for t in b.themes for c in t.clusters)
    clusters = sum(len(t.clusters) for b in source.blocks for t in b.themes)
    print(f"  description {min(desc)}-{max(desc)} (median {statistics.median(desc)}), "
          f"goal {min(goal)}-{max(goal)} (median {statistics.median(goal)})")
    print(f"  links {min(links)}-{max(links)}, with aliases {sum(1 for a in aliases if a)}, "
          f"clusters {clusters}, example links {examples}")


if __name__ == "__main__":
    sys.exit(main())
