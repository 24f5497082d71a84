"""What the admin's viewsets share: lists that load their relations in the same query, an
inspect view (a read-only page per object) that writes values as people read them, a delete
view that refuses with a reason, and a permission policy that asks a role rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from ..roles import Role


class RolePolicy(BasePermissionPolicy):
    """Every action on a model for the people a role rule admits (the apps' admin screens).

    A role rule rather than model permissions: the foundation's role table stays free of the
    apps above it. `roles` are the groups the rule admits, for Wagtail's lists of users."""

    def __init__(
        self, model: type[Model], *, rule: Callable[[Any], bool], roles: Iterable[Role]
    ) -> None:
        super().__init__(model)
        self.rule = rule
        self.roles = [role.value for role in roles]

    def user_has_permission(self, user: Any, action: str) -> bool:
        return getattr(user, "is_active", False) and self.rule(user)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name__in=self.roles), is_active=True)
            .distinct()
        )


class RefusingDeleteView(generic.DeleteView):
    """Deletes unless `refusal(object)` gives a reason; then says it and deletes nothing."""

    refusal: Callable[[Any], str | None] = staticmethod(lambda instance: None)

    def refused_url(self) -> str:
        """Where a refused deletion goes (the list, unless a view says otherwise)."""
        return self.get_success_url()

    def form_valid(self, form: Any) -> Any:
        refusal = self.refusal(self.object)
        if refusal:
            messages.error(self.request, refusal)
            return HttpResponseRedirect(self.refused_url())
        return super().form_valid(form)


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
