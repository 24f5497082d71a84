"""Supports and priority points: phases, roles, refusals, counters, concurrency on PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import (
    PriorityAllocation,
    PriorityBudget,
    Proposal,
    ProposalStatus,
    Support,
)
from consultations.proposals.services import priority_points_set, support_add, support_remove
from tests.consultations.factories import (
    HandlungsfeldFactory,
    ProposalFactory,
    ResidentFactory,
    UserFactory,
    coordination_office_user,
    open_consultation,
)


def support_url(proposal):
    return reverse("consultations:proposal_support", args=[proposal.consultation.slug, proposal.pk])


def points_url(proposal):
    return reverse("consultations:proposal_points", args=[proposal.consultation.slug, proposal.pk])


@pytest.mark.django_db
class TestSupportingThroughTheSite:
    def test_visitor_is_sent_to_sign_in(self, client):
        proposal = ProposalFactory(consultation=open_consultation())
        response = client.post(support_url(proposal))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
        assert not Support.objects.exists()

    def test_unverified_user_is_refused_with_a_message(self, client):
        proposal = ProposalFactory(consultation=open_consultation())
        client.force_login(UserFactory())
        response = client.post("/en" + support_url(proposal), follow=True)
        assert "confirm your e-mail address" in response.content.decode()
        assert not Support.objects.exists()

    def test_blocked_user_is_refused(self, client):
        proposal = ProposalFactory(consultation=open_consultation())
        client.force_login(ResidentFactory(blocked_at=timezone.now()))
        client.post(support_url(proposal))
        assert not Support.objects.exists()

    @pytest.mark.parametrize("who", ["resident", "coordination office"])
    def test_support_and_withdraw_it(self, client, who):
        proposal = ProposalFactory(consultation=open_consultation())
        client.force_login(ResidentFactory() if who == "resident" else coordination_office_user())

        client.post(support_url(proposal))
        client.post(support_url(proposal))  # a second click changes nothing
        proposal.refresh_from_db()
        assert proposal.support_count == 1 and Support.objects.count() == 1

        client.post(support_url(proposal), {"action": "remove"})
        proposal.refresh_from_db()
        assert proposal.support_count == 0 and not Support.objects.exists()

    def test_htmx_gets_the_updated_support_box(self, client):
        proposal = ProposalFactory(consultation=open_consultation())
        client.force_login(ResidentFactory())
        response = client.post(support_url(proposal), HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert 'id="support"' in html and "<strong>1</strong>" in html
        assert 'name="action" value="remove"' in html  # the box now offers to withdraw

        removed = client.post(
            support_url(proposal), {"action": "remove"}, HTTP_HX_REQUEST="true"
        ).content.decode()
        assert "<strong>0</strong>" in removed and 'name="action" value="add"' in removed
        proposal.refresh_from_db()
        assert proposal.support_count == 0

    def test_htmx_support_box_shows_a_refusal_in_place_and_stays_lean(
        self, client, django_assert_max_num_queries
    ):
        proposal = ProposalFactory(consultation=open_consultation(), is_locked=True)
        client.force_login(ResidentFactory())
        client.get("/")  # session and language settled before counting
        # user, proposal, verified e-mail, phases, the box's fresh counter, supported ids
        # (the session comes from the cache), not the whole detail page's context
        with django_assert_max_num_queries(6):
            response = client.post("/en" + support_url(proposal), HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200 and "locked by the moderation" in html
        assert "<strong>0</strong>" in html and "Support this proposal" not in html
        assert not Support.objects.exists()

    def test_support_post_loads_the_proposal_with_its_consultation_in_one_query(
        self, client, django_assert_max_num_queries
    ):
        proposal = ProposalFactory(consultation=open_consultation())
        client.force_login(ResidentFactory())
        client.get("/")  # session and language settled before counting
        with django_assert_max_num_queries(12) as captured:
            response = client.post(support_url(proposal))
        assert response.status_code == 302
        assert Support.objects.filter(proposal=proposal).count() == 1
        proposal_table = Proposal._meta.db_table
        consultation_table = proposal.consultation._meta.db_table
        reads = [
            query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")
        ]
        proposal_reads = [sql for sql in reads if f'FROM "{proposal_table}"' in sql]
        assert len(proposal_reads) == 1, proposal_reads
        assert f'JOIN "{consultation_table}"' in proposal_reads[0]
        assert not [sql for sql in reads if f'FROM "{consultation_table}"' in sql]

    @pytest.mark.parametrize(
        ("attributes", "message"),
        [
            ({"status": ProposalStatus.WITHDRAWN}, "withdrawn by its author"),
            ({"status": ProposalStatus.MERGED}, "merged into another one"),
            ({"is_locked": True}, "locked by the moderation"),
        ],
    )
    def test_closed_proposals_refuse_supports_with_a_message(self, client, attributes, message):
        proposal = ProposalFactory(consultation=open_consultation(), **attributes)
        client.force_login(ResidentFactory())
        response = client.post("/en" + support_url(proposal), follow=True)
        assert message in response.content.decode()
        assert not Support.objects.exists()

    def test_hidden_proposal_answers_404_to_the_public(self, client):
        proposal = ProposalFactory(consultation=open_consultation(), is_hidden=True)
        client.force_login(ResidentFactory())
        assert client.post(support_url(proposal)).status_code == 404
        assert not Support.objects.exists()

    def test_closed_phase_refuses_with_the_opening_date(self, client):
        consultation = open_consultation(allows_supports=False)
        consultation.phases.create(
            kind="assessment",
            title="Abstimmung",
            starts_at=timezone.now() + timedelta(days=40),
            allows_supports=True,
        )
        proposal = ProposalFactory(consultation=consultation)
        client.force_login(ResidentFactory())
        response = client.post("/en" + support_url(proposal), follow=True)
        assert "Supporting opens with the phase “Abstimmung”" in response.content.decode()
        assert not Support.objects.exists()

    def test_withdrawing_a_support_after_the_phase_is_refused(self):
        consultation = open_consultation()
        proposal = ProposalFactory(consultation=consultation)
        user = ResidentFactory()
        support_add(proposal=proposal, user=user)
        for phase in consultation.phases.all():  # through save(), as the admin does
            phase.allows_supports = False
            phase.save()
        with pytest.raises(ValidationError):
            support_remove(proposal=proposal, user=user)
        assert Support.objects.count() == 1


@pytest.mark.django_db
class TestPriorityPoints:
    @pytest.fixture(autouse=True)
    def _english_messages(self):
        with translation.override("en"):
            yield

    def setup_proposals(self, n=3, points=5):
        consultation = open_consultation(priority_points=points)
        field = HandlungsfeldFactory()
        return [ProposalFactory(consultation=consultation, handlungsfeld=field) for _ in range(n)]

    def test_points_within_the_budget_of_a_field(self):
        a, b, c = self.setup_proposals()
        user = ResidentFactory()
        priority_points_set(proposal=a, user=user, points=3)
        priority_points_set(proposal=b, user=user, points=2)
        with pytest.raises(ValidationError, match="enough points"):
            priority_points_set(proposal=c, user=user, points=1)
        priority_points_set(proposal=a, user=user, points=1)  # take two back
        priority_points_set(proposal=c, user=user, points=2)
        a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
        assert (a.points_total, b.points_total, c.points_total) == (1, 2, 2)
        assert PriorityBudget.objects.get(user=user).spent == 5
        priority_points_set(proposal=a, user=user, points=0)
        assert not PriorityAllocation.objects.filter(proposal=a).exists()
        assert PriorityBudget.objects.get(user=user).spent == 4

    def test_each_field_has_its_own_budget(self):
        (a,) = self.setup_proposals(n=1, points=2)
        other = ProposalFactory(consultation=a.consultation, handlungsfeld=HandlungsfeldFactory())
        user = ResidentFactory()
        priority_points_set(proposal=a, user=user, points=2)
        priority_points_set(proposal=other, user=user, points=2)
        assert PriorityBudget.objects.filter(user=user).count() == 2

    def test_phase_without_points_refuses(self):
        proposal = ProposalFactory(consultation=open_consultation(priority_points=0))
        with pytest.raises(ValidationError, match="cannot be given"):
            priority_points_set(proposal=proposal, user=ResidentFactory(), points=1)

    def test_database_refuses_overspending_and_non_positive_points(self):
        (a,) = self.setup_proposals(n=1, points=2)
        user = ResidentFactory()
        budget = PriorityBudget.objects.create(
            user=user, consultation=a.consultation, handlungsfeld=a.handlungsfeld, budget=2
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            PriorityBudget.objects.filter(pk=budget.pk).update(spent=3)
        with pytest.raises(IntegrityError), transaction.atomic():
            PriorityAllocation.objects.create(
                user=user, proposal=a, handlungsfeld=a.handlungsfeld, points=0
            )

    def test_points_form_bad_input_keeps_the_value_and_explains(self, client):
        (a,) = self.setup_proposals(n=1, points=5)
        client.force_login(ResidentFactory())
        too_many = client.post(points_url(a), {"points": "9"})
        not_a_number = client.post(points_url(a), {"points": "viele"})
        assert too_many.status_code == 400 and "enough points" in too_many.content.decode()
        assert 'value="9"' in too_many.content.decode()
        assert not_a_number.status_code == 400 and "whole number" in not_a_number.content.decode()
        client.post(points_url(a), {"points": "4"})
        a.refresh_from_db()
        assert a.points_total == 4

    def test_visitor_and_unverified_user_cannot_give_points(self, client):
        (a,) = self.setup_proposals(n=1)
        assert client.post(points_url(a), {"points": "1"}).status_code == 302
        client.force_login(UserFactory())
        client.post(points_url(a), {"points": "1"})
        assert not PriorityAllocation.objects.exists()


# --- Concurrency: PostgreSQL only, real connections per thread --------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.mark.django_db
def test_points_refusal_names_the_points_left_in_german_singular_and_plural(client):
    consultation = open_consultation(priority_points=5)
    field = HandlungsfeldFactory()
    a, b = (ProposalFactory(consultation=consultation, handlungsfeld=field) for _ in range(2))
    client.force_login(ResidentFactory())
    client.post(points_url(a), {"points": "4"})
    one_left = client.post(points_url(b), {"points": "3"}).content.decode()
    assert "1 von 5 Punkten ist noch übrig" in one_left
    client.post(points_url(a), {"points": "2"})
    three_left = client.post(points_url(b), {"points": "4"}).content.decode()
    assert "3 von 5 Punkten sind noch übrig" in three_left


def run_at_once(count, action):
    barrier = threading.Barrier(count)
    errors = []

    def worker(index):
        try:
            barrier.wait(timeout=30)
            action(index)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_people_supporting_at_once_count_exactly_fifty():
    proposal = ProposalFactory(consultation=open_consultation())
    users = ResidentFactory.create_batch(50)

    errors = run_at_once(
        50, lambda i: support_add(proposal=Proposal.objects.get(pk=proposal.pk), user=users[i])
    )

    assert errors == []
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == 50
    assert proposal.support_count == 50


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_person_supporting_twenty_times_at_once_counts_once():
    proposal = ProposalFactory(consultation=open_consultation())
    user = ResidentFactory()

    errors = run_at_once(
        20, lambda i: support_add(proposal=Proposal.objects.get(pk=proposal.pk), user=user)
    )

    assert errors == []
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == 1
    assert proposal.support_count == 1


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_points_never_exceed_the_budget():
    consultation = open_consultation(priority_points=5)
    field = HandlungsfeldFactory()
    proposals = ProposalFactory.create_batch(10, consultation=consultation, handlungsfeld=field)
    user = ResidentFactory()

    def give(i):
        # "Not enough points left" is the expected answer for five of them.
        with contextlib.suppress(ValidationError):
            priority_points_set(
                proposal=Proposal.objects.get(pk=proposals[i].pk), user=user, points=1
            )

    errors = run_at_once(10, give)

    assert errors == []
    assert PriorityAllocation.objects.filter(user=user).count() == 5
    assert PriorityBudget.objects.get(user=user).spent == 5
    assert (
        sum(
            Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list(
                "points_total", flat=True
            )
        )
        == 5
    )
