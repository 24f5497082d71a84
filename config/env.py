"""Read boolean and integer settings from the environment, refusing what they cannot mean.

django-environ's `env.bool` reads every unknown spelling as False, so `SECURE_SSL_REDIRECT=flase`
would quietly switch the redirect off. These helpers stop the start instead, naming the
variable and what it accepts. An unset or empty variable means the default.

Only the standard library and Django's exception: settings import this before Django is set up.
"""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_SPELLINGS = ("1", "true", "yes", "on")
FALSE_SPELLINGS = ("0", "false", "no", "off")


def _raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def env_bool(name: str, *, default: bool) -> bool:
    raw = _raw(name)
    if not raw:
        return default
    if raw.lower() in TRUE_SPELLINGS:
        return True
    if raw.lower() in FALSE_SPELLINGS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value. Use one of {', '.join(TRUE_SPELLINGS)} for yes "
        f"or {', '.join(FALSE_SPELLINGS)} for no (any case), or leave it empty for the default "
        f"({'yes' if default else 'no'})."
    )


def env_int(
    name: str, *, default: int, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = _raw(name)
    if not raw:
        return default
    bounds = ""
    if minimum is not None and maximum is not None:
        bounds = f" from {minimum} to {maximum}"
    elif minimum is not None:
        bounds = f" of at least {minimum}"
    elif maximum is not None:
        bounds = f" of at most {maximum}"
    value = int(raw) if re.fullmatch(r"-?[0-9]+", raw) else None
    if (
        value is None
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
    ):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not valid. Use a whole number{bounds} in decimal digits, "
            f"or leave it empty for the default ({default})."
        )
    return value
