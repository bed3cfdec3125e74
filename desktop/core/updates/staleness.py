"""Is the model out of date? An outdated model stops being used, so the status bar says so."""

from __future__ import annotations

import datetime as dt

from desktop.core.text import dutch_date

UPDATE_HINT = "Kies Bestand › Model bijwerken… om een nieuwer gepubliceerd model in te lezen."


def _one_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def stale_message(published: str | None, today: dt.date) -> str | None:
    """A Dutch message when the model was published more than 12 months before `today`, else None."""
    if not published:
        return None
    try:
        day = dt.date.fromisoformat(published.strip())
    except ValueError:
        return None
    if today <= _one_year_later(day):
        return None
    months = months_between(day, today)
    age = f"{months // 12} jaar" if months % 12 == 0 or months >= 36 else f"{months} maanden"
    return (
        f"Dit model is gepubliceerd op {dutch_date(day)} en is {age} oud; er is mogelijk een nieuwere "
        f"versie. {UPDATE_HINT}"
    )
