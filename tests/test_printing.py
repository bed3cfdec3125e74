"""Print and PDF: every report kind built from the real model, saved as A4 PDF and read back with pdftotext.

The PDF checks read the text a reader would copy out of the file: the Dutch headings and content,
the footer (model version, publication date, source report) and "pagina N van M" on every page, and
markup from the model or the user printed literally, never rendered.
"""

from __future__ import annotations

import dataclasses
import errno
import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.errors import REASONS, ExpectedError
from desktop.core.reports import Report, footer_text
from desktop.core.reports.documents import (
    GAP_TEXT,
    block_report,
    factor_report,
    intervention_report,
    results_report,
    werkset_report,
)
from desktop.core.search.repository import ModelRepository
from desktop.core.search.search import Filters
from desktop.core.workspace.store import Workspace
from desktop.ui.printing import export_pdf, print_report

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is missing: apt-get install poppler-utils (CI installs it)")
pytestmark = pytest.mark.gui

TRICKY = "<b>vet</b> & 'quotes'"
WORD_BREAK = "\u000b"  # a line break as Word writes it inside a cell


# --- helpers -----------------------------------------------------------------------------------------

def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    """The text of every page (pdftotext -layout ends each page with a form feed)."""
    assert PDFTOTEXT is not None
    out = subprocess.run([PDFTOTEXT, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    pages = out.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def body_lines(page: str, footer: str) -> list[str]:
    """A page's non-empty lines without the footer lines."""
    parts = [flat(p) for p in footer.split(" · ")]
    return [flat(line) for line in page.splitlines()
            if line.strip() and not any(flat(line).startswith(p) for p in parts)]


def export(report: Report, folder: Path, footer: str, name: str = "rapport") -> list[str]:
    """Export as PDF, check the page count and the footer on every page, return the pages' text."""
    path = folder / f"{name}.pdf"
    count = export_pdf(report, path, footer)
    pages = pdf_pages(path)
    assert len(pages) == count >= 1
    for number, page in enumerate(pages, 1):
        text = flat(page)
        for part in footer.split(" · "):
            assert flat(part) in text, f"footer part {part!r} missing on page {number}"
        assert f"pagina {number} van {count}" in text
        assert len(re.findall(r"pagina \d+ van \d+", text)) == 1
    # a line at a page break is printed once: never at the foot of one page and again at the top of the next
    for before, after in itertools.pairwise(pages):
        assert body_lines(before, footer)[-1] != body_lines(after, footer)[0]
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    return pages


def whole(pages: list[str]) -> str:
    return flat("\n".join(pages))


@pytest.fixture()
def footer(real_repo: ModelRepository) -> str:
    return footer_text(real_repo.meta())


# --- the footer ---------------------------------------------------------------------------------------

def test_footer_names_version_date_and_source(real_repo: ModelRepository, footer: str) -> None:
    meta = real_repo.meta()
    assert f"versie {meta['model_version']}" in footer
    assert "gepubliceerd 22 november 2026" in footer  # the real model's publication date, in Dutch
    assert "bron: rapport ‘Bouwstenenmodel" in footer


# --- an intervention ----------------------------------------------------------------------------------

@needs_pdftotext
def test_intervention_report_has_every_field(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                             qapp: QApplication) -> None:
    d = real_repo.intervention("2do-school")
    assert d is not None
    report = intervention_report(real_repo, d.id)
    assert report.title == d.name
    pages = export(report, tmp_path, footer)
    text = whole(pages)
    assert flat(pages[0]).startswith(d.name)
    for heading in ("Korte omschrijving", "Beoogde doelstelling", "Wat betekent deze trede?",
                    "Gekoppeld aan beschermende factoren", "Interventietype", "Werkzame elementen", "Randvoorwaarden",
                    "Zoekkenmerken", "Meer informatie", "Evaluatie:"):
        assert heading in text, heading
    for label in ("Type interventie", "Nu aangeboden", "Beoogde doelgroep", "Uitvoerder", "Niveau van onderbouwing"):
        assert label in text, label
    assert d.provider is not None and d.provider in text
    assert "Trede 3: doeltreffend (eigen inschatting)" in text
    assert "Trede 3 op de effectladder: doeltreffend." in text
    assert "Bron: eigen, niet-officiële inschatting" in text
    assert flat(d.description or "")[:200] in text
    assert "Bouwsteen 1: Individu" in text and "Bouwsteen 5: Samenleving" in text
    for cluster in d.clusters:
        assert cluster.cluster_name in text
    assert "Type 1.2: Versterken inlevingsvermogen/empathie" in text
    assert flat(d.types[0].preconditions[0])[:120] in text
    for facet in d.facets:
        assert facet.label in text
    assert "oordeel van de redactie op basis van de tekst van het rapport" in text
    assert "zo staat het in het rapport" in text
    for url in d.links:
        assert url in text
    assert "RadarAdvies" in text
    assert "tabel B3.7" in text


@needs_pdftotext
def test_markup_from_the_model_is_printed_literally(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                    qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    real = real_repo.intervention("2do-school")
    assert real is not None
    hostile = dataclasses.replace(real, name="<i>Schuin</i> & Co", provider="<table><tr><td>x</td></tr></table>",
                                  description=f"Eerste regel{WORD_BREAK}<img src='x.png'> tweede regel",
                                  links=["javascript:alert('x')"])
    monkeypatch.setattr(real_repo, "intervention", lambda _iid: hostile)
    report = intervention_report(real_repo, "2do-school")
    assert "<i>Schuin</i>" not in report.html and "<img" not in report.html
    pages = export(report, tmp_path, footer)
    raw = "\n".join(pages)
    text = flat(raw)
    assert "<i>Schuin</i> & Co" in text
    assert "<table><tr><td>x</td></tr></table>" in text
    assert re.search(r"Eerste regel\s*\n\s*<img src='x.png'> tweede regel", raw)  # Word's break is a line break
    assert "\u000b" not in raw
    assert "javascript:alert('x')" in text


def test_unknown_intervention_is_an_expected_error(real_repo: ModelRepository) -> None:
    with pytest.raises(ExpectedError, match="niet \\(meer\\) in het model"):
        intervention_report(real_repo, "bestaat-niet")


# --- a beschermende factor ----------------------------------------------------------------------------

@needs_pdftotext
def test_factor_report_lists_its_example_interventions(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                       qapp: QApplication) -> None:
    node = real_repo.node("cluster", "zelfbeheersing")
    assert node is not None
    ids = real_repo.search("", Filters(scope=("cluster", node.id)))
    assert len(ids) >= 2
    pages = export(factor_report(real_repo, node.id), tmp_path, footer)
    text = whole(pages)
    assert f"Beschermende factor in bouwsteen 1 Individu › {node.theme_name}" in text
    for heading in ("Onder meer", "Passende interventietypen", "Literatuur", f"Voorbeeldinterventies ({len(ids)})"):
        assert heading in text, heading
    for sub in node.subfactors:
        assert flat(sub) in text
    for reference in node.references:
        assert flat(reference) in text
    for row in real_repo.rows(ids):
        assert row.name in text
        trede = f"trede {row.trede}" if row.trede is not None else "trede onbekend"
        assert re.search(re.escape(row.name) + r" — .{0,80}" + re.escape(trede), text), row.name
    assert "nu aangeboden" in text
    assert GAP_TEXT not in text


@needs_pdftotext
def test_factor_without_examples_says_it_is_a_gap(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                  qapp: QApplication) -> None:
    gaps = [c for b in real_repo.tree() for t in b.themes for c in t.clusters if c.count == 0]
    assert gaps, "the real model has factors without examples (e.g. 'Algeheel vertrouwen')"
    pages = export(factor_report(real_repo, gaps[0].id), tmp_path, footer)
    text = whole(pages)
    assert gaps[0].name in text
    assert "Voorbeeldinterventies (0)" in text
    assert "Geen voorbeeldinterventies bij deze factor — een lacune in het model." in text


# --- a bouwsteen ---------------------------------------------------------------------------------------

@needs_pdftotext
def test_block_report_individu_has_risk_factors_with_the_warning(real_repo: ModelRepository, footer: str,
                                                                 tmp_path: Path, qapp: QApplication) -> None:
    node = real_repo.node("block", "individu")
    warning = real_repo.text("risk_factor_warning")
    assert node is not None and warning and len(node.risk_factors) > 10
    report = block_report(real_repo, "individu")
    assert report.title == "Bouwsteen 1: Individu"
    pages = export(report, tmp_path, footer)
    assert len(pages) > 1
    text = whole(pages)
    assert flat(pages[0]).startswith("Bouwsteen 1: Individu")
    assert "Risicofactoren" in text
    assert f"Let op: {flat(warning)}" in text
    assert text.index("Let op:") < text.index(flat(node.risk_factors[0]))  # the warning comes with the list
    for risk in node.risk_factors:
        assert flat(risk) in text, risk
    tree = next(b for b in real_repo.tree() if b.id == "individu")
    for theme in tree.themes:
        assert f"Thema: {theme.name}" in text
        for cluster in theme.clusters:
            assert flat(cluster.name) in text, cluster.name
    for row in real_repo.rows(real_repo.search("", Filters(scope=("block", "individu")))):
        assert row.name in text, row.name
    assert GAP_TEXT in text  # 'Algeheel vertrouwen' in Individu has no examples


@needs_pdftotext
def test_block_without_risk_factors_says_so(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                            qapp: QApplication) -> None:
    node = real_repo.node("block", "indirect")
    assert node is not None and node.risk_factors == []
    text = whole(export(block_report(real_repo, "indirect"), tmp_path, footer))
    assert "Bouwsteen 6: Indirect" in text
    assert "Voor deze bouwsteen noemt het rapport geen risicofactoren." in text


def test_block_report_never_prints_risk_factors_without_a_warning(real_repo: ModelRepository,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(real_repo, "text", lambda _key: None)  # a model that lacks the warning text
    html = block_report(real_repo, "individu").html
    assert "Let op:" in html and "stigmatiseren" in html


# --- a result list -------------------------------------------------------------------------------------

@needs_pdftotext
def test_results_report_of_all_interventions_spans_pages(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                         qapp: QApplication) -> None:
    ids = real_repo.all_ids()
    assert len(ids) == 120
    description = "Zoekterm ‘ouders’ · filters: trede 2 of hoger"
    report = results_report(real_repo, ids, description)
    assert report.title == "Zoekresultaten"
    pages = export(report, tmp_path, footer)
    assert len(pages) > 1
    text = whole(pages)
    assert description in text
    assert "120 interventies" in text
    for page in pages:  # the table's header row is repeated on every page
        assert re.search(r"Naam\s+Type\s+Trede\s+Nu", page)
    rows = real_repo.rows(ids)
    short = [r.name for r in rows if len(r.name) <= 20]
    assert len(short) > 40
    lines = [line.strip() for page in pages for line in page.splitlines()]
    found = [[i for i, line in enumerate(lines) if re.match(re.escape(name) + r"(\s{2,}|$)", line)] for name in short]
    assert all(len(at) == 1 for at in found), "every intervention is one row, printed once"
    positions = [at[0] for at in found]
    assert positions == sorted(positions)  # in the list's order


@needs_pdftotext
def test_results_report_counts_in_dutch(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                        qapp: QApplication) -> None:
    text = whole(export(results_report(real_repo, ["2do-school"], "Zoekterm ‘2DO’"), tmp_path, footer))
    assert "1 interventie" in text and "1 interventies" not in text
    assert re.search(r"2DO School\s+Theater\s+3 \(doeltreffend\)\s+ja", text)


# --- a werkset -----------------------------------------------------------------------------------------

@pytest.fixture()
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tmp_path / "werkruimte" / "workspace.sqlite")
    werkset = ws.create_shortlist("Aanpak <Oost> & 'West'", "werkset-1")
    ws.add_item(werkset.id, "2gather", "2gather", comment=f"Eerst {TRICKY}{WORD_BREAK}dan de rest")
    ws.add_item(werkset.id, "verdwenen-project", "Verdwenen <i>project</i>", comment="Ooit goed")
    ws.add_item(werkset.id, "2do-school", "2DO School")
    ws.add_entry("2gather", "2gather", status="ingezet", entry_date="2026-10-03", place="<script>wijk</script>",
                 partners="Wijkteam & school", outcome="Veel <u>animo</u>",
                 text=f"Notitie {TRICKY}{WORD_BREAK}regel twee")
    ws.add_entry("2gather", "2gather", status="gepland", entry_date="2027-03-05", text="Tweede ronde")
    ws.add_entry("verdwenen-project", "Verdwenen <i>project</i>", status="niet-passend", text="Paste niet")
    yield ws
    ws.close()


@needs_pdftotext
def test_werkset_report_with_notes(real_repo: ModelRepository, workspace: Workspace, footer: str, tmp_path: Path,
                                   qapp: QApplication) -> None:
    report = werkset_report(real_repo, workspace, "werkset-1", with_notes=True)
    assert report.title == "Werkset: Aanpak <Oost> & 'West'"
    pages = export(report, tmp_path, footer, "werkset")
    raw = "\n".join(pages)
    text = flat(raw)
    assert flat(pages[0]).startswith("Werkset: Aanpak <Oost> & 'West'")
    assert "3 interventies, met eigen notities" in text
    order = [text.index(name) for name in ("1. 2gather", "2. Verdwenen <i>project</i> (niet meer in het model)",
                                           "3. 2DO School")]
    assert order == sorted(order)
    for label in ("Type interventie", "Niveau van onderbouwing", "Nu aangeboden", "Uitvoerder", "Meer informatie",
                  "Opmerking", "Eigen notities"):
        assert label in text, label
    gather = real_repo.intervention("2gather")
    assert gather is not None and gather.links
    assert gather.links[0] in text
    assert "Trede 3: doeltreffend (eigen inschatting)" in text  # 2DO School
    # the user's text: literal, with Word's line break as a line break
    assert f"Eerst {TRICKY}" in text
    assert re.search(re.escape(f"Eerst {TRICKY}") + r"\s*\n\s*dan de rest", raw)
    assert re.search(re.escape(f"Notitie {TRICKY}") + r"\s*\n\s*regel twee", raw)
    assert "\u000b" not in raw
    assert "<script>wijk</script>" in text and "Wijkteam & school" in text and "Veel <u>animo</u>" in text
    assert "Ingezet · 3 oktober 2026" in text and "Gepland · 5 maart 2027" in text
    assert text.index("Gepland · 5 maart 2027") < text.index("Ingezet · 3 oktober 2026")  # newest first
    assert "Niet passend" in text and "Paste niet" in text and "Ooit goed" in text
    assert "Plaats / context" in text and "Met wie" in text and "Resultaat / ervaring" in text


@needs_pdftotext
def test_werkset_report_without_notes_keeps_them_private(real_repo: ModelRepository, workspace: Workspace,
                                                         footer: str, tmp_path: Path, qapp: QApplication) -> None:
    text = whole(export(werkset_report(real_repo, workspace, "werkset-1", with_notes=False), tmp_path, footer))
    assert "3 interventies." in text
    assert f"Eerst {TRICKY}" in text  # the werkset's own comments are part of it
    for private in ("Eigen notities", "Wijkteam", "Tweede ronde", "Paste niet", "Ingezet", "3 oktober 2026"):
        assert private not in text, private


def test_unknown_werkset_is_an_expected_error(real_repo: ModelRepository, workspace: Workspace) -> None:
    with pytest.raises(ExpectedError, match="werkset bestaat niet meer"):
        werkset_report(real_repo, workspace, "weg", with_notes=False)


@needs_pdftotext
def test_a_paragraph_broken_by_a_page_is_printed_once(footer: str, tmp_path: Path, qapp: QApplication) -> None:
    """Qt draws a paragraph's last line above each page's clip too; the PDF must not hold it twice."""
    words = [f"woord{i}" for i in range(400)]
    filler = "".join(f"<p>Alinea {i} met wat tekst.</p>" for i in range(60))
    html = (f"<h1>Lange tekst</h1>{filler}<p>{' '.join(words[:200])}</p>"
            f"<ul><li>Kort</li><li>{' '.join(words[200:])}</li><li>Daarna</li></ul><p>Einde</p>")
    pages = export(Report("Lange tekst", html), tmp_path, footer)
    assert len(pages) >= 3
    found = re.findall(r"woord\d+", "\n".join(pages))
    assert found == words  # every word once, in order
    text = whole(pages)
    assert text.index("woord399") < text.index("Daarna") < text.index("Einde")


# --- the file ------------------------------------------------------------------------------------------

@needs_pdftotext
def test_pdf_is_a4_with_title_and_replaces_an_old_file(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                       qapp: QApplication) -> None:
    path = tmp_path / "factor.pdf"
    path.write_bytes(b"oude inhoud")
    report = factor_report(real_repo, "zelfbeheersing")
    assert export_pdf(report, path, footer) == 1
    assert path.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["factor.pdf"]
    if PDFINFO is not None:
        info = subprocess.run([PDFINFO, str(path)], capture_output=True, check=True).stdout.decode("utf-8")
        assert re.search(r"Title:\s+Zelfbeheersing", info)
        assert re.search(r"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info)


def test_unwritable_target_is_an_expected_error_in_dutch(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                         qapp: QApplication) -> None:
    target = tmp_path / "weg" / "rapport.pdf"  # a folder that is not there (a USB stick that was pulled)
    with pytest.raises(ExpectedError) as caught:
        export_pdf(factor_report(real_repo, "zelfbeheersing"), target, footer)
    message = str(caught.value)
    assert "rapport.pdf" in message and REASONS["onbereikbaar"] in message
    assert not target.parent.exists()


def test_full_disk_keeps_the_old_pdf_and_leaves_no_temporary_file(real_repo: ModelRepository, footer: str,
                                                                     tmp_path: Path, qapp: QApplication,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "rapport.pdf"
    old.write_bytes(b"%PDF oud")

    def full(_src: object, _dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(ExpectedError) as caught:
        export_pdf(factor_report(real_repo, "zelfbeheersing"), old, footer)
    assert "‘rapport.pdf’" in str(caught.value) and REASONS["vol"] in str(caught.value)
    assert old.read_bytes() == b"%PDF oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.pdf"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user for a read-only map")
def test_read_only_folder_leaves_the_old_pdf_alone(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                   qapp: QApplication) -> None:
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    old = folder / "rapport.pdf"
    old.write_bytes(b"%PDF oud")
    folder.chmod(0o555)
    try:
        with pytest.raises(ExpectedError, match=re.escape(REASONS["alleen-lezen"])):
            export_pdf(factor_report(real_repo, "zelfbeheersing"), old, footer)
        assert old.read_bytes() == b"%PDF oud"
        assert sorted(p.name for p in folder.iterdir()) == ["rapport.pdf"]
    finally:
        folder.chmod(0o755)


# --- the print preview ---------------------------------------------------------------------------------

def test_print_report_opens_an_a4_preview_with_the_same_pages(real_repo: ModelRepository, footer: str, tmp_path: Path,
                                                              qtbot: QtBot) -> None:
    report = intervention_report(real_repo, "2do-school")
    expected = export_pdf(report, tmp_path / "vergelijk.pdf", footer)
    dialog = print_report(None, report, footer)
    assert isinstance(dialog, QPrintPreviewDialog)
    try:
        assert dialog.windowTitle() == "Afdrukvoorbeeld – 2DO School"
        assert dialog.printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
        qtbot.waitUntil(dialog.isVisible)
        preview = dialog.findChild(QPrintPreviewWidget)
        assert preview is not None
        qtbot.waitUntil(lambda: preview.pageCount() > 0)
        assert preview.pageCount() == expected
    finally:
        dialog.close()
