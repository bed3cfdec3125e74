"""The windows of a local approach, driven through real widgets (offscreen)."""

# pytest-qt has no type hints for its QtBot methods
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QLabel,
    QTabBar,
    QTableWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.core.search.repository import ModelRepository
from desktop.core.workspace import planning as store
from desktop.core.workspace.store import Workspace
from desktop.ui import planning as ui_planning
from desktop.ui.planning.feedback_dialog import FeedbackDialog
from desktop.ui.planning.organisations_view import OrganisationsView
from desktop.ui.planning.plan_window import PlanWindow
from desktop.ui.planning.quickscan_window import QuickscanWindow
from desktop.ui.tasks import wait_for

pytestmark = pytest.mark.gui

FIVE = ["algeheel-vertrouwen", "kennis", "stabiele-positieve-en-ondersteunende-relaties-met-peers-en-gemeenschap",
        "zelfontplooiing", "ideologische-weerbaarheid"]


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Never start a real browser from a test; record what would have been opened."""
    opened: list[str] = []

    def record(url: QUrl) -> bool:
        opened.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    return opened


@pytest.fixture()
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tmp_path / "werkruimte" / "workspace.sqlite")
    yield ws
    ws.close()


def show(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ancestors(widget: QWidget, top: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def unnamed_controls(window: QWidget) -> list[str]:
    """Focusable controls a screen reader could not name."""
    missing = []
    for widget in window.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(widget, QTabBar):
            continue
        if any(isinstance(a, QComboBox | QAbstractItemView | QDateEdit) for a in ancestors(widget, window)):
            continue  # the parts of a combo box, a list or a date field
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if not name.replace("&", "").strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def cell_text(item: QTableWidgetItem | None) -> str:
    assert item is not None
    return item.text()


def click_item(qtbot: QtBot, view: QAbstractItemView, row: int) -> None:
    index = view.model().index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def click_radio(qtbot: QtBot, radio: QAbstractButton) -> None:
    """Click on the radio button's circle (a click right of its label is not a click on the button)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF text cannot be checked")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


# --- quickscan ----------------------------------------------------------------------------------------

def test_fill_in_a_quickscan_through_the_widgets(qtbot: QtBot, real_repo: ModelRepository,
                                                 workspace: Workspace) -> None:
    window = show(qtbot, QuickscanWindow(real_repo, workspace))
    assert isinstance(window, QuickscanWindow)
    assert window.empty.isVisible() and not window.tabs.isVisible()
    qtbot.mouseClick(window.first_button, Qt.MouseButton.LeftButton)
    assert window.tabs.isVisible() and len(store.quickscans(workspace)) == 1
    window.name.selectAll()
    qtbot.keyClicks(window.name, "Quickscan Utrecht 2026")
    qtbot.keyClick(window.name, Qt.Key.Key_Return)
    qtbot.keyClicks(window.municipality, "Utrecht")
    qtbot.keyClick(window.municipality, Qt.Key.Key_Return)
    scan = store.quickscans(workspace)[0]
    assert (scan.name, scan.municipality) == ("Quickscan Utrecht 2026", "Utrecht")

    click_item(qtbot, window.group_list, 5)  # "Uitleg vraag 6, 7 en 8"
    assert window.pages.currentIndex() == 5
    page = window.pages.currentWidget()
    assert page is not None
    page_text = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "De lokale aanpak /het programma moet een antwoord vormen" in page_text  # the explanation, in full
    for number, status in ((6, "op-orde"), (7, "nog-niet"), (8, "deels")):
        click_radio(qtbot, window.editors[number].radios[status])
    qtbot.keyClicks(window.editors[7].note, "Geen input van partners")
    qtbot.waitUntil(lambda: (store.answers(workspace, scan.id).get(7) or store.QuickscanAnswer("", 0, None, None, ""))
                    .note == "Geen input van partners", timeout=3000)
    answers = store.answers(workspace, scan.id)
    assert {n: a.status for n, a in answers.items()} == {6: "op-orde", 7: "nog-niet", 8: "deels"}
    assert "3 van 3 beantwoord" in window.group_list.item(5).text()
    assert "0 van 1 beantwoord" in window.group_list.item(0).text()
    assert window.progress_bar.value() == 3 and window.progress_bar.maximum() == 26
    assert window.editors[6].title() == "Vraag 6"  # never an invented question text

    qtbot.mouseClick(window.editors[8].clear_button, Qt.MouseButton.LeftButton)
    assert 8 not in store.answers(workspace, scan.id)
    window.tabs.setCurrentIndex(1)
    summary = window.summary.toPlainText()
    assert "Nog niet (1)" in summary and "Geen input van partners" in summary and "Vraag 7" in summary
    assert "Deels" not in summary.split("Nog niet beantwoord")[0]

    # a second quickscan, for another year: kept apart
    qtbot.mouseClick(window.new_button, Qt.MouseButton.LeftButton)
    assert window.scans.count() == 2 and window.editors[7].status() is None
    window.scans.setCurrentIndex(0)
    assert window.editors[7].status() == "nog-niet"
    assert unnamed_controls(window) == []


