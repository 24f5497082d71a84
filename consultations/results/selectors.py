"""Reads of the results app: the concept, the monitoring figures and the report's data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

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
    ReportNarrative,
    ReportRun,
    VersionState,
)
from .permissions import measures_editable_by

STATUSES: list[tuple[str, str]] = list(ImplementationStatus.choices)

# Versions whose entries count as "beschlossen".
DECIDED_VERSION_STATES = (VersionState.ADOPTED, VersionState.PUBLISHED)


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


def report_fields(consultation: Consultation) -> QuerySet[Handlungsfeld]:
    """The Handlungsfelder a report has a section for: the consultation's and those with measures."""
    return Handlungsfeld.objects.filter(
        Q(pk__in=consultation.handlungsfelder.values("pk"))
        | Q(
            pk__in=ConceptMeasure.objects.filter(consultation=consultation).values(
                "handlungsfeld_id"
            )
        )
    ).order_by("number", "name")


def report_narrative_initial(
    consultation: Consultation, fields: list[Handlungsfeld]
) -> dict[str, str]:
    """The saved draft as initial values of the narrative form (two queries)."""
    narrative = (
        ReportNarrative.objects.filter(consultation=consultation).prefetch_related("fields").first()
    )
    if narrative is None:
        return {}
    texts = {item.handlungsfeld_id: item.text for item in narrative.fields.all()}
    initial = {"issuer": narrative.issuer, "summary": narrative.summary}
    for handlungsfeld in fields:
        initial[f"field_{handlungsfeld.pk}"] = texts.get(handlungsfeld.pk, "")
    return initial


def report_runs(consultation: Consultation) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(consultation=consultation).select_related("requested_by")


# --- The half-yearly report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The resolution that first adopted a measure: from the concept versions, never the import."""

    date: date
    body: str
    reference: str
    version: str


@dataclass
class IndicatorTrend:
    """An indicator's latest value up to the end of the period and the value before it."""

    indicator: Indicator
    latest: IndicatorValue | None
    previous: IndicatorValue | None

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value

    @property
    def direction(self) -> str:
        """ "up", "down", "same", or "" without two values."""
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def target_reached(self) -> bool | None:
        if self.latest is None or self.indicator.target is None:
            return None
        return self.latest.value >= self.indicator.target


@dataclass
class FieldReport:
    """One Handlungsfeld in the report (or, with handlungsfeld None, the totals of all fields)."""

    handlungsfeld: Handlungsfeld | None
    counts: StatusCounts
    decided: int = 0
    narrative: str = ""
    decided_in_period: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    status_changes: int = 0
    notes: int = 0
    indicators: list[IndicatorTrend] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.counts.total

    @property
    def not_decided(self) -> int:
        return self.total - self.decided

    @property
    def done_share(self) -> float:
        """Share of the field's measures that are implemented, in per cent."""
        return self.counts.share(ImplementationStatus.DONE)

    @property
    def started_share(self) -> float:
        """Share in implementation or implemented, in per cent."""
        return self.counts.share(ImplementationStatus.IN_PROGRESS) + self.done_share


@dataclass
class ReportData:
    consultation: Consultation
    period_start: datetime
    period_end: datetime
    total: StatusCounts
    by_field: list[StatusCounts]
    by_department: list[StatusCounts]
    changes_by_status: dict[str, int]
    changes: list[dict[str, Any]]
    fields: list[FieldReport] = field(default_factory=list)
    totals: FieldReport | None = None
    decided_in_period: list[dict[str, Any]] = field(default_factory=list)
    decisions: dict[int, Decision] = field(default_factory=dict)
    indicators: list[IndicatorTrend] = field(default_factory=list)
    summary: str = ""
    issuer: str = ""
    # Every measure for the spreadsheet, as tuples (see MEASURE_COLUMNS): no model instances.
    measures: list[tuple[Any, ...]] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(
        default_factory=lambda: list(ImplementationStatus.choices)
    )


def measure_decisions(consultation: Consultation) -> dict[int, Decision]:
    """Per measure id the resolution of the first adopted or published version that holds it.

    One query. A measure in no such version is not decided, whatever its import or
    publication date says.
    """
    decisions: dict[int, Decision] = {}
    rows = (
        ConceptVersionEntry.objects.filter(
            version__consultation=consultation,
            version__state__in=DECIDED_VERSION_STATES,
            kind=EntryKind.MEASURE,
            measure__isnull=False,
        )
        .order_by("measure_id", "version__number")
        .values_list(
            "measure_id",
            "version__resolution_date",
            "version__resolution_body",
            "version__resolution_reference",
            "version__title",
        )
    )
    for measure_id, on, body, reference, title in rows:
        if measure_id not in decisions and on is not None:
            decisions[measure_id] = Decision(date=on, body=body, reference=reference, version=title)
    return decisions


def day_in_period(day: date, period_start: datetime, period_end: datetime) -> bool:
    """A resolution dated `day` belongs to the period that holds the start of that day (local)."""
    start_of_day = timezone.make_aware(datetime.combine(day, time.min))
    return period_start <= start_of_day < period_end


