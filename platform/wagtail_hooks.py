"""Registers the foundation's screens, actions and log entries with the Wagtail admin (see admin/)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin.actions import (
    LOG_ACTIONS,
    BlockAccountAction,
    DeleteAccountAction,
    UnblockAccountAction,
)
from .admin.bulk_actions import (
    BlockAccountsBulkAction,
    DeleteAccountsBulkAction,
    RelayOutboxMessagesBulkAction,
    UnblockAccountsBulkAction,
)
from .admin.operations import READ_ONLY_MODELS, OperationsViewSetGroup, ReadOnlyPermissionPolicy
from .admin.viewsets import PlatformViewSetGroup
from .models import User

# Before the viewsets register, so that they and the bulk actions use these policies.
for model in READ_ONLY_MODELS:
    register_permission_policy(model, ReadOnlyPermissionPolicy(model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_platform_viewsets() -> PlatformViewSetGroup:
    return PlatformViewSetGroup()


@hooks.register("register_admin_viewset")
def register_operations_viewsets() -> OperationsViewSetGroup:
    return OperationsViewSetGroup()


@hooks.register("register_actions")
def register_account_actions(registry: Any) -> None:
    for action_class in (BlockAccountAction, UnblockAccountAction, DeleteAccountAction):
        registry.register(User, action_class)


hooks.register("register_bulk_action", BlockAccountsBulkAction)
hooks.register("register_bulk_action", UnblockAccountsBulkAction)
hooks.register("register_bulk_action", RelayOutboxMessagesBulkAction)
# After wagtail.users' own "delete" (order 0), so that this one replaces it.
hooks.register("register_bulk_action", DeleteAccountsBulkAction, order=1)


@hooks.register("register_log_actions")
def register_log_actions(actions: Any) -> None:
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)
