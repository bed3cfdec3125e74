"""The printable documents: an intervention, a beschermende factor, a bouwsteen, a result list, a werkset.

Each function returns a `Report` whose body is plain HTML made of h1/h2/p/ul/table (with b, i, br and
`class` names the printing layer may style), so Qt's rich-text engine lays it out the same on paper
and in a PDF. Every text from the model or the workspace passes through `plain()`/`paragraphs()`
(escaped, control characters removed, line breaks kept); no report refers to an image or a link
target: web addresses are printed as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from desktop.core.errors import ExpectedError
from desktop.core.reports import Report
from desktop.core.search.repository import (
    BlockNode,
    InterventionDetail,
    InterventionRow,
    ModelRepository,
    NodeDetail,
    TypeInfo,
)
from desktop.core.search.search import Filters
from desktop.core.text import count, dutch_date, shorten
from desktop.core.workspace.store import STATUS_LABELS, NoteEntry, ShortlistItem, Workspace

UNKNOWN = "onbekend"
SHORT_DESCRIPTION = 320  # characters of an intervention's description in a factor report
GAP_TEXT = "Geen voorbeeldinterventies bij deze factor — een lacune in het model."
REMOVED = "(niet meer in het model)"
RESULT_COLUMNS = (("Naam", 34), ("Type", 28), ("Trede", 19), ("Nu aangeboden", 19))
# only when a model lacks the report's own warning text: risk factors are never printed without one
FALLBACK_WARNING = ("risicofactoren geven hooguit een indicatie; gebruik ze voor beleid, nooit om individuen of "
                    "groepen te selecteren of te stigmatiseren.")
BASIS = {
    "rapport": "zo staat het in het rapport",
    "redactie": "oordeel van de redactie op basis van de tekst van het rapport",
}

# line breaks as Word, Excel and other systems write them; every other control character is dropped
_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


# --- escaping ----------------------------------------------------------------------------------------

def _clean(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").translate(_BREAKS))


def plain(value: str | None, unknown: str = UNKNOWN) -> str:
    """Escaped inline text; line breaks become <br>; a missing value says so."""
    if value is None or not value.strip():
        return f'<span class="muted">{escape(unknown)}</span>'
    return escape(re.sub(r"\n\s*\n", "\n", _clean(value).strip())).replace("\n", "<br>")


def paragraphs(value: str | None, unknown: str = UNKNOWN) -> str:
    """Escaped text as <p> elements (a blank line starts a new paragraph)."""
    if value is None or not value.strip():
        return f'<p class="muted">{escape(unknown)}</p>'
    parts = [p.strip() for p in re.split(r"\n\s*\n", _clean(value)) if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


def _items(values: Iterable[str], empty: str) -> str:
    """An escaped bullet list, or a muted paragraph when there is nothing to list."""
    items = [f"<li>{plain(v)}</li>" for v in values]
    return f"<ul>{''.join(items)}</ul>" if items else f'<p class="muted">{escape(empty)}</p>'


def _fields(rows: list[tuple[str, str]]) -> str:
    """A two-column table of (Dutch label, already escaped value)."""
    body = "".join(f'<tr><td class="label" width="30%">{escape(label)}</td><td>{value}</td></tr>'
                   for label, value in rows)
    return f'<table class="fields" width="100%" cellspacing="0" cellpadding="3">{body}</table>'


def _yes_no(value: bool | None) -> str:
    return f'<span class="muted">{UNKNOWN}</span>' if value is None else ("ja" if value else "nee")


def _muted(text: str) -> str:
    return f'<p class="muted">{escape(text)}</p>'


# --- shared pieces -----------------------------------------------------------------------------------

def _ladder(repo: ModelRepository) -> dict[int, str]:
    """Trede -> its name on the effectladder ('doeltreffend')."""
    return {level.trede: level.name for level in repo.effectladder() if level.name}


def trede_words(trede: int | None, ladder: dict[int, str]) -> str:
    """'trede 3 (doeltreffend)' or 'trede onbekend', as plain (unescaped) text."""
    if trede is None:
        return "trede onbekend"
    meaning = ladder.get(trede)
    return f"trede {trede}" + (f" ({meaning})" if meaning else "")


def offered_words(offered: bool | None) -> str:
    return {True: "nu aangeboden", False: "niet nu aangeboden", None: "aanbod onbekend"}[offered]


def summary_line(row: InterventionRow, ladder: dict[int, str]) -> str:
    """The one line that sums up an intervention everywhere: '<b>Naam</b> — Theater · trede 3 (…) · nu aangeboden'."""
    parts = [row.type_text.strip() if row.type_text and row.type_text.strip() else "type onbekend",
             trede_words(row.trede, ladder), offered_words(row.offered)]
    return f"<b>{plain(row.name)}</b> — {escape(' '.join(_clean(' · '.join(parts)).split()))}"


def _interventions_of(repo: ModelRepository, scope: tuple[str, str]) -> list[InterventionRow]:
    return repo.rows(repo.search("", Filters(scope=scope)))


def _block_of(repo: ModelRepository, block_id: str) -> BlockNode | None:
    return next((b for b in repo.tree() if b.id == block_id), None)


def _links(links: list[str]) -> str:
    return _items(links, "Geen weblink bekend.")


# --- an intervention ---------------------------------------------------------------------------------

def _trede_meaning(d: InterventionDetail) -> str:
    if d.effect_level is None:
        return _muted("Het niveau van onderbouwing is niet bekend: de interventie is (nog) niet beoordeeld op de "
                      "effectladder.")
    out = (f"<p><b>Trede {d.effect_level.trede} op de effectladder: {plain(d.effect_level.name, '')}.</b> "
           f"{plain(d.effect_level.explanation, '')}</p>")
    if d.trede_source and "eigen" in d.trede_source.lower():
        out += _muted("Bron: eigen, niet-officiële inschatting van de onderzoekers op basis van de vermelde evaluatie.")
    elif d.trede_source:
        out += f'<p class="muted">Bron: erkenning in de databank van {plain(d.trede_source)}.</p>'
    return out


def _trede_field(d: InterventionDetail, ladder: dict[int, str] | None = None) -> str:
    """'Trede 3: doeltreffend (eigen inschatting)'; the effectladder's name when the report gives no label."""
    if d.trede is None:
        return plain(d.trede_label)
    label = d.trede_label or (ladder or {}).get(d.trede)
    out = f"Trede {d.trede}" + (f": {plain(label)}" if label else "")
    return out + (f" ({plain(d.trede_source)})" if d.trede_source else "")


