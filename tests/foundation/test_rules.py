"""The registered django-rules permissions answer like the predicates the services enforce."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.proposals import services
from consultations.proposals.models import ProposalStatus
from foundation.models import Activity
from tests.consultations.factories import (
    ConsultationFactory,
    PhaseFactory,
    ProposalFactory,
    ResidentFactory,
    UserFactory,
    coordination_office_user,
    open_consultation,
)

pytestmark = pytest.mark.django_db


def test_the_author_may_edit_until_the_first_support_and_the_site_says_so():
    author, other = ResidentFactory(), ResidentFactory()
    proposal = ProposalFactory(consultation=open_consultation(allows_supports=True), author=author)
    assert author.has_perm("consultations.edit_proposal", proposal)
    assert not other.has_perm("consultations.edit_proposal", proposal)

    services.support_add(proposal=proposal, user=other)
    proposal.refresh_from_db()
    assert not author.has_perm("consultations.edit_proposal", proposal)
    assert author.has_perm("consultations.withdraw_proposal", proposal)


def test_a_withdrawn_proposal_is_not_editable_and_says_why():
    author = ResidentFactory()
    proposal = ProposalFactory(
        consultation=open_consultation(), author=author, status=ProposalStatus.WITHDRAWN
    )
    assert not author.has_perm("consultations.edit_proposal", proposal)
    refusal = proposal.edit_refusal()
    assert refusal
    data = services.ProposalData(
        kind=proposal.kind,
        title="Ein neuer Titel für den Vorschlag",
        body="<p>Neuer Text des Vorschlags</p>",
        handlungsfeld=proposal.handlungsfeld,
        is_region_wide=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.proposal_update(proposal=proposal, user=author, data=data)
    assert refusal in str(refused.value)


def test_unpublished_consultations_are_for_staff_only():
    consultation = ConsultationFactory(is_published=False)
    assert not ResidentFactory().has_perm("foundation.see_consultation", consultation)
    assert coordination_office_user().has_perm("foundation.see_consultation", consultation)
    consultation.is_published = True
    assert UserFactory().has_perm("foundation.see_consultation", consultation)


def test_taking_part_needs_a_verified_address():
    assert ResidentFactory().has_perm("foundation.take_part")
    assert not UserFactory().has_perm("foundation.take_part")


def test_the_gate_names_the_phase_that_opens_an_activity_next():
    consultation = ConsultationFactory()
    now = timezone.now()
    PhaseFactory(
        consultation=consultation,
        kind="analysis",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=1),
        allows_comments=False,
        allows_supports=False,
        allows_proposals=False,
    )
    later = PhaseFactory(
        consultation=consultation,
        kind="forums",
        starts_at=now + timedelta(days=1),
        ends_at=None,
        allows_comments=True,
    )
    gate = consultation.gate(Activity.COMMENTS)
    assert not gate.is_open and gate.opens_with == later
    assert consultation.gate(Activity.COMMENTS, now + timedelta(days=2)).is_open
    assert consultation.gate(Activity.PRIORITY_POINTS).opens_with is None
