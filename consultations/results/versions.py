"""Writes of the concept's versions: draft → adopted → published, and the draft's editing.

The goals and measures (ConceptGoal, ConceptMeasure) are the working copy. While a draft
version exists the coordination office rewords (history in ConceptRevision), orders, groups,
adds and removes them; adopting freezes the working copy into the version's entries together
with the resolution; publishing makes that version the one the public pages show. Newly
published assessments keep entering the working copy (services.adopt_published_case) and reach
the public only with the next adopted and published version.

Kept apart from services.py, which adopts proposals and runs monitoring; the numbering rules
(`renumber_field`, `goal_create`, `measure_create`, `measure_remove`) stay there and are used
from here. Every function takes the acting person as `actor` and lets only the coordination
office (or SYSTEM: the demo loader) through.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from foundation.actors import acting_user
from foundation.models import Consultation, Handlungsfeld

from . import permissions, services
from .models import (
    ConceptGoal,
    ConceptMeasure,
    ConceptRevision,
    ConceptVersion,
    ConceptVersionEntry,
    EntryKind,
    VersionState,
)
from .services import Actor

Direction = Literal["up", "down"]

ADOPTED_STATES = (VersionState.ADOPTED, VersionState.PUBLISHED)


# --- Reading the state -------------------------------------------------------------------------


def draft_of(consultation: Consultation) -> ConceptVersion | None:
    return ConceptVersion.objects.filter(
        consultation=consultation, state=VersionState.DRAFT
    ).first()


def latest_adopted(consultation: Consultation) -> ConceptVersion | None:
    """The latest adopted or published version: where a Fortschreibung starts."""
    return (
        ConceptVersion.objects.filter(consultation=consultation, state__in=ADOPTED_STATES)
        .order_by("-number")
        .first()
    )


def _draft_exists_error(draft: ConceptVersion) -> ValidationError:
    return ValidationError(
        _("A draft version already exists: “%(title)s”. Adopt it before you start another one.")
        % {"title": draft.title},
        code="draft_exists",
    )


def require_draft(consultation: Consultation) -> ConceptVersion:
    """The working copy changes only while a draft version is open."""
    draft = draft_of(consultation)
    if draft is None:
        raise ValidationError(
            _("Start a new version of the concept before you change it."), code="no_draft"
        )
    return draft


# --- Versions ----------------------------------------------------------------------------------


def _copy_into_working_copy(consultation: Consultation, source: ConceptVersion) -> None:
    """Take another consultation's adopted version over as this consultation's working copy."""
    entries = list(source.entries.order_by("handlungsfeld__number", "kind", "position", "number"))
    goals: dict[int, ConceptGoal] = {}
    for entry in entries:
        if entry.kind == EntryKind.GOAL:
            goals[entry.pk] = ConceptGoal.objects.create(
                consultation=consultation,
                handlungsfeld_id=entry.handlungsfeld_id,
                position=entry.position,
                title=entry.text,
                origin_entry=entry,
                published_at=timezone.now(),
            )
    for entry in entries:
        if entry.kind == EntryKind.MEASURE:
            goal = goals[entry.parent_id]
            ConceptMeasure.objects.create(
                goal=goal,
                consultation=consultation,
                handlungsfeld_id=entry.handlungsfeld_id,
                number=entry.number,
                text=entry.text,
                origin_entry=entry,
                department=entry.measure.department if entry.measure_id else None,
                published_at=timezone.now(),
            )


@transaction.atomic
def version_start(
    *,
    actor: Actor,
    consultation: Consultation,
    title: str,
    continues: ConceptVersion | None = None,
) -> ConceptVersion:
    """Open the first version or a Fortschreibung of the latest adopted one, as a draft.

    `continues` names an adopted version of another consultation whose concept this one
    continues (e.g. the Fortschreibung 2027 of the 2016 concept): its entries become the
    (then empty) working copy.
    """
    permissions.require_concept_editor(actor)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the version a title.")}, code="no_title")
    # Lock the consultation's versions so that two starts cannot both pass the check below.
    versions = list(ConceptVersion.objects.select_for_update().filter(consultation=consultation))
    draft = next((v for v in versions if v.state == VersionState.DRAFT), None)
    if draft is not None:
        raise _draft_exists_error(draft)
    adopted = [v for v in versions if v.state in ADOPTED_STATES]
    based_on = max(adopted, key=lambda v: v.number) if adopted else None
    if continues is not None and continues.consultation_id != consultation.pk:
        if continues.state not in ADOPTED_STATES:
            raise ValidationError(
                _("Only an adopted version can be continued."), code="continues_draft"
            )
        if based_on is not None:
            raise ValidationError(
                _(
                    "This consultation has adopted versions of its own; a Fortschreibung "
                    "continues the latest of them."
                ),
                code="continues_foreign",
            )
        if ConceptGoal.objects.filter(consultation=consultation).exists():
            raise ValidationError(
                _(
                    "The working copy of this consultation already holds goals; another "
                    "consultation's concept can only be taken over into an empty one."
                ),
                code="working_copy_not_empty",
            )
        _copy_into_working_copy(consultation, continues)
        based_on = continues
    highest = max([v.number for v in versions] + [based_on.number if based_on else 0])
    try:
        with transaction.atomic():
            return ConceptVersion.objects.create(
                consultation=consultation,
                number=highest + 1,
                title=title,
                based_on=based_on,
            )
    except IntegrityError:  # a concurrent start won the one-draft constraint
        raise _draft_exists_error(draft_of(consultation) or ConceptVersion(title=title)) from None


def _freeze(version: ConceptVersion) -> int:
    """Copy the working copy into the version's entries, linked to the previous version's."""
    previous_goals: dict[int, int] = {}
    previous_measures: dict[int, int] = {}
    if version.based_on_id:
        for pk, kind, goal_id, measure_id in ConceptVersionEntry.objects.filter(
            version_id=version.based_on_id
        ).values_list("pk", "kind", "goal_id", "measure_id"):
            if kind == EntryKind.GOAL and goal_id:
                previous_goals[goal_id] = pk
            elif kind == EntryKind.MEASURE and measure_id:
                previous_measures[measure_id] = pk
    based_on_id = version.based_on_id

    def previous_of(origin_entry_id: int | None, by_working: dict[int, int], pk: int) -> int | None:
        if pk in by_working:
            return by_working[pk]
        if origin_entry_id and based_on_id:
            return origin_entry_id  # copied from the version this one continues
        return None

    goals = list(
        ConceptGoal.objects.filter(consultation_id=version.consultation_id).order_by(
            "handlungsfeld__number", "position"
        )
    )
    rank: dict[int, int] = {}
    new_goal_entries = []
    for goal in goals:  # positions 1..n per field, in the working copy's order
        rank[goal.handlungsfeld_id] = rank.get(goal.handlungsfeld_id, 0) + 1
        new_goal_entries.append(
            ConceptVersionEntry(
                version=version,
                kind=EntryKind.GOAL,
                handlungsfeld_id=goal.handlungsfeld_id,
                goal=goal,
                position=rank[goal.handlungsfeld_id],
                text=goal.title,
                previous_id=previous_of(goal.origin_entry_id, previous_goals, goal.pk),
            )
        )
    goal_entries = ConceptVersionEntry.objects.bulk_create(new_goal_entries)
    entry_of_goal = {entry.goal_id: entry for entry in goal_entries}
    measures = ConceptMeasure.objects.filter(consultation_id=version.consultation_id).order_by(
        "handlungsfeld__number", "number"
    )
    measure_entries = ConceptVersionEntry.objects.bulk_create(
        [
            ConceptVersionEntry(
                version=version,
                kind=EntryKind.MEASURE,
                handlungsfeld_id=measure.handlungsfeld_id,
                parent=entry_of_goal[measure.goal_id],
                measure=measure,
                position=measure.number,
                number=measure.number,
                text=measure.text,
                previous_id=previous_of(measure.origin_entry_id, previous_measures, measure.pk),
            )
            for measure in measures
        ]
    )
    return len(goal_entries) + len(measure_entries)


@transaction.atomic
def version_adopt(
    *,
    actor: Actor,
    version: ConceptVersion,
    body: str,
    on: date | None,
    reference: str = "",
) -> ConceptVersion:
    """Record the resolution and freeze the working copy into the version (state adopted)."""
    permissions.require_concept_editor(actor)
    version = ConceptVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft can be adopted."), code="not_draft")
    body, reference = body.strip(), reference.strip()
    errors: dict[str, str] = {}
    if not body:
        errors["resolution_body"] = _("Name the body that adopted the concept.")
    if on is None:
        errors["resolution_date"] = _("Enter the date of the resolution.")
    elif on > timezone.localdate():
        errors["resolution_date"] = _("The date of the resolution cannot be in the future.")
    if errors:
        raise ValidationError(errors, code="resolution")
    if not ConceptGoal.objects.filter(consultation_id=version.consultation_id).exists():
        raise ValidationError(
            _("The concept has no goals yet, so there is nothing to adopt."), code="empty"
        )
    _freeze(version)
    version.state = VersionState.ADOPTED
    version.resolution_body = body
    version.resolution_date = on
    version.resolution_reference = reference
    version.adopted_at = timezone.now()
    version.adopted_by = acting_user(actor)
    version.save()
    return version


@transaction.atomic
def version_publish(*, actor: Actor, version: ConceptVersion) -> ConceptVersion:
    """Make an adopted version the one the public concept, downloads and monitoring show."""
    permissions.require_concept_editor(actor)
    version = ConceptVersion.objects.select_for_update().get(pk=version.pk)
    if version.state == VersionState.PUBLISHED:
        raise ValidationError(_("This version has already been published."), code="published")
    if version.state != VersionState.ADOPTED:
        raise ValidationError(
            _("Only an adopted version can be published. Record the resolution first."),
            code="not_adopted",
        )
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["state", "published_at", "updated_at"])
    return version


# --- Editing the draft's working copy ---------------------------------------------------------


def _record_revision(
    *,
    actor: Actor,
    draft: ConceptVersion,
    old: str,
    new: str,
    goal: ConceptGoal | None = None,
    measure: ConceptMeasure | None = None,
) -> ConceptRevision:
    return ConceptRevision.objects.create(
        consultation_id=draft.consultation_id,
        goal=goal,
        measure=measure,
        version=draft,
        old_text=old,
        new_text=new,
        changed_by=acting_user(actor),
        changed_at=timezone.now(),
    )


def _new_wording(old: str, text: str, empty_message: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": empty_message}, code="empty")
    if text == old:
        raise ValidationError({"text": _("The wording has not changed.")}, code="unchanged")
    return text


@transaction.atomic
def goal_reword(*, actor: Actor, goal: ConceptGoal, text: str) -> ConceptRevision:
    permissions.require_concept_editor(actor)
    draft = require_draft(goal.consultation)
    goal = ConceptGoal.objects.select_for_update().get(pk=goal.pk)
    new = _new_wording(goal.title, text, _("A goal needs a wording."))
    revision = _record_revision(actor=actor, draft=draft, old=goal.title, new=new, goal=goal)
    goal.title = new
    goal.save(update_fields=["title", "updated_at"])
    return revision


@transaction.atomic
def measure_reword(*, actor: Actor, measure: ConceptMeasure, text: str) -> ConceptRevision:
    permissions.require_concept_editor(actor)
    draft = require_draft(measure.consultation)
    measure = ConceptMeasure.objects.select_for_update().get(pk=measure.pk)
    new = _new_wording(measure.text, text, _("A measure needs a wording."))
    revision = _record_revision(
        actor=actor, draft=draft, old=measure.text, new=new, measure=measure
    )
    measure.text = new
    measure.save(update_fields=["text", "updated_at"])
    return revision


def _renumber(actor: Actor, consultation_id: int, handlungsfeld_id: int) -> None:
    services.renumber_field(
        actor=actor,
        consultation=Consultation.objects.get(pk=consultation_id),
        handlungsfeld=Handlungsfeld.objects.get(pk=handlungsfeld_id),
    )


@transaction.atomic
def goal_move(*, actor: Actor, goal: ConceptGoal, direction: Direction) -> None:
    """Swap the goal with its neighbour in the field; its measures' numbers follow."""
    permissions.require_concept_editor(actor)
    require_draft(goal.consultation)
    services._lock_field(goal.handlungsfeld)
    goal = ConceptGoal.objects.get(pk=goal.pk)
    siblings = ConceptGoal.objects.filter(
        consultation_id=goal.consultation_id, handlungsfeld_id=goal.handlungsfeld_id
    )
    if direction == "up":
        neighbour = siblings.filter(position__lt=goal.position).order_by("-position").first()
        edge = _("The goal is already the first in its Handlungsfeld.")
    else:
        neighbour = siblings.filter(position__gt=goal.position).order_by("position").first()
        edge = _("The goal is already the last in its Handlungsfeld.")
    if neighbour is None:
        raise ValidationError(edge, code="edge")
    mine, theirs = goal.position, neighbour.position
    highest = siblings.aggregate(highest=Max("position"))["highest"] or 0
    ConceptGoal.objects.filter(pk=goal.pk).update(position=highest + 1)
    ConceptGoal.objects.filter(pk=neighbour.pk).update(position=mine)
    ConceptGoal.objects.filter(pk=goal.pk).update(position=theirs)
    _renumber(actor, goal.consultation_id, goal.handlungsfeld_id)