def indicator_trends(consultation: Consultation, *, until: date) -> list[IndicatorTrend]:
    """Every indicator with its latest value up to `until` and the one before (two queries)."""
    indicators = list(
        Indicator.objects.filter(consultation=consultation)
        .select_related("handlungsfeld", "measure", "measure__handlungsfeld")
        # a field's own indicators first, then those of its measures by number
        .order_by("handlungsfeld__number", F("measure__number").asc(nulls_first=True), "name", "pk")
    )
    last_two: dict[int, list[IndicatorValue]] = defaultdict(list)
    values = IndicatorValue.objects.filter(
        indicator__consultation=consultation, date__lte=until
    ).order_by("indicator_id", "-date")
    for value in values:
        kept = last_two[value.indicator_id]
        if len(kept) < 2:
            kept.append(value)
    trends = []
    for indicator in indicators:
        kept = last_two.get(indicator.pk, [])
        trends.append(
            IndicatorTrend(
                indicator=indicator,
                latest=kept[0] if kept else None,
                previous=kept[1] if len(kept) > 1 else None,
            )
        )
    return trends


def _indicator_field_id(trend: IndicatorTrend) -> int | None:
    indicator = trend.indicator
    if indicator.handlungsfeld_id is not None:
        return indicator.handlungsfeld_id
    return indicator.measure.handlungsfeld_id if indicator.measure else None


MEASURE_COLUMNS = (
    "pk",
    "handlungsfeld_id",
    "handlungsfeld__name",
    "number",
    "goal__title",
    "text",
    "department__name",
    "status",
    "status_changed_at",
)


def report_data(
    *, consultation: Consultation, period_start: datetime, period_end: datetime
) -> ReportData:
    """Everything the report shows, in a fixed number of queries whatever the size.

    "What changed" is one row per measure with a status change or a note in the period:
    its status at the start and the end of the period, and the period's notes. A measure is
    "decided in the period" when the resolution of the first adopted version holding it is
    dated in the period (`day_in_period`).
    """
    from django.utils.translation import gettext

    by_field = status_counts_by_field(consultation)
    by_department = status_counts_by_department(
        consultation, unassigned_label=gettext("No department assigned")
    )
    decisions = measure_decisions(consultation)
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
    decided_ids = [
        pk
        for pk, decision in decisions.items()
        if day_in_period(decision.date, period_start, period_end)
    ]
    wanted = set(per_measure) | set(decided_ids)
    measures = (
        {
            m.pk: m
            for m in ConceptMeasure.objects.filter(
                consultation=consultation, pk__in=list(wanted)
            ).select_related("handlungsfeld", "department")
        }
        if wanted
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
        rows.append({"measure": measure, "decision": decisions.get(measure_id), **row})
    rows.sort(key=lambda r: (r["measure"].handlungsfeld.number, r["measure"].number))
    decided_rows = [
        {"measure": measures[pk], "decision": decisions[pk]} for pk in decided_ids if pk in measures
    ]
    decided_rows.sort(key=lambda r: (r["measure"].handlungsfeld.number, r["measure"].number))

    all_measures = list(
        ConceptMeasure.objects.filter(consultation=consultation)
        .order_by("handlungsfeld__number", "number")
        .values_list(*MEASURE_COLUMNS)
    )
    decided_per_field: dict[int, int] = defaultdict(int)
    for measure_id, handlungsfeld_id, *_rest in all_measures:
        if measure_id in decisions:
            decided_per_field[handlungsfeld_id] += 1
    narrative = (
        ReportNarrative.objects.filter(consultation=consultation).prefetch_related("fields").first()
    )
    field_texts = {f.handlungsfeld_id: f.text for f in narrative.fields.all()} if narrative else {}
    trends = indicator_trends(consultation, until=timezone.localdate(period_end))

    handlungsfelder = {f.pk: f for f in report_fields(consultation)}
    counts_by_id = {row.key: row for row in by_field}
    reports: dict[int, FieldReport] = {}
    for pk, handlungsfeld in handlungsfelder.items():
        reports[pk] = FieldReport(
            handlungsfeld=handlungsfeld,
            counts=counts_by_id.get(
                handlungsfeld.slug,
                StatusCounts(label=handlungsfeld.name, key=handlungsfeld.slug, counts={}),
            ),
            decided=decided_per_field.get(pk, 0),
            narrative=field_texts.get(pk, ""),
        )
    for row in decided_rows:
        reports[row["measure"].handlungsfeld_id].decided_in_period.append(row)
    for row in rows:
        report = reports[row["measure"].handlungsfeld_id]
        report.changes.append(row)
        report.status_changes += 1 if row["after"] is not None else 0
        report.notes += len(row["notes"])
    for trend in trends:
        field_id = _indicator_field_id(trend)
        if field_id in reports:
            reports[field_id].indicators.append(trend)
    field_reports = sorted(
        reports.values(), key=lambda r: (r.handlungsfeld.number, r.handlungsfeld.name)
    )
    totals = FieldReport(
        handlungsfeld=None,
        counts=status_counts_total(by_field),
        decided=sum(r.decided for r in field_reports),
        decided_in_period=decided_rows,
        changes=rows,
        status_changes=sum(r.status_changes for r in field_reports),
        notes=sum(r.notes for r in field_reports),
        indicators=trends,
    )
    return ReportData(
        consultation=consultation,
        period_start=period_start,
        period_end=period_end,
        total=totals.counts,
        by_field=by_field,
        by_department=by_department,
        changes_by_status=dict(changes_by_status),
        changes=rows,
        fields=field_reports,
        totals=totals,
        decided_in_period=decided_rows,
        decisions=decisions,
        indicators=trends,
        summary=narrative.summary if narrative else "",
        issuer=narrative.issuer if narrative else "",
        measures=all_measures,
    )
