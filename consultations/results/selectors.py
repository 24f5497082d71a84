"""Reads of the results app: the concept, the monitoring figures and the report's data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from foundation.models import Consultation, Department, Handlungsfeld
from foundation.roles import is_coordination_office

from .models import (
    ConceptGoal,
    ConceptMeasure,
    ConceptRevision,
    ConceptVersion,
    ConceptVersionEntry,
    EntryKind,
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    MeasureStatusChange,
    ProgressNote,
    ReportRun,
    VersionState,
)
from .permissions import measures_editable_by

STATUSES: list[tuple[str, str]] = list(ImplementationStatus.choices)


# --- The concept ----------------------------------------------------------------------------------


@dataclass
class GoalEntry:
    """A goal with its measures: frozen entries on the public pages (ConceptVersionEntry reads
    like ConceptGoal/ConceptMeasure: `title`, `number`, `text`, `status`, `department`)."""

    goal: Any
    measures: list[Any]


@dataclass
class FieldConcept:
    handlungsfeld: Handlungsfeld
    goals: list[GoalEntry] = field(default_factory=list)

    @property
    def measure_count(self) -> int:
        return sum(len(entry.measures) for entry in self.goals)

    def rows(self) -> list[dict[str, Any]]:
        """Table rows like the annex: the goal cell spans its measures."""
        rows: list[dict[str, Any]] = []
        for entry in self.goals:
            if not entry.measures:
                rows.append({"goal": entry.goal, "rowspan": 1, "measure": None})
            for index, measure in enumerate(entry.measures):
                rows.append(
                    {
                        "goal": entry.goal if index == 0 else None,
                        "rowspan": len(entry.measures),
                        "measure": measure,
                    }
                )
        return rows


def published_version(consultation: Consultation) -> ConceptVersion | None:
    """The version the public sees: the latest published one (None before the first)."""
    return (
        ConceptVersion.objects.filter(consultation=consultation, state=VersionState.PUBLISHED)
        .order_by("-number")
        .first()
    )


def concept_of_version(
    version: ConceptVersion | None, handlungsfeld: Handlungsfeld | None = None
) -> list[FieldConcept]:
    """A version's frozen goals and numbered measures per Handlungsfeld: two queries.

    Every field of the consultation is listed (an empty one says so); nothing before the
    first published version.
    """
    if version is None:
        return []
    if handlungsfeld is not None:
        fields = [handlungsfeld]
    else:
        fields = list(
            Handlungsfeld.objects.filter(consultations=version.consultation_id).order_by(
                "number", "name"
            )
        )
    entries = ConceptVersionEntry.objects.filter(version=version).select_related(
        "handlungsfeld", "measure__department"
    )
    if handlungsfeld is not None:
        entries = entries.filter(handlungsfeld=handlungsfeld)
    by_field: dict[int, FieldConcept] = {f.pk: FieldConcept(handlungsfeld=f) for f in fields}
    goals: dict[int, GoalEntry] = {}
    measures: list[ConceptVersionEntry] = []
    for entry in entries.order_by("handlungsfeld__number", "kind", "position", "number"):
        if entry.kind == EntryKind.MEASURE:
            measures.append(entry)
            continue
        concept_field = by_field.get(entry.handlungsfeld_id)
        if concept_field is None:  # a field no longer linked to the consultation
            concept_field = by_field[entry.handlungsfeld_id] = FieldConcept(
                handlungsfeld=entry.handlungsfeld
            )
        goals[entry.pk] = goal_entry = GoalEntry(goal=entry, measures=[])
        concept_field.goals.append(goal_entry)
    for entry in measures:
        goals[entry.parent_id].measures.append(entry)
    return sorted(
        by_field.values(), key=lambda item: (item.handlungsfeld.number, item.handlungsfeld.name)
    )


def concept(
    consultation: Consultation, handlungsfeld: Handlungsfeld | None = None
) -> list[FieldConcept]:
    """The published concept per Handlungsfeld (all fields, or one): three queries at most."""
    return concept_of_version(published_version(consultation), handlungsfeld)


def consultation_fields(consultation: Consultation) -> QuerySet[Handlungsfeld]:
    """Fields with goals in the published version, for the field filter."""
    return Handlungsfeld.objects.filter(
        pk__in=ConceptVersionEntry.objects.filter(
            version__consultation=consultation,
            version__state=VersionState.PUBLISHED,
            version__number=ConceptVersion.objects.filter(
                consultation=consultation, state=VersionState.PUBLISHED
            )
            .order_by("-number")
            .values("number")[:1],
        ).values("handlungsfeld_id")
    ).order_by("number")


def published_measure_entries(
    consultation: Consultation,
    *,
    version: ConceptVersion | None,
    handlungsfeld: Handlungsfeld | None = None,
    status: str = "",
) -> QuerySet[ConceptVersionEntry]:
    """The measures of the published version for the monitoring list; status from the working
    measure each entry points to."""
    if version is None:
        return ConceptVersionEntry.objects.none()
    entries = ConceptVersionEntry.objects.filter(
        version=version, kind=EntryKind.MEASURE
    ).select_related("handlungsfeld", "measure__department")
    if handlungsfeld is not None:
        entries = entries.filter(handlungsfeld=handlungsfeld)
    if status:
        entries = entries.filter(measure__status=status)
    return entries.order_by("handlungsfeld__number", "number")


# --- Versions -------------------------------------------------------------------------------------


def versions(consultation: Consultation, *, public: bool) -> list[ConceptVersion]:
    """The consultation's versions, newest first; the public sees only published ones."""
    queryset = ConceptVersion.objects.filter(consultation=consultation).select_related(
        "based_on__consultation", "adopted_by"
    )
    if public:
        queryset = queryset.filter(state=VersionState.PUBLISHED)
    return list(queryset.order_by("-number"))


