"""The reminder the day before a forum event: one mail per confirmed participant, ever.

Celery beat runs `send_event_reminders` daily (settings: CELERY_BEAT_SCHEDULE
["forums-event-reminders"]). Once only holds twice over: each registration is claimed with a
conditional UPDATE (`reminded_at IS NULL`), so of two runs at the same time one sends and the
other skips, in-app notice included; and the outbox's unique dedupe key per registration
keeps the mail from being queued a second time whatever else sends it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foundation.notifications import Message, notify, recipient_language

from .events import event_url, practical_lines, when_text
from .models import EventRegistration, ForumEvent, RegistrationStatus


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def events_of_the_day(day: date) -> list[ForumEvent]:
    start, end = _day_bounds(day)
    return list(
        ForumEvent.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("consultation", "municipality")
        .order_by("starts_at", "pk")
    )


def send_event_reminders(*, today: date | None = None) -> int:
    """Remind the confirmed participants of tomorrow's events (local dates); returns how many
    reminders were sent in this run. Safe to run twice, or twice at once."""
    today = today or timezone.localdate()
    sent = 0
    for event in events_of_the_day(today + timedelta(days=1)):
        pending = EventRegistration.objects.filter(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            cancelled_at__isnull=True,
            reminded_at__isnull=True,
        ).select_related("user")
        for registration in pending.order_by("pk").iterator(chunk_size=500):
            with transaction.atomic():
                claimed = EventRegistration.objects.filter(
                    pk=registration.pk,
                    status=RegistrationStatus.CONFIRMED,
                    cancelled_at__isnull=True,
                    reminded_at__isnull=True,
                ).update(reminded_at=timezone.now())
                if claimed:
                    _remind(registration=registration, event=event)
                    sent += 1
    return sent


def _remind(*, registration: EventRegistration, event: ForumEvent) -> None:
    user = registration.user
    with recipient_language(user):
        values = {"title": event.title, "date": when_text(event)}
        lines = [
            _("A reminder: “%(title)s” takes place tomorrow, %(date)s. You are registered.")
            % values,
            *practical_lines(
                registration=registration,
                event=event,
                cancel_line=_(
                    "If you cannot come after all, please cancel your registration so that "
                    "somebody on the waiting list can take your place: %(url)s"
                ),
            ),
        ]
        notify(
            recipient=user,
            message=Message(
                kind="forum_event",
                title=_("Tomorrow: %(title)s") % values,
                body="\n\n".join(lines),
                url=event_url(event),
            ),
            inapp=True,
            email=True,
            dedupe_key=f"forums:reminder:{registration.pk}",
        )
