"""Exports of all proposals as CSV and XLSX, built by the Celery task, downloadable by staff only."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from consultations.exports.services import export_build, export_request
from consultations.models import ExportJob, ExportStatus, ProposalKind, ProposalStatus
from foundation.models import OutboxMessage
from tests.consultations.discussion.discussion_helpers import count_queries, en
from tests.consultations.factories import (
    HandlungsfeldFactory,
    MunicipalityFactory,
    ProposalFactory,
    ResidentFactory,
    coordination_office_user,
    open_consultation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    consultation = open_consultation()
    field = HandlungsfeldFactory(number=4, name="Bildung und Sprache", slug="bildung-und-sprache")
    goal = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        kind=ProposalKind.GOAL,
        title="Sprache für alle",
        author=ResidentFactory(display_name="Aylin", email="aylin@example.org"),
        support_count=12,
        comment_count=3,
    )
    measure = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        goal=goal,
        title='=HYPERLINK("http://evil")',
        is_region_wide=False,
        status=ProposalStatus.ACCEPTED,
        points_total=7,
        author=ResidentFactory(display_name="", email="anonym@example.org"),
    )
    measure.municipalities.add(
        MunicipalityFactory(name="Laatzen", slug="laatzen"),
        MunicipalityFactory(name="Garbsen", slug="garbsen"),
    )
    ProposalFactory(title="Andere Konsultation")
    return consultation


def request_via_page(client, consultation, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            en("consultations:export_list"), {"consultation": consultation.pk, "format": fmt}
        )
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportStatus.DONE, job.error
    return job


def download(client, job):
    response = client.get(en("consultations:export_download", pk=job.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def test_csv_export_is_semicolon_separated_utf8_with_bom(
    client, consultation, django_capture_on_commit_callbacks
):
    client.force_login(coordination_office_user())

    job = request_via_page(client, consultation, "csv", django_capture_on_commit_callbacks)
    content = download(client, job)

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, goal, measure = rows
    assert len(rows) == 3 and job.row_count == 2
    assert len(header) == len(goal) == 28  # 15 of the proposal, 13 of the review
    values = set(goal)
    assert {"Sprache für alle", "12", "3", "Aylin", "4. Bildung und Sprache"} <= values
    assert "aylin@example.org" not in content.decode("utf-8-sig")
    assert measure[1] == '\'=HYPERLINK("http://evil")'  # no formula injection
    assert "Garbsen, Laatzen" in measure and "Sprache für alle" in measure and "7" in measure


def test_xlsx_export_opens_with_openpyxl(client, consultation, django_capture_on_commit_callbacks):
    client.force_login(coordination_office_user())

    job = request_via_page(client, consultation, "xlsx", django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(download(client, job)), read_only=True)

    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 3
    goal, measure = rows[1], rows[2]
    assert goal[1] == "Sprache für alle" and goal[7] == 12 and goal[8] == 3 and goal[10] == "Aylin"
    assert measure[1].startswith("'=") and measure[6] == "Garbsen, Laatzen" and measure[9] == 7
    assert measure[3] == "Sprache für alle"


def test_export_is_handed_to_the_worker_through_the_outbox_and_runs_once(
    django_capture_on_commit_callbacks, consultation
):
    staff = coordination_office_user()

    with django_capture_on_commit_callbacks(execute=False):
        job = export_request(user=staff, consultation=consultation, format="csv")
    assert OutboxMessage.objects.get().payload == {"job_id": job.pk}
    job.refresh_from_db()
    assert job.status == ExportStatus.PENDING  # nothing ran before the commit

    first = export_build(job_id=job.pk)
    name = first.file.name
    second = export_build(job_id=job.pk)  # a retry of the task changes nothing

    assert first.status == second.status == ExportStatus.DONE
    assert second.file.name == name and second.row_count == 2


def test_a_failing_export_is_marked_failed_with_the_error(consultation, monkeypatch):
    staff = coordination_office_user()
    job = ExportJob.objects.create(requested_by=staff, consultation=consultation, format="xlsx")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("consultations.exports.services._write_xlsx", broken)
    with pytest.raises(RuntimeError):
        export_build(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "disk full" in job.error


def test_exports_list_shows_my_exports_only(
    client, consultation, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    me, colleague = coordination_office_user(), coordination_office_user()
    client.force_login(me)
    with django_capture_on_commit_callbacks(execute=True):
        mine = [export_request(user=me, consultation=consultation, format="csv")]
        theirs = export_request(user=colleague, consultation=consultation, format="xlsx")
    with_one = count_queries(client, en("consultations:export_list"))
    with django_capture_on_commit_callbacks(execute=True):
        mine += [
            export_request(user=me, consultation=open_consultation(), format="csv")
            for _ in range(5)
        ]

    with django_assert_max_num_queries(with_one):
        response = client.get(en("consultations:export_list"))

    html = response.content.decode()
    assert all(en("consultations:export_download", pk=job.pk) in html for job in mine)
    assert en("consultations:export_download", pk=theirs.pk) not in html
    assert client.get(en("consultations:export_download", pk=theirs.pk)).status_code == 404


def test_download_is_refused_to_residents_and_visitors(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(
            user=coordination_office_user(), consultation=consultation, format="csv"
        )
    url = en("consultations:export_download", pk=job.pk)

    assert client.get(url).status_code == 302
    client.force_login(ResidentFactory())
    assert client.get(url).status_code == 403
    assert (
        client.post(
            en("consultations:export_list"), {"consultation": consultation.pk, "format": "csv"}
        ).status_code
        == 403
    )


def test_export_form_errors_are_shown(client):
    client.force_login(coordination_office_user())

    response = client.post(en("consultations:export_list"), {"format": "pdf"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose a consultation." in html
    assert not ExportJob.objects.exists()
