"""Who may take part at all (foundation.rules): the one rule behind posting, proposing,
supporting, flagging and registering, with the reason a person is shown when refused."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from foundation.rules import ensure_may_take_part, participation_refusal
from tests.foundation.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "Please sign in to take part."
BLOCKED = "Your account is blocked. You cannot take part at the moment."
CONFIRM = "Please confirm your e-mail address first. Then you can take part."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_verified_resident_may_take_part():
    resident = ResidentFactory()

    assert participation_refusal(resident) is None
    ensure_may_take_part(resident)  # no refusal
    assert resident.has_perm("foundation.take_part")


def test_a_visitor_is_asked_to_sign_in():
    assert participation_refusal(AnonymousUser()) == SIGN_IN
    assert participation_refusal(None) == SIGN_IN


def test_a_blocked_account_is_told_so_even_with_a_verified_address():
    resident = ResidentFactory(blocked_at=timezone.now())

    assert participation_refusal(resident) == BLOCKED
    assert not resident.has_perm("foundation.take_part")


def test_an_unverified_address_must_be_confirmed_first():
    person = UserFactory()
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    assert participation_refusal(person) == CONFIRM


def test_a_deactivated_account_may_not_take_part():
    assert participation_refusal(ResidentFactory(is_active=False)) is not None


def test_an_administrator_needs_no_confirmed_address():
    assert participation_refusal(UserFactory(is_superuser=True)) is None


def test_the_service_check_raises_the_reason_as_a_not_allowed_error():
    with pytest.raises(ValidationError) as refused:
        ensure_may_take_part(ResidentFactory(blocked_at=timezone.now()))

    assert refused.value.messages == [BLOCKED]
    assert refused.value.code == "not_allowed"
