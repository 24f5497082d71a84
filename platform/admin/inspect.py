"""Wagtail's inspect view (a read-only page per object), writing values as people read them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from wagtail.admin.views import generic


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
