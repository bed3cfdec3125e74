"""What changes between two models, field by field, in plain Dutch: the update preview.

Every entity with its own id (bouwsteen, thema, beschermende factor, interventie, …) is matched by id
and reported as added, removed or changed. Everything held by such an entity (sub-factors, examples
with their flags, links, werkzame elementen, facet values, …) is reported as a change of its owner.
A changed order is reported wherever the order means something to a reader.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from desktop.core.model.entities import Model
from desktop.core.model.rows import containers, values_of
from desktop.core.model.schema import ENTITIES, META_LABELS, SCHEMA, Entity, children
from desktop.core.text import shorten

TEXT_LABELS = {
    "risk_factor_warning": "waarschuwing bij de risicofactoren",
    "model_purpose": "doel van het model",
    "selection_note": "kanttekening bij de selectie van interventies",
    "trede_note": "toelichting bij de treden",
    "effectladder_intro": "inleiding op de effectladder",
}
ADDED, REMOVED, CHANGED, REORDERED = "toegevoegd", "verwijderd", "gewijzigd", "volgorde gewijzigd"
WIDTH = 70


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    def __str__(self) -> str:
        if not self.old:
            return f"{self.label}: {self.new}"
        if not self.new:
            return f"{self.label}: {self.old}"
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class Change:
    entity: str  # schema name
    kind: str  # ADDED | REMOVED | CHANGED | REORDERED
    key: str
    name: str
    context: str = ""
    fields: list[FieldChange] = field(default_factory=list)

    def title(self) -> str:
        label = ENTITIES[self.entity].label if self.entity in ENTITIES else self.entity
        where = f" ({self.context})" if self.context else ""
        return f"{label[:1].upper()}{label[1:]} ‘{self.name}’{where}"


@dataclass
class ModelDiff:
    meta: list[FieldChange] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True only when every entity and text is equal (the version may still differ: see `meta`)."""
        return not self.changes

    def of(self, entity: str, kind: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.entity == entity and (kind is None or c.kind == kind)]

    def summary(self) -> list[str]:
        """One Dutch line per kind of thing that changes, e.g. 'interventies: 2 toegevoegd, 1 gewijzigd'."""
        lines = []
        for entity in SCHEMA:
            found = self.of(entity.name)
            if not found:
                continue
            counts = Counter(c.kind for c in found)
            parts = [f"{counts[k]} {k}" for k in (ADDED, CHANGED, REMOVED) if counts[k]]
            if counts[REORDERED]:
                parts.append("volgorde gewijzigd")
            lines.append(f"{entity.plural}: {', '.join(parts)}")
        return lines


def show(value: Any) -> str:
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return shorten("; ".join(str(v) for v in value), WIDTH * 2) if value else "(geen)"
    return shorten(str(value), WIDTH)


def show_pair(old: Any, new: Any) -> tuple[str, str]:
    """Two values as text; long texts show the part where they start to differ."""
    if not (isinstance(old, str) and isinstance(new, str)) or (len(old) <= WIDTH and len(new) <= WIDTH):
        return show(old), show(new)
    a, b = " ".join(old.split()), " ".join(new.split())
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    begin = max(0, start - 25)

    def cut(text: str) -> str:
        part = text[begin: begin + WIDTH - 2]
        return ("…" if begin else "") + part + ("…" if begin + WIDTH - 2 < len(text) else "")

    return cut(a), cut(b)