@dataclass
class VersionChanges:
    version: ConceptVersion
    previous: ConceptVersion | None
    added: list[ConceptVersionEntry] = field(default_factory=list)
    removed: list[ConceptVersionEntry] = field(default_factory=list)
    # (before, after) pairs
    reworded: list[tuple[ConceptVersionEntry, ConceptVersionEntry]] = field(default_factory=list)
    renumbered: list[tuple[ConceptVersionEntry, ConceptVersionEntry]] = field(default_factory=list)
    moved: list[tuple[ConceptVersionEntry, ConceptVersionEntry]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.renumbered or self.moved)


def version_changes(version: ConceptVersion) -> VersionChanges:
    """What changed between a version and the one it is based on (two queries).

    Entries are matched through `previous`: reworded (other text), renumbered (a measure's
    number), moved (a measure under another goal or a goal at another place in its field).
    """
    changes = VersionChanges(version=version, previous=version.based_on)
    related = ("handlungsfeld", "parent", "previous__handlungsfeld", "previous__parent")
    order = ("handlungsfeld__number", "kind", "position", "number")
    current = list(
        ConceptVersionEntry.objects.filter(version=version)
        .select_related(*related)
        .order_by(*order)
    )
    if version.based_on_id is None:
        changes.added = current
        return changes
    before = list(
        ConceptVersionEntry.objects.filter(version_id=version.based_on_id)
        .select_related("handlungsfeld", "parent")
        .order_by(*order)
    )
    continued = {entry.previous_id for entry in current if entry.previous_id}
    changes.removed = [entry for entry in before if entry.pk not in continued]
    for entry in current:
        old = entry.previous
        if old is None or old.version_id != version.based_on_id:
            changes.added.append(entry)
            continue
        if old.text != entry.text:
            changes.reworded.append((old, entry))
        if entry.kind == EntryKind.MEASURE:
            if (
                old.parent_id is not None
                and entry.parent is not None
                and (entry.parent.previous_id != old.parent_id)
            ):
                changes.moved.append((old, entry))
            elif old.number != entry.number:
                changes.renumbered.append((old, entry))
        elif old.position != entry.position or old.handlungsfeld_id != entry.handlungsfeld_id:
            changes.moved.append((old, entry))
    return changes


@dataclass
class DraftGoal:
    goal: ConceptGoal
    measures: list[ConceptMeasure]


def draft_field(consultation: Consultation, handlungsfeld: Handlungsfeld) -> list[DraftGoal]:
    """The working copy of one field for the draft editor: each goal and measure with its
    rewording history and the source proposal's original and revised wording (four queries)."""
    revisions = ConceptRevision.objects.select_related("changed_by").order_by("-changed_at", "-pk")
    proposal_related = ("source_proposal__assessment",)
    goals = (
        ConceptGoal.objects.filter(consultation=consultation, handlungsfeld=handlungsfeld)
        .select_related(*proposal_related)
        .prefetch_related(
            Prefetch("revisions", queryset=revisions),
            Prefetch(
                "measures",
                queryset=ConceptMeasure.objects.select_related(*proposal_related)
                .prefetch_related(Prefetch("revisions", queryset=revisions))
                .order_by("number"),
            ),
        )
        .order_by("position")
    )
    return [DraftGoal(goal=goal, measures=list(goal.measures.all())) for goal in goals]


