"""Django admin (/django-admin/) for superusers, until the Wagtail admin has all of it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import (
    Consultation,
    Department,
    DepartmentMembership,
    Handlungsfeld,
    Municipality,
    Notification,
    Organisation,
    OutboxMessage,
    Phase,
    User,
)


class SuperuserOnlyMixin:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    list_display = [
        "email",
        "display_name",
        "municipality",
        "is_active",
        "is_staff",
        "blocked_at",
        "deleted_at",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "municipality"]
    search_fields = ["email", "display_name", "username", "first_name", "last_name"]
    list_select_related = ["municipality"]
    ordering = ["email"]
    readonly_fields = ["blocked_at", "deleted_at", "last_login", "date_joined"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Participation"),
            {
                "fields": (
                    "display_name",
                    "municipality",
                    "language",
                    "notify_comments_inapp",
                    "notify_comments_email",
                    "notify_status_inapp",
                    "notify_status_email",
                    "blocked_at",
                    "blocked_reason",
                    "deleted_at",
                )
            },
        ),
    )
    actions = ["block_accounts", "unblock_accounts"]

    @admin.action(description=_("Block the selected accounts"))
    def block_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        blocked = 0
        for user in queryset:
            try:
                services.account_block(
                    user=user, reason=gettext("Blocked by an administrator."), by=request.user
                )
            except ValidationError as exc:
                self.message_user(
                    request,
                    gettext("%(email)s was not blocked: %(reason)s")
                    % {"email": user.email, "reason": " ".join(exc.messages)},
                    messages.WARNING,
                )
            else:
                blocked += 1
        self.message_user(
            request,
            ngettext("%(count)d account blocked.", "%(count)d accounts blocked.", blocked)
            % {"count": blocked},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unblock the selected accounts"))
    def unblock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        unblocked = 0
        for user in queryset:
            services.account_unblock(user=user)
            unblocked += 1
        self.message_user(
            request,
            ngettext("%(count)d account unblocked.", "%(count)d accounts unblocked.", unblocked)
            % {"count": unblocked},
            messages.SUCCESS,
        )


@admin.register(Municipality)
class MunicipalityAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "official_key"]
    list_filter = ["kind"]
    search_fields = ["name", "official_key"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Handlungsfeld)
class HandlungsfeldAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class DepartmentMembershipInline(admin.TabularInline):
    model = DepartmentMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "email", "is_active"]
    list_filter = ["kind", "is_active", "handlungsfelder"]
    search_fields = ["name", "email"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["handlungsfelder"]
    inlines = [DepartmentMembershipInline]


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "department", "role", "created_at"]
    list_filter = ["role", "department"]
    search_fields = ["user__email", "department__name"]
    list_select_related = ["user", "department"]
    autocomplete_fields = ["user", "department"]


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "category", "municipality", "email", "is_active"]
    list_filter = ["category", "is_active", "municipality"]
    search_fields = ["name", "email"]
    list_select_related = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "created_at"]
    list_filter = ["is_published", "handlungsfelder"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["handlungsfelder", "municipalities"]
    inlines = [PhaseInline]


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["task", "created_at", "dispatched_at", "attempts", "dedupe_key"]
    list_filter = ["task"]
    search_fields = ["task", "dedupe_key"]
    readonly_fields = ["created_at"]
