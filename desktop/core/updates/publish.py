"""Publish the model (for its editors): the workbook and the database file, built from `data/`.

    result = publish(Path("data"), Path("uit"), version="1.1", published="2027-03-01")

Both files are built from the curated source, stamped with the version and publication date,
then read back through the very same checks an import applies (so what is published will import),
and compared with the source. Links are checked offline (no network): syntactically broken or
doubtful addresses and addresses that occur more than once are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from desktop.core.errors import REASONS, PublishError, storage_reason
from desktop.core.model.checks import Problem, ProblemLog, valid_iso_date
from desktop.core.model.entities import Model
from desktop.core.model.sqlite_codec import write_model
from desktop.core.model.toml_codec import load_source
from desktop.core.model.xlsx_write import write_workbook
from desktop.core.text import CONTROL_CHARACTERS, is_web_url
from desktop.core.updates.inspect import parse_file

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass
class LinkIssue:
    owner: str  # "interventie 'naam' [id]" or "organisatie 'naam'"
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.owner}: {self.url}: {self.problem}"


@dataclass
class PublishResult:
    workbook: Path
    database: Path
    version: str
    published: str
    counts: dict[str, int]
    link_issues: list[LinkIssue] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _normal_url(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def url_problem(url: str) -> str | None:
    """Why a web address is broken or doubtful (offline, by its form only); None when it looks right."""
    if not is_web_url(url):
        return "geen geldig http(s)-webadres"
    parts = urlsplit(url)
    if "@" in parts.netloc:
        return "bevat een gebruikersnaam of wachtwoord"
    try:
        port = parts.port
    except ValueError:
        return "ongeldig poortnummer"
    host = (parts.hostname or "").rstrip(".")
    labels = host.split(".")
    if not all(_HOST_LABEL.match(label) for label in labels):
        return f"ongeldige servernaam '{host}'"
    if not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", labels[-1]):
        return f"ongeldig topdomein '.{labels[-1]}'"
    if port is not None and port not in (80, 443):
        return f"ongebruikelijke poort {port}"
    return None


def check_links(model: Model) -> list[LinkIssue]:
    """Broken or doubtful addresses, and addresses used more than once (within or across entries)."""
    issues: list[LinkIssue] = []
    users: dict[str, list[str]] = {}
    for iv in model.interventions:
        owner = f"interventie '{iv.name}' [{iv.id}]"
        seen: set[str] = set()
        for url in iv.links:
            problem = url_problem(url)
            if problem:
                issues.append(LinkIssue(owner, url, problem))
            key = _normal_url(url)
            if key in seen:
                issues.append(LinkIssue(owner, url, "staat dubbel bij deze interventie"))
                continue
            seen.add(key)
            users.setdefault(key, []).append(owner)
    for org in model.organisations:
        if org.url:
            problem = url_problem(org.url)
            if problem:
                issues.append(LinkIssue(f"organisatie '{org.name}'", org.url, problem))
    for key, owners in users.items():
        if len(owners) > 1:
            issues.append(LinkIssue(owners[0], key, f"wordt ook gebruikt door {', '.join(owners[1:])}"))
    return issues


def _safe_name(version: str) -> str:
    return re.sub(r"[^0-9A-Za-z.-]+", "-", version).strip("-.") or "model"


def publish(source_dir: Path, out_dir: Path, version: str | None = None, published: str | None = None) -> PublishResult:
    """Build, stamp and check the published workbook and database. Raises SourceError / PublishError."""
    model = load_source(source_dir)
    version = (version if version is not None else model.meta.get("model_version", "")).strip()
    published = (published if published is not None else model.meta.get("published", "")).strip()
    if not version or CONTROL_CHARACTERS.search(version) or len(version) > 40:
        raise PublishError(f"'{version}' is geen bruikbaar versienummer (bijv. 1.1 of 2027-1).")
    if not valid_iso_date(published):
        raise PublishError(f"'{published}' is geen geldige publicatiedatum; gebruik JJJJ-MM-DD, bijv. "
                           f"{dt.date.today().isoformat()}.")
    model.meta = {**model.meta, "model_version": version, "published": published}

    stem = f"bouwstenenmodel-{_safe_name(version)}"
    workbook, database = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.sqlite"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_workbook(model, workbook)
        write_model(model, database)
    except OSError as exc:
        raise PublishError(f"Kan niet schrijven in '{out_dir}': {REASONS[storage_reason(exc)]}.") from exc

    warnings: list[Problem] = []
    for path in (workbook, database):
        log = ProblemLog(path.name)
        found = parse_file(path, log, None)
        if log.errors or found.model is None:
            lines = "\n".join(f"  - {p}" for p in log.errors[:20])
            raise PublishError(f"Het gepubliceerde bestand '{path.name}' komt niet door de importcontrole:\n{lines}")
        if found.model != model:
            raise PublishError(f"Het gepubliceerde bestand '{path.name}' geeft bij teruglezen niet hetzelfde model.")
        warnings.extend(log.warnings)
    return PublishResult(workbook, database, version, published, model.counts(), check_links(model), warnings)
