"""Status rules of the review: each is one function that gives the reason, and the pages and
services follow it (the triage list, the case page, the assign and assessment services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import ProposalStatus
from consultations.review import services
from consultations.review.models import ReviewState
from consultations.review.selectors import reviewable_proposals

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
    reviewer_of,
)
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db


def proposals_in_every_condition():
    standing = ProposalFactory()
    return {
        "standing": standing,
        "in review": ProposalFactory(status=ProposalStatus.IN_REVIEW),
        "withdrawn": ProposalFactory(status=ProposalStatus.WITHDRAWN),
        "hidden": ProposalFactory(is_hidden=True),
        "merged": ProposalFactory(status=ProposalStatus.MERGED, merged_into=standing),
        "pointing elsewhere": ProposalFactory(merged_into=standing),
    }


def test_the_reviewable_list_and_the_refusal_say_the_same():
    proposals = proposals_in_every_condition()
    listed = set(reviewable_proposals().values_list("pk", flat=True))
    for name, proposal in proposals.items():
        assert (proposal.pk in listed) == (proposal.review_refusal() is None), name
    assert listed == {proposals["standing"].pk, proposals["in review"].pk}


def test_a_withdrawn_proposal_cannot_be_assigned_and_its_page_offers_no_assignment(client):
    office = coordination_office_user()
    withdrawn = ProposalFactory(status=ProposalStatus.WITHDRAWN, title="Zurückgezogener Vorschlag")

    with pytest.raises(ValidationError) as refused:
        services.cases_assign(
            proposals=[withdrawn], lead_department=DepartmentFactory(), due_on=None, actor=office
        )
    assert refused.value.messages == [
        "„Zurückgezogener Vorschlag“ ist zurückgezogen, ausgeblendet oder zusammengeführt und "
        "kann nicht geprüft werden."
    ]

    client.force_login(office)
    response = client.get(reverse("review:case", kwargs={"proposal_id": withdrawn.pk}))
    assert response.status_code == 200
    assert "assign_form" not in response.context
    assert "merge_form" not in response.context


def test_the_assessment_page_and_the_service_refuse_editing_with_the_same_reason(client):
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    case = ReviewCaseFactory(lead_department=department, state=ReviewState.ASSIGNED)
    reason = case.assessment_edit_refusal()
    assert reason

    client.force_login(reviewer)
    response = client.get(
        reverse("review:assessment", kwargs={"proposal_id": case.proposal_id}), follow=True
    )
    assert reason in [str(message) for message in response.context["messages"]]

    with pytest.raises(ValidationError) as refused:
        services.assessment_save(case=case, actor=reviewer, data=COMPLETE)
    assert refused.value.messages == [reason]

    services.review_start(case=case, actor=reviewer)
    case.refresh_from_db()
    assert case.assessment_edit_refusal() is None
    assert (
        client.get(
            reverse("review:assessment", kwargs={"proposal_id": case.proposal_id})
        ).status_code
        == 200
    )


def test_contributions_close_when_the_lead_department_has_submitted(client):
    lead, helper = DepartmentFactory(), DepartmentFactory()
    contributor = reviewer_of(helper)
    case = ReviewCaseFactory(lead_department=lead, state=ReviewState.ASSESSED)
    case.contributing_departments.add(helper)
    reason = case.contribution_refusal()
    assert reason

    client.force_login(contributor)
    page = client.get(reverse("review:case", kwargs={"proposal_id": case.proposal_id}))
    assert "contribution_form" not in page.context
    with pytest.raises(ValidationError) as refused:
        services.contribution_add(
            case=case, actor=contributor, department=helper, statement="Noch ein Hinweis"
        )
    assert refused.value.messages == [reason]
