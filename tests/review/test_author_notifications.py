"""What an author actually receives from the review: the e-mail, the in-app notification, and
a link in both that opens the right proposal."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from consultations.models import ProposalStatus
from consultations.review import services
from foundation.models import Notification

from .factories import DepartmentFactory, ProposalFactory, coordination_office_user

pytestmark = pytest.mark.django_db


def link_in(body: str) -> str:
    """The site-relative path of the link an e-mail ends with."""
    links = [line for line in body.splitlines() if line.startswith(settings.SITE_URL)]
    assert links, body
    return links[-1].removeprefix(settings.SITE_URL)


def opens_the_proposal(client, path: str, proposal) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.context["proposal"].pk == proposal.pk


def test_the_author_of_a_merged_proposal_gets_a_link_to_the_proposal_it_was_merged_into(
    client, django_capture_on_commit_callbacks
):
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse mit Kinderbetreuung")
    duplicate = ProposalFactory(
        title="Sprachkurse mit Kinderbetreuung anbieten",
        consultation=primary.consultation,
        handlungsfeld=primary.handlungsfeld,
    )
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:merge", kwargs={"proposal_id": primary.pk}),
            {"duplicates": [duplicate.pk]},
        )
    assert response.status_code == 302
    client.logout()

    (message,) = [message for message in mail.outbox if message.to == [duplicate.author.email]]
    assert duplicate.title in message.subject
    assert primary.title in message.body
    path = link_in(message.body)
    opens_the_proposal(client, path, primary)

    notification = Notification.objects.get(recipient=duplicate.author, kind="proposal_merged")
    assert notification.url == path


def test_the_author_is_told_once_when_the_proposal_enters_review(
    client, django_capture_on_commit_callbacks
):
    office = coordination_office_user()
    proposal = ProposalFactory(title="Lotsinnen für Behördengänge")
    author = proposal.author
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:assign", kwargs={"proposal_id": proposal.pk}),
            {"assign-lead_department": DepartmentFactory().pk},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW

    (message,) = [message for message in mail.outbox if message.to == [author.email]]
    assert proposal.title in message.subject
    assert str(ProposalStatus.IN_REVIEW.label) in message.body or "In Prüfung" in message.body
    path = link_in(message.body)
    client.logout()
    opens_the_proposal(client, path, proposal)
    assert Notification.objects.get(recipient=author, kind="proposal_status").url == path

    # Another department takes over: the status stays "in review" and nobody is told again.
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:assign", kwargs={"proposal_id": proposal.pk}),
            {"assign-lead_department": DepartmentFactory().pk},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox].count([author.email]) == 1
    assert Notification.objects.filter(recipient=author, kind="proposal_status").count() == 1


def test_an_author_who_switched_status_notifications_off_is_not_told(
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory()
    proposal.author.notify_status_email = proposal.author.notify_status_inapp = False
    proposal.author.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.cases_assign(
            proposals=[proposal],
            lead_department=DepartmentFactory(),
            due_on=None,
            actor=coordination_office_user(),
        )
    assert not [message for message in mail.outbox if message.to == [proposal.author.email]]
    assert not Notification.objects.filter(recipient=proposal.author).exists()
