"""SMART-style scopes: grammar (SMART App Launch 1.0 and 2.0 forms) and what they allow."""

from __future__ import annotations

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.fhir.scopes import Grant, normalise, parse_scope


def test_v1_scopes_parse_into_read_and_write() -> None:
    scope = parse_scope("patient/*.read")
    assert (scope.context, scope.resource_type, scope.can_read, scope.can_write) == (
        "patient",
        "*",
        True,
        False,
    )
    assert parse_scope("user/Observation.write").can_write
    assert parse_scope("user/Observation.*").can_read


def test_v2_permission_letters_must_be_a_subset_of_cruds_in_order() -> None:
    assert parse_scope("user/Observation.rs").can_read
    assert not parse_scope("user/Observation.rs").can_write
    assert parse_scope("user/Patient.cu").can_write
    with pytest.raises(InvalidInput):
        parse_scope("user/Observation.sr")


@pytest.mark.parametrize("text", ["patient/*", "admin/*.read", "user/observation.read", "x"])
def test_malformed_scopes_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        normalise(text)


def test_identity_scopes_are_accepted_and_ignored() -> None:
    assert normalise("openid  fhirUser patient/*.read") == "openid fhirUser patient/*.read"


def test_a_token_without_scopes_is_not_narrowed() -> None:
    grant = Grant.of("", is_patient=True)
    assert grant.may_read("Observation") and grant.may_write("Patient")


def test_a_type_scope_allows_that_type_only() -> None:
    grant = Grant.of("user/Observation.read", is_patient=False)
    assert grant.may_read("Observation")
    assert not grant.may_read("Patient")
    assert not grant.may_write("Observation")


def test_patient_scopes_grant_nothing_to_a_clinician() -> None:
    """No launch context picks a patient, so a clinician needs user/ scopes."""
    assert Grant.of("patient/*.read", is_patient=True).may_read("Appointment")
    assert not Grant.of("patient/*.read", is_patient=False).may_read("Appointment")
