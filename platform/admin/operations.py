"""What the platform does by itself, for the people who run it (menu "Operations").

Notifications, the outbox and Celery beat's periodic tasks are written by code, never typed
in: these screens list, filter and show them and offer no form to add or edit one. Who sees
them follows the model permissions (no role group grants them: superusers). Delivering an
undelivered outbox message again is a bulk action (bulk_actions.py), allowed to whoever may
change outbox messages.
"""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_celery_beat.models import PeriodicTask
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import Notification, OutboxMessage
from ..outbox import MAX_ATTEMPTS
from .base import InspectView, PlatformModelViewSet
from .bulk_actions import bulk_action_url, may_act


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, except that nobody adds or edits a row with a form.

    "relay" (outbox) is allowed to whoever has the model's change permission.
    """

    @staticmethod
    def _model_actions(actions: Any) -> set[str]:
        return {
            "change" if action == "relay" else action
            for action in actions
            if action not in {"add", "change"}
        }

    def user_has_permission(self, user: Any, action: str) -> bool:
        model_actions = self._model_actions([action])
        return bool(model_actions) and super().user_has_permission(user, model_actions.pop())

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        if not (model_actions := self._model_actions(actions)):
            return get_user_model().objects.none()
        return super().users_with_any_permission(model_actions)


class ReadOnlyViewSet(PlatformModelViewSet):
    # ModelViewSet builds add and edit views in any case; the policy lets nobody open them.
    exclude_form_fields: list[str] = []
    inspect_view_enabled = True
    list_per_page = 50


# --- Notifications -------------------------------------------------------------------------------
class NotificationFilterSet(WagtailFilterSet):
    kind = django_filters.CharFilter(label=capfirst(_("kind")))
    unread = django_filters.BooleanFilter(
        label=_("Unread"), field_name="read_at", lookup_expr="isnull", widget=BooleanRadioSelect
    )

    class Meta:
        model = Notification
        fields: list[str] = []


class NotificationViewSet(ReadOnlyViewSet):
    model = Notification
    icon = "mail"
    url_prefix = "operations/notifications"
    list_display = [
        "title",
        "recipient__email",
        "kind",
        DateColumn("created_at", label=capfirst(_("created")), sort_key="created_at"),
        DateColumn("read_at", label=capfirst(_("read")), sort_key="read_at"),
    ]
    filterset_class = NotificationFilterSet
    search_fields = ["title", "recipient__email"]
    ordering = ["-created_at"]
    inspect_view_fields = ["recipient", "kind", "title", "body", "url", "created_at", "read_at"]
    list_select_related = ("recipient",)


# --- Outbox --------------------------------------------------------------------------------------
class OutboxStatus:
    PENDING = "pending"
    GIVEN_UP = "given_up"
    DELIVERED = "delivered"


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=[
            (OutboxStatus.PENDING, _("Waiting for delivery")),
            (OutboxStatus.GIVEN_UP, _("Given up (no further automatic attempts)")),
            (OutboxStatus.DELIVERED, _("Handed to the task queue")),
        ],
    )
    task = django_filters.CharFilter(label=capfirst(_("task")))

    class Meta:
        model = OutboxMessage
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        undelivered = Q(dispatched_at__isnull=True)
        if value == OutboxStatus.PENDING:
            return queryset.filter(undelivered, attempts__lt=MAX_ATTEMPTS)
        if value == OutboxStatus.GIVEN_UP:
            return queryset.filter(undelivered, attempts__gte=MAX_ATTEMPTS)
        if value == OutboxStatus.DELIVERED:
            return queryset.exclude(undelivered)
        return queryset


class OutboxIndexView(ReadOnlyViewSet.index_view_class):
    @cached_property
    def columns(self) -> list[Any]:
        if not self.user_has_permission("relay"):
            return super().columns
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"), *super().columns]

    def get_list_more_buttons(self, instance: OutboxMessage) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        if instance.dispatched_at is None and may_act(self.request.user, "relay", instance):
            url = bulk_action_url(
                OutboxMessage, "relay", ids=[instance.pk], next_url=self.request.get_full_path()
            )
            buttons.append(MenuItem(_("Relay again"), url=url, icon_name="resubmit", priority=25))
        return buttons


class OutboxInspectView(InspectView):
    def get_payload_display_value(self) -> str:
        return json.dumps(self.object.payload, ensure_ascii=False, sort_keys=True)

    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = super().header_more_buttons
        if self.object.dispatched_at is None and may_act(self.request.user, "relay", self.object):
            url = bulk_action_url(
                OutboxMessage, "relay", ids=[self.object.pk], next_url=self.request.path
            )
            buttons.append(Button(_("Relay again"), url=url, icon_name="resubmit", priority=15))
        return buttons


class OutboxMessageViewSet(ReadOnlyViewSet):
    model = OutboxMessage
    icon = "resubmit"
    menu_label = _("Outbox")
    url_prefix = "operations/outbox"
    index_view_class = OutboxIndexView
    index_template_name = "foundation/admin/operations/outbox_index.html"
    inspect_view_class = OutboxInspectView
    list_display = [
        "task",
        DateColumn("created_at", label=capfirst(_("created")), sort_key="created_at"),
        DateColumn("dispatched_at", label=capfirst(_("dispatched")), sort_key="dispatched_at"),
        Column("attempts", label=capfirst(_("attempts")), sort_key="attempts"),
        Column(
            "short_error",
            label=capfirst(_("last error")),
            accessor=lambda message: message.last_error[:80],
        ),
    ]
    filterset_class = OutboxFilterSet
    search_fields = ["task", "dedupe_key", "last_error"]
    ordering = ["-created_at"]
    inspect_view_fields = [
        "task",
        "payload",
        "dedupe_key",
        "created_at",
        "dispatched_at",
        "attempts",
        "last_error",
    ]


# --- Periodic tasks (Celery beat) ----------------------------------------------------------------
def _beat_label(field_name: str) -> Any:
    """django-celery-beat's own (translated) label of a field."""
    return capfirst(PeriodicTask._meta.get_field(field_name).verbose_name)


