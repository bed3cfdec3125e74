"""An update preview as Dutch lines (the command line; the dialog shows the same parts)."""

from __future__ import annotations

from desktop.core.model.diff import ADDED, REMOVED
from desktop.core.model.schema import SCHEMA
from desktop.core.text import dutch_date, shorten
from desktop.core.updates.inspect import COUNT_LABELS, ImportPreview


def version_line(meta: dict[str, str]) -> str:
    return f"versie {meta.get('model_version', '?')} (gepubliceerd {dutch_date(meta.get('published'))})"


def describe_preview(preview: ImportPreview, limit: int = 50, ids: bool = False) -> list[str]:
    """What the update changes, in Dutch, with names; `ids` adds the stable ids (for editors)."""
    lines = [f"Bestand: {preview.file_name}" + (f" (sha256 {preview.sha256[:16]}…)" if preview.sha256 else "")]
    if preview.model is None:
        return lines
    now = version_line(preview.old_meta) if preview.current else "geen (meegeleverd model onleesbaar)"
    lines.append(f"Model nu: {now}")
    lines.append(f"Nieuw: {version_line(preview.new_meta)}, uitgever: {preview.new_meta.get('publisher', '?')}")
    counts = ", ".join(
        f"{COUNT_LABELS[k]} {preview.old_counts.get(k, 0)} → {v}" if preview.old_counts else f"{COUNT_LABELS[k]} {v}"
        for k, v in preview.new_counts.items()
    )
    lines.append(f"Aantallen: {counts}")
    diff = preview.diff
    if diff.is_empty:
        lines.append("Het model verandert niet inhoudelijk." + (" Alleen de metagegevens verschillen."
                                                                  if diff.meta else ""))
    else:
        lines.append("Wat verandert: " + "; ".join(diff.summary()))
    for meta_change in diff.meta:
        lines.append(f"  {meta_change}")
    shown = 0
    for entity in SCHEMA:
        for change in diff.of(entity.name):
            if shown >= limit:
                break
            shown += 1
            mark = "+" if change.kind == ADDED else "-" if change.kind == REMOVED else "~"
            suffix = f" [{change.key}]" if ids and change.key else ""
            lines.append(f"{mark} {change.title()}: {change.kind}{suffix}")
            for item in change.fields[:20]:
                lines.append(f"    {shorten(str(item), 160)}")
            if len(change.fields) > 20:
                lines.append(f"    … en nog {len(change.fields) - 20} wijzigingen")
    if len(diff.changes) > limit:
        lines.append(f"… en nog {len(diff.changes) - limit} wijzigingen")
    if preview.affected_notes:
        lines.append(f"Uw notities bij gewijzigde of verwijderde interventies ({len(preview.affected_notes)}); ze "
                     "blijven bewaard:")
        lines.extend(f"  {note}" for note in preview.affected_notes[:limit])
    if preview.warnings:
        lines.append(f"Waarschuwingen ({len(preview.warnings)}):")
        lines.extend(f"  {p}" for p in preview.warnings[:limit])
    return lines


def describe_errors(preview: ImportPreview, limit: int = 100) -> list[str]:
    errors = preview.errors
    count = f"{len(errors)} {'fout' if len(errors) == 1 else 'fouten'}"
    lines = [f"'{preview.file_name}' kan niet worden ingelezen; er is niets gewijzigd. {count}:"]
    lines.extend(f"  - {p}" for p in errors[:limit])
    if len(errors) > limit:
        lines.append(f"  … en nog {len(errors) - limit} fouten")
    return lines