@transaction.atomic
def measure_move(*, actor: Actor, measure: ConceptMeasure, direction: Direction) -> None:
    """Swap the measure with its neighbour within its goal (numbers stay 1..N in the field)."""
    permissions.require_concept_editor(actor)
    require_draft(measure.consultation)
    services._lock_field(measure.handlungsfeld)
    measure = ConceptMeasure.objects.get(pk=measure.pk)
    siblings = ConceptMeasure.objects.filter(goal_id=measure.goal_id)
    if direction == "up":
        neighbour = siblings.filter(number__lt=measure.number).order_by("-number").first()
        edge = _("The measure is already the first of its goal.")
    else:
        neighbour = siblings.filter(number__gt=measure.number).order_by("number").first()
        edge = _("The measure is already the last of its goal.")
    if neighbour is None:
        raise ValidationError(edge, code="edge")
    mine, theirs = measure.number, neighbour.number
    highest = (
        ConceptMeasure.objects.filter(
            consultation_id=measure.consultation_id, handlungsfeld_id=measure.handlungsfeld_id
        ).aggregate(highest=Max("number"))["highest"]
        or 0
    )
    ConceptMeasure.objects.filter(pk=measure.pk).update(number=highest + 1)
    ConceptMeasure.objects.filter(pk=neighbour.pk).update(number=mine)
    ConceptMeasure.objects.filter(pk=measure.pk).update(number=theirs)