def working_copy_counts(consultation: Consultation) -> dict[int, tuple[int, int]]:
    """Goals and measures of the working copy per field id (two grouped queries)."""
    goals = dict(
        ConceptGoal.objects.filter(consultation=consultation)
        .values("handlungsfeld_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("handlungsfeld_id", "n")
    )
    measures = dict(
        ConceptMeasure.objects.filter(consultation=consultation)
        .values("handlungsfeld_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("handlungsfeld_id", "n")
    )
    return {pk: (goals.get(pk, 0), measures.get(pk, 0)) for pk in set(goals) | set(measures)}


# --- Monitoring -------------------------------------------------------------------------------


@dataclass
class StatusCounts:
    label: str
    counts: dict[str, int]
    key: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def ordered(self) -> list[tuple[str, str, int]]:
        return [(code, name, self.counts.get(code, 0)) for code, name in STATUSES]

    def share(self, code: str) -> float:
        return (self.counts.get(code, 0) / self.total * 100) if self.total else 0.0


def _pivot(rows: Any, key: str) -> dict[Any, dict[str, int]]:
    table: dict[Any, dict[str, int]] = defaultdict(dict)
    for row in rows:
        table[row[key]][row["status"]] = row["n"]
    return table


def status_counts_by_field(consultation: Consultation) -> list[StatusCounts]:
    """Counts per Handlungsfeld and status (one grouped query plus the field names)."""
    table = _pivot(
        ConceptMeasure.objects.filter(consultation=consultation)
        .values("handlungsfeld_id", "status")
        .annotate(n=Count("pk"))
        .order_by(),
        "handlungsfeld_id",
    )
    fields = Handlungsfeld.objects.filter(pk__in=list(table)).order_by("number")
    return [StatusCounts(label=f.name, key=f.slug, counts=table[f.pk]) for f in fields]


def status_counts_total(rows: list[StatusCounts]) -> StatusCounts:
    total: dict[str, int] = defaultdict(int)
    for row in rows:
        for code, n in row.counts.items():
            total[code] += n
    return StatusCounts(label="", counts=dict(total))


def status_counts_by_department(
    consultation: Consultation, *, unassigned_label: str
) -> list[StatusCounts]:
    table = _pivot(
        ConceptMeasure.objects.filter(consultation=consultation)
        .values("department_id", "status")
        .annotate(n=Count("pk"))
        .order_by(),
        "department_id",
    )
    names = dict(
        Department.objects.filter(pk__in=[k for k in table if k]).values_list("pk", "name")
    )
    rows = [StatusCounts(label=names.get(k, ""), counts=v) for k, v in table.items() if k]
    rows.sort(key=lambda row: row.label)
    if None in table:
        rows.append(StatusCounts(label=unassigned_label, counts=table[None]))
    return rows


def public_indicators(consultation: Consultation) -> list[Indicator]:
    """Indicators with their values in date order (two queries)."""
    return list(
        Indicator.objects.filter(consultation=consultation)
        .select_related("handlungsfeld", "measure")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("date")))
        .order_by("handlungsfeld__number", "measure__number", "name")
    )


def public_measures(
    consultation: Consultation, *, handlungsfeld: Handlungsfeld | None = None, status: str = ""
) -> QuerySet[ConceptMeasure]:
    measures = ConceptMeasure.objects.filter(consultation=consultation).select_related(
        "handlungsfeld", "department"
    )
    if handlungsfeld is not None:
        measures = measures.filter(handlungsfeld=handlungsfeld)
    if status:
        measures = measures.filter(status=status)
    return measures.order_by("handlungsfeld__number", "number")


# --- Staff ------------------------------------------------------------------------------------


def staff_measures(
    user: Any,
    consultation: Consultation,
    *,
    handlungsfeld: Handlungsfeld | None = None,
    status: str = "",
    department: Department | None = None,
    query: str = "",
) -> QuerySet[ConceptMeasure]:
    """The measures a staff member may work on: all for the coordination office, else own departments'."""
    measures = measures_editable_by(
        user, public_measures(consultation, handlungsfeld=handlungsfeld, status=status)
    )
    if department is not None:
        measures = measures.filter(department=department)
    if query:
        measures = measures.filter(Q(text__icontains=query) | Q(goal__title__icontains=query))
    return measures


