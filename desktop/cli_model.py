"""Command-line handlers for model updates: import, rollback, history, publish.

Wired into `desktop/cli.py` by:

    from desktop import cli_model
    cli_model.add_commands(sub)                      # in build_parser(), after the other sub-commands
    code = cli_model.run_command(args, data_dir)     # in main(), before the other commands
    if code is not None:
        return code

Every failure prints a Dutch message on stderr and returns 1; nothing here raises for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core import paths

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
COMMANDS = ("import", "rollback", "history", "publish")


def add_commands(subparsers: Any) -> None:
    """Add `import`, `rollback`, `history` and `publish` to the `bouwstenen` sub-commands."""
    imp = subparsers.add_parser("import", help="lees een gepubliceerd model in (.xlsx, .sqlite of .db)")
    imp.add_argument("file", type=Path, metavar="BESTAND", help="de gepubliceerde werkmap of database")
    imp.add_argument("--dry-run", action="store_true", help="toon alleen wat er zou veranderen; wijzig niets")
    imp.add_argument("--yes", action="store_true", help="werk bij zonder om bevestiging te vragen")

    back = subparsers.add_parser("rollback", help="zet de vorige versie van het model terug")
    back.add_argument("--yes", action="store_true", help="zonder om bevestiging te vragen")

    history = subparsers.add_parser("history", help="de geschiedenis van modelupdates")
    history.add_argument("--json", action="store_true", help="als JSON")

    publish = subparsers.add_parser("publish", help="maak de gepubliceerde werkmap en database (voor redacteuren)")
    publish.add_argument("--out", type=Path, required=True, metavar="MAP", help="map voor de bestanden")
    publish.add_argument("--version", dest="model_version", metavar="V", help="versienummer (standaard: uit data/)")
    publish.add_argument("--date", dest="published", metavar="JJJJ-MM-DD",
                         help="publicatiedatum (standaard: uit data/)")
    publish.add_argument("--source", type=Path, metavar="MAP", help="map met de brongegevens (standaard: data/)")


def _err(message: str) -> None:
    print(f"bouwstenen: {message}", file=sys.stderr)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{question} [j/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


def _progress(step: int, total: int, label: str) -> None:
    print(f"  [{step}/{total}] {label}", file=sys.stderr)


def workspace_note_ids(data_dir: Path) -> set[str]:
    """Ids of interventions the user's notes or shortlists point at, read without changing the workspace."""
    import sqlite3

    from desktop.core.model_import import open_read_only

    path = paths.workspace_path(data_dir)
    if not path.exists():
        return set()
    ids: set[str] = set()
    conn = open_read_only(path)
    try:
        for table in ("note_entry", "shortlist_item"):
            try:
                ids |= {str(r[0]) for r in conn.execute(f"SELECT DISTINCT intervention_id FROM {table}")}
            except sqlite3.DatabaseError:
                continue
    finally:
        conn.close()
    return ids


def run_command(args: argparse.Namespace, data_dir: Path,
                note_ids: Callable[[], set[str]] | None = None) -> int | None:
    """Run one of this module's commands; None when `args.command` is not one of them.

    `note_ids` gives the ids of interventions that have notes (default: read from the workspace
    file, read-only), so the preview can say which notes an update touches.
    """
    command = getattr(args, "command", None)
    if command not in COMMANDS:
        return None
    try:
        if command == "import":
            return cmd_import(args, data_dir, note_ids)
        if command == "rollback":
            return cmd_rollback(args, data_dir)
        if command == "history":
            return cmd_history(args, data_dir)
        return cmd_publish(args)
    except KeyboardInterrupt:
        _err("afgebroken.")
        return EXIT_FAILURE


