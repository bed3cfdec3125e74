"""Which interventions cover the beschermende factoren of a plan, and where the model has gaps.

    coverage = compute_coverage(repo, factors, werkset_ids=..., note_status=workspace.latest_status())

A factor is given as (cluster id, stored name, reason). A factor that is no longer in the model is
listed (with its stored name and the gap "niet meer in het model"), never dropped. The values of a
link come from the factor's own table in the report (B3.1-B3.6: trede, nu aangeboden), falling back to
the intervention's row in B3.7 where the link leaves them open.

Gaps per factor:
- `removed`: the factor is not in this model (any more);
- `no_interventions`: the model links no intervention to it (a gap in the model itself);
- `no_trede`: every linked intervention lacks a trede on the effectladder;
- `not_offered`: none of the linked interventions is currently offered;
- `not_in_werkset`: a werkset is chosen and none of its interventions is linked to the factor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.store import STATUS_LABELS

GAP_KINDS = ("removed", "no_interventions", "no_trede", "not_offered", "not_in_werkset")
GAP_LABELS = {
    "removed": "niet meer in het model",
    "no_interventions": "geen enkele interventie in het model (een lacune in het model)",
    "no_trede": "alleen interventies zonder trede op de effectladder (effectiviteit onbekend)",
    "not_offered": "geen van de gekoppelde interventies wordt nu aangeboden",
    "not_in_werkset": "geen interventie uit de gekozen werkset",
}
GAP_SHORT = {  # in a list line
    "removed": "niet meer in het model",
    "no_interventions": "lacune: geen interventies in het model",
    "no_trede": "lacune: alleen interventies zonder trede",
    "not_offered": "lacune: niets nu aangeboden",
    "not_in_werkset": "lacune: niet in de werkset",
}
GAP_TITLES = {  # headings for the gap lists
    "removed": "Niet meer in het model",
    "no_interventions": "Factoren zonder interventies in het model",
    "no_trede": "Factoren met alleen interventies zonder trede",
    "not_offered": "Factoren zonder interventie die nu wordt aangeboden",
    "not_in_werkset": "Factoren die de werkset niet dekt",
}


@dataclass
class CoverageLink:
    """One intervention linked to one factor."""

    intervention_id: str
    name: str
    trede: int | None
    offered: bool | None
    explicit: bool | None
    note_status: str | None  # the user's latest note status key ('' a note without status; None no note)
    in_werkset: bool

    @property
    def note_label(self) -> str:
        return note_label(self.note_status)


@dataclass
class FactorCoverage:
    cluster_id: str
    name: str
    reason: str | None
    in_model: bool
    block_id: str | None = None
    block_number: int | None = None
    block_name: str | None = None
    theme_name: str | None = None
    links: list[CoverageLink] = field(default_factory=list)  # every intervention the model links to it
    shown: list[CoverageLink] = field(default_factory=list)  # those in scope (all, or the werkset's)
    gaps: list[str] = field(default_factory=list)  # GAP_KINDS

    @property
    def path(self) -> str:
        """'Individu › Identiteit' (or 'niet meer in het model')."""
        if not self.in_model:
            return "niet meer in het model"
        return " › ".join(p for p in (self.block_name, self.theme_name) if p)


@dataclass
class MatrixRow:
    """One intervention in the coverage matrix: which chosen factors it covers."""

    intervention_id: str
    name: str
    trede: int | None
    offered: bool | None
    note_status: str | None
    in_werkset: bool
    factors: list[str] = field(default_factory=list)  # cluster ids, in the plan's order

    @property
    def note_label(self) -> str:
        return note_label(self.note_status)


@dataclass
class Gap:
    cluster_id: str
    name: str
    kind: str

    @property
    def label(self) -> str:
        return GAP_LABELS[self.kind]


@dataclass
class RiskFactors:
    block_name: str
    items: list[str]


@dataclass
class Coverage:
    factors: list[FactorCoverage]
    matrix: list[MatrixRow]
    werkset_name: str | None = None  # None: all linked interventions
    werkset_outside: list[tuple[str, str]] = field(default_factory=list)  # werkset items covering no chosen factor
    risk_factors: list[RiskFactors] = field(default_factory=list)
    risk_warning: str | None = None

    def gaps(self) -> list[Gap]:
        return [Gap(f.cluster_id, f.name, kind) for f in self.factors for kind in f.gaps]

    def gaps_of(self, kind: str) -> list[FactorCoverage]:
        return [f for f in self.factors if kind in f.gaps]

    def gap_lists(self) -> list[tuple[str, list[FactorCoverage]]]:
        """The gaps as headed lists (heading, factors) in GAP_KINDS order, leaving out kinds without factors.
        The window and the memo use the same headings."""
        lists: list[tuple[str, list[FactorCoverage]]] = []
        for kind in GAP_KINDS:
            listed = self.gaps_of(kind)
            if not listed:
                continue
            title = GAP_TITLES[kind]
            if kind == "not_in_werkset" and self.werkset_name:
                title = f"Factoren die werkset ‘{self.werkset_name}’ niet dekt"
            lists.append((title, listed))
        return lists

    @property
    def covered_count(self) -> int:
        """Chosen factors with at least one intervention in scope."""
        return sum(1 for f in self.factors if f.shown)


def note_label(status: str | None) -> str:
    if status is None:
        return ""
    return STATUS_LABELS.get(status, status) if status else "notitie"


def yes_no(value: bool | None) -> str:
    return "onbekend" if value is None else ("ja" if value else "nee")


def trede_label(trede: int | None) -> str:
    return "geen" if trede is None else str(trede)


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def compute_coverage(repo: ModelRepository, factors: Sequence[tuple[str, str, str | None]],
                     werkset_ids: Iterable[str] | None = None, werkset_name: str | None = None,
                     note_status: dict[str, str] | None = None) -> Coverage:
    """The coverage of `factors` ((cluster id, stored name, reason), in the plan's order).

    `werkset_ids`: when given, only these interventions count as covering (and the werkset gap is
    computed); `note_status`: the user's latest note status per intervention (Workspace.latest_status)."""
    notes = note_status or {}
    werkset = list(dict.fromkeys(werkset_ids)) if werkset_ids is not None else None
    in_werkset = set(werkset or [])
    ids = [f[0] for f in factors]
    marks = ",".join("?" * len(ids))
    info = {r["id"]: r for r in repo.conn.execute(
        "SELECT c.id, c.name, t.name AS theme_name, b.id AS block_id, b.number, b.name AS block_name FROM cluster c "
        f"JOIN theme t ON t.id = c.theme_id JOIN block b ON b.id = t.block_id WHERE c.id IN ({marks})", ids)}
    links: dict[str, list[CoverageLink]] = {cid: [] for cid in ids}
    intervention_values: dict[str, tuple[str, int | None, bool | None]] = {}
    for r in repo.conn.execute(
        "SELECT e.cluster_id, e.intervention, e.explicit, e.offered, e.trede, i.name, i.trede AS i_trede, "
        "i.offered AS i_offered, i.explicit AS i_explicit FROM example e LEFT JOIN intervention i "
        f"ON i.id = e.intervention WHERE e.cluster_id IN ({marks}) ORDER BY e.cluster_id, e.position", ids,
    ):
        iid = r["intervention"]
        trede = r["trede"] if r["trede"] is not None else r["i_trede"]
        offered = _bool(r["offered"]) if r["offered"] is not None else _bool(r["i_offered"])
        explicit = _bool(r["explicit"]) if r["explicit"] is not None else _bool(r["i_explicit"])
        name = r["name"] or iid
        links[r["cluster_id"]].append(CoverageLink(iid, name, trede, offered, explicit, notes.get(iid),
                                                   iid in in_werkset))
        intervention_values.setdefault(iid, (name, r["i_trede"], _bool(r["i_offered"])))

    result: list[FactorCoverage] = []
    seen: set[str] = set()
    for cluster_id, stored_name, reason in factors:
        if cluster_id in seen:
            continue
        seen.add(cluster_id)
        row = info.get(cluster_id)
        if row is None:
            result.append(FactorCoverage(cluster_id, stored_name, reason, in_model=False, gaps=["removed"]))
            continue
        own = sorted(links[cluster_id], key=lambda link: (-(link.trede if link.trede is not None else -1),
                                                          link.name.casefold()))
        shown = [link for link in own if link.in_werkset] if werkset is not None else list(own)
        gaps: list[str] = []
        if not own:
            gaps.append("no_interventions")
        else:
            if all(link.trede is None for link in own):
                gaps.append("no_trede")
            if not any(link.offered for link in own):
                gaps.append("not_offered")
        if werkset is not None and not shown:
            gaps.append("not_in_werkset")
        result.append(FactorCoverage(cluster_id, row["name"], reason, True, row["block_id"], row["number"],
                                     row["block_name"], row["theme_name"], own, shown, gaps))

    matrix: dict[str, MatrixRow] = {}
    for factor in result:
        for link in factor.shown:
            entry = matrix.get(link.intervention_id)
            if entry is None:
                name, trede, offered = intervention_values.get(link.intervention_id, (link.name, None, None))
                entry = MatrixRow(link.intervention_id, name, trede, offered, link.note_status, link.in_werkset)
                matrix[link.intervention_id] = entry
            if entry.trede is None and link.trede is not None:
                entry.trede = link.trede
            if link.offered:
                entry.offered = True
            elif entry.offered is None and link.offered is not None:
                entry.offered = link.offered
            entry.factors.append(factor.cluster_id)
    rows = sorted(matrix.values(), key=lambda m: (-len(m.factors), -(m.trede if m.trede is not None else -1),
                                                  m.name.casefold()))
    outside: list[tuple[str, str]] = []
    if werkset is not None:
        for iid in werkset:
            if iid not in matrix:
                found = repo.row(iid)
                outside.append((iid, found.name if found else iid))

    risks: list[RiskFactors] = []
    blocks = sorted({(f.block_number or 0, f.block_id) for f in result if f.block_id})
    for _number, block_id in blocks:
        block = repo.node("block", block_id or "")
        if block is not None and block.risk_factors:
            risks.append(RiskFactors(block.name, list(block.risk_factors)))
    warning = repo.text("risk_factor_warning") if risks else None
    return Coverage(result, rows, werkset_name if werkset is not None else None, outside, risks, warning)
