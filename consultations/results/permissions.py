"""Who may do what with the concept and its monitoring: one django-rules predicate per rule.

The services enforce them through the `ensure_*` functions; the views ask the same predicates
to decide what to show. `rules.py` registers them as `results.*` permissions. `SYSTEM`
(foundation.actors) passes only where a rule names it: the annex import of the demo loader,
renumbering from the management command, and the scheduled half-yearly report.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from foundation.actors import is_system
from foundation.roles import department_ids, is_coordination_office

from .models import ConceptMeasure, Indicator


@rules.predicate
def may_use_monitoring_staff_pages(user: Any) -> bool:
    """Coordination office, and reviewers (they see only their departments' measures)."""
    return bool(is_coordination_office(user) or department_ids(user))


# Adopting proposals, numbering and removing measures, choosing their departments.
may_edit_concept = is_coordination_office | is_system
# Requesting half-yearly reports and downloading them; the schedule requests them as SYSTEM.
may_run_reports = is_coordination_office | is_system


@rules.predicate
def may_edit_measure(user: Any, measure: ConceptMeasure) -> bool:
    """Record progress and add indicators: the coordination office, or the measure's department."""
    if is_coordination_office(user):
        return True
    return measure.department_id is not None and measure.department_id in department_ids(user)


def measures_editable_by(user: Any, measures: QuerySet[ConceptMeasure]) -> QuerySet[ConceptMeasure]:
    """`may_edit_measure` for a list: all for the coordination office, else own departments'."""
    if is_coordination_office(user):
        return measures
    return measures.filter(department_id__in=department_ids(user))


@rules.predicate
def may_edit_indicator(user: Any, indicator: Indicator) -> bool:
    if is_coordination_office(user):
        return True
    if indicator.measure_id is None:  # field indicators belong to the coordination office
        return False
    return may_edit_measure(user, indicator.measure)


def require_staff(user: Any) -> None:
    """Signed-in users without a staff role get 403 (the views send anonymous ones to sign in)."""
    if not may_use_monitoring_staff_pages(user):
        raise PermissionDenied(_("You are not allowed to do this."))


def require_measure(user: Any, measure: ConceptMeasure) -> None:
    """Another department's measure answers 404: its existence is none of the reviewer's business."""
    require_staff(user)
    if not may_edit_measure(user, measure):
        raise Http404


def require_indicator(user: Any, indicator: Indicator) -> None:
    require_staff(user)
    if not may_edit_indicator(user, indicator):
        raise Http404


def require_concept_editor(user: Any) -> None:
    if not may_edit_concept(user):
        raise PermissionDenied(_("Only the coordination office may do this."))


def require_concept_editor_for(user: Any, measure: ConceptMeasure) -> None:
    """A concept change to one measure: others are refused as on the measure's page (403, or
    404 for a reviewer of another department)."""
    if may_edit_concept(user):
        return
    require_measure(user, measure)
    require_concept_editor(user)


def require_indicator_creator(user: Any, measure: ConceptMeasure | None) -> None:
    """Indicators of a measure: whoever may edit the measure; of a Handlungsfeld: the coordination office."""
    if measure is not None:
        require_measure(user, measure)
    else:
        require_staff(user)
        if not is_coordination_office(user):
            raise PermissionDenied(_("Only the coordination office may do this."))


def require_report_runner(user: Any) -> None:
    if not may_run_reports(user):
        raise PermissionDenied(_("Only the coordination office may do this."))
