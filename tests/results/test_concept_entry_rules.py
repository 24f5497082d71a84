"""Where a published proposal lands in the concept (consultations.results.services): the
department's revised wording, and the one collecting goal "Weitere Maßnahmen" per consultation
and Handlungsfeld for measures proposed without a goal."""

from __future__ import annotations

import pytest
from django.utils import translation

from consultations.models import ProposalKind
from consultations.results import services
from consultations.results.models import ConceptGoal, ConceptMeasure
from consultations.results.services import AdoptionInput
from consultations.review import services as review
from foundation.actors import SYSTEM
from tests.review.test_workflow_rules import COMPLETE, People

from .factories import ConsultationFactory, HandlungsfeldFactory, ProposalFactory

pytestmark = pytest.mark.django_db

COLLECTING = "Weitere Maßnahmen"


def adopt(proposal):
    with translation.override("de"):
        return services.adopt_proposal(
            actor=SYSTEM, proposal=proposal, adoption=AdoptionInput(feasibility="feasible")
        )


def publish_with(proposal, people: People, **assessment):
    (case,) = review.cases_assign(
        proposals=[proposal], lead_department=people.department, due_on=None, actor=people.office
    )
    review.review_start(case=case, actor=people.reviewer)
    review.assessment_save(
        case=case, actor=people.reviewer, data={**COMPLETE, **assessment}, submit=True
    )
    review.case_approve(case=case, actor=people.office)
    with translation.override("de"):
        review.cases_publish(cases=[case], actor=people.office)


def test_a_published_measure_is_worded_as_the_department_revised_it():
    people = People()
    proposal = ProposalFactory(title="Kurse am Abend")

    publish_with(
        proposal, people, revised_title="", revised_body="<p>Die Region bietet Abendkurse an.</p>"
    )

    measure = ConceptMeasure.objects.get(source_proposal=proposal)
    assert measure.text == "Die Region bietet Abendkurse an."
    assert measure.department == people.department


def test_a_published_measure_without_a_revision_keeps_the_proposals_title():
    people = People()
    proposal = ProposalFactory(title="Kurse am Abend")

    publish_with(proposal, people, revised_title="", revised_body="")

    assert ConceptMeasure.objects.get(source_proposal=proposal).text == "Kurse am Abend"


def test_measures_without_a_goal_share_one_collecting_goal_per_consultation_and_field():
    consultation, other_consultation = ConsultationFactory(), ConsultationFactory()
    field, other_field = HandlungsfeldFactory(), HandlungsfeldFactory()
    # A goal that merely has the same wording but came from a proposal is not the collecting one.
    goal_proposal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL, title=COLLECTING
    )
    adopt(goal_proposal)

    first = adopt(ProposalFactory(consultation=consultation, handlungsfeld=field))
    second = adopt(ProposalFactory(consultation=consultation, handlungsfeld=field))
    elsewhere = adopt(ProposalFactory(consultation=consultation, handlungsfeld=other_field))
    other = adopt(ProposalFactory(consultation=other_consultation, handlungsfeld=field))

    collecting = first.goal
    assert (collecting.title, collecting.source_proposal) == (COLLECTING, None)
    assert second.goal == collecting
    assert elsewhere.goal != collecting and elsewhere.goal.handlungsfeld == other_field
    assert other.goal != collecting and other.goal.consultation == other_consultation
    assert {g.title for g in (elsewhere.goal, other.goal)} == {COLLECTING}
    assert (
        ConceptGoal.objects.filter(
            consultation=consultation, handlungsfeld=field, source_proposal__isnull=True
        ).count()
        == 1
    )


def test_a_feasible_measure_is_planned_and_an_already_implemented_one_is_done():
    planned = adopt(ProposalFactory())
    with translation.override("de"):
        done = services.adopt_proposal(
            actor=SYSTEM,
            proposal=ProposalFactory(),
            adoption=AdoptionInput(feasibility="already_done"),
        )

    assert (planned.status, done.status) == ("planned", "done")


def test_adopting_again_fills_in_a_missing_department_but_never_replaces_one():
    from .factories import DepartmentFactory

    schools, youth = DepartmentFactory(), DepartmentFactory()
    without = ProposalFactory()
    with_one = ProposalFactory()
    adopt(without)
    services.adopt_proposal(
        actor=SYSTEM, proposal=with_one, adoption=AdoptionInput("feasible", department=schools)
    )

    for proposal in (without, with_one):
        services.adopt_proposal(
            actor=SYSTEM, proposal=proposal, adoption=AdoptionInput("feasible", department=youth)
        )
    services.adopt_proposal(actor=SYSTEM, proposal=without, adoption=AdoptionInput("feasible"))

    assert ConceptMeasure.objects.get(source_proposal=without).department == youth
    assert ConceptMeasure.objects.get(source_proposal=with_one).department == schools


def test_a_measure_goes_under_its_goal_worded_as_the_department_revised_the_goal():
    people = People()
    consultation, field = ConsultationFactory(), HandlungsfeldFactory()
    revised_goal, plain_goal = (
        ProposalFactory(
            consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL, title=title
        )
        for title in ("Sprache fördern", "Arbeit vermitteln")
    )
    # The revised goal's assessment is submitted, not yet published: the goal is not adopted.
    (case,) = review.cases_assign(
        proposals=[revised_goal],
        lead_department=people.department,
        due_on=None,
        actor=people.office,
    )
    review.review_start(case=case, actor=people.reviewer)
    review.assessment_save(
        case=case,
        actor=people.reviewer,
        data={**COMPLETE, "revised_title": "Sprachförderung für alle Altersgruppen"},
        submit=True,
    )

    under_revised = adopt(
        ProposalFactory(consultation=consultation, handlungsfeld=field, goal=revised_goal)
    )
    under_plain = adopt(
        ProposalFactory(consultation=consultation, handlungsfeld=field, goal=plain_goal)
    )

    assert (under_revised.goal.title, under_revised.goal.source_proposal) == (
        "Sprachförderung für alle Altersgruppen",
        revised_goal,
    )
    assert (under_plain.goal.title, under_plain.goal.source_proposal) == (
        "Arbeit vermitteln",
        plain_goal,
    )
