from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
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
# Proposal.review_refusal() as a filter: the proposals that still stand on their own.
REVIEWABLE = Q(is_hidden=False, merged_into__isnull=True) & ~Q(status__in=CLOSED_STATUSES)


class Proposal(models.Model):
    """A goal (Ziel) or measure (Maßnahme) proposed by a resident or a forum."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("consultation"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("Handlungsfeld"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.MEASURE
    )
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
    body_source = models.TextField(
        _("description as written"), blank=True, help_text=_("Markdown, as the author wrote it")
    )
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
        "foundation.Municipality",
        blank=True,
        related_name="proposals",
        verbose_name=_("municipalities"),
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
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PUBLISHED,
        db_index=True,
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
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(
                fields=["consultation", "handlungsfeld", "-support_count"],
                name="proposal_field_support_idx",
            ),
            models.Index(fields=["consultation", "-support_count"], name="proposal_support_idx"),
            models.Index(fields=["consultation", "-comment_count"], name="proposal_comment_idx"),
            models.Index(fields=["consultation", "-created_at"], name="proposal_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(kind=ProposalKind.MEASURE),
                name="only_measures_have_goal",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    follow_kind = "proposals"

    def get_absolute_url(self) -> str:
        return reverse("consultations:proposal_detail", args=[self.consultation.slug, self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ProposalStatus.WITHDRAWN

    # The status rules of a proposal: each says why the proposal itself refuses an action
    # now (the phase and the person aside), or None. Services enforce them, pages show them.

    def support_refusal(self) -> str | None:
        """Why the proposal does not collect supports or priority points, or None."""
        if self.status == ProposalStatus.WITHDRAWN:
            return gettext(
                "This proposal has been withdrawn by its author and cannot be supported any more."
            )
        if self.status == ProposalStatus.MERGED:
            return gettext(
                "This proposal has been merged into another one. Please support that one instead."
            )
        if self.is_hidden:
            return gettext(
                "This proposal has been hidden by the moderation and cannot be supported."
            )
        if self.is_locked:
            return gettext(
                "This proposal has been locked by the moderation and cannot be supported."
            )
        return None

    @property
    def accepts_supports(self) -> bool:
        return self.support_refusal() is None

    def comment_refusal(self) -> str | None:
        """Why the proposal's discussion takes no new comments, or None."""
        if self.is_hidden:
            return gettext("This proposal was hidden by the moderation; it cannot be commented on.")
        if self.status == ProposalStatus.WITHDRAWN:
            return gettext("This proposal was withdrawn by its author; the discussion is closed.")
        if self.status in CLOSED_STATUSES:
            return gettext(
                "This proposal was merged into another one; please continue the discussion there."
            )
        if self.is_locked:
            return gettext(
                "The moderation has locked this proposal; no new comments can be written."
            )
        return None

    def review_refusal(self) -> str | None:
        """Why the proposal cannot go through the departments' review (it no longer stands on
        its own: withdrawn, hidden or merged), or None. `REVIEWABLE` is the same rule as a filter."""
        if self.is_hidden or self.merged_into_id or self.status in CLOSED_STATUSES:
            return gettext("“%(title)s” is withdrawn, hidden or merged and cannot be reviewed.") % {
                "title": self.title
            }
        return None

    def edit_refusal(self) -> str | None:
        """Why the author can no longer edit the proposal, or None (supports counted apart)."""
        if self.is_locked or self.is_hidden or self.status != ProposalStatus.PUBLISHED:
            return gettext("This proposal can no longer be edited.")
        return None


class Support(models.Model):
    """One support per person and proposal; the unique constraint is the guard."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="unique_support_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class PriorityBudget(models.Model):
    """The points one person has spent in one Handlungsfeld of a consultation (Punkte kleben).

    Spending is a conditional F() update of this row; the CHECK constraint keeps
    spent <= budget even if a code path forgot the condition.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="priority_budgets",
        verbose_name=_("user"),
    )
    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="priority_budgets",
        verbose_name=_("consultation"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.CASCADE,
        related_name="priority_budgets",
        verbose_name=_("Handlungsfeld"),
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
            models.CheckConstraint(
                condition=Q(spent__lte=F("budget")), name="priority_spent_within_budget"
            ),
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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="priority_allocations",
        verbose_name=_("user"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="priority_allocations",
        verbose_name=_("proposal"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.CASCADE,
        related_name="priority_allocations",
        verbose_name=_("Handlungsfeld"),
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
