"""Every review service checks who acts; the platform acting by itself says so with SYSTEM."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from consultations.review import services
from consultations.review.models import ReviewMeeting, ReviewState
from foundation.actors import SYSTEM

from .factories import (
    DepartmentFactory,
    ReviewCaseFactory,
    UserFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


def save_meeting(actor, title="Workshop Fachbereich Soziales"):
    return services.meeting_save(
        actor=actor,
        kind="workshop",
        title=title,
        starts_on=date(2015, 2, 1),
        ends_on=None,
        departments=[],
        proposals=[],
        outcome="",
    )


@pytest.mark.parametrize("who", ["nobody", "resident", "reviewer"])
def test_a_meeting_is_not_recorded_without_a_permitted_actor(who):
    actor = {
        "nobody": None,
        "resident": UserFactory(),
        "reviewer": reviewer_of(DepartmentFactory()),
    }[who]
    with pytest.raises(PermissionDenied) as refused:
        save_meeting(actor)
    assert str(refused.value)  # a user-facing message
    assert not ReviewMeeting.objects.exists()


def test_the_coordination_office_and_the_system_record_meetings():
    save_meeting(coordination_office_user(), title="Fachgespräch Bildung")
    save_meeting(SYSTEM, title="Rücksprache Jobcenter")
    assert set(ReviewMeeting.objects.values_list("title", flat=True)) == {
        "Fachgespräch Bildung",
        "Rücksprache Jobcenter",
    }


def test_system_is_no_reviewer_and_no_coordination_office():
    case = ReviewCaseFactory(state=ReviewState.ASSIGNED)
    with pytest.raises(PermissionDenied):
        services.review_start(case=case, actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.cases_publish(cases=[case], actor=SYSTEM)


def test_the_rules_are_registered_as_permissions():
    own, other, helper = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    case = ReviewCaseFactory(lead_department=own, state=ReviewState.ASSIGNED)
    case.contributing_departments.add(helper)
    lead, stranger, contributor, office = (
        reviewer_of(own),
        reviewer_of(other),
        reviewer_of(helper),
        coordination_office_user(),
    )

    assert lead.has_perm("review.view_case", case) and lead.has_perm("review.start_case", case)
    assert not lead.has_perm("review.publish_case", case)
    assert contributor.has_perm("review.contribute_to_case", case) and not contributor.has_perm(
        "review.start_case", case
    )
    assert not stranger.has_perm("review.view_case", case)
    assert office.has_perm("review.view_case", case) and office.has_perm(
        "review.approve_case", case
    )
    assert office.has_perm("review.record_meetings") and not lead.has_perm("review.record_meetings")
