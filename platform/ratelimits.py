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

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from .client_ip import client_ip

# django-ratelimit's notation: "10/5m" is ten per five minutes, "5/h" five per hour.
RATE = re.compile(r"^(?P<count>\d+)/(?P<multiplier>\d*)(?P<unit>[smhd])$")


@dataclass(frozen=True)
class Limit:
    """A rate and the message shown when it is exceeded.

    The message is an ngettext_lazy(..., "count") text with the placeholders %(count)d (the
    number of the rate) and %(period)s (its time span, from `period_text`), so that the text
    always tells the limit that is really in force, in the right plural.
    """

    rate: str
    message: str | Promise
    #: Count per IP address even for signed-in people (e.g. guessing links), not per person.
    per_ip: bool = False
    #: Count every request, not only POSTs (links opened with GET).
    any_method: bool = False

    @property
    def count(self) -> int:
        return int(self._parts()["count"])

    @property
    def period(self) -> tuple[int, str]:
        """The time span as (number, unit): "10/5m" gives (5, "m"), "5/h" gives (1, "h")."""
        parts = self._parts()
        return int(parts["multiplier"] or 1), parts["unit"]

    def _parts(self) -> dict[str, str]:
        match = RATE.match(self.rate)
        if match is None:
            raise ValueError(f"not a rate like '10/5m': {self.rate!r}")
        return match.groupdict()

    def text(self) -> str:
        return str(self.message % {"count": self.count, "period": period_text(*self.period)})


# The time span of a rate, put into the limit messages' %(period)s ("10/5m": within 5 minutes).
PERIODS = {
    # Translators: the time span of a rate limit, put into "You have ... %(period)s."
    "d": ngettext_lazy("within a day", "within %(count)d days", "count"),
    # Translators: the time span of a rate limit, put into "You have ... %(period)s."
    "h": ngettext_lazy("within an hour", "within %(count)d hours", "count"),
    # Translators: the time span of a rate limit, put into "You have ... %(period)s."
    "m": ngettext_lazy("within a minute", "within %(count)d minutes", "count"),
    # Translators: the time span of a rate limit, put into "You have ... %(period)s."
    "s": ngettext_lazy("within a second", "within %(count)d seconds", "count"),
}


def period_text(number: int, unit: str) -> str:
    """The time span of a rate as a phrase for a limit message, e.g. "within 5 minutes"."""
    return str(PERIODS[unit] % {"count": number})


LIMITS: dict[str, Limit] = {
    "proposal": Limit(
        "5/h",
        ngettext_lazy(
            "You have submitted %(count)d proposal %(period)s. Please wait a while before you submit another one.",
            "You have submitted %(count)d proposals %(period)s. Please wait a while before you submit another one.",
            "count",
        ),
    ),
    "comment": Limit(
        "10/5m",
        ngettext_lazy(
            "You have written %(count)d comment %(period)s. Please wait a few minutes and send it again.",
            "You have written %(count)d comments %(period)s. Please wait a few minutes and send it again.",
            "count",
        ),
    ),
    "support": Limit(
        "60/5m",
        ngettext_lazy(
            "You have supported or withdrawn support once %(period)s. Please wait a few minutes.",
            "You have supported or withdrawn support %(count)d times %(period)s. Please wait a few minutes.",
            "count",
        ),
    ),
    "flag": Limit(
        "20/h",
        ngettext_lazy(
            "You have sent %(count)d report %(period)s. Please wait a while before you report more.",
            "You have sent %(count)d reports %(period)s. Please wait a while before you report more.",
            "count",
        ),
    ),
    "forum_post": Limit(
        "10/5m",
        ngettext_lazy(
            "You have written %(count)d forum post %(period)s. Please wait a few minutes and send it again.",
            "You have written %(count)d forum posts %(period)s. Please wait a few minutes and send it again.",
            "count",
        ),
    ),
    "forum_thread": Limit(
        "5/h",
        ngettext_lazy(
            "You have started %(count)d thread %(period)s. Please wait a while before you start another one.",
            "You have started %(count)d threads %(period)s. Please wait a while before you start another one.",
            "count",
        ),
    ),
    "event_registration": Limit(
        "30/h",
        ngettext_lazy(
            "You have registered or cancelled once %(period)s. Please wait a while.",
            "You have registered or cancelled %(count)d times %(period)s. Please wait a while.",
            "count",
        ),
    ),
    "survey_token": Limit(
        "30/10m",
        ngettext_lazy(
            "You have opened %(count)d survey link %(period)s. Please wait a few minutes and open your link again.",
            "You have opened %(count)d survey links %(period)s. Please wait a few minutes and open your link again.",
            "count",
        ),
        per_ip=True,
        any_method=True,
    ),
    "survey_start": Limit(
        "10/h",
        ngettext_lazy(
            "You have started %(count)d survey without an account %(period)s. Please wait a while before you start another one.",
            "You have started %(count)d surveys without an account %(period)s. Please wait a while before you start another one.",
            "count",
        ),
        per_ip=True,
    ),
}


def _ip_key(group: str, request: HttpRequest) -> str:
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def _key(group: str, request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def limit_exceeded(request: HttpRequest, action: str, *, increment: bool = True) -> bool:
    """Count one `action` for this person and say whether they went over the limit."""
    limit = LIMITS[action]
    return is_ratelimited(
        request,
        group=f"ratelimit.{action}",
        key=_ip_key if limit.per_ip else _key,
        rate=limit.rate,
        method=ALL if limit.any_method else "POST",
        increment=increment,
    )


def rate_limit_message(action: str) -> str:
    return LIMITS[action].text()


def rate_limited_response(request: HttpRequest, action: str) -> HttpResponse:
    return render(
        request,
        "foundation/error.html",
        {"status": 429, "title": _("Too many requests"), "text": rate_limit_message(action)},
        status=429,
    )


def ratelimit_post(
    action: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for POST-only actions; GET requests are never counted."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and limit_exceeded(request, action):
                return rate_limited_response(request, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
