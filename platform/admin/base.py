"""What the admin's viewsets share: lists that load their relations in the same query, and an
inspect view (a read-only page per object) that writes values as people read them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet


class InspectView(generic.InspectView):
    """Yes/No instead of True/False, "-" instead of None or an empty text."""

    #: {field name: label} for fields whose own label does not fit (e.g. reverse relations).
    field_labels: dict[str, Any] = {}

    def get_field_label(self, field_name: str, field: Any) -> str:
        if field_name in self.field_labels:
            return str(self.field_labels[field_name])
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if value is None or value == "":
            return "-"
        return value


class PlatformModelViewSet(ModelViewSet):
    """A ModelViewSet whose list loads `list_select_related` with each row (no query per row).

    ModelViewSet has no get_queryset(request) (SnippetViewSet has); the index view takes a
    queryset instead.
    """

    list_select_related: tuple[str, ...] = ()
    inspect_view_class = InspectView
    copy_view_enabled = False
    search_backend_name = None

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        if self.list_select_related:
            kwargs.setdefault(
                "queryset", self.model._default_manager.select_related(*self.list_select_related)
            )
        return super().get_index_view_kwargs(**kwargs)
