"""Anonymous surveys keep no link from the answers to the recipient once complete, and
only the day of each time; the counts per recipient group stay exact."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from surveys.models import Recipient, Response, ResponseState
from tests.surveys.answering.helpers import PAGE1, PAGE2, PAGE3, build_survey, page_url, url
from tests.surveys.factories import RecipientFactory, RecipientGroupFactory

pytestmark = pytest.mark.django_db


def _complete(client, recipient, survey):
    client.get(url("token", token=recipient.token))
    for number, data in ((1, PAGE1), (2, PAGE2), (3, PAGE3)):
        client.post(page_url(survey, number), {**data, "action": "next"})
    return client.post(url("submit", slug=survey.slug))


def test_completing_an_anonymous_survey_cuts_the_link_and_blurs_the_times(client):
    bedarf = build_survey(anonymous=True)
    vereine = RecipientGroupFactory(survey=bedarf.survey, name="Vereine")
    recipient = RecipientFactory(survey=bedarf.survey, group=vereine)

    # While answering, the response belongs to the recipient (resume needs it).
    client.get(url("token", token=recipient.token))
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    assert Response.objects.get().recipient == recipient

    client.post(page_url(bedarf.survey, 2), {**PAGE2, "action": "next"})
    client.post(page_url(bedarf.survey, 3), {**PAGE3, "action": "next"})
    done = client.post(url("submit", slug=bedarf.survey.slug))
    assert done["Location"] == url("thanks", slug=bedarf.survey.slug)
    assert "nicht mehr mit Ihnen verbunden" in client.get(done["Location"]).content.decode()

    response = Response.objects.get()
    assert response.state == ResponseState.COMPLETE
    assert response.recipient is None and response.user is None
    assert response.group == vereine  # the count per group stays exact
    for moment in (response.started_at, response.submitted_at, response.updated_at):
        assert timezone.localtime(moment).time() == datetime.time(0)  # the day, no more
    stored = Recipient.objects.get(pk=recipient.pk)
    assert stored.completed_at is not None  # no reminders, the link is used up
    assert timezone.localtime(stored.completed_at).time() == datetime.time(0)
    assert not Response.objects.filter(recipient=stored).exists()
    assert str(bedarf.survey.pk) not in client.session.get("surveys.responses", {})
    # The used link opens nothing, and says nothing about what was answered.
    assert client.get(url("token", token=recipient.token)).status_code == 404


def test_counts_per_group_stay_exact_after_anonymisation(client):
    from django.test import Client

    bedarf = build_survey(anonymous=True)
    vereine = RecipientGroupFactory(survey=bedarf.survey, name="Vereine")
    beratung = RecipientGroupFactory(survey=bedarf.survey, name="Beratungsstellen")
    for group, complete, partial in ((vereine, 2, 1), (beratung, 1, 0)):
        for _ in range(complete):
            _complete(Client(), RecipientFactory(survey=bedarf.survey, group=group), bedarf.survey)
        for _ in range(partial):
            other = Client()
            other.get(url("token", token=RecipientFactory(survey=bedarf.survey, group=group).token))
            other.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    counts = {
        (row["group__name"], row["state"]): row["n"]
        for row in Response.objects.values("group__name", "state").annotate(n=Count("pk"))
    }
    assert counts == {
        ("Vereine", ResponseState.COMPLETE): 2,
        ("Vereine", ResponseState.PARTIAL): 1,
        ("Beratungsstellen", ResponseState.COMPLETE): 1,
    }
    assert not Response.objects.filter(
        state=ResponseState.COMPLETE, recipient__isnull=False
    ).exists()


def test_a_survey_that_is_not_anonymous_keeps_the_link(client):
    bedarf = build_survey(anonymous=False)
    recipient = RecipientFactory(survey=bedarf.survey)
    _complete(client, recipient, bedarf.survey)
    response = Response.objects.get()
    assert response.recipient == recipient
    assert response.submitted_at == Recipient.objects.get(pk=recipient.pk).completed_at
