"""The forums' rate limits, kept in the platform's one table of limits (consultations.ratelimits)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from consultations.ratelimits import (
    LIMITS,
    Limit,
    limit_exceeded,
    rate_limit_message,
    ratelimit_post,
)

LIMITS.setdefault(
    "forum_post",
    Limit("10/5m", gettext_lazy("You have written 10 forum posts within 5 minutes. Please wait a few minutes and send it again.")),
)
LIMITS.setdefault(
    "forum_thread",
    Limit("5/h", gettext_lazy("You have started 5 threads within an hour. Please wait a while before you start another one.")),
)
LIMITS.setdefault(
    "event_registration",
    Limit("30/h", gettext_lazy("You have registered or cancelled 30 times within an hour. Please wait a while.")),
)

__all__ = ["limit_exceeded", "rate_limit_message", "ratelimit_post"]
