"""The proposal services' own rules, called without the form or the view: a repeated submission,
editing and withdrawing (only the author, only while unsupported, never a merged proposal),
withdrawing a support, and priority points (whose points, which budget, what the person is
told). Messages are the German ones the person reads."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from consultations.models import (
    PriorityAllocation,
    PriorityBudget,
    Proposal,
    ProposalStatus,
    Support,
)
from consultations.proposals import services
from consultations.proposals.services import ProposalData
from foundation.models import Phase
from tests.consultations.factories import (
    HandlungsfeldFactory,
    ProposalFactory,
    ResidentFactory,
    open_consultation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def data_for(field, **changes) -> ProposalData:
    values = {
        "kind": "measure",
        "title": "Sprachkurse mit Kinderbetreuung",
        "body": "<p>Viele Eltern können sonst nicht teilnehmen.</p>",
        "handlungsfeld": field,
        "is_region_wide": True,
    }
    values.update(changes)
    return ProposalData(**values)


def message(refused) -> list[str]:
    return refused.value.messages


# --- a repeated submission ------------------------------------------------------------------


def test_the_same_submission_sent_again_returns_the_first_proposal_even_after_the_phase_closed():
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    author = ResidentFactory()
    token = uuid.uuid4()
    first, created = services.proposal_submit(
        consultation=consultation, author=author, data=data_for(field), submission_token=token
    )
    Phase.objects.filter(consultation=consultation).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )

    again, created_again = services.proposal_submit(
        consultation=consultation, author=author, data=data_for(field), submission_token=token
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Proposal.objects.filter(author=author).count() == 1


def test_another_persons_submission_token_never_returns_their_proposal():
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    token = uuid.uuid4()
    anna, ben = ResidentFactory(), ResidentFactory()
    services.proposal_submit(
        consultation=consultation, author=anna, data=data_for(field), submission_token=token
    )
    services.proposal_submit(consultation=consultation, author=ben, data=data_for(field))

    with pytest.raises(IntegrityError):
        services.proposal_submit(
            consultation=consultation, author=ben, data=data_for(field), submission_token=token
        )

    assert Proposal.objects.filter(author=anna).count() == 1
    assert Proposal.objects.filter(author=ben).count() == 1


# --- editing --------------------------------------------------------------------------------


def own_proposal(**kwargs) -> Proposal:
    return ProposalFactory(consultation=open_consultation(), **kwargs)


def test_only_the_author_may_edit():
    proposal = own_proposal()

    with pytest.raises(PermissionDenied) as refused:
        services.proposal_update(
            proposal=proposal, user=ResidentFactory(), data=data_for(proposal.handlungsfeld)
        )

    assert str(refused.value) == (
        "Nur die Verfasserin oder der Verfasser kann diesen Vorschlag bearbeiten."
    )


def test_a_supported_proposal_can_no_longer_be_edited():
    proposal = own_proposal()
    services.support_add(proposal=proposal, user=ResidentFactory())
    proposal.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.proposal_update(
            proposal=proposal,
            user=proposal.author,
            data=data_for(proposal.handlungsfeld, title="Neuer Titel"),
        )

    assert message(refused) == [
        "Dieser Vorschlag wurde bereits unterstützt und kann nicht mehr bearbeitet werden."
    ]
    proposal.refresh_from_db()
    assert proposal.title != "Neuer Titel"


@pytest.mark.parametrize(
    "state", [{"is_hidden": True}, {"is_locked": True}, {"status": ProposalStatus.WITHDRAWN}]
)
def test_a_hidden_locked_or_withdrawn_proposal_can_no_longer_be_edited(state):
    proposal = own_proposal(**state)

    with pytest.raises(ValidationError) as refused:
        services.proposal_update(
            proposal=proposal,
            user=proposal.author,
            data=data_for(proposal.handlungsfeld, title="Neuer Titel"),
        )

    assert message(refused) == ["Dieser Vorschlag kann nicht mehr bearbeitet werden."]
    proposal.refresh_from_db()
    assert proposal.title != "Neuer Titel"


def test_editing_changes_this_proposal_only_and_records_when():
    proposal = own_proposal()
    other = ProposalFactory(consultation=proposal.consultation, title="Bleibt so")
    goal = ProposalFactory(
        consultation=proposal.consultation, handlungsfeld=proposal.handlungsfeld, kind="goal"
    )
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=timezone.now() - timedelta(days=1))
    before = Proposal.objects.get(pk=proposal.pk).updated_at

    edited = services.proposal_update(
        proposal=proposal,
        user=proposal.author,
        data=data_for(proposal.handlungsfeld, title="Neuer Titel", goal=goal),
    )

    assert (edited.title, edited.goal) == ("Neuer Titel", goal)
    assert edited.updated_at > before
    other.refresh_from_db()
    assert other.title == "Bleibt so"


def test_a_measure_cannot_be_made_its_own_goal_by_editing():
    proposal = own_proposal(kind="goal")

    with pytest.raises(ValidationError) as refused:
        services.proposal_update(
            proposal=proposal,
            user=proposal.author,
            data=data_for(proposal.handlungsfeld, goal=proposal),
        )

    assert refused.value.message_dict == {
        "goal": ["Wählen Sie ein Ziel dieses Beteiligungsverfahrens."]
    }


# --- withdrawing ----------------------------------------------------------------------------


def test_only_the_author_may_withdraw():
    proposal = own_proposal()

    with pytest.raises(PermissionDenied) as refused:
        services.proposal_withdraw(proposal=proposal, user=ResidentFactory())

    assert str(refused.value) == (
        "Nur die Verfasserin oder der Verfasser kann diesen Vorschlag zurückziehen."
    )


def test_a_merged_proposal_cannot_be_withdrawn():
    proposal = own_proposal(status=ProposalStatus.MERGED)

    with pytest.raises(ValidationError) as refused:
        services.proposal_withdraw(proposal=proposal, user=proposal.author)

    assert message(refused) == [
        "Dieser Vorschlag wurde mit einem anderen zusammengeführt und kann nicht "
        "zurückgezogen werden."
    ]


def test_withdrawing_records_when():
    proposal = own_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=timezone.now() - timedelta(days=1))
    before = Proposal.objects.get(pk=proposal.pk).updated_at

    withdrawn = services.proposal_withdraw(proposal=proposal, user=proposal.author)

    assert withdrawn.status == ProposalStatus.WITHDRAWN
    assert withdrawn.updated_at > before and withdrawn.withdrawn_at is not None


# --- supports -------------------------------------------------------------------------------


def test_withdrawing_a_support_removes_that_one_support_only():
    proposal = own_proposal()
    other = ProposalFactory(consultation=proposal.consultation)
    anna, ben = ResidentFactory(), ResidentFactory()
    for person in (anna, ben):
        services.support_add(proposal=proposal, user=person)
    services.support_add(proposal=other, user=anna)

    assert services.support_remove(proposal=proposal, user=anna) is True
    assert services.support_remove(proposal=proposal, user=anna) is False

    assert set(Support.objects.values_list("proposal_id", "user_id")) == {
        (proposal.pk, ben.pk),
        (other.pk, anna.pk),
    }


# --- priority points ------------------------------------------------------------------------


def field_with(points: int, n: int = 2) -> list[Proposal]:
    consultation = open_consultation(priority_points=points)
    field = HandlungsfeldFactory()
    return [ProposalFactory(consultation=consultation, handlungsfeld=field) for _ in range(n)]


def test_negative_points_are_refused():
    (proposal,) = field_with(5, n=1)

    with pytest.raises(ValidationError) as refused:
        services.priority_points_set(proposal=proposal, user=ResidentFactory(), points=-1)

    assert message(refused) == ["Punkte können nicht negativ sein."]


def test_a_withdrawn_proposal_gets_no_point_but_gives_its_points_back():
    a, b = field_with(5)
    person = ResidentFactory()
    services.priority_points_set(proposal=a, user=person, points=3)
    services.proposal_withdraw(proposal=a, user=a.author)
    a.refresh_from_db()

    with pytest.raises(ValidationError):
        services.priority_points_set(proposal=a, user=ResidentFactory(), points=1)
    assert services.priority_points_set(proposal=a, user=person, points=0) is None

    assert PriorityBudget.objects.get(user=person).spent == 0
    assert services.priority_points_set(proposal=b, user=person, points=5).points == 5


def test_the_budget_says_how_many_points_are_left_and_none_when_all_are_given():
    a, b = field_with(5)
    person = ResidentFactory()

    services.priority_points_set(proposal=a, user=person, points=2)
    left = PriorityBudget.objects.get(user=person).remaining
    services.priority_points_set(proposal=b, user=person, points=3)

    assert (left, PriorityBudget.objects.get(user=person).remaining) == (3, 0)


def test_points_of_two_people_on_one_proposal_are_kept_apart():
    (proposal,) = field_with(5, n=1)
    anna, ben = ResidentFactory(), ResidentFactory()

    services.priority_points_set(proposal=proposal, user=anna, points=2)
    services.priority_points_set(proposal=proposal, user=ben, points=3)
    changed = services.priority_points_set(proposal=proposal, user=ben, points=4)

    assert changed.points == 4
    assert dict(PriorityAllocation.objects.values_list("user_id", "points")) == {
        anna.pk: 2,
        ben.pk: 4,
    }
    proposal.refresh_from_db()
    assert proposal.points_total == 6
    assert dict(PriorityBudget.objects.values_list("user_id", "spent")) == {anna.pk: 2, ben.pk: 4}


def test_points_spent_come_out_of_this_persons_budget_for_this_field_only():
    a, _b = field_with(5)
    other_field = ProposalFactory(consultation=a.consultation, handlungsfeld=HandlungsfeldFactory())
    anna, ben = ResidentFactory(), ResidentFactory()
    services.priority_points_set(proposal=a, user=ben, points=1)
    services.priority_points_set(proposal=other_field, user=anna, points=1)

    services.priority_points_set(proposal=a, user=anna, points=2)

    spent = {(b.user_id, b.handlungsfeld_id): b.spent for b in PriorityBudget.objects.all()}
    assert spent == {
        (ben.pk, a.handlungsfeld_id): 1,
        (anna.pk, other_field.handlungsfeld_id): 1,
        (anna.pk, a.handlungsfeld_id): 2,
    }


def test_too_many_points_are_refused_with_what_is_left_of_the_current_limit():
    a, b = field_with(5)
    person = ResidentFactory()
    services.priority_points_set(proposal=a, user=person, points=4)
    # The coordination office raises the limit to 8: 4 of 8 are left.
    Phase.objects.filter(consultation=a.consultation).update(priority_points=8)

    with pytest.raises(ValidationError) as refused:
        services.priority_points_set(proposal=b, user=person, points=5)

    assert message(refused) == [
        "Sie haben in diesem Handlungsfeld nicht mehr genügend Punkte: 4 von 8 Punkten "
        "sind noch übrig."
    ]


def test_with_every_point_spent_the_refusal_says_none_is_left():
    a, b = field_with(3)
    person = ResidentFactory()
    services.priority_points_set(proposal=a, user=person, points=3)

    with pytest.raises(ValidationError) as refused:
        services.priority_points_set(proposal=b, user=person, points=1)

    assert message(refused) == [
        "Sie haben in diesem Handlungsfeld nicht mehr genügend Punkte: 0 von 3 Punkten "
        "sind noch übrig."
    ]
