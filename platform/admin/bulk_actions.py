"""Bulk actions of the admin listings: tick rows, choose the action, confirm.

The row buttons ("Block", "Relay again") open the same confirmation for one row, so each
operation has one view. Every view checks the permission per object and leaves the change to
an action (actions.py) or to the foundation's service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as django_messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from .. import outbox
from ..models import OutboxMessage, User
from .actions import (
    RELAY_OUTBOX_MESSAGE,
    BlockAccountAction,
    DeleteAccountAction,
    UnblockAccountAction,
)


def bulk_action_url(model: type, action_type: str, *, ids: list[Any], next_url: str) -> str:
    """The confirmation page of a bulk action for these objects (used by row buttons)."""
    url = reverse(
        "wagtail_bulk_action", args=(model._meta.app_label, model._meta.model_name, action_type)
    )
    return f"{url}?{urlencode([('id', pk) for pk in ids] + [('next', next_url)])}"


def may_act(request_user: User, action: str, obj: Any) -> bool:
    """Whether the permission policy of the object's model allows `action` ("change", "relay")."""
    return policy_registry.get(obj).user_has_permission_for_instance(request_user, action, obj)


# --- Accounts ------------------------------------------------------------------------------------
class BlockForm(forms.Form):
    reason = forms.CharField(
        label=capfirst(_("reason for blocking")),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the account; the person does not see it."),
    )


class BlockAccountsBulkAction(UserBulkAction):
    display_name = _("Block")
    action_type = "block"
    aria_label = _("Block the selected accounts")
    template_name = "foundation/admin/bulk_actions/confirm_block.html"
    action_priority = 30
    form_class = BlockForm
    classes = {"serious"}

    def check_perm(self, obj: User) -> bool:
        return may_act(self.request.user, "change", obj)

    def get_execution_context(self) -> dict[str, Any]:
        return {"request": self.request, "reason": self.cleaned_form.cleaned_data["reason"]}

    @classmethod
    def execute_action(
        cls, objects: list[User], *, request: HttpRequest, reason: str, **kwargs: Any
    ) -> tuple[int, int]:
        blocked = 0
        for account in objects:
            try:
                BlockAccountAction(account, user=request.user, reason=reason).execute(
                    skip_permission_checks=True
                )
            except ValidationError as exc:
                django_messages.warning(
                    request,
                    gettext("%(email)s was not blocked: %(reason)s")
                    % {"email": account.email, "reason": " ".join(exc.messages)},
                )
            else:
                blocked += 1
        return blocked, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d account blocked.", "%(count)d accounts blocked.", num_parent_objects
        ) % {"count": num_parent_objects}


class UnblockAccountsBulkAction(UserBulkAction):
    display_name = _("Unblock")
    action_type = "unblock"
    aria_label = _("Unblock the selected accounts")
    template_name = "foundation/admin/bulk_actions/confirm_unblock.html"
    action_priority = 31

    def check_perm(self, obj: User) -> bool:
        return may_act(self.request.user, "change", obj)

    def get_execution_context(self) -> dict[str, Any]:
        return {"request": self.request}

    @classmethod
    def execute_action(
        cls, objects: list[User], *, request: HttpRequest, **kwargs: Any
    ) -> tuple[int, int]:
        for account in objects:
            UnblockAccountAction(account, user=request.user).execute(skip_permission_checks=True)
        return len(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d account unblocked.", "%(count)d accounts unblocked.", num_parent_objects
        ) % {"count": num_parent_objects}


class DeleteAccountsBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of users, anonymising like the single delete (DeleteAccountAction).

    Registered after Wagtail's own (hook order 1), so it takes the action type "delete".
    """

    template_name = "foundation/admin/bulk_actions/confirm_delete_accounts.html"

    def get_execution_context(self) -> dict[str, Any]:
        return {**super().get_execution_context(), "request": self.request}

    @classmethod
    def execute_action(
        cls, objects: list[User], *, request: HttpRequest, **kwargs: Any
    ) -> tuple[int, int]:
        for account in objects:
            DeleteAccountAction(account, user=request.user).execute(skip_permission_checks=True)
        return len(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d account deleted. Its contributions remain as “Deleted account”.",
            "%(count)d accounts deleted. Their contributions remain as “Deleted account”.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


# --- Outbox --------------------------------------------------------------------------------------
class RelayOutboxMessagesBulkAction(PermissionCheckedMixin, BulkAction):
    """Hand undelivered outbox messages to the task queue now (outbox.relay_messages).

    For messages the periodic relay gave up on (outbox.MAX_ATTEMPTS) or that waited for a
    broker that is back. Delivered messages are never sent again from here.
    """

    models = [OutboxMessage]
    display_name = _("Relay again")
    action_type = "relay"
    aria_label = _("Hand the selected messages to the task queue again")
    template_name = "foundation/admin/bulk_actions/confirm_relay.html"
    any_permission_required = ["relay"]

    def check_perm(self, obj: OutboxMessage) -> bool:
        return may_act(self.request.user, "relay", obj)

    def get_actionable_objects(self) -> tuple[list[OutboxMessage], dict[str, list[OutboxMessage]]]:
        objects, without_access = super().get_actionable_objects()
        without_access["delivered"] = [
            message for message in objects if message.dispatched_at is not None
        ]
        return [message for message in objects if message.dispatched_at is None], without_access

    def get_execution_context(self) -> dict[str, Any]:
        return {"request": self.request}

    @classmethod
    def execute_action(
        cls, objects: list[OutboxMessage], *, request: HttpRequest, **kwargs: Any
    ) -> tuple[int, int]:
        ids = [message.pk for message in sorted(objects, key=lambda message: message.created_at)]
        result = outbox.relay_messages(ids=ids)
        for message in OutboxMessage.objects.filter(pk__in=ids):
            log(
                instance=message,
                action=RELAY_OUTBOX_MESSAGE,
                user=request.user,
                data={"delivered": message.dispatched_at is not None, "error": message.last_error},
            )
        if result.failed:
            text = ngettext(
                "%(count)d message could not be handed over; see its last error.",
                "%(count)d messages could not be handed over; see their last error.",
                result.failed,
            ) % {"count": result.failed}
            if result.broker_down:
                text += " " + gettext("The task queue is not reachable; the others were not tried.")
            django_messages.warning(request, text)
        return result.sent, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str | None:
        if not num_parent_objects:
            return None
        return ngettext(
            "%(count)d message handed to the task queue.",
            "%(count)d messages handed to the task queue.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
