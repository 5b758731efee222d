"""The DICOM receiver (C-STORE SCP) driven by a pynetdicom SCU, as a modality would send."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydicom.dataset import Dataset
from pynetdicom import AE
from pynetdicom.sop_class import ComputedRadiographyImageStorage, Verification  # type: ignore[attr-defined]

from spinewise.config import Settings
from spinewise.imaging.phantom import PhantomSpec, build_phantom
from spinewise.imaging.receiver import CANNOT_UNDERSTAND, NOT_AUTHORISED, SUCCESS, DicomReceiver
from tests.conftest import World

HOSPITAL_ID = "SYNTHETIC-0001"  # the phantom's Patient ID


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def receiver(app: FastAPI, settings: Settings) -> Iterator[tuple[DicomReceiver, int]]:
    scp = DicomReceiver(
        app.state.session_factory, data_dir=settings.data_dir, secret_key=settings.secret_key
    )
    port = _free_port()
    server = scp.start("127.0.0.1", port)
    yield scp, port
    server.shutdown()


def _send(port: int, *datasets: Dataset) -> list[int]:
    scu = AE(ae_title="MODALITY")
    scu.add_requested_context(ComputedRadiographyImageStorage)
    assoc = scu.associate("127.0.0.1", port, ae_title="SPINEWISE")
    assert assoc.is_established
    try:
        return [int(assoc.send_c_store(ds).Status) for ds in datasets]
    finally:
        assoc.release()


def _stored(settings: Settings) -> list[Path]:
    root = settings.data_dir / "imaging"
    return [p for p in root.rglob("*.dcm")] if root.exists() else []


def _link(client: TestClient, world: World, dicom_id: str = HOSPITAL_ID) -> None:
    answer = client.put(
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/dicom-link",
        json={"dicom_patient_id": dicom_id},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 200, answer.text


def test_a_linked_patients_images_are_received_de_identified_and_indexed(
    client: TestClient, world: World, settings: Settings, receiver: tuple[DicomReceiver, int]
) -> None:
    scp, port = receiver
    _link(client, world)
    phantom = build_phantom(PhantomSpec())
    assert _send(port, phantom.dataset, phantom.dataset) == [SUCCESS, SUCCESS]
    assert (scp.stats.stored, scp.stats.duplicates) == (1, 1)

    page = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/studies",
        headers=world.clinician_a.headers,
    ).json()
    assert page["total"] == 1
    study = page["items"][0]
    assert (study["source"], study["synthetic"], study["instance_count"]) == ("dicom", True, 1)
    (stored,) = _stored(settings)
    assert HOSPITAL_ID.encode() not in stored.read_bytes()
    assert b"Phantom^Synthetic" not in stored.read_bytes()


def test_an_image_of_an_unknown_patient_is_refused_and_not_kept(
    client: TestClient, world: World, settings: Settings, receiver: tuple[DicomReceiver, int]
) -> None:
    _, port = receiver
    _link(client, world, "SOMEONE-ELSE")
    assert _send(port, build_phantom(PhantomSpec()).dataset) == [NOT_AUTHORISED]
    assert _stored(settings) == []


def test_burned_in_annotation_received_over_the_network_is_refused(
    client: TestClient, world: World, settings: Settings, receiver: tuple[DicomReceiver, int]
) -> None:
    _, port = receiver
    _link(client, world)
    flagged = build_phantom(PhantomSpec(seed=5)).dataset
    flagged.BurnedInAnnotation = "YES"
    assert _send(port, flagged) == [CANNOT_UNDERSTAND]
    assert _stored(settings) == []


def test_the_receiver_answers_a_verification_echo(receiver: tuple[DicomReceiver, int]) -> None:
    _, port = receiver
    scu = AE(ae_title="MODALITY")
    scu.add_requested_context(Verification)
    assoc = scu.associate("127.0.0.1", port, ae_title="SPINEWISE")
    assert assoc.is_established
    assert int(assoc.send_c_echo().Status) == SUCCESS
    assoc.release()


def test_one_hospital_id_cannot_be_linked_to_two_patients(client: TestClient, world: World) -> None:
    _link(client, world)
    answer = client.put(
        f"/api/v1/patients/{world.patient_2.patient_id}/imaging/dicom-link",
        json={"dicom_patient_id": HOSPITAL_ID},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 422
