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
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    MeasureStatusChange,
    ProgressNote,
    ReportRun,
)
from .permissions import measures_editable_by

STATUSES: list[tuple[str, str]] = list(ImplementationStatus.choices)


# --- The concept ----------------------------------------------------------------------------------


@dataclass
class GoalEntry:
    goal: ConceptGoal
    measures: list[ConceptMeasure]


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


def concept(
    consultation: Consultation, handlungsfeld: Handlungsfeld | None = None
) -> list[FieldConcept]:
    """The adopted concept per Handlungsfeld (all fields, or one): three queries at most."""
    if handlungsfeld is not None:
        fields = [handlungsfeld]
    else:
        fields = list(consultation.handlungsfelder.order_by("number", "name"))
    goals = ConceptGoal.objects.filter(consultation=consultation).select_related("handlungsfeld")
    if handlungsfeld is not None:
        goals = goals.filter(handlungsfeld=handlungsfeld)
    goals = goals.order_by("handlungsfeld__number", "position").prefetch_related(
        Prefetch(
            "measures",
            queryset=ConceptMeasure.objects.select_related("department").order_by("number"),
        )
    )
    by_field: dict[int, FieldConcept] = {f.pk: FieldConcept(handlungsfeld=f) for f in fields}
    for goal in goals:
        entry = by_field.get(goal.handlungsfeld_id)
        if entry is None:  # a field no longer linked to the consultation still shows its goals
            entry = by_field[goal.handlungsfeld_id] = FieldConcept(handlungsfeld=goal.handlungsfeld)
        entry.goals.append(GoalEntry(goal=goal, measures=list(goal.measures.all())))
    return sorted(
        by_field.values(), key=lambda item: (item.handlungsfeld.number, item.handlungsfeld.name)
    )


def consultation_fields(consultation: Consultation) -> QuerySet[Handlungsfeld]:
    """Fields that have adopted goals, for the field filter."""
    return Handlungsfeld.objects.filter(
        pk__in=ConceptGoal.objects.filter(consultation=consultation).values("handlungsfeld_id")
    ).order_by("number")


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
