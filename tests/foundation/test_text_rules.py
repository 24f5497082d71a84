"""The typed-text rules every write service shares (foundation.validation): how long a text
may be, when it may be empty, and what is stripped before it is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from foundation.validation import checked_text, clean_text

TOO_LONG = "At most %(max)d characters; yours has %(length)d."


def test_a_text_of_exactly_the_maximum_length_is_stored_as_it_is():
    text = "ä" * 20

    assert checked_text(text, field="body", max_length=20, too_long=TOO_LONG) == text


def test_one_character_more_is_refused_for_the_field_with_both_numbers():
    with pytest.raises(ValidationError) as refused:
        checked_text("x" * 21, field="body", max_length=20, too_long=TOO_LONG)

    assert refused.value.message_dict == {"body": ["At most 20 characters; yours has 21."]}


def test_an_empty_text_is_refused_only_where_a_message_for_it_is_given():
    assert checked_text("", field="note", max_length=5, too_long=TOO_LONG) == ""

    with pytest.raises(ValidationError) as refused:
        checked_text("", field="note", max_length=5, too_long=TOO_LONG, empty="Bitte Text.")

    assert refused.value.message_dict == {"note": ["Bitte Text."]}


def test_line_breaks_are_unified_and_control_characters_removed_but_tabs_kept():
    typed = "  Erste Zeile\r\nZweite\rDritte\x00\x08\x0b\x0c\x0e\x1f\x7f\tEnde \n "

    assert clean_text(typed) == "Erste Zeile\nZweite\nDritte\tEnde"


def test_nothing_typed_is_an_empty_text():
    assert clean_text(None) == ""
    assert clean_text(" \r\n\t ") == ""


def test_the_refusals_carry_the_codes_of_djangos_own_form_errors():
    """As the module promises: a view (or an API) can tell an empty text from a long one by the
    error's code on its field, as with Django's own "required" and "max_length"."""
    with pytest.raises(ValidationError) as empty:
        checked_text("", field="note", max_length=5, too_long=TOO_LONG, empty="Bitte Text.")
    with pytest.raises(ValidationError) as long:
        checked_text("x" * 6, field="note", max_length=5, too_long=TOO_LONG)

    assert [e.code for e in empty.value.error_dict["note"]] == ["required"]
    assert [e.code for e in long.value.error_dict["note"]] == ["max_length"]
