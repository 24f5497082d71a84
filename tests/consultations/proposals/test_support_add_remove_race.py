"""Adding and withdrawing a support in parallel requests never answers 500.

The race (issue 14: `Support.DoesNotExist` in about 2 % of requests): the insert finds the
support already there, but a parallel withdrawal deletes it before it is read back.
"""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from consultations.models import Proposal, Support
from consultations.proposals import services
from tests.consultations.factories import ProposalFactory, ResidentFactory, open_consultation


def support_url(proposal):
    return reverse("consultations:proposal_support", args=[proposal.consultation.slug, proposal.pk])


def assert_counter_matches(proposal):
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count()


@pytest.mark.django_db
def test_a_support_withdrawn_between_the_conflict_and_the_read_is_added_again():
    """Deterministic: the withdrawal is made to happen exactly inside support_add, between
    the insert that met the existing support and the read that follows it."""
    proposal = ProposalFactory(consultation=open_consultation())
    user = ResidentFactory()
    services.support_add(proposal=proposal, user=user)
    state = {"conflict_seen": False, "withdrawn": False}

    def withdraw_in_between(execute, sql, params, many, context):
        if (
            state["conflict_seen"]
            and not state["withdrawn"]
            and sql.lstrip().upper().startswith("SELECT")
            and Support._meta.db_table in sql
        ):
            state["withdrawn"] = True  # a parallel request of the same person withdraws now
            services.support_remove(proposal=Proposal.objects.get(pk=proposal.pk), user=user)
        try:
            result = execute(sql, params, many, context)
        except Exception:
            if "INSERT" in sql.upper() and Support._meta.db_table in sql:
                state["conflict_seen"] = True
            raise
        if (
            "INSERT" in sql.upper()
            and Support._meta.db_table in sql
            and "ON CONFLICT" in sql.upper()
        ):
            state["conflict_seen"] = True  # PostgreSQL: DO NOTHING, no error
        return result

    with connection.execute_wrapper(withdraw_in_between):
        support, created = services.support_add(
            proposal=Proposal.objects.get(pk=proposal.pk), user=user
        )

    assert state == {"conflict_seen": True, "withdrawn": True}
    assert created is True
    assert Support.objects.filter(pk=support.pk, proposal=proposal, user=user).exists()
    assert_counter_matches(proposal)


@pytest.mark.django_db
def test_adding_and_withdrawing_by_turns_keeps_the_counter(client):
    proposal = ProposalFactory(consultation=open_consultation())
    client.force_login(ResidentFactory())
    for round_ in range(10):
        action = "remove" if round_ % 3 == 2 else "add"
        assert client.post(support_url(proposal), {"action": action}).status_code == 302
        assert_counter_matches(proposal)


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_person_adding_and_withdrawing_in_parallel_never_gets_a_500():
    proposal = ProposalFactory(consultation=open_consultation())
    user = ResidentFactory()
    url = support_url(proposal)
    rounds, threads_per_action = 40, 3
    statuses: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_per_action * 2)

    def worker(action: str) -> None:
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            for _round in range(rounds):
                statuses.append(client.post(url, {"action": action}).status_code)
        except BaseException as exc:  # the view's exception, re-raised by the test client
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(action,))
        for action in ["add", "remove"] * threads_per_action
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    print(f"support race: {len(statuses)} requests, {len(errors)} errors")
    assert errors == []
    assert len(statuses) == rounds * threads_per_action * 2
    assert set(statuses) == {302}
    assert_counter_matches(proposal)
    assert Support.objects.filter(proposal=proposal).count() <= 1
