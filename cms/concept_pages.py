"""The published concept as a Wagtail page (owned by the results app's engineer).

The page holds its fields and reads the concept through consultations.results.selectors;
the table markup is the same include the plain concept view uses.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from consultations.results import selectors as results_selectors
from foundation.models import Handlungsfeld


class ConceptPage(Page):
    """The adopted concept of a consultation: revised goals with numbered measures per Handlungsfeld."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="concept_pages",
    )
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
    )

    content_panels = [*Page.content_panels, FieldPanel("consultation"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.ConsultationPage", "cms.HomePage", "cms.StandardPage"]
    subpage_types: list[str] = []
    template = "cms/concept_page.html"

    class Meta:
        verbose_name = _("concept page")
        verbose_name_plural = _("concept pages")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        consultation = self.consultation
        fields_queryset = results_selectors.consultation_fields(consultation)
        slug = request.GET.get("handlungsfeld", "")
        selected = Handlungsfeld.objects.filter(slug=slug).first() if slug else None
        version = results_selectors.published_version(consultation)
        context["consultation"] = consultation
        context["version"] = version
        context["fields"] = results_selectors.concept_of_version(version, selected)
        context["field_filter"] = {"fields": {"handlungsfeld": {"queryset": fields_queryset}}}
        context["selected_field"] = selected
        return context
