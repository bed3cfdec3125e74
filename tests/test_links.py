"""The web links of the interventions are the report's full link targets.

The report (seed 004) shows many links in table B3.7 shortened or broken over lines; the full
targets are in the URL lists at its page ends. ``fixtures/report_urls.txt`` lists every http(s)
URL of the report, reconstructed whole (made by ``fixtures/extract_report_urls.py``; the
shortened display texts of B3.7 cells are left out there, their full targets are listed).

Checked for every URL in an intervention's ``links`` and in its ``evaluation`` text:
(a) it is an http(s) URL; (b) it is not a strict prefix of a longer report URL (a shortened
link) unless allowlisted below; (c) it occurs in the report (no invented or shortened URL)
unless allowlisted below.

The organisations' ``url`` (data/organisations.toml, seed 002) are checked the same way against
``fixtures/seed002_urls.txt`` (made by the same script from seed 002).

Standard library only: this test reads the TOML files, it does not import ``desktop``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REPORT_URLS = Path(__file__).parent / "fixtures" / "report_urls.txt"
SEED002_URLS = Path(__file__).parent / "fixtures" / "seed002_urls.txt"

# (b) links that are a prefix of a longer report URL on purpose: url -> reason.
PREFIX_ALLOWED: dict[str, str] = {
    "https://www.landelijksteunpuntextremisme.nl/":
        "LSE homepage is the whole weblink cell of Hulplijn Extremisme and project Familiecontact; "
        "the longer LSE URLs belong to Familieondersteuning and Lotgenotenondersteuning",
}

# (c) links that are not, as written, an http(s) URL of the report: url -> reason.
NOT_IN_REPORT_ALLOWED: dict[str, str] = {
    "https://formaat.org/activiteit/2do/":
        "2DO School: the report prints 'formaat.org/activiteit/2do/' without a scheme; https:// added",
}

# Organisations (seed 002), (b): url -> reason.
ORG_PREFIX_ALLOWED: dict[str, str] = {
    "https://www.nctv.nl": "directory gives the homepage; the longer NCTV URL is a footnote on the actieprogramma",
    "http://www.nji.nl/": "directory gives the homepage; the longer NJi URL is the Quickscan pdf in the text",
    "http://www.diversion.nl": "directory gives the homepage; the longer Diversion URL is a footnote on its method",
}
# Organisations, (c): url -> reason.
ORG_NOT_IN_SEED_ALLOWED: dict[str, str] = {
    "https://annefrank.org": "seed 002 prints 'annefrank.org' without a scheme and has no link target; https:// added",
}

URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")


def _interventions() -> list[dict]:
    out = []
    for path in sorted((DATA / "interventions").glob("*.toml")):
        with path.open("rb") as f:
            out.extend(tomllib.load(f)["interventions"])
    return out


def _strip_tail(url: str) -> str:
    return url.rstrip(".,;)")


def _links() -> list[tuple[str, str, str]]:
    """(intervention id, where, url) for every link and every URL in an evaluation text."""
    out = []
    for iv in _interventions():
        for link in iv.get("links", []):
            out.append((iv["id"], "links", link))
        for url in URL_IN_TEXT.findall(iv.get("evaluation", "")):
            out.append((iv["id"], "evaluation", _strip_tail(url)))
    return out


def _url_list(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _report_urls() -> list[str]:
    return _url_list(REPORT_URLS)


def _organisation_urls() -> list[tuple[str, str]]:
    with (DATA / "organisations.toml").open("rb") as f:
        return [(o["id"], o["url"]) for o in tomllib.load(f)["organisations"] if "url" in o]


LINKS = _links()


@pytest.mark.parametrize("path", [REPORT_URLS, SEED002_URLS], ids=lambda p: p.name)
def test_url_list_is_sane(path: Path) -> None:
    urls = _url_list(path)
    assert urls, path
    assert urls == sorted(set(urls)), f"{path.name} must be sorted and unique"
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and "." in parts.netloc, url
        assert not url.endswith(("-", ".", "_")) and " " not in url, f"truncated or broken: {url}"


def test_there_are_links() -> None:
    assert len(LINKS) > 100


@pytest.mark.parametrize("iv_id, where, url", LINKS)
def test_link_is_http_url(iv_id: str, where: str, url: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https"), f"{iv_id} {where}: not an http(s) URL: {url!r}"
    assert "." in parts.netloc and " " not in url, f"{iv_id} {where}: malformed URL: {url!r}"


def test_evaluation_has_no_scheme_less_web_address() -> None:
    """A web address in an evaluation text is written as a full http(s) URL."""
    bad = []
    for iv in _interventions():
        text = URL_IN_TEXT.sub("", iv.get("evaluation", ""))
        bad += [(iv["id"], w) for w in re.findall(r"\bwww\.\S+", text)]
    assert not bad, bad


def test_no_link_is_a_shortened_report_url() -> None:
    report = _report_urls()
    bad = []
    for iv_id, where, url in LINKS:
        if url in PREFIX_ALLOWED:
            continue
        longer = [u for u in report if u != url and u.startswith(url)]
        if longer:
            bad.append(f"{iv_id} {where}: {url} is a prefix of {longer}")
    assert not bad, "\n".join(bad)


def test_every_link_occurs_in_the_report() -> None:
    report = set(_report_urls())
    bad = [f"{iv_id} {where}: {url}" for iv_id, where, url in LINKS
           if url not in report and url not in NOT_IN_REPORT_ALLOWED]
    assert not bad, "not a URL of the report (shortened display text or invented?):\n" + "\n".join(bad)


def test_allowlists_are_used() -> None:
    used = {url for _, _, url in LINKS}
    assert set(PREFIX_ALLOWED) <= used, set(PREFIX_ALLOWED) - used
    assert set(NOT_IN_REPORT_ALLOWED) <= used, set(NOT_IN_REPORT_ALLOWED) - used


def test_organisation_urls() -> None:
    seed = _url_list(SEED002_URLS)
    bad = []
    for org_id, url in _organisation_urls():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            bad.append(f"{org_id}: not an http(s) URL: {url!r}")
        longer = [u for u in seed if u != url and u.startswith(url)]
        if longer and url not in ORG_PREFIX_ALLOWED:
            bad.append(f"{org_id}: {url} is a prefix of {longer}")
        if url not in seed and url not in ORG_NOT_IN_SEED_ALLOWED:
            bad.append(f"{org_id}: {url} is not a URL of seed 002")
    assert not bad, "\n".join(bad)
    used = {url for _, url in _organisation_urls()}
    assert set(ORG_PREFIX_ALLOWED) | set(ORG_NOT_IN_SEED_ALLOWED) <= used
