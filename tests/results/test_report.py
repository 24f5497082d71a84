"""The half-yearly report: counts, what changed since the last report, files, permissions."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from consultations.results import exports, selectors, services
from consultations.results.models import ImplementationStatus, ReportRun, ReportStatus
from foundation.actors import SYSTEM

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept():
    consultation = ConsultationFactory()
    bildung = HandlungsfeldFactory(number=4, name="Bildung und Sprache")
    arbeit = HandlungsfeldFactory(number=5, name="Wirtschaft und Arbeit")
    schule, jobcenter = DepartmentFactory(name="Team Schule"), DepartmentFactory(name="Team Arbeit")
    m = {}
    goal = concept_goal(consultation, bildung, "Sprache fördern")
    m["kurse"] = concept_measure(goal, "Sprachkurse anbieten", department=schule)
    m["paten"] = concept_measure(goal, "Lernpaten vermitteln", department=schule)
    goal = concept_goal(consultation, arbeit, "Arbeit finden")
    m["beratung"] = concept_measure(goal, "Beratung im Jobcenter", department=jobcenter)
    m["anerkennung"] = concept_measure(goal, "Anerkennung beschleunigen")
    return consultation, m


def at(days_ago: int) -> datetime:
    return timezone.now() - timedelta(days=days_ago)


def test_report_counts_and_lists_only_changes_since_the_last_report(
    concept, django_capture_on_commit_callbacks
):
    consultation, m = concept
    office = coordination_office_user()
    services.measure_record_progress(
        measure=m["kurse"], actor=office, status="in_progress", note="Start", at=at(300)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_request(actor=office, consultation=consultation, period_end=at(200))
    first.refresh_from_db()
    assert first.status == ReportStatus.DONE and first.pdf and first.xlsx

    services.measure_record_progress(
        measure=m["kurse"], actor=office, status="done", note="Alle Kurse laufen", at=at(50)
    )
    services.measure_record_progress(
        measure=m["beratung"], actor=office, status="deferred", note="Wartet", at=at(40)
    )
    services.measure_record_progress(
        measure=m["paten"], actor=office, status="planned", note="Suche nach Paten", at=at(30)
    )
    services.measure_record_progress(
        measure=m["anerkennung"], actor=office, status="in_progress", at=at(20)
    )
    services.measure_record_progress(
        measure=m["anerkennung"], actor=office, status="planned", at=at(10)
    )  # and back

    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_request(actor=office, consultation=consultation)
    second.refresh_from_db()
    assert second.period_start == first.period_end  # "since the last report"

    with translation.override("en"):
        data = selectors.report_data(
            consultation=consultation,
            period_start=second.period_start,
            period_end=second.period_end,
        )
    assert data.total.counts == {"done": 1, "deferred": 1, "planned": 2}
    assert {row.label: row.total for row in data.by_field} == {
        "Bildung und Sprache": 2,
        "Wirtschaft und Arbeit": 2,
    }
    assert {row.label: row.counts for row in data.by_department} == {
        "Team Arbeit": {"deferred": 1},
        "Team Schule": {"done": 1, "planned": 1},
        "No department assigned": {"planned": 1},
    }
    changes = {row["measure"].text: row for row in data.changes}
    assert set(changes) == {
        "Sprachkurse anbieten",
        "Lernpaten vermitteln",
        "Beratung im Jobcenter",
        "Anerkennung beschleunigen",
    }
    assert (
        changes["Sprachkurse anbieten"]["before"],
        changes["Sprachkurse anbieten"]["after"],
    ) == ("in_progress", "done")
    assert [text for _at, text in changes["Sprachkurse anbieten"]["notes"]] == [
        "Alle Kurse laufen"
    ]  # not "Start"
    assert changes["Lernpaten vermitteln"]["after"] is None  # a note only
    assert (
        changes["Anerkennung beschleunigen"]["after"] is None
    )  # changed and changed back: no net change
    assert data.changes_by_status == {"done": 1, "deferred": 1}

    workbook = load_workbook(io.BytesIO(second.xlsx.read()), read_only=True)
    rows = list(workbook["Änderungen im Zeitraum"].iter_rows(min_row=2, values_only=True))
    with translation.override(settings.LANGUAGE_CODE):  # reports are written in the site's language
        labels = str(ImplementationStatus.IN_PROGRESS.label), str(ImplementationStatus.DONE.label)
    assert ("Bildung und Sprache", 1, "Sprachkurse anbieten", "Team Schule", *labels) == rows[0][:6]
    with translation.override("en"):
        html = exports.report_html(data)
    assert "Alle Kurse laufen" in html and "Start" not in html.split("What changed")[1]
    with translation.override("en"):
        short = exports.report_html(
            data, change_limit=2
        )  # big concepts: the PDF refers to the XLSX
    assert (
        "2 further measures with progress notes or status changes are listed in the spreadsheet"
        in short
    )
    assert (
        "Lernpaten vermitteln" not in short.split("What changed")[1]
    )  # status changes are listed first


def test_reports_are_listed_and_downloaded_only_by_the_coordination_office(
    client, concept, django_capture_on_commit_callbacks
):
    consultation, m = concept
    office = coordination_office_user()
    client.force_login(office)
    url = reverse("results:staff_reports", args=[consultation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period_start": "", "period_end": ""})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.status == ReportStatus.DONE and run.requested_by == office
    page = client.get(url)
    assert reverse("results:report_download", args=[run.pk, "pdf"]) in page.content.decode()
    pdf = client.get(reverse("results:report_download", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    client.force_login(reviewer_of(m["kurse"].department))
    assert client.get(url).status_code == 403
    assert client.get(reverse("results:report_download", args=[run.pk, "pdf"])).status_code == 403


def test_a_period_in_the_future_or_reversed_is_refused_and_kept(client, concept):
    consultation, _m = concept
    client.force_login(coordination_office_user())
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        reverse("results:staff_reports", args=[consultation.slug]),
        {"period_start": "2024-01-01", "period_end": future},
    )
    assert response.status_code == 400
    assert future in response.content.decode() and "2024-01-01" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_the_schedule_queues_one_report_per_half_year_and_consultation(
    concept, django_capture_on_commit_callbacks
):
    consultation, _m = concept
    july = timezone.make_aware(datetime(timezone.now().year, 7, 1, 6, 0))
    if july > timezone.now():
        july = july.replace(year=july.year - 1)
    with django_capture_on_commit_callbacks(execute=True):
        runs = services.reports_schedule(actor=SYSTEM, now=july)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reports_schedule(actor=SYSTEM, now=july + timedelta(minutes=5))
    assert [run.pk for run in runs] == [run.pk for run in again]
    run = ReportRun.objects.get(consultation=consultation)
    assert run.requested_by is None and run.status == ReportStatus.DONE
    assert (
        timezone.localtime(run.period_end).month == 7
        and timezone.localtime(run.period_end).day == 1
    )


def test_the_beat_schedule_runs_on_1_january_and_1_july(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["results-half-yearly-report"]
    assert entry["task"] == "results.tasks.schedule_half_yearly_reports"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {1, 7} and schedule.day_of_month == {1}
