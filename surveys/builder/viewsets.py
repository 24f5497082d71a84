"""The survey list and settings screens (Wagtail ModelViewSet, menu "Surveys")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from foundation.admin.base import RefusingDeleteView

from .. import structure
from ..models import Recipient, Response, Survey
from .forms import SurveySettingsForm


def _count(model: type, **filters: Any) -> Coalesce:
    """A count of one relation in its own subquery (no joins multiplying rows)."""
    subquery = (
        model.objects.filter(survey=OuterRef("pk"), **filters)
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(subquery), 0)


class SurveyIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return (
            super()
            .get_base_queryset()
            .annotate(recipient_count=_count(Recipient), response_count=_count(Response))
        )

    def get_list_buttons(self, instance: Survey) -> list[Any]:
        return [
            ListingButton(
                _("Structure"),
                url=reverse("surveys_builder:structure", args=[instance.pk]),
                icon_name="list-ul",
                priority=1,
            ),
            ListingButton(
                _("Recipients"),
                url=reverse("surveys_invitations:recipients", args=[instance.pk]),
                icon_name="group",
                priority=2,
            ),
            *super().get_list_buttons(instance),
        ]


class SurveyEditView(generic.EditView):
    def get_success_url(self) -> str:
        return reverse("surveys_builder:structure", args=[self.object.pk])


class SurveyCreateView(generic.CreateView):
    def get_success_url(self) -> str:
        return reverse("surveys_builder:structure", args=[self.object.pk])


class SurveyDeleteView(RefusingDeleteView):
    refusal = staticmethod(structure.survey_delete_refusal)

    def refused_url(self) -> str:
        return reverse("surveys_builder:structure", args=[self.object.pk])


class SurveyViewSet(ModelViewSet):
    model = Survey
    icon = "form"
    menu_label = _("Surveys")
    url_prefix = "surveys"
    add_to_admin_menu = False  # the "Surveys" menu (wagtail_hooks.py) links here
    index_view_class = SurveyIndexView
    edit_view_class = SurveyEditView
    add_view_class = SurveyCreateView
    delete_view_class = SurveyDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None
    search_fields = ["title", "slug"]
    list_filter = ["status", "mode"]
    ordering = ["-created_at"]
    list_display = [
        "title",
        "status",
        "mode",
        Column("recipient_count", label=_("Recipients")),
        Column("response_count", label=_("Responses")),
        "closes_at",
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return SurveySettingsForm
