"""Feedback to the editors as a workbook, and the editors' merge of many such workbooks.

    export_feedback(workspace, Path("meldingen.xlsx"))              # a user sends this by e-mail
    merge_feedback([Path("a.xlsx"), Path("b.xlsx")], Path("overzicht.xlsx"))   # the editors combine them

The format is documented in docs/feedback-format.md: one sheet "Meldingen" with Dutch headers, one row
per report, technical columns (ids, codes) hidden at the end. Every input file of a merge is as
guarded as a notes import: size, zip bombs, macros and DOCTYPEs refused by the container check,
formulas refused, rows and text limited; a file that is not a feedback workbook is named as such and
nothing is written. The overview holds each report once: the same report id, or the same kind,
subject and text, counts as the same report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import ExpectedError, WorkspaceError
from desktop.core.text import count, dutch_date, fold
from desktop.core.workspace.planning import (
    FEEDBACK_KIND_LABELS,
    PROPOSAL_FIELDS,
    TARGET_KIND_LABELS,
    FeedbackReport,
    feedback_reports,
)
from desktop.core.workspace.store import Workspace
from desktop.core.workspace.workbook import (
    MAX_TEXT,
    Column,
    Table,
    TextSheet,
    WorkbookKind,
    cell_text,
    local_time,
    normalised,
    open_user_workbook,
    read_table,
    refuse_formulas,
    write_workbook,
)

FEEDBACK_SHEET = "Meldingen"
OVERVIEW_SHEET = "Overzicht"
GUIDE_SHEET = "Uitleg"
NOTES_SHEETS = ("Notities", "Werksets")

COLUMNS: list[Column] = [
    Column("kind", "Soort", 24), Column("target_kind", "Over", 18), Column("target_name", "Onderwerp", 34),
    Column("text", "Melding", 60),
    *(Column(f"proposal_{key}", f"Voorstel: {label.lower()}", 40 if key in ("description", "why") else 24)
      for key, label in PROPOSAL_FIELDS),
    Column("contact", "Contact", 24), Column("model_version", "Modelversie", 11), Column("created", "Gemeld op", 17),
    Column("changed", "Laatst gewijzigd", 17),
]
HIDDEN: list[Column] = [
    Column("id", "melding-id (niet wijzigen)", 14, hidden=True),
    Column("kind_code", "soort-code (niet wijzigen)", 14, hidden=True),
    Column("target_kind_code", "onderwerp-soort (niet wijzigen)", 14, hidden=True),
    Column("target_id", "onderwerp-id (niet wijzigen)", 14, hidden=True),
]
OVERVIEW_EXTRA: list[Column] = [Column("times", "Aantal keer gemeld", 10), Column("files", "Uit bestand(en)", 30)]
KIND_BY_LABEL = {fold(label): key for key, label in FEEDBACK_KIND_LABELS.items()} | {k: k for k in FEEDBACK_KIND_LABELS}
TARGET_BY_LABEL = {fold(label): key for key, label in TARGET_KIND_LABELS.items()} | {k: k for k in TARGET_KIND_LABELS}


_norm = normalised
FEEDBACK_FILE = WorkbookKind("feedbackwerkmap", "Er is niets samengevoegd.")
HEADER_KEYS = {_norm(c.header): c.key for c in (*COLUMNS, *HIDDEN, *OVERVIEW_EXTRA)}


# --- export -------------------------------------------------------------------------------------------

def report_row(report: FeedbackReport) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kind": report.kind_label, "target_kind": TARGET_KIND_LABELS.get(report.target_kind or "general", "algemeen"),
        "target_name": report.target_name, "text": report.text, "contact": report.contact,
        "model_version": report.model_version, "created": local_time(report.created_at),
        "changed": local_time(report.updated_at), "id": report.id, "kind_code": report.kind,
        "target_kind_code": report.target_kind or "general", "target_id": report.target_id,
    }
    for key, _label in PROPOSAL_FIELDS:
        row[f"proposal_{key}"] = report.proposal.get(key)
    return row


def export_feedback(workspace: Workspace, path: Path, today: dt.date | None = None) -> int:
    """Write every feedback report of the workspace to `path`; returns how many."""
    reports = feedback_reports(workspace)
    table = Table(FEEDBACK_SHEET, [*COLUMNS, *HIDDEN], [report_row(r) for r in reports])
    guide = TextSheet(GUIDE_SHEET, [
        "Meldingen aan de redactie van het bouwstenenmodel, gemaakt met Bouwstenen.",
        f"Geëxporteerd op {dutch_date(today or dt.date.today())}: "
        f"{count(len(reports), 'melding', 'meldingen')}.",
        "",
        "Stuur dit bestand per e-mail naar de redactie. De redactie voegt de bestanden van alle gebruikers samen "
        "met ‘bouwstenen feedback merge’.",
        "U mag een melding hier nog aanvullen. Laat de grijze kolommen (ids en codes) staan: daaraan herkent de "
        "redactie dubbele meldingen.",
    ])
    write_workbook(path, [table, guide])
    return len(reports)


# --- reading a feedback workbook ---------------------------------------------------------------------

@dataclass
class FeedbackRow:
    """One report as read from a workbook (kind and subject as codes where they can be recognised)."""

    file: str
    row: int
    id: str | None
    kind: str
    target_kind: str
    target_id: str | None
    target_name: str | None
    text: str | None
    proposal: dict[str, str] = field(default_factory=dict)
    contact: str | None = None
    model_version: str | None = None
    created: dt.datetime | None = None
    changed: dt.datetime | None = None
    files: list[str] = field(default_factory=list)
    times: int = 1  # how many reports this row stands for (an overview's "Aantal keer gemeld")
    ids: dict[str, int] = field(default_factory=dict)  # after a merge: report id -> reports it stands for
    anonymous: int = 0  # after a merge: reports merged in without an id

    @property
    def total(self) -> int:
        return (sum(self.ids.values()) + self.anonymous) or self.times

    def content_key(self) -> tuple[str, ...]:
        """Same kind, same subject, same text (spacing, capitals and accents ignored)."""
        subject = self.target_id or _norm(self.target_name or "")
        body = _norm(self.text or "")
        if not body and self.proposal:
            body = _norm(" ".join(self.proposal.get(k, "") for k in ("name", "link")))
        return (self.kind, self.target_kind, subject, body)

    def values(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "kind": FEEDBACK_KIND_LABELS.get(self.kind, self.kind),
            "target_kind": TARGET_KIND_LABELS.get(self.target_kind, self.target_kind),
            "target_name": self.target_name, "text": self.text, "contact": self.contact,
            "model_version": self.model_version, "created": self.created, "changed": self.changed, "id": self.id,
            "kind_code": self.kind, "target_kind_code": self.target_kind, "target_id": self.target_id,
            "times": self.total, "files": "; ".join(dict.fromkeys(self.files)),
        }
        for key, _label in PROPOSAL_FIELDS:
            row[f"proposal_{key}"] = self.proposal.get(key)
        return row


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = cell_text(value)
    if not text:
        return None
    for pattern in ("%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern)
        except ValueError:
            pass
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def read_feedback_file(path: Path, problems: list[str] | None = None) -> list[FeedbackRow]:
    """Check and read one feedback workbook (or an overview made by a merge). Raises WorkspaceError (Dutch,
    naming the file) for anything that is not a clean feedback workbook; nothing is read from it then."""
    notes = problems if problems is not None else []
    with open_user_workbook(path, FEEDBACK_FILE) as opened:
        file, titles = opened.file, opened.sheet_titles
        sheet_title = titles.get(_norm(FEEDBACK_SHEET)) or titles.get(_norm(OVERVIEW_SHEET))
        if sheet_title is None:
            if any(_norm(s) in titles for s in NOTES_SHEETS):
                raise WorkspaceError(f"‘{file}’ is een export van notities en werksets, geen feedbackwerkmap. "
                                     "Meldingen aan de redactie exporteert u met ‘Meld aan de redactie…’ › "
                                     "Exporteren (of ‘bouwstenen feedback export’).")
            if {"interventies", "bouwstenen"} & set(titles):
                raise WorkspaceError(f"‘{file}’ is een gepubliceerd model, geen feedbackwerkmap.")
            raise WorkspaceError(f"‘{file}’ is geen feedbackwerkmap van Bouwstenen: het blad ‘{FEEDBACK_SHEET}’ "
                                 "ontbreekt.")
        refuse_formulas(opened, [sheet_title], FEEDBACK_FILE)
        try:
            table = read_table(opened.book[sheet_title], HEADER_KEYS, file, FEEDBACK_FILE, [MAX_TEXT], notes)
        except ExpectedError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged sheet
            raise WorkspaceError(f"‘{file}’ is beschadigd: het blad ‘{sheet_title}’ kan niet worden gelezen.") from exc
    if table.headers is None:
        raise WorkspaceError(f"‘{file}’ is geen feedbackwerkmap van Bouwstenen: het blad ‘{sheet_title}’ is leeg.")
    if not {"kind", "text"} <= table.headers:
        raise WorkspaceError(f"‘{file}’ is geen feedbackwerkmap van Bouwstenen: de kolommen ‘Soort’ en ‘Melding’ "
                             f"ontbreken op blad {sheet_title}.")
    return [row for number, record in table.rows if (row := _feedback_row(file, number, record, notes)) is not None]


def _feedback_row(file: str, number: int, record: dict[str, Any], problems: list[str]) -> FeedbackRow | None:
    kind_text = cell_text(record.get("kind_code")) or cell_text(record.get("kind")) or ""
    kind = KIND_BY_LABEL.get(fold(kind_text.strip()), kind_text.strip())
    if not kind:
        problems.append(f"{file}, rij {number}: de soort melding ontbreekt; rij overgeslagen.")
        return None
    target_text = cell_text(record.get("target_kind_code")) or cell_text(record.get("target_kind")) or "general"
    proposal = {key: text for key, _l in PROPOSAL_FIELDS if (text := cell_text(record.get(f"proposal_{key}")))}
    files_text = cell_text(record.get("files"))
    times = record.get("times")
    return FeedbackRow(
        file=file, row=number, id=cell_text(record.get("id")), kind=kind,
        target_kind=TARGET_BY_LABEL.get(fold(target_text.strip()), target_text.strip()),
        target_id=cell_text(record.get("target_id")), target_name=cell_text(record.get("target_name")),
        text=cell_text(record.get("text")), proposal=proposal, contact=cell_text(record.get("contact")),
        model_version=cell_text(record.get("model_version")), created=_moment(record.get("created")),
        changed=_moment(record.get("changed")),
        files=[f.strip() for f in files_text.split(";") if f.strip()] if files_text else [file],
        times=int(times) if isinstance(times, int | float) and times >= 1 else 1,
    )


# --- merging ------------------------------------------------------------------------------------------

@dataclass
class MergeResult:
    files: int = 0
    read: int = 0
    unique: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{count(self.files, 'bestand', 'bestanden')} gelezen, {count(self.read, 'melding', 'meldingen')}; "
                f"{count(self.unique, 'unieke melding', 'unieke meldingen')} in het overzicht, "
                f"{count(self.duplicates, 'dubbele', 'dubbele')} samengevoegd.")


def merge_rows(rows: list[FeedbackRow]) -> list[FeedbackRow]:
    """Each report once: the same id, or the same kind, subject and text, is one report. The most recently
    changed version is kept; the files it came from and how often it was reported are added up."""
    merged: list[FeedbackRow] = []
    by_id: dict[str, FeedbackRow] = {}
    by_content: dict[tuple[str, ...], FeedbackRow] = {}
    for row in rows:
        key = row.content_key()
        group = (by_id.get(row.id) if row.id else None) or by_content.get(key)
        if group is None:
            group = FeedbackRow(**{**row.__dict__, "files": list(row.files), "ids": {}, "anonymous": 0})
            merged.append(group)
        else:
            if (row.changed or dt.datetime.min) > (group.changed or dt.datetime.min):
                for name in ("kind", "target_kind", "target_id", "target_name", "text", "proposal", "contact",
                             "model_version", "changed"):
                    setattr(group, name, getattr(row, name))
            if row.created and (group.created is None or row.created < group.created):
                group.created = row.created
            group.files += [f for f in row.files if f not in group.files]
        if row.id:
            group.ids[row.id] = max(group.ids.get(row.id, 0), row.times)
            by_id.setdefault(row.id, group)
        else:
            group.anonymous += row.times
        by_content.setdefault(key, group)
    return merged


def merge_feedback(paths: list[Path], out: Path, today: dt.date | None = None) -> MergeResult:
    """Read and check every file first, then write one overview; a bad file stops the merge (its name is in
    the message) and nothing is written."""
    if not paths:
        raise WorkspaceError("Geef ten minste één feedbackwerkmap om samen te voegen.")
    result = MergeResult()
    rows: list[FeedbackRow] = []
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            result.problems.append(f"‘{path.name}’ staat twee keer in de lijst; één keer gelezen.")
            continue
        if out.exists() and resolved == out.resolve():
            raise WorkspaceError(f"‘{out.name}’ is zowel invoer als uitvoer; kies een ander doelbestand.")
        seen.add(resolved)
        rows += read_feedback_file(path, result.problems)
        result.files += 1
    result.read = len(rows)
    merged = merge_rows(rows)
    result.unique = len(merged)
    result.duplicates = result.read - result.unique
    merged.sort(key=lambda r: (r.kind, r.target_name or "", r.created or dt.datetime.min))
    table = Table(OVERVIEW_SHEET, [*COLUMNS, *OVERVIEW_EXTRA, *HIDDEN], [r.values() for r in merged])
    guide = TextSheet(GUIDE_SHEET, [
        "Overzicht van meldingen aan de redactie, samengevoegd met Bouwstenen.",
        f"Gemaakt op {dutch_date(today or dt.date.today())} uit {count(result.files, 'bestand', 'bestanden')}.",
        result.summary(),
        "",
        "Dubbele meldingen (hetzelfde melding-id, of dezelfde soort, hetzelfde onderwerp en dezelfde tekst) staan er "
        "één keer in; ‘Aantal keer gemeld’ en ‘Uit bestand(en)’ laten zien waar ze vandaan komen.",
        *(f"Let op: {p}" for p in result.problems),
    ])
    write_workbook(out, [table, guide])
    return result
