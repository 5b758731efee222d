"""Decision-support use cases on SQLite and PostgreSQL: dated assessments, audited predictions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from spinewise.accounts.models import Patient, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import InvalidInput, NotFound
from spinewise.db import unit_of_work
from spinewise.devices import service as devices
from spinewise.devices.models import PostureMinute
from spinewise.predict import service
from spinewise.predict.models import Assessment
from spinewise.predict.outcome_records import SYNTHETIC_LABEL
from spinewise.predict.schemas import AssessmentCreate, SpineMeasurement
from tests.conftest import World

FULL = {
    "odi_pct": 32.0,
    "nprs": 5,
    "startback_total": 5,
    "startback_psychosocial": 2,
    "symptom_duration_days": 42.0,
    "symptoms_distal_to_knee": False,
    "fabq_work": 12,
    "fabq_pa": 13,
    "hip_internal_rotation_left_deg": 38.0,
    "hip_internal_rotation_right_deg": 36.0,
    "lumbar_hypomobility": True,
}


def _people(session, world: World) -> tuple[Actor, Patient]:  # type: ignore[no-untyped-def]
    clinician = session.get(User, world.clinician_a.user_id)
    patient = session.get(Patient, world.patient_1.patient_id)
    return Actor(clinician, "test"), patient


def _create(session, world: World, **values) -> Assessment:  # type: ignore[no-untyped-def]
    actor, patient = _people(session, world)
    return service.create_assessment(
        session, actor=actor, patient=patient, data=AssessmentCreate.model_validate(values)
    )


def test_answers_are_scored_and_kept_beside_their_scores(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        assessment = _create(
            session,
            world,
            odi_answers=[2, 2, 2, 2, 2, 2, 2, 2, 2, None],  # 18 / 45 = 40 %
            startback_answers=[1, 1, 0, 0, 1, 1, 1, 1, 4],  # total 7, psychosocial 5
            assessed_on="2026-01-10",
        )
        assessment_id = assessment.id
    with unit_of_work(session_factory) as session:
        stored = session.get(Assessment, assessment_id)
        assert stored is not None
        assert stored.odi_pct == pytest.approx(40.0)
        assert stored.odi_answers == [2, 2, 2, 2, 2, 2, 2, 2, 2, None]
        assert (stored.startback_total, stored.startback_psychosocial) == (7, 5)
        assert stored.startback_risk == "high"
        assert stored.assessed_on == date(2026, 1, 10)
        assert stored.clinician_name == "Dr Ada Clinician"
        entry = audit.tail(session, patient_id=world.patient_1.patient_id, limit=1)[0]
        assert (entry.resource, entry.action) == ("predict.assessment", "create")
        assert f"assessment {assessment_id} of 2026-01-10" in entry.detail


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, None),
        ({"assessed_on": (date.today() + timedelta(days=2)).isoformat(), "nprs": 3}, "assessed_on"),
        ({"odi_pct": 30, "odi_answers": [1] * 10}, "odi_answers"),
        ({"startback_total": 6}, "startback_psychosocial"),
        ({"odi_answers": [1, None, None, 1, 1, 1, 1, 1, 1, 1]}, "answers"),  # 2 sections missing
    ],
)
def test_unusable_assessments_are_refused_and_nothing_is_stored(
    session_factory, world: World, values: dict, field: str | None
) -> None:
    with pytest.raises(InvalidInput) as caught, unit_of_work(session_factory) as session:
        _create(session, world, **values)
    assert caught.value.field == field
    with unit_of_work(session_factory) as session:
        assert session.scalar(select(Assessment.id)) is None


def test_age_comes_from_the_profile_and_an_entered_age_must_agree(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        # No date of birth: the entered age is kept and used.
        first = _create(session, world, **FULL, age_years=47, assessed_on="2026-03-01")
        assert first.age_years == 47
        ds = service.decision_support(session, actor=actor, patient=patient)
        assert ds.treatment_response is not None and ds.treatment_response.features is not None
        assert ds.treatment_response.features["age_years"] == 47
        # With a date of birth the profile wins: born 1980-06-15 -> 45 on 2026-03-01.
        patient.date_of_birth = date(1980, 6, 15)
        with pytest.raises(InvalidInput, match="gives 45"):
            _create(session, world, **FULL, age_years=50, assessed_on="2026-03-01")
        second = _create(session, world, **FULL, assessed_on="2026-03-02")
        assert second.age_years is None
        ds = service.decision_support(session, actor=actor, patient=patient)
        assert ds.treatment_response.features["age_years"] == 45  # type: ignore[index,union-attr]


def test_assessments_are_versioned_by_date_newest_first(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        for day in ("2026-02-01", "2026-01-01", "2026-02-01"):
            _create(session, world, nprs=4, assessed_on=day)
        rows, total = service.list_assessments(session, actor=actor, patient=patient)
        assert total == 3
        assert [(r.assessed_on.isoformat(), r.id) for r in rows] == sorted(
            ((r.assessed_on.isoformat(), r.id) for r in rows), reverse=True
        )
        assert service.latest_assessment(session, patient=patient) == rows[0]


def test_another_patients_assessment_is_not_found(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        assessment_id = _create(session, world, nprs=3).id
        other = session.get(Patient, world.patient_2.patient_id)
        with pytest.raises(NotFound):
            service.get_assessment(session, patient=other, assessment_id=assessment_id)


def test_showing_decision_support_is_audited_with_the_model_versions(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        assessment = _create(session, world, **FULL, age_years=42)
        ds = service.decision_support(session, actor=actor, patient=patient)
        entry = audit.tail(session, patient_id=patient.id, limit=1)[0]
    assert ds.assessment is not None and ds.assessment.id == assessment.id
    assert ds.stratified_care is not None and ds.stratified_care.template_id == "startback_medium"
    assert ds.manipulation_rule is not None and ds.manipulation_rule.status == "positive"
    response = ds.treatment_response
    assert response is not None and response.status == "ok"
    assert response.synthetic is True and response.data_label == SYNTHETIC_LABEL
    assert {o.label for o in response.options} <= set(service.TREATMENT_LABELS.values())
    assert (entry.resource, entry.action, entry.actor_email) == (
        "predict.decision_support",
        "predict",
        world.clinician_a.email,
    )
    assert f"assessment {assessment.id}" in entry.detail
    assert f"treatment-response {response.model.version} SYNTHETIC: ok" in entry.detail
    assert "startback=medium; manipulation-cpr=positive" in entry.detail


def test_without_an_assessment_nothing_is_predicted(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        ds = service.decision_support(session, actor=actor, patient=patient)
    assert ds.assessment is None and ds.treatment_response is None


def test_posture_monitoring_feeds_the_time_flexed_feature(session_factory, world: World) -> None:
    # Ten hours of minutes in the four weeks before the assessment: each minute 45 s neutral,
    # 10 s flexed, 5 s severe -> (10 + 5) / 60 = 25 % of monitored time flexed.
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        device, _ = devices.register_device(session, patient=patient, name="s", kind="phone")
        start = datetime(2026, 3, 1, 8, tzinfo=UTC)
        for i in range(600):
            session.add(
                PostureMinute(
                    device_id=device.id,
                    patient_id=patient.id,
                    minute_start=start + timedelta(minutes=i),
                    covered_s=60.0,
                    neutral_s=45.0,
                    flexed_s=10.0,
                    severe_s=5.0,
                )
            )
        session.flush()
        context = service.patient_context(session, patient=patient, assessed_on=date(2026, 3, 5))
        assert context.posture_flexed_fraction == pytest.approx(0.25)
        assert context.posture_worn_h == pytest.approx(10.0)
        assert context.posture_simulated is False
        # The window ends with the assessment day: data from after it is not a baseline.
        later = service.patient_context(session, patient=patient, assessed_on=date(2026, 2, 27))
        assert later.posture_flexed_fraction is None


def test_the_spine_classifier_is_audited_against_the_patient_when_named(
    session_factory, world: World
) -> None:
    # The first row of the UCI vertebral-column file (a disc hernia patient, class "Hernia").
    row = {
        "pelvic_incidence": 63.03,
        "pelvic_tilt": 22.55,
        "lumbar_lordosis_angle": 39.61,
        "sacral_slope": 40.48,
        "pelvic_radius": 98.67,
        "degree_spondylolisthesis": -0.25,
    }
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        result = service.classify_spine(
            session, actor=actor, measurement=SpineMeasurement(**row, patient_id=patient.id)
        )
        entry = audit.tail(session, patient_id=patient.id, limit=1)[0]
        hidden = SpineMeasurement(**row, patient_id=world.patient_3.patient_id)
        with pytest.raises(NotFound):
            service.classify_spine(session, actor=actor, measurement=hidden)
    assert result.predicted_class in ("normal", "hernia", "spondylolisthesis")
    assert result.probabilities is not None
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert (entry.resource, entry.action) == ("predict.spine", "predict")
    assert result.model.version in entry.detail


def test_the_demo_seed_adds_one_assessment_per_demo_patient_once(session_factory) -> None:
    from spinewise import demo

    with unit_of_work(session_factory) as session:
        for person in (demo.CLINICIAN, *demo.PATIENTS):
            from spinewise.accounts import service as accounts

            user = accounts.create_user(
                session,
                email=person.email,
                password=demo.DEMO_PASSWORD,
                role=person.role,
                name=person.name,
                date_of_birth=person.date_of_birth,
            )
            if person.role == "patient":
                accounts.add_to_care_team(
                    session, clinician_email=demo.CLINICIAN.email, patient_email=user.email
                )
        assert service.seed_demo(session, clinician_email=demo.CLINICIAN.email) == 3
        assert service.seed_demo(session, clinician_email=demo.CLINICIAN.email) == 0
        risks = sorted(session.scalars(select(Assessment.startback_risk)))
    assert risks == ["high", "low", "medium"]
