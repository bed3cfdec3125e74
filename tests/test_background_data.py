"""data/background.toml (Achtergrond, seeds 000-002) is well formed and links only to things that exist;
so are the optional blocks/clusters links in data/organisations.toml and data/practice_examples.toml.

Also runnable without pytest: `python3 tests/test_background_data.py` prints the counts or the problems.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_KEYS = {"id", "title", "subtitle", "title_supplied", "author", "publisher", "year", "seed"}
TOPIC_KEYS = {"id", "source", "group", "title", "text", "items", "note", "risk_factors", "blocks", "clusters",
              "interventions", "where"}


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _model_ids() -> tuple[set[str], dict[str, str], dict[str, list[str]]]:
    """Block ids; cluster id -> block id; intervention id -> its name and aliases."""
    blocks: set[str] = set()
    clusters: dict[str, str] = {}
    for path in sorted((DATA / "blocks").glob("*.toml")):
        block = _load(path)
        blocks.add(block["id"])
        for theme in block.get("themes", []):
            for cluster in theme.get("clusters", []):
                clusters[cluster["id"]] = block["id"]
    interventions: dict[str, list[str]] = {}
    for path in sorted((DATA / "interventions").glob("*.toml")):
        for iv in _load(path).get("interventions", []):
            interventions[iv["id"]] = [iv["name"], *iv.get("aliases", [])]
    return blocks, clusters, interventions


def _tokens(text: str) -> list[str]:
    """Lower-case words without bracketed parts and without the generic word 'training'."""
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    return [t for t in re.split(r"[^0-9a-zà-ÿ#]+", text) if t and t != "training"]


def names_in(text: str, name: str) -> bool:
    """True when `name` occurs in `text` as whole words, ignoring case, spacing, hyphens, a bracketed
    abbreviation and the word 'training' ("Toolbox media opvoeding" names "Toolbox Mediaopvoeding")."""
    words, target = _tokens(text), "".join(_tokens(name))
    for start in range(len(words)):
        joined = ""
        for word in words[start:]:
            joined += word
            if joined == target:
                return True
            if not target.startswith(joined):
                break
    return False


def problems() -> list[str]:
    doc = _load(DATA / "background.toml")
    blocks, clusters, interventions = _model_ids()
    out: list[str] = []
    source_ids = [s.get("id", "") for s in doc.get("sources", [])]
    for s in doc.get("sources", []):
        if not SLUG.match(s.get("id", "")):
            out.append(f"source id {s.get('id')!r} is not a slug")
        if not s.get("title") or not re.match(r"^\d{3}_[0-9a-f]{16}\.txt$", s.get("seed", "")):
            out.append(f"source {s.get('id')}: title or seed missing")
        out += [f"source {s.get('id')}: unknown key {k}" for k in set(s) - SOURCE_KEYS]
    if len(set(source_ids)) != len(source_ids):
        out.append("source ids are not unique")
    topic_ids = [t.get("id", "") for t in doc.get("topics", [])]
    out += [f"topic id {i!r} is not unique" for i in sorted({i for i in topic_ids if topic_ids.count(i) > 1})]
    for t in doc.get("topics", []):
        tid = t.get("id", "")
        out += [f"{tid}: unknown key {k}" for k in set(t) - TOPIC_KEYS]
        if not SLUG.match(tid):
            out.append(f"topic id {tid!r} is not a slug")
        if t.get("source") not in source_ids:
            out.append(f"{tid}: unknown source {t.get('source')!r}")
        for key in ("group", "title", "where"):
            if not str(t.get(key, "")).strip():
                out.append(f"{tid}: {key} missing")
        if not t.get("text") and not t.get("items"):
            out.append(f"{tid}: neither text nor items")
        if "risk_factors" in t and t["risk_factors"] is not True:
            out.append(f"{tid}: risk_factors is either true or absent")
        for key in ("text", "note"):
            for para in str(t.get(key, "")).split("\n\n"):
                if "\n" in para or "  " in para or para != para.strip() or "**" in para or "(#)" in para:
                    out.append(f"{tid}: {key} is not clean plain text: {para[:60]!r}")
        out += [f"{tid}: unknown block {b!r}" for b in t.get("blocks", []) if b not in blocks]
        for c in t.get("clusters", []):
            if c not in clusters:
                out.append(f"{tid}: unknown cluster {c!r}")
            elif clusters[c] not in t.get("blocks", []):
                out.append(f"{tid}: cluster {c!r} belongs to block {clusters[c]!r}, which is not in blocks")
        full = " ".join([t.get("title", ""), t.get("text", ""), *t.get("items", []), t.get("note", "")])
        for iv in t.get("interventions", []):
            if iv not in interventions:
                out.append(f"{tid}: unknown intervention {iv!r}")
            elif not any(names_in(full, n) for n in interventions[iv]):
                out.append(f"{tid}: intervention {iv!r} is linked but its name or aliases do not occur in the text")
        for key in ("blocks", "clusters", "interventions", "items"):
            values = t.get(key, [])
            if len(set(values)) != len(values):
                out.append(f"{tid}: duplicate values in {key}")
    # the optional blocks/clusters links of the other seed-002 files
    for name, table in (("organisations.toml", "organisations"), ("practice_examples.toml", "examples")):
        for entry in _load(DATA / name).get(table, []):
            where = f"{name} {entry.get('id')}"
            out += [f"{where}: unknown block {b!r}" for b in entry.get("blocks", []) if b not in blocks]
            for c in entry.get("clusters", []):
                if c not in clusters:
                    out.append(f"{where}: unknown cluster {c!r}")
                elif clusters[c] not in entry.get("blocks", []):
                    out.append(f"{where}: cluster {c!r} belongs to block {clusters[c]!r}, which is not in blocks")
    return out


def test_background_is_well_formed_and_links_exist() -> None:
    assert problems() == []


def test_names_in_matches_whole_names_only() -> None:
    assert names_in("De Toolbox media opvoeding van het NJi", "Toolbox Mediaopvoeding")
    assert names_in("de DIAMANT training", "DIAMANT")
    assert names_in("Omgaan met extreme idealen van ESS", "Omgaan Met Extreme Idealen (OMEI)-training")
    assert not names_in("het project Jongerenwerk Onderwijs Samen", "Jongerenwerk en Onderwijs Samen (JOS)")
    assert not names_in("vipassana", "VIP")


if __name__ == "__main__":
    found = problems()
    doc = _load(DATA / "background.toml")
    print(f"{len(doc['sources'])} sources, {len(doc['topics'])} topics")
    print("\n".join(found) if found else "ok")
    raise SystemExit(1 if found else 0)
