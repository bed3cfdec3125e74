"""Dutch text helpers: folding for search and matching, readable ids (slugs), dates, plurals, web links."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlparse

# characters XML 1.0 cannot carry (so no workbook can hold them) and that no model text needs
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# the combining-mark blocks of Unicode (accents that NFKD splits off)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december",
)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Saïd' -> 'said'."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = _COMBINING.sub("", decomposed)
    return decomposed.casefold()


def slugify(name: str) -> str:
    """Turn a name into an id: 'Saïd & Lody' -> 'said-en-lody'."""
    text = fold(name).replace("&", " en ")
    text = re.sub(r"[’'‘`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def is_slug(value: str) -> bool:
    return bool(SLUG_PATTERN.match(value))


def normalise_name(name: str) -> str:
    """Key for matching names across tables: folded, punctuation-free, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())


def sort_key(name: str) -> str:
    """Alphabetical order of names as a person expects it ('#DatMeenJeNiet' among the d's)."""
    return fold(name).lstrip("#'‘’\"“” ")


def dutch_date(day: dt.date | str | None, unknown: str = "onbekend") -> str:
    """'22 november 2026' (the one date format users see); ISO text is accepted too."""
    if day is None or day == "":
        return unknown
    if isinstance(day, str):
        try:
            parsed = dt.date.fromisoformat(day.strip()[:10])
        except ValueError:
            return day
        day = parsed
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_datetime(moment: dt.datetime | str | None, unknown: str = "onbekend") -> str:
    """'22 november 2026, 14:05' in local time (stored times are UTC ISO text)."""
    if moment is None or moment == "":
        return unknown
    if isinstance(moment, str):
        try:
            parsed = dt.datetime.fromisoformat(moment.strip())
        except ValueError:
            return moment
        moment = parsed
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{dutch_date(moment.date())}, {moment:%H:%M}"


def count(number: int, singular: str, plural: str) -> str:
    """'1 interventie', '120 interventies', '0 interventies'."""
    return f"{number} {singular if number == 1 else plural}"


def shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def iso_from_dutch_date(text: str) -> str | None:
    """A date as a Dutch user types it (22-11-2026, 22/11/2026, 22 november 2026) as ISO; None otherwise."""
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text.strip())
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", fold(text.strip()))
        if match is None or match.group(2) not in MONTHS:
            return None
        day, month, year = int(match.group(1)), MONTHS.index(match.group(2)) + 1, int(match.group(3))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def is_web_url(value: str) -> bool:
    """A syntactically valid http(s) URL with a host and no spaces."""
    if any(c.isspace() for c in value) or CONTROL_CHARACTERS.search(value):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and "." in parsed.netloc