def cmd_import(args: argparse.Namespace, data_dir: Path, note_ids: Callable[[], set[str]] | None) -> int:
    from desktop.core.model_import import (
        ModelImportError,
        apply,
        cleanup_staging,
        describe_errors,
        describe_preview,
        inspect,
    )

    if not args.dry_run:
        cleanup_staging(data_dir)
    current = paths.active_model_path(data_dir)
    if current == paths.bundled_model_path():
        paths.ensure_bundled_model()
    notes: set[str] = set()
    try:
        notes = note_ids() if note_ids is not None else workspace_note_ids(data_dir)
    except Exception as exc:  # the notes are only used to inform; never block an update on them
        _err(f"waarschuwing: uw notities konden niet worden gelezen ({exc}).")
    preview = inspect(args.file, current if current.exists() else None, notes)
    if not preview.ok:
        for line in describe_errors(preview):
            print(line, file=sys.stderr)
        for problem in preview.warnings:
            print(f"  ! {problem}", file=sys.stderr)
        return EXIT_FAILURE
    for line in describe_preview(preview):
        print(line)
    if args.dry_run:
        print("Proefrit (--dry-run): er is niets gewijzigd.")
        return EXIT_OK
    if not args.yes and not _confirm("Model bijwerken?"):
        print("Niet bijgewerkt; er is niets gewijzigd (gebruik --yes om zonder vraag bij te werken).",
              file=sys.stderr)
        return EXIT_FAILURE
    try:
        record = apply(preview, data_dir, _progress)
    except ModelImportError as exc:
        _err(str(exc))
        return EXIT_FAILURE
    print(f"Model bijgewerkt naar versie {record.model_version} (gepubliceerd {record.published}): "
          f"{record.counts.get('interventions', 0)} interventies.")
    if record.note:
        _err(f"waarschuwing: {record.note}")
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.model_import import ModelImportError, previous_version, rollback

    previous = previous_version(data_dir)
    if previous is None:
        _err("er is geen vorige versie om terug te zetten.")
        return EXIT_FAILURE
    print(f"Terugzetten: {previous.describe()}.")
    if not args.yes and not _confirm("Vorige versie terugzetten?"):
        print("Niet teruggezet; er is niets gewijzigd (gebruik --yes om zonder vraag terug te zetten).",
              file=sys.stderr)
        return EXIT_FAILURE
    try:
        done = rollback(data_dir, _progress)
    except ModelImportError as exc:
        _err(str(exc))
        return EXIT_FAILURE
    if not done:
        _err("er is geen vorige versie om terug te zetten.")
        return EXIT_FAILURE
    print("De vorige versie van het model is teruggezet.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.model_import import read_history

    rows = read_history(data_dir)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("Nog geen modelupdates.")
    for row in rows:
        action = "teruggezet" if row["action"] == "rollback" else "ingelezen"
        print(f"{row['applied_at']}  {action}: {row['file_name']}  versie {row['model_version']} "
              f"({row['published']}), {row['counts'].get('interventions', '?')} interventies")
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from desktop.core.publish import PublishError, publish
    from desktop.core.source import SourceError

    source = args.source or paths.curated_source_dir()
    if source is None:
        _err("geen map met brongegevens gevonden; geef --source MAP op.")
        return EXIT_FAILURE
    try:
        result = publish(source, args.out, args.model_version, args.published)
    except (PublishError, SourceError) as exc:
        _err(str(exc))
        return EXIT_FAILURE
    print(f"Gepubliceerd: versie {result.version}, {result.published}")
    print(f"  werkmap:  {result.workbook}")
    print(f"  database: {result.database}")
    print(f"  {result.counts['interventions']} interventies, {result.counts['clusters']} beschermende factoren, "
          f"{result.counts['example_links']} koppelingen")
    for warning in result.warnings:
        print(f"  ! {warning}", file=sys.stderr)
    if result.link_issues:
        print(f"Links om na te kijken ({len(result.link_issues)}):")
        for issue in result.link_issues:
            print(f"  - {issue}")
    else:
        print("Alle links zien er goed uit (alleen de vorm is gecontroleerd; er is geen verbinding gemaakt).")
    return EXIT_OK
