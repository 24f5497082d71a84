"""Registration for forum events: register, the waiting list, cancel, the participant list
and its CSV export.

Capacity holds under concurrency without locking the event row for the whole request: the
counter ForumEvent.registered_count (confirmed places only) is raised by one conditional
UPDATE (`... WHERE registered_count < capacity`), which the database serialises per row and
re-checks after a concurrent commit; the check constraint `forum_event_not_overbooked`
backs it up. One active registration per person and event is a partial unique constraint.

The waiting list: who finds no place is kept as a registration with status "waiting". Every
change that can free a place or fill the list's head (a cancellation, a deleted account,
more places, somebody joining a full list) runs while holding the event row's lock
(SELECT ... FOR UPDATE), so the moves up of one event happen one after the other: a place
freed goes to exactly one person, the first in the list, and a concurrent cancellation sees
the list as the one before it left it. The moved-up person is told once (the outbox key).
"""

from __future__ import annotations

import csv
import io
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from foundation import following
from foundation.models import FollowOrigin, User
from foundation.notifications import Message, absolute_url, notify, recipient_language
from foundation.rules import participation_refusal

from .models import EventRegistration, ForumEvent, RegistrationStatus

#: Registration codes: capital letters and digits without the look-alikes 0/O and 1/I, so a
#: code read out at the door or typed from a printed list is not mistaken (32 signs, 8 long).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: Tries for a code not yet used at the event (a clash is one in a trillion per pair).
CODE_ATTEMPTS = 5


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The code as people read it: two groups of four ("K7MX-4PQA")."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def event_url(event: ForumEvent) -> str:
    return reverse("forums:event_detail", args=[event.consultation.slug, event.slug])


def registration_closed_reason(event: ForumEvent) -> str | None:
    """Why nobody can register for `event` now, or None (a full event with a waiting list
    still takes registrations: they go on the list)."""
    if not event.is_upcoming:
        return _("This event has taken place; registration is closed.")
    if not event.registration_open:
        return _("Registration for this event is not open.")
    if event.is_full and not event.has_waiting_list:
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


