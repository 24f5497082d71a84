"""Security headers as a browser receives them: a nonce-based CSP on public pages, a looser
but working one in the Wagtail admin, and framing rules that agree with X-Frame-Options."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from foundation.roles import Role
from tests.foundation.factories import user_with_role

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_a_public_page_gets_a_fresh_nonce_that_its_scripts_carry():
    client = Client()
    first, second = client.get("/suche/"), client.get("/suche/")
    assert first.status_code == second.status_code == 200
    policy = directives(first["Content-Security-Policy"])
    assert "'nonce'" not in first["Content-Security-Policy"]
    nonces = [value for value in policy["script-src"] if value.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    assert len(nonce) >= 16
    assert f'nonce="{nonce}"' in first.content.decode()
    assert nonces != [
        v
        for v in directives(second["Content-Security-Policy"])["script-src"]
        if v.startswith("'nonce-")
    ]
    assert "'unsafe-inline'" not in first["Content-Security-Policy"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    # Framing: nobody may frame the public site, and both headers say so.
    assert policy["frame-ancestors"] == ["'none'"]
    assert first["X-Frame-Options"] == "DENY"


def test_every_script_of_a_public_page_is_same_origin_and_carries_the_nonce():
    response = Client().get("/suche/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
        assert re.search(r'src="/', tag), tag  # same origin, no inline code


def test_the_admin_gets_its_own_policy_that_allows_its_inline_scripts():
    client = Client()
    client.force_login(user_with_role(Role.EDITOR))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    # A nonce would make browsers ignore 'unsafe-inline': the admin policy has none.
    assert not any(value.startswith("'nonce-") for value in policy["script-src"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_login_page_has_the_admin_policy():
    response = Client().get("/admin/login/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response["Content-Security-Policy"])["script-src"]


def test_the_admin_may_frame_its_own_previews_and_both_headers_agree():
    from wagtail.models import Page

    client = Client()
    client.force_login(user_with_role(Role.EDITOR))
    page = Page.objects.filter(depth=2).first()
    response = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
