"""A department downloads its queue as XLSX, fills it in and uploads it back; a bad file changes
nothing and reports each error with row and column."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from consultations.review import services, transfer
from consultations.review.models import (
    Assessment,
    AssessmentImport,
    AssessmentRevision,
    ImportStatus,
    ReviewState,
)
from foundation.models import OutboxMessage

from .factories import (
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    ResidentFactory,
    ReviewCaseFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

HEADERS_DE = [
    "Vorschlag Nr.",
    "Vorschlag",
    "Handlungsfeld",
    "Federführender Fachbereich",
    "Fällig am",
    "Link",
    "Ursprünglicher Text",
    "Umsetzbarkeit",
    "Zuständigkeit",
    "Kostenschätzung",
    "Zeitrahmen",
    "Öffentliche Begründung",
    "Interne Notiz (wird nie veröffentlicht)",
    "Überarbeiteter Titel",
    "Überarbeitete Fassung",
]
RATIONALE = "Sprachkurse gibt es, die Kinderbetreuung fehlt noch in vielen Kommunen."


@pytest.fixture
def queue():
    """Department A with two cases in review, one assigned; department B with one in review."""
    field = HandlungsfeldFactory(number=4, name="Bildung und Sprache", slug="bildung-sprache")
    team_a, team_b = DepartmentFactory(name="Team Bildung"), DepartmentFactory(name="Team Arbeit")
    first = ReviewCaseFactory(
        proposal=ProposalFactory(handlungsfeld=field, title="Sprachkurse für Eltern"),
        lead_department=team_a,
        state=ReviewState.IN_REVIEW,
        due_on=date(2027, 2, 1),
    )
    second = ReviewCaseFactory(
        proposal=ProposalFactory(handlungsfeld=field, title="Lotsen in Ämtern"),
        lead_department=team_a,
        state=ReviewState.IN_REVIEW,
        due_on=date(2027, 3, 1),
    )
    Assessment.objects.create(
        proposal=second.proposal,
        department=team_a,
        feasibility="feasible",
        responsibility=["municipality"],
        public_rationale="Schon begonnen.",
    )
    assigned = ReviewCaseFactory(lead_department=team_a, state=ReviewState.ASSIGNED)
    foreign = ReviewCaseFactory(lead_department=team_b, state=ReviewState.IN_REVIEW)
    return {
        "a": team_a,
        "b": team_b,
        "first": first,
        "second": second,
        "assigned": assigned,
        "foreign": foreign,
        "reviewer": reviewer_of(team_a),
    }


def download(client) -> bytes:
    response = client.get(reverse("review:queue_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="einschaetzungen-')
    return response.content


def as_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_cell(sheet, row: int, header: str, value) -> None:
    column = [cell.value for cell in sheet[1]].index(header) + 1
    sheet.cell(row=row, column=column, value=value)


def upload(client, content: bytes, capture, name="einschaetzungen.xlsx"):
    with capture(execute=True):
        response = client.post(
            reverse("review:queue_upload"), {"file": SimpleUploadedFile(name, content)}
        )
    return response


def test_the_download_lists_the_cases_to_assess_with_choices_and_explanation(client, queue):
    client.force_login(queue["reviewer"])

    workbook = load_workbook(io.BytesIO(download(client)))

    assert workbook.sheetnames == ["Einschätzungen", "Auswahllisten", "Erläuterung"]
    sheet = workbook["Einschätzungen"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS_DE
    first, second = queue["first"], queue["second"]
    assert [row[0] for row in rows[1:]] == [first.proposal_id, second.proposal_id]
    assert rows[1][1:5] == (
        "Sprachkurse für Eltern",
        "4. Bildung und Sprache",
        "Team Bildung",
        __import__("datetime").datetime(2027, 2, 1),
    )
    assert rows[1][6] == "Mehr Sprachkurse mit Kinderbetreuung anbieten."
    assert rows[1][7:] == (None,) * 8
    assert rows[2][7:9] == ("Umsetzbar", "Kommune") and rows[2][11] == "Schon begonnen."
    link = sheet["F2"]
    assert link.hyperlink.target.endswith(reverse("review:case", args=[first.proposal_id]))
    assert link.hyperlink.target.startswith("http")
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:O3"
    assert sheet["E2"].number_format == "DD.MM.YYYY"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    feasibility, responsibility = validations["H2:H1003"], validations["I2:I1003"]
    assert feasibility.type == "list" and feasibility.formula1 == "'Auswahllisten'!$A$2:$A$5"
    assert feasibility.errorStyle in (None, "stop")
    assert responsibility.formula1 == "'Auswahllisten'!$B$2:$B$6"
    assert responsibility.errorStyle == "information"
    assert validations["N2:N1003"].type == "textLength"
    assert validations["N2:N1003"].formula1 == "200"
    choices = workbook["Auswahllisten"]
    assert [c.value for c in choices["A"]][1:5] == [
        "Umsetzbar",
        "Teilweise umsetzbar",
        "Nicht umsetzbar",
        "Bereits umgesetzt",
    ]
    assert [c.value for c in choices["B"]][1:] == ["Region", "Kommune", "Land", "Bund", "Dritte"]
    explanation = " ".join(
        str(cell) for row in workbook["Erläuterung"].iter_rows(values_only=True) for cell in row
    )
    assert "nichts gespeichert" in explanation and "Semikolon" in explanation
    assert "höchstens 200 Zeichen" in explanation.replace("Höchstens", "höchstens")


def test_round_trip_saves_the_drafts_through_the_assessment_service(
    client, queue, django_capture_on_commit_callbacks
):
    client.force_login(queue["reviewer"])
    workbook = load_workbook(io.BytesIO(download(client)))
    sheet = workbook.active
    set_cell(sheet, 2, "Umsetzbarkeit", "Teilweise umsetzbar")
    set_cell(sheet, 2, "Zuständigkeit", "Kommune; Region")
    set_cell(sheet, 2, "Kostenschätzung", 50000)
    set_cell(sheet, 2, "Zeitrahmen", "ab 2028")
    set_cell(sheet, 2, "Öffentliche Begründung", RATIONALE)
    set_cell(sheet, 2, "Interne Notiz (wird nie veröffentlicht)", "Haushalt 2028 prüfen")
    set_cell(sheet, 2, "Überarbeiteter Titel", "Sprachkurse mit Kinderbetreuung")
    set_cell(sheet, 2, "Überarbeitete Fassung", "In allen 21 Kommunen.")

    response = upload(client, as_bytes(workbook), django_capture_on_commit_callbacks)

    job = AssessmentImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue_import", args=[job.pk])
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.row_count, job.saved_count, job.unchanged_count) == (2, 1, 1)
    assert job.errors == []
    assessment = Assessment.objects.get(proposal=queue["first"].proposal)
    assert assessment.feasibility == "partly"
    assert assessment.responsibility == ["region", "municipality"]
    assert assessment.cost_estimate == "50000" and assessment.time_frame == "ab 2028"
    assert assessment.public_rationale == RATIONALE
    assert assessment.internal_note == "Haushalt 2028 prüfen"
    assert assessment.department == queue["a"] and assessment.assessed_at is None
    revision = AssessmentRevision.objects.get(assessment=assessment)
    assert revision.revised_title == "Sprachkurse mit Kinderbetreuung"
    assert revision.author == queue["reviewer"]
    queue["first"].refresh_from_db()
    assert queue["first"].state == ReviewState.IN_REVIEW  # a draft, not submitted

    status = client.get(response["Location"]).content.decode()
    assert "1 Entwurf einer Einschätzung wurde gespeichert." in status
    assert "1 Zeile war unverändert." in status
    assert 'http-equiv="refresh"' not in status
    page = client.get(reverse("review:case", args=[queue["first"].proposal_id])).content.decode()
    assert "Teilweise umsetzbar" in page and RATIONALE in page and "Region, Kommune" in page

    # The same file again changes nothing.
    upload(client, as_bytes(workbook), django_capture_on_commit_callbacks)
    again = AssessmentImport.objects.latest("pk")
    assert (again.status, again.saved_count, again.unchanged_count) == ("done", 0, 2)
    assert AssessmentRevision.objects.filter(assessment=assessment).count() == 1


def bad_workbook(queue) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS_DE)
    blank = [None] * (len(HEADERS_DE) - 1)

    def row(number, **values):
        cells = [number, *blank]
        for header, value in values.items():
            cells[HEADERS_DE.index(header)] = value
        sheet.append(cells)

    first, second = queue["first"].proposal_id, queue["second"].proposal_id
    row(first, **{"Umsetzbarkeit": "Vielleicht"})  # 2
    row(second, **{"Überarbeiteter Titel": "x" * 201})  # 3
    row(999999)  # 4
    row(queue["foreign"].proposal_id)  # 5
    row(queue["assigned"].proposal_id)  # 6
    row(first)  # 7
    row("zwölf")  # 8
    sheet.append([None] * len(HEADERS_DE))  # 9: empty rows are skipped
    row(None, **{"Zuständigkeit": "Region; Europa"})  # 10
    return as_bytes(workbook)


EXPECTED_DE = [
    (
        2,
        "H",
        "„Vielleicht“ ist keine Auswahlmöglichkeit. Wählen Sie eine von: Umsetzbar, "
        "Teilweise umsetzbar, Nicht umsetzbar, Bereits umgesetzt.",
    ),
    (3, "N", "Der Text hat 201 Zeichen; erlaubt sind höchstens 200."),
    (4, "A", "Für Vorschlag 999999 gibt es keinen Prüffall."),
    (5, "A", "{foreign}"),
    (
        6,
        "A",
        "Die Einschätzung kann nur bearbeitet werden, solange der Vorgang in Prüfung ist "
        "(aktuell: „Zugewiesen“).",
    ),
    (7, "A", "Vorschlag {first} steht mehrmals in der Datei (zuerst in Zeile 2)."),
    (
        8,
        "A",
        "Geben Sie die Nummer des Vorschlags als ganze Zahl an, wie in der heruntergeladenen "
        "Datei.",
    ),
    (
        10,
        "A",
        "Geben Sie die Nummer des Vorschlags als ganze Zahl an, wie in der "
        "heruntergeladenen Datei.",
    ),
    (
        10,
        "I",
        "„Europa“ ist keine Auswahlmöglichkeit. Wählen Sie eine oder mehrere von: Region, "
        "Kommune, Land, Bund, Dritte.",
    ),
]


def test_a_bad_file_changes_nothing_and_reports_each_error_with_row_and_column(
    client, queue, django_capture_on_commit_callbacks
):
    client.force_login(queue["reviewer"])
    before = list(Assessment.objects.values_list("pk", "updated_at", "feasibility"))

    upload(client, bad_workbook(queue), django_capture_on_commit_callbacks)

    job = AssessmentImport.objects.get()
    assert job.status == ImportStatus.REJECTED and job.saved_count == 0
    expected = [
        {
            "row": row,
            "column": column,
            "message": message.format(
                first=queue["first"].proposal_id,
                foreign=f"Vorschlag {queue['foreign'].proposal_id} wird nicht von Ihrem "
                "Fachbereich federführend bearbeitet.",
            ),
        }
        for row, column, message in EXPECTED_DE
    ]
    assert job.errors == expected
    assert list(Assessment.objects.values_list("pk", "updated_at", "feasibility")) == before
    page = client.get(reverse("review:queue_import", args=[job.pk])).content.decode()
    assert "Es wurde nichts gespeichert. Die Datei enthält 9 Fehler:" in page
    assert "Für Vorschlag 999999 gibt es keinen Prüffall." in page
    assert "<td>10</td><td>I</td>" in page


def test_the_messages_in_english(queue):
    reviewer = queue["reviewer"]
    with translation.override("en"):
        result = transfer.check_and_save(actor=reviewer, content=bad_workbook(queue))
        wrong = transfer.check_and_save(actor=reviewer, content=b"not a workbook")
    messages = [problem.message for problem in result.problems]
    assert messages == [
        "“Vielleicht” is not a choice. Choose one of: Feasible, Partly feasible, Not feasible, "
        "Already implemented.",
        "The text has 201 characters; at most 200 are allowed.",
        "There is no review case for proposal 999999.",
        f"Proposal {queue['foreign'].proposal_id} is not led by your department.",
        "The assessment can only be edited while the case is in review (now: “Assigned”).",
        f"Proposal {queue['first'].proposal_id} appears more than once in the file (first in "
        "row 2).",
        "Enter the proposal number as a whole number, as in the downloaded file.",
        "Enter the proposal number as a whole number, as in the downloaded file.",
        "“Europa” is not a choice. Choose one or more of: Region, Municipality (Kommune), "
        "State (Land), Federal government (Bund), Third parties (Dritte).",
    ]
    assert [p.as_dict() for p in wrong.problems] == [
        {
            "row": None,
            "column": "",
            "message": "The file is not an Excel workbook (XLSX). Please upload the file "
            "downloaded from your queue, saved as XLSX.",
        }
    ]


def sheet_with(queue, **values) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS_DE)
    cells = [queue["first"].proposal_id] + [None] * (len(HEADERS_DE) - 1)
    for header, value in values.items():
        cells[HEADERS_DE.index(header)] = value
    sheet.append(cells)
    return as_bytes(workbook)


@pytest.mark.parametrize(
    ("header", "limit"),
    [
        ("Überarbeiteter Titel", 200),
        ("Kostenschätzung", 2000),
        ("Zeitrahmen", 2000),
        ("Öffentliche Begründung", 10000),
        ("Interne Notiz (wird nie veröffentlicht)", 10000),
        ("Überarbeitete Fassung", 10000),
    ],
)
def test_texts_may_be_as_long_as_the_field_and_not_one_character_more(queue, header, limit):
    reviewer = queue["reviewer"]

    too_long = transfer.check_and_save(
        actor=reviewer, content=sheet_with(queue, **{header: "y" * (limit + 1)})
    )
    fits = transfer.check_and_save(
        actor=reviewer, content=sheet_with(queue, **{header: "y" * limit})
    )

    column = "ABCDEFGHIJKLMNO"[HEADERS_DE.index(header)]
    assert [p.as_dict() for p in too_long.problems] == [
        {
            "row": 2,
            "column": column,
            "message": f"Der Text hat {limit + 1} Zeichen; erlaubt sind höchstens {limit}.",
        }
    ]
    assert fits.problems == [] and fits.saved == 1


def test_codes_english_labels_commas_and_stray_spaces_are_understood(queue):
    content = sheet_with(
        queue,
        **{
            "Umsetzbarkeit": "  not_feasible ",
            "Zuständigkeit": "Federal government (Bund), third_party,Bund",
            "Öffentliche Begründung": RATIONALE,
            "Zeitrahmen": date(2028, 1, 1),
        },
    )

    result = transfer.check_and_save(actor=queue["reviewer"], content=content)

    assert result.problems == [] and (result.rows, result.saved) == (1, 1)
    assessment = Assessment.objects.get(proposal=queue["first"].proposal)
    assert assessment.feasibility == "not_feasible"
    assert assessment.responsibility == ["federal", "third_party"]
    assert assessment.time_frame == "01.01.2028"


def test_an_empty_cell_empties_the_field(queue):
    second = queue["second"]
    workbook = Workbook()
    workbook.active.append(HEADERS_DE)
    workbook.active.append([second.proposal_id, "geändert"])

    result = transfer.check_and_save(actor=queue["reviewer"], content=as_bytes(workbook))

    assert result.saved == 1
    assessment = Assessment.objects.get(proposal=second.proposal)
    assert (assessment.feasibility, assessment.responsibility, assessment.public_rationale) == (
        "",
        [],
        "",
    )


def test_missing_and_doubled_columns_are_reported(queue):
    headers = [h for h in HEADERS_DE if h != "Umsetzbarkeit"] + ["Zeitrahmen"]
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append([queue["first"].proposal_id])

    result = transfer.check_and_save(actor=queue["reviewer"], content=as_bytes(workbook))

    assert [p.as_dict() for p in result.problems] == [
        {"row": 1, "column": "O", "message": "Die Spalte „Zeitrahmen“ kommt zweimal vor."},
        {
            "row": 1,
            "column": "",
            "message": "Die Spalte „Umsetzbarkeit“ fehlt. Bitte verwenden Sie die Datei, die Sie "
            "aus Ihrer Prüfliste heruntergeladen haben, und behalten Sie deren "
            "Spaltenüberschriften bei.",
        },
    ]
    assert result.rows == 0 and not Assessment.objects.filter(proposal=queue["first"].proposal)


def test_english_headings_are_accepted(queue):
    with translation.override("en"):
        headers = [str(column.header) for column in transfer.COLUMNS]
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append([queue["first"].proposal_id] + [None] * 6 + ["Partly feasible"])

    result = transfer.check_and_save(actor=queue["reviewer"], content=as_bytes(workbook))

    assert result.problems == [] and result.saved == 1


def test_too_many_rows_are_refused(queue, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_ROWS", 2)
    workbook = Workbook()
    workbook.active.append(HEADERS_DE)
    for _ in range(3):
        workbook.active.append([queue["first"].proposal_id])

    result = transfer.check_and_save(actor=queue["reviewer"], content=as_bytes(workbook))
    assert [p.as_dict() for p in result.problems] == [
        {
            "row": 4,
            "column": "",
            "message": "Die Datei hat mehr als 2 Zeilen. Bitte teilen Sie sie auf.",
        }
    ]
    monkeypatch.setattr(transfer, "MAX_ROWS", 3)
    result = transfer.check_and_save(actor=queue["reviewer"], content=as_bytes(workbook))
    assert "mehr als" not in " ".join(p.message for p in result.problems)


def test_a_refusal_while_saving_rolls_back_every_row(queue, monkeypatch):
    workbook = Workbook()
    workbook.active.append(HEADERS_DE)
    for case in (queue["first"], queue["second"]):
        workbook.active.append([case.proposal_id] + [None] * 10 + ["neu"])
    real = services.assessment_save
    calls = []

    def save(*, case, actor, data, submit):
        calls.append(case.proposal_id)
        if len(calls) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError("Gesperrt.")
        return real(case=case, actor=actor, data=data, submit=submit)

    monkeypatch.setattr(services, "assessment_save", save)

    result = transfer.check_and_save(actor=queue["reviewer"], content=as_bytes(workbook))

    assert [p.as_dict() for p in result.problems] == [
        {"row": 3, "column": "A", "message": "Gesperrt."}
    ]
    assert result.saved == 0 and result.unchanged == 0
    assert not Assessment.objects.filter(proposal=queue["first"].proposal).exists()


def test_the_upload_form_refuses_other_files_and_keeps_the_page(
    client, queue, django_capture_on_commit_callbacks
):
    client.force_login(queue["reviewer"])

    response = upload(client, b"a;b", django_capture_on_commit_callbacks, name="liste.csv")
    empty = client.post(reverse("review:queue_upload"), {})

    assert response.status_code == 400
    assert "Bitte laden Sie eine Excel-Arbeitsmappe hoch (eine Datei mit der Endung .xlsx)." in (
        response.content.decode()
    )
    assert empty.status_code == 400
    assert "Bitte wählen Sie die Datei aus, die hochgeladen werden soll." in empty.content.decode()
    assert not AssessmentImport.objects.exists()


def test_a_text_file_named_xlsx_is_reported_as_the_wrong_format(
    client, queue, django_capture_on_commit_callbacks
):
    client.force_login(queue["reviewer"])

    upload(client, b"Nr;Umsetzbarkeit\n1;umsetzbar", django_capture_on_commit_callbacks)

    job = AssessmentImport.objects.get()
    assert job.status == ImportStatus.REJECTED
    assert job.errors == [
        {
            "row": None,
            "column": "",
            "message": "Die Datei ist keine Excel-Arbeitsmappe (XLSX). Bitte laden Sie die aus "
            "Ihrer Prüfliste heruntergeladene Datei hoch, als XLSX gespeichert.",
        }
    ]


def test_the_upload_is_handed_to_the_worker_and_runs_once(
    queue, django_capture_on_commit_callbacks
):
    content = sheet_with(queue, **{"Umsetzbarkeit": "Umsetzbar"})
    with django_capture_on_commit_callbacks(execute=False):
        job = transfer.import_request(
            actor=queue["reviewer"], upload=SimpleUploadedFile("a.xlsx", content)
        )
    message = OutboxMessage.objects.get(task="review.tasks.import_assessments")
    assert message.payload == {"job_id": job.pk}
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING and job.original_name == "a.xlsx"

    first = transfer.import_run(job_id=job.pk)
    second = transfer.import_run(job_id=job.pk)

    assert first.status == second.status == ImportStatus.DONE
    assert second.saved_count == 1 and second.finished_at == first.finished_at
    assert first.started_at is not None
    assert AssessmentRevision.objects.count() == 0


def test_a_crash_marks_the_upload_failed(queue, monkeypatch):
    job = transfer.import_request(
        actor=queue["reviewer"], upload=SimpleUploadedFile("a.xlsx", sheet_with(queue))
    )

    def broken(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(transfer, "check_and_save", broken)
    with pytest.raises(RuntimeError):
        transfer.import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"row": None, "column": "", "message": "RuntimeError: kaputt"}]


def test_a_large_file_is_refused(queue, monkeypatch):
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError) as refused:
        transfer.import_request(
            actor=queue["reviewer"], upload=SimpleUploadedFile("a.xlsx", b"x" * 11)
        )
    assert refused.value.message_dict == {"file": ["Die Datei ist größer als 0 MB."]}
    transfer.import_request(actor=queue["reviewer"], upload=SimpleUploadedFile("a.xlsx", b"x" * 10))


def test_who_may_download_upload_and_see_an_upload(
    client, queue, django_capture_on_commit_callbacks
):
    urls = [reverse("review:queue_download"), reverse("review:queue_upload")]
    for url in urls:
        assert client.get(url).status_code == 302  # visitors sign in first
    client.force_login(ResidentFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(urls[1], {"file": SimpleUploadedFile("a.xlsx", b"x")}).status_code == 403
    client.force_login(coordination_office_user())
    assert client.get(urls[0]).status_code == 403

    client.force_login(queue["reviewer"])
    upload(client, sheet_with(queue), django_capture_on_commit_callbacks)
    job = AssessmentImport.objects.get()
    status_url = reverse("review:queue_import", args=[job.pk])
    assert client.get(status_url).status_code == 200

    other = reviewer_of(queue["b"])
    client.force_login(other)
    assert client.get(status_url).status_code == 404
    workbook = load_workbook(io.BytesIO(download(client)))
    ids = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert ids == [queue["foreign"].proposal_id]

    with pytest.raises(Exception) as refused:
        transfer.queue_workbook(user=ResidentFactory())
    assert (
        str(refused.value)
        == "Nur Mitglieder eines Fachbereichs können ihre Prüfliste herunterladen."
    )
    with pytest.raises(Exception) as refused:
        transfer.import_request(actor=ResidentFactory(), upload=SimpleUploadedFile("a.xlsx", b"x"))
    assert (
        str(refused.value) == "Nur Mitglieder eines Fachbereichs können Einschätzungen hochladen."
    )


def test_the_other_department_cannot_write_into_my_cases(queue):
    other = reviewer_of(queue["b"])

    result = transfer.check_and_save(
        actor=other, content=sheet_with(queue, Umsetzbarkeit="Umsetzbar")
    )

    assert [p.as_dict() for p in result.problems] == [
        {
            "row": 2,
            "column": "A",
            "message": f"Vorschlag {queue['first'].proposal_id} wird nicht von Ihrem Fachbereich "
            "federführend bearbeitet.",
        }
    ]
    assert not Assessment.objects.filter(proposal=queue["first"].proposal).exists()


def test_a_merged_case_is_unknown(queue):
    from django.utils import timezone

    queue["first"].closed_at = timezone.now()
    queue["first"].save(update_fields=["closed_at"])

    result = transfer.check_and_save(actor=queue["reviewer"], content=sheet_with(queue))

    assert [p.message for p in result.problems] == [
        f"Für Vorschlag {queue['first'].proposal_id} gibt es keinen Prüffall."
    ]


def test_the_queue_page_links_to_the_spreadsheet(client, queue):
    client.force_login(queue["reviewer"])

    html = client.get(reverse("review:queue")).content.decode()
    page = client.get(reverse("review:queue_upload")).content.decode()

    assert reverse("review:queue_download") in html and reverse("review:queue_upload") in html
    assert "Ihr Fachbereich kann jetzt 2 Vorschläge einschätzen" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize("extra", [0, 12])
def test_download_and_upload_page_take_a_fixed_number_of_queries(
    client, queue, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        case = ReviewCaseFactory(lead_department=queue["a"], state=ReviewState.IN_REVIEW)
        Assessment.objects.create(proposal=case.proposal, department=queue["a"])
        AssessmentImport.objects.create(uploaded_by=queue["reviewer"], original_name="a.xlsx")
    client.force_login(queue["reviewer"])

    with django_assert_max_num_queries(6):
        assert client.get(reverse("review:queue_download")).status_code == 200
    with django_assert_max_num_queries(12):  # the site layout takes most of them
        assert client.get(reverse("review:queue_upload")).status_code == 200


def test_text_that_looks_like_a_formula_stays_text_in_the_download_and_back(
    client, queue, django_capture_on_commit_callbacks
):
    from consultations.models import Proposal

    Proposal.objects.filter(pk=queue["first"].proposal_id).update(title='=HYPERLINK("http://x")')
    Assessment.objects.filter(proposal=queue["second"].proposal).update(
        public_rationale="- erstens\n- zweitens"
    )
    client.force_login(queue["reviewer"])

    content = download(client)
    sheet = load_workbook(io.BytesIO(content)).active

    assert sheet["B2"].value == '=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"
    assert sheet["L3"].value == "- erstens\n- zweitens" and sheet["L3"].data_type == "s"
    upload(client, content, django_capture_on_commit_callbacks)
    job = AssessmentImport.objects.get()
    assert (job.status, job.saved_count, job.unchanged_count) == ("done", 0, 2)


def test_an_upload_is_finished_unless_waiting_or_running_and_the_page_reloads_until_then(
    client, queue
):
    job = AssessmentImport.objects.create(uploaded_by=queue["reviewer"], original_name="a.xlsx")
    finished = {
        status: AssessmentImport(status=status).is_finished for status in ImportStatus.values
    }

    assert finished == {
        "pending": False,
        "running": False,
        "done": True,
        "rejected": True,
        "failed": True,
    }
    assert str(job) == "a.xlsx (pending)"
    client.force_login(queue["reviewer"])
    page = client.get(reverse("review:queue_import", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Die Datei wird geprüft." in page
