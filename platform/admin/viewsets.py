"""The foundation's model screens in the Wagtail admin (menu "Platform").

Who sees what follows the Django model permissions that the role groups grant
(see roles.ROLE_PERMISSIONS): Wagtail's ModelPermissionPolicy checks add/change/delete/view
on every view, so a role without `view_department` gets a 403 on /admin/departments/.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from ..models import (
    Consultation,
    Department,
    DepartmentMembership,
    Handlungsfeld,
    Municipality,
    Organisation,
)
from .forms import (
    PHASE_FIELDS,
    ConsultationAdminForm,
    DepartmentAdminForm,
    InlineFormsetPanel,
)


class ConsultationViewSet(ModelViewSet):
    model = Consultation
    icon = "list-ol"
    menu_label = _("Consultations")
    url_prefix = "platform/consultations"
    list_display = ["title", "slug", "is_published", "created_at"]
    list_filter = ["is_published", "handlungsfelder", "municipalities"]
    search_fields = ["title", "summary", "organiser"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("title"), FieldPanel("slug"), FieldPanel("organiser"), FieldPanel("is_published")],
                heading=_("Consultation"),
            ),
            FieldPanel("summary"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("handlungsfelder"), FieldPanel("municipalities")]),
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

    def get_queryset(self, request):
        return Consultation.objects.all()


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipalities")
    url_prefix = "platform/municipalities"
    list_display = ["name", "kind", "official_key"]
    list_filter = ["kind"]
    search_fields = ["name", "official_key"]
    search_backend_name = None
    form_fields = ["name", "slug", "kind", "official_key"]
    inspect_view_enabled = True
    copy_view_enabled = False


class HandlungsfeldViewSet(ModelViewSet):
    model = Handlungsfeld
    icon = "tag"
    menu_label = _("Handlungsfelder")
    url_prefix = "platform/handlungsfelder"
    list_display = ["number", "name", "slug"]
    search_fields = ["name", "summary"]
    search_backend_name = None
    form_fields = ["number", "name", "slug", "summary"]
    inspect_view_enabled = True
    copy_view_enabled = False


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    url_prefix = "platform/departments"
    list_display = ["name", "kind", "parent", "email", "is_active"]
    list_filter = ["kind", "is_active", "handlungsfelder"]
    search_fields = ["name", "email", "description"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
            FieldPanel("email"),
            FieldPanel("description"),
            FieldPanel("handlungsfelder"),
            FieldPanel("is_active"),
            InlineFormsetPanel(
                "memberships",
                child_fields=["user", "role"],
                heading=_("Members"),
                help_text=_("Reviewers see and assess the proposals assigned to this unit."),
            ),
        ],
        base_form_class=DepartmentAdminForm,
    )

    def get_queryset(self, request):
        return Department.objects.select_related("parent")


class DepartmentMembershipViewSet(ModelViewSet):
    model = DepartmentMembership
    icon = "user"
    menu_label = _("Department members")
    url_prefix = "platform/department-members"
    list_display = ["user", "department", "role", "created_at"]
    list_filter = ["department", "role"]
    search_fields = ["user__email", "user__display_name", "department__name"]
    search_backend_name = None
    form_fields = ["department", "user", "role"]
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False):
        from django import forms
        from wagtail.admin.forms import WagtailAdminModelForm

        from .forms import UserByEmailField

        class MembershipAdminForm(WagtailAdminModelForm):
            user = UserByEmailField(label=_("E-mail address of the account"))

            class Meta:
                model = DepartmentMembership
                fields = ["department", "user", "role"]
                widgets = {"role": forms.RadioSelect}

        return MembershipAdminForm

    def get_queryset(self, request):
        return DepartmentMembership.objects.select_related("user", "department")


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "home"
    menu_label = _("Organisations")
    url_prefix = "platform/organisations"
    list_display = ["name", "category", "municipality", "email", "is_active"]
    list_filter = ["category", "municipality", "is_active"]
    search_fields = ["name", "email"]
    search_backend_name = None
    form_fields = ["name", "slug", "category", "municipality", "email", "website", "is_active"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Organisation.objects.select_related("municipality")


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
