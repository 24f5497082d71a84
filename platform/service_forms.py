"""Forms whose data goes to a write service, and the service's refusals shown on the form.

The apps' services check their rules again (who may post, locked, too long…) and raise a
ValidationError. The pages show that error on the form, next to the field when the service
named one, and render the page again with what was typed; only success redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .ratelimits import limit_exceeded, rate_limit_message

T = TypeVar("T")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on `form`: keyed errors on their field when the form
    has one, everything else above the form. The errors keep their codes."""
    if hasattr(error, "error_dict"):
        for field_name, errors in error.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit_form(
    request: HttpRequest, form: forms.Form, service: Callable[[dict[str, Any]], object]
) -> bool:
    """True when `request` posts valid data and `service(form.cleaned_data)` accepts it.

    Otherwise the page is shown (again) with `form_status(request)`: after a POST with the
    form's own errors or the service's (put on the form by add_service_errors).
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def submit_rate_limited(
    request: HttpRequest,
    form: forms.Form,
    service: Callable[[dict[str, Any]], T],
    *,
    limit: str,
    limit_field: str | None = None,
) -> tuple[T | None, int]:
    """Like submit_form, for a form whose sending counts against the rate limit `limit`
    (foundation.ratelimits; only valid forms count): (what the service returned, or None if it
    did not run or refused; the status of the page shown otherwise). The limit's message goes
    on `limit_field`, or above the form; the status is 429 then.
    """
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    if limit_exceeded(request, limit):
        form.add_error(limit_field, rate_limit_message(limit))
        return None, 429
    try:
        return service(form.cleaned_data), 200
    except ValidationError as error:
        add_service_errors(form, error)
        return None, 400


def form_status(request: HttpRequest) -> int:
    """The status of a form page that is shown rather than redirected: 400 after a POST
    that did not go through, 200 when the form is merely opened."""
    return 400 if request.method == "POST" else 200
