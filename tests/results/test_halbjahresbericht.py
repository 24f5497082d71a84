"""The Halbjahresbericht as the committee reads it: cover, summary, per Handlungsfeld the
coordination office's text, counts, indicators with their trend and what changed, decision
dates from the adopted concept versions (never the import), and the XLSX with the same
figures. Read back from the PDF's text (pypdf) and the spreadsheet's cells."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from consultations.results import services
from consultations.results.models import (
    ConceptMeasure,
    Indicator,
    IndicatorValue,
    ReportNarrative,
    ReportRun,
    ReportStatus,
    VersionState,
)

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    concept_goal,
    concept_measure,
    concept_version,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


PERIOD_START, PERIOD_END = aware(2026, 6, 1), aware(2026, 12, 1)  # June to November 2026
IMPORTED = aware(2026, 8, 1)  # the annex was imported inside the period


@pytest.fixture
def report_world():
    consultation = ConsultationFactory(title="Integrationskonzept Region Hannover")
    bildung = HandlungsfeldFactory(number=4, name="Bildung und Sprache")
    arbeit = HandlungsfeldFactory(number=5, name="Wirtschaft und Arbeit")
    consultation.handlungsfelder.add(bildung, arbeit)
    schule = DepartmentFactory(name="Team Schule")
    m = {}
    goal = concept_goal(consultation, bildung, "Sprache fördern")
    m["kurse"] = concept_measure(goal, "Sprachkurse für Eltern anbieten", department=schule)
    m["paten"] = concept_measure(goal, "Lernpaten vermitteln", department=schule)
    goal = concept_goal(consultation, arbeit, "Arbeit finden")
    m["beratung"] = concept_measure(goal, "Beratung im Jobcenter ausbauen")
    m["anerkennung"] = concept_measure(goal, "Anerkennung ausländischer Abschlüsse beschleunigen")
    m["neu"] = concept_measure(goal, "Mentoring für Gründerinnen einführen")
    m["entwurf"] = concept_measure(goal, "Jobmesse in jeder Kommune")
    # The import/publication dates lie in the period: they must not count as decisions.
    ConceptMeasure.objects.update(created_at=IMPORTED, published_at=IMPORTED)
    first = [m["kurse"], m["paten"], m["beratung"], m["anerkennung"]]
    concept_version(
        consultation,
        first,
        number=1,
        state=VersionState.PUBLISHED,
        resolution_date=date(2016, 6, 14),
        resolution_reference="Drs. 0815 (IV) BDs",
    )
    concept_version(
        consultation,
        [*first, m["neu"]],
        number=2,
        resolution_date=date(2026, 9, 22),
        resolution_body="Ausschuss für Soziales",
        resolution_reference="Drs. 1234/2026",
    )
    concept_version(consultation, [*first, m["neu"], m["entwurf"]], number=3, state="draft")

    office = coordination_office_user()
    services.measure_record_progress(
        measure=m["kurse"], actor=office, status="in_progress", note="Start", at=aware(2026, 3, 1)
    )
    services.measure_record_progress(
        measure=m["kurse"],
        actor=office,
        status="done",
        note="Alle zwölf Elternkurse laufen",
        at=aware(2026, 10, 5),
    )
    services.measure_record_progress(
        measure=m["beratung"],
        actor=office,
        status="deferred",
        note="Das Jobcenter setzt 2026 andere Prioritäten",
        at=aware(2026, 9, 1),
    )
    services.measure_record_progress(
        measure=m["paten"], actor=office, status="planned", note="Suche nach Paten läuft"
    )  # today: after the period, not in this report

    kurse = Indicator.objects.create(
        consultation=consultation,
        handlungsfeld=bildung,
        name="Teilnehmende an Elternkursen",
        unit="Personen",
        target=Decimal("500"),
    )
    for on, value in ((date(2025, 12, 31), 120), (date(2026, 6, 30), 310)):
        IndicatorValue.objects.create(indicator=kurse, date=on, value=value)
    IndicatorValue.objects.create(indicator=kurse, date=date(2026, 11, 15), value=Decimal("420.5"))
    IndicatorValue.objects.create(
        indicator=kurse, date=date(2026, 12, 2), value=999
    )  # after the period
    gespraeche = Indicator.objects.create(
        consultation=consultation,
        measure=m["beratung"],
        handlungsfeld=arbeit,
        name="Beratungsgespräche im Quartal",
    )
    IndicatorValue.objects.create(indicator=gespraeche, date=date(2026, 6, 30), value=80)
    IndicatorValue.objects.create(indicator=gespraeche, date=date(2026, 10, 31), value=65)
    Indicator.objects.create(
        consultation=consultation, handlungsfeld=arbeit, name="Gründungen durch Migrantinnen"
    )

    services.report_narrative_save(
        actor=office,
        consultation=consultation,
        issuer="Koordinierungsstelle Integration der Region Hannover",
        summary="Im Berichtszeitraum hat der Ausschuss die Fortschreibung beschlossen.",
        field_texts={
            bildung.pk: "Die Elternkurse sind das Herzstück des Handlungsfelds.",
            arbeit.pk: "Die Beratung wartet auf das Jobcenter.",
        },
    )
    run = ReportRun.objects.create(
        consultation=consultation, period_start=PERIOD_START, period_end=PERIOD_END
    )
    return {"consultation": consultation, "m": m, "run": run, "office": office}


def generated(run: ReportRun) -> ReportRun:
    done = services.report_generate(run_id=run.pk)
    assert done.status == ReportStatus.DONE, done.error
    return done


def pdf_pages(run: ReportRun) -> list[str]:
    with run.pdf.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    # One line per page, words joined again where WeasyPrint hyphenated them (U+2010).
    return [" ".join(page.extract_text().split()).replace("\u2010 ", "") for page in reader.pages]


def page_with(pages: list[str], text: str) -> str:
    found = [page for page in pages if text in page]
    assert found, f"{text!r} is on no page"
    return found[0]


def workbook(run: ReportRun):
    with run.xlsx.open("rb") as file:
        return load_workbook(io.BytesIO(file.read()))


def test_the_cover_names_the_report_consultation_period_date_of_issue_and_office(report_world):
    pages = pdf_pages(generated(report_world["run"]))

    cover = pages[0]
    assert cover.startswith(
        "Koordinierungsstelle Integration der Region Hannover Halbjahresbericht"
    )
    assert "Integrationskonzept Region Hannover" in cover
    assert "Berichtszeitraum 1. Juni 2026 – 30. November 2026" in cover  # the end at midnight
    issued = timezone.localdate()
    assert f"Ausgabedatum {issued.day}. " in cover and str(issued.year) in cover
    assert "Herausgegeben von Koordinierungsstelle Integration der Region Hannover" in cover
    assert "Zusammenfassung" not in cover  # the summary starts on its own page
    footer = re.compile(r"Halbjahresbericht \d+ / \d+$")
    assert all(footer.sub("", page).strip() for page in pages[1:])  # no empty page


def test_the_summary_prints_the_narrative_and_the_totals(report_world):
    pages = pdf_pages(generated(report_world["run"]))

    summary = page_with(pages, "Zusammenfassung")
    assert "Im Berichtszeitraum hat der Ausschuss die Fortschreibung beschlossen." in summary
    # 6 measures in the working copy, 5 in adopted versions, 1 only in the draft.
    assert "Maßnahmen im Konzept 6" in summary
    assert "davon beschlossen 5" in summary and "noch nicht beschlossen 1" in summary
    assert "Im Zeitraum beschlossene Maßnahmen 1" in summary  # "neu", not the 6 imported
    assert "Umgesetzt 1" in summary and "Zurückgestellt 1" in summary
    assert "Statusänderungen im Zeitraum 2" in summary
    assert "Fortschrittsvermerke im Zeitraum 2" in summary
    # the totals across all fields, one row per field and the sum
    status, changed = summary.split("Alle Handlungsfelder")[1].split(
        "Was sich im Zeitraum geändert hat"
    )
    assert "4. Bildung und Sprache 2 2 1 0 1 0 50 " in status
    assert "5. Wirtschaft und Arbeit 4 3 3 0 0 1 0 " in status
    assert "Gesamt 6 5 4 0 1 1 17 " in status
    assert "4. Bildung und Sprache 0 1 1 5. Wirtschaft und Arbeit 1 1 1 Gesamt 1 2 2" in changed


def test_each_field_prints_its_narrative_indicators_with_trend_and_what_changed(report_world):
    pages = pdf_pages(generated(report_world["run"]))

    bildung = page_with(pages, "4. Bildung und Sprache Die Elternkurse")
    assert "Die Elternkurse sind das Herzstück des Handlungsfelds." in bildung
    assert (
        "2 Maßnahmen, davon 2 beschlossen. 50 % umgesetzt, 50 % in Umsetzung oder umgesetzt."
        in (bildung)
    )
    # latest value up to the end of the period, the one before, the change and the target
    assert (
        "Teilnehmende an Elternkursen (Personen) · steigend Aktueller Wert: 420,50 (15.11.2026) · "
        "Vorheriger Wert: 310 (30.06.2026) · Veränderung: +110,50 · Zielwert: 500" in bildung
    )
    assert "999" not in bildung  # recorded after the period
    assert "Keine Maßnahme dieses Handlungsfelds wurde im Zeitraum beschlossen." in bildung
    assert "Umsetzung → Umgesetzt" in bildung and "Alle zwölf Elternkurse laufen" in bildung
    assert (
        "Start" not in bildung.split("Statusänderungen und Fortschrittsvermerke")[1]
    )  # before the period
    assert "Suche nach Paten" not in bildung  # after the period

    arbeit = page_with(pages, "5. Wirtschaft und Arbeit Die Beratung")
    assert (
        "Nr. 3 · beschlossen am 22. September 2026 durch Ausschuss für Soziales (Drs. 1234/2026) "
        "Mentoring für Gründerinnen einführen" in arbeit
    )
    assert "Jobmesse" not in arbeit  # only in the draft: not decided
    assert "Beschlossen am" not in arbeit and "14. Juni 2016" not in arbeit
    assert (
        "Gründungen durch Migrantinnen · noch kein Wert Beratungsgespräche im Quartal · Maßnahme 1 "
        "· fallend Aktueller Wert: 65 (31.10.2026) · Vorheriger Wert: 80 (30.06.2026) · "
        "Veränderung: -15 Im Zeitraum" in arbeit
    )
    assert "Geplant → Zurückgestellt" in arbeit
    assert "Das Jobcenter setzt 2026 andere Prioritäten" in arbeit


def test_the_spreadsheet_holds_the_same_figures_as_dates_and_numbers(report_world):
    book = workbook(generated(report_world["run"]))

    assert book.sheetnames == [
        "Zusammenfassung",
        "Nach Handlungsfeld",
        "Nach Fachbereich",
        "Maßnahmen",
        "Änderungen im Zeitraum",
        "Indikatoren",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title

    summary = {
        row[0]: row[1] for row in book["Zusammenfassung"].iter_rows(min_row=2, values_only=True)
    }
    assert summary["Bericht"] == "Halbjahresbericht"
    assert summary["Beteiligungsverfahren"] == "Integrationskonzept Region Hannover"
    assert summary["Zeitraum von"] == datetime(2026, 6, 1)  # a date cell, not text
    assert summary["Zeitraum bis"] == datetime(2026, 11, 30)
    assert summary["Herausgegeben von"] == "Koordinierungsstelle Integration der Region Hannover"
    assert summary["Zusammenfassung"].startswith("Im Berichtszeitraum hat der Ausschuss")
    assert (summary["Maßnahmen"], summary["Beschlossene Maßnahmen"]) == (6, 5)
    assert summary["Noch nicht beschlossene Maßnahmen"] == 1
    assert summary["Im Zeitraum beschlossene Maßnahmen"] == 1
    assert (summary["Umgesetzt"], summary["Zurückgestellt"], summary["Geplant"]) == (1, 1, 4)
    assert summary["Anteil umgesetzt"] == pytest.approx(1 / 6, abs=0.0001)
    assert summary["Statusänderungen im Zeitraum"] == 2

    fields = list(book["Nach Handlungsfeld"].iter_rows(min_row=2, values_only=True))
    assert [row[:10] for row in fields] == [
        (4, "Bildung und Sprache", 2, 2, 0, 1, 0, 1, 0, 0.5),
        (5, "Wirtschaft und Arbeit", 4, 3, 1, 3, 0, 0, 1, 0),
        (None, "Alle Handlungsfelder", 6, 5, 1, 4, 0, 1, 1, 0.1667),
    ]
    assert [row[10:13] for row in fields] == [(0, 1, 1), (1, 1, 1), (1, 2, 2)]
    assert fields[0][13] == "Die Elternkurse sind das Herzstück des Handlungsfelds."

    measures = {row[3]: row for row in book["Maßnahmen"].iter_rows(min_row=2, values_only=True)}
    kurse = measures["Sprachkurse für Eltern anbieten"]
    assert kurse[:2] == ("Bildung und Sprache", 1) and kurse[5] == "Umgesetzt"
    assert kurse[6] == datetime(2026, 10, 5)  # status changed, a date
    assert kurse[7:12] == (
        datetime(2016, 6, 14),  # the first adopted version, not the import on 1 August 2026
        "Regionsversammlung",
        "Drs. 0815 (IV) BDs",
        "Integrationskonzept, Fassung 1",
        "nein",
    )
    assert measures["Mentoring für Gründerinnen einführen"][7:12] == (
        datetime(2026, 9, 22),
        "Ausschuss für Soziales",
        "Drs. 1234/2026",
        "Integrationskonzept, Fassung 2",
        "ja",
    )
    assert measures["Jobmesse in jeder Kommune"][7:12] == (None, None, None, None, "nein")

    changes = list(book["Änderungen im Zeitraum"].iter_rows(min_row=2, values_only=True))
    assert [row[:6] for row in changes] == [
        (
            "Bildung und Sprache",
            1,
            "Sprachkurse für Eltern anbieten",
            "Team Schule",
            "In Umsetzung",
            "Umgesetzt",
        ),
        (
            "Wirtschaft und Arbeit",
            1,
            "Beratung im Jobcenter ausbauen",
            None,
            "Geplant",
            "Zurückgestellt",
        ),
    ]
    assert changes[0][6] == "05.10.2026: Alle zwölf Elternkurse laufen"
    assert changes[0][7:] == (datetime(2026, 10, 5), datetime(2016, 6, 14))

    indicators = list(book["Indikatoren"].iter_rows(min_row=2, values_only=True))
    assert indicators[0] == (
        "Bildung und Sprache",
        None,
        "Teilnehmende an Elternkursen",
        "Personen",
        310,
        datetime(2026, 6, 30),
        420.5,
        datetime(2026, 11, 15),
        110.5,
        500,
        "nein",
    )
    assert [row[2] for row in indicators[1:]] == [  # the field's own first, then the measures'
        "Gründungen durch Migrantinnen",
        "Beratungsgespräche im Quartal",
    ]
    by_name = {row[2]: row for row in indicators}
    assert by_name["Beratungsgespräche im Quartal"][:2] == ("Wirtschaft und Arbeit", 1)
    assert by_name["Beratungsgespräche im Quartal"][8] == -15
    assert by_name["Gründungen durch Migrantinnen"][4:] == (None,) * 7


def test_a_measure_counts_as_decided_from_its_first_adopted_version_only(report_world):
    m, run = report_world["m"], report_world["run"]
    from consultations.results import selectors

    decisions = selectors.measure_decisions(report_world["consultation"])

    assert {pk: d.date for pk, d in decisions.items()} == {
        m["kurse"].pk: date(2016, 6, 14),
        m["paten"].pk: date(2016, 6, 14),
        m["beratung"].pk: date(2016, 6, 14),
        m["anerkennung"].pk: date(2016, 6, 14),
        m["neu"].pk: date(2026, 9, 22),
    }
    data = selectors.report_data(
        consultation=run.consultation, period_start=run.period_start, period_end=run.period_end
    )
    assert [row["measure"] for row in data.decided_in_period] == [m["neu"]]


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 5, 31), False),
        (date(2026, 6, 1), True),  # the first day of the period
        (date(2026, 11, 30), True),  # the last day
        (date(2026, 12, 1), False),  # the day the period ends at midnight
    ],
)
def test_a_resolution_belongs_to_the_period_that_holds_the_start_of_its_day(day, inside):
    from consultations.results import selectors

    assert selectors.day_in_period(day, PERIOD_START, PERIOD_END) is inside


def test_the_texts_are_written_on_the_reports_page_kept_and_printed_again(
    client, report_world, django_capture_on_commit_callbacks
):
    consultation, office = report_world["consultation"], report_world["office"]
    client.force_login(office)
    url = reverse("results:staff_reports", args=[consultation.slug])
    page = client.get(url).content.decode()
    assert "Die Elternkurse sind das Herzstück des Handlungsfelds." in page  # the saved draft
    fields = {f.name: f.pk for f in consultation.handlungsfelder.all()}

    response = client.post(
        url,
        {
            "action": "narrative",
            "issuer": "Koordinierungsstelle Integration",
            "summary": "Zweiter Entwurf der Zusammenfassung.",
            f"field_{fields['Bildung und Sprache']}": "Neuer Text zu Bildung.",
            f"field_{fields['Wirtschaft und Arbeit']}": "",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#narrative")
    narrative = ReportNarrative.objects.get(consultation=consultation)
    assert (narrative.summary, narrative.issuer, narrative.updated_by) == (
        "Zweiter Entwurf der Zusammenfassung.",
        "Koordinierungsstelle Integration",
        office,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"action": "generate", "period_start": "2026-06-01", "period_end": "2026-11-30"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"action": "generate", "period_start": "2026-06-01", "period_end": "2026-11-30"}
        )
    runs = ReportRun.objects.filter(requested_by=office)
    assert runs.count() == 2
    for run in runs:  # both printed the kept draft
        pages = pdf_pages(run)
        assert pages[0].startswith("Koordinierungsstelle Integration Halbjahresbericht")
        assert "Zweiter Entwurf der Zusammenfassung." in page_with(pages, "Zusammenfassung")
        assert "Neuer Text zu Bildung." in page_with(pages, "4. Bildung und Sprache Neuer")
        assert "Die Beratung wartet" not in " ".join(pages)


def test_too_long_texts_are_refused_and_kept(client, report_world):
    consultation = report_world["consultation"]
    client.force_login(report_world["office"])
    long_text = "Sehr lang. " * 1000
    response = client.post(
        reverse("results:staff_reports", args=[consultation.slug]),
        {"action": "narrative", "issuer": "Büro", "summary": long_text},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "höchstens 10000 Zeichen" in content and "Sehr lang. Sehr lang." in content
    assert ReportNarrative.objects.get(consultation=consultation).issuer != "Büro"


def test_a_reviewer_may_not_write_the_texts(client, report_world):
    consultation = report_world["consultation"]
    client.force_login(reviewer_of(DepartmentFactory()))
    response = client.post(
        reverse("results:staff_reports", args=[consultation.slug]),
        {"action": "narrative", "summary": "Fremd"},
    )
    assert response.status_code == 403
    assert ReportNarrative.objects.get(consultation=consultation).summary != "Fremd"


def test_without_a_narrative_the_cover_names_the_coordination_office_and_the_site(settings):
    settings.WAGTAIL_SITE_NAME = "Beteiligung Region Hannover"
    consultation = ConsultationFactory()
    concept_measure(concept_goal(consultation, HandlungsfeldFactory()), "Sprachkurse anbieten")
    run = ReportRun.objects.create(
        consultation=consultation, period_start=PERIOD_START, period_end=PERIOD_END
    )
    pages = pdf_pages(generated(run))
    assert pages[0].startswith(
        "Koordinierungsstelle · Beteiligung Region Hannover Halbjahresbericht"
    )
    assert re.search(r"noch nicht beschlossen 1", page_with(pages, "Zusammenfassung"))


def test_a_long_report_lists_the_rest_in_the_spreadsheet(report_world):
    from consultations.results import exports, selectors

    run = report_world["run"]
    data = selectors.report_data(
        consultation=run.consultation, period_start=run.period_start, period_end=run.period_end
    )
    html = " ".join(exports.report_html(data, change_limit=0).split())

    assert "Mentoring für Gründerinnen" not in html and "Beratungsgespräche" not in html
    assert "Gründungen durch Migrantinnen" in html  # a field's own indicators always
    assert (
        "Die im Zeitraum beschlossenen Maßnahmen sind in der Tabelle (XLSX) zu diesem Bericht "
        "aufgeführt." in html
    )
    assert "Die Änderungen in diesem Handlungsfeld sind in der Tabelle (XLSX)" in html
    for sentence in (
        "2 weitere Maßnahmen mit Fortschrittsvermerken oder Statusänderungen sind in der Tabelle",
        "1 weiterer Indikator einer Maßnahme ist in der Tabelle (XLSX) zu diesem Bericht",
        "1 weitere im Zeitraum beschlossene Maßnahme ist in der Tabelle (XLSX) zu diesem Bericht",
    ):
        assert sentence in html


def test_the_data_and_the_reports_page_take_a_fixed_number_of_queries(
    client, report_world, django_assert_max_num_queries
):
    from consultations.results import selectors

    consultation, office, run = (
        report_world["consultation"],
        report_world["office"],
        report_world["run"],
    )
    goal = report_world["m"]["kurse"].goal
    more = [concept_measure(goal, f"Weitere Maßnahme {n}") for n in range(15)]
    concept_version(consultation, more, number=4, resolution_date=date(2026, 10, 1))
    for measure in more:
        services.measure_record_progress(
            measure=measure, actor=office, status="done", note="Fertig", at=aware(2026, 11, 2)
        )
        Indicator.objects.create(consultation=consultation, measure=measure, name="Kennzahl")

    with django_assert_max_num_queries(14):
        data = selectors.report_data(
            consultation=consultation, period_start=run.period_start, period_end=run.period_end
        )
    assert len(data.decided_in_period) == 16 and len(data.changes) == 17

    client.force_login(office)
    with django_assert_max_num_queries(15):  # session, user and roles, the layout's links
        assert (
            client.get(reverse("results:staff_reports", args=[consultation.slug])).status_code
            == 200
        )
