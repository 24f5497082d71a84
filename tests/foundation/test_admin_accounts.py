"""Accounts in the Wagtail admin (/admin/users/): the list, the profile fields, blocking and
deleting, as an administrator, the coordination office and a resident get them."""

from __future__ import annotations

from html import unescape

import pytest

from foundation.models import DepartmentMembership, Notification, User
from foundation.roles import Role

from .admin_pages import assert_denied, shown_messages, text_of
from .factories import (
    DepartmentMembershipFactory,
    MunicipalityFactory,
    NotificationFactory,
    ResidentFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

USERS = "/admin/users/"


def bulk_url(action: str, users) -> str:
    ids = "&".join(f"id={user.pk}" for user in users)
    return f"/admin/bulk/foundation/user/{action}/?{ids}&next={USERS}"


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, email="admin@example.org")
    client.force_login(admin)
    client.admin = admin
    return client


def block(client, users, reason="Beleidigungen im Forum"):
    return client.post(bulk_url("block", users), {"reason": reason}, follow=True)


# --- Blocking ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "expected"), [(1, "1 Konto gesperrt."), (2, "2 Konten gesperrt.")]
)
def test_blocking_accounts_reports_the_number_in_german(admin_client, number, expected):
    residents = ResidentFactory.create_batch(number)

    response = block(admin_client, residents)

    assert response.redirect_chain[-1][0] == USERS
    assert shown_messages(response) == [expected]
    blocked = User.objects.filter(blocked_at__isnull=False)
    assert blocked.count() == number
    assert {user.blocked_reason for user in blocked} == {"Beleidigungen im Forum"}


def test_an_account_that_cannot_be_blocked_is_named_with_the_reason(admin_client):
    resident = ResidentFactory()

    response = block(admin_client, [resident, admin_client.admin])

    assert shown_messages(response) == [
        "admin@example.org wurde nicht gesperrt: Sie können Ihr eigenes Konto nicht sperren.",
        "1 Konto gesperrt.",
    ]


def test_blocking_asks_for_a_reason_and_blocks_nobody_without_one(admin_client):
    resident = ResidentFactory(email="laut@example.org")

    page = admin_client.get(bulk_url("block", [resident]))
    assert page.status_code == 200
    assert "laut@example.org" in text_of(page)
    assert 'name="reason"' in page.content.decode()

    response = block(admin_client, [resident], reason="")

    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.blocked_at is None


def test_a_blocked_account_shows_it_on_its_edit_page_and_can_be_unblocked_from_there(admin_client):
    resident = ResidentFactory()
    block(admin_client, [resident], reason="Werbung")

    page = admin_client.get(f"/admin/users/edit/{resident.pk}/")

    assert "Gesperrt seit" in text_of(page)
    assert "Werbung" in text_of(page)
    assert bulk_url("unblock", [resident]).split("&next")[0] in unescape(page.content.decode())


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "1 Konto entsperrt."), (3, "3 Konten entsperrt.")]
)
def test_unblocking_accounts_reports_the_number_in_german(admin_client, number, expected):
    residents = ResidentFactory.create_batch(number)
    block(admin_client, residents)

    response = admin_client.post(bulk_url("unblock", residents), follow=True)

    assert shown_messages(response) == [expected]
    assert not User.objects.filter(blocked_at__isnull=False).exists()


def test_the_history_of_an_account_says_who_blocked_it(admin_client):
    resident = ResidentFactory()
    block(admin_client, [resident])

    history = admin_client.get(f"/admin/users/history/{resident.pk}/")

    assert history.status_code == 200
    assert "Account blocked" in text_of(history) or "Konto gesperrt" in text_of(history)


# --- Who may do what -----------------------------------------------------------------------------
def test_the_coordination_office_sees_accounts_but_changes_none(client):
    resident = ResidentFactory(email="anna@example.org", display_name="Anna")
    client.force_login(user_with_role(Role.COORDINATION))

    listing = client.get(USERS)
    assert listing.status_code == 200
    assert "anna@example.org" in text_of(listing)
    assert f"/admin/users/inspect/{resident.pk}/" in listing.content.decode()
    assert f"/admin/users/edit/{resident.pk}/" not in listing.content.decode()

    details = client.get(f"/admin/users/inspect/{resident.pk}/")
    assert details.status_code == 200
    assert "Anna" in text_of(details)

    for url in (f"/admin/users/edit/{resident.pk}/", bulk_url("block", [resident])):
        assert_denied(client.get(url), url)
    assert_denied(client.post(bulk_url("block", [resident]), {"reason": "x"}), "block")
    resident.refresh_from_db()
    assert resident.blocked_at is None


