"""The one blocking rule (foundation.services): who may block and unblock accounts, which
accounts cannot be blocked, and what a block does. The admin and the moderation both call it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import translation

from foundation.actors import SYSTEM
from foundation.models import User
from foundation.roles import Role
from foundation.rules import participation_refusal
from foundation.services import (
    account_block,
    account_blocked,
    account_unblock,
    block_refusal,
    may_block_accounts,
)
from tests.foundation.factories import ResidentFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ONLY_OFFICE = "Only the coordination office may block accounts."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def blocked_signals():
    """The announcements a receiver gets that listens, as documented, to User accounts only."""
    received = []

    def receiver(sender, user, **kwargs):
        received.append(user.pk)

    account_blocked.connect(receiver, sender=User)
    yield received
    account_blocked.disconnect(receiver, sender=User)


def account_manager():
    """Not in the coordination office, but allowed to change accounts in the admin."""
    person = ResidentFactory()
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="foundation", codename="change_user")
    )
    return type(person).objects.get(pk=person.pk)  # fresh: no cached permissions


def test_the_coordination_office_blocks_a_resident_with_the_reason(blocked_signals):
    office = user_with_role(Role.COORDINATION)
    resident = ResidentFactory()

    account_block(actor=office, user=resident, reason="  Beleidigungen im Forum  ")

    resident.refresh_from_db()
    assert resident.blocked_at is not None
    assert resident.blocked_reason == "Beleidigungen im Forum"
    assert participation_refusal(resident) is not None
    assert blocked_signals == [resident.pk]


def test_blocking_twice_keeps_the_first_block_and_announces_it_once(blocked_signals):
    office = user_with_role(Role.COORDINATION)
    resident = ResidentFactory()
    account_block(actor=office, user=resident, reason="erster Grund")
    first = type(resident).objects.get(pk=resident.pk).blocked_at

    again = account_block(actor=office, user=resident, reason="zweiter Grund")

    assert again.blocked_at == first
    assert again.blocked_reason == "erster Grund"
    assert blocked_signals == [resident.pk]


def test_a_reason_is_required():
    with pytest.raises(ValidationError) as refused:
        account_block(actor=user_with_role(Role.COORDINATION), user=ResidentFactory(), reason=" ")

    assert refused.value.message_dict == {
        "reason": ["Please give a reason for blocking the account."]
    }


def test_whoever_may_change_accounts_in_the_admin_may_block():
    manager = account_manager()
    resident = ResidentFactory()

    assert may_block_accounts(manager)
    account_block(actor=manager, user=resident, reason="Spam")

    resident.refresh_from_db()
    assert resident.blocked_at is not None


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("self", "You cannot block your own account."),
        ("admin", "Administrator accounts cannot be blocked."),
        (
            "office",
            "Members of the coordination office cannot be blocked here; remove their role in the admin first.",
        ),
    ],
)
def test_accounts_that_cannot_be_blocked(target, reason):
    office = user_with_role(Role.COORDINATION)
    user = {
        "self": office,
        "admin": UserFactory(is_superuser=True),
        "office": user_with_role(Role.COORDINATION),
    }[target]

    assert block_refusal(actor=office, user=user) == reason
    with pytest.raises(ValidationError) as refused:
        account_block(actor=office, user=user, reason="Test")
    assert refused.value.messages == [reason]
    assert refused.value.code == "not_allowed"
    user.refresh_from_db()
    assert user.blocked_at is None


def test_a_resident_may_neither_block_nor_unblock():
    resident, other = ResidentFactory(), ResidentFactory()
    account_block(actor=SYSTEM, user=other, reason="Spam")

    assert not may_block_accounts(resident)
    assert block_refusal(actor=resident, user=other) == ONLY_OFFICE
    with pytest.raises(ValidationError) as refused:
        account_unblock(actor=resident, user=other)
    assert refused.value.messages == [ONLY_OFFICE]
    assert refused.value.code == "not_allowed"
    other.refresh_from_db()
    assert other.blocked_at is not None


def test_the_platform_itself_blocks_and_unblocks_without_a_role():
    resident = ResidentFactory()
    account_block(actor=SYSTEM, user=resident, reason="Automatisch erkannt")
    assert resident.blocked_at is not None

    account_unblock(actor=SYSTEM, user=resident)

    resident.refresh_from_db()
    assert resident.blocked_at is None
    assert resident.blocked_reason == ""
    assert participation_refusal(resident) is None


def test_unblocking_lets_the_person_take_part_again():
    office = user_with_role(Role.COORDINATION)
    resident = ResidentFactory()
    account_block(actor=office, user=resident, reason="Spam")

    unblocked = account_unblock(actor=office, user=resident)

    assert unblocked.blocked_at is None and unblocked.blocked_reason == ""
    assert participation_refusal(type(resident).objects.get(pk=resident.pk)) is None
