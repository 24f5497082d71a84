"""Writes of the results: publishing a survey's results on its public page, and withdrawing them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Survey, SurveyStatus
from surveys.rules import may_publish_survey_results


def ensure_may_publish(actor: Any) -> None:
    if not may_publish_survey_results(actor):
        raise PermissionDenied(_("Only the coordination office may publish survey results."))


def publication_refusal(survey: Survey) -> str | None:
    """Why the results of `survey` cannot be published now, or None."""
    if survey.status == SurveyStatus.DRAFT:
        return _("A draft survey has no results to publish.")
    return None


@transaction.atomic
def results_publish(*, survey: Survey, actor: Any) -> Survey:
    """Show the results (groups under five answers withheld) on the survey's public page and
    on the pages of the Handlungsfelder its questions are tagged with. Publishing again keeps
    the first date."""
    ensure_may_publish(actor)
    refusal = publication_refusal(survey)
    if refusal:
        raise ValidationError(refusal, code="not_publishable")
    Survey.objects.filter(pk=survey.pk, results_published_at__isnull=True).update(
        results_published_at=timezone.now()
    )
    survey.refresh_from_db(fields=["results_published_at"])
    return survey


@transaction.atomic
def results_unpublish(*, survey: Survey, actor: Any) -> Survey:
    ensure_may_publish(actor)
    Survey.objects.filter(pk=survey.pk).update(results_published_at=None)
    survey.results_published_at = None
    return survey
