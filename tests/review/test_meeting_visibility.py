"""Review meetings: who sees which meeting, and the links between a case and its meetings."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from consultations.review import selectors, services
from consultations.review.models import MeetingKind, ReviewMeeting
from consultations.review.permissions import can_view_meeting, may_see_meetings

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    schools, health, other = (
        DepartmentFactory(name="Fachbereich Schulen"),
        DepartmentFactory(name="Team Gesundheit"),
        DepartmentFactory(name="Fachbereich Verkehr"),
    )
    office = coordination_office_user()
    own_proposal = ProposalFactory(title="Sprachkurse an Grundschulen")
    foreign_proposal = ProposalFactory(title="Dolmetscher in Arztpraxen")
    services.cases_assign(
        proposals=[own_proposal], lead_department=schools, due_on=None, actor=office
    )
    services.cases_assign(
        proposals=[foreign_proposal], lead_department=health, due_on=None, actor=office
    )
    meeting = services.meeting_save(
        actor=office,
        kind=MeetingKind.WORKSHOP,
        title="Workshop Bildung und Gesundheit",
        starts_on=date(2015, 2, 10),
        ends_on=date(2015, 2, 11),
        departments=[schools, health],
        proposals=[own_proposal, foreign_proposal],
        outcome="Sprachförderung bündeln.",
    )
    elsewhere = services.meeting_save(
        actor=office,
        kind=MeetingKind.EXPERT_TALK,
        title="Fachgespräch Verkehr",
        starts_on=date(2015, 3, 1),
        ends_on=None,
        departments=[other],
        proposals=[own_proposal],
        outcome="",
    )
    return {
        "office": office,
        "schools_reviewer": reviewer_of(schools, display_name="Petra Schulz"),
        "other_reviewer": reviewer_of(other),
        "resident": UserFactory(),
        "meeting": meeting,
        "elsewhere": elsewhere,
        "own_proposal": own_proposal,
        "foreign_proposal": foreign_proposal,
    }


def test_a_reviewer_sees_the_meetings_list_with_only_the_meetings_of_the_department(client, world):
    client.force_login(world["schools_reviewer"])
    response = client.get(reverse("review:meetings"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Workshop Bildung und Gesundheit" in content
    assert "Fachgespräch Verkehr" not in content
    assert reverse("review:meeting_create") not in content
    assert reverse("review:meetings") in content  # the review navigation links to it


def test_the_coordination_office_sees_every_meeting_and_may_record_one(client, world):
    client.force_login(world["office"])
    content = client.get(reverse("review:meetings")).content.decode()
    assert "Workshop Bildung und Gesundheit" in content and "Fachgespräch Verkehr" in content
    assert reverse("review:meeting_create") in content
    detail = client.get(reverse("review:meeting", kwargs={"pk": world["meeting"].pk}))
    assert reverse("review:meeting_edit", kwargs={"pk": world["meeting"].pk}) in (
        detail.content.decode()
    )


def test_people_without_a_review_role_get_403_and_visitors_sign_in(client, world):
    client.force_login(world["resident"])
    assert client.get(reverse("review:meetings")).status_code == 403
    assert (
        client.get(reverse("review:meeting", kwargs={"pk": world["meeting"].pk})).status_code == 403
    )
    client.logout()
    response = client.get(reverse("review:meetings"))
    assert response.status_code == 302 and "login" in response.url


def test_a_reviewer_gets_404_for_a_meeting_without_the_department(client, world):
    client.force_login(world["other_reviewer"])
    assert (
        client.get(reverse("review:meeting", kwargs={"pk": world["meeting"].pk})).status_code == 404
    )
    assert (
        client.get(reverse("review:meeting", kwargs={"pk": world["elsewhere"].pk})).status_code
        == 200
    )
    assert client.get(reverse("review:meeting", kwargs={"pk": 999999})).status_code == 404


def test_reviewers_may_not_create_or_edit_meetings(client, world):
    client.force_login(world["schools_reviewer"])
    assert client.get(reverse("review:meeting_create")).status_code == 403
    edit = reverse("review:meeting_edit", kwargs={"pk": world["meeting"].pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"title": "Anders"}).status_code == 403
    assert ReviewMeeting.objects.get(pk=world["meeting"].pk).title == (
        "Workshop Bildung und Gesundheit"
    )


def test_the_meeting_page_links_only_the_cases_the_reviewer_may_see(client, world):
    client.force_login(world["schools_reviewer"])
    response = client.get(reverse("review:meeting", kwargs={"pk": world["meeting"].pk}))
    content = response.content.decode()
    own_url = reverse("review:case", kwargs={"proposal_id": world["own_proposal"].pk})
    foreign_url = reverse("review:case", kwargs={"proposal_id": world["foreign_proposal"].pk})
    assert f'href="{own_url}"' in content
    assert foreign_url not in content and "Dolmetscher in Arztpraxen" not in content
    assert "1 weiterer Vorschlag wurde besprochen" in content
    assert "Sprachförderung bündeln." in content
    assert "Fachbereich Schulen, Team Gesundheit" in content

    client.force_login(world["office"])
    content = client.get(
        reverse("review:meeting", kwargs={"pk": world["meeting"].pk})
    ).content.decode()
    assert f'href="{own_url}"' in content and f'href="{foreign_url}"' in content
    assert "weitere" not in content


def test_the_case_page_lists_its_meetings_and_links_those_the_viewer_may_see(client, world):
    url = reverse("review:case", kwargs={"proposal_id": world["own_proposal"].pk})
    meeting_url = reverse("review:meeting", kwargs={"pk": world["meeting"].pk})
    elsewhere_url = reverse("review:meeting", kwargs={"pk": world["elsewhere"].pk})
    client.force_login(world["schools_reviewer"])
    content = client.get(url).content.decode()
    assert "Besprochen in Terminen" in content
    assert f'href="{meeting_url}"' in content
    assert "Workshop" in content and "10.02.2015" in content and "11.02.2015" in content
    # Discussed elsewhere: named, but not linked for a department that did not take part.
    assert "Fachgespräch Verkehr" in content and elsewhere_url not in content

    client.force_login(world["office"])
    content = client.get(url).content.decode()
    assert f'href="{meeting_url}"' in content and f'href="{elsewhere_url}"' in content


def test_a_case_without_meetings_says_so(client, world):
    proposal = ProposalFactory()
    client.force_login(world["office"])
    content = client.get(
        reverse("review:case", kwargs={"proposal_id": proposal.pk})
    ).content.decode()
    assert "noch in keinem Termin besprochen" in content


def test_the_rule_and_its_queryset_spelling_agree(world):
    people = ["office", "schools_reviewer", "other_reviewer", "resident"]
    for name in people:
        user = world[name]
        visible = set(selectors.meetings_visible_to(user))
        for meeting in ReviewMeeting.objects.all():
            assert can_view_meeting(user, meeting) == (meeting in visible), (name, meeting)
    assert can_view_meeting(world["office"], None) is True
    assert can_view_meeting(world["schools_reviewer"], None) is False
    assert may_see_meetings(world["schools_reviewer"]) and may_see_meetings(world["office"])
    assert not may_see_meetings(world["resident"])
    assert world["schools_reviewer"].has_perm("review.view_meeting", world["meeting"])
    assert not world["other_reviewer"].has_perm("review.view_meeting", world["meeting"])
    assert world["schools_reviewer"].has_perm("review.see_meetings")


@pytest.mark.parametrize("count", [2, 20])
def test_meeting_pages_have_fixed_query_counts(client, world, django_assert_max_num_queries, count):
    office = world["office"]
    department = DepartmentFactory()
    reviewer = reviewer_of(department)
    proposals = [ProposalFactory() for _ in range(count)]
    services.cases_assign(
        proposals=proposals, lead_department=department, due_on=None, actor=office
    )
    for index in range(count):
        services.meeting_save(
            actor=office,
            kind=MeetingKind.CONSULTATION,
            title=f"Rücksprache {index}",
            starts_on=date(2015, 3, 1 + index),
            ends_on=None,
            departments=[department],
            proposals=proposals,
            outcome="",
        )
    meeting = ReviewMeeting.objects.filter(title="Rücksprache 0").get()
    client.force_login(reviewer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("review:meetings")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("review:meeting", kwargs={"pk": meeting.pk})).status_code == 200
    with django_assert_max_num_queries(30):
        response = client.get(reverse("review:case", kwargs={"proposal_id": proposals[0].pk}))
    assert response.content.decode().count(reverse("review:meetings")) >= 1