def _linked_factors(d: InterventionDetail) -> str:
    if not d.clusters:
        return _muted("Niet als voorbeeld gekoppeld aan een beschermende factor.")
    out, current = "", ""
    for c in d.clusters:
        if c.block_id != current:
            out += ("</ul>" if current else "") + f"<p><b>Bouwsteen {c.block_number}: {plain(c.block_name)}</b></p><ul>"
            current = c.block_id
        flags = ["expliciet gericht op preventie" if c.explicit else "niet expliciet gericht op preventie",
                 "nu aangeboden" if c.offered else "aanbod niet bevestigd"]
        if c.via_municipality:
            flags.append("verzameld via gemeenten")
        if c.trede is not None:
            flags.append(f"trede {c.trede}" + (f" ({c.trede_source})" if c.trede_source else ""))
        out += (f"<li>{plain(c.cluster_name)} <i>(thema {plain(c.theme_name)})</i><br>"
                f'<span class="muted">{escape(_clean("; ".join(flags)))}</span></li>')
    return out + "</ul>"


def _basis(basis: str | None) -> str:
    return f' <span class="muted">({escape(BASIS.get(basis, basis))})</span>' if basis else ""


def _type_section(info: TypeInfo) -> str:
    out = f"<p><b>Type {plain(info.code)}: {plain(info.name)}</b>{_basis(info.basis)}</p>"
    if info.description:
        out += paragraphs(info.description)
    if info.why:
        out += f'<p class="muted">Waarom dit type: {plain(info.why)}</p>'
    out += "<p><i>Werkzame elementen</i></p>" + _items(info.working_elements, "Niet beschreven.")
    out += "<p><i>Randvoorwaarden</i></p>" + _items(info.preconditions, "Niet beschreven.")
    return out


