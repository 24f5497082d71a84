"""What the authors and supporters of a published proposal are told (results.services.
notify_publication): the author and a supporter each their own German title, the assessment and
its public rationale; every active person once, none who left."""

from __future__ import annotations

import pytest

from consultations.results import services
from foundation.models import Notification
from tests.review.test_workflow_rules import COMPLETE, People

from .factories import ProposalFactory, UserFactory, support
from .test_concept_entry_rules import publish_with

pytestmark = pytest.mark.django_db


def test_the_author_and_a_supporter_are_each_told_in_german_with_the_assessment():
    people = People()
    proposal = ProposalFactory(title="Kurse am Abend", author=UserFactory(language="de"))
    supporter = UserFactory(language="de")
    support(proposal, supporter)
    support(proposal, proposal.author)  # an author who also supports is one person
    publish_with(proposal, people)
    Notification.objects.filter(kind="proposal_result").delete()

    assert services.notify_publication(proposal_id=proposal.pk) == 2

    to_author = Notification.objects.get(recipient=proposal.author, kind="proposal_result")
    to_supporter = Notification.objects.get(recipient=supporter, kind="proposal_result")
    assert (
        to_author.title == "Das Ergebnis zu Ihrem Vorschlag „Kurse am Abend“ wurde veröffentlicht"
    )
    assert to_supporter.title == (
        "Das Ergebnis zum von Ihnen unterstützten Vorschlag „Kurse am Abend“ wurde veröffentlicht"
    )
    assert (
        to_author.body
        == to_supporter.body
        == ("Fachliche Einschätzung: Umsetzbar\n\n" + COMPLETE["public_rationale"])
    )


def test_a_deactivated_supporter_is_not_told():
    proposal = ProposalFactory()
    gone = UserFactory(is_active=False)
    support(proposal, gone)

    assert services.notify_publication(proposal_id=proposal.pk) == 1  # the author only

    assert not Notification.objects.filter(recipient=gone).exists()


def test_a_proposal_that_no_longer_exists_tells_nobody():
    assert services.notify_publication(proposal_id=987654) == 0
