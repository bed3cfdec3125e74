"""Paths (source, frozen, data folder overrides) and every CLI command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import cli
from desktop.core import paths


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOUWSTENEN_HOME", str(tmp_path / "env"))
    assert paths.user_data_dir() == tmp_path / "env"
    assert paths.user_data_dir(tmp_path / "option") == tmp_path / "option"
    monkeypatch.delenv("BOUWSTENEN_HOME")
    assert "Bouwstenen" in str(paths.user_data_dir())


def test_frozen_mode_uses_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delenv("BOUWSTENEN_BUNDLED_MODEL", raising=False)
    assert paths.bundle_root() == tmp_path
    assert paths.bundled_model_path() == tmp_path / "resources" / "model" / "model.sqlite"
    assert paths.curated_source_dir() is None


def test_imported_model_takes_precedence(tmp_path: Path) -> None:
    assert paths.active_model_path(tmp_path) == paths.bundled_model_path()
    installed = paths.installed_model_path(tmp_path)
    installed.parent.mkdir(parents=True)
    installed.write_bytes(b"")
    assert paths.active_model_path(tmp_path) == installed


@pytest.fixture()
def use_real_model(real_model_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(real_model_path))
    return real_model_path


def test_info_json(use_real_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info) >= {"model_version", "published", "schema_version", "counts"}
    assert info["counts"]["blocks"] == 6
    assert info["counts"]["interventions"] > 100


def test_search_json_finds_real_content(use_real_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "mediawijsheid", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results and {"id", "name", "trede"} <= set(results[0])
    assert "under-pressure" in [r["id"] for r in results]


def test_search_with_filters(use_real_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "", "--filter", "trede=3", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results and all(r["trede"] >= 3 for r in results)


@pytest.mark.parametrize("bad", ["trede=9", "aangeboden=misschien", "onzin=1", "geenis"])
def test_wrong_filter_is_usage_error(use_real_model: Path, bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "x", "--filter", bad]) == 2
    err = capsys.readouterr().err
    assert "fout" in err and "Traceback" not in err


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["vliegen"])
    assert info.value.code == 2
    assert "ongeldige keuze" in capsys.readouterr().err


def test_export_json_has_the_documented_shape(use_real_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    assert cli.main(["export", "--format", "json", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"meta", "blocks", "interventions", "intervention_types", "effectladder"} <= set(doc)
    block = doc["blocks"][0]
    assert {"id", "number", "name", "description", "risk_factors", "themes"} <= set(block)
    cluster = block["themes"][0]["clusters"][0]
    assert {"id", "name", "focus", "subfactors", "references", "intervention_types", "examples"} <= set(cluster)
    assert {"intervention", "explicit", "offered", "via_municipality", "trede"} <= set(cluster["examples"][0])
    intervention = doc["interventions"][0]
    assert {"id", "name", "aliases", "type_text", "offered", "description", "goal", "explicit", "target_group",
            "provider", "trede", "trede_label", "trede_source", "evaluation", "links", "facets"} <= set(intervention)
    facet = intervention["facets"][0]
    assert set(facet) == {"facet", "values", "basis", "why"} and facet["basis"] in ("rapport", "redactie")
    # unknown stays null, never an invented value or an empty string
    values = [v for i in doc["interventions"] for v in i.values()]
    assert "" not in values and "onbekend" not in values
    assert {"code", "name", "parent", "description", "target_groups", "working_elements", "preconditions",
            "examples"} <= set(doc["intervention_types"][0])


def test_export_to_unwritable_place_fails_in_dutch(use_real_model: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--format", "json", "--out", str(tmp_path / "geen" / "map" / "m.json")]) == 1
    assert "Kan" in capsys.readouterr().err


def test_missing_model_fails_in_dutch(tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOUWSTENEN_BUNDLED_MODEL", str(tmp_path / "weg.sqlite"))
    assert cli.main(["info"]) == 1
    assert "bestaat niet" in capsys.readouterr().err


def test_check_data_and_build_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mini = Path(__file__).parent / "fixtures" / "mini"
    assert cli.main(["check-data", "--source", str(mini)]) == 0
    assert cli.main(["build-model", "--source", str(mini), "--out", str(tmp_path / "m.sqlite")]) == 0
    assert (tmp_path / "m.sqlite").exists()


def test_smoke_starts_the_gui_offscreen(use_real_model: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--smoke"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ok"


def test_a_plain_start_parses_only_its_options_and_help_still_lists_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Starting the application builds no sub-command parser (their modules import most of the core);
    help and anything that is not a plain start get the whole command line."""
    def plain(argv: list[str]) -> tuple[Path | None, bool] | None:
        start = cli.plain_start(argv)
        return None if start is None else (start.data_dir, start.smoke)

    assert plain([]) == (None, False) and plain(["--smoke"]) == (None, True)
    assert plain(["--data-dir", "X:/Bouwstenen", "--smoke"]) == (Path("X:/Bouwstenen"), True)
    assert plain(["--data-dir=/media/usb/gegevens"]) == (Path("/media/usb/gegevens"), False)
    assert plain(["--help"]) is None and plain(["info"]) is None
    assert plain(["--data-dir", "map", "info"]) is None
    assert plain(["--smok"]) is None  # a typo: the whole parser says what is wrong
    assert plain(["--data-dir"]) is None and plain(["--data-dir", "--smoke"]) is None  # a missing value too
    with pytest.raises(SystemExit):
        cli.main(["--data-dir"])
    assert "--data-dir" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("info", "search", "export", "import", "notes", "plan", "quickscan", "feedback"):
        assert f"    {command}" in out, command
    with pytest.raises(SystemExit):
        cli.main(["--rook"])
    assert "onbekende argumenten: --rook" in capsys.readouterr().err


def test_usage_and_errors_are_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("gebruik: bouwstenen") and "opties:" in out and "toon deze hulp" in out
    assert "usage" not in out and "show this help" not in out
    with pytest.raises(SystemExit):
        cli.main(["search", "--filter"])
    err = capsys.readouterr().err
    assert "gebruik:" in err and "verwacht één waarde" in err and "expected" not in err


def test_the_log_file_is_written_from_the_first_problem_and_rotates(tmp_path: Path) -> None:
    from desktop.core.errors import LOG_FILE, configure_logging, log

    data_dir = tmp_path / "gegevens"
    try:
        assert configure_logging(data_dir) == data_dir / LOG_FILE
        assert not (data_dir / LOG_FILE).exists()  # a session without problems writes no log file
        log.warning("eerste probleem")
        assert "eerste probleem" in (data_dir / LOG_FILE).read_text(encoding="utf-8")
        for n in range(700):
            log.warning("regel %d %s", n, "x" * 1500)
        assert (data_dir / f"{LOG_FILE}.1").exists()
        assert (data_dir / LOG_FILE).stat().st_size <= 1_000_000
    finally:
        configure_logging(None)
