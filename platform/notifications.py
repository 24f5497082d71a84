"""In-app notifications and e-mails, each switchable per user (see User.notify_* and
foundation.following), with a one-click unsubscribe in every e-mail a person can switch off."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Notification, User
from .models.following import NewsFrequency, NewsKind
from .outbox import enqueue

UNSUBSCRIBE_SALT = "foundation.notifications.unsubscribe"
#: Channels besides "news:<kind>" and "digest:<frequency>": the e-mails about a person's own
#: contributions, each switched by a field of User.
OWN_CONTENT_CHANNELS = {
    "comments": "notify_comments_email",
    "status": "notify_status_email",
}
DIGEST_FREQUENCIES = (NewsFrequency.DAILY, NewsFrequency.WEEKLY)


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
    unsubscribe: str | None = None,
) -> None:
    """Store an in-app notification and/or queue an e-mail, after the caller's commit.

    `message` must already be rendered in the recipient's language (see `recipient_language`).
    With a dedupe_key each is stored and sent at most once per recipient, whatever calls it.
    `unsubscribe` names the channel the e-mail belongs to ("comments", "news:forums", ...):
    the e-mail then ends with its one-click unsubscribe link and carries it as headers.
    """
    key = f"{dedupe_key}:{recipient.pk}" if dedupe_key else None
    if inapp:
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=recipient,
                    kind=message.kind,
                    title=message.title,
                    body=message.body,
                    url=message.url,
                    key=key,
                )
            ],
            ignore_conflicts=key is not None,
        )
    if email and recipient.email and recipient.is_active:
        link = absolute_url(message.url) if message.url.startswith("/") else message.url
        body = f"{message.body}\n\n{link}".strip()
        payload = {"to": [recipient.email], "subject": message.title, "body": body}
        if unsubscribe:
            address = unsubscribe_url(user=recipient, channel=unsubscribe)
            with recipient_language(recipient):
                footer = _("No more of these e-mails: %(url)s") % {"url": address}
            payload["body"] = f"{body}\n\n-- \n{footer}"
            payload["headers"] = unsubscribe_headers(address)
        enqueue("foundation.tasks.send_email", payload=payload, dedupe_key=key)


def recipient_language(recipient: User) -> translation.override:
    """`with recipient_language(user): ...` renders texts in the user's language."""
    return translation.override(recipient.language or settings.LANGUAGE_CODE)


# --- One-click unsubscribe ---------------------------------------------------------------------


def valid_channel(channel: str) -> bool:
    prefix, _sep, value = channel.partition(":")
    if prefix == "news":
        return value in NewsKind.values
    if prefix == "digest":
        return value in DIGEST_FREQUENCIES
    return channel in OWN_CONTENT_CHANNELS


def unsubscribe_url(*, user: User, channel: str) -> str:
    """The absolute address that stops this channel's e-mails for `user`, without signing in
    (the signed token is the authority; it names the person and the channel only)."""
    if not valid_channel(channel):
        raise ValueError(channel)
    token = signing.dumps([user.pk, channel], salt=UNSUBSCRIBE_SALT, compress=True)
    with recipient_language(user):
        return absolute_url(reverse("foundation:unsubscribe", args=[token]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058: mail programs offer their own one-click "unsubscribe"."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def channel_from_token(token: str) -> tuple[User, str] | None:
    """(person, channel) of an unsubscribe token; None if it is forged or the person gone."""
    try:
        user_id, channel = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(channel, str) or not valid_channel(channel):
        return None
    user = User.objects.filter(pk=user_id, deleted_at__isnull=True).first()
    return (user, channel) if user is not None else None
