from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
