"""The review queue (Fachliche Einschätzung): one ReviewCase per proposal, its Assessment,
statements of contributing departments, the event log and review meetings.

The allowed state changes live in `workflow.py`, who may act in `permissions.py`; every write
goes through `services.py`. This module imports neither of them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    pass


class ReviewState(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_REVIEW = "in_review", _("In review")
    ASSESSED = "assessed", _("Assessed")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# States in which a department still owes work and a due date can be missed.
OPEN_STATES = (ReviewState.ASSIGNED, ReviewState.IN_REVIEW, ReviewState.RETURNED)
# The lead department may edit its draft assessment only while the case is in review.
EDITABLE_STATES = frozenset({ReviewState.IN_REVIEW})
# Contributing departments may add statements until the lead department has submitted.
CONTRIBUTION_STATES = frozenset({ReviewState.ASSIGNED, ReviewState.IN_REVIEW, ReviewState.RETURNED})


class Action(StrEnum):
    """What can be done to a case; `workflow.TRANSITIONS` says from which state to which."""

    ASSIGN = "assign"
    START = "start"
    RESUME = "resume"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"


# The label of every ReviewEvent.action: the workflow's actions and the other recorded events.
ACTION_LABELS = {
    Action.ASSIGN: _("Assigned"),
    Action.START: _("Review started"),
    Action.RESUME: _("Review resumed"),
    Action.SUBMIT: _("Assessment submitted"),
    Action.APPROVE: _("Approved"),
    Action.RETURN: _("Returned"),
    Action.PUBLISH: _("Published"),
    "created": _("Case opened"),
    "merged": _("Merged into another proposal"),
    "merge_primary": _("Duplicates merged into this proposal"),
    "contribution": _("Statement added"),
    "edited_by_office": _("Edited by the coordination office"),
    "corrected": _("Published assessment corrected"),
    "reminded": _("Reminder sent"),
}


# "May this proposal be reviewed?" – triaged, assigned, merged with others. The rule belongs on
# Proposal; it lives here until consultations/models.py has moved. The two spellings below (one
# proposal, a queryset filter) say the same and a test holds them together.
class Feasibility(models.TextChoices):
    FEASIBLE = "feasible", _("Feasible")
    PARTLY = "partly", _("Partly feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    ALREADY_DONE = "already_done", _("Already implemented")


class Responsibility(models.TextChoices):
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality (Kommune)")
    STATE = "state", _("State (Land)")
    FEDERAL = "federal", _("Federal government (Bund)")
    THIRD_PARTY = "third_party", _("Third parties (Dritte)")


class ReviewCaseQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None) -> ReviewCaseQuerySet:
        today = today or timezone.localdate()
        return self.filter(state__in=OPEN_STATES, due_on__lt=today, closed_at__isnull=True)

    def open(self) -> ReviewCaseQuerySet:
        return self.filter(closed_at__isnull=True)

    def for_departments(self, department_ids: set[int] | list[int]) -> ReviewCaseQuerySet:
        """Cases led by, or with a contribution requested from, one of the departments.

        An EXISTS subquery instead of a join keeps one row per case.
        """
        contributing = ReviewCase.contributing_departments.through.objects.filter(
            reviewcase_id=models.OuterRef("pk"), department_id__in=department_ids
        )
        return self.filter(
            Q(lead_department_id__in=department_ids) | Q(models.Exists(contributing))
        )


class ReviewCase(models.Model):
    """The review of one proposal: who leads it, who contributes, by when, and where it stands."""

    proposal = models.OneToOneField(
        "consultations.Proposal",
        on_delete=models.CASCADE,
        related_name="review_case",
        verbose_name=_("proposal"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.NEW,
        db_index=True,
    )
    lead_department = models.ForeignKey(
        "foundation.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_review_cases",
        verbose_name=_("lead department"),
    )
    contributing_departments = models.ManyToManyField(
        "foundation.Department",
        blank=True,
        related_name="contributed_review_cases",
        verbose_name=_("contributing departments"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    # Set when the proposal was merged into another one: the case leaves every queue and count
    # but keeps its history. A column (not a join to the proposal) keeps the queues fast.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReviewCaseQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("review case")
        verbose_name_plural = _("review cases")
        indexes = [
            models.Index(fields=["lead_department", "state"], name="review_case_dept_state_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ReviewState.NEW) | Q(lead_department__isnull=False),
                name="review_case_assigned_has_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} ({self.get_state_display()})"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state in OPEN_STATES and self.due_on is not None and self.due_on < today

    def assessment_edit_refusal(self) -> str | None:
        """Why the lead department may not edit the assessment now, or None if it may."""
        if self.state in EDITABLE_STATES:
            return None
        return gettext(
            "The assessment can only be edited while the case is in review (now: “%(state)s”)."
        ) % {"state": ReviewState(self.state).label}

    @property
    def assessment_is_draft(self) -> bool:
        """The lead department has not (or, after a return, not again) submitted its assessment."""
        return self.state in OPEN_STATES

    def contribution_refusal(self) -> str | None:
        """Why contributing departments may not add a statement now, or None if they may."""
        if self.state in CONTRIBUTION_STATES:
            return None
        return gettext(
            "Statements can only be added until the lead department has submitted its assessment."
        )


class Assessment(models.Model):
    """The lead department's Fachliche Einschätzung of a proposal.

    `internal_note` is for the administration only and is never shown publicly.
    """

    proposal = models.OneToOneField(
        "consultations.Proposal",
        on_delete=models.CASCADE,
        related_name="assessment",
        verbose_name=_("proposal"),
    )
    department = models.ForeignKey(
        "foundation.Department",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("department"),
    )
    feasibility = models.CharField(
        _("feasibility"), max_length=20, choices=Feasibility.choices, blank=True
    )
    responsibility = models.JSONField(_("responsibility"), default=list, blank=True)
    cost_estimate = models.TextField(_("cost estimate"), blank=True, max_length=2000)
    time_frame = models.TextField(_("time frame"), blank=True, max_length=2000)
    public_rationale = models.TextField(_("public rationale"), blank=True, max_length=10000)
    internal_note = models.TextField(_("internal note"), blank=True, max_length=10000)
    revised_title = models.CharField(_("revised title"), max_length=200, blank=True)
    revised_body = models.TextField(_("revised wording"), blank=True, max_length=10000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_feasibility_display() or '–'}"

    @property
    def responsibility_labels(self) -> list[str]:
        labels = dict(Responsibility.choices)
        return [str(labels.get(code, code)) for code in self.responsibility or []]


class AssessmentRevision(models.Model):
    """A saved version of the revised wording; the original proposal text stays untouched."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("assessment")
    )
    revised_title = models.CharField(_("revised title"), max_length=200, blank=True)
    revised_body = models.TextField(_("revised wording"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revision of the wording")
        verbose_name_plural = _("revisions of the wording")

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.revised_title or self.created_at}"


class AssessmentChangeKind(models.TextChoices):
    # The coordination office edits a submitted assessment before approving it.
    OFFICE_EDIT = "office_edit", _("Edited by the coordination office")
    # The coordination office corrects an assessment that has been published.
    CORRECTION = "correction", _("Correction")


class AssessmentChange(models.Model):
    """One change the coordination office made to a department's assessment: who, when, why,
    the values before and after, and whether the outcome (feasibility, responsibility) changed.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="changes", verbose_name=_("assessment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentChangeKind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    outcome_changed = models.BooleanField(_("outcome changed"), default=False)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of an assessment")
        verbose_name_plural = _("changes of assessments")
        indexes = [
            models.Index(fields=["assessment", "kind", "changed_at"], name="review_change_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(reason=""),
                name="review_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.kind} {self.changed_at:%Y-%m-%d}"

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) for each field this change altered, as displayed."""
        rows = []
        # In the assessment's field order: PostgreSQL's jsonb does not keep the keys' order.
        names = [f.name for f in Assessment._meta.concrete_fields if f.name in self.before]
        for name in names:
            before, after = self.before[name], self.after.get(name)
            if before == after:
                continue
            label = str(Assessment._meta.get_field(name).verbose_name)
            rows.append((label, _display(name, before), _display(name, after)))
        return rows


def _display(name: str, value: object) -> str:
    if name == "feasibility":
        return str(dict(Feasibility.choices).get(value, value)) if value else "–"
    if name == "responsibility":
        labels = dict(Responsibility.choices)
        return ", ".join(str(labels.get(code, code)) for code in value or []) or "–"
    return str(value) if value else "–"


class ReviewContribution(models.Model):
    """A statement by a contributing department, read by the lead department."""

    case = models.ForeignKey(
        ReviewCase, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "foundation.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    statement = models.TextField(_("statement"), max_length=10000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("statement of a contributing department")
        verbose_name_plural = _("statements of contributing departments")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.department_id}"


class ReviewEvent(models.Model):
    """One recorded change of a case: who did what, when, from which state to which."""

    case = models.ForeignKey(
        ReviewCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(
        _("from state"), max_length=20, choices=ReviewState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=20, choices=ReviewState.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [models.Index(fields=["case", "created_at"], name="review_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class MeetingKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    EXPERT_TALK = "expert_talk", _("Expert talk (Fachgespräch)")
    CONSULTATION = "consultation", _("Consultation (Rücksprache)")


class ReviewMeeting(models.Model):
    """A workshop, Fachgespräch or Rücksprache in which departments discussed proposals."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("date or first day"))
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Only if the meeting spans a period")
    )
    departments = models.ManyToManyField(
        "foundation.Department",
        blank=True,
        related_name="review_meetings",
        verbose_name=_("departments"),
    )
    proposals = models.ManyToManyField(
        "consultations.Proposal",
        blank=True,
        related_name="review_meetings",
        verbose_name=_("proposals discussed"),
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=20000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="review_meeting_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["kind", "title", "starts_on"], name="unique_review_meeting"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being checked")
    DONE = "done", _("Saved")
    REJECTED = "rejected", _("Not saved: the file has errors")
    FAILED = "failed", _("Failed")


class AssessmentImport(models.Model):
    """A department's spreadsheet of draft assessments, checked and saved by the worker.

    `errors` holds what was wrong, one entry per problem: {"row", "column", "message"}; a file
    with errors changes nothing (consultations.review.transfer).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to="review-imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    errors = models.JSONField(_("errors"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    saved_count = models.PositiveIntegerField(_("saved"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment upload")
        verbose_name_plural = _("assessment uploads")
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"], name="review_import_user_idx")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (ImportStatus.PENDING, ImportStatus.RUNNING)