def test_a_failed_save_keeps_the_answer_and_says_so(qtbot: QtBot, real_repo: ModelRepository,
                                                    workspace: Workspace) -> None:
    scan = store.create_quickscan(workspace, "Quickscan 2026")
    window = show(qtbot, QuickscanWindow(real_repo, workspace))
    assert isinstance(window, QuickscanWindow)
    window.show_question(3)
    assert window.editors[3].isVisible()
    workspace.read_only = True  # from now on every write fails, as on a full disk
    qtbot.mouseClick(window.editors[3].radios["deels"], Qt.MouseButton.LeftButton)
    assert window.banner.kind == "warning" and "lukt niet" in window.banner.text()
    assert "staat nog in het venster" in window.banner.text() and window.retry_button.isVisible()
    assert window.editors[3].status() == "deels"  # the input is kept
    assert store.answers(workspace, scan.id) == {}
    workspace.read_only = False
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    assert store.answers(workspace, scan.id)[3].status == "deels"
    assert not window.banner.isVisible() and not window.retry_button.isVisible()


def test_read_only_workspace_disables_editing(qtbot: QtBot, real_repo: ModelRepository, tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    with Workspace(path) as writable:
        scan = store.create_quickscan(writable, "Quickscan 2026")
        store.set_answer(writable, scan.id, 1, "op-orde", "klaar")
        store.create_plan(writable, "Aanpak")
    with Workspace(path, read_only=True) as read_only:
        quick = show(qtbot, QuickscanWindow(real_repo, read_only))
        assert isinstance(quick, QuickscanWindow)
        assert quick.read_only_banner.isVisible() and "Alleen lezen" in quick.read_only_banner.text()
        assert not quick.editors[1].radios["deels"].isEnabled() and quick.editors[1].note.isReadOnly()
        assert quick.editors[1].status() == "op-orde" and not quick.new_button.isEnabled()
        assert quick.pdf_button.isEnabled()  # exporting is still possible
        plan = show(qtbot, PlanWindow(real_repo, read_only, initial_cluster_id="kennis"))
        assert isinstance(plan, PlanWindow)
        assert "Alleen lezen" in plan.read_only_banner.text()
        assert not plan.factor_items["kennis"].flags() & Qt.ItemFlag.ItemIsUserCheckable
        assert plan.draft is not None and plan.draft.factors == []  # not added: nothing can be written
        assert "alleen-lezen" in plan.banner.text()
        feedback = show(qtbot, FeedbackDialog(real_repo, read_only, None, "intervention", "diamant"))
        assert isinstance(feedback, FeedbackDialog)
        assert not feedback.save_button.isEnabled() and feedback.text.isReadOnly()


# --- plan ---------------------------------------------------------------------------------------------

def choose(qtbot: QtBot, window: PlanWindow, cluster_id: str, name: str) -> None:
    """Find a factor by typing in the filter, then tick it with the space bar."""
    window.filter.clear()
    qtbot.keyClicks(window.filter, name[:14])
    item = window.factor_items[cluster_id]
    assert not item.isHidden()
    window.tree.setCurrentItem(item)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Space)


