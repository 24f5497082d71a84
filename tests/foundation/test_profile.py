"""The profile page: settings, language, own data, account deletion, notifications."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from foundation.models import Notification, User

from .factories import (
    PASSWORD,
    DepartmentMembershipFactory,
    MunicipalityFactory,
    NotificationFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db


def profile_data(user, **overrides):
    data = {
        "display_name": user.display_name,
        "municipality": user.municipality_id or "",
        "language": user.language,
        "notify_comments_inapp": "on",
        "notify_status_inapp": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_visitors_are_sent_to_sign_in(client):
    for name in [
        "foundation:profile",
        "foundation:notifications",
        "foundation:data_export",
        "foundation:account_delete",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login"))


def test_resident_changes_name_municipality_and_notification_switches(client):
    user = ResidentFactory()
    garbsen = MunicipalityFactory(name="Garbsen")
    client.force_login(user)
    page = client.get(reverse("foundation:profile"))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    response = client.post(
        reverse("foundation:profile"),
        profile_data(
            user, display_name="Amira K.", municipality=garbsen.pk, notify_status_inapp=None
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Amira K."
    assert user.municipality == garbsen
    assert user.notify_status_inapp is False
    assert user.notify_comments_email is False  # unticked box = off


def test_saving_another_language_switches_the_interface(client):
    user = ResidentFactory()
    client.force_login(user)
    response = client.post(reverse("foundation:profile"), profile_data(user, language="en"))
    assert response["Location"] == "/en/profil/"
    assert client.cookies["django_language"].value == "en"
    page = client.get(response["Location"])
    assert '<html lang="en"' in page.content.decode()


def test_bad_profile_input_is_explained_in_german_and_kept(client):
    user = ResidentFactory()
    client.force_login(user)
    too_long = "A" * 81
    response = client.post(
        reverse("foundation:profile"),
        profile_data(user, display_name=too_long, municipality="999999"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "höchstens 80 Zeichen" in html
    assert "gültige Auswahl" in html
    assert f'value="{too_long}"' in html
    assert 'aria-invalid="true"' in html
    user.refresh_from_db()
    assert user.display_name != too_long


def test_download_my_data_contains_profile_and_contributions(client):
    from tests.consultations.factories import ProposalFactory, SupportFactory

    user = ResidentFactory(display_name="Amira")
    other = ResidentFactory()
    own = ProposalFactory(author=user, title="Mehr Sprachkurse am Abend")
    SupportFactory(proposal=ProposalFactory(author=other, title="Fremder Vorschlag"), user=user)
    ProposalFactory(author=other, title="Geheim von anderen")
    NotificationFactory(recipient=user, title="Ihr Vorschlag wurde kommentiert")
    client.force_login(user)

    response = client.get(reverse("foundation:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(
        f'filename="meine-daten-{timezone.localdate().isoformat()}.json"'
    )
    data = json.loads(response.content)
    profile = data["Profil"]
    assert profile["E-Mail-Adresse"] == user.email
    assert profile["Anzeigename"] == "Amira"
    contributions = data["Ihre Beiträge und Einträge"]
    proposals = contributions["Vorschläge"]
    assert [row["Titel"] for row in proposals] == ["Mehr Sprachkurse am Abend"]
    assert proposals[0]["Eintragsnummer"] == own.pk
    assert len(contributions["Unterstützungen"]) == 1
    assert contributions["Unterstützungen"][0]["Vorschlag"].startswith("Fremder Vorschlag (#")
    assert contributions["Benachrichtigungen"][0]["Titel"] == "Ihr Vorschlag wurde kommentiert"
    assert any(
        row.get("E-Mail-Adresse") == user.email for rows in contributions.values() for row in rows
    )
    text = response.content.decode()
    assert "Geheim von anderen" not in text
    assert "password" not in text and "Passwort" not in text


def test_the_data_export_speaks_the_language_of_the_person(client):
    user = ResidentFactory(display_name="Amira", language="en")
    client.force_login(user)

    response = client.get(reverse("foundation:data_export"))

    assert 'filename="my-data-' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["Profile"]["Display name"] == "Amira"
    assert data["Profile"]["Preferred language"] == "English"


def test_delete_account_needs_the_password_and_keeps_contributions(client):
    from tests.consultations.factories import ProposalFactory, SupportFactory

    user = ResidentFactory(display_name="Amira", municipality=MunicipalityFactory())
    proposal = ProposalFactory(author=user)
    support = SupportFactory(proposal=ProposalFactory(), user=user)
    NotificationFactory(recipient=user)
    DepartmentMembershipFactory(user=user)
    client.force_login(user)

    page = client.get(reverse("foundation:account_delete"))
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(
        reverse("foundation:account_delete"), {"password": "falsch", "confirm": "on"}
    )
    assert response.status_code == 200
    assert (
        "nicht korrekt" in response.content.decode() or "not correct" in response.content.decode()
    )
    response = client.post(reverse("foundation:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200  # the tick is required
    assert User.objects.get(pk=user.pk).deleted_at is None

    response = client.post(
        reverse("foundation:account_delete"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    user.refresh_from_db()
    assert user.deleted_at is not None and not user.is_active
    assert user.public_name in {"Deleted account", "Gelöschtes Konto"}
    assert (
        "amira" not in user.email.lower() and user.display_name == "" and user.municipality is None
    )
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not user.department_memberships.exists()
    proposal.refresh_from_db()
    assert proposal.author_id == user.pk  # contributions and counts stay
    assert type(support).objects.filter(pk=support.pk).exists()
    # The address is free again, and the old credentials no longer work.
    assert not client.login(username=f"person{user.pk}", password=PASSWORD)
    response = client.post(
        reverse("account_login"), {"login": "amira@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_opening_a_notification_marks_it_read_and_follows_the_link(client):
    user = ResidentFactory()
    item = NotificationFactory(recipient=user, url="/beteiligung/")
    other = NotificationFactory(recipient=user)
    client.force_login(user)
    page = client.get(reverse("foundation:notifications"))
    assert page.context["unread_count"] == 2
    response = client.get(reverse("foundation:notification_open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/beteiligung/"
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.read_at is not None and other.read_at is None
    response = client.post(reverse("foundation:notification_read", args=[other.pk]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.read_at is not None
    assert client.get(reverse("foundation:notifications")).context["unread_count"] == 0


def test_notification_links_to_other_sites_are_not_followed(client):
    user = ResidentFactory()
    item = NotificationFactory(recipient=user, url="https://evil.example/")
    client.force_login(user)
    response = client.get(reverse("foundation:notification_open", args=[item.pk]))
    assert response["Location"] == reverse("foundation:notifications")


def test_notifications_of_others_answer_404(client):
    item = NotificationFactory()
    client.force_login(ResidentFactory())
    assert client.get(reverse("foundation:notification_open", args=[item.pk])).status_code == 404
    assert client.post(reverse("foundation:notification_read", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read(client):
    user = ResidentFactory()
    NotificationFactory.create_batch(3, recipient=user)
    client.force_login(user)
    client.post(reverse("foundation:notifications"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_notification_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = ResidentFactory()
    NotificationFactory.create_batch(40, recipient=user)
    Notification.objects.filter(
        pk__in=Notification.objects.filter(recipient=user).values("pk")[:10]
    ).update(read_at=timezone.now())
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("foundation:notifications"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25
