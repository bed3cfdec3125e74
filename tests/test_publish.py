"""Publishing the model (workbook + database from data/), the round trip publish -> import, the link
report, and the staleness message."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop import cli
from desktop.core import paths
from desktop.core.errors import PublishError
from desktop.core.model.toml_codec import SourceError, load_source
from desktop.core.updates.apply import apply
from desktop.core.updates.inspect import inspect
from desktop.core.updates.publish import PublishResult, check_links, publish, url_problem
from desktop.core.updates.staleness import stale_message
from tests.import_corpus import assert_same_model, document

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> PublishResult:
    return publish(DATA, tmp_path_factory.mktemp("uit"))


def table_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (FTS through its virtual table), sorted; build-specific meta left out."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'intervention_fts_%' ORDER BY name")]
        result = {}
        for name in names:
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            if name == "build_info":
                rows = [r for r in rows if r[0] != "source_hash"]
            result[name] = sorted(rows, key=repr)
        return result
    finally:
        conn.close()


def test_publish_writes_both_files_named_by_version(published: PublishResult) -> None:
    assert published.workbook.name == f"bouwstenenmodel-{published.version}.xlsx"
    assert published.database.name == f"bouwstenenmodel-{published.version}.sqlite"
    assert published.counts["interventions"] == len(load_source(DATA).interventions)
    assert not list(published.workbook.parent.glob("*.tmp"))


@pytest.mark.parametrize("which", ["workbook", "database"])
def test_publish_then_import_gives_the_bundled_model(which: str, published: PublishResult, real_model_path: Path,
                                                     tmp_path: Path) -> None:
    preview = inspect(getattr(published, which), real_model_path, set())
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.diff.is_empty
    apply(preview, tmp_path / "home")
    imported = paths.installed_model_path(tmp_path / "home")
    assert table_rows(imported) == table_rows(real_model_path)
    assert_same_model(real_model_path, imported)


def test_publish_stamps_version_and_date(tmp_path: Path, mini_model_path: Path) -> None:
    result = publish(MINI, tmp_path, version="2027.1", published="2027-03-01")
    assert result.workbook.name == "bouwstenenmodel-2027.1.xlsx"
    for path in (result.workbook, result.database):
        preview = inspect(path, mini_model_path, set())
        assert preview.ok
        assert preview.new_meta["model_version"] == "2027.1" and preview.new_meta["published"] == "2027-03-01"
    assert document(result.database)["meta"]["published"] == "2027-03-01"


@pytest.mark.parametrize(("version", "date", "message"), [
    ("1.1", "1 maart", "geen geldige publicatiedatum"),
    ("1.1", "2027-02-30", "geen geldige publicatiedatum"),
    ("", "2027-03-01", "geen bruikbaar versienummer"),
])
def test_publish_refuses_a_bad_stamp(version: str, date: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match=message):
        publish(MINI, tmp_path, version=version, published=date)
    assert not list(tmp_path.iterdir())


def test_publish_refuses_a_broken_source(mini_source: Path, tmp_path: Path) -> None:
    path = mini_source / "interventions" / "all.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("trede = 3", "trede = 9"), encoding="utf-8")
    with pytest.raises(SourceError, match="trede 9"):
        publish(mini_source, tmp_path / "uit")


def test_link_report_finds_broken_and_duplicated_links() -> None:
    source = load_source(MINI)
    a, b = source.interventions[0], source.interventions[1]
    a.links = ["https://example.org/a", "https://EXAMPLE.org/a/", "https://jan:geheim@example.org/x",
               "https://example.org:8081/y", "https://example.o/kort", "https://voorbeeld.nl/gedeeld"]
    b.links = ["https://voorbeeld.nl/gedeeld"]
    problems = {(issue.url, issue.problem) for issue in check_links(source)}
    assert ("https://EXAMPLE.org/a/", "staat dubbel bij deze interventie") in problems
    assert ("https://jan:geheim@example.org/x", "bevat een gebruikersnaam of wachtwoord") in problems
    assert ("https://example.org:8081/y", "ongebruikelijke poort 8081") in problems
    assert any(url == "https://example.o/kort" and "topdomein" in p for url, p in problems)
    assert any(url == "https://voorbeeld.nl/gedeeld" and "ook gebruikt door" in p for url, p in problems)
    assert url_problem("https://www.movisie.nl/publicatie/eindrapport") is None
    assert url_problem("javascript:alert(1)") == "geen geldig http(s)-webadres"


def run_cli(*argv: str) -> int:
    return cli.main(list(argv))


def test_cli_publish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("publish", "--out", str(tmp_path), "--source", str(MINI), "--version", "3.0",
                   "--date", "2027-05-01") == 0
    out = capsys.readouterr().out
    assert "Gepubliceerd: versie 3.0, 2027-05-01" in out and "bouwstenenmodel-3.0.xlsx" in out
    assert run_cli("publish", "--out", str(tmp_path), "--source", str(MINI), "--date", "morgen") == 1
    assert "geen geldige publicatiedatum" in capsys.readouterr().err


@pytest.mark.parametrize(("published", "today", "stale"), [
    ("2026-11-22", dt.date(2027, 11, 22), False),
    ("2026-11-22", dt.date(2027, 11, 23), True),
    ("2024-02-29", dt.date(2025, 3, 1), True),
    ("2024-02-29", dt.date(2025, 2, 28), False),
    ("onzin", dt.date(2030, 1, 1), False),
    ("", dt.date(2030, 1, 1), False),
])
def test_stale_message(published: str, today: dt.date, stale: bool) -> None:
    message = stale_message(published, today)
    assert (message is not None) == stale
    if message:
        assert "Bestand › Model bijwerken…" in message and "gepubliceerd op" in message


def test_stale_message_says_how_old() -> None:
    message = stale_message("2025-01-10", dt.date(2026, 7, 1))
    assert message is not None and "10 januari 2025" in message and "17 maanden" in message


def test_the_format_documentation_is_generated_from_the_schema() -> None:
    from desktop.core.model.docs import GENERATED_END, GENERATED_START, sheet_tables

    doc = (ROOT / "docs" / "published-format.md").read_text(encoding="utf-8")
    part = doc[doc.index(GENERATED_START) + len(GENERATED_START): doc.index(GENERATED_END)]
    assert part.strip() == sheet_tables().strip(), "run: python -m desktop.core.model.docs"
