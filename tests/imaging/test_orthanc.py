"""Fetching studies from a real PACS: a local Orthanc (Debian package ``orthanc``) started by
the test on free ports with its own storage folder, filled over its REST API, then read by
Spinewise through ``POST .../imaging/pacs-import``."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.imaging.deidentify import dataset_to_bytes
from spinewise.imaging.orthanc import OrthancClient
from spinewise.imaging.phantom import PhantomSpec, build_phantom
from tests.conftest import World, service_unavailable

pytestmark = pytest.mark.slow
ORTHANC = shutil.which("Orthanc") or "/usr/sbin/Orthanc"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def orthanc(tmp_path: Path) -> Iterator[str]:
    if not Path(ORTHANC).exists():
        service_unavailable("Orthanc (Debian package orthanc)", FileNotFoundError(ORTHANC))
    http_port, dicom_port = _free_port(), _free_port()
    storage = tmp_path / "orthanc-db"
    config = tmp_path / "orthanc.json"
    config.write_text(
        json.dumps(
            {
                "Name": "SPINEWISE-TEST",
                "StorageDirectory": str(storage),
                "IndexDirectory": str(storage),
                "HttpPort": http_port,
                "DicomPort": dicom_port,
                "RemoteAccessAllowed": False,
                "AuthenticationEnabled": False,
                "Plugins": [],
            }
        )
    )
    log = (tmp_path / "orthanc.log").open("w")
    process = subprocess.Popen([ORTHANC, str(config)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/system", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            service_unavailable(
                "Orthanc", RuntimeError((tmp_path / "orthanc.log").read_text()[-500:])
            )
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def pacs_client(settings: Settings, orthanc: str) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"imaging_orthanc_url": orthanc}))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_a_clinician_fetches_a_patients_studies_from_orthanc_de_identified(
    pacs_client: TestClient, orthanc: str, world: World, settings: Settings
) -> None:
    pacs = OrthancClient(orthanc)
    lateral = build_phantom(PhantomSpec())
    other_patient = build_phantom(PhantomSpec(seed=9)).dataset
    other_patient.PatientID = "SOMEONE-ELSE"
    pacs.upload(dataset_to_bytes(lateral.dataset))
    pacs.upload(dataset_to_bytes(other_patient))

    url = f"/api/v1/patients/{world.patient_1.patient_id}/imaging/pacs-import"
    body = {"dicom_patient_id": "SYNTHETIC-0001"}
    assert pacs_client.post(url, json=body, headers=world.patient_1.headers).status_code == 403
    answer = pacs_client.post(url, json=body, headers=world.clinician_a.headers)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["instances_added"], answer.json()["synthetic"]) == (1, True)

    page = pacs_client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/studies",
        headers=world.clinician_a.headers,
    ).json()
    assert page["total"] == 1 and page["items"][0]["source"] == "pacs"
    (stored,) = (settings.data_dir / "imaging").rglob("*.dcm")
    assert b"SYNTHETIC-0001" not in stored.read_bytes()
    assert b"Phantom^Synthetic" not in stored.read_bytes()

    again = pacs_client.post(url, json=body, headers=world.clinician_a.headers)
    assert (again.json()["instances_added"], again.json()["duplicates"]) == (0, 1)
    unknown = pacs_client.post(
        url, json={"dicom_patient_id": "NOBODY"}, headers=world.clinician_a.headers
    )
    assert unknown.status_code == 422
    wildcard = pacs_client.post(
        url, json={"dicom_patient_id": "SYN*"}, headers=world.clinician_a.headers
    )
    assert wildcard.status_code == 422


def test_without_a_configured_pacs_the_fetch_is_refused(client: TestClient, world: World) -> None:
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/pacs-import",
        json={"dicom_patient_id": "SYNTHETIC-0001"},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 422
    assert "no PACS is configured" in answer.text
