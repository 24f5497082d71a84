from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def phases_cache_key(consultation_id: int) -> str:
    return f"foundation:consultation-phases:{consultation_id}"


class PhaseKind(models.TextChoices):
    """The five steps of the process (see the guide's process model)."""

    ANALYSIS = "analysis", _("Needs analysis")
    FORUMS = "forums", _("Forums")
    ASSESSMENT = "assessment", _("Expert assessment")
    RESULT = "result", _("Result")
    MONITORING = "monitoring", _("Implementation and monitoring")


class Activity(StrEnum):
    """What a phase may open for participants."""

    PROPOSALS = "proposals"
    SUPPORTS = "supports"
    COMMENTS = "comments"
    PRIORITY_POINTS = "priority_points"


@dataclass(frozen=True)
class PhaseGate:
    """Whether an activity is open in a consultation, the phase running now, and, when it is
    closed, the next phase that opens it (None if none will). `reason` is the caller's text."""

    is_open: bool
    phase: Phase | None
    opens_with: Phase | None = None
    reason: str = ""


class ConsultationQuerySet(models.QuerySet):
    def published(self) -> ConsultationQuerySet:
        return self.filter(is_published=True)


class Consultation(models.Model):
    """One participatory process with dated phases, e.g. the Integrationskonzept."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    handlungsfelder = models.ManyToManyField(
        "foundation.Handlungsfeld",
        verbose_name=_("Handlungsfelder"),
        blank=True,
        related_name="consultations",
    )
    municipalities = models.ManyToManyField(
        "foundation.Municipality",
        verbose_name=_("municipalities"),
        blank=True,
        related_name="consultations",
        help_text=_("Municipalities the consultation covers; empty means the whole region"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    #: Following (foundation.following): news about it are of this kind.
    follow_kind = "consultations"

    def get_absolute_url(self) -> str:
        """Its public page: the proposals (the consultation's own address)."""
        return reverse("consultations:proposal_list", args=[self.slug])

    def cached_phases(self) -> list[Phase]:
        """All phases in date order, from the cache (phase saves and deletes clear it).

        Nearly every request of a consultation asks which phase runs now; the phases change
        rarely (and only through save()/delete(), which the signal in foundation.signals
        watches), so they are read once per settings.PHASES_CACHE_SECONDS, not per request.
        """
        timeout = settings.PHASES_CACHE_SECONDS
        key = phases_cache_key(self.pk)
        phases = cache.get(key) if timeout else None
        if phases is None:
            phases = list(self.phases.order_by("starts_at", "pk"))
            if timeout:
                cache.set(key, phases, timeout)
        return phases

    def phase_at(self, moment: datetime | None = None) -> Phase | None:
        """The phase running at `moment` (now by default); the latest started one wins."""
        moment = moment or timezone.now()
        running = [phase for phase in self.cached_phases() if phase.is_open(moment)]
        return running[-1] if running else None

    def gate(self, activity: Activity, moment: datetime | None = None) -> PhaseGate:
        """Is `activity` open at `moment` (now by default), and if not, when does it open?

        The one rule for every phase check of the platform (proposals, supports, comments,
        priority points, forum posts); the callers only word the reason.
        """
        moment = moment or timezone.now()
        phase = self.phase_at(moment)
        if phase is not None and phase.allows(activity):
            return PhaseGate(is_open=True, phase=phase)
        upcoming = next(
            (
                later
                for later in self.cached_phases()
                if later.starts_at > moment and later.allows(activity)
            ),
            None,
        )
        return PhaseGate(is_open=False, phase=phase, opens_with=upcoming)

    def next_phase(self, moment: datetime | None = None) -> Phase | None:
        moment = moment or timezone.now()
        return next((phase for phase in self.cached_phases() if phase.starts_at > moment), None)


class Phase(models.Model):
    """A dated step of a consultation and what participants may do during it."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="phases",
        verbose_name=_("consultation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    allows_proposals = models.BooleanField(_("proposals can be submitted"), default=False)
    allows_supports = models.BooleanField(_("proposals can be supported"), default=False)
    allows_comments = models.BooleanField(_("proposals can be commented on"), default=False)
    priority_points = models.PositiveSmallIntegerField(
        _("priority points per person and Handlungsfeld"),
        default=0,
        help_text=_("0 switches priority points off"),
    )

    class Meta:
        ordering = ["consultation", "starts_at"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_start",
            ),
            models.UniqueConstraint(fields=["consultation", "kind"], name="unique_phase_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.title}"

    def allows(self, activity: Activity) -> bool:
        """Whether this phase opens `activity` (its dates aside)."""
        if activity == Activity.PRIORITY_POINTS:
            return self.priority_points > 0
        return bool(getattr(self, f"allows_{activity}"))

    def is_open(self, moment: datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.starts_at <= moment and (self.ends_at is None or moment < self.ends_at)

    def state(self, moment: datetime | None = None) -> str:
        """'past', 'current' or 'upcoming' relative to `moment`."""
        moment = moment or timezone.now()
        if moment < self.starts_at:
            return "upcoming"
        if self.ends_at is not None and moment >= self.ends_at:
            return "past"
        return "current"
