"""Writes of the results app: adoption into the concept, monitoring and report runs.

Every view, hook, task and management command calls these functions; each runs in one
transaction and leaves its side effects (e-mails, report generation) through the outbox.
Each write takes the acting user as `actor` and checks it with the predicates of
permissions.py; tasks, the demo loader and management commands pass `SYSTEM`. The workers'
jobs (`notify_publication`, `report_generate`) carry out work that was checked when it was
queued and take no actor.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from consultations.proposals.models import Proposal, ProposalKind
from foundation import following
from foundation.actors import System, acting_user
from foundation.models import Consultation, Department, Handlungsfeld, User
from foundation.outbox import enqueue

from . import permissions
from .models import (
    ConceptGoal,
    ConceptMeasure,
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    MeasureStatusChange,
    ProgressNote,
    PublicationNotice,
    ReportFieldNarrative,
    ReportNarrative,
    ReportRun,
    ReportStatus,
)
from .progress import MAX_PROGRESS, MIN_PROGRESS

logger = logging.getLogger(__name__)

Actor = User | System

# Umsetzbarkeit values of the review app that put a proposal into the concept.
ADOPTED_FEASIBILITIES = frozenset({"feasible", "partly", "already_done"})


# --- Adoption --------------------------------------------------------------------------------


def _lock_field(handlungsfeld: Handlungsfeld) -> None:
    """Serialise numbering within a field (PostgreSQL row lock; SQLite locks the whole file)."""
    Handlungsfeld.objects.select_for_update().filter(pk=handlungsfeld.pk).first()


def _plain(text: str) -> str:
    return " ".join(strip_tags(text or "").split())


@transaction.atomic
def goal_create(
    *,
    actor: Actor,
    consultation: Consultation,
    handlungsfeld: Handlungsfeld,
    title: str,
    source_proposal: Proposal | None = None,
    position: int | None = None,
    published_at: datetime | None = None,
) -> ConceptGoal:
    """Append a goal to the field (or put it at `position`, used by the annex import)."""
    permissions.require_concept_editor(actor)
    title = title.strip()
    if not title:
        raise ValidationError(_("A goal needs a wording."))
    _lock_field(handlungsfeld)
    if position is None:
        highest = ConceptGoal.objects.filter(
            consultation=consultation, handlungsfeld=handlungsfeld
        ).aggregate(highest=Max("position"))["highest"]
        position = (highest or 0) + 1
    return ConceptGoal.objects.create(
        consultation=consultation,
        handlungsfeld=handlungsfeld,
        position=position,
        title=title,
        source_proposal=source_proposal,
        published_at=published_at or timezone.now(),
    )


def _next_free_number(goal: ConceptGoal) -> int:
    highest = ConceptMeasure.objects.filter(
        consultation_id=goal.consultation_id, handlungsfeld_id=goal.handlungsfeld_id
    ).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def measure_create(
    *,
    actor: Actor,
    goal: ConceptGoal,
    text: str,
    source_proposal: Proposal | None = None,
    number: int | None = None,
    department: Department | None = None,
    status: str = ImplementationStatus.PLANNED,
    published_at: datetime | None = None,
) -> ConceptMeasure:
    """Add a measure with the next free number of its field (or the given annex number).

    The field row lock serialises concurrent adoptions; the unique constraint is the last
    guard, so a clash raises instead of producing two measures with one number.
    """
    permissions.require_concept_editor(actor)
    text = text.strip()
    if not text:
        raise ValidationError(_("A measure needs a wording."))
    _lock_field(goal.handlungsfeld)
    return ConceptMeasure.objects.create(
        goal=goal,
        consultation_id=goal.consultation_id,
        handlungsfeld_id=goal.handlungsfeld_id,
        number=number if number is not None else _next_free_number(goal),
        text=text,
        source_proposal=source_proposal,
        department=department,
        status=status,
        published_at=published_at or timezone.now(),
    )


@dataclass(frozen=True)
class AdoptionInput:
    """What the published assessment says about a proposal (see review.Assessment)."""

    feasibility: str
    revised_title: str = ""
    revised_body: str = ""
    department: Department | None = None


def _goal_wording(proposal: Proposal, revised_title: str) -> str:
    return (revised_title or "").strip() or proposal.title


def _measure_wording(proposal: Proposal, revised_title: str, revised_body: str) -> str:
    """The annex states a measure in one sentence: the revised title, else the revised text."""
    return (revised_title or "").strip() or _plain(revised_body) or proposal.title


def _goal_for_measure(proposal: Proposal, actor: Actor) -> ConceptGoal:
    """The concept goal a measure proposal belongs under, created from its goal proposal if needed."""
    goal_proposal = proposal.goal
    if goal_proposal is not None:
        existing = ConceptGoal.objects.filter(source_proposal=goal_proposal).first()
        if existing is not None:
            return existing
        assessment = getattr(goal_proposal, "assessment", None)
        title = _goal_wording(goal_proposal, getattr(assessment, "revised_title", "") or "")
        return goal_create(
            actor=actor,
            consultation=proposal.consultation,
            handlungsfeld=goal_proposal.handlungsfeld,
            title=title,
            source_proposal=goal_proposal,
        )
    # A measure proposed without a goal goes under the field's collecting goal.
    collecting_title = _("Further measures")
    existing = ConceptGoal.objects.filter(
        consultation=proposal.consultation,
        handlungsfeld=proposal.handlungsfeld,
        source_proposal__isnull=True,
        title=collecting_title,
    ).first()
    return existing or goal_create(
        actor=actor,
        consultation=proposal.consultation,
        handlungsfeld=proposal.handlungsfeld,
        title=collecting_title,
    )


@transaction.atomic
def adopt_proposal(
    *, actor: Actor, proposal: Proposal, adoption: AdoptionInput
) -> ConceptGoal | ConceptMeasure | None:
    """Put a published, feasible proposal into the concept, or update its entry. Idempotent.

    Goals become ConceptGoals (title = revised title or title); measures become numbered
    ConceptMeasures under the ConceptGoal of their goal proposal. Not feasible proposals are
    not adopted. Running it again updates the wording and keeps the number.
    """
    permissions.require_concept_editor(actor)
    if adoption.feasibility not in ADOPTED_FEASIBILITIES:
        return None
    if proposal.kind == ProposalKind.GOAL:
        title = _goal_wording(proposal, adoption.revised_title)
        goal = ConceptGoal.objects.select_for_update().filter(source_proposal=proposal).first()
        if goal is None:
            return goal_create(
                actor=actor,
                consultation=proposal.consultation,
                handlungsfeld=proposal.handlungsfeld,
                title=title,
                source_proposal=proposal,
            )
        if goal.title != title:
            goal.title = title
            goal.save(update_fields=["title", "updated_at"])
        return goal

    text = _measure_wording(proposal, adoption.revised_title, adoption.revised_body)
    status = (
        ImplementationStatus.DONE
        if adoption.feasibility == "already_done"
        else ImplementationStatus.PLANNED
    )
    measure = ConceptMeasure.objects.select_for_update().filter(source_proposal=proposal).first()
    if measure is None:
        goal = _goal_for_measure(proposal, actor)
        for attempt in range(
            3
        ):  # a concurrent adoption may take the number between read and insert
            try:
                with transaction.atomic():
                    return measure_create(
                        actor=actor,
                        goal=goal,
                        text=text,
                        source_proposal=proposal,
                        department=adoption.department,
                        status=status,
                    )
            except IntegrityError:
                if attempt == 2:
                    raise
    assert measure is not None
    changed = []
    if measure.text != text:
        measure.text = text
        changed.append("text")
    if measure.department_id is None and adoption.department is not None:
        measure.department = adoption.department
        changed.append("department")
    if changed:
        measure.save(update_fields=[*changed, "updated_at"])
    return measure


def adopt_published_case(case: Any, *, actor: Actor) -> None:
    """The review app's `CASE_PUBLISHED_HOOK`: adopt the proposal and tell the people behind it.

    `actor` is whoever published the assessment."""
    proposal = case.proposal
    assessment = getattr(proposal, "assessment", None)
    if assessment is not None:
        adopt_proposal(
            actor=actor,
            proposal=proposal,
            adoption=AdoptionInput(
                feasibility=assessment.feasibility,
                revised_title=assessment.revised_title or "",
                revised_body=assessment.revised_body or "",
                department=getattr(assessment, "department", None)
                or getattr(case, "lead_department", None),
            ),
        )
    publication_announce(actor=actor, proposal=proposal)


# --- Notifying authors and supporters -----------------------------------------------------------


def publication_announce(*, actor: Actor, proposal: Proposal) -> None:
    """Queue the notification of authors and supporters; the outbox sends it once per proposal."""
    permissions.require_concept_editor(actor)
    from consultations.proposals.notifications import proposal_url

    told = set(proposal.supports.values_list("user_id", flat=True))  # and the author:
    following.record(  # both hear of it from notify_publication
        target=proposal,
        verb="proposals.result",
        url=proposal_url(proposal),
        skip=told | ({proposal.author_id} if proposal.author_id else set()),
    )
    enqueue(
        "results.tasks.notify_publication",
        payload={"proposal_id": proposal.pk},
        dedupe_key=f"results-publication:{proposal.pk}",
    )


def _people_to_notify(proposal: Proposal) -> Iterable[User]:
    """Author and supporters, each person once (an author who also supports is one person)."""
    ids = set(proposal.supports.values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    already = set(
        PublicationNotice.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )
    pending = sorted(ids - already)
    for start in range(0, len(pending), 500):
        yield from User.objects.filter(pk__in=pending[start : start + 500], is_active=True)


def _publication_message(proposal: Proposal, user: User) -> Any:
    from consultations.proposals.notifications import proposal_url
    from foundation.notifications import Message

    assessment = getattr(proposal, "assessment", None)
    feasibility = getattr(assessment, "get_feasibility_display", lambda: "")()
    rationale = getattr(assessment, "public_rationale", "") or ""
    is_author = proposal.author_id == user.pk
    if is_author:
        title = _("The result for your proposal “%(title)s” has been published") % {
            "title": proposal.title
        }
    else:
        title = _("The result for the proposal “%(title)s” you support has been published") % {
            "title": proposal.title
        }
    lines = []
    if feasibility:
        lines.append(_("Assessment: %(feasibility)s") % {"feasibility": feasibility})
    if rationale:
        lines.append(_plain(rationale))
    return Message(
        kind="proposal_result", title=title, body="\n\n".join(lines), url=proposal_url(proposal)
    )


def notify_publication(*, proposal_id: int) -> int:
    """Notify every author and supporter of a published proposal exactly once. Returns the count.

    Safe to run twice: the PublicationNotice unique constraint claims each person first,
    and the e-mail carries a dedupe key per proposal and person.
    """
    from foundation.notifications import notify, recipient_language

    proposal = Proposal.objects.select_related("consultation").filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    sent = 0
    for user in _people_to_notify(proposal):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    PublicationNotice.objects.create(proposal=proposal, user=user)
            except IntegrityError:
                continue
            with recipient_language(user):
                message = _publication_message(proposal, user)
            notify(
                recipient=user,
                message=message,
                inapp=user.notify_status_inapp,
                email=user.notify_status_email,
                dedupe_key=f"results-published:{proposal.pk}",
                unsubscribe="status",
            )
            sent += 1
    return sent


# --- Editing the concept ---------------------------------------------------------------------


@transaction.atomic
def renumber_field(
    *, actor: Actor, consultation: Consultation, handlungsfeld: Handlungsfeld
) -> int:
    """Number the field's measures 1..N again, in goal order, closing gaps. Returns N.

    Two passes keep the unique constraint intact: first out of the way, then into place.
    """
    permissions.require_concept_editor(actor)
    _lock_field(handlungsfeld)
    measures = list(
        ConceptMeasure.objects.filter(consultation=consultation, handlungsfeld=handlungsfeld)
        .order_by("goal__position", "number")
        .values_list("pk", "number")
    )
    if not measures:
        return 0
    offset = max(number for _pk, number in measures) + len(measures) + 1
    ConceptMeasure.objects.filter(pk__in=[pk for pk, _n in measures]).update(
        number=F("number") + offset
    )
    for new_number, (pk, _old) in enumerate(measures, start=1):
        ConceptMeasure.objects.filter(pk=pk).update(number=new_number)
    return len(measures)


@transaction.atomic
def measure_remove(*, actor: Actor, measure: ConceptMeasure, renumber: bool = True) -> None:
    """Take a measure out of the concept (coordination office) and close the gap in numbering."""
    permissions.require_concept_editor_for(actor, measure)
    consultation, handlungsfeld = measure.consultation, measure.handlungsfeld
    measure.delete()
    if renumber:
        renumber_field(actor=actor, consultation=consultation, handlungsfeld=handlungsfeld)


@transaction.atomic
def concept_import_annex(
    *, actor: Actor, consultation: Consultation, fields: list[dict[str, Any]]
) -> tuple[int, int]:
    """Load a printed annex ({slug, annex: [{goal, measures: [{number, text}]}]} per field).

    Numbers are kept exactly as printed. Idempotent: goals are matched by position and
    measures by number; entries that came from proposals are never touched.
    """
    permissions.require_concept_editor(actor)
    goal_count = measure_count = 0
    by_slug = {
        field.slug: field
        for field in Handlungsfeld.objects.filter(slug__in=[f["slug"] for f in fields])
    }
    for field_data in fields:
        handlungsfeld = by_slug.get(field_data["slug"])
        if handlungsfeld is None:
            raise ValidationError(
                _("Unknown Handlungsfeld “%(slug)s”."),
                code="unknown_handlungsfeld",
                params={"slug": field_data["slug"]},
            )
        _lock_field(handlungsfeld)
        numbers = []
        for position, goal_data in enumerate(field_data.get("annex", []), start=1):
            goal, _created = ConceptGoal.objects.update_or_create(
                consultation=consultation,
                handlungsfeld=handlungsfeld,
                position=position,
                defaults={"title": goal_data["goal"].strip()},
                create_defaults={
                    "title": goal_data["goal"].strip(),
                    "published_at": timezone.now(),
                },
            )
            goal_count += 1
            for measure_data in goal_data.get("measures", []):
                number = int(measure_data["number"])
                numbers.append(number)
                ConceptMeasure.objects.update_or_create(
                    consultation=consultation,
                    handlungsfeld=handlungsfeld,
                    number=number,
                    defaults={"goal": goal, "text": measure_data["text"].strip()},
                    create_defaults={
                        "goal": goal,
                        "text": measure_data["text"].strip(),
                        "published_at": timezone.now(),
                    },
                )
                measure_count += 1
        positions = len(field_data.get("annex", []))
        ConceptMeasure.objects.filter(
            consultation=consultation, handlungsfeld=handlungsfeld, source_proposal__isnull=True
        ).exclude(number__in=numbers).delete()
        ConceptGoal.objects.filter(
            consultation=consultation,
            handlungsfeld=handlungsfeld,
            source_proposal__isnull=True,
            position__gt=positions,
        ).delete()
    return goal_count, measure_count


# --- Monitoring ------------------------------------------------------------------------------


# A measure is reported as implemented or deferred only together with the note that says why:
# the committee reads the note beside the status in the half-yearly report.
STATUSES_NEEDING_A_NOTE = frozenset({ImplementationStatus.DONE, ImplementationStatus.DEFERRED})


def note_required_message(status: str) -> str:
    """The refusal when a status of STATUSES_NEEDING_A_NOTE is set without a progress note."""
    return _(
        "Please write a progress note: a measure can only be marked as “%(status)s” together "
        "with a note that explains it."
    ) % {"status": ImplementationStatus(status).label}


@transaction.atomic
def measure_record_progress(
    *,
    measure: ConceptMeasure,
    actor: User,
    status: str,
    note: str = "",
    at: datetime | None = None,
    progress: int | None = None,
) -> ProgressNote | None:
    """Set the implementation status and/or add a progress note; every status change is logged.

    `progress` (0..100 per cent, None = unchanged) may only change together with a note, so
    that every step of the progress is a dated timeline entry; each note records the
    progress after it. Setting "done" or "deferred" needs a note (STATUSES_NEEDING_A_NOTE).
    """
    permissions.require_measure(actor, measure)
    if status not in ImplementationStatus.values:
        raise ValidationError({"status": _("Choose a valid implementation status.")})
    _ensure_progress_in_range(progress)
    note = note.strip()
    at = at or timezone.now()
    locked = ConceptMeasure.objects.select_for_update().get(pk=measure.pk)
    status_changed = locked.status != status
    progress_changed = progress is not None and progress != locked.progress
    if progress_changed and not note:
        raise ValidationError(
            {"note": _("Please describe in a progress note what the new progress is based on.")}
        )
    if not status_changed and not note:
        raise ValidationError(_("Change the status or write a progress note."))
    if status_changed and status in STATUSES_NEEDING_A_NOTE and not note:
        raise ValidationError({"note": note_required_message(status)})
    if status_changed:
        MeasureStatusChange.objects.create(
            measure=locked,
            old_status=locked.status,
            new_status=status,
            changed_by=actor,
            changed_at=at,
        )
        locked.status = status
        locked.status_changed_at = at
        locked.save(update_fields=["status", "status_changed_at", "updated_at"])
        measure.status, measure.status_changed_at = status, at
    if progress_changed:
        locked.progress = progress
        locked.save(update_fields=["progress", "updated_at"])
        measure.progress = progress
    if not note:
        return None
    return ProgressNote.objects.create(
        measure=locked,
        author=actor,
        text=note,
        status_after=status if status_changed else "",
        progress_after=locked.progress,
        created_at=at,
    )


def _ensure_progress_in_range(progress: int | None) -> None:
    if progress is not None and not MIN_PROGRESS <= progress <= MAX_PROGRESS:
        raise ValidationError(
            {"progress": _("The progress must be a whole number from 0 to 100 per cent.")}
        )


@transaction.atomic
def measure_set_weight(
    *, actor: Actor, measure: ConceptMeasure, weight: int | None
) -> ConceptMeasure:
    """The coordination office weights a measure in the roll-up (None: counts as 1)."""
    permissions.require_concept_editor_for(actor, measure)
    if weight is not None and not 1 <= weight <= 1000:
        raise ValidationError({"weight": _("The weight must be a whole number from 1 to 1000.")})
    measure.weight = weight
    measure.save(update_fields=["weight", "updated_at"])
    return measure


@transaction.atomic
def measure_assign_department(
    *, actor: Actor, measure: ConceptMeasure, department: Department | None
) -> ConceptMeasure:
    permissions.require_concept_editor_for(actor, measure)
    measure.department = department
    measure.save(update_fields=["department", "updated_at"])
    return measure


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    consultation: Consultation,
    name: str,
    measure: ConceptMeasure | None = None,
    handlungsfeld: Handlungsfeld | None = None,
    unit: str = "",
    target: Decimal | None = None,
    description: str = "",
) -> Indicator:
    permissions.require_indicator_creator(actor, measure)
    if measure is None and handlungsfeld is None:
        raise ValidationError(_("An indicator belongs to a measure or to a Handlungsfeld."))
    if measure is not None and measure.consultation_id != consultation.pk:
        raise ValidationError(_("The measure belongs to another consultation."))
    return Indicator.objects.create(
        consultation=consultation,
        measure=measure,
        handlungsfeld=handlungsfeld if measure is None else measure.handlungsfeld,
        name=name.strip(),
        unit=unit.strip(),
        target=target,
        description=description.strip(),
    )


@transaction.atomic
def indicator_value_set(
    *, actor: User, indicator: Indicator, on: date, value: Decimal, note: str = ""
) -> IndicatorValue:
    """Record the value for a date; a second value for the same date replaces the first."""
    permissions.require_indicator(actor, indicator)
    if on > timezone.localdate():
        raise ValidationError({"date": _("Values can only be recorded for today or earlier.")})
    record, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        date=on,
        defaults={"value": value, "note": note.strip(), "recorded_by": actor},
    )
    return record


# --- Half-yearly report --------------------------------------------------------------------------


def default_period_start(consultation: Consultation, before: datetime) -> datetime:
    """Since the end of the last finished report, else since the concept was first published."""
    last = (
        ReportRun.objects.filter(
            consultation=consultation, status=ReportStatus.DONE, period_end__lt=before
        )
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if last is not None:
        return last
    first = ConceptMeasure.objects.filter(consultation=consultation).aggregate(
        first=Min("created_at")
    )["first"]
    if first is not None and first < before:
        return first - timedelta(seconds=1)
    return before - timedelta(days=183)


@transaction.atomic
def report_request(
    *,
    actor: Actor,
    consultation: Consultation,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
) -> ReportRun:
    """Queue a report run; a worker generates the files (never the request).

    The schedule (SYSTEM) asks at most once per consultation and period end.
    """
    permissions.require_report_runner(actor)
    period_end = period_end or timezone.now()
    period_start = period_start or default_period_start(consultation, period_end)
    if period_end <= period_start:
        raise ValidationError({"period_end": _("The end of the period must be after its start.")})
    if period_end > timezone.now() + timedelta(minutes=1):
        raise ValidationError({"period_end": _("A report cannot cover a period in the future.")})
    if actor is System.SYSTEM:
        run, created = ReportRun.objects.get_or_create(
            consultation=consultation,
            period_end=period_end,
            requested_by=None,
            defaults={"period_start": period_start},
        )
        if not created:
            return run
    else:
        run = ReportRun.objects.create(
            consultation=consultation,
            period_start=period_start,
            period_end=period_end,
            requested_by=acting_user(actor),
        )
    enqueue(
        "results.tasks.generate_report",
        payload={"run_id": run.pk},
        dedupe_key=f"results-report:{run.pk}",
    )
    return run


NARRATIVE_MAX_LENGTH = 10000


@transaction.atomic
def report_narrative_save(
    *,
    actor: Actor,
    consultation: Consultation,
    summary: str,
    field_texts: dict[int, str],
    issuer: str = "",
) -> ReportNarrative:
    """Save the coordination office's draft for the report: summary, issuer, one text per field.

    `field_texts` maps Handlungsfeld ids to texts; a field not named keeps its text, an empty
    text clears it. The draft is printed by every report generated afterwards.
    """
    permissions.require_report_runner(actor)
    summary, issuer = summary.strip(), issuer.strip()
    texts = {pk: (text or "").strip() for pk, text in field_texts.items()}
    if len(summary) > NARRATIVE_MAX_LENGTH or any(
        len(text) > NARRATIVE_MAX_LENGTH for text in texts.values()
    ):
        raise ValidationError(
            _("A text of the report can have at most %(limit)s characters.")
            % {"limit": NARRATIVE_MAX_LENGTH}
        )
    known = set(Handlungsfeld.objects.filter(pk__in=list(texts)).values_list("pk", flat=True))
    if known != set(texts):
        raise ValidationError(_("The report texts name a Handlungsfeld that does not exist."))
    narrative, _created = ReportNarrative.objects.select_for_update().get_or_create(
        consultation=consultation
    )
    narrative.summary, narrative.issuer = summary, issuer
    narrative.updated_by = acting_user(actor)
    narrative.save()
    for handlungsfeld_id, text in texts.items():
        ReportFieldNarrative.objects.update_or_create(
            narrative=narrative, handlungsfeld_id=handlungsfeld_id, defaults={"text": text}
        )
    return narrative


def half_year_boundary(now: datetime) -> datetime:
    """The latest 1 January or 1 July, 00:00 local time, at or before `now`."""
    local = timezone.localtime(now)
    month = 7 if local.month >= 7 else 1
    return local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def reports_schedule(*, actor: Actor, now: datetime | None = None) -> list[ReportRun]:
    """The scheduled run: one report per consultation with a concept, for the half-year just ended."""
    permissions.require_report_runner(actor)
    period_end = half_year_boundary(now or timezone.now())
    consultation_ids = ConceptMeasure.objects.values_list("consultation_id", flat=True).distinct()
    runs = []
    for consultation in Consultation.objects.filter(pk__in=consultation_ids):
        runs.append(report_request(actor=actor, consultation=consultation, period_end=period_end))
    return runs


def report_generate(*, run_id: int) -> ReportRun | None:
    """Render the report's PDF and XLSX (the worker's job). Safe to run twice."""
    from django.core.files.base import ContentFile

    from . import exports, selectors

    claimed = ReportRun.objects.filter(
        pk=run_id, status__in=[ReportStatus.QUEUED, ReportStatus.FAILED]
    ).update(status=ReportStatus.RUNNING, error="")
    run = ReportRun.objects.select_related("consultation").filter(pk=run_id).first()
    if run is None or not claimed:
        return run
    started = timezone.now()
    try:
        data = selectors.report_data(
            consultation=run.consultation, period_start=run.period_start, period_end=run.period_end
        )
        stem = f"halbjahresbericht-{run.consultation.slug}-{timezone.localtime(run.period_end):%Y-%m-%d}"
        with translation_default():
            pdf_bytes = exports.report_pdf(data)
            xlsx_bytes = exports.report_xlsx(data)
        run.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        run.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx_bytes), save=False)
    except Exception as exc:
        logger.exception("Report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportStatus.FAILED, error=str(exc)[:2000]
        )
        run.refresh_from_db()
        return run
    run.status = ReportStatus.DONE
    run.finished_at = timezone.now()
    run.duration_ms = int((run.finished_at - started).total_seconds() * 1000)
    run.save(update_fields=["pdf", "xlsx", "status", "finished_at", "duration_ms"])
    return run


def translation_default() -> Any:
    """Reports are for the committees: rendered in the site's default language."""
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)
