"""The `bouwstenen` command: starts the application, and serves admins, editors and tests.

Exit codes: 0 ok, 1 failure (a Dutch message on stderr, no traceback), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from desktop.core import paths
from desktop.core.schema import ModelFileError
from desktop.core.search import Filters
from desktop.core.source import SourceError
from desktop.core.workspace import WorkspaceError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

FACET_KEYS = ("doelgroep", "setting", "online", "aanpak", "inzetbaarheid")
YES = {"ja": True, "nee": False, "true": True, "false": False, "1": True, "0": False}
FILTER_HELP = (
    "type=CODE (1-9, 1.1-1.3), trede=N (minimaal), aangeboden=ja|nee, expliciet=ja|nee, "
    "gemeenten=ja|nee, doelgroep=…, setting=…, online=ja, aanpak=persoonsgericht|collectief, "
    "inzetbaarheid=breed|specifiek, bouwsteen=ID, thema=ID, factor=ID"
)


class UsageError(Exception):
    pass


class DutchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        replacements = {
            "unrecognized arguments": "onbekende argumenten",
            "the following arguments are required": "deze argumenten ontbreken",
            "invalid choice": "ongeldige keuze",
            "expected one argument": "verwacht één waarde",
        }
        for english, dutch in replacements.items():
            message = message.replace(english, dutch)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="bouwstenen",
        description="Bouwstenen: het bouwstenenmodel voor preventie van radicalisering en ongewenste "
        "polarisatie. Zonder opdracht start de applicatie.",
    )
    parser.add_argument("--data-dir", type=Path, help="eigen gegevensmap (bijv. op een USB-stick)")
    parser.add_argument("--smoke", action="store_true", help="start, toon het hoofdvenster, druk 'ok' af en stop")
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=DutchArgumentParser)

    info = sub.add_parser("info", help="versie en aantallen van het model")
    info.add_argument("--json", action="store_true", help="als JSON")

    search = sub.add_parser("search", help="zoek interventies")
    search.add_argument("query", nargs="?", default="", help="zoektekst (mag leeg zijn)")
    search.add_argument("--filter", action="append", default=[], metavar="SLEUTEL=WAARDE", help=FILTER_HELP)
    search.add_argument("--json", action="store_true", help="als JSON")

    export = sub.add_parser("export", help="exporteer het hele model")
    export.add_argument("--format", choices=["json"], required=True)
    export.add_argument("--out", type=Path, required=True, help="doelbestand")

    build = sub.add_parser("build-model", help="bouw model.sqlite uit data/ (voor redacteuren)")
    build.add_argument("--source", type=Path, help="map met de brongegevens (standaard: data/)")
    build.add_argument("--out", type=Path, help="doelbestand (standaard: het meegeleverde model)")

    check = sub.add_parser("check-data", help="controleer de brongegevens in data/ zonder te bouwen")
    check.add_argument("--source", type=Path)

    from desktop import cli_model

    cli_model.add_commands(sub)

    notes = sub.add_parser("notes", help="uw notities en werksets")
    notes_sub = notes.add_subparsers(dest="notes_command", metavar="ACTIE", parser_class=DutchArgumentParser)
    notes_list = notes_sub.add_parser("list", help="toon alle notities")
    notes_list.add_argument("--json", action="store_true", help="als JSON")
    notes_export = notes_sub.add_parser("export", help="notities en werksets naar een Excel-werkmap")
    notes_export.add_argument("--out", type=Path, required=True, help="doelbestand (.xlsx)")
    notes_import = notes_sub.add_parser("import", help="notities en werksets uit een Excel-werkmap toevoegen")
    notes_import.add_argument("file", type=Path, help="een door Bouwstenen geëxporteerde werkmap (.xlsx)")
    return parser


def parse_filters(items: list[str]) -> Filters:
    filters = Filters()
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise UsageError(f"filter '{item}' heeft de vorm SLEUTEL=WAARDE nodig")
        if key in ("type", "interventietype"):
            filters.types.add(value)
        elif key == "trede":
            if not value.isdigit() or not 0 <= int(value) <= 5:
                raise UsageError(f"trede moet een getal van 0 tot en met 5 zijn, niet '{value}'")
            filters.min_trede = int(value)
        elif key in ("aangeboden", "expliciet", "gemeenten"):
            if value.lower() not in YES:
                raise UsageError(f"{key} moet ja of nee zijn, niet '{value}'")
            attr = {"aangeboden": "offered", "expliciet": "explicit", "gemeenten": "via_municipality"}[key]
            setattr(filters, attr, YES[value.lower()])
        elif key in FACET_KEYS:
            filters.facets.setdefault(key, set()).add(value.lower())
        elif key in ("bouwsteen", "thema", "factor"):
            filters.scope = ({"bouwsteen": "block", "thema": "theme", "factor": "cluster"}[key], value)
        else:
            raise UsageError(f"onbekend filter '{key}'. Mogelijk: {FILTER_HELP}")
    return filters


def open_repository(data_dir: Path) -> Any:
    from desktop.core.repository import ModelRepository

    paths.ensure_bundled_model()
    return ModelRepository.open(paths.active_model_path(data_dir))


def cmd_info(args: argparse.Namespace, data_dir: Path) -> int:
    repo = open_repository(data_dir)
    meta = repo.meta()
    info = {
        "model_version": meta.get("model_version"),
        "published": meta.get("published"),
        "publisher": meta.get("publisher"),
        "schema_version": meta.get("schema_version"),
        "counts": repo.counts(),
        "model_file": str(repo.path),
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(f"Model versie {info['model_version']}, gepubliceerd {info['published']} door {info['publisher']}")
        labels = {
            "blocks": "bouwstenen", "themes": "thema's", "clusters": "beschermende factoren",
            "interventions": "interventies", "example_links": "koppelingen", "intervention_types": "interventietypen",
        }
        for key, value in info["counts"].items():
            print(f"  {labels[key]}: {value}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.search import search

    filters = parse_filters(args.filter)
    repo = open_repository(data_dir)
    ids = search(repo.conn, args.query, filters)
    rows = repo.rows(ids)
    if args.json:
        out = [
            {"id": r.id, "name": r.name, "trede": r.trede, "type_text": r.type_text, "offered": r.offered,
             "explicit": r.explicit, "types": r.type_codes}
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            trede = f"trede {r.trede}" if r.trede is not None else "trede onbekend"
            print(f"{r.name}  ({trede})  [{r.id}]")
        print(f"{len(rows)} interventie(s) gevonden", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.export_json import model_document

    repo = open_repository(data_dir)
    document = model_document(repo)
    try:
        args.out.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"Kan '{args.out}' niet schrijven: {exc.strerror}.") from exc
    print(f"Model geëxporteerd naar {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from desktop.core.builder import build_model

    source = args.source or paths.curated_source_dir()
    if source is None:
        raise CommandError("Geen map met brongegevens gevonden; geef --source MAP op.")
    out = args.out or paths.bundled_model_path()
    model = build_model(source, out)
    print(f"Model gebouwd: {out} ({len(model.interventions)} interventies)", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.core.source import load_source

    source = args.source or paths.curated_source_dir()
    if source is None:
        raise CommandError("Geen map met brongegevens gevonden; geef --source MAP op.")
    model = load_source(source)
    print(f"In orde: {len(model.blocks)} bouwstenen, {len(model.interventions)} interventies.")
    return EXIT_OK


class CommandError(Exception):
    """An expected failure with a Dutch message for the user."""


def cmd_notes(args: argparse.Namespace, data_dir: Path) -> int:
    from dataclasses import asdict

    from desktop.core.notes_exchange import export_notes, import_notes
    from desktop.core.workspace_safety import open_workspace

    if args.notes_command is None:
        raise UsageError("kies een actie: notes list, notes export of notes import")
    workspace, messages = open_workspace(data_dir)
    for message in messages:
        print(f"bouwstenen: {message}", file=sys.stderr)
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
                print(json.dumps({"notes": [asdict(e) for e in entries], "shortlists": shortlists},
                                 ensure_ascii=False, indent=2))
            else:
                for e in entries:
                    print(f"{e.intervention_name} [{e.intervention_id}] {e.entry_date or ''} {e.status or ''}: "
                          f"{(e.text or e.outcome or '').splitlines()[0] if (e.text or e.outcome) else ''}")
                print(f"{len(entries)} notitie(s)", file=sys.stderr)
        elif args.notes_command == "export":
            count = export_notes(workspace, args.out)
            print(f"{count} notitie(s) en alle werksets geëxporteerd naar {args.out}", file=sys.stderr)
        elif args.notes_command == "import":
            result = import_notes(workspace, args.file)
            for problem in result.problems:
                print(f"let op: {problem}", file=sys.stderr)
            print(
                f"{result.added_entries} notitie(s) toegevoegd, {result.duplicate_entries} al aanwezig; "
                f"{result.added_shortlists} werkset(s) en {result.added_items} interventie(s) in werksets "
                f"toegevoegd, {result.duplicate_items} al aanwezig.",
                file=sys.stderr,
            )
    finally:
        workspace.close()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = paths.user_data_dir(args.data_dir)
    try:
        from desktop import cli_model

        code = cli_model.run_command(args, data_dir)
        if code is not None:
            return code
        if args.command is None:
            from desktop.ui.app import run_gui

            return run_gui(data_dir, smoke=args.smoke)
        if args.command == "info":
            return cmd_info(args, data_dir)
        if args.command == "search":
            return cmd_search(args, data_dir)
        if args.command == "export":
            return cmd_export(args, data_dir)
        if args.command == "build-model":
            return cmd_build(args)
        if args.command == "check-data":
            return cmd_check(args)
        if args.command == "notes":
            return cmd_notes(args, data_dir)
    except UsageError as exc:
        print(f"bouwstenen: fout: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (CommandError, ModelFileError, WorkspaceError) as exc:
        print(f"bouwstenen: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except SourceError as exc:
        print(f"bouwstenen: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    parser.print_usage(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
