"""The adopted concept (revised goals with numbered measures) and its monitoring.

The concept mirrors the annex of the Integrationskonzept: per Handlungsfeld the revised goals
(Überarbeitete Ziele), each with measures (Überarbeitete Maßnahmen) numbered continuously
1..N across the goals of that field. The number is unique per consultation and field in the
database; `services.renumber_field` closes gaps after a measure is removed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Implemented")
    DEFERRED = "deferred", _("Deferred")


class ConceptGoal(models.Model):
    """An adopted, revised goal (Überarbeitetes Ziel) of one Handlungsfeld."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="concept_goals",
        verbose_name=_("consultation"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.PROTECT,
        related_name="concept_goals",
        verbose_name=_("Handlungsfeld"),
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.TextField(_("revised goal"))
    source_proposal = models.OneToOneField(
        "consultations.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concept_goal",
        verbose_name=_("source proposal"),
    )
    # Set when a Fortschreibung started from another consultation's adopted version: the
    # entry this goal continues (the diff between versions follows it).
    origin_entry = models.ForeignKey(
        "results.ConceptVersionEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("continues the entry"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["consultation", "handlungsfeld__number", "position"]
        verbose_name = _("concept goal")
        verbose_name_plural = _("concept goals")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "handlungsfeld", "position"],
                name="unique_concept_goal_position",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConceptMeasure(models.Model):
    """An adopted, revised measure (Überarbeitete Maßnahme), numbered per Handlungsfeld.

    `consultation` and `handlungsfeld` repeat the goal's so that the database can keep the
    number unique per field; the services always copy them from the goal.
    """

    goal = models.ForeignKey(
        ConceptGoal, on_delete=models.CASCADE, related_name="measures", verbose_name=_("goal")
    )
    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="concept_measures",
        verbose_name=_("consultation"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.PROTECT,
        related_name="concept_measures",
        verbose_name=_("Handlungsfeld"),
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("revised measure"))
    source_proposal = models.OneToOneField(
        "consultations.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concept_measure",
        verbose_name=_("source proposal"),
    )
    origin_entry = models.ForeignKey(
        "results.ConceptVersionEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("continues the entry"),
    )
    department = models.ForeignKey(
        "foundation.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concept_measures",
        verbose_name=_("responsible department"),
    )
    status = models.CharField(
        _("implementation status"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.PLANNED,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    # How far the implementation has come, 0..100 per cent (services.measure_record_progress).
    progress = models.PositiveSmallIntegerField(
        _("progress in per cent"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Its share in the roll-up of its goal and Handlungsfeld; empty counts as 1 (progress.py).
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Its share in the progress of its goal and Handlungsfeld; empty counts as 1."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["consultation", "handlungsfeld__number", "number"]
        verbose_name = _("concept measure")
        verbose_name_plural = _("concept measures")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "handlungsfeld", "number"],
                name="unique_measure_number_per_field",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImplementationStatus.values),
                name="concept_measure_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="concept_measure_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=1, weight__lte=1000),
                name="concept_measure_weight_range",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "status"], name="measure_status_idx"),
            models.Index(fields=["department", "status"], name="measure_dept_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class MeasureStatusChange(models.Model):
    """One row per change of a measure's implementation status: the report's history."""

    measure = models.ForeignKey(
        ConceptMeasure,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("measure"),
    )
    old_status = models.CharField(
        _("previous status"), max_length=20, choices=ImplementationStatus.choices
    )
    new_status = models.CharField(
        _("new status"), max_length=20, choices=ImplementationStatus.choices
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_status=models.F("new_status")), name="status_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.old_status} → {self.new_status}"


class ProgressNote(models.Model):
    """A progress note (Sachstand) on a measure, optionally with the status it led to."""

    measure = models.ForeignKey(
        ConceptMeasure,
        on_delete=models.CASCADE,
        related_name="progress_notes",
        verbose_name=_("measure"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("progress note"), max_length=5000)
    status_after = models.CharField(
        _("status after this note"), max_length=20, choices=ImplementationStatus.choices, blank=True
    )
    # The measure's progress after this note (empty on notes written before progress existed).
    progress_after = models.PositiveSmallIntegerField(
        _("progress after this note"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        indexes = [
            models.Index(fields=["measure", "-created_at"], name="progress_note_measure_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_after__isnull=True) | Q(progress_after__lte=100),
                name="progress_note_progress_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(models.Model):
    """A measurable indicator of a measure or of a whole Handlungsfeld."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("consultation"),
    )
    measure = models.ForeignKey(
        ConceptMeasure,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("measure"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("Handlungsfeld"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("For example %, persons, courses")
    )
    target = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False) | Q(handlungsfeld__isnull=False),
                name="indicator_has_measure_or_field",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "date"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"], name="unique_indicator_value_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.date}: {self.value}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def report_upload_to(instance: ReportRun, filename: str) -> str:
    return f"results/reports/{instance.consultation_id}/{instance.pk}/{filename}"


class ReportRun(models.Model):
    """A half-yearly report (Halbjahresbericht) for the political committees.

    Files live in the default storage under a path only the permission-checked download view
    hands out; scheduled runs have no `requested_by` and are unique per period.
    """

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="report_runs",
        verbose_name=_("consultation"),
    )
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    xlsx = models.FileField(_("spreadsheet"), upload_to=report_upload_to, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration in ms"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("half-yearly report")
        verbose_name_plural = _("half-yearly reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="report_period_valid"
            ),
            models.UniqueConstraint(
                fields=["consultation", "period_end"],
                condition=Q(requested_by__isnull=True),
                name="unique_scheduled_report_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"


class ReportNarrative(models.Model):
    """What the coordination office writes for the half-yearly report of a consultation.

    One working draft per consultation: the summary, the issuing office for the cover and,
    in ReportFieldNarrative, one text per Handlungsfeld. Every report generated afterwards
    prints the draft as it is then, so the texts are written once and revised, not retyped.
    """

    consultation = models.OneToOneField(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="report_narrative",
        verbose_name=_("consultation"),
    )
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        blank=True,
        help_text=_(
            "The office named on the cover, for example “Koordinierungsstelle Integration”."
        ),
    )
    summary = models.TextField(_("summary"), blank=True, max_length=10000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.summary[:60]}"


class ReportFieldNarrative(models.Model):
    """The coordination office's text on one Handlungsfeld in the half-yearly report."""

    narrative = models.ForeignKey(
        ReportNarrative,
        on_delete=models.CASCADE,
        related_name="fields",
        verbose_name=_("report narrative"),
    )
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Handlungsfeld"),
    )
    text = models.TextField(_("text"), blank=True, max_length=10000)

    class Meta:
        ordering = ["narrative", "handlungsfeld__number"]
        verbose_name = _("report text of a Handlungsfeld")
        verbose_name_plural = _("report texts of the Handlungsfelder")
        constraints = [
            models.UniqueConstraint(
                fields=["narrative", "handlungsfeld"], name="unique_report_field_narrative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handlungsfeld_id}: {self.text[:60]}"


class PublicationNotice(models.Model):
    """The guard that each author and supporter hears about a published proposal once."""

    proposal = models.ForeignKey(
        "consultations.Proposal",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("proposal"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication notice")
        verbose_name_plural = _("publication notices")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="unique_publication_notice")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.user_id}"


# --- Concept versions: draft → adopted → published --------------------------------------------


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    PUBLISHED = "published", _("Published")


class ConceptVersion(models.Model):
    """One version of a consultation's concept: the first one, then each Fortschreibung.

    The goals and measures above are the working copy the coordination office edits. Adopting a
    version freezes the working copy into its entries (ConceptVersionEntry) together with the
    resolution (body, date, reference); only entries of adopted versions count as "beschlossen",
    and the public pages show the latest published version. A Fortschreibung is a new draft
    `based_on` the adopted version it continues.
    """

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="concept_versions",
        verbose_name=_("consultation"),
    )
    number = models.PositiveIntegerField(_("version number"))
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continued_by",
        verbose_name=_("based on"),
    )
    resolution_body = models.CharField(
        _("adopted by"),
        max_length=200,
        blank=True,
        help_text=_("The body that adopted it, for example “Regionsversammlung”"),
    )
    resolution_date = models.DateField(_("date of the resolution"), null=True, blank=True)
    resolution_reference = models.CharField(
        _("reference of the resolution"),
        max_length=200,
        blank=True,
        help_text=_("For example the number of the Beschlussdrucksache"),
    )
    adopted_at = models.DateTimeField(_("adoption recorded"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("adoption recorded by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["consultation", "-number"]
        verbose_name = _("concept version")
        verbose_name_plural = _("concept versions")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="unique_concept_version_number"
            ),
            models.CheckConstraint(
                condition=Q(state__in=VersionState.values), name="concept_version_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=VersionState.DRAFT)
                | (Q(resolution_date__isnull=False) & ~Q(resolution_body="")),
                name="concept_version_adopted_has_resolution",
            ),
            # At most one draft per consultation: a Fortschreibung at a time.
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(state="draft"),
                name="one_draft_concept_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def resolution_line(self) -> str:
        """“Beschlossen von … am … (…)”: one sentence for the page, the PDF and the XLSX."""
        from django.utils.formats import date_format
        from django.utils.translation import gettext

        if self.resolution_date is None:
            return ""
        values = {
            "body": self.resolution_body,
            "date": date_format(self.resolution_date, "DATE_FORMAT"),
            "reference": self.resolution_reference,
        }
        if self.resolution_reference:
            return gettext("Adopted by %(body)s on %(date)s (%(reference)s)") % values
        return gettext("Adopted by %(body)s on %(date)s") % values


class EntryKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    MEASURE = "measure", _("Measure")


class ConceptVersionEntry(models.Model):
    """A goal or measure as it was adopted in one version, frozen.

    `goal` and `measure` point to the working copy the entry was taken from (monitoring lives
    there); they become empty when the working entry is deleted later, the frozen text stays.
    A measure entry names its goal entry (`parent`) and its number in the field.
    """

    version = models.ForeignKey(
        ConceptVersion, on_delete=models.CASCADE, related_name="entries", verbose_name=_("version")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    handlungsfeld = models.ForeignKey(
        "foundation.Handlungsfeld",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Handlungsfeld"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("goal entry"),
    )
    goal = models.ForeignKey(
        ConceptGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="version_entries",
        verbose_name=_("goal"),
    )
    measure = models.ForeignKey(
        ConceptMeasure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="version_entries",
        verbose_name=_("measure"),
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("wording"))
    # The same goal or measure in the version this one is based on (empty: added in this one).
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        verbose_name=_("entry in the previous version"),
    )

    class Meta:
        ordering = ["version", "handlungsfeld__number", "kind", "position"]
        verbose_name = _("entry of a concept version")
        verbose_name_plural = _("entries of concept versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="concept_entry_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.GOAL, parent__isnull=True)
                | Q(kind=EntryKind.MEASURE, parent__isnull=False, number__isnull=False),
                name="concept_entry_measure_has_goal_and_number",
            ),
        ]
        indexes = [
            models.Index(fields=["version", "kind", "handlungsfeld"], name="concept_entry_idx"),
            models.Index(fields=["measure", "version"], name="concept_entry_measure_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.number or self.position}. {self.text[:60]}"

    # The public pages render entries with the templates written for the working copy: a goal
    # entry reads like a ConceptGoal, a measure entry like a ConceptMeasure whose status and
    # department come from the working measure (monitoring lives there).
    @property
    def title(self) -> str:
        return self.text

    @property
    def status(self) -> str:
        return self.measure.status if self.measure is not None else ImplementationStatus.PLANNED

    def get_status_display(self) -> str:
        return str(ImplementationStatus(self.status).label)

    @property
    def department(self) -> models.Model | None:
        return self.measure.department if self.measure is not None else None

    @property
    def progress(self) -> int:
        return self.measure.progress if self.measure is not None else 0

    @property
    def weight(self) -> int | None:
        return self.measure.weight if self.measure is not None else None


class ConceptRevision(models.Model):
    """One rewording of a goal or measure of the working copy: who, when, old and new wording."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        on_delete=models.CASCADE,
        related_name="concept_revisions",
        verbose_name=_("consultation"),
    )
    goal = models.ForeignKey(
        ConceptGoal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("goal"),
    )
    measure = models.ForeignKey(
        ConceptMeasure,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("measure"),
    )
    version = models.ForeignKey(
        ConceptVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        verbose_name=_("draft version"),
    )
    old_text = models.TextField(_("previous wording"))
    new_text = models.TextField(_("new wording"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("revision of the wording")
        verbose_name_plural = _("revisions of the wording")
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, measure__isnull=True)
                | Q(goal__isnull=True, measure__isnull=False),
                name="concept_revision_goal_or_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_text[:40]} → {self.new_text[:40]}"
