"""Registration for forum events: register, cancel, the participant list and its CSV export.

Capacity holds under concurrency without locking the event row for the whole request: the
counter ForumEvent.registered_count is raised by one conditional UPDATE
(`... WHERE registered_count < capacity`), which the database serialises per row and
re-checks after a concurrent commit; the check constraint `forum_event_not_overbooked`
backs it up. One active registration per person and event is a partial unique constraint.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from foundation.models import User
from foundation.notifications import Message, absolute_url, notify, recipient_language
from foundation.rules import participation_refusal

from .models import EventRegistration, ForumEvent


def event_url(event: ForumEvent) -> str:
    return reverse("forums:event_detail", args=[event.consultation.slug, event.slug])


def registration_closed_reason(event: ForumEvent) -> str | None:
    """Why nobody can register for `event` now, or None."""
    if not event.is_upcoming:
        return _("This event has taken place; registration is closed.")
    if not event.registration_open:
        return _("Registration for this event is not open.")
    if event.is_full:
        return _("This event is fully booked.")
    return None


def registration_refusal(*, event: ForumEvent, user: Any) -> str | None:
    return registration_closed_reason(event) or participation_refusal(user)


def active_registration(*, event: ForumEvent, user: Any) -> EventRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return EventRegistration.objects.filter(
        event=event, user=user, cancelled_at__isnull=True
    ).first()


@transaction.atomic
def register(*, event: ForumEvent, user: User) -> tuple[EventRegistration, bool]:
    """Register `user`; returns (registration, created). Registering twice changes nothing."""
    existing = active_registration(event=event, user=user)
    if existing is not None:
        return existing, False
    refusal = registration_refusal(event=event, user=user)
    if refusal:
        raise ValidationError(refusal, code="closed")
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(event=event, user=user)
    except IntegrityError:  # a concurrent request of the same person won
        return EventRegistration.objects.get(
            event=event, user=user, cancelled_at__isnull=True
        ), False
    took_place = (
        ForumEvent.objects.filter(pk=event.pk, registration_open=True)
        .filter(Q(capacity__isnull=True) | Q(registered_count__lt=F("capacity")))
        .update(registered_count=F("registered_count") + 1)
    )
    if not took_place:  # the last place went to somebody else: the registration rolls back
        raise ValidationError(_("This event is fully booked."), code="full")
    event.refresh_from_db(fields=["registered_count"])
    _confirm(registration=registration, event=event, cancelled=False)
    return registration, True


@transaction.atomic
def cancel(*, event: ForumEvent, user: User) -> bool:
    """Cancel the person's active registration (also after registration closed); frees the place."""
    registration = active_registration(event=event, user=user)
    if registration is None:
        return False
    if not EventRegistration.objects.filter(pk=registration.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    ):
        return False
    ForumEvent.objects.filter(pk=event.pk, registered_count__gt=0).update(
        registered_count=F("registered_count") - 1
    )
    event.refresh_from_db(fields=["registered_count"])
    _confirm(registration=registration, event=event, cancelled=True)
    return True


def cancel_registrations_of_deleted_account(*, user: User) -> int:
    """A deleted account frees its places at events still to come; returns how many.

    Runs inside the account deletion's transaction (the foundation's `account_deleted`
    signal), so the registrations and the counters change together with the account or not
    at all. Past events keep their list of who came. No confirmation is sent: the address is
    about to be wiped.
    """
    now = timezone.now()
    upcoming = Q(event__ends_at__gt=now) | Q(event__ends_at__isnull=True, event__starts_at__gt=now)
    registrations = list(
        EventRegistration.objects.select_for_update()
        .filter(upcoming, user=user, cancelled_at__isnull=True)
        .values_list("pk", "event_id")
    )
    freed = 0
    for registration_pk, event_pk in registrations:
        if EventRegistration.objects.filter(pk=registration_pk, cancelled_at__isnull=True).update(
            cancelled_at=now
        ):
            ForumEvent.objects.filter(pk=event_pk, registered_count__gt=0).update(
                registered_count=F("registered_count") - 1
            )
            freed += 1
    return freed


def _confirm(*, registration: EventRegistration, event: ForumEvent, cancelled: bool) -> None:
    """The confirmation (in-app and e-mail after commit) in the participant's language."""
    user = registration.user
    with recipient_language(user):
        when = formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
        place = ", ".join(event.address_lines())
        if cancelled:
            title = _("Registration cancelled: %(title)s") % {"title": event.title}
            lines = [
                _("You have cancelled your registration for “%(title)s” on %(date)s.")
                % {"title": event.title, "date": when}
            ]
        else:
            title = _("Registration confirmed: %(title)s") % {"title": event.title}
            lines = [
                _("You are registered for “%(title)s” on %(date)s.")
                % {"title": event.title, "date": when}
            ]
            if place:
                lines.append(_("Place: %(place)s") % {"place": place})
            if event.accessibility:
                lines.append(_("Accessibility: %(details)s") % {"details": event.accessibility})
            ics = reverse("forums:event_ics", args=[event.consultation.slug, event.slug])
            lines.append(_("For your calendar: %(url)s") % {"url": absolute_url(ics)})
            lines.append(
                _(
                    "If you cannot come, please cancel your registration on the event page so that somebody else can take your place."
                )
            )
        notify(
            recipient=user,
            message=Message(
                kind="forum_event", title=title, body="\n\n".join(lines), url=event_url(event)
            ),
            inapp=True,
            email=True,
            dedupe_key=f"forums:registration:{registration.pk}:{'cancelled' if cancelled else 'confirmed'}",
        )


def participants(event: ForumEvent) -> QuerySet[EventRegistration]:
    """Active registrations with what the coordination office may see: name and municipality."""
    return (
        EventRegistration.objects.filter(event=event, cancelled_at__isnull=True)
        .select_related("user__municipality")
        .order_by("created_at", "pk")
    )


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; neutralise them."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def participants_csv(event: ForumEvent) -> str:
    """The participant list as CSV (semicolons, BOM) for Excel and LibreOffice."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("No."),
            _("Name"),
            pgettext("one of the Städte und Gemeinden", "Municipality"),
            _("Registered on"),
        ]
    )
    for number, registration in enumerate(participants(event), start=1):
        user = registration.user
        writer.writerow(
            [
                number,
                _safe_cell(user.public_name),
                _safe_cell(user.municipality.name if user.municipality else ""),
                formats.date_format(
                    timezone.localtime(registration.created_at), "SHORT_DATETIME_FORMAT"
                ),
            ]
        )
    return buffer.getvalue()
