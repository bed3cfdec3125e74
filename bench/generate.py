"""Synthetic models for benchmarks and scale tests: the curated model plus synthetic interventions.

    from bench.generate import synthetic_model, cached_model, cached_workbook
    model = synthetic_model(10_000)     # a `Model` (desktop.core.model.entities), deterministic for (n, seed)
    cached_model(10_000)                # its model database (write_model), built once into bench/.cache
    cached_workbook(10_000)             # its published workbook (xlsx_write), built once into bench/.cache

What is real and what is synthetic:
- real (from `load_source(data/)`): everything of the curated model, including its 120 interventions
  (so every reference of intervention types, background texts and practice examples stays valid);
- synthetic: `n - 120` further interventions, plus `n // 100` extra clusters spread over the real
  themes, and the example links (cluster -> intervention, with flags) drawn with the real
  distribution of links per intervention (0-4, mostly 1);
- text is produced by a word-bigram chain trained on the real descriptions, goals and evaluations,
  so word frequencies, accents (geëvalueerd, creëren, ideeën) and word lengths are those of the real
  model: descriptions 300-1200 characters, goals 100-300; target group, type text, provider, trede
  and the curated facet judgements come from a random real intervention (a realistic spread of
  filter values); 0-3 web links, about a third with 1-3 aliases.

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

from desktop.core.model.build import built_hash, source_hash  # noqa: E402
from desktop.core.model.entities import (  # noqa: E402
    TYPE_CODES,
    Cluster,
    Example,
    Intervention,
    Model,
)
from desktop.core.model.sqlite_codec import write_model  # noqa: E402
from desktop.core.model.toml_codec import load_source  # noqa: E402
from desktop.core.text import slugify  # noqa: E402

GENERATOR_VERSION = "3"
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
def real_source() -> Model:
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
        texts += [block.description or ""]
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
        subfactors=list(dict.fromkeys(chain.phrase(rng, rng.randint(1, 5)) for _ in range(rng.randint(1, 6)))),
        references=list(dict.fromkeys(f"{rng.choice(_AUTHORS)} et al. ({rng.randint(2008, 2024)})"
                                      for _ in range(rng.randint(1, 6)))),
        intervention_types=sorted(rng.sample(TYPE_CODES, rng.randint(1, 4)), key=TYPE_CODES.index),
        examples=[],
        note=None,
    )


def synthetic_model(n: int, seed: int = 1) -> Model:
    """The curated model with synthetic interventions up to `n` in all (deterministic for n, seed).

    n = 120 (or less) is the curated model itself."""
    real = real_source()
    if n <= len(real.interventions):
        return copy.deepcopy(real)
    chain = _chain()
    rng = random.Random(f"bouwstenen-synthetic-{GENERATOR_VERSION}-{n}-{seed}")
    model = copy.deepcopy(real)
    templates = real.interventions
    real_names = [iv.name for iv in templates]
    used = {iv.id for iv in templates}
    added: list[Intervention] = []
    for index in range(n - len(templates)):
        template = rng.choice(templates)  # keeps trede, its label and source, and the facets consistent
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
        added.append(
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
                facets=copy.deepcopy(template.facets),
            )
        )
    model.interventions.extend(added)

    # the real tree, plus n // 100 synthetic clusters spread over the real themes
    themes = model.themes()
    for number in range(n // 100):
        rng.choice(themes).clusters.append(_synthetic_cluster(rng, chain, number + 1))
    clusters = model.clusters()
    # popularity like the real tree: a few factors with many examples, many with one or two
    weights = [len(c.examples) + 0.5 if c.examples else rng.choice([0, 1, 1, 2, 3, 5, 9]) + 0.5 for c in clusters]
    links_per_intervention = (0, 1, 2, 3, 4)
    link_weights = (16, 72, 22, 5, 5)  # the real distribution (120 interventions)
    flag_choices = [(False, True, False), (True, True, False), (True, False, False), (True, True, True),
                    (False, False, False), (False, True, True), (True, False, True)]
    flag_weights = (49, 36, 25, 20, 13, 7, 1)
    for iv in added:
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
    model.meta["model_version"] = f"synthetisch-{n}-s{seed}"
    return model


def fingerprint(n: int, seed: int = 1) -> str:
    """Identifies a synthetic model: generator version, n, seed and the curated data it reuses."""
    digest = hashlib.sha256(f"synthetic:{GENERATOR_VERSION}:{n}:{seed}:".encode())
    digest.update(source_hash(DATA_DIR).encode())
    return "synthetic-" + digest.hexdigest()


def cached_model(n: int, seed: int = 1, cache_dir: Path = CACHE_DIR) -> Path:
    """The model database of `synthetic_model(n, seed)`, built once; rebuilt when the generator,
    data/ or the database format (schema version) changes."""
    from desktop.core.model.index import INDEX_VERSION
    from desktop.core.model.model_file import schema_version_text

    path = cache_dir / f"synthetic-{n}-s{seed}.sqlite"
    stamp = f"{fingerprint(n, seed)}-{schema_version_text()}-index{INDEX_VERSION}"
    if built_hash(path) != stamp:
        write_model(synthetic_model(n, seed), path, fingerprint=stamp)
    return path


def cached_workbook(n: int, seed: int = 1, cache_dir: Path = CACHE_DIR) -> Path:
    """The published workbook of `synthetic_model(n, seed)`, built once (next to a stamp file)."""
    from desktop.core.model.xlsx_write import write_workbook

    path = cache_dir / f"synthetic-{n}-s{seed}.xlsx"
    stamp_file = path.with_suffix(".xlsx.stamp")
    stamp = fingerprint(n, seed)
    if not path.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_workbook(synthetic_model(n, seed), path)
        stamp_file.write_text(stamp)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic model databases (and workbooks).")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=CACHE_DIR, help="folder for the files")
    parser.add_argument("--workbook", action="store_true", help="also write the published workbook")
    parser.add_argument("--stats", action="store_true", help="print text-length and link statistics")
    args = parser.parse_args(argv)
    for n in args.sizes:
        start = time.perf_counter()
        model = synthetic_model(n, args.seed)
        generated = time.perf_counter()
        path = args.out / f"synthetic-{n}-s{args.seed}.sqlite"
        write_model(model, path, fingerprint=fingerprint(n, args.seed))
        done = time.perf_counter()
        print(f"{path}: {n} interventies, genereren {generated - start:.1f} s, bouwen {done - generated:.1f} s")
        if args.workbook:
            from desktop.core.model.xlsx_write import write_workbook

            write_workbook(model, path.with_suffix(".xlsx"))
            print(f"{path.with_suffix('.xlsx')}: werkmap {time.perf_counter() - done:.1f} s")
        if args.stats:
            _print_stats(model)
    return 0


def _print_stats(model: Model) -> None:
    import statistics

    desc = [len(iv.description or "") for iv in model.interventions]
    goal = [len(iv.goal or "") for iv in model.interventions]
    links = [len(iv.links) for iv in model.interventions]
    aliases = [len(iv.aliases) for iv in model.interventions]
    counts = model.counts()
    print(f"  description {min(desc)}-{max(desc)} (median {statistics.median(desc)}), "
          f"goal {min(goal)}-{max(goal)} (median {statistics.median(goal)})")
    print(f"  links {min(links)}-{max(links)}, with aliases {sum(1 for a in aliases if a)}, "
          f"clusters {counts['clusters']}, example links {counts['example_links']}")


if __name__ == "__main__":
    sys.exit(main())
