"""Comments on proposals, flags and the moderation log of the proposal discussion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foundation.models import FlagReason


class Comment(models.Model):
    """A comment on a proposal; replies go one level deep."""

    proposal = models.ForeignKey("consultations.Proposal", on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposal_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["proposal", "parent", "created_at"], name="comment_thread_idx"),
            # The first page of a busy discussion: top-level comments in order, no sort step.
            models.Index(
                fields=["proposal", "created_at", "id"], condition=Q(parent__isnull=True), name="comment_toplevel_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.pk}"


class FlagResolution(models.TextChoices):
    HIDDEN = "hidden", _("Content hidden")
    DISMISSED = "dismissed", _("Flag dismissed")


class Flag(models.Model):
    """A resident's report of a proposal or a comment; each person reports an object once.

    Exactly one of `proposal` and `comment` is set (a comment flag does not repeat the
    proposal), which the check constraint guards. A flag is open until the moderation
    resolves it by hiding the content or dismissing the flags.
    """

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags", verbose_name=_("reported by")
    )
    proposal = models.ForeignKey(
        "consultations.Proposal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
        verbose_name=_("proposal"),
    )
    comment = models.ForeignKey(
        "consultations.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
        verbose_name=_("comment"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(_("resolution"), max_length=20, choices=FlagResolution.choices, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(comment__isnull=True))
                | (Q(proposal__isnull=True) & Q(comment__isnull=False)),
                name="flag_has_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "proposal"], condition=Q(proposal__isnull=False), name="unique_flag_per_proposal"
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"], condition=Q(comment__isnull=False), name="unique_flag_per_comment"
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="flag_open_idx")]

    def __str__(self) -> str:
        target = f"proposal {self.proposal_id}" if self.proposal_id else f"comment {self.comment_id}"
        return f"{self.get_reason_display()}: {target}"


class ModerationActionKind(models.TextChoices):
    HIDE_PROPOSAL = "hide_proposal", _("Proposal hidden")
    UNHIDE_PROPOSAL = "unhide_proposal", _("Proposal shown again")
    HIDE_COMMENT = "hide_comment", _("Comment hidden")
    UNHIDE_COMMENT = "unhide_comment", _("Comment shown again")
    LOCK_PROPOSAL = "lock_proposal", _("Proposal locked")
    UNLOCK_PROPOSAL = "unlock_proposal", _("Proposal unlocked")
    BLOCK_USER = "block_user", _("User blocked")
    UNBLOCK_USER = "unblock_user", _("User unblocked")
    DISMISS_FLAGS = "dismiss_flags", _("Flags dismissed")


class ModerationAction(models.Model):
    """The log of every moderation action: who did what to which object, when and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=30, choices=ModerationActionKind.choices)
    proposal = models.ForeignKey(
        "consultations.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("proposal"),
    )
    comment = models.ForeignKey(
        "consultations.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("comment"),
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions_received",
        verbose_name=_("user"),
    )
    reason = models.TextField(_("reason"), blank=True)
    flags_resolved = models.PositiveIntegerField(_("flags resolved"), default=0)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
