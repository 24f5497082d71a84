"""A list of ids no database column can hold is refused like any other wrong id
(foundation.validation.ModelMultipleChoiceField), with the code and the German message of
Django's own "invalid value"; ids at the very edge of the column are ordinary ids."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from foundation.models import Municipality
from foundation.validation import ModelMultipleChoiceField

pytestmark = pytest.mark.django_db

HIGHEST, LOWEST = 9223372036854775807, -9223372036854775808


class Choose(forms.Form):
    municipalities = ModelMultipleChoiceField(queryset=Municipality.objects.all())


def errors_for(*ids) -> list[tuple[str, str]]:
    with translation.override("de"):
        form = Choose(data={"municipalities": [str(i) for i in ids]})
        assert not form.is_valid()
        return [(e.code, " ".join(e.messages)) for e in form.errors.as_data()["municipalities"]]


@pytest.mark.parametrize("edge", [HIGHEST, LOWEST])
def test_an_id_at_the_edge_of_the_column_is_an_ordinary_unknown_choice(edge):
    ((code, _message),) = errors_for(edge)

    assert code == "invalid_choice"


@pytest.mark.parametrize("beyond", [HIGHEST + 1, LOWEST - 1])
def test_an_id_beyond_the_column_is_an_invalid_value(beyond):
    assert errors_for(beyond) == [("invalid_pk_value", f"„{beyond}“ ist kein gültiger Wert.")]


def test_the_message_shows_at_most_40_characters_of_a_huge_id():
    huge = "1234567890" * 5

    assert errors_for(huge) == [("invalid_pk_value", f"„{huge[:40]}“ ist kein gültiger Wert.")]
