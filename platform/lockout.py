"""Login lockout (django-axes): whose sign-in is counted, and the page a locked-out person sees.

django-axes counts failed sign-ins on every form that authenticates (allauth's sign-in, the
Wagtail admin's login), per account and per client address (`foundation.client_ip`). The
settings name these two functions (AXES_USERNAME_CALLABLE, AXES_LOCKOUT_CALLABLE).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def attempted_login(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a sign-in tried, spelt one way whichever form sent it.

    allauth authenticates with `email`, the admin login with `username`; the address is
    compared case-insensitively, so "Anna@Example.org" and "anna@example.org" count together.
    """
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    for value in (
        credentials.get("email"),
        credentials.get("username"),
        data.get("login"),
        data.get("username"),
    ):
        if value:
            return str(value).strip().lower()[:255]
    return ""


def lockout_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return max(1, int(cooloff.total_seconds() // 60))


def lockout_message() -> str:
    minutes = lockout_minutes()
    return ngettext(
        "Too many failed sign-in attempts. For your protection, signing in is blocked for %(minutes)d minute. Please try again later or reset your password.",
        "Too many failed sign-in attempts. For your protection, signing in is blocked for %(minutes)d minutes. Please try again later or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The 429 page for a locked-out sign-in (the same for the site and the admin)."""
    return render(
        request,
        "foundation/error.html",
        {"status": 429, "title": _("Sign-in blocked for now"), "text": lockout_message()},
        status=429,
    )
