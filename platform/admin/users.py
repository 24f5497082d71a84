"""Accounts in Wagtail's own user admin (/admin/users/), with what the platform adds.

Installed through WagtailUsersAppConfig.user_viewset (see apps.py and INSTALLED_APPS):
the list shows e-mail address, display name, municipality and whether the account is
blocked; it filters by those and searches the display name too. Blocking and unblocking are
bulk actions (bulk_actions.py) that the row and the edit page link to. Deleting anonymises
(actions.DeleteAccountAction). People who may only view accounts (the coordination office)
get a read-only page per account instead of the edit form.
"""

from __future__ import annotations

from typing import Any

import django_filters
from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import (
    BooleanColumn,
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect
from wagtail.users.views import users as wagtail_users

from ..models import Municipality, User
from .base import InspectView
from .bulk_actions import bulk_action_url, may_act
from .forms import AccountCreationForm, AccountEditForm


class AccountFilterSet(wagtail_users.UserFilterSet):
    """Wagtail's filters (active, administrator, group, last login) and the platform's."""

    municipality = django_filters.ModelChoiceFilter(
        label=capfirst(_("municipality")), queryset=Municipality.objects.all()
    )
    blocked = django_filters.BooleanFilter(
        label=_("Blocked"),
        field_name="blocked_at",
        lookup_expr="isnull",
        exclude=True,
        widget=BooleanRadioSelect,
    )
    deleted = django_filters.BooleanFilter(
        label=_("Deleted"),
        field_name="deleted_at",
        lookup_expr="isnull",
        exclude=True,
        widget=BooleanRadioSelect,
    )

    class Meta(wagtail_users.UserFilterSet.Meta):
        model = User
        fields: list[str] = []


def _block_buttons(account: User, *, request_user: User, next_url: str) -> list[MenuItem]:
    """ "Block" or "Unblock" for someone who may change accounts (the bulk action's page)."""
    if account.is_deleted or not may_act(request_user, "change", account):
        return []
    if account.is_blocked:
        label, action_type, icon = _("Unblock"), "unblock", "lock-open"
    else:
        label, action_type, icon = _("Block"), "block", "lock"
    url = bulk_action_url(User, action_type, ids=[account.pk], next_url=next_url)
    return [MenuItem(label, url=url, icon_name=icon, priority=25)]


class AccountIndexView(wagtail_users.IndexView):
    list_per_page = 50
    search_fields = ["email", "display_name", "username", "first_name", "last_name"]

    @cached_property
    def columns(self) -> list[Column]:
        title_column = self._get_title_column_class(TitleColumn)
        # The bulk actions (block, delete, roles) need a write permission; viewers get none.
        may_write = self.user_has_any_permission({"add", "change", "delete"})
        checkboxes = (
            [BulkActionsCheckboxColumn("bulk_actions", obj_type="user")] if may_write else []
        )
        return [
            *checkboxes,
            title_column(
                "email",
                label=capfirst(_("e-mail address")),
                sort_key="email",
                get_url=lambda account: self.get_edit_url(account) or self.get_inspect_url(account),
                width="30%",
            ),
            Column(
                "display_name",
                label=capfirst(_("display name")),
                sort_key="display_name",
                width="15%",
            ),
            Column(
                "municipality",
                label=capfirst(_("municipality")),
                sort_key="municipality__name",
                width="14%",
            ),
            BooleanColumn("email_verified", label=_("E-mail confirmed"), width="8%"),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active", width="7%"),
            DateColumn("blocked_at", label=_("Blocked since"), sort_key="blocked_at", width="11%"),
            DateColumn("last_login", label=_("Last login"), sort_key="last_login", width="11%"),
        ]

    def get_base_queryset(self) -> QuerySet[User]:
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        return (
            super()
            .get_base_queryset()
            .select_related("municipality")
            .annotate(email_verified=Exists(verified))
        )

    def get_list_more_buttons(self, instance: User) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        buttons += _block_buttons(
            instance, request_user=self.request.user, next_url=self.request.get_full_path()
        )
        return buttons


class AccountEditView(wagtail_users.EditView):
    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons = super().header_more_buttons
        for item in _block_buttons(
            self.object, request_user=self.request.user, next_url=self.request.path
        ):
            buttons.append(
                Button(item.label, url=item.url, icon_name=item.icon_name, priority=item.priority)
            )
        return buttons


class AccountDeleteView(wagtail_users.DeleteView):
    """Deleting runs actions.DeleteAccountAction (registered as the users' "delete")."""

    page_title = _("Delete account")
    success_message = _("The account was deleted. Its contributions remain as “Deleted account”.")

    @property
    def confirmation_message(self) -> str:
        return gettext(
            "Delete this account? Its personal data (name, e-mail address, profile) is wiped and "
            "nobody can sign in to it again. Proposals, comments and supports remain and show as "
            "“Deleted account”, so that counts and results stay as published."
        )


class AccountInspectView(InspectView):
    field_labels = {"groups": _("Roles"), "departments": capfirst(_("departments"))}


class AccountViewSet(wagtail_users.UserViewSet):
    index_view_class = AccountIndexView
    inspect_view_class = AccountInspectView
    edit_view_class = AccountEditView
    delete_view_class = AccountDeleteView
    filterset_class = AccountFilterSet
    ordering = "email"
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "display_name",
        "first_name",
        "last_name",
        "municipality",
        "language",
        "is_active",
        "is_superuser",
        "groups",
        "departments",
        "date_joined",
        "last_login",
        "blocked_at",
        "blocked_reason",
        "deleted_at",
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return AccountEditForm if for_update else AccountCreationForm

    @cached_property
    def edit_template_name(self) -> str:
        return "foundation/admin/users/edit.html"

    @cached_property
    def create_template_name(self) -> str:
        return "foundation/admin/users/create.html"
