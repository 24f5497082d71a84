"""The review dashboard: one definition per number, the same figures in summary and tables."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from consultations.models import ProposalStatus
from consultations.review import selectors, services
from consultations.review.models import ReviewCase, ReviewState

from .factories import (
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    coordination_office_user,
    reviewer_of,
)
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db

STATES = [state.value for state in ReviewState]


@pytest.fixture
def mix():
    """Proposals in every state, over two departments and two Handlungsfelder, one overdue,
    one merged (it leaves every figure) and one hidden."""
    office = coordination_office_user()
    schools, health = (
        DepartmentFactory(name="Fachbereich Schulen"),
        DepartmentFactory(name="Team Gesundheit"),
    )
    education, welcome = (
        HandlungsfeldFactory(name="Bildung"),
        HandlungsfeldFactory(name="Willkommen"),
    )
    lead = {schools.pk: reviewer_of(schools), health.pk: reviewer_of(health)}

    def case(state: str, department, field, due_on=None):
        proposal = ProposalFactory(handlungsfeld=field)
        if state == ReviewState.NEW:
            return proposal
        (case,) = services.cases_assign(
            proposals=[proposal], lead_department=department, due_on=due_on, actor=office
        )
        reviewer = lead[department.pk]
        if state == ReviewState.ASSIGNED:
            return proposal
        services.review_start(case=case, actor=reviewer)
        if state == ReviewState.IN_REVIEW:
            return proposal
        services.assessment_save(case=case, actor=reviewer, data=COMPLETE, submit=True)
        if state == ReviewState.ASSESSED:
            return proposal
        if state == ReviewState.RETURNED:
            services.case_return(case=case, actor=office, comment="Bitte Kosten ergänzen.")
            return proposal
        services.case_approve(case=case, actor=office)
        if state == ReviewState.PUBLISHED:
            services.cases_publish(cases=[case], actor=office)
        return proposal

    for _ in range(3):
        case(ReviewState.NEW, None, education)
    case(ReviewState.NEW, None, welcome)
    case(ReviewState.ASSIGNED, schools, education)
    case(ReviewState.ASSIGNED, health, welcome, due_on=date.today())
    overdue = case(ReviewState.IN_REVIEW, schools, welcome, due_on=date.today())
    ReviewCase.objects.filter(proposal=overdue).update(due_on=date.today() - timedelta(days=3))
    case(ReviewState.ASSESSED, health, education)
    case(ReviewState.RETURNED, schools, education)
    case(ReviewState.APPROVED, health, welcome)
    case(ReviewState.PUBLISHED, schools, welcome)
    primary = ProposalFactory(handlungsfeld=education)
    duplicate = case(ReviewState.ASSIGNED, health, education)
    duplicate.consultation = primary.consultation
    duplicate.save(update_fields=["consultation"])
    services.proposals_merge(primary=primary, duplicates=[duplicate], actor=office)
    hidden = ProposalFactory(handlungsfeld=education, is_hidden=True)
    assert hidden.review_refusal() is not None
    return {"office": office, "schools": schools, "health": health}


EXPECTED = {
    "new": 5,  # four without a case and the primary of the merge
    "assigned": 2,
    "in_review": 1,
    "assessed": 1,
    "returned": 1,
    "approved": 1,
    "published": 1,
}


def test_each_figure_has_one_definition_and_the_tables_add_up_to_it(mix):
    data = selectors.dashboard()
    assert data.by_state == EXPECTED
    assert data.total == sum(EXPECTED.values()) == 12
    assert data.overdue == 1
    for rows in (data.by_department, data.by_handlungsfeld):
        for state in STATES:
            assert sum(row.counts[state] for row in rows) == data.by_state[state], state
        assert sum(row.overdue for row in rows) == data.overdue
        assert sum(row.total for row in rows) == data.total
    departments = {row.label: row for row in data.by_department}
    assert set(departments) == {"", "Fachbereich Schulen", "Team Gesundheit"}
    assert departments[""].counts["new"] == 5 and departments[""].total == 5
    assert departments["Fachbereich Schulen"].counts == {
        **dict.fromkeys(STATES, 0),
        "assigned": 1,
        "in_review": 1,
        "returned": 1,
        "published": 1,
    }
    assert departments["Fachbereich Schulen"].overdue == 1
    assert departments["Team Gesundheit"].overdue == 0
    fields = {row.label: row for row in data.by_handlungsfeld}
    assert fields["Bildung"].counts["new"] == 4 and fields["Willkommen"].counts["new"] == 1
    # The last rows of both tables: "not assigned" after the departments.
    assert data.by_department[-1].label == ""


def test_each_summary_figure_opens_a_triage_list_with_as_many_proposals(client, mix):
    client.force_login(mix["office"])
    page = client.get(reverse("review:dashboard")).content.decode()
    for state, count in EXPECTED.items():
        listed = client.get(reverse("review:triage"), {"state": state})
        assert listed.context["result_count"] == count, state
        assert re.search(
            rf'<li data-state="{state}"><a href="{reverse("review:triage")}\?state={state}">'
            rf"<strong>{count}</strong>",
            page,
        ), state
    assert client.get(reverse("review:triage"), {"overdue": "on"}).context["result_count"] == 1
    assert client.get(reverse("review:triage")).context["result_count"] == 12


def test_the_page_shows_no_contradicting_new_count(client, mix):
    client.force_login(mix["office"])
    page = client.get(reverse("review:dashboard")).content.decode()
    assert "noch nicht zugewiesen" in page
    assert "not yet triaged" not in page and "noch nicht triagiert" not in page
    # The summary's "new" is the tables' totals row for "new", in both tables.
    totals = re.findall(r"<tfoot><tr>.*?</tr></tfoot>", page, flags=re.S)
    assert len(totals) == 2
    for row in totals:
        cells = dict(re.findall(r'<td class="num" data-state="(\w+)">(\d+)</td>', row))
        assert cells == {
            **{state: str(count) for state, count in EXPECTED.items()},
            "overdue": "1",
            "total": "12",
        }
    body_new = re.findall(r"<tbody>.*?</tbody>", page, flags=re.S)
    for body in body_new:
        assert sum(map(int, re.findall(r'data-state="new">(\d+)<', body))) == 5


def test_the_count_tables_scroll_in_a_labelled_focusable_region(client, mix):
    client.force_login(mix["office"])
    page = client.get(reverse("review:dashboard")).content.decode()
    for table in ("department-table", "field-table"):
        assert (
            f'<div class="table-wrap review-count-table" role="region" tabindex="0" '
            f'aria-labelledby="{table}-caption">' in page
        )
        assert f'<p class="review-count-caption" id="{table}-caption">' in page


def test_an_empty_dashboard_says_so(client):
    client.force_login(coordination_office_user())
    page = client.get(reverse("review:dashboard")).content.decode()
    assert page.count("Noch keine Vorschläge in der Prüfung.") == 2
    assert "<tfoot>" not in page
    assert selectors.dashboard().by_state == dict.fromkeys(STATES, 0)


def test_a_published_proposal_still_counts_once(mix):
    assert (
        ReviewCase.objects.filter(
            state=ReviewState.PUBLISHED, proposal__status=ProposalStatus.ACCEPTED
        ).count()
        == 1
    )
