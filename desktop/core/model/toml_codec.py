"""The curated model source in `data/` (TOML, see docs/data-format.md) read into a `Model`.

The files nest the way people think of the model: a bouwsteen file holds its themes, a theme its
beschermende factoren, a factor its examples. Each entity's fields and children come from the
schema; anything else in a record is reported (a typo must not silently drop a value). Every
problem is collected with the file and line, so an editor sees all mistakes at once.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.errors import ExpectedError
from desktop.core.model.checks import ProblemLog, check_model
from desktop.core.model.entities import Model
from desktop.core.model.rows import Locator, ReadRow, assemble
from desktop.core.model.schema import ENTITIES, Entity, children

# top-level entities: (file or glob in data/, array name in the file; None = one object per file)
FILES: dict[str, tuple[str, str | None]] = {
    "block": ("blocks/*.toml", None),
    "intervention": ("interventions/*.toml", "interventions"),
    "intervention_type": ("intervention_types.toml", "types"),
    "effect_level": ("effectladder.toml", "levels"),
    "facet": ("facets.toml", "facets"),
    "organisation": ("organisations.toml", "organisations"),
    "practice_example": ("practice_examples.toml", "examples"),
    "quickscan_group": ("quickscan.toml", "groups"),
    "background_source": ("background.toml", "sources"),
    "background_topic": ("background.toml", "topics"),
}
REQUIRED_FILES = ("model.toml", "intervention_types.toml", "effectladder.toml", "facets.toml")
FILE_KEYS = {"source"}  # a note on where a list file comes from; not part of the model
# file-level texts that go into the model's texts under these keys
FILE_TEXTS: dict[str, tuple[str, str]] = {
    "effectladder.toml": ("intro", "effectladder_intro"),
    "quickscan.toml": ("intro", "quickscan_intro"),
}


class SourceError(ExpectedError):
    """The curated source has problems; `problems` lists all of them."""

    def __init__(self, log: ProblemLog) -> None:
        self.problems = log.errors
        lines = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  … en nog {len(self.problems) - 50}" if len(self.problems) > 50 else ""
        count = len(self.problems)
        super().__init__(f"{count} {'probleem' if count == 1 else 'problemen'} in de brongegevens:\n{lines}{more}")


@dataclass
class _File:
    name: str  # relative to data/
    lines: list[str]

    def line_of(self, key: str, value: Any, start: int = 0) -> int | None:
        """The line (1-based) where `key = value` is written, for messages."""
        if value is None:
            return None
        text = f'"{value}"' if isinstance(value, str) else str(value)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=\s*{re.escape(text)}\s*(#.*)?$|[{{,]\s*{re.escape(key)}\s*="
                             rf"\s*{re.escape(text)}\s*[,}}]")
        for number in range(start, len(self.lines)):
            if pattern.search(self.lines[number]):
                return number + 1
        return None


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.log = ProblemLog("data", "bestand")
        self.loc = Locator()
        self.rows: dict[str, list[ReadRow]] = {}
        self._seen_files: set[str] = set()

    def problem(self, file: _File, message: str, line: int | None = None, field: str | None = None) -> None:
        self.log.error(message, file.name, line, field)

    def load(self, relative: str) -> tuple[_File, dict[str, Any]]:
        path = self.root / relative
        file = _File(relative, [])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            self.problem(file, f"niet te lezen ({exc.strerror})")
            return file, {}
        except UnicodeDecodeError:
            self.problem(file, "geen geldige UTF-8-tekst")
            return file, {}
        file.lines = text.splitlines()
        try:
            return file, tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.problem(file, f"geen geldige TOML: {exc}")
            return file, {}

    # --- values ------------------------------------------------------------------------------------
    def value(self, file: _File, line: int | None, entity: Entity, name: str, raw: Any, what: str) -> Any:
        f = entity.field(name)
        if raw is None:
            return None
        if f.kind == "text":
            if isinstance(raw, str):
                return raw.strip() or None
            self.problem(file, f"{what}: '{name}' moet tekst zijn", line, name)
        elif f.kind == "int":
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            self.problem(file, f"{what}: '{name}' moet een geheel getal zijn", line, name)
        elif f.kind == "flag":
            if isinstance(raw, bool):
                return raw
            self.problem(file, f"{what}: '{name}' moet true of false zijn", line, name)
        elif isinstance(raw, list) and all(isinstance(v, str) and v.strip() for v in raw):
            return [v.strip() for v in raw]
        else:
            self.problem(file, f"{what}: '{name}' moet een lijst met (niet-lege) teksten zijn", line, name)
        return [] if f.kind == "list" else None

    def record(self, file: _File, entity: Entity, table: Any, parent: Any, what: str, start: int = 0) -> None:
        """One object of `entity` (a TOML table, or a plain text for a text list) with its children."""
        if entity.is_text_list:
            if not isinstance(table, str) or not table.strip():
                self.problem(file, f"{what}: verwacht een (niet-lege) tekst")
                return
            self.rows.setdefault(entity.name, []).append(ReadRow({entity.fields[0].name: table.strip()}, parent,
                                                                 (file.name, None)))
            return
        if not isinstance(table, dict):
            self.problem(file, f"{what}: verwacht een tabel")
            return
        key_value = table.get(entity.key) if entity.key else None
        line = file.line_of(entity.key, key_value, start) if entity.key else None
        kids = {child.attr: child for child in children(entity.name)}
        known = {f.name for f in entity.fields} | set(kids)
        for name in table:
            if name not in known:
                self.problem(file, f"{what}: onbekend veld '{name}'", line, name)
        values = {f.name: self.value(file, line, entity, f.name, table.get(f.name), what) for f in entity.fields}
        self.rows.setdefault(entity.name, []).append(ReadRow(values, parent, (file.name, line)))
        own_key = values.get(entity.key) if entity.key else None
        for attr, child in kids.items():
            raw = table.get(attr)
            if raw is None:
                continue
            label = f"{what}, {child.plural}"
            if child.toml_keyed:
                if not isinstance(raw, dict):
                    self.problem(file, f"{label}: verwacht een tabel per {child.field(child.key or '').dutch}")
                    continue
                for key, sub in raw.items():
                    item = {child.key: key, **sub} if isinstance(sub, dict) else sub
                    self.record(file, child, item, own_key, f"{label} '{key}'", (line or 1) - 1)
                continue
            if not isinstance(raw, list):
                self.problem(file, f"{label}: verwacht een lijst", line, attr)
                continue
            for index, item in enumerate(raw, start=1):
                self.record(file, child, item, own_key, f"{label} {index}", (line or 1) - 1)

    # --- files -------------------------------------------------------------------------------------
    def _file_level(self, file: _File, relative: str, data: dict[str, Any]) -> None:
        """The keys beside a file's lists: a source note, an intro text; anything else is a mistake
        (a misspelt list name would otherwise leave the list silently empty)."""
        if relative in self._seen_files:
            return
        self._seen_files.add(relative)
        arrays = {array for pattern, array in FILES.values() if array and fnmatch.fnmatch(relative, pattern)}
        text_key = FILE_TEXTS.get(relative)
        for key, value in data.items():
            if key in arrays or key in FILE_KEYS:
                continue
            if text_key is not None and key == text_key[0] and isinstance(value, str):
                place = (relative, self.line_of_key(file, key))
                self.rows.setdefault("text", []).append(ReadRow({"key": text_key[1], "value": value.strip()}, None,
                                                                place))
                continue
            expected = ", ".join(sorted(arrays | FILE_KEYS | ({text_key[0]} if text_key else set())))
            self.problem(file, f"onbekende sleutel '{key}' (verwacht: {expected})", self.line_of_key(file, key), key)

    @staticmethod
    def line_of_key(file: _File, key: str) -> int | None:
        for number, line in enumerate(file.lines, start=1):
            stripped = line.lstrip()
            if stripped.startswith((f"{key} ", f"{key}=", f"[[{key}]]", f"[{key}]")):
                return number
        return None

    def read(self) -> tuple[Model, Locator, ProblemLog]:
        for name in REQUIRED_FILES:
            if not (self.root / name).exists():
                self.log.error("ontbreekt", name)
        model_file, model_toml = self.load("model.toml") if (self.root / "model.toml").exists() else (None, {})
        for entity_name, table_name in (("meta", "meta"), ("text", "texts")):
            table = model_toml.get(table_name, {})
            if not isinstance(table, dict):
                assert model_file is not None
                self.problem(model_file, f"[{table_name}] moet een tabel zijn")
                continue
            for key, value in table.items():
                self.rows.setdefault(entity_name, []).append(
                    ReadRow({"key": key, "value": str(value).strip()}, None, ("model.toml", None)))
        for entity_name, (pattern, array) in FILES.items():
            entity = ENTITIES[entity_name]
            paths = sorted(self.root.glob(pattern)) if "*" in pattern else [self.root / pattern]
            for path in paths:
                if not path.exists():
                    continue
                relative = path.relative_to(self.root).as_posix()
                file, data = self.load(relative)
                self.loc.sheets.setdefault(entity_name, relative)
                if array is None:  # one object per file (a bouwsteen): every key is the object's own
                    self.record(file, entity, data, None, entity.label)
                    continue
                self._file_level(file, relative, data)
                items = data.get(array, [])
                if not isinstance(items, list):
                    self.problem(file, f"'{array}' moet een lijst met tabellen zijn")
                    continue
                for index, item in enumerate(items, start=1):
                    label = item.get(entity.key, index) if isinstance(item, dict) and entity.key else index
                    self.record(file, entity, item, None, f"{entity.label} {label}")
        for entity in ENTITIES.values():
            self.loc.columns.update({(entity.name, f.name): f.name for f in entity.fields})
        for entity_name in ("meta", "text"):  # one key, one value: a second one would silently win
            first: dict[str, str] = {}
            for row in self.rows.get(entity_name, []):
                key, where = str(row.values.get("key")), row.place[0] or "model.toml"
                if key in first:
                    self.log.error(f"sleutel '{key}' komt twee keer voor (ook in {first[key]})", where, row.place[1])
                first.setdefault(key, where)

        def orphan(entity: Entity, row: ReadRow) -> None:
            self.log.error(f"{entity.label} hoort bij een onbekende {ENTITIES[entity.container or ''].label} "
                           f"'{row.parent}'", row.place[0], row.place[1])

        model = assemble(self.rows, self.loc, orphan)
        return model, self.loc, self.log


def read_data(root: Path) -> tuple[Model, Locator, ProblemLog]:
    """Read `data/` and check the model; problems are in the returned log (nothing raised)."""
    model, loc, log = _Reader(root).read()
    if not log.errors:
        check_model(model, log, loc)
    return model, loc, log


def load_source(root: Path) -> Model:
    """The checked model from `data/`; raises SourceError listing every problem."""
    model, _loc, log = read_data(root)
    if log.errors:
        raise SourceError(log)
    return model
