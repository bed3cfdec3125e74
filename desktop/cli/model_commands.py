"""Commands about the model: info, search, export, import, rollback, history; and for editors publish,
build-model, check-data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.core import paths
from desktop.core.errors import REASONS, ExpectedError, UsageError, storage_reason
from desktop.core.search.search import Filters
from desktop.core.text import count

EXIT_OK, EXIT_FAILURE = 0, 1
FACET_KEYS = ("doelgroep", "setting", "online", "aanpak", "inzetbaarheid")
YES = {"ja": True, "nee": False, "true": True, "false": False, "1": True, "0": False}
FILTER_HELP = (
    "type=CODE (1-9, 1.1-1.3), trede=N (minimaal), aangeboden=ja|nee, expliciet=ja|nee, gemeenten=ja|nee, "
    "doelgroep=…, setting=…, online=ja|nee, aanpak=persoonsgericht|collectief, inzetbaarheid=breed|specifiek, "
    "bouwsteen=ID, thema=ID, factor=ID"
)


def add_commands(sub: Any) -> None:
    info = sub.add_parser("info", help="versie en aantallen van het model")
    info.add_argument("--json", action="store_true", help="als JSON")
    info.set_defaults(handler=cmd_info)

    search = sub.add_parser("search", help="zoek interventies")
    search.add_argument("query", nargs="?", default="", metavar="ZOEKTEKST", help="zoektekst (mag leeg zijn)")
    search.add_argument("--filter", action="append", default=[], metavar="SLEUTEL=WAARDE", help=FILTER_HELP)
    search.add_argument("--json", action="store_true", help="als JSON")
    search.set_defaults(handler=cmd_search)

    export = sub.add_parser("export", help="exporteer het hele model")
    export.add_argument("--format", choices=["json", "xlsx"], required=True, help="json of xlsx")
    export.add_argument("--out", type=Path, required=True, metavar="BESTAND", help="doelbestand")
    export.set_defaults(handler=cmd_export)

    imp = sub.add_parser("import", help="lees een gepubliceerd model in (.xlsx, .sqlite of .db)")
    imp.add_argument("file", type=Path, metavar="BESTAND", help="de gepubliceerde werkmap of database")
    imp.add_argument("--dry-run", action="store_true", help="toon alleen wat er zou veranderen; wijzig niets")
    imp.add_argument("--yes", action="store_true", help="werk bij zonder om bevestiging te vragen")
    imp.add_argument("--ids", action="store_true", help="toon ook de ids (voor redacteuren)")
    imp.set_defaults(handler=cmd_import)

    back = sub.add_parser("rollback", help="zet de vorige versie van het model terug")
    back.add_argument("--yes", action="store_true", help="zonder om bevestiging te vragen")
    back.set_defaults(handler=cmd_rollback)

    history = sub.add_parser("history", help="de geschiedenis van modelupdates en de bewaarde versies")
    history.add_argument("--json", action="store_true", help="als JSON")
    history.set_defaults(handler=cmd_history)

    publish = sub.add_parser("publish", help="maak de gepubliceerde werkmap en database (voor redacteuren)")
    publish.add_argument("--out", type=Path, required=True, metavar="MAP", help="map voor de bestanden")
    publish.add_argument("--version", dest="model_version", metavar="V", help="versienummer (standaard: uit data/)")
    publish.add_argument("--date", dest="published", metavar="JJJJ-MM-DD",
                         help="publicatiedatum (standaard: uit data/)")
    publish.add_argument("--source", type=Path, metavar="MAP", help="map met de brongegevens (standaard: data/)")
    publish.set_defaults(handler=cmd_publish)

    build = sub.add_parser("build-model", help="bouw model.sqlite uit data/ (voor redacteuren)")
    build.add_argument("--source", type=Path, metavar="MAP", help="map met de brongegevens (standaard: data/)")
    build.add_argument("--out", type=Path, metavar="BESTAND", help="doelbestand (standaard: het meegeleverde model)")
    build.set_defaults(handler=cmd_build)

    check = sub.add_parser("check-data", help="controleer de brongegevens in data/ zonder te bouwen")
    check.add_argument("--source", type=Path, metavar="MAP")
    check.add_argument("--voorstel", action="store_true",
                       help="stel zoekkenmerken voor bij interventies die er nog geen hebben (trefwoordregels)")
    check.set_defaults(handler=cmd_check)


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
    from desktop.core.model.build import ensure_bundled_model
    from desktop.core.search.repository import ModelRepository


    ensure_bundled_model()
    return ModelRepository.open(paths.active_model_path(data_dir))


COUNT_LABELS = {
    "blocks": "bouwstenen", "themes": "thema's", "clusters": "beschermende factoren",
    "interventions": "interventies", "example_links": "koppelingen", "intervention_types": "interventietypen",
}


def cmd_info(args: argparse.Namespace, data_dir: Path) -> int:
    with open_repository(data_dir) as repo:
        meta = repo.meta()
        from desktop.core.model.model_file import build_info

        info = {
            "model_version": meta.get("model_version"), "published": meta.get("published"),
            "publisher": meta.get("publisher"), "schema_version": build_info(repo.conn).get("schema_version"),
            "counts": repo.counts(), "model_file": str(repo.path),
        }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        from desktop.core.text import dutch_date

        print(f"Model versie {info['model_version']}, gepubliceerd {dutch_date(info['published'])} door "
              f"{info['publisher']}")
        for key, value in info["counts"].items():
            print(f"  {COUNT_LABELS[key]}: {value}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, data_dir: Path) -> int:
    filters = parse_filters(args.filter)
    with open_repository(data_dir) as repo:
        rows = repo.rows(repo.search(args.query, filters))
    if args.json:
        out = [{"id": r.id, "name": r.name, "trede": r.trede, "type_text": r.type_text, "offered": r.offered,
                "explicit": r.explicit, "types": r.type_codes} for r in rows]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            trede = f"trede {r.trede}" if r.trede is not None else "trede onbekend"
            print(f"{r.name}  ({trede})  [{r.id}]")
        print(f"{count(len(rows), 'interventie', 'interventies')} gevonden", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    with open_repository(data_dir) as repo:
        model = repo.model()
    try:
        if args.format == "json":
            from desktop.core.model.json_codec import model_document

            args.out.write_text(json.dumps(model_document(model), ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            from desktop.core.model.xlsx_write import write_workbook

            write_workbook(model, args.out)
    except OSError as exc:
        raise ExpectedError(f"Kan '{args.out}' niet schrijven: {REASONS[storage_reason(exc)]}.") from exc
    print(f"Model geëxporteerd naar {args.out}", file=sys.stderr)
    return EXIT_OK


def workspace_note_ids(data_dir: Path) -> set[str]:
    """Ids of interventions the user's notes or werksets point at, read without changing the workspace."""
    import sqlite3

    from desktop.core.updates.history import open_read_only

    path = paths.workspace_path(data_dir)
    if not path.exists():
        return set()
    ids: set[str] = set()
    try:
        conn = open_read_only(path)
    except sqlite3.Error:
        return set()
    try:
        for table in ("note_entry", "shortlist_item"):
            try:
                ids |= {str(r[0]) for r in conn.execute(f"SELECT DISTINCT intervention_id FROM {table}")}
            except sqlite3.DatabaseError:
                continue
    finally:
        conn.close()
    return ids


