"""Rate limits for writing actions, per signed-in user (per IP address for visitors).

Two ways to use them:

* in a view that shows a form, call `limit_exceeded(request, "comment")` before saving and,
  if it returns True, re-render the form with `rate_limit_message("comment")` as an error and
  status 429, so that nothing the person typed is lost;
* for plain button actions (support, flag), decorate the view with `@ratelimit_post("support")`:
  an exceeded limit answers with the 429 page that names the action and the waiting time.

settings.RATELIMIT_ENABLE = False switches all of them off (the test suite does that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited


@dataclass(frozen=True)
class Limit:
    rate: str
    message: str | Promise


LIMITS: dict[str, Limit] = {
    "proposal": Limit(
        "5/h", gettext_lazy("You have submitted 5 proposals within an hour. Please wait a while before you submit another one.")
    ),
    "comment": Limit(
        "10/5m",
        gettext_lazy("You have written 10 comments within 5 minutes. Please wait a few minutes and send it again."),
    ),
    "support": Limit(
        "60/5m", gettext_lazy("You have supported or withdrawn support 60 times within 5 minutes. Please wait a few minutes.")
    ),
    "flag": Limit("20/h", gettext_lazy("You have sent 20 reports within an hour. Please wait a while before you report more.")),
}


def _key(group: str, request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def limit_exceeded(request: HttpRequest, action: str, *, increment: bool = True) -> bool:
    """Count one `action` for this person and say whether they went over the limit."""
    return is_ratelimited(
        request, group=f"consultations.{action}", key=_key, rate=LIMITS[action].rate, method="POST", increment=increment
    )


def rate_limit_message(action: str) -> str:
    return str(LIMITS[action].message)


def rate_limited_response(request: HttpRequest, action: str) -> HttpResponse:
    return render(
        request,
        "foundation/error.html",
        {"status": 429, "title": _("Too many requests"), "text": rate_limit_message(action)},
        status=429,
    )


def ratelimit_post(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for POST-only actions; GET requests are never counted."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and limit_exceeded(request, action):
                return rate_limited_response(request, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
