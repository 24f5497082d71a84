"""Benchmark: the half-yearly report for 10,000 measures on PostgreSQL (target: under 10 s).

    DEBUG=1 .venv/bin/python benchmarks/report.py [--measures 10000] [--keep]

Creates the database mitreden_bench_report (BENCH_DATABASE_URL may point elsewhere), migrates
it, seeds a concept of N measures in 8 Handlungsfelder with 30 departments, two progress notes
per measure and status changes, two adopted concept versions, indicators with values and the
coordination office's texts, then times the report task function (the code the Celery worker
runs: report_generate) and its parts, beside a bare Django view and the staff reports page
measured in the same process. Drops the database afterwards unless --keep.

The seed models a busy half-year: 30 % of the measures got a note in the period and 20 %
changed their status (some of them twice), everything else happened before the period. The
first version (2016) holds 90 % of the measures, the Fortschreibung adopted in the period all
of them, so 10 % are "decided in the period"; 8 field indicators and one indicator per 50
measures have a value every half-year since 2020.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import drop_database, recreate_database  # noqa: E402 - the path above first

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_bench_report"


def seed(measure_count: int) -> tuple[object, object, object]:
    from django.utils import timezone

    from consultations.results.models import (
        ConceptGoal,
        ConceptMeasure,
        ImplementationStatus,
        MeasureStatusChange,
        ProgressNote,
    )
    from foundation.models import Consultation, Department, Handlungsfeld

    rng = random.Random(2016)
    now = timezone.now()
    period_start = now - timedelta(days=182)
    consultation = Consultation.objects.create(
        title="Benchmark", slug="benchmark", is_published=True
    )
    fields = [
        Handlungsfeld.objects.create(number=n, name=f"Handlungsfeld {n}", slug=f"feld-{n}")
        for n in range(1, 9)
    ]
    departments = [
        Department.objects.create(name=f"Fachbereich {n}", slug=f"fb-{n}") for n in range(30)
    ]
    goals_per_field = 25
    goals = ConceptGoal.objects.bulk_create(
        [
            ConceptGoal(
                consultation=consultation,
                handlungsfeld=field,
                position=p,
                title=f"Ziel {field.number}.{p}",
            )
            for field in fields
            for p in range(1, goals_per_field + 1)
        ]
    )
    statuses = [s for s, _label in ImplementationStatus.choices]
    measures = []
    numbers = {field.pk: 0 for field in fields}
    for index in range(measure_count):
        goal = goals[index % len(goals)]
        numbers[goal.handlungsfeld_id] += 1
        measures.append(
            ConceptMeasure(
                goal=goal,
                consultation=consultation,
                handlungsfeld_id=goal.handlungsfeld_id,
                number=numbers[goal.handlungsfeld_id],
                text=f"Maßnahme {index}: "
                + "Angebote ausbauen und Zugänge erleichtern. " * rng.randint(1, 4),
                department=departments[rng.randrange(30)] if rng.random() > 0.05 else None,
                status=rng.choice(statuses),
            )
        )
    measures = ConceptMeasure.objects.bulk_create(measures, batch_size=2000)
    ConceptMeasure.objects.update(created_at=now - timedelta(days=400))
    notes, changes = [], []
    for measure in measures:
        notes.append(
            ProgressNote(
                measure=measure,
                text="Sachstand vor dem Berichtszeitraum.",
                created_at=now - timedelta(days=300),
            )
        )
        if rng.random() < 0.3:
            notes.append(
                ProgressNote(
                    measure=measure,
                    text="Im Berichtszeitraum: Gespräche geführt, erste Angebote gestartet, Evaluation geplant.",
                    created_at=period_start + timedelta(days=rng.randint(1, 180)),
                )
            )
        old = rng.choice([s for s in statuses if s != measure.status])
        changed_at = (
            period_start + timedelta(days=rng.randint(1, 180))
            if rng.random() < 0.2
            else now - timedelta(days=250)
        )
        if rng.random() < 0.1:  # some changed twice
            middle = rng.choice([s for s in statuses if s not in (old, measure.status)])
            changes.append(
                MeasureStatusChange(
                    measure=measure,
                    old_status=old,
                    new_status=middle,
                    changed_at=changed_at - timedelta(days=1),
                )
            )
            old = middle
        changes.append(
            MeasureStatusChange(
                measure=measure, old_status=old, new_status=measure.status, changed_at=changed_at
            )
        )
    ProgressNote.objects.bulk_create(notes, batch_size=5000)
    MeasureStatusChange.objects.bulk_create(changes, batch_size=5000)
    seed_versions(consultation, goals, measures, period_start, rng)
    seed_indicators(consultation, fields, measures, now)
    seed_narrative(consultation, fields)
    return consultation, period_start, now


def seed_versions(consultation, goals, measures, period_start, rng) -> None:  # noqa: ANN001
    """Version 1 (2016) with 90 % of the measures, version 2 (in the period) with all."""
    from datetime import date

    from consultations.results.models import ConceptVersion, ConceptVersionEntry, EntryKind

    first_measures = [m for m in measures if rng.random() < 0.9]
    for number, held, on in (
        (1, first_measures, date(2016, 6, 14)),
        (2, measures, (period_start + timedelta(days=90)).date()),
    ):
        version = ConceptVersion.objects.create(
            consultation=consultation,
            number=number,
            title=f"Fassung {number}",
            state="published" if number == 1 else "adopted",
            resolution_body="Regionsversammlung",
            resolution_date=on,
            resolution_reference=f"Drs. {number}/{on.year}",
        )
        goal_entries = ConceptVersionEntry.objects.bulk_create(
            [
                ConceptVersionEntry(
                    version=version,
                    kind=EntryKind.GOAL,
                    handlungsfeld_id=goal.handlungsfeld_id,
                    goal=goal,
                    position=goal.position,
                    text=goal.title,
                )
                for goal in goals
            ]
        )
        parent = {entry.goal_id: entry for entry in goal_entries}
        ConceptVersionEntry.objects.bulk_create(
            [
                ConceptVersionEntry(
                    version=version,
                    kind=EntryKind.MEASURE,
                    handlungsfeld_id=m.handlungsfeld_id,
                    parent=parent[m.goal_id],
                    measure=m,
                    position=m.number,
                    number=m.number,
                    text=m.text,
                )
                for m in held
            ],
            batch_size=5000,
        )


def seed_indicators(consultation, fields, measures, now) -> None:  # noqa: ANN001
    from datetime import date
    from decimal import Decimal

    from consultations.results.models import Indicator, IndicatorValue

    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                consultation=consultation,
                handlungsfeld=field,
                name=f"Kennzahl {field.number}",
                unit="%",
                target=Decimal("80"),
            )
            for field in fields
        ]
        + [
            Indicator(
                consultation=consultation,
                measure=m,
                handlungsfeld_id=m.handlungsfeld_id,
                name=f"Teilnehmende {m.number}",
                unit="Personen",
                target=Decimal("500"),
            )
            for m in measures[::50]
        ]
    )
    days = [date(year, month, 1) for year in range(2020, now.year + 1) for month in (1, 7)]
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=indicator, date=day, value=Decimal(10 + index * 7))
            for indicator in indicators
            for index, day in enumerate(d for d in days if d <= now.date())
        ],
        batch_size=5000,
    )


def seed_narrative(consultation, fields) -> None:  # noqa: ANN001
    from consultations.results.models import ReportFieldNarrative, ReportNarrative

    narrative = ReportNarrative.objects.create(
        consultation=consultation,
        issuer="Koordinierungsstelle Integration",
        summary="Im Berichtszeitraum wurde die Fortschreibung beschlossen.\n\n" * 5,
    )
    ReportFieldNarrative.objects.bulk_create(
        [
            ReportFieldNarrative(
                narrative=narrative,
                handlungsfeld=field,
                text="Die Maßnahmen dieses Handlungsfelds kommen voran. " * 12,
            )
            for field in fields
        ]
    )


def bare_and_page_timings(consultation, runs: int) -> list[tuple[str, float, float, int]]:  # noqa: ANN001
    """A bare view and the staff reports page (narrative form, list of runs), test client."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path, reverse

    import config.urls
    from benchmarks.fresh import timed
    from foundation.models import User
    from foundation.roles import Role, ensure_roles

    settings.ALLOWED_HOSTS = ["testserver"]
    config.urls.urlpatterns.insert(0, path("bench-bare/", lambda request: HttpResponse("ok")))
    clear_url_caches()
    office = User.objects.create_user(
        username="bench-office", email="office@example.org", password="x"
    )
    office.groups.add(ensure_roles()[Role.COORDINATION])
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(office)
    page = reverse("results:staff_reports", args=[consultation.slug])

    def get(client, url):  # noqa: ANN001, ANN202
        def call():  # noqa: ANN202
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return call

    return [
        ("bare Django view", *timed(get(anonymous, "/bench-bare/"), runs * 20)),
        ("staff reports page (texts form)", *timed(get(signed_in, page), runs * 10)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="mitreden-bench-report-"))

    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        consultation, period_start, period_end = seed(args.measures)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seed: {args.measures} measures in {time.perf_counter() - started:.1f} s")

        from django.utils import translation

        from consultations.results import exports, selectors, services
        from consultations.results.models import MeasureStatusChange, ProgressNote, ReportRun

        print(
            f"rows: {MeasureStatusChange.objects.count()} status changes, {ProgressNote.objects.count()} notes"
        )
        with translation.override("de"):
            started = time.perf_counter()
            data = selectors.report_data(
                consultation=consultation, period_start=period_start, period_end=period_end
            )
            t_data = time.perf_counter() - started
            started = time.perf_counter()
            pdf = exports.report_pdf(data)
            t_pdf = time.perf_counter() - started
            started = time.perf_counter()
            xlsx = exports.report_xlsx(data)
            t_xlsx = time.perf_counter() - started
        print(
            f"parts: data {t_data:.2f} s ({len(data.changes)} changed measures, "
            f"{len(data.decided_in_period)} decided in the period, {len(data.indicators)} indicators), "
            f"pdf {t_pdf:.2f} s ({len(pdf) // 1024} KiB), xlsx {t_xlsx:.2f} s ({len(xlsx) // 1024} KiB)"
        )
        for label, p50, p95, queries in bare_and_page_timings(consultation, args.runs):
            print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
        totals = []
        for index in range(args.runs):
            run = ReportRun.objects.create(
                consultation=consultation,
                period_start=period_start,
                period_end=period_end
                - timedelta(seconds=index),  # scheduled runs are unique per period
            )
            started = time.perf_counter()
            result = services.report_generate(run_id=run.pk)
            totals.append(time.perf_counter() - started)
            assert result is not None and result.status == "done", result and result.error
        print(
            f"report task (report_generate) x{args.runs}: median {statistics.median(totals):.2f} s, "
            f"max {max(totals):.2f} s  -> target < 10 s: {'OK' if max(totals) < 10 else 'MISSED'}"
        )
        return 0 if max(totals) < 10 else 1
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