class _Differ:
    def __init__(self, old: Model, new: Model) -> None:
        self.old, self.new = old, new
        self.result = ModelDiff()
        self.by_owner: dict[tuple[str, Any], Change] = {}
        self.names_old = self._names(old)
        self.names_new = self._names(new)

    @staticmethod
    def _names(model: Model) -> dict[str, dict[Any, str]]:
        found: dict[str, dict[Any, str]] = {}
        for entity in SCHEMA:
            if entity.key and entity.key_scope == "model" and not entity.mapping:
                found[entity.name] = {getattr(o, entity.key): entity.display(o)
                                      for _p, items in containers(model, entity) for o in items}
        return found

    def name_of(self, entity: str, key: Any) -> str:
        return self.names_new.get(entity, {}).get(key) or self.names_old.get(entity, {}).get(key) or str(key)

    def context(self, entity: Entity, parent: Any) -> str:
        if entity.container is None or parent is None:
            return ""
        container = ENTITIES[entity.container]
        text = f"{container.label} {self.name_of(container.name, parent)}"
        if container.container is not None:
            model = self.new if parent in self.names_new.get(container.name, {}) else self.old
            for grand, items in containers(model, container):
                if any(getattr(o, container.key or "") == parent for o in items):
                    text += f" · {ENTITIES[container.container].label} {self.name_of(container.container, grand)}"
                    break
        return text

    def owner_change(self, entity: Entity, key: Any, parent: Any) -> Change:
        found = self.by_owner.get((entity.name, key))
        if found is None:
            found = Change(entity.name, CHANGED, str(key), self.name_of(entity.name, key), self.context(entity, parent))
            self.by_owner[(entity.name, key)] = found
            self.result.changes.append(found)
        return found

    def run(self) -> ModelDiff:
        self._mapping()
        for entity in SCHEMA:
            if entity.key and entity.key_scope == "model" and not entity.mapping:
                self._keyed(entity)
        self.result.changes = [c for c in self.result.changes if c.kind != CHANGED or c.fields]
        order = {e.name: i for i, e in enumerate(SCHEMA)}
        self.result.changes.sort(key=lambda c: order.get(c.entity, 99))
        return self.result

    def _mapping(self) -> None:
        for key in dict.fromkeys([*self.old.meta, *self.new.meta]):
            before, after = self.old.meta.get(key), self.new.meta.get(key)
            if before != after:
                self.result.meta.append(FieldChange(META_LABELS.get(key, key), show(before), show(after)))
        for key in dict.fromkeys([*self.old.texts, *self.new.texts]):
            before, after = self.old.texts.get(key), self.new.texts.get(key)
            if before == after:
                continue
            kind = ADDED if before is None else REMOVED if after is None else CHANGED
            change = Change("text", kind, key, TEXT_LABELS.get(key, key))
            if kind == CHANGED:
                old_text, new_text = show_pair(before, after)
                change.fields.append(FieldChange("tekst", old_text, new_text))
            self.result.changes.append(change)

    def _keyed(self, entity: Entity) -> None:
        key = entity.key or ""

        def index(model: Model) -> dict[Any, tuple[Any, Any, int]]:
            return {getattr(o, key): (o, parent, pos) for parent, items in containers(model, entity)
                    for pos, o in enumerate(items)}

        old, new = index(self.old), index(self.new)
        for k, (obj, parent, _pos) in new.items():
            if k not in old:
                self.result.changes.append(Change(entity.name, ADDED, str(k), entity.display(obj),
                                                  self.context(entity, parent)))
        for k, (obj, parent, _pos) in old.items():
            if k not in new:
                self.result.changes.append(Change(entity.name, REMOVED, str(k), entity.display(obj),
                                                  self.context(entity, parent)))
        for k, (after, parent, _pos) in new.items():
            if k not in old:
                continue
            before, old_parent, _ = old[k]
            fields: list[FieldChange] = []
            if old_parent != parent and entity.container is not None:
                container = ENTITIES[entity.container]
                fields.append(FieldChange(f"{container.label} (verplaatst)",
                                          self.name_of(container.name, old_parent),
                                          self.name_of(container.name, parent)))
            for f in entity.fields:
                a, b = getattr(before, f.name), getattr(after, f.name)
                if a != b:
                    shown = show_pair(a, b)
                    fields.append(FieldChange(f.dutch, *shown))
            if fields:
                self.owner_change(entity, k, parent).fields.extend(fields)
            for child in children(entity.name):
                if child.key is not None and child.key_scope == "model":
                    continue  # an entity of its own: matched by its id everywhere in the model
                self._children(entity, k, parent, child, getattr(before, child.attr), getattr(after, child.attr))
        if entity.ordered:
            self._order(entity, old, new)

    def _order(self, entity: Entity, old: dict[Any, tuple[Any, Any, int]],
               new: dict[Any, tuple[Any, Any, int]]) -> None:
        if entity.sort_by is not None:
            return  # the order follows a field (e.g. the number of a bouwsteen), reported as that field
        parents: dict[Any, list[Any]] = {}
        for k, (_o, parent, pos) in sorted(new.items(), key=lambda item: item[1][2]):
            if k in old and old[k][1] == parent:
                parents.setdefault(parent, []).append((pos, k))
        for parent, items in parents.items():
            now = [k for _pos, k in sorted(items)]
            before = sorted(now, key=lambda k: old[k][2])
            if now == before:
                continue
            label = f"volgorde van de {entity.plural}"
            change = FieldChange(label, show([self.name_of(entity.name, k) for k in before]),
                                 show([self.name_of(entity.name, k) for k in now]))
            if entity.container is None:
                self.result.changes.append(Change(entity.name, REORDERED, "", entity.plural, "", [change]))
            else:
                container = ENTITIES[entity.container]
                grand = next((p for p, objs in containers(self.new, container)
                              if any(getattr(o, container.key or "") == parent for o in objs)), None)
                self.owner_change(container, parent, grand).fields.append(change)

    def _children(self, owner: Entity, key: Any, parent: Any, child: Entity, before: list[Any],
                  after: list[Any]) -> None:
        if before == after:
            return
        fields: list[FieldChange] = []
        if child.key is not None and child.key_scope == "parent":
            fields = self._keyed_children(child, before, after)
        else:
            fields = self._list_children(child, before, after)
        if fields:
            self.owner_change(owner, key, parent).fields.extend(fields)

    def _keyed_children(self, child: Entity, before: list[Any], after: list[Any]) -> list[FieldChange]:
        ck = child.key or ""
        old = {getattr(o, ck): o for o in before}
        new = {getattr(o, ck): o for o in after}
        fields: list[FieldChange] = []
        ref = child.field(ck).ref

        def label_of(k: Any) -> str:
            return self.name_of(ref, k) if ref else str(k)

        for k, obj in new.items():
            if k not in old:
                fields.append(FieldChange(f"{child.label} toegevoegd", "", self._describe(child, obj, label_of(k))))
        for k, obj in old.items():
            if k not in new:
                fields.append(FieldChange(f"{child.label} verwijderd", self._describe(child, obj, label_of(k)), ""))
        for k, obj in new.items():
            if k in old:
                for f in child.fields:
                    a, b = getattr(old[k], f.name), getattr(obj, f.name)
                    if a != b:
                        fields.append(FieldChange(f"{child.label} ‘{label_of(k)}’: {f.dutch}", *show_pair(a, b)))
        common_new = [k for k in new if k in old]
        common_old = [k for k in old if k in new]
        if child.ordered and common_new != common_old:
            fields.append(FieldChange(f"volgorde van de {child.plural}", show([label_of(k) for k in common_old]),
                                      show([label_of(k) for k in common_new])))
        return fields

    def _describe(self, child: Entity, obj: Any, name: str) -> str:
        extra = []
        for f in child.fields:
            value = getattr(obj, f.name)
            if f.name == child.key or value is None or value == []:
                continue
            extra.append(f"{f.dutch} {show(value)}")
        return name + (f" ({', '.join(extra)})" if extra else "")

    def _list_children(self, child: Entity, before: list[Any], after: list[Any]) -> list[FieldChange]:
        def token(obj: Any) -> Any:
            return obj if child.is_text_list else tuple(str(v) for v in values_of(child, obj).values())

        def label(obj: Any) -> str:
            return shorten(child.display(obj), WIDTH)

        old_tokens, new_tokens = Counter(map(token, before)), Counter(map(token, after))
        fields: list[FieldChange] = []
        for obj in after:
            if new_tokens[token(obj)] > old_tokens[token(obj)]:
                fields.append(FieldChange(f"{child.label} toegevoegd", "", label(obj)))
                old_tokens[token(obj)] += 1
        old_tokens, new_tokens = Counter(map(token, before)), Counter(map(token, after))
        for obj in before:
            if old_tokens[token(obj)] > new_tokens[token(obj)]:
                fields.append(FieldChange(f"{child.label} verwijderd", label(obj), ""))
                new_tokens[token(obj)] += 1
        if not fields and child.ordered:
            fields.append(FieldChange(f"volgorde van de {child.plural}", "", "gewijzigd"))
        return fields


def diff_models(old: Model, new: Model) -> ModelDiff:
    return _Differ(old, new).run()
