"""Flags, the moderation log and export jobs (issue 4, part B).

Imported at the end of consultations/models.py so that Django registers them in the
`consultations` app; the star import only carries the names in `__all__`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ExportFormat",
    "ExportJob",
    "ExportStatus",
    "Flag",
    "FlagReason",
    "FlagResolution",
    "ModerationAction",
    "ModerationActionKind",
]


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Insulting, discriminating or hateful")
    PERSONAL_DATA = "personal_data", _("Reveals personal data")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other reason")


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


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (semicolon-separated, for Excel and LibreOffice)")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A file of all proposals of a consultation, built in the background by a Celery task."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("requested by")
    )
    consultation = models.ForeignKey(
        "foundation.Consultation", on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("consultation")
    )
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(finished_at__isnull=False), name="export_done_has_finish_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.format} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.DONE and bool(self.file)
