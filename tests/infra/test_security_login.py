"""Login throttling and lockout on every sign-in form, counted per account and per client.

The client is the connection's address unless a trusted proxy (settings.TRUSTED_PROXIES)
forwarded the request; a forwarded header from anybody else changes nothing.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from foundation.client_ip import TrustedProxyMiddleware
from foundation.roles import Role
from tests.foundation.factories import PASSWORD, ResidentFactory, user_with_role

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
UNTRUSTED_CLIENT = "203.0.113.9"


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True


def admin_login(client: Client, username: str, password: str, **extra: str):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, **extra)


def test_the_admin_login_locks_an_account_after_the_failure_limit_even_for_the_right_password(
    settings,
):
    editor = user_with_role(Role.EDITOR)
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    for attempt in range(limit - 1):
        response = admin_login(client, editor.username, f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    response = admin_login(client, editor.username, "wrong-last")
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()

    response = admin_login(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    print(f"admin login: locked after {limit} failures, for {settings.AXES_COOLOFF_TIME}")


def test_the_lockout_counts_the_account_from_any_address(settings):
    """Per account: guessing one password from many addresses is stopped too."""
    editor = user_with_role(Role.EDITOR)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        admin_login(Client(REMOTE_ADDR=f"198.51.100.{attempt + 1}"), editor.username, "wrong")
    response = admin_login(Client(REMOTE_ADDR="192.0.2.200"), editor.username, PASSWORD)
    assert response.status_code == 429


def test_the_lockout_counts_the_client_for_any_accounts(settings):
    """Per client: trying one password against many accounts is stopped too; other
    clients still sign in."""
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        admin_login(Client(REMOTE_ADDR=UNTRUSTED_CLIENT), f"nobody-{attempt}", "wrong")
    editor = user_with_role(Role.EDITOR)
    assert (
        admin_login(Client(REMOTE_ADDR=UNTRUSTED_CLIENT), editor.username, PASSWORD).status_code
        == 429
    )
    elsewhere = admin_login(Client(REMOTE_ADDR="192.0.2.44"), editor.username, PASSWORD)
    assert elsewhere.status_code == 302


def test_the_residents_sign_in_form_is_locked_too(settings):
    settings.AXES_FAILURE_LIMIT = 3  # below allauth's own limit (5 per account in 5 minutes)
    resident = ResidentFactory()
    client = Client()
    url = reverse("account_login")
    for _attempt in range(2):
        assert client.post(url, {"login": resident.email, "password": "wrong"}).status_code == 200
    assert (
        client.post(url, {"login": resident.email.upper(), "password": "wrong"}).status_code == 429
    )
    response = client.post(url, {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_spoofed_forwarded_for_from_an_untrusted_client_does_not_change_the_counted_address(
    settings,
):
    editor = user_with_role(Role.EDITOR)
    client = Client(REMOTE_ADDR=UNTRUSTED_CLIENT)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_login(client, f"nobody-{attempt}", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.8.{attempt}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {UNTRUSTED_CLIENT}
    admin_login(client, "nobody-last", "wrong", HTTP_X_FORWARDED_FOR="10.9.8.200")
    # Locked: a new made-up address does not get the client a fresh count.
    response = admin_login(client, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert response.status_code == 429


def test_behind_the_trusted_proxy_each_client_is_counted_on_its_own(settings):
    """The issue's case: behind the proxy everybody arrived from one address, so ten
    failures of one person locked out everybody else."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        admin_login(proxy, f"nobody-{attempt}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    editor = user_with_role(Role.EDITOR)
    locked = admin_login(proxy, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
    # A client that sends its own X-Forwarded-For through the proxy: the proxy appends the
    # real address, and that one is counted.
    other = admin_login(
        proxy, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.55"
    )
    assert other.status_code == 302


def test_only_a_trusted_proxy_may_claim_https(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}

    def view(request):
        seen["secure"], seen["client"] = request.is_secure(), request.META["REMOTE_ADDR"]
        return None

    middleware = TrustedProxyMiddleware(view)
    factory = RequestFactory()
    middleware(
        factory.get(
            "/",
            REMOTE_ADDR=UNTRUSTED_CLIENT,
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_X_FORWARDED_FOR="10.0.0.1",
        )
    )
    assert seen == {"secure": False, "client": UNTRUSTED_CLIENT}
    middleware(
        factory.get(
            "/",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    )
    assert seen == {"secure": True, "client": "198.51.100.7"}


def test_gunicorn_trusts_the_same_proxies_as_django(monkeypatch):
    """gunicorn.conf.py reads TRUSTED_PROXIES as the settings do."""
    import runpy
    from pathlib import Path

    from gunicorn.config import validate_string_to_addr_list

    conf = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8,192.0.2.1")
    assert validate_string_to_addr_list(runpy.run_path(str(conf))["forwarded_allow_ips"]) == [
        "10.0.0.0/8",
        "192.0.2.1",
    ]
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert runpy.run_path(str(conf))["forwarded_allow_ips"] == "127.0.0.1,::1"