@transaction.atomic
def measure_regroup(*, actor: Actor, measure: ConceptMeasure, goal: ConceptGoal) -> None:
    """Move the measure to the end of another goal of the same field, then renumber the field."""
    permissions.require_concept_editor(actor)
    require_draft(measure.consultation)
    if goal.consultation_id != measure.consultation_id or (
        goal.handlungsfeld_id != measure.handlungsfeld_id
    ):
        raise ValidationError(
            {"goal": _("A measure can only be moved to a goal of the same Handlungsfeld.")},
            code="other_field",
        )
    if goal.pk == measure.goal_id:
        raise ValidationError(
            {"goal": _("The measure already belongs to this goal.")}, code="same_goal"
        )
    services._lock_field(measure.handlungsfeld)
    highest = (
        ConceptMeasure.objects.filter(
            consultation_id=measure.consultation_id, handlungsfeld_id=measure.handlungsfeld_id
        ).aggregate(highest=Max("number"))["highest"]
        or 0
    )
    ConceptMeasure.objects.filter(pk=measure.pk).update(goal=goal, number=highest + 1)
    _renumber(actor, measure.consultation_id, measure.handlungsfeld_id)


@transaction.atomic
def goal_add(
    *, actor: Actor, consultation: Consultation, handlungsfeld: Handlungsfeld, text: str
) -> ConceptGoal:
    """A goal written by hand, appended to the field."""
    permissions.require_concept_editor(actor)
    require_draft(consultation)
    return services.goal_create(
        actor=actor, consultation=consultation, handlungsfeld=handlungsfeld, title=text
    )


