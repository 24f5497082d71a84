"""Factories for the review queue: departments with reviewers, proposals, cases."""

from __future__ import annotations

from datetime import date

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from consultations.models import Proposal, ProposalKind, Support
from consultations.review.models import ReviewCase, ReviewState
from foundation.models import Consultation, Department, DepartmentMembership, Handlungsfeld, User
from foundation.roles import Role, ensure_roles

PASSWORD = "correct horse battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"review-user{n}")
    email = factory.Sequence(lambda n: f"review-user{n}@example.org")
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
    name = factory.Sequence(lambda n: f"Review-Feld {n}")
    slug = factory.Sequence(lambda n: f"review-feld-{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Fachbereich Prüfung {n}")
    slug = factory.Sequence(lambda n: f"fachbereich-pruefung-{n}")


def reviewer_of(department: Department, **kwargs) -> User:
    user = UserFactory(**kwargs)
    DepartmentMembership.objects.create(department=department, user=user)
    user.groups.add(ensure_roles()[Role.REVIEWER])
    return user


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Integrationskonzept Prüfung {n}")
    slug = factory.Sequence(lambda n: f"integrationskonzept-pruefung-{n}")
    is_published = True


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory)
    handlungsfeld = factory.SubFactory(HandlungsfeldFactory)
    kind = ProposalKind.MEASURE
    title = factory.Sequence(lambda n: f"Vorschlag {n}: Sprachkurse für Eltern ausbauen")
    body = "<p>Mehr Sprachkurse mit Kinderbetreuung anbieten.</p>"
    author = factory.SubFactory(UserFactory)


def support(proposal: Proposal, user: User) -> Support:
    created = Support.objects.create(proposal=proposal, user=user)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=Support.objects.filter(proposal=proposal).count())
    return created


class ReviewCaseFactory(DjangoModelFactory):
    class Meta:
        model = ReviewCase

    proposal = factory.SubFactory(ProposalFactory)
    state = ReviewState.ASSIGNED
    lead_department = factory.SubFactory(DepartmentFactory)
    due_on = factory.LazyFunction(lambda: date(2099, 1, 1))