def _search_features(d: InterventionDetail) -> str:
    if not d.facets:
        return _muted("Geen zoekkenmerken vastgelegd.")
    rows = []
    for facet in d.facets:
        value = plain(", ".join(label for _v, label in facet.values)) + _basis(facet.basis)
        if facet.why:
            value += f'<br><span class="muted">{plain(facet.why)}</span>'
        rows.append((facet.label, value))
    return _fields(rows)


def source_words(source: str) -> str:
    """Where a fact comes from, in plain words (the report's table name stays for who wants it)."""
    if source.strip() == "B3.7":
        return "het overzicht van alle interventies in het rapport (tabel B3.7)"
    if source.strip().startswith("B3."):
        return f"het overzicht per bouwsteen in het rapport (tabel {source.strip()})"
    return source


def _intervention_body(d: InterventionDetail) -> str:
    out = [f"<h1>{plain(d.name)}</h1>"]
    if d.aliases:
        out.append(f'<p class="muted">Ook bekend als: {plain(", ".join(d.aliases))}</p>')
    out.append(_fields([
        ("Type interventie", plain(d.type_text)),
        ("Nu aangeboden", _yes_no(d.offered)),
        ("Expliciet gericht op polarisatie, radicalisering of spanningen", _yes_no(d.explicit)),
        ("Beoogde doelgroep", plain(d.target_group)),
        ("Uitvoerder", plain(d.provider)),
        ("Niveau van onderbouwing", _trede_field(d)),
    ]))
    out.append("<h2>Korte omschrijving</h2>" + paragraphs(d.description))
    out.append("<h2>Beoogde doelstelling</h2>" + paragraphs(d.goal))
    out.append("<h2>Wat betekent deze trede?</h2>" + _trede_meaning(d))
    out.append("<h2>Gekoppeld aan beschermende factoren</h2>" + _linked_factors(d))
    out.append("<h2>Interventietype</h2>")
    out.append("".join(_type_section(t) for t in d.types) if d.types
               else _muted("Het rapport koppelt deze interventie niet aan één interventietype."))
    out.append("<h2>Zoekkenmerken</h2>" + _search_features(d))
    out.append("<h2>Meer informatie</h2>" + _links(d.links))
    if d.evaluation:
        out.append(f"<p><b>Evaluatie:</b> {plain(d.evaluation)}</p>")
    if d.source:
        out.append(f'<p class="muted">Bron: {plain(source_words(d.source))}</p>')
    return "".join(out)


def intervention_report(repo: ModelRepository, intervention_id: str) -> Report:
    """Every field of one intervention, as the detail pane shows it."""
    d = repo.intervention(intervention_id)
    if d is None:
        raise ExpectedError("Deze interventie staat niet (meer) in het model; er valt niets af te drukken.")
    return Report(d.name, _intervention_body(d))


# --- a beschermende factor ---------------------------------------------------------------------------

def _example(repo: ModelRepository, row: InterventionRow, ladder: dict[int, str]) -> str:
    detail = repo.intervention(row.id)
    description = detail.description if detail is not None else None
    short = shorten(_clean(description), SHORT_DESCRIPTION) if description else None
    return f"<p>{summary_line(row, ladder)}<br>{plain(short, 'geen omschrijving')}</p>"


def _cluster_node(repo: ModelRepository, cluster_id: str) -> NodeDetail:
    node = repo.node("cluster", cluster_id)
    if node is None:
        raise ExpectedError("Deze beschermende factor staat niet (meer) in het model; er valt niets af te drukken.")
    return node


