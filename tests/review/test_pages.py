"""The review pages: fixed query counts, bad input kept, the public assessment, meetings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from consultations.review import services
from consultations.review.models import MeetingKind, ReviewCase, ReviewMeeting, ReviewState
from consultations.review.wagtail_hooks import public_assessment_context

from .factories import (
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
    reviewer_of,
)
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return coordination_office_user()


def seed(count: int, department, field) -> None:
    for index in range(count):
        proposal = ProposalFactory(handlungsfeld=field)
        if index % 2:
            ReviewCaseFactory(
                proposal=proposal,
                lead_department=department,
                due_on=date.today() - timedelta(days=index),
            )


@pytest.mark.parametrize("count", [4, 40])
def test_triage_queue_dashboard_and_meetings_have_fixed_query_counts(
    client, office, django_assert_max_num_queries, count
):
    department, field = DepartmentFactory(), HandlungsfeldFactory()
    department.handlungsfelder.add(field)
    seed(count, department, field)
    reviewer = reviewer_of(department)
    meeting = ReviewMeeting.objects.create(
        kind=MeetingKind.WORKSHOP, title="Workshop", starts_on=date(2015, 2, 1)
    )
    meeting.departments.add(department)

    client.force_login(office)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("review:triage"))
    assert response.status_code == 200
    with django_assert_max_num_queries(18):
        assert (
            client.get(
                reverse("review:triage"), {"state": "assigned", "overdue": "on", "q": "Vorschlag"}
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(16):
        assert client.get(reverse("review:dashboard")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("review:meetings")).status_code == 200
    client.force_login(reviewer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == count // 2 + 1


def test_triage_suggests_the_lead_department_from_the_handlungsfeld(client, office):
    field = HandlungsfeldFactory()
    department = DepartmentFactory(name="Fachbereich Schulen")
    department.handlungsfelder.add(field)
    ProposalFactory(handlungsfeld=field)
    client.force_login(office)
    assert "Fachbereich Schulen" in client.get(reverse("review:triage")).content.decode()


def test_bulk_assignment_through_the_inbox(client, office):
    department, helper = DepartmentFactory(), DepartmentFactory()
    proposals = [ProposalFactory(), ProposalFactory(), ProposalFactory()]
    client.force_login(office)
    response = client.post(
        reverse("review:triage"),
        {
            "action": "assign",
            "proposal": [proposals[0].pk, proposals[1].pk],
            "assign-lead_department": department.pk,
            "assign-contributing_departments": [helper.pk],
            "assign-due_on": (date.today() + timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    cases = ReviewCase.objects.filter(lead_department=department, state=ReviewState.ASSIGNED)
    assert {case.proposal_id for case in cases} == {proposals[0].pk, proposals[1].pk}
    assert all(list(case.contributing_departments.all()) == [helper] for case in cases)


def test_bulk_assignment_without_a_department_keeps_the_selection(client, office):
    proposals = [ProposalFactory(), ProposalFactory()]
    client.force_login(office)
    due = (date.today() + timedelta(days=7)).isoformat()
    response = client.post(
        reverse("review:triage"),
        {
            "action": "assign",
            "proposal": [proposals[0].pk],
            "assign-due_on": due,
            "assign-comment": "Bitte bis Ende März",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert f'value="{proposals[0].pk}" id="select-{proposals[0].pk}" checked' in content
    assert f'value="{proposals[1].pk}" id="select-{proposals[1].pk}">' in content
    assert due in content and "Bitte bis Ende März" in content
    assert 'aria-invalid="true"' in content
    assert not ReviewCase.objects.exists()


def test_incomplete_submission_keeps_everything_typed(client, office):
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    (case,) = services.cases_assign(
        proposals=[ProposalFactory()], lead_department=department, due_on=None, actor=office
    )
    client.force_login(reviewer)
    assert (
        client.post(reverse("review:start", kwargs={"proposal_id": case.proposal_id})).status_code
        == 302
    )
    response = client.post(
        reverse("review:assessment", kwargs={"proposal_id": case.proposal_id}),
        {
            "feasibility": "not_feasible",
            "internal_note": "Nur intern",
            "revised_title": "Neue Fassung",
            "submit": "1",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Neue Fassung" in content and "Nur intern" in content
    assert 'value="not_feasible"' in content and "checked" in content
    assert 'id="id_public_rationale_error"' in content and 'id="id_responsibility_error"' in content
    case.refresh_from_db()
    assert case.state == ReviewState.IN_REVIEW


def test_case_page_shows_original_next_to_revision_and_the_timeline(client, office):
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    proposal = ProposalFactory(title="Ursprünglicher Titel")
    (case,) = services.cases_assign(
        proposals=[proposal], lead_department=department, due_on=None, actor=office
    )
    services.review_start(case=case, actor=reviewer)
    services.assessment_save(
        case=case,
        actor=reviewer,
        data={**COMPLETE, "revised_title": "Überarbeiteter Titel"},
        submit=True,
    )
    client.force_login(office)
    content = client.get(
        reverse("review:case", kwargs={"proposal_id": proposal.pk})
    ).content.decode()
    assert "Ursprünglicher Titel" in content and "Überarbeiteter Titel" in content
    assert content.count("<li>") >= 1 and 'class="timeline"' in content
    assert COMPLETE["internal_note"] in content  # staff view shows the internal note


def test_public_proposal_page_shows_the_published_assessment_but_never_the_internal_note(
    client, office
):
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    proposal = ProposalFactory()
    proposal.consultation.is_published = True
    proposal.consultation.save(update_fields=["is_published"])
    (case,) = services.cases_assign(
        proposals=[proposal], lead_department=department, due_on=None, actor=office
    )
    services.review_start(case=case, actor=reviewer)
    services.assessment_save(case=case, actor=reviewer, data=COMPLETE, submit=True)
    services.case_approve(case=case, actor=office)
    url = reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])

    approved_only = client.get(url).content.decode()
    assert COMPLETE["public_rationale"] not in approved_only  # approved is not yet published

    services.cases_publish(cases=[case], actor=office)
    published = client.get(url).content.decode()
    assert COMPLETE["public_rationale"] in published
    assert 'id="public-assessment-heading"' in published
    assert department.name in published
    assert COMPLETE["internal_note"] not in published

    from wagtail import hooks

    from consultations.proposals.selectors import DETAIL_CONTEXT_HOOK

    assert public_assessment_context in hooks.get_hooks(DETAIL_CONTEXT_HOOK)


def test_bulk_publish_from_the_inbox(client, office):
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    cases = services.cases_assign(
        proposals=[ProposalFactory(), ProposalFactory()],
        lead_department=department,
        due_on=None,
        actor=office,
    )
    for case in cases:
        services.review_start(case=case, actor=reviewer)
        services.assessment_save(case=case, actor=reviewer, data=COMPLETE, submit=True)
        services.case_approve(case=case, actor=office)
    client.force_login(office)
    response = client.post(
        reverse("review:triage"),
        {"action": "publish", "proposal": [case.proposal_id for case in cases]},
    )
    assert response.status_code == 302
    assert ReviewCase.objects.filter(state=ReviewState.PUBLISHED).count() == 2


def test_meetings_can_be_recorded_and_bad_input_is_kept(client, office):
    department = DepartmentFactory()
    proposal = ProposalFactory()
    client.force_login(office)
    data = {
        "kind": MeetingKind.EXPERT_TALK,
        "title": "Fachgespräch Fachbereich Schulen",
        "starts_on": "2015-03-10",
        "ends_on": "2015-03-01",
        "departments": [department.pk],
        "proposal_numbers": f"{proposal.pk}, 99999",
        "outcome": "Sprachförderung an Schulen ausbauen.",
    }
    response = client.post(reverse("review:meeting_create"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "99999" in content and "Sprachförderung an Schulen ausbauen." in content
    assert not ReviewMeeting.objects.exists()

    data.update(ends_on="", proposal_numbers=str(proposal.pk))
    assert client.post(reverse("review:meeting_create"), data).status_code == 302
    meeting = ReviewMeeting.objects.get()
    assert list(meeting.proposals.all()) == [proposal]
    edit = client.get(reverse("review:meeting_edit", kwargs={"pk": meeting.pk})).content.decode()
    assert str(proposal.pk) in edit
