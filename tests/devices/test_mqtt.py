"""MQTT ingestion against the local Mosquitto: same pipeline, acks after the commit, shared
subscriptions split the messages between workers. Each test uses its own topic root, so tests
running in parallel (or anything else on the broker) never see each other's messages."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.devices.mqtt import device_key, subscription_topic
from spinewise.devices.sender import MqttTransport, OutBatch, RetryPolicy, deliver
from spinewise.posture.stream import analyze
from tests.conftest import World, run_async, service_unavailable
from tests.devices.conftest import batches, recording

pytestmark = pytest.mark.mqtt

BROKER = "mqtt://127.0.0.1:1883"
WINDOW = {"from": "2026-01-01T00:00:00+00:00", "to": "2027-01-01T00:00:00+00:00"}


def test_topics_name_the_device_and_shared_groups_use_the_share_prefix() -> None:
    assert subscription_topic("spinewise") == "spinewise/devices/+/imu"
    assert subscription_topic("spinewise", "ingest") == "$share/ingest/spinewise/devices/+/imu"
    assert device_key("spinewise/devices/42/imu", "spinewise") == "42"
    assert device_key("a/b/devices/7/imu", "a/b") == "7"
    for other in ("spinewise/devices/42/ack", "spinewise/devices/x/imu", "other/devices/1/imu"):
        assert device_key(other, "spinewise") is None


@pytest.fixture
def broker() -> None:
    try:
        socket.create_connection(("127.0.0.1", 1883), timeout=1).close()
    except OSError as exc:
        service_unavailable("Mosquitto (MQTT broker)", exc)


@pytest.fixture
def mqtt_apps(settings: Settings, broker: None) -> Iterator[tuple[str, list[Any]]]:
    """Two app workers sharing one database and one shared subscription group."""
    root = f"sw-test-{uuid.uuid4().hex[:10]}"
    configured = settings.model_copy(
        update={"mqtt_url": BROKER, "mqtt_topic_root": root, "mqtt_shared_group": "workers"}
    )
    with ExitStack() as stack:
        apps = []
        for _ in range(2):
            app = create_app(configured)
            stack.callback(app.state.engine.dispose)
            client = stack.enter_context(TestClient(app))
            apps.append((app, client))
        deadline = time.monotonic() + 10
        while not all(a.state.device_background.mqtt.stats.connected for a, _ in apps):
            assert time.monotonic() < deadline, "the app did not subscribe to the broker"
            time.sleep(0.05)
        time.sleep(0.2)  # the SUBACK has arrived; give the broker a moment to route
        yield root, apps


def _register(client: TestClient, world: World) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/devices",
        json={"name": "Back sensor", "kind": "imu-wearable"},
        headers=world.patient_1.headers,
    )
    assert answer.status_code == 201
    return dict(answer.json())


@pytest.mark.slow
def test_batches_over_mqtt_are_acknowledged_after_commit_and_split_between_workers(
    mqtt_apps: tuple[str, list[Any]], world: World
) -> None:
    root, apps = mqtt_apps
    client = apps[0][1]
    sim = recording("office", 120.0, seed=3)
    chunks = batches(sim)
    device = _register(client, world)
    out = [OutBatch(seq, rows) for seq, rows in enumerate(chunks)]
    resent = out + out[:5]  # a device that lost its bookkeeping sends the first five again

    transport = MqttTransport(BROKER, device["token"], device["id"], root=root)
    stats = run_async(deliver(transport, resent, speed=0, policy=RetryPolicy(ack_timeout_s=10)))
    assert stats.acknowledged == len(resent) and stats.failed == 0
    assert stats.duplicates == 5

    received = [app.state.device_background.mqtt.stats.received for app, _ in apps]
    assert sum(received) == len(resent)  # each message went to exactly one worker

    for app, _ in apps:
        app.state.ingestor.finalise_idle_sync(idle_s=-1)
    summary = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/posture/summary",
        params=WINDOW,
        headers=world.patient_1.headers,
    ).json()
    expected = analyze(sim.samples)
    assert summary["worn_s"] == pytest.approx(expected.duration_s, abs=1e-6)
    for zone in ("neutral", "flexed", "severe"):
        assert summary["time_in_zone_s"][zone] == pytest.approx(
            expected.time_in_zone_s[zone], abs=1e-6
        )


def test_a_wrong_or_foreign_token_is_answered_with_an_error_on_the_ack_topic(
    mqtt_apps: tuple[str, list[Any]], world: World
) -> None:
    root, apps = mqtt_apps
    client = apps[0][1]
    mine, other = _register(client, world), _register(client, world)
    batch = [OutBatch(0, batches(recording("office", 120.0, seed=3))[0])]
    policy = RetryPolicy(ack_timeout_s=10, max_attempts=1)

    bad = MqttTransport(BROKER, "not-a-token", mine["id"], root=root)
    stats = run_async(deliver(bad, batch, speed=0, policy=policy))
    assert stats.failed == 1 and "unknown or revoked" in stats.errors[0]

    foreign = MqttTransport(BROKER, other["token"], mine["id"], root=root)
    stats = run_async(deliver(foreign, batch, speed=0, policy=policy))
    assert stats.failed == 1 and "does not belong" in stats.errors[0]
