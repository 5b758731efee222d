"""Outgoing e-mail: printed to the log in development, sent over SMTP in production.

Messages never carry health details (only "you have a new message, sign in to read it").
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import structlog

from spinewise.config import Settings

log = structlog.get_logger("spinewise.mail")


@dataclass
class Mailer:
    settings: Settings
    outbox: list[EmailMessage] | None = None  # kept for the console backend (tests read it)

    def send(self, *, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        if self.settings.mail_backend == "console":
            if self.outbox is not None:
                self.outbox.append(message)
            log.info("mail.console", to=to, subject=subject, body=body)
            return
        with smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port, timeout=10) as smtp:
            if self.settings.smtp_starttls:
                smtp.starttls()
            if self.settings.smtp_user:
                smtp.login(self.settings.smtp_user, self.settings.smtp_password)
            smtp.send_message(message)
