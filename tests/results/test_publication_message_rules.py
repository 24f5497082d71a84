"""What the authors and supporters of a published proposal are told (results.services.
notify_publication): the author and a supporter each their own German title, the assessment and
its public rationale; every active person once, none who left."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Support
from consultations.results import services
from consultations.results.models import PublicationNotice
from foundation.models import Notification, OutboxMessage
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


def _people(proposal, supporters: int) -> None:
    for _ in range(supporters):
        support(proposal, UserFactory())


def _queries_of_a_run(proposal) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as run:
        sent = services.notify_publication(proposal_id=proposal.pk)
    return sent, len(run.captured_queries)


def test_a_second_run_tells_nobody_again_and_does_no_work_per_person():
    few, many = ProposalFactory(), ProposalFactory()
    _people(few, 1)
    _people(many, 5)
    assert [_queries_of_a_run(p)[0] for p in (few, many)] == [2, 6]

    (few_sent, few_queries), (many_sent, many_queries) = map(_queries_of_a_run, (few, many))

    assert (few_sent, many_sent) == (0, 0)
    assert many_queries == few_queries  # those already told are left out before any insert
    assert Notification.objects.filter(kind="proposal_result").count() == 8


def test_the_first_run_costs_the_same_for_each_further_person():
    proposals = [ProposalFactory() for _ in range(3)]
    for supporters, proposal in enumerate(proposals):
        _people(proposal, supporters)

    runs = [_queries_of_a_run(p) for p in proposals]

    assert [sent for sent, _queries in runs] == [1, 2, 3]
    one, two, three = (queries for _sent, queries in runs)
    assert three - two == two - one


def test_more_than_five_hundred_people_are_each_told_once():
    proposal = ProposalFactory()
    # Read in batches of 500; these supporters want neither notices nor mails (a quicker test),
    # so who was told is the record of the publication notices.
    supporters = UserFactory.create_batch(500, notify_status_inapp=False, notify_status_email=False)
    Support.objects.bulk_create(Support(proposal=proposal, user=user) for user in supporters)

    assert services.notify_publication(proposal_id=proposal.pk) == 501

    told = PublicationNotice.objects.filter(proposal=proposal).values_list("user", flat=True)
    assert sorted(told) == sorted([proposal.author_id, *(user.pk for user in supporters)])


def test_a_proposal_without_an_assessment_is_announced_by_its_title_alone():
    proposal = ProposalFactory(title="Kurse am Abend", author=UserFactory(language="de"))

    assert services.notify_publication(proposal_id=proposal.pk) == 1

    notice = Notification.objects.get(recipient=proposal.author, kind="proposal_result")
    assert notice.title == "Das Ergebnis zu Ihrem Vorschlag „Kurse am Abend“ wurde veröffentlicht"
    assert notice.body == ""


def test_each_person_gets_the_mail_of_a_publication_at_most_once_whoever_queues_it():
    proposal = ProposalFactory(author=UserFactory(notify_status_email=True))
    supporter = UserFactory(notify_status_email=True)
    support(proposal, supporter)

    services.notify_publication(proposal_id=proposal.pk)

    keys = OutboxMessage.objects.values_list("dedupe_key", flat=True)
    assert sorted(keys) == sorted(
        f"results-published:{proposal.pk}:{user.pk}" for user in (proposal.author, supporter)
    )
