from __future__ import annotations

from collections.abc import Callable

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

#: frame-ancestors that says the same as each X-Frame-Options value.
FRAME_ANCESTORS = {"DENY": [NONE], "SAMEORIGIN": [SELF]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy for the public site and one for the admin.

    The Wagtail admin needs inline scripts and styles, so its pages get
    settings.ADMIN_CONTENT_SECURITY_POLICY; everything else the strict, nonce-based
    settings.CONTENT_SECURITY_POLICY. frame-ancestors is made to agree with the
    X-Frame-Options header of the response, which is why this middleware sits before the
    framing middlewares in MIDDLEWARE (it sees the response after them).
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(settings.ADMIN_URL_PREFIX):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        ancestors = FRAME_ANCESTORS.get(str(response.get("X-Frame-Options", "")).upper())
        if ancestors is not None:
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ancestors}
        return parts


class AdminPreviewFramingMiddleware:
    """Let the Wagtail admin frame its own page previews; everything else stays DENY.

    Sits after XFrameOptionsMiddleware in MIDDLEWARE, so it sees the response first and the
    header it sets is kept (XFrameOptionsMiddleware never overwrites an existing header).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "preview" in request.path:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class BlockedUserMiddleware:
    """End the session of a blocked account on its next request.

    Sits after AuthenticationMiddleware and MessageMiddleware. The request then continues
    as a visitor: public pages still work, anything that needs an account asks to sign in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "blocked_at", None):
            from django.contrib import messages
            from django.contrib.auth import logout

            from .adapters import blocked_message

            logout(request)
            messages.error(request, blocked_message())
        return self.get_response(request)