def test_choose_five_factors_see_coverage_and_gaps_and_export_the_memo(
        qtbot: QtBot, real_repo: ModelRepository, workspace: Workspace, tmp_path: Path) -> None:
    window = show(qtbot, PlanWindow(real_repo, workspace))
    assert isinstance(window, PlanWindow)
    qtbot.mouseClick(window.first_button, Qt.MouseButton.LeftButton)
    window.name.selectAll()
    qtbot.keyClicks(window.name, "Weerbare jongeren Noord")
    qtbot.keyClick(window.name, Qt.Key.Key_Return)
    names = {cid: real_repo.node("cluster", cid).name for cid in FIVE}  # type: ignore[union-attr]
    for cid in FIVE:
        choose(qtbot, window, cid, names[cid])
    plan = store.plans(workspace)[0]
    assert plan.name == "Weerbare jongeren Noord"
    assert [f.cluster_id for f in store.plan_factors(workspace, plan.id)] == FIVE
    assert window.chosen.count() == 5 and window.chosen_label.text() == "5 factoren gekozen"

    window.chosen.setCurrentRow(3)  # zelfontplooiing
    qtbot.keyClicks(window.reason, "Jongeren in Noord zien weinig perspectief")
    qtbot.waitUntil(lambda: store.plan_factors(workspace, plan.id)[3].reason is not None, timeout=3000)
    assert store.plan_factors(workspace, plan.id)[3].reason == "Jongeren in Noord zien weinig perspectief"

    coverage = window.coverage
    assert coverage is not None
    assert window.matrix.columnCount() == 4 + 5 and window.matrix.rowCount() == len(coverage.matrix) > 3
    headers = [cell_text(window.matrix.horizontalHeaderItem(c)) for c in range(window.matrix.columnCount())]
    assert headers[:4] == ["Interventie", "Trede", "Nu aangeboden", "Mijn status"]
    marks = [cell_text(window.matrix.item(r, 4 + FIVE.index("zelfontplooiing")))
             for r in range(window.matrix.rowCount())]
    assert marks.count("●") == len(coverage.factors[3].shown)
    gaps = window.gaps.toPlainText()
    assert "Factoren zonder interventies in het model (1)" in gaps and names["algeheel-vertrouwen"] in gaps
    assert "alleen interventies zonder trede" in gaps and names["kennis"] in gaps
    assert "nu wordt aangeboden" in gaps and names[FIVE[2]] in gaps
    assert window.tabs.tabText(2) == "Lacunes (3)"
    risks = window.risks.toPlainText()
    assert risks.strip().startswith("Let op:") and "stigmatiserend" in risks and "Individu" in risks

    # unticking removes the factor; ticking it again brings it back at the end
    choose(qtbot, window, "kennis", names["kennis"])
    assert "kennis" not in [f.cluster_id for f in store.plan_factors(workspace, plan.id)]
    choose(qtbot, window, "kennis", names["kennis"])

    target = tmp_path / "memo.pdf"
    task = window.export_pdf(target)
    wait_for(task)  # type: ignore[arg-type]
    assert window.banner.kind == "info" and target.exists()
    text = pdf_text(target)
    for name in names.values():
        assert " ".join(name.split()) in text, name
    assert "Memo aan de gemeenteraad" in text and "Weerbare jongeren Noord" in text
    assert "Lacunes" in text and "Factoren zonder interventies in het model" in text
    assert "Jongeren in Noord zien weinig perspectief" in text
    assert f"Bouwstenenmodel versie {real_repo.meta()['model_version']}" in text
    assert "pagina 1 van" in text
    assert unnamed_controls(window) == []

    xlsx = tmp_path / "plan.xlsx"
    wait_for(window.export_xlsx(xlsx))  # type: ignore[arg-type]
    assert openpyxl.load_workbook(xlsx)["Factoren"].cell(2, 4).value == names["algeheel-vertrouwen"]


