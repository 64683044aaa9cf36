"""Answers to tickets, sent by e-mail through the configured SMTP server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from bot.settings import Settings
from bot.translatable import N_, TranslatableError


class MailError(TranslatableError):
    """No SMTP server is configured, or it refused the message."""


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text message.

    Raises:
        MailError: when `FAQ_SMTP_HOST` is unset or the server fails.
    """
    if not settings.smtp_host:
        raise MailError(N_("no SMTP server configured (FAQ_SMTP_HOST)"))
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(N_("sending to %(to)s failed: %(error)s"), to=to, error=str(exc)) from exc
