"""Who may do what in monitoring: one place for each rule, checked by views and services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from foundation.roles import department_ids, is_coordination_office

from .models import ConceptMeasure, Indicator


def may_use_monitoring_staff_pages(user: Any) -> bool:
    """Coordination office, and reviewers (they see only their departments' measures)."""
    return bool(is_coordination_office(user) or department_ids(user))


def may_run_reports(user: Any) -> bool:
    return bool(is_coordination_office(user))


def may_edit_measure(user: Any, measure: ConceptMeasure) -> bool:
    if is_coordination_office(user):
        return True
    return measure.department_id is not None and measure.department_id in department_ids(user)


def may_edit_indicator(user: Any, indicator: Indicator) -> bool:
    if is_coordination_office(user):
        return True
    if indicator.measure_id is None:  # field indicators belong to the coordination office
        return False
    return may_edit_measure(user, indicator.measure)


def require_staff(user: Any) -> None:
    """Signed-in users without a staff role get 403 (anonymous ones are sent to sign in first)."""
    if not may_use_monitoring_staff_pages(user):
        raise PermissionDenied


def require_measure(user: Any, measure: ConceptMeasure) -> None:
    """Another department's measure answers 404: its existence is none of the reviewer's business."""
    require_staff(user)
    if not may_edit_measure(user, measure):
        raise Http404


def require_indicator(user: Any, indicator: Indicator) -> None:
    require_staff(user)
    if not may_edit_indicator(user, indicator):
        raise Http404
