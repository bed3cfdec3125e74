"""A local approach from the main window: the Aanpak menu, its windows, and what links to them.

One instance of each window (Quickscan, Plan, Organisaties en praktijkvoorbeelden, Meld aan de
redactie) is kept and raised when it is asked for again. After a model update the windows are
saved and made anew on the new model, so none of them reads from a closed database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop.core.errors import ExpectedError

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.planning.feedback_dialog import FeedbackDialog
    from desktop.ui.planning.organisations_view import OrganisationsView
    from desktop.ui.planning.plan_window import PlanWindow
    from desktop.ui.planning.quickscan_window import QuickscanWindow


def _bring_forward(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class PlanningController:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.quickscan: QuickscanWindow | None = None
        self.plan: PlanWindow | None = None
        self.organisations: OrganisationsView | None = None
        self.feedback: FeedbackDialog | None = None
        self._reopen: set[str] = set()  # windows to show again after a model update

    def open_windows(self) -> list[QWidget]:
        return [w for w in (self.quickscan, self.plan, self.organisations, self.feedback) if w is not None]

    # --- the Aanpak menu ---------------------------------------------------------------------
    def show_quickscan(self) -> None:
        if self.quickscan is None:
            from desktop.ui.planning.quickscan_window import QuickscanWindow

            self.quickscan = QuickscanWindow(self.window.repo, self.window.workspace, self.window)
        _bring_forward(self.quickscan)

    def show_plan(self, cluster_id: str | None = None) -> None:
        if self.plan is None:
            from desktop.ui.planning.plan_window import PlanWindow

            self.plan = PlanWindow(self.window.repo, self.window.workspace, self.window, initial_cluster_id=cluster_id)
            self.plan.open_intervention.connect(self._open_intervention)
            self.plan.open_factor.connect(lambda cid: self._open_node("cluster", cid))
        elif cluster_id is not None:
            self.plan.add_factor(cluster_id)
        _bring_forward(self.plan)

    def add_shown_factor_to_plan(self) -> None:
        """Aanpak › Deze beschermende factor aan het plan toevoegen (the factor selected in the tree)."""
        node = self.window.current_node
        if node[0] != "cluster":
            self.window.statusBar().showMessage(
                "Kies eerst links een beschermende factor; die kunt u aan een plan toevoegen.", 6000)
            return
        self.show_plan(node[1])

    def show_organisations(self, entry_id: str | None = None) -> None:
        if self.organisations is None:
            from desktop.ui.planning.organisations_view import OrganisationsView

            self.organisations = OrganisationsView(self.window.repo, self.window)
            self.organisations.open_node.connect(self._open_node)
        if entry_id is not None:
            self.organisations.select(entry_id)
        _bring_forward(self.organisations)

    def report_to_editors(self, kind: str | None = None, target: str | None = None) -> None:
        """Meld aan de redactie…: about the intervention or factor on screen, unless another is named."""
        if kind is None:
            if self.window.current_intervention:
                kind, target = "intervention", self.window.current_intervention
            elif self.window.current_node[0] == "cluster":
                kind, target = "cluster", self.window.current_node[1]
        from desktop.ui.planning.feedback_dialog import FeedbackDialog

        if self.feedback is not None:
            if not self.feedback.close():
                _bring_forward(self.feedback)
                return
            self.feedback.deleteLater()
        self.feedback = FeedbackDialog(self.window.repo, self.window.workspace, self.window, kind, target)
        _bring_forward(self.feedback)

    # --- links back to the main window ---------------------------------------------------------
    def _open_intervention(self, intervention_id: str) -> None:
        _bring_forward(self.window)
        self.window.open_intervention(intervention_id)

    def _open_node(self, kind: str, node_id: str) -> None:
        _bring_forward(self.window)
        self.window.select_node((kind, node_id))

    # --- life cycle ----------------------------------------------------------------------------
    def close_all(self) -> bool:
        """Before the main window closes: each window saves or asks; False when the user keeps one open."""
        for window in self.open_windows():
            if window.isVisible() and not window.close():
                return False
        return True

    def detach(self) -> None:
        """Just before the model file is replaced: every window saves and goes (they read the old model);
        the ones that were open come back in `attach`."""
        self._reopen = {name for name in ("quickscan", "plan", "organisations")
                        if (w := getattr(self, name)) is not None and w.isVisible()}
        for name in ("quickscan", "plan", "organisations", "feedback"):
            window = getattr(self, name)
            if window is None:
                continue
            save = getattr(window, "save_pending", None)
            if save is not None:
                save()
            window.hide()
            window.deleteLater()
            setattr(self, name, None)

    def attach(self) -> None:
        """The new model is open: stored factor names follow renames; the windows that were open return."""
        from desktop.core.planning.plans import factor_names
        from desktop.core.workspace.planning import sync_factor_names

        if not self.window.workspace.read_only:
            try:
                sync_factor_names(self.window.workspace, factor_names(self.window.repo))
            except ExpectedError:
                pass  # the names are a copy for display; the plans themselves are safe
        openers = {"quickscan": self.show_quickscan, "plan": self.show_plan, "organisations": self.show_organisations}
        for name in sorted(self._reopen):
            openers[name]()
        self._reopen = set()
