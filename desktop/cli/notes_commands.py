"""Commands about the user's own data: notes and werksets (list, export, import)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli import print_json
from desktop.cli.groups import add_list, add_out, command_group, open_workspace, print_lines
from desktop.core import paths
from desktop.core.errors import UsageError
from desktop.core.text import count

EXIT_OK = 0


def add_commands(sub: Any) -> None:
    actions = command_group(sub, "notes", "uw notities en werksets", cmd_notes)
    add_list(actions, "toon alle notities")
    add_out(actions.add_parser("export", help="notities en werksets naar een Excel-werkmap"), "doelbestand (.xlsx)")
    imp = actions.add_parser("import", help="notities en werksets uit een Excel-werkmap inlezen (bijwerken, toevoegen)")
    imp.add_argument("file", type=Path, metavar="BESTAND", help="een door Bouwstenen geëxporteerde werkmap (.xlsx)")


def describe_from_model(data_dir: Path) -> Any:
    from desktop.core.model.build import ensure_bundled_model

    ensure_bundled_model()
    return describe_for(paths.active_model_path(data_dir))


def describe_for(model_path: Path | None) -> Any:
    """A function giving the werkset sheet's model columns for an intervention id (None when unknown).
    It holds the model open: call its `close()` when done."""
    from desktop.core.search.repository import ModelRepository
    from desktop.core.workspace.exchange import InterventionInfo

    if model_path is None:
        def nothing(_intervention_id: str) -> InterventionInfo | None:
            return None

        nothing.close = lambda: None  # type: ignore[attr-defined]
        return nothing
    repo = ModelRepository.open(model_path)
    levels = {lv.trede: lv.name for lv in repo.effectladder()}

    def describe(intervention_id: str) -> InterventionInfo | None:
        detail = repo.intervention(intervention_id)
        if detail is None:
            return None
        meaning = levels.get(detail.trede) if detail.trede is not None else None
        return InterventionInfo(detail.type_text, detail.trede, meaning, detail.offered, detail.provider, detail.links)

    describe.close = repo.close  # type: ignore[attr-defined]
    return describe


def _first_line(text: str | None) -> str:
    lines = (text or "").splitlines()
    return lines[0] if lines else ""


def cmd_notes(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.workspace.exchange import export_notes, import_notes
    from desktop.core.workspace.safety import backup_before

    if args.notes_command is None:
        raise UsageError("kies een actie: notes list, notes export of notes import")
    if args.notes_command == "import":
        paths.require_writable(data_dir, "Notities importeren")
    workspace = open_workspace(data_dir)
    try:
        if args.notes_command == "list":
            entries = workspace.all_entries()
            if args.json:
                shortlists = [
                    {"id": s.id, "name": s.name,
                     "items": [{"intervention_id": i.intervention_id, "intervention_name": i.intervention_name,
                                "position": i.position, "comment": i.comment} for i in workspace.items(s.id)]}
                    for s in workspace.shortlists()
                ]
                print_json({"notes": [asdict(e) for e in entries], "shortlists": shortlists})
            else:
                print_lines((f"{e.intervention_name} [{e.intervention_id}] {e.entry_date or ''} {e.status or ''}: "
                             f"{_first_line(e.text or e.outcome)}" for e in entries),
                            count(len(entries), "notitie", "notities"))
        elif args.notes_command == "export":
            describe = describe_from_model(data_dir)
            try:
                result = export_notes(workspace, args.out, describe=describe)
            finally:
                describe.close()
            print(f"{result.summary()} Bestand: {args.out}", file=sys.stderr)
        else:
            workspace.close()
            backup_before(data_dir, "notities-import")
            from desktop.core.workspace.store import Workspace

            workspace = Workspace(paths.workspace_path(data_dir))
            imported = import_notes(workspace, args.file)
            for problem in imported.problems:
                print(f"let op: {problem}", file=sys.stderr)
            for line in imported.summary():
                print(line, file=sys.stderr)
    finally:
        workspace.close()
    return EXIT_OK
