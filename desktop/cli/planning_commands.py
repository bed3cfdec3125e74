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
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.cli import print_json
from desktop.cli.groups import add_list, add_out, command_group, open_workspace, print_lines
from desktop.core.errors import ExpectedError, UsageError
from desktop.core.text import count

EXIT_OK = 0
FORMATS = (".pdf", ".xlsx")


def add_commands(sub: Any) -> None:
    actions = command_group(sub, "plan", "uw plannen voor een lokale aanpak (beschermende factoren, dekking, lacunes)",
                            cmd_plan)
    add_list(actions, "toon alle plannen")
    _add_export(actions, "een plan als PDF (memo) of Excel-werkmap", "het plan")

    actions = command_group(sub, "quickscan", "uw quickscans van de lokale aanpak", cmd_quickscan)
    add_list(actions, "toon alle quickscans")
    _add_export(actions, "een quickscan als PDF of Excel-werkmap", "de quickscan")

    actions = command_group(sub, "feedback", "meldingen aan de redactie (exporteren; samenvoegen voor de redactie)",
                            cmd_feedback)
    add_list(actions, "toon uw meldingen")
    add_out(actions.add_parser("export", help="uw meldingen naar een feedbackwerkmap om te mailen"),
            "doelbestand (.xlsx)")
    merge = actions.add_parser("merge", help="redactie: feedbackwerkmappen samenvoegen tot één overzicht, zonder "
                                             "dubbele meldingen")
    merge.add_argument("files", type=Path, nargs="+", metavar="BESTAND", help="feedbackwerkmappen (.xlsx)")
    add_out(merge, "doelbestand (.xlsx)", metavar="OVERZICHT")


def _add_export(actions: Any, help_text: str, of_what: str) -> None:
    """`… export NAAM_OF_ID --out FILE.pdf|.xlsx` (a plan or a quickscan)."""
    export = actions.add_parser("export", help=help_text)
    export.add_argument("name", metavar="NAAM_OF_ID", help=f"naam of id van {of_what}")
    add_out(export, "doelbestand (.pdf of .xlsx)")


def _format(out: Path, allowed: tuple[str, ...] = FORMATS) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        raise UsageError(f"--out moet eindigen op {' of '.join(allowed)}, niet ‘{out.name}’")
    return suffix


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


def _export(what: str, name: str, suffix: str, out: Path, write_xlsx: Callable[[], object],
            report: Callable[[], Any], meta: dict[str, str]) -> None:
    """Write a plan or quickscan (`what`) to `out` as a workbook or a PDF, by `suffix`, and say so."""
    if suffix == ".xlsx":
        write_xlsx()
        print(f"{what} ‘{name}’ geëxporteerd naar {out}.", file=sys.stderr)
    else:
        pages = write_pdf(report(), meta, out)
        print(f"{what} ‘{name}’ opgeslagen als PDF ({count(pages, 'pagina', 'pagina’s')}): {out}.", file=sys.stderr)


def cmd_plan(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.workspace import planning as store

    if args.plan_command is None:
        raise UsageError("kies een actie: plan list of plan export")
    suffix = _format(args.out) if args.plan_command == "export" else ""
    with open_workspace(data_dir) as workspace:
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
                print_json(listed)
            else:
                print_lines((_plan_line(item) for item in listed), count(len(listed), "plan", "plannen"))
            return EXIT_OK
        plan = store.find_plan(workspace, args.name)
        with _repository(data_dir) as repo:
            from desktop.core.planning.plans import plan_coverage

            coverage = plan_coverage(repo, workspace, plan.id)
            meta = repo.meta()
        from desktop.core.planning.exports import export_plan_xlsx
        from desktop.core.reports.planning import plan_report

        _export("Plan", plan.name, suffix, args.out, lambda: export_plan_xlsx(plan, coverage, meta, args.out),
                lambda: plan_report(plan, coverage, meta), meta)
    return EXIT_OK


def _plan_line(item: dict[str, Any]) -> str:
    extra = f", werkset ‘{item['werkset']}’" if item["werkset"] else ""
    return (f"{item['name']} [{item['id']}]: "
            f"{count(len(item['factors']), 'beschermende factor', 'beschermende factoren')}{extra}")


def cmd_quickscan(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.core.planning.quickscan import overall, quickscan_groups
    from desktop.core.workspace import planning as store

    if args.quickscan_command is None:
        raise UsageError("kies een actie: quickscan list of quickscan export")
    suffix = _format(args.out) if args.quickscan_command == "export" else ""
    with open_workspace(data_dir) as workspace:
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
                print_json(listed)
            else:
                print_lines((f"{item['name']} [{item['id']}] {item['municipality'] or ''} {item['date'] or ''}: "
                             f"{item['answered']} van {item['questions']} vragen beantwoord" for item in listed),
                            count(len(listed), "quickscan", "quickscans"))
            return EXIT_OK
        scan = store.find_quickscan(workspace, args.name)
        answers = store.answers(workspace, scan.id)
        from desktop.core.planning.exports import export_quickscan_xlsx
        from desktop.core.reports.planning import quickscan_report

        _export("Quickscan", scan.name, suffix, args.out,
                lambda: export_quickscan_xlsx(scan, groups, answers, meta, args.out),
                lambda: quickscan_report(scan, groups, answers, meta), meta)
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
    with open_workspace(data_dir) as workspace:
        if args.feedback_command == "list":
            reports = store.feedback_reports(workspace)
            if args.json:
                print_json([exchange.report_row(r) | {"created": r.created_at, "changed": r.updated_at}
                            for r in reports])
            else:
                print_lines((f"{report.summary(100)} [{report.id}]" for report in reports),
                            count(len(reports), "melding", "meldingen"))
        else:
            written = exchange.export_feedback(workspace, args.out)
            print(f"{count(written, 'melding', 'meldingen')} geëxporteerd naar {args.out}. Stuur dit bestand per "
                  "e-mail naar de redactie.", file=sys.stderr)
    return EXIT_OK
