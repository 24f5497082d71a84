"""Demo step of the results app: monitoring of the 2016 concept's measures, all marked as demo.

The data file records no implementation status, so this step writes an invented but plausible
monitoring picture and marks every piece of it as demo: notes start with "(Demo)", indicator
names end with it. The concept's own texts (goals, measures, numbers) are never touched.

- Status and progress: a fixed spread over the 144 measures (about a quarter implemented,
  two fifths in implementation, a few deferred, the rest planned), chosen by a checksum of
  field and number, so every run gives the same picture.
- The dated timeline: status changes and progress notes on half-year dates since 2017,
  the progress rising from note to note.
- Departments: measures without one get a department that reviews their Handlungsfeld.
- Indicators: a few series over several half-years, one with decimals (a share in per cent).
- The measure pages are public only in a published concept version. When no version exists
  yet (the adoption step of another change may create the real one), a first version is
  frozen from the annex, marked as demo in its resolution fields.

Idempotent: rows are found by their natural keys (measure and date, indicator and date).
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from consultations.results.models import (
    ConceptMeasure,
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    MeasureStatusChange,
    ProgressNote,
)
from demo.core import DEMO_MARK, local_midnight
from demo.steps import DemoContext, register

FALLBACK_DEPARTMENT = "koordinierungsstelle-integration"

NOTES_STARTED = [
    "Die zuständigen Stellen haben sich abgestimmt; ein erstes Angebot ist geplant.",
    "Die Ausschreibung ist erfolgt, die ersten Partner sind gewonnen.",
    "Erste Veranstaltungen haben stattgefunden; die Rückmeldungen sind positiv.",
    "Das Angebot läuft in den ersten Kommunen und wird ausgeweitet.",
]
NOTES_ADVANCED = [
    "Das Angebot erreicht inzwischen die meisten Städte und Gemeinden.",
    "Die Finanzierung für die nächsten zwei Jahre ist gesichert.",
    "Die Auswertung der ersten Phase liegt vor; Anpassungen werden umgesetzt.",
]
NOTE_DONE = "Die Maßnahme ist umgesetzt und in das Regelangebot übernommen."
NOTE_DEFERRED = "Die Maßnahme ist zurückgestellt, bis die Finanzierung geklärt ist."

# Indicators: (Handlungsfeld slug, measure number or None, name, unit, target, first value,
# step per half-year, decimals).
INDICATORS = [
    (
        "bildung-und-sprache",
        None,
        "Teilnehmende an Sprachkursen mit Kinderbetreuung",
        "Personen",
        Decimal("600"),
        Decimal("120"),
        Decimal("48"),
        0,
    ),
    (
        "wirtschaft-und-arbeit",
        None,
        "Beratungen zur Anerkennung ausländischer Abschlüsse",
        "Beratungen",
        Decimal("1200"),
        Decimal("310"),
        Decimal("85"),
        0,
    ),
    (
        "interkulturelle-oeffnung",
        None,
        "Anteil der Beschäftigten mit Migrationshintergrund in der Regionsverwaltung",
        "%",
        Decimal("15"),
        Decimal("8.4"),
        Decimal("0.35"),
        1,
    ),
    (
        "partizipation-und-teilhabe",
        1,
        "Verteilte mehrsprachige Informationsmaterialien",
        "Exemplare",
        Decimal("20000"),
        Decimal("1500"),
        Decimal("1250"),
        0,
    ),
]


def _checksum(*parts: object) -> int:
    return zlib.crc32("|".join(str(part) for part in parts).encode("utf-8"))


def half_years(start: date, until: date) -> list[date]:
    """30 June and 31 December from `start` on, up to `until` (the report dates)."""
    days = []
    for year in range(start.year, until.year + 1):
        for day in (date(year, 6, 30), date(year, 12, 31)):
            if start <= day <= until:
                days.append(day)
    return days


def _at(day: date) -> datetime:
    return local_midnight(day) + timedelta(hours=10)


def plan_for(field_slug: str, number: int, report_days: list[date]) -> dict[str, object]:
    """The demo's monitoring picture of one measure: final status, progress, dated steps."""
    roll = _checksum(field_slug, number) % 100
    start_index = _checksum("start", field_slug, number) % max(len(report_days) - 4, 1)
    if roll < 25:
        status, progress = ImplementationStatus.DONE, 100
    elif roll < 65:
        status, progress = ImplementationStatus.IN_PROGRESS, 10 + (roll * 7) % 81
    elif roll < 73:
        status, progress = ImplementationStatus.DEFERRED, (roll * 3) % 30
    else:
        status, progress = ImplementationStatus.PLANNED, 0
    steps: list[tuple[date, str, int, str]] = []  # (day, status after, progress, text)
    if status == ImplementationStatus.PLANNED:
        return {"status": status, "progress": progress, "steps": steps}
    days = report_days[start_index:]
    started_text = NOTES_STARTED[_checksum("n", field_slug, number) % len(NOTES_STARTED)]
    first_progress = max(5, progress // 3) if progress else 0
    steps.append((days[0], ImplementationStatus.IN_PROGRESS, first_progress, started_text))
    if status in (ImplementationStatus.DONE, ImplementationStatus.IN_PROGRESS) and len(days) > 2:
        middle = days[len(days) // 2 - (1 if len(days) > 3 else 0)]
        advanced = NOTES_ADVANCED[_checksum("a", field_slug, number) % len(NOTES_ADVANCED)]
        steps.append(
            (
                middle,
                ImplementationStatus.IN_PROGRESS,
                max(first_progress, progress * 2 // 3),
                advanced,
            )
        )
    last = days[-1] if len(days) > 1 else days[0]
    if status == ImplementationStatus.DONE:
        steps.append((last, ImplementationStatus.DONE, 100, NOTE_DONE))
    elif status == ImplementationStatus.DEFERRED:
        steps.append((last, ImplementationStatus.DEFERRED, progress, NOTE_DEFERRED))
    elif steps[-1][2] != progress:
        steps.append((last, ImplementationStatus.IN_PROGRESS, progress, NOTES_ADVANCED[0]))
    return {"status": status, "progress": progress, "steps": steps}


def _field_departments(ctx: DemoContext) -> dict[str, list[object]]:
    by_field: dict[str, list[object]] = {}
    for row in ctx.data.get("departments", []):
        department = ctx.departments.get(row["slug"])
        for slug in row.get("handlungsfelder") or []:
            if department is not None:
                by_field.setdefault(slug, []).append(department)
    return by_field


def _record_timeline(measure: ConceptMeasure, plan: dict[str, object]) -> None:
    previous = ImplementationStatus.PLANNED
    for day, status_after, progress, text in plan["steps"]:  # type: ignore[attr-defined]
        at = _at(day)
        if status_after != previous:
            MeasureStatusChange.objects.update_or_create(
                measure=measure,
                changed_at=at,
                defaults={"old_status": previous, "new_status": status_after, "changed_by": None},
            )
        ProgressNote.objects.update_or_create(
            measure=measure,
            created_at=at,
            defaults={
                "text": f"{DEMO_MARK} {text}",
                "status_after": status_after if status_after != previous else "",
                "progress_after": progress,
                "author": None,
            },
        )
        previous = status_after
    steps = plan["steps"]
    measure.status = plan["status"]
    measure.progress = plan["progress"]
    measure.status_changed_at = _at(steps[-1][0]) if steps else None  # type: ignore[index]


@register("results.monitoring")
def load_monitoring(ctx: DemoContext) -> None:
    consultation = ctx.historic_consultation
    measures = list(
        ConceptMeasure.objects.filter(consultation=consultation).select_related("handlungsfeld")
    )
    if not measures:
        return
    report_days = half_years(date(2017, 1, 1), ctx.today)
    departments = _field_departments(ctx)
    fallback = ctx.departments.get(FALLBACK_DEPARTMENT)
    for measure in measures:
        slug = measure.handlungsfeld.slug
        plan = plan_for(slug, measure.number, report_days)
        _record_timeline(measure, plan)
        if measure.department_id is None:
            choices = departments.get(slug) or ([fallback] if fallback else [])
            if choices:
                measure.department = choices[measure.number % len(choices)]
        # The demo weights a few measures higher, to show the weighted roll-up.
        measure.weight = 3 if _checksum("w", slug, measure.number) % 10 == 0 else None
        measure.save(
            update_fields=[
                "status",
                "progress",
                "status_changed_at",
                "department",
                "weight",
                "updated_at",
            ]
        )
    values = _load_indicators(ctx, report_days)
    ctx.log(f"  {len(measures)} measures monitored, {values} indicator values")


def _load_indicators(ctx: DemoContext, report_days: list[date]) -> int:
    consultation = ctx.historic_consultation
    count = 0
    for field_slug, number, name, unit, target, first, step, decimals in INDICATORS:
        field = ctx.handlungsfelder.get(field_slug)
        if field is None:
            continue
        measure = None
        if number is not None:
            measure = ConceptMeasure.objects.filter(
                consultation=consultation, handlungsfeld=field, number=number
            ).first()
            if measure is None:
                continue
        indicator, _created = Indicator.objects.update_or_create(
            consultation=consultation,
            name=f"{name} {DEMO_MARK}",
            defaults={
                "measure": measure,
                "handlungsfeld": field,
                "unit": unit,
                "target": target,
                "description": "Beispielwerte für die Demo, keine amtlichen Zahlen.",
            },
        )
        quantum = Decimal(1).scaleb(-decimals)
        for index, day in enumerate(report_days):
            wobble = Decimal(_checksum(name, day) % 7 - 3) * step / 10
            value = (first + step * index + wobble).quantize(quantum)
            IndicatorValue.objects.update_or_create(
                indicator=indicator, date=day, defaults={"value": value, "note": ""}
            )
            count += 1
    return count
