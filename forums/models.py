"""Online forums per Handlungsfeld (Forum, Thread, Post) and the offline forum events.

Counter columns (Forum.thread_count/post_count/last_post_at, Thread.post_count/last_post_at,
ForumEvent.registered_count: confirmed places only, never the waiting list) are maintained by forums.services with F() updates in the same
transaction as the write they count; lists read them instead of counting with joins.
Thread.post_count and Forum.post_count count the posts a reader can read: neither deleted by
their author nor hidden by the moderation (Forum.* only in threads that are not hidden).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from foundation.models import FlagBase, ModeratedContent, ModerationLogBase
from foundation.models.moderation import logged_object, person_field, reporter_field

from .text import render_post


class ForumEvent(models.Model):
    """An offline forum (Forumsveranstaltung): date, place, registration, documentation."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="forum_events",
        verbose_name=_("consultation"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), default=0, help_text=_("0 for the kick-off")
    )
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
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("For example: Haus der Region, Saal 1")
    )
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    place = models.CharField(_("town"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "foundation.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_events",
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_(
            "Step-free access, lift, accessible toilet, induction loop, sign language or "
            "interpreting (and by when to ask for it), childcare."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    online_url = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_(
            "Optional, for taking part online. Only confirmed participants see it: on the "
            "event page, in the confirmation and in the reminder."
        ),
    )
    # Limited rich text (foundation.richtext), sanitised on every write path.
    documentation = models.TextField(
        _("documentation"),
        blank=True,
        help_text=_("What happened and what came of it; shown on the event page afterwards."),
    )
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, help_text=_("How many people came.")
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=False)
    has_waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_(
            "When all places are taken, further people join a waiting list and move up, "
            "in the order they came, when somebody cancels."
        ),
    )
    registered_count = models.PositiveIntegerField(_("registered"), default=0, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("forum event")
        verbose_name_plural = _("forum events")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "slug"], name="unique_forum_event_slug"
            ),
            # The guard of the capacity under concurrency: no write path can overbook.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(registered_count__lte=F("capacity")),
                name="forum_event_not_overbooked",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    follow_kind = "events"

    def get_absolute_url(self) -> str:
        return reverse("forums:event_detail", args=[self.consultation.slug, self.slug])

    def map_url(self) -> str:
        """The venue on OpenStreetMap's own site: a plain link, no map script on our pages."""
        if not self.street_address:
            return ""
        query = ", ".join(self.address_lines())
        return f"https://www.openstreetmap.org/search?{urlencode({'query': query})}"

    def address_lines(self) -> list[str]:
        """The venue as it is written on a letter: venue, street, postal code and town, then
        the municipality unless one of those lines names it already (never "Hannover,
        Hannover")."""
        town = f"{self.postal_code} {self.place}".strip()
        lines = [line for line in (self.venue, self.street_address, town) if line]
        if self.municipality and not any(self.municipality.name in line for line in lines):
            lines.append(self.municipality.name)
        return lines

    @property
    def is_upcoming(self) -> bool:
        return (self.ends_at or self.starts_at) > timezone.now()

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.registered_count >= self.capacity

    @property
    def has_documentation(self) -> bool:
        return bool(self.documentation or self.participants)


class Forum(models.Model):
    """The online discussion of one Handlungsfeld within a consultation."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="forums",
        verbose_name=_("consultation"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.CASCADE,
        related_name="forums",
        verbose_name=_("Handlungsfeld"),
    )
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open for posts"), default=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_forums",
        help_text=_(
            "Besides the coordination office: they hide and show posts and threads, lock, pin "
            "and move threads and answer reports in this forum"
        ),
    )
    thread_count = models.PositiveIntegerField(_("threads"), default=0, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)
    last_post_at = models.DateTimeField(_("last post"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["handlungsfeld__number"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "handlungsfeld"], name="unique_forum_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handlungsfeld} ({self.consultation})"

    follow_kind = "forums"

    def get_absolute_url(self) -> str:
        return reverse(
            "forums:forum_detail", args=[self.consultation.slug, self.handlungsfeld.slug]
        )


class Thread(models.Model):
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="threads", verbose_name=_("forum")
    )
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
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned threads stand at the top of the forum.")
    )
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        ordering = ["-last_post_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # The latest thread of each forum (the forum list).
            models.Index(
                fields=["forum", "is_hidden", "-last_post_at"], name="forum_thread_activity_idx"
            ),
            # The forum page: its threads, pinned ones first, then by their last post.
            models.Index(
                fields=["forum", "is_hidden", "-is_pinned", "-last_post_at"],
                name="forum_thread_listing_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    follow_kind = "forums"

    def get_absolute_url(self) -> str:
        forum = self.forum
        return reverse(
            "forums:thread_detail",
            args=[forum.consultation.slug, forum.handlungsfeld.slug, self.pk],
        )


class Post(ModeratedContent):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = person_field(_("author"), related_name="forum_posts")
    body = models.TextField(_("text"), max_length=10000, help_text=_("Markdown"))
    body_html = models.TextField(
        _("text as shown"), blank=True, editable=False, help_text=_("Rendered from the text")
    )

    class Meta(ModeratedContent.Meta):
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["thread", "created_at"], name="forum_post_thread_idx")]

    def __str__(self) -> str:
        return f"{self.thread}: {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The text as shown is rendered once, whenever the text is saved (not per page view)."""
        fields = kwargs.get("update_fields")
        if fields is None or "body" in fields:
            self.body_html = render_post(self.body)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "body_html"}
        super().save(*args, **kwargs)


