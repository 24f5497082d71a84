"""Exports: CSV (ZIP with codebook), XLSX with a codebook sheet, SPSS .sav with variable and
value labels, PDF report — built by the worker through the outbox, downloadable by staff only."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pyreadstat
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from foundation.models import OutboxMessage
from foundation.roles import Role
from surveys.exports.services import export_build, export_request
from surveys.models import ResponseState, SurveyExport, SurveyExportStatus
from tests.foundation.factories import ResidentFactory, user_with_role
from tests.surveys.factories import SurveyFactory
from tests.surveys.results.helpers import questionnaire, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    data = questionnaire()
    respond(
        data,
        kinds=("1", "3"),
        other='=HYPERLINK("http://evil")',
        size="2",
        rating={"sprache": "3", "beratung": "1"},
        staff=12.5,
        founded=datetime.date(1998, 4, 1),
        ranking=("2", "1"),
        remark="Mehr Sprachkurse, bitte.",
    )
    respond(data, group=1, municipality=1, state=ResponseState.PARTIAL, kinds=("2",))
    return data


@pytest.fixture
def office(client):
    user = user_with_role(Role.COORDINATION)
    client.force_login(user)
    return user


def request_export(client, survey, fmt, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys:export_list", kwargs={"slug": survey.slug}),
            {"format": fmt, **extra},
            follow=True,
        )
    assert response.status_code == 200
    job = SurveyExport.objects.get(survey=survey, format=fmt)
    assert job.status == SurveyExportStatus.DONE, job.error
    return job, response


def download(client, survey, job):
    response = client.get(
        reverse("surveys:export_download", kwargs={"slug": survey.slug, "pk": job.pk})
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def test_the_request_goes_through_the_outbox(office, data):
    job = export_request(actor=office, survey=data.survey, format="csv")
    message = OutboxMessage.objects.get(dedupe_key=f"surveys:export:{job.pk}")
    assert message.task == "surveys.tasks.build_survey_export"
    assert message.payload == {"job_id": job.pk}
    assert export_build(job_id=job.pk).status == SurveyExportStatus.DONE
    assert export_build(job_id=job.pk).status == SurveyExportStatus.DONE  # twice: left alone


def test_csv_zip_holds_the_rows_and_the_codebook(
    client, office, data, django_capture_on_commit_callbacks
):
    job, page = request_export(client, data.survey, "csv", django_capture_on_commit_callbacks)
    assert "Ihr Export steht zum Herunterladen bereit" in page.content.decode() or job.is_ready
    archive = zipfile.ZipFile(io.BytesIO(download(client, data.survey, job)))
    names = archive.namelist()
    assert len(names) == 2
    rows = list(csv.reader(io.StringIO(archive.read(names[0]).decode("utf-8-sig")), delimiter=";"))
    header, first, second = rows
    assert header[:3] == ["response_id", "state", "recipient_group"]
    row = dict(zip(header, first, strict=True))
    assert row["art_1"] == "1" and row["art_2"] == "0" and row["art_3"] == "1"
    assert row["art_other"].startswith("'=HYPERLINK")  # no formula smuggled into Excel
    assert row["groesse"] == "2" and row["bedarf_sprache"] == "3" and row["bedarf_beratung"] == "1"
    assert row["personal"] == "12.5" and row["gegruendet"] == "1998-04-01"
    assert row["prioritaet_2"] == "1" and row["prioritaet_1"] == "2" and row["prioritaet_3"] == ""
    assert row["anmerkungen"] == "Mehr Sprachkurse, bitte."
    partial = dict(zip(header, second, strict=True))
    assert partial["recipient_group"] == "Religionsgemeinschaften"
    assert partial["art_2"] == "1" and partial["art_1"] == "0" and partial["groesse"] == ""
    codebook = list(
        csv.reader(io.StringIO(archive.read(names[1]).decode("utf-8-sig")), delimiter=";")
    )
    labels = {(r[0], r[4]): r[6] for r in codebook[1:]}
    assert labels[("groesse", "3")] == "groß"
    assert any(r[0] == "art_3" and r[2].endswith("Beratungsstellen") for r in codebook)


def test_xlsx_has_a_codebook_sheet(client, office, data, django_capture_on_commit_callbacks):
    job, _page = request_export(client, data.survey, "xlsx", django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(download(client, data.survey, job)), read_only=True)
    responses, codebook = workbook.worksheets
    rows = list(responses.iter_rows(values_only=True))
    assert len(rows) == 3
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["personal"] == 12.5 and first["art_1"] == 1
    entries = list(codebook.iter_rows(values_only=True))
    assert entries[0][0] == "Variable"
    by_variable = {(row[0], row[4]): row for row in entries[1:]}
    assert by_variable[("bedarf_sprache", "3")][6] == "hoch"
    assert by_variable[("prioritaet_1", "1")][2] == "Was ist am wichtigsten?: Sprache"
    assert job.row_count == 2


def test_sav_has_variable_and_value_labels(
    client, office, data, django_capture_on_commit_callbacks, tmp_path
):
    job, _page = request_export(client, data.survey, "sav", django_capture_on_commit_callbacks)
    path = tmp_path / "export.sav"
    path.write_bytes(download(client, data.survey, job))
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 2
    labels = meta.column_names_to_labels
    assert labels["groesse"] == "Wie groß ist sie?"
    assert labels["art_3"] == "Welcher Art ist Ihre Einrichtung?: Beratungsstellen"
    assert meta.variable_value_labels["groesse"] == {1.0: "klein", 2.0: "mittel", 3.0: "groß"}
    assert meta.variable_value_labels["art_1"] == {0.0: "nicht gewählt", 1.0: "gewählt"}
    assert meta.variable_value_labels["bedarf_sprache"][3.0] == "hoch"
    first = frame.iloc[0]
    assert first["groesse"] == 2.0 and first["personal"] == 12.5 and first["bedarf_sprache"] == 3.0
    assert first["anmerkungen"] == "Mehr Sprachkurse, bitte."
    assert str(first["gegruendet"]).startswith("1998-04-01")
    assert meta.original_variable_types["gegruendet"].startswith("DATE")


def test_complete_only_export(client, office, data, django_capture_on_commit_callbacks):
    job, _page = request_export(
        client, data.survey, "xlsx", django_capture_on_commit_callbacks, complete_only="on"
    )
    rows = list(
        load_workbook(io.BytesIO(download(client, data.survey, job)))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert len(rows) == 2 and job.row_count == 1


def test_pdf_report_with_charts(client, office, data, django_capture_on_commit_callbacks):
    pytest.importorskip("weasyprint")
    job, _page = request_export(client, data.survey, "pdf", django_capture_on_commit_callbacks)
    content = download(client, data.survey, job)
    assert content.startswith(b"%PDF")
    from surveys.exports.services import report_html

    html = report_html(survey=data.survey)
    assert html.count('role="img"') >= 3 and "Welcher Art ist Ihre Einrichtung?" in html


def test_exports_are_for_the_coordination_office_only(
    client, data, django_capture_on_commit_callbacks
):
    office = user_with_role(Role.COORDINATION)
    client.force_login(office)
    job, _page = request_export(client, data.survey, "csv", django_capture_on_commit_callbacks)
    url = reverse("surveys:export_download", kwargs={"slug": data.survey.slug, "pk": job.pk})
    for user in (ResidentFactory(), user_with_role(Role.EDITOR)):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert (
            client.post(
                reverse("surveys:export_list", kwargs={"slug": data.survey.slug}), {"format": "csv"}
            ).status_code
            == 403
        )
    client.logout()
    assert client.get(url).status_code == 302
    assert SurveyExport.objects.count() == 1


def test_a_job_of_another_survey_is_not_downloadable_under_this_one(
    client, office, data, django_capture_on_commit_callbacks
):
    job, _page = request_export(client, data.survey, "csv", django_capture_on_commit_callbacks)
    other = SurveyFactory()
    url = reverse("surveys:export_download", kwargs={"slug": other.slug, "pk": job.pk})
    assert client.get(url).status_code == 404
