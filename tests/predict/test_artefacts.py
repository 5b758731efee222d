"""Artefact directories: atomic replacement, refusal to clobber, integrity check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict import artefacts as art


def _files(payload: object) -> dict[str, bytes]:
    blob = art.dump_model(payload)
    metrics = {"schema": art.SCHEMA_VERSION, "model_sha256": art.sha256_hex(blob)}
    return {art.MODEL_FILE: blob, art.METRICS_FILE: art.json_bytes(metrics)}


def test_an_artefact_round_trips(tmp_path: Path) -> None:
    art.write_artefact(tmp_path / "m", _files({"weights": [1, 2, 3]}))
    model, metrics, notes = art.load_artefact(tmp_path / "m")
    assert model == {"weights": [1, 2, 3]}
    assert metrics["schema"] == art.SCHEMA_VERSION
    assert notes == []


def test_rewriting_replaces_the_whole_directory(tmp_path: Path) -> None:
    art.write_artefact(tmp_path / "m", {**_files(1), "extra.png": b"x"})
    art.write_artefact(tmp_path / "m", _files(2))
    assert art.load_artefact(tmp_path / "m")[0] == 2
    assert not (tmp_path / "m" / "extra.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temporary leftovers


def test_a_foreign_non_empty_directory_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not a model artefact"):
        art.write_artefact(tmp_path, _files(1))
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_model_file_that_does_not_match_its_metrics_is_refused(tmp_path: Path) -> None:
    art.write_artefact(tmp_path / "m", _files(1))
    (tmp_path / "m" / art.MODEL_FILE).write_bytes(art.dump_model(2))
    with pytest.raises(InvalidInput, match="does not match"):
        art.load_artefact(tmp_path / "m")


def test_a_directory_without_metrics_is_not_an_artefact(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a model artefact"):
        art.read_metrics(tmp_path)
    (tmp_path / art.METRICS_FILE).write_text(json.dumps({"schema": 99}))
    with pytest.raises(InvalidInput, match="schema"):
        art.read_metrics(tmp_path)


def test_the_version_id_depends_on_every_input() -> None:
    a = art.content_version("spine", {"data": "x", "seed": 0})
    assert a == art.content_version("spine", {"seed": 0, "data": "x"})
    assert a != art.content_version("spine", {"data": "x", "seed": 1})
    assert a.startswith("spine-") and len(a) == len("spine-") + 12
