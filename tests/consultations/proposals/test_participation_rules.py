"""The proposal services refuse people who may not take part on their own, without the view.

A management command, a Wagtail action or a future API calls these services directly; the
view's own check must not be what keeps an unverified or blocked person out.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from consultations.models import PriorityAllocation, Proposal, Support
from consultations.proposals import services
from consultations.proposals.services import ProposalData
from tests.consultations.factories import (
    HandlungsfeldFactory,
    ProposalFactory,
    ResidentFactory,
    SupportFactory,
    UserFactory,
    open_consultation,
)

pytestmark = pytest.mark.django_db

UNVERIFIED = "Please confirm your e-mail address first. Then you can take part."
BLOCKED = "Your account is blocked. You cannot take part at the moment."


def unverified_person():
    return UserFactory()  # signed up, e-mail address never confirmed


def blocked_person():
    return ResidentFactory(blocked_at=timezone.now())  # verified, then blocked


PEOPLE = [
    pytest.param(unverified_person, UNVERIFIED, id="unverified"),
    pytest.param(blocked_person, BLOCKED, id="blocked"),
]


def proposal_data(field) -> ProposalData:
    return ProposalData(
        kind="measure",
        title="Sprachkurse mit Kinderbetreuung",
        body="Viele Eltern können sonst nicht teilnehmen.",
        handlungsfeld=field,
        is_region_wide=True,
    )


@pytest.mark.parametrize(("person", "reason"), PEOPLE)
def test_proposal_submit_refuses_on_its_own_and_stores_nothing(person, reason):
    consultation = open_consultation()
    field = HandlungsfeldFactory()

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.proposal_submit(
            consultation=consultation, author=person(), data=proposal_data(field)
        )

    assert str(refused.value) == reason
    assert not Proposal.objects.exists()


def test_a_verified_resident_submits_through_the_same_call():
    consultation = open_consultation()
    author = ResidentFactory()

    proposal, created = services.proposal_submit(
        consultation=consultation, author=author, data=proposal_data(HandlungsfeldFactory())
    )

    assert created
    assert Proposal.objects.get() == proposal and proposal.author == author


@pytest.mark.parametrize(("person", "reason"), PEOPLE)
def test_proposal_update_refuses_an_author_who_may_no_longer_take_part(person, reason):
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    author = person()
    proposal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, author=author, title="Alter Titel"
    )

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.proposal_update(proposal=proposal, user=author, data=proposal_data(field))

    assert str(refused.value) == reason
    proposal.refresh_from_db()
    assert proposal.title == "Alter Titel"


@pytest.mark.parametrize(("person", "reason"), PEOPLE)
def test_support_add_refuses_on_its_own(person, reason):
    proposal = ProposalFactory(consultation=open_consultation())

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.support_add(proposal=proposal, user=person())

    assert str(refused.value) == reason
    assert not Support.objects.exists()
    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_support_remove_refuses_a_blocked_supporter_and_keeps_the_support():
    proposal = ProposalFactory(consultation=open_consultation())
    supporter = ResidentFactory()
    SupportFactory(proposal=proposal, user=supporter)
    supporter.blocked_at = timezone.now()
    supporter.save(update_fields=["blocked_at"])

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.support_remove(proposal=proposal, user=supporter)

    assert str(refused.value) == BLOCKED
    assert Support.objects.filter(proposal=proposal, user=supporter).exists()


@pytest.mark.parametrize(("person", "reason"), PEOPLE)
def test_priority_points_refuse_on_their_own(person, reason):
    proposal = ProposalFactory(consultation=open_consultation(priority_points=5))

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.priority_points_set(proposal=proposal, user=person(), points=2)

    assert str(refused.value) == reason
    assert not PriorityAllocation.objects.exists()
    proposal.refresh_from_db()
    assert proposal.points_total == 0
