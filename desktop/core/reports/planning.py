"""Printable documents of a local approach: the plan as a memo to the council, and a quickscan.

Both are plain HTML in which every text from the model or the user is escaped; `desktop.ui.printing`
lays them out on A4 with the footer (model version) and page numbers.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from desktop.core.planning.coverage import Coverage, trede_label, yes_no
from desktop.core.planning.quickscan import QuestionGroup, attention, overall, progress
from desktop.core.reports import Report
from desktop.core.text import count, dutch_date
from desktop.core.workspace.planning import QUICKSCAN_STATUS_LABELS, Plan, Quickscan, QuickscanAnswer


def _p(text: str | None, unknown: str = "") -> str:
    """Escaped plain text as paragraphs (blank lines) with line breaks kept."""
    if text is None or not text.strip():
        return f'<p class="muted">{escape(unknown)}</p>' if unknown else ""
    return "".join(f"<p>{escape(part.strip()).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n")
                   if part.strip())


def _inline(text: str | None, unknown: str = "—") -> str:
    if text is None or not text.strip():
        return escape(unknown)
    return escape(text.strip()).replace("\n", "<br>")


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A simple table; cells are HTML already escaped by the caller."""
    sizes = [f' width="{w}%"' for w in widths] if widths else [""] * len(headers)
    head = "".join(f'<th align="left"{size}>{escape(h)}</th>' for h, size in zip(headers, sizes, strict=True))
    body = "".join("<tr>" + "".join(f'<td valign="top">{c}</td>' for c in row) + "</tr>" for row in rows)
    return f'<table class="list" border="1" cellspacing="0" cellpadding="3" width="100%"><tr>{head}</tr>{body}</table>'


def _model(meta: dict[str, str]) -> str:
    return (f"Bouwstenenmodel versie {meta.get('model_version', '?')}, gepubliceerd "
            f"{dutch_date(meta.get('published'))}")


def plan_report(plan: Plan, coverage: Coverage, meta: dict[str, str], today: dt.date | None = None) -> Report:
    """The plan as a memo to the council: chosen factors and why, covering interventions, gaps, risk
    factors with the report's warning, the model version and the date."""
    day = today or dt.date.today()
    factors = coverage.factors
    gaps = coverage.gaps()
    gap_factors = {g.cluster_id for g in gaps}
    scope = (f"alleen de interventies uit werkset ‘{coverage.werkset_name}’" if coverage.werkset_name
             else "alle interventies die het model aan de factoren koppelt")
    out = [f"<h1>{escape(plan.name)}</h1>",
           "<p><b>Memo aan de gemeenteraad</b> · plan voor de lokale aanpak ter preventie van radicalisering en "
           "ongewenste polarisatie</p>",
           f"<p>Datum: {escape(dutch_date(day))}<br>Gebaseerd op: {escape(_model(meta))}</p>"]
    if plan.purpose:
        out.append("<h2>Doel</h2>" + _p(plan.purpose))
    covered = coverage.covered_count
    out.append("<h2>Samenvatting</h2>")
    out.append(
        f"<p>Dit plan versterkt {escape(count(len(factors), 'beschermende factor', 'beschermende factoren'))}. "
        f"{covered} daarvan {'wordt' if covered == 1 else 'worden'} gedekt door ten minste één interventie "
        f"({escape(scope)}); bij {escape(count(len(gap_factors), 'factor', 'factoren'))} is er een lacune.</p>"
    )
    out.append("<h2>Gekozen beschermende factoren en waarom</h2>")
    if factors:
        rows = []
        for number, f in enumerate(factors, start=1):
            where = f'<br><span class="muted">{escape(f.path)}</span>'
            rows.append([str(number), f"<b>{escape(f.name)}</b>{where}", _inline(f.reason, "niet ingevuld")])
        out.append(_table(["Nr.", "Beschermende factor", "Waarom"], rows, [6, 44, 50]))
    else:
        out.append('<p class="muted">Nog geen beschermende factoren gekozen.</p>')

    out.append("<h2>Interventies die de factoren dekken</h2>")
    out.append(f"<p>Getoond: {escape(scope)}. Trede: het niveau van onderbouwing op de effectladder (0-5); "
               "‘geen’ betekent dat de effectiviteit niet is vastgesteld.</p>")
    for f in factors:
        out.append(f"<h3>{escape(f.name)}</h3>")
        if not f.in_model:
            out.append('<p class="muted">Deze factor staat niet meer in het model; hij blijft in het plan staan.</p>')
            continue
        if not f.shown:
            text = ("Geen interventies in het model." if not f.links
                    else "Geen interventies uit de werkset (het model koppelt er "
                    f"{count(len(f.links), 'interventie', 'interventies')} aan).")
            out.append(f'<p class="muted">{escape(text)}</p>')
            continue
        rows = [[escape(link.name), escape(trede_label(link.trede)), escape(yes_no(link.offered)),
                 escape(link.note_label or "—")] for link in f.shown]
        out.append(_table(["Interventie", "Trede", "Nu aangeboden", "Mijn status"], rows, [52, 10, 18, 20]))

    out.append("<h2>Lacunes</h2>")
    if not gaps:
        out.append("<p>Geen lacunes gevonden: elke gekozen factor heeft interventies met een trede die nu worden "
                   "aangeboden.</p>")
    for title, listed in coverage.gap_lists():
        out.append(f"<h3>{escape(title)}</h3><ul>" + "".join(f"<li>{escape(f.name)}</li>" for f in listed) + "</ul>")
    if coverage.werkset_outside:
        out.append("<h3>Interventies in de werkset die geen gekozen factor dekken</h3><ul>"
                   + "".join(f"<li>{escape(name)}</li>" for _i, name in coverage.werkset_outside) + "</ul>")

    if coverage.risk_factors:
        out.append("<h2>Risicofactoren (ter context)</h2>")
        if coverage.risk_warning:
            out.append(f'<table class="warning" border="1" cellpadding="6" cellspacing="0" width="100%"><tr>'
                       f'<td bgcolor="#fff4d6"><b>Let op:</b> {escape(coverage.risk_warning)}</td></tr></table>')
        for risk in coverage.risk_factors:
            out.append(f"<h3>{escape(risk.block_name)}</h3><ul>"
                       + "".join(f"<li>{escape(item)}</li>" for item in risk.items) + "</ul>")

    out.append("<h2>Over dit memo</h2>")
    out.append(f"<p>Opgesteld met Bouwstenen op {escape(dutch_date(day))}, op basis van het "
               f"{escape(_model(meta))}. De koppelingen tussen beschermende factoren en interventies, de treden en "
               "‘nu aangeboden’ komen uit het model; ‘Mijn status’ komt uit de eigen notities.</p>")
    return Report(f"Plan: {plan.name}", "\n".join(out))


