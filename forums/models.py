from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumEvent(models.Model):
    """An offline forum (Forumsveranstaltung): date, place, registration, documentation."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="forum_events",
        verbose_name=_("consultation"),
    )
    number = models.PositiveSmallIntegerField(_("number"), default=0, help_text=_("0 for the kick-off"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        verbose_name=_("Handlungsfeld"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_events",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "foundation.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_events",
    )
    description = models.TextField(_("description"), blank=True)
    documentation = models.TextField(_("documentation"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("forum event")
        verbose_name_plural = _("forum events")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "slug"], name="unique_forum_event_slug")
        ]

    def __str__(self) -> str:
        return self.title


class Forum(models.Model):
    """The online discussion of one Handlungsfeld within a consultation."""

    consultation = models.ForeignKey(
        "foundation.Consultation", on_delete=models.CASCADE, related_name="forums", verbose_name=_("consultation")
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld", on_delete=models.CASCADE, related_name="forums", verbose_name=_("Handlungsfeld")
    )
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open for posts"), default=True)

    class Meta:
        ordering = ["handlungsfeld__number"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "handlungsfeld"], name="unique_forum_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.handlungsfeld} ({self.consultation})"


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="threads", verbose_name=_("forum"))
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post"), auto_now_add=True, db_index=True)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["-last_post_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=10000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.thread}: {self.pk}"