def test_werkset_scope_removed_factor_and_add_factor_api(qtbot: QtBot, real_repo: ModelRepository,
                                                         workspace: Workspace) -> None:
    werkset = workspace.create_shortlist("Wat we al doen")
    plan = store.create_plan(workspace, "Aanpak")
    store.add_plan_factor(workspace, plan.id, "verdwenen-factor", "Een factor uit een ouder model")
    window = show(qtbot, PlanWindow(real_repo, workspace, initial_cluster_id="zelfontplooiing"))
    assert isinstance(window, PlanWindow)
    assert [f.cluster_id for f in store.plan_factors(workspace, plan.id)] == ["verdwenen-factor", "zelfontplooiing"]
    assert "niet meer in het model" in window.chosen.item(0).text()
    assert not window.removed_root.isHidden() and window.removed_root.childCount() == 1
    first = window.coverage.factors[1].links[0]  # type: ignore[union-attr]
    workspace.add_item(werkset.id, first.intervention_id, first.name)
    assert window.add_factor("kennis") and not window.add_factor("kennis")
    window.scope.setCurrentIndex(window.scope.findData(werkset.id))
    assert store.plan(workspace, plan.id).shortlist_id == werkset.id  # type: ignore[union-attr]
    assert window.matrix.rowCount() == 1 and cell_text(window.matrix.item(0, 0)) == first.name
    assert "Factoren die werkset ‘Wat we al doen’ niet dekt" in window.gaps.toPlainText()
    activated: list[str] = []
    window.open_intervention.connect(activated.append)
    window.matrix.itemActivated.emit(window.matrix.item(0, 1))
    assert activated == [first.intervention_id]


# --- organisations and practice examples ------------------------------------------------------------

def test_organisations_view_filters_by_typing_and_opens_sites_only_on_a_click(
        qtbot: QtBot, real_repo: ModelRepository, no_browser: list[str]) -> None:
    view = show(qtbot, OrganisationsView(real_repo))
    assert isinstance(view, OrganisationsView)
    assert len(view.visible_titles()) == 31
    qtbot.keyClicks(view.search, "coordinator")
    assert view.visible_titles() == ["Nationaal Coördinator Terrorisme en Veiligheid (NCTV)"]
    assert "1 resultaat" in view.result_label.text()
    view.search.clear()
    qtbot.keyClicks(view.search, "jeugd")
    titles = view.visible_titles()
    assert "Nederlands Jeugdinstituut (NJi)" in titles and "TNO" not in titles
    assert "TILBURG - Integrale samenwerking" in titles  # found in its text
    view.search.clear()
    qtbot.keyClicks(view.search, "Tilburg")
    assert "Training en netwerkvorming voor signalering" in view.details.toPlainText()  # its factor links
    assert not view.website_button.isVisible()  # a practice example has no website of its own
    nodes: list[tuple[str, str]] = []
    view.open_node.connect(lambda kind, node: nodes.append((kind, node)))
    view._anchor(QUrl("bouwstenen:cluster/training-en-netwerkvorming-voor-signalering"))
    assert nodes == [("cluster", "training-en-netwerkvorming-voor-signalering")]
    view.search.clear()
    qtbot.keyClicks(view.search, "sociale stabiliteit")
    assert view.current is not None and view.current.id == "expert-unit-sociale-stabiliteit-ess"
    assert no_browser == []  # nothing opened by showing it
    qtbot.mouseClick(view.website_button, Qt.MouseButton.LeftButton)
    assert no_browser == ["http://www.socialestabiliteit.nl"]
    view._anchor(QUrl("file:///etc/passwd"))
    assert no_browser == ["http://www.socialestabiliteit.nl"] and "niet geopend" in view.status.text()
    assert ui_planning.opened_urls[-1] == "http://www.socialestabiliteit.nl"
    assert unnamed_controls(view) == []


# --- feedback -----------------------------------------------------------------------------------------

