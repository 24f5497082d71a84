"""The lead department's assessment and the contributing departments' statements
(consultations.review.services): what a submitted assessment must contain, what is stored and
who is recorded, with the German messages shown next to the fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consultations.review import services
from consultations.review.models import Assessment, AssessmentRevision, ReviewEvent
from consultations.review.services import NOT_FEASIBLE_MIN_RATIONALE

from .factories import DepartmentFactory, ProposalFactory, reviewer_of
from .test_workflow_rules import COMPLETE, People, bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def submit(case, people, **data):
    with translation.override("de"):
        return services.assessment_save(
            case=case, actor=people.reviewer, data={**COMPLETE, **data}, submit=True
        )


def test_a_submitted_assessment_needs_feasibility_responsibility_and_a_public_rationale(people):
    case = bring_to("in_review", people)

    with pytest.raises(ValidationError) as refused:
        submit(case, people, feasibility="", responsibility=[], public_rationale="   ")

    assert refused.value.message_dict == {
        "feasibility": ["Wählen Sie, wie umsetzbar der Vorschlag ist."],
        "responsibility": ["Wählen Sie mindestens eine Zuständigkeit."],
        "public_rationale": ["Begründen Sie die Einschätzung für die Öffentlichkeit."],
    }


def test_not_feasible_needs_a_rationale_of_at_least_40_characters(people):
    case = bring_to("in_review", people)
    short = "x" * (NOT_FEASIBLE_MIN_RATIONALE - 1)

    with pytest.raises(ValidationError) as refused:
        submit(case, people, feasibility="not_feasible", public_rationale=short)
    assert refused.value.message_dict == {
        "public_rationale": [
            "Ein als nicht umsetzbar eingeschätzter Vorschlag braucht eine öffentliche "
            "Begründung von mindestens 40 Zeichen, die erklärt, warum."
        ]
    }

    submit(
        case, people, feasibility="not_feasible", public_rationale="x" * NOT_FEASIBLE_MIN_RATIONALE
    )
    case.refresh_from_db()
    assert case.state == "assessed"


def test_what_is_stored_unknown_responsibilities_dropped_and_who_assessed_when(people):
    case = bring_to("in_review", people)

    submit(
        case,
        people,
        responsibility=["region", "mars", "state"],
        cost_estimate=None,
        revised_title="Elternkurse am Abend",
        revised_body="Die Region bietet Elternkurse am Abend an.",
    )

    assessment = Assessment.objects.get(proposal_id=case.proposal_id)
    assert assessment.responsibility == ["region", "state"]
    assert assessment.cost_estimate == ""
    assert assessment.department == people.department
    assert assessment.assessed_by == people.reviewer and assessment.assessed_at is not None
    (revision,) = AssessmentRevision.objects.filter(assessment=assessment)
    assert (revision.revised_title, revision.revised_body, revision.author) == (
        "Elternkurse am Abend",
        "Die Region bietet Elternkurse am Abend an.",
        people.reviewer,
    )


def test_an_assessment_cannot_be_edited_once_submitted(people):
    case = bring_to("assessed", people)

    with pytest.raises(ValidationError) as refused:
        services.assessment_save(case=case, actor=people.reviewer, data=COMPLETE)

    assert refused.value.code == "not_editable"


def test_a_contributing_department_adds_a_statement_recorded_with_its_author(people):
    helper = DepartmentFactory(name="Fachbereich Jugend")
    colleague = reviewer_of(helper)
    (case,) = services.cases_assign(
        proposals=[ProposalFactory()],
        lead_department=people.department,
        contributing_departments=[helper],
        due_on=None,
        actor=people.office,
    )

    with translation.override("de"), pytest.raises(ValidationError) as empty:
        services.contribution_add(case=case, actor=colleague, department=helper, statement="  ")
    contribution = services.contribution_add(
        case=case, actor=colleague, department=helper, statement=" Wir helfen gern. "
    )

    assert empty.value.message_dict == {"statement": ["Schreiben Sie eine Stellungnahme."]}
    assert (contribution.statement, contribution.author) == ("Wir helfen gern.", colleague)
    event = ReviewEvent.objects.filter(case=case).order_by("pk").last()
    assert (event.action, event.comment, event.actor) == (
        "contribution",
        "Fachbereich Jugend",
        colleague,
    )


def test_no_statement_once_the_assessment_is_submitted(people):
    helper = DepartmentFactory()
    colleague = reviewer_of(helper)
    (case,) = services.cases_assign(
        proposals=[ProposalFactory()],
        lead_department=people.department,
        contributing_departments=[helper],
        due_on=None,
        actor=people.office,
    )
    services.review_start(case=case, actor=people.reviewer)
    submit(case, people)
    case.refresh_from_db()  # as the statement page loads it

    with pytest.raises(ValidationError) as refused:
        services.contribution_add(case=case, actor=colleague, department=helper, statement="Spät")

    assert refused.value.code == "closed"
    assert refused.value.messages == [
        "Stellungnahmen können nur hinzugefügt werden, bis der federführende Fachbereich "
        "seine Einschätzung eingereicht hat."
    ]
