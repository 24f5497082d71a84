"""What every moderated kind of content shares: the reasons for a flag, and the abstract models
of a contribution (a comment, a forum post), of a resident's report about something and of a
moderation log.

Each app's concrete models keep their own tables, limits, labels and related names: where
they differ from the base, the subclass declares the field again (Django lets a subclass
override a field of an abstract base), with person_field(), reporter_field() and
logged_object() where only the label or the related name differs. The bases' own related names are patterns, so that two
subclasses never clash.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FLAG_NOTE_MAX_LENGTH = 1000
# The same text sent twice by the same person within this window is a double click.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Insulting, discriminating or hateful")
    PERSONAL_DATA = "personal_data", _("Reveals personal data")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other reason")


class FlagResolution(models.TextChoices):
    HIDDEN = "hidden", _("Content hidden")
    DISMISSED = "dismissed", _("Flag dismissed")


def person_field(verbose_name: Any, *, related_name: str, blank: bool = False) -> models.ForeignKey:
    """A person a row names (author, moderator, …); the row stays when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def reporter_field(*, related_name: str) -> models.ForeignKey:
    """The resident who reported something; the report goes with the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("reported by"),
    )


class ModeratedContent(models.Model):
    """A contribution by a resident that its author may edit and delete and the moderation may
    hide: the text stays in the database either way, the page shows a marker in its place."""

    author = person_field(_("author"), related_name="%(app_label)s_%(class)s_authored")
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at"]

    @property
    def is_visible(self) -> bool:
        """Neither deleted by its author nor hidden by the moderation."""
        return self.deleted_at is None and not self.is_hidden

    @classmethod
    def just_sent(cls, *, author: Any, body: str, **where: Any) -> Self | None:
        """The same text by the same person (in the same place, `where`) sent a moment ago:
        a double click, not a second contribution."""
        return (
            cls._default_manager.filter(
                author=author,
                body=body,
                deleted_at__isnull=True,
                created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
                **where,
            )
            .order_by("-pk")
            .first()
        )

    def replace_body(self, body: str) -> bool:
        """The author's correction; the page marks the text as edited. False if nothing changed."""
        if body == self.body:
            return False
        self.body = body
        self.edited_at = timezone.now()
        self.save(update_fields=["body", "edited_at"])
        return True

    def soft_delete(self) -> bool:
        """Deleted by its author; True only for the call that deleted it (a double click or a
        second tab changes nothing), so that exactly one caller lowers the counters."""
        deleted = (
            type(self)
            ._default_manager.filter(pk=self.pk, deleted_at__isnull=True)
            .update(deleted_at=timezone.now())
        )
        self.refresh_from_db(fields=["deleted_at"])
        return bool(deleted)


class FlagBase(models.Model):
    """A resident's report of something to the moderation; each person reports an object once
    (the concrete model's unique constraint). Open until the moderation resolves it by hiding
    the content or dismissing the reports."""

    reporter = reporter_field(related_name="%(app_label)s_%(class)s_reported")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.TextField(_("note"), max_length=FLAG_NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = person_field(_("resolved by"), related_name="+", blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=FlagResolution.choices, blank=True
    )

    class Meta:
        abstract = True
        ordering = ["created_at"]

    @property
    def reason_label(self) -> str:
        return str(dict(FlagReason.choices).get(self.reason, self.reason))


def logged_object(to: Any, verbose_name: Any) -> models.ForeignKey:
    """A moderation log's key to an object it records actions on; the entry outlives it."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=verbose_name,
    )


class ModerationLogBase(models.Model):
    """One entry of a moderation log: who did what to which object, when and why.

    A concrete log declares a logged_object() key for each kind of object it records; an
    entry about an object fills that key, the key of the object it belongs to (a comment's
    proposal, a post's thread) where the log has one, and the person concerned.
    """

    actor = person_field(_("moderator"), related_name="%(app_label)s_%(class)s_done")
    action = models.CharField(_("action"), max_length=30)
    target_user = person_field(
        _("user"), related_name="%(app_label)s_%(class)s_received", blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    flags_resolved = models.PositiveIntegerField(_("flags resolved"), default=0)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def targets_of(cls, target: models.Model) -> dict[str, Any]:
        """The keys an entry about `target` fills: the object, where it belongs, its author;
        for a person (blocking), the person."""
        if isinstance(target, cls._meta.get_field("target_user").related_model):
            return {"target_user": target}
        keys = {
            field.related_model: field
            for field in cls._meta.concrete_fields
            if field.is_relation and field.name not in {"actor", "target_user"}
        }
        filled = {keys[type(target)].name: target, "target_user_id": target.author_id}
        for field in target._meta.concrete_fields:
            belongs_to = field.related_model if field.is_relation else None
            if belongs_to in keys and belongs_to is not type(target):
                filled[keys[belongs_to].attname] = getattr(target, field.attname)
        return filled

    @classmethod
    def record(
        cls, *, actor: Any, action: str, reason: str, target: models.Model, flags_resolved: int = 0
    ) -> Self:
        return cls._default_manager.create(
            actor=actor,
            action=action,
            reason=reason,
            flags_resolved=flags_resolved,
            **cls.targets_of(target),
        )
