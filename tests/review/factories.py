"""Factories for the review queue: departments with reviewers, proposals, cases."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from consultations.models import Proposal, ProposalKind, Support
from consultations.review.models import ReviewCase, ReviewState
from foundation.models import Department, DepartmentMembership, User
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


def reviewer_of(department: Department, **kwargs) -> User:
    user = UserFactory(**kwargs)
    DepartmentMembership.objects.create(department=department, user=user)
    user.groups.add(ensure_roles()[Role.REVIEWER])
    return user


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
    Proposal.objects.filter(pk=proposal.pk).update(
        support_count=Support.objects.filter(proposal=proposal).count()
    )
    return created


class ReviewCaseFactory(DjangoModelFactory):
    class Meta:
        model = ReviewCase

    proposal = factory.SubFactory(ProposalFactory)
    state = ReviewState.ASSIGNED
    lead_department = factory.SubFactory(DepartmentFactory)
    due_on = factory.LazyFunction(lambda: date(2099, 1, 1))
