"""Permission matrix: every role × every review page and action, own vs other department.

Anonymous visitors are sent to sign in; signed-in users without a staff role get 403;
a reviewer of another department gets 404 for every case and action (no guessing ids).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.review import services
from consultations.review.models import ReviewCase, ReviewState

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    coordination_office_user,
    reviewer_of,
)
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "resident", "reviewer_own", "reviewer_other", "contributor", "office"]


@pytest.fixture
def world():
    own, other, helper = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    office = coordination_office_user()
    people = {
        "visitor": None,
        "resident": UserFactory(),
        "reviewer_own": reviewer_of(own),
        "reviewer_other": reviewer_of(other),
        "contributor": reviewer_of(helper),
        "office": office,
    }

    def case_in(state: str) -> ReviewCase:
        proposal = ProposalFactory()
        (case,) = services.cases_assign(
            proposals=[proposal],
            lead_department=own,
            contributing_departments=[helper],
            due_on=None,
            actor=office,
        )
        lead = people["reviewer_own"]
        if state in (ReviewState.IN_REVIEW, ReviewState.ASSESSED, ReviewState.APPROVED):
            services.review_start(case=case, actor=lead)
        if state in (ReviewState.ASSESSED, ReviewState.APPROVED):
            services.assessment_save(case=case, actor=lead, data=COMPLETE, submit=True)
        if state == ReviewState.APPROVED:
            services.case_approve(case=case, actor=office)
        case.refresh_from_db()
        return case

    return {"people": people, "case_in": case_in, "own": own, "other": other, "helper": helper}


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


LIST_PAGES = {
    # page: expected status per role
    "review:triage": {
        "visitor": 302,
        "resident": 403,
        "reviewer_own": 403,
        "reviewer_other": 403,
        "contributor": 403,
        "office": 200,
    },
    "review:dashboard": {
        "visitor": 302,
        "resident": 403,
        "reviewer_own": 403,
        "reviewer_other": 403,
        "contributor": 403,
        "office": 200,
    },
    # Reviewers see the list (with the meetings of their departments only, see
    # test_meeting_visibility.py); recording stays with the coordination office.
    "review:meetings": {
        "visitor": 302,
        "resident": 403,
        "reviewer_own": 200,
        "reviewer_other": 200,
        "contributor": 200,
        "office": 200,
    },
    "review:meeting_create": {
        "visitor": 302,
        "resident": 403,
        "reviewer_own": 403,
        "reviewer_other": 403,
        "contributor": 403,
        "office": 200,
    },
    "review:queue": {
        "visitor": 302,
        "resident": 403,
        "reviewer_own": 200,
        "reviewer_other": 200,
        "contributor": 200,
        "office": 403,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_pages(client, world, role, page):
    response = client_for(client, world["people"][role]).get(reverse(page))
    assert response.status_code == LIST_PAGES[page][role]
    if response.status_code == 302:
        assert "/konto/login/" in response["Location"]


# action: (state the case is in, method, url name, POST data, expected per role)
ACTIONS = {
    "view": (
        ReviewState.ASSIGNED,
        "get",
        "review:case",
        {},
        {"reviewer_own": 200, "contributor": 200, "office": 200},
    ),
    "start": (
        ReviewState.ASSIGNED,
        "post",
        "review:start",
        {},
        {"reviewer_own": 302, "contributor": 403, "office": 403},
    ),
    "edit_assessment": (
        ReviewState.IN_REVIEW,
        "get",
        "review:assessment",
        {},
        {"reviewer_own": 200, "contributor": 403, "office": 403},
    ),
    "submit_assessment": (
        ReviewState.IN_REVIEW,
        "post",
        "review:assessment",
        {
            "feasibility": "feasible",
            "responsibility": ["region"],
            "public_rationale": "Gut begründet.",
            "submit": "1",
        },
        {"reviewer_own": 302, "contributor": 403, "office": 403},
    ),
    "contribute": (
        ReviewState.IN_REVIEW,
        "post",
        "review:contribute",
        {"department": "HELPER", "statement": "Stellungnahme"},
        {"reviewer_own": 403, "contributor": 302, "office": 403},
    ),
    "assign": (
        ReviewState.ASSIGNED,
        "post",
        "review:assign",
        {"assign-lead_department": "OTHER"},
        {"reviewer_own": 403, "contributor": 403, "office": 302},
    ),
    "approve": (
        ReviewState.ASSESSED,
        "post",
        "review:approve",
        {},
        {"reviewer_own": 403, "contributor": 403, "office": 302},
    ),
    "return": (
        ReviewState.ASSESSED,
        "post",
        "review:return",
        {"return-comment": "Bitte ergänzen."},
        {"reviewer_own": 403, "contributor": 403, "office": 302},
    ),
    "publish": (
        ReviewState.APPROVED,
        "post",
        "review:publish",
        {},
        {"reviewer_own": 403, "contributor": 403, "office": 302},
    ),
    "merge": (
        ReviewState.ASSIGNED,
        "post",
        "review:merge",
        {"duplicates": "DUP"},
        {"reviewer_own": 403, "contributor": 403, "office": 302},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_case_actions(client, world, role, action):
    state, method, url_name, data, allowed = ACTIONS[action]
    case = world["case_in"](state)
    data = dict(data)
    for key, value in list(data.items()):
        if value == "HELPER":
            data[key] = str(world["helper"].pk)
        if value == "OTHER":
            data[key] = str(world["other"].pk)
        if value == "DUP":
            twin = ProposalFactory(
                consultation=case.proposal.consultation,
                handlungsfeld=case.proposal.handlungsfeld,
                title=case.proposal.title + "!",
            )
            data[key] = str(twin.pk)
    state_before = case.state
    response = getattr(client_for(client, world["people"][role]), method)(
        reverse(url_name, kwargs={"proposal_id": case.proposal_id}), data
    )
    expected = {"visitor": 302, "resident": 403, "reviewer_other": 404, **allowed}[role]
    assert response.status_code == expected, response.content[:500]
    if role == "visitor":
        assert "/konto/login/" in response["Location"]
    if expected in (403, 404):
        case.refresh_from_db()
        assert case.state == state_before


def test_reviewer_cannot_reach_a_case_of_another_department_by_guessing_ids(client, world):
    case = world["case_in"](ReviewState.IN_REVIEW)
    untriaged = ProposalFactory()
    client.force_login(world["people"]["reviewer_other"])
    for proposal_id in (case.proposal_id, untriaged.pk, 999999):
        assert (
            client.get(reverse("review:case", kwargs={"proposal_id": proposal_id})).status_code
            == 404
        )
        assert (
            client.get(
                reverse("review:assessment", kwargs={"proposal_id": proposal_id})
            ).status_code
            == 404
        )


def test_queue_lists_only_own_departments_cases(client, world):
    mine = world["case_in"](ReviewState.ASSIGNED)
    theirs = ProposalFactory(title="Fremder Vorschlag")
    services.cases_assign(
        proposals=[theirs],
        lead_department=world["other"],
        due_on=None,
        actor=world["people"]["office"],
    )
    client.force_login(world["people"]["reviewer_own"])
    content = client.get(reverse("review:queue")).content.decode()
    assert mine.proposal.title in content
    assert "Fremder Vorschlag" not in content
    client.force_login(world["people"]["contributor"])
    assert mine.proposal.title in client.get(reverse("review:queue")).content.decode()
