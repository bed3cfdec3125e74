"""Full-text search (SQLite FTS5) combined with filters, the tree selection and counts per filter value.

The text part runs in SQLite: every user string is reduced to quoted words, so no input can cause an
FTS5 syntax error; words match as prefixes (results while typing), accents are ignored by the
tokenizer, a part between double quotes is a phrase. The filter part runs in memory over small sets
of integers loaded once from the index tables: one keystroke costs one FTS query and a few set
intersections, and the count beside every filter value is a set intersection too (OR within a
filter, AND across filters), so counts never repeat the search.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload

from desktop.core.model.model_file import SEARCH_COLUMNS, TYPE_FACET
from desktop.core.text import fold

MAX_TERMS = 16
TEXT_CACHE = 8  # text searches remembered: the list, the counts and the note counts of one keystroke share one
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")
SCOPES = ("block", "theme", "cluster", "unlinked")
_BM25 = "bm25(intervention_fts, " + ", ".join(str(w) for _n, w, _l in SEARCH_COLUMNS) + ")"
FLAGS = ("offered", "explicit", "via_municipality")


@dataclass
class Filters:
    """Every filter the user can set. Empty / None means 'not filtered'."""

    types: set[str] = field(default_factory=set)
    min_trede: int | None = None
    offered: bool | None = None
    explicit: bool | None = None
    via_municipality: bool | None = None
    facets: dict[str, set[str]] = field(default_factory=dict)
    scope: tuple[str, str] | None = None  # ("block" | "theme" | "cluster", id) or ("unlinked", "")
    only_ids: set[str] | None = None  # e.g. the interventions with one of "my notes" statuses

    def is_empty(self) -> bool:
        return (
            not self.types and self.min_trede is None and self.offered is None and self.explicit is None
            and self.via_municipality is None and not any(self.facets.values()) and self.only_ids is None
        )


def query_terms(text: str) -> list[str]:
    """The folded words of a query (used for highlighting as well)."""
    words = [fold(w)[:MAX_TERM_LENGTH] for w in _WORD.findall(text)]
    return [w for w in words if w][:MAX_TERMS]


def fts_expression(text: str) -> str | None:
    """Turn user text into a safe FTS5 MATCH expression, or None when it holds no words."""
    parts: list[str] = []
    segments = text[: MAX_TERMS * (MAX_TERM_LENGTH + 2) * 4].split('"')
    for index, segment in enumerate(segments):
        words = query_terms(segment)
        if not words:
            continue
        in_quotes = index % 2 == 1 and index < len(segments) - 1
        if in_quotes and len(words) > 1:
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"*' for w in words)
        if len(parts) >= MAX_TERMS:
            break
    return " ".join(parts[:MAX_TERMS]) or None


@dataclass
class FacetCount:
    value: str
    label: str
    count: int


NodeCounts = dict[tuple[str, str], tuple[int, int, int]]
"""(kind, id) of a tree node -> (interventions, with a trede, offered now) below it."""


def _ids_in_order(conn: sqlite3.Connection) -> Iterator[str]:
    """Every id in num (alphabetical) order, in one query."""
    rows = conn.cursor()
    rows.row_factory = None  # plain tuples: a sqlite3.Row per id costs twice as much with 30,000 of them
    return (iid for (iid,) in rows.execute("SELECT id FROM intervention_index ORDER BY num"))


class AlphabeticalIds(Sequence[str]):
    """Every intervention id in alphabetical order, read from the index a page at a time (the list as the window
    opens shows a screenful of them; reading 30,000 ids first cost more than the rest of the list).

    The index numbers the interventions 1..n in alphabetical order, so row i is num i + 1. Iterating or copying
    it reads every id in one query; the list model keeps it as it is."""

    PAGE = 256

    def __init__(self, conn: sqlite3.Connection, count: int) -> None:
        self._conn = conn
        self._count = count
        self._pages: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, row: int) -> str: ...

    @overload
    def __getitem__(self, row: slice) -> list[str]: ...

    def __getitem__(self, row: int | slice) -> str | list[str]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(self._count))]
        if row < 0:
            row += self._count
        if not 0 <= row < self._count:
            raise IndexError(row)
        number, offset = divmod(row, self.PAGE)
        page = self._pages.get(number)
        if page is None:
            first = number * self.PAGE + 1
            page = self._pages[number] = [r[0] for r in self._conn.execute(
                "SELECT id FROM intervention_index WHERE num BETWEEN ? AND ? ORDER BY num",
                (first, first + self.PAGE - 1))]
        return page[offset]

    def __iter__(self) -> Iterator[str]:
        return _ids_in_order(self._conn)

    def __contains__(self, value: object) -> bool:
        return self._num(value) is not None

    def __eq__(self, other: object) -> bool:  # equal to a list of the same ids, as a search's list is
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._count and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking and compared by value, like a list

    def __repr__(self) -> str:
        return f"AlphabeticalIds({self._count} ids)"

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        num = self._num(value)
        row = -1 if num is None else num - 1
        if not max(start, 0) <= row < (self._count if stop is None else min(stop, self._count)):
            raise ValueError(f"{value!r} is not in the list")
        return row

    def _num(self, value: object) -> int | None:
        if not isinstance(value, str):
            return None
        found = self._conn.execute("SELECT num FROM intervention_index WHERE id = ?", (value,)).fetchone()
        return int(found[0]) if found is not None else None


class SearchIndex:
    """The sets every filter needs, loaded once from a model database (read-only, small integers)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # everything is loaded on first use: the window's first paint needs only the ids in alphabetical
        # order (`alphabetical`), the filters' sets and the nums load while it is idle afterwards
        self._types: dict[frozenset[str], frozenset[int]] = {}
        self._texts: dict[str, list[int]] = {}  # FTS expression -> ranked nums, the most recent last

    @cached_property
    def ids(self) -> dict[int, str]:
        """num -> id."""
        return dict(self.conn.execute("SELECT num, id FROM intervention_index ORDER BY num"))

    @cached_property
    def order(self) -> list[int]:
        """Every num in alphabetical order."""
        return list(self.ids)

    @cached_property
    def all(self) -> frozenset[int]:
        return frozenset(self.order)

    def alphabetical(self) -> Sequence[str]:
        """Every id in alphabetical order (a search without text and filter: the list as the window opens,
        read a page at a time while the nums are not loaded)."""
        if "ids" in vars(self):
            return list(self.ids.values())
        # two queries: each alone is a look-up in SQLite, both in one query a scan
        count = self.conn.execute("SELECT count(*) FROM intervention_index").fetchone()[0]
        last = self.conn.execute("SELECT max(num) FROM intervention_index").fetchone()[0]
        if count and count == last:  # numbered 1..n, as the index is written
            return AlphabeticalIds(self.conn, count)
        return list(_ids_in_order(self.conn))

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` that are interventions of this model (e.g. the notes' ids: a few, not every id)."""
        wanted = list(dict.fromkeys(ids))
        if "ids" in vars(self):
            return {i for i in wanted if i in self.nums}
        known: set[str] = set()
        for start in range(0, len(wanted), 500):  # far below SQLite's limit of bound parameters
            part = wanted[start:start + 500]
            known.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM intervention_index WHERE id IN ({', '.join('?' for _ in part)})", part))
        return known

    @cached_property
    def nums(self) -> dict[str, int]:
        """id -> num (for the notes' ids and an older model file's flags)."""
        return {iid: num for num, iid in self.ids.items()}

    @cached_property
    def unlinked(self) -> frozenset[int]:
        return frozenset(r[0] for r in self.conn.execute("SELECT num FROM intervention_index WHERE linked = 0"))

    @staticmethod
    def _nums(listed: str | None) -> frozenset[int]:
        """The nums of a `group_concat(num)`: sets are built in SQLite and C, not one row at a time in Python."""
        return frozenset(map(int, listed.split(","))) if listed else frozenset()

    @cached_property
    def _flags_in_index(self) -> bool:
        """Whether `intervention_index` has trede, offered and explicit (model files of this version do)."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(intervention_index)")}
        return {"trede", "offered", "explicit"} <= columns

    @cached_property
    def _flag_rows(self) -> list[tuple[int, int, int | None, int | None, int | None]]:
        """(num, via_municipality, trede, offered, explicit) in num order, from the narrow index table. A model
        file written before those columns were copied there is read with two sequential scans (looking up
        each intervention by id in its wide table costs twice as much)."""
        if self._flags_in_index:
            return self.conn.execute("SELECT num, via_municipality, trede, offered, explicit FROM intervention_index "
                                     "ORDER BY num").fetchall()
        via: dict[int, int] = dict(self.conn.execute("SELECT num, via_municipality FROM intervention_index"))
        rows = []
        for iid, trede, offered, explicit in self.conn.execute("SELECT id, trede, offered, explicit FROM intervention"):
            num = self.nums.get(iid)
            if num is not None:
                rows.append((num, via[num], trede, offered, explicit))
        rows.sort()
        return rows

    @cached_property
    def trede(self) -> dict[int, int]:
        return {r[0]: r[2] for r in self._flag_rows if r[2] is not None}

    @cached_property
    def flags(self) -> dict[str, dict[bool, frozenset[int]]]:
        rows = self._flag_rows
        return {
            "via_municipality": {True: frozenset(r[0] for r in rows if r[1]),
                                 False: frozenset(r[0] for r in rows if not r[1])},
            "offered": {True: frozenset(r[0] for r in rows if r[3] == 1),
                        False: frozenset(r[0] for r in rows if r[3] == 0)},
            "explicit": {True: frozenset(r[0] for r in rows if r[4] == 1),
                         False: frozenset(r[0] for r in rows if r[4] == 0)},
        }

    @cached_property
    def trede_at_least(self) -> dict[int, frozenset[int]]:
        """Trede at least 0..5: one set per level, so a filter or a count is one set operation."""
        return {level: frozenset(n for n, t in self.trede.items() if t >= level) for level in range(6)}

    @cached_property
    def values(self) -> dict[tuple[str, str], frozenset[int]]:
        return {(facet, value): self._nums(nums) for facet, value, nums in self.conn.execute(
            "SELECT facet, value, group_concat(num) FROM facet_index GROUP BY facet, value")}

    @cached_property
    def scopes(self) -> dict[tuple[str, str], frozenset[int]]:
        """The interventions below each bouwsteen, thema and beschermende factor (distinct), and the unlinked."""
        found: dict[tuple[str, str], frozenset[int]] = {}
        themes: dict[str, list[frozenset[int]]] = {}
        blocks: dict[str, list[frozenset[int]]] = {}
        for cluster, theme, block, nums in self.conn.execute(
            "SELECT e.cluster_id, c.theme_id, t.block_id, group_concat(x.num) FROM example e "
            "JOIN cluster c ON c.id = e.cluster_id JOIN theme t ON t.id = c.theme_id "
            "JOIN intervention_index x ON x.id = e.intervention GROUP BY e.cluster_id"
        ):
            members = self._nums(nums)
            found[("cluster", cluster)] = members
            themes.setdefault(theme, []).append(members)
            blocks.setdefault(block, []).append(members)
        for kind, parts in (("theme", themes), ("block", blocks)):
            for key, sets in parts.items():
                found[(kind, key)] = frozenset().union(*sets)
        found[("unlinked", "")] = self.unlinked
        return found

    @cached_property
    def node_counts(self) -> NodeCounts:
        """(interventions, with a trede, offered now) below each bouwsteen, thema, beschermende factor and
        ("unlinked", ""); a node without examples is absent. Read from the table the model file stores them
        in, so a start-up loads no sets; a file written before that table computes them from the sets."""
        try:
            rows = self.conn.execute("SELECT kind, key, interventions, with_trede, offered FROM node_count").fetchall()
        except sqlite3.OperationalError:  # no such table
            return self.counted_nodes()
        return {(kind, key): (n, trede, offered) for kind, key, n, trede, offered in rows}

    def counted_nodes(self) -> NodeCounts:
        """`node_counts` from the scope, trede and offered sets the filters use."""
        with_trede = frozenset(self.trede)
        offered = self.flags["offered"][True]
        return {key: (len(members), len(members & with_trede), len(members & offered))
                for key, members in self.scopes.items() if members}

    def warm_up_steps(self) -> list[Callable[[], object]]:
        """Loading the filters' sets, in steps of at most a few tens of milliseconds (30,000 interventions):
        done while the window is idle after it opened, the first filter or pause in typing finds them ready."""
        return [lambda: self.all, lambda: self.values, lambda: self.flags, lambda: self.trede_at_least,
                lambda: self.scopes]

    # --- the parts of a search ----------------------------------------------------------------------
    def text_matches(self, text: str) -> list[int] | None:
        """Nums matching the text, best first; None when the text holds no words (everything matches)."""
        expression = fts_expression(text)
        if expression is None:
            return None
        cached = self._texts.pop(expression, None)
        if cached is None:
            try:
                # row by row, not fetchall(): each row tuple is freed at once, so thousands of them never
                # trigger a collection of the garbage collector (tens of milliseconds with a large model)
                cached = [r[0] for r in self.conn.execute(
                    f"SELECT rowid FROM intervention_fts WHERE intervention_fts MATCH ? ORDER BY {_BM25}, rowid",
                    (expression,),
                )]
            except sqlite3.OperationalError:
                return []  # defensive: the expression is built to be valid; never fail while the user types
        self._texts[expression] = cached  # the model is read-only: a result stays valid as long as the index
        while len(self._texts) > TEXT_CACHE:
            del self._texts[next(iter(self._texts))]
        return list(cached)

    def _type_set(self, codes: set[str]) -> frozenset[int]:
        key = frozenset(codes)
        found = self._types.get(key)
        if found is None:
            nums: set[int] = set()
            for (facet, value), members in self.values.items():
                if facet == TYPE_FACET and any(value == c or value.startswith(c + ".") for c in codes):
                    nums |= members  # a main type also matches its subtypes (1 -> 1.1, 1.2, 1.3)
            found = self._types[key] = frozenset(nums)
        return found

    def filter_sets(self, filters: Filters) -> dict[str, frozenset[int]]:
        """One set per active filter (name -> the nums it allows)."""
        sets: dict[str, frozenset[int]] = {}
        if filters.scope is not None:
            sets["scope"] = self.scopes.get(filters.scope, frozenset())
        if filters.types:
            sets["type"] = self._type_set(filters.types)
        if filters.min_trede is not None:
            level = filters.min_trede
            sets["min_trede"] = (self.trede_at_least[level] if level in self.trede_at_least
                                 else frozenset(n for n, t in self.trede.items() if t >= level))
        for flag in FLAGS:
            wanted = getattr(filters, flag)
            if wanted is not None:
                sets[flag] = self.flags[flag][bool(wanted)]
        for key, values in filters.facets.items():
            if values:
                members: set[int] = set()
                for value in values:
                    members |= self.values.get((key, value), frozenset())
                sets[f"facet:{key}"] = frozenset(members)
        if filters.only_ids is not None:
            sets["notes"] = frozenset(self.nums[i] for i in filters.only_ids if i in self.nums)
        return sets

    def _intersect(self, base: frozenset[int], sets: dict[str, frozenset[int]], skip: str | None = None
                   ) -> frozenset[int]:
        result = base
        for name, members in sorted(sets.items(), key=lambda item: len(item[1])):
            if name != skip:
                result = members if result is self.all else result & members  # every num is in `all`
        return result

    # --- searching ------------------------------------------------------------------------------------
    def search(self, text: str = "", filters: Filters | None = None) -> Sequence[str]:
        """Ids of the matching interventions: best text match first, else alphabetical."""
        filters = filters or Filters()
        ranked = self.text_matches(text)
        if ranked is None and filters.is_empty() and filters.scope is None:
            return self.alphabetical()
        allowed = self._intersect(self.all, self.filter_sets(filters))
        order = self.order if ranked is None else ranked
        return [self.ids[n] for n in order if n in allowed]

    def counts(self, text: str, filters: Filters, facets: list[tuple[str, list[tuple[str, str]]]]
               ) -> tuple[dict[str, list[FacetCount]], dict[str, dict[Any, int]]]:
        """How many results each filter value would give, with every other filter as it is."""
        ranked = self.text_matches(text)
        if ranked is None and filters.is_empty() and filters.scope is None and not self._sets_loaded():
            whole = self._whole_model_counts(facets)
            if whole is not None:
                return whole
        base = self.all if ranked is None else frozenset(ranked)
        sets = self.filter_sets(filters)
        facet_counts: dict[str, list[FacetCount]] = {}
        for key, values in facets:
            skip = "type" if key == TYPE_FACET else f"facet:{key}"
            others = self._intersect(base, sets, skip)
            found = []
            for value, label in values:
                members = self._type_set({value}) if key == TYPE_FACET else self.values.get((key, value), frozenset())
                found.append(FacetCount(value, label, len(members) if others is self.all else len(others & members)))
            facet_counts[key] = found
        flags: dict[str, dict[Any, int]] = {}
        for flag in FLAGS:
            others = self._intersect(base, sets, flag)
            flags[flag] = {value: len(members) if others is self.all else len(others & members)
                           for value, members in self.flags[flag].items()}
        others = self._intersect(base, sets, "min_trede")
        flags["min_trede"] = {level: len(self.trede_at_least[level]) if others is self.all
                              else len(others & self.trede_at_least[level]) for level in range(6)}
        return facet_counts, flags

    def _sets_loaded(self) -> bool:
        """Whether the sets behind the counts are loaded already (then counting them is cheaper than SQL)."""
        return {"values", "flags", "trede_at_least"} <= vars(self).keys()

    def _whole_model_counts(self, facets: list[tuple[str, list[tuple[str, str]]]]
                            ) -> tuple[dict[str, list[FacetCount]], dict[str, dict[Any, int]]] | None:
        """`counts()` with no text and no filter (the window as it opens) while the filters' sets are not
        loaded, so a start-up loads none of them (~150 ms with 30,000 interventions): read from the table the
        model file stores them in, or counted in SQLite for a file written before that table. None for a
        model file written before `intervention_index` had trede, offered and explicit."""
        try:
            rows = self.conn.execute("SELECT family, key, value, n FROM whole_count").fetchall()
        except sqlite3.OperationalError:  # no such table
            if not self._flags_in_index:
                return None
            from desktop.core.model.index import whole_model_counts

            rows = whole_model_counts(self.conn)
        stored = {(family, key, value): n for family, key, value, n in rows}
        facet_counts = {key: [FacetCount(value, label, stored.get(("type", "", value) if key == TYPE_FACET
                                                                  else ("facet", key, value), 0))
                              for value, label in values]
                        for key, values in facets}
        flags: dict[str, dict[Any, int]] = {
            flag: {True: stored.get(("flag", flag, "1"), 0), False: stored.get(("flag", flag, "0"), 0)}
            for flag in FLAGS}
        flags["min_trede"] = {level: stored.get(("flag", "min_trede", str(level)), 0) for level in range(6)}
        return facet_counts, flags

    def note_counts(self, text: str, filters: Filters, by_status: dict[str, set[str]]) -> dict[str, int]:
        """For 'Mijn notities': per status key (and '*' any note), the results with such a note."""
        ranked = self.text_matches(text)
        every = set().union(*by_status.values()) if by_status else set()
        if ranked is None and filters.is_empty() and filters.scope is None and "ids" not in vars(self):
            known = self.known_ids(every)  # the window as it opens: the noted ids in the model, no sets loaded
            return {**{key: len(ids & known) for key, ids in by_status.items()}, "*": len(known)}
        base = self.all if ranked is None else frozenset(ranked)
        others = self._intersect(base, self.filter_sets(filters), "notes")
        counts = {key: len(others & {self.nums[i] for i in ids if i in self.nums}) for key, ids in by_status.items()}
        counts["*"] = len(others & {self.nums[i] for i in every if i in self.nums})
        return counts
