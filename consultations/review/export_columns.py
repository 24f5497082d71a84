"""The review's columns in the proposal export (registered in wagtail_hooks.py).

Three queries per batch of proposals, however many cases and departments it holds: the cases
with their lead department, their contributing departments, the assessments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.exports.columns import Column, ColumnGroup, Kind
from foundation.models import Department

from .models import Assessment, ReviewCase


def review_columns() -> list[Column]:
    return [
        Column(_("Lead department"), Kind.TEXT, 28),
        Column(_("Contributing departments"), Kind.TEXT, 30),
        Column(_("Review state"), Kind.TEXT, 16),
        Column(_("Due on"), Kind.DATE, 12),
        Column(_("Feasibility (Umsetzbarkeit)"), Kind.TEXT, 20),
        Column(_("Responsibility (Zuständigkeit)"), Kind.TEXT, 22),
        Column(_("Cost estimate"), Kind.TEXT, 24),
        Column(_("Time frame"), Kind.TEXT, 20),
        Column(_("Public rationale"), Kind.TEXT, 50),
        Column(_("Revised title"), Kind.TEXT, 40),
        Column(_("Revised wording"), Kind.TEXT, 50),
        Column(_("Merged into (ID)"), Kind.NUMBER, 12),
        Column(_("Assessment published on"), Kind.DATE, 14),
    ]


def _local_date(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def review_rows(proposals: Sequence[Any]) -> dict[int, list[Any]]:
    ids = [proposal.pk for proposal in proposals]
    cases = {
        case.proposal_id: case
        for case in ReviewCase.objects.filter(proposal_id__in=ids)
        .select_related("lead_department")
        .prefetch_related(
            Prefetch("contributing_departments", queryset=Department.objects.order_by("name"))
        )
    }
    assessments = {
        assessment.proposal_id: assessment
        for assessment in Assessment.objects.filter(proposal_id__in=ids)
    }
    rows: dict[int, list[Any]] = {}
    for proposal in proposals:
        case = cases.get(proposal.pk)
        assessment = assessments.get(proposal.pk)
        rows[proposal.pk] = [
            case.lead_department.name if case and case.lead_department_id else "",
            ", ".join(d.name for d in case.contributing_departments.all()) if case else "",
            str(case.get_state_display()) if case else "",
            case.due_on if case else None,
            str(assessment.get_feasibility_display()) if assessment else "",
            ", ".join(assessment.responsibility_labels) if assessment else "",
            assessment.cost_estimate if assessment else "",
            assessment.time_frame if assessment else "",
            assessment.public_rationale if assessment else "",
            assessment.revised_title if assessment else "",
            assessment.revised_body if assessment else "",
            proposal.merged_into_id,
            _local_date(assessment.published_at) if assessment else None,
        ]
    return rows


def review_column_group() -> ColumnGroup:
    return ColumnGroup(columns=review_columns(), rows=review_rows)
