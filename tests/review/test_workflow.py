"""The review workflow: only the allowed transitions, each recorded, publication sets the status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations.models import Proposal, ProposalStatus
from consultations.review import services
from consultations.review.models import (
    Assessment,
    AssessmentRevision,
    Feasibility,
    ReviewCase,
    ReviewEvent,
    ReviewState,
)
from consultations.review.selectors import published_assessment
from consultations.review.workflow import TRANSITIONS, Action, target_state

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

COMPLETE = {
    "feasibility": Feasibility.FEASIBLE,
    "responsibility": ["region", "municipality"],
    "public_rationale": "Die Region fördert bereits Elternkurse; wir bauen sie aus.",
    "internal_note": "Haushaltsmittel 2016 prüfen.",
    "cost_estimate": "ca. 40.000 € pro Jahr",
    "time_frame": "ab 2016",
}


@pytest.fixture
def office():
    return coordination_office_user()


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def reviewer(department):
    return reviewer_of(department)


def assigned_case(office, department, **kwargs) -> ReviewCase:
    proposal = ProposalFactory(**kwargs)
    (case,) = services.cases_assign(
        proposals=[proposal], lead_department=department, due_on=None, actor=office
    )
    return case


def run_to(state: str, office, department, reviewer) -> ReviewCase:
    """A case brought to `state` through the services, the way users get there."""
    if state == ReviewState.NEW:
        return ReviewCaseFactory(state=ReviewState.NEW, lead_department=None)
    case = assigned_case(office, department)
    if state == ReviewState.ASSIGNED:
        return case
    case = services.review_start(case=case, actor=reviewer)
    if state == ReviewState.IN_REVIEW:
        return case
    services.assessment_save(case=case, actor=reviewer, data=COMPLETE, submit=True)
    case.refresh_from_db()
    if state == ReviewState.ASSESSED:
        return case
    if state == ReviewState.RETURNED:
        return services.case_return(case=case, actor=office, comment="Bitte Kosten konkretisieren.")
    case = services.case_approve(case=case, actor=office)
    if state == ReviewState.APPROVED:
        return case
    (case,) = services.cases_publish(cases=[case], actor=office)
    return case


def perform(action: Action, case: ReviewCase, office, department, reviewer):
    if action == Action.ASSIGN:
        return services.cases_assign(
            proposals=[case.proposal], lead_department=department, due_on=None, actor=office
        )
    if action in (Action.START, Action.RESUME):
        return services.review_start(case=case, actor=reviewer)
    if action == Action.SUBMIT:
        return services.assessment_save(case=case, actor=reviewer, data=COMPLETE, submit=True)
    if action == Action.APPROVE:
        return services.case_approve(case=case, actor=office)
    if action == Action.RETURN:
        return services.case_return(case=case, actor=office, comment="Bitte überarbeiten.")
    if action == Action.PUBLISH:
        return services.cases_publish(cases=[case], actor=office)
    raise AssertionError(action)


ILLEGAL = [
    (state, action)
    for state in ReviewState
    for action in Action
    if (state, action) not in TRANSITIONS
    # "start" and "resume" are one button: the service picks the action from the state.
    and not (action == Action.START and state == ReviewState.RETURNED)
    and not (action == Action.RESUME and state == ReviewState.ASSIGNED)
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_every_illegal_transition_is_refused_and_changes_nothing(
    state, action, office, department, reviewer
):
    case = run_to(state, office, department, reviewer)
    events_before = ReviewEvent.objects.filter(case=case).count()
    # A new case has no lead department yet, so its reviewer actions are refused as not permitted.
    expected = (
        PermissionDenied
        if state == ReviewState.NEW
        and action != Action.ASSIGN
        and action not in (Action.APPROVE, Action.RETURN, Action.PUBLISH)
        else ValidationError
    )
    with pytest.raises(expected) as refused:
        perform(action, case, office, department, reviewer)
    assert str(refused.value)  # a user-facing message
    case.refresh_from_db()
    assert case.state == state
    assert ReviewEvent.objects.filter(case=case).count() == events_before


def test_the_transition_table_names_every_state():
    reachable = {state for (_from, _action), state in TRANSITIONS.items()} | {ReviewState.NEW}
    assert reachable == set(ReviewState)
    with pytest.raises(ValidationError):
        target_state(ReviewState.PUBLISHED, Action.RETURN)


def test_full_journey_records_every_change_and_publishes_the_status(office, department, reviewer):
    published = []

    def record(case, *, actor):
        published.append((case, actor))

    from wagtail import hooks

    with hooks.register_temporarily(services.CASE_PUBLISHED_HOOK, record):
        case = run_to(ReviewState.PUBLISHED, office, department, reviewer)

    assert case.state == ReviewState.PUBLISHED
    assert published == [(case, office)]
    events = list(
        ReviewEvent.objects.filter(case=case).values_list(
            "action", "from_state", "to_state", "actor"
        )
    )
    assert events == [
        ("created", "", "new", office.pk),
        ("assign", "new", "assigned", office.pk),
        ("start", "assigned", "in_review", reviewer.pk),
        ("submit", "in_review", "assessed", reviewer.pk),
        ("approve", "assessed", "approved", office.pk),
        ("publish", "approved", "published", office.pk),
    ]
    proposal = Proposal.objects.get(pk=case.proposal_id)
    assert proposal.status == ProposalStatus.ACCEPTED
    assessment = published_assessment(proposal)
    assert assessment is not None and assessment.published_at and assessment.approved_by == office
    assert assessment.assessed_by == reviewer and assessment.department == department


@pytest.mark.parametrize(
    ("feasibility", "status"),
    [
        (Feasibility.FEASIBLE, ProposalStatus.ACCEPTED),
        (Feasibility.PARTLY, ProposalStatus.PARTLY_ACCEPTED),
        (Feasibility.NOT_FEASIBLE, ProposalStatus.NOT_ACCEPTED),
        (Feasibility.ALREADY_DONE, ProposalStatus.ALREADY_DONE),
    ],
)
def test_publication_sets_the_proposal_status_from_the_feasibility(
    feasibility, status, office, department, reviewer
):
    case = run_to(ReviewState.IN_REVIEW, office, department, reviewer)
    data = {**COMPLETE, "feasibility": feasibility, "public_rationale": "Begründung " * 10}
    services.assessment_save(case=case, actor=reviewer, data=data, submit=True)
    services.case_approve(case=case, actor=office)
    services.cases_publish(cases=[case], actor=office)
    assert Proposal.objects.get(pk=case.proposal_id).status == status


def test_assignment_marks_the_proposal_in_review_and_unpublished_assessment_stays_private(
    office, department, reviewer
):
    case = run_to(ReviewState.APPROVED, office, department, reviewer)
    proposal = Proposal.objects.get(pk=case.proposal_id)
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert published_assessment(proposal) is None


def test_submit_requires_feasibility_responsibility_and_rationale(office, department, reviewer):
    case = run_to(ReviewState.IN_REVIEW, office, department, reviewer)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            case=case, actor=reviewer, data={"cost_estimate": "10 €"}, submit=True
        )
    assert set(refused.value.message_dict) == {"feasibility", "responsibility", "public_rationale"}
    case.refresh_from_db()
    assert case.state == ReviewState.IN_REVIEW


def test_not_feasible_needs_a_real_explanation(office, department, reviewer):
    case = run_to(ReviewState.IN_REVIEW, office, department, reviewer)
    data = {**COMPLETE, "feasibility": Feasibility.NOT_FEASIBLE, "public_rationale": "Nein."}
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(case=case, actor=reviewer, data=data, submit=True)
    assert "public_rationale" in refused.value.message_dict


def test_draft_can_be_incomplete_and_keeps_a_history_of_the_wording(office, department, reviewer):
    case = run_to(ReviewState.IN_REVIEW, office, department, reviewer)
    services.assessment_save(
        case=case, actor=reviewer, data={"revised_title": "Elternkurse ausbauen"}
    )
    services.assessment_save(
        case=case,
        actor=reviewer,
        data={"revised_title": "Elternkurse mit Kinderbetreuung ausbauen"},
    )
    services.assessment_save(
        case=case, actor=reviewer, data={"cost_estimate": "gering"}
    )  # wording unchanged
    assessment = Assessment.objects.get(proposal_id=case.proposal_id)
    titles = list(
        AssessmentRevision.objects.filter(assessment=assessment).values_list(
            "revised_title", flat=True
        )
    )
    assert titles == ["Elternkurse mit Kinderbetreuung ausbauen", "Elternkurse ausbauen"]
    assert Proposal.objects.get(pk=case.proposal_id).title.startswith(
        "Vorschlag"
    )  # the original stays


def test_returned_case_goes_back_to_review_and_return_needs_a_comment(office, department, reviewer):
    case = run_to(ReviewState.ASSESSED, office, department, reviewer)
    with pytest.raises(ValidationError):
        services.case_return(case=case, actor=office, comment="   ")
    case = services.case_return(case=case, actor=office, comment="Kosten fehlen.")
    assert case.state == ReviewState.RETURNED
    case = services.review_start(case=case, actor=reviewer)
    assert case.state == ReviewState.IN_REVIEW
    assert ReviewEvent.objects.filter(case=case, action="return", comment="Kosten fehlen.").exists()


def test_reassignment_allowed_while_assigned_or_returned_not_in_review(
    office, department, reviewer
):
    other = DepartmentFactory()
    case = run_to(ReviewState.ASSIGNED, office, department, reviewer)
    services.cases_assign(
        proposals=[case.proposal], lead_department=other, due_on=None, actor=office
    )
    case.refresh_from_db()
    assert case.lead_department == other and case.state == ReviewState.ASSIGNED

    in_review = run_to(ReviewState.IN_REVIEW, office, department, reviewer)
    with pytest.raises(ValidationError):
        services.cases_assign(
            proposals=[in_review.proposal], lead_department=other, due_on=None, actor=office
        )


def test_bulk_assignment_is_all_or_nothing(office, department, reviewer):
    fresh = ProposalFactory()
    started = run_to(ReviewState.IN_REVIEW, office, department, reviewer)
    with pytest.raises(ValidationError) as refused:
        services.cases_assign(
            proposals=[fresh, started.proposal],
            lead_department=DepartmentFactory(),
            due_on=None,
            actor=office,
        )
    assert started.proposal.title in refused.value.messages[0]
    assert not ReviewCase.objects.filter(proposal=fresh, state=ReviewState.ASSIGNED).exists()


def test_due_date_in_the_past_is_refused(office, department):
    with pytest.raises(ValidationError):
        services.cases_assign(
            proposals=[ProposalFactory()],
            lead_department=department,
            due_on=timezone.localdate() - timedelta(days=1),
            actor=office,
        )


def test_only_the_right_people_may_act(office, department, reviewer):
    other_reviewer = reviewer_of(DepartmentFactory())
    case = run_to(ReviewState.ASSIGNED, office, department, reviewer)
    with pytest.raises(PermissionDenied):
        services.review_start(case=case, actor=other_reviewer)
    with pytest.raises(PermissionDenied):
        services.review_start(case=case, actor=office)
    with pytest.raises(PermissionDenied):
        services.cases_assign(
            proposals=[ProposalFactory()], lead_department=department, due_on=None, actor=reviewer
        )
    assessed = run_to(ReviewState.ASSESSED, office, department, reviewer)
    with pytest.raises(PermissionDenied):
        services.case_approve(case=assessed, actor=reviewer)


def test_contributing_department_adds_statements_the_lead_sees(office, department, reviewer):
    helper_department = DepartmentFactory()
    helper = reviewer_of(helper_department)
    proposal = ProposalFactory()
    (case,) = services.cases_assign(
        proposals=[proposal],
        lead_department=department,
        contributing_departments=[helper_department],
        due_on=date(2099, 1, 1),
        actor=office,
    )
    services.contribution_add(
        case=case, actor=helper, department=helper_department, statement="Wir unterstützen das."
    )
    assert case.contributions.get().statement == "Wir unterstützen das."
    with pytest.raises(PermissionDenied) as refused:
        services.contribution_add(
            case=case, actor=reviewer, department=helper_department, statement="x"
        )
    assert str(refused.value) == (
        "Sie können nur für einen beteiligten Fachbereich, dem Sie angehören, "
        "Stellungnahmen hinzufügen."
    )
    with pytest.raises(ValidationError):
        services.contribution_add(
            case=case, actor=helper, department=helper_department, statement="  "
        )


def test_case_without_lead_department_cannot_be_assigned_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewCaseFactory(lead_department=None, state=ReviewState.ASSIGNED)
