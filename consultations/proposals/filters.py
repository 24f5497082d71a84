"""The filter form of the proposal lists (a GET form; htmx only refreshes the results)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foundation.models import Handlungsfeld, Municipality

from .models import Proposal, ProposalKind, ProposalStatus
from .selectors import filter_assessed, search_proposals, sort_proposals


def sort_choices() -> list[tuple[str, Any]]:
    choices = [
        ("newest", _("Newest first")),
        ("supports", _("Most supported")),
        ("comments", _("Most discussed")),
        ("points", _("Most priority points")),
    ]
    if connection.vendor == "postgresql":
        choices.append(("relevance", _("Best match (with a search term)")))
    return choices


class ProposalFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    handlungsfeld = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        queryset=Handlungsfeld.objects.all(),
        to_field_name="slug",
        empty_label=_("All Handlungsfelder"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("one of the Städte und Gemeinden", "Municipality"),
        field_name="municipalities",
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        empty_label=_("All municipalities"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ProposalKind.choices, empty_label=_("Goals and measures")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProposalStatus.choices, empty_label=_("Any status")
    )
    assessed = django_filters.ChoiceFilter(
        label=_("Assessment"),
        method="filter_assessed",
        choices=[("yes", _("Assessed")), ("no", _("Not yet assessed"))],
        empty_label=_("Assessed or not"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="filter_noop", choices=[], empty_label=None
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def __init__(
        self, *args: Any, handlungsfelder: QuerySet[Handlungsfeld] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.filters["sort"].extra["choices"] = sort_choices()
        if handlungsfelder is not None:
            self.filters["handlungsfeld"].queryset = handlungsfelder

    @property
    def sort_key(self) -> str:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return data.get("sort") or "newest"

    @property
    def search_text(self) -> str:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return data.get("q") or ""

    def filter_search(
        self, queryset: QuerySet[Proposal], name: str, value: str
    ) -> QuerySet[Proposal]:
        return search_proposals(queryset, value)

    def filter_assessed(
        self, queryset: QuerySet[Proposal], name: str, value: str
    ) -> QuerySet[Proposal]:
        return filter_assessed(queryset, value == "yes")

    def filter_noop(
        self, queryset: QuerySet[Proposal], name: str, value: str
    ) -> QuerySet[Proposal]:
        return queryset

    @property
    def qs(self) -> QuerySet[Proposal]:
        queryset = super().qs
        return sort_proposals(queryset, self.sort_key, searching=bool(self.search_text))
