"""Forum event registration (forums.events) beyond the capacity guard: what the confirmation
says, that cancelling frees exactly one place, events without a limit, and the participant
CSV's protection against spreadsheet formulas."""

from __future__ import annotations

import pytest
from django.utils import translation

from forums import events
from forums.models import EventRegistration
from foundation.models import Notification

from .factories import ForumEventFactory, MunicipalityFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_confirmation_names_the_event_the_place_and_how_to_cancel():
    event = ForumEventFactory(
        title="Forum 3: Arbeit",
        place="Haus der Region",
        municipality=MunicipalityFactory(name="Laatzen"),
    )
    resident = ResidentFactory(language="en")

    registration, created = events.register(event=event, user=resident)

    assert created and registration.user == resident
    note = Notification.objects.get(recipient=resident)
    assert note.title == "Registration confirmed: Forum 3: Arbeit"
    assert "You are registered for “Forum 3: Arbeit”" in note.body
    assert "Place: Haus der Region, Laatzen" in note.body
    assert "please cancel your registration on the event page" in note.body


def test_cancelling_frees_one_place_and_says_so_once():
    event = ForumEventFactory(capacity=3, title="Forum 4")
    resident = ResidentFactory(language="en")
    events.register(event=event, user=resident)
    events.register(event=event, user=ResidentFactory())

    assert events.cancel(event=event, user=resident) is True
    event.refresh_from_db()
    assert event.registered_count == 1
    assert events.cancel(event=event, user=resident) is False  # nothing left to cancel
    event.refresh_from_db()
    assert event.registered_count == 1

    cancelled = Notification.objects.filter(recipient=resident).order_by("pk").last()
    assert cancelled.title == "Registration cancelled: Forum 4"
    assert "You have cancelled your registration for “Forum 4”" in cancelled.body


def test_somebody_never_registered_cancels_nothing():
    event = ForumEventFactory()
    events.register(event=event, user=ResidentFactory())

    assert events.cancel(event=event, user=ResidentFactory()) is False
    event.refresh_from_db()
    assert event.registered_count == 1


def test_an_event_without_a_limit_takes_everybody():
    event = ForumEventFactory(capacity=None)
    for _ in range(12):
        events.register(event=event, user=ResidentFactory())

    event.refresh_from_db()
    assert event.registered_count == 12
    assert events.registration_closed_reason(event) is None


def test_the_csv_numbers_the_participants_and_neutralises_every_formula_start():
    event = ForumEventFactory(capacity=None)
    names = ["=SUM(A1)", "+49 511", "-1", "@cmd", "\tTab", "Jonas"]
    for name in names:
        events.register(event=event, user=ResidentFactory(display_name=name))

    body = events.participants_csv(event)

    assert body.startswith("\ufeff")
    rows = [line.split(";") for line in body.lstrip("\ufeff").strip().splitlines()]
    assert rows[0][:3] == ["No.", "Registration code", "Name"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert [row[2] for row in rows[1:]] == [
        "'=SUM(A1)",
        "'+49 511",
        "'-1",
        "'@cmd",
        "'\tTab",
        "Jonas",
    ]
    assert EventRegistration.objects.filter(event=event).count() == 6
