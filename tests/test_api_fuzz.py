"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis): whatever a
client sends, with or without credentials, the server answers without a 5xx.

The app is built at import time on its own seeded SQLite file, because schemathesis creates one
test per operation when the module is collected.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from spinewise.app import create_app
from spinewise.config import Settings
from tests.conftest import _seed

MAX_EXAMPLES = int(os.environ.get("SPINEWISE_FUZZ_EXAMPLES", "30"))
_DB = Path(tempfile.mkdtemp(prefix="spinewise-fuzz-")) / "fuzz.db"
PEOPLE = _seed(f"sqlite:///{_DB}")
APP = create_app(
    Settings(
        database_url=f"sqlite:///{_DB}", secret_key="fuzz-" + "z" * 40, env="test", _env_file=None
    )  # type: ignore[call-arg]
)
CLINICIAN = {"Authorization": f"Bearer {PEOPLE['clinician_a']['token']}"}
PATIENT = {"Authorization": f"Bearer {PEOPLE['patient_1']['token']}"}
APP.openapi()  # built (and cached by FastAPI) here: on a busy machine it outlasts the loader's 10 s
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_server_fail(case) -> None:  # type: ignore[no-untyped-def]
    for headers in (CLINICIAN, PATIENT, {}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
        )


def test_the_fuzzed_schema_covers_the_account_routes() -> None:
    paths = set(schema.raw_schema["paths"])
    assert {"/api/v1/me", "/api/v1/patients/{patient_id}", "/api/v1/auth/token"} <= paths
