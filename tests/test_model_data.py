"""The curated model in data/ is complete and clean (issue: the complete bouwstenenmodel)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from desktop.core.model.entities import Model as ModelSource
from desktop.core.model.toml_codec import load_source
from desktop.core.text import is_web_url

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = tomllib.loads((Path(__file__).parent / "fixtures" / "expected_model.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model() -> ModelSource:
    return load_source(ROOT / "data")


def all_texts(model: ModelSource) -> list[tuple[str, str]]:
    """(where, text) for every text value in the model."""
    out: list[tuple[str, str]] = []
    for i in model.interventions:
        for name in ("name", "type_text", "description", "goal", "target_group", "provider", "evaluation",
                     "trede_label"):
            value = getattr(i, name)
            if value:
                out.append((f"{i.id}.{name}", value))
        out += [(f"{i.id}.alias", a) for a in i.aliases]
    for b in model.blocks:
        out.append((f"{b.id}.description", b.description))
        out += [(f"{b.id}.risk", r) for r in b.risk_factors]
        for t in b.themes:
            out.append((t.id, t.name))
            for c in t.clusters:
                out += [(c.id, c.name), *[(c.id, s) for s in c.subfactors], *[(c.id, r) for r in c.references]]
                if c.focus:
                    out.append((f"{c.id}.focus", c.focus))
    for t in model.intervention_types:
        for value in (t.name, t.description, t.target_groups, t.factors, *t.working_elements, *t.preconditions):
            if value:
                out.append((f"type {t.code}", value))
    return out


def test_blocks_themes_and_clusters_match_the_report(model: ModelSource) -> None:
    expected = EXPECTED["blocks"]
    assert [(b.number, b.id, b.name) for b in model.blocks] == [(b["number"], b["id"], b["name"]) for b in expected]
    for block, want in zip(model.blocks, expected, strict=True):
        got = [{"name": t.name, "clusters": [c.name for c in t.clusters]} for t in block.themes]
        assert got == want["themes"], block.name


def test_counts_match_the_report(model: ModelSource) -> None:
    assert len(model.interventions) == EXPECTED["interventions_total"]
    links = sum(len(c.examples) for b in model.blocks for t in b.themes for c in t.clusters)
    assert links == EXPECTED["example_links_total"]
    assert [t.code for t in model.intervention_types] == ["1", "1.1", "1.2", "1.3", "2", "3", "4", "5", "6", "7",
                                                          "8", "9"]
    assert [lv.trede for lv in model.effectladder] == [0, 1, 2, 3, 4, 5]


def test_every_cluster_of_tables_2_1_to_2_5_has_references(model: ModelSource) -> None:
    for block in model.blocks:
        if block.number == 6:
            continue  # the indirect block has no literature table in the report
        for theme in block.themes:
            for cluster in theme.clusters:
                assert cluster.references, cluster.id


def test_every_example_link_resolves(model: ModelSource) -> None:
    ids = {i.id for i in model.interventions}
    for block in model.blocks:
        for theme in block.themes:
            for cluster in theme.clusters:
                for example in cluster.examples:
                    assert example.intervention in ids, (cluster.id, example.intervention)


def test_every_intervention_has_name_description_and_type(model: ModelSource) -> None:
    assert all(i.name for i in model.interventions)
    assert all(i.description or i.goal for i in model.interventions)
    # the report leaves a cell empty for a few rows; those must be few and documented
    provenance = (ROOT / "docs" / "data-provenance.md").read_text(encoding="utf-8")
    no_type = [i.id for i in model.interventions if not i.type_text]
    no_description = [i.id for i in model.interventions if not i.description]
    assert len(no_type) <= 10 and len(no_description) <= 3
    assert all(i in provenance for i in no_type + no_description), no_type + no_description


def test_tredes_are_0_to_5_or_unknown(model: ModelSource) -> None:
    assert all(i.trede is None or 0 <= i.trede <= 5 for i in model.interventions)
    assert sum(1 for i in model.interventions if i.trede is not None) >= 50


def test_every_web_address_is_a_valid_http_url(model: ModelSource) -> None:
    bad = [(i.id, u) for i in model.interventions for u in i.links if not is_web_url(u)]
    bad += [(o.id, o.url) for o in model.organisations if o.url and not is_web_url(o.url)]
    assert bad == []


HYPHENATION = re.compile(r"(?<![-\w])[a-zà-ÿ]{2,}- (?!(en|of|tot|en/of|maar)\b)[a-zà-ÿ]{2,}")


def test_no_hyphenation_artefacts(model: ModelSource) -> None:
    found = [(where, m.group(0)) for where, text in all_texts(model) for m in HYPHENATION.finditer(text)]
    assert found == []
    joined = " ".join(text for _, text in all_texts(model))
    assert "veelbe- lovend" not in joined and "doel- treffend" not in joined


@pytest.mark.parametrize("noise", ["Naam interventie", "Eventuele weblink", "Op dit moment aangeboden", "[19]",
                                   "[20]", "Beschermende factoren Referenties", "  "])
def test_no_page_header_text(model: ModelSource, noise: str) -> None:
    assert [where for where, text in all_texts(model) if noise in text] == []


def test_risk_factors_and_warning(model: ModelSource) -> None:
    assert all(b.risk_factors for b in model.blocks if b.number <= 5)
    assert "stigmatiserend" in model.texts["risk_factor_warning"]


def test_other_sources_are_present(model: ModelSource) -> None:
    assert len(model.organisations) >= 20
    assert len(model.practice_examples) >= 5
    assert sum(len(g.questions) for g in model.quickscan) == 26


def test_bouwstenen_info_reports_complete_counts(real_repo) -> None:  # type: ignore[no-untyped-def]
    counts = real_repo.counts()
    assert counts["blocks"] == 6
    assert counts["interventions"] == EXPECTED["interventions_total"]
    assert counts["example_links"] == EXPECTED["example_links_total"]
    assert counts["intervention_types"] == 12


FACETS = ("type", "doelgroep", "setting", "online", "aanpak", "inzetbaarheid")


def test_every_intervention_has_every_facet_curated_with_a_rationale(model: ModelSource) -> None:
    vocabulary = {f.key: {v.value for v in f.values} for f in model.facets}
    vocabulary["type"] = {t.code for t in model.intervention_types}
    single = {f.key for f in model.facets if f.single}
    for iv in model.interventions:
        assert [j.facet for j in iv.facets] == list(FACETS), iv.id
        for judgement in iv.facets:
            assert set(judgement.values) <= vocabulary[judgement.facet], (iv.id, judgement.facet)
            assert judgement.basis in ("rapport", "redactie"), (iv.id, judgement.facet)
            assert judgement.why and judgement.why.strip(), (iv.id, judgement.facet)  # every judgement says why
            if judgement.basis == "rapport":
                assert "'" in judgement.why or "Bijlage 2" in judgement.why, (iv.id, judgement.facet)
            if judgement.facet in single:
                assert len(judgement.values) <= 1, (iv.id, judgement.facet)
        types = iv.facet_values("type")
        assert 1 <= len(types) <= 2, iv.id


def test_a_type_stated_by_bijlage_2_is_marked_as_stated(model: ModelSource) -> None:
    named = {(ex.intervention, t.code) for t in model.intervention_types for ex in t.examples if ex.intervention}
    for iv in model.interventions:
        judgement = iv.facet("type")
        assert judgement is not None
        for code in judgement.values:
            if (iv.id, code) in named:
                assert judgement.basis == "rapport", (iv.id, code)


def test_the_provenance_lists_the_disagreements_of_the_two_readings() -> None:
    text = (ROOT / "docs" / "data-provenance.md").read_text(encoding="utf-8")
    assert "twee lezingen" in text
    section = text[text.index("twee lezingen"):]
    assert section.count("|") > 100  # a table row per disagreement


def test_background_texts_name_their_source(model: ModelSource) -> None:
    sources = {s.id for s in model.background_sources}
    assert len(model.background) >= 30
    assert all(t.source in sources for t in model.background)
    groups = {t.group for t in model.background}
    assert {"Veerkracht", "Tips voor gemeenten"} <= groups
