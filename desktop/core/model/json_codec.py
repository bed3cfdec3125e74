"""The whole model as one JSON document (shape in docs/json-export.md), and back.

The document nests like the model: `blocks` hold `themes`, themes hold `clusters`, an intervention
holds its `aliases`, `links` and `facets` (each with the values, their basis — "rapport" when the
report states them, "redactie" when they are an editorial judgement — and the rationale). Unknown
values are `null`, never invented.
"""

from __future__ import annotations

from typing import Any

from desktop.core.model.entities import Model
from desktop.core.model.rows import Locator, ReadRow, assemble
from desktop.core.model.schema import SCHEMA, Entity, children

DOCUMENT_VERSION = 2


def _object(entity: Entity, obj: Any) -> Any:
    if entity.is_text_list:
        return obj
    document = {f.name: getattr(obj, f.name) for f in entity.fields}
    for child in children(entity.name):
        document[child.attr] = [_object(child, item) for item in getattr(obj, child.attr)]
    return document


def model_document(model: Model) -> dict[str, Any]:
    document: dict[str, Any] = {"format": DOCUMENT_VERSION}
    for entity in children(None):
        if entity.mapping:
            document[entity.attr] = dict(getattr(model, entity.attr))
        else:
            document[entity.attr] = [_object(entity, obj) for obj in getattr(model, entity.attr)]
    return document


def read_document(document: dict[str, Any]) -> Model:
    """A model from a document written by `model_document` (trusted: our own export)."""
    rows: dict[str, list[ReadRow]] = {}

    def walk(entity: Entity, items: list[Any], parent: Any) -> None:
        for item in items:
            if entity.is_text_list:
                rows.setdefault(entity.name, []).append(ReadRow({entity.fields[0].name: item}, parent))
                continue
            values = {f.name: item.get(f.name) for f in entity.fields}
            rows.setdefault(entity.name, []).append(ReadRow(values, parent))
            for child in children(entity.name):
                walk(child, item.get(child.attr, []), values.get(entity.key or ""))

    for entity in SCHEMA:
        if entity.container is not None:
            continue
        if entity.mapping:
            rows[entity.name] = [ReadRow({"key": k, "value": v}) for k, v in document.get(entity.attr, {}).items()]
        else:
            walk(entity, document.get(entity.attr, []), None)
    return assemble(rows, Locator())