def quickscan_report(scan: Quickscan, groups: list[QuestionGroup], answers: dict[int, QuickscanAnswer],
                     meta: dict[str, str], today: dt.date | None = None) -> Report:
    """A quickscan: where the municipality stands, what needs attention, and every question with its
    explanation."""
    day = today or dt.date.today()
    done, total = overall(groups, answers)
    out = [f"<h1>Quickscan lokale aanpak: {escape(scan.name)}</h1>",
           f"<p>Gemeente: {_inline(scan.municipality, 'niet ingevuld')}<br>"
           f"Datum van de quickscan: {escape(dutch_date(scan.scan_date, 'niet ingevuld'))}<br>"
           f"Beantwoord: {done} van {total} vragen<br>"
           f"Afgedrukt op {escape(dutch_date(day))} · {escape(_model(meta))}</p>"]
    items = attention(groups, answers)
    out.append("<h2>Wat aandacht nodig heeft</h2>")
    if items:
        rows = [[str(i.number), f"{escape(i.title)}<br><span class=\"muted\">{escape(i.group_name)}</span>",
                 escape(i.status_label), _inline(i.note)] for i in items]
        out.append(_table(["Nr.", "Vraag", "Stand", "Notitie"], rows, [6, 30, 14, 50]))
    else:
        out.append("<p>Geen vragen met ‘nog niet’, ‘deels’ of ‘weet niet’.</p>")
    out.append("<h2>Voortgang per groep</h2>")
    out.append(_table(["Groep", "Voortgang"], [[escape(p.name), escape(p.label)] for p in progress(groups, answers)],
                      [60, 40]))
    out.append("<h2>Alle vragen met uitleg</h2>")
    out.append("<p class=\"muted\">De bron (toelichting bij de Quickscan lokale (preventieve) aanpak radicalisering) "
               "geeft de uitleg bij elke vraag, niet de letterlijke vraagtekst.</p>")
    for group, step in zip(groups, progress(groups, answers), strict=True):
        out.append(f"<h3>{escape(group.name)} <span class=\"muted\">({escape(step.label)})</span></h3>")
        for q in group.questions:
            answer = answers.get(q.number)
            status = QUICKSCAN_STATUS_LABELS.get(answer.status, answer.status) if answer and answer.status else None
            out.append(f"<p><b>{escape(q.title)}</b> — stand: {escape(status or 'niet beantwoord')}</p>")
            if answer and answer.note:
                out.append(f"<p><i>Notitie:</i> {_inline(answer.note)}</p>")
            out.append(_p(q.explanation, "geen uitleg in het model"))
    return Report(f"Quickscan: {scan.name}", "\n".join(out))
