"""Writes of the foundation: profile, account deletion, blocking, notifications.

Every caller (views, the Wagtail admin, management commands) goes through these
functions, so each rule lives in one place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .actors import SYSTEM
from .models import (
    DepartmentMembership,
    Digest,
    Follow,
    News,
    NewsPreference,
    Notification,
    PrivacyConsent,
    User,
)
from .roles import is_coordination_office

#: Sent inside the deletion transaction, before the user row is anonymised, with
#: ``user=<User>``. Apps that keep personal data of their own (e.g. an event registration
#: with a phone number) wipe it in a receiver; the foundation imports no app.
account_deleted = Signal()

#: Sent after a user was blocked (``user=<User>``), e.g. to hide pending contributions.
account_blocked = Signal()


def privacy_consent_record(*, user: User) -> PrivacyConsent:
    """The person agrees to the current privacy notice now (once per version of its text)."""
    consent, _created = PrivacyConsent.objects.get_or_create(
        user=user, notice_version=settings.PRIVACY_NOTICE_VERSION
    )
    return consent


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Anonymise the account; contributions stay and show as "Deleted account".

    The row stays so that proposals, comments and supports keep their author and every
    count and result stays the same (Decidim's approach). Personal fields are wiped, the
    password is made unusable and the e-mail addresses are removed, so nobody can sign in
    to it again and the e-mail address is free for a new account.
    """
    from allauth.account.models import EmailAddress

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        return user
    account_deleted.send(sender=User, user=user)

    EmailAddress.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    Follow.objects.filter(user=user).delete()
    NewsPreference.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()
    _forget_name_in_news(user)
    DepartmentMembership.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.set(Permission.objects.none())
    _delete_wagtail_profile(user)

    user.username = f"deleted-{user.pk}"
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.first_name = ""
    user.last_name = ""
    user.display_name = ""
    user.municipality = None
    user.language = ""
    user.notify_comments_inapp = False
    user.notify_comments_email = False
    user.notify_status_inapp = False
    user.notify_status_email = False
    user.blocked_reason = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    return user


def _forget_name_in_news(user: User) -> None:
    """News keep the name their actor had then ("New reply by Anna"); it goes with the account."""
    gone = str(_("Deleted account"))
    for news in News.objects.filter(actor=user).only("pk", "params").iterator():
        if "name" in news.params:
            news.params["name"] = gone
            News.objects.filter(pk=news.pk).update(params=news.params)


def _delete_wagtail_profile(user: User) -> None:
    """Wagtail keeps an avatar and admin preferences per user; they are personal too."""
    try:
        from wagtail.users.models import UserProfile
    except ImportError:  # pragma: no cover - wagtail.users is installed
        return
    UserProfile.objects.filter(user=user).delete()


@transaction.atomic
def may_block_accounts(actor: Any) -> bool:
    return bool(is_coordination_office(actor) or actor.has_perm("foundation.change_user"))


def block_refusal(*, actor: Any, user: User) -> str | None:
    """Why `actor` may not block `user`, or None: the one blocking rule of the admin and the
    moderation (the coordination office, or whoever may change accounts in the admin)."""
    if actor is not SYSTEM and not may_block_accounts(actor):
        return _("Only the coordination office may block accounts.")
    if actor is not SYSTEM and actor.pk == user.pk:
        return _("You cannot block your own account.")
    if user.is_superuser:
        return _("Administrator accounts cannot be blocked.")
    if is_coordination_office(user):
        return _(
            "Members of the coordination office cannot be blocked here; remove their role in the admin first."
        )
    return None


@transaction.atomic
def account_block(*, actor: Any, user: User, reason: str) -> User:
    """Block an account: it can no longer sign in, post, support or flag; its sessions end."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for blocking the account.")})
    refusal = block_refusal(actor=actor, user=user)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    updated = User.objects.filter(pk=user.pk, blocked_at__isnull=True).update(
        blocked_at=timezone.now(), blocked_reason=reason
    )
    user.refresh_from_db(fields=["blocked_at", "blocked_reason"])
    if updated:
        account_blocked.send(sender=User, user=user)
    return user


@transaction.atomic
def account_unblock(*, actor: Any, user: User) -> User:
    if actor is not SYSTEM and not may_block_accounts(actor):
        raise ValidationError(
            _("Only the coordination office may block accounts."), code="not_allowed"
        )
    User.objects.filter(pk=user.pk).update(blocked_at=None, blocked_reason="")
    user.refresh_from_db(fields=["blocked_at", "blocked_reason"])
    return user


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read; others' notifications do not exist."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
