"""Factories for the results app: people with roles, departments, proposals, the concept."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from consultations.models import Proposal, ProposalKind, Support
from consultations.results import services
from consultations.results.models import ConceptGoal, ConceptMeasure
from foundation.models import Consultation, Department, DepartmentMembership, Handlungsfeld, User
from foundation.roles import Role, ensure_roles

PASSWORD = "correct horse battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"results-user{n}")
    email = factory.Sequence(lambda n: f"results-user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def coordination_office_user() -> User:
    user = UserFactory()
    user.groups.add(ensure_roles()[Role.COORDINATION])
    return user


class HandlungsfeldFactory(DjangoModelFactory):
    class Meta:
        model = Handlungsfeld
        django_get_or_create = ("slug",)

    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Ergebnis-Feld {n}")
    slug = factory.Sequence(lambda n: f"ergebnis-feld-{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Fachbereich Umsetzung {n}")
    slug = factory.Sequence(lambda n: f"fachbereich-umsetzung-{n}")


def reviewer_of(department: Department) -> User:
    user = UserFactory()
    user.groups.add(ensure_roles()[Role.REVIEWER])
    DepartmentMembership.objects.create(department=department, user=user)
    return user


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Integrationskonzept {n}")
    slug = factory.Sequence(lambda n: f"integrationskonzept-{n}")
    is_published = True


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


def concept_goal(consultation: Consultation, handlungsfeld: Handlungsfeld, title: str = "Ziel") -> ConceptGoal:
    return services.goal_create(consultation=consultation, handlungsfeld=handlungsfeld, title=title)


def concept_measure(goal: ConceptGoal, text: str = "Maßnahme", department: Department | None = None) -> ConceptMeasure:
    return services.measure_create(goal=goal, text=text, department=department)
