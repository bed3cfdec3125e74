"""The whole model as one JSON document (shape documented in docs/json-export.md).

Unknown values are `null`, never invented.
"""

from __future__ import annotations

from typing import Any

from desktop.core.repository import ModelRepository


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def model_document(repo: ModelRepository) -> dict[str, Any]:
    conn = repo.conn
    meta = repo.meta()
    meta.pop("source_hash", None)
    texts = {r[0]: r[1] for r in conn.execute("SELECT key, value FROM text")}
    document: dict[str, Any] = {"meta": meta, "texts": texts}

    def column(sql: str, *args: object) -> list[Any]:
        return [r[0] for r in conn.execute(sql, args)]

    blocks = []
    for b in conn.execute("SELECT * FROM block ORDER BY number").fetchall():
        themes = []
        for t in conn.execute("SELECT * FROM theme WHERE block_id = ? ORDER BY position", (b["id"],)).fetchall():
            clusters = []
            for c in conn.execute("SELECT * FROM cluster WHERE theme_id = ? ORDER BY position", (t["id"],)).fetchall():
                examples = [
                    {
                        "intervention_id": e["intervention_id"], "explicit": bool(e["explicit"]),
                        "offered": bool(e["offered"]), "via_municipality": bool(e["via_municipality"]),
                        "trede": e["trede"], "trede_source": e["trede_source"],
                    }
                    for e in conn.execute(
                        "SELECT * FROM example_link WHERE cluster_id = ? ORDER BY position", (c["id"],)
                    )
                ]
                clusters.append(
                    {
                        "id": c["id"], "name": c["name"], "focus": c["focus"], "note": c["note"],
                        "subfactors": column(
                            "SELECT text FROM subfactor WHERE cluster_id = ? ORDER BY position", c["id"]
                        ),
                        "references": column(
                            "SELECT text FROM literature_reference WHERE cluster_id = ? ORDER BY position", c["id"]
                        ),
                        "intervention_types": column(
                            "SELECT type_code FROM cluster_type WHERE cluster_id = ? ORDER BY position", c["id"]
                        ),
                        "examples": examples,
                    }
                )
            themes.append({"id": t["id"], "name": t["name"], "clusters": clusters})
        blocks.append(
            {
                "id": b["id"], "number": b["number"], "name": b["name"], "description": b["description"],
                "risk_factors": column("SELECT text FROM risk_factor WHERE block_id = ? ORDER BY position", b["id"]),
                "themes": themes,
            }
        )
    document["blocks"] = blocks

    interventions = []
    for i in conn.execute("SELECT * FROM intervention ORDER BY sort_key").fetchall():
        facets: dict[str, list[dict[str, Any]]] = {}
        for f in conn.execute(
            "SELECT facet_key, value, derived FROM intervention_facet WHERE intervention_id = ? "
            "ORDER BY facet_key, value",
            (i["id"],),
        ):
            facets.setdefault(f["facet_key"], []).append({"value": f["value"], "derived": bool(f["derived"])})
        interventions.append(
            {
                "id": i["id"], "name": i["name"],
                "aliases": column("SELECT alias FROM alias WHERE intervention_id = ? ORDER BY alias", i["id"]),
                "type_text": i["type_text"], "offered": _bool(i["offered"]), "description": i["description"],
                "goal": i["goal"], "explicit": _bool(i["explicit"]), "target_group": i["target_group"],
                "provider": i["provider"], "trede": i["trede"], "trede_label": i["trede_label"],
                "trede_source": i["trede_source"], "evaluation": i["evaluation"], "source": i["source"],
                "links": column(
                    "SELECT url FROM intervention_link WHERE intervention_id = ? ORDER BY position", i["id"]
                ),
                "facets": facets,
            }
        )
    document["interventions"] = interventions

    document["intervention_types"] = [
        {
            "code": t.code, "name": t.name, "parent": t.parent, "description": t.description,
            "target_groups": t.target_groups, "factors": t.factors, "working_elements": t.working_elements,
            "preconditions": t.preconditions, "sources": t.sources,
            "examples": [{"name": name, "intervention_id": iid} for name, iid in t.examples],
        }
        for t in repo.intervention_types()
    ]
    document["effectladder"] = [
        {"trede": lv.trede, "name": lv.name, "explanation": lv.explanation} for lv in repo.effectladder()
    ]
    document["organisations"] = [
        {"id": r["id"], "name": r["name"], "url": r["url"], "group": r["grp"]}
        for r in conn.execute("SELECT * FROM organisation ORDER BY position")
    ]
    document["practice_examples"] = [
        {k: r[k] for k in ("id", "title", "for_whom", "summary", "parties", "contact")}
        for r in conn.execute("SELECT * FROM practice_example ORDER BY position")
    ]
    document["quickscan"] = [
        {
            "id": g["id"], "name": g["name"],
            "questions": [
                {"number": q["number"], "question": q["question"], "explanation": q["explanation"]}
                for q in conn.execute(
                    "SELECT * FROM quickscan_question WHERE group_id = ? ORDER BY number", (g["id"],)
                )
            ],
        }
        for g in conn.execute("SELECT * FROM quickscan_group ORDER BY position").fetchall()
    ]
    return document
