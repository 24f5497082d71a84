"""Published proposals become the concept: numbering per field, idempotent, people told once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction

from consultations.models import ProposalKind
from consultations.results import services
from consultations.results.models import ConceptGoal, ConceptMeasure, PublicationNotice
from consultations.results.services import AdoptionInput
from foundation.models import Notification

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    UserFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    support,
)

pytestmark = pytest.mark.django_db


def adopt(proposal, feasibility="feasible", **kwargs):
    return services.adopt_proposal(
        actor=coordination_office_user(),
        proposal=proposal,
        adoption=AdoptionInput(feasibility=feasibility, **kwargs),
    )


def test_goal_and_measures_are_numbered_continuously_per_field_across_goals():
    consultation = ConsultationFactory()
    field, other_field = HandlungsfeldFactory(), HandlungsfeldFactory()
    goal_a = ProposalFactory(
        consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL, title="Ziel A"
    )
    goal_b = ProposalFactory(
        consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL, title="Ziel B"
    )
    adopt(goal_a, revised_title="Überarbeitetes Ziel A")
    adopt(goal_b)
    a1 = ProposalFactory(consultation=consultation, handlungsfeld=field, goal=goal_a)
    a2 = ProposalFactory(consultation=consultation, handlungsfeld=field, goal=goal_a)
    b1 = ProposalFactory(consultation=consultation, handlungsfeld=field, goal=goal_b)
    elsewhere = ProposalFactory(consultation=consultation, handlungsfeld=other_field)
    m1 = adopt(a1, revised_title="Maßnahme eins")
    m2 = adopt(a2, feasibility="partly")
    m3 = adopt(b1, feasibility="already_done")
    other = adopt(elsewhere)

    assert [m1.number, m2.number, m3.number] == [1, 2, 3]
    assert other.number == 1  # numbering starts again in every Handlungsfeld
    assert m1.text == "Maßnahme eins" and m2.text == a2.title
    assert m3.status == "done"
    goals = list(ConceptGoal.objects.filter(handlungsfeld=field).order_by("position"))
    assert [g.title for g in goals] == ["Überarbeitetes Ziel A", "Ziel B"]
    assert m1.goal == goals[0] and m3.goal == goals[1]


def test_adoption_is_idempotent_and_keeps_the_number():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    first = ProposalFactory(consultation=consultation, handlungsfeld=field)
    second = ProposalFactory(consultation=consultation, handlungsfeld=field)
    adopt(first)
    measure = adopt(second, revised_title="Erste Fassung")
    again = adopt(second, revised_title="Zweite Fassung")

    assert again.pk == measure.pk and again.number == 2
    assert again.text == "Zweite Fassung"
    assert ConceptMeasure.objects.filter(handlungsfeld=field).count() == 2


def test_not_feasible_proposals_are_not_adopted():
    proposal = ProposalFactory()
    assert adopt(proposal, feasibility="not_feasible") is None
    assert not ConceptMeasure.objects.exists()


def test_a_measure_whose_goal_was_not_published_yet_creates_the_goal_from_its_proposal():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    goal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL, title="Ziel"
    )
    measure = adopt(ProposalFactory(consultation=consultation, handlungsfeld=field, goal=goal))
    assert measure.goal.source_proposal == goal
    adopt(
        goal, revised_title="Ziel, überarbeitet"
    )  # publishing the goal later updates the same entry
    assert ConceptGoal.objects.get().title == "Ziel, überarbeitet"


def test_the_database_refuses_two_measures_with_one_number_in_a_field():
    consultation = ConsultationFactory()
    goal = concept_goal(consultation, HandlungsfeldFactory())
    concept_measure(goal)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.measure_create(
            actor=coordination_office_user(), goal=goal, text="Doppelt", number=1
        )


def test_removing_a_measure_renumbers_the_field_in_goal_order():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    goal_one, goal_two = (
        concept_goal(consultation, field, "Eins"),
        concept_goal(consultation, field, "Zwei"),
    )
    first = concept_measure(goal_one, "a")
    concept_measure(goal_two, "c")
    late = concept_measure(goal_one, "b")  # adopted late: number 3 although it belongs to goal one
    services.measure_remove(actor=coordination_office_user(), measure=first)

    numbers = list(
        ConceptMeasure.objects.filter(handlungsfeld=field)
        .order_by("number")
        .values_list("text", "number")
    )
    assert numbers == [("b", 1), ("c", 2)]
    late.refresh_from_db()
    assert late.number == 1


def test_renumber_command_closes_gaps(capsys):
    from django.core.management import call_command

    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    goal = concept_goal(consultation, field)
    for text in "abc":
        concept_measure(goal, text)
    ConceptMeasure.objects.filter(text="b").delete()
    call_command("renumber_concept", consultation.slug)
    assert list(ConceptMeasure.objects.order_by("number").values_list("text", "number")) == [
        ("a", 1),
        ("c", 2),
    ]
    assert "2" in capsys.readouterr().out


def test_authors_and_supporters_are_notified_once_even_when_the_author_supports(
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory()
    author = proposal.author
    supporter, quiet = (
        UserFactory(),
        UserFactory(notify_status_email=False, notify_status_inapp=False),
    )
    office = coordination_office_user()
    support(proposal, author)
    support(proposal, supporter)
    support(proposal, quiet)

    with django_capture_on_commit_callbacks(execute=True):
        services.publication_announce(actor=office, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_announce(
            actor=office, proposal=proposal
        )  # published twice: nobody hears twice
    assert services.notify_publication(proposal_id=proposal.pk) == 0

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([author.email, supporter.email])
    assert Notification.objects.filter(recipient=author).count() == 1
    assert Notification.objects.filter(recipient=supporter).count() == 1
    assert not Notification.objects.filter(recipient=quiet).exists()
    assert PublicationNotice.objects.filter(proposal=proposal).count() == 3


def test_publishing_through_the_review_workflow_adopts_and_notifies(
    client, django_capture_on_commit_callbacks
):
    review_models = pytest.importorskip("consultations.review.models")
    review_services = pytest.importorskip("consultations.review.services")
    from wagtail import hooks

    from consultations.results.services import adopt_published_case

    assert adopt_published_case in hooks.get_hooks(review_services.CASE_PUBLISHED_HOOK)
    department = DepartmentFactory()
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    goal = ProposalFactory(consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL)
    proposal = ProposalFactory(consultation=consultation, handlungsfeld=field, goal=goal)
    supporter = UserFactory()
    support(proposal, supporter)
    support(proposal, proposal.author)
    review_models.Assessment.objects.create(
        proposal=proposal,
        department=department,
        feasibility="partly",
        revised_title="Mehrsprachige Informationen bereitstellen",
        public_rationale="Wird im Rahmen der vorhandenen Mittel umgesetzt.",
        internal_note="Nur intern",
    )
    case = review_models.ReviewCase.objects.create(
        proposal=proposal, state=review_models.ReviewState.APPROVED, lead_department=department
    )
    with django_capture_on_commit_callbacks(execute=True):
        review_services.cases_publish(cases=[case], actor=coordination_office_user())

    measure = ConceptMeasure.objects.get(source_proposal=proposal)
    assert measure.text == "Mehrsprachige Informationen bereitstellen"
    assert measure.department == department and measure.number == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([proposal.author.email, supporter.email])
    assert all("Nur intern" not in message.body for message in mail.outbox)

    # What the supporter gets: the assessment, and a link that opens the proposal's page.
    (to_supporter,) = [message for message in mail.outbox if message.to == [supporter.email]]
    assert proposal.title in to_supporter.subject
    assert "Wird im Rahmen der vorhandenen Mittel umgesetzt." in to_supporter.body
    link = next(
        line for line in to_supporter.body.splitlines() if line.startswith(settings.SITE_URL)
    )
    assert "/abbestellen/" in to_supporter.body.splitlines()[-1]  # the unsubscribe comes last
    path = link.removeprefix(settings.SITE_URL)
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["proposal"].pk == proposal.pk
    assert Notification.objects.get(recipient=supporter, kind="proposal_result").url == path
