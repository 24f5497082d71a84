"""Registration, sign-in, blocking, password reset and e-mail management, through HTTP."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from foundation.actors import SYSTEM
from foundation.models import User
from foundation.services import account_block

from .factories import PASSWORD, MunicipalityFactory, ResidentFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Wiesen-Klee-2016!"


def signup(client, capture, **overrides):
    data = {
        "email": "amira@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Amira",
        "municipality": "",
        "privacy_consent": "on",
        **overrides,
    }
    with capture(execute=True):
        return client.post(reverse("account_signup"), data)


def link_in_last_mail() -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)


def test_sign_up_confirm_the_address_and_arrive_signed_in(
    client, django_capture_on_commit_callbacks
):
    municipality = MunicipalityFactory(name="Garbsen")
    page = client.get(reverse("account_signup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert 'autocomplete="email"' in html and 'autocomplete="new-password"' in html
    assert '<label for="id_display_name"' in html

    response = signup(client, django_capture_on_commit_callbacks, municipality=municipality.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="amira@example.org")
    assert user.display_name == "Amira" and user.municipality == municipality
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amira@example.org"]
    assert "Beteiligung Region Hannover" in mail.outbox[0].subject

    # Not yet a participant: the address is unconfirmed.
    assert "_auth_user_id" not in client.session

    confirm_url = link_in_last_mail()
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"email": "kein-at-zeichen"}, "email", "gültige E-Mail-Adresse"),
        ({"password1": "kurz", "password2": "kurz"}, "password1", "zu kurz"),
        ({"password2": "etwas-ganz-anderes-99"}, "password2", "Passwort"),
    ],
)
def test_bad_sign_up_input_gets_german_field_errors_and_keeps_what_was_typed(
    client, django_capture_on_commit_callbacks, overrides, field, expected
):
    response = signup(client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert expected in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert re.search(rf'<input[^>]*aria-describedby="[^"]*id_{field}_error', html) or re.search(
        rf'<input[^>]*aria-invalid="true"[^>]*id="id_{field}"', html
    )
    assert 'value="Amira"' in html
    if field != "email":
        assert 'value="amira@example.org"' in html
    assert not User.objects.filter(email="amira@example.org").exists()
    assert mail.outbox == []


def test_sign_up_with_a_taken_address_reveals_nothing_and_creates_nothing(
    client, django_capture_on_commit_callbacks
):
    """Whether someone has an account stays private (ACCOUNT_PREVENT_ENUMERATION)."""
    ResidentFactory(email="amira@example.org")
    response = signup(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="amira@example.org").count() == 1


def test_sign_in_and_out(client):
    user = ResidentFactory()
    page = client.get(reverse("account_login"))
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("foundation:profile")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_keeps_the_typed_address_and_says_so_in_german(client):
    user = ResidentFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "falsch"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{user.email}"' in html
    assert "nicht korrekt" in html or "stimmen nicht" in html or "falsch" in html.lower()


def test_a_blocked_account_cannot_sign_in_and_is_told_why(client):
    user = ResidentFactory()
    account_block(actor=SYSTEM, user=user, reason="Beleidigungen im Forum")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()
    assert "gesperrt" in response.content.decode() or "blocked" in response.content.decode()


def test_blocking_ends_open_sessions(client):
    user = ResidentFactory()
    client.force_login(user)
    assert client.get(reverse("foundation:profile")).status_code == 200
    User.objects.filter(pk=user.pk).update(blocked_at=timezone.now(), blocked_reason="Spam")
    response = client.get(reverse("foundation:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_deactivating_an_account_ends_its_open_sessions(client):
    user = ResidentFactory()
    client.force_login(user)
    page = client.get(reverse("foundation:profile"))
    assert page.status_code == 200 and page.context["user"].pk == user.pk
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("foundation:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_password_changed_elsewhere_ends_the_other_sessions(client):
    user = ResidentFactory()
    client.force_login(user)
    assert client.get(reverse("foundation:profile")).status_code == 200
    user.set_password("an entirely new secret 42")
    user.save()
    response = client.get(reverse("foundation:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_preferred_language_applies_after_sign_in(client):
    user = ResidentFactory(language="en")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/en/profil/"
    assert client.cookies["django_language"].value == "en"
    page = client.get(response["Location"])
    assert '<html lang="en"' in page.content.decode()


def test_password_reset_all_steps(client, django_capture_on_commit_callbacks):
    user = ResidentFactory()
    assert client.get(reverse("account_reset_password")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1
    key_url = link_in_last_mail()
    response = client.get(key_url)  # allauth moves the key into the session
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.content.decode()
    response = client.post(form_url, {"password1": "kurz", "password2": "kurz"})
    assert response.status_code == 200 and "zu kurz" in response.content.decode()
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    client.logout()
    page = client.get(key_url, follow=True)
    assert page.context["token_fail"] is True


def test_password_change_and_email_management_pages(client, django_capture_on_commit_callbacks):
    user = ResidentFactory()
    client.force_login(user)
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    page = client.get(reverse("account_email"))
    assert page.status_code == 200 and user.email in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "zweite@example.org"}
        )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(
        user=user, email="zweite@example.org", verified=False
    ).exists()
    assert mail.outbox[-1].to == ["zweite@example.org"]


def test_account_pages_use_the_site_layout(client):
    for name in ["account_login", "account_signup", "account_reset_password"]:
        html = client.get(reverse(name)).content.decode()
        assert html.count("<h1") == 1, name
        assert 'class="site-header"' in html, name
        assert '<main id="main"' in html, name
