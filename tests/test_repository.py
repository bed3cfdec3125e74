"""Repository: the tree with counts, node details, intervention details."""

from __future__ import annotations

from desktop.core.search.repository import ModelRepository


def test_tree_counts_distinct_interventions(mini_repo: ModelRepository) -> None:
    tree = mini_repo.tree()
    assert [b.name for b in tree] == ["Individu", "Gezin en familie"]
    individu = tree[0]
    assert individu.count == 3
    clusters = {c.id: c.count for t in individu.themes for c in t.clusters}
    assert clusters == {"ideologische-weerbaarheid": 2, "zelfbeheersing": 0, "mediawijsheid": 1}


def test_block_detail_has_risk_factors_with_the_warning(mini_repo: ModelRepository) -> None:
    block = mini_repo.node("block", "individu")
    assert block is not None
    assert block.risk_factors == ["jongere leeftijd", "identiteitscrises"]
    assert block.risk_factor_warning is not None and "stigmatiserend" in block.risk_factor_warning


def test_cluster_detail(mini_repo: ModelRepository) -> None:
    cluster = mini_repo.node("cluster", "zelfbeheersing")
    assert cluster is not None
    assert cluster.focus is not None and cluster.focus.startswith("focus op")
    assert cluster.subfactors == ["Zelfcontrole"]
    assert [code for code, _ in cluster.types] == ["1.2", "1.3", "4"]
    assert cluster.intervention_count == 0
    assert mini_repo.node("cluster", "bestaat-niet") is None


def test_intervention_detail_has_every_field(mini_repo: ModelRepository) -> None:
    detail = mini_repo.intervention("under-pressure")
    assert detail is not None
    assert detail.trede == 2 and detail.effect_level is not None
    assert detail.effect_level.name == "veelbelovend"
    assert detail.links == ["https://example.org/under-pressure"]
    assert [c.cluster_id for c in detail.clusters] == ["mediawijsheid"]
    assert detail.types[0].working_elements == ["Aansluiten bij de online leefwereld"]
    assert any(f.key == "online" for f in detail.facets)


def test_linked_in_several_blocks(mini_repo: ModelRepository) -> None:
    detail = mini_repo.intervention("said-en-lody")
    assert detail is not None
    assert {c.block_id for c in detail.clusters} == {"individu", "gezin-en-familie"}
    assert mini_repo.find_by_name("Saïd & Lody") == ["said-en-lody"]