@transaction.atomic
def measure_add(*, actor: Actor, goal: ConceptGoal, text: str) -> ConceptMeasure:
    """A measure written by hand, appended to its goal; the field is numbered again."""
    permissions.require_concept_editor(actor)
    require_draft(goal.consultation)
    measure = services.measure_create(actor=actor, goal=goal, text=text)
    _renumber(actor, goal.consultation_id, goal.handlungsfeld_id)
    measure.refresh_from_db(fields=["number"])
    return measure


@transaction.atomic
def goal_remove(*, actor: Actor, goal: ConceptGoal) -> None:
    permissions.require_concept_editor(actor)
    require_draft(goal.consultation)
    if goal.measures.exists():
        raise ValidationError(
            _("Move or remove the goal's measures before you remove the goal."),
            code="has_measures",
        )
    goal.delete()


@transaction.atomic
def measure_remove(*, actor: Actor, measure: ConceptMeasure) -> None:
    """Take a measure out of the working copy; earlier versions keep their frozen entry."""
    permissions.require_concept_editor(actor)
    require_draft(measure.consultation)
    services.measure_remove(actor=actor, measure=measure)


def other_consultations_versions(consultation: Consultation) -> list[ConceptVersion]:
    """Adopted versions of other consultations that a first version here could continue."""
    return list(
        ConceptVersion.objects.filter(state__in=ADOPTED_STATES)
        .filter(~Q(consultation=consultation))
        .select_related("consultation")
        .order_by("consultation__title", "-number")
    )
