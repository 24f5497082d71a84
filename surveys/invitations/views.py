"""The opt-out page: reached from the link in every invitation and reminder, no sign-in.

GET only asks (mail scanners open links on their own); POST opts out. Both pages are the
same for every token, known or not, so the page tells nobody whether a token exists.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from .mailing import opt_out as opt_out_service


@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    done = request.method == "POST"
    if done:
        opt_out_service(token=token)
    response = render(request, "surveys/invitations/opt_out.html", {"done": done})
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
