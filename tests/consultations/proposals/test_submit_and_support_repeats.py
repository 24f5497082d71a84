"""Repeats of the same act: a second support, a double submit that meets the first one only at
the insert (a parallel request), a support that keeps vanishing, and what the author of a new
proposal hears of it (nothing: they wrote it) and follows (it, as "took part").

The parallel request is made to happen at exactly the right statement with
`connection.execute_wrapper`, so that these run deterministically on the embedded SQLite too.
"""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from consultations.models import Proposal, Support
from consultations.proposals import services
from consultations.proposals.services import ProposalData
from foundation import following
from foundation.models import NewsFrequency
from tests.consultations.factories import (
    HandlungsfeldFactory,
    ProposalFactory,
    ResidentFactory,
    open_consultation,
)

pytestmark = pytest.mark.django_db


def touches(sql: str, model, verb: str) -> bool:
    return sql.lstrip().upper().startswith(verb) and model._meta.db_table in sql


# --- Supports ------------------------------------------------------------------------------------


def test_a_second_support_returns_the_first_and_counts_once():
    consultation = open_consultation()
    proposal, other = ProposalFactory.create_batch(2, consultation=consultation)
    resident, neighbour = ResidentFactory.create_batch(2)
    services.support_add(proposal=other, user=resident)  # the same person, another proposal
    services.support_add(proposal=proposal, user=neighbour)  # another person, this proposal
    first, created = services.support_add(proposal=proposal, user=resident)
    assert created is True

    again, created_again = services.support_add(
        proposal=Proposal.objects.get(pk=proposal.pk), user=resident
    )

    assert created_again is False
    assert again.pk == first.pk
    assert (again.proposal_id, again.user_id) == (proposal.pk, resident.pk)
    proposal.refresh_from_db()
    assert proposal.support_count == 2 == Support.objects.filter(proposal=proposal).count()


def test_a_support_withdrawn_at_every_attempt_is_refused_with_a_message_not_an_error():
    """Each time the insert meets the support, a parallel request withdraws it before it is
    read: after the last attempt the person is asked to try again."""
    proposal = ProposalFactory(consultation=open_consultation())
    resident = ResidentFactory()
    services.support_add(proposal=proposal, user=resident)
    state = {"conflict": False, "withdrawals": 0, "busy": False}

    def withdraw_before_each_read(execute, sql, params, many, context):
        if state["busy"]:  # the parallel request's own statements
            return execute(sql, params, many, context)
        if state["conflict"] and touches(sql, Support, "SELECT"):
            state.update(conflict=False, busy=True)
            state["withdrawals"] += 1
            Support.objects.filter(proposal=proposal, user=resident).delete()
            result = execute(sql, params, many, context)
            Support.objects.create(proposal=proposal, user=resident)  # and supports again
            state["busy"] = False
            return result
        try:
            return execute(sql, params, many, context)
        finally:
            if touches(sql, Support, "INSERT") or "ON CONFLICT" in sql.upper():
                state["conflict"] = True

    with (
        translation.override("de"),
        connection.execute_wrapper(withdraw_before_each_read),
        pytest.raises(ValidationError) as refused,
    ):
        services.support_add(proposal=Proposal.objects.get(pk=proposal.pk), user=resident)

    assert state["withdrawals"] == services.SUPPORT_RACE_ATTEMPTS
    assert refused.value.code == "race"
    assert refused.value.messages == [
        "Ihre Unterstützung konnte gerade nicht gespeichert werden. Bitte versuchen Sie es "
        "noch einmal."
    ]


# --- Submitting ----------------------------------------------------------------------------------


def proposal_data(field, title="Sprachcafés in jeder Gemeinde") -> ProposalData:
    return ProposalData(
        kind="measure",
        title=title,
        body="Einmal die Woche, offen für alle.",
        handlungsfeld=field,
        is_region_wide=True,
    )


def test_a_double_submit_that_meets_the_first_only_at_the_insert_returns_the_first():
    """The first POST's row is saved, but the second POST's check runs before it can see it
    (its own snapshot): the unique token then refuses the insert, and the person gets the
    first proposal, once."""
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    author = ResidentFactory()
    token = uuid.uuid4()
    first = ProposalFactory(
        consultation=consultation, author=author, handlungsfeld=field, submission_token=token
    )
    state = {"checks_blinded": 0}

    def check_sees_nothing_yet(execute, sql, params, many, context):
        ours = (token, token.hex, str(token))
        blind = touches(sql, Proposal, "SELECT") and any(value in ours for value in params)
        if blind and not state["checks_blinded"]:
            state["checks_blinded"] += 1  # the row is not visible to this check yet
            params = [uuid.uuid4().hex if value in ours else value for value in params]
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check_sees_nothing_yet):
        proposal, created = services.proposal_submit(
            consultation=consultation,
            author=author,
            data=proposal_data(field),
            submission_token=token,
        )

    assert state["checks_blinded"] == 1
    assert created is False
    assert proposal.pk == first.pk
    assert Proposal.objects.filter(consultation=consultation).count() == 1


def test_the_author_of_a_new_proposal_follows_it_as_took_part_and_hears_nothing_of_it(
    client, django_capture_on_commit_callbacks
):
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    consultation.handlungsfelder.add(field)
    author, watcher = ResidentFactory.create_batch(2)
    for person in (author, watcher):
        following.follow(user=person, target=consultation)
        following.set_frequencies(user=person, chosen={"consultations": NewsFrequency.IMMEDIATE})

    with django_capture_on_commit_callbacks(execute=True):
        proposal, created = services.proposal_submit(
            consultation=consultation, author=author, data=proposal_data(field)
        )

    assert created is True
    assert [m.to for m in mail.outbox] == [[watcher.email]]
    assert "Sprachcafés in jeder Gemeinde" in mail.outbox[0].subject
    client.force_login(author)
    with translation.override("en"):
        page = client.get(reverse("foundation:following")).content.decode()
    assert proposal.get_absolute_url() in page
    assert "took part" in page


# --- Proposals that take no supports say why ----------------------------------------------------

REFUSALS = {
    "withdrawn": "Dieser Vorschlag wurde zurückgezogen und kann nicht mehr unterstützt werden.",
    "merged": "Dieser Vorschlag wurde mit einem anderen zusammengeführt. Bitte unterstützen "
    "Sie stattdessen den anderen Vorschlag.",
    "hidden": "Dieser Vorschlag wurde von der Moderation ausgeblendet und kann nicht "
    "unterstützt werden.",
    "locked": "Dieser Vorschlag wurde von der Moderation gesperrt und kann nicht unterstützt "
    "werden.",
}


def proposal_that_is(condition: str) -> Proposal:
    consultation = open_consultation()
    if condition == "withdrawn":
        return ProposalFactory(consultation=consultation, status="withdrawn")
    if condition == "merged":
        standing = ProposalFactory(consultation=consultation)
        return ProposalFactory(consultation=consultation, status="merged", merged_into=standing)
    return ProposalFactory(consultation=consultation, **{f"is_{condition}": True})


@pytest.mark.parametrize("condition", list(REFUSALS))
def test_a_proposal_that_takes_no_supports_says_why_and_stores_none(condition):
    proposal = proposal_that_is(condition)

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.support_add(proposal=proposal, user=ResidentFactory())

    assert refused.value.messages == [REFUSALS[condition]]
    assert not Support.objects.filter(proposal=proposal).exists()
