from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    MEASURE = "measure", _("Measure")


class ProposalStatus(models.TextChoices):
    """The public status shown on a proposal; the review workflow sets the assessed ones."""

    PUBLISHED = "published", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    ACCEPTED = "accepted", _("Feasible")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly feasible")
    NOT_ACCEPTED = "not_accepted", _("Not feasible")
    ALREADY_DONE = "already_done", _("Already implemented")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses set by the department's assessment ("assessed" in filters and exports).
ASSESSED_STATUSES: frozenset[str] = frozenset(
    {
        ProposalStatus.ACCEPTED,
        ProposalStatus.PARTLY_ACCEPTED,
        ProposalStatus.NOT_ACCEPTED,
        ProposalStatus.ALREADY_DONE,
    }
)
# Statuses in which a proposal no longer collects supports or points.
CLOSED_STATUSES: frozenset[str] = frozenset({ProposalStatus.WITHDRAWN, ProposalStatus.MERGED})


class Proposal(models.Model):
    """A goal (Ziel) or measure (Maßnahme) proposed by a resident or a forum."""

    consultation = models.ForeignKey(
        "foundation.Consultation", on_delete=models.CASCADE, related_name="proposals", verbose_name=_("consultation")
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("Handlungsfeld")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.MEASURE)
    goal = models.ForeignKey(
        "self",
        verbose_name=_("belongs to goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        limit_choices_to={"kind": ProposalKind.GOAL},
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), help_text=_("Sanitised HTML"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("author"),
    )
    is_region_wide = models.BooleanField(_("whole region"), default=True)
    municipalities = models.ManyToManyField(
        "foundation.Municipality", blank=True, related_name="proposals", verbose_name=_("municipalities")
    )
    source_event = models.ForeignKey(
        "forums.ForumEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("from forum event"),
    )
    source_thread = models.ForeignKey(
        "forums.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("from forum thread"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PUBLISHED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    # Counters are kept by the write paths with F() updates; lists never count with joins.
    support_count = models.PositiveIntegerField(_("supports"), default=0, db_index=True)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    points_total = models.PositiveIntegerField(_("priority points"), default=0)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    is_locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Idempotency key of the submit form: a second POST with the same token finds this row.
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["consultation", "handlungsfeld", "-support_count"], name="proposal_field_support_idx"),
            models.Index(fields=["consultation", "-support_count"], name="proposal_support_idx"),
            models.Index(fields=["consultation", "-comment_count"], name="proposal_comment_idx"),
            models.Index(fields=["consultation", "-created_at"], name="proposal_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(kind=ProposalKind.MEASURE), name="only_measures_have_goal"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ProposalStatus.WITHDRAWN

    @property
    def is_assessed(self) -> bool:
        return self.status in ASSESSED_STATUSES

    @property
    def accepts_supports(self) -> bool:
        """Whether the proposal itself may collect supports and points (the phase aside)."""
        return not (self.is_hidden or self.is_locked or self.status in CLOSED_STATUSES)


class Support(models.Model):
    """One support per person and proposal; the unique constraint is the guard."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="unique_support_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class PriorityBudget(models.Model):
    """The points one person has spent in one Handlungsfeld of a consultation (Punkte kleben).

    Spending is a conditional F() update of this row; the CHECK constraint keeps
    spent <= budget even if a code path forgot the condition.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="priority_budgets", verbose_name=_("user")
    )
    consultation = models.ForeignKey(
        "foundation.Consultation", on_delete=models.CASCADE, related_name="priority_budgets", verbose_name=_("consultation")
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld", on_delete=models.CASCADE, related_name="priority_budgets", verbose_name=_("Handlungsfeld")
    )
    budget = models.PositiveSmallIntegerField(_("points available"))
    spent = models.PositiveSmallIntegerField(_("points spent"), default=0)

    class Meta:
        verbose_name = _("priority point budget")
        verbose_name_plural = _("priority point budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "consultation", "handlungsfeld"], name="unique_priority_budget"
            ),
            models.CheckConstraint(condition=Q(spent__lte=F("budget")), name="priority_spent_within_budget"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="priority_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.spent}/{self.budget} ({self.handlungsfeld_id})"

    @property
    def remaining(self) -> int:
        return max(self.budget - self.spent, 0)


class PriorityAllocation(models.Model):
    """Points one person gave to one proposal; their sum per field is bounded by PriorityBudget."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="priority_allocations", verbose_name=_("user")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="priority_allocations", verbose_name=_("proposal")
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld", on_delete=models.CASCADE, related_name="priority_allocations", verbose_name=_("Handlungsfeld")
    )
    points = models.PositiveSmallIntegerField(_("points"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("priority points")
        verbose_name_plural = _("priority points")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="unique_priority_allocation"),
            models.CheckConstraint(condition=Q(points__gt=0), name="priority_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}: {self.points}"


class Comment(models.Model):
    """A comment on a proposal; replies go one level deep."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal"))
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


from .moderation_models import *  # noqa: E402,F403
