"""Sign-up links the privacy notice and records the consent: when, and which version."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from foundation.models import PrivacyConsent, User

pytestmark = pytest.mark.django_db


def signup_data(**extra):
    return {
        "email": "neu@example.org",
        "password1": "ein langes Passwort 2027",
        "password2": "ein langes Passwort 2027",
        "display_name": "Neu",
        **extra,
    }


def test_the_sign_up_page_links_the_privacy_notice(client, settings):
    page = client.get(reverse("account_signup")).content.decode()
    assert f'href="{settings.PRIVACY_NOTICE_URL}"' in page
    assert 'name="privacy_consent"' in page


def test_sign_up_without_consent_is_refused_with_a_message_and_creates_nothing(client):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 200
    assert "Bitte stimmen Sie der Datenschutzerklärung zu" in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()
    assert not PrivacyConsent.objects.exists()


def test_sign_up_with_consent_records_time_and_version_and_the_export_shows_it(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-12-01"
    before = timezone.now()
    response = client.post(reverse("account_signup"), signup_data(privacy_consent="on"))
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    consent = PrivacyConsent.objects.get(user=user)
    assert consent.notice_version == "2026-12-01"
    assert before <= consent.accepted_at <= timezone.now()

    client.force_login(user)
    export = client.get(reverse("foundation:data_export"))
    text = export.content.decode()
    assert "2026-12-01" in text
    assert json.loads(text)
