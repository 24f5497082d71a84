"""Factories for the results app: people with roles, departments, proposals, the concept."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from consultations.models import Proposal, ProposalKind, Support
from consultations.results import services
from consultations.results.models import ConceptGoal, ConceptMeasure
from foundation.actors import SYSTEM
from foundation.models import Consultation, Department, DepartmentMembership, Handlungsfeld, User
from foundation.roles import Role, ensure_roles
from tests.foundation.factories import (  # noqa: F401 - re-exported for the tests here
    PASSWORD,
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ResidentFactory,
    user_with_role,
)

# People, fields, departments and consultations come from the foundation's factories;
# this module adds what the review/results tests need on top.
UserFactory = ResidentFactory  # verified e-mail: every person here may take part


def coordination_office_user() -> User:
    return user_with_role(Role.COORDINATION)


def reviewer_of(department: Department) -> User:
    user = UserFactory()
    user.groups.add(ensure_roles()[Role.REVIEWER])
    DepartmentMembership.objects.create(department=department, user=user)
    return user


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory)
    handlungsfeld = factory.SubFactory(HandlungsfeldFactory)
    kind = ProposalKind.MEASURE
    title = factory.Sequence(lambda n: f"Vorschlag {n}")
    body = "<p>Begründung</p>"
    author = factory.SubFactory(UserFactory)


def support(proposal: Proposal, user: User) -> Support:
    return Support.objects.create(proposal=proposal, user=user)


def concept_goal(
    consultation: Consultation, handlungsfeld: Handlungsfeld, title: str = "Ziel"
) -> ConceptGoal:
    return services.goal_create(
        actor=SYSTEM, consultation=consultation, handlungsfeld=handlungsfeld, title=title
    )


def concept_measure(
    goal: ConceptGoal, text: str = "Maßnahme", department: Department | None = None
) -> ConceptMeasure:
    return services.measure_create(actor=SYSTEM, goal=goal, text=text, department=department)