def staff_consultations(user: Any) -> list[dict[str, Any]]:
    """Consultations with a concept, with the number of measures the user may work on."""
    measures = measures_editable_by(user, ConceptMeasure.objects.all())
    counts = dict(
        measures.values("consultation_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("consultation_id", "n")
    )
    if is_coordination_office(user):
        with_goals = set(ConceptGoal.objects.values_list("consultation_id", flat=True).distinct())
        with_goals |= set(
            ConceptVersion.objects.values_list("consultation_id", flat=True).distinct()
        )
        counts = {pk: counts.get(pk, 0) for pk in with_goals | set(counts)}
    consultations = Consultation.objects.filter(pk__in=list(counts)).order_by("-created_at")
    return [{"consultation": c, "measure_count": counts[c.pk]} for c in consultations]


def measure_history(measure: ConceptMeasure) -> list[dict[str, Any]]:
    """Status changes and progress notes of a measure, newest first (two queries)."""
    items: list[dict[str, Any]] = []
    for change in measure.status_changes.select_related("changed_by"):
        items.append(
            {"kind": "status", "at": change.changed_at, "object": change, "who": change.changed_by}
        )
    for note in measure.progress_notes.select_related("author"):
        items.append({"kind": "note", "at": note.created_at, "object": note, "who": note.author})
    items.sort(key=lambda item: item["at"], reverse=True)
    return items


def report_runs(consultation: Consultation) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(consultation=consultation).select_related("requested_by")


# --- The half-yearly report ---------------------------------------------------------------------


@dataclass
class ReportData:
    consultation: Consultation
    period_start: datetime
    period_end: datetime
    total: StatusCounts
    by_field: list[StatusCounts]
    by_department: list[StatusCounts]
    changes_by_status: dict[str, int]
    new_measures: int
    changes: list[dict[str, Any]]
    statuses: list[tuple[str, str]] = field(
        default_factory=lambda: list(ImplementationStatus.choices)
    )


def report_data(
    *, consultation: Consultation, period_start: datetime, period_end: datetime
) -> ReportData:
    """Everything the report shows, in a fixed number of queries whatever the size.

    "What changed" is one row per measure with a status change or a note in the period:
    its status at the start and the end of the period, and the period's notes.
    """
    from django.utils.translation import gettext

    by_field = status_counts_by_field(consultation)
    by_department = status_counts_by_department(
        consultation, unassigned_label=gettext("No department assigned")
    )
    in_period = {"changed_at__gt": period_start, "changed_at__lte": period_end}
    changes = list(
        MeasureStatusChange.objects.filter(measure__consultation=consultation, **in_period)
        .order_by("changed_at", "pk")
        .values_list("measure_id", "old_status", "new_status", "changed_at")
    )
    notes = list(
        ProgressNote.objects.filter(
            measure__consultation=consultation,
            created_at__gt=period_start,
            created_at__lte=period_end,
        )
        .order_by("created_at", "pk")
        .values_list("measure_id", "text", "created_at")
    )
    per_measure: dict[int, dict[str, Any]] = {}
    changes_by_status: dict[str, int] = defaultdict(int)
    for measure_id, old, new, _at in changes:
        row = per_measure.setdefault(measure_id, {"before": old, "after": new, "notes": []})
        row["after"] = new
    for measure_id, text, at in notes:
        per_measure.setdefault(measure_id, {"before": None, "after": None, "notes": []})[
            "notes"
        ].append((at, text))
    measures = (
        {
            m.pk: m
            for m in ConceptMeasure.objects.filter(pk__in=list(per_measure)).select_related(
                "handlungsfeld", "department"
            )
        }
        if per_measure
        else {}
    )
    rows: list[dict[str, Any]] = []
    for measure_id, row in per_measure.items():
        measure = measures.get(measure_id)
        if measure is None:
            continue
        if row["after"] is not None:
            if row["before"] == row["after"]:
                row["before"] = row["after"] = None  # changed back and forth: no net change
            else:
                changes_by_status[row["after"]] += 1
        rows.append({"measure": measure, **row})
    rows.sort(key=lambda r: (r["measure"].handlungsfeld.number, r["measure"].number))
    new_measures = ConceptMeasure.objects.filter(
        consultation=consultation, created_at__gt=period_start, created_at__lte=period_end
    ).count()
    return ReportData(
        consultation=consultation,
        period_start=period_start,
        period_end=period_end,
        total=status_counts_total(by_field),
        by_field=by_field,
        by_department=by_department,
        changes_by_status=dict(changes_by_status),
        new_measures=new_measures,
        changes=rows,
    )
