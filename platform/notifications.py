"""In-app notifications and e-mails, each switchable per user (see User.notify_*)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .models import Notification, User
from .outbox import enqueue


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str = ""
    url: str = ""


def absolute_url(path: str) -> str:
    """The address of a path of this site as a mail or a calendar writes it (SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def notify(
    *,
    recipient: User,
    message: Message,
    inapp: bool = True,
    email: bool = True,
    dedupe_key: str | None = None,
) -> None:
    """Store an in-app notification and/or queue an e-mail, after the caller's commit.

    `message` must already be rendered in the recipient's language (see `recipient_language`).
    With a dedupe_key the e-mail is sent at most once per recipient, whatever calls it.
    """
    if inapp:
        Notification.objects.create(
            recipient=recipient,
            kind=message.kind,
            title=message.title,
            body=message.body,
            url=message.url,
        )
    if email and recipient.email and recipient.is_active:
        link = absolute_url(message.url) if message.url.startswith("/") else message.url
        body = f"{message.body}\n\n{link}".strip()
        enqueue(
            "foundation.tasks.send_email",
            payload={"to": [recipient.email], "subject": message.title, "body": body},
            dedupe_key=f"{dedupe_key}:{recipient.pk}" if dedupe_key else None,
        )


def recipient_language(recipient: User) -> translation.override:
    """`with recipient_language(user): ...` renders texts in the user's language."""
    return translation.override(recipient.language or settings.LANGUAGE_CODE)