def test_feedback_dialog_saves_edits_and_exports_reports(qtbot: QtBot, real_repo: ModelRepository,
                                                        workspace: Workspace, tmp_path: Path) -> None:
    dialog = show(qtbot, FeedbackDialog(real_repo, workspace, None, "intervention", "under-pressure"))
    assert isinstance(dialog, FeedbackDialog)
    assert not dialog.isModal()
    name = real_repo.row("under-pressure").name  # type: ignore[union-attr]
    assert dialog.subject.text() == f"Over interventie ‘{name}’"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing typed yet
    assert dialog.banner.kind == "warning" and "Beschrijf" in dialog.banner.text()
    assert store.feedback_reports(workspace) == []
    click_radio(qtbot, dialog.kind_radios["kapotte-link"])
    qtbot.keyClicks(dialog.text, "https://example.org/under-pressure geeft 'pagina niet gevonden'")
    qtbot.keyClicks(dialog.contact, "j.jansen@gemeente.nl")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    reports = store.feedback_reports(workspace)
    assert len(reports) == 1
    report = reports[0]
    assert (report.kind, report.target_kind, report.target_id, report.target_name) == (
        "kapotte-link", "intervention", "under-pressure", name)
    assert report.contact == "j.jansen@gemeente.nl" and report.model_version == real_repo.meta()["model_version"]
    assert dialog.reports.count() == 1 and dialog.banner.kind == "info"

    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    click_radio(qtbot, dialog.kind_radios["nieuwe-interventie"])
    assert dialog.proposal_box.isVisible()
    qtbot.keyClicks(dialog.proposal["name"], "Buurtgesprekken Noord")
    qtbot.keyClicks(dialog.proposal["why"], "Versterkt sociaal vertrouwen in de wijk")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(store.feedback_reports(workspace)) == 2
    proposal = store.feedback_reports(workspace)[1]
    assert proposal.proposal == {"name": "Buurtgesprekken Noord", "why": "Versterkt sociaal vertrouwen in de wijk"}

    # edit the first report from the list
    click_item(qtbot, dialog.reports, 1)
    assert dialog.kind() == "kapotte-link" and dialog.editing is not None
    dialog.text.selectAll()
    qtbot.keyClicks(dialog.text, "Link is dood")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert store.feedback_report(workspace, report.id).text == "Link is dood"  # type: ignore[union-attr]
    assert len(store.feedback_reports(workspace)) == 2

    target = tmp_path / "meldingen.xlsx"
    wait_for(dialog.export(target))  # type: ignore[arg-type]
    sheet = openpyxl.load_workbook(target)["Meldingen"]
    assert sheet.max_row == 3 and sheet.cell(1, 1).value == "Soort"
    dialog.delete_selected(confirm=False)
    assert [r.id for r in store.feedback_reports(workspace)] == [proposal.id]
    assert unnamed_controls(dialog) == []


def test_feedback_dialog_keeps_input_when_saving_fails(qtbot: QtBot, real_repo: ModelRepository,
                                                       workspace: Workspace) -> None:
    dialog = show(qtbot, FeedbackDialog(real_repo, workspace, None, "cluster", "kennis"))
    assert isinstance(dialog, FeedbackDialog)
    assert dialog.subject.text() == "Over beschermende factor ‘Kennis’"
    qtbot.keyClicks(dialog.text, "De literatuur is verouderd")
    workspace.read_only = True
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "lukt niet" in dialog.banner.text() and dialog.text.toPlainText() == "De literatuur is verouderd"
    workspace.read_only = False
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [r.text for r in store.feedback_reports(workspace)] == ["De literatuur is verouderd"]


def test_windows_are_top_level_and_non_modal(qtbot: QtBot, real_repo: ModelRepository,
                                             workspace: Workspace) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    for window in (QuickscanWindow(real_repo, workspace, parent), PlanWindow(real_repo, workspace, parent),
                   OrganisationsView(real_repo, parent), FeedbackDialog(real_repo, workspace, parent, None, None)):
        assert window.isWindow() and not window.isModal()


def test_plan_window_keeps_a_choice_that_could_not_be_saved(qtbot: QtBot, real_repo: ModelRepository,
                                                            workspace: Workspace) -> None:
    plan = store.create_plan(workspace, "Aanpak")
    window = show(qtbot, PlanWindow(real_repo, workspace))
    assert isinstance(window, PlanWindow)
    workspace.read_only = True  # every write fails from now on
    choose(qtbot, window, "kennis", "Kennis")
    assert window.banner.kind == "warning" and "lukt niet" in window.banner.text()
    assert window.factor_items["kennis"].checkState(0) == Qt.CheckState.Checked  # the choice is kept
    assert window.chosen.count() == 1 and store.plan_factors(workspace, plan.id) == []
    workspace.read_only = False
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    assert [f.cluster_id for f in store.plan_factors(workspace, plan.id)] == ["kennis"]
    assert not window.banner.isVisible()
