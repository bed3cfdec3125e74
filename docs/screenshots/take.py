"""Make the screenshots in docs/screenshots/ from the running application (for maintainers).

Run under a virtual display so the windows are real:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/screenshots/take.py
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 2880x1620x24" .venv/bin/python docs/screenshots/take.py --scaled

The application runs on its bundled model with a throw-away data folder holding a few example notes,
a werkset and a plan, so every screen shows what a user would see after a week of use.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.core import paths  # noqa: E402
from desktop.core.search.repository import ModelRepository  # noqa: E402
from desktop.core.workspace.store import Workspace  # noqa: E402
from desktop.ui.app import install_dutch  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent
SIZES = {"1024x768": (1024, 768), "1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def seed_workspace(home: Path) -> None:
    with Workspace(paths.workspace_path(home)) as workspace:
        workspace.add_entry("under-pressure", "Under Pressure", status="ingezet", entry_date="2026-10-14",
                            place="Het Stedelijk College, klas 3", partners="mentor, jongerenwerker",
                            outcome="Levendig gesprek over groepsdruk online; vervolg in het voorjaar.",
                            text="Goed voorbereid met de mentor; twee lessen van 50 minuten.")
        workspace.add_entry("diamant", "DIAMANT", status="overwogen", entry_date="2026-11-02",
                            text="Vragen bij de GGD wat de wachttijd is.")
        werkset = workspace.create_shortlist("Weerbaarheid jongeren 2027")
        for iid, name in (("under-pressure", "Under Pressure"), ("diamant", "DIAMANT"),
                          ("toolbox-mediaopvoeding", "Toolbox Mediaopvoeding")):
            workspace.add_item(werkset.id, iid, name)


class Shooter:
    def __init__(self, app: QApplication, suffix: str) -> None:
        self.app = app
        self.suffix = suffix
        self.steps: list[Callable[[], None]] = []

    def save(self, widget: QWidget, name: str) -> None:
        target = OUT / f"{name}{self.suffix}.png"
        widget.grab().save(str(target))
        print(target.relative_to(ROOT))

    def run(self) -> None:
        def next_step() -> None:
            if not self.steps:
                self.app.quit()
                return
            self.steps.pop(0)()
            QTimer.singleShot(700, next_step)

        QTimer.singleShot(900, next_step)
        self.app.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaled", action="store_true", help="only the main window at 1366x768, for QT_SCALE_FACTOR")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    install_dutch(app)
    folder = Path(tempfile.mkdtemp(prefix="bouwstenen-shots-"))
    seed_workspace(folder)
    repo = ModelRepository.open(paths.bundled_model_path())
    window = MainWindow(repo, folder, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    factor = os.environ.get("QT_SCALE_FACTOR", "1")
    shooter = Shooter(app, f"-schaal-{factor}" if args.scaled else "")
    steps = shooter.steps

    def at(size: str) -> Callable[[], None]:
        def resize() -> None:
            width, height = SIZES[size]
            window.showNormal()
            window.resize(width, height)
            window._proportions(width, height)
        return resize

    def search(text: str) -> Callable[[], None]:
        def typed() -> None:
            window.search.setText(text)
            window.refresh()
            window.table.selectRow(0)
        return typed

    window.show()
    if args.scaled:
        steps += [at("1366x768"), search("mediawijsheid"), lambda: shooter.save(window, "hoofdvenster")]
        shooter.run()
        return
    for size in SIZES:
        steps += [at(size), window.show_map, lambda s=size: shooter.save(window, f"overzicht-{s}")]
        steps += [search("mediawijsheid"), lambda s=size: shooter.save(window, f"hoofdvenster-{s}")]
        steps += [lambda: window.search.clear()]
    steps += [at("1366x768"), search("ouders"), lambda: shooter.save(window, "hoofdvenster"),
              lambda: window.search.clear(),
              lambda: window.select_node(("block", "individu")), lambda: shooter.save(window, "bouwsteen"),
              lambda: window.select_node(("cluster", "mediawijsheid")),
              lambda: shooter.save(window, "beschermende-factor")]

    def background() -> None:
        window.show_background("triggerfactoren-per-niveau")
        assert window.background is not None
        window.background.resize(1200, 720)

    def plan() -> None:
        window.planning.show_plan("mediawijsheid")
        assert window.planning.plan is not None
        for cid in ("kritisch-en-complex-denkvermogen", "ideologische-weerbaarheid", "goede-band-met-familie-"
                    "opvoedondersteuners"):
            window.planning.plan.add_factor(cid)
        window.planning.plan.resize(1366, 768)

    def print_preview() -> None:
        window.open_intervention("under-pressure")
        window.print_shown()

    def close_print() -> None:
        if window.print_dialog is not None:
            window.print_dialog.close()

    steps += [background, lambda: shooter.save(window.background, "achtergrond"),  # type: ignore[arg-type]
              lambda: window.background.close(),  # type: ignore[union-attr]
              plan, lambda: shooter.save(window.planning.plan, "plan"),  # type: ignore[arg-type]
              lambda: window.planning.plan.close(),  # type: ignore[union-attr]
              window.planning.show_quickscan,
              lambda: shooter.save(window.planning.quickscan, "quickscan"),  # type: ignore[arg-type]
              lambda: window.planning.quickscan.close(),  # type: ignore[union-attr]
              lambda: window.planning.show_organisations("tilburg-integrale-samenwerking"),
              lambda: shooter.save(window.planning.organisations, "organisaties"),  # type: ignore[arg-type]
              lambda: window.planning.organisations.close(),  # type: ignore[union-attr]
              print_preview, lambda: shooter.save(window.print_dialog, "afdrukvoorbeeld"),  # type: ignore[arg-type]
              close_print]

    def update() -> None:
        from desktop.core.model.entities import Intervention
        from desktop.core.model.toml_codec import load_source
        from desktop.core.model.xlsx_write import write_workbook

        source = load_source(ROOT / "data")
        source.meta.update(model_version="1.1", published="2027-03-01")
        source.blocks[3].themes[2].clusters[0].name += " en digitale geletterdheid"
        source.interventions[0].trede = 3
        source.interventions.append(Intervention(id="nieuwe-interventie", name="Nieuwe interventie (voorbeeld)",
                                                 description="Een interventie die in 2027 is toegevoegd."))
        book = folder / "bouwstenenmodel-1.1.xlsx"
        write_workbook(source, book)
        window.updates.update_model(book)

    def apply_update() -> None:
        assert window.updates.dialog is not None
        window.updates.dialog.update_button.click()

    def history() -> None:
        window.updates.show_history()
        assert window.updates.history is not None
        window.updates.history.resize(1000, 420)

    steps += [at("1366x768"), update, lambda: None, lambda: None,
              lambda: shooter.save(window.updates.dialog, "model-bijwerken"),  # type: ignore[arg-type]
              apply_update, lambda: None, lambda: None, history,
              lambda: shooter.save(window.updates.history, "geschiedenis"),  # type: ignore[arg-type]
              lambda: window.updates.history.close()]  # type: ignore[union-attr]

    def presentation(size: str) -> Callable[[], None]:
        def start() -> None:
            window.select_node(("block", "individu"))
            window.start_presentation()
            assert window.presentation is not None
            window.presentation.showNormal()
            window.presentation.resize(*SIZES[size])
        return start

    for size in ("1024x768", "1920x1080"):
        steps += [presentation(size), lambda s=size: shooter.save(window.presentation, f"presentatie-{s}"),
                  lambda: window.presentation.close()]  # type: ignore[union-attr]
    shooter.run()


if __name__ == "__main__":
    main()
