"""The demo consultation shows the review alive: cases in every state, two reviewer logins,
an overdue case with its reminder, demo meetings; the 2016 concept stays as printed."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from consultations.models import Proposal
from consultations.results.models import ConceptGoal, ConceptMeasure
from consultations.review.models import ReviewCase, ReviewEvent, ReviewMeeting, ReviewState
from demo.core import DEMO_MARK
from demo.loader import load_demo
from demo.logins import REVIEWER, REVIEWER_SCHOOLS, ensure_demo_logins
from demo.steps import DEMO_CONSULTATION_SLUG, HISTORIC_CONSULTATION_SLUG
from foundation.models import User
from foundation.outbox import OutboxMessage


def quiet(message: str) -> None:
    pass


@pytest.fixture
def loaded(db):
    return load_demo(log=quiet)


def test_the_demo_review_has_cases_in_every_state_across_departments(loaded):
    cases = list(
        ReviewCase.objects.filter(proposal__consultation__slug=DEMO_CONSULTATION_SLUG)
        .select_related("proposal", "lead_department")
        .order_by("pk")
    )
    states = Counter(case.state for case in cases)
    untriaged = Proposal.objects.filter(
        consultation__slug=DEMO_CONSULTATION_SLUG, review_case__isnull=True
    )
    assert untriaged.count() == 2  # "new": not yet triaged
    assert set(states) == set(ReviewState) - {ReviewState.NEW}
    assert states == {
        "assigned": 2,
        "in_review": 2,
        "assessed": 1,
        "returned": 1,
        "approved": 1,
        "published": 1,
    }
    leads = {case.lead_department.slug for case in cases}
    assert len(leads) >= 4
    for case in cases:
        assert case.proposal.title.endswith(DEMO_MARK)
        actions = list(case.events.order_by("created_at", "pk").values_list("action", flat=True))
        assert actions[:2] == ["created", "assign"], actions  # made by the services
        actors = User.objects.filter(
            pk__in=case.events.exclude(actor=None).values("actor")
        ).values_list("display_name", flat=True)
        assert actors and all(name.endswith(DEMO_MARK) for name in actors)
        assert not any(
            user.has_usable_password()
            for user in User.objects.filter(pk__in=case.events.exclude(actor=None).values("actor"))
        )
    # The historic consultation has no demo cases, its 2016 concept stays as printed.
    assert not ReviewCase.objects.filter(
        proposal__consultation__slug=HISTORIC_CONSULTATION_SLUG
    ).exists()
    historic_goals = ConceptGoal.objects.filter(consultation__slug=HISTORIC_CONSULTATION_SLUG)
    historic_measures = ConceptMeasure.objects.filter(consultation__slug=HISTORIC_CONSULTATION_SLUG)
    assert (historic_goals.count(), historic_measures.count()) == (37, 144)


def test_one_overdue_case_whose_department_was_reminded(loaded):
    overdue = list(ReviewCase.objects.overdue())
    assert len(overdue) == 1
    (case,) = overdue
    assert case.lead_department.slug == "fachbereich-gesundheit"
    assert ReviewEvent.objects.filter(case=case, action="reminded").count() == 1
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith=f"review:reminder:{case.lead_department_id}:"
    ).exists()
    # Loading again neither sends nor records another reminder.
    load_demo(log=quiet)
    assert ReviewEvent.objects.filter(case=case, action="reminded").count() == 1


def test_demo_meetings_are_linked_to_demo_cases_and_the_2016_meetings_stay(loaded):
    demo_meetings = ReviewMeeting.objects.filter(title__endswith=DEMO_MARK)
    assert demo_meetings.count() == 2
    for meeting in demo_meetings:
        proposals = list(meeting.proposals.all())
        assert proposals and all(
            proposal.consultation.slug == DEMO_CONSULTATION_SLUG for proposal in proposals
        )
        assert all(hasattr(proposal, "review_case") for proposal in proposals)
    historic = ReviewMeeting.objects.exclude(title__endswith=DEMO_MARK)
    assert historic.count() == 14  # the concept's 6 + 4 + 4
    assert not ReviewMeeting.proposals.through.objects.filter(reviewmeeting__in=historic).exists()


@pytest.mark.parametrize(
    ("login", "own_titles", "foreign_title"),
    [
        (
            REVIEWER,
            [
                "Mehrsprachiger Willkommensbrief mit Ansprechpersonen",
                "Integrationsbeirat auf Regionsebene",
                "Abendsprachkurse mit Kinderbetreuung",  # contributing
            ],
            "Lernpatenschaften an Grundschulen",
        ),
        (
            REVIEWER_SCHOOLS,
            [
                "Sprachförderung für Familien ausbauen",
                "Abendsprachkurse mit Kinderbetreuung",
                "Lernpatenschaften an Grundschulen",
            ],
            "Gesundheitslotsinnen und -lotsen in allen Kommunen",
        ),
    ],
)
def test_two_reviewer_logins_sign_in_and_see_their_queue(
    loaded, client, settings, login, own_titles, foreign_title
):
    settings.DEBUG = True
    ensure_demo_logins()
    response = client.post("/konto/login/", {"login": login.email, "password": login.password})
    assert response.status_code == 302
    queue = client.get(reverse("review:queue"))
    assert queue.status_code == 200
    content = queue.content.decode()
    for title in own_titles:
        assert f"{title} {DEMO_MARK}" in content
    assert f"{foreign_title} {DEMO_MARK}" not in content
    foreign = Proposal.objects.get(title=f"{foreign_title} {DEMO_MARK}")
    assert client.get(reverse("review:case", kwargs={"proposal_id": foreign.pk})).status_code == 404
    meetings = client.get(reverse("review:meetings")).content.decode()
    assert "Fachgespräch Bildung und Sprache (Demo)" in meetings
