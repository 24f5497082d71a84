"""The account actions of the Django admin (/django-admin/) report their counts in German."""

from __future__ import annotations

import pytest

from foundation.models import User

from .factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

USERS = "/django-admin/foundation/user/"


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    client.force_login(admin)
    client.admin = admin
    return client


def run_action(client, action: str, users) -> list[str]:
    response = client.post(
        USERS,
        {"action": action, "_selected_action": [user.pk for user in users], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "1 Konto gesperrt."), (2, "2 Konten gesperrt.")]
)
def test_blocking_accounts_reports_the_number_in_german(admin_client, number, expected):
    residents = ResidentFactory.create_batch(number)

    messages = run_action(admin_client, "block_accounts", residents)

    assert messages == [expected]
    assert User.objects.filter(blocked_at__isnull=False).count() == number


def test_an_account_that_cannot_be_blocked_is_named_with_the_reason(admin_client):
    resident = ResidentFactory()

    messages = run_action(admin_client, "block_accounts", [resident, admin_client.admin])

    assert messages == [
        "admin@example.org wurde nicht gesperrt: Sie können Ihr eigenes Konto nicht sperren.",
        "1 Konto gesperrt.",
    ]


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "1 Konto entsperrt."), (3, "3 Konten entsperrt.")]
)
def test_unblocking_accounts_reports_the_number_in_german(admin_client, number, expected):
    residents = ResidentFactory.create_batch(number)
    run_action(admin_client, "block_accounts", residents)

    messages = run_action(admin_client, "unblock_accounts", residents)

    assert messages == [expected]
    assert not User.objects.filter(blocked_at__isnull=False).exists()
