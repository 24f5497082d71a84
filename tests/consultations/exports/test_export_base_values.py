"""What each base column of the proposal export says, in CSV and XLSX: scope, goal, author,
status, the local creation time, the order of the rows, number formats and the review columns
in both files."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from openpyxl import load_workbook

from consultations.exports.services import export_build
from consultations.models import ExportJob, Proposal, ProposalKind, ProposalStatus
from tests.foundation.factories import MunicipalityFactory
from tests.review.factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture
def rows():
    """Three proposals whose ids run against their creation times."""
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(number=3, name="Wohnen", slug="wohnen")
    goal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, title="Ziel Wohnen", kind=ProposalKind.GOAL
    )
    local = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Zwei Orte",
        goal=goal,
        kind=ProposalKind.MEASURE,
        is_region_wide=False,
        status=ProposalStatus.PUBLISHED,
    )
    local.municipalities.set(
        [MunicipalityFactory(name="Wunstorf"), MunicipalityFactory(name="Barsinghausen")]
    )
    nowhere = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Ohne Ort",
        is_region_wide=False,
        author=None,
    )
    lead = DepartmentFactory(name="Team Wohnen")
    ReviewCaseFactory(proposal=local, lead_department=lead, state="assigned")
    Proposal.objects.filter(pk=goal.pk).update(created_at=datetime(2027, 5, 2, 10, 0, tzinfo=UTC))
    Proposal.objects.filter(pk=local.pk).update(
        created_at=datetime(2027, 1, 31, 23, 15, tzinfo=UTC), comment_count=3, points_total=7
    )
    Proposal.objects.filter(pk=nowhere.pk).update(created_at=datetime(2027, 3, 1, 8, 0, tzinfo=UTC))
    return consultation, goal, local, nowhere


def build(consultation, fmt):
    staff = coordination_office_user()
    staff.language = "en"
    staff.save(update_fields=["language"])
    job = ExportJob.objects.create(requested_by=staff, consultation=consultation, format=fmt)
    with export_build(job_id=job.pk).file.open("rb") as handle:
        return handle.read()


def csv_rows(consultation):
    text = build(consultation, "csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_csv_rows_say_scope_goal_author_status_and_local_time_oldest_first(rows):
    consultation, goal, local, nowhere = rows
    header, *body = csv_rows(consultation)
    column = {name: index for index, name in enumerate(header)}

    # oldest first, whatever the ids: local (31 Jan), nowhere (1 Mar), goal (2 May)
    assert [row[column["ID"]] for row in body] == [str(local.pk), str(nowhere.pk), str(goal.pk)]
    first, second, third = body
    # municipalities by name; no municipality and not region-wide still means the whole region
    assert first[column["Scope"]] == "Barsinghausen, Wunstorf"
    assert second[column["Scope"]] == "Whole region"
    assert (
        first[column["Belongs to goal"]] == "Ziel Wohnen" and third[column["Belongs to goal"]] == ""
    )
    assert first[column["Author"]] == local.author.public_name
    assert second[column["Author"]] == ""
    with translation.override("en"):
        assert first[column["Status"]] == str(local.get_status_display()) != ""
    assert first[column["Created"]] == "2027-02-01 00:15"  # Berlin wall-clock time
    assert (first[column["Comments"]], first[column["Priority points"]]) == ("3", "7")
    # the review's columns are in the CSV too, blank for a proposal without a case
    assert first[column["Lead department"]] == "Team Wohnen"
    assert first[column["Review state"]] == "Assigned"
    assert second[column["Lead department"]] == "" and second[column["Review state"]] == ""


def test_the_xlsx_gives_numbers_their_format_and_leaves_empty_cells_empty(rows):
    consultation, _goal, local, _nowhere = rows
    sheet = load_workbook(io.BytesIO(build(consultation, "xlsx"))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = {name: index for index, name in enumerate(header)}
    first, second = list(sheet.iter_rows(min_row=2, max_row=3))

    assert first[column["ID"]].value == local.pk
    for name in ("ID", "Supports", "Comments", "Priority points"):
        assert first[column[name]].number_format == "0", name
    assert first[column["Comments"]].value == 3 and first[column["Priority points"]].value == 7
    assert first[column["Created"]].value == datetime(2027, 2, 1, 0, 15)
    assert first[column["Scope"]].value == "Barsinghausen, Wunstorf"
    assert first[column["Lead department"]].value == "Team Wohnen"
    # an empty value is an empty cell, not an empty string
    assert second[column["Author"]].value is None
    assert second[column["Lead department"]].value is None
    # the header row wraps its text at the top of the cell
    assert all(cell.alignment.wrap_text for cell in sheet[1])
    assert {cell.alignment.vertical for cell in sheet[1]} == {"top"}
