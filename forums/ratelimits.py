"""The forums' rate limits, kept in the platform's one table of limits (consultations.ratelimits)."""

from __future__ import annotations

from django.utils.translation import ngettext_lazy

from consultations.ratelimits import (
    LIMITS,
    Limit,
    limit_exceeded,
    rate_limit_message,
    ratelimit_post,
)

# The messages take %(count)d and %(period)s from the rate (see consultations.ratelimits.Limit).
LIMITS.setdefault(
    "forum_post",
    Limit(
        "10/5m",
        ngettext_lazy(
            "You have written %(count)d forum post %(period)s. Please wait a few minutes and send it again.",
            "You have written %(count)d forum posts %(period)s. Please wait a few minutes and send it again.",
            "count",
        ),
    ),
)
LIMITS.setdefault(
    "forum_thread",
    Limit(
        "5/h",
        ngettext_lazy(
            "You have started %(count)d thread %(period)s. Please wait a while before you start another one.",
            "You have started %(count)d threads %(period)s. Please wait a while before you start another one.",
            "count",
        ),
    ),
)
LIMITS.setdefault(
    "event_registration",
    Limit(
        "30/h",
        ngettext_lazy(
            "You have registered or cancelled once %(period)s. Please wait a while.",
            "You have registered or cancelled %(count)d times %(period)s. Please wait a while.",
            "count",
        ),
    ),
)

__all__ = ["limit_exceeded", "rate_limit_message", "ratelimit_post"]
