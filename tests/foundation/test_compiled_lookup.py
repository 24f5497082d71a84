"""foundation.db.CompiledLookup and the backends that load the signed-in user with it.

Runs on SQLite in `make test` and on PostgreSQL in the services run of CI.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.models import Proposal
from foundation.db import CompiledLookup
from foundation.models import User
from tests.consultations.factories import ProposalFactory
from tests.foundation.factories import ResidentFactory

pytestmark = pytest.mark.django_db

by_pk_and_slug = CompiledLookup(
    lambda pk, slug: Proposal.objects.select_related("consultation").filter(pk=pk, consultation__slug=slug),
    pk=int,
    slug=str,
)


def _fields(instance) -> dict:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


def test_lookup_gives_the_same_object_as_the_orm(django_assert_num_queries):
    proposal = ProposalFactory()
    expected = Proposal.objects.select_related("consultation").get(pk=proposal.pk)

    with django_assert_num_queries(1):
        found = by_pk_and_slug.lookup(pk=proposal.pk, slug=proposal.consultation.slug)
        # select_related: the consultation came with the row, no second query.
        consultation = found.consultation

    assert _fields(found) == _fields(expected)
    assert _fields(consultation) == _fields(expected.consultation)
    assert found.created_at == expected.created_at  # converted like the ORM (a datetime on SQLite too)
    assert found._state.adding is False and found._state.db == "default"
    # A real model instance: it saves and refreshes like one.
    found.title = "Changed through the compiled lookup"
    found.save(update_fields=["title"])
    assert Proposal.objects.get(pk=proposal.pk).title == "Changed through the compiled lookup"


def test_lookup_uses_each_calls_values():
    first, second = ProposalFactory(), ProposalFactory()
    assert by_pk_and_slug.lookup(pk=first.pk, slug=first.consultation.slug).pk == first.pk
    assert by_pk_and_slug.lookup(pk=second.pk, slug=second.consultation.slug).pk == second.pk
    # Strings from a URL are converted to the declared type.
    assert by_pk_and_slug.lookup(pk=str(second.pk), slug=second.consultation.slug).pk == second.pk


def test_lookup_returns_none_when_nothing_matches():
    proposal = ProposalFactory()
    other = ProposalFactory()
    assert by_pk_and_slug.lookup(pk=proposal.pk, slug="no-such-consultation") is None
    # Both filters count: the right id under another consultation's slug is no match.
    if other.consultation.slug != proposal.consultation.slug:
        assert by_pk_and_slug.lookup(pk=proposal.pk, slug=other.consultation.slug) is None
    assert by_pk_and_slug.lookup(pk=proposal.pk + 10_000, slug=proposal.consultation.slug) is None


def test_a_parameter_the_sql_transforms_is_refused():
    ProposalFactory()
    startswith = CompiledLookup(lambda title: Proposal.objects.filter(title__startswith=title), title=str)
    with pytest.raises(ValueError, match="did not reach the SQL unchanged"):
        startswith.lookup(title="A")


def test_only_int_and_str_parameters():
    with pytest.raises(TypeError):
        CompiledLookup(lambda when: Proposal.objects.filter(created_at=when), when=float)


def test_signed_in_user_is_loaded_and_an_inactive_one_is_signed_out(client):
    user = ResidentFactory()
    client.force_login(user)
    page = client.get(reverse("foundation:profile"))
    assert page.status_code == 200
    assert page.context["user"].pk == user.pk

    User.objects.filter(pk=user.pk).update(is_active=False)
    page = client.get(reverse("foundation:profile"))
    assert page.status_code == 302
    assert reverse("account_login") in page["Location"]


def test_password_change_elsewhere_ends_the_session(client):
    """The session hash check still runs on the user the compiled lookup loaded."""
    user = ResidentFactory()
    client.force_login(user)
    assert client.get(reverse("foundation:profile")).status_code == 200
    user.set_password("an entirely new secret 42")
    user.save()
    assert client.get(reverse("foundation:profile")).status_code == 302
