"""Build the model database (`model.sqlite`) from the curated source in `data/`."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.facets import TYPE_FACET, derive_facets
from desktop.core.schema import create_schema, schema_version_text
from desktop.core.slug import fold, normalise_name
from desktop.core.source import ModelSource, load_source

if TYPE_CHECKING:  # imported when a model is written: costs ~80 ms at every start otherwise
    import sqlite_utils


def source_hash(root: Path) -> str:
    """A fingerprint of every curated file, to tell whether a built model is up to date."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.toml")):
        digest.update(str(path.relative_to(root)).replace(os.sep, "/").encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def built_hash(model_path: Path) -> str | None:
    if not model_path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{model_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'source_hash'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def is_up_to_date(root: Path, model_path: Path) -> bool:
    return built_hash(model_path) == source_hash(root)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _intervention_types(source: ModelSource) -> dict[str, list[tuple[str, bool]]]:
    """Type codes per intervention, as (code, derived).

    Curated: Bijlage 2 names the intervention as an example of the type. Derived: the type is listed
    for a beschermende factor the intervention is an example of (the report does not say which of a
    factor's types each example belongs to, so all of them are offered, marked as derived).
    """
    codes: dict[str, dict[str, bool]] = {}
    for itype in source.intervention_types:
        for example in itype.examples:
            if example.intervention:
                codes.setdefault(example.intervention, {})[itype.code] = False
    for block in source.blocks:
        for theme in block.themes:
            for cluster in theme.clusters:
                for link in cluster.examples:
                    known = codes.setdefault(link.intervention, {})
                    for code in cluster.intervention_types:
                        known.setdefault(code, True)
    return {iid: list(found.items()) for iid, found in codes.items()}


def write_model(
    source: ModelSource,
    out: Path,
    fingerprint: str | None = None,
    after_fill: Callable[[sqlite_utils.Database], None] | None = None,
) -> None:
    """Write `source` as a complete model database at `out` (replaced atomically).

    `after_fill` may adjust the filled database before it is analysed and compacted."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.name + ".building")
    staging.unlink(missing_ok=True)
    import sqlite_utils

    db = sqlite_utils.Database(staging)
    # a staging file is replaced whole or thrown away: no journal, no syncs while it is filled
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    try:
        _fill(db, source, fingerprint)
        if after_fill is not None:
            after_fill(db)
            db.conn.commit()
        db.execute("ANALYZE")
        db.conn.commit()
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(staging, out)


def _fill(db: sqlite_utils.Database, source: ModelSource, fingerprint: str | None) -> None:
    create_schema(db)
    meta = dict(source.meta)
    meta["schema_version"] = schema_version_text()
    if fingerprint:
        meta["source_hash"] = fingerprint
    db.table("meta").insert_all({"key": k, "value": v} for k, v in meta.items())
    db.table("text").insert_all({"key": k, "value": v} for k, v in source.texts.items())

    for position, itype in enumerate(source.intervention_types):
        db.table("intervention_type").insert(
            {
                "code": itype.code, "parent": itype.parent, "position": position, "name": itype.name,
                "description": itype.description, "target_groups": itype.target_groups,
                "factors": itype.factors,
            }
        )
        for kind, items in (
            ("working_element", itype.working_elements),
            ("precondition", itype.preconditions),
            ("source", itype.sources),
        ):
            db.table("type_item").insert_all(
                {"type_code": itype.code, "kind": kind, "position": i, "text": text}
                for i, text in enumerate(items)
            )
        db.table("type_example").insert_all(
            {"type_code": itype.code, "position": i, "name": ex.name, "intervention_id": ex.intervention}
            for i, ex in enumerate(itype.examples)
        )
    db.table("effect_level").insert_all(
        {"trede": lvl.trede, "name": lvl.name, "explanation": lvl.explanation} for lvl in source.effectladder
    )
    if source.effectladder_intro:
        db.table("text").upsert({"key": "effectladder_intro", "value": source.effectladder_intro}, pk="key")

    # rows are collected and written per table: one insert per row costs 5x more
    db.table("intervention").insert_all(
        {
            "id": iv.id, "name": iv.name, "sort_key": fold(iv.name).lstrip("#'‘\" "),
            "type_text": iv.type_text, "offered": _flag(iv.offered), "description": iv.description,
            "goal": iv.goal, "explicit": _flag(iv.explicit), "target_group": iv.target_group,
            "provider": iv.provider, "trede": iv.trede, "trede_label": iv.trede_label,
            "trede_source": iv.trede_source, "evaluation": iv.evaluation, "source": iv.source,
        }
        for iv in source.interventions
    )
    db.table("intervention_link").insert_all(
        {"intervention_id": iv.id, "position": i, "url": url}
        for iv in source.interventions for i, url in enumerate(iv.links)
    )
    db.table("alias").insert_all(
        {"intervention_id": iv.id, "alias": a, "normalised": normalise_name(a)}
        for iv in source.interventions for a in iv.aliases
    )

    factor_text: dict[str, list[str]] = {}
    for block in source.blocks:
        db.table("block").insert(
            {"id": block.id, "number": block.number, "name": block.name, "description": block.description}
        )
        db.table("risk_factor").insert_all(
            {"block_id": block.id, "position": i, "text": text} for i, text in enumerate(block.risk_factors)
        )
        for t_pos, theme in enumerate(block.themes):
            db.table("theme").insert({"id": theme.id, "block_id": block.id, "position": t_pos, "name": theme.name})
            for c_pos, cluster in enumerate(theme.clusters):
                db.table("cluster").insert(
                    {
                        "id": cluster.id, "theme_id": theme.id, "block_id": block.id, "position": c_pos,
                        "name": cluster.name, "focus": cluster.focus, "note": cluster.note,
                    }
                )
                db.table("subfactor").insert_all(
                    {"cluster_id": cluster.id, "position": i, "text": s} for i, s in enumerate(cluster.subfactors)
                )
                db.table("literature_reference").insert_all(
                    {"cluster_id": cluster.id, "position": i, "text": r} for i, r in enumerate(cluster.references)
                )
                db.table("cluster_type").insert_all(
                    {"cluster_id": cluster.id, "type_code": code, "position": i}
                    for i, code in enumerate(cluster.intervention_types)
                )
                for e_pos, ex in enumerate(cluster.examples):
                    db.table("example_link").insert(
                        {
                            "cluster_id": cluster.id, "intervention_id": ex.intervention, "position": e_pos,
                            "explicit": int(ex.explicit), "offered": int(ex.offered),
                            "via_municipality": int(ex.via_municipality), "trede": ex.trede,
                            "trede_source": ex.trede_source,
                        },
                        replace=True,
                    )
                    words = [block.name, theme.name, cluster.name, cluster.focus or "", *cluster.subfactors]
                    factor_text.setdefault(ex.intervention, []).extend(words)

    db.table("facet").insert(
        {"key": TYPE_FACET, "label": "Interventietype", "position": 0, "single": 0}
    )
    db.table("facet_value").insert_all(
        {"facet_key": TYPE_FACET, "value": t.code, "label": f"{t.code}. {t.name}", "position": i}
        for i, t in enumerate(source.intervention_types)
    )
    for position, facet in enumerate(source.facets, start=1):
        db.table("facet").insert(
            {"key": facet.key, "label": facet.label, "position": position, "single": int(facet.single)}
        )
        db.table("facet_value").insert_all(
            {"facet_key": facet.key, "value": v, "label": label, "position": i}
            for i, (v, label) in enumerate(facet.values.items())
        )
    type_codes = _intervention_types(source)
    facet_rows: list[dict[str, object]] = []
    fts_rows: list[list[str]] = []
    for iv in source.interventions:
        rows = {
            (fv.facet, fv.value): {
                "intervention_id": iv.id, "facet_key": fv.facet, "value": fv.value, "derived": int(fv.derived)
            }
            for fv in derive_facets(iv, source.facets)
        }
        for code, derived in type_codes.get(iv.id, []):
            rows[(TYPE_FACET, code)] = {
                "intervention_id": iv.id, "facet_key": TYPE_FACET, "value": code, "derived": int(derived)
            }
        facet_rows.extend(rows.values())
        fts_rows.append([
            iv.id, iv.name, " ".join(iv.aliases), iv.type_text or "", iv.description or "",
            iv.goal or "", iv.target_group or "", iv.provider or "",
            " ".join(dict.fromkeys(factor_text.get(iv.id, []))),
        ])
    db.table("intervention_facet").insert_all(facet_rows)
    db.conn.executemany(
        "INSERT INTO intervention_fts (intervention_id, name, aliases, type_text, description, goal, "
        "target_group, provider, factors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        fts_rows,
    )

    for i, org in enumerate(source.organisations):
        db.table("organisation").insert(
            {"id": org.id, "name": org.name, "url": org.url, "grp": org.group, "position": i}
        )
    for i, pe in enumerate(source.practice_examples):
        db.table("practice_example").insert(
            {"id": pe.id, "title": pe.title, "for_whom": pe.for_whom, "summary": pe.summary,
             "parties": pe.parties, "contact": pe.contact, "position": i}
        )
    for i, group in enumerate(source.quickscan):
        db.table("quickscan_group").insert({"id": group.id, "name": group.name, "position": i})
        db.table("quickscan_question").insert_all(
            {"number": q.number, "group_id": group.id, "question": q.question, "explanation": q.explanation}
            for q in group.questions
        )
    db.conn.commit()


def build_model(root: Path, out: Path) -> ModelSource:
    """Validate `root` and write the model to `out`. Raises SourceError listing every problem."""
    source = load_source(root)
    write_model(source, out, fingerprint=source_hash(root))
    return source


def ensure_built(root: Path, out: Path) -> bool:
    """Rebuild `out` when the curated source changed since it was built. Returns True if built."""
    if is_up_to_date(root, out):
        return False
    build_model(root, out)
    return True
