"""Every write of the results app checks who acts, with the rule its page uses: whoever the page
refuses (403), or does not show another department's measure to (404), the service refuses too.
The platform acting by itself says so with SYSTEM and may only what a rule names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from consultations.results import services
from consultations.results.models import (
    ConceptGoal,
    ConceptMeasure,
    Indicator,
    IndicatorValue,
    ReportRun,
)
from consultations.results.services import AdoptionInput
from foundation.actors import SYSTEM
from foundation.roles import Role

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    UserFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    publish_concept_version,
    reviewer_of,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    own, other = DepartmentFactory(), DepartmentFactory()
    goal = concept_goal(consultation, field, "Sprachförderung ausbauen")
    measure = concept_measure(goal, "Sprachkurse für Eltern anbieten", department=own)
    measure_indicator = services.indicator_create(
        actor=coordination_office_user(), consultation=consultation, measure=measure, name="Kurse"
    )
    return {
        "consultation": consultation,
        "field": field,
        "goal": goal,
        "measure": measure,
        "indicator": measure_indicator,
        "people": {
            "nobody": None,
            "resident": UserFactory(),
            "reviewer": reviewer_of(own),
            "other_reviewer": reviewer_of(other),
        },
    }


def snapshot():
    return (
        list(ConceptGoal.objects.values_list("pk", "title", "position")),
        list(ConceptMeasure.objects.values_list("pk", "text", "number", "status", "department_id")),
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
        ReportRun.objects.count(),
    )


WRITES = {
    "record progress": lambda w, actor: services.measure_record_progress(
        actor=actor, measure=w["measure"], status="in_progress", note="Läuft"
    ),
    "add an indicator to the measure": lambda w, actor: services.indicator_create(
        actor=actor, consultation=w["consultation"], measure=w["measure"], name="Eltern"
    ),
    "record an indicator value": lambda w, actor: services.indicator_value_set(
        actor=actor, indicator=w["indicator"], on=date(2024, 1, 1), value=Decimal(3)
    ),
    "assign the department": lambda w, actor: services.measure_assign_department(
        actor=actor, measure=w["measure"], department=None
    ),
    "remove the measure": lambda w, actor: services.measure_remove(
        actor=actor, measure=w["measure"]
    ),
    "add a field indicator": lambda w, actor: services.indicator_create(
        actor=actor, consultation=w["consultation"], handlungsfeld=w["field"], name="Kita-Quote"
    ),
    "create a goal": lambda w, actor: services.goal_create(
        actor=actor, consultation=w["consultation"], handlungsfeld=w["field"], title="Neu"
    ),
    "create a measure": lambda w, actor: services.measure_create(
        actor=actor, goal=w["goal"], text="Neu"
    ),
    "adopt a proposal": lambda w, actor: services.adopt_proposal(
        actor=actor,
        proposal=ProposalFactory(consultation=w["consultation"], handlungsfeld=w["field"]),
        adoption=AdoptionInput(feasibility="feasible"),
    ),
    "import the annex": lambda w, actor: services.concept_import_annex(
        actor=actor, consultation=w["consultation"], fields=[{"slug": w["field"].slug, "annex": []}]
    ),
    "renumber": lambda w, actor: services.renumber_field(
        actor=actor, consultation=w["consultation"], handlungsfeld=w["field"]
    ),
    "request a report": lambda w, actor: services.report_request(
        actor=actor, consultation=w["consultation"]
    ),
    "schedule the reports": lambda w, actor: services.reports_schedule(actor=actor),
}

# Who is refused how; a missing entry means allowed. The measure belongs to "reviewer"'s department.
REFUSED = {
    "record progress": {"nobody": 403, "resident": 403, "other_reviewer": 404},
    "add an indicator to the measure": {"nobody": 403, "resident": 403, "other_reviewer": 404},
    "record an indicator value": {"nobody": 403, "resident": 403, "other_reviewer": 404},
    "assign the department": {
        "nobody": 403,
        "resident": 403,
        "reviewer": 403,
        "other_reviewer": 404,
    },
    "remove the measure": {"nobody": 403, "resident": 403, "reviewer": 403, "other_reviewer": 404},
}
COORDINATION_ONLY = {"nobody": 403, "resident": 403, "reviewer": 403, "other_reviewer": 403}
EXCEPTIONS = {403: PermissionDenied, 404: Http404}


@pytest.mark.parametrize("who", ["nobody", "resident", "reviewer", "other_reviewer"])
@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_refuses_whom_its_page_refuses(world, write, who):
    refused = REFUSED.get(write, COORDINATION_ONLY).get(who)
    before = snapshot()
    if refused is None:
        WRITES[write](world, world["people"][who])
        return
    with pytest.raises(EXCEPTIONS[refused]) as raised:
        WRITES[write](world, world["people"][who])
    if refused == 403:
        assert str(raised.value)  # a message for whoever called the service
    assert snapshot() == before


@pytest.mark.parametrize("write", list(WRITES))
def test_the_coordination_office_may_do_every_write(world, write):
    WRITES[write](world, coordination_office_user())


@pytest.mark.parametrize(
    "write",
    ["import the annex", "renumber", "request a report", "schedule the reports", "create a goal"],
)
def test_the_system_may_do_what_tasks_commands_and_the_demo_do(world, write):
    WRITES[write](world, SYSTEM)


@pytest.mark.parametrize(
    "write", ["record progress", "record an indicator value", "add a field indicator"]
)
def test_the_system_does_not_speak_for_a_department(world, write):
    before = snapshot()
    with pytest.raises((PermissionDenied, Http404)):
        WRITES[write](world, SYSTEM)
    assert snapshot() == before


def test_the_rules_are_registered_as_permissions(world):
    people, measure = world["people"], world["measure"]
    office = coordination_office_user()
    assert people["reviewer"].has_perm("results.edit_measure", measure)
    assert not people["other_reviewer"].has_perm("results.edit_measure", measure)
    assert people["reviewer"].has_perm("results.edit_indicator", world["indicator"])
    assert people["reviewer"].has_perm("results.use_monitoring_staff_pages")
    assert not people["reviewer"].has_perm("results.edit_concept")
    assert not people["resident"].has_perm("results.use_monitoring_staff_pages")
    assert office.has_perm("results.edit_concept") and office.has_perm("results.run_reports")


# --- Who sees the concept of an unpublished consultation ---------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("editor", 200),
        ("coordination", 200),
        ("reviewer", 404),
        ("resident", 404),
        ("visitor", 404),
    ],
)
def test_an_unpublished_consultations_concept_is_shown_to_editors_and_the_coordination_office(
    client, world, who, expected
):
    consultation = world["consultation"]
    publish_concept_version(consultation)
    consultation.is_published = False
    consultation.save(update_fields=["is_published"])
    user = {
        "editor": lambda: user_with_role(Role.EDITOR),
        "coordination": coordination_office_user,
        "reviewer": lambda: world["people"]["reviewer"],
        "resident": lambda: world["people"]["resident"],
        "visitor": lambda: None,
    }[who]()
    if user is not None:
        client.force_login(user)
    for name in ("results:concept", "results:monitoring"):
        response = client.get(reverse(name, args=[consultation.slug]))
        assert response.status_code == expected, name
        if expected == 200:
            assert "Sprachkurse für Eltern anbieten" in response.content.decode()
