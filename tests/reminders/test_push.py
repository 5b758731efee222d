"""Web Push against a fake local push service: the app sends an RFC 8291 encrypted payload,
signed with its VAPID key (RFC 8292), that the subscribed browser can decrypt, naming no
medicine; an expired subscription (410) is switched off; the key lives in the data dir."""

from __future__ import annotations

import datetime as dt

from py_vapid import Vapid02
from sqlalchemy import select

from spinewise.accounts.models import Patient
from spinewise.db import unit_of_work
from spinewise.reminders import delivery, service
from spinewise.reminders.jobs import ReminderScheduler
from spinewise.reminders.models import PushSubscription, ReminderDelivery
from tests.conftest import World
from tests.reminders.fake_push import Browser, FakePushService

NOW = dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)


def test_a_due_reminder_reaches_the_browser_encrypted_and_signed(
    session_factory, settings, world: World
) -> None:
    phone, old_laptop = Browser(), Browser()
    with FakePushService({"/gone": 410}) as push:
        with unit_of_work(session_factory) as session:
            patient = session.get(Patient, world.patient_1.patient_id)
            assert patient is not None
            for name, browser in (("phone", phone), ("gone", old_laptop)):
                service.subscribe_push(
                    session,
                    patient_id=patient.id,
                    endpoint=f"{push.url}/{name}",
                    p256dh=browser.p256dh,
                    auth=browser.auth,
                )
            service.create_schedule(
                session,
                patient=patient,
                data=service.ScheduleInput(
                    kind="medication", title="Pregabalin", dose="75 mg", times=["10:00"]
                ),
                created_by=None,
                now=NOW,
            )
        scheduler = ReminderScheduler(session_factory, settings=settings, worker="w")
        tick = scheduler.run_once(dt.datetime(2026, 5, 4, 10, 0, 5, tzinfo=dt.UTC))
        again = scheduler.run_once(dt.datetime(2026, 5, 4, 10, 1, tzinfo=dt.UTC))
        received = list(push.received)

    assert len(tick.delivered) == 1 and tick.sent == {"sent": 1, "gone": 1}
    assert again.sent == {}  # nothing is sent twice
    [to_phone] = [r for r in received if r.path == "/phone"]
    payload = phone.decrypt(to_phone.body)
    occurrence_id = tick.delivered[0].occurrence_id
    assert payload == {
        "title": "Spinewise",
        "body": "Time for your medicine",
        "tag": f"reminder-{occurrence_id}",
        "url": f"{settings.base_url}/reminders",
    }
    assert b"Pregabalin" not in to_phone.body
    headers = to_phone.headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(delivery.PUSH_TTL_S)
    assert headers["topic"] == f"reminder{occurrence_id}"
    assert headers["authorization"].startswith("vapid t=")
    assert Vapid02.verify(headers["authorization"])  # signature checks with the key sent
    public = headers["authorization"].split("k=", 1)[1]
    assert public == delivery.application_server_key(scheduler.vapid)

    with unit_of_work(session_factory) as session:
        subs = {s.endpoint.rsplit("/", 1)[1]: s for s in session.scalars(select(PushSubscription))}
        results = dict(
            session.execute(
                select(ReminderDelivery.target, ReminderDelivery.status).where(
                    ReminderDelivery.channel == "push"
                )
            ).all()
        )
    assert subs["phone"].last_success_at is not None and subs["phone"].revoked_at is None
    assert subs["gone"].revoked_at is not None
    assert results == {f"push:{subs['phone'].id}": "sent", f"push:{subs['gone'].id}": "gone"}


def test_the_vapid_key_is_generated_once_into_the_data_dir(settings) -> None:
    first = delivery.load_vapid(settings)
    second = delivery.load_vapid(settings)
    key_file = settings.data_dir / delivery.VAPID_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert delivery.application_server_key(first) == delivery.application_server_key(second)
    configured = settings.model_copy(update={"vapid_private_key": key_file.read_text()})
    assert delivery.application_server_key(delivery.load_vapid(configured)) == (
        delivery.application_server_key(first)
    )


def test_a_push_service_that_is_down_is_retried_later(session_factory, settings, world) -> None:  # type: ignore[no-untyped-def]
    browser = Browser()
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        assert patient is not None
        service.subscribe_push(
            session,
            patient_id=patient.id,
            endpoint="http://127.0.0.1:9/unreachable",
            p256dh=browser.p256dh,
            auth=browser.auth,
        )
        service.add_one_off(session, patient=patient, due_at=NOW, now=NOW - dt.timedelta(hours=1))
    scheduler = ReminderScheduler(session_factory, settings=settings, worker="w")
    assert scheduler.run_once(NOW).sent == {"failed": 1}
    with unit_of_work(session_factory) as session:
        row = session.scalar(select(ReminderDelivery).where(ReminderDelivery.channel == "push"))
        assert row is not None
        assert (row.status, row.attempts) == ("queued", 1)
        assert row.next_attempt_at > NOW  # back-off: not before 30 s later