@pytest.mark.parametrize("role", [None, Role.EDITOR])
def test_residents_and_editors_cannot_open_the_accounts(client, role):
    client.force_login(ResidentFactory() if role is None else user_with_role(role))
    assert_denied(client.get(USERS), USERS)


# --- Deleting anonymises -------------------------------------------------------------------------
def test_deleting_an_account_wipes_the_person_but_keeps_the_row(admin_client):
    resident = ResidentFactory(email="weg@example.org", display_name="Weg")
    DepartmentMembershipFactory(user=resident)
    NotificationFactory(recipient=resident)

    page = admin_client.get(f"/admin/users/delete/{resident.pk}/")
    assert "Gelöschtes Konto" in text_of(page) or "Deleted account" in text_of(page)
    response = admin_client.post(f"/admin/users/delete/{resident.pk}/", follow=True)

    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.deleted_at is not None and not resident.is_active
    assert (
        resident.email == f"deleted-{resident.pk}@deleted.invalid" and resident.display_name == ""
    )
    assert not DepartmentMembership.objects.filter(user=resident).exists()
    assert not Notification.objects.filter(recipient=resident).exists()


def test_deleting_accounts_in_bulk_anonymises_them_too(admin_client):
    residents = ResidentFactory.create_batch(2)

    response = admin_client.post(bulk_url("delete", residents), follow=True)

    assert response.status_code == 200
    assert (
        User.objects.filter(pk__in=[r.pk for r in residents], deleted_at__isnull=False).count() == 2
    )


# --- The list and the form -----------------------------------------------------------------------
def test_the_list_filters_by_municipality_and_blocked_and_searches_the_display_name(
    admin_client, django_assert_max_num_queries
):
    garbsen = MunicipalityFactory(name="Garbsen")
    for index in range(40):
        ResidentFactory(display_name=f"Person {index}", municipality=garbsen if index % 2 else None)
    blocked = ResidentFactory(display_name="Gesperrte Person", email="gesperrt@example.org")
    block(admin_client, [blocked])

    with django_assert_max_num_queries(30):
        listing = admin_client.get(USERS)
    assert listing.status_code == 200
    assert "Garbsen" in text_of(listing)

    found = text_of(admin_client.get(USERS, {"q": "Gesperrte"}))
    assert "gesperrt@example.org" in found and "Person 3 " not in found

    only_blocked = text_of(admin_client.get(USERS, {"blocked": "true"}))
    assert (
        "gesperrt@example.org" in only_blocked
        and "person" not in only_blocked.split("gesperrt@")[0][-30:]
    )
    assert User.objects.filter(blocked_at__isnull=False).count() == 1

    in_garbsen = admin_client.get(USERS, {"municipality": garbsen.pk})
    assert in_garbsen.context["page_obj"].paginator.count == 20


def test_an_administrator_corrects_the_profile_of_a_resident_without_a_real_name(admin_client):
    resident = ResidentFactory(display_name="Alt")
    laatzen = MunicipalityFactory(name="Laatzen")
    data = {
        "username": resident.username,
        "email": resident.email,
        "first_name": "",
        "last_name": "",
        "display_name": "Neu",
        "municipality": str(laatzen.pk),
        "language": "de",
        "notify_comments_email": "on",
        "password1": "",
        "password2": "",
        "is_active": "on",
    }

    response = admin_client.post(f"/admin/users/edit/{resident.pk}/", data)

    assert response.status_code == 302, text_of(response)[:1500]
    resident.refresh_from_db()
    assert (resident.display_name, resident.municipality, resident.language) == (
        "Neu",
        laatzen,
        "de",
    )
    assert resident.notify_comments_email and not resident.notify_status_email
