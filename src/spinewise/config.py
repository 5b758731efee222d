"""One settings object for the whole app (pydantic-settings, ``SPINEWISE_`` prefix, ``.env`` aware).

Settings are built once and passed in (``create_app(settings)``), never read from a module global,
so a test runs on its own temporary database without touching the environment.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_FILE = Path(".spinewise-secret")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPINEWISE_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./spinewise.db"
    secret_key: str = ""
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "testserver"]
    )
    base_url: str = "http://127.0.0.1:8000"
    data_dir: Path = Path("./var")

    # Mail: "console" prints messages to the log (development); "smtp" sends them.
    mail_backend: Literal["console", "smtp"] = "console"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "Spinewise <no-reply@spinewise.local>"

    # Event bus: "memory" (in-process, default) or "redis".
    event_bus: Literal["memory", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"

    # Sessions and account protection.
    session_max_age_s: int = 12 * 3600
    token_max_age_s: int = 30 * 24 * 3600
    lockout_threshold: int = 10
    lockout_cooldown_s: int = 15 * 60
    invite_max_age_s: int = 7 * 24 * 3600
    cookie_secure: bool = False

    # Live posture: a device silent this long has its open minute and episode finalised.
    posture_idle_s: float = 120.0
    # MQTT ingestion (devices.mqtt): off unless a broker URL is set, e.g. mqtt://127.0.0.1:1883.
    # With a shared group the workers subscribe as $share/<group>/… and split the devices.
    mqtt_url: str = ""
    mqtt_shared_group: str = ""
    mqtt_topic_root: str = "spinewise"  # topics <root>/devices/<id>/imu and …/ack
    # Optional raw archive (devices.archive): Parquet per device-day under data_dir/raw.
    archive_raw: bool = False
    archive_retention_days: int = Field(default=30, ge=1)
    log_json: bool = True

    # Virtual consultations. ICE servers for WebRTC as a JSON list of RTCIceServer objects, e.g.
    # '[{"urls": "stun:stun.example.org:3478"}, {"urls": "turn:turn.example.org", "username":
    # "u", "credential": "p"}]'; empty = host candidates only (enough on one machine or LAN).
    ice_servers: list[dict[str, Any]] = Field(default_factory=list)
    # Largest message attachment accepted, in bytes (attachments live under data_dir).
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    # Largest DICOM file or zip of a study accepted by the imaging upload, in bytes.
    imaging_max_upload_bytes: int = Field(default=512 * 1024 * 1024, ge=1)
    # A PACS (Orthanc REST API, e.g. http://127.0.0.1:8042) clinicians may fetch studies from;
    # empty = off.
    imaging_orthanc_url: str = ""
    imaging_orthanc_user: str = ""
    imaging_orthanc_password: str = ""

    # Reminders (see docs/reminders.md): the embedded scheduler polls the database this often
    # (and sleeps less when a reminder is due sooner); reminders found later than the grace are
    # marked expired instead of delivered (catch-up policy). VAPID key: PEM or base64url raw
    # private key; empty = generated once into data_dir/vapid-private.pem.
    reminders_scheduler: bool = True
    reminders_poll_s: float = Field(default=15.0, gt=0, le=3600)
    reminders_grace_min: float = Field(default=30.0, ge=0)
    reminders_delivery_lease_s: float = Field(default=60.0, gt=0)  # a push/e-mail send's lease
    vapid_private_key: str = ""
    vapid_subject: str = "mailto:reminders@spinewise.local"

    # Virtual assistant. Retrieval "hybrid" loads all-MiniLM-L6-v2 on the first question (and
    # the semantic red-flag safety net with it); "bm25" never loads a model. The optional
    # language model (an OpenAI-compatible API base, e.g. http://127.0.0.1:8080/v1) writes
    # routine/self-care answers from the retrieved passages only; empty = off.
    assistant_retrieval: Literal["hybrid", "bm25"] = "hybrid"
    # A long-running server (`spinewise serve`) prepares the assistant when it starts: it trains
    # the learned red-flag screen (about 16 s) and loads the model, so that the first question
    # does not wait for them. False leaves that to the first question.
    assistant_warm_up: bool = True
    llm_url: str = ""
    llm_model: str = "default"
    llm_api_key: str = ""

    @model_validator(mode="after")
    def _secret_key_present(self) -> Settings:
        if not self.secret_key:
            if self.env == "production":
                raise ValueError("SPINEWISE_SECRET_KEY must be set when SPINEWISE_ENV=production")
            self.secret_key = _development_secret()
        if self.env == "production" and len(self.secret_key) < 32:
            raise ValueError("SPINEWISE_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _development_secret() -> str:
    """Generate a secret once and keep it beside the dev database, so sessions survive restarts."""
    if DEV_SECRET_FILE.exists():
        return DEV_SECRET_FILE.read_text().strip()
    key = secrets.token_urlsafe(48)
    DEV_SECRET_FILE.write_text(key)
    DEV_SECRET_FILE.chmod(0o600)
    return key
