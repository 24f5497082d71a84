"""Factories for proposals and the people and phases around them."""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from consultations.models import Proposal, ProposalKind, Support
from foundation.models import Consultation, Handlungsfeld, Municipality, Phase, PhaseKind, User
from foundation.roles import Role, ensure_roles


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery")


class ResidentFactory(UserFactory):
    """A signed-up resident with a verified e-mail address."""

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def coordination_office_user() -> User:
    user = ResidentFactory()
    groups = ensure_roles()
    user.groups.add(groups[Role.COORDINATION])
    return user


class HandlungsfeldFactory(DjangoModelFactory):
    class Meta:
        model = Handlungsfeld
        django_get_or_create = ("slug",)

    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    slug = factory.Sequence(lambda n: f"handlungsfeld-{n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Integrationskonzept {n}")
    slug = factory.Sequence(lambda n: f"integrationskonzept-{n}")
    is_published = True


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase

    consultation = factory.SubFactory(ConsultationFactory)
    kind = PhaseKind.FORUMS
    title = "Foren"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    allows_proposals = True
    allows_supports = True
    allows_comments = True


def open_consultation(*, priority_points: int = 0, **phase_kwargs) -> Consultation:
    """A published consultation whose forum phase is running now."""
    phase = PhaseFactory(priority_points=priority_points, **phase_kwargs)
    return phase.consultation


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory)
    handlungsfeld = factory.SubFactory(HandlungsfeldFactory)
    kind = ProposalKind.MEASURE
    title = factory.Sequence(lambda n: f"Sprachkurse mit Kinderbetreuung {n}")
    body = "<p>Mehr Sprachkurse mit Kinderbetreuung in allen Kommunen.</p>"
    author = factory.SubFactory(ResidentFactory)


class SupportFactory(DjangoModelFactory):
    class Meta:
        model = Support

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(ResidentFactory)
