"""Retention: the daily run deletes or anonymises responses once the period after closing has
passed; anonymising keeps the choices (the charts stay) and removes free texts and links."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from surveys.models import Answer, Response, RetentionAction, SurveyExport, SurveyStatus
from surveys.results import selectors
from surveys.retention import apply_due_retention, surveys_due
from surveys.tasks import apply_retention
from tests.foundation.factories import ResidentFactory

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db


def closed_survey(action, *, closed_days_ago=40, retention_days=30):
    data = questionnaire(retention_days=retention_days, retention_action=action)
    now = timezone.now()
    data.survey.opens_at = now - datetime.timedelta(days=closed_days_ago + 30)
    data.survey.closes_at = now - datetime.timedelta(days=closed_days_ago)
    data.survey.save()
    user = ResidentFactory()
    respond(
        data,
        user=user,
        kinds=("1", "2"),
        other="Ich bin Frau Müller vom Verein X",
        size="2",
        staff=3,
        founded=datetime.date(2001, 1, 1),
        remark="Rufen Sie mich an: 0511 123",
    )
    respond(data, kinds=("1",), size="1")
    return data, user


def test_nothing_happens_before_the_period_has_passed():
    data, _user = closed_survey(RetentionAction.ANONYMISE, closed_days_ago=10)
    assert surveys_due() == []
    assert apply_due_retention() == []
    assert Response.objects.filter(survey=data.survey).count() == 2


def test_anonymise_keeps_choices_and_removes_texts_links_and_exact_times():
    data, user = closed_survey(RetentionAction.ANONYMISE)
    before = {r.code: r for r in selectors.survey_results(survey=data.survey)}
    SurveyExport.objects.create(survey=data.survey, requested_by=user, format="csv")
    assert apply_retention.delay().get() == [data.survey.pk]
    data.survey.refresh_from_db()
    assert data.survey.retention_done_at is not None
    responses = Response.objects.filter(survey=data.survey)
    assert responses.count() == 2
    assert not responses.filter(user__isnull=False).exists()
    assert not responses.filter(recipient__isnull=False).exists()
    assert all(r.started_at.day == 1 and r.started_at.hour == 0 for r in responses)
    assert all(r.submitted_at.day == 1 for r in responses)
    assert not Answer.objects.filter(response__survey=data.survey).exclude(text="").exists()
    after = {r.code: r for r in selectors.survey_results(survey=data.survey)}
    assert [o.count for o in after["art"].options] == [o.count for o in before["art"].options]
    assert after["personal"].number.count == 1 and after["gegruendet"].dates.count == 1
    assert after["art"].other_count == 0 and after["anmerkungen"].text_count == 0
    recipients = data.survey.recipients.all()
    assert recipients.count() == 2 and not recipients.exclude(name="").exists()
    assert all(r.email.endswith("@invalid") for r in recipients)
    assert selectors.participation(survey=data.survey).overall.invited == 2
    assert not SurveyExport.objects.filter(survey=data.survey).exists()


def test_delete_removes_the_responses_and_runs_once():
    data, _user = closed_survey(RetentionAction.DELETE)
    [result] = apply_due_retention()
    assert result.responses == 2
    assert not Response.objects.filter(survey=data.survey).exists()
    assert not Answer.objects.filter(question__survey=data.survey).exists()
    assert apply_due_retention() == []  # retention_done_at: never twice


def test_a_survey_closed_by_hand_counts_from_its_last_change():
    data = questionnaire(retention_days=0, status=SurveyStatus.CLOSED)
    respond(data, kinds=("1",))
    assert [survey.pk for survey in surveys_due()] == [data.survey.pk]
