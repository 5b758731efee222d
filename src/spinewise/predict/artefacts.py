"""Versioned model artefacts: a directory with the model, its metrics and its model card.

Layout of an artefact directory::

    model.joblib      the fitted model (joblib pickle, compressed)
    metrics.json      version, data fingerprint, configuration, evaluation with intervals,
                      and the SHA-256 of model.joblib
    model_card.json   the model card as data
    model_card.md     the same card for people
    *.png             figures (reliability diagram)

A directory is written next to its destination and renamed into place, so a failed run never
leaves a half-written artefact. Loading checks the SHA-256 of ``model.joblib`` against
``metrics.json``; that catches corruption and mismatched files, not tampering: a joblib file
is a pickle and can run code when loaded, so only load artefacts you trust (the packaged ones,
or ones you trained).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import platform
import shutil
import tempfile
import uuid
import warnings
from pathlib import Path
from typing import Any

import joblib

from spinewise.core.errors import InvalidInput

PACKAGED = Path(__file__).parent / "artefacts"
# The artefacts that ship with the package (the CLI's and the app's defaults).
PACKAGED_SPINE = PACKAGED / "spine"
PACKAGED_RESPONSE = PACKAGED / "treatment_response_synthetic"
MODEL_FILE = "model.joblib"
METRICS_FILE = "metrics.json"
SCHEMA_VERSION = 1


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def library_versions() -> dict[str, str]:
    """Versions that a pickled model depends on (recorded in every artefact)."""
    versions = {"python": platform.python_version()}
    for dist in ("spinewise", "numpy", "scipy", "scikit-learn", "joblib"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "unknown"
    return versions


def content_version(prefix: str, inputs: dict[str, Any]) -> str:
    """A version id derived from everything that determines the model (data, config, code)."""
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return f"{prefix}-{sha256_hex(canonical.encode())[:12]}"


def dump_model(model: Any) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def write_artefact(out: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` as the directory ``out``, replacing an earlier artefact atomically.

    Refuses to replace an existing directory that does not look like an artefact (no
    ``metrics.json``), so a slip such as ``--out .`` cannot delete someone's folder.
    """
    out = Path(out)
    check_artefact_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; an artefact is a normal folder
        for name, data in files.items():
            with open(tmp / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        if out.exists():
            old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_artefact_target(out: Path) -> None:
    """Refuse a destination that is a file or a foreign non-empty directory (call it early,
    before a long training run)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InvalidInput("out", f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / METRICS_FILE).is_file():
        raise InvalidInput("out", f"{out} is a non-empty directory that is not a model artefact")


def read_metrics(path: Path) -> dict[str, Any]:
    """The ``metrics.json`` of an artefact directory."""
    file = Path(path) / METRICS_FILE
    if not file.is_file():
        raise InvalidInput("model", f"{path} is not a model artefact (no {METRICS_FILE})")
    data = json.loads(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        raise InvalidInput("model", f"{file} has an unknown schema")
    return data


def load_artefact(path: Path) -> tuple[Any, dict[str, Any], list[str]]:
    """Load (model, metrics, warnings) after checking the model file's SHA-256.

    ``warnings`` lists version mismatches (a model pickled with another scikit-learn may
    behave differently); retrain with the matching ``spinewise predict train`` command.
    """
    metrics = read_metrics(path)
    blob = (Path(path) / MODEL_FILE).read_bytes()
    if sha256_hex(blob) != metrics.get("model_sha256"):
        raise InvalidInput("model", f"{path}/{MODEL_FILE} does not match its metrics.json")
    notes: list[str] = []
    trained = metrics.get("created_with", {}).get("scikit-learn")
    running = library_versions()["scikit-learn"]
    if trained and trained != running:
        notes.append(f"model trained with scikit-learn {trained}, running {running}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = joblib.load(io.BytesIO(blob))
        except Exception as exc:  # an incompatible pickle can fail in many ways
            raise InvalidInput(
                "model", f"cannot load {path}/{MODEL_FILE} ({type(exc).__name__}); retrain it"
            ) from None
    notes.extend(str(w.message).splitlines()[0] for w in caught)
    return model, metrics, notes
