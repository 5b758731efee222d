"""Delivery channels that leave the app: Web Push (VAPID, ``pywebpush``) and e-mail (``Mailer``).

Web Push (RFC 8030) posts the payload, encrypted for the browser (RFC 8291, ``aes128gcm``), to
the push service URL the browser gave us, signed with our VAPID key (RFC 8292). The key comes
from ``SPINEWISE_VAPID_PRIVATE_KEY`` or is generated once into ``data_dir/vapid-private.pem``
(mode 0600), like the development secret; it is never in the code. The payload carries no
health details (``messages``); ``Topic`` (RFC 8030 §5.4) lets the push service replace an
undelivered copy if a send is retried.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import structlog
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from spinewise.config import Settings
from spinewise.core.mail import Mailer
from spinewise.reminders import messages
from spinewise.reminders.schedule import zone
from spinewise.reminders.service import SendJob

log = structlog.get_logger("spinewise.reminders")
VAPID_FILE = "vapid-private.pem"
PUSH_TTL_S = 3600  # a reminder more than an hour old is not worth waking a phone for
PUSH_TIMEOUT_S = 10.0


def load_vapid(settings: Settings) -> Vapid02:
    """The VAPID signing key: from settings, else from (or generated into) the data dir."""
    if settings.vapid_private_key:
        key = settings.vapid_private_key.strip()
        if "-----BEGIN" in key:
            return Vapid02.from_pem(key.encode())
        return Vapid02.from_string(key)
    path = Path(settings.data_dir) / VAPID_FILE
    if path.exists():
        return Vapid02.from_pem(path.read_bytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid02()
    vapid.generate_keys()
    # Written under a temporary name then renamed: two workers starting together agree on one key.
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(vapid.private_pem())
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)  # fails if another process won the race
    except FileExistsError:
        return Vapid02.from_pem(path.read_bytes())
    finally:
        temporary.unlink(missing_ok=True)
    return vapid


def application_server_key(vapid: Vapid02) -> str:
    """The public key a browser passes to ``pushManager.subscribe`` (base64url, uncompressed)."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def send_push(job: SendJob, *, vapid: Vapid02, subject: str, base_url: str) -> tuple[str, str]:
    """Send one push; returns (result, detail) with result ``sent``, ``gone`` or ``failed``."""
    if job.subscription is None:
        return "gone", "subscription removed"
    payload = messages.push_payload(
        occurrence_id=job.occurrence_id, kind=job.kind, url=f"{base_url}/reminders"
    )
    try:
        response = webpush(
            subscription_info=job.subscription,
            data=payload,
            vapid_private_key=vapid,
            vapid_claims={"sub": subject},
            ttl=PUSH_TTL_S,
            timeout=PUSH_TIMEOUT_S,
            headers={"Topic": f"reminder{job.occurrence_id}", "Urgency": "high"},
        )
    except WebPushException as exc:
        status = exc.status_code
        if status in (404, 410):  # the browser unsubscribed or the subscription expired
            return "gone", f"push service answered {status}"
        return "failed", f"push failed: {status or exc.message}"[:300]
    except Exception as exc:  # network errors: retried with back-off
        return "failed", f"{type(exc).__name__}: {exc}"[:300]
    return "sent", f"push service answered {getattr(response, 'status_code', '')}"


def send_email(job: SendJob, *, mailer: Mailer, base_url: str) -> tuple[str, str]:
    """The e-mail says a reminder is due and links to the app, nothing more."""
    if not job.email:
        return "failed", "no e-mail address"
    due_local = job.due_at.astimezone(zone(job.timezone))
    try:
        mailer.send(
            to=job.email,
            subject=messages.EMAIL_SUBJECT,
            body=messages.email_body(due_local=due_local, url=f"{base_url}/reminders"),
        )
    except Exception as exc:  # SMTP down: retried with back-off
        return "failed", f"{type(exc).__name__}: {exc}"[:300]
    return "sent", "mail handed over"
