"""Device: sensors registered to a patient (``devices.models.Device``).

| domain | FHIR |
| --- | --- |
| ``Device.name`` | ``Device.deviceName[0].name`` (type user-friendly-name) |
| ``Device.kind`` | ``Device.type`` (Spinewise code ``imu-wearable`` or ``phone``) |
| ``Device.revoked_at`` set | ``Device.status = inactive`` (else ``active``) |
| ``Device.settings`` | extension ``device-settings`` (JSON text) |
| ``Device.patient_id`` | ``Device.patient`` |

The device's secret token never leaves the server. Pumps (dosing) and the therapy robot are not
registered devices in Spinewise yet (a pump programme names no device; robotic sessions run on
the simulator), so there is nothing to map for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.devices.models import Device, DeviceKind
from spinewise.fhir import codes
from spinewise.fhir.refs import ExportRefs, extension_value


@dataclass(frozen=True)
class DeviceFields:
    name: str
    kind: DeviceKind
    active: bool
    settings: dict[str, Any]


def fields_of(device: Device) -> DeviceFields:
    return DeviceFields(
        name=device.name,
        kind=DeviceKind(device.kind),
        active=device.revoked_at is None,
        settings=dict(device.settings or {}),
    )


def to_fhir(device: Device, refs: ExportRefs) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Device",
        "id": refs.logical("device", device.id),
        "identifier": refs.identifier("device", device.id),
        "status": "active" if device.revoked_at is None else "inactive",
        "deviceName": [{"name": device.name, "type": "user-friendly-name"}],
        "type": codes.sw(str(DeviceKind(device.kind).value)),
        "patient": refs.reference("patient", device.patient_id),
    }
    if device.settings:
        resource["extension"] = [
            {
                "url": codes.DEVICE_SETTINGS_EXT,
                "valueString": json.dumps(device.settings, sort_keys=True),
            }
        ]
    return {k: v for k, v in resource.items() if v is not None}


def from_fhir(resource: dict[str, Any], path: str = "Device") -> DeviceFields:
    names = resource.get("deviceName") or []
    if not names or not names[0].get("name"):
        raise InvalidInput(f"{path}.deviceName", "needs a name")
    kinds = [
        code for system, code in codes.codes_of(resource.get("type")) if system == codes.CODE_SYSTEM
    ]
    try:
        kind = DeviceKind(kinds[0]) if kinds else DeviceKind.imu_wearable
    except ValueError:
        raise InvalidInput(f"{path}.type", "must be imu-wearable or phone") from None
    raw = extension_value(resource, codes.DEVICE_SETTINGS_EXT, "valueString")
    try:
        settings = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        raise InvalidInput(f"{path}.extension", "device settings are not JSON") from None
    if not isinstance(settings, dict):
        raise InvalidInput(f"{path}.extension", "device settings must be a JSON object")
    return DeviceFields(
        name=str(names[0]["name"])[:100],
        kind=kind,
        active=resource.get("status", "active") == "active",
        settings=settings,
    )
