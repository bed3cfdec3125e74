"""Plans combined with the model: adding a factor by id, and the coverage of a stored plan."""

from __future__ import annotations

from desktop.core.errors import WorkspaceError
from desktop.core.planning.coverage import Coverage, compute_coverage
from desktop.core.search.repository import ModelRepository
from desktop.core.workspace import planning as store
from desktop.core.workspace.store import Workspace


def factor_names(repo: ModelRepository) -> dict[str, str]:
    """Every beschermende factor of the model: cluster id -> name."""
    return {r[0]: r[1] for r in repo.conn.execute("SELECT id, name FROM cluster")}


def add_factor(workspace: Workspace, repo: ModelRepository, plan_id: str, cluster_id: str,
               reason: str | None = None) -> bool:
    """Add the model's factor `cluster_id` to a plan (its name is kept with it); False when already in it."""
    name = factor_names(repo).get(cluster_id)
    if name is None:
        raise WorkspaceError(f"‘{cluster_id}’ is geen beschermende factor in dit model.")
    return store.add_plan_factor(workspace, plan_id, cluster_id, name, reason)


def werkset_of(workspace: Workspace, shortlist_id: str | None) -> tuple[list[str], str] | None:
    """(intervention ids, name) of a werkset; None when none is chosen or it no longer exists."""
    if not shortlist_id:
        return None
    found = next((s for s in workspace.shortlists() if s.id == shortlist_id), None)
    if found is None:
        return None
    return [item.intervention_id for item in workspace.items(found.id)], found.name


def plan_coverage(repo: ModelRepository, workspace: Workspace, plan_id: str) -> Coverage:
    chosen = store.plan(workspace, plan_id)
    if chosen is None:
        raise WorkspaceError("Dit plan bestaat niet meer.")
    factors = [(f.cluster_id, f.cluster_name, f.reason) for f in store.plan_factors(workspace, plan_id)]
    werkset = werkset_of(workspace, chosen.shortlist_id)
    return compute_coverage(repo, factors, werkset[0] if werkset else None, werkset[1] if werkset else None,
                            workspace.latest_status())
