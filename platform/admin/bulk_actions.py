"""Bulk actions of the admin listings: tick rows, choose the action, confirm.

The row buttons ("Block") open the same confirmation for one row, so each
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
from wagtail.permissions import policy_registry
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from ..models import User
from .actions import (
    BlockAccountAction,
    DeleteAccountAction,
    UnblockAccountAction,
)


def bulk_action_url(model: type, action_type: str, *, ids: list[Any], next_url: str) -> str:
    """The confirmation page of a bulk action for these objects (used by row buttons)."""
    url = reverse("wagtail_bulk_action", args=(model._meta.app_label, model._meta.model_name, action_type))
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
    def execute_action(cls, objects: list[User], *, request: HttpRequest, reason: str, **kwargs: Any) -> tuple[int, int]:
        blocked = 0
        for account in objects:
            try:
                BlockAccountAction(account, user=request.user, reason=reason).execute(skip_permission_checks=True)
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
        return ngettext("%(count)d account blocked.", "%(count)d accounts blocked.", num_parent_objects) % {
            "count": num_parent_objects
        }


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
    def execute_action(cls, objects: list[User], *, request: HttpRequest, **kwargs: Any) -> tuple[int, int]:
        for account in objects:
            UnblockAccountAction(account, user=request.user).execute(skip_permission_checks=True)
        return len(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext("%(count)d account unblocked.", "%(count)d accounts unblocked.", num_parent_objects) % {
            "count": num_parent_objects
        }


class DeleteAccountsBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of users, anonymising like the single delete (DeleteAccountAction).

    Registered after Wagtail's own (hook order 1), so it takes the action type "delete".
    """

    template_name = "foundation/admin/bulk_actions/confirm_delete_accounts.html"

    def get_execution_context(self) -> dict[str, Any]:
        return {**super().get_execution_context(), "request": self.request}

    @classmethod
    def execute_action(cls, objects: list[User], *, request: HttpRequest, **kwargs: Any) -> tuple[int, int]:
        for account in objects:
            DeleteAccountAction(account, user=request.user).execute(skip_permission_checks=True)
        return len(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d account deleted. Its contributions remain as “Deleted account”.",
            "%(count)d accounts deleted. Their contributions remain as “Deleted account”.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
