"""A department's queue: the cases it leads or was asked to contribute to, and which of them
are overdue (past the due date and still open); the case page's history in German."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from consultations.review import services
from consultations.review.models import MeetingKind, ReviewEvent, ReviewState

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


def _queue_rows(client) -> dict[str, str]:
    """{proposal title: its table row} of the signed-in reviewer's queue."""
    html = client.get(reverse("review:queue")).content.decode()
    rows = html.split("<tr")[2:]  # the header row first
    return {
        title: row
        for row in rows
        for title in ("Geleitet", "Mitwirkung", "Fremd", "Fremd mit Mitwirkung")
        if f">{title}<" in row
    }


def test_a_department_sees_the_cases_it_leads_or_contributes_to_and_no_others(client):
    helper, lead, other = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    ReviewCaseFactory(lead_department=helper, proposal=ProposalFactory(title="Geleitet"))
    asked = ReviewCaseFactory(lead_department=lead, proposal=ProposalFactory(title="Mitwirkung"))
    asked.contributing_departments.add(helper)
    ReviewCaseFactory(lead_department=lead, proposal=ProposalFactory(title="Fremd"))
    foreign = ReviewCaseFactory(
        lead_department=lead, proposal=ProposalFactory(title="Fremd mit Mitwirkung")
    )
    foreign.contributing_departments.add(other)
    client.force_login(reviewer_of(helper))

    assert set(_queue_rows(client)) == {"Geleitet", "Mitwirkung"}


def test_a_case_is_overdue_from_the_day_after_its_due_date_while_it_is_open(client):
    department = DepartmentFactory()
    today = timezone.localdate()
    for title, due_on, state in (
        ("Geleitet", today - timedelta(days=1), ReviewState.IN_REVIEW),
        ("Mitwirkung", today, ReviewState.ASSIGNED),
        ("Fremd", today - timedelta(days=1), ReviewState.ASSESSED),
    ):
        ReviewCaseFactory(
            lead_department=department,
            due_on=due_on,
            state=state,
            proposal=ProposalFactory(title=title),
        )
    client.force_login(reviewer_of(department))

    rows = _queue_rows(client)

    assert {title for title, row in rows.items() if "überfällig" in row} == {"Geleitet"}
    assert set(rows) == {"Geleitet", "Mitwirkung", "Fremd"}


def test_the_history_names_each_step_in_german_and_an_unknown_one_by_its_code(client):
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    (case,) = services.cases_assign(
        proposals=[ProposalFactory()],
        lead_department=department,
        due_on=None,
        actor=coordination_office_user(),
    )
    services.review_start(case=case, actor=reviewer)
    ReviewEvent.objects.create(case=case, action="reopened_by_import", actor=reviewer)
    client.force_login(reviewer)

    html = client.get(reverse("review:case", args=[case.proposal_id])).content.decode()

    for label in ("<strong>Zugewiesen</strong>", "<strong>Prüfung begonnen</strong>"):
        assert label in html
    assert "<strong>reopened_by_import</strong>" in html


def test_a_reviewer_is_told_in_german_why_another_departments_case_or_a_meeting_is_not_theirs():
    own, other = DepartmentFactory(), DepartmentFactory()
    reviewer = reviewer_of(own)
    (case,) = services.cases_assign(
        proposals=[ProposalFactory()],
        lead_department=other,
        due_on=None,
        actor=coordination_office_user(),
    )

    with pytest.raises(PermissionDenied) as not_theirs:
        services.review_start(case=case, actor=reviewer)
    with pytest.raises(PermissionDenied) as no_meeting:
        services.meeting_save(
            actor=reviewer,
            kind=MeetingKind.WORKSHOP,
            title="Werkstatt",
            starts_on=date(2026, 3, 1),
            ends_on=None,
            departments=[own],
            proposals=[],
            outcome="",
        )

    assert str(not_theirs.value) == "Sie sind nicht berechtigt, dies für diesen Vorschlag zu tun."
    assert str(no_meeting.value) == "Nur die Koordinierungsstelle darf dies tun."