class PostFlag(FlagBase):
    """A resident's report of a post to the moderation; each person reports a post once."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="flags", verbose_name=_("post")
    )
    reporter = reporter_field(related_name="forum_flags")
    # This table's columns were declared without choices; the values are FlagReason's and
    # FlagResolution's all the same (foundation.moderation.Flagging and the moderation set them).
    reason = models.CharField(_("reason"), max_length=20)
    resolution = models.CharField(_("resolution"), max_length=20, blank=True)

    class Meta(FlagBase.Meta):
        verbose_name = _("report of a post")
        verbose_name_plural = _("reports of posts")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], name="unique_forum_flag_per_person"
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="forum_flag_open_idx")]

    def __str__(self) -> str:
        return f"{self.reason}: post {self.post_id}"


class ForumModerationActionKind(models.TextChoices):
    HIDE_POST = "hide_post", _("Post hidden")
    UNHIDE_POST = "unhide_post", _("Post shown again")
    HIDE_THREAD = "hide_thread", _("Thread hidden")
    UNHIDE_THREAD = "unhide_thread", _("Thread shown again")
    LOCK_THREAD = "lock_thread", _("Thread locked")
    UNLOCK_THREAD = "unlock_thread", _("Thread unlocked")
    MOVE_THREAD = "move_thread", _("Thread moved to another forum")
    PIN_THREAD = "pin_thread", _("Thread pinned")
    UNPIN_THREAD = "unpin_thread", _("Thread unpinned")
    DISMISS_FLAGS = "dismiss_flags", _("Reports dismissed")


class ForumModerationAction(ModerationLogBase):
    """The log of the forum moderation: threads and posts."""

    actor = person_field(_("moderator"), related_name="forum_moderation_actions")
    action = models.CharField(_("action"), max_length=20, choices=ForumModerationActionKind.choices)
    thread = logged_object(Thread, _("thread"))
    post = logged_object(Post, _("post"))
    target_user = person_field(
        _("user"), related_name="forum_moderation_actions_received", blank=True
    )
    flags_resolved = models.PositiveIntegerField(_("reports closed"), default=0)

    class Meta(ModerationLogBase.Meta):
        verbose_name = _("forum moderation action")
        verbose_name_plural = _("forum moderation actions")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")


class EventRegistration(models.Model):
    """A person's registration for a forum event; cancelling keeps the row (cancelled_at).

    A confirmed registration holds one of the event's places (ForumEvent.registered_count);
    one on the waiting list holds none and moves up, first come first served, when a place
    becomes free (forums.events). `code` is the personal code shown at the door.
    """

    event = models.ForeignKey(
        ForumEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("forum event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    code = models.CharField(_("registration code"), max_length=8, default="")
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(cancelled_at__isnull=True),
                name="unique_active_registration",
            ),
            models.UniqueConstraint(
                fields=["event", "code"],
                condition=~Q(code=""),
                name="unique_registration_code_per_event",
            ),
        ]
        indexes = [
            # The waiting list of an event in the order people joined it.
            models.Index(
                fields=["event", "status", "created_at"],
                condition=Q(cancelled_at__isnull=True),
                name="forum_registration_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    @property
    def display_code(self) -> str:
        """The code as people read it: two groups of four ("K7MX-4PQA")."""
        code = self.code
        return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code

    @property
    def is_confirmed(self) -> bool:
        return self.cancelled_at is None and self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.cancelled_at is None and self.status == RegistrationStatus.WAITING


class EventFileKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    PRESENTATION = "presentation", _("Presentation")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other document")


class EventFile(models.Model):
    """A file of an event's documentation: a Wagtail document (minutes, slides) or a Wagtail
    image (photos), so that the admin's upload checks and the media storage apply."""

    event = models.ForeignKey(
        ForumEvent,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("forum event"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventFileKind.choices)
    title = models.CharField(_("title"), max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("documentation file")
        verbose_name_plural = _("documentation files")
        constraints = [
            # A photo is an image, everything else a document: exactly one of the two.
            models.CheckConstraint(
                condition=(
                    Q(kind="photo", image__isnull=False, document__isnull=True)
                    | (~Q(kind="photo") & Q(image__isnull=True, document__isnull=False))
                ),
                name="forum_event_file_one_store",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ThreadVisit(models.Model):
    """When a signed-in person last read a thread: what is newer is marked "new" for them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="thread_visits",
        verbose_name=_("reader"),
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="visits", verbose_name=_("thread")
    )
    seen_at = models.DateTimeField(_("last read"))

    class Meta:
        verbose_name = _("thread visit")
        verbose_name_plural = _("thread visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_thread_visit_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} at {self.seen_at:%Y-%m-%d %H:%M}"
