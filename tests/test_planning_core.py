"""A local approach without a display: coverage and gaps, quickscans, the directory, exports, feedback, CLI."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from desktop import cli
from desktop.core import paths
from desktop.core.errors import WorkspaceError
from desktop.core.model.build import build_model
from desktop.core.planning import feedback as exchange
from desktop.core.planning.coverage import compute_coverage
from desktop.core.planning.directory import directory, search_directory
from desktop.core.planning.exports import export_plan_xlsx, export_quickscan_xlsx
from desktop.core.planning.plans import add_factor, factor_names, plan_coverage
from desktop.core.planning.quickscan import attention, overall, progress, quickscan_groups
from desktop.core.reports.planning import plan_report, quickscan_report
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace import planning as store
from desktop.core.workspace.store import Workspace


@pytest.fixture()
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tmp_path / "werkruimte" / "workspace.sqlite")
    yield ws
    ws.close()


def _expected_gaps(repo: ModelRepository) -> dict[str, set[str]]:
    """The gaps of every factor, computed independently with SQL (link value, else the intervention's)."""
    expected: dict[str, set[str]] = {}
    for (cid,) in repo.conn.execute("SELECT id FROM cluster"):
        rows = repo.conn.execute(
            "SELECT coalesce(e.trede, i.trede), coalesce(e.offered, i.offered) FROM example e "
            "LEFT JOIN intervention i ON i.id = e.intervention WHERE e.cluster_id = ?", (cid,)).fetchall()
        gaps = set()
        if not rows:
            gaps.add("no_interventions")
        else:
            if all(r[0] is None for r in rows):
                gaps.add("no_trede")
            if not any(r[1] for r in rows):
                gaps.add("not_offered")
        expected[cid] = gaps
    return expected


# --- coverage and gaps --------------------------------------------------------------------------------

def test_every_factor_of_the_real_model_gets_the_gaps_sql_finds(real_repo: ModelRepository) -> None:
    expected = _expected_gaps(real_repo)
    names = factor_names(real_repo)
    coverage = compute_coverage(real_repo, [(cid, names[cid], None) for cid in names])
    assert len(coverage.factors) == len(names) == 50
    for factor in coverage.factors:
        assert set(factor.gaps) == expected[factor.cluster_id], factor.cluster_id
    kinds = {g.kind for g in coverage.gaps()}
    assert {"no_interventions", "no_trede", "not_offered"} <= kinds  # the real model has each kind


def test_known_gaps_on_the_real_model(real_repo: ModelRepository) -> None:
    factors = [("algeheel-vertrouwen", "x", "waarom 1"), ("kennis", "x", None),
               ("stabiele-positieve-en-ondersteunende-relaties-met-peers-en-gemeenschap", "x", None),
               ("zelfontplooiing", "x", None)]
    coverage = compute_coverage(real_repo, factors)
    by_id = {f.cluster_id: f for f in coverage.factors}
    assert by_id["algeheel-vertrouwen"].gaps == ["no_interventions"]  # no examples: a gap in the model
    assert by_id["algeheel-vertrouwen"].name == "Algeheel vertrouwen"  # the model's name, not the stored one
    assert by_id["algeheel-vertrouwen"].reason == "waarom 1"
    assert by_id["kennis"].gaps == ["no_trede"]
    assert by_id["kennis"].links and all(link.trede is None for link in by_id["kennis"].links)
    stable = by_id["stabiele-positieve-en-ondersteunende-relaties-met-peers-en-gemeenschap"]
    assert stable.gaps == ["not_offered"] and not any(link.offered for link in stable.links)
    assert by_id["zelfontplooiing"].gaps == [] and len(by_id["zelfontplooiing"].shown) >= 3
    assert [f.cluster_id for f in coverage.factors] == [f[0] for f in factors]  # the plan's order
    # the matrix: every intervention once, with the factors it covers
    ids = [row.intervention_id for row in coverage.matrix]
    assert len(ids) == len(set(ids))
    linked = {link.intervention_id for f in coverage.factors for link in f.shown}
    assert set(ids) == linked
    # risk factors of the chosen factors' bouwstenen, with the report's warning
    assert [r.block_name for r in coverage.risk_factors] == ["Individu", "Sociale omgeving"]
    assert coverage.risk_warning and "stigmatiserend" in coverage.risk_warning


def test_werkset_coverage_and_note_status(real_repo: ModelRepository) -> None:
    own = compute_coverage(real_repo, [("zelfontplooiing", "Zelfontplooiing", None)])
    chosen = own.factors[0].links[0].intervention_id
    unrelated = next(i for i in real_repo.all_ids() if i not in {link.intervention_id
                                                                for link in own.factors[0].links})
    coverage = compute_coverage(real_repo, [("zelfontplooiing", "Zelfontplooiing", None), ("kennis", "Kennis", None)],
                                werkset_ids=[chosen, unrelated], werkset_name="Wat we doen",
                                note_status={chosen: "ingezet"})
    by_id = {f.cluster_id: f for f in coverage.factors}
    assert [link.intervention_id for link in by_id["zelfontplooiing"].shown] == [chosen]
    assert len(by_id["zelfontplooiing"].links) > 1  # the model's links are all still known
    assert "not_in_werkset" not in by_id["zelfontplooiing"].gaps
    assert "not_in_werkset" in by_id["kennis"].gaps and by_id["kennis"].shown == []
    assert [row.intervention_id for row in coverage.matrix] == [chosen]
    assert coverage.matrix[0].note_label == "Ingezet"
    assert coverage.werkset_outside == [(unrelated, real_repo.row(unrelated).name)]  # type: ignore[union-attr]
    assert coverage.werkset_name == "Wat we doen"


def test_plan_survives_a_model_update_that_removes_a_factor(mini_source: Path, tmp_path: Path,
                                                             workspace: Workspace) -> None:
    before = tmp_path / "voor.sqlite"
    build_model(mini_source, before)
    with ModelRepository.open(before) as repo:
        plan = store.create_plan(workspace, "Aanpak 2027", purpose="Weerbaarheid")
        assert add_factor(workspace, repo, plan.id, "zelfbeheersing", "Veel impulsief gedrag in de wijk")
        assert add_factor(workspace, repo, plan.id, "mediawijsheid")
        assert not add_factor(workspace, repo, plan.id, "mediawijsheid")  # already in it
        with pytest.raises(WorkspaceError, match="geen beschermende factor"):
            add_factor(workspace, repo, plan.id, "bestaat-niet")
    source = mini_source / "blocks" / "1-individu.toml"
    text = source.read_text(encoding="utf-8")
    start = text.index('[[themes.clusters]]\nid = "zelfbeheersing"')
    end = text.index("[[themes]]", start)
    source.write_text(text[:start] + text[end:].replace('name = "Mediawijsheid en digitale weerbaarheid"',
                                                        'name = "Mediawijsheid"'), encoding="utf-8")
    after = tmp_path / "na.sqlite"
    build_model(mini_source, after)
    with ModelRepository.open(after) as repo:
        assert "zelfbeheersing" not in factor_names(repo)
        assert store.sync_factor_names(workspace, factor_names(repo)) == 1  # the renamed one; the removed one stays
        coverage = plan_coverage(repo, workspace, plan.id)
        gone = coverage.factors[0]
        assert (gone.cluster_id, gone.name, gone.in_model, gone.gaps) == ("zelfbeheersing", "Zelfbeheersing", False,
                                                                          ["removed"])
        assert gone.reason == "Veel impulsief gedrag in de wijk"
        assert coverage.factors[1].name == "Mediawijsheid"
        report = plan_report(store.plan(workspace, plan.id), coverage, repo.meta())  # type: ignore[arg-type]
        assert "niet meer in het model" in report.html
        export_plan_xlsx(store.plan(workspace, plan.id), coverage, repo.meta(),  # type: ignore[arg-type]
                         tmp_path / "plan.xlsx")
    assert [f.cluster_id for f in store.plan_factors(workspace, plan.id)] == ["zelfbeheersing", "mediawijsheid"]
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Factoren"]
    assert sheet.cell(2, 4).value == "Zelfbeheersing" and sheet.cell(2, 8).value == "nee (niet meer in het model)"


# --- quickscan ----------------------------------------------------------------------------------------

def test_quickscan_groups_never_invent_question_texts(real_repo: ModelRepository) -> None:
    groups = quickscan_groups(real_repo)
    numbers = [q.number for g in groups for q in g.questions]
    assert sorted(numbers) == list(range(1, 27)) and len(groups) == 15
    assert all(q.title == f"Vraag {q.number}" for g in groups for q in g.questions)  # the seed has no wording
    assert all(q.explanation and len(q.explanation) > 100 for g in groups for q in g.questions)
    assert groups[5].name == "Uitleg vraag 6, 7 en 8" and [q.number for q in groups[5].questions] == [6, 7, 8]


def test_quickscan_progress_and_summary(real_repo: ModelRepository, workspace: Workspace) -> None:
    groups = quickscan_groups(real_repo)
    scan = store.create_quickscan(workspace, "Quickscan 2026", "Utrecht", "2026-03-01")
    other = store.create_quickscan(workspace, "Quickscan 2027", "Utrecht", "2027-03-01")
    store.set_answer(workspace, scan.id, 6, "op-orde", "Analyse van 2025")
    store.set_answer(workspace, scan.id, 7, "deels", "Alleen de politie levert input")
    store.set_answer(workspace, scan.id, 8, "nog-niet", None)
    store.set_answer(workspace, scan.id, 1, "weet-niet", "navragen")
    store.set_answer(workspace, scan.id, 2, None, "alleen een notitie")  # not answered
    store.set_answer(workspace, scan.id, 99, "nog-niet", "vraag uit een ouder model")  # no longer in the model
    store.set_answer(workspace, other.id, 6, "nog-niet", None)
    answers = store.answers(workspace, scan.id)
    steps = {p.group_id: p for p in progress(groups, answers)}
    assert steps["uitleg-vraag-6-7-en-8"].label == "3 van 3 beantwoord"
    assert steps["uitleg-vraag-2"].label == "0 van 1 beantwoord"
    assert overall(groups, answers) == (4, 26)
    items = attention(groups, answers)
    assert [(i.number, i.status) for i in items] == [(8, "nog-niet"), (99, "nog-niet"), (7, "deels"),
                                                    (1, "weet-niet")]
    assert items[2].note == "Alleen de politie levert input" and items[2].group_name == "Uitleg vraag 6, 7 en 8"
    assert not items[1].in_model
    assert overall(groups, store.answers(workspace, other.id)) == (1, 26)  # quickscans are separate
    store.set_answer(workspace, scan.id, 2, None, None)  # nothing left: the answer is gone
    assert 2 not in store.answers(workspace, scan.id)
    with pytest.raises(WorkspaceError, match="Onbekende stand"):
        store.set_answer(workspace, scan.id, 3, "misschien", None)
    assert store.find_quickscan(workspace, "quickscan 2027").id == other.id
    report = quickscan_report(scan, groups, store.answers(workspace, scan.id), real_repo.meta())
    assert "Alleen de politie levert input" in report.html and "Vraag 7" in report.html
    assert "Uitleg vraag 6, 7 en 8" in report.html


def test_user_text_is_escaped_in_reports(real_repo: ModelRepository, workspace: Workspace) -> None:
    scan = store.create_quickscan(workspace, "<script>alert(1)</script>", "<b>Utrecht</b>")
    store.set_answer(workspace, scan.id, 7, "deels", "<img src=x onerror=alert(1)>")
    html = quickscan_report(scan, quickscan_groups(real_repo), store.answers(workspace, scan.id),
                            real_repo.meta()).html
    assert "<script>" not in html and "<img" not in html and "<b>Utrecht" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --- directory ----------------------------------------------------------------------------------------

def test_directory_search_is_accent_insensitive_and_carries_links(real_repo: ModelRepository) -> None:
    entries = directory(real_repo)
    assert sum(e.kind == "organisation" for e in entries) == 25
    assert sum(e.kind == "practice_example" for e in entries) == 6
    found = [e.title for e in search_directory(real_repo, "coordinator terrorisme")]
    assert found == ["Nationaal Coördinator Terrorisme en Veiligheid (NCTV)"]
    tilburg = search_directory(real_repo, "TILBURG")
    assert [e.kind for e in tilburg] == ["practice_example"]
    assert {link.id for link in tilburg[0].links} >= {"indirect", "training-en-netwerkvorming-voor-signalering"}
    assert all(link.name != link.id for link in tilburg[0].links)  # names from the model
    assert search_directory(real_repo, "xyzzy-bestaat-niet") == []
    assert len(search_directory(real_repo, "  ")) == len(entries)


# --- workbooks ----------------------------------------------------------------------------------------

def _formula_free(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_plan_and_quickscan_workbooks(real_repo: ModelRepository, workspace: Workspace, tmp_path: Path) -> None:
    plan = store.create_plan(workspace, "Aanpak Noord")
    add_factor(workspace, real_repo, plan.id, "zelfontplooiing", "=HYPERLINK(\"http://x\")")
    add_factor(workspace, real_repo, plan.id, "algeheel-vertrouwen", "@SUM(A1)")
    coverage = plan_coverage(real_repo, workspace, plan.id)
    export_plan_xlsx(store.plan(workspace, plan.id), coverage, real_repo.meta(), tmp_path / "plan.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == ["Factoren", "Dekking", "Lacunes", "Risicofactoren", "Over dit plan"]
    factors = book["Factoren"]
    assert [c.value for c in factors[1]][:8] == ["Nr.", "Bouwsteen", "Thema", "Beschermende factor", "Waarom",
                                                 "Interventies", "Lacunes", "In het model"]
    assert factors.cell(2, 5).value == "=HYPERLINK(\"http://x\")" and factors.cell(2, 5).data_type == "s"
    assert factors.cell(2, 5).quotePrefix and factors.cell(3, 5).quotePrefix
    assert factors.column_dimensions["I"].hidden  # the technical id column
    assert [c.value for c in book["Dekking"][1]][:6] == ["Beschermende factor", "Interventie", "Trede",
                                                         "Nu aangeboden", "In werkset", "Mijn status"]
    assert book["Lacunes"].cell(2, 1).value == "Algeheel vertrouwen"
    assert "stigmatiserend" in " ".join(str(c.value) for c in book["Risicofactoren"]["A"])
    assert "versie 1.0" in " ".join(str(c.value) for c in book["Over dit plan"]["A"])
    _formula_free(tmp_path / "plan.xlsx")

    scan = store.create_quickscan(workspace, "Quickscan 2026", "Utrecht", "2026-03-01")
    store.set_answer(workspace, scan.id, 7, "nog-niet", "+31 6 navragen")
    groups = quickscan_groups(real_repo)
    export_quickscan_xlsx(scan, groups, store.answers(workspace, scan.id), real_repo.meta(), tmp_path / "qs.xlsx")
    book = openpyxl.load_workbook(tmp_path / "qs.xlsx")
    assert book.sheetnames == ["Antwoorden", "Aandachtspunten", "Voortgang", "Over deze quickscan"]
    answers = book["Antwoorden"]
    assert [c.value for c in answers[1]] == ["Nr.", "Groep", "Vraag", "Stand", "Notitie", "Uitleg"]
    assert answers.max_row == 27
    row = next(r for r in answers.iter_rows(min_row=2) if r[0].value == 7)
    assert [c.value for c in row[:5]] == [7, "Uitleg vraag 6, 7 en 8", "Vraag 7", "Nog niet", "+31 6 navragen"]
    assert row[4].quotePrefix
    assert [c.value for c in book["Aandachtspunten"][2]][:4] == [7, "Vraag 7", "Uitleg vraag 6, 7 en 8", "Nog niet"]
    _formula_free(tmp_path / "qs.xlsx")


# --- feedback -----------------------------------------------------------------------------------------

def test_feedback_records_are_checked(workspace: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="Beschrijf"):
        store.add_feedback(workspace, "verouderd", "  ")
    with pytest.raises(WorkspaceError, match="naam"):
        store.add_feedback(workspace, "nieuwe-interventie", proposal={"why": "past goed"})
    with pytest.raises(WorkspaceError, match="Onbekende soort"):
        store.add_feedback(workspace, "klacht", "x")
    report = store.add_feedback(workspace, "nieuwe-interventie", proposal={"name": "Buurtgesprek", "link": "https://x.nl"},
                                target_kind="cluster", target_id="kennis", target_name="Kennis")
    store.update_feedback(workspace, report.id, "nieuwe-interventie", "toelichting",
                          proposal={"name": "Buurtgesprekken", "why": "versterkt kennis"})
    again = store.feedback_report(workspace, report.id)
    assert again is not None and again.proposal == {"name": "Buurtgesprekken", "why": "versterkt kennis"}
    assert again.target_label == "beschermende factor ‘Kennis’"
    store.delete_feedback(workspace, report.id)
    assert store.feedback_reports(workspace) == []


def test_feedback_export_and_merge_dedupe(tmp_path: Path) -> None:
    with Workspace(tmp_path / "a" / "w.sqlite") as a, Workspace(tmp_path / "b" / "w.sqlite") as b:
        shared = store.add_feedback(a, "kapotte-link", "https://example.org/weg geeft 404",
                                    target_kind="intervention", target_id="diamant", target_name="Diamant",
                                    report_id="melding-1")
        store.add_feedback(b, "kapotte-link", "https://example.org/weg geeft 404", target_kind="intervention",
                           target_id="diamant", target_name="Diamant", report_id=shared.id)  # the same report
        store.add_feedback(a, "verouderd", "De aanbieder is gestopt.", target_kind="intervention",
                           target_id="diamant", target_name="Diamant")
        store.add_feedback(b, "verouderd", "de aanbieder  is gestopt.", target_kind="intervention",
                           target_id="diamant", target_name="Diamant")  # same text, another person
        store.add_feedback(b, "nieuwe-interventie", proposal={"name": "=Buurtgesprek", "type": "training"},
                           contact="j.jansen@gemeente.nl")
        assert exchange.export_feedback(a, tmp_path / "a.xlsx") == 2
        assert exchange.export_feedback(b, tmp_path / "b.xlsx") == 3
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Meldingen"]
    assert [c.value for c in sheet[1]][:4] == ["Soort", "Over", "Onderwerp", "Melding"]
    _formula_free(tmp_path / "b.xlsx")
    result = exchange.merge_feedback([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], tmp_path / "overzicht.xlsx")
    assert (result.files, result.read, result.unique, result.duplicates) == (2, 5, 3, 2)
    overview = openpyxl.load_workbook(tmp_path / "overzicht.xlsx")["Overzicht"]
    headers = [c.value for c in overview[1]]
    assert headers[:4] == ["Soort", "Over", "Onderwerp", "Melding"] and "Aantal keer gemeld" in headers
    rows = [dict(zip(headers, (c.value for c in r), strict=True)) for r in overview.iter_rows(min_row=2)]
    assert len(rows) == 3
    by_kind = {r["Soort"]: r for r in rows}
    assert by_kind["Kapotte link"]["Aantal keer gemeld"] == 1  # the same report sent twice
    assert by_kind["Verouderde informatie"]["Aantal keer gemeld"] == 2  # reported by two people
    assert by_kind["Verouderde informatie"]["Uit bestand(en)"] == "a.xlsx; b.xlsx"
    assert by_kind["Nieuwe interventie voorstellen"]["Voorstel: naam"] == "=Buurtgesprek"
    _formula_free(tmp_path / "overzicht.xlsx")
    # an overview can be merged again with a new file
    again = exchange.merge_feedback([tmp_path / "overzicht.xlsx", tmp_path / "a.xlsx"], tmp_path / "opnieuw.xlsx")
    assert again.unique == 3


def test_merge_refuses_what_is_not_a_clean_feedback_workbook(tmp_path: Path, workspace: Workspace) -> None:
    from desktop.core.workspace.exchange import export_notes

    workspace.add_entry("diamant", "Diamant", status="ingezet", text="goed")
    export_notes(workspace, tmp_path / "notities.xlsx")
    with pytest.raises(WorkspaceError, match=r"‘notities\.xlsx’ is een export van notities"):
        exchange.merge_feedback([tmp_path / "notities.xlsx"], tmp_path / "uit.xlsx")
    store.add_feedback(workspace, "verouderd", "oud", target_kind="general")
    exchange.export_feedback(workspace, tmp_path / "goed.xlsx")
    book = openpyxl.load_workbook(tmp_path / "goed.xlsx")
    book["Meldingen"]["D2"] = "=1+1"
    book.save(tmp_path / "formule.xlsx")
    with pytest.raises(WorkspaceError, match=r"formule\.xlsx’, blad Meldingen: cel D2 bevat een formule"):
        exchange.merge_feedback([tmp_path / "goed.xlsx", tmp_path / "formule.xlsx"], tmp_path / "uit.xlsx")
    other = openpyxl.Workbook()
    other.active.title = "Begroting"
    other.save(tmp_path / "begroting.xlsx")
    with pytest.raises(WorkspaceError, match=r"‘begroting\.xlsx’ is geen feedbackwerkmap"):
        exchange.merge_feedback([tmp_path / "begroting.xlsx"], tmp_path / "uit.xlsx")
    (tmp_path / "kapot.xlsx").write_bytes(b"PK\x03\x04 dit is geen zip")
    with pytest.raises(WorkspaceError, match=r"kapot\.xlsx"):
        exchange.merge_feedback([tmp_path / "kapot.xlsx"], tmp_path / "uit.xlsx")
    assert not (tmp_path / "uit.xlsx").exists()  # nothing written for a refused merge


# --- the command line ---------------------------------------------------------------------------------

@pytest.fixture()
def home(real_model_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    with ModelRepository.open(real_model_path) as repo, Workspace(paths.workspace_path(isolated_home)) as ws:
        plan = store.create_plan(ws, "Aanpak Noord", plan_id="plan-noord")
        for cid in ("algeheel-vertrouwen", "kennis", "zelfontplooiing"):
            add_factor(ws, repo, plan.id, cid, "lokale analyse")
        scan = store.create_quickscan(ws, "Quickscan 2026", "Utrecht", "2026-03-01")
        store.set_answer(ws, scan.id, 7, "nog-niet", "navragen")
        store.add_feedback(ws, "verouderd", "oud adres", target_kind="intervention", target_id="diamant",
                           target_name="Diamant")
    return isolated_home


def test_cli_lists_and_exports(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["plan", "list", "--json"]) == 0
    plans = json.loads(capsys.readouterr().out)
    assert plans[0]["name"] == "Aanpak Noord" and plans[0]["factors"][0]["id"] == "algeheel-vertrouwen"
    assert cli.main(["plan", "export", "aanpak noord", "--out", str(tmp_path / "plan.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "plan.xlsx")["Factoren"].cell(2, 4).value == "Algeheel vertrouwen"
    assert cli.main(["quickscan", "export", "Quickscan 2026", "--out", str(tmp_path / "qs.xlsx")]) == 0
    assert cli.main(["quickscan", "list"]) == 0
    assert "1 van 26 vragen beantwoord" in capsys.readouterr().out
    assert cli.main(["feedback", "export", "--out", str(tmp_path / "meldingen.xlsx")]) == 0
    assert cli.main(["feedback", "merge", str(tmp_path / "meldingen.xlsx"), "--out", str(tmp_path / "o.xlsx")]) == 0
    assert "1 unieke melding" in capsys.readouterr().err


def test_cli_exports_a_plan_pdf(home: Path, tmp_path: Path, qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    # qapp: a QApplication exists already, as in the test run; the command uses it instead of making one
    assert cli.main(["plan", "export", "plan-noord", "--out", str(tmp_path / "plan.pdf")]) == 0
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert "opgeslagen als PDF" in capsys.readouterr().err


def test_cli_failures_and_usage(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["plan", "export", "Onbekend plan", "--out", str(tmp_path / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Geen plan met de naam of het id ‘Onbekend plan’" in err and "Aanpak Noord" in err
    assert "Traceback" not in err
    assert cli.main(["plan", "export", "Aanpak Noord", "--out", str(tmp_path / "x.docx")]) == 2
    assert "moet eindigen op .pdf of .xlsx" in capsys.readouterr().err
    assert cli.main(["plan"]) == 2
    assert "kies een actie" in capsys.readouterr().err
    assert cli.main(["feedback", "export", "--out", str(tmp_path / "x.pdf")]) == 2
    with pytest.raises(SystemExit) as info:
        cli.main(["feedback", "merge", "--out", str(tmp_path / "o.xlsx")])
    assert info.value.code == 2
    assert "deze argumenten ontbreken" in capsys.readouterr().err
    from desktop.core.workspace.exchange import export_notes

    with Workspace(paths.workspace_path(home)) as ws:
        export_notes(ws, tmp_path / "notities.xlsx")
    assert cli.main(["feedback", "merge", str(tmp_path / "notities.xlsx"), "--out", str(tmp_path / "o.xlsx")]) == 1
    assert "is een export van notities en werksets, geen feedbackwerkmap" in capsys.readouterr().err
    assert cli.main(["quickscan", "export", "bestaat niet", "--out", str(tmp_path / "q.pdf")]) == 1
    assert "Geen quickscan" in capsys.readouterr().err


def test_old_read_only_workspace_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "oud.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE note_entry (id TEXT)")
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    with Workspace(path, read_only=True) as ws:
        assert store.plans(ws) == [] and store.quickscans(ws) == [] and store.feedback_reports(ws) == []