def factor_report(repo: ModelRepository, cluster_id: str) -> Report:
    """A beschermende factor with what the model says about it and its example interventions."""
    node = _cluster_node(repo, cluster_id)
    block = _block_of(repo, node.block_id)
    number = f" {block.number}" if block else ""
    out = [f"<h1>{plain(node.name)}</h1>",
           f'<p class="muted">Beschermende factor in bouwsteen{number} {plain(node.block_name)} › '
           f"{plain(node.theme_name)}</p>"]
    if node.focus:
        out.append(f"<p><b>Focus:</b> {plain(node.focus)}</p>")
    if node.description:
        out.append(paragraphs(node.description))
    out.append("<h2>Onder meer</h2>" + _items(node.subfactors, "Geen aanvullende factoren genoemd."))
    out.append("<h2>Passende interventietypen</h2>"
               + _items([f"Type {code}: {name}" for code, name in node.types], "Niet vermeld."))
    out.append("<h2>Literatuur</h2>" + _items(node.references, "Geen referenties vermeld."))
    rows = _interventions_of(repo, ("cluster", cluster_id))
    out.append(f"<h2>Voorbeeldinterventies ({len(rows)})</h2>")
    if rows:
        ladder = _ladder(repo)
        out.extend(_example(repo, row, ladder) for row in rows)
    else:
        out.append(f"<p><b>{escape(GAP_TEXT)}</b></p>")
    return Report(node.name, "".join(out))


# --- a bouwsteen -------------------------------------------------------------------------------------

def _risk_factors(repo: ModelRepository, node: NodeDetail) -> str:
    """The risk factors, never without the report's warning against stigmatising use."""
    if not node.risk_factors:
        return "<h2>Risicofactoren</h2>" + _muted("Voor deze bouwsteen noemt het rapport geen risicofactoren.")
    warning = repo.text("risk_factor_warning") or node.risk_factor_warning or FALLBACK_WARNING
    return (f'<h2>Risicofactoren</h2><p class="warning"><b>Let op:</b> {plain(warning)}</p>'
            + _items(node.risk_factors, ""))


def _compact_factor(repo: ModelRepository, cluster_id: str, ladder: dict[int, str]) -> str:
    node = _cluster_node(repo, cluster_id)
    out = f"<p><b>{plain(node.name)}</b>"
    if node.focus:
        out += f"<br><i>Focus:</i> {plain(node.focus)}"
    if node.subfactors:
        out += f"<br><i>Onder meer:</i> {plain('; '.join(node.subfactors))}"
    out += "</p>"
    rows = _interventions_of(repo, ("cluster", cluster_id))
    if not rows:
        return out + f'<p class="muted">{escape(GAP_TEXT)}</p>'
    return out + "<ul>" + "".join(f"<li>{summary_line(row, ladder)}</li>" for row in rows) + "</ul>"


def block_report(repo: ModelRepository, block_id: str) -> Report:
    """The whole bouwsteen: description, risk factors with the warning, every thema and factor compactly."""
    node = repo.node("block", block_id)
    block = _block_of(repo, block_id)
    if node is None or block is None:
        raise ExpectedError("Deze bouwsteen staat niet (meer) in het model; er valt niets af te drukken.")
    title = f"Bouwsteen {block.number}: {node.name}"
    out = [f"<h1>{plain(title)}</h1>", paragraphs(node.description, "Geen omschrijving."),
           _muted(f"{count(node.intervention_count, 'voorbeeldinterventie', 'voorbeeldinterventies')} in deze "
                  f"bouwsteen, in {count(len(block.themes), 'thema', 'thema’s')}."),
           _risk_factors(repo, node)]
    ladder = _ladder(repo)
    for theme in block.themes:
        out.append(f"<h2>Thema: {plain(theme.name)}</h2>")
        out.extend(_compact_factor(repo, cluster.id, ladder) for cluster in theme.clusters)
    return Report(title, "".join(out))


# --- a result list -----------------------------------------------------------------------------------

