from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification shown in the user's notification list."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    key = models.CharField(
        _("deduplication key"), max_length=255, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """A task to run after commit, written in the same transaction as the change it announces.

    The relay hands it to Celery; if the broker is down the row waits for the next relay run
    (Celery beat), so a request never hangs on a broker and nothing is lost.
    `dedupe_key` makes "notify once" a database guarantee.
    """

    task = models.CharField(_("task"), max_length=200)
    payload = models.JSONField(_("arguments"), default=dict)
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=255, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.task} ({self.pk})"
