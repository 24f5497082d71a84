"""The review workflow checked against its rules as the concept states them, written out here.

The table below is the specification: for every state a case can be in and every button a
person can press, the state the case ends up in, or REFUSED. It is deliberately not derived
from `consultations.review.workflow.TRANSITIONS`: a change to that table must fail here.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultations.models import Proposal
from consultations.results.models import ConceptMeasure
from consultations.review import services
from consultations.review.models import Assessment, Feasibility, ReviewCase, ReviewEvent
from foundation.models import OutboxMessage

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

REFUSED = None
BUTTONS = ("assign", "start", "submit", "approve", "return", "publish")

# state -> what each button does: the resulting state, or REFUSED.
# "start" is the lead department's one button for starting and for resuming after a return.
EXPECTED = {
    "new": {
        "assign": "assigned",
        "start": REFUSED,
        "submit": REFUSED,
        "approve": REFUSED,
        "return": REFUSED,
        "publish": REFUSED,
    },
    "assigned": {
        "assign": "assigned",
        "start": "in_review",
        "submit": REFUSED,
        "approve": REFUSED,
        "return": REFUSED,
        "publish": REFUSED,
    },
    "in_review": {
        "assign": REFUSED,
        "start": REFUSED,
        "submit": "assessed",
        "approve": REFUSED,
        "return": REFUSED,
        "publish": REFUSED,
    },
    "assessed": {
        "assign": REFUSED,
        "start": REFUSED,
        "submit": REFUSED,
        "approve": "approved",
        "return": "returned",
        "publish": REFUSED,
    },
    "returned": {
        "assign": "returned",
        "start": "in_review",
        "submit": REFUSED,
        "approve": REFUSED,
        "return": REFUSED,
        "publish": REFUSED,
    },
    "approved": {
        "assign": REFUSED,
        "start": REFUSED,
        "submit": REFUSED,
        "approve": REFUSED,
        "return": REFUSED,
        "publish": "published",
    },
    "published": {
        "assign": REFUSED,
        "start": REFUSED,
        "submit": REFUSED,
        "approve": REFUSED,
        "return": REFUSED,
        "publish": REFUSED,
    },
}

COMPLETE = {
    "feasibility": Feasibility.FEASIBLE,
    "responsibility": ["region"],
    "public_rationale": "Die Region baut die Elternkurse mit Kinderbetreuung aus.",
}


class People:
    def __init__(self):
        self.department = DepartmentFactory()
        self.office = coordination_office_user()
        self.reviewer = reviewer_of(self.department)


@pytest.fixture
def people():
    return People()


def bring_to(state: str, people: People) -> ReviewCase:
    """A case in `state`, reached through the services the way the people get there."""
    if state == "new":
        return ReviewCaseFactory(state="new", lead_department=None)
    (case,) = services.cases_assign(
        proposals=[ProposalFactory()],
        lead_department=people.department,
        due_on=None,
        actor=people.office,
    )
    path = {
        "assigned": [],
        "in_review": ["start"],
        "assessed": ["start", "submit"],
        "returned": ["start", "submit", "return"],
        "approved": ["start", "submit", "approve"],
        "published": ["start", "submit", "approve", "publish"],
    }[state]
    for button in path:
        press(button, case, people)
    case.refresh_from_db()
    assert case.state == state
    return case


def press(button: str, case: ReviewCase, people: People) -> None:
    if button == "assign":
        services.cases_assign(
            proposals=[case.proposal],
            lead_department=people.department,
            due_on=None,
            actor=people.office,
        )
    elif button == "start":
        services.review_start(case=case, actor=people.reviewer)
    elif button == "submit":
        services.assessment_save(case=case, actor=people.reviewer, data=COMPLETE, submit=True)
    elif button == "approve":
        services.case_approve(case=case, actor=people.office)
    elif button == "return":
        services.case_return(case=case, actor=people.office, comment="Bitte Kosten ergänzen.")
    elif button == "publish":
        services.cases_publish(cases=[case], actor=people.office)
    else:
        raise AssertionError(button)


def snapshot(case: ReviewCase) -> dict:
    proposal = Proposal.objects.get(pk=case.proposal_id)
    assessment = Assessment.objects.filter(proposal_id=case.proposal_id).first()
    return {
        "state": ReviewCase.objects.get(pk=case.pk).state,
        "events": ReviewEvent.objects.filter(case=case).count(),
        "proposal_status": proposal.status,
        "assessment": None
        if assessment is None
        else (
            assessment.feasibility,
            assessment.assessed_at,
            assessment.approved_at,
            assessment.published_at,
        ),
        "measures": ConceptMeasure.objects.filter(source_proposal_id=case.proposal_id).count(),
        "outbox": OutboxMessage.objects.count(),
    }


@pytest.mark.parametrize("state", list(EXPECTED))
def test_each_button_in_each_state_does_what_the_table_says(state, people):
    case = bring_to(state, people)
    before = snapshot(case)
    refused_buttons = [button for button in BUTTONS if EXPECTED[state][button] is REFUSED]
    for button in refused_buttons:  # a refusal changes nothing, so one case serves them all
        with pytest.raises((ValidationError, PermissionDenied)) as refused:
            press(button, case, people)
        assert str(refused.value).strip(), button  # the person is told why
        assert snapshot(case) == before, button  # and nothing changed

    for button in BUTTONS:
        expected = EXPECTED[state][button]
        if expected is REFUSED:
            continue
        fresh = bring_to(state, people)
        events = snapshot(fresh)["events"]
        press(button, fresh, people)
        after = snapshot(fresh)
        assert (button, after["state"]) == (button, expected)
        assert after["events"] == events + 1, button


def test_publishing_a_published_case_again_is_refused_and_changes_nothing(people):
    case = bring_to("published", people)
    before = snapshot(case)
    assert before["measures"] == 1  # adopted into the concept once

    with pytest.raises(ValidationError) as refused:
        services.cases_publish(cases=[case], actor=people.office)

    assert refused.value.code == "illegal_transition"
    assert snapshot(case) == before


def test_a_bulk_publication_with_one_published_case_publishes_none(people):
    approved = bring_to("approved", people)
    published = bring_to("published", people)
    before = snapshot(approved)

    with pytest.raises(ValidationError):
        services.cases_publish(cases=[approved, published], actor=people.office)

    assert snapshot(approved) == before


# Who presses which button, written out: the coordination office triages, approves, returns
# and publishes; the lead department starts and submits; nobody else does anything.
PERFORMERS = {
    "assign": "office",
    "start": "lead",
    "submit": "lead",
    "approve": "office",
    "return": "office",
    "publish": "office",
}
STATE_FOR = {
    "assign": "assigned",
    "start": "assigned",
    "submit": "in_review",
    "approve": "assessed",
    "return": "assessed",
    "publish": "approved",
}
WHO = ("office", "lead", "contributor", "other department", "resident")


def person(who: str, people: People, case: ReviewCase):
    if who == "office":
        return people.office
    if who == "lead":
        return people.reviewer
    if who == "contributor":
        helper_department = DepartmentFactory()
        case.contributing_departments.add(helper_department)
        return reviewer_of(helper_department)
    if who == "other department":
        return reviewer_of(DepartmentFactory())
    return ProposalFactory().author


@pytest.mark.parametrize("button", BUTTONS)
def test_only_the_performer_of_a_button_may_press_it(button, people):
    case = bring_to(STATE_FOR[button], people)
    before = snapshot(case)
    for who in WHO:
        if who == PERFORMERS[button]:
            continue
        with pytest.raises(PermissionDenied):
            press(button, case, acting_as(person(who, people, case), people))
        assert snapshot(case) == before, who

    press(button, case, acting_as(person(PERFORMERS[button], people, case), people))
    assert snapshot(case)["events"] == before["events"] + 1


def acting_as(actor, people: People) -> People:
    """The same department, with `actor` pressing every button."""
    acting = People.__new__(People)
    acting.department = people.department
    acting.office = actor
    acting.reviewer = actor
    return acting


def test_a_refused_step_says_in_german_which_step_and_which_state(people):
    """What the coordination office reads when it approves a case still in review."""
    from django.utils import translation

    case = bring_to("in_review", people)

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.case_approve(case=case, actor=people.office)

    assert refused.value.messages == [
        "„Freigegeben“ ist nicht möglich, solange der Vorgang den Stand „In Prüfung“ hat."
    ]
    assert refused.value.code == "illegal_transition"


@pytest.mark.parametrize("state", list(EXPECTED))
def test_the_case_page_offers_the_buttons_the_table_allows_and_no_others(state, people, client):
    """The coordination office sees the assignment, the decision and the publication only
    where the table allows them; the lead department sees its start button only where the
    table allows it."""
    from django.urls import reverse

    case = bring_to(state, people)
    pk = case.proposal_id
    page = reverse("review:case", kwargs={"proposal_id": pk})

    client.force_login(people.office)
    office_sees = client.get(page).content.decode()
    client.force_login(people.reviewer)
    reviewer_sees = client.get(page).content.decode()

    offered = {
        "assign": reverse("review:assign", args=[pk]) in office_sees,
        "approve": reverse("review:approve", args=[pk]) in office_sees,
        "publish": reverse("review:publish", args=[pk]) in office_sees,
        "start": reverse("review:start", args=[pk]) in reviewer_sees,
    }
    allowed = {button: EXPECTED[state][button] is not REFUSED for button in offered}
    assert offered == allowed
