"""Who is on an event's participant list and in its CSV, and how the counter follows
cancellations and deleted accounts (forums.events), told through the service functions."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from forums import events
from forums.models import EventRegistration, ForumEvent
from foundation.services import account_delete

from .factories import ForumEventFactory, MunicipalityFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def count(event: ForumEvent) -> int:
    event.refresh_from_db()
    return event.registered_count


def csv_rows(event: ForumEvent) -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(events.participants_csv(event).lstrip("\ufeff")), delimiter=";")
    )


# --- cancelling -------------------------------------------------------------------------------


def test_cancelling_frees_a_place_at_this_event_only():
    event, other = ForumEventFactory(capacity=5), ForumEventFactory(capacity=5)
    resident = ResidentFactory()
    events.register(event=event, user=resident)
    events.register(event=other, user=ResidentFactory())

    assert events.cancel(event=event, user=resident) is True

    assert (count(event), count(other)) == (0, 1)


def test_a_counter_that_is_behind_never_goes_below_zero_when_somebody_cancels():
    event = ForumEventFactory(capacity=5)
    resident = ResidentFactory()
    events.register(event=event, user=resident)
    ForumEvent.objects.filter(pk=event.pk).update(registered_count=0)  # e.g. after a repair

    assert events.cancel(event=event, user=resident) is True

    assert count(event) == 0


# --- deleted accounts -------------------------------------------------------------------------


def test_a_deleted_account_frees_its_places_and_says_how_many():
    resident = ResidentFactory()
    with_end, without_end = ForumEventFactory(), ForumEventFactory(ends_at=None)
    events.register(event=with_end, user=resident)
    events.register(event=without_end, user=resident)

    assert events.cancel_registrations_of_deleted_account(user=resident) == 2

    assert (count(with_end), count(without_end)) == (0, 0)


def test_an_account_without_coming_events_frees_nothing():
    resident = ResidentFactory()
    event = ForumEventFactory()
    events.register(event=event, user=resident)
    events.cancel(event=event, user=resident)

    assert events.cancel_registrations_of_deleted_account(user=resident) == 0


def test_a_past_event_without_an_end_keeps_the_deleted_account_on_its_list():
    resident = ResidentFactory()
    past = ForumEventFactory(ends_at=None)
    events.register(event=past, user=resident)
    ForumEvent.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=2))

    account_delete(user=resident)

    assert count(past) == 1
    assert EventRegistration.objects.filter(event=past, cancelled_at__isnull=True).count() == 1


def test_an_event_whose_end_has_passed_is_past_whatever_its_start_says():
    """As on the event page (ForumEvent.is_upcoming): the end decides when there is one."""
    resident = ResidentFactory()
    event = ForumEventFactory()
    events.register(event=event, user=resident)
    ForumEvent.objects.filter(pk=event.pk).update(ends_at=timezone.now() - timedelta(hours=1))

    assert events.cancel_registrations_of_deleted_account(user=resident) == 0
    assert count(event) == 1


def test_a_counter_that_is_behind_never_goes_below_zero_when_an_account_is_deleted():
    resident = ResidentFactory()
    event = ForumEventFactory()
    events.register(event=event, user=resident)
    ForumEvent.objects.filter(pk=event.pk).update(registered_count=0)

    account_delete(user=resident)

    assert count(event) == 0


# --- the participant list and its CSV ---------------------------------------------------------


def test_the_list_holds_this_events_active_registrations_in_the_order_they_came():
    event, other = ForumEventFactory(capacity=None), ForumEventFactory(capacity=None)
    late, early, gone = ResidentFactory(), ResidentFactory(), ResidentFactory()
    for person in (late, early, gone):
        events.register(event=event, user=person)
    events.register(event=other, user=ResidentFactory())
    events.cancel(event=event, user=gone)
    # `early` registered first (e.g. on paper, entered later): the time decides, not the row.
    EventRegistration.objects.filter(user=early).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    assert [r.user for r in events.participants(event)] == [early, late]


def test_the_german_csv_has_german_headers_and_the_registration_time(settings):
    event = ForumEventFactory(capacity=None)
    with_place = ResidentFactory(
        display_name="Aylin", municipality=MunicipalityFactory(name="Laatzen")
    )
    without_place = ResidentFactory(display_name="Jonas", municipality=None)
    for person in (with_place, without_place):
        events.register(event=event, user=person)
    at = timezone.make_aware(datetime(2026, 3, 5, 14, 30))  # Europe/Berlin
    EventRegistration.objects.filter(user=with_place).update(created_at=at)
    EventRegistration.objects.filter(user=without_place).update(created_at=at + timedelta(hours=1))

    with translation.override("de"):
        rows = csv_rows(event)

    aylin, jonas = (EventRegistration.objects.get(user=p) for p in (with_place, without_place))
    assert rows == [
        ["Nr.", "Anmeldecode", "Name", "Stadt oder Gemeinde", "Angemeldet am", "Status"],
        ["1", aylin.display_code, "Aylin", "Laatzen", "05.03.2026 14:30", "angemeldet"],
        ["2", jonas.display_code, "Jonas", "", "05.03.2026 15:30", "angemeldet"],
    ]


def test_a_name_starting_with_a_carriage_return_is_neutralised_in_the_csv():
    event = ForumEventFactory(capacity=None)
    events.register(event=event, user=ResidentFactory(display_name="\r=1+1"))

    assert csv_rows(event)[1][2] == "'\r=1+1"


def test_the_csv_costs_the_same_queries_for_two_or_six_participants(django_assert_num_queries):
    event = ForumEventFactory(capacity=None)
    for _ in range(2):
        events.register(event=event, user=ResidentFactory(municipality=MunicipalityFactory()))
    with django_assert_num_queries(1):
        events.participants_csv(event)
    for _ in range(4):
        events.register(event=event, user=ResidentFactory(municipality=MunicipalityFactory()))
    with django_assert_num_queries(1):
        events.participants_csv(event)


# --- what the participant is told -------------------------------------------------------------


def told(person) -> list[tuple[str, str]]:
    from foundation.models import Notification

    return [
        (n.title, n.body)
        for n in Notification.objects.filter(recipient=person, kind="forum_event").order_by("pk")
    ]


def test_the_confirmation_and_the_cancellation_in_german_with_the_start_and_the_place():
    from datetime import datetime

    event = ForumEventFactory(
        title="Forum 2: Arbeit",
        place="Haus der Region",
        municipality=MunicipalityFactory(name="Laatzen"),
        starts_at=timezone.make_aware(datetime(2030, 5, 14, 18, 0)),
        ends_at=None,
    )
    resident = ResidentFactory(language="de")
    calendar = reverse("forums:event_ics", args=[event.consultation.slug, event.slug])

    registration, _created = events.register(event=event, user=resident)
    events.cancel(event=event, user=resident)

    site = settings.SITE_URL.rstrip("/")
    page = reverse("forums:event_detail", args=[event.consultation.slug, event.slug])
    assert told(resident) == [
        (
            "Anmeldung bestätigt: Forum 2: Arbeit",
            "Sie sind für „Forum 2: Arbeit“ am 14. Mai 2030 18:00 angemeldet.\n\n"
            f"Ihr Anmeldecode: {registration.display_code}\n\n"
            "Ort: Haus der Region, Laatzen\n\n"
            f"Für Ihren Kalender: {site}{calendar}\n\n"
            "Falls Sie nicht kommen können, stornieren Sie bitte Ihre Anmeldung auf der Seite der "
            "Veranstaltung, damit jemand anderes Ihren Platz einnehmen kann: "
            f"{site}{page}#registration",
        ),
        (
            "Anmeldung storniert: Forum 2: Arbeit",
            "Sie haben Ihre Anmeldung für „Forum 2: Arbeit“ am 14. Mai 2030 18:00 storniert.",
        ),
    ]


@pytest.mark.parametrize(
    ("place", "municipality", "line"),
    [
        ("Haus der Region", False, "Ort: Haus der Region"),
        ("", True, "Ort: Laatzen"),
        ("", False, None),
    ],
)
def test_the_place_line_names_what_is_known_and_is_left_out_when_nothing_is(
    place, municipality, line
):
    event = ForumEventFactory(
        place=place, municipality=MunicipalityFactory(name="Laatzen") if municipality else None
    )
    resident = ResidentFactory(language="de")

    events.register(event=event, user=resident)

    ((_title, body),) = told(resident)
    place_lines = [part for part in body.split("\n\n") if part.startswith("Ort:")]
    assert place_lines == ([line] if line else [])


def test_each_confirmation_mail_is_queued_once_per_registration_and_kind():
    """The outbox's key: a confirmation or cancellation of one registration is mailed at most
    once, whatever sends it again (a retried request, a replayed task)."""
    from foundation.models import OutboxMessage

    event = ForumEventFactory()
    resident = ResidentFactory()
    registration, _created = events.register(event=event, user=resident)
    events.cancel(event=event, user=resident)

    keys = sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert keys == [
        f"forums:registration:{registration.pk}:cancelled:{resident.pk}",
        f"forums:registration:{registration.pk}:confirmed:{resident.pk}",
    ]


def test_the_confirmation_links_to_the_event_page():
    from foundation.models import Notification

    event = ForumEventFactory()
    resident = ResidentFactory()

    events.register(event=event, user=resident)

    assert Notification.objects.get(recipient=resident).url == events.event_url(event)


def test_pressing_register_again_on_a_now_full_event_returns_the_place_one_has():
    event = ForumEventFactory(capacity=1)
    resident = ResidentFactory()
    first, created = events.register(event=event, user=resident)
    event.refresh_from_db()
    assert event.is_full

    again, created_again = events.register(event=event, user=resident)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert count(event) == 1


def test_a_closed_registration_is_refused_as_closed():
    event = ForumEventFactory(registration_open=False)

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        events.register(event=event, user=ResidentFactory())

    assert (refused.value.code, refused.value.messages) == (
        "closed",
        ["Die Anmeldung für diese Veranstaltung ist nicht geöffnet."],
    )


def test_the_counter_decides_when_the_page_was_stale_and_nothing_is_kept():
    """The event as a page loaded it: one place left, registration open. Meanwhile the last
    place went, or the office closed the registration; the conditional UPDATE refuses."""
    for change in ({"registered_count": 1}, {"registration_open": False}):
        event = ForumEventFactory(capacity=1, has_waiting_list=False)
        stale = ForumEvent.objects.get(pk=event.pk)
        ForumEvent.objects.filter(pk=event.pk).update(**change)
        person = ResidentFactory()

        with translation.override("de"), pytest.raises(ValidationError) as refused:
            events.register(event=stale, user=person)

        assert (refused.value.code, refused.value.messages) == (
            "full",
            ["Diese Veranstaltung ist ausgebucht."],
        ), change
        assert not EventRegistration.objects.filter(user=person).exists()


def test_a_past_event_is_refused_as_taken_place():
    event = ForumEventFactory()
    ForumEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    event.refresh_from_db()

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        events.register(event=event, user=ResidentFactory())

    assert (refused.value.code, refused.value.messages) == (
        "closed",
        ["Diese Veranstaltung hat bereits stattgefunden; die Anmeldung ist geschlossen."],
    )


def test_a_full_event_is_refused_as_fully_booked_in_german():
    event = ForumEventFactory(capacity=1, has_waiting_list=False)
    events.register(event=event, user=ResidentFactory())
    event.refresh_from_db()

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        events.register(event=event, user=ResidentFactory())

    assert (refused.value.code, refused.value.messages) == (
        "closed",
        ["Diese Veranstaltung ist ausgebucht."],
    )
