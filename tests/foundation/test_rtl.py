"""A right-to-left language, once added to LANGUAGES, gets a right-to-left layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_rtl_language_switches_the_layout_to_right_to_left(client, settings):
    settings.LANGUAGES = [("de", "Deutsch"), ("en", "English"), ("ar", "العربية")]
    html = client.get("/ar/suche/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<html lang="de" dir="ltr">' in client.get("/suche/").content.decode()
