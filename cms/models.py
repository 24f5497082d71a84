"""Page types of the public website.

Pages hold fields, panels and read-only context; everything they show from the apps comes
from cms.selectors. They never write in serve() or get_context().
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import selectors
from cms.blocks import BodyStreamBlock, HandlungsfeldStreamBlock, table_of_contents

INTRO_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class TableOfContentsMixin:
    """Pages with a StreamField `body` offer the anchored sections to the contents block."""

    body: Any

    @property
    def table_of_contents(self) -> list[dict[str, str]]:
        return table_of_contents(self.body)


class HomePage(TableOfContentsMixin, Page):
    """The site root: what the platform is, the featured consultation and the Handlungsfelder."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    featured_consultation = models.ForeignKey(
        "cms.ConsultationPage",
        verbose_name=_("featured consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown prominently with its current phase and what visitors can do now."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("further content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_consultation"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        featured = (
            ConsultationPage.objects.live()
            .public()
            .select_related("consultation")
            .filter(pk=self.featured_consultation_id)
            .first()
            if self.featured_consultation_id
            else None
        )
        context["featured"] = featured
        context["featured_overview"] = (
            selectors.consultation_overview(featured.consultation) if featured else None
        )
        context["other_consultations"] = (
            ConsultationPage.objects.live()
            .public()
            .descendant_of(self)
            .exclude(pk=self.featured_consultation_id or 0)
            .select_related("consultation")
            .order_by("-first_published_at")[:6]
        )
        context["handlungsfeld_pages"] = (
            HandlungsfeldPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("handlungsfeld")
            .order_by("handlungsfeld__number", "path")
        )
        return context


class ConsultationPage(TableOfContentsMixin, Page):
    """The public page of one consultation: phases, what can be done now, forum events."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyStreamBlock(), verbose_name=_("further content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("consultation"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields(
            "consultation", [index.SearchField("summary"), index.SearchField("description")]
        ),
    ]

    class Meta:
        verbose_name = _("consultation page")
        verbose_name_plural = _("consultation pages")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        consultation = self.consultation
        context["overview"] = selectors.consultation_overview(consultation)
        context["forum_events"] = list(selectors.forum_events(consultation=consultation))
        context["subpages"] = self.get_children().live().public().in_menu()
        context["description_paragraphs"] = [
            p for p in consultation.description.split("\n\n") if p.strip()
        ]
        return context


class HandlungsfelderIndexPage(TableOfContentsMixin, Page):
    """Lists the Handlungsfelder (the concept has eight)."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyStreamBlock(), verbose_name=_("further content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    subpage_types = ["cms.HandlungsfeldPage"]

    class Meta:
        verbose_name = _("Handlungsfelder overview")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["field_pages"] = (
            HandlungsfeldPage.objects.live()
            .public()
            .child_of(self)
            .select_related("handlungsfeld")
            .order_by("handlungsfeld__number", "path")
        )
        return context


class HandlungsfeldPage(TableOfContentsMixin, Page):
    """One Handlungsfeld with the concept's sections as StreamField content."""

    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    consultation = models.ForeignKey(
        "foundation.Consultation",
        verbose_name=_("consultation for proposals"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Links the page to the proposals and forum events of this consultation."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(HandlungsfeldStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("handlungsfeld"),
        FieldPanel("consultation"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("handlungsfeld", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.HandlungsfelderIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Handlungsfeld page")
        verbose_name_plural = _("Handlungsfeld pages")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        field = self.handlungsfeld
        context["forum_events"] = list(selectors.forum_events(handlungsfeld=field))
        context["proposals_url"] = selectors.proposals_url_for_field(self.consultation, field)
        context["forum"] = selectors.forum_for_field(self.consultation, field)
        context["survey_findings"] = selectors.survey_findings(handlungsfeld=field)
        siblings = list(
            HandlungsfeldPage.objects.live()
            .public()
            .sibling_of(self)
            .select_related("handlungsfeld")
            .order_by("handlungsfeld__number", "path")
        )
        position = next((i for i, page in enumerate(siblings) if page.pk == self.pk), None)
        if position is not None:
            context["previous_field"] = siblings[position - 1] if position > 0 else None
            context["next_field"] = siblings[position + 1] if position + 1 < len(siblings) else None
        return context


class StandardPage(TableOfContentsMixin, Page):
    """Impressum, Datenschutz, Barrierefreiheitserklärung and other text pages."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyStreamBlock(), verbose_name=_("content"), blank=True)
    last_reviewed = models.DateField(
        _("content last reviewed"),
        null=True,
        blank=True,
        help_text=_("Shown on the page, e.g. the date of the accessibility statement."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


from .concept_pages import ConceptPage  # noqa: E402,F401
