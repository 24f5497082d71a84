"""Authors and supporters hear of a published result once, even when the outbox forgot it.

The outbox's de-duplication keys keep a second announcement from queueing anything; the
PublicationNotice claim per person is the layer beneath. Here the outbox rows are gone (pruned
by housekeeping, or restored from an older backup), so only the claim can hold.
"""

from __future__ import annotations

import pytest
from django.core import mail

from consultations.results import services
from foundation.models import Notification, OutboxMessage

from .factories import ProposalFactory, UserFactory, coordination_office_user, support

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_announcing_again_after_the_outbox_was_pruned_tells_nobody_twice(
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory()
    supporter = UserFactory()
    support(proposal, supporter)
    office = coordination_office_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_announce(actor=office, proposal=proposal)
    assert recipients() == sorted([proposal.author.email, supporter.email])

    OutboxMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_announce(actor=office, proposal=proposal)

    assert recipients() == sorted([proposal.author.email, supporter.email])
    assert Notification.objects.filter(recipient=supporter).count() == 1


def test_a_new_supporter_is_told_when_the_result_is_announced_again(
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory()
    office = coordination_office_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_announce(actor=office, proposal=proposal)
    latecomer = UserFactory()
    support(proposal, latecomer)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_publication(proposal_id=proposal.pk) == 1

    assert recipients() == sorted([proposal.author.email, latecomer.email])
