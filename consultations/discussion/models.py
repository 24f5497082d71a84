"""Comments on proposals, flags and the moderation log of the proposal discussion."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foundation.models import FlagBase, FlagResolution, ModeratedContent, ModerationLogBase
from foundation.models.moderation import logged_object, person_field, reporter_field

__all__ = ["Comment", "Flag", "FlagResolution", "ModerationAction", "ModerationActionKind"]


class Comment(ModeratedContent):
    """A comment on a proposal; replies go one level deep."""

    proposal = models.ForeignKey(
        "consultations.Proposal",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("proposal"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = person_field(_("author"), related_name="proposal_comments")
    body = models.TextField(_("text"), max_length=5000)

    class Meta(ModeratedContent.Meta):
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["proposal", "parent", "created_at"], name="comment_thread_idx"),
            # The first page of a busy discussion: top-level comments in order, no sort step.
            models.Index(
                fields=["proposal", "created_at", "id"],
                condition=Q(parent__isnull=True),
                name="comment_toplevel_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.pk}"


class Flag(FlagBase):
    """A resident's report of a proposal or a comment; each person reports an object once.

    Exactly one of `proposal` and `comment` is set (a comment flag does not repeat the
    proposal), which the check constraint guards.
    """

    reporter = reporter_field(related_name="flags")
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

    class Meta(FlagBase.Meta):
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(comment__isnull=True))
                | (Q(proposal__isnull=True) & Q(comment__isnull=False)),
                name="flag_has_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=Q(proposal__isnull=False),
                name="unique_flag_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="unique_flag_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="flag_open_idx")]

    def __str__(self) -> str:
        target = (
            f"proposal {self.proposal_id}" if self.proposal_id else f"comment {self.comment_id}"
        )
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


class ModerationAction(ModerationLogBase):
    """The log of the moderation of proposals, comments and users."""

    actor = person_field(_("moderator"), related_name="moderation_actions")
    action = models.CharField(_("action"), max_length=30, choices=ModerationActionKind.choices)
    proposal = logged_object("consultations.Proposal", _("proposal"))
    comment = logged_object("consultations.Comment", _("comment"))
    target_user = person_field(_("user"), related_name="moderation_actions_received", blank=True)

    class Meta(ModerationLogBase.Meta):
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