def cmd_import(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.updates.apply import apply, reconcile
    from desktop.core.updates.describe import describe_errors, describe_preview
    from desktop.core.updates.inspect import inspect

    if not args.dry_run:
        paths.require_writable(data_dir, "Het model bijwerken")
        reconcile(data_dir)
    current = paths.active_model_path(data_dir)
    if current == paths.bundled_model_path():
        from desktop.core.model.build import ensure_bundled_model

        ensure_bundled_model()
    preview = inspect(args.file, current if current.exists() else None, workspace_note_ids(data_dir))
    if not preview.ok:
        for line in describe_errors(preview):
            print(line, file=sys.stderr)
        for problem in preview.warnings:
            print(f"  ! {problem}", file=sys.stderr)
        return EXIT_FAILURE
    for line in describe_preview(preview, ids=args.ids):
        print(line)
    if args.dry_run:
        print("Proefrit (--dry-run): er is niets gewijzigd.")
        return EXIT_OK
    if not args.yes and not _confirm("Model bijwerken?"):
        print("Niet bijgewerkt; er is niets gewijzigd (gebruik --yes om zonder vraag bij te werken).", file=sys.stderr)
        return EXIT_FAILURE
    from desktop.core.workspace.safety import backup_before

    backup_before(data_dir, "modelupdate")
    record = apply(preview, data_dir, _progress)
    print(f"Model bijgewerkt naar versie {record.model_version} (gepubliceerd {record.published}): "
          f"{count(record.counts.get('interventions', 0), 'interventie', 'interventies')}.")
    if record.note:
        _err(f"waarschuwing: {record.note}")
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.updates.apply import previous_version, restore

    previous = previous_version(data_dir)
    if previous is None:
        _err("er is geen vorige versie om terug te zetten.")
        return EXIT_FAILURE
    paths.require_writable(data_dir, "Een vorige versie terugzetten")
    print(f"Terugzetten: {previous.describe()}.")
    if not args.yes and not _confirm("Vorige versie terugzetten?"):
        print("Niet teruggezet; er is niets gewijzigd (gebruik --yes om zonder vraag terug te zetten).",
              file=sys.stderr)
        return EXIT_FAILURE
    from desktop.core.workspace.safety import backup_before

    backup_before(data_dir, "terugzetten")
    record = restore(data_dir, previous, _progress)
    if record is None:
        _err("er is geen vorige versie om terug te zetten.")
        return EXIT_FAILURE
    print(f"De vorige versie van het model is teruggezet ({previous.describe()}).")
    return EXIT_OK


def cmd_history(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.text import dutch_datetime
    from desktop.core.updates.apply import kept_versions
    from desktop.core.updates.history import read_history

    rows = read_history(data_dir)
    versions = kept_versions(data_dir)
    if args.json:
        print(json.dumps({"history": rows, "kept_versions": [
            {"model_version": v.model_version, "published": v.published, "bundled": v.bundled, "kept_at": v.kept_at}
            for v in versions]} if versions else rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("Nog geen modelupdates.")
    for row in rows:
        action = "teruggezet" if row["action"] == "rollback" else "ingelezen"
        print(f"{dutch_datetime(row['applied_at'])}  {action}: {row['file_name']}  versie {row['model_version']} "
              f"({row['published']}), {row['counts'].get('interventions', '?')} interventies")
    if versions:
        print("Bewaarde versies (terug te zetten):")
        for version in versions:
            print(f"  {version.describe()}")
    return EXIT_OK


def cmd_publish(args: argparse.Namespace, _data_dir: Path) -> int:
    from desktop.core.updates.publish import publish

    source = args.source or paths.curated_source_dir()
    if source is None:
        raise ExpectedError("geen map met brongegevens gevonden; geef --source MAP op.")
    result = publish(source, args.out, args.model_version, args.published)
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


def cmd_build(args: argparse.Namespace, _data_dir: Path) -> int:
    from desktop.core.model.build import build_model

    source = args.source or paths.curated_source_dir()
    if source is None:
        raise ExpectedError("Geen map met brongegevens gevonden; geef --source MAP op.")
    out = args.out or paths.bundled_model_path()
    model = build_model(source, out)
    print(f"Model gebouwd: {out} ({count(len(model.interventions), 'interventie', 'interventies')})", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace, _data_dir: Path) -> int:
    from desktop.core.model.toml_codec import SourceError, read_data

    source = args.source or paths.curated_source_dir()
    if source is None:
        raise ExpectedError("Geen map met brongegevens gevonden; geef --source MAP op.")
    model, _locator, log = read_data(source)
    for warning in log.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    if log.errors:
        raise SourceError(log)
    print(f"In orde: {len(model.blocks)} bouwstenen, {count(len(model.interventions), 'interventie', 'interventies')}.")
    if args.voorstel:
        from desktop.core.model.facet_rules import load_rules, propose

        rules = load_rules(source)
        for iv in model.interventions:
            missing = [f.key for f in model.facets if iv.facet(f.key) is None]
            if not missing:
                continue
            proposal = propose(iv, rules)
            print(f"\n{iv.name} [{iv.id}] — voorstel (controleer met de tekst!):")
            for key in missing:
                print(f"  {key}: {', '.join(proposal.get(key, [])) or '(geen voorstel)'}")
    return EXIT_OK
