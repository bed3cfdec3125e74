"""HTML for the detail pane. Every value from the model is escaped: the model is untrusted text.

Links from the model become anchors only for http/https addresses; internal anchors use the
`bouwstenen:` scheme (jump to a node or intervention) and are handled by the application itself.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from desktop.core.search.repository import InterventionDetail, NodeDetail, TypeInfo
from desktop.core.text import count, is_web_url

if TYPE_CHECKING:
    from desktop.core.search.background import BackgroundText

INTERNAL_SCHEME = "bouwstenen"

_STYLE = """
<style>
h1 {{ font-size: 160%; margin: 0 0 4px 0; }}
h2 {{ font-size: 120%; margin: 14px 0 4px 0; }}
h3 {{ font-size: 105%; margin: 8px 0 2px 0; }}
p {{ margin: 2px 0 6px 0; }}
.muted {{ color: {muted}; }}
.warning {{ background: #fff1c2; color: #000; border: 1px solid #c99a2e; padding: 6px; }}
.derived {{ color: {muted}; font-style: italic; }}
.mark {{ background-color: #ffe27a; color: #000; }}
td.label {{ color: {muted}; padding-right: 10px; vertical-align: top; }}
td {{ vertical-align: top; padding-bottom: 3px; }}
</style>
"""
STYLE = _STYLE.format(muted="#555555")
_terms: list[str] = []  # search words to mark in the texts being rendered


def configure(muted: str) -> None:
    """Colours from the system palette (high-contrast themes make 'muted' text readable too)."""
    global STYLE
    STYLE = _STYLE.format(muted=muted)


def marked(value: str) -> str:
    """Escaped text with the current search words marked."""
    if not _terms:
        return escape(value)
    from desktop.core.search.highlight import match_spans

    parts, last = [], 0
    for start, end in match_spans(value, _terms):
        parts.append(escape(value[last:start]))
        parts.append(f'<span class="mark">{escape(value[start:end])}</span>')
        last = end
    parts.append(escape(value[last:]))
    return "".join(parts)


def text(value: str | None, unknown: str = "onbekend") -> str:
    """Escaped plain text with paragraphs kept; unknown values say so."""
    if value is None or not value.strip():
        return f'<span class="muted">{escape(unknown)}</span>'
    paragraphs = [marked(p).replace("\n", "<br>") for p in value.split("\n\n")]
    return "</p><p>".join(paragraphs)


def yes_no(value: bool | None) -> str:
    return '<span class="muted">onbekend</span>' if value is None else ("ja" if value else "nee")


def internal(kind: str, node_id: str, label: str) -> str:
    return f'<a href="{INTERNAL_SCHEME}:{kind}/{quote(node_id)}">{escape(label)}</a>'


def web_link(url: str) -> str:
    """A clickable link for a valid http(s) address; anything else as plain text."""
    if is_web_url(url):
        return f'<a href="{escape(url, quote=True)}">{escape(url)}</a>'
    return escape(url)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def trede_text(trede: int | None, label: str | None, source: str | None) -> str:
    if trede is None:
        return escape(label) if label else '<span class="muted">onbekend</span>'
    out = f"Trede {trede}"
    if label:
        out += f": {escape(label)}"
    if source:
        out += f" <span class=\"muted\">({escape(source)})</span>"
    return out


BASIS = {
    "rapport": "zo staat het in het rapport",
    "redactie": "oordeel van de redactie op basis van de tekst van het rapport",
}
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def linked_text(value: str | None, unknown: str = "onbekend") -> str:
    """Escaped plain text in which http(s) addresses are clickable links."""
    if value is None or not value.strip():
        return f'<span class="muted">{escape(unknown)}</span>'
    parts, last = [], 0
    for match in _URL.finditer(value):
        url = match.group().rstrip(".,;:")
        parts.append(escape(value[last:match.start()]).replace("\n", "<br>"))
        parts.append(web_link(url))
        last = match.start() + len(url)
    parts.append(escape(value[last:]).replace("\n", "<br>"))
    return "".join(parts)


def basis_note(basis: str | None, why: str | None) -> str:
    if not basis:
        return ""
    note = BASIS.get(basis, basis)
    tip = f' title="{escape(why, quote=True)}"' if why else ""
    return f' <span class="derived"{tip}>({escape(note)})</span>'


def _type_section(info: TypeInfo, expanded: bool) -> str:
    title = f"Type {escape(info.code)}: {escape(info.name)}" + basis_note(info.basis, None)
    toggle = "inklappen" if expanded else "werkzame elementen en randvoorwaarden tonen"
    out = f"<h3>{title}</h3><p>{internal('toggle-type', info.code, toggle)}</p>"
    if expanded:
        if info.description:
            out += f"<p>{text(info.description)}</p>"
        if info.target_groups:
            out += f"<p><b>Doelgroep(en) en doelstelling(en)</b></p><p>{text(info.target_groups)}</p>"
        out += "<p><b>Werkzame elementen</b></p>"
        out += _list(info.working_elements) if info.working_elements else '<p class="muted">niet beschreven</p>'
        out += "<p><b>Randvoorwaarden</b></p>"
        out += _list(info.preconditions) if info.preconditions else '<p class="muted">niet beschreven</p>'
        if info.examples:
            out += "<p><b>Voorbeelden in het rapport</b></p>" + _list([name for name, _iid in info.examples])
    if info.why:
        out += f'<p class="muted">Waarom dit type: {escape(info.why)}</p>'
    return out


def intervention_html(d: InterventionDetail, expanded_types: set[str] | None = None,
                      terms: list[str] | None = None) -> str:
    global _terms
    _terms = list(terms or [])
    try:
        return _intervention_html(d, expanded_types or set())
    finally:
        _terms = []


def background_html(t: BackgroundText, terms: list[str] | None = None) -> str:
    """One background text with the search words marked and its source named underneath."""
    global _terms
    _terms = list(terms or [])
    try:
        out = [STYLE, f"<h1>{marked(t.title)}</h1>"]
        if t.group and t.group != t.title:
            out.append(f'<p class="muted">{marked(t.group)}</p>')
        if t.risk_warning:
            out.append(f'<p class="warning">{escape(t.risk_warning)}</p>')
        if t.text.strip():
            out.append(f"<p>{text(t.text)}</p>")
        if t.items:
            out.append("<ul>" + "".join(f"<li>{marked(i)}</li>" for i in t.items) + "</ul>")
        if t.note:
            out.append(f'<p class="muted">{marked(t.note)}</p>')
        links = [("Bouwstenen", "block", t.blocks), ("Beschermende factoren", "cluster", t.clusters),
                 ("Voorbeeldinterventies", "intervention", t.interventions)]
        if any(items for _label, _kind, items in links):
            out.append("<h2>In het bouwstenenmodel</h2><table>")
            for label, kind, items in links:
                if items:
                    cells = ", ".join(internal(kind, key, name) for key, name in items)
                    out.append(f'<tr><td class="label">{label}</td><td>{cells}</td></tr>')
            out.append("</table>")
        credit = f" ({escape(t.credit)})" if t.credit else ""
        out.append(f'<p class="muted">Bron: {escape(t.document)}{credit}</p>')
        return "".join(out)
    finally:
        _terms = []


def _intervention_html(d: InterventionDetail, expanded_types: set[str]) -> str:
    rows = [
        ("Type interventie", text(d.type_text)),
        ("Nu aangeboden", yes_no(d.offered)),
        ("Expliciet gericht op polarisatie, radicalisering of spanningen", yes_no(d.explicit)),
        ("Beoogde doelgroep", text(d.target_group)),
        ("Uitvoerder", text(d.provider)),
        ("Niveau van onderbouwing", trede_text(d.trede, d.trede_label, d.trede_source)),
    ]
    out = [STYLE, f"<h1>{marked(d.name)}</h1>"]
    if d.aliases:
        out.append(f'<p class="muted">Ook bekend als: {marked(", ".join(d.aliases))}</p>')
    out.append(
        '<table width="100%">'
        + "".join(f'<tr><td class="label" width="32%">{escape(k)}</td><td>{v}</td></tr>' for k, v in rows)
        + "</table>"
    )
    out.append(f"<h2>Korte omschrijving</h2><p>{text(d.description)}</p>")
    out.append(f"<h2>Beoogde doelstelling</h2><p>{text(d.goal)}</p>")

    out.append("<h2>Wat betekent deze trede?</h2>")
    if d.effect_level is not None:
        out.append(
            f"<p><b>Trede {d.effect_level.trede} op de effectladder: {escape(d.effect_level.name or '')}.</b> "
            f"{text(d.effect_level.explanation)}</p>"
        )
        if d.trede_source:
            source = d.trede_source.lower()
            if "eigen" in source:
                out.append('<p class="muted">Bron: eigen, niet-officiële inschatting van de onderzoekers op basis '
                           "van de vermelde evaluatie.</p>")
            else:
                out.append(f'<p class="muted">Bron: erkenning in de databank van {escape(d.trede_source)}.</p>')
    else:
        out.append('<p class="muted">Het niveau van onderbouwing is niet bekend: de interventie is (nog) niet '
                   "beoordeeld op de effectladder.</p>")
    out.append(f"<p>{internal('effectladder', 'all', 'De hele effectladder bekijken')}</p>")

    out.append("<h2>Gekoppeld aan beschermende factoren</h2>")
    if d.clusters:
        items = []
        for c in d.clusters:
            flags = []
            flags.append("expliciet gericht op preventie" if c.explicit else "niet expliciet gericht op preventie")
            flags.append("nu aangeboden" if c.offered else "aanbod niet bevestigd")
            if c.via_municipality:
                flags.append("verzameld via gemeenten")
            if c.trede is not None:
                flags.append(f"trede {c.trede}" + (f" ({c.trede_source})" if c.trede_source else ""))
            items.append(
                f"<li>{internal('cluster', c.cluster_id, c.cluster_name)}"
                f'<br><span class="muted">Bouwsteen {c.block_number} {escape(c.block_name)} › '
                f"{escape(c.theme_name)} — {escape('; '.join(flags))}</span></li>"
            )
        out.append("<ul>" + "".join(items) + "</ul>")
    else:
        out.append('<p class="muted">Niet als voorbeeld gekoppeld aan een beschermende factor.</p>')

    out.append("<h2>Interventietype</h2>")
    if d.types:
        out.extend(_type_section(t, t.code in expanded_types) for t in d.types)
    else:
        out.append('<p class="muted">Het rapport koppelt deze interventie niet aan één interventietype.</p>')

    if d.facets:
        out.append('<h2>Zoekkenmerken</h2><table width="100%">')
        for facet in d.facets:
            labels = ", ".join(label for _, label in facet.values) or "onbekend"
            why = f'<br><span class="muted">{escape(facet.why)}</span>' if facet.why else ""
            out.append(
                f'<tr><td class="label" width="32%">{escape(facet.label)}</td><td>{escape(labels)}'
                f"{basis_note(facet.basis, facet.why)}{why}</td></tr>"
            )
        out.append("</table>")

    out.append("<h2>Meer informatie</h2>")
    if d.links:
        out.append("<ul>" + "".join(f"<li>{web_link(u)}</li>" for u in d.links) + "</ul>")
        out.append('<p class="muted">Links openen in uw webbrowser (alleen als u online bent).</p>')
    else:
        out.append('<p class="muted">Geen weblink bekend.</p>')
    if d.evaluation:
        out.append(f"<p><b>Evaluatie:</b> {linked_text(d.evaluation)}</p>")
    if d.source:
        out.append(f'<p class="muted">Bron: {escape(source_text(d.source))}</p>')
    report = internal("feedback-intervention", d.id, "Klopt er iets niet of mist er iets? Meld het aan de redactie…")
    out.append(f"<p>{report}</p>")
    return "".join(out)


def source_text(source: str) -> str:
    """Where a fact comes from, in plain words (the report's table name stays for who wants it)."""
    if source.strip() == "B3.7":
        return "het overzicht van alle interventies in het rapport (tabel B3.7)"
    if source.startswith("B3."):
        return f"het overzicht per bouwsteen in het rapport (tabel {source})"
    return source


def _related(n: NodeDetail) -> str:
    out = ""
    if n.background:
        out += "<h2>Achtergrond</h2>" + "<ul>" + "".join(
            f"<li>{internal('background', tid, title)}</li>" for tid, title in n.background) + "</ul>"
    if n.organisations or n.practice_examples:
        out += "<h2>Organisaties en praktijkvoorbeelden</h2><ul>" + "".join(
            f"<li>{internal('organisation', oid, name)}</li>" for oid, name in n.organisations) + "".join(
            f"<li>{internal('practice', pid, title)}</li>" for pid, title in n.practice_examples) + "</ul>"
    return out


def node_html(n: NodeDetail) -> str:
    out = [STYLE]
    if n.kind == "block":
        out.append(f"<h1>Bouwsteen: {escape(n.name)}</h1>")
        out.append(f"<p>{text(n.description)}</p>")
        out.append(f"<p class=\"muted\">{count(n.intervention_count, 'voorbeeldinterventie', 'voorbeeldinterventies')} "
                   "in deze bouwsteen.</p>")
        if n.themes:
            out.append("<h2>Thema's</h2><ul>" + "".join(
                f"<li>{internal('theme', tid, name)}</li>" for tid, name in n.themes) + "</ul>")
        out.append("<h2>Risicofactoren</h2>")
        if n.risk_factors:
            if n.risk_factor_warning:
                out.append(f'<p class="warning"><b>Let op:</b> {text(n.risk_factor_warning)}</p>')
            out.append(_list(n.risk_factors))
        else:
            out.append('<p class="muted">Voor deze bouwsteen noemt het rapport geen risicofactoren.</p>')
        out.append(_related(n))
    elif n.kind == "unlinked":
        out.append(f"<h1>{escape(n.name)}</h1>")
        out.append(f"<p>{count(n.intervention_count, 'interventie staat', 'interventies staan')} in het overzicht van "
                   "het rapport (tabel B3.7) maar is in de tabellen per bouwsteen niet als voorbeeld bij een "
                   "beschermende factor genoemd. Ze zijn via zoeken en filters te vinden, en hier.</p>")
    elif n.kind == "theme":
        out.append(f"<h1>Thema: {escape(n.name)}</h1>")
        out.append(f'<p class="muted">In bouwsteen {internal("block", n.block_id, n.block_name)}. '
                   f"{count(n.intervention_count, 'voorbeeldinterventie', 'voorbeeldinterventies')}.</p>")
        out.append("<h2>Beschermende factoren</h2><ul>" + "".join(
            f"<li>{internal('cluster', cid, name)}</li>" for cid, name in n.clusters) + "</ul>")
    else:
        out.append(f"<h1>{escape(n.name)}</h1>")
        out.append(f'<p class="muted">Beschermende factor in bouwsteen {internal("block", n.block_id, n.block_name)}'
                   f" › {escape(n.theme_name or '')}</p>")
        if n.focus:
            out.append(f"<p><b>Focus:</b> {text(n.focus)}</p>")
        if n.description:
            out.append(f"<p>{text(n.description)}</p>")
        out.append("<h2>Onder meer</h2>")
        out.append(_list(n.subfactors) if n.subfactors else '<p class="muted">Geen aanvullende factoren genoemd.</p>')
        out.append("<h2>Passende interventietypen</h2>")
        out.append(_list([f"Type {c}: {name}" for c, name in n.types]) if n.types
                   else '<p class="muted">Niet vermeld.</p>')
        out.append("<h2>Literatuur</h2>")
        out.append(_list(n.references) if n.references else '<p class="muted">Geen referenties vermeld.</p>')
        if n.intervention_count == 0:
            out.append('<p class="warning">Geen voorbeeldinterventies bij deze factor — een lacune in het model.</p>')
        out.append(f"<p>{internal('add-to-plan', n.id, 'Aan het plan voor uw lokale aanpak toevoegen…')}</p>")
        out.append(_related(n))
        out.append(f"<p>{internal('feedback-cluster', n.id, 'Meld iets over deze factor aan de redactie…')}</p>")
    return "".join(out)


def effectladder_html(levels: list[tuple[int, str | None, str | None]], intro: str | None,
                      trede_note: str | None = None) -> str:
    out = [STYLE, "<h1>De effectladder</h1>"]
    if intro:
        out.append(f"<p>{text(intro)}</p>")
    for trede, name, explanation in levels:
        title = f"Trede {trede}" + (f": {escape(name)}" if name else "")
        out.append(f"<h2>{title}</h2><p>{text(explanation)}</p>")
    if trede_note:
        out.append(f"<h2>Waar de trede van een interventie vandaan komt</h2><p>{text(trede_note)}</p>")
    return "".join(out)


def welcome_html(model_version: str, published: str, count: int, purpose: str | None,
                 selection_note: str | None = None) -> str:
    about_list = f'<h2>Over de interventies</h2><p class="muted">{text(selection_note)}</p>' if selection_note else ""
    return (
        STYLE
        + "<h1>Welkom bij Bouwstenen</h1>"
        + f"<p>{text(purpose, '')}</p>"
        + "<h2>Zo vindt u een interventie</h2><ol>"
        + "<li>Kies links een bouwsteen, thema of beschermende factor die u wilt versterken.</li>"
        + "<li>Of typ in het zoekveld (Ctrl+F), bijvoorbeeld <i>mediawijsheid</i> of <i>ouders</i>.</li>"
        + "<li>Verfijn met de filters links onder: type, trede, doelgroep, setting…</li>"
        + "<li>Klik op een interventie in de lijst: hier verschijnt alles wat bekend is.</li></ol>"
        + f'<p class="muted">Model versie {escape(model_version)}, gepubliceerd {escape(published)} — '
        + f"{count} interventies.</p>"
        + about_list
    )
