"""The forms of the forum and forum event screens in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Forum, ForumEvent


class ForumForm(WagtailAdminModelForm):
    class Meta:
        model = Forum
        fields = ["consultation", "handlungsfeld", "description", "is_open"]


class ForumEventForm(WagtailAdminModelForm):
    class Meta:
        model = ForumEvent
        fields = [
            "consultation",
            "number",
            "title",
            "slug",
            "handlungsfeld",
            "starts_at",
            "ends_at",
            "venue",
            "street_address",
            "postal_code",
            "place",
            "municipality",
            "accessibility",
            "description",
            "registration_open",
            "capacity",
            "documentation",
            "participants",
        ]

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        registered = self.instance.registered_count if self.instance.pk else 0
        if capacity is not None and capacity < registered:
            raise forms.ValidationError(
                ngettext(
                    "%(count)s person has registered already; the places cannot be fewer.",
                    "%(count)s people have registered already; the places cannot be fewer.",
                    registered,
                )
                % {"count": registered},
                code="below_registered",
            )
        return capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned
