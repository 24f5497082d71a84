"""Deleting an account anonymises it (foundation.services.account_delete): every personal
field and every grant is gone, nobody can sign in to it, and doing it twice changes nothing."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from foundation.models import DepartmentMembership, Notification, User
from foundation.roles import Role, ensure_roles
from foundation.services import account_delete, account_deleted
from tests.foundation.factories import (
    DepartmentMembershipFactory,
    MunicipalityFactory,
    NotificationFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted_signals():
    received = []

    def receiver(sender, user, **kwargs):
        received.append((sender, user.pk, user.deleted_at))

    account_deleted.connect(receiver)
    yield received
    account_deleted.disconnect(receiver)


def a_full_account() -> User:
    person = ResidentFactory(
        first_name="Aylin",
        last_name="Kaya",
        display_name="Aylin K.",
        municipality=MunicipalityFactory(),
        language="tr",
        notify_comments_inapp=True,
        notify_comments_email=True,
        notify_status_inapp=True,
        notify_status_email=True,
        blocked_reason="alt",
        is_staff=True,
        is_superuser=True,
    )
    person.groups.add(ensure_roles()[Role.EDITOR])
    person.user_permissions.add(Permission.objects.get(codename="change_user"))
    DepartmentMembershipFactory(user=person)
    NotificationFactory(recipient=person)
    UserProfile.get_for_user(person)
    return person


def test_every_personal_field_and_every_grant_is_removed(deleted_signals):
    person = a_full_account()

    account_delete(user=person)

    gone = User.objects.get(pk=person.pk)
    assert gone.username == f"deleted-{person.pk}"
    assert gone.email == f"deleted-{person.pk}@deleted.invalid"
    assert (gone.first_name, gone.last_name, gone.display_name) == ("", "", "")
    assert gone.municipality is None and gone.language == "" and gone.blocked_reason == ""
    assert not any(
        [
            gone.notify_comments_inapp,
            gone.notify_comments_email,
            gone.notify_status_inapp,
            gone.notify_status_email,
        ]
    )
    assert not (gone.is_active or gone.is_staff or gone.is_superuser)
    assert gone.deleted_at is not None and not gone.has_usable_password()
    assert not gone.groups.exists() and not gone.user_permissions.exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert not DepartmentMembership.objects.filter(user=person).exists()
    assert not UserProfile.objects.filter(user=person).exists()
    assert gone.public_name == "Gelöschtes Konto" or gone.public_name == "Deleted account"
    # Announced once, before the data goes, to whoever keeps personal data of their own.
    assert deleted_signals == [(User, person.pk, None)]


def test_deleting_twice_keeps_the_first_deletion(deleted_signals):
    person = ResidentFactory()
    first = account_delete(user=person).deleted_at

    assert account_delete(user=person).deleted_at == first
    assert len(deleted_signals) == 1


def test_the_address_is_free_for_a_new_account():
    person = ResidentFactory(email="aylin@example.org")

    account_delete(user=person)

    assert not EmailAddress.objects.filter(email="aylin@example.org").exists()
    ResidentFactory(email="aylin@example.org")  # no clash
