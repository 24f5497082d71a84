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
