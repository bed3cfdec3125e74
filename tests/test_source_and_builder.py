"""The curated-source loader and the model builder, on real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.core.errors import ModelFileError
from desktop.core.model.build import build_model, ensure_built, is_up_to_date
from desktop.core.model.model_file import USER_VERSION, open_model
from desktop.core.model.toml_codec import SourceError, load_source
from desktop.core.text import normalise_name, slugify


def test_slugify_is_readable_and_stable() -> None:
    assert slugify("Saïd & Lody") == "said-en-lody"
    assert slugify("#DatMeenJeNiet") == "datmeenjeniet"
    assert slugify("Theaterstuk ‘Count me in’") == "theaterstuk-count-me-in"
    assert normalise_name("MIJ en MIJ Jr.") == normalise_name("mij en mij jr")


def test_builder_writes_every_table_and_fts(mini_model_path: Path) -> None:
    conn = sqlite3.connect(mini_model_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == USER_VERSION
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'intervention_fts'").fetchone()[0]
    assert "remove_diacritics 2" in sql and "prefix" in sql
    assert conn.execute("SELECT count(*) FROM intervention").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM example").fetchone()[0] == 4
    judgement = conn.execute(
        "SELECT \"values\", basis FROM facet_judgement WHERE intervention_id = 'under-pressure' AND facet = 'type'"
    ).fetchone()
    assert judgement == ("1.1", "rapport")  # named by Bijlage 2: stated by the report
    assert conn.execute("SELECT count(*) FROM facet_index WHERE facet = 'doelgroep'").fetchone()[0] == 4


def test_rebuild_only_when_source_changes(mini_source: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.sqlite"
    assert ensure_built(mini_source, out) is True
    assert ensure_built(mini_source, out) is False
    path = mini_source / "interventions" / "all.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Radicalise", "Radicalise!"), encoding="utf-8")
    assert not is_up_to_date(mini_source, out)
    assert ensure_built(mini_source, out) is True


def _problems(source: Path) -> list[str]:
    with pytest.raises(SourceError) as info:
        load_source(source)
    return [str(p) for p in info.value.problems]


def test_every_problem_is_reported_at_once_in_dutch(mini_source: Path) -> None:
    path = mini_source / "interventions" / "all.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('id = "radicalise"', 'id = "Radicalise!"').replace("trede = 3", "trede = 9")
    text = text.replace("https://example.org/under-pressure", "javascript:alert(1)")
    path.write_text(text, encoding="utf-8")
    problems = _problems(mini_source)
    joined = "\n".join(problems)
    assert "geen geldige id" in joined
    assert "trede 9 ligt niet tussen 0 en 5" in joined
    assert "geen geldig http(s)-webadres" in joined
    assert "bestaat niet" in joined  # example links to 'radicalise' no longer resolve
    assert all("interventions/" in p or "blocks/" in p for p in problems)


def test_broken_toml_names_the_file(mini_source: Path) -> None:
    (mini_source / "effectladder.toml").write_text("[[levels]\ntrede = ", encoding="utf-8")
    problems = _problems(mini_source)
    assert any("effectladder.toml" in p and "geen geldige TOML" in p for p in problems)


def test_duplicate_ids_are_refused(mini_source: Path) -> None:
    path = mini_source / "interventions" / "all.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "radicalise"', 'id = "under-pressure"'),
                    encoding="utf-8")
    assert any("meer dan eens" in p for p in _problems(mini_source))


def test_newer_major_schema_is_refused_with_dutch_message(mini_source: Path, tmp_path: Path) -> None:
    out = tmp_path / "future.sqlite"
    build_model(mini_source, out)
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA user_version = 350")
    conn.commit()
    conn.close()
    with pytest.raises(ModelFileError, match="nieuwere versie van Bouwstenen"):
        open_model(out)


def test_not_a_model_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(ModelFileError):
        open_model(junk)
    with pytest.raises(ModelFileError, match="bestaat niet"):
        open_model(tmp_path / "missing.sqlite")


def test_a_typo_in_a_field_name_is_reported(mini_source: Path) -> None:
    path = mini_source / "interventions" / "all.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("target_group =", "targetgroup =", 1), encoding="utf-8")
    problems = _problems(mini_source)
    assert any("onbekend veld 'targetgroup'" in p and "regel" in p for p in problems)


def test_facet_values_come_from_the_vocabulary(mini_source: Path) -> None:
    path = mini_source / "interventions" / "all.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('values = ["jongeren"]', 'values = ["pubers"]', 1),
                    encoding="utf-8")
    assert any("kent de waarde 'pubers' niet" in p for p in _problems(mini_source))


def test_a_bouwsteen_keeps_its_own_source(mini_source: Path) -> None:
    path = mini_source / "blocks" / "1-individu.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n[[themes]]", '\nsource = "Tabel 2.1"\n\n[[themes]]', 1),
                    encoding="utf-8")
    assert load_source(mini_source).blocks[0].source == "Tabel 2.1"


def test_a_misspelt_list_name_is_not_an_empty_list(mini_source: Path) -> None:
    path = mini_source / "effectladder.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[[levels]]", "[[level]]"), encoding="utf-8")
    problems = _problems(mini_source)
    assert any("onbekende sleutel 'level'" in p and "levels" in p for p in problems)


def test_a_text_given_twice_is_refused(mini_source: Path) -> None:
    model_toml = mini_source / "model.toml"
    model_toml.write_text(model_toml.read_text(encoding="utf-8").replace(
        "[texts]", '[texts]\neffectladder_intro = "Een andere inleiding."', 1), encoding="utf-8")
    assert any("sleutel 'effectladder_intro' komt twee keer voor" in p for p in _problems(mini_source))


def test_an_id_listed_twice_is_refused(mini_source: Path) -> None:
    path = mini_source / "blocks" / "1-individu.toml"
    text = path.read_text(encoding="utf-8")
    types_line = next(line for line in text.splitlines() if line.startswith("intervention_types = ["))
    first = types_line.split("[", 1)[1].split(",")[0].strip(' ]"')
    path.write_text(text.replace(types_line, f'intervention_types = ["{first}", "{first}"]', 1), encoding="utf-8")
    assert any(f"'{first}' staat er meer dan eens in" in p for p in _problems(mini_source))


def test_check_data_shows_warnings_too(mini_source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop import cli

    path = mini_source / "interventions" / "all.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("trede = 2", "trede = 5", 1), encoding="utf-8")
    assert cli.main(["check-data", "--source", str(mini_source)]) == 0
    assert "waarschuwing: " in capsys.readouterr().err
