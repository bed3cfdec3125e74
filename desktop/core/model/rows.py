"""The model as rows per entity, and back: the one place that walks the model by its schema.

Every codec writes `flatten(model, entity)` rows in its own format and reads rows back into a model
with `assemble`. A row knows its parent's key and its position among its siblings, so order is kept
exactly; a reader records where each row came from (sheet or table, row number) for its messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop.core.model.entities import Model
from desktop.core.model.schema import ENTITIES, SCHEMA, Entity

Place = tuple[str | None, int | None]  # (sheet or table, row number)


@dataclass
class FlatRow:
    entity: Entity
    parent: Any  # the parent's key; None for a top-level entity
    position: int  # among its siblings
    values: dict[str, Any]
    obj: Any  # the dataclass object, the text (a text list), or None (a mapping)


def values_of(entity: Entity, obj: Any) -> dict[str, Any]:
    if entity.is_text_list:
        return {entity.fields[0].name: obj}
    return {f.name: getattr(obj, f.name) for f in entity.fields}


def containers(model: Model, entity: Entity) -> Iterator[tuple[Any, list[Any]]]:
    """(parent key, the list holding this entity's objects) for every parent, in model order."""
    if entity.container is None:
        yield None, getattr(model, entity.attr)
        return
    parent = ENTITIES[entity.container]
    for owner in objects(model, parent):
        yield getattr(owner, parent.key or ""), getattr(owner, entity.attr)


def objects(model: Model, entity: Entity) -> list[Any]:
    """Every object of an entity in model order."""
    return [obj for _key, items in containers(model, entity) for obj in items]


def flatten(model: Model, entity: Entity) -> Iterator[FlatRow]:
    if entity.mapping:
        for position, (key, value) in enumerate(getattr(model, entity.attr).items()):
            yield FlatRow(entity, None, position, {"key": key, "value": value}, None)
        return
    for parent_key, items in containers(model, entity):
        for position, obj in enumerate(items):
            yield FlatRow(entity, parent_key, position, values_of(entity, obj), obj)


# --- reading back -----------------------------------------------------------------------------------

@dataclass
class ReadRow:
    values: dict[str, Any]
    parent: Any = None  # the parent's key, as read
    place: Place = (None, None)


@dataclass
class Locator:
    """Where each part of a model read from a file came from, for messages that name sheet and row."""

    by_object: dict[int, Place] = field(default_factory=dict)
    by_position: dict[tuple[str, Any, int], Place] = field(default_factory=dict)
    by_key: dict[tuple[str, str], Place] = field(default_factory=dict)  # mapping entities: (entity, key)
    sheets: dict[str, str] = field(default_factory=dict)  # entity -> the sheet or table it was read from
    columns: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity, field) -> column as named
    missing: set[str] = field(default_factory=set)  # entities whose sheet or table was absent
    keep: list[Any] = field(default_factory=list)  # holds the located objects, so their ids stay unique

    def place(self, row: FlatRow) -> Place:
        if row.entity.mapping:
            return self.by_key.get((row.entity.name, str(row.values.get("key"))), (self.sheets.get(row.entity.name),
                                                                                    None))
        if row.entity.is_text_list:
            found = self.by_position.get((row.entity.name, row.parent, row.position))
        else:
            found = self.by_object.get(id(row.obj))
        return found or (self.sheets.get(row.entity.name), None)

    def column(self, entity: Entity, name: str) -> str:
        return self.columns.get((entity.name, name), name)


Orphan = Callable[[Entity, ReadRow], None]


def _make(entity: Entity, values: dict[str, Any]) -> Any:
    if entity.is_text_list:
        return values[entity.fields[0].name]
    assert entity.cls is not None
    return entity.cls(**{f.name: values.get(f.name) if f.kind != "list" else list(values.get(f.name) or [])
                         for f in entity.fields})


def assemble(rows: dict[str, list[ReadRow]], loc: Locator, orphan: Orphan | None = None) -> Model:
    """Build a model from rows per entity (in order). A row whose parent is unknown goes to `orphan`."""
    model = Model()
    keyed: dict[str, dict[Any, Any]] = {}
    for entity in SCHEMA:
        found = rows.get(entity.name, [])
        if entity.mapping:
            mapping: dict[str, str] = {}
            for row in found:
                key, value = row.values.get("key"), row.values.get("value")
                if key is None or value is None:
                    continue
                mapping.setdefault(str(key), str(value))
                loc.by_key.setdefault((entity.name, str(key)), row.place)
            setattr(model, entity.attr, mapping)
            continue
        index: dict[Any, Any] = {}
        counters: dict[Any, int] = {}
        top: list[Any] = []
        for row in found:
            obj = _make(entity, row.values)
            if entity.container is None:
                owner_list = top
                parent_key = None
            else:
                owner = keyed[entity.container].get(row.parent)
                if owner is None:
                    if orphan is not None:
                        orphan(entity, row)
                    continue
                owner_list = getattr(owner, entity.attr)
                parent_key = row.parent
            position = len(owner_list) if entity.container is not None else counters.get(None, 0)
            counters[None] = counters.get(None, 0) + 1
            owner_list.append(obj)
            if entity.is_text_list:
                loc.by_position[(entity.name, parent_key, position)] = row.place
            else:
                loc.by_object[id(obj)] = row.place
                loc.keep.append(obj)
            if entity.key is not None and entity.key_scope == "model":
                index.setdefault(row.values.get(entity.key), obj)
        if entity.container is None:
            if entity.sort_by is not None:
                top.sort(key=_sort_by_field(entity.sort_by))
            setattr(model, entity.attr, top)
        keyed[entity.name] = index
    return model


def _sort_by_field(field_name: str) -> Callable[[Any], tuple[bool, Any]]:
    """Sort key for top-level entities: by a field, empty values last."""
    def key(obj: Any) -> tuple[bool, Any]:
        value = getattr(obj, field_name)
        return (value is None, value or 0)
    return key
