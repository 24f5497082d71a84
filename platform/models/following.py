"""Following: what a person follows, what happened there (news), how often they hear of it.

A person follows a consultation, a Handlungsfeld's forum, a thread, a proposal or an event
(any model with a `follow_kind`, see foundation.following). What happens to a followed
thing is written once as a `News` row; per kind the person chooses how often they hear of
it (`NewsFrequency`): never, at once (in the app and by e-mail), or in a daily or weekly
digest. A `Digest` row claims one person's digest for one period, so it is sent once.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Salt of the signed name of a followed thing that follow buttons send.
TARGET_SALT = "foundation.following.target"


class NewsKind(models.TextChoices):
    """What the news is about; each person chooses a frequency per kind."""

    CONSULTATIONS = "consultations", _("Consultations")
    FORUMS = "forums", _("Forums and threads")
    PROPOSALS = "proposals", _("Proposals")
    EVENTS = "events", _("Events")


class NewsFrequency(models.TextChoices):
    NONE = "none", _("Never")
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class FollowOrigin(models.TextChoices):
    MANUAL = "manual", _("followed")
    SUPPORTED = "supported", _("supported")
    REGISTERED = "registered", _("registered")
    PARTICIPATED = "participated", _("took part")


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("person"),
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type"))
    target_id = models.PositiveBigIntegerField(_("object"))
    kind = models.CharField(_("kind"), max_length=20, choices=NewsKind.choices)
    origin = models.CharField(
        _("because"), max_length=20, choices=FollowOrigin.choices, default=FollowOrigin.MANUAL
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "target_type", "target_id"], name="follow_once")
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target_type_id}:{self.target_id}"

    @property
    def target_token(self) -> str:
        """What the follow button of this thing sends (see following.target_from_token)."""
        label = ContentType.objects.get_for_id(self.target_type_id)
        return signing.Signer(salt=TARGET_SALT).sign_object(
            [f"{label.app_label}.{label.model}", self.target_id]
        )


class NewsPreference(models.Model):
    """A person's frequency for one kind of news (no row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="news_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NewsKind.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=NewsFrequency.choices)

    class Meta:
        verbose_name = _("news setting")
        verbose_name_plural = _("news settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="news_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.frequency}"


class News(models.Model):
    """Something that happened to a followed thing, rendered for each reader in their language.

    `verb` names the text (foundation.following.verbs()); `params` fill it in; `skip` lists
    the people who were told directly already (the author of the thread replied to, ...).
    """

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type"))
    target_id = models.PositiveBigIntegerField(_("object"))
    kind = models.CharField(_("kind"), max_length=20, choices=NewsKind.choices)
    verb = models.CharField(_("what"), max_length=60)
    params = models.JSONField(_("details"), default=dict)
    url = models.CharField(_("link"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    skip = models.JSONField(_("told directly"), default=list, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("news")
        verbose_name_plural = _("news")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"], name="news_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type_id}:{self.target_id}"


class Digest(models.Model):
    """One person's digest for one period: the row is the claim that it is sent only once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("person"),
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=NewsFrequency.choices)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    item_count = models.PositiveIntegerField(_("news"), default=0)
    run = models.UUIDField(_("run"), null=True, editable=False)  # which run claimed it
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period_end"], name="digest_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["user", "frequency", "-period_end"], name="digest_last_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.frequency} {self.period_end:%Y-%m-%d}"
