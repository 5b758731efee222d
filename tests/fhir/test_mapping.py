"""Every mapping round-trips: domain object -> FHIR (valid against the R4B models) -> the same
domain fields. Hypothesis generates the domain objects."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.accounts.models import Patient, Sex, User
from spinewise.consults.models import Appointment, AppointmentKind, AppointmentStatus
from spinewise.devices.models import Device, DeviceKind, PostureMinute
from spinewise.fhir import codes, consults, device, observation, patient, practitioner
from spinewise.fhir.refs import ExportRefs, validate
from spinewise.outcomes.models import PainDiaryRecord, QuestionnaireResponse
from spinewise.outcomes.scoring import score_answers

REFS = ExportRefs(base_url="https://clinic.example")
BUNDLE_REFS = ExportRefs(base_url="https://clinic.example", style="bundle")
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
emails = st.from_regex(r"[a-z]{1,10}\.[a-z]{1,10}@example\.org", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    email=emails,
    name=text,
    active=st.booleans(),
    sex=st.sampled_from(list(Sex)),
    dob=st.none() | days,
    tz=st.sampled_from(["UTC", "Europe/London", "America/New_York"]),
    notes=text,
    flags=st.fixed_dictionaries({flag: st.booleans() for flag in codes.HISTORY_FLAGS}),
    style=st.sampled_from([REFS, BUNDLE_REFS]),
)
def test_patient_and_conditions_round_trip(
    email: str,
    name: str,
    active: bool,
    sex: Sex,
    dob: date | None,
    tz: str,
    notes: str,
    flags: dict[str, bool],
    style: ExportRefs,
) -> None:
    user = User(id=7, email=email, name=name, is_active=active)
    row = Patient(
        id=3, user_id=7, sex=sex, date_of_birth=dob, timezone=tz, history_notes=notes, **flags
    )
    resource = validate(patient.to_fhir(row, user, style))
    assert patient.from_fhir(resource) == patient.fields_of(row, user)
    conditions = [validate(c) for c in patient.conditions_to_fhir(row, style)]
    assert {patient.flag_of_condition(c, "Condition") for c in conditions} == {
        f for f, on in flags.items() if on
    }


@settings(max_examples=30, deadline=None)
@given(email=emails, name=text, active=st.booleans())
def test_practitioner_round_trips(email: str, name: str, active: bool) -> None:
    user = User(id=9, email=email, name=name, is_active=active)
    fields = practitioner.from_fhir(validate(practitioner.to_fhir(user, REFS)))
    assert (fields.email, fields.name, fields.active) == (email, name, active)


@settings(max_examples=30, deadline=None)
@given(
    name=text.filter(bool),
    kind=st.sampled_from(list(DeviceKind)),
    revoked=st.booleans(),
    settings_json=st.dictionaries(
        st.sampled_from(["mounting", "quiet_hours", "simulated"]),
        st.booleans() | st.integers(0, 10),
    ),
)
def test_device_round_trips(
    name: str, kind: DeviceKind, revoked: bool, settings_json: dict[str, object]
) -> None:
    row = Device(
        id=4,
        patient_id=3,
        name=name,
        kind=kind,
        settings=settings_json,
        revoked_at=datetime(2026, 1, 1, tzinfo=UTC) if revoked else None,
    )
    assert device.from_fhir(validate(device.to_fhir(row, REFS))) == device.fields_of(row)


seconds = st.floats(min_value=0.0, max_value=60.0, allow_nan=False)
degrees = st.none() | st.floats(min_value=-90.0, max_value=180.0, allow_nan=False)


@settings(max_examples=80, deadline=None)
@given(
    start=instants.map(lambda t: t.replace(second=0, microsecond=0)),
    values=st.tuples(*[seconds] * 8, degrees, degrees, st.integers(0, 100), st.integers(0, 100)),
)
def test_posture_minute_observation_round_trips(start: datetime, values: tuple) -> None:  # type: ignore[type-arg]
    covered, neutral, flexed, severe, still, moving, walking, lying, mean, p90, alerts, esc = values
    row = PostureMinute(
        id=11,
        device_id=4,
        patient_id=3,
        minute_start=start,
        covered_s=covered,
        neutral_s=neutral,
        flexed_s=flexed,
        severe_s=severe,
        flexion_mean_deg=mean,
        flexion_p90_deg=p90,
        still_s=still,
        moving_s=moving,
        walking_s=walking,
        lying_s=lying,
        alerts=alerts,
        alerts_escalated=esc,
    )
    resource = validate(observation.minute_to_fhir(row, REFS))
    assert observation.kind_of(resource) == "posture-minute"
    assert observation.minute_from_fhir(resource, "Observation") == observation.minute_fields(row)


answers = st.one_of(
    st.tuples(st.just("nprs"), st.lists(st.integers(0, 10), min_size=1, max_size=1)),
    st.tuples(st.just("odi"), st.lists(st.integers(0, 5), min_size=10, max_size=10)),
    st.tuples(st.just("rmdq"), st.lists(st.booleans(), min_size=24, max_size=24)),
    st.tuples(
        st.just("startback"),
        st.tuples(st.lists(st.integers(0, 1), min_size=8, max_size=8), st.integers(0, 4)).map(
            lambda t: [*t[0], t[1]]
        ),
    ),
    st.tuples(
        st.just("psfs"),
        st.lists(
            st.fixed_dictionaries({"activity": text.filter(bool), "rating": st.integers(0, 10)}),
            min_size=1,
            max_size=5,
            unique_by=lambda a: " ".join(str(a["activity"]).lower().split()),
        ),
    ),
)


@settings(max_examples=80, deadline=None)
@given(pair=answers, day=days, created=instants)
def test_questionnaire_score_observation_round_trips(
    pair: tuple, day: date, created: datetime
) -> None:  # type: ignore[type-arg]
    instrument, given_answers = pair
    result = score_answers(instrument, given_answers)
    row = QuestionnaireResponse(
        id=5,
        patient_id=3,
        instrument=instrument,
        answered_on=day,
        answers=given_answers,
        score=float(result.score),
        result=result.to_dict(),
        created_at=created,
    )
    resource = validate(observation.score_to_fhir(row, REFS))
    assert observation.score_from_fhir(resource, "Observation") == observation.score_fields(row)


def test_nprs_and_odi_use_their_loinc_codes() -> None:
    nprs = score_answers("nprs", [7])
    row = QuestionnaireResponse(
        id=1,
        patient_id=3,
        instrument="nprs",
        answered_on=date(2026, 1, 2),
        answers=[7],
        score=7.0,
        result=nprs.to_dict(),
        created_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert ("http://loinc.org", "72514-3") in codes.codes_of(
        observation.score_to_fhir(row, REFS)["code"]
    )
    assert codes.INSTRUMENT_CODES["odi"][:2] == ("http://loinc.org", "97909-6")


def test_a_stated_score_that_does_not_match_the_answers_is_refused() -> None:
    import pytest

    from spinewise.core.errors import InvalidInput

    nprs = score_answers("nprs", [7])
    row = QuestionnaireResponse(
        id=1,
        patient_id=3,
        instrument="nprs",
        answered_on=date(2026, 1, 2),
        answers=[7],
        score=7.0,
        result=nprs.to_dict(),
        created_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    resource = observation.score_to_fhir(row, REFS)
    resource["valueQuantity"]["value"] = 3
    with pytest.raises(InvalidInput, match="does not match"):
        observation.score_from_fhir(resource, "Observation")


@settings(max_examples=60, deadline=None)
@given(
    day=days,
    back=st.integers(0, 10),
    leg=st.none() | st.integers(0, 10),
    sleep=st.none() | st.booleans(),
    medication=st.none() | st.booleans(),
    activity=st.none() | st.integers(0, 1440),
    note=text,
    updated=instants,
)
def test_pain_diary_observation_round_trips(
    day: date,
    back: int,
    leg: int | None,
    sleep: bool | None,
    medication: bool | None,
    activity: int | None,
    note: str,
    updated: datetime,
) -> None:
    row = PainDiaryRecord(
        id=2,
        patient_id=3,
        day=day,
        back_pain=back,
        leg_pain=leg,
        sleep_disturbed=sleep,
        medication_taken=medication,
        activity_min=activity,
        note=note,
        updated_at=updated,
    )
    resource = validate(observation.diary_to_fhir(row, REFS))
    assert observation.diary_from_fhir(resource, "Observation") == observation.diary_fields(row)


@settings(max_examples=80, deadline=None)
@given(
    start=instants,
    minutes=st.integers(5, 240),
    kind=st.sampled_from(list(AppointmentKind)),
    status=st.sampled_from(list(AppointmentStatus)),
    reason=text,
    sequence=st.integers(0, 50),
    created=instants,
    style=st.sampled_from([REFS, BUNDLE_REFS]),
)
def test_appointment_round_trips(
    start: datetime,
    minutes: int,
    kind: AppointmentKind,
    status: AppointmentStatus,
    reason: str,
    sequence: int,
    created: datetime,
    style: ExportRefs,
) -> None:
    row = Appointment(
        id=6,
        patient_id=3,
        clinician_id=9,
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        kind=kind,
        status=status,
        cancel_reason=reason,
        sequence=sequence,
        created_at=created,
    )
    resource = validate(consults.appointment_to_fhir(row, style))
    expected = consults.appointment_fields(
        row,
        patient_ref=style.full_url("patient", 3),
        clinician_ref=style.full_url("practitioner", 9),
    )
    assert consults.appointment_from_fhir(resource, "Appointment") == expected
