"""A small client of Orthanc's REST API, the path to a real PACS (https://orthanc.uclouvain.be,
"REST API of the Orthanc server": ``/tools/find``, ``/studies/{id}/instances``,
``/instances/{id}/file``, ``POST /instances``).

Pure of the web framework and the database (httpx only). The objects it fetches are the
hospital's originals, with identifiers: the caller (``imaging.service.import_from_pacs``)
de-identifies them in memory before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from spinewise.core.errors import InvalidInput

# DICOM C-FIND wildcards (PS3.4 §C.2.2.2.4) that Orthanc's /tools/find also honours: a Patient
# ID holding them would match other patients, so it is refused rather than escaped.
WILDCARDS = frozenset("*?\\")


class PacsUnavailable(InvalidInput):
    """The PACS could not be reached or answered an error."""

    def __init__(self, message: str) -> None:
        super().__init__("pacs", message)


@dataclass
class OrthancClient:
    base_url: str
    username: str = ""
    password: str = ""
    timeout_s: float = 30.0
    transport: httpx.BaseTransport | None = None

    def _client(self) -> httpx.Client:
        auth = (self.username, self.password) if self.username else None
        return httpx.Client(
            base_url=self.base_url.rstrip("/"),
            auth=auth,
            timeout=self.timeout_s,
            transport=self.transport,
        )

    def _get(self, client: httpx.Client, path: str) -> httpx.Response:
        try:
            response = client.get(path)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise PacsUnavailable(f"the PACS did not answer {path}: {type(exc).__name__}") from exc
        return response

    def find_studies(self, dicom_patient_id: str) -> list[str]:
        """Orthanc ids of the studies whose Patient ID is exactly ``dicom_patient_id``."""
        patient_id = dicom_patient_id.strip()
        if not patient_id or WILDCARDS & set(patient_id):
            raise InvalidInput("dicom_patient_id", "must be a Patient ID without * ? or \\")
        with self._client() as client:
            try:
                response = client.post(
                    "/tools/find", json={"Level": "Study", "Query": {"PatientID": patient_id}}
                )
                response.raise_for_status()
            except httpx.HTTPError as exc:
                raise PacsUnavailable(f"the PACS refused the search: {type(exc).__name__}") from exc
            return [str(item) for item in response.json()]

    def instances_of_studies(self, study_ids: list[str]) -> Iterator[tuple[str, bytes]]:
        """(Orthanc instance id, DICOM Part 10 bytes) of every instance of the studies."""
        with self._client() as client:
            for study_id in study_ids:
                listing = self._get(client, f"/studies/{study_id}/instances").json()
                for item in listing:
                    instance_id = str(item["ID"])
                    yield instance_id, self._get(client, f"/instances/{instance_id}/file").content

    def upload(self, data: bytes) -> str:
        """Store one DICOM file in Orthanc (used by tests and demos); its instance id."""
        with self._client() as client:
            try:
                response = client.post(
                    "/instances", content=data, headers={"Content-Type": "application/dicom"}
                )
                response.raise_for_status()
            except httpx.HTTPError as exc:
                raise PacsUnavailable(f"the PACS refused the file: {type(exc).__name__}") from exc
            return str(response.json()["ID"])