def _schedule(task: PeriodicTask) -> str:
    schedule = task.interval or task.crontab or task.solar or task.clocked
    return str(schedule) if schedule is not None else ""


class PeriodicTaskViewSet(ReadOnlyViewSet):
    """The schedule itself is code (settings.CELERY_BEAT_SCHEDULE, written to these rows by
    beat's DatabaseScheduler at start): this shows what beat runs and when it last did."""

    model = PeriodicTask
    icon = "time"
    url_prefix = "operations/periodic-tasks"
    list_display = [
        Column("name", label=_beat_label("name"), sort_key="name", width="25%"),
        "task",
        Column("schedule", label=pgettext_lazy("periodic task", "Schedule"), accessor=_schedule),
        BooleanColumn("enabled", label=_beat_label("enabled"), sort_key="enabled"),
        DateColumn("last_run_at", label=_beat_label("last_run_at"), sort_key="last_run_at"),
        Column("total_run_count", label=_beat_label("total_run_count"), sort_key="total_run_count"),
    ]
    list_filter = ["enabled"]
    search_fields = ["name", "task"]
    ordering = ["name"]
    inspect_view_fields = [
        "name",
        "task",
        "enabled",
        "interval",
        "crontab",
        "args",
        "kwargs",
        "queue",
        "expires",
        "one_off",
        "start_time",
        "last_run_at",
        "total_run_count",
        "date_changed",
        "description",
    ]
    list_select_related = ("interval", "crontab", "solar", "clocked")


class OperationsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Operations")
    menu_icon = "cog"
    menu_order = 260
    items = (
        OutboxMessageViewSet("operations_outbox"),
        NotificationViewSet("operations_notifications"),
        PeriodicTaskViewSet("operations_periodic_tasks"),
    )


#: Registered in wagtail_hooks before the viewsets, so that the viewsets find them.
READ_ONLY_MODELS = (Notification, OutboxMessage, PeriodicTask)
