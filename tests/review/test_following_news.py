"""What followers of a proposal hear from the review: it enters review, it is merged; once,
with a link that opens the right page, and nothing more for the author, who is told directly."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from consultations.models import ProposalStatus
from foundation import following
from foundation.models import NewsFrequency

from .factories import DepartmentFactory, ProposalFactory, coordination_office_user
from .test_author_notifications import link_in, opens_the_proposal

pytestmark = pytest.mark.django_db


def follower_of(proposal):
    from tests.consultations.factories import ResidentFactory

    person = ResidentFactory()
    following.follow(user=person, target=proposal)
    following.set_frequencies(user=person, chosen={"proposals": NewsFrequency.IMMEDIATE})
    return person


def test_followers_hear_once_that_a_proposal_is_in_review(
    client, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(title="Lotsinnen für Behördengänge")
    follower = follower_of(proposal)
    office = coordination_office_user()
    client.force_login(office)
    for _department in range(2):  # a second assignment changes no status: nobody hears again
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("review:assign", kwargs={"proposal_id": proposal.pk}),
                {"assign-lead_department": DepartmentFactory().pk},
            )
    client.logout()
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    assert proposal.title in message.subject
    assert "In Prüfung" in message.subject
    opens_the_proposal(client, link_in(message.body), proposal)
    assert [m.to for m in mail.outbox].count([proposal.author.email]) == 1  # its own notice
    assert ProposalStatus.IN_REVIEW in ProposalStatus.values


def test_followers_of_a_merged_proposal_are_led_to_the_one_it_was_merged_into(
    client, django_capture_on_commit_callbacks
):
    primary = ProposalFactory(title="Sprachkurse mit Kinderbetreuung")
    duplicate = ProposalFactory(
        title="Sprachkurse mit Kinderbetreuung anbieten",
        consultation=primary.consultation,
        handlungsfeld=primary.handlungsfeld,
    )
    follower = follower_of(duplicate)
    client.force_login(coordination_office_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("review:merge", kwargs={"proposal_id": primary.pk}),
            {"duplicates": [duplicate.pk]},
        )
    client.logout()
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    assert duplicate.title in message.subject and primary.title in message.subject
    opens_the_proposal(client, link_in(message.body), primary)
    assert [m.to for m in mail.outbox].count([duplicate.author.email]) == 1
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}")
