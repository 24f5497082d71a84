"""Read-only queries of the public pages.

The pages read the apps below them (foundation, consultations, forums, surveys) only from
here, so each page's query count stays visible in one place and is pinned by tests.
Links to app pages are reversed defensively: an app that has not (yet) registered a URL
simply contributes no link instead of breaking the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, ForumEvent
from foundation.models import Activity, Consultation, Handlungsfeld, Phase, PhaseKind
from surveys.results.publication import SurveyFindings, published_findings


def reverse_first(candidates: Iterable[tuple[str, dict[str, Any]]]) -> str | None:
    """The first URL that resolves from (name, kwargs) candidates, else None."""
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return None


def _consultation_urls(name: str, consultation: Consultation) -> list[tuple[str, dict[str, Any]]]:
    slug = consultation.slug
    return [
        (name, {"consultation_slug": slug}),
        (name, {"slug": slug}),
        (name, {"consultation": slug}),
    ]


@dataclass(frozen=True)
class Action:
    """Something a visitor can do now, with a link when the app provides one."""

    key: str
    title: str
    description: str
    url: str | None = None


@dataclass
class PhaseEntry:
    phase: Phase
    state: str  # past | current | upcoming

    @property
    def state_label(self) -> str:
        return str(
            {"past": _("Completed"), "current": _("Current phase"), "upcoming": _("Upcoming")}[
                self.state
            ]
        )


@dataclass
class ConsultationOverview:
    consultation: Consultation
    phases: list[PhaseEntry]
    current: Phase | None
    next: Phase | None
    actions: list[Action] = field(default_factory=list)


def phases_with_state(
    phases: Sequence[Phase], moment: datetime
) -> tuple[list[PhaseEntry], Phase | None, Phase | None]:
    """Phases in order with their state; the current one is the latest started open phase
    (the same rule as Consultation.phase_at, computed from the already loaded rows)."""
    ordered = sorted(phases, key=lambda phase: phase.starts_at)
    open_phases = [phase for phase in ordered if phase.is_open(moment)]
    current = open_phases[-1] if open_phases else None
    upcoming = [phase for phase in ordered if phase.starts_at > moment]
    entries = []
    for phase in ordered:
        if phase is current:
            state = "current"
        elif phase.starts_at > moment:
            state = "upcoming"
        else:
            state = "past"
        entries.append(PhaseEntry(phase=phase, state=state))
    return entries, current, (upcoming[0] if upcoming else None)


def actions_for(consultation: Consultation, phase: Phase | None) -> list[Action]:
    """What can be done now, derived from the switches of the current phase."""
    if phase is None:
        return []
    proposals_url = reverse_first(_consultation_urls("consultations:proposal_list", consultation))
    actions: list[Action] = []
    if phase.allows(Activity.PROPOSALS):
        actions.append(
            Action(
                "propose",
                str(_("Submit a proposal")),
                str(_("Suggest a goal or a measure for one of the Handlungsfelder.")),
                reverse_first(_consultation_urls("consultations:proposal_create", consultation))
                or proposals_url,
            )
        )
    if phase.allows(Activity.SUPPORTS):
        actions.append(
            Action(
                "support",
                str(_("Support proposals")),
                str(_("Show which proposals matter to you by supporting them.")),
                proposals_url,
            )
        )
    if phase.allows(Activity.COMMENTS):
        actions.append(
            Action(
                "comment",
                str(_("Comment on proposals")),
                str(_("Discuss the proposals and add your experience.")),
                proposals_url,
            )
        )
    if phase.priority_points:
        actions.append(
            Action(
                "points",
                str(_("Set priorities")),
                str(
                    _("Distribute up to %(points)s priority points per Handlungsfeld.")
                    % {"points": phase.priority_points}
                ),
                proposals_url,
            )
        )
    if phase.kind == PhaseKind.ANALYSIS:
        actions.append(
            Action(
                "survey",
                str(_("Take part in the survey")),
                str(
                    _("Tell us what you need: the needs analysis asks residents and institutions.")
                ),
                reverse_first(
                    [("surveys:index", {}), ("surveys:survey_list", {}), ("surveys:list", {})]
                ),
            )
        )
    if phase.kind == PhaseKind.FORUMS:
        actions.append(
            Action(
                "forums",
                str(_("Join the forums")),
                str(
                    _("Discuss online in the forum of each Handlungsfeld or come to a forum event.")
                ),
                reverse_first(
                    [*_consultation_urls("forums:forum_list", consultation), ("forums:index", {})]
                ),
            )
        )
    if phase.kind in (PhaseKind.ASSESSMENT, PhaseKind.RESULT, PhaseKind.MONITORING) or not (
        any(
            phase.allows(activity)
            for activity in (Activity.PROPOSALS, Activity.SUPPORTS, Activity.COMMENTS)
        )
    ):
        actions.append(
            Action(
                "read",
                str(_("Read the proposals and results")),
                str(
                    _("See all proposals, how the departments assessed them and what was adopted.")
                ),
                reverse_first(_consultation_urls("results:concept", consultation)) or proposals_url,
            )
        )
    return actions


def consultation_overview(
    consultation: Consultation, *, moment: datetime | None = None
) -> ConsultationOverview:
    """Phases (one query unless prefetched), the current and next phase, and the actions."""
    moment = moment or timezone.now()
    entries, current, upcoming = phases_with_state(list(consultation.phases.all()), moment)
    return ConsultationOverview(
        consultation=consultation,
        phases=entries,
        current=current,
        next=upcoming,
        actions=actions_for(consultation, current),
    )


def forum_events(
    *, consultation: Consultation | None = None, handlungsfeld: Handlungsfeld | None = None
) -> QuerySet[ForumEvent]:
    """Forum events of published consultations, oldest first (one query)."""
    events = (
        ForumEvent.objects.filter(consultation__is_published=True)
        .select_related("municipality", "handlungsfeld", "consultation")
        .order_by("starts_at", "number")
    )
    if consultation is not None:
        events = events.filter(consultation=consultation)
    if handlungsfeld is not None:
        events = events.filter(handlungsfeld=handlungsfeld)
    return events


def proposals_url_for_field(
    consultation: Consultation | None, handlungsfeld: Handlungsfeld
) -> str | None:
    if consultation is None:
        return None
    base = reverse_first(_consultation_urls("consultations:proposal_list", consultation))
    return f"{base}?handlungsfeld={handlungsfeld.slug}" if base else None


def forum_for_field(
    consultation: Consultation | None, handlungsfeld: Handlungsfeld
) -> Forum | None:
    """The Handlungsfeld's forum in the page's consultation, if it has one (one query)."""
    if consultation is None or not consultation.is_published:
        return None
    return (
        Forum.objects.select_related("consultation", "handlungsfeld")
        .filter(consultation=consultation, handlungsfeld=handlungsfeld)
        .first()
    )


def survey_findings(*, handlungsfeld: Handlungsfeld) -> list[SurveyFindings]:
    """What published surveys found for the Handlungsfeld: the results of the questions tagged
    with it, small groups withheld (surveys.results.publication). Four or five queries."""
    return published_findings(handlungsfeld=handlungsfeld)
