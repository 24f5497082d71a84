"""Write operations of the admin as Wagtail actions: check the permission, change, log.

Each action calls the foundation's service for the change, so the admin follows the same
rules as every other caller (services.account_block refuses to block one's own account,
services.account_delete anonymises instead of deleting rows). They are registered with
Wagtail's action registry in ../wagtail_hooks.py; the generic delete view of the user admin
looks up "delete" there, so deleting an account in the admin anonymises it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.actions import BaseAction
from wagtail.log_actions import log

from .. import services
from ..models import User

BLOCK_ACCOUNT = "foundation.block_account"
UNBLOCK_ACCOUNT = "foundation.unblock_account"
DELETE_ACCOUNT = "foundation.delete_account"
RELAY_OUTBOX_MESSAGE = "foundation.relay_outbox_message"

#: (action, label, message) for the log, shown in the history of the object.
LOG_ACTIONS = [
    (BLOCK_ACCOUNT, _("Block account"), _("Account blocked")),
    (UNBLOCK_ACCOUNT, _("Unblock account"), _("Account unblocked")),
    (DELETE_ACCOUNT, _("Delete account"), _("Account deleted and its personal data wiped")),
    (RELAY_OUTBOX_MESSAGE, _("Relay again"), _("Message handed to the task queue again")),
]


class BlockAccountAction(BaseAction):
    """Block an account: it can no longer sign in, its sessions end (services.account_block)."""

    action_name = "block"
    permission_policy_action = "change"

    def __init__(self, instance: User, user: User | None = None, *, reason: str) -> None:
        super().__init__(instance, user=user)
        self.reason = reason

    def execute(self, skip_permission_checks: bool = False) -> User:
        self.check(skip_permission_checks=skip_permission_checks)
        account = services.account_block(actor=self.user, user=self.instance, reason=self.reason)
        log(
            instance=account,
            action=BLOCK_ACCOUNT,
            user=self.user,
            data={"reason": account.blocked_reason},
        )
        return account


class UnblockAccountAction(BaseAction):
    action_name = "unblock"
    permission_policy_action = "change"

    def execute(self, skip_permission_checks: bool = False) -> User:
        self.check(skip_permission_checks=skip_permission_checks)
        account = services.account_unblock(actor=self.user, user=self.instance)
        log(instance=account, action=UNBLOCK_ACCOUNT, user=self.user)
        return account


class DeleteAccountAction(BaseAction):
    """ "Delete" in the user admin: the account is anonymised (services.account_delete).

    A real row deletion would take the person's supports and priority points with it and
    change published counts; the platform keeps contributions as "Deleted account".
    """

    action_name = "delete"
    permission_policy_action = "delete"

    def __init__(self, instance: User, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(instance, user=user)

    def execute(self, skip_permission_checks: bool = False) -> User:
        self.check(skip_permission_checks=skip_permission_checks)
        account = services.account_delete(user=self.instance)
        log(instance=account, action=DELETE_ACCOUNT, user=self.user)
        return account
