"""The invitation mail links to surveys:token, the answering package's page. Until that
package is merged, a stand-in under the same name lets the mails be rendered; the tests then
only check that the link reverses to that name (see test_mailing.py)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse


@pytest.fixture(autouse=True)
def token_page(settings):
    """True when the real token page exists, False while the stand-in serves."""
    try:
        reverse("surveys:token", kwargs={"token": "x" * 43})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.surveys.invitations.urls_token_stand_in"
        return False
    return True
