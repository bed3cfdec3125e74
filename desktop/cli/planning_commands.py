"""Commands about a local approach: plans, quickscans and feedback to the editors.

    bouwstenen plan list [--json]
    bouwstenen plan export NAAM_OF_ID --out FILE.pdf|.xlsx
    bouwstenen quickscan list [--json]
    bouwstenen quickscan export NAAM_OF_ID --out FILE.pdf|.xlsx
    bouwstenen feedback list [--json]
    bouwstenen feedback export --out FILE.xlsx
    bouwstenen feedback merge FILE... --out FILE.xlsx      (for the editors)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from desktop.core.errors import ExpectedError, UsageError
from desktop.core.text import count

EXIT_OK = 0
FORMATS = (".pdf", ".xlsx")


def add_commands(sub: Any) -> None:
    from desktop.cli.dutch import DutchArgumentParser

    plan = sub.add_parser("plan", help="uw plannen voor een lokale aanpak (beschermende factoren, dekking, lacunes)")
    plan.set_defaults(handler=cmd_plan)
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTIE", parser_class=DutchArgumentParser,
                                  title="acties")
    listing = actions.add_parser("list", help="toon alle plannen")
    listing.add_argument("--json", action="store_true", help="als JSON")
    export = actions.add_parser("export", help="een plan als PDF (memo) of Excel-werkmap")
    export.add_argument("name", metavar="NAAM_OF_ID", help="naam of id van het plan")
    export.add_argument("--out", type=Path, required=True, metavar="BESTAND", help="doelbestand (.pdf of .xlsx)")

    scan = sub.add_parser("quickscan", help="uw quickscans van de lokale aanpak")
    scan.set_defaults(handler=cmd_quickscan)
    actions = scan.add_subparsers(dest="quickscan_command", metavar="ACTIE", parser_class=DutchArgumentParser,
                                  title="acties")
    listing = actions.add_parser("list", help="toon alle quickscans")
    listing.add_argument("--json", action="store_true", help="als JSON")
    export = actions.add_parser("export", help="een quickscan als PDF of Excel-werkmap")
    export.add_argument("name", metavar="NAAM_OF_ID", help="naam of id van de quickscan")
    export.add_argument("--out", type=Path, required=True, metavar="BESTAND", help="doelbestand (.pdf of .xlsx)")

    feedback = sub.add_parser("feedback", help="meldingen aan de redactie (exporteren; samenvoegen voor de redactie)")
    feedback.set_defaults(handler=cmd_feedback)
    actions = feedback.add_subparsers(dest="feedback_command", metavar="ACTIE", parser_class=DutchArgumentParser,
                                      title="acties")
    listing = actions.add_parser("list", help="toon uw meldingen")
    listing.add_argument("--json", action="store_true", help="als JSON")
    export = actions.add_parser("export", help="uw meldingen naar een feedbackwerkmap om te mailen")
    export.add_argument("--out", type=Path, required=True, metavar="BESTAND", help="doelbestand (.xlsx)")
    merge = actions.add_parser("merge", help="redactie: feedbackwerkmappen samenvoegen tot één overzicht, zonder "
                                             "dubbele meldingen")
    merge.add_argument("files", type=Path, nargs="+", metavar="BESTAND", help="feedbackwerkmappen (.xlsx)")
    merge.add_argument("--out", type=Path, required=True, metavar="OVERZICHT", help="doelbestand (.xlsx)")


def _format(out: Path, allowed: tuple[str, ...] = FORMATS) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        raise UsageError(f"--out moet eindigen op {' of '.join(allowed)}, niet ‘{out.name}’")
    return suffix


def _open(data_dir: Path) -> Any:
    from desktop.core.workspace.safety import open_safely

    opened = open_safely(data_dir)
    for message in opened.messages:
        print(f"bouwstenen: {message}", file=sys.stderr)
    return opened.workspace


def _repository(data_dir: Path) -> Any:
    from desktop.cli.model_commands import open_repository

    return open_repository(data_dir)


def ensure_gui() -> Any:
    """A QGuiApplication for drawing PDF pages (offscreen: no window, no display needed)."""
    try:
        from PySide6.QtGui import QGuiApplication
    except ImportError as exc:
        raise ExpectedError("Een PDF maken lukt niet op deze computer: de Qt-bibliotheken voor tekst en opmaak "
                            "ontbreken of kunnen niet worden geladen. Kies een .xlsx-bestand, of maak de PDF in de "
                            "applicatie.") from exc
    app = QGuiApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(["bouwstenen"])
    return app


def write_pdf(report: Any, meta: dict[str, str], out: Path) -> int:
    from desktop.core.reports import footer_text

    ensure_gui()
    try:
        from desktop.ui.printing import export_pdf
    except ImportError as exc:
        raise ExpectedError("Een PDF maken lukt niet op deze computer: de Qt-bibliotheken om af te drukken "
                            "ontbreken. Kies een .xlsx-bestand.") from exc
    pages: int = export_pdf(report, out, footer_text(meta))
    return pages


def cmd_plan(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.workspace import planning as store

    if args.plan_command is None:
        raise UsageError("kies een actie: plan list of plan export")
    suffix = _format(args.out) if args.plan_command == "export" else ""
    workspace = _open(data_dir)
    try:
        if args.plan_command == "list":
            with _repository(data_dir) as repo:
                from desktop.core.planning.plans import factor_names, werkset_of

                names = factor_names(repo)
                listed: list[dict[str, Any]] = []
                for plan in store.plans(workspace):
                    werkset = werkset_of(workspace, plan.shortlist_id)
                    listed.append({
                        "id": plan.id, "name": plan.name, "purpose": plan.purpose,
                        "werkset": werkset[1] if werkset else None, "created_at": plan.created_at,
                        "updated_at": plan.updated_at,
                        "factors": [{"id": f.cluster_id, "name": f.cluster_name, "reason": f.reason,
                                     "in_model": f.cluster_id in names}
                                    for f in store.plan_factors(workspace, plan.id)],
                    })
            if args.json:
                print(json.dumps(listed, ensure_ascii=False, indent=2))
            else:
                for item in listed:
                    extra = f", werkset ‘{item['werkset']}’" if item["werkset"] else ""
                    print(f"{item['name']} [{item['id']}]: "
                          f"{count(len(item['factors']), 'beschermende factor', 'beschermende factoren')}{extra}")
                print(count(len(listed), "plan", "plannen"), file=sys.stderr)
            return EXIT_OK
        plan = store.find_plan(workspace, args.name)
        with _repository(data_dir) as repo:
            from desktop.core.planning.plans import plan_coverage

            coverage = plan_coverage(repo, workspace, plan.id)
            meta = repo.meta()
        if suffix == ".xlsx":
            from desktop.core.planning.exports import export_plan_xlsx

            export_plan_xlsx(plan, coverage, meta, args.out)
            print(f"Plan ‘{plan.name}’ geëxporteerd naar {args.out}.", file=sys.stderr)
        else:
            from desktop.core.reports.planning import plan_report

            pages = write_pdf(plan_report(plan, coverage, meta), meta, args.out)
            print(f"Plan ‘{plan.name}’ opgeslagen als PDF ({count(pages, 'pagina', 'pagina’s')}): {args.out}.",
                  file=sys.stderr)
    finally:
        workspace.close()
    return EXIT_OK


def cmd_quickscan(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.planning.quickscan import overall, quickscan_groups
    from desktop.core.workspace import planning as store

    if args.quickscan_command is None:
        raise UsageError("kies een actie: quickscan list of quickscan export")
    suffix = _format(args.out) if args.quickscan_command == "export" else ""
    workspace = _open(data_dir)
    try:
        with _repository(data_dir) as repo:
            groups = quickscan_groups(repo)
            meta = repo.meta()
        if args.quickscan_command == "list":
            listed: list[dict[str, Any]] = []
            for scan in store.quickscans(workspace):
                done, total = overall(groups, store.answers(workspace, scan.id))
                listed.append({"id": scan.id, "name": scan.name, "municipality": scan.municipality,
                               "date": scan.scan_date, "answered": done, "questions": total})
            if args.json:
                print(json.dumps(listed, ensure_ascii=False, indent=2))
            else:
                for item in listed:
                    print(f"{item['name']} [{item['id']}] {item['municipality'] or ''} {item['date'] or ''}: "
                          f"{item['answered']} van {item['questions']} vragen beantwoord")
                print(count(len(listed), "quickscan", "quickscans"), file=sys.stderr)
            return EXIT_OK
        scan = store.find_quickscan(workspace, args.name)
        answers = store.answers(workspace, scan.id)
        if suffix == ".xlsx":
            from desktop.core.planning.exports import export_quickscan_xlsx

            export_quickscan_xlsx(scan, groups, answers, meta, args.out)
            print(f"Quickscan ‘{scan.name}’ geëxporteerd naar {args.out}.", file=sys.stderr)
        else:
            from desktop.core.reports.planning import quickscan_report

            pages = write_pdf(quickscan_report(scan, groups, answers, meta), meta, args.out)
            print(f"Quickscan ‘{scan.name}’ opgeslagen als PDF ({count(pages, 'pagina', 'pagina’s')}): {args.out}.",
                  file=sys.stderr)
    finally:
        workspace.close()
    return EXIT_OK


def cmd_feedback(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.planning import feedback as exchange
    from desktop.core.workspace import planning as store

    if args.feedback_command is None:
        raise UsageError("kies een actie: feedback list, feedback export of feedback merge")
    if args.feedback_command == "merge":
        _format(args.out, (".xlsx",))
        result = exchange.merge_feedback(list(args.files), args.out)
        for problem in result.problems:
            print(f"let op: {problem}", file=sys.stderr)
        print(f"{result.summary()} Overzicht: {args.out}", file=sys.stderr)
        return EXIT_OK
    if args.feedback_command == "export":
        _format(args.out, (".xlsx",))
    workspace = _open(data_dir)
    try:
        if args.feedback_command == "list":
            reports = store.feedback_reports(workspace)
            if args.json:
                print(json.dumps([exchange.report_row(r) | {"created": r.created_at, "changed": r.updated_at}
                                  for r in reports], ensure_ascii=False, indent=2))
            else:
                for report in reports:
                    print(f"{report.summary(100)} [{report.id}]")
                print(count(len(reports), "melding", "meldingen"), file=sys.stderr)
        else:
            written = exchange.export_feedback(workspace, args.out)
            print(f"{count(written, 'melding', 'meldingen')} geëxporteerd naar {args.out}. Stuur dit bestand per "
                  "e-mail naar de redactie.", file=sys.stderr)
    finally:
        workspace.close()
    return EXIT_OK
