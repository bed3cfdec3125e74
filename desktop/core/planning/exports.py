"""A plan and a quickscan as readable workbooks (.xlsx) with Dutch headers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.core.planning.coverage import GAP_LABELS, Coverage, trede_label, yes_no
from desktop.core.planning.quickscan import QuestionGroup, attention, overall, progress, questions
from desktop.core.text import dutch_date
from desktop.core.workspace.planning import QUICKSCAN_STATUS_LABELS, Plan, Quickscan, QuickscanAnswer
from desktop.core.workspace.workbook import Column, Table, TextSheet, write_workbook


def _model_line(meta: dict[str, str]) -> str:
    return (f"Bouwstenenmodel versie {meta.get('model_version', '?')}, gepubliceerd "
            f"{dutch_date(meta.get('published'))}.")


def export_plan_xlsx(plan: Plan, coverage: Coverage, meta: dict[str, str], path: Path,
                     today: dt.date | None = None) -> int:
    """Write the plan to `path`: factors with why, coverage, gaps, risk factors, about. Returns the number
    of factors written."""
    day = today or dt.date.today()
    factors = Table("Factoren", [
        Column("number", "Nr.", 5), Column("block", "Bouwsteen", 20), Column("theme", "Thema", 26),
        Column("name", "Beschermende factor", 40), Column("reason", "Waarom", 50),
        Column("count", "Interventies", 12), Column("gaps", "Lacunes", 50), Column("in_model", "In het model", 12),
        Column("id", "factor-id (niet wijzigen)", 14, hidden=True),
    ])
    for number, f in enumerate(coverage.factors, start=1):
        factors.rows.append({
            "number": number, "block": f.block_name, "theme": f.theme_name, "name": f.name, "reason": f.reason,
            "count": len(f.shown), "gaps": "; ".join(GAP_LABELS[g] for g in f.gaps) or None,
            "in_model": "ja" if f.in_model else "nee (niet meer in het model)", "id": f.cluster_id,
        })
    scope = f"Werkset ‘{coverage.werkset_name}’" if coverage.werkset_name else "Alle gekoppelde interventies"
    cover = Table("Dekking", [
        Column("factor", "Beschermende factor", 36), Column("name", "Interventie", 40), Column("trede", "Trede", 7),
        Column("offered", "Nu aangeboden", 14), Column("werkset", "In werkset", 11), Column("note", "Mijn status", 14),
        Column("factor_id", "factor-id (niet wijzigen)", 14, hidden=True),
        Column("intervention_id", "interventie-id (niet wijzigen)", 14, hidden=True),
    ])
    for f in coverage.factors:
        for link in f.shown:
            cover.rows.append({
                "factor": f.name, "name": link.name, "trede": trede_label(link.trede), "offered": yes_no(link.offered),
                "werkset": "ja" if link.in_werkset else "nee", "note": link.note_label or None,
                "factor_id": f.cluster_id, "intervention_id": link.intervention_id,
            })
    gaps = Table("Lacunes", [Column("factor", "Beschermende factor", 40), Column("gap", "Lacune", 70),
                             Column("factor_id", "factor-id (niet wijzigen)", 14, hidden=True)])
    for gap in coverage.gaps():
        label = gap.label if gap.kind != "not_in_werkset" else f"geen interventie uit werkset ‘{coverage.werkset_name}’"
        gaps.rows.append({"factor": gap.name, "gap": label, "factor_id": gap.cluster_id})
    sheets: list[Table | TextSheet] = [factors, cover, gaps]
    if coverage.risk_factors:
        lines = ["Risicofactoren van de bouwstenen van de gekozen factoren.", "", f"Let op: {coverage.risk_warning}"
                 if coverage.risk_warning else "", ""]
        for risk in coverage.risk_factors:
            lines.append(risk.block_name)
            lines += [f"• {item}" for item in risk.items]
            lines.append("")
        sheets.append(TextSheet("Risicofactoren", lines))
    about = [f"Plan: {plan.name}"]
    if plan.purpose:
        about.append(f"Doel: {plan.purpose}")
    about += [f"Interventies in de dekking: {scope}.", _model_line(meta), f"Geëxporteerd op {dutch_date(day)}.", "",
              "Gemaakt met Bouwstenen. De bladen Factoren, Dekking en Lacunes lezen als een tabel; de grijze "
              "kolommen (ids) zijn verborgen."]
    sheets.append(TextSheet("Over dit plan", about))
    write_workbook(path, sheets)
    return len(coverage.factors)


def export_quickscan_xlsx(scan: Quickscan, groups: list[QuestionGroup], answers: dict[int, QuickscanAnswer],
                          meta: dict[str, str], path: Path, today: dt.date | None = None) -> int:
    """Write the quickscan to `path`: every question with its stand, note and explanation; what needs
    attention; progress per group. Returns the number of questions written."""
    day = today or dt.date.today()
    table = Table("Antwoorden", [
        Column("number", "Nr.", 5), Column("group", "Groep", 22), Column("question", "Vraag", 14),
        Column("status", "Stand", 12), Column("note", "Notitie", 50), Column("explanation", "Uitleg", 90),
    ])
    listed = questions(groups)
    for q in listed:
        answer = answers.get(q.number)
        table.rows.append({
            "number": q.number, "group": q.group_name, "question": q.title,
            "status": QUICKSCAN_STATUS_LABELS.get(answer.status, answer.status) if answer and answer.status else None,
            "note": answer.note if answer else None, "explanation": q.explanation,
        })
    needs = Table("Aandachtspunten", [
        Column("number", "Nr.", 5), Column("question", "Vraag", 14), Column("group", "Groep", 22),
        Column("status", "Stand", 12), Column("note", "Notitie", 70),
    ])
    for item in attention(groups, answers):
        needs.rows.append({"number": item.number, "question": item.title, "group": item.group_name,
                           "status": item.status_label, "note": item.note})
    steps = Table("Voortgang", [Column("group", "Groep", 30), Column("answered", "Beantwoord", 12),
                                Column("total", "Aantal vragen", 14), Column("label", "Voortgang", 24)])
    for p in progress(groups, answers):
        steps.rows.append({"group": p.name, "answered": p.answered, "total": p.total, "label": p.label})
    done, total = overall(groups, answers)
    about = TextSheet("Over deze quickscan", [
        f"Quickscan lokale aanpak: {scan.name}",
        f"Gemeente: {scan.municipality or 'niet ingevuld'}",
        f"Datum: {dutch_date(scan.scan_date, 'niet ingevuld')}",
        f"Beantwoord: {done} van {total} vragen.",
        _model_line(meta),
        f"Geëxporteerd op {dutch_date(day)}.",
        "",
        "De uitleg bij de vragen komt uit de toelichting bij de Quickscan lokale (preventieve) aanpak radicalisering. "
        "De bron geeft de uitleg, niet de letterlijke vraagtekst: daarom staat er ‘Vraag N’.",
    ])
    write_workbook(path, [table, needs, steps, about])
    return len(listed)