def waiting_position(registration: EventRegistration) -> int | None:
    """1 for the head of the waiting list; None for a registration that is not waiting."""
    if not registration.is_waiting:
        return None
    ahead = (
        EventRegistration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING,
            cancelled_at__isnull=True,
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def _lock_event(event: ForumEvent) -> ForumEvent:
    """The event row, locked until the caller's transaction ends (see the module docstring)."""
    return ForumEvent.objects.select_for_update().get(pk=event.pk)


def _take_place(event: ForumEvent) -> bool:
    """One place of `event` for a registration, if one is free (the conditional UPDATE)."""
    return bool(
        ForumEvent.objects.filter(pk=event.pk)
        .filter(Q(capacity__isnull=True) | Q(registered_count__lt=F("capacity")))
        .update(registered_count=F("registered_count") + 1)
    )


def _create_registration(*, event: ForumEvent, user: User) -> EventRegistration | None:
    """A new registration with a code unused at the event; None if the person has one already
    (a concurrent request of theirs won)."""
    for _attempt in range(CODE_ATTEMPTS):
        code = new_code()
        try:
            with transaction.atomic():
                return EventRegistration.objects.create(event=event, user=user, code=code)
        except IntegrityError:
            if active_registration(event=event, user=user) is not None:
                return None
            # otherwise the code was taken at this event: draw another
    raise RuntimeError("no free registration code after several attempts")


@transaction.atomic
def register(*, event: ForumEvent, user: User) -> tuple[EventRegistration, bool]:
    """Register `user`; returns (registration, created). Registering twice changes nothing.

    With no place left the registration goes on the waiting list (status "waiting") if the
    event has one, otherwise it is refused as fully booked.
    """
    existing = active_registration(event=event, user=user)
    if existing is not None:
        return existing, False
    refusal = registration_refusal(event=event, user=user)
    if refusal:
        raise ValidationError(refusal, code="closed")
    registration = _create_registration(event=event, user=user)
    if registration is None:
        return EventRegistration.objects.get(
            event=event, user=user, cancelled_at__isnull=True
        ), False
    took_place = (
        ForumEvent.objects.filter(pk=event.pk, registration_open=True)
        .filter(Q(capacity__isnull=True) | Q(registered_count__lt=F("capacity")))
        .update(registered_count=F("registered_count") + 1)
    )
    if not took_place:
        # Under the event's lock: a cancellation either committed before (its place is free
        # now, or went to somebody waiting) or sees this registration on the list after.
        current = _lock_event(event)
        if current.registration_open and _take_place(current):
            took_place = True
        elif not (current.registration_open and current.has_waiting_list):
            # the last place went to somebody else: the registration rolls back
            raise ValidationError(_("This event is fully booked."), code="full")
    following.follow(user=user, target=event, origin=FollowOrigin.REGISTERED)
    if took_place:
        event.refresh_from_db(fields=["registered_count"])
        _tell(registration=registration, event=event, what="confirmed")
    else:
        EventRegistration.objects.filter(pk=registration.pk).update(
            status=RegistrationStatus.WAITING
        )
        registration.status = RegistrationStatus.WAITING
        _tell(registration=registration, event=event, what="waiting")
    return registration, True


@transaction.atomic
def cancel(*, event: ForumEvent, user: User) -> bool:
    """Cancel the person's active registration or leave the waiting list (also after the
    registration closed). A freed place goes to the first person waiting."""
    registration = active_registration(event=event, user=user)
    if registration is None:
        return False
    _lock_event(event)
    # Read again under the lock: the registration may have moved up in the meantime.
    registration = (
        EventRegistration.objects.filter(pk=registration.pk, cancelled_at__isnull=True)
        .select_related("user")
        .first()
    )
    if registration is None:
        return False
    EventRegistration.objects.filter(pk=registration.pk).update(cancelled_at=timezone.now())
    if registration.status == RegistrationStatus.CONFIRMED:
        ForumEvent.objects.filter(pk=event.pk, registered_count__gt=0).update(
            registered_count=F("registered_count") - 1
        )
        _move_up(event)
    event.refresh_from_db(fields=["registered_count"])
    following.unfollow(user=user, target=event, origin=FollowOrigin.REGISTERED)
    _tell(
        registration=registration,
        event=event,
        what="cancelled" if registration.status == RegistrationStatus.CONFIRMED else "left",
    )
    return True


#: What changes an event's date or place for those who come (and so is news to its followers).
PRACTICAL_FIELDS = {
    "starts_at",
    "ends_at",
    "venue",
    "street_address",
    "postal_code",
    "place",
    "municipality",
    "online_url",
}


def announce(*, event: ForumEvent, created: bool, changed: set[str]) -> None:
    """News for the followers after an editor saved the event: a new event is news of its
    consultation; a new date or place, or its documentation, news of the event itself."""
    url = event_url(event)
    if created:
        following.record(
            target=event.consultation,
            verb="consultations.event",
            url=url,
            title=event.title,
            starts=event.starts_at.isoformat(),
        )
        return
    if changed & PRACTICAL_FIELDS:
        following.record(
            target=event, verb="events.changed", url=url, starts=event.starts_at.isoformat()
        )
    if "documentation" in changed and event.documentation:
        following.record(target=event, verb="events.documented", url=url)


@transaction.atomic
def fill_free_places(*, event: ForumEvent) -> list[EventRegistration]:
    """Give the free places of `event` to the people waiting, first come first served (after
    an editor added places). Returns who moved up."""
    _lock_event(event)
    return _move_up(event)


def _move_up(event: ForumEvent) -> list[EventRegistration]:
    """While a place is free and somebody waits: the first in the list gets it and is told.

    The caller holds the event row's lock. Nobody moves up for an event that has begun.
    """
    moved: list[EventRegistration] = []
    current = ForumEvent.objects.select_related("consultation", "municipality").get(pk=event.pk)
    if current.starts_at <= timezone.now():
        return moved
    while True:
        head = (
            EventRegistration.objects.filter(
                event=current, status=RegistrationStatus.WAITING, cancelled_at__isnull=True
            )
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if head is None or not _take_place(current):
            return moved
        EventRegistration.objects.filter(pk=head.pk).update(
            status=RegistrationStatus.CONFIRMED, promoted_at=timezone.now()
        )
        head.status = RegistrationStatus.CONFIRMED
        _tell(registration=head, event=current, what="promoted")
        moved.append(head)


def cancel_registrations_of_deleted_account(*, user: User) -> int:
    """A deleted account frees its places at events still to come; returns how many.

    Runs inside the account deletion's transaction (the foundation's `account_deleted`
    signal), so the registrations and the counters change together with the account or not
    at all. Past events keep their list of who came. No confirmation is sent: the address is
    about to be wiped. Its places on waiting lists go too; a freed place goes to the first
    person waiting, who is told.
    """
    now = timezone.now()
    upcoming = Q(event__ends_at__gt=now) | Q(event__ends_at__isnull=True, event__starts_at__gt=now)
    event_ids = list(
        EventRegistration.objects.filter(upcoming, user=user, cancelled_at__isnull=True)
        .order_by("event_id")
        .values_list("event_id", flat=True)
    )
    freed = 0
    for event in ForumEvent.objects.select_for_update().filter(pk__in=event_ids).order_by("pk"):
        registration = EventRegistration.objects.filter(
            event=event, user=user, cancelled_at__isnull=True
        ).first()
        if registration is None:
            continue
        EventRegistration.objects.filter(pk=registration.pk).update(cancelled_at=now)
        freed += 1
        if registration.status == RegistrationStatus.CONFIRMED:
            ForumEvent.objects.filter(pk=event.pk, registered_count__gt=0).update(
                registered_count=F("registered_count") - 1
            )
            _move_up(event)
    return freed


# --- What people are told ---------------------------------------------------------------------


def calendar_url(event: ForumEvent) -> str:
    return reverse("forums:event_ics", args=[event.consultation.slug, event.slug])


def when_text(event: ForumEvent) -> str:
    """The start as a mail writes it, in the active language."""
    return formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")


def practical_lines(
    *, registration: EventRegistration, event: ForumEvent, cancel_line: str
) -> list[str]:
    """What a confirmed participant needs to come: code, place, online link, calendar, and
    how to cancel (`cancel_line`, which gets the address of the event's registration box)."""
    lines = [_("Your registration code: %(code)s") % {"code": format_code(registration.code)}]
    place = ", ".join(event.address_lines())
    if place:
        lines.append(_("Place: %(place)s") % {"place": place})
    if event.online_url:
        lines.append(_("Taking part online: %(url)s") % {"url": event.online_url})
    if event.accessibility:
        lines.append(_("Accessibility: %(details)s") % {"details": event.accessibility})
    lines.append(_("For your calendar: %(url)s") % {"url": absolute_url(calendar_url(event))})
    lines.append(cancel_line % {"url": absolute_url(event_url(event) + "#registration")})
    return lines


def _tell(*, registration: EventRegistration, event: ForumEvent, what: str) -> None:
    """The message (in-app and e-mail after commit) in the participant's language.

    `what`: "confirmed", "waiting" (joined the list), "promoted" (moved up), "cancelled",
    "left" (left the list). Each is mailed once per registration (the outbox key).
    """
    user = registration.user
    with recipient_language(user):
        when = when_text(event)
        values = {"title": event.title, "date": when}
        cancel_line = _(
            "If you cannot come, please cancel your registration on the event page so that "
            "somebody else can take your place: %(url)s"
        )
        if what == "cancelled":
            title = _("Registration cancelled: %(title)s") % values
            lines = [
                _("You have cancelled your registration for “%(title)s” on %(date)s.") % values
            ]
        elif what == "left":
            title = _("Waiting list left: %(title)s") % values
            lines = [_("You have left the waiting list for “%(title)s” on %(date)s.") % values]
        elif what == "waiting":
            title = _("On the waiting list: %(title)s") % values
            position = waiting_position(registration) or 1
            lines = [
                _(
                    "All places for “%(title)s” on %(date)s are taken. You are on the waiting "
                    "list, in position %(position)s."
                )
                % {**values, "position": position},
                _(
                    "If a place becomes free, it goes to the first person on the list; we will "
                    "tell you by e-mail if it is yours. Until then you are not registered."
                ),
                _("If you no longer want to come, please leave the waiting list: %(url)s")
                % {"url": absolute_url(event_url(event) + "#registration")},
            ]
        elif what == "promoted":
            title = _("A place for you: %(title)s") % values
            lines = [
                _(
                    "A place has become free: you have moved up from the waiting list and are "
                    "now registered for “%(title)s” on %(date)s."
                )
                % values,
                *practical_lines(registration=registration, event=event, cancel_line=cancel_line),
            ]
        else:
            title = _("Registration confirmed: %(title)s") % values
            lines = [
                _("You are registered for “%(title)s” on %(date)s.") % values,
                *practical_lines(registration=registration, event=event, cancel_line=cancel_line),
            ]
        notify(
            recipient=user,
            message=Message(
                kind="forum_event", title=title, body="\n\n".join(lines), url=event_url(event)
            ),
            inapp=True,
            email=True,
            dedupe_key=f"forums:registration:{registration.pk}:{what}",
        )


# --- The lists for the coordination office -----------------------------------------------------


def participants(event: ForumEvent) -> QuerySet[EventRegistration]:
    """Confirmed registrations with what the coordination office may see: name and municipality."""
    return (
        EventRegistration.objects.filter(
            event=event, cancelled_at__isnull=True, status=RegistrationStatus.CONFIRMED
        )
        .select_related("user__municipality")
        .order_by("created_at", "pk")
    )


def waiting_list(event: ForumEvent) -> QuerySet[EventRegistration]:
    """The waiting list in its order (the first moves up next)."""
    return (
        EventRegistration.objects.filter(
            event=event, cancelled_at__isnull=True, status=RegistrationStatus.WAITING
        )
        .select_related("user__municipality")
        .order_by("created_at", "pk")
    )


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; neutralise them."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def participants_csv(event: ForumEvent) -> str:
    """The check-in list as CSV (semicolons, BOM) for Excel and LibreOffice: the participants
    with their codes, then the waiting list in its order."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("No."),
            _("Registration code"),
            _("Name"),
            pgettext("one of the Städte und Gemeinden", "Municipality"),
            _("Registered on"),
            _("Status"),
        ]
    )
    # One query: "confirmed" sorts before "waiting".
    rows = (
        EventRegistration.objects.filter(event=event, cancelled_at__isnull=True)
        .select_related("user__municipality")
        .order_by("status", "created_at", "pk")
    )
    confirmed = waiting = 0
    for registration in rows:
        user = registration.user
        if registration.status == RegistrationStatus.CONFIRMED:
            confirmed += 1
            number, status = str(confirmed), _("registered")
        else:
            waiting += 1
            number, status = "", _("waiting list, position %(position)s") % {"position": waiting}
        writer.writerow(
            [
                number,
                format_code(registration.code),
                _safe_cell(user.public_name),
                _safe_cell(user.municipality.name if user.municipality else ""),
                formats.date_format(
                    timezone.localtime(registration.created_at), "SHORT_DATETIME_FORMAT"
                ),
                status,
            ]
        )
    return buffer.getvalue()
