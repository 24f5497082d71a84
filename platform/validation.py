"""Length checks of typed text, shared by the write services of all apps.

The services check again what their forms already checked, because they are also called
without a form (the demo loader, other services, tests) and must never store an empty or
oversized text. The errors are keyed by field and carry the codes of Django's own form
errors ("required", "max_length"), so that a view can show them next to the field the
person typed into (see foundation.service_forms.add_service_errors).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection


def checked_text(
    text: str, *, field: str, max_length: int, too_long: str, empty: str | None = None
) -> str:
    """`text` unchanged if it passes, otherwise a ValidationError for `field`.

    `empty` is the message for an empty text; None where an empty text is allowed.
    `too_long` may use %(max)d and %(length)d. Callers trim or normalise the text first, so
    that the length counted is the length that will be stored.
    """
    # The code goes on the field's error: Django ignores `code` beside a dict of messages.
    if empty is not None and not text:
        raise ValidationError({field: ValidationError(empty, code="required")})
    if len(text) > max_length:
        message = too_long % {"max": max_length, "length": len(text)}
        raise ValidationError({field: ValidationError(message, code="max_length")})
    return text


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Plain text with line breaks: unified newlines, no control characters, trimmed."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", value).strip()


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id no database column can hold is an invalid value.

    The stock field looks the submitted ids up with `pk__in`; on SQLite an id past 64 bits
    ("99999999999999999999") then fails in the driver (OverflowError, a 500) instead of being
    refused like any other id that is not on the list.
    """

    def _check_values(self, value: Any) -> Any:
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if re.fullmatch(r"-?[0-9]+", text) and not low <= int(text) <= high:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super()._check_values(value)
