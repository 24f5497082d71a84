"""The foundation's model screens in the Wagtail admin (menu "Platform").

Who sees what follows the Django model permissions that the role groups grant
(see roles.ROLE_PERMISSIONS): Wagtail's ModelPermissionPolicy checks add/change/delete/view
on every view, so a role without `view_department` gets a 403 on /admin/departments/. The
rows edited inline (phases, members) follow their own model's permissions (forms.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TitleFieldPanel,
)
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.slug import SlugInput

from ..models import (
    Consultation,
    Department,
    DepartmentMembership,
    Handlungsfeld,
    Municipality,
    Organisation,
)
from .base import PlatformModelViewSet
from .forms import (
    PHASE_FIELDS,
    ConsultationAdminForm,
    DepartmentAdminForm,
    InlineFormsetPanel,
    MembershipAdminForm,
)

# German spelling in slugs, as in the demo data ("gefluechtete", "interkulturelle-oeffnung");
# the slug field itself only accepts ASCII.
GERMAN_SLUG_INPUT = SlugInput(
    attrs={"data-w-slug-allow-unicode-value": "false"},
    formatters=[
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ],
)


class NamePanel(TitleFieldPanel):
    """The name, which fills in the slug while a new object is created (like Django admin's
    prepopulated_fields): once it exists, its URLs stay as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("classname", "")
        kwargs.setdefault("placeholder", False)
        super().__init__(*args, **kwargs)

    class BoundPanel(TitleFieldPanel.BoundPanel):
        def get_should_apply(self) -> bool:
            return not (self.instance and self.instance.pk)


def slug_panel() -> FieldPanel:
    return FieldPanel("slug", widget=GERMAN_SLUG_INPUT)


class ConsultationViewSet(PlatformModelViewSet):
    model = Consultation
    icon = "list-ol"
    menu_label = _("Consultations")
    url_prefix = "platform/consultations"
    list_display = ["title", "slug", "is_published", "created_at"]
    list_filter = ["is_published", "handlungsfelder", "municipalities"]
    search_fields = ["title", "summary", "organiser"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    NamePanel("title"),
                    slug_panel(),
                    FieldPanel("organiser"),
                    FieldPanel("is_published"),
                ],
                heading=_("Consultation"),
            ),
            FieldPanel("summary"),
            FieldPanel("description"),
            FieldRowPanel(
                [
                    FieldPanel("handlungsfelder", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
                ]
            ),
            InlineFormsetPanel(
                "phases",
                child_fields=PHASE_FIELDS,
                heading=_("Phases"),
                help_text=_(
                    "The dated steps of the consultation and what participants may do in each. "
                    "Each kind of phase occurs once."
                ),
            ),
        ],
        base_form_class=ConsultationAdminForm,
    )


class MunicipalityViewSet(PlatformModelViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipalities")
    url_prefix = "platform/municipalities"
    list_display = ["name", "kind", "official_key"]
    list_filter = ["kind"]
    search_fields = ["name", "official_key"]
    inspect_view_enabled = True
    panels = [NamePanel("name"), slug_panel(), FieldPanel("kind"), FieldPanel("official_key")]


class HandlungsfeldViewSet(PlatformModelViewSet):
    model = Handlungsfeld
    icon = "tag"
    menu_label = _("Handlungsfelder")
    url_prefix = "platform/handlungsfelder"
    list_display = ["name", "number", "slug"]
    search_fields = ["name", "summary"]
    ordering = ["number", "name"]
    inspect_view_enabled = True
    panels = [FieldPanel("number"), NamePanel("name"), slug_panel(), FieldPanel("summary")]


class DepartmentViewSet(PlatformModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    url_prefix = "platform/departments"
    list_display = ["name", "kind", "parent", "email", "is_active"]
    list_filter = ["kind", "is_active", "handlungsfelder"]
    list_select_related = ("parent",)
    search_fields = ["name", "email", "description"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([NamePanel("name"), slug_panel()]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
            FieldPanel("email"),
            FieldPanel("description"),
            FieldPanel("handlungsfelder", widget=forms.CheckboxSelectMultiple),
            FieldPanel("is_active"),
            InlineFormsetPanel(
                "memberships",
                child_fields=["user", "role"],
                read_only_related=("user",),
                heading=_("Members"),
                help_text=_("Reviewers see and assess the proposals assigned to this unit."),
            ),
        ],
        base_form_class=DepartmentAdminForm,
    )


class DepartmentMembershipViewSet(PlatformModelViewSet):
    model = DepartmentMembership
    icon = "user"
    menu_label = _("Department members")
    url_prefix = "platform/department-members"
    list_display = ["user", "user__email", "department", "role", "created_at"]
    list_filter = ["department", "role"]
    list_select_related = ("user", "department")
    search_fields = ["user__email", "user__display_name", "department__name"]

    def get_form_class(self, for_update: bool = False) -> type:
        return MembershipAdminForm


class OrganisationViewSet(PlatformModelViewSet):
    model = Organisation
    icon = "home"
    menu_label = _("Organisations")
    url_prefix = "platform/organisations"
    list_display = ["name", "category", "municipality", "email", "is_active"]
    list_filter = ["category", "municipality", "is_active"]
    list_select_related = ("municipality",)
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    panels = [
        NamePanel("name"),
        slug_panel(),
        FieldPanel("category"),
        FieldPanel("municipality"),
        FieldPanel("email"),
        FieldPanel("website"),
        FieldPanel("is_active"),
    ]


class PlatformViewSetGroup(ModelViewSetGroup):
    menu_label = _("Platform")
    menu_icon = "cogs"
    menu_order = 250
    items = (
        ConsultationViewSet("platform_consultations"),
        DepartmentViewSet("platform_departments"),
        DepartmentMembershipViewSet("platform_department_members"),
        OrganisationViewSet("platform_organisations"),
        MunicipalityViewSet("platform_municipalities"),
        HandlungsfeldViewSet("platform_handlungsfelder"),
    )