def _result_table(rows: list[InterventionRow], ladder: dict[int, str]) -> str:
    head = "".join(f'<th width="{width}%">{label}</th>' for label, width in RESULT_COLUMNS)
    body = "".join(
        f"<tr><td>{plain(r.name)}</td><td>{plain(r.type_text)}</td>"
        f"<td>{escape(trede_words(r.trede, ladder).removeprefix('trede '))}</td><td>{_yes_no(r.offered)}</td></tr>"
        for r in rows)
    return (f'<table class="list" width="100%" cellspacing="0" cellpadding="3" border="1"><thead><tr>{head}</tr>'
            f"</thead><tbody>{body}</tbody></table>")


def results_report(repo: ModelRepository, ids: list[str], description: str) -> Report:
    """The current result list; `description` says what was searched and filtered."""
    rows = repo.rows(ids)
    out = ["<h1>Zoekresultaten</h1>", paragraphs(description, "Alle interventies, zonder zoekterm of filters."),
           f"<p><b>{count(len(rows), 'interventie', 'interventies')}</b></p>"]
    out.append(_result_table(rows, _ladder(repo)) if rows else _muted("Geen interventies gevonden."))
    return Report("Zoekresultaten", "".join(out))


# --- a werkset ---------------------------------------------------------------------------------------

def _note(entry: NoteEntry) -> str:
    head = [escape(STATUS_LABELS.get(entry.status, entry.status)) if entry.status else "Zonder status",
            escape(dutch_date(entry.entry_date, "zonder datum"))]
    rows = [(label, plain(value)) for label, value in (("Plaats / context", entry.place), ("Met wie", entry.partners),
                                                       ("Resultaat / ervaring", entry.outcome)) if value]
    out = f"<p><b>{' · '.join(head)}</b></p>"
    if rows:
        out += _fields(rows)
    if entry.text:
        out += paragraphs(entry.text)
    return out


def _notes(workspace: Workspace, intervention_id: str) -> str:
    entries = workspace.entries_for(intervention_id)
    out = "<p><i>Eigen notities</i></p>"
    return out + ("".join(_note(e) for e in entries) if entries else _muted("Geen eigen notities."))


def _werkset_item(repo: ModelRepository, workspace: Workspace, number: int, item: ShortlistItem,
                  ladder: dict[int, str], with_notes: bool) -> str:
    d = repo.intervention(item.intervention_id)
    if d is None:
        out = f"<h2>{number}. {plain(item.intervention_name)} {REMOVED}</h2>"
        out += _muted("Deze interventie staat niet meer in het model; uw opmerking en notities zijn bewaard.")
        rows = [("Opmerking", plain(item.comment, "geen"))]
    else:
        out = f"<h2>{number}. {plain(d.name)}</h2>"
        rows = [
            ("Type interventie", plain(d.type_text)),
            ("Niveau van onderbouwing", _trede_field(d, ladder)),
            ("Nu aangeboden", _yes_no(d.offered)),
            ("Uitvoerder", plain(d.provider)),
            ("Meer informatie", "<br>".join(plain(u) for u in d.links) or plain(None, "geen weblink bekend")),
            ("Opmerking", plain(item.comment, "geen")),
        ]
    out += _fields(rows)
    return out + (_notes(workspace, item.intervention_id) if with_notes else "")


def werkset_report(repo: ModelRepository, workspace: Workspace, shortlist_id: str, with_notes: bool) -> Report:
    """A werkset in its order, optionally with the user's own notes per intervention."""
    werkset = next((s for s in workspace.shortlists() if s.id == shortlist_id), None)
    if werkset is None:
        raise ExpectedError("Deze werkset bestaat niet meer; er valt niets af te drukken.")
    items = workspace.items(shortlist_id)
    title = f"Werkset: {werkset.name}"
    extra = ", met eigen notities" if with_notes else ""
    out = [f"<h1>{plain(title)}</h1>", _muted(f"{count(len(items), 'interventie', 'interventies')}{extra}.")]
    ladder = _ladder(repo)
    out.extend(_werkset_item(repo, workspace, n, item, ladder, with_notes) for n, item in enumerate(items, 1))
    if not items:
        out.append(_muted("Deze werkset is nog leeg."))
    return Report(title, "".join(out))
