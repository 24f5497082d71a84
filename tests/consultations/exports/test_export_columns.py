"""The proposal export carries the review's columns; the XLSX has real types, a filter,
a frozen header row, clickable links and column widths."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from consultations.exports import services as export_services
from consultations.exports.columns import (
    EXPORT_COLUMNS_HOOK,
    Column,
    ColumnGroup,
    Kind,
    extra_column_groups,
)
from consultations.exports.services import csv_value, export_build, export_columns, export_rows
from consultations.models import ExportJob, ProposalStatus
from consultations.proposals.notifications import proposal_url
from consultations.review.models import Assessment, Feasibility, ReviewState
from tests.review.factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db

HEADERS_EN = [
    "ID",
    "Title",
    "Kind",
    "Belongs to goal",
    "Field of action",
    "Status",
    "Scope",
    "Supports",
    "Comments",
    "Priority points",
    "Author",
    "Created",
    "Hidden by the moderation",
    "Locked",
    "Link",
    "Lead department",
    "Contributing departments",
    "Review state",
    "Due on",
    "Feasibility (Umsetzbarkeit)",
    "Responsibility (Zuständigkeit)",
    "Cost estimate",
    "Time frame",
    "Public rationale",
    "Revised title",
    "Revised wording",
    "Merged into (ID)",
    "Assessment published on",
]
HEADERS_DE_REVIEW = [
    "Federführender Fachbereich",
    "Beteiligte Fachbereiche",
    "Stand der Prüfung",
    "Fällig am",
    "Umsetzbarkeit",
    "Zuständigkeit",
    "Kostenschätzung",
    "Zeitrahmen",
    "Öffentliche Begründung",
    "Überarbeiteter Titel",
    "Überarbeitete Fassung",
    "Zusammengeführt in (ID)",
    "Einschätzung veröffentlicht am",
]
BERLIN = ZoneInfo(settings.TIME_ZONE)


@pytest.fixture
def reviewed():
    """A published case with every field, a bare proposal, and a duplicate merged into it."""
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(number=4, name="Bildung und Sprache", slug="bildung-sprache")
    lead = DepartmentFactory(name="Team Bildung")
    helpers = [DepartmentFactory(name="Team Soziales"), DepartmentFactory(name="Jobcenter")]
    primary = ProposalFactory(
        consultation=consultation, handlungsfeld=field, title="Sprachkurse", support_count=12
    )
    case = ReviewCaseFactory(
        proposal=primary,
        state=ReviewState.PUBLISHED,
        lead_department=lead,
        due_on=date(2027, 3, 31),
    )
    case.contributing_departments.set(helpers)
    Assessment.objects.create(
        proposal=primary,
        department=lead,
        feasibility=Feasibility.PARTLY,
        responsibility=["region", "municipality"],
        cost_estimate="ca. 50.000 € pro Jahr",
        time_frame="ab 2028",
        public_rationale="Kurse gibt es schon, Kinderbetreuung fehlt.",
        internal_note="GEHEIM",
        revised_title="Sprachkurse mit Kinderbetreuung",
        revised_body="Sprachkurse mit Kinderbetreuung in allen Kommunen.",
        published_at=datetime(2027, 1, 5, 23, 30, tzinfo=ZoneInfo("UTC")),  # 6 Jan in Berlin
    )
    bare = ProposalFactory(consultation=consultation, handlungsfeld=field, title="Ohne Fall")
    duplicate = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Doppelt",
        merged_into=primary,
        status=ProposalStatus.MERGED,
    )
    return consultation, primary, bare, duplicate


def build(consultation, fmt, language="en"):
    staff = coordination_office_user()
    staff.language = language
    staff.save(update_fields=["language"])
    job = ExportJob.objects.create(requested_by=staff, consultation=consultation, format=fmt)
    job = export_build(job_id=job.pk)
    with job.file.open("rb") as handle:
        return handle.read()


def test_the_xlsx_has_every_review_column_with_real_types(reviewed):
    consultation, primary, bare, _duplicate = reviewed

    sheet = load_workbook(io.BytesIO(build(consultation, "xlsx"))).active

    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS_EN
    assert len(rows) == 4
    row = dict(zip(HEADERS_EN, rows[1], strict=True))
    assert row["ID"] == primary.pk and isinstance(row["ID"], int)
    assert row["Supports"] == 12 and isinstance(row["Supports"], int)
    assert row["Comments"] == 0 and row["Priority points"] == 0
    created = primary.created_at.astimezone(BERLIN).replace(tzinfo=None, microsecond=0)
    assert isinstance(row["Created"], datetime)
    assert abs((row["Created"] - created).total_seconds()) < 1
    assert row["Lead department"] == "Team Bildung"
    assert row["Contributing departments"] == "Jobcenter, Team Soziales"
    assert row["Review state"] == "Published"
    assert row["Due on"] == datetime(2027, 3, 31)
    assert row["Feasibility (Umsetzbarkeit)"] == "Partly feasible"
    assert row["Responsibility (Zuständigkeit)"] == "Region, Municipality (Kommune)"
    assert row["Cost estimate"] == "ca. 50.000 € pro Jahr"
    assert row["Time frame"] == "ab 2028"
    assert row["Public rationale"] == "Kurse gibt es schon, Kinderbetreuung fehlt."
    assert row["Revised title"] == "Sprachkurse mit Kinderbetreuung"
    assert row["Revised wording"] == "Sprachkurse mit Kinderbetreuung in allen Kommunen."
    assert row["Merged into (ID)"] is None
    assert row["Assessment published on"] == datetime(2027, 1, 6)
    assert "GEHEIM" not in [str(value) for value in rows[1]]

    empty = dict(zip(HEADERS_EN, rows[2], strict=True))
    assert empty["ID"] == bare.pk
    assert all(empty[header] is None for header in HEADERS_EN[15:])
    merged = dict(zip(HEADERS_EN, rows[3], strict=True))
    assert merged["Merged into (ID)"] == primary.pk and isinstance(merged["ID"], int)

    assert sheet["L2"].number_format == "DD.MM.YYYY HH:MM"  # Created
    assert sheet["S2"].number_format == "DD.MM.YYYY"  # Due on
    assert sheet["AB2"].number_format == "DD.MM.YYYY"  # published
    assert sheet["A2"].number_format == "0" and sheet["AA4"].number_format == "0"
    assert sheet["B2"].number_format == "General"
    assert sheet["S3"].value is None and sheet["S3"].number_format == "General"


def test_the_xlsx_has_a_filter_a_frozen_header_links_and_widths(reviewed):
    consultation, primary, bare, _duplicate = reviewed

    sheet = load_workbook(io.BytesIO(build(consultation, "xlsx"))).active

    assert sheet.auto_filter.ref == "A1:AB4"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["A1"].alignment.wrap_text
    assert sheet["A2"].font.bold is False
    primary.consultation = consultation
    with translation.override("en"):
        url = f"{settings.SITE_URL}{proposal_url(primary)}"
    link = sheet["O2"]
    assert link.value == url and link.hyperlink.target == url and link.style == "Hyperlink"
    bare.consultation = consultation
    with translation.override("en"):
        assert sheet["O3"].hyperlink.target == f"{settings.SITE_URL}{proposal_url(bare)}"
    assert sheet["N2"].hyperlink is None and sheet["P2"].hyperlink is None
    widths = {letter: sheet.column_dimensions[letter].width for letter in ("A", "B", "O", "X")}
    assert widths == {"A": 8, "B": 50, "O": 45, "X": 50}
    assert sheet.title == "Proposals"


def test_an_empty_consultation_gives_a_header_with_its_filter():
    sheet = load_workbook(io.BytesIO(build(ConsultationFactory(), "xlsx"))).active

    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:AB1"


def test_the_csv_keeps_bom_and_semicolons_and_writes_dates_in_iso_form(reviewed):
    consultation, primary, _bare, duplicate = reviewed

    content = build(consultation, "csv", language="de")

    assert content.startswith(b"\xef\xbb\xbf")
    header, first, second, third = list(
        csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    )
    assert header[15:] == HEADERS_DE_REVIEW and header[0] == "ID"
    assert len(first) == len(second) == 28
    assert first[18] == "2027-03-31" and first[27] == "2027-01-06"
    assert first[19] == "Teilweise umsetzbar" and first[20] == "Region, Kommune"
    assert first[17] == "Veröffentlicht" and first[26] == ""
    assert len(first[11]) == 16 and first[11][4] == "-" and first[11][13] == ":"
    assert second[15:] == [""] * 13
    assert third[26] == str(primary.pk) and third[0] == str(duplicate.pk)


def test_csv_values():
    assert csv_value(None) == ""
    assert csv_value(datetime(2027, 1, 2, 3, 4, 5)) == "2027-01-02 03:04"
    assert csv_value(date(2027, 1, 2)) == "2027-01-02"
    assert csv_value("=1+1") == "'=1+1"
    assert csv_value("Text") == "Text"
    assert csv_value(7) == 7
    assert csv_value(0) == 0


def test_the_review_columns_take_a_fixed_number_of_queries(reviewed):
    consultation, *_ = reviewed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(export_rows(consultation=consultation))
        return len(captured)

    few = queries()
    for _number in range(8):
        proposal = ProposalFactory(consultation=consultation)
        case = ReviewCaseFactory(proposal=proposal, lead_department=DepartmentFactory())
        case.contributing_departments.add(DepartmentFactory())
        Assessment.objects.create(proposal=proposal, department=case.lead_department)

    assert queries() == few
    assert few <= 7  # proposals, municipalities; cases, contributing departments, assessments


def test_rows_come_in_batches_and_every_row_gets_its_own_columns(reviewed, monkeypatch):
    consultation, primary, bare, duplicate = reviewed
    more = [ProposalFactory(consultation=consultation, title=f"Mehr {n}") for n in range(2)]
    calls = []

    def rows(batch):
        calls.append([proposal.pk for proposal in batch])
        return {proposal.pk: [f"x{proposal.pk}"] for proposal in batch if proposal.pk != bare.pk}

    group = ColumnGroup(columns=[Column("Extra")], rows=rows)
    monkeypatch.setattr(export_services, "EXPORT_BATCH_SIZE", 2)

    result = list(export_rows(consultation=consultation, groups=[group]))

    expected = [primary.pk, bare.pk, duplicate.pk, *[proposal.pk for proposal in more]]
    assert calls == [expected[0:2], expected[2:4], expected[4:5]]
    assert [row[0] for row in result] == expected
    assert [row[-1] for row in result] == [
        f"x{primary.pk}",
        "",
        f"x{duplicate.pk}",
        *[f"x{proposal.pk}" for proposal in more],
    ]
    assert all(len(row) == 16 for row in result)


def test_a_batch_of_exactly_the_batch_size_is_not_followed_by_an_empty_one(reviewed, monkeypatch):
    consultation, *_ = reviewed
    calls = []
    group = ColumnGroup(columns=[], rows=lambda batch: calls.append(len(batch)) or {})
    monkeypatch.setattr(export_services, "EXPORT_BATCH_SIZE", 3)

    assert len(list(export_rows(consultation=consultation, groups=[group]))) == 3
    assert calls == [3]


def test_the_columns_are_the_proposal_s_then_each_registered_group_s():
    group = ColumnGroup(columns=[Column("A", Kind.DATE), Column("B")], rows=lambda batch: {})

    with translation.override("en"):
        columns = export_columns([group])
        registered = export_columns()

    assert [column.header for column in columns][15:] == ["A", "B"]
    assert [column.header for column in registered] == HEADERS_EN
    kinds = {column.header: column.kind for column in registered}
    assert kinds["ID"] == kinds["Supports"] == kinds["Merged into (ID)"] == Kind.NUMBER
    assert kinds["Created"] == Kind.DATETIME and kinds["Due on"] == Kind.DATE
    assert kinds["Link"] == Kind.LINK and kinds["Title"] == Kind.TEXT
    assert len(extra_column_groups()) == 1
    assert EXPORT_COLUMNS_HOOK == "proposal_export_columns"


def test_every_column_has_its_width_and_the_flags_read_yes_or_no(reviewed):
    consultation, primary, bare, _duplicate = reviewed
    type(primary).objects.filter(pk=bare.pk).update(is_hidden=True, is_locked=True)

    sheet = load_workbook(io.BytesIO(build(consultation, "xlsx"))).active

    from openpyxl.utils import get_column_letter

    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, 29)]
    proposal_widths = [8, 50, 12, 40, 30, 20, 24, 12, 12, 12, 20, 17, 12, 12, 45]
    review_widths = [28, 30, 16, 12, 20, 22, 24, 20, 50, 40, 50, 12, 14]
    assert widths == proposal_widths + review_widths
    assert (sheet["M2"].value, sheet["N2"].value) == ("no", "no")
    assert (sheet["M3"].value, sheet["N3"].value) == ("yes", "yes")
    assert sheet["G2"].value == "Whole region" and sheet["C2"].value == "Measure"
    assert sheet["E2"].value == "4. Bildung und Sprache" and sheet["F2"].value
