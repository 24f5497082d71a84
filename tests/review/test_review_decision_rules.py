"""The coordination office's decisions on a case (consultations.review.services): approving,
returning and publishing, what each records in the case's history and on the assessment, and
the German refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consultations.models import Proposal, ProposalStatus
from consultations.review import services
from consultations.review.models import Assessment, ReviewEvent

from .test_workflow_rules import People, bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def last_event(case) -> ReviewEvent:
    return ReviewEvent.objects.filter(case=case).order_by("pk").last()


def test_approving_records_who_and_when_on_the_assessment_and_the_comment_in_the_history(
    people,
):
    case = bring_to("assessed", people)

    services.case_approve(case=case, actor=people.office, comment="  Gut begründet.  ")

    assessment = Assessment.objects.get(proposal_id=case.proposal_id)
    assert assessment.approved_by == people.office and assessment.approved_at is not None
    assert (last_event(case).action, last_event(case).comment) == ("approve", "Gut begründet.")


def test_approving_and_publishing_without_a_comment_record_none():
    people = People()
    case = bring_to("assessed", people)

    services.case_approve(case=case, actor=people.office)
    assert last_event(case).comment == ""
    services.cases_publish(cases=[case], actor=people.office)
    assert (last_event(case).action, last_event(case).comment) == ("publish", "")


def test_a_return_without_saying_what_to_change_is_refused(people):
    case = bring_to("assessed", people)

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.case_return(case=case, actor=people.office, comment="   ")

    assert refused.value.message_dict == {
        "comment": ["Geben Sie an, was der Fachbereich ändern soll."]
    }


def test_publishing_nothing_is_refused(people):
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.cases_publish(cases=[], actor=people.office)

    assert refused.value.messages == ["Wählen Sie mindestens einen freigegebenen Vorschlag aus."]


def test_the_published_case_carries_the_proposals_new_status(people):
    case = bring_to("approved", people)

    (published,) = services.cases_publish(cases=[case], actor=people.office)

    # a feasible assessment (COMPLETE): the proposal is accepted, here and in the database
    assert published.proposal.status == ProposalStatus.ACCEPTED
    assert Proposal.objects.get(pk=case.proposal_id).status == ProposalStatus.ACCEPTED
