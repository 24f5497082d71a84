"""Switch the interface to the user's preferred language (after sign-in and profile save)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme


def url_in_language(url: str, language: str) -> str:
    """The same page in another language: '/profil/' -> '/en/profil/' (and back)."""
    return translate_url(url, language)


def apply_user_language(response: HttpResponse, *, user: Any) -> HttpResponse:
    """Remember the user's language in the cookie and send redirects to the page in it.

    German pages have no prefix and English ones start with /en/ (i18n_patterns), so the
    language of a page is decided by its address; the cookie covers pages outside the
    patterns and is what Django's set_language view would store.
    """
    language = getattr(user, "language", "") or ""
    if language not in dict(settings.LANGUAGES):
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if isinstance(response, HttpResponseRedirect):
        location = response["Location"]
        if url_has_allowed_host_and_scheme(location, allowed_hosts=None):
            response["Location"] = url_in_language(location, language)
    return response
