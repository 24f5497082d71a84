"""Retention: after `retention_days` past a survey's closing, its responses are deleted or
anonymised (`retention_action`) by a daily beat task, and `retention_done_at` records it.

The closing moment is `closes_at`; a survey closed by hand without that date counts from its
last change (`updated_at`), which is never earlier than the closing itself.

Anonymise keeps what the statistics need and removes what can point at a person:
- the link to the recipient and to the account is cleared;
- the timestamps are blurred to the first day of their month (LimeSurvey blurs dates too);
- free texts are deleted — short and long text answers and the "other" texts of choice
  questions — because people write names, addresses and details that identify them;
- choice, matrix, ranking, yes/no, number and date answers stay, so the charts stay.
Delete removes the responses with their answers. Either way the recipients' names and e-mail
addresses are blanked (the rows stay, so the invited count per group stays exact), and the
survey's export files are deleted: they hold the very data the period was set for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils import timezone

from .models import (
    Answer,
    QuestionKind,
    Recipient,
    Response,
    RetentionAction,
    Survey,
    SurveyExport,
    SurveyStatus,
)

logger = logging.getLogger(__name__)

TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def closed_at(survey: Survey) -> datetime | None:
    """When the survey stopped taking answers, or None while it still takes them."""
    if survey.closes_at and (
        survey.closes_at <= timezone.now() or survey.status == SurveyStatus.CLOSED
    ):
        return survey.closes_at
    if survey.status == SurveyStatus.CLOSED:
        return survey.updated_at
    return None


def retention_due_at(survey: Survey) -> datetime | None:
    closing = closed_at(survey)
    if closing is None or survey.retention_days is None:
        return None
    return closing + timedelta(days=survey.retention_days)


def surveys_due(*, now: datetime | None = None) -> list[Survey]:
    now = now or timezone.now()
    candidates = Survey.objects.filter(
        retention_days__isnull=False, retention_done_at__isnull=True
    ).filter(Q(closes_at__isnull=False) | Q(status=SurveyStatus.CLOSED))
    return [
        survey
        for survey in candidates
        if (due := retention_due_at(survey)) is not None and due <= now
    ]


@dataclass(frozen=True)
class RetentionResult:
    survey_id: int
    action: str
    responses: int
    texts_deleted: int


@transaction.atomic
def apply_retention(*, survey: Survey) -> RetentionResult:
    """Delete or anonymise the responses of `survey` now (the period's check is the caller's:
    `surveys_due`). Safe to run twice: a survey with `retention_done_at` is left alone."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.retention_done_at is not None:
        return RetentionResult(survey.pk, survey.retention_action, 0, 0)
    responses = Response.objects.filter(survey=survey)
    count = responses.count()
    texts = 0
    if survey.retention_action == RetentionAction.DELETE:
        Answer.objects.filter(response__survey=survey).delete()
        responses.delete()
    else:
        texts, _by_model = (
            Answer.objects.filter(response__survey=survey)
            .filter(
                Q(question__kind__in=TEXT_KINDS)
                | Q(option__isnull=True, number__isnull=True, date__isnull=True)
            )
            .delete()
        )
        # Blurred in the database: one UPDATE, whatever the number of responses.
        responses.update(
            started_at=TruncMonth("started_at"),
            submitted_at=TruncMonth("submitted_at"),
            updated_at=TruncMonth("started_at"),
        )
        responses.update(recipient=None, user=None)
    Recipient.objects.filter(survey=survey).update(
        name="",
        email=Concat(Value("removed-"), Cast("pk", CharField()), Value("@invalid")),
        completed_at=None,
        last_reminded_at=None,
    )
    for export in SurveyExport.objects.filter(survey=survey):
        if export.file:
            export.file.delete(save=False)
    SurveyExport.objects.filter(survey=survey).delete()
    Survey.objects.filter(pk=survey.pk).update(retention_done_at=timezone.now())
    logger.info(
        "Survey %s: retention applied (%s), %s responses, %s free texts deleted",
        survey.pk,
        survey.retention_action,
        count,
        texts,
    )
    return RetentionResult(survey.pk, survey.retention_action, count, texts)


def apply_due_retention(*, now: datetime | None = None) -> list[RetentionResult]:
    """The daily run: every survey whose period has passed (Celery beat)."""
    return [apply_retention(survey=survey) for survey in surveys_due(now=now)]
