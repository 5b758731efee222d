"""Imaging through the API: upload (de-identified on import, nothing raw kept), the index,
versioned landmarks measured by the pure core, export, and the spine classifier link."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from fastapi.testclient import TestClient

from spinewise.config import Settings
from spinewise.imaging.deidentify import dataset_to_bytes
from spinewise.imaging.phantom import PhantomSpec, build_phantom
from tests.conftest import World

PHANTOM = build_phantom(PhantomSpec())
PHANTOM_BYTES = dataset_to_bytes(PHANTOM.dataset)
TRUTH = PHANTOM.landmarks["phantom"]["truth"]
IDENTIFYING = ("Phantom^Synthetic", "SYNTHETIC-0001", "19700101", "Spinewise Phantom Lab")


def _studies_url(world: World) -> str:
    return f"/api/v1/patients/{world.patient_1.patient_id}/imaging/studies"


def _upload(
    client: TestClient,
    world: World,
    files: list[tuple[str, bytes]],
    who: str = "clinician_a",
    **form: str,
) -> Any:
    return client.post(
        _studies_url(world),
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        data=form,
        headers=getattr(world, who).headers,
    )


def _stored_files(settings: Settings) -> list[Path]:
    root = settings.data_dir / "imaging"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _only_instance(client: TestClient, world: World) -> dict[str, Any]:
    page = client.get(_studies_url(world), headers=world.clinician_a.headers).json()
    assert page["total"] == 1
    (series,) = page["items"][0]["series"]
    (instance,) = series["instances"]
    return dict(instance)


def test_an_upload_is_de_identified_and_only_the_clean_copy_is_kept(
    client: TestClient, world: World, settings: Settings
) -> None:
    answer = _upload(client, world, [("lateral.dcm", PHANTOM_BYTES)], who="patient_1")
    assert answer.status_code == 201, answer.text
    assert answer.json()["instances_added"] == 1
    assert answer.json()["synthetic"] is True

    instance = _only_instance(client, world)
    assert (instance["rows"], instance["columns"]) == (760, 600)
    assert (instance["pixel_spacing_row_mm"], instance["pixel_spacing_col_mm"]) == (0.5, 0.4)
    assert instance["patient_orientation"] == "A\\F"
    stored = _stored_files(settings)
    assert len(stored) == 1, "one de-identified file, no raw spool left behind"
    for raw in IDENTIFYING:
        assert raw.encode() not in stored[0].read_bytes()

    download = client.get(instance["file_url"], headers=world.patient_1.headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/dicom"
    ds = pydicom.dcmread(io.BytesIO(download.content))
    assert ds.PatientIdentityRemoved == "YES"
    assert ds.SOPInstanceUID != PHANTOM.dataset.SOPInstanceUID
    assert ds.StudyInstanceUID == instance_study_uid(client, world)
    assert np.array_equal(ds.pixel_array, PHANTOM.pixels), "pixels kept byte for byte"
    assert [float(v) for v in ds.PixelSpacing] == [0.5, 0.4]


def instance_study_uid(client: TestClient, world: World) -> str:
    page = client.get(_studies_url(world), headers=world.clinician_a.headers).json()
    return str(page["items"][0]["study_uid"])


def test_the_same_image_sent_twice_is_recognised_and_kept_once(
    client: TestClient, world: World, settings: Settings
) -> None:
    assert _upload(client, world, [("a.dcm", PHANTOM_BYTES)]).status_code == 201
    again = _upload(client, world, [("b.dcm", PHANTOM_BYTES)])
    assert again.status_code == 201
    assert (again.json()["instances_added"], again.json()["duplicates"]) == (0, 1)
    assert len(_stored_files(settings)) == 1


def test_a_zip_of_a_study_imports_its_dicom_members_and_names_the_rest(
    client: TestClient, world: World
) -> None:
    other = build_phantom(PhantomSpec(pelvic_tilt_deg=20.0, seed=4))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("study/IM0001", PHANTOM_BYTES)
        archive.writestr("study/IM0002", dataset_to_bytes(other.dataset))
        archive.writestr("README.txt", "exported by a PACS")
    answer = _upload(client, world, [("study.zip", buffer.getvalue())])
    assert answer.status_code == 201, answer.text
    assert answer.json()["instances_added"] == 2
    assert answer.json()["skipped"] == ["README.txt"]


@pytest.mark.parametrize(
    ("name", "data"),
    [("notes.txt", b"hello, not an image"), ("empty.dcm", b""), ("fake.dcm", b"\0" * 300)],
)
def test_a_file_that_is_not_dicom_is_refused_and_nothing_is_kept(
    client: TestClient, world: World, settings: Settings, name: str, data: bytes
) -> None:
    answer = _upload(client, world, [("lateral.dcm", PHANTOM_BYTES), (name, data)])
    assert answer.status_code == 422
    assert _stored_files(settings) == []
    page = client.get(_studies_url(world), headers=world.clinician_a.headers).json()
    assert page["total"] == 0, "all or nothing"


def test_burned_in_annotation_needs_a_clinician_to_confirm(
    client: TestClient, world: World, settings: Settings
) -> None:
    flagged = build_phantom(PhantomSpec(seed=7)).dataset
    flagged.BurnedInAnnotation = "YES"
    data = dataset_to_bytes(flagged)
    refused = _upload(client, world, [("flagged.dcm", data)])
    assert refused.status_code == 422
    assert "burned-in" in refused.text
    by_patient = _upload(
        client, world, [("flagged.dcm", data)], "patient_1", confirm_burned_in="true"
    )
    assert by_patient.status_code == 403
    confirmed = _upload(client, world, [("flagged.dcm", data)], confirm_burned_in="true")
    assert confirmed.status_code == 201
    instance = _only_instance(client, world)
    assert (instance["burned_in_annotation"], instance["burned_in_confirmed"]) == ("YES", True)


def _truth_landmarks() -> dict[str, list[float]]:
    return {k: list(v) for k, v in PHANTOM.landmarks["landmarks"].items()}


def test_landmarks_are_measured_versioned_and_exported(client: TestClient, world: World) -> None:
    _upload(client, world, [("lateral.dcm", PHANTOM_BYTES)])
    instance = _only_instance(client, world)
    url = f"/api/v1/patients/{world.patient_1.patient_id}/imaging/instances/{instance['id']}"

    partial = {k: v for k, v in _truth_landmarks().items() if not k.startswith("l1")}
    first = client.post(
        f"{url}/landmarks",
        json={"view": "lateral", "anterior": "right", "landmarks": partial},
        headers=world.clinician_a.headers,
    )
    assert first.status_code == 201, first.text
    assert first.json()["measurements"] is None
    assert "missing l1_anterior, l1_posterior" in first.json()["problem"]

    complete = client.post(
        f"{url}/landmarks",
        json={"view": "lateral", "anterior": "right", "landmarks": _truth_landmarks()},
        headers=world.clinician_a.headers,
    )
    assert complete.status_code == 201
    measured = complete.json()["measurements"]
    assert complete.json()["version"] == 2
    assert complete.json()["placed_by_name"] == "Dr Ada Clinician"
    for name in ("pelvic_incidence_deg", "pelvic_tilt_deg", "sacral_slope_deg"):
        assert measured[name] == pytest.approx(TRUTH[name], abs=0.5)
    assert measured["lumbar_lordosis_deg"] == pytest.approx(TRUTH["lumbar_lordosis_deg"], abs=0.5)
    assert measured["pelvic_radius_mm"] == pytest.approx(TRUTH["pelvic_radius_mm"], abs=0.5)

    history = client.get(f"{url}/landmarks", headers=world.patient_1.headers).json()
    assert [item["version"] for item in history["items"]] == [2, 1]
    assert history["suggested_anterior"] == "right"
    assert history["pixel_spacing_mm"] == [0.5, 0.4]

    export = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/measurements.csv",
        headers=world.clinician_a.headers,
    )
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [row["version"] for row in rows] == ["1", "2"]
    assert float(rows[1]["pelvic_incidence_deg"]) == pytest.approx(52.0, abs=0.5)
    assert rows[0]["pelvic_incidence_deg"] == ""


def test_only_clinicians_place_landmarks_and_points_must_lie_on_the_image(
    client: TestClient, world: World
) -> None:
    _upload(client, world, [("lateral.dcm", PHANTOM_BYTES)])
    instance = _only_instance(client, world)
    url = (
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/instances/"
        f"{instance['id']}/landmarks"
    )
    body = {"view": "lateral", "anterior": "right", "landmarks": _truth_landmarks()}
    assert client.post(url, json=body, headers=world.patient_1.headers).status_code == 403
    outside = {**body, "landmarks": {**_truth_landmarks(), "s1_anterior": [600.0, 10.0]}}
    answer = client.post(url, json=outside, headers=world.clinician_a.headers)
    assert answer.status_code == 422
    assert "outside the image" in answer.text
    unknown = {**body, "landmarks": {"t12_anterior": [1.0, 1.0]}}
    assert client.post(url, json=unknown, headers=world.clinician_a.headers).status_code == 422


def test_a_frontal_cobb_angle_is_measured(client: TestClient, world: World) -> None:
    _upload(client, world, [("frontal.dcm", PHANTOM_BYTES)])
    instance = _only_instance(client, world)
    url = (
        f"/api/v1/patients/{world.patient_1.patient_id}/imaging/instances/"
        f"{instance['id']}/landmarks"
    )
    # Hand calculation in mm (rows 0.5 mm, columns 0.4 mm): the upper line rises 20 px = 10 mm
    # over 100 px = 40 mm, atan(10/40) = 14.036°; the lower one falls 40 px = 20 mm over 40 mm,
    # atan(20/40) = 26.565°; Cobb = 14.036 + 26.565 = 40.601°.
    body = {
        "view": "frontal",
        "landmarks": {
            "upper_endplate": [[100.0, 120.0], [200.0, 100.0]],
            "lower_endplate": [[100.0, 500.0], [200.0, 540.0]],
        },
    }
    answer = client.post(url, json=body, headers=world.clinician_a.headers)
    assert answer.status_code == 201
    assert answer.json()["measurements"]["cobb_deg"] == pytest.approx(40.601, abs=0.01)


def test_the_classifier_takes_what_imaging_measured_and_says_what_it_could_not(
    client: TestClient, world: World
) -> None:
    _upload(client, world, [("lateral.dcm", PHANTOM_BYTES)])
    instance = _only_instance(client, world)
    url = f"/api/v1/patients/{world.patient_1.patient_id}/imaging/instances/{instance['id']}"
    before = client.get(f"{url}/classifier", headers=world.clinician_a.headers).json()
    assert before["prediction"] is None and "landmarks" in before["reason"]

    client.post(
        f"{url}/landmarks",
        json={"view": "lateral", "anterior": "right", "landmarks": _truth_landmarks()},
        headers=world.clinician_a.headers,
    )
    unmeasured = client.get(f"{url}/classifier", headers=world.clinician_a.headers).json()
    assert unmeasured["not_measured"] == ["degree_spondylolisthesis"]
    assert unmeasured["values"]["pelvic_incidence"] == pytest.approx(52.0, abs=0.5)
    assert unmeasured["prediction"] is None
    assert "degree spondylolisthesis" in unmeasured["reason"]
    assert "pelvic_radius" in unmeasured["caveats"]

    graded = client.get(
        f"{url}/classifier",
        params={"degree_spondylolisthesis": 1.5},
        headers=world.clinician_a.headers,
    ).json()
    prediction = graded["prediction"]
    assert prediction["class"] in ("normal", "hernia", "spondylolisthesis")
    assert sum(prediction["probabilities"].values()) == pytest.approx(1.0, abs=1e-6)
    assert prediction["model"]["card_url"] == "/predict/cards/spine"
    assert client.get(f"{url}/classifier", headers=world.patient_1.headers).status_code == 403


def test_an_image_is_found_only_under_its_own_patient(client: TestClient, world: World) -> None:
    _upload(client, world, [("lateral.dcm", PHANTOM_BYTES)])
    instance = _only_instance(client, world)
    # clinician_a also cares for patient_2, but the image belongs to patient_1.
    wrong = f"/api/v1/patients/{world.patient_2.patient_id}/imaging/instances/{instance['id']}/file"
    answer = client.get(wrong, headers=world.clinician_a.headers)
    assert answer.status_code == 404
    assert "image not found" in answer.text
